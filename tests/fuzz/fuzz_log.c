/* fuzz_log.c: libFuzzer target for memaudit-report's log reader and everything behind it.
 *
 * Each input is one log. It is read twice, through the two ways in of the reader: from memory
 * (ma_process_parse, as a report would aggregate it) and from a file descriptor (ma_log_read_file
 * on a memfd, which buffers and splits lines itself); both must agree on what they read. The
 * aggregated process is then linked, symbolized (module paths from the input are opened only when
 * they are regular files), and written as JSON and as text to /dev/null, so a crash, a leak or
 * undefined behaviour anywhere in the report path is found. Built and run by `make fuzz`
 * (tests/fuzz/local.mk) with -fsanitize=fuzzer,address,undefined.
 */
#include <config.h>

#include "log_reader.h"
#include "report_json.h"
#include "report_model.h"
#include "report_text.h"
#include "suppress.h"
#include "symbolize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

	if (!devnull && !(devnull = fopen("/dev/null", "we")))
		abort();
	if (p->log.status == MA_LOG_OK) {
		sym = ma_sym_new();
		ma_processes_link(&p, 1);
		ma_process_symbolize(p, sym);
		ma_process_suppress(p, suppressions());
		ma_write_json(devnull, &p, 1);
		ma_write_text(devnull, &p, 1);
		ma_sym_free(sym);
	}
	ma_process_free(p);
	return 0;
}
