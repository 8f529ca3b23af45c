/* private.h - what the files of forms/ share and nobody else sees. */
#ifndef XB_FORMS_PRIVATE_H
#define XB_FORMS_PRIVATE_H

#include <stddef.h>

/* 1 when the n bytes at s are all ASCII digits (a NUL stops them). */
static inline int form_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 1 when s starts with the shape NNNN-NN-NN, whether or not the date is
 * real (dates.c): tells a mistyped date from one not in the calendar. */
int form_date_shaped(const char *s);

/* Full-width ASCII forms (U+FF01..U+FF5E) made plain, the ideographic
 * and no-break spaces made spaces (words.c): a malloc'd copy of s, NULL
 * when out of memory. form_fold_needed says whether s has any. */
char *form_fold_width(const char *s);
int form_fold_needed(const char *s);

/* Reads a date as offices write it (dates.c; form_date_normalize): 0 and
 * out YYYY-MM-DD when it is a real date, 1 when it is written as a date
 * that the calendar lacks (2015年2月30日), -1 when it is no date. */
int form_date_read(const char *in, char out[11]);

/* Once the office's village register holds a village (villages.c), a
 * child's village must be one of it: a code alone gets its name, a name
 * alone (with or without 村/社区/居委会) its code, both must agree; a
 * code outside town or not in the register is refused. Before that the
 * child is left as typed. Inside txn. */
struct store;
struct store_txn;
struct store_record;
struct xb_error;
int form_village_fill(struct store *st, struct store_txn *txn,
		      struct store_record *child, const char *town,
		      struct xb_error *err);

/* The office this ledger belongs to, under txn (may be NULL), into
 * code[13] (office.c); XB_ENOTFOUND, saying to run init, before `init`. */
int form_office_in(struct store *st, struct store_txn *txn, char code[13],
		   struct xb_error *err);

/* The ledger's first user, a leader, in txn (users.c); password may be
 * NULL. Kept as it is when name is a user already but for the password. */
int ledger_first_user(struct store *st, struct store_txn *txn,
		      const char *name, const char *office,
		      const char *password, struct xb_error *err);

/* A setting's value as a whole number (settings.c), under txn (may be
 * NULL): what ledger_setting_number reads, inside a transaction that may
 * have written meta.db itself. */
int form_setting_number_in(struct store *st, struct store_txn *txn,
			   const char *key, long *out, struct xb_error *err);

/* --- responsible members and the visit rules (members.c) --- */

/* Checks the responsible member of child c about to be saved (old: the
 * child as stored, NULL for a new one): a user of the ledger, by user
 * name or full name, a member's role, enabled, and, for a village member,
 * bound to the child's village. A member and a village both unchanged
 * from old are not checked again. note NULL: refused with XB_EINVAL on
 * member_name; else (a spreadsheet's old data) kept as written and note
 * says why. In txn. */
int form_member_check(struct store *st, struct store_txn *txn,
		      const struct store_record *c, const struct store_record *old,
		      struct xb_error *note, struct xb_error *err);
/* The days from a visit to the next for child c as it stands (under
 * txn): the office's visit_interval_close_days for a child without
 * supervision or with a report open, else visit_interval_days. */
int form_visit_interval(struct store *st, struct store_txn *txn,
			const struct store_record *c, long *days,
			struct xb_error *err);
/* The day that interval after from (YYYY-MM-DD) into due[11]. */
int form_due_after(struct store *st, struct store_txn *txn,
		   const struct store_record *c, const char *from, char due[11],
		   struct xb_error *err);

#endif
