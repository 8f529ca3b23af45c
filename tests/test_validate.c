/* test_validate.c - values by type and whole records with their rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../forms/forms.h"

#define TODAY TU_TODAY
/* a girl born 2015-03-08 in Yongji county, Jilin */
#define CHILD_ID "220221201503081223"

/* The field of a kind, which must exist. */
static const struct form_field *field(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	if (f == NULL)
		fail_msg("no field %s", key);
	return f;
}


/* Mobile and landline numbers in their stored spelling; others refused. */
static void test_phone(void **state)
{
	(void)state;
	const struct form_field *f = field(STORE_CHILD, FK_guardian_phone);
	tu_accepts(f, "13812345678", "13812345678");
	tu_accepts(f, " 138 1234 5678 ", "13812345678");
	tu_accepts(f, "138-1234-5678", "13812345678");
	tu_accepts(f, "19912345678", "19912345678");
	tu_accepts(f, "0432-62345678", "0432-62345678");
	tu_accepts(f, "043262345678", "0432-62345678");
	tu_accepts(f, "(0432)62345678", "0432-62345678");
	tu_accepts(f, "(0432) 6234 5678", "0432-62345678");
	tu_accepts(f, "0432 6234567", "0432-6234567");
	tu_accepts(f, "01062345678", "010-62345678");
	tu_accepts(f, "021-87654321", "021-87654321");
	tu_accepts(f, "", "");

	const char *bad[] = {
		"12812345678",      /* no mobile starts 12 */
		"1381234567",       /* 10 digits */
		"138123456789",     /* 12 digits */
		"62345678",         /* no area code */
		"0432-62345678-123",/* extension */
		"0432-62345678转123",
		"043-262345678",    /* area code cut wrongly */
		"(138)12345678",
		"+8613812345678",
		"0432-0234567",     /* local number cannot start with 0 */
		"011-62345678",     /* no such area code */
		"0432-",
		"-13812345678",
		"phone",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tu_refuses(f, bad[i], "landline with its area code");
}

/* Dates are real, not in the future unless the field allows it, not
 * before 1900; date and time as typed. */
static void test_dates(void **state)
{
	(void)state;
	const struct form_field *birth = field(STORE_CHILD, FK_birth_date);
	tu_accepts(birth, "2015-03-08", "2015-03-08");
	tu_accepts(birth, "2016-02-29", "2016-02-29");
	tu_accepts(birth, TODAY, TODAY);
	/* the other ways offices write a date (tests/test_words.c) */
	tu_accepts(birth, "2015-3-8", "2015-03-08");
	tu_accepts(birth, "2015/03/08", "2015-03-08");
	tu_refuses(birth, "2015-3-8x", "YYYY-MM-DD");
	tu_refuses(birth, "08/03/2015", "YYYY-MM-DD");
	tu_refuses(birth, "2015-02-29", "not a date in the calendar");
	tu_refuses(birth, "2015-04-31", "not a date in the calendar");
	tu_refuses(birth, "2015-13-01", "not a date in the calendar");
	tu_refuses(birth, "2026-11-30", "after today");
	tu_refuses(birth, "1899-12-31", "before 1900");

	const struct form_field *due = field(STORE_CHILD, FK_next_visit_due);
	assert_true(due->flags & FORM_FUTURE);
	tu_accepts(due, "2027-01-05", "2027-01-05");
	tu_refuses(due, "1899-12-31", "before 1900");

	const struct form_field *found = field(STORE_REPORT, FK_found_at);
	tu_accepts(found, "2026-11-29 23:59", "2026-11-29 23:59");
	tu_accepts(found, "2026-11-29T08:05", "2026-11-29 08:05");
	tu_accepts(found, "2026-11-02", "2026-11-02");
	tu_refuses(found, "2026-11-30 00:00", "after today");
	tu_refuses(found, "2026-11-29 24:00", "not a time of day");
	tu_refuses(found, "2026-11-29 08:60", "not a time of day");
	tu_accepts(found, "2026-11-29 8:05", "2026-11-29 08:05");
	tu_refuses(found, "2026-11-29 at 8", "YYYY-MM-DD HH:MM");
	tu_refuses(found, "2026-02-30 08:00", "not a date in the calendar");

	int y, m, d;
	assert_int_equal(form_parse_date("2000-02-29", &y, &m, &d), 0);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(form_parse_date("2100-02-29", NULL, NULL, NULL), -1);
	assert_int_equal(form_parse_date(" 2015-01-01", NULL, NULL, NULL), -1);
	assert_int_equal(form_parse_date("2015-01-01x", NULL, NULL, NULL), -1);
	assert_int_equal(form_parse_date("2015-00-10", NULL, NULL, NULL), -1);
	assert_int_equal(form_parse_date("2015-01-00", NULL, NULL, NULL), -1);
}

/* Text must be clean UTF-8; lengths count characters, not bytes. */
static void test_text(void **state)
{
	(void)state;
	size_t n = 0;
	assert_int_equal(form_check_text("张三 Li", 0, &n), XB_OK);
	assert_int_equal(n, 5);

	const char *broken[] = {
		"\xC0\xAF",         /* overlong '/' */
		"\xE0\x80\xAF",     /* overlong, three bytes */
		"\xED\xA0\x80",     /* surrogate */
		"\xF4\x90\x80\x80", /* beyond U+10FFFF */
		"ab\xE5\xBC",       /* cut short */
		"\x80",             /* stray continuation byte */
		"\xFF",
		"\xC7\xEB",         /* GBK, not UTF-8 */
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		assert_int_equal(form_check_text(broken[i], 1, NULL), XB_EINVAL);
		tu_refuses(field(STORE_CHILD, FK_name), broken[i], "not valid UTF-8");
	}

	assert_int_equal(form_check_text("a\x01z", 1, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\x7Fz", 1, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\xC2\x85z", 1, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\rz", 1, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\tz", 0, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\nz", 0, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\tz\nb", 1, &n), XB_OK);
	assert_int_equal(n, 5);

	const struct form_field *name = field(STORE_CHILD, FK_name);
	const struct form_field *notes = field(STORE_CHILD, FK_notes);
	tu_refuses(name, "张\n三", "one line");
	tu_refuses(name, "张\x1b[2J三", "control character (U+001B)");
	tu_refuses(name, "张\xC2\x9B三", "control character (U+009B)");
	tu_refuses(notes, "line\r\nline", "control character (U+000D)");
	/* bidi overrides, isolates and marks reorder what is shown;
	 * zero-width characters show nothing: refused in every text */
	tu_refuses(name, "张\xE2\x80\xAE三", "writing direction (U+202E)");
	tu_refuses(name, "张\xE2\x81\xA6三", "writing direction (U+2066)");
	tu_refuses(name, "张\xE2\x80\x8F三", "writing direction (U+200F)");
	tu_refuses(name, "张\xE2\x80\x8B三", "invisible character (U+200B)");
	tu_refuses(name, "张\xE2\x80\x8D三", "invisible character (U+200D)");
	tu_refuses(name, "\xEF\xBB\xBF张三", "invisible character (U+FEFF)");
	tu_refuses(field(STORE_CHILD, FK_guardian_name), "李\xE2\x80\xAB桂兰",
		"writing direction (U+202B)");
	tu_refuses(field(STORE_VISIT, FK_visitor), "李\xE2\x81\xA0主任", "invisible");
	tu_refuses(field(STORE_OFFICE, FK_name), "口前镇\xE2\x80\xAD", "writing direction");
	tu_refuses(field(STORE_USER, FK_name), "clerk\xE2\x80\x8C", "invisible");
	tu_refuses(notes, "ok\n\xE2\x80\xAE" "evil", "writing direction (U+202E)");
	assert_int_equal(form_check_text("a\xE2\x80\xAEz", 1, NULL), XB_EINVAL);
	assert_int_equal(form_check_text("a\xE2\x80\x8Bz", 1, NULL), XB_EINVAL);
	tu_accepts(field(STORE_OFFICE, FK_name), "永吉县示范镇(演示)", "永吉县示范镇(演示)");
	tu_accepts(name, "阿依古丽·买买提", "阿依古丽·买买提");
	tu_accepts(notes, "first line\n\tsecond", "first line\n\tsecond");
	tu_accepts(name, "  张三  ", "张三");
	tu_accepts(name, "   ", "");
	tu_accepts(name, NULL, "");

	char thirty[100] = "", thirty_one[128];
	for (int i = 0; i < 30; i++)
		strcat(thirty, "张");
	snprintf(thirty_one, sizeof(thirty_one), "%s张", thirty);
	assert_int_equal(name->maxlen, 30);
	tu_accepts(name, thirty, thirty);
	tu_refuses(name, thirty_one, "at most 30 characters; this has 31");
}

/* Choices by code, Chinese or English label; the refusal lists them in
 * the user's language. */
static void test_choices(void **state)
{
	(void)state;
	const struct form_field *sex = field(STORE_CHILD, FK_sex);
	tu_accepts(sex, "M", "M");
	tu_accepts(sex, "m", "M");
	tu_accepts(sex, "女", "F");
	tu_accepts(sex, "female", "F");
	tu_accepts(sex, "FEMALE", "F");
	tu_refuses(sex, "x", "choose one of male / female");

	const struct form_field *rel = field(STORE_CHILD, FK_guardian_relation);
	tu_accepts(rel, "祖父母/外祖父母", "grandparent");
	tu_accepts(rel, "none", "none");

	setenv("LC_ALL", "zh_CN.UTF-8", 1);
	struct xb_error err = { 0 };
	char *out = NULL;
	assert_int_equal(form_check_value(sex, "x", &out, &err), XB_EINVAL);
	unsetenv("LC_ALL");
	assert_msg_has(err, "性别");
	assert_msg_has(err, "男 / 女");
}

/* Whole numbers, yes/no, division codes, ID and case numbers. */
static void test_other_types(void **state)
{
	(void)state;
	const struct form_field *age = field(STORE_CHILD, FK_guardian_age);
	tu_accepts(age, "68", "68");
	tu_accepts(age, "068", "68");
	tu_refuses(age, "13", "from 14 to 120");
	tu_refuses(age, "121", "from 14 to 120");
	tu_refuses(age, "六十", "whole number");
	tu_accepts(age, "6 8", "68"); /* spaces only group digits */
	tu_refuses(age, "6,8", "whole number");
	tu_refuses(age, "-", "whole number");

	const struct form_field yn = { STORE_CHILD, "test_bool", "测试", "Test",
				       "basic", FORM_BOOL, 0, NULL, 0, 0, 0,
				       NULL, NULL };
	tu_accepts(&yn, "是", "yes");
	tu_accepts(&yn, "TRUE", "yes");
	tu_accepts(&yn, "0", "no");
	tu_accepts(&yn, "否", "no");
	tu_refuses(&yn, "maybe", "yes or no");

	const struct form_field *vc = field(STORE_CHILD, FK_village_code);
	tu_accepts(vc, "220221100201", "220221100201");
	tu_refuses(vc, "22022110020", "12-digit");
	tu_refuses(vc, "22022110020a", "12-digit");
	tu_refuses(vc, "990221100201", "no province 99");

	const struct form_field *id = field(STORE_CHILD, FK_id_number);
	tu_accepts(id, "11010519491231002x", "11010519491231002X");
	tu_refuses(id, "110105194912310021", "check character is wrong");

	const struct form_field *cn = field(STORE_VISIT, FK_case_no);
	tu_accepts(cn, "220221100-00042-6", "220221100-00042-6");
	tu_accepts(cn, "220221100-00008-x", "220221100-00008-X");
	tu_refuses(cn, "220221100-00042-7", "does not add up");
	tu_refuses(cn, "42", "9 digits, a dash");

	const struct form_field *rid = field(STORE_STEP, FK_report_id);
	tu_accepts(rid, "220221100-00042-6/r1", "220221100-00042-6/r1");
	tu_refuses(rid, "r\x01", "control character");
}

/* A child that passes every rule. */
static struct store_record *child(void)
{
	struct store_record *r = store_record_new(STORE_CHILD);
	assert_non_null(r);
	store_record_set(r, FK_name, "王小红");
	store_record_set(r, FK_id_number, CHILD_ID);
	store_record_set(r, FK_village_code, "220221100201");
	store_record_set(r, FK_village, "前进村");
	store_record_set(r, FK_father_status, "away");
	store_record_set(r, FK_mother_status, "away");
	store_record_set(r, FK_guardian_relation, "grandparent");
	store_record_set(r, FK_guardian_name, "王德福");
	store_record_set(r, FK_guardian_phone, "138 1234 5678");
	store_record_set(r, FK_enrolment, "in_school");
	return r;
}

/* Checks rec and expects a refusal naming `key` with `why`. */
static void record_refused(struct store_record *rec, const char *key,
			   const char *why)
{
	struct xb_error err = { 0 };
	if (form_check_record(rec, TODAY, &err) != XB_EINVAL)
		fail_msg("record accepted; expected \"%s\"", why);
	assert_string_equal(err.field, key);
	assert_msg_has(err, why);
}

/* A good child is normalised and completed. */
static void test_record_good(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	struct store_record *r = child();
	if (form_check_record(r, TODAY, &err) != XB_OK)
		fail_msg("refused: %s", err.msg);
	assert_string_equal(store_record_get(r, FK_birth_date), "2015-03-08");
	assert_string_equal(store_record_get(r, FK_sex), "F");
	assert_string_equal(store_record_get(r, FK_guardian_phone), "13812345678");
	assert_string_equal(store_record_get(r, FK_left_behind_type), "both_away");
	assert_string_equal(store_record_get(r, FK_name_py), "wxh");
	store_record_free(&r);

	/* Chinese labels are turned into codes */
	r = child();
	store_record_set(r, FK_father_status, "在家");
	store_record_set(r, FK_mother_status, "外出务工");
	store_record_set(r, FK_father_capable, "无监护能力");
	if (form_check_record(r, TODAY, &err) != XB_OK)
		fail_msg("refused: %s", err.msg);
	assert_string_equal(store_record_get(r, FK_father_status), "home");
	assert_string_equal(store_record_get(r, FK_left_behind_type),
			    "one_away_other_incapable");
	store_record_free(&r);
}

/* A record is normalised whole: a blank field goes, and the values after
 * it (in the record and in the schema) are still normalised, each under
 * its own key. */
static void test_record_normalised_whole(void **state)
{
	(void)state;
	struct store_record *r = child();
	/* the father's phone (blank) before the guardian's in the record */
	store_record_set(r, FK_guardian_phone, NULL);
	store_record_set(r, FK_father_phone, " ");
	store_record_set(r, FK_guardian_phone, "138 1234 5678");
	store_record_set(r, FK_notes, " 已核实 ");
	struct xb_error err = { 0 };
	int rc = form_check_record(r, TODAY, &err);
	if (rc != XB_OK)
		fail_msg("refused: %s", err.msg);
	assert_null(store_record_get(r, FK_father_phone));
	assert_string_equal(store_record_get(r, FK_guardian_phone), "13812345678");
	assert_string_equal(store_record_get(r, FK_notes), "已核实");
	assert_string_equal(store_record_get(r, FK_birth_date), "2015-03-08");
	store_record_free(&r);
}

/* Unknown fields, missing required ones, bad values name the field. */
static void test_record_fields(void **state)
{
	(void)state;
	struct store_record *r = child();
	store_record_set(r, "nickname", "小红");
	record_refused(r, "nickname", "Unknown field nickname");
	store_record_free(&r);

	r = child();
	store_record_set(r, FK_village, NULL);
	record_refused(r, FK_village, "Village is required.");
	store_record_free(&r);

	r = child();
	store_record_set(r, FK_village, "   ");
	record_refused(r, FK_village, "Village is required.");
	store_record_free(&r);

	r = child();
	store_record_set(r, FK_mother_phone, "12345");
	record_refused(r, FK_mother_phone, "Mother's phone: ");
	store_record_free(&r);

	/* without an ID number, birth date and sex must be typed */
	r = child();
	store_record_set(r, FK_id_number, NULL);
	record_refused(r, FK_sex, "Sex is required.");
	store_record_set(r, FK_sex, "女");
	record_refused(r, FK_birth_date, "Date of birth is required.");
	store_record_set(r, FK_birth_date, "2015-03-08");
	struct xb_error err = { 0 };
	assert_int_equal(form_check_record(r, TODAY, &err), XB_OK);
	store_record_free(&r);

	/* a visit belongs to a case */
	r = store_record_new(STORE_VISIT);
	store_record_set(r, FK_date, "2026-11-20");
	store_record_set(r, FK_visitor, "李明");
	store_record_set(r, FK_kind, "home");
	record_refused(r, FK_case_no, "Case number is required.");
	store_record_free(&r);
}

/* Typed birth date and sex must agree with the ID number. */
static void test_record_id_mismatch(void **state)
{
	(void)state;
	struct store_record *r = child();
	store_record_set(r, FK_birth_date, "2015-03-09");
	record_refused(r, FK_birth_date,
		       "Date of birth: the ID number says 2015-03-08, not "
		       "2015-03-09.");
	store_record_free(&r);

	r = child();
	store_record_set(r, FK_sex, "男");
	record_refused(r, FK_sex, "Sex: the ID number says female, not male.");
	store_record_free(&r);

	r = child();
	store_record_set(r, FK_birth_date, "2015-03-08");
	store_record_set(r, FK_sex, "F");
	struct xb_error err = { 0 };
	assert_int_equal(form_check_record(r, TODAY, &err), XB_OK);
	store_record_free(&r);
}

/* Leaving the ledger needs a reason and a date, and only then. */
static void test_record_exit(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	struct store_record *r = child();
	store_record_set(r, FK_status, "exited");
	store_record_set(r, FK_exit_reason, "parents_returned");
	record_refused(r, FK_exit_date, "required for a child who has left");
	store_record_set(r, FK_exit_date, "2015-03-01");
	record_refused(r, FK_exit_date, "cannot be earlier than Date of birth");
	store_record_set(r, FK_exit_date, "2026-11-01");
	assert_int_equal(form_check_record(r, TODAY, &err), XB_OK);
	store_record_set(r, FK_exit_reason, NULL);
	record_refused(r, FK_exit_reason, "required for a child who has left");
	store_record_free(&r);

	r = child();
	store_record_set(r, FK_exit_date, "2026-11-01");
	record_refused(r, FK_exit_date, "only for a child who has left");
	store_record_free(&r);
}

/* "none" means no guardian; any other relation names one. */
static void test_record_guardian(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	struct store_record *r = child();
	store_record_set(r, FK_guardian_relation, "无人监护");
	record_refused(r, FK_guardian_name, "no guardian to name");
	store_record_set(r, FK_guardian_name, NULL);
	assert_int_equal(form_check_record(r, TODAY, &err), XB_OK);
	assert_true(form_child_flags(r, TODAY) & FORM_FLAG_UNSUPERVISED);
	store_record_set(r, FK_guardian_relation, "sibling");
	record_refused(r, FK_guardian_name, "Guardian's name is required");
	store_record_free(&r);
}

/* Visits and reports keep their dates in order. */
/* A statistics table from a bundle: its figures are checked before it
 * is stored. */
static void test_record_table(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	struct store_record *t = store_record_new(STORE_TABLE);
	store_record_set(t, FK_period, "2026-10");
	store_record_set(t, FK_from, "2026-10-01");
	store_record_set(t, FK_to, "2026-10-31");
	store_record_set(t, FK_made, "2026-11-02");
	store_record_set(t, FK_figures, "in_ledger=3 visits=2 late_days=2,5");
	assert_int_equal(form_check_record(t, TODAY, &err), XB_OK);
	store_record_set(t, FK_figures, "in_ledger=3 late_days=");
	assert_int_equal(form_check_record(t, TODAY, &err), XB_OK);
	static const char *const bad[] = {
		"in_ledger=3;visits=2", "in_ledger=-3", "in_ledger=", "=3",
		"in_ledger=1234567890123", "Visits=2", "in_ledger=3  visits=2",
		"late_days=2,x", "in_ledger=3 x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		store_record_set(t, FK_figures, bad[i]);
		record_refused(t, FK_figures, "not the figures of a statistics table");
	}
	store_record_free(&t);
}

static void test_record_order(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, "220221100-00042-6");
	store_record_set(v, FK_date, "2026-11-20");
	store_record_set(v, FK_visitor, "李明");
	store_record_set(v, FK_kind, "入户走访");
	store_record_set(v, FK_next_due, "2026-11-19");
	record_refused(v, FK_next_due, "cannot be earlier than");
	store_record_set(v, FK_next_due, "2026-12-20");
	assert_int_equal(form_check_record(v, TODAY, &err), XB_OK);
	assert_string_equal(store_record_get(v, FK_kind), "home");
	store_record_free(&v);

	struct store_record *r = store_record_new(STORE_REPORT);
	store_record_set(r, FK_case_no, "220221100-00042-6");
	store_record_set(r, FK_category, "accidental_injury");
	store_record_set(r, FK_found_at, "2026-11-20 09:30");
	store_record_set(r, FK_found_by, "张老师");
	store_record_set(r, FK_reporter_kind, FK_school);
	store_record_set(r, FK_description, "摔伤\n已送医");
	store_record_set(r, FK_reported_at, "2026-11-20 09:00");
	record_refused(r, FK_reported_at, "cannot be earlier than Found at");
	store_record_set(r, FK_reported_at, "2026-11-20");
	assert_int_equal(form_check_record(r, TODAY, &err), XB_OK);
	store_record_set(r, FK_reported_at, "2026-11-19");
	record_refused(r, FK_reported_at, "cannot be earlier than");
	store_record_set(r, FK_reported_at, "2026-11-20 10:15");
	assert_int_equal(form_check_record(r, TODAY, &err), XB_OK);
	store_record_free(&r);
}

/* Runs every test with the clock pinned to TODAY. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_phone, tu_setup_english),
		cmocka_unit_test_setup(test_dates, tu_setup_english),
		cmocka_unit_test_setup(test_text, tu_setup_english),
		cmocka_unit_test_setup(test_choices, tu_setup_english),
		cmocka_unit_test_setup(test_other_types, tu_setup_english),
		cmocka_unit_test_setup(test_record_good, tu_setup_english),
		cmocka_unit_test_setup(test_record_normalised_whole, tu_setup_english),
		cmocka_unit_test_setup(test_record_fields, tu_setup_english),
		cmocka_unit_test_setup(test_record_id_mismatch, tu_setup_english),
		cmocka_unit_test_setup(test_record_exit, tu_setup_english),
		cmocka_unit_test_setup(test_record_guardian, tu_setup_english),
		cmocka_unit_test_setup(test_record_order, tu_setup_english),
		cmocka_unit_test_setup(test_record_table, tu_setup_english),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
