/* requests.c - what waits for a leader's approval (审核): a child leaving
 * the ledger, a report's closing and, as the office chooses (setting
 * approval_steps), its assessment and services steps. A clerk's hand
 * makes a request (CASE/Qnn) that a leader approves, which does what it
 * asks, or sends back; the one who asked may withdraw it. And the checks
 * an exit meets before it is even asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

#define P(x) (1u << (x))

/* Now, as a request's times are kept: YYYY-MM-DD HH:MM. */
static void now_minute(char out[17])
{
	char buf[32];
	xb_format_time(xb_now(), buf, sizeof(buf));
	snprintf(out, 17, "%.16s", buf);
}

static int is(const char *v, const char *want)
{
	return v != NULL && strcmp(v, want) == 0;
}

static const char *choice_text(const char *key, const char *code)
{
	return form_choice_label(form_field_find(STORE_REQUEST, key), code);
}

int request_step_gated(struct store *st, struct store_txn *txn,
		       const char *step, int *gated, struct xb_error *err)
{
	*gated = is(step, "closed");
	if (*gated || !(is(step, "assessment") || is(step, "services")))
		return XB_OK;
	char v[64];
	int ret = ledger_setting_in(st, txn, "approval_steps", v, sizeof(v), err);
	if (ret != XB_OK)
		return ret;
	/* the values are none, assessment, services or both */
	*gated = strstr(v, step) != NULL;
	return XB_OK;
}

/* Whether a and b ask the same thing: the same action on the same
 * record (and, for a step, the same step). */
/* An exit and a transfer both take the child off this ledger: one waits
 * at a time. */
static const char *ask_kind(const struct store_record *q)
{
	const char *action = store_record_get(q, FK_action);
	return is(action, "transfer") ? "exit" : action;
}

static int same_ask(const struct store_record *a, const struct store_record *b)
{
	const char *sa = store_record_get(a, FK_step), *sb = store_record_get(b, FK_step);
	return is(ask_kind(a), ask_kind(b)) &&
	       is(store_record_get(a, FK_target), store_record_get(b, FK_target)) &&
	       (sa == NULL ? sb == NULL : is(sb, sa));
}

/* The waiting request that asks what ask does into *found (NULL when
 * none), in txn: the waiting ones of ask's case are few. */
static int waiting_same(struct store *st, struct store_txn *txn,
			const struct store_record *ask, const char *case_no,
			struct store_record **found, struct xb_error *err)
{
	char **ids = NULL;
	size_t n = 0, len = strlen(case_no);
	*found = NULL;
	int ret = store_find_ids(st, txn, STORE_REQUEST, STORE_BY_STATUS, "waiting",
				 &ids, &n, err);
	for (size_t i = 0; ret == XB_OK && *found == NULL && i < n; i++) {
		if (strncmp(ids[i], case_no, len) != 0 || ids[i][len] != '/')
			continue;
		struct store_record *r = NULL;
		ret = store_get(st, txn, STORE_REQUEST, ids[i], &r, err);
		if (ret == XB_OK && is(store_record_get(r, FK_status), "waiting") &&
		    same_ask(r, ask))
			*found = r;
		else
			store_record_free(&r);
	}
	store_ids_free(ids, n);
	return ret;
}

