/* test_users.c - the ledger's users over a real store: passwords and the
 * lock of wrong tries, signing in, what each role may do (the check every
 * operation makes), a village user's scope, managing users, and the
 * history of a record that notes were written about. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "common/clock.h"
#include "forms/ledger.h"

#define TOWN "220221100"
#define EAST TOWN "201"
#define WEST TOWN "202"

static int setup(void **state)
{
	tu_pin_clock(TU_TODAY "T09:30:00");
	tu_lang("C.UTF-8");
	struct tu_ledger *f = tu_ledger_new(TOWN, "示范镇", NULL);
	*state = f;
	if (f == NULL)
		return -1;
	struct xb_error err;
	xb_error_clear(&err);
	const char *const codes[] = { EAST, WEST };
	const char *const names[] = { "东村", "西村" };
	if (ledger_villages_add(f->st, codes, names, 2, "clerk", NULL, &err) != XB_OK ||
	    ledger_user_add(f->st, "clerk", "cun", "village", "东村", NULL, "pw-cun",
			    &err) != XB_OK ||
	    ledger_user_add(f->st, "clerk", "gan", "clerk", NULL, NULL, "pw-gan",
			    &err) != XB_OK) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static char *add_child(struct tu_ledger *f, const char *idnum, const char *village)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, "王小明");
	store_record_set(c, FK_id_number, idnum);
	store_record_set(c, FK_village_code, village);
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "李桂兰");
	store_record_set(c, FK_enrolment, "in_school");
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_child_add(f->st, NULL, c, "gan", &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

static struct store_record *visit_of(const char *case_no)
{
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, case_no);
	store_record_set(v, FK_date, "2026-11-20");
	store_record_set(v, FK_visitor, "李红");
	store_record_set(v, FK_kind, "home");
	return v;
}

static void test_password_and_lock(void **state)
{
	struct tu_ledger *f = *state;
	struct store_sign_in r;
	int64_t now = xb_now();
	assert_int_equal(store_password_check(f->st, "gan", "pw-gan", now, &r, NULL),
			 XB_OK);
	assert_int_equal(r.result, STORE_SIGN_IN_OK);
	for (unsigned i = 1; i < STORE_LOCK_TRIES; i++) {
		assert_int_equal(store_password_check(f->st, "gan", "nope", now, &r, NULL),
				 XB_OK);
		assert_int_equal(r.result, STORE_SIGN_IN_WRONG);
		assert_int_equal(r.tries_left, STORE_LOCK_TRIES - i);
	}
	assert_int_equal(store_password_check(f->st, "gan", "nope", now, &r, NULL), XB_OK);
	assert_int_equal(r.result, STORE_SIGN_IN_LOCKED);
	assert_int_equal(r.locked_until, now + STORE_LOCK_SECONDS);
	/* Locked: the right one is not even tried, until the lock ends. */
	assert_int_equal(store_password_check(f->st, "gan", "pw-gan", now + 60, &r, NULL),
			 XB_OK);
	assert_int_equal(r.result, STORE_SIGN_IN_LOCKED);
	assert_int_equal(store_password_check(f->st, "gan", "pw-gan",
					      now + STORE_LOCK_SECONDS, &r, NULL),
			 XB_OK);
	assert_int_equal(r.result, STORE_SIGN_IN_OK);
	/* A right one cleared the count: four wrong ones lock nothing. */
	for (unsigned i = 1; i < STORE_LOCK_TRIES; i++)
		store_password_check(f->st, "gan", "nope", now, &r, NULL);
	assert_int_equal(r.result, STORE_SIGN_IN_WRONG);
	/* Others were never locked; a user without a password says so. */
	assert_int_equal(store_password_check(f->st, "cun", "pw-cun", now, &r, NULL), XB_OK);
	assert_int_equal(r.result, STORE_SIGN_IN_OK);
	assert_int_equal(store_password_check(f->st, "clerk", "x", now, &r, NULL), XB_OK);
	assert_int_equal(r.result, STORE_SIGN_IN_NO_PASSWORD);
}

static void test_sign_in(void **state)
{
	struct tu_ledger *f = *state;
	struct ledger_who who;
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_sign_in(f->st, "cun", "pw-cun", &who, &err), XB_OK);
	assert_string_equal(who.role, "village");
	assert_true(who.scoped);
	assert_int_equal(who.nvillages, 1);
	assert_string_equal(who.villages[0], EAST);
	assert_int_equal(ledger_sign_in(f->st, "cun", "wrong", &who, &err), XB_EPERM);
	assert_msg_has(err, "4 more wrong tries");
	assert_int_equal(ledger_sign_in(f->st, "nobody", "pw-cun", &who, &err), XB_EPERM);
	assert_msg_has(err, "nobody is not a user");
	assert_int_equal(ledger_user_disable(f->st, "clerk", "cun", 1, &err), XB_OK);
	assert_int_equal(ledger_sign_in(f->st, "cun", "pw-cun", &who, &err), XB_EPERM);
	assert_msg_has(err, "disabled");
}

