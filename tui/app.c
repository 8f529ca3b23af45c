/* app.c - the main loop: the screen stack, drawing, global keys. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	tui_layout(t);
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
	tui_layout(t);
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
	/* Refused: the role may have changed since who was read. */
	if (err->code == XB_EPERM)
		tui_who_refresh(t);
	if (err->code == XB_EDEADLOCK) {
		t->retry = t->key;
		t->can_retry = 1;
		tui_message(t, 1, "%s %s", err->msg, _("Ctrl-R: try again."));
		return;
	}
	tui_message(t, 1, "%s", err->msg[0] ? err->msg : _("Something failed."));
}

void tui_who_refresh(struct tui *t)
{
	struct xb_error err;
	struct ledger_who who;
	xb_error_clear(&err);
	int ret = ledger_who_get(t->st, NULL, t->who.name, &who, &err);
	if (ret == XB_OK) {
		t->who = who;
		t->who_refused[0] = '\0';
	} else if (ret == XB_EPERM) {
		/* Disabled or removed meanwhile: nothing more is shown. */
		t->who.perms = 0;
		t->who.scoped = 1;
		t->who.nvillages = 0;
		snprintf(t->who_refused, sizeof(t->who_refused), "%s", err.msg);
	}
}

int tui_refuse(struct tui *t, enum ledger_perm perm, const char *case_no)
{
	struct xb_error err;
	struct store_record *child = NULL;
	xb_error_clear(&err);
	tui_who_refresh(t);
	if (t->who_refused[0]) {
		tui_message(t, 1, "%s", t->who_refused);
		return 1;
	}
	const char *village = NULL;
	if (case_no != NULL && t->who.scoped &&
	    store_get(t->st, NULL, STORE_CHILD, case_no, &child, &err) == XB_OK)
		village = store_record_get(child, FK_village_code);
	xb_error_clear(&err);
	int ret = ledger_may(&t->who, perm, village, &err);
	store_record_free(&child);
	if (ret == XB_OK)
		return 0;
	tui_message(t, 1, "%s", err.msg);
	return 1;
}

int tui_sees(const struct tui *t, const struct store_record *child)
{
	return (t->who.perms & (1u << LEDGER_READ)) && ledger_who_sees(&t->who, child);
}

