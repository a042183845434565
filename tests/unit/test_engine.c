/* test_engine.c: the engine alone (policy/engine/engine.h), driven by a fake front-end: no preload, no
 * interposition, no real mlock. The target is a made-up process: its memory is an array of this
 * test at made-up addresses, its /proc files are strings, its stacks are whatever the test says
 * the next call's stack is. Two such processes are audited side by side (one per engine_proc, as
 * the trace supervisor will), through lock, unlock, advice, free and exit, and the findings in
 * their logs and their models are checked: the engine is front-end independent.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "policy/engine/engine.h"
#include "policy/engine/readable.h"
#include "policy/engine/stacks.h"
#include "policy/rules.h"
#include "policy/tracker.h"
#include "tap.h"

#define PG 4096u
#define HEAP_LO ((uintptr_t)0x555500000000)   /* the fake process's initial program break */
#define HEAP_HI (HEAP_LO + 16 * PG)           /* ... and its break now */
#define MAP_LO ((uintptr_t)0x7f0000000000)   /* an anonymous mapping of 16 pages */
#define MEM_LEN (16 * PG)

/* One fake traced process: the front-end's context (engine_proc's fe_ctx). */
struct fake {
	unsigned char heap[MEM_LEN];  /* what [HEAP_LO, HEAP_HI) holds */
	unsigned char map[MEM_LEN];   /* what [MAP_LO, MAP_LO + MEM_LEN) holds */
	struct engine_frames next;    /* the stack of the next call */
	int reads, locks, unlocks, aborts;
	int fast_reads, fast_faults;  /* view calls; ... where a real copy would have faulted */
	int threads;                  /* other threads run (one_thread answers 0) */
	uint64_t clock;
};

static unsigned char *backing(struct fake *f, uintptr_t a, size_t n)
{
	if (a >= HEAP_LO && a + n <= HEAP_LO + MEM_LEN)
		return f->heap + (a - HEAP_LO);
	if (a >= MAP_LO && a + n <= MAP_LO + MEM_LEN)
		return f->map + (a - MAP_LO);
	return NULL;
}

static int fake_mem_read(void *ctx, uintptr_t addr, void *buf, size_t n)
{
	struct fake *f = ctx;
	unsigned char *b = backing(f, addr, n);

	f->reads++;
	if (!b)
		return -1;
	memcpy(buf, b, n);
	return 0;
}

static ssize_t put_text(char *buf, size_t cap, const char *text, size_t len)
{
	if (len > cap)
		len = cap;
	memcpy(buf, text, len);
	return (ssize_t)len;
}

static ssize_t fake_proc_read(void *ctx, const char *name, char *buf, size_t cap)
{
	char text[1024];
	int n = 0, i;

	(void)ctx;
	if (strcmp(name, "status") == 0)
		n = snprintf(text, sizeof text, "Name:\tfake\nVmSize:\t    1024 kB\nVmLck:\t       0 kB\nCapEff:\t0000000000000000\n");
	else if (strcmp(name, "cmdline") == 0)
		return put_text(buf, cap, "fake\0--secret\0", 14);
	else if (strcmp(name, "stat") == 0) {
		/* field 47 is start_brk (proc(5)) */
		n = snprintf(text, sizeof text, "4242 (fake prog) S");
		for (i = 4; i <= 52; i++)
			n += snprintf(text + n, sizeof text - (size_t)n, " %llu",
				      i == 47 ? (unsigned long long)HEAP_LO : 0ull);
	} else
		return -1;
	return put_text(buf, cap, text, (size_t)n);
}

static int fake_proc_lines(void *ctx, const char *name, void (*fn)(char *line, void *arg), void *arg)
{
	char line[256];

	(void)ctx;
	if (strcmp(name, "maps") != 0 && strcmp(name, "smaps") != 0)
		return -1;
	snprintf(line, sizeof line, "%lx-%lx rw-p 00000000 00:00 0 [heap]", (unsigned long)HEAP_LO,
		 (unsigned long)HEAP_HI);
	fn(line, arg);
	if (strcmp(name, "smaps") == 0) {
		snprintf(line, sizeof line, "VmFlags: rd wr mr mw me ac");
		fn(line, arg);
	}
	snprintf(line, sizeof line, "%lx-%lx rw-p 00000000 00:00 0", (unsigned long)MAP_LO,
		 (unsigned long)(MAP_LO + MEM_LEN));
	fn(line, arg);
	if (strcmp(name, "smaps") == 0) {
		snprintf(line, sizeof line, "VmFlags: rd wr mr mw me ac lo dd");
		fn(line, arg);
	}
	return 0;
}

