/* test_ledger.c - the ledger operations over a real store: registering,
 * editing, leaving, visits, reports and their timeline, search, figures,
 * and that refused input leaves the store as it was. */
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

/* A child the policy counts: both parents away, grandmother looks after. */
static struct store_record *new_child(const char *name, const char *idnum)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, name);
	store_record_set(c, FK_id_number, idnum);
	store_record_set(c, FK_village_code, TOWN "001");
	store_record_set(c, FK_village, "前进村");
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "李桂兰");
	store_record_set(c, FK_enrolment, "in_school");
	return c;
}

static char *add_child(struct tu_ledger *f, const char *name, const char *idnum)
{
	struct store_record *c = new_child(name, idnum);
	struct xb_error err;
	xb_error_clear(&err);
	int ret = ledger_child_add(f->st, NULL, c, "clerk", &err);
	if (ret != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

/* What the store holds, to compare before and after a refused write. */
struct snapshot {
	uint64_t children, visits, reports, steps;
	int history;
};

static int count_entry(const struct store_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static struct snapshot snap(struct tu_ledger *f, const char *case_no)
{
	struct snapshot s;
	memset(&s, 0, sizeof(s));
	store_count(f->st, STORE_CHILD, &s.children, NULL);
	store_count(f->st, STORE_VISIT, &s.visits, NULL);
	store_count(f->st, STORE_REPORT, &s.reports, NULL);
	store_count(f->st, STORE_STEP, &s.steps, NULL);
	if (case_no)
		store_history(f->st, case_no, count_entry, &s.history, NULL);
	return s;
}

static void assert_unchanged(struct snapshot a, struct snapshot b)
{
	assert_int_equal(a.children, b.children);
	assert_int_equal(a.visits, b.visits);
	assert_int_equal(a.reports, b.reports);
	assert_int_equal(a.steps, b.steps);
	assert_int_equal(a.history, b.history);
}

static void test_register_allocates_case_numbers(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	char *b = add_child(f, "王小明", "220221201207040021");
	assert_string_equal(a, "220221100-00001-2");
	assert_int_equal(form_case_check(a, NULL), XB_OK);
	assert_int_equal(form_case_check(b, NULL), XB_OK);
	assert_memory_equal(b, "220221100-00002-", 16);
	struct store_record *c;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &c, NULL), XB_OK);
	/* Derived from the ID number; status set; origin is this office. */
	assert_string_equal(store_record_get(c, FK_birth_date), "2015-03-12");
	assert_string_equal(store_record_get(c, FK_sex), "M");
	assert_string_equal(store_record_get(c, FK_status), "active");
	assert_string_equal(store_record_get(c, FK_left_behind_type), "both_away");
	assert_string_equal(store_record_get(c, FK_case_no), a);
	assert_string_equal(c->origin, TOWN);
	assert_string_equal(c->changed_by, "clerk");
	store_record_free(&c);
	free(a);
	free(b);
}

static void test_refused_input_leaves_store_unchanged(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	struct snapshot before = snap(f, a);
	struct xb_error err;
	struct {
		const char *key, *value, *field;
		int code;
	} cases[] = {
		{ FK_id_number, "220221201503120019", FK_id_number, XB_EINVAL }, /* check char */
		{ FK_id_number, "220221150312001", FK_id_number, XB_EINVAL },    /* 15 digits */
		{ FK_id_number, "220221201503120018", FK_id_number, XB_EEXIST }, /* one child, one file */
		{ FK_village_code, "220221200001", FK_village_code, XB_EINVAL }, /* other township */
		{ FK_name, "", FK_name, XB_EINVAL },                              /* required */
		{ FK_guardian_phone, "12345", FK_guardian_phone, XB_EINVAL },
		{ FK_birth_date, "2014-01-01", FK_birth_date, XB_EINVAL },       /* not the ID's */
		{ FK_name, "张\x01三", FK_name, XB_EINVAL },                      /* control char */
		{ FK_name, "\xe5\xbc", FK_name, XB_EINVAL },                      /* broken UTF-8 */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct store_record *c = new_child("李四", "220221201001010011");
		store_record_set(c, cases[i].key, cases[i].value);
		xb_error_clear(&err);
		int ret = ledger_child_add(f->st, NULL, c, "clerk", &err);
		if (ret != cases[i].code)
			fail_msg("case %zu (%s=%s): got %d, %s", i, cases[i].key,
				 cases[i].value, ret, err.msg);
		assert_string_equal(err.field, cases[i].field);
		assert_true(strlen(err.msg) > 10);
		store_record_free(&c);
		assert_unchanged(before, snap(f, a));
	}
	/* A refused serial is not used up. */
	char *b = add_child(f, "李四", "220221201001010011");
	assert_memory_equal(b, "220221100-00002-", 16);
	free(a);
	free(b);
}

static void test_edit_and_stale_edit(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	struct store_record *one, *two;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &one, NULL), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &two, NULL), XB_OK);
	store_record_set(one, FK_school, "口前镇中心小学");
	assert_int_equal(ledger_child_edit(f->st, one, "clerk", NULL), XB_OK);
	assert_int_equal(one->version, 2);
	store_record_set(two, FK_grade, "五年级");
	struct xb_error err;
	xb_error_clear(&err);
	struct snapshot before = snap(f, a);
	assert_int_equal(ledger_child_edit(f->st, two, "clerk2", &err), XB_ECONFLICT);
	assert_unchanged(before, snap(f, a));
	/* The program's own fields cannot be edited into something else. */
	store_record_set(one, FK_status, "exited");
	store_record_set(one, FK_case_no, "220221100-09999-1");
	assert_int_equal(ledger_child_edit(f->st, one, "clerk", NULL), XB_OK);
	struct store_record *now;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &now, NULL), XB_OK);
	assert_string_equal(store_record_get(now, FK_status), "active");
	assert_string_equal(store_record_get(now, FK_case_no), a);
	assert_string_equal(store_record_get(now, FK_school), "口前镇中心小学");
	store_record_free(&now);
	/* Correcting a mistyped ID number moves the birth date and sex with
	 * it; a retyped birth date that disagrees is still refused. */
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &now, NULL), XB_OK);
	store_record_set(now, FK_id_number, "22022120101215001X");
	assert_int_equal(ledger_child_edit(f->st, now, "clerk", NULL), XB_OK);
	assert_string_equal(store_record_get(now, FK_birth_date), "2010-12-15");
	store_record_set(now, FK_id_number, "220221201503120018");
	store_record_set(now, FK_birth_date, "2015-03-13");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_edit(f->st, now, "clerk", &err), XB_EINVAL);
	assert_string_equal(err.field, "birth_date");
	store_record_free(&now);
	store_record_free(&one);
	store_record_free(&two);
	free(a);
}

