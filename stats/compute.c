/* compute.c - a statistics table counted from the records: the children,
 * their visits, reports and entries of assistance walked together in
 * case-number order (their ids begin with their child's case number), and the
 * history of a case read only when something in it changed after the
 * period began, to see the case as the ledger held it then and at the
 * period's end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../forms/field_keys.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"

/* --- the rows being counted --- */

struct acc_row {
	struct stats_row row;
	double *delays; /* days late of each late report */
	size_t nd, dcap;
};

struct acc {
	struct store *st;
	const struct stats_period *p;
	enum stats_by by;
	char before[11];   /* the day before the period */
	char asof[11];     /* the period's last day, or today when sooner */
	struct acc_row *rows; /* sorted by key */
	size_t n, cap;
	size_t last;       /* the row found last */
	const struct ledger_who *who; /* whose children only, or NULL: all */
	int key_cases;     /* the key cases only */
	struct xb_error *err;
};

static int oom(struct xb_error *err)
{
	return xb_fail(err, XB_EFAIL, _("Out of memory."));
}

/* The name a row of key is shown under. */
static void row_name(struct acc *a, const char *key, const char *fallback,
		     char *name, size_t len)
{
	struct store_record *r = NULL;
	struct xb_error ignored = { 0 };
	snprintf(name, len, "%s", fallback ? fallback : "");
	if (key[0] == '\0')
		return;
	enum store_kind kind = a->by == STATS_BY_VILLAGE ? STORE_VILLAGE :
			       a->by == STATS_BY_MEMBER ? 0 : STORE_OFFICE;
	if (kind == 0 || store_get(a->st, NULL, kind, key, &r, &ignored) != XB_OK)
		return;
	const char *v = store_record_get(r, FK_name);
	if (v != NULL && v[0] != '\0')
		snprintf(name, len, "%s", v);
	store_record_free(&r);
	xb_error_clear(&ignored);
}

/* The row of key (made when new); NULL out of memory. */
static struct acc_row *row_of(struct acc *a, const char *key,
			      const char *name)
{
	if (a->last < a->n && strcmp(a->rows[a->last].row.key, key) == 0)
		return &a->rows[a->last];
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->rows[mid].row.key, key);
		if (c == 0) {
			a->last = mid;
			return &a->rows[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct acc_row *r = realloc(a->rows, cap * sizeof(*r));
		if (r == NULL)
			return NULL;
		a->rows = r;
		a->cap = cap;
	}
	memmove(&a->rows[lo + 1], &a->rows[lo], (a->n - lo) * sizeof(*a->rows));
	a->n++;
	struct acc_row *r = &a->rows[lo];
	memset(r, 0, sizeof(*r));
	snprintf(r->row.key, sizeof(r->row.key), "%s", key);
	row_name(a, r->row.key, name, r->row.name, sizeof(r->row.name));
	r->row.late_median_days = -1;
	a->last = lo;
	return r;
}

static int add_delay(struct acc_row *r, double days)
{
	if (r->nd == r->dcap) {
		size_t cap = r->dcap ? r->dcap * 2 : 8;
		double *d = realloc(r->delays, cap * sizeof(*d));
		if (d == NULL)
			return -1;
		r->delays = d;
		r->dcap = cap;
	}
	r->delays[r->nd++] = days;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of d[0..n) (sorted here); -1 when n is 0. */
static double median(double *d, size_t n)
{
	if (n == 0)
		return -1;
	qsort(d, n, sizeof(*d), cmp_double);
	return n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
}

/* --- a case as the ledger held it at a moment --- */

/* One audit entry of a case, what undoing it needs. */
struct entry {
	char *id;
	int64_t at;
	int created; /* the record's first entry: it was made then */
	size_t n;
	struct store_change *changes; /* key and before only */
};

struct history {
	struct entry *e;
	size_t n, cap;
	int64_t since; /* changes made before are not kept: never undone */
	int failed;
};

static void history_clear(struct history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		for (size_t j = 0; j < h->e[i].n; j++) {
			free(h->e[i].changes[j].key);
			free(h->e[i].changes[j].before);
		}
		free(h->e[i].changes);
		free(h->e[i].id);
	}
	h->n = 0;
	h->failed = 0;
}

