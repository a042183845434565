/* clone_vm: clone(CLONE_VM | SIGCHLD) without CLONE_THREAD: a child process that shares the
 * parent's memory (and its thread's TLS: no CLONE_SETTLS) locks and unlocks its own buffer while the
 * parent does the same with another, then _exits 0. Only system-call wrappers run in the child
 * (clone(2): it shares the parent's malloc state, so the program itself keeps off malloc there).
 * Prints "ok" and exits 0 when the child exited 0. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 300

static char pbuf[4096] __attribute__((aligned(4096)));
static char cbuf[4096] __attribute__((aligned(4096)));

static int child(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		mlock(cbuf, 64);
		munlock(cbuf, 64);
		madvise(cbuf, 4096, MADV_DONTDUMP);
	}
	_exit(0);
}

int main(void)
{
	size_t sz = 1 << 20;
	char *stack = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i, st;
	pid_t pid;

	if (stack == MAP_FAILED)
		return 2;
	pid = clone(child, stack + sz, CLONE_VM | SIGCHLD, NULL);
	if (pid < 0)
		return 2;
	for (i = 0; i < ROUNDS; i++) {
		mlock(pbuf, 64);
		munlock(pbuf, 64);
		madvise(pbuf, 4096, MADV_DONTDUMP);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 3;
	printf("ok\n");
	return 0;
}
