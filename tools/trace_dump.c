/* trace_dump.c: the --dump sink: one JSON object per line for every event the supervisor
 * reports (trace.h), for tests and debugging. Not the memaudit log: no model, no rules.
 *
 *   {"event":"start","pid":P,"ppid":0,"exe":"/bin/x","argv":["x"]}
 *   {"event":"call","pid":P,"tid":T,"call":"mlock","nr":149,"args":[A0,...,A5],"ret":0,
 *    "errno":0,"refused":false,"stack":[{"pc":"0x...","function":"main","file":"x.c","line":9,
 *    "module":"/bin/x","offset":"0x..."}]}
 *   {"event":"fork","pid":P,"child":C,"kind":"fork"|"vfork"|"clone"}
 *   {"event":"exec","pid":P,"exe":"...","argv":[...]}
 *   {"event":"exiting","pid":P,"tid":T,"status":N,"vmlck":BYTES}   (N: 128+S for signal S)
 *   {"event":"exit","pid":P,"status":N} or {"event":"exit","pid":P,"signal":N}
 *
 * args are signed decimal (an int -1 stays -1); ret is -errno for a failed call (errno then
 * names it). The stack is taken at the call's entry, wrappers trimmed (trace_stack.c); without
 * symbols (--no-symbols) its frames have pc, module and offset only, as the memaudit log keeps
 * them (what bench/ measures).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tools/trace.h"

struct trace_dump {
	FILE *f;
	bool symbols;        /* function, file, line (else module and offset only) */
	long refuse_nr;      /* -1: none */
	int refuse_errno;
};

/* A call's stack from its call_enter to its call_exit: one at a time per process, but for a call
 * that stopped holding the others (trace.h) */
#define DUMP_SLOTS 4

struct dump_slot {
	const struct trace_call *call; /* NULL: free */
	uint64_t pcs[TRACE_STACK_MAX];
	size_t n;
};

struct dump_proc {
	struct dump_slot slot[DUMP_SLOTS];
};

static struct dump_slot *slot_of(struct dump_proc *q, const struct trace_call *c, bool take)
{
	size_t i;

	for (i = 0; q && i < DUMP_SLOTS; i++)
		if (q->slot[i].call == c)
			return &q->slot[i];
	if (!take || !q)
		return NULL;
	for (i = 0; i < DUMP_SLOTS - 1 && q->slot[i].call; i++)
		; /* the last when all are taken (calls of threads killed in them never exit) */
	q->slot[i].call = c;
	return &q->slot[i];
}

