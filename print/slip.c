/* slip.c - the layout of a case slip and its renderers: PDF (one A6 slip a
 * page, or A4 sheets of 8), PNG (300 dpi, A6) and a text preview.
 *
 * One set of drawing helpers serves both layouts:
 *  - the A6 card (297.6 x 419.5 pt, portrait): title and office on top,
 *    the QR code with the case number and the name beside it, the fields
 *    below, the emergency number in a box, the print date at the foot;
 *  - the cell of an A4 sheet (297.65 x 210.5 pt, landscape-ish): title on
 *    top, the QR code with the case number and the emergency number on the
 *    left, the name and the fields on the right.
 * The QR code keeps the same size in both (>= 25 mm without its quiet
 * zone, about 35 mm with it), drawn as whole modules snapped to the device
 * grid with anti-aliasing off, so no seams show in a PDF viewer or a PNG.
 *
 * Files are written to a temporary file beside the target, checked
 * (cairo's status and our own write errors), then committed
 * (common/safe_file.h): a failure leaves no partial file. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "print.h"
#include "private.h"
#include "../common/i18n.h"
#include "../common/safe_file.h"

#define MM (72.0 / 25.4)
#define A6_W 297.6
#define A6_H 419.5
#define A4_W 595.3
#define A4_H 841.9
#define CELL_COLS 2
#define CELL_ROWS 4
#define PNG_DPI 300.0

/* WenQuanYi Zen Hei is compact (~20 KB a slip once subset); fontconfig
 * falls back through the list when it is not installed. */
#define FONT_SANS "WenQuanYi Zen Hei, Noto Sans CJK SC, sans"
#define FONT_MONO "WenQuanYi Zen Hei Mono, Noto Sans Mono CJK SC, monospace"

/* The QR code with its quiet zone aims at 35 mm; its symbol never goes
 * below 25 mm. */
#define QR_TARGET_MM 35.0
#define QR_MIN_SYMBOL_MM 25.0

#define BLANK_TEXT "________________"

/* The printed words, in Chinese for the family (not translated). */
#define T_TITLE "农村留守儿童关爱保护 联系卡"
#define T_CASE "档案编号"
#define T_NAME "姓名"
#define T_VILLAGE "村(居)"
#define T_MEMBER "包保责任人"
#define T_MEMBER_PHONE "包保责任人电话"
#define T_DUE "下次走访"
#define T_OFFICE_PHONE "乡镇(街道)联系电话"
#define T_SOS "紧急求助"
#define T_SOS_NO "110"
#define T_PRINTED "打印日期"
#define T_VERSION "卡片版本"
#define T_HINT "遇到困难请联系包保责任人或乡镇(街道)，请妥善保管本卡。"

static int blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* --- text ---------------------------------------------------------------- */

/* The pen (print_pen, page.c): a font map of our own, dropped after the
 * file is drawn, one layout, no hinting of metrics so the PDF and the PNG
 * lay out alike. */
enum { REGULAR = 0, BOLD = 1 };

