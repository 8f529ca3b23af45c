/* test_requests.c - requests for a leader's approval (forms/requests.c)
 * over a real store: a clerk's exit, closing and chosen steps wait; a
 * leader approves (the action done as asked, in one transaction), sends
 * back or finds it no longer applies; the asker withdraws; a second
 * request is refused; the checks before an exit; the requests' own rules
 * as a bundle's records meet them.
 *
 * The fixture's ledger: "clerk" is its leader (it ran init), "clerk2" a
 * clerk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "forms/ledger.h"

#define TOWN "220221100"
#define LEADER "clerk"
#define CLERK "clerk2"

static int setup(void **state)
{
	tu_pin_clock("2026-11-01T09:00:00");
	tu_lang("C.UTF-8");
	*state = tu_ledger_new(TOWN, "示范镇", "0432-64201234");
	return *state != NULL ? 0 : -1;
}

/* A child registered now, born on birth (no ID number). */
static char *add_child(struct tu_ledger *f, const char *name, const char *birth)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, name);
	store_record_set(c, FK_sex, "F");
	store_record_set(c, FK_birth_date, birth);
	store_record_set(c, FK_village_code, TOWN "001");
	store_record_set(c, FK_village, "前进村");
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "李桂兰");
	store_record_set(c, FK_enrolment, "in_school");
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_child_add(f->st, NULL, c, LEADER, &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

/* A report on case, found and told to the police; its id into rid[64]. */
static void add_report(struct tu_ledger *f, const char *case_no, char rid[64])
{
	struct store_record *r = store_record_new(STORE_REPORT);
	store_record_set(r, FK_case_no, case_no);
	store_record_set(r, FK_category, "accidental_injury");
	store_record_set(r, FK_found_at, "2026-11-27 08:30");
	store_record_set(r, FK_found_by, "王老师");
	store_record_set(r, FK_reporter_kind, "school");
	store_record_set(r, FK_description, "在校摔伤");
	store_record_set(r, FK_reported_at, "2026-11-27 09:00");
	assert_int_equal(ledger_report_add(f->st, NULL, r, LEADER, NULL), XB_OK);
	snprintf(rid, 64, "%s", r->id);
	store_record_free(&r);
}

static struct store_record *step(const char *rid, const char *what, const char *date)
{
	struct store_record *s = store_record_new(STORE_STEP);
	store_record_set(s, FK_report_id, rid);
	store_record_set(s, FK_step, what);
	store_record_set(s, FK_date, date);
	store_record_set(s, FK_by, "示范镇");
	return s;
}

static const char *field_of(struct tu_ledger *f, enum store_kind kind, const char *id,
			    const char *key, char *buf, size_t len)
{
	struct store_record *r = NULL;
	assert_int_equal(store_get(f->st, NULL, kind, id, &r, NULL), XB_OK);
	const char *v = store_record_get(r, key);
	snprintf(buf, len, "%s", v ? v : "");
	store_record_free(&r);
	return buf;
}

#define CHILD_FIELD(id, key) field_of(f, STORE_CHILD, id, key, buf, sizeof(buf))
#define REQ_FIELD(id, key) field_of(f, STORE_REQUEST, id, key, buf, sizeof(buf))

static void test_clerk_exit_waits_then_approved(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "2015-03-12");
	char buf[128], req[LEDGER_REQUEST_MAX], id[64];
	struct xb_error err;
	tu_pin_clock("2026-11-29T10:00:00");

	/* the clerk's exit: a request, the child stays */
	assert_int_equal(ledger_child_exit(f->st, a, "parents_returned", "2026-11-28", 0,
					   CLERK, req, NULL), XB_OK);
	snprintf(id, sizeof(id), "%s/Q01", a);
	assert_string_equal(req, id);
	assert_string_equal(CHILD_FIELD(a, FK_status), "active");
	assert_string_equal(REQ_FIELD(id, FK_action), "exit");
	assert_string_equal(REQ_FIELD(id, FK_target), a);
	assert_string_equal(REQ_FIELD(id, FK_exit_reason), "parents_returned");
	assert_string_equal(REQ_FIELD(id, FK_exit_date), "2026-11-28");
	assert_string_equal(REQ_FIELD(id, FK_status), "waiting");
	assert_string_equal(REQ_FIELD(id, FK_asked_by), CLERK);
	assert_string_equal(REQ_FIELD(id, FK_asked_at), "2026-11-29 10:00");
	assert_string_equal(REQ_FIELD(id, FK_decided_by), "");

	uint64_t n = 9;
	assert_int_equal(ledger_requests_waiting(f->st, LEADER, &n, NULL), XB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ledger_requests_waiting(f->st, CLERK, &n, NULL), XB_OK);
	assert_int_equal(n, 0); /* not theirs to decide */

	/* the same again, by anyone, names the first */
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, CLERK, req, &err),
			 XB_EEXIST);
	assert_msg_has(err, id);
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, LEADER, req, &err),
			 XB_EEXIST);
	assert_msg_has(err, "approve it or send it back");
	/* a caller that cannot show a request is refused rather than asking */
	char *b = add_child(f, "李四", "2014-01-01");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit(f->st, b, "other", NULL, 0, CLERK, NULL, &err),
			 XB_EPERM);

	/* a clerk may not decide; the leader approves: done as asked */
	xb_error_clear(&err);
	assert_int_equal(ledger_request_approve(f->st, CLERK, id, NULL, &err), XB_EPERM);
	tu_pin_clock("2026-11-29T11:15:00");
	assert_int_equal(ledger_request_approve(f->st, LEADER, id, "同意", NULL), XB_OK);
	assert_string_equal(CHILD_FIELD(a, FK_status), "exited");
	assert_string_equal(CHILD_FIELD(a, FK_exit_reason), "parents_returned");
	assert_string_equal(CHILD_FIELD(a, FK_exit_date), "2026-11-28");
	assert_string_equal(REQ_FIELD(id, FK_status), "approved");
	assert_string_equal(REQ_FIELD(id, FK_decided_by), LEADER);
	assert_string_equal(REQ_FIELD(id, FK_decided_at), "2026-11-29 11:15");
	assert_string_equal(REQ_FIELD(id, FK_comment), "同意");
	assert_int_equal(ledger_requests_waiting(f->st, LEADER, &n, NULL), XB_OK);
	assert_int_equal(n, 0);
	xb_error_clear(&err);
	assert_int_equal(ledger_request_approve(f->st, LEADER, id, NULL, &err), XB_EINVAL);
	assert_msg_has(err, "approved already");
	free(a);
	free(b);
}

