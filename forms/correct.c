/* correct.c - corrections: a visit or a report's step saved with a
 * mistake, a report's police station and receipt number that came after
 * filing. The record is changed in place, checked as when it was saved,
 * against the version the clerk read, and audited as "correct" with the
 * values before; what the record fed (a child's last visit, a report's
 * stage) follows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

struct correct_arg {
	struct store_record *rec;
	const char *user;
};

/* A record is corrected by the office whose record it is: a township's
 * visits and reports, held at the county, are corrected at the township
 * and come back in its next bundle. */
static int ours(struct store *st, struct store_txn *txn,
		const struct store_record *rec, struct xb_error *err)
{
	char office[13];
	int ret = form_office_in(st, txn, office, err);
	if (ret == XB_OK && (rec->origin == NULL || strcmp(rec->origin, office) != 0))
		ret = xb_fail(err, XB_EPERM,
			      _("%s is office %s's record; it is corrected "
				"there."),
			      rec->id, rec->origin ? rec->origin : "?");
	return ret;
}

/* Reads the stored record rec corrects into *old, and keeps in rec what
 * a correction does not move: the reference to its parent (key; refused
 * when rec names another) and its origin. */
static int stored(struct store *st, struct store_txn *txn,
		  struct store_record *rec, const char *key,
		  struct store_record **old, struct xb_error *err)
{
	int ret = store_get(st, txn, rec->kind, rec->id, old, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return xb_fail(err, XB_ENOTFOUND, _("There is no record %s."), rec->id);
	}
	if (ret != XB_OK)
		return ret;
	const char *was = store_record_get(*old, key);
	const char *now = store_record_get(rec, key);
	if (now != NULL && was != NULL && strcmp(now, was) != 0)
		return xb_fail_field(err, XB_EINVAL, key,
				     _("%s stays where it was saved (%s); a "
				       "correction does not move it."),
				     rec->id, was);
	if (store_record_set(rec, key, was) != XB_OK ||
	    store_record_set_origin(rec, (*old)->origin) != XB_OK)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return ours(st, txn, *old, err);
}

/* --- a visit --- */

/* Casework, or the user who logged the visit, in a village they may log
 * visits in. */
static int may_correct_visit(struct store *st, struct store_txn *txn,
			     const char *user, const struct store_record *old,
			     const char *village, struct xb_error *err)
{
	struct ledger_who who;
	struct xb_error no;
	int ret = ledger_who_get(st, txn, user, &who, err);
	if (ret != XB_OK || ledger_may(&who, LEDGER_CASEWORK, village, &no) == XB_OK)
		return ret;
	if ((ret = ledger_may(&who, LEDGER_VISIT, village, err)) != XB_OK)
		return ret;
	if (old->changed_by != NULL && strcmp(old->changed_by, user) == 0)
		return XB_OK;
	return xb_fail(err, XB_EPERM,
		       _("Visit %s was saved by %s: you may correct the visits you "
			 "logged; a clerk corrects the others."),
		       old->id, old->changed_by ? old->changed_by : "?");
}

/* The later of two visits: by date, then by number. */
static int later(const struct store_record *a, const struct store_record *b)
{
	const char *da = store_record_get(a, FK_date), *db = store_record_get(b, FK_date);
	int c = strcmp(da ? da : "", db ? db : "");
	return c > 0 || (c == 0 && strcmp(a->id, b->id) > 0);
}

/* When the corrected visit v is, or was (old), the child's latest, the
 * child's last visit and next visit due follow the latest visit now. */
static int child_follows(struct store *st, struct store_txn *txn,
			 const struct store_record *v, const struct store_record *old,
			 struct store_record *child, const char *user,
			 struct xb_error *err)
{
	char prefix[96];
	struct store_record **all;
	size_t n;
	snprintf(prefix, sizeof(prefix), "%s/V", child->id);
	int ret = store_get_under(st, txn, STORE_VISIT, prefix, &all, &n, err);
	if (ret != XB_OK)
		return ret;
	const struct store_record *latest = NULL, *other = NULL;
	for (size_t i = 0; i < n; i++) {
		if (latest == NULL || later(all[i], latest))
			latest = all[i];
		if (strcmp(all[i]->id, v->id) != 0 && (other == NULL || later(all[i], other)))
			other = all[i];
	}
	int was_latest = other == NULL || later(old, other);
	if (latest != NULL && (was_latest || strcmp(latest->id, v->id) == 0)) {
		store_record_set(child, FK_last_visit, store_record_get(latest, FK_date));
		const char *next = store_record_get(latest, FK_next_due);
		if (next != NULL)
			store_record_set(child, FK_next_visit_due, next);
		ret = store_update(st, txn, child, user, "correct", err);
	}
	store_records_free(all, n);
	return ret;
}

