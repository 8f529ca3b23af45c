/* members.c - the responsible members (包保责任制) and the visit rules
 * (日常联系): a child's member is a user of the ledger, named by their
 * user name or full name; the next visit falls due an interval after a
 * visit or the registration, shorter for a child no one supervises or
 * with a report open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

/* --- who a member is --- */

static int is_disabled(const struct store_record *u)
{
	const char *off = store_record_get(u, FK_disabled);
	return off != NULL && strcmp(off, "yes") == 0;
}

/* The one user whose full name is name, into *out; XB_ENOTFOUND (err
 * untouched) when none, XB_EEXIST when several (*out NULL). Under txn,
 * which may hold the users' page already (who acts was read in it). */
static int by_full_name(struct store *st, struct store_txn *txn, const char *name,
			struct store_record **out, struct xb_error *err)
{
	char **ids;
	size_t n, found = 0;
	*out = NULL;
	int ret = store_find_ids(st, txn, STORE_USER, STORE_BY_ID, "", &ids, &n, err);
	for (size_t i = 0; ret == XB_OK && i < n; i++) {
		struct store_record *u = NULL;
		ret = store_get(st, txn, STORE_USER, ids[i], &u, err);
		if (ret == XB_ENOTFOUND) { /* gone since the ids were read */
			xb_error_clear(err);
			ret = XB_OK;
			continue;
		}
		const char *d = u ? store_record_get(u, FK_display_name) : NULL;
		if (ret == XB_OK && d != NULL && strcmp(d, name) == 0 && found++ == 0) {
			*out = u;
			continue;
		}
		store_record_free(&u);
	}
	store_ids_free(ids, n);
	if (ret != XB_OK || found > 1)
		store_record_free(out);
	if (ret != XB_OK)
		return ret;
	return found > 1 ? XB_EEXIST : found ? XB_OK : XB_ENOTFOUND;
}

int ledger_member_find(struct store *st, struct store_txn *txn, const char *name,
		       struct store_record **user, struct xb_error *err)
{
	*user = NULL;
	if (name == NULL || *name == '\0')
		return xb_fail(err, XB_ENOTFOUND, _("No responsible member is named."));
	int ret = store_get(st, txn, STORE_USER, name, user, err);
	if (ret != XB_ENOTFOUND)
		return ret;
	xb_error_clear(err);
	ret = by_full_name(st, txn, name, user, err);
	if (ret == XB_EEXIST)
		return xb_fail_field(err, XB_EINVAL, FK_member_name,
				     _("Several users are called %s: name the "
				       "responsible member by their user name "
				       "(`xiangban user list`)."),
				     name);
	if (ret == XB_ENOTFOUND)
		return xb_fail_field(err, XB_ENOTFOUND, FK_member_name,
				     _("%s is not a user of this ledger, and the "
				       "responsible member must be one (by user "
				       "name or full name). A leader adds them: "
				       "`xiangban user add NAME role=village "
				       "villages=CODE display_name=FULL-NAME "
				       "phone=PHONE` (or role=clerk), then the child "
				       "can name them."),
				     name);
	return ret;
}

int ledger_member_names(struct store *st, const char *text,
			struct ledger_member *m, struct xb_error *err)
{
	struct store_record *u = NULL;
	struct xb_error e;
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", text ? text : "");
	int ret = ledger_member_find(st, NULL, text, &u, &e);
	if (ret == XB_ENOTFOUND || ret == XB_EINVAL)
		return XB_OK; /* no user: the name as written */
	if (ret != XB_OK) {
		if (err != NULL)
			*err = e;
		return ret;
	}
	const char *d = store_record_get(u, FK_display_name);
	snprintf(m->name, sizeof(m->name), "%s", u->id);
	snprintf(m->display, sizeof(m->display), "%s", d ? d : "");
	m->user = 1;
	store_record_free(&u);
	return XB_OK;
}

int ledger_member_matches(const struct ledger_member *m,
			  const struct store_record *child)
{
	const char *v = store_record_get(child, FK_member_name);
	return v != NULL && (strcmp(v, m->name) == 0 ||
			     (m->display[0] != '\0' && strcmp(v, m->display) == 0));
}

/* Whether u may be the member of child c: a member's role, enabled, and
 * a village member's villages holding the child's. XB_OK or XB_EINVAL. */
