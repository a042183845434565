/* log_reader.h: reads a memaudit log, format versions 1 to 3 (docs/log-format.md).
 *
 * The reader is a line-at-a-time state machine with no I/O and no printing of its own, so that
 * it can be driven from a file (ma_log_read_file), from a memory buffer (ma_log_parse_buffer, for
 * tests and fuzzing) or line by line. It keeps what later records refer to (header, modules,
 * stacks, exit) and the what-if results (at most one per limit the header lists) in struct ma_log
 * and hands every event and finding record to a sink as it is parsed, so memory grows with the
 * number of distinct stacks, not with the number of calls. Version 3's compact records are handed
 * on as the records they stand for: an again record as the last event of its stack (kept per
 * stack), a finding_at record as the finding its finding_def says (kept per def).
 *
 * Hostile input never crashes it: a line is at most MA_LOG_MAX_LINE bytes, keys of the wrong type
 * count as absent, unknown record types and keys are ignored, and ids are only ever looked up.
 * The first line that is not valid JSON (or is too long, or is a final line without '\n') stops
 * the reader: everything before it is kept and the log is marked as cut short. Memory is bounded
 * too: what a log keeps (modules, stacks, and through ma_log_keep what the sink keeps) is charged
 * to a budget of MA_LOG_MAX_KEPT bytes, and the record that would exceed it stops the reader the
 * same way.
 */
#ifndef MEMAUDIT_TOOLS_LOG_READER_H
#define MEMAUDIT_TOOLS_LOG_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flat_json.h"
#include "idmap.h"

#define MA_LOG_VERSION 3                  /* the newest version read: 3 logs findings compactly */
#define MA_LOG_MIN_VERSION 1              /* the oldest: 1 has no NUL bytes */
#define MA_LOG_MAX_LINE (1024 * 1024)     /* longer lines are corrupt */
#define MA_LOG_MAX_NUL ((size_t)64 << 20)  /* NUL bytes in a row (version 2); more are corrupt */
#define MA_LOG_MAX_FRAMES 512             /* frames kept per stack; the rest are dropped */
#define MA_LOG_MAX_WHATIF 16              /* distinct what-if limits kept; the rest are ignored */
#define MA_LOG_MAX_KEPT ((uint64_t)256 << 20) /* bytes of records kept per log (ma_log_keep) */
#define MA_LOG_MAX_PATH 4096              /* longer module paths count as absent (PATH_MAX) */
#define MA_LOG_MAX_BUILD_ID 128           /* longer build ids count as absent */

enum ma_log_status {
	MA_LOG_OK,          /* a memaudit log of a version this reader knows (maybe cut short) */
	MA_LOG_NOT_LOG,     /* the first line is not a memaudit log header */
	MA_LOG_BAD_VERSION, /* a memaudit log of another version (ma_log.version) */
};

struct ma_module {
	int64_t id;
	char *path;     /* NULL when the record had none */
	uint64_t base;
	char *build_id; /* lower-case hex, or NULL */
};

struct ma_frame_ref {
	int64_t module; /* module id; 0 = outside every module (offset is then absolute) */
	uint64_t offset;
};

struct ma_stack {
	int64_t id;
	size_t nframes;
	struct ma_frame_ref *frames; /* innermost first */
};

/* One event record, valid only during the sink call. Absent keys have has_* false (or 0/NULL). */
struct ma_event {
	const char *op;   /* NULL when missing */
	uint64_t seq;
	int64_t stack;    /* -1 when missing */
	bool ok;
	int64_t err;      /* errno; 0 on success */
	uint64_t len;
	bool injected;    /* the policy refused the call without making it */
	bool has_call;
	uint64_t call;    /* 1-based index among the process's lock calls (has_call) */
	bool has_pages, has_charged, has_locked_bytes, has_advice;
	uint64_t pages, charged, locked_bytes;
	int64_t advice;
	bool has_t;
	uint64_t t;       /* ns of CLOCK_MONOTONIC since the shim was loaded (has_t) */
	bool has_child;
	int64_t child;    /* fork: the child's pid (has_child; absent or null when fork failed) */
};

