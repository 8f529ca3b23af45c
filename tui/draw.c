/* draw.c - text on the screen by display width: CJK characters take two
 * columns and are never cut in half. Every string reaches the screen
 * through next_char, the screen's one choke point: invalid bytes, control
 * characters, bidi overrides and zero-width characters (common/
 * printable.h) show as U+FFFD, so no value from a key, a bundle or the
 * ledger acts on the terminal or hides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/printable.h"

#define REPLACEMENT 0xFFFD

/* Decodes the next character of s into *wc; returns the bytes used (an
 * invalid byte, or a character never shown raw, counts as one U+FFFD). */
static size_t next_char(const char *s, wchar_t *wc)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof(ps));
	size_t n = mbrtowc(wc, s, MB_CUR_MAX, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = REPLACEMENT;
		return 1;
	}
	if (*wc < 0 || xb_char_class((unsigned)*wc) != XB_CH_OK)
		*wc = REPLACEMENT;
	return n;
}

static int char_width(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int tui_width(const char *s)
{
	int w = 0;
	while (s && *s) {
		wchar_t wc;
		s += next_char(s, &wc);
		w += char_width(wc);
	}
	return w;
}

char *tui_safe_cut(const char *s, int cols, char *buf, size_t len)
{
	if (len < 4) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	xb_printable(s, 0, buf, len);
	if (tui_width(buf) <= cols)
		return buf;
	const char *p = buf;
	int used = 0;
	while (*p) {
		wchar_t wc;
		size_t n = next_char(p, &wc);
		int w = char_width(wc);
		if (used + w > cols - 1 || (size_t)(p - buf) + n + 4 > len)
			break;
		used += w;
		p += n;
	}
	memcpy(buf + (p - buf), "\xE2\x80\xA6", 4); /* "…" */
	return buf;
}

int tui_put(int y, int x, int width, const char *s, attr_t attr)
{
	int used = 0;
	if (width <= 0)
		return 0;
	attr_t old_attr;
	short old_pair;
	attr_get(&old_attr, &old_pair, NULL);
	attrset(attr);
	move(y, x);
	while (s && *s) {
		wchar_t wc[2] = { 0, 0 };
		size_t n = next_char(s, &wc[0]);
		int w = char_width(wc[0]);
		if (used + w > width)
			break;
		addnwstr(wc, 1);
		used += w;
		s += n;
	}
	for (int i = used; i < width; i++)
		addch(' ');
	attr_set(old_attr, old_pair, NULL);
	return used;
}

void tui_put_right(int y, int x, int width, const char *s, attr_t attr)
{
	int w = tui_width(s);
	if (w >= width) {
		tui_put(y, x, width, s, attr);
		return;
	}
	tui_fill(y, x, width - w, attr);
	tui_put(y, x + width - w, w, s, attr);
}

int tui_putf(int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tui_put(y, x, width, buf, attr);
}

void tui_fill(int y, int x, int width, attr_t attr)
{
	tui_put(y, x, width, "", attr);
}

void tui_box(struct tui *t, int h, int w, const char *title, int *y0, int *x0)
{
	if (h > t->rows - 2)
		h = t->rows - 2;
	if (w > t->cols - 2)
		w = t->cols - 2;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2;
	attr_t a = tui_attr(t, TUI_NORMAL);
	for (int r = 0; r < h; r++)
		tui_fill(y + r, x, w, a);
	attrset(a);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title != NULL) {
		int tw = tui_width(title);
		if (tw > w - 4)
			tw = w - 4;
		tui_put(y, x + (w - tw - 2) / 2, tw + 2, "", tui_attr(t, TUI_TITLE));
		tui_put(y, x + (w - tw - 2) / 2 + 1, tw, title, tui_attr(t, TUI_TITLE));
	}
	*y0 = y + 1;
	*x0 = x + 2;
}

/* Copies into seg the next piece of *ps that fits width columns, up to a
 * newline (consumed); tabs and carriage returns become spaces. Always
 * takes at least one character so a caller's loop ends. */
void tui_take_line(const char **ps, int width, char *seg, size_t len)
{
	const char *s = *ps;
	size_t o = 0;
	int used = 0;
	while (*s && *s != '\n') {
		wchar_t wc;
		mbstate_t st;
		memset(&st, 0, sizeof(st));
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			n = 1;
			wc = 0xFFFD;
		}
		int space = wc == '\t' || wc == '\r';
		int w = space ? 1 : wcwidth(wc);
		if (w < 0)
			w = 1;
		if ((used + w > width && used > 0) || o + n + 1 > len)
			break;
		if (space) {
			seg[o++] = ' ';
		} else {
			memcpy(seg + o, s, n);
			o += n;
		}
		used += w;
		s += n;
	}
	seg[o] = '\0';
	if (*s == '\n')
		s++;
	*ps = s;
}

int tui_wrapped_rows(const char *s, int width)
{
	char seg[1024];
	int n = 0;
	while (s && *s) {
		tui_take_words(&s, width, seg, sizeof(seg));
		n++;
	}
	return n;
}

int tui_put_wrapped(int y, int x, int width, int rows, const char *s, attr_t attr)
{
	char seg[1024];
	int r = 0;
	for (; r < rows && s && *s; r++) {
		if (r == rows - 1 && tui_wrapped_rows(s, width) > 1) {
			char cut[1024];
			tui_put(y + r, x, width, tui_safe_cut(s, width, cut, sizeof(cut)), attr);
			return r + 1;
		}
		tui_take_words(&s, width, seg, sizeof(seg));
		tui_put(y + r, x, width, seg, attr);
	}
	return r;
}

