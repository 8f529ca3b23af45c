/* test_idnum.c - ID numbers (GB 11643-1999), MOD 11-2 and case numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../forms/forms.h"

#define TODAY TU_TODAY

/* The check character by the table of the standard: weights written out,
 * remainder mapped through "10X98765432". Independent of form_mod11_2. */
static char gb_check(const char *d17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
				   7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* An 18-character number from 17 digits and the right check character. */
static void make_id(const char *d17, char out[19])
{
	memcpy(out, d17, 17);
	out[17] = gb_check(d17);
	out[18] = '\0';
}

/* The standard's worked example is valid; a lower-case x is stored as X. */
static void test_worked_example(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	char out[19];

	assert_int_equal(form_mod11_2("11010519491231002", 17), 'X');
	assert_int_equal(form_idnum_check("11010519491231002X", TODAY, out, &err),
			 XB_OK);
	assert_string_equal(out, "11010519491231002X");
	assert_int_equal(form_idnum_check("11010519491231002x", TODAY, out, &err),
			 XB_OK);
	assert_string_equal(out, "11010519491231002X");
	assert_int_equal(form_idnum_check("  11010519491231002x ", TODAY, out,
					  &err),
			 XB_OK);
	assert_string_equal(out, "11010519491231002X");
}

/* form_mod11_2 agrees with the standard's weight table on many numbers. */
static void test_mod11_matches_standard_table(void **state)
{
	(void)state;
	unsigned long x = 12345;
	char d[18];
	int seen_x = 0;
	for (int n = 0; n < 2000; n++) {
		for (int i = 0; i < 17; i++) {
			x = x * 1103515245UL + 12345UL;
			d[i] = (char)('0' + (x >> 16) % 10);
		}
		d[17] = '\0';
		assert_int_equal(form_mod11_2(d, 17), gb_check(d));
		seen_x |= gb_check(d) == 'X';
	}
	assert_true(seen_x);
	assert_int_equal(form_mod11_2("12a4", 4), '\0');
}

/* Each wrong number is refused with its own reason. */
static void test_refusals(void **state)
{
	(void)state;
	char feb30[19], feb29[19], leap29[19], future[19], born_today[19];
	char old[19], bad_prov[19], wrong[19], good[19];
	make_id("22022120150230123", feb30);
	make_id("22022120150229123", feb29);
	make_id("22022120160229123", leap29);
	make_id("22022120261130123", future);
	make_id("22022120261129123", born_today);
	make_id("22022118991231123", old);
	make_id("99022120150308123", bad_prov);
	make_id("22022120150308123", good);
	strcpy(wrong, good);
	wrong[17] = wrong[17] == '0' ? '1' : '0';

	const struct {
		const char *in;
		const char *why;
	} cases[] = {
		{ "", "empty" },
		{ "110105491231002", "old 15-digit" },
		{ "11010519491231002", "18 characters; this one has 17" },
		{ "11010519491231002X1", "18 characters; this one has 19" },
		{ "1101051949123A002X", "Character 14 of the ID number is not" },
		{ "11010519491231002Y", "last character" },
		{ "１1010519491231002X", "only digits" },
		{ bad_prov, "no province 99" },
		{ feb30, "2015-02-30 is not a date in the calendar" },
		{ feb29, "2015-02-29 is not a date in the calendar" },
		{ future, "2026-11-30 is after today" },
		{ old, "before 1900" },
		{ wrong, "check character is wrong" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xb_error err = { 0 };
		char out[19] = "untouched";
		int rc = form_idnum_check(cases[i].in, TODAY, out, &err);
		if (rc != XB_EINVAL)
			fail_msg("%s accepted", cases[i].in);
		assert_string_equal(out, "");
		assert_msg_has(err, cases[i].why);
	}

	struct xb_error err = { 0 };
	char out[19];
	assert_int_equal(form_idnum_check(leap29, TODAY, out, &err), XB_OK);
	assert_int_equal(form_idnum_check(born_today, TODAY, out, &err), XB_OK);
	assert_int_equal(form_idnum_check(good, TODAY, out, &err), XB_OK);

	/* the wrong check character names the right one */
	char expect[64];
	assert_int_equal(form_idnum_check(wrong, TODAY, out, &err), XB_EINVAL);
	snprintf(expect, sizeof(expect), "expected %c, got %c", good[17],
		 wrong[17]);
	assert_msg_has(err, expect);
}

/* Case numbers carry the check character of the 14 digits. */
static void test_case_number_make(void **state)
{
	(void)state;
	const unsigned serials[] = { 1, 8, 42, 99999 };
	int seen_x = 0;
	for (size_t i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		char buf[32], d14[15], want[32];
		snprintf(d14, sizeof(d14), "220221100%05u", serials[i]);
		snprintf(want, sizeof(want), "220221100-%05u-%c", serials[i],
			 tu_case_check(d14));
		assert_int_equal(form_case_number("220221100", serials[i], buf,
						  sizeof(buf)),
				 XB_OK);
		assert_string_equal(buf, want);
		assert_int_equal(form_case_check(buf, NULL), XB_OK);
		seen_x |= want[16] == 'X';
	}
	assert_true(seen_x);

	char buf[32];
	assert_int_equal(form_case_number("220221100", 0, buf, sizeof(buf)),
			 XB_EINVAL);
	assert_int_equal(form_case_number("220221100", 100000, buf, sizeof(buf)),
			 XB_EINVAL);
	assert_int_equal(form_case_number("22022110", 1, buf, sizeof(buf)),
			 XB_EINVAL);
	assert_int_equal(form_case_number("22022110a", 1, buf, sizeof(buf)),
			 XB_EINVAL);
	assert_int_equal(form_case_number("220221100", 1, buf, 17), XB_EINVAL);
}

/* Every one-digit typo and every swap of adjacent different digits is
 * caught; a bad form gets a message of its own. */
static void test_case_number_check(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	char good[32];
	assert_int_equal(form_case_number("220221100", 4271, good, sizeof(good)),
			 XB_OK);
	assert_int_equal(form_case_check(good, &err), XB_OK);

	/* positions of the 14 digits in TTTTTTTTT-SSSSS-C */
	int pos[14];
	for (int i = 0; i < 14; i++)
		pos[i] = i < 9 ? i : i + 1;

	for (int i = 0; i < 14; i++) {
		for (char c = '0'; c <= '9'; c++) {
			char typo[32];
			strcpy(typo, good);
			if (typo[pos[i]] == c)
				continue;
			typo[pos[i]] = c;
			if (form_case_check(typo, &err) != XB_EINVAL)
				fail_msg("typo %s accepted", typo);
		}
	}
	assert_int_equal(form_case_check("220221100-00042-7", &err), XB_EINVAL);
	assert_msg_has(err, "does not add up");

	for (int i = 0; i + 1 < 14; i++) {
		char swap[32];
		strcpy(swap, good);
		char a = swap[pos[i]], b = swap[pos[i + 1]];
		if (a == b)
			continue;
		swap[pos[i]] = b;
		swap[pos[i + 1]] = a;
		if (form_case_check(swap, &err) != XB_EINVAL)
			fail_msg("transposition %s accepted", swap);
		assert_msg_has(err, "does not add up");
	}

	const char *bad_form[] = {
		"",
		"22022110000042" "6",
		"22022110-000042-6",
		"220221100-0042-6",
		"220221100-00042-A",
		"220221100-00042-66",
		"220221100 00042 6",
	};
	for (size_t i = 0; i < sizeof(bad_form) / sizeof(bad_form[0]); i++) {
		assert_int_equal(form_case_check(bad_form[i], &err), XB_EINVAL);
		if (*bad_form[i] != '\0')
			assert_msg_has(err, "9 digits, a dash");
	}

	/* a lower-case x is the same as X */
	char with_x[32];
	assert_int_equal(form_case_number("220221100", 8, with_x, sizeof(with_x)),
			 XB_OK);
	assert_int_equal(with_x[16], 'X');
	with_x[16] = 'x';
	assert_int_equal(form_case_check(with_x, &err), XB_OK);
}

/* Runs every test with the clock pinned to TODAY. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_worked_example, tu_setup_english),
		cmocka_unit_test_setup(test_mod11_matches_standard_table, tu_setup_english),
		cmocka_unit_test_setup(test_refusals, tu_setup_english),
		cmocka_unit_test_setup(test_case_number_make, tu_setup_english),
		cmocka_unit_test_setup(test_case_number_check, tu_setup_english),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
