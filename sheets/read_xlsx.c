/* read_xlsx.c - .xlsx through libzip and expat: the workbook part names
 * the first sheet's part, the shared strings are kept (one block and
 * offsets), the styles say which cells are dates, and the sheet itself is
 * streamed from zip_fread in chunks, expat suspended at each row's end so
 * that one row is handed out at a time. */
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../common/i18n.h"
#include "private.h"

#define CHUNK 65536

struct xlsx {
	char *path;
	zip_t *z;
	int date1904;
	/* the shared strings: NUL-ended, one after another */
	char *ss;
	size_t ss_len, ss_cap;
	size_t *ss_off;
	size_t ss_n, ss_offcap;
	/* the cell formats (cellXfs): 1 for a date */
	unsigned char *xf_date;
	size_t nxf, xf_cap;
	unsigned *date_fmts; /* custom number formats that are dates */
	size_t ndate_fmts;
	/* the sheet being streamed */
	zip_file_t *zf;
	uint64_t part_size, part_read;
	XML_Parser p;
	int suspended, last_final, ended;
	struct sheet_rowbuf *b;
	int row_ready;
	unsigned long last_row;
	/* the element being read (also while reading the small parts) */
	int depth_c, in_v, in_is, in_t, in_rph, in_sheetdata, in_xfs;
	int has_value;
	size_t col, next_col;
	char ctype[16];
	unsigned long cstyle;
	/* the styles of columns (<cols>) and of the row, for cells that name
	 * none (Gnumeric leaves a cell in a date column so) */
	struct col_style {
		unsigned long min, max, style;
	} *cols;
	size_t ncols;
	long row_style; /* -1: none */
	char *txt;
	size_t txt_len, txt_cap;
	/* the workbook's first sheet, its part */
	char *sheet_rid, *sheet_part;
	int bad; /* -1 out of memory, 1 damaged, set in a callback */
};

/* The local name of an expat name "uri|local". */
static const char *local(const char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

/* The attribute of local name key (namespaced when ns), or NULL. */
static const char *attr(const char **atts, const char *key, int ns)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), key) == 0 &&
		    (!ns || strchr(atts[i], '|') != NULL))
			return atts[i + 1];
	return NULL;
}

static void text_add(struct xlsx *x, const char *s, size_t n)
{
	if (x->txt_len + n + 1 > x->txt_cap) {
		size_t cap = x->txt_cap ? x->txt_cap : 256;
		while (cap < x->txt_len + n + 1)
			cap *= 2;
		char *t = realloc(x->txt, cap);
		if (t == NULL) {
			x->bad = -1;
			return;
		}
		x->txt = t;
		x->txt_cap = cap;
	}
	memcpy(x->txt + x->txt_len, s, n);
	x->txt_len += n;
	x->txt[x->txt_len] = '\0';
}

static void on_text(void *data, const XML_Char *s, int len)
{
	struct xlsx *x = data;
	if ((x->in_v || (x->in_t && !x->in_rph)) && len > 0)
		text_add(x, s, (size_t)len);
}

/* The value of the four hex digits at s, or -1 when they are not four
 * hex digits (sscanf's %x would take spaces and a sign: "_x-FFF_"). */