static int keep_entry(const struct store_audit *a, void *arg)
{
	struct history *h = arg;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 32;
		struct entry *e = realloc(h->e, cap * sizeof(*e));
		if (e == NULL) {
			h->failed = 1;
			return 1;
		}
		h->e = e;
		h->cap = cap;
	}
	struct entry *e = &h->e[h->n];
	memset(e, 0, sizeof(*e));
	e->id = strdup(a->record_id);
	e->at = a->at;
	/* the first entry of a record is its making (history fills that
	 * one with the values it was made with) */
	e->created = 1;
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->e[i].id, a->record_id) == 0) {
			e->created = 0;
			break;
		}
	size_t keep = a->at >= h->since ? a->nchanges : 0;
	e->changes = keep ? calloc(keep, sizeof(*e->changes)) : NULL;
	if (e->id == NULL || (keep && e->changes == NULL)) {
		free(e->id);
		free(e->changes);
		h->failed = 1;
		return 1;
	}
	h->n++;
	if (a->at < h->since)
		return 0;
	e->n = a->nchanges;
	for (size_t i = 0; i < a->nchanges; i++) {
		e->changes[i].key = strdup(a->changes[i].key);
		e->changes[i].before =
			a->changes[i].before ? strdup(a->changes[i].before) : NULL;
		if (e->changes[i].key == NULL ||
		    (a->changes[i].before && e->changes[i].before == NULL)) {
			h->failed = 1;
			return 1;
		}
	}
	return 0;
}

/* A record as the ledger held it at a moment: the record itself when
 * nothing of it changed since (own NULL), or a copy with the later
 * changes undone (own, to free). rec NULL: it was not there yet. */
struct state {
	const struct store_record *rec;
	struct store_record *own;
};

static void state_free(struct state *s)
{
	store_record_free(&s->own);
	s->rec = NULL;
}

/* What the ledger held of cur at moment t into *out, and when cur was
 * made (*made, or 0 when long before h->since). -1 out of memory. */
static int state_at(const struct store_record *cur, const struct history *h,
		    int64_t t, struct state *out, int64_t *made)
{
	out->rec = NULL;
	out->own = NULL;
	/* made when first saved if that save is its last */
	*made = cur->version <= 1 ? cur->changed_at : 0;
	if (h != NULL)
		for (size_t i = 0; i < h->n; i++)
			if (h->e[i].created && strcmp(h->e[i].id, cur->id) == 0) {
				*made = h->e[i].at;
				break;
			}
	if (*made > t)
		return 0; /* not there yet */
	if (cur->changed_at <= t || h == NULL) {
		out->rec = cur;
		return 0;
	}
	for (size_t i = h->n; i-- > 0;) {
		const struct entry *e = &h->e[i];
		if (e->at <= t || e->n == 0 || strcmp(e->id, cur->id) != 0)
			continue;
		if (out->own == NULL && (out->own = store_record_dup(cur)) == NULL)
			return -1;
		for (size_t j = 0; j < e->n; j++)
			if (store_record_set(out->own, e->changes[j].key,
					     e->changes[j].before)) {
				state_free(out);
				return -1;
			}
	}
	out->rec = out->own ? out->own : cur;
	return 0;
}

/* --- a case counted --- */

struct records {
	struct store_record **r;
	size_t n, cap;
};

static void records_clear(struct records *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_record_free(&l->r[i]);
	l->n = 0;
}

static int records_add(struct records *l, struct store_record *r)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct store_record **p = realloc(l->r, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		l->r = p;
		l->cap = cap;
	}
	l->r[l->n++] = r;
	return 0;
}

static const char *get(const struct store_record *r, const char *key)
{
	const char *v = r ? store_record_get(r, key) : NULL;
	return v ? v : "";
}

/* Whether child r (as held at a moment) had left the ledger by day. */
static int gone(const struct store_record *r, const char *day)
{
	if (r == NULL || strcmp(get(r, FK_status), "exited") != 0)
		return 0;
	const char *d = get(r, FK_exit_date);
	return d[0] == '\0' || strncmp(d, day, 10) <= 0;
}

