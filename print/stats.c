/* stats.c - the period statistics table (stats/stats.h) as the A4
 * landscape PDF an office files with the county: the title, the period,
 * the office, the day it was made and the day its figures stand at; then
 * the table a group of columns at a time (some forty columns do not fit
 * one page's width), each group a table of its own under its caption with
 * a row per village (member, township, county) and the total row 合计;
 * the median delay of the late police reports as one more column of the
 * reports; the signature line after the last group; "page N of M" at each
 * foot.
 *
 * "of M" needs the page count first: the pages are laid out twice by one
 * function, once to count them and once to draw, so both passes cut the
 * pages at the same rows. The file is written whole or not at all
 * (print_pdf_pages), mode 0600 like the roster. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"

#define HEAD_LINES 3   /* a column's label wraps to at most this many */
#define NAME_LINES 2   /* a row's name wraps to at most this many */
#define NAME_W_MIN 90.0  /* the name column's width, least and most */
#define NAME_W_MAX 170.0
#define NUM_MAX 64.0   /* a number column's widest */
#define GROUP_GAP 10.0 /* between two groups' tables */
#define MAX_COLS (STATS_NCOLS + 2) /* the name, a group's, the median */

/* What a column of a group's table shows. */
enum cell_kind { CELL_NAME, CELL_COUNT, CELL_MEDIAN };

/* One group's table on the page. */
struct gtable {
	enum stats_group group;
	struct print_grid g;
	double x[MAX_COLS], w[MAX_COLS];
	const char *label[MAX_COLS];
	enum cell_kind kind[MAX_COLS];
	enum stats_col col[MAX_COLS]; /* for CELL_COUNT */
};

/* The document being laid out (draw 0) or drawn (draw 1). */
struct doc {
	const struct stats_table *t;
	struct print_pen pen;
	char office_name[288], office[40], title[512], period[256];
	int draw;
	size_t page, npages; /* the page being laid out (1 ..), of npages */
	double y, bottom;    /* where the next thing goes; where rows end */
	double name_w;       /* the name column's width */
	double *ys;          /* the rules under the rows of a block */
};

/* --- words ----------------------------------------------------------------- */

/* The row i of the table (nrows: the total); a table by none has only
 * its total. */
static const struct stats_row *row_at(const struct stats_table *t, size_t i)
{
	return i >= t->nrows || t->by == STATS_BY_NONE ? &t->total : &t->rows[i];
}

static size_t row_count(const struct stats_table *t)
{
	return (t->by == STATS_BY_NONE ? 0 : t->nrows) + 1;
}

/* The text of cell c of row i. */
static const char *cell_text(const struct doc *d, const struct gtable *gt,
			     size_t i, size_t c, char *buf, size_t len)
{
	const struct stats_row *r = row_at(d->t, i);
	switch (gt->kind[c]) {
	case CELL_NAME:
		stats_row_title(d->t, i, buf, len);
		break;
	case CELL_COUNT:
		snprintf(buf, len, "%" PRIu64, r->v[gt->col[c]]);
		break;
	case CELL_MEDIAN:
		if (r->late_median_days < 0)
			buf[0] = '\0';
		else
			snprintf(buf, len, "%.1f", r->late_median_days);
		break;
	}
	return buf;
}

/* --- measures -------------------------------------------------------------- */

/* The name column's width: the widest name on one line, within bounds. */
static double name_width(struct doc *d)
{
	char buf[512];
	double most = 0;
	print_pen_lay(&d->pen, _(stats_by_label(d->t->by)), PRINT_BODY_PT, 1, 0, 1,
		      PANGO_ALIGN_LEFT);
	most = print_pen_width(&d->pen);
	for (size_t i = 0; i < row_count(d->t); i++) {
		stats_row_title(d->t, i, buf, sizeof(buf));
		print_pen_lay(&d->pen, buf, PRINT_BODY_PT, i + 1 == row_count(d->t),
			      0, 1, PANGO_ALIGN_LEFT);
		if (print_pen_width(&d->pen) > most)
			most = print_pen_width(&d->pen);
	}
	most += 2 * PRINT_PAD + 1;
	return most < NAME_W_MIN ? NAME_W_MIN : most > NAME_W_MAX ? NAME_W_MAX : most;
}

/* The widest figure of column c (any row) on one line. */
static double figure_width(struct doc *d, const struct gtable *gt, size_t c)
{
	char buf[64];
	double most = 0;
	for (size_t i = 0; i < row_count(d->t); i++) {
		print_pen_lay(&d->pen, cell_text(d, gt, i, c, buf, sizeof(buf)),
			      PRINT_BODY_PT, 1, 0, 1, PANGO_ALIGN_RIGHT);
		if (print_pen_width(&d->pen) > most)
			most = print_pen_width(&d->pen);
	}
	return most;
}

