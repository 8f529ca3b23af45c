/* app.c - the main loop: the screen stack, drawing, global keys. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

void tui_push(struct tui *t, const struct tui_screen_ops *ops, void *data)
{
	struct tui_screen *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		if (ops->free)
			ops->free(data);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	s->ops = ops;
	s->data = data;
	s->below = t->top;
	t->top = s;
}

void tui_pop(struct tui *t)
{
	struct tui_screen *s = t->top;
	if (s == NULL)
		return;
	t->top = s->below;
	if (s->ops->free)
		s->ops->free(s->data);
	free(s);
	if (t->top && t->top->ops->resume)
		t->top->ops->resume(t, t->top->data);
}

void tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_error = error;
}

void tui_error(struct tui *t, const struct xb_error *err)
{
	if (err->code == XB_EDEADLOCK) {
		t->retry = t->key;
		t->can_retry = 1;
		tui_message(t, 1, "%s %s", err->msg, _("Ctrl-R: try again."));
		return;
	}
	tui_message(t, 1, "%s", err->msg[0] ? err->msg : _("Something failed."));
}

int tui_foreign(const struct tui *t, const struct store_record *rec)
{
	return rec != NULL && rec->origin != NULL && rec->origin[0] != '\0' &&
	       strcmp(rec->origin, t->office) != 0;
}

int tui_refuse_foreign(struct tui *t, const struct store_record *rec)
{
	if (!tui_foreign(t, rec))
		return 0;
	tui_message(t, 1, _("Records of another office (%s) are read-only here."),
		    rec->origin);
	return 1;
}

/* Row 0: office, screen title, today. */
static void draw_title(struct tui *t)
{
	attr_t a = tui_attr(t, TUI_TITLE);
	const char *title = t->top && t->top->ops->title
				    ? t->top->ops->title(t, t->top->data) : "";
	char left[160];
	snprintf(left, sizeof(left), " %s  %s", t->office_name, title);
	tui_fill(0, 0, t->cols, a);
	tui_put(0, 0, t->cols - 12, left, a);
	tui_put_right(0, t->cols - 12, 11, t->today, a);
}

/* The hint line's cell for k, and its width. */
static int hint_cell(const struct tui_keyhelp *k, char *cell, size_t len)
{
	snprintf(cell, len, "%s %s", k->keys, _(k->what));
	return tui_width(cell);
}

size_t tui_hints_shown(const struct tui *t, const struct tui_keyhelp *keys)
{
	int x = 0;
	size_t i = 0;
	for (; keys && keys[i].keys; i++) {
		if (!keys[i].hint)
			continue;
		char cell[96];
		int w = hint_cell(&keys[i], cell, sizeof(cell));
		if (x + w + 2 > t->cols - 10)
			break;
		x += w + 2;
	}
	return i;
}

/* The last row: the keys a clerk needs most on this screen, as many as
 * fit beside the help key. */
static void draw_hints(struct tui *t)
{
	attr_t a = tui_attr(t, TUI_HINT);
	int x = 0, y = t->rows - 1;
	tui_fill(y, 0, t->cols, a);
	const struct tui_keyhelp *k = t->top ? t->top->ops->keys : NULL;
	size_t n = tui_hints_shown(t, k);
	for (size_t i = 0; i < n; i++) {
		if (!k[i].hint)
			continue;
		char cell[96];
		int w = hint_cell(&k[i], cell, sizeof(cell));
		tui_put(y, x, w, cell, a | A_BOLD);
		x += w + 2;
	}
	char help[64];
	snprintf(help, sizeof(help), "F1 %s", _("help"));
	tui_put_right(y, t->cols - 10, 10, help, a);
}

static void draw_too_small(struct tui *t)
{
	char line[160];
	snprintf(line, sizeof(line), _("Terminal too small: %dx%d; xiangban needs "
				       "at least %dx%d. Enlarge the window."),
		 t->cols, t->rows, TUI_MIN_COLS, TUI_MIN_ROWS);
	/* Wrap by hand: the window may be narrow. */
	const char *p = line;
	for (int y = 0; y < t->rows && *p; y++) {
		int used = 0, bytes = 0;
		while (p[bytes]) {
			wchar_t wc;
			mbstate_t ps;
			memset(&ps, 0, sizeof(ps));
			size_t n = mbrtowc(&wc, p + bytes, MB_CUR_MAX, &ps);
			if (n == 0 || n == (size_t)-1 || n == (size_t)-2)
				n = 1;
			int w = wcwidth(wc) > 0 ? wcwidth(wc) : 1;
			if (used + w > t->cols)
				break;
			used += w;
			bytes += (int)n;
		}
		char seg[160];
		snprintf(seg, sizeof(seg), "%.*s", bytes, p);
		tui_put(y, 0, t->cols, seg, tui_attr(t, TUI_WARN));
		p += bytes;
		if (bytes == 0)
			break;
	}
}

void tui_redraw(struct tui *t)
{
	erase();
	t->cur_y = -1;
	if (t->too_small) {
		draw_too_small(t);
	} else {
		draw_title(t);
		if (t->top)
			t->top->ops->draw(t, t->top->data);
		attr_t a = tui_attr(t, t->msg_error ? TUI_ERROR : TUI_OK);
		tui_put(t->rows - 2, 0, t->cols, t->msg, a);
		draw_hints(t);
	}
	/* curs_set sends nothing when the cursor is already so; modal
	 * widgets set it themselves, so no copy of the state is kept here. */
	int show = t->cur_y >= 0 && !t->too_small;
	curs_set(show);
	if (show)
		move(t->cur_y, t->cur_x);
	refresh();
}

