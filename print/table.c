/* table.c - a printed list as an A4 landscape table of text cells: a
 * title and lines of information on the first page, rows under a header
 * row, optionally in sections each under a heading of its own (the
 * overdue children village by village), "page N of M" at each foot and
 * the signature line after the last row. The printed lists (lists.c) are
 * made of it; the pen, the grid, the foot and the file are page.c's, as
 * for the roster and the statistics.
 *
 * The rows are kept until close (the page count comes first), then laid
 * out twice by one function: once to count the pages, once to draw them,
 * so both passes cut the pages at the same rows. A cell wider than its
 * column wraps to two lines, the rest cut with an ellipsis. The file is
 * written beside its path and renamed, mode 0600 (print_out). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"

#define CELL_LINES 2    /* a cell wraps to at most this many lines */
#define FLEX_MAX_CJK 14 /* a column that shares the rest wants at most this */
#define SECTION_GAP 8.0 /* above a section's heading */

/* One kept item: a section's heading, or a row's cells one after another. */
struct item {
	int heading;
	char *text;
};

struct print_table {
	struct print_out out;
	char *path, *title;
	char **info;
	size_t ninfo;
	struct print_table_col *cols;
	size_t ncol;
	struct item *items;
	size_t n, cap, rows;
};

/* --- keeping what is added ------------------------------------------------ */

static void table_free(struct print_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->items[i].text);
	free(t->items);
	for (size_t i = 0; i < t->ninfo; i++)
		free(t->info[i]);
	free(t->info);
	for (size_t c = 0; c < t->ncol && t->cols; c++)
		free((char *)t->cols[c].label);
	free(t->cols);
	free(t->path);
	free(t->title);
	free(t);
}

/* A printable copy of s (NULL: ""): outside text reaches pango neither as
 * invalid UTF-8 nor with control characters. */
static char *text_dup(const char *s)
{
	return xb_printable_dup(s ? s : "", 0);
}