static void test_exit(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit(f->st, a, "nonsense", "2026-11-01", 0,
					   "clerk", NULL, &err), XB_EINVAL);
	assert_int_equal(ledger_child_exit(f->st, a, "parents_returned", TODAY, 7,
					   "clerk", NULL, &err), XB_ECONFLICT);
	assert_int_equal(ledger_child_exit(f->st, a, "parents_returned", TODAY, 1,
					   "clerk", NULL, NULL), XB_OK);
	struct store_record *c;
	store_get(f->st, NULL, STORE_CHILD, a, &c, NULL);
	assert_string_equal(store_record_get(c, FK_status), "exited");
	assert_string_equal(store_record_get(c, FK_exit_reason), "parents_returned");
	assert_string_equal(store_record_get(c, FK_exit_date), TODAY);
	store_record_free(&c);
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, "clerk", NULL, &err),
			 XB_EINVAL);
	/* No visit to a child who has left. */
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, a);
	store_record_set(v, FK_date, "2026-11-20");
	store_record_set(v, FK_visitor, "李主任");
	store_record_set(v, FK_kind, "home");
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "clerk", &err), XB_EINVAL);
	store_record_free(&v);
	free(a);
}

static struct store_record *visit(const char *case_no, const char *date,
				  const char *next)
{
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, case_no);
	store_record_set(v, FK_date, date);
	store_record_set(v, FK_visitor, "李主任");
	store_record_set(v, FK_kind, "入户走访"); /* a label is taken as its code */
	store_record_set(v, FK_next_due, next);
	return v;
}

static void test_visits_move_the_child(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	struct store_record *v = visit(a, "2026-10-01", "2026-11-01"), *c;
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", NULL), XB_OK);
	char want[64];
	snprintf(want, sizeof(want), "%s/V0001", a);
	assert_string_equal(v->id, want);
	assert_string_equal(store_record_get(v, FK_kind), "home");
	store_record_free(&v);
	store_get(f->st, NULL, STORE_CHILD, a, &c, NULL);
	assert_string_equal(store_record_get(c, FK_last_visit), "2026-10-01");
	assert_true(form_child_flags(c, TODAY) & FORM_FLAG_VISIT_OVERDUE);
	store_record_free(&c);

	/* An older visit logged late does not move the dates back. */
	v = visit(a, "2026-09-01", "2026-10-01");
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", NULL), XB_OK);
	store_record_free(&v);
	v = visit(a, "2026-11-28", "2027-01-28");
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", NULL), XB_OK);
	store_record_free(&v);
	store_get(f->st, NULL, STORE_CHILD, a, &c, NULL);
	assert_string_equal(store_record_get(c, FK_last_visit), "2026-11-28");
	assert_string_equal(store_record_get(c, FK_next_visit_due), "2027-01-28");
	assert_false(form_child_flags(c, TODAY) & FORM_FLAG_VISIT_OVERDUE);
	store_record_free(&c);

	/* Refused: before birth, in the future, next before the visit, no
	 * such child. */
	struct xb_error err;
	struct snapshot before = snap(f, a);
	const char *bad[][3] = {
		{ "2010-01-01", NULL, FK_date },
		{ "2026-12-25", NULL, FK_date },
		{ "2026-11-20", "2026-11-01", FK_next_due },
	};
	for (size_t i = 0; i < 3; i++) {
		v = visit(a, bad[i][0], bad[i][1]);
		xb_error_clear(&err);
		assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", &err), XB_EINVAL);
		assert_string_equal(err.field, bad[i][2]);
		store_record_free(&v);
		assert_unchanged(before, snap(f, a));
	}
	v = visit("220221100-00099-5", "2026-11-20", NULL);
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", &err), XB_ENOTFOUND);
	store_record_free(&v);
	free(a);
}

/* Several visits logged at once: all saved, the child moved once to the
 * latest, and visits of two children together refused whole. */
static void test_visits_logged_together(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	char *b = add_child(f, "李四", "220221201001010011");
	struct store_record *vs[3] = {
		visit(a, "2026-09-01", "2026-10-01"),
		visit(a, "2026-11-20", "2027-01-20"),
		visit(a, "2026-10-01", "2026-11-01"),
	};
	assert_int_equal(ledger_visits_add(f->st, NULL, vs, 3, "member", NULL), XB_OK);
	struct store_record *c;
	store_get(f->st, NULL, STORE_CHILD, a, &c, NULL);
	assert_string_equal(store_record_get(c, FK_last_visit), "2026-11-20");
	assert_string_equal(store_record_get(c, FK_next_visit_due), "2027-01-20");
	assert_int_equal(c->version, 2); /* created, then one visit update */
	store_record_free(&c);
	for (int i = 0; i < 3; i++)
		store_record_free(&vs[i]);

	struct snapshot before = snap(f, a);
	vs[0] = visit(a, "2026-11-21", NULL);
	vs[1] = visit(b, "2026-11-21", NULL);
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_visits_add(f->st, NULL, vs, 2, "member", &err), XB_EINVAL);
	assert_string_equal(err.field, "case_no");
	assert_unchanged(before, snap(f, a));
	store_record_free(&vs[0]);
	store_record_free(&vs[1]);
	free(a);
	free(b);
}

