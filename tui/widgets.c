/* widgets.c - the one-line editor, the pick list and the question box. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"

void tui_line_set(struct tui_line *l, const char *utf8)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof(ps));
	l->len = 0;
	while (utf8 && *utf8 && l->len < TUI_LINE_MAX) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, utf8, MB_CUR_MAX, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof(ps));
			wc = 0xFFFD;
			n = 1;
		}
		/* A value given to edit is shown as the screen shows any. */
		if (wc < 0 || xb_char_class((unsigned)wc) != XB_CH_OK)
			wc = 0xFFFD;
		l->buf[l->len++] = wc;
		utf8 += n;
	}
	l->buf[l->len] = 0;
	l->cur = l->len;
	l->scroll = 0;
	l->changed = 0;
}

char *tui_line_get(const struct tui_line *l)
{
	size_t cap = (size_t)l->len * MB_CUR_MAX + 1, used = 0;
	char *out = malloc(cap);
	mbstate_t ps;
	memset(&ps, 0, sizeof(ps));
	if (out == NULL)
		return NULL;
	for (int i = 0; i < l->len; i++) {
		size_t n = wcrtomb(out + used, l->buf[i], &ps);
		if (n != (size_t)-1)
			used += n;
	}
	out[used] = '\0';
	return out;
}

int tui_line_key(struct tui_line *l, const struct tui_key *k)
{
	if (k->code == KEY_LEFT || (k->code == 0 && k->ch == TUI_CTRL('b'))) {
		if (l->cur > 0)
			l->cur--;
	} else if (k->code == KEY_RIGHT || (k->code == 0 && k->ch == TUI_CTRL('f'))) {
		if (l->cur < l->len)
			l->cur++;
	} else if (k->code == KEY_HOME || (k->code == 0 && k->ch == TUI_CTRL('a'))) {
		l->cur = 0;
	} else if (k->code == KEY_END || (k->code == 0 && k->ch == TUI_CTRL('e'))) {
		l->cur = l->len;
	} else if (k->code == KEY_BACKSPACE ||
		   (k->code == 0 && (k->ch == 127 || k->ch == TUI_CTRL('h')))) {
		if (l->cur == 0)
			return 1;
		memmove(&l->buf[l->cur - 1], &l->buf[l->cur],
			(size_t)(l->len - l->cur + 1) * sizeof(wchar_t));
		l->cur--;
		l->len--;
		l->changed = 1;
	} else if (k->code == KEY_DC || (k->code == 0 && k->ch == TUI_CTRL('d'))) {
		if (l->cur == l->len)
			return 1;
		memmove(&l->buf[l->cur], &l->buf[l->cur + 1],
			(size_t)(l->len - l->cur) * sizeof(wchar_t));
		l->len--;
		l->changed = 1;
	} else if (k->code == 0 && k->ch == TUI_CTRL('k')) {
		l->len = l->cur;
		l->buf[l->len] = 0;
		l->changed = 1;
	} else if (k->code == 0 && k->ch == TUI_CTRL('u')) {
		memmove(l->buf, &l->buf[l->cur], (size_t)(l->len - l->cur + 1) * sizeof(wchar_t));
		l->len -= l->cur;
		l->cur = 0;
		l->changed = 1;
	} else if (k->code == 0 && k->ch >= 0 && xb_char_class((unsigned)k->ch) == XB_CH_OK &&
		   wcwidth(k->ch) >= 0) {
		if (l->len >= TUI_LINE_MAX)
			return 1;
		memmove(&l->buf[l->cur + 1], &l->buf[l->cur],
			(size_t)(l->len - l->cur + 1) * sizeof(wchar_t));
		l->buf[l->cur++] = k->ch;
		l->len++;
		l->changed = 1;
	} else {
		return 0;
	}
	return 1;
}

/* Columns from character a up to (not including) b. */
static int span_width(const struct tui_line *l, int a, int b)
{
	int w = 0;
	for (int i = a; i < b; i++) {
		int cw = wcwidth(l->buf[i]);
		w += cw < 0 ? 1 : cw;
	}
	return w;
}

