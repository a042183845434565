/* memaudit-report: reads memaudit logs (files, or directories of memaudit.*.log files) and prints
 * the report; its exit status tells CI whether a finding reached --fail-on.
 *
 * Exit status: 0 no finding at or above --fail-on, 1 some finding is, 2 usage error, unreadable
 * input, input that is not a memaudit log or is of an unknown version (the report of the logs that
 * could be read is still written). With --gen-suppressions (suppression lines instead of the
 * report), 0 or 2.
 */
#include <config.h>

#include "elf_files.h"
#include "exe_kind.h"
#include "remove_dir.h"
#include "gen_suppress.h"
#include "report_html.h"
#include "report_json.h"
#include "report_model.h"
#include "report_sarif.h"
#include "report_text.h"
#include "suppress.h"
#include "symbolize.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_HTML };

struct options {
	enum format format;
	const char *output;       /* NULL = stdout */
	enum ma_severity fail_on;
	const char *suppressions; /* NULL = none */
	const char *source_root;  /* NULL = the current directory (SARIF URIs) */
	enum tx_color_when color;
	bool merge;               /* --merge */
	bool gen_suppressions;    /* --gen-suppressions: suppression lines instead of the report */
	const char *status_file;  /* --status-file: what decided the exit status, or NULL */
	const char *remove_dir;   /* --remove-dir: removed when the report is written, or NULL */
	uint64_t debug_budget;    /* --debug-budget, in bytes */
};

/* Print the usage text to f. */
static void usage(FILE *f)
{
	fputs("Usage: " MA_PROG " [OPTION]... LOG_OR_DIR...\n"
	      "Report what memaudit logged: per process, the calls that lock or advise memory by\n"
	      "call site, and the findings with their stacks. A directory stands for every\n"
	      "memaudit.*.log regular file in it (symbolic links in it are not followed).\n"
	      "\n"
	      "  --format FORMAT        text (default), json, sarif (SARIF 2.1.0), or html (one\n"
	      "                         self-contained page with a chart of locked memory over time)\n"
	      "  -o, --output FILE      write the report to FILE instead of standard output\n"
	      "  --fail-on SEVERITY     exit with status 1 when a finding is at least SEVERITY:\n"
	      "                         error (default), warning, note, or none\n"
	      "  --suppressions FILE    leave out findings matched by FILE's rule:pattern lines\n"
	      "                         (SARIF keeps them, marked as suppressed)\n"
	      "  --gen-suppressions     instead of the report, write a rule:pattern line for every\n"
	      "                         finding that is not suppressed (a baseline for\n"
	      "                         --suppressions); exit status 0, or 2 as below\n"
	      "  --status-file FILE     also write what decided the exit status to FILE, as\n"
	      "                         'key value' lines for scripts (the launcher reads it)\n"
	      "  --exe-kind FILE        print whether the program FILE is statically linked\n"
	      "                         and a Go program ('static', 'go', both or neither)\n"
	      "                         and exit (the launcher asks it before it runs FILE)\n"
	      "  --make-temp-dir TEMPLATE  with --exe-kind: also create a private directory\n"
	      "                         as mktemp -d TEMPLATE does and print its name on a\n"
	      "                         second line (the launcher's temporary log directory)\n"
	      "  --remove-dir DIR       at the end, remove DIR and all it holds, as rm -rf\n"
	      "                         (the launcher's temporary log directory)\n"
	      "  --source-root DIR      SARIF: name source files under DIR relative to it\n"
	      "                         (default: the current directory)\n"
	      "  --debug-budget MIB     debug information read per module file, decompressed\n"
	      "                         (default 256); a module with more is not symbolized,\n"
	      "                         and the report says so\n"
	      "  --merge                one table per executable: sites and findings summed over\n"
	      "                         its processes (JSON: a \"merged\" array besides \"processes\")\n"
	      "  --color[=WHEN]         colour severities in the text report: auto (default: when\n"
	      "                         standard output is a terminal and NO_COLOR is not set),\n"
	      "                         always (the default for a bare --color), or never\n"
	      "  --help                 print this help and exit\n"
	      "  --version              print the version and exit\n"
	      "\n"
	      "Exit status: 0 no finding reaches --fail-on, 1 one does, 2 usage error or input\n"
	      "that cannot be read, is not a memaudit log or has an unknown version.\n",
	      f);
}

