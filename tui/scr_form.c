/* scr_form.c - the forms that add and change records, drawn from the
 * schema (forms/schema.c): register or edit a child, log a visit, file a
 * report, add a step to a report's timeline, enter or edit an entry of
 * assistance; correct a visit, a step, a report's police fields; and the
 * small form of a child leaving the ledger.
 *
 * Each value is checked as the clerk leaves its field (form_check_value);
 * the message stays beside the field and the save waits until it is put
 * right. The ledger operation that saves checks the whole record again and
 * names the field it refuses; the form moves there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

enum form_mode {
	MODE_ADD,
	MODE_EDIT,
	MODE_EXIT,
};

/* One field on the form. */
struct item {
	const struct form_field *f;
	char *value; /* normal form (a choice's code), or as typed when bad;
			NULL when empty */
	char *orig;  /* as loaded or pre-filled: what counts as a change */
	char *msg;   /* the message beside the field, NULL when none */
	int bad;     /* refused by the field check: the save waits */
	int required;
	int readonly; /* derived only (left-behind type): shown, not typed */
};

/* One line of the form: a section heading (item -1) or a field. */
struct row {
	int item;
	int section;
};

/* What the header line says about the record, piece by piece; as many
 * pieces are shown as the width allows. */
#define ABOUT_MAX 8

struct form {
	enum store_kind kind;
	enum form_mode mode;
	char parent[96];  /* case number (visit, report, exit) or report id */
	const char *ref_key; /* the field that holds parent */
	uint32_t version; /* exit: the child's version as the clerk saw it */
	struct store_record *rec; /* edit: the record as read; ours */
	const struct form_section *secs;
	size_t nsecs;
	struct item *items;
	int nitems;
	struct row *rows;
	int nrows;
	int cur; /* the current item, -1 when none */
	int top; /* the first row shown */
	struct tui_line line; /* the editor of the current text-like item */
	int editing;          /* line holds the current item's text */
	int stale; /* a conflict was kept: the next save merges the clerk's
		      changes onto the newer record */
	char about[ABOUT_MAX][128];
	int nabout;
};

/* The fields the leaving form sets; the child form leaves them alone
 * (ledger_child_edit keeps them as stored). */
static const char *const exit_keys[] = { FK_exit_reason, FK_exit_date };

/* Values a new record starts with; the clerk may change them. */
enum default_kind { D_TODAY, D_VISITOR, D_CODE };
static const struct {
	enum store_kind kind;
	const char *key;
	enum default_kind how;
	const char *code;
} defaults[] = {
	{ STORE_VISIT, FK_date, D_TODAY, NULL },
	{ STORE_VISIT, FK_visitor, D_VISITOR, NULL },
	{ STORE_VISIT, FK_kind, D_CODE, "home" },
	{ STORE_REPORT, FK_found_at, D_TODAY, NULL },
	{ STORE_STEP, FK_date, D_TODAY, NULL },
	{ STORE_AID, FK_start_date, D_TODAY, NULL },
};

/* The fields of a filed report that its correction form offers
 * (ledger_report_edit takes these only). */
static const char *const report_edit_keys[] = {
	FK_police_station, FK_receipt_no, FK_description,
};

