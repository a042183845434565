# tests/report: see tests/Makefile.am
