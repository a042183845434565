# tests/report: memaudit-report and the memaudit launcher on fixture logs (see tests/Makefile.am).
# Fixture logs are named *.jsonl (the repository ignores *.log); tests that need memaudit.*.log
# names copy them. symprog is a real program for the symbolization test to point stacks into.
REPORT_TESTS = \
	report/json-shape.sh \
	report/sites.sh \
	report/compact.sh \
	report/incomplete.sh \
	report/exec.sh \
	report/tree.sh \
	report/merge.sh \
	report/errors.sh \
	report/nul-bytes.sh \
	report/directory.sh \
	report/fail-on.sh \
	report/suppressions.sh \
	report/symbolize.sh \
	report/hostile.sh \
	report/text.sh \
	report/color.sh \
	report/whatif.sh \
	report/html.sh \
	report/launcher.sh \
	report/sarif.sh \
	report/golden.sh \
	report/rules.sh \
	report/debug-budget.sh \
	report/gen-suppressions.sh \
	report/quiet.sh
TESTS += $(REPORT_TESTS)

# rules_tsv prints the rule registry (policy/rules.c) for report/rules.sh.
check_PROGRAMS += report/rules_tsv
report_rules_tsv_SOURCES = report/rules_tsv.c
report_rules_tsv_LDADD = $(top_builddir)/policy/libpolicy.la

check_PROGRAMS += report/symprog
report_symprog_SOURCES = report/symprog.c
report_symprog_CFLAGS = -g $(AM_CFLAGS)

# longpath: a real program whose debug information names a source path of more than 150
# characters, with spaces, and long function names (report/long-lines.sh, report/wrap-tty.sh).
REPORT_TESTS += report/long-lines.sh report/wrap-tty.sh
check_PROGRAMS += report/longpath
report_longpath_SOURCES = report/longpath.c
report_longpath_CFLAGS = -g $(AM_CFLAGS)
EXTRA_DIST += report/pty-run.py report/wrap-check.py

# cxxprog: C++ names in the report, demangled (report/cxx.sh, skipped without a C++ compiler).
REPORT_TESTS += report/cxx.sh
if HAVE_CXX
check_PROGRAMS += report/cxxprog
report_cxxprog_SOURCES = report/cxxprog.cc
report_cxxprog_CXXFLAGS = -g -O0
endif

EXTRA_DIST += \
	report/cxxprog.cc \
	$(REPORT_TESTS) \
	report/report-lib.sh \
	report/sarif-schema-2.1.0.json \
	report/sarif-validate.py \
	report/golden-lib.sh \
	report/golden-update.sh \
	report/golden/exit-status \
	report/golden/neighbour.txt report/golden/neighbour.json report/golden/neighbour.sarif \
	report/golden/s2n.txt report/golden/s2n.json report/golden/s2n.sarif \
	report/golden/tree.txt report/golden/tree.json report/golden/tree.sarif \
	report/fixtures/golden-neighbour.jsonl \
	report/fixtures/golden-s2n.jsonl \
	report/fixtures/golden-tree-1.jsonl \
	report/fixtures/golden-tree-2.jsonl \
	report/fixtures/golden-tree-3.jsonl \
	report/fixtures/golden-tree-4.jsonl \
	report/png-colours.py \
	report/html-breaks.js \
	report/fixtures/basic.jsonl \
	report/fixtures/clean.jsonl \
	report/fixtures/compact-v3.jsonl \
	report/fixtures/exec-1.jsonl \
	report/fixtures/exec-2.jsonl \
	report/fixtures/fork-child.jsonl \
	report/fixtures/hostile.jsonl \
	report/fixtures/html-inject.jsonl \
	report/fixtures/killed.jsonl \
	report/fixtures/notes.jsonl \
	report/fixtures/other-format.jsonl \
	report/fixtures/symbolize.jsonl.in \
	report/fixtures/version99.jsonl \
	report/fixtures/warnings.jsonl \
	report/fixtures/whatif.jsonl \
	report/fixtures/whatif-unlimited.jsonl \
	report/fixtures/whatif-memlock.jsonl

# make regen-golden: write the expected outputs of report/golden.sh from its fixture logs (review
# the diff before committing it); make regen-golden-fixtures: first record those logs again from
# real runs under the shim (report/golden-update.sh says how).
regen-golden:
	$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/report/golden-update.sh
regen-golden-fixtures: progs/fork_exec progs/sigkill
	$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/report/golden-update.sh --fixtures
.PHONY: regen-golden regen-golden-fixtures
# inlineprog: a real program run under the shim by report/inline.sh, built with -O2 -g so that its
# mlock call is inlined; built twice more for the rebuilt-binary checks: with another build id, and
# with none.
REPORT_TESTS += report/inline.sh report/own-frames.sh
check_PROGRAMS += report/inlineprog report/inlineprog-rebuilt report/inlineprog-noid
report_inlineprog_SOURCES = report/inlineprog.c
report_inlineprog_CFLAGS = -O2 -g $(AM_CFLAGS)
report_inlineprog_LDFLAGS = -Wl,--build-id
report_inlineprog_rebuilt_SOURCES = report/inlineprog.c
report_inlineprog_rebuilt_CFLAGS = -O2 -g -DINLINEPROG_REBUILT $(AM_CFLAGS)
report_inlineprog_rebuilt_LDFLAGS = -Wl,--build-id
report_inlineprog_noid_SOURCES = report/inlineprog.c
report_inlineprog_noid_CFLAGS = -O2 -g $(AM_CFLAGS)
report_inlineprog_noid_LDFLAGS = -Wl,--build-id=none
# Bad input: special files, forbidden bytes, logs built to exhaust memory or time; the reader's
# memory budget and keyed hashing, tested in C with the reader's sources compiled in.
TESTS += report/bad-input.sh report/test_limits.t
check_PROGRAMS += report/test_limits.t
report_test_limits_t_SOURCES = report/test_limits.c
report_test_limits_t_CFLAGS = $(JANSSON_CFLAGS) $(AM_CFLAGS)
report_test_limits_t_LDADD = $(JANSSON_LIBS) -lm
TESTS += report/test_flat.t
TESTS += report/test_bytes.t
check_PROGRAMS += report/test_bytes.t
report_test_bytes_t_SOURCES = report/test_bytes.c
report_test_bytes_t_CFLAGS = $(JANSSON_CFLAGS) $(AM_CFLAGS)
report_test_bytes_t_LDADD = $(JANSSON_LIBS)
# The SARIF report's messages without addresses or values of the run (tools/sarif_text.c).
TESTS += report/test_sarif_text.t
check_PROGRAMS += report/test_sarif_text.t
report_test_sarif_text_t_SOURCES = report/test_sarif_text.c
report_test_sarif_text_t_CFLAGS = $(JANSSON_CFLAGS) $(AM_CFLAGS)
report_test_sarif_text_t_LDADD = $(JANSSON_LIBS)
check_PROGRAMS += report/test_flat.t
report_test_flat_t_SOURCES = report/test_flat.c
report_test_flat_t_CFLAGS = $(JANSSON_CFLAGS) $(AM_CFLAGS)
report_test_flat_t_LDADD = $(JANSSON_LIBS)
EXTRA_DIST += report/bad-input.sh

# The report tests again, through memaudit-report built with ASan and UBSan (tools/Makefile.am).
TESTS += report/sanitizers.sh
EXTRA_DIST += report/sanitizers.sh
