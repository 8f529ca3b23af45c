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

#endif
