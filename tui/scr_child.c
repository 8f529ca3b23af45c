/* scr_child.c - one child's file: a header with the child's flags and
 * current assistance, the sections of the schema as tabs, then tabs of
 * the child's visits, reports, entries of assistance and history, and for
 * a child transferred in, the file it came with. Every field comes from
 * form_fields(); nothing is listed here. A visit is corrected (c) from
 * its tab; the keys the hint line shows follow the tab. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>

#include "private.h"
#include "../exchange/exchange.h"
#include "../print/print.h"
#include "../common/clock.h"
#include "../common/i18n.h"

/* Rows of the header above the tab body: identity, flags, tabs. */
#define BODY_TOP 4
#define MAX_TABS 16

/* The visits or the reports of the child, newest first. */
struct list {
	struct store_record **recs;
	size_t n;
	int cur, first;
};

/* One entry of the history tab: its header line only. */
struct hline {
	char when[32];
	char *user, *action, *id;
	size_t nchanges;
};

struct child {
	char case_no[64];
	char title[160];
	struct store_record *rec;
	const struct form_section *secs;
	size_t nsecs;
	int tab, tabfirst;
	int scroll[MAX_TABS]; /* first line shown, for the tabs that scroll */
	struct list visits, reports, aids;
	int detail;           /* the visit shown whole, or -1 */
	int dscroll;
	struct hline *hist;   /* newest first */
	size_t nhist;
	char **earlier;       /* the file a transfer brought: its lines */
	size_t nearlier;
	char moved[160];      /* where a transferred child went, in words */
};

static int tab_count(const struct child *c);

static const struct tui_keyhelp child_keys[] = {
	{ "F4 e", N_("edit"), 1 },
	{ "F5 v", N_("visit"), 1 },
	{ "F6 r", N_("report"), 1 },
	{ "F7 x", N_("leave ledger"), 1 },
	{ "F8 h", N_("history"), 1 },
	{ "p", N_("print slip"), TUI_HINT_SHORT },
	{ "Esc", N_("back"), TUI_HINT_SHORT },
	{ "p", N_("print the case slip"), 0 },
	{ "u", N_("re-admit (a child who left)"), 0 },
	{ "← → Tab", N_("next or previous tab"), 0 },
	{ "1-9", N_("go to that tab"), 0 },
	{ "↑↓ PgUp PgDn", N_("scroll, or move in a list"), 0 },
	{ "Enter", N_("open the visit, report or history"), 0 },
	{ "F3 a", N_("add a visit or a report (on their tabs)"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 },
};

/* On the visit log: what a clerk does with a visit first. */
static const struct tui_keyhelp child_visit_keys[] = {
	{ "F5 v", N_("visit"), 1 },
	{ "c", N_("correct the visit"), 1 },
	{ "Enter", N_("open the visit"), 1 },
	{ "F8 h", N_("history"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "F4 e", N_("edit"), 1 },
	{ "F6 r", N_("report"), 1 },
	{ "F7 x", N_("leave ledger"), 1 },
	{ "p", N_("print slip"), TUI_HINT_SHORT },
	{ "p", N_("print the case slip"), 0 },
	{ "← → Tab", N_("next or previous tab"), 0 },
	{ "1-9", N_("go to that tab"), 0 },
	{ "↑↓ PgUp PgDn", N_("scroll, or move in a list"), 0 },
	{ "F3 a", N_("add a visit or a report (on their tabs)"), 0 },
	{ NULL, NULL, 0 },
};

/* On the tab of assistance: its entries, added and ended. */
static const struct tui_keyhelp child_aid_keys[] = {
	{ "F3 a", N_("enter assistance"), 1 },
	{ "c Enter", N_("edit or end the entry"), 1 },
	{ "F8 h", N_("history"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "F4 e", N_("edit"), 1 },
	{ "F5 v", N_("visit"), 1 },
	{ "F6 r", N_("report"), 1 },
	{ "F7 x", N_("leave ledger"), 1 },
	{ "p", N_("print slip"), TUI_HINT_SHORT },
	{ "p", N_("print the case slip"), 0 },
	{ "← → Tab", N_("next or previous tab"), 0 },
	{ "1-9", N_("go to that tab"), 0 },
	{ "↑↓ PgUp PgDn", N_("scroll, or move in a list"), 0 },
	{ NULL, NULL, 0 },
};

/* --- text helpers ------------------------------------------------------ */

/* One line of text: newlines and tabs as spaces, for list columns. */
static void flatten(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	for (; s && *s && o + 1 < len; s++)
		buf[o++] = (*s == '\n' || *s == '\t' || *s == '\r') ? ' ' : *s;
	buf[o] = '\0';
}


/* A label and its value, the value wrapped under itself; missing values
 * show as a dimmed "-". */
static void cv_field(struct tui *t, struct tui_canvas *cv, int x, int lw, int vw,
		     const char *label, const char *value, attr_t va)
{
	const char *p = value ? value : "-";
	if (value == NULL)
		va = tui_attr(t, TUI_DIM);
	int first = 1;
	do {
		char seg[1024];
		tui_take_line(&p, vw, seg, sizeof(seg));
		int y = tui_canvas_next(cv);
		if (y >= 0) {
			if (first)
				tui_put(y, x, lw, label, tui_attr(t, TUI_LABEL));
			tui_put(y, x + lw + 2, vw, seg, va);
		}
		first = 0;
	} while (*p);
}


/* --- loading ----------------------------------------------------------- */

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_record_free(&l->recs[i]);
	free(l->recs);
	l->recs = NULL;
	l->n = 0;
}

/* Newest first by a date field, then by id. */
static int cmp_desc(const struct store_record *a, const struct store_record *b,
		    const char *key)
{
	const char *da = store_record_get(a, key), *db = store_record_get(b, key);
	int c = strcmp(db ? db : "", da ? da : "");
	return c ? c : strcmp(b->id, a->id);
}

static int cmp_visits(const void *a, const void *b)
{
	return cmp_desc(*(struct store_record *const *)a,
			*(struct store_record *const *)b, "date");
}

static int cmp_reports(const void *a, const void *b)
{
	return cmp_desc(*(struct store_record *const *)a,
			*(struct store_record *const *)b, "found_at");
}

static int cmp_aids(const void *a, const void *b)
{
	return cmp_desc(*(struct store_record *const *)a,
			*(struct store_record *const *)b, "start_date");
}

/* Reads the child's visits, reports or entries of assistance (a handful
 * each) into l. */
static int load_list(struct tui *t, struct child *c, enum store_kind kind,
		     struct list *l, struct xb_error *err)
{
	char prefix[80];
	snprintf(prefix, sizeof(prefix), "%s/", c->case_no);
	struct store_iter *it;
	int ret = store_iter_open(t->st, kind, STORE_BY_ID, STORE_PREFIX, prefix,
				  &it, err);
	if (ret != XB_OK)
		return ret;
	struct store_record **recs = NULL, *r;
	size_t n = 0, cap = 0;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct store_record **nr = realloc(recs, ncap * sizeof(*nr));
			if (nr == NULL) {
				store_record_free(&r);
				ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
				break;
			}
			recs = nr;
			cap = ncap;
		}
		recs[n++] = r;
	}
	store_iter_close(&it);
	struct list fresh = { recs, n, l->cur, l->first };
	if (ret < 0) {
		list_free(&fresh);
		return ret;
	}
	if (n > 1)
		qsort(recs, n, sizeof(*recs), kind == STORE_VISIT ? cmp_visits
					      : kind == STORE_AID ? cmp_aids : cmp_reports);
	/* The row selected stays selected when rows come before it. */
	if (l->cur >= 0 && l->cur < (int)l->n)
		for (size_t i = 0; i < n; i++)
			if (strcmp(recs[i]->id, l->recs[l->cur]->id) == 0)
				fresh.cur = (int)i;
	list_free(l);
	*l = fresh;
	if (l->cur >= (int)n)
		l->cur = (int)n - 1;
	if (l->cur < 0)
		l->cur = 0;
	return XB_OK;
}