static struct store_record *step(const char *rid, const char *what,
				 const char *date)
{
	struct store_record *s = store_record_new(STORE_STEP);
	store_record_set(s, FK_report_id, rid);
	store_record_set(s, FK_step, what);
	store_record_set(s, FK_date, date);
	store_record_set(s, FK_by, "口前派出所");
	return s;
}

static void test_report_timeline(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	struct store_record *r = store_record_new(STORE_REPORT), *s;
	store_record_set(r, FK_case_no, a);
	store_record_set(r, FK_category, "unlawful_harm");
	store_record_set(r, FK_found_at, "2026-11-27 08:30");
	store_record_set(r, FK_found_by, "王老师");
	store_record_set(r, FK_reporter_kind, FK_school);
	store_record_set(r, FK_description, "身上有伤痕");
	assert_int_equal(ledger_report_add(f->st, NULL, r, "clerk", NULL), XB_OK);
	assert_string_equal(store_record_get(r, FK_stage), "found");
	assert_string_equal(store_record_get(r, FK_status), "open");
	char rid[64];
	snprintf(rid, sizeof(rid), "%s", r->id);
	store_record_free(&r);

	struct ledger_summary sum;
	assert_int_equal(ledger_summarize(f->st, TODAY, &sum, NULL), XB_OK);
	assert_int_equal(sum.reports_open, 1);
	assert_int_equal(sum.reports_unsent, 1);

	struct xb_error err;
	s = step(rid, "police_response", "2026-11-26 10:00"); /* before found */
	assert_int_equal(ledger_report_step(f->st, NULL, s, "clerk", NULL, &err), XB_EINVAL);
	store_record_free(&s);
	const char *order[][2] = {
		{ "reported", "2026-11-27 09:00" },
		{ "police_response", "2026-11-27 10:00" },
		{ "assessment", "2026-11-28" },
		{ "closed", "2026-11-29" },
	};
	for (size_t i = 0; i < 4; i++) {
		s = step(rid, order[i][0], order[i][1]);
		assert_int_equal(ledger_report_step(f->st, NULL, s, "clerk", NULL, NULL), XB_OK);
		store_record_free(&s);
		assert_int_equal(store_get(f->st, NULL, STORE_REPORT, rid, &r, NULL), XB_OK);
		assert_string_equal(store_record_get(r, FK_stage), order[i][0]);
		store_record_free(&r);
	}
	assert_int_equal(store_get(f->st, NULL, STORE_REPORT, rid, &r, NULL), XB_OK);
	assert_string_equal(store_record_get(r, FK_reported_at), "2026-11-27 09:00");
	assert_string_equal(store_record_get(r, FK_status), "closed");
	store_record_free(&r);
	s = step(rid, "services", "2026-11-29");
	xb_error_clear(&err);
	assert_int_equal(ledger_report_step(f->st, NULL, s, "clerk", NULL, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "closed"));
	store_record_free(&s);
	assert_int_equal(ledger_summarize(f->st, TODAY, &sum, NULL), XB_OK);
	assert_int_equal(sum.reports_open, 0);
	free(a);
}

struct hits {
	int n;
	char first[32];
};

static int hit(const struct store_record *c, void *arg)
{
	struct hits *h = arg;
	if (h->n++ == 0)
		snprintf(h->first, sizeof(h->first), "%s", c->id);
	return 0;
}

static int search(struct tu_ledger *f, const char *text, char *first)
{
	struct hits h;
	memset(&h, 0, sizeof(h));
	assert_int_equal(ledger_search(f->st, text, 20, hit, &h, NULL), XB_OK);
	if (first)
		strcpy(first, h.first);
	return h.n;
}

static void test_search(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	char *b = add_child(f, "张三丰", "22022120101215001X");
	char *c = add_child(f, "王小明", "220221201207040021");
	char first[32];
	assert_int_equal(search(f, a, first), 1);
	assert_string_equal(first, a);
	assert_int_equal(search(f, "22022120101215001x", first), 1); /* lower-case x */
	assert_string_equal(first, b);
	assert_int_equal(search(f, "张三", NULL), 2);
	assert_int_equal(search(f, "张", NULL), 2);
	assert_int_equal(search(f, "zs", NULL), 2);   /* pinyin initials */
	assert_int_equal(search(f, "ZSF", first), 1); /* any case */
	assert_string_equal(first, b);
	assert_int_equal(search(f, "wxm", first), 1);
	assert_string_equal(first, c);
	assert_int_equal(search(f, "  王小 ", NULL), 1);
	assert_int_equal(search(f, "赵", NULL), 0);
	assert_int_equal(search(f, "220221100-00099-5", NULL), 0);
	/* full pinyin: the name's syllables, no more */
	assert_int_equal(search(f, "zhangsan", first), 1);
	assert_string_equal(first, a);
	assert_int_equal(search(f, "ZhangSanFeng", first), 1);
	assert_string_equal(first, b);
	assert_int_equal(search(f, "wangxiaoming", first), 1);
	assert_string_equal(first, c);
	assert_int_equal(search(f, "zhangxiaoming", NULL), 0);
	/* mixed: the characters where typed, initials for the rest */
	assert_int_equal(search(f, "张s", NULL), 2);
	assert_int_equal(search(f, "张sf", first), 1);
	assert_string_equal(first, b);
	assert_int_equal(search(f, "王s", NULL), 0);
	assert_int_equal(search(f, "w小m", first), 1);
	assert_string_equal(first, c);
	/* a case's serial alone */
	assert_int_equal(search(f, "2", first), 1);
	assert_string_equal(first, b);
	assert_int_equal(search(f, "00003", first), 1);
	assert_string_equal(first, c);
	assert_int_equal(search(f, "99", NULL), 0);
	/* a village's name: its children */
	struct xb_error err;
	xb_error_clear(&err);
	ledger_village_add(f->st, TOWN "001", "前进村", "clerk", &err);
	assert_int_equal(search(f, "前进", NULL), 3);
	free(a);
	free(b);
	free(c);
}

