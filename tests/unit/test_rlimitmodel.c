/* test_rlimitmodel.c: setrlimit of a simulated RLIMIT_MEMLOCK against do_prlimit() (kernel/sys.c)
 * for a process without CAP_SYS_RESOURCE: `ulimit -l 64` gives soft = hard = 64 KiB. */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "policy/rlimitmodel.h"
#include "tap.h"

#define K 1024u
#define INF RLIMITMODEL_INFINITY

int main(void)
{
	struct rlim_pair now = {64 * K, 64 * K}, want;

	want = (struct rlim_pair){32 * K, 64 * K};
	is_int(rlimitmodel_set(&now, &want), 0, "lowering the soft limit is allowed");
	ok(now.cur == 32 * K && now.max == 64 * K, "... and takes effect");
	want = (struct rlim_pair){64 * K, 64 * K};
	is_int(rlimitmodel_set(&now, &want), 0, "raising the soft limit back up to the hard one");
	ok(now.cur == 64 * K, "... takes effect");
	want = (struct rlim_pair){128 * K, 64 * K};
	is_int(rlimitmodel_set(&now, &want), EINVAL, "soft above hard: EINVAL");
	want = (struct rlim_pair){128 * K, 128 * K};
	is_int(rlimitmodel_set(&now, &want), EPERM, "raising the hard limit: EPERM");
	want = (struct rlim_pair){INF, INF};
	is_int(rlimitmodel_set(&now, &want), EPERM, "raising it to unlimited: EPERM");
	ok(now.cur == 64 * K && now.max == 64 * K, "a refused call changes nothing");
	want = (struct rlim_pair){256 * K, 64 * K};
	is_int(rlimitmodel_set(&now, &want), EINVAL, "EINVAL is checked before EPERM");
	want = (struct rlim_pair){16 * K, 32 * K};
	is_int(rlimitmodel_set(&now, &want), 0, "lowering the hard limit is allowed");
	want = (struct rlim_pair){64 * K, 64 * K};
	is_int(rlimitmodel_set(&now, &want), EPERM, "... irreversibly");
	ok(now.cur == 16 * K && now.max == 32 * K, "the lowered pair stays");
	want = (struct rlim_pair){0, 0};
	is_int(rlimitmodel_set(&now, &want), 0, "limit 0 is allowed (mlock then gives EPERM)");

	now = (struct rlim_pair){64 * K, INF};
	want = (struct rlim_pair){INF, INF};
	is_int(rlimitmodel_set(&now, &want), 0, "soft up to an unlimited hard limit");

	is_int(rlimitmodel_bytes(INF), -1, "infinity is unlimited for the lock model");
	is_int(rlimitmodel_bytes(65536), 65536, "bytes are bytes");
	ok(rlimitmodel_bytes(UINT64_MAX - 1) == -1, "beyond LLONG_MAX: unlimited");
	ok(rlimitmodel_value(-1) == INF, "unlimited is infinity");
	ok(rlimitmodel_value(32768) == 32768, "and back");
	plan(tap_count);
	return done_testing();
}