/* Print a usage error (printf-style) and the --help hint, then exit with status 2. */
static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, MA_PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '" MA_PROG " --help' for more information.\n");
	exit(2);
}

/* --exe-kind path [--make-temp-dir template]: the launcher's questions before it runs a program,
 * in one process (issue 13): the kind line, then the directory made (mode 0700 whatever the umask,
 * as the launcher's `umask 077 && mktemp -d` did) or an empty line when it cannot be made (the
 * launcher then makes one itself). Returns the exit status. */
static int answer_exe_kind(const char *path, const char *temp_dir)
{
	bool is_static, is_go;

	ma_exe_kind(path, &is_static, &is_go);
	printf("%s%s%s\n", is_static ? "static" : "", is_static && is_go ? " " : "", is_go ? "go" : "");
	if (temp_dir) {
		char *t = xstrdup(temp_dir);
		mode_t old = umask(077);

		if (mkdtemp(t))
			printf("%s\n", t);
		else
			fprintf(stderr, MA_PROG ": --make-temp-dir %s: %s\n", temp_dir, strerror(errno));
		umask(old);
		free(t);
	}
	return fflush(stdout) == 0 ? 0 : 2;
}

/* Parse the command line into opt; return the index of the first operand. Exits on usage errors,
 * --help and --version. */
static int parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "suppressions", required_argument, NULL, 's' },
		{ "source-root", required_argument, NULL, 'R' },
		{ "color", optional_argument, NULL, 'C' },
		{ "merge", no_argument, NULL, 'M' },
		{ "gen-suppressions", no_argument, NULL, 'G' },
		{ "status-file", required_argument, NULL, 'S' },
		{ "debug-budget", required_argument, NULL, 'B' },
		{ "exe-kind", required_argument, NULL, 'K' },
		{ "remove-dir", required_argument, NULL, 'D' },
		{ "make-temp-dir", required_argument, NULL, 'T' },
		{ "colour", optional_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *exe_kind = NULL, *temp_dir = NULL;
	struct stat st;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				opt->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				opt->format = FORMAT_JSON;
			else if (!strcmp(optarg, "sarif"))
				opt->format = FORMAT_SARIF;
			else if (!strcmp(optarg, "html"))
				opt->format = FORMAT_HTML;
			else
				usage_error("unknown --format '%s' (text, json, sarif or html)", optarg);
			break;
		case 'o':
			opt->output = optarg;
			break;
		case 'F':
			if (!strcmp(optarg, "none"))
				opt->fail_on = MA_SEV_NONE;
			else if ((opt->fail_on = ma_severity_rank(optarg)) == MA_SEV_UNKNOWN)
				usage_error("unknown --fail-on '%s' (error, warning, note or none)",
					    optarg);
			break;
		case 's':
			opt->suppressions = optarg;
			break;
		case 'R':
			if (stat(optarg, &st) != 0)
				usage_error("--source-root '%s': %s", optarg, strerror(errno));
			if (!S_ISDIR(st.st_mode))
				usage_error("--source-root '%s': not a directory", optarg);
			opt->source_root = optarg;
			break;
		case 'M':
			opt->merge = true;
			break;
		case 'G':
			opt->gen_suppressions = true;
			break;
		case 'S':
			opt->status_file = optarg;
			break;
		case 'D':
			opt->remove_dir = optarg;
			break;
		case 'K':
			exe_kind = optarg;
			break;
		case 'T':
			temp_dir = optarg;
			break;
		case 'B': {
			char *end;
			unsigned long long mib;

			errno = 0;
			mib = strtoull(optarg, &end, 10);
			if (!isdigit((unsigned char)optarg[0]) || *end || errno || mib > (1ull << 30))
				usage_error("--debug-budget '%s': not a number of MiB (0 to %llu)",
					    optarg, 1ull << 30);
			opt->debug_budget = (uint64_t)mib << 20;
			break;
		}
		case 'C':
			if ((c = tx_color_parse(optarg)) < 0)
				usage_error("unknown --color '%s' (auto, always or never)", optarg);
			opt->color = (enum tx_color_when)c;
			break;
		case 'h':
			usage(stdout);
			exit(fflush(stdout) || ferror(stdout) ? 2 : 0);
		case 'V':
			printf(MA_PROG " (memaudit) " PACKAGE_VERSION "\n");
			exit(fflush(stdout) || ferror(stdout) ? 2 : 0);
		case ':':
			usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (temp_dir && !exe_kind)
		usage_error("--make-temp-dir goes with --exe-kind");
	if (exe_kind)
		exit(answer_exe_kind(exe_kind, temp_dir));
	if (optind >= argc)
		usage_error("no log file or directory given");
	return optind;
}

