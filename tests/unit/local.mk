# tests/unit: unit tests of policy/, the log encoder and the engine (see tests/Makefile.am). Each
# program prints TAP.
check_PROGRAMS += unit/test_tracker.t
unit_test_tracker_t_SOURCES = unit/test_tracker.c unit/tracker_util.h
unit_test_tracker_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_tracker.t

# tracker.c's shortcut against its general path: the test builds a second copy of tracker.c.
check_PROGRAMS += unit/test_tracker_lone.t
unit_test_tracker_lone_t_SOURCES = unit/test_tracker_lone.c unit/tracker_util.h
unit_test_tracker_lone_t_LDADD = $(top_builddir)/policy/libpolicy.la
EXTRA_unit_test_tracker_lone_t_DEPENDENCIES = $(top_srcdir)/policy/tracker.c
TESTS += unit/test_tracker_lone.t

check_PROGRAMS += unit/test_jsonw.t
unit_test_jsonw_t_SOURCES = unit/test_jsonw.c
unit_test_jsonw_t_LDADD = $(top_builddir)/shim/logwriter/liblogwriter.la
TESTS += unit/test_jsonw.t

check_PROGRAMS += unit/test_envparse.t
unit_test_envparse_t_SOURCES = unit/test_envparse.c
unit_test_envparse_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_envparse.t

check_PROGRAMS += unit/test_lockmodel.t
unit_test_lockmodel_t_SOURCES = unit/test_lockmodel.c
unit_test_lockmodel_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_lockmodel.t

check_PROGRAMS += unit/test_rlimitmodel.t
unit_test_rlimitmodel_t_SOURCES = unit/test_rlimitmodel.c
unit_test_rlimitmodel_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_rlimitmodel.t

check_PROGRAMS += unit/test_mapcount.t
unit_test_mapcount_t_SOURCES = unit/test_mapcount.c
unit_test_mapcount_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_mapcount.t

check_PROGRAMS += unit/test_suppress.t
unit_test_suppress_t_SOURCES = unit/test_suppress.c
unit_test_suppress_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_suppress.t
# The report tool's timeline (tools/timeline.c), built here from its source with util.c.
check_PROGRAMS += unit/test_timeline.t
unit_test_timeline_t_SOURCES = unit/test_timeline.c ../tools/timeline.c ../tools/util.c
unit_test_timeline_t_CFLAGS = $(AM_CFLAGS)
TESTS += unit/test_timeline.t

# The rule registry (policy/rules.c); tests/report/rules.sh checks the shim, the report tool and
# memaudit(7) against it.
check_PROGRAMS += unit/test_rules.t
unit_test_rules_t_SOURCES = unit/test_rules.c
unit_test_rules_t_LDADD = $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_rules.t

# The engine alone (policy/engine/engine.h) with a fake front-end: two made-up processes audited side by
# side, their findings and models checked; no preload involved.
check_PROGRAMS += unit/test_engine.t
unit_test_engine_t_SOURCES = unit/test_engine.c
unit_test_engine_t_LDADD = $(top_builddir)/policy/engine/libengine.la \
	$(top_builddir)/shim/logwriter/liblogwriter.la $(top_builddir)/policy/libpolicy.la
TESTS += unit/test_engine.t

# The wipe check's count of non-zero bytes (policy/engine/nonzero.c): AVX2 and SSE2 against a loop.
check_PROGRAMS += unit/test_nonzero.t
unit_test_nonzero_t_SOURCES = unit/test_nonzero.c
unit_test_nonzero_t_LDADD = $(top_builddir)/policy/engine/libengine.la
TESTS += unit/test_nonzero.t
