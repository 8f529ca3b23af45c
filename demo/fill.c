/* fill.c - filling a township's ledger through the ledger operations,
 * batch after batch: each child with its visits and, for about one in
 * twenty, a report walked through its stages of handling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../forms/ledger.h"

struct fill {
	struct synth *s;
	struct synth_state saved; /* the state at the start of the batch */
	size_t count;              /* children in this batch */
	int visits;
	const char *user;
	char today[11];
};

/* The minute of a step on day: an hour or so after the step before when
 * that fell on the same day, else in office hours. */
static int step_minute(struct synth *s, long day, long prev_day, int prev_min)
{
	if (day != prev_day)
		return between(s, 8 * 60, 17 * 60);
	int m = prev_min + between(s, 20, 90);
	if (m > 23 * 60 + 59)
		m = 23 * 60 + 59;
	return m;
}

/* Walks a report told to the police to a stage drawn evenly from
 * reported (1) to closed (7): the steps follow the report, spread from
 * then to today. */
static int add_steps(struct store *st, struct store_txn *txn, struct fill *f,
		     const struct store_record *r, struct xb_error *err)
{
	struct synth *s = f->s;
	int target = between(s, 1, 7);
	const char *steps[8];
	int n = synth_next_steps(r, target, steps);
	const char *ra = store_record_get(r, FK_reported_at);
	char rday[11];
	snprintf(rday, sizeof(rday), "%.10s", ra);
	long start = synth_day_of(rday), today = synth_day_of(f->today);
	long span = today > start ? today - start : 0;
	long prev_day = start;
	int prev_min = strlen(ra) == 16 ? atoi(ra + 11) * 60 + atoi(ra + 14)
					: 8 * 60;
	int ret = XB_OK;
	for (int i = 0; i < n && ret == XB_OK; i++) {
		long day = start + span * (i + 1) / (n + 1);
		int m = step_minute(s, day, prev_day, prev_min);
		prev_day = day;
		prev_min = m;
		struct store_record *step = synth_step(s, r, steps[i], day, m);
		/* a clerk's closing waits for the leader, as a request
		 * (closed is the last step) */
		char request[LEDGER_REQUEST_MAX] = "";
		if (step == NULL)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			ret = ledger_report_step(st, txn, step, f->user, request, err);
		store_record_free(&step);
	}
	return ret;
}

