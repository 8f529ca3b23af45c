/* ledger.c - the operations on a ledger: each checks with the schema,
 * applies the policy's rules and writes in one transaction. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/digits.h"
#include "../common/i18n.h"

/* Runs fn in the caller's transaction, or in one of its own. */
static int in_txn(struct store *st, struct store_txn *txn, store_txn_fn fn,
		  void *arg, struct xb_error *err)
{
	return txn ? fn(st, txn, arg, err) : store_run(st, fn, arg, err);
}

int ledger_office(struct store *st, char code[13], struct xb_error *err)
{
	return form_office_in(st, NULL, code, err);
}

/* Township ledgers only: children are registered where they live. */
static int township_in(struct store *st, struct store_txn *txn,
		       char code[13], struct xb_error *err)
{
	int ret = form_office_in(st, txn, code, err);
	if (ret)
		return ret;
	if (strlen(code) != 9)
		return xb_fail(err, XB_EINVAL,
			       _("This is the county's ledger (%s); children "
				 "are registered by their township."),
			       code);
	return XB_OK;
}

/* A record another office made (a county holds its townships') is read
 * here, never changed: that office changes it and sends it again. */
static int own_record(struct store *st, struct store_txn *txn,
		      const struct store_record *rec, struct xb_error *err)
{
	char self[13];
	int ret = form_office_in(st, txn, self, err);
	if (ret == XB_OK && rec->origin != NULL && strcmp(rec->origin, self) != 0)
		ret = xb_fail(err, XB_EPERM,
			      _("%s belongs to office %s: only that office changes "
				"it, and this ledger holds what it sent."),
			      rec->id, rec->origin);
	return ret;
}

/* 1 when s is n digits and no more. */
static int all_digits(const char *s, size_t n)
{
	return strlen(s) == n && form_digits(s, n);
}

struct init_arg {
	const char *code, *name, *phone, *user, *password;
};

static int init_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct init_arg *a = arg;
	char *old = NULL;
	int ret = store_meta_get(st, txn, "office", &old, err);
	if (ret)
		return ret;
	if (old != NULL && strcmp(old, a->code) != 0) {
		xb_fail(err, XB_EINVAL,
			_("This ledger already belongs to office %s; use "
			  "another data directory for office %s."),
			old, a->code);
		free(old);
		return XB_EINVAL;
	}
	/* A new ledger starts with its counts: none yet, marked built,
	 * so its first summary needs no pass over it. */
	if (old == NULL && (ret = store_tallies_build(st, txn, err)) != XB_OK) {
		free(old);
		return ret;
	}
	/* Run again, it changes the office: for its leader. */
	if (old != NULL && (ret = ledger_access(st, txn, a->user, LEDGER_USERS,
						NULL, err)) != XB_OK) {
		free(old);
		return ret;
	}
	free(old);
	if ((ret = store_meta_set(st, txn, "office", a->code, err)))
		return ret;

	size_t len = strlen(a->code);
	const char *level = len == 9 ? "township" : len == 6 ? "county" : "city";
	struct store_record *office = NULL;
	ret = store_get(st, txn, STORE_OFFICE, a->code, &office, err);
	if (ret == XB_ENOTFOUND) {
		office = store_record_new(STORE_OFFICE);
		if (office == NULL || store_record_set_id(office, a->code))
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			ret = XB_OK;
	}
	if (ret)
		goto out;
	store_record_set(office, FK_code, a->code);
	store_record_set(office, FK_name, a->name);
	store_record_set(office, FK_level, level);
	if (a->phone != NULL) /* running init again without --phone keeps it */
		store_record_set(office, FK_phone, a->phone);
	store_record_set_origin(office, a->code);
	char today[11];
	xb_today(today, sizeof(today));
	if ((ret = form_check_record(office, today, err)))
		goto out;
	ret = office->version ? store_update(st, txn, office, a->user, NULL, err)
			      : store_insert(st, txn, office, a->user, err);
	if (ret)
		goto out;

	/* Whoever sets up the ledger is its first user, its leader. */
	ret = ledger_first_user(st, txn, a->user, a->code, a->password, err);
out:
	store_record_free(&office);
	return ret;
}

int ledger_init(struct store *st, const char *code, const char *name,
		const char *phone, const char *user, const char *password,
		struct xb_error *err)
{
	if (code == NULL ||
	    !(all_digits(code, 9) || all_digits(code, 6) || all_digits(code, 4)))
		return xb_fail_field(err, XB_EINVAL, FK_code,
				     _("The office code must be the 9-digit "
				       "township code, the 6-digit county code or "
				       "the 4-digit city code of the statistical "
				       "division codes."));
	if (name == NULL || *name == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_name,
				     _("The office needs a name."));
	struct init_arg a = { code, name, phone, user, password };
	return store_run(st, init_fn, &a, err);
}

/* The village must lie under this township. */
static int check_village(const struct store_record *child, const char *town,
			 struct xb_error *err)
{
	const char *v = store_record_get(child, FK_village_code);
	if (v != NULL && strncmp(v, town, 9) != 0)
		return xb_fail_field(err, XB_EINVAL, FK_village_code,
				     _("Village code %s does not lie under this "
				       "township (%s)."),
				     v, town);
	return XB_OK;
}

/* Refuses an ID number that case other holds: a child who left the
 * ledger comes back into that file (re-admitted), not a new one. */
static int id_taken(struct store *st, struct store_txn *txn, const char *idn,
		    const char *other, struct xb_error *err)
{
	struct store_record *c = NULL;
	int ret = store_get(st, txn, STORE_CHILD, other, &c, err);
	if (ret != XB_OK && ret != XB_ENOTFOUND)
		return ret;
	const char *status = c ? store_record_get(c, FK_status) : NULL;
	const char *moved = c ? store_record_get(c, FK_transferred_to) : NULL;
	if (status == NULL || strcmp(status, "exited") != 0)
		ret = xb_fail_field(err, XB_EEXIST, FK_id_number,
				    _("ID number %s is already registered as "
				      "case %s."),
				    idn, other);
	else if (moved != NULL)
		ret = xb_fail_field(err, XB_EEXIST, FK_id_number,
				    _("ID number %s belongs to case %s, a child "
				      "transferred to township %s: that township "
				      "transfers the child back, which brings the "
				      "file back here."),
				    idn, other, moved);
	else
		ret = xb_fail_field(err, XB_EEXIST, FK_id_number,
				    _("ID number %s belongs to case %s, a child who "
				      "left the ledger: re-admit that file "
				      "(xiangban child readmit %s reason=...) "
				      "instead of registering the child again."),
				    idn, other, other);
	store_record_free(&c);
	return ret;
}

/* One child, one file: an ID number may stand in one record only. */
static int check_id_unique(struct store *st, struct store_txn *txn,
			   const struct store_record *child,
			   struct xb_error *err)
{
	const char *idn = store_record_get(child, FK_id_number);
	char *other = NULL;
	if (idn == NULL)
		return XB_OK;
	int ret = store_find(st, txn, STORE_CHILD, STORE_BY_IDNUM, idn, &other, err);
	if (ret == XB_ENOTFOUND)
		return XB_OK;
	if (ret)
		return ret;
	if (child->id == NULL || strcmp(other, child->id) != 0)
		ret = id_taken(st, txn, idn, other, err);
	free(other);
	return ret;
}

struct rec_arg {
	struct store_record *rec;
	const char *user;
	const char *s1, *s2; /* operation-specific */
	uint32_t version;
};

/* Checks a child about to be written, as every add, edit and sheet
 * import does: the schema (values, rules, derived fields), the village
 * in this township, the ID number in no other file, the responsible
 * member (old: the child as stored, NULL for a new one; note: see
 * form_member_check). */
static int child_checked(struct store *st, struct store_txn *txn,
			 struct store_record *c, const struct store_record *old,
			 const char *town, struct xb_error *note,
			 struct xb_error *err)
{
	char today[11];
	int ret;
	xb_today(today, sizeof(today));
	if ((ret = form_village_fill(st, txn, c, town, err)) ||
	    (ret = form_check_record(c, today, err)) ||
	    (ret = check_village(c, town, err)) ||
	    (ret = check_id_unique(st, txn, c, err)) ||
	    (ret = form_member_check(st, txn, c, old, note, err)))
		return ret;
	return XB_OK;
}

/* Registers c as a new child: active, checked, given the next case
 * number of the township in txn, and, without a next visit due, one an
 * interval from today (never visited, it falls overdue then); audited
 * under action. */
