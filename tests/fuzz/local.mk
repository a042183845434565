# tests/fuzz: a libFuzzer target for memaudit-report's log reader and the report behind it
# (fuzz/fuzz_log.c), built with clang -fsanitize=fuzzer,address,undefined when configure found a
# clang that can (HAVE_LIBFUZZER).
#
#   make fuzz [FUZZ_TIME=60]   fuzz for FUZZ_TIME seconds from the seed corpus; not part of check
#   make check                 fuzz/smoke.sh: 2000 runs with a fixed seed, when it can be built
#
# The seed corpus is the report fixtures plus fuzz/corpus (small inputs that once found a bug,
# kept as regression tests). New inputs the fuzzer finds go to fuzz/work-corpus in the build tree
# and crashing inputs to fuzz/crash-* there; copy one into fuzz/corpus with its fix.
FUZZ_TIME = 60
FUZZ_FLAGS = -max_len=8192 -timeout=10
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_TOOLS_FILES = \
	$(top_srcdir)/tools/demangle.c \
	$(top_srcdir)/tools/elf_files.c \
	$(top_srcdir)/tools/flat_json.c \
	$(top_srcdir)/tools/idmap.c \
	$(top_srcdir)/tools/json_util.c \
	$(top_srcdir)/tools/log_reader.c \
	$(top_srcdir)/tools/names.c \
	$(top_srcdir)/tools/process_tree.c \
	$(top_srcdir)/tools/report_fmt.c \
	$(top_srcdir)/tools/report_html.c \
	$(top_srcdir)/tools/report_json.c \
	$(top_srcdir)/tools/report_merge.c \
	$(top_srcdir)/tools/report_model.c \
	$(top_srcdir)/tools/report_sarif.c \
	$(top_srcdir)/tools/report_svg.c \
	$(top_srcdir)/tools/report_text.c \
	$(top_srcdir)/tools/report_text_merged.c \
	$(top_srcdir)/tools/sarif_text.c \
	$(top_srcdir)/tools/sarif_uri.c \
	$(top_srcdir)/tools/suppress.c \
	$(top_srcdir)/tools/symbolize.c \
	$(top_srcdir)/tools/dwarf_line.c \
	$(top_srcdir)/tools/symtab.c \
	$(top_srcdir)/tools/text_out.c \
	$(top_srcdir)/tools/text_sections.c \
	$(top_srcdir)/tools/timeline.c \
	$(top_srcdir)/tools/util.c \
	$(top_srcdir)/policy/rules.c \
	$(top_srcdir)/tools/whatif_note.c \
	$(top_srcdir)/tools/trace_note.c \
	$(top_srcdir)/policy/suppress.c
FUZZ_SEEDS = $(srcdir)/fuzz/corpus $(top_srcdir)/tests/report/fixtures

fuzz/fuzz_log$(EXEEXT): $(srcdir)/fuzz/fuzz_log.c $(FUZZ_TOOLS_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(CLANG) $(FUZZ_CFLAGS) $(WARN_CFLAGS) -I$(top_builddir) -I$(top_srcdir) -I$(top_srcdir)/tools \
		-DMA_DOCDIR='"$(docdir)"' \
		$(JANSSON_CFLAGS) $(LIBDW_CFLAGS) -o $@ $(srcdir)/fuzz/fuzz_log.c \
		$(FUZZ_TOOLS_FILES) $(JANSSON_LIBS) $(LIBDW_LIBS) $(DEMANGLE_LIBS) -lm

if HAVE_LIBFUZZER
check_DATA = fuzz/fuzz_log$(EXEEXT)

fuzz: fuzz/fuzz_log$(EXEEXT)
	@$(MKDIR_P) fuzz/work-corpus
	ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) LSAN_OPTIONS=$(FUZZ_LSAN_OPTIONS) \
	./fuzz/fuzz_log$(EXEEXT) -max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) \
		-dict=$(srcdir)/fuzz/log.dict -artifact_prefix=fuzz/ fuzz/work-corpus $(FUZZ_SEEDS)
else
fuzz:
	@echo "make fuzz: configure found no clang that builds libFuzzer targets" \
	      "(Debian packages clang and libclang-rt-14-dev)" >&2; exit 1
endif
.PHONY: fuzz

# libdw and libelf are not built with the sanitizers: see fuzz/lsan.supp.
FUZZ_ASAN_OPTIONS = detect_leaks=1
FUZZ_LSAN_OPTIONS = suppressions=$(abs_srcdir)/fuzz/lsan.supp:print_suppressions=0

TESTS += fuzz/smoke.sh
CLEANFILES += fuzz/fuzz_log$(EXEEXT)
EXTRA_DIST += fuzz/smoke.sh fuzz/fuzz_log.c fuzz/log.dict fuzz/lsan.supp \
	fuzz/corpus/libc-frames.jsonl