/* Files a report about a child and walks it through its stages. */
static int add_report(struct store *st, struct store_txn *txn, struct fill *f,
		      const struct store_record *child, struct xb_error *err)
{
	struct store_record *r = synth_report(f->s, child, f->today);
	if (r == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret = ledger_report_add(st, txn, r, f->user, err);
	if (ret == XB_OK && store_record_get(r, FK_reported_at) != NULL)
		ret = add_steps(st, txn, f, r, err);
	store_record_free(&r);
	return ret;
}

/* A new child written to the ledger, into *out (the caller frees it,
 * whatever the result). An ID number already in the ledger (from another
 * run): nothing was written yet, so another child takes its place. */
static int add_child(struct store *st, struct store_txn *txn, struct fill *f,
		     struct store_record **out, struct xb_error *err)
{
	struct store_record *c = NULL;
	struct xb_error e;
	int ret = XB_OK;
	for (int tries = 0; tries < 100; tries++) {
		xb_error_clear(&e);
		store_record_free(&c);
		c = synth_child(f->s, f->today);
		if (c == NULL) {
			ret = xb_fail(&e, XB_EFAIL, _("Out of memory."));
			break;
		}
		ret = ledger_child_add(st, txn, c, f->user, &e);
		if (ret != XB_EEXIST || strcmp(e.field, FK_id_number) != 0)
			break;
	}
	if (ret != XB_OK && err != NULL)
		*err = e;
	*out = c;
	return ret;
}

/* A member's visits to the child, logged together. */
static int add_visits(struct store *st, struct store_txn *txn, struct fill *f,
		      const struct store_record *child, struct xb_error *err)
{
	struct store_record *vs[64];
	int nv = 0, ret = XB_OK;
	struct visit_child vc;
	synth_visit_child(child, &vc);
	for (int n = 0; n < f->visits && n < 64 && ret == XB_OK; n++) {
		vs[nv] = synth_visit_of(f->s, &vc, n, f->today);
		if (vs[nv] == NULL)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			nv++;
	}
	if (ret == XB_OK)
		ret = ledger_visits_add(st, txn, vs, (size_t)nv, f->user, err);
	for (int n = 0; n < nv; n++)
		store_record_free(&vs[n]);
	return ret;
}

/* One batch in one transaction; run again by store_run after a lost
 * deadlock, from the same generator state so it makes the same ledger. */
static int fill_batch(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct fill *f = arg;
	struct synth *s = f->s;
	s->st = f->saved;
	int ret = XB_OK;
	for (size_t i = 0; i < f->count && ret == XB_OK; i++) {
		struct store_record *c;
		ret = add_child(st, txn, f, &c, err);
		if (ret == XB_OK)
			ret = add_visits(st, txn, f, c, err);
		if (ret == XB_OK && chance(s, 50))
			ret = add_report(st, txn, f, c, err);
		store_record_free(&c);
	}
	return ret;
}

static int count_registered(const char *code, const char *name, void *n);

/* Whether a user of the ledger is called name (user name or full name). */
static int member_known(struct store *st, const char *name)
{
	struct store_record *u = NULL;
	struct xb_error ignored;
	int ret = ledger_member_find(st, NULL, name, &u, &ignored);
	store_record_free(&u);
	return ret != XB_ENOTFOUND;
}

int synth_register_members(struct store *st, const char *user,
			   struct xb_error *err)
{
	char town[13];
	int ret = ledger_office(st, town, err);
	if (ret)
		return ret;
	struct synth *s = strlen(town) == 9 ? synth_new(0, town) : NULL;
	if (s == NULL)
		return xb_fail(err, XB_EINVAL,
			       _("This is the county's ledger (%s); synthetic "
				 "children are made in a township's ledger."),
			       town);
	size_t registered = 0;
	for (int i = 0; ret == XB_OK && i < s->nvillages; i++) {
		const struct village *v = &s->villages[i];
		if (member_known(st, v->member))
			continue;
		/* A village member is bound to villages of the register. */
		if (registered == 0)
			ret = ledger_village_list(st, count_registered, &registered, err);
		if (ret == XB_OK && registered == 0) {
			ret = synth_register_villages(st, user, err);
			registered = 1;
		}
		if (ret == XB_OK)
			ret = ledger_user_add(st, user, v->member, "village", v->code,
					      v->member, NULL, err);
		if (ret == XB_EEXIST) { /* another process added them just now */
			xb_error_clear(err);
			continue;
		}
		if (ret == XB_OK)
			ret = ledger_user_phone(st, user, v->member, v->member_phone, err);
	}
	synth_free(&s);
	return ret;
}

int synth_member(const char *township, int i, char name[32], char phone[12])
{
	struct synth *s = synth_new(0, township);
	int ok = s != NULL && i >= 0 && i < s->nvillages;
	if (ok) {
		snprintf(name, 32, "%s", s->villages[i].member);
		snprintf(phone, 12, "%s", s->villages[i].member_phone);
	}
	synth_free(&s);
	return ok ? 0 : -1;
}

int synth_fill(struct store *st, size_t nchildren, int visits, size_t batch,
	       uint64_t seed, const char *user, synth_progress_fn progress,
	       void *arg, struct xb_error *err)
{
	char town[13];
	int ret = ledger_office(st, town, err);
	if (ret)
		return ret;
	if (strlen(town) != 9)
		return xb_fail(err, XB_EINVAL,
			       _("This is the county's ledger (%s); synthetic "
				 "children are made in a township's ledger."),
			       town);
	if (visits < 0)
		visits = 0;
	if (batch == 0)
		batch = 1;
	/* The children's responsible members are users of the ledger. */
	if ((ret = synth_register_members(st, user ? user : "synth", err)) != XB_OK)
		return ret;
	struct synth *s = synth_new(seed, town);
	if (s == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	s->visits_planned = visits;
	struct fill f = { .s = s, .visits = visits,
			  .user = user ? user : "synth" };
	xb_today(f.today, sizeof(f.today));
	size_t done = 0;
	while (done < nchildren) {
		f.count = nchildren - done < batch ? nchildren - done : batch;
		f.saved = s->st;
		ret = store_run(st, fill_batch, &f, err);
		if (ret != XB_OK)
			break;
		done += f.count;
		if (progress != NULL && progress(done, nchildren, arg) != 0)
			break; /* the caller stops here; what is written stays */
	}
	synth_free(&s);
	return ret;
}

static int count_registered(const char *code, const char *name, void *n)
{
	(void)code;
	(void)name;
	++*(size_t *)n;
	return 1; /* one is enough */
}

int synth_register_villages(struct store *st, const char *user,
			    struct xb_error *err)
{
	char town[13];
	int ret = ledger_office(st, town, err);
	if (ret)
		return ret;
	/* the seed does not matter: the villages follow from the code */
	struct synth *s = strlen(town) == 9 ? synth_new(0, town) : NULL;
	if (s == NULL)
		return xb_fail(err, XB_EINVAL,
			       _("This is the county's ledger (%s); synthetic "
				 "children are made in a township's ledger."),
			       town);
	const char *codes[16], *names[16];
	for (int i = 0; i < s->nvillages; i++) {
		codes[i] = s->villages[i].code;
		names[i] = s->villages[i].name;
	}
	ret = ledger_villages_add(st, codes, names, (size_t)s->nvillages,
				  user ? user : "synth", NULL, err);
	synth_free(&s);
	return ret;
}