/* The day a record was made, or "" when long before (made 0). */
static void made_day(int64_t made, char day[11])
{
	char buf[24];
	day[0] = '\0';
	if (made == 0)
		return;
	xb_format_time(made, buf, sizeof(buf));
	snprintf(day, 11, "%.10s", buf);
}

/* Whether an event dated date (YYYY-MM-DD...), recorded at made, counts
 * in the period: the later of the two days falls in it. */
static int in_period(const struct acc *a, const char *date, int64_t made)
{
	char d[11], m[11];
	snprintf(d, sizeof(d), "%.10s", date);
	if (made >= a->p->start) {
		made_day(made, m);
		if (strcmp(m, d) > 0)
			memcpy(d, m, sizeof(d));
	}
	return strcmp(d, a->p->from) >= 0 && strcmp(d, a->p->to) <= 0;
}

static const char *const report_categories[] = {
	"accidental_injury", "unlawful_harm", "domestic_violence", "missing",
	"parents_unreachable", "unsupervised", "out_of_school",
	"abuse_abandonment", "other",
};

/* The row a child at the period's end counts in. */
static struct acc_row *child_row(struct acc *a, const struct store_record *e)
{
	char key[64];
	const char *name = NULL;
	switch (a->by) {
	case STATS_BY_VILLAGE:
		snprintf(key, sizeof(key), "%s", get(e, FK_village_code));
		name = get(e, FK_village);
		break;
	case STATS_BY_MEMBER:
		snprintf(key, sizeof(key), "%s", get(e, FK_member_name));
		name = key;
		break;
	case STATS_BY_TOWNSHIP:
		snprintf(key, sizeof(key), "%.9s", e->id);
		name = key;
		break;
	case STATS_BY_COUNTY:
		snprintf(key, sizeof(key), "%.6s", e->id);
		name = key;
		break;
	default:
		key[0] = '\0';
		break;
	}
	return row_of(a, key, name);
}

/* A child out of the ledger (r as it stood after leaving) or back in it. */
static void count_move(uint64_t *v, int out, const struct store_record *r)
{
	if (!out) {
		v[STATS_READMITTED]++;
		return;
	}
	const char *why = get(r, FK_exit_reason);
	v[STATS_EXITED]++;
	if (strcmp(why, "turned16") == 0)
		v[STATS_EXITED_TURNED16]++;
	else if (strcmp(why, "parents_returned") == 0)
		v[STATS_EXITED_PARENTS_RETURNED]++;
	else if (strcmp(why, "moved_with_family") == 0)
		v[STATS_EXITED_MOVED]++;
	else
		v[STATS_EXITED_OTHER]++;
}

/* Whether entry e (of the child's own record) changed its status or
 * made it. */
static int moves(const struct entry *e)
{
	if (e->created)
		return 1;
	for (size_t j = 0; j < e->n; j++)
		if (strcmp(e->changes[j].key, FK_status) == 0)
			return 1;
	return 0;
}

/* The child cur as it stood right after entry i of h: the entries of
 * cur after it undone (by place, not time: two in one second stay
 * apart). */
static int state_after(const struct store_record *cur, const struct history *h,
		       size_t i, struct state *out)
{
	out->rec = out->own = NULL;
	if ((out->own = store_record_dup(cur)) == NULL)
		return -1;
	for (size_t j = h->n; j-- > i + 1;) {
		const struct entry *e = &h->e[j];
		if (strcmp(e->id, cur->id) != 0)
			continue;
		for (size_t k = 0; k < e->n; k++)
			if (store_record_set(out->own, e->changes[k].key, e->changes[k].before)) {
				state_free(out);
				return -1;
			}
	}
	out->rec = out->own;
	return 0;
}

/* The child's comings and goings in the period: each time it left and
 * each time it came back, told by the history's entries recorded in the
 * period (a child who left and came back counts in both), from its
 * state at the start (s, NULL: not there yet) to its state at the end
 * (e). -1 out of memory. */
