/* test_words.c - the words offices write (forms/words.c): spreadsheet
 * headers, choice words, dates in their other spellings and full-width
 * forms, and what form_check_value makes of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../forms/forms.h"

/* The field of a kind, which must exist. */
static const struct form_field *field(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	if (f == NULL)
		fail_msg("no field %s", key);
	return f;
}

/* Checks that every header of a NULL-ended list names field key. */
static void headers_name(const char *key, const char *const *headers)
{
	for (; *headers; headers++) {
		const struct form_field *f = form_header_field(STORE_CHILD, *headers);
		if (f == NULL || strcmp(f->key, key) != 0)
			fail_msg("header \"%s\" names %s, not %s", *headers,
				 f ? f->key : "nothing", key);
	}
}

#define HEADERS(key, ...) headers_name(key, (const char *const[]){ __VA_ARGS__, NULL })

/* The groups of header variants the brief and the surveys hold. */
static void test_header_variants(void **state)
{
	(void)state;
	HEADERS(FK_id_number, "身份证号", "身份证号码", "公民身份号码", "身份证",
		"证件号码");
	HEADERS(FK_village, "所在村", "村别", "村(居)", "村居", "村名", "所属村",
		"村(社区)");
	HEADERS(FK_village_code, "村代码", "村(居)代码", "区划代码");
	HEADERS(FK_group, "组", "村民小组", "所在组");
	HEADERS(FK_name, "儿童姓名", "留守儿童姓名", "姓名");
	HEADERS(FK_sex, "性别");
	HEADERS(FK_birth_date, "出生日期", "出生年月", "出生年月日");
	HEADERS(FK_ethnicity, "民族");
	HEADERS(FK_address, "家庭住址", "住址", "家庭地址");
	HEADERS(FK_father_status, "父亲情况", "父亲现状", "父亲状况");
	HEADERS(FK_mother_status, "母亲情况", "母亲现状", "母亲状况");
	HEADERS(FK_father_name, "父亲姓名");
	HEADERS(FK_mother_name, "母亲姓名");
	HEADERS(FK_father_phone, "父亲电话", "父亲联系电话", "父亲联系方式");
	HEADERS(FK_mother_phone, "母亲电话", "母亲联系电话", "母亲联系方式");
	HEADERS(FK_father_work_place, "父亲务工地", "父亲务工地点",
		"父亲外出务工地点");
	HEADERS(FK_mother_work_place, "母亲务工地", "母亲务工地点",
		"母亲外出务工地点");
	HEADERS(FK_father_id_number, "父亲身份证号", "父亲身份证号码");
	HEADERS(FK_mother_away_since, "母亲外出时间");
	HEADERS(FK_father_contact, "父亲与子女联系频次", "父亲联系频次");
	HEADERS(FK_mother_capable, "母亲有无监护能力", "母亲监护能力");
	HEADERS(FK_guardian_name, "监护人", "监护人姓名", "实际监护人",
		"实际监护人姓名");
	HEADERS(FK_guardian_relation, "与儿童关系", "监护人关系",
		"与留守儿童关系", "监护人与儿童关系", "实际监护人关系");
	HEADERS(FK_guardian_phone, "监护人电话", "监护人联系电话",
		"监护人联系方式");
	HEADERS(FK_guardian_age, "监护人年龄");
	HEADERS(FK_guardian_capacity, "监护能力", "监护人监护能力");
	HEADERS(FK_enrolment, "就学情况", "就学状况", "在校情况", "是否在校");
	HEADERS(FK_school, "就读学校", "学校", "所在学校");
	HEADERS(FK_grade, "年级", "就读年级");
	HEADERS(FK_health, "健康状况", "身体状况");
	HEADERS(FK_boarding, "是否寄宿", "是否住校");
	HEADERS(FK_mood, "心理状况", "心理健康状况");
	HEADERS(FK_assistance, "享受救助情况", "救助情况");
	HEADERS(FK_member_name, "包保人", "包保责任人", "帮扶责任人", "联系人");
	HEADERS(FK_member_phone, "包保人电话", "包保责任人电话", "联系人电话");
	HEADERS(FK_volunteer_name, "爱心家长");
	HEADERS(FK_notes, "备注");
	HEADERS(FK_no_hukou, "无户籍", "是否无户籍");
	HEADERS(FK_next_visit_due, "下次走访", "下次走访日期");
	HEADERS(FK_case_no, "档案编号", "档案号");
	/* keys and English labels, in any case */
	HEADERS(FK_id_number, "id_number", "ID number", "id number");
	HEADERS(FK_guardian_phone, "Guardian's phone");
	/* words that could name two fields name none */
	assert_null(form_header_field(STORE_CHILD, "联系电话"));
	assert_null(form_header_field(STORE_CHILD, "父亲"));
	assert_null(form_header_field(STORE_CHILD, "序号"));
	assert_null(form_header_field(STORE_CHILD, ""));
	assert_null(form_header_field(STORE_CHILD, NULL));
	/* no near matches */
	assert_null(form_header_field(STORE_CHILD, "身份证号码码"));
	assert_null(form_header_field(STORE_CHILD, "姓"));
}

