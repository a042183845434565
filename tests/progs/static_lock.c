/* static_lock: a static function locks a heap block (a lock-heap warning); main calls it. The
 * executable exports neither function, so only its .symtab names them (tests/policy/warn_stack.sh). */
#include <stdlib.h>
#include <sys/mman.h>

static int lock_secret(size_t len)
{
	char *key = malloc(len);

	return key && mlock(key, len) == 0 ? 0 : 1;
}

int main(void)
{
	return lock_secret(64);
}