static int count_moves(struct acc *a, uint64_t *v, const struct store_record *cur,
		       const struct history *h, const struct store_record *s,
		       const struct store_record *e)
{
	int out = gone(s, a->before);
	for (size_t i = 0; h != NULL && i < h->n; i++) {
		const struct entry *en = &h->e[i];
		if (en->at < a->p->start || en->at > a->p->end ||
		    strcmp(en->id, cur->id) != 0 || !moves(en))
			continue;
		struct state mid;
		if (state_after(cur, h, i, &mid) != 0)
			return -1;
		int now = strcmp(get(mid.rec, FK_status), "exited") == 0;
		if (now != out)
			count_move(v, now, mid.rec);
		out = now;
		state_free(&mid);
	}
	int end = gone(e, a->p->to);
	if (end != out)
		count_move(v, end, e);
	return 0;
}

/* The programmes of assistance, in the order of the columns from
 * STATS_AID_DIBAO; a code not among them counts as other. */
static const char *const aid_programmes[] = {
	"dibao", "tekun", "temporary", "orphan", "disability", "other",
};
#define NAID (sizeof(aid_programmes) / sizeof(aid_programmes[0]))

/* The bit of programme code (its column's, from STATS_AID_DIBAO). */
static unsigned aid_bit(const char *code)
{
	size_t i = 0;
	while (i < NAID - 1 && strcmp(code, aid_programmes[i]) != 0)
		i++;
	return 1u << i;
}

/* Counts a child at the period's end, e: in the ledger, its kind, age
 * and flags, and its assistance (aid: the bits of the programmes its
 * current entries are of; entries 0 when it had none, then the old
 * summary field counts). */
static void count_child(struct acc *a, struct acc_row *row,
			const struct store_record *s, const struct store_record *e,
			unsigned aid, int entries)
{
	uint64_t *v = row->row.v;
	const char *to = a->p->to;
	int out_now = gone(e, to);
	v[STATS_REGISTERED] += s == NULL;
	if (out_now)
		return;
	v[STATS_IN_LEDGER]++;
	const char *type = form_left_behind_type(e);
	if (strcmp(type, "both_away") == 0)
		v[STATS_BOTH_AWAY]++;
	else if (strcmp(type, "one_away_other_incapable") == 0)
		v[STATS_ONE_AWAY]++;
	else
		v[STATS_NOT_LEFT_BEHIND]++;
	const char *sex = get(e, FK_sex);
	v[STATS_MALE] += strcmp(sex, "M") == 0;
	v[STATS_FEMALE] += strcmp(sex, "F") == 0;
	int age = form_age(get(e, FK_birth_date), a->asof);
	if (age >= 16)
		v[STATS_AGE_16_OVER]++;
	else if (age >= 12)
		v[STATS_AGE_12_15]++;
	else if (age >= 6)
		v[STATS_AGE_6_11]++;
	else if (age >= 0)
		v[STATS_AGE_0_5]++;
	unsigned fl = form_child_flags(e, a->asof);
	v[STATS_UNSUPERVISED] += !!(fl & FORM_FLAG_UNSUPERVISED);
	v[STATS_OUT_OF_SCHOOL] += !!(fl & FORM_FLAG_OUT_OF_SCHOOL);
	v[STATS_NO_HUKOU] += !!(fl & FORM_FLAG_NO_HUKOU);
	const char *help = get(e, FK_assistance);
	if (!entries && help[0] != '\0' && strcmp(help, "none") != 0)
		aid = aid_bit(help);
	v[STATS_ASSISTED] += aid != 0;
	for (size_t i = 0; i < NAID; i++)
		v[STATS_AID_DIBAO + i] += (aid >> i) & 1;
	v[STATS_KEY_CASES] += strcmp(get(e, FK_key_case), "yes") == 0;
	const char *due = get(e, FK_next_visit_due);
	v[STATS_OVERDUE] += form_parse_date(due, NULL, NULL, NULL) == 0 &&
			    strcmp(due, a->asof) < 0;
	v[STATS_NEVER_VISITED] += get(e, FK_last_visit)[0] == '\0';
}

