/* write.c - inserting and updating records, each with its audit entry, and
 * the counters and settings kept in meta.db. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

enum write_mode { W_INSERT, W_UPDATE, W_AS_IS };

static void dbt_in(DBT *d, const void *data, size_t len)
{
	memset(d, 0, sizeof(*d));
	d->data = (void *)data;
	d->size = (u_int32_t)len;
}

int store_raw_get(struct store *st, DB_TXN *txn, enum table_id t,
		  const char *key, void **out, size_t *len)
{
	DBT k, d;
	dbt_in(&k, key, strlen(key));
	memset(&d, 0, sizeof(d));
	d.flags = DB_DBT_MALLOC;
	int ret;
	struct store_wait wait = { { 0, 0 }, 0 };
	for (int tries = 0;; tries++) {
		DB_TXN *rt = NULL;
		if (txn == NULL && (ret = store_read_begin(st, &rt)) != 0) {
			if (store_read_retry(st, ret, &wait, tries))
				continue;
			return ret;
		}
		ret = st->db[t]->get(st->db[t], txn ? txn : rt, &k, &d, txn ? DB_RMW : 0);
		if (rt != NULL)
			rt->commit(rt, 0);
		if (txn != NULL || !store_read_retry(st, ret, &wait, tries))
			break;
	}
	if (ret == 0) {
		*out = d.data;
		*len = d.size;
	}
	return ret;
}

int store_meta_get(struct store *st, struct store_txn *txn, const char *key,
		   char **out, struct xb_error *err)
{
	void *data;
	size_t len;
	*out = NULL;
	int ret = store_raw_get(st, txn ? txn->txn : NULL, T_META, key, &data, &len);
	if (ret == DB_NOTFOUND)
		return XB_OK;
	if (ret != 0)
		return store_dberr(st, err, ret, _("Reading settings"));
	char *s = realloc(data, len + 1);
	if (s == NULL) {
		free(data);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	s[len] = '\0';
	*out = s;
	return XB_OK;
}

static int meta_put(struct store *st, DB_TXN *txn, const char *key,
		    const char *value, struct xb_error *err)
{
	DBT k, d;
	dbt_in(&k, key, strlen(key));
	dbt_in(&d, value, strlen(value));
	int ret = st->db[T_META]->put(st->db[T_META], txn, &k, &d, 0);
	return store_dberr(st, err, ret, _("Saving settings"));
}

struct meta_arg {
	const char *key, *value;
};

static int meta_set_fn(struct store *st, struct store_txn *txn, void *arg,
		       struct xb_error *err)
{
	struct meta_arg *m = arg;
	return meta_put(st, txn->txn, m->key, m->value, err);
}

int store_meta_set(struct store *st, struct store_txn *txn, const char *key,
		   const char *value, struct xb_error *err)
{
	struct meta_arg m = { key, value };
	if (txn == NULL)
		return store_run(st, meta_set_fn, &m, err);
	return meta_put(st, txn->txn, key, value, err);
}

static int counter_next(struct store *st, DB_TXN *txn, const char *name,
			uint64_t *out, struct xb_error *err)
{
	char key[256], val[32];
	void *data;
	size_t len;
	uint64_t v = 0;
	snprintf(key, sizeof(key), "counter:%s", name);
	int ret = store_raw_get(st, txn, T_META, key, &data, &len);
	if (ret == 0) {
		char tmp[32];
		size_t n = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
		memcpy(tmp, data, n);
		tmp[n] = '\0';
		v = strtoull(tmp, NULL, 10);
		free(data);
	} else if (ret != DB_NOTFOUND) {
		return store_dberr(st, err, ret, _("Numbering"));
	}
	v++;
	snprintf(val, sizeof(val), "%" PRIu64, v);
	ret = meta_put(st, txn, key, val, err);
	if (ret == XB_OK)
		*out = v;
	return ret;
}

struct counter_arg {
	const char *name;
	uint64_t *out;
};

static int counter_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct counter_arg *c = arg;
	return counter_next(st, txn->txn, c->name, c->out, err);
}

int store_counter_next(struct store *st, struct store_txn *txn,
		       const char *name, uint64_t *out, struct xb_error *err)
{
	struct counter_arg c = { name, out };
	if (txn == NULL)
		return store_run(st, counter_fn, &c, err);
	return counter_next(st, txn->txn, name, out, err);
}

int store_generation(struct store *st, uint64_t *out, struct xb_error *err)
{
	char *v = NULL;
	*out = 0;
	/* Every change writes an audit entry numbered by this counter. */
	int ret = store_meta_get(st, NULL, "counter:audit", &v, err);
	if (ret == XB_OK && v != NULL)
		*out = strtoull(v, NULL, 10);
	free(v);
	return ret;
}

