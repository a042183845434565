/* cancel_self: one thread, asynchronous cancellation, a loop of mlock + munlock; a timer's signal
 * handler cancels the thread itself (pthread_cancel(pthread_self())), most often while it is inside
 * the shim, which leaves cancellation alone in a process with one thread (shim/guard.h): the
 * shim's pthread_cancel must turn it off for the rest of that call, so that the thread ends
 * outside the shim (issue 13). glibc ends a cancelled main thread with exit(0): the atexit handler
 * prints "ok", and the log must end with its exit record. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

static char buf[8192] __attribute__((aligned(4096)));

static void on_alarm(int sig)
{
	(void)sig;
	pthread_cancel(pthread_self());
}

static void say_ok(void)
{
	printf("ok\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct itimerval it;
	struct sigaction sa;
	long us = argc > 1 ? atol(argv[1]) : 3000;

	atexit(say_ok);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = us;
	setitimer(ITIMER_REAL, &it, NULL);
	for (;;) {
		mlock(buf + 100, 64);
		munlock(buf + 100, 64);
	}
}
