/* transfer.c - a child's file sent to another township of the same county
 * when the family moves (kind transfer, id CASE/Mnn), and taken in there.
 * The sending township closes the file (moved_with_family, transferred_to)
 * in the transaction that writes the transfer; the county passes the
 * transfer on (exchange/); the receiving township makes the child a file
 * of its own numbering. The file's text is made and read by exchange/,
 * which owns records as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

/* Whether to names a township of the county whose code starts town. */
static int township_of_county(const char *to, const char *town)
{
	return to != NULL && strlen(to) == 9 && form_digits(to, 9) &&
	       strncmp(to, town, 6) == 0 && strcmp(to + 6, "000") != 0;
}

struct transfer_arg {
	const struct ledger_transfer *t;
	ledger_file_fn file;
	const char *user;
	const struct request_gate *gate; /* a leader's approval (requests.c) */
	char id[LEDGER_CASE_MAX];
	char *name; /* the child's name, 64 bytes, or NULL */
};

/* The transfer record of child c to the township asked, its file made. */
static int transfer_record(struct store *st, struct store_txn *txn,
			   struct transfer_arg *a, const struct store_record *c,
			   const char *town, struct store_record **out,
			   struct xb_error *err)
{
	char today[11], *text = NULL;
	const struct ledger_transfer *t = a->t;
	xb_today(today, sizeof(today));
	int ret = a->file(st, c, &text, err);
	if (ret != XB_OK)
		return ret;
	struct store_record *m = store_record_new(STORE_TRANSFER);
	if (m == NULL || store_record_set(m, FK_case_no, c->id) ||
	    store_record_set(m, FK_from, town) || store_record_set(m, FK_to, t->to) ||
	    store_record_set(m, FK_to_name, t->to_name) ||
	    store_record_set(m, FK_date, t->date && *t->date ? t->date : today) ||
	    store_record_set(m, FK_reason, t->reason) || store_record_set(m, FK_file, text) ||
	    store_record_set_origin(m, town))
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	free(text);
	if (ret == XB_OK)
		ret = form_check_record(m, today, err);
	const char *date = ret == XB_OK ? store_record_get(m, FK_date) : NULL;
	const char *birth = store_record_get(c, FK_birth_date);
	if (date != NULL && birth != NULL && strcmp(date, birth) < 0)
		ret = xb_fail_field(err, XB_EINVAL, FK_date,
				    _("The date of the transfer (%s) is before the "
				      "child was born (%s)."),
				    date, birth);
	if (ret == XB_OK)
		ret = ledger_number_under(st, txn, m, c->id, 'M', 2, err);
	if (ret != XB_OK)
		store_record_free(&m);
	*out = m;
	return ret;
}

static int transfer_fn(struct store *st, struct store_txn *txn, void *arg,
		       struct xb_error *err)
{
	struct transfer_arg *a = arg;
	const struct ledger_transfer *t = a->t;
	struct store_record *c = NULL, *m = NULL;
	char town[13], today[11];
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK)
		ret = ledger_township_in(st, txn, town, err);
	if (ret != XB_OK)
		return ret;
	if (t->to != NULL && strcmp(t->to, town) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("%s is this township: a child's file is "
				 "transferred to another township."),
			       town);
	if (!township_of_county(t->to, town))
		return xb_fail(err, XB_EINVAL,
			       _("%s is not a township of this county (%.6s): give "
				 "the 9-digit code of the township the family "
				 "moved to."),
			       t->to ? t->to : "", town);
	ret = store_get(st, txn, STORE_CHILD, t->case_no, &c, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_ENOTFOUND,
			       _("There is no child with case number %s."), t->case_no);
	if (ret != XB_OK)
		return ret;
	const char *status = store_record_get(c, FK_status);
	if (status != NULL && strcmp(status, "exited") == 0)
		ret = xb_fail(err, XB_EINVAL,
			      _("%s has already left the ledger; only a child in "
				"the ledger is transferred."),
			      c->id);
	if (ret == XB_OK) {
		xb_today(today, sizeof(today));
		store_record_set(c, FK_status, "exited");
		store_record_set(c, FK_exit_reason, "moved_with_family");
		store_record_set(c, FK_exit_date, t->date && *t->date ? t->date : today);
		store_record_set(c, FK_transferred_to, t->to);
		ret = form_check_record(c, today, err);
	}
	/* as every exit: not dated before the child was registered here,
	 * and a clerk's asked of a leader first */
	if (ret == XB_OK)
		ret = request_exit_checks(c, store_record_get(c, FK_registered), err);
	if (ret == XB_OK && a->name != NULL)
		snprintf(a->name, 64, "%s", store_record_get(c, FK_name));
	int act = 0;
	if (ret == XB_OK)
		ret = request_transfer_gate(st, txn, a->user, c, t, a->gate, &act, err);
	if (ret == XB_OK && act)
		ret = transfer_record(st, txn, a, c, town, &m, err);
	if (ret == XB_OK && act)
		ret = store_insert_as(st, txn, m, a->user, "transfer", err);
	if (ret == XB_OK && act)
		ret = store_update(st, txn, c, a->user, "transfer", err);
	if (ret == XB_OK && act)
		snprintf(a->id, sizeof(a->id), "%s", m->id);
	store_record_free(&m);
	store_record_free(&c);
	return ret;
}