static void hist_free(struct child *c)
{
	for (size_t i = 0; i < c->nhist; i++) {
		free(c->hist[i].user);
		free(c->hist[i].action);
		free(c->hist[i].id);
	}
	free(c->hist);
	c->hist = NULL;
	c->nhist = 0;
}

struct hist_load {
	struct hline *v;
	size_t n, cap;
	int oom;
};

/* Keeps the header of one audit entry. */
static int hist_add(const struct store_audit *a, void *arg)
{
	struct hist_load *h = arg;
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 32;
		struct hline *nv = realloc(h->v, ncap * sizeof(*nv));
		if (nv == NULL) {
			h->oom = 1;
			return 1;
		}
		h->v = nv;
		h->cap = ncap;
	}
	struct hline *l = &h->v[h->n++];
	xb_format_time(a->at, l->when, sizeof(l->when));
	l->user = strdup(a->user ? a->user : "?");
	l->action = strdup(a->action ? a->action : "");
	l->id = strdup(a->record_id ? a->record_id : "");
	l->nchanges = a->nchanges;
	if (l->user == NULL || l->action == NULL || l->id == NULL)
		h->oom = 1;
	return h->oom;
}

/* Reads the headers of the child's history, newest first. */
static int load_history(struct tui *t, struct child *c, struct xb_error *err)
{
	struct hist_load h = { NULL, 0, 0, 0 };
	int ret = store_history(t->st, c->case_no, hist_add, &h, err);
	if (ret == XB_OK && h.oom)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	hist_free(c);
	c->hist = h.v;
	c->nhist = h.n;
	if (h.oom) {
		/* Half-copied lines are not shown. */
		hist_free(c);
		return ret;
	}
	for (size_t i = 0; i < h.n / 2; i++) {
		struct hline tmp = h.v[i];
		h.v[i] = h.v[h.n - 1 - i];
		h.v[h.n - 1 - i] = tmp;
	}
	return ret;
}

static void earlier_free(struct child *c)
{
	for (size_t i = 0; i < c->nearlier; i++)
		free(c->earlier[i]);
	free(c->earlier);
	c->earlier = NULL;
	c->nearlier = 0;
}

struct earlier_load {
	struct child *c;
	enum store_kind last; /* the kind of the line before */
	int oom;
};

static void earlier_add(struct earlier_load *l, const char *line)
{
	char **p = realloc(l->c->earlier, (l->c->nearlier + 1) * sizeof(*p));
	if (p == NULL || (p[l->c->nearlier] = strdup(line)) == NULL) {
		if (p != NULL)
			l->c->earlier = p;
		l->oom = 1;
		return;
	}
	l->c->earlier = p;
	l->c->nearlier++;
}

/* One record of the file a transfer brought, as a line (a heading first
 * when its kind begins). */
static int earlier_line(const struct store_record *r, void *arg)
{
	struct earlier_load *l = arg;
	char buf[512], flat[256];
	if (r->kind != l->last && (r->kind == STORE_VISIT || r->kind == STORE_REPORT)) {
		earlier_add(l, "");
		earlier_add(l, r->kind == STORE_VISIT ? _("Visit log") : _("Reports filed"));
	}
	l->last = r->kind;
	switch (r->kind) {
	case STORE_TRANSFER:
		snprintf(buf, sizeof(buf),
			 _("Case %s of township %s, transferred here on %s: its file as "
			   "sent, read only, not counted in this township's figures."),
			 store_record_get(r, FK_case_no), store_record_get(r, FK_from),
			 store_record_get(r, FK_date));
		break;
	case STORE_VISIT:
		flatten(form_field_text(r, FK_problems), flat, sizeof(flat));
		snprintf(buf, sizeof(buf), "  %s  %s  %s  %s", form_field_text(r, FK_date),
			 form_field_text(r, FK_kind), form_field_text(r, FK_visitor), flat);
		break;
	case STORE_REPORT:
		snprintf(buf, sizeof(buf), "  %s  %s  %s  %s  %s", r->id + strcspn(r->id, "/") + 1,
			 form_field_text(r, FK_category), form_field_text(r, FK_found_at),
			 form_field_text(r, FK_stage), form_field_text(r, FK_status));
		break;
	case STORE_STEP:
		flatten(form_field_text(r, FK_note), flat, sizeof(flat));
		snprintf(buf, sizeof(buf), "      %s  %s  %s  %s", form_field_text(r, FK_date),
			 form_field_text(r, FK_step), form_field_text(r, FK_by), flat);
		break;
	default:
		return 0;
	}
	earlier_add(l, buf);
	return l->oom;
}

