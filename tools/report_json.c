/* report_json.c: the JSON report (see report_json.h). */
#include <config.h>

#include "report_json.h"
#include "json_util.h"
#include "names.h"
#include "policy/rules.h"
#include "util.h"
#include "whatif_note.h"

#include <errno.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Return the JSON array of frames[0..n); a frame of an inlined call has "inlined": true. */
static json_t *frames_json(const struct ma_sym_frame *frames, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct ma_sym_frame *f = &frames[i];
		json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "function", jstr(f->function),
				      "file", jstr(f->file),
				      "line", f->line ? json_integer(f->line) : json_null(),
				      "module", jstr(f->module), "offset", juint(f->offset));

		if (f->inlined) /* only on inlined calls: other frames keep SPEC's five keys */
			json_object_set_new(o, "inlined", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

/* Return the frames of stack id of p as JSON. */
static json_t *stack_json(const struct ma_process *p, int64_t id)
{
	size_t n;
	const struct ma_sym_frame *frames = ma_process_frames(p, id, &n);

	return frames_json(frames, n);
}

/* Return the JSON object of site s, with its stack's frames (a reference taken). */
static json_t *site_json(const struct ma_site *s, json_t *frames)
{
	json_t *failures = json_object(), *o;
	char name[32];

	for (size_t i = 0; i < s->nfailures; i++)
		json_object_set_new(failures, errno_name(s->failures[i].err, name, sizeof name),
				    juint(s->failures[i].count));
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "op", ma_op_name(s->op),
		      "calls", juint(s->calls), "bytes", juint(s->bytes), "pages", juint(s->pages),
		      "failures", failures, "frames", frames);
	/* an addition to SPEC's shape: the most bytes locked right after a call from this site */
	json_object_set_new(o, "peak_locked_bytes", juint(s->peak_locked));
	if (s->injected)
		json_object_set_new(o, "injected", juint(s->injected));
	if (s->op == MA_OP_MADVISE || s->op == MA_OP_POSIX_MADVISE) {
		json_t *advice = json_array();
		int posix = s->op == MA_OP_POSIX_MADVISE;

		for (int a = 0; a < 64; a++) {
			const char *nm;

			if (!(s->advice_seen & (UINT64_C(1) << a)))
				continue;
			nm = advice_name(a, posix);
			if (nm) {
				snprintf(name, sizeof name, "%s%s",
					 posix ? "POSIX_MADV_" : "MADV_", nm);
				json_array_append_new(advice, json_string(name));
			} else {
				json_array_append_new(advice, json_integer(a));
			}
		}
		json_object_set_new(o, "advice", advice);
	}
	return o;
}

/* Return the JSON array of p's what-if entries: one per distinct limit of the log's
 * whatif_limits, in their order (empty for a log without them). */
static json_t *whatif_json(const struct ma_process *p)
{
	json_t *a = json_array();
	char name[32];

	for (size_t i = 0; i < p->log.nwhatif; i++) {
		const struct ma_whatif *w = &p->log.whatif[i];

		json_array_append_new(a, json_pack("{s:o, s:b, s:o, s:o, s:o}",
			"limit", w->unlimited ? json_null() : juint(w->limit),
			"configured", (int)w->configured,
			"call", w->hit ? juint(w->call) : json_null(),
			"errno", w->hit ? json_string(errno_name(w->err, name, sizeof name))
				       : json_null(),
			"frames", w->hit ? stack_json(p, w->stack) : json_array()));
	}
	return a;
}

/* Return the JSON object of finding f with the frames of its stack and of its related stack (null
 * when it has none; references taken). */
static json_t *finding_json(const struct ma_finding *f, json_t *frames, json_t *related)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "rule", jstr(f->rule),
			 "severity", jstr(f->severity), "count", juint(f->count),
			 "message", jstr(f->message), "frames", frames, "related_frames", related);
}

/* Return p's place in the process tree: {"relation", "parent" (the log of the image it was
 * forked from or exec'd by), "depth", "children": [{"pid", "log", "relation"}]}. */
static json_t *tree_json(const struct ma_process *p)
{
	json_t *children = json_array();

	for (size_t i = 0; i < p->nchildren; i++) {
		const struct ma_process *c = p->children[i];

		json_array_append_new(children, json_pack("{s:o, s:o, s:s}",
			"pid", c->log.has_pid ? json_integer(c->log.pid) : json_null(),
			"log", jstr(c->path), "relation", ma_relation_name(c->relation)));
	}
	return json_pack("{s:s, s:o, s:o, s:o}", "relation", ma_relation_name(p->relation),
			 "parent", jstr(p->tree_parent ? p->tree_parent->path : NULL),
			 "depth", juint(p->depth), "children", children);
}

