/* msg.h: a finding's message built without printf. The messages made on every audited call of a
 * lock or advise loop (lock-heap, advise-heap, release-unwiped) cost 150 to 300 ns each through
 * snprintf's format parsing; pieces appended here cost a small part of that. The text is the one
 * snprintf would make: cut at cap - 1 bytes, always terminated. */
#ifndef MEMAUDIT_ENGINE_MSG_H
#define MEMAUDIT_ENGINE_MSG_H

#include <stddef.h>
#include <stdint.h>

struct msg {
	char *buf;
	size_t cap, len; /* cap > 0 */
};

void msg_init(struct msg *m, char *buf, size_t cap);
void msg_str(struct msg *m, const char *s);
/* v in decimal, as %llu prints it */
void msg_u64(struct msg *m, uint64_t v);

/* A message kept in a buffer of its own and made again only when its inputs change (lock-heap,
 * advise-heap, release-unwiped) is passed with a generation: a number taken here each time such a
 * buffer is (re)written, never the same twice in an address space. The same (text, generation)
 * pair again is then the same text, and the log writer's def memo knows it without comparing its
 * bytes (records.c). 0: a text with no generation (on the stack), compared. The lock is held. */
uint64_t msg_generation(void);

#endif