static void test_leader_acts_at_once(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "2015-03-12");
	char buf[128], req[LEDGER_REQUEST_MAX] = "x", id[64];
	tu_pin_clock("2026-11-29T10:00:00");
	assert_int_equal(ledger_child_exit(f->st, a, "moved_with_family", NULL, 0, LEADER,
					   req, NULL), XB_OK);
	assert_string_equal(req, "");
	assert_string_equal(CHILD_FIELD(a, FK_status), "exited");
	assert_string_equal(CHILD_FIELD(a, FK_exit_date), "2026-11-29");
	/* recorded as approved by them */
	snprintf(id, sizeof(id), "%s/Q01", a);
	assert_string_equal(REQ_FIELD(id, FK_status), "approved");
	assert_string_equal(REQ_FIELD(id, FK_asked_by), LEADER);
	assert_string_equal(REQ_FIELD(id, FK_decided_by), LEADER);
	free(a);
}

static void test_send_back_and_withdraw(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "2015-03-12");
	char buf[128], req[LEDGER_REQUEST_MAX], rid[64];
	struct xb_error err;
	tu_pin_clock("2026-11-29T10:00:00");
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, CLERK, req, NULL),
			 XB_OK);
	xb_error_clear(&err);
	assert_int_equal(ledger_request_send_back(f->st, LEADER, req, "  ", &err), XB_EINVAL);
	assert_string_equal(err.field, FK_comment);
	assert_int_equal(ledger_request_send_back(f->st, LEADER, req, "请核实", NULL), XB_OK);
	assert_string_equal(REQ_FIELD(req, FK_status), "sent_back");
	assert_string_equal(REQ_FIELD(req, FK_comment), "请核实");
	assert_string_equal(CHILD_FIELD(a, FK_status), "active");
	assert_string_equal(CHILD_FIELD(a, FK_exit_reason), "");
	/* sent back, it is asked again: a new request */
	char again[LEDGER_REQUEST_MAX];
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, CLERK, again, NULL),
			 XB_OK);
	assert_string_not_equal(again, req);

	/* a closing waits; only its asker withdraws it */
	add_report(f, a, rid);
	struct store_record *s = step(rid, "closed", "2026-11-29 10:30");
	assert_int_equal(ledger_report_step(f->st, NULL, s, CLERK, req, NULL), XB_OK);
	store_record_free(&s);
	assert_string_equal(REQ_FIELD(req, FK_action), "close_report");
	assert_string_equal(REQ_FIELD(req, FK_step), "closed");
	assert_string_equal(field_of(f, STORE_REPORT, rid, FK_status, buf, sizeof(buf)), "open");
	xb_error_clear(&err);
	assert_int_equal(ledger_request_withdraw(f->st, LEADER, req, &err), XB_EPERM);
	assert_int_equal(ledger_request_withdraw(f->st, CLERK, req, NULL), XB_OK);
	assert_string_equal(REQ_FIELD(req, FK_status), "withdrawn");
	assert_string_equal(field_of(f, STORE_REPORT, rid, FK_status, buf, sizeof(buf)), "open");
	free(a);
}

