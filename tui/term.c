/* term.c - curses set-up and tear-down, colours or mono, keys, size. */
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"

enum { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_LABEL, PAIR_ERROR, PAIR_WARN,
       PAIR_OK, PAIR_HINT, PAIR_INPUT, PAIR_PLAIN };

/* Plain and dim text in colour: the terminal's own colours as a pair of
 * their own, or 0. ncurses resets the colours (op) before every change
 * into pair 0 from another pair, as from the selection bar to the detail
 * line under the list; between two pairs it changes only what differs.
 * Left 0 where the pair cannot be made, or where the terminal drops an
 * attribute beside a colour (no_color_video: the Linux console shows no
 * dim then). */
static attr_t plain_pair;

/* The sequences xterm, PuTTY, tmux and the Linux console send for the
 * keys the program uses, taught to curses where the terminal's
 * description lacks them (TERM=vt100 knows F1-F4 and arrows only, and F5
 * would type "15~"). A sequence already known keeps its meaning. */
static void teach_keys(void)
{
	static const struct {
		const char *seq;
		int code;
	} keys[] = {
		{ "\033OP", KEY_F(1) },   { "\033OQ", KEY_F(2) },   { "\033OR", KEY_F(3) },
		{ "\033OS", KEY_F(4) },   { "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },
		{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) }, { "\033[15~", KEY_F(5) },
		{ "\033[17~", KEY_F(6) }, { "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) },
		{ "\033[20~", KEY_F(9) }, { "\033[21~", KEY_F(10) }, { "\033[23~", KEY_F(11) },
		{ "\033[24~", KEY_F(12) }, { "\033[[A", KEY_F(1) },  { "\033[[B", KEY_F(2) },
		{ "\033[[C", KEY_F(3) },  { "\033[[D", KEY_F(4) },  { "\033[[E", KEY_F(5) },
		{ "\033[A", KEY_UP },     { "\033[B", KEY_DOWN },   { "\033[C", KEY_RIGHT },
		{ "\033[D", KEY_LEFT },   { "\033OA", KEY_UP },     { "\033OB", KEY_DOWN },
		{ "\033OC", KEY_RIGHT },  { "\033OD", KEY_LEFT },   { "\033[H", KEY_HOME },
		{ "\033[F", KEY_END },    { "\033OH", KEY_HOME },   { "\033OF", KEY_END },
		{ "\033[1~", KEY_HOME },  { "\033[4~", KEY_END },   { "\033[2~", KEY_IC },
		{ "\033[3~", KEY_DC },    { "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
		{ "\033[Z", KEY_BTAB },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (key_defined(keys[i].seq) == 0)
			define_key(keys[i].seq, keys[i].code);
}

int tui_term_start(struct tui *t, struct xb_error *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return xb_fail(err, XB_EINVAL,
			       _("The full-screen interface needs a terminal; "
				 "use the subcommands in scripts."));
	/* Chinese needs a UTF-8 locale: in another, names come out blank
	 * and typing them breaks the keys. (gettext gives the message in
	 * that locale's own charset: GB18030's terminal reads it.) */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
		const char *lang = getenv("LC_ALL");
		if (lang == NULL || *lang == '\0')
			lang = getenv("LC_CTYPE");
		if (lang == NULL || *lang == '\0')
			lang = getenv("LANG");
		return xb_fail(err, XB_EINVAL,
			       _("The full-screen interface needs a UTF-8 locale, and "
				 "\"%s\" is not one: start it with LANG=zh_CN.UTF-8 "
				 "(or C.UTF-8)."),
			       lang && *lang ? lang : "C");
	}
	/* Line drawing as UTF-8 characters, never the terminal's alternate
	 * character set: terminals that describe it wrongly (TERM=vt100 in
	 * tmux or PuTTY) draw boxes as "lqqqk". The clerk's own setting
	 * stands. */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	/* Esc must answer at once: no waiting for an escape sequence. */
	set_escdelay(25);
	if (initscr() == NULL)
		return xb_fail(err, XB_EFAIL, _("Cannot start the terminal (TERM=%s)."),
			       getenv("TERM") ? getenv("TERM") : "");
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	teach_keys();
	meta(stdscr, TRUE);
	curs_set(0);
	t->colour = has_colors();
	if (t->colour && start_color() == OK) {
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_LABEL, COLOR_CYAN, -1);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_HINT, COLOR_BLACK, COLOR_WHITE);
		init_pair(PAIR_INPUT, COLOR_BLACK, COLOR_YELLOW);
		int ncv = tigetnum("ncv");
		if ((ncv <= 0 || (ncv & 0x3f) == 0) && init_pair(PAIR_PLAIN, -1, -1) == OK)
			plain_pair = COLOR_PAIR(PAIR_PLAIN);
	} else {
		t->colour = 0;
	}
	tui_term_size(t);
	return XB_OK;
}

