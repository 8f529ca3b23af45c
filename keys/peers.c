/* peers.c - the offices whose keys are bound, the logs of bundles sent
 * and received, and the conflicts an import leaves for the clerk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../common/printable.h"
#include "../forms/ledger.h"

/* --- peers --- */

static void peer_fill(struct bundle_peer *p, const char *code, json_t *o)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->code, sizeof(p->code), "%s", code);
	snprintf(p->name, sizeof(p->name), "%s", bj_str(o, "name") ? bj_str(o, "name") : "");
	snprintf(p->fpr, sizeof(p->fpr), "%s", bj_str(o, "fpr") ? bj_str(o, "fpr") : "");
	const char *s = bj_str(o, "status");
	p->revoked = s != NULL && strcmp(s, "revoked") == 0;
	p->bound_at = bj_int(o, "bound_at");
	snprintf(p->bound_by, sizeof(p->bound_by), "%s",
		 bj_str(o, "bound_by") ? bj_str(o, "bound_by") : "");
}

/* The sequence and time of the last bundle each way. */
int bundle_peer_last(struct store *st, struct store_txn *txn,
		     enum store_book book, const char *code, uint64_t *seq,
		     int64_t *at, json_t **entry, struct xb_error *err)
{
	char prefix[20], *key, *val;
	snprintf(prefix, sizeof(prefix), "%s/", code);
	*seq = 0;
	*at = 0;
	if (entry)
		*entry = NULL;
	int ret = store_book_last(st, txn, book, prefix, &key, &val, err);
	if (ret == XB_ENOTFOUND)
		return XB_OK;
	if (ret != XB_OK)
		return ret;
	json_t *o = bj_parse(val);
	*seq = (uint64_t)bj_int(o, "sequence");
	*at = bj_int(o, "created_at");
	if (entry)
		*entry = o;
	else
		json_decref(o);
	free(key);
	free(val);
	return XB_OK;
}

int bundle_peer_get(struct store *st, const char *code, struct bundle_peer *out,
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
	json_t *o = bj_parse(val);
	free(val);
	peer_fill(out, code, o);
	json_decref(o);
	if ((ret = bundle_peer_last(st, NULL, STORE_BOOK_SENT, code, &out->sent_seq,
			     &out->sent_at, NULL, err)) != XB_OK)
		return ret;
	return bundle_peer_last(st, NULL, STORE_BOOK_RECEIVED, code, &out->received_seq,
			 &out->received_at, NULL, err);
}

int bundle_office_children(struct store *st, const char *code, uint64_t *out,
			   struct xb_error *err)
{
	char prefix[16];
	snprintf(prefix, sizeof(prefix), "%s-", code);
	return store_count_prefix(st, STORE_CHILD, prefix, out, err);
}

int bundle_peers(struct store *st, struct bundle_peer **out, size_t *n,
		 struct xb_error *err)
{
	struct store_pair *p;
	size_t np;
	*out = NULL;
	*n = 0;
	int ret = store_book_list(st, NULL, STORE_BOOK_PEERS, NULL, &p, &np, err);
	if (ret != XB_OK)
		return ret;
	struct bundle_peer *peers = calloc(np ? np : 1, sizeof(*peers));
	if (peers == NULL) {
		store_pairs_free(p, np);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	for (size_t i = 0; i < np && ret == XB_OK; i++)
		ret = bundle_peer_get(st, p[i].key, &peers[i], err);
	store_pairs_free(p, np);
	if (ret != XB_OK) {
		free(peers);
		return ret;
	}
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
	char *text = bj_dump(pp->entry);
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

int bundle_office_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n != 6 && n != 9)
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

int bundle_uid_other_office(const char *uid, const char *code, char *other,
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
		const char *a = bj_str(e, "action");
		if (action != NULL && (a == NULL || strcmp(a, action) != 0))
			continue;
		const char *f = bj_str(e, "fpr"), *old = bj_str(e, "old_fpr");
		if ((f && strcmp(f, fpr) == 0) ||
		    (action == NULL && old && strcmp(old, fpr) == 0))
			return 1;
	}
	return 0;
}

/* The rules of bundle_bind_check over the peers book (inside txn when
 * given), once the key itself passed. */
