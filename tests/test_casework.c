/* test_casework.c - the responsible members and the visit rules of
 * forms/members.c, and key cases, over a real store: a member must be a
 * user (by user name or full name), a village member only for their
 * villages' children, a sheet keeps an unknown member and says so; a
 * visit without its next date gets the interval, 30 days for a child
 * without supervision or with a report open, and a registration the
 * same; a ledger from before the rules gets its dates; a key case needs
 * its reason; the township's deadlines of a report after the police
 * notify it (assessment, then services), from the office's settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "forms/ledger.h"

#define TOWN "220221100"

static int setup(void **state)
{
	tu_pin_clock(TU_TODAY "T09:30:00");
	tu_lang("C.UTF-8");
	struct tu_ledger *f = tu_ledger_new(TOWN, "示范镇", NULL);
	*state = f;
	if (f == NULL)
		return -1;
	/* "clerk" made the ledger: its leader. Two villages, a member of
	 * each, a clerk, and a second user called 王秀英. */
	const char *codes[] = { TOWN "201", TOWN "202" };
	const char *names[] = { "前进村", "红旗村" };
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_villages_add(f->st, codes, names, 2, "clerk", NULL, &err) != XB_OK ||
	    ledger_user_add(f->st, "clerk", "wangxy", "village", TOWN "201", "王秀英",
			    NULL, &err) != XB_OK ||
	    ledger_user_phone(f->st, "clerk", "wangxy", "13944210001", &err) != XB_OK ||
	    ledger_user_add(f->st, "clerk", "lihong", "village", TOWN "202", "李红", NULL,
			    &err) != XB_OK ||
	    ledger_user_add(f->st, "clerk", "ganshi", "clerk", NULL, "赵干事", NULL, &err) !=
		    XB_OK ||
	    ledger_user_add(f->st, "clerk", "county", "clerk", NULL, "同名", NULL, &err) !=
		    XB_OK ||
	    ledger_user_add(f->st, "clerk", "county2", "clerk", NULL, "同名", NULL, &err) !=
		    XB_OK) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static struct store_record *new_child(const char *village, const char *member)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, "张小花");
	store_record_set(c, FK_birth_date, "2015-03-12");
	store_record_set(c, FK_sex, "F");
	store_record_set(c, FK_village_code, village);
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "张桂芝");
	store_record_set(c, FK_enrolment, "in_school");
	store_record_set(c, FK_member_name, member);
	return c;
}

/* Registers a child; its case number (malloc'd), or NULL with err. */
static char *add(struct tu_ledger *f, const char *village, const char *member,
		 struct xb_error *err)
{
	struct store_record *c = new_child(village, member);
	xb_error_clear(err);
	char *id = ledger_child_add(f->st, NULL, c, "clerk", err) == XB_OK ? strdup(c->id)
									     : NULL;
	store_record_free(&c);
	return id;
}

static char *field(struct tu_ledger *f, const char *case_no, const char *key)
{
	struct store_record *c = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, case_no, &c, NULL), XB_OK);
	const char *v = store_record_get(c, key);
	char *out = strdup(v ? v : "");
	store_record_free(&c);
	return out;
}

#define assert_field(f, id, key, want)                                  \
	do {                                                            \
		char *got_ = field(f, id, key);                          \
		assert_string_equal(got_, want);                        \
		free(got_);                                             \
	} while (0)

