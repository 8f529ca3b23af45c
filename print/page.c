/* page.c - what the documents of print/ share: text through pango on a
 * font map of our own (slips, roster, statistics); for the A4 tables (the
 * printed roster, the statistics table) a table's header row and rules,
 * the page number and the signature line at the foot, and the PDF drawn
 * into its file and moved into place, or removed with a sentence saying
 * why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"

/* --- text ------------------------------------------------------------------ */

void print_pen_close(struct print_pen *p)
{
	if (p->lay)
		g_object_unref(p->lay);
	if (p->map)
		g_object_unref(p->map);
	for (int i = 0; i < 2; i++)
		if (p->fd[i])
			pango_font_description_free(p->fd[i]);
	memset(p, 0, sizeof(*p));
}

/* A font map of our own (dropped after the file, as slip.c does), one
 * layout, no hinting of metrics so the pages lay out the same anywhere. */
int print_pen_open(struct print_pen *p, cairo_t *cr)
{
	memset(p, 0, sizeof(*p));
	p->cr = cr;
	p->map = pango_cairo_font_map_new();
	if (p->map == NULL)
		return -1;
	PangoContext *pc = pango_font_map_create_context(p->map);
	if (pc == NULL) {
		print_pen_close(p);
		return -1;
	}
	pango_cairo_update_context(cr, pc);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	p->lay = pango_layout_new(pc);
	g_object_unref(pc);
	for (int i = 0; i < 2; i++) {
		p->fd[i] = pango_font_description_from_string(PRINT_FONT);
		pango_font_description_set_weight(p->fd[i], i ? PANGO_WEIGHT_BOLD
							      : PANGO_WEIGHT_NORMAL);
	}
	if (p->lay == NULL) {
		print_pen_close(p);
		return -1;
	}
	pango_layout_set_single_paragraph_mode(p->lay, TRUE);
	return 0;
}

double print_pen_lay(struct print_pen *p, const char *s, double size, int bold,
		     double w, int lines, PangoAlignment al)
{
	pango_font_description_set_absolute_size(p->fd[bold], size * PANGO_SCALE);
	pango_layout_set_font_description(p->lay, p->fd[bold]);
	if (w > 0) {
		pango_layout_set_width(p->lay, (int)(w * PANGO_SCALE));
		pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_height(p->lay, -lines);
		pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
	} else {
		pango_layout_set_width(p->lay, -1);
		pango_layout_set_height(p->lay, -1);
		pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_NONE);
	}
	pango_layout_set_alignment(p->lay, al);
	pango_layout_set_text(p->lay, s, -1);
	PangoRectangle lr;
	pango_layout_get_extents(p->lay, NULL, &lr);
	return (double)lr.height / PANGO_SCALE;
}

double print_pen_width(struct print_pen *p)
{
	PangoRectangle lr;
	pango_layout_get_extents(p->lay, NULL, &lr);
	return (double)lr.width / PANGO_SCALE;
}

int print_pen_cut(struct print_pen *p)
{
	if (pango_layout_is_ellipsized(p->lay))
		return 1;
	/* a line that starts where no line may break: a word was split */
	int n = 0;
	const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(p->lay, &n);
	const char *text = pango_layout_get_text(p->lay);
	GSList *l = pango_layout_get_lines_readonly(p->lay);
	for (l = l ? l->next : NULL; l != NULL; l = l->next) {
		const PangoLayoutLine *line = l->data;
		glong at = g_utf8_pointer_to_offset(text, text + line->start_index);
		if (at < n && !attrs[at].is_line_break)
			return 1;
	}
	return 0;
}

void print_pen_show(struct print_pen *p, double x, double y, double gray)
{
	cairo_set_source_rgb(p->cr, gray, gray, gray);
	cairo_move_to(p->cr, x, y);
	pango_cairo_update_layout(p->cr, p->lay);
	pango_cairo_show_layout(p->cr, p->lay);
}

/* --- tables ---------------------------------------------------------------- */

static void rule(cairo_t *cr, double x1, double y1, double x2, double y2)
{
	cairo_move_to(cr, x1, y1);
	cairo_line_to(cr, x2, y2);
}

