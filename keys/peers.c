/* peers.c - the offices whose keys are bound: binding, replacing and
 * revoking, each change kept in the peer's history and the audit trail,
 * and the rules a binding must pass. The bindings live in the store's
 * peers book, one JSON entry an office code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "keys.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../common/printable.h"
#include "../forms/ledger.h"
#include "../store/store.h"

/* A text member of a peers book entry, NULL when absent or not text. */
static const char *text_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* An integer member, 0 when absent or not an integer. */
static int64_t int_of(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* --- peers --- */

static void peer_fill(struct keys_peer *p, const char *code, json_t *o)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->code, sizeof(p->code), "%s", code);
	snprintf(p->name, sizeof(p->name), "%s", text_of(o, "name") ? text_of(o, "name") : "");
	snprintf(p->fpr, sizeof(p->fpr), "%s", text_of(o, "fpr") ? text_of(o, "fpr") : "");
	const char *s = text_of(o, "status");
	p->revoked = s != NULL && strcmp(s, "revoked") == 0;
	p->bound_at = int_of(o, "bound_at");
	snprintf(p->bound_by, sizeof(p->bound_by), "%s",
		 text_of(o, "bound_by") ? text_of(o, "bound_by") : "");
}

int keys_peer_get(struct store *st, const char *code, struct keys_peer *out,
		  struct xb_error *err)
{
	char *val;
	int ret = store_book_get(st, NULL, STORE_BOOK_PEERS, code, &val, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_ENOTFOUND,
			       _("No key is bound to office %s. Import its "
				 "public key and confirm its fingerprint first."),
			       code);
	if (ret != XB_OK)
		return ret;
	json_t *o = json_loads(val, 0, NULL);
	free(val);
	peer_fill(out, code, o);
	json_decref(o);
	return XB_OK;
}

