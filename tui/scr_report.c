/* scr_report.c - one report (强制报告) and its timeline: the report's
 * fields, then found, reported to the police (due the same day), and every
 * step of its handling with who acted and how long it took, and under it
 * what the township owes next (assessment, services) by when, with the
 * days left or late in words. A mistake is
 * corrected (c): the police station and receipt number, or a step. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* The body below the fixed header row. */
#define BODY_TOP 2

struct report {
	char id[96];
	char title[160];
	char child[64]; /* the child's name */
	struct store_record *rec;
	struct store_record **steps; /* in id order */
	size_t nsteps;
	struct ledger_due due; /* the next deadline, as of load */
	int scroll;
};

static const struct tui_keyhelp report_keys[] = {
	{ "F3 a s", N_("add a step"), 1 },
	{ "F4 c", N_("correct"), 1 },
	{ "F8 h", N_("history"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ PgUp PgDn", N_("scroll"), 0 },
	{ "Home End", N_("top, bottom"), 0 },
	{ NULL, NULL, 0 },
};

/* --- text helpers ------------------------------------------------------ */


/* Text wrapped into width columns at x, a line each. */
static void cv_text(struct tui_canvas *cv, int x, int width, const char *s, attr_t a)
{
	const char *p = s;
	do {
		char seg[1024];
		tui_take_line(&p, width, seg, sizeof(seg));
		int y = tui_canvas_next(cv);
		if (y >= 0)
			tui_put(y, x, width, seg, a);
	} while (*p);
}


/* --- time ---------------------------------------------------------------- */

/* Minutes since midnight of a "YYYY-MM-DD HH:MM" value; 0 when it has no
 * time of day. */
static int time_of_day(const char *s, int *min)
{
	int h, m;
	if (s == NULL || strlen(s) < 16 || s[10] != ' ' ||
	    sscanf(s + 11, "%2d:%2d", &h, &m) != 2)
		return 0;
	*min = h * 60 + m;
	return 1;
}

/* How long from a to b: minutes or hours when both carry a time of day,
 * else days ("same day" for none). Empty when unknown or backwards. */
static void elapsed(const char *a, const char *b, char *buf, size_t len)
{
	long d = a && b ? form_days_between(a, b) : LONG_MIN;
	int ma, mb;
	buf[0] = '\0';
	if (d == LONG_MIN || d < 0)
		return;
	if (time_of_day(a, &ma) && time_of_day(b, &mb)) {
		long mins = d * 1440 + mb - ma;
		if (mins < 0)
			return;
		if (mins < 60)
			snprintf(buf, len, _("+%ld min"), mins);
		else if (mins < 1440)
			snprintf(buf, len, _("+%ld h"), mins / 60);
		else
			snprintf(buf, len, _("+%ld d %ld h"), mins / 1440, mins % 1440 / 60);
	} else if (d == 0) {
		snprintf(buf, len, "%s", _("same day"));
	} else {
		snprintf(buf, len, _("+%ld d"), d);
	}
}

/* --- loading ----------------------------------------------------------- */

static void steps_free(struct report *r)
{
	for (size_t i = 0; i < r->nsteps; i++)
		store_record_free(&r->steps[i]);
	free(r->steps);
	r->steps = NULL;
	r->nsteps = 0;
}

/* Reads the report, its child's name and its steps again. */
static int load(struct tui *t, struct report *r, struct xb_error *err)
{
	struct store_record *rec = NULL, *child = NULL;
	int ret = ledger_record_read(t->st, t->user, STORE_REPORT, r->id, &rec, err);
	if (ret != XB_OK)
		return ret;
	store_record_free(&r->rec);
	r->rec = rec;
	snprintf(r->title, sizeof(r->title), _("Report %s"), r->id);
	const char *case_no = store_record_get(rec, FK_case_no);
	r->child[0] = '\0';
	if (case_no != NULL &&
	    store_get(t->st, NULL, STORE_CHILD, case_no, &child, NULL) == XB_OK &&
	    store_record_get(child, FK_name) != NULL)
		snprintf(r->child, sizeof(r->child), "%s", store_record_get(child, FK_name));
	store_record_free(&child);

	char prefix[112];
	snprintf(prefix, sizeof(prefix), "%s/", r->id);
	struct store_iter *it;
	if ((ret = store_iter_open(t->st, STORE_STEP, STORE_BY_ID, STORE_PREFIX, prefix,
				   &it, err)) != XB_OK)
		return ret;
	steps_free(r);
	struct store_record *s;
	size_t cap = 0;
	while ((ret = store_iter_next(it, &s, NULL, err)) == 1) {
		if (r->nsteps == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct store_record **ns = realloc(r->steps, ncap * sizeof(*ns));
			if (ns == NULL) {
				store_record_free(&s);
				ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
				break;
			}
			r->steps = ns;
			cap = ncap;
		}
		r->steps[r->nsteps++] = s;
	}
	store_iter_close(&it);
	if (ret < 0)
		return ret;
	return ledger_report_due(t->st, r->rec, t->today, &r->due, err);
}

static int closed(const struct report *r)
{
	const char *s = store_record_get(r->rec, FK_status);
	return s != NULL && strcmp(s, "closed") == 0;
}

/* --- drawing ----------------------------------------------------------- */

/* Row 1: which report, whose, its stage and status. */
static void draw_header(struct tui *t, struct report *r)
{
	int x = 1, right = t->cols - 1;
	const char *items[3] = { r->id, r->child, NULL };
	char stage[128], status[128];
	const struct form_field *fs = form_field_find(STORE_REPORT, FK_stage);
	const struct form_field *ft = form_field_find(STORE_REPORT, FK_status);
	const char *sv = form_field_text(r->rec, FK_stage);
	const char *tv = form_field_text(r->rec, FK_status);
	snprintf(stage, sizeof(stage), _("%s: %s"), form_label(fs), sv ? sv : "-");
	snprintf(status, sizeof(status), _("%s: %s"), form_label(ft), tv ? tv : "-");
	for (int i = 0; items[i] != NULL; i++) {
		if (!items[i][0] || x >= right)
			continue;
		int w = tui_width(items[i]);
		x += tui_put(1, x, w < right - x ? w : right - x, items[i],
			     tui_attr(t, i == 0 ? TUI_LABEL : TUI_NORMAL) | A_BOLD) + 3;
	}
	const char *parts[2] = { stage, status };
	for (int i = 0; i < 2 && x < right; i++) {
		int w = tui_width(parts[i]);
		attr_t a = tui_attr(t, i == 1 ? (closed(r) ? TUI_OK : TUI_WARN) : TUI_NORMAL);
		x += tui_put(1, x, w < right - x ? w : right - x, parts[i], a) + 3;
	}
}

/* Columns of the fields at the top: label width and half the screen. */
struct grid {
	int lw, half;
};

/* One field as label and value in a cell of width w at x. */
static void put_field(struct tui *t, int y, int x, int w, int lw,
		      const struct form_field *f, const char *v)
{
	tui_put(y, x, lw, form_label(f), tui_attr(t, TUI_LABEL));
	tui_put(y, x + lw + 1, w - lw - 1, v ? v : "-",
		tui_attr(t, v ? TUI_NORMAL : TUI_DIM));
}

/* Whether a value fits its half of a row. */
static int fits_half(const struct grid *g, const char *v)
{
	return tui_width(v ? v : "-") <= g->half - g->lw - 2;
}

/* The report's own fields from the schema: short ones two to a row when
 * both fit, notes across the screen, wrapped. The case number, stage and
 * status are in the header. */
static void cv_fields(struct tui *t, struct tui_canvas *cv, const struct report *r)
{
	size_t n;
	const struct form_field *f = form_fields(STORE_REPORT, &n);
	struct grid g = { 0, (t->cols - 4) / 2 };
	for (size_t i = 0; i < n; i++)
		if (tui_width(form_label(&f[i])) > g.lw)
			g.lw = tui_width(form_label(&f[i]));
	if (g.lw > t->cols / 3)
		g.lw = t->cols / 3;
	int full = t->cols - 4;
	const struct form_field *pending = NULL;
	for (size_t i = 0; i <= n; i++) {
		const struct form_field *fi = i < n ? &f[i] : NULL;
		if (fi && ((fi->flags & (FORM_HIDDEN | FORM_SYSTEM)) || fi->type == FORM_REF))
			continue;
		const char *v = fi ? form_value_text(fi, store_record_get(r->rec, fi->key)) : NULL;
		int wide = fi && (fi->type == FORM_NOTE || !fits_half(&g, v));
		/* The one waiting for a partner goes alone when none comes. */
		if (pending && (fi == NULL || wide)) {
			int y = tui_canvas_next(cv);
			const char *pv = form_value_text(pending, store_record_get(r->rec, pending->key));
			if (y >= 0)
				put_field(t, y, 1, full, g.lw, pending, pv);
			pending = NULL;
		}
		if (fi == NULL)
			break;
		if (wide) {
			int y = tui_canvas_next(cv);
			const char *p = v ? v : "-";
			char seg[1024];
			tui_take_line(&p, full - g.lw - 1, seg, sizeof(seg));
			if (y >= 0)
				put_field(t, y, 1, full, g.lw, fi, v ? seg : NULL);
			if (*p)
				cv_text(cv, 1 + g.lw + 1, full - g.lw - 1, p, tui_attr(t, TUI_NORMAL));
		} else if (pending) {
			int y = tui_canvas_next(cv);
			const char *pv = form_value_text(pending, store_record_get(r->rec, pending->key));
			if (y >= 0) {
				put_field(t, y, 1, g.half, g.lw, pending, pv);
				put_field(t, y, 1 + g.half + 1, g.half, g.lw, fi, v);
			}
			pending = NULL;
		} else {
			pending = fi;
		}
	}
}

/* Columns of the timeline. */
struct tl {
	int xdate, xwhat, ww, xtook, xby, wby;
};

/* One event of the timeline: when, what, how long after the one before,
 * who; its note wrapped below, under the "what". */
static void cv_event(struct tui *t, struct tui_canvas *cv, const struct tl *c,
		     const char *date, const char *what, const char *took,
		     const char *by, const char *note, attr_t a)
{
	int y = tui_canvas_next(cv);
	if (y >= 0) {
		tui_put(y, c->xdate, 16, date ? date : "-", a);
		tui_put(y, c->xwhat, c->ww, what, a | A_BOLD);
		tui_put(y, c->xtook, 12, took ? took : "", tui_attr(t, TUI_DIM));
		tui_put(y, c->xby, c->wby, by ? by : "", a);
	}
	if (note != NULL)
		cv_text(cv, c->xwhat + 2, t->cols - 3 - (c->xwhat + 2), note,
			tui_attr(t, TUI_NORMAL));
}

/* The timeline's columns: the "what" as wide as the longest step label
 * (at most 20), who acted in what is left. */
static struct tl timeline_cols(struct tui *t, const struct form_field *fstep)
{
	struct tl c;
	c.xdate = 2;
	c.xwhat = c.xdate + 18;
	c.ww = 0;
	for (const struct form_choice *ch = fstep->choices; ch->code; ch++)
		if (tui_width(form_choice_label(fstep, ch->code)) > c.ww)
			c.ww = tui_width(form_choice_label(fstep, ch->code));
	if (c.ww > 20)
		c.ww = 20;
	c.xtook = c.xwhat + c.ww + 2;
	c.xby = c.xtook + 13;
	c.wby = t->cols - 3 - c.xby;
	return c;
}

/* The step "reported" of the report, or NULL. */
static const struct store_record *reported_step(const struct report *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		const char *st = store_record_get(r->steps[i], FK_step);
		if (st != NULL && strcmp(st, "reported") == 0)
			return r->steps[i];
	}
	return NULL;
}

/* The event of reporting to the police, due the same day as found: when
 * it was reported, how long after and by whom (a step "reported" gives
 * who and a note, else the reporting body), late in red; or, not yet
 * reported, a warning. */
static void cv_reported(struct tui *t, struct tui_canvas *cv, const struct report *r,
			const struct tl *c, const struct form_field *fstep,
			const struct store_record *rstep)
{
	const char *found = store_record_get(r->rec, FK_found_at);
	const char *reported = store_record_get(r->rec, FK_reported_at);
	const char *what = form_choice_label(fstep, "reported");
	int xnote = c->xwhat + 2, wnote = t->cols - 3 - (c->xwhat + 2);
	char buf[256];
	if (reported != NULL) {
		long late = found ? form_days_between(found, reported) : LONG_MIN;
		const char *by = rstep ? store_record_get(rstep, FK_by)
				       : store_record_get(r->rec, FK_reporter);
		char took[64];
		elapsed(found, reported, took, sizeof(took));
		int is_late = late != LONG_MIN && late > 0;
		cv_event(t, cv, c, reported, what, took, by,
			 rstep ? store_record_get(rstep, FK_note) : NULL,
			 tui_attr(t, is_late ? TUI_ERROR : TUI_NORMAL));
		if (is_late) {
			snprintf(buf, sizeof(buf),
				 _("Late: reported %ld days after it was found; due the same day."),
				 late);
			cv_text(cv, xnote, wnote, buf, tui_attr(t, TUI_ERROR));
		}
		return;
	}
	/* Due today: a warning; past the day found: overdue. A closed report
	 * that never went to the police just says so. */
	long since = found ? form_days_between(found, t->today) : LONG_MIN;
	int overdue = !closed(r) && since != LONG_MIN && since > 0;
	attr_t a = tui_attr(t, overdue ? TUI_ERROR : TUI_WARN);
	/* The warning takes the columns of "how long" and "who". */
	struct tl wide = *c;
	wide.xby = c->xtook;
	wide.wby = t->cols - 3 - c->xtook;
	cv_event(t, cv, &wide, NULL, what, NULL,
		 closed(r) ? _("not reported to police")
			   : _("NOT YET REPORTED - due at once, the same day"),
		 NULL, a);
	if (overdue) {
		snprintf(buf, sizeof(buf), _("Overdue: found %ld days ago."), since);
		cv_text(cv, xnote, wnote, buf, a);
	}
}

/* The steps of handling after the report (the step "reported" is shown
 * with the reporting), each with how long after the one before; or, with
 * none, a line saying how to add one. */
static void cv_steps(struct tui *t, struct tui_canvas *cv, const struct report *r,
		     const struct tl *c, const struct store_record *rstep)
{
	const char *reported = store_record_get(r->rec, FK_reported_at);
	const char *prev = reported ? reported : store_record_get(r->rec, FK_found_at);
	char took[64];
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct store_record *s = r->steps[i];
		if (s == rstep)
			continue;
		const char *date = store_record_get(s, FK_date);
		elapsed(prev, date, took, sizeof(took));
		cv_event(t, cv, c, date, form_field_text(s, FK_step), took,
			 store_record_get(s, FK_by), store_record_get(s, FK_note),
			 tui_attr(t, TUI_NORMAL));
		if (date != NULL)
			prev = date;
	}
	if (r->nsteps == 0 || (r->nsteps == 1 && rstep != NULL)) {
		tui_canvas_next(cv);
		int y = tui_canvas_next(cv);
		if (y >= 0)
			tui_put(y, c->xdate, t->cols - 3 - c->xdate,
				closed(r) ? "" : _("No step of handling yet. F3 or a: add one."),
				tui_attr(t, TUI_DIM));
	}
}

