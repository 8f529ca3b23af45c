/* fields.c - a dialog of labelled fields in a box: typed, passwords shown
 * as '*', one or several picked from a list, fixed. The sign-in and the
 * users' dialogs are made of it; the ledger's refusal stays in the box,
 * and nothing typed but the passwords is cleared by it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* Rows of a refusal shown at most. */
#define MSG_ROWS 4

char *tui_field_text(const struct tui_field *f)
{
	return tui_line_get(&f->line);
}

void tui_fields_wipe(struct tui_field *f, int n)
{
	for (int i = 0; i < n; i++)
		if (f[i].kind == TUI_FIELD_SECRET) {
			memset(&f[i].line, 0, sizeof(f[i].line));
			tui_line_set(&f[i].line, "");
		}
}

static int shown(const struct tui_dialog *d, int i)
{
	return i >= 0 && i < d->n && !d->fields[i].hidden;
}

/* The next shown field after i (dir 1) or before it (-1), going round;
 * i itself when it is the only one. */
static int step(const struct tui_dialog *d, int i, int dir)
{
	for (int k = 1; k <= d->n; k++) {
		int j = ((i + dir * k) % d->n + d->n) % d->n;
		if (shown(d, j))
			return j;
	}
	return i;
}

static int last_shown(const struct tui_dialog *d)
{
	int last = -1;
	for (int i = 0; i < d->n; i++)
		if (shown(d, i))
			last = i;
	return last;
}

/* What a picked field shows: the choice, or the choices joined. */
static void picked_text(const struct tui_field *f, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f->kind == TUI_FIELD_CHOICE) {
		if (f->choice >= 0 && f->choice < f->nitems)
			snprintf(buf, len, "%s", f->items[f->choice]);
		return;
	}
	for (int i = 0; i < f->nitems; i++) {
		if (!f->on[i])
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? _(", ") : "", f->items[i]);
	}
}

/* Rows the wrapped text takes in width columns (at most max). */
static int wrapped_rows(const char *s, int width, int max)
{
	int n = tui_wrapped_rows(s, width);
	return n < max ? n : max;
}

/* One field's value at (y, x) in width columns; the current one takes
 * the cursor (a typed field) or shows as selected (a picked one). */
static void draw_value(struct tui *t, struct tui_field *f, int current, int y, int x,
		       int width)
{
	char buf[1024];
	attr_t input = tui_attr(t, TUI_INPUT);
	switch (f->kind) {
	case TUI_FIELD_TEXT:
		if (current) {
			tui_line_draw(t, &f->line, y, x, width, input);
		} else {
			char *s = tui_line_get(&f->line);
			tui_put(y, x, width, s ? s : "", tui_attr(t, TUI_NORMAL) | A_UNDERLINE);
			free(s);
		}
		break;
	case TUI_FIELD_SECRET: {
		/* '*' for each character, the editor's cursor and scroll kept. */
		struct tui_line *shown_line = malloc(sizeof(*shown_line));
		if (shown_line == NULL)
			break;
		*shown_line = f->line;
		for (int i = 0; i < shown_line->len; i++)
			shown_line->buf[i] = L'*';
		if (current) {
			tui_line_draw(t, shown_line, y, x, width, input);
			f->line.scroll = shown_line->scroll;
		} else {
			char *s = tui_line_get(shown_line);
			tui_put(y, x, width, s ? s : "", tui_attr(t, TUI_NORMAL) | A_UNDERLINE);
			free(s);
		}
		memset(shown_line, 0, sizeof(*shown_line));
		free(shown_line);
		break;
	}
	case TUI_FIELD_CHOICE:
	case TUI_FIELD_MANY:
		picked_text(f, buf, sizeof(buf));
		if (buf[0] == '\0')
			snprintf(buf, sizeof(buf), "-");
		if (current) {
			char line[1100];
			snprintf(line, sizeof(line), "%s  %s", buf,
				 f->kind == TUI_FIELD_MANY ? _("(Enter: pick several)")
							   : _("(Enter: choose)"));
			tui_put(y, x, width, line, tui_attr(t, TUI_SELECTED));
		} else {
			tui_put(y, x, width, buf, tui_attr(t, TUI_NORMAL) | A_UNDERLINE);
		}
		break;
	case TUI_FIELD_FIXED: {
		char *s = tui_line_get(&f->line);
		tui_put(y, x, width, s ? s : "", tui_attr(t, TUI_NORMAL) | A_BOLD);
		free(s);
		break;
	}
	}
}