int ledger_child_transfer(struct store *st, const struct ledger_transfer *t,
			  ledger_file_fn file, const char *user, char *id,
			  char *request, struct xb_error *err)
{
	struct request_gate g = { NULL, request, 0 };
	struct transfer_arg a = { t, file, user, &g, "", NULL };
	if (request != NULL)
		request[0] = '\0';
	if (t == NULL || t->case_no == NULL || file == NULL)
		return xb_fail(err, XB_EINVAL, _("Say which child is transferred."));
	int ret = store_run(st, transfer_fn, &a, err);
	if (ret == XB_OK && id != NULL)
		snprintf(id, LEDGER_CASE_MAX, "%s", a.id);
	return ret;
}

int ledger_child_transfer_check(struct store *st, const struct ledger_transfer *t,
				const char *user, char name[64], struct xb_error *err)
{
	struct request_gate g = { NULL, NULL, 1 };
	struct transfer_arg a = { t, NULL, user, &g, "", name };
	if (name != NULL)
		name[0] = '\0';
	if (t == NULL || t->case_no == NULL)
		return xb_fail(err, XB_EINVAL, _("Say which child is transferred."));
	return store_run(st, transfer_fn, &a, err);
}

int ledger_transfer_in(struct store *st, struct store_txn *txn,
		       const struct ledger_transfer *t, ledger_file_fn file,
		       const char *user, const struct request_gate *g,
		       struct xb_error *err)
{
	struct transfer_arg a = { t, file, user, g, "", NULL };
	return transfer_fn(st, txn, &a, err);
}

/* --- taken in --- */

/* The fields of a file that stay with the office that kept it: the
 * number, the status and its history, the slip. */
static int stays_behind(const char *key)
{
	static const char *const keys[] = {
		FK_case_no, FK_status, FK_exit_reason, FK_exit_date,
		FK_transferred_to, FK_readmit_date, FK_readmit_reason,
		FK_previous_case, FK_slip_version,
		/* a user of the township that sent it: the receiving
		 * township names its own */
		FK_member_name, FK_member_phone,
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

/* The child's village as sent, kept only when this township's register
 * has it; else none (the child is flagged as needing one). */
static int village_here(struct store *st, struct store_txn *txn,
			struct store_record *c, const char *town,
			struct xb_error *err)
{
	const char *v = store_record_get(c, FK_village_code);
	char code[13], name[64];
	if (v != NULL && strncmp(v, town, 9) == 0) {
		int ret = ledger_village_find(st, txn, v, code, name, err);
		if (ret == XB_OK)
			return XB_OK;
		if (ret != XB_ENOTFOUND)
			return ret;
		xb_error_clear(err);
	}
	if (store_record_set(c, FK_village_code, NULL) ||
	    store_record_set(c, FK_village, NULL) || store_record_set(c, FK_group, NULL))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}

/* The file of this township holding the child's ID number, or NULL. */
static int same_child(struct store *st, struct store_txn *txn,
		      const struct store_record *sent, struct store_record **out,
		      struct xb_error *err)
{
	const char *idn = store_record_get(sent, FK_id_number);
	char *id = NULL;
	*out = NULL;
	if (idn == NULL)
		return XB_OK;
	int ret = store_find(st, txn, STORE_CHILD, STORE_BY_IDNUM, idn, &id, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return XB_OK;
	}
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_CHILD, id, out, err);
	free(id);
	return ret;
}

/* The child's file that had left, back with the fields as sent (its own
 * village kept when the one sent is not of this township's register). */
static int arrive_back(struct store *st, struct store_txn *txn,
		       struct store_record *old, const struct store_record *sent,
		       const char *town, const char *user, struct xb_error *err)
{
	static const char *const place[] = { FK_village_code, FK_village, FK_group };
	char *was[3];
	size_t n;
	const struct form_field *f = form_fields(STORE_CHILD, &n);
	int ret = XB_OK;
	for (size_t i = 0; i < 3; i++)
		if ((was[i] = strdup(store_record_get(old, place[i]) ? store_record_get(old, place[i])
								      : "")) == NULL)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t i = 0; i < n && ret == XB_OK; i++)
		if (!stays_behind(f[i].key) && !(f[i].flags & FORM_SYSTEM) &&
		    store_record_set(old, f[i].key, store_record_get(sent, f[i].key)))
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (ret == XB_OK)
		ret = village_here(st, txn, old, town, err);
	int lost = store_record_get(old, FK_village_code) == NULL;
	for (size_t i = 0; i < 3 && ret == XB_OK && lost; i++)
		if (store_record_set(old, place[i], was[i]))
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t i = 0; i < 3; i++)
		free(was[i]);
	if (ret != XB_OK)
		return ret;
	store_record_set(old, FK_status, "active");
	store_record_set(old, FK_exit_reason, NULL);
	store_record_set(old, FK_exit_date, NULL);
	store_record_set(old, FK_transferred_to, NULL);
	store_record_set(old, FK_previous_case, store_record_get(sent, FK_case_no));
	ret = ledger_child_checked(st, txn, old, town, err);
	if (ret == XB_OK)
		ret = store_update(st, txn, old, user, "transfer_in", err);
	return ret;
}

