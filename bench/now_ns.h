/* now_ns.h: the benchmarks' clock. */
#ifndef MEMAUDIT_BENCH_NOW_NS_H
#define MEMAUDIT_BENCH_NOW_NS_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