/* Writes the audit entry of one change to a record, made by `user` at
 * `at` (for an import: who imported, when; not the record's author). */
static int write_audit(struct store *st, DB_TXN *txn,
		       const struct store_record *old,
		       const struct store_record *rec, const char *user,
		       int64_t at, const char *action, struct xb_error *err)
{
	struct store_audit a = { 0 };
	unsigned char *buf = NULL, keybuf[8];
	size_t len;
	int ret = counter_next(st, txn, "audit", &a.seq, err);
	if (ret)
		return ret;
	a.kind = rec->kind;
	a.record_id = rec->id;
	a.user = (char *)user;
	a.at = at;
	a.action = (char *)action;
	a.version = rec->version;
	if (store_diff(old, rec, &a.changes, &a.nchanges) ||
	    store_audit_encode(&a, &buf, &len)) {
		store_changes_free(a.changes, a.nchanges);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	store_changes_free(a.changes, a.nchanges);
	for (int i = 0; i < 8; i++)
		keybuf[i] = (unsigned char)(a.seq >> (56 - 8 * i));
	DBT k, d;
	dbt_in(&k, keybuf, sizeof(keybuf));
	dbt_in(&d, buf, len);
	ret = st->db[T_AUDIT]->put(st->db[T_AUDIT], txn, &k, &d, DB_NOOVERWRITE);
	free(buf);
	return store_dberr(st, err, ret, _("Saving the history"));
}

/* Human name of a record for messages: "child 220221100-00042-7". */
static const char *what_of(const struct store_record *rec, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", store_kind_name(rec->kind),
		 rec->id ? rec->id : "?");
	return buf;
}

/* The one write path. `rec` is the caller's record; the written copy gets
 * the new metadata, which is copied back through `written`. */
static int write_record(struct store *st, DB_TXN *txn,
			const struct store_record *rec, const char *user,
			const char *action, enum write_mode mode,
			struct store_record **written, struct xb_error *err)
{
	char what[128];
	enum table_id t = store_kind_table(rec->kind);
	*written = NULL;
	if (t == T_COUNT || rec->id == NULL || *rec->id == '\0')
		return xb_fail(err, XB_EINVAL, _("A record without an id cannot be saved."));
	what_of(rec, what, sizeof(what));