static void test_date_add(void **state)
{
	(void)state;
	char out[11];
	assert_int_equal(form_date_add("2026-11-29", 90, out), 0);
	assert_string_equal(out, "2027-02-27");
	assert_int_equal(form_date_add("2028-02-28", 1, out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(form_date_add("2027-03-01 10:00", -1, out), 0);
	assert_string_equal(out, "2027-02-28");
	assert_int_equal(form_date_add("2026-12-31", 366, out), 0);
	assert_string_equal(out, "2028-01-01");
	assert_int_equal(form_date_add("2026-02-30", 1, out), -1);
	assert_int_equal(form_date_add("9999-12-31", 1, out), -1);
	assert_int_equal(form_date_add(NULL, 1, out), -1);
}

static void test_member_find(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *u = NULL;
	struct xb_error err;
	assert_int_equal(ledger_member_find(f->st, NULL, "wangxy", &u, &err), XB_OK);
	assert_string_equal(u->id, "wangxy");
	store_record_free(&u);
	assert_int_equal(ledger_member_find(f->st, NULL, "李红", &u, &err), XB_OK);
	assert_string_equal(u->id, "lihong");
	store_record_free(&u);
	assert_int_equal(ledger_member_find(f->st, NULL, "李主任", &u, &err), XB_ENOTFOUND);
	assert_null(u);
	assert_msg_has(err, "李主任 is not a user of this ledger");
	assert_msg_has(err, "xiangban user add");
	assert_string_equal(err.field, FK_member_name);
	assert_int_equal(ledger_member_find(f->st, NULL, "同名", &u, &err), XB_EINVAL);
	assert_null(u);
	assert_msg_has(err, "Several users are called 同名");

	struct ledger_member m;
	assert_int_equal(ledger_member_names(f->st, "李红", &m, &err), XB_OK);
	assert_string_equal(m.name, "lihong");
	assert_string_equal(m.display, "李红");
	assert_int_equal(m.user, 1);
	assert_int_equal(ledger_member_names(f->st, "老村长", &m, &err), XB_OK);
	assert_string_equal(m.name, "老村长");
	assert_int_equal(m.user, 0);
}

static void test_member_must_be_a_user(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *id = add(f, TOWN "201", "李主任", &err);
	assert_null(id);
	assert_int_equal(err.code, XB_EINVAL);
	assert_msg_has(err, "李主任 is not a user of this ledger");
	assert_string_equal(err.field, FK_member_name);
	/* a village member only for the children of their villages */
	id = add(f, TOWN "202", "wangxy", &err);
	assert_null(id);
	assert_msg_has(err, "village member of " TOWN "201 only");
	/* a disabled user is no member; nor is one of no member's role */
	assert_int_equal(ledger_user_disable(f->st, "clerk", "ganshi", 1, &err), XB_OK);
	assert_null(add(f, TOWN "201", "ganshi", &err));
	assert_msg_has(err, "disabled");
	assert_int_equal(ledger_user_disable(f->st, "clerk", "ganshi", 0, &err), XB_OK);

	char *a = add(f, TOWN "201", "王秀英", &err); /* by full name */
	assert_non_null(a);
	char *b = add(f, TOWN "202", "ganshi", &err); /* a clerk, any village */
	assert_non_null(b);
	assert_field(f, a, FK_member_name, "王秀英"); /* kept as typed */

	/* an edit to no user is refused; an edit of something else keeps a
	 * member checked before, even one disabled since */
	struct store_record *c = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &c, NULL), XB_OK);
	store_record_set(c, FK_member_name, "某人");
	assert_int_equal(ledger_child_edit(f->st, c, "clerk", &err), XB_EINVAL);
	store_record_free(&c);
	assert_int_equal(ledger_user_disable(f->st, "clerk", "wangxy", 1, &err), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &c, NULL), XB_OK);
	store_record_set(c, FK_grade, "三年级");
	assert_int_equal(ledger_child_edit(f->st, c, "clerk", &err), XB_OK);
	/* moved to another village: the member is checked again */
	store_record_set(c, FK_village_code, TOWN "202");
	store_record_set(c, FK_village, NULL);
	assert_int_equal(ledger_child_edit(f->st, c, "clerk", &err), XB_EINVAL);
	store_record_free(&c);
	free(a);
	free(b);
}

