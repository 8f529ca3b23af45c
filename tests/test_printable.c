/* test_printable.c - the one output sanitiser: what never reaches a
 * terminal raw, what passes untouched, and how buffers are cut. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../common/printable.h"

#define FFFD "\xEF\xBF\xBD"

/* No byte below 0x20 (but LF/TAB with lines), no DEL, no C1, no bidi or
 * zero-width character survives in s. */
static void assert_clean(const char *s, int lines)
{
	unsigned bad = 0;
	enum xb_char_class c = xb_text_check(s, lines ? XB_PRINT_LINES : 0, &bad);
	if (c != XB_CH_OK)
		fail_msg("\"%s\" still holds class %d (U+%04X)", s, (int)c, bad);
}

static void test_controls_replaced(void **state)
{
	(void)state;
	char buf[256];
	/* the spoof of issue 11: a fake fingerprint line, black on black */
	const char *uid = "县民政局\r\nFingerprint: AAAA BBBB\x1b[30;40m\x1b]0;t\x07\x7f";
	xb_printable(uid, 0, buf, sizeof(buf));
	assert_null(strchr(buf, '\x1b'));
	assert_null(strchr(buf, '\r'));
	assert_null(strchr(buf, '\n'));
	assert_null(strchr(buf, '\x07'));
	assert_null(strchr(buf, '\x7f'));
	assert_string_equal(buf, "县民政局" FFFD FFFD "Fingerprint: AAAA BBBB" FFFD
				 "[30;40m" FFFD "]0;t" FFFD FFFD);
	assert_clean(buf, 0);
	/* C1 as UTF-8 (U+009B is CSI on some terminals) and raw */
	xb_printable("a\xC2\x9B" "2Jb\x9b" "c", 0, buf, sizeof(buf));
	assert_string_equal(buf, "a" FFFD "2Jb" FFFD "c");
	/* TAB is a control on one line; LF and TAB pass with lines */
	xb_printable("a\tb\nc\rd", 0, buf, sizeof(buf));
	assert_string_equal(buf, "a" FFFD "b" FFFD "c" FFFD "d");
	xb_printable("a\tb\nc\rd", XB_PRINT_LINES, buf, sizeof(buf));
	assert_string_equal(buf, "a\tb\nc" FFFD "d");
}

static void test_bidi_and_invisible_replaced(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
		"\xE2\x80\xAE",                                 /* U+202A-E */
		"\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9", /* 2066-9 */
		"\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C",     /* LRM RLM ALM */
		"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", /* ZWSP ZWNJ ZWJ */
		"\xE2\x81\xA0", "\xEF\xBB\xBF",                 /* WJ, BOM */
		"\xE2\x80\xA8", "\xE2\x80\xA9",                 /* LS, PS */
	};
	char in[32], buf[64];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(in, sizeof(in), "x%sy", bad[i]);
		assert_int_not_equal(xb_text_check(in, XB_PRINT_LINES, NULL), XB_CH_OK);
		xb_printable(in, XB_PRINT_LINES, buf, sizeof(buf));
		assert_string_equal(buf, "x" FFFD "y");
	}
	unsigned cp = 0;
	assert_int_equal(xb_text_check("张\xE2\x80\xAE三", 0, &cp), XB_CH_BIDI);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(xb_text_check("张\xE2\x80\x8B三", 0, &cp), XB_CH_INVISIBLE);
	assert_int_equal(cp, 0x200B);
}

static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	char buf[64];
	static const char *const bad[] = {
		"\xC0\x9B",         /* overlong ESC */
		"\xE0\x80\x9B",     /* overlong ESC, three bytes */
		"\xED\xA0\x80",     /* a surrogate */
		"\xF4\x90\x80\x80", /* beyond U+10FFFF */
		"\xE5\xBC",         /* truncated */
		"\xFF",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char in[16];
		snprintf(in, sizeof(in), "a%sb", bad[i]);
		unsigned byte = 0;
		assert_int_equal(xb_text_check(in, 0, &byte), XB_CH_BAD_UTF8);
		assert_int_equal(byte, (unsigned char)bad[i][0]);
		xb_printable(in, 0, buf, sizeof(buf));
		assert_clean(buf, 0);
		assert_non_null(strstr(buf, FFFD));
		assert_int_equal(buf[0], 'a');
		assert_int_equal(buf[strlen(buf) - 1], 'b');
	}
}

static void test_good_text_untouched(void **state)
{
	(void)state;
	char buf[256];
	/* full-width and ASCII brackets, CJK, Latin with accents, emoji */
	static const char *const good[] = {
		"永吉县示范镇(演示) (xiangban 220221100)",
		"永吉县示范镇（演示）", "Zoë Ünal <z@example.org>", "阿依古丽·买买提", "ok 😀", "",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(xb_text_check(good[i], 0, NULL), XB_CH_OK);
		assert_string_equal(xb_printable(good[i], 0, buf, sizeof(buf)), good[i]);
	}
	assert_string_equal(xb_printable(NULL, 0, buf, sizeof(buf)), "");
	char *d = xb_printable_dup("a\x1b" "b", 0);
	assert_non_null(d);
	assert_string_equal(d, "a" FFFD "b");
	free(d);
	d = xb_printable_dup("\x1b\x1b\x1b", 0); /* the worst case: 3 bytes a byte */
	assert_string_equal(d, FFFD FFFD FFFD);
	free(d);
}

static void test_cut_on_character(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'z', sizeof(buf));
	/* 张三李 is 9 bytes: 7 fit two characters, never half of the third */
	xb_printable("张三李", 0, buf, sizeof(buf));
	assert_string_equal(buf, "张三");
	xb_printable("ab\x1b\x1b", 0, buf, 6);
	assert_string_equal(buf, "ab" FFFD);
	char one[1] = { 'z' };
	xb_printable("abc", 0, one, 1);
	assert_int_equal(one[0], '\0');
	assert_null(xb_printable("abc", 0, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls_replaced),
		cmocka_unit_test(test_bidi_and_invisible_replaced),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_good_text_untouched),
		cmocka_unit_test(test_cut_on_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
