/* symbolize.c: module file + offset -> function, file:line with libdwfl (see symbolize.h). */
#include <config.h>

#include "symbolize.h"
#include "idmap.h"
#include "symtab.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One module file, opened on first use. */
struct modfile {
	char *path, *build_id;
	enum ma_sym_status status;
	char *detail;        /* why it is not MA_SYM_OK (malloc'd), or NULL */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf_Addr low, high; /* the module's address range, in ELF virtual addresses */
	struct ma_symtab *symtab; /* its symbols by address, read on the first lookup */
};

/* One looked-up address. */
struct symbol {
	const char *function, *file; /* owned by the modfile's Dwfl, or file == owned_file */
	char *owned_file;            /* a relative file name joined to the CU's directory */
	char *owned_function;        /* a versioned symbol name without its @VERSION */
	int line;
};

struct ma_sym {
	struct modfile *files;
	size_t nfiles, files_cap;
	struct idmap file_ids;   /* (hash(path), hash(build id)) -> first file with that hash */
	struct symbol *symbols;
	size_t nsymbols, symbols_cap;
	struct idmap symbol_ids; /* (file index, address) -> symbol index */
};

/* Separate debug files are looked for the standard way (.gnu_debuglink, /usr/lib/debug/.build-id);
 * the main file is always given as an already-open descriptor, so find_elf is never needed. */
static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
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

	idmap_init(&sym->file_ids);
	idmap_init(&sym->symbol_ids);
	return sym;
}

/* Close all files and free sym. */
void ma_sym_free(struct ma_sym *sym)
{
	if (!sym)
		return;
	for (size_t i = 0; i < sym->nfiles; i++) {
		ma_symtab_free(sym->files[i].symtab);
		if (sym->files[i].dwfl)
			dwfl_end(sym->files[i].dwfl);
		free(sym->files[i].path);
		free(sym->files[i].build_id);
		free(sym->files[i].detail);
	}
	free(sym->files);
	for (size_t i = 0; i < sym->nsymbols; i++) {
		free(sym->symbols[i].owned_file);
		free(sym->symbols[i].owned_function);
	}
	free(sym->symbols);
	idmap_free(&sym->file_ids);
	idmap_free(&sym->symbol_ids);
	free(sym);
}

/* Return the hex build id of mod in a malloc'd string, or NULL when it has none. */
static char *module_build_id(Dwfl_Module *mod)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(mod, &bits, &vaddr);
	char *hex;

	if (n <= 0)
		return NULL;
	hex = xmalloc((size_t)n * 2 + 1);
	for (int i = 0; i < n; i++) {
		hex[2 * i] = "0123456789abcdef"[bits[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[bits[i] & 15];
	}
	hex[2 * n] = '\0';
	return hex;
}

/* Open f->path with libdwfl and set f->status. The module is reported at bias 0 (base 0, p_vaddr
 * added), so the addresses to look up are the ELF virtual addresses, which is what a log offset
 * (return address minus load bias) is, for executables and shared objects alike. */
static void open_modfile(struct modfile *f)
{
	struct stat st;
	char *id;
	int fd;

	if (!f->path || f->path[0] != '/') {
		f->status = MA_SYM_UNAVAILABLE;
		return;
	}
	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		f->status = MA_SYM_CANNOT_OPEN;
		f->detail = xstrdup(fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return;
	}
	f->dwfl = dwfl_begin(&callbacks);
	if (f->dwfl) {
		dwfl_report_begin(f->dwfl);
		f->mod = dwfl_report_elf(f->dwfl, base_name(f->path), f->path, fd, 0, true);
		dwfl_report_end(f->dwfl, NULL, NULL);
	}
	if (!f->mod) {
		close(fd); /* dwfl_report_elf consumes fd only on success */
		f->status = MA_SYM_CANNOT_OPEN;
		f->detail = xstrdup(dwfl_errmsg(-1));
		return;
	}
	dwfl_module_info(f->mod, NULL, &f->low, &f->high, NULL, NULL, NULL, NULL);
	f->status = MA_SYM_OK;
	if (f->build_id) {
		id = module_build_id(f->mod);
		if (!id || strcmp(id, f->build_id)) {
			f->status = MA_SYM_BUILD_ID;
			f->detail = xstrdup("build id differs from the log's "
					    "(rebuilt since the run?)");
		}
		free(id);
	}
}

/* Return the index of the modfile for (path, build_id), opening it on first use. */
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
	open_modfile(&sym->files[i]);
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

/* Look addr up in f (which is MA_SYM_OK) and return the cached symbol. */
static const struct symbol *get_symbol(struct ma_sym *sym, size_t fi, Dwarf_Addr addr)
{
	struct modfile *f = &sym->files[fi];
	struct symbol *s;
	Dwfl_Line *line;
	size_t i;

	if (idmap_get(&sym->symbol_ids, (int64_t)fi, (int64_t)addr, &i))
		return &sym->symbols[i];
	GROW(sym->symbols, sym->symbols_cap, sym->nsymbols);
	i = sym->nsymbols++;
	s = &sym->symbols[i];
	memset(s, 0, sizeof *s);
	idmap_put(&sym->symbol_ids, (int64_t)fi, (int64_t)addr, i);
	if (addr < f->low || addr >= f->high)
		return s;
	if (!f->symtab)
		f->symtab = ma_symtab_read(f->mod);
	s->function = ma_symtab_lookup(f->symtab, addr);
	if (!s->function)
		s->function = dwarf_function(f->mod, addr);
	/* The ELF symbol table names versioned definitions "name@@GLIBC_2.34": the function is
	 * "name" (addr2line and gdb print it so too). */
	if (s->function && strchr(s->function, '@') && s->function[0] != '@') {
		s->owned_function = strndup(s->function, (size_t)(strchr(s->function, '@') - s->function));
		if (s->owned_function)
			s->function = s->owned_function;
	}
	line = dwfl_module_getsrc(f->mod, addr);
	if (line) {
		int lineno = 0;

		const char *dir;

		s->file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
		s->line = s->file && lineno > 0 ? lineno : 0;
		if (!s->line)
			s->file = NULL;
		if (s->file && s->file[0] != '/' && (dir = dwfl_line_comp_dir(line)) &&
		    dir[0] == '/')
			s->file = s->owned_file = join_path(dir, s->file);
	}
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
		const struct symbol *s = get_symbol(sym, fi, offset - (return_address ? 1 : 0));

		out->function = s->function;
		out->file = s->file;
		out->line = s->line;
	}
	return f->status;
}
