/* peers.c - the offices whose keys are bound, the logs of bundles sent
 * and received, and the conflicts an import leaves for the clerk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
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

int bundle_peer_bind(struct store *st, struct keys *k, const char *code,
		     const char *name, const char *fpr, const char *user,
		     struct xb_error *err)
{
	if (!bundle_office_code_valid(code))
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an office code: a county has 6 "
				 "digits, a township 9."),
			       code);
	char own[13];
	int ret = ledger_office(st, own, err);
	if (ret != XB_OK)
		return ret;
	if (strcmp(own, code) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("%s is this office's own code."), code);
	struct keys_info key, mine;
	if ((ret = keys_lookup(k, fpr, &key, err)) != XB_OK)
		return ret;
	if (keys_own(k, &mine, NULL) == XB_OK && strcmp(mine.fpr, key.fpr) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("That is this office's own key, not office "
				 "%s's."),
			       code);
	if (key.revoked || key.expired || !key.can_encrypt || !key.can_sign)
		return xb_fail(err, XB_EINVAL,
			       _("The key %s cannot be used: it is revoked, "
				 "expired, or cannot sign and encrypt."),
			       key.fpr);
	/* Unnamed, it is called as its key's user ID calls it, less the
	 * "(xiangban CODE)" keys_create adds. */
	char uid_name[sizeof(key.uid)];
	snprintf(uid_name, sizeof(uid_name), "%s", key.uid);
	char *tail = strstr(uid_name, " (xiangban ");
	if (tail != NULL && tail != uid_name)
		*tail = '\0';
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(name && *name ? name : uid_name));
	json_object_set_new(o, "fpr", json_string(key.fpr));
	json_object_set_new(o, "status", json_string("bound"));
	json_object_set_new(o, "bound_at", json_integer(xb_now()));
	json_object_set_new(o, "bound_by", json_string(user ? user : ""));
	struct peer_put pp = { code, o };
	ret = store_run(st, peer_put_fn, &pp, err);
	json_decref(o);
	return ret;
}

int bundle_peer_revoke(struct store *st, const char *code, const char *user,
		       struct xb_error *err)
{
	char *val;
	int ret = store_book_get(st, NULL, STORE_BOOK_PEERS, code, &val, err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(err, XB_ENOTFOUND, _("No key is bound to office %s."),
			       code);
	if (ret != XB_OK)
		return ret;
	json_t *o = bj_parse(val);
	free(val);
	if (o == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	json_object_set_new(o, "status", json_string("revoked"));
	json_object_set_new(o, "revoked_at", json_integer(xb_now()));
	json_object_set_new(o, "revoked_by", json_string(user ? user : ""));
	struct peer_put pp = { code, o };
	ret = store_run(st, peer_put_fn, &pp, err);
	json_decref(o);
	return ret;
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