static void test_steps_the_office_chooses(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "2015-03-12");
	char buf[128], req[LEDGER_REQUEST_MAX], close_req[LEDGER_REQUEST_MAX], rid[64];
	struct xb_error err;
	tu_pin_clock("2026-11-29T10:00:00");
	add_report(f, a, rid);
	xb_error_clear(&err);
	assert_int_equal(ledger_setting_set(f->st, LEADER, "approval_steps", "all", &err),
			 XB_EINVAL);
	assert_int_equal(ledger_setting_set(f->st, CLERK, "approval_steps", "assessment",
					    NULL), XB_EPERM);
	/* by default the assessment is added at once */
	struct store_record *s = step(rid, "assessment", "2026-11-28");
	assert_int_equal(ledger_report_step(f->st, NULL, s, CLERK, req, NULL), XB_OK);
	assert_string_equal(req, "");
	assert_non_null(s->id);
	store_record_free(&s);
	assert_int_equal(ledger_setting_set(f->st, LEADER, "approval_steps",
					    "assessment,services", NULL), XB_OK);
	s = step(rid, "services", "2026-11-29 09:00");
	assert_int_equal(ledger_report_step(f->st, NULL, s, CLERK, req, NULL), XB_OK);
	store_record_free(&s);
	assert_string_equal(REQ_FIELD(req, FK_action), "step");
	assert_string_equal(REQ_FIELD(req, FK_step), "services");
	assert_string_equal(field_of(f, STORE_REPORT, rid, FK_stage, buf, sizeof(buf)),
			    "assessment");
	/* police response never waits */
	char none[LEDGER_REQUEST_MAX];
	s = step(rid, "police_response", "2026-11-29 09:10");
	assert_int_equal(ledger_report_step(f->st, NULL, s, CLERK, none, NULL), XB_OK);
	store_record_free(&s);
	assert_string_equal(none, "");

	/* the closing approved first: the services no longer apply */
	s = step(rid, "closed", "2026-11-29 09:30");
	assert_int_equal(ledger_report_step(f->st, NULL, s, CLERK, close_req, NULL), XB_OK);
	store_record_free(&s);
	assert_int_equal(ledger_request_approve(f->st, LEADER, close_req, NULL, NULL), XB_OK);
	assert_string_equal(field_of(f, STORE_REPORT, rid, FK_status, buf, sizeof(buf)),
			    "closed");
	xb_error_clear(&err);
	assert_int_equal(ledger_request_approve(f->st, LEADER, req, NULL, &err), XB_EINVAL);
	assert_msg_has(err, "cannot be approved");
	assert_msg_has(err, "closed");
	assert_string_equal(REQ_FIELD(req, FK_status), "waiting");
	assert_int_equal(ledger_request_send_back(f->st, LEADER, req, "已结案", NULL), XB_OK);
	free(a);
}