/* The township's next deadline under the timeline, in words (days left,
 * or late) and in the warning colour, or the error colour once late. */
static void cv_due(struct tui *t, struct tui_canvas *cv, const struct report *r,
		   const struct tl *c)
{
	char line[256];
	ledger_due_text(&r->due, line, sizeof(line));
	if (line[0] == '\0')
		return;
	tui_canvas_next(cv);
	cv_text(cv, c->xdate, t->cols - 3 - c->xdate, line,
		tui_attr(t, r->due.days_left < 0 ? TUI_ERROR : TUI_WARN) | A_BOLD);
}

/* The report's body on a canvas (arg: the report): its fields, then the
 * timeline: found, reported to the police, the steps of handling. */
static void body(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct report *r = arg;
	cv_fields(t, cv, r);
	tui_canvas_next(cv);
	int y = tui_canvas_next(cv);
	if (y >= 0)
		tui_put(y, 1, t->cols - 4, _("Timeline"), tui_attr(t, TUI_LABEL) | A_BOLD);

	const struct form_field *fstep = form_field_find(STORE_STEP, FK_step);
	struct tl c = timeline_cols(t, fstep);
	/* "found" is the report's stage, never a step's choice */
	cv_event(t, cv, &c, store_record_get(r->rec, FK_found_at),
		 form_choice_label(form_field_find(STORE_REPORT, FK_stage), "found"), NULL,
		 store_record_get(r->rec, FK_found_by), NULL, tui_attr(t, TUI_NORMAL));
	const struct store_record *rstep = reported_step(r);
	cv_reported(t, cv, r, &c, fstep, rstep);
	cv_steps(t, cv, r, &c, rstep);
	cv_due(t, cv, r, &c);
}

