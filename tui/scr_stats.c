/* scr_stats.c - the statistics screen (统计报表): the period table an
 * office files with the county, counted by stats/ and laid out as the
 * paper forms and `xiangban stats` lay it out: the columns as lines down
 * the left under their groups, the villages, members or townships across
 * with the total (合计) last and always in view. The period is stepped,
 * switched between month, quarter and year, or typed; it opens on the
 * last closed month, the one an office files at the start of a month.
 * The table is written as a PDF or an .xlsx (print/ and sheets/ make
 * them) to the stick, or printed. Nothing here counts: every figure is
 * the library's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "private.h"
#include "../common/i18n.h"
#include "../forms/forms.h"
#include "../print/print.h"
#include "../sheets/sheets.h"
#include "../stats/stats.h"

/* Rows above the scrolling lines: the period's line and the names
 * across. */
#define INFO_ROW 1
#define HEAD_ROW 2
#define BODY_TOP 3
/* A figure's cell: a space, then up to nine columns. */
#define CELL 10
/* Tables kept besides the one shown: [ then ] costs one count, not two. */
#define KEPT 4

struct stats_view {
	struct stats_period p;
	enum stats_by by;
	struct stats_table *tab; /* NULL while none is counted */
	int counting;
	/* The month last looked at: switching back to months returns to it. */
	int anchor_y, anchor_m;
	int scroll; /* the first line in view */
	int first;  /* the first table row across */
	uint64_t generation; /* of the ledger when counted */
	/* Tables shown before, newest first, with their generations. */
	struct {
		struct stats_table *tab;
		uint64_t generation;
	} kept[KEPT];
	char title[128];
	/* Why there is no table: kept in the body until one is counted. */
	char problem[512];
};

static const struct tui_keyhelp stats_keys[] = {
	{ "[ ]", N_("previous, next"), 1 },
	{ "m q y", N_("month, quarter, year"), 1 },
	{ "b", N_("by what"), 1 },
	{ "w", N_("write"), 1 },
	{ "p", N_("print"), 1 },
	{ "e", N_("type a period"), 1 },
	/* Esc is every screen's: a second hint row for it would cost the
	 * table a row at 80 columns. */
	{ "Esc", N_("back"), 0 },
	{ "t", N_("this month"), 0 },
	{ "← → h l", N_("across the villages, members or townships"), 0 },
	{ "↑↓ PgUp PgDn", N_("scroll"), 0 },
	{ "Ctrl-R", N_("count again"), 0 },
	{ NULL, NULL, 0 },
};

/* What the table may be counted by here, in the order b cycles them:
 * a township (9 digits) by village or member, a county (6) by township,
 * a city (4) by county or township. */
static const enum stats_by township_bys[] = { STATS_BY_NONE, STATS_BY_VILLAGE,
					      STATS_BY_MEMBER };
static const enum stats_by county_bys[] = { STATS_BY_NONE, STATS_BY_TOWNSHIP };
static const enum stats_by city_bys[] = { STATS_BY_NONE, STATS_BY_COUNTY,
					  STATS_BY_TOWNSHIP };
#define NBYS(a) (sizeof(a) / sizeof((a)[0]))

static enum stats_by next_by(const struct tui *t, enum stats_by by)
{
	size_t digits = strlen(t->office), n = NBYS(township_bys);
	const enum stats_by *list = township_bys;
	if (digits == 6)
		list = county_bys, n = NBYS(county_bys);
	else if (digits == 4)
		list = city_bys, n = NBYS(city_bys);
	for (size_t i = 0; i < n; i++)
		if (list[i] == by)
			return list[(i + 1) % n];
	return list[0];
}

static const char *by_label(enum stats_by by)
{
	switch (by) {
	case STATS_BY_NONE: return _("Total only");
	case STATS_BY_VILLAGE: return _("By village");
	case STATS_BY_MEMBER: return _("By responsible member");
	case STATS_BY_TOWNSHIP: return _("By township");
	case STATS_BY_COUNTY: return _("By county");
	}
	return "";
}

