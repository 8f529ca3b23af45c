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

/* What ledger.c lends transfer.c, under txn: the township this ledger is
 * (a county's refused), a child checked as every add and edit is, a new
 * child registered (ledger_child_add's work, audited under action), a
 * record numbered PARENT/<letter><serial>. */
int ledger_township_in(struct store *st, struct store_txn *txn, char code[13],
		       struct xb_error *err);
int ledger_child_checked(struct store *st, struct store_txn *txn,
			 struct store_record *c, const char *town,
			 struct xb_error *err);
int ledger_child_register(struct store *st, struct store_txn *txn,
			  struct store_record *c, const char *user,
			  const char *action, struct xb_error *err);
int ledger_number_under(struct store *st, struct store_txn *txn,
			struct store_record *rec, const char *parent, char letter,
			int width, struct xb_error *err);

#endif
