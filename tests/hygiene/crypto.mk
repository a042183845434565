# tests/hygiene/crypto.mk: libsodium and OpenSSL under the shim
# Two real libraries that lock memory correctly (KERNEL.md section 4): libsodium's guarded heap
# (sodium_malloc/sodium_free) and OpenSSL's secure heap (CRYPTO_secure_malloc_init, which locks its
# arena with a raw syscall(SYS_mlock2)). The programs are built only when configure found the
# library (HAVE_SODIUM, HAVE_LIBCRYPTO); the scripts are always listed and skip themselves
# (1..0 # SKIP) when their program was not built.
if HAVE_SODIUM
check_PROGRAMS += progs/sodium_use
progs_sodium_use_SOURCES = progs/sodium_use.c
progs_sodium_use_CFLAGS = $(PROGS_CFLAGS) $(SODIUM_CFLAGS)
progs_sodium_use_LDADD = $(SODIUM_LIBS)
endif

if HAVE_LIBCRYPTO
check_PROGRAMS += progs/openssl_secure
progs_openssl_secure_SOURCES = progs/openssl_secure.c
progs_openssl_secure_CFLAGS = $(PROGS_CFLAGS) $(LIBCRYPTO_CFLAGS)
progs_openssl_secure_LDADD = $(LIBCRYPTO_LIBS)
endif

CRYPTO_TESTS = \
	hygiene/sodium.sh \
	hygiene/openssl.sh
TESTS += $(CRYPTO_TESTS)
EXTRA_DIST += $(CRYPTO_TESTS)