int ledger_transfer_arrive(struct store *st, struct store_txn *txn,
			   const struct store_record *transfer,
			   struct store_record *child, const char *user,
			   char *case_no, enum ledger_arrival *how,
			   struct xb_error *err)
{
	char town[13];
	const char *from_case = store_record_get(transfer, FK_case_no);
	const char *to = store_record_get(transfer, FK_to);
	int ret = ledger_township_in(st, txn, town, err);
	if (ret != XB_OK)
		return ret;
	if (to == NULL || strcmp(to, town) != 0 || from_case == NULL ||
	    child->kind != STORE_CHILD || child->id == NULL ||
	    strcmp(child->id, from_case) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("Transfer %s is not addressed to this township, or "
				 "its file is not the child's."),
			       transfer->id ? transfer->id : "");
	/* As sent, but what stays behind; the sending case remembered. */
	struct store_record *c = store_record_new(STORE_CHILD), *old = NULL;
	for (size_t i = 0; c != NULL && i < child->nfields; i++)
		if (!stays_behind(child->fields[i].key) &&
		    store_record_set(c, child->fields[i].key, child->fields[i].value))
			store_record_free(&c);
	if (c == NULL || store_record_set(c, FK_previous_case, from_case))
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (ret == XB_OK)
		ret = same_child(st, txn, c, &old, err);
	const char *status = old ? store_record_get(old, FK_status) : NULL;
	if (ret == XB_OK && old != NULL && status != NULL && strcmp(status, "exited") == 0) {
		/* it lived here before: back into its own file */
		ret = arrive_back(st, txn, old, child, town, user, err);
		*how = LEDGER_ARRIVED_BACK;
	} else if (ret == XB_OK && old != NULL) {
		/* registered here already (twice over, by mistake): the
		 * clerk sees where it came from and keeps one file */
		store_record_set(old, FK_previous_case, from_case);
		ret = store_update(st, txn, old, user, "transfer_in", err);
		*how = LEDGER_ARRIVED_LINKED;
	} else if (ret == XB_OK) {
		ret = village_here(st, txn, c, town, err);
		if (ret == XB_OK)
			ret = ledger_child_register(st, txn, c, user, "transfer_in", err);
		*how = LEDGER_ARRIVED_NEW;
	}
	if (ret == XB_OK && case_no != NULL)
		snprintf(case_no, LEDGER_CASE_MAX, "%s", old ? old->id : c->id);
	if (ret != XB_OK && ret != XB_EDEADLOCK && ret != XB_EFAIL) {
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		xb_fail(err, ret, _("Transfer %s of case %s cannot be taken in: %s"),
			transfer->id ? transfer->id : "", from_case, msg);
	}
	store_record_free(&old);
	store_record_free(&c);
	return ret;
}

/* --- reading --- */

int ledger_transfer_last(struct store *st, const char *case_no, const char *to,
			 struct store_record **out, struct xb_error *err)
{
	char prefix[40];
	struct store_iter *it;
	struct store_record *r;
	*out = NULL;
	snprintf(prefix, sizeof(prefix), "%s/M", case_no ? case_no : "");
	int ret = store_iter_open(st, STORE_TRANSFER, STORE_BY_ID, STORE_PREFIX, prefix,
				  &it, err);
	if (ret != XB_OK)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		const char *dest = store_record_get(r, FK_to);
		if (to != NULL && (dest == NULL || strcmp(dest, to) != 0)) {
			store_record_free(&r);
			continue;
		}
		store_record_free(out);
		*out = r; /* ids sort by serial: the last is the latest */
	}
	store_iter_close(&it);
	if (ret < 0) {
		store_record_free(out);
		return ret;
	}
	return *out ? XB_OK : XB_ENOTFOUND;
}

void ledger_township_name(struct store *st, const char *code,
			  const struct store_record *transfer, char *buf,
			  size_t len)
{
	struct store_record *office = NULL;
	struct xb_error ignored;
	const char *name = NULL;
	if (code != NULL &&
	    store_get(st, NULL, STORE_OFFICE, code, &office, &ignored) == XB_OK)
		name = store_record_get(office, FK_name);
	if (name == NULL && transfer != NULL)
		name = store_record_get(transfer, FK_to_name);
	snprintf(buf, len, "%s", name ? name : "");
	store_record_free(&office);
}
