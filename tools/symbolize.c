/* symbolize.c: module file + offset -> function, file:line with libdwfl (see symbolize.h). */
#include <config.h>

#include "symbolize.h"
#include "demangle.h"
#include "elf_files.h"
#include "idmap.h"
#include "symtab.h"
#include "tools/dwarf_line.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* One (path, build id) pair that a log names: its file and what the report says about it. */
struct modfile {
	char *path, *build_id;
	enum ma_sym_status status;
	char *detail;        /* why it is not MA_SYM_OK (malloc'd), or NULL */
	size_t file;         /* index in the elf_files when MA_SYM_OK */
};

/* The frames of one looked-up (file, offset). Every string is a copy owned here (the module file
 * may be closed later, elf_files.h), except the module path, which the modfile owns. */
struct symbol {
	struct ma_sym_frame *frames;
	size_t nframes, frames_cap;
	char **owned;
	size_t nowned, owned_cap;
};

struct ma_sym {
	struct elf_files *elves;
	struct modfile *files;
	size_t nfiles, files_cap;
	struct idmap file_ids;   /* (hash(path), hash(build id)) -> first modfile with that hash */
	struct symbol *symbols;
	size_t nsymbols, symbols_cap;
	struct idmap symbol_ids; /* (2 * modfile index + return_address, offset) -> symbol index */
};

/* Return whether two possibly-NULL strings are equal. */
static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Create an empty symbolizer. */
struct ma_sym *ma_sym_new(void)
{
	struct ma_sym *sym = xcalloc(1, sizeof *sym);

	sym->elves = elf_files_new();
	idmap_init(&sym->file_ids);
	idmap_init(&sym->symbol_ids);
	return sym;
}

/* Set the module budget; see symbolize.h. */
void ma_sym_set_budget(struct ma_sym *sym, uint64_t bytes)
{
	elf_files_set_budget(sym->elves, bytes);
}

/* Return n bytes in MiB, rounded up (so that a size over the budget never shows as equal). */
static unsigned long long mib(uint64_t n)
{
	return (unsigned long long)(n >> 20) + ((n & ((1u << 20) - 1)) != 0);
}

/* Return "symbols of PATH skipped: ..." (malloc'd): what the report says of a module file whose
 * debug information (bytes, or a separate debug file's when separate) is over the budget. */
static char *budget_note(const struct ma_sym *sym, const char *path, uint64_t bytes, bool separate)
{
	unsigned long long budget = mib(elf_files_budget(sym->elves));
	size_t len = strlen(path) + 256;
	char *s = xmalloc(len);

	if (separate)
		snprintf(s, len, "debug symbols of %s skipped: its separate debug file has debug "
			 "information of %llu MiB, over the budget of %llu MiB (--debug-budget); "
			 "its frames show the functions of its symbol table only", path, mib(bytes),
			 budget);
	else
		snprintf(s, len, "symbols of %s skipped: debug information of %llu MiB over the "
			 "budget of %llu MiB (--debug-budget)", path, mib(bytes), budget);
	return s;
}

/* Close all files and free sym. */
void ma_sym_free(struct ma_sym *sym)
{
	if (!sym)
		return;
	elf_files_free(sym->elves);
	for (size_t i = 0; i < sym->nfiles; i++) {
		free(sym->files[i].path);
		free(sym->files[i].build_id);
		free(sym->files[i].detail);
	}
	free(sym->files);
	for (size_t i = 0; i < sym->nsymbols; i++) {
		for (size_t k = 0; k < sym->symbols[i].nowned; k++)
			free(sym->symbols[i].owned[k]);
		free(sym->symbols[i].owned);
		free(sym->symbols[i].frames);
	}
	free(sym->symbols);
	idmap_free(&sym->file_ids);
	idmap_free(&sym->symbol_ids);
	free(sym);
}

/* Find f's module file and set f->status: whether its symbols can be trusted. */
static void open_modfile(struct ma_sym *sym, struct modfile *f)
{
	const struct elf_file *elf;
	const char *why = NULL;
	uint64_t over;

	if (!f->path || f->path[0] != '/') {
		f->status = MA_SYM_UNAVAILABLE;
		return;
	}
	f->file = elf_files_open(sym->elves, f->path, &why, &over);
	if (f->file == SIZE_MAX && over) {
		f->status = MA_SYM_BUDGET;
		f->detail = budget_note(sym, f->path, over, false);
		return;
	}
	if (f->file == SIZE_MAX) {
		f->status = MA_SYM_CANNOT_OPEN;
		f->detail = xstrdup(why ? why : "cannot be read");
		return;
	}
	elf = elf_files_get(sym->elves, f->file);
	f->status = MA_SYM_OK;
	if (f->build_id && (!elf->build_id || strcmp(elf->build_id, f->build_id))) {
		f->status = MA_SYM_BUILD_ID;
		f->detail = xstrdup(elf->build_id ? "the binary changed since the run (its build id "
						    "differs from the log's)"
						  : "the binary changed since the run (it has no "
						    "build id; the log recorded one)");
	}
}