/* Sets the text and font of the layout; no width limit. */
static void pen_set(struct print_pen *p, const char *family, double size, int bold,
		    const char *s)
{
	PangoFontDescription *fd = pango_font_description_from_string(family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						   : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(p->lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(p->lay, -1);
	pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_alignment(p->lay, PANGO_ALIGN_LEFT);
	pango_layout_set_text(p->lay, s, -1);
}

static void pen_size(struct print_pen *p, double *w, double *h)
{
	PangoRectangle lr;
	pango_layout_get_extents(p->lay, NULL, &lr);
	if (w)
		*w = (double)lr.width / PANGO_SCALE;
	if (h)
		*h = (double)lr.height / PANGO_SCALE;
}

/* The largest size up to `size` (down to `least` times it) at which s
 * fits in width; below that the text is cut with an ellipsis when drawn. */
static double pen_fit_down(struct print_pen *p, const char *family, double size,
			   int bold, const char *s, double width, double least)
{
	double w;
	pen_set(p, family, size, bold, s);
	pen_size(p, &w, NULL);
	if (w <= width || w <= 0)
		return size;
	double fit = size * width / w * 0.98;
	return fit < size * least ? size * least : fit;
}

static double pen_fit(struct print_pen *p, const char *family, double size, int bold,
		      const char *s, double width)
{
	return pen_fit_down(p, family, size, bold, s, width, 0.7);
}

enum align { LEFT, CENTER, RIGHT };

/* Draws s in the box from x, width w (0: no limit), top at y; returns the
 * height of the line. Text too long for w ends with an ellipsis. */
static double pen_text(struct print_pen *p, double x, double y, double w,
		       const char *family, double size, int bold, double gray,
		       enum align al, const char *s)
{
	double tw, th;
	pen_set(p, family, size, bold, s);
	if (w > 0) {
		pango_layout_set_width(p->lay, (int)(w * PANGO_SCALE));
		pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
		pango_layout_set_alignment(p->lay,
					   al == CENTER  ? PANGO_ALIGN_CENTER
					   : al == RIGHT ? PANGO_ALIGN_RIGHT
							 : PANGO_ALIGN_LEFT);
	}
	pen_size(p, &tw, &th);
	cairo_set_source_rgb(p->cr, gray, gray, gray);
	cairo_move_to(p->cr, x, y);
	pango_cairo_update_layout(p->cr, p->lay);
	pango_cairo_show_layout(p->cr, p->lay);
	return th;
}

/* The baseline of the layout's first line, from its top. */
static double pen_baseline(struct print_pen *p)
{
	return (double)pango_layout_get_baseline(p->lay) / PANGO_SCALE;
}

/* A line to fill by hand, from x1 to x2 at height y. */
static void fill_line(cairo_t *cr, double x1, double x2, double y)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x1, y);
	cairo_line_to(cr, x2, y);
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void hrule(cairo_t *cr, double x1, double x2, double y, double lw,
		  double gray)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, gray, gray, gray);
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, x1, y);
	cairo_line_to(cr, x2, y);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* One field: its label in the label column (label_w wide), its value after
 * it, or a line to fill by hand. Returns nothing; rows are spaced by the
 * caller. */
static void field_row(struct print_pen *p, double x, double y, double label_w,
		      double w, double size, const char *label,
		      const char *value)
{
	char lab[64];
	snprintf(lab, sizeof(lab), "%s：", label);
	pen_text(p, x, y, label_w, FONT_SANS, size, REGULAR, 0.3, LEFT, lab);
	double base = y + pen_baseline(p);
	double vx = x + label_w, vw = w - label_w;
	if (blank(value)) {
		fill_line(p->cr, vx, x + w, base + 1.5);
		return;
	}
	double vs = pen_fit(p, FONT_SANS, size * 1.05, REGULAR, value, vw);
	/* Keep the value on the label's baseline whatever its size. */
	pen_set(p, FONT_SANS, vs, REGULAR, value);
	double vy = base - pen_baseline(p);
	pen_text(p, vx, vy, vw, FONT_SANS, vs, REGULAR, 0.0, LEFT, value);
}

/* The widest of the labels (with the colon) at size. */
static double label_width(struct print_pen *p, double size)
{
	static const char *const labels[] = { T_VILLAGE "：", T_MEMBER "：",
					      T_MEMBER_PHONE "：", T_DUE "：",
					      T_OFFICE_PHONE "：" };
	double max = 0, w;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		pen_set(p, FONT_SANS, size, REGULAR, labels[i]);
		pen_size(p, &w, NULL);
		if (w > max)
			max = w;
	}
	return max + size * 0.3;
}

/* --- the QR code --------------------------------------------------------- */

/* The side of a module in user units, snapped so that it is a whole number
 * of device units (pixels of a PNG, points of a PDF): a module never
 * straddles a pixel edge. */
static double qr_module(cairo_t *cr, int width)
{
	double dm = QR_TARGET_MM * MM / (width + 2 * SLIP_QR_QUIET), dz = 0;
	double min = QR_MIN_SYMBOL_MM * MM / width, mz = 0;
	cairo_user_to_device_distance(cr, &dm, &dz);
	cairo_user_to_device_distance(cr, &min, &mz);
	dm = floor(dm + 0.5);
	if (dm < ceil(min))
		dm = ceil(min);
	if (dm < 1)
		dm = 1;
	double um = dm, uz = 0;
	cairo_device_to_user_distance(cr, &um, &uz);
	return um;
}

/* Draws the code with its quiet zone; (x, y) is the top left corner of the
 * quiet zone in user units. Each row's runs of dark modules are rectangles
 * of one path, filled once in device space with anti-aliasing off. */