static int member_fits(const struct store_record *u, const struct store_record *c,
		       const char *name, struct xb_error *err)
{
	const char *role = store_record_get(u, FK_role);
	const struct form_field *rf = form_field_find(STORE_USER, FK_role);
	if (role == NULL || (strcmp(role, "village") != 0 && strcmp(role, "clerk") != 0 &&
			     strcmp(role, "township") != 0 && strcmp(role, "leader") != 0))
		return xb_fail_field(err, XB_EINVAL, FK_member_name,
				     _("%s (%s) cannot be a responsible member: "
				       "that is a village member, a clerk or a "
				       "leader of this office."),
				     name, role ? form_choice_label(rf, role) : "-");
	if (is_disabled(u))
		return xb_fail_field(err, XB_EINVAL, FK_member_name,
				     _("The account %s is disabled: choose "
				       "another responsible member, or have a "
				       "leader enable it."),
				     u->id);
	if (strcmp(role, "village") != 0)
		return XB_OK;
	const char *village = store_record_get(c, FK_village_code);
	const char *mine = store_record_get(u, FK_villages);
	for (const char *p = mine; village != NULL && p != NULL && *p;) {
		size_t n = strcspn(p, ",");
		if (n == strlen(village) && strncmp(p, village, n) == 0)
			return XB_OK;
		p += n + (p[n] == ',');
	}
	return xb_fail_field(err, XB_EINVAL, FK_member_name,
			     _("%s is a village member of %s only, and this "
			       "child lives in village %s: choose a member of "
			       "that village, or have a leader add it to "
			       "theirs (`xiangban user edit %s villages=...`)."),
			     name, mine ? mine : "-", village ? village : "-",
			     u->id);
}

int form_member_check(struct store *st, struct store_txn *txn,
		      const struct store_record *c, const struct store_record *old,
		      struct xb_error *note, struct xb_error *err)
{
	const char *m = store_record_get(c, FK_member_name);
	const char *was = old ? store_record_get(old, FK_member_name) : NULL;
	const char *v = store_record_get(c, FK_village_code);
	const char *wv = old ? store_record_get(old, FK_village_code) : NULL;
	/* What was checked once stays: old data, a user disabled since. */
	if (m == NULL || (was != NULL && strcmp(m, was) == 0 && v != NULL &&
			  wv != NULL && strcmp(v, wv) == 0))
		return XB_OK;
	struct store_record *u = NULL;
	struct xb_error e;
	xb_error_clear(&e);
	int ret = ledger_member_find(st, txn, m, &u, &e);
	if (ret == XB_OK)
		ret = member_fits(u, c, m, &e);
	store_record_free(&u);
	if (ret != XB_EINVAL && ret != XB_ENOTFOUND) {
		if (ret != XB_OK && err != NULL)
			*err = e;
		return ret;
	}
	if (note == NULL) { /* a value refused, whatever the lookup said */
		e.code = XB_EINVAL;
		if (err != NULL)
			*err = e;
		return XB_EINVAL;
	}
	/* From a spreadsheet: the row comes in with the name as written. */
	xb_fail_field(note, XB_EINVAL, FK_member_name, _("kept as written: %s"), e.msg);
	return XB_OK;
}

int ledger_member_phone_fill(struct store *st, struct store_record *child,
			     struct xb_error *err)
{
	const char *m = store_record_get(child, FK_member_name);
	if (m == NULL || store_record_get(child, FK_member_phone) != NULL)
		return XB_OK;
	struct store_record *u = NULL;
	struct xb_error ignored;
	if (ledger_member_find(st, NULL, m, &u, &ignored) != XB_OK)
		return XB_OK; /* no user: no phone to fill */
	const char *phone = store_record_get(u, FK_phone);
	int ret = phone && store_record_set(child, FK_member_phone, phone) != XB_OK
			  ? xb_fail(err, XB_EFAIL, _("Out of memory."))
			  : XB_OK;
	store_record_free(&u);
	return ret;
}

/* --- the visit rules --- */

/* Whether the child case_no has a report still open, under txn. */
static int report_open(struct store *st, struct store_txn *txn,
		       const char *case_no, int *open, struct xb_error *err)
{
	char prefix[64], **ids;
	size_t n;
	*open = 0;
	snprintf(prefix, sizeof(prefix), "%s/R", case_no);
	int ret = store_find_ids(st, txn, STORE_REPORT, STORE_BY_ID, prefix, &ids, &n,
				 err);
	for (size_t i = 0; ret == XB_OK && i < n && !*open; i++) {
		struct store_record *r = NULL;
		ret = store_get(st, txn, STORE_REPORT, ids[i], &r, err);
		if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			ret = XB_OK;
			continue;
		}
		const char *status = ret == XB_OK ? store_record_get(r, FK_status) : NULL;
		*open = ret == XB_OK && (status == NULL || strcmp(status, "closed") != 0);
		store_record_free(&r);
	}
	store_ids_free(ids, n);
	return ret;
}

