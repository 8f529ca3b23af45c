/* read_csv.c - CSV and tab-separated text through libcsv, streamed: the
 * file is read in chunks, decoded to UTF-8 (iconv for GB18030 and
 * UTF-16) and fed to the parser a line at a time, so only the rows of one
 * line wait in the queue. The encoding is found without asking: a byte
 * order mark, else one pass over the whole file (valid UTF-8, else valid
 * GB18030); the separator from the first non-blank line. */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/i18n.h"
#include "private.h"

#define CHUNK 65536

struct csv_impl {
	char *path;
	FILE *f;
	uint64_t size, consumed; /* bytes of the file, bytes read */
	enum sheet_encoding enc;
	iconv_t cd;              /* to UTF-8, or (iconv_t)-1 */
	unsigned char raw[CHUNK];
	size_t raw_len;          /* undecoded bytes at the start of raw */
	int eof;                 /* the file is read to its end */
	int decode_bad;          /* invalid text after what u8 holds */
	char *u8;                /* decoded text not yet parsed */
	size_t u8_len, u8_pos, u8_cap;
	struct csv_parser p;
	int finished;            /* csv_fini called */
	/* the queue: rows[head..count) parsed, rows[count] being parsed */
	struct sheet_rowbuf *rows;
	size_t head, count, cap;
	unsigned long records;   /* rows ended */
	int in_row;              /* a field came since the last row end */
	int last_cr;             /* the last row ended with '\r' */
	int oom;
};

/* libcsv trims spaces around fields unless told nothing is space: a
 * cell's text is kept as typed. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* The row being parsed, made when missing. */
static struct sheet_rowbuf *building(struct csv_impl *c)
{
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		struct sheet_rowbuf *r = realloc(c->rows, cap * sizeof(*r));
		if (r == NULL)
			return NULL;
		memset(r + c->cap, 0, (cap - c->cap) * sizeof(*r));
		c->rows = r;
		c->cap = cap;
	}
	return &c->rows[c->count];
}

/* libcsv's field callback: a cell of the row being parsed, "\r" left
 * out (a line break inside a quoted cell written by Excel as CRLF). */
static void on_field(void *s, size_t len, void *data)
{
	struct csv_impl *c = data;
	c->in_row = 1;
	c->last_cr = 0;
	struct sheet_rowbuf *b = building(c);
	if (b == NULL || c->oom) {
		c->oom = 1;
		return;
	}
	if (sheet_rowbuf_add(b, b->ncells, SHEET_TEXT, s ? s : "", s ? len : 0,
			     0) != 0) {
		c->oom = 1;
		return;
	}
	size_t at = b->offs[b->ncells - 1], end = b->len - 1, w = at;
	for (size_t i = at; i < end; i++)
		if (b->text[i] != '\r')
			b->text[w++] = b->text[i];
	if (w != end) {
		b->text[w] = '\0';
		b->len = w + 1;
		if (w == at)
			b->cells[b->ncells - 1].type = SHEET_EMPTY;
	}
}

/* libcsv's row callback (every line end, CSV_REPALL_NL): a row ends; the
 * "\n" of a "\r\n" is no row of its own. */
static void on_row(int ch, void *data)
{
	struct csv_impl *c = data;
	if (ch == '\n' && !c->in_row && c->last_cr) {
		c->last_cr = 0;
		return;
	}
	struct sheet_rowbuf *b = building(c);
	if (b == NULL) {
		c->oom = 1;
		return;
	}
	b->row.number = ++c->records;
	c->count++;
	b = building(c);
	if (b == NULL) {
		c->oom = 1;
		return;
	}
	sheet_rowbuf_reset(b, 0);
	c->in_row = 0;
	c->last_cr = ch == '\r';
}

/* Reads more of the file after the raw bytes kept. 0, or -1 on error. */
static int read_raw(struct csv_impl *c)
{
	size_t n = fread(c->raw + c->raw_len, 1, sizeof(c->raw) - c->raw_len,
			 c->f);
	if (n == 0 && ferror(c->f))
		return -1;
	if (n == 0)
		c->eof = 1;
	c->raw_len += n;
	c->consumed += n;
	return 0;
}

/* Room for n more bytes of decoded text. */
static int u8_room(struct csv_impl *c, size_t n)
{
	if (c->u8_len + n <= c->u8_cap)
		return 0;
	size_t cap = c->u8_cap ? c->u8_cap : CHUNK;
	while (cap < c->u8_len + n)
		cap *= 2;
	char *p = realloc(c->u8, cap);
	if (p == NULL)
		return -1;
	c->u8 = p;
	c->u8_cap = cap;
	return 0;
}