static int child_register(struct store *st, struct store_txn *txn,
			  struct store_record *c, const char *user,
			  const char *action, struct xb_error *note,
			  struct xb_error *err)
{
	char town[13], case_no[32];
	uint64_t serial;
	int ret = township_in(st, txn, town, err);
	if (ret)
		return ret;
	/* A rerun after a deadlock finds the case number the aborted run
	 * gave: check_id_unique would take a record that got it since for
	 * this one. */
	store_record_set_id(c, NULL);
	store_record_set(c, FK_case_no, NULL);
	store_record_set(c, FK_status, "active");
	/* The day it is registered: today, or the day a generator made for
	 * it (the demo's children were registered a while ago). */
	char today[11];
	const char *reg = store_record_get(c, FK_registered);
	xb_today(today, sizeof(today));
	if (reg == NULL || form_parse_date(reg, NULL, NULL, NULL) != 0 ||
	    strcmp(reg, today) > 0)
		store_record_set(c, FK_registered, today);
	if ((ret = child_checked(st, txn, c, NULL, town, note, err)))
		return ret;
	/* Never visited, a child falls due the interval after registration. */
	if (store_record_get(c, FK_next_visit_due) == NULL) {
		char due[11];
		if ((ret = form_due_after(st, txn, c, store_record_get(c, FK_registered),
					  due, err)))
			return ret;
		if (store_record_set(c, FK_next_visit_due, due))
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	char counter[32];
	snprintf(counter, sizeof(counter), "case:%s", town);
	if ((ret = store_counter_next(st, txn, counter, &serial, err)))
		return ret;
	if (form_case_number(town, serial, case_no, sizeof(case_no)) != XB_OK)
		return xb_fail(err, XB_EFAIL,
			       _("The township has used up its case numbers."));
	if (store_record_set_id(c, case_no) || store_record_set(c, FK_case_no, case_no) ||
	    store_record_set_origin(c, town))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	c->version = 0;
	return store_insert_as(st, txn, c, user, action, err);
}

static int child_add_fn(struct store *st, struct store_txn *txn, void *arg,
			struct xb_error *err)
{
	struct rec_arg *a = arg;
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	return ret ? ret : child_register(st, txn, a->rec, a->user, "create", NULL, err);
}

int ledger_child_add(struct store *st, struct store_txn *txn,
		     struct store_record *child, const char *user,
		     struct xb_error *err)
{
	struct rec_arg a = { child, user, NULL, NULL, 0 };
	return in_txn(st, txn, child_add_fn, &a, err);
}

/* Keeps the fields only the program sets as they are stored. */
static void keep_system_fields(struct store_record *rec,
			       const struct store_record *old)
{
	size_t n;
	const struct form_field *f = form_fields(rec->kind, &n);
	for (size_t i = 0; i < n; i++)
		if (f[i].flags & FORM_SYSTEM)
			store_record_set(rec, f[i].key, store_record_get(old, f[i].key));
}

/* Makes c, a changed copy of the stored child old, ready to save as an
 * edit: the fields only the program sets and the exit fields as stored,
 * the derived ones following a new ID number, the child checked. */
static int child_prepare(struct store *st, struct store_txn *txn,
			 struct store_record *c, const struct store_record *old,
			 struct xb_error *note, struct xb_error *err)
{
	char town[13];
	int ret = township_in(st, txn, town, err);
	if (ret)
		return ret;
	keep_system_fields(c, old);
	/* A corrected ID number brings its own birth date and sex; only
	 * values the clerk retyped are held against it. */
	const char *was = store_record_get(old, FK_id_number);
	const char *now = store_record_get(c, FK_id_number);
	if (now != NULL && (was == NULL || strcmp(was, now) != 0)) {
		static const char *const derived[] = { FK_birth_date, FK_sex };
		for (size_t i = 0; i < 2; i++) {
			const char *o = store_record_get(old, derived[i]);
			const char *n = store_record_get(c, derived[i]);
			if (o != NULL && n != NULL && strcmp(o, n) == 0)
				store_record_set(c, derived[i], NULL);
		}
	}
	/* Exit fields move only through ledger_child_exit. */
	store_record_set(c, FK_exit_reason, store_record_get(old, FK_exit_reason));
	store_record_set(c, FK_exit_date, store_record_get(old, FK_exit_date));
	return child_checked(st, txn, c, old, town, note, err);
}

/* Saves c, a changed copy of the stored child old, as an edit (see
 * child_prepare); the changes are audited under action. Nothing is
 * written when nothing changed (c->version stays). */
static int child_resave(struct store *st, struct store_txn *txn,
			struct store_record *c, const struct store_record *old,
			const char *user, const char *action,
			struct xb_error *note, struct xb_error *err)
{
	int ret = child_prepare(st, txn, c, old, note, err);
	if (ret)
		return ret;
	return store_update(st, txn, c, user, action, err);
}

static int child_edit_fn(struct store *st, struct store_txn *txn, void *arg,
			 struct xb_error *err)
{
	struct rec_arg *a = arg;
	struct store_record *old = NULL;
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_CHILD, a->rec->id, &old, err);
	if (ret == XB_OK)
		ret = child_resave(st, txn, a->rec, old, a->user, "update", NULL, err);
	store_record_free(&old);
	return ret;
}

int ledger_child_edit(struct store *st, struct store_record *child,
		      const char *user, struct xb_error *err)
{
	if (child->id == NULL)
		return xb_fail(err, XB_EINVAL, _("The record has no case number."));
	struct rec_arg a = { child, user, NULL, NULL, 0 };
	return store_run(st, child_edit_fn, &a, err);
}

/* --- a child from a spreadsheet --- */

/* The stored child a sheet's row is about, into *old: the one with its
 * ID number, else the one with its case number when the row has no ID
 * number or that child has none yet (the sheet fills it in).
 * XB_ENOTFOUND (err untouched) when none. */
/* Whether the row names the child as the ledger does (a row without a
 * name is refused later by the checks). */
static int same_name(const struct store_record *rec, const struct store_record *child)
{
	const char *a = store_record_get(rec, FK_name);
	const char *b = store_record_get(child, FK_name);
	if (a == NULL || b == NULL)
		return a == b;
	char *fa = form_fold_text(a);
	int same = fa != NULL && strcmp(fa, b) == 0;
	free(fa);
	return same;
}

static int sheet_match(struct store *st, struct store_txn *txn,
		       const struct store_record *rec,
		       struct store_record **old, struct xb_error *err)
{
	const char *idn = store_record_get(rec, FK_id_number);
	const char *case_no = store_record_get(rec, FK_case_no);
	char *norm = NULL, *id = NULL;
	int ret = XB_ENOTFOUND;
	*old = NULL;
	if (idn != NULL &&
	    form_check_value(form_field_find(STORE_CHILD, FK_id_number), idn,
			     &norm, NULL) == XB_OK) {
		ret = store_find(st, txn, STORE_CHILD, STORE_BY_IDNUM, norm, &id, err);
		if (ret == XB_OK)
			ret = store_get(st, txn, STORE_CHILD, id, old, err);
		free(id);
	}
	free(norm);
	if (ret != XB_ENOTFOUND || case_no == NULL)
		return ret;
	char *cn = NULL;
	if (form_check_value(form_field_find(STORE_CHILD, FK_case_no), case_no,
			     &cn, NULL) != XB_OK) {
		free(cn);
		return XB_ENOTFOUND;
	}
	ret = store_get(st, txn, STORE_CHILD, cn, old, err);
	free(cn);
	if (ret == XB_ENOTFOUND)
		xb_error_clear(err);
	else if (ret == XB_OK && idn != NULL &&
		 store_record_get(*old, FK_id_number) != NULL) {
		store_record_free(old); /* that child has another ID number */
		ret = XB_ENOTFOUND;
	} else if (ret == XB_OK && !same_name(rec, *old)) {
		/* A roster of another ledger: its numbers are not ours. */
		store_record_free(old);
		ret = XB_ENOTFOUND;
	}
	return ret;
}

/* base (NULL: a new child) with the fields of a sheet's row that a clerk
 * may type put on it; NULL when out of memory. */
