/* remove_dir.c: see remove_dir.h. */
#include <config.h>

#include "remove_dir.h"

#include <ftw.h>
#include <unistd.h>

static int failed;

/* nftw callback, children before their directory (FTW_DEPTH): remove the entry. */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) != 0)
		failed = 1;
	return 0;
}

int ma_remove_dir(const char *path)
{
	failed = 0;
	/* FTW_PHYS: a link is an entry of its own; FTW_MOUNT: stay on the directory's file system. */
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0)
		return -1;
	return failed ? -1 : 0;
}