/* Return where p first read its RLIMIT_MEMLOCK, {"op", "frames"}, or null when it never did. */
static json_t *memlock_read_json(const struct ma_process *p)
{
	if (!p->log.memlock_read)
		return json_null();
	return json_pack("{s:o, s:o}", "op", jstr(p->log.memlock_read_op),
			 "frames", p->log.memlock_read_stack >= 0
					   ? stack_json(p, p->log.memlock_read_stack) : json_array());
}

/* An array of the strings v[0..n) (trace mode's rule lists). */
static json_t *strs_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Return the JSON object of process p. */
static json_t *process_json(const struct ma_process *p)
{
	const struct ma_log *l = &p->log;
	json_t *argv = json_array(), *sites = json_array(), *findings = json_array();
	json_t *notes = json_array(), *o;
	char note[1024];

	for (size_t i = 0; i < l->argc; i++)
		json_array_append_new(argv, jstr(l->argv[i]));
	for (size_t i = 0; i < p->nsites; i++)
		json_array_append_new(sites, site_json(&p->sites[i],
						       stack_json(p, p->sites[i].stack)));
	for (size_t i = 0; i < p->nfindings; i++) {
		const struct ma_finding *f = &p->findings[i];

		if (!f->suppressed)
			json_array_append_new(findings, finding_json(f, stack_json(p, f->stack),
				f->related_stack >= 0 ? stack_json(p, f->related_stack) : json_null()));
	}
	for (size_t i = 0; i < p->nnotes; i++)
		json_array_append_new(notes, jstr(p->notes[i]));

	o = json_object();
	json_object_set_new(o, "pid", l->has_pid ? json_integer(l->pid) : json_null());
	json_object_set_new(o, "ppid", l->has_ppid ? json_integer(l->ppid) : json_null());
	json_object_set_new(o, "exe", jstr(l->exe));
	json_object_set_new(o, "argv", argv);
	json_object_set_new(o, "argv_recorded", json_string(l->argv_first ? "first" : "full"));
	json_object_set_new(o, "log", jstr(p->path));
	json_object_set_new(o, "complete", json_boolean(p->complete));
	json_object_set_new(o, "exit_status",
			    l->has_exit_status ? json_integer(l->exit_status) : json_null());
	json_object_set_new(o, "policy", jstr(l->policy));
	json_object_set_new(o, "page_size", l->has_page_size ? juint(l->page_size) : json_null());
	json_object_set_new(o, "memlock_limit",
			    l->has_memlock_limit ? juint(l->memlock_limit) : json_null());
	json_object_set_new(o, "peak_locked_bytes", juint(p->peak_locked));
	json_object_set_new(o, "locked_bytes_at_exit",
			    l->has_exit_locked ? juint(l->exit_locked_bytes) : json_null());
	json_object_set_new(o, "whatif", whatif_json(p));
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "findings", findings);
	/* additions to the SPEC's shape */
	json_object_set_new(o, "ended_by", jstr(p->ended_by));
	json_object_set_new(o, "incomplete_reason", jstr(p->incomplete_reason));
	json_object_set_new(o, "start", l->has_start ? json_pack("{s:I, s:I}", "sec",
					(json_int_t)l->start_sec, "nsec", (json_int_t)l->start_nsec)
						     : json_null());
	json_object_set_new(o, "parent_log", jstr(l->parent_log));
	json_object_set_new(o, "frontend", json_string(l->frontend ? l->frontend : "preload"));
	json_object_set_new(o, "unchecked", strs_json(l->unchecked, l->nunchecked));
	json_object_set_new(o, "partly_checked", strs_json(l->partly, l->npartly));
	json_object_set_new(o, "tree", tree_json(p));
	json_object_set_new(o, "events", juint(l->events));
	json_object_set_new(o, "suppressed", juint(p->suppressed));
	if (l->has_program_status) /* strict replaced it: only then, as in the log */
		json_object_set_new(o, "program_exit_status", json_integer(l->program_status));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "memlock_read", memlock_read_json(p));
	json_object_set_new(o, "whatif_note",
			    ma_whatif_note(p, note, sizeof note) ? jstr(note) : json_null());
	return o;
}

