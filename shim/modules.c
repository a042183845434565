/* modules.c: see modules.h. */
#include "config.h"

#include <elf.h>
#include <stddef.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "modules.h"

#define MAX_MODULES 4096

static struct engine_module *mods[MAX_MODULES];
static uint32_t nmods;
static uintptr_t self_lo, self_hi;
static char exe_path[4096];

/* Copy the GNU build-id note of a loaded object into out as hex. */
static void read_build_id(const struct dl_phdr_info *info, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	out[0] = '\0';
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const char *name = p + sizeof *nh;
			const unsigned char *desc =
				(const unsigned char *)name + ((nh->n_namesz + 3) & ~3u);
			size_t j, n;

			if ((const char *)desc + nh->n_descsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0) {
				n = nh->n_descsz < 20 ? nh->n_descsz : 20;
				for (j = 0; j < n; j++) {
					out[2 * j] = hex[desc[j] >> 4];
					out[2 * j + 1] = hex[desc[j] & 15];
				}
				out[2 * n] = '\0';
				return;
			}
			p = (const char *)desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
}

static char *arena_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = arena_malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* dl_iterate_phdr callback: add objects not seen before, mark the rest live. */
static int visit(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	const char *path = info->dlpi_name;
	struct engine_module *m;
	uint32_t i;
	int k;

	(void)size;
	for (k = 0; k < info->dlpi_phnum; k++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[k];
		if (ph->p_type != PT_LOAD)
			continue;
		if (info->dlpi_addr + ph->p_vaddr < lo)
			lo = info->dlpi_addr + ph->p_vaddr;
		if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi)
			hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
	}
	if (lo >= hi)
		return 0;
	if (!path || !path[0])
		path = exe_path; /* the main program has no name in the link map */
	for (i = 0; i < nmods; i++) {
		m = mods[i];
		if (m->base == info->dlpi_addr && m->lo == lo && strcmp(m->path, path) == 0) {
			m->live = 1;
			return 0;
		}
	}
	if (nmods == MAX_MODULES)
		return 0;
	m = arena_calloc(1, sizeof *m);
	if (!m || !(m->path = arena_strdup(path))) {
		*(int *)arg = -1;
		return 1;
	}
	m->id = nmods + 1;
	m->base = info->dlpi_addr;
	m->lo = lo;
	m->hi = hi;
	m->live = 1;
	read_build_id(info, m->build_id);
	mods[nmods++] = m;
	if ((uintptr_t)&modules_refresh >= lo && (uintptr_t)&modules_refresh < hi) {
		self_lo = lo;
		self_hi = hi;
	}
	return 0;
}

static unsigned long long seen_adds = ~0ull, seen_subs = ~0ull;

/* Read glibc's load and unload counters (dl_iterate_phdr(3): dlpi_adds, dlpi_subs) from the first
 * object and stop the walk there. */
static int read_counters(struct dl_phdr_info *info, size_t size, void *arg)
{
	unsigned long long *c = arg;

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
		c[0] = info->dlpi_adds;
		c[1] = info->dlpi_subs;
	}
	return 1;
}

int modules_refresh(void)
{
	unsigned long long c[2] = {0, 0};
	int err = 0;
	uint32_t i;

	/* Nothing loaded or unloaded since the last walk: the table is current. */
	dl_iterate_phdr(read_counters, c);
	if (c[0] == seen_adds && c[1] == seen_subs && c[0] != 0)
		return 0;
	seen_adds = c[0];
	seen_subs = c[1];

	if (!exe_path[0]) {
		ssize_t n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
		if (n <= 0)
			memcpy(exe_path, "[exe]", 6);
		else
			exe_path[n] = '\0';
	}
	for (i = 0; i < nmods; i++)
		mods[i]->live = 0;
	dl_iterate_phdr(visit, &err);
	return err;
}

/* Search the live modules only: a dlclose'd object's range may now belong to another. */
static struct engine_module *lookup(uintptr_t addr)
{
	uint32_t i;

	for (i = nmods; i-- > 0;)
		if (mods[i]->live && addr >= mods[i]->lo && addr < mods[i]->hi)
			return mods[i];
	return NULL;
}

struct engine_module *modules_find(uintptr_t addr)
{
	struct engine_module *m = lookup(addr);

	if (!m) {
		modules_refresh();
		m = lookup(addr);
	}
	return m;
}

struct engine_module *module_by_id(uint32_t id)
{
	return id >= 1 && id <= nmods ? mods[id - 1] : NULL;
}

int modules_is_self(uintptr_t addr)
{
	return addr >= self_lo && addr < self_hi;
}