static void test_sheet_keeps_unknown_member(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *row = new_child(TOWN "201", "老村长");
	store_record_set(row, FK_id_number, "220221201503120122");
	enum ledger_import_result res;
	char case_no[LEDGER_CASE_MAX];
	struct xb_error note, err;
	assert_int_equal(ledger_child_import(f->st, NULL, row, "clerk", &res, case_no, &note,
					     &err),
			 XB_OK);
	assert_int_equal(res, LEDGER_IMPORT_ADDED);
	assert_msg_has(note, "kept as written: 老村长 is not a user");
	assert_field(f, case_no, FK_member_name, "老村长");
	/* the same row again: nothing changed, nothing to tell */
	assert_int_equal(ledger_child_import(f->st, NULL, row, "clerk", &res, case_no, &note,
					     &err),
			 XB_OK);
	assert_int_equal(res, LEDGER_IMPORT_UNCHANGED);
	assert_string_equal(note.msg, "");
	/* a known member: no note */
	store_record_set(row, FK_member_name, "wangxy");
	assert_int_equal(ledger_child_import(f->st, NULL, row, "clerk", &res, case_no, &note,
					     &err),
			 XB_OK);
	assert_int_equal(res, LEDGER_IMPORT_UPDATED);
	assert_string_equal(note.msg, "");
	store_record_free(&row);
}

static struct store_record *visit(const char *case_no, const char *date,
				  const char *next)
{
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, case_no);
	store_record_set(v, FK_date, date);
	store_record_set(v, FK_visitor, "王秀英");
	store_record_set(v, FK_kind, "home");
	store_record_set(v, FK_next_due, next);
	return v;
}

