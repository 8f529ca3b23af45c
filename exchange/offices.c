/* offices.c - what bundles leave behind, office by office: the last bundle
 * sent to and received from each bound peer, the children of a township,
 * the logs of bundles, and the conflicts an import leaves for the clerk
 * to settle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../forms/ledger.h"

/* --- peers and their bundles --- */

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
	json_t *o = bundle_json_parse(val);
	*seq = (uint64_t)bundle_json_int(o, "sequence");
	*at = bundle_json_int(o, "created_at");
	if (entry)
		*entry = o;
	else
		json_decref(o);
	free(key);
	free(val);
	return XB_OK;
}

/* The binding kp with its last bundle each way. */
static int peer_with_bundles(struct store *st, const struct keys_peer *kp,
			     struct bundle_peer *out, struct xb_error *err)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->code, sizeof(out->code), "%s", kp->code);
	snprintf(out->name, sizeof(out->name), "%s", kp->name);
	snprintf(out->fpr, sizeof(out->fpr), "%s", kp->fpr);
	out->revoked = kp->revoked;
	out->bound_at = kp->bound_at;
	snprintf(out->bound_by, sizeof(out->bound_by), "%s", kp->bound_by);
	int ret = bundle_peer_last(st, NULL, STORE_BOOK_SENT, kp->code, &out->sent_seq,
				   &out->sent_at, NULL, err);
	if (ret != XB_OK)
		return ret;
	return bundle_peer_last(st, NULL, STORE_BOOK_RECEIVED, kp->code, &out->received_seq,
				&out->received_at, NULL, err);
}

int bundle_peer_get(struct store *st, const char *code, struct bundle_peer *out,
		    struct xb_error *err)
{
	struct keys_peer kp;
	int ret = keys_peer_get(st, code, &kp, err);
	if (ret != XB_OK)
		return ret;
	return peer_with_bundles(st, &kp, out, err);
}

int bundle_peers(struct store *st, struct bundle_peer **out, size_t *n,
		 struct xb_error *err)
{
	struct keys_peer *kp;
	size_t nk;
	*out = NULL;
	*n = 0;
	int ret = keys_peers(st, &kp, &nk, err);
	if (ret != XB_OK)
		return ret;
	struct bundle_peer *peers = calloc(nk ? nk : 1, sizeof(*peers));
	if (peers == NULL) {
		free(kp);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	for (size_t i = 0; i < nk && ret == XB_OK; i++)
		ret = peer_with_bundles(st, &kp[i], &peers[i], err);
	free(kp);
	if (ret != XB_OK) {
		free(peers);
		return ret;
	}
	*out = peers;
	*n = nk;
	return XB_OK;
}

/* The peer a bundle goes to or comes from, which must be bound. */
int bundle_bound_peer(struct store *st, const char *code, struct keys_peer *p,
		      struct xb_error *err)
{
	int ret = keys_peer_get(st, code, p, err);
	if (ret != XB_OK)
		return ret;
	if (p->revoked)
		return xb_fail(err, XB_EINVAL,
			       _("The key of office %s was revoked; bind its "
				 "new key first."),
			       code);
	return XB_OK;
}

int bundle_office_children(struct store *st, const char *code, uint64_t *out,
			   struct xb_error *err)
{
	char prefix[16];
	snprintf(prefix, sizeof(prefix), "%s-", code);
	int ret = store_count_prefix(st, STORE_CHILD, prefix, out, err);
	if (ret != XB_OK)
		return ret;
	/* less those who left the ledger: fewer than those in it */
	char **ids = NULL;
	size_t n = 0;
	if ((ret = store_find_ids(st, NULL, STORE_CHILD, STORE_BY_STATUS, "exited", &ids,
				  &n, err)) != XB_OK)
		return ret;
	for (size_t i = 0; i < n; i++)
		if (strncmp(ids[i], prefix, strlen(prefix)) == 0 && *out > 0)
			(*out)--;
	store_ids_free(ids, n);
	return XB_OK;
}

/* --- when bundles are due --- */

int bundle_due_day(struct store *st, int *day, struct xb_error *err)
{
	char *v = NULL;
	*day = 5;
	int ret = store_meta_get(st, NULL, "due_day", &v, err);
	if (ret == XB_OK && v != NULL) {
		int d = atoi(v);
		if (d >= 1 && d <= 28)
			*day = d;
	}
	free(v);
	return ret;
}

struct due_arg {
	char value[4];
	const char *user;
};

static int set_due_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct due_arg *a = arg;
	int ret = ledger_access(st, txn, a->user, LEDGER_EXCHANGE, NULL, err);
	return ret ? ret : store_meta_set(st, txn, "due_day", a->value, err);
}