/* Return the index of the modfile for (path, build_id), looking it up on first use. */
static size_t get_modfile(struct ma_sym *sym, const char *path, const char *build_id)
{
	int64_t a = idmap_hash_str(path), b = idmap_hash_str(build_id);
	size_t i;

	if (idmap_get(&sym->file_ids, a, b, &i)) {
		if (same_str(sym->files[i].path, path) &&
		    same_str(sym->files[i].build_id, build_id))
			return i;
		for (i = 0; i < sym->nfiles; i++) /* hash collision: look the slow way */
			if (same_str(sym->files[i].path, path) &&
			    same_str(sym->files[i].build_id, build_id))
				return i;
	}
	GROW(sym->files, sym->files_cap, sym->nfiles);
	i = sym->nfiles++;
	memset(&sym->files[i], 0, sizeof sym->files[i]);
	sym->files[i].path = xstrdup(path);
	sym->files[i].build_id = xstrdup(build_id);
	open_modfile(sym, &sym->files[i]);
	idmap_put(&sym->file_ids, a, b, i);
	return i;
}

/* Return the name of the function containing addr from the DWARF of mod, or NULL. Used when the
 * ELF symbol tables do not cover addr. */
static const char *dwarf_function(Dwfl_Module *mod, Dwarf_Addr addr)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias);
	Dwarf_Die *scopes = NULL;
	const char *name = NULL;
	int n;

	if (!cu)
		return NULL;
	n = dwarf_getscopes(cu, addr - bias, &scopes);
	for (int i = 0; i < n && !name; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			name = dwarf_diename(&scopes[i]);
	free(scopes);
	return name;
}

/* Keep str (malloc'd) until s is freed and return it. */
static const char *own(struct symbol *s, char *str)
{
	GROW(s->owned, s->owned_cap, s->nowned);
	s->owned[s->nowned++] = str;
	return str;
}

/* Return a copy of str owned by s (NULL for NULL). */
static const char *keep(struct symbol *s, const char *str)
{
	return str ? own(s, xstrdup(str)) : NULL;
}

/* Return a copy of file owned by s, made absolute when it is relative and dir is absolute. */
static const char *absolute(struct symbol *s, const char *file, const char *dir)
{
	if (file && file[0] != '/' && dir && dir[0] == '/')
		return own(s, join_path(dir, file));
	return keep(s, file);
}

/* Append a frame to s: module and offset of the looked-up address, the rest as given. */
static void add_frame(struct symbol *s, const struct modfile *f, uint64_t offset,
		      const char *function, const char *file, int line, bool inlined)
{
	struct ma_sym_frame *fr;

	GROW(s->frames, s->frames_cap, s->nframes);
	fr = &s->frames[s->nframes++];
	fr->function = function;
	fr->symbol = NULL;
	fr->file = line > 0 ? file : NULL;
	fr->line = fr->file ? line : 0;
	fr->module = f->path;
	fr->offset = offset;
	fr->inlined = inlined;
}

/* Return the name of a DIE, following DW_AT_abstract_origin (an inlined call's DIE has its name
 * on the function's abstract definition), or NULL. */
static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
}

/* Append to s a frame for each call inlined at addr in f, innermost first, each at *file:*line
 * (the position inside the inlined function); then set *file and *line to where the outermost
 * inlined call is, in the function it was inlined into. The chain is the lexical nesting of the
 * concrete DIEs at addr (dwarf_getscopes_die of the innermost scope), as eu-addr2line -i walks
 * it. */
static void add_inlined(struct symbol *s, const struct modfile *f, struct elf_file *ef,
			uint64_t offset, Dwarf_Addr addr, const char **file, int *line)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(ef->mod, addr, &bias), *scopes = NULL, inner;
	Dwarf_Attribute attr;
	Dwarf_Files *files = NULL;
	size_t nfiles = 0, added = 0;
	const char *dir;
	int n;

	if (!cu || (n = dwarf_getscopes(cu, addr - bias, &scopes)) <= 0) {
		free(scopes);
		return;
	}
	inner = scopes[0];
	free(scopes);
	scopes = NULL;
	if ((n = dwarf_getscopes_die(&inner, &scopes)) <= 0) {
		free(scopes);
		return;
	}
	if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
		files = NULL;
	dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr));
	for (int i = 0; i < n && dwarf_tag(&scopes[i]) != DW_TAG_subprogram; i++) {
		Dwarf_Word v;

		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		if (added++ == MA_SYM_MAX_INLINE)
			break;
		add_frame(s, f, offset, keep(s, die_name(&scopes[i])), *file, *line, true);
		*file = NULL;
		*line = 0;
		if (files && dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &v) == 0 &&
		    v < nfiles)
			*file = absolute(s, dwarf_filesrc(files, v, NULL, NULL), dir);
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &v) == 0 &&
		    v <= INT_MAX)
			*line = (int)v;
	}
	free(scopes);
}

