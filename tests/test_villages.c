/* test_villages.c - the office's village register over a real store:
 * adding, renaming and the refusals, finding by code or name (endings,
 * spaces and full-width forms forgiven), several at once, and children
 * whose village is checked against the register (or not, without one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "forms/ledger.h"

#define TOWN "220221100"
#define TODAY "2026-11-29"

static int setup(void **state)
{
	tu_pin_clock(TODAY "T09:30:00");
	tu_lang("C.UTF-8");
	*state = tu_ledger_new(TOWN, "示范镇", "0432-64201234");
	return *state != NULL ? 0 : -1;
}

static void add_ok(struct tu_ledger *f, const char *code, const char *name)
{
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_village_add(f->st, code, name, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
}

/* The three villages most tests start from. */
static void three(struct tu_ledger *f)
{
	add_ok(f, TOWN "201", "红旗村");
	add_ok(f, TOWN "202", "胜利社区");
	add_ok(f, TOWN "203", "前进村委会");
}

struct listed {
	char text[512];
	int n;
};

static int list_fn(const char *code, const char *name, void *arg)
{
	struct listed *l = arg;
	size_t len = strlen(l->text);
	snprintf(l->text + len, sizeof(l->text) - len, "%s=%s;", code, name);
	l->n++;
	return 0;
}

static struct listed list(struct tu_ledger *f)
{
	struct listed l = { "", 0 };
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_village_list(f->st, list_fn, &l, &err), XB_OK);
	return l;
}

static void test_add_list_rename(void **state)
{
	struct tu_ledger *f = *state;
	three(f);
	struct listed l = list(f);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.text, TOWN "201=红旗村;" TOWN "202=胜利社区;" TOWN
				    "203=前进村委会;");
	/* the same code again renames it; spaces and full-width folded */
	add_ok(f, "２２０２２１１００２０１", " 红旗 新村 ");
	l = list(f);
	assert_int_equal(l.n, 3);
	assert_non_null(strstr(l.text, TOWN "201=红旗新村;"));
	/* audited: the creation and the rename */
	uint64_t n = 0;
	assert_int_equal(store_count(f->st, STORE_VILLAGE, &n, NULL), XB_OK);
	assert_int_equal(n, 3);
}

static void test_add_refused(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	three(f);
	static const struct {
		const char *code, *name, *says;
		int ret;
	} bad[] = {
		{ "220221101201", "外村", "does not lie under this township", XB_EINVAL },
		{ TOWN "000", "镇本身", "does not lie under this township", XB_EINVAL },
		{ "22022110020", "短村", "12 digits", XB_EINVAL },
		{ "22022110020x", "字母村", "12 digits", XB_EINVAL },
		{ "", "无码村", "12 digits", XB_EINVAL },
		{ TOWN "204", "", "needs a name", XB_EINVAL },
		{ TOWN "204", "　", "needs a name", XB_EINVAL },
		{ TOWN "204", "坏\x1b村", "not text", XB_EINVAL },
		{ TOWN "204", "红旗村", TOWN "201", XB_EEXIST },
		{ TOWN "204", "红旗", TOWN "201", XB_EEXIST },
		{ TOWN "204", "红旗社区", TOWN "201", XB_EEXIST },
		{ TOWN "204", "前进", TOWN "203", XB_EEXIST },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xb_error_clear(&err);
		int ret = ledger_village_add(f->st, bad[i].code, bad[i].name, "clerk", &err);
		if (ret != bad[i].ret)
			fail_msg("%s %s: %d (%s)", bad[i].code, bad[i].name, ret, err.msg);
		assert_msg_has(err, bad[i].says);
	}
	assert_int_equal(list(f).n, 3);
}

static void find_is(struct tu_ledger *f, const char *text, const char *code,
		    const char *name)
{
	char c[13], n[64];
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_village_find(f->st, NULL, text, c, n, &err) != XB_OK)
		fail_msg("%s: %s", text, err.msg);
	assert_string_equal(c, code);
	assert_string_equal(n, name);
}

