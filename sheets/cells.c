/* cells.c - the row being built and the cell helpers the readers and the
 * writer share (private.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

void sheet_rowbuf_reset(struct sheet_rowbuf *b, unsigned long number)
{
	b->ncells = 0;
	b->len = 0;
	b->row.number = number;
	b->row.ncells = 0;
	b->row.cells = b->cells;
}

/* Room for one more cell and len more bytes of text (and a NUL). */
static int rowbuf_room(struct sheet_rowbuf *b, size_t len)
{
	if (b->ncells == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct sheet_cell *c = realloc(b->cells, cap * sizeof(*c));
		if (c == NULL)
			return -1;
		b->cells = c;
		size_t *o = realloc(b->offs, cap * sizeof(*o));
		if (o == NULL)
			return -1;
		b->offs = o;
		b->cap = cap;
	}
	if (b->len + len + 1 > b->text_cap) {
		size_t cap = b->text_cap ? b->text_cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *t = realloc(b->text, cap);
		if (t == NULL)
			return -1;
		b->text = t;
		b->text_cap = cap;
	}
	return 0;
}

/* One cell at the end, its text copied after the others'. */
static int rowbuf_push(struct sheet_rowbuf *b, enum sheet_cell_type type,
		       const char *text, size_t len, double number)
{
	if (rowbuf_room(b, len) != 0)
		return -1;
	struct sheet_cell *c = &b->cells[b->ncells];
	c->type = type;
	c->text = NULL;
	c->number = number;
	b->offs[b->ncells++] = b->len;
	if (len)
		memcpy(b->text + b->len, text, len);
	b->len += len;
	b->text[b->len++] = '\0';
	return 0;
}

int sheet_rowbuf_add(struct sheet_rowbuf *b, size_t col,
		     enum sheet_cell_type type, const char *text, size_t len,
		     double number)
{
	if (col >= SHEET_MAX_COLS)
		return -1;
	while (b->ncells < col)
		if (rowbuf_push(b, SHEET_EMPTY, "", 0, 0) != 0)
			return -1;
	if (b->ncells > col) /* a column told twice: the later one wins */
		b->ncells = col;
	if (type != SHEET_EMPTY && len == 0 && type == SHEET_TEXT)
		type = SHEET_EMPTY;
	return rowbuf_push(b, type, text, len, number);
}

const struct sheet_row *sheet_rowbuf_finish(struct sheet_rowbuf *b)
{
	while (b->ncells > 0 && b->cells[b->ncells - 1].type == SHEET_EMPTY)
		b->ncells--;
	for (size_t i = 0; i < b->ncells; i++)
		b->cells[i].text = b->text + b->offs[i];
	b->row.cells = b->cells;
	b->row.ncells = b->ncells;
	return &b->row;
}

void sheet_rowbuf_free(struct sheet_rowbuf *b)
{
	free(b->cells);
	free(b->offs);
	free(b->text);
	memset(b, 0, sizeof(*b));
}

/* Drops the trailing zeros of a mantissa "2.20000" (and its point). */
static void trim_mantissa(char *s)
{
	char *dot = strchr(s, '.');
	if (dot == NULL)
		return;
	char *e = strpbrk(s, "eE");
	char *end = e ? e : s + strlen(s);
	char *p = end;
	while (p > dot + 1 && p[-1] == '0')
		p--;
	if (p == dot + 1)
		p = dot;
	memmove(p, end, strlen(end) + 1);
}

void sheet_general_text(double v, char out[32])
{
	if (!isfinite(v)) {
		snprintf(out, 32, "#NUM!");
		return;
	}
	if (v == 0) {
		snprintf(out, 32, "0");
		return;
	}
	double a = fabs(v);
	if (v == floor(v) && a < 1e11) {
		snprintf(out, 32, "%.0f", v);
		return;
	}
	if (a >= 1e11 || a < 1e-9) {
		/* Excel's scientific form: 6 significant digits, E+17 */
		snprintf(out, 32, "%.5E", v);
		trim_mantissa(out);
		return;
	}
	snprintf(out, 32, "%.15g", v);
	if (strpbrk(out, "eE") != NULL) {
		snprintf(out, 32, "%.5E", v);
		trim_mantissa(out);
	}
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil_from_days(long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned long doe = (unsigned long)(z - era * 146097);
	unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned long mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* A civil date to days since 1970-01-01. */
static long days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned long yoe = (unsigned long)(y - era * 400);
	unsigned long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int sheet_serial_date(double serial, int date1904, char out[16])
{
	if (!isfinite(serial) || serial < 1 || serial >= 2958466)
		return -1;
	long n = (long)floor(serial);
	if (!date1904 && n == 60) { /* Lotus's leap day Excel keeps */
		snprintf(out, 16, "1900-02-29");
		return 0;
	}
	long days; /* since 1970-01-01 */
	if (date1904)
		days = days_from_civil(1904, 1, 1) + n;
	else if (n < 60)
		days = days_from_civil(1899, 12, 31) + n;
	else
		days = days_from_civil(1899, 12, 30) + n;
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y > 9999)
		return -1;
	snprintf(out, 16, "%04d-%02u-%02u", (y % 10000 + 10000) % 10000, m % 100,
		 d % 100);
	return 0;
}

double sheet_date_serial(const char *s)
{
	/* Exactly four, two and two digits (sscanf's "%2u" took "1," for a
	 * day, and the cell's text was then no date), and a day the
	 * calendar has (not 2015-02-31). */
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900)
		return 0;
	int cy;
	unsigned cm, cd;
	civil_from_days(days_from_civil(y, m, d), &cy, &cm, &cd);
	if (cy != y || cm != m || cd != d)
		return 0;
	long n = days_from_civil(y, m, d) - days_from_civil(1899, 12, 30);
	if (n < 61) /* before the leap day that never was */
		n--;
	return n < 1 ? 0 : (double)n;
}

int sheet_format_is_date(const char *code)
{
	int has_ymd = 0, has_m = 0, has_hs = 0;
	for (const char *p = code; *p; p++) {
		switch (*p) {
		case '"': /* a literal */
			p++;
			while (*p && *p != '"')
				p++;
			if (!*p)
				return has_ymd || (has_m && !has_hs);
			break;
		case '[': /* a colour, a locale, a condition, an elapsed time */
			if (p[1] == 'h' || p[1] == 'H' || p[1] == 's' ||
			    p[1] == 'S' || p[1] == 'm' || p[1] == 'M')
				has_hs = 1;
			while (*p && *p != ']')
				p++;
			if (!*p)
				return has_ymd || (has_m && !has_hs);
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			break;
		case 'y': case 'Y': case 'd': case 'D':
			has_ymd = 1;
			break;
		case 'm': case 'M':
			has_m = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			has_hs = 1;
			break;
		default:
			break;
		}
	}
	return has_ymd || (has_m && !has_hs);
}

/* Whether code point c takes two columns (East Asian wide and full). */
static int wide(unsigned long c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
	       (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	       (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) ||
	       (c >= 0x20000 && c <= 0x3FFFD);
}

size_t sheet_display_width(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t w = 0;
	while (*p) {
		unsigned long c = *p;
		int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (n)
			c &= 0x3F >> n;
		p++;
		for (int i = 0; i < n && (*p & 0xC0) == 0x80; i++, p++)
			c = (c << 6) | (*p & 0x3F);
		w += wide(c) ? 2 : 1;
	}
	return w;
}