static long hex4(const char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Decodes OOXML's _xHHHH_ escapes of control characters in the text
 * collected (a carriage return is left out, as in CSV cells, and so is
 * a NUL; a lone surrogate, no character, becomes U+FFFD). */
static void unescape(struct xlsx *x)
{
	if (x->txt_len == 0 || strstr(x->txt, "_x") == NULL)
		return;
	char *r = x->txt, *w = x->txt;
	while (*r) {
		long h;
		if (r[0] == '_' && r[1] == 'x' && (h = hex4(r + 2)) >= 0 &&
		    r[6] == '_') {
			unsigned v = (unsigned)h;
			r += 7;
			if (v == 0x0D || v == 0)
				continue;
			if (v >= 0xD800 && v <= 0xDFFF)
				v = 0xFFFD;
			if (v < 0x80) {
				*w++ = (char)v;
			} else if (v < 0x800) { /* never longer than the escape */
				*w++ = (char)(0xC0 | (v >> 6));
				*w++ = (char)(0x80 | (v & 0x3F));
			} else {
				*w++ = (char)(0xE0 | (v >> 12));
				*w++ = (char)(0x80 | ((v >> 6) & 0x3F));
				*w++ = (char)(0x80 | (v & 0x3F));
			}
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	x->txt_len = (size_t)(w - x->txt);
}

/* Streams part name of the zip through a parser with these handlers.
 * 0; 1 when the part is missing; -1 damaged; -2 out of memory. */
static int parse_part(struct xlsx *x, const char *name,
		      XML_StartElementHandler start, XML_EndElementHandler end)
{
	zip_file_t *zf = zip_fopen(x->z, name, 0);
	if (zf == NULL)
		return zip_name_locate(x->z, name, 0) < 0 ? 1 : -1;
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	if (p == NULL) {
		zip_fclose(zf);
		return -2;
	}
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, on_text);
	int ret = 0;
	for (;;) {
		void *buf = XML_GetBuffer(p, CHUNK);
		if (buf == NULL) {
			ret = -2;
			break;
		}
		zip_int64_t n = zip_fread(zf, buf, CHUNK);
		if (n < 0) {
			ret = -1;
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			ret = x->bad < 0 ? -2 : -1;
			break;
		}
		if (x->bad) {
			ret = x->bad < 0 ? -2 : -1;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	zip_fclose(zf);
	return ret;
}

/* --- the workbook and its relationships ------------------------------ */

static void wb_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = data;
	const char *l = local(name);
	if (strcmp(l, "workbookPr") == 0) {
		const char *v = attr(atts, "date1904", 0);
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(l, "sheet") == 0 && x->sheet_rid == NULL) {
		const char *id = attr(atts, "id", 1);
		if (id && (x->sheet_rid = strdup(id)) == NULL)
			x->bad = -1;
	}
}

static void no_end(void *data, const XML_Char *name)
{
	(void)data;
	(void)name;
}

static void rels_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = data;
	if (strcmp(local(name), "Relationship") != 0 || x->sheet_part ||
	    x->sheet_rid == NULL)
		return;
	const char *id = attr(atts, "Id", 0), *target = attr(atts, "Target", 0);
	if (id == NULL || target == NULL || strcmp(id, x->sheet_rid) != 0)
		return;
	int n = target[0] == '/' ?
		asprintf(&x->sheet_part, "%s", target + 1) :
		asprintf(&x->sheet_part, "xl/%s", target);
	if (n < 0) {
		x->sheet_part = NULL;
		x->bad = -1;
	}
}

/* --- shared strings --------------------------------------------------- */

static void ss_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = data;
	const char *l = local(name);
	(void)atts;
	if (strcmp(l, "si") == 0) {
		x->txt_len = 0;
		if (x->txt)
			x->txt[0] = '\0';
		x->in_is = 1;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 1;
	} else if (strcmp(l, "t") == 0 && x->in_is) {
		x->in_t = 1;
	}
}

static void ss_end(void *data, const XML_Char *name)
{
	struct xlsx *x = data;
	const char *l = local(name);
	if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(l, "si") == 0) {
		x->in_is = 0;
		if (x->txt == NULL)
			text_add(x, "", 0);
		unescape(x);
		if (x->ss_n == x->ss_offcap) {
			size_t cap = x->ss_offcap ? x->ss_offcap * 2 : 256;
			size_t *o = realloc(x->ss_off, cap * sizeof(*o));
			if (o == NULL) {
				x->bad = -1;
				return;
			}
			x->ss_off = o;
			x->ss_offcap = cap;
		}
		if (x->ss_len + x->txt_len + 1 > x->ss_cap) {
			size_t cap = x->ss_cap ? x->ss_cap : 4096;
			while (cap < x->ss_len + x->txt_len + 1)
				cap *= 2;
			char *s = realloc(x->ss, cap);
			if (s == NULL) {
				x->bad = -1;
				return;
			}
			x->ss = s;
			x->ss_cap = cap;
		}
		x->ss_off[x->ss_n++] = x->ss_len;
		memcpy(x->ss + x->ss_len, x->txt ? x->txt : "", x->txt_len + 1);
		x->ss_len += x->txt_len + 1;
	}
}

/* --- styles ------------------------------------------------------------ */