static void str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	fputc('"', f);
	for (; *p; p++) {
		for (n = 0; p[n] >= 0x20 && p[n] != '"' && p[n] != '\\'; n++)
			;
		fwrite(p, 1, n, f); /* the plain run in one piece (a path per frame) */
		p += n;
		if (!*p)
			break;
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Numbers for the per-call line without printf (whose parsing was most of --dump's cost). */
static void dec(FILE *f, long long v)
{
	char b[24], *q = b + sizeof b;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	fwrite(q, 1, (size_t)(b + sizeof b - q), f);
}

static void hex(FILE *f, uint64_t v)
{
	char b[20], *q = b + sizeof b;

	do
		*--q = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	*--q = 'x';
	*--q = '0';
	fwrite(q, 1, (size_t)(b + sizeof b - q), f);
}

static void argv_json(FILE *f, char **argv)
{
	size_t i;

	fputc('[', f);
	for (i = 0; argv && argv[i]; i++) {
		if (i)
			fputc(',', f);
		str(f, argv[i]);
	}
	fputc(']', f);
}

static struct dump_proc *dp(struct trace_proc *p)
{
	if (!p->data)
		p->data = calloc(1, sizeof(struct dump_proc));
	return p->data;
}

static void identity(struct trace_dump *d, const char *event, struct trace_proc *p)
{
	fprintf(d->f, "{\"event\":\"%s\",\"pid\":%d,\"ppid\":%d,\"exe\":", event, (int)p->tgid,
		(int)p->ppid);
	str(d->f, p->exe);
	fputs(",\"argv\":", d->f);
	argv_json(d->f, p->argv);
	fputs("}\n", d->f);
}

static void on_start(void *ctx, struct trace_proc *p)
{
	identity(ctx, "start", p);
}

static void on_exec(void *ctx, struct trace_proc *p)
{
	identity(ctx, "exec", p);
}

static int on_enter(void *ctx, struct trace_proc *p, struct trace_call *c)
{
	struct trace_dump *d = ctx;
	struct dump_slot *sl = slot_of(dp(p), c, true);

	if (sl)
		sl->n = trace_stack_capture(p, c->tid, &c->regs, sl->pcs, TRACE_STACK_MAX);
	return c->nr == d->refuse_nr ? d->refuse_errno : 0;
}

static void frame_json(FILE *f, struct trace_proc *p, uint64_t pc, bool symbols)
{
	const char *fn, *file, *mod;
	uint64_t off = 0;
	int line;

	fputs("{\"pc\":\"", f);
	hex(f, pc);
	fputc('"', f);
	if (!symbols) {
		if (trace_stack_symbolize(p, pc, NULL, NULL, NULL, &mod, &off)) {
			fputs(",\"module\":", f);
			str(f, mod);
			fputs(",\"offset\":\"", f);
			hex(f, off);
			fputc('"', f);
		}
	} else if (trace_stack_symbolize(p, pc, &fn, &file, &line, &mod, &off)) {
		fputs(",\"function\":", f);
		str(f, fn);
		fputs(",\"file\":", f);
		str(f, file);
		fprintf(f, ",\"line\":%d,\"module\":", line);
		str(f, mod);
		fprintf(f, ",\"offset\":\"0x%llx\"", (unsigned long long)off);
	}
	fputc('}', f);
}

static void on_exit_call(void *ctx, struct trace_proc *p, const struct trace_call *c)
{
	struct trace_dump *d = ctx;
	struct dump_slot *sl = slot_of(p->data, c, false);
	size_t i;

	fputs("{\"event\":\"call\",\"pid\":", d->f);
	dec(d->f, p->tgid);
	fputs(",\"tid\":", d->f);
	dec(d->f, c->tid);
	fputs(",\"call\":\"", d->f);
	fputs(trace_call_name(c->nr), d->f);
	fputs("\",\"nr\":", d->f);
	dec(d->f, c->nr);
	fputs(",\"args\":[", d->f);
	for (i = 0; i < 6; i++) {
		if (i)
			fputc(',', d->f);
		dec(d->f, (long long)c->args[i]);
	}
	fputs("],\"ret\":", d->f);
	dec(d->f, c->ret);
	fputs(",\"errno\":", d->f);
	dec(d->f, c->ret < 0 && c->ret > -4096 ? -c->ret : 0);
	fputs(c->refused ? ",\"refused\":true,\"stack\":[" : ",\"refused\":false,\"stack\":[", d->f);
	for (i = 0; sl && i < sl->n; i++) {
		if (i)
			fputc(',', d->f);
		frame_json(d->f, p, sl->pcs[i], d->symbols);
	}
	fputs("]}\n", d->f);
	if (sl)
		sl->call = NULL;
}

static void on_fork(void *ctx, struct trace_proc *parent, struct trace_proc *child,
		    enum trace_fork_kind kind)
{
	struct trace_dump *d = ctx;

	fprintf(d->f, "{\"event\":\"fork\",\"pid\":%d,\"child\":%d,\"kind\":\"%s\"}\n", (int)parent->tgid,
		(int)child->tgid, kind == TRACE_FORK ? "fork" : kind == TRACE_VFORK ? "vfork" : "clone");
}

static void on_exiting(void *ctx, struct trace_proc *p, pid_t tid, int st)
{
	struct trace_dump *d = ctx;

	fprintf(d->f, "{\"event\":\"exiting\",\"pid\":%d,\"tid\":%d,\"status\":%d,\"vmlck\":%lld}\n",
		(int)p->tgid, (int)tid, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
		trace_status_kb(tid, "VmLck"));
}

static void on_exit_proc(void *ctx, struct trace_proc *p, int st)
{
	struct trace_dump *d = ctx;

	if (WIFSIGNALED(st))
		fprintf(d->f, "{\"event\":\"exit\",\"pid\":%d,\"signal\":%d}\n", (int)p->tgid, WTERMSIG(st));
	else
		fprintf(d->f, "{\"event\":\"exit\",\"pid\":%d,\"status\":%d}\n", (int)p->tgid,
			WEXITSTATUS(st));
	free(p->data);
	p->data = NULL;
}

static int errno_named(const char *s)
{
	static const struct {
		const char *name;
		int e;
	} names[] = {{"EPERM", EPERM}, {"ENOMEM", ENOMEM}, {"EAGAIN", EAGAIN}, {"EINVAL", EINVAL}};
	size_t i;
	char *end;
	long v;

	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].e;
	v = strtol(s, &end, 10);
	return *end || v <= 0 || v >= 4096 ? -1 : (int)v;
}

static long call_named(const char *name)
{
	long nr;

	for (nr = 0; nr < 512; nr++)
		if (trace_filter_traces(nr) && strcmp(trace_call_name(nr), name) == 0)
			return nr;
	return -1;
}

struct trace_dump *trace_dump_open(const char *path, const char *refuse, bool symbols)
{
	struct trace_dump *d = calloc(1, sizeof *d);
	char name[64];
	const char *eq;

	if (!d)
		return NULL;
	d->refuse_nr = -1;
	d->symbols = symbols;
	if (refuse) {
		eq = strchr(refuse, '=');
		if (eq && (size_t)(eq - refuse) < sizeof name) {
			memcpy(name, refuse, (size_t)(eq - refuse));
			name[eq - refuse] = 0;
			d->refuse_nr = call_named(name);
			d->refuse_errno = errno_named(eq + 1);
		}
		if (d->refuse_nr < 0 || d->refuse_errno <= 0) {
			fprintf(stderr, "memaudit-trace: --refuse %s: want CALL=ERRNO (mlock=ENOMEM)\n", refuse);
			free(d);
			return NULL;
		}
	}
	d->f = fopen(path, "we");
	if (!d->f) {
		fprintf(stderr, "memaudit-trace: %s: %s\n", path, strerror(errno));
		free(d);
		return NULL;
	}
	setvbuf(d->f, NULL, _IOFBF, 1 << 16);
	return d;
}

void trace_dump_sink(struct trace_dump *d, struct trace_sink *sink)
{
	memset(sink, 0, sizeof *sink);
	sink->ctx = d;
	sink->process_start = on_start;
	sink->call_enter = on_enter;
	sink->call_exit = on_exit_call;
	sink->fork = on_fork;
	sink->exec = on_exec;
	sink->exiting = on_exiting;
	sink->exit = on_exit_proc;
}

int trace_dump_close(struct trace_dump *d)
{
	int r = fclose(d->f) == 0 ? 0 : -1;

	free(d);
	return r;
}