static struct store_record *sheet_applied(const struct store_record *rec,
					  const struct store_record *base)
{
	struct store_record *c = base ? store_record_dup(base)
				      : store_record_new(STORE_CHILD);
	for (size_t i = 0; c != NULL && i < rec->nfields; i++) {
		const struct form_field *f =
			form_field_find(STORE_CHILD, rec->fields[i].key);
		if (f != NULL && (f->flags & FORM_SYSTEM))
			continue;
		if (store_record_set(c, rec->fields[i].key, rec->fields[i].value))
			store_record_free(&c);
	}
	return c;
}

struct import_arg {
	const struct store_record *rec;
	const char *user;
	enum ledger_import_result *res;
	char *case_no;
	struct xb_error *note;
};

static int child_import_fn(struct store *st, struct store_txn *txn,
			   void *arg, struct xb_error *err)
{
	struct import_arg *a = arg;
	struct store_record *old = NULL, *c = NULL;
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret)
		return ret;
	ret = sheet_match(st, txn, a->rec, &old, err);
	if (ret != XB_OK && ret != XB_ENOTFOUND)
		return ret;
	if ((c = sheet_applied(a->rec, old)) == NULL) {
		store_record_free(&old);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	struct xb_error note;
	xb_error_clear(&note);
	if (old == NULL) {
		ret = child_register(st, txn, c, a->user, "sheet", &note, err);
		*a->res = LEDGER_IMPORT_ADDED;
	} else {
		uint32_t version = c->version;
		ret = child_resave(st, txn, c, old, a->user, "sheet", &note, err);
		*a->res = c->version != version ? LEDGER_IMPORT_UPDATED
						: LEDGER_IMPORT_UNCHANGED;
	}
	if (ret == XB_OK && a->case_no != NULL)
		snprintf(a->case_no, LEDGER_CASE_MAX, "%s", c->id);
	if (ret == XB_OK && a->note != NULL)
		*a->note = note;
	store_record_free(&c);
	store_record_free(&old);
	return ret;
}

int ledger_child_import(struct store *st, struct store_txn *txn,
			const struct store_record *rec, const char *user,
			enum ledger_import_result *res, char *case_no,
			struct xb_error *note, struct xb_error *err)
{
	if (note != NULL)
		xb_error_clear(note);
	if (rec == NULL || rec->kind != STORE_CHILD)
		return xb_fail(err, XB_EINVAL, _("The row is not a child's."));
	struct import_arg a = { rec, user, res, case_no, note };
	return in_txn(st, txn, child_import_fn, &a, err);
}