static void report_draw(struct tui *t, void *data)
{
	struct report *r = data;
	draw_header(t, r);
	tui_canvas_draw(t, BODY_TOP, t->cols - 2, &r->scroll, body, r);
}

/* --- keys -------------------------------------------------------------- */

/* What to correct: the report's police station, receipt number and
 * description, or one of its steps, picked from a list; its form opens
 * filled in. */
static void correct(struct tui *t, struct report *r)
{
	int n = (int)r->nsteps + 1;
	char **items = calloc((size_t)n, sizeof(*items));
	if (items == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	int ok = (items[0] = strdup(_("The report: police station, receipt number, "
				      "description"))) != NULL;
	for (int i = 1; ok && i < n; i++) {
		const struct store_record *st = r->steps[i - 1];
		const char *by = store_record_get(st, FK_by);
		char line[256];
		snprintf(line, sizeof(line), "%s  %s  %s", store_record_get(st, FK_date),
			 form_field_text(st, FK_step), by ? by : "");
		ok = (items[i] = strdup(line)) != NULL;
	}
	int pick = ok ? tui_pick(t, _("Correct what?"), (const char *const *)items, n, 0) : -1;
	for (int i = 0; i < n; i++)
		free(items[i]);
	free(items);
	if (!ok) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	if (pick < 0)
		return;
	const struct store_record *was = pick == 0 ? r->rec : r->steps[pick - 1];
	struct store_record *fresh = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	if (store_get(t->st, NULL, was->kind, was->id, &fresh, &err) != XB_OK)
		tui_error(t, &err);
	else
		tui_form_open(t, fresh->kind, NULL, fresh);
}

static int report_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct report *r = data;
	int page = t->rows - 3 - BODY_TOP;
	if (tui_key_is(k, KEY_F(3), "asAS")) {
		if (tui_refuse_foreign(t, r->rec))
			; /* a township's report at the county: read-only */
		else if (closed(r))
			tui_message(t, 1, _("Report %s is closed; no step can follow."), r->id);
		else
			tui_form_open(t, STORE_STEP, r->id, NULL);
		return TUI_HANDLED;
	} else if (tui_key_is(k, KEY_F(4), "cC")) {
		if (!tui_refuse_foreign(t, r->rec))
			correct(t, r);
		return TUI_HANDLED;
	} else if (tui_key_is(k, KEY_F(8), "hH")) {
		tui_history_open(t, r->id);
		return TUI_HANDLED;
	} else if (!tui_scroll_key(k, &r->scroll, page)) {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void report_resume(struct tui *t, void *data)
{
	struct xb_error err;
	xb_error_clear(&err);
	if (load(t, data, &err) != XB_OK)
		tui_error(t, &err);
}

static void report_free(void *data)
{
	struct report *r = data;
	if (r == NULL)
		return;
	store_record_free(&r->rec);
	steps_free(r);
	free(r);
}

static const char *report_title(struct tui *t, void *data)
{
	(void)t;
	return ((struct report *)data)->title;
}

static const struct tui_screen_ops report_ops = {
	.draw = report_draw,
	.key = report_key,
	.resume = report_resume,
	.free = report_free,
	.keys = report_keys,
	.title = report_title,
};

void tui_report_open(struct tui *t, const char *report_id)
{
	struct report *r = calloc(1, sizeof(*r));
	if (r == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	snprintf(r->id, sizeof(r->id), "%s", report_id);
	struct xb_error err;
	xb_error_clear(&err);
	int ret = load(t, r, &err);
	if (ret == XB_ENOTFOUND)
		tui_message(t, 1, _("No record %s."), report_id);
	else if (ret != XB_OK)
		tui_error(t, &err);
	if (ret != XB_OK) {
		report_free(r);
		return;
	}
	tui_push(t, &report_ops, r);
}
