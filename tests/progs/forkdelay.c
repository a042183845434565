/* forkdelay: preloaded after the shim (LD_PRELOAD="shim forkdelay"), it makes every fork child
 * wait, before the shim writes the child's log header, until its parent has exited (5 seconds at
 * most): the race of a daemon whose parent exits first, made certain (tests/integration/orphan.sh).
 *
 * Its constructor runs before the shim's: ld.so initializes objects that do not depend on each
 * other in the reverse of their load order (glibc elf/dl-init.c runs l_initfini backwards), and
 * the shim registers its atfork handlers in its constructor. Child handlers run in the order they
 * were registered (pthread_atfork(3)), so this one runs first. It calls nothing the shim wraps. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pid_t forking; /* the pid that called fork(): the child's parent */

static void prepare(void)
{
	forking = getpid();
}

static void child(void)
{
	struct timespec ms = {0, 1000000};

	struct timespec margin = {0, 20000000};

	for (int i = 0; i < 5000 && getppid() == forking; i++)
		nanosleep(&ms, NULL);
	/* then 20 ms more: orphan.sh compares the child's header time (CLOCK_REALTIME) with the
	 * parent's exit (its start plus a CLOCK_MONOTONIC offset); the two clocks may drift apart by
	 * tens of microseconds over a run (NTP slewing), which a margin of 20 ms dwarfs */
	nanosleep(&margin, NULL);
}

__attribute__((constructor)) static void forkdelay_init(void)
{
	pthread_atfork(prepare, NULL, child);
}