/* The lines of the file the child came with by a transfer (none when it
 * came by none this ledger holds). */
static int load_earlier(struct tui *t, struct child *c, struct xb_error *err)
{
	earlier_free(c);
	struct earlier_load l = { c, 0, 0 };
	int ret = bundle_transfer_file(t->st, c->rec, earlier_line, &l, err);
	if (ret == XB_ENOTFOUND)
		ret = XB_OK;
	if (ret == XB_OK && l.oom)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	return ret;
}

/* Where a transferred child went: the township's name when known. */
static void load_moved(struct tui *t, struct child *c)
{
	const char *to = store_record_get(c->rec, FK_transferred_to);
	struct store_record *m = NULL;
	struct xb_error ignored;
	char name[128];
	c->moved[0] = '\0';
	if (to == NULL)
		return;
	ledger_transfer_last(t->st, c->case_no, to, &m, &ignored);
	ledger_township_name(t->st, to, m, name, sizeof(name));
	store_record_free(&m);
	if (name[0])
		snprintf(c->moved, sizeof(c->moved), _("Transferred to %s (%s)"), name, to);
	else
		snprintf(c->moved, sizeof(c->moved), _("Transferred to township %s"), to);
}

/* Reads the child and what lies under it again. */
static int load(struct tui *t, struct child *c, struct xb_error *err)
{
	struct store_record *rec = NULL;
	/* Read as the user may: a village user their villages' children. */
	int ret = ledger_child_read(t->st, t->user, c->case_no, &rec, err);
	if (ret != XB_OK)
		return ret;
	store_record_free(&c->rec);
	c->rec = rec;
	char detail_id[96] = "";
	if (c->detail >= 0 && c->detail < (int)c->visits.n)
		snprintf(detail_id, sizeof(detail_id), "%s", c->visits.recs[c->detail]->id);
	c->detail = -1;
	if ((ret = load_list(t, c, STORE_VISIT, &c->visits, err)) != XB_OK ||
	    (ret = load_list(t, c, STORE_REPORT, &c->reports, err)) != XB_OK ||
	    (ret = load_list(t, c, STORE_AID, &c->aids, err)) != XB_OK ||
	    (ret = load_history(t, c, err)) != XB_OK ||
	    (ret = load_earlier(t, c, err)) != XB_OK)
		return ret;
	load_moved(t, c);
	if (c->tab >= tab_count(c))
		c->tab = tab_count(c) - 1;
	for (size_t i = 0; detail_id[0] && i < c->visits.n; i++)
		if (strcmp(c->visits.recs[i]->id, detail_id) == 0)
			c->detail = (int)i;
	const char *name = store_record_get(rec, FK_name);
	snprintf(c->title, sizeof(c->title), _("File of %s"), name ? name : c->case_no);
	return XB_OK;
}

static int exited(const struct child *c)
{
	const char *s = store_record_get(c->rec, FK_status);
	return s != NULL && strcmp(s, "exited") == 0;
}

/* --- drawing ----------------------------------------------------------- */

/* Writes s at (y, *x) within right and moves *x past it and a gap. */
static void put_next(int y, int *x, int right, const char *s, attr_t a)
{
	int room = right - *x;
	if (s == NULL || *s == '\0' || room <= 0)
		return;
	int w = tui_width(s);
	*x += tui_put(y, *x, w < room ? w : room, s, a) + 2;
}

/* Row 1: who the child is; row 2: the flags a clerk must see. */
static void draw_header(struct tui *t, struct child *c)
{
	const struct store_record *r = c->rec;
	attr_t n = tui_attr(t, TUI_NORMAL);
	int x = 1, right = t->cols - 1;
	char buf[160];
	put_next(1, &x, right, c->case_no, tui_attr(t, TUI_LABEL));
	put_next(1, &x, right, store_record_get(r, FK_name), n | A_BOLD);
	put_next(1, &x, right, form_field_text(r, FK_sex), n);
	int age = form_age(store_record_get(r, FK_birth_date), t->today);
	if (age >= 0) {
		snprintf(buf, sizeof(buf), _("age %d"), age);
		put_next(1, &x, right, buf, n);
	}
	const char *village = store_record_get(r, FK_village);
	const char *group = store_record_get(r, FK_group);
	snprintf(buf, sizeof(buf), "%s%s", village ? village : "", group ? group : "");
	put_next(1, &x, right, buf, n);
	if (exited(c) && c->moved[0]) {
		const char *date = store_record_get(r, FK_exit_date);
		snprintf(buf, sizeof(buf), _("%s, %s"), c->moved, date ? date : "");
		put_next(1, &x, right, buf, tui_attr(t, TUI_WARN));
	} else if (exited(c)) {
		const char *reason = form_field_text(r, FK_exit_reason);
		const char *date = store_record_get(r, FK_exit_date);
		snprintf(buf, sizeof(buf), _("%s (%s, %s)"), form_field_text(r, FK_status),
			 reason ? reason : "", date ? date : "");
		put_next(1, &x, right, buf, tui_attr(t, TUI_WARN));
	} else {
		put_next(1, &x, right, form_field_text(r, FK_status), tui_attr(t, TUI_OK));
	}

	unsigned fl = form_child_flags(r, t->today);
	unsigned warn = FORM_FLAG_UNSUPERVISED | FORM_FLAG_VISIT_OVERDUE |
			FORM_FLAG_OVER_AGE | FORM_FLAG_NOT_LEFT_BEHIND;
	x = 1;
	if (tui_foreign(t, r)) {
		snprintf(buf, sizeof(buf), _("[Read-only: office %s's record]"), r->origin);
		put_next(2, &x, right, buf, tui_attr(t, TUI_DIM) | A_BOLD);
	}
	if (fl == 0)
		put_next(2, &x, right, _("No flags."), tui_attr(t, TUI_DIM));
	for (int b = 0; b < FORM_FLAG_COUNT; b++) {
		unsigned bit = 1u << b;
		if (fl & bit) {
			snprintf(buf, sizeof(buf), "[%s]", form_flag_label(bit));
			put_next(2, &x, right, buf,
				 tui_attr(t, (warn & bit) ? TUI_WARN : TUI_LABEL));
		}
	}
	/* the assistance the child receives today */
	for (size_t i = 0; i < c->aids.n; i++)
		if (ledger_aid_current(c->aids.recs[i], t->today)) {
			snprintf(buf, sizeof(buf), "[%s]",
				 form_field_text(c->aids.recs[i], FK_programme));
			put_next(2, &x, right, buf, tui_attr(t, TUI_OK));
		}
}

