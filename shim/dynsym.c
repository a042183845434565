/* dynsym.c: see dynsym.h. */
#include "config.h"

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

#include "dynsym.h"

struct dyn {
	ElfW(Addr) base;
	const ElfW(Sym) *symtab;
	const char *strtab;
	const uint32_t *gnu_hash;
	const ElfW(Word) *sysv_hash;
};

/* glibc relocates these entries of a writable dynamic section in place (elf/get-dynamic-info.h);
 * where it cannot (a read-only one), they are still offsets from the load address. */
static const void *addr(ElfW(Addr) base, ElfW(Addr) p)
{
	return (const void *)(p < base ? p + base : p);
}

static int read_dyn(const struct link_map *l, struct dyn *d)
{
	const ElfW(Dyn) *e;

	memset(d, 0, sizeof *d);
	d->base = l->l_addr;
	for (e = l->l_ld; e && e->d_tag != DT_NULL; e++) {
		if (e->d_tag == DT_SYMTAB)
			d->symtab = addr(d->base, e->d_un.d_ptr);
		else if (e->d_tag == DT_STRTAB)
			d->strtab = addr(d->base, e->d_un.d_ptr);
		else if (e->d_tag == DT_GNU_HASH)
			d->gnu_hash = addr(d->base, e->d_un.d_ptr);
		else if (e->d_tag == DT_HASH)
			d->sysv_hash = addr(d->base, e->d_un.d_ptr);
	}
	return d->symtab && d->strtab && (d->gnu_hash || d->sysv_hash) ? 0 : -1;
}

static void *match(const struct dyn *d, uint32_t i, const char *name)
{
	const ElfW(Sym) *s = &d->symtab[i];

	if (s->st_shndx == SHN_UNDEF || s->st_value == 0 || strcmp(d->strtab + s->st_name, name) != 0)
		return NULL;
	return (void *)(d->base + s->st_value);
}

/* DT_GNU_HASH: buckets of symbol indexes, chains of hashes whose low bit ends a chain. */
static void *gnu_lookup(const struct dyn *d, const char *name)
{
	const uint32_t *h = d->gnu_hash, nbuckets = h[0], symoffset = h[1], bloom_words = h[2];
	const uint32_t *buckets = (const uint32_t *)((const ElfW(Addr) *)(h + 4) + bloom_words);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t hash = 5381, i;
	const unsigned char *c;
	void *p;

	for (c = (const unsigned char *)name; *c; c++)
		hash = hash * 33 + *c;
	if (!nbuckets || (i = buckets[hash % nbuckets]) < symoffset)
		return NULL;
	for (;; i++) {
		uint32_t h2 = chain[i - symoffset];

		if ((h2 | 1) == (hash | 1) && (p = match(d, i, name)))
			return p;
		if (h2 & 1)
			return NULL;
	}
}

/* DT_HASH: the System V ELF hash, buckets and chains of symbol indexes. */
static void *sysv_lookup(const struct dyn *d, const char *name)
{
	const ElfW(Word) *h = d->sysv_hash, nbucket = h[0], nchain = h[1];
	const ElfW(Word) *bucket = h + 2, *chain = bucket + nbucket;
	uint32_t hash = 0, g, i, n;
	const unsigned char *c;
	void *p;

	for (c = (const unsigned char *)name; *c; c++) {
		hash = (hash << 4) + *c;
		g = hash & 0xf0000000u;
		if (g)
			hash ^= g >> 24;
		hash &= ~g;
	}
	if (!nbucket)
		return NULL;
	for (i = bucket[hash % nbucket], n = 0; i && i < nchain && n < nchain; i = chain[i], n++)
		if ((p = match(d, i, name)))
			return p;
	return NULL;
}

void *dynsym_lookup(const char *file, const char *name)
{
	const struct link_map *l;
	struct dyn d;

	for (l = _r_debug.r_map; l; l = l->l_next) {
		const char *slash = l->l_name ? strrchr(l->l_name, '/') : NULL;

		if (!slash || strcmp(slash + 1, file) != 0 || read_dyn(l, &d) != 0)
			continue;
		return d.gnu_hash ? gnu_lookup(&d, name) : sysv_lookup(&d, name);
	}
	return NULL;
}
