/* users.c - who may use the ledger and what each may do: the users and
 * their roles, signing in, and the one permission check every ledger
 * operation makes inside its transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../common/printable.h"

#define P(x) (1u << (x))

enum level_bits { AT_TOWNSHIP = 1, AT_COUNTY = 2, AT_CITY = 4, AT_ANY = 7 };

static const struct role {
	const char *code;
	unsigned perms;
	unsigned levels; /* the ledgers a user of this role may belong to */
} roles[] = {
	{ "village", P(LEDGER_READ) | P(LEDGER_VISIT) | P(LEDGER_REPORT),
	  AT_TOWNSHIP },
	{ "clerk",
	  P(LEDGER_READ) | P(LEDGER_VISIT) | P(LEDGER_REPORT) |
		  P(LEDGER_CASEWORK) | P(LEDGER_EXCHANGE),
	  AT_TOWNSHIP },
	/* "township": a ledger's users before roles held; a clerk. */
	{ "township",
	  P(LEDGER_READ) | P(LEDGER_VISIT) | P(LEDGER_REPORT) |
		  P(LEDGER_CASEWORK) | P(LEDGER_EXCHANGE),
	  AT_TOWNSHIP },
	{ "leader", ~0u, AT_ANY },
	{ "county", P(LEDGER_READ) | P(LEDGER_EXCHANGE), AT_COUNTY },
	{ "city", P(LEDGER_READ) | P(LEDGER_EXCHANGE), AT_CITY },
};

static const struct role *role_find(const char *code)
{
	for (size_t i = 0; code && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].code, code) == 0)
			return &roles[i];
	return NULL;
}

static unsigned level_of(const char *office)
{
	size_t n = strlen(office);
	return n == 9 ? AT_TOWNSHIP : n == 6 ? AT_COUNTY : AT_CITY;
}

const char *ledger_perm_name(enum ledger_perm perm)
{
	switch (perm) {
	case LEDGER_READ: return _("see the children's files");
	case LEDGER_VISIT: return _("log home visits");
	case LEDGER_REPORT: return _("file mandatory reports");
	case LEDGER_CASEWORK: return _("register and change children's files "
				       "and handle reports");
	case LEDGER_EXCHANGE: return _("exchange bundles and keys");
	case LEDGER_APPROVE: return _("approve requests");
	case LEDGER_USERS: return _("manage users");
	}
	return "?";
}

/* The role's name in the user's language. */
static const char *role_label(const char *code)
{
	const struct form_field *f = form_field_find(STORE_USER, FK_role);
	return f ? form_choice_label(f, code) : code;
}

/* The comma-separated village codes of text into who. */
static void villages_into(struct ledger_who *who, const char *text)
{
	who->nvillages = 0;
	while (text && *text && who->nvillages < LEDGER_WHO_VILLAGES) {
		size_t n = strcspn(text, ",");
		if (n == 12)
			snprintf(who->villages[who->nvillages++], 13, "%.12s", text);
		text += n;
		if (*text == ',')
			text++;
	}
}

int ledger_who_get(struct store *st, struct store_txn *txn, const char *name,
		   struct ledger_who *who, struct xb_error *err)
{
	struct store_record *u = NULL;
	memset(who, 0, sizeof(*who));
	int ret = form_office_in(st, txn, who->office, err);
	if (ret)
		return ret;
	if (name == NULL || *name == '\0')
		return xb_fail(err, XB_EPERM, _("Nobody is signed in."));
	ret = store_peek(st, txn, STORE_USER, name, &u, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		return xb_fail(err, XB_EPERM,
			       _("%s is not a user of this ledger: a leader adds "
				 "users with `xiangban user add`."),
			       name);
	}
	if (ret)
		return ret;
	const char *disabled = store_record_get(u, FK_disabled);
	const struct role *r = role_find(store_record_get(u, FK_role));
	if (disabled != NULL && strcmp(disabled, "yes") == 0) {
		ret = xb_fail(err, XB_EPERM,
			      _("The account %s is disabled: it can do nothing "
				"until a leader enables it again."),
			      name);
	} else if (r == NULL || !(r->levels & level_of(who->office))) {
		ret = xb_fail(err, XB_EPERM,
			      _("%s has no role that this office's ledger knows; a "
				"leader sets one with `xiangban user edit`."),
			      name);
	} else {
		snprintf(who->name, sizeof(who->name), "%s", name);
		snprintf(who->role, sizeof(who->role), "%s", r->code);
		who->perms = r->perms;
		if (strcmp(r->code, "village") == 0)
			villages_into(who, store_record_get(u, FK_villages));
		who->scoped = strcmp(r->code, "village") == 0;
	}
	store_record_free(&u);
	return ret;
}

