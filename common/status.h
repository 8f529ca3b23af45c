/* status.h - the result codes every module returns, and the error buffer.
 *
 * Functions return XB_OK (0) or a negative code and, on failure, fill a
 * caller-owned struct xb_error with a sentence a clerk can act on. */
#ifndef XB_STATUS_H
#define XB_STATUS_H

#include <stddef.h>

enum xb_status {
	XB_OK = 0,
	XB_EINVAL = -1,    /* the input is wrong: the user can fix it */
	XB_ENOTFOUND = -2, /* no such record */
	XB_ECONFLICT = -3, /* changed by someone else since it was read */
	XB_EEXIST = -4,    /* already there */
	XB_EDEADLOCK = -5, /* lost a deadlock inside a caller's transaction */
	XB_EFAIL = -6,     /* the system failed: disk, database, memory */
	XB_EPERM = -7,     /* who acts may not do it (their role, their
			      villages, a disabled or unknown user) */
};

struct xb_error {
	int code;
	char field[48]; /* the field the message is about, or "" */
	char msg[512];
};

/* Fills err (if not NULL) with a printf-style message and returns code. */
int xb_fail(struct xb_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, naming the field the message is about. */
int xb_fail_field(struct xb_error *err, int code, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Empties err. */
void xb_error_clear(struct xb_error *err);

#endif
