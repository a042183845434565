/* records.c: see records.h and docs/log-format.md. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "policy/engine/frontend.h"
#include "policy/engine/proc.h"
#include "shim/logwriter/jsonw.h"
#include "shim/logwriter/records.h"
#include "shim/logwriter/rectable.h"

#define ARGV_MAX 16384

/* One record at a time (the lock is held): a static buffer, not the caller's stack, which
 * may be a small sigaltstack. */
static char recbuf[65536];

static const char *const policy_names[] = {"off", "audit", "warn", "enforce", "strict"};

/* The header and the lost record that a write after lost records needs first: a buffer of
 * their own, since the record waiting is in recbuf. */
static char metabuf[65536];
/* p->rec: whether the header of this log is in it, and how many of p->lost lost records already
 * report. */

static void put_header(struct engine_proc *p, struct jsonw *w);

/* Store w's record; 0 or an errno value. */
static int store(struct engine_proc *p, struct jsonw *w)
{
	return w->overflow ? EMSGSIZE : logfile_write(&p->log, w->buf, w->len);
}

/* Records were lost (or the header never made it): when the log takes records again, the header
 * first if it is missing, then a lost record saying how many are missing here, and the record w,
 * all or none of them (a lost record is not written where the record after it would not fit).
 * Returns 0 when w's record may follow. */
static int after_gap(struct engine_proc *p, const struct jsonw *rec)
{
	struct jsonw h, l;
	size_t n = 0;
	int e;

	if (p->rec.header_written && p->lost == p->rec.lost_noted)
		return 0;
	if (!p->rec.header_written) {
		jw_init(&h, metabuf, sizeof metabuf);
		put_header(p, &h);
		if (h.overflow)
			return EMSGSIZE;
		n = h.len;
	}
	if (p->lost > p->rec.lost_noted) {
		jw_init(&l, metabuf + n, sizeof metabuf - n);
		jw_begin(&l);
		jw_key_str(&l, "type", "lost");
		jw_key_u64(&l, "t", engine_now(p));
		jw_key_u64(&l, "records", p->lost - p->rec.lost_noted);
		jw_end(&l);
		jw_newline(&l);
		if (l.overflow)
			return EMSGSIZE;
		n += l.len;
	}
	if ((e = logfile_ensure(&p->log, n + rec->len)) != 0 ||
	    (e = logfile_write(&p->log, metabuf, n)) != 0)
		return e;
	p->rec.header_written = 1;
	p->rec.lost_noted = p->lost;
	return 0;
}

/* Write the finished record; count it as lost when it cannot be written. A lost record may be a
 * module or stack record that later records name: p->log_gen moves, so that they are written
 * again (stack.c); those are not counted (a log never misses one that a record it has names). */
static void finish_record(struct engine_proc *p, struct jsonw *w, int written_again)
{
	int saved = errno;

	jw_newline(w);
	if (w->overflow || p->exited || after_gap(p, w) != 0 || store(p, w) != 0) {
		if (!written_again)
			p->lost++;
		p->log_gen++;
	}
	errno = saved;
}

static void finish(struct engine_proc *p, struct jsonw *w)
{
	finish_record(p, w, 0);
}

/* The compact records written on every audited call (again, finding_at: under 128 bytes, each
 * number at its widest) are made in recbuf, unchecked, and stored without a jsonw: when the log is
 * writing (its header in, no lost record to report) and the record fits the window, logfile_put
 * stores it without a system call (errno untouched); else the record takes finish's way, out of
 * line (finish_small is inlined in its callers: a call less per record). */
static __attribute__((noinline, cold)) void finish_small_slow(struct engine_proc *p, char *end)
{
	struct jsonw w;

	jw_adopt(&w, recbuf, sizeof recbuf, end);
	finish(p, &w);
}

/* Whole lines buf[0, len) stored at once, when the log is writing and they fit the window: 0, or
 * -1 (nothing stored: the caller takes the general way). */
static inline __attribute__((always_inline)) int put_lines(struct engine_proc *p, const char *buf, size_t len)
{
	if (p->exited || !p->rec.header_written || p->lost != p->rec.lost_noted || !logfile_fits(&p->log, len))
		return -1;
	return logfile_put(&p->log, buf, len) == 0 ? 0 : -1;
}

static inline __attribute__((always_inline)) void finish_small(struct engine_proc *p, char *end)
{
	*end = '\n';
	if (put_lines(p, recbuf, (size_t)(end - recbuf) + 1) != 0)
		finish_small_slow(p, end);
}

/* A batch (rec_batch_begin): the again record of its event and the finding_at records after it,
 * kept here and stored with one logfile_put at its end: one owner check and one copy instead of
 * one per record (issue 13: a heap finding comes with every lock and advice call of a loop). The
 * log's guarantee is per record, and holds: logfile.c reserves the bytes of a store by one
 * fetch-add and copies them in; a killed process leaves NUL bytes past the last whole line, which
 * readers skip. Any other record stores what is kept first, so that the log's order is the order
 * in which the records were made. One batch at a time (the lock is held): p is its process, NULL
 * when nothing is kept. */
