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

/* The debug information a module file may cost (issue 10, item 15): libdw holds every debug section
 * decompressed in memory while the file is open, and a 1 MiB file can hold a compressed section
 * that says it is 1 GiB, and is. So before libdwfl reads a file, its debug sections are measured
 * from their headers (the size after decompression: Elf64_Chdr ch_size of an SHF_COMPRESSED
 * section, the size after "ZLIB" of a .zdebug_ one, sh_size of the others): a file with more
 * than the module budget is not read at all (its frames show module+offset, and the report says
 * why), a separate debug file (.gnu_debuglink, /usr/lib/debug) that would take its module over it
 * is not used, and files are closed, least recently used first, so that the files open at a time
 * hold at most ELF_FILES_REPORT_BUDGETS module budgets. */
#define ELF_FILES_DEFAULT_BUDGET (UINT64_C(256) << 20)
#define ELF_FILES_REPORT_BUDGETS 2

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
	uint64_t debug_bytes;   /* the debug information it holds open (itself and a debug file) */
	uint64_t debug_skipped; /* bytes of a separate debug file that was not used (over budget) */
	bool debug_fits;        /* elf_files_debug_over_budget said no (once is enough) */
	struct elf_file_ref *ref; /* who it is, for libdwfl's find_debuginfo callback */
};

struct elf_files;

/* Create an empty set of files (never NULL). */
struct elf_files *elf_files_new(void);
/* Close and free every file. */
void elf_files_free(struct elf_files *e);

/* Set the module budget, in bytes of debug information (default ELF_FILES_DEFAULT_BUDGET). */
void elf_files_set_budget(struct elf_files *e, uint64_t bytes);
/* Return the module budget. */
uint64_t elf_files_budget(const struct elf_files *e);

/* Open the module file at path, or find it among those opened already (by device and inode).
 * Returns its index, or SIZE_MAX with *why (a static or strerror text) when it cannot be read:
 * not an absolute path, cannot be opened, not a regular file, not ELF, or its debug information
 * is over the module budget (*over_budget is then its size in bytes, otherwise 0). */
size_t elf_files_open(struct elf_files *e, const char *path, const char **why,
		      uint64_t *over_budget);
/* Return file i, open (opened again if it was closed), or NULL when it cannot be any more. */
struct elf_file *elf_files_use(struct elf_files *e, size_t i);
/* Return file i as it is (maybe closed): for its path and build id. */
const struct elf_file *elf_files_get(const struct elf_files *e, size_t i);
/* Return whether libdwfl's search for a separate debug file of f (open: elf_files_use), when it
 * has not run yet, would refuse the one it finds as over the budget (setting f->debug_skipped):
 * the same measure as the search's, taken without searching or loading anything. A no is kept
 * (the candidate files are measured once per file). */
bool elf_files_debug_over_budget(const struct elf_files *e, struct elf_file *f);

#endif