int bundle_set_due_day(struct store *st, int day, const char *user,
		       struct xb_error *err)
{
	if (day < 1 || day > 28)
		return xb_fail(err, XB_EINVAL,
			       _("The due day is a day of the month from 1 to 28, "
				 "not %d."),
			       day);
	struct due_arg a = { .user = user };
	snprintf(a.value, sizeof(a.value), "%d", day);
	return store_run(st, set_due_fn, &a, err);
}

int bundle_office_due(struct store *st, const struct bundle_peer *p,
		      const char *today, struct bundle_due *out,
		      struct xb_error *err)
{
	memset(out, 0, sizeof(*out));
	char self[13];
	int ret = ledger_office(st, self, err);
	if (ret != XB_OK)
		return ret;
	size_t ns = strlen(self), np = strlen(p->code);
	if (p->revoked || !((ns == 6 && np == 9) || (ns == 4 && np == 6)) ||
	    strncmp(p->code, self, ns) != 0)
		return XB_OK;
	int day, y, m, d;
	if ((ret = bundle_due_day(st, &day, err)) != XB_OK)
		return ret;
	if (sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return XB_OK;
	if (y < 1000 || y > 9999 || m < 1 || m > 12)
		return XB_OK;
	out->applies = 1;
	/* the month that ended last, and the moment it ended */
	int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
	snprintf(out->period, sizeof(out->period), "%04u-%02u", (unsigned)py % 10000u,
		 (unsigned)pm % 100u);
	snprintf(out->due, sizeof(out->due), "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)day % 100u);
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	int64_t month_began = (int64_t)mktime(&tm);
	out->awaited = p->received_at < month_began;
	out->late = out->awaited && strcmp(today, out->due) > 0;
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
	json_t *o = bundle_json_parse(text);
	json_t *line = json_object_get(o, "record");
	int ret = bundle_record_from_json(line, &c->theirs, err);
	if (ret == XB_OK) {
		c->kind = c->theirs->kind;
		snprintf(c->id, sizeof(c->id), "%s", id);
		snprintf(c->from, sizeof(c->from), "%s", bundle_json_str(o, "from") ? bundle_json_str(o, "from") : "");
		c->sequence = (uint64_t)bundle_json_int(o, "sequence");
		c->at = bundle_json_int(o, "at");
		c->ours_version = (uint32_t)bundle_json_int(o, "ours_version");
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
	int ret = ledger_access(st, txn, a->user, LEDGER_EXCHANGE, NULL, err);
	if (ret)
		return ret;
	ret = store_book_get(st, txn, STORE_BOOK_CONFLICTS, a->id, &text, err);
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


/* --- the office key and the bound offices, for who may exchange --- */

int bundle_key_create(struct store *st, struct keys *k, const char *user,
		      const char *code, const char *name, const char *passphrase,
		      struct keys_info *out, struct xb_error *err)
{
	int ret = ledger_access(st, NULL, user, LEDGER_EXCHANGE, NULL, err);
	return ret ? ret : keys_create(k, code, name, passphrase, out, err);
}

int bundle_peer_bind(struct store *st, struct keys *k, const char *code,
		     const char *name, const char *fpr, int replace,
		     const char *user, struct xb_error *err)
{
	int ret = ledger_access(st, NULL, user, LEDGER_EXCHANGE, NULL, err);
	if (ret)
		return ret;
	return (replace ? keys_peer_replace : keys_peer_bind)(st, k, code, name,
							      fpr, user, err);
}

int bundle_peer_revoke(struct store *st, const char *code, const char *user,
		       struct xb_error *err)
{
	int ret = ledger_access(st, NULL, user, LEDGER_EXCHANGE, NULL, err);
	return ret ? ret : keys_peer_revoke(st, code, user, err);
}