#define KEPT_MAX 1024
static struct {
	struct engine_proc *p;
	size_t len;
	char *buf; /* recbuf's last KEPT_MAX + 256 bytes (room past KEPT_MAX for a record being made,
		    * unchecked): no other record is made while something is kept */
} kept = {NULL, 0, recbuf + sizeof recbuf - KEPT_MAX - 256};

/* What is kept, line by line, each record its own way (counted as lost alone): when the log is not
 * writing, or it does not all fit the window. */
static __attribute__((noinline, cold)) void store_kept_lines(struct engine_proc *p, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i += n + 1) {
		n = (size_t)((char *)memchr(kept.buf + i, '\n', len - i) - (kept.buf + i));
		memcpy(recbuf, kept.buf + i, n);
		finish_small(p, recbuf + n);
	}
}

/* Store what is kept as finish_small stores a record: at once when the log is writing and it all
 * fits the window. */
static inline __attribute__((always_inline)) void store_kept(void)
{
	struct engine_proc *p = kept.p;
	size_t len = kept.len;

	kept.p = NULL;
	if (put_lines(p, kept.buf, len) != 0)
		store_kept_lines(p, len);
}

/* Before any other record (out of line: rarely anything to store then). */
static __attribute__((noinline)) void store_kept_before(void)
{
	store_kept();
}

static inline void store_kept_now(void)
{
	if (__builtin_expect(kept.p != NULL, 0))
		store_kept_before();
}

void rec_batch_begin(struct engine_proc *p)
{
	p->rec.batch = 1;
}

void rec_batch_end(struct engine_proc *p)
{
	p->rec.batch = 0;
	if (kept.p)
		store_kept();
}

/* v, or null when v < 0 (an unlimited limit, an absent id). */
static void key_or_null_n(struct jsonw *w, const char *key, size_t n, long long v)
{
	jw_key_n(w, key, n);
	if (v < 0)
		jw_null(w);
	else
		jw_u64(w, (uint64_t)v);
}

#define key_or_null(w, key, v) key_or_null_n((w), JW_KEY(key), (v))

/* An rlimit value: null for RLIM_INFINITY. */
static void key_limit_n(struct jsonw *w, const char *key, size_t n, rlim_t v)
{
	key_or_null_n(w, key, n, v == RLIM_INFINITY || v > (rlim_t)LLONG_MAX ? -1 : (long long)v);
}
#define key_limit(w, key, v) key_limit_n((w), JW_KEY(key), (v))

/* argv from the process's cmdline: NUL-separated, possibly cut at ARGV_MAX bytes; only argv[0] under
 * MEMAUDIT_ARGV=first ("argv_recorded" says which, so that a reader does not take the rest as
 * absent). */
static void put_argv(struct engine_proc *p, struct jsonw *w)
{
	char *buf = p->fe->alloc(p->fe_ctx, ARGV_MAX);
	ssize_t n = buf ? p->fe->proc_read(p->fe_ctx, "cmdline", buf, ARGV_MAX) : -1;
	ssize_t i = 0;

	jw_key(w, "argv");
	jw_begin_array(w);
	while (i < n) {
		size_t l = strnlen(buf + i, (size_t)(n - i));
		jw_strn(w, buf + i, l);
		i += (ssize_t)l + 1;
		if (p->argv_first)
			break;
	}
	jw_end_array(w);
	jw_key_bool(w, "argv_truncated", n >= ARGV_MAX && !p->argv_first);
	jw_key_str(w, "argv_recorded", p->argv_first ? "first" : "full");
	p->fe->free(p->fe_ctx, buf);
}

/* A header's list of rule names (trace mode: what it cannot check). */
static void put_rules_n(struct jsonw *w, const char *key, size_t n, const char *const *rules)
{
	jw_key_n(w, key, n);
	jw_begin_array(w);
	while (rules && *rules)
		jw_str(w, *rules++);
	jw_end_array(w);
}

