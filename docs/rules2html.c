/* rules2html.c: writes the rules page, rules.html, to stdout from the rule registry
 * (policy/rules.h): a table of every rule (name, severity, security severity, meaning) and a
 * section per rule with its explanation and fix, whose anchor is the rule's name. `make install`
 * puts the page into the documentation directory, and the SARIF report's helpUri of each rule
 * points at its anchor there (tools/report_sarif.c): file://DOCDIR/rules.html#lock-limit.
 *
 * Run at build time by docs/Makefile.am, as rules2man is for memaudit(7), so the page says what
 * the shim and the report say. One self-contained HTML file: no script, nothing loaded from
 * elsewhere, readable in any browser and as text. */
#include "config.h"

#include <stdio.h>

#include "policy/rules.h"

/* Write s as HTML text: & < > " escaped (the registry's texts are plain: tests/unit/test_rules.c). */
static void text(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		default: putchar(*s); break;
		}
	}
}

static const char head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>memaudit rules</title>\n<style>\n"
	"body{font:15px/1.5 system-ui,sans-serif;color:#212529;margin:0 auto;padding:0 24px 48px;"
	"max-width:960px}\n"
	"table{border-collapse:collapse}th,td{border:1px solid #dee2e6;padding:3px 8px;"
	"text-align:left;vertical-align:top}th{background:#f1f3f5}\n"
	"td.name,td.sev{white-space:nowrap}code{font-family:ui-monospace,monospace}\n"
	"h2{font-size:18px;margin:32px 0 4px}h2 code{font-size:18px}\n"
	"</style>\n</head>\n<body>\n<h1>memaudit rules</h1>\n"
	"<p>Each finding of memaudit names one of these rules. A rule is about what the program "
	"<em>named</em>: the bytes it passed to a lock or advice call, the block it freed or "
	"reallocated. The severity is the default one; the security severity is what the SARIF "
	"report gives code scanning (GitHub shows 7.0 to 8.9 as high, 4.0 to 6.9 as medium, lower "
	"as low). The same texts are in memaudit(7), section RULES, and in every report.</p>\n";

/* The table of every rule, each name linked to its section. */
static void table(const struct rule_def *r, size_t n)
{
	fputs("<table>\n<thead><tr><th>rule</th><th>severity</th><th>security severity</th>"
	      "<th>meaning</th></tr></thead>\n<tbody>\n", stdout);
	for (size_t i = 0; i < n; i++) {
		printf("<tr><td class=\"name\"><a href=\"#%s\"><code>%s</code></a></td>"
		       "<td class=\"sev\">%s</td><td class=\"sev\">%s</td><td>", r[i].name, r[i].name,
		       rules_severity_name(r[i].severity), r[i].security_severity);
		text(r[i].summary);
		fputs("</td></tr>\n", stdout);
	}
	fputs("</tbody>\n</table>\n", stdout);
}

/* One section per rule: its name as heading and anchor, its severity, meaning, explanation, fix. */
static void sections(const struct rule_def *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("<section>\n<h2 id=\"%s\"><code>%s</code> (%s, security severity %s)</h2>\n"
		       "<p><em>", r[i].name, r[i].name, rules_severity_name(r[i].severity),
		       r[i].security_severity);
		text(r[i].summary);
		fputs("</em></p>\n<p>", stdout);
		text(r[i].explanation);
		fputs("</p>\n<p><b>Fix:</b> ", stdout);
		text(r[i].fix);
		fputs("</p>\n</section>\n", stdout);
	}
}

int main(void)
{
	size_t n;
	const struct rule_def *r = rules_table(&n);

	fputs(head, stdout);
	table(r, n);
	sections(r, n);
	fputs("</body>\n</html>\n", stdout);
	if (fflush(stdout) || ferror(stdout)) {
		perror("rules2html");
		return 1;
	}
	return 0;
}
