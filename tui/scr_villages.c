/* scr_villages.c - the office's village register (村(居)名录): each
 * village's code, name and children, and a village added (or renamed) on
 * two lines below the list, the ledger's refusal shown beside the field
 * it names. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

struct vrow {
	char code[13];
	char name[64];
	uint64_t children;
};

struct villages {
	struct vrow *v;
	size_t n, cap;
	int cur, first;
	int loaded;
	uint64_t generation; /* of the ledger when last read */
	/* adding: two lines, code and name, the one typed in */
	int adding, field;
	struct tui_line line[2];
	char msg[2][512]; /* beside each line: what the ledger refused */
};

static const struct tui_keyhelp villages_keys[] = {
	{ "F3 a", N_("add a village"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ "Home End", N_("first or last village"), 0 },
	{ "Tab", N_("adding: code or name"), 0 },
	{ "Enter F2", N_("adding: save the village"), 0 },
	{ NULL, NULL, 0 },
};

static int take_row(const char *code, const char *name, void *arg)
{
	struct villages *s = arg;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct vrow *v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL)
			return 1;
		s->v = v;
		s->cap = cap;
	}
	struct vrow *r = &s->v[s->n++];
	snprintf(r->code, sizeof(r->code), "%s", code);
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->children = 0;
	return 0;
}

/* Reads the register and counts each village's children again, when the
 * ledger changed since. */
static void load(struct tui *t, struct villages *s)
{
	struct xb_error err;
	uint64_t gen = 0;
	xb_error_clear(&err);
	if (store_generation(t->st, &gen, &err) == XB_OK && s->loaded && gen == s->generation)
		return;
	s->n = 0;
	if (ledger_village_list(t->st, take_row, s, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		if (store_index_count(t->st, STORE_CHILD, STORE_BY_VILLAGE, s->v[i].code,
				      &s->v[i].children, &err) != XB_OK) {
			tui_error(t, &err);
			break;
		}
	if (s->cur >= (int)s->n)
		s->cur = s->n ? (int)s->n - 1 : 0;
	s->loaded = 1;
	s->generation = gen;
}

/* The two lines of a village being added, at rows y and y+1. */
static void draw_adding(struct tui *t, struct villages *s, int y)
{
	const char *labels[2] = {
		form_label(form_field_find(STORE_VILLAGE, FK_code)),
		form_label(form_field_find(STORE_VILLAGE, FK_name)),
	};
	int widths[2] = { 14, 22 };
	attr_t label = tui_attr(t, TUI_LABEL), err = tui_attr(t, TUI_ERROR);
	for (int i = 0; i < 2; i++) {
		tui_fill(y + i, 0, t->cols, tui_attr(t, TUI_NORMAL));
		tui_put(y + i, 1, 14, labels[i], label);
		int x = 16;
		if (i == s->field) {
			tui_line_draw(t, &s->line[i], y + i, x, widths[i], tui_attr(t, TUI_INPUT));
		} else {
			char *text = tui_line_get(&s->line[i]);
			tui_put(y + i, x, widths[i], text ? text : "", tui_attr(t, TUI_DIM));
			free(text);
		}
		if (s->msg[i][0])
			tui_put(y + i, x + widths[i] + 2, t->cols - x - widths[i] - 3, s->msg[i],
				err);
	}
}

static void villages_draw(struct tui *t, void *data)
{
	struct villages *s = data;
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD;
	char buf[64];
	int x[3] = { 1, 16, 44 }, w[3] = { 13, 26, 10 };
	int y = 2;
	tui_put(y, 1, t->cols - 2,
		_("The villages of this township: forms and imports pick a village "
		  "from here."), tui_attr(t, TUI_DIM));
	y += 2;
	tui_fill(y, 0, t->cols, head);
	tui_put(y, x[0], w[0], form_label(form_field_find(STORE_VILLAGE, FK_code)), head);
	tui_put(y, x[1], w[1], form_label(form_field_find(STORE_VILLAGE, FK_name)), head);
	tui_put_right(y, x[2], w[2], _("Children"), head);
	y++;
	int bottom = t->rows - 3 - (s->adding ? 3 : 0);
	int rows = bottom - y;
	if (rows < 1)
		rows = 1;
	if (s->n == 0)
		tui_put(y + 1, 1, t->cols - 2,
			_("The register has no village yet: press a to add one."),
			tui_attr(t, TUI_DIM));
	if (s->cur < s->first)
		s->first = s->cur;
	if (s->cur >= s->first + rows)
		s->first = s->cur - rows + 1;
	for (int r = 0; r < rows && s->first + r < (int)s->n; r++) {
		int i = s->first + r;
		attr_t a = tui_attr(t, i == s->cur && !s->adding ? TUI_SELECTED : TUI_NORMAL);
		tui_fill(y + r, 0, t->cols, a);
		tui_put(y + r, x[0], w[0], s->v[i].code, a);
		tui_put(y + r, x[1], w[1], s->v[i].name, a);
		snprintf(buf, sizeof(buf), "%" PRIu64, s->v[i].children);
		tui_put_right(y + r, x[2], w[2], buf, a);
	}
	if (s->adding)
		draw_adding(t, s, bottom + 1);
}

/* Saves the village typed; a refusal stays beside the field it names. */
static void save(struct tui *t, struct villages *s)
{
	char *code = tui_line_get(&s->line[0]), *name = tui_line_get(&s->line[1]);
	struct xb_error err;
	xb_error_clear(&err);
	s->msg[0][0] = s->msg[1][0] = '\0';
	int ret = code && name ? ledger_village_add(t->st, code, name, t->user, &err)
			       : xb_fail(&err, XB_EFAIL, _("Out of memory."));
	if (ret == XB_OK) {
		char c[13] = "", n[64] = "";
		xb_error_clear(&err);
		if (ledger_village_find(t->st, NULL, code, c, n, &err) == XB_OK)
			tui_message(t, 0, _("Village %s %s is in the register."), c, n);
		s->adding = 0;
		s->loaded = 0;
		load(t, s);
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->v[i].code, c) == 0)
				s->cur = (int)i;
	} else if (ret == XB_EINVAL || ret == XB_EEXIST) {
		int i = strcmp(err.field, FK_name) == 0 ? 1 : 0;
		snprintf(s->msg[i], sizeof(s->msg[i]), "%s", err.msg);
		s->field = i;
		tui_message(t, 1, "%s", err.msg);
	} else {
		tui_error(t, &err);
	}
	free(code);
	free(name);
}

