/* sig_alloc: a SIGALRM handler at 10 kHz that allocates and frees, while the main thread loops on
 * malloc + mlock + munlock + free for DURATION_MS (argv[1], default 200). Under the shim the handler
 * often interrupts an audited call (tests/stress/sig_alloc.sh): it must not wait on anything the
 * shim holds on this thread (signal-safety(7)). Exits 0 when the loop ends. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	void *p = malloc(48 + (handled & 63));

	(void)sig;
	if (p) {
		memset(p, 1, 48);
		free(p);
	}
	handled++;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long duration = argc > 1 ? atol(argv[1]) : 200;
	struct itimerval it = {{0, 100}, {0, 100}};
	struct sigaction sa;
	sigset_t alrm;
	long long end;
	unsigned long n = 0;

	/* glibc's first malloc in a thread sets up its tcache under the arena's lock, even in a
	 * single-threaded process: a handler's malloc that interrupts that one waits for ever, with or
	 * without the shim (whose own allocations before main do not go to glibc's heap). Done before
	 * the timer starts, the program is one that allocates in handlers safely enough with glibc. */
	free(malloc(1));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	end = now_ms() + duration;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	while (now_ms() < end) {
		/* The program's own malloc and free run with SIGALRM blocked: glibc's malloc is not
		 * reentrant (signal-safety(7)), and in a single-threaded process it takes no lock, so a
		 * handler's malloc interrupting it corrupts the heap with or without the shim (1 run in
		 * about 100 aborted in sysmalloc's assertion). What is tested is the shim: the handler
		 * interrupts the audited mlock and munlock, inside the shim's wrappers and its own
		 * allocator. */
		sigprocmask(SIG_BLOCK, &alrm, NULL);
		char *p = malloc(64 + (n & 255));
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
		if (!p)
			return 2;
		p[0] = 1;
		mlock(p, 64);
		munlock(p, 64);
		sigprocmask(SIG_BLOCK, &alrm, NULL);
		free(p);
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
		n++;
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	printf("done\n");
	return 0;
}
