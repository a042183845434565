# tests/hygiene/crypto.mk: libsodium and OpenSSL under the shim
