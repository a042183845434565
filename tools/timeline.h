/* timeline.h: the locked bytes of one process over its life, kept for the HTML chart in bounded
 * memory.
 *
 * Each event that carries locked_bytes adds a point: its time (ns since the shim was loaded) and
 * its event number (1-based among the log's events), with the bytes locked after it. The series
 * keeps at most MA_TIMELINE_MAX buckets. While there is room a bucket is one point; when the
 * buckets are full, neighbours merge pairwise and every later bucket takes twice as many points.
 * A bucket keeps its first and last x and both the highest and the last value, so a peak survives
 * any amount of downsampling. Memory: at most MA_TIMELINE_MAX buckets of 48 bytes per process.
 */
#ifndef MEMAUDIT_TOOLS_TIMELINE_H
#define MEMAUDIT_TOOLS_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MA_TIMELINE_MAX 2048 /* buckets per process; even */

/* Consecutive points of the series. */
struct ma_tl_bucket {
	uint64_t t_first, t_last; /* times of the first and last point, ns since load */
	uint64_t n_first, n_last; /* event numbers of the first and last point */
	uint64_t max;             /* the highest locked bytes of the points */
	uint64_t last;            /* the locked bytes after the last point */
};

struct ma_timeline {
	struct ma_tl_bucket *b; /* in order of the points */
	size_t n, cap;          /* buckets in use, allocated */
	uint64_t stride;        /* points per bucket since the last merge (a power of two) */
	uint64_t in_last;       /* points in b[n - 1] */
	uint64_t points;        /* points added */
	bool untimed;           /* some point had no time: the chart uses event numbers */
};

/* Add a point: the event numbered n (at time t when has_t) left bytes locked. Times that go
 * backwards (threads logging out of order) are taken as the latest time seen. */
void ma_timeline_add(struct ma_timeline *tl, bool has_t, uint64_t t, uint64_t n, uint64_t bytes);
/* Free the buckets; the timeline is empty afterwards. */
void ma_timeline_free(struct ma_timeline *tl);

#endif