int ledger_child_same_as(struct store *st, struct store_txn *txn,
			 const struct store_record *rec, const char *case_no,
			 int *same, struct xb_error *err)
{
	struct store_record *old = NULL, *c = NULL;
	*same = 0;
	int ret = store_get(st, txn, STORE_CHILD, case_no, &old, err);
	if (ret != XB_OK)
		return ret;
	if ((c = sheet_applied(rec, old)) == NULL) {
		store_record_free(&old);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	struct xb_error ignored, note;
	struct store_change *ch = NULL;
	size_t n = 0;
	/* A row the checks refuse is not the child. */
	if (child_prepare(st, txn, c, old, &note, &ignored) == XB_OK) {
		if (store_diff(old, c, &ch, &n) != XB_OK)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			*same = n == 0;
		store_changes_free(ch, n);
	}
	store_record_free(&c);
	store_record_free(&old);
	return ret;
}

/* --- children who may be the same --- */

/* What a child is compared by when it has no ID number. */
struct likeness {
	char *name;      /* folded */
	char py[64];     /* pinyin initials of the name */
	char birth[11];  /* YYYY-MM-DD */
	const char *village_code, *id_number, *self;
};

/* Whether child (from the ledger) may be the one l describes. */
static int looks_alike(const struct likeness *l,
		       const struct store_record *child)
{
	const char *birth = store_record_get(child, FK_birth_date);
	const char *idn = store_record_get(child, FK_id_number);
	if (l->self != NULL && strcmp(child->id, l->self) == 0)
		return 0;
	if (birth == NULL || strcmp(birth, l->birth) != 0)
		return 0;
	if (l->id_number != NULL && idn != NULL && strcmp(idn, l->id_number) != 0)
		return 0; /* two ID numbers: two children */
	const char *name = store_record_get(child, FK_name);
	if (name != NULL && strcmp(name, l->name) == 0)
		return 1;
	const char *py = store_record_get(child, FK_name_py);
	const char *vc = store_record_get(child, FK_village_code);
	return l->py[0] != '\0' && l->village_code != NULL && py != NULL &&
	       vc != NULL && strcmp(py, l->py) == 0 &&
	       strcmp(vc, l->village_code) == 0;
}

/* Fills l from rec as a clerk typed it; 0 when rec has too little to
 * compare (no name or no birth date), 1 when it has enough, <0 on
 * error. */
static int likeness_of(const struct store_record *rec, struct likeness *l,
		       struct xb_error *err)
{
	memset(l, 0, sizeof(*l));
	const char *name = store_record_get(rec, FK_name);
	const char *birth = store_record_get(rec, FK_birth_date);
	char *idn = NULL;
	if (name == NULL)
		return 0;
	l->self = rec->id ? rec->id : store_record_get(rec, FK_case_no);
	l->village_code = store_record_get(rec, FK_village_code);
	l->id_number = store_record_get(rec, FK_id_number);
	if (l->id_number != NULL &&
	    form_check_value(form_field_find(STORE_CHILD, FK_id_number),
			     l->id_number, &idn, NULL) == XB_OK &&
	    strlen(idn) == 18)
		form_idnum_birth(idn, l->birth);
	free(idn);
	if (l->birth[0] == '\0' &&
	    (birth == NULL || form_date_normalize(birth, l->birth) != 0))
		return 0;
	if ((l->name = form_fold_text(name)) == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (l->name[0] == '\0' ||
	    form_pinyin_initials(l->name, l->py, sizeof(l->py)) != XB_OK)
		l->py[0] = '\0';
	return 1;
}

/* Calls fn with each child under index key who looks like l and is not
 * among the seen ids (n of them, added to). */
static int similar_under(struct store *st, struct store_txn *txn,
			 const char *key, const struct likeness *l,
			 char ***seen, size_t *nseen, ledger_child_fn fn,
			 void *arg, struct xb_error *err)
{
	char **ids;
	size_t n;
	int ret = store_find_ids(st, txn, STORE_CHILD, STORE_BY_NAME, key, &ids,
				 &n, err);
	for (size_t i = 0; ret == XB_OK && i < n; i++) {
		int dup = 0;
		for (size_t j = 0; j < *nseen && !dup; j++)
			dup = strcmp((*seen)[j], ids[i]) == 0;
		if (dup)
			continue;
		char **p = realloc(*seen, (*nseen + 1) * sizeof(*p));
		if (p == NULL) {
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			break;
		}
		*seen = p;
		p[(*nseen)++] = ids[i];
		ids[i] = NULL;
		struct store_record *c = NULL;
		ret = store_get(st, txn, STORE_CHILD, p[*nseen - 1], &c, err);
		if (ret == XB_ENOTFOUND) { /* gone since the index was read */
			xb_error_clear(err);
			ret = XB_OK;
			continue;
		}
		if (ret == XB_OK && looks_alike(l, c) && fn(c, arg) != 0)
			ret = 1; /* fn asked to stop */
		store_record_free(&c);
	}
	store_ids_free(ids, n);
	return ret;
}

int ledger_child_similar(struct store *st, struct store_txn *txn,
			 const struct store_record *rec, ledger_child_fn fn,
			 void *arg, struct xb_error *err)
{
	struct likeness l;
	int ret = likeness_of(rec, &l, err);
	if (ret <= 0)
		return ret;
	char **seen = NULL;
	size_t nseen = 0;
	ret = similar_under(st, txn, l.name, &l, &seen, &nseen, fn, arg, err);
	if (ret == XB_OK && l.py[0] != '\0' && l.village_code != NULL)
		ret = similar_under(st, txn, l.py, &l, &seen, &nseen, fn, arg, err);
	store_ids_free(seen, nseen);
	free(l.name);
	return ret == 1 ? XB_OK : ret;
}

struct exit_arg {
	const char *case_no, *reason, *date, *user;
	uint32_t version;
	const char *registered; /* request_registered's */
	const struct request_gate *gate;
	char *name; /* the child's name, 64 bytes, or NULL */
	char day[11]; /* where child_exit_run reads registered into */
};

static int child_exit_fn(struct store *st, struct store_txn *txn, void *arg,
			 struct xb_error *err)
{
	struct exit_arg *a = arg;
	struct store_record *c = NULL;
	char today[11];
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_CHILD, a->case_no, &c, err);
	if (ret == XB_OK && (ret = own_record(st, txn, c, err)) != XB_OK)
		store_record_free(&c);
	if (ret)
		return ret;
	const char *status = store_record_get(c, FK_status);
	if (a->version != 0 && c->version != a->version)
		ret = xb_fail(err, XB_ECONFLICT,
			      _("%s was changed by %s after you opened it; "
				"nothing was saved. Reload it and try again."),
			      c->id, c->changed_by ? c->changed_by : "?");
	else if (status != NULL && strcmp(status, "exited") == 0)
		ret = xb_fail(err, XB_EINVAL,
			      _("%s has already left the ledger."), c->id);
	else if (a->reason == NULL || *a->reason == '\0')
		ret = xb_fail_field(err, XB_EINVAL, FK_exit_reason,
				    _("Say why the child leaves the ledger."));
	if (ret == XB_OK) {
		xb_today(today, sizeof(today));
		store_record_set(c, FK_status, "exited");
		store_record_set(c, FK_exit_reason, a->reason);
		store_record_set(c, FK_exit_date, a->date && *a->date ? a->date : today);
		ret = form_check_record(c, today, err);
	}
	if (ret == XB_OK && a->name != NULL)
		snprintf(a->name, 64, "%s", store_record_get(c, FK_name));
	/* Done now, or asked of a leader (requests.c). */
	int act = 0;
	if (ret == XB_OK)
		ret = request_exit_gate(st, txn, a->user, c, a->registered, a->gate, &act,
					err);
	if (ret == XB_OK && act)
		ret = store_update(st, txn, c, a->user, "exit", err);
	store_record_free(&c);
	return ret;
}

/* An exit through gate g: read the registration day first, outside the
 * transaction. */
static int child_exit_run(struct store *st, struct exit_arg *a,
			  struct xb_error *err)
{
	int ret = request_registered(st, a->case_no, a->day, err);
	a->registered = a->day;
	return ret ? ret : store_run(st, child_exit_fn, a, err);
}

int ledger_child_exit(struct store *st, const char *case_no,
		      const char *reason, const char *date, uint32_t version,
		      const char *user, char *request, struct xb_error *err)
{
	struct request_gate g = { NULL, request, 0 };
	struct exit_arg a = { case_no, reason, date, user, version, NULL, &g, NULL, "" };
	if (request != NULL)
		request[0] = '\0';
	return child_exit_run(st, &a, err);
}

int ledger_child_exit_check(struct store *st, const char *case_no,
			    const char *reason, const char *date,
			    const char *user, char name[64],
			    struct xb_error *err)
{
	struct request_gate g = { NULL, NULL, 1 };
	struct exit_arg a = { case_no, reason, date, user, 0, NULL, &g, name, "" };
	if (name != NULL)
		name[0] = '\0';
	return child_exit_run(st, &a, err);
}

int ledger_exit_in(struct store *st, struct store_txn *txn, const char *case_no,
		   const char *reason, const char *date, const char *registered,
		   const char *user, const struct request_gate *g,
		   struct xb_error *err)
{
	struct exit_arg a = { case_no, reason, date, user, 0, registered, g, NULL, "" };
	return child_exit_fn(st, txn, &a, err);
}

/* Reads the active child a visit or report is about, under txn. */
static int active_child(struct store *st, struct store_txn *txn,
			const struct store_record *rec,
			struct store_record **child, struct xb_error *err)
{
	const char *case_no = store_record_get(rec, FK_case_no);
	*child = NULL;
	if (case_no == NULL)
		return xb_fail_field(err, XB_EINVAL, FK_case_no,
				     _("Say which child: the case number is "
				       "required."));
	int ret = store_get(st, txn, STORE_CHILD, case_no, child, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail_field(err, XB_ENOTFOUND, FK_case_no,
				     _("There is no child with case number %s."),
				     case_no);
	if (ret == XB_OK && (ret = own_record(st, txn, *child, err)) != XB_OK)
		store_record_free(child);
	if (ret)
		return ret;
	const char *status = store_record_get(*child, FK_status);
	if (status != NULL && strcmp(status, "exited") == 0) {
		store_record_free(child);
		return xb_fail_field(err, XB_EINVAL, FK_case_no,
				     _("%s has left the ledger; nothing more "
				       "can be added to the file."),
				     case_no);
	}
	return XB_OK;
}

/* Gives rec the id PARENT/<letter><serial>, one past the largest there. */
static int number_under(struct store *st, struct store_txn *txn,
			struct store_record *rec, const char *parent,
			char letter, int width, struct xb_error *err)
{
	char prefix[96], id[sizeof(prefix) + 24];
	uint64_t serial;
	size_t n = strlen(parent);
	if (n + 3 > sizeof(prefix))
		return xb_fail(err, XB_EINVAL, _("Cannot number a record under %s."),
			       parent);
	memcpy(prefix, parent, n);
	prefix[n] = '/';
	prefix[n + 1] = letter;
	prefix[n + 2] = '\0';
	int ret = store_serial_under(st, txn, rec->kind, prefix, width, &serial, err);
	if (ret)
		return ret;
	memcpy(id, prefix, n + 2);
	*xb_digits(id + n + 2, serial, width) = '\0';
	if (store_record_set_id(rec, id))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}

int ledger_number_under(struct store *st, struct store_txn *txn,
			struct store_record *rec, const char *parent,
			char letter, int width, struct xb_error *err)
{
	return number_under(st, txn, rec, parent, letter, width, err);
}

/* Compares two dates or date-times by what both have: a day without a time
 * is not before a time on that day. */
static int when_cmp(const char *a, const char *b)
{
	size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
	return strncmp(a, b, n);
}

static const char *label_of(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	return f ? form_label(f) : key;
}

/* Refuses field key of rec when it is before field limit_key of limit
 * (a record of kind limit_kind); the labels are looked up only then. */
static int not_before(const struct store_record *rec, const char *key,
		      const struct store_record *limit, const char *limit_key,
		      struct xb_error *err)
{
	const char *v = store_record_get(rec, key);
	const char *l = store_record_get(limit, limit_key);
	if (v == NULL || l == NULL || when_cmp(v, l) >= 0)
		return XB_OK;
	return xb_fail_field(err, XB_EINVAL, key, _("%s (%s) is before %s (%s)."),
			     label_of(rec->kind, key), v,
			     label_of(limit->kind, limit_key), l);
}

/* --- back into the ledger --- */

struct readmit_arg {
	const char *case_no, *reason, *date, *user;
};

static int child_readmit_fn(struct store *st, struct store_txn *txn, void *arg,
			    struct xb_error *err)
{
	struct readmit_arg *a = arg;
	struct store_record *c = NULL;
	char today[11], left[11] = "", town[13];
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK) /* a county's copies are its townships' to change */
		ret = township_in(st, txn, town, err);
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_CHILD, a->case_no, &c, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_ENOTFOUND,
			       _("There is no child with case number %s."), a->case_no);
	if (ret)
		return ret;
	const char *status = store_record_get(c, FK_status);
	const char *moved = store_record_get(c, FK_transferred_to);
	const char *exit_date = store_record_get(c, FK_exit_date);
	if (status == NULL || strcmp(status, "exited") != 0)
		ret = xb_fail(err, XB_EINVAL,
			      _("%s is in the ledger: only a child who left it "
				"can be re-admitted."),
			      c->id);
	else if (moved != NULL)
		ret = xb_fail(err, XB_EINVAL,
			      _("%s was transferred to township %s; the child "
				"comes back when that township transfers the "
				"file back."),
			      c->id, moved);
	else if (a->reason == NULL || *a->reason == '\0')
		ret = xb_fail_field(err, XB_EINVAL, FK_readmit_reason,
				    _("Say why the child comes back into the "
				      "ledger."));
	if (ret == XB_OK) {
		snprintf(left, sizeof(left), "%s", exit_date ? exit_date : "");
		xb_today(today, sizeof(today));
		store_record_set(c, FK_status, "active");
		store_record_set(c, FK_exit_reason, NULL);
		store_record_set(c, FK_exit_date, NULL);
		store_record_set(c, FK_readmit_reason, a->reason);
		store_record_set(c, FK_readmit_date,
				 a->date && *a->date ? a->date : today);
		ret = form_check_record(c, today, err);
	}
	/* Back on the day it left at the earliest: the history keeps both. */
	const char *back = ret == XB_OK ? store_record_get(c, FK_readmit_date) : NULL;
	if (back != NULL && left[0] && strcmp(back, left) < 0)
		ret = xb_fail_field(err, XB_EINVAL, FK_readmit_date,
				    _("%s (%s) is before the child left the "
				      "ledger (%s)."),
				    label_of(STORE_CHILD, FK_readmit_date), back, left);
	if (ret == XB_OK)
		ret = store_update(st, txn, c, a->user, "readmit", err);
	store_record_free(&c);
	return ret;
}