static void set_title(struct stats_view *s)
{
	char period[64];
	stats_period_title(&s->p, period, sizeof(period));
	snprintf(s->title, sizeof(s->title), _("Statistics %s"), period);
}

/* Shows a sentence in a box until a key: what the status line would
 * cut (a long refusal, a whole path). */
static void tell(struct tui *t, const char *text)
{
	tui_ask(t, text, _("Press Enter."), " ");
}

/* An error on the status line, and in a box as well when the line
 * cannot hold all of it. */
static void show_error(struct tui *t, const struct xb_error *err)
{
	tui_error(t, err);
	if (tui_width(t->msg) > t->cols)
		tell(t, err->msg);
}

/* Puts the table shown among those kept (the oldest freed), so that
 * stepping back to it costs no second pass over the ledger. */
static void keep_shown(struct stats_view *s)
{
	if (s->tab == NULL)
		return;
	stats_table_free(&s->kept[KEPT - 1].tab);
	memmove(&s->kept[1], &s->kept[0], (KEPT - 1) * sizeof(s->kept[0]));
	s->kept[0].tab = s->tab;
	s->kept[0].generation = s->generation;
	s->tab = NULL;
}

/* A table kept of the period and grouping shown, counted when the
 * ledger was at generation gen; taken out of the kept ones. */
static struct stats_table *take_kept(struct stats_view *s, uint64_t gen)
{
	for (int i = 0; i < KEPT; i++) {
		struct stats_table *k = s->kept[i].tab;
		if (k == NULL || s->kept[i].generation != gen || k->by != s->by ||
		    k->period.kind != s->p.kind || strcmp(k->period.from, s->p.from) != 0 ||
		    strcmp(k->period.to, s->p.to) != 0)
			continue;
		memmove(&s->kept[i], &s->kept[i + 1], (size_t)(KEPT - 1 - i) * sizeof(s->kept[0]));
		s->kept[KEPT - 1].tab = NULL;
		return k;
	}
	return NULL;
}

/* Shows the table of the period and grouping shown: one kept from
 * before when the ledger has not changed since (unless fresh), else
 * counted, with a line saying so while stats_compute makes its pass over
 * the ledger. On failure no table is shown (an old period's figures
 * under a new title would mislead) and the reason stays in the body. */
static void count(struct tui *t, struct stats_view *s, int fresh)
{
	struct xb_error err;
	xb_error_clear(&err);
	keep_shown(s);
	s->problem[0] = '\0';
	set_title(s);
	uint64_t gen = 0;
	int known = store_generation(t->st, &gen, &err) == XB_OK;
	xb_error_clear(&err);
	if (known && !fresh && (s->tab = take_kept(s, gen)) != NULL) {
		s->generation = gen;
		return;
	}
	s->counting = 1;
	const char *counting = _("Counting...");
	tui_message(t, 0, "%s", counting);
	tui_redraw(t);
	int ret = stats_compute(t->st, &s->p, s->by, t->user, &s->tab, &err);
	s->counting = 0;
	if (strcmp(t->msg, counting) == 0)
		t->msg[0] = '\0';
	if (ret != XB_OK) {
		stats_table_free(&s->tab);
		snprintf(s->problem, sizeof(s->problem), "%s",
			 err.msg[0] ? err.msg : _("Something failed."));
		show_error(t, &err);
		/* Ctrl-R counts again rather than repeating the key that
		 * moved the period. */
		if (t->can_retry)
			t->retry = (struct tui_key){ 0, TUI_CTRL('r') };
		return;
	}
	/* A generation unknown matches nothing kept: never reused. */
	s->generation = known ? gen : UINT64_MAX;
}

/* Shows period p: counted at once. */
static void show_period(struct tui *t, struct stats_view *s, const struct stats_period *p)
{
	s->p = *p;
	if (p->kind == STATS_MONTH) {
		int d;
		form_parse_date(p->from, &s->anchor_y, &s->anchor_m, &d);
	}
	count(t, s, 0);
}

