/* msg.c: see msg.h. */
#include "config.h"

#include <string.h>

#include "policy/engine/msg.h"

uint64_t msg_generation(void)
{
	static uint64_t last; /* shared by every process of a tracer: one address space */

	return ++last;
}

void msg_init(struct msg *m, char *buf, size_t cap)
{
	m->buf = buf;
	m->cap = cap;
	m->len = 0;
	buf[0] = '\0';
}

static void put(struct msg *m, const char *s, size_t n)
{
	if (n > m->cap - 1 - m->len)
		n = m->cap - 1 - m->len;
	__builtin_memcpy(m->buf + m->len, s, n); /* this directory is built -fno-builtin */
	m->len += n;
	m->buf[m->len] = '\0';
}

void msg_str(struct msg *m, const char *s)
{
	put(m, s, strlen(s));
}

void msg_u64(struct msg *m, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(m, tmp + i, sizeof tmp - i);
}