static int tab_count(const struct child *c)
{
	int n = (int)c->nsecs + 4 + (c->nearlier > 0);
	return n > MAX_TABS ? MAX_TABS : n;
}

/* After the sections: visits, reports, assistance, history, and for a
 * child transferred in, the file it came with. */
static int tab_visits(const struct child *c)
{
	return (int)c->nsecs;
}

static int tab_aid(const struct child *c)
{
	return (int)c->nsecs + 2;
}

static int tab_earlier(const struct child *c)
{
	return (int)c->nsecs + 4;
}

static const char *tab_label(const struct child *c, int i)
{
	if (i < (int)c->nsecs)
		return form_section_label(&c->secs[i]);
	if (i == tab_visits(c))
		return _("Visit log");
	if (i == tab_visits(c) + 1)
		return _("Reports filed");
	if (i == tab_aid(c))
		return _("Assistance entries");
	if (i == tab_earlier(c))
		return _("Before the transfer");
	return _("Change log");
}

/* Row 3: the tabs, numbered; when they do not all fit, a window of them
 * around the current one with < > at the cut ends. */
static void draw_tabs(struct tui *t, struct child *c)
{
	int n = tab_count(c), w[MAX_TABS], total = -1;
	char cell[MAX_TABS][96];
	for (int i = 0; i < n; i++) {
		const char *l = tab_label(c, i);
		/* "1基本信息" but "1 Basic". */
		const char *gap = (unsigned char)l[0] < 0x80 ? " " : "";
		if (i < 9)
			snprintf(cell[i], sizeof(cell[i]), "%d%s%s", i + 1, gap, l);
		else
			snprintf(cell[i], sizeof(cell[i]), "%s", l);
		w[i] = tui_width(cell[i]);
		total += w[i] + 1;
	}
	int x0 = 0, avail = t->cols, first = 0;
	if (total > avail) {
		x0 = 2;
		avail = t->cols - 4; /* room for the < > marks */
		first = c->tabfirst < c->tab ? c->tabfirst : c->tab;
		for (;;) {
			int span = -1;
			for (int i = first; i <= c->tab; i++)
				span += w[i] + 1;
			if (span <= avail || first == c->tab)
				break;
			first++;
		}
		c->tabfirst = first;
		if (first > 0)
			tui_put(3, 0, 1, "<", tui_attr(t, TUI_DIM));
	}
	int x = x0, right = x0 + avail;
	for (int i = first; i < n; i++) {
		if (x + w[i] > right) {
			tui_put(3, t->cols - 1, 1, ">", tui_attr(t, TUI_DIM));
			break;
		}
		attr_t a = tui_attr(t, i == c->tab ? TUI_SELECTED : TUI_LABEL);
		if (i == c->tab)
			a |= A_BOLD;
		tui_put(3, x, w[i], cell[i], a);
		x += w[i] + 1;
	}
}

/* Lines of a record's fields of one section (all sections when sec is
 * NULL), each label with its value; FORM_REF fields only when all. */
static void cv_fields(struct tui *t, struct tui_canvas *cv, const struct store_record *r,
		      const char *sec)
{
	size_t n;
	const struct form_field *f = form_fields(r->kind, &n);
	int lw = 0;
	for (size_t i = 0; i < n; i++)
		if (!(f[i].flags & FORM_HIDDEN) && (sec == NULL || strcmp(f[i].section, sec) == 0) &&
		    tui_width(form_label(&f[i])) > lw)
			lw = tui_width(form_label(&f[i]));
	if (lw > t->cols / 3)
		lw = t->cols / 3;
	/* Values end before the last three columns: the scroll marks. */
	int vw = t->cols - 3 - (2 + lw + 2);
	for (size_t i = 0; i < n; i++) {
		if ((f[i].flags & FORM_HIDDEN) || (sec != NULL && strcmp(f[i].section, sec) != 0) ||
		    (sec == NULL && f[i].type == FORM_REF))
			continue;
		cv_field(t, cv, 2, lw, vw, form_label(&f[i]),
			 form_value_text(&f[i], store_record_get(r, f[i].key)), tui_attr(t, TUI_NORMAL));
	}
}

/* The bodies of the tabs that scroll, drawn on a canvas (arg: the child). */
static void body_section(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct child *c = arg;
	cv_fields(t, cv, c->rec, c->secs[c->tab].code);
}

static void body_visit(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct child *c = arg;
	const struct store_record *v = c->visits.recs[c->detail];
	int y = tui_canvas_next(cv);
	if (y >= 0) {
		char buf[160];
		snprintf(buf, sizeof(buf), _("Visit %s (Esc: back to the list)"), v->id);
		tui_put(y, 1, t->cols - 4, buf, tui_attr(t, TUI_LABEL) | A_BOLD);
	}
	cv_fields(t, cv, v, NULL);
}


static void body_history(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct child *c = arg;
	int y = tui_canvas_next(cv);
	if (y >= 0)
		tui_put(y, 1, t->cols - 4,
			_("Newest first. Enter or F8: every change, field by field."),
			tui_attr(t, TUI_DIM));
	size_t caselen = strlen(c->case_no);
	for (size_t i = 0; i < c->nhist; i++) {
		const struct hline *h = &c->hist[i];
		if ((y = tui_canvas_next(cv)) < 0)
			continue;
		/* Under the child's own file, a visit is named by its tail. */
		const char *id = strncmp(h->id, c->case_no, caselen) == 0 && h->id[caselen] == '/'
					 ? h->id + caselen + 1 : h->id;
		tui_put(y, 1, 19, h->when, tui_attr(t, TUI_LABEL));
		tui_put(y, 22, 10, h->user, tui_attr(t, TUI_NORMAL));
		tui_put(y, 34, 12, form_action_label(h->action), tui_attr(t, TUI_NORMAL));
		tui_putf(y, 48, t->cols - 3 - 48, tui_attr(t, TUI_NORMAL), _("%s (%zu fields)"),
			 id, h->nchanges);
	}
}

