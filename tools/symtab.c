/* symtab.c: a module's symbols sorted by address (see symtab.h). */
#include <config.h>

#include "symtab.h"
#include "util.h"

#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>

struct sym {
	uint64_t start, size;
	const char *name;
	int32_t section;         /* of a label (no size): the section at start (see section_at);
				  * ABSOLUTE: an absolute symbol, which matches its own address only */
	uint32_t index;          /* in the module's table, which libdwfl searches in order */
	signed char rank;        /* binding: 3 global, 2 weak, 1 local, 0 other (libdwfl's) */
	bool global;             /* in libdwfl's first pass: not STB_LOCAL */
};

#define ABSOLUTE (-2)

/* An allocated section of the module's file, as libdwfl lists them to tell sections apart. */
struct section {
	uint64_t start, end;
};

struct ma_symtab {
	struct sym *v;
	size_t n;
	uint64_t *max_end;       /* max_end[i]: the highest end (start + size) among v[0..i] */
	struct section *sections; /* sorted by start */
	size_t nsections;
};

/* Return libdwfl's rank of a symbol binding. */
static int binding_rank(const GElf_Sym *s)
{
	switch (GELF_ST_BIND(s->st_info)) {
	case STB_GLOBAL:
		return 3;
	case STB_WEAK:
		return 2;
	case STB_LOCAL:
		return 1;
	default:
		return 0;
	}
}

/* A symbol's sort key: its start, and where it is in the table being sorted. */
struct key {
	uint64_t start;
	size_t at;
};

/* Return the n symbols of v (freed), which are in table order, sorted by start, ties in table
 * order, in a new array: a stable
 * radix sort of their keys, a byte a pass, the passes over bytes that all keys share skipped
 * (cc1's 29,000 symbols: qsort's comparisons and moves of whole symbols were a sixth of a
 * report of a make -j2's logs). */
static struct sym *sort_syms(struct sym *v, size_t n)
{
	struct key *a = xmalloc((n ? n : 1) * sizeof *a), *b = xmalloc((n ? n : 1) * sizeof *b), *t;
	struct sym *out;
	uint64_t all_or = 0, all_and = ~(uint64_t)0;

	for (size_t i = 0; i < n; i++) {
		a[i] = (struct key){ v[i].start, i };
		all_or |= v[i].start;
		all_and &= v[i].start;
	}
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };

		if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
			continue; /* every key has the same byte here */
		for (size_t i = 0; i < n; i++)
			count[((a[i].start >> shift) & 0xff) + 1]++;
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++)
			b[count[(a[i].start >> shift) & 0xff]++] = a[i];
		t = a, a = b, b = t;
	}
	out = xmalloc((n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = v[a[i].at];
	free(v);
	free(a);
	free(b);
	return out;
}

/* qsort: sections by start. */
static int cmp_section(const void *a, const void *b)
{
	const struct section *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Read the allocated sections of mod's main file into t, sorted by start. */
static void read_sections(struct ma_symtab *t, Dwfl_Module *mod)
{
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	Elf_Scn *scn = NULL;
	size_t count = 0;

	if (!elf || elf_getshdrnum(elf, &count) != 0)
		return;
	t->sections = xcalloc(count, sizeof *t->sections);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr shdr;

		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_ALLOC) ||
		    t->nsections == count)
			continue;
		t->sections[t->nsections].start = shdr.sh_addr + bias;
		t->sections[t->nsections].end = shdr.sh_addr + bias + shdr.sh_size;
		t->nsections++;
	}
	sort_array(t->sections, t->nsections, sizeof *t->sections, cmp_section);
}

/* Return the index of the section that holds addr, or -1: libdwfl's way, a section's end address
 * counting as inside it unless the next section starts there. */
static long section_at(const struct ma_symtab *t, uint64_t addr)
{
	size_t lo = 0, hi = t->nsections;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (addr < t->sections[mid].start) {
			hi = mid;
		} else if (addr > t->sections[mid].end) {
			lo = mid + 1;
		} else {
			if (addr == t->sections[mid].end && mid + 1 < t->nsections &&
			    addr == t->sections[mid + 1].start)
				mid++;
			return (long)mid;
		}
	}
	return -1;
}

