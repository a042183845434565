/* fuzz_log.c: libFuzzer target for memaudit-report's log reader and everything behind it.
 *
 * Each input is one log. It is read three times, through the two ways in of the reader: from
 * memory (ma_process_parse, as a report would aggregate it) and from a file descriptor
 * (ma_log_read_file on a memfd, which buffers and splits lines itself), and once more from memory
 * with every line parsed by jansson (no_flat) while the first reading takes the flat scanner for
 * most lines. The readings must agree: the file reader on what it read, the jansson reading on
 * every field of every event and finding it hands on. The
 * aggregated process is then linked, symbolized (module paths from the input are opened only when
 * they are regular files), and written as JSON and as text to /dev/null, so a crash, a leak or
 * undefined behaviour anywhere in the report path is found. Built and run by `make fuzz`
 * (tests/fuzz/local.mk) with -fsanitize=fuzzer,address,undefined.
 */
#include <config.h>

#include "idmap.h"
#include "log_reader.h"
#include "report_html.h"
#include "report_json.h"
#include "report_model.h"
#include "report_sarif.h"
#include "report_text.h"
#include "suppress.h"
#include "symbolize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Before the first input: a fixed hash key, so that a run (and a crash) repeats exactly. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	idmap_fixed_key(0x6d656d6175646974u, 0x66757a7a5f6c6f67u);
	return 0;
}

/* Read data through a memfd with ma_log_read_file into log (initialized, no sink). */
static void read_through_fd(struct ma_log *log, const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("fuzz-log", MFD_CLOEXEC);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz_log: memfd");
		abort();
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (ma_log_read_file(log, path) < 0) {
		perror("fuzz_log: ma_log_read_file");
		abort();
	}
	close(fd);
}

/* A growable text of every record a reader handed to its sink. */
struct trace {
	char *text;
	size_t len;
	FILE *f;
};

/* Sink: write every field of an event to the trace. */
static void trace_event(void *ctx, const struct ma_event *e)
{
	struct trace *t = ctx;

	fprintf(t->f, "event %s %llu %lld %d %lld %llu %d %d %llu %d %d %d %d %llu %llu %llu %lld\n",
		e->op ? e->op : "-", (unsigned long long)e->seq, (long long)e->stack, e->ok,
		(long long)e->err, (unsigned long long)e->len, e->injected, e->has_call,
		(unsigned long long)e->call, e->has_pages, e->has_charged, e->has_locked_bytes,
		e->has_advice, (unsigned long long)e->pages, (unsigned long long)e->charged,
		(unsigned long long)e->locked_bytes, (long long)e->advice);
}

/* Sink: write every field of a finding to the trace. */
static void trace_finding(void *ctx, const struct ma_finding_rec *f)
{
	struct trace *t = ctx;

	fprintf(t->f, "finding [%s] [%s] [%s] %llu %lld %lld\n", f->rule ? f->rule : "-",
		f->severity ? f->severity : "-", f->message ? f->message : "-",
		(unsigned long long)f->seq, (long long)f->stack, (long long)f->related_stack);
}

/* Read data from memory into a trace of its records and the log's state (flat: with the flat
 * scanner, as the report does, or with jansson only). The caller frees t->text. */
