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
