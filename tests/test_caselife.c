/* test_caselife.c - a child's file after its first registration, over real
 * stores: re-admission into the same file, the refusal of its ID number
 * in a new one, the transfer to another township (closing the old file and
 * writing the transfer in one go) and its taking in there (a new case, or
 * the township's own file of that child back), where a transfer may stand
 * and which bundles may carry it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "exchange/private.h"
#include "forms/ledger.h"

#define TOWN "220221100"
#define OTHER "220221200"
#define IDN "220221201503120018"

static int setup(void **state)
{
	tu_pin_clock("2026-11-29T09:30:00");
	tu_lang("C.UTF-8");
	*state = tu_ledger_new(TOWN, "城关镇", NULL);
	return *state != NULL ? 0 : -1;
}

static char *add_child(struct store *st, const char *idnum, const char *village)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, "陈小东");
	store_record_set(c, FK_id_number, idnum);
	store_record_set(c, FK_village_code, village);
	store_record_set(c, FK_village, "前进村");
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "陈奶奶");
	store_record_set(c, FK_enrolment, "in_school");
	/* registered early in the year: the exits below are dated before
	 * today */
	store_record_set(c, FK_registered, "2026-01-05");
	struct xb_error err = { 0 };
	if (ledger_child_add(st, NULL, c, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

static struct store_record *child_of(struct store *st, const char *case_no)
{
	struct store_record *c = NULL;
	struct xb_error err = { 0 };
	assert_int_equal(store_get(st, NULL, STORE_CHILD, case_no, &c, &err), XB_OK);
	return c;
}

static void assert_field(const struct store_record *r, const char *key, const char *want)
{
	const char *v = store_record_get(r, key);
	if (want == NULL && v != NULL)
		fail_msg("%s is %s, wanted none", key, v);
	if (want != NULL && (v == NULL || strcmp(v, want) != 0))
		fail_msg("%s is %s, wanted %s", key, v ? v : "(none)", want);
}

/* The last audit entry of a record: its action and changes. */
struct last {
	char action[32];
	char exit_reason_before[32];
};

static int keep_last(const struct store_audit *a, void *arg)
{
	struct last *l = arg;
	snprintf(l->action, sizeof(l->action), "%s", a->action ? a->action : "");
	l->exit_reason_before[0] = '\0';
	for (size_t i = 0; i < a->nchanges; i++)
		if (strcmp(a->changes[i].key, FK_exit_reason) == 0 && a->changes[i].before)
			snprintf(l->exit_reason_before, sizeof(l->exit_reason_before), "%s",
				 a->changes[i].before);
	return 0;
}

static void assert_counts_agree(struct store *st)
{
	int agree = 0;
	struct xb_error err = { 0 };
	assert_int_equal(ledger_counts_check(st, "2026-11-29", &agree, &err), XB_OK);
	assert_true(agree);
}

static void test_readmit(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err = { 0 };
	char *id = add_child(f->st, IDN, TOWN "001");
	assert_int_equal(ledger_child_readmit(f->st, id, "回来", NULL, "clerk", &err), XB_EINVAL);
	assert_int_equal(ledger_child_exit(f->st, id, "parents_returned", "2026-11-10", 0,
					   "clerk", NULL, &err),
			 XB_OK);
	assert_int_equal(ledger_child_readmit(f->st, id, "", NULL, "clerk", &err), XB_EINVAL);
	assert_string_equal(err.field, FK_readmit_reason);
	assert_int_equal(ledger_child_readmit(f->st, id, "回来", "2026-11-09", "clerk", &err),
			 XB_EINVAL);
	assert_non_null(strstr(err.msg, "2026-11-10"));
	assert_int_equal(ledger_child_readmit(f->st, id, "回来", "2026-11-30", "clerk", &err),
			 XB_EINVAL);
	assert_int_equal(ledger_child_readmit(f->st, "220221100-00099-5", "回来", NULL, "clerk",
					      &err),
			 XB_ENOTFOUND);
	assert_int_equal(ledger_child_readmit(f->st, id, "父母再次外出", "2026-11-10", "clerk",
					      &err),
			 XB_OK);
	struct store_record *c = child_of(f->st, id);
	assert_field(c, FK_status, "active");
	assert_field(c, FK_exit_reason, NULL);
	assert_field(c, FK_exit_date, NULL);
	assert_field(c, FK_readmit_reason, "父母再次外出");
	assert_field(c, FK_readmit_date, "2026-11-10");
	store_record_free(&c);
	struct last l = { "", "" };
	assert_int_equal(store_history(f->st, id, keep_last, &l, &err), XB_OK);
	assert_string_equal(l.action, "readmit");
	assert_string_equal(l.exit_reason_before, "parents_returned");
	assert_counts_agree(f->st);
	/* leaving again is dated no earlier than the way back */
	assert_int_equal(ledger_child_exit(f->st, id, "other", "2026-11-09", 0, "clerk", NULL, &err),
			 XB_EINVAL);
	free(id);
}

static void test_id_number_of_a_file_that_left(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err = { 0 };
	char *id = add_child(f->st, IDN, TOWN "001");
	assert_int_equal(ledger_child_exit(f->st, id, "other", NULL, 0, "clerk", NULL, &err), XB_OK);
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, "陈小东");
	store_record_set(c, FK_id_number, IDN);
	store_record_set(c, FK_village_code, TOWN "001");
	store_record_set(c, FK_village, "前进村");
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "陈奶奶");
	store_record_set(c, FK_enrolment, "in_school");
	assert_int_equal(ledger_child_add(f->st, NULL, c, "clerk", &err), XB_EEXIST);
	assert_non_null(strstr(err.msg, id));
	assert_non_null(strstr(err.msg, "child readmit"));
	store_record_free(&c);
	free(id);
}