/* Whether built-in number format id shows a date (or a time). */
static int builtin_date(unsigned long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	       (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static void st_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = data;
	const char *l = local(name);
	if (strcmp(l, "cellXfs") == 0) {
		x->in_xfs = 1;
	} else if (strcmp(l, "numFmt") == 0) {
		const char *id = attr(atts, "numFmtId", 0);
		const char *code = attr(atts, "formatCode", 0);
		if (id == NULL || code == NULL || !sheet_format_is_date(code))
			return;
		unsigned *d = realloc(x->date_fmts,
				      (x->ndate_fmts + 1) * sizeof(*d));
		if (d == NULL) {
			x->bad = -1;
			return;
		}
		x->date_fmts = d;
		d[x->ndate_fmts++] = (unsigned)strtoul(id, NULL, 10);
	} else if (strcmp(l, "xf") == 0 && x->in_xfs) {
		const char *id = attr(atts, "numFmtId", 0);
		unsigned long n = id ? strtoul(id, NULL, 10) : 0;
		int date = n < 164 && builtin_date(n);
		for (size_t i = 0; i < x->ndate_fmts; i++)
			if (x->date_fmts[i] == n)
				date = 1;
		if (x->nxf == x->xf_cap) {
			size_t cap = x->xf_cap ? x->xf_cap * 2 : 64;
			unsigned char *p = realloc(x->xf_date, cap);
			if (p == NULL) {
				x->bad = -1;
				return;
			}
			x->xf_date = p;
			x->xf_cap = cap;
		}
		x->xf_date[x->nxf++] = (unsigned char)date;
	}
}

static void st_end(void *data, const XML_Char *name)
{
	struct xlsx *x = data;
	if (strcmp(local(name), "cellXfs") == 0)
		x->in_xfs = 0;
}

/* --- the sheet ---------------------------------------------------------- */

/* The 0-based column of a cell reference "AB12"; -1 if it has none. */
static long ref_col(const char *ref)
{
	long c = 0;
	int n = 0;
	for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
		c = c * 26 + (*ref - 'A' + 1);
	return n == 0 ? -1 : c - 1;
}

/* A <col min max style> before the sheet's data. */
static void col_start(struct xlsx *x, const char **atts)
{
	const char *min = attr(atts, "min", 0), *max = attr(atts, "max", 0);
	const char *style = attr(atts, "style", 0);
	if (min == NULL || max == NULL || style == NULL)
		return;
	struct col_style *c = realloc(x->cols, (x->ncols + 1) * sizeof(*c));
	if (c == NULL) {
		x->bad = -1;
		return;
	}
	x->cols = c;
	c[x->ncols].min = strtoul(min, NULL, 10);
	c[x->ncols].max = strtoul(max, NULL, 10);
	c[x->ncols++].style = strtoul(style, NULL, 10);
}

/* The style of a cell that names none: its row's, else its column's. */
static unsigned long default_style(const struct xlsx *x)
{
	if (x->row_style >= 0)
		return (unsigned long)x->row_style;
	for (size_t i = 0; i < x->ncols; i++)
		if (x->col + 1 >= x->cols[i].min && x->col + 1 <= x->cols[i].max)
			return x->cols[i].style;
	return 0;
}

static void sh_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = data;
	const char *l = local(name);
	if (strcmp(l, "sheetData") == 0) {
		x->in_sheetdata = 1;
	} else if (!x->in_sheetdata) {
		if (strcmp(l, "col") == 0)
			col_start(x, atts);
		return;
	} else if (strcmp(l, "row") == 0) {
		const char *r = attr(atts, "r", 0);
		const char *rs = attr(atts, "s", 0), *cf = attr(atts, "customFormat", 0);
		x->row_style = rs && cf && (strcmp(cf, "1") == 0 ||
					    strcmp(cf, "true") == 0) ?
			(long)strtoul(rs, NULL, 10) : -1;
		unsigned long n = r ? strtoul(r, NULL, 10) : 0;
		if (n <= x->last_row) /* missing or out of order */
			n = x->last_row + 1;
		/* past Excel's last row: no workbook, and a number that could
		 * wrap round to 0 and go back */
		if (n > SHEET_MAX_ROWS)
			x->bad = 1;
		x->last_row = n;
		sheet_rowbuf_reset(x->b, n);
		x->next_col = 0;
	} else if (strcmp(l, "c") == 0) {
		const char *r = attr(atts, "r", 0), *t = attr(atts, "t", 0);
		const char *s = attr(atts, "s", 0);
		long c = r ? ref_col(r) : -1;
		x->col = c >= 0 ? (size_t)c : x->next_col;
		snprintf(x->ctype, sizeof(x->ctype), "%s", t ? t : "n");
		x->cstyle = s ? strtoul(s, NULL, 10) : default_style(x);
		x->depth_c = 1;
		x->has_value = 0;
		x->txt_len = 0;
		if (x->txt)
			x->txt[0] = '\0';
	} else if (!x->depth_c) {
		return;
	} else if (strcmp(l, "v") == 0) {
		x->in_v = 1;
	} else if (strcmp(l, "is") == 0) {
		x->in_is = 1;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 1;
	} else if (strcmp(l, "t") == 0 && x->in_is) {
		x->in_t = 1;
	}
}

