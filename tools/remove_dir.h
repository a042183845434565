/* remove_dir.h: memaudit-report --remove-dir, the launcher's temporary log directory removed by
 * the report that read it (what `rm -rf` did after it: a process less at every launch). */
#ifndef MEMAUDIT_TOOLS_REMOVE_DIR_H
#define MEMAUDIT_TOOLS_REMOVE_DIR_H

/* Remove the directory path and everything under it, as rm -rf does (symbolic links are removed,
 * never followed; other file systems mounted below are not entered). Returns 0, or -1 when
 * something was left (the launcher then runs rm itself). */
int ma_remove_dir(const char *path);

#endif