static void qr_draw(cairo_t *cr, const struct slip_qr *qr, double x, double y,
		    double module)
{
	double dx = x, dy = y, dm = module, dz = 0;
	int n = qr->width + 2 * SLIP_QR_QUIET;

	cairo_user_to_device(cr, &dx, &dy);
	cairo_user_to_device_distance(cr, &dm, &dz);
	dx = floor(dx + 0.5);
	dy = floor(dy + 0.5);
	dm = floor(dm + 0.5);
	cairo_save(cr);
	cairo_identity_matrix(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, dx, dy, n * dm, n * dm);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	for (int r = 0; r < qr->width; r++) {
		const unsigned char *row = qr->dark + (size_t)r * qr->width;
		for (int c = 0; c < qr->width;) {
			if (!row[c]) {
				c++;
				continue;
			}
			int c0 = c;
			while (c < qr->width && row[c])
				c++;
			cairo_rectangle(cr, dx + (SLIP_QR_QUIET + c0) * dm,
					dy + (SLIP_QR_QUIET + r) * dm,
					(c - c0) * dm, dm);
		}
	}
	cairo_fill(cr);
	cairo_restore(cr);
}

/* --- the two layouts ----------------------------------------------------- */

static void version_text(const struct slip_data *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s %u", T_VERSION, s->version ? s->version : 1);
}

/* The emergency number in a box, centred in [x, x + w]; returns its
 * height. */
static double sos_box(struct print_pen *p, double x, double y, double w, double size)
{
	double tw, th, bw, bh, pad = size * 0.35;
	pen_set(p, FONT_SANS, size, BOLD, T_SOS "  " T_SOS_NO);
	pen_size(p, &tw, &th);
	bw = tw + 4 * pad;
	if (bw > w)
		bw = w;
	bh = th + 2 * pad;
	double bx = x + (w - bw) / 2;
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 1.2);
	cairo_rectangle(p->cr, bx, y, bw, bh);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
	pen_text(p, bx, y + pad, bw, FONT_SANS, size, BOLD, 0.0, CENTER,
		 T_SOS "  " T_SOS_NO);
	return bh;
}

/* The card's head: title, office name (or a line to write it on), rule. */
static double card_header(struct print_pen *p, const struct slip_data *s, double m,
			  double iw)
{
	cairo_t *cr = p->cr;
	double y = m;

	y += pen_text(p, m, y, iw, FONT_SANS, 15, BOLD, 0, CENTER, T_TITLE);
	y += 4;
	if (blank(s->office_name)) {
		pen_set(p, FONT_SANS, 10.5, REGULAR, "国");
		fill_line(cr, m + iw * 0.25, m + iw * 0.75,
			  y + pen_baseline(p) + 1.5);
		y += 14;
	} else {
		y += pen_text(p, m, y, iw, FONT_SANS, 10.5, REGULAR, 0.2,
			      CENTER, s->office_name);
	}
	y += 7;
	hrule(cr, m, m + iw, y, 0.8, 0);
	y += 2;
	return y;
}

/* The card's case number and name in the column [cx, cx + cw] from top. */
static void card_identity(struct print_pen *p, const struct slip_data *s,
			  double cx, double cw, double top)
{
	double ty = top + 2;
	ty += pen_text(p, cx, ty, cw, FONT_SANS, 9, REGULAR, 0.3, LEFT,
		       T_CASE);
	ty += 1;
	const char *cn = blank(s->case_no) ? "" : s->case_no;
	double cs = pen_fit(p, FONT_MONO, 17, BOLD, cn, cw);
	ty += pen_text(p, cx, ty, cw, FONT_MONO, cs, BOLD, 0, LEFT, cn);
	ty += 9;
	ty += pen_text(p, cx, ty, cw, FONT_SANS, 9, REGULAR, 0.3, LEFT,
		       T_NAME);
	ty += 1;
	if (blank(s->name)) {
		pen_set(p, FONT_SANS, 20, BOLD, "国");
		fill_line(p->cr, cx, cx + cw, ty + pen_baseline(p) + 2);
	} else {
		double ns = pen_fit_down(p, FONT_SANS, 20, BOLD, s->name, cw,
					 0.5);
		pen_text(p, cx, ty, cw, FONT_SANS, ns, BOLD, 0, LEFT, s->name);
	}
}

