/* log_reader.c: the memaudit log reader, versions 1 to 3 (see log_reader.h, docs/log-format.md). */
#include <config.h>

#include "log_reader.h"
#include "flat_json.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------------------------
 * Typed access to record values: the wrong type counts as absent
 *
 * A record is either a jansson object or a line read by the flat scanner (flat_json.h); both
 * give the same answers for the same line.
 * --------------------------------------------------------------------- */

struct rec {
	const json_t *json;            /* the record, when jansson parsed it */
	const struct flat_rec *flat;   /* else the record as the flat scanner read it */
};

/* Return true and set *out when v is an integer (or an integral real that fits an int64). */
static bool as_int(const json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (isfinite(d) && d == floor(d) && d >= -9.2e18 && d <= 9.2e18) {
			*out = (int64_t)d;
			return true;
		}
	}
	return false;
}

/* Return true and set *out when r[key] is an integer. */
static bool get_int(const struct rec *r, const char *key, int64_t *out)
{
	const struct flat_value *v;

	if (r->json)
		return as_int(json_object_get(r->json, key), out);
	v = flat_get(r->flat, key);
	if (!v || v->type != FLAT_INT)
		return false;
	*out = v->i;
	return true;
}

/* Return true and set *out when r[key] is a non-negative integer. */
static bool get_uint(const struct rec *r, const char *key, uint64_t *out)
{
	int64_t v;

	if (!get_int(r, key, &v) || v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* Return r[key] when it is a string, else NULL. The pointer lives as long as the record. */
static const char *get_str(const struct rec *r, const char *key)
{
	const struct flat_value *v;

	if (r->json) {
		const json_t *j = json_object_get(r->json, key);

		return json_is_string(j) ? json_string_value(j) : NULL;
	}
	v = flat_get(r->flat, key);
	return v && v->type == FLAT_STR ? v->s : NULL;
}

/* Return a copy of string s with its bytes as the program had them (a string from the log carries
 * bytes that are not UTF-8 as byte code points: policy/utf8.h); NULL for NULL. */
static char *dup_bytes(const char *s)
{
	char *c = xstrdup(s);

	if (c)
		ma_bytes_decode(c);
	return c;
}

/* Return a copy of r[key] as bytes (dup_bytes) when it is a string, else NULL. */
static char *dup_str(const struct rec *r, const char *key)
{
	return dup_bytes(get_str(r, key));
}

/* Return 1 when r[key] is true, 0 when it is false, -1 when it is absent or not a boolean. */
static int get_bool(const struct rec *r, const char *key)
{
	const struct flat_value *v;

	if (r->json) {
		const json_t *j = json_object_get(r->json, key);

		return json_is_boolean(j) ? json_is_true(j) : -1;
	}
	v = flat_get(r->flat, key);
	return !v ? -1 : v->type == FLAT_TRUE ? 1 : v->type == FLAT_FALSE ? 0 : -1;
}

/* Return true and set *unlimited and *lim when r[key] is a limit: null (unlimited) or bytes >= 0. */
static bool get_limit(const struct rec *r, const char *key, bool *unlimited, uint64_t *lim)
{
	const struct flat_value *v;

	*lim = 0;
	if (r->json)
		*unlimited = json_is_null(json_object_get(r->json, key));
	else
		*unlimited = (v = flat_get(r->flat, key)) && v->type == FLAT_NULL;
	return *unlimited || get_uint(r, key, lim);
}

/* ---------------------------------------------------------------------
 * Records
 * --------------------------------------------------------------------- */

/* Return the entry of log->whatif for a limit (unlimited, or lim bytes), or NULL. */
static struct ma_whatif *find_whatif(struct ma_log *log, bool unlimited, uint64_t lim)
{
	for (size_t i = 0; i < log->nwhatif; i++) {
		struct ma_whatif *w = &log->whatif[i];

		if (w->unlimited == unlimited && (unlimited || w->limit == lim))
			return w;
	}
	return NULL;
}

/* Return the entry of log->whatif for a limit, added when there is none and room for it (else
 * NULL). */
static struct ma_whatif *add_whatif(struct ma_log *log, bool unlimited, uint64_t lim)
{
	struct ma_whatif *w = find_whatif(log, unlimited, lim);

	if (w || log->nwhatif == MA_LOG_MAX_WHATIF)
		return w;
	w = &log->whatif[log->nwhatif++];
	memset(w, 0, sizeof *w);
	w->unlimited = unlimited;
	w->limit = lim;
	w->stack = -1;
	return w;
}

/* Return true and set *unlimited and *lim when v is a limit: null (unlimited) or bytes >= 0. */
static bool as_limit(const json_t *v, bool *unlimited, uint64_t *lim)
{
	int64_t n;

	*unlimited = json_is_null(v);
	*lim = 0;
	if (*unlimited)
		return true;
	if (!as_int(v, &n) || n < 0)
		return false;
	*lim = (uint64_t)n;
	return true;
}

/* Read the header's whatif_limits (the standard limits, then the configured one) into
 * log->whatif, one entry per distinct value; elements of the wrong type are skipped. */
static void read_whatif_limits(struct ma_log *log, const json_t *limits)
{
	size_t n;

	if (!json_is_array(limits))
		return;
	log->has_whatif = true;
	n = json_array_size(limits);
	for (size_t i = 0; i < n; i++) {
		struct ma_whatif *w;
		bool unlimited;
		uint64_t lim;

		if (!as_limit(json_array_get(limits, i), &unlimited, &lim))
			continue;
		if (!(w = add_whatif(log, unlimited, lim)))
			continue;
		if (i == n - 1)
			w->configured = true;
		else
			w->standard = true;
	}
}

/* The strings of a JSON array (NULL for anything else), *n of them. */
static char **str_list(const json_t *a, size_t *n)
{
	char **v;

	*n = 0;
	if (!json_is_array(a) || json_array_size(a) == 0)
		return NULL;
	v = xcalloc(json_array_size(a), sizeof *v);
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_is_string(json_array_get(a, i)))
			v[(*n)++] = dup_bytes(json_string_value(json_array_get(a, i)));
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Read the header record (a jansson object) into log; sets log->status. */
static void read_header(struct ma_log *log, const json_t *hj)
{
	const struct rec hr = { .json = hj }, *h = &hr;
	const char *type = get_str(h, "type"), *format = get_str(h, "format"), *recorded;
	const json_t *argv, *start, *memlock;
	int64_t version;

	if (!type || strcmp(type, "header") || !format || strcmp(format, "memaudit-log") ||
	    !get_int(h, "version", &version)) {
		log->status = MA_LOG_NOT_LOG;
		return;
	}
	if (version < MA_LOG_MIN_VERSION || version > MA_LOG_VERSION) {
		log->status = MA_LOG_BAD_VERSION;
		log->version = version;
		return;
	}
	log->status = MA_LOG_OK;
	log->version = version;
	log->has_pid = get_int(h, "pid", &log->pid);
	log->has_ppid = get_int(h, "ppid", &log->ppid);
	log->has_page_size = get_uint(h, "page_size", &log->page_size);
	log->exe = dup_str(h, "exe");
	log->progname = dup_str(h, "progname");
	log->policy = dup_str(h, "policy");
	log->parent_log = dup_str(h, "parent_log");
	log->frontend = dup_str(h, "frontend");
	log->unchecked = str_list(json_object_get(hj, "unchecked"), &log->nunchecked);
	log->partly = str_list(json_object_get(hj, "partly_checked"), &log->npartly);

	start = json_object_get(hj, "start");
	log->has_start = json_is_object(start) &&
			 get_int(&(struct rec){ .json = start }, "sec", &log->start_sec);
	if (log->has_start && !get_int(&(struct rec){ .json = start }, "nsec", &log->start_nsec))
		log->start_nsec = 0;

	read_whatif_limits(log, json_object_get(hj, "whatif_limits"));

	memlock = json_object_get(hj, "memlock");
	log->has_memlock_limit = json_is_object(memlock) &&
				 get_uint(&(struct rec){ .json = memlock }, "simulated",
					  &log->memlock_limit);

	recorded = get_str(h, "argv_recorded");
	log->argv_first = recorded && !strcmp(recorded, "first");
	argv = json_object_get(hj, "argv");
	if (json_is_array(argv)) {
		size_t n = json_array_size(argv);

		log->argv = xcalloc(n, sizeof *log->argv);
		for (size_t i = 0; i < n; i++) {
			const json_t *a = json_array_get(argv, i);

			if (json_is_string(a))
				log->argv[log->argc++] = dup_bytes(json_string_value(a));
		}
	}
}

/* Return the bytes a copy of s takes (0 for NULL). */
static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Return r[key] when it is a string of at most max bytes, else NULL. */
static const char *get_short_str(const struct rec *r, const char *key, size_t max)
{
	const char *s = get_str(r, key);

	return s && strlen(s) <= max ? s : NULL;
}

/* Remember a module record, unless its id is invalid or already defined (or over the budget). A
 * path longer than MA_LOG_MAX_PATH or a build id longer than MA_LOG_MAX_BUILD_ID counts as
 * absent: no file has such a name, and names are matched against suppressions patterns. */
static void read_module(struct ma_log *log, const struct rec *r)
{
	struct ma_module *m;
	const char *build_id = get_short_str(r, "build_id", MA_LOG_MAX_BUILD_ID);
	const char *path = get_short_str(r, "path", MA_LOG_MAX_PATH);
	int64_t id;
	size_t dummy;

	if (!get_int(r, "id", &id) || id < 1 || idmap_get(&log->module_ids, id, 0, &dummy))
		return;
	if (!ma_log_keep(log, sizeof *m + IDMAP_ENTRY_SIZE + str_size(path) + str_size(build_id)))
		return;
	idmap_put(&log->module_ids, id, 0, log->nmodules);
	GROW(log->modules, log->modules_cap, log->nmodules);
	m = &log->modules[log->nmodules++];
	m->id = id;
	m->path = dup_bytes(path);
	if (!get_uint(r, "base", &m->base))
		m->base = 0;
	m->build_id = NULL;
	if (build_id && *build_id) {
		m->build_id = xstrdup(build_id);
		for (char *c = m->build_id; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	}
}

/* Remember a stack record, unless its id is missing or already defined (or over the budget). A
 * frame that is not a [module, offset] pair of integers becomes an unknown frame (module -1). */
static void read_stack(struct ma_log *log, const json_t *rj)
{
	const struct rec rr = { .json = rj }, *r = &rr;
	const json_t *frames = json_object_get(rj, "frames");
	struct ma_stack *s;
	size_t n, dummy;
	int64_t id;

	if (!get_int(r, "id", &id) || !json_is_array(frames) ||
	    idmap_get(&log->stack_ids, id, 0, &dummy))
		return;
	n = json_array_size(frames);
	if (n > MA_LOG_MAX_FRAMES)
		n = MA_LOG_MAX_FRAMES;
	if (!ma_log_keep(log, sizeof *s + IDMAP_ENTRY_SIZE + n * sizeof *s->frames))
		return;
	idmap_put(&log->stack_ids, id, 0, log->nstacks);
	GROW(log->stacks, log->stacks_cap, log->nstacks);
	s = &log->stacks[log->nstacks++];
	s->id = id;
	s->nframes = n;
	s->frames = xcalloc(n, sizeof *s->frames);
	for (size_t i = 0; i < n; i++) {
		const json_t *f = json_array_get(frames, i);
		int64_t mod, off;

		if (json_is_array(f) && json_array_size(f) >= 2 &&
		    as_int(json_array_get(f, 0), &mod) && as_int(json_array_get(f, 1), &off) &&
		    mod >= 0 && off >= 0) {
			s->frames[i].module = mod;
			s->frames[i].offset = (uint64_t)off;
		} else {
			s->frames[i].module = -1;
			s->frames[i].offset = 0;
		}
	}
}

/* Keep ev as the last event of its stack (version 3), unless that is over the budget. */
static void remember_event(struct ma_log *log, const struct ma_event *ev)
{
	struct ma_last_event *l;
	size_t i;

	if (!idmap_get(&log->last_ids, ev->stack, 0, &i)) {
		if (!ma_log_keep(log, sizeof *l + IDMAP_ENTRY_SIZE))
			return;
		GROW(log->last, log->last_cap, log->nlast);
		i = log->nlast++;
		idmap_put(&log->last_ids, ev->stack, 0, i);
	}
	l = &log->last[i];
	l->ev = *ev;
	l->ev.op = NULL; /* the array moves as it grows: set again when handed on */
	l->has_op = ev->op && strlen(ev->op) < sizeof l->op;
	if (l->has_op)
		strcpy(l->op, ev->op);
}

/* Parse an event record and hand it to the sink. */
static void read_event(struct ma_log *log, const struct rec *r)
{
	struct ma_event ev = { .stack = -1 };
	int ok;

	log->events++;
	if (!log->sink.event)
		return;
	ev.op = get_str(r, "op");
	if (!get_uint(r, "seq", &ev.seq))
		ev.seq = 0;
	if (!get_int(r, "stack", &ev.stack))
		ev.stack = -1;
	if (!get_int(r, "errno", &ev.err))
		ev.err = 0;
	ok = get_bool(r, "ok");
	ev.ok = ok >= 0 ? ok == 1 : ev.err == 0;
	if (!get_uint(r, "len", &ev.len))
		ev.len = 0;
	ev.injected = get_bool(r, "injected") == 1;
	ev.has_call = get_uint(r, "call", &ev.call) && ev.call >= 1;
	ev.has_pages = get_uint(r, "pages", &ev.pages);
	ev.has_charged = get_uint(r, "charged", &ev.charged);
	ev.has_locked_bytes = get_uint(r, "locked_bytes", &ev.locked_bytes);
	ev.has_advice = get_int(r, "advice", &ev.advice);
	ev.has_t = get_uint(r, "t", &ev.t);
	ev.has_child = get_int(r, "child", &ev.child);
	if (log->version >= 3)
		remember_event(log, &ev);
	log->sink.event(log->sink.ctx, &ev);
}

/* An again record (version 3): the last event of its stack once more, with this seq and t (and
 * the next call). One whose stack has had no event is counted and otherwise ignored. */
static void read_again(struct ma_log *log, const struct rec *r)
{
	struct ma_last_event *l;
	int64_t stack;
	size_t i;

	log->events++;
	if (!log->sink.event || !get_int(r, "stack", &stack) ||
	    !idmap_get(&log->last_ids, stack, 0, &i))
		return;
	l = &log->last[i];
	if (!get_uint(r, "seq", &l->ev.seq))
		l->ev.seq = 0;
	l->ev.has_t = get_uint(r, "t", &l->ev.t);
	if (l->ev.has_call)
		l->ev.call++;
	l->ev.op = l->has_op ? l->op : NULL;
	log->sink.event(log->sink.ctx, &l->ev);
	l->ev.op = NULL;
}

/* Parse a finding record and hand it to the sink. */
static void read_finding(struct ma_log *log, const struct rec *r)
{
	struct ma_finding_rec f = { .stack = -1, .related_stack = -1 };

	if (!log->sink.finding)
		return;
	f.rule = get_str(r, "rule");
	f.severity = get_str(r, "severity");
	f.message = get_str(r, "message");
	if (!get_uint(r, "seq", &f.seq))
		f.seq = 0;
	if (!get_int(r, "stack", &f.stack))
		f.stack = -1;
	if (!get_int(r, "related_stack", &f.related_stack))
		f.related_stack = -1;
	f.suppressed = get_bool(r, "suppressed") == 1;
	log->sink.finding(log->sink.ctx, &f);
}

/* Remember a finding_def record (version 3), unless its id is missing or already defined (a def
 * is written again in the log after lost records, the same), or over the budget. */
static void read_finding_def(struct ma_log *log, const struct rec *r)
{
	struct ma_finding_def *d;
	const char *rule = get_str(r, "rule"), *sev = get_str(r, "severity");
	const char *msg = get_str(r, "message");
	int64_t id;
	size_t dummy;

	if (!get_int(r, "id", &id) || idmap_get(&log->def_ids, id, 0, &dummy))
		return;
	if (!ma_log_keep(log, sizeof *d + IDMAP_ENTRY_SIZE + str_size(rule) + str_size(sev) +
				      str_size(msg)))
		return;
	idmap_put(&log->def_ids, id, 0, log->ndefs);
	GROW(log->defs, log->defs_cap, log->ndefs);
	d = &log->defs[log->ndefs++];
	d->rule = xstrdup(rule);
	d->severity = xstrdup(sev);
	d->message = xstrdup(msg);
	if (!get_int(r, "stack", &d->stack))
		d->stack = -1;
	if (!get_int(r, "related_stack", &d->related_stack))
		d->related_stack = -1;
	d->suppressed = get_bool(r, "suppressed") == 1;
}

/* A finding_at record (version 3): the finding its def says, about event seq, to the sink. One
 * that names no def read so far is ignored (the shim writes the def first). */
static void read_finding_at(struct ma_log *log, const struct rec *r)
{
	const struct ma_finding_def *d;
	struct ma_finding_rec f;
	int64_t id;
	size_t i;

	if (!log->sink.finding || !get_int(r, "def", &id) || !idmap_get(&log->def_ids, id, 0, &i))
		return;
	d = &log->defs[i];
	f.rule = d->rule;
	f.severity = d->severity;
	f.message = d->message;
	if (!get_uint(r, "seq", &f.seq))
		f.seq = 0;
	f.stack = d->stack;
	f.related_stack = d->related_stack;
	f.suppressed = d->suppressed;
	log->sink.finding(log->sink.ctx, &f);
}

/* Remember a whatif record under its limit of the header's whatif_limits. A record whose limit,
 * call, stack or errno is missing or of the wrong type is ignored, as is one for a limit the header
 * does not list; the first record for a limit wins (the shim writes the same record twice when the
 * configured limit is also a standard one). */
static void read_whatif(struct ma_log *log, const struct rec *r)
{
	struct ma_whatif *w;
	bool unlimited;
	uint64_t lim, call;
	int64_t stack, err;

	if (!get_limit(r, "limit", &unlimited, &lim) || !get_uint(r, "call", &call) || call < 1 ||
	    !get_int(r, "stack", &stack) || !get_int(r, "errno", &err) || err <= 0)
		return;
	w = find_whatif(log, unlimited, lim);
	if (!w || w->hit)
		return;
	w->hit = true;
	w->call = call;
	w->err = err;
	w->stack = stack;
}

/* The program set its simulated limit to (unlimited, lim): the configured what-if row follows it,
 * as the shim's does, unless a lock call already failed at the configured limit (the program would
 * not have got this far under it). A row that was only the configured one goes; a standard row
 * stays. */
static void move_configured(struct ma_log *log, bool unlimited, uint64_t lim)
{
	struct ma_whatif *c = NULL, *w;

	for (size_t i = 0; i < log->nwhatif; i++)
		if (log->whatif[i].configured)
			c = &log->whatif[i];
	if (!log->has_whatif || !c || c->hit || find_whatif(log, unlimited, lim) == c)
		return;
	c->configured = c->set_by_program = false;
	if (!c->standard) {
		size_t i = (size_t)(c - log->whatif);

		memmove(c, c + 1, (log->nwhatif - i - 1) * sizeof *c);
		log->nwhatif--;
	}
	if (!(w = add_whatif(log, unlimited, lim)))
		return;
	w->configured = true;
	w->set_by_program = true;
}

/* A memlock record: the process read its RLIMIT_MEMLOCK (the first read is kept) or set it (the
 * simulated limit after the call moves the configured what-if row). */
static void read_memlock(struct ma_log *log, const struct rec *r)
{
	bool unlimited;
	uint64_t lim;

	if (get_bool(r, "read") == 1 && get_bool(r, "ok") == 1 && !log->memlock_read) {
		const char *op = get_str(r, "op");

		if (op && strlen(op) > 32)
			op = NULL; /* not a name of ours */
		if (!ma_log_keep(log, str_size(op)))
			return;
		log->memlock_read = true;
		if (!get_int(r, "stack", &log->memlock_read_stack))
			log->memlock_read_stack = -1;
		log->memlock_read_op = xstrdup(op);
	}
	if (get_bool(r, "ok") == 1 && get_limit(r, "simulated", &unlimited, &lim))
		move_configured(log, unlimited, lim);
}

/* Remember the exit record (the first one wins). */
static void read_exit(struct ma_log *log, const struct rec *r)
{
	uint64_t lost;

	if (log->has_exit)
		return;
	log->has_exit = true;
	log->has_exit_status = get_int(r, "status", &log->exit_status);
	log->has_program_status = get_int(r, "program_status", &log->program_status);
	log->has_exit_locked = get_uint(r, "locked_bytes", &log->exit_locked_bytes);
	log->has_exit_t = get_uint(r, "t", &log->exit_t);
	log->exit_how = dup_str(r, "how");
	if (get_uint(r, "lost_records", &lost) && lost > log->lost_records)
		log->lost_records = lost;
}

/* Read a lost record: records that the process could not write (docs/log-format.md). */
static void read_lost(struct ma_log *log, const struct rec *r)
{
	uint64_t n;

	if (get_uint(r, "records", &n))
		log->lost_records = sat_add(log->lost_records, n);
	else
		log->lost_records = sat_add(log->lost_records, 1); /* some, at least one */
}

/* Dispatch one body record by its type; unknown types and records without one are ignored.
 * Stack records are read from jansson's tree only: r->json must be set for them. */
static void read_record(struct ma_log *log, const struct rec *r)
{
	const char *type = get_str(r, "type");

	if (!type)
		return;
	if (!strcmp(type, "event"))
		read_event(log, r);
	else if (!strcmp(type, "again"))
		read_again(log, r);
	else if (!strcmp(type, "stack"))
		read_stack(log, r->json);
	else if (!strcmp(type, "module"))
		read_module(log, r);
	else if (!strcmp(type, "finding_at"))
		read_finding_at(log, r);
	else if (!strcmp(type, "finding"))
		read_finding(log, r);
	else if (!strcmp(type, "finding_def"))
		read_finding_def(log, r);
	else if (!strcmp(type, "whatif"))
		read_whatif(log, r);
	else if (!strcmp(type, "memlock"))
		read_memlock(log, r);
	else if (!strcmp(type, "exit"))
		read_exit(log, r);
	else if (!strcmp(type, "lost"))
		read_lost(log, r);
}

/* ---------------------------------------------------------------------
 * The line state machine
 * --------------------------------------------------------------------- */

/* Initialize log as empty, with sink (or no sink). */
void ma_log_init(struct ma_log *log, const struct ma_log_sink *sink)
{
	memset(log, 0, sizeof *log);
	log->status = MA_LOG_NOT_LOG; /* until a header is read */
	idmap_init(&log->module_ids);
	idmap_init(&log->stack_ids);
	idmap_init(&log->def_ids);
	idmap_init(&log->last_ids);
	if (sink)
		log->sink = *sink;
	log->max_kept = MA_LOG_MAX_KEPT;
}

/* Free everything log owns. */
void ma_log_free(struct ma_log *log)
{
	for (size_t i = 0; i < log->nmodules; i++) {
		free(log->modules[i].path);
		free(log->modules[i].build_id);
	}
	free(log->modules);
	idmap_free(&log->module_ids);
	for (size_t i = 0; i < log->nstacks; i++)
		free(log->stacks[i].frames);
	free(log->stacks);
	idmap_free(&log->stack_ids);
	for (size_t i = 0; i < log->ndefs; i++) {
		free(log->defs[i].rule);
		free(log->defs[i].severity);
		free(log->defs[i].message);
	}
	free(log->defs);
	idmap_free(&log->def_ids);
	free(log->last);
	idmap_free(&log->last_ids);
	for (size_t i = 0; i < log->argc; i++)
		free(log->argv[i]);
	free(log->argv);
	free(log->exe);
	free(log->progname);
	free(log->policy);
	free(log->parent_log);
	free(log->frontend);
	free_list(log->unchecked, log->nunchecked);
	free_list(log->partly, log->npartly);
	free(log->exit_how);
	free(log->memlock_read_op);
	flat_free(&log->flat);
	memset(log, 0, sizeof *log);
}

/* Stop reading at the current line for reason (a body line: the header line makes it not a log). */
static void stop(struct ma_log *log, const char *reason)
{
	log->stopped = true;
	if (log->lines == 1) {
		log->status = MA_LOG_NOT_LOG;
		return;
	}
	log->stop_line = log->lines;
	log->stop_reason = reason;
}

/* Charge bytes to the budget, or stop the reader; see log_reader.h. */
bool ma_log_keep(struct ma_log *log, size_t bytes)
{
	if (log->stopped)
		return false;
	if (bytes > log->max_kept - log->kept) {
		stop(log, "more stacks, call sites and findings than the report keeps of one log "
			  "(256 MiB)");
		return false;
	}
	log->kept += bytes;
	return true;
}

/* Return whether the flat record r is a stack record, which is read from jansson's tree. */
static bool is_stack_record(const struct flat_rec *r)
{
	const struct flat_value *type = flat_get(r, "type");

	return type && type->type == FLAT_STR && !strcmp(type->s, "stack");
}

/* Parse one line; see log_reader.h. Body lines go through the flat scanner when they are flat
 * (almost all are), else through jansson. */
bool ma_log_feed_line(struct ma_log *log, const char *line, size_t len)
{
	json_error_t error;
	json_t *r;
	const char *nul = NULL;

	if (log->stopped)
		return false;
	log->lines++;
	if (log->lines > 1 && log->version >= 2 && len)
		nul = memrchr(line, '\0', len);
	if (nul) {
		/* a gap that a killed process reserved and did not fill, or a record it was copying
		 * when killed: only what follows the last NUL byte may be a record */
		len -= (size_t)(nul + 1 - line);
		line = nul + 1;
		if (!len || line[0] != '{')
			return true;
	}
	if (len > MA_LOG_MAX_LINE) {
		stop(log, "line longer than 1 MiB");
		return false;
	}
	if (log->lines > 1 && !log->no_flat && flat_parse(&log->flat, line, len) &&
	    !is_stack_record(&log->flat)) {
		read_record(log, &(struct rec){ .flat = &log->flat });
		return !log->stopped;
	}
	r = json_loadb(line, len, 0, &error);
	if (!r || !json_is_object(r)) {
		json_decref(r);
		if (nul && log->lines > 1)
			return true; /* the end of a record torn by a kill */
		stop(log, "not a valid JSON record");
		return false;
	}
	if (log->lines == 1) {
		read_header(log, r);
		if (log->status != MA_LOG_OK)
			log->stopped = true;
	} else {
		read_record(log, &(struct rec){ .json = r });
	}
	json_decref(r);
	return !log->stopped;
}

/* The line being read is too long: stop there. */
void ma_log_line_too_long(struct ma_log *log)
{
	if (log->stopped)
		return;
	log->lines++;
	stop(log, "line longer than 1 MiB");
}

/* End of input; a non-empty unterminated tail cuts the log short. */
void ma_log_finish(struct ma_log *log, size_t tail_len)
{
	if (log->stopped)
		return;
	if (tail_len) {
		log->lines++;
		stop(log, "last line not terminated (process killed while writing?)");
		return;
	}
	if (log->lines == 0) /* empty file */
		log->status = MA_LOG_NOT_LOG;
	log->stopped = true;
}

/* See log_reader.h. */
size_t ma_log_unterminated(const struct ma_log *log, const char *buf, size_t len)
{
	const char *nul = len && log->version >= 2 ? memrchr(buf, '\0', len) : NULL;

	return nul ? len - (size_t)(nul + 1 - buf) : len;
}

/* Parse the log in buf[0..len). */
void ma_log_parse_buffer(struct ma_log *log, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			break;
		if (!ma_log_feed_line(log, p, (size_t)(nl - p)))
			return;
		p = nl + 1;
	}
	ma_log_finish(log, ma_log_unterminated(log, p, (size_t)(end - p)));
}

/* Read fd to its end, feeding complete lines to log. Returns 0, or -1 with errno on a read error.
 * Memory stays bounded: at most about 2 * MA_LOG_MAX_LINE bytes of one line are buffered. */
static int read_fd(struct ma_log *log, int fd)
{
	size_t cap = 65536, have = 0; /* buf[0..have) holds the start of a line, no '\n' */
	char *buf = xmalloc(cap), *nul;
	size_t nul_run = 0;
	int ret = 0;

	while (!log->stopped) {
		size_t pos, line = 0;
		ssize_t n;

		if (have == cap) {
			if (have > MA_LOG_MAX_LINE) {
				ma_log_line_too_long(log);
				break;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -1;
			break;
		}
		if (n == 0) {
			ma_log_finish(log, ma_log_unterminated(log, buf, have));
			break;
		}
		pos = have;
		have += (size_t)n;
		while (pos < have && !log->stopped) {
			char *nl = memchr(buf + pos, '\n', have - pos);

			if (!nl)
				break;
			pos = (size_t)(nl - buf);
			ma_log_feed_line(log, buf + line, pos - line);
			line = ++pos;
		}
		have -= line;
		memmove(buf, buf + line, have);
		/* Version 2: NUL bytes (the rest of a killed process's window can be a MiB of them) are
		 * not kept, the last one stays to mark the line; MA_LOG_MAX_NUL of them in a row stop
		 * the reader like a line too long. */
		if (line)
			nul_run = 0;
		if (have && log->version >= 2 && (nul = memrchr(buf, '\0', have)) != NULL &&
		    nul > buf) {
			nul_run += (size_t)(nul - buf);
			have -= (size_t)(nul - buf);
			memmove(buf, nul, have);
			if (nul_run > MA_LOG_MAX_NUL) {
				ma_log_line_too_long(log);
				break;
			}
		}
	}
	free(buf);
	return ret;
}

/* Read the open file fd (opened with O_NONBLOCK, or not) into log. */
int ma_log_read_fd(struct ma_log *log, int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || ((fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0))
		return -1;
	return read_fd(log, fd);
}

/* Read the file at path ("-" = stdin) into log. */
int ma_log_read_file(struct ma_log *log, const char *path)
{
	int fd, ret, saved;

	if (!strcmp(path, "-"))
		return read_fd(log, STDIN_FILENO);
	/* O_NONBLOCK: opening a FIFO that no process writes to must not wait for one (it then reads
	 * as empty); reads block as usual, so that a pipe being written is read to its end. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	ret = ma_log_read_fd(log, fd);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

/* Return the stack with log id id, or NULL. */
const struct ma_stack *ma_log_stack(const struct ma_log *log, int64_t id)
{
	size_t i;

	return idmap_get(&log->stack_ids, id, 0, &i) ? &log->stacks[i] : NULL;
}

/* Return the module with log id id, or NULL. */
const struct ma_module *ma_log_module(const struct ma_log *log, int64_t id)
{
	size_t i;

	return idmap_get(&log->module_ids, id, 0, &i) ? &log->modules[i] : NULL;
}