static void visit_ok(struct tu_ledger *f, const char *case_no, const char *date,
		     const char *next)
{
	struct store_record *v = visit(case_no, date, next);
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_visit_add(f->st, NULL, v, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
	store_record_free(&v);
}

static void test_visit_intervals(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *a = add(f, TOWN "201", "wangxy", &err);
	assert_non_null(a);
	/* registered today without a next visit due: today + 90 */
	assert_field(f, a, FK_next_visit_due, "2027-02-27");
	visit_ok(f, a, "2026-11-20", NULL);
	assert_field(f, a, FK_next_visit_due, "2027-02-18");
	visit_ok(f, a, "2026-11-21", "2026-12-01"); /* its own date stands */
	assert_field(f, a, FK_next_visit_due, "2026-12-01");

	/* no guardian: 30 days, from registration and from a visit */
	struct store_record *c = new_child(TOWN "201", "wangxy");
	store_record_set(c, FK_guardian_relation, "none");
	store_record_set(c, FK_guardian_name, NULL);
	store_record_set(c, FK_next_visit_due, NULL);
	assert_int_equal(ledger_child_add(f->st, NULL, c, "clerk", &err), XB_OK);
	char *b = strdup(c->id);
	store_record_free(&c);
	assert_field(f, b, FK_next_visit_due, "2026-12-29");
	visit_ok(f, b, "2026-11-25", NULL);
	assert_field(f, b, FK_next_visit_due, "2026-12-25");

	/* a report open shortens it; closed, the long interval is back */
	struct store_record *r = store_record_new(STORE_REPORT);
	store_record_set(r, FK_case_no, a);
	store_record_set(r, FK_category, "accidental_injury");
	store_record_set(r, FK_found_at, "2026-11-26 09:00");
	store_record_set(r, FK_found_by, "王老师");
	store_record_set(r, FK_reporter_kind, "school");
	store_record_set(r, FK_description, "摔伤");
	assert_int_equal(ledger_report_add(f->st, NULL, r, "clerk", &err), XB_OK);
	char *rid = strdup(r->id);
	store_record_free(&r);
	visit_ok(f, a, "2026-11-27", NULL);
	assert_field(f, a, FK_next_visit_due, "2026-12-27");
	struct store_record *s = store_record_new(STORE_STEP);
	store_record_set(s, FK_report_id, rid);
	store_record_set(s, FK_step, "closed");
	store_record_set(s, FK_date, "2026-11-28");
	store_record_set(s, FK_by, "示范镇");
	assert_int_equal(ledger_report_step(f->st, NULL, s, "clerk", NULL, &err), XB_OK);
	store_record_free(&s);
	visit_ok(f, a, "2026-11-28", NULL);
	assert_field(f, a, FK_next_visit_due, "2027-02-26");

	/* the office's own intervals */
	assert_int_equal(ledger_setting_set(f->st, "ganshi", "visit_interval_days", "60", &err),
			 XB_EPERM);
	assert_int_equal(ledger_setting_set(f->st, "clerk", "visit_interval_days", "0", &err),
			 XB_EINVAL);
	assert_int_equal(ledger_setting_set(f->st, "clerk", "visit_interval_days", "60", &err),
			 XB_OK);
	assert_int_equal(ledger_setting_set(f->st, "clerk", "visit_interval_close_days", "7",
					    &err),
			 XB_OK);
	visit_ok(f, a, "2026-11-29", NULL);
	assert_field(f, a, FK_next_visit_due, "2027-01-28");
	visit_ok(f, b, "2026-11-29", NULL);
	assert_field(f, b, FK_next_visit_due, "2026-12-06");
	free(rid);
	free(a);
	free(b);
}

static void test_due_fill(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *a = add(f, TOWN "201", "wangxy", &err);
	char *b = add(f, TOWN "201", "wangxy", &err);
	assert_non_null(a);
	assert_non_null(b);
	visit_ok(f, b, "2026-11-10", "2026-12-10");
	/* as a ledger from before the rules holds them: no dates */
	struct store_record *c = NULL;
	const char *ids[] = { a, b };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_get(f->st, NULL, STORE_CHILD, ids[i], &c, NULL), XB_OK);
		store_record_set(c, FK_next_visit_due, NULL);
		assert_int_equal(ledger_child_edit(f->st, c, "clerk", &err), XB_OK);
		store_record_free(&c);
	}
	uint64_t n = 0;
	assert_int_equal(ledger_due_fill(f->st, "clerk", 1, &n, &err), XB_OK);
	assert_int_equal(n, 2);
	assert_field(f, a, FK_next_visit_due, ""); /* counted, not changed */
	assert_int_equal(ledger_due_fill(f->st, "wangxy", 0, &n, &err), XB_EPERM);
	/* a day later: never visited, from the registration; visited, from
	 * the last visit */
	tu_pin_clock("2026-11-30T09:00:00");
	assert_int_equal(ledger_due_fill(f->st, "clerk", 0, &n, &err), XB_OK);
	assert_int_equal(n, 2);
	assert_field(f, a, FK_next_visit_due, "2027-02-27");
	assert_field(f, b, FK_next_visit_due, "2027-02-08");
	assert_int_equal(ledger_due_fill(f->st, "clerk", 1, &n, &err), XB_OK);
	assert_int_equal(n, 0);
	/* overdue once the day has passed, in the kept counts too */
	struct ledger_summary s;
	assert_int_equal(ledger_summarize(f->st, "2027-02-28", &s, &err), XB_OK);
	assert_int_equal(s.visits_overdue, 2);
	assert_int_equal(ledger_summarize(f->st, "2027-02-08", &s, &err), XB_OK);
	assert_int_equal(s.visits_overdue, 0);
	int agree = 0;
	assert_int_equal(ledger_counts_check(f->st, "2027-02-28", &agree, &err), XB_OK);
	assert_int_equal(agree, 1);
	free(a);
	free(b);
}