/* What a header carries besides its words is dropped before matching. */
static void test_header_normalised(void **state)
{
	(void)state;
	HEADERS(FK_id_number, " 身份证号码 ", "身份证\n号码", "身份证\r\n号码",
		"身份　证号", "身份证号*", "*身份证号", "身份证号(必填)",
		"身份证号（必填）", "身份证号 （必填） *", "1.身份证号",
		"12、身份证号", "(3)身份证号", "（3）身份证号", "③身份证号",
		"身份证号：", "ｉｄ＿ｎｕｍｂｅｒ");
	HEADERS(FK_village, "村（居）", "村（社区）", "村\n（居）");
	HEADERS(FK_village_code, "村（居）代码", "村(居)\n代码 *");
	/* a number that is the header's own is kept */
	assert_null(form_header_field(STORE_CHILD, "1身份证号"));
}

/* Checks that every word of a NULL-ended list is read as code. */
static void words_give(enum store_kind kind, const char *key, const char *code,
		       const char *const *words)
{
	const struct form_field *f = field(kind, key);
	for (; *words; words++) {
		const char *got = form_choice_code(f, *words);
		if (got == NULL || strcmp(got, code) != 0)
			fail_msg("%s: \"%s\" read as %s, not %s", key, *words,
				 got ? got : "nothing", code);
		/* form_check_value stores the code too */
		struct xb_error err = { 0 };
		char *out = NULL;
		if (form_check_value(f, *words, &out, &err) != XB_OK)
			fail_msg("%s: \"%s\" refused: %s", key, *words, err.msg);
		assert_string_equal(out, code);
		free(out);
	}
}

#define WORDS(kind, key, code, ...) \
	words_give(kind, key, code, (const char *const[]){ __VA_ARGS__, NULL })
#define CWORDS(key, code, ...) WORDS(STORE_CHILD, key, code, __VA_ARGS__)