/* Return the function name for addr in f: from the symbol table, else from DWARF; a versioned
 * ELF name "name@@GLIBC_2.34" is "name" (addr2line and gdb print it so too). Malloc'd, or NULL.
 * A C++ name is demangled by the caller. */
static char *function_name(struct elf_file *f, Dwarf_Addr addr)
{
	const char *name;

	if (!f->symtab)
		f->symtab = ma_symtab_read(f->mod);
	name = ma_symtab_lookup(f->symtab, addr);
	if (!name)
		name = dwarf_function(f->mod, addr);
	if (name && strchr(name, '@') && name[0] != '@')
		return xstrndup(name, (size_t)(strchr(name, '@') - name));
	return xstrdup(name);
}

/* Fill s with the frames of addr (offset - 1 for a return address) in f, whose file ef is open. */
static void symbolize(struct symbol *s, const struct modfile *f, struct elf_file *ef,
		      uint64_t offset, Dwarf_Addr addr)
{
	const char *function = NULL, *file = NULL, *symbol = NULL;
	char *name = function_name(ef, addr), *readable = ma_demangle(name);
	Dwfl_Line *line;
	int lineno = 0;

	if (name)
		function = own(s, name);
	if (readable) {
		symbol = function;
		function = own(s, readable);
	}
	line = dwfl_module_getsrc(ef->mod, addr);
	if (line) {
		file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
		file = absolute(s, file, dwfl_line_comp_dir(line));
	} else {
		file = absolute(s, ma_line_by_cu(ef->mod, addr, &lineno), NULL); /* Go: no .debug_aranges */
		if (!file)
			lineno = 0;
	}
	/* Expanding inlined calls walks the DIEs of the address's compilation unit, which costs
	 * most in the C library's large ones, where nobody looks for them: the program's own
	 * modules only. */
	if (!ma_is_system_module(f->path))
		add_inlined(s, f, ef, offset, addr, &file, &lineno);
	add_frame(s, f, offset, function, file, lineno, false);
	s->frames[s->nframes - 1].symbol = symbol;
}

/* Return the cached frames of offset in file fi, looking them up on first use. */
static const struct symbol *get_symbol(struct ma_sym *sym, size_t fi, uint64_t offset,
				       bool return_address)
{
	struct modfile *f = &sym->files[fi];
	int64_t key = (int64_t)(2 * fi + return_address);
	struct symbol *s;
	size_t i;

	if (idmap_get(&sym->symbol_ids, key, (int64_t)offset, &i))
		return &sym->symbols[i];
	GROW(sym->symbols, sym->symbols_cap, sym->nsymbols);
	i = sym->nsymbols++;
	s = &sym->symbols[i];
	memset(s, 0, sizeof *s);
	idmap_put(&sym->symbol_ids, key, (int64_t)offset, i);
	if (f->status == MA_SYM_OK && !(return_address && offset == 0)) {
		Dwarf_Addr addr = offset - (return_address ? 1 : 0);
		struct elf_file *ef = elf_files_use(sym->elves, f->file);

		if (ef && addr >= ef->low && addr < ef->high)
			symbolize(s, f, ef, offset, addr);
		if (ef && ef->debug_skipped && !f->detail)
			f->detail = budget_note(sym, f->path, ef->debug_skipped, true);
	}
	if (!s->nframes)
		add_frame(s, f, offset, NULL, NULL, 0, false);
	return s;
}

/* A frame's status without its symbols; see symbolize.h. */
bool ma_sym_status_only(struct ma_sym *sym, const char *path, const char *build_id,
			uint64_t offset, bool return_address, enum ma_sym_status *status,
			const char **detail)
{
	size_t fi = get_modfile(sym, path, build_id);
	struct modfile *f = &sym->files[fi];

	/* get_symbol changes f->detail only for an address it looks up in a trusted file: when the
	 * search for the separate debug file refuses one (ef->debug_skipped), now or earlier */
	if (f->status == MA_SYM_OK && !(return_address && offset == 0) && !f->detail) {
		struct elf_file *ef = elf_files_use(sym->elves, f->file);

		if (ef && (ef->debug_skipped || elf_files_debug_over_budget(sym->elves, ef)))
			return false;
	}
	*status = f->status;
	*detail = f->detail;
	return true;
}

/* Symbolize one frame; see symbolize.h. */
enum ma_sym_status ma_sym_lookup(struct ma_sym *sym, const char *path, const char *build_id,
				 uint64_t offset, bool return_address,
				 const struct ma_sym_frame **frames, size_t *n, const char **detail)
{
	size_t fi = get_modfile(sym, path, build_id);
	const struct symbol *s = get_symbol(sym, fi, offset, return_address);

	*frames = s->frames;
	*n = s->nframes;
	if (detail)
		*detail = sym->files[fi].detail;
	return sym->files[fi].status;
}