/* The transfer written in f's ledger for case id, read back. */
static struct store_record *transfer_of(struct store *st, const char *tid)
{
	struct store_record *m = NULL;
	struct xb_error err = { 0 };
	assert_int_equal(store_get(st, NULL, STORE_TRANSFER, tid, &m, &err), XB_OK);
	return m;
}

struct arrive_arg {
	const struct store_record *transfer;
	char case_no[LEDGER_CASE_MAX];
};

/* As an import lands a transfer: merged, then taken in, in one txn. */
static int arrive_fn(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	struct arrive_arg *a = arg;
	struct store_merge_marks marks = { 0, 0 };
	enum store_merge_result res;
	int ret = store_merge(st, txn, a->transfer, &marks, "clerk", &res, err);
	if (ret == XB_OK)
		ret = bundle_transfer_arrive(st, txn, a->transfer, "clerk", a->case_no, err);
	return ret;
}

static int count_kids(const struct store_record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void test_transfer_there_and_back(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err = { 0 };
	char tid[LEDGER_CASE_MAX], tid2[LEDGER_CASE_MAX];
	assert_int_equal(ledger_village_add(f->st, TOWN "001", "前进村", "clerk", &err), XB_OK);
	char *id = add_child(f->st, IDN, TOWN "001");
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, id);
	store_record_set(v, FK_date, "2026-11-20");
	store_record_set(v, FK_visitor, "李主任");
	store_record_set(v, FK_kind, "home");
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "clerk", &err), XB_OK);
	store_record_free(&v);

	/* refused: this township, another county, no township, a village user */
	assert_int_equal(bundle_child_transfer(f->st, id, TOWN, NULL, NULL, NULL, "clerk", tid, NULL,
					       &err),
			 XB_EINVAL);
	assert_int_equal(bundle_child_transfer(f->st, id, "220222100", NULL, NULL, NULL, "clerk",
					       tid, NULL, &err),
			 XB_EINVAL);
	assert_int_equal(bundle_child_transfer(f->st, id, "220221000", NULL, NULL, NULL, "clerk",
					       tid, NULL, &err),
			 XB_EINVAL);
	assert_int_equal(ledger_user_add(f->st, "clerk", "cun", "village", TOWN "001", NULL,
					 "pw", &err),
			 XB_OK);
	assert_int_equal(bundle_child_transfer(f->st, id, OTHER, NULL, NULL, NULL, "cun", tid, NULL,
					       &err),
			 XB_EPERM);

	assert_int_equal(bundle_child_transfer(f->st, id, OTHER, "河口镇", NULL, "迁居", "clerk",
					       tid, NULL, &err),
			 XB_OK);
	char want[64];
	snprintf(want, sizeof(want), "%s/M01", id);
	assert_string_equal(tid, want);
	struct store_record *c = child_of(f->st, id);
	assert_field(c, FK_status, "exited");
	assert_field(c, FK_exit_reason, "moved_with_family");
	assert_field(c, FK_exit_date, "2026-11-29");
	assert_field(c, FK_transferred_to, OTHER);
	store_record_free(&c);
	assert_int_equal(bundle_child_transfer(f->st, id, OTHER, NULL, NULL, NULL, "clerk", tid2, NULL,
					       &err),
			 XB_EINVAL);
	assert_int_equal(ledger_child_readmit(f->st, id, "回来", NULL, "clerk", &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, OTHER));
	struct store_record *m = transfer_of(f->st, tid);
	assert_field(m, FK_from, TOWN);
	assert_field(m, FK_to, OTHER);
	assert_field(m, FK_to_name, "河口镇");
	assert_string_equal(m->origin, TOWN);
	char name[64];
	ledger_township_name(f->st, OTHER, m, name, sizeof(name));
	assert_string_equal(name, "河口镇");
	assert_counts_agree(f->st);

	/* taken in at the other township: a new case, no village there */
	struct tu_ledger *g = tu_ledger_new(OTHER, "河口镇", NULL);
	assert_non_null(g);
	char owner[13], last[64] = "";
	assert_int_equal(ledger_record_placed(g->st, NULL, OTHER, m, owner, last, &err), XB_OK);
	assert_int_equal(ledger_record_placed(f->st, NULL, TOWN, m, owner, last, &err), XB_OK);
	struct arrive_arg a = { m, "" };
	assert_int_equal(store_run(g->st, arrive_fn, &a, &err), XB_OK);
	assert_int_equal(strncmp(a.case_no, OTHER "-", 10), 0);
	c = child_of(g->st, a.case_no);
	assert_field(c, FK_previous_case, id);
	assert_field(c, FK_name, "陈小东");
	assert_field(c, FK_id_number, IDN);
	assert_field(c, FK_status, "active");
	assert_field(c, FK_village_code, NULL);
	assert_field(c, FK_last_visit, "2026-11-20");
	assert_true(form_child_flags(c, "2026-11-29") & FORM_FLAG_NO_VILLAGE);
	assert_string_equal(c->origin, OTHER);
	/* the visit before is read from the transfer, not copied */
	int n = 0;
	uint64_t visits = 9;
	assert_int_equal(store_count(g->st, STORE_VISIT, &visits, &err), XB_OK);
	assert_int_equal(visits, 0);
	assert_int_equal(bundle_transfer_file(g->st, c, count_kids, &n, &err), XB_OK);
	assert_int_equal(n, 3); /* the transfer, the child, the visit */
	store_record_free(&c);
	/* a transfer for a third township is no file here */
	struct store_record *m3 = store_record_dup(m);
	store_record_set(m3, FK_to, "220221300");
	assert_int_equal(ledger_record_placed(g->st, NULL, OTHER, m3, owner, last, &err),
			 XB_EINVAL);
	struct arrive_arg a3 = { m3, "" };
	assert_int_equal(store_run(g->st, arrive_fn, &a3, &err), XB_EINVAL);
	store_record_free(&m3);
	assert_counts_agree(g->st);

	/* and back: the old file of this ID number comes back, no new case */
	char back[LEDGER_CASE_MAX];
	assert_int_equal(bundle_child_transfer(g->st, a.case_no, TOWN, NULL, NULL, NULL, "clerk",
					       back, NULL, &err),
			 XB_OK);
	struct store_record *mb = transfer_of(g->st, back);
	struct arrive_arg ab = { mb, "" };
	uint64_t before = 0, after = 0;
	store_count(f->st, STORE_CHILD, &before, &err);
	assert_int_equal(store_run(f->st, arrive_fn, &ab, &err), XB_OK);
	store_count(f->st, STORE_CHILD, &after, &err);
	assert_int_equal(before, after);
	assert_string_equal(ab.case_no, id);
	c = child_of(f->st, id);
	assert_field(c, FK_status, "active");
	assert_field(c, FK_previous_case, a.case_no);
	assert_field(c, FK_transferred_to, NULL);
	assert_field(c, FK_exit_reason, NULL);
	assert_field(c, FK_village_code, TOWN "001"); /* its own kept */
	store_record_free(&c);
	assert_counts_agree(f->st);

	store_record_free(&mb);
	store_record_free(&m);
	tu_ledger_teardown((void **)&g);
	free(id);
}