/* The name order a clerk expects: by pinyin, not by character code. */
static void test_names_in_pinyin_order(void **state)
{
	struct tu_ledger *f = *state;
	char *ids[4];
	ids[0] = add_child(f, "张伟", "220221201503120018");
	ids[1] = add_child(f, "王芳", "220221201001010011");
	ids[2] = add_child(f, "李娜", "220221201207040021");
	ids[3] = add_child(f, "陈静", "22022120101215001X");
	struct store_iter *it;
	struct store_record *r;
	char order[64] = "";
	assert_int_equal(store_iter_seek(f->st, STORE_CHILD, STORE_BY_NAME_ORDER, NULL, NULL,
					 0, &it, NULL), XB_OK);
	while (store_iter_next(it, &r, NULL, NULL) == 1) {
		strcat(order, store_record_get(r, FK_name));
		store_record_free(&r);
	}
	store_iter_close(&it);
	assert_string_equal(order, "陈静李娜王芳张伟");
	for (int i = 0; i < 4; i++)
		free(ids[i]);
}

static void test_summary_counts(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	/* No guardian: counted as unsupervised. */
	struct store_record *c = new_child("赵小", "220221201012300014");
	store_record_set(c, FK_guardian_relation, "none");
	store_record_set(c, FK_guardian_name, NULL);
	assert_int_equal(ledger_child_add(f->st, NULL, c, "clerk", NULL), XB_OK);
	store_record_free(&c);
	/* Turns 16 on 2026-12-15: this month is November, so not counted;
	 * but within 30 days. */
	c = new_child("钱大", "22022120101215001X");
	assert_int_equal(ledger_child_add(f->st, NULL, c, "clerk", NULL), XB_OK);
	assert_true(form_child_flags(c, TODAY) & FORM_FLAG_TURNS16_SOON);
	store_record_free(&c);
	/* Turns 16 on 2026-11-30: this month. */
	c = new_child("孙二", "220221201011300012");
	assert_int_equal(ledger_child_add(f->st, NULL, c, "clerk", NULL), XB_OK);
	store_record_free(&c);
	assert_int_equal(ledger_child_exit(f->st, a, "moved_with_family", NULL, 0, "clerk",
					   NULL, NULL), XB_OK);
	struct ledger_summary s;
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	assert_int_equal(s.children, 3);
	assert_int_equal(s.exited, 1);
	assert_int_equal(s.unsupervised, 1);
	assert_int_equal(s.turning16_month, 1);
	free(a);
}

static void test_county_ledger_registers_no_children(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	struct store *st;
	assert_int_equal(store_open(dir, &st, NULL), XB_OK);
	assert_int_equal(ledger_init(st, "220221", "永吉县民政局", NULL, "county1", NULL, NULL),
			 XB_OK);
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_init(st, TOWN, "示范镇", NULL, "x", NULL, &err), XB_EINVAL);
	struct store_record *c = new_child("张三", "220221201503120018");
	assert_int_equal(ledger_child_add(st, NULL, c, "county1", &err), XB_EINVAL);
	store_record_free(&c);
	struct store_record *u;
	assert_int_equal(store_get(st, NULL, STORE_USER, "county1", &u, NULL), XB_OK);
	assert_string_equal(store_record_get(u, FK_role), "leader");
	store_record_free(&u);
	store_close(&st);
	tu_rmtree(dir);
	free(dir);
}

/* A record sits where its id says: under its own office's numbering and
 * beneath a record of that office that the ledger holds. */
static struct store_record *placed(enum store_kind kind, const char *id,
				   const char *origin, const char *ref_key,
				   const char *ref)
{
	struct store_record *r = store_record_new(kind);
	store_record_set_id(r, id);
	store_record_set_origin(r, origin);
	if (ref_key != NULL)
		store_record_set(r, ref_key, ref);
	return r;
}

static void test_record_placement(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "220221201503120018");
	char visit[64], report[60], step[80], owner[13], last[64] = "";
	snprintf(visit, sizeof(visit), "%s/V0001", a);
	snprintf(report, sizeof(report), "%s/R01", a);
	snprintf(step, sizeof(step), "%s/S01", report);
	struct {
		enum store_kind kind;
		const char *id, *origin, *ref_key, *ref;
		int ok;
		const char *why; /* in the message when refused */
	} cases[] = {
		{ STORE_CHILD, a, TOWN, FK_case_no, a, 1, NULL },
		{ STORE_VISIT, visit, TOWN, FK_case_no, a, 1, NULL },
		{ STORE_OFFICE, TOWN, TOWN, NULL, NULL, 1, NULL },
		{ STORE_OFFICE, "220221", "220221", NULL, NULL, 1, NULL },
		/* origin against the id's numbering */
		{ STORE_CHILD, a, "220221", FK_case_no, a, 0, "numbered by office " TOWN },
		{ STORE_OFFICE, "220221", TOWN, NULL, NULL, 0, "numbered by office 220221," },
		/* ids not in the ledger's forms */
		{ STORE_VISIT, "totally-bogus-id", TOWN, FK_case_no, a, 0, "not an id" },
		{ STORE_VISIT, "220221100-00001-3/V0001", TOWN, NULL, NULL, 0, "not an id" },
		{ STORE_VISIT, "220221100-00001-2/V001", TOWN, NULL, NULL, 0, "not an id" },
		{ STORE_VISIT, "220221100-00001-2/V0000", TOWN, NULL, NULL, 0, "not an id" },
		{ STORE_VISIT, "220221100-00001-2/R01", TOWN, NULL, NULL, 0, "not an id" },
		{ STORE_STEP, "220221100-00001-2/R01", TOWN, NULL, NULL, 0, "not an id" },
		{ STORE_OFFICE, "2202211", "2202211", NULL, NULL, 0, "not an id" },
		/* the reference field names another parent */
		{ STORE_VISIT, visit, TOWN, FK_case_no, "220221100-00002-0", 0, "another case" },
		{ STORE_STEP, step, TOWN, FK_report_id, "220221100-00001-2/R02", 0, "another report" },
		/* beneath a record the ledger does not hold */
		{ STORE_REPORT, "220221100-00099-5/R01", TOWN, FK_case_no, "220221100-00099-5", 0,
		  "not in the ledger" },
		{ STORE_STEP, step, TOWN, FK_report_id, report, 0, "not in the ledger" },
		/* another county's township is not this ledger's to keep */
		{ STORE_CHILD, "220222100-00001-7", "220222100", NULL, NULL, 0, "does not keep" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct store_record *r = placed(cases[i].kind, cases[i].id, cases[i].origin,
						cases[i].ref_key, cases[i].ref);
		struct xb_error err;
		xb_error_clear(&err);
		last[0] = '\0';
		int ret = ledger_record_placed(f->st, NULL, TOWN, r, owner, last, &err);
		if (cases[i].ok && ret != XB_OK)
			fail_msg("case %zu (%s): %s", i, cases[i].id, err.msg);
		if (!cases[i].ok) {
			if (ret != XB_EINVAL)
				fail_msg("case %zu (%s) was not refused", i, cases[i].id);
			if (strstr(err.msg, cases[i].why) == NULL)
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].why);
		}
		store_record_free(&r);
	}
	/* who may hold what */
	assert_true(ledger_may_hold(TOWN, TOWN));
	assert_true(ledger_may_hold(TOWN, "220221"));
	assert_true(ledger_may_hold("220221", TOWN));
	assert_false(ledger_may_hold(TOWN, "220221101"));
	assert_false(ledger_may_hold("220221", "220222100"));
	free(a);
}