static void body_earlier(struct tui *t, void *arg, struct tui_canvas *cv)
{
	struct child *c = arg;
	for (size_t i = 0; i < c->nearlier; i++) {
		const char *p = c->earlier[i];
		do { /* long lines wrapped under themselves */
			char seg[1024];
			tui_take_line(&p, t->cols - 4, seg, sizeof(seg));
			int y = tui_canvas_next(cv);
			if (y >= 0)
				tui_put(y, 1, t->cols - 4, seg,
					tui_attr(t, i == 0 ? TUI_LABEL : TUI_NORMAL));
		} while (*p);
	}
}

/* Column x and width of the list columns, from the labels they hold. */
static int choice_width(enum store_kind kind, const char *key, int cap)
{
	const struct form_field *f = form_field_find(kind, key);
	int w = tui_width(form_label(f));
	for (const struct form_choice *ch = f->choices; ch && ch->code; ch++)
		if (tui_width(form_choice_label(f, ch->code)) > w)
			w = tui_width(form_choice_label(f, ch->code));
	return w > cap ? cap : w;
}

/* Keeps the list's current row in view in height rows. */
static void list_view(struct list *l, int height)
{
	if (l->cur < l->first)
		l->first = l->cur;
	if (l->cur >= l->first + height)
		l->first = l->cur - height + 1;
	if (l->first > (int)l->n - height)
		l->first = (int)l->n - height;
	if (l->first < 0)
		l->first = 0;
}

/* One column of a list row: a field's shown value, cut to width. */
static int column(int y, int x, int width, const struct store_record *r,
		  const char *key, attr_t a)
{
	char buf[512];
	const struct form_field *f = form_field_find(r->kind, key);
	const char *v = store_record_get(r, key);
	flatten(v && f ? form_value_text(f, v) : "-", buf, sizeof(buf));
	tui_put(y, x, width, buf, a);
	return x + width + 2;
}

/* The column headings of a list: the schema's labels. */
static int heading(struct tui *t, int y, int x, int width, enum store_kind kind,
		   const char *key)
{
	tui_put(y, x, width, form_label(form_field_find(kind, key)),
		tui_attr(t, TUI_LABEL) | A_UNDERLINE);
	return x + width + 2;
}

static void draw_visits(struct tui *t, struct child *c)
{
	struct list *l = &c->visits;
	int top = BODY_TOP, height = t->rows - 3 - top;
	if (l->n == 0) {
		tui_put(top, 1, t->cols - 2, _("No visit logged yet. F5 or v: add one."),
			tui_attr(t, TUI_DIM));
		return;
	}
	int kw = choice_width(STORE_VISIT, FK_kind, 16);
	int x = heading(t, top, 1, 10, STORE_VISIT, FK_date);
	x = heading(t, top, x, kw, STORE_VISIT, FK_kind);
	x = heading(t, top, x, 10, STORE_VISIT, FK_visitor);
	x = heading(t, top, x, 12, STORE_VISIT, FK_next_due);
	heading(t, top, x, t->cols - 1 - x, STORE_VISIT, FK_problems);
	list_view(l, height);
	for (int r = 0; r < height && l->first + r < (int)l->n; r++) {
		int i = l->first + r, y = top + 1 + r;
		const struct store_record *v = l->recs[i];
		attr_t a = tui_attr(t, i == l->cur ? TUI_SELECTED : TUI_NORMAL);
		tui_fill(y, 0, t->cols, a);
		x = column(y, 1, 10, v, FK_date, a);
		x = column(y, x, kw, v, FK_kind, a);
		x = column(y, x, 10, v, FK_visitor, a);
		x = column(y, x, 12, v, FK_next_due, a);
		if (store_record_get(v, FK_problems))
			column(y, x, t->cols - 1 - x, v, FK_problems, a);
	}
}

/* A report not yet told to the police while open: due at once. */
static int unsent(const struct store_record *r)
{
	const char *st = store_record_get(r, FK_status);
	return store_record_get(r, FK_reported_at) == NULL &&
	       !(st != NULL && strcmp(st, "closed") == 0);
}

static void draw_reports(struct tui *t, struct child *c)
{
	struct list *l = &c->reports;
	int top = BODY_TOP, height = t->rows - 3 - top;
	if (l->n == 0) {
		tui_put(top, 1, t->cols - 2, _("No report filed. F6 or r: file one."),
			tui_attr(t, TUI_DIM));
		return;
	}
	int cw = choice_width(STORE_REPORT, FK_category, 16);
	int sw = choice_width(STORE_REPORT, FK_stage, 16);
	int stw = choice_width(STORE_REPORT, FK_status, 10);
	int iw = tui_width(form_label(form_field_find(STORE_STEP, FK_report_id)));
	iw = iw < 5 ? 5 : iw > 10 ? 10 : iw;
	int x = heading(t, top, 1, iw, STORE_STEP, FK_report_id);
	x = heading(t, top, x, cw, STORE_REPORT, FK_category);
	x = heading(t, top, x, 16, STORE_REPORT, FK_found_at);
	x = heading(t, top, x, sw, STORE_REPORT, FK_stage);
	heading(t, top, x, stw, STORE_REPORT, FK_status);
	list_view(l, height);
	size_t caselen = strlen(c->case_no);
	for (int r = 0; r < height && l->first + r < (int)l->n; r++) {
		int i = l->first + r, y = top + 1 + r;
		const struct store_record *rep = l->recs[i];
		attr_t a = tui_attr(t, i == l->cur ? TUI_SELECTED
				    : unsent(rep) ? TUI_WARN : TUI_NORMAL);
		tui_fill(y, 0, t->cols, a);
		const char *id = strlen(rep->id) > caselen + 1 ? rep->id + caselen + 1 : rep->id;
		tui_put(y, 1, iw, id, a);
		x = column(y, 1 + iw + 2, cw, rep, FK_category, a);
		x = column(y, x, 16, rep, FK_found_at, a);
		x = column(y, x, sw, rep, FK_stage, a);
		x = column(y, x, stw, rep, FK_status, a);
		if (unsent(rep))
			tui_put(y, x, t->cols - 1 - x, _("not yet reported to police"), a);
	}
}

/* What an entry of assistance is today: it goes on, it ended, or it is
 * yet to begin. */
static const char *aid_state(const struct store_record *a, const char *today, int *current)
{
	const char *from = store_record_get(a, FK_start_date);
	*current = ledger_aid_current(a, today);
	if (*current)
		return _("current");
	return from != NULL && strcmp(from, today) > 0 ? _("not begun") : _("ended");
}

