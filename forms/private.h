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

#endif