int request_gate(struct store *st, struct store_txn *txn, const char *user,
		 struct store_record *ask, const struct request_gate *g,
		 int *act, struct xb_error *err)
{
	*act = 0;
	if (g->approving != NULL) {
		*act = 1;
		return XB_OK;
	}
	const char *target = store_record_get(ask, FK_target);
	char case_no[LEDGER_CASE_MAX];
	snprintf(case_no, sizeof(case_no), "%.*s", (int)strcspn(target, "/"), target);
	struct ledger_who who;
	struct store_record *other = NULL;
	int ret = ledger_who_get(st, txn, user, &who, err);
	if (ret == XB_OK)
		ret = waiting_same(st, txn, ask, case_no, &other, err);
	if (ret != XB_OK)
		return ret;
	int leader = (who.perms & P(LEDGER_APPROVE)) != 0;
	if (other != NULL) {
		ret = leader ? xb_fail(err, XB_EEXIST,
				       _("Request %s, asked by %s at %s, asks the same "
					 "and waits: approve it or send it back."),
				       other->id, store_record_get(other, FK_asked_by),
				       store_record_get(other, FK_asked_at))
			     : xb_fail(err, XB_EEXIST,
				       _("Request %s, asked by %s at %s, asks the same "
					 "already and waits for a leader's decision."),
				       other->id, store_record_get(other, FK_asked_by),
				       store_record_get(other, FK_asked_at));
		store_record_free(&other);
		return ret;
	}
	if (g->dry)
		return XB_OK;
	if (!leader && g->asked == NULL)
		return xb_fail(err, XB_EPERM,
			       _("%s needs a leader's approval, which cannot be "
				 "asked from here."),
			       choice_text(FK_action, store_record_get(ask, FK_action)));
	char now[17], today[11];
	now_minute(now);
	xb_today(today, sizeof(today));
	store_record_set(ask, FK_status, leader ? "approved" : "waiting");
	store_record_set(ask, FK_asked_by, user);
	store_record_set(ask, FK_asked_at, now);
	if (leader) {
		store_record_set(ask, FK_decided_by, user);
		store_record_set(ask, FK_decided_at, now);
	}
	ask->version = 0;
	if ((ret = ledger_number_under(st, txn, ask, case_no, 'Q', 2, err)) != XB_OK ||
	    (ret = form_check_record(ask, today, err)) != XB_OK ||
	    (ret = store_insert_as(st, txn, ask, user, leader ? "approve" : "ask",
				   err)) != XB_OK)
		return ret;
	if (!leader)
		snprintf(g->asked, LEDGER_REQUEST_MAX, "%s", ask->id);
	*act = leader;
	return XB_OK;
}

int request_exit_checks(const struct store_record *c, const char *registered,
			struct xb_error *err)
{
	const char *date = store_record_get(c, FK_exit_date);
	const char *birth = store_record_get(c, FK_birth_date);
	const char *name = store_record_get(c, FK_name);
	if (is(store_record_get(c, FK_exit_reason), "turned16") && birth != NULL &&
	    form_age(birth, date) < 16)
		return xb_fail_field(err, XB_EINVAL, FK_exit_reason,
				     _("%s (%s, born %s) is not yet 16 on %s: "
				       "\"%s\" is not the reason."),
				     name ? name : "?", c->id, birth, date,
				     form_field_text(c, FK_exit_reason));
	if (registered != NULL && *registered != '\0' && strcmp(date, registered) < 0)
		return xb_fail_field(err, XB_EINVAL, FK_exit_date,
				     _("%s (%s) was registered here on %s: the "
				       "date of leaving (%s) cannot be before it."),
				     name ? name : "?", c->id, registered, date);
	return XB_OK;
}

/* A new request of action about target, from the office of origin. */
static struct store_record *request_new(const char *action, const char *target,
					const char *origin)
{
	struct store_record *q = store_record_new(STORE_REQUEST);
	if (q != NULL && (store_record_set(q, FK_action, action) ||
			  store_record_set(q, FK_target, target) ||
			  store_record_set_origin(q, origin)))
		store_record_free(&q);
	return q;
}

int request_exit_gate(struct store *st, struct store_txn *txn, const char *user,
		      const struct store_record *c, const char *registered,
		      const struct request_gate *g, int *act,
		      struct xb_error *err)
{
	*act = 0;
	int ret = request_exit_checks(c, registered, err);
	if (ret != XB_OK)
		return ret;
	struct store_record *q = request_new("exit", c->id, c->origin);
	if (q == NULL || store_record_set(q, FK_exit_reason,
					  store_record_get(c, FK_exit_reason)) ||
	    store_record_set(q, FK_exit_date, store_record_get(c, FK_exit_date)))
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	else
		ret = request_gate(st, txn, user, q, g, act, err);
	store_record_free(&q);
	return ret;
}

int request_transfer_gate(struct store *st, struct store_txn *txn,
			  const char *user, const struct store_record *c,
			  const struct ledger_transfer *t,
			  const struct request_gate *g, int *act,
			  struct xb_error *err)
{
	*act = 0;
	int ret = XB_OK;
	struct store_record *q = request_new("transfer", c->id, c->origin);
	if (q == NULL || store_record_set(q, FK_to, t->to) ||
	    store_record_set(q, FK_to_name, t->to_name) ||
	    store_record_set(q, FK_reason, t->reason) ||
	    store_record_set(q, FK_exit_date, store_record_get(c, FK_exit_date)))
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	else
		ret = request_gate(st, txn, user, q, g, act, err);
	store_record_free(&q);
	return ret;
}

