/* scr_start.c - the start screen: the office and today's figures, each
 * line opening the list it counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

enum line_kind { L_OFFICES, L_LATE, L_CHILDREN, L_FLAG, L_TURN16, L_EXITED, L_REPORTS, L_UNSENT,
		 L_STAGE, L_REQUESTS, L_MINE_ALL, L_MINE };

/* A village member's own children shown at most, the most overdue
 * first; the rest are a key away. */
#define MINE_SHOWN 8

struct line {
	enum line_kind kind;
	unsigned flag;
	const char *stage;
	const char *label; /* msgid, or a stage label already translated */
	uint64_t count;
	int indent, warn;
	/* L_MINE: the child, its name and village, and the date shown in
	 * the count's place */
	char case_no[24];
	char text[128];
	char right[16];
};

struct start {
	struct ledger_summary sum;
	struct line lines[24 + MINE_SHOWN + 1];
	int n, cur, top;
	int loaded;
	uint64_t generation; /* of the ledger when last counted */
};

static const struct tui_keyhelp start_keys[] = {
	{ "Enter", N_("open the list"), 1 },
	{ "F3 a", N_("register a child"), 1 },
	{ "F7 b", N_("exchange"), 1 },
	{ "/", N_("search"), 1 },
	/* The reports open from their lines too: their hint goes first
	 * when 80 columns run out. */
	{ "F10 q", N_("quit"), 1 },
	{ "F6 r", N_("open reports"), 1 },
	{ "F5 t", N_("statistics"), 1 },
	{ "F9 v", N_("villages"), 1 },
	{ "F4 i", N_("import a spreadsheet"), 1 },
	{ "F12 u", N_("users"), 1 },
	{ "F12 h", N_("approvals (leaders)"), 1 },
	{ "p", N_("print"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ NULL, NULL, 0 },
};

/* At a county, which registers no child, the offices come first. */
static const struct tui_keyhelp county_keys[] = {
	{ "Enter", N_("open the list"), 1 },
	{ "F8 o", N_("offices"), 1 },
	{ "F7 b", N_("exchange"), 1 },
	{ "/", N_("search"), 1 },
	{ "F10 q", N_("quit"), 1 },
	{ "F6 r", N_("open reports"), 1 },
	{ "F5 t", N_("statistics"), 1 },
	{ "F12 u", N_("users"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ NULL, NULL, 0 },
};

/* A county's or a city's ledger: offices report to it. */
static int at_county(const struct tui *t)
{
	return strlen(t->office) != 9;
}

static void add_line(struct start *s, enum line_kind kind, unsigned flag,
		     const char *stage, const char *label, uint64_t count,
		     int indent, int warn)
{
	if (s->n >= (int)(sizeof(s->lines) / sizeof(s->lines[0])))
		return;
	struct line *l = &s->lines[s->n++];
	l->kind = kind;
	l->flag = flag;
	l->stage = stage;
	l->label = label;
	l->count = count;
	l->indent = indent;
	l->warn = warn && count > 0;
}

/* A member's children as read, to be put in order. */
struct mine {
	struct store_record **r;
	size_t n, cap;
	int failed;
};

static int mine_add(const struct store_record *child, void *arg)
{
	struct mine *m = arg;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct store_record **p = realloc(m->r, cap * sizeof(*p));
		if (p == NULL) {
			m->failed = 1;
			return 1;
		}
		m->r = p;
		m->cap = cap;
	}
	if ((m->r[m->n] = store_record_dup(child)) == NULL) {
		m->failed = 1;
		return 1;
	}
	m->n++;
	return 0;
}

/* The most overdue first: no next visit due at all, then the earliest
 * due, then by case number. */
static int mine_cmp(const void *a, const void *b)
{
	const struct store_record *x = *(struct store_record *const *)a;
	const struct store_record *y = *(struct store_record *const *)b;
	const char *dx = store_record_get(x, FK_next_visit_due);
	const char *dy = store_record_get(y, FK_next_visit_due);
	if ((dx == NULL) != (dy == NULL))
		return dx == NULL ? -1 : 1;
	int c = dx ? strcmp(dx, dy) : 0;
	return c ? c : strcmp(x->id, y->id);
}

/* A village member signed in: the children they are responsible for,
 * the overdue ones first, above the figures. */
static void load_mine(struct tui *t, struct start *s)
{
	struct xb_error err;
	struct ledger_who who;
	struct mine m = { NULL, 0, 0, 0 };
	xb_error_clear(&err);
	if (ledger_who_get(t->st, NULL, t->user, &who, &err) != XB_OK || !who.scoped)
		return;
	if (ledger_member_children(t->st, t->user, t->user, mine_add, &m, &err) != XB_OK ||
	    m.failed) {
		if (m.failed)
			xb_fail(&err, XB_EFAIL, "%s", _("Out of memory."));
		tui_error(t, &err);
	}
	qsort(m.r, m.n, sizeof(*m.r), mine_cmp);
	uint64_t overdue = 0;
	for (size_t i = 0; i < m.n; i++)
		overdue += (form_child_flags(m.r[i], t->today) & FORM_FLAG_VISIT_OVERDUE) != 0;
	add_line(s, L_MINE_ALL, 0, NULL, N_("Children I am responsible for"), m.n, 0, 0);
	for (size_t i = 0; i < m.n && i < MINE_SHOWN; i++) {
		const char *due = store_record_get(m.r[i], FK_next_visit_due);
		const char *name = store_record_get(m.r[i], FK_name);
		const char *village = store_record_get(m.r[i], FK_village);
		int late = (form_child_flags(m.r[i], t->today) & FORM_FLAG_VISIT_OVERDUE) != 0;
		add_line(s, L_MINE, 0, NULL, NULL, 0, 1, 0);
		struct line *l = &s->lines[s->n - 1];
		l->warn = late || due == NULL;
		snprintf(l->case_no, sizeof(l->case_no), "%s", m.r[i]->id);
		snprintf(l->text, sizeof(l->text), "%s  %s%s", name ? name : "-",
			 village ? village : "", late ? _("  (visit overdue)") : "");
		snprintf(l->right, sizeof(l->right), "%s", due ? due : "-");
	}
	if (overdue > 0)
		s->lines[s->n - (m.n < MINE_SHOWN ? m.n : MINE_SHOWN) - 1].warn = 1;
	for (size_t i = 0; i < m.n; i++)
		store_record_free(&m.r[i]);
	free(m.r);
}

/* Counts everything again: after any change below this screen. */
static void load(struct tui *t, struct start *s)
{
	struct xb_error err;
	xb_error_clear(&err);
	uint64_t gen = 0;
	/* Counting 100,000 children takes a second on a fast PC: only when
	 * something changed since. */
	if (store_generation(t->st, &gen, &err) == XB_OK && s->loaded &&
	    gen == s->generation)
		return;
	s->n = 0;
	/* A village user's figures are those of their villages' children. */
	if (ledger_summarize_as(t->st, t->user, t->today, &s->sum, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	if (!at_county(t))
		load_mine(t, s);
	const struct ledger_summary *m = &s->sum;
	if (at_county(t)) {
		struct bundle_peer *p = NULL;
		size_t np = 0;
		if (bundle_peers(t->st, &p, &np, &err) == XB_OK) {
			add_line(s, L_OFFICES, 0, NULL, N_("Offices bound (bundles, children held)"),
				 np, 0, 0);
			/* those whose bundle for last month is overdue */
			uint64_t late = 0;
			for (size_t i = 0; i < np; i++) {
				struct bundle_due due;
				if (bundle_office_due(t->st, &p[i], t->today, &due, &err) == XB_OK)
					late += due.late;
			}
			add_line(s, L_LATE, 0, NULL,
				 strlen(t->office) == 4 ? N_("Counties late with last month's bundle") :
							  N_("Townships late with last month's bundle"),
				 late, 1, 1);
		}
		free(p);
		xb_error_clear(&err);
	}
	/* a city holds tables, not children */
	if (strlen(t->office) == 4)
		goto counted;
	add_line(s, L_CHILDREN, 0, NULL, N_("Children in the ledger"), m->children, 0, 0);
	add_line(s, L_FLAG, FORM_FLAG_UNSUPERVISED, NULL, N_("Unsupervised (no guardian)"),
		 m->unsupervised, 1, 1);
	add_line(s, L_FLAG, FORM_FLAG_VISIT_OVERDUE, NULL, N_("Visits overdue"),
		 m->visits_overdue, 1, 1);
	add_line(s, L_TURN16, 0, NULL, N_("Turning 16 this month"), m->turning16_month, 1, 0);
	add_line(s, L_FLAG, FORM_FLAG_OVER_AGE | FORM_FLAG_NOT_LEFT_BEHIND, NULL,
		 N_("Not eligible, still listed"), m->not_eligible, 1, 1);
	add_line(s, L_REPORTS, 0, NULL, N_("Reports open"), m->reports_open, 0, 0);
	add_line(s, L_UNSENT, 0, NULL, N_("Not yet reported to police"), m->reports_unsent,
		 1, 1);
	const struct form_choice *st = form_stage_choices();
	const struct form_field *f = form_field_find(STORE_REPORT, FK_stage);
	for (int i = 0; st[i].code != NULL && i < 8; i++)
		if (m->reports_by_stage[i])
			add_line(s, L_STAGE, 0, st[i].code, form_choice_label(f, st[i].code),
				 m->reports_by_stage[i], 2, 0);
	add_line(s, L_EXITED, 0, NULL, N_("Left the ledger"), m->exited, 0, 0);
	/* A leader of a township: the requests waiting for a decision. */
	struct ledger_who who;
	uint64_t waiting = 0;
	if (!at_county(t) && ledger_who_get(t->st, NULL, t->user, &who, &err) == XB_OK &&
	    ledger_may(&who, LEDGER_APPROVE, NULL, &err) == XB_OK &&
	    ledger_requests_waiting(t->st, t->user, &waiting, &err) == XB_OK)
		add_line(s, L_REQUESTS, 0, NULL, N_("Requests waiting for approval"), waiting,
			 0, 1);
	xb_error_clear(&err);
counted:
	if (s->cur >= s->n)
		s->cur = s->n - 1;
	if (s->cur < 0)
		s->cur = 0;
	s->loaded = 1;
	s->generation = gen;
}

static const char *line_label(const struct line *l)
{
	return l->kind == L_MINE ? l->text : l->kind == L_STAGE ? l->label : _(l->label);
}

/* Lays out the screen's keys the hint line has no room for at this
 * width (the reports, statistics, villages and import at 80 columns)
 * from row y, a key never split across rows; draws them when paint.
 * Returns the rows used. */
static int more_keys(struct tui *t, int y, int x, int paint)
{
	const struct tui_keyhelp *keys = t->top ? t->top->ops->keys : NULL;
	size_t shown = tui_hints_shown(t, keys);
	attr_t dim = tui_attr(t, TUI_DIM), bold = tui_attr(t, TUI_LABEL);
	const char *label = _("More keys:");
	int lw = tui_width(label), cx = x + lw + 2, rows = 0;
	for (size_t i = 0; keys && keys[i].keys; i++) {
		if ((i < shown && keys[i].hint) || keys[i].hint == TUI_HINT_SHORT || strcmp(keys[i].keys, "↑↓ j k") == 0)
			continue;
		int kw = tui_width(keys[i].keys), ww = tui_width(_(keys[i].what));
		if (rows == 0 || (cx + kw + 1 + ww > t->cols - 1 && cx > x + lw + 2)) {
			if (rows > 0)
				cx = x + lw + 2;
			if (paint && rows == 0)
				tui_put(y, x, lw, label, dim);
			rows++;
		}
		if (paint) {
			tui_put(y + rows - 1, cx, kw, keys[i].keys, bold);
			tui_put(y + rows - 1, cx + kw + 1, t->cols - 1 - (cx + kw + 1),
				_(keys[i].what), dim);
		}
		cx += kw + 1 + ww + 2;
	}
	return rows;
}

static void start_draw(struct tui *t, void *data)
{
	struct start *s = data;
	int y = 2, x = 4;
	char buf[160];
	snprintf(buf, sizeof(buf), _("%s (%s): today's figures"), t->office_name, t->office);
	tui_put(y, x, t->cols - 2 * x, buf, tui_attr(t, TUI_LABEL) | A_BOLD);
	y += 2;
	/* The lines scroll to keep the one chosen in sight. */
	int fit = t->rows - 3 - y;
	if (fit < 1)
		fit = 1;
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + fit)
		s->top = s->cur - fit + 1;
	for (int i = s->top; i < s->n && y < t->rows - 3; i++, y++) {
		const struct line *l = &s->lines[i];
		attr_t a = tui_attr(t, i == s->cur ? TUI_SELECTED
				    : l->warn ? TUI_WARN : TUI_NORMAL);
		int lx = x + 2 * l->indent;
		tui_fill(y, x, 50, a);
		tui_put(y, lx, (l->kind == L_MINE ? 38 : 40) - 2 * l->indent, line_label(l),
			a);
		if (l->kind == L_MINE) {
			tui_put_right(y, x + 38, 12, l->right, a);
		} else {
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)l->count);
			tui_put_right(y, x + 40, 10, buf, a);
		}
	}
	snprintf(buf, sizeof(buf), _("%llu visits logged"), (unsigned long long)s->sum.visits);
	if (y + 1 < t->rows - 2 && strlen(t->office) != 4)
		tui_put(y + 1, x, 50, buf, tui_attr(t, TUI_DIM));
	/* At the body's foot, below a blank row, when it has room. */
	int more = more_keys(t, 0, x, 0);
	if (more > 0 && y + 2 < t->rows - 2 - more)
		more_keys(t, t->rows - 2 - more, x, 1);
}