static int visit_correct_fn(struct store *st, struct store_txn *txn, void *arg,
			    struct xb_error *err)
{
	struct correct_arg *a = arg;
	struct store_record *v = a->rec, *old = NULL, *child = NULL;
	char today[11];
	xb_today(today, sizeof(today));
	int ret = stored(st, txn, v, FK_case_no, &old, err);
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_CHILD, store_record_get(old, FK_case_no),
				&child, err);
	if (ret == XB_OK)
		ret = may_correct_visit(st, txn, a->user, old,
					store_record_get(child, FK_village_code), err);
	if (ret == XB_OK)
		ret = form_check_record(v, today, err);
	if (ret == XB_OK)
		ret = ledger_not_before(v, FK_date, child, FK_birth_date, err);
	if (ret == XB_OK)
		ret = store_update(st, txn, v, a->user, "correct", err);
	if (ret == XB_OK)
		ret = child_follows(st, txn, v, old, child, a->user, err);
	store_record_free(&child);
	store_record_free(&old);
	return ret;
}

int ledger_visit_correct(struct store *st, struct store_record *visit,
			 const char *user, struct xb_error *err)
{
	if (visit == NULL || visit->kind != STORE_VISIT || visit->id == NULL)
		return xb_fail(err, XB_EINVAL, _("Say which visit: its id is required."));
	struct correct_arg a = { visit, user };
	return store_run(st, visit_correct_fn, &a, err);
}

/* --- a step of a report --- */

/* What a step's kind may become: never found (a report starts so) nor
 * closed, and a closing step stays one (closing has its own path). */
static int kind_change_ok(const char *was, const char *now, const char *rid,
			  const struct store_record *report, struct xb_error *err)
{
	const struct form_field *f = form_field_find(STORE_STEP, FK_step);
	if (strcmp(was, now) == 0)
		return XB_OK;
	if (strcmp(now, "found") == 0 || strcmp(now, "closed") == 0)
		return xb_fail_field(err, XB_EINVAL, FK_step,
				     _("A step is not corrected into \"%s\": a "
				       "report starts as found, and is closed by "
				       "a step of its own."),
				     form_choice_label(f, now));
	if (strcmp(was, "closed") == 0)
		return xb_fail_field(err, XB_EINVAL, FK_step,
				     _("The step that closed report %s stays the "
				       "closing step; correct its date, who or "
				       "note."),
				     rid);
	const char *reported = store_record_get(report, FK_reported_at);
	if (strcmp(now, "reported") == 0 && reported != NULL)
		return xb_fail_field(err, XB_EINVAL, FK_step,
				     _("Report %s was already reported to the "
				       "police at %s."),
				     rid, reported);
	return XB_OK;
}

/* The report's reported_at and stage as its steps say after step s,
 * once of kind was, was corrected. */
static int report_follows(struct store *st, struct store_txn *txn,
			  const struct store_record *s, const char *was,
			  struct store_record *r, const char *user,
			  struct xb_error *err)
{
	const char *now = store_record_get(s, FK_step);
	/* reported_at is a "reported" step's date, when there is one: a
	 * report filed as reported takes no such step */
	if (strcmp(now, "reported") == 0)
		store_record_set(r, FK_reported_at, store_record_get(s, FK_date));
	else if (strcmp(was, "reported") == 0)
		store_record_set(r, FK_reported_at, NULL);
	char prefix[112];
	struct store_record **steps;
	size_t n;
	snprintf(prefix, sizeof(prefix), "%s/S", r->id);
	int ret = store_get_under(st, txn, STORE_STEP, prefix, &steps, &n, err);
	if (ret != XB_OK)
		return ret;
	const char *stage = store_record_get(r, FK_reported_at) ? "reported" : "found";
	for (size_t i = 0; i < n; i++) {
		const char *k = store_record_get(steps[i], FK_step);
		if (ledger_stage_rank(k) > ledger_stage_rank(stage))
			stage = k;
	}
	ret = store_record_set(r, FK_stage, stage);
	store_records_free(steps, n);
	if (ret != XB_OK)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return store_update(st, txn, r, user, "correct", err);
}