/* The month to switch around: the one last looked at when the period
 * holds it, else the period's last month up to this one. */
static void pivot_month(const struct tui *t, const struct stats_view *s, int *y, int *m)
{
	char anchor[11];
	snprintf(anchor, sizeof(anchor), "%04d-%02d-01", s->anchor_y, s->anchor_m);
	int d;
	if (strcmp(anchor, s->p.from) >= 0 && strcmp(anchor, s->p.to) <= 0) {
		*y = s->anchor_y;
		*m = s->anchor_m;
		return;
	}
	const char *last = strcmp(s->p.to, t->today) > 0 && strcmp(s->p.from, t->today) <= 0
				   ? t->today : s->p.to;
	form_parse_date(last, y, m, &d);
}

/* m, q or y: the month, quarter or year holding the pivot month. */
static void switch_kind(struct tui *t, struct stats_view *s, enum stats_period_kind kind)
{
	int y, m;
	pivot_month(t, s, &y, &m);
	char label[24];
	if (kind == STATS_MONTH)
		snprintf(label, sizeof(label), "%04d-%02d", y, m);
	else if (kind == STATS_QUARTER)
		snprintf(label, sizeof(label), "%04d-Q%d", y, (m + 2) / 3);
	else
		snprintf(label, sizeof(label), "%04d", y);
	struct stats_period p;
	struct xb_error err;
	xb_error_clear(&err);
	if (stats_period_parse(label, &p, &err) != XB_OK) {
		show_error(t, &err);
		return;
	}
	s->first = 0;
	show_period(t, s, &p);
}

/* Splits what was typed into one period or two dates: the dates may be
 * joined by a space, "..", "~", ",", 至 or 到. Returns the number of
 * words (0 to 3, 3 meaning too many); a and b point into buf. */
static int split_dates(const char *text, char *buf, size_t len, char **a, char **b)
{
	static const char *const seps[] = { "..", "~", ",", "，", "至", "到", NULL };
	snprintf(buf, len, "%s", text);
	for (int i = 0; seps[i]; i++) {
		size_t n = strlen(seps[i]);
		for (char *p = strstr(buf, seps[i]); p; p = strstr(p, seps[i]))
			memset(p, ' ', n);
	}
	int words = 0;
	char *save = NULL;
	for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (words == 0)
			*a = w;
		else if (words == 1)
			*b = w;
		words++;
		if (words == 3)
			break;
	}
	return words;
}

/* e: a period typed in a box (2026-11, 2026-Q4, 2026, or two dates);
 * a refusal is shown and the period on screen stays. */
static void type_period(struct tui *t, struct stats_view *s)
{
	char *typed = tui_prompt(t, _("Which period?"),
				 _("2026-11, 2026-Q4, 2026, or two dates: 2026-11-03 2026-12-01"),
				 s->p.label, 0);
	if (typed == NULL)
		return;
	char buf[TUI_LINE_MAX * 4 + 1], *a = NULL, *b = NULL;
	int words = split_dates(typed, buf, sizeof(buf), &a, &b);
	free(typed);
	struct stats_period p;
	struct xb_error err;
	xb_error_clear(&err);
	int ret;
	if (words == 0)
		return;
	if (words == 1) {
		ret = stats_period_parse(a, &p, &err);
		/* The library's sentence names the command line's --from and
		 * --to; here the dates are typed in the same box. */
		if (ret != XB_OK)
			xb_fail(&err, ret,
				_("\"%s\" is no period: type a month (2026-11), a quarter "
				  "(2026-Q4), a year (2026), or two dates (2026-11-03 "
				  "2026-12-01)."),
				a);
	} else if (words == 2) {
		ret = stats_period_days(a, b, &p, &err);
	} else {
		ret = xb_fail(&err, XB_EINVAL, "%s",
			      _("Give one period (2026-11, 2026-Q4, 2026) or two dates, "
				"no more."));
	}
	if (ret != XB_OK) {
		show_error(t, &err);
		return;
	}
	s->first = 0;
	show_period(t, s, &p);
}