static void test_key_case_needs_reason(void **state)
{
	(void)state;
	struct store_record *c = new_child(TOWN "201", NULL);
	struct xb_error err;
	store_record_set(c, FK_village, "前进村");
	store_record_set(c, FK_key_case, "yes");
	assert_int_equal(form_check_record(c, TU_TODAY, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_key_case_reason);
	assert_msg_has(err, "required for a key case");
	store_record_set(c, FK_key_case, "no");
	store_record_set(c, FK_key_case_reason, "独居");
	assert_int_equal(form_check_record(c, TU_TODAY, &err), XB_EINVAL);
	assert_msg_has(err, "only for a key case");
	store_record_set(c, FK_key_case, "是"); /* the Chinese word */
	assert_int_equal(form_check_record(c, TU_TODAY, &err), XB_OK);
	assert_string_equal(store_record_get(c, FK_key_case), "yes");
	store_record_free(&c);
}

static int collect(const struct store_record *child, void *arg)
{
	char *ids = arg;
	strcat(ids, child->id);
	strcat(ids, " ");
	return 0;
}

static void test_member_children_and_phone(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *a = add(f, TOWN "201", "wangxy", &err);
	char *b = add(f, TOWN "201", "王秀英", &err);
	char *c = add(f, TOWN "202", "lihong", &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	char got[256] = "", want[256];
	assert_int_equal(ledger_member_children(f->st, "clerk", "wangxy", collect, got, &err),
			 XB_OK);
	snprintf(want, sizeof(want), "%s %s ", a, b);
	assert_string_equal(got, want);
	/* a village user sees only their villages' children */
	got[0] = '\0';
	assert_int_equal(ledger_member_children(f->st, "wangxy", "lihong", collect, got, &err),
			 XB_OK);
	assert_string_equal(got, "");
	got[0] = '\0';
	assert_int_equal(ledger_member_children(f->st, "lihong", "李红", collect, got, &err),
			 XB_OK);
	snprintf(want, sizeof(want), "%s ", c);
	assert_string_equal(got, want);

	/* the slip's phone: the member's user record's when the file has none */
	struct store_record *r = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, b, &r, NULL), XB_OK);
	assert_int_equal(ledger_member_phone_fill(f->st, r, &err), XB_OK);
	assert_string_equal(store_record_get(r, FK_member_phone), "13944210001");
	store_record_set(r, FK_member_phone, "13800000000");
	assert_int_equal(ledger_member_phone_fill(f->st, r, &err), XB_OK);
	assert_string_equal(store_record_get(r, FK_member_phone), "13800000000");
	store_record_free(&r);
	assert_field(f, b, FK_member_phone, ""); /* never saved */
	free(a);
	free(b);
	free(c);
}

static void test_find_ids_by_prefix(void **state)
{
	struct tu_ledger *f = *state;
	char **ids;
	size_t n;
	assert_int_equal(store_find_ids(f->st, NULL, STORE_USER, STORE_BY_ID, "", &ids, &n,
					NULL),
			 XB_OK);
	assert_int_equal(n, 10); /* clerk, testutil's four and setup's five */
	assert_string_equal(ids[0], "clerk");
	store_ids_free(ids, n);
	assert_int_equal(store_find_ids(f->st, NULL, STORE_USER, STORE_BY_ID, "county", &ids,
					&n, NULL),
			 XB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ids[1], "county2");
	store_ids_free(ids, n);
	assert_int_equal(store_find_ids(f->st, NULL, STORE_USER, STORE_BY_ID, "zz", &ids, &n,
					NULL),
			 XB_OK);
	assert_int_equal(n, 0);
	store_ids_free(ids, n);
}

/* --- the township's deadlines after the police (forms/deadlines.c) --- */

/* A report on case_no found and told to the police on found (a date);
 * its id (malloc'd). */
