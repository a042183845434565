/* names.c: errno and advice names (see names.h). */
#include <config.h>

#include "names.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Return glibc's name for err, or NULL. */
static const char *libc_errno_name(int err)
{
#ifdef HAVE_STRERRORNAME_NP
	return strerrorname_np(err);
#else
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" },   { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EBADF, "EBADF" },   { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { ENOSPC, "ENOSPC" },
		{ ENOSYS, "ENOSYS" }, { EOVERFLOW, "EOVERFLOW" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].name;
	return NULL;
#endif
}

/* Name err into buf. */
const char *errno_name(int64_t err, char *buf, size_t len)
{
	const char *name = err > 0 && err < 4096 ? libc_errno_name((int)err) : NULL;

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "E%lld", (long long)err);
	return buf;
}

/* Name a madvise (posix = 0) or posix_madvise (posix != 0) advice value. Values are the Linux
 * uapi numbers (include/uapi/asm-generic/mman-common.h), fixed by the kernel ABI. */
const char *advice_name(int64_t advice, int posix)
{
	static const char *const madv[] = {
		[0] = "NORMAL",          [1] = "RANDOM",         [2] = "SEQUENTIAL",
		[3] = "WILLNEED",        [4] = "DONTNEED",       [8] = "FREE",
		[9] = "REMOVE",          [10] = "DONTFORK",      [11] = "DOFORK",
		[12] = "MERGEABLE",      [13] = "UNMERGEABLE",   [14] = "HUGEPAGE",
		[15] = "NOHUGEPAGE",     [16] = "DONTDUMP",      [17] = "DODUMP",
		[18] = "WIPEONFORK",     [19] = "KEEPONFORK",    [20] = "COLD",
		[21] = "PAGEOUT",        [22] = "POPULATE_READ", [23] = "POPULATE_WRITE",
		[24] = "DONTNEED_LOCKED", [25] = "COLLAPSE",
	};
	static const char *const posix_madv[] = {
		"NORMAL", "RANDOM", "SEQUENTIAL", "WILLNEED", "DONTNEED",
	};

	if (posix)
		return advice >= 0 && advice < 5 ? posix_madv[advice] : NULL;
	if (advice == 100)
		return "HWPOISON";
	if (advice == 101)
		return "SOFT_OFFLINE";
	if (advice >= 0 && advice < (int64_t)(sizeof madv / sizeof madv[0]))
		return madv[advice];
	return NULL;
}
