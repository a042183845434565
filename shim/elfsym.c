/* elfsym.c: see elfsym.h. */
#include "config.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsym.h"
#include "modules.h"
#include "real.h"

#define FILES 64 /* modules whose symbol tables are kept mapped; later ones are not looked up */

static struct symfile {
	uint32_t module;          /* module id, 0 = free slot */
	const unsigned char *map; /* the whole file, MAP_FAILED when it cannot be used */
	size_t size;
	const ElfW(Sym) *syms;
	size_t nsyms;
	const char *strtab;
	size_t strsize;
} files[FILES];

/* Is [off, off + len) inside the file? */
static int inside(const struct symfile *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

/* Use the symbol table of section type (SHT_SYMTAB or SHT_DYNSYM) in f and the string table it
 * links to. Returns 1 when there is one. */
static int use_table(struct symfile *f, const ElfW(Ehdr) *eh, const ElfW(Shdr) *sh, unsigned type)
{
	int i;

	for (i = 0; i < eh->e_shnum; i++) {
		const ElfW(Shdr) *str;

		if (sh[i].sh_type != type || sh[i].sh_entsize != sizeof(ElfW(Sym)) ||
		    sh[i].sh_link >= eh->e_shnum || !inside(f, sh[i].sh_offset, sh[i].sh_size))
			continue;
		str = &sh[sh[i].sh_link];
		if (str->sh_type != SHT_STRTAB || !inside(f, str->sh_offset, str->sh_size))
			continue;
		f->syms = (const ElfW(Sym) *)(f->map + sh[i].sh_offset);
		f->nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
		f->strtab = (const char *)f->map + str->sh_offset;
		f->strsize = str->sh_size;
		return 1;
	}
	return 0;
}

/* Map m's file and find its .symtab, or in a stripped file its .dynsym (what dladdr(3) reads,
 * without the dynamic loader's lock), and the string table it links to. */
static void load(struct symfile *f, const struct module *m)
{
	const ElfW(Ehdr) *eh;
	const ElfW(Shdr) *sh;
	struct stat st;
	int fd;

	f->module = m->id;
	f->map = MAP_FAILED;
	fd = open(m->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)sizeof *eh) {
		f->size = (size_t)st.st_size;
		f->map = real.mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	if (f->map == MAP_FAILED)
		return;
	eh = (const ElfW(Ehdr) *)f->map;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != (__ELF_NATIVE_CLASS == 64 ? ELFCLASS64 : ELFCLASS32) ||
	    eh->e_shentsize != sizeof *sh || !inside(f, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof *sh))
		return;
	sh = (const ElfW(Shdr) *)(f->map + eh->e_shoff);
	if (!use_table(f, eh, sh, SHT_SYMTAB))
		use_table(f, eh, sh, SHT_DYNSYM);
}

static struct symfile *lookup(const struct module *m)
{
	int i;

	for (i = 0; i < FILES; i++) {
		if (files[i].module == m->id)
			return &files[i];
		if (!files[i].module) {
			load(&files[i], m);
			return &files[i];
		}
	}
	return NULL;
}

const char *elfsym_function(const struct module *m, uintptr_t vaddr)
{
	const struct symfile *f = m ? lookup(m) : NULL;
	size_t i;

	if (!f || !f->syms)
		return NULL;
	for (i = 0; i < f->nsyms; i++) {
		const ElfW(Sym) *s = &f->syms[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    vaddr < s->st_value || vaddr - s->st_value >= (s->st_size ? s->st_size : 1))
			continue;
		/* a name that runs off the string table is not used */
		if (s->st_name < f->strsize && memchr(f->strtab + s->st_name, '\0', f->strsize - s->st_name))
			return f->strtab + s->st_name;
	}
	return NULL;
}