int keys_peers(struct store *st, struct keys_peer **out, size_t *n,
	       struct xb_error *err)
{
	struct store_pair *p;
	size_t np;
	*out = NULL;
	*n = 0;
	int ret = store_book_list(st, NULL, STORE_BOOK_PEERS, NULL, &p, &np, err);
	if (ret != XB_OK)
		return ret;
	struct keys_peer *peers = calloc(np ? np : 1, sizeof(*peers));
	if (peers == NULL) {
		store_pairs_free(p, np);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	for (size_t i = 0; i < np; i++) {
		json_t *o = json_loads(p[i].value, 0, NULL);
		peer_fill(&peers[i], p[i].key, o);
		json_decref(o);
	}
	store_pairs_free(p, np);
	*out = peers;
	*n = np;
	return XB_OK;
}

struct peer_put {
	const char *code;
	json_t *entry;
	/* the audit entry of the change: action, fingerprint before, after */
	const char *action, *before, *after;
	const char *user;
};

static int peer_put_fn(struct store *st, struct store_txn *txn, void *arg,
		       struct xb_error *err)
{
	struct peer_put *pp = arg;
	char *text = json_dumps(pp->entry, JSON_COMPACT);
	if (text == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret = store_book_put(st, txn, STORE_BOOK_PEERS, pp->code, text, err);
	free(text);
	if (ret == XB_OK && pp->action != NULL) {
		/* in the audit trail too: history OFFICE tells who changed
		 * which key the office's bundles are trusted by */
		struct store_change ch = { "key_fingerprint", (char *)pp->before,
					   (char *)pp->after };
		ret = store_audit_note(st, txn, STORE_OFFICE, pp->code, pp->user, pp->action,
				       &ch, 1, err);
	}
	return ret;
}

int keys_office_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n != 4 && n != 6 && n != 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return 1;
}

/* --- binding rules --- */

/* The digit of code point cp, ASCII or full-width, or -1. */
static int digit_of(unsigned cp)
{
	if (cp >= '0' && cp <= '9')
		return (int)(cp - '0');
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return (int)(cp - 0xFF10);
	return -1;
}

int keys_uid_other_office(const char *uid, const char *code, char *other,
			  size_t len)
{
	/* Every run of digits (full-width ones read as ASCII) of an office
	 * code's length, and every code after our tag, whatever its form. */
	char run[16];
	size_t nrun = 0, toolong = 0;
	const char *s = uid;
	for (;;) {
		unsigned cp = 0;
		int n = xb_utf8_next(s, &cp);
		int d = n > 0 ? digit_of(cp) : -1;
		if (d >= 0) {
			if (nrun < sizeof(run) - 1)
				run[nrun++] = (char)('0' + d);
			else
				toolong = 1;
		} else {
			run[nrun] = '\0';
			if (!toolong && (nrun == 6 || nrun == 9) && strcmp(run, code) != 0) {
				snprintf(other, len, "%s", run);
				return 1;
			}
			nrun = 0;
			toolong = 0;
		}
		if (n == 0)
			break;
		s += n < 0 ? 1 : n;
	}
	for (const char *t = strstr(uid, KEYS_UID_TAG); t != NULL;
	     t = strstr(t + 1, KEYS_UID_TAG)) {
		const char *c = t + strlen(KEYS_UID_TAG);
		size_t n = strcspn(c, ")");
		if (n != strlen(code) || strncmp(c, code, n) != 0) {
			char raw[40];
			snprintf(raw, sizeof(raw), "%.*s", (int)(n < 32 ? n : 32), c);
			xb_printable(raw, 0, other, len);
			return 1;
		}
	}
	return 0;
}

/* A fingerprint the history array of a peer entry holds for action
 * ("revoke", or NULL for any action, old keys included). */
static int history_has(json_t *o, const char *fpr, const char *action)
{
	json_t *h = json_object_get(o, "history"), *e;
	size_t i;
	json_array_foreach(h, i, e) {
		const char *a = text_of(e, "action");
		if (action != NULL && (a == NULL || strcmp(a, action) != 0))
			continue;
		const char *f = text_of(e, "fpr"), *old = text_of(e, "old_fpr");
		if ((f && strcmp(f, fpr) == 0) ||
		    (action == NULL && old && strcmp(old, fpr) == 0))
			return 1;
	}
	return 0;
}

/* The rules of keys_bind_check over the peers book (inside txn when
 * given), once the key itself passed. */
static int bind_rules(struct store *st, struct store_txn *txn, const char *code,
		      const char *fpr, int replace, struct keys_bind_plan *plan,
		      struct xb_error *err)
{
	struct store_pair *p;
	size_t np;
	int ret = store_book_list(st, txn, STORE_BOOK_PEERS, NULL, &p, &np, err);
	if (ret != XB_OK)
		return ret;
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(fpr, groups, sizeof(groups));
	json_t *mine = NULL;
	/* A revoked key first, wherever it was bound. */
	for (size_t i = 0; i < np && ret == XB_OK; i++) {
		json_t *o = json_loads(p[i].value, 0, NULL);
		const char *f = text_of(o, "fpr"), *status = text_of(o, "status");
		int revoked = (f && strcmp(f, fpr) == 0 && status &&
			       strcmp(status, "revoked") == 0) ||
			      history_has(o, fpr, "revoke");
		if (revoked)
			ret = xb_fail(err, XB_EINVAL,
				      _("The key %s was revoked (it was office %s's) "
					"and cannot be bound again. Ask the office for "
					"its new key."),
				      groups, p[i].key);
		else if (strcmp(p[i].key, code) == 0)
			mine = json_incref(o);
		else if ((f && strcmp(f, fpr) == 0) || history_has(o, fpr, NULL))
			ret = xb_fail(err, XB_EINVAL,
				      _("The key %s is office %s's key, not office "
					"%s's: one key speaks for one office. Nothing "
					"was bound."),
				      groups, p[i].key, code);
		json_decref(o);
	}
	store_pairs_free(p, np);
	if (ret == XB_OK) {
		const char *f = text_of(mine, "fpr"), *status = text_of(mine, "status");
		snprintf(plan->old_fpr, sizeof(plan->old_fpr), "%s", f ? f : "");
		plan->old_revoked = status != NULL && strcmp(status, "revoked") == 0;
		plan->same = f != NULL && strcmp(f, fpr) == 0;
		char old[KEYS_FPR_GROUPS_LEN];
		keys_fpr_groups(plan->old_fpr, old, sizeof(old));
		if (replace && mine == NULL)
			ret = xb_fail(err, XB_ENOTFOUND,
				      _("No key is bound to office %s: there is "
					"nothing to replace. Bind its key with "
					"`xiangban keys import`."),
				      code);
		else if (replace && plan->same)
			ret = xb_fail(err, XB_EEXIST,
				      _("Office %s is already bound to this key "
					"(%s): there is nothing to replace."),
				      code, groups);
		else if (!replace && mine != NULL && !plan->same && !plan->old_revoked)
			ret = xb_fail(err, XB_EEXIST,
				      _("Office %s is already bound to another key "
					"(%s). If the office really has a new key, "
					"check its fingerprint by phone and replace "
					"the old one: xiangban keys replace %s FILE "
					"--fingerprint FPR."),
				      code, old, code);
	}
	json_decref(mine);
	return ret;
}

int keys_bind_check(struct store *st, struct keys *k, const char *code,
		    const struct keys_info *key, int replace,
		    struct keys_bind_plan *plan, struct xb_error *err)
{
	memset(plan, 0, sizeof(*plan));
	if (!keys_office_code_valid(code)) {
		char shown[64];
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an office code: a city has 4 "
				 "digits, a county 6, a township 9."),
			       xb_printable(code, 0, shown, sizeof(shown)));
	}
	snprintf(plan->code, sizeof(plan->code), "%s", code);
	snprintf(plan->fpr, sizeof(plan->fpr), "%s", key->fpr);
	char own[13];
	int ret = ledger_office(st, own, err);
	if (ret != XB_OK)
		return ret;
	if (strcmp(own, code) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("%s is this office's own code."), code);
	struct keys_info mine;
	if (keys_own(k, &mine, NULL) == XB_OK && strcmp(mine.fpr, key->fpr) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("That is this office's own key, not office "
				 "%s's."),
			       code);
	if (key->revoked || key->expired || !key->can_encrypt || !key->can_sign)
		return xb_fail(err, XB_EINVAL,
			       _("The key %s cannot be used: it is revoked, "
				 "expired, or cannot sign and encrypt."),
			       key->fpr);
	char other[48];
	if (keys_uid_other_office(key->uid, code, other, sizeof(other))) {
		char uid[200];
		return xb_fail(err, XB_EINVAL,
			       _("The key's user ID \"%s\" names office %s, not "
				 "%s: it is not that office's key. Nothing was "
				 "bound."),
			       xb_printable(key->uid, 0, uid, sizeof(uid)), other, code);
	}
	return bind_rules(st, NULL, code, key->fpr, replace, plan, err);
}

