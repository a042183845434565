/* maps.c: see maps.h. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "policy/engine/frontend.h"
#include "policy/engine/maps.h"
#include "policy/engine/proc.h"
#include "policy/tracker.h"

/* Parse the hex number at *p, advancing past it. */
static uintptr_t hex(const char **p)
{
	uintptr_t v = 0;

	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (uintptr_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uintptr_t)(c - 'a' + 10);
		else
			return v;
	}
}

/* One line "start-end perms offset major:minor inode   path" into v. */
static void parse(const char *line, struct vma *v)
{
	const char *p = line;
	uintptr_t maj, min, ino;

	memset(v, 0, sizeof *v);
	v->start = hex(&p);
	p++;
	v->end = hex(&p);
	p++;
	v->prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
		  (p[2] == 'x' ? PROT_EXEC : 0);
	/* shared and private mappings never merge with each other: fold 's' into the identity */
	v->ident = p[3] == 's' ? 1 : 0;
	p += 5;
	v->pgoff = hex(&p);
	p++;
	maj = hex(&p);
	p++;
	min = hex(&p);
	p++;
	ino = strtoul(p, (char **)&p, 10);
	if (ino)
		v->ident = (maj << 40) ^ (min << 32) ^ ino ^ (v->ident << 63);
	while (*p == ' ')
		p++;
	/* [vdso], [vvar], [vsyscall]: VM_SPECIAL, never changed; [stack] grows down: its flags
	 * differ from any neighbour's */
	if (p[0] == '[' && p[1] == 'v')
		v->special = 1;
	else if (strncmp(p, "[stack]", 7) == 0)
		v->ident = 2;
}

/* Fill a VMA's flags from the tracker (the first page speaks for the VMA). */
static void tracked_flags(struct engine_proc *p, struct vma *v)
{
	v->flags = tracker_query(p->tracker, v->start, v->start + p->page_size, NULL);
}

struct each {
	void (*fn)(struct vma *v, void *arg);
	void *arg;
};

static void parse_line(char *line, void *arg)
{
	struct each *x = arg;
	struct vma v;

	if (strstr(line, "[vsyscall]"))
		return;
	parse(line, &v);
	x->fn(&v, x->arg);
}

/* Read the target's maps line by line into fn, without the gate area ([vsyscall]: shown in maps
 * but not a VMA of the process, not in mm->map_count). Returns 0, or -1 when unreadable. */
static int each_line(struct engine_proc *p, void (*fn)(struct vma *v, void *arg), void *arg)
{
	struct each x = {fn, arg};

	return p->fe->proc_lines(p->fe_ctx, "maps", parse_line, &x);
}

struct around {
	struct engine_proc *p;
	uintptr_t s, e;
	struct maps_view *mv;
};

static void collect_around(struct vma *v, void *arg)
{
	struct around *a = arg;
	struct maps_view *mv = a->mv;

	mv->count++;
	if (v->end < a->s || v->start > a->e)
		return;
	if (mv->n == MAPS_AROUND) {
		mv->complete = 0;
		return;
	}
	tracked_flags(a->p, v);
	mv->v[mv->n++] = *v;
}

int maps_read(struct engine_proc *p, uintptr_t s, uintptr_t e, struct maps_view *mv)
{
	struct around a = {p, s, e, mv};
	int r;

	mv->count = 0;
	mv->n = 0;
	mv->complete = 1;
	r = each_line(p, collect_around, &a);
	p->maps.bound = mv->count;
	p->maps.since_read = 0;
	return r;
}

struct visit {
	void (*fn)(const struct vma *v, void *arg);
	void *arg;
};

static void visit_lockable(struct vma *v, void *arg)
{
	struct visit *x = arg;

	if (!v->special)
		x->fn(v, x->arg);
}

int maps_foreach(struct engine_proc *p, void (*fn)(const struct vma *v, void *arg), void *arg)
{
	struct visit x = {fn, arg};

	return each_line(p, visit_lockable, &x);
}

struct anon_check {
	uintptr_t s, e;
	int other; /* a VMA in [s, e) that is shared or file-backed */
};

static void check_anon(struct vma *v, void *arg)
{
	struct anon_check *a = arg;

	if (v->start < a->e && a->s < v->end && v->ident != 0)
		a->other = 1;
}

int maps_private_anon(struct engine_proc *p, uintptr_t s, uintptr_t e)
{
	struct anon_check a = {s, e, 0};

	return each_line(p, check_anon, &a) == 0 && !a.other;
}