/* The widest word of s (words split at spaces; CJK text: all of it). */
static double widest_word(struct doc *d, const char *s)
{
	char word[256];
	double most = 0;
	while (*s) {
		size_t n = strcspn(s, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, s);
		print_pen_lay(&d->pen, word, PRINT_BODY_PT, 1, 0, 1, PANGO_ALIGN_LEFT);
		if (print_pen_width(&d->pen) > most)
			most = print_pen_width(&d->pen);
		s += n + (s[n] == ' ');
	}
	return most;
}

/* The widths of the figure columns. Each wants its label on one line
 * when short (six characters), else on two, and takes no less than on
 * three; never less than its widest figure, four characters or the
 * widest word of its brief label (which stands in for a label that does
 * not fit, gtable_make). When the
 * wants fit they are spread to fill the page, up to NUM_MAX a column (or
 * its label on one line, when a little wider);
 * else each gets its least and a like part of the rest; when not even
 * the leasts fit, all shrink alike. */
static void figure_widths(struct doc *d, struct gtable *gt, size_t n)
{
	print_pen_lay(&d->pen, "汉", PRINT_BODY_PT, 1, 0, 1, PANGO_ALIGN_LEFT);
	double cjk = print_pen_width(&d->pen);
	double avail = PRINT_PAGE_W - 2 * PRINT_MARGIN - d->name_w;
	double want[MAX_COLS], least[MAX_COLS], cap[MAX_COLS];
	double sum_want = 0, sum_least = 0;
	for (size_t c = 1; c < n; c++) {
		print_pen_lay(&d->pen, gt->label[c], PRINT_BODY_PT, 1, 0, 1,
			      PANGO_ALIGN_LEFT);
		double label = print_pen_width(&d->pen), fig = figure_width(d, gt, c);
		want[c] = label <= 6 * cjk ? label : label / 2 + cjk / 2;
		least[c] = label / HEAD_LINES + cjk / 2;
		double floor = fig > 4 * cjk ? fig : 4 * cjk;
		if (want[c] < floor)
			want[c] = floor;
		if (least[c] < fig)
			least[c] = fig;
		if (gt->kind[c] == CELL_COUNT) {
			double word = widest_word(d, _(stats_column(gt->col[c])->brief));
			if (least[c] < word)
				least[c] = word;
			if (want[c] < word)
				want[c] = word;
		}
		if (least[c] > want[c])
			least[c] = want[c];
		want[c] += 2 * PRINT_PAD + 1;
		least[c] += 2 * PRINT_PAD + 1;
		/* room to spare: up to the label on one line, if not long */
		cap[c] = label + 2 * PRINT_PAD + 1;
		if (cap[c] > 1.5 * NUM_MAX || cap[c] < NUM_MAX)
			cap[c] = NUM_MAX;
		if (cap[c] < want[c])
			cap[c] = want[c];
		sum_want += want[c];
		sum_least += least[c];
	}
	for (size_t c = 1; c < n; c++) {
		if (sum_want <= avail) {
			double w = want[c] + (avail - sum_want) / (double)(n - 1);
			gt->w[c] = w < cap[c] ? w : cap[c];
		} else if (sum_least <= avail) {
			gt->w[c] = least[c] + (want[c] - least[c]) *
					      (avail - sum_least) / (sum_want - sum_least);
		} else {
			gt->w[c] = least[c] * avail / sum_least;
		}
	}
}

/* Group g's columns, their widths and labels: a label that does not fit
 * its column in HEAD_LINES lines gives way to its brief. */
static void gtable_make(struct doc *d, struct gtable *gt, enum stats_group g)
{
	enum stats_col first, last;
	stats_group_columns(g, &first, &last);
	memset(gt, 0, sizeof(*gt));
	gt->group = g;
	size_t n = 0;
	gt->kind[n] = CELL_NAME;
	gt->label[n++] = _(stats_by_label(d->t->by));
	for (int c = (int)first; c <= (int)last && n < MAX_COLS - 1; c++) {
		gt->kind[n] = CELL_COUNT;
		gt->col[n] = (enum stats_col)c;
		gt->label[n++] = _(stats_column((enum stats_col)c)->label);
	}
	if (g == STATS_G_REPORTS) {
		gt->kind[n] = CELL_MEDIAN;
		gt->label[n++] = _(stats_median_label());
	}
	gt->w[0] = d->name_w;
	figure_widths(d, gt, n);
	gt->x[0] = PRINT_MARGIN;
	for (size_t c = 1; c < n; c++) {
		gt->x[c] = gt->x[c - 1] + gt->w[c - 1];
		print_pen_lay(&d->pen, gt->label[c], PRINT_BODY_PT, 1,
			      gt->w[c] - 2 * PRINT_PAD, HEAD_LINES,
			      PANGO_ALIGN_CENTER);
		if (print_pen_cut(&d->pen) && gt->kind[c] == CELL_COUNT)
			gt->label[c] = _(stats_column(gt->col[c])->brief);
	}
	double head = 0;
	for (size_t c = 0; c < n; c++) {
		double h = print_pen_lay(&d->pen, gt->label[c], PRINT_BODY_PT, 1,
					 gt->w[c] - 2 * PRINT_PAD, HEAD_LINES,
					 PANGO_ALIGN_CENTER);
		if (h > head)
			head = h;
	}
	gt->g.ncol = n;
	gt->g.x = gt->x;
	gt->g.w = gt->w;
	gt->g.label = gt->label;
	gt->g.head_h = head + 2 * PRINT_PAD + 2;
	gt->g.line_h = print_pen_lay(&d->pen, "汉0", PRINT_BODY_PT, 0, 0, 1,
				     PANGO_ALIGN_LEFT);
}

