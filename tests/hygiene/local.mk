# tests/hygiene: the misuse rules of issue 4 (SPEC "Rules"), each with a negative twin, and real
# libraries that lock memory correctly (libsodium, OpenSSL's secure heap).
include $(srcdir)/hygiene/crypto.mk
include $(srcdir)/hygiene/rules.mk