/* One finding record, valid only during the sink call. */
struct ma_finding_rec {
	const char *rule;     /* NULL when missing */
	const char *severity; /* NULL when missing */
	const char *message;  /* NULL when missing */
	uint64_t seq;
	int64_t stack;        /* -1 when missing */
	int64_t related_stack; /* -1 when missing or null */
	bool suppressed;      /* MEMAUDIT_SUPPRESSIONS suppressed it in the process */
};

/* One limit of the header's whatif_limits, with the whatif record written for it (if any). */
struct ma_whatif {
	bool unlimited;      /* the limit is null: unlimited */
	uint64_t limit;      /* bytes, when !unlimited */
	bool configured;     /* the simulated limit (the last element of whatif_limits, or the
			      * limit the program set itself: memlock records) */
	bool standard;       /* one of the header's standard limits (not only the configured one) */
	bool set_by_program; /* configured, and the program's setrlimit made it so */
	bool hit;            /* a whatif record names this limit: call, err and stack are valid */
	uint64_t call;       /* 1-based index among the lock calls of the first refused one */
	int64_t err;         /* the errno that call gets at this limit */
	int64_t stack;       /* its call site */
};

/* A finding_def record (version 3): what the finding_at records that name it say. */
struct ma_finding_def {
	char *rule, *severity, *message; /* NULL when missing */
	int64_t stack, related_stack;    /* -1 when missing (or null) */
	bool suppressed;
};

/* The last event of a stack (version 3), which an again record repeats. */
struct ma_last_event {
	struct ma_event ev; /* ev.op is set to op (has_op) or NULL when handed on */
	bool has_op;
	char op[24];
};

/* Receives records as they are parsed; either callback may be NULL. */
struct ma_log_sink {
	void *ctx;
	void (*event)(void *ctx, const struct ma_event *ev);
	void (*finding)(void *ctx, const struct ma_finding_rec *f);
};

struct ma_log {
	enum ma_log_status status;
	int64_t version;         /* the header's version (MA_LOG_BAD_VERSION) */

	/* header; has_* false (or NULL) when the header lacked the key or had the wrong type */
	bool has_pid, has_ppid, has_start, has_page_size, has_memlock_limit;
	int64_t pid, ppid;
	int64_t start_sec, start_nsec;
	uint64_t page_size;
	uint64_t memlock_limit;  /* memlock.simulated; !has_memlock_limit = unlimited or unknown */
	char *exe, *progname, *policy, *parent_log;
	char **argv;
	size_t argc;
	bool argv_first;         /* "argv_recorded":"first": the shim kept argv[0] only (MEMAUDIT_ARGV) */
	char *frontend;          /* "trace": written by the supervisor; NULL: the preload library */
	char **unchecked, **partly; /* trace: rules not checked / checked at some calls only */
	size_t nunchecked, npartly;

	/* header whatif_limits, one entry per distinct value in the header's order (none when the
	 * header lacks the key: a log of an older shim) */
	bool has_whatif;
	struct ma_whatif whatif[MA_LOG_MAX_WHATIF];
	size_t nwhatif;

	/* memlock records: the process read its RLIMIT_MEMLOCK (it may size its locking by it) */
	bool memlock_read;
	int64_t memlock_read_stack; /* where it first did, -1 unknown */
	char *memlock_read_op;      /* how: "getrlimit", "prlimit", ... (NULL unknown) */

	struct ma_module *modules;
	size_t nmodules, modules_cap;
	struct idmap module_ids; /* id -> index in modules */

	struct ma_stack *stacks;
	size_t nstacks, stacks_cap;
	struct idmap stack_ids;  /* id -> index in stacks */

	struct ma_finding_def *defs; /* finding_def records (version 3) */
	size_t ndefs, defs_cap;
	struct idmap def_ids;    /* id -> index in defs */
	struct ma_last_event *last; /* per stack, its last event (version 3: again records) */
	size_t nlast, last_cap;
	struct idmap last_ids;   /* stack -> index in last */