void print_grid_rules(cairo_t *cr, const struct print_grid *g, double top,
		      const double *ys, size_t nys)
{
	double left = g->x[0], right = g->x[g->ncol - 1] + g->w[g->ncol - 1];
	double bottom = ys[nys - 1];
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, 0.4);
	rule(cr, left, top, right, top);
	for (size_t k = 0; k < nys; k++)
		rule(cr, left, ys[k], right, ys[k]);
	for (size_t c = 0; c < g->ncol; c++)
		rule(cr, g->x[c], top, g->x[c], bottom);
	rule(cr, right, top, right, bottom);
	cairo_stroke(cr);
	cairo_restore(cr);
}

void print_grid_head(struct print_pen *p, const struct print_grid *g,
		     double y, int lines)
{
	double right = g->x[g->ncol - 1] + g->w[g->ncol - 1];
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.88, 0.88, 0.88);
	cairo_rectangle(p->cr, g->x[0], y, right - g->x[0], g->head_h);
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	for (size_t c = 0; c < g->ncol; c++) {
		double h = print_pen_lay(p, g->label[c], PRINT_BODY_PT, 1,
					 g->w[c] - 2 * PRINT_PAD, lines,
					 PANGO_ALIGN_CENTER);
		print_pen_show(p, g->x[c] + PRINT_PAD, y + (g->head_h - h) / 2, 0);
	}
}

/* --- the foot -------------------------------------------------------------- */

double print_page_foot(struct print_pen *p, size_t page, size_t npages,
		       int draw)
{
	char buf[128];
	snprintf(buf, sizeof(buf), _("Page %zu of %zu"), page, npages);
	double h = print_pen_lay(p, buf, PRINT_INFO_PT, 0,
				 PRINT_PAGE_W - 2 * PRINT_MARGIN, 1,
				 PANGO_ALIGN_CENTER);
	if (draw)
		print_pen_show(p, PRINT_MARGIN, PRINT_PAGE_H - PRINT_MARGIN - h, 0);
	return h;
}

double print_sign_lay(struct print_pen *p)
{
	return print_pen_lay(p,
			     _("Filled in by: __________    Checked by: __________    "
			       "Office (seal): __________    Date: __________"),
			     PRINT_INFO_PT + 1, 0, PRINT_PAGE_W - 2 * PRINT_MARGIN, 2,
			     PANGO_ALIGN_LEFT);
}

/* --- the file -------------------------------------------------------------- */

int print_pdf_pages(struct print_out *o, const char *title,
		    int (*draw)(cairo_t *cr, void *arg), void *arg,
		    struct xb_error *err)
{
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(
		print_out_write, o, PRINT_PAGE_W, PRINT_PAGE_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "xiangban");
	cairo_t *cr = cairo_create(sf);
	int oom = cairo_status(cr) != CAIRO_STATUS_SUCCESS || draw(cr, arg) != 0;
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (o->write_errno != 0 || st == CAIRO_STATUS_WRITE_ERROR) {
		print_out_abort(o);
		return slip_write_fail(err, o->write_errno, o->path);
	}
	if (oom || st == CAIRO_STATUS_NO_MEMORY) {
		print_out_abort(o);
		return xb_fail(err, XB_EFAIL, _("Out of memory while drawing %s."),
			       o->path);
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		print_out_abort(o);
		return xb_fail(err, XB_EFAIL, _("%s could not be drawn: %s."),
			       o->path, cairo_status_to_string(st));
	}
	return print_out_commit(o, err);
}

int print_row_put(char **row, size_t *len, const char *text, struct xb_error *err)
{
	char cell[PRINT_CELL_MAX];
	xb_printable(text ? text : "", 0, cell, sizeof(cell));
	size_t k = strlen(cell) + 1;
	char *p = realloc(*row, *len + k);
	if (p == NULL) {
		free(*row);
		*row = NULL;
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	memcpy(p + *len, cell, k);
	*row = p;
	*len += k;
	return XB_OK;
}