void tui_term_stop(struct tui *t)
{
	(void)t;
	curs_set(1);
	endwin();
}

void tui_term_size(struct tui *t)
{
	getmaxyx(stdscr, t->term_rows, t->cols);
	/* After a resize the terminal may have moved lines curses believes
	 * in place (tmux keeps the bottom rows of a pane that shrank): the
	 * next refresh paints every cell. */
	clearok(curscr, TRUE);
	t->too_small = t->term_rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
	tui_layout(t);
}

attr_t tui_attr(struct tui *t, enum tui_role role)
{
	if (t->colour) {
		switch (role) {
		case TUI_NORMAL: return plain_pair;
		case TUI_TITLE: return COLOR_PAIR(PAIR_TITLE) | A_BOLD;
		case TUI_SELECTED: return COLOR_PAIR(PAIR_SELECTED);
		case TUI_LABEL: return COLOR_PAIR(PAIR_LABEL);
		case TUI_ERROR: return COLOR_PAIR(PAIR_ERROR) | A_BOLD;
		case TUI_WARN: return COLOR_PAIR(PAIR_WARN) | A_BOLD;
		case TUI_OK: return COLOR_PAIR(PAIR_OK);
		case TUI_HINT: return COLOR_PAIR(PAIR_HINT);
		case TUI_INPUT: return COLOR_PAIR(PAIR_INPUT);
		case TUI_DIM: return plain_pair | A_DIM;
		}
	}
	/* Mono: reverse and bold carry everything. */
	switch (role) {
	case TUI_TITLE: return A_REVERSE | A_BOLD;
	case TUI_SELECTED: return A_REVERSE;
	case TUI_LABEL: return A_NORMAL;
	case TUI_ERROR: return A_BOLD;
	case TUI_WARN: return A_BOLD;
	case TUI_HINT: return A_REVERSE;
	case TUI_INPUT: return A_UNDERLINE;
	case TUI_DIM: return A_DIM;
	default: return A_NORMAL;
	}
}

int tui_key_is(const struct tui_key *k, int fkey, const char *letters)
{
	if (fkey && k->code == fkey)
		return 1;
	if (k->code != 0 || letters == NULL || k->ch <= 0 || k->ch >= 128)
		return 0;
	for (const char *p = letters; *p; p++)
		if (k->ch == (wchar_t)*p)
			return 1;
	return 0;
}

int tui_key_enter(const struct tui_key *k)
{
	return k->code == KEY_ENTER || (k->code == 0 && (k->ch == '\r' || k->ch == '\n'));
}

int tui_key_esc(const struct tui_key *k)
{
	return k->code == 0 && k->ch == TUI_ESC;
}

/* fd 2 is the terminal curses draws on: a library that prints its own
 * errors there (libxlsxwriter on a full disk) would write over the
 * screen. The saved copy is close-on-exec so no child process inherits
 * it. */
int tui_stderr_mute(void)
{
	fflush(stderr);
	int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved < 0)
		return -1;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDERR_FILENO) < 0) {
		if (null >= 0)
			close(null);
		close(saved);
		return -1;
	}
	close(null);
	return saved;
}

void tui_stderr_restore(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}