static int step_correct_fn(struct store *st, struct store_txn *txn, void *arg,
			   struct xb_error *err)
{
	struct correct_arg *a = arg;
	struct store_record *s = a->rec, *old = NULL, *r = NULL;
	char today[11], was[32] = "";
	xb_today(today, sizeof(today));
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK)
		ret = stored(st, txn, s, FK_report_id, &old, err);
	const char *rid = old ? store_record_get(old, FK_report_id) : NULL;
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_REPORT, rid, &r, err);
	if (ret == XB_OK)
		ret = form_check_record(s, today, err);
	if (ret == XB_OK) {
		snprintf(was, sizeof(was), "%s", store_record_get(old, FK_step));
		ret = kind_change_ok(was, store_record_get(s, FK_step), rid, r, err);
	}
	if (ret == XB_OK)
		ret = ledger_not_before(s, FK_date, r, FK_found_at, err);
	if (ret == XB_OK)
		ret = store_update(st, txn, s, a->user, "correct", err);
	if (ret == XB_OK)
		ret = report_follows(st, txn, s, was, r, a->user, err);
	store_record_free(&r);
	store_record_free(&old);
	return ret;
}

int ledger_step_correct(struct store *st, struct store_record *step,
			const char *user, struct xb_error *err)
{
	if (step == NULL || step->kind != STORE_STEP || step->id == NULL)
		return xb_fail(err, XB_EINVAL, _("Say which step: its id is required."));
	struct correct_arg a = { step, user };
	return store_run(st, step_correct_fn, &a, err);
}

/* --- a report's police fields --- */

/* The report's fields that may change after filing. */
static int editable(const char *key)
{
	return strcmp(key, FK_police_station) == 0 || strcmp(key, FK_receipt_no) == 0 ||
	       strcmp(key, FK_description) == 0;
}

/* Refuses a change to a field of r (from old) that is not editable. */
static int only_editable(const struct store_record *r, const struct store_record *old,
			 struct xb_error *err)
{
	struct store_change *ch = NULL;
	size_t n = 0;
	if (store_diff(old, r, &ch, &n) != XB_OK)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret = XB_OK;
	for (size_t i = 0; i < n && ret == XB_OK; i++) {
		if (editable(ch[i].key))
			continue;
		const struct form_field *f = form_field_find(STORE_REPORT, ch[i].key);
		ret = xb_fail_field(err, XB_EINVAL, ch[i].key,
				    _("%s of a filed report does not change; after "
				      "filing, the police station, the receipt "
				      "number and the description may be added or "
				      "corrected, and the rest follows from its "
				      "steps."),
				    f ? form_label(f) : ch[i].key);
	}
	store_changes_free(ch, n);
	return ret;
}

static int report_edit_fn(struct store *st, struct store_txn *txn, void *arg,
			  struct xb_error *err)
{
	struct correct_arg *a = arg;
	struct store_record *r = a->rec, *old = NULL;
	char today[11];
	xb_today(today, sizeof(today));
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK)
		ret = stored(st, txn, r, FK_case_no, &old, err);
	if (ret == XB_OK)
		ret = form_check_record(r, today, err);
	if (ret == XB_OK)
		ret = only_editable(r, old, err);
	if (ret == XB_OK)
		ret = store_update(st, txn, r, a->user, "correct", err);
	store_record_free(&old);
	return ret;
}

int ledger_report_edit(struct store *st, struct store_record *report,
		       const char *user, struct xb_error *err)
{
	if (report == NULL || report->kind != STORE_REPORT || report->id == NULL)
		return xb_fail(err, XB_EINVAL, _("Say which report: its id is required."));
	struct correct_arg a = { report, user };
	return store_run(st, report_edit_fn, &a, err);
}
