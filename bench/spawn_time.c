/* spawn_time.c: the wall time of a whole command, for start-up and whole-build benchmarks.
 *
 * Usage: spawn_time N [VAR=VALUE]... COMMAND [ARG]...
 * Runs COMMAND N times, one after the other, with the VAR=VALUE assignments added to its
 * environment only (not to spawn_time's: LD_PRELOAD=... measures the library in COMMAND alone),
 * its standard output and error on /dev/null. Prints "spawn_time: <ns> ns/op", the mean over the
 * N runs. Exits 1 when a run fails (status not 0), naming the status.
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "now_ns.h"

extern char **environ;

/* Whether one of the n assignments a[] sets the variable of entry e ("NAME=..."). */
static int assigned(char **a, int n, const char *e)
{
	size_t len = strcspn(e, "=");
	int j;

	for (j = 0; j < n; j++)
		if (strncmp(a[j], e, len) == 0 && a[j][len] == '=')
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 2 ? strtoul(argv[1], NULL, 10) : 0, i;
	posix_spawn_file_actions_t fa;
	size_t nenv = 0, k;
	char **envp;
	int first = 2, status, err;
	uint64_t t0, t1;
	pid_t pid;

	while (first < argc && strchr(argv[first], '=') && argv[first][0] != '=')
		first++;
	if (n == 0 || first >= argc) {
		fprintf(stderr, "usage: spawn_time N [VAR=VALUE]... COMMAND [ARG]...\n");
		return 2;
	}
	while (environ[nenv])
		nenv++;
	if (!(envp = calloc(nenv + (size_t)(first - 2) + 1, sizeof *envp)))
		return 1;
	for (k = 0; k < (size_t)(first - 2); k++)
		envp[k] = argv[2 + k];
	for (i = 0; environ[i]; i++) /* the inherited, less those assigned (ld.so takes the last) */
		if (!assigned(argv + 2, first - 2, environ[i]))
			envp[k++] = environ[i];
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0)
		return 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if ((err = posix_spawnp(&pid, argv[first], &fa, NULL, argv + first, envp)) != 0) {
			fprintf(stderr, "spawn_time: %s: %s\n", argv[first], strerror(err));
			return 1;
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "spawn_time: %s failed (wait status %#x)\n", argv[first], status);
			return 1;
		}
	}
	t1 = now_ns();
	printf("spawn_time: %.1f ns/op (%lu runs of %s)\n", (double)(t1 - t0) / (double)n, n,
	       argv[first]);
	return 0;
}
