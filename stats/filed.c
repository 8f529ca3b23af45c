/* filed.c - the tables an office files: its total of a closed period as a
 * record of kind STORE_TABLE, which bundles carry up the chain. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../forms/field_keys.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"

void stats_table_id(const char *office, const struct stats_period *p,
		    char id[40])
{
	snprintf(id, 40, "%s/T%s", office, p->label);
}

/* --- figures as text --- */

struct text {
	char *s;
	size_t n, cap;
	int failed;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (int i = 0; i < 2 && !t->failed; i++) {
		va_start(ap, fmt);
		int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0,
				  fmt, ap);
		va_end(ap);
		if (k < 0) {
			t->failed = 1;
			return;
		}
		if (t->s != NULL && (size_t)k < t->cap - t->n) {
			t->n += (size_t)k;
			return;
		}
		size_t cap = (t->cap ? t->cap : 256) + (size_t)k + 256;
		char *s = realloc(t->s, cap);
		if (s == NULL) {
			t->failed = 1;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
}

int stats_figures_format(const struct stats_row *r, const double *late,
			 size_t nlate, char **out)
{
	struct text t = { 0 };
	*out = NULL;
	for (int c = 0; c < STATS_NCOLS; c++)
		put(&t, "%s%s=%" PRIu64, c ? " " : "", stats_column((enum stats_col)c)->key,
		    r->v[c]);
	put(&t, " late_days=");
	for (size_t i = 0; i < nlate; i++)
		put(&t, "%s%.0f", i ? "," : "", late[i]);
	if (t.failed) {
		free(t.s);
		return XB_EFAIL;
	}
	*out = t.s;
	return XB_OK;
}

static int column_of(const char *key, size_t len)
{
	for (int c = 0; c < STATS_NCOLS; c++) {
		const char *k = stats_column((enum stats_col)c)->key;
		if (strlen(k) == len && memcmp(k, key, len) == 0)
			return c;
	}
	return -1;
}

/* A whole number of at most 12 digits at s, its length into *len. */
static int number(const char *s, uint64_t *v, size_t *len)
{
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 12)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	*len = n;
	return 0;
}

int stats_figures_parse(const char *text, struct stats_row *r, double **late,
			size_t *nlate, struct xb_error *err)
{
	memset(r->v, 0, sizeof(r->v));
	*late = NULL;
	*nlate = 0;
	const char *s = text ? text : "";
	size_t cap = 0;
	while (*s) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		size_t klen = strcspn(s, "= ");
		if (s[klen] != '=')
			goto bad;
		const char *v = s + klen + 1;
		if (klen == 9 && memcmp(s, "late_days", 9) == 0) {
			while (*v && *v != ' ') {
				uint64_t d;
				size_t n;
				if (number(v, &d, &n) != 0)
					goto bad;
				if (*nlate == cap) {
					cap = cap ? cap * 2 : 8;
					double *p = realloc(*late, cap * sizeof(*p));
					if (p == NULL) {
						free(*late);
						*late = NULL;
						return xb_fail(err, XB_EFAIL, _("Out of memory."));
					}
					*late = p;
				}
				(*late)[(*nlate)++] = (double)d;
				v += n;
				if (*v == ',')
					v++;
			}
			s = v;
			continue;
		}
		uint64_t n;
		size_t vlen;
		if (number(v, &n, &vlen) != 0 || (v[vlen] != ' ' && v[vlen] != '\0'))
			goto bad;
		int c = column_of(s, klen);
		if (c >= 0)
			r->v[c] = n;
		s = v + vlen;
	}
	return XB_OK;
bad:
	free(*late);
	*late = NULL;
	*nlate = 0;
	return xb_fail(err, XB_EINVAL,
		       _("A statistics table's figures are damaged near \"%.20s\"."), s);
}

/* --- filing --- */

struct file_arg {
	struct stats_table **t;
	size_t n;
	const char *user, *today;
	size_t filed;
};

