/* sheets.h - spreadsheets in and out: the survey an office keeps in Excel
 * or WPS read row by row (.xlsx, .xls, .csv, .txt), rosters written for
 * Excel (.xlsx, CSV in UTF-8 or GBK), and the import of children from a
 * sheet into the ledger. Only sheets/ includes libxlsxwriter, FreeXL,
 * libzip, expat, libcsv and iconv.
 *
 * Files:
 *   read.c       sheet_open: the format told from the file's first bytes,
 *                the rows handed out one at a time
 *   read_csv.c   CSV and tab-separated text: libcsv, the encoding found
 *                (UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030)
 *   read_xlsx.c  .xlsx: libzip for the parts, expat for the XML, streamed
 *   read_xls.c   .xls (Excel 97-2003): FreeXL, in a child process whose
 *                rows come through a pipe (FreeXL crashes on some
 *                damaged files)
 *   write.c      sheet_writer: .xlsx through libxlsxwriter, CSV through
 *                the safe-file trio (common/safe_file.h)
 *   roster.c     sheet_roster: the roster of children written as a sheet
 *   stats.c      sheet_stats_write: the period statistics table
 *                (stats/stats.h) as an .xlsx
 *   import.c     sheet_import: header row, columns to fields, cells to
 *                values, rows through the ledger in one transaction,
 *                rejects written back in the input's format
 *   cells.c      what the readers and the writer share: the row being
 *                built, Excel's General format, date serials, widths
 *   private.h    what these files share
 *
 * Library module: never prints, never exits; errors are sentences in the
 * user's language in struct xb_error. */
#ifndef XB_SHEETS_H
#define XB_SHEETS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"
#include "../store/store.h"

enum sheet_format {
	SHEET_CSV,  /* comma-, semicolon- or tab-separated text (.csv, .txt) */
	SHEET_XLSX, /* Office Open XML workbook */
	SHEET_XLS,  /* Excel 97-2003 (BIFF8) */
};

enum sheet_encoding {
	SHEET_UTF8,     /* no byte order mark */
	SHEET_UTF8_BOM, /* what Excel writes as "CSV UTF-8" */
	SHEET_UTF16,    /* UTF-16 with BOM: Excel's "Unicode text" */
	SHEET_GBK,      /* GB18030, a superset of GBK: Chinese Excel's CSV */
};

enum sheet_cell_type {
	SHEET_EMPTY,
	SHEET_TEXT,   /* text as stored (UTF-8) */
	SHEET_NUMBER, /* a numeric cell: number holds it, text its digits
			 as Excel would show them in General format
			 (integers whole, "2.20221E+17" for large ones) */
	SHEET_DATE,   /* a numeric cell formatted as a date: text holds
			 YYYY-MM-DD, number the Excel serial */
};

struct sheet_cell {
	enum sheet_cell_type type;
	const char *text; /* "" for an empty cell, never NULL */
	double number;
};

/* One row. Cells of a merged area other than its first are empty, as the
 * spreadsheet stores them. Trailing empty cells may be left out. */
struct sheet_row {
	unsigned long number; /* 1-based row number as the spreadsheet
				 shows it (a CSV's record number) */
	size_t ncells;
	const struct sheet_cell *cells;
};

struct sheet_reader;

/* Opens path, telling its format from its content (a zip is .xlsx, an OLE
 * compound file .xls, anything else text), never from its name alone; a
 * text file's encoding and separator are found by reading it. Only the
 * first worksheet of a workbook is read. A file that is none of these
 * (a .doc, an image, a truncated .xlsx) is refused with a message saying
 * what it seems to be and what to save it as. */
int sheet_open(const char *path, struct sheet_reader **out,
	       struct xb_error *err);
enum sheet_format sheet_reader_format(const struct sheet_reader *r);
/* The encoding of a text file (SHEET_UTF8 for workbooks). */
enum sheet_encoding sheet_reader_encoding(const struct sheet_reader *r);
/* The separator of a text file (',' ';' '\t'), 0 for workbooks. */
char sheet_reader_separator(const struct sheet_reader *r);
/* The next row: 1 with *row (valid until the next call or close), 0 at
 * the end, <0 on error (a broken CSV quote, invalid text in the file's
 * encoding, a damaged workbook part), err naming the row. Blank rows are
 * returned too (ncells 0 or all cells empty). Memory stays flat with the
 * number of rows, except an .xlsx's shared-string table, which Excel
 * writes before the rows, and an .xls, which FreeXL reads whole. */
int sheet_next(struct sheet_reader *r, const struct sheet_row **row,
	       struct xb_error *err);
/* How far the reader is, 0 to 1000 (per mille), for a progress line. */
unsigned sheet_progress(const struct sheet_reader *r);
void sheet_close(struct sheet_reader **r);

/* Writing. Cells are text (an ID number stays text in Excel, never a
 * number). The file appears at path only when sheet_writer_close
 * succeeds (written beside it and renamed; a full disk is named as
 * such); mode 0600, as a roster names children. */
struct sheet_writer;
/* fmt SHEET_XLSX (encoding ignored) or SHEET_CSV (SHEET_UTF8_BOM, the
 * default that Excel opens right, SHEET_UTF8 or SHEET_GBK; separator
 * ','). sheet_name names the worksheet (.xlsx). */
