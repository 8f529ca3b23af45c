/* scr_history.c - the audit trail of a record and of what lies under it
 * (a child's case number gives the child, its visits, reports and steps):
 * who changed what and when, field by field, newest or oldest first. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

/* The lines of entries start below the heading row. */
#define BODY_TOP 2

/* One changed field, kept as a clerk reads it: no hidden fields. */
struct change {
	char *key, *before, *after;
};

/* One audit entry, copied out of the store. */
struct entry {
	enum store_kind kind;
	char when[32];
	char *user, *action, *record_id;
	uint32_t version;
	size_t n;
	struct change *ch;
};

/* A line on the screen: an entry's header (change -1) or one change. */
struct line {
	int entry, change;
};

struct history {
	char id[96];
	char title[160];
	struct entry *e;
	size_t n, cap;
	struct line *lines;
	size_t nlines;
	int oldest_first;
	int scroll;
	int lw; /* label column */
	int aw; /* action column */
	int oom;
};

static const struct tui_keyhelp history_keys[] = {
	{ "o", N_("oldest or newest first"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ PgUp PgDn", N_("scroll"), 0 },
	{ "Home End", N_("top, bottom"), 0 },
	{ NULL, NULL, 0 },
};


/* A copy on one line (notes' newlines and tabs as spaces); NULL stays
 * NULL. Sets *oom when memory runs out. */
static char *flat_dup(const char *s, int *oom)
{
	if (s == NULL)
		return NULL;
	char *d = strdup(s);
	if (d == NULL) {
		*oom = 1;
		return NULL;
	}
	for (char *p = d; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	return d;
}

static void entry_free(struct entry *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->ch[i].key);
		free(e->ch[i].before);
		free(e->ch[i].after);
	}
	free(e->ch);
	free(e->user);
	free(e->action);
	free(e->record_id);
}

/* Copies one audit entry out of the store's callback. */
static int keep_entry(const struct store_audit *a, void *arg)
{
	struct history *h = arg;
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 64;
		struct entry *ne = realloc(h->e, ncap * sizeof(*ne));
		if (ne == NULL) {
			h->oom = 1;
			return 1;
		}
		h->e = ne;
		h->cap = ncap;
	}
	struct entry *e = &h->e[h->n++];
	memset(e, 0, sizeof(*e));
	e->kind = a->kind;
	e->version = a->version;
	xb_format_time(a->at, e->when, sizeof(e->when));
	e->user = flat_dup(a->user ? a->user : "?", &h->oom);
	e->action = flat_dup(a->action ? a->action : "", &h->oom);
	e->record_id = flat_dup(a->record_id ? a->record_id : "", &h->oom);
	e->ch = a->nchanges ? calloc(a->nchanges, sizeof(*e->ch)) : NULL;
	if (a->nchanges && e->ch == NULL)
		h->oom = 1;
	for (size_t i = 0; e->ch && i < a->nchanges; i++) {
		const struct store_change *c = &a->changes[i];
		const struct form_field *f = form_field_find(a->kind, c->key);
		if (f != NULL && (f->flags & FORM_HIDDEN))
			continue;
		struct change *d = &e->ch[e->n++];
		d->key = flat_dup(c->key, &h->oom);
		d->before = flat_dup(c->before, &h->oom);
		d->after = flat_dup(c->after, &h->oom);
	}
	return h->oom;
}

/* The screen's lines in the order chosen; the label column's width. */
static int build_lines(struct history *h)
{
	size_t total = h->n;
	for (size_t i = 0; i < h->n; i++)
		total += h->e[i].n;
	free(h->lines);
	h->nlines = 0;
	h->lines = malloc((total ? total : 1) * sizeof(*h->lines));
	if (h->lines == NULL)
		return XB_EFAIL;
	h->lw = 0;
	h->aw = 0;
	for (size_t k = 0; k < h->n; k++) {
		size_t i = h->oldest_first ? k : h->n - 1 - k;
		int aw = tui_width(form_action_label(h->e[i].action));
		if (aw > h->aw)
			h->aw = aw < 15 ? aw : 15;
		h->lines[h->nlines++] = (struct line){ (int)i, -1 };
		for (size_t c = 0; c < h->e[i].n; c++) {
			h->lines[h->nlines++] = (struct line){ (int)i, (int)c };
			const struct form_field *f = form_field_find(h->e[i].kind, h->e[i].ch[c].key);
			int w = tui_width(f ? form_label(f) : h->e[i].ch[c].key);
			if (w > h->lw)
				h->lw = w;
		}
	}
	return XB_OK;
}

static void history_free(void *data)
{
	struct history *h = data;
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++)
		entry_free(&h->e[i]);
	free(h->e);
	free(h->lines);
	free(h);
}

/* Reads the whole trail (a record's history is a few hundred entries at
 * most) and lays out its lines. */
static int load(struct tui *t, struct history *h, struct xb_error *err)
{
	for (size_t i = 0; i < h->n; i++)
		entry_free(&h->e[i]);
	h->n = 0;
	h->oom = 0;
	int ret = store_history(t->st, h->id, keep_entry, h, err);
	if (ret == XB_OK && h->oom)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	if (h->oom) {
		/* Half-copied entries are not shown. */
		for (size_t i = 0; i < h->n; i++)
			entry_free(&h->e[i]);
		h->n = 0;
	}
	/* The lines always match the entries, even after a failure. */
	if (build_lines(h) != XB_OK && ret == XB_OK)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	return ret;
}