/* The dialog in its box: drawn over whatever tui_redraw drew. */
static void draw_dialog(struct tui *t, void *arg)
{
	struct tui_dialog *d = arg;
	if (t->too_small)
		return;
	int w = t->cols - 4 > 72 ? 72 : t->cols - 4, inner = w - 4;
	int lw = 0, nshown = 0;
	for (int i = 0; i < d->n; i++) {
		if (!shown(d, i))
			continue;
		nshown++;
		if (tui_width(d->fields[i].label) > lw)
			lw = tui_width(d->fields[i].label);
	}
	if (lw > inner / 2)
		lw = inner / 2;
	int nintro = wrapped_rows(d->intro, inner, 6);
	int nmsg = wrapped_rows(d->msg, inner, MSG_ROWS);
	int h = 2 + (nintro ? nintro + 1 : 0) + nshown + 1 + (nmsg ? nmsg + 1 : 0) + 1;
	int y0, x0;
	tui_box(t, h, w, d->title, &y0, &x0);
	int y = y0;
	if (nintro) {
		y += tui_put_wrapped(y, x0, inner, 6, d->intro, tui_attr(t, TUI_NORMAL));
		y++;
	}
	t->cur_y = -1;
	for (int i = 0; i < d->n; i++) {
		if (!shown(d, i))
			continue;
		struct tui_field *f = &d->fields[i];
		tui_put(y, x0, lw, f->label, tui_attr(t, TUI_LABEL) | (i == d->cur ? A_BOLD : 0));
		draw_value(t, f, i == d->cur, y, x0 + lw + 2, inner - lw - 2);
		y++;
	}
	y++;
	if (nmsg) {
		y += tui_put_wrapped(y, x0, inner, MSG_ROWS, d->msg, tui_attr(t, TUI_ERROR));
		y++;
	}
	char hint[256];
	snprintf(hint, sizeof(hint), _("Tab ↑↓: field   Enter: %s   Esc: %s"),
		 d->done_hint ? d->done_hint : _("save"), d->quit_keys ? _("quit") : _("cancel"));
	tui_put(y, x0, inner, hint, tui_attr(t, TUI_DIM));
}

/* Opens the picker of a CHOICE or MANY field. */
static void pick_field(struct tui *t, struct tui_dialog *d, struct tui_field *f)
{
	if (f->nitems <= 0) {
		tui_message(t, 1, "%s", _("There is nothing to choose from."));
		return;
	}
	if (f->kind == TUI_FIELD_CHOICE) {
		int k = tui_pick(t, f->label, f->items, f->nitems, f->choice);
		if (k >= 0)
			f->choice = k;
	} else {
		tui_pick_many(t, f->label, f->items, f->on, f->nitems);
	}
	if (d->changed)
		d->changed(t, d);
}

/* Saves through d->save; on a refusal keeps its message and goes to the
 * field it names (else the first password, emptied). */
static int submit(struct tui *t, struct tui_dialog *d)
{
	struct xb_error err;
	xb_error_clear(&err);
	d->msg[0] = '\0';
	int ret = d->save(t, d, &err);
	if (ret == XB_OK)
		return 1;
	snprintf(d->msg, sizeof(d->msg), "%s", err.msg[0] ? err.msg : _("Something failed."));
	tui_fields_wipe(d->fields, d->n);
	int to = -1;
	for (int i = 0; i < d->n && err.field[0]; i++)
		if (shown(d, i) && d->fields[i].key && strcmp(d->fields[i].key, err.field) == 0)
			to = i;
	for (int i = 0; i < d->n && to < 0; i++)
		if (shown(d, i) && d->fields[i].kind == TUI_FIELD_SECRET)
			to = i;
	if (to >= 0)
		d->cur = to;
	if (ret == XB_EPERM)
		tui_who_refresh(t);
	return 0;
}

int tui_dialog_run(struct tui *t, struct tui_dialog *d)
{
	void (*was)(struct tui *, void *) = t->overlay;
	void *was_arg = t->overlay_arg;
	int result = 0;
	if (!shown(d, d->cur))
		d->cur = step(d, d->cur < 0 ? 0 : d->cur, 1);
	t->overlay = draw_dialog;
	t->overlay_arg = d;
	for (;;) {
		tui_redraw(t);
		struct tui_key k;
		tui_getkey(t, &k);
		if (t->quit)
			break;
		if (k.code == KEY_RESIZE)
			continue;
		if (k.code == 0 && k.ch == TUI_CTRL('c')) {
			if (!d->quit_keys)
				t->quit = 1;
			break;
		}
		if (t->too_small)
			continue;
		t->msg[0] = '\0';
		struct tui_field *f = &d->fields[d->cur];
		int last = d->cur == last_shown(d);
		if (tui_key_esc(&k) || tui_key_is(&k, KEY_F(10), NULL)) {
			break;
		} else if (k.code == KEY_DOWN || (k.code == 0 && k.ch == '\t')) {
			d->cur = step(d, d->cur, 1);
		} else if (k.code == KEY_UP || k.code == KEY_BTAB) {
			d->cur = step(d, d->cur, -1);
		} else if (tui_key_is(&k, KEY_F(2), NULL) || (k.code == 0 && k.ch == TUI_CTRL('s'))) {
			if ((result = submit(t, d)))
				break;
		} else if ((f->kind == TUI_FIELD_CHOICE || f->kind == TUI_FIELD_MANY) &&
			   (tui_key_enter(&k) || tui_key_is(&k, 0, " "))) {
			pick_field(t, d, f);
			if (tui_key_enter(&k) && !t->quit)
				d->cur = step(d, d->cur, 1);
		} else if (tui_key_enter(&k)) {
			if (last) {
				if ((result = submit(t, d)))
					break;
			} else {
				d->cur = step(d, d->cur, 1);
			}
		} else if (f->kind == TUI_FIELD_TEXT || f->kind == TUI_FIELD_SECRET) {
			if (tui_line_key(&f->line, &k) && f->line.changed && d->changed) {
				f->line.changed = 0;
				d->changed(t, d);
			}
		}
	}
	t->overlay = was;
	t->overlay_arg = was_arg;
	return result;
}