static void put_header(struct engine_proc *p, struct jsonw *w)
{
	uint64_t soft = RLIM_INFINITY, hard = RLIM_INFINITY;
	int i;
	struct timespec now;
	char exe[4096], comm[32];
	ssize_t n = p->fe->proc_link(p->fe_ctx, "exe", exe, sizeof exe - 1);
	uint64_t since = engine_now(p);

	exe[n > 0 ? n : 0] = '\0';
	/* the time of load (or fork), also when the header is written late, after a full disk */
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= (time_t)(since / 1000000000u);
	now.tv_nsec -= (long)(since % 1000000000u);
	if (now.tv_nsec < 0) {
		now.tv_nsec += 1000000000L;
		now.tv_sec--;
	}
	p->fe->memlock_rlimit(p->fe_ctx, &soft, &hard);

	jw_begin(w);
	jw_key_str(w, "type", "header");
	jw_key_str(w, "format", "memaudit-log");
	jw_key_u64(w, "version", 3);
	jw_key_i64(w, "pid", p->pid);
	jw_key_i64(w, "ppid", p->ppid);
	jw_key_str(w, "exe", exe);
	jw_key_str(w, "progname", p->fe->progname(p->fe_ctx, comm, sizeof comm));
	put_argv(p, w);
	jw_key(w, "start");
	jw_begin(w);
	jw_key_i64(w, "sec", now.tv_sec);
	jw_key_i64(w, "nsec", now.tv_nsec);
	jw_end(w);
	jw_key_u64(w, "page_size", p->page_size);
	jw_key_u64(w, "real_page_size", p->real_page_size);
	jw_key(w, "memlock");
	jw_begin(w);
	key_limit(w, "soft", (rlim_t)soft);
	key_limit(w, "hard", (rlim_t)hard);
	jw_key_bool(w, "cap_ipc_lock", p->cap_ipc_lock);
	key_or_null(w, "simulated", p->memlock_limit);
	jw_end(w);
	jw_key_i64(w, "max_map_count", p->max_map_count);
	jw_key_str(w, "policy", policy_names[p->policy]);
	jw_key_str(w, "parent_log", p->parent_log[0] ? p->parent_log : NULL);
	if (p->run_id[0])
		jw_key_str(w, "run_id", p->run_id);
	jw_key(w, "whatif_limits");
	jw_begin_array(w);
	for (i = 0; i < 4; i++) {
		if (p->whatif[i].limit < 0)
			jw_null(w);
		else
			jw_u64(w, (uint64_t)p->whatif[i].limit);
	}
	jw_end_array(w);
	jw_key_str(w, "shim", PACKAGE_VERSION);
	if (p->frontend) {
		jw_key_str(w, "frontend", p->frontend);
		put_rules_n(w, JW_KEY("unchecked"), p->unchecked);
		put_rules_n(w, JW_KEY("partly_checked"), p->partly_checked);
	}
	jw_end(w);
	jw_newline(w);
}

/* The header: the first record of every log (after_gap writes it first when it was lost). */
void rec_header(struct engine_proc *p)
{
	struct jsonw w;
	int saved = errno;

	if (kept.p == p) /* a log begins: what was kept was a copied parent's (a fork in a batch) */
		kept.p = NULL, kept.len = 0;
	p->rec.batch = 0;
	p->rec.header_written = 0;
	p->rec.lost_noted = 0;
	jw_init(&w, metabuf, sizeof metabuf);
	put_header(p, &w);
	/* argv is capped at ARGV_MAX, far below the buffer: a header that still overflows is counted
	 * as lost, like any other record. */
	/* not counted as lost when it cannot be written: after_gap writes it later */
	p->rec.header_written = store(p, &w) == 0;
	errno = saved;
}

void rec_module(struct engine_proc *p, const struct engine_module *m)
{
	struct jsonw w;

	store_kept_now();
	jw_init(&w, recbuf, sizeof recbuf);
	jw_begin(&w);
	jw_key_str(&w, "type", "module");
	jw_key_u64(&w, "id", m->id);
	jw_key_str(&w, "path", m->path);
	jw_key_u64(&w, "base", m->base);
	jw_key_str(&w, "build_id", m->build_id[0] ? m->build_id : NULL);
	jw_end(&w);
	finish_record(p, &w, 1);
}

void rec_stack(struct engine_proc *p, uint32_t id, int n, const uint32_t *mod, const uintptr_t *off)
{
	struct jsonw w;
	int i;

	store_kept_now();
	jw_init(&w, recbuf, sizeof recbuf);
	jw_begin(&w);
	jw_key_str(&w, "type", "stack");
	jw_key_u64(&w, "id", id);
	jw_key(&w, "frames");
	jw_begin_array(&w);
	for (i = 0; i < n; i++) {
		jw_begin_array(&w);
		jw_u64(&w, mod[i]);
		jw_u64(&w, off[i]);
		jw_end_array(&w);
	}
	jw_end_array(&w);
	jw_end(&w);
	finish_record(p, &w, 1);
}

/* the attrs of an event, quoted as it writes them */
static const struct {
	const char *s;
	size_t n;
} attr_names[] = {{JW_LIT("\"locked\"")}, {JW_LIT("\"dontdump\"")}, {JW_LIT("\"dontfork\"")},
		  {JW_LIT("\"wipeonfork\"")}};

/* The content of event ev (tid: its thread) for again records: a hash of the fields that its
 * record prints, but for seq, t and call, taken from the fields, not from the record's text, so
 * that an again record costs no formatting of the event it replaces. A field goes in when the
 * record prints it; the first word says which do (the record is a function of these words and of
 * the op's name). */
/* The hashes of the last contents made, by stack: the events of a loop are mostly the same event
 * again, and comparing its words costs a fraction of hashing them (issue 13). A memo of a pure
 * function (the hash of the words), so shared by every process of a tracer; the lock is held. */
/* Before the words, the event's fields as they came (raw) are compared with those of the event the
 * entry was last made for: all of them but call and target_refused, which its record does not
 * print, whether the record prints them or not, branch-free, and op by its address (a string
 * constant: records.h). Equal, they make the same words, so the same hashes; a field that differs
 * where the record does not print it only costs the words' way. */
