/* symbolize.h: turns (module file, offset) into function, source file and line with elfutils
 * libdwfl.
 *
 * One symbolizer serves all logs of a report: each module file is read once however many logs and
 * paths name it (elf_files.h: by device and inode, with at most ELF_FILES_OPEN files open at a
 * time), and every looked-up address is cached. Only regular files are opened (a hostile log
 * naming a FIFO or a device cannot block or hurt the tool). A file whose build id differs from the
 * log's, or that has none when the log recorded one, is not trusted (the binary changed since the
 * run): its frames keep module and offset only, and the lookup reports why.
 *
 * Where the DWARF describes inlined calls at an address, one address becomes several frames, as
 * eu-addr2line -i and gdb show them: each inlined call (function, file:line inside it, marked
 * inlined), innermost first, then the function they were all inlined into, at the line of the
 * outermost inlined call.
 */
#ifndef MEMAUDIT_TOOLS_SYMBOLIZE_H
#define MEMAUDIT_TOOLS_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A frame as the report shows it. Strings belong to the symbolizer or to the log. */
struct ma_sym_frame {
	const char *function; /* NULL when unknown; a C++ name demangled ("ns::f(int)") */
	const char *symbol;   /* the symbol table's name when function is its demangled form, else
			       * NULL (the shim knows only that one: suppressions match both) */
	const char *file;     /* NULL when unknown */
	int line;             /* 0 when unknown */
	const char *module;   /* path; NULL for a frame outside every known module */
	uint64_t offset;      /* from the module's load bias (absolute when module is NULL) */
	bool inlined;         /* a call inlined into the next frame (same module and offset) */
};

#define MA_SYM_MAX_INLINE 64 /* inlined frames kept per address; deeper chains are cut */

/* What a lookup found out about the module file, beyond the frame itself. */
enum ma_sym_status {
	MA_SYM_OK,           /* opened; symbols (when there are any) are trusted */
	MA_SYM_UNAVAILABLE,  /* no file to open (not an absolute path: vdso, anonymous) */
	MA_SYM_CANNOT_OPEN,  /* absolute path that cannot be opened or is not an ELF file */
	MA_SYM_BUILD_ID,     /* the file's build id differs from the one in the log */
	MA_SYM_BUDGET,       /* not read: its debug information is over the budget (elf_files.h) */
};

struct ma_sym;

/* Create a symbolizer (never NULL). */
struct ma_sym *ma_sym_new(void);
/* Set the budget of debug information per module file, in bytes (elf_files.h): a file with more
 * is not read (MA_SYM_BUDGET), a separate debug file that would take one over it is not used. */
void ma_sym_set_budget(struct ma_sym *sym, uint64_t bytes);
/* Close every module file and free all results; frames returned earlier become invalid. */
void ma_sym_free(struct ma_sym *sym);

/* Set *frames and *n to the frames for offset in the module file path whose build id the log gave
 * as build_id (NULL = unknown: not checked): the inlined calls there, innermost first, then the
 * function (*n >= 1; only the last frame is not inlined). return_address says offset is a return
 * address: the call instruction at offset - 1 is looked up (the report treats every logged frame
 * so). The frames belong to the symbolizer. Returns what is known about the file; *detail (may be
 * NULL) then points to an explanation owned by the symbolizer: why the file is not MA_SYM_OK, or
 * for MA_SYM_OK, that its separate debug file was over the budget (NULL otherwise). */
enum ma_sym_status ma_sym_lookup(struct ma_sym *sym, const char *path, const char *build_id,
				 uint64_t offset, bool return_address,
				 const struct ma_sym_frame **frames, size_t *n, const char **detail);

/* What ma_sym_lookup would return and set *detail to for offset in path (build id build_id),
 * without symbolizing it, when that can be known without loading its symbols or debug
 * information: returns true then. False when only the lookup can tell (it would be the first to
 * refuse the module's separate debug file as over the budget, which sets the detail). */
bool ma_sym_status_only(struct ma_sym *sym, const char *path, const char *build_id,
			uint64_t offset, bool return_address, enum ma_sym_status *status,
			const char **detail);

#endif
