/* free_locked: malloc(64), mlock it, free it while still locked (rule lock-freed). Prints the
 * block's address in decimal so the test can find its free event. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(void)
{
	char *p = malloc(64);

	if (!p || mlock(p, 64) != 0)
		return 1;
	printf("%lu\n", (unsigned long)(uintptr_t)p);
	fflush(stdout);
	free(p); /* free_locked: free site */
	return 0;
}
