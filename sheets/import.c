/* import.c - children from a spreadsheet an office already keeps: the
 * header row found under any title, columns matched to fields through
 * the words offices write (forms/words.c), cells made values, and each
 * row through the ledger's own checks, all good rows in one transaction.
 * Rejected rows go back out, with their reason, in the input's format. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/i18n.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"
#include "private.h"
#include "sheets.h"

/* A header row is looked for among the first rows only: a sheet whose
 * first 40 rows name no fields is not a roster. */
enum { HEADER_SEARCH_ROWS = 40, PROGRESS_EVERY = 256 };

/* Headers that are known and left out without being listed as unknown:
 * the row number templates carry. */
static const char *const quiet_headers[] = { "序号", "编号序号", "No.", "No" };

struct column {
	const struct form_field *field; /* NULL: not imported */
	char *header;                   /* as written (two levels joined) */
	int quiet;                      /* known, not imported, not listed */
};

/* The children this sheet has reached, each with the first row that
 * reached it, by the serial of its case number (a township numbers at
 * most 99,999): the same child twice is a rejected row, the first row
 * named. At most 400 KB whatever the sheet's size. */
struct touched {
	uint32_t *row; /* by serial; 0: not reached */
	size_t cap;
};

/* What a row came to, told to the caller once the import is settled (a
 * transaction run again must not tell a row twice). */
struct note {
	unsigned long row;
	enum sheet_row_result res;
	char *reason;
};

struct import_run {
	struct store *st;
	const char *path;
	const struct sheet_import_options *opt;
	struct sheet_import_summary *sum;
	/* each attempt of the transaction */
	struct sheet_reader *rd;
	struct column *cols;
	size_t ncols;
	struct sheet_writer *rejects;
	struct touched touched;
	struct note *notes;
	size_t nnotes, capnotes;
	unsigned long last_header; /* the header's last row (two levels) */
	int finished;     /* every row was read */
	int has_register; /* the office keeps villages */
};

/* --- small helpers --- */

/* The serial of a case number (220221100-00042-7 gives 42), 0 when it
 * is none. */
static size_t case_serial(const char *case_no)
{
	const char *dash = case_no ? strchr(case_no, '-') : NULL;
	size_t serial = 0;
	if (dash == NULL)
		return 0;
	for (const char *p = dash + 1; *p >= '0' && *p <= '9'; p++)
		if ((serial = serial * 10 + (size_t)(*p - '0')) > 99999)
			return 0;
	return serial;
}

/* The row that first reached the child case_no, or 0. */
static unsigned long touched_row(const struct touched *t, const char *case_no)
{
	size_t serial = case_serial(case_no);
	return serial && serial < t->cap ? t->row[serial] : 0;
}

/* Notes that row reached the child case_no (the first row stays). -1 on
 * memory. */
static int touched_mark(struct touched *t, const char *case_no, unsigned long row)
{
	size_t serial = case_serial(case_no);
	if (serial == 0)
		return 0;
	if (serial >= t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		while (cap <= serial)
			cap *= 2;
		uint32_t *n = realloc(t->row, cap * sizeof(*n));
		if (n == NULL)
			return -1;
		memset(n + t->cap, 0, (cap - t->cap) * sizeof(*n));
		t->row = n;
		t->cap = cap;
	}
	if (t->row[serial] == 0)
		t->row[serial] = (uint32_t)row;
	return 0;
}

static void touched_free(struct touched *t)
{
	free(t->row);
	t->row = NULL;
	t->cap = 0;
}

/* A header or a cell compared as offices vary it: folded, without any
 * space or line break. malloc'd; NULL on memory. */
