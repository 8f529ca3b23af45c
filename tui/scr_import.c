/* scr_import.c - the survey sheet from the USB stick into the ledger:
 * the file picked, every row checked first (nothing written) with a
 * progress line, what would come in and what not and why, then the good
 * rows imported on the clerk's word and the rejected ones written beside
 * the input, to fix in Excel and import again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"
#include "../sheets/sheets.h"

#define BODY_TOP 1

/* A row that did not come in, and why. */
struct row_note {
	unsigned long row;
	enum sheet_row_result res;
	char *reason;
};

struct import_view {
	char *path;    /* the sheet */
	char *rejects; /* where its rejected rows go */
	struct sheet_import_summary sum;
	struct row_note *notes;
	size_t nnotes, cap;
	int checked;  /* the dry run is shown */
	int imported; /* the import is done */
	int failed;   /* the whole sheet was refused */
	int rejects_failed; /* imported, but the rejects file not written */
	char failure[512];
	int fresh;    /* the next note starts the list again */
	int scroll;
	struct tui *t;
	int last_permille;
};

static const struct tui_keyhelp import_keys[] = {
	{ "y", N_("import the good rows"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ PgUp PgDn", N_("scroll"), 1 },
	{ NULL, NULL, 0 },
};

/* Once imported, or refused whole, y has nothing left to do. */
static const struct tui_keyhelp done_keys[] = {
	{ "Esc", N_("back"), 1 },
	{ "↑↓ PgUp PgDn", N_("scroll"), 1 },
	{ NULL, NULL, 0 },
};

static void notes_clear(struct import_view *v)
{
	for (size_t i = 0; i < v->nnotes; i++)
		free(v->notes[i].reason);
	v->nnotes = 0;
}

static void view_free(void *data)
{
	struct import_view *v = data;
	if (v == NULL)
		return;
	notes_clear(v);
	free(v->notes);
	sheet_import_summary_free(&v->sum);
	free(v->path);
	free(v->rejects);
	free(v);
}

static void keep_note(unsigned long row, enum sheet_row_result res,
		      const char *reason, void *arg)
{
	struct import_view *v = arg;
	if (v->fresh) {
		notes_clear(v);
		v->fresh = 0;
	}
	if (v->nnotes == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct row_note *n = realloc(v->notes, cap * sizeof(*n));
		if (n == NULL)
			return;
		v->notes = n;
		v->cap = cap;
	}
	char *r = strdup(reason ? reason : "");
	if (r != NULL)
		v->notes[v->nnotes++] = (struct row_note){ row, res, r };
}

/* How far the reading is, on the status line. */
static int show_progress(unsigned permille, unsigned long rows, void *arg)
{
	struct import_view *v = arg;
	struct tui *t = v->t;
	if (permille / 10 == (unsigned)v->last_permille / 10 && permille != 1000)
		return 0;
	v->last_permille = (int)permille;
	tui_message(t, 0, _("Reading the sheet: %u%%, %lu rows"), permille / 10, rows);
	if (!t->too_small) {
		tui_put(t->rows - 2, 0, t->cols, t->msg, tui_attr(t, TUI_OK));
		tui_refresh(t);
	}
	return 0;
}

/* The rejects beside the input: 名单.xlsx gives 名单-未导入.xlsx (an .xls
 * gives .xlsx: nothing here writes Excel 97). */
static char *rejects_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	if (dot == NULL || (slash != NULL && dot < slash))
		dot = path + strlen(path);
	const char *ext = *dot ? dot : ".csv";
	if (strcmp(ext, ".xls") == 0 || strcmp(ext, ".XLS") == 0)
		ext = ".xlsx";
	const char *mark = _("-not-imported");
	size_t len = (size_t)(dot - path) + strlen(mark) + strlen(ext) + 1;
	char *out = malloc(len);
	if (out != NULL)
		snprintf(out, len, "%.*s%s%s", (int)(dot - path), path, mark, ext);
	return out;
}

/* Runs the import (or its check, dry) and keeps what it said. */
static void run(struct tui *t, struct import_view *v, int dry)
{
	/* The notes are told only when the sheet went through: until then
	 * the check's stay. */
	v->fresh = 1;
	struct sheet_import_summary before = v->sum;
	memset(&v->sum, 0, sizeof(v->sum));
	v->failed = 0;
	v->last_permille = -1;
	v->scroll = 0;
	struct sheet_import_options opt = {
		.user = t->user, .today = t->today, .dry_run = dry, .screen = 1,
		.rejects = dry ? NULL : v->rejects,
		.progress = show_progress, .row_done = keep_note, .arg = v,
	};
	struct xb_error err;
	xb_error_clear(&err);
	tui_message(t, 0, "%s", dry ? _("Checking the sheet...") : _("Importing..."));
	tui_redraw(t);
	int quiet = tui_stderr_mute();
	int ret = sheet_import(t->st, v->path, &opt, &v->sum, &err);
	tui_stderr_restore(quiet);
	if (ret == XB_OK && v->fresh)
		notes_clear(v);
	v->fresh = 0;
	if (ret == XB_EDEADLOCK && v->checked) {
		/* Another process held the ledger: nothing came in, the check
		 * stands, and y (Ctrl-R) may try again. */
		sheet_import_summary_free(&v->sum);
		v->sum = before;
		tui_error(t, &err);
		return;
	}
	sheet_import_summary_free(&before);
	if (ret != XB_OK && !dry && v->sum.rejects_failed) {
		/* The good rows are in; only the file beside the sheet is not. */
		v->imported = 1;
		v->rejects_failed = 1;
		snprintf(v->failure, sizeof(v->failure), "%s", err.msg);
		tui_message(t, 1, _("Imported %lu, updated %lu; the rejected rows could not be "
				    "written."),
			    v->sum.imported, v->sum.updated);
		return;
	}
	if (ret != XB_OK) {
		v->failed = 1;
		snprintf(v->failure, sizeof(v->failure), "%s",
			 err.msg[0] ? err.msg : _("Something failed."));
		/* The whole sentence is on the screen above: the status line
		 * would only repeat it, cut. */
		tui_message(t, 1, "%s", _("This sheet cannot be imported: the reason is above."));
		return;
	}
	if (dry) {
		v->checked = 1;
		tui_message(t, 0, _("Checked: %lu new, %lu to update, %lu rejected. Press y to "
				    "import."),
			    v->sum.imported, v->sum.updated, v->sum.rejected);
	} else {
		v->imported = 1;
		tui_message(t, 0, _("Imported %lu, updated %lu, rejected %lu."), v->sum.imported,
			    v->sum.updated, v->sum.rejected);
	}
}

/* Whether s starts with punctuation a Chinese line may not begin with. */
static int closing_punct(const char *s)
{
	static const char *const marks[] = { "。", "，", "、", "；", "：", "）", "！", "？",
					     "」", "』", "》", NULL };
	for (int i = 0; marks[i]; i++)
		if (strncmp(s, marks[i], strlen(marks[i])) == 0)
			return 1;
	return 0;
}

/* A byte of an English word (or a number): not a space, not CJK. */
static int word_byte(char c)
{
	return (unsigned char)c < 0x80 && c != ' ' && c != '\t' && c != '\n';
}

static void line_put(struct tui *t, struct tui_canvas *cv, attr_t a, const char *s)
{
	/* Long reasons wrap to as many lines as they need: an English word
	 * is not cut, and a wrapped line starts with neither a space nor a
	 * closing mark (the character before the mark goes down with it). */
	int width = t->cols - 4;
	char seg[1024];
	do {
		const char *from = s;
		tui_take_line(&s, width, seg, sizeof(seg));
		size_t n = strlen(seg);
		int whole = n == (size_t)(s - from);
		if (*s && whole && n > 0 && word_byte(seg[n - 1]) && word_byte(*s)) {
			/* A Latin word cut in two: it goes down whole. */
			char *sp = strrchr(seg, ' ');
			if (sp != NULL && sp > seg) {
				s = from + (sp - seg) + 1;
				*sp = '\0';
			}
		} else if (*s && whole && closing_punct(s)) {
			size_t k = n;
			while (k > 0 && ((unsigned char)seg[k - 1] & 0xC0) == 0x80)
				k--;
			if (k > 1) {
				k--;
				s = from + k;
				seg[k] = '\0';
			}
		}
		int y = tui_canvas_next(cv);
		if (y >= 0)
			tui_put(y, 1, width, seg, a);
		while (*s == ' ')
			s++;
	} while (*s);
}

static void body(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct import_view *v = arg;
	const struct sheet_import_summary *s = &v->sum;
	char buf[1024];
	attr_t n = tui_attr(t, TUI_NORMAL), l = tui_attr(t, TUI_LABEL);
	snprintf(buf, sizeof(buf), _("File: %s"), v->path);
	line_put(t, cv, l, buf);
	if (v->failed) {
		line_put(t, cv, tui_attr(t, TUI_ERROR), v->failure);
		return;
	}
	snprintf(buf, sizeof(buf), _("Header on row %lu: %zu columns taken."), s->header_row,
		 s->ncolumns);
	line_put(t, cv, n, buf);
	if (s->unknown_columns != NULL) {
		snprintf(buf, sizeof(buf), _("Columns not known, left out: %s"),
			 s->unknown_columns);
		line_put(t, cv, n, buf);
	}
	snprintf(buf, sizeof(buf),
		 v->imported ? _("Imported %lu, updated %lu, unchanged %lu, rejected %lu, "
				 "skipped %lu.")
			     : _("Would import %lu, update %lu, leave %lu unchanged; %lu "
				 "rejected, %lu skipped. Nothing is written yet."),
		 s->imported, s->updated, s->unchanged, s->rejected, s->skipped);
	line_put(t, cv, l | A_BOLD, buf);
	if (v->rejects_failed) {
		snprintf(buf, sizeof(buf),
			 _("The rejected rows below could not be written beside the sheet: %s"),
			 v->failure);
		line_put(t, cv, tui_attr(t, TUI_ERROR), buf);
	} else if (v->imported && s->rejects_written) {
		snprintf(buf, sizeof(buf),
			 _("The rejected rows are in %s, with the reason in the last column: "
			   "correct them there and import that file."),
			 v->rejects);
		line_put(t, cv, tui_attr(t, TUI_WARN), buf);
	} else if (!v->imported) {
		line_put(t, cv, n, s->rejected ? _("Press y to import the good rows; the "
						   "rejected ones will be written beside the "
						   "sheet.")
					       : _("Press y to import."));
	}
	for (size_t i = 0; i < v->nnotes; i++) {
		const struct row_note *r = &v->notes[i];
		snprintf(buf, sizeof(buf),
			 r->res == SHEET_ROW_REJECTED  ? _("Row %lu not imported: %s")
			 : r->res == SHEET_ROW_SKIPPED ? _("Row %lu skipped: %s")
						       : _("Row %lu came in; %s"),
			 r->row, r->reason);
		line_put(t, cv,
			 r->res == SHEET_ROW_REJECTED  ? tui_attr(t, TUI_ERROR)
			 : r->res == SHEET_ROW_SKIPPED ? n
						       : tui_attr(t, TUI_WARN),
			 buf);
	}
}

static void import_draw(struct tui *t, void *data)
{
	struct import_view *v = data;
	tui_canvas_draw(t, BODY_TOP, t->cols - 2, &v->scroll, body, v);
}

static const struct tui_screen_ops import_ops, done_ops;

static int import_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct import_view *v = data;
	if (tui_key_is(k, 0, "yY")) {
		if (v->imported || v->failed) {
			tui_message(t, 1, "%s", v->imported ? _("This sheet is imported already.")
							    : _("This sheet cannot be imported."));
			return TUI_HANDLED;
		}
		run(t, v, 0);
		if (v->imported || v->failed)
			t->top->ops = &done_ops;
		return TUI_HANDLED;
	}
	if (tui_scroll_key(k, &v->scroll, t->rows - 3 - BODY_TOP))
		return TUI_HANDLED;
	return TUI_UNHANDLED;
}