/* Decodes the raw bytes kept into u8 (emptied first). 0, or -1 out of
 * memory; invalid text sets decode_bad, a sequence cut at the end of the
 * file too. */
static int decode(struct csv_impl *c)
{
	c->u8_len = c->u8_pos = 0;
	if (c->cd == (iconv_t)-1) {
		if (u8_room(c, c->raw_len) != 0)
			return -1;
		if (c->raw_len > 0) /* u8 is still NULL after a bare BOM */
			memcpy(c->u8, c->raw, c->raw_len);
		c->u8_len = c->raw_len;
		c->raw_len = 0;
		return 0;
	}
	if (u8_room(c, c->raw_len * 2 + 16) != 0)
		return -1;
	char *in = (char *)c->raw, *out = c->u8;
	size_t inleft = c->raw_len, outleft = c->u8_cap;
	size_t r = iconv(c->cd, &in, &inleft, &out, &outleft);
	int e = errno;
	c->u8_len = (size_t)(out - c->u8);
	if (r == (size_t)-1 && (e == EILSEQ || (e == EINVAL && c->eof)))
		c->decode_bad = 1;
	memmove(c->raw, in, inleft);
	c->raw_len = inleft;
	if (r == (size_t)-1 && e == E2BIG)
		return -1; /* cannot be: two bytes of UTF-8 or fewer per byte
			      of GB18030, at most two per byte of UTF-16 */
	return 0;
}

/* Reads and decodes the next chunk. 0, or a message. */
static int refill(struct csv_impl *c, struct xb_error *err)
{
	if (!c->eof && read_raw(c) != 0)
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."),
			       c->path, strerror(errno));
	if (decode(c) != 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}

/* --- finding the encoding ------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (n bytes there), 0 when invalid,
 * -1 when cut short by the end of the buffer. */
static int utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	int len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		unsigned char lim_lo = i == 1 ? lo : 0x80, lim_hi = i == 1 ? hi : 0xBF;
		if (s[i] < lim_lo || s[i] > lim_hi)
			return 0;
	}
	return len;
}

struct scan {
	int nul;              /* a NUL byte was seen */
	unsigned long utf8_bad; /* the first line not UTF-8, 0 for none */
	int multibyte;        /* UTF-8 sequences of 2+ bytes before it */
};

/* One pass over the file: NULs, and whether it is UTF-8. */
static int scan_utf8(FILE *f, struct scan *s)
{
	unsigned char buf[CHUNK + 4];
	size_t keep = 0;
	unsigned long line = 1;
	for (;;) {
		size_t n = fread(buf + keep, 1, CHUNK, f);
		if (n == 0 && ferror(f))
			return -1;
		size_t len = keep + n;
		int at_end = n == 0;
		size_t i = 0;
		keep = 0;
		while (i < len) {
			if (buf[i] == 0) {
				s->nul = 1;
				return 0;
			}
			if (buf[i] == '\n')
				line++;
			int l = s->utf8_bad ? 1 : utf8_seq(buf + i, len - i);
			if (l < 0 && !at_end) { /* finish it with the next chunk */
				keep = len - i;
				memmove(buf, buf + i, keep);
				break;
			}
			if (l <= 0) {
				s->utf8_bad = line;
				l = 1;
			} else if (l > 1 && !s->utf8_bad) {
				s->multibyte = 1;
			}
			i += (size_t)l;
		}
		if (at_end)
			return 0;
	}
}

/* Whether the file from its start is valid GB18030: 0, or the first line
 * that is not (-1 on a read error). */
static long scan_gb18030(FILE *f)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return 1;
	char in[CHUNK], out[CHUNK * 2 + 16];
	size_t keep = 0;
	long line = 1, bad = 0;
	for (;;) {
		size_t n = fread(in + keep, 1, sizeof(in) - keep, f);
		if (n == 0 && ferror(f)) {
			bad = -1;
			break;
		}
		char *ip = in, *op = out;
		size_t il = keep + n, ol = sizeof(out);
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int e = errno;
		for (char *p = out; p < op; p++)
			line += *p == '\n';
		if (r == (size_t)-1 && (e == EILSEQ || (e == EINVAL && n == 0))) {
			bad = line;
			break;
		}
		if (n == 0)
			break;
		memmove(in, ip, il);
		keep = il;
	}
	iconv_close(cd);
	return bad;
}