	bool has_exit, has_exit_status, has_exit_locked;
	int64_t exit_status;
	bool has_program_status; /* the exit record's program_status: strict replaced this status */
	int64_t program_status;
	uint64_t exit_locked_bytes;
	bool has_exit_t;
	uint64_t exit_t;         /* the exit record's t (ns since load), when has_exit_t */
	char *exit_how;
	uint64_t lost_records;   /* records the process could not write: lost records' sum, or the
				  * exit record's lost_records when larger */

	uint64_t events;         /* event records read */
	size_t lines;            /* lines consumed */
	size_t stop_line;        /* 1-based line where reading stopped early; 0 = read to the end */
	const char *stop_reason; /* static text saying why, when stop_line != 0 */

	struct ma_log_sink sink;
	bool stopped;            /* no further lines are looked at */
	uint64_t kept;           /* bytes charged by ma_log_keep */
	uint64_t max_kept;       /* the budget: MA_LOG_MAX_KEPT unless a test sets it lower */

	struct flat_rec flat;    /* the flat scanner's record and scratch buffer (flat_json.h) */
	bool no_flat;            /* read every line with jansson (tests compare the two ways) */
};

/* Prepare an empty log that will hand its events and findings to sink (may be NULL). */
void ma_log_init(struct ma_log *log, const struct ma_log_sink *sink);
/* Release everything the log holds; it must be initialized again before reuse. */
void ma_log_free(struct ma_log *log);

/* Feed one complete line (without its '\n'). Returns false once the reader has stopped (not a log,
 * unknown version, corrupt line): later lines are ignored. In version 2, NUL bytes are not part of
 * any record (docs/log-format.md, "Encoding"): what a line has up to its last NUL byte is dropped,
 * and a line that held one is skipped when the rest is not a record; in version 1 a NUL byte is
 * a corrupt line. */
bool ma_log_feed_line(struct ma_log *log, const char *line, size_t len);
/* Mark the end of input. tail_len is the length of a final line that had no '\n' (0 if none): such
 * a line is never parsed, the log is cut short there. Callers leave out what the tail has up to its
 * last NUL byte (ma_log_unterminated). */
void ma_log_finish(struct ma_log *log, size_t tail_len);
/* The length of the unterminated tail buf[0..len) once its NUL bytes and what precedes them are
 * dropped (version 2): 0 for the NUL bytes that end a killed process's log. */
size_t ma_log_unterminated(const struct ma_log *log, const char *buf, size_t len);
/* Mark the line being read as longer than MA_LOG_MAX_LINE: the reader stops there. */
void ma_log_line_too_long(struct ma_log *log);

/* Charge bytes that the log or its sink is about to keep for the record being read. Returns true
 * when they fit the budget; otherwise stops the reader at this line (the log is cut short) and
 * returns false: the caller must then not keep the record. */
bool ma_log_keep(struct ma_log *log, size_t bytes);

/* Parse a whole log held in memory (feed_line for each line, then finish). */
void ma_log_parse_buffer(struct ma_log *log, const char *buf, size_t len);

/* Read the log in the file at path ("-" = standard input) into an initialized log. Returns 0, or -1
 * with errno set when the file cannot be opened or read (the log is then partly filled). Format
 * problems are not errors here: see log->status and log->stop_line. Opening never waits: a FIFO
 * without a writer reads as an empty file. */
int ma_log_read_file(struct ma_log *log, const char *path);
/* The same for a file the caller opened (O_NONBLOCK is cleared: reads block); fd stays open. */
int ma_log_read_fd(struct ma_log *log, int fd);

/* Return the stack with this id, or NULL when the log never defined it. */
const struct ma_stack *ma_log_stack(const struct ma_log *log, int64_t id);
/* Return the module with this id, or NULL when the log never defined it. */
const struct ma_module *ma_log_module(const struct ma_log *log, int64_t id);

#endif
