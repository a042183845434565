/* trace_main.c: memaudit-trace, the supervisor of trace mode (issue 12), run by the launcher:
 *
 *   memaudit-trace [--dump FILE [--no-symbols]] [--refuse CALL=ERRNO] [--stats] -- COMMAND [ARG...]
 *
 * Runs COMMAND under seccomp-bpf + ptrace (trace.h) until it and every process it started have
 * ended, writing one memaudit log per process image as the preload library does (the engine's
 * trace front-end: trace_sink_engine.c; MEMAUDIT_* from the environment). Instead, --dump writes every traced call, fork, exec and exit as JSON lines (trace_dump.c), a
 * debug and test output (--no-symbols: frames as module and offset); --check-unwind compares the
 * cached unwinder with libdwfl's on every C stack (trace.h, a test); --refuse makes every call CALL fail with ERRNO without running (the
 * mechanics of the enforce policy). Exit status: COMMAND's, 128+N when signal N killed it (as the
 * launcher), or strict's MEMAUDIT_EXITCODE for its findings; 2 for usage errors; 125 for an
 * invalid MEMAUDIT_* value or a log directory without room for the command's log;
 * 126/127 when COMMAND cannot be run; 1 when tracing cannot start.
 *
 * Limits (for the documentation of trace mode):
 * - It waits until every traced process has ended, a daemon the command left behind included
 *   (killing the supervisor kills them: PTRACE_O_EXITKILL), and exits with the command's status.
 * - The traced processes run with no_new_privs: a set-user-ID program runs without its privileges.
 *   They cannot be traced by anything else (gdb, strace, a PTRACE_TRACEME of their own: EPERM).
 * - Only x86_64 calls are traced: a 32-bit program's (int 0x80) and x32 calls pass untraced.
 * - A process's calls are modelled in the kernel's order, except after a call ran for more than
 *   TRACE_HOLD_MS while other threads of it waited (trace.h).
 * - A clone(CLONE_VM) child without CLONE_THREAD shares its parent's memory: reported as such.
 * - SIGINT and SIGQUIT are left to the command (the terminal sends them to both); SIGTERM and
 *   SIGHUP sent to the supervisor are passed on to the command.
 */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tools/trace.h"
#include "tools/trace_sink_engine.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: memaudit-trace [--dump FILE [--no-symbols]] [--refuse CALL=ERRNO] "
			"[--stats] -- COMMAND [ARG...]\n");
	return 2;
}

/* --stats: the supervisor's own CPU time (user + system) per traced call */
static void print_stats(void)
{
	unsigned long n = trace_call_count();
	struct rusage ru;
	double us;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	fprintf(stderr, "memaudit-trace: %lu traced calls, %.2f us of the supervisor's CPU time per call "
		"(%.2f user)\n", n, n ? us / (double)n : 0.0,
		n ? ((double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec) / (double)n : 0.0);
}

int main(int argc, char **argv)
{
	const char *dump_path = NULL, *refuse = NULL;
	struct trace_dump *dump = NULL;
	struct trace_engine *eng = NULL;
	struct trace_sink sink;
	bool symbols = true, stats = false;
	int i, st, status;
	pid_t root;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
			dump_path = argv[++i];
		} else if (strcmp(argv[i], "--stats") == 0) {
			stats = true;
		} else if (strcmp(argv[i], "--check-unwind") == 0) {
			trace_stack_check(true);
		} else if (strcmp(argv[i], "--no-symbols") == 0) {
			symbols = false;
		} else if (strcmp(argv[i], "--refuse") == 0 && i + 1 < argc) {
			refuse = argv[++i];
		} else if (argv[i][0] == '-') {
			return usage(stderr);
		} else {
			break;
		}
	}
	if (i >= argc)
		return usage(stderr);
	memset(&sink, 0, sizeof sink);
	if (dump_path || refuse) {
		dump = trace_dump_open(dump_path ? dump_path : "/dev/null", refuse, symbols);
		if (!dump)
			return 2;
		trace_dump_sink(dump, &sink);
	} else {
		eng = trace_engine_open(&st);
		if (!eng)
			return st;
		trace_engine_sink(eng, &sink);
	}
	root = trace_spawn(argv + i, &st);
	if (root < 0)
		return st;
	status = trace_run(root, &sink);
	if (stats)
		print_stats();
	trace_stack_check_report();
	if (dump && trace_dump_close(dump) != 0)
		fprintf(stderr, "memaudit-trace: %s: write error\n", dump_path);
	st = eng ? trace_engine_status(eng) : -1;
	if (eng)
		trace_engine_close(eng);
	if (st >= 0)
		return st; /* strict's status for the command's findings; the log's error */
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "memaudit-trace: %s killed by signal %d (%s)\n", argv[i], WTERMSIG(status),
			strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