	void *olddata = NULL;
	size_t oldlen = 0;
	struct store_record *old = NULL;
	int ret = store_raw_get(st, txn, t, rec->id, &olddata, &oldlen);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, err, ret, what);
	if (ret == 0) {
		ret = store_record_decode(olddata, oldlen, &old, err);
		free(olddata);
		if (ret)
			return ret;
	}

	if (mode == W_INSERT && old != NULL) {
		store_record_free(&old);
		return xb_fail(err, XB_EEXIST, _("%s already exists."), rec->id);
	}
	if (mode == W_UPDATE && old == NULL)
		return xb_fail(err, XB_ENOTFOUND, _("%s does not exist."), rec->id);
	if (mode == W_UPDATE && old->version != rec->version) {
		char when[32];
		xb_format_time(old->changed_at, when, sizeof(when));
		xb_fail(err, XB_ECONFLICT,
			_("%s was changed by %s at %s after you opened it; "
			  "nothing was saved. Reload it and make your change "
			  "again."),
			rec->id, old->changed_by ? old->changed_by : "?", when);
		store_record_free(&old);
		return XB_ECONFLICT;
	}

	struct store_record *nw = store_record_dup(rec);
	if (nw == NULL) {
		store_record_free(&old);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	if (mode == W_UPDATE) {
		struct store_change *ch;
		size_t n;
		if (store_diff(old, nw, &ch, &n)) {
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			goto out;
		}
		store_changes_free(ch, n);
		if (n == 0) { /* nothing changed: nothing to write */
			*written = nw;
			nw = NULL;
			goto out;
		}
	}
	if (mode != W_AS_IS) {
		nw->version = mode == W_INSERT ? 1 : old->version + 1;
		nw->changed_at = xb_now();
		free(nw->changed_by);
		nw->changed_by = strdup(user ? user : "");
		if (nw->origin == NULL && old != NULL && old->origin != NULL)
			nw->origin = strdup(old->origin);
	}
	unsigned char *buf;
	size_t len;
	if (store_record_encode(nw, &buf, &len)) {
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		goto out;
	}
	DBT k, d;
	dbt_in(&k, nw->id, strlen(nw->id));
	dbt_in(&d, buf, len);
	ret = st->db[t]->put(st->db[t], txn, &k, &d, 0);
	free(buf);
	if (ret != 0) {
		ret = store_dberr(st, err, ret, what);
		goto out;
	}
	if (mode == W_AS_IS)
		ret = write_audit(st, txn, old, nw, user, xb_now(), action, err);
	else
		ret = write_audit(st, txn, old, nw, nw->changed_by, nw->changed_at,
				  action, err);
	if (ret == XB_OK) {
		*written = nw;
		nw = NULL;
	}
out:
	store_record_free(&old);
	store_record_free(&nw);
	return ret;
}

struct write_arg {
	const struct store_record *rec;
	const char *user, *action;
	enum write_mode mode;
	struct store_record *written;
};

static int write_fn(struct store *st, struct store_txn *txn, void *arg,
		    struct xb_error *err)
{
	struct write_arg *w = arg;
	store_record_free(&w->written);
	return write_record(st, txn->txn, w->rec, w->user, w->action, w->mode,
			    &w->written, err);
}

/* Runs one write in the caller's transaction or in one of its own, then
 * gives the caller's record its new metadata. */
static int do_write(struct store *st, struct store_txn *txn,
		    struct store_record *rec, const char *user,
		    const char *action, enum write_mode mode,
		    struct xb_error *err)
{
	struct write_arg w = { rec, user, action, mode, NULL };
	int ret = txn ? write_fn(st, txn, &w, err) : store_run(st, write_fn, &w, err);
	if (ret == XB_OK && w.written != NULL && mode != W_AS_IS) {
		rec->version = w.written->version;
		rec->changed_at = w.written->changed_at;
		char *tmp = rec->changed_by;
		rec->changed_by = w.written->changed_by;
		w.written->changed_by = tmp;
		if (rec->origin == NULL) {
			rec->origin = w.written->origin;
			w.written->origin = NULL;
		}
	}
	store_record_free(&w.written);
	return ret;
}

int store_insert(struct store *st, struct store_txn *txn,
		 struct store_record *rec, const char *user,
		 struct xb_error *err)
{
	return do_write(st, txn, rec, user, "create", W_INSERT, err);
}

int store_update(struct store *st, struct store_txn *txn,
		 struct store_record *rec, const char *user, const char *action,
		 struct xb_error *err)
{
	return do_write(st, txn, rec, user, action ? action : "update", W_UPDATE,
			err);
}

int store_put_as_is(struct store *st, struct store_txn *txn,
		    const struct store_record *rec, const char *user,
		    const char *action, struct xb_error *err)
{
	return do_write(st, txn, (struct store_record *)rec, user, action,
			W_AS_IS, err);
}