struct bind_arg {
	const char *code;
	const char *name; /* safe to keep: checked or from the user ID, cleaned */
	const char *fpr;
	const char *user;
	int replace;
};

/* Checks the rules again inside the transaction (another clerk may have
 * bound since), then writes the entry with its history. */
static int bind_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct bind_arg *a = arg;
	struct keys_bind_plan plan;
	memset(&plan, 0, sizeof(plan));
	int ret = bind_rules(st, txn, a->code, a->fpr, a->replace, &plan, err);
	if (ret != XB_OK)
		return ret;
	char *val = NULL;
	ret = store_book_get(st, txn, STORE_BOOK_PEERS, a->code, &val, err);
	if (ret != XB_OK && ret != XB_ENOTFOUND)
		return ret;
	json_t *old = val ? json_loads(val, 0, NULL) : NULL;
	free(val);
	json_t *history = json_object_get(old, "history");
	history = json_is_array(history) ? json_copy(history) : json_array();
	int64_t now = xb_now();
	/* An entry from before the history began tells its binding first. */
	if (old != NULL && json_array_size(history) == 0 && text_of(old, "fpr")) {
		json_array_append_new(history,
				      json_pack("{s:s,s:s,s:s,s:I}", "action", "bind",
						"fpr", text_of(old, "fpr"), "by",
						text_of(old, "bound_by") ? text_of(old, "bound_by") : "",
						"at", (json_int_t)int_of(old, "bound_at")));
		if (plan.old_revoked)
			json_array_append_new(
				history, json_pack("{s:s,s:s,s:s,s:I}", "action", "revoke", "fpr",
						   text_of(old, "fpr"), "by",
						   text_of(old, "revoked_by") ? text_of(old, "revoked_by") : "",
						   "at", (json_int_t)int_of(old, "revoked_at")));
	}
	json_t *ev = json_pack("{s:s,s:s,s:s,s:I}", "action",
			       plan.old_fpr[0] && !plan.same ? "replace" : "bind", "fpr", a->fpr,
			       "by", a->user ? a->user : "", "at", (json_int_t)now);
	if (ev != NULL && plan.old_fpr[0] && !plan.same)
		json_object_set_new(ev, "old_fpr", json_string(plan.old_fpr));
	json_array_append_new(history, ev);
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(a->name));
	json_object_set_new(o, "fpr", json_string(a->fpr));
	json_object_set_new(o, "status", json_string("bound"));
	json_object_set_new(o, "bound_at", json_integer(now));
	json_object_set_new(o, "bound_by", json_string(a->user ? a->user : ""));
	json_object_set_new(o, "history", history);
	json_decref(old);
	struct peer_put pp = { a->code, o, NULL, NULL, NULL, a->user };
	if (!plan.same) {
		pp.action = plan.old_fpr[0] ? "key_replace" : "key_bind";
		pp.before = plan.old_fpr[0] ? plan.old_fpr : NULL;
		pp.after = a->fpr;
	}
	ret = peer_put_fn(st, txn, &pp, err);
	json_decref(o);
	return ret;
}

