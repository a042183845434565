/* trace_main.c: memaudit-trace, the supervisor of trace mode (issue 12), run by the launcher:
 *
 *   memaudit-trace [--dump FILE] [--refuse CALL=ERRNO] -- COMMAND [ARG...]
 *
 * Runs COMMAND under seccomp-bpf + ptrace (trace.h) until it and every process it started have
 * ended. --dump writes every traced call, fork, exec and exit as JSON lines (trace_dump.c), a
 * debug and test output; --refuse makes every call CALL fail with ERRNO without running (the
 * mechanics of the enforce policy). Exit status: COMMAND's, 128+N when signal N killed it (as the
 * launcher); 2 for usage errors; 126/127 when COMMAND cannot be run; 1 when tracing cannot start.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "tools/trace.h"

static int usage(void)
{
	fprintf(stderr, "usage: memaudit-trace [--dump FILE] [--refuse CALL=ERRNO] -- COMMAND [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *dump_path = NULL, *refuse = NULL;
	struct trace_dump *dump = NULL;
	struct trace_sink sink;
	int i, st, status;
	pid_t root;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
			dump_path = argv[++i];
		} else if (strcmp(argv[i], "--refuse") == 0 && i + 1 < argc) {
			refuse = argv[++i];
		} else if (argv[i][0] == '-') {
			return usage();
		} else {
			break;
		}
	}
	if (i >= argc)
		return usage();
	memset(&sink, 0, sizeof sink);
	if (dump_path || refuse) {
		dump = trace_dump_open(dump_path ? dump_path : "/dev/null", refuse);
		if (!dump)
			return 2;
		trace_dump_sink(dump, &sink);
	}
	root = trace_spawn(argv + i, &st);
	if (root < 0)
		return st;
	status = trace_run(root, &sink);
	if (dump && trace_dump_close(dump) != 0)
		fprintf(stderr, "memaudit-trace: %s: write error\n", dump_path);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "memaudit-trace: %s killed by signal %d (%s)\n", argv[i], WTERMSIG(status),
			strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
