/* status.c - filling the error buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

static int vfail(struct xb_error *err, int code, const char *field,
		 const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int xb_fail(struct xb_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int xb_fail_field(struct xb_error *err, int code, const char *field,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void xb_error_clear(struct xb_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}
