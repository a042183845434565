/* report_sarif.c: the SARIF 2.1.0 report (see report_sarif.h). */
#include <config.h>

#include "report_sarif.h"
#include "trace_note.h"
#include "json_util.h"
#include "policy/rules.h"
#include "sarif_text.h"
#include "sarif_uri.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#ifndef MA_DOCDIR
#error "MA_DOCDIR: the installed documentation directory (tools/Makefile.am)"
#endif

/* A result waiting for its fingerprint: its occurrence among the results of the same hash is
 * only known once all are made. */
struct pending {
	json_t *result;
	uint64_t hash;  /* of rule, function and source file name */
	char *key;      /* the result without its properties, as compact JSON with sorted keys */
	size_t index;   /* in the order of the results */
};

/* What the writer carries from one result to the next. */
struct sarif {
	struct ma_srcroot root;
	bool used_root;                   /* some URI is relative to SRCROOT */
	const struct rule_def *table; /* the known rules: driver.rules[0..ntable) */
	size_t ntable;
	char **extra;                     /* rule names from the logs that the table lacks */
	size_t nextra, extra_cap;
	struct pending *results;          /* every result, in order */
	size_t nresults, results_cap;
};

/* ---------------------------------------------------------------------
 * Rules
 * --------------------------------------------------------------------- */

/* Return the SARIF level of a severity name; a name this tool does not know gets the rule's
 * default (fallback), or "warning". */
static const char *level_of(const char *severity, const char *fallback)
{
	switch (ma_severity_rank(severity)) {
	case MA_SEV_ERROR:
		return "error";
	case MA_SEV_WARNING:
		return "warning";
	case MA_SEV_NOTE:
		return "note";
	default:
		return fallback && ma_severity_rank(fallback) != MA_SEV_UNKNOWN
			       ? level_of(fallback, NULL) : "warning";
	}
}

/* Return the index of rule name in driver.rules, adding it after the table when it is not there. */
static size_t rule_index(struct sarif *s, const char *name)
{
	for (size_t i = 0; i < s->ntable; i++)
		if (!strcmp(s->table[i].name, name))
			return i;
	for (size_t i = 0; i < s->nextra; i++)
		if (!strcmp(s->extra[i], name))
			return s->ntable + i;
	GROW(s->extra, s->extra_cap, s->nextra);
	s->extra[s->nextra] = xstrdup(name);
	return s->ntable + s->nextra++;
}

/* Return id in PascalCase, the reportingDescriptor name ("lock-limit" -> "LockLimit"; malloc'd). */
static char *pascal_name(const char *id)
{
	char *name = xmalloc(strlen(id) + 1), *o = name;
	bool start = true;

	for (; *id; id++) {
		if (*id == '-' || *id == '_') {
			start = true;
			continue;
		}
		*o++ = start && *id >= 'a' && *id <= 'z' ? (char)(*id - 'a' + 'A') : *id;
		start = false;
	}
	*o = '\0';
	return name;
}

