/* test_derive.c - birth date, sex, age, left-behind type, flags and pinyin
 * initials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../forms/forms.h"

#define TODAY TU_TODAY

/* Birth date and sex come from the ID number. */
static void test_idnum_birth_sex(void **state)
{
	(void)state;
	char birth[11];
	form_idnum_birth("11010519491231002X", birth);
	assert_string_equal(birth, "1949-12-31");
	assert_string_equal(form_idnum_sex("11010519491231002X"), "F");
	form_idnum_birth("220221201503081231", birth);
	assert_string_equal(birth, "2015-03-08");
	assert_string_equal(form_idnum_sex("220221201503081231"), "M");
	assert_null(form_idnum_sex("2202212015"));
	form_idnum_birth("2202", birth);
	assert_string_equal(birth, "");
}

/* Full years, the birthday itself counting, 29 February on 1 March. */
static void test_age(void **state)
{
	(void)state;
	assert_int_equal(form_age("2010-11-29", TODAY), 16);
	assert_int_equal(form_age("2010-11-30", TODAY), 15);
	assert_int_equal(form_age("2010-11-28", TODAY), 16);
	assert_int_equal(form_age("2012-02-29", "2026-02-28"), 13);
	assert_int_equal(form_age("2012-02-29", "2026-03-01"), 14);
	assert_int_equal(form_age("2012-02-29", "2028-02-28"), 15);
	assert_int_equal(form_age("2012-02-29", "2028-02-29"), 16);
	assert_int_equal(form_age(TODAY, TODAY), 0);
	assert_int_equal(form_age("2026-11-30", TODAY), -1);
	assert_int_equal(form_age("2015-02-30", TODAY), -1);
	assert_int_equal(form_age("", TODAY), -1);
	assert_int_equal(form_age(NULL, TODAY), -1);
}

