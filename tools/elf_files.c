/* elf_files.c: module files opened once per inode, at most ELF_FILES_OPEN at a time (see
 * elf_files.h). */
#include <config.h>

#include "elf_files.h"
#include "idmap.h"
#include "symtab.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <elfutils/libdwelf.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct elf_files {
	struct elf_file *v;
	size_t n, cap;
	struct idmap ids;   /* (device, inode) -> index */
	size_t nopen;
	uint64_t clock;     /* counts uses, for last_used */
	uint64_t budget;    /* the module budget, bytes of debug information (elf_files.h) */
	uint64_t open_debug; /* debug information held by the open files */
};

/* A file as its libdwfl module's userdata knows it (the array of files moves as it grows). */
struct elf_file_ref {
	struct elf_files *e;
	size_t i;
};

static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			  char **debuginfo_file_name);

/* Separate debug files are looked for the standard way (.gnu_debuglink, /usr/lib/debug/.build-id),
 * within the budget; the main file is always given as an already-open descriptor, so find_elf is
 * never needed. */
static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

/* Create an empty set. */
struct elf_files *elf_files_new(void)
{
	struct elf_files *e = xcalloc(1, sizeof *e);

	elf_version(EV_CURRENT); /* before the first elf_begin, which may come before libdwfl's */
	e->budget = ELF_FILES_DEFAULT_BUDGET;
	idmap_init(&e->ids);
	return e;
}

/* Set the module budget. */
void elf_files_set_budget(struct elf_files *e, uint64_t bytes)
{
	e->budget = bytes;
}

/* Return the module budget. */
uint64_t elf_files_budget(const struct elf_files *e)
{
	return e->budget;
}

/* Close f (its libdwfl session and symbol table). */
static void close_file(struct elf_files *e, struct elf_file *f)
{
	if (!f->dwfl)
		return;
	ma_symtab_free(f->symtab);
	dwfl_end(f->dwfl);
	f->symtab = NULL;
	f->dwfl = NULL;
	f->mod = NULL;
	e->nopen--;
	e->open_debug -= f->debug_bytes;
	f->debug_bytes = 0;
}

/* Close the open file used least recently, but keep. Returns false when there is none. */
static bool close_oldest(struct elf_files *e, const struct elf_file *keep)
{
	struct elf_file *oldest = NULL;

	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].dwfl && &e->v[i] != keep &&
		    (!oldest || e->v[i].last_used < oldest->last_used))
			oldest = &e->v[i];
	if (oldest)
		close_file(e, oldest);
	return oldest != NULL;
}

/* Make room for a file (keep: the one being opened) with debug bytes of debug information: close
 * files until fewer than ELF_FILES_OPEN are open and the open ones leave room for it in the
 * report's budget. */
static void make_room(struct elf_files *e, const struct elf_file *keep, uint64_t debug)
{
	while ((e->nopen >= ELF_FILES_OPEN ||
		sat_add(e->open_debug, debug) > e->budget * ELF_FILES_REPORT_BUDGETS) &&
	       close_oldest(e, keep))
		;
}

/* Return a 64-bit big-endian number at p. */
static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Return the size of section scn (named name, header sh) once libelf decompressed it, from its
 * headers only. */
static uint64_t section_bytes(Elf_Scn *scn, const GElf_Shdr *sh, const char *name)
{
	if (sh->sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;

		return gelf_getchdr(scn, &ch) ? ch.ch_size : sh->sh_size;
	}
	if (name && !strncmp(name, ".zdebug", 7)) {
		Elf_Data *d = elf_rawdata(scn, NULL);

		if (d && d->d_size >= 12 && !memcmp(d->d_buf, "ZLIB", 4))
			return be64((const unsigned char *)d->d_buf + 4);
	}
	return sh->sh_size;
}

/* Return the bytes of debug information in the ELF file at fd as libdw holds it, decompressed
 * (elf_files.h), measured from the section headers without decompressing anything; 0 for a file
 * that libelf cannot read (libdwfl then refuses it too). */
static uint64_t debug_info_bytes(int fd)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	Elf_Scn *scn = NULL;
	uint64_t total = 0;
	size_t shstrndx;

	if (!elf)
		return 0;
	if (elf_kind(elf) == ELF_K_ELF && elf_getshdrstrndx(elf, &shstrndx) == 0)
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
				continue;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			if ((sh.sh_flags & SHF_COMPRESSED) ||
			    (name && (!strncmp(name, ".debug_", 7) || !strncmp(name, ".zdebug_", 8))))
				total = sat_add(total, section_bytes(scn, &sh, name));
		}
	elf_end(elf);
	return total;
}

/* Close and free everything. */
void elf_files_free(struct elf_files *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		close_file(e, &e->v[i]);
		free(e->v[i].path);
		free(e->v[i].build_id);
		free(e->v[i].ref);
	}
	free(e->v);
	idmap_free(&e->ids);
	free(e);
}

/* Open path read-only without waiting (a FIFO) and check that it is a regular file; return the
 * descriptor and fill *st, or -1 with *why set. */