/* Read and sort the symbols of mod that can name code or data; see symtab.h. */
struct ma_symtab *ma_symtab_read(Dwfl_Module *mod)
{
	struct ma_symtab *t = xcalloc(1, sizeof *t);
	int count = dwfl_module_getsymtab(mod);
	size_t cap = count > 0 ? (size_t)count : 0;

	t->v = xcalloc(cap, sizeof *t->v);
	for (int i = 1; i < count; i++) {
		GElf_Sym s;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(mod, i, &s, &addr, &shndx, NULL, NULL);
		int type = GELF_ST_TYPE(s.st_info);
		struct sym *out = &t->v[t->n];

		/* An empty name is st_name 0 (linkers give the empty string offset 0): known
		 * without reading the string table, which was a cache miss per symbol in cc1's
		 * 1.3 MB of names, a fifth of a make -j2's report. */
		if (!name || !s.st_name || type == STT_SECTION || type == STT_FILE || type == STT_TLS ||
		    s.st_shndx == SHN_UNDEF)
			continue;
		*out = (struct sym){ .start = addr, .size = s.st_size, .name = name,
				     .rank = binding_rank(&s),
				     .global = GELF_ST_BIND(s.st_info) != STB_LOCAL,
				     .index = (uint32_t)i };
		out->section = shndx >= SHN_LORESERVE ? ABSOLUTE : 0;
		t->n++;
	}
	read_sections(t, mod);
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].size && t->v[i].section != ABSOLUTE)
			t->v[i].section = (int32_t)section_at(t, t->v[i].start);
	t->v = sort_syms(t->v, t->n);
	t->max_end = xcalloc(t->n, sizeof *t->max_end);
	for (size_t i = 0; i < t->n; i++) {
		uint64_t end = t->v[i].start + t->v[i].size;
		uint64_t before = i ? t->max_end[i - 1] : 0;

		t->max_end[i] = end > before ? end : before;
	}
	return t;
}

/* Free t. */
void ma_symtab_free(struct ma_symtab *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->max_end);
	free(t->sections);
	free(t);
}

/* Return whether sized symbol a names an address that both cover better than b (NULL): the
 * nearer start, then the stronger binding, then the smaller size, then the earlier entry. */
static bool better(const struct sym *a, const struct sym *b)
{
	if (!b)
		return true;
	if (a->start != b->start)
		return a->start > b->start;
	if (a->rank != b->rank)
		return a->rank > b->rank;
	if (a->size != b->size)
		return a->size < b->size;
	return a->index < b->index;
}

/* Return the label libdwfl would fall back to for addr, or NULL: one that starts where the last
 * symbols at or below addr start, in addr's section, after the end of every sized symbol below;
 * of several, the last one libdwfl's search meets (its second pass, over local symbols, comes
 * after the first). last is the last symbol that starts at or below addr. */
static const struct sym *label_for(const struct ma_symtab *t, size_t last, uint64_t addr)
{
	const struct sym *found = NULL;
	uint64_t at = t->v[last].start;

	if (t->max_end[last] > at)
		return NULL; /* a sized symbol below reaches past the labels */
	for (size_t i = last + 1; i-- > 0 && t->v[i].start == at;) {
		const struct sym *s = &t->v[i];

		if (s->size || (s->section == ABSOLUTE ? s->start != addr
						       : s->section != section_at(t, addr)))
			continue;
		if (!found || (found->global && !s->global) ||
		    (found->global == s->global && s->index > found->index))
			found = s;
	}
	return found;
}

/* Return the name for addr; see symtab.h. */
const char *ma_symtab_lookup(const struct ma_symtab *t, uint64_t addr)
{
	const struct sym *global = NULL, *local = NULL, *label;
	size_t lo = 0, hi = t->n, last;

	while (lo < hi) { /* the first symbol that starts above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	last = lo - 1;
	/* the sized symbols that cover addr: walk down while one below could still reach it */
	for (size_t i = last + 1; i-- > 0 && t->max_end[i] > addr;) {
		const struct sym *s = &t->v[i];

		if (!s->size || addr - s->start >= s->size)
			continue;
		if (s->global && better(s, global))
			global = s;
		else if (!s->global && better(s, local))
			local = s;
	}
	if (global)
		return global->name;
	label = label_for(t, last, addr);
	if (label && label->global && label->start == addr)
		return label->name; /* libdwfl skips the local symbols then */
	if (local)
		return local->name;
	return label ? label->name : NULL;
}