/* The policy's definition, row by row. */
static void test_left_behind_type(void **state)
{
	(void)state;
	const struct {
		const char *fs, *fc, *ms, *mc, *want;
	} rows[] = {
		{ "away", NULL, "away", NULL, "both_away" },
		{ "away", "good", "away", "none", "both_away" },
		{ "away", NULL, "home", "none", "one_away_other_incapable" },
		{ "home", "none", "away", NULL, "one_away_other_incapable" },
		{ "away", NULL, "deceased", NULL, "one_away_other_incapable" },
		{ "missing", NULL, "away", "good", "one_away_other_incapable" },
		{ "away", NULL, "home", "good", "not_left_behind" },
		{ "away", NULL, "home", "weak", "not_left_behind" },
		{ "away", NULL, "home", NULL, "not_left_behind" },
		{ "away", NULL, "unknown", NULL, "not_left_behind" },
		{ "home", NULL, "home", "none", "not_left_behind" },
		{ "deceased", NULL, "missing", NULL, "not_left_behind" },
		{ NULL, NULL, NULL, NULL, "not_left_behind" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct store_record *r = store_record_new(STORE_CHILD);
		store_record_set(r, FK_father_status, rows[i].fs);
		store_record_set(r, FK_father_capable, rows[i].fc);
		store_record_set(r, FK_mother_status, rows[i].ms);
		store_record_set(r, FK_mother_capable, rows[i].mc);
		const char *got = form_left_behind_type(r);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: %s, want %s", i, got, rows[i].want);
		store_record_free(&r);
	}
}

/* An active both-away child in school with a guardian, born on birth. */
static struct store_record *child(const char *birth)
{
	struct store_record *r = store_record_new(STORE_CHILD);
	assert_non_null(r);
	store_record_set(r, FK_birth_date, birth);
	store_record_set(r, FK_father_status, "away");
	store_record_set(r, FK_mother_status, "away");
	store_record_set(r, FK_guardian_relation, "grandparent");
	store_record_set(r, FK_enrolment, "in_school");
	store_record_set(r, FK_status, "active");
	return r;
}

/* Flags of one child born on birth, with a field set to a value. */
static unsigned flags_of(const char *birth, const char *key, const char *value)
{
	struct store_record *r = child(birth);
	if (key != NULL)
		store_record_set(r, key, value);
	unsigned f = form_child_flags(r, TODAY);
	store_record_free(&r);
	return f;
}

/* Turning 16: 30 days ahead is "soon", 31 is not; 16 today is over age. */
static void test_flags_age(void **state)
{
	(void)state;
	assert_int_equal(flags_of("2015-03-08", NULL, NULL), 0);
	assert_int_equal(flags_of("2010-12-29", NULL, NULL),
			 FORM_FLAG_TURNS16_SOON);
	assert_int_equal(flags_of("2010-12-30", NULL, NULL), 0);
	assert_int_equal(flags_of("2010-11-30", NULL, NULL),
			 FORM_FLAG_TURNS16_SOON);
	assert_int_equal(flags_of("2010-11-29", NULL, NULL), FORM_FLAG_OVER_AGE);
	assert_int_equal(flags_of("2001-01-01", NULL, NULL), FORM_FLAG_OVER_AGE);
	/* a child who left the ledger is not coming up */
	assert_int_equal(flags_of("2010-12-29", FK_status, "exited"), 0);
	assert_int_equal(flags_of("2010-11-29", FK_status, "exited"),
			 FORM_FLAG_OVER_AGE);
	/* no birth date, no age flags */
	assert_int_equal(flags_of("", NULL, NULL), 0);
}

/* 29 February birthdays turn 16 on 1 March in common years. */
static void test_flags_feb29(void **state)
{
	(void)state;
	/* born 2012-02-29: 16 on 2028-02-29, a leap day */
	struct store_record *r = child("2012-02-29");
	assert_int_equal(form_child_flags(r, "2028-01-30"),
			 FORM_FLAG_TURNS16_SOON);
	assert_int_equal(form_child_flags(r, "2028-01-29"), 0);
	assert_int_equal(form_child_flags(r, "2028-02-29"), FORM_FLAG_OVER_AGE);
	store_record_free(&r);
	/* born 2084-02-29: 2100 is no leap year, so 16 on 2100-03-01 */
	r = child("2084-02-29");
	assert_int_equal(form_child_flags(r, "2100-02-28"),
			 FORM_FLAG_TURNS16_SOON);
	assert_int_equal(form_child_flags(r, "2100-03-01"), FORM_FLAG_OVER_AGE);
	assert_int_equal(form_age("2084-02-29", "2100-02-28"), 15);
	store_record_free(&r);
}

/* The other flags, one by one. */
static void test_flags_other(void **state)
{
	(void)state;
	const char *b = "2015-03-08";
	assert_int_equal(flags_of(b, FK_guardian_relation, "none"),
			 FORM_FLAG_UNSUPERVISED);
	assert_int_equal(flags_of(b, FK_mother_status, "home"),
			 FORM_FLAG_NOT_LEFT_BEHIND);
	assert_int_equal(flags_of(b, FK_no_hukou, "yes"), FORM_FLAG_NO_HUKOU);
	assert_int_equal(flags_of(b, FK_no_hukou, "no"), 0);
	assert_int_equal(flags_of(b, FK_enrolment, "dropped_out"),
			 FORM_FLAG_OUT_OF_SCHOOL);
	assert_int_equal(flags_of(b, FK_enrolment, "never_enrolled"),
			 FORM_FLAG_OUT_OF_SCHOOL);
	assert_int_equal(flags_of(b, FK_enrolment, "preschool"), 0);
	assert_int_equal(flags_of(b, FK_next_visit_due, "2026-11-28"),
			 FORM_FLAG_VISIT_OVERDUE);
	assert_int_equal(flags_of(b, FK_next_visit_due, TODAY), 0);
	assert_int_equal(flags_of(b, FK_next_visit_due, "2026-12-01"), 0);

	struct store_record *r = child(b);
	store_record_set(r, FK_status, "exited");
	store_record_set(r, FK_next_visit_due, "2026-11-01");
	store_record_set(r, FK_guardian_relation, "none");
	assert_int_equal(form_child_flags(r, TODAY), FORM_FLAG_UNSUPERVISED);
	store_record_free(&r);
}

/* Flag labels in English and Chinese. */
static void test_flag_labels(void **state)
{
	(void)state;
	assert_string_equal(form_flag_label(FORM_FLAG_UNSUPERVISED),
			    "unsupervised");
	assert_string_equal(form_flag_label(FORM_FLAG_TURNS16_SOON),
			    "turns 16 within 30 days");
	assert_string_equal(form_flag_label(1u << FORM_FLAG_COUNT), "");
	for (unsigned i = 0; i < FORM_FLAG_COUNT; i++)
		assert_true(*form_flag_label(1u << i) != '\0');
	setenv("LC_ALL", "zh_CN.UTF-8", 1);
	assert_string_equal(form_flag_label(FORM_FLAG_UNSUPERVISED), "无人监护");
	assert_string_equal(form_flag_label(FORM_FLAG_VISIT_OVERDUE), "走访逾期");
	unsetenv("LC_ALL");
}

/* form_derive fills birth date, sex, type and initials of a child. */
static void test_derive_record(void **state)
{
	(void)state;
	struct store_record *r = store_record_new(STORE_CHILD);
	store_record_set(r, FK_name, "欧阳娜娜");
	store_record_set(r, FK_id_number, "220221201503081231");
	store_record_set(r, FK_father_status, "away");
	store_record_set(r, FK_mother_status, "home");
	store_record_set(r, FK_mother_capable, "none");
	assert_int_equal(form_derive(r), XB_OK);
	assert_string_equal(store_record_get(r, FK_birth_date), "2015-03-08");
	assert_string_equal(store_record_get(r, FK_sex), "M");
	assert_string_equal(store_record_get(r, FK_left_behind_type),
			    "one_away_other_incapable");
	assert_string_equal(store_record_get(r, FK_name_py), "oynn");

	/* a wrong ID number gives nothing; no name, no initials */
	store_record_set(r, FK_birth_date, NULL);
	store_record_set(r, FK_sex, NULL);
	store_record_set(r, FK_id_number, "220221201503081232");
	store_record_set(r, FK_name, NULL);
	assert_int_equal(form_derive(r), XB_OK);
	assert_null(store_record_get(r, FK_birth_date));
	assert_null(store_record_get(r, FK_sex));
	assert_null(store_record_get(r, FK_name_py));
	store_record_free(&r);

	r = store_record_new(STORE_VISIT);
	store_record_set(r, FK_visitor, "张三");
	assert_int_equal(form_derive(r), XB_OK);
	assert_int_equal(r->nfields, 1);
	store_record_free(&r);
}

/* The initials of s. */
static void assert_initials(const char *s, const char *want)
{
	char out[64];
	assert_int_equal(form_pinyin_initials(s, out, sizeof(out)), XB_OK);
	if (strcmp(out, want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", s, out, want);
}

/* Names to the initials a clerk types. */
static void test_pinyin(void **state)
{
	(void)state;
	assert_initials("张三", "zs");
	assert_initials("王小明", "wxm");
	assert_initials("欧阳娜娜", "oynn");
	assert_initials("", "");
	assert_initials(NULL, "");

	/* the commonest surnames, level 1 of GB2312 */
	const char *surnames = "张王李刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁";
	assert_initials(surnames, "zwllcyzhzwxsmzhghgllzl");

	/* the first and the last character of each initial in GB2312 level
	 * 1, and the last of level 1 */
	assert_initials("啊芭擦搭蛾发噶哈击喀垃妈拿哦啪期然撒塌挖昔压匝",
			"abcdefghjklmnopqrstwxyz");
	assert_initials("澳怖错堕贰咐过祸骏阔络穆诺沤瀑群弱所唾误迅孕座",
			"abcdefghjklmnopqrstwxyz");

	/* level-2 characters common in names */
	assert_initials("陈璐", "cl");
	assert_initials("李梓萱", "lzx");
	assert_initials("刘昊睿", "lhr");
	assert_initials("王婷琪", "wtq");

	/* surnames read otherwise than GB2312 files them, at the start only */
	assert_initials("单雄信", "sxx");
	assert_initials("孙单", "sd");
	assert_initials("解放", "xf");

	/* ASCII kept lower-cased; punctuation and unknown characters skipped */
	assert_initials("李Lei2", "llei2");
	assert_initials("阿依古丽·买买提", "ayglmmt");
	assert_initials("王玥", "w");
	assert_initials("Zhang San", "zhangsan");
}

/* Broken input never crashes and loses only the broken bytes. */
static void test_pinyin_bad_input(void **state)
{
	(void)state;
	assert_initials("张\xff三", "zs");
	assert_initials("\x80\x80王", "w");
	assert_initials("张\xe5\xbc", "z");
	assert_initials("张\xC0\xAF三", "zs");
	assert_initials("\xED\xA0\x80李", "l");

	char small[3];
	assert_int_equal(form_pinyin_initials("王小明", small, sizeof(small)),
			 XB_EINVAL);
	assert_string_equal(small, "wx");
	assert_int_equal(form_pinyin_initials("王", NULL, 0), XB_EINVAL);
}

/* Runs every test with the clock pinned to TODAY. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_idnum_birth_sex, tu_setup_english),
		cmocka_unit_test_setup(test_age, tu_setup_english),
		cmocka_unit_test_setup(test_left_behind_type, tu_setup_english),
		cmocka_unit_test_setup(test_flags_age, tu_setup_english),
		cmocka_unit_test_setup(test_flags_feb29, tu_setup_english),
		cmocka_unit_test_setup(test_flags_other, tu_setup_english),
		cmocka_unit_test_setup(test_flag_labels, tu_setup_english),
		cmocka_unit_test_setup(test_derive_record, tu_setup_english),
		cmocka_unit_test_setup(test_pinyin, tu_setup_english),
		cmocka_unit_test_setup(test_pinyin_bad_input, tu_setup_english),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
