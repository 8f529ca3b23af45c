/* private.h - what the files of print/ share; nothing outside print/
 * includes it. */
#ifndef XB_PRINT_PRIVATE_H
#define XB_PRINT_PRIVATE_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "../common/safe_file.h"

#include "../common/status.h"

/* Modules of blank margin a scanner needs around the code. */
#define SLIP_QR_QUIET 4

/* A QR code as a square of modules, without its quiet zone. */
struct slip_qr {
	int width;           /* modules a side */
	unsigned char *dark; /* width * width bytes, row by row: 1 = dark */
};

/* Encodes a payload (QR alphanumeric characters only) at error correction
 * level M in the smallest version that holds it. XB_EINVAL when a
 * character is outside the alphanumeric set or the text is too long for a
 * QR code; XB_EFAIL when memory runs out. */
int slip_qr_make(const char *payload, struct slip_qr *qr, struct xb_error *err);
void slip_qr_free(struct slip_qr *qr);

/* Fills err with why path could not be written, for errno e (0: an
 * unknown cause); returns XB_EFAIL. */
int slip_write_fail(struct xb_error *err, int e, const char *path);

/* A file print/ writes (a slip, a roster): a temporary file beside path,
 * mode 0600 whatever the umask (it names children), cairo's stream into
 * it, then renamed into place or removed (write_fail.c). */
struct print_out {
	struct xb_temp_file f;
	int write_errno; /* the first error of write(), for the message */
	const char *path;
};
/* Opens the temporary file; the failure told by slip_write_fail (a path
 * too long for its temporary name: XB_EINVAL). */
int print_out_open(struct print_out *o, const char *path, struct xb_error *err);
/* cairo's write function; closure is the struct print_out. */
cairo_status_t print_out_write(void *closure, const unsigned char *data,
			       unsigned int len);
/* Into place; a failure to sync the folder after the rename keeps the
 * helper's message. */
int print_out_commit(struct print_out *o, struct xb_error *err);
void print_out_abort(struct print_out *o);

/* --- A4 table documents: the roster, the statistics (page.c) --- */

/* A4 landscape, in points, and what every such page keeps. */
#define PRINT_PAGE_W 841.9
#define PRINT_PAGE_H 595.3
#define PRINT_MARGIN 28.0 /* about 10 mm */
#define PRINT_BODY_PT 8.0
#define PRINT_TITLE_PT 16.0
#define PRINT_INFO_PT 9.0
#define PRINT_PAD 2.5     /* inside a cell, each side */
/* The same compact font as the slips (slip.c), through fontconfig. */
#define PRINT_FONT "WenQuanYi Zen Hei, Noto Sans CJK SC, sans"

/* Text on a page: a font map of our own (dropped after the file), one
 * layout, the regular and bold faces of PRINT_FONT. */
struct print_pen {
	cairo_t *cr;
	PangoFontMap *map;
	PangoLayout *lay;
	PangoFontDescription *fd[2]; /* regular, bold */
};
/* 0, or -1 out of memory (p is then closed). */
int print_pen_open(struct print_pen *p, cairo_t *cr);
void print_pen_close(struct print_pen *p);
/* Lays s out at size, bold or not, in width w (0: unlimited, one line),
 * wrapped by word or character into at most lines lines, the last ending
 * in an ellipsis when cut; al the alignment. Returns its height. */
double print_pen_lay(struct print_pen *p, const char *s, double size, int bold,
		     double w, int lines, PangoAlignment al);
/* The width of the text last laid out; whether it was cut to fit (cut
 * short, or a word split across lines). */
double print_pen_width(struct print_pen *p);
int print_pen_cut(struct print_pen *p);
/* Draws the layout last made with its top left at (x, y), gray 0 black. */
void print_pen_show(struct print_pen *p, double x, double y, double gray);

/* A table's row kept until the pages are drawn: its cells, each made
 * printable and cut to PRINT_CELL_MAX bytes, one after another with
 * their NULs. Appends text (NULL: empty) to *row (*len bytes so far);
 * on failure frees *row (NULL) and fills err. */
#define PRINT_CELL_MAX 1024
int print_row_put(char **row, size_t *len, const char *text, struct xb_error *err);

/* A table's columns on the page and its header row. */
struct print_grid {
	size_t ncol;
	double *x, *w;      /* each column's left edge and width */
	const char **label; /* each column's header */
	double head_h;      /* the header row's height */
	double line_h;      /* one line of body text */
};
/* The header row at y, shaded, each label centred in at most lines
 * lines. */
void print_grid_head(struct print_pen *p, const struct print_grid *g,
		     double y, int lines);
/* The rules of a block of rows: the frame from top, the column edges, a
 * line at each of ys[0..nys-1] (under the header, under each row). */
void print_grid_rules(cairo_t *cr, const struct print_grid *g, double top,
		      const double *ys, size_t nys);

/* "Page N of M" centred at the foot when draw; returns its height. */
double print_page_foot(struct print_pen *p, size_t page, size_t npages,
		       int draw);
/* The signature line (filled in by, checked by, seal, date) laid out
 * across the page; returns its height. */
double print_sign_lay(struct print_pen *p);

/* Writes an A4 landscape PDF titled title into o: draw(cr, arg) draws
 * every page (returns -1 out of memory). On success the file is moved
 * into place; on any failure it is removed and err says why, naming
 * o->path (a full disk as such). */
int print_pdf_pages(struct print_out *o, const char *title,
		    int (*draw)(cairo_t *cr, void *arg), void *arg,
		    struct xb_error *err);

#endif
