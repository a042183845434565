/* symprog: a program the report tests symbolize against. It is never run for its behaviour: the
 * tests write fixture logs whose stacks point into this binary (offsets from nm) and check that
 * memaudit-report names these functions and their source lines. Built with -g; noinline keeps
 * each function a symbol of its own. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Global (not static), so that the optimizer keeps their names: the test looks them up with nm. */
int lock_secret(char *buf, size_t len);
int hide_secret(char *buf, size_t len);
void keep_secret(char *buf, size_t len);

__attribute__((noinline)) int lock_secret(char *buf, size_t len)
{
	return mlock(buf, len);
}

__attribute__((noinline)) int hide_secret(char *buf, size_t len)
{
	return madvise(buf, len, MADV_DONTDUMP);
}

__attribute__((noinline)) void keep_secret(char *buf, size_t len)
{
	if (lock_secret(buf, len) != 0)
		perror("mlock");
	if (hide_secret(buf, len) != 0)
		perror("madvise");
}

int main(void)
{
	static char secret[4096] __attribute__((aligned(4096)));

	keep_secret(secret, sizeof secret);
	memset(secret, 0, sizeof secret);
	return 0;
}