/* Row i's height: its name in one or two lines, padded. */
static double row_height(struct doc *d, const struct gtable *gt, size_t i)
{
	char buf[512];
	stats_row_title(d->t, i, buf, sizeof(buf));
	double h = print_pen_lay(&d->pen, buf, PRINT_BODY_PT, 0,
				 gt->w[0] - 2 * PRINT_PAD, NAME_LINES,
				 PANGO_ALIGN_LEFT);
	if (h < gt->g.line_h)
		h = gt->g.line_h;
	return h + 2 * PRINT_PAD;
}

/* --- pages ----------------------------------------------------------------- */

/* Lays out (and draws, when d->draw) the first page's head: the title,
 * the period, the office and the dates. Returns where the tables start. */
static double head_first(struct doc *d)
{
	const double w = PRINT_PAGE_W - 2 * PRINT_MARGIN;
	char buf[1024], office[512], asof[128], made[128];
	double y = PRINT_MARGIN;
	double h = print_pen_lay(&d->pen, d->title, PRINT_TITLE_PT, 1, w, 2,
				 PANGO_ALIGN_CENTER);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, y, 0);
	y += h + 4;
	snprintf(buf, sizeof(buf), _("Period: %s (%s)"), d->period,
		 d->t->period.label);
	h = print_pen_lay(&d->pen, buf, PRINT_INFO_PT + 1, 0, w, 1,
			  PANGO_ALIGN_CENTER);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, y, 0);
	y += h + 6;
	snprintf(office, sizeof(office), _("Office: %s (%s)"), d->office_name,
		 d->office);
	snprintf(asof, sizeof(asof), _("Figures as of: %s"), d->t->asof);
	snprintf(made, sizeof(made), _("Made on: %s"), d->t->made);
	snprintf(buf, sizeof(buf), "%s    %s    %s", office, asof, made);
	h = print_pen_lay(&d->pen, buf, PRINT_INFO_PT, 0, w, 2, PANGO_ALIGN_LEFT);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, y, 0);
	return y + h + 8;
}

/* A later page's head: the title and period, small and gray. */
static double head_next(struct doc *d)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s  %s", d->title, d->period);
	double h = print_pen_lay(&d->pen, buf, PRINT_INFO_PT, 0,
				 PRINT_PAGE_W - 2 * PRINT_MARGIN, 1,
				 PANGO_ALIGN_LEFT);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, PRINT_MARGIN, 0.35);
	return PRINT_MARGIN + h + 6;
}

/* Ends the page: its number at the foot, then the next page's head. */
static void page_break(struct doc *d)
{
	if (d->draw) {
		print_page_foot(&d->pen, d->page, d->npages, 1);
		cairo_show_page(d->pen.cr);
	}
	d->page++;
	d->y = head_next(d);
}

/* The group's caption at d->y ("(continued)" after a break). */
static void caption(struct doc *d, const struct gtable *gt, int cont)
{
	char buf[512];
	const char *label = _(stats_group_label(gt->group));
	if (cont)
		snprintf(buf, sizeof(buf), _("%s (continued)"), label);
	else
		snprintf(buf, sizeof(buf), "%s", label);
	double h = print_pen_lay(&d->pen, buf, PRINT_INFO_PT + 1, 1,
				 PRINT_PAGE_W - 2 * PRINT_MARGIN, 1,
				 PANGO_ALIGN_LEFT);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, d->y, 0);
	d->y += h + 3;
}

/* The caption's height, for the fit of a group's start. */
static double caption_height(struct doc *d)
{
	return print_pen_lay(&d->pen, "汉", PRINT_INFO_PT + 1, 1, 0, 1,
			     PANGO_ALIGN_LEFT) + 3;
}