void tui_idle_setting(struct tui *t)
{
	struct xb_error err;
	long n;
	xb_error_clear(&err);
	if (ledger_setting_number(t->st, "idle_minutes", &n, &err) == XB_OK)
		t->idle_minutes = n;
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

/* The screen drawn: the sign-in's cover over the others, else the top. */
static const struct tui_screen *shown_screen(const struct tui *t)
{
	return t->cover ? t->cover : t->top;
}

/* Row 0: office, screen title, today. */
static void draw_title(struct tui *t)
{
	attr_t a = tui_attr(t, TUI_TITLE);
	const struct tui_screen *s = shown_screen(t);
	const char *title = s && s->ops->title ? s->ops->title(t, s->data) : "";
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

/* Lays the hinted keys of keys out on at most two rows, the first
 * leaving room for the help key at its right, in order, a key never
 * split; fills row[i] and x[i] for each key placed (when not NULL).
 * Returns how many of keys (from the first) it covers; *nrows the rows
 * used (1 or 2). */
enum { HINTS_MAX = 48 };

static size_t place_hints(const struct tui *t, const struct tui_keyhelp *keys,
			  int *row, int *x, int *nrows)
{
	int r = 0, cx = 0;
	size_t i = 0;
	for (; keys && keys[i].keys && i < HINTS_MAX; i++) {
		if (keys[i].hint == TUI_HINT_HELP)
			continue;
		char cell[96];
		int w = hint_cell(&keys[i], cell, sizeof(cell));
		if (cx + w + 2 > (r == 0 ? t->cols - 10 : t->cols)) {
			if (r == 1 || cx == 0)
				break;
			r = 1;
			cx = 0;
			if (w + 2 > t->cols)
				break;
		}
		if (row)
			row[i] = r;
		if (x)
			x[i] = cx;
		cx += w + 2;
	}
	*nrows = r + 1;
	return i;
}

size_t tui_hints_shown(const struct tui *t, const struct tui_keyhelp *keys)
{
	int nrows;
	return place_hints(t, keys, NULL, NULL, &nrows);
}

void tui_layout(struct tui *t)
{
	const struct tui_screen *s = shown_screen(t);
	int nrows = 1;
	if (!t->too_small && s)
		place_hints(t, s->ops->keys, NULL, NULL, &nrows);
	t->rows = t->term_rows - (nrows - 1);
}

/* The last rows: the keys a clerk needs most on this screen, on one row
 * beside the help key or, when they do not fit there, on two. */
static void draw_hints(struct tui *t)
{
	attr_t a = tui_attr(t, TUI_HINT);
	const struct tui_screen *s = shown_screen(t);
	const struct tui_keyhelp *k = s ? s->ops->keys : NULL;
	int row[HINTS_MAX], x[HINTS_MAX], nrows;
	size_t n = place_hints(t, k, row, x, &nrows);
	int top = t->term_rows - nrows;
	for (int r = 0; r < nrows; r++)
		tui_fill(top + r, 0, t->cols, a);
	for (size_t i = 0; i < n; i++) {
		if (k[i].hint == TUI_HINT_HELP)
			continue;
		char cell[96];
		int w = hint_cell(&k[i], cell, sizeof(cell));
		tui_put(top + row[i], x[i], w, cell, a | A_BOLD);
	}
	char help[64];
	snprintf(help, sizeof(help), "F1 %s", _("help"));
	tui_put_right(top, t->cols - 10, 10, help, a);
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

/* The status line's message; one longer than the line takes the rows
 * above it too (the body's last rows, until the next key), up to half
 * the screen. */
static void draw_message(struct tui *t)
{
	attr_t a = tui_attr(t, t->msg_error ? TUI_ERROR : TUI_OK);
	int n = tui_wrapped_rows(t->msg, t->cols);
	if (n > t->rows / 2)
		n = t->rows / 2;
	if (n < 1)
		n = 1;
	tui_fill(t->rows - 2, 0, t->cols, a);
	tui_put_wrapped(t->rows - 1 - n, 0, t->cols, n, t->msg, a);
}

void tui_draw(struct tui *t)
{
	tui_layout(t);
	erase();
	t->cur_y = -1;
	if (t->too_small) {
		draw_too_small(t);
	} else {
		const struct tui_screen *s = shown_screen(t);
		draw_title(t);
		if (s)
			s->ops->draw(t, s->data);
		if (t->overlay)
			t->overlay(t, t->overlay_arg);
		draw_message(t);
		draw_hints(t);
	}
}

void tui_refresh(struct tui *t)
{
	tui_tidy_blanks();
	/* curs_set sends nothing when the cursor is already so. A hidden
	 * cursor is left wherever the last change put it: moving it to
	 * stdscr's cursor after every key costs bytes and shows nothing. */
	int show = t->cur_y >= 0 && !t->too_small;
	curs_set(show);
	leaveok(stdscr, !show);
	if (show)
		move(t->cur_y, t->cur_x);
	refresh();
}

void tui_redraw(struct tui *t)
{
	tui_draw(t);
	tui_refresh(t);
}

/* The monotonic clock in milliseconds: idleness is real time gone by,
 * whatever the wall clock (or a pinned XIANGBAN_NOW) says. */
static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long to wait for a key: until the screen locks, at most a minute
 * (the setting is read again then); -1 (for ever) while the sign-in is
 * up or before anyone signed in. */
static int idle_wait(const struct tui *t)
{
	if (t->cover != NULL || t->user == NULL)
		return -1;
	long long wait = 60000;
	if (t->idle_minutes > 0) {
		long long left = t->last_key_ms + t->idle_minutes * 60000LL - mono_ms();
		if (left < wait)
			wait = left;
	}
	return wait < 0 ? 0 : (int)wait;
}

/* Covers the screen with the sign-in of the same user; what was on
 * screen, the status line's message included, comes back after the
 * password. Sets quit when the user leaves instead. */
static void idle_lock(struct tui *t)
{
	char msg[sizeof(t->msg)];
	int msg_error = t->msg_error;
	snprintf(msg, sizeof(msg), "%s", t->msg);
	t->msg[0] = '\0';
	char name[sizeof(t->who.name)];
	snprintf(name, sizeof(name), "%s", t->who.name);
	if (!tui_sign_in(t, name, 1))
		t->quit = 1;
	snprintf(t->msg, sizeof(t->msg), "%s", msg);
	t->msg_error = msg_error;
	t->last_key_ms = mono_ms();
}

void tui_getkey(struct tui *t, struct tui_key *k)
{
	for (;;) {
		wint_t wc;
		/* Once the program is leaving, every dialog still open is
		 * closed as by Esc. */
		if (t->quit) {
			k->code = 0;
			k->ch = TUI_ESC;
			return;
		}
		timeout(idle_wait(t));
		errno = 0;
		int r = get_wch(&wc);
		/* A terminal gone without a signal reads as an error at once,
		 * every time: leaving beats spinning on it. */
		if (stop_signal || (r == ERR && (errno == EIO || errno == EBADF ||
						 errno == ENXIO || !isatty(STDIN_FILENO)))) {
			k->code = 0;
			k->ch = TUI_CTRL('c');
			t->quit = 1;
			t->hangup = 1;
			return;
		}
		if (r == ERR) {
			if (t->cover != NULL || t->user == NULL)
				continue;
			tui_idle_setting(t);
			if (t->idle_minutes <= 0 ||
			    mono_ms() - t->last_key_ms < t->idle_minutes * 60000LL)
				continue;
			idle_lock(t);
			if (t->quit)
				continue;
			/* Whoever waits for a key draws everything again, as
			 * after a resize (the size may have changed too). */
			tui_term_size(t);
			k->code = KEY_RESIZE;
			k->ch = 0;
			return;
		}
		t->last_key_ms = mono_ms();
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

int tui_run(struct store *st, const char *user, int sign_in, struct xb_error *err)
{
	struct tui t;
	memset(&t, 0, sizeof(t));
	t.st = st;
	xb_today(t.today, sizeof(t.today));
	int ret = load_office(&t, err);
	if (ret == XB_OK && !sign_in) {
		ret = ledger_who_get(st, NULL, user, &t.who, err);
		t.user = t.who.name;
	}
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

	/* Who uses the screen signs in on it (unless the command line did,
	 * with --password-fd); Esc there leaves at once. */
	if (sign_in && !tui_sign_in(&t, user, 0))
		t.quit = 1;
	tui_idle_setting(&t);
	t.last_key_ms = mono_ms();
	if (!t.quit) {
		tui_start_open(&t);
		tui_draft_offer(&t);
	}
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
	/* Cut off: each screen keeps what it must, the top one first. */
	for (struct tui_screen *s = t.top; t.hangup && s != NULL; s = s->below)
		if (s->ops->hangup)
			s->ops->hangup(&t, s->data);
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
