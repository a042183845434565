/* pagesize.c: the page size the program is told, when MEMAUDIT_PAGE_SIZE simulates a larger one.
 *
 * sysconf(_SC_PAGESIZE), getpagesize() and getauxval(AT_PAGESZ) are the ways a program asks; all
 * three answer the simulated size, so code that asks keeps working on the simulated machine and
 * code that hard-codes 4096 meets the alignment rules of a 16 KiB or 64 KiB kernel (mman.c).
 * glibc's malloc is unaffected: it reads the dynamic linker's GLRO(dl_pagesize), as it would on
 * the real machine.
 */
#include "config.h"

#include <sys/auxv.h>
#include <unistd.h>

#include "guard.h"
#include "real.h"
#include "state.h"

/* A page size other than the real one is in force for this process. */
static int simulated(void)
{
	return shim_auditing() && shim_proc()->page_size != shim_proc()->real_page_size;
}

SHIM_EXPORT long sysconf(int name)
{
	if (unlikely(!real_ready()))
		real_resolve();
	if (name == _SC_PAGESIZE && simulated())
		return (long)shim_proc()->page_size;
	return real.sysconf(name);
}

SHIM_EXPORT int getpagesize(void)
{
	if (unlikely(!real_ready()))
		real_resolve();
	return simulated() ? (int)shim_proc()->page_size : real.getpagesize();
}

SHIM_EXPORT unsigned long getauxval(unsigned long type)
{
	if (unlikely(!real_ready()))
		real_resolve();
	if (type == AT_PAGESZ && simulated())
		return shim_proc()->page_size;
	return real.getauxval(type);
}