/* Row i's cells at d->y, the total in bold. */
static void draw_row(struct doc *d, const struct gtable *gt, size_t i)
{
	char buf[512];
	int total = i + 1 == row_count(d->t);
	for (size_t c = 0; c < gt->g.ncol; c++) {
		const char *s = cell_text(d, gt, i, c, buf, sizeof(buf));
		if (*s == '\0')
			continue;
		int name = gt->kind[c] == CELL_NAME;
		print_pen_lay(&d->pen, s, PRINT_BODY_PT, total,
			      gt->w[c] - 2 * PRINT_PAD, name ? NAME_LINES : 1,
			      name ? (total ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT)
				   : PANGO_ALIGN_RIGHT);
		print_pen_show(&d->pen, gt->x[c] + PRINT_PAD, d->y + PRINT_PAD, 0);
	}
}

/* One group's table: its caption and header on each page it runs onto,
 * a row per row of the table and the total; a group starts on a new page
 * when its caption, header and first row do not fit. */
static void group(struct doc *d, enum stats_group g)
{
	struct gtable gt;
	gtable_make(d, &gt, g);
	size_t n = row_count(d->t);
	if (d->y + caption_height(d) + gt.g.head_h + row_height(d, &gt, 0) >
	    d->bottom)
		page_break(d);
	caption(d, &gt, 0);
	for (size_t i = 0; i < n;) {
		double top = d->y;
		size_t nys = 0;
		if (d->draw)
			print_grid_head(&d->pen, &gt.g, d->y, HEAD_LINES);
		d->y += gt.g.head_h;
		d->ys[nys++] = d->y;
		/* A page holds at least one row, however tall. */
		for (; i < n; i++) {
			double h = row_height(d, &gt, i);
			if (nys > 1 && d->y + h > d->bottom)
				break;
			if (d->draw)
				draw_row(d, &gt, i);
			d->y += h;
			d->ys[nys++] = d->y;
		}
		if (d->draw)
			print_grid_rules(d->pen.cr, &gt.g, top, d->ys, nys);
		if (i < n) {
			page_break(d);
			caption(d, &gt, 1);
		}
	}
	d->y += GROUP_GAP;
}

/* Every page: the head, the groups, the signature line (on a page of its
 * own when the last has no room), the page numbers. */
static void flow(struct doc *d)
{
	d->page = 1;
	d->bottom = PRINT_PAGE_H - PRINT_MARGIN -
		    print_page_foot(&d->pen, 1, 1, 0) - 6;
	d->y = head_first(d);
	for (int g = 0; g < STATS_NGROUPS; g++)
		group(d, (enum stats_group)g);
	double sign = print_sign_lay(&d->pen);
	if (d->y + 8 + sign > d->bottom)
		page_break(d);
	print_sign_lay(&d->pen);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, d->y + 8, 0);
	if (d->draw) {
		print_page_foot(&d->pen, d->page, d->npages, 1);
		cairo_show_page(d->pen.cr);
	}
}

/* print_pdf_pages' drawing: the pages counted, then drawn. */
static int draw_doc(cairo_t *cr, void *arg)
{
	struct doc *d = arg;
	if (print_pen_open(&d->pen, cr) != 0)
		return -1;
	d->ys = malloc((row_count(d->t) + 2) * sizeof(*d->ys));
	if (d->ys == NULL) {
		print_pen_close(&d->pen);
		return -1;
	}
	d->name_w = name_width(d);
	d->draw = 0;
	flow(d);
	d->npages = d->page;
	d->draw = 1;
	flow(d);
	free(d->ys);
	d->ys = NULL;
	print_pen_close(&d->pen);
	return 0;
}

int print_stats_pdf(const struct stats_table *t, const char *path,
		    struct xb_error *err)
{
	if (path == NULL || *path == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No file name was given for the statistics."));
	struct doc d;
	memset(&d, 0, sizeof(d));
	d.t = t;
	xb_printable(t->office_name, 0, d.office_name, sizeof(d.office_name));
	xb_printable(t->office, 0, d.office, sizeof(d.office));
	snprintf(d.title, sizeof(d.title),
		 _("%s Statistics of the Care and Protection of Rural "
		   "Left-behind Children"),
		 d.office_name[0] ? d.office_name : d.office);
	if (stats_scope_label(t) != NULL) {
		size_t used = strlen(d.title);
		snprintf(d.title + used, sizeof(d.title) - used, _(" (%s)"),
			 _(stats_scope_label(t)));
	}
	stats_period_title(&t->period, d.period, sizeof(d.period));
	struct print_out out;
	int rc = print_out_open(&out, path, err);
	if (rc != XB_OK)
		return rc;
	return print_pdf_pages(&out, d.title, draw_doc, &d, err);
}
