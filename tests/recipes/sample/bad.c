/* bad.c: a test of the sample project that misuses mlock the way memaudit exists to catch: a
 * secret on the heap is locked, then freed while still locked (lock-freed, an error). The test
 * itself passes: only a run under memaudit fails it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	char *key = malloc(32);

	if (!key || mlock(key, 32) != 0)
		return 1;
	memset(key, 0x5a, 32);
	explicit_bzero(key, 32);
	free(key); /* still locked: memaudit reports lock-freed here */
	puts("bad: ok");
	return 0;
}
