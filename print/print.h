/* print.h - case slips: the QR payload that a home visitor scans, the
 * slip's layout, its renderers (PDF through cairo and pango, PNG, a text
 * preview a phone can scan off the screen) and sending a file to the
 * printer. Only print/ includes qrencode, cairo and pango.
 *
 * Files: payload.c (make and parse XB1:<case>:<version>), qr.c (the QR
 * matrix from libqrencode), slip.c (layout and the PDF, PNG and text
 * renderers), printer.c (lp, without a shell), roster.c (the printed
 * roster of children, 花名册, as an A4 landscape PDF), stats.c (the
 * period statistics table, stats/stats.h, as an A4 landscape PDF to
 * file), table.c (a printed list: a table of text cells in sections),
 * lists.c (the lists a clerk prints: overdue visits by village, open
 * reports, a village's sheet of slips), page.c (what they share: the
 * pen that lays text out, for the slips too; table rules, page numbers,
 * the signature line and the PDF written whole, for the roster, the
 * statistics and the lists),
 * write_fail.c (why a file could not be written), private.h (what they
 * share: the QR matrix, the write failure, page.c's helpers).
 *
 * A slip carries no name or ID number in its code: a lost slip leaks
 * nothing. Its printed text is in Chinese, for the family. */
#ifndef XB_PRINT_H
#define XB_PRINT_H

#include <stddef.h>

#include "../common/status.h"
#include "../stats/stats.h"
#include "../store/store.h"

#define SLIP_PREFIX "XB1"

/* "XB1:<case number>:<slip version>" into buf (QR alphanumeric mode:
 * digits, upper case, '-' and ':' only). */
int slip_payload_make(const char *case_no, unsigned version, char *buf,
		      size_t len, struct xb_error *err);

/* Parses what a scanner typed: the prefix, the form, the case number's
 * check character; surrounding spaces and a lower-case x are forgiven.
 * Fills case_no[18] and *version. XB_EINVAL with a message otherwise. */
int slip_payload_parse(const char *text, char case_no[18], unsigned *version,
		       struct xb_error *err);

/* What one slip shows; the caller resolves it from the ledger. Strings
 * may be NULL (shown as blank lines to fill by hand). */
struct slip_data {
	const char *office_name;
	const char *office_phone;
	const char *case_no;
	const char *name;
	const char *village;
	const char *member_name;
	const char *member_phone;
	const char *next_visit_due;
	const char *printed_on; /* YYYY-MM-DD */
	unsigned version;
};

/* Fills what a child's slip shows from the office and child records
 * (office may be NULL); the strings belong to the records. */
void slip_data_fill(const struct store_record *office,
		    const struct store_record *child, unsigned version,
		    const char *today, struct slip_data *out);

/* A PDF: one A6 slip a page (sheet 0), or A4 sheets of 8 slips (sheet 1)
 * for a whole village. Written to a temporary file beside path and
 * renamed, so a failure leaves no partial file; mode 0600 whatever the
 * umask (a slip names a child), as are the PNGs. */
int slip_pdf(const struct slip_data *slips, size_t n, int sheet,
	     const char *path, struct xb_error *err);
/* One slip as a PNG image (300 dpi, A6). */
int slip_png(const struct slip_data *slip, const char *path,
	     struct xb_error *err);
/* The QR code as UTF-8 half blocks (two module rows a line, with its
 * quiet zone), then the slip's lines: *out is malloc'd. */
int slip_text(const struct slip_data *slip, char **out, struct xb_error *err);

/* Sends a file to the printer with lp (CUPS), run without a shell.
 * XB_ENOTFOUND when there is no lp; XB_EFAIL with lp's words otherwise. */
int slip_send_to_printer(const char *path, struct xb_error *err);

/* --- the printed roster (roster.c) --- */

/* One filter a roster was made with, in words: 村(居) and 红旗村. */
struct roster_filter {
	const char *label;
	const char *value;
};

/* What the roster's head says; copied at open. */
struct roster_head {
	const char *office_name;
	const char *office_code;
	const char *made_on; /* YYYY-MM-DD */
	const struct roster_filter *filters;
	size_t nfilters;     /* 0: every child */
};

/* A roster being written: the columns are form_roster_fields(1) after a
 * 序号 column, a row a child in the order added. The rows are kept until
 * close (about 150 bytes a child) so each page can say "page N of M".
 * open makes the temporary file beside path at once (an unwritable folder
 * is told before any row); close draws every page, writes and renames it
 * into place (mode 0600) and frees r (*r NULL) whatever it returns,
 * *pages the number of pages (may be NULL); on any failure, and after
 * abort, nothing is left at path. Messages name path; a full disk says
 * so. */