/* Return text with the characters Markdown would read as markup backslash-escaped (malloc'd). */
static char *md_escape(const char *text)
{
	char *out = xmalloc(strlen(text) * 2 + 1), *o = out;

	for (; *text; text++) {
		if (strchr("\\`*_[]<>#", *text))
			*o++ = '\\';
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

/* Return the helpUri of rule r: its section of the rules page that `make install` puts into the
 * documentation directory (docs/rules.html, written from the registry like memaudit(7)). The page
 * is HTML so that a browser opens it at the rule's anchor, and so that Debian's dh_compress,
 * which compresses the other documents, leaves it as it is. */
static char *help_uri(const struct rule_def *r)
{
	char *page = join_path(MA_DOCDIR, "rules.html");
	char *uri = ma_path_uri(page), *full = xmalloc(strlen(uri) + strlen(r->name) + 2);

	sprintf(full, "%s#%s", uri, r->name);
	free(page);
	free(uri);
	return full;
}

/* Return the reportingDescriptor of a rule of the table: its summary, explanation and fix (the
 * help, as text and Markdown), where the rules page explains it (helpUri), and for code scanning
 * its security severity and the "security" tag (properties). */
static json_t *rule_json(const struct rule_def *r)
{
	char *name = pascal_name(r->name), *why = md_escape(r->explanation), *fix = md_escape(r->fix);
	size_t len = strlen(r->explanation) + strlen(r->fix) * 2 + strlen(r->name) + 128;
	char *text = xmalloc(len), *md = xmalloc(len * 2), *uri = help_uri(r);
	json_t *o;

	snprintf(text, len, "%s\n\nFix: %s\n\nSee memaudit(7), RULES.", r->explanation, r->fix);
	snprintf(md, len * 2, "%s\n\n**Fix:** %s\n\nSee memaudit(7), RULES.", why, fix);
	o = json_pack("{s:s, s:o, s:{s:s}, s:{s:s}, s:{s:s, s:s}, s:s, s:{s:s}, s:{s:[s], s:s}}",
		      "id", r->name, "name", jstr(name), "shortDescription", "text", r->summary,
		      "fullDescription", "text", r->explanation, "help", "text", text,
		      "markdown", md, "helpUri", uri, "defaultConfiguration", "level",
		      level_of(rules_severity_name(r->severity), NULL), "properties", "tags",
		      "security", "security-severity", r->security_severity);
	free(name);
	free(why);
	free(fix);
	free(text);
	free(md);
	free(uri);
	return o;
}

/* Return the reportingDescriptor of a rule name that this tool does not know. */
static json_t *unknown_rule_json(const char *id)
{
	char *name = pascal_name(id);
	json_t *o = json_pack("{s:o, s:o, s:{s:s}}", "id", jstr(id), "name", jstr(name),
			      "shortDescription", "text",
			      "A rule this memaudit-report does not know (a log of a newer memaudit?).");

	free(name);
	return o;
}

/* Return driver.rules: the table, then the unknown rules the results named. */
static json_t *rules_json(const struct sarif *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->ntable; i++)
		json_array_append_new(a, rule_json(&s->table[i]));
	for (size_t i = 0; i < s->nextra; i++)
		json_array_append_new(a, unknown_rule_json(s->extra[i]));
	return a;
}

/* ---------------------------------------------------------------------
 * Locations
 * --------------------------------------------------------------------- */

/* Write where frame f is, for people: "main (app.c:12)", "main (app+0x1169)", "app+0x1169" or
 * "0x1169". */
static const char *where_str(const struct ma_sym_frame *f, char *buf, size_t len)
{
	char mod[512];

	if (f->file)
		snprintf(mod, sizeof mod, "%s:%d", base_name(f->file), f->line);
	else if (f->module)
		snprintf(mod, sizeof mod, "%s+0x%" PRIx64, base_name(f->module), f->offset);
	else
		snprintf(mod, sizeof mod, "0x%" PRIx64, f->offset);
	if (f->function)
		snprintf(buf, len, "%s (%s)", f->function, mod);
	else
		snprintf(buf, len, "%s", mod);
	return buf;
}

/* Return the artifactLocation of the file at path, or NULL when it has no valid URI. */
static json_t *artifact_json(struct sarif *s, const char *path)
{
	json_t *artifact;
	bool relative;
	char *uri = ma_file_uri(&s->root, path, &relative);

	if (!uri)
		return NULL;
	artifact = json_pack("{s:s}", "uri", uri);
	free(uri);
	if (relative) {
		json_object_set_new(artifact, "uriBaseId", json_string(MA_SARIF_SRCROOT));
		s->used_root = true;
	}
	return artifact;
}

/* Return the physicalLocation of frame f of p: its source file and line, else its module file
 * (the program's executable for a frame outside every module), else NULL. Code scanning refuses a
 * whole SARIF file in which one location has no artifact (GitHub: "expected artifact location"),
 * so a frame without a source line points at the binary. Sets *source to whether it is a source
 * line. */
static json_t *physical_json(struct sarif *s, const struct ma_process *p,
			     const struct ma_sym_frame *f, bool *source)
{
	json_t *artifact;

	*source = false;
	if (f->file && f->line >= 1 && (artifact = artifact_json(s, f->file))) {
		*source = true;
		return json_pack("{s:o, s:{s:i}}", "artifactLocation", artifact, "region",
				 "startLine", f->line);
	}
	artifact = artifact_json(s, f->module);
	if (!artifact && !f->module)
		artifact = artifact_json(s, p->log.exe);
	return artifact ? json_pack("{s:o}", "artifactLocation", artifact) : NULL;
}

/* Return the location of frame f of p: its physicalLocation (see physical_json) and a logical
 * location naming the function (or module+offset). Sets *source (may be NULL) to whether the
 * location is a source line. */
static json_t *location_json(struct sarif *s, const struct ma_process *p,
			     const struct ma_sym_frame *f, bool *source)
{
	bool line;
	json_t *loc = json_object(), *phys = physical_json(s, p, f, &line), *logical;
	char where[1024];

	if (phys)
		json_object_set_new(loc, "physicalLocation", phys);
	if (f->function)
		logical = json_pack("{s:o, s:s}", "name", jstr(f->function), "kind", "function");
	else
		logical = json_pack("{s:o}", "name", jstr(where_str(f, where, sizeof where)));
	json_object_set_new(loc, "logicalLocations", json_pack("[o]", logical));
	if (source)
		*source = line;
	return loc;
}

/* Return a stack object for frames[0..n) (innermost first) with the message text. */
static json_t *stack_json(struct sarif *s, const struct ma_process *p,
			  const struct ma_sym_frame *frames, size_t n, const char *text)
{
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *frame = json_pack("{s:o}", "location",
					  location_json(s, p, &frames[i], NULL));

		if (frames[i].module)
			json_object_set_new(frame, "module", jstr(base_name(frames[i].module)));
		json_object_set_new(frame, "properties",
				    json_pack("{s:o}", "offset", juint(frames[i].offset)));
		json_array_append_new(list, frame);
	}
	return json_pack("{s:{s:s}, s:o}", "message", "text", text, "frames", list);
}