static const char *import_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Import children from a spreadsheet");
}

static const struct tui_screen_ops import_ops = {
	.draw = import_draw,
	.key = import_key,
	.free = view_free,
	.keys = import_keys,
	.title = import_title,
};

static const struct tui_screen_ops done_ops = {
	.draw = import_draw,
	.key = import_key,
	.free = view_free,
	.keys = done_keys,
	.title = import_title,
};

void tui_import_open(struct tui *t)
{
	if (strlen(t->office) != 9) {
		tui_message(t, 1, "%s", _("Children are imported by the township that keeps "
					  "them."));
		return;
	}
	if (tui_refuse(t, LEDGER_CASEWORK, NULL))
		return;
	char dir[1024];
	tui_default_dir(dir, sizeof(dir));
	char *typed = tui_prompt(t, _("Import children from a spreadsheet"),
				 _("The sheet (.xlsx .xls .csv .txt), or the folder that holds "
				   "it:"),
				 dir, 0);
	if (typed == NULL)
		return;
	static const char *const exts[] = { ".xlsx", ".xls", ".csv", ".txt", NULL };
	char *path = tui_choose_file(t, typed, exts, _("Which sheet?"), NULL, NULL);
	free(typed);
	if (path == NULL)
		return;
	struct import_view *v = calloc(1, sizeof(*v));
	if (v == NULL || (v->rejects = rejects_path(path)) == NULL) {
		free(v);
		free(path);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	v->path = path;
	v->t = t;
	run(t, v, 1);
	tui_push(t, v->failed ? &done_ops : &import_ops, v);
}