int request_step_gate(struct store *st, struct store_txn *txn, const char *user,
		      const struct store_record *s, const struct store_record *r,
		      const struct request_gate *g, int *act,
		      struct xb_error *err)
{
	const char *step = store_record_get(s, FK_step);
	int gated;
	*act = !g->dry;
	int ret = request_step_gated(st, txn, step, &gated, err);
	if (ret != XB_OK || !gated)
		return ret;
	struct store_record *q = request_new(is(step, "closed") ? "close_report" : "step",
					     r->id, r->origin);
	static const char *const keys[] = { FK_step, FK_date, FK_by, FK_note };
	for (size_t i = 0; q != NULL && i < 4; i++)
		if (store_record_set(q, keys[i], store_record_get(s, keys[i])))
			store_record_free(&q);
	if (q == NULL)
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	else
		ret = request_gate(st, txn, user, q, g, act, err);
	store_record_free(&q);
	return ret;
}

/* The first audit entry that registered the child: its day. */
struct first_entry {
	char day[11];
	int done;
};

static int first_registered(const struct store_audit *a, void *arg)
{
	struct first_entry *f = arg;
	if (a->kind != STORE_CHILD || a->action == NULL)
		return 0;
	if (strcmp(a->action, "create") == 0 || strcmp(a->action, "sheet") == 0) {
		char when[32];
		xb_format_time(a->at, when, sizeof(when));
		snprintf(f->day, sizeof(f->day), "%.10s", when);
	}
	return 1; /* only the child's first entry says it */
}

int request_registered(struct store *st, const char *case_no, char day[11],
		       struct xb_error *err)
{
	struct store_record *c = NULL;
	day[0] = '\0';
	int ret = store_get(st, NULL, STORE_CHILD, case_no, &c, err);
	if (ret == XB_ENOTFOUND) { /* the operation says so itself */
		xb_error_clear(err);
		return XB_OK;
	}
	if (ret != XB_OK)
		return ret;
	const char *reg = store_record_get(c, FK_registered);
	if (reg != NULL)
		snprintf(day, 11, "%s", reg);
	store_record_free(&c);
	if (reg != NULL)
		return XB_OK;
	/* A file from before the day was kept: the day it was made here. */
	struct first_entry f = { "", 0 };
	ret = store_history_raw(st, case_no, first_registered, &f, err);
	if (ret == XB_OK)
		snprintf(day, 11, "%s", f.day);
	return ret;
}

/* --- deciding --- */

enum decision { APPROVE, SEND_BACK, WITHDRAW };

struct decide_arg {
	const char *user, *id, *comment;
	enum decision what;
	ledger_file_fn file; /* a transfer's file, when approving one */
	char registered[11];
};

/* The request id for a decision, in txn, into *out: it must be this
 * office's and wait. */
static int waiting_request(struct store *st, struct store_txn *txn,
			   const char *id, struct store_record **out,
			   struct xb_error *err)
{
	char office[13];
	int ret = form_office_in(st, txn, office, err);
	if (ret == XB_OK)
		ret = store_get(st, txn, STORE_REQUEST, id, out, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return xb_fail(err, XB_ENOTFOUND, _("There is no request %s."), id);
	}
	if (ret != XB_OK)
		return ret;
	const char *status = store_record_get(*out, FK_status);
	if ((*out)->origin == NULL || strcmp((*out)->origin, office) != 0)
		ret = xb_fail(err, XB_EPERM,
			      _("Request %s is office %s's: its own leader decides "
				"it."),
			      id, (*out)->origin ? (*out)->origin : "?");
	else if (!is(status, "waiting"))
		ret = xb_fail(err, XB_EINVAL, _("Request %s is %s already (%s, %s)."),
			      id, choice_text(FK_status, status),
			      store_record_get(*out, FK_decided_by),
			      store_record_get(*out, FK_decided_at));
	if (ret != XB_OK)
		store_record_free(out);
	return ret;
}

/* Does what q asks, as user, in txn: the exit or the step with every
 * check it meets when done directly. */
