/* trace_uffd: a traced call that waits for another thread of its process: the main thread's mlock
 * of a page registered with userfaultfd faults it in, and the handler thread, before it provides
 * the page (UFFDIO_COPY), maps a buffer (a traced mmap, as malloc's growth would be). Under
 * memaudit-trace that mmap is held behind the mlock in flight until the hold's time limit
 * (tests/trace/uffd.sh); without the limit both would wait for ever. Prints "mlock 0" and exits 0;
 * exits 77 when userfaultfd is not available. */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static long page;
static int uffd;

static void *handler(void *arg)
{
	struct uffd_msg msg;
	struct uffdio_copy copy;
	struct pollfd pfd = {uffd, POLLIN, 0};
	char *src;

	if (poll(&pfd, 1, -1) != 1 || read(uffd, &msg, sizeof msg) != (ssize_t)sizeof msg ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return (void *)1;
	src = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED) /* trace_uffd: the handler's mmap */
		return (void *)1;
	memset(src, 'x', (size_t)page);
	copy.dst = msg.arg.pagefault.address & ~(uint64_t)(page - 1);
	copy.src = (uintptr_t)src;
	copy.len = (uint64_t)page;
	copy.mode = 0;
	copy.copy = 0;
	return ioctl(uffd, UFFDIO_COPY, &copy) == 0 ? NULL : (void *)1;
}

int main(void)
{
	struct uffdio_api api = {.api = UFFD_API};
	struct uffdio_register reg;
	pthread_t t;
	void *res;
	char *r;
	int rc;

	page = sysconf(_SC_PAGESIZE);
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) != 0)
		return 77;
	r = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return 2;
	reg.range.start = (uintptr_t)r;
	reg.range.len = (uint64_t)page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) != 0)
		return 77;
	if (pthread_create(&t, NULL, handler, NULL) != 0)
		return 2;
	rc = mlock(r, (size_t)page); /* trace_uffd: mlock that waits for the handler */
	printf("mlock %d\n", rc);
	pthread_join(t, &res);
	return res == NULL && r[0] == 'x' ? 0 : 1;
}