void tui_take_words(const char **ps, int width, char *seg, size_t len)
{
	const char *start = *ps;
	tui_take_line(ps, width, seg, len);
	const char *next = *ps;
	if (*next == ' ' && next[-1] != '\n') {
		*ps = next + 1; /* cut at a space: the next line starts after it */
		return;
	}
	if (*next == '\0' || next[-1] == '\n' || next[-1] == ' ')
		return;
	char *sp = strrchr(seg, ' ');
	if (sp == NULL || sp == seg)
		return;
	*ps = start + (sp - seg) + 1;
	*sp = '\0';
}

/* What a blank shows of its attributes: the background, and what draws
 * across a cell (reverse, underline, blink). Bold, dim and the
 * foreground colour leave a space as it was, unless something draws the
 * foreground across it: reversed, the foreground is the background, and
 * a terminal shows bold as a brighter colour. */
struct blank_look {
	attr_t lines;
	short fg, bg;
};

static struct blank_look blank_look(attr_t a, short pair)
{
	struct blank_look l = { a & (A_REVERSE | A_STANDOUT | A_UNDERLINE | A_BLINK |
				     A_ALTCHARSET | A_INVIS),
				-1, -1 };
	if (l.lines != 0)
		l.lines |= a & (A_BOLD | A_DIM);
	if (pair > 0 && pair_content(pair, &l.fg, &l.bg) == ERR)
		l.fg = l.bg = -2; /* unknown: like nothing else */
	if (l.lines == 0)
		l.fg = -1;
	return l;
}

static int same_look(struct blank_look a, struct blank_look b)
{
	return a.lines == b.lines && a.fg == b.fg && a.bg == b.bg;
}

/* One cell of a row as tui_tidy_blanks sees it. */
struct tidy_cell {
	attr_t attr;
	short pair;
	int blank;
	struct blank_look look;
};

void tui_tidy_blanks(void)
{
	/* LONG_BLANKS: about what a cursor address costs. */
	enum { MAX_COLS = 1024, LONG_BLANKS = 8 };
	static struct tidy_cell cell[MAX_COLS];
	int rows, cols, cy, cx;
	getmaxyx(stdscr, rows, cols);
	getyx(stdscr, cy, cx);
	if (cols > MAX_COLS)
		cols = MAX_COLS;
	/* The blank erase() leaves. */
	cchar_t bg;
	wchar_t bgw[CCHARW_MAX + 1];
	attr_t bg_attr = A_NORMAL;
	short bg_pair = 0;
	if (getbkgrnd(&bg) == ERR || getcchar(&bg, bgw, &bg_attr, &bg_pair, NULL) == ERR) {
		bg_attr = A_NORMAL;
		bg_pair = 0;
	}
	bg_attr &= ~A_COLOR;
	const struct blank_look plain = blank_look(bg_attr, bg_pair);
	for (int y = 0; y < rows; y++) {
		for (int x = 0; x < cols; x++) {
			cchar_t c;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t a = A_NORMAL;
			short pair = 0;
			struct tidy_cell *e = &cell[x];
			e->blank = 0;
			if (mvwin_wch(stdscr, y, x, &c) == ERR ||
			    getcchar(&c, wch, &a, &pair, NULL) == ERR)
				wch[0] = 0;
			e->attr = a & ~A_COLOR;
			e->pair = pair;
			e->blank = wch[0] == L' ' && wch[1] == 0;
			e->look = blank_look(e->attr, pair);
		}
		int end = cols;
		while (end > 0 && cell[end - 1].blank && same_look(cell[end - 1].look, plain))
			end--;
		/* A blank that would look the same with the attributes of the
		 * cell before it takes them: a run of text, the spaces in it
		 * and after it go out under one attribute change. A long run
		 * of plain blanks (as erase() leaves them) stays plain: those
		 * between a label and a box drawn over the screen ended the
		 * row before the box came, and would go out again with it. */
		for (int x = 1; x < end; x++) {
			struct tidy_cell *e = &cell[x], *prev = &cell[x - 1];
			if (!e->blank)
				continue;
			int run = x;
			while (run < end && cell[run].blank && cell[run].attr == bg_attr &&
			       cell[run].pair == bg_pair)
				run++;
			if (run - x >= LONG_BLANKS) {
				x = run - 1;
				continue;
			}
			if ((e->attr == prev->attr && e->pair == prev->pair) ||
			    !same_look(e->look, blank_look(prev->attr, prev->pair)))
				continue;
			e->attr = prev->attr;
			e->pair = prev->pair;
			mvwchgat(stdscr, y, x, 1, e->attr, e->pair, NULL);
		}
		/* Blanks that begin the row take the attributes of the text
		 * after them the same way. */
		int first = 0;
		while (first < end && cell[first].blank)
			first++;
		for (int x = first - 1; first < end && x >= 0; x--) {
			struct tidy_cell *e = &cell[x], *next = &cell[x + 1];
			if (!same_look(e->look, blank_look(next->attr, next->pair)))
				break;
			if (e->attr == next->attr && e->pair == next->pair)
				continue;
			e->attr = next->attr;
			e->pair = next->pair;
			mvwchgat(stdscr, y, x, 1, e->attr, e->pair, NULL);
		}
		/* Blanks that end the row and look plain are the plain
		 * blank erase() leaves, whatever the text before them: one
		 * erase to the end of the line clears them, and an end of a
		 * row that did not change is not sent again. */
		for (int x = end; x < cols; x++)
			if (cell[x].attr != bg_attr || cell[x].pair != bg_pair)
				mvwchgat(stdscr, y, x, 1, bg_attr, bg_pair, NULL);
	}
	wmove(stdscr, cy, cx);
}