/* The choice words of each set, and the spellings around them. */
static void test_choice_words(void **state)
{
	(void)state;
	CWORDS(FK_guardian_relation, "grandparent", "奶奶", "爷爷", "祖父", "祖母",
	       "外婆", "外公", "姥姥", "姥爷", "祖父母", "外祖父母",
	       "祖父母/外祖父母", "grandparent", " 奶奶 ", "　奶奶　");
	CWORDS(FK_guardian_relation, "parent", "父亲", "母亲", "妈妈");
	CWORDS(FK_guardian_relation, "sibling", "哥哥", "姐姐");
	CWORDS(FK_guardian_relation, "relative", "叔叔", "舅舅", "姑姑", "亲戚");
	CWORDS(FK_guardian_relation, "entrusted", "委托", "受委托监护人");
	CWORDS(FK_guardian_relation, "none", "无人监护", "无");
	CWORDS(FK_father_status, "away", "外出务工", "外出打工", "外出", "务工",
	       "打工", "  外出打工");
	CWORDS(FK_mother_status, "away", "外出务工", "外出打工", "外出", "务工",
	       "打工");
	CWORDS(FK_father_status, "home", "在家", "在家务农");
	CWORDS(FK_mother_status, "deceased", "去世", "死亡", "已故");
	CWORDS(FK_father_status, "missing", "失踪", "失联");
	CWORDS(FK_father_status, "unknown", "不详", "不清楚");
	CWORDS(FK_enrolment, "in_school", "在校", "在读", "上学", "就读");
	CWORDS(FK_enrolment, "dropped_out", "辍学", "失学");
	CWORDS(FK_enrolment, "never_enrolled", "未入学", "失学（未入学）");
	CWORDS(FK_enrolment, "preschool", "学前", "幼儿园", "未到入学年龄",
	       "学龄前");
	WORDS(STORE_VISIT, FK_schooling, "in_school", "在读");
	CWORDS(FK_sex, "M", "男", "男性", "M", "m", "Ｍ", "male");
	CWORDS(FK_sex, "F", "女", "女性", "F", "f", "ｆ", "Female");
	CWORDS(FK_no_hukou, "yes", "是", "有", "√", "Y", "y", "ｙｅｓ");
	CWORDS(FK_no_hukou, "no", "否", "无", "没有", "N", "n");
	CWORDS(FK_boarding, "yes", "是", "寄宿", "住校");
	CWORDS(FK_boarding, "no", "否", "走读");
	CWORDS(FK_health, "healthy", "健康", "良好", "正常");
	CWORDS(FK_health, "ill", "患病", "有病");
	CWORDS(FK_health, "disabled", "残疾");
	CWORDS(FK_mood, "good", "良好", "正常");
	CWORDS(FK_mood, "concern", "需关注", "较差");
	CWORDS(FK_father_contact, "weekly", "每周", "每星期");
	CWORDS(FK_mother_contact, "monthly", "每月", "每个月");
	CWORDS(FK_father_contact, "rarely", "很少", "从不联系");
	CWORDS(FK_guardian_capacity, "good", "有", "有监护能力");
	CWORDS(FK_father_capable, "none", "无", "无监护能力");
	CWORDS(FK_mother_capable, "weak", "较弱");
	CWORDS(FK_assistance, "dibao", "低保", "最低生活保障");
	CWORDS(FK_assistance, "tekun", "特困", "五保");
	CWORDS(FK_assistance, "none", "无", "没有");
	CWORDS(FK_exit_reason, "turned16", "满16周岁", "年满１６周岁");

	/* a word of one set means nothing in another */
	assert_null(form_choice_code(field(STORE_CHILD, FK_sex), "奶奶"));
	assert_null(form_choice_code(field(STORE_CHILD, FK_guardian_relation),
				     "外出打工"));
	assert_null(form_choice_code(field(STORE_CHILD, FK_father_status), "服刑中"));
	assert_null(form_choice_code(field(STORE_CHILD, FK_sex), "男女"));
	assert_null(form_choice_code(field(STORE_CHILD, FK_name), "男"));

	/* the audit's word for a child from a sheet */
	assert_string_equal(form_action_label("sheet"),
			    "imported from a spreadsheet");
}

/* Checks that in is read as the date want. */
static void date_is(const char *in, const char *want)
{
	char out[11] = "";
	if (form_date_normalize(in, out) != 0)
		fail_msg("\"%s\" is no date", in);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" read as %s, not %s", in, out, want);
}

/* Every way of writing a date, and what is no date. */
static void test_date_forms(void **state)
{
	(void)state;
	date_is("2015-03-12", "2015-03-12");
	date_is("2015-3-12", "2015-03-12");
	date_is("2015/3/12", "2015-03-12");
	date_is("2015/03/02", "2015-03-02");
	date_is("2015.3.12", "2015-03-12");
	date_is("2015年3月12日", "2015-03-12");
	date_is("2015年3月12", "2015-03-12");
	date_is("2015年03月02日", "2015-03-02");
	date_is("2015 年 3 月 12 日", "2015-03-12");
	date_is("20150312", "2015-03-12");
	date_is("２０１５－３－１２", "2015-03-12");
	date_is("２０１５年３月１２日", "2015-03-12");
	date_is("２０１５０３１２", "2015-03-12");
	date_is("  2015/3/12 ", "2015-03-12");
	date_is("　2015.3.12　", "2015-03-12");
	date_is("2016-2-29", "2016-02-29");

	static const char *const bad[] = {
		"2015-2-30", "2015年13月1日", "2015-13-01", "2015-0-1",
		"2015-02-29", "20150230", "2015-3", "2015年3月", "15-3-12",
		"2015312", "201503120", "2015-3-12日", "2015/3/12/1", "2015-3-123",
		"三月", "", "2015-3-12 10:00", "12/3/2015", "2015--3-12",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[11] = "x";
		if (form_date_normalize(bad[i], out) != -1)
			fail_msg("\"%s\" read as the date %s", bad[i], out);
	}
}