static int start_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct start *s = data;
	if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (s->cur > 0)
			s->cur--;
	} else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (s->cur < s->n - 1)
			s->cur++;
	} else if (k->code == KEY_HOME) {
		s->cur = 0;
	} else if (k->code == KEY_END) {
		s->cur = s->n - 1;
	} else if (tui_key_enter(k) && s->n > 0) {
		const struct line *l = &s->lines[s->cur];
		switch (l->kind) {
		case L_OFFICES:
		case L_LATE: tui_offices_open(t); break;
		case L_CHILDREN: tui_children_open(t, TUI_CHILDREN_ALL, 0); break;
		case L_FLAG: tui_children_open(t, TUI_CHILDREN_FLAG, l->flag); break;
		case L_TURN16: tui_children_open(t, TUI_CHILDREN_TURN16_MONTH, 0); break;
		case L_EXITED: tui_children_open(t, TUI_CHILDREN_EXITED, 0); break;
		case L_REPORTS: tui_reports_open(t, NULL, 0); break;
		case L_UNSENT: tui_reports_open(t, NULL, 1); break;
		case L_STAGE: tui_reports_open(t, l->stage, 0); break;
		case L_REQUESTS: tui_approvals_open(t); break;
		case L_MINE_ALL: tui_children_open_member(t, t->user); break;
		case L_MINE: tui_child_open(t, l->case_no); break;
		}
	} else if (tui_key_is(k, KEY_F(3), "a")) {
		tui_form_open(t, STORE_CHILD, NULL, NULL);
	} else if (tui_key_is(k, 0, "/s")) {
		struct tui_screen *before = t->top;
		tui_children_open(t, TUI_CHILDREN_ALL, 0);
		/* The list opens with its search field ready for typing. */
		struct tui_key slash = { 0, L'/' };
		if (t->top != before)
			t->top->ops->key(t, t->top->data, &slash);
	} else if (tui_key_is(k, KEY_F(6), "r")) {
		tui_reports_open(t, NULL, 0);
	} else if (tui_key_is(k, KEY_F(5), "tT")) {
		tui_stats_open(t);
	} else if (tui_key_is(k, KEY_F(7), "bB")) {
		tui_exchange_open(t);
	} else if (tui_key_is(k, KEY_F(8), "oO")) {
		tui_offices_open(t);
	} else if (!at_county(t) && tui_key_is(k, KEY_F(9), "vV")) {
		tui_villages_open(t);
	} else if (!at_county(t) && tui_key_is(k, KEY_F(4), "iI")) {
		tui_import_open(t);
	} else if (tui_key_is(k, KEY_F(12), "uU")) {
		tui_users_open(t);
	} else if (!at_county(t) && tui_key_is(k, KEY_F(12), "hH")) {
		tui_approvals_open(t);
	} else if (!at_county(t) && tui_key_is(k, 0, "pP")) {
		tui_print_menu(t);
	} else if (tui_key_esc(k)) {
		return TUI_HANDLED; /* the start screen is the bottom: Esc stays */
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void start_resume(struct tui *t, void *data)
{
	load(t, data);
}

static const char *start_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Start");
}

static const struct tui_screen_ops start_ops = {
	.draw = start_draw,
	.key = start_key,
	.resume = start_resume,
	.free = free,
	.keys = start_keys,
	.title = start_title,
};

static const struct tui_screen_ops county_ops = {
	.draw = start_draw,
	.key = start_key,
	.resume = start_resume,
	.free = free,
	.keys = county_keys,
	.title = start_title,
};

void tui_start_open(struct tui *t)
{
	struct start *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return;
	load(t, s);
	tui_push(t, at_county(t) ? &county_ops : &start_ops, s);
}
