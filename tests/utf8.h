/* utf8.h - the tests' check that text is whole UTF-8 characters, shared
 * by the unit tests (testutil.h) and the fuzz harnesses (fuzz/fuzz.h),
 * which cannot take cmocka. Written apart from common/printable.c's
 * decoder, so a bug there does not hide itself. */
#ifndef XB_TESTS_UTF8_H
#define XB_TESTS_UTF8_H

/* Whether s is whole UTF-8 characters (by their form: lead and
 * continuation bytes), as a terminal and JSON need. */
static inline int tu_utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != 0) {
		int more = *p < 0x80 ? 0 : *p < 0xC0 ? -1 : *p < 0xE0 ? 1
			 : *p < 0xF0 ? 2 : *p < 0xF8 ? 3 : -1;
		if (more < 0)
			return 0;
		for (p++; more > 0; more--, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

#endif
