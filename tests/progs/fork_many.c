/* fork_many: the parent forks N children (argv[1], default 50) one after the other. Each child
 * locks one heap block and, when its number is odd, also asks MADV_DONTDUMP for an unaligned
 * address (EINVAL), then exits 0. After waiting for all of them the parent does the same work
 * as child 0, from a call site of its own. Nothing is unlocked. Prints the number of children
 * that exited 0. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static char page[8192] __attribute__((aligned(4096)));

static void lock_one(void)
{
	char *p = malloc(64);

	if (!p || mlock(p, 64) != 0)
		perror("mlock");
}

static void work(int i)
{
	lock_one();
	if (i % 2)
		madvise(page + 16, 64, MADV_DONTDUMP); /* fails with EINVAL: not page-aligned */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50, ok = 0;

	for (int i = 0; i < n; i++) {
		pid_t child = fork();
		int st;

		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0) {
			work(i);
			exit(0);
		}
		if (waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	work(0);
	printf("%d children exited 0\n", ok);
	return 0;
}