int form_visit_interval(struct store *st, struct store_txn *txn,
			const struct store_record *c, long *days,
			struct xb_error *err)
{
	char today[11];
	int open = 0, ret = XB_OK;
	xb_today(today, sizeof(today));
	int close = (form_child_flags(c, today) & FORM_FLAG_UNSUPERVISED) != 0;
	if (!close && c->id != NULL)
		ret = report_open(st, txn, c->id, &open, err);
	if (ret == XB_OK)
		ret = form_setting_number_in(st, txn,
					     close || open ? "visit_interval_close_days"
							   : "visit_interval_days",
					     days, err);
	if (ret == XB_OK && *days < 1)
		*days = close || open ? 30 : 90;
	return ret;
}

int form_due_after(struct store *st, struct store_txn *txn,
		   const struct store_record *c, const char *from, char due[11],
		   struct xb_error *err)
{
	long days;
	int ret = form_visit_interval(st, txn, c, &days, err);
	if (ret == XB_OK && form_date_add(from, days, due) != 0)
		ret = xb_fail(err, XB_EINVAL, _("Cannot count %ld days from %s."), days,
			      from ? from : "");
	return ret;
}

/* --- a member's children --- */

struct member_walk {
	const struct ledger_member *m;
	const struct ledger_who *who;
	ledger_child_fn fn;
	void *arg;
};

static int walk_one(const struct store_record *c, void *arg)
{
	struct member_walk *w = arg;
	const char *status = store_record_get(c, FK_status);
	if ((status != NULL && strcmp(status, "exited") == 0) ||
	    !ledger_member_matches(w->m, c) || !ledger_who_sees(w->who, c))
		return 0;
	return w->fn(c, w->arg);
}

/* Calls walk_one with each child of an index's key (all: every child). */
static int walk_index(struct store *st, enum store_index ix, const char *key,
		      struct member_walk *w, struct xb_error *err)
{
	struct store_iter *it;
	struct store_record *r;
	int ret = store_iter_open(st, STORE_CHILD, ix, key ? STORE_EXACT : STORE_ALL,
				  key, &it, err);
	if (ret)
		return ret;
	int stop = 0;
	while (!stop && (ret = store_iter_next(it, &r, NULL, err)) == 1) {
		stop = walk_one(r, w);
		store_record_free(&r);
	}
	store_iter_close(&it);
	return ret < 0 ? ret : stop;
}

int ledger_member_children(struct store *st, const char *user, const char *member,
			   ledger_child_fn fn, void *arg, struct xb_error *err)
{
	struct ledger_who who, mw;
	struct ledger_member m;
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, LEDGER_READ, NULL, err);
	if (ret == XB_OK)
		ret = ledger_member_names(st, member, &m, err);
	if (ret)
		return ret;
	struct member_walk w = { &m, &who, fn, arg };
	/* A village member's children live in their villages. */
	struct xb_error ignored;
	if (m.user && ledger_who_get(st, NULL, m.name, &mw, &ignored) == XB_OK &&
	    mw.scoped) {
		for (size_t i = 0; i < mw.nvillages && ret == XB_OK; i++)
			ret = walk_index(st, STORE_BY_VILLAGE, mw.villages[i], &w, err);
	} else {
		ret = walk_index(st, STORE_BY_ID, NULL, &w, err);
	}
	return ret < 0 ? ret : XB_OK;
}

/* --- next visits due for a ledger from before the rules --- */

/* The day the child was registered: its `registered` field where the
 * schema has one (set at registration), else the day of the first entry
 * of its history, else the day it was last changed. */
static int first_entry(const struct store_audit *a, void *arg)
{
	int64_t *at = arg;
	*at = a->at;
	return 1;
}