static char *add_report(struct tu_ledger *f, const char *case_no, const char *found)
{
	struct store_record *r = store_record_new(STORE_REPORT);
	struct xb_error err;
	xb_error_clear(&err);
	store_record_set(r, FK_case_no, case_no);
	store_record_set(r, FK_category, "domestic_violence");
	store_record_set(r, FK_found_at, found);
	store_record_set(r, FK_found_by, "王老师");
	store_record_set(r, FK_reporter_kind, "school");
	store_record_set(r, FK_description, "身上有伤");
	store_record_set(r, FK_reported_at, found);
	if (ledger_report_add(f->st, NULL, r, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *rid = strdup(r->id);
	store_record_free(&r);
	return rid;
}

static void step_ok(struct tu_ledger *f, const char *rid, const char *what,
		    const char *date)
{
	struct store_record *s = store_record_new(STORE_STEP);
	struct xb_error err;
	xb_error_clear(&err);
	store_record_set(s, FK_report_id, rid);
	store_record_set(s, FK_step, what);
	store_record_set(s, FK_date, date);
	store_record_set(s, FK_by, "示范镇");
	if (ledger_report_step(f->st, NULL, s, "clerk", NULL, &err) != XB_OK)
		fail_msg("%s", err.msg);
	store_record_free(&s);
}

/* The deadline of report rid on today, its words and its cell. */
struct due_seen {
	struct ledger_due due;
	char text[256], cell[64];
};

static struct due_seen due_of(struct tu_ledger *f, const char *rid, const char *today)
{
	struct due_seen d;
	struct store_record *r = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(store_get(f->st, NULL, STORE_REPORT, rid, &r, &err), XB_OK);
	if (ledger_report_due(f->st, r, today, &d.due, &err) != XB_OK)
		fail_msg("%s", err.msg);
	store_record_free(&r);
	ledger_due_text(&d.due, d.text, sizeof(d.text));
	ledger_due_short(&d.due, d.cell, sizeof(d.cell));
	return d;
}

/* Not yet notified, nothing beyond the police; notified, the assessment
 * falls due a week later, then is late; assessed, the services fall due
 * half a month after; done, nothing more. An intervention is neither. */
static void test_report_deadlines(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *a = add(f, TOWN "201", "wangxy", &err);
	assert_non_null(a);
	char *rid = add_report(f, a, "2026-11-20 08:30");
	struct due_seen d = due_of(f, rid, TU_TODAY);
	assert_string_equal(d.due.stage, "");
	assert_string_equal(d.text, "");
	assert_string_equal(d.cell, "");
	step_ok(f, rid, "police_response", "2026-11-20 09:10");
	assert_string_equal(due_of(f, rid, TU_TODAY).due.stage, "");

	step_ok(f, rid, "township_notified", "2026-11-25 16:00");
	d = due_of(f, rid, TU_TODAY);
	assert_string_equal(d.due.stage, "assessment");
	assert_string_equal(d.due.since, "2026-11-25");
	assert_string_equal(d.due.due, "2026-12-02");
	assert_int_equal(d.due.days_left, 3);
	assert_string_equal(d.text, "Assessment: due by 2026-12-02 (3 days left)");
	assert_string_equal(d.cell, "assess. 3 d left");
	d = due_of(f, rid, "2026-12-01");
	assert_string_equal(d.text, "Assessment: due by 2026-12-02 (1 day left)");
	d = due_of(f, rid, "2026-12-02");
	assert_int_equal(d.due.days_left, 0);
	assert_string_equal(d.text, "Assessment: due by 2026-12-02 (today is the last day)");
	assert_string_equal(d.cell, "assess. due today");
	d = due_of(f, rid, "2026-12-04");
	assert_int_equal(d.due.days_left, -2);
	assert_string_equal(d.text, "Assessment: 2 days late (due by 2026-12-02)");
	assert_string_equal(d.cell, "assess. 2 d late");

	/* a guardianship intervention is not the assessment */
	step_ok(f, rid, "intervention", "2026-11-26 10:00");
	assert_string_equal(due_of(f, rid, TU_TODAY).due.stage, "assessment");

	step_ok(f, rid, "assessment", "2026-11-27 15:00");
	d = due_of(f, rid, TU_TODAY);
	assert_string_equal(d.due.stage, "services");
	assert_string_equal(d.due.since, "2026-11-27");
	assert_string_equal(d.due.due, "2026-12-12");
	assert_int_equal(d.due.days_left, 13);
	assert_string_equal(d.text,
			    "Services or assistance: due by 2026-12-12 (13 days left)");
	assert_string_equal(d.cell, "serv. 13 d left");
	d = due_of(f, rid, "2026-12-13");
	assert_string_equal(d.text, "Services or assistance: 1 day late (due by 2026-12-12)");
	assert_string_equal(d.cell, "serv. 1 d late");

	step_ok(f, rid, "services", "2026-11-28 09:00");
	d = due_of(f, rid, TU_TODAY);
	assert_string_equal(d.due.stage, "");
	assert_string_equal(d.text, "");

	/* late, then closed: nothing is due of a closed report */
	char *late = add_report(f, a, "2026-11-10 08:00");
	step_ok(f, late, "township_notified", "2026-11-11 08:00");
	d = due_of(f, late, TU_TODAY);
	assert_int_equal(d.due.days_left, -11);
	assert_string_equal(d.text, "Assessment: 11 days late (due by 2026-11-18)");
	step_ok(f, late, "closed", "2026-11-29 09:00");
	d = due_of(f, late, TU_TODAY);
	assert_string_equal(d.due.stage, "");
	assert_string_equal(d.cell, "");
	free(late);
	free(rid);
	free(a);
}

/* The days are the office's: a leader changes them (a clerk may not, a
 * day count from 1 to 366), the deadlines follow at once, and another
 * office's ledger keeps its own. */
static void test_deadline_settings(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char v[32];
	assert_int_equal(ledger_setting_get(f->st, "assessment_due_days", v, sizeof(v), &err),
			 XB_OK);
	assert_string_equal(v, "7");
	assert_int_equal(ledger_setting_get(f->st, "services_due_days", v, sizeof(v), &err),
			 XB_OK);
	assert_string_equal(v, "15");
	char *a = add(f, TOWN "201", "wangxy", &err);
	assert_non_null(a);
	char *rid = add_report(f, a, "2026-11-20 08:30");
	step_ok(f, rid, "township_notified", "2026-11-25 16:00");
	assert_int_equal(due_of(f, rid, TU_TODAY).due.days_left, 3);

	assert_int_equal(ledger_setting_set(f->st, "ganshi", "assessment_due_days", "3", &err),
			 XB_EPERM);
	assert_msg_has(err, "manage users");
	assert_int_equal(ledger_setting_set(f->st, "clerk", "assessment_due_days", "0", &err),
			 XB_EINVAL);
	assert_msg_has(err, "from 1 to 366");
	assert_int_equal(ledger_setting_set(f->st, "clerk", "services_due_days", "2w", &err),
			 XB_EINVAL);
	assert_int_equal(due_of(f, rid, TU_TODAY).due.days_left, 3);

	assert_int_equal(ledger_setting_set(f->st, "clerk", "assessment_due_days", "3", &err),
			 XB_OK);
	struct due_seen d = due_of(f, rid, TU_TODAY);
	assert_string_equal(d.due.due, "2026-11-28");
	assert_int_equal(d.due.days_left, -1);
	assert_string_equal(d.text, "Assessment: 1 day late (due by 2026-11-28)");

	assert_int_equal(ledger_setting_set(f->st, "clerk", "services_due_days", "30", &err),
			 XB_OK);
	step_ok(f, rid, "assessment", "2026-11-27 15:00");
	d = due_of(f, rid, TU_TODAY);
	assert_string_equal(d.due.due, "2026-12-27");
	assert_int_equal(d.due.days_left, 28);

	/* another township's ledger: its own defaults */
	struct tu_ledger *g = tu_ledger_new("220221200", "二道镇", NULL);
	assert_non_null(g);
	assert_int_equal(ledger_setting_get(g->st, "assessment_due_days", v, sizeof(v), &err),
			 XB_OK);
	assert_string_equal(v, "7");
	void *gs = g;
	tu_ledger_teardown(&gs);
	free(rid);
	free(a);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_ledger_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_add),
		T(test_member_find),
		T(test_member_must_be_a_user),
		T(test_sheet_keeps_unknown_member),
		T(test_visit_intervals),
		T(test_due_fill),
		cmocka_unit_test_setup(test_key_case_needs_reason, tu_setup_english),
		T(test_member_children_and_phone),
		T(test_find_ids_by_prefix),
		T(test_report_deadlines),
		T(test_deadline_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
