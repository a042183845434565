# tests/unit: see tests/Makefile.am
