/* test_aid.c - a child's assistance as dated entries (forms/aid.c) and the
 * corrections of visits, report steps and a report's police fields
 * (forms/correct.c), over a real store: ids, rules, who may, what is
 * current on a day, what follows a correction, and what the history
 * keeps. */
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
	struct tu_ledger *f = tu_ledger_new(TOWN, "示范镇", "0432-64201234");
	struct xb_error err;
	xb_error_clear(&err);
	/* two villages, a village user for the first */
	if (f == NULL || ledger_village_add(f->st, TOWN "001", "前进村", "clerk", &err) ||
	    ledger_village_add(f->st, TOWN "002", "红旗村", "clerk", &err) ||
	    ledger_user_add(f->st, "clerk", "cun", "village", TOWN "001", NULL, NULL,
			    &err) ||
	    ledger_user_add(f->st, "clerk", "cun2", "village", TOWN "001", NULL, NULL,
			    &err)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static char *add_child(struct tu_ledger *f, const char *name, const char *idnum,
		       const char *village)
{
	struct store_record *c = store_record_new(STORE_CHILD);
	store_record_set(c, FK_name, name);
	store_record_set(c, FK_id_number, idnum);
	store_record_set(c, FK_village_code, village);
	store_record_set(c, FK_father_status, "away");
	store_record_set(c, FK_mother_status, "away");
	store_record_set(c, FK_guardian_relation, "grandparent");
	store_record_set(c, FK_guardian_name, "李桂兰");
	store_record_set(c, FK_enrolment, "in_school");
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_child_add(f->st, NULL, c, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(c->id);
	store_record_free(&c);
	return id;
}

/* An entry of assistance; end, amount and per may be NULL. */
static struct store_record *aid(const char *case_no, const char *programme,
				const char *start, const char *end,
				const char *amount, const char *per)
{
	struct store_record *a = store_record_new(STORE_AID);
	store_record_set(a, FK_case_no, case_no);
	store_record_set(a, FK_programme, programme);
	store_record_set(a, FK_start_date, start);
	store_record_set(a, FK_end_date, end);
	store_record_set(a, FK_amount, amount);
	store_record_set(a, FK_per, per);
	return a;
}

/* Adds an entry as user; its id into id[32] on success. */
static int add_aid(struct tu_ledger *f, struct store_record *a, const char *user,
		   char id[32], struct xb_error *err)
{
	xb_error_clear(err);
	int ret = ledger_aid_add(f->st, NULL, a, user, err);
	if (ret == XB_OK && id != NULL)
		snprintf(id, 32, "%s", a->id);
	store_record_free(&a);
	return ret;
}

/* The last audit entry of record id under case: its action, user and
 * the change of key (before, after). */
struct last_entry {
	const char *id, *key;
	char action[32], user[32], before[64], after[64];
	int seen;
};

static int keep_last(const struct store_audit *a, void *arg)
{
	struct last_entry *l = arg;
	if (a->record_id == NULL || strcmp(a->record_id, l->id) != 0)
		return 0;
	l->seen++;
	snprintf(l->action, sizeof(l->action), "%s", a->action ? a->action : "");
	snprintf(l->user, sizeof(l->user), "%s", a->user ? a->user : "");
	l->before[0] = l->after[0] = '\0';
	for (size_t i = 0; i < a->nchanges; i++)
		if (strcmp(a->changes[i].key, l->key) == 0) {
			snprintf(l->before, sizeof(l->before), "%s",
				 a->changes[i].before ? a->changes[i].before : "");
			snprintf(l->after, sizeof(l->after), "%s",
				 a->changes[i].after ? a->changes[i].after : "");
		}
	return 0;
}

static struct last_entry last_of(struct tu_ledger *f, const char *case_no,
				 const char *id, const char *key)
{
	struct last_entry l;
	memset(&l, 0, sizeof(l));
	l.id = id;
	l.key = key;
	assert_int_equal(store_history(f->st, case_no, keep_last, &l, NULL), XB_OK);
	return l;
}

static struct store_record *get(struct tu_ledger *f, enum store_kind kind, const char *id)
{
	struct store_record *r = NULL;
	assert_int_equal(store_get(f->st, NULL, kind, id, &r, NULL), XB_OK);
	return r;
}

/* --- assistance ----------------------------------------------------------- */

static void test_aid_entries(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *c = add_child(f, "张三", "220221201503120018", TOWN "001");
	char id[3][32];
	assert_int_equal(add_aid(f, aid(c, "dibao", "2026-01-01", NULL, "300", "month"),
				 "clerk", id[0], &err), XB_OK);
	assert_int_equal(add_aid(f, aid(c, "temporary", "2026-03-01", "2026-03-31", "1000",
					"once"), "clerk", id[1], &err), XB_OK);
	/* a label is taken for its code, a date that lies ahead too */
	assert_int_equal(add_aid(f, aid(c, "孤儿基本生活费", "2027-01-01", NULL, NULL, NULL),
				 "clerk", id[2], &err), XB_OK);
	char want[32];
	snprintf(want, sizeof(want), "%s/H01", c);
	assert_string_equal(id[0], want);
	snprintf(want, sizeof(want), "%s/H03", c);
	assert_string_equal(id[2], want);

	struct store_record **l;
	size_t n;
	assert_int_equal(ledger_aid_list(f->st, "clerk", c, &l, &n, &err), XB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(l[0]->id, id[0]);
	assert_string_equal(l[0]->origin, TOWN);
	assert_string_equal(store_record_get(l[2], FK_programme), "orphan");
	/* current: begun and not ended, on the day asked */
	assert_true(ledger_aid_current(l[0], TODAY));
	assert_false(ledger_aid_current(l[1], TODAY));
	assert_true(ledger_aid_current(l[1], "2026-03-31"));
	assert_false(ledger_aid_current(l[1], "2026-02-28"));
	assert_false(ledger_aid_current(l[2], TODAY));
	assert_true(ledger_aid_current(l[2], "2027-01-01"));
	store_records_free(l, n);

	/* ended by an edit, audited as an update by who ended it */
	struct store_record *a = get(f, STORE_AID, id[0]);
	store_record_set(a, FK_end_date, "2026-11-28");
	assert_int_equal(ledger_aid_edit(f->st, a, "clerk2", &err), XB_OK);
	assert_int_equal(a->version, 2);
	assert_false(ledger_aid_current(a, TODAY));
	struct last_entry e = last_of(f, c, id[0], FK_end_date);
	assert_string_equal(e.action, "update");
	assert_string_equal(e.user, "clerk2");
	assert_string_equal(e.before, "");
	assert_string_equal(e.after, "2026-11-28");
	/* an edit of the version read before is refused */
	a->version = 1;
	store_record_set(a, FK_note, "改");
	assert_int_equal(ledger_aid_edit(f->st, a, "clerk", &err), XB_ECONFLICT);
	store_record_free(&a);
	free(c);
}

static void test_aid_rules(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *c = add_child(f, "张三", "220221201503120018", TOWN "001");
	char *other = add_child(f, "王五", "220221201207040021", TOWN "002");
	uint64_t n0, n1;
	store_count(f->st, STORE_AID, &n0, NULL);
	assert_int_equal(add_aid(f, aid(c, "dibao", "2026-05-01", "2026-04-30", NULL, NULL),
				 "clerk", NULL, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_end_date);
	assert_int_equal(add_aid(f, aid(c, "dibao", "2026-05-01", NULL, "300", NULL),
				 "clerk", NULL, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_per);
	assert_int_equal(add_aid(f, aid(c, "lottery", "2026-05-01", NULL, NULL, NULL),
				 "clerk", NULL, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_programme);
	/* before the child was born (2015-03-12) */
	assert_int_equal(add_aid(f, aid(c, "dibao", "2015-03-01", NULL, NULL, NULL),
				 "clerk", NULL, &err), XB_EINVAL);
	assert_string_equal(err.field, FK_start_date);
	/* a village user may not enter assistance */
	assert_int_equal(add_aid(f, aid(c, "dibao", "2026-05-01", NULL, NULL, NULL),
				 "cun", NULL, &err), XB_EPERM);
	/* nor may anyone for a child who left the ledger */
	assert_int_equal(ledger_child_exit(f->st, other, "parents_returned", TODAY, 0,
					   "clerk", NULL, &err), XB_OK);
	assert_int_equal(add_aid(f, aid(other, "dibao", "2026-05-01", NULL, NULL, NULL),
				 "clerk", NULL, &err), XB_EINVAL);
	store_count(f->st, STORE_AID, &n1, NULL);
	assert_int_equal(n0, n1);

	/* an entry stays in its child's file */
	char id[32];
	assert_int_equal(add_aid(f, aid(c, "tekun", "2026-05-01", NULL, NULL, NULL),
				 "clerk", id, &err), XB_OK);
	struct store_record *a = get(f, STORE_AID, id);
	store_record_set(a, FK_case_no, other);
	assert_int_equal(ledger_aid_edit(f->st, a, "clerk", &err), XB_EINVAL);
	assert_string_equal(err.field, FK_case_no);
	store_record_free(&a);
	free(c);
	free(other);
}

static void test_aid_read_as_user_may(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *mine = add_child(f, "张三", "220221201503120018", TOWN "001");
	char *theirs = add_child(f, "王五", "220221201207040021", TOWN "002");
	struct store_record **l;
	size_t n;
	assert_int_equal(ledger_aid_list(f->st, "cun", mine, &l, &n, &err), XB_OK);
	assert_int_equal(n, 0);
	store_records_free(l, n);
	assert_int_equal(ledger_aid_list(f->st, "cun", theirs, &l, &n, &err), XB_EPERM);
	assert_null(l);
	assert_int_equal(ledger_aid_list(f->st, "clerk", "220221100-00099-1", &l, &n, &err),
			 XB_ENOTFOUND);
	free(mine);
	free(theirs);
}

static void test_aid_place(void **state)
{
	(void)state;
	char owner[13], parent[64];
	struct xb_error err;
	struct store_record *a = store_record_new(STORE_AID);
	store_record_set_id(a, "220221100-00001-2/H01");
	assert_int_equal(form_record_place(a, owner, parent, &err), XB_OK);
	assert_string_equal(owner, TOWN);
	assert_string_equal(parent, "220221100-00001-2");
	static const char *const bad[] = {
		"220221100-00001-2/H1", "220221100-00001-2/V0001", "220221100-00001-3/H01",
		"220221100-00001-2/H00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		store_record_set_id(a, bad[i]);
		assert_int_equal(form_record_place(a, owner, parent, &err), XB_EINVAL);
	}
	store_record_set_id(a, "220221100-00001-2/H01");
	store_record_set(a, FK_case_no, "220221100-00002-X");
	assert_int_equal(form_record_place(a, owner, parent, &err), XB_EINVAL);
	store_record_free(&a);
}

/* --- a visit corrected ---------------------------------------------------- */

static char *log_visit(struct tu_ledger *f, const char *case_no, const char *date,
		       const char *next, const char *user)
{
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set(v, FK_case_no, case_no);
	store_record_set(v, FK_date, date);
	store_record_set(v, FK_visitor, "李主任");
	store_record_set(v, FK_kind, "home");
	store_record_set(v, FK_next_due, next);
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_visit_add(f->st, NULL, v, user, &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(v->id);
	store_record_free(&v);
	return id;
}

/* Corrects visit id: field key to value, as user, from version (0: as
 * stored). */
static int correct_visit(struct tu_ledger *f, const char *id, const char *key,
			 const char *value, const char *user, uint32_t version,
			 struct xb_error *err)
{
	struct store_record *v = get(f, STORE_VISIT, id);
	if (version)
		v->version = version;
	store_record_set(v, key, value);
	xb_error_clear(err);
	int ret = ledger_visit_correct(f->st, v, user, err);
	store_record_free(&v);
	return ret;
}

static void assert_child_visits(struct tu_ledger *f, const char *c, const char *last,
				const char *next)
{
	struct store_record *r = get(f, STORE_CHILD, c);
	assert_string_equal(store_record_get(r, FK_last_visit), last);
	assert_string_equal(store_record_get(r, FK_next_visit_due), next);
	store_record_free(&r);
}

static void test_visit_corrected(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *c = add_child(f, "张三", "220221201503120018", TOWN "001");
	char *v1 = log_visit(f, c, "2026-10-01", "2026-11-01", "clerk");
	char *v2 = log_visit(f, c, "2026-11-20", "2026-12-20", "clerk");
	assert_child_visits(f, c, "2026-11-20", "2026-12-20");

	/* the latest visit's dates: the child follows */
	assert_int_equal(correct_visit(f, v2, FK_date, "2026-11-21", "clerk2", 0, &err), XB_OK);
	assert_child_visits(f, c, "2026-11-21", "2026-12-20");
	assert_int_equal(correct_visit(f, v2, FK_next_due, "2027-01-05", "clerk2", 0, &err),
			 XB_OK);
	assert_child_visits(f, c, "2026-11-21", "2027-01-05");
	struct last_entry e = last_of(f, c, v2, FK_next_due);
	assert_string_equal(e.action, "correct");
	assert_string_equal(e.user, "clerk2");
	assert_string_equal(e.before, "2026-12-20");
	assert_string_equal(e.after, "2027-01-05");
	e = last_of(f, c, c, FK_next_visit_due);
	assert_string_equal(e.action, "correct");

	/* an earlier one: the child stays as it was */
	assert_int_equal(correct_visit(f, v1, FK_date, "2026-10-02", "clerk", 0, &err), XB_OK);
	assert_child_visits(f, c, "2026-11-21", "2027-01-05");
	/* moved after the latest, it becomes the latest */
	struct store_record *v = get(f, STORE_VISIT, v1);
	store_record_set(v, FK_date, "2026-11-25");
	store_record_set(v, FK_next_due, "2026-12-25");
	assert_int_equal(ledger_visit_correct(f->st, v, "clerk", &err), XB_OK);
	store_record_free(&v);
	assert_child_visits(f, c, "2026-11-25", "2026-12-25");
	/* and moved back, the other one is again */
	assert_int_equal(correct_visit(f, v1, FK_date, "2026-10-02", "clerk", 0, &err), XB_OK);
	assert_child_visits(f, c, "2026-11-21", "2027-01-05");

	/* stale: refused, nothing changes */
	assert_int_equal(correct_visit(f, v1, FK_visitor, "王五", "clerk", 1, &err),
			 XB_ECONFLICT);
	v = get(f, STORE_VISIT, v1);
	assert_string_equal(store_record_get(v, FK_visitor), "李主任");
	store_record_free(&v);
	/* the rules of a visit hold: not before the child's birth, next
	 * contact not before the visit, and it stays with its child */
	assert_int_equal(correct_visit(f, v1, FK_date, "2014-01-01", "clerk", 0, &err),
			 XB_EINVAL);
	assert_int_equal(correct_visit(f, v1, FK_next_due, "2026-09-01", "clerk", 0, &err),
			 XB_EINVAL);
	assert_string_equal(err.field, FK_next_due);
	assert_int_equal(correct_visit(f, v1, FK_case_no, "220221100-00002-X", "clerk", 0,
				       &err), XB_EINVAL);
	assert_string_equal(err.field, FK_case_no);
	free(v1);
	free(v2);
	free(c);
}

static void test_visit_corrected_by_its_visitor(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *c = add_child(f, "张三", "220221201503120018", TOWN "001");
	char *far = add_child(f, "王五", "220221201207040021", TOWN "002");
	char *own = log_visit(f, c, "2026-11-20", "2026-12-20", "cun");
	char *clerks = log_visit(f, c, "2026-11-10", "2026-12-10", "clerk");
	char *there = log_visit(f, far, "2026-11-10", "2026-12-10", "clerk");
	assert_int_equal(correct_visit(f, own, FK_visitor, "村主任", "cun", 0, &err), XB_OK);
	assert_int_equal(correct_visit(f, clerks, FK_visitor, "村主任", "cun", 0, &err),
			 XB_EPERM);
	assert_msg_has(err, "clerk");
	/* another village user of the same village: not theirs either */
	assert_int_equal(correct_visit(f, own, FK_visitor, "某某", "cun2", 0, &err), XB_EPERM);
	assert_int_equal(correct_visit(f, there, FK_visitor, "村主任", "cun", 0, &err),
			 XB_EPERM);
	struct last_entry e = last_of(f, c, own, FK_visitor);
	assert_string_equal(e.user, "cun");
	assert_string_equal(e.after, "村主任");
	free(own);
	free(clerks);
	free(there);
	free(c);
	free(far);
}

/* --- a report's steps and police fields corrected ----------------------- */

static char *file_report(struct tu_ledger *f, const char *c, const char *reported_at)
{
	struct store_record *r = store_record_new(STORE_REPORT);
	store_record_set(r, FK_case_no, c);
	store_record_set(r, FK_category, "accidental_injury");
	store_record_set(r, FK_found_at, "2026-11-28 09:00");
	store_record_set(r, FK_found_by, "王老师");
	store_record_set(r, FK_reporter_kind, "school");
	store_record_set(r, FK_description, "在校摔伤");
	store_record_set(r, FK_reported_at, reported_at);
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_report_add(f->st, NULL, r, "clerk", &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(r->id);
	store_record_free(&r);
	return id;
}

static char *add_step(struct tu_ledger *f, const char *rid, const char *step,
		      const char *date)
{
	struct store_record *s = store_record_new(STORE_STEP);
	store_record_set(s, FK_report_id, rid);
	store_record_set(s, FK_step, step);
	store_record_set(s, FK_date, date);
	store_record_set(s, FK_by, "派出所");
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_report_step(f->st, NULL, s, "clerk", NULL, &err) != XB_OK)
		fail_msg("%s", err.msg);
	char *id = strdup(s->id);
	store_record_free(&s);
	return id;
}

static int correct_step(struct tu_ledger *f, const char *id, const char *key,
			const char *value, const char *user, struct xb_error *err)
{
	struct store_record *s = get(f, STORE_STEP, id);
	store_record_set(s, key, value);
	xb_error_clear(err);
	int ret = ledger_step_correct(f->st, s, user, err);
	store_record_free(&s);
	return ret;
}

static void assert_report(struct tu_ledger *f, const char *rid, const char *stage,
			  const char *reported_at)
{
	struct store_record *r = get(f, STORE_REPORT, rid);
	assert_string_equal(store_record_get(r, FK_stage), stage);
	if (reported_at == NULL)
		assert_null(store_record_get(r, FK_reported_at));
	else
		assert_string_equal(store_record_get(r, FK_reported_at), reported_at);
	store_record_free(&r);
}

static void test_step_corrected(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *c = add_child(f, "张三", "220221201503120018", TOWN "001");
	char *rid = file_report(f, c, NULL);
	char *s1 = add_step(f, rid, "police_response", "2026-11-28 10:00");
	assert_report(f, rid, "police_response", NULL);

	assert_int_equal(correct_step(f, s1, FK_date, "2026-11-28 10:30", "clerk", &err), XB_OK);
	struct last_entry e = last_of(f, c, s1, FK_date);
	assert_string_equal(e.action, "correct");
	assert_string_equal(e.before, "2026-11-28 10:00");
	/* it was the report to the police: the report follows, and back */
	assert_int_equal(correct_step(f, s1, FK_step, "reported", "clerk", &err), XB_OK);
	assert_report(f, rid, "reported", "2026-11-28 10:30");
	assert_int_equal(correct_step(f, s1, FK_step, "assessment", "clerk", &err), XB_OK);
	assert_report(f, rid, "assessment", NULL);
	/* never into found or closed; not before the report was found */
	assert_int_equal(correct_step(f, s1, FK_step, "closed", "clerk", &err), XB_EINVAL);
	assert_string_equal(err.field, FK_step);
	assert_int_equal(correct_step(f, s1, FK_step, "found", "clerk", &err), XB_EINVAL);
	assert_int_equal(correct_step(f, s1, FK_date, "2026-11-27", "clerk", &err), XB_EINVAL);
	/* casework only */
	assert_int_equal(correct_step(f, s1, FK_by, "某", "cun", &err), XB_EPERM);
	assert_report(f, rid, "assessment", NULL);

	/* a closing step stays one; its note may be corrected */
	char *s2 = add_step(f, rid, "closed", "2026-11-29 09:00");
	assert_int_equal(correct_step(f, s2, FK_step, "services", "clerk", &err), XB_EINVAL);
	assert_int_equal(correct_step(f, s2, FK_note, "已结案", "clerk", &err), XB_OK);
	assert_report(f, rid, "closed", NULL);

	/* a report filed as reported takes no "reported" step */
	char *r2 = file_report(f, c, "2026-11-28 09:30");
	char *s3 = add_step(f, r2, "police_response", "2026-11-28 10:00");
	assert_int_equal(correct_step(f, s3, FK_step, "reported", "clerk", &err), XB_EINVAL);
	assert_msg_has(err, "already reported");
	free(s1);
	free(s2);
	free(s3);
	free(rid);
	free(r2);
	free(c);
}

static void test_report_police_fields(void **state)
{
	struct tu_ledger *f = *state;
	struct xb_error err;
	char *c = add_child(f, "张三", "220221201503120018", TOWN "001");
	char *rid = file_report(f, c, "2026-11-28 09:30");
	struct store_record *r = get(f, STORE_REPORT, rid);
	store_record_set(r, FK_police_station, "口前派出所");
	store_record_set(r, FK_receipt_no, "JJ2026112801");
	xb_error_clear(&err);
	assert_int_equal(ledger_report_edit(f->st, r, "clerk", &err), XB_OK);
	struct last_entry e = last_of(f, c, rid, FK_receipt_no);
	assert_string_equal(e.action, "correct");
	assert_string_equal(e.before, "");
	assert_string_equal(e.after, "JJ2026112801");
	/* other fields do not change after filing */
	store_record_set(r, FK_category, "missing");
	assert_int_equal(ledger_report_edit(f->st, r, "clerk", &err), XB_EINVAL);
	assert_string_equal(err.field, FK_category);
	store_record_set(r, FK_category, "accidental_injury");
	/* a stale version is refused */
	r->version = 1;
	store_record_set(r, FK_receipt_no, "JJ2026112802");
	assert_int_equal(ledger_report_edit(f->st, r, "clerk", &err), XB_ECONFLICT);
	assert_int_equal(ledger_report_edit(f->st, r, "cun", &err), XB_EPERM);
	store_record_free(&r);
	r = get(f, STORE_REPORT, rid);
	assert_string_equal(store_record_get(r, FK_receipt_no), "JJ2026112801");
	store_record_free(&r);
	free(rid);
	free(c);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_ledger_teardown)
	const struct CMUnitTest tests[] = {
		T(test_aid_entries),
		T(test_aid_rules),
		T(test_aid_read_as_user_may),
		cmocka_unit_test(test_aid_place),
		T(test_visit_corrected),
		T(test_visit_corrected_by_its_visitor),
		T(test_step_corrected),
		T(test_report_police_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
