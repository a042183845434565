/* gen_log.c: writes a realistic memaudit log (docs/log-format.md) for the report benchmark.
 *
 * The log looks like one of a busy program under the shim: a header, the modules this program has
 * loaded (real files, so that memaudit-report symbolizes real code; build ids are left out),
 * STACKS distinct stacks of 4 to 24 frames whose addresses lie in those modules' code, EVENTS
 * events spread over the stacks (a few stacks are hot) and over lock, unlock, advice, mapping and
 * free calls, about 3% of them failing, findings for the failures and for heap locking, what-if
 * records and an exit record. The same arguments always give the same log.
 *
 * Usage: gen_log [EVENTS [STACKS [PID]]]   (default 100000 300 4242); the log goes to stdout.
 */
#define _GNU_SOURCE

#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODULES 8

/* A loaded module with a path: where its code lies, relative to its load bias. */
struct module {
	char path[4096];
	uintptr_t base, code_start, code_len;
};

static struct module modules[MAX_MODULES];
static int nmodules;
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* Return the next number of a xorshift64* sequence (deterministic). */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1du;
}

/* Return a number in [0, n). */
static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

/* dl_iterate_phdr callback: remember each module that has a file and an executable segment. */
static int add_module(struct dl_phdr_info *info, size_t size, void *data)
{
	struct module *m = &modules[nmodules];

	(void)size;
	(void)data;
	if (nmodules == MAX_MODULES)
		return 1;
	if (info->dlpi_name[0] == '/')
		snprintf(m->path, sizeof m->path, "%s", info->dlpi_name);
	else if (!info->dlpi_name[0] && !realpath("/proc/self/exe", m->path))
		return 0;
	if (!m->path[0])
		return 0; /* the vdso */
	m->base = info->dlpi_addr;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD && (info->dlpi_phdr[i].p_flags & PF_X)) {
			m->code_start = info->dlpi_phdr[i].p_vaddr;
			m->code_len = info->dlpi_phdr[i].p_memsz;
		}
	if (!m->code_len)
		return 0;
	nmodules++;
	return 0;
}

/* Print the header record. */
static void header(long pid)
{
	printf("{\"type\":\"header\",\"format\":\"memaudit-log\",\"version\":1,\"pid\":%ld,"
	       "\"ppid\":1,\"exe\":\"%s\",\"progname\":\"gen_log\",\"argv\":[\"gen_log\","
	       "\"--bench\"],\"argv_truncated\":false,\"start\":{\"sec\":1795000000,\"nsec\":%ld},"
	       "\"page_size\":4096,\"real_page_size\":4096,\"memlock\":{\"soft\":65536,"
	       "\"hard\":65536,\"cap_ipc_lock\":false,\"simulated\":65536},"
	       "\"max_map_count\":65530,\"policy\":\"audit\",\"parent_log\":null,"
	       "\"whatif_limits\":[32768,65536,8388608,65536],\"shim\":\"0.1.0\"}\n",
	       pid, modules[0].path, pid);
}

/* Print the module records and the stack records (frames innermost first: libc, then code of
 * the other modules). */
static void modules_and_stacks(int stacks)
{
	for (int i = 0; i < nmodules; i++)
		printf("{\"type\":\"module\",\"id\":%d,\"path\":\"%s\",\"base\":%lu,"
		       "\"build_id\":null}\n", i + 1, modules[i].path, (unsigned long)modules[i].base);
	for (int s = 1; s <= stacks; s++) {
		int n = 4 + (int)below(21);

		printf("{\"type\":\"stack\",\"id\":%d,\"frames\":[", s);
		for (int f = 0; f < n; f++) {
			int m = (int)below((uint64_t)nmodules);
			uintptr_t off = modules[m].code_start + below(modules[m].code_len);

			printf("%s[%d,%lu]", f ? "," : "", m + 1, (unsigned long)off);
		}
		printf("]}\n");
	}
}

/* Return a stack id: a quarter of the calls come from the first 8 stacks (hot paths). */
static int pick_stack(int stacks)
{
	if (below(4) == 0)
		return 1 + (int)below(stacks < 8 ? (uint64_t)stacks : 8);
	return 1 + (int)below((uint64_t)stacks);
}

/* Print the events, their findings and the what-if records. The op of a call follows from its
 * stack, as in a real program, where a call site calls one function. */