static void test_checks_before_an_exit(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "2010-11-05"); /* 16 on 2026-11-05 */
	char name[64], req[LEDGER_REQUEST_MAX], buf[128];
	struct xb_error err;
	tu_pin_clock("2026-11-29T10:00:00");
	assert_string_equal(CHILD_FIELD(a, FK_registered), "2026-11-01");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit_check(f->st, a, "turned16", "2026-11-04", CLERK,
						 name, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_exit_reason);
	assert_msg_has(err, "not yet 16 on 2026-11-04");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit_check(f->st, a, "parents_returned", "2026-11-30",
						 CLERK, name, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_exit_date);
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit_check(f->st, a, "parents_returned", "2026-10-31",
						 CLERK, name, &err), XB_EINVAL);
	assert_msg_has(err, "registered here on 2026-11-01");
	assert_int_equal(ledger_child_exit_check(f->st, a, "turned16", "2026-11-05", CLERK,
						 name, NULL), XB_OK);
	assert_string_equal(name, "张三");
	/* a check writes nothing */
	uint64_t n = 9;
	assert_int_equal(store_count(f->st, STORE_REQUEST, &n, NULL), XB_OK);
	assert_int_equal(n, 0);
	/* one who is no user may not even ask */
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, "nobody", req, &err),
			 XB_EPERM);

	/* a file from before the day was kept: its first entry's day */
	struct store_record *c = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &c, NULL), XB_OK);
	store_record_set(c, FK_registered, NULL);
	assert_int_equal(store_update(f->st, NULL, c, LEADER, "update", NULL), XB_OK);
	store_record_free(&c);
	assert_string_equal(CHILD_FIELD(a, FK_registered), "");
	xb_error_clear(&err);
	assert_int_equal(ledger_child_exit_check(f->st, a, "parents_returned", "2026-10-31",
						 CLERK, name, &err), XB_EINVAL);
	assert_msg_has(err, "registered here on 2026-11-01");

	/* an approval meets the checks again: the birth date corrected */
	assert_int_equal(ledger_child_exit(f->st, a, "turned16", "2026-11-05", 0, CLERK, req,
					   NULL), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, a, &c, NULL), XB_OK);
	store_record_set(c, FK_birth_date, "2011-11-05");
	assert_int_equal(ledger_child_edit(f->st, c, LEADER, NULL), XB_OK);
	store_record_free(&c);
	xb_error_clear(&err);
	assert_int_equal(ledger_request_approve(f->st, LEADER, req, NULL, &err), XB_EINVAL);
	assert_msg_has(err, "not yet 16");
	assert_msg_has(err, "stays waiting");
	assert_string_equal(CHILD_FIELD(a, FK_status), "active");
	assert_string_equal(REQ_FIELD(req, FK_status), "waiting");
	free(a);
}

struct listed {
	char ids[8][LEDGER_REQUEST_MAX];
	int n;
};

static int note(const struct store_record *q, void *arg)
{
	struct listed *l = arg;
	if (l->n < 8)
		snprintf(l->ids[l->n++], LEDGER_REQUEST_MAX, "%s", q->id);
	return 0;
}