/* The card's QR code at y, the identity beside it; returns the y below. */
static double card_qr(struct print_pen *p, const struct slip_data *s,
		      const struct slip_qr *qr, double m, double iw, double y)
{
	cairo_t *cr = p->cr;

	/* The QR code: its symbol's left edge on the margin, the quiet zone
	 * reaching into the white margin. */
	double mod = qr_module(cr, qr->width);
	double quiet = SLIP_QR_QUIET * mod;
	double side = (qr->width + 2 * SLIP_QR_QUIET) * mod;
	double sym = qr->width * mod;
	double qx = m - quiet, qy = y;
	qr_draw(cr, qr, qx, qy, mod);

	/* Beside it: case number and name, centred on the symbol. */
	double cx = m + sym + 14, cw = m + iw - cx;
	card_identity(p, s, cx, cw, qy + quiet);
	return qy + side - quiet + 14;
}

/* The card's fields, labels aligned, then the emergency box and the hint. */
static void card_fields(struct print_pen *p, const struct slip_data *s, double m,
			double iw, double y)
{
	const double fs = 11, row = 27;
	double lw = label_width(p, fs);
	field_row(p, m, y, lw, iw, fs, T_VILLAGE, s->village);
	y += row;
	field_row(p, m, y, lw, iw, fs, T_MEMBER, s->member_name);
	y += row;
	field_row(p, m, y, lw, iw, fs, T_MEMBER_PHONE, s->member_phone);
	y += row;
	field_row(p, m, y, lw, iw, fs, T_DUE, s->next_visit_due);
	y += row;
	field_row(p, m, y, lw, iw, fs, T_OFFICE_PHONE, s->office_phone);
	y += row + 8;

	y += sos_box(p, m, y, iw, 16);
	y += 11;
	pen_text(p, m, y, iw, FONT_SANS, 8.5, REGULAR, 0.3, CENTER, T_HINT);
}

/* The card's foot: print date and slip version. */
static void card_foot(struct print_pen *p, const struct slip_data *s, double m,
		      double iw, double h)
{
	char buf[64];
	double fy = h - m - 11;
	hrule(p->cr, m, m + iw, fy - 4, 0.5, 0.5);
	snprintf(buf, sizeof(buf), "%s %s", T_PRINTED,
		 blank(s->printed_on) ? "" : s->printed_on);
	pen_text(p, m, fy, iw / 2, FONT_SANS, 8.5, REGULAR, 0.3, LEFT, buf);
	version_text(s, buf, sizeof(buf));
	pen_text(p, m + iw / 2, fy, iw / 2, FONT_SANS, 8.5, REGULAR, 0.3,
		 RIGHT, buf);
}

/* The A6 card, portrait, in a w x h box at the origin. */
static void draw_card(struct print_pen *p, const struct slip_data *s,
		      const struct slip_qr *qr, double w, double h)
{
	const double m = 22;           /* margin */
	const double iw = w - 2 * m;   /* inner width */

	double y = card_header(p, s, m, iw);
	y = card_qr(p, s, qr, m, iw, y);
	card_fields(p, s, m, iw, y);
	card_foot(p, s, m, iw, h);
}

/* The cell's head: title, office name (or a line to write it on), rule. */
static double cell_header(struct print_pen *p, const struct slip_data *s, double m,
			  double iw)
{
	cairo_t *cr = p->cr;
	double y = m - 2;

	y += pen_text(p, m, y, iw, FONT_SANS, 12, BOLD, 0, CENTER, T_TITLE);
	y += 2;
	if (blank(s->office_name)) {
		pen_set(p, FONT_SANS, 8.5, REGULAR, "国");
		fill_line(cr, m + iw * 0.3, m + iw * 0.7,
			  y + pen_baseline(p) + 1);
		y += 11;
	} else {
		y += pen_text(p, m, y, iw, FONT_SANS, 8.5, REGULAR, 0.2,
			      CENTER, s->office_name);
	}
	y += 3;
	hrule(cr, m, m + iw, y, 0.6, 0);
	y += 1;
	return y;
}

/* The cell's QR code at y, the emergency box under it; sets *sym, *quiet. */
static void cell_qr(struct print_pen *p, const struct slip_qr *qr, double m,
		    double y, double *sym, double *quiet)
{
	cairo_t *cr = p->cr;
	double mod = qr_module(cr, qr->width);
	*quiet = SLIP_QR_QUIET * mod;
	*sym = qr->width * mod;
	double qx = m - *quiet, qy = y;
	qr_draw(cr, qr, qx, qy, mod);
	sos_box(p, m, qy + *quiet + *sym + 6, *sym, 10);
}