#define CONTENT_MEMO 8
static struct content_memo {
	size_t words, bytes; /* words 0: an empty entry */
	uint64_t v[24];
	uint64_t h1, h2;
	int raw_set;         /* raw, tid and tid_shown are those of an event whose words are v */
	struct event raw;
	pid_t tid;
	int tid_shown;
	size_t last_slot;    /* where the last table had a stack of this entry's (rectable_get_at) */
} content_memo[CONTENT_MEMO];

/* Whether the fields that an event's record prints are the same in a and b, but for the tid (and
 * target_refused, which it does not print: compared with them, where that is cheaper, since a
 * difference there only costs the words' way). */
#if UINTPTR_MAX == UINT64_MAX && LONG_MAX == INT64_MAX && defined(__GNUC__)
/* LP64: the fields before call fill 160 bytes without padding (records.h), compared as ten 16-byte
 * vectors (two words each on a target without them) */
_Static_assert(offsetof(struct event, call) == 160 &&
		       offsetof(struct event, target_refused) + sizeof(int) == 160,
	       "struct event: no padding before call");
static int same_fields(const struct event *a, const struct event *b)
{
	typedef uint64_t v2 __attribute__((vector_size(16)));
	v2 d = {0, 0}, x, y;
	size_t i;

#pragma GCC unroll 10
	for (i = 0; i < 160; i += 16) {
		__builtin_memcpy(&x, (const char *)a + i, 16);
		__builtin_memcpy(&y, (const char *)b + i, 16);
		d |= x ^ y;
	}
	return (d[0] | d[1]) == 0;
}
#else
static int same_fields(const struct event *a, const struct event *b)
{
	uint64_t d = ((uintptr_t)a->op ^ (uintptr_t)b->op) | (uint64_t)(a->via_syscall ^ b->via_syscall) |
		     (uint64_t)(a->ok ^ b->ok) | (uint64_t)(a->err ^ b->err) | (a->stack ^ b->stack) |
		     (a->keys ^ b->keys) | (a->addr ^ b->addr) | (a->len ^ b->len) |
		     (a->new_len ^ b->new_len) | (uint64_t)(a->flags ^ b->flags) |
		     (uint64_t)(a->advice ^ b->advice) | (uint64_t)(a->prot ^ b->prot) |
		     (uint64_t)(a->fd ^ b->fd) | (uint64_t)(a->child ^ b->child) |
		     (a->result ^ b->result) | (a->pages ^ b->pages) | (a->charged ^ b->charged) |
		     (a->unlocked ^ b->unlocked) | (a->locked_pages ^ b->locked_pages) |
		     (a->locked_bytes ^ b->locked_bytes) | (a->attrs ^ b->attrs) |
		     (uint64_t)(a->injected ^ b->injected) | (uint64_t)(a->map_count ^ b->map_count);

	return d == 0;
}
#endif

static void remember_raw(struct content_memo *m, const struct event *ev, pid_t tid, int tid_shown)
{
	m->raw = *ev;
	m->tid = tid;
	m->tid_shown = tid_shown;
	m->raw_set = 1;
}

