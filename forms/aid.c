/* aid.c - a child's assistance as dated entries (救助记录): the policy's
 * minimum living allowance, extreme-poverty support, temporary aid, the
 * orphans' allowance, disability allowances, each with the day it began
 * and, once it stops, the day it ended. An entry lives under its child
 * (CASE/Hnn) as visits do, and travels with the child's file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

struct aid_arg {
	struct store_record *rec;
	const char *user;
};

/* The child is this office's: a county holds its townships' files but
 * their assistance is entered where the child is registered. */
static int child_here(struct store *st, struct store_txn *txn,
		      const struct store_record *child, struct xb_error *err)
{
	char office[13];
	int ret = form_office_in(st, txn, office, err);
	if (ret == XB_OK && (child->origin == NULL || strcmp(child->origin, office) != 0))
		ret = xb_fail(err, XB_EPERM,
			      _("%s is registered by office %s; its assistance is "
				"entered there."),
			      child->id, child->origin ? child->origin : "?");
	return ret;
}

/* Checks an entry against its child: allowed for user, a start not
 * before the child was born, in this office's ledger. */
static int aid_checked(struct store *st, struct store_txn *txn,
		       struct store_record *aid, const struct store_record *child,
		       const char *user, struct xb_error *err)
{
	char today[11];
	xb_today(today, sizeof(today));
	int ret = ledger_access(st, txn, user, LEDGER_CASEWORK,
				store_record_get(child, FK_village_code), err);
	if (ret == XB_OK)
		ret = child_here(st, txn, child, err);
	if (ret == XB_OK)
		ret = form_check_record(aid, today, err);
	if (ret == XB_OK)
		ret = ledger_not_before(aid, FK_start_date, child, FK_birth_date, err);
	return ret;
}

static int aid_add_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct aid_arg *a = arg;
	struct store_record *aid = a->rec, *child = NULL;
	/* A rerun after a deadlock numbers it afresh. */
	store_record_set_id(aid, NULL);
	int ret = ledger_active_child(st, txn, aid, &child, err);
	if (ret == XB_OK)
		ret = aid_checked(st, txn, aid, child, a->user, err);
	if (ret == XB_OK)
		ret = ledger_number_under(st, txn, aid, child->id, 'H', 2, err);
	if (ret == XB_OK && (ret = store_record_set_origin(aid, child->origin)) == XB_OK) {
		aid->version = 0;
		ret = store_insert(st, txn, aid, a->user, err);
	}
	store_record_free(&child);
	return ret;
}

int ledger_aid_add(struct store *st, struct store_txn *txn,
		   struct store_record *aid, const char *user,
		   struct xb_error *err)
{
	if (aid == NULL || aid->kind != STORE_AID)
		return xb_fail(err, XB_EINVAL, _("The record is not an entry of assistance."));
	struct aid_arg a = { aid, user };
	return txn ? aid_add_fn(st, txn, &a, err) : store_run(st, aid_add_fn, &a, err);
}

static int aid_edit_fn(struct store *st, struct store_txn *txn, void *arg,
		       struct xb_error *err)
{
	struct aid_arg *a = arg;
	struct store_record *aid = a->rec, *old = NULL, *child = NULL;
	int ret = store_get(st, txn, STORE_AID, aid->id, &old, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return xb_fail(err, XB_ENOTFOUND, _("There is no entry of assistance %s."),
			       aid->id);
	}
	if (ret != XB_OK)
		return ret;
	const char *was = store_record_get(old, FK_case_no);
	const char *now = store_record_get(aid, FK_case_no);
	if (now != NULL && was != NULL && strcmp(now, was) != 0)
		ret = xb_fail_field(err, XB_EINVAL, FK_case_no,
				    _("%s stays in the file of %s; enter the "
				      "assistance of another child in that "
				      "child's file."),
				    aid->id, was);
	else if ((ret = store_record_set(aid, FK_case_no, was)) == XB_OK)
		ret = store_get(st, txn, STORE_CHILD, was, &child, err);
	if (ret == XB_OK)
		ret = aid_checked(st, txn, aid, child, a->user, err);
	if (ret == XB_OK && (ret = store_record_set_origin(aid, old->origin)) == XB_OK)
		ret = store_update(st, txn, aid, a->user, "update", err);
	store_record_free(&child);
	store_record_free(&old);
	return ret;
}

int ledger_aid_edit(struct store *st, struct store_record *aid,
		    const char *user, struct xb_error *err)
{
	if (aid == NULL || aid->kind != STORE_AID || aid->id == NULL)
		return xb_fail(err, XB_EINVAL, _("Say which entry of assistance: its id "
						 "is required."));
	struct aid_arg a = { aid, user };
	return store_run(st, aid_edit_fn, &a, err);
}

int ledger_aid_list(struct store *st, const char *user, const char *case_no,
		    struct store_record ***out, size_t *n, struct xb_error *err)
{
	struct store_record *child = NULL;
	char prefix[96];
	*out = NULL;
	*n = 0;
	int ret = ledger_child_read(st, user, case_no, &child, err);
	store_record_free(&child);
	if (ret != XB_OK)
		return ret;
	snprintf(prefix, sizeof(prefix), "%s/H", case_no);
	return store_get_under(st, NULL, STORE_AID, prefix, out, n, err);
}

int ledger_aid_current(const struct store_record *aid, const char *day)
{
	const char *from = store_record_get(aid, FK_start_date);
	const char *until = store_record_get(aid, FK_end_date);
	if (from == NULL || day == NULL || strncmp(from, day, 10) > 0)
		return 0;
	return until == NULL || strncmp(until, day, 10) >= 0;
}
