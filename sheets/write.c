/* write.c - sheet_writer: rosters for Excel. .xlsx through libxlsxwriter
 * (constant-memory mode: rows go to temporary files in the target's own
 * folder as they come), written to a temporary name beside the target
 * and renamed over it; CSV through the safe-file trio (common/
 * safe_file.h), in UTF-8 with or without BOM or in GBK, quoted as Excel
 * quotes, with CRLF line ends. GBK means GBK proper, code page 936, what
 * Chinese Excel and WPS read a CSV as: a character only GB18030 holds
 * (an emoji, a rare name character such as U+20000) would come out as
 * garbage there, so it is refused (the reader takes GB18030, a superset).
 * Every cell of sheet_write_row is text, so an ID number stays an ID
 * number in Excel; tables of figures (the statistics) write typed rows,
 * numbers as numbers (sheet_write_cells). */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../common/i18n.h"
#include "../common/safe_file.h"
#include "private.h"

#define CSV_BUF 65536
#define WIDTH_MIN 6
#define WIDTH_MAX 50

struct sheet_writer {
	enum sheet_format fmt;
	char *path;
	struct xb_temp_file tf;
	unsigned long rows;  /* rows written, the title's too */
	int titled;
	/* .xlsx */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *big;
	lxw_format *fmts[64]; /* of typed cells, by FMT_* flags, made at need */
	char *tmpdir;
	size_t *widths;      /* the widest cell of each column, title aside */
	size_t nwidths;
	/* CSV */
	iconv_t cd;          /* UTF-8 to GBK, or (iconv_t)-1 */
	char *buf;           /* bytes not yet written */
	size_t blen;
	char *line;          /* the row being made */
	size_t llen, lcap;
};

/* The folder of path, malloc'd ("." for none). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Says a write to path failed with errno e, a full disk as such. */
static int write_fail(const char *path, int e, struct xb_error *err)
{
	const char *full = xb_disk_full_msg(e);
	if (full)
		return xb_fail(err, XB_EFAIL, _("Could not write %s: %s"), path,
			       full);
	return xb_fail(err, XB_EFAIL, _("Could not write %s: %s."), path,
		       e ? strerror(e) : _("an unknown error"));
}

static void writer_free(struct sheet_writer *w)
{
	if (w->wb)
		lxw_workbook_free(w->wb);
	if (w->tf.path || w->tf.tmp)
		xb_file_abort(&w->tf);
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	free(w->tmpdir);
	free(w->widths);
	free(w->buf);
	free(w->line);
	free(w->path);
	free(w);
}

/* --- .xlsx ----------------------------------------------------------- */

/* A worksheet name Excel takes: none of []:*?/\, at most 31 characters,
 * no apostrophe at either end. */
static void sheet_name_fix(const char *name, char out[128])
{
	size_t o = 0, chars = 0;
	for (const char *p = name ? name : ""; *p && chars < 31 && o < 120; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c & 0xC0) != 0x80)
			chars++;
		if (chars > 31)
			break;
		out[o++] = strchr("[]:*?/\\", c) ? '_' : (char)c;
	}
	while (o > 0 && (out[o - 1] & 0xC0) == 0xC0) /* a cut sequence */
		o--;
	out[o] = '\0';
	while (out[0] == '\'')
		memmove(out, out + 1, strlen(out));
	o = strlen(out);
	while (o > 0 && out[o - 1] == '\'')
		out[--o] = '\0';
	if (out[0] == '\0')
		snprintf(out, 128, "Sheet1");
}