static ssize_t fake_proc_link(void *ctx, const char *name, char *buf, size_t cap)
{
	(void)ctx;
	(void)name;
	return put_text(buf, cap, "/fake/prog", 10);
}

static int fake_memlock_rlimit(void *ctx, uint64_t *soft, uint64_t *hard)
{
	(void)ctx;
	*soft = *hard = 65536;
	return 0;
}

static uintptr_t fake_brk_now(void *ctx)
{
	(void)ctx;
	return HEAP_HI;
}

static void fake_capture(void *ctx, struct engine_frames *fr)
{
	*fr = ((struct fake *)ctx)->next;
}

static uint64_t fake_now_ns(void *ctx)
{
	return ((struct fake *)ctx)->clock += 1000;
}

static pid_t fake_tid(void *ctx)
{
	(void)ctx;
	return 4242;
}

static void fake_lock(void *ctx)
{
	((struct fake *)ctx)->locks++;
}

static void fake_unlock(void *ctx)
{
	((struct fake *)ctx)->unlocks++;
}

static void *fake_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return calloc(1, size);
}

static void *fake_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	return realloc(ptr, size);
}

static void fake_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

/* One module: the program, loaded at 0x400000. */
static struct engine_module prog = {1, 0x400000, 0x400000, 0x500000, "/fake/prog", "", 0, 1};

static struct engine_module *fake_module_find(void *ctx, uintptr_t ip)
{
	(void)ctx;
	return ip >= prog.lo && ip < prog.hi ? &prog : NULL;
}

static struct engine_module *fake_module_by_id(void *ctx, uint32_t id)
{
	(void)ctx;
	return id == 1 ? &prog : NULL;
}

static void fake_describe(void *ctx, struct engine_proc *p, uint32_t stack, int max_frames,
			  char *buf, size_t cap)
{
	(void)ctx;
	(void)p;
	(void)max_frames;
	snprintf(buf, cap, "stack %u", stack);
}

static int fake_suppressed(void *ctx, struct engine_proc *p, const char *rule, uint32_t stack)
{
	(void)ctx;
	(void)p;
	(void)stack;
	return strcmp(rule, "advise-heap") == 0; /* as MEMAUDIT_SUPPRESSIONS would */
}

static const char *fake_progname(void *ctx, char *buf, int cap)
{
	(void)ctx;
	snprintf(buf, (size_t)cap, "fake");
	return buf;
}

static void fake_abort(void *ctx)
{
	((struct fake *)ctx)->aborts++;
}

static const struct engine_frontend fake_frontend = {
	.mem_read = fake_mem_read,
	.proc_read = fake_proc_read,
	.proc_lines = fake_proc_lines,
	.proc_link = fake_proc_link,
	.memlock_rlimit = fake_memlock_rlimit,
	.brk_now = fake_brk_now,
	.capture = fake_capture,
	.now_ns = fake_now_ns,
	.tid = fake_tid,
	.lock = fake_lock,
	.unlock = fake_unlock,
	.alloc = fake_alloc,
	.realloc = fake_realloc,
	.free = fake_free,
	.module_find = fake_module_find,
	.module_by_id = fake_module_by_id,
	.describe = fake_describe,
	.suppressed = fake_suppressed,
	.progname = fake_progname,
	.abort = fake_abort,
};

/* The preload library's two optional operations for the wipe check's in-process copy
 * (policy/engine/readable.h): the fake memory stands for the process's own. */
static const void *fake_view(void *ctx, uintptr_t addr, size_t n)
{
	static const unsigned char zeros[1 << 16];
	struct fake *f = ctx;
	unsigned char *b = backing(f, addr, n);

	f->fast_reads++;
	if (b)
		return b;
	f->fast_faults++; /* the real read would fault: a test fails on it */
	return n <= sizeof zeros ? zeros : NULL;
}

