/* dlopen_secret LIB: dlopen LIB (progs/.libs/libsecret.so), call its secret_lock(), which maps,
 * locks, unlocks and unmaps one page, dlclose it, and exit with secret_lock's result. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	void *h;
	int (*fn)(void);
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: dlopen_secret LIBRARY\n");
		return 2;
	}
	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 2;
	}
	*(void **)&fn = dlsym(h, "secret_lock");
	if (!fn) {
		fprintf(stderr, "dlsym: %s\n", dlerror());
		return 2;
	}
	r = fn();
	printf("secret_lock returned %d\n", r);
	dlclose(h);
	return r;
}