static const struct tui_keyhelp form_keys[] = {
	{ "F2 Ctrl-S", N_("save"), 1 },
	{ "Tab ↑↓", N_("field"), 1 },
	{ "Enter", N_("choose / next"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "Shift-Tab", N_("previous field"), 0 },
	{ "PgUp PgDn", N_("a screenful up or down"), 0 },
	{ "1-9 Space Del", N_("a choice by its number; Space: the list; Del: empty it"), 0 },
	{ "s", N_("save, when the cursor is not in a text field"), 0 },
	{ "F10 Ctrl-C", N_("leave; asks about unsaved changes"), 0 },
	{ "Ctrl-K Ctrl-U", N_("delete to the end / to the start"), 0 },
	{ NULL, NULL, 0 },
};

/* s, or "" for NULL. */
static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Replaces *dst by a copy of v; NULL or "" empties it. */
static void set_str(char **dst, const char *v)
{
	char *copy = v && *v ? strdup(v) : NULL;
	free(*dst);
	*dst = copy;
}

/* Frees what an item holds (not the item). */
static void item_free(struct item *it)
{
	free(it->value);
	free(it->orig);
	free(it->msg);
}

/* Frees the form and the record it was given. */
static void form_free(void *data)
{
	struct form *s = data;
	if (s == NULL)
		return;
	for (int i = 0; i < s->nitems; i++)
		item_free(&s->items[i]);
	free(s->items);
	free(s->rows);
	store_record_free(&s->rec);
	free(s);
}

/* Whether the item is typed (a text editor) rather than picked. */
static int is_text(const struct item *it)
{
	return it->f->type != FORM_CHOICE || it->f->choices == NULL;
}

/* Number of choices of a choice field. */
static int choice_count(const struct form_field *f)
{
	int n = 0;
	while (f->choices && f->choices[n].code)
		n++;
	return n;
}

/* The index of the item for field key, or -1. */
static int find_item(const struct form *s, const char *key)
{
	for (int i = 0; key && *key && i < s->nitems; i++)
		if (strcmp(s->items[i].f->key, key) == 0)
			return i;
	return -1;
}

/* The row an item stands on. */
static int row_of(const struct form *s, int item)
{
	for (int r = 0; r < s->nrows; r++)
		if (s->rows[r].item == item)
			return r;
	return 0;
}

/* The next item from `from` in direction dir (+1/-1) that the clerk can
 * stand on, or -1. */
static int next_item(const struct form *s, int from, int dir)
{
	for (int i = from + dir; i >= 0 && i < s->nitems; i += dir)
		if (!s->items[i].readonly)
			return i;
	return -1;
}

/* Sets the message beside an item; NULL clears it. */
static void set_msg(struct item *it, const char *msg)
{
	set_str(&it->msg, msg);
}

/* The message without its leading "label: " (the label stands to its
 * left already). */
static const char *short_msg(const struct item *it)
{
	const char *label = form_label(it->f);
	size_t n = strlen(label);
	const char *m = it->msg;
	if (strncmp(m, label, n) != 0)
		return m;
	m += n;
	if (strncmp(m, "：", strlen("：")) == 0)
		m += strlen("：");
	else if (*m == ':')
		m++;
	else
		return it->msg;
	while (*m == ' ')
		m++;
	/* "公民身份号码：公民身份号码校验码不对" says the label twice. */
	if (strncmp(m, label, n) == 0 && m[n] != '\0')
		m += n;
	return *m ? m : it->msg;
}

/* Newline and tab may stand in a note; on the one-line editor and in the
 * form they show as the control pictures ␤ and ␉. */
#define PIC_NL 0x2424
#define PIC_TAB 0x2409

/* Loads the current item into the editor, the cursor after its text. */
static void enter_item(struct form *s, int i)
{
	s->cur = i;
	s->editing = 0;
	if (i < 0 || i >= s->nitems || s->items[i].readonly || !is_text(&s->items[i]))
		return;
	tui_line_set(&s->line, s->items[i].value);
	for (int k = 0; k < s->line.len; k++) {
		if (s->line.buf[k] == L'\n')
			s->line.buf[k] = PIC_NL;
		else if (s->line.buf[k] == L'\t')
			s->line.buf[k] = PIC_TAB;
	}
	s->editing = 1;
}

/* The editor's text as UTF-8 (malloc'd), newlines and tabs restored. */
static char *line_text(const struct tui_line *l)
{
	struct tui_line *copy = malloc(sizeof(*copy));
	if (copy == NULL)
		return NULL;
	*copy = *l;
	for (int k = 0; k < copy->len; k++) {
		if (copy->buf[k] == PIC_NL)
			copy->buf[k] = L'\n';
		else if (copy->buf[k] == PIC_TAB)
			copy->buf[k] = L'\t';
	}
	char *text = tui_line_get(copy);
	free(copy);
	return text;
}

/* A value for the screen (malloc'd): newlines and tabs as pictures. */
static char *shown_text(const char *v)
{
	size_t n = strlen(v);
	char *out = malloc(n * 3 + 1), *p = out;
	if (out == NULL)
		return NULL;
	for (; *v; v++) {
		if (*v == '\n')
			p += sprintf(p, "%s", "␤");
		else if (*v == '\t')
			p += sprintf(p, "%s", "␉");
		else
			*p++ = *v;
	}
	*p = '\0';
	return out;
}

/* The record as the form holds it: the record as read (edit) or a new
 * one, with every field's value and the parent reference. */
static struct store_record *build_record(const struct form *s)
{
	struct store_record *r = s->rec ? store_record_dup(s->rec)
					: store_record_new(s->kind);
	if (r == NULL)
		return NULL;
	for (int i = 0; i < s->nitems; i++) {
		if (store_record_set(r, s->items[i].f->key, s->items[i].value) != XB_OK) {
			store_record_free(&r);
			return NULL;
		}
	}
	if (s->ref_key && store_record_set(r, s->ref_key, s->parent) != XB_OK)
		store_record_free(&r);
	return r;
}

/* Sets item i to v (or, when bad, to the text as typed with its message)
 * and fills the derived fields the change moves: the derivation runs on
 * the record before and after, and a derived field the clerk may type
 * (birth date, sex) takes the new result only where the two differ, so a
 * value the clerk typed stays until what it follows from changes
 * (form_check_record judges it at the save). A read-only one (the
 * left-behind type) shows the derivation after every change. */
static void change_value(struct form *s, int i, const char *v, const char *bad_msg)
{
	struct item *it = &s->items[i];
	int derive = s->kind == STORE_CHILD && s->mode != MODE_EXIT && !bad_msg;
	struct store_record *before = derive ? build_record(s) : NULL;
	set_str(&it->value, v);
	set_msg(it, bad_msg);
	it->bad = bad_msg != NULL;
	if (before == NULL)
		return;
	struct store_record *after = build_record(s);
	if (after != NULL && form_derive(before) == XB_OK && form_derive(after) == XB_OK) {
		for (int j = 0; j < s->nitems; j++) {
			struct item *d = &s->items[j];
			if (j == i || !(d->f->flags & FORM_DERIVED))
				continue;
			const char *b = store_record_get(before, d->f->key);
			const char *a = store_record_get(after, d->f->key);
			/* Read-only ones always show what follows now. */
			if (!d->readonly && strcmp(nz(a), nz(b)) == 0)
				continue;
			if (strcmp(nz(a), nz(d->value)) == 0)
				continue;
			set_str(&d->value, a);
			set_msg(d, NULL);
			d->bad = 0;
		}
	}
	store_record_free(&before);
	store_record_free(&after);
}

static int has_village(const char *code, const char *name, void *arg)
{
	(void)code;
	(void)name;
	*(int *)arg = 1;
	return 1;
}

/* A child's village code or name as the clerk leaves its field: a code
 * must lie under this township; with a village register, what was typed
 * (a code, or a name with or without 村/社区/居委会) picks its village
 * and both fields take it, or is refused beside the field. Returns 1
 * when it dealt with the text, 0 to check it as any other value. */
static int village_commit(struct tui *t, struct form *s, const char *text)
{
	const char *key = s->items[s->cur].f->key;
	int is_code = strcmp(key, FK_village_code) == 0;
	if (s->kind != STORE_CHILD || s->mode == MODE_EXIT ||
	    (!is_code && strcmp(key, FK_village) != 0) || *text == '\0')
		return 0;
	struct xb_error err;
	xb_error_clear(&err);
	int any = 0;
	ledger_village_list(t->st, has_village, &any, &err);
	size_t n = strlen(text);
	if (is_code && n == 12 && strspn(text, "0123456789") == n &&
	    strncmp(text, t->office, 9) != 0) {
		char msg[256];
		snprintf(msg, sizeof(msg),
			 _("Village code %s does not lie under this township (%s)."), text,
			 t->office);
		change_value(s, s->cur, text, msg);
		tui_message(t, 1, "%s", msg);
		return 1;
	}
	if (!any)
		return 0; /* no register: as typed */
	char code[13], name[64];
	xb_error_clear(&err);
	if (ledger_village_find(t->st, NULL, text, code, name, &err) != XB_OK) {
		change_value(s, s->cur, text, err.msg[0] ? err.msg : _("Something failed."));
		tui_message(t, 1, "%s", s->items[s->cur].msg);
		return 1;
	}
	int ci = find_item(s, FK_village_code), ni = find_item(s, FK_village);
	if (ci >= 0)
		change_value(s, ci, code, NULL);
	if (ni >= 0)
		change_value(s, ni, name, NULL);
	return 1;
}

/* Takes the editor's text into the current item as the clerk leaves it:
 * checked, and replaced by its normal form when good. */
static void commit(struct tui *t, struct form *s)
{
	if (!s->editing)
		return;
	s->editing = 0;
	struct item *it = &s->items[s->cur];
	char *text = line_text(&s->line);
	if (text == NULL)
		return;
	if (strcmp(text, nz(it->value)) == 0) {
		free(text);
		return;
	}
	if (village_commit(t, s, text)) {
		free(text);
		return;
	}
	char *norm = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	if (form_check_value(it->f, text, &norm, &err) != XB_OK) {
		change_value(s, s->cur, text, err.msg[0] ? err.msg : _("Something failed."));
		tui_message(t, 1, "%s", it->msg);
	} else {
		change_value(s, s->cur, norm, NULL);
	}
	free(norm);
	free(text);
}

/* Leaves the current field for item i. */
static void move_to(struct tui *t, struct form *s, int i)
{
	if (i < 0)
		return;
	commit(t, s);
	enter_item(s, i);
}

/* Whether anything differs from what the form opened with. */
static int dirty(const struct form *s)
{
	for (int i = 0; i < s->nitems; i++)
		if (strcmp(nz(s->items[i].value), nz(s->items[i].orig)) != 0)
			return 1;
	if (s->editing) {
		char *text = line_text(&s->line);
		int d = text && strcmp(text, nz(s->items[s->cur].value)) != 0;
		free(text);
		return d;
	}
	return 0;
}

/* --- what the header line says --- */

static void about_add(struct form *s, const char *fmt, const char *a, const char *b)
{
	if (s->nabout >= ABOUT_MAX)
		return;
	snprintf(s->about[s->nabout++], sizeof(s->about[0]), fmt, a, b);
}

/* "label value" of a field of rec, a choice by its label. */
static void about_field(struct form *s, const struct store_record *rec,
			const struct form_field *f)
{
	const char *v = f ? store_record_get(rec, f->key) : NULL;
	if (v == NULL || *v == '\0')
		return;
	about_add(s, "%s %s", form_label(f), f->choices ? form_choice_label(f, v) : v);
}

/* Fills the header pieces: the program's own fields of an edited child,
 * the parent a visit, report or step belongs to. */
static void describe(struct tui *t, struct form *s)
{
	s->nabout = 0;
	if (s->mode == MODE_EDIT && s->kind == STORE_CHILD) {
		size_t n;
		const struct form_field *f = form_fields(s->kind, &n);
		for (size_t i = 0; i < n; i++)
			if ((f[i].flags & FORM_SYSTEM) && !(f[i].flags & FORM_HIDDEN))
				about_field(s, s->rec, &f[i]);
		for (size_t i = 0; i < sizeof(exit_keys) / sizeof(exit_keys[0]); i++)
			about_field(s, s->rec, form_field_find(s->kind, exit_keys[i]));
		return;
	}
	if (s->mode == MODE_ADD && s->kind == STORE_CHILD) {
		about_add(s, "%s%s", _("Fields marked * are required."), "");
		return;
	}
	/* The parent: a child (visit, report, leaving) or a report (step). */
	enum store_kind pk = s->kind == STORE_STEP ? STORE_REPORT : STORE_CHILD;
	const struct form_field *ref = s->ref_key ? form_field_find(s->kind, s->ref_key)
						  : form_field_find(STORE_CHILD, FK_case_no);
	about_add(s, "%s %s", ref ? form_label(ref) : "", s->parent);
	struct store_record *p = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	if (store_get(t->st, NULL, pk, s->parent, &p, &err) == XB_OK) {
		if (pk == STORE_CHILD) {
			about_add(s, "%s%s", nz(store_record_get(p, FK_name)), "");
		} else {
			about_field(s, p, form_field_find(STORE_REPORT, FK_category));
			about_field(s, p, form_field_find(STORE_REPORT, FK_stage));
		}
		if (s->mode == MODE_EXIT)
			about_field(s, p, form_field_find(STORE_CHILD, FK_status));
	}
	store_record_free(&p);
}

/* --- layout and drawing --- */

struct layout {
	int lw;     /* label column */
	int vx;     /* where values start */
	int avail;  /* columns for a value with no message */
	int vw;     /* columns for a value with a message beside it */
	int mx;     /* where messages start */
	int body_y; /* the first row of fields */
	int body_h; /* rows of fields */
};

/* Columns and rows from the terminal size, on every draw. */
static void layout(struct tui *t, const struct form *s, struct layout *L)
{
	int lw = 8;
	for (int i = 0; i < s->nitems; i++) {
		int w = tui_width(form_label(s->items[i].f));
		if (w > lw)
			lw = w;
	}
	/* English labels run long: up to 26 columns, more when wide. */
	int cap = t->cols / 3 < 26 ? t->cols / 3 : 26;
	if (cap < t->cols / 4)
		cap = t->cols / 4;
	if (lw > cap)
		lw = cap;
	L->lw = lw;
	L->vx = 1 + lw + 2;
	L->avail = t->cols - L->vx - 1;
	L->vw = L->avail * 2 / 5;
	if (L->vw < 26)
		L->vw = 26;
	if (L->vw > L->avail)
		L->vw = L->avail;
	L->mx = L->vx + L->vw + 2;
	L->body_y = 2;
	L->body_h = t->rows - 5;
}

/* The width of the editor or choice box of a field. */
static int box_width(const struct form_field *f, int room)
{
	int w;
	switch (f->type) {
	case FORM_DATE: w = 12; break;
	case FORM_DATETIME: w = 18; break;
	case FORM_IDNUM: w = 20; break;
	case FORM_PHONE: w = 22; break;
	case FORM_INT: w = 6; break;
	case FORM_DIVISION: w = 14; break;
	case FORM_NOTE: w = room; break;
	default:
		w = f->maxlen ? (int)f->maxlen * 2 + 1 : room;
		break;
	}
	if (f->type == FORM_CHOICE && f->choices) {
		w = tui_width(_("choose: Enter")) + 2;
		for (const struct form_choice *c = f->choices; c->code; c++) {
			int cw = tui_width(form_choice_label(f, c->code)) + 2;
			if (cw > w)
				w = cw;
		}
	}
	return w > room ? room : w < 2 ? 2 : w;
}

/* Scrolls so that the current field (and the heading above a section's
 * first field) is in view. */
static void keep_in_view(struct form *s, int h)
{
	if (h < 1)
		h = 1;
	int r = s->cur >= 0 ? row_of(s, s->cur) : 0;
	/* Two rows of context either side, on a form tall enough. */
	int margin = h >= 10 ? 2 : 0;
	int lo = (r > 0 && s->rows[r - 1].item < 0 ? r - 1 : r) - margin;
	int hi = r + margin;
	if (lo < 0)
		lo = 0;
	if (hi > s->nrows - 1)
		hi = s->nrows - 1;
	if (lo < s->top)
		s->top = lo;
	if (hi >= s->top + h)
		s->top = hi - h + 1;
	if (s->top > s->nrows - h)
		s->top = s->nrows - h;
	if (s->top < 0)
		s->top = 0;
}

/* A section heading: its label on a rule. */
static void draw_heading(struct tui *t, const struct form *s, int y, int section)
{
	attr_t a = tui_attr(t, TUI_LABEL);
	const char *label = form_section_label(&s->secs[section]);
	int w = tui_width(label);
	if (w > t->cols - 10)
		w = t->cols - 10;
	attrset(a);
	mvhline(y, 1, ACS_HLINE, 2);
	tui_put(y, 4, w, label, a | A_BOLD);
	attrset(a);
	mvhline(y, 5 + w, ACS_HLINE, t->cols - 6 - w);
	attrset(A_NORMAL);
}

/* One field: label (* when required), value or editor, message. */
static void draw_field(struct tui *t, struct form *s, const struct layout *L,
		       int y, int i)
{
	struct item *it = &s->items[i];
	const struct form_field *f = it->f;
	int cur = i == s->cur;
	int room = it->msg ? L->vw : L->avail;
	tui_put_right(y, 1, L->lw, form_label(f),
		      tui_attr(t, cur ? TUI_SELECTED : TUI_LABEL));
	if (it->required)
		tui_put(y, 1 + L->lw, 1, "*", tui_attr(t, TUI_WARN));
	if (cur && s->editing) {
		tui_line_draw(t, &s->line, y, L->vx, box_width(f, room),
			      tui_attr(t, TUI_INPUT));
	} else if (cur) {
		const char *v = it->value ? form_choice_label(f, it->value)
					  : _("choose: Enter");
		int w = box_width(f, room);
		tui_put(y, L->vx, w, "", tui_attr(t, TUI_INPUT));
		tui_put(y, L->vx + 1, w - 1, v, tui_attr(t, TUI_INPUT));
	} else if (it->value) {
		const char *v = is_text(it) ? it->value : form_choice_label(f, it->value);
		char *shown = shown_text(v);
		tui_put(y, L->vx, room, shown ? shown : v,
			tui_attr(t, it->readonly ? TUI_DIM : TUI_NORMAL));
		free(shown);
	}
	if (it->msg)
		tui_put(y, L->mx, t->cols - L->mx - 1, short_msg(it),
			tui_attr(t, TUI_ERROR));
}

/* The line under the fields: the current field's message in full, its
 * choices by number, or its rule. */
/* What the line under the form says of the current field into buf:
 * its refusal (*error set), its choices, or how to fill it in; NULL for
 * nothing. */
static const char *help_text(const struct form *s, char *buf, size_t len, int *error)
{
	*error = 0;
	if (s->cur < 0)
		return NULL;
	const struct item *it = &s->items[s->cur];
	const struct form_field *f = it->f;
	if (it->msg) {
		*error = 1;
		return it->msg;
	}
	if (!is_text(it)) {
		size_t used = 0;
		buf[0] = '\0';
		for (int k = 0; f->choices[k].code && used + 1 < len; k++)
			/* a no-break space: a wrapped line keeps a number with
			 * its choice */
			used += (size_t)snprintf(buf + used, len - used, "%s%d\u00a0%s",
						 k ? "  " : "", k + 1,
						 form_choice_label(f, f->choices[k].code));
		return buf;
	}
	const char *help = form_help(f);
	if (help == NULL && f->maxlen && (f->type == FORM_TEXT || f->type == FORM_NOTE)) {
		snprintf(buf, len, _("Up to %u characters."), f->maxlen);
		help = buf;
	} else if (help == NULL && f->type == FORM_DATE) {
		help = _("A date: YYYY-MM-DD, e.g. 2026-03-05.");
	} else if (help == NULL && f->type == FORM_DATETIME) {
		help = _("A date, or a date and time: YYYY-MM-DD HH:MM, e.g. 2026-03-05 14:30.");
	}
	return help;
}

/* The help line at y, or two lines ending at y when it is wider than
 * the screen (the body gave up its last row for it). */
static void draw_help(struct tui *t, const char *help, int error, int two, int y)
{
	if (help == NULL)
		return;
	attr_t a = tui_attr(t, error ? TUI_ERROR : TUI_DIM);
	if (!two) {
		tui_put(y, 1, t->cols - 2, help, a);
		return;
	}
	char seg[1024];
	const char *p = help;
	tui_take_words(&p, t->cols - 2, seg, sizeof(seg));
	tui_put(y - 1, 1, t->cols - 2, seg, a);
	tui_put(y, 1, t->cols - 2, p, a);
}

/* Row 1: what the record is, and where in the form the clerk stands. */
static void draw_header(struct tui *t, const struct form *s)
{
	char right[160] = "";
	if (s->nsecs > 1 && s->cur >= 0) {
		int r = row_of(s, s->cur);
		int sec = s->rows[r].section;
		snprintf(right, sizeof(right), _("Section %d of %d: %s"), sec + 1,
			 (int)s->nsecs, form_section_label(&s->secs[sec]));
	}
	if (s->stale) {
		size_t n = strlen(right);
		snprintf(right + n, sizeof(right) - n, "%s%s", n ? "  " : "",
			 _("(a newer version exists)"));
	}
	int rw = tui_width(right);
	if (rw > t->cols / 2)
		rw = t->cols / 2;
	if (rw > 0)
		tui_put_right(1, t->cols - rw - 1, rw, right,
			      tui_attr(t, s->stale ? TUI_WARN : TUI_LABEL));
	int x = 1, limit = t->cols - rw - 3;
	for (int i = 0; i < s->nabout; i++) {
		int w = tui_width(s->about[i]);
		if (x + w > limit)
			break;
		tui_put(1, x, w, s->about[i], tui_attr(t, TUI_NORMAL) | A_BOLD);
		x += w + 3;
	}
}

/* The header, the rows in view, the help line of the current field. */
static void form_draw(struct tui *t, void *data)
{
	struct form *s = data;
	struct layout L;
	layout(t, s, &L);
	char hbuf[1024];
	int herr;
	const char *help = help_text(s, hbuf, sizeof(hbuf), &herr);
	int two = help != NULL && tui_width(help) > t->cols - 2;
	if (two)
		L.body_h--;
	draw_header(t, s);
	keep_in_view(s, L.body_h);
	for (int r = 0; r < L.body_h && s->top + r < s->nrows; r++) {
		const struct row *row = &s->rows[s->top + r];
		if (row->item < 0)
			draw_heading(t, s, L.body_y + r, row->section);
		else
			draw_field(t, s, &L, L.body_y + r, row->item);
	}
	draw_help(t, help, herr, two, t->rows - 3);
}

/* Row 0: what the form does. */
static const char *form_title(struct tui *t, void *data)
{
	struct form *s = data;
	(void)t;
	if (s->mode == MODE_EXIT)
		return _("Leave the ledger");
	switch (s->kind) {
	case STORE_CHILD:
		return s->mode == MODE_EDIT ? _("Edit a child's file") : _("Register a child");
	case STORE_VISIT:
		return s->mode == MODE_EDIT ? _("Correct a visit") : _("Log a visit");
	case STORE_REPORT:
		return s->mode == MODE_EDIT ? _("Correct a report's police station and receipt")
					    : _("File a report");
	case STORE_STEP:
		return s->mode == MODE_EDIT ? _("Correct a step of a report")
					    : _("Add a step to a report");
	case STORE_AID:
		return s->mode == MODE_EDIT ? _("Edit an entry of assistance")
					    : _("Enter assistance");
	default:
		return "";
	}
}

/* --- saving --- */

/* Shows a refusal of the ledger beside the field it is about (and moves
 * there) and on the status line. */
static void show_error(struct tui *t, struct form *s, const struct xb_error *err)
{
	int i = find_item(s, err->field);
	if (i >= 0) {
		set_msg(&s->items[i], err->msg[0] ? err->msg : _("Something failed."));
		if (!s->items[i].readonly)
			s->cur = i;
	}
	tui_error(t, err);
	enter_item(s, s->cur);
}

/* The policy's warnings about a child just saved, joined into out;
 * returns how many. */
static int child_warnings(struct tui *t, const struct store_record *c, char *out,
			  size_t len)
{
	static const unsigned bits[] = {
		FORM_FLAG_UNSUPERVISED, FORM_FLAG_OVER_AGE,
		FORM_FLAG_NOT_LEFT_BEHIND, FORM_FLAG_TURNS16_SOON,
	};
	unsigned fl = form_child_flags(c, t->today);
	char list[256] = "";
	size_t used = 0;
	int n = 0;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(fl & bits[i]) || used + 1 >= sizeof(list))
			continue;
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
					 n ? _(", ") : "", form_flag_label(bits[i]));
		n++;
	}
	if (n)
		snprintf(out, len, _("Note: %s."), list);
	else if (len)
		out[0] = '\0';
	return n;
}