int ledger_who_sees_village(const struct ledger_who *who, const char *village)
{
	if (!who->scoped)
		return 1;
	for (size_t i = 0; village && i < who->nvillages; i++)
		if (strcmp(who->villages[i], village) == 0)
			return 1;
	return 0;
}

int ledger_who_sees(const struct ledger_who *who, const struct store_record *child)
{
	return ledger_who_sees_village(who, store_record_get(child, FK_village_code));
}

int ledger_may(const struct ledger_who *who, enum ledger_perm perm,
	       const char *village, struct xb_error *err)
{
	if (!(who->perms & P(perm)))
		return xb_fail(err, XB_EPERM,
			       _("%s (%s) may not do this: it needs the "
				 "permission to %s."),
			       who->name, role_label(who->role),
			       ledger_perm_name(perm));
	if (village != NULL && !ledger_who_sees_village(who, village))
		return xb_fail(err, XB_EPERM,
			       _("%s (%s) works only with the children of their own "
				 "villages; this child lives in village %s."),
			       who->name, role_label(who->role), village);
	return XB_OK;
}

int ledger_access(struct store *st, struct store_txn *txn, const char *user,
		  enum ledger_perm perm, const char *village,
		  struct xb_error *err)
{
	struct ledger_who who;
	int ret = ledger_who_get(st, txn, user, &who, err);
	return ret ? ret : ledger_may(&who, perm, village, err);
}

int ledger_access_child(struct store *st, struct store_txn *txn,
			const char *user, enum ledger_perm perm,
			const char *case_no, struct xb_error *err)
{
	struct ledger_who who;
	int ret = ledger_who_get(st, txn, user, &who, err);
	if (ret || !who.scoped)
		return ret ? ret : ledger_may(&who, perm, NULL, err);
	struct store_record *child = NULL;
	ret = store_get(st, NULL, STORE_CHILD, case_no, &child, err);
	if (ret == XB_OK)
		ret = ledger_may(&who, perm,
				 store_record_get(child, FK_village_code), err);
	store_record_free(&child);
	return ret;
}

/* --- signing in --- */

struct upgrade_arg {
	const char *name, *password;
};

/* A ledger from before accounts: the first to sign in sets their
 * password and becomes its leader, so someone can manage its users. */
static int upgrade_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct upgrade_arg *a = arg;
	struct store_record *u = NULL;
	int ret = store_get(st, txn, STORE_USER, a->name, &u, err);
	if (ret == XB_OK) {
		store_record_set(u, FK_role, "leader");
		ret = store_update(st, txn, u, a->name, "role", err);
	}
	if (ret == XB_OK)
		ret = store_password_set(st, txn, a->name, a->password, err);
	if (ret == XB_OK)
		ret = store_audit_note(st, txn, STORE_USER, a->name, a->name,
				       "password", NULL, 0, err);
	store_record_free(&u);
	return ret;
}

