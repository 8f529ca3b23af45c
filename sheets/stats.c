/* stats.c - the period statistics table (stats/stats.h) as an .xlsx for
 * the county to read in Excel: the title (office and period), a row of
 * the office code and the days, a header of two rows (each group's label
 * merged over its columns, then each column's label), a row per village
 * (member, township, county), the total 合计; figures as numbers, the
 * median delay of the late police reports with one decimal after the
 * reports' columns (empty when there is none). The header and the name
 * column stay in view as the sheet scrolls. Written whole or not at all
 * (write.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/i18n.h"
#include "../common/printable.h"
#include "../stats/stats.h"
#include "private.h"

/* Columns: the name, every stats column, the median. */
#define NCELLS (STATS_NCOLS + 2)
#define HEAD_HEIGHT 45.0 /* the labels' row: three lines */

/* What column k (1 ..) of the sheet shows: a stats column, or the
 * median (STATS_NCOLS). Filled group by group, the median after the
 * reports' columns. */
struct layout {
	enum stats_col col[NCELLS];
	size_t ncells;
	size_t group_first[STATS_NGROUPS], group_n[STATS_NGROUPS];
};

static void layout_make(struct layout *l)
{
	l->ncells = 1;
	for (int g = 0; g < STATS_NGROUPS; g++) {
		enum stats_col first, last;
		stats_group_columns((enum stats_group)g, &first, &last);
		l->group_first[g] = l->ncells;
		for (int c = (int)first; c <= (int)last; c++)
			l->col[l->ncells++] = (enum stats_col)c;
		if (g == STATS_G_REPORTS)
			l->col[l->ncells++] = STATS_NCOLS;
		l->group_n[g] = l->ncells - l->group_first[g];
	}
}

/* The title row and the row of the office and the days. */
static int write_head(struct sheet_writer *w, const struct stats_table *t,
		      size_t ncells, struct xb_error *err)
{
	char name[sizeof(t->office_name) * 3], code[64], period[256];
	char title[1100], office[512], asof[128], made[128], line[1400];
	xb_printable(t->office_name, 0, name, sizeof(name));
	xb_printable(t->office, 0, code, sizeof(code));
	stats_period_title(&t->period, period, sizeof(period));
	char head[768];
	snprintf(head, sizeof(head),
		 _("%s Statistics of the Care and Protection of Rural "
		   "Left-behind Children"),
		 name[0] ? name : code);
	if (stats_scope_label(t) != NULL) {
		size_t used = strlen(head);
		snprintf(head + used, sizeof(head) - used, _(" (%s)"),
			 _(stats_scope_label(t)));
	}
	snprintf(title, sizeof(title), _("%s (%s)"), head, period);
	int ret = sheet_write_title(w, title, ncells, err);
	if (ret != XB_OK)
		return ret;
	char span[512];
	snprintf(span, sizeof(span), _("Period: %s (%s)"), period,
		 t->period.label);
	snprintf(office, sizeof(office), _("Office: %s (%s)"), name, code);
	snprintf(asof, sizeof(asof), _("Figures as of: %s"), t->asof);
	snprintf(made, sizeof(made), _("Made on: %s"), t->made);
	snprintf(line, sizeof(line), "%s    %s    %s    %s", span, office, asof,
		 made);
	struct sheet_out_cell cells[NCELLS] = { 0 };
	cells[0] = (struct sheet_out_cell){ SHEET_OUT_TEXT, line, 0,
					    (unsigned)ncells };
	return sheet_write_cells(w, cells, ncells, SHEET_OUT_NOTE, 0, err);
}

/* The two header rows: the groups, then the columns. */
static int write_header(struct sheet_writer *w, const struct stats_table *t,
			const struct layout *l, struct xb_error *err)
{
	struct sheet_out_cell cells[NCELLS] = { 0 };
	for (int g = 0; g < STATS_NGROUPS; g++)
		cells[l->group_first[g]] = (struct sheet_out_cell){
			SHEET_OUT_TEXT, _(stats_group_label((enum stats_group)g)), 0,
			(unsigned)l->group_n[g]
		};
	int ret = sheet_write_cells(w, cells, l->ncells, SHEET_OUT_HEAD, 0, err);
	if (ret != XB_OK)
		return ret;
	cells[0] = (struct sheet_out_cell){ SHEET_OUT_TEXT,
					    _(stats_by_label(t->by)), 0, 1 };
	for (size_t k = 1; k < l->ncells; k++)
		cells[k] = (struct sheet_out_cell){
			SHEET_OUT_TEXT,
			l->col[k] == STATS_NCOLS ? _(stats_median_label()) :
			_(stats_column(l->col[k])->label), 0, 1
		};
	ret = sheet_write_cells(w, cells, l->ncells, SHEET_OUT_HEAD, HEAD_HEIGHT,
				err);
	if (ret == XB_OK)
		sheet_writer_freeze(w, 1);
	return ret;
}

/* Row i of t (i == nrows: the total). */
static int write_row(struct sheet_writer *w, const struct stats_table *t,
		     const struct layout *l, size_t i, struct xb_error *err)
{
	int total = i >= t->nrows || t->by == STATS_BY_NONE;
	const struct stats_row *r = total ? &t->total : &t->rows[i];
	char name[512];
	stats_row_title(t, i, name, sizeof(name));
	struct sheet_out_cell cells[NCELLS] = { 0 };
	cells[0] = (struct sheet_out_cell){ SHEET_OUT_TEXT, name, 0, 1 };
	for (size_t k = 1; k < l->ncells; k++) {
		if (l->col[k] != STATS_NCOLS)
			cells[k] = (struct sheet_out_cell){
				SHEET_OUT_INT, NULL, (double)r->v[l->col[k]], 1
			};
		else if (r->late_median_days >= 0)
			cells[k] = (struct sheet_out_cell){
				SHEET_OUT_DEC1, NULL, r->late_median_days, 1
			};
	}
	return sheet_write_cells(w, cells, l->ncells,
				 total ? SHEET_OUT_TOTAL : SHEET_OUT_PLAIN, 0, err);
}

int sheet_stats_write(const struct stats_table *t, const char *path,
		      struct xb_error *err)
{
	if (path == NULL || *path == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No file name was given for the statistics."));
	struct layout l;
	layout_make(&l);
	struct sheet_writer *w = NULL;
	int ret = sheet_writer_open(path, SHEET_XLSX, SHEET_UTF8,
				    _("Statistics"), &w, err);
	if (ret == XB_OK)
		ret = write_head(w, t, l.ncells, err);
	if (ret == XB_OK)
		ret = write_header(w, t, &l, err);
	size_t n = t->by == STATS_BY_NONE ? 0 : t->nrows;
	for (size_t i = 0; ret == XB_OK && i <= n; i++)
		ret = write_row(w, t, &l, i, err);
	if (ret == XB_OK)
		return sheet_writer_close(&w, err);
	sheet_writer_abort(&w);
	return ret;
}