/* Puts the values as they are now into the form as loaded: rec becomes
 * newer, and every field the clerk has not changed takes newer's value;
 * with keep set the changed ones stay, else they are dropped too. */
static void rebase(struct tui *t, struct form *s, struct store_record *newer, int keep)
{
	for (int i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];
		const char *v = store_record_get(newer, it->f->key);
		if (!keep || strcmp(nz(it->value), nz(it->orig)) == 0) {
			set_str(&it->value, v);
			set_msg(it, NULL);
			it->bad = 0;
		}
		set_str(&it->orig, v);
	}
	store_record_free(&s->rec);
	s->rec = newer;
	s->stale = 0;
	describe(t, s);
}

/* A value as the clerk reads it: a choice's label, "(empty)". */
static const char *value_shown(const struct item *it, const char *v)
{
	return v == NULL || *v == '\0' ? _("(empty)") : form_value_text(it->f, v);
}

/* Each field both the clerk and whoever saved newer changed, to
 * different values: both shown, the clerk picks one. Nothing the clerk
 * did not see is overwritten. -1 when they put the save off (Esc). */
static int choose_both_changed(struct tui *t, struct form *s,
			       const struct store_record *newer)
{
	const char *who = newer->changed_by ? newer->changed_by : "?";
	for (int i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];
		const char *theirs = store_record_get(newer, it->f->key);
		if (it->readonly || strcmp(nz(it->value), nz(it->orig)) == 0 ||
		    strcmp(nz(theirs), nz(it->orig)) == 0 ||
		    strcmp(nz(theirs), nz(it->value)) == 0)
			continue;
		char mine[256], q[1024];
		snprintf(mine, sizeof(mine), "%s", value_shown(it, it->value));
		snprintf(q, sizeof(q),
			 _("%s was changed by %s too: you typed \"%s\", %s saved \"%s\" "
			   "(it was \"%s\")."),
			 form_label(it->f), who, mine, who, value_shown(it, theirs),
			 value_shown(it, it->orig));
		int a = tui_ask(t, q, _("m keep mine   t take theirs   Esc do not save yet"),
				"mt");
		if (a == 0)
			return -1;
		if (a == 't')
			set_str(&it->value, theirs);
	}
	return 0;
}

