/* report_model.c: sites, findings, completeness and symbolized stacks per process (see
 * report_model.h). */
#include <config.h>

#include "report_model.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NOTES 32     /* notes per process; see add_note */
#define MAX_ERRNOS 32    /* distinct errno values per call site; see add_failure */

static const char *const op_names[MA_OP_COUNT] = {
	[MA_OP_MLOCK] = "mlock",         [MA_OP_MLOCK2] = "mlock2",
	[MA_OP_MUNLOCK] = "munlock",     [MA_OP_MLOCKALL] = "mlockall",
	[MA_OP_MUNLOCKALL] = "munlockall", [MA_OP_MADVISE] = "madvise",
	[MA_OP_POSIX_MADVISE] = "posix_madvise", [MA_OP_MMAP] = "mmap",
	[MA_OP_MUNMAP] = "munmap",       [MA_OP_MREMAP] = "mremap",
	[MA_OP_MPROTECT] = "mprotect",   [MA_OP_MEMFD_SECRET] = "memfd_secret",
	[MA_OP_FREE] = "free",           [MA_OP_REALLOC] = "realloc",
	[MA_OP_HEAP_GROW] = "heap-grow",
};

/* Return the name of op. */
const char *ma_op_name(enum ma_op op)
{
	return op < MA_OP_COUNT ? op_names[op] : "?";
}

/* Return the op called name, or MA_OP_COUNT when it makes no call site. */
static enum ma_op op_from_name(const char *name)
{
	for (int i = 0; name && i < MA_OP_COUNT; i++)
		if (!strcmp(op_names[i], name))
			return (enum ma_op)i;
	return MA_OP_COUNT;
}

/* Return the rank of a severity name. */
enum ma_severity ma_severity_rank(const char *name)
{
	if (!name)
		return MA_SEV_UNKNOWN;
	if (!strcmp(name, "error"))
		return MA_SEV_ERROR;
	if (!strcmp(name, "warning"))
		return MA_SEV_WARNING;
	if (!strcmp(name, "note"))
		return MA_SEV_NOTE;
	return MA_SEV_UNKNOWN;
}

/* Add a note (printf-style) to p unless the same text is there already. A process keeps at most
 * MAX_NOTES notes (a hostile log can name thousands of unreadable modules): the last one then says
 * that more were left out. */
static void add_note(struct ma_process *p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (p->nnotes > MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < p->nnotes; i++)
		if (!strcmp(p->notes[i], buf))
			return;
	if (p->nnotes == MAX_NOTES)
		snprintf(buf, sizeof buf, "more notes left out (a report shows %d)", MAX_NOTES);
	GROW(p->notes, p->notes_cap, p->nnotes);
	p->notes[p->nnotes++] = xstrdup(buf);
}

/* ---------------------------------------------------------------------
 * Aggregation (the log reader's sink)
 * --------------------------------------------------------------------- */

/* Add count failures with errno err to site s, injected of them refused by the policy (the program
 * saw those fail all the same). A site keeps MAX_ERRNOS distinct values (a real one sees two or
 * three; a hostile log could give every event its own): failures with further values count under
 * errno 0, which no failure has. */
void ma_site_add_failures(struct ma_site *s, int64_t err, uint64_t count, uint64_t injected)
{
	struct ma_errcount *e = NULL;

	for (size_t i = 0; i < s->nfailures && !e; i++)
		if (s->failures[i].err == err)
			e = &s->failures[i];
	if (!e && err != 0 && s->nfailures >= MAX_ERRNOS) {
		err = 0;
		for (size_t i = 0; i < s->nfailures && !e; i++)
			if (s->failures[i].err == 0)
				e = &s->failures[i];
	}
	if (!e) {
		GROW(s->failures, s->failures_cap, s->nfailures);
		e = &s->failures[s->nfailures++];
		e->err = err;
		e->count = 0;
		e->injected = 0;
	}
	e->count = sat_add(e->count, count);
	e->injected = sat_add(e->injected, injected);
	s->injected = sat_add(s->injected, injected);
}

