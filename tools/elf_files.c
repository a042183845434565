/* elf_files.c: module files opened once per inode, at most ELF_FILES_OPEN at a time (see
 * elf_files.h). */
#include <config.h>

#include "elf_files.h"
#include "idmap.h"
#include "symtab.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
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

/* Create an empty set. */
struct elf_files *elf_files_new(void)
{
	struct elf_files *e = xcalloc(1, sizeof *e);

	idmap_init(&e->ids);
	return e;
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

/* Open fd (which the libdwfl session takes over) as f's module, closing the least recently used
 * file first when ELF_FILES_OPEN are open. The module is reported at bias 0 (base 0, p_vaddr
 * added), so the addresses to look up are ELF virtual addresses, which is what a log offset
 * (return address minus load bias) is, for executables and shared objects alike. Returns false
 * with *why set when libdwfl cannot read the file (fd is closed then). */
static bool load(struct elf_files *e, struct elf_file *f, int fd, const char **why)
{
	if (e->nopen >= ELF_FILES_OPEN) {
		struct elf_file *oldest = NULL;

		for (size_t i = 0; i < e->n; i++)
			if (e->v[i].dwfl && (!oldest || e->v[i].last_used < oldest->last_used))
				oldest = &e->v[i];
		if (oldest)
			close_file(e, oldest);
	}
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
	dwfl_module_info(f->mod, NULL, &f->low, &f->high, NULL, NULL, NULL, NULL);
	f->last_used = ++e->clock;
	e->nopen++;
	return true;
}

/* Open path, or find it open already; see elf_files.h. */
size_t elf_files_open(struct elf_files *e, const char *path, const char **why)
{
	struct elf_file *f;
	struct stat st;
	size_t i;
	int fd;

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
	if (!load(e, f, fd, why)) {
		free(f->path);
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
	if (fd < 0 || !load(e, f, fd, &why)) {
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