void tui_line_draw(struct tui *t, struct tui_line *l, int y, int x, int width,
		   attr_t attr)
{
	if (width < 2)
		return;
	/* Keep the cursor in view, one column spare for it at the end. */
	if (l->cur < l->scroll)
		l->scroll = l->cur;
	while (span_width(l, l->scroll, l->cur) > width - 1)
		l->scroll++;
	tui_fill(y, x, width, attr);
	attrset(attr);
	int used = 0;
	for (int i = l->scroll; i < l->len; i++) {
		int cw = wcwidth(l->buf[i]);
		cw = cw < 0 ? 1 : cw;
		if (used + cw > width)
			break;
		mvaddnwstr(y, x + used, &l->buf[i], 1);
		used += cw;
	}
	attrset(A_NORMAL);
	t->cur_y = y;
	t->cur_x = x + span_width(l, l->scroll, l->cur);
}

/* Draws the pick list box: items from first, current highlighted. */
static void draw_pick(struct tui *t, const char *title, const char *const *items,
		      int n, int current, int *first)
{
	int w = tui_width(title) + 6;
	for (int i = 0; i < n; i++)
		if (tui_width(items[i]) + 6 > w)
			w = tui_width(items[i]) + 6;
	int h = n + 2;
	int y0, x0;
	tui_box(t, h, w, title, &y0, &x0);
	int rows = (h > t->rows - 2 ? t->rows - 2 : h) - 2;
	if (current < *first)
		*first = current;
	if (current >= *first + rows)
		*first = current - rows + 1;
	int inner = (w > t->cols - 2 ? t->cols - 2 : w) - 4;
	for (int r = 0; r < rows && *first + r < n; r++) {
		int i = *first + r;
		tui_put(y0 + r, x0, inner, items[i],
			tui_attr(t, i == current ? TUI_SELECTED : TUI_NORMAL));
	}
}

int tui_pick(struct tui *t, const char *title, const char *const *items, int n,
	     int current)
{
	int first = 0;
	if (current < 0 || current >= n)
		current = 0;
	for (;;) {
		tui_draw(t);
		if (!t->too_small) {
			draw_pick(t, title, items, n, current, &first);
			t->cur_y = -1;
		}
		tui_refresh(t);
		struct tui_key k;
		tui_getkey(t, &k);
		if (t->too_small)
			continue;
		if (tui_key_esc(&k) || tui_key_is(&k, KEY_F(10), NULL))
			return -1;
		if (tui_key_enter(&k))
			return current;
		if (k.code == KEY_UP || tui_key_is(&k, 0, "k"))
			current = current > 0 ? current - 1 : n - 1;
		else if (k.code == KEY_DOWN || tui_key_is(&k, 0, "j"))
			current = current < n - 1 ? current + 1 : 0;
		else if (k.code == KEY_HOME)
			current = 0;
		else if (k.code == KEY_END)
			current = n - 1;
		else if (k.code == 0 && k.ch >= '1' && k.ch <= '9' && k.ch - '1' < n)
			return (int)(k.ch - '1');
	}
}

int tui_pick_many(struct tui *t, const char *title, const char *const *items,
		  unsigned char *on, int n)
{
	unsigned char *mine = malloc(n > 0 ? (size_t)n : 1);
	char **lines = calloc(n > 0 ? (size_t)n : 1, sizeof(*lines));
	int current = 0, first = 0, result = 0;
	if (mine == NULL || lines == NULL) {
		free(mine);
		free(lines);
		tui_message(t, 1, "%s", _("Out of memory."));
		return 0;
	}
	memcpy(mine, on, (size_t)n);
	char head[256];
	snprintf(head, sizeof(head), _("%s (Space: pick, Enter: done)"), title);
	for (;;) {
		for (int i = 0; i < n; i++) {
			free(lines[i]);
			size_t len = strlen(items[i]) + 8;
			if ((lines[i] = malloc(len)) != NULL)
				snprintf(lines[i], len, "[%s] %s", mine[i] ? "x" : " ", items[i]);
		}
		tui_draw(t);
		if (!t->too_small) {
			draw_pick(t, head, (const char *const *)lines, n, current, &first);
			t->cur_y = -1;
		}
		tui_refresh(t);
		struct tui_key k;
		tui_getkey(t, &k);
		if (t->quit)
			break;
		if (t->too_small)
			continue;
		if (tui_key_esc(&k) || tui_key_is(&k, KEY_F(10), NULL))
			break;
		if (tui_key_enter(&k)) {
			memcpy(on, mine, (size_t)n);
			result = 1;
			break;
		}
		if (tui_key_is(&k, 0, " x") && n > 0)
			mine[current] = !mine[current];
		else if (k.code == KEY_UP || tui_key_is(&k, 0, "k"))
			current = current > 0 ? current - 1 : n - 1;
		else if (k.code == KEY_DOWN || tui_key_is(&k, 0, "j"))
			current = current < n - 1 ? current + 1 : 0;
		else if (k.code == KEY_HOME)
			current = 0;
		else if (k.code == KEY_END)
			current = n - 1;
	}
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(mine);
	return result;
}