/* Sink: fold one event into the peak and its call site. */
static void on_event(void *ctx, const struct ma_event *ev)
{
	struct ma_process *p = ctx;
	enum ma_op op = op_from_name(ev->op);
	struct ma_site *s;
	size_t i;

	if (ev->has_locked_bytes && ev->locked_bytes > p->peak_locked)
		p->peak_locked = ev->locked_bytes;
	if (ev->has_locked_bytes)
		ma_timeline_add(&p->timeline, ev->has_t, ev->t, p->log.events, ev->locked_bytes);
	if (ev->op && !strcmp(ev->op, "fork") && ev->has_child &&
	    ma_log_keep(&p->log, sizeof *p->forked)) {
		GROW(p->forked, p->forked_cap, p->nforked);
		p->forked[p->nforked++] = ev->child;
	}
	if (op == MA_OP_COUNT)
		return;
	if (!idmap_get(&p->site_ids, op, ev->stack, &i)) {
		if (!ma_log_keep(&p->log, sizeof *s + IDMAP_ENTRY_SIZE +
						  (MAX_ERRNOS + 1) * sizeof *s->failures))
			return;
		GROW(p->sites, p->sites_cap, p->nsites);
		i = p->nsites++;
		memset(&p->sites[i], 0, sizeof p->sites[i]);
		p->sites[i].op = op;
		p->sites[i].stack = ev->stack;
		idmap_put(&p->site_ids, op, ev->stack, i);
	}
	s = &p->sites[i];
	s->calls = sat_add(s->calls, 1);
	s->bytes = sat_add(s->bytes, ev->len);
	if (ev->has_locked_bytes && ev->locked_bytes > s->peak_locked)
		s->peak_locked = ev->locked_bytes;
	/* pages locked: what a call charged (lock calls, locking mmap, heap growth under
	 * MCL_FUTURE); for the others the pages of the range */
	if (op == MA_OP_MLOCK || op == MA_OP_MLOCK2 || op == MA_OP_MLOCKALL || op == MA_OP_MMAP ||
	    op == MA_OP_HEAP_GROW)
		s->pages = sat_add(s->pages, ev->has_charged ? ev->charged : 0);
	else
		s->pages = sat_add(s->pages, ev->has_pages ? ev->pages : 0);
	if (!ev->ok)
		ma_site_add_failures(s, ev->err, 1, ev->injected ? 1 : 0);
	if ((op == MA_OP_MADVISE || op == MA_OP_POSIX_MADVISE) && ev->has_advice) {
		if (ev->advice >= 0 && ev->advice < 64)
			s->advice_seen |= UINT64_C(1) << ev->advice;
		else
			s->advice_other = true;
	}
}

/* Return the index of the finding (rule, stack) of p, or SIZE_MAX when there is none yet. */
static size_t find_finding(const struct ma_process *p, const char *rule, int64_t stack)
{
	size_t i;

	if (!idmap_get(&p->finding_ids, idmap_hash_str(rule), stack, &i))
		return SIZE_MAX;
	if (!strcmp(p->findings[i].rule, rule))
		return i;
	for (i = 0; i < p->nfindings; i++) /* hash collision */
		if (p->findings[i].stack == stack && !strcmp(p->findings[i].rule, rule))
			return i;
	return SIZE_MAX;
}

/* Sink: count one finding record under its (rule, stack). Records without a rule are ignored. */
static void on_finding(void *ctx, const struct ma_finding_rec *rec)
{
	struct ma_process *p = ctx;
	struct ma_finding *f;
	size_t i;

	if (!rec->rule)
		return;
	i = find_finding(p, rec->rule, rec->stack);
	if (i == SIZE_MAX) {
		if (!ma_log_keep(&p->log, sizeof *f + IDMAP_ENTRY_SIZE + strlen(rec->rule) + 3 +
						  (rec->severity ? strlen(rec->severity) : 0) +
						  (rec->message ? strlen(rec->message) : 0)))
			return;
		GROW(p->findings, p->findings_cap, p->nfindings);
		i = p->nfindings++;
		f = &p->findings[i];
		memset(f, 0, sizeof *f);
		f->rule = xstrdup(rec->rule);
		f->severity = xstrdup(rec->severity);
		f->message = xstrdup(rec->message);
		f->stack = rec->stack;
		f->related_stack = rec->related_stack;
		idmap_put(&p->finding_ids, idmap_hash_str(rec->rule), rec->stack, i);
	}
	p->findings[i].count = sat_add(p->findings[i].count, 1);
	if (rec->suppressed)
		p->findings[i].suppressed_in_process = true;
}