/* Binding and replacing: the same checks, then the entry. */
static int peer_bind(struct store *st, struct keys *k, const char *code,
		     const char *name, const char *fpr, const char *user,
		     int replace, struct xb_error *err)
{
	struct keys_info key;
	struct keys_bind_plan plan;
	int ret = keys_lookup(k, fpr, &key, err);
	if (ret == XB_OK)
		ret = keys_bind_check(st, k, code, &key, replace, &plan, err);
	if (ret != XB_OK)
		return ret;
	unsigned bad = 0;
	if (name && *name && xb_text_check(name, 0, &bad) != XB_CH_OK)
		return xb_fail(err, XB_EINVAL,
			       _("The office name holds a control, invisible or "
				 "direction-changing character (U+%04X)."),
			       bad);
	/* Unnamed, it is called as its key's user ID calls it, less the
	 * " (xiangban CODE)" keys_create adds, made safe to show. */
	char uid_name[sizeof(key.uid)], shown[128];
	snprintf(uid_name, sizeof(uid_name), "%s", key.uid);
	char *tail = NULL;
	for (char *t = strstr(uid_name, " " KEYS_UID_TAG); t; t = strstr(t + 1, " " KEYS_UID_TAG))
		tail = t;
	if (tail != NULL && tail != uid_name)
		*tail = '\0';
	xb_printable(uid_name, 0, shown, 128); /* the peer's name field */
	struct bind_arg a = { code, name && *name ? name : shown, key.fpr, user, replace };
	return store_run(st, bind_fn, &a, err);
}

int keys_peer_bind(struct store *st, struct keys *k, const char *code,
		   const char *name, const char *fpr, const char *user,
		   struct xb_error *err)
{
	return peer_bind(st, k, code, name, fpr, user, 0, err);
}