static void draw_aids(struct tui *t, struct child *c)
{
	struct list *l = &c->aids;
	int top = BODY_TOP, height = t->rows - 3 - top;
	if (l->n == 0) {
		tui_put(top, 1, t->cols - 2,
			_("No assistance entered. F3 or a: enter what the child receives."),
			tui_attr(t, TUI_DIM));
		return;
	}
	int pw = choice_width(STORE_AID, FK_programme, 22), sw = 0, cur;
	const char *states[] = { _("current"), _("ended"), _("not begun") };
	for (size_t i = 0; i < 3; i++)
		if (tui_width(states[i]) + 2 > sw)
			sw = tui_width(states[i]) + 2;
	int x = heading(t, top, 1, pw, STORE_AID, FK_programme);
	x = heading(t, top, x, 10, STORE_AID, FK_start_date);
	x = heading(t, top, x, 10, STORE_AID, FK_end_date);
	tui_put(top, x, sw, "", tui_attr(t, TUI_LABEL));
	x = heading(t, top, x + sw + 2, 14, STORE_AID, FK_amount);
	heading(t, top, x, t->cols - 1 - x, STORE_AID, FK_granted_by);
	list_view(l, height);
	for (int r = 0; r < height && l->first + r < (int)l->n; r++) {
		int i = l->first + r, y = top + 1 + r;
		const struct store_record *a = l->recs[i];
		const char *state = aid_state(a, t->today, &cur);
		attr_t at = tui_attr(t, i == l->cur ? TUI_SELECTED : cur ? TUI_NORMAL : TUI_DIM);
		tui_fill(y, 0, t->cols, at);
		x = column(y, 1, pw, a, FK_programme, at);
		x = column(y, x, 10, a, FK_start_date, at);
		x = column(y, x, 10, a, FK_end_date, at);
		tui_putf(y, x, sw, at, "[%s]", state);
		x += sw + 2;
		const char *amount = store_record_get(a, FK_amount);
		const char *per = form_field_text(a, FK_per);
		if (amount != NULL)
			tui_putf(y, x, 14, at, _("%s yuan %s"), amount, per ? per : "");
		x += 16;
		if (x < t->cols - 1)
			column(y, x, t->cols - 1 - x, a, FK_granted_by, at);
	}
}

static void child_draw(struct tui *t, void *data)
{
	struct child *c = data;
	draw_header(t, c);
	draw_tabs(t, c);
	int mark_x = t->cols - 2;
	if (c->tab < (int)c->nsecs)
		tui_canvas_draw(t, BODY_TOP, mark_x, &c->scroll[c->tab], body_section, c);
	else if (c->tab == tab_visits(c) && c->detail >= 0)
		tui_canvas_draw(t, BODY_TOP, mark_x, &c->dscroll, body_visit, c);
	else if (c->tab == tab_visits(c))
		draw_visits(t, c);
	else if (c->tab == tab_visits(c) + 1)
		draw_reports(t, c);
	else if (c->tab == tab_aid(c))
		draw_aids(t, c);
	else if (c->tab == tab_earlier(c))
		tui_canvas_draw(t, BODY_TOP, mark_x, &c->scroll[c->tab], body_earlier, c);
	else
		tui_canvas_draw(t, BODY_TOP, mark_x, &c->scroll[c->tab], body_history, c);
}

/* --- keys -------------------------------------------------------------- */

static void set_tab(struct child *c, int tab)
{
	c->tab = tab;
	c->detail = -1;
}

/* Up, Down, PgUp, PgDn, Home, End: a line or a page, or to an end. 0 when
 * k is none of them. */
static int step_of(struct tui *t, const struct tui_key *k, int *delta)
{
	int page = t->rows - 3 - BODY_TOP - 1;
	return tui_scroll_step(k, page < 1 ? 1 : page, delta);
}

static void move_by(int *v, int delta, int lo, int hi)
{
	long n = (long)*v + delta;
	*v = n < lo ? lo : n > hi ? hi : (int)n;
}

/* Refuses an addition to a child who has left the ledger. */
static int refuse_exited(struct tui *t, struct child *c)
{
	if (!exited(c))
		return 0;
	tui_message(t, 1, _("%s has left the ledger; nothing more can be added to the file."),
		    c->case_no);
	return 1;
}

static void edit(struct tui *t, struct child *c)
{
	if (exited(c)) {
		tui_message(t, 1, _("%s has left the ledger; its file can no longer be changed."),
			    c->case_no);
		return;
	}
	struct xb_error err;
	struct store_record *fresh = NULL;
	xb_error_clear(&err);
	if (store_get(t->st, NULL, STORE_CHILD, c->case_no, &fresh, &err) != XB_OK)
		tui_error(t, &err);
	else
		tui_form_open(t, STORE_CHILD, NULL, fresh);
}

/* Opens the form of the visit (on the visit log) or the entry of
 * assistance (on its tab) the clerk stands on, filled in, to correct it
 * or, for an entry, to end it; the ledger says whether this user may. */
static void correct(struct tui *t, struct child *c)
{
	struct list *l = c->tab == tab_visits(c) ? &c->visits
			 : c->tab == tab_aid(c) ? &c->aids : NULL;
	if (l == NULL) {
		tui_message(t, 1, "%s", _("Go to the visit log (or the assistance) and "
					  "choose the visit to correct."));
		return;
	}
	int i = l == &c->visits && c->detail >= 0 ? c->detail : l->cur;
	if (l->n == 0 || i < 0 || i >= (int)l->n) {
		tui_message(t, 1, "%s", l == &c->visits ? _("There is no visit to correct.")
							: _("There is no entry of assistance yet."));
		return;
	}
	struct xb_error err;
	struct store_record *fresh = NULL;
	xb_error_clear(&err);
	if (store_get(t->st, NULL, l->recs[i]->kind, l->recs[i]->id, &fresh, &err) != XB_OK)
		tui_error(t, &err);
	else
		tui_form_open(t, fresh->kind, NULL, fresh);
}