/* ---------------------------------------------------------------------
 * Ordering
 * --------------------------------------------------------------------- */

/* qsort: failures by count descending, then errno. */
static int cmp_failure(const void *a, const void *b)
{
	const struct ma_errcount *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->err > y->err) - (x->err < y->err);
}

/* Sort the failures of s by count, descending. */
void ma_site_sort_failures(struct ma_site *s)
{
	sort_array(s->failures, s->nfailures, sizeof *s->failures, cmp_failure);
}

/* qsort: sites by pages, then calls, descending; then op and stack for a stable order. */
int ma_site_cmp(const void *a, const void *b)
{
	const struct ma_site *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	return (x->stack > y->stack) - (x->stack < y->stack);
}

/* qsort: findings by severity descending, rule name, count descending, stack. */
int ma_finding_cmp(const void *a, const void *b)
{
	const struct ma_finding *x = a, *y = b;
	enum ma_severity sx = ma_severity_rank(x->severity), sy = ma_severity_rank(y->severity);
	int c;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->stack > y->stack) - (x->stack < y->stack);
}

/* Sort the sites and findings of p; the id maps are not used after this. */
static void sort_process(struct ma_process *p)
{
	for (size_t i = 0; i < p->nsites; i++)
		ma_site_sort_failures(&p->sites[i]);
	sort_array(p->sites, p->nsites, sizeof *p->sites, ma_site_cmp);
	sort_array(p->findings, p->nfindings, sizeof *p->findings, ma_finding_cmp);
	idmap_free(&p->site_ids);
	idmap_free(&p->finding_ids);
}

/* ---------------------------------------------------------------------
 * Processes
 * --------------------------------------------------------------------- */

/* Return a new process for the log called path, its reader ready to aggregate into it. */
static struct ma_process *process_new(const char *path)
{
	struct ma_process *p = xcalloc(1, sizeof *p);
	struct ma_log_sink sink = { .ctx = p, .event = on_event, .finding = on_finding };

	p->path = xstrdup(path);
	idmap_init(&p->site_ids);
	idmap_init(&p->finding_ids);
	idmap_init(&p->rstack_ids);
	ma_log_init(&p->log, &sink);
	return p;
}

/* Finish p once its log has been read: the peak seen at exit, sorted sites and findings. */
static struct ma_process *process_read(struct ma_process *p)
{
	if (p->log.has_exit_locked && p->log.exit_locked_bytes > p->peak_locked)
		p->peak_locked = p->log.exit_locked_bytes;
	if (p->log.has_exit_locked)
		ma_timeline_add(&p->timeline, p->log.has_exit_t, p->log.exit_t, p->log.events,
				p->log.exit_locked_bytes);
	sort_process(p);
	return p;
}

/* Read and aggregate the log at path; see report_model.h. */
struct ma_process *ma_process_load(const char *path)
{
	return ma_process_load_fd(path, -1);
}

/* Read the log of fd, or of the file at name when fd < 0. */
struct ma_process *ma_process_load_fd(const char *name, int fd)
{
	struct ma_process *p = process_new(name);

	if ((fd < 0 ? ma_log_read_file(&p->log, name) : ma_log_read_fd(&p->log, fd)) < 0) {
		int saved = errno;

		ma_process_free(p);
		errno = saved;
		return NULL;
	}
	return process_read(p);
}

/* Aggregate the log held in buf[0..len) as if read from a file called name. */
struct ma_process *ma_process_parse(const char *name, const char *buf, size_t len)
{
	struct ma_process *p = process_new(name);

	ma_log_parse_buffer(&p->log, buf, len);
	return process_read(p);
}