static void events(long count, int stacks)
{
	static const char *const ops[] = { "mlock", "munlock", "madvise", "mmap", "munmap",
					   "free", "mlock", "madvise" };
	unsigned long long locked = 0, calls = 0, t = 0;
	int whatif32 = 0, whatif64 = 0;

	for (long seq = 1; seq <= count; seq++) {
		int stack = pick_stack(stacks);
		const char *op = ops[stack % 8];
		int fail = below(100) < 3;
		int err = !fail ? 0 : !strcmp(op, "madvise") ? 22 : 12;
		unsigned long len = 16 + below(8192);
		unsigned long pages = (len + 4095) / 4096;

		t += 1000 + below(5000);
		printf("{\"type\":\"event\",\"seq\":%ld,\"t\":%llu,\"tid\":%ld,\"op\":\"%s\","
		       "\"addr\":%lu,\"len\":%lu,", seq, t, 4242 + (long)below(4), op,
		       (unsigned long)(0x555555560000u + below(1u << 24)), len);
		if (!strcmp(op, "mlock")) {
			unsigned long charged = fail ? 0 : below(pages + 1);

			locked = fail ? locked : (locked + charged * 4096) % (1u << 20);
			printf("\"ok\":%s,\"errno\":%d,\"stack\":%d,\"call\":%llu,\"pages\":%lu,"
			       "\"charged\":%lu,\"locked_bytes\":%llu}\n", fail ? "false" : "true",
			       err, stack, ++calls, pages, charged, locked);
		} else if (!strcmp(op, "munlock")) {
			locked = locked > 4096 ? locked - 4096 : 0;
			printf("\"ok\":%s,\"errno\":%d,\"stack\":%d,\"pages\":%lu,\"charged\":0,"
			       "\"locked_bytes\":%llu}\n", fail ? "false" : "true", err, stack,
			       pages, locked);
		} else if (!strcmp(op, "madvise")) {
			printf("\"advice\":%d,\"ok\":%s,\"errno\":%d,\"stack\":%d,\"pages\":%lu}\n",
			       below(2) ? 16 : 18, fail ? "false" : "true", err, stack, pages);
		} else {
			printf("\"ok\":%s,\"errno\":%d,\"stack\":%d}\n", fail ? "false" : "true",
			       err, stack);
		}
		if (fail)
			printf("{\"type\":\"finding\",\"rule\":\"call-failed\",\"severity\":\"warning\","
			       "\"seq\":%ld,\"stack\":%d,\"message\":\"%s(%lu bytes) failed with "
			       "errno %d: that memory is not protected\",\"related_stack\":null}\n",
			       seq, stack, op, len, err);
		else if (!strcmp(op, "mlock") && below(10) == 0)
			printf("{\"type\":\"finding\",\"rule\":\"lock-heap\",\"severity\":\"warning\","
			       "\"seq\":%ld,\"stack\":%d,\"message\":\"mlock of malloc heap memory "
			       "(%lu bytes): whole pages shared with other objects are locked\","
			       "\"related_stack\":null}\n", seq, stack, len);
		if (!strcmp(op, "mlock") && !whatif32 && locked > 32768) {
			whatif32 = 1;
			printf("{\"type\":\"whatif\",\"limit\":32768,\"call\":%llu,\"seq\":%ld,"
			       "\"stack\":%d,\"errno\":12}\n", calls, seq, stack);
		}
		if (!strcmp(op, "mlock") && !whatif64 && locked > 65536) {
			whatif64 = 1;
			for (int twice = 0; twice < 2; twice++)
				printf("{\"type\":\"whatif\",\"limit\":65536,\"call\":%llu,\"seq\":%ld,"
				       "\"stack\":%d,\"errno\":12}\n", calls, seq, stack);
		}
	}
	printf("{\"type\":\"exit\",\"t\":%llu,\"how\":\"exit\",\"status\":0,\"locked_bytes\":%llu,"
	       "\"vmlck_bytes\":%llu,\"events\":%ld}\n", t + 1000, locked, locked, count);
}

/* Write the log described at the top of this file. */
int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 100000;
	int stacks = argc > 2 ? atoi(argv[2]) : 300;
	long pid = argc > 3 ? atol(argv[3]) : 4242;

	if (count < 0 || stacks < 1) {
		fprintf(stderr, "usage: gen_log [EVENTS [STACKS [PID]]]\n");
		return 2;
	}
	rng_state ^= (uint64_t)pid * 0x100000001b3u;
	dl_iterate_phdr(add_module, NULL);
	if (!nmodules) {
		fprintf(stderr, "gen_log: no module found\n");
		return 1;
	}
	header(pid);
	modules_and_stacks(stacks);
	events(count, stacks);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
