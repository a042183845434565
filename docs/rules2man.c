/* rules2man.c: writes memaudit(7) from its template (stdin) to stdout with the two rule sections
 * generated from the registry, policy/rules.h: the line "@RULES_TABLE@" becomes the rows of the
 * RULES table (name, severity, one-line meaning), the line "@RULES_EXPLAINED@" the paragraphs of
 * "What each rule means and how to fix it" (explanation and fix). Every other line is copied.
 *
 * Run at build time by docs/Makefile.am, so the man page says what the shim and the report say.
 * Exits 1 when a placeholder is missing or appears twice: a broken template fails the build. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/rules.h"

/* Write s as troff text (no newline): '\\' and '-' escaped ("\\-" is the hyphen-minus of a name
 * like lock-heap, which man(7) must not render as a typographic hyphen). */
static void troff(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

/* Write s as a line of its own; "\\&" before a leading '.' or '\'' keeps it from being read as a
 * request. */
static void troff_line(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	troff(s);
	putchar('\n');
}

/* The rows of the RULES table, whose format line in the template is "lb l lx": name, severity,
 * and the meaning as a text block (T{ ... T}) that tbl fills. */
static void table_rows(void)
{
	size_t n, i;
	const struct rule_def *r = rules_table(&n);

	for (i = 0; i < n; i++) {
		troff(r[i].name);
		printf("\t%s\tT{\n", rules_severity_name(r[i].severity));
		troff_line(r[i].summary);
		puts("T}");
	}
}

/* One tagged paragraph per rule: "name (severity)", the explanation, then "Fix:" and the fix. */
static void explained(void)
{
	size_t n, i;
	const struct rule_def *r = rules_table(&n);

	for (i = 0; i < n; i++) {
		fputs(".TP\n.BR ", stdout);
		troff(r[i].name);
		printf(" \" (%s)\"\n", rules_severity_name(r[i].severity));
		troff_line(r[i].explanation);
		puts(".IP\n.I Fix:");
		troff_line(r[i].fix);
	}
}

static const struct {
	const char *line;
	void (*write)(void);
} placeholders[] = {
	{ "@RULES_TABLE@", table_rows },
	{ "@RULES_EXPLAINED@", explained },
};
#define NPLACEHOLDERS (sizeof placeholders / sizeof placeholders[0])

int main(void)
{
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t len;
	int seen[NPLACEHOLDERS] = { 0 }, status = 0;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		for (i = 0; i < NPLACEHOLDERS && strcmp(line, placeholders[i].line); i++)
			;
		if (i == NPLACEHOLDERS) {
			puts(line);
			continue;
		}
		seen[i]++;
		placeholders[i].write();
	}
	free(line);
	for (i = 0; i < NPLACEHOLDERS; i++)
		if (seen[i] != 1) {
			fprintf(stderr, "rules2man: the template has %d lines %s (want 1)\n", seen[i],
				placeholders[i].line);
			status = 1;
		}
	if (ferror(stdin) || fflush(stdout) || ferror(stdout)) {
		perror("rules2man");
		status = 1;
	}
	return status;
}