void tui_getkey(struct tui *t, struct tui_key *k)
{
	for (;;) {
		wint_t wc;
		int r = get_wch(&wc);
		if (stop_signal) {
			k->code = 0;
			k->ch = TUI_CTRL('c');
			t->quit = 1;
			return;
		}
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES) {
			k->code = (int)wc;
			k->ch = 0;
			if (k->code == KEY_RESIZE)
				tui_term_size(t);
		} else {
			k->code = 0;
			k->ch = (wchar_t)wc;
		}
		return;
	}
}

/* Keys every screen shares, after the screen has passed on them. */
static void global_key(struct tui *t, const struct tui_key *k)
{
	if (tui_key_is(k, KEY_F(1), "?")) {
		tui_help_open(t);
	} else if (tui_key_esc(k) || tui_key_is(k, KEY_F(10), "q")) {
		if (t->top && t->top->below)
			tui_pop(t);
		else if (tui_key_is(k, KEY_F(10), "q"))
			t->quit = 1;
	} else if (k->code == 0 && k->ch == TUI_CTRL('c')) {
		t->quit = 1;
	} else if (k->code == 0 && k->ch == TUI_CTRL('l')) {
		clearok(curscr, TRUE);
	}
}

static int load_office(struct tui *t, struct xb_error *err)
{
	struct store_record *o = NULL;
	int ret = ledger_office(t->st, t->office, err);
	if (ret == XB_OK)
		ret = store_get(t->st, NULL, STORE_OFFICE, t->office, &o, err);
	if (ret == XB_OK)
		snprintf(t->office_name, sizeof(t->office_name), "%s",
			 store_record_get(o, FK_name) ? store_record_get(o, FK_name) : t->office);
	store_record_free(&o);
	return ret;
}

/* This process's command line, from /proc, as execv wants it; NULL when
 * it cannot be read. Freed by nobody: the process is replaced. */
static char **own_argv(void)
{
	static char buf[8192];
	FILE *f = fopen("/proc/self/cmdline", "re");
	if (f == NULL)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	if (n == 0 || n == sizeof(buf) - 1)
		return NULL;
	buf[n] = '\0';
	size_t argc = 0;
	for (size_t i = 0; i < n; i++)
		argc += buf[i] == '\0';
	char **argv = calloc(argc + 1, sizeof(*argv));
	if (argv == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n && k < argc; i += strlen(buf + i) + 1)
		argv[k++] = buf + i;
	return argv;
}

/* The store is stuck for good on what a dead process held (told from its
 * guard thread while the main thread waits inside Berkeley DB): leave the
 * full screen, say so, and on Enter start xiangban again in this process
 * (the new one recovers the ledger); else end. */
static void tui_stalled(const char *msg, void *arg)
{
	(void)arg;
	endwin();
	fprintf(stderr, "\nxiangban: %s\n%s\n", msg,
		_("Press Enter to start xiangban again, or Ctrl-C to quit."));
	int c = getchar();
	while (c != EOF && c != '\n')
		c = getchar();
	char **argv = c == EOF ? NULL : own_argv();
	if (argv != NULL)
		execv("/proc/self/exe", argv);
	_exit(1);
}

int tui_run(struct store *st, const char *user, struct xb_error *err)
{
	struct tui t;
	memset(&t, 0, sizeof(t));
	t.st = st;
	t.user = user;
	xb_today(t.today, sizeof(t.today));
	int ret = load_office(&t, err);
	if (ret)
		return ret;
	if ((ret = tui_term_start(&t, err)))
		return ret;
	store_on_stall(st, tui_stalled, &t);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	tui_start_open(&t);
	while (!t.quit && t.top != NULL) {
		tui_redraw(&t);
		struct tui_key k;
		tui_getkey(&t, &k);
		if (t.quit)
			break;
		if (k.code == KEY_RESIZE)
			continue;
		if (t.too_small) {
			if (k.code == 0 && k.ch == TUI_CTRL('c'))
				t.quit = 1;
			continue;
		}
		t.msg[0] = '\0';
		/* Ctrl-R after "busy": the key that met it, once more. */
		if (k.code == 0 && k.ch == TUI_CTRL('r') && t.can_retry)
			k = t.retry;
		t.can_retry = 0;
		t.key = k;
		struct tui_screen *s = t.top;
		/* A scanner's XB1:... opens the record from any screen but
		 * those that take typed text themselves. */
		if (k.code == 0 && k.ch == 'X' && !(s->ops->flags & TUI_SCREEN_TAKES_TEXT)) {
			tui_scan_capture(&t, k.ch);
			continue;
		}
		if (s->ops->key(&t, s->data, &k) == TUI_UNHANDLED)
			global_key(&t, &k);
	}
	while (t.top != NULL) {
		struct tui_screen *s = t.top;
		t.top = s->below;
		if (s->ops->free)
			s->ops->free(s->data);
		free(s);
	}
	store_on_stall(st, NULL, NULL);
	tui_term_stop(&t);
	return XB_OK;
}
