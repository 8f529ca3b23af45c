/* roster.c - the printed roster of children (花名册): an A4 landscape PDF
 * of the brief roster columns (form_roster_fields(1)), a 序号 column
 * first, the header row on every page, "page N of M" at each foot and the
 * signature line at the foot of the last page.
 *
 * "of M" needs the page count before the first page is drawn, so the rows
 * stream in but are kept: each child's cell texts, made printable, in one
 * block (about 150 bytes a child: 3 MB for 20,000). At close every row is
 * measured (its height: one or two lines a cell), the rows are cut into
 * pages, then drawn. The file is written beside its path and renamed
 * (common/safe_file.h), mode 0600: a roster names children; a failure
 * leaves no partial file.
 *
 * The words are the user's language (gettext); a roster made in Chinese
 * reads as the county expects: "<office>农村留守儿童花名册". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "print.h"
#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"
#include "../common/safe_file.h"
#include "../forms/forms.h"

/* The page and its fonts: private.h. */
#define PAGE_W PRINT_PAGE_W
#define PAGE_H PRINT_PAGE_H
#define MARGIN PRINT_MARGIN
#define BODY_PT PRINT_BODY_PT
#define TITLE_PT PRINT_TITLE_PT
#define INFO_PT PRINT_INFO_PT
#define PAD PRINT_PAD
#define CELL_LINES 2   /* a cell wraps to at most this many lines */

struct roster_pdf {
	struct print_out out;
	char *path;
	char *office_name, *office_code, *made_on, *filters;
	const struct form_field *const *fields;
	size_t nf;
	char **rows; /* each: nf NUL-terminated texts, one after another */
	size_t n, cap;
};

/* --- writing the file ------------------------------------------------------ */

static void roster_free(struct roster_pdf *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i]);
	free(r->rows);
	free(r->path);
	free(r->office_name);
	free(r->office_code);
	free(r->made_on);
	free(r->filters);
	free(r);
}

/* "label: value; label: value" of the filters, or NULL for none. */
static char *filter_words(const struct roster_head *h)
{
	size_t len = 1;
	for (size_t i = 0; i < h->nfilters; i++)
		len += strlen(h->filters[i].label) + strlen(h->filters[i].value) + 8;
	if (h->nfilters == 0)
		return NULL;
	char *s = malloc(len), *p = s;
	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < h->nfilters; i++)
		p += sprintf(p, "%s%s: %s", i ? "; " : "", h->filters[i].label,
			     h->filters[i].value);
	return s;
}

/* A printable copy of s (NULL: ""); outside text must not reach pango as
 * invalid UTF-8 or control characters. */
static char *text_dup(const char *s)
{
	return xb_printable_dup(s ? s : "", 0);
}