static void read_traced(const uint8_t *data, size_t size, bool flat, struct trace *t)
{
	struct ma_log_sink sink = { .ctx = t, .event = trace_event, .finding = trace_finding };
	struct ma_log log;

	t->f = open_memstream(&t->text, &t->len);
	if (!t->f)
		abort();
	ma_log_init(&log, &sink);
	log.no_flat = !flat;
	ma_log_parse_buffer(&log, (const char *)data, size);
	fprintf(t->f, "status %d stop %zu events %llu stacks %zu modules %zu exit %d %d %lld %d %llu "
		"how [%s]\n", (int)log.status, log.stop_line, (unsigned long long)log.events,
		log.nstacks, log.nmodules, log.has_exit, log.has_exit_status,
		(long long)log.exit_status, log.has_exit_locked,
		(unsigned long long)log.exit_locked_bytes, log.exit_how ? log.exit_how : "-");
	for (size_t i = 0; i < log.nwhatif; i++)
		fprintf(t->f, "whatif %d %llu %d %llu %lld %lld\n", log.whatif[i].hit,
			(unsigned long long)log.whatif[i].call, log.whatif[i].unlimited,
			(unsigned long long)log.whatif[i].limit, (long long)log.whatif[i].err,
			(long long)log.whatif[i].stack);
	for (size_t i = 0; i < log.nmodules; i++)
		fprintf(t->f, "module %lld [%s] %llu [%s]\n", (long long)log.modules[i].id,
			log.modules[i].path ? log.modules[i].path : "-",
			(unsigned long long)log.modules[i].base,
			log.modules[i].build_id ? log.modules[i].build_id : "-");
	ma_log_free(&log);
	fclose(t->f);
}

/* Abort unless the flat scanner and jansson read data the same way. */
static void check_flat_same(const uint8_t *data, size_t size)
{
	struct trace flat = { 0 }, json = { 0 };

	read_traced(data, size, true, &flat);
	read_traced(data, size, false, &json);
	if (flat.len != json.len || memcmp(flat.text, json.text, flat.len)) {
		fprintf(stderr, "fuzz_log: the flat scanner and jansson disagree:\n--- flat\n%s"
			"--- jansson\n%s", flat.text, json.text);
		abort();
	}
	free(flat.text);
	free(json.text);
}

/* Abort unless the memory reader (in p) and the file reader (log) read the same. */
static void check_same(const struct ma_process *p, const struct ma_log *log)
{
	if (p->log.status != log->status || p->log.stop_line != log->stop_line ||
	    p->log.events != log->events || p->log.nstacks != log->nstacks ||
	    p->log.nmodules != log->nmodules || p->log.has_exit != log->has_exit) {
		fprintf(stderr, "fuzz_log: the memory and file readers disagree: status %d/%d, "
			"stop line %zu/%zu, events %llu/%llu\n", (int)p->log.status,
			(int)log->status, p->log.stop_line, log->stop_line,
			(unsigned long long)p->log.events, (unsigned long long)log->events);
		abort();
	}
}

/* Return a suppressions set with a rule pattern and frame patterns of each kind, so that the
 * matching runs on the frames of every input (loaded once). */
static const struct ma_suppressions *suppressions(void)
{
	static struct ma_suppressions *supp;
	char path[] = "/tmp/fuzz-log-supp.XXXXXX";
	int fd;
	FILE *f;

	if (supp)
		return supp;
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		perror("fuzz_log: suppressions");
		abort();
	}
	fputs("# fuzz_log\nlock-heap:main\ncall-*:*.c:1*\nlock-limit:libc.so*\n", f);
	fclose(f);
	supp = ma_supp_load(path);
	unlink(path);
	if (!supp)
		abort();
	return supp;
}

/* Run one input through the whole report path; see the top of this file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct ma_process *p = ma_process_parse("fuzz.log", (const char *)data, size);
	struct ma_log by_fd;
	struct ma_sym *sym;

	ma_log_init(&by_fd, NULL);
	read_through_fd(&by_fd, data, size);
	check_same(p, &by_fd);
	ma_log_free(&by_fd);
	check_flat_same(data, size);

	if (!devnull && !(devnull = fopen("/dev/null", "we")))
		abort();
	if (p->log.status == MA_LOG_OK) {
		struct ma_sarif_options sarif = { .source_root = NULL, .inputs_ok = true };

		sym = ma_sym_new();
		ma_processes_link(&p, 1);
		ma_process_symbolize(p, sym, false);
		ma_process_suppress(p, suppressions());
		ma_write_json(devnull, &p, 1, NULL);
		ma_write_text(devnull, &p, 1, NULL);
		ma_write_sarif(devnull, &p, 1, &sarif);
		ma_write_html(devnull, &p, 1);
		ma_sym_free(sym);
	}
	ma_process_free(p);
	return 0;
}
