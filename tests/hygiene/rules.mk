# tests/hygiene/rules.mk: one program per rule and its negative twin (progs/rules.c).
check_PROGRAMS += progs/rules
progs_rules_SOURCES = progs/rules.c
progs_rules_CFLAGS = $(PROGS_CFLAGS)
check_PROGRAMS += progs/precision
progs_precision_SOURCES = progs/precision.c
progs_precision_CFLAGS = $(PROGS_CFLAGS)
check_PROGRAMS += progs/heap_thread
progs_heap_thread_SOURCES = progs/heap_thread.c
progs_heap_thread_CFLAGS = $(PROGS_CFLAGS)
TESTS += hygiene/precision.sh hygiene/rules.sh hygiene/patterns.sh hygiene/release.sh hygiene/suppress.sh \
	hygiene/heap_thread.sh
EXTRA_DIST += hygiene/precision.sh hygiene/rules.sh hygiene/patterns.sh hygiene/release.sh hygiene/suppress.sh \
	hygiene/heap_thread.sh