/* The cell's name line at ty in [cx, cx + cw]; returns its baseline. */
static double cell_name(struct print_pen *p, const struct slip_data *s, double cx,
			double cw, double ty, double lw, double fs)
{
	/* The name in the value column, or right after its label when it is
	 * too long for the column. */
	double nlw = 0, nw = 0;
	pen_set(p, FONT_SANS, fs, REGULAR, T_NAME "：");
	pen_size(p, &nlw, NULL);
	if (!blank(s->name)) {
		pen_set(p, FONT_SANS, 15 * 0.6, BOLD, s->name);
		pen_size(p, &nw, NULL);
	}
	if (nw <= cw - lw)
		nlw = lw;
	pen_set(p, FONT_SANS, 15, BOLD, "国");
	double nbase = ty + pen_baseline(p);
	pen_set(p, FONT_SANS, fs, REGULAR, T_NAME "：");
	pen_text(p, cx, nbase - pen_baseline(p), nlw, FONT_SANS, fs, REGULAR,
		 0.3, LEFT, T_NAME "：");
	if (blank(s->name)) {
		fill_line(p->cr, cx + nlw, cx + cw, nbase + 1.5);
	} else {
		double ns = pen_fit_down(p, FONT_SANS, 15, BOLD, s->name,
					 cw - nlw, 0.5);
		pen_set(p, FONT_SANS, ns, BOLD, s->name);
		double ny = nbase - pen_baseline(p);
		pen_text(p, cx + nlw, ny, cw - nlw, FONT_SANS, ns, BOLD, 0,
			 LEFT, s->name);
	}
	return nbase;
}

/* The cell's case number, on the labels' baseline, and fields from ty. */
static void cell_fields(struct print_pen *p, const struct slip_data *s, double cx,
			double cw, double ty, double lw, double fs, double row)
{
	pen_text(p, cx, ty, lw, FONT_SANS, fs, REGULAR, 0.3, LEFT,
		 T_CASE "：");
	double cbase = ty + pen_baseline(p);
	const char *cn = blank(s->case_no) ? "" : s->case_no;
	double cs = pen_fit(p, FONT_MONO, 10.5, BOLD, cn, cw - lw);
	pen_set(p, FONT_MONO, cs, BOLD, cn);
	pen_text(p, cx + lw, cbase - pen_baseline(p), cw - lw, FONT_MONO, cs,
		 BOLD, 0, LEFT, cn);
	ty += row + 1;
	field_row(p, cx, ty, lw, cw, fs, T_VILLAGE, s->village);
	ty += row;
	field_row(p, cx, ty, lw, cw, fs, T_MEMBER, s->member_name);
	ty += row;
	field_row(p, cx, ty, lw, cw, fs, T_MEMBER_PHONE, s->member_phone);
	ty += row;
	field_row(p, cx, ty, lw, cw, fs, T_DUE, s->next_visit_due);
	ty += row;
	field_row(p, cx, ty, lw, cw, fs, T_OFFICE_PHONE, s->office_phone);
}

/* The cell's foot, under the right column: print date and slip version. */
static void cell_foot(struct print_pen *p, const struct slip_data *s, double cx,
		      double cw, double fy)
{
	char buf[96];
	snprintf(buf, sizeof(buf), "%s %s", T_PRINTED,
		 blank(s->printed_on) ? "" : s->printed_on);
	pen_text(p, cx, fy, cw * 0.6, FONT_SANS, 7.5, REGULAR, 0.35, LEFT,
		 buf);
	version_text(s, buf, sizeof(buf));
	pen_text(p, cx + cw * 0.6, fy, cw * 0.4, FONT_SANS, 7.5, REGULAR,
		 0.35, RIGHT, buf);
}

/* A cell of the A4 sheet (w x h, wider than high) at the origin. */
static void draw_cell(struct print_pen *p, const struct slip_data *s,
		      const struct slip_qr *qr, double w, double h)
{
	const double m = 16;
	const double iw = w - 2 * m;
	double sym, quiet;

	/* Left: the QR code and the emergency box under it. */
	double y = cell_header(p, s, m, iw);
	cell_qr(p, qr, m, y, &sym, &quiet);

	/* Right: the name, the case number and the fields. */
	double cx = m + sym + 12, cw = m + iw - cx;
	double ty = y + quiet - 4;
	const double fs = 8.5, row = 15.5;
	double lw = label_width(p, fs);
	double nbase = cell_name(p, s, cx, cw, ty, lw, fs);
	cell_fields(p, s, cx, cw, nbase + 8, lw, fs, row);
	cell_foot(p, s, cx, cw, h - m - 8);
}