static int open_regular(const char *path, struct stat *st, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		*why = "not a regular file";
		close(fd);
		return -1;
	}
	return fd;
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

/* Note the debug information of a candidate at path in *most, and in *any whether it is a
 * regular file. */
static void candidate(const char *path, uint64_t *most, bool *any)
{
	const char *why;
	struct stat st;
	int fd = open_regular(path, &st, &why);
	uint64_t n;

	if (fd < 0)
		return;
	*any = true;
	n = debug_info_bytes(fd);
	close(fd);
	*most = n > *most ? n : *most;
}

/* The candidates of name (a debuglink) for the module file at file_name, in the places libdwfl's
 * path search (elfutils 0.188, the default path ":.debug:/usr/lib/debug") looks: the file's
 * directory, its .debug subdirectory, and under /usr/lib/debug the directory, then each shorter
 * tail of it, down to /usr/lib/debug itself. self: name is the file's own name, which is not
 * looked for beside it. */
static void path_candidates(const char *file_name, const char *name, bool self, uint64_t *most,
			    bool *any)
{
	int dirlen = (int)(strrchr(file_name, '/') - file_name);
	char *path = xmalloc(strlen(file_name) + strlen(name) + 32);

	if (!self) {
		sprintf(path, "%.*s/%s", dirlen, file_name, name);
		candidate(path, most, any);
	}
	sprintf(path, "%.*s/.debug/%s", dirlen, file_name, name);
	candidate(path, most, any);
	for (int i = 0; i <= dirlen; i++)
		if (i == dirlen || file_name[i] == '/') {
			sprintf(path, "/usr/lib/debug%.*s/%s", dirlen - i, file_name + i, name);
			candidate(path, most, any);
		}
	free(path);
}

/* Return the most debug information among the files that libdwfl's standard search may take as
 * the separate debug file of mod (file_name, with .gnu_debuglink debuglink, or NULL): the build-id
 * file under /usr/lib/debug/.build-id, and the debuglink name (without one, the file's name and
 * that name with .debug) in the places path_candidates lists, for the file's name and for the
 * file a symbolic link of that name leads to. They are measured before the search, because
 * the search itself opens the one it finds and keeps it for libdw, even when the callback then
 * refuses it. *any: whether any of them exists. */
static uint64_t candidates_debug_bytes(Dwfl_Module *mod, const char *file_name,
				       const char *debuglink, bool *any)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(mod, &bits, &vaddr);
	uint64_t most = 0;
	char *path;

	*any = false;
	if (n > 1) {
		path = xmalloc(64 + 2 * (size_t)n);
		strcpy(path, "/usr/lib/debug/.build-id/");
		for (int i = 0; i < n; i++)
			sprintf(path + strlen(path), "%s%02x", i == 1 ? "/" : "", bits[i]);
		strcat(path, ".debug");
		candidate(path, &most, any);
		free(path);
	}
	if (debuglink && debuglink[0] == '/') {
		candidate(debuglink, &most, any);
	} else if (file_name && strchr(file_name, '/')) {
		char *real = realpath(file_name, NULL);
		const char *names[2] = { file_name, real && strcmp(real, file_name) ? real : NULL };

		for (int k = 0; k < 2 && names[k]; k++) {
			const char *base = strrchr(names[k], '/') + 1;

			if (debuglink) {
				path_candidates(names[k], debuglink, false, &most, any);
			} else {
				char *dot = xmalloc(strlen(base) + sizeof ".debug");

				sprintf(dot, "%s.debug", base);
				path_candidates(names[k], dot, false, &most, any);
				path_candidates(names[k], base, true, &most, any);
				free(dot);
			}
		}
		free(real);
	} else if (file_name) {
		*any = true; /* a name without a directory: not second-guessed */
	}
	return most;
}

/* libdwfl's find_debuginfo: the standard search, unless a debug file it may find would take the
 * module over the budget: then none is used (the module keeps its own symbol table), and the
 * size is remembered for the report's note. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			  char **debuginfo_file_name)
{
	const struct elf_file_ref *ref = *userdata;
	struct elf_file *f = ref ? &ref->e->v[ref->i] : NULL;
	const char *urls = getenv("DEBUGINFOD_URLS");
	bool any;
	uint64_t debug = candidates_debug_bytes(mod, file_name, debuglink_file, &any);
	int fd;

	if (f && sat_add(f->debug_bytes, debug) > ref->e->budget) {
		f->debug_skipped = debug;
		return -1;
	}
	/* No file to find here: the standard search would end in its last resort, the debuginfod
	 * client, which libdw 0.188 loads then (dlopen of libdebuginfod and the 30 libraries of
	 * libcurl behind it: 5-8 ms of a report, e.g. for cc1, stripped, without its debug
	 * package), to learn that no server is set. Asked only when DEBUGINFOD_URLS names one. */
	if (!any && (!urls || !*urls)) {
		errno = 0;
		return -1;
	}
	fd = dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
					  debuglink_crc, debuginfo_file_name);
	if (fd >= 0 && f) {
		debug = debug_info_bytes(fd);
		make_room(ref->e, f, debug);
		f->debug_bytes += debug;
		ref->e->open_debug += debug;
	}
	return fd;
}

