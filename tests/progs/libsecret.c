/* libsecret: a dlopen'd module whose function locks memory (tests/integration/dlopen.sh expects
 * the mlock site's innermost frame to be secret_lock in this file, at the marked line). */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int secret_lock(void);

int secret_lock(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *secret = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (secret == MAP_FAILED)
		return 1;
	r = mlock(secret, pg); /* libsecret: mlock site */
	if (r != 0) {
		munmap(secret, pg);
		return 1;
	}
	memset(secret, 0x5a, 32);
	explicit_bzero(secret, 32);
	munlock(secret, pg);
	munmap(secret, pg);
	return 0;
}