static int count_report(struct acc *a, struct acc_row *row,
			const struct store_record *s, const struct store_record *e,
			int64_t made)
{
	uint64_t *v = row->row.v;
	int closed = strcmp(get(e, FK_status), "closed") == 0;
	const char *reported = get(e, FK_reported_at);
	if (closed && strcmp(get(s, FK_status), "closed") != 0)
		v[STATS_REPORTS_CLOSED]++;
	v[STATS_REPORTS_OPEN] += !closed;
	v[STATS_UNREPORTED] += !closed && reported[0] == '\0';
	const char *found = get(e, FK_found_at);
	if (!in_period(a, found, made))
		return 0;
	v[STATS_REPORTS]++;
	const char *cat = get(e, FK_category);
	size_t i = 0, ncat = sizeof(report_categories) / sizeof(report_categories[0]);
	while (i < ncat - 1 && strcmp(cat, report_categories[i]) != 0)
		i++;
	v[STATS_REPORTS_ACCIDENTAL_INJURY + i]++;
	if (reported[0] == '\0')
		return 0;
	long days = form_days_between(found, reported);
	if (days <= 0) {
		v[STATS_REPORTED_SAME_DAY]++;
		return 0;
	}
	v[STATS_REPORTED_LATE]++;
	return add_delay(row, (double)days);
}

/* Counts one case: its child, visits and reports as they are now, and h
 * their history when anything in the case changed since the period
 * began (NULL when nothing did). */
/* The programmes of the entries of assistance current at the period's
 * end (bits as aid_bit's) into *bits, and whether the child had any
 * entry by then into *entries. -1 out of memory. */
static int aid_at_end(const struct acc *a, const struct records *aids,
		      const struct history *h, unsigned *bits, int *entries)
{
	*bits = 0;
	*entries = 0;
	for (size_t i = 0; i < aids->n; i++) {
		struct state ae;
		int64_t made;
		if (state_at(aids->r[i], h, a->p->end, &ae, &made) != 0)
			return -1;
		if (ae.rec != NULL) {
			*entries = 1;
			if (ledger_aid_current(ae.rec, a->asof))
				*bits |= aid_bit(get(ae.rec, FK_programme));
		}
		state_free(&ae);
	}
	return 0;
}

static int count_case(struct acc *a, const struct store_record *child,
		      const struct records *visits,
		      const struct records *reports, const struct records *aids,
		      const struct history *h)
{
	struct state s, e;
	int64_t made;
	unsigned aid;
	int entries;
	int ret = XB_OK;
	if (state_at(child, h, a->p->end, &e, &made) != 0)
		return oom(a->err);
	if (e.rec == NULL)
		return XB_OK; /* registered after the period */
	if (a->key_cases && strcmp(get(e.rec, FK_key_case), "yes") != 0) {
		state_free(&e);
		return XB_OK; /* not a key case at the period's end */
	}
	if (state_at(child, h, a->p->start - 1, &s, &made) != 0) {
		state_free(&e);
		return oom(a->err);
	}
	struct acc_row *row = child_row(a, e.rec);
	if (row == NULL || aid_at_end(a, aids, h, &aid, &entries) != 0 ||
	    count_moves(a, row->row.v, child, h, s.rec, e.rec) != 0) {
		ret = oom(a->err);
		goto out;
	}
	count_child(a, row, s.rec, e.rec, aid, entries);

	int visited = 0;
	for (size_t i = 0; i < visits->n && ret == XB_OK; i++) {
		struct state ve;
		if (state_at(visits->r[i], h, a->p->end, &ve, &made) != 0) {
			ret = oom(a->err);
			break;
		}
		if (ve.rec != NULL && in_period(a, get(ve.rec, FK_date), made)) {
			row->row.v[STATS_VISITS]++;
			visited = 1;
		}
		state_free(&ve);
	}
	row->row.v[STATS_CHILDREN_VISITED] += visited;

	for (size_t i = 0; i < reports->n && ret == XB_OK; i++) {
		struct state rs, re;
		int64_t made_s;
		if (state_at(reports->r[i], h, a->p->end, &re, &made) != 0) {
			ret = oom(a->err);
			break;
		}
		if (re.rec == NULL)
			continue;
		if (state_at(reports->r[i], h, a->p->start - 1, &rs, &made_s) != 0) {
			state_free(&re);
			ret = oom(a->err);
			break;
		}
		if (count_report(a, row, rs.rec, re.rec, made) != 0)
			ret = oom(a->err);
		state_free(&rs);
		state_free(&re);
	}
out:
	state_free(&s);
	state_free(&e);
	return ret;
}

/* --- the walk --- */

/* Records of kind under cases, read in id order one ahead: the next one
 * is kept until its case comes. */
