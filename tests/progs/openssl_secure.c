/* openssl_secure: OpenSSL's secure heap. CRYPTO_secure_malloc_init(65536, 64) maps one arena,
 * locks it with syscall(SYS_mlock2, ..., MLOCK_ONFAULT) and excludes it from core dumps
 * (MADV_DONTDUMP); a few blocks from OPENSSL_secure_malloc/zalloc hold a secret and are freed with
 * OPENSSL_secure_clear_free; CRYPTO_secure_malloc_done unmaps the arena. Prints the init result
 * (1 = locked and guarded, 2 = usable but not locked or guarded) and a summary line; exits 1
 * when init returned 0 or a block was not from the secure heap, 0 otherwise. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#define NBLK 4

static const char secret[] = "correct horse battery staple";

int main(void)
{
	void *blk[NBLK];
	size_t sz[NBLK] = { 32, 64, 100, 256 };
	int r, i, bad = 0, done;

	r = CRYPTO_secure_malloc_init(65536, 64);
	printf("CRYPTO_secure_malloc_init: %d\n", r);
	if (r == 0)
		return 1;
	for (i = 0; i < NBLK; i++) {
		blk[i] = (i % 2) ? OPENSSL_secure_zalloc(sz[i]) : OPENSSL_secure_malloc(sz[i]);
		if (blk[i] == NULL || !CRYPTO_secure_allocated(blk[i])) {
			printf("block %d not from the secure heap\n", i);
			return 1;
		}
		memcpy(blk[i], secret, sizeof secret);
	}
	for (i = 0; i < NBLK; i++) {
		if (memcmp(blk[i], secret, sizeof secret) != 0)
			bad++;
		OPENSSL_secure_clear_free(blk[i], sz[i]);
	}
	printf("secure heap used after the frees: %lu\n", (unsigned long)CRYPTO_secure_used());
	done = CRYPTO_secure_malloc_done();
	printf("%d blocks, %d bad, CRYPTO_secure_malloc_done: %d\n", NBLK, bad, done);
	return bad ? 1 : 0;
}
