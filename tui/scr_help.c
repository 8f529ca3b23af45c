/* scr_help.c - the keys of the screen below, then the keys of every
 * screen (but q where the screen below uses q itself). */
#include <stdio.h>
#include <stdlib.h>

#include "private.h"
#include "../common/i18n.h"

static const struct tui_keyhelp global_keys[] = {
	{ "F1 ?", N_("this help"), 0 },
	{ "Esc F10 q", N_("back; quit on the start screen"), 0 },
	{ "Ctrl-L", N_("redraw the screen"), 0 },
	{ "Ctrl-C", N_("quit at once"), 0 },
	{ NULL, NULL, 0 },
};

/* The same below a screen that takes q for itself (the statistics'
 * quarter): there only Esc and F10 go back. */
static const struct tui_keyhelp own_q_keys[] = {
	{ "F1 ?", N_("this help"), 0 },
	{ "Esc F10", N_("back (q is this screen's own key)"), 0 },
	{ "Ctrl-L", N_("redraw the screen"), 0 },
	{ "Ctrl-C", N_("quit at once"), 0 },
	{ NULL, NULL, 0 },
};

static const struct tui_keyhelp help_keys[] = {
	{ "Esc", N_("close the help"), 1 },
	{ NULL, NULL, 0 },
};

struct help {
	const struct tui_keyhelp *keys; /* the screen's below */
	unsigned flags;                 /* its flags (enum tui_screen_flag) */
};

static int draw_keys(struct tui *t, int y, const struct tui_keyhelp *k)
{
	for (; k && k->keys && y < t->rows - 2; k++) {
		if (k->hint == TUI_HINT_SHORT)
			continue; /* an entry of its own says it whole */
		tui_put(y, 4, 14, k->keys, tui_attr(t, TUI_LABEL) | A_BOLD);
		tui_put(y, 20, t->cols - 22, _(k->what), tui_attr(t, TUI_NORMAL));
		y++;
	}
	return y;
}

static void help_draw(struct tui *t, void *data)
{
	struct help *h = data;
	int y = 2;
	tui_put(y++, 2, t->cols - 4, _("Keys of this screen"), tui_attr(t, TUI_LABEL));
	y = draw_keys(t, y + 1, h->keys);
	y++;
	if (y < t->rows - 3)
		tui_put(y++, 2, t->cols - 4, _("Keys of every screen"), tui_attr(t, TUI_LABEL));
	draw_keys(t, y + 1, h->flags & TUI_SCREEN_OWN_Q ? own_q_keys : global_keys);
}

static int help_key(struct tui *t, void *data, const struct tui_key *k)
{
	(void)data;
	if (tui_key_esc(k) || tui_key_is(k, KEY_F(1), "q?") || tui_key_enter(k)) {
		tui_pop(t);
		return TUI_HANDLED;
	}
	return TUI_HANDLED;
}

static const char *help_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Help");
}

static const struct tui_screen_ops help_ops = {
	.draw = help_draw,
	.key = help_key,
	.free = free,
	.keys = help_keys,
	.title = help_title,
};

void tui_help_open(struct tui *t)
{
	struct help *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return;
	h->keys = t->top ? t->top->ops->keys : NULL;
	h->flags = t->top ? t->top->ops->flags : 0;
	tui_push(t, &help_ops, h);
}