static int bind_rules(struct store *st, struct store_txn *txn, const char *code,
		      const char *fpr, int replace, struct bundle_bind_plan *plan,
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
		json_t *o = bj_parse(p[i].value);
		const char *f = bj_str(o, "fpr"), *status = bj_str(o, "status");
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
		const char *f = bj_str(mine, "fpr"), *status = bj_str(mine, "status");
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

int bundle_bind_check(struct store *st, struct keys *k, const char *code,
		      const struct keys_info *key, int replace,
		      struct bundle_bind_plan *plan, struct xb_error *err)
{
	memset(plan, 0, sizeof(*plan));
	if (!bundle_office_code_valid(code)) {
		char shown[64];
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an office code: a county has 6 "
				 "digits, a township 9."),
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
	if (bundle_uid_other_office(key->uid, code, other, sizeof(other))) {
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
	struct bundle_bind_plan plan;
	memset(&plan, 0, sizeof(plan));
	int ret = bind_rules(st, txn, a->code, a->fpr, a->replace, &plan, err);
	if (ret != XB_OK)
		return ret;
	char *val = NULL;
	ret = store_book_get(st, txn, STORE_BOOK_PEERS, a->code, &val, err);
	if (ret != XB_OK && ret != XB_ENOTFOUND)
		return ret;
	json_t *old = val ? bj_parse(val) : NULL;
	free(val);
	json_t *history = json_object_get(old, "history");
	history = json_is_array(history) ? json_copy(history) : json_array();
	int64_t now = xb_now();
	/* An entry from before the history began tells its binding first. */
	if (old != NULL && json_array_size(history) == 0 && bj_str(old, "fpr")) {
		json_array_append_new(history,
				      json_pack("{s:s,s:s,s:s,s:I}", "action", "bind",
						"fpr", bj_str(old, "fpr"), "by",
						bj_str(old, "bound_by") ? bj_str(old, "bound_by") : "",
						"at", (json_int_t)bj_int(old, "bound_at")));
		if (plan.old_revoked)
			json_array_append_new(
				history, json_pack("{s:s,s:s,s:s,s:I}", "action", "revoke", "fpr",
						   bj_str(old, "fpr"), "by",
						   bj_str(old, "revoked_by") ? bj_str(old, "revoked_by") : "",
						   "at", (json_int_t)bj_int(old, "revoked_at")));
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
	struct bundle_bind_plan plan;
	int ret = keys_lookup(k, fpr, &key, err);
	if (ret == XB_OK)
		ret = bundle_bind_check(st, k, code, &key, replace, &plan, err);
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

int bundle_peer_bind(struct store *st, struct keys *k, const char *code,
		     const char *name, const char *fpr, const char *user,
		     struct xb_error *err)
{
	return peer_bind(st, k, code, name, fpr, user, 0, err);
}

int bundle_peer_replace(struct store *st, struct keys *k, const char *code,
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
	*o = bj_parse(val);
	free(val);
	return XB_OK;
}

int bundle_peer_revoke(struct store *st, const char *code, const char *user,
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
						bj_str(o, "fpr") ? bj_str(o, "fpr") : "", "by",
						bj_str(o, "bound_by") ? bj_str(o, "bound_by") : "",
						"at", (json_int_t)bj_int(o, "bound_at")));
	}
	json_array_append_new(history,
			      json_pack("{s:s,s:s,s:s,s:I}", "action", "revoke", "fpr",
					bj_str(o, "fpr") ? bj_str(o, "fpr") : "", "by",
					user ? user : "", "at", (json_int_t)now));
	json_object_set_new(o, "status", json_string("revoked"));
	json_object_set_new(o, "revoked_at", json_integer(now));
	json_object_set_new(o, "revoked_by", json_string(user ? user : ""));
	struct peer_put pp = { code, o, "key_revoke", bj_str(o, "fpr"), NULL, user };
	ret = store_run(st, peer_put_fn, &pp, err);
	json_decref(o);
	return ret;
}

int bundle_peer_history(struct store *st, const char *code,
			struct bundle_peer_event **out, size_t *n,
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
	struct bundle_peer_event *ev = calloc(cnt ? cnt : 1, sizeof(*ev));
	if (ev == NULL) {
		json_decref(o);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	json_array_foreach(h, i, e) {
		const char *a = bj_str(e, "action"), *f = bj_str(e, "fpr"),
			   *old = bj_str(e, "old_fpr"), *by = bj_str(e, "by");
		snprintf(ev[i].action, sizeof(ev[i].action), "%s", a ? a : "");
		snprintf(ev[i].fpr, sizeof(ev[i].fpr), "%s", f ? f : "");
		snprintf(ev[i].old_fpr, sizeof(ev[i].old_fpr), "%s", old ? old : "");
		snprintf(ev[i].by, sizeof(ev[i].by), "%s", by ? by : "");
		ev[i].at = bj_int(e, "at");
	}
	json_decref(o);
	*out = ev;
	*n = cnt;
	return XB_OK;
}

/* The peer a bundle goes to or comes from, which must be bound. */
int bundle_bound_peer(struct store *st, const char *code, struct bundle_peer *p,
		      struct xb_error *err)
{
	int ret = bundle_peer_get(st, code, p, err);
	if (ret != XB_OK)
		return ret;
	if (p->revoked)
		return xb_fail(err, XB_EINVAL,
			       _("The key of office %s was revoked; bind its "
				 "new key first."),
			       code);
	return XB_OK;
}
/* --- conflicts --- */

void bundle_conflicts_free(struct bundle_conflict *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_record_free(&c[i].theirs);
	free(c);
}

static int conflict_fill(struct bundle_conflict *c, const char *id,
			 const char *text, struct xb_error *err)
{
	memset(c, 0, sizeof(*c));
	json_t *o = bj_parse(text);
	json_t *line = json_object_get(o, "record");
	int ret = bundle_record_from_json(line, &c->theirs, err);
	if (ret == XB_OK) {
		c->kind = c->theirs->kind;
		snprintf(c->id, sizeof(c->id), "%s", id);
		snprintf(c->from, sizeof(c->from), "%s", bj_str(o, "from") ? bj_str(o, "from") : "");
		c->sequence = (uint64_t)bj_int(o, "sequence");
		c->at = bj_int(o, "at");
		c->ours_version = (uint32_t)bj_int(o, "ours_version");
		c->theirs_version = c->theirs->version;
	}
	json_decref(o);
	return ret;
}

int bundle_conflicts(struct store *st, struct bundle_conflict **out,
		     size_t *n, struct xb_error *err)
{
	struct store_pair *p;
	size_t np;
	*out = NULL;
	*n = 0;
	int ret = store_book_list(st, NULL, STORE_BOOK_CONFLICTS, NULL, &p, &np, err);
	if (ret != XB_OK)
		return ret;
	struct bundle_conflict *c = calloc(np ? np : 1, sizeof(*c));
	if (c == NULL) {
		store_pairs_free(p, np);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	size_t i;
	for (i = 0; i < np && ret == XB_OK; i++)
		ret = conflict_fill(&c[i], p[i].key, p[i].value, err);
	store_pairs_free(p, np);
	if (ret != XB_OK) {
		bundle_conflicts_free(c, i);
		return ret;
	}
	*out = c;
	*n = np;
	return XB_OK;
}

struct settle_arg {
	const char *id;
	int take_theirs;
	const char *user;
};

static int settle_fn(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	struct settle_arg *a = arg;
	char *text;
	int ret = store_book_get(st, txn, STORE_BOOK_CONFLICTS, a->id, &text, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_ENOTFOUND,
			       _("There is no conflict to settle on %s."), a->id);
	if (ret != XB_OK)
		return ret;
	struct bundle_conflict c;
	ret = conflict_fill(&c, a->id, text, err);
	free(text);
	if (ret != XB_OK)
		return ret;
	struct store_record *ours = NULL, *keep;
	ret = store_get(st, txn, c.kind, a->id, &ours, err);
	if (ret == XB_OK) {
		keep = a->take_theirs ? c.theirs : ours;
		/* Above both versions, so the other side takes it as newer. */
		uint32_t v = ours->version > c.theirs->version ? ours->version
							       : c.theirs->version;
		keep->version = v + 1;
		keep->changed_at = xb_now();
		free(keep->changed_by);
		keep->changed_by = strdup(a->user ? a->user : "");
		if (keep->origin == NULL || *keep->origin == '\0')
			store_record_set_origin(keep, ours->origin);
		ret = store_put_as_is(st, txn, keep, a->user,
				      a->take_theirs ? "settle_theirs" : "settle_ours", err);
	}
	if (ret == XB_OK)
		ret = store_book_del(st, txn, STORE_BOOK_CONFLICTS, a->id, err);
	store_record_free(&ours);
	store_record_free(&c.theirs);
	return ret;
}

int bundle_settle(struct store *st, const char *id, int take_theirs,
		  const char *user, struct xb_error *err)
{
	struct settle_arg a = { id, take_theirs, user };
	return store_run(st, settle_fn, &a, err);
}

int bundle_log(struct store *st, int received, const char *office,
	       struct store_pair **out, size_t *n, struct xb_error *err)
{
	char prefix[20];
	if (office)
		snprintf(prefix, sizeof(prefix), "%s/", office);
	return store_book_list(st, NULL, received ? STORE_BOOK_RECEIVED : STORE_BOOK_SENT,
			       office ? prefix : NULL, out, n, err);
}