static int fake_one_thread(void *ctx)
{
	return !((struct fake *)ctx)->threads;
}

static struct engine_frontend fast_frontend; /* fake_frontend with both (main) */

/* The next call is made from the program at offset off (two frames: off, then main's). */
static void at(struct fake *f, uintptr_t off)
{
	f->next.n = 2;
	f->next.ip[0] = prog.base + off;
	f->next.ip[1] = prog.base + 0x1000;
}

static void setup(struct engine_proc *p, struct fake *f, enum engine_policy policy,
		  long long limit, const char *dir, pid_t pid)
{
	memset(p, 0, sizeof *p);
	p->fe = &fake_frontend;
	p->fe_ctx = f;
	p->policy = policy;
	p->page_size = p->real_page_size = PG;
	p->max_map_count = 65530;
	p->log_dir = dir;
	p->fail_on = SEV_ERROR;
	p->exitcode = 99;
	p->memlock_limit = limit;
	p->memlock_max = (uint64_t)limit;
	p->pid = pid;
	p->ppid = 1;
	p->t0 = 0;
}

/* A lock, unlock or advice call as a front-end reports it: begin, the "real" call's result
 * (ok unless the engine refused it), end. Returns the errno begin asked to fail it with. */
static int call(struct engine_proc *p, enum engine_call_kind kind, const char *op, uintptr_t addr,
		size_t len, int advice)
{
	struct engine_call c = {.kind = kind, .op = op, .addr = addr, .len = len, .advice = advice};
	int refuse = engine_call_begin(p, &c);

	engine_call_end(p, &c, !refuse, refuse, refuse != 0, 0);
	return refuse;
}

/* How many findings of rule the log at path holds: full finding records, and finding_at records
 * whose finding_def has that rule (log format version 3). */
static int findings(const char *path, const char *rule)
{
	char line[4096], want[96], full[96];
	FILE *fp = fopen(path, "r");
	int n = 0, ndefs = 0, defs[256], id, i;
	const char *k;

	if (!fp)
		return -1;
	snprintf(want, sizeof want, "\"rule\":\"%s\"", rule);
	snprintf(full, sizeof full, "\"type\":\"finding\",");
	while (fgets(line, sizeof line, fp)) {
		if (strstr(line, "\"type\":\"finding_def\"") && strstr(line, want) &&
		    (k = strstr(line, "\"id\":")) && sscanf(k, "\"id\":%d", &id) == 1 && ndefs < 256) {
			for (i = 0; i < ndefs && defs[i] != id; i++)
				;
			if (i == ndefs) /* a def written again (after lost records) is the same def */
				defs[ndefs++] = id;
		} else if ((k = strstr(line, "\"type\":\"finding_at\",\"def\":")) &&
			   sscanf(k, "\"type\":\"finding_at\",\"def\":%d", &id) == 1) {
			for (i = 0; i < ndefs; i++)
				n += defs[i] == id;
		} else if (strstr(line, full) && strstr(line, want)) {
			n++;
		}
	}
	fclose(fp);
	return n;
}

static int has(const char *path, const char *text)
{
	char line[4096];
	FILE *fp = fopen(path, "r");
	int n = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof line, fp))
		n += strstr(line, text) != NULL;
	fclose(fp);
	return n;
}

static struct fake fa, fb, fc, fd;

/* munlock of 32 bytes locked at x: did the wipe check copy them in-process (1) or read them
 * through mem_read (0)? */
static int unlock_copied(struct engine_proc *p, struct fake *f, uintptr_t x)
{
	int fast = f->fast_reads, reads = f->reads;

	memset(backing(f, x, 32), 0x5a, 32);
	at(f, 0xa00);
	call(p, CK_LOCK, "mlock", x, 32, 0);
	at(f, 0xb00);
	call(p, CK_UNLOCK, "munlock", x, 32, 0);
	if (f->fast_reads == fast + 1 && f->reads == reads)
		return 1;
	return f->fast_reads == fast && f->reads > reads ? 0 : -1;
}