int roster_pdf_open(const char *path, const struct roster_head *head,
		    struct roster_pdf **out, struct xb_error *err)
{
	*out = NULL;
	if (path == NULL || *path == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No file name was given for the roster."));
	struct roster_pdf *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	r->out.f.fd = -1;
	r->fields = form_roster_fields(1, &r->nf);
	r->path = strdup(path);
	r->office_name = text_dup(head->office_name);
	r->office_code = text_dup(head->office_code);
	r->made_on = text_dup(head->made_on);
	char *fw = filter_words(head);
	r->filters = fw ? text_dup(fw) : NULL;
	int lost = head->nfilters > 0 && r->filters == NULL;
	free(fw);
	if (r->path == NULL || r->office_name == NULL || r->office_code == NULL ||
	    r->made_on == NULL || lost) {
		roster_free(r);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	/* Opened now so an unwritable folder is told before the rows are
	 * read; a roster names children: 0600 whatever the umask. */
	int rc = print_out_open(&r->out, r->path, err);
	if (rc != XB_OK) {
		roster_free(r);
		return rc;
	}
	*out = r;
	return XB_OK;
}

int roster_pdf_add(struct roster_pdf *r, const struct store_record *child,
		   struct xb_error *err)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		char **p = realloc(r->rows, cap * sizeof(*p));
		if (p == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		r->rows = p;
		r->cap = cap;
	}
	/* Each cell as a clerk reads it (a choice by its label), printable,
	 * one after another. */
	char *row = NULL;
	size_t len = 0;
	for (size_t i = 0; i < r->nf; i++) {
		const struct form_field *f = r->fields[i];
		int ret = print_row_put(&row, &len,
					form_value_text(f, store_record_get(child, f->key)), err);
		if (ret != XB_OK)
			return ret;
	}
	r->rows[r->n++] = row;
	return XB_OK;
}

size_t roster_pdf_count(const struct roster_pdf *r)
{
	return r->n;
}

void roster_pdf_abort(struct roster_pdf **rp)
{
	struct roster_pdf *r = *rp;
	if (r == NULL)
		return;
	*rp = NULL;
	print_out_abort(&r->out);
	roster_free(r);
}

/* --- layout ---------------------------------------------------------------- */

struct table {
	struct print_grid g;  /* nf + 1 columns: 序号 first */
	float *nat;           /* each cell's width on one line, row by row */
};

/* A sample of the widest text a column of fixed form holds, or NULL for
 * a column that takes a share of what is left. */
static const char *fixed_sample(const struct form_field *f)
{
	if (strcmp(f->key, FK_case_no) == 0)
		return "000000000-00000-0";
	switch (f->type) {
	case FORM_DATE: return "0000-00-00";
	case FORM_DATETIME: return "0000-00-00 00:00";
	case FORM_IDNUM: return "00000000000000000X";
	case FORM_PHONE: return "0000-00000000";
	case FORM_DIVISION: return "000000000000";
	case FORM_INT: return "0000";
	default: return NULL;
	}
}

/* The width of s in the body font (bold or not), on one line. */
static double text_width(struct print_pen *p, const char *s, int bold)
{
	print_pen_lay(p, s, BODY_PT, bold, 0, 1, PANGO_ALIGN_LEFT);
	return print_pen_width(p);
}

/* The widest label of a choice column. */
static double choice_width(struct print_pen *p, const struct form_field *f)
{
	double most = 0;
	for (const struct form_choice *ch = f->choices; ch && ch->code; ch++) {
		double w = text_width(p, form_choice_label(f, ch->code), 0);
		if (w > most)
			most = w;
	}
	return most;
}

/* The widest cell of column c (1 ..) in the rows. */
static double widest(const struct table *t, const struct roster_pdf *r, size_t c)
{
	double most = 0;
	for (size_t i = 0; i < r->n; i++)
		if (t->nat[i * r->nf + c - 1] > most)
			most = t->nat[i * r->nf + c - 1];
	return most;
}

/* Column widths by what a column holds. Each has a least and a wanted
 * width: a fixed form (dates, ID numbers, phones, the case number) wants
 * its sample's width and takes no less; a choice or text wants its
 * widest cell (up to eight characters) and takes four or three (it
 * wraps); a header takes at least half its label (two lines).
 * When all wants fit, the text columns share the rest alike; else each
 * column gets its least and a like part of what it wants beyond; when
 * not even the leasts fit, all shrink alike (their text is then cut). */
static void table_widths(struct print_pen *p, struct table *t, const struct roster_pdf *r)
{
	const double avail = PAGE_W - 2 * MARGIN, cjk = text_width(p, "汉", 0);
	double least[t->g.ncol], want[t->g.ncol], sum_least = 0, sum_want = 0;
	size_t ntext = 0;
	char num[32];
	snprintf(num, sizeof(num), "%zu", r->n > 99 ? r->n : 99);
	for (size_t c = 0; c < t->g.ncol; c++) {
		const struct form_field *f = c ? r->fields[c - 1] : NULL;
		const char *sample = c == 0 ? num : fixed_sample(f);
		/* A header of two characters stays on one line. */
		double head = text_width(p, t->g.label[c], 1);
		if (head > 2.5 * cjk)
			head /= CELL_LINES;
		if (sample != NULL) {
			least[c] = want[c] = text_width(p, sample, 0);
		} else {
			int choice = f->type == FORM_CHOICE || f->type == FORM_BOOL;
			double most = choice ? choice_width(p, f) : 8 * cjk;
			/* No rows: as if every choice or three characters. */
			want[c] = r->n ? widest(t, r, c) : choice ? most : 3 * cjk;
			if (want[c] > most)
				want[c] = most;
			if (want[c] > 8 * cjk)
				want[c] = 8 * cjk;
			least[c] = (choice ? 4 : 3) * cjk;
			if (least[c] > want[c])
				least[c] = want[c];
			ntext += !choice;
		}
		if (least[c] < head)
			least[c] = head;
		if (want[c] < least[c])
			want[c] = least[c];
		least[c] += 2 * PAD + 1;
		want[c] += 2 * PAD + 1;
		sum_least += least[c];
		sum_want += want[c];
	}
	for (size_t c = 0; c < t->g.ncol; c++) {
		const struct form_field *f = c ? r->fields[c - 1] : NULL;
		int text = c > 0 && fixed_sample(f) == NULL && f->type != FORM_CHOICE &&
			   f->type != FORM_BOOL;
		if (sum_want <= avail && ntext == 0)
			t->g.w[c] = want[c] * avail / sum_want;
		else if (sum_want <= avail)
			t->g.w[c] = want[c] + (text ? (avail - sum_want) / (double)ntext : 0);
		else if (sum_least <= avail)
			t->g.w[c] = least[c] + (want[c] - least[c]) * (avail - sum_least) /
						     (sum_want - sum_least);
		else
			t->g.w[c] = least[c] * avail / sum_least;
	}
	double x = MARGIN;
	for (size_t c = 0; c < t->g.ncol; c++) {
		t->g.x[c] = x;
		x += t->g.w[c];
	}
}

/* The cell texts of row i, one after another. */
static const char *row_cell(const struct roster_pdf *r, size_t i, size_t col,
			    char *num, size_t len)
{
	if (col == 0) {
		snprintf(num, len, "%zu", i + 1);
		return num;
	}
	const char *s = r->rows[i];
	for (size_t k = 1; k < col; k++)
		s += strlen(s) + 1;
	return s;
}

/* A row's height, padded: two lines when a cell is wider than its
 * column on one line (pango then wraps it, to two lines at most), else
 * one; exact without laying the cells out again. */
static double row_height(const struct table *t, const struct roster_pdf *r, size_t i)
{
	for (size_t c = 1; c < t->g.ncol; c++)
		if (t->nat[i * r->nf + c - 1] > t->g.w[c] - 2 * PAD)
			return CELL_LINES * t->g.line_h + 2 * PAD;
	return t->g.line_h + 2 * PAD;
}

/* --- pages ----------------------------------------------------------------- */

struct pages {
	size_t npages;
	size_t *first;   /* the first row of each page; first[npages] = n */
	double top1;     /* where the table starts on page 1 */
	double topn;     /* on the pages after */
	double bottom;   /* where rows end (above the page number) */
	double sign_h;   /* the signature line's room on the last page */
};

/* The title: "<office>农村留守儿童花名册". */
static void title_text(const struct roster_pdf *r, char *buf, size_t len)
{
	snprintf(buf, len, _("%s Roster of Rural Left-behind Children"),
		 *r->office_name ? r->office_name : r->office_code);
}

/* Draws page 1's head (title, office, date, count, filters) when draw,
 * and returns where the table starts. */
static double head_first(struct print_pen *p, const struct roster_pdf *r, int draw)
{
	char buf[1024], line[1024];
	double y = MARGIN, w = PAGE_W - 2 * MARGIN;
	title_text(r, buf, sizeof(buf));
	double h = print_pen_lay(p, buf, TITLE_PT, 1, w, 1, PANGO_ALIGN_CENTER);
	if (draw)
		print_pen_show(p, MARGIN, y, 0);
	y += h + 6;
	char made[128], count[64];
	snprintf(line, sizeof(line), _("Office: %s (%s)"), r->office_name,
		 r->office_code);
	snprintf(made, sizeof(made), _("Made on: %s"), r->made_on);
	snprintf(count, sizeof(count), _("Children: %zu"), r->n);
	snprintf(buf, sizeof(buf), "%.700s    %.120s    %.60s", line, made, count);
	h = print_pen_lay(p, buf, INFO_PT, 0, w, 1, PANGO_ALIGN_LEFT);
	if (draw)
		print_pen_show(p, MARGIN, y, 0);
	y += h + 2;
	snprintf(buf, sizeof(buf), _("Filters: %s"),
		 r->filters ? r->filters : _("none (all children)"));
	h = print_pen_lay(p, buf, INFO_PT, 0, w, 2, PANGO_ALIGN_LEFT);
	if (draw)
		print_pen_show(p, MARGIN, y, 0);
	return y + h + 6;
}

/* Draws the head of a later page (the title, smaller) when draw; returns
 * where the table starts. */
static double head_next(struct print_pen *p, const struct roster_pdf *r, int draw)
{
	char buf[1024];
	title_text(r, buf, sizeof(buf));
	double h = print_pen_lay(p, buf, INFO_PT, 0, PAGE_W - 2 * MARGIN, 1,
			   PANGO_ALIGN_LEFT);
	if (draw)
		print_pen_show(p, MARGIN, MARGIN, 0.35);
	return MARGIN + h + 4;
}

/* Cuts the rows into pages by their heights: the header row on each, the
 * last page with room for the signature line. */
static int paginate(struct print_pen *p, const struct table *t, const struct roster_pdf *r,
		    const float *heights, struct pages *pg)
{
	pg->top1 = head_first(p, r, 0);
	pg->topn = head_next(p, r, 0);
	pg->bottom = PAGE_H - MARGIN - print_page_foot(p, 1, 1, 0) - 6;
	pg->sign_h = print_sign_lay(p) + 14;
	size_t cap = 16;
	pg->first = malloc(cap * sizeof(*pg->first));
	if (pg->first == NULL)
		return -1;
	pg->npages = 1;
	pg->first[0] = 0;
	double y = pg->top1 + t->g.head_h;
	for (size_t i = 0; i < r->n; i++) {
		/* A page holds at least one row, however tall. */
		if (y + heights[i] > pg->bottom && i > pg->first[pg->npages - 1]) {
			if (pg->npages + 1 >= cap) {
				size_t *q = realloc(pg->first, 2 * cap * sizeof(*q));
				if (q == NULL)
					return -1;
				pg->first = q;
				cap *= 2;
			}
			pg->first[pg->npages++] = i;
			y = pg->topn + t->g.head_h;
		}
		y += heights[i];
	}
	if (r->n == 0)
		y += t->g.line_h + 2 * PAD; /* "no child" */
	if (y + pg->sign_h > pg->bottom) {
		if (pg->npages + 1 >= cap) {
			size_t *q = realloc(pg->first, (cap + 1) * sizeof(*q));
			if (q == NULL)
				return -1;
			pg->first = q;
		}
		pg->first[pg->npages++] = r->n; /* the signature alone */
	}
	pg->first[pg->npages] = r->n;
	return 0;
}

/* One page: its head, the header row, its rows, the grid, the signature
 * on the last, the page number. */
static void draw_page(struct print_pen *p, const struct table *t, const struct roster_pdf *r,
		      const float *heights, const struct pages *pg, size_t page,
		      double *ys)
{
	double top = page == 0 ? head_first(p, r, 1) : head_next(p, r, 1);
	size_t from = pg->first[page], to = pg->first[page + 1];
	int last = page + 1 == pg->npages;
	char num[32];
	double y = top;
	size_t nys = 0;
	if (from < to || r->n == 0 || page == 0) {
		print_grid_head(p, &t->g, y, CELL_LINES);
		y += t->g.head_h;
		ys[nys++] = y;
		for (size_t i = from; i < to; i++) {
			for (size_t c = 0; c < t->g.ncol; c++) {
				const char *s = row_cell(r, i, c, num, sizeof(num));
				if (*s == '\0')
					continue;
				print_pen_lay(p, s, BODY_PT, 0, t->g.w[c] - 2 * PAD, CELL_LINES,
					c == 0 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
				print_pen_show(p, t->g.x[c] + PAD, y + PAD, 0);
			}
			y += heights[i];
			ys[nys++] = y;
		}
		if (r->n == 0) {
			double right = t->g.x[t->g.ncol - 1] + t->g.w[t->g.ncol - 1];
			print_pen_lay(p, _("No child matches."), BODY_PT, 0, right - t->g.x[0],
				1, PANGO_ALIGN_CENTER);
			print_pen_show(p, t->g.x[0], y + PAD, 0);
			y += t->g.line_h + 2 * PAD;
			/* one frame around the note */
			struct print_grid one = t->g;
			double x0 = t->g.x[0], w0 = right - t->g.x[0];
			one.ncol = 1;
			one.x = &x0;
			one.w = &w0;
			double ye = y;
			print_grid_rules(p->cr, &one, top + t->g.head_h, &ye, 1);
		}
		print_grid_rules(p->cr, &t->g, top, ys, nys);
	}
	if (last) {
		double sy = pg->bottom - pg->sign_h + 14;
		print_sign_lay(p);
		print_pen_show(p, MARGIN, sy, 0);
	}
	print_page_foot(p, page + 1, pg->npages, 1);
}

/* The table's columns: 序号 and the roster's fields' labels. */
static int table_make(struct print_pen *p, struct table *t, const struct roster_pdf *r)
{
	t->g.ncol = r->nf + 1;
	t->g.x = calloc(t->g.ncol, sizeof(*t->g.x));
	t->g.w = calloc(t->g.ncol, sizeof(*t->g.w));
	t->g.label = calloc(t->g.ncol, sizeof(*t->g.label));
	if (t->g.x == NULL || t->g.w == NULL || t->g.label == NULL)
		return -1;
	t->nat = malloc((r->n ? r->n : 1) * r->nf * sizeof(*t->nat));
	if (t->nat == NULL)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		const char *s = r->rows[i];
		for (size_t c = 0; c < r->nf; c++) {
			t->nat[i * r->nf + c] = *s ? (float)text_width(p, s, 0) : 0;
			s += strlen(s) + 1;
		}
	}
	t->g.label[0] = _("No.");
	for (size_t c = 1; c < t->g.ncol; c++)
		t->g.label[c] = form_label(r->fields[c - 1]);
	table_widths(p, t, r);
	t->g.line_h = print_pen_lay(p, "汉0", BODY_PT, 0, 0, 1, PANGO_ALIGN_LEFT);
	t->g.head_h = 0;
	for (size_t c = 0; c < t->g.ncol; c++) {
		double h = print_pen_lay(p, t->g.label[c], BODY_PT, 1, t->g.w[c] - 2 * PAD,
				   CELL_LINES, PANGO_ALIGN_CENTER);
		if (h > t->g.head_h)
			t->g.head_h = h;
	}
	t->g.head_h += 2 * PAD + 2;
	return 0;
}

static void table_free(struct table *t)
{
	free(t->g.x);
	free(t->g.w);
	free(t->g.label);
	free(t->nat);
}

/* Measures, cuts into pages and draws every page on cr; -1 when memory
 * ran out. */
static int render(cairo_t *cr, const struct roster_pdf *r, size_t *npages)
{
	struct print_pen p;
	struct table t = { 0 };
	struct pages pg = { 0 };
	float *heights = NULL;
	double *ys = NULL;
	int rc = -1;
	if (print_pen_open(&p, cr) != 0)
		return -1;
	if (table_make(&p, &t, r) != 0)
		goto out;
	heights = malloc((r->n ? r->n : 1) * sizeof(*heights));
	if (heights == NULL)
		goto out;
	for (size_t i = 0; i < r->n; i++)
		heights[i] = (float)row_height(&t, r, i);
	if (paginate(&p, &t, r, heights, &pg) != 0)
		goto out;
	size_t most = 0;
	for (size_t k = 0; k < pg.npages; k++)
		if (pg.first[k + 1] - pg.first[k] > most)
			most = pg.first[k + 1] - pg.first[k];
	ys = malloc((most + 2) * sizeof(*ys));
	if (ys == NULL)
		goto out;
	for (size_t k = 0; k < pg.npages; k++) {
		draw_page(&p, &t, r, heights, &pg, k, ys);
		cairo_show_page(cr);
		if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
			break;
	}
	*npages = pg.npages;
	rc = 0;
out:
	free(ys);
	free(pg.first);
	free(heights);
	table_free(&t);
	print_pen_close(&p);
	return rc;
}

/* What render draws, and the pages it drew. */
struct render_job {
	const struct roster_pdf *r;
	size_t npages;
};

static int render_job(cairo_t *cr, void *arg)
{
	struct render_job *job = arg;
	return render(cr, job->r, &job->npages);
}

int roster_pdf_close(struct roster_pdf **rp, size_t *pages, struct xb_error *err)
{
	struct roster_pdf *r = *rp;
	struct render_job job = { r, 0 };
	*rp = NULL;
	if (pages)
		*pages = 0;
	char title[512];
	title_text(r, title, sizeof(title));
	int rc = print_pdf_pages(&r->out, title, render_job, &job, err);
	if (rc == XB_OK && pages)
		*pages = job.npages;
	roster_free(r);
	return rc;
}
