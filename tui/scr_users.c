/* scr_users.c - the ledger's users, for a leader: each one's name, full
 * name, role, villages and whether disabled; a user added, edited,
 * disabled or enabled, given a password; and below them the office's
 * settings (every one the ledger lists, each with its label). Each
 * change goes through the ledger, whose refusals stay in the dialog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* Villages of the register offered at most. */
#define REGISTER_MAX 500

struct urow {
	char name[64];
	char display[64];
	char role[16];
	char villages[LEDGER_WHO_VILLAGES * 13 + 1];
	int disabled;
};

struct users {
	struct urow *rows;
	int n, cap, cur, first;
	/* the register: codes, and "name (code)" for the pick list */
	char (*vcode)[13];
	char (*vname)[64];
	char **vitem;
	int nv;
	/* the settings' values, as ledger_settings lists them */
	char (*value)[64];
	size_t nset;
	char title[128];
};

static const struct tui_keyhelp users_keys[] = {
	{ "F3 a", N_("add a user"), 1 },
	{ "Enter e", N_("edit"), 1 },
	{ "d", N_("disable or enable"), 1 },
	{ "p", N_("password"), 1 },
	{ "s", N_("settings"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ NULL, NULL, 0 },
};

/* The roles offered: the schema's, but the old accounts' "township". */
static const struct form_field *role_field(void)
{
	return form_field_find(STORE_USER, FK_role);
}

static int role_codes(const char **codes, const char **labels, int max)
{
	const struct form_field *f = role_field();
	int n = 0;
	for (const struct form_choice *c = f ? f->choices : NULL; c && c->code && n < max; c++) {
		if (strcmp(c->code, "township") == 0)
			continue;
		codes[n] = c->code;
		labels[n++] = form_choice_label(f, c->code);
	}
	return n;
}

static const char *role_label(const char *code)
{
	const struct form_field *f = role_field();
	return f && code[0] ? form_choice_label(f, code) : code;
}

/* --- loading ---------------------------------------------------------- */

static int take_village(const char *code, const char *name, void *arg)
{
	struct users *u = arg;
	if (u->nv >= REGISTER_MAX)
		return 1;
	char item[128];
	snprintf(u->vcode[u->nv], sizeof(u->vcode[0]), "%s", code);
	snprintf(u->vname[u->nv], sizeof(u->vname[0]), "%s", name);
	snprintf(item, sizeof(item), "%s (%s)", name, code);
	u->vitem[u->nv] = strdup(item);
	if (u->vitem[u->nv] == NULL)
		return 1;
	u->nv++;
	return 0;
}

static void register_free(struct users *u)
{
	for (int i = 0; i < u->nv; i++)
		free(u->vitem[i]);
	u->nv = 0;
}

/* Reads the users, the register and the settings again; keeps the
 * selection on the same user. */
static void load(struct tui *t, struct users *u)
{
	struct xb_error err;
	struct store_iter *it = NULL;
	struct store_record *r;
	char keep[64] = "";
	xb_error_clear(&err);
	if (u->cur < u->n)
		snprintf(keep, sizeof(keep), "%s", u->rows[u->cur].name);
	u->n = 0;
	int ret = store_iter_open(t->st, STORE_USER, STORE_BY_ID, STORE_ALL, NULL, &it, &err);
	while (ret == XB_OK && (ret = store_iter_next(it, &r, NULL, &err)) == 1) {
		ret = XB_OK;
		if (u->n == u->cap) {
			int cap = u->cap ? u->cap * 2 : 16;
			struct urow *p = realloc(u->rows, (size_t)cap * sizeof(*p));
			if (p == NULL) {
				store_record_free(&r);
				ret = xb_fail(&err, XB_EFAIL, "%s", _("Out of memory."));
				break;
			}
			u->rows = p;
			u->cap = cap;
		}
		struct urow *row = &u->rows[u->n++];
		const char *v;
		snprintf(row->name, sizeof(row->name), "%s", r->id);
		v = store_record_get(r, FK_display_name);
		snprintf(row->display, sizeof(row->display), "%s", v ? v : "");
		v = store_record_get(r, FK_role);
		snprintf(row->role, sizeof(row->role), "%s", v ? v : "");
		v = store_record_get(r, FK_villages);
		snprintf(row->villages, sizeof(row->villages), "%s", v ? v : "");
		v = store_record_get(r, FK_disabled);
		row->disabled = v != NULL && strcmp(v, "yes") == 0;
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (ret < 0)
		tui_error(t, &err);
	u->cur = 0;
	for (int i = 0; i < u->n; i++)
		if (strcmp(u->rows[i].name, keep) == 0)
			u->cur = i;

	register_free(u);
	xb_error_clear(&err);
	if (strlen(t->office) == 9 && ledger_village_list(t->st, take_village, u, &err) != XB_OK)
		tui_error(t, &err);

	const struct ledger_setting *set = ledger_settings(&u->nset);
	for (size_t i = 0; i < u->nset; i++) {
		xb_error_clear(&err);
		if (ledger_setting_get(t->st, set[i].key, u->value[i], sizeof(u->value[0]),
				       &err) != XB_OK)
			snprintf(u->value[i], sizeof(u->value[0]), "?");
	}
}

/* The names of the villages of codes ("CODE,CODE") from the register,
 * joined, into buf; a code the register lacks as itself. */
static void village_names(const struct users *u, const char *codes, char *buf, size_t len)
{
	buf[0] = '\0';
	while (codes && *codes) {
		size_t n = strcspn(codes, ",");
		char code[16];
		snprintf(code, sizeof(code), "%.*s", (int)(n < 15 ? n : 15), codes);
		const char *name = code;
		for (int i = 0; i < u->nv; i++)
			if (strcmp(u->vcode[i], code) == 0)
				name = u->vname[i];
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? _(", ") : "", name);
		codes += n;
		if (*codes == ',')
			codes++;
	}
}

/* --- drawing ---------------------------------------------------------- */

enum col { C_NAME, C_DISPLAY, C_ROLE, C_STATE, C_VILLAGES, C_COUNT };

static void layout(const struct tui *t, int *x, int *w)
{
	w[C_NAME] = 12;
	w[C_DISPLAY] = 10;
	w[C_ROLE] = 22;
	w[C_STATE] = 8;
	int used = 0;
	for (int i = 0; i < C_VILLAGES; i++)
		used += w[i] + 1;
	w[C_VILLAGES] = t->cols - 1 - used;
	if (w[C_VILLAGES] < 8)
		w[C_VILLAGES] = 8;
	int at = 1;
	for (int i = 0; i < C_COUNT; i++) {
		x[i] = at;
		at += w[i] + 1;
	}
}

/* Rows the settings take at the foot: a heading and one per setting. */
static int settings_rows(const struct users *u)
{
	return 1 + (int)u->nset;
}

static int list_rows(const struct tui *t, const struct users *u)
{
	int n = t->rows - 3 - 3 - 1 - settings_rows(u);
	return n < 1 ? 1 : n;
}

static void users_draw(struct tui *t, void *data)
{
	struct users *u = data;
	int x[C_COUNT], w[C_COUNT];
	layout(t, x, w);
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD;
	const char *heads[C_COUNT] = {
		form_label(form_field_find(STORE_USER, FK_name)),
		form_label(form_field_find(STORE_USER, FK_display_name)),
		form_label(form_field_find(STORE_USER, FK_role)),
		form_label(form_field_find(STORE_USER, FK_disabled)),
		form_label(form_field_find(STORE_USER, FK_villages)),
	};
	int y = 2;
	tui_fill(y, 0, t->cols, head);
	for (int i = 0; i < C_COUNT; i++)
		tui_put(y, x[i], w[i], heads[i], head);
	y++;
	int rows = list_rows(t, u);
	if (u->cur < u->first)
		u->first = u->cur;
	if (u->cur >= u->first + rows)
		u->first = u->cur - rows + 1;
	for (int r = 0; r < rows && u->first + r < u->n; r++, y++) {
		const struct urow *row = &u->rows[u->first + r];
		int sel = u->first + r == u->cur;
		attr_t a = tui_attr(t, sel ? TUI_SELECTED : row->disabled ? TUI_DIM : TUI_NORMAL);
		char names[512];
		tui_fill(y, 0, t->cols, a);
		tui_put(y, x[C_NAME], w[C_NAME], row->name, a);
		tui_put(y, x[C_DISPLAY], w[C_DISPLAY], row->display, a);
		tui_put(y, x[C_ROLE], w[C_ROLE], role_label(row->role), a);
		tui_put(y, x[C_STATE], w[C_STATE], row->disabled ? _("disabled") : "", a);
		village_names(u, row->villages, names, sizeof(names));
		tui_put(y, x[C_VILLAGES], w[C_VILLAGES], names, a);
	}
	/* The settings at the foot. */
	y = t->rows - 3 - settings_rows(u);
	size_t n;
	const struct ledger_setting *set = ledger_settings(&n);
	tui_put(y++, 1, t->cols - 2, _("Settings of the office (s: change one)"), head);
	for (size_t i = 0; i < n && i < u->nset; i++, y++) {
		int vw = 8;
		tui_put(y, 3, vw, u->value[i], tui_attr(t, TUI_NORMAL) | A_BOLD);
		tui_put(y, 3 + vw + 1, t->cols - 5 - vw, _(set[i].label), tui_attr(t, TUI_NORMAL));
	}
}

/* --- dialogs ---------------------------------------------------------- */

enum { U_NAME, U_ROLE, U_VILLAGES, U_DISPLAY, U_PASSWORD, U_AGAIN, U_COUNT };

struct user_dialog {
	struct users *u;
	int adding;
	const char *codes[8];
	const char *labels[8];
	unsigned char *on; /* the register's villages picked */
};

/* A village user is bound to villages: the field only for them. */
static void role_changed(struct tui *t, struct tui_dialog *d)
{
	struct user_dialog *ud = d->arg;
	int r = d->fields[U_ROLE].choice;
	(void)t;
	d->fields[U_VILLAGES].hidden = !(r >= 0 && strcmp(ud->codes[r], "village") == 0);
}

/* The villages picked as "CODE,CODE" (malloc'd). */
static char *picked_codes(const struct user_dialog *ud)
{
	size_t len = (size_t)ud->u->nv * 14 + 1;
	char *out = malloc(len);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (int i = 0; i < ud->u->nv; i++)
		if (ud->on[i]) {
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s%s", used ? "," : "", ud->u->vcode[i]);
		}
	return out;
}

/* Both passwords typed and alike, into *pw (malloc'd); else the error. */
static int new_password(struct tui_dialog *d, int at, char **pw, struct xb_error *err)
{
	char *a = tui_field_text(&d->fields[at]);
	char *b = tui_field_text(&d->fields[at + 1]);
	int ret = XB_OK;
	*pw = NULL;
	if (a == NULL || b == NULL)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	else if (a[0] == '\0')
		ret = xb_fail(err, XB_EINVAL, "%s", _("The password is empty."));
	else if (strcmp(a, b) != 0)
		ret = xb_fail(err, XB_EINVAL, "%s", _("The two passwords differ; type them again."));
	if (b != NULL) {
		explicit_bzero(b, strlen(b));
		free(b);
	}
	if (ret == XB_OK)
		*pw = a;
	else if (a != NULL) {
		explicit_bzero(a, strlen(a));
		free(a);
	}
	return ret;
}

static int user_save(struct tui *t, struct tui_dialog *d, struct xb_error *err)
{
	struct user_dialog *ud = d->arg;
	int r = d->fields[U_ROLE].choice;
	char *name = tui_field_text(&d->fields[U_NAME]);
	char *display = tui_field_text(&d->fields[U_DISPLAY]);
	char *villages = picked_codes(ud);
	char *pw = NULL;
	int ret = XB_OK;
	if (name == NULL || display == NULL || villages == NULL)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	else if (r < 0)
		ret = xb_fail_field(err, XB_EINVAL, FK_role, "%s", _("Choose the user's role."));
	int village = r >= 0 && strcmp(ud->codes[r], "village") == 0;
	if (ret == XB_OK && ud->adding)
		ret = new_password(d, U_PASSWORD, &pw, err);
	if (ret == XB_OK && ud->adding) {
		ret = ledger_user_add(t->st, t->user, name, ud->codes[r],
				      village ? villages : NULL, display, pw, err);
		if (ret == XB_EEXIST)
			snprintf(err->field, sizeof(err->field), "%s", FK_name);
	} else if (ret == XB_OK) {
		ret = ledger_user_edit(t->st, t->user, name, ud->codes[r],
				       village ? villages : NULL, display, err);
	}
	if (ret == XB_OK)
		tui_message(t, 0, ud->adding ? _("User %s added.") : _("User %s saved."), name);
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	free(name);
	free(display);
	free(villages);
	return ret;
}

/* The dialog that adds a user (row NULL) or edits row. */
static void user_dialog(struct tui *t, struct users *u, const struct urow *row)
{
	struct user_dialog ud = { u, row == NULL, { 0 }, { 0 }, NULL };
	int nroles = role_codes(ud.codes, ud.labels, 8);
	ud.on = calloc(u->nv > 0 ? (size_t)u->nv : 1, 1);
	if (ud.on == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	struct tui_field f[U_COUNT];
	memset(f, 0, sizeof(f));
	const char *keys[U_COUNT] = { FK_name, FK_role, FK_villages, FK_display_name, NULL, NULL };
	for (int i = 0; i < U_COUNT; i++) {
		f[i].key = keys[i];
		tui_line_set(&f[i].line, "");
		if (keys[i] != NULL)
			f[i].label = form_label(form_field_find(STORE_USER, keys[i]));
	}
	f[U_NAME].kind = row ? TUI_FIELD_FIXED : TUI_FIELD_TEXT;
	f[U_ROLE].kind = TUI_FIELD_CHOICE;
	f[U_ROLE].items = ud.labels;
	f[U_ROLE].nitems = nroles;
	f[U_ROLE].choice = -1;
	f[U_VILLAGES].kind = TUI_FIELD_MANY;
	f[U_VILLAGES].items = (const char *const *)u->vitem;
	f[U_VILLAGES].nitems = u->nv;
	f[U_VILLAGES].on = ud.on;
	f[U_DISPLAY].kind = TUI_FIELD_TEXT;
	f[U_PASSWORD].kind = TUI_FIELD_SECRET;
	f[U_PASSWORD].label = _("Password");
	f[U_AGAIN].kind = TUI_FIELD_SECRET;
	f[U_AGAIN].label = _("Again");
	if (row != NULL) {
		tui_line_set(&f[U_NAME].line, row->name);
		tui_line_set(&f[U_DISPLAY].line, row->display);
		for (int i = 0; i < nroles; i++)
			if (strcmp(ud.codes[i], strcmp(row->role, "township") == 0 ? "clerk"
									    : row->role) == 0)
				f[U_ROLE].choice = i;
		for (int i = 0; i < u->nv; i++)
			ud.on[i] = strstr(row->villages, u->vcode[i]) != NULL;
		f[U_PASSWORD].hidden = f[U_AGAIN].hidden = 1;
	}
	char title[128];
	if (row)
		snprintf(title, sizeof(title), _("User %s"), row->name);
	struct tui_dialog d = {
		.title = row ? title : _("Add a user"),
		.intro = row ? NULL
			     : _("A village user is bound to their villages and sees only "
				 "their children; a leader manages the users."),
		.fields = f,
		.n = U_COUNT,
		.cur = row ? U_ROLE : U_NAME,
		.save = user_save,
		.changed = role_changed,
		.arg = &ud,
	};
	role_changed(t, &d);
	if (tui_dialog_run(t, &d)) {
		tui_who_refresh(t);
		load(t, u);
	}
	tui_fields_wipe(f, U_COUNT);
	free(ud.on);
}

enum { P_NAME, P_PASSWORD, P_AGAIN, P_COUNT };

static int passwd_save(struct tui *t, struct tui_dialog *d, struct xb_error *err)
{
	char *name = tui_field_text(&d->fields[P_NAME]);
	char *pw = NULL;
	int ret = name ? new_password(d, P_PASSWORD, &pw, err)
		       : xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	if (ret == XB_OK)
		ret = ledger_user_passwd(t->st, t->user, name, pw, err);
	if (ret == XB_OK)
		tui_message(t, 0, _("The password of %s is changed."), name);
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	free(name);
	return ret;
}

static void passwd_dialog(struct tui *t, const struct urow *row)
{
	struct tui_field f[P_COUNT];
	memset(f, 0, sizeof(f));
	f[P_NAME].kind = TUI_FIELD_FIXED;
	f[P_NAME].label = form_label(form_field_find(STORE_USER, FK_name));
	tui_line_set(&f[P_NAME].line, row->name);
	f[P_PASSWORD].kind = TUI_FIELD_SECRET;
	f[P_PASSWORD].label = _("New password");
	tui_line_set(&f[P_PASSWORD].line, "");
	f[P_AGAIN].kind = TUI_FIELD_SECRET;
	f[P_AGAIN].label = _("Again");
	tui_line_set(&f[P_AGAIN].line, "");
	struct tui_dialog d = {
		.title = _("Set the password"),
		.fields = f,
		.n = P_COUNT,
		.cur = P_PASSWORD,
		.save = passwd_save,
	};
	tui_dialog_run(t, &d);
	tui_fields_wipe(f, P_COUNT);
}

/* Disables the selected user (asked first) or enables them again. */
static void toggle_disabled(struct tui *t, struct users *u, const struct urow *row)
{
	struct xb_error err;
	char q[256], name[64];
	xb_error_clear(&err);
	snprintf(name, sizeof(name), "%s", row->name);
	int off = !row->disabled;
	if (off) {
		snprintf(q, sizeof(q), _("Disable %s? They can do nothing until a leader "
					 "enables them again."),
			 name);
		if (tui_ask(t, q, _("y disable   n keep"), "yn") != 'y')
			return;
	}
	if (ledger_user_disable(t->st, t->user, name, off, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	tui_message(t, 0, off ? _("User %s is disabled.") : _("User %s is enabled."), name);
	load(t, u);
}

struct setting_dialog {
	const char *key;
};

static int setting_save(struct tui *t, struct tui_dialog *d, struct xb_error *err)
{
	struct setting_dialog *sd = d->arg;
	char *v = tui_field_text(&d->fields[0]);
	int ret = v ? ledger_setting_set(t->st, t->user, sd->key, v, err)
		    : xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	if (ret == XB_OK)
		tui_message(t, 0, _("Saved: %s."), v);
	free(v);
	return ret;
}

/* One of the office's settings changed: picked from the list, its value
 * typed in a dialog that keeps a refused value for mending. */
static void change_setting(struct tui *t, struct users *u)
{
	size_t n;
	const struct ledger_setting *set = ledger_settings(&n);
	if (n == 0 || n > u->nset)
		return;
	char **items = calloc(n, sizeof(*items));
	if (items == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(_(set[i].label)) + strlen(u->value[i]) + 8;
		if ((items[i] = malloc(len)) != NULL)
			snprintf(items[i], len, "%s: %s", _(set[i].label), u->value[i]);
	}
	int k = -1;
	int ok = 1;
	for (size_t i = 0; i < n; i++)
		ok = ok && items[i] != NULL;
	if (ok)
		k = tui_pick(t, _("Settings of the office"), (const char *const *)items, (int)n, 0);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	if (k < 0)
		return;
	struct tui_field f[1];
	memset(f, 0, sizeof(f));
	f[0].kind = TUI_FIELD_TEXT;
	f[0].label = _("Value");
	tui_line_set(&f[0].line, u->value[k]);
	struct setting_dialog sd = { set[k].key };
	struct tui_dialog d = {
		.title = _("Setting"),
		.intro = _(set[k].label),
		.fields = f,
		.n = 1,
		.save = setting_save,
		.arg = &sd,
	};
	if (tui_dialog_run(t, &d)) {
		tui_idle_setting(t);
		load(t, u);
	}
}

/* --- keys ------------------------------------------------------------- */

static int users_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct users *u = data;
	const struct urow *row = u->n > 0 ? &u->rows[u->cur] : NULL;
	if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (u->cur > 0)
			u->cur--;
	} else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (u->cur < u->n - 1)
			u->cur++;
	} else if (k->code == KEY_HOME) {
		u->cur = 0;
	} else if (k->code == KEY_END) {
		u->cur = u->n > 0 ? u->n - 1 : 0;
	} else if (tui_key_is(k, KEY_F(3), "aA")) {
		user_dialog(t, u, NULL);
	} else if (row != NULL && (tui_key_enter(k) || tui_key_is(k, 0, "eE"))) {
		struct urow copy = *row;
		user_dialog(t, u, &copy);
	} else if (row != NULL && tui_key_is(k, 0, "dD")) {
		struct urow copy = *row;
		toggle_disabled(t, u, &copy);
	} else if (row != NULL && tui_key_is(k, 0, "pP")) {
		struct urow copy = *row;
		passwd_dialog(t, &copy);
	} else if (tui_key_is(k, 0, "sS")) {
		change_setting(t, u);
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void users_resume(struct tui *t, void *data)
{
	load(t, data);
}

static void users_free(void *data)
{
	struct users *u = data;
	if (u == NULL)
		return;
	register_free(u);
	free(u->vitem);
	free(u->vcode);
	free(u->vname);
	free(u->value);
	free(u->rows);
	free(u);
}

static const char *users_title(struct tui *t, void *data)
{
	struct users *u = data;
	(void)t;
	snprintf(u->title, sizeof(u->title), _("Users (%d)"), u->n);
	return u->title;
}

static const struct tui_screen_ops users_ops = {
	.draw = users_draw,
	.key = users_key,
	.resume = users_resume,
	.free = users_free,
	.keys = users_keys,
	.title = users_title,
};

void tui_users_open(struct tui *t)
{
	/* Who may not manage users hears why, from the ledger. */
	if (tui_refuse(t, LEDGER_USERS, NULL))
		return;
	size_t nset;
	ledger_settings(&nset);
	struct users *u = calloc(1, sizeof(*u));
	if (u == NULL || (u->vcode = calloc(REGISTER_MAX, sizeof(*u->vcode))) == NULL ||
	    (u->vname = calloc(REGISTER_MAX, sizeof(*u->vname))) == NULL ||
	    (u->vitem = calloc(REGISTER_MAX, sizeof(*u->vitem))) == NULL ||
	    (u->value = calloc(nset ? nset : 1, sizeof(*u->value))) == NULL) {
		users_free(u);
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	u->nset = nset;
	load(t, u);
	tui_push(t, &users_ops, u);
}
