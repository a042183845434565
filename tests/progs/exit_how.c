/* exit_how HOW STATUS: one mlock, then leave by HOW: "return" from main, "exit", "_exit", "_Exit";
 * or "vfork": a vfork child leaves with _exit(STATUS + 1) (it shares the parent's memory: it must not
 * end the parent's log), then the parent locks once more and returns STATUS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "return";
	int status = argc > 2 ? atoi(argv[2]) : 0;
	char *p = malloc(32);

	if (!p || mlock(p, 32) != 0)
		return 100;
	printf("leaving by %s with %d\n", how, status);
	fflush(stdout);
	if (strcmp(how, "_exit") == 0)
		_exit(status);
	if (strcmp(how, "_Exit") == 0)
		_Exit(status);
	if (strcmp(how, "exit") == 0)
		exit(status);
	if (strcmp(how, "vfork") == 0) {
		int st;
		pid_t c = vfork();
		if (c == 0)
			_exit(status + 1);
		if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != status + 1)
			return 101;
		if (mlock(p, 32) != 0)
			return 102;
	}
	return status;
}