int print_table_open(const char *path, const char *title, const char *const *info,
		     size_t ninfo, const struct print_table_col *cols, size_t ncol,
		     struct print_table **out, struct xb_error *err)
{
	*out = NULL;
	if (path == NULL || *path == '\0')
		return xb_fail(err, XB_EINVAL, _("No file name was given for the list."));
	struct print_table *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	t->out.f.fd = -1;
	t->path = strdup(path);
	t->title = text_dup(title);
	t->info = calloc(ninfo ? ninfo : 1, sizeof(*t->info));
	t->cols = calloc(ncol ? ncol : 1, sizeof(*t->cols));
	int lost = t->path == NULL || t->title == NULL || t->info == NULL || t->cols == NULL;
	for (size_t i = 0; !lost && i < ninfo; i++, t->ninfo++)
		lost = (t->info[i] = text_dup(info[i])) == NULL;
	for (size_t c = 0; !lost && c < ncol; c++, t->ncol++) {
		t->cols[c] = cols[c];
		lost = (t->cols[c].label = text_dup(cols[c].label)) == NULL;
	}
	if (lost) {
		table_free(t);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	/* Opened now: an unwritable folder is told before any row is read. */
	int rc = print_out_open(&t->out, t->path, err);
	if (rc != XB_OK) {
		table_free(t);
		return rc;
	}
	*out = t;
	return XB_OK;
}

static int item_add(struct print_table *t, int heading, char *text, struct xb_error *err)
{
	if (text == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct item *p = realloc(t->items, cap * sizeof(*p));
		if (p == NULL) {
			free(text);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		t->items = p;
		t->cap = cap;
	}
	t->items[t->n++] = (struct item){ heading, text };
	return XB_OK;
}

int print_table_section(struct print_table *t, const char *heading,
			struct xb_error *err)
{
	return item_add(t, 1, text_dup(heading), err);
}

int print_table_row(struct print_table *t, const char *const *cells,
		    struct xb_error *err)
{
	char *row = NULL;
	size_t len = 0;
	int ret = XB_OK;
	for (size_t c = 0; ret == XB_OK && c < t->ncol; c++)
		ret = print_row_put(&row, &len, cells[c], err);
	if (ret == XB_OK)
		ret = item_add(t, 0, row, err);
	if (ret == XB_OK)
		t->rows++;
	return ret;
}

size_t print_table_rows(const struct print_table *t)
{
	return t->rows;
}

void print_table_abort(struct print_table **tp)
{
	struct print_table *t = *tp;
	if (t == NULL)
		return;
	*tp = NULL;
	print_out_abort(&t->out);
	table_free(t);
}

/* --- layout ---------------------------------------------------------------- */

/* The document laid out (draw 0) or drawn (draw 1). */
struct doc {
	const struct print_table *t;
	struct print_pen pen;
	struct print_grid g;
	int draw;
	size_t page, npages; /* the page being laid out (1 ..), of npages */
	double y, bottom;    /* where the next thing goes; where rows end */
	double top;          /* where the block of rows on the page began */
	double *ys;          /* the rules under the rows of the block */
	size_t nys;
	int in_block;        /* a header row is drawn and rows follow it */
	const char *section; /* the heading of the section under way */
};

/* The cell texts of a row, one after another: column c's. */
static const char *row_cell(const char *row, size_t c)
{
	while (c-- > 0)
		row += strlen(row) + 1;
	return row;
}

static double text_width(struct print_pen *p, const char *s, int bold)
{
	print_pen_lay(p, s, PRINT_BODY_PT, bold, 0, 1, PANGO_ALIGN_LEFT);
	return print_pen_width(p);
}

/* The least width a header label takes on at most two lines: half of
 * it, but never less than its longest word (a label of two characters
 * stays on one line). */
static double label_width(struct doc *d, const char *label, double cjk)
{
	double whole = text_width(&d->pen, label, 1);
	if (whole <= 2.5 * cjk)
		return whole;
	double most = whole / CELL_LINES;
	char word[256];
	for (const char *s = label; *s;) {
		size_t k = strcspn(s, " ");
		if (k > 0 && k < sizeof(word)) {
			memcpy(word, s, k);
			word[k] = '\0';
			double w = text_width(&d->pen, word, 1);
			if (w > most)
				most = w;
		}
		s += k;
		s += strspn(s, " ");
	}
	return most;
}

/* Column widths: a fixed column takes its widest cell (or its label's
 * widest half) and is never wrapped; the others want their widest cell up
 * to FLEX_MAX_CJK characters and share what is left. When the fixed and
 * wanted widths do not fit, the others shrink alike down to four
 * characters, then all shrink alike. */
static void widths(struct doc *d)
{
	const struct print_table *t = d->t;
	const double avail = PRINT_PAGE_W - 2 * PRINT_MARGIN;
	const double cjk = text_width(&d->pen, "汉", 0);
	double want[t->ncol], least[t->ncol], sum_want = 0, sum_least = 0, sum_flex = 0;
	for (size_t c = 0; c < t->ncol; c++) {
		double head = label_width(d, t->cols[c].label, cjk);
		double most = head;
		for (size_t i = 0; i < t->n; i++) {
			if (t->items[i].heading)
				continue;
			double w = text_width(&d->pen, row_cell(t->items[i].text, c), 0);
			if (w > most)
				most = w;
		}
		if (t->cols[c].fixed) {
			want[c] = least[c] = most;
		} else {
			want[c] = most < FLEX_MAX_CJK * cjk ? most : FLEX_MAX_CJK * cjk;
			least[c] = want[c] < 4 * cjk ? want[c] : 4 * cjk;
			if (least[c] < head)
				least[c] = head;
			if (want[c] < least[c])
				want[c] = least[c];
			sum_flex += want[c] + 2 * PRINT_PAD + 1;
		}
		want[c] += 2 * PRINT_PAD + 1;
		least[c] += 2 * PRINT_PAD + 1;
		sum_want += want[c];
		sum_least += least[c];
	}
	for (size_t c = 0; c < t->ncol; c++) {
		if (sum_want <= avail && sum_flex > 0)
			d->g.w[c] = want[c] + (t->cols[c].fixed ? 0 : (avail - sum_want) *
								  want[c] / sum_flex);
		else if (sum_want <= avail)
			d->g.w[c] = want[c] * avail / sum_want;
		else if (sum_least <= avail)
			d->g.w[c] = least[c] + (want[c] - least[c]) * (avail - sum_least) /
						       (sum_want - sum_least);
		else
			d->g.w[c] = least[c] * avail / sum_least;
	}
	double x = PRINT_MARGIN;
	for (size_t c = 0; c < t->ncol; c++) {
		d->g.x[c] = x;
		x += d->g.w[c];
	}
}

/* A row's height: two lines when a cell does not fit its column on one. */
static double row_height(struct doc *d, const char *row)
{
	for (size_t c = 0; c < d->t->ncol; c++) {
		const char *s = row_cell(row, c);
		if (*s && text_width(&d->pen, s, 0) > d->g.w[c] - 2 * PRINT_PAD)
			return CELL_LINES * d->g.line_h + 2 * PRINT_PAD;
	}
	return d->g.line_h + 2 * PRINT_PAD;
}

/* The first page's head: the title, then each line of information. */
static void head_first(struct doc *d)
{
	double w = PRINT_PAGE_W - 2 * PRINT_MARGIN;
	double h = print_pen_lay(&d->pen, d->t->title, PRINT_TITLE_PT, 1, w, 1,
				 PANGO_ALIGN_CENTER);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, d->y, 0);
	d->y += h + 6;
	for (size_t i = 0; i < d->t->ninfo; i++) {
		h = print_pen_lay(&d->pen, d->t->info[i], PRINT_INFO_PT, 0, w, 2,
				  PANGO_ALIGN_LEFT);
		if (d->draw)
			print_pen_show(&d->pen, PRINT_MARGIN, d->y, 0);
		d->y += h + 2;
	}
	d->y += 4;
}

/* A later page's head: the title, small and grey. */
static void head_next(struct doc *d)
{
	double h = print_pen_lay(&d->pen, d->t->title, PRINT_INFO_PT, 0,
				 PRINT_PAGE_W - 2 * PRINT_MARGIN, 1, PANGO_ALIGN_LEFT);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, d->y, 0.35);
	d->y += h + 4;
}