static void test_who_carries_a_transfer(void **state)
{
	(void)state;
	struct store_record *m = store_record_new(STORE_TRANSFER);
	store_record_set(m, FK_to, OTHER);
	/* the township that made it, to its county */
	assert_true(bundle_may_carry_record(TOWN, "220221", TOWN, m));
	/* the county, to the township it names, and no other */
	assert_true(bundle_may_carry_record("220221", OTHER, TOWN, m));
	assert_false(bundle_may_carry_record("220221", TOWN, TOWN, m));
	assert_false(bundle_may_carry_record("220221", "220221300", TOWN, m));
	/* never up to a city, never between townships, never across counties */
	assert_false(bundle_may_carry_record("220221", "2202", TOWN, m));
	assert_false(bundle_may_carry_record(TOWN, OTHER, TOWN, m));
	assert_false(bundle_may_carry_record("220222", OTHER, "220222100", m));
	assert_false(bundle_may_carry_record(OTHER, "220221", TOWN, m));
	/* a child of another township is still not passed on */
	struct store_record *c = store_record_new(STORE_CHILD);
	assert_false(bundle_may_carry_record("220221", OTHER, TOWN, c));
	assert_true(bundle_may_carry_record("220221", TOWN, TOWN, c));
	store_record_free(&c);
	store_record_free(&m);
}