int keys_peer_replace(struct store *st, struct keys *k, const char *code,
		      const char *name, const char *fpr, const char *user,
		      struct xb_error *err)
{
	return peer_bind(st, k, code, name, fpr, user, 1, err);
}

/* The peers book's entry for code, parsed into *o (NULL when it is not
 * JSON); XB_ENOTFOUND, said, when no key was ever bound to it. */
static int peer_entry(struct store *st, const char *code, json_t **o,
		      struct xb_error *err)
{
	char *val;
	*o = NULL;
	int ret = store_book_get(st, NULL, STORE_BOOK_PEERS, code, &val, err);
	if (ret == XB_ENOTFOUND) {
		char shown[64];
		return xb_fail(err, XB_ENOTFOUND, _("No key is bound to office %s."),
			       xb_printable(code, 0, shown, sizeof(shown)));
	}
	if (ret != XB_OK)
		return ret;
	*o = json_loads(val, 0, NULL);
	free(val);
	return XB_OK;
}

int keys_peer_revoke(struct store *st, const char *code, const char *user,
		     struct xb_error *err)
{
	json_t *o;
	int ret = peer_entry(st, code, &o, err);
	if (ret != XB_OK)
		return ret;
	if (o == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int64_t now = xb_now();
	json_t *history = json_object_get(o, "history");
	if (!json_is_array(history)) {
		history = json_array();
		json_object_set_new(o, "history", history);
		json_array_append_new(history,
				      json_pack("{s:s,s:s,s:s,s:I}", "action", "bind", "fpr",
						text_of(o, "fpr") ? text_of(o, "fpr") : "", "by",
						text_of(o, "bound_by") ? text_of(o, "bound_by") : "",
						"at", (json_int_t)int_of(o, "bound_at")));
	}
	json_array_append_new(history,
			      json_pack("{s:s,s:s,s:s,s:I}", "action", "revoke", "fpr",
					text_of(o, "fpr") ? text_of(o, "fpr") : "", "by",
					user ? user : "", "at", (json_int_t)now));
	json_object_set_new(o, "status", json_string("revoked"));
	json_object_set_new(o, "revoked_at", json_integer(now));
	json_object_set_new(o, "revoked_by", json_string(user ? user : ""));
	struct peer_put pp = { code, o, "key_revoke", text_of(o, "fpr"), NULL, user };
	ret = store_run(st, peer_put_fn, &pp, err);
	json_decref(o);
	return ret;
}

int keys_peer_history(struct store *st, const char *code,
		      struct keys_peer_event **out, size_t *n,
		      struct xb_error *err)
{
	*out = NULL;
	*n = 0;
	json_t *o;
	int ret = peer_entry(st, code, &o, err);
	if (ret != XB_OK)
		return ret;
	json_t *h = json_object_get(o, "history"), *e;
	size_t cnt = json_is_array(h) ? json_array_size(h) : 0, i;
	struct keys_peer_event *ev = calloc(cnt ? cnt : 1, sizeof(*ev));
	if (ev == NULL) {
		json_decref(o);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	json_array_foreach(h, i, e) {
		const char *a = text_of(e, "action"), *f = text_of(e, "fpr"),
			   *old = text_of(e, "old_fpr"), *by = text_of(e, "by");
		snprintf(ev[i].action, sizeof(ev[i].action), "%s", a ? a : "");
		snprintf(ev[i].fpr, sizeof(ev[i].fpr), "%s", f ? f : "");
		snprintf(ev[i].old_fpr, sizeof(ev[i].old_fpr), "%s", old ? old : "");
		snprintf(ev[i].by, sizeof(ev[i].by), "%s", by ? by : "");
		ev[i].at = int_of(e, "at");
	}
	json_decref(o);
	*out = ev;
	*n = cnt;
	return XB_OK;
}