/* --- children who may be the same --- */

/* A child without an ID number, born on birth in village vc. */
static char *add_no_id(struct tu_ledger *f, const char *name, const char *birth,
		       const char *vc)
{
	struct store_record *c = new_child(name, NULL);
	store_record_set(c, FK_birth_date, birth);
	store_record_set(c, FK_sex, "F");
	store_record_set(c, FK_village_code, vc);
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_child_add(f->st, NULL, c, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

/* The case numbers a similar lookup found, joined by spaces. */
struct found {
	char ids[512];
};

static int collect(const struct store_record *child, void *arg)
{
	struct found *fd = arg;
	size_t n = strlen(fd->ids);
	snprintf(fd->ids + n, sizeof(fd->ids) - n, "%s%s", n ? " " : "", child->id);
	return 0;
}

/* Whether the list of found ids holds id. */
static int found_has(const struct found *fd, const char *id)
{
	return strstr(fd->ids, id) != NULL;
}

static void test_similar_children(void **state)
{
	struct tu_ledger *f = *state;
	char *same = add_no_id(f, "张三", "2015-03-12", TOWN "001");
	char *other_village = add_no_id(f, "张三", "2015-03-12", TOWN "002");
	char *initials = add_no_id(f, "张山", "2015-03-12", TOWN "001");
	char *initials_far = add_no_id(f, "周森", "2015-03-12", TOWN "002");
	char *other_birth = add_no_id(f, "张三", "2014-03-12", TOWN "001");
	char *other_name = add_no_id(f, "李四", "2015-03-12", TOWN "001");

	/* a new child as typed: the date in another spelling */
	struct store_record *rec = new_child(" 张三 ", NULL);
	store_record_set(rec, FK_birth_date, "2015年3月12日");
	struct found fd = { "" };
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_child_similar(f->st, NULL, rec, collect, &fd, &err),
			 XB_OK);
	assert_true(found_has(&fd, same));          /* name and birth */
	assert_true(found_has(&fd, other_village)); /* name and birth */
	assert_true(found_has(&fd, initials));      /* zs, birth, village */
	assert_false(found_has(&fd, initials_far)); /* zs, another village */
	assert_false(found_has(&fd, other_birth));
	assert_false(found_has(&fd, other_name));
	assert_int_equal(strlen(fd.ids), 3 * 17 + 2);

	/* the child itself (same case number) is not counted */
	store_record_set(rec, FK_case_no, same);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(ledger_child_similar(f->st, NULL, rec, collect, &fd, &err),
			 XB_OK);
	assert_false(found_has(&fd, same));
	assert_true(found_has(&fd, initials));

	/* inside a transaction, a child added in it is seen */
	struct store_txn *txn;
	assert_int_equal(store_txn_begin(f->st, &txn, &err), XB_OK);
	struct store_record *c = new_child("张珊", NULL);
	store_record_set(c, FK_birth_date, "2015-03-12");
	store_record_set(c, FK_sex, "F");
	assert_int_equal(ledger_child_add(f->st, txn, c, "clerk", &err), XB_OK);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(ledger_child_similar(f->st, txn, rec, collect, &fd, &err),
			 XB_OK);
	assert_true(found_has(&fd, c->id));
	assert_true(found_has(&fd, initials));
	store_txn_abort(&txn);
	store_record_free(&c);

	/* nothing to compare without a birth date; a child of another ID
	 * number is another child */
	store_record_set(rec, FK_birth_date, NULL);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(ledger_child_similar(f->st, NULL, rec, collect, &fd, &err),
			 XB_OK);
	assert_string_equal(fd.ids, "");
	char *with_id = add_child(f, "王五", "220221201503120018");
	store_record_free(&rec);
	rec = new_child("王五", "220221201503120026");
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(ledger_child_similar(f->st, NULL, rec, collect, &fd, &err),
			 XB_OK);
	assert_false(found_has(&fd, with_id));
	store_record_free(&rec);
	free(same);
	free(other_village);
	free(initials);
	free(initials_far);
	free(other_birth);
	free(other_name);
	free(with_id);
}

/* --- rows from a spreadsheet --- */

/* A sheet's row as an office writes it: its own words, dates and spaces,
 * and fields only the program sets, which are ignored. */
static struct store_record *sheet_row(void)
{
	struct store_record *r = store_record_new(STORE_CHILD);
	store_record_set(r, FK_case_no, "220221100-00099-5");
	store_record_set(r, FK_name, "张三");
	store_record_set(r, FK_id_number, "2202 2120 1503 1200 18");
	store_record_set(r, FK_sex, "男");                /* as derived */
	store_record_set(r, FK_birth_date, "2015年3月12日"); /* as derived */
	store_record_set(r, FK_village_code, TOWN "001");
	store_record_set(r, FK_village, "前进村");
	store_record_set(r, FK_father_status, "外出打工");
	store_record_set(r, FK_mother_status, "外出");
	store_record_set(r, FK_guardian_relation, "奶奶");
	store_record_set(r, FK_guardian_name, "李桂兰");
	store_record_set(r, FK_enrolment, "在读");
	store_record_set(r, FK_status, "exited");        /* system: ignored */
	store_record_set(r, FK_last_visit, "2026-01-05"); /* system: ignored */
	return r;
}

static enum ledger_import_result import_ok(struct tu_ledger *f,
					   const struct store_record *r)
{
	enum ledger_import_result res = -1;
	struct xb_error err;
	xb_error_clear(&err);
	struct store_txn *txn;
	assert_int_equal(store_txn_begin(f->st, &txn, &err), XB_OK);
	if (ledger_child_import(f->st, txn, r, "clerk", &res, NULL, NULL, &err) != XB_OK)
		fail_msg("import refused: %s", err.msg);
	assert_int_equal(store_txn_commit(&txn, &err), XB_OK);
	return res;
}

/* The last audit entry of a case: its action and changed keys. */
struct last_entry {
	char action[32];
	char keys[512];
	uint32_t version;
	int n;
};

static int keep_last(const struct store_audit *a, void *arg)
{
	struct last_entry *l = arg;
	snprintf(l->action, sizeof(l->action), "%s", a->action ? a->action : "");
	l->keys[0] = '\0';
	for (size_t i = 0; i < a->nchanges; i++) {
		size_t n = strlen(l->keys);
		snprintf(l->keys + n, sizeof(l->keys) - n, " %s", a->changes[i].key);
	}
	l->version = a->version;
	l->n++;
	return 0;
}

static struct last_entry last_entry(struct tu_ledger *f, const char *id)
{
	struct last_entry l;
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_history(f->st, id, keep_last, &l, NULL), XB_OK);
	return l;
}

