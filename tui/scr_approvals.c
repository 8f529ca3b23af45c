/* scr_approvals.c - the requests that wait for a leader's approval (审核):
 * a clerk's exits, closings and chosen report steps (forms/requests.c).
 * The list (child, what, asked by, when); Enter shows one request with
 * the child and what approving it does; a approves (confirmed), b sends
 * it back with a comment. Requests are few: the list is loaded whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

struct approvals {
	struct store_record **recs; /* waiting, oldest first */
	char **names;               /* the child's name per row */
	int n, cap, sel, first;
	char title[160];
};

/* One request shown whole. */
struct approval {
	char id[LEDGER_REQUEST_MAX];
	char title[160];
	char child[64];
	struct store_record *rec;
	int scroll;
};

static const struct tui_keyhelp list_keys[] = {
	{ "Enter", N_("open"), 1 },
	{ "a", N_("approve"), 1 },
	{ "b", N_("send back"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ NULL, NULL, 0 },
};

static const struct tui_keyhelp one_keys[] = {
	{ "a", N_("approve"), 1 },
	{ "b", N_("send back"), 1 },
	{ "F8 h", N_("history"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ PgUp PgDn", N_("scroll"), 0 },
	{ NULL, NULL, 0 },
};

/* The name of the child request q is about into name[64] ("?"). */
static void child_of(struct tui *t, const struct store_record *q, char name[64])
{
	char case_no[LEDGER_CASE_MAX];
	struct store_record *c = NULL;
	struct xb_error err;
	snprintf(case_no, sizeof(case_no), "%.*s", (int)strcspn(q->id, "/"), q->id);
	if (store_get(t->st, NULL, STORE_CHILD, case_no, &c, &err) == XB_OK &&
	    store_record_get(c, FK_name) != NULL)
		snprintf(name, 64, "%s", store_record_get(c, FK_name));
	else
		snprintf(name, 64, "?");
	store_record_free(&c);
}

/* --- deciding: the same from the list and from one request --- */

/* Approves request q (its child named name) once the leader confirms;
 * says how it went. 1 when it was decided. */
static int approve(struct tui *t, const struct store_record *q, const char *name)
{
	char what[512], question[768], id[LEDGER_REQUEST_MAX];
	struct xb_error err;
	xb_error_clear(&err);
	snprintf(id, sizeof(id), "%s", q->id);
	ledger_request_what(q, what, sizeof(what));
	snprintf(question, sizeof(question), _("Approve %s's request %s: %s?"), name, id,
		 what);
	if (tui_ask(t, question, _("y yes, do it   n no"), "ny") != 'y')
		return 0;
	if (bundle_request_approve(t->st, t->user, id, NULL, &err) != XB_OK) {
		tui_error(t, &err);
		return 0;
	}
	tui_message(t, 0, _("Request %s approved: done as asked."), id);
	return 1;
}

/* Sends request q back with the comment the leader types (required).
 * 1 when it was decided. */
static int send_back(struct tui *t, const struct store_record *q)
{
	char id[LEDGER_REQUEST_MAX];
	snprintf(id, sizeof(id), "%s", q->id);
	char *comment = tui_prompt(t, _("Send the request back"),
				   _("Why it goes back (required):"), NULL, 0);
	if (comment == NULL)
		return 0;
	struct xb_error err;
	xb_error_clear(&err);
	int ret = ledger_request_send_back(t->st, t->user, id, comment, &err);
	free(comment);
	if (ret != XB_OK) {
		tui_error(t, &err);
		return 0;
	}
	tui_message(t, 0, _("Request %s sent back; nothing was changed."), id);
	return 1;
}

/* --- the list --- */

static void list_clear(struct approvals *a)
{
	for (int i = 0; i < a->n; i++) {
		store_record_free(&a->recs[i]);
		free(a->names[i]);
	}
	a->n = 0;
}

struct load_arg {
	struct tui *t;
	struct approvals *a;
	int failed;
};

static int take(const struct store_record *q, void *arg)
{
	struct load_arg *l = arg;
	struct approvals *a = l->a;
	if (a->n == a->cap) {
		int cap = a->cap ? 2 * a->cap : 16;
		struct store_record **p = realloc(a->recs, (size_t)cap * sizeof(*p));
		if (p != NULL)
			a->recs = p;
		char **n = p ? realloc(a->names, (size_t)cap * sizeof(*n)) : NULL;
		if (n == NULL) {
			l->failed = 1;
			return 1;
		}
		a->names = n;
		a->cap = cap;
	}
	char name[64];
	child_of(l->t, q, name);
	a->recs[a->n] = store_record_dup(q);
	a->names[a->n] = strdup(name);
	if (a->recs[a->n] == NULL || a->names[a->n] == NULL) {
		store_record_free(&a->recs[a->n]);
		free(a->names[a->n]);
		l->failed = 1;
		return 1;
	}
	a->n++;
	return 0;
}

/* Reads the waiting requests: XB_OK, or told and the error. */
static int load(struct tui *t, struct approvals *a)
{
	struct xb_error err;
	struct load_arg l = { t, a, 0 };
	xb_error_clear(&err);
	list_clear(a);
	int ret = ledger_requests_list(t->st, t->user, 0, take, &l, &err);
	if (ret == XB_OK && l.failed)
		ret = xb_fail(&err, XB_EFAIL, "%s", _("Out of memory."));
	if (ret != XB_OK)
		tui_error(t, &err);
	if (a->sel >= a->n)
		a->sel = a->n > 0 ? a->n - 1 : 0;
	return ret;
}

static const char *list_title(struct tui *t, void *data)
{
	struct approvals *a = data;
	(void)t;
	snprintf(a->title, sizeof(a->title), _("Approvals: %d waiting"), a->n);
	return a->title;
}

enum col { C_WHEN, C_NAME, C_BY, C_WHAT, C_COUNT };

static void layout(const struct tui *t, int x[C_COUNT], int w[C_COUNT])
{
	w[C_WHEN] = 11; /* MM-DD HH:MM: the year is this one, or the last */
	w[C_NAME] = 10;
	w[C_BY] = 10;
	w[C_WHAT] = t->cols - w[C_WHEN] - w[C_NAME] - w[C_BY] - 3;
	if (w[C_WHAT] < 8)
		w[C_WHAT] = 8;
	for (int i = 0, at = 0; i < C_COUNT; i++) {
		x[i] = at;
		at += w[i] + 1;
	}
}

static int page_rows(const struct tui *t)
{
	int n = t->rows - 7;
	return n < 1 ? 1 : n;
}

static void list_draw(struct tui *t, void *data)
{
	struct approvals *a = data;
	int x[C_COUNT], w[C_COUNT], top = 3, max = page_rows(t);
	layout(t, x, w);
	if (a->sel < a->first)
		a->first = a->sel;
	if (a->sel >= a->first + max)
		a->first = a->sel - max + 1;
	attr_t h = tui_attr(t, TUI_LABEL) | A_BOLD;
	const char *heads[C_COUNT] = {
		form_label(form_field_find(STORE_REQUEST, FK_asked_at)),
		form_label(form_field_find(STORE_CHILD, FK_name)),
		form_label(form_field_find(STORE_REQUEST, FK_asked_by)),
		form_label(form_field_find(STORE_REQUEST, FK_action)),
	};
	tui_fill(2, 0, t->cols, h);
	for (int i = 0; i < C_COUNT; i++)
		tui_put(2, x[i], w[i], heads[i], h);
	for (int i = 0; i < max && a->first + i < a->n; i++) {
		int k = a->first + i;
		const struct store_record *q = a->recs[k];
		attr_t at = tui_attr(t, k == a->sel ? TUI_SELECTED : TUI_NORMAL);
		char what[512];
		const char *when = store_record_get(q, FK_asked_at);
		const char *by = store_record_get(q, FK_asked_by);
		ledger_request_what(q, what, sizeof(what));
		tui_fill(top + i, 0, t->cols, at);
		tui_put(top + i, x[C_WHEN], w[C_WHEN],
			when && strlen(when) > 5 ? when + 5 : "-", at);
		tui_put(top + i, x[C_NAME], w[C_NAME], a->names[k], at);
		tui_put(top + i, x[C_BY], w[C_BY], by ? by : "-", at);
		tui_put(top + i, x[C_WHAT], w[C_WHAT], what, at);
	}
	if (a->n == 0)
		tui_put(top + 1, 2, t->cols - 4, _("No request waits for approval."),
			tui_attr(t, TUI_DIM));
	else { /* the selected one whole, as its row may be cut */
		char what[512], line[640];
		ledger_request_what(a->recs[a->sel], what, sizeof(what));
		snprintf(line, sizeof(line), "%s  %s", a->recs[a->sel]->id, what);
		tui_put(t->rows - 3, 0, t->cols, line, tui_attr(t, TUI_DIM));
	}
}

static void one_open(struct tui *t, const struct store_record *q, const char *name);

static int list_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct approvals *a = data;
	if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (a->sel < a->n - 1)
			a->sel++;
	} else if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (a->sel > 0)
			a->sel--;
	} else if (k->code == KEY_HOME) {
		a->sel = 0;
	} else if (k->code == KEY_END) {
		a->sel = a->n > 0 ? a->n - 1 : 0;
	} else if (a->n > 0 && tui_key_enter(k)) {
		one_open(t, a->recs[a->sel], a->names[a->sel]);
	} else if (a->n > 0 && tui_key_is(k, 0, "aA")) {
		if (approve(t, a->recs[a->sel], a->names[a->sel]))
			load(t, a);
	} else if (a->n > 0 && tui_key_is(k, 0, "bB")) {
		if (send_back(t, a->recs[a->sel]))
			load(t, a);
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void list_resume(struct tui *t, void *data)
{
	load(t, data);
}

static void list_free(void *data)
{
	struct approvals *a = data;
	if (a == NULL)
		return;
	list_clear(a);
	free(a->recs);
	free(a->names);
	free(a);
}

static const struct tui_screen_ops list_ops = {
	.draw = list_draw,
	.key = list_key,
	.resume = list_resume,
	.free = list_free,
	.keys = list_keys,
	.title = list_title,
};

void tui_approvals_open(struct tui *t)
{
	struct approvals *a = calloc(1, sizeof(*a));
	if (a == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	if (load(t, a) != XB_OK) {
		list_free(a);
		return;
	}
	tui_push(t, &list_ops, a);
}

/* --- one request --- */

/* A label and its value (wrapped) on the canvas. */
static void cv_pair(struct tui *t, struct tui_canvas *cv, int lw, const char *label,
		    const char *value)
{
	const char *p = value && *value ? value : "-";
	int first = 1;
	do {
		char seg[1024];
		tui_take_line(&p, t->cols - lw - 4, seg, sizeof(seg));
		int y = tui_canvas_next(cv);
		if (y >= 0) {
			if (first)
				tui_put(y, 1, lw, label, tui_attr(t, TUI_LABEL));
			tui_put(y, 1 + lw + 1, t->cols - lw - 4, seg, tui_attr(t, TUI_NORMAL));
		}
		first = 0;
	} while (*p);
}

static void one_body(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct approval *o = arg;
	const struct store_record *q = o->rec;
	char child[160], what[512];
	int lw = 12;
	size_t n;
	const struct form_field *f = form_fields(STORE_REQUEST, &n);
	for (size_t i = 0; i < n; i++)
		if (tui_width(form_label(&f[i])) > lw)
			lw = tui_width(form_label(&f[i]));
	snprintf(child, sizeof(child), _("%s (%.17s)"), o->child, q->id);
	ledger_request_what(q, what, sizeof(what));
	cv_pair(t, cv, lw, form_label(form_field_find(STORE_CHILD, FK_name)), child);
	cv_pair(t, cv, lw, _("When approved"), what);
	tui_canvas_next(cv);
	for (size_t i = 0; i < n; i++) {
		const char *v = store_record_get(q, f[i].key);
		if (v != NULL)
			cv_pair(t, cv, lw, form_label(&f[i]), form_value_text(&f[i], v));
	}
}

static void one_draw(struct tui *t, void *data)
{
	struct approval *o = data;
	tui_canvas_draw(t, 2, t->cols - 2, &o->scroll, one_body, o);
}

static const char *one_title(struct tui *t, void *data)
{
	struct approval *o = data;
	(void)t;
	snprintf(o->title, sizeof(o->title), _("Request %s"), o->id);
	return o->title;
}

static int one_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct approval *o = data;
	if (tui_scroll_key(k, &o->scroll, page_rows(t)))
		return TUI_HANDLED;
	if (tui_key_is(k, 0, "aA")) {
		if (approve(t, o->rec, o->child))
			tui_pop(t);
	} else if (tui_key_is(k, 0, "bB")) {
		if (send_back(t, o->rec))
			tui_pop(t);
	} else if (tui_key_is(k, KEY_F(8), "hH")) {
		char case_no[LEDGER_CASE_MAX];
		snprintf(case_no, sizeof(case_no), "%.*s", (int)strcspn(o->id, "/"), o->id);
		tui_history_open(t, case_no);
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void one_free(void *data)
{
	struct approval *o = data;
	if (o != NULL)
		store_record_free(&o->rec);
	free(o);
}

static const struct tui_screen_ops one_ops = {
	.draw = one_draw,
	.key = one_key,
	.free = one_free,
	.keys = one_keys,
	.title = one_title,
};

static void one_open(struct tui *t, const struct store_record *q, const char *name)
{
	struct approval *o = calloc(1, sizeof(*o));
	if (o == NULL || (o->rec = store_record_dup(q)) == NULL) {
		free(o);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	snprintf(o->id, sizeof(o->id), "%s", q->id);
	snprintf(o->child, sizeof(o->child), "%s", name);
	tui_push(t, &one_ops, o);
}