int sheet_writer_open(const char *path, enum sheet_format fmt,
		      enum sheet_encoding enc, const char *sheet_name,
		      struct sheet_writer **out, struct xb_error *err);
/* A title above the table (.xlsx: bold, merged across ncols columns; CSV:
 * one cell on its own row). Before any row, at most once. */
int sheet_write_title(struct sheet_writer *w, const char *title,
		      size_t ncols, struct xb_error *err);
/* One row of n cells (NULL is an empty cell). header: the table's header
 * row (bold and frozen in .xlsx). A value GBK cannot hold is refused with
 * the row and the character named. */
int sheet_write_row(struct sheet_writer *w, const char *const *cells,
		    size_t n, int header, struct xb_error *err);
/* Finishes the file and frees w (*w NULL), or leaves nothing at path. */
int sheet_writer_close(struct sheet_writer **w, struct xb_error *err);
void sheet_writer_abort(struct sheet_writer **w);

/* --- the roster of children as a sheet (roster.c) --- */

/* Writes, as children are added, a roster: 序号, then the columns of
 * form_roster_fields(0) under their Chinese labels, choices by their
 * Chinese words; title (may be NULL) above it in an .xlsx. The file
 * appears at path only when sheet_roster_close succeeds. */
struct sheet_roster;
int sheet_roster_open(const char *path, enum sheet_format fmt,
		      enum sheet_encoding enc, const char *title,
		      struct sheet_roster **out, struct xb_error *err);
int sheet_roster_add(struct sheet_roster *r, const struct store_record *child,
		     struct xb_error *err);
size_t sheet_roster_count(const struct sheet_roster *r);
/* Finishes the file and frees *r (NULL after), or leaves nothing. */
int sheet_roster_close(struct sheet_roster **r, struct xb_error *err);
void sheet_roster_abort(struct sheet_roster **r);

/* --- the period statistics table (stats.c) --- */

struct stats_table;
/* Writes table t as an .xlsx at path: a title (office and period), a
 * row of the office code and the days, a two-row header (each group's
 * label merged over its columns, then the columns' labels), a row per
 * row of t and the total 合计, figures as numbers, the median delay with
 * one decimal (empty when there is none); header and names frozen. The
 * file appears at path only on success (mode 0600); err names path. */
int sheet_stats_write(const struct stats_table *t, const char *path,
		      struct xb_error *err);

/* --- importing children (import.c) --- */

/* How one row ended. */
enum sheet_row_result {
	SHEET_ROW_IMPORTED,  /* a new child */
	SHEET_ROW_UPDATED,   /* a child already there, changed where the
				sheet differs */
	SHEET_ROW_UNCHANGED, /* a child already there, equal */
	SHEET_ROW_REJECTED,  /* not imported: reason says why */
	SHEET_ROW_SKIPPED,   /* blank, a total row (合计, 总计), a repeated
				header */
};

struct sheet_import_options {
	const char *user;   /* who imports: in the history */
	const char *today;  /* YYYY-MM-DD */
	int dry_run;        /* check every row, write nothing */
	const char *rejects; /* path for the rejected rows, or NULL */
	/* --map "HEADER=FIELD": a header the tables do not know, mapped to a
	 * field key or label. */
	const char *const *maps;
	size_t nmaps;
	/* The full-screen interface imports: it has no --map and no shell,
	 * so the messages send the clerk to the sheet's header and the
	 * village register's screen instead. */
	int screen;
	/* Called now and then with how far the file is read (per mille) and
	 * the rows done; returns 0 to go on. May be NULL. */
	int (*progress)(unsigned permille, unsigned long rows, void *arg);
	/* Called for each row that is not imported or updated or left
	 * unchanged (rejected, and skipped other than blank), with the reason
	 * in the user's language, and for each row that came in with
	 * something to settle (a responsible member who is no user of the
	 * ledger, kept as written), with what. May be NULL. */
	void (*row_done)(unsigned long row_number, enum sheet_row_result res,
			 const char *reason, void *arg);
	void *arg;
};

struct sheet_import_summary {
	unsigned long imported, updated, unchanged, rejected, skipped;
	unsigned long header_row;   /* the row taken as the header */
	size_t ncolumns;            /* columns mapped to fields */
	/* Headers no field matched, ignored ("、"-joined, malloc'd; NULL
	 * when every column was used). */
	char *unknown_columns;
	enum sheet_format format;
	enum sheet_encoding encoding;
	int rejects_written;        /* 1 when the rejects file was made */
	/* 1 when the good rows came in but the rejects file could not be
	 * written (a full disk): sheet_import fails with err saying so, and
	 * the counts above stand. */
	int rejects_failed;
};
void sheet_import_summary_free(struct sheet_import_summary *s);

/* Imports the children of the sheet at path. Every row is checked as the
 * form checks a typed child; the good rows go into the ledger in one
 * transaction (none with dry_run), the rejected ones into opt->rejects in
 * the input's own format with a reason column added (.xls input: the
 * rejects are .xlsx, FreeXL being read-only). XB_EINVAL without writing
 * anything when no header row is found or a required column is missing
 * (err names what is missing). */
int sheet_import(struct store *st, const char *path,
		 const struct sheet_import_options *opt,
		 struct sheet_import_summary *sum, struct xb_error *err);

#endif