/* --- writing and printing --- */

/* A kind of file the table is written as. */
struct stats_format {
	const char *label; /* msgid */
	const char *ext;
	int (*write)(const struct stats_table *t, const char *path, struct xb_error *err);
};

static const struct stats_format formats[] = {
	{ N_("The table as a PDF, to print and file"), "pdf", print_stats_pdf },
	{ N_("The table as a spreadsheet (.xlsx, for Excel and WPS)"), "xlsx",
	  sheet_stats_write },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* 统计表-<office>-<period>.<ext> in dir, the office's name with nothing a
 * file name cannot hold. */
static void file_path(const struct tui *t, const struct stats_view *s, const char *dir,
		      const char *ext, char *buf, size_t len)
{
	char office[128];
	snprintf(office, sizeof(office), "%s", t->office_name[0] ? t->office_name : t->office);
	for (char *p = office; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == ':')
			*p = '_';
	size_t dl = strlen(dir);
	snprintf(buf, len, "%s%s%s-%s-%s.%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
		 _("Statistical table"), office, s->p.label, ext);
}

/* Where to write: the path typed (a folder gets the name offered), or
 * NULL on Esc. malloc'd. */
static char *ask_path(struct tui *t, const struct stats_view *s, const struct stats_format *f)
{
	char dir[1024], offer[1400];
	tui_default_dir(dir, sizeof(dir));
	file_path(t, s, dir, f->ext, offer, sizeof(offer));
	char *typed = tui_prompt(t, _("Write the table"),
				 _("File to write (the USB stick when one is in):"), offer, 0);
	if (typed == NULL || typed[0] == '\0') {
		free(typed);
		return NULL;
	}
	struct stat sb;
	if (stat(typed, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		file_path(t, s, typed, f->ext, offer, sizeof(offer));
		free(typed);
		return strdup(offer);
	}
	return typed;
}

/* Writes the table shown with f at path, libraries' own complaints kept
 * off the screen; the reason comes back in err. */
static int write_file(struct tui *t, const struct stats_view *s, const struct stats_format *f,
		      const char *path, struct xb_error *err)
{
	tui_message(t, 0, "%s", _("Writing the table..."));
	tui_redraw(t);
	int quiet = tui_stderr_mute();
	int ret = f->write(s->tab, path, err);
	tui_stderr_restore(quiet);
	t->msg[0] = '\0';
	return ret;
}

/* Whether there is a table to write; says so when not. */
static int have_table(struct tui *t, const struct stats_view *s)
{
	if (s->tab != NULL)
		return 1;
	tui_message(t, 1, "%s", _("There is no table to write: it could not be counted."));
	return 0;
}

/* w: the table as a PDF or an .xlsx, to a file the clerk names (the
 * stick's folder offered); the whole path told after. */
static void write_table(struct tui *t, struct stats_view *s)
{
	if (!have_table(t, s))
		return;
	const char *labels[NFORMATS];
	for (size_t i = 0; i < NFORMATS; i++)
		labels[i] = _(formats[i].label);
	int i = tui_pick(t, _("Write the table as"), labels, (int)NFORMATS, 0);
	if (i < 0)
		return;
	char *path = ask_path(t, s, &formats[i]);
	if (path == NULL)
		return;
	struct xb_error err;
	xb_error_clear(&err);
	if (write_file(t, s, &formats[i], path, &err) != XB_OK) {
		tui_error(t, &err);
		tell(t, err.msg);
	} else {
		char safe[1400], msg[1600];
		tui_safe_cut(path, 1000, safe, sizeof(safe));
		tui_message(t, 0, _("Wrote %s."), safe);
		snprintf(msg, sizeof(msg), _("Wrote the table to:\n%s"), safe);
		tell(t, msg);
	}
	free(path);
}

/* p: the table as a PDF in the data directory's stats/ folder, sent to
 * the printer as slips are, or the clerk told where it is. */
static void print_table(struct tui *t, struct stats_view *s)
{
	if (!have_table(t, s))
		return;
	struct xb_error err;
	xb_error_clear(&err);
	char dir[4096], path[4400], safe[4400];
	snprintf(dir, sizeof(dir), "%s/stats", store_home(t->st));
	file_path(t, s, dir, "pdf", path, sizeof(path));
	tui_safe_cut(path, 4000, safe, sizeof(safe));
	int ret;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		ret = xb_fail(&err, XB_EFAIL, _("Cannot make %s: %s"), dir, strerror(errno));
	else if ((ret = write_file(t, s, &formats[0], path, &err)) == XB_OK)
		ret = slip_send_to_printer(path, &err);
	if (ret == XB_OK) {
		tui_message(t, 0, _("The table is sent to the printer (%s)."), safe);
	} else if (ret == XB_ENOTFOUND) {
		char msg[4600];
		snprintf(msg, sizeof(msg), _("There is no printer here (no lp); the table is in %s."),
			 safe);
		tui_message(t, 1, "%s", msg);
		if (tui_width(msg) > t->cols)
			tell(t, msg);
	} else {
		show_error(t, &err);
	}
}

/* --- drawing --- */

/* Where things go across: the labels' width, how many of the table's
 * rows fit beside them (the total takes one cell more) and the first. */
struct layout {
	int label;
	int across;
	int total; /* the total's cell: a column further off when there is
		      room, so ">" stands apart from the last name */
};

static const char *line_label(int c)
{
	return c < STATS_NCOLS ? _(stats_column((enum stats_col)c)->label)
			       : _(stats_median_label());
}

static void layout(const struct tui *t, struct stats_view *s, struct layout *l)
{
	int widest = 0;
	for (int c = 0; c <= STATS_NCOLS; c++) {
		int w = tui_width(line_label(c));
		if (w > widest)
			widest = w;
	}
	/* Three columns of indent, one of gap; room left for a row and
	 * the total, and the English labels cut rather than the figures. */
	size_t nrows = s->tab ? s->tab->nrows : 0;
	l->label = widest + 4;
	if (l->label > 36 && l->label + (int)(nrows + 1) * CELL + 1 > t->cols)
		l->label = 36;
	if (l->label > t->cols - 1 - 2 * CELL)
		l->label = t->cols - 1 - 2 * CELL;
	if (l->label < 12)
		l->label = 12;
	int cells = (t->cols - 1 - l->label) / CELL;
	l->across = cells - 1 < 0 ? 0 : cells - 1;
	if ((size_t)l->across > nrows)
		l->across = (int)nrows;
	l->total = l->label + l->across * CELL;
	if (t->cols - 1 - l->label - cells * CELL >= 1 && l->across > 0)
		l->total++;
	int max_first = (int)nrows - l->across;
	if (s->first > max_first)
		s->first = max_first;
	if (s->first < 0)
		s->first = 0;
}

/* A row's name as shown: the name, else its key, else "(none)" for the
 * children without one. */
static const char *row_name(const struct stats_row *r)
{
	return r->name[0] ? r->name : r->key[0] ? r->key : _("(none)");
}

/* Whether row r of an office's table stands in for a table not filed:
 * at a county or a city, rows are the tables the offices below sent, and
 * one counted from the records instead is marked. */
static int not_filed(const struct tui *t, const struct stats_row *r)
{
	return strlen(t->office) != 9 && r->source == STATS_FROM_RECORDS;
}

/* Whether any row of the table is not_filed. */
static int any_not_filed(const struct tui *t, const struct stats_table *tab)
{
	for (size_t i = 0; i < tab->nrows; i++)
		if (not_filed(t, &tab->rows[i]))
			return 1;
	return 0;
}

/* One figure right-aligned in its cell at x. */
static void put_figure(int y, int x, const struct stats_row *r, int c, attr_t a)
{
	char buf[32];
	if (c < STATS_NCOLS)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->v[c]);
	else if (r->late_median_days < 0)
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%.1f", r->late_median_days);
	tui_put_right(y, x + 1, CELL - 1, buf, a);
}

/* The line of column c: its label, then the rows in view, the total. */
static void figure_line(struct tui *t, const struct stats_view *s, const struct layout *l,
			int y, int c)
{
	char cut[256];
	attr_t n = tui_attr(t, TUI_NORMAL);
	tui_put(y, 3, l->label - 4, tui_safe_cut(line_label(c), l->label - 4, cut, sizeof(cut)),
		n);
	for (int i = 0; i < l->across; i++)
		put_figure(y, l->label + i * CELL, &s->tab->rows[s->first + i], c, n);
	put_figure(y, l->total, &s->tab->total, c, n | A_BOLD);
}

/* The scrolling lines: each group's heading, then its columns (the
 * median delay after the reports, as the paper form has it). */
static void body(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct stats_view *s = arg;
	struct layout l;
	layout(t, s, &l);
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD;
	for (int g = 0; g < STATS_NGROUPS; g++) {
		enum stats_col from, to;
		stats_group_columns((enum stats_group)g, &from, &to);
		int y = tui_canvas_next(cv);
		if (y >= 0)
			tui_put(y, 1, t->cols - 2, _(stats_group_label((enum stats_group)g)), head);
		int last = (int)to + (g == STATS_G_REPORTS);
		for (int c = (int)from; c <= last; c++)
			if ((y = tui_canvas_next(cv)) >= 0)
				figure_line(t, s, &l, y, c);
	}
	if (any_not_filed(t, s->tab)) {
		tui_canvas_next(cv); /* a blank line before the note */
		int y = tui_canvas_next(cv);
		if (y >= 0)
			tui_put(y, 1, t->cols - 2,
				_("* No table filed for this period: counted from the records "
				  "held here."),
				tui_attr(t, TUI_WARN));
	}
}

/* The names across, "<" and ">" where more lie beyond. */
static void draw_head(struct tui *t, struct stats_view *s, const struct layout *l)
{
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD, dim = tui_attr(t, TUI_DIM);
	char cut[128];
	tui_put(HEAD_ROW, 1, l->label - 2, by_label(s->by), dim);
	for (int i = 0; i < l->across; i++) {
		const struct stats_row *r = &s->tab->rows[s->first + i];
		int mark = not_filed(t, r);
		cut[0] = '*';
		tui_safe_cut(row_name(r), CELL - 1 - mark, cut + mark, sizeof(cut) - 1);
		tui_put_right(HEAD_ROW, l->label + i * CELL + 1, CELL - 1, cut, head);
	}
	tui_put_right(HEAD_ROW, l->total + 1, CELL - 1, _("Total"), head);
	if (s->first > 0)
		tui_put(HEAD_ROW, l->label, 1, "<", dim);
	if ((size_t)(s->first + l->across) < s->tab->nrows)
		tui_put(HEAD_ROW, l->total, 1, ">", dim);
}

/* The period's dates, the day its figures stand at and where the rows
 * across stand (the grouping too while there is no table). */
static void draw_info(struct tui *t, struct stats_view *s, const struct layout *l)
{
	char span[64], line[512], where[96] = "";
	snprintf(span, sizeof(span), _("%s to %s"), s->p.from, s->p.to);
	if (s->tab && (size_t)l->across < s->tab->nrows)
		snprintf(where, sizeof(where), _("%d-%d of %zu"), s->first + 1,
			 s->first + l->across, s->tab->nrows);
	if (s->tab)
		snprintf(line, sizeof(line), "%s   %s %s   %s", span, _("figures as of"),
			 s->tab->asof, where);
	else
		snprintf(line, sizeof(line), "%s   %s", span, by_label(s->by));
	tui_put(INFO_ROW, 1, t->cols - 2, line, tui_attr(t, TUI_DIM));
}

static void stats_draw(struct tui *t, void *data)
{
	struct stats_view *s = data;
	struct layout l;
	layout(t, s, &l);
	draw_info(t, s, &l);
	if (s->counting) {
		tui_put(BODY_TOP, 1, t->cols - 2, _("Counting the ledger for this period..."),
			tui_attr(t, TUI_DIM));
		return;
	}
	if (s->tab == NULL) {
		/* The reason, whole, wrapped below the period. */
		const char *p = s->problem;
		for (int y = BODY_TOP; *p && y < t->rows - 2; y++) {
			char seg[1024];
			tui_take_line(&p, t->cols - 2, seg, sizeof(seg));
			tui_put(y, 1, t->cols - 2, seg, tui_attr(t, TUI_ERROR));
		}
		return;
	}
	draw_head(t, s, &l);
	tui_canvas_draw(t, BODY_TOP, 0, &s->scroll, body, s);
}

/* --- keys --- */

static int stats_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct stats_view *s = data;
	struct stats_period p;
	if (tui_key_is(k, 0, "[")) {
		stats_period_step(&s->p, 0, &p);
		show_period(t, s, &p);
	} else if (tui_key_is(k, 0, "]")) {
		stats_period_step(&s->p, 1, &p);
		show_period(t, s, &p);
	} else if (tui_key_is(k, 0, "mM")) {
		switch_kind(t, s, STATS_MONTH);
	} else if (tui_key_is(k, 0, "qQ")) {
		/* Here q is the quarter; Esc and F10 go back. */
		switch_kind(t, s, STATS_QUARTER);
	} else if (tui_key_is(k, 0, "yY")) {
		switch_kind(t, s, STATS_YEAR);
	} else if (tui_key_is(k, 0, "tT")) {
		stats_period_this_month(t->today, &p);
		show_period(t, s, &p);
	} else if (tui_key_is(k, 0, "eE")) {
		type_period(t, s);
	} else if (tui_key_is(k, 0, "wW")) {
		write_table(t, s);
	} else if (tui_key_is(k, 0, "pP")) {
		print_table(t, s);
	} else if (tui_key_is(k, 0, "bB")) {
		s->by = next_by(t, s->by);
		s->first = 0;
		count(t, s, 0);
	} else if (k->code == 0 && k->ch == TUI_CTRL('r')) {
		count(t, s, 1);
	} else if (k->code == KEY_LEFT || tui_key_is(k, 0, "h")) {
		if (s->first > 0)
			s->first--;
	} else if (k->code == KEY_RIGHT || tui_key_is(k, 0, "l")) {
		s->first++; /* layout() keeps it within the rows */
	} else if (tui_scroll_key(k, &s->scroll, t->rows - 3 - BODY_TOP)) {
		;
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

/* Back from the help: counted again only when the ledger changed. */
static void stats_resume(struct tui *t, void *data)
{
	struct stats_view *s = data;
	uint64_t gen = 0;
	struct xb_error err;
	xb_error_clear(&err);
	if (s->tab == NULL || store_generation(t->st, &gen, &err) != XB_OK ||
	    gen != s->generation)
		count(t, s, 0);
}

static void stats_free(void *data)
{
	struct stats_view *s = data;
	if (s == NULL)
		return;
	stats_table_free(&s->tab);
	for (int i = 0; i < KEPT; i++)
		stats_table_free(&s->kept[i].tab);
	free(s);
}

static const char *stats_title(struct tui *t, void *data)
{
	(void)t;
	return ((struct stats_view *)data)->title;
}

static const struct tui_screen_ops stats_ops = {
	.flags = TUI_SCREEN_OWN_Q,
	.draw = stats_draw,
	.key = stats_key,
	.resume = stats_resume,
	.free = stats_free,
	.keys = stats_keys,
	.title = stats_title,
};

void tui_stats_open(struct tui *t)
{
	struct stats_view *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	stats_period_last_month(t->today, &s->p);
	int d;
	form_parse_date(s->p.from, &s->anchor_y, &s->anchor_m, &d);
	set_title(s);
	struct tui_screen *before = t->top;
	tui_push(t, &stats_ops, s);
	if (t->top != before)
		count(t, s, 0);
}
