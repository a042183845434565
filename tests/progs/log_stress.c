/* log_stress: a program that makes the log writer's life hard (issue 10, items 5-8; run by
 * tests/integration/log_writer.sh). Each mode makes audited calls, one mlock and one munlock of a
 * page per "pair", and prints what it did, the same with and without the shim:
 *
 *   dup2race FILE PAIRS   a second thread dup2()s FILE over every descriptor 3..1024, again and
 *                         again, while the main thread calls; prints "events N data ok" when FILE
 *                         holds only the program's bytes afterwards
 *   fdlimit PAIRS         opens /dev/null until open fails (a pair between two opens), then calls;
 *                         prints the descriptors it got and the errno of the failed open
 *   waitfile GO PAIRS     a pair, then waits (10 s at most) for the file GO, closes every descriptor
 *                         from 3 to 1023, then calls
 *   fill FILLER PAIRS     calls; fills the disk with FILLER until ENOSPC and calls; removes FILLER
 *                         and calls again (PAIRS each time)
 *   unfill FILLER PAIRS   calls; removes FILLER (the test filled the disk before the start), calls
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static char page[4096] __attribute__((aligned(4096)));
static long events;

static void pairs(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (mlock(page, sizeof page) != 0 || munlock(page, sizeof page) != 0) {
			perror("mlock/munlock");
			exit(1);
		}
		events += 2;
	}
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static volatile int done;
static int datafd;

static void *dup2_everything(void *arg)
{
	int fd;

	(void)arg;
	while (!done)
		for (fd = 3; fd <= 1024; fd++)
			if (fd != datafd)
				dup2(datafd, fd);
	return NULL;
}

static const char program_bytes[] = "the program's own bytes\n";

static int dup2race(const char *file, long n)
{
	pthread_t t;
	char back[4096];
	ssize_t got;
	int fd;

	datafd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (datafd < 0 || write(datafd, program_bytes, sizeof program_bytes - 1) < 0) {
		perror(file);
		return 1;
	}
	pthread_create(&t, NULL, dup2_everything, NULL);
	pairs(n);
	done = 1;
	pthread_join(t, NULL);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	got = fd >= 0 ? read(fd, back, sizeof back) : -1;
	printf("events %ld data %s\n", events,
	       got == (ssize_t)sizeof program_bytes - 1 && !memcmp(back, program_bytes, (size_t)got) ?
		       "ok" : "bad");
	return 0;
}

static int fdlimit(long n)
{
	int fd, i, err;

	printf("opened");
	for (i = 0; i < 64; i++) {
		pairs(1);
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		printf(" %d", fd);
	}
	err = errno;
	pairs(n);
	printf("; then %s; events %ld\n", strerror(err), events);
	return 0;
}

static int waitfile(const char *go, long n)
{
	int i, fd;

	pairs(1);
	for (i = 0; i < 1000 && access(go, F_OK) != 0; i++)
		pause_ms(10);
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	pairs(n);
	printf("events %ld\n", events);
	return 0;
}

static int fill(const char *filler, long n)
{
	static char block[65536];
	int fd;

	pairs(n);
	fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(filler);
		return 1;
	}
	while (write(fd, block, sizeof block) > 0)
		;
	close(fd);
	pairs(n);
	unlink(filler);
	pause_ms(30); /* the shim tries again every 10 ms */
	pairs(n);
	printf("events %ld\n", events);
	return 0;
}

static int unfill(const char *filler, long n)
{
	pairs(n);
	unlink(filler);
	pause_ms(30);
	pairs(n);
	printf("events %ld\n", events);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dup2race"))
		return dup2race(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fdlimit"))
		return fdlimit(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "waitfile"))
		return waitfile(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "fill"))
		return fill(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "unfill"))
		return unfill(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: log_stress dup2race FILE PAIRS | fdlimit PAIRS | waitfile GO PAIRS |"
			" fill FILLER PAIRS | unfill FILLER PAIRS\n");
	return 2;
}
