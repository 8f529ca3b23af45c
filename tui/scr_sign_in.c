/* scr_sign_in.c - signing in on the screen: the user name (offered,
 * editable) and the password; on a ledger from before accounts, a new
 * password typed twice, which makes its user the leader. The same covers
 * the screens after the office's idle minutes, the name fixed: the
 * screens, a half-filled form among them, wait underneath. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

enum { F_NAME, F_PASSWORD, F_AGAIN, F_COUNT };

struct sign_in {
	int lock;    /* the screen was idle: the name is fixed */
	int upgrade; /* no passwords yet: the first sets one and leads */
	char title[128];
};

static const struct tui_keyhelp sign_in_keys[] = {
	{ "Enter", N_("sign in"), 1 },
	{ "Tab ↑↓", N_("field"), 1 },
	{ "Esc F10", N_("quit"), 1 },
	{ NULL, NULL, 0 },
};

/* Behind the dialog: what program and whose ledger; nothing of the
 * screens it covers. */
static void cover_draw(struct tui *t, void *data)
{
	(void)data;
	char line[256];
	tui_put(2, 4, t->cols - 8, _("xiangban: the ledger of rural left-behind children"),
		tui_attr(t, TUI_LABEL) | A_BOLD);
	snprintf(line, sizeof(line), "%s (%s)", t->office_name, t->office);
	tui_put(3, 4, t->cols - 8, line, tui_attr(t, TUI_NORMAL));
}

static int cover_key(struct tui *t, void *data, const struct tui_key *k)
{
	(void)t;
	(void)data;
	(void)k;
	return TUI_HANDLED;
}

static const char *cover_title(struct tui *t, void *data)
{
	(void)t;
	return ((struct sign_in *)data)->title;
}

static const struct tui_screen_ops cover_ops = {
	.draw = cover_draw,
	.key = cover_key,
	.keys = sign_in_keys,
	.title = cover_title,
};

/* Checks what was typed and signs in; on a refusal the dialog shows the
 * ledger's message (wrong password and the tries left, locked, disabled,
 * unknown). */
static int save(struct tui *t, struct tui_dialog *d, struct xb_error *err)
{
	struct sign_in *s = d->arg;
	char *name = tui_field_text(&d->fields[F_NAME]);
	char *pw = tui_field_text(&d->fields[F_PASSWORD]);
	char *again = tui_field_text(&d->fields[F_AGAIN]);
	struct ledger_who who;
	int ret;
	if (name == NULL || pw == NULL || again == NULL)
		ret = xb_fail(err, XB_EFAIL, "%s", _("Out of memory."));
	else if (name[0] == '\0')
		ret = xb_fail_field(err, XB_EINVAL, FK_name, "%s", _("Type your user name."));
	else if (pw[0] == '\0')
		ret = xb_fail(err, XB_EINVAL, "%s", _("Type your password."));
	else if (s->upgrade && strcmp(pw, again) != 0)
		ret = xb_fail(err, XB_EINVAL, "%s",
			      _("The two passwords differ; type them again."));
	/* Who is no user (or a disabled one) is told so before the password
	 * counts; the cursor goes back to the name. */
	else if ((ret = ledger_who_get(t->st, NULL, name, &who, err)) != XB_OK)
		snprintf(err->field, sizeof(err->field), "%s", FK_name);
	else
		ret = ledger_sign_in(t->st, name, pw, &who, err);
	if (ret == XB_OK) {
		t->who = who;
		t->user = t->who.name;
		t->who_refused[0] = '\0';
	}
	if (pw != NULL)
		explicit_bzero(pw, strlen(pw));
	if (again != NULL)
		explicit_bzero(again, strlen(again));
	free(name);
	free(pw);
	free(again);
	return ret;
}

/* The role of who in the user's words. */
static const char *role_label(const struct ledger_who *who)
{
	const struct form_field *f = form_field_find(STORE_USER, FK_role);
	return f ? form_choice_label(f, who->role) : who->role;
}

int tui_sign_in(struct tui *t, const char *name, int lock)
{
	struct sign_in s = { lock, 0, "" };
	struct xb_error err;
	char intro[640] = "";
	int any = 1;
	xb_error_clear(&err);
	if (!lock && store_password_any(t->st, &any, &err) == XB_OK && !any)
		s.upgrade = 1;
	struct tui_field f[F_COUNT];
	memset(f, 0, sizeof(f));
	const struct form_field *uf = form_field_find(STORE_USER, FK_name);
	f[F_NAME].kind = lock ? TUI_FIELD_FIXED : TUI_FIELD_TEXT;
	f[F_NAME].label = uf ? form_label(uf) : _("User name");
	f[F_NAME].key = FK_name;
	tui_line_set(&f[F_NAME].line, name ? name : "");
	f[F_PASSWORD].kind = TUI_FIELD_SECRET;
	f[F_PASSWORD].label = s.upgrade ? _("New password") : _("Password");
	tui_line_set(&f[F_PASSWORD].line, "");
	f[F_AGAIN].kind = TUI_FIELD_SECRET;
	f[F_AGAIN].label = _("Again");
	f[F_AGAIN].hidden = !s.upgrade;
	tui_line_set(&f[F_AGAIN].line, "");
	if (lock)
		snprintf(intro, sizeof(intro),
			 ngettext("The screen was locked after %ld minute without a key. "
				  "Type the password of %s to go on where you were; Esc "
				  "quits (another user then starts xiangban again).",
				  "The screen was locked after %ld minutes without a key. "
				  "Type the password of %s to go on where you were; Esc "
				  "quits (another user then starts xiangban again).",
				  (unsigned long)t->idle_minutes),
			 t->idle_minutes, name ? name : "");
	else if (s.upgrade)
		snprintf(intro, sizeof(intro), "%s",
			 _("This ledger has no passwords yet. Set yours: you become its "
			   "leader, who adds the other users."));
	snprintf(s.title, sizeof(s.title), "%s", lock ? _("Locked") : _("Sign in"));

	struct tui_dialog d = {
		.title = lock ? _("Locked") : _("Sign in"),
		.intro = intro[0] ? intro : NULL,
		.fields = f,
		.n = F_COUNT,
		.cur = f[F_NAME].line.len > 0 ? F_PASSWORD : F_NAME,
		.save = save,
		.arg = &s,
		.quit_keys = 1,
		.done_hint = _("sign in"),
	};
	struct tui_screen cover = { &cover_ops, &s, NULL };
	const struct tui_screen *was = t->cover;
	t->cover = &cover;
	tui_layout(t);
	int ok = tui_dialog_run(t, &d);
	t->cover = was;
	tui_layout(t);
	tui_fields_wipe(f, F_COUNT);
	if (ok && s.upgrade)
		tui_message(t, 0,
			    _("%s is the leader of this ledger now: u on the start screen "
			      "adds the other users."),
			    t->who.name);
	else if (ok && !lock)
		tui_message(t, 0, _("Signed in as %s (%s)."), t->who.name, role_label(&t->who));
	return ok;
}
