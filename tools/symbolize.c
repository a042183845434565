/* symbolize.c: module file + offset -> function, file:line with libdwfl (see symbolize.h). */
#include <config.h>

#include "symbolize.h"
#include "elf_files.h"
#include "idmap.h"
#include "symtab.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

/* One (path, build id) pair that a log names: its file and what the report says about it. */
struct modfile {
	char *path, *build_id;
	enum ma_sym_status status;
	char *detail;        /* why it is not MA_SYM_OK (malloc'd), or NULL */
	size_t file;         /* index in the elf_files when MA_SYM_OK */
};

/* One looked-up address of one file. The strings are copies: the file may be closed later. */
struct symbol {
	char *function, *file;
	int line;
};

struct ma_sym {
	struct elf_files *elves;
	struct modfile *files;
	size_t nfiles, files_cap;
	struct idmap file_ids;   /* (hash(path), hash(build id)) -> first modfile with that hash */
	struct symbol *symbols;
	size_t nsymbols, symbols_cap;
	struct idmap symbol_ids; /* (elf file index, address) -> symbol index */
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
		free(sym->symbols[i].function);
		free(sym->symbols[i].file);
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

	if (!f->path || f->path[0] != '/') {
		f->status = MA_SYM_UNAVAILABLE;
		return;
	}
	f->file = elf_files_open(sym->elves, f->path, &why);
	if (f->file == SIZE_MAX) {
		f->status = MA_SYM_CANNOT_OPEN;
		f->detail = xstrdup(why ? why : "cannot be read");
		return;
	}
	elf = elf_files_get(sym->elves, f->file);
	f->status = MA_SYM_OK;
	if (f->build_id && (!elf->build_id || strcmp(elf->build_id, f->build_id))) {
		f->status = MA_SYM_BUILD_ID;
		f->detail = xstrdup("build id differs from the log's (rebuilt since the run?)");
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

/* Return dir/file with "." and ".." components removed lexically (malloc'd); dir is absolute. */
static char *join_path(const char *dir, const char *file)
{
	size_t len = strlen(dir) + strlen(file) + 2;
	char *in = xmalloc(len), *out = xmalloc(len), *tok, *save = NULL;
	size_t used = 0;

	snprintf(in, len, "%s/%s", dir, file);
	for (tok = strtok_r(in, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (used > 0 && out[--used] != '/')
				;
			continue;
		}
		out[used++] = '/';
		memcpy(out + used, tok, strlen(tok));
		used += strlen(tok);
	}
	if (!used)
		out[used++] = '/';
	out[used] = '\0';
	free(in);
	return out;
}

/* Return the function name for addr in f: from the symbol table, else from DWARF; a versioned
 * ELF name "name@@GLIBC_2.34" is "name" (addr2line and gdb print it so too). Malloc'd, or NULL. */
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

/* Set s->file and s->line for addr in f, from its line table. */
static void source_line(struct symbol *s, struct elf_file *f, Dwarf_Addr addr)
{
	Dwfl_Line *line = dwfl_module_getsrc(f->mod, addr);
	const char *file, *dir;
	int lineno = 0;

	if (!line)
		return;
	file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	if (!file || lineno <= 0)
		return;
	s->line = lineno;
	if (file[0] != '/' && (dir = dwfl_line_comp_dir(line)) && dir[0] == '/')
		s->file = join_path(dir, file);
	else
		s->file = xstrdup(file);
}

/* Look addr up in module file fi and return the cached symbol (empty when the file cannot be
 * opened again, or addr is outside it). */
static const struct symbol *get_symbol(struct ma_sym *sym, size_t fi, Dwarf_Addr addr)
{
	struct elf_file *f;
	struct symbol *s;
	size_t i;

	if (idmap_get(&sym->symbol_ids, (int64_t)fi, (int64_t)addr, &i))
		return &sym->symbols[i];
	GROW(sym->symbols, sym->symbols_cap, sym->nsymbols);
	i = sym->nsymbols++;
	s = &sym->symbols[i];
	memset(s, 0, sizeof *s);
	idmap_put(&sym->symbol_ids, (int64_t)fi, (int64_t)addr, i);
	f = elf_files_use(sym->elves, fi);
	if (!f || addr < f->low || addr >= f->high)
		return s;
	s->function = function_name(f, addr);
	source_line(s, f, addr);
	return s;
}

/* Symbolize one frame; see symbolize.h. */
enum ma_sym_status ma_sym_lookup(struct ma_sym *sym, const char *path, const char *build_id,
				 uint64_t offset, bool return_address, struct ma_sym_frame *out,
				 const char **detail)
{
	size_t fi = get_modfile(sym, path, build_id);
	const struct modfile *f = &sym->files[fi];

	memset(out, 0, sizeof *out);
	out->module = f->path;
	out->offset = offset;
	if (detail)
		*detail = f->detail;
	if (f->status == MA_SYM_OK && !(return_address && offset == 0)) {
		const struct symbol *s = get_symbol(sym, f->file, offset - (return_address ? 1 : 0));

		out->function = s->function;
		out->file = s->file;
		out->line = s->line;
	}
	return f->status;
}