/* Sets c->enc (and c->cd), the BOM skipped; or a message. */
static int find_encoding(struct csv_impl *c, struct xb_error *err)
{
	unsigned char bom[3];
	size_t n = fread(bom, 1, 3, c->f);
	const char *from = NULL;
	long skip = 0;
	if (n >= 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0) {
		/* The mark says UTF-8: the rest must be, as without it. */
		struct scan s = { 0, 0, 0 };
		if (scan_utf8(c->f, &s) != 0)
			return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."),
				       c->path, strerror(errno));
		if (s.nul)
			return xb_fail(err, XB_EINVAL,
				       _("%s is not a spreadsheet: save it as "
					 ".xlsx or .csv and try again."),
				       c->path);
		if (s.utf8_bad)
			return xb_fail(err, XB_EINVAL,
				       _("%s is neither UTF-8 nor GBK "
					 "text (line %lu): save it as "
					 ".xlsx, or as CSV UTF-8."),
				       c->path, s.utf8_bad);
		c->enc = SHEET_UTF8_BOM;
		skip = 3;
	} else if (n >= 2 && (memcmp(bom, "\xFF\xFE", 2) == 0 ||
			      memcmp(bom, "\xFE\xFF", 2) == 0)) {
		c->enc = SHEET_UTF16;
		from = bom[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		skip = 2;
	} else {
		struct scan s = { 0, 0, 0 };
		rewind(c->f);
		if (scan_utf8(c->f, &s) != 0)
			return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."),
				       c->path, strerror(errno));
		if (s.nul)
			return xb_fail(err, XB_EINVAL,
				       _("%s is not a spreadsheet: save it as "
					 ".xlsx or .csv and try again."),
				       c->path);
		if (s.utf8_bad) {
			rewind(c->f);
			long bad = scan_gb18030(c->f);
			if (bad < 0)
				return xb_fail(err, XB_EFAIL,
					       _("Could not read %s: %s."),
					       c->path, strerror(errno));
			if (bad > 0) {
				unsigned long line = s.multibyte ?
					s.utf8_bad : (unsigned long)bad;
				return xb_fail(err, XB_EINVAL,
					       _("%s is neither UTF-8 nor GBK "
						 "text (line %lu): save it as "
						 ".xlsx, or as CSV UTF-8."),
					       c->path, line);
			}
			c->enc = SHEET_GBK;
			from = "GB18030";
		} else {
			c->enc = SHEET_UTF8;
		}
	}
	if (from != NULL) {
		c->cd = iconv_open("UTF-8", from);
		if (c->cd == (iconv_t)-1)
			return xb_fail(err, XB_EFAIL,
				       _("Could not read %s: this system cannot "
					 "convert %s text."), c->path, from);
	}
	if (fseek(c->f, skip, SEEK_SET) != 0)
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."),
			       c->path, strerror(errno));
	c->consumed = (uint64_t)skip;
	return XB_OK;
}

/* ',' unless the first non-blank line of the decoded text has more tabs
 * (Excel's "Unicode text", a .txt) or more semicolons than commas. */
static char find_separator(const char *s, size_t len)
{
	size_t i = 0;
	for (;;) {
		int blank = 1;
		size_t tabs = 0, commas = 0, semis = 0;
		for (; i < len && s[i] != '\n'; i++) {
			if (s[i] == '\t')
				tabs++;
			else if (s[i] == ',')
				commas++;
			else if (s[i] == ';')
				semis++;
			if (s[i] != ' ' && s[i] != '\r')
				blank = 0;
		}
		if (!blank || i >= len) {
			if (tabs > commas && tabs >= semis)
				return '\t';
			if (semis > commas && semis > tabs)
				return ';';
			return ',';
		}
		i++;
	}
}

static void csv_impl_close(void *impl)
{
	struct csv_impl *c = impl;
	if (c == NULL)
		return;
	if (c->f)
		fclose(c->f);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	csv_free(&c->p);
	for (size_t i = 0; i < c->cap; i++)
		sheet_rowbuf_free(&c->rows[i]);
	free(c->rows);
	free(c->u8);
	free(c->path);
	free(c);
}