/* Adds the cell just read to the row. */
static void add_cell(struct xlsx *x)
{
	const char *text = x->txt ? x->txt : "";
	enum sheet_cell_type type = SHEET_TEXT;
	double number = 0;
	char buf[32];
	if (!x->has_value)
		return;
	if (strcmp(x->ctype, "s") == 0) {
		char *end;
		unsigned long i = strtoul(text, &end, 10);
		if (end == text || i >= x->ss_n) {
			x->bad = 1;
			return;
		}
		text = x->ss + x->ss_off[i];
	} else if (strcmp(x->ctype, "inlineStr") == 0 ||
		   strcmp(x->ctype, "str") == 0 || strcmp(x->ctype, "e") == 0) {
		unescape(x);
		text = x->txt ? x->txt : "";
	} else if (strcmp(x->ctype, "b") == 0) {
		text = strcmp(text, "1") == 0 ? "TRUE" : "FALSE";
	} else if (strcmp(x->ctype, "d") == 0) {
		number = sheet_date_serial(text);
		if (number > 0) {
			snprintf(buf, sizeof(buf), "%.10s", text);
			text = buf;
			type = SHEET_DATE;
		}
	} else {
		char *end;
		number = strtod(text, &end);
		if (end == text || *end != '\0' || !isfinite(number)) {
			number = 0; /* not a number after all: its text */
		} else if (x->cstyle < x->nxf && x->xf_date[x->cstyle] &&
			   sheet_serial_date(number, x->date1904, buf) == 0) {
			type = SHEET_DATE;
			text = buf;
		} else {
			type = SHEET_NUMBER;
			sheet_general_text(number, buf);
			text = buf;
		}
	}
	if (x->col >= SHEET_MAX_COLS) {
		x->bad = 1;
		return;
	}
	if (sheet_rowbuf_add(x->b, x->col, type, text, strlen(text), number) != 0)
		x->bad = -1;
}

static void sh_end(void *data, const XML_Char *name)
{
	struct xlsx *x = data;
	const char *l = local(name);
	if (strcmp(l, "sheetData") == 0) {
		x->in_sheetdata = 0;
	} else if (!x->in_sheetdata) {
		return;
	} else if (strcmp(l, "row") == 0) {
		x->row_ready = 1;
		XML_StopParser(x->p, XML_TRUE);
	} else if (strcmp(l, "c") == 0) {
		add_cell(x);
		x->depth_c = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
		x->next_col = x->col + 1;
	} else if (strcmp(l, "v") == 0) {
		x->in_v = 0;
		x->has_value = 1;
	} else if (strcmp(l, "is") == 0) {
		x->in_is = 0;
		x->has_value = 1;
	} else if (strcmp(l, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	}
}

/* --- opening ------------------------------------------------------------- */

static void xlsx_close(void *impl)
{
	struct xlsx *x = impl;
	if (x == NULL)
		return;
	if (x->p)
		XML_ParserFree(x->p);
	if (x->zf)
		zip_fclose(x->zf);
	if (x->z)
		zip_discard(x->z);
	free(x->ss);
	free(x->ss_off);
	free(x->xf_date);
	free(x->date_fmts);
	free(x->cols);
	free(x->txt);
	free(x->sheet_rid);
	free(x->sheet_part);
	free(x->path);
	free(x);
}

static int damaged(const struct xlsx *x, struct xb_error *err)
{
	return xb_fail(err, XB_EINVAL,
		       _("%s is damaged or incomplete (a copy broken off?): "
			 "open it in Excel or WPS, save it again and try "
			 "again."), x->path);
}

/* What a zip that holds no workbook seems to be. */
static int not_workbook(struct xlsx *x, struct xb_error *err)
{
	const char *what = NULL;
	if (zip_name_locate(x->z, "word/document.xml", 0) >= 0)
		what = _("a Word document");
	else if (zip_name_locate(x->z, "ppt/presentation.xml", 0) >= 0)
		what = _("a PowerPoint presentation");
	else if (zip_name_locate(x->z, "content.xml", 0) >= 0)
		what = _("an OpenDocument file (.ods or .odt)");
	if (what)
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an Excel workbook but seems to be "
				 "%s: save the table as .xlsx or .csv and try "
				 "again."), x->path, what);
	return xb_fail(err, XB_EINVAL,
		       _("%s is a zip archive, not an Excel workbook: save "
			 "the table as .xlsx or .csv and try again."), x->path);
}