int ledger_child_readmit(struct store *st, const char *case_no,
			 const char *reason, const char *date, const char *user,
			 struct xb_error *err)
{
	struct readmit_arg a = { case_no, reason, date, user };
	return store_run(st, child_readmit_fn, &a, err);
}

struct visits_arg {
	struct store_record *const *visits;
	size_t n;
	const char *user;
};

static int visits_add_fn(struct store *st, struct store_txn *txn, void *arg,
			 struct xb_error *err)
{
	struct visits_arg *a = arg;
	struct store_record *child = NULL;
	const struct store_record *latest = NULL;
	char today[11];
	long interval = 0; /* the child's, read at the first visit without
			      its next contact date */
	int ret = XB_OK;
	xb_today(today, sizeof(today));
	for (size_t i = 0; i < a->n && ret == XB_OK; i++) {
		struct store_record *v = a->visits[i];
		if ((ret = form_check_record(v, today, err)) != XB_OK)
			break;
		if (child == NULL) {
			ret = active_child(st, txn, v, &child, err);
			if (ret == XB_OK)
				ret = ledger_access(st, txn, a->user, LEDGER_VISIT,
						    store_record_get(child, FK_village_code),
						    err);
		} else if (strcmp(store_record_get(v, FK_case_no), child->id) != 0)
			ret = xb_fail_field(err, XB_EINVAL, FK_case_no,
					    _("Visits logged together must be about one child."));
		if (ret == XB_OK)
			ret = not_before(v, FK_date, child, FK_birth_date, err);
		/* No next contact date: the office's interval from the
		 * visit, as the child stands now. */
		if (ret == XB_OK && store_record_get(v, FK_next_due) == NULL) {
			char due[11];
			if (interval == 0)
				ret = form_visit_interval(st, txn, child, &interval, err);
			if (ret == XB_OK &&
			    form_date_add(store_record_get(v, FK_date), interval, due) == 0 &&
			    store_record_set(v, FK_next_due, due) != XB_OK)
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		if (ret == XB_OK)
			ret = number_under(st, txn, v, child->id, 'V', 4, err);
		if (ret == XB_OK && (ret = store_record_set_origin(v, child->origin)) == XB_OK)
			ret = store_insert(st, txn, v, a->user, err);
		if (ret == XB_OK &&
		    (latest == NULL || strcmp(store_record_get(v, FK_date),
					      store_record_get(latest, FK_date)) >= 0))
			latest = v;
	}
	/* The latest visit sets when the child was last seen and when the
	 * next contact is due. */
	const char *last = ret == XB_OK ? store_record_get(child, FK_last_visit) : NULL;
	const char *date = latest ? store_record_get(latest, FK_date) : NULL;
	if (ret == XB_OK && (last == NULL || strcmp(date, last) >= 0)) {
		store_record_set(child, FK_last_visit, date);
		const char *next = store_record_get(latest, FK_next_due);
		if (next != NULL)
			store_record_set(child, FK_next_visit_due, next);
		ret = store_update(st, txn, child, a->user, "visit", err);
	}
	store_record_free(&child);
	return ret;
}

int ledger_visits_add(struct store *st, struct store_txn *txn,
		      struct store_record *const *visits, size_t n,
		      const char *user, struct xb_error *err)
{
	if (n == 0)
		return XB_OK;
	struct visits_arg a = { visits, n, user };
	return in_txn(st, txn, visits_add_fn, &a, err);
}

int ledger_visit_add(struct store *st, struct store_txn *txn,
		     struct store_record *visit, const char *user,
		     struct xb_error *err)
{
	return ledger_visits_add(st, txn, &visit, 1, user, err);
}

static int report_add_fn(struct store *st, struct store_txn *txn, void *arg,
			 struct xb_error *err)
{
	struct rec_arg *a = arg;
	struct store_record *r = a->rec, *child = NULL;
	char today[11];
	xb_today(today, sizeof(today));
	store_record_set(r, FK_stage,
			 store_record_get(r, FK_reported_at) ? "reported" : "found");
	store_record_set(r, FK_status, "open");
	int ret = form_check_record(r, today, err);
	if (ret || (ret = active_child(st, txn, r, &child, err)))
		return ret;
	ret = ledger_access(st, txn, a->user, LEDGER_REPORT,
			    store_record_get(child, FK_village_code), err);
	if (ret == XB_OK)
		ret = not_before(r, FK_found_at, child, FK_birth_date, err);
	if (ret == XB_OK)
		ret = not_before(r, FK_reported_at, r, FK_found_at, err);
	if (ret == XB_OK)
		ret = number_under(st, txn, r, child->id, 'R', 2, err);
	if (ret == XB_OK && (ret = store_record_set_origin(r, child->origin)) == XB_OK)
		ret = store_insert(st, txn, r, a->user, err);
	store_record_free(&child);
	return ret;
}

int ledger_report_add(struct store *st, struct store_txn *txn,
		      struct store_record *report, const char *user,
		      struct xb_error *err)
{
	struct rec_arg a = { report, user, NULL, NULL, 0 };
	return in_txn(st, txn, report_add_fn, &a, err);
}

/* Position of a stage in the order of handling; -1 if unknown. */
static int stage_rank(const char *code)
{
	const struct form_choice *c = form_stage_choices();
	for (int i = 0; code != NULL && c[i].code != NULL; i++)
		if (strcmp(c[i].code, code) == 0)
			return i;
	return -1;
}

struct step_arg {
	struct store_record *rec;
	const char *user;
	const struct request_gate *gate;
};

static int report_step_fn(struct store *st, struct store_txn *txn, void *arg,
			  struct xb_error *err)
{
	struct step_arg *a = arg;
	struct store_record *s = a->rec, *r = NULL;
	char today[11];
	xb_today(today, sizeof(today));
	int ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret == XB_OK)
		ret = form_check_record(s, today, err);
	if (ret)
		return ret;
	const char *rid = store_record_get(s, FK_report_id);
	ret = store_get(st, txn, STORE_REPORT, rid, &r, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail_field(err, XB_ENOTFOUND, FK_report_id,
				     _("There is no report %s."), rid);
	if (ret == XB_OK && (ret = own_record(st, txn, r, err)) != XB_OK)
		store_record_free(&r);
	if (ret)
		return ret;
	const char *step = store_record_get(s, FK_step);
	const char *status = store_record_get(r, FK_status);
	if (status != NULL && strcmp(status, "closed") == 0)
		ret = xb_fail_field(err, XB_EINVAL, FK_report_id,
				    _("Report %s is closed; no step can follow."),
				    rid);
	else if (strcmp(step, "found") == 0)
		ret = xb_fail_field(err, XB_EINVAL, FK_step,
				    _("A report starts as found; choose a later step."));
	else if (strcmp(step, "reported") == 0 && store_record_get(r, FK_reported_at))
		ret = xb_fail_field(err, XB_EINVAL, FK_step,
				    _("Report %s was already reported to the "
				      "police at %s."),
				    rid, store_record_get(r, FK_reported_at));
	else
		ret = not_before(s, FK_date, r, FK_found_at, err);
	/* Done now, or asked of a leader (requests.c). */
	int act = 0;
	if (ret == XB_OK)
		ret = request_step_gate(st, txn, a->user, s, r, a->gate, &act, err);
	if (ret || !act)
		goto out;
	ret = number_under(st, txn, s, rid, 'S', 2, err);
	if (ret == XB_OK && (ret = store_record_set_origin(s, r->origin)) == XB_OK)
		ret = store_insert(st, txn, s, a->user, err);
	if (ret)
		goto out;
	/* The stage is the furthest step reached; steps like services and
	 * intervention may come in either order. */
	if (stage_rank(step) > stage_rank(store_record_get(r, FK_stage)))
		store_record_set(r, FK_stage, step);
	if (strcmp(step, "reported") == 0)
		store_record_set(r, FK_reported_at, store_record_get(s, FK_date));
	if (strcmp(step, "closed") == 0)
		store_record_set(r, FK_status, "closed");
	ret = store_update(st, txn, r, a->user, FK_step, err);
out:
	store_record_free(&r);
	return ret;
}

int ledger_report_step(struct store *st, struct store_txn *txn,
		       struct store_record *step, const char *user,
		       char *request, struct xb_error *err)
{
	struct request_gate g = { NULL, request, 0 };
	struct step_arg a = { step, user, &g };
	if (request != NULL)
		request[0] = '\0';
	return in_txn(st, txn, report_step_fn, &a, err);
}

int ledger_report_step_check(struct store *st, const struct store_record *step,
			     const char *user, struct xb_error *err)
{
	struct request_gate g = { NULL, NULL, 1 };
	struct store_record *s = store_record_dup(step);
	struct step_arg a = { s, user, &g };
	int ret = s ? store_run(st, report_step_fn, &a, err)
		    : xb_fail(err, XB_EFAIL, _("Out of memory."));
	store_record_free(&s);
	return ret;
}

int ledger_step_in(struct store *st, struct store_txn *txn,
		   struct store_record *step, const char *user,
		   const struct request_gate *g, struct xb_error *err)
{
	struct step_arg a = { step, user, g };
	return report_step_fn(st, txn, &a, err);
}

struct slip_arg {
	const char *case_no, *user;
	int reissue;
	unsigned version;
};

static int slip_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct slip_arg *a = arg;
	struct store_record *c = NULL;
	int ret = store_get(st, txn, STORE_CHILD, a->case_no, &c, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_ENOTFOUND, _("There is no child with case number %s."),
			       a->case_no);
	if (ret == XB_OK)
		ret = ledger_access(st, txn, a->user, LEDGER_READ,
				    store_record_get(c, FK_village_code), err);
	if (ret) {
		store_record_free(&c);
		return ret;
	}
	const char *v = store_record_get(c, FK_slip_version);
	unsigned now = v ? (unsigned)strtoul(v, NULL, 10) : 0;
	a->version = now == 0 ? 1 : a->reissue ? now + 1 : now;
	/* A new version is written to the file: its own office's. */
	if (a->version != now)
		ret = own_record(st, txn, c, err);
	if (ret == XB_OK && a->version != now) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%u", a->version);
		store_record_set(c, FK_slip_version, buf);
		ret = store_update(st, txn, c, a->user, "slip", err);
	}
	store_record_free(&c);
	return ret;
}