int sheet_csv_open(const char *path, void **impl,
		   struct sheet_text_info *info, struct xb_error *err)
{
	*impl = NULL;
	struct csv_impl *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	c->cd = (iconv_t)-1;
	c->path = strdup(path);
	if (c->path == NULL || csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI |
					   CSV_REPALL_NL) != 0) {
		free(c->path);
		free(c);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	csv_set_space_func(&c->p, no_space);
	int ret;
	c->f = fopen(path, "rbe");
	if (c->f == NULL) {
		ret = xb_fail(err, XB_EINVAL, _("Could not open %s: %s."), path,
			      strerror(errno));
		goto fail;
	}
	struct stat st;
	if (fstat(fileno(c->f), &st) == 0)
		c->size = (uint64_t)st.st_size;
	ret = find_encoding(c, err);
	if (ret == XB_OK)
		ret = refill(c, err);
	if (ret != XB_OK)
		goto fail;
	if (c->u8_len == 0 && c->eof)
		ret = xb_fail(err, XB_EINVAL, _("%s is empty: it holds no table."),
			      path);
	if (ret != XB_OK)
		goto fail;
	info->enc = c->enc;
	info->sep = find_separator(c->u8, c->u8_len);
	csv_set_delim(&c->p, (unsigned char)info->sep);
	if (building(c) == NULL) {
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		goto fail;
	}
	sheet_rowbuf_reset(&c->rows[0], 0);
	*impl = c;
	return XB_OK;
fail:
	csv_impl_close(c);
	return ret;
}

/* Parses the next line of the decoded text: 0, or a message. */
static int feed_line(struct csv_impl *c, struct xb_error *err)
{
	const char *s = c->u8 + c->u8_pos;
	size_t left = c->u8_len - c->u8_pos;
	const char *nl = memchr(s, '\n', left);
	size_t n = nl ? (size_t)(nl - s) + 1 : left;
	size_t done = csv_parse(&c->p, s, n, on_field, on_row, c);
	c->u8_pos += n;
	if (c->oom)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (done < n)
		return xb_fail(err, XB_EINVAL,
			       _("Row %lu of %s has a broken quote: a cell that "
				 "starts with \" must end with \" before the "
				 "next separator, and a \" inside it is written "
				 "\"\"."), c->records + 1, c->path);
	return XB_OK;
}

/* Moves the row being parsed to the front once the queue is used up. */
static void queue_rewind(struct csv_impl *c)
{
	if (c->head < c->count)
		return;
	struct sheet_rowbuf tmp = c->rows[0];
	c->rows[0] = c->rows[c->count];
	c->rows[c->count] = tmp;
	c->head = c->count = 0;
}

static int csv_next(void *impl, struct sheet_rowbuf *b, struct xb_error *err)
{
	struct csv_impl *c = impl;
	queue_rewind(c);
	while (c->head == c->count) {
		int ret = XB_OK;
		if (c->u8_pos < c->u8_len) {
			ret = feed_line(c, err);
		} else if (c->decode_bad) {
			ret = xb_fail(err, XB_EINVAL,
				      _("Row %lu of %s is not valid text in "
					"the file's encoding: save it as .xlsx, "
					"or as CSV UTF-8."),
				      c->records + 1, c->path);
		} else if (!c->eof || c->raw_len > 0) {
			ret = refill(c, err);
			if (ret == XB_OK && c->u8_len == 0 && c->eof &&
			    c->raw_len > 0)
				c->decode_bad = 1;
		} else if (!c->finished) {
			c->finished = 1;
			if (csv_fini(&c->p, on_field, on_row, c) != 0)
				ret = xb_fail(err, XB_EINVAL,
					      _("Row %lu of %s has a quote that "
						"is never closed: the file ends "
						"inside a quoted cell."),
					      c->records + 1, c->path);
			else if (c->oom)
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		} else {
			return 0;
		}
		if (ret != XB_OK)
			return ret;
	}
	const struct sheet_rowbuf *q = &c->rows[c->head++];
	sheet_rowbuf_reset(b, q->row.number);
	for (size_t i = 0; i < q->ncells; i++)
		if (sheet_rowbuf_add(b, i, q->cells[i].type, q->text + q->offs[i],
				     strlen(q->text + q->offs[i]), 0) != 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return 1;
}

static unsigned csv_progress(const void *impl)
{
	const struct csv_impl *c = impl;
	if (c->size == 0)
		return 1000;
	return (unsigned)(c->consumed * 1000 / c->size);
}

const struct sheet_backend sheet_csv_backend = {
	csv_next, csv_progress, csv_impl_close,
};