/* The logs to read: files named on the command line (dir NULL) and the memaudit.*.log entries of
 * directories (read through the directory, never through a symbolic link; see add_dir). */
struct input {
	char *path;         /* as the report names it */
	DIR *dir;           /* the directory it was found in, or NULL */
	const char *name;   /* its name in dir (points into path) */
};

/* A growable list of inputs, and the directories they were found in (closed at the end). */
struct inputs {
	struct input *v;
	size_t n, cap;
	DIR **dirs;
	size_t ndirs, dirs_cap;
};

/* Append path, named on the command line, to list. */
static void inputs_add(struct inputs *list, const char *path)
{
	GROW(list->v, list->cap, list->n);
	list->v[list->n++] = (struct input){ .path = xstrdup(path) };
}

/* qsort: inputs by path, in byte order. */
static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->path, ((const struct input *)b)->path);
}

/* Say that path, found in a directory, is skipped and why (a FIFO or a device is not a log, and
 * reading it might never end; a symbolic link may lead out of the directory). Frees path. */
static void skip_entry(char *path, const char *why)
{
	fprintf(stderr, MA_PROG ": %s: warning: %s, skipped\n", path, why);
	free(path);
}

/* Append the memaudit.*.log regular files of directory dir (not recursive), sorted. A directory
 * is where a program wrote its logs, possibly one that others can write to: an entry that is a
 * symbolic link is not followed, whether it leads out of the directory or to a log in it (the
 * library never makes one). Returns 0, or -1 after printing why the directory cannot be read or
 * why it holds no log. */
static int add_dir(struct inputs *list, const char *dir)
{
	DIR *d = opendir(dir);
	size_t first = list->n, dirlen = strlen(dir);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, MA_PROG ": %s: %s\n", dir, strerror(errno));
		return -1;
	}
	GROW(list->dirs, list->dirs_cap, list->ndirs);
	list->dirs[list->ndirs++] = d;
	while ((errno = 0, e = readdir(d))) {
		char *path;
		struct stat st;

		if (fnmatch("memaudit.*.log", e->d_name, FNM_PERIOD) != 0)
			continue;
		path = xmalloc(dirlen + strlen(e->d_name) + 2);
		sprintf(path, "%s%s%s", dir, dir[dirlen - 1] == '/' ? "" : "/", e->d_name);
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			skip_entry(path, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			free(path);
		else if (S_ISLNK(st.st_mode))
			skip_entry(path, "a symbolic link, not followed");
		else if (!S_ISREG(st.st_mode))
			skip_entry(path, "not a regular file");
		else {
			GROW(list->v, list->cap, list->n);
			list->v[list->n++] = (struct input){ .path = path, .dir = d,
							     .name = path + strlen(path) -
								     strlen(e->d_name) };
		}
	}
	if (errno) {
		fprintf(stderr, MA_PROG ": %s: %s\n", dir, strerror(errno));
		for (size_t i = first; i < list->n; i++)
			free(list->v[i].path);
		list->n = first;
		return -1;
	}
	if (list->n == first) {
		/* SPEC (Report): a directory that holds no log is an error, not a clean run: it is
		 * what a broken preload (a static program, LD_PRELOAD lost on the way) leaves */
		fprintf(stderr, MA_PROG ": %s: no memaudit logs in this directory (memaudit.*.log)\n", dir);
		return -1;
	}
	sort_array(list->v + first, list->n - first, sizeof *list->v, cmp_input);
	return 0;
}