static int perform(struct store *st, struct store_txn *txn,
		   const struct store_record *q, const char *user,
		   const char *registered, ledger_file_fn file,
		   struct xb_error *err)
{
	struct request_gate g = { q->id, NULL, 0 };
	const char *target = store_record_get(q, FK_target);
	if (is(store_record_get(q, FK_action), "transfer")) {
		struct ledger_transfer t = { target, store_record_get(q, FK_to),
					     store_record_get(q, FK_to_name),
					     store_record_get(q, FK_exit_date),
					     store_record_get(q, FK_reason) };
		if (file == NULL)
			return xb_fail(err, XB_EFAIL,
				       _("A transfer is approved where its file can "
					 "be made: on the ledger's own screen or "
					 "command."));
		return ledger_transfer_in(st, txn, &t, file, user, &g, err);
	}
	if (is(store_record_get(q, FK_action), "exit"))
		return ledger_exit_in(st, txn, target, store_record_get(q, FK_exit_reason),
				      store_record_get(q, FK_exit_date), registered,
				      user, &g, err);
	struct store_record *s = store_record_new(STORE_STEP);
	static const char *const keys[] = { FK_step, FK_date, FK_by, FK_note };
	int ret = s == NULL || store_record_set(s, FK_report_id, target);
	for (size_t i = 0; ret == 0 && i < 4; i++)
		ret = store_record_set(s, keys[i], store_record_get(q, keys[i]));
	ret = ret ? xb_fail(err, XB_EFAIL, _("Out of memory."))
		  : ledger_step_in(st, txn, s, user, &g, err);
	store_record_free(&s);
	return ret;
}

static int decide_fn(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	struct decide_arg *a = arg;
	struct store_record *q = NULL;
	struct ledger_who who;
	/* withdrawing: anyone who asked; deciding: a leader */
	int ret = a->what == WITHDRAW ? ledger_who_get(st, txn, a->user, &who, err)
				      : ledger_access(st, txn, a->user, LEDGER_APPROVE,
						      NULL, err);
	if (ret == XB_OK)
		ret = waiting_request(st, txn, a->id, &q, err);
	if (ret != XB_OK)
		return ret;
	if (a->what == WITHDRAW && !is(store_record_get(q, FK_asked_by), a->user)) {
		ret = xb_fail(err, XB_EPERM,
			      _("Only %s, who asked, may withdraw request %s."),
			      store_record_get(q, FK_asked_by), q->id);
		store_record_free(&q);
		return ret;
	}
	/* The decision, then (approved) what it asks: the history reads
	 * in that order. */
	static const char *const status[] = { "approved", "sent_back", "withdrawn" };
	static const char *const action[] = { "approve", "send_back", "withdraw" };
	char now[17], today[11];
	now_minute(now);
	xb_today(today, sizeof(today));
	store_record_set(q, FK_status, status[a->what]);
	store_record_set(q, FK_decided_by, a->user);
	store_record_set(q, FK_decided_at, now);
	store_record_set(q, FK_comment, a->comment);
	ret = form_check_record(q, today, err);
	if (ret == XB_OK)
		ret = store_update(st, txn, q, a->user, action[a->what], err);
	if (ret == XB_OK && a->what == APPROVE &&
	    (ret = perform(st, txn, q, a->user, a->registered, a->file, err)) != XB_OK &&
	    ret != XB_EDEADLOCK && ret != XB_EFAIL) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err->msg);
		xb_fail(err, ret,
			_("Request %s cannot be approved: %s It stays waiting; "
			  "send it back to close it."),
			q->id, why);
	}
	store_record_free(&q);
	return ret;
}

static int decide(struct store *st, const char *user, const char *id,
		  const char *comment, enum decision what, ledger_file_fn file,
		  struct xb_error *err)
{
	struct decide_arg a = { user, id, comment, what, file, "" };
	struct store_record *q = NULL;
	if (id == NULL || *id == '\0')
		return xb_fail(err, XB_EINVAL, _("Say which request."));
	/* An exit is not dated before the child's registration, read
	 * outside the decision's transaction. */
	int ret = what == APPROVE ? store_get(st, NULL, STORE_REQUEST, id, &q, err) : XB_OK;
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return xb_fail(err, XB_ENOTFOUND, _("There is no request %s."), id);
	}
	if (ret == XB_OK && q != NULL && is(store_record_get(q, FK_action), "exit"))
		ret = request_registered(st, store_record_get(q, FK_target), a.registered,
					 err);
	store_record_free(&q);
	return ret ? ret : store_run(st, decide_fn, &a, err);
}

int ledger_request_approve(struct store *st, const char *user, const char *id,
			   const char *comment, struct xb_error *err)
{
	return decide(st, user, id, comment, APPROVE, NULL, err);
}

int ledger_request_approve_file(struct store *st, const char *user,
				const char *id, const char *comment,
				ledger_file_fn file, struct xb_error *err)
{
	return decide(st, user, id, comment, APPROVE, file, err);
}