static int adding_key(struct tui *t, struct villages *s, const struct tui_key *k)
{
	if (tui_key_esc(k)) {
		s->adding = 0;
	} else if ((k->code == 0 && k->ch == L'\t') || k->code == KEY_BTAB ||
		   k->code == KEY_UP || k->code == KEY_DOWN) {
		s->field = !s->field;
	} else if (tui_key_enter(k) || tui_key_is(k, KEY_F(2), NULL) ||
		   (k->code == 0 && k->ch == TUI_CTRL('s'))) {
		if (s->field == 0 && tui_key_enter(k))
			s->field = 1; /* Enter on the code goes on to the name */
		else
			save(t, s);
	} else if (tui_line_key(&s->line[s->field], k)) {
		s->msg[s->field][0] = '\0';
	} else if (tui_key_is(k, KEY_F(10), NULL) ||
		   (k->code == 0 && k->ch == TUI_CTRL('c'))) {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static int villages_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct villages *s = data;
	if (s->adding)
		return adding_key(t, s, k);
	if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (s->cur > 0)
			s->cur--;
	} else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (s->cur < (int)s->n - 1)
			s->cur++;
	} else if (k->code == KEY_HOME) {
		s->cur = 0;
	} else if (k->code == KEY_END) {
		s->cur = s->n ? (int)s->n - 1 : 0;
	} else if (tui_key_is(k, KEY_F(3), "aA")) {
		s->adding = 1;
		s->field = 0;
		tui_line_set(&s->line[0], NULL);
		tui_line_set(&s->line[1], NULL);
		s->msg[0][0] = s->msg[1][0] = '\0';
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void villages_resume(struct tui *t, void *data)
{
	load(t, data);
}

static void villages_free(void *data)
{
	struct villages *s = data;
	if (s == NULL)
		return;
	free(s->v);
	free(s);
}

static const char *villages_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Villages");
}

static const struct tui_screen_ops villages_ops = {
	.flags = TUI_SCREEN_TAKES_TEXT,
	.draw = villages_draw,
	.key = villages_key,
	.resume = villages_resume,
	.free = villages_free,
	.keys = villages_keys,
	.title = villages_title,
};

void tui_villages_open(struct tui *t)
{
	if (strlen(t->office) != 9) {
		tui_message(t, 1, "%s", _("A county keeps no villages; each township keeps "
					  "its own."));
		return;
	}
	/* The register is casework's: a village user hears so. */
	if (tui_refuse(t, LEDGER_CASEWORK, NULL))
		return;
	struct villages *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	load(t, s);
	tui_push(t, &villages_ops, s);
}