int ledger_sign_in(struct store *st, const char *name, const char *password,
		   struct ledger_who *who, struct xb_error *err)
{
	int ret = ledger_who_get(st, NULL, name, who, err);
	if (ret)
		return ret;
	int any = 0;
	if ((ret = store_password_any(st, &any, err)) != XB_OK)
		return ret;
	if (!any) {
		struct upgrade_arg a = { name, password };
		if (password == NULL || *password == '\0')
			return xb_fail(err, XB_EINVAL, _("The password is empty."));
		ret = store_run(st, upgrade_fn, &a, err);
		return ret ? ret : ledger_who_get(st, NULL, name, who, err);
	}
	struct store_sign_in r;
	if ((ret = store_password_check(st, name, password, xb_now(), &r, err)))
		return ret;
	switch (r.result) {
	case STORE_SIGN_IN_OK:
		return XB_OK;
	case STORE_SIGN_IN_NO_PASSWORD:
		return xb_fail(err, XB_EPERM,
			       _("%s has no password yet: a leader gives one with "
				 "`xiangban user passwd %s`."),
			       name, name);
	case STORE_SIGN_IN_LOCKED: {
		char when[32];
		xb_format_time(r.locked_until, when, sizeof(when));
		return xb_fail(err, XB_EPERM,
			       _("The account %s is locked after %d wrong "
				 "passwords; try again after %s."),
			       name, STORE_LOCK_TRIES, when);
	}
	case STORE_SIGN_IN_WRONG:
		break;
	}
	return xb_fail(err, XB_EPERM,
		       ngettext("Wrong password for %s; %u more wrong try locks "
				"the account for 15 minutes.",
				"Wrong password for %s; %u more wrong tries lock "
				"the account for 15 minutes.",
				r.tries_left),
		       name, r.tries_left);
}

/* --- managing users --- */

/* The leaders who can still sign in, but skip. Read before the
 * transaction that changes a user: an iterator waits on what it locked. */