static void test_find(void **state)
{
	struct tu_ledger *f = *state;
	three(f);
	find_is(f, TOWN "201", TOWN "201", "红旗村");
	find_is(f, " ２２０２２１１００２０２ ", TOWN "202", "胜利社区");
	find_is(f, "红旗村", TOWN "201", "红旗村");
	find_is(f, "红旗", TOWN "201", "红旗村");
	find_is(f, "红 旗", TOWN "201", "红旗村");
	find_is(f, "　红旗村　", TOWN "201", "红旗村");
	find_is(f, "胜利", TOWN "202", "胜利社区");
	find_is(f, "胜利居委会", TOWN "202", "胜利社区");
	find_is(f, "前进村", TOWN "203", "前进村委会");
	find_is(f, "前进", TOWN "203", "前进村委会");
	char c[13], n[64];
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_village_find(f->st, NULL, "东风村", c, n, &err), XB_ENOTFOUND);
	assert_msg_has(err, "东风村");
	assert_msg_has(err, "village add");
	xb_error_clear(&err);
	assert_int_equal(ledger_village_find(f->st, NULL, TOWN "299", c, n, &err),
			 XB_ENOTFOUND);
	assert_msg_has(err, TOWN "299");
	xb_error_clear(&err);
	assert_int_equal(ledger_village_find(f->st, NULL, "2202211", c, n, &err), XB_EINVAL);
	assert_msg_has(err, "12 digits");
	xb_error_clear(&err);
	assert_int_equal(ledger_village_find(f->st, NULL, " ", c, n, &err), XB_EINVAL);
}

static void test_many_all_or_none(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	const char *codes[] = { TOWN "201", TOWN "202", "220221109203" };
	const char *names[] = { "红旗村", "胜利社区", "外村" };
	size_t bad = 99;
	xb_error_clear(&err);
	assert_int_equal(ledger_villages_add(f->st, codes, names, 3, "clerk", &bad, &err),
			 XB_EINVAL);
	assert_int_equal(bad, 2);
	assert_int_equal(list(f).n, 0);
	/* two of one file with one name refused too */
	const char *dup_names[] = { "红旗村", "红旗", "东风村" };
	codes[2] = TOWN "203";
	xb_error_clear(&err);
	assert_int_equal(ledger_villages_add(f->st, codes, dup_names, 3, "clerk", &bad, &err),
			 XB_EEXIST);
	assert_int_equal(bad, 1);
	assert_int_equal(list(f).n, 0);
	xb_error_clear(&err);
	assert_int_equal(ledger_villages_add(f->st, codes, names, 2, "clerk", &bad, &err),
			 XB_OK);
	assert_int_equal(list(f).n, 2);
}

static struct store_record *child(const char *code, const char *village)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, "张三");
	store_record_set(c, FK_sex, "M");
	store_record_set(c, FK_birth_date, "2015-03-12");
	store_record_set(c, FK_village_code, code);
	store_record_set(c, FK_village, village);
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "李桂兰");
	store_record_set(c, FK_enrolment, "in_school");
	return c;
}

static int add_child(struct tu_ledger *f, struct store_record *c,
		     struct xb_error *err)
{
	xb_error_clear(err);
	return ledger_child_add(f->st, NULL, c, "clerk", err);
}

