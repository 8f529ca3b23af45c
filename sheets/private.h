/* private.h - what the files of sheets/ share: the row being built (a
 * reader's cells and their text in one growing block), a reader's
 * backend, and the cell helpers of cells.c (Excel's General format, a
 * date serial as YYYY-MM-DD, display width). */
#ifndef XB_SHEETS_PRIVATE_H
#define XB_SHEETS_PRIVATE_H

#include <stddef.h>

#include "sheets.h"

/* The most columns a row may have (Excel's XFD). */
#define SHEET_MAX_COLS 16384
/* The most rows a worksheet may have (Excel's 1048576). */
#define SHEET_MAX_ROWS 1048576UL

/* A row being built: cells whose text lives in one block, kept as
 * offsets until sheet_rowbuf_finish points the cells at it. */
struct sheet_rowbuf {
	struct sheet_row row;
	struct sheet_cell *cells;
	size_t *offs;     /* per cell: where its text starts in text */
	size_t ncells, cap;
	char *text;
	size_t len, text_cap;
};

/* Empties the row (keeping its memory) and sets its number. */
void sheet_rowbuf_reset(struct sheet_rowbuf *b, unsigned long number);
/* Appends a cell of type with len bytes of text (and number); fills the
 * gap up to column col with empty cells first. 0, or -1 out of memory. */
int sheet_rowbuf_add(struct sheet_rowbuf *b, size_t col,
		     enum sheet_cell_type type, const char *text, size_t len,
		     double number);
/* Points the cells at their text, drops trailing empty cells; the row
 * then stays valid until the next reset. */
const struct sheet_row *sheet_rowbuf_finish(struct sheet_rowbuf *b);
void sheet_rowbuf_free(struct sheet_rowbuf *b);

/* A reader's backend: its rows, how far it is, its end. */
struct sheet_backend {
	/* 1 with the row in b, 0 at the end, <0 with err. */
	int (*next)(void *impl, struct sheet_rowbuf *b, struct xb_error *err);
	unsigned (*progress)(const void *impl);
	void (*close)(void *impl);
};

/* Each opener: XB_OK with *impl, or a message naming path. */
struct sheet_text_info {
	enum sheet_encoding enc;
	char sep;
};
int sheet_csv_open(const char *path, void **impl,
		   struct sheet_text_info *info, struct xb_error *err);
extern const struct sheet_backend sheet_csv_backend;
int sheet_xlsx_open(const char *path, void **impl, struct xb_error *err);
extern const struct sheet_backend sheet_xlsx_backend;
int sheet_xls_open(const char *path, void **impl, struct xb_error *err);
extern const struct sheet_backend sheet_xls_backend;

/* A number as Excel's General format shows it in a default cell:
 * integers whole up to 11 digits, larger ones as "2.20221E+17", other
 * numbers in their shortest form (15 significant digits at most). */
void sheet_general_text(double v, char out[32]);
/* The Excel serial of a date (1900 system with its 1900-02-29, or the
 * 1904 system) as YYYY-MM-DD; 0, or -1 when it is no date (below 1 or
 * past 9999). */
int sheet_serial_date(double serial, int date1904, char out[16]);
/* The 1900-system serial of a YYYY-MM-DD date (the first 10 bytes of s);
 * 0 when s is no such date. */
double sheet_date_serial(const char *s);
/* Whether an Excel number format code shows a date (y, d, or m without
 * h or s, outside quotes, brackets and escapes). */
int sheet_format_is_date(const char *code);
/* Columns text takes on screen: CJK and other wide characters 2. */
size_t sheet_display_width(const char *text);

/* --- typed rows for tables of figures (write.c) --- */

/* A cell of sheet_write_cells: text, a whole number, a number shown with
 * one decimal, or nothing; span > 1 merges it across that many columns
 * (.xlsx; CSV writes it in the first and leaves the rest empty). */
enum sheet_out_kind { SHEET_OUT_EMPTY, SHEET_OUT_TEXT, SHEET_OUT_INT,
		      SHEET_OUT_DEC1 };
struct sheet_out_cell {
	enum sheet_out_kind kind;
	const char *text;
	double number;
	unsigned span; /* 0 and 1: one column */
};
/* How a row looks in .xlsx: plain; a note (not framed, not counted in
 * the column widths); a header (bold, centred, wrapped, framed; counted
 * at half its width, as it wraps); a total (bold). Table rows are
 * framed. */
enum sheet_out_style { SHEET_OUT_PLAIN, SHEET_OUT_NOTE, SHEET_OUT_HEAD,
		       SHEET_OUT_TOTAL };
/* One row of n typed cells; height in points (0: Excel's own). */
int sheet_write_cells(struct sheet_writer *w,
		      const struct sheet_out_cell *cells, size_t n,
		      enum sheet_out_style style, double height,
		      struct xb_error *err);
/* Keeps the rows written so far and the first cols columns in view as
 * the sheet scrolls (.xlsx; nothing in CSV). */
void sheet_writer_freeze(struct sheet_writer *w, size_t cols);

#endif