enum ledger_slip_state ledger_slip_state(const struct store_record *child,
					 unsigned version, unsigned *now)
{
	const char *v = store_record_get(child, FK_slip_version);
	*now = v ? (unsigned)strtoul(v, NULL, 10) : 0;
	if (version > *now)
		return LEDGER_SLIP_NEVER;
	return version < *now ? LEDGER_SLIP_REPLACED : LEDGER_SLIP_CURRENT;
}

int ledger_slip_issue(struct store *st, const char *case_no, int reissue,
		      const char *user, unsigned *version, struct xb_error *err)
{
	struct slip_arg a = { case_no, user, reissue, 0 };
	int ret = store_run(st, slip_fn, &a, err);
	*version = a.version;
	return ret;
}

/* Calls fn for the children an index gives, skipping repeats (a name and
 * its initials may both match), until limit. */
static int search_index(struct store *st, enum store_index index,
			enum store_match match, const char *key, size_t limit,
			ledger_child_fn fn, void *arg, struct xb_error *err)
{
	struct store_iter *it;
	int ret = store_iter_open(st, STORE_CHILD, index, match, key, &it, err);
	if (ret)
		return ret;
	char **seen = NULL;
	size_t nseen = 0, cap = 0;
	struct store_record *c;
	while ((ret = store_iter_next(it, &c, NULL, err)) == 1) {
		int dup = 0;
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = strcmp(seen[i], c->id) == 0;
		if (!dup && nseen == cap) {
			cap = cap ? cap * 2 : 32;
			char **p = realloc(seen, cap * sizeof(*p));
			if (p == NULL) {
				store_record_free(&c);
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
				break;
			}
			seen = p;
		}
		int stop = 0;
		if (!dup) {
			if ((seen[nseen] = strdup(c->id)) == NULL) {
				store_record_free(&c);
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
				break;
			}
			nseen++;
			stop = fn(c, arg) || (limit && nseen >= limit);
		}
		store_record_free(&c);
		if (stop) {
			ret = 0;
			break;
		}
	}
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* The syllables of Mandarin as pinyin writes them without tones: a name
 * typed in full pinyin (zhangxuemin) is split into them. */
static const char pinyin_syllables[] =
	" a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu"
	" ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi"
	" chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui"
	" cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong"
	" dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga"
	" gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo"
	" ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun"
	" huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan"
	" kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai"
	" lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou"
	" lu lv luan lve lun luo ma mai man mang mao me mei men meng mi mian miao mie"
	" min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao"
	" nie nin ning niu nong nou nu nv nuan nve nuo o ou pa pai pan pang pao pei pen"
	" peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing"
	" qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui"
	" run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen"
	" sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan"
	" sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan"
	" tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin"
	" xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu"
	" yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe"
	" zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi"
	" zong zou zu zuan zui zun zuo ";

static int is_syllable(const char *s, size_t n)
{
	char word[9]; /* " " + at most 6 letters + " " + NUL */
	if (n == 0 || n > 6)
		return 0;
	word[0] = ' ';
	memcpy(word + 1, s, n);
	word[n + 1] = ' ';
	word[n + 2] = '\0';
	return strstr(pinyin_syllables, word) != NULL;
}

/* The initials of s (lower-case letters) read as whole syllables, the
 * longest first with a step back where the rest does not split (xian is
 * xian, not xi an, unless only xi an fits); 0 when s is not one run of
 * at least two syllables. */
static int pinyin_split(const char *s, char *initials, size_t len, size_t depth)
{
	if (*s == '\0')
		return depth >= 2;
	if (depth + 1 >= len)
		return 0;
	for (size_t n = 6; n >= 1; n--) {
		if (strlen(s) < n || !is_syllable(s, n))
			continue;
		initials[depth] = s[0];
		initials[depth + 1] = '\0';
		if (pinyin_split(s + n, initials, len, depth + 1))
			return 1;
	}
	return 0;
}

/* Mixed (张xm): the children whose initials match, and whose name has
 * the characters typed where they were typed. */
struct mixed {
	const char *key;
	ledger_child_fn fn;
	void *arg;
};

static int mixed_fits(const struct store_record *c, void *arg)
{
	struct mixed *m = arg;
	const char *name = store_record_get(c, FK_name);
	const unsigned char *k = (const unsigned char *)m->key;
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	while (*k && *p) {
		size_t kl = *k < 0x80 ? 1 : *k < 0xe0 ? 2 : *k < 0xf0 ? 3 : 4;
		size_t pl = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (*k >= 0x80 && (kl != pl || memcmp(k, p, kl) != 0))
			return 0;
		k += kl;
		p += pl;
	}
	return m->fn(c, m->arg);
}

/* The children of the villages of the register whose name begins with
 * key, up to limit (0: all). */
static int search_villages(struct store *st, const char *key, size_t limit,
			   ledger_child_fn fn, void *arg, struct xb_error *err)
{
	char **codes = NULL;
	size_t n = 0;
	struct store_iter *it;
	struct store_record *v;
	int ret = store_iter_open(st, STORE_VILLAGE, STORE_BY_NAME, STORE_PREFIX, key, &it, err);
	if (ret)
		return ret;
	while ((ret = store_iter_next(it, &v, NULL, err)) == 1) {
		char **p = realloc(codes, (n + 1) * sizeof(*p));
		if (p == NULL || (p[n] = strdup(v->id)) == NULL) {
			if (p != NULL)
				codes = p;
			store_record_free(&v);
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			break;
		}
		codes = p;
		n++;
		store_record_free(&v);
	}
	store_iter_close(&it);
	for (size_t i = 0; ret >= 0 && i < n; i++)
		ret = search_index(st, STORE_BY_VILLAGE, STORE_EXACT, codes[i], limit, fn, arg,
				   err);
	store_ids_free(codes, n);
	return ret < 0 ? ret : XB_OK;
}

/* The child of case number case_no, when there is one, to fn. */
static int search_case(struct store *st, const char *case_no, ledger_child_fn fn,
		       void *arg, struct xb_error *err)
{
	struct store_record *c;
	int ret = store_get(st, NULL, STORE_CHILD, case_no, &c, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return XB_OK;
	}
	if (ret == XB_OK) {
		fn(c, arg);
		store_record_free(&c);
	}
	return ret;
}

int ledger_search(struct store *st, const char *text, size_t limit,
		  ledger_child_fn fn, void *arg, struct xb_error *err)
{
	char key[128];
	size_t n = 0;
	while (*text == ' ')
		text++;
	for (; *text && n + 1 < sizeof(key); text++)
		key[n++] = *text;
	while (n > 0 && key[n - 1] == ' ')
		n--;
	key[n] = '\0';
	if (n == 0)
		return xb_fail(err, XB_EINVAL, _("Type a name, its initials, an ID "
						 "number or a case number."));

	if (form_case_check(key, NULL) == XB_OK)
		return search_case(st, key, fn, arg, err);
	int digits = 1, ascii = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)key[i];
		if (!isdigit(ch) && !(i == 17 && (ch == 'x' || ch == 'X')))
			digits = 0;
		if (ch >= 0x80)
			ascii = 0;
	}
	if (digits && n == 18) {
		key[17] = (char)toupper((unsigned char)key[17]);
		return search_index(st, STORE_BY_IDNUM, STORE_EXACT, key, limit, fn,
				    arg, err);
	}
	/* A case's serial alone (12819): this township's case of it. */
	char town[13], case_no[32];
	if (digits && n <= 5 && ledger_office(st, town, err) == XB_OK && strlen(town) == 9 &&
	    form_case_number(town, strtoull(key, NULL, 10), case_no, sizeof(case_no)) == XB_OK)
		return search_case(st, case_no, fn, arg, err);
	xb_error_clear(err);
	if (digits || strchr(key, '-') != NULL) /* part of a case or ID number */
		return search_index(st, strchr(key, '-') ? STORE_BY_ID : STORE_BY_IDNUM,
				    STORE_PREFIX, key, limit, fn, arg, err);
	int letters = 0;
	for (size_t i = 0; i < n; i++) {
		key[i] = (char)tolower((unsigned char)key[i]);
		letters += key[i] >= 'a' && key[i] <= 'z';
	}
	if (!ascii && letters > 0) {
		/* 张xm: initials throughout, the characters where typed */
		char initials[64];
		struct mixed m = { key, fn, arg };
		if (form_pinyin_initials(key, initials, sizeof(initials)) == XB_EFAIL ||
		    initials[0] == '\0')
			return XB_OK;
		return search_index(st, STORE_BY_NAME, STORE_PREFIX, initials, limit,
				    mixed_fits, &m, err);
	}
	int ret = search_index(st, STORE_BY_NAME, STORE_PREFIX, key, limit, fn, arg, err);
	char initials[32];
	/* zhangxuemin: the initials of its syllables */
	if (ret == XB_OK && ascii && letters == (int)n &&
	    pinyin_split(key, initials, sizeof(initials), 0))
		ret = search_index(st, STORE_BY_NAME, STORE_EXACT, initials, limit, fn, arg,
				   err);
	/* a village's name: its children */
	if (ret == XB_OK && !ascii)
		ret = search_villages(st, key, limit, fn, arg, err);
	return ret;
}