/* Open in's entry of its directory for reading: not through a symbolic link (one planted after
 * the directory was listed fails with ELOOP), and only when it is a regular file (EINVAL
 * otherwise). Returns the descriptor, or -1 with errno set. */
static int open_entry(const struct input *in)
{
	struct stat st;
	int fd = openat(dirfd(in->dir), in->name,
			O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);

	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		fd = -1;
	}
	return fd;
}

/* Load the log of in. Returns the process, or NULL after printing one line saying why it cannot
 * be reported. A log that was cut short is returned, with a warning. */
static struct ma_process *load(const struct input *in)
{
	const char *path = in->path;
	int fd = in->dir ? open_entry(in) : -1;
	struct ma_process *p = !in->dir ? ma_process_load(path) : fd >= 0 ? ma_process_load_fd(path, fd)
									  : NULL;

	if (fd >= 0)
		close(fd);
	if (!p) {
		fprintf(stderr, MA_PROG ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	switch (p->log.status) {
	case MA_LOG_NOT_LOG:
		fprintf(stderr, MA_PROG ": %s: not a memaudit log\n", path);
		ma_process_free(p);
		return NULL;
	case MA_LOG_BAD_VERSION:
		fprintf(stderr,
			MA_PROG ": %s: unsupported log version %lld (this " MA_PROG
				" reads versions %d to %d)\n",
			path, (long long)p->log.version, MA_LOG_MIN_VERSION, MA_LOG_VERSION);
		ma_process_free(p);
		return NULL;
	case MA_LOG_OK:
		break;
	}
	if (p->log.stop_line)
		fprintf(stderr,
			MA_PROG ": %s:%zu: warning: %s; reporting the %zu lines before it\n", path,
			p->log.stop_line, p->log.stop_reason, p->log.stop_line - 1);
	return p;
}

/* Write the report in the chosen format to opt->output or stdout (merged: the --merge view, or
 * NULL); inputs_ok says every input could be read. Returns 0, or -1 after printing why it could
 * not be written. */
static int write_report(const struct options *opt, struct ma_process **procs, size_t n,
			const struct ma_merged *merged, bool inputs_ok)
{
	struct ma_sarif_options sarif = { .source_root = opt->source_root, .inputs_ok = inputs_ok };
	const char *name = opt->output ? opt->output : "standard output";
	FILE *out = opt->output ? fopen(opt->output, "we") : stdout;
	struct ma_text_options text = { .color = tx_color_wanted(opt->color, !opt->output),
					.merged = merged };
	int ret;

	if (!out) {
		fprintf(stderr, MA_PROG ": %s: %s\n", name, strerror(errno));
		return -1;
	}
	errno = 0;
	if (opt->gen_suppressions)
		ret = ma_write_suppressions(out, procs, n);
	else if (opt->format == FORMAT_JSON)
		ret = ma_write_json(out, procs, n, merged);
	else if (opt->format == FORMAT_SARIF)
		ret = ma_write_sarif(out, procs, n, &sarif);
	else if (opt->format == FORMAT_HTML)
		ret = ma_write_html(out, procs, n);
	else
		ret = ma_write_text(out, procs, n, &text);
	if (fflush(out) != 0 || ferror(out))
		ret = -1;
	if (ret < 0 && !errno)
		errno = EIO;
	if (ret < 0)
		fprintf(stderr, MA_PROG ": %s: write error: %s\n", name, strerror(errno));
	if (out != stdout && fclose(out) != 0 && ret == 0) {
		fprintf(stderr, MA_PROG ": %s: write error: %s\n", name, strerror(errno));
		ret = -1;
	}
	return ret;
}

/* Return how many finding records that are not suppressed reach fail_on (0 for MA_SEV_NONE). */
static uint64_t failing(struct ma_process **procs, size_t n, enum ma_severity fail_on)
{
	uint64_t count = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < procs[i]->nfindings; j++) {
			const struct ma_finding *f = &procs[i]->findings[j];

			if (!f->suppressed && fail_on != MA_SEV_NONE &&
			    ma_severity_rank(f->severity) >= fail_on)
				count = sat_add(count, f->count);
		}
	return count;
}

/* Write --status-file: one "key value" line each, for scripts and the launcher:
 *   status N                 this tool's exit status
 *   fail-on SEVERITY         --fail-on (error, warning, note or none)
 *   failing N                finding records, not suppressed, at or above it
 *   suppressed N             finding records left out by suppressions
 *   replaced PID PPID FROM TO  a process whose status the strict policy replaced (one a line)
 * Returns 0, or -1 after printing why it could not be written. */
static int write_status_file(const char *path, struct ma_process **procs, size_t n,
			     enum ma_severity fail_on, int status)
{
	static const char *const names[] = { "?", "note", "warning", "error", "none" };
	FILE *f = fopen(path, "we");
	uint64_t suppressed = 0;