/* Closes the block of rows under way: its rules. */
static void block_end(struct doc *d)
{
	if (d->in_block && d->draw && d->nys > 0)
		print_grid_rules(d->pen.cr, &d->g, d->top, d->ys, d->nys);
	d->in_block = 0;
	d->nys = 0;
}

/* The foot of the page, and a new page with its head. */
static void page_break(struct doc *d)
{
	block_end(d);
	if (d->draw) {
		print_page_foot(&d->pen, d->page, d->npages, 1);
		cairo_show_page(d->pen.cr);
	}
	d->page++;
	d->y = PRINT_MARGIN;
	head_next(d);
}

static double heading_height(struct doc *d, const char *s)
{
	return print_pen_lay(&d->pen, s, PRINT_INFO_PT + 1, 1,
			     PRINT_PAGE_W - 2 * PRINT_MARGIN, 2, PANGO_ALIGN_LEFT);
}

/* A section's heading, "(continued)" after it on a page it runs onto. */
static void heading(struct doc *d, const char *s, int cont)
{
	char buf[PRINT_CELL_MAX + 64];
	if (cont)
		snprintf(buf, sizeof(buf), _("%s (continued)"), s);
	else
		snprintf(buf, sizeof(buf), "%s", s);
	double h = heading_height(d, buf);
	if (d->draw)
		print_pen_show(&d->pen, PRINT_MARGIN, d->y, 0);
	d->y += h + 3;
}

/* The header row, starting a block of rows. */
static void block_start(struct doc *d)
{
	d->top = d->y;
	if (d->draw)
		print_grid_head(&d->pen, &d->g, d->y, CELL_LINES);
	d->y += d->g.head_h;
	d->ys[0] = d->y;
	d->nys = 1;
	d->in_block = 1;
}

