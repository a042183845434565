/* report_svg.c: the locked-memory chart of the HTML report (see report_svg.h). */
#include <config.h>

#include "report_svg.h"
#include "report_fmt.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* The drawing, in SVG user units (its viewBox); the plot area is inside the margins. */
#define WIDTH 960
#define HEIGHT 330
#define LEFT 78   /* room for the vertical tick labels */
#define RIGHT 200 /* room for the limit labels */
#define TOP 30    /* room for the legend */
#define BOTTOM 52 /* room for the horizontal tick labels and the axis title */
#define PLOT_W (WIDTH - LEFT - RIGHT)
#define PLOT_H (HEIGHT - TOP - BOTTOM)
#define LOG_FLOOR 10      /* log2 of the lowest value the scale tells apart from 0: 1 KiB */
#define LABEL_GAP 13      /* least vertical distance between two limit labels */
#define MAX_LIMIT_LINES 4 /* 32 KiB, 64 KiB, 8 MiB and the configured limit */

#define LINE_COLOUR "#1864ab"
#define CONFIGURED_COLOUR "#c92a2a"

/* The scales of one chart. */
struct chart {
	const struct ma_timeline *tl;
	bool by_time; /* x is the time since load in ns; otherwise the event number */
	double x_max; /* x at the right edge (> 0) */
	double top;   /* log2 of the bytes at the top edge */
};

/* One horizontal limit line. */
struct limit_line {
	uint64_t bytes;
	bool configured; /* the limit the process ran with (memlock.simulated) */
	char label[64];
	double y, label_y;
};

/* ---------------------------------------------------------------------
 * Scales
 * --------------------------------------------------------------------- */

/* Set the scales of c for p: x from 0 to the last point, y up to a doubling above the highest of
 * the peak, 8 MiB and the configured limit. */
static void set_scales(struct chart *c, const struct ma_process *p)
{
	const struct ma_timeline *tl = &p->timeline;
	const struct ma_tl_bucket *last = tl->n ? &tl->b[tl->n - 1] : NULL;
	uint64_t hi = UINT64_C(8) << 20;

	if (p->peak_locked > hi)
		hi = p->peak_locked;
	if (p->log.has_memlock_limit && p->log.memlock_limit > hi)
		hi = p->log.memlock_limit;
	c->tl = tl;
	c->top = ceil(log2((double)hi)) + 1;
	c->by_time = last && !tl->untimed && last->t_last > 0;
	c->x_max = !last ? 0 : c->by_time ? (double)last->t_last : (double)last->n_last;
	if (c->x_max <= 0)
		c->x_max = 1;
}

/* Return the horizontal position of x (time in ns, or event number). */
static double px(const struct chart *c, double x)
{
	return LEFT + x / c->x_max * PLOT_W;
}

/* Return the vertical position of a number of bytes. */
static double py(const struct chart *c, uint64_t bytes)
{
	double l = bytes < (UINT64_C(1) << LOG_FLOOR) ? LOG_FLOOR : log2((double)bytes);

	return TOP + PLOT_H - (l - LOG_FLOOR) / (c->top - LOG_FLOOR) * PLOT_H;
}

/* Return the x of the first (first) or last point of bucket b. */
static double bucket_x(const struct chart *c, const struct ma_tl_bucket *b, bool first)
{
	if (c->by_time)
		return (double)(first ? b->t_first : b->t_last);
	return (double)(first ? b->n_first : b->n_last);
}

/* Return a round step (1, 2 or 5 times a power of ten) near raw. */
static double nice_step(double raw)
{
	double mag, r;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	r = raw / mag;
	return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

/* ---------------------------------------------------------------------
 * Axes and limits
 * --------------------------------------------------------------------- */

/* Write the vertical axis: a grid line and a label at every second (or more) power of two. */
static void y_axis(FILE *out, const struct chart *c)
{
	int top = (int)c->top, range = top - LOG_FLOOR, step = range <= 16 ? 2 : (range + 7) / 8;
	char size[32];

	for (int k = LOG_FLOOR; k <= top && k < 64; k += step) {
		double y = py(c, UINT64_C(1) << k);

		fprintf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#e9ecef\"/>\n", LEFT, LEFT + PLOT_W, y, y);
		fprintf(out, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s%s</text>\n",
			LEFT - 6, y + 4, k == LOG_FLOOR ? "&#8804; " : "",
			exact_size_str(UINT64_C(1) << k, size, sizeof size));
	}
	fprintf(out, "<text class=\"axis-title\" transform=\"translate(14 %d) rotate(-90)\" "
		"text-anchor=\"middle\">locked bytes (log scale)</text>\n", TOP + PLOT_H / 2);
}

/* Write the horizontal axis: round ticks in the unit that suits the span, and its title. */
static void x_axis(FILE *out, const struct chart *c)
{
	static const struct { double ns; const char *name; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "&#181;s" }, { 1, "ns" },
	};
	double unit = 1, span, step;
	const char *name = "ns";

	for (size_t i = 0; c->by_time && i < sizeof units / sizeof units[0]; i++)
		if (c->x_max >= units[i].ns) {
			unit = units[i].ns;
			name = units[i].name;
			break;
		}
	span = c->x_max / unit;
	step = nice_step(span / 6);
	if (!c->by_time && step < 1)
		step = 1;
	for (int i = 0; i <= 12 && i * step <= span * (1 + 1e-9); i++) {
		double x = px(c, i * step * unit);

		fprintf(out, "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
			"stroke=\"#495057\"/>\n", x, x, TOP + PLOT_H, TOP + PLOT_H + 5);
		fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.6g"
			"</text>\n", x, TOP + PLOT_H + 18, i * step);
	}
	if (c->by_time)
		fprintf(out, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			"time since the program started (%s)</text>\n", LEFT + PLOT_W / 2,
			HEIGHT - 10, name);
	else
		fprintf(out, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			"event number (the log's seq)</text>\n", LEFT + PLOT_W / 2, HEIGHT - 10);
	fprintf(out, "<path class=\"axes\" d=\"M%d %dV%dH%d\" fill=\"none\" stroke=\"#495057\"/>\n",
		LEFT, TOP, TOP + PLOT_H, LEFT + PLOT_W);
}