static void event_content(const struct event *ev, pid_t tid, int tid_shown, uint64_t *h1,
			  uint64_t *h2)
{
	unsigned k = ev->keys;
	uint64_t v[24];
	size_t n = 0, l;
	struct content_memo *m = &content_memo[ev->stack % CONTENT_MEMO];

	if (m->raw_set && m->tid == tid && m->tid_shown == tid_shown && same_fields(&m->raw, ev)) {
		*h1 = m->h1;
		*h2 = m->h2;
		return;
	}
	*h1 = 0xcbf29ce484222325ull;
	*h2 = 0x6a09e667f3bcc908ull;
	v[n++] = (uint64_t)k | (uint64_t)!!ev->ok << 32 | (uint64_t)!!ev->via_syscall << 33 |
		 (uint64_t)!!ev->injected << 34 | (uint64_t)!!tid_shown << 35;
	if (tid_shown)
		v[n++] = (uint64_t)tid;
	if (k & EV_ADDR)
		v[n++] = ev->addr;
	if (k & EV_LEN)
		v[n++] = ev->len;
	if (k & EV_NEW_LEN)
		v[n++] = ev->new_len;
	if (k & EV_FLAGS)
		v[n++] = (uint64_t)ev->flags;
	if (k & EV_ADVICE)
		v[n++] = (uint64_t)ev->advice;
	if (k & EV_PROT)
		v[n++] = (uint64_t)ev->prot;
	if (k & EV_FD)
		v[n++] = (uint64_t)ev->fd;
	if ((k & EV_RESULT) && ev->ok)
		v[n++] = ev->result;
	if ((k & EV_CHILD) && ev->ok)
		v[n++] = (uint64_t)ev->child;
	if (!ev->ok)
		v[n++] = (uint64_t)(int64_t)ev->err;
	v[n++] = ev->stack;
	if (k & EV_PAGES)
		v[n++] = ev->pages;
	if (k & EV_CHARGED)
		v[n++] = ev->charged;
	if (k & EV_UNLOCKED)
		v[n++] = ev->unlocked;
	if (k & EV_LOCKED_PAGES)
		v[n++] = ev->locked_pages;
	if (k & EV_ATTRS)
		v[n++] = ev->attrs & 15u; /* the four it prints */
	if (k & EV_LOCKED_BYTES)
		v[n++] = ev->locked_bytes;
	if (k & EV_MAP_COUNT)
		v[n++] = (uint64_t)(int64_t)ev->map_count;
	/* the op's name and its NUL after the fields, in the same pass when it fits the words left
	 * (the engine's do), else hashed apart */
	l = strlen(ev->op) + 1;
	if (l <= (24 - n) * sizeof v[0]) {
		size_t words = n + (l + sizeof v[0] - 1) / sizeof v[0], i;

		v[words - 1] = 0; /* the op's last word padded with zeros: compared whole below */
		__builtin_memcpy(&v[n], ev->op, l);
		if (m->words == words && m->bytes == n * sizeof v[0] + l) {
			for (i = 0; i < words && m->v[i] == v[i]; i++)
				;
			if (i == words) {
				*h1 = m->h1;
				*h2 = m->h2;
				remember_raw(m, ev, tid, tid_shown);
				return;
			}
		}
		rectable_hash(h1, h2, v, n * sizeof v[0] + l);
		for (i = 0; i < words; i++)
			m->v[i] = v[i];
		m->words = words;
		m->bytes = n * sizeof v[0] + l;
		m->h1 = *h1;
		m->h2 = *h2;
		remember_raw(m, ev, tid, tid_shown);
		return;
	}
	rectable_hash(h1, h2, v, n * sizeof v[0]);
	rectable_hash(h1, h2, ev->op, l);
}

/* An again record (version 3) replaces an event when the last event of its stack in this log had
 * the same content and the call before (or both none): {"type":"again","seq":S,"t":T,"stack":N}. */
static int is_again(const struct engine_proc *p, const struct rec_slot *s, const struct event *ev,
		    uint64_t h1, uint64_t h2)
{
	return s && s->logged_gen == p->log_gen && s->c1 == h1 && s->c2 == h2 &&
	       (ev->call ? ev->call == s->call + 1 : !s->call);
}

/* Event records are most of a log: written in one pass (jsonw.h), keys as literals. A bound on
 * an event's length but for its op, twice over: every key (some 360 bytes with the literal values),
 * each number at its widest (21 bytes, 26 keys), the attrs (44 bytes), within 1000 bytes. */
#define EVENT_MAX 2048

static char *key_u64(char *o, const char *key, size_t n, uint64_t v)
{
	return jwc_u64(jwc_raw(o, key, n), v);
}

/* The seq and t of the records written last (jsonw.h): the seq of the next event is the next
 * number, the seq of its finding_at the same, and its t mostly differs in the low digits only.
 * Memos of a pure function (a number's text), shared by every process of a tracer; the lock is
 * held. */
static struct jwc_memo seq_memo, t_memo;

static char *key_seq(char *o, const char *key, size_t n, uint64_t seq)
{
	return jwc_u64_memo(jwc_raw(o, key, n), seq, &seq_memo);
}

static char *key_time(char *o, const char *key, size_t n, uint64_t t)
{
	return jwc_u64_memo(jwc_raw(o, key, n), t, &t_memo);
}

static char *key_i64(char *o, const char *key, size_t n, int64_t v)
{
	return jwc_i64(jwc_raw(o, key, n), v);
}