	if (!f) {
		fprintf(stderr, MA_PROG ": %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		suppressed = sat_add(suppressed, procs[i]->suppressed);
	fprintf(f, "status %d\nfail-on %s\nfailing %" PRIu64 "\nsuppressed %" PRIu64 "\n", status,
		names[fail_on], failing(procs, n, fail_on), suppressed);
	for (size_t i = 0; i < n; i++) {
		const struct ma_log *l = &procs[i]->log;

		if (l->has_program_status && l->has_exit_status)
			fprintf(f, "replaced %lld %lld %lld %lld\n", l->has_pid ? (long long)l->pid : -1,
				l->has_ppid ? (long long)l->ppid : -1, (long long)l->program_status,
				(long long)l->exit_status);
	}
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0) {
		fprintf(stderr, MA_PROG ": %s: write error: %s\n", path, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* Read every log named on the command line, write one report of all of them, and return the exit
 * status described at the top of this file. */
int main(int argc, char **argv)
{
	struct options opt = { .format = FORMAT_TEXT, .fail_on = MA_SEV_ERROR,
			       .debug_budget = ELF_FILES_DEFAULT_BUDGET };
	struct ma_suppressions *supp = NULL;
	struct inputs files = { 0 };
	struct ma_process **procs;
	struct ma_sym *sym;
	struct ma_merged merged;
	size_t n = 0;
	int status = 0, first = parse_options(argc, argv, &opt);

	if (opt.suppressions && !(supp = ma_supp_load(opt.suppressions)))
		return 2;
	for (int i = first; i < argc; i++) {
		struct stat st;

		if (strcmp(argv[i], "-") && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (add_dir(&files, argv[i]) < 0)
				status = 2;
		} else {
			inputs_add(&files, argv[i]);
		}
	}

	procs = xcalloc(files.n, sizeof *procs);
	for (size_t i = 0; i < files.n; i++) {
		struct ma_process *p = load(&files.v[i]);

		if (p)
			procs[n++] = p;
		else
			status = 2;
	}

	ma_processes_link(procs, n);
	sym = ma_sym_new();
	ma_sym_set_budget(sym, opt.debug_budget);
	for (size_t i = 0; i < n; i++) {
		ma_process_symbolize(procs[i], sym,
				     opt.format == FORMAT_TEXT && !opt.merge && !opt.gen_suppressions);
		ma_process_suppress(procs[i], supp);
	}

	if (opt.merge)
		ma_merge(&merged, procs, n);
	if (n || !status) {
		if (write_report(&opt, procs, n, opt.merge ? &merged : NULL, !status) < 0)
			status = 2;
	}
	if (opt.merge)
		ma_merged_free(&merged);
	if (!status && !opt.gen_suppressions && failing(procs, n, opt.fail_on))
		status = 1;
	if (opt.status_file && write_status_file(opt.status_file, procs, n, opt.fail_on, status) < 0)
		status = 2;

	for (size_t i = 0; i < n; i++)
		ma_process_free(procs[i]);
	free(procs);
	ma_sym_free(sym);
	ma_supp_free(supp);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i].path);
	free(files.v);
	for (size_t i = 0; i < files.ndirs; i++)
		closedir(files.dirs[i]);
	free(files.dirs);
	/* Not a finding's matter: the launcher removes what is left itself. */
	if (opt.remove_dir && ma_remove_dir(opt.remove_dir) < 0)
		fprintf(stderr, MA_PROG ": --remove-dir %s: not all removed\n", opt.remove_dir);
	return status;
}