struct roster_pdf;
int roster_pdf_open(const char *path, const struct roster_head *head,
		    struct roster_pdf **out, struct xb_error *err);
int roster_pdf_add(struct roster_pdf *r, const struct store_record *child,
		   struct xb_error *err);
/* The children added so far. */
size_t roster_pdf_count(const struct roster_pdf *r);
int roster_pdf_close(struct roster_pdf **r, size_t *pages,
		     struct xb_error *err);
void roster_pdf_abort(struct roster_pdf **r);

/* Whether this computer has a printer command (lp) to send files to. */
int print_printer_here(void);

/* --- a printed list (table.c) --- */

/* A column of a printed list. */
struct print_table_col {
	const char *label;
	int fixed; /* 1: as wide as its widest cell, never wrapped (dates,
		      numbers); 0: shares what is left, wraps to two lines */
	int right; /* aligned right (counts) */
};

/* A list being written: an A4 landscape PDF with title and lines of
 * information (info, ninfo) on its first page, then the rows under a
 * header row, in sections when headings are added (each row after a
 * heading belongs to it; a section running onto the next page says
 * "continued"); "page N of M" at each foot and the signature line after
 * the last row. Everything is copied. The rows are kept until close;
 * open makes the temporary file beside path at once (an unwritable folder
 * is told before any row); close draws every page, renames the file into
 * place (mode 0600) and frees t (*t NULL) whatever it returns, *pages the
 * number of pages (may be NULL); on any failure, and after abort, nothing
 * is left at path. */
struct print_table;
int print_table_open(const char *path, const char *title, const char *const *info,
		     size_t ninfo, const struct print_table_col *cols, size_t ncol,
		     struct print_table **out, struct xb_error *err);
int print_table_section(struct print_table *t, const char *heading,
			struct xb_error *err);
/* cells: one text a column (NULL: empty). */
int print_table_row(struct print_table *t, const char *const *cells,
		    struct xb_error *err);
/* The rows added so far. */
size_t print_table_rows(const struct print_table *t);
int print_table_close(struct print_table **t, size_t *pages, struct xb_error *err);
void print_table_abort(struct print_table **t);

/* --- the lists a clerk prints (lists.c) ---
 *
 * Each reads the ledger as user may see it (forms/ledger.h: a village
 * user only their villages' children and their reports; a village that is
 * not theirs is refused with XB_EPERM) and writes path whole or not at all
 * (mode 0600); *n how many children or reports it holds, *pages its
 * pages (either may be NULL). Messages name path (a missing folder, a
 * full disk). today is YYYY-MM-DD. */

/* The children whose visit is overdue, a section per village (its name
 * and code, how many), each child with case number, name, last visit,
 * next visit due, days overdue and responsible member. */
int print_overdue_pdf(struct store *st, const char *user, const char *today,
		      const char *path, size_t *n, size_t *pages, struct xb_error *err);
/* The reports f names (ledger_reports_read), the oldest found first: the
 * report's number, the child, category, found, reported to the police (or
 * "not reported"), stage, days since found. */
struct ledger_reports_filter;
int print_reports_pdf(struct store *st, const char *user, const char *today,
		      const struct ledger_reports_filter *f, const char *path,
		      size_t *n, size_t *pages, struct xb_error *err);
/* The slips of a village's children in the ledger (village: its code or
 * name in the register), A4 sheets of 8 (slip_pdf): each slip issued as
 * printed (ledger_slip_issue). XB_ENOTFOUND when the village has no
 * child in the ledger; the village's code into code[13] when not NULL. */
int print_village_slips(struct store *st, const char *user, const char *village,
			const char *today, const char *path, size_t *n,
			char code[13], struct xb_error *err);

/* --- the statistics table (stats.c) --- */

/* Writes table t as an A4 landscape PDF at path, ready to file: title,
 * period, office, the days made and figures stand at, the columns a
 * group at a time (each with its rows and the total 合计, the median
 * delay among the reports' columns), page numbers and the signature
 * line. Written beside path and renamed (mode 0600): on any failure
 * nothing is left at path and err names it (a full disk says so). */
int print_stats_pdf(const struct stats_table *t, const char *path,
		    struct xb_error *err);

#endif