static void put_event(struct engine_proc *p, struct jsonw *w, const struct event *ev, uint64_t seq,
		      uint64_t t, pid_t tid)
{
	unsigned k = ev->keys;
	size_t oplen = strlen(ev->op);
	char *o = jw_reserve(w, EVENT_MAX + JWC_STR_MAX(oplen));
	const char *sep = "[";
	int i;

	if (!o)
		return;
	o = key_seq(o, JW_LIT("{\"type\":\"event\",\"seq\":"), seq);
	o = key_time(o, JW_LIT(",\"t\":"), t);
	/* version 3: keys at their default are left out: tid when it is the pid (the main thread),
	 * ok and errno when the call succeeded */
	if (tid != p->pid)
		o = key_i64(o, JW_LIT(",\"tid\":"), tid);
	o = jwc_str(jwc_raw(o, JW_LIT(",\"op\":")), ev->op, oplen);
	if (ev->via_syscall)
		o = jwc_raw(o, JW_LIT(",\"via\":\"syscall\""));
	if (k & EV_ADDR)
		o = key_u64(o, JW_LIT(",\"addr\":"), ev->addr);
	if (k & EV_LEN)
		o = key_u64(o, JW_LIT(",\"len\":"), ev->len);
	if (k & EV_NEW_LEN)
		o = key_u64(o, JW_LIT(",\"new_len\":"), ev->new_len);
	if (k & EV_FLAGS)
		o = key_i64(o, JW_LIT(",\"flags\":"), ev->flags);
	if (k & EV_ADVICE)
		o = key_i64(o, JW_LIT(",\"advice\":"), ev->advice);
	if (k & EV_PROT)
		o = key_i64(o, JW_LIT(",\"prot\":"), ev->prot);
	if (k & EV_FD)
		o = key_i64(o, JW_LIT(",\"fd\":"), ev->fd);
	if (k & EV_RESULT)
		o = ev->ok ? key_u64(o, JW_LIT(",\"result\":"), ev->result)
			   : jwc_raw(o, JW_LIT(",\"result\":null"));
	if (k & EV_CHILD)
		o = ev->ok ? key_i64(o, JW_LIT(",\"child\":"), ev->child)
			   : jwc_raw(o, JW_LIT(",\"child\":null"));
	if (!ev->ok)
		o = key_i64(o, JW_LIT(",\"ok\":false,\"errno\":"), ev->err);
	if (ev->injected)
		o = jwc_raw(o, JW_LIT(",\"injected\":true"));
	if (ev->call)
		o = key_u64(o, JW_LIT(",\"call\":"), ev->call);
	o = key_u64(o, JW_LIT(",\"stack\":"), ev->stack);
	if (k & EV_PAGES)
		o = key_u64(o, JW_LIT(",\"pages\":"), ev->pages);
	if (k & EV_CHARGED)
		o = key_u64(o, JW_LIT(",\"charged\":"), ev->charged);
	if (k & EV_UNLOCKED)
		o = key_u64(o, JW_LIT(",\"unlocked_pages\":"), ev->unlocked);
	if (k & EV_LOCKED_PAGES)
		o = key_u64(o, JW_LIT(",\"locked_pages\":"), ev->locked_pages);
	if (k & EV_ATTRS) {
		o = jwc_raw(o, JW_LIT(",\"attrs\":"));
		for (i = 0; i < 4; i++)
			if (ev->attrs & (1u << i)) {
				*o++ = *sep;
				o = jwc_raw(o, attr_names[i].s, attr_names[i].n);
				sep = ",";
			}
		o = *sep == '[' ? jwc_raw(o, JW_LIT("[]")) : jwc_raw(o, JW_LIT("]"));
	}
	if (k & EV_LOCKED_BYTES)
		o = key_u64(o, JW_LIT(",\"locked_bytes\":"), ev->locked_bytes);
	if (k & EV_MAP_COUNT)
		o = key_i64(o, JW_LIT(",\"map_count\":"), ev->map_count);
	*o++ = '}';
	jw_commit(w, o);
}

void rec_event(struct engine_proc *p, const struct event *ev)
{
	struct jsonw w;
	uint64_t seq = ++p->seq, t = engine_now(p), h1, h2;
	uint32_t gen = p->log_gen;
	pid_t tid = p->fe->tid(p->fe_ctx);
	struct rec_slot *last = rectable_get_at(p, &p->rec.last, ev->stack, 1,
						&content_memo[ev->stack % CONTENT_MEMO].last_slot);
	int again;

	store_kept_now();
	event_content(ev, tid, tid != p->pid, &h1, &h2);
	again = is_again(p, last, ev, h1, h2);
	if (last) {
		last->c1 = h1;
		last->c2 = h2;
	}
	if (again) {
		char *b = p->rec.batch ? kept.buf : recbuf;
		char *o = key_seq(b, JW_LIT("{\"type\":\"again\",\"seq\":"), seq);

		o = key_time(o, JW_LIT(",\"t\":"), t);
		o = key_u64(o, JW_LIT(",\"stack\":"), ev->stack);
		*o++ = '}';
		if (b == kept.buf) {
			*o++ = '\n';
			kept.len = (size_t)(o - kept.buf);
			kept.p = p;
		} else {
			finish_small(p, o);
		}
	} else {
		jw_init(&w, recbuf, sizeof recbuf);
		put_event(p, &w, ev, seq, t, tid);
		finish(p, &w);
	}
	if (last) {
		/* in the log now, or (a record was lost: p->log_gen moved) the next one is written whole */
		last->call = ev->call;
		last->logged_gen = p->log_gen == gen ? gen : 0;
	}
}

void rec_memlock(struct engine_proc *p, const struct memlock_call *mc)
{
	struct jsonw w;

	store_kept_now();
	jw_init(&w, recbuf, sizeof recbuf);
	jw_begin(&w);
	jw_key_str(&w, "type", "memlock");
	jw_key_u64(&w, "t", engine_now(p));
	jw_key_i64(&w, "tid", p->fe->tid(p->fe_ctx));
	jw_key_str(&w, "op", mc->op);
	if (mc->via_syscall)
		jw_key_str(&w, "via", "syscall");
	key_or_null(&w, "stack", mc->stack ? (long long)mc->stack : -1);
	jw_key_bool(&w, "read", mc->read);
	if (mc->set) {
		jw_key(&w, "set");
		jw_begin(&w);
		key_limit(&w, "soft", (rlim_t)mc->want_cur);
		key_limit(&w, "hard", (rlim_t)mc->want_max);
		jw_end(&w);
	}
	jw_key_bool(&w, "modelled", mc->modelled);
	jw_key_bool(&w, "ok", !mc->err);
	jw_key_i64(&w, "errno", mc->err);
	key_or_null(&w, "simulated", mc->soft);
	key_limit(&w, "hard", (rlim_t)mc->hard);
	jw_end(&w);
	finish(p, &w);
}