/* Free p. */
void ma_process_free(struct ma_process *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsites; i++)
		free(p->sites[i].failures);
	free(p->sites);
	idmap_free(&p->site_ids);
	for (size_t i = 0; i < p->nfindings; i++) {
		free(p->findings[i].rule);
		free(p->findings[i].severity);
		free(p->findings[i].message);
	}
	free(p->findings);
	idmap_free(&p->finding_ids);
	for (size_t i = 0; i < p->nrstacks; i++)
		free(p->rstacks[i].frames);
	free(p->rstacks);
	idmap_free(&p->rstack_ids);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	free(p->forked);
	free(p->incomplete_reason);
	free(p->children);
	ma_timeline_free(&p->timeline);
	ma_log_free(&p->log);
	free(p->path);
	free(p);
}

/* ---------------------------------------------------------------------
 * Symbolization and suppression
 * --------------------------------------------------------------------- */

/* Return whether a module (by path) belongs to memaudit itself. */
static bool is_memaudit_module(const char *path)
{
	return path && !strncmp(base_name(path), "libmemaudit", 11);
}

/* Append frame f to the resolved stack rs (cap: its capacity). */
static void add_rframe(struct ma_rstack *rs, size_t *cap, const struct ma_sym_frame *f)
{
	GROW(rs->frames, *cap, rs->nframes);
	rs->frames[rs->nframes++] = *f;
}

/* Add the note of a module whose lookup gave status and detail (NULL: none). */
static void module_note(struct ma_process *p, const struct ma_module *m, enum ma_sym_status status,
			const char *detail)
{
	switch (status) {
	case MA_SYM_BUILD_ID:
	case MA_SYM_CANNOT_OPEN:
		add_note(p, "%s: %s; its frames show module+offset only", m->path,
			 detail ? detail : "cannot be read");
		break;
	case MA_SYM_BUDGET:
		add_note(p, "%s; its frames show module+offset only", detail);
		break;
	default:
		if (detail) /* its separate debug file was over the budget */
			add_note(p, "%s", detail);
		break;
	}
}

/* Return the index of the logged frame of st that holds the frame ma_frames_own picks from its
 * symbolized frames: the first in a module of the program's own, else the first that the report
 * shows (the shim's frames are left out). Every frame a logged frame becomes has its module. */
static size_t own_frame_index(const struct ma_process *p, const struct ma_stack *st)
{
	size_t first = st->nframes;

	for (size_t k = 0; k < st->nframes; k++) {
		const struct ma_module *m = st->frames[k].module > 0
			? ma_log_module(&p->log, st->frames[k].module) : NULL;

		if (m && m->path && is_memaudit_module(m->path))
			continue;
		if (m && m->path && !ma_is_system_module(m->path))
			return k;
		if (first == st->nframes)
			first = k;
	}
	return first;
}

/* Resolve stack id of p into p->rstacks (once): each logged frame becomes the frames the
 * symbolizer gives for it (more than one where calls were inlined there). With own_only, only
 * the frames up to the one ma_frames_own picks (all a site's row in the text report shows): the
 * modules of the others are still checked, for the same notes, but their symbols and debug
 * information are not read (most of a report's time, for a C library's compressed DWARF); a
 * later full resolution of the same stack redoes it. */