/* Predict find_debuginfo's refusal; see elf_files.h. */
bool elf_files_debug_over_budget(const struct elf_files *e, struct elf_file *f)
{
	GElf_Addr bias;
	GElf_Word crc;
	Elf *elf;
	const char *debuglink;
	bool any;

	if (f->debug_fits || !f->mod)
		return !f->mod;
	elf = dwfl_module_getelf(f->mod, &bias);
	debuglink = elf ? dwelf_elf_gnu_debuglink(elf, &crc) : NULL;
	f->debug_fits = sat_add(f->debug_bytes,
				candidates_debug_bytes(f->mod, f->path, debuglink, &any)) <= e->budget;
	return !f->debug_fits;
}

/* Open fd (which the libdwfl session takes over) as f's module, closing the least recently used
 * files first when ELF_FILES_OPEN are open or the report's budget needs it. The module is
 * reported at bias 0 (base 0, p_vaddr added), so the addresses to look up are ELF virtual
 * addresses, which is what a log offset (return address minus load bias) is, for executables and
 * shared objects alike. Returns false with *why set when libdwfl cannot read the file, or when
 * its debug information is over the module budget (*over_budget is then its size), fd closed. */
static bool load(struct elf_files *e, struct elf_file *f, int fd, const char **why,
		 uint64_t *over_budget)
{
	uint64_t debug = debug_info_bytes(fd);
	void **userdata;

	*over_budget = 0;
	if (debug > e->budget) {
		*over_budget = debug;
		*why = "debug information over the budget";
		close(fd);
		return false;
	}
	make_room(e, f, debug);
	f->dwfl = dwfl_begin(&callbacks);
	if (f->dwfl) {
		dwfl_report_begin(f->dwfl);
		f->mod = dwfl_report_elf(f->dwfl, base_name(f->path), f->path, fd, 0, true);
		dwfl_report_end(f->dwfl, NULL, NULL);
	}
	if (!f->mod) {
		*why = dwfl_errmsg(-1);
		close(fd); /* dwfl_report_elf consumes fd only on success */
		if (f->dwfl)
			dwfl_end(f->dwfl);
		f->dwfl = NULL;
		return false;
	}
	dwfl_module_info(f->mod, &userdata, &f->low, &f->high, NULL, NULL, NULL, NULL);
	*userdata = f->ref;
	f->debug_bytes = debug;
	e->open_debug += debug;
	f->last_used = ++e->clock;
	e->nopen++;
	return true;
}

/* Open path, or find it open already; see elf_files.h. */
size_t elf_files_open(struct elf_files *e, const char *path, const char **why,
		      uint64_t *over_budget)
{
	struct elf_file *f;
	struct stat st;
	size_t i;
	int fd;

	*over_budget = 0;
	if (!path || path[0] != '/') {
		*why = "no file";
		return SIZE_MAX;
	}
	fd = open_regular(path, &st, why);
	if (fd < 0)
		return SIZE_MAX;
	if (idmap_get(&e->ids, (int64_t)st.st_dev, (int64_t)st.st_ino, &i)) {
		close(fd);
		return i;
	}
	GROW(e->v, e->cap, e->n);
	f = &e->v[e->n];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->ref = xmalloc(sizeof *f->ref);
	*f->ref = (struct elf_file_ref){ .e = e, .i = e->n };
	if (!load(e, f, fd, why, over_budget)) {
		free(f->path);
		free(f->ref);
		return SIZE_MAX;
	}
	f->build_id = module_build_id(f->mod);
	idmap_put(&e->ids, (int64_t)st.st_dev, (int64_t)st.st_ino, e->n);
	return e->n++;
}

/* Return file i open; see elf_files.h. */
struct elf_file *elf_files_use(struct elf_files *e, size_t i)
{
	struct elf_file *f = &e->v[i];
	const char *why;
	struct stat st;
	uint64_t over;
	char *id;
	int fd;

	if (f->dwfl) {
		f->last_used = ++e->clock;
		return f;
	}
	if (f->gone)
		return NULL;
	/* opened again by its path: it must still be the same file with the same build id */
	fd = open_regular(f->path, &st, &why);
	if (fd >= 0 && (st.st_dev != f->dev || st.st_ino != f->ino)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0 || !load(e, f, fd, &why, &over)) {
		f->gone = true;
		return NULL;
	}
	id = module_build_id(f->mod);
	if ((id || f->build_id) && (!id || !f->build_id || strcmp(id, f->build_id))) {
		close_file(e, f);
		f->gone = true;
	}
	free(id);
	return f->gone ? NULL : f;
}

/* Return file i as it is. */
const struct elf_file *elf_files_get(const struct elf_files *e, size_t i)
{
	return &e->v[i];
}