/* Dates and date-times as typed are stored YYYY-MM-DD. */
static void test_check_dates(void **state)
{
	(void)state;
	const struct form_field *birth = field(STORE_CHILD, FK_birth_date);
	tu_accepts(birth, "2015/3/8", "2015-03-08");
	tu_accepts(birth, "2015年3月8日", "2015-03-08");
	tu_accepts(birth, "20150308", "2015-03-08");
	tu_accepts(birth, "２０１５．３．８", "2015-03-08");
	tu_refuses(birth, "2015-2-30", "2015-2-30 is not a date in the calendar");
	tu_refuses(birth, "2015年13月1日", "is not a date in the calendar");
	tu_refuses(birth, "2015 3 8", "write the date as YYYY-MM-DD");
	tu_refuses(birth, "2027/1/1", "is after today");

	const struct form_field *found = field(STORE_REPORT, FK_found_at);
	tu_accepts(found, "2026/11/20 9:30", "2026-11-20 09:30");
	tu_accepts(found, "2026年11月20日 09:30", "2026-11-20 09:30");
	tu_accepts(found, "2026年11月20日9:30", "2026-11-20 09:30");
	tu_accepts(found, "2026-11-20T09:30", "2026-11-20 09:30");
	tu_accepts(found, "2026-11-20 09:30:00", "2026-11-20 09:30");
	tu_accepts(found, "２０２６－１１－２０　０９：３０", "2026-11-20 09:30");
	tu_accepts(found, "20261120", "2026-11-20");
	tu_refuses(found, "2026-11-20 24:00", "not a time of day");
	tu_refuses(found, "2026-2-30 10:00", "not a date in the calendar");
	tu_refuses(found, "yesterday", "write YYYY-MM-DD or YYYY-MM-DD HH:MM");
}

/* Full-width forms and spaces inside numbers. */
static void test_fold(void **state)
{
	(void)state;
	char *s = form_fold_text("　ＡＢ１２，（村）\xc2\xa0x ");
	assert_string_equal(s, "AB12,(村) x");
	free(s);
	s = form_fold_text("～！＠");
	assert_string_equal(s, "~!@");
	free(s);
	s = form_fold_text("张三");
	assert_string_equal(s, "张三");
	free(s);

	const struct form_field *id = field(STORE_CHILD, FK_id_number);
	tu_accepts(id, "2202 2120 1503 0812 23", "220221201503081223");
	tu_accepts(id, "220221 20150308 1223", "220221201503081223");
	tu_accepts(id, "２２０２２１２０１５０３０８１２２３", "220221201503081223");
	tu_accepts(id, "２２０２２１　２０１５０３０８　１２２３", "220221201503081223");
	tu_accepts(field(STORE_CHILD, FK_father_id_number), "220221 198801011237 ",
		"220221198801011237");
	tu_accepts(field(STORE_CHILD, FK_guardian_phone), "１３８ １２３４ ５６７８",
		"13812345678");
	tu_accepts(field(STORE_CHILD, FK_village_code), "2202 2110 0201",
		"220221100201");
	tu_accepts(field(STORE_CHILD, FK_guardian_age), "６ 8", "68");
	tu_accepts(field(STORE_CHILD, FK_name), "　张三　", "张三");
	tu_accepts(field(STORE_CHILD, FK_address), "３组（东）", "3组(东)");
	/* a name keeps the space between its words */
	tu_accepts(field(STORE_CHILD, FK_name), "Ma Li", "Ma Li");
	/* free text keeps its own punctuation */
	tu_accepts(field(STORE_CHILD, FK_notes), "已走访，情况良好。", "已走访，情况良好。");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_header_variants, tu_setup_english),
		cmocka_unit_test_setup(test_header_normalised, tu_setup_english),
		cmocka_unit_test_setup(test_choice_words, tu_setup_english),
		cmocka_unit_test_setup(test_date_forms, tu_setup_english),
		cmocka_unit_test_setup(test_check_dates, tu_setup_english),
		cmocka_unit_test_setup(test_fold, tu_setup_english),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