static void test_child_with_register(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	three(f);
	/* a name alone: the code filled, the name made the register's */
	struct store_record *c = child(NULL, "红旗");
	assert_int_equal(add_child(f, c, &err), XB_OK);
	assert_string_equal(store_record_get(c, FK_village_code), TOWN "201");
	assert_string_equal(store_record_get(c, FK_village), "红旗村");
	/* an edit keeps to the register too */
	store_record_set(c, FK_village, NULL);
	store_record_set(c, FK_village_code, TOWN "202");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_edit(f->st, c, "clerk", &err), XB_OK);
	assert_string_equal(store_record_get(c, FK_village), "胜利社区");
	store_record_set(c, FK_village_code, TOWN "299");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_edit(f->st, c, "clerk", &err), XB_EINVAL);
	assert_msg_has(err, "village add " TOWN "299");
	store_record_free(&c);
	/* a code alone: the name filled */
	c = child(TOWN "203", NULL);
	assert_int_equal(add_child(f, c, &err), XB_OK);
	assert_string_equal(store_record_get(c, FK_village), "前进村委会");
	store_record_free(&c);
	/* both, agreeing but for the ending */
	c = child(TOWN "203", "前进村");
	assert_int_equal(add_child(f, c, &err), XB_OK);
	assert_string_equal(store_record_get(c, FK_village), "前进村委会");
	store_record_free(&c);
	/* refused: not in the register, disagreeing, outside the township,
	 * an unknown name */
	c = child(TOWN "299", "新村");
	assert_int_equal(add_child(f, c, &err), XB_EINVAL);
	assert_msg_has(err, "village add " TOWN "299");
	store_record_free(&c);
	c = child(TOWN "201", "胜利社区");
	assert_int_equal(add_child(f, c, &err), XB_EINVAL);
	assert_msg_has(err, "红旗村");
	store_record_free(&c);
	c = child("220221101201", "外村");
	assert_int_equal(add_child(f, c, &err), XB_EINVAL);
	assert_msg_has(err, "does not lie under this township");
	store_record_free(&c);
	c = child(NULL, "东风村");
	assert_int_equal(add_child(f, c, &err), XB_ENOTFOUND);
	assert_msg_has(err, "东风村");
	store_record_free(&c);
	uint64_t n = 0;
	assert_int_equal(store_count(f->st, STORE_CHILD, &n, NULL), XB_OK);
	assert_int_equal(n, 3);
	uint64_t in_village = 0;
	assert_int_equal(store_index_count(f->st, STORE_CHILD, STORE_BY_VILLAGE, TOWN "203",
					   &in_village, NULL),
			 XB_OK);
	assert_int_equal(in_village, 2);
}

static void test_child_without_register(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	/* no register: the village is taken as typed, as before */
	struct store_record *c = child(TOWN "299", "随便村");
	assert_int_equal(add_child(f, c, &err), XB_OK);
	assert_string_equal(store_record_get(c, FK_village), "随便村");
	store_record_free(&c);
	c = child("220221101201", "外村");
	assert_int_equal(add_child(f, c, &err), XB_EINVAL);
	store_record_free(&c);
	c = child(NULL, "随便村");
	assert_int_equal(add_child(f, c, &err), XB_EINVAL); /* the code is required */
	store_record_free(&c);
}

static void test_village_history_and_placement(void **state)
{
	struct tu_ledger *f = *state;
	add_ok(f, TOWN "201", "红旗村");
	add_ok(f, TOWN "201", "红旗新村");
	struct store_record *v = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_VILLAGE, TOWN "201", &v, NULL), XB_OK);
	assert_int_equal(v->version, 2);
	assert_string_equal(v->origin, TOWN);
	char owner[13], last[64] = "";
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_record_placed(f->st, NULL, TOWN, v, owner, last, &err) != XB_OK)
		fail_msg("%s", err.msg);
	assert_string_equal(owner, TOWN);
	xb_error_clear(&err);
	assert_int_equal(form_check_record(v, TODAY, &err), XB_OK);
	store_record_free(&v);
}

static void test_county_keeps_no_villages(void **state)
{
	(void)state;
	tu_pin_clock(TODAY "T09:30:00");
	tu_lang("C.UTF-8");
	struct tu_ledger *f = tu_ledger_new("220221", "永吉县", NULL);
	assert_non_null(f);
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_village_add(f->st, TOWN "201", "红旗村", "clerk", &err),
			 XB_EINVAL);
	assert_msg_has(err, "county");
	void *s = f;
	tu_ledger_teardown(&s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_ledger_teardown)
	const struct CMUnitTest tests[] = {
		T(test_add_list_rename),
		T(test_add_refused),
		T(test_find),
		T(test_many_all_or_none),
		T(test_child_with_register),
		T(test_child_without_register),
		T(test_village_history_and_placement),
		cmocka_unit_test(test_county_keeps_no_villages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