/* d: the wipe check's in-process copy, only where readable.h proves the bytes readable. */
static void test_readable(const char *dir)
{
	struct engine_proc d;
	uintptr_t hp = HEAP_LO + 3 * PG;
	char pd[512];

	setup(&d, &fd, POLICY_AUDIT, 65536, dir, 4545);
	d.fe = &fast_frontend;
	d.glibc_malloc = 1;
	if (engine_proc_start(&d) != 0 || engine_start_log(&d, "fake") != 0) {
		ok(0, "d: started");
		return;
	}
	snprintf(pd, sizeof pd, "%s/%s", dir, d.log.name);
	is_int(unlock_copied(&d, &fd, hp), 1, "d: one thread, the break's heap: copied in-process");
	is_int(unlock_copied(&d, &fd, MAP_LO), 0, "d: a mapping that is not the heap: mem_read");
	at(&fd, 0xc00);
	call(&d, CK_PROTECT, "mprotect", hp, PG, 0);
	is_int(unlock_copied(&d, &fd, hp + 64), 0, "d: a page mprotect named: mem_read from then on");
	at(&fd, 0xc00);
	call(&d, CK_ADVISE, "madvise", hp + PG, PG, 102 /* MADV_GUARD_INSTALL */);
	is_int(unlock_copied(&d, &fd, hp + PG), 0, "d: a page made a guard: mem_read");
	at(&fd, 0xc00);
	call(&d, CK_ADVISE, "madvise", hp + 2 * PG, PG, MADV_DONTNEED);
	is_int(unlock_copied(&d, &fd, hp + 2 * PG), 1, "d: MADV_DONTNEED keeps the page readable");
	engine_unreadable(&d, hp + 3 * PG, 1); /* mremap, pkey_mprotect, syscall(SYS_mprotect) */
	is_int(unlock_copied(&d, &fd, hp + 3 * PG + 128), 0, "d: a page a wrapper marked: mem_read");
	fd.threads = 1;
	is_int(unlock_copied(&d, &fd, hp + 4 * PG), 0,
	       "d: another thread could trim the heap meanwhile: mem_read");
	/* ... but not under a live block's bytes: free() */
	at(&fd, 0xd00);
	call(&d, CK_ADVISE, "madvise", hp + 5 * PG, PG, MADV_DONTDUMP);
	memset(fd.heap + (hp + 5 * PG - HEAP_LO), 0x5a, 64);
	fd.fast_reads = fd.reads = 0;
	at(&fd, 0xe00);
	engine_release(&d, "free", (void *)(hp + 5 * PG), 64, 0);
	/* (mem_read still reads the chunk header: is it a chunk glibc mapped on its own?) */
	is_int(fd.fast_reads, 1, "d: free() of a live block, two threads: copied in-process");
	fd.threads = 0;
	engine_readable_off(&d); /* a raw brk */
	is_int(unlock_copied(&d, &fd, hp + 6 * PG), 0, "d: after a raw brk: mem_read only");
	is_int(fd.fast_faults, 0, "d: no in-process copy of memory that is not there");
	engine_exit(&d, "exit", 0);
	is_int(findings(pd, "release-unwiped"), 9, "d: every release counted its bytes, either way");
	engine_proc_destroy(&d);
	remove(pd);
}

/* Interned ids: stacks that share their innermost frame (stacks.c tries the last one interned with
 * it first) keep ids of their own, each the same every time. */
