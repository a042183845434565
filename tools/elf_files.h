/* elf_files.h: the module files the symbolizer reads, each opened with libdwfl once per file on
 * disk and kept open only while recently used.
 *
 * A report of many logs names many module files (a directory of logs from a thousand different
 * programs names a thousand executables), and a log can name one file by many paths
 * (/lib/libc.so.6, /lib//libc.so.6, /lib/./libc.so.6, ...). So files are told apart by device
 * and inode, not by path: each is read once however it is named. And at most ELF_FILES_OPEN are
 * open at a time (each holds one or two descriptors and its debug information): the least
 * recently used one is closed first, and opened again by its path if it is needed again. Only
 * regular files are opened; a FIFO or a device named by a log cannot block or hurt the tool.
 */
#ifndef MEMAUDIT_TOOLS_ELF_FILES_H
#define MEMAUDIT_TOOLS_ELF_FILES_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ELF_FILES_OPEN 64

struct ma_symtab;

/* One module file. The libdwfl fields are valid only after elf_files_use. */
struct elf_file {
	char *path;             /* the path it was first opened by, and is opened again by */
	dev_t dev;
	ino_t ino;
	char *build_id;         /* the file's NT_GNU_BUILD_ID in lower-case hex, or NULL */
	Dwfl *dwfl;             /* NULL while closed */
	Dwfl_Module *mod;
	Dwarf_Addr low, high;   /* the module's address range, in ELF virtual addresses */
	struct ma_symtab *symtab; /* its symbols by address, read on first use while open */
	uint64_t last_used;     /* when it was last used, to close the least recently used */
	bool gone;              /* it could not be opened again (replaced or removed) */
};

struct elf_files;

/* Create an empty set of files (never NULL). */
struct elf_files *elf_files_new(void);
/* Close and free every file. */
void elf_files_free(struct elf_files *e);

/* Open the module file at path, or find it among those opened already (by device and inode).
 * Returns its index, or SIZE_MAX with *why (a static or strerror text) when it cannot be read:
 * not an absolute path, cannot be opened, not a regular file, not ELF. */
size_t elf_files_open(struct elf_files *e, const char *path, const char **why);
/* Return file i, open (opened again if it was closed), or NULL when it cannot be any more. */
struct elf_file *elf_files_use(struct elf_files *e, size_t i);
/* Return file i as it is (maybe closed): for its path and build id. */
const struct elf_file *elf_files_get(const struct elf_files *e, size_t i);

#endif