static int other_leaders(struct store *st, const char *skip, size_t *n,
			 struct xb_error *err)
{
	struct store_iter *it;
	struct store_record *u;
	*n = 0;
	int ret = store_iter_open(st, STORE_USER, STORE_BY_ID, STORE_ALL, NULL,
				  &it, err);
	if (ret)
		return ret;
	while ((ret = store_iter_next(it, &u, NULL, err)) == 1) {
		const char *role = store_record_get(u, FK_role);
		const char *off = store_record_get(u, FK_disabled);
		if (strcmp(u->id, skip) != 0 && role && strcmp(role, "leader") == 0 &&
		    !(off && strcmp(off, "yes") == 0))
			++*n;
		store_record_free(&u);
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* The villages text names, each in the register, as "CODE,CODE". */
static int villages_checked(struct store *st, struct store_txn *txn,
			    const char *text, char *out, size_t len,
			    struct xb_error *err)
{
	char buf[1024];
	size_t n = 0;
	out[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", text ? text : "");
	for (char *save = NULL, *w = strtok_r(buf, ",，、 ", &save); w;
	     w = strtok_r(NULL, ",，、 ", &save)) {
		char code[13], name[64];
		int ret = ledger_village_find(st, txn, w, code, name, err);
		if (ret)
			return ret;
		if (strstr(out, code) != NULL)
			continue;
		if (n + 1 > LEDGER_WHO_VILLAGES)
			return xb_fail_field(err, XB_EINVAL, FK_villages,
					     _("A user may be bound to at most %d "
					       "villages."),
					     LEDGER_WHO_VILLAGES);
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
			 n ? "," : "", code);
		n++;
	}
	return XB_OK;
}

struct user_arg {
	const char *actor, *name, *role, *villages, *display, *password;
	int adding;
	int disable; /* -1 leave, 0 enable, 1 disable */
	size_t leaders; /* the other leaders who can sign in, counted before */
	const char *phone; /* NULL: leave */
};

static int user_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct user_arg *a = arg;
	struct store_record *u = NULL;
	char office[13], villages[LEDGER_WHO_VILLAGES * 13 + 1];
	int ret = ledger_access(st, txn, a->actor, LEDGER_USERS, NULL, err);
	if (ret == XB_OK)
		ret = form_office_in(st, txn, office, err);
	if (ret)
		return ret;
	ret = store_get(st, txn, STORE_USER, a->name, &u, err);
	if (ret == XB_OK && a->adding) {
		store_record_free(&u);
		return xb_fail(err, XB_EEXIST,
			       _("There is a user %s already; change it with "
				 "`xiangban user edit`."),
			       a->name);
	}
	if (ret == XB_ENOTFOUND && !a->adding)
		return ret;
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		u = store_record_new(STORE_USER);
		if (u == NULL || store_record_set_id(u, a->name) ||
		    store_record_set_origin(u, office)) {
			store_record_free(&u);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		store_record_set(u, FK_name, a->name);
		ret = XB_OK;
	} else if (ret) {
		return ret;
	}
	const char *was = store_record_get(u, FK_role);
	int was_leader = was && strcmp(was, "leader") == 0;
	const char *role = a->role;
	if (role && strcmp(role, "township") == 0)
		role = "clerk";
	if (role)
		store_record_set(u, FK_role, role);
	if (a->display)
		store_record_set(u, FK_display_name, a->display);
	if (a->phone)
		store_record_set(u, FK_phone, a->phone);
	if (a->villages) {
		ret = villages_checked(st, txn, a->villages, villages,
				       sizeof(villages), err);
		store_record_set(u, FK_villages, villages);
	}
	if (a->disable >= 0)
		store_record_set(u, FK_disabled, a->disable ? "yes" : NULL);
	const char *now_role = store_record_get(u, FK_role);
	const struct role *r = role_find(now_role);
	if (ret == XB_OK && r == NULL)
		ret = xb_fail_field(err, XB_EINVAL, FK_role,
				    _("The role must be one of village, clerk, "
				      "leader, county, city."));
	if (ret == XB_OK && !(r->levels & level_of(office)))
		ret = xb_fail_field(err, XB_EINVAL, FK_role,
				    _("A %s does not work in this office's ledger "
				      "(%s)."),
				    role_label(now_role), office);
	if (ret == XB_OK && strcmp(now_role, "village") == 0 &&
	    store_record_get(u, FK_villages) == NULL)
		ret = xb_fail_field(err, XB_EINVAL, FK_villages,
				    _("A village user is bound to their villages: "
				      "give villages=CODE,CODE (codes or names "
				      "from the village register)."));
	if (ret == XB_OK && strcmp(now_role, "village") != 0)
		store_record_set(u, FK_villages, NULL);
	/* Someone must always be left to manage the users. */
	const char *off = store_record_get(u, FK_disabled);
	if (ret == XB_OK && was_leader &&
	    (strcmp(now_role, "leader") != 0 || (off && strcmp(off, "yes") == 0))) {
		if (a->leaders == 0)
			ret = xb_fail(err, XB_EINVAL,
				      _("%s is the last leader who can sign in; make "
					"another user a leader first."),
				      a->name);
	}
	char today[11];
	xb_today(today, sizeof(today));
	if (ret == XB_OK)
		ret = form_check_record(u, today, err);
	if (ret == XB_OK)
		ret = u->version ? store_update(st, txn, u, a->actor,
						a->disable == 1 ? "disable"
						: a->disable == 0 ? "enable"
								  : NULL,
						err)
				 : store_insert(st, txn, u, a->actor, err);
	if (ret == XB_OK && a->password != NULL)
		ret = store_password_set(st, txn, a->name, a->password, err);
	store_record_free(&u);
	return ret;
}

/* A user's name goes into every record and the history. */
static int name_checked(const char *name, struct xb_error *err)
{
	unsigned bad = 0;
	size_t n = 0;
	if (name == NULL || *name == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_name,
				     _("The user name is empty."));
	if (xb_text_check(name, 0, &bad) != XB_CH_OK || strchr(name, ':') ||
	    form_check_text(name, 0, &n) != XB_OK || n > 32)
		return xb_fail_field(err, XB_EINVAL, FK_name,
				     _("A user name is at most 32 characters, "
				       "without controls, colons or invisible "
				       "characters."));
	return XB_OK;
}

int ledger_user_add(struct store *st, const char *actor, const char *name,
		    const char *role, const char *villages,
		    const char *display_name, const char *password,
		    struct xb_error *err)
{
	int ret = name_checked(name, err);
	if (ret)
		return ret;
	if (role == NULL || *role == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_role,
				     _("A user needs a role: village, clerk, "
				       "leader, county or city."));
	struct user_arg a = { actor, name, role, villages, display_name,
			      password, 1, -1, 0, NULL };
	return store_run(st, user_fn, &a, err);
}

int ledger_user_edit(struct store *st, const char *actor, const char *name,
		     const char *role, const char *villages,
		     const char *display_name, struct xb_error *err)
{
	struct user_arg a = { actor, name, role, villages, display_name,
			      NULL, 0, -1, 0, NULL };
	int ret = other_leaders(st, name, &a.leaders, err);
	if (ret == XB_OK)
		ret = store_run(st, user_fn, &a, err);
	if (ret == XB_ENOTFOUND && err && err->msg[0] == '\0')
		xb_fail(err, ret, _("There is no user %s."), name);
	return ret;
}

int ledger_user_phone(struct store *st, const char *actor, const char *name,
		      const char *phone, struct xb_error *err)
{
	struct user_arg a = { actor, name, NULL, NULL, NULL, NULL, 0, -1, 0,
			      phone ? phone : "" };
	int ret = store_run(st, user_fn, &a, err);
	if (ret == XB_ENOTFOUND && err && err->msg[0] == '\0')
		xb_fail(err, ret, _("There is no user %s."), name);
	return ret;
}

int ledger_user_disable(struct store *st, const char *actor, const char *name,
			int disable, struct xb_error *err)
{
	if (disable && actor && strcmp(actor, name) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("You cannot disable your own account."));
	struct user_arg a = { actor, name, NULL, NULL, NULL, NULL, 0,
			      disable ? 1 : 0, 0, NULL };
	int ret = other_leaders(st, name, &a.leaders, err);
	if (ret == XB_OK)
		ret = store_run(st, user_fn, &a, err);
	if (ret == XB_ENOTFOUND && err && err->msg[0] == '\0')
		xb_fail(err, ret, _("There is no user %s."), name);
	return ret;
}

struct passwd_arg {
	const char *actor, *name, *password;
};

static int passwd_fn(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	struct passwd_arg *a = arg;
	struct ledger_who who;
	int ret = ledger_who_get(st, txn, a->actor, &who, err);
	/* Anyone changes their own; a leader anyone's. */
	if (ret == XB_OK && strcmp(a->actor, a->name) != 0)
		ret = ledger_may(&who, LEDGER_USERS, NULL, err);
	struct store_record *u = NULL;
	if (ret == XB_OK) {
		ret = store_get(st, txn, STORE_USER, a->name, &u, err);
		if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			ret = xb_fail(err, XB_ENOTFOUND, _("There is no user %s."),
				      a->name);
		}
	}
	store_record_free(&u);
	if (ret == XB_OK)
		ret = store_password_set(st, txn, a->name, a->password, err);
	if (ret == XB_OK)
		ret = store_audit_note(st, txn, STORE_USER, a->name, a->actor,
				       "password", NULL, 0, err);
	return ret;
}

int ledger_user_passwd(struct store *st, const char *actor, const char *name,
		       const char *password, struct xb_error *err)
{
	if (password == NULL || *password == '\0')
		return xb_fail(err, XB_EINVAL, _("The password is empty."));
	struct passwd_arg a = { actor, name, password };
	return store_run(st, passwd_fn, &a, err);
}

int ledger_first_user(struct store *st, struct store_txn *txn,
		      const char *name, const char *office,
		      const char *password, struct xb_error *err)
{
	struct store_record *u = NULL;
	int ret = name_checked(name, err);
	if (ret)
		return ret;
	ret = store_get(st, txn, STORE_USER, name, &u, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		u = store_record_new(STORE_USER);
		if (u == NULL || store_record_set_id(u, name)) {
			store_record_free(&u);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		store_record_set(u, FK_name, name);
		store_record_set(u, FK_role, "leader");
		store_record_set_origin(u, office);
		ret = store_insert(st, txn, u, name, err);
	}
	store_record_free(&u);
	if (ret == XB_OK && password != NULL)
		ret = store_password_set(st, txn, name, password, err);
	return ret;
}
