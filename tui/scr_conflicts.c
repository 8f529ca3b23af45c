/* scr_conflicts.c - records changed here and at another office since they
 * last exchanged: each with the fields that differ, ours beside theirs
 * (labels from the schema), to keep ours or take theirs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

/* Conflicts listed at once above the fields; more scroll. */
#define LIST_ROWS 5

struct conflicts {
	struct bundle_conflict *c;
	size_t n;
	int cur, first;
	/* the selected one: our version and the fields that differ */
	int shown;
	struct store_record *ours;
	struct store_change *ch;
	size_t nch;
	int scroll;
};

static const struct tui_keyhelp conflicts_keys[] = {
	{ "Enter s", N_("settle"), 1 },
	{ "o", N_("keep ours"), 1 },
	{ "t", N_("take theirs"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ j k", N_("move among the conflicts"), 0 },
	{ "PgUp PgDn", N_("scroll the fields"), 0 },
	{ NULL, NULL, 0 },
};

/* The kind of a record in words. */
static const char *kind_label(enum store_kind kind)
{
	switch (kind) {
	case STORE_OFFICE: return _("office");
	case STORE_CHILD: return _("child");
	case STORE_VISIT: return _("visit");
	case STORE_REPORT: return _("report");
	case STORE_STEP: return _("report step");
	case STORE_AID: return _("assistance entry");
	default: return store_kind_name(kind);
	}
}

/* Forgets the selected conflict's fields. */
static void detail_clear(struct conflicts *s)
{
	store_record_free(&s->ours);
	store_changes_free(s->ch, s->nch);
	s->ch = NULL;
	s->nch = 0;
	s->shown = -1;
}

/* Reads our version of the selected record and what differs. */
static void detail_load(struct tui *t, struct conflicts *s)
{
	if (s->shown == s->cur)
		return;
	detail_clear(s);
	if (s->n == 0)
		return;
	const struct bundle_conflict *c = &s->c[s->cur];
	struct xb_error err;
	xb_error_clear(&err);
	int ret = store_get(t->st, NULL, c->kind, c->id, &s->ours, &err);
	if (ret != XB_OK && ret != XB_ENOTFOUND)
		tui_error(t, &err);
	store_diff(s->ours, c->theirs, &s->ch, &s->nch);
	s->shown = s->cur;
	s->scroll = 0;
}

static void load(struct tui *t, struct conflicts *s)
{
	struct xb_error err;
	xb_error_clear(&err);
	detail_clear(s);
	bundle_conflicts_free(s->c, s->n);
	s->c = NULL;
	s->n = 0;
	if (bundle_conflicts(t->st, &s->c, &s->n, &err) != XB_OK)
		tui_error(t, &err);
	if (s->cur >= (int)s->n)
		s->cur = s->n ? (int)s->n - 1 : 0;
	detail_load(t, s);
}

/* A field's value as the clerk reads it (choices by their labels). */
static const char *value_text(enum store_kind kind, const char *key, const char *v)
{
	const struct form_field *f = form_field_find(kind, key);
	if (v == NULL)
		return "-";
	return f ? form_value_text(f, v) : v;
}

/* The differing fields on a canvas (arg: the screen): label, ours,
 * theirs, each value wrapped in its column. */
static void body_fields(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct conflicts *s = arg;
	const struct bundle_conflict *c = &s->c[s->cur];
	int lw = 16, vw = (t->cols - 4 - lw - 4) / 2;
	int xo = 1 + lw + 2, xt = xo + vw + 2;
	for (size_t i = 0; i < s->nch; i++) {
		const struct form_field *f = form_field_find(c->kind, s->ch[i].key);
		const char *po = value_text(c->kind, s->ch[i].key, s->ch[i].before);
		const char *pt = value_text(c->kind, s->ch[i].key, s->ch[i].after);
		/* Copies: form_value_text may share a buffer between calls. */
		char ours[1024], theirs[1024];
		snprintf(ours, sizeof(ours), "%s", po);
		snprintf(theirs, sizeof(theirs), "%s", pt);
		const char *a = ours, *b = theirs;
		int first = 1;
		while (first || *a || *b) {
			char sa[1024] = "", sb[1024] = "";
			if (*a)
				tui_take_line(&a, vw, sa, sizeof(sa));
			if (*b)
				tui_take_line(&b, vw, sb, sizeof(sb));
			int y = tui_canvas_next(cv);
			if (y >= 0) {
				if (first)
					tui_put(y, 1, lw, f ? form_label(f) : s->ch[i].key,
						tui_attr(t, TUI_LABEL));
				tui_put(y, xo, vw, sa, tui_attr(t, TUI_NORMAL));
				tui_put(y, xt, vw, sb, tui_attr(t, TUI_WARN));
			}
			first = 0;
		}
	}
}

static void conflicts_draw(struct tui *t, void *data)
{
	struct conflicts *s = data;
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD;
	int y = 2;
	if (s->n == 0) {
		tui_put(y, 1, t->cols - 2, _("No conflicts to settle."), tui_attr(t, TUI_OK));
		return;
	}
	detail_load(t, s);
	/* The list: record, kind, from which office and bundle, versions. */
	int x[4] = { 1, 30, 44, 58 }, w[4] = { 28, 13, 13, t->cols - 59 };
	tui_fill(y, 0, t->cols, head);
	tui_put(y, x[0], w[0], _("Record"), head);
	tui_put(y, x[1], w[1], _("Kind"), head);
	tui_put(y, x[2], w[2], _("From office"), head);
	tui_put(y, x[3], w[3], _("Versions"), head);
	y++;
	int rows = s->n < LIST_ROWS ? (int)s->n : LIST_ROWS;
	if (s->cur < s->first)
		s->first = s->cur;
	if (s->cur >= s->first + rows)
		s->first = s->cur - rows + 1;
	for (int r = 0; r < rows && s->first + r < (int)s->n; r++) {
		int i = s->first + r;
		const struct bundle_conflict *c = &s->c[i];
		attr_t a = tui_attr(t, i == s->cur ? TUI_SELECTED : TUI_NORMAL);
		char buf[128];
		tui_fill(y + r, 0, t->cols, a);
		tui_put(y + r, x[0], w[0], c->id, a);
		tui_put(y + r, x[1], w[1], kind_label(c->kind), a);
		snprintf(buf, sizeof(buf), _("%s no. %" PRIu64), c->from, c->sequence);
		tui_put(y + r, x[2], w[2], buf, a);
		snprintf(buf, sizeof(buf), _("ours %u, theirs %u"),
			 s->ours && i == s->cur ? s->ours->version : c->ours_version,
			 c->theirs_version);
		tui_put(y + r, x[3], w[3], buf, a);
	}
	y += rows + 1;
	/* The fields of the selected one. */
	int lw = 16, vw = (t->cols - 4 - lw - 4) / 2;
	tui_fill(y, 0, t->cols, head);
	tui_put(y, 1, lw, _("Field"), head);
	tui_put(y, 1 + lw + 2, vw, _("This office's"), head);
	tui_put(y, 1 + lw + 2 + vw + 2, vw, _("The other office's"), head);
	y++;
	if (s->nch == 0) {
		tui_put(y, 1, t->cols - 2, _("No field differs; settle it either way."),
			tui_attr(t, TUI_DIM));
		return;
	}
	tui_canvas_draw(t, y, t->cols - 1, &s->scroll, body_fields, s);
}

/* Settles the selected conflict: keep ours or take theirs (how: 'o',
 * 't', or 0 to ask). */
static void settle(struct tui *t, struct conflicts *s, int how)
{
	if (s->n == 0)
		return;
	const struct bundle_conflict *c = &s->c[s->cur];
	char q[256], id[64];
	snprintf(id, sizeof(id), "%s", c->id);
	if (how == 'o')
		snprintf(q, sizeof(q), _("Keep this office's version of %s?"), id);
	else if (how == 't')
		snprintf(q, sizeof(q), _("Take office %s's version of %s?"), c->from, id);
	else
		snprintf(q, sizeof(q), _("Settle %s: which version stays?"), id);
	int a = how ? tui_ask(t, q, _("y: yes   n: no"), "yn")
		    : tui_ask(t, q, _("o: keep this office's   t: take the other office's"),
			      "ot");
	if (a == 0 || a == 'n')
		return;
	int theirs = how ? how == 't' : a == 't';
	struct xb_error err;
	xb_error_clear(&err);
	if (bundle_settle(t->st, id, theirs, t->user, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	load(t, s);
	tui_message(t, 0, theirs ? _("Settled: %s takes the other office's version.")
				 : _("Settled: %s keeps this office's version."), id);
}

static int conflicts_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct conflicts *s = data;
	int page = t->rows / 2;
	if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (s->cur > 0)
			s->cur--;
	} else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (s->cur < (int)s->n - 1)
			s->cur++;
	} else if (k->code == KEY_PPAGE) {
		s->scroll = s->scroll > page ? s->scroll - page : 0;
	} else if (k->code == KEY_NPAGE || (k->code == 0 && k->ch == ' ')) {
		s->scroll += page;
	} else if (tui_key_enter(k) || tui_key_is(k, 0, "sS")) {
		settle(t, s, 0);
	} else if (tui_key_is(k, 0, "oO")) {
		settle(t, s, 'o');
	} else if (tui_key_is(k, 0, "tT")) {
		settle(t, s, 't');
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void conflicts_resume(struct tui *t, void *data)
{
	load(t, data);
}

static void conflicts_free(void *data)
{
	struct conflicts *s = data;
	if (s == NULL)
		return;
	detail_clear(s);
	bundle_conflicts_free(s->c, s->n);
	free(s);
}

static const char *conflicts_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Conflicts");
}

static const struct tui_screen_ops conflicts_ops = {
	.draw = conflicts_draw,
	.key = conflicts_key,
	.resume = conflicts_resume,
	.free = conflicts_free,
	.keys = conflicts_keys,
	.title = conflicts_title,
};

void tui_conflicts_open(struct tui *t)
{
	if (tui_refuse(t, LEDGER_EXCHANGE, NULL))
		return;
	struct conflicts *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	s->shown = -1;
	load(t, s);
	tui_push(t, &conflicts_ops, s);
}