static void test_sheet_import(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = sheet_row();
	const char *id = "220221100-00001-2";

	/* new: added as ledger_child_add would, audited "sheet" */
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_ADDED);
	struct store_record *c;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, id, &c, NULL), XB_OK);
	assert_string_equal(store_record_get(c, FK_id_number), "220221201503120018");
	assert_string_equal(store_record_get(c, FK_guardian_relation), "grandparent");
	assert_string_equal(store_record_get(c, FK_father_status), "away");
	assert_string_equal(store_record_get(c, FK_enrolment), "in_school");
	assert_string_equal(store_record_get(c, FK_birth_date), "2015-03-12");
	assert_string_equal(store_record_get(c, FK_status), "active");
	assert_null(store_record_get(c, FK_last_visit));
	assert_string_equal(store_record_get(c, FK_name_py), "zs");
	store_record_free(&c);
	struct last_entry l = last_entry(f, id);
	assert_string_equal(l.action, "sheet");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.version, 1);

	/* the same row again: nothing differs, nothing written */
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_UNCHANGED);
	l = last_entry(f, id);
	assert_int_equal(l.n, 1);
	uint64_t n;
	store_count(f->st, STORE_CHILD, &n, NULL);
	assert_int_equal(n, 1);

	/* a row with more: updated, the changes audited "sheet" */
	store_record_set(r, FK_guardian_phone, "138 1234 5678");
	store_record_set(r, FK_school, "口前镇中心小学");
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_UPDATED);
	l = last_entry(f, id);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.action, "sheet");
	assert_string_equal(l.keys, " guardian_phone school");
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_UNCHANGED);

	/* a row never changes the status: a child who left stays left */
	assert_int_equal(ledger_child_exit(f->st, id, "parents_returned", TODAY,
					   0, "clerk", NULL, NULL), XB_OK);
	store_record_set(r, FK_status, "active");
	store_record_set(r, FK_exit_reason, "other");
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_UNCHANGED);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, id, &c, NULL), XB_OK);
	assert_string_equal(store_record_get(c, FK_status), "exited");
	assert_string_equal(store_record_get(c, FK_exit_reason), "parents_returned");
	store_record_free(&c);

	/* a refused row writes nothing and says why */
	store_record_set(r, FK_guardian_relation, "路人");
	struct snapshot before = snap(f, id);
	enum ledger_import_result res;
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_child_import(f->st, NULL, r, "clerk", &res, NULL, NULL, &err),
			 XB_EINVAL);
	assert_string_equal(err.field, FK_guardian_relation);
	assert_unchanged(before, snap(f, id));
	store_record_free(&r);
}