static void test_list_oldest_first(void **state)
{
	struct tu_ledger *f = *state;
	char *a = add_child(f, "张三", "2015-03-12");
	char *b = add_child(f, "李四", "2014-03-12");
	char ra[LEDGER_REQUEST_MAX], rb[LEDGER_REQUEST_MAX];
	tu_pin_clock("2026-11-29T10:00:00");
	assert_int_equal(ledger_child_exit(f->st, b, "other", NULL, 0, CLERK, rb, NULL), XB_OK);
	tu_pin_clock("2026-11-29T10:05:00");
	assert_int_equal(ledger_child_exit(f->st, a, "other", NULL, 0, CLERK, ra, NULL), XB_OK);
	struct listed l = { .n = 0 };
	assert_int_equal(ledger_requests_list(f->st, LEADER, 0, note, &l, NULL), XB_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ids[0], rb);
	assert_string_equal(l.ids[1], ra);
	assert_int_equal(ledger_request_send_back(f->st, LEADER, rb, "不", NULL), XB_OK);
	l.n = 0;
	assert_int_equal(ledger_requests_list(f->st, LEADER, 0, note, &l, NULL), XB_OK);
	assert_int_equal(l.n, 1);
	l.n = 0;
	assert_int_equal(ledger_requests_list(f->st, LEADER, 1, note, &l, NULL), XB_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(ledger_requests_list(f->st, CLERK, 0, note, &l, NULL), XB_EPERM);
	char what[256];
	struct store_record *q = NULL;
	assert_int_equal(store_get(f->st, NULL, STORE_REQUEST, ra, &q, NULL), XB_OK);
	ledger_request_what(q, what, sizeof(what));
	assert_string_equal(what, "leave the ledger: other, on 2026-11-29");
	store_record_free(&q);
	free(a);
	free(b);
}

/* A request as a bundle carries it: checked by the schema and placed. */
static void test_request_records_checked(void **state)
{
	(void)state;
	struct store_record *q = store_record_new(STORE_REQUEST);
	struct xb_error err;
	char owner[13], parent[64];
	store_record_set_id(q, "220221100-00001-2/Q01");
	store_record_set_origin(q, TOWN);
	store_record_set(q, FK_action, "exit");
	store_record_set(q, FK_target, "220221100-00001-2");
	store_record_set(q, FK_exit_reason, "other");
	store_record_set(q, FK_exit_date, "2026-11-28");
	store_record_set(q, FK_status, "waiting");
	store_record_set(q, FK_asked_by, CLERK);
	store_record_set(q, FK_asked_at, "2026-11-29 10:00");
	assert_int_equal(form_check_record(q, "2026-11-29", NULL), XB_OK);
	assert_int_equal(form_record_place(q, owner, parent, NULL), XB_OK);
	assert_string_equal(owner, TOWN);
	assert_string_equal(parent, "220221100-00001-2");
	/* approved without who decided */
	store_record_set(q, FK_status, "approved");
	xb_error_clear(&err);
	assert_int_equal(form_check_record(q, "2026-11-29", &err), XB_EINVAL);
	assert_string_equal(err.field, FK_decided_by);
	store_record_set(q, FK_status, "waiting");
	/* an exit with a step's fields, or about a report */
	store_record_set(q, FK_step, "closed");
	assert_int_equal(form_check_record(q, "2026-11-29", NULL), XB_EINVAL);
	store_record_set(q, FK_step, NULL);
	store_record_set(q, FK_target, "220221100-00001-2/R01");
	assert_int_equal(form_check_record(q, "2026-11-29", NULL), XB_EINVAL);
	/* about another case than its id's */
	store_record_set(q, FK_target, "220221100-00002-0");
	xb_error_clear(&err);
	assert_int_equal(form_record_place(q, owner, parent, &err), XB_EINVAL);
	assert_msg_has(err, "220221100-00002-0");
	/* not an id the ledger gives */
	store_record_set(q, FK_target, "220221100-00001-2");
	store_record_set_id(q, "220221100-00001-2/Q1");
	assert_int_equal(form_record_place(q, owner, parent, NULL), XB_EINVAL);
	store_record_free(&q);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_ledger_teardown)
	const struct CMUnitTest tests[] = {
		T(test_clerk_exit_waits_then_approved),
		T(test_leader_acts_at_once),
		T(test_send_back_and_withdraw),
		T(test_steps_the_office_chooses),
		T(test_checks_before_an_exit),
		T(test_list_oldest_first),
		cmocka_unit_test(test_request_records_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
