/* test_lockmodel.c: RLIMIT_MEMLOCK decisions against hand-computed cases (mm/mlock.c) and the
 * figures measured on this machine (KERNEL.md: 1352nd mlock fails at 64 KiB, 670th at 32 KiB). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "policy/lockmodel.h"
#include "tap.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* A limit in the order of what it allows: -1 (unlimited) above all. */
static unsigned long long key(long long limit)
{
	return limit < 0 ? ~0ull : (unsigned long long)limit;
}

/* The engine's what-if shortcut (policy/engine/call.c, decide) relies on this: a limit that lets
 * a call through lets every larger limit through. Random limits around page multiples, random
 * demands; returns the violations. */
static int monotone_violations(void)
{
	static const long long lims[] = {-1, 0, 1, 4095, 4096, 4097, 8192, 32768, 65535, 65536, 1 << 20,
					 8 << 20, 1LL << 40};
	static const int flags[] = {MCL_CURRENT, MCL_FUTURE, MCL_CURRENT | MCL_FUTURE,
				    MCL_CURRENT | MCL_ONFAULT, MCL_ONFAULT, 0, 64};
	const size_t n = sizeof lims / sizeof lims[0], ps = 4096;
	uint64_t x = 88172645463325252ull;
	int bad = 0;

	for (int k = 0; k < 20000; k++) {
		size_t locked, charge, vm;
		long long a, b;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		a = lims[x % n];
		b = lims[(x >> 8) % n];
		if (key(a) > key(b)) {
			long long t = a;

			a = b;
			b = t;
		}
		locked = (size_t)((x >> 16) % 300);
		charge = (size_t)((x >> 32) % 300);
		vm = (size_t)((x >> 40) % 300) * ps;
		if (k % 97 == 0)
			charge = SIZE_MAX - locked / 2; /* a wrapped count (policy/pages.h) */
		bad += !lockmodel_mlock(a, ps, locked, charge) && lockmodel_mlock(b, ps, locked, charge);
		bad += !lockmodel_map_locked(a, ps, locked, charge) &&
		       lockmodel_map_locked(b, ps, locked, charge);
		for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
			bad += !lockmodel_mlockall(flags[f], a, ps, vm) && lockmodel_mlockall(flags[f], b, ps, vm);
	}
	return bad;
}

int main(void)
{
	const size_t ps = 4096;

	is_int(lockmodel_limit_pages(65536, ps), 16, "64 KiB is 16 pages");
	is_int(lockmodel_limit_pages(65535, ps), 15, "the limit is rounded down to pages");
	ok(lockmodel_limit_pages(-1, ps) == SIZE_MAX, "unlimited");
	is_int(lockmodel_limit_pages(65536, 16384), 4, "with 16 KiB pages, 64 KiB is 4 pages");

	is_int(lockmodel_mlock(65536, ps, 15, 1), 0, "the 16th page fits a 64 KiB limit");
	is_int(lockmodel_mlock(65536, ps, 16, 1), ENOMEM, "the 17th page does not");
	is_int(lockmodel_mlock(65536, ps, 16, 0), 0, "re-locking locked pages costs nothing");
	is_int(lockmodel_mlock(65536, ps, 0, 17), ENOMEM, "one call over the limit");
	is_int(lockmodel_mlock(65536, ps, 0, 16), 0, "one call exactly at the limit");
	is_int(lockmodel_mlock(0, ps, 0, 0), EPERM, "limit 0: EPERM even for nothing (can_do_mlock)");
	is_int(lockmodel_mlock(0, ps, 0, 1), EPERM, "limit 0: EPERM, not ENOMEM");
	is_int(lockmodel_mlock(4095, ps, 0, 1), ENOMEM, "a limit below one page locks nothing, ENOMEM");
	is_int(lockmodel_mlock(-1, ps, 1u << 30, 1u << 30), 0, "unlimited");
	is_int(lockmodel_mlock(32768, ps, 8, 1), ENOMEM, "32 KiB: the 9th page fails");
	is_int(lockmodel_mlock(8 << 20, ps, 2047, 1), 0, "8 MiB: page 2048 fits");
	is_int(lockmodel_mlock(8 << 20, ps, 2048, 1), ENOMEM, "8 MiB: page 2049 does not");
	is_int(lockmodel_mlock(65536, ps, SIZE_MAX - 1, 2), ENOMEM, "no overflow in locked + charge");

	is_int(lockmodel_mlock2_flags(0), 0, "mlock2 flags 0");
	is_int(lockmodel_mlock2_flags(1), 0, "mlock2 MLOCK_ONFAULT");
	is_int(lockmodel_mlock2_flags(2), EINVAL, "mlock2 unknown flag");

	is_int(lockmodel_mlockall(0, 65536, ps, 1 << 20), EINVAL, "mlockall(0)");
	is_int(lockmodel_mlockall(MCL_ONFAULT, 65536, ps, 1 << 20), EINVAL, "MCL_ONFAULT alone");
	is_int(lockmodel_mlockall(0x100, 65536, ps, 1 << 20), EINVAL, "unknown bit");
	is_int(lockmodel_mlockall(MCL_CURRENT, 0, ps, 4096), EPERM, "limit 0: EPERM");
	is_int(lockmodel_mlockall(MCL_CURRENT, 65536, ps, 2u << 20), ENOMEM,
	       "MCL_CURRENT is checked against the whole address space, not what is resident");
	is_int(lockmodel_mlockall(MCL_CURRENT, 65536, ps, 65536), 0, "a tiny address space fits");
	is_int(lockmodel_mlockall(MCL_FUTURE, 65536, ps, 2u << 20), 0, "MCL_FUTURE alone is not checked now");
	is_int(lockmodel_mlockall(MCL_CURRENT | MCL_ONFAULT, 65536, ps, 2u << 20), ENOMEM,
	       "MCL_ONFAULT saves no budget");
	is_int(lockmodel_mlockall(MCL_CURRENT, -1, ps, 1ull << 40), 0, "unlimited");

	is_int(lockmodel_map_locked(65536, ps, 10, 6), 0, "MAP_LOCKED up to the limit");
	is_int(lockmodel_map_locked(65536, ps, 10, 7), EAGAIN, "MAP_LOCKED over it: EAGAIN, not ENOMEM");
	is_int(lockmodel_map_locked(0, ps, 0, 1), EAGAIN, "limit 0 and a mapping: EAGAIN");

	is_int(monotone_violations(), 0, "a limit that lets a call through lets every larger one through");
	plan(tap_count);
	return done_testing();
}