/* A row without an ID number is matched by its case number. */
static void test_sheet_import_by_case(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_no_id(f, "李小红", "2016-05-01", TOWN "001");
	struct store_record *r = store_record_new(STORE_CHILD);
	store_record_set(r, FK_case_no, a);
	store_record_set(r, FK_name, "李小红");
	store_record_set(r, FK_grade, "四年级");
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_UPDATED);
	struct last_entry l = last_entry(f, a);
	assert_string_equal(l.action, "sheet");
	assert_string_equal(l.keys, " grade");
	/* the sheet gives the ID number the file lacked: the same child */
	store_record_set(r, FK_id_number, "220221201605010020");
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_UPDATED);
	struct store_record *c;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &c, NULL), XB_OK);
	assert_string_equal(store_record_get(c, FK_id_number), "220221201605010020");
	assert_string_equal(store_record_get(c, FK_sex), "F");
	store_record_free(&c);
	uint64_t n;
	store_count(f->st, STORE_CHILD, &n, NULL);
	assert_int_equal(n, 1);
	/* a case number not in the ledger: a new child, numbered here */
	store_record_free(&r);
	r = new_child("赵六", NULL);
	store_record_set(r, FK_birth_date, "2016-01-01");
	store_record_set(r, FK_sex, "M");
	store_record_set(r, FK_case_no, "220221100-00077-6");
	assert_int_equal(import_ok(f, r), LEDGER_IMPORT_ADDED);
	store_count(f->st, STORE_CHILD, &n, NULL);
	assert_int_equal(n, 2);
	struct store_record *none = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "220221100-00077-6",
				   &none, NULL), XB_ENOTFOUND);
	store_record_free(&r);
	free(a);
}

/* The figures from the kept counts equal a count of every record. */
static void assert_figures_agree(struct tu_ledger *f, const char *today)
{
	struct ledger_summary fast, slow;
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_summarize(f->st, today, &fast, &err) != XB_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(ledger_summary_recount(f->st, today, &slow, NULL), XB_OK);
	if (memcmp(&fast, &slow, sizeof(fast)) != 0)
		fail_msg("on %s: children %llu/%llu exited %llu/%llu unsupervised "
			 "%llu/%llu overdue %llu/%llu turning16 %llu/%llu not eligible "
			 "%llu/%llu reports open %llu/%llu unsent %llu/%llu visits "
			 "%llu/%llu", today,
			 (unsigned long long)fast.children, (unsigned long long)slow.children,
			 (unsigned long long)fast.exited, (unsigned long long)slow.exited,
			 (unsigned long long)fast.unsupervised,
			 (unsigned long long)slow.unsupervised,
			 (unsigned long long)fast.visits_overdue,
			 (unsigned long long)slow.visits_overdue,
			 (unsigned long long)fast.turning16_month,
			 (unsigned long long)slow.turning16_month,
			 (unsigned long long)fast.not_eligible,
			 (unsigned long long)slow.not_eligible,
			 (unsigned long long)fast.reports_open,
			 (unsigned long long)slow.reports_open,
			 (unsigned long long)fast.reports_unsent,
			 (unsigned long long)slow.reports_unsent,
			 (unsigned long long)fast.visits, (unsigned long long)slow.visits);
}

/* ... and the store's counts equal its own recount. */
static void assert_counts_agree(struct tu_ledger *f, const char *today)
{
	assert_figures_agree(f, today);
	int agree = 0;
	assert_int_equal(ledger_counts_check(f->st, today, &agree, NULL), XB_OK);
	assert_true(agree);
}

/* A child born on birth (its ID number idnum says so), as new_child. */
static char *add_born(struct tu_ledger *f, const char *name, const char *idnum,
		      const char *father)
{
	struct store_record *c = new_child(name, idnum);
	if (father != NULL)
		store_record_set(c, FK_father_status, father);
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_child_add(f->st, NULL, c, "clerk", &err) != XB_OK)
		fail_msg("%s: %s", name, err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

/* Every figure of the summary, read from the counts the store keeps,
 * stays what a count of the records gives through adds, edits, exits,
 * visits, reports and their steps, and a sheet's rows; on every day of
 * two years, so each child crosses the month it turns 16 in. */
static void test_summary_from_kept_counts(void **state)
{
	struct tu_ledger *f = *state;
	/* Around the month 16 years before TODAY (2010-11): */
	char *born[] = {
		add_born(f, "甲", "220221201011290117", NULL),   /* 16 today */
		add_born(f, "乙", "220221201011300215", NULL),   /* 16 tomorrow */
		add_born(f, "丙", "220221201011010314", NULL),   /* 16 this month */
		add_born(f, "丁", "220221201010150411", NULL),   /* 16 last month */
		add_born(f, "戊", "220221201012150511", NULL),   /* 16 next month */
		add_born(f, "己", "220221201011050615", NULL),   /* to leave */
		add_born(f, "庚", "220221201011100715", "home"), /* not left behind */
		add_born(f, "辛", "220221201202290910", NULL),   /* 29 February */
	};
	const size_t nborn = sizeof(born) / sizeof(born[0]);
	struct ledger_summary s;
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	assert_int_equal(s.children, 8);
	assert_int_equal(s.turning16_month, 5); /* 甲 乙 丙 己 庚 */
	assert_int_equal(s.not_eligible, 5);    /* 16 already: 甲 丙 丁 己 庚 */
	assert_counts_agree(f, TODAY);

	/* an edit: no guardian, a parent back home, a visit due */
	struct store_record *c;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, born[4], &c, NULL), XB_OK);
	store_record_set(c, FK_guardian_relation, "none");
	store_record_set(c, FK_guardian_name, NULL);
	store_record_set(c, FK_mother_status, "home");
	assert_int_equal(ledger_child_edit(f->st, c, "clerk", NULL), XB_OK);
	store_record_free(&c);
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	assert_int_equal(s.unsupervised, 1);
	assert_counts_agree(f, TODAY);

	/* leaving, visits (one due before today, one after), reports */
	assert_int_equal(ledger_child_exit(f->st, born[5], "moved_with_family", NULL, 0,
					   "clerk", NULL, NULL), XB_OK);
	struct store_record *v = visit(born[0], "2026-10-01", "2026-11-01");
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", NULL), XB_OK);
	store_record_free(&v);
	v = visit(born[1], "2026-11-20", "2026-12-20");
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "member", NULL), XB_OK);
	store_record_free(&v);
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	assert_int_equal(s.exited, 1);
	assert_int_equal(s.children, 7);
	assert_int_equal(s.visits, 2);
	assert_int_equal(s.visits_overdue, 1);
	assert_counts_agree(f, TODAY);

	char rids[2][64];
	for (int i = 0; i < 2; i++) {
		struct store_record *r = store_record_new(STORE_REPORT);
		store_record_set(r, FK_case_no, born[i]);
		store_record_set(r, FK_category, "unlawful_harm");
		store_record_set(r, FK_found_at, "2026-11-27 08:30");
		store_record_set(r, FK_found_by, "王老师");
		store_record_set(r, FK_reporter_kind, FK_school);
		store_record_set(r, FK_description, "身上有伤痕");
		assert_int_equal(ledger_report_add(f->st, NULL, r, "clerk", NULL), XB_OK);
		snprintf(rids[i], sizeof(rids[i]), "%s", r->id);
		store_record_free(&r);
	}
	struct store_record *st1 = step(rids[0], "reported", "2026-11-27 09:00");
	assert_int_equal(ledger_report_step(f->st, NULL, st1, "clerk", NULL, NULL), XB_OK);
	store_record_free(&st1);
	st1 = step(rids[1], "closed", "2026-11-28");
	assert_int_equal(ledger_report_step(f->st, NULL, st1, "clerk", NULL, NULL), XB_OK);
	store_record_free(&st1);
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	assert_int_equal(s.reports_open, 1);
	assert_int_equal(s.reports_unsent, 0);
	assert_int_equal(s.reports_by_stage[1], 1); /* reported */
	assert_counts_agree(f, TODAY);

	/* a sheet's row: a new child, then the same child changed */
	struct store_record *row = sheet_row();
	assert_int_equal(import_ok(f, row), LEDGER_IMPORT_ADDED);
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	uint64_t eligible_not = s.not_eligible;
	store_record_set(row, FK_father_status, "home");
	assert_int_equal(import_ok(f, row), LEDGER_IMPORT_UPDATED);
	store_record_free(&row);
	assert_int_equal(ledger_summarize(f->st, TODAY, &s, NULL), XB_OK);
	assert_int_equal(s.children, 8);
	assert_int_equal(s.not_eligible, eligible_not + 1);
	assert_counts_agree(f, TODAY);

	/* every day from 2026-01-01 to 2028-12-31 (2028-02-29: 辛 turns
	 * 16 on a leap day) */
	for (int y = 2026; y <= 2028; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				char day[40]; /* room for any int, as the compiler counts */
				snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
				if (form_parse_date(day, NULL, NULL, NULL) == 0)
					assert_figures_agree(f, day);
			}
	for (size_t i = 0; i < nborn; i++)
		free(born[i]);
}

