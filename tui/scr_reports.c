/* scr_reports.c - the list of mandatory reports (强制报告): open ones, of
 * one stage or not yet reported to the police, oldest first; those whose
 * report to the police is overdue stand out, and each open one shows
 * what the township owes next, with the days left or late (评估 剩3天).
 * Reports are few (about 5 in
 * 100 children), so the list is loaded whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* A row's next deadline as its cell shows it, read when first drawn. */
struct due_cell {
	char text[48]; /* "" for none */
	char read, late;
};

struct reports {
	char *stage;                 /* a stage code, or NULL for any */
	int unsent;                  /* only those not reported to the police */
	int closed;                  /* closed ones too */
	struct store_record **recs;  /* the matching reports, oldest first */
	char **names;                /* the child's name per row, read when drawn */
	struct due_cell *dues;       /* the next deadline per row, likewise */
	int n, cap, sel, first;
	char title[256];
};

static const struct tui_keyhelp reports_keys[] = {
	{ "Enter", N_("open"), 1 },
	{ "c", N_("closed ones too"), 1 },
	{ "p", N_("print"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ "PgDn PgUp Space b", N_("a screenful down or up"), 0 },
	{ "Home End g G", N_("first or last report"), 0 },
	{ NULL, NULL, 0 },
};

/* Frees the loaded reports and cached names. */
static void reports_clear(struct reports *r)
{
	for (int i = 0; i < r->n; i++) {
		store_record_free(&r->recs[i]);
		free(r->names[i]);
	}
	r->n = 0;
}

/* Whether a report is closed. */
static int is_closed(const struct store_record *rec)
{
	const char *s = store_record_get(rec, FK_status);
	return s != NULL && strcmp(s, "closed") == 0;
}

/* Not reported to the police although found before today. */
static int overdue(const struct store_record *rec, const char *today)
{
	const char *found = store_record_get(rec, FK_found_at);
	return !is_closed(rec) && store_record_get(rec, FK_reported_at) == NULL &&
	       found != NULL && strncmp(found, today, 10) < 0;
}

/* Reads the matching reports as the ledger lets this user see them
 * (ledger_reports_read: what p prints too); keeps the selection on the
 * same report. */
static void load(struct tui *t, struct reports *r)
{
	char *keep_id = r->n > 0 ? strdup(r->recs[r->sel]->id) : NULL;
	struct store_record **recs = NULL;
	size_t n = 0;
	struct xb_error err;
	xb_error_clear(&err);
	reports_clear(r);
	const struct ledger_reports_filter f = { r->stage, r->unsent, r->closed };
	int ret = ledger_reports_read(t->st, t->user, &f, &recs, &n, &err);
	if (ret == XB_OK && n > (size_t)r->cap) {
		struct store_record **p = realloc(r->recs, n * sizeof(*p));
		char **q = p ? realloc(r->names, n * sizeof(*q)) : NULL;
		struct due_cell *d = q ? realloc(r->dues, n * sizeof(*d)) : NULL;
		if (p != NULL)
			r->recs = p;
		if (q != NULL)
			r->names = q;
		if (d != NULL) {
			r->dues = d;
			r->cap = (int)n;
		} else {
			store_records_free(recs, n);
			n = 0;
			ret = xb_fail(&err, XB_EFAIL, "%s", _("Out of memory."));
		}
	}
	/* A user disabled meanwhile sees an empty list, the refusal told. */
	if (ret != XB_OK)
		tui_error(t, &err);
	for (size_t i = 0; ret == XB_OK && i < n; i++) {
		r->recs[i] = recs[i];
		r->names[i] = NULL;
		r->dues[i].read = 0;
	}
	if (ret == XB_OK)
		r->n = (int)n;
	free(recs);
	r->sel = 0;
	for (int i = 0; keep_id != NULL && i < r->n; i++)
		if (strcmp(r->recs[i]->id, keep_id) == 0)
			r->sel = i;
	free(keep_id);
}

/* The child's name of row i, read once. */
static const char *child_name(struct tui *t, struct reports *r, int i)
{
	if (r->names[i] == NULL) {
		struct store_record *c = NULL;
		struct xb_error err;
		const char *case_no = store_record_get(r->recs[i], FK_case_no);
		const char *name = NULL;
		if (case_no != NULL &&
		    store_get(t->st, NULL, STORE_CHILD, case_no, &c, &err) == XB_OK)
			name = store_record_get(c, FK_name);
		r->names[i] = strdup(name ? name : "?");
		store_record_free(&c);
	}
	return r->names[i] ? r->names[i] : "?";
}

/* The next deadline of row i as a cell ("" for none, "?" when it could
 * not be read), read once. */
static const struct due_cell *due_of(struct tui *t, struct reports *r, int i)
{
	struct due_cell *c = &r->dues[i];
	if (!c->read) {
		struct ledger_due due;
		struct xb_error err;
		xb_error_clear(&err);
		if (ledger_report_due(t->st, r->recs[i], t->today, &due, &err) == XB_OK) {
			ledger_due_short(&due, c->text, sizeof(c->text));
			c->late = due.stage[0] != '\0' && due.days_left < 0;
		} else {
			snprintf(c->text, sizeof(c->text), "?");
		}
		c->read = 1;
	}
	return c;
}

/* The label of a field in the user's language. */
static const char *report_label(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	return f ? form_label(f) : key;
}

/* What the list shows, in words. */
static const char *what_label(const struct reports *r, char *buf, size_t len)
{
	const struct form_field *f = form_field_find(STORE_REPORT, FK_stage);
	const char *base = r->unsent ? _("Not yet reported to police")
			   : r->closed ? _("All reports") : _("Reports open");
	if (r->stage != NULL)
		snprintf(buf, len, "%s: %s", base, form_choice_label(f, r->stage));
	else
		snprintf(buf, len, "%s", base);
	return buf;
}

/* The title: which reports and how many. */
static const char *reports_title(struct tui *t, void *data)
{
	struct reports *r = data;
	char what[160];
	(void)t;
	snprintf(r->title, sizeof(r->title), _("Reports: %s (%d)"),
		 what_label(r, what, sizeof(what)), r->n);
	return r->title;
}

enum col { C_ID, C_NAME, C_CATEGORY, C_FOUND, C_STAGE, C_DUE, C_DAYS, C_COUNT };

struct layout {
	int x[C_COUNT], w[C_COUNT];
};

/* Columns for the terminal's width: the next deadline as wide as its
 * widest cell (two-digit days late); the time found only when the name,
 * category and stage still have their 34 columns (not at 80: the days
 * since found say how old a report is, the report's screen when); more
 * widen the name, category and stage. A column of width 0 is left out. */
static void layout(const struct tui *t, struct layout *l)
{
	int *w = l->w;
	struct ledger_due widest = { "assessment", "", "", -99 };
	char cell[64];
	ledger_due_short(&widest, cell, sizeof(cell));
	w[C_ID] = 21;
	w[C_DUE] = tui_width(cell) > tui_width(_("Next due")) ? tui_width(cell)
								  : tui_width(_("Next due"));
	w[C_DAYS] = tui_width(_("Days")) > 4 ? tui_width(_("Days")) : 4;
	int rest = t->cols - w[C_ID] - w[C_DUE] - w[C_DAYS] - (C_COUNT - 2);
	w[C_FOUND] = rest - 17 >= 34 ? 16 : 0;
	if (w[C_FOUND] > 0)
		rest -= 17;
	int extra = rest - 34, third = extra > 0 ? extra / 3 : 0;
	w[C_NAME] = 8 + (third < 4 ? third : 4);
	w[C_CATEGORY] = 12 + (third < 8 ? third : 8);
	w[C_STAGE] = rest - w[C_NAME] - w[C_CATEGORY];
	if (w[C_STAGE] < 4)
		w[C_STAGE] = 4;
	int x = 0;
	for (int i = 0; i < C_COUNT; i++) {
		l->x[i] = x;
		x += w[i] > 0 ? w[i] + 1 : 0;
	}
}

/* Rows of reports the screen shows. */
static int page_rows(const struct tui *t)
{
	int n = t->rows - 8;
	return n < 1 ? 1 : n;
}

/* Report i on row y: overdue ones in the warning colour, closed ones dim. */
static void draw_row(struct tui *t, struct reports *r, const struct layout *l, int y,
		     int i)
{
	const struct store_record *rec = r->recs[i];
	int selected = i == r->sel;
	attr_t a = tui_attr(t, selected ? TUI_SELECTED
			    : overdue(rec, t->today) ? TUI_WARN
			    : is_closed(rec) ? TUI_DIM : TUI_NORMAL);
	if (selected && overdue(rec, t->today))
		a |= A_BOLD;
	const struct form_field *cat = form_field_find(STORE_REPORT, FK_category);
	const struct form_field *stage = form_field_find(STORE_REPORT, FK_stage);
	const char *found = store_record_get(rec, FK_found_at);
	const char *v;
	char buf[32];

	tui_fill(y, 0, t->cols, a);
	tui_put(y, l->x[C_ID], l->w[C_ID], rec->id, a);
	tui_put(y, l->x[C_NAME], l->w[C_NAME], child_name(t, r, i), a);
	v = store_record_get(rec, FK_category);
	tui_put(y, l->x[C_CATEGORY], l->w[C_CATEGORY], v ? form_choice_label(cat, v) : "-", a);
	tui_put(y, l->x[C_FOUND], l->w[C_FOUND], found ? found : "-", a);
	v = store_record_get(rec, FK_stage);
	tui_put(y, l->x[C_STAGE], l->w[C_STAGE], v ? form_choice_label(stage, v) : "-", a);
	/* the next deadline in words, and its colour: the error's once late */
	const struct due_cell *due = due_of(t, r, i);
	tui_put(y, l->x[C_DUE], l->w[C_DUE], due->text,
		selected || due->text[0] == '\0' ? a
		: tui_attr(t, due->late ? TUI_ERROR : TUI_WARN));
	long days = found ? form_days_between(found, t->today) : -1;
	if (days >= 0)
		snprintf(buf, sizeof(buf), "%ld", days);
	else
		snprintf(buf, sizeof(buf), "-");
	tui_put_right(y, l->x[C_DAYS], l->w[C_DAYS], buf, a);
}

/* The two lines under the rows: the police side of the selected report. */
static void draw_detail(struct tui *t, const struct reports *r, int y)
{
	if (r->n == 0)
		return;
	const struct store_record *rec = r->recs[r->sel];
	const char *reported = store_record_get(rec, FK_reported_at);
	char line[512];
	if (overdue(rec, t->today)) {
		tui_put_wrapped(y, 0, t->cols, 2, _("Overdue: the report to the police is due "
						   "the same day the case is found."),
				tui_attr(t, TUI_WARN));
		return;
	}
	if (reported == NULL && !is_closed(rec)) {
		tui_put_wrapped(y, 0, t->cols, 2, _("Not yet reported to the police: due today."),
				tui_attr(t, TUI_WARN));
		return;
	}
	const char *station = store_record_get(rec, FK_police_station);
	const char *receipt = store_record_get(rec, FK_receipt_no);
	snprintf(line, sizeof(line), "%s %s  %s %s  %s %s",
		 report_label(STORE_REPORT, FK_reported_at), reported ? reported : "-",
		 report_label(STORE_REPORT, FK_police_station), station ? station : "-",
		 report_label(STORE_REPORT, FK_receipt_no), receipt ? receipt : "-");
	tui_put_wrapped(y, 0, t->cols, 2, line, tui_attr(t, TUI_DIM));
}

/* Draws what is shown, the column names, the rows and the detail lines. */
static void reports_draw(struct tui *t, void *data)
{
	struct reports *r = data;
	struct layout l;
	int top = 4, max = page_rows(t);
	char line[256], what[160];

	if (r->sel >= r->n)
		r->sel = r->n > 0 ? r->n - 1 : 0;
	if (r->sel < r->first)
		r->first = r->sel;
	if (r->sel >= r->first + max)
		r->first = r->sel - max + 1;
	if (r->first > 0 && r->first + max > r->n)
		r->first = r->n - max > 0 ? r->n - max : 0;
	layout(t, &l);

	snprintf(line, sizeof(line), _("Showing: %s   c: %s"), what_label(r, what, sizeof(what)),
		 r->closed ? _("hide closed ones") : _("show closed ones too"));
	tui_put(2, 0, t->cols, line, tui_attr(t, TUI_LABEL));
	attr_t h = tui_attr(t, TUI_LABEL) | A_BOLD;
	const char *heads[C_COUNT] = {
		report_label(STORE_STEP, FK_report_id), report_label(STORE_CHILD, FK_name),
		report_label(STORE_REPORT, FK_category), report_label(STORE_REPORT, FK_found_at),
		report_label(STORE_REPORT, FK_stage), _("Next due"), _("Days"),
	};
	tui_fill(3, 0, t->cols, h);
	for (int i = 0; i < C_COUNT; i++) {
		if (i == C_DAYS)
			tui_put_right(3, l.x[i], l.w[i], heads[i], h);
		else
			tui_put(3, l.x[i], l.w[i], heads[i], h);
	}
	for (int i = 0; i < max && r->first + i < r->n; i++)
		draw_row(t, r, &l, top + i, r->first + i);
	if (r->n == 0)
		tui_put(top + 1, 2, t->cols - 4, _("No reports in this list."),
			tui_attr(t, TUI_DIM));
	draw_detail(t, r, t->rows - 4);
}

/* Moves, opens a report, shows or hides closed ones. */
static int reports_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct reports *r = data;
	int max = page_rows(t);
	if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (r->sel < r->n - 1)
			r->sel++;
	} else if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (r->sel > 0)
			r->sel--;
	} else if (k->code == KEY_NPAGE || tui_key_is(k, 0, " ")) {
		r->sel = r->sel + max < r->n ? r->sel + max : r->n - 1;
		r->first += max;
	} else if (k->code == KEY_PPAGE || tui_key_is(k, 0, "b")) {
		r->sel = r->sel > max ? r->sel - max : 0;
		r->first = r->first > max ? r->first - max : 0;
	} else if (k->code == KEY_HOME || tui_key_is(k, 0, "g")) {
		r->sel = 0;
	} else if (k->code == KEY_END || tui_key_is(k, 0, "G")) {
		r->sel = r->n > 0 ? r->n - 1 : 0;
	} else if (tui_key_enter(k)) {
		if (r->n > 0) {
			char *id = strdup(r->recs[r->sel]->id);
			if (id != NULL)
				tui_report_open(t, id);
			free(id);
		}
	} else if (tui_key_is(k, 0, "c")) {
		r->closed = !r->closed;
		load(t, r);
	} else if (tui_key_is(k, 0, "p")) {
		/* the reports shown: the same filter, read as the ledger lets
		 * this user see them */
		const struct ledger_reports_filter f = { r->stage, r->unsent, r->closed };
		tui_print_reports(t, &f);
	} else {
		return TUI_UNHANDLED;
	}
	if (r->sel < 0)
		r->sel = 0;
	return TUI_HANDLED;
}

/* Back from a report: its stage or status may have changed. */
static void reports_resume(struct tui *t, void *data)
{
	load(t, data);
}

/* Frees the screen's reports and state. */
static void reports_free(void *data)
{
	struct reports *r = data;
	if (r == NULL)
		return;
	reports_clear(r);
	free(r->recs);
	free(r->names);
	free(r->dues);
	free(r->stage);
	free(r);
}

static const struct tui_screen_ops reports_ops = {
	.draw = reports_draw,
	.key = reports_key,
	.resume = reports_resume,
	.free = reports_free,
	.keys = reports_keys,
	.title = reports_title,
};

/* Opens the list of open reports, of one stage or not yet sent to the police. */
void tui_reports_open(struct tui *t, const char *stage, int unsent)
{
	struct reports *r = calloc(1, sizeof(*r));
	if (r == NULL || (stage != NULL && (r->stage = strdup(stage)) == NULL)) {
		free(r);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	r->unsent = unsent;
	load(t, r);
	tui_push(t, &reports_ops, r);
}
