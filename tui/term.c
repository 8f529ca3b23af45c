/* term.c - curses set-up and tear-down, colours or mono, keys, size. */
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"

enum { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_LABEL, PAIR_ERROR, PAIR_WARN,
       PAIR_OK, PAIR_HINT, PAIR_INPUT };

int tui_term_start(struct tui *t, struct xb_error *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return xb_fail(err, XB_EINVAL,
			       _("The full-screen interface needs a terminal; "
				 "use the subcommands in scripts."));
	/* Esc must answer at once: no waiting for an escape sequence. */
	set_escdelay(25);
	if (initscr() == NULL)
		return xb_fail(err, XB_EFAIL, _("Cannot start the terminal (TERM=%s)."),
			       getenv("TERM") ? getenv("TERM") : "");
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
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
	getmaxyx(stdscr, t->rows, t->cols);
	t->too_small = t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
}

attr_t tui_attr(struct tui *t, enum tui_role role)
{
	if (t->colour) {
		switch (role) {
		case TUI_NORMAL: return A_NORMAL;
		case TUI_TITLE: return COLOR_PAIR(PAIR_TITLE) | A_BOLD;
		case TUI_SELECTED: return COLOR_PAIR(PAIR_SELECTED);
		case TUI_LABEL: return COLOR_PAIR(PAIR_LABEL);
		case TUI_ERROR: return COLOR_PAIR(PAIR_ERROR) | A_BOLD;
		case TUI_WARN: return COLOR_PAIR(PAIR_WARN) | A_BOLD;
		case TUI_OK: return COLOR_PAIR(PAIR_OK);
		case TUI_HINT: return COLOR_PAIR(PAIR_HINT);
		case TUI_INPUT: return COLOR_PAIR(PAIR_INPUT);
		case TUI_DIM: return A_DIM;
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