static void enter(struct tui *t, struct child *c)
{
	if (c->tab == tab_visits(c)) {
		if (c->detail >= 0) {
			c->detail = -1;
		} else if (c->visits.n > 0) {
			c->detail = c->visits.cur;
			c->dscroll = 0;
		}
	} else if (c->tab == tab_visits(c) + 1) {
		if (c->reports.n > 0)
			tui_report_open(t, c->reports.recs[c->reports.cur]->id);
	} else if (c->tab == tab_aid(c)) {
		correct(t, c);
	} else if (c->tab == tab_aid(c) + 1) {
		tui_history_open(t, c->case_no);
	}
}

static void follow_tab(struct tui *t, struct child *c);

/* A child who left comes back into this file: the reason asked, then the
 * clerk confirms, the child named. */
static void readmit(struct tui *t, struct child *c)
{
	struct xb_error err;
	const char *moved = store_record_get(c->rec, FK_transferred_to);
	if (moved != NULL) {
		tui_message(t, 1, _("%s was transferred to township %s; the child comes back "
				    "when that township transfers the file back."),
			    c->case_no, moved);
		return;
	}
	char *reason = tui_prompt(t, _("Re-admit to the ledger"),
				  _("Why does the child come back into the ledger?"), NULL, 0);
	if (reason == NULL)
		return;
	if (*reason == '\0') {
		free(reason);
		tui_message(t, 1, "%s", _("Say why the child comes back into the ledger."));
		return;
	}
	const char *name = store_record_get(c->rec, FK_name);
	char q[320];
	snprintf(q, sizeof(q), _("Re-admit %s (%s) to the ledger as of today?"),
		 name ? name : "", c->case_no);
	if (tui_ask(t, q, _("y: yes   n: no"), "yn") != 'y') {
		free(reason);
		return;
	}
	xb_error_clear(&err);
	int ret = ledger_child_readmit(t->st, c->case_no, reason, NULL, t->user, &err);
	free(reason);
	if (ret != XB_OK) {
		tui_error(t, &err);
		return;
	}
	tui_message(t, 0, _("%s is back in the ledger."), c->case_no);
	if (load(t, c, &err) != XB_OK)
		tui_error(t, &err);
	follow_tab(t, c);
}

/* Prints the child's case slip: a PDF in the data directory's slips/
 * folder, sent to the printer, or the clerk is told where it is. */