static int xlsx_open(struct sheet_writer *w, const char *sheet_name,
		     struct xb_error *err)
{
	w->tmpdir = folder_of(w->path);
	if (w->tmpdir == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE,
				     .tmpdir = w->tmpdir,
				     .use_zip64 = LXW_FALSE };
	w->wb = workbook_new_opt(w->tf.tmp, &opt);
	char name[128];
	sheet_name_fix(sheet_name, name);
	if (w->wb)
		w->ws = workbook_add_worksheet(w->wb, name);
	if (w->wb == NULL || w->ws == NULL)
		return write_fail(w->path, errno, err);
	w->bold = workbook_add_format(w->wb);
	w->big = workbook_add_format(w->wb);
	if (w->bold == NULL || w->big == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	format_set_bold(w->bold);
	format_set_text_wrap(w->bold);
	format_set_align(w->bold, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bold(w->big);
	format_set_font_size(w->big, 16);
	format_set_align(w->big, LXW_ALIGN_CENTER);
	format_set_align(w->big, LXW_ALIGN_VERTICAL_CENTER);
	return XB_OK;
}

/* Says why libxlsxwriter refused a cell of row (1-based). */
static int xlsx_cell_fail(struct sheet_writer *w, lxw_error e,
			  struct xb_error *err)
{
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return xb_fail(err, XB_EINVAL,
			       _("Row %lu has a cell longer than Excel holds "
				 "(32,767 characters)."), w->rows + 1);
	if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return xb_fail(err, XB_EINVAL,
			       _("Excel holds at most 1,048,576 rows of 16,384 "
				 "columns: split the roster (by village) and "
				 "try again."));
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return xb_fail(err, XB_EFAIL, _("Could not write %s: %s."), w->path,
		       lxw_strerror(e));
}

/* Notes a cell dw columns wide in column col. */
static int note_cols(struct sheet_writer *w, size_t col, size_t dw)
{
	if (col >= w->nwidths) {
		size_t n = col + 16;
		size_t *p = realloc(w->widths, n * sizeof(*p));
		if (p == NULL)
			return -1;
		memset(p + w->nwidths, 0, (n - w->nwidths) * sizeof(*p));
		w->widths = p;
		w->nwidths = n;
	}
	if (dw > w->widths[col])
		w->widths[col] = dw;
	return 0;
}

/* Notes the display width of text in column col (its widest line). */
static int note_width(struct sheet_writer *w, size_t col, const char *text)
{
	const char *line = text;
	for (;;) {
		const char *nl = strchr(line, '\n');
		char *one = nl ? strndup(line, (size_t)(nl - line)) : NULL;
		if (nl && one == NULL)
			return -1;
		size_t dw = sheet_display_width(one ? one : line);
		free(one);
		if (note_cols(w, col, dw) != 0)
			return -1;
		if (nl == NULL)
			return 0;
		line = nl + 1;
	}
}

static int xlsx_title(struct sheet_writer *w, const char *title, size_t ncols,
		      struct xb_error *err)
{
	lxw_error e = worksheet_set_row(w->ws, 0, 30, NULL);
	if (e == LXW_NO_ERROR) {
		if (ncols > 1)
			e = worksheet_merge_range(w->ws, 0, 0, 0,
						  (lxw_col_t)(ncols - 1), title,
						  w->big);
		else
			e = worksheet_write_string(w->ws, 0, 0, title, w->big);
	}
	return e == LXW_NO_ERROR ? XB_OK : xlsx_cell_fail(w, e, err);
}

static int xlsx_row(struct sheet_writer *w, const char *const *cells, size_t n,
		    int header, struct xb_error *err)
{
	if (w->rows >= LXW_ROW_MAX || n > LXW_COL_MAX)
		return xlsx_cell_fail(w, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE,
				      err);
	lxw_row_t r = (lxw_row_t)w->rows;
	for (size_t i = 0; i < n; i++) {
		if (cells[i] == NULL || cells[i][0] == '\0')
			continue;
		lxw_error e = worksheet_write_string(w->ws, r, (lxw_col_t)i,
						     cells[i],
						     header ? w->bold : NULL);
		if (e != LXW_NO_ERROR)
			return xlsx_cell_fail(w, e, err);
		if (note_width(w, i, cells[i]) != 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	if (header)
		worksheet_freeze_panes(w->ws, r + 1, 0);
	return XB_OK;
}

/* --- typed rows ------------------------------------------------------ */

enum { FMT_BOLD = 1, FMT_CENTER = 2, FMT_WRAP = 4, FMT_BORDER = 8,
       FMT_INT = 16, FMT_DEC1 = 32 };

/* The format of flags, made the first time it is asked for; NULL out of
 * memory. */
static lxw_format *xlsx_format(struct sheet_writer *w, unsigned flags)
{
	if (w->fmts[flags] != NULL)
		return w->fmts[flags];
	lxw_format *f = workbook_add_format(w->wb);
	if (f == NULL)
		return NULL;
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (flags & FMT_BOLD)
		format_set_bold(f);
	if (flags & FMT_CENTER)
		format_set_align(f, LXW_ALIGN_CENTER);
	if (flags & FMT_WRAP)
		format_set_text_wrap(f);
	if (flags & FMT_BORDER)
		format_set_border(f, LXW_BORDER_THIN);
	if (flags & FMT_INT)
		format_set_num_format(f, "0");
	if (flags & FMT_DEC1)
		format_set_num_format(f, "0.0");
	return w->fmts[flags] = f;
}

/* A typed cell as CSV text (or for its width) into buf. */
static const char *out_text(const struct sheet_out_cell *c, char *buf,
			    size_t len)
{
	switch (c->kind) {
	case SHEET_OUT_TEXT:
		return c->text ? c->text : "";
	case SHEET_OUT_INT:
		snprintf(buf, len, "%.0f", c->number);
		return buf;
	case SHEET_OUT_DEC1:
		snprintf(buf, len, "%.1f", c->number);
		return buf;
	case SHEET_OUT_EMPTY:
		break;
	}
	return "";
}

static unsigned style_flags(enum sheet_out_style style)
{
	switch (style) {
	case SHEET_OUT_NOTE: return 0;
	case SHEET_OUT_HEAD: return FMT_BOLD | FMT_CENTER | FMT_WRAP | FMT_BORDER;
	case SHEET_OUT_TOTAL: return FMT_BOLD | FMT_BORDER;
	case SHEET_OUT_PLAIN: break;
	}
	return FMT_BORDER;
}

/* Writes cell c at column col of the current row. */
static lxw_error xlsx_typed(struct sheet_writer *w, size_t col,
			    const struct sheet_out_cell *c, lxw_format *f)
{
	lxw_row_t r = (lxw_row_t)w->rows;
	lxw_col_t k = (lxw_col_t)col;
	if (c->span > 1)
		return worksheet_merge_range(w->ws, r, k, r,
					     (lxw_col_t)(col + c->span - 1),
					     c->kind == SHEET_OUT_TEXT && c->text ?
					     c->text : "", f);
	switch (c->kind) {
	case SHEET_OUT_TEXT:
		return worksheet_write_string(w->ws, r, k, c->text ? c->text : "",
					      f);
	case SHEET_OUT_INT:
	case SHEET_OUT_DEC1:
		return worksheet_write_number(w->ws, r, k, c->number, f);
	case SHEET_OUT_EMPTY:
		break;
	}
	return f ? worksheet_write_blank(w->ws, r, k, f) : LXW_NO_ERROR;
}

static int xlsx_cells(struct sheet_writer *w, const struct sheet_out_cell *cells,
		      size_t n, enum sheet_out_style style, double height,
		      struct xb_error *err)
{
	if (w->rows >= LXW_ROW_MAX || n > LXW_COL_MAX)
		return xlsx_cell_fail(w, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE,
				      err);
	if (height > 0)
		worksheet_set_row(w->ws, (lxw_row_t)w->rows, height, NULL);
	unsigned base = style_flags(style);
	char buf[32];
	for (size_t i = 0; i < n; i++) {
		const struct sheet_out_cell *c = &cells[i];
		unsigned flags = base | (c->kind == SHEET_OUT_INT ? FMT_INT : 0) |
				 (c->kind == SHEET_OUT_DEC1 ? FMT_DEC1 : 0);
		lxw_format *f = flags ? xlsx_format(w, flags) : NULL;
		if (flags && f == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		lxw_error e = xlsx_typed(w, i, c, f);
		if (e != LXW_NO_ERROR)
			return xlsx_cell_fail(w, e, err);
		if (style == SHEET_OUT_NOTE || c->span > 1)
			continue;
		size_t dw = sheet_display_width(out_text(c, buf, sizeof(buf)));
		if (style == SHEET_OUT_HEAD)
			dw = (dw + 1) / 2; /* it wraps */
		if (note_cols(w, i, dw) != 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	return XB_OK;
}

static int xlsx_close(struct sheet_writer *w, struct xb_error *err)
{
	for (size_t c = 0; c < w->nwidths; c++) {
		if (w->widths[c] == 0)
			continue;
		size_t width = w->widths[c] + 2;
		if (width < WIDTH_MIN)
			width = WIDTH_MIN;
		if (width > WIDTH_MAX)
			width = WIDTH_MAX;
		worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c,
				     (double)width, NULL);
	}
	errno = 0;
	lxw_error e = workbook_close(w->wb); /* frees it */
	int saved = errno;
	w->wb = NULL;
	if (e != LXW_NO_ERROR)
		return saved ? write_fail(w->path, saved, err) :
			xb_fail(err, XB_EFAIL, _("Could not write %s: %s."),
				w->path, lxw_strerror(e));
	/* libxlsxwriter wrote the file by its name: sync what is there now */
	close(w->tf.fd);
	w->tf.fd = open(w->tf.tmp, O_RDWR | O_CLOEXEC);
	if (w->tf.fd < 0)
		return write_fail(w->path, errno, err);
	return XB_OK;
}

/* --- CSV ----------------------------------------------------------------- */

/* Writes out the buffered bytes. */
static int csv_flush(struct sheet_writer *w, struct xb_error *err)
{
	size_t off = 0;
	while (off < w->blen) {
		ssize_t n = write(w->tf.fd, w->buf + off, w->blen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return write_fail(w->path, errno, err);
		off += (size_t)n;
	}
	w->blen = 0;
	return XB_OK;
}

static int csv_put(struct sheet_writer *w, const char *s, size_t n,
		   struct xb_error *err)
{
	while (n > 0) {
		if (w->blen == CSV_BUF) {
			int ret = csv_flush(w, err);
			if (ret != XB_OK)
				return ret;
		}
		size_t k = CSV_BUF - w->blen < n ? CSV_BUF - w->blen : n;
		memcpy(w->buf + w->blen, s, k);
		w->blen += k;
		s += k;
		n -= k;
	}
	return XB_OK;
}

/* Appends n bytes to the row being made. */
static int line_add(struct sheet_writer *w, const char *s, size_t n)
{
	if (w->llen + n > w->lcap) {
		size_t cap = w->lcap ? w->lcap : 1024;
		while (cap < w->llen + n)
			cap *= 2;
		char *p = realloc(w->line, cap);
		if (p == NULL)
			return -1;
		w->line = p;
		w->lcap = cap;
	}
	memcpy(w->line + w->llen, s, n);
	w->llen += n;
	return 0;
}

/* The UTF-8 character at s, as a string for a message. */
static void one_char(const char *s, char out[8])
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
	size_t i = 0;
	for (; i < n && u[i] && (i == 0 || (u[i] & 0xC0) == 0x80); i++)
		out[i] = (char)u[i];
	out[i] = '\0';
}

/* Appends s to the row in the file's encoding; refuses what GBK cannot
 * hold, naming the row and the character. */
static int line_add_text(struct sheet_writer *w, const char *s, size_t n,
			 struct xb_error *err)
{
	if (w->cd == (iconv_t)-1)
		return line_add(w, s, n) ? xb_fail(err, XB_EFAIL,
						   _("Out of memory.")) : XB_OK;
	char *in = (char *)s;
	size_t inleft = n;
	while (inleft > 0) {
		char out[256];
		char *op = out;
		size_t ol = sizeof(out);
		size_t r = iconv(w->cd, &in, &inleft, &op, &ol);
		int e = errno;
		if (line_add(w, out, (size_t)(op - out)) != 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		if (r == (size_t)-1 && e != E2BIG) {
			char ch[8];
			one_char(in, ch);
			iconv(w->cd, NULL, NULL, NULL, NULL);
			return xb_fail(err, XB_EINVAL,
				       _("Row %lu holds the character \"%s\", "
					 "which GBK cannot hold: save as CSV "
					 "UTF-8 or .xlsx instead."),
				       w->rows + 1, ch);
		}
	}
	return XB_OK;
}

static int csv_row(struct sheet_writer *w, const char *const *cells, size_t n,
		   struct xb_error *err)
{
	w->llen = 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int quote = strpbrk(c, ",\"\r\n") != NULL;
		int ret = XB_OK;
		if (i > 0)
			ret = line_add_text(w, ",", 1, err);
		if (ret == XB_OK && quote)
			ret = line_add_text(w, "\"", 1, err);
		for (const char *p = c; ret == XB_OK && *p;) {
			const char *q = quote ? strchr(p, '"') : NULL;
			size_t len = q ? (size_t)(q - p) + 1 : strlen(p);
			ret = line_add_text(w, p, len, err);
			if (ret == XB_OK && q) /* a quote inside is doubled */
				ret = line_add_text(w, "\"", 1, err);
			p += len;
		}
		if (ret == XB_OK && quote)
			ret = line_add_text(w, "\"", 1, err);
		if (ret != XB_OK)
			return ret;
	}
	int ret = line_add_text(w, "\r\n", 2, err);
	if (ret == XB_OK)
		ret = csv_put(w, w->line, w->llen, err);
	return ret;
}

/* --- the interface --------------------------------------------------------- */

int sheet_writer_open(const char *path, enum sheet_format fmt,
		      enum sheet_encoding enc, const char *sheet_name,
		      struct sheet_writer **out, struct xb_error *err)
{
	*out = NULL;
	if (fmt != SHEET_XLSX && fmt != SHEET_CSV)
		return xb_fail(err, XB_EINVAL,
			       _("Rosters are written as .xlsx or CSV, not as "
				 ".xls."));
	if (fmt == SHEET_CSV && enc == SHEET_UTF16)
		return xb_fail(err, XB_EINVAL,
			       _("A CSV roster is written in UTF-8 or GBK."));
	struct sheet_writer *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	w->fmt = fmt;
	w->cd = (iconv_t)-1;
	w->tf.fd = -1;
	w->path = strdup(path);
	int ret = w->path ? XB_OK : xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (ret == XB_OK)
		ret = xb_file_open_temp(&w->tf, path, NULL, 0600, err);
	if (ret == XB_OK && fmt == SHEET_XLSX) {
		ret = xlsx_open(w, sheet_name, err);
	} else if (ret == XB_OK) {
		w->buf = malloc(CSV_BUF);
		if (w->buf == NULL)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else if (enc == SHEET_GBK &&
			 (w->cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1)
			ret = xb_fail(err, XB_EFAIL,
				      _("Could not write %s: this system "
					"cannot convert text to %s."), path,
				      "GBK");
		else if (enc == SHEET_UTF8_BOM)
			ret = csv_put(w, "\xEF\xBB\xBF", 3, err);
	}
	if (ret != XB_OK) {
		writer_free(w);
		return ret;
	}
	*out = w;
	return XB_OK;
}

int sheet_write_title(struct sheet_writer *w, const char *title,
		      size_t ncols, struct xb_error *err)
{
	if (w->titled || w->rows > 0)
		return xb_fail(err, XB_EINVAL,
			       _("A title comes once, above the table."));
	int ret;
	if (w->fmt == SHEET_XLSX) {
		ret = xlsx_title(w, title, ncols, err);
	} else {
		const char *cells[1] = { title };
		ret = csv_row(w, cells, 1, err);
	}
	if (ret == XB_OK) {
		w->titled = 1;
		w->rows++;
	}
	return ret;
}

int sheet_write_row(struct sheet_writer *w, const char *const *cells,
		    size_t n, int header, struct xb_error *err)
{
	int ret = w->fmt == SHEET_XLSX ? xlsx_row(w, cells, n, header, err) :
		csv_row(w, cells, n, err);
	if (ret == XB_OK)
		w->rows++;
	return ret;
}

int sheet_write_cells(struct sheet_writer *w,
		      const struct sheet_out_cell *cells, size_t n,
		      enum sheet_out_style style, double height,
		      struct xb_error *err)
{
	int ret;
	if (w->fmt == SHEET_XLSX) {
		ret = xlsx_cells(w, cells, n, style, height, err);
	} else {
		const char **text = calloc(n ? n : 1, sizeof(*text));
		char (*bufs)[32] = calloc(n ? n : 1, sizeof(*bufs));
		if (text == NULL || bufs == NULL) {
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		} else {
			for (size_t i = 0; i < n; i++)
				text[i] = out_text(&cells[i], bufs[i], sizeof(bufs[i]));
			ret = csv_row(w, text, n, err);
		}
		free(text);
		free(bufs);
	}
	if (ret == XB_OK)
		w->rows++;
	return ret;
}

void sheet_writer_freeze(struct sheet_writer *w, size_t cols)
{
	if (w->fmt == SHEET_XLSX)
		worksheet_freeze_panes(w->ws, (lxw_row_t)w->rows, (lxw_col_t)cols);
}

int sheet_writer_close(struct sheet_writer **wp, struct xb_error *err)
{
	struct sheet_writer *w = *wp;
	*wp = NULL;
	if (w == NULL)
		return XB_OK;
	int ret = w->fmt == SHEET_XLSX ? xlsx_close(w, err) :
		csv_flush(w, err);
	if (ret == XB_OK)
		ret = xb_file_commit(&w->tf, err); /* frees tf */
	writer_free(w);
	return ret;
}

void sheet_writer_abort(struct sheet_writer **wp)
{
	if (*wp == NULL)
		return;
	writer_free(*wp);
	*wp = NULL;
}
