/* procfs.h: the few /proc facts the shim reads, without stdio or the application's heap. */
#ifndef MEMAUDIT_SHIM_PROCFS_H
#define MEMAUDIT_SHIM_PROCFS_H

#include <sys/types.h>

/* Read up to cap bytes of a (proc) file into buf; returns the byte count or -1. */
ssize_t procfs_read(const char *path, char *buf, size_t cap);

/* Call fn for each line of a (proc) file, without its newline; a line longer than 4 KiB is cut
 * there. Static buffers: the state lock must be held. Returns 0, or -1 when unreadable. */
int procfs_lines(const char *path, void (*fn)(char *line, void *arg), void *arg);

/* /proc/sys/vm/max_map_count, or 65530 (DEFAULT_MAX_MAP_COUNT) when unreadable. */
long procfs_max_map_count(void);

#endif