static void print_slip(struct tui *t, struct child *c)
{
	struct xb_error err;
	struct store_record *office = NULL;
	unsigned version;
	char dir[4096], path[4200];
	xb_error_clear(&err);
	if (ledger_slip_issue(t->st, c->case_no, 0, t->user, &version, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	store_get(t->st, NULL, STORE_OFFICE, t->office, &office, &err);
	xb_error_clear(&err);
	/* A copy: the member's phone from their user record goes on the
	 * slip, not into the file. */
	struct store_record *child = store_record_dup(c->rec);
	if (child == NULL) {
		store_record_free(&office);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	ledger_member_phone_fill(t->st, child, &err);
	xb_error_clear(&err);
	struct slip_data s;
	slip_data_fill(office, child, version, t->today, &s);
	/* Where the clerk finds it: the office's folder, else the stick,
	 * else the ledger's own slips folder (tui_print_dir, as for the
	 * printed lists). */
	int ret = tui_print_dir(t, dir, sizeof(dir), &err);
	snprintf(path, sizeof(path), "%s/%s-slip.pdf", dir, c->case_no);
	if (ret == XB_OK && slip_pdf(&s, 1, 0, path, &err) == XB_OK) {
		ret = slip_send_to_printer(path, &err);
		if (ret == XB_OK)
			tui_message(t, 0, _("Slip version %u of %s sent to the printer; the PDF "
					    "is %s."),
				    version, c->case_no, path);
		else if (ret == XB_ENOTFOUND)
			tui_message(t, 0, _("There is no printer here (no lp); the slip is in %s."),
				    path);
	}
	if (err.msg[0] && err.code != XB_ENOTFOUND)
		tui_error(t, &err);
	store_record_free(&child);
	store_record_free(&office);
}

/* Whether k is one of the keys that change the file or write for it:
 * edit, visit, report, add, leave the ledger, print (issues a slip). */
static int is_edit_key(const struct child *c, const struct tui_key *k)
{
	return tui_key_is(k, KEY_F(4), "eE") || tui_key_is(k, KEY_F(5), "vV") ||
	       tui_key_is(k, KEY_F(6), "rR") || tui_key_is(k, KEY_F(7), "xXuU") ||
	       tui_key_is(k, 0, "pPcC") ||
	       (tui_key_enter(k) && c->tab == tab_aid(c)) ||
	       (tui_key_is(k, KEY_F(3), "aA") &&
		(c->tab == tab_visits(c) || c->tab == tab_visits(c) + 1 ||
		 c->tab == tab_aid(c)));
}

static int child_key_do(struct tui *t, void *data, const struct tui_key *k)
{
	struct child *c = data;
	int n = tab_count(c), delta;
	if (k->code == KEY_RIGHT || (k->code == 0 && k->ch == '\t')) {
		set_tab(c, (c->tab + 1) % n);
	} else if (k->code == KEY_LEFT || k->code == KEY_BTAB) {
		set_tab(c, (c->tab + n - 1) % n);
	} else if (k->code == 0 && k->ch >= '1' && k->ch <= '9' && k->ch - '1' < n) {
		set_tab(c, (int)(k->ch - '1'));
	} else if (is_edit_key(c, k) && tui_refuse_foreign(t, c->rec)) {
		; /* a township's file at the county: read-only */
	} else if (tui_key_is(k, KEY_F(4), "eE")) {
		edit(t, c);
	} else if (tui_key_is(k, KEY_F(5), "vV")) {
		if (!refuse_exited(t, c))
			tui_form_open(t, STORE_VISIT, c->case_no, NULL);
	} else if (tui_key_is(k, KEY_F(6), "rR")) {
		if (!refuse_exited(t, c))
			tui_form_open(t, STORE_REPORT, c->case_no, NULL);
	} else if (tui_key_is(k, KEY_F(3), "aA") &&
		   (c->tab == tab_visits(c) || c->tab == tab_visits(c) + 1 ||
		    c->tab == tab_aid(c))) {
		if (!refuse_exited(t, c))
			tui_form_open(t, c->tab == tab_visits(c) ? STORE_VISIT
					 : c->tab == tab_aid(c) ? STORE_AID : STORE_REPORT,
				      c->case_no, NULL);
	} else if (tui_key_is(k, 0, "cC")) {
		correct(t, c);
	} else if (exited(c) && (tui_key_is(k, KEY_F(7), "uU"))) {
		readmit(t, c);
	} else if (tui_key_is(k, 0, "uU")) {
		tui_message(t, 1, _("%s is in the ledger: only a child who left it can be "
				    "re-admitted."),
			    c->case_no);
	} else if (tui_key_is(k, KEY_F(7), "xX")) {
		if (exited(c))
			tui_message(t, 1, _("%s has already left the ledger."), c->case_no);
		else
			tui_exit_open(t, c->case_no, c->rec->version);
	} else if (tui_key_is(k, KEY_F(8), "hH")) {
		tui_history_open(t, c->case_no);
	} else if (tui_key_is(k, 0, "pP")) {
		if (!refuse_exited(t, c))
			print_slip(t, c);
	} else if (tui_key_esc(k) && c->detail >= 0) {
		c->detail = -1;
	} else if (tui_key_enter(k)) {
		enter(t, c);
	} else if (step_of(t, k, &delta)) {
		if (c->tab == tab_visits(c) && c->detail >= 0)
			move_by(&c->dscroll, delta, 0, INT_MAX / 2);
		else if (c->tab == tab_visits(c))
			move_by(&c->visits.cur, delta, 0, (int)c->visits.n - 1);
		else if (c->tab == tab_visits(c) + 1)
			move_by(&c->reports.cur, delta, 0, (int)c->reports.n - 1);
		else if (c->tab == tab_aid(c))
			move_by(&c->aids.cur, delta, 0, (int)c->aids.n - 1);
		else
			move_by(&c->scroll[c->tab], delta, 0, INT_MAX / 2);
		if (c->visits.cur < 0)
			c->visits.cur = 0;
		if (c->reports.cur < 0)
			c->reports.cur = 0;
		if (c->aids.cur < 0)
			c->aids.cur = 0;
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

/* A key, then the hint line of the tab the clerk stands on. */
static int child_key(struct tui *t, void *data, const struct tui_key *k)
{
	int ret = child_key_do(t, data, k);
	follow_tab(t, data);
	return ret;
}

static void child_resume(struct tui *t, void *data)
{
	struct child *c = data;
	struct xb_error err;
	xb_error_clear(&err);
	if (load(t, c, &err) != XB_OK)
		tui_error(t, &err);
	follow_tab(t, c);
}

static void child_free(void *data)
{
	struct child *c = data;
	if (c == NULL)
		return;
	store_record_free(&c->rec);
	list_free(&c->visits);
	list_free(&c->reports);
	list_free(&c->aids);
	hist_free(c);
	earlier_free(c);
	free(c);
}

static const char *child_title(struct tui *t, void *data)
{
	(void)t;
	return ((struct child *)data)->title;
}

static const struct tui_screen_ops child_ops = {
	.draw = child_draw,
	.key = child_key,
	.resume = child_resume,
	.free = child_free,
	.keys = child_keys,
	.title = child_title,
};

static const struct tui_screen_ops child_visit_ops = {
	.draw = child_draw,
	.key = child_key,
	.resume = child_resume,
	.free = child_free,
	.keys = child_visit_keys,
	.title = child_title,
};

static const struct tui_screen_ops child_aid_ops = {
	.draw = child_draw,
	.key = child_key,
	.resume = child_resume,
	.free = child_free,
	.keys = child_aid_keys,
	.title = child_title,
};

/* A child who left the ledger: re-admitted, read, not changed. */
static const struct tui_keyhelp child_exited_keys[] = {
	{ "F7 u", N_("re-admit"), 1 },
	{ "F8 h", N_("history"), 1 },
	{ "← → Tab", N_("next or previous tab"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "1-9", N_("go to that tab"), 0 },
	{ "↑↓ PgUp PgDn", N_("scroll, or move in a list"), 0 },
	{ "Enter", N_("open the visit, report or history"), 0 },
	{ NULL, NULL, 0 },
};

static const struct tui_screen_ops child_exited_ops = {
	.draw = child_draw,
	.key = child_key,
	.resume = child_resume,
	.free = child_free,
	.keys = child_exited_keys,
	.title = child_title,
};

/* Another office's child: read, not changed. */
static const struct tui_keyhelp child_ro_keys[] = {
	{ "F8 h", N_("history"), 1 },
	{ "← → Tab", N_("next or previous tab"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "1-9", N_("go to that tab"), 0 },
	{ "↑↓ PgUp PgDn", N_("scroll, or move in a list"), 0 },
	{ "Enter", N_("open the visit, report or history"), 0 },
	{ NULL, NULL, 0 },
};

static const struct tui_screen_ops child_ro_ops = {
	.draw = child_draw,
	.key = child_key,
	.resume = child_resume,
	.free = child_free,
	.keys = child_ro_keys,
	.title = child_title,
};

/* The screen's keys follow the file and its tab (the read-only file's
 * stay): a child who left has re-admit where one in the ledger has leave,
 * and the hint line offers what the clerk does on the tab. */
static void follow_tab(struct tui *t, struct child *c)
{
	struct tui_screen *top = t->top;
	if (top == NULL || top->data != c || top->ops == &child_ro_ops)
		return;
	top->ops = exited(c) ? &child_exited_ops
		   : c->tab == tab_visits(c) ? &child_visit_ops
		   : c->tab == tab_aid(c) ? &child_aid_ops : &child_ops;
}

void tui_child_open(struct tui *t, const char *case_no)
{
	struct child *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	snprintf(c->case_no, sizeof(c->case_no), "%s", case_no);
	c->detail = -1;
	c->secs = form_sections(STORE_CHILD, &c->nsecs);
	if (c->nsecs > MAX_TABS - 5)
		c->nsecs = MAX_TABS - 5;
	struct xb_error err;
	xb_error_clear(&err);
	int ret = load(t, c, &err);
	if (ret == XB_ENOTFOUND)
		tui_message(t, 1, _("No record %s."), case_no);
	else if (ret != XB_OK)
		tui_error(t, &err);
	if (ret != XB_OK) {
		child_free(c);
		return;
	}
	tui_push(t, tui_foreign(t, c->rec) ? &child_ro_ops : &child_ops, c);
	follow_tab(t, c);
}
