/* status.c - filling the error buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

/* Text cut to fit its buffer (n bytes written of want) ends at a whole
 * UTF-8 character: a message quoting a long value is shown in a terminal
 * and put in JSON, which refuses a broken character. */
static void cut_whole(char *s, size_t n, int want)
{
	if (want < 0 || (size_t)want <= n)
		return;
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < len)
		s[i - 1] = '\0';
}

static int vfail(struct xb_error *err, int code, const char *field,
		 const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	int want = snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	cut_whole(err->field, sizeof(err->field) - 1, want);
	want = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	cut_whole(err->msg, sizeof(err->msg) - 1, want);
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