/* A transfer closes the file here: a clerk's is asked of a leader, and
 * nothing moves until it is approved; approved, the transfer is made with
 * the file as it stands then, the history naming both. */
static void test_transfer_waits_for_approval(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err = { 0 };
	char tid[LEDGER_CASE_MAX], req[LEDGER_REQUEST_MAX];
	char *id = add_child(f->st, IDN, TOWN "001");
	assert_int_equal(ledger_user_add(f->st, "clerk", "wang", "clerk", NULL, NULL, "pw",
					 &err),
			 XB_OK);
	assert_int_equal(bundle_child_transfer(f->st, id, OTHER, "河口镇", "2026-11-20", "迁居",
					       "wang", tid, req, &err),
			 XB_OK);
	char want[64];
	snprintf(want, sizeof(want), "%s/Q01", id);
	assert_string_equal(req, want);
	assert_string_equal(tid, "");
	struct store_record *c = child_of(f->st, id);
	assert_field(c, FK_status, "active");
	store_record_free(&c);
	uint64_t n = 9;
	assert_int_equal(store_count(f->st, STORE_TRANSFER, &n, &err), XB_OK);
	assert_int_equal(n, 0);
	/* asked again while it waits, or an exit: refused, naming the
	 * waiting one */
	assert_int_equal(bundle_child_transfer(f->st, id, OTHER, NULL, NULL, NULL, "wang", tid,
					       req, &err),
			 XB_EEXIST);
	assert_non_null(strstr(err.msg, want));
	assert_int_equal(ledger_child_exit(f->st, id, "other", NULL, 0, "wang", req, &err),
			 XB_EEXIST);
	assert_non_null(strstr(err.msg, want));
	/* without the file maker, approving a transfer is refused */
	assert_int_equal(ledger_request_approve(f->st, "clerk", want, NULL, &err), XB_EFAIL);
	c = child_of(f->st, id);
	assert_field(c, FK_status, "active");
	store_record_free(&c);
	/* a clerk may not approve it */
	assert_int_equal(bundle_request_approve(f->st, "wang", want, NULL, &err), XB_EPERM);
	assert_int_equal(bundle_request_approve(f->st, "clerk", want, "同意", &err), XB_OK);
	c = child_of(f->st, id);
	assert_field(c, FK_status, "exited");
	assert_field(c, FK_exit_date, "2026-11-20");
	assert_field(c, FK_transferred_to, OTHER);
	store_record_free(&c);
	snprintf(want, sizeof(want), "%s/M01", id);
	struct store_record *m = transfer_of(f->st, want);
	assert_field(m, FK_reason, "迁居");
	assert_field(m, FK_to_name, "河口镇");
	assert_non_null(store_record_get(m, FK_file));
	store_record_free(&m);
	struct last l = { "", "" };
	assert_int_equal(store_history(f->st, id, keep_last, &l, &err), XB_OK);
	assert_string_equal(l.action, "transfer");
	assert_counts_agree(f->st);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_readmit, setup, tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_id_number_of_a_file_that_left, setup,
						tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_transfer_there_and_back, setup,
						tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_transfer_waits_for_approval, setup,
						tu_ledger_teardown),
		cmocka_unit_test(test_who_carries_a_transfer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
