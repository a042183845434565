/* util.c: checked allocation and small string and path helpers (see util.h). */
#include <config.h>

#include "util.h"
#include "policy/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Print the out-of-memory line and exit with status 2. */
static _Noreturn void out_of_memory(void)
{
	fputs(MA_PROG ": out of memory\n", stderr);
	exit(2);
}

/* Return a block of n bytes (at least 1); exits when out of memory. */
void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

/* Return n zeroed elements of size bytes; exits when out of memory. */
void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

/* Resize p to n elements of size bytes; exits on overflow or when out of memory. */
void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory();
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		out_of_memory();
	return p;
}

/* Return a copy of s, or NULL for NULL. */
char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

/* Return a NUL-terminated copy of the n bytes at s. */
char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Double the capacity of the array at *vp when it is full (n == *cap). */
void grow(void *vp, size_t *cap, size_t n, size_t size)
{
	void **v = vp;

	if (n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 8;
	*v = xreallocarray(*v, *cap, size);
}

/* Fold the n bytes at p into h (FNV-1a). */
uint64_t hash_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* Turn byte code points back into bytes; see util.h. */
void ma_bytes_decode(char *s)
{
	unsigned char *p = (unsigned char *)s, *o = p;
	size_t n = strlen(s);

	while (n) {
		uint32_t cp;
		size_t len = utf8_seq(p, n, &cp);

		if (len && utf8_is_byte_cp(cp))
			*o++ = (unsigned char)(cp - UTF8_BYTE_BASE);
		else
			memmove(o, p, len ? len : 1), o += len ? len : 1;
		p += len ? len : 1;
		n -= len ? len : 1;
	}
	*o = '\0';
}

/* Encode bytes as UTF-8 with byte code points; see util.h. */
char *ma_bytes_encode(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *out = xmalloc(4 * n + 1), *o = out;

	while (n) {
		size_t len = utf8_plain_len(p, n);

		if (len) {
			memcpy(o, p, len);
			o += len;
		} else {
			uint32_t cp = UTF8_BYTE_BASE + *p;

			*o++ = (char)0xf4;
			*o++ = (char)0x8f;
			*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
			len = 1;
		}
		p += len;
		n -= len;
	}
	*o = '\0';
	return out;
}

/* Return the last component of path. */
const char *base_name(const char *path)
{
	const char *s;

	if (!path)
		return "";
	s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Return dir/file with "." and ".." components removed lexically (malloc'd); dir is absolute. */
char *join_path(const char *dir, const char *file)
{
	size_t len = strlen(dir) + strlen(file) + 2;
	char *in = xmalloc(len), *out = xmalloc(len), *tok, *save = NULL;
	size_t used = 0;

	snprintf(in, len, "%s/%s", dir, file);
	for (tok = strtok_r(in, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (used > 0 && out[--used] != '/')
				;
			continue;
		}
		out[used++] = '/';
		memcpy(out + used, tok, strlen(tok));
		used += strlen(tok);
	}
	if (!used)
		out[used++] = '/';
	out[used] = '\0';
	free(in);
	return out;
}

/* Return whether path is a system module; see util.h. */
bool ma_is_system_module(const char *path)
{
	static const char *const prefixes[] = {
		"libc.so", "libc-", "ld-linux", "ld64.so", "ld.so", "libmemaudit", "libpthread",
		"libdl.so", "libdl-",
	};
	const char *b = base_name(path);

	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (!strncmp(b, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}