void rec_exit(struct engine_proc *p, const char *how, int status, int program_status,
	      long long vmlck_bytes)
{
	struct jsonw w;

	store_kept_now();
	jw_init(&w, recbuf, sizeof recbuf);
	jw_begin(&w);
	jw_key_str(&w, "type", "exit");
	jw_key_u64(&w, "t", engine_now(p));
	jw_key_str(&w, "how", how);
	jw_key_i64(&w, "status", status);
	if (program_status != status)
		jw_key_i64(&w, "program_status", program_status);
	jw_key_u64(&w, "locked_bytes", engine_locked_bytes(p));
	jw_key_i64(&w, "vmlck_bytes", vmlck_bytes);
	jw_key_u64(&w, "events", p->seq);
	jw_key_u64(&w, "lost_records", p->lost);
	jw_key_u64(&w, "log_reopened", (uint64_t)p->log.reopened);
	jw_end(&w);
	logfile_retry_now(&p->log); /* the last chance to say what was lost */
	finish(p, &w);
}

/* Findings are logged compactly (format version 3): what a finding says (rule, severity, call
 * sites, message, suppressed) once per log in a finding_def record, and each occurrence as a
 * finding_at record that names the def and the event. A def is one distinct finding: its key is
 * all of that, hashed (messages that differ, e.g. in a byte count, are two defs). NULL when the
 * table is full: the caller writes a full finding record. */
/* The keys of the last defs made, by what they were made of: a finding made again at one call site
 * mostly says the same thing, and comparing its message costs a fraction of hashing it. A memo of a
 * pure function (no table's state in it), shared by every process of a tracer; the lock is held. */
#define DEF_MEMO 8
#define DEF_MEMO_MSG 384
static struct def_memo {
	const char *rule, *severity; /* the registry's strings: one pointer, one text */
	uint32_t nums[3];
	size_t len; /* of message; 0: an empty entry */
	char message[DEF_MEMO_MSG];
	/* a text with a generation (policy/engine/msg.h) equal to message: the same pointer and
	 * generation again are the same text (gen 0: none) */
	const char *kept;
	uint64_t gen;
	uint64_t h1, h2;
	size_t slot; /* where the defs table had such a key (rectable_get_at) */
} def_memo[DEF_MEMO];

static struct def_memo *def_memo_of(const char *rule, uint32_t stack)
{
	return &def_memo[(stack * 0x9e3779b1u ^ (uint32_t)(uintptr_t)rule) % DEF_MEMO];
}

/* Whether m is the memo of these keys, but for the message. */
static int def_memo_keys(const struct def_memo *m, const char *rule, const char *severity,
			 uint32_t stack, uint32_t related_stack, int suppressed)
{
	return m->len && m->rule == rule && m->severity == severity && m->nums[0] == stack &&
	       m->nums[1] == related_stack && m->nums[2] == (uint32_t)suppressed;
}

/* The def of a finding, through the memo (rec_finding asks the memo for a message known by its
 * generation first, itself): out of line. */
static __attribute__((noinline)) struct rec_slot *
def_get(struct engine_proc *p, const char *rule, const char *severity, uint32_t stack,
	uint32_t related_stack, const char *message, uint64_t gen, int suppressed)
{
	uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x6a09e667f3bcc908ull;
	uint32_t nums[3] = {stack, related_stack, (uint32_t)suppressed};
	size_t len;
	struct def_memo *m = def_memo_of(rule, stack);

	/* the memo's message: one pass over it (strcmp, not strlen and memcmp) */
	if (def_memo_keys(m, rule, severity, stack, related_stack, suppressed)) {
		if (strcmp(m->message, message) == 0) {
			m->kept = message;
			m->gen = gen;
			return rectable_get_at(p, &p->rec.defs, m->h1, m->h2, &m->slot);
		}
	}
	len = strlen(message) + 1;
	rectable_hash(&h1, &h2, rule, strlen(rule) + 1);
	rectable_hash(&h1, &h2, severity, strlen(severity) + 1);
	rectable_hash(&h1, &h2, nums, sizeof nums);
	rectable_hash(&h1, &h2, message, len);
	if (len <= DEF_MEMO_MSG) {
		m->rule = rule;
		m->severity = severity;
		memcpy(m->nums, nums, sizeof nums);
		m->len = len;
		memcpy(m->message, message, len);
		m->kept = message;
		m->gen = gen;
		m->h1 = h1;
		m->h2 = h2;
		return rectable_get_at(p, &p->rec.defs, h1, h2, &m->slot);
	}
	return rectable_get(p, &p->rec.defs, h1, h2);
}