struct under {
	struct store_iter *it;
	struct store_record *next;
	int done;
};

static int under_open(struct store *st, enum store_kind kind, struct under *u,
		      struct xb_error *err)
{
	memset(u, 0, sizeof(*u));
	return store_iter_open(st, kind, STORE_BY_ID, STORE_ALL, NULL, &u->it, err);
}

static void under_close(struct under *u)
{
	store_record_free(&u->next);
	store_iter_close(&u->it);
}

/* Moves the records of case (an id then '/') into l, skipping any of
 * cases before it (their child is gone: not counted). */
static int under_take(struct under *u, const char *case_no, struct records *l,
		      struct xb_error *err)
{
	size_t n = strlen(case_no);
	for (;;) {
		if (u->next == NULL && !u->done) {
			int ret = store_iter_next(u->it, &u->next, NULL, err);
			if (ret < 0)
				return ret;
			u->done = ret == 0;
		}
		if (u->next == NULL)
			return XB_OK;
		int c = strncmp(u->next->id, case_no, n);
		if (c > 0 || (c == 0 && u->next->id[n] != '/' && u->next->id[n] > '/'))
			return XB_OK; /* a later case's */
		if (c == 0 && u->next->id[n] == '/') {
			if (records_add(l, u->next) != 0)
				return oom(err);
		} else {
			store_record_free(&u->next);
		}
		u->next = NULL;
	}
}

static int changed_since(const struct records *l, int64_t t)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->r[i]->changed_at >= t && l->r[i]->version > 1)
			return 1;
	return 0;
}

/* Walks the ledger once for every period of accs[0..n). */
static int walk(struct acc *accs, size_t n)
{
	struct store *st = accs[0].st;
	struct xb_error *err = accs[0].err;
	struct store_iter *it = NULL;
	struct under uv, ur, ua;
	struct records visits = { 0 }, reports = { 0 }, aids = { 0 };
	struct history h = { 0 };
	struct store_record *child = NULL;
	int64_t since = accs[0].p->start;
	for (size_t i = 1; i < n; i++)
		if (accs[i].p->start < since)
			since = accs[i].p->start;
	int ret = store_iter_open(st, STORE_CHILD, STORE_BY_ID, STORE_ALL, NULL, &it,
				  err);
	if (ret != XB_OK)
		return ret;
	if ((ret = under_open(st, STORE_VISIT, &uv, err)) != XB_OK) {
		store_iter_close(&it);
		return ret;
	}
	if ((ret = under_open(st, STORE_REPORT, &ur, err)) != XB_OK) {
		under_close(&uv);
		store_iter_close(&it);
		return ret;
	}
	if ((ret = under_open(st, STORE_AID, &ua, err)) != XB_OK) {
		under_close(&ur);
		under_close(&uv);
		store_iter_close(&it);
		return ret;
	}
	while ((ret = store_iter_next(it, &child, NULL, err)) == 1) {
		/* A village user's table counts their villages' children; the
		 * rest are read past (their visits and reports too). */
		int skip = accs[0].who != NULL && !ledger_who_sees(accs[0].who, child);
		ret = under_take(&uv, child->id, &visits, err);
		if (ret == XB_OK)
			ret = under_take(&ur, child->id, &reports, err);
		if (ret == XB_OK)
			ret = under_take(&ua, child->id, &aids, err);
		if (ret != XB_OK)
			break;
		if (skip) {
			store_record_free(&child);
			records_clear(&visits);
			records_clear(&reports);
			records_clear(&aids);
			continue;
		}
		int with_history = (child->version > 1 && child->changed_at >= since) ||
				   changed_since(&visits, since) ||
				   changed_since(&reports, since) ||
				   changed_since(&aids, since);
		if (with_history) {
			history_clear(&h);
			h.since = since;
			ret = store_history_raw(st, child->id, keep_entry, &h, err);
			if (ret == XB_OK && h.failed)
				ret = oom(err);
		}
		for (size_t i = 0; i < n && ret == XB_OK; i++)
			ret = count_case(&accs[i], child, &visits, &reports, &aids,
					 with_history ? &h : NULL);
		store_record_free(&child);
		records_clear(&visits);
		records_clear(&reports);
		records_clear(&aids);
		if (ret != XB_OK)
			break;
	}
	if (ret > 0)
		ret = XB_OK;
	history_clear(&h);
	free(h.e);
	free(visits.r);
	free(reports.r);
	free(aids.r);
	under_close(&uv);
	under_close(&ur);
	under_close(&ua);
	store_iter_close(&it);
	return ret;
}