static void test_stack_ids(const char *dir)
{
	static const uintptr_t frames[4][3] = {
		{0x401100, 0x401200}, {0x401100, 0x401300}, {0x401100, 0x401200, 0x401400}, {0x401110}};
	static const int nframes[4] = {2, 2, 3, 1};
	static struct fake fe;
	struct engine_proc e;
	struct engine_frames f = {0};
	uint32_t first[4];
	int i, j, same = 1;
	char pe[512];

	setup(&e, &fe, POLICY_AUDIT, 65536, dir, 4646);
	if (engine_proc_start(&e) != 0 || engine_start_log(&e, "fake") != 0) {
		ok(0, "e: started");
		return;
	}
	snprintf(pe, sizeof pe, "%s/%s", dir, e.log.name);
	for (j = 0; j < 3; j++)
		for (i = 0; i < 4; i++) {
			uint32_t id;
			f.n = nframes[i];
			memcpy(f.ip, frames[i], sizeof frames[i]);
			id = engine_stack_intern(&e, &f);
			if (j == 0)
				first[i] = id;
			else if (id != first[i])
				same = 0;
		}
	ok(first[0] && first[1] && first[2] && first[3] && first[0] != first[1] && first[0] != first[2] &&
	   first[1] != first[2] && first[3] != first[0], "e: four stacks, four ids");
	ok(same, "e: each stack keeps its id, called again in turn");
	engine_proc_destroy(&e);
	remove(pe);
}

