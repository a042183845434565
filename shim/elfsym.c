/* elfsym.c: see elfsym.h.
 *
 * The file is read with pread(2) at each lookup, never mapped: a mapping of the shim's own would
 * count against vm.max_map_count, which the map-count model holds the program to (and under
 * mlockall(MCL_FUTURE) the kernel would lock and charge it). Lookups are rare (a suppression
 * answer or a stderr line per call site) and the callers hold the state lock, so static buffers
 * serve them all.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsym.h"
#include "modules.h"

#define NAME_MAX_LEN 1024 /* longer names are not returned */

/* A symbol table in the file and the string table it links to, as file offsets and sizes. */
struct table {
	uint64_t syms, nsyms, strs, strsize;
};

static ElfW(Sym) chunk[256];    /* symbols read at a time */
static char name[NAME_MAX_LEN]; /* the name returned */

/* Read len bytes at off; returns 0, or -1 when they are not all there. */
static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Is [off, off + len) inside a file of size bytes? */
static int inside(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* Find the section of type (SHT_SYMTAB or SHT_DYNSYM) and its string table. Returns 1 when the
 * file has one. */
static int find_table(int fd, uint64_t size, const ElfW(Ehdr) *eh, unsigned type, struct table *t)
{
	ElfW(Shdr) sh, str;
	int i;

	for (i = 0; i < eh->e_shnum; i++) {
		if (read_at(fd, &sh, sizeof sh, eh->e_shoff + (uint64_t)i * sizeof sh) != 0)
			return 0;
		if (sh.sh_type != type || sh.sh_entsize != sizeof(ElfW(Sym)) || sh.sh_link >= eh->e_shnum ||
		    !inside(size, sh.sh_offset, sh.sh_size) ||
		    read_at(fd, &str, sizeof str, eh->e_shoff + (uint64_t)sh.sh_link * sizeof str) != 0 ||
		    str.sh_type != SHT_STRTAB || !inside(size, str.sh_offset, str.sh_size))
			continue;
		*t = (struct table){sh.sh_offset, sh.sh_size / sizeof(ElfW(Sym)), str.sh_offset, str.sh_size};
		return 1;
	}
	return 0;
}

/* The name at st_name of t's string table, into name[], or NULL when it does not end in it. */
static const char *read_name(int fd, const struct table *t, uint64_t st_name)
{
	size_t len = sizeof name;

	if (st_name >= t->strsize)
		return NULL;
	if (len > t->strsize - st_name)
		len = (size_t)(t->strsize - st_name);
	if (read_at(fd, name, len, t->strs + st_name) != 0 || !memchr(name, '\0', len))
		return NULL;
	return name;
}

/* The function of t containing vaddr, or NULL. */
static const char *lookup(int fd, const struct table *t, uintptr_t vaddr)
{
	uint64_t i, k, n;

	for (i = 0; i < t->nsyms; i += n) {
		n = t->nsyms - i < sizeof chunk / sizeof *chunk ? t->nsyms - i : sizeof chunk / sizeof *chunk;
		if (read_at(fd, chunk, n * sizeof *chunk, t->syms + i * sizeof *chunk) != 0)
			return NULL;
		for (k = 0; k < n; k++) {
			const ElfW(Sym) *s = &chunk[k];

			if (ELF64_ST_TYPE(s->st_info) == STT_FUNC && s->st_shndx != SHN_UNDEF &&
			    vaddr >= s->st_value && vaddr - s->st_value < (s->st_size ? s->st_size : 1))
				return read_name(fd, t, s->st_name);
		}
	}
	return NULL;
}

const char *elfsym_function(const struct engine_module *m, uintptr_t vaddr)
{
	ElfW(Ehdr) eh;
	struct table t;
	struct stat st;
	const char *found = NULL;
	int fd = m ? open(m->path, O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read_at(fd, &eh, sizeof eh, 0) == 0 &&
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	    eh.e_ident[EI_CLASS] == (__ELF_NATIVE_CLASS == 64 ? ELFCLASS64 : ELFCLASS32) &&
	    eh.e_shentsize == sizeof(ElfW(Shdr)) &&
	    inside((uint64_t)st.st_size, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(ElfW(Shdr))) &&
	    (find_table(fd, (uint64_t)st.st_size, &eh, SHT_SYMTAB, &t) ||
	     find_table(fd, (uint64_t)st.st_size, &eh, SHT_DYNSYM, &t)))
		found = lookup(fd, &t, vaddr);
	close(fd);
	return found;
}
