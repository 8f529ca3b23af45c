/* reading.c - what a user may see of the ledger: a child's file, the
 * search, the office's figures, each as the user's role allows (a
 * village user: the children of their villages only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/i18n.h"

int ledger_child_read(struct store *st, const char *user, const char *case_no,
		      struct store_record **out, struct xb_error *err)
{
	struct ledger_who who;
	*out = NULL;
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, LEDGER_READ, NULL, err);
	if (ret)
		return ret;
	ret = store_get(st, NULL, STORE_CHILD, case_no, out, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return xb_fail(err, XB_ENOTFOUND,
			       _("There is no child with case number %s."), case_no);
	}
	if (ret == XB_OK && !ledger_who_sees(&who, *out)) {
		ret = ledger_may(&who, LEDGER_READ,
				 store_record_get(*out, FK_village_code), err);
		store_record_free(out);
	}
	return ret;
}

int ledger_record_read(struct store *st, const char *user,
		       enum store_kind kind, const char *id,
		       struct store_record **out, struct xb_error *err)
{
	*out = NULL;
	if (kind == STORE_CHILD)
		return ledger_child_read(st, user, id, out, err);
	struct ledger_who who;
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, LEDGER_READ, NULL, err);
	if (ret == XB_OK)
		ret = store_get(st, NULL, kind, id, out, err);
	if (ret || !who.scoped)
		return ret;
	/* Visits, reports and steps are read through their child. */
	char case_no[64];
	snprintf(case_no, sizeof(case_no), "%s", id);
	case_no[strcspn(case_no, "/")] = '\0';
	struct store_record *child = NULL;
	ret = ledger_child_read(st, user, case_no, &child, err);
	store_record_free(&child);
	if (ret)
		store_record_free(out);
	return ret;
}

struct seen_arg {
	const struct ledger_who *who;
	ledger_child_fn fn;
	void *arg;
	size_t left; /* 0: no limit */
};

static int seen_only(const struct store_record *child, void *arg)
{
	struct seen_arg *s = arg;
	if (!ledger_who_sees(s->who, child))
		return 0;
	int stop = s->fn(child, s->arg);
	return stop || (s->left && --s->left == 0);
}

int ledger_search_as(struct store *st, const char *user, const char *text,
		     size_t limit, ledger_child_fn fn, void *arg,
		     struct xb_error *err)
{
	struct ledger_who who;
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, LEDGER_READ, NULL, err);
	if (ret)
		return ret;
	if (!who.scoped)
		return ledger_search(st, text, limit, fn, arg, err);
	/* The limit counts what the user sees: the search itself runs on. */
	struct seen_arg s = { &who, fn, arg, limit };
	return ledger_search(st, text, 0, seen_only, &s, err);
}

/* A village user's figures: their villages' children and reports. */
static int summary_scoped(struct store *st, const struct ledger_who *who,
			  const char *today, struct ledger_summary *sum,
			  struct xb_error *err)
{
	int ret = XB_OK;
	memset(sum, 0, sizeof(*sum));
	for (size_t v = 0; v < who->nvillages && ret == XB_OK; v++) {
		struct store_iter *it;
		struct store_record *r;
		ret = store_iter_open(st, STORE_CHILD, STORE_BY_VILLAGE, STORE_EXACT,
				      who->villages[v], &it, err);
		if (ret)
			break;
		while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
			struct ledger_summary one;
			ret = ledger_summary_of_child(st, r, today, &one, err);
			store_record_free(&r);
			if (ret)
				break;
			ledger_summary_add(sum, &one);
		}
		store_iter_close(&it);
		ret = ret < 0 ? ret : XB_OK;
	}
	return ret;
}

int ledger_summarize_as(struct store *st, const char *user, const char *today,
			struct ledger_summary *sum, struct xb_error *err)
{
	struct ledger_who who;
	memset(sum, 0, sizeof(*sum));
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, LEDGER_READ, NULL, err);
	if (ret)
		return ret;
	return who.scoped ? summary_scoped(st, &who, today, sum, err)
			  : ledger_summarize(st, today, sum, err);
}

/* --- the lists a clerk prints --- */

/* A growing array of record copies. */
struct rec_list {
	struct store_record **r;
	size_t n, cap;
};

/* Keeps rec (taken over): XB_EFAIL out of memory, rec then freed. */
static int rec_keep(struct rec_list *l, struct store_record *rec, struct xb_error *err)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct store_record **p = realloc(l->r, cap * sizeof(*p));
		if (p == NULL) {
			store_record_free(&rec);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		l->r = p;
		l->cap = cap;
	}
	l->r[l->n++] = rec;
	return XB_OK;
}

/* The start of a list read: nothing handed out yet, who is user, and
 * may they read (village: that village's children only; NULL any). */
static int list_begin(struct store *st, const char *user, const char *village,
		      struct ledger_who *who, struct store_record ***out, size_t *n,
		      struct xb_error *err)
{
	*out = NULL;
	*n = 0;
	int ret = ledger_who_get(st, NULL, user, who, err);
	if (ret == XB_OK)
		ret = ledger_may(who, LEDGER_READ, village, err);
	return ret;
}

/* The end of a list read whose loop left ret (1: stopped early, as
 * good as done): the iterator closed, the list sorted by cmp (may be
 * NULL) and handed out, or freed on failure. */