static void draw_row(struct doc *d, const char *row, double h)
{
	if (d->draw)
		for (size_t c = 0; c < d->t->ncol; c++) {
			const char *s = row_cell(row, c);
			if (*s == '\0')
				continue;
			print_pen_lay(&d->pen, s, PRINT_BODY_PT, 0, d->g.w[c] - 2 * PRINT_PAD,
				      CELL_LINES,
				      d->t->cols[c].right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
			print_pen_show(&d->pen, d->g.x[c] + PRINT_PAD, d->y + PRINT_PAD, 0);
		}
	d->y += h;
	d->ys[d->nys++] = d->y;
}

/* Everything, page by page: the head, the sections and rows, the
 * signature line on the last page, the foot of each. */
static void flow(struct doc *d)
{
	const struct print_table *t = d->t;
	double row_min = d->g.line_h + 2 * PRINT_PAD;
	d->page = 1;
	d->y = PRINT_MARGIN;
	d->nys = 0;
	d->in_block = 0;
	d->section = NULL;
	head_first(d);
	for (size_t i = 0; i < t->n; i++) {
		const struct item *it = &t->items[i];
		if (it->heading) {
			block_end(d);
			/* A heading keeps its header row and a row with it. */
			double need = SECTION_GAP + heading_height(d, it->text) + 3 +
				      d->g.head_h + row_min;
			if (d->y + need > d->bottom)
				page_break(d);
			else if (i > 0)
				d->y += SECTION_GAP;
			d->section = it->text;
			heading(d, it->text, 0);
			block_start(d);
			continue;
		}
		double h = row_height(d, it->text);
		if (!d->in_block) {
			if (d->y + d->g.head_h + h > d->bottom) {
				page_break(d);
				if (d->section != NULL)
					heading(d, d->section, 1);
			}
			block_start(d);
		} else if (d->y + h > d->bottom && d->nys > 1) {
			page_break(d);
			if (d->section != NULL)
				heading(d, d->section, 1);
			block_start(d);
		}
		draw_row(d, it->text, h);
	}
	if (t->rows == 0) {
		block_end(d);
		double h = print_pen_lay(&d->pen, _("Nothing to list."), PRINT_INFO_PT + 1, 0,
					 PRINT_PAGE_W - 2 * PRINT_MARGIN, 1, PANGO_ALIGN_CENTER);
		if (d->draw)
			print_pen_show(&d->pen, PRINT_MARGIN, d->y + 6, 0);
		d->y += h + 12;
	}
	block_end(d);
	double sign = print_sign_lay(&d->pen) + 14;
	if (d->y + sign > d->bottom)
		page_break(d);
	if (d->draw) {
		print_sign_lay(&d->pen);
		print_pen_show(&d->pen, PRINT_MARGIN, d->bottom - sign + 14, 0);
		print_page_foot(&d->pen, d->page, d->npages, 1);
		cairo_show_page(d->pen.cr);
	}
	d->npages = d->page;
}

/* The grid: labels, widths, the heights of a line and of the header. */
static int grid_make(struct doc *d)
{
	const struct print_table *t = d->t;
	d->g.ncol = t->ncol;
	d->g.x = calloc(t->ncol, sizeof(*d->g.x));
	d->g.w = calloc(t->ncol, sizeof(*d->g.w));
	d->g.label = calloc(t->ncol, sizeof(*d->g.label));
	d->ys = malloc((t->n + 2) * sizeof(*d->ys));
	if (d->g.x == NULL || d->g.w == NULL || d->g.label == NULL || d->ys == NULL)
		return -1;
	for (size_t c = 0; c < t->ncol; c++)
		d->g.label[c] = t->cols[c].label;
	widths(d);
	d->g.line_h = print_pen_lay(&d->pen, "汉0", PRINT_BODY_PT, 0, 0, 1, PANGO_ALIGN_LEFT);
	d->g.head_h = 0;
	for (size_t c = 0; c < t->ncol; c++) {
		double h = print_pen_lay(&d->pen, d->g.label[c], PRINT_BODY_PT, 1,
					 d->g.w[c] - 2 * PRINT_PAD, CELL_LINES,
					 PANGO_ALIGN_CENTER);
		if (h > d->g.head_h)
			d->g.head_h = h;
	}
	d->g.head_h += 2 * PRINT_PAD + 2;
	d->bottom = PRINT_PAGE_H - PRINT_MARGIN - print_page_foot(&d->pen, 1, 1, 0) - 6;
	return 0;
}

/* What print_pdf_pages calls: lays out to count the pages, then draws. */
static int draw_doc(cairo_t *cr, void *arg)
{
	struct doc *d = arg;
	int rc = -1;
	if (print_pen_open(&d->pen, cr) != 0)
		return -1;
	if (grid_make(d) == 0) {
		d->draw = 0;
		flow(d);
		d->draw = 1;
		flow(d);
		rc = 0;
	}
	free(d->g.x);
	free(d->g.w);
	free(d->g.label);
	free(d->ys);
	print_pen_close(&d->pen);
	return rc;
}

int print_table_close(struct print_table **tp, size_t *pages, struct xb_error *err)
{
	struct print_table *t = *tp;
	*tp = NULL;
	if (pages)
		*pages = 0;
	if (t->ncol == 0) {
		print_out_abort(&t->out);
		table_free(t);
		return xb_fail(err, XB_EINVAL, _("A list needs at least one column."));
	}
	struct doc d = { .t = t };
	int rc = print_pdf_pages(&t->out, t->title, draw_doc, &d, err);
	if (rc == XB_OK && pages)
		*pages = d.npages;
	table_free(t);
	return rc;
}