/* A form cut off is kept for its user alone, taken out once: the fields
 * set (a note with a newline and a tab), those emptied, the id and version
 * it edits and its parent come back as kept; a draft that cannot be read
 * is no draft. */
static void test_drafts(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err = { 0 };
	struct store_record *c = store_record_new(STORE_VISIT), *back = NULL;
	char *cleared = NULL, parent[LEDGER_DRAFT_PARENT_MAX];
	store_record_set_id(c, "220221100-00001-2/V0001");
	c->version = 3;
	store_record_set(c, FK_problems, "作业没人辅导\n\t晚上独自在家");
	store_record_set(c, FK_visitor, "李主任");
	assert_int_equal(ledger_draft_take(f->st, "clerk", &back, &cleared, parent, &err),
			 XB_ENOTFOUND);
	assert_int_equal(ledger_draft_keep(f->st, "clerk", c, "next_due,kind",
					   "220221100-00001-2", &err),
			 XB_OK);
	/* another user has none */
	assert_int_equal(ledger_draft_take(f->st, "clerk2", &back, &cleared, parent, &err),
			 XB_ENOTFOUND);
	assert_int_equal(ledger_draft_take(f->st, "clerk", &back, &cleared, parent, &err), XB_OK);
	assert_int_equal(back->kind, STORE_VISIT);
	assert_string_equal(back->id, "220221100-00001-2/V0001");
	assert_int_equal(back->version, 3);
	assert_string_equal(store_record_get(back, FK_problems), "作业没人辅导\n\t晚上独自在家");
	assert_string_equal(store_record_get(back, FK_visitor), "李主任");
	assert_string_equal(cleared, "next_due,kind");
	assert_string_equal(parent, "220221100-00001-2");
	store_record_free(&back);
	free(cleared);
	/* taken: offered once */
	assert_int_equal(ledger_draft_take(f->st, "clerk", &back, &cleared, parent, &err),
			 XB_ENOTFOUND);
	/* a draft that cannot be read (cut short) is none, and is gone */
	assert_int_equal(store_meta_set(f->st, NULL, "draft:clerk", "220221100-00001-2\t\t0a0", &err),
			 XB_OK);
	assert_int_equal(ledger_draft_take(f->st, "clerk", &back, &cleared, parent, &err),
			 XB_ENOTFOUND);
	assert_null(back);
	assert_null(cleared);
	/* a parent with a tab is refused, nothing kept */
	assert_int_equal(ledger_draft_keep(f->st, "clerk", c, "", "a\tb", &err), XB_EINVAL);
	assert_int_equal(ledger_draft_take(f->st, "clerk", &back, &cleared, parent, &err),
			 XB_ENOTFOUND);
	store_record_free(&c);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_ledger_teardown)
	const struct CMUnitTest tests[] = {
		T(test_register_allocates_case_numbers),
		T(test_refused_input_leaves_store_unchanged),
		T(test_edit_and_stale_edit),
		T(test_exit),
		T(test_visits_move_the_child),
		T(test_visits_logged_together),
		T(test_report_timeline),
		T(test_search),
		T(test_names_in_pinyin_order),
		T(test_summary_counts),
		T(test_summary_from_kept_counts),
		T(test_record_placement),
		T(test_similar_children),
		T(test_sheet_import),
		T(test_sheet_import_by_case),
		T(test_drafts),
		cmocka_unit_test(test_county_ledger_registers_no_children),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