char *tui_prompt(struct tui *t, const char *title, const char *label,
		 const char *initial, int mask)
{
	struct tui_line *l = malloc(sizeof(*l));
	struct tui_line *shown = mask ? malloc(sizeof(*shown)) : NULL;
	char *out = NULL;
	if (l == NULL || (mask && shown == NULL)) {
		free(l);
		free(shown);
		tui_message(t, 1, "%s", _("Out of memory."));
		return NULL;
	}
	tui_line_set(l, initial);
	for (;;) {
		tui_draw(t);
		if (!t->too_small) {
			int w = t->cols - 8 > 72 ? 72 : t->cols - 8;
			int y0, x0;
			tui_box(t, 6, w, title, &y0, &x0);
			tui_put(y0, x0, w - 4, label, tui_attr(t, TUI_LABEL));
			tui_put(y0 + 3, x0, w - 4, _("Enter: done   Esc: cancel"),
				tui_attr(t, TUI_DIM));
			struct tui_line *d = l;
			if (mask) {
				*shown = *l;
				for (int i = 0; i < shown->len; i++)
					shown->buf[i] = L'*';
				d = shown;
			}
			tui_line_draw(t, d, y0 + 1, x0, w - 4, tui_attr(t, TUI_INPUT));
			if (mask)
				l->scroll = shown->scroll;
		}
		tui_refresh(t);
		struct tui_key k;
		tui_getkey(t, &k);
		if (t->quit)
			break;
		if (t->too_small)
			continue;
		if (tui_key_esc(&k))
			break;
		if (tui_key_enter(&k)) {
			out = tui_line_get(l);
			break;
		}
		tui_line_key(l, &k);
	}
	/* A passphrase leaves no copy behind. */
	memset(l, 0, sizeof(*l));
	if (shown)
		memset(shown, 0, sizeof(*shown));
	free(l);
	free(shown);
	return out;
}

int tui_ask(struct tui *t, const char *question, const char *answers,
	    const char *keys)
{
	for (;;) {
		tui_draw(t);
		if (!t->too_small) {
			int w = tui_width(question) + 6;
			if (tui_width(answers) + 6 > w)
				w = tui_width(answers) + 6;
			/* As wide as the screen allows; a longer question is
			 * wrapped, never drawn past the box. */
			if (w > t->cols - 2)
				w = t->cols - 2;
			int inner = w - 4 > 1 ? w - 4 : 1, nq = 0;
			for (const char *p = question; *p && nq < t->rows; nq++) {
				char seg[1024];
				tui_take_line(&p, inner, seg, sizeof(seg));
			}
			int y0, x0;
			tui_box(t, nq + 4, w, NULL, &y0, &x0);
			int row = 0;
			for (const char *p = question; *p && y0 + row < t->rows - 3; row++) {
				char seg[1024];
				tui_take_line(&p, inner, seg, sizeof(seg));
				tui_put(y0 + row, x0, inner, seg, tui_attr(t, TUI_WARN));
			}
			tui_put(y0 + row + 1, x0, inner, answers, tui_attr(t, TUI_NORMAL));
			t->cur_y = -1;
		}
		tui_refresh(t);
		struct tui_key k;
		tui_getkey(t, &k);
		if (t->too_small)
			continue;
		if (tui_key_esc(&k))
			return 0;
		if (tui_key_enter(&k))
			return keys[0];
		if (k.code == 0 && k.ch > 0 && k.ch < 128)
			for (const char *p = keys; *p; p++)
				if ((wchar_t)*p == k.ch || (wchar_t)(*p - 'a' + 'A') == k.ch)
					return *p;
	}
}

