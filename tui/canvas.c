/* canvas.c - the scroll canvas: a body of lines taller than its rows,
 * drawn by a screen's function twice, once counting its lines and once
 * painting those in view, with ^ and v marks where more lies above or
 * below; and the keys that scroll it. */
#include <limits.h>

#include "private.h"

int tui_canvas_next(struct tui_canvas *cv)
{
	int l = cv->line++;
	if (!cv->paint || l < cv->scroll || l >= cv->scroll + cv->height)
		return -1;
	return cv->top + l - cv->scroll;
}

void tui_canvas_draw(struct tui *t, int top, int mark_x, int *scroll,
		     tui_canvas_body *body, void *arg)
{
	int height = t->rows - 2 - top;
	struct tui_canvas count = { .top = top, .height = height };
	body(t, arg, &count);
	int max = count.line - height;
	if (*scroll > max)
		*scroll = max;
	if (*scroll < 0)
		*scroll = 0;
	struct tui_canvas paint = { .top = top, .height = height, .scroll = *scroll,
				    .paint = 1 };
	body(t, arg, &paint);
	if (*scroll > 0)
		tui_put(top, mark_x, 1, "^", tui_attr(t, TUI_DIM));
	if (*scroll < max)
		tui_put(t->rows - 3, mark_x, 1, "v", tui_attr(t, TUI_DIM));
}

int tui_scroll_step(const struct tui_key *k, int page, int *delta)
{
	if (k->code == KEY_UP || tui_key_is(k, 0, "k"))
		*delta = -1;
	else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j"))
		*delta = 1;
	else if (k->code == KEY_PPAGE)
		*delta = -page;
	else if (k->code == KEY_NPAGE || (k->code == 0 && k->ch == ' '))
		*delta = page;
	else if (k->code == KEY_HOME)
		*delta = INT_MIN / 2;
	else if (k->code == KEY_END)
		*delta = INT_MAX / 2;
	else
		return 0;
	return 1;
}

int tui_scroll_key(const struct tui_key *k, int *scroll, int page)
{
	int delta;
	if (!tui_scroll_step(k, page, &delta))
		return 0;
	/* Past the last line is kept: tui_canvas_draw clamps it. */
	long s = (long)*scroll + delta;
	*scroll = s < 0 ? 0 : s > INT_MAX / 2 ? INT_MAX / 2 : (int)s;
	return 1;
}