/* Counts the records of kind numbered under case_no ("CASE/..."). */
static int count_under(struct store *st, enum store_kind kind,
		       const char *case_no, int (*fn)(const struct store_record *,
						      struct ledger_summary *),
		       struct ledger_summary *sum, struct xb_error *err)
{
	char prefix[80];
	struct store_iter *it;
	struct store_record *r;
	snprintf(prefix, sizeof(prefix), "%s/", case_no);
	int ret = store_iter_open(st, kind, STORE_BY_ID, STORE_PREFIX, prefix, &it,
				  err);
	if (ret)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		fn(r, sum);
		store_record_free(&r);
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

static int count_visit(const struct store_record *v, struct ledger_summary *sum)
{
	(void)v;
	sum->visits++;
	return 0;
}

static int count_report(const struct store_record *r, struct ledger_summary *sum)
{
	const char *status = store_record_get(r, FK_status);
	if (status == NULL || strcmp(status, "closed") != 0) {
		int rank = stage_rank(store_record_get(r, FK_stage));
		sum->reports_open++;
		if (rank >= 0 && rank < 8)
			sum->reports_by_stage[rank]++;
		if (store_record_get(r, FK_reported_at) == NULL)
			sum->reports_unsent++;
	}
	return 0;
}

int ledger_summary_of_child(struct store *st, const struct store_record *r,
			    const char *today, struct ledger_summary *sum,
			    struct xb_error *err)
{
	memset(sum, 0, sizeof(*sum));
	const char *status = store_record_get(r, FK_status);
	if (status != NULL && strcmp(status, "exited") == 0) {
		sum->exited = 1;
	} else {
		unsigned fl = form_child_flags(r, today);
		sum->children = 1;
		sum->unsupervised = !!(fl & FORM_FLAG_UNSUPERVISED);
		sum->visits_overdue = !!(fl & FORM_FLAG_VISIT_OVERDUE);
		sum->not_eligible = !!(fl & (FORM_FLAG_OVER_AGE | FORM_FLAG_NOT_LEFT_BEHIND));
		sum->turning16_month =
			(uint64_t)form_turns16_in_month(store_record_get(r, FK_birth_date),
							today);
	}
	int ret = count_under(st, STORE_REPORT, r->id, count_report, sum, err);
	if (ret == XB_OK)
		ret = count_under(st, STORE_VISIT, r->id, count_visit, sum, err);
	return ret;
}

void ledger_summary_add(struct ledger_summary *to,
			const struct ledger_summary *from)
{
	to->children += from->children;
	to->exited += from->exited;
	to->unsupervised += from->unsupervised;
	to->visits_overdue += from->visits_overdue;
	to->turning16_month += from->turning16_month;
	to->not_eligible += from->not_eligible;
	to->reports_open += from->reports_open;
	for (size_t i = 0; i < 8; i++)
		to->reports_by_stage[i] += from->reports_by_stage[i];
	to->reports_unsent += from->reports_unsent;
	to->visits += from->visits;
}

int ledger_summary_recount(struct store *st, const char *today,
			   struct ledger_summary *sum, struct xb_error *err)
{
	memset(sum, 0, sizeof(*sum));
	struct store_iter *it;
	struct store_record *r;
	int ret = store_iter_open(st, STORE_CHILD, STORE_BY_ID, STORE_ALL, NULL,
				  &it, err);
	if (ret)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		const char *status = store_record_get(r, FK_status);
		if (status != NULL && strcmp(status, "exited") == 0) {
			sum->exited++;
			store_record_free(&r);
			continue;
		}
		unsigned fl = form_child_flags(r, today);
		sum->children++;
		sum->unsupervised += !!(fl & FORM_FLAG_UNSUPERVISED);
		sum->visits_overdue += !!(fl & FORM_FLAG_VISIT_OVERDUE);
		sum->not_eligible += !!(fl & (FORM_FLAG_OVER_AGE | FORM_FLAG_NOT_LEFT_BEHIND));
		sum->turning16_month +=
			form_turns16_in_month(store_record_get(r, FK_birth_date), today);
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (ret < 0)
		return ret;