int main(void)
{
	char dir[] = "/tmp/memaudit-test-engine.XXXXXX", pa[512], pb[512];
	struct engine_proc a, b, c;
	char pc[512];
	uint64_t h = HEAP_LO + 2 * PG; /* a heap block */
	int err;

	plan(53);
	if (!mkdtemp(dir))
		return 1;
	fast_frontend = fake_frontend;
	fast_frontend.view = fake_view;
	fast_frontend.one_thread = fake_one_thread;

	/* Two processes audited at once, each with its own object and front-end context. */
	setup(&a, &fa, POLICY_AUDIT, 65536, dir, 4242);
	setup(&b, &fb, POLICY_ENFORCE, 2 * PG, dir, 4343);
	is_int(engine_proc_start(&a), 0, "a: started");
	is_int(engine_proc_start(&b), 0, "b: started");
	is_int(engine_start_log(&a, "fake"), 0, "a: log created");
	is_int(engine_start_log(&b, "fake"), 0, "b: log created");
	snprintf(pa, sizeof pa, "%s/%s", dir, a.log.name);
	snprintf(pb, sizeof pb, "%s/%s", dir, b.log.name);
	ok(strcmp(pa, pb) != 0, "two logs");

	/* a: two secrets of 32 bytes on one heap page, each locked by its own call */
	memset(fa.heap + 2 * PG, 0x5a, 32);
	at(&fa, 0x100);
	is_int(call(&a, CK_LOCK, "mlock", h, 32, 0), 0, "a: mlock of a heap block runs (audit)");
	at(&fa, 0x200);
	call(&a, CK_LOCK, "mlock", h + 64, 32, 0);
	is_int(engine_locked_bytes(&a), PG, "a: one page locked for both (locks do not nest)");
	is_int(a.lock_calls, 2, "a: two lock calls counted");
	is_int(a.track_lo, HEAP_LO + 2 * PG, "a: the free() filter's bounds start at the page");
	ok(engine_may_overlap(&a, (void *)(uintptr_t)(h + 100), 8), "a: a block on that page may overlap");
	ok(!engine_may_overlap(&a, (void *)(uintptr_t)(h + PG), 8), "a: the next page may not");

	/* a: munlock of the first secret unlocks the page, and the neighbour with it; its bytes were
	 * never wiped */
	at(&fa, 0x300);
	call(&a, CK_UNLOCK, "munlock", h, 32, 0);
	is_int(engine_locked_bytes(&a), 0, "a: munlock unlocked the whole page");
	ok(fa.reads > 0, "a: the released bytes were read through the front-end");

	/* a: advice on heap memory, unaligned and aligned */
	at(&fa, 0x400);
	call(&a, CK_ADVISE, "madvise", h + 8, 32, MADV_DONTDUMP);
	at(&fa, 0x500);
	call(&a, CK_ADVISE, "madvise", h, PG, MADV_DONTDUMP);
	ok(tracker_query(a.tracker, h, h + PG, NULL) & TRACK_DONTDUMP, "a: the page is DONTDUMP in the model");

	/* a: a locked region in a mapping, then a free() of a heap block that holds a live lock */
	at(&fa, 0x600);
	call(&a, CK_LOCK, "mlock", MAP_LO, PG, 0);
	at(&fa, 0x700);
	call(&a, CK_LOCK, "mlock", h + 2 * PG, 64, 0);
	at(&fa, 0x800);
	is_int(engine_release(&a, "free", (void *)(uintptr_t)(h + 2 * PG), 64, 0), 1,
	       "a: free() of a locked heap block is recorded");
	is_int(engine_locked_bytes(&a), 2 * PG, "a: free() does not unlock");

	/* c: a fork child of a, as a supervisor makes it: a deep copy, then the child's start */
	is_int(engine_proc_copy(&c, &a, &fc), 0, "c: a copy of a for its fork child");
	engine_fork_child(&c, 4444, 1);
	is_int(engine_start_log(&c, "fake"), 0, "c: its own log");
	snprintf(pc, sizeof pc, "%s/%s", dir, c.log.name);
	is_str(c.parent_log, a.log.name, "c: names a's log as its parent's");
	is_int(engine_locked_bytes(&c), 0, "c: locks are not inherited");
	at(&fc, 0x900);
	call(&c, CK_LOCK, "mlock", MAP_LO + PG, PG, 0);
	ok(engine_locked_bytes(&c) == PG && engine_locked_bytes(&a) == 2 * PG,
	   "c: its lock is its own, a's model is unchanged");
	engine_exit(&c, "exit", 0);
	engine_proc_destroy(&c);
	remove(pc);

	/* b: enforce at a 2-page limit: the third page is refused with the target's errno, and the
	 * model keeps what the target would hold */
	at(&fb, 0x100);
	is_int(call(&b, CK_LOCK, "mlock", MAP_LO, 2 * PG, 0), 0, "b: two pages fit the limit");
	at(&fb, 0x200);
	err = call(&b, CK_LOCK, "mlock", MAP_LO + 2 * PG, PG, 0);
	is_int(err, ENOMEM, "b: the third page is refused with ENOMEM");
	is_int(engine_locked_bytes(&b), 2 * PG, "b: the refused lock locked nothing");
	at(&fb, 0x300);
	is_int(call(&b, CK_ADVISE, "madvise", MAP_LO + 1, 10, MADV_DONTDUMP), EINVAL,
	       "b: unaligned madvise is refused with EINVAL");
	is_int(engine_locked_bytes(&a), 2 * PG, "a: b's calls did not touch a's model");

	/* exit: the exit rules, the records, the status */
	is_int(engine_exit(&a, "exit", 0), 0, "a: audit keeps the exit status");
	is_int(engine_exit(&b, "exit", 0), 0, "b: enforce keeps the exit status too");
	ok(fa.locks == fa.unlocks && fa.locks > 0, "a: the front-end's lock was taken and released");

	is_int(findings(pa, "lock-heap"), 3, "a: lock-heap for each heap lock");
	is_int(findings(pa, "unlock-collateral"), 1, "a: munlock unlocked the neighbour's lock");
	is_int(findings(pa, "release-unwiped"), 1, "a: the munlocked bytes were not wiped");
	is_int(findings(pa, "advise-unaligned"), 1, "a: madvise at h + 8 is unaligned");
	is_int(findings(pa, "lock-freed"), 1, "a: free() of a locked block");
	ok(has(pa, "\"suppressed\":true") >= 1, "a: the front-end's suppression is logged as such");
	is_int(findings(pa, "lock-leak"), 1, "a: at exit, the freed block's heap page is still locked");
	is_int(findings(pa, "protection-lost"), 1,
	       "a: at exit, smaps shows no dd on the heap page the program excluded");
	ok(has(pa, "\"type\":\"module\",\"id\":1,\"path\":\"/fake/prog\""),
	   "a: stacks are logged as frames of the front-end's modules");
	is_int(findings(pb, "lock-limit"), 1, "b: lock-limit for the refused lock");
	ok(has(pb, "\"injected\":true") == 2 && has(pb, "\"type\":\"exit\"") == 1,
	   "b: two injected failures, one exit record");

	engine_proc_destroy(&a);
	engine_proc_destroy(&b);
	remove(pa);
	remove(pb);
	/* last: the fake module's record is logged once per log generation, which d would share */
	test_readable(dir);
	test_stack_ids(dir); /* (its log is not read) */
	rmdir(dir);
	return done_testing();
}