/* A value as a clerk reads it: choices by label, absent as "(empty)". */
static const char *value_text(const struct form_field *f, const char *v)
{
	return v == NULL ? _("(empty)") : form_value_text(f, v);
}

/* Draws s at (y, *x) in at most max columns and moves *x past it. */
static void put_on(int y, int *x, int max, const char *s, attr_t a)
{
	if (max <= 0)
		return;
	int w = tui_width(s);
	*x += tui_put(y, *x, w < max ? w : max, s, a);
}

static void draw_line(struct tui *t, struct history *h, int y, const struct line *l)
{
	const struct entry *e = &h->e[l->entry];
	int right = t->cols - 3; /* the scroll marks live beyond */
	if (l->change < 0) {
		attr_t a = tui_attr(t, TUI_LABEL) | A_BOLD;
		char ver[64];
		int x = 1;
		put_on(y, &x, 19, e->when, a);
		x += 2;
		tui_put(y, x, 8, e->user, tui_attr(t, TUI_NORMAL) | A_BOLD);
		x += 10;
		tui_put(y, x, h->aw, form_action_label(e->action), tui_attr(t, TUI_NORMAL) | A_BOLD);
		x += h->aw + 2;
		snprintf(ver, sizeof(ver), _("%s (version %u)"), e->record_id, (unsigned)e->version);
		tui_put(y, x, right - x, ver, tui_attr(t, TUI_NORMAL));
		return;
	}
	const struct change *c = &e->ch[l->change];
	const struct form_field *f = form_field_find(e->kind, c->key);
	int lw = h->lw < t->cols / 3 ? h->lw : t->cols / 3;
	int x = 5;
	tui_put(y, x, lw, f ? form_label(f) : c->key, tui_attr(t, TUI_LABEL));
	x += lw + 2;
	const char *after = value_text(f, c->after);
	/* a record's first version (created, or added from a sheet) */
	if ((strcmp(e->action, "create") == 0 || e->version == 1) && c->before == NULL) {
		put_on(y, &x, right - x, after, tui_attr(t, TUI_NORMAL));
		return;
	}
	/* The old value dimmed, at most half the room when a new one follows. */
	const char *before = value_text(f, c->before);
	int room = right - x - 4;
	int bw = tui_width(before), aw = tui_width(after);
	int bmax = room - aw > room / 2 ? room - aw : room / 2;
	put_on(y, &x, bw < bmax ? bw : bmax, before, tui_attr(t, TUI_DIM));
	put_on(y, &x, right - x, " -> ", tui_attr(t, TUI_NORMAL));
	put_on(y, &x, right - x, after, tui_attr(t, c->after ? TUI_NORMAL : TUI_DIM));
}

/* The trail's lines on a canvas (arg: the history). */
static void body_lines(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct history *h = arg;
	for (size_t i = 0; i < h->nlines; i++) {
		int y = tui_canvas_next(cv);
		if (y >= 0)
			draw_line(t, h, y, &h->lines[i]);
	}
}

static void history_draw(struct tui *t, void *data)
{
	struct history *h = data;
	char head[256];
	snprintf(head, sizeof(head), _("%s: %zu entries, %s"), h->id, h->n,
		 h->oldest_first ? _("oldest first (o: newest first)")
				 : _("newest first (o: oldest first)"));
	tui_put(1, 1, t->cols - 2, head, tui_attr(t, TUI_LABEL));
	tui_canvas_draw(t, BODY_TOP, t->cols - 2, &h->scroll, body_lines, h);
}

static int history_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct history *h = data;
	int page = t->rows - 3 - BODY_TOP;
	if (tui_key_is(k, 0, "oO")) {
		h->oldest_first = !h->oldest_first;
		if (build_lines(h) != XB_OK)
			tui_message(t, 1, "%s", _("Out of memory."));
		h->scroll = 0;
	} else if (!tui_scroll_key(k, &h->scroll, page)) {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void history_resume(struct tui *t, void *data)
{
	struct xb_error err;
	xb_error_clear(&err);
	if (load(t, data, &err) != XB_OK)
		tui_error(t, &err);
}

static const char *history_title(struct tui *t, void *data)
{
	(void)t;
	return ((struct history *)data)->title;
}

static const struct tui_screen_ops history_ops = {
	.draw = history_draw,
	.key = history_key,
	.resume = history_resume,
	.free = history_free,
	.keys = history_keys,
	.title = history_title,
};

void tui_history_open(struct tui *t, const char *id)
{
	struct history *h = calloc(1, sizeof(*h));
	if (h == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	snprintf(h->id, sizeof(h->id), "%s", id);
	snprintf(h->title, sizeof(h->title), _("History of %s"), id);
	struct xb_error err;
	xb_error_clear(&err);
	int ret = load(t, h, &err);
	if (ret != XB_OK)
		tui_error(t, &err);
	else if (h->n == 0)
		tui_message(t, 1, _("No change of %s is recorded."), id);
	if (ret != XB_OK || h->n == 0) {
		history_free(h);
		return;
	}
	tui_push(t, &history_ops, h);
}
