/* fork_exec: the parent locks one block and forks; the fork child locks one block of its own
 * and re-executes this program (/proc/self/exe) as "fork_exec image", which locks one block and
 * exits 0. The parent waits, prints its pid and the child's pid to stderr (they differ from run to
 * run) and the child's exit status to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int lock_one(void)
{
	char *p = malloc(64);

	return p && mlock(p, 64) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	pid_t child, parent = getpid();
	int st = 0;

	if (argc > 1 && strcmp(argv[1], "image") == 0)
		return lock_one();
	if (lock_one())
		return 3;
	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 4;
	}
	if (child == 0) {
		if (lock_one())
			_exit(5);
		execl("/proc/self/exe", argv[0], "image", (char *)NULL);
		_exit(127);
	}
	if (waitpid(child, &st, 0) != child)
		return 6;
	fprintf(stderr, "parent=%ld child=%ld\n", (long)parent, (long)child);
	printf("child status=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 7;
}