static char *squeeze(const char *s)
{
	char *f = form_fold_text(s);
	if (f == NULL)
		return NULL;
	char *w = f;
	for (const char *r = f; *r; r++)
		if (*r != ' ' && *r != '\n' && *r != '\r' && *r != '\t')
			*w++ = *r;
	*w = '\0';
	return f;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *cell_text(const struct sheet_row *row, size_t j)
{
	return j < row->ncells ? row->cells[j].text : "";
}

static int row_blank(const struct sheet_row *row)
{
	for (size_t j = 0; j < row->ncells; j++)
		if (row->cells[j].type != SHEET_EMPTY && row->cells[j].text[0] != '\0') {
			for (const char *p = row->cells[j].text; *p; p++)
				if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
					return 0;
		}
	return 1;
}

static int note_add(struct import_run *im, unsigned long row,
		    enum sheet_row_result res, const char *reason)
{
	if (im->nnotes == im->capnotes) {
		size_t cap = im->capnotes ? im->capnotes * 2 : 64;
		struct note *n = realloc(im->notes, cap * sizeof(*n));
		if (n == NULL)
			return -1;
		im->notes = n;
		im->capnotes = cap;
	}
	char *copy = strdup(reason ? reason : "");
	if (copy == NULL)
		return -1;
	im->notes[im->nnotes++] = (struct note){ row, res, copy };
	return 0;
}

static void columns_free(struct import_run *im)
{
	for (size_t j = 0; j < im->ncols; j++)
		free(im->cols[j].header);
	free(im->cols);
	im->cols = NULL;
	im->ncols = 0;
}

/* Forgets what an attempt did, for the transaction run again. */
static void attempt_reset(struct import_run *im)
{
	sheet_close(&im->rd);
	sheet_writer_abort(&im->rejects);
	columns_free(im);
	touched_free(&im->touched);
	for (size_t i = 0; i < im->nnotes; i++)
		free(im->notes[i].reason);
	im->nnotes = 0;
	im->finished = 0;
	struct sheet_import_summary *s = im->sum;
	free(s->unknown_columns);
	memset(s, 0, sizeof(*s));
}

/* --- the header --- */

/* The field a header names: through --map first, then the tables. */
static const struct form_field *header_field(const struct import_run *im,
					     const char *header)
{
	char *h = squeeze(header);
	if (h == NULL || h[0] == '\0') {
		free(h);
		return NULL;
	}
	const struct form_field *f = NULL;
	for (size_t i = 0; f == NULL && i < im->opt->nmaps; i++) {
		const char *eq = strchr(im->opt->maps[i], '=');
		char *mh = eq ? strndup(im->opt->maps[i],
					(size_t)(eq - im->opt->maps[i])) : NULL;
		char *mq = mh ? squeeze(mh) : NULL;
		if (mq != NULL && strcmp(mq, h) == 0) {
			f = form_field_find(STORE_CHILD, eq + 1);
			if (f == NULL)
				f = form_header_field(STORE_CHILD, eq + 1);
		}
		free(mh);
		free(mq);
	}
	if (f == NULL)
		f = form_header_field(STORE_CHILD, h);
	free(h);
	return f;
}

static int quiet_header(const char *header)
{
	char *h = squeeze(header);
	int quiet = 0;
	for (size_t i = 0; h && i < sizeof(quiet_headers) / sizeof(quiet_headers[0]); i++)
		if (strcmp(h, quiet_headers[i]) == 0)
			quiet = 1;
	/* The reason column of our own rejects file, imported again. */
	static const char *const ours[] = { "Reasonnotimported", "未导入原因" };
	for (size_t i = 0; h && i < sizeof(ours) / sizeof(ours[0]); i++)
		if (strcmp(h, ours[i]) == 0)
			quiet = 1;
	free(h);
	return quiet;
}

/* How many cells of row name a field, and how many are not empty. */
static void header_score(const struct import_run *im, const struct sheet_row *row,
			 size_t *named, size_t *filled)
{
	*named = *filled = 0;
	for (size_t j = 0; j < row->ncells; j++) {
		if (row->cells[j].text[0] == '\0')
			continue;
		(*filled)++;
		if (row->cells[j].type == SHEET_TEXT &&
		    header_field(im, row->cells[j].text) != NULL)
			(*named)++;
	}
}

static int is_header_row(const struct import_run *im, const struct sheet_row *row)
{
	size_t named, filled;
	header_score(im, row, &named, &filled);
	return named >= 3 || (named >= 2 && named == filled);
}

/* Takes row as the header: one column a cell. */
static int columns_take(struct import_run *im, const struct sheet_row *row,
			struct xb_error *err)
{
	im->ncols = row->ncells;
	im->cols = calloc(im->ncols ? im->ncols : 1, sizeof(*im->cols));
	if (im->cols == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t j = 0; j < row->ncells; j++) {
		const char *t = row->cells[j].text;
		if ((im->cols[j].header = strdup(t)) == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		im->cols[j].field = t[0] ? header_field(im, t) : NULL;
		im->cols[j].quiet = t[0] == '\0' || quiet_header(t);
	}
	return XB_OK;
}

/* A parent header without the words that only say "about": 父亲情况 over
 * 姓名 means 父亲姓名. */
static void strip_about(char *parent)
{
	static const char *const about[] = { "基本情况", "情况", "信息", "基本信息" };
	size_t n = strlen(parent);
	for (size_t i = 0; i < sizeof(about) / sizeof(about[0]); i++) {
		size_t k = strlen(about[i]);
		if (n > k && strcmp(parent + n - k, about[i]) == 0) {
			parent[n - k] = '\0';
			return;
		}
	}
}

/* Whether row, under the header, is a second header level (父亲 merged
 * over 姓名 | 电话 | 现状): then the columns it names are taken, their
 * headers joined with the parent's. 1 taken, 0 not, <0 on memory. */
static int columns_sub_header(struct import_run *im, const struct sheet_row *row,
			      struct xb_error *err)
{
	/* A parent merged over the last columns (监护人 over 姓名 | 电话) ends
	 * the header row, its other cells being trailing empty ones: the
	 * columns under it are the header's too, with empty headers as
	 * merged cells have. */
	if (row->ncells > im->ncols) {
		struct column *more = realloc(im->cols, row->ncells * sizeof(*more));
		if (more == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		im->cols = more;
		for (; im->ncols < row->ncells; im->ncols++) {
			struct column *c = &im->cols[im->ncols];
			*c = (struct column){ NULL, strdup(""), 1 };
			if (c->header == NULL)
				return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
	}
	size_t n = row->ncells;
	const struct form_field **found = calloc(n ? n : 1, sizeof(*found));
	char **joined = calloc(n ? n : 1, sizeof(*joined));
	int ret = 0;
	size_t named = 0, filled = 0;
	if (found == NULL || joined == NULL) {
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		const struct sheet_cell *c = &row->cells[j];
		if (c->text[0] == '\0')
			continue;
		filled++;
		if (c->type != SHEET_TEXT)
			goto out; /* data, not a header */
		/* The parent: this column's header, or the merged one to the
		 * left when this column's is empty. */
		size_t p = j;
		while (p > 0 && im->cols[p].header[0] == '\0')
			p--;
		const char *parent = im->cols[p].header;
		if (im->cols[j].field != NULL && im->cols[j].header[0] != '\0')
			continue; /* already a whole header */
		char *ps = squeeze(parent), *cs = squeeze(c->text);
		if (ps == NULL || cs == NULL) {
			free(ps);
			free(cs);
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			goto out;
		}
		strip_about(ps);
		size_t len = strlen(ps) + strlen(cs) + 1;
		char *both = malloc(len);
		if (both == NULL) {
			free(ps);
			free(cs);
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			goto out;
		}
		snprintf(both, len, "%s%s", ps, cs);
		const struct form_field *f = header_field(im, both);
		if (f == NULL && im->cols[j].header[0] == '\0')
			f = header_field(im, c->text);
		free(ps);
		free(cs);
		if (f != NULL) {
			found[j] = f;
			joined[j] = both;
			named++;
		} else {
			free(both);
		}
	}
	if (named >= 2) {
		for (size_t j = 0; j < n; j++) {
			if (found[j] == NULL)
				continue;
			im->cols[j].field = found[j];
			im->cols[j].quiet = 0;
			free(im->cols[j].header);
			im->cols[j].header = joined[j];
			joined[j] = NULL;
		}
		ret = 1;
	}
	(void)filled;
out:
	for (size_t j = 0; joined && j < n; j++)
		free(joined[j]);
	free(joined);
	free(found);
	return ret;
}

static int has_column(const struct import_run *im, const char *key)
{
	for (size_t j = 0; j < im->ncols; j++)
		if (im->cols[j].field && strcmp(im->cols[j].field->key, key) == 0)
			return 1;
	return 0;
}

/* Appends s to a "、"-joined list in *list. */
static int list_add(char **list, const char *s)
{
	size_t old = *list ? strlen(*list) : 0, len = old + strlen(s) + 4;
	char *n = realloc(*list, len);
	if (n == NULL)
		return -1;
	if (old)
		snprintf(n + old, len - old, "、%s", s);
	else
		snprintf(n, len, "%s", s);
	*list = n;
	return 0;
}

/* The fields every child needs that no column gives, and the columns no
 * field takes. */
static int columns_check(struct import_run *im, struct xb_error *err)
{
	size_t n;
	const struct form_field *f = form_fields(STORE_CHILD, &n);
	char *missing = NULL;
	int ret = XB_OK;
	int by_id = has_column(im, FK_id_number);
	for (size_t i = 0; i < n && ret == XB_OK; i++) {
		if (!(f[i].flags & FORM_REQUIRED) || (f[i].flags & FORM_SYSTEM) ||
		    has_column(im, f[i].key))
			continue;
		if ((f[i].flags & FORM_DERIVED) && by_id)
			continue;
		/* A village by name or by code: the register gives the other. */
		if (strcmp(f[i].key, FK_village) == 0 && has_column(im, FK_village_code))
			continue;
		if (strcmp(f[i].key, FK_village_code) == 0 &&
		    has_column(im, FK_village) && im->has_register)
			continue;
		if (list_add(&missing, form_label(&f[i])) < 0)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	if (ret == XB_OK && missing != NULL) {
		if (strcmp(missing, form_label(form_field_find(STORE_CHILD, FK_village_code))) == 0 &&
		    has_column(im, FK_village))
			ret = xb_fail(err, XB_EINVAL, "%s",
				      im->opt->screen
					      ? _("The sheet names villages by name, and this office "
						  "has no villages registered yet: add the township's "
						  "villages first (the village register, F9 v on the "
						  "start screen), then import.")
					      : _("The sheet names villages by name, and this office "
						  "has no villages registered yet: add the township's "
						  "villages first (xiangban village add CODE NAME), then "
						  "import."));
		else if (im->opt->screen)
			ret = xb_fail(err, XB_EINVAL,
				      _("The header (row %lu) has no column for: %s. Add the "
					"column, or rename the sheet's own header for it."),
				      im->sum->header_row, missing);
		else
			ret = xb_fail(err, XB_EINVAL,
				      _("The header (row %lu) has no column for: %s. Add the "
					"column, or name the sheet's own header for it with "
					"--map 'HEADER=FIELD'."),
				      im->sum->header_row, missing);
	}
	free(missing);
	for (size_t j = 0; ret == XB_OK && j < im->ncols; j++) {
		if (im->cols[j].field != NULL) {
			if (im->cols[j].field->flags & FORM_SYSTEM &&
			    strcmp(im->cols[j].field->key, FK_case_no) != 0) {
				im->cols[j].field = NULL; /* the program's own */
				im->cols[j].quiet = 1;
			} else {
				im->sum->ncolumns++;
			}
			continue;
		}
		if (im->cols[j].quiet)
			continue;
		char *flat = squeeze(im->cols[j].header); /* "联系\n电话" */
		if (flat == NULL || list_add(&im->sum->unknown_columns, flat) < 0)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		free(flat);
	}
	return ret;
}

/* Reads up to the header (and a second header level under it). *first
 * gets the first data row, or NULL at the end of the sheet. */
static int find_header(struct import_run *im, const struct sheet_row **first,
		       struct xb_error *err)
{
	const struct sheet_row *row;
	int got;
	*first = NULL;
	for (unsigned long seen = 0;; seen++) {
		if ((got = sheet_next(im->rd, &row, err)) < 0)
			return got;
		if ((got == 0 || seen >= HEADER_SEARCH_ROWS) && im->opt->screen)
			return xb_fail(err, XB_EINVAL,
				       _("No header row found in %s: none of its first %d "
					 "rows names the fields of a child (姓名, 身份证号码, "
					 "所在村 ...). Check that the survey is on the first "
					 "sheet and that its header names the columns."),
				       im->path, HEADER_SEARCH_ROWS);
		if (got == 0 || seen >= HEADER_SEARCH_ROWS)
			return xb_fail(err, XB_EINVAL,
				       _("No header row found in %s: none of its first %d "
					 "rows names the fields of a child (姓名, 身份证号码, "
					 "所在村 ...). Check that the survey is on the first "
					 "sheet, or name the headers with --map "
					 "'HEADER=FIELD'."),
				       im->path, HEADER_SEARCH_ROWS);
		if (is_header_row(im, row))
			break;
	}
	im->sum->header_row = im->last_header = row->number;
	int ret = columns_take(im, row, err);
	if (ret != XB_OK)
		return ret;
	if ((got = sheet_next(im->rd, &row, err)) < 0)
		return got;
	if (got == 0)
		return XB_OK;
	int sub = columns_sub_header(im, row, err);
	if (sub < 0)
		return sub;
	if (sub == 0) {
		*first = row;
		return XB_OK;
	}
	im->last_header = row->number;
	if ((got = sheet_next(im->rd, &row, err)) < 0)
		return got;
	*first = got ? row : NULL;
	return XB_OK;
}

/* --- rows --- */

/* A total row: its first cell says 合计 or the like. */
static int row_is_total(const struct sheet_row *row)
{
	static const char *const words[] = { "合计", "总计", "小计", "共计", "总数" };
	for (size_t j = 0; j < row->ncells; j++) {
		if (row->cells[j].text[0] == '\0')
			continue;
		char *t = squeeze(row->cells[j].text);
		int total = 0;
		for (size_t i = 0; t && i < sizeof(words) / sizeof(words[0]); i++)
			if (starts_with(t, words[i]))
				total = 1;
		free(t);
		return total;
	}
	return 0;
}

/* The header again (a sheet printed with a header on every page). */
static int row_is_header_again(const struct import_run *im, const struct sheet_row *row)
{
	size_t same = 0, mapped = 0;
	for (size_t j = 0; j < im->ncols; j++) {
		if (im->cols[j].field == NULL)
			continue;
		mapped++;
		if (j < row->ncells && row->cells[j].text[0] != '\0' &&
		    strcmp(row->cells[j].text, im->cols[j].header) == 0)
			same++;
	}
	return mapped >= 2 && same * 2 >= mapped;
}

static const char mangled_id_msg[] =
	N_("The ID number was kept by Excel as a number (%s) and has lost its "
	   "last digits. Format the column as Text (设置单元格格式 → 文本), "
	   "type the ID numbers again (or start each with an apostrophe '), "
	   "and import again.");

/* 2.20221E+17: Excel's way of showing a long number. */
static int looks_scientific(const char *s)
{
	const char *p = s;
	if (*p < '0' || *p > '9')
		return 0;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (*p != 'E' && *p != 'e')
		return 0;
	p++;
	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

/* 18 digits whose last ones Excel turned into zeros: a number keeps 15. */
static int looks_truncated(const char *s)
{
	if (strlen(s) != 18 || strcmp(s + 15, "000") != 0)
		return 0;
	for (int i = 0; i < 18; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return form_mod11_2(s, 17) != s[17];
}

/* The value of a cell for field f, as the form would take it typed; *why
 * gets a reason when the cell cannot be one (a mangled ID). malloc'd
 * value ("" for none); NULL on memory. */
static char *cell_value(const struct form_field *f, const struct sheet_cell *c,
			char *why, size_t whylen)
{
	why[0] = '\0';
	if (c->type == SHEET_EMPTY)
		return strdup("");
	if (f->type == FORM_IDNUM) {
		char *t = squeeze(c->text);
		if (t != NULL && (c->type == SHEET_NUMBER || looks_scientific(t) ||
				  looks_truncated(t)))
			snprintf(why, whylen, _(mangled_id_msg), c->text);
		return t;
	}
	if ((f->type == FORM_DATE || f->type == FORM_DATETIME) &&
	    c->type == SHEET_NUMBER && c->number >= 1 && c->number < 100000 &&
	    floor(c->number) == c->number) {
		/* A date cell left in General format: Excel's serial. */
		char date[16];
		if (sheet_serial_date(c->number, 0, date) == 0)
			return strdup(date);
	}
	return strdup(c->text);
}

/* A possible duplicate found for a row without an ID number. */
struct similar_found {
	const struct import_run *im;
	char reason[512];
	char first[LEDGER_CASE_MAX]; /* the first one's case number */
	int n;
};

static int similar_seen(const struct store_record *child, void *arg)
{
	struct similar_found *s = arg;
	const char *name = store_record_get(child, FK_name);
	const char *village = store_record_get(child, FK_village);
	const char *birth = store_record_get(child, FK_birth_date);
	unsigned long row = touched_row(&s->im->touched, child->id);
	if (s->n == 0)
		snprintf(s->first, sizeof(s->first), "%s", child->id);
	if (s->n++ == 0) {
		if (row != 0)
			snprintf(s->reason, sizeof(s->reason),
				 _("No ID number, and row %lu of this sheet has a child who "
				   "may be the same (%s, %s, %s): the same child twice? "
				   "Give the ID number, or register this child in the form "
				   "if it is another."),
				 row, name ? name : "", birth ? birth : "",
				 village ? village : "");
		else
			snprintf(s->reason, sizeof(s->reason),
				 _("No ID number, and the ledger has a child who may be "
				   "the same: %s %s (%s, born %s). Give the ID number, or "
				   "register this child in the form if it is another."),
				 child->id, name ? name : "", village ? village : "",
				 birth ? birth : "");
	}
	return s->n > 1; /* two are enough: the row is not one of them */
}

/* Whether a row without an ID number may be a child already there. 1
 * with the reason, 0 not, <0 error. A row equal in every field it gives
 * to the one child it may be is that child, unchanged (*same_case gets
 * its case number). */
static int row_similar(struct import_run *im, struct store_txn *txn,
		       const struct store_record *rec, char *why, size_t whylen,
		       int *same, char same_case[LEDGER_CASE_MAX], struct xb_error *err)
{
	*same = 0;
	const char *name = store_record_get(rec, FK_name);
	const char *birth = store_record_get(rec, FK_birth_date);
	if (name == NULL || birth == NULL)
		return 0; /* the checks will refuse the row */
	struct store_record *probe = store_record_new(STORE_CHILD);
	if (probe == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	char date[11], py[64], code[13] = "", vname[64];
	int ret = store_record_set(probe, FK_name, name);
	if (ret == XB_OK && form_date_normalize(birth, date) == 0)
		ret = store_record_set(probe, FK_birth_date, date);
	if (ret == XB_OK && form_pinyin_initials(name, py, sizeof(py)) == 0)
		ret = store_record_set(probe, FK_name_py, py);
	const char *vcode = store_record_get(rec, FK_village_code);
	const char *vtext = vcode ? vcode : store_record_get(rec, FK_village);
	struct xb_error ignored;
	if (ret == XB_OK && vtext != NULL) {
		if (im->has_register &&
		    ledger_village_find(im->st, txn, vtext, code, vname, &ignored) == XB_OK)
			ret = store_record_set(probe, FK_village_code, code);
		else if (vcode != NULL)
			ret = store_record_set(probe, FK_village_code, vcode);
	}
	struct similar_found s = { im, "", "", 0 };
	if (ret == XB_OK)
		ret = ledger_child_similar(im->st, txn, probe, similar_seen, &s, err);
	else
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	store_record_free(&probe);
	if (ret != XB_OK)
		return ret;
	if (s.n == 0)
		return 0;
	if (s.n == 1 && touched_row(&im->touched, s.first) == 0) {
		ret = ledger_child_same_as(im->st, txn, rec, s.first, same, err);
		if (ret != XB_OK)
			return ret;
		if (*same) {
			snprintf(same_case, LEDGER_CASE_MAX, "%s", s.first);
			return 0;
		}
	}
	snprintf(why, whylen, "%s", s.reason);
	return 1;
}

/* The record a data row gives, or a reason it cannot be one. *rec NULL
 * and why "" when the row holds nothing to import. */
static int row_record(struct import_run *im, const struct sheet_row *row,
		      struct store_record **out, char *why, size_t whylen,
		      struct xb_error *err)
{
	*out = NULL;
	why[0] = '\0';
	struct store_record *rec = store_record_new(STORE_CHILD);
	if (rec == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t j = 0; j < im->ncols && j < row->ncells; j++) {
		const struct form_field *f = im->cols[j].field;
		if (f == NULL)
			continue;
		char cwhy[512];
		char *v = cell_value(f, &row->cells[j], cwhy, sizeof(cwhy));
		if (v == NULL || store_record_set(rec, f->key, v) != XB_OK) {
			free(v);
			store_record_free(&rec);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		free(v);
		if (cwhy[0] && why[0] == '\0')
			snprintf(why, whylen, "%s", cwhy);
	}
	if (rec->nfields == 0)
		store_record_free(&rec);
	*out = rec;
	return XB_OK;
}

/* A village the sheet names by name alone gets its code from the
 * register here, so that a child already in the ledger is compared by
 * code and a name written 前进 or 前进村 is the same village. 1 with the
 * reason when the register has no such village. */
static int row_village(struct import_run *im, struct store_txn *txn,
		       struct store_record *rec, char *why, size_t whylen,
		       struct xb_error *err)
{
	const char *name = store_record_get(rec, FK_village);
	if (!im->has_register || name == NULL || store_record_get(rec, FK_village_code))
		return 0;
	char code[13], canon[64];
	struct xb_error verr;
	xb_error_clear(&verr);
	int ret = ledger_village_find(im->st, txn, name, code, canon, &verr);
	if (ret == XB_ENOTFOUND || ret == XB_EINVAL) {
		snprintf(why, whylen, "%s", verr.msg);
		return 1;
	}
	if (ret != XB_OK) {
		*err = verr;
		return ret;
	}
	if (store_record_set(rec, FK_village_code, code) ||
	    store_record_set(rec, FK_village, canon))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return 0;
}

/* Refuses a row whose child (by ID number, or case number) an earlier
 * row of the sheet reached. */
static int row_repeats(struct import_run *im, struct store_txn *txn,
		       const struct store_record *rec, char *why, size_t whylen,
		       struct xb_error *err)
{
	const char *idn = store_record_get(rec, FK_id_number);
	const char *case_no = store_record_get(rec, FK_case_no);
	char *norm = NULL, *id = NULL;
	unsigned long first = 0;
	int ret = XB_OK, by_id = 0;
	if (idn != NULL &&
	    form_check_value(form_field_find(STORE_CHILD, FK_id_number), idn, &norm,
			     NULL) == XB_OK) {
		ret = store_find(im->st, txn, STORE_CHILD, STORE_BY_IDNUM, norm, &id, err);
		if (ret == XB_OK) {
			first = touched_row(&im->touched, id);
			by_id = 1;
		} else if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			ret = XB_OK;
		}
	}
	free(norm);
	free(id);
	if (ret != XB_OK)
		return ret;
	if (first == 0 && idn == NULL && case_no != NULL)
		first = touched_row(&im->touched, case_no);
	if (first == 0)
		return 0;
	snprintf(why, whylen,
		 by_id ? _("The same ID number is on row %lu of this sheet: one child, "
			   "one file. Keep one row.")
		       : _("The same case number is on row %lu of this sheet. Keep one "
			   "row."),
		 first);
	return 1;
}

/* Writes a rejected row to the rejects file: its cells as they were, the
 * reason after them. */
static int reject_write(struct import_run *im, const struct sheet_row *row,
			const char *reason, struct xb_error *err)
{
	if (im->rejects == NULL)
		return XB_OK;
	size_t n = im->ncols > row->ncells ? im->ncols : row->ncells;
	const char **cells = calloc(n + 1, sizeof(*cells));
	if (cells == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t j = 0; j < n; j++)
		cells[j] = cell_text(row, j);
	cells[n] = reason;
	int ret = sheet_write_row(im->rejects, cells, n + 1, 0, err);
	free(cells);
	return ret;
}

static int count_result(struct import_run *im, enum sheet_row_result res)
{
	struct sheet_import_summary *s = im->sum;
	switch (res) {
	case SHEET_ROW_IMPORTED: s->imported++; break;
	case SHEET_ROW_UPDATED: s->updated++; break;
	case SHEET_ROW_UNCHANGED: s->unchanged++; break;
	case SHEET_ROW_REJECTED: s->rejected++; break;
	case SHEET_ROW_SKIPPED: s->skipped++; break;
	}
	return 0;
}

static int row_reject(struct import_run *im, const struct sheet_row *row,
		      const char *why, struct xb_error *err)
{
	count_result(im, SHEET_ROW_REJECTED);
	if (note_add(im, row->number, SHEET_ROW_REJECTED, why) < 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return reject_write(im, row, why, err);
}

static int row_skip(struct import_run *im, const struct sheet_row *row,
		    const char *why, struct xb_error *err)
{
	count_result(im, SHEET_ROW_SKIPPED);
	if (why != NULL && note_add(im, row->number, SHEET_ROW_SKIPPED, why) < 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}

/* One data row through the ledger. */
static int row_import(struct import_run *im, struct store_txn *txn,
		      const struct sheet_row *row, struct xb_error *err)
{
	if (row_blank(row))
		return row_skip(im, row, NULL, err);
	if (row_is_total(row))
		return row_skip(im, row, _("a total row"), err);
	if (row_is_header_again(im, row))
		return row_skip(im, row, _("the header again"), err);
	struct store_record *rec;
	char why[768];
	int ret = row_record(im, row, &rec, why, sizeof(why), err);
	if (ret != XB_OK)
		return ret;
	if (rec == NULL)
		return row_skip(im, row, NULL, err); /* 序号 alone: an empty line */
	int stop = why[0] ? 1 : row_village(im, txn, rec, why, sizeof(why), err);
	if (stop == 0)
		stop = row_repeats(im, txn, rec, why, sizeof(why), err);
	if (stop == 0 && store_record_get(rec, FK_id_number) == NULL) {
		/* Matched by its case number: the child is known. */
		const char *case_no = store_record_get(rec, FK_case_no);
		struct store_record *known = NULL;
		struct xb_error nf;
		int same = 0;
		char same_case[LEDGER_CASE_MAX];
		if (case_no == NULL ||
		    store_get(im->st, txn, STORE_CHILD, case_no, &known, &nf) != XB_OK)
			stop = row_similar(im, txn, rec, why, sizeof(why), &same, same_case,
					   err);
		store_record_free(&known);
		if (stop == 0 && same) {
			store_record_free(&rec);
			count_result(im, SHEET_ROW_UNCHANGED);
			if (touched_mark(&im->touched, same_case, row->number) < 0)
				return xb_fail(err, XB_EFAIL, _("Out of memory."));
			return XB_OK;
		}
	}
	if (stop < 0) {
		store_record_free(&rec);
		return stop;
	}
	if (stop > 0) {
		store_record_free(&rec);
		return row_reject(im, row, why, err);
	}
	enum ledger_import_result res;
	struct xb_error rowerr;
	char case_no[LEDGER_CASE_MAX];
	xb_error_clear(&rowerr);
	struct xb_error note;
	ret = ledger_child_import(im->st, txn, rec, im->opt->user, &res, case_no, &note,
				  &rowerr);
	store_record_free(&rec);
	if (ret == XB_EDEADLOCK || ret == XB_EFAIL) {
		*err = rowerr;
		return ret;
	}
	if (ret != XB_OK)
		return row_reject(im, row, rowerr.msg, err);
	if (touched_mark(&im->touched, case_no, row->number) < 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	enum sheet_row_result got = res == LEDGER_IMPORT_ADDED ? SHEET_ROW_IMPORTED
				    : res == LEDGER_IMPORT_UPDATED ? SHEET_ROW_UPDATED
								   : SHEET_ROW_UNCHANGED;
	count_result(im, got);
	/* In, with something to settle: told like a row left out. */
	if (note.msg[0] != '\0' && note_add(im, row->number, got, note.msg) < 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}

/* --- the run --- */

/* The rejects file: the header as the sheet had it, a reason column. */
static int rejects_open(struct import_run *im, struct xb_error *err)
{
	if (im->opt->rejects == NULL || im->opt->dry_run)
		return XB_OK;
	enum sheet_format fmt = sheet_reader_format(im->rd);
	enum sheet_encoding enc = sheet_reader_encoding(im->rd);
	if (fmt == SHEET_XLS)
		fmt = SHEET_XLSX; /* nothing here writes Excel 97 */
	if (enc == SHEET_UTF16)
		enc = SHEET_UTF8_BOM;
	int ret = sheet_writer_open(im->opt->rejects, fmt, enc, _("Rejected rows"),
				    &im->rejects, err);
	if (ret != XB_OK)
		return ret;
	const char **cells = calloc(im->ncols + 1, sizeof(*cells));
	if (cells == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t j = 0; j < im->ncols; j++)
		cells[j] = im->cols[j].header;
	cells[im->ncols] = _("Reason not imported");
	ret = sheet_write_row(im->rejects, cells, im->ncols + 1, 1, err);
	free(cells);
	return ret;
}

static int village_registered(struct store *st, struct xb_error *err)
{
	struct store_iter *it;
	int ret = store_iter_open(st, STORE_VILLAGE, STORE_BY_ID, STORE_ALL, NULL,
				  &it, err);
	if (ret != XB_OK)
		return ret;
	struct store_record *rec = NULL;
	ret = store_iter_next(it, &rec, NULL, err);
	store_record_free(&rec);
	store_iter_close(&it);
	return ret < 0 ? ret : ret > 0;
}

static int import_attempt(struct store *st, struct store_txn *txn, void *arg,
			  struct xb_error *err)
{
	struct import_run *im = arg;
	attempt_reset(im);
	int ret = sheet_open(im->path, &im->rd, err);
	if (ret != XB_OK)
		return ret;
	im->sum->format = sheet_reader_format(im->rd);
	im->sum->encoding = sheet_reader_encoding(im->rd);
	int reg = village_registered(st, err);
	if (reg < 0)
		return reg;
	im->has_register = reg;
	const struct sheet_row *row;
	if ((ret = find_header(im, &row, err)) != XB_OK ||
	    (ret = columns_check(im, err)) != XB_OK ||
	    (ret = rejects_open(im, err)) != XB_OK)
		return ret;
	unsigned long done = 0, last = im->last_header;
	while (row != NULL) {
		/* Rows a workbook leaves out are blank rows too. */
		if (row->number > last + 1)
			im->sum->skipped += row->number - last - 1;
		last = row->number;
		if ((ret = row_import(im, txn, row, err)) != XB_OK)
			return ret;
		if (++done % PROGRESS_EVERY == 0 && im->opt->progress &&
		    im->opt->progress(sheet_progress(im->rd), done, im->opt->arg))
			return xb_fail(err, XB_EINVAL, _("The import was stopped; nothing "
							 "was imported."));
		int got = sheet_next(im->rd, &row, err);
		if (got < 0)
			return got;
		if (got == 0)
			row = NULL;
	}
	if (im->opt->progress)
		im->opt->progress(1000, done, im->opt->arg);
	im->finished = 1;
	/* A dry run ends here: the transaction is aborted, as if refused. */
	return im->opt->dry_run ? XB_EINVAL : XB_OK;
}

void sheet_import_summary_free(struct sheet_import_summary *s)
{
	free(s->unknown_columns);
	s->unknown_columns = NULL;
}

int sheet_import(struct store *st, const char *path,
		 const struct sheet_import_options *opt,
		 struct sheet_import_summary *sum, struct xb_error *err)
{
	struct import_run im = { .st = st, .path = path, .opt = opt, .sum = sum };
	memset(sum, 0, sizeof(*sum));
	int ret = store_run(st, import_attempt, &im, err);
	if (ret == XB_EINVAL && im.finished && opt->dry_run) {
		xb_error_clear(err);
		ret = XB_OK;
	}
	if (ret == XB_OK && im.rejects != NULL) {
		if (sum->rejected > 0) {
			ret = sheet_writer_close(&im.rejects, err);
			sum->rejects_written = ret == XB_OK;
			sum->rejects_failed = ret != XB_OK;
		}
	}
	/* The rows are in even when their rejects could not be written: tell
	 * them. */
	if ((ret == XB_OK || sum->rejects_failed) && opt->row_done != NULL)
		for (size_t i = 0; i < im.nnotes; i++)
			opt->row_done(im.notes[i].row, im.notes[i].res,
				      im.notes[i].reason, opt->arg);
	sheet_close(&im.rd);
	sheet_writer_abort(&im.rejects);
	columns_free(&im);
	touched_free(&im.touched);
	for (size_t i = 0; i < im.nnotes; i++)
		free(im.notes[i].reason);
	free(im.notes);
	return ret;
}