/* Return the JSON object of merged group g: {"exe", "processes": n, "pids", "logs", "incomplete",
 * "peak_locked_bytes", "suppressed", "whatif", "sites", "findings", "notes"}, each what-if,
 * site and finding entry with the number of processes it covers. */
static json_t *group_json(const struct ma_group *g)
{
	json_t *pids = json_array(), *logs = json_array(), *whatif = json_array();
	json_t *sites = json_array(), *findings = json_array(), *notes = json_array(), *o;
	char name[32];

	for (size_t i = 0; i < g->nprocs; i++) {
		const struct ma_process *p = g->procs[i];

		json_array_append_new(pids, p->log.has_pid ? json_integer(p->log.pid) : json_null());
		json_array_append_new(logs, jstr(p->path));
	}
	for (size_t i = 0; i < g->nwhatif; i++) {
		const struct ma_merged_whatif *w = &g->whatif[i];

		json_array_append_new(whatif, json_pack("{s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
			"limit", w->unlimited ? json_null() : juint(w->limit),
			"configured", (int)w->configured, "processes", juint(w->processes),
			"failing", juint(w->failing),
			"call", w->failing ? juint(w->call) : json_null(),
			"errno", w->failing ? json_string(errno_name(w->err, name, sizeof name))
					    : json_null(),
			"frames", frames_json(w->frames, w->failing ? w->nframes : 0)));
	}
	for (size_t i = 0; i < g->nsites; i++) {
		const struct ma_merged_site *m = &g->sites[i];
		json_t *site = site_json(&m->sum, frames_json(m->frames, m->nframes));

		json_object_set_new(site, "processes", juint(m->processes));
		json_array_append_new(sites, site);
	}
	for (size_t i = 0; i < g->nfindings; i++) {
		const struct ma_merged_finding *m = &g->findings[i];
		json_t *f = finding_json(&m->sum, frames_json(m->frames, m->nframes),
					 m->sum.related_stack >= 0
						 ? frames_json(m->related, m->nrelated)
						 : json_null());

		json_object_set_new(f, "processes", juint(m->processes));
		json_array_append_new(findings, f);
	}
	for (size_t i = 0; i < g->nnotes; i++)
		json_array_append_new(notes, jstr(g->notes[i]));
	o = json_object();
	json_object_set_new(o, "exe", jstr(g->exe));
	json_object_set_new(o, "processes", juint(g->nprocs));
	json_object_set_new(o, "pids", pids);
	json_object_set_new(o, "logs", logs);
	json_object_set_new(o, "incomplete", juint(g->incomplete));
	json_object_set_new(o, "peak_locked_bytes", juint(g->peak_locked));
	json_object_set_new(o, "suppressed", juint(g->suppressed));
	json_object_set_new(o, "whatif", whatif);
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "notes", notes);
	return o;
}

/* Return the "rules" array: id, severity, summary, explanation and fix of each rule that a
 * reported finding has, in the table's order. */
static json_t *rules_json(struct ma_process *const *procs, size_t n)
{
	json_t *list = json_array();
	const struct rule_def *table;
	size_t nrules;

	table = rules_table(&nrules);
	for (size_t r = 0; r < nrules; r++) {
		bool seen = false;

		for (size_t i = 0; i < n && !seen; i++)
			for (size_t j = 0; j < procs[i]->nfindings && !seen; j++)
				seen = !procs[i]->findings[j].suppressed &&
				       !strcmp(procs[i]->findings[j].rule, table[r].name);
		if (seen)
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
				table[r].name, "severity", rules_severity_name(table[r].severity), "summary",
				table[r].summary, "explanation", table[r].explanation, "fix",
				table[r].fix));
	}
	return list;
}

/* Write the JSON report; see report_json.h. */
int ma_write_json(FILE *out, struct ma_process *const *procs, size_t n,
		  const struct ma_merged *merged)
{
	json_t *root = json_object(), *list = json_array();
	int ret;

	if (!root || !list) {
		json_decref(root);
		json_decref(list);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, process_json(procs[i]));
	json_object_set_new(root, "memaudit_report", json_integer(1));
	json_object_set_new(root, "tool_version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "processes", list);
	json_object_set_new(root, "rules", rules_json(procs, n)); /* an addition to SPEC's shape */
	if (merged) {
		json_t *groups = json_array();

		for (size_t i = 0; i < merged->ngroups; i++)
			json_array_append_new(groups, group_json(&merged->groups[i]));
		json_object_set_new(root, "merged", groups); /* --merge: an addition too */
	}
	ret = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (ret == 0 && fputc('\n', out) == EOF)
		ret = -1;
	return ret;
}
