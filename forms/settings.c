/* settings.c - what an office decides for itself and its leader sets:
 * how long the screen may stay idle before it asks for the password
 * again, which report steps wait for a leader's approval, how often a
 * child is visited, how many days the township has for a report's
 * assessment and services, and the like. Each is kept in meta.db as
 * "setting:KEY"; a change is audited under the office. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/i18n.h"

/* A whole number from min to max. */
static int number_in(const char *v, long min, long max, long *out)
{
	char *end;
	if (v == NULL || *v == '\0')
		return -1;
	long n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int check_idle(const char *v, struct xb_error *err)
{
	long n;
	if (number_in(v, 0, 480, &n) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("The idle time is a number of minutes from 1 to "
				 "480, or 0 for never."));
	return XB_OK;
}

static int check_approval_steps(const char *v, struct xb_error *err)
{
	static const char *const ok[] = { "none", "assessment", "services",
					   "assessment,services" };
	for (size_t i = 0; v != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(v, ok[i]) == 0)
			return XB_OK;
	return xb_fail(err, XB_EINVAL,
		       _("The steps that wait for a leader's approval are none, "
			 "assessment, services or assessment,services."));
}

static int check_interval(const char *v, struct xb_error *err)
{
	long n;
	if (number_in(v, 1, 366, &n) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("A visit interval is a number of days from 1 to "
				 "366."));
	return XB_OK;
}

static int check_due_days(const char *v, struct xb_error *err)
{
	long n;
	if (number_in(v, 1, 366, &n) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("A deadline is a number of days from 1 to 366."));
	return XB_OK;
}

/* A folder as an absolute path, or "" for none. */
static int check_folder(const char *v, struct xb_error *err)
{
	if (v == NULL || *v == '\0' || (*v == '/' && strlen(v) < 1024 && !strchr(v, '\n')))
		return XB_OK;
	return xb_fail(err, XB_EINVAL,
		       _("A folder is a whole path beginning with /, such as "
			 "/home/clerk/联系卡; empty for none."));
}

static const struct ledger_setting settings[] = {
	{ "idle_minutes", N_("Minutes idle before the screen asks for the "
			     "password again (0: never)"),
	  "10", check_idle },
	{ "approval_steps", N_("Report steps a clerk's hand needs a leader's "
			       "approval for, besides leaving the ledger and "
			       "closing a report (none, assessment, services, "
			       "assessment,services)"),
	  "none", check_approval_steps },
	/* 包保责任制, 日常联系: a quarter for most children, a month for
	 * those no one supervises or with a report open. */
	{ "visit_interval_days", N_("Days from a visit (or registration) to the "
				    "next one due"),
	  "90", check_interval },
	{ "visit_interval_close_days",
	  N_("The same for a child without supervision or with a report open"),
	  "30", check_interval },
	/* 二(二)4: once the police notify the township it assesses the case
	 * and then arranges services and brings the child into assistance,
	 * "in time" (及时), with no days named. A week to assess is the
	 * working week plus a weekend to visit the family with the village
	 * and the school; half a month more to arrange services leaves time
	 * for the civil-affairs and other departments' own procedures for
	 * assistance. The leader changes either for the office. */
	{ "assessment_due_days",
	  N_("Days from the police notifying the township to the assessment "
	     "due"),
	  "7", check_due_days },
	{ "services_due_days",
	  N_("Days from the assessment to the services or assistance due"),
	  "15", check_due_days },
	{ "slips_folder",
	  N_("Folder the case slips printed on screen go to (empty: the USB "
	     "stick when one is in, else the ledger's slips folder)"),
	  "", check_folder },
};

const struct ledger_setting *ledger_settings(size_t *n)
{
	*n = sizeof(settings) / sizeof(settings[0]);
	return settings;
}

static const struct ledger_setting *setting_find(const char *key)
{
	for (size_t i = 0; key && i < sizeof(settings) / sizeof(settings[0]); i++)
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

static int unknown(const char *key, struct xb_error *err)
{
	return xb_fail(err, XB_EINVAL,
		       _("There is no setting %s; `xiangban settings` lists "
			 "them."),
		       key ? key : "");
}



int ledger_setting_in(struct store *st, struct store_txn *txn, const char *key,
		      char *out, size_t len, struct xb_error *err)
{
	const struct ledger_setting *s = setting_find(key);
	char mkey[80], *v = NULL;
	if (s == NULL)
		return unknown(key, err);
	snprintf(mkey, sizeof(mkey), "setting:%s", key);
	int ret = store_meta_get(st, txn, mkey, &v, err);
	if (ret == XB_OK)
		snprintf(out, len, "%s", v ? v : s->fallback);
	free(v);
	return ret;
}

int ledger_setting_get(struct store *st, const char *key, char *out,
		       size_t len, struct xb_error *err)
{
	return ledger_setting_in(st, NULL, key, out, len, err);
}

int form_setting_number_in(struct store *st, struct store_txn *txn,
			   const char *key, long *out, struct xb_error *err)
{
	char v[64];
	int ret = ledger_setting_in(st, txn, key, v, sizeof(v), err);
	if (ret == XB_OK && number_in(v, 0, 1000000, out) != 0)
		*out = strtol(setting_find(key)->fallback, NULL, 10);
	return ret;
}

int ledger_setting_number(struct store *st, const char *key, long *out,
			  struct xb_error *err)
{
	return form_setting_number_in(st, NULL, key, out, err);
}

const char *const ledger_settings_sent[LEDGER_SETTINGS_SENT_MAX + 1] = {
	"assessment_due_days", "services_due_days", NULL,
};

static int sent_setting(const char *key)
{
	for (size_t i = 0; key != NULL && ledger_settings_sent[i] != NULL; i++)
		if (strcmp(ledger_settings_sent[i], key) == 0)
			return 1;
	return 0;
}

/* "office_setting:OFFICE:KEY" in meta.db: what office's bundle said. */
static void office_key(char *buf, size_t len, const char *office, const char *key)
{
	snprintf(buf, len, "office_setting:%s:%s", office, key);
}

int ledger_office_setting_note(struct store *st, struct store_txn *txn,
			       const char *office, const char *key,
			       const char *value, struct xb_error *err)
{
	char mkey[112];
	if (!sent_setting(key))
		return unknown(key, err);
	int ret = setting_find(key)->check(value, err);
	if (ret != XB_OK)
		return ret;
	office_key(mkey, sizeof(mkey), office, key);
	return store_meta_set(st, txn, mkey, value, err);
}

int ledger_office_setting_number(struct store *st, const char *office,
				 const char *key, long *out,
				 struct xb_error *err)
{
	char mkey[112], *v = NULL;
	if (office != NULL && sent_setting(key)) {
		office_key(mkey, sizeof(mkey), office, key);
		int ret = store_meta_get(st, NULL, mkey, &v, err);
		if (ret != XB_OK)
			return ret;
		int ok = v != NULL && number_in(v, 0, 1000000, out) == 0;
		free(v);
		if (ok)
			return XB_OK;
	}
	return ledger_setting_number(st, key, out, err);
}

struct set_arg {
	const char *user, *key, *value;
};

static int set_fn(struct store *st, struct store_txn *txn, void *arg,
		  struct xb_error *err)
{
	struct set_arg *a = arg;
	char office[13], mkey[80], *old = NULL;
	int ret = ledger_access(st, txn, a->user, LEDGER_USERS, NULL, err);
	if (ret == XB_OK)
		ret = form_office_in(st, txn, office, err);
	snprintf(mkey, sizeof(mkey), "setting:%s", a->key);
	if (ret == XB_OK)
		ret = store_meta_get(st, txn, mkey, &old, err);
	if (ret == XB_OK && !(old != NULL && strcmp(old, a->value) == 0)) {
		struct store_change ch = { (char *)a->key, old,
					   (char *)a->value };
		ret = store_meta_set(st, txn, mkey, a->value, err);
		if (ret == XB_OK)
			ret = store_audit_note(st, txn, STORE_OFFICE, office, a->user,
					       "setting", &ch, 1, err);
	}
	free(old);
	return ret;
}

int ledger_setting_set(struct store *st, const char *user, const char *key,
		       const char *value, struct xb_error *err)
{
	const struct ledger_setting *s = setting_find(key);
	if (s == NULL)
		return unknown(key, err);
	int ret = s->check(value, err);
	if (ret)
		return ret;
	struct set_arg a = { user, key, value };
	return store_run(st, set_fn, &a, err);
}