/* Fill lines[] with the limit lines of p (the configured limit marks a standard one it equals);
 * return their number. */
static size_t limit_lines(const struct ma_process *p, struct limit_line *lines)
{
	static const uint64_t standard[] = { UINT64_C(32) << 10, UINT64_C(64) << 10, UINT64_C(8) << 20 };
	char size[32];
	size_t n = 0;
	bool merged = false;

	for (size_t i = 0; i < sizeof standard / sizeof standard[0]; i++, n++) {
		lines[n].bytes = standard[i];
		lines[n].configured = p->log.has_memlock_limit && p->log.memlock_limit == standard[i];
		merged = merged || lines[n].configured;
		snprintf(lines[n].label, sizeof lines[n].label, "%s%s",
			 exact_size_str(standard[i], size, sizeof size),
			 lines[n].configured ? " = configured limit" : "");
	}
	if (p->log.has_memlock_limit && !merged) {
		lines[n].bytes = p->log.memlock_limit;
		lines[n].configured = true;
		snprintf(lines[n].label, sizeof lines[n].label, "configured limit %s",
			 exact_size_str(p->log.memlock_limit, size, sizeof size));
		n++;
	}
	return n;
}

/* qsort: limit lines from the bottom of the chart up. */
static int cmp_lower(const void *a, const void *b)
{
	const struct limit_line *x = a, *y = b;

	return (x->y < y->y) - (x->y > y->y);
}

/* Write the limit lines of p, each labelled in the right margin; labels that would overlap move
 * up. */
static void limits(FILE *out, const struct chart *c, const struct ma_process *p)
{
	struct limit_line lines[MAX_LIMIT_LINES];
	size_t n = limit_lines(p, lines);

	for (size_t i = 0; i < n; i++)
		lines[i].y = lines[i].label_y = py(c, lines[i].bytes);
	qsort(lines, n, sizeof *lines, cmp_lower);
	for (size_t i = 1; i < n; i++)
		if (lines[i].label_y > lines[i - 1].label_y - LABEL_GAP)
			lines[i].label_y = lines[i - 1].label_y - LABEL_GAP;
	for (size_t i = 0; i < n; i++) {
		const struct limit_line *l = &lines[i];
		const char *colour = l->configured ? CONFIGURED_COLOUR
				     : l->bytes == UINT64_C(32) << 10 ? "#e67700"
				     : l->bytes == UINT64_C(64) << 10 ? "#d6336c"
								    : "#7048e8";

		fprintf(out, "<line class=\"limit%s\" data-limit=\"%" PRIu64 "\" x1=\"%d\" x2=\"%d\" "
			"y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
			l->configured ? " configured" : "", l->bytes, LEFT, LEFT + PLOT_W, l->y, l->y,
			colour, l->configured ? "2" : "1.5",
			l->configured ? "" : " stroke-dasharray=\"7 4\"");
		fprintf(out, "<text class=\"limit-label\" x=\"%d\" y=\"%.1f\" fill=\"%s\">%s</text>\n",
			LEFT + PLOT_W + 8, l->label_y + 4, colour, l->label);
	}
}

/* ---------------------------------------------------------------------
 * The series
 * --------------------------------------------------------------------- */

/* Print the point (x, y) of a polyline unless it repeats the previous one (*lx, *ly; negative
 * before the first point). */
static void point(FILE *out, double x, double y, double *lx, double *ly)
{
	if (fabs(x - *lx) < 0.05 && fabs(y - *ly) < 0.05)
		return;
	fprintf(out, "%s%.1f,%.1f", *lx < 0 ? "" : " ", x, y);
	*lx = x;
	*ly = y;
}

/* Write the step line of the locked bytes, from 0 at the start to the right edge: two corners
 * for each change. A bucket of several points rises to its highest value at its first point,
 * holds it to its last point and falls to its last value there, so that peaks show at any
 * downsampling. Buckets that change nothing add no corner. */