static int rec_give(struct store_iter **it, struct rec_list *l, int ret,
		    int (*cmp)(const void *, const void *), struct store_record ***out,
		    size_t *n)
{
	store_iter_close(it);
	if (ret > 0)
		ret = XB_OK;
	if (ret != XB_OK) {
		store_records_free(l->r, l->n);
		return ret;
	}
	if (cmp != NULL && l->n > 1)
		qsort(l->r, l->n, sizeof(*l->r), cmp);
	*out = l->r;
	*n = l->n;
	return XB_OK;
}

/* By village code, then case number. */
static int by_village(const void *a, const void *b)
{
	const struct store_record *x = *(const struct store_record *const *)a;
	const struct store_record *y = *(const struct store_record *const *)b;
	const char *vx = store_record_get(x, FK_village_code);
	const char *vy = store_record_get(y, FK_village_code);
	int c = strcmp(vx ? vx : "", vy ? vy : "");
	return c ? c : strcmp(x->id, y->id);
}

int ledger_overdue_read(struct store *st, const char *user, const char *today,
			struct store_record ***out, size_t *n, struct xb_error *err)
{
	struct ledger_who who;
	struct rec_list l = { 0 };
	int ret = list_begin(st, user, NULL, &who, out, n, err);
	if (ret)
		return ret;
	/* Overdue is a next visit due before today: the due index, from its
	 * first date up to today. */
	struct store_iter *it = NULL;
	struct store_record *r;
	const char *k;
	ret = store_iter_open(st, STORE_CHILD, STORE_BY_DUE, STORE_ALL, NULL, &it, err);
	while (ret == XB_OK && (ret = store_iter_next(it, &r, &k, err)) == 1) {
		ret = XB_OK;
		if (k != NULL && strcmp(k, today) >= 0) {
			store_record_free(&r);
			break;
		}
		if (!(form_child_flags(r, today) & FORM_FLAG_VISIT_OVERDUE) ||
		    !ledger_who_sees(&who, r)) {
			store_record_free(&r);
			continue;
		}
		ret = rec_keep(&l, r, err);
	}
	return rec_give(&it, &l, ret, by_village, out, n);
}

/* Whether a report is closed. */
static int report_closed(const struct store_record *rec)
{
	const char *s = store_record_get(rec, FK_status);
	return s != NULL && strcmp(s, "closed") == 0;
}

/* Oldest found first; the id breaks ties. */
static int by_found(const void *a, const void *b)
{
	const struct store_record *x = *(const struct store_record *const *)a;
	const struct store_record *y = *(const struct store_record *const *)b;
	const char *fx = store_record_get(x, FK_found_at), *fy = store_record_get(y, FK_found_at);
	int c = strcmp(fx ? fx : "", fy ? fy : "");
	return c ? c : strcmp(x->id, y->id);
}

int ledger_reports_read(struct store *st, const char *user,
			const struct ledger_reports_filter *f,
			struct store_record ***out, size_t *n, struct xb_error *err)
{
	struct ledger_who who;
	struct rec_list l = { 0 };
	int ret = list_begin(st, user, NULL, &who, out, n, err);
	if (ret)
		return ret;
	struct store_iter *it = NULL;
	struct store_record *r;
	if (f->stage != NULL)
		ret = store_iter_open(st, STORE_REPORT, STORE_BY_STAGE, STORE_EXACT, f->stage,
				      &it, err);
	else
		ret = store_iter_open(st, STORE_REPORT, STORE_BY_ID, STORE_ALL, NULL, &it, err);
	while (ret == XB_OK && (ret = store_iter_next(it, &r, NULL, err)) == 1) {
		ret = XB_OK;
		int keep = (f->closed || !report_closed(r)) &&
			   (!f->unsent || store_record_get(r, FK_reported_at) == NULL);
		/* A village user: the reports of their villages' children. */
		if (keep && who.scoped) {
			const char *case_no = store_record_get(r, FK_case_no);
			struct store_record *c = NULL;
			struct xb_error ignored;
			keep = case_no != NULL &&
			       store_get(st, NULL, STORE_CHILD, case_no, &c, &ignored) == XB_OK &&
			       ledger_who_sees(&who, c);
			store_record_free(&c);
		}
		if (!keep) {
			store_record_free(&r);
			continue;
		}
		ret = rec_keep(&l, r, err);
	}
	return rec_give(&it, &l, ret, by_found, out, n);
}

int ledger_village_children(struct store *st, const char *user, const char *village,
			    struct store_record ***out, size_t *n, struct xb_error *err)
{
	struct ledger_who who;
	struct rec_list l = { 0 };
	/* A village user: their own villages only. */
	int ret = list_begin(st, user, village, &who, out, n, err);
	if (ret)
		return ret;
	struct store_iter *it = NULL;
	struct store_record *r;
	ret = store_iter_open(st, STORE_CHILD, STORE_BY_VILLAGE, STORE_EXACT, village, &it,
			      err);
	while (ret == XB_OK && (ret = store_iter_next(it, &r, NULL, err)) == 1) {
		ret = XB_OK;
		const char *status = store_record_get(r, FK_status);
		if (status != NULL && strcmp(status, "exited") == 0) {
			store_record_free(&r);
			continue;
		}
		ret = rec_keep(&l, r, err);
	}
	return rec_give(&it, &l, ret, NULL, out, n);
}