int ledger_request_send_back(struct store *st, const char *user, const char *id,
			     const char *comment, struct xb_error *err)
{
	const char *p = comment;
	while (p != NULL && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	if (p == NULL || *p == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_comment,
				     _("Say why the request goes back: a comment "
				       "is required."));
	return decide(st, user, id, comment, SEND_BACK, NULL, err);
}

int ledger_request_withdraw(struct store *st, const char *user, const char *id,
			    struct xb_error *err)
{
	return decide(st, user, id, NULL, WITHDRAW, NULL, err);
}

/* --- listing --- */

static int by_asked(const void *a, const void *b)
{
	const struct store_record *x = *(const struct store_record *const *)a;
	const struct store_record *y = *(const struct store_record *const *)b;
	const char *ax = store_record_get(x, FK_asked_at);
	const char *ay = store_record_get(y, FK_asked_at);
	int c = strcmp(ax ? ax : "", ay ? ay : "");
	return c ? c : strcmp(x->id, y->id);
}

int ledger_requests_list(struct store *st, const char *user, int all,
			 ledger_request_fn fn, void *arg, struct xb_error *err)
{
	int ret = ledger_access(st, NULL, user, LEDGER_APPROVE, NULL, err);
	if (ret != XB_OK)
		return ret;
	struct store_iter *it;
	ret = all ? store_iter_open(st, STORE_REQUEST, STORE_BY_ID, STORE_ALL, NULL, &it, err)
		  : store_iter_open(st, STORE_REQUEST, STORE_BY_STATUS, STORE_EXACT,
				    "waiting", &it, err);
	if (ret != XB_OK)
		return ret;
	struct store_record **recs = NULL, *r;
	size_t n = 0, cap = 0;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			struct store_record **p = realloc(recs, cap * sizeof(*p));
			if (p == NULL) {
				store_record_free(&r);
				ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
				break;
			}
			recs = p;
		}
		recs[n++] = r;
	}
	store_iter_close(&it);
	if (ret == 0 && n > 1)
		qsort(recs, n, sizeof(*recs), by_asked);
	for (size_t i = 0; ret == 0 && i < n; i++)
		if (fn(recs[i], arg) != 0)
			break;
	for (size_t i = 0; i < n; i++)
		store_record_free(&recs[i]);
	free(recs);
	return ret < 0 ? ret : XB_OK;
}

int ledger_requests_waiting(struct store *st, const char *user, uint64_t *n,
			    struct xb_error *err)
{
	struct ledger_who who;
	char **ids = NULL;
	size_t nids = 0;
	*n = 0;
	int ret = ledger_who_get(st, NULL, user, &who, err);
	if (ret != XB_OK || !(who.perms & P(LEDGER_APPROVE)))
		return ret;
	/* a county holds its townships' requests: theirs to decide */
	if (strlen(who.office) != 9)
		return XB_OK;
	ret = store_find_ids(st, NULL, STORE_REQUEST, STORE_BY_STATUS, "waiting", &ids,
			     &nids, err);
	for (size_t i = 0; ret == XB_OK && i < nids; i++)
		if (strncmp(ids[i], who.office, 9) == 0)
			(*n)++;
	store_ids_free(ids, nids);
	return ret;
}

void ledger_request_what(const struct store_record *q, char *buf, size_t len)
{
	const char *action = store_record_get(q, FK_action);
	const char *target = store_record_get(q, FK_target);
	const char *date = store_record_get(q, FK_date);
	const char *by = store_record_get(q, FK_by);
	if (is(action, "transfer")) {
		const char *to_name = store_record_get(q, FK_to_name);
		const char *why = store_record_get(q, FK_reason);
		char place[96];
		snprintf(place, sizeof(place), "%s%s%s", store_record_get(q, FK_to),
			 to_name ? " " : "", to_name ? to_name : "");
		if (why != NULL)
			snprintf(buf, len, _("transfer to township %s, on %s: %s"), place,
				 store_record_get(q, FK_exit_date), why);
		else
			snprintf(buf, len, _("transfer to township %s, on %s"), place,
				 store_record_get(q, FK_exit_date));
	}
	else if (is(action, "exit"))
		snprintf(buf, len, _("leave the ledger: %s, on %s"),
			 choice_text(FK_exit_reason, store_record_get(q, FK_exit_reason)),
			 store_record_get(q, FK_exit_date));
	else if (is(action, "close_report"))
		snprintf(buf, len, _("close report %s (%s, %s)"), target, date ? date : "?",
			 by ? by : "?");
	else
		snprintf(buf, len, _("report %s: step \"%s\" (%s, %s)"), target,
			 choice_text(FK_step, store_record_get(q, FK_step)),
			 date ? date : "?", by ? by : "?");
}