/* ---------------------------------------------------------------------
 * Results
 * --------------------------------------------------------------------- */

/* Return h updated with the bytes of s and a separator (64-bit FNV-1a). */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return (h ^ 0xff) * 0x100000001b3u;
}

/* Return the hash of finding f located at frame own (may be NULL): rule, function (module and
 * offset when unknown) and source file name. */
static uint64_t fingerprint_hash(const struct ma_finding *f, const struct ma_sym_frame *own)
{
	uint64_t h = fnv1a(0xcbf29ce484222325u, f->rule);
	char off[32];

	if (own && own->function) {
		h = fnv1a(h, own->function);
	} else if (own) {
		snprintf(off, sizeof off, "+0x%" PRIx64, own->offset);
		h = fnv1a(fnv1a(h, base_name(own->module)), off);
	}
	return fnv1a(h, own && own->file ? base_name(own->file) : "");
}

/* qsort: pending results by hash, then key, then order. */
static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = *(struct pending *const *)a, *y = *(struct pending *const *)b;
	int c;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if ((c = strcmp(x->key, y->key)))
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

/* Give every result its partialFingerprints: its hash and its occurrence among the results with
 * that hash ("0123456789abcdef:1"). The occurrences are counted in the order of the results'
 * contents (key: locations, stacks, message; not the process), not in the order of the
 * processes, which is their start order and may change from run to run when processes run in
 * parallel: the same findings get the same fingerprints in every run. Results whose keys are
 * equal differ only in their process, and either fingerprint fits either. */
static void fingerprints(struct sarif *s)
{
	struct pending **order = xcalloc(s->nresults ? s->nresults : 1, sizeof *order);
	unsigned occurrence = 0;
	char value[64];

	for (size_t i = 0; i < s->nresults; i++)
		order[i] = &s->results[i];
	sort_array(order, s->nresults, sizeof *order, cmp_pending);
	for (size_t i = 0; i < s->nresults; i++) {
		occurrence = i && order[i - 1]->hash == order[i]->hash ? occurrence + 1 : 1;
		snprintf(value, sizeof value, "%016" PRIx64 ":%u", order[i]->hash, occurrence);
		json_object_set_new(order[i]->result, "partialFingerprints",
				    json_pack("{s:s}", "memaudit/v1", value));
	}
	free(order);
}

/* Return a JSON string of text with control characters (a log's terminal escapes) shown as '?',
 * as in the text report; text is changed in place. */
