/* longpath: a program whose debug information names its source file by a path of more than 150
 * characters, with spaces in it, and whose functions have long names, for the tests of long lines
 * in the text report (tests/report/long-lines.sh, a pipe; tests/report/wrap-tty.sh, a terminal).
 * The #line directive gives the functions below that file name (the file does not exist, and the
 * report needs only the name). It locks a heap object (a lock-heap finding with this stack) and
 * never unlocks it (lock-leak). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int lock_the_secret_key_material_of_the_session_with_a_name_long_enough_for_any_terminal(char *);
int keep_a_secret_in_memory_that_never_reaches_swap(void);

#line 1 "/nonexistent/a source tree at a depth/that CI runners and distcheck reach/memaudit-0.1.0/_build/sub/a directory with spaces in its name/tests/report/longpath.c"
__attribute__((noinline)) int
lock_the_secret_key_material_of_the_session_with_a_name_long_enough_for_any_terminal(char *p)
{
	volatile int r = mlock(p, 64); /* line 4 of the file that #line names; volatile: no tail call */

	return r;
}

__attribute__((noinline)) int keep_a_secret_in_memory_that_never_reaches_swap(void)
{
	char *secret = malloc(64);

	if (!secret)
		return 1;
	memset(secret, 0, 64);
	return lock_the_secret_key_material_of_the_session_with_a_name_long_enough_for_any_terminal(
		secret) != 0;
}

int main(void)
{
	return keep_a_secret_in_memory_that_never_reaches_swap();
}
