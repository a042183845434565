/* sodium_use: libsodium's guarded heap, as a real user of it would use it. 200 x sodium_malloc(64),
 * all live at once (so that 200 data pages are locked together: a user under a small
 * RLIMIT_MEMLOCK sees some of the locks fail, which libsodium ignores), each filled with a known
 * secret; sodium_mprotect_readonly and sodium_mprotect_readwrite once; one sodium_allocarray; then
 * sodium_free of everything. Prints one summary line; exits 0 when every allocation succeeded and
 * the data read back, 1 otherwise (2 when sodium_init fails). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define NBUF 200
#define BUFSZ 64

static const char secret[] = "correct horse battery staple";

int main(void)
{
	unsigned char *buf[NBUF];
	unsigned char *arr;
	int i, bad = 0;

	if (sodium_init() < 0) {
		printf("sodium_init failed\n");
		return 2;
	}
	for (i = 0; i < NBUF; i++) {
		buf[i] = sodium_malloc(BUFSZ);
		if (buf[i] == NULL) {
			printf("sodium_malloc failed at i=%d\n", i);
			return 1;
		}
		memcpy(buf[i], secret, sizeof secret);
	}

	/* a read-only key, then writable again */
	if (sodium_mprotect_readonly(buf[0]) != 0 || memcmp(buf[0], secret, sizeof secret) != 0)
		bad++;
	if (sodium_mprotect_readwrite(buf[0]) != 0)
		bad++;
	buf[0][0] ^= 1;
	buf[0][0] ^= 1;

	arr = sodium_allocarray(4, BUFSZ);
	if (arr == NULL) {
		printf("sodium_allocarray failed\n");
		return 1;
	}
	for (i = 0; i < 4; i++)
		memcpy(arr + i * BUFSZ, secret, sizeof secret);
	if (memcmp(arr + 3 * BUFSZ, secret, sizeof secret) != 0)
		bad++;
	sodium_free(arr);

	for (i = 0; i < NBUF; i++) {
		if (memcmp(buf[i], secret, sizeof secret) != 0)
			bad++;
		sodium_free(buf[i]);
	}
	printf("sodium: %d buffers of %d bytes and 1 array, %d bad\n", NBUF, BUFSZ, bad);
	return bad ? 1 : 0;
}
