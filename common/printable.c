/* printable.c - the display-safe copy of outside text, and the classes of
 * characters that input refuses (printable.h). */
#include <stdlib.h>
#include <string.h>

#include "printable.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

int xb_utf8_next(const char *s, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0], v;
	int len;

	if (c == 0)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		v = c & 0x1F;
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		v = c & 0x0F;
		len = 3;
	} else if (c >= 0xF0 && c <= 0xF4) {
		v = c & 0x07;
		len = 4;
	} else {
		return -1; /* continuation, C0/C1 (overlong), F5-FF */
	}
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1; /* also stops at the NUL: truncated */
		v = v << 6 | (p[i] & 0x3F);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	return len;
}

enum xb_char_class xb_char_class(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    cp == 0x2028 || cp == 0x2029)
		return XB_CH_CONTROL;
	if (cp < 0xAD)
		return XB_CH_OK; /* the common case, decided at once */
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200E || cp == 0x200F || cp == 0x061C)
		return XB_CH_BIDI;
	if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0xFEFF || cp == 0x180E || cp == 0xAD ||
	    (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE007F))
		return XB_CH_INVISIBLE;
	return XB_CH_OK;
}

/* The class of the character of length n (or -1) at s, as shown under
 * flags. */
static enum xb_char_class class_at(int n, unsigned cp, unsigned flags)
{
	if (n < 0)
		return XB_CH_BAD_UTF8;
	if ((flags & XB_PRINT_LINES) && (cp == '\n' || cp == '\t'))
		return XB_CH_OK;
	return xb_char_class(cp);
}

enum xb_char_class xb_text_check(const char *s, unsigned flags, unsigned *bad)
{
	unsigned cp = 0;
	int n;

	while (s != NULL && (n = xb_utf8_next(s, &cp)) != 0) {
		enum xb_char_class c = class_at(n, cp, flags);
		if (c != XB_CH_OK) {
			if (bad != NULL)
				*bad = n < 0 ? (unsigned char)*s : cp;
			return c;
		}
		s += n;
	}
	return XB_CH_OK;
}

char *xb_printable(const char *s, unsigned flags, char *buf, size_t len)
{
	size_t o = 0;
	unsigned cp = 0;
	int n;

	if (buf == NULL || len == 0)
		return buf;
	while (s != NULL && (n = xb_utf8_next(s, &cp)) != 0) {
		int ok = class_at(n, cp, flags) == XB_CH_OK;
		size_t w = ok ? (size_t)n : sizeof(REPLACEMENT) - 1;
		if (o + w + 1 > len)
			break;
		memcpy(buf + o, ok ? s : REPLACEMENT, w);
		o += w;
		s += n < 0 ? 1 : n;
	}
	buf[o] = '\0';
	return buf;
}

char *xb_printable_dup(const char *s, unsigned flags)
{
	/* At worst every byte becomes three. */
	size_t len = (s ? strlen(s) : 0) * 3 + 1;
	char *buf = malloc(len);
	return buf ? xb_printable(s, flags, buf, len) : NULL;
}