static void resolve_stack(struct ma_process *p, struct ma_sym *sym, int64_t id, bool own_only)
{
	const struct ma_stack *st;
	struct ma_rstack *rs;
	size_t i, cap = 0, last;

	if (idmap_get(&p->rstack_ids, id, 0, &i)) {
		rs = &p->rstacks[i];
		if (!rs->partial || own_only)
			return;
		free(rs->frames);
	} else {
		GROW(p->rstacks, p->rstacks_cap, p->nrstacks);
		i = p->nrstacks++;
		idmap_put(&p->rstack_ids, id, 0, i);
		rs = &p->rstacks[i];
	}
	rs->frames = NULL;
	rs->nframes = 0;
	rs->partial = own_only;
	st = ma_log_stack(&p->log, id);
	if (!st)
		return;
	last = own_only ? own_frame_index(p, st) : st->nframes;
	for (size_t k = 0; k < st->nframes; k++) {
		const struct ma_frame_ref *ref = &st->frames[k];
		const struct ma_module *m =
			ref->module > 0 ? ma_log_module(&p->log, ref->module) : NULL;
		const struct ma_sym_frame *frames;
		const char *detail = NULL;
		enum ma_sym_status status;
		size_t n;

		if (!m || !m->path) {
			struct ma_sym_frame bare = { .offset = ref->offset };

			if (k <= last)
				add_rframe(rs, &cap, &bare);
			continue;
		}
		if (is_memaudit_module(m->path))
			continue;
		if (k > last && ma_sym_status_only(sym, m->path, m->build_id, ref->offset, true,
						   &status, &detail)) {
			module_note(p, m, status, detail);
			continue;
		}
		/* Every frame is looked up as a return address (offset - 1), the innermost too:
		 * docs/log-format.md calls it an instruction address, but with the shim's frames
		 * left out it is the return address of the call into the wrapper; for a true
		 * instruction address, offset - 1 still lies in the same call instruction or the
		 * one before it. */
		status = ma_sym_lookup(sym, m->path, m->build_id, ref->offset, true, &frames, &n,
				       &detail);
		module_note(p, m, status, detail);
		if (k <= last)
			for (size_t j = 0; j < n; j++)
				add_rframe(rs, &cap, &frames[j]);
	}
}

/* Resolve every stack that p's sites, findings, what-if entries and memlock read show; see
 * report_model.h. */
void ma_process_symbolize(struct ma_process *p, struct ma_sym *sym, bool sites_own_only)
{
	for (size_t i = 0; i < p->nsites; i++)
		resolve_stack(p, sym, p->sites[i].stack, sites_own_only);
	for (size_t i = 0; i < p->nfindings; i++) {
		resolve_stack(p, sym, p->findings[i].stack, false);
		if (p->findings[i].related_stack >= 0)
			resolve_stack(p, sym, p->findings[i].related_stack, false);
	}
	for (size_t i = 0; i < p->log.nwhatif; i++)
		if (p->log.whatif[i].hit)
			resolve_stack(p, sym, p->log.whatif[i].stack, false);
	if (p->log.memlock_read && p->log.memlock_read_stack >= 0)
		resolve_stack(p, sym, p->log.memlock_read_stack, false);
}

/* Return the frames of stack id (resolved by ma_process_symbolize). */
const struct ma_sym_frame *ma_process_frames(const struct ma_process *p, int64_t stack, size_t *n)
{
	size_t i;

	if (!idmap_get(&p->rstack_ids, stack, 0, &i)) {
		*n = 0;
		return NULL;
	}
	*n = p->rstacks[i].nframes;
	return p->rstacks[i].frames;
}

/* Mark p's suppressed findings and count the records they held. */
void ma_process_suppress(struct ma_process *p, const struct ma_suppressions *s)
{
	p->suppressed = 0;
	for (size_t i = 0; i < p->nfindings; i++) {
		struct ma_finding *f = &p->findings[i];
		size_t n;
		const struct ma_sym_frame *frames = ma_process_frames(p, f->stack, &n);

		f->suppressed = f->suppressed_in_process || ma_supp_match(s, f->rule, frames, n);
		if (f->suppressed)
			p->suppressed = sat_add(p->suppressed, f->count);
	}
}

/* Return the first frame in the program's own code, else the innermost, else NULL. */
const struct ma_sym_frame *ma_frames_own(const struct ma_sym_frame *frames, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (frames[i].module && !ma_is_system_module(frames[i].module))
			return &frames[i];
	return n ? &frames[0] : NULL;
}

/* Count p's findings by severity; see report_model.h. */
void ma_process_count_findings(const struct ma_process *p, uint64_t counts[MA_SEV_NONE])
{
	for (size_t i = 0; i < p->nfindings; i++) {
		const struct ma_finding *f = &p->findings[i];
		enum ma_severity s = ma_severity_rank(f->severity);

		if (!f->suppressed)
			counts[s] = sat_add(counts[s], f->count);
	}
}