/* --- the table --- */

void stats_table_free(struct stats_table **t)
{
	if (t == NULL || *t == NULL)
		return;
	free((*t)->rows);
	free((*t)->late_days);
	free(*t);
	*t = NULL;
}

/* At a county or a city, a closed period's rows from the tables its
 * townships or counties filed: each replaces the row counted from the
 * records (a city has none), keeping the records' row where none came. */
static int take_filed(struct acc *a, const char *office, const char *today)
{
	if (a->p->kind == STATS_DAYS || strcmp(a->p->to, today) >= 0)
		return XB_OK;
	size_t want = a->by == STATS_BY_COUNTY ? 6 : 9;
	struct store_iter *it;
	struct store_record *r;
	int ret = store_iter_open(a->st, STORE_TABLE, STORE_BY_ID, STORE_PREFIX, office,
				  &it, a->err);
	if (ret != XB_OK)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, a->err)) == 1) {
		const char *slash = strchr(r->id, '/');
		const char *period = store_record_get(r, FK_period);
		if (slash == NULL || (size_t)(slash - r->id) != want || period == NULL ||
		    strcmp(period, a->p->label) != 0) {
			store_record_free(&r);
			continue;
		}
		char key[13];
		snprintf(key, sizeof(key), "%.*s", (int)want, r->id);
		const char *name = store_record_get(r, FK_name);
		struct acc_row *row = row_of(a, key, name ? name : key);
		struct stats_row got;
		double *late = NULL;
		size_t nlate = 0;
		if (row == NULL)
			ret = oom(a->err);
		else
			ret = stats_figures_parse(store_record_get(r, FK_figures), &got,
						  &late, &nlate, a->err);
		if (ret == XB_OK) {
			memcpy(row->row.v, got.v, sizeof(got.v));
			free(row->delays);
			row->delays = late;
			row->nd = row->dcap = nlate;
			row->row.source = STATS_FROM_TABLE;
			if (name != NULL && *name)
				snprintf(row->row.name, sizeof(row->row.name), "%s", name);
		}
		store_record_free(&r);
		if (ret != XB_OK)
			break;
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* Whether by suits the ledger of office. */
static int by_allowed(const char *office, enum stats_by by, struct xb_error *err)
{
	size_t n = strlen(office);
	if (by == STATS_BY_TOWNSHIP && n == 9)
		return xb_fail(err, XB_EINVAL,
			       _("--by township is for a county's ledger; this "
				 "is township %s's (try --by village)."),
			       office);
	if (by == STATS_BY_COUNTY && n != 4)
		return xb_fail(err, XB_EINVAL,
			       _("--by county is for a city's ledger, which "
				 "reads the tables its counties send."));
	if ((by == STATS_BY_VILLAGE || by == STATS_BY_MEMBER) && n != 9)
		return xb_fail(err, XB_EINVAL,
			       _("A county's or a city's ledger counts by "
				 "township (--by township) or county (--by "
				 "county)."));
	return XB_OK;
}

/* The table acc counted, into a new *out. */
static int finish(struct acc *a, const char *office, struct stats_table **out)
{
	struct xb_error *err = a->err;
	int ret = XB_OK;
	struct stats_table *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return oom(err);
	size_t nd = 0;
	for (size_t i = 0; i < a->n; i++)
		nd += a->rows[i].nd;
	double *all = NULL;
	if (nd && (all = malloc(nd * sizeof(*all))) == NULL)
		ret = oom(err);
	if (ret == XB_OK && a->n && a->by != STATS_BY_NONE &&
	    (t->rows = calloc(a->n, sizeof(*t->rows))) == NULL)
		ret = oom(err);
	if (ret != XB_OK) {
		free(all);
		free(t);
		return ret;
	}
	t->period = *a->p;
	t->by = a->by;
	snprintf(t->office, sizeof(t->office), "%s", office);
	row_name(&(struct acc){ .st = a->st, .by = STATS_BY_TOWNSHIP }, office, office,
		 t->office_name, sizeof(t->office_name));
	xb_today(t->made, sizeof(t->made));
	memcpy(t->asof, a->asof, sizeof(t->asof));
	size_t k = 0;
	for (size_t i = 0; i < a->n; i++) {
		struct acc_row *r = &a->rows[i];
		for (int c = 0; c < STATS_NCOLS; c++)
			t->total.v[c] += r->row.v[c];
		if (r->nd) {
			memcpy(all + k, r->delays, r->nd * sizeof(*all));
			k += r->nd;
		}
		r->row.late_median_days = median(r->delays, r->nd);
		if (a->by != STATS_BY_NONE)
			t->rows[t->nrows++] = r->row;
	}
	t->late_days = all;
	t->nlate = nd;
	t->total.late_median_days = median(all, nd);
	*out = t;
	return XB_OK;
}

static void acc_free(struct acc *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->rows[i].delays);
	free(a->rows);
	a->rows = NULL;
	a->n = a->cap = 0;
}