static json_t *shown_text(char *text)
{
	for (char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return jstr(text);
}

/* Return the message text of finding f of p: the finding's message as the same program gives it
 * in every run (ma_sarif_stable_text: no address), its count and the program's name, and where
 * (may be NULL) when the result has no source location. The pid is in the result's properties. */
static json_t *message_json(const struct ma_process *p, const struct ma_finding *f,
			    const char *where)
{
	const char *prog = p->log.progname ? p->log.progname : p->log.exe ? base_name(p->log.exe)
									  : "?";
	char *stable = ma_sarif_stable_text(f->message ? f->message : "(no message)");
	size_t len = strlen(stable) + strlen(prog) + (where ? strlen(where) : 0) + 128;
	char *text = xmalloc(len);
	json_t *o;

	snprintf(text, len, "%s (%" PRIu64 " time%s in %s%s%s)", stable, f->count,
		 f->count == 1 ? "" : "s", prog, where ? "; at " : "", where ? where : "");
	o = json_pack("{s:o}", "text", shown_text(text));
	free(stable);
	free(text);
	return o;
}

/* Keep result r (made so far without its properties, which hold what differs between runs) for
 * fingerprints(), with its hash and its contents as key. */
static void pending_add(struct sarif *s, json_t *r, uint64_t hash)
{
	struct pending *e;

	GROW(s->results, s->results_cap, s->nresults);
	e = &s->results[s->nresults];
	e->result = r;
	e->hash = hash;
	e->key = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
	if (!e->key)
		e->key = xstrdup("");
	e->index = s->nresults++;
}

/* Return the result of finding f of p. */
static json_t *result_json(struct sarif *s, const struct ma_process *p, const struct ma_finding *f)
{
	size_t n, rn = 0;
	const struct ma_sym_frame *frames = ma_process_frames(p, f->stack, &n), *rframes = NULL;
	const struct ma_sym_frame *own = ma_frames_own(frames, n), *rown = NULL;
	const struct rule_def *info = rules_by_name(f->rule);
	json_t *r = json_object(), *stacks = json_array(), *loc = NULL, *props;
	bool source = false;
	char where[1024];

	if (f->related_stack >= 0) {
		rframes = ma_process_frames(p, f->related_stack, &rn);
		rown = ma_frames_own(rframes, rn);
	}
	if (own)
		loc = location_json(s, p, own, &source);
	json_object_set_new(r, "ruleId", jstr(f->rule));
	json_object_set_new(r, "ruleIndex", json_integer((json_int_t)rule_index(s, f->rule)));
	json_object_set_new(r, "level", json_string(level_of(f->severity,
							     info ? rules_severity_name(info->severity) : NULL)));
	json_object_set_new(r, "message", message_json(p, f, own && !source
				? where_str(own, where, sizeof where) : NULL));
	json_object_set_new(r, "locations", loc ? json_pack("[o]", loc) : json_array());
	if (rown) {
		json_t *rel = location_json(s, p, rown, NULL);
		char text[1200];

		snprintf(text, sizeof text, "the other call site (where the region this finding "
			 "affects was locked or protected): %s", where_str(rown, where, sizeof where));
		json_object_set_new(rel, "id", json_integer(1));
		json_object_set_new(rel, "message", json_pack("{s:s}", "text", text));
		json_object_set_new(r, "relatedLocations", json_pack("[o]", rel));
	}
	if (f->count >= 1)
		json_object_set_new(r, "occurrenceCount", juint(f->count));
	if (n)
		json_array_append_new(stacks, stack_json(s, p, frames, n, "the call stack"));
	if (rn)
		json_array_append_new(stacks, stack_json(s, p, rframes, rn,
							 "the call stack of the other call site"));
	json_object_set_new(r, "stacks", stacks);
	pending_add(s, r, fingerprint_hash(f, own)); /* a suppression changes no fingerprint */
	if (f->suppressed)
		json_object_set_new(r, "suppressions", json_pack("[{s:s, s:s, s:s}]", "kind",
			"external", "status", "accepted", "justification",
			"matched by a line of memaudit-report's --suppressions file"));
	props = json_object();
	json_object_set_new(props, "pid", p->log.has_pid ? json_integer(p->log.pid) : json_null());
	json_object_set_new(props, "exe", jstr(p->log.exe));
	if (f->message) { /* the log's message whole, addresses and all */
		char *whole = xstrdup(f->message);

		json_object_set_new(props, "logMessage", shown_text(whole));
		free(whole);
	}
	json_object_set_new(r, "properties", props);
	return r;
}

/* Return the notification (level, "prog (pid P): text") about process p. */
static json_t *notification_json(const struct ma_process *p, const char *level, const char *text)
{
	const char *exe = p->log.exe ? p->log.exe : "(unknown program)";
	size_t len = strlen(exe) + strlen(text) + 64;
	char *msg = xmalloc(len), pid[32] = "?";
	json_t *o;

	if (p->log.has_pid)
		snprintf(pid, sizeof pid, "%" PRId64, p->log.pid);
	snprintf(msg, len, "%s (pid %s): %s", exe, pid, text);
	o = json_pack("{s:{s:o}, s:s}", "message", "text", shown_text(msg), "level", level);
	free(msg);
	return o;
}

/* Return the invocation: whether every input was read, and what the reader of the results should
 * know about each process (incomplete logs, module files that could not be read). */
static json_t *invocation_json(struct ma_process *const *procs, size_t n, bool inputs_ok)
{
	json_t *notes = json_array();
	char traced[1024];

	for (size_t i = 0; i < n; i++) {
		const struct ma_process *p = procs[i];

		if (!p->complete) {
			const char *why = p->incomplete_reason ? p->incomplete_reason : "?";
			char *text = xmalloc(strlen(why) + 32);

			sprintf(text, "the log is incomplete: %s", why);
			json_array_append_new(notes, notification_json(p, "warning", text));
			free(text);
		}
		for (size_t j = 0; j < p->nnotes; j++)
			json_array_append_new(notes, notification_json(p, "note", p->notes[j]));
		if (ma_trace_note(&p->log, traced, sizeof traced))
			json_array_append_new(notes, notification_json(p, "note", traced));
	}
	return json_pack("{s:b, s:o}", "executionSuccessful", (int)inputs_ok,
			 "toolExecutionNotifications", notes);
}

/* Write the SARIF report; see report_sarif.h. */
int ma_write_sarif(FILE *out, struct ma_process *const *procs, size_t n,
		   const struct ma_sarif_options *opt)
{
	struct sarif s = { 0 };
	json_t *root, *run, *driver, *results = json_array();
	char *root_uri;
	int ret;

	if (ma_srcroot_init(&s.root, opt->source_root) < 0)
		s.root.given = s.root.real = NULL; /* no root: every URI is absolute */
	s.table = rules_table(&s.ntable);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < procs[i]->nfindings; j++)
			json_array_append_new(results, result_json(&s, procs[i],
								   &procs[i]->findings[j]));
	fingerprints(&s);

	driver = json_pack("{s:s, s:s, s:s}", "name", "memaudit", "version", PACKAGE_VERSION,
			   "semanticVersion", PACKAGE_VERSION);
	if (PACKAGE_URL[0])
		json_object_set_new(driver, "informationUri", json_string(PACKAGE_URL));
	json_object_set_new(driver, "rules", rules_json(&s));
	run = json_pack("{s:{s:o}, s:[o]}", "tool", "driver", driver, "invocations",
			invocation_json(procs, n, opt->inputs_ok));
	root_uri = s.used_root ? ma_srcroot_uri(&s.root) : NULL;
	if (root_uri)
		json_object_set_new(run, "originalUriBaseIds",
				    json_pack("{s:{s:s}}", MA_SARIF_SRCROOT, "uri", root_uri));
	free(root_uri);
	json_object_set_new(run, "results", results);
	root = json_pack("{s:s, s:s, s:[o]}", "$schema", MA_SARIF_SCHEMA, "version", "2.1.0",
			 "runs", run);

	ret = root ? json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
	if (!root)
		errno = ENOMEM;
	json_decref(root);
	if (ret == 0 && fputc('\n', out) == EOF)
		ret = -1;
	ma_srcroot_free(&s.root);
	for (size_t i = 0; i < s.nresults; i++)
		free(s.results[i].key);
	free(s.results);
	for (size_t i = 0; i < s.nextra; i++)
		free(s.extra[i]);
	free(s.extra);
	return ret;
}