/* After a kept conflict: re-reads the child and puts the clerk's changes
 * on it, so that the save goes onto the newer version; a field changed
 * on both sides is the clerk's choice. */
static int merge_newer(struct tui *t, struct form *s)
{
	struct store_record *newer = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	int ret = store_get(t->st, NULL, s->kind, s->rec->id, &newer, &err);
	if (ret != XB_OK) {
		tui_error(t, &err);
		return ret;
	}
	if (choose_both_changed(t, s, newer) != 0) {
		store_record_free(&newer);
		tui_message(t, 1, "%s", _("Not saved yet: your changes are kept."));
		return XB_EINVAL;
	}
	rebase(t, s, newer, 1);
	return XB_OK;
}

/* The save of an edit was refused because someone saved the child
 * meanwhile: reload, or keep editing and merge at the next save. */
static void conflict(struct tui *t, struct form *s)
{
	struct store_record *newer = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	if (store_get(t->st, NULL, s->kind, s->rec->id, &newer, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	char q[256];
	snprintf(q, sizeof(q), _("%s was changed by %s after you opened it."),
		 newer->id, newer->changed_by ? newer->changed_by : "?");
	int a = tui_ask(t, q, _("r reload (drop my changes)   k keep editing"), "kr");
	if (a == 'r') {
		char who[64];
		snprintf(who, sizeof(who), "%s", newer->changed_by ? newer->changed_by : "?");
		rebase(t, s, newer, 0);
		enter_item(s, s->cur);
		tui_message(t, 0, _("Reloaded as %s saved it; your changes were dropped."), who);
	} else {
		store_record_free(&newer);
		s->stale = 1;
		tui_message(t, 1, "%s", _("Your changes are kept. Saving again reloads "
					  "the file and puts your changes on it."));
	}
}

/* Asks the clerk to confirm what cannot be taken back by the same
 * hand; Enter and Esc cancel. 1 when confirmed. */
static int confirmed(struct tui *t, const char *question)
{
	return tui_ask(t, question, _("y yes, do it   n no"), "ny") == 'y';
}

/* Closes the form after an exit or a step that a leader must approve,
 * saying which request waits. */
static void close_asked(struct tui *t, const char *request)
{
	char id[LEDGER_REQUEST_MAX];
	snprintf(id, sizeof(id), "%s", request);
	tui_pop(t);
	tui_message(t, 0, _("Sent for approval: request %s waits for a leader's "
			    "decision."), id);
}

/* Saves the leaving of the ledger, checked and confirmed first; returns 1
 * when the form closed. */
static int save_exit(struct tui *t, struct form *s)
{
	int ri = find_item(s, exit_keys[0]), di = find_item(s, exit_keys[1]);
	const char *reason = ri >= 0 ? s->items[ri].value : NULL;
	const char *date = di >= 0 ? s->items[di].value : NULL;
	char name[64], request[LEDGER_REQUEST_MAX] = "", q[512];
	struct xb_error err;
	xb_error_clear(&err);
	int ret = ledger_child_exit_check(t->st, s->parent, reason, date, t->user,
					  name, &err);
	if (ret == XB_OK) {
		snprintf(q, sizeof(q), _("Take %s (%s) off the ledger for \"%s\"?"), name,
			 s->parent,
			 form_choice_label(form_field_find(STORE_CHILD, FK_exit_reason),
					   reason));
		if (!confirmed(t, q))
			return 0;
		ret = ledger_child_exit(t->st, s->parent, reason, date, s->version,
					t->user, request, &err);
	}
	char case_no[96];
	snprintf(case_no, sizeof(case_no), "%s", s->parent);
	if (ret == XB_OK && request[0] != '\0') {
		close_asked(t, request);
		return 1;
	}
	if (ret == XB_OK) {
		tui_pop(t);
		tui_message(t, 0, _("%s has left the ledger."), case_no);
		return 1;
	}
	if (ret == XB_ECONFLICT) {
		tui_pop(t);
		tui_message(t, 1, _("%s was changed after you opened it; nothing was "
				    "saved. Look at the file again."), case_no);
		return 1;
	}
	show_error(t, s, &err);
	return 0;
}

/* Refuses the save while a value failed its field's check: goes to the
 * first such field and repeats its message. 1 when refused. */
static int refuse_bad_value(struct tui *t, struct form *s)
{
	for (int i = 0; i < s->nitems; i++) {
		if (s->items[i].bad) {
			enter_item(s, i);
			tui_message(t, 1, "%s", s->items[i].msg);
			return 1;
		}
	}
	return 0;
}

/* Refuses the save while a required field is empty: every one is marked
 * beside its field at once, not one refusal per save, and the form goes
 * to the first. 1 when refused. */
static int refuse_empty_required(struct tui *t, struct form *s)
{
	int empty = 0, first = -1;
	for (int i = 0; i < s->nitems; i++) {
		struct item *it = &s->items[i];
		set_msg(it, NULL);
		if (!it->required || it->readonly || it->value)
			continue;
		char m[256];
		snprintf(m, sizeof(m), _("%s is required."), form_label(it->f));
		set_msg(it, m);
		if (first < 0)
			first = i;
		empty++;
	}
	if (empty == 0)
		return 0;
	enter_item(s, first);
	if (empty == 1)
		tui_message(t, 1, "%s", s->items[first].msg);
	else
		tui_message(t, 1, _("Fill in the fields marked *: %d are still "
				    "empty."), empty);
	return 1;
}

/* Before a step closes a report: checked, then confirmed. 1 to go on. */
static int step_confirmed(struct tui *t, struct form *s, const struct store_record *r)
{
	const char *step = store_record_get(r, FK_step);
	if (s->kind != STORE_STEP || step == NULL || strcmp(step, "closed") != 0)
		return 1;
	struct xb_error err;
	struct store_record *child = NULL;
	char case_no[LEDGER_CASE_MAX], q[512];
	xb_error_clear(&err);
	if (ledger_report_step_check(t->st, r, t->user, &err) != XB_OK) {
		show_error(t, s, &err);
		return 0;
	}
	snprintf(case_no, sizeof(case_no), "%.*s", (int)strcspn(s->parent, "/"), s->parent);
	if (store_get(t->st, NULL, STORE_CHILD, case_no, &child, &err) != XB_OK) {
		tui_error(t, &err);
		return 0;
	}
	snprintf(q, sizeof(q), _("Close %s's report %s?"),
		 nz(store_record_get(child, FK_name)), s->parent);
	store_record_free(&child);
	return confirmed(t, q);
}

/* Writes r through the ledger operation for the form's kind and mode;
 * a step a leader must approve leaves the request's id in request. */
static int write_record(struct tui *t, const struct form *s, struct store_record *r,
			char *request, struct xb_error *err)
{
	switch (s->kind) {
	case STORE_CHILD:
		return s->mode == MODE_EDIT ? ledger_child_edit(t->st, r, t->user, err)
					    : ledger_child_add(t->st, NULL, r, t->user, err);
	case STORE_VISIT:
		return s->mode == MODE_EDIT ? ledger_visit_correct(t->st, r, t->user, err)
					    : ledger_visit_add(t->st, NULL, r, t->user, err);
	case STORE_REPORT:
		return s->mode == MODE_EDIT ? ledger_report_edit(t->st, r, t->user, err)
					    : ledger_report_add(t->st, NULL, r, t->user, err);
	case STORE_AID:
		return s->mode == MODE_EDIT ? ledger_aid_edit(t->st, r, t->user, err)
					    : ledger_aid_add(t->st, NULL, r, t->user, err);
	default:
		return s->mode == MODE_EDIT
			       ? ledger_step_correct(t->st, r, t->user, err)
			       : ledger_report_step(t->st, NULL, r, t->user, request, err);
	}
}

/* A write refused: someone saved the record meanwhile (an edit asks what
 * to do), or the ledger named what is wrong. */
static void write_refused(struct tui *t, struct form *s, int ret,
			  const struct xb_error *err)
{
	if (ret == XB_ECONFLICT && s->mode == MODE_EDIT) {
		enter_item(s, s->cur);
		conflict(t, s);
	} else {
		show_error(t, s, err);
	}
}

/* What the status line says of r just saved, as the command line does,
 * into msg; returns 1 when it needs the clerk's attention. */
static int saved_message(struct tui *t, const struct form *s,
			 const struct store_record *r, char *msg, size_t len)
{
	char warn[300] = "";
	int attention = 0;
	if (s->kind == STORE_CHILD) {
		attention = child_warnings(t, r, warn, sizeof(warn));
		if (s->mode == MODE_EDIT)
			snprintf(msg, len, _("Saved %s (version %u)."), r->id,
				 (unsigned)r->version);
		else
			snprintf(msg, len, _("Registered %s, case number %s."),
				 nz(store_record_get(r, FK_name)), r->id);
	} else if (s->mode == MODE_EDIT && s->kind != STORE_AID) {
		snprintf(msg, len, _("Corrected %s (version %u)."), r->id, (unsigned)r->version);
	} else if (s->kind == STORE_AID) {
		snprintf(msg, len, _("Assistance %s saved."), r->id);
	} else if (s->kind == STORE_VISIT) {
		snprintf(msg, len, _("Visit %s saved."), r->id);
	} else if (s->kind == STORE_REPORT) {
		snprintf(msg, len, _("Report %s filed."), r->id);
		if (store_record_get(r, FK_reported_at) == NULL) {
			snprintf(warn, sizeof(warn), "%s",
				 _("It has not been reported to the police yet: "
				   "that is due at once."));
			attention = 1;
		}
	} else {
		snprintf(msg, len, _("Step %s added."), r->id);
	}
	if (warn[0]) {
		size_t n = strlen(msg);
		snprintf(msg + n, len - n, " %s", warn);
	}
	return attention;
}

/* Closes the form after the save of record id, saying msg; a child just
 * registered has its file opened, whose own word follows msg. */
static void close_saved(struct tui *t, struct form *s, const char *id,
			const char *msg, int attention)
{
	int registered = s->kind == STORE_CHILD && s->mode == MODE_ADD;
	tui_pop(t); /* s is gone from here on */
	if (registered) {
		t->msg[0] = '\0';
		tui_child_open(t, id);
		if (t->msg[0]) {
			char other[512];
			snprintf(other, sizeof(other), "%s", t->msg);
			tui_message(t, attention || t->msg_error, "%s  %s", msg, other);
			return;
		}
	}
	tui_message(t, attention, "%s", msg);
}

/* The children a new child without an ID number may be: the first one
 * in words, and how many in all. */
struct similar {
	char first[256];
	int n;
};

static int note_similar(const struct store_record *other, void *arg)
{
	struct similar *sim = arg;
	if (sim->n++ == 0) {
		const char *village = store_record_get(other, FK_village);
		snprintf(sim->first, sizeof(sim->first), "%s (%s, %s)", other->id,
			 nz(store_record_get(other, FK_name)), village ? village : "-");
	}
	return 0;
}

/* Before a new child without an ID number is registered: when the
 * ledger holds a child who may be the same (same name and birth date, or
 * initials, birth date and village), the clerk is told and chooses to go
 * on or go back. 1 to go on. */
static int similar_ok(struct tui *t, const struct form *s,
		      const struct store_record *r)
{
	struct similar sim = { "", 0 };
	struct xb_error err;
	xb_error_clear(&err);
	if (s->kind != STORE_CHILD || s->mode != MODE_ADD ||
	    store_record_get(r, FK_id_number) != NULL ||
	    ledger_child_similar(t->st, NULL, r, note_similar, &sim, &err) != XB_OK ||
	    sim.n == 0)
		return 1;
	char q[512];
	if (sim.n == 1)
		snprintf(q, sizeof(q), _("This child has no ID number and may be "
					 "the same as case %s."),
			 sim.first);
	else
		snprintf(q, sizeof(q), _("This child has no ID number and may be "
					 "the same as case %s or %d others."),
			 sim.first, sim.n - 1);
	return tui_ask(t, q, _("b go back   r register all the same"), "br") == 'r';
}

/* Saves the form through the ledger; returns 1 when the form closed. */
static int save(struct tui *t, struct form *s)
{
	commit(t, s); /* the field being typed in counts */
	if (refuse_bad_value(t, s) || refuse_empty_required(t, s))
		return 0;
	if (s->mode == MODE_EXIT)
		return save_exit(t, s);
	if (s->stale && merge_newer(t, s) != XB_OK) {
		enter_item(s, s->cur);
		return 0;
	}
	struct store_record *r = build_record(s);
	if (r == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		enter_item(s, s->cur);
		return 0;
	}
	if (!similar_ok(t, s, r) || !step_confirmed(t, s, r)) {
		store_record_free(&r);
		enter_item(s, s->cur);
		return 0;
	}
	struct xb_error err;
	char request[LEDGER_REQUEST_MAX] = "";
	xb_error_clear(&err);
	int ret = write_record(t, s, r, request, &err);
	if (ret != XB_OK) {
		store_record_free(&r);
		write_refused(t, s, ret, &err);
		return 0;
	}
	if (request[0] != '\0') {
		store_record_free(&r);
		close_asked(t, request);
		return 1;
	}
	char msg[512], id[96];
	int attention = saved_message(t, s, r, msg, sizeof(msg));
	snprintf(id, sizeof(id), "%s", r->id);
	store_record_free(&r);
	close_saved(t, s, id, msg, attention);
	return 1;
}

/* --- keys --- */

/* Esc, F10, Ctrl-C (quit set): leave, asking when something changed. */
static int leave(struct tui *t, struct form *s, int quit)
{
	if (!dirty(s)) {
		if (quit)
			return TUI_UNHANDLED; /* Ctrl-C: the program quits */
		tui_pop(t);
		return TUI_HANDLED;
	}
	int a = tui_ask(t, _("Save the changes before leaving?"),
			_("s save   d discard   k keep editing"), "sdk");
	if (a == 's') {
		if (save(t, s) && quit)
			t->quit = 1;
	} else if (a == 'd') {
		if (quit)
			t->quit = 1;
		else
			tui_pop(t);
	}
	return TUI_HANDLED;
}

/* Sets the current choice field to choice k (-1: empty) and moves on. */
static void choose(struct tui *t, struct form *s, int k)
{
	const struct form_field *f = s->items[s->cur].f;
	change_value(s, s->cur, k >= 0 ? f->choices[k].code : NULL, NULL);
	if (k >= 0)
		move_to(t, s, next_item(s, s->cur, 1));
}

/* The pick list of the current choice field. */
static void pick(struct tui *t, struct form *s)
{
	struct item *it = &s->items[s->cur];
	const struct form_field *f = it->f;
	int n = choice_count(f), current = 0;
	const char **items = calloc((size_t)n + 1, sizeof(*items));
	char (*text)[128] = calloc((size_t)n + 1, sizeof(*text));
	if (items == NULL || text == NULL) {
		free(items);
		free(text);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	for (int k = 0; k < n; k++) {
		if (k < 9)
			snprintf(text[k], sizeof(text[k]), "%d %s", k + 1,
				 form_choice_label(f, f->choices[k].code));
		else
			snprintf(text[k], sizeof(text[k]), "  %s",
				 form_choice_label(f, f->choices[k].code));
		items[k] = text[k];
		if (it->value && strcmp(it->value, f->choices[k].code) == 0)
			current = k;
	}
	int m = n;
	if (!it->required) {
		snprintf(text[n], sizeof(text[n]), "  %s", _("(leave empty)"));
		items[m++] = text[n];
	}
	int k = tui_pick(t, form_label(f), items, m, current);
	free(items);
	free(text);
	if (k >= 0)
		choose(t, s, k < n ? k : -1);
}

/* PgDn (dir 1) or PgUp (-1): the view a screenful on, the cursor to the
 * first field the clerk can stand on from there (or back from it). */
static void move_page(struct tui *t, struct form *s, int dir)
{
	int h = t->rows - 5;
	int r = row_of(s, s->cur) + dir * (h - 1), i = -1;
	if (r < 0)
		r = 0;
	if (r >= s->nrows)
		r = s->nrows - 1;
	for (int q = r; q >= 0 && q < s->nrows && i < 0; q += dir)
		if (s->rows[q].item >= 0 && !s->items[s->rows[q].item].readonly)
			i = s->rows[q].item;
	for (int q = r; q >= 0 && q < s->nrows && i < 0; q -= dir)
		if (s->rows[q].item >= 0 && !s->items[s->rows[q].item].readonly)
			i = s->rows[q].item;
	s->top += dir * (h - 1);
	move_to(t, s, i);
}

/* A key in the text field being typed in: the editor's, within the
 * field's length. */
static int text_key(struct tui *t, struct form *s, const struct item *it,
		    const struct tui_key *k)
{
	int printable = k->code == 0 && k->ch >= 0x20 && k->ch != 0x7f;
	/* An ID number typed (or pasted) in groups, 6 8 4: the spaces are
	 * dropped, not counted against its 18 characters. */
	if (printable && it->f->type == FORM_IDNUM && (k->ch == ' ' || k->ch == 0x3000))
		return TUI_HANDLED;
	if (printable && it->f->maxlen && s->line.len >= (int)it->f->maxlen) {
		tui_message(t, 1, _("%s takes at most %u characters."),
			    form_label(it->f), it->f->maxlen);
		return TUI_HANDLED;
	}
	return tui_line_key(&s->line, k) ? TUI_HANDLED : TUI_UNHANDLED;
}

/* A key on a choice field: the list, a choice by its number, emptied;
 * other typing is told where choices come from. */
static int choice_key(struct tui *t, struct form *s, const struct item *it,
		      const struct tui_key *k)
{
	if (tui_key_enter(k) || (k->code == 0 && k->ch == ' ')) {
		pick(t, s);
	} else if (k->code == 0 && k->ch >= '1' && k->ch <= '9') {
		int n = choice_count(it->f);
		if (k->ch - '1' < n)
			choose(t, s, (int)(k->ch - '1'));
		else
			tui_message(t, 1, _("Choose a number from 1 to %d."), n < 9 ? n : 9);
	} else if (k->code == KEY_DC || k->code == KEY_BACKSPACE ||
		   (k->code == 0 && (k->ch == 127 || k->ch == TUI_CTRL('h')))) {
		choose(t, s, -1);
	} else if (k->code == 0 && k->ch > 0x20 && k->ch != '?') {
		tui_message(t, 1, "%s", _("This field is chosen from a list: press "
					  "Enter, or the number of the choice."));
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

/* Saving, leaving, moving, then the key goes to the current field. */
/* The villages of the register, gathered for a pick list. */
struct villages {
	char (*code)[13];
	char (*label)[96];
	int n, cap, failed;
};

static int village_add(const char *code, const char *name, void *arg)
{
	struct villages *v = arg;
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 32;
		char (*c)[13] = realloc(v->code, (size_t)cap * sizeof(*c));
		if (c != NULL)
			v->code = c;
		char (*l)[96] = realloc(v->label, (size_t)cap * sizeof(*l));
		if (l != NULL)
			v->label = l;
		if (c == NULL || l == NULL) {
			v->failed = 1;
			return 1;
		}
		v->cap = cap;
	}
	snprintf(v->code[v->n], sizeof(v->code[0]), "%s", code);
	snprintf(v->label[v->n], sizeof(v->label[0]), "%s (%s)", name, code);
	v->n++;
	return 0;
}

/* Enter on an empty village field of a child: the register's villages to
 * pick from, code and name filled together. 1 when it was that. */
static int pick_village(struct tui *t, struct form *s)
{
	const char *key = s->cur >= 0 ? s->items[s->cur].f->key : "";
	char *typed = s->editing ? line_text(&s->line) : NULL;
	int empty = typed == NULL || *typed == '\0';
	free(typed);
	if (s->kind != STORE_CHILD || s->mode == MODE_EXIT || !empty ||
	    (strcmp(key, FK_village_code) != 0 && strcmp(key, FK_village) != 0))
		return 0;
	struct villages v = { NULL, NULL, 0, 0, 0 };
	struct xb_error err;
	xb_error_clear(&err);
	int ret = ledger_village_list(t->st, village_add, &v, &err);
	if (ret != XB_OK || v.failed || v.n == 0) {
		free(v.code);
		free(v.label);
		if (ret != XB_OK)
			tui_error(t, &err);
		return v.n == 0 && ret == XB_OK && !v.failed ? 0 : 1;
	}
	const char **items = calloc((size_t)v.n, sizeof(*items));
	int k = -1;
	if (items != NULL) {
		for (int i = 0; i < v.n; i++)
			items[i] = v.label[i];
		k = tui_pick(t, _("Villages of the register"), items, v.n, 0);
	}
	free(items);
	if (k >= 0) {
		char code[13], name[64];
		xb_error_clear(&err);
		if (ledger_village_find(t->st, NULL, v.code[k], code, name, &err) == XB_OK) {
			int ci = find_item(s, FK_village_code), ni = find_item(s, FK_village);
			if (ci >= 0)
				change_value(s, ci, code, NULL);
			if (ni >= 0)
				change_value(s, ni, name, NULL);
			enter_item(s, s->cur);
			move_to(t, s, next_item(s, ni > s->cur ? ni : s->cur, 1));
		}
	}
	free(v.code);
	free(v.label);
	return 1;
}

static int form_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct form *s = data;
	int typing = s->editing;
	struct item *it = s->cur >= 0 ? &s->items[s->cur] : NULL;
	int ctrl_c = k->code == 0 && k->ch == TUI_CTRL('c');

	if (tui_key_is(k, KEY_F(2), NULL) || (k->code == 0 && k->ch == TUI_CTRL('s')) ||
	    (!typing && tui_key_is(k, 0, "sS"))) {
		save(t, s); /* may close the form: s is not used after */
		return TUI_HANDLED;
	}
	if (tui_key_esc(k) || tui_key_is(k, KEY_F(10), NULL) || ctrl_c ||
	    (!typing && tui_key_is(k, 0, "q")))
		return leave(t, s, ctrl_c);
	if (k->code == 0 && k->ch == '\t') {
		int i = next_item(s, s->cur, 1);
		move_to(t, s, i >= 0 ? i : next_item(s, -1, 1));
	} else if (typing && tui_key_enter(k) && pick_village(t, s)) {
		;
	} else if (k->code == KEY_DOWN || (typing && tui_key_enter(k))) {
		move_to(t, s, next_item(s, s->cur, 1));
	} else if (k->code == KEY_UP) {
		move_to(t, s, next_item(s, s->cur, -1));
	} else if (k->code == KEY_BTAB) {
		int i = next_item(s, s->cur, -1);
		move_to(t, s, i >= 0 ? i : next_item(s, s->nitems, -1));
	} else if (k->code == KEY_NPAGE || k->code == KEY_PPAGE) {
		move_page(t, s, k->code == KEY_NPAGE ? 1 : -1);
	} else if (it == NULL) {
		return TUI_UNHANDLED;
	} else {
		return typing ? text_key(t, s, it, k) : choice_key(t, s, it, k);
	}
	return TUI_HANDLED;
}

/* --- drafts: a form cut off (the terminal closed) --- */

/* The value item i holds now: the editor's text for the field being
 * typed (malloc'd), else its value (a copy). */
static char *value_now(const struct form *s, int i)
{
	if (s->editing && i == s->cur)
		return line_text(&s->line);
	return strdup(nz(s->items[i].value));
}

/* Keeps what the clerk changed as the user's draft; the top form only
 * (one draft per user). */
static void form_hangup(struct tui *t, void *data)
{
	struct form *s = data;
	if (t->draft_kept || s->mode == MODE_EXIT || t->user == NULL || !dirty(s))
		return;
	struct store_record *c = store_record_new(s->kind);
	char cleared[2048] = "";
	int failed = c == NULL;
	if (!failed && s->rec != NULL) {
		failed = store_record_set_id(c, s->rec->id) != XB_OK;
		c->version = s->rec->version;
	}
	for (int i = 0; i < s->nitems && !failed; i++) {
		char *v = value_now(s, i);
		failed = v == NULL;
		if (!failed && strcmp(v, nz(s->items[i].orig)) != 0) {
			if (*v != '\0')
				failed = store_record_set(c, s->items[i].f->key, v) != XB_OK;
			else if (strlen(cleared) + strlen(s->items[i].f->key) + 2 < sizeof(cleared))
				snprintf(cleared + strlen(cleared), sizeof(cleared) - strlen(cleared),
					 "%s%s", cleared[0] ? "," : "", s->items[i].f->key);
		}
		free(v);
	}
	struct xb_error err;
	xb_error_clear(&err);
	/* Nothing can be told now: the terminal is gone. */
	if (!failed && ledger_draft_keep(t->st, t->user, c, cleared, s->parent, &err) == XB_OK)
		t->draft_kept = 1;
	store_record_free(&c);
}

static const struct tui_screen_ops form_ops = {
	.flags = TUI_SCREEN_TAKES_TEXT,
	.draw = form_draw,
	.key = form_key,
	.free = form_free,
	.keys = form_keys,
	.title = form_title,
	.hangup = form_hangup,
};

/* --- opening --- */

/* Adds a field to the form with its first value. */
static void add_item(struct form *s, const struct form_field *f, int required,
		     const char *value)
{
	struct item *it = &s->items[s->nitems++];
	it->f = f;
	it->required = required;
	it->readonly = (f->flags & FORM_DERIVED) && !(f->flags & FORM_REQUIRED);
	set_str(&it->value, value);
	set_str(&it->orig, value);
}

/* Lays the items out in rows: each section's heading, then its fields. */
static int build_rows(struct form *s)
{
	s->rows = calloc((size_t)s->nitems + s->nsecs + 1, sizeof(*s->rows));
	char *placed = calloc((size_t)s->nitems + 1, 1);
	if (s->rows == NULL || placed == NULL) {
		free(placed);
		return XB_EFAIL;
	}
	for (size_t k = 0; k < s->nsecs; k++) {
		int heading = 0;
		for (int i = 0; i < s->nitems; i++) {
			if (strcmp(nz(s->items[i].f->section), s->secs[k].code) != 0)
				continue;
			if (!heading) {
				s->rows[s->nrows++] = (struct row){ -1, (int)k };
				heading = 1;
			}
			s->rows[s->nrows++] = (struct row){ i, (int)k };
			placed[i] = 1;
		}
	}
	for (int i = 0; i < s->nitems; i++)
		if (!placed[i])
			s->rows[s->nrows++] = (struct row){ i, s->nsecs ? (int)s->nsecs - 1 : 0 };
	free(placed);
	return XB_OK;
}

/* Whether key is one of the leaving fields. */
static int is_exit_key(const char *key)
{
	for (size_t i = 0; i < sizeof(exit_keys) / sizeof(exit_keys[0]); i++)
		if (strcmp(key, exit_keys[i]) == 0)
			return 1;
	return 0;
}

/* Whether the form of kind in mode offers field key: a filed report's
 * correction its police fields only; a new child's registration not the
 * old summary of assistance (entered as dated entries now: aid). */
static int offered(enum store_kind kind, enum form_mode mode, const char *key)
{
	if (kind == STORE_CHILD && mode == MODE_ADD)
		return strcmp(key, FK_assistance) != 0;
	if (kind != STORE_REPORT || mode != MODE_EDIT)
		return 1;
	for (size_t i = 0; i < sizeof(report_edit_keys) / sizeof(report_edit_keys[0]); i++)
		if (strcmp(key, report_edit_keys[i]) == 0)
			return 1;
	return 0;
}

/* The pre-filled value of a field of a new record, or NULL. */
/* Who visits a child, most likely: the child's responsible member, else
 * whoever visited last, else the signed-in user by their full name (the
 * login name only when there is none); into buf. */
static const char *likely_visitor(struct tui *t, const char *case_no, char *buf,
				  size_t len)
{
	struct xb_error err;
	struct store_record *r = NULL;
	xb_error_clear(&err);
	buf[0] = '\0';
	if (case_no && *case_no && store_get(t->st, NULL, STORE_CHILD, case_no, &r, &err) == XB_OK)
		snprintf(buf, len, "%s", nz(store_record_get(r, FK_member_name)));
	store_record_free(&r);
	char prefix[48];
	struct store_iter *it;
	snprintf(prefix, sizeof(prefix), "%s/V", nz(case_no));
	if (buf[0] == '\0' && case_no && *case_no &&
	    store_iter_open(t->st, STORE_VISIT, STORE_BY_ID, STORE_PREFIX, prefix, &it, &err) ==
		    XB_OK) {
		while (store_iter_next(it, &r, NULL, &err) == 1) {
			/* ids sort by serial: the last is the latest */
			if (store_record_get(r, FK_visitor))
				snprintf(buf, len, "%s", store_record_get(r, FK_visitor));
			store_record_free(&r);
		}
		store_iter_close(&it);
	}
	if (buf[0] == '\0' && t->user &&
	    store_get(t->st, NULL, STORE_USER, t->user, &r, &err) == XB_OK)
		snprintf(buf, len, "%s", nz(store_record_get(r, FK_display_name)));
	store_record_free(&r);
	if (buf[0] == '\0')
		snprintf(buf, len, "%s", nz(t->user));
	return buf;
}

/* What a new record's field starts with (buf holds a looked-up one). */
static const char *default_of(struct tui *t, enum store_kind kind, const char *key,
			      const char *parent, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (defaults[i].kind != kind || strcmp(defaults[i].key, key) != 0)
			continue;
		switch (defaults[i].how) {
		case D_TODAY: return t->today;
		case D_VISITOR: return likely_visitor(t, parent, buf, len);
		case D_CODE: return defaults[i].code;
		}
	}
	return NULL;
}

/* Finishes opening: rows, header, the first field, then on screen. */
static void open_form(struct tui *t, struct form *s)
{
	if (build_rows(s) != XB_OK || s->nitems == 0) {
		form_free(s);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	describe(t, s);
	enter_item(s, next_item(s, -1, 1));
	tui_push(t, &form_ops, s);
}

/* Whether the signed-in user may not write a record of kind about the
 * child of case_no or its report (NULL: a new child); says why. */
static int refused(struct tui *t, enum store_kind kind, const char *about)
{
	char case_no[96];
	snprintf(case_no, sizeof(case_no), "%s", nz(about));
	case_no[strcspn(case_no, "/")] = '\0';
	enum ledger_perm perm = kind == STORE_VISIT    ? LEDGER_VISIT
				: kind == STORE_REPORT ? LEDGER_REPORT
						       : LEDGER_CASEWORK;
	return tui_refuse(t, perm, case_no[0] ? case_no : NULL);
}

/* Opens the form of a new record of kind under parent, or of rec. */
void tui_form_open(struct tui *t, enum store_kind kind, const char *parent,
		   struct store_record *rec)
{
	if (kind != STORE_CHILD && kind != STORE_VISIT && kind != STORE_REPORT &&
	    kind != STORE_STEP && kind != STORE_AID) {
		store_record_free(&rec);
		tui_message(t, 1, "%s", _("There is no form for this kind of record."));
		return;
	}
	if (rec != NULL && (rec->kind != kind || rec->id == NULL)) {
		store_record_free(&rec);
		tui_message(t, 1, "%s", _("There is no form for this kind of record."));
		return;
	}
	/* A saved record's parent is the one it names. */
	const struct form_field *ref = NULL;
	size_t nf;
	const struct form_field *all = form_fields(kind, &nf);
	for (size_t i = 0; i < nf && ref == NULL; i++)
		if (all[i].type == FORM_REF)
			ref = &all[i];
	if (rec != NULL && kind != STORE_CHILD && ref != NULL)
		parent = store_record_get(rec, ref->key);
	if (kind != STORE_CHILD && (parent == NULL || *parent == '\0')) {
		tui_message(t, 1, "%s", _("Open the child's file (or the report) first."));
		return;
	}
	/* Who may not save it hears why before typing a whole form. */
	if (refused(t, kind, rec ? rec->id : parent)) {
		store_record_free(&rec);
		return;
	}
	size_t n;
	const struct form_field *f = form_fields(kind, &n);
	struct form *s = calloc(1, sizeof(*s));
	if (s == NULL || (s->items = calloc(n + 1, sizeof(*s->items))) == NULL) {
		free(s);
		store_record_free(&rec);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	s->kind = kind;
	s->mode = rec ? MODE_EDIT : MODE_ADD;
	s->rec = rec;
	s->cur = -1;
	snprintf(s->parent, sizeof(s->parent), "%s", nz(parent));
	s->secs = form_sections(kind, &s->nsecs);
	for (size_t i = 0; i < n; i++) {
		if (f[i].flags & (FORM_HIDDEN | FORM_SYSTEM))
			continue;
		if (f[i].type == FORM_REF) { /* the parent: set from `parent` */
			s->ref_key = f[i].key;
			continue;
		}
		if (kind == STORE_CHILD && is_exit_key(f[i].key))
			continue;
		if (!offered(kind, s->mode, f[i].key))
			continue;
		char buf[128];
		add_item(s, &f[i], (f[i].flags & FORM_REQUIRED) != 0,
			 rec ? store_record_get(rec, f[i].key)
			     : default_of(t, kind, f[i].key, parent, buf, sizeof(buf)));
	}
	open_form(t, s);
}

/* Opens the small form of a child leaving the ledger. */
void tui_exit_open(struct tui *t, const char *case_no, uint32_t version)
{
	if (case_no == NULL || *case_no == '\0' || refused(t, STORE_CHILD, case_no))
		return;
	size_t nk = sizeof(exit_keys) / sizeof(exit_keys[0]);
	struct form *s = calloc(1, sizeof(*s));
	if (s == NULL || (s->items = calloc(nk, sizeof(*s->items))) == NULL) {
		free(s);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	s->kind = STORE_CHILD;
	s->mode = MODE_EXIT;
	s->version = version;
	s->cur = -1;
	snprintf(s->parent, sizeof(s->parent), "%s", case_no);
	for (size_t i = 0; i < nk; i++) {
		const struct form_field *f = form_field_find(STORE_CHILD, exit_keys[i]);
		if (f == NULL)
			continue;
		/* The reason is what the ledger insists on; the date is
		 * today unless the clerk says otherwise. */
		add_item(s, f, f->type == FORM_CHOICE,
			 f->type == FORM_DATE ? t->today : NULL);
	}
	open_form(t, s);
}

/* Puts a draft's changes into the form just opened on top: the fields
 * the clerk set and those they emptied, as if typed again. */
static void apply_draft(struct tui *t, const struct store_record *changes,
			const char *cleared)
{
	if (t->top == NULL || t->top->ops != &form_ops)
		return;
	struct form *s = t->top->data;
	for (int i = 0; i < s->nitems; i++) {
		const char *key = s->items[i].f->key;
		const char *v = store_record_get(changes, key);
		size_t kn = strlen(key);
		int gone = 0;
		for (const char *p = cleared; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0))
			gone |= strncmp(p, key, kn) == 0 && (p[kn] == ',' || p[kn] == '\0');
		if (v != NULL || gone)
			change_value(s, i, v, NULL);
	}
	/* The field being typed shows its value from the draft. */
	enter_item(s, s->cur);
}

void tui_draft_offer(struct tui *t)
{
	struct store_record *changes = NULL;
	char *cleared = NULL, parent[LEDGER_DRAFT_PARENT_MAX];
	struct xb_error err;
	xb_error_clear(&err);
	int ret = ledger_draft_take(t->st, t->user, &changes, &cleared, parent, &err);
	if (ret != XB_OK) {
		if (ret != XB_ENOTFOUND)
			tui_error(t, &err);
		return;
	}
	/* What it was: the form's title and whom it is about. */
	struct form probe = { .kind = changes->kind,
			      .mode = changes->id ? MODE_EDIT : MODE_ADD };
	const char *name = store_record_get(changes, FK_name);
	const char *about = name ? name : changes->id ? changes->id : parent;
	char q[512];
	snprintf(q, sizeof(q),
		 _("When xiangban was last cut off, \"%s\" (%s) had changes not yet saved. "
		   "Go on with them?"),
		 form_title(t, &probe), about && *about ? about : "-");
	int a = tui_ask(t, q, _("y: go on   n: throw them away   Esc: later"), "yn");
	if (a == 'y') {
		struct store_record *fresh = NULL;
		if (changes->id != NULL &&
		    store_get(t->st, NULL, changes->kind, changes->id, &fresh, &err) != XB_OK) {
			tui_error(t, &err);
		} else {
			uint32_t was = changes->version;
			struct tui_screen *before = t->top;
			tui_form_open(t, changes->kind, parent, fresh);
			if (t->top != before) {
				apply_draft(t, changes, cleared);
				if (fresh != NULL && t->top->ops == &form_ops &&
				    ((struct form *)t->top->data)->rec->version != was)
					tui_message(t, 1, "%s",
						    _("The record was changed by someone else "
						      "since: check every field before saving."));
			}
		}
	} else if (a != 'n') {
		/* Esc: kept for the next start */
		if (ledger_draft_keep(t->st, t->user, changes, cleared, parent, &err) != XB_OK)
			tui_error(t, &err);
	}
	store_record_free(&changes);
	free(cleared);
}