/* The QR code of a slip. */
static int slip_code(const struct slip_data *s, struct slip_qr *qr,
		     struct xb_error *err)
{
	char payload[64];
	int rc;

	if (s == NULL)
		return xb_fail(err, XB_EINVAL, _("There is no slip to print."));
	rc = slip_payload_make(s->case_no, s->version ? s->version : 1,
			       payload, sizeof(payload), err);
	if (rc != XB_OK)
		return rc;
	return slip_qr_make(payload, qr, err);
}

/* --- files --------------------------------------------------------------- */

/* A slip's file: named, not too long for the temporary name. */
static int out_open(struct print_out *o, const char *path, struct xb_error *err)
{
	if (path == NULL || *path == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No file name was given for the slip."));
	return print_out_open(o, path, err);
}

/* The failure of a cairo surface or context, after it was finished. */
static int render_fail(struct print_out *o, cairo_status_t st,
		       struct xb_error *err)
{
	int e = o->write_errno;
	print_out_abort(o);
	if (e != 0 || st == CAIRO_STATUS_WRITE_ERROR)
		return slip_write_fail(err, e, o->path);
	if (st == CAIRO_STATUS_NO_MEMORY)
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while drawing the slip."));
	return xb_fail(err, XB_EFAIL, _("The slip could not be drawn: %s."),
		       cairo_status_to_string(st));
}

/* --- renderers ----------------------------------------------------------- */

static void draw_cut_lines(cairo_t *cr)
{
	static const double dash[] = { 4, 3 };
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.4);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, A4_W / 2, 0);
	cairo_line_to(cr, A4_W / 2, A4_H);
	for (int r = 1; r < CELL_ROWS; r++) {
		cairo_move_to(cr, 0, A4_H * r / CELL_ROWS);
		cairo_line_to(cr, A4_W, A4_H * r / CELL_ROWS);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

int slip_pdf(const struct slip_data *slips, size_t n, int sheet,
	     const char *path, struct xb_error *err)
{
	struct print_out o;
	struct slip_qr *codes;
	int rc;

	if (slips == NULL || n == 0)
		return xb_fail(err, XB_EINVAL, _("There is no slip to print."));
	codes = calloc(n, sizeof(*codes));
	if (codes == NULL)
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while drawing the slip."));
	for (size_t i = 0; i < n; i++) {
		rc = slip_code(&slips[i], &codes[i], err);
		if (rc != XB_OK)
			goto out;
	}
	rc = out_open(&o, path, err);
	if (rc != XB_OK)
		goto out;

	double pw = sheet ? A4_W : A6_W, ph = sheet ? A4_H : A6_H;
	cairo_surface_t *sf =
		cairo_pdf_surface_create_for_stream(print_out_write, &o, pw, ph);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
				       "农村留守儿童关爱保护联系卡");
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
				       "xiangban");
	cairo_t *cr = cairo_create(sf);
	struct print_pen p = { 0 };
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS || print_pen_open(&p, cr) != 0) {
		cairo_status_t st = cairo_status(cr);
		cairo_destroy(cr);
		cairo_surface_destroy(sf);
		rc = render_fail(&o, st ? st : CAIRO_STATUS_NO_MEMORY, err);
		goto out;
	}
	if (!sheet) {
		for (size_t i = 0; i < n; i++) {
			draw_card(&p, &slips[i], &codes[i], A6_W, A6_H);
			cairo_show_page(cr);
		}
	} else {
		const size_t per = CELL_COLS * CELL_ROWS;
		const double cw = A4_W / CELL_COLS, ch = A4_H / CELL_ROWS;
		for (size_t i = 0; i < n; i++) {
			size_t k = i % per;
			if (k == 0)
				draw_cut_lines(cr);
			cairo_save(cr);
			cairo_translate(cr, (double)(k % CELL_COLS) * cw,
					(double)(k / CELL_COLS) * ch);
			draw_cell(&p, &slips[i], &codes[i], cw, ch);
			cairo_restore(cr);
			if (k == per - 1 || i == n - 1)
				cairo_show_page(cr);
		}
	}
	print_pen_close(&p);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS || o.write_errno != 0) {
		rc = render_fail(&o, st, err);
		goto out;
	}
	rc = print_out_commit(&o, err);
