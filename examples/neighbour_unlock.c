/* neighbour_unlock.c: munlock() of one secret unlocks its neighbour.
 *
 * Two small secrets from malloc() share a heap page. Both are mlock()ed, so the code believes both
 * are locked. Then the first is released the "careful" way (wiped, munlock()ed, freed) and the
 * second, still in use, silently loses its lock: the kernel locks whole pages, and locks do not
 * nest ("Memory locks do not stack ... unlocked by a single call to munlock()", mlock(2)).
 *
 * The program shows it from the kernel's side: the VmFlags and Locked: lines of the smaps entry
 * that holds secret B (/proc/self/smaps), and VmLck: (/proc/self/status), before and after.
 *
 * memaudit reports: lock-heap (both mlock calls), unlock-collateral (the munlock of A).
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SECRET_LEN 32

/* What the kernel says about the mapping that contains addr. */
struct page_state {
	int found;      /* an smaps entry contains addr */
	int locked;     /* its VmFlags has "lo" (VM_LOCKED) */
	long locked_kb; /* its Locked: line */
	long vmlck_kb;  /* VmLck: of the whole process */
};

/* Fill *st from /proc/self/smaps and /proc/self/status. Returns 0, or -1 when they cannot be read
 * or no mapping contains addr. */
static int read_page_state(const void *addr, struct page_state *st)
{
	uintptr_t a = (uintptr_t)addr, lo, hi;
	char line[512];
	int inside = 0;
	FILE *f;

	memset(st, 0, sizeof *st);
	st->locked_kb = st->vmlck_kb = -1;
	if (!(f = fopen("/proc/self/smaps", "re")))
		return -1;
	while (fgets(line, sizeof line, f)) {
		/* A mapping starts with "lo-hi perms ..."; no "Name: value" field line parses so. */
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2) {
			if (inside)
				break; /* the next mapping: done */
			inside = a >= lo && a < hi;
			st->found |= inside;
		} else if (inside && strncmp(line, "Locked:", 7) == 0) {
			st->locked_kb = strtol(line + 7, NULL, 10);
		} else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			st->locked = strstr(line + 8, " lo") != NULL;
		}
	}
	fclose(f);
	if (!(f = fopen("/proc/self/status", "re")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmLck:", 6) == 0)
			st->vmlck_kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return st->found ? 0 : -1;
}

static void show(const char *when, const void *b)
{
	struct page_state st;

	if (read_page_state(b, &st) != 0) {
		printf("  %-28s cannot read /proc/self/smaps\n", when);
		return;
	}
	printf("  %-28s secret B's mapping: %-10s (Locked: %ld kB)   process VmLck: %ld kB\n", when,
	       st.locked ? "locked" : "NOT locked", st.locked_kb, st.vmlck_kb);
}

int main(void)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	char *a = NULL, *b = NULL;
	struct page_state st;
	int tries;

	/* Two consecutive small allocations almost always share a page; retry if these straddle one. */
	for (tries = 0; tries < 8; tries++) {
		a = malloc(SECRET_LEN);
		b = malloc(SECRET_LEN);
		if (!a || !b) {
			perror("neighbour_unlock: malloc");
			return 2;
		}
		if ((uintptr_t)a / page == (uintptr_t)b / page &&
		    (uintptr_t)a / page == ((uintptr_t)b + SECRET_LEN - 1) / page)
			break; /* the pair is kept; the straddling ones are leaked on purpose (not secrets) */
	}
	memset(a, 0xa5, SECRET_LEN); /* stand-ins for key material */
	memset(b, 0x5a, SECRET_LEN);
	printf("neighbour_unlock: secret A at %p and secret B at %p share the page at %#" PRIxPTR "\n",
	       (void *)a, (void *)b, (uintptr_t)a & ~(page - 1));

	if (mlock(a, SECRET_LEN) != 0) {
		perror("neighbour_unlock: mlock(A)");
		return 1;
	}
	if (mlock(b, SECRET_LEN) != 0) {
		perror("neighbour_unlock: mlock(B)");
		return 1;
	}
	show("after mlock(A), mlock(B):", b);

	/* Done with A: wipe it, unlock it, free it. B is still in use. */
	explicit_bzero(a, SECRET_LEN);
	if (munlock(a, SECRET_LEN) != 0)
		perror("neighbour_unlock: munlock");
	free(a);
	show("after munlock(A) only:", b);

	if (read_page_state(b, &st) == 0 && !st.locked)
		printf("neighbour_unlock: B was never unlocked, yet it is no longer locked: "
		       "munlock(A) unlocked the whole page\n");
	else
		printf("neighbour_unlock: B still appears locked here (unexpected on Linux)\n");

	explicit_bzero(b, SECRET_LEN);
	free(b);
	return 0;
}
