/* private.h - what the files of tui/ share. Only tui/ includes curses. */
#ifndef XB_TUI_PRIVATE_H
#define XB_TUI_PRIVATE_H

#include <curses.h>
#include <stdarg.h>
#include <wchar.h>

#include "tui.h"
#include "../forms/ledger.h"

/* The smallest terminal every screen fits. */
#define TUI_MIN_ROWS 24
#define TUI_MIN_COLS 80

/* A key: a curses key code (KEY_F(1), KEY_UP, KEY_RESIZE ...) in code, or
 * a character in ch with code 0. Esc is ch 27. */
struct tui_key {
	int code;
	wchar_t ch;
};

#define TUI_ESC 27
#define TUI_CTRL(c) ((c) & 0x1f)

/* Whether k is the function key fkey (0: none) or one of the letters
 * (ASCII, as given: list both cases where both should do). Old terminals
 * lose F-keys: every action has both. */
int tui_key_is(const struct tui_key *k, int fkey, const char *letters);
/* Enter, Esc, and moving keys, each by any of their spellings. */
int tui_key_enter(const struct tui_key *k);
int tui_key_esc(const struct tui_key *k);

/* One line of a screen's key help: keys as shown ("F2 s"), what they do
 * (English msgid; shown translated), and whether the bottom hint line
 * shows it (TUI_HINT_*). Lists end with a NULL keys. */
struct tui_keyhelp {
	const char *keys;
	const char *what;
	int hint;
};

enum {
	TUI_HINT_HELP = 0, /* in the help (F1) only */
	TUI_HINT_BOTH = 1, /* on the hint line and in the help */
	/* On the hint line only: a short word for the key whose whole
	 * meaning an entry of its own gives in the help. */
	TUI_HINT_SHORT = 2,
};

enum tui_result {
	TUI_HANDLED,   /* the screen used the key */
	TUI_UNHANDLED, /* let the global keys have it */
};

struct tui;

/* What a screen is, as far as app.c's handling of keys goes: flags of
 * struct tui_screen_ops. */
enum tui_screen_flag {
	/* Takes typed text anywhere on it (a form's fields, the children's
	 * search line): a scanner's "XB1:..." is left to the screen, not
	 * caught for the scan box. */
	TUI_SCREEN_TAKES_TEXT = 1u << 0,
	/* Uses q for itself (the statistics' quarter): q does not go back
	 * there, which the help says. */
	TUI_SCREEN_OWN_Q = 1u << 1,
};

/* A screen's functions; tables are written with designated initialisers. */
struct tui_screen_ops {
	unsigned flags; /* enum tui_screen_flag */
	/* Draws the whole screen body (rows 1 .. rows-3) into stdscr; the
	 * title, status and hint lines are drawn by app.c. Called after
	 * every key: curses sends only what changed. */
	void (*draw)(struct tui *t, void *data);
	int (*key)(struct tui *t, void *data, const struct tui_key *k);
	/* Called when the screen above this one closes: reload data. May be
	 * NULL. */
	void (*resume)(struct tui *t, void *data);
	void (*free)(void *data);
	const struct tui_keyhelp *keys;
	/* The title shown on row 0 (translated by the screen). */
	const char *(*title)(struct tui *t, void *data);
	/* The program is cut off (the terminal closed, a signal): keep
	 * what cannot wait for a key, before the screen is freed. May be
	 * NULL. */
	void (*hangup)(struct tui *t, void *data);
};

struct tui_screen {
	const struct tui_screen_ops *ops;
	void *data;
	struct tui_screen *below;
};

struct tui {
	struct store *st;
	/* Who is signed in: user is who.name. who is read again when the
	 * ledger refuses something (XB_EPERM) and before a key checks a
	 * permission: a leader may have changed the role meanwhile. */
	const char *user;
	struct ledger_who who;
	/* Why who could not be read again (disabled, removed), else "": who
	 * then holds no permission and sees no child. */
	char who_refused[512];
	/* The office's idle_minutes (0: never), read again every minute
	 * while the screen waits, and when the last key came
	 * (CLOCK_MONOTONIC, ms). */
	long idle_minutes;
	long long last_key_ms;
	/* Drawn instead of the screens (the sign-in), and over whatever is
	 * drawn (a dialog box, so that a pick list opened from it keeps it
	 * in view); both NULL mostly. */
	const struct tui_screen *cover;
	void (*overlay)(struct tui *t, void *arg);
	void *overlay_arg;
	char today[11];
	char office[13];
	char office_name[96];
	struct tui_screen *top;
	/* The terminal's rows, and the rows a screen lays itself out in:
	 * one fewer when its key hints take two lines (tui_layout). */
	int term_rows;
	int rows, cols;
	int too_small;
	int colour;
	int quit;
	/* Cut off: a signal (SIGHUP, SIGTERM) or the terminal gone. Set
	 * with quit; a form keeps its changes as a draft (drafts.c). */
	int hangup;
	int draft_kept;
	/* The cursor's place after drawing, or -1 to hide it. */
	int cur_y, cur_x;
	char msg[512];
	int msg_error;
	/* The key being handled, and the one Ctrl-R runs again after the
	 * ledger was busy (another process held it past the store's wait). */
	struct tui_key key, retry;
	int can_retry;
};

