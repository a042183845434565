/* test_envparse.c: the accepted values of the MEMAUDIT_* variables (policy/envparse.c). */
#include "config.h"

#include "policy/envparse.h"
#include "tap.h"

int main(void)
{
	long long v = 0;
	size_t ps = 0;
	long n = 0;
	int p = -1;

	ok(envparse_policy("strict", &p) == 0 && p == 4, "strict is policy 4");
	ok(envparse_policy("off", &p) == 0 && p == 0, "off is policy 0");
	ok(envparse_policy("Strict", &p) == -1, "policy names are case-sensitive");
	ok(envparse_policy("", &p) == -1, "empty policy refused");

	ok(envparse_argv("full", &p) == 0 && p == ENVPARSE_ARGV_FULL, "argv full");
	ok(envparse_argv("first", &p) == 0 && p == ENVPARSE_ARGV_FIRST, "argv first");
	ok(envparse_argv("First", &p) == -1, "argv values are case-sensitive");
	ok(envparse_argv("", &p) == -1, "empty argv value refused");
	ok(envparse_argv("none", &p) == -1, "argv none refused");

	ok(envparse_size("65536", &v) == 0 && v == 65536, "plain bytes");
	ok(envparse_size("64K", &v) == 0 && v == 65536, "K suffix is 1024");
	ok(envparse_size("8m", &v) == 0 && v == 8 << 20, "m suffix is 2^20");
	ok(envparse_size("1G", &v) == 0 && v == 1 << 30, "G suffix");
	ok(envparse_size("unlimited", &v) == 0 && v == -1, "unlimited is -1");
	ok(envparse_size("0", &v) == 0 && v == 0, "zero is a limit (EPERM territory)");
	ok(envparse_size("64KiB", &v) == -1, "KiB refused");
	ok(envparse_size("-1", &v) == -1, "negative refused");
	ok(envparse_size(" 64", &v) == -1, "leading space refused");
	ok(envparse_size("64 ", &v) == -1, "trailing junk refused");
	ok(envparse_size("", &v) == -1, "empty refused");
	ok(envparse_size("99999999999999999999", &v) == -1, "overflow refused");
	ok(envparse_size("9999999999G", &v) == -1, "overflow after the suffix refused");

	ok(envparse_page_size("16384", 4096, &ps) == 0 && ps == 16384, "16 KiB pages");
	ok(envparse_page_size("64K", 4096, &ps) == 0 && ps == 65536, "64K pages");
	ok(envparse_page_size("2048", 4096, &ps) == -1, "smaller than the real page refused");
	ok(envparse_page_size("12288", 4096, &ps) == -1, "not a power of two refused");

	ok(envparse_count("65530", 1, 1L << 30, &n) == 0 && n == 65530, "count");
	ok(envparse_count("0", 1, 10, &n) == -1, "below range refused");
	ok(envparse_count("1x", 1, 10, &n) == -1, "junk refused");

	ok(envparse_run_id("4711.1732900000-a_B") == 0, "run id");
	ok(envparse_run_id("") == -1, "empty run id refused");
	ok(envparse_run_id("a b") == -1, "run id with a blank refused");
	ok(envparse_run_id("a\"b") == -1, "run id with a quote refused");
	ok(envparse_run_id("0123456789012345678901234567890123456789012345678901234567890123") == 0,
	   "64-character run id");
	ok(envparse_run_id("01234567890123456789012345678901234567890123456789012345678901234") == -1,
	   "65-character run id refused");

	plan(tap_count);
	return done_testing();
}