static void series(FILE *out, const struct chart *c)
{
	double lx = -1, ly = -1;
	uint64_t prev = 0;

	fprintf(out, "<polyline class=\"locked\" fill=\"none\" stroke=\"" LINE_COLOUR "\" "
		"stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
	point(out, px(c, 0), py(c, 0), &lx, &ly);
	for (size_t i = 0; i < c->tl->n; i++) {
		const struct ma_tl_bucket *b = &c->tl->b[i];
		double x0 = px(c, bucket_x(c, b, true)), x1 = px(c, bucket_x(c, b, false));

		if (b->max == prev && b->last == prev)
			continue;
		point(out, x0, py(c, prev), &lx, &ly);
		point(out, x0, py(c, b->max), &lx, &ly);
		point(out, x1, py(c, b->max), &lx, &ly);
		point(out, x1, py(c, b->last), &lx, &ly);
		prev = b->last;
	}
	point(out, px(c, c->x_max), py(c, prev), &lx, &ly);
	fprintf(out, "\"/>\n");
}

/* Mark the first highest point of the series with its value. */
static void peak(FILE *out, const struct chart *c)
{
	const struct ma_tl_bucket *top = NULL;
	char size[32];
	double x, y;
	bool left;

	for (size_t i = 0; i < c->tl->n; i++)
		if (!top || c->tl->b[i].max > top->max)
			top = &c->tl->b[i];
	if (!top || !top->max)
		return;
	x = px(c, bucket_x(c, top, true));
	y = py(c, top->max);
	left = x > LEFT + PLOT_W * 0.7;
	fprintf(out, "<circle class=\"peak\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"" LINE_COLOUR
		"\"/>\n", x, y);
	fprintf(out, "<text class=\"peak-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
		"fill=\"" LINE_COLOUR "\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">peak %s"
		"</text>\n", left ? x - 7 : x + 7,
		y < TOP + 14 ? y + 16 : y - 7, left ? "end" : "start",
		size_str(top->max, size, sizeof size));
}

/* Write the legend above the plot. */
static void legend(FILE *out)
{
	fprintf(out, "<g class=\"legend\">"
		"<line x1=\"%d\" x2=\"%d\" y1=\"12\" y2=\"12\" stroke=\"" LINE_COLOUR "\" "
		"stroke-width=\"2\"/><text x=\"%d\" y=\"16\">locked bytes after each call</text>"
		"<line x1=\"%d\" x2=\"%d\" y1=\"12\" y2=\"12\" stroke=\"#495057\" "
		"stroke-dasharray=\"7 4\"/><text x=\"%d\" y=\"16\">RLIMIT_MEMLOCK what-if limit</text>"
		"<line x1=\"%d\" x2=\"%d\" y1=\"12\" y2=\"12\" stroke=\"" CONFIGURED_COLOUR "\" "
		"stroke-width=\"2\"/><text x=\"%d\" y=\"16\">configured limit</text></g>\n",
		LEFT, LEFT + 24, LEFT + 30, LEFT + 230, LEFT + 254, LEFT + 260, LEFT + 460,
		LEFT + 484, LEFT + 490);
}

/* Write the caption: what the axes are, and the downsampling when there was some. */
static void caption(FILE *out, const struct chart *c, const struct ma_process *p)
{
	char size[32];

	fprintf(out, "<figcaption>Bytes locked after each call, as memaudit counts them, against "
		"RLIMIT_MEMLOCK limits of 32 KiB, 64 KiB and 8 MiB (what a process without "
		"CAP_IPC_LOCK would be allowed) and the configured limit");
	if (p->log.has_memlock_limit)
		fprintf(out, " (%s)", exact_size_str(p->log.memlock_limit, size, sizeof size));
	else
		fprintf(out, ", which is unlimited or unknown here: no line");
	fprintf(out, ". Vertical scale: logarithmic (base 2) from 1 KiB; smaller values, 0 "
		"included, lie on the bottom line. Horizontal: %s. ",
		c->by_time ? "time since the program started"
			   : "event number (some events carry no time)");
	if (!c->tl->points)
		fprintf(out, "No call changed the locked bytes.");
	else if (c->tl->stride > 1)
		fprintf(out, "%" PRIu64 " points, downsampled to %zu of up to %" PRIu64
			" points each; each keeps the highest value of its points.", c->tl->points,
			c->tl->n, c->tl->stride);
	else
		fprintf(out, "%" PRIu64 " point%s, all drawn.", c->tl->points,
			plural(c->tl->points));
	fprintf(out, "</figcaption>\n");
}

/* Write the chart of p; see report_svg.h. */
void ma_svg_timeline(FILE *out, const struct ma_process *p)
{
	struct chart c;

	set_scales(&c, p);
	fprintf(out, "<figure class=\"timeline\">\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
		"role=\"img\" aria-label=\"locked bytes over time against the RLIMIT_MEMLOCK "
		"limits\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#212529\">\n",
		WIDTH, HEIGHT);
	legend(out);
	y_axis(out, &c);
	x_axis(out, &c);
	limits(out, &c, p);
	series(out, &c);
	peak(out, &c);
	fprintf(out, "</svg>\n");
	caption(out, &c, p);
	fprintf(out, "</figure>\n");
}