out:
	for (size_t i = 0; i < n; i++)
		slip_qr_free(&codes[i]);
	free(codes);
	return rc;
}

int slip_png(const struct slip_data *slip, const char *path,
	     struct xb_error *err)
{
	struct slip_qr qr;
	struct print_out o;
	int rc = slip_code(slip, &qr, err);
	if (rc != XB_OK)
		return rc;

	const double scale = PNG_DPI / 72.0;
	int pw = (int)floor(A6_W * scale + 0.5), ph = (int)floor(A6_H * scale + 0.5);
	cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	cairo_t *cr = cairo_create(sf);
	struct print_pen p = { 0 };
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS || print_pen_open(&p, cr) != 0) {
		rc = xb_fail(err, XB_EFAIL,
			     _("Out of memory while drawing the slip."));
		goto done;
	}
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	pango_cairo_update_layout(cr, p.lay);
	draw_card(&p, slip, &qr, A6_W, A6_H);
	cairo_surface_flush(sf);
	cairo_status_t st = cairo_status(cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		rc = xb_fail(err, XB_EFAIL, _("The slip could not be drawn: %s."),
			     cairo_status_to_string(st));
		goto done;
	}
	rc = out_open(&o, path, err);
	if (rc != XB_OK)
		goto done;
	st = cairo_surface_write_to_png_stream(sf, print_out_write, &o);
	if (st != CAIRO_STATUS_SUCCESS || o.write_errno != 0)
		rc = render_fail(&o, st, err);
	else
		rc = print_out_commit(&o, err);
done:
	print_pen_close(&p);
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	slip_qr_free(&qr);
	return rc;
}

/* The text preview. Dark modules are printed glyphs and light modules are
 * spaces, so on the usual dark-on-light terminal the code shows as printed
 * on paper and a phone scans it off the screen; on a light-on-dark
 * terminal it shows inverted (some scanners read that too). Two module
 * rows make one line: upper dark only is ▀, lower dark only ▄, both █.
 * The quiet zone (4 modules) is spaces all round, so every line of the
 * code has the same width. */
int slip_text(const struct slip_data *slip, char **out, struct xb_error *err)
{
	struct slip_qr qr;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = slip_code(slip, &qr, err);
	if (rc != XB_OK)
		return rc;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL) {
		slip_qr_free(&qr);
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while drawing the slip."));
	}
	int n = qr.width + 2 * SLIP_QR_QUIET;
	for (int r = 0; r < n; r += 2) {
		for (int c = 0; c < n; c++) {
			int x = c - SLIP_QR_QUIET;
			int y0 = r - SLIP_QR_QUIET, y1 = y0 + 1;
			int in_x = x >= 0 && x < qr.width;
			int up = in_x && y0 >= 0 && y0 < qr.width &&
				 qr.dark[(size_t)y0 * qr.width + x];
			int lo = in_x && y1 >= 0 && y1 < qr.width &&
				 qr.dark[(size_t)y1 * qr.width + x];
			fputs(up && lo ? "█" : up ? "▀" : lo ? "▄" : " ", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);

#define LINE(label, v) \
	fprintf(f, "%s：%s\n", label, blank(v) ? BLANK_TEXT : (v))
	fprintf(f, "%s\n", T_TITLE);
	fprintf(f, "%s\n", blank(slip->office_name) ? BLANK_TEXT
						     : slip->office_name);
	LINE(T_CASE, slip->case_no);
	LINE(T_NAME, slip->name);
	LINE(T_VILLAGE, slip->village);
	LINE(T_MEMBER, slip->member_name);
	LINE(T_MEMBER_PHONE, slip->member_phone);
	LINE(T_DUE, slip->next_visit_due);
	LINE(T_OFFICE_PHONE, slip->office_phone);
	fprintf(f, "%s：%s\n", T_SOS, T_SOS_NO);
	fprintf(f, "%s：%s    %s：%u\n", T_PRINTED,
		blank(slip->printed_on) ? BLANK_TEXT : slip->printed_on,
		T_VERSION, slip->version ? slip->version : 1);
#undef LINE
	int bad = ferror(f);
	if (fclose(f) != 0 || bad || buf == NULL) {
		free(buf);
		slip_qr_free(&qr);
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while drawing the slip."));
	}
	slip_qr_free(&qr);
	*out = buf;
	return XB_OK;
}