void rec_forget_tables(struct engine_proc *p)
{
	if (kept.p == p) /* a copied process: what was kept is its parent's */
		kept.p = NULL, kept.len = 0;
	p->rec.batch = 0;
	rectable_forget(&p->rec.defs);
	rectable_forget(&p->rec.last);
}

void rec_free_tables(struct engine_proc *p)
{
	rectable_free(p, &p->rec.defs);
	rectable_free(p, &p->rec.last);
}

/* What a finding says: the keys of a full finding record and of a finding_def record. */
static void put_finding_keys(struct jsonw *w, const char *rule, const char *severity,
			     uint32_t stack, uint32_t related_stack, const char *message, int suppressed)
{
	jw_key_str(w, "rule", rule);
	jw_key_str(w, "severity", severity);
	jw_key_u64(w, "stack", stack);
	jw_key(w, "related_stack");
	if (related_stack)
		jw_u64(w, related_stack);
	else
		jw_null(w);
	jw_key_str(w, "message", message);
	if (suppressed)
		jw_key_bool(w, "suppressed", 1);
}

/* {"type":"finding_at","def":D,"seq":S} at o, unchecked (under 128 bytes); returns its end. */
static inline char *put_finding_at(char *o, uint32_t def, uint64_t seq)
{
	o = key_u64(o, JW_LIT("{\"type\":\"finding_at\",\"def\":"), def);
	o = key_seq(o, JW_LIT(",\"seq\":"), seq);
	*o++ = '}';
	return o;
}

static void rec_finding_slow(struct engine_proc *p, struct rec_slot *d, const char *rule,
			     const char *severity, uint64_t seq, uint32_t stack,
			     uint32_t related_stack, const char *message, int suppressed);

/* The common finding out of the way of the rest (a small frame): its def's memo knows its message
 * by its generation, the def is in the log, and an again record is kept. */
void rec_finding(struct engine_proc *p, const char *rule, const char *severity, uint64_t seq, uint32_t stack,
		 uint32_t related_stack, const char *message, uint64_t message_gen, int suppressed)
{
	struct def_memo *m = def_memo_of(rule, stack);
	struct rec_slot *d;

	if (message_gen && m->gen == message_gen && m->kept == message &&
	    def_memo_keys(m, rule, severity, stack, related_stack, suppressed))
		d = rectable_get_at(p, &p->rec.defs, m->h1, m->h2, &m->slot);
	else
		d = def_get(p, rule, severity, stack, related_stack, message, message_gen, suppressed);
	/* the finding_at of a def in the log, after a kept again record: kept with it */
	if (kept.p == p && d && d->logged_gen == p->log_gen && kept.len <= KEPT_MAX) {
		char *o = put_finding_at(kept.buf + kept.len, d->id, seq);

		*o++ = '\n';
		kept.len = (size_t)(o - kept.buf);
		return;
	}
	rec_finding_slow(p, d, rule, severity, seq, stack, related_stack, message, suppressed);
}

static __attribute__((noinline)) void
rec_finding_slow(struct engine_proc *p, struct rec_slot *d, const char *rule, const char *severity,
		 uint64_t seq, uint32_t stack, uint32_t related_stack, const char *message,
		 int suppressed)
{
	struct jsonw w;

	store_kept_now();
	if (d && d->logged_gen != p->log_gen) {
		uint32_t gen = p->log_gen;

		jw_init(&w, recbuf, sizeof recbuf);
		jw_begin(&w);
		jw_key_str(&w, "type", "finding_def");
		jw_key_u64(&w, "id", d->id);
		put_finding_keys(&w, rule, severity, stack, related_stack, message, suppressed);
		jw_end(&w);
		/* like a stack record, not counted when lost: the finding it is for is */
		finish_record(p, &w, 1);
		if (p->log_gen == gen)
			d->logged_gen = gen;
		else
			d = NULL; /* not in the log: the occurrence goes as a full record */
	}
	if (d) {
		finish_small(p, put_finding_at(recbuf, d->id, seq));
		return;
	}
	jw_init(&w, recbuf, sizeof recbuf);
	jw_begin(&w);
	jw_key_str(&w, "type", "finding");
	jw_key_u64(&w, "seq", seq);
	put_finding_keys(&w, rule, severity, stack, related_stack, message, suppressed);
	jw_end(&w);
	finish(p, &w);
}

void rec_whatif(struct engine_proc *p, long long limit, uint64_t call, uint64_t seq, uint32_t stack, int err)
{
	struct jsonw w;

	store_kept_now();
	jw_init(&w, recbuf, sizeof recbuf);
	jw_begin(&w);
	jw_key_str(&w, "type", "whatif");
	key_or_null(&w, "limit", limit);
	jw_key_u64(&w, "call", call);
	jw_key_u64(&w, "seq", seq);
	jw_key_u64(&w, "stack", stack);
	jw_key_i64(&w, "errno", err);
	jw_end(&w);
	finish(p, &w);
}
