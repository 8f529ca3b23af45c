/* test_status.c - the error buffer: a message too long for it is cut at
 * a whole character, so a terminal and JSON can take it. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "../common/status.h"

/* A long value quoted after 0 to 3 ASCII bytes, in characters of 2, 3 and
 * 4 bytes: every way the end of the buffer can fall inside one. Found by
 * fuzz/fuzz_fields: "There is no field "a二二..."" ended in half a 二. */
static void test_cut_at_whole_character(void **state)
{
	(void)state;
	static const char *const chars[] = { "é", "二", "𠀀" };
	struct xb_error err;
	char value[1200];
	for (size_t c = 0; c < 3; c++) {
		size_t w = strlen(chars[c]);
		for (size_t shift = 0; shift < 4; shift++) {
			memset(value, 'a', shift);
			size_t n = shift;
			while (n + w < sizeof(value)) {
				memcpy(value + n, chars[c], w);
				n += w;
			}
			value[n] = '\0';
			xb_fail_field(&err, XB_EINVAL, value, "There is no field \"%s\".",
				      value);
			assert_int_equal(err.code, XB_EINVAL);
			assert_true(tu_utf8_whole(err.msg));
			assert_true(tu_utf8_whole(err.field));
			/* cut by less than a character */
			assert_true(strlen(err.msg) > sizeof(err.msg) - 1 - w);
			assert_true(strlen(err.field) > sizeof(err.field) - 1 - w);
		}
	}
}

/* What fits is left whole, even where it is not UTF-8 (a typed key). */
static void test_fits_unchanged(void **state)
{
	(void)state;
	struct xb_error err;
	xb_fail_field(&err, XB_EINVAL, "name", "%s: \xe4\xba is not text.", "姓名");
	assert_string_equal(err.field, "name");
	assert_string_equal(err.msg, "姓名: \xe4\xba is not text.");
	xb_fail(&err, XB_EFAIL, "Out of memory.");
	assert_string_equal(err.field, "");
	assert_int_equal(err.code, XB_EFAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_at_whole_character),
		cmocka_unit_test(test_fits_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