	if ((ret = store_iter_open(st, STORE_REPORT, STORE_BY_ID, STORE_ALL, NULL,
				   &it, err)))
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		count_report(r, sum);
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (ret < 0)
		return ret;
	return store_count(st, STORE_VISIT, &sum->visits, err);
}

/* ledger_summarize's figures as they come from the store's tallies. */
struct tally_sum {
	struct ledger_summary *sum;
	const char *today;
	char month[32]; /* "YYYY-MM": children born then turn 16 this month */
};

static int is_exited(const char *status)
{
	return status != NULL && strcmp(status, "exited") == 0;
}

/* Whether v begins like a date's "YYYY-MM". */
static int month_shaped(const char *v)
{
	if (v == NULL || strlen(v) != 7 || v[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !isdigit((unsigned char)v[i]))
			return 0;
	return 1;
}

/* One combination of values of a tally, counted n times, into the
 * figures, decided the way ledger_summary_recount decides each record
 * (the values come in the order store.h gives for each tally). Over age
 * by the month of birth: born before the month 16 years ago is 16 or
 * older today, born after it younger; those born in that month are told
 * by their whole birth date (CHILD_BIRTH, read for that month only). */
static int tally_add(enum store_tally tally, const char *const *v, uint64_t n,
		     void *arg)
{
	struct tally_sum *ts = arg;
	struct ledger_summary *sum = ts->sum;
	switch (tally) {
	case STORE_TALLY_CHILD_GUARDIAN:
		if (is_exited(v[0])) {
			sum->exited += n;
			break;
		}
		sum->children += n;
		if (v[1] != NULL && strcmp(v[1], "none") == 0)
			sum->unsupervised += n;
		break;
	case STORE_TALLY_CHILD_PARENTS:
		if (is_exited(v[0]))
			break;
		if (strcmp(form_left_behind_of(v[1], v[2], v[3], v[4]),
			   "not_left_behind") == 0)
			sum->not_eligible += n;
		else if (month_shaped(v[5]) && strcmp(v[5], ts->month) < 0)
			sum->not_eligible += n;
		break;
	case STORE_TALLY_CHILD_BIRTH:
		if (is_exited(v[1]))
			break;
		sum->turning16_month += n * (uint64_t)form_turns16_in_month(v[6], ts->today);
		if (form_age(v[6], ts->today) >= 16 &&
		    strcmp(form_left_behind_of(v[2], v[3], v[4], v[5]),
			   "not_left_behind") != 0)
			sum->not_eligible += n;
		break;
	case STORE_TALLY_CHILD_DUE:
		if (!is_exited(v[0]) && form_parse_date(v[1], NULL, NULL, NULL) == 0 &&
		    strcmp(v[1], ts->today) < 0)
			sum->visits_overdue += n;
		break;
	case STORE_TALLY_REPORT:
		if (v[0] == NULL || strcmp(v[0], "closed") != 0) {
			int rank = stage_rank(v[1]);
			sum->reports_open += n;
			if (rank >= 0 && rank < 8)
				sum->reports_by_stage[rank] += n;
			if (v[2] == NULL)
				sum->reports_unsent += n;
		}
		break;
	case STORE_TALLY_VISIT:
		sum->visits += n;
		break;
	case STORE_TALLY_COUNT:
		break;
	}
	return 0;
}

int ledger_summarize(struct store *st, const char *today,
		     struct ledger_summary *sum, struct xb_error *err)
{
	int y, m;
	/* The tallies answer for a real day only. */
	if (today == NULL || form_parse_date(today, &y, &m, NULL) != 0 || y < 17)
		return ledger_summary_recount(st, today, sum, err);
	memset(sum, 0, sizeof(*sum));
	struct tally_sum ts = { sum, today, "" };
	snprintf(ts.month, sizeof(ts.month), "%04d-%02d", y - 16, m);
	static const enum store_tally whole[] = {
		STORE_TALLY_CHILD_GUARDIAN, STORE_TALLY_CHILD_PARENTS,
		STORE_TALLY_CHILD_DUE, STORE_TALLY_REPORT, STORE_TALLY_VISIT,
	};
	int ret = XB_OK;
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]) && ret == XB_OK; i++)
		ret = store_tallies(st, whole[i], NULL, tally_add, &ts, err);
	if (ret == XB_OK)
		ret = store_tallies(st, STORE_TALLY_CHILD_BIRTH, ts.month, tally_add,
				    &ts, err);
	return ret;
}

int ledger_counts_check(struct store *st, const char *today, int *agree,
			struct xb_error *err)
{
	uint64_t wrong;
	struct ledger_summary fast, slow;
	*agree = 0;
	int ret = store_tallies_check(st, &wrong, err);
	if (ret == XB_OK)
		ret = ledger_summarize(st, today, &fast, err);
	if (ret == XB_OK)
		ret = ledger_summary_recount(st, today, &slow, err);
	if (ret == XB_OK)
		*agree = wrong == 0 && memcmp(&fast, &slow, sizeof(fast)) == 0;
	return ret;
}

static int rebuild_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	(void)arg;
	return store_tallies_build(st, txn, err);
}

int ledger_counts_rebuild(struct store *st, struct xb_error *err)
{
	return store_run(st, rebuild_fn, NULL, err);
}

/* --- lent to transfer.c (private.h) --- */

int ledger_township_in(struct store *st, struct store_txn *txn, char code[13],
		       struct xb_error *err)
{
	return township_in(st, txn, code, err);
}

int ledger_child_checked(struct store *st, struct store_txn *txn,
			 struct store_record *c, const char *town,
			 struct xb_error *err)
{
	/* A member who has left since is the clerk's to change, not a
	 * reason to refuse the child's file. */
	struct xb_error note;
	xb_error_clear(&note);
	return child_checked(st, txn, c, NULL, town, &note, err);
}

int ledger_child_register(struct store *st, struct store_txn *txn,
			  struct store_record *c, const char *user,
			  const char *action, struct xb_error *err)
{
	struct xb_error note;
	xb_error_clear(&note);
	return child_register(st, txn, c, user, action, &note, err);
}

/* --- where records sit --- */

int ledger_may_hold(const char *self, const char *owner)
{
	size_t ns = strlen(self), no = strlen(owner);
	if (strcmp(self, owner) == 0)
		return 1;
	if (ns == 9 && no == 6)
		return strncmp(self, owner, 6) == 0;
	if (ns == 6 && no == 9)
		return strncmp(self, owner, 6) == 0;
	/* a city keeps what its counties send: theirs and their townships'
	 * tables (the exchange lets nothing else through to a city) */
	if (ns == 4 && (no == 6 || no == 9))
		return strncmp(self, owner, 4) == 0;
	return 0;
}

/* Whether a transfer is addressed to this ledger's township. */
static int addressed_here(struct store *st, struct store_txn *txn,
			  const struct store_record *transfer)
{
	char self[13];
	struct xb_error ignored;
	const char *to = store_record_get(transfer, FK_to);
	return to != NULL && form_office_in(st, txn, self, &ignored) == XB_OK &&
	       strcmp(self, to) == 0;
}

int ledger_record_placed(struct store *st, struct store_txn *txn,
			 const char *self, const struct store_record *rec,
			 char owner[13], char last_parent[64],
			 struct xb_error *err)
{
	char parent[64];
	int ret = form_record_place(rec, owner, parent, err);
	if (ret != XB_OK)
		return ret;
	const char *origin = rec->origin ? rec->origin : "";
	if (strcmp(origin, owner) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("%s is numbered by office %s, but its origin says "
				 "office %s."),
			       rec->id, owner, origin);
	const char *to = rec->kind == STORE_TRANSFER ? store_record_get(rec, FK_to) : NULL;
	if (self != NULL && !ledger_may_hold(self, owner) &&
	    !(to != NULL && strcmp(to, self) == 0))
		return xb_fail(err, XB_EINVAL,
			       _("%s belongs to office %s, whose records this "
				 "ledger does not keep."),
			       rec->id, owner);
	if (parent[0] == '\0' || strcmp(parent, last_parent) == 0)
		return XB_OK;
	enum store_kind up = rec->kind == STORE_STEP ? STORE_REPORT : STORE_CHILD;
	struct store_record *p = NULL;
	ret = store_get(st, txn, up, parent, &p, err);
	if (ret == XB_ENOTFOUND && rec->kind == STORE_TRANSFER &&
	    addressed_here(st, txn, rec)) {
		xb_error_clear(err);
		return XB_OK; /* the file it carries is another township's */
	}
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_EINVAL,
			       _("%s sits under %s, which is not in the ledger."),
			       rec->id, parent);
	if (ret != XB_OK)
		return ret;
	if (p->origin == NULL || strcmp(p->origin, origin) != 0)
		ret = xb_fail(err, XB_EINVAL,
			      _("%s sits under %s of office %s, but its origin "
				"says office %s."),
			      rec->id, parent, p->origin ? p->origin : "", origin);
	else
		snprintf(last_parent, 64, "%s", parent);
	store_record_free(&p);
	return ret;
}

/* --- what aid.c and correct.c share of this file (private.h) --- */

int ledger_active_child(struct store *st, struct store_txn *txn,
			const struct store_record *rec,
			struct store_record **child, struct xb_error *err)
{
	return active_child(st, txn, rec, child, err);
}

int ledger_not_before(const struct store_record *rec, const char *key,
		      const struct store_record *limit, const char *limit_key,
		      struct xb_error *err)
{
	return not_before(rec, key, limit, limit_key, err);
}

int ledger_stage_rank(const char *code)
{
	return stage_rank(code);
}
