/* trace_tree: a process tree for tests/trace/tree.sh. The root locks a page, then
 *   - forks a child that locks a page and exits 3,
 *   - forks a child that execs this program as "trace_tree exec" (locks a page, exits 4),
 *   - posix_spawns this program as "trace_tree spawn" (locks a page, forks a grandchild that
 *     locks a page and exits 6, exits 5),
 *   - runs a thread that locks a page,
 * waits for all of them and prints one line per process: "ROLE PID PPID". */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void lock_one(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mlock(p, (size_t)pg) != 0) /* trace_tree: mlock site */
		exit(9);
}

static void role(const char *name)
{
	printf("%s %d %d\n", name, (int)getpid(), (int)getppid());
	fflush(stdout);
}

static void *thread_main(void *arg)
{
	lock_one();
	return arg;
}

static int wait_for(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	char *exec_argv[] = {argv[0], "exec", NULL}, *spawn_argv[] = {argv[0], "spawn", NULL};
	pthread_t t;
	pid_t a, b, c;

	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		role("exec");
		lock_one();
		return 4;
	}
	if (argc > 1 && strcmp(argv[1], "spawn") == 0) {
		role("spawn");
		lock_one();
		if ((a = fork()) == 0) {
			role("grandchild");
			lock_one();
			_exit(6);
		}
		return wait_for(a) == 6 ? 5 : 8;
	}
	role("root");
	lock_one();
	if ((a = fork()) == 0) {
		role("fork");
		lock_one();
		_exit(3);
	}
	if ((b = fork()) == 0) {
		execv(argv[0], exec_argv);
		_exit(7);
	}
	if (posix_spawn(&c, argv[0], NULL, NULL, spawn_argv, environ) != 0)
		return 2;
	if (pthread_create(&t, NULL, thread_main, NULL) != 0 || pthread_join(t, NULL) != 0)
		return 2;
	printf("status %d %d %d\n", wait_for(a), wait_for(b), wait_for(c));
	return 0;
}
