# tests/recipes: docs/ci.md's CI recipes (issue 11, item 7), copied out of the document into a
# sample project (recipes/sample: one good test, one that frees a still-locked block) and run:
# the automake and meson recipes for real (meson.sh is skipped without meson and ninja), the
# GitHub Actions and GitLab CI files parsed as YAML and their shell steps run as the services run
# them (recipes/run-ci.py).
RECIPES_TESTS = \
	recipes/automake.sh \
	recipes/meson.sh \
	recipes/github.sh \
	recipes/gitlab.sh
TESTS += $(RECIPES_TESTS)
EXTRA_DIST += $(RECIPES_TESTS) recipes/lib.sh recipes/run-ci.py \
	recipes/sample/configure.ac recipes/sample/Makefile.am recipes/sample/meson.build \
	recipes/sample/good.c recipes/sample/bad.c
