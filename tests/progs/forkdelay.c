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

	for (int i = 0; i < 5000 && getppid() == forking; i++)
		nanosleep(&ms, NULL);
}

__attribute__((constructor)) static void forkdelay_init(void)
{
	pthread_atfork(prepare, NULL, child);
}