/* --- the folder offered for files to carry --- */

/* Undoes the octal escapes of /proc/mounts (\040 for a space). */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

int tui_stick_dir(char *buf, size_t len)
{
	char found[3][1024] = { "", "", "" }, mine[300] = "";
	const char *user = getenv("USER");
	if (user != NULL && *user)
		snprintf(mine, sizeof(mine), "/media/%s/", user);
	FILE *f = fopen("/proc/mounts", "r");
	char line[4096];
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char dev[256], mnt[1024];
		struct stat sb;
		if (sscanf(line, "%255s %1023s", dev, mnt) != 2 || strncmp(dev, "/dev/", 5) != 0)
			continue;
		unescape(mnt);
		int which = mine[0] && strncmp(mnt, mine, strlen(mine)) == 0 ? 0
			    : strncmp(mnt, "/media/", 7) == 0			  ? 1
			    : strncmp(mnt, "/mnt/", 5) == 0 || strcmp(mnt, "/mnt") == 0 ? 2
											  : -1;
		if (which >= 0 && found[which][0] == '\0' && stat(mnt, &sb) == 0 &&
		    S_ISDIR(sb.st_mode))
			snprintf(found[which], sizeof(found[which]), "%s", mnt);
	}
	if (f != NULL)
		fclose(f);
	for (int i = 0; i < 3; i++)
		if (found[i][0]) {
			snprintf(buf, len, "%.1023s", found[i]);
			return 1;
		}
	return 0;
}

void tui_default_dir(char *buf, size_t len)
{
	if (tui_stick_dir(buf, len))
		return;
	const char *home = getenv("HOME");
	snprintf(buf, len, "%s", home && *home ? home : "/");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether name ends in one of exts (case ignored: Excel.XLSX). */
static int has_ext(const char *name, const char *const *exts)
{
	size_t len = strlen(name);
	for (; *exts; exts++) {
		size_t elen = strlen(*exts);
		if (len > elen && strcasecmp(name + len - elen, *exts) == 0)
			return 1;
	}
	return 0;
}

char *tui_choose_file(struct tui *t, const char *typed, const char *const *exts,
		      const char *title, const char *prefer, const char *skip)
{
	struct stat sb;
	if (stat(typed, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return strdup(typed);
	DIR *d = opendir(typed);
	if (d == NULL) {
		tui_message(t, 1, _("Cannot read the folder %s."), typed);
		return NULL;
	}
	char *names[TUI_FILES_MAX];
	int n = 0, cur = 0, skipped = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < TUI_FILES_MAX) {
		if (e->d_name[0] == '.' || !has_ext(e->d_name, exts))
			continue;
		if (skip != NULL && strcmp(e->d_name, skip) == 0)
			skipped = 1;
		else if ((names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	if (n == 0 && skipped) {
		tui_message(t, 1, _("In %s there is only this office's own key (%s): "
				    "copy the other office's key file there."),
			    typed, skip);
		return NULL;
	}
	if (n == 0) {
		tui_message(t, 1, _("In %s there is no file *%s."), typed, exts[0]);
		return NULL;
	}
	qsort(names, (size_t)n, sizeof(*names), by_name);
	for (int i = n - 1; prefer != NULL && i >= 0; i--)
		if (strstr(names[i], prefer) != NULL)
			cur = i;
	char *out = NULL;
	int i = tui_pick(t, title, (const char *const *)names, n, cur);
	if (i >= 0) {
		size_t len = strlen(typed) + strlen(names[i]) + 2;
		out = malloc(len);
		if (out != NULL)
			snprintf(out, len, "%s/%s", typed, names[i]);
	}
	for (int j = 0; j < n; j++)
		free(names[j]);
	return out;
}