static void registered_on(struct store *st, const struct store_record *c,
			  char day[11])
{
	/* By its key, not FK_registered: the field comes with the approvals
	 * work, and this reads it once the schema has it. */
	const char *reg = form_field_find(STORE_CHILD, "registered") != NULL
				  ? store_record_get(c, "registered")
				  : NULL;
	if (reg != NULL && form_parse_date(reg, NULL, NULL, NULL) == 0) {
		snprintf(day, 11, "%s", reg);
		return;
	}
	int64_t at = c->changed_at;
	struct xb_error ignored;
	store_history_raw(st, c->id, first_entry, &at, &ignored);
	char buf[32];
	xb_format_time(at, buf, sizeof(buf));
	snprintf(day, 11, "%.10s", buf);
}

struct due_fill {
	const char *user;
	char **ids;   /* the children without a next visit due */
	char (*from)[11]; /* and the day each was registered or last seen */
	size_t n, done;
};

/* Gives the children ids[done ..] (a batch) their next visit due, each
 * checked again under txn: active, still without one. */
static int due_batch(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	struct due_fill *f = arg;
	int ret = ledger_access(st, txn, f->user, LEDGER_CASEWORK, NULL, err);
	for (size_t i = f->done; ret == XB_OK && i < f->n && i < f->done + 100; i++) {
		struct store_record *c = NULL;
		char due[11];
		ret = store_get(st, txn, STORE_CHILD, f->ids[i], &c, err);
		if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			ret = XB_OK;
			continue;
		}
		const char *status = ret == XB_OK ? store_record_get(c, FK_status) : NULL;
		if (ret == XB_OK && store_record_get(c, FK_next_visit_due) == NULL &&
		    !(status != NULL && strcmp(status, "exited") == 0)) {
			const char *last = store_record_get(c, FK_last_visit);
			ret = form_due_after(st, txn, c, last ? last : f->from[i], due, err);
			if (ret == XB_OK)
				ret = store_record_set(c, FK_next_visit_due, due) == XB_OK
					      ? store_update(st, txn, c, f->user, "due", err)
					      : xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		store_record_free(&c);
	}
	return ret;
}

/* Keeps child c, which has no next visit due, in f; -1 out of memory. */
static int due_keep(struct store *st, struct due_fill *f, size_t *cap,
		    const struct store_record *c)
{
	if (f->n == *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		char **p = realloc(f->ids, n * sizeof(*p));
		if (p != NULL)
			f->ids = p;
		char (*q)[11] = p ? realloc(f->from, n * sizeof(*q)) : NULL;
		if (q == NULL)
			return -1;
		f->from = q;
		*cap = n;
	}
	if ((f->ids[f->n] = strdup(c->id)) == NULL)
		return -1;
	const char *last = store_record_get(c, FK_last_visit);
	if (last != NULL)
		snprintf(f->from[f->n], 11, "%s", last);
	else
		registered_on(st, c, f->from[f->n]);
	f->n++;
	return 0;
}

int ledger_due_fill(struct store *st, const char *user, int count_only,
		    uint64_t *n, struct xb_error *err)
{
	struct due_fill f = { user, NULL, NULL, 0, 0 };
	struct store_iter *it;
	struct store_record *c;
	size_t cap = 0;
	*n = 0;
	char office[13];
	int ret = ledger_access(st, NULL, user, count_only ? LEDGER_READ : LEDGER_CASEWORK,
				NULL, err);
	if (ret == XB_OK)
		ret = ledger_office(st, office, err);
	if (ret == XB_OK && strlen(office) != 9)
		return XB_OK; /* a county's children are its townships' to keep */
	if (ret == XB_OK)
		ret = store_iter_open(st, STORE_CHILD, STORE_BY_STATUS, STORE_EXACT, "active",
				      &it, err);
	if (ret)
		return ret;
	/* The days are found before any transaction: the history is read
	 * outside them. */
	uint64_t counted = 0;
	while ((ret = store_iter_next(it, &c, NULL, err)) == 1) {
		int want = store_record_get(c, FK_next_visit_due) == NULL;
		counted += (uint64_t)want;
		int bad = want && !count_only && due_keep(st, &f, &cap, c) != 0;
		store_record_free(&c);
		if (bad) {
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			break;
		}
	}
	store_iter_close(&it);
	ret = ret < 0 ? ret : XB_OK;
	for (; ret == XB_OK && f.done < f.n; f.done += 100)
		ret = store_run(st, due_batch, &f, err);
	if (ret == XB_OK)
		*n = counted;
	store_ids_free(f.ids, f.n);
	free(f.from);
	return ret;
}