static int compute_many(struct store *st, const struct stats_period *p,
			size_t n, enum stats_by by, const char *user, int key_cases,
			struct stats_table **out, struct xb_error *err)
{
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	if (n == 0)
		return XB_OK;
	char office[13];
	struct ledger_who who;
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, LEDGER_READ, NULL, err);
	if (ret == XB_OK)
		ret = ledger_office(st, office, err);
	if (ret == XB_OK)
		ret = by_allowed(office, by, err);
	if (ret == XB_OK && key_cases && strlen(office) == 4)
		ret = xb_fail(err, XB_EINVAL,
			      _("A city's ledger holds no children: its tables have "
				"no key cases to count apart."));
	if (ret != XB_OK)
		return ret;
	struct acc *accs = calloc(n, sizeof(*accs));
	if (accs == NULL)
		return oom(err);
	char today[11];
	xb_today(today, sizeof(today));
	for (size_t i = 0; i < n; i++) {
		struct acc *a = &accs[i];
		a->st = st;
		a->p = &p[i];
		a->by = by == STATS_BY_NONE && strlen(office) != 9 ?
				(strlen(office) == 6 ? STATS_BY_TOWNSHIP : STATS_BY_COUNTY) :
				by;
		a->err = err;
		a->who = who.scoped ? &who : NULL;
		a->key_cases = key_cases;
		memcpy(a->asof, today, sizeof(a->asof));
		if (strcmp(p[i].to, a->asof) < 0)
			memcpy(a->asof, p[i].to, sizeof(a->asof));
		/* the day before the period: its first moment less one second */
		made_day(p[i].start - 1, a->before);
	}
	/* a city holds no children: only what its counties filed */
	if (strlen(office) != 4)
		ret = walk(accs, n);
	for (size_t i = 0; i < n && ret == XB_OK; i++) {
		if (strlen(office) != 9 && !key_cases)
			ret = take_filed(&accs[i], office, today);
		/* a county's or city's total alone: its rows summed, not shown */
		enum stats_by counted = accs[i].by;
		accs[i].by = by;
		if (ret == XB_OK)
			ret = finish(&accs[i], office, &out[i]);
		if (ret == XB_OK)
			out[i]->key_cases = key_cases;
		accs[i].by = counted;
	}
	for (size_t i = 0; i < n; i++) {
		acc_free(&accs[i]);
		if (ret != XB_OK)
			stats_table_free(&out[i]);
	}
	free(accs);
	return ret;
}

int stats_compute_many(struct store *st, const struct stats_period *p,
		       size_t n, enum stats_by by, const char *user,
		       struct stats_table **out, struct xb_error *err)
{
	return compute_many(st, p, n, by, user, 0, out, err);
}

int stats_compute(struct store *st, const struct stats_period *p,
		  enum stats_by by, const char *user, struct stats_table **out,
		  struct xb_error *err)
{
	return compute_many(st, p, 1, by, user, 0, out, err);
}

int stats_compute_key_cases(struct store *st, const struct stats_period *p,
			    enum stats_by by, const char *user,
			    struct stats_table **out, struct xb_error *err)
{
	return compute_many(st, p, 1, by, user, 1, out, err);
}
