/* exe_kind.c: a program file statically linked, or a Go program (see exe_kind.h). Read with
 * pread and no libelf, so that a damaged file only answers "neither". */
#include <config.h>

#include "exe_kind.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define MAX_PHDRS_BYTES (256 * 65535)
#define MAX_SHSTRTAB 65536

/* Return the len-byte integer at p (little-endian when le). */
static uint64_t num(const unsigned char *p, int len, bool le)
{
	uint64_t v = 0;

	for (int i = len - 1; i >= 0; i--)
		v = v * 256 + p[le ? i : len - 1 - i];
	return v;
}

/* Read up to n bytes at off into buf; return how many (0 on error or past the end). */
static size_t read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	if (off > INT64_MAX)
		return 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* Return whether the ELF file (header h, n bytes of it) has no PT_INTERP program header: 32 or 64
 * bits, either byte order, an executable or shared object with program headers of 8 to 256 bytes,
 * all of them readable. */
static bool elf_static(int fd, const unsigned char *h, size_t n)
{
	static unsigned char ph[MAX_PHDRS_BYTES];
	bool le = h[5] == 1;
	uint64_t type = num(h + 16, 2, le), off, size, count;

	if (type != 2 && type != 3)
		return false;
	if (h[4] == 2 && n == 64) {
		off = num(h + 32, 8, le), size = num(h + 54, 2, le), count = num(h + 56, 2, le);
	} else if (h[4] == 1) {
		off = num(h + 28, 4, le), size = num(h + 42, 2, le), count = num(h + 44, 2, le);
	} else {
		return false;
	}
	if (size < 8 || size > 256 || count < 1)
		return false;
	if (read_at(fd, ph, size * count, off) < size * count)
		return false;
	for (uint64_t k = 0; k < count; k++)
		if (num(ph + k * size, 4, le) == 3) /* PT_INTERP */
			return false;
	return true;
}

/* Return whether one of the section names of the ELF64 little-endian file (header h) is
 * .go.buildinfo or .note.go.buildid, which Go's linker writes (the names are read from the
 * section header string table; a name ends at a NUL or a newline). */
static bool elf_go(int fd, const unsigned char *h)
{
	static char tab[MAX_SHSTRTAB + 1];
	unsigned char sh[64];
	uint64_t at, off, size;
	size_t n;

	if (h[4] != 2 || h[5] != 1)
		return false;
	at = num(h + 40, 8, true) + num(h + 62, 2, true) * num(h + 58, 2, true);
	if (read_at(fd, sh, sizeof sh, at) < sizeof sh)
		return false;
	off = num(sh + 24, 8, true), size = num(sh + 32, 8, true);
	if (size > MAX_SHSTRTAB)
		return false;
	n = read_at(fd, tab, (size_t)size, off);
	tab[n] = 0;
	for (size_t i = 0; i < n;) {
		size_t len = strcspn(tab + i, "\n");

		if (i + len > n)
			len = n - i;
		if ((len == 13 && !memcmp(tab + i, ".go.buildinfo", 13)) ||
		    (len == 16 && !memcmp(tab + i, ".note.go.buildid", 16)))
			return true;
		i += len + 1;
	}
	return false;
}

/* Classify the file at path; see exe_kind.h. */
void ma_exe_kind(const char *path, bool *is_static, bool *is_go)
{
	unsigned char h[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	size_t n = fd >= 0 ? read_at(fd, h, sizeof h, 0) : 0;

	*is_static = *is_go = false;
	if (n >= 52 && !memcmp(h, "\177ELF", 4))
		*is_static = elf_static(fd, h, n);
	if (n == 64 && h[0] == 127 && h[1] == 'E')
		*is_go = elf_go(fd, h);
	if (fd >= 0)
		close(fd);
}