static void test_roles_hold(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	xb_error_clear(&err);
	char *east = add_child(f, "220221201503120018", EAST);
	char *west = add_child(f, "22022120160315002X", WEST);
	struct store_record *v = visit_of(east);
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "cun", &err), XB_OK);
	store_record_free(&v);
	v = visit_of(west);
	assert_int_equal(ledger_visit_add(f->st, NULL, v, "cun", &err), XB_EPERM);
	assert_msg_has(err, WEST);
	store_record_free(&v);
	assert_int_equal(ledger_child_exit(f->st, east, "other", NULL, 0, "cun", NULL, &err),
			 XB_EPERM);
	assert_msg_has(err, "register and change children's files");
	assert_int_equal(ledger_village_add(f->st, TOWN "203", "南村", "cun", &err),
			 XB_EPERM);
	/* Reading: a village user's own children only. */
	struct store_record *c = NULL;
	assert_int_equal(ledger_child_read(f->st, "cun", east, &c, &err), XB_OK);
	store_record_free(&c);
	assert_int_equal(ledger_child_read(f->st, "cun", west, &c, &err), XB_EPERM);
	assert_null(c);
	assert_int_equal(ledger_record_read(f->st, "cun", STORE_VISIT, "x/V0001", &c, &err),
			 XB_ENOTFOUND);
	struct ledger_summary sum;
	assert_int_equal(ledger_summarize_as(f->st, "cun", TU_TODAY, &sum, &err), XB_OK);
	assert_int_equal(sum.children, 1);
	assert_int_equal(sum.visits, 1);
	assert_int_equal(ledger_summarize_as(f->st, "gan", TU_TODAY, &sum, &err), XB_OK);
	assert_int_equal(sum.children, 2);
	/* A clerk manages no users; unknown users do nothing at all. */
	assert_int_equal(ledger_user_add(f->st, "gan", "x", "clerk", NULL, NULL, "p", &err),
			 XB_EPERM);
	assert_msg_has(err, "manage users");
	assert_int_equal(ledger_child_exit(f->st, east, "other", NULL, 0, "stranger", NULL,
					   &err),
			 XB_EPERM);
	assert_int_equal(ledger_setting_set(f->st, "gan", "idle_minutes", "5", &err),
			 XB_EPERM);
	assert_int_equal(ledger_setting_set(f->st, "clerk", "idle_minutes", "5", &err),
			 XB_OK);
	free(east);
	free(west);
}

static void test_managing_users(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_user_edit(f->st, "clerk", "clerk", "clerk", NULL, NULL,
					  &err),
			 XB_EINVAL);
	assert_msg_has(err, "last leader");
	assert_int_equal(ledger_user_disable(f->st, "clerk", "clerk", 1, &err), XB_EINVAL);
	assert_int_equal(ledger_user_add(f->st, "clerk", "v2", "village", NULL, NULL, "p",
					 &err),
			 XB_EINVAL);
	assert_int_equal(ledger_user_add(f->st, "clerk", "c2", "county", NULL, NULL, "p",
					 &err),
			 XB_EINVAL);
	assert_int_equal(ledger_user_add(f->st, "clerk", "cun", "clerk", NULL, NULL, "p",
					 &err),
			 XB_EEXIST);
	/* With a second leader, the first may step down. */
	assert_int_equal(ledger_user_edit(f->st, "clerk", "gan", "leader", NULL, NULL, &err),
			 XB_OK);
	assert_int_equal(ledger_user_edit(f->st, "clerk", "clerk", "clerk", NULL, NULL, &err),
			 XB_OK);
	struct ledger_who who;
	assert_int_equal(ledger_who_get(f->st, NULL, "clerk", &who, &err), XB_OK);
	assert_string_equal(who.role, "clerk");
	/* One's own password, anyone's for a leader only. */
	assert_int_equal(ledger_user_passwd(f->st, "cun", "cun", "new", &err), XB_OK);
	assert_int_equal(ledger_user_passwd(f->st, "cun", "gan", "new", &err), XB_EPERM);
	assert_int_equal(ledger_sign_in(f->st, "cun", "new", &who, &err), XB_OK);
}

static int count_entry(const struct store_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

/* A note about a record (a setting of the office, a password) is no
 * version of it: the history reads past it instead of retrying until it
 * gives up. */
static void test_history_with_notes(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_setting_set(f->st, "clerk", "idle_minutes", "7", &err),
			 XB_OK);
	int n = 0;
	assert_int_equal(store_history(f->st, TOWN, count_entry, &n, &err), XB_OK);
	assert_int_equal(n, 2); /* created, the setting */
	char v[16];
	assert_int_equal(ledger_setting_get(f->st, "idle_minutes", v, sizeof(v), &err),
			 XB_OK);
	assert_string_equal(v, "7");
	assert_int_equal(ledger_setting_set(f->st, "clerk", "idle_minutes", "x", &err),
			 XB_EINVAL);
}

/* A ledger from before accounts: the first sign-in sets a password and
 * makes a leader. */
static void test_ledger_without_passwords(void **state)
{
	(void)state;
	char *dir;
	struct store *st;
	assert_int_equal(tu_ledger_open(&dir, &st, NULL, NULL, NULL), 0);
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(ledger_init(st, TOWN, "老镇", NULL, "老会计", NULL, &err), XB_OK);
	struct ledger_who who;
	assert_int_equal(ledger_sign_in(st, "老会计", "first", &who, &err), XB_OK);
	assert_string_equal(who.role, "leader");
	assert_int_equal(ledger_sign_in(st, "老会计", "second", &who, &err), XB_EPERM);
	assert_int_equal(ledger_sign_in(st, "老会计", "first", &who, &err), XB_OK);
	tu_ledger_close(&dir, &st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_password_and_lock, setup,
						tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_sign_in, setup, tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_roles_hold, setup, tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_managing_users, setup,
						tu_ledger_teardown),
		cmocka_unit_test_setup_teardown(test_history_with_notes, setup,
						tu_ledger_teardown),
		cmocka_unit_test(test_ledger_without_passwords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