/* --- app.c --- */
/* Puts a screen on top; data is the screen's, freed by ops->free. */
void tui_push(struct tui *t, const struct tui_screen_ops *ops, void *data);
/* Closes the top screen and resumes the one below. */
void tui_pop(struct tui *t);
/* A message on the status line until the next key; error shows it red
 * (bold in mono). */
void tui_message(struct tui *t, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Shows an error from the modules. When another process held the ledger
 * (XB_EDEADLOCK), Ctrl-R runs the key that failed again. */
void tui_error(struct tui *t, const struct xb_error *err);
/* Whether rec belongs to another office (a township's records at the
 * county): such records are read-only here. */
int tui_foreign(const struct tui *t, const struct store_record *rec);
/* Refuses an edit of a foreign record, saying so; 1 when refused. */
int tui_refuse_foreign(struct tui *t, const struct store_record *rec);
/* Draws everything (the top screen, status, hints) and refreshes. */
void tui_redraw(struct tui *t);
/* tui_redraw in two: tui_draw draws everything into stdscr, and
 * tui_refresh sends it to the terminal, the cursor shown at t->cur_y,
 * t->cur_x (hidden when cur_y < 0). A modal widget draws itself between
 * the two: one refresh a key, never the screen without the widget and
 * then the widget again. */
void tui_draw(struct tui *t);
void tui_refresh(struct tui *t);
/* How many of keys (from the first) the bottom hint lines cover at
 * this width: those of them marked hint are on it, the rest are not. */
size_t tui_hints_shown(const struct tui *t, const struct tui_keyhelp *keys);
/* Sets t->rows for the screen shown: the hint lines take two rows when
 * its hinted keys do not fit on one. Called when the screen shown or
 * the terminal's size changes. */
void tui_layout(struct tui *t);
/* Waits for a key, handling resize (redraws) and the too-small state.
 * Modal widgets call this so the screen reflows under them. */
void tui_getkey(struct tui *t, struct tui_key *k);

/* --- who may do what (app.c) --- */
/* Reads who is signed in again from the ledger. */
void tui_who_refresh(struct tui *t);
/* Whether the signed-in user may do what needs perm (for the child of
 * case_no when not NULL: a village user's own villages only), who read
 * again first; when not, says why on the status line (the ledger's
 * message, naming the permission) and returns 1. The ledger checks again
 * when it writes: this only spares a clerk a form they cannot save. */
int tui_refuse(struct tui *t, enum ledger_perm perm, const char *case_no);
/* Whether the signed-in user sees the child (a village user: theirs). */
int tui_sees(const struct tui *t, const struct store_record *child);
/* Reads the office's idle_minutes again. */
void tui_idle_setting(struct tui *t);

/* --- term.c --- */
int tui_term_start(struct tui *t, struct xb_error *err);
void tui_term_stop(struct tui *t);
/* Reads the terminal size into t after KEY_RESIZE (or at start). */
void tui_term_size(struct tui *t);
/* Points fd 2 at /dev/null while a library that prints its own errors
 * (libxlsxwriter, cairo) reads or writes a file: nothing may draw over
 * the screen; the errors still come back in struct xb_error. Returns the
 * saved descriptor (-1 when fd 2 was left alone) for
 * tui_stderr_restore, which puts fd 2 back. */
int tui_stderr_mute(void);
void tui_stderr_restore(int saved);

/* Attributes of roles, colour or mono. */
enum tui_role {
	TUI_NORMAL,
	TUI_TITLE,    /* title bar */
	TUI_SELECTED, /* the current row */
	TUI_LABEL,    /* field labels, headings */
	TUI_ERROR,    /* messages that refuse something */
	TUI_WARN,     /* flags a clerk should see: unsupervised, overdue */
	TUI_OK,
	TUI_HINT,     /* the key-hint line */
	TUI_INPUT,    /* the field being edited */
	TUI_DIM,      /* read-only, derived */
};
attr_t tui_attr(struct tui *t, enum tui_role role);

/* --- draw.c --- */
/* Display columns of a UTF-8 string (CJK count two; an invalid byte is
 * one replacement character). */
int tui_width(const char *s);
/* Writes s at (y, x) in at most width columns: never half a double-width
 * character; invalid bytes, control, bidi and zero-width characters as
 * U+FFFD (common/printable.h); pads with spaces to width. Returns the columns written before padding. */
int tui_put(int y, int x, int width, const char *s, attr_t attr);
/* Same, right-aligned in width. */
void tui_put_right(int y, int x, int width, const char *s, attr_t attr);
/* printf into a width-clipped cell. */
int tui_putf(int y, int x, int width, attr_t attr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Outside text (a key's user ID, a file's name) made safe to show
 * (common/printable.h) and cut to cols columns, "…" ending what was cut,
 * into buf (len bytes); returns buf. */
char *tui_safe_cut(const char *s, int cols, char *buf, size_t len);
/* Copies into seg the next piece of *ps that fits width columns, up to a
 * newline (consumed); tabs and carriage returns become spaces. Always
 * takes at least one character, so a wrapping loop ends. */
void tui_take_line(const char **ps, int width, char *seg, size_t len);
/* The same, but a line cut inside a word of spaced text (English) ends
 * at the space before the word. */
void tui_take_words(const char **ps, int width, char *seg, size_t len);
/* The rows s takes wrapped at width so (tui_take_words). */
int tui_wrapped_rows(const char *s, int width);
/* Puts s wrapped at words on at most rows rows from (y, x), each padded
 * to width; "…" ends the last when more is left. Returns the rows used. */
int tui_put_wrapped(int y, int x, int width, int rows, const char *s, attr_t attr);
/* Fills a row segment with spaces in attr. */
void tui_fill(int y, int x, int width, attr_t attr);
/* Gives each blank on stdscr the attributes of the cell before it when
 * it looks the same with them (bold, dim and the foreground colour do
 * not show on a space), and the plain blank when it ends a row and looks
 * plain: what the screen shows is unchanged, and curses sends fewer
 * attribute changes and erases ends of lines instead of writing
 * spaces. tui_refresh calls it. */
void tui_tidy_blanks(void);
/* A centred box with a frame (for dialogs); returns its inner origin. */
void tui_box(struct tui *t, int h, int w, const char *title, int *y0, int *x0);

/* --- canvas.c --- */
/* The scroll canvas: a body of lines that may be taller than its rows.
 * A screen writes the body as a function that asks tui_canvas_next for
 * each line's row and draws the line only when it gets one (>= 0);
 * tui_canvas_draw runs it twice, counting then painting, so nothing out
 * of view reaches curses. */
struct tui_canvas {
	int top, height, scroll;
	int line;  /* the next line */
	int paint; /* 0: count only */
};
typedef void tui_canvas_body(struct tui *t, void *arg, struct tui_canvas *cv);
/* The screen row of the canvas's next line, or -1 when it is not drawn. */
int tui_canvas_next(struct tui_canvas *cv);
/* Draws body(t, arg, cv) in rows top .. rows-3 from line *scroll, first
 * keeping *scroll within the body's lines; ^ and v at column mark_x tell
 * of lines above and below. */
void tui_canvas_draw(struct tui *t, int top, int mark_x, int *scroll,
		     tui_canvas_body *body, void *arg);
/* The move of a scrolling key (Up Down j k PgUp PgDn Space Home End) in
 * lines into *delta, a page being page lines, Home and End far enough to
 * reach either end; returns 1 when the key was one of them. */
int tui_scroll_step(const struct tui_key *k, int page, int *delta);
/* A scrolling key applied to *scroll (kept within 0 .. INT_MAX / 2);
 * returns 1 when the key was one. End goes past the last line:
 * tui_canvas_draw brings it back. */
int tui_scroll_key(const struct tui_key *k, int *scroll, int page);

/* --- printing.c --- */
/* The folder a printed file goes to: the office's slips_folder when it
 * is a folder, else the USB stick, else the ledger's slips/ (made). */
int tui_print_dir(struct tui *t, char *dir, size_t len, struct xb_error *err);
/* "<dir>/<what>-<whose, else the office's name>-<today>.pdf" into buf,
 * with nothing a file name cannot hold. */
void tui_print_path(struct tui *t, const char *dir, const char *what, const char *whose,
		    char *buf, size_t len);
/* After a PDF was written (done says what): where there is a printer (lp),
 * asks whether to send it there and does; else says where the PDF is. */
void tui_print_offer(struct tui *t, const char *path, const char *done);
/* The reports f names as a printed list, then the offer. */
void tui_print_reports(struct tui *t, const struct ledger_reports_filter *f);
/* The start screen's p: a pick list of the lists to print. */
void tui_print_menu(struct tui *t);

/* --- widgets.c --- */
/* A one-line editor of up to TUI_LINE_MAX characters, for wide
 * characters: Chinese from an input method arrives whole. */
#define TUI_LINE_MAX 512
struct tui_line {
	wchar_t buf[TUI_LINE_MAX + 1];
	int len, cur, scroll;
	int changed;
};
void tui_line_set(struct tui_line *l, const char *utf8);
/* The text as UTF-8 (malloc'd). */
char *tui_line_get(const struct tui_line *l);
/* Edits on a key: printable characters, Backspace, Delete, Left, Right,
 * Home, End, Ctrl-A/E/K/U. Returns 1 when the key was used. */
int tui_line_key(struct tui_line *l, const struct tui_key *k);
/* Draws the editor in width columns and puts t's cursor in it. */
void tui_line_draw(struct tui *t, struct tui_line *l, int y, int x, int width,
		   attr_t attr);

/* A modal pick list over the current screen; returns the index chosen or
 * -1 on Esc. */
int tui_pick(struct tui *t, const char *title, const char *const *items, int n,
	     int current);
/* A modal one-line prompt in a box: label above the line, initial text
 * (may be NULL); mask shows each character as '*' (passphrases). Returns
 * the text typed (malloc'd) on Enter, NULL on Esc. */
char *tui_prompt(struct tui *t, const char *title, const char *label,
		 const char *initial, int mask);
/* A modal question; `keys` are the accepted answer letters (first one
 * also taken by Enter). Returns the letter, or 0 on Esc. */
int tui_ask(struct tui *t, const char *question, const char *answers,
	    const char *keys);

/* The folder offered for files to carry (bundles, keys, rosters): the
 * first stick (a block device) mounted under /media/$USER, /media or
 * /mnt, else the home folder. */
void tui_default_dir(char *buf, size_t len);
/* A mounted USB stick (under /media/$USER, /media or /mnt) into buf: 1,
 * or 0 when none is in. */
int tui_stick_dir(char *buf, size_t len);
/* The file typed, or when it is a folder the one the clerk picks there
 * among the names ending in one of exts (a NULL-ended list; case
 * ignored); the first name holding prefer (may be NULL) is offered first,
 * the name skip (may be NULL; this office's own key file) never. At
 * most TUI_FILES_MAX names. Returns a malloc'd path or NULL (told). */
#define TUI_FILES_MAX 200
char *tui_choose_file(struct tui *t, const char *typed, const char *const *exts,
		      const char *title, const char *prefer, const char *skip);

/* A list of items of which several are picked: on[i] for each (the
 * caller's, changed only on Enter). Space toggles. Returns 1 on Enter, 0
 * on Esc. */
int tui_pick_many(struct tui *t, const char *title, const char *const *items,
		  unsigned char *on, int n);

/* --- fields.c --- */
/* A column of labelled fields in a dialog: typed, typed but shown as
 * '*' (passwords), one picked from a list, several picked, or fixed. */
enum tui_field_kind {
	TUI_FIELD_TEXT,
	TUI_FIELD_SECRET,
	TUI_FIELD_CHOICE,
	TUI_FIELD_MANY,
	TUI_FIELD_FIXED,
};
struct tui_field {
	enum tui_field_kind kind;
	const char *label;
	/* The field key (FK_*) the ledger names when it refuses this
	 * field's value (struct xb_error field), or NULL. */
	const char *key;
	struct tui_line line;      /* TEXT, SECRET, FIXED: the text */
	const char *const *items;  /* CHOICE, MANY: the labels offered */
	int nitems;
	int choice;                /* CHOICE: the item picked, -1 none */
	unsigned char *on;         /* MANY: nitems flags (the caller's) */
	int hidden;                /* not shown, skipped */
};
/* A dialog of fields, drawn in a box over the screen (or over
 * t->cover). intro (may be NULL) is said above the fields. save is
 * called on Enter in the last field, or F2: it returns XB_OK to close the
 * dialog, else the error whose message the dialog shows (the cursor goes
 * to the field it names); SECRET fields are emptied then. changed (may be
 * NULL) is called after a field's value changed (a choice that shows or
 * hides other fields). Returns 1 when saved, 0 on Esc, F10 or Ctrl-C
 * (with quit set by Ctrl-C). Fields' text is the caller's to read after
 * and to wipe (tui_fields_wipe). */
struct tui_dialog {
	const char *title;
	const char *intro;
	struct tui_field *fields;
	int n, cur;
	int (*save)(struct tui *t, struct tui_dialog *d, struct xb_error *err);
	void (*changed)(struct tui *t, struct tui_dialog *d);
	void *arg;
	char msg[512];   /* the refusal shown, or "" */
	int quit_keys;   /* the sign-in: Esc, F10 and Ctrl-C quit the program */
	const char *done_hint; /* what Enter in the last field does */
};
int tui_dialog_run(struct tui *t, struct tui_dialog *d);
/* A field's text (malloc'd; "" for FIXED/TEXT/SECRET left empty). */
char *tui_field_text(const struct tui_field *f);
/* Empties the SECRET fields, leaving no copy of what they held. */
void tui_fields_wipe(struct tui_field *f, int n);

/* --- scr_sign_in.c --- */
/* The sign-in screen over everything: the user name offered (fixed when
 * lock: the screen was idle), the password, or on a ledger without
 * passwords a new one twice, which makes its user the leader. Signs in
 * with ledger_sign_in; fills t->who. Returns 1 when signed in, 0 when
 * the user quit (Esc). */
int tui_sign_in(struct tui *t, const char *name, int lock);

/* --- the screens' openers --- */
enum tui_child_filter {
	TUI_CHILDREN_ALL,      /* active children */
	TUI_CHILDREN_FLAG,     /* active children with flag (FORM_FLAG_*) */
	TUI_CHILDREN_TURN16_MONTH,
	TUI_CHILDREN_EXITED,
};
void tui_start_open(struct tui *t);
void tui_children_open(struct tui *t, enum tui_child_filter filter,
		       unsigned flag);
/* The active children whose responsible member is member (a user by
 * user name or full name). */
void tui_children_open_member(struct tui *t, const char *member);
/* The active children of another office (case numbers "<office>-..."),
 * read-only: the county's view of a township. */
void tui_children_open_office(struct tui *t, const char *office,
			      const char *name);
/* The office's key, its peers and their bundles: export, import,
 * conflicts. */
void tui_exchange_open(struct tui *t);
/* The offices bound to this one, with their last bundles and children. */
void tui_offices_open(struct tui *t);
/* The records changed on both sides, to settle one by one. */
void tui_conflicts_open(struct tui *t);
/* Children from a spreadsheet on the stick: checked, then imported. */
void tui_import_open(struct tui *t);
/* stage: a form_stage_choices() code or NULL for any open report;
 * unsent: only those not yet reported to the police. */
void tui_reports_open(struct tui *t, const char *stage, int unsent);
void tui_child_open(struct tui *t, const char *case_no);
void tui_report_open(struct tui *t, const char *report_id);
void tui_history_open(struct tui *t, const char *id);
/* A form for a new record of kind (parent: the case number of a visit or
 * report, the report id of a step) or, with rec, an edit of it (the form
 * takes rec). */
void tui_form_open(struct tui *t, enum store_kind kind, const char *parent,
		   struct store_record *rec);
/* The child leaves the ledger: reason and date. */
void tui_exit_open(struct tui *t, const char *case_no, uint32_t version);
/* The signed-in user's draft, a form cut off last time: offered back
 * (y: the form again, as typed; n: thrown away; Esc: kept for later). */
void tui_draft_offer(struct tui *t);
void tui_help_open(struct tui *t);
/* The office's village register: its villages and their children; a
 * village added. Refused at a county. */
void tui_villages_open(struct tui *t);
/* The period table the office files (统计报表), opened on the last
 * closed month. */
void tui_stats_open(struct tui *t);
/* The ledger's users and the office's settings, for a leader. */
void tui_users_open(struct tui *t);
/* The requests waiting for a leader's approval (审核), to approve or
 * send back; says why not when the user may not decide them. */
void tui_approvals_open(struct tui *t);

/* --- scan.c --- */
/* Opens the child a scanned slip's text names (XB1:CASE:VERSION); says
 * why not on the status line. Returns 1 when the file opened. */
int tui_scan_open(struct tui *t, const char *text);
/* Reads a scanner's typing that began with first, up to Enter, then
 * opens what it names. */
void tui_scan_capture(struct tui *t, wchar_t first);

#endif