/* Writes the tables that are new or changed, in one transaction. */
static int file_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct file_arg *f = arg;
	f->filed = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct stats_table *t = f->t[i];
		char id[40], *figures = NULL;
		stats_table_id(t->office, &t->period, id);
		if (stats_figures_format(&t->total, t->late_days, t->nlate, &figures))
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		struct store_record *rec = NULL;
		int ret = store_get(st, txn, STORE_TABLE, id, &rec, err);
		if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			ret = (rec = store_record_new(STORE_TABLE)) == NULL ||
					      store_record_set_id(rec, id) ||
					      store_record_set_origin(rec, t->office) ?
				      xb_fail(err, XB_EFAIL, _("Out of memory.")) :
				      XB_OK;
		}
		const char *had = ret == XB_OK ? store_record_get(rec, FK_figures) : NULL;
		const char *name = rec ? store_record_get(rec, FK_name) : NULL;
		/* nothing to tell of a period before anything happened */
		int empty = t->nlate == 0;
		for (int c = 0; c < STATS_NCOLS && empty; c++)
			empty = t->total.v[c] == 0;
		if (ret == XB_OK && empty && rec->version == 0) {
			free(figures);
			store_record_free(&rec);
			continue;
		}
		int same = had != NULL && strcmp(had, figures) == 0 && name != NULL &&
			   strcmp(name, t->office_name) == 0;
		if (ret == XB_OK && !same) {
			if (store_record_set(rec, FK_period, t->period.label) ||
			    store_record_set(rec, FK_from, t->period.from) ||
			    store_record_set(rec, FK_to, t->period.to) ||
			    store_record_set(rec, FK_name, t->office_name) ||
			    store_record_set(rec, FK_made, t->made) ||
			    store_record_set(rec, FK_figures, figures))
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			if (ret == XB_OK)
				ret = form_check_record(rec, f->today, err);
			if (ret == XB_OK)
				ret = rec->version ?
					      store_update(st, txn, rec, f->user, "stats", err) :
					      store_insert_as(st, txn, rec, f->user, "stats", err);
			if (ret == XB_OK)
				f->filed++;
		}
		free(figures);
		store_record_free(&rec);
		if (ret != XB_OK)
			return ret;
	}
	return XB_OK;
}

int stats_file_closed(struct store *st, const char *after, const char *user,
		      size_t *filed, struct xb_error *err)
{
	if (filed)
		*filed = 0;
	/* Filed for the whole office, by who sends its bundles. */
	int ret = ledger_access(st, NULL, user, LEDGER_EXCHANGE, NULL, err);
	if (ret)
		return ret;
	char today[11], since[11];
	xb_today(today, sizeof(today));
	struct stats_period month, p[32];
	size_t n = 0;
	stats_period_last_month(today, &month);
	/* the last twelve months at most */
	struct stats_period first = month;
	for (int i = 0; i < 11; i++)
		stats_period_step(&first, 0, &first);
	snprintf(since, sizeof(since), "%s",
		 after && *after && strcmp(after, first.from) > 0 ? after : first.from);
	/* each month that ended on or after since, and the quarters and
	 * years among them that ended with them */
	for (struct stats_period m = month; strcmp(m.to, since) >= 0 && n + 3 <= 32;
	     stats_period_step(&m, 0, &m)) {
		p[n++] = m;
		int y, mo, d;
		form_parse_date(m.to, &y, &mo, &d);
		char label[24];
		if (mo % 3 == 0) {
			snprintf(label, sizeof(label), "%04d-Q%d", y, mo / 3);
			stats_period_parse(label, &p[n++], err);
		}
		if (mo == 12) {
			snprintf(label, sizeof(label), "%04d", y);
			stats_period_parse(label, &p[n++], err);
		}
	}
	struct stats_table *t[32] = { NULL };
	ret = stats_compute_many(st, p, n, STATS_BY_NONE, user, t, err);
	struct file_arg f = { t, n, user, today, 0 };
	if (ret == XB_OK && n > 0)
		ret = store_run(st, file_fn, &f, err);
	for (size_t i = 0; i < n; i++)
		stats_table_free(&t[i]);
	if (ret == XB_OK && filed)
		*filed = f.filed;
	return ret;
}