/* A small part parsed: its result in words. */
static int part(struct xlsx *x, const char *name, XML_StartElementHandler s,
		XML_EndElementHandler e, int required, struct xb_error *err)
{
	int r = parse_part(x, name, s, e);
	if (r == -2)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (r == -1 || (r == 1 && required))
		return damaged(x, err);
	return XB_OK;
}

/* Opens the sheet part for streaming. */
static int open_sheet(struct xlsx *x, struct xb_error *err)
{
	const char *name = x->sheet_part ? x->sheet_part :
		"xl/worksheets/sheet1.xml";
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(x->z, name, 0, &st) != 0 ||
	    (x->zf = zip_fopen(x->z, name, 0)) == NULL)
		return damaged(x, err);
	x->part_size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	x->p = XML_ParserCreateNS(NULL, '|');
	if (x->p == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, sh_start, sh_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	return XB_OK;
}

int sheet_xlsx_open(const char *path, void **impl, struct xb_error *err)
{
	*impl = NULL;
	struct xlsx *x = calloc(1, sizeof(*x));
	if (x == NULL || (x->path = strdup(path)) == NULL) {
		free(x);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	int zerr = 0, ret;
	x->z = zip_open(path, ZIP_RDONLY, &zerr);
	if (x->z == NULL)
		ret = damaged(x, err);
	else if (zip_name_locate(x->z, "xl/workbook.xml", 0) < 0)
		ret = not_workbook(x, err);
	else if ((ret = part(x, "xl/workbook.xml", wb_start, no_end, 1, err)) ||
		 (ret = part(x, "xl/_rels/workbook.xml.rels", rels_start,
			     no_end, 0, err)) ||
		 (ret = part(x, "xl/sharedStrings.xml", ss_start, ss_end, 0,
			     err)) ||
		 (ret = part(x, "xl/styles.xml", st_start, st_end, 0, err)))
		;
	else
		ret = open_sheet(x, err);
	if (ret != XB_OK) {
		xlsx_close(x);
		return ret;
	}
	x->in_is = x->in_t = x->in_rph = 0;
	*impl = x;
	return XB_OK;
}

/* Feeds the parser until a row ends. 1, 0 at the end, or a message. */
static int xlsx_next(void *impl, struct sheet_rowbuf *b, struct xb_error *err)
{
	struct xlsx *x = impl;
	x->b = b;
	x->row_ready = 0;
	while (!x->row_ready) {
		enum XML_Status st;
		if (x->suspended) {
			x->suspended = 0;
			st = XML_ResumeParser(x->p);
		} else if (x->ended) {
			return 0;
		} else {
			void *buf = XML_GetBuffer(x->p, CHUNK);
			if (buf == NULL)
				return xb_fail(err, XB_EFAIL, _("Out of memory."));
			zip_int64_t n = zip_fread(x->zf, buf, CHUNK);
			if (n < 0)
				return damaged(x, err);
			x->part_read += (uint64_t)n;
			x->last_final = n == 0;
			st = XML_ParseBuffer(x->p, (int)n, n == 0);
		}
		if (x->bad < 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		if (st == XML_STATUS_ERROR || x->bad)
			return damaged(x, err);
		if (st == XML_STATUS_SUSPENDED)
			x->suspended = 1;
		else if (x->last_final)
			x->ended = 1;
	}
	return 1;
}

static unsigned xlsx_progress(const void *impl)
{
	const struct xlsx *x = impl;
	if (x->ended || x->part_size == 0)
		return x->ended ? 1000 : 0;
	return (unsigned)(x->part_read * 1000 / x->part_size);
}

const struct sheet_backend sheet_xlsx_backend = {
	xlsx_next, xlsx_progress, xlsx_close,
};
