# tests/report: memaudit-report and the memaudit launcher on fixture logs (see tests/Makefile.am).
# Fixture logs are named *.jsonl (the repository ignores *.log); tests that need memaudit.*.log
# names copy them. symprog is a real program for the symbolization test to point stacks into.
REPORT_TESTS = \
	report/json-shape.sh \
	report/sites.sh \
	report/incomplete.sh \
	report/exec.sh \
	report/errors.sh \
	report/directory.sh \
	report/fail-on.sh \
	report/suppressions.sh \
	report/symbolize.sh \
	report/hostile.sh \
	report/text.sh \
	report/whatif.sh \
	report/launcher.sh
TESTS += $(REPORT_TESTS)

check_PROGRAMS += report/symprog
report_symprog_SOURCES = report/symprog.c
report_symprog_CFLAGS = -g $(AM_CFLAGS)

EXTRA_DIST += \
	$(REPORT_TESTS) \
	report/report-lib.sh \
	report/fixtures/basic.jsonl \
	report/fixtures/clean.jsonl \
	report/fixtures/exec-1.jsonl \
	report/fixtures/exec-2.jsonl \
	report/fixtures/fork-child.jsonl \
	report/fixtures/hostile.jsonl \
	report/fixtures/killed.jsonl \
	report/fixtures/notes.jsonl \
	report/fixtures/other-format.jsonl \
	report/fixtures/symbolize.jsonl.in \
	report/fixtures/version2.jsonl \
	report/fixtures/warnings.jsonl \
	report/fixtures/whatif.jsonl \
	report/fixtures/whatif-unlimited.jsonl

# Bad input: special files, forbidden bytes, logs built to exhaust memory or time; the reader's
# memory budget and keyed hashing, tested in C with the reader's sources compiled in.
TESTS += report/bad-input.sh report/test_limits.t
check_PROGRAMS += report/test_limits.t
report_test_limits_t_SOURCES = report/test_limits.c
report_test_limits_t_CFLAGS = $(JANSSON_CFLAGS) $(AM_CFLAGS)
report_test_limits_t_LDADD = $(JANSSON_LIBS) -lm
TESTS += report/test_flat.t
check_PROGRAMS += report/test_flat.t
report_test_flat_t_SOURCES = report/test_flat.c
report_test_flat_t_CFLAGS = $(JANSSON_CFLAGS) $(AM_CFLAGS)
report_test_flat_t_LDADD = $(JANSSON_LIBS)
EXTRA_DIST += report/bad-input.sh

# The report tests again, through memaudit-report built with ASan and UBSan (tools/Makefile.am).
TESTS += report/sanitizers.sh
EXTRA_DIST += report/sanitizers.sh
