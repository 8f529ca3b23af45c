/* query.c - reading: one record, iterators over the indexes, counts and
 * the history of a case. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* A lock refused: another writer holds it, or a dead one did. */
static int is_lock_refusal(int ret)
{
	return ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED;
}

/* store_get and store_peek: flags for Berkeley DB's get in a txn. */
static int get_record(struct store *st, struct store_txn *txn,
		      enum store_kind kind, const char *id, int rmw,
		      struct store_record **out, struct xb_error *err);

int store_get(struct store *st, struct store_txn *txn, enum store_kind kind,
	      const char *id, struct store_record **out, struct xb_error *err)
{
	return get_record(st, txn, kind, id, 1, out, err);
}

int store_peek(struct store *st, struct store_txn *txn, enum store_kind kind,
	       const char *id, struct store_record **out, struct xb_error *err)
{
	return get_record(st, txn, kind, id, 0, out, err);
}

static int get_record(struct store *st, struct store_txn *txn,
		      enum store_kind kind, const char *id, int rmw,
		      struct store_record **out, struct xb_error *err)
{
	*out = NULL;
	enum table_id t = store_kind_table(kind);
	if (t == T_COUNT || id == NULL)
		return xb_fail(err, XB_EINVAL, _("No such kind of record."));
	int ret = txn ? XB_OK : store_heal(st, err);
	if (ret)
		return ret;
	void *data;
	size_t len;
	ret = store_raw_read(st, txn ? txn->txn : NULL, t, id,
			     txn && rmw ? DB_RMW : 0, &data, &len);
	if (ret == DB_NOTFOUND)
		return xb_fail(err, XB_ENOTFOUND, _("No record %s."), id);
	if (ret != 0)
		return store_dberr(st, err, ret, id);
	ret = store_record_decode(data, len, out, err);
	free(data);
	return ret;
}

/* The records of a table whose keys start with a prefix, read in one
 * run; run again from the start after a refused lock. */
struct under_read {
	enum table_id t;
	const char *prefix;
	size_t plen;
	u_int32_t flags; /* DB_RMW under a caller's transaction */
	struct store_record **recs;
	size_t n;
	struct xb_error *err;
};

void store_records_free(struct store_record **recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_record_free(&recs[i]);
	free(recs);
}

static int under_read_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct under_read *r = arg;
	DB *db = st->db[r->t];
	DBT k, d;
	DBC *cur;
	store_records_free(r->recs, r->n);
	r->recs = NULL;
	r->n = 0;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	k.flags = d.flags = DB_DBT_REALLOC;
	if ((k.data = malloc(r->plen + 1)) == NULL)
		return ENOMEM;
	memcpy(k.data, r->prefix, r->plen);
	k.size = (u_int32_t)r->plen;
	int ret = db->cursor(db, txn, &cur, 0);
	if (ret != 0) {
		free(k.data);
		return ret;
	}
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE | r->flags); ret == 0;
	     ret = cur->get(cur, &k, &d, DB_NEXT | r->flags)) {
		if (k.size < r->plen || memcmp(k.data, r->prefix, r->plen) != 0)
			break;
		struct store_record **p = realloc(r->recs, (r->n + 1) * sizeof(*p));
		if (p == NULL) {
			ret = ENOMEM;
			break;
		}
		r->recs = p;
		if (store_record_decode(d.data, d.size, &p[r->n], r->err) != XB_OK) {
			ret = EINVAL;
			break;
		}
		r->n++;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	return ret == DB_NOTFOUND ? 0 : ret;
}

int store_get_under(struct store *st, struct store_txn *txn,
		    enum store_kind kind, const char *prefix,
		    struct store_record ***out, size_t *n, struct xb_error *err)
{
	*out = NULL;
	*n = 0;
	enum table_id t = store_kind_table(kind);
	if (t == T_COUNT || prefix == NULL || *prefix == '\0')
		return xb_fail(err, XB_EINVAL, _("No such kind of record."));
	int ret = txn ? XB_OK : store_heal(st, err);
	if (ret)
		return ret;
	struct under_read r = { t, prefix, strlen(prefix), txn ? DB_RMW : 0,
				NULL, 0, err };
	ret = store_read_run(st, txn ? txn->txn : NULL, under_read_fn, &r);
	if (ret != 0) {
		store_records_free(r.recs, r.n);
		if (ret == EINVAL)
			return XB_EFAIL; /* err says which record is damaged */
		return ret == ENOMEM ? xb_fail(err, XB_EFAIL, _("Out of memory."))
				     : store_dberr(st, err, ret, prefix);
	}
	*out = r.recs;
	*n = r.n;
	return XB_OK;
}

struct store_iter {
	struct store *st;
	DB *db;
	DB *prim; /* the records an index lists */
	DB_TXN *txn; /* a read transaction that never waits */
	DBC *cur;
	int secondary;
	enum store_match match;
	char *key;
	size_t keylen;
	int started;
	/* The cursor reached an index entry (k, pk) but reading its record
	 * was refused: the record is read again before any step. */
	int pending;
	/* A lock was refused: the transaction and cursor are replaced (and
	 * the cursor put back where it stood) before going on. */
	int stale;
	DBT k, pk, d;
	char *ikey;
	/* store_iter_seek: where to start, and which way */
	int seek, backward;
	char *seek_id;
	size_t seek_idlen;
};

int store_iter_open(struct store *st, enum store_kind kind,
		    enum store_index index, enum store_match match,
		    const char *key, struct store_iter **out,
		    struct xb_error *err)
{
	*out = NULL;
	enum table_id t = store_index_table(kind, index);
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	int ret = store_heal(st, err);
	if (ret)
		return ret;
	struct store_iter *it = calloc(1, sizeof(*it));
	if (it == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	st->in_use++;
	it->st = st;
	it->db = st->db[t];
	it->prim = st->db[store_tables[t].primary];
	it->secondary = store_tables[t].primary != t;
	it->match = key ? match : STORE_ALL;
	if (it->match != STORE_ALL) {
		it->key = strdup(key);
		it->keylen = strlen(key);
	}
	it->k.flags = it->pk.flags = it->d.flags = DB_DBT_REALLOC;
	ret = store_read_begin(st, &it->txn);
	if (ret == 0)
		ret = it->db->cursor(it->db, it->txn, &it->cur, DB_READ_COMMITTED);
	if (ret != 0 || (it->match != STORE_ALL && it->key == NULL)) {
		store_iter_close(&it);
		return store_dberr(st, err, ret ? ret : ENOMEM, _("Reading the ledger"));
	}
	*out = it;
	return XB_OK;
}

static int cursor_step(struct store_iter *it, u_int32_t flag);

/* Copies len bytes into a DB_DBT_REALLOC DBT. */
static int dbt_load(DBT *d, const void *data, size_t len)
{
	void *p = realloc(d->data, len ? len : 1);
	if (p == NULL)
		return ENOMEM;
	memcpy(p, data, len);
	d->data = p;
	d->size = (u_int32_t)len;
	return 0;
}

/* Reads the record of the index entry the cursor stands on. */
static int index_fetch(struct store_iter *it)
{
	int ret = it->prim->get(it->prim, it->txn, &it->pk, &it->d, 0);
	if (ret == 0)
		it->pending = 0;
	/* An entry without its record: the index is damaged. */
	return ret == DB_NOTFOUND ? DB_SECONDARY_BAD : ret;
}

/* A step of the cursor on an index: the entry gives the record's id
 * (it->pk), and the record is read in the same transaction. */
static int index_step(struct store_iter *it, u_int32_t flag)
{
	int ret = it->cur->get(it->cur, &it->k, &it->pk, flag);
	if (ret == 0) {
		it->pending = 1;
		ret = index_fetch(it);
	}
	return ret;
}

/* Whether the cursor stands on (key, id) of the seek. */
static int at_seek(const struct store_iter *it)
{
	const DBT *id = it->secondary ? &it->pk : &it->k;
	return it->k.size == it->keylen && !memcmp(it->k.data, it->key, it->keylen) &&
	       id->size == it->seek_idlen && !memcmp(id->data, it->seek_id, it->seek_idlen);
}

/* Puts a seeking cursor on the first entry at or after (key, id); returns
 * DB_NOTFOUND when there is none. */
static int seek_first_at(struct store_iter *it)
{
	int ret;
	if (dbt_load(&it->k, it->key, it->keylen))
		return ENOMEM;
	if (!it->secondary)
		return it->cur->get(it->cur, &it->k, &it->d, DB_SET_RANGE);
	if (dbt_load(&it->pk, it->seek_id, it->seek_idlen))
		return ENOMEM;
	ret = index_step(it, DB_GET_BOTH_RANGE);
	if (ret != DB_NOTFOUND)
		return ret;
	/* No entry of this key sorts after id: the next key's first. */
	if (dbt_load(&it->k, it->key, it->keylen))
		return ENOMEM;
	ret = index_step(it, DB_SET_RANGE);
	if (ret == 0 && it->k.size == it->keylen && !memcmp(it->k.data, it->key, it->keylen))
		ret = index_step(it, DB_NEXT_NODUP);
	return ret;
}

/* The first step of a seeking iterator. */
static int seek_start(struct store_iter *it)
{
	if (it->key == NULL)
		return cursor_step(it, it->backward ? DB_LAST : DB_FIRST);
	int ret = seek_first_at(it);
	if (!it->backward) {
		if (ret == 0 && at_seek(it))
			ret = cursor_step(it, DB_NEXT);
		return ret;
	}
	if (ret == DB_NOTFOUND) /* everything sorts before the seek */
		return cursor_step(it, DB_LAST);
	return ret == 0 ? cursor_step(it, DB_PREV) : ret;
}

/* Puts the iterator's search key into the key DBT for DB_SET*. */
static int load_key(struct store_iter *it)
{
	void *p = realloc(it->k.data, it->keylen ? it->keylen : 1);
	if (p == NULL)
		return ENOMEM;
	memcpy(p, it->key, it->keylen);
	it->k.data = p;
	it->k.size = (u_int32_t)it->keylen;
	return 0;
}

static int cursor_step(struct store_iter *it, u_int32_t flag)
{
	if (it->secondary)
		return index_step(it, flag);
	return it->cur->get(it->cur, &it->k, &it->d, flag);
}

/* After a refused lock: a fresh read transaction and cursor, put back on
 * the entry the old one stood on (it->k, and it->pk on an index) when
 * there is one. */
static int reposition(struct store_iter *it)
{
	if (it->cur != NULL)
		it->cur->close(it->cur);
	it->cur = NULL;
	if (it->txn != NULL)
		it->txn->commit(it->txn, 0);
	it->txn = NULL;
	int ret = store_read_begin(it->st, &it->txn);
	if (ret == 0)
		ret = it->db->cursor(it->db, it->txn, &it->cur, DB_READ_COMMITTED);
	if (ret != 0 || (!it->started && !it->pending))
		return ret;
	if (it->secondary)
		return it->cur->get(it->cur, &it->k, &it->pk, DB_GET_BOTH);
	return it->cur->get(it->cur, &it->k, &it->d, DB_SET);
}

int store_iter_next(struct store_iter *it, struct store_record **rec,
		    const char **ikey, struct xb_error *err)
{
	*rec = NULL;
	int ret;
	struct timespec since = { 0, 0 }; /* the first refusal */
	for (int tries = 0;; tries++) {
		ret = 0;
		if (it->stale) {
			ret = reposition(it);
			/* The entry it stood on is gone (its record changed
			 * meanwhile): where to go on is no longer known. */
			if (ret == DB_NOTFOUND)
				return xb_fail(err, XB_EFAIL,
					       _("The list changed while it was "
						 "read; open it again."));
			if (ret == 0)
				it->stale = 0;
		}
		if (ret != 0) {
			/* the reposition was refused too: wait below */
		} else if (it->pending) {
			ret = index_fetch(it);
		} else if (it->seek) {
			ret = it->started ? cursor_step(it, it->backward ? DB_PREV : DB_NEXT)
					  : seek_start(it);
		} else if (!it->started) {
			if (it->match != STORE_ALL && load_key(it) != 0)
				return xb_fail(err, XB_EFAIL, _("Out of memory."));
			ret = cursor_step(it, it->match == STORE_ALL ? DB_FIRST
					      : it->match == STORE_EXACT ? DB_SET : DB_SET_RANGE);
		} else {
			ret = cursor_step(it, it->match == STORE_EXACT ? DB_NEXT_DUP : DB_NEXT);
		}
		/* A refused lock: wait a little, then a fresh cursor where
		 * this one stood, and read again what was refused. */
		if (is_lock_refusal(ret) && store_wait_lock(it->st, &since, tries)) {
			it->stale = 1;
			/* A seek not yet settled starts over: it may have to
			 * pass the entry it lands on. */
			if (it->seek && !it->started)
				it->pending = 0;
			continue;
		}
		break;
	}
	if (ret == DB_NOTFOUND)
		return 0;
	if (ret != 0)
		return store_dberr(it->st, err, ret, _("Reading the ledger"));
	it->started = 1;
	if ((it->match == STORE_PREFIX &&
	     (it->k.size < it->keylen || memcmp(it->k.data, it->key, it->keylen))))
		return 0;
	if (ikey != NULL) {
		char *s = realloc(it->ikey, it->k.size + 1);
		if (s == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		memcpy(s, it->k.data, it->k.size);
		s[it->k.size] = '\0';
		it->ikey = s;
		*ikey = s;
	}
	ret = store_record_decode(it->d.data, it->d.size, rec, err);
	return ret == XB_OK ? 1 : ret;
}

void store_iter_close(struct store_iter **itp)
{
	if (itp == NULL || *itp == NULL)
		return;
	struct store_iter *it = *itp;
	if (it->cur != NULL)
		it->cur->close(it->cur);
	if (it->txn != NULL)
		it->txn->commit(it->txn, 0);
	it->st->in_use--;
	free(it->k.data);
	free(it->pk.data);
	free(it->d.data);
	free(it->key);
	free(it->ikey);
	free(it->seek_id);
	free(it);
	*itp = NULL;
}

int store_iter_seek(struct store *st, enum store_kind kind,
		    enum store_index index, const char *ikey, const char *id,
		    int backward, struct store_iter **out, struct xb_error *err)
{
	int ret = store_iter_open(st, kind, index, STORE_ALL, NULL, out, err);
	if (ret)
		return ret;
	struct store_iter *it = *out;
	it->seek = 1;
	it->backward = backward;
	if (ikey != NULL) {
		const char *pid = id ? id : ikey;
		it->key = strdup(ikey);
		it->keylen = strlen(ikey);
		it->seek_id = strdup(pid);
		it->seek_idlen = strlen(pid);
		if (it->key == NULL || it->seek_id == NULL) {
			store_iter_close(out);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
	}
	return XB_OK;
}

/* The statistics of one table. */
struct table_stat {
	enum table_id t;
	DB_BTREE_STAT *sp;
};

static int table_stat_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct table_stat *r = arg;
	DB *db = st->db[r->t];
	return db->stat(db, txn, &r->sp, DB_READ_COMMITTED);
}

int store_count(struct store *st, enum store_kind kind, uint64_t *out,
		struct xb_error *err)
{
	enum table_id t = store_kind_table(kind);
	*out = 0;
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("No such kind of record."));
	struct table_stat r = { t, NULL };
	int ret = store_read_run(st, NULL, table_stat_fn, &r);
	if (ret != 0)
		return store_dberr(st, err, ret, _("Counting"));
	*out = r.sp->bt_nkeys;
	free(r.sp);
	return XB_OK;
}

int store_find(struct store *st, struct store_txn *txn, enum store_kind kind,
	       enum store_index index, const char *key, char **id,
	       struct xb_error *err)
{
	*id = NULL;
	enum table_id t = store_index_table(kind, index);
	if (t == T_COUNT || store_tables[t].primary == t)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	/* An index entry holds the record's id; not locked for update,
	 * even in the caller's transaction. */
	void *data;
	size_t len;
	int ret = store_raw_read(st, txn ? txn->txn : NULL, t, key, 0, &data, &len);
	if (ret == DB_NOTFOUND)
		return XB_ENOTFOUND;
	if (ret != 0)
		return store_dberr(st, err, ret, key);
	return store_raw_string(data, len, id, err);
}

/* Every id under one key of an index table, as read. */
struct ids_read {
	enum table_id t;
	DBT k;
	char **ids;
	size_t n;
};

static void ids_clear(struct ids_read *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->ids[i]);
	free(r->ids);
	r->ids = NULL;
	r->n = 0;
}

/* Reads the ids under r->k; run again from the start after a refused
 * lock, so it drops what an earlier run read. */
static int ids_read_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct ids_read *r = arg;
	DB *db = st->db[r->t];
	DBT k = r->k, next, d; /* next: the key a step returns */
	DBC *cur;
	ids_clear(r);
	memset(&d, 0, sizeof(d));
	memset(&next, 0, sizeof(next));
	d.flags = next.flags = DB_DBT_REALLOC;
	int ret = db->cursor(db, txn, &cur, DB_READ_COMMITTED);
	if (ret != 0)
		return ret;
	for (ret = cur->get(cur, &k, &d, DB_SET); ret == 0;
	     ret = cur->get(cur, &next, &d, DB_NEXT_DUP)) {
		char **p = realloc(r->ids, (r->n + 1) * sizeof(*p));
		if (p == NULL) {
			ret = ENOMEM;
			break;
		}
		r->ids = p;
		if ((p[r->n] = strndup(d.data, d.size)) == NULL) {
			ret = ENOMEM;
			break;
		}
		r->n++;
	}
	cur->close(cur);
	free(d.data);
	free(next.data);
	return ret == DB_NOTFOUND ? 0 : ret;
}

/* Reads the ids of a primary table that start with r->k, without their
 * records. */
static int prefix_ids_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct ids_read *r = arg;
	DB *db = st->db[r->t];
	DBT k, d;
	DBC *cur;
	ids_clear(r);
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	k.flags = DB_DBT_REALLOC;
	d.flags = DB_DBT_PARTIAL | DB_DBT_REALLOC; /* no data: dlen 0 */
	int ret = db->cursor(db, txn, &cur, DB_READ_COMMITTED);
	if (ret != 0)
		return ret;
	if ((k.data = malloc(r->k.size ? r->k.size : 1)) == NULL) {
		cur->close(cur);
		return ENOMEM;
	}
	memcpy(k.data, r->k.data, r->k.size);
	k.size = r->k.size;
	for (ret = cur->get(cur, &k, &d, r->k.size ? DB_SET_RANGE : DB_FIRST); ret == 0;
	     ret = cur->get(cur, &k, &d, DB_NEXT)) {
		if (k.size < r->k.size || memcmp(k.data, r->k.data, r->k.size) != 0)
			break;
		char **p = realloc(r->ids, (r->n + 1) * sizeof(*p));
		if (p == NULL) {
			ret = ENOMEM;
			break;
		}
		r->ids = p;
		if ((p[r->n] = strndup(k.data, k.size)) == NULL) {
			ret = ENOMEM;
			break;
		}
		r->n++;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	return ret == DB_NOTFOUND ? 0 : ret;
}

int store_find_ids(struct store *st, struct store_txn *txn,
		   enum store_kind kind, enum store_index index,
		   const char *key, char ***ids, size_t *n,
		   struct xb_error *err)
{
	*ids = NULL;
	*n = 0;
	enum table_id t = store_index_table(kind, index);
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	struct ids_read r = { t, { 0 }, NULL, 0 };
	store_dbt_in(&r.k, key, strlen(key));
	int ret = store_read_run(st, txn ? txn->txn : NULL,
				 store_tables[t].primary == t ? prefix_ids_fn : ids_read_fn,
				 &r);
	if (ret != 0) {
		ids_clear(&r);
		return ret == ENOMEM ? xb_fail(err, XB_EFAIL, _("Out of memory."))
				     : store_dberr(st, err, ret, key);
	}
	*ids = r.ids;
	*n = r.n;
	return XB_OK;
}

void store_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* How many entries of index table t have key k. */
struct dup_count {
	enum table_id t;
	DBT k;
	db_recno_t n;
};

static int dup_count_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct dup_count *r = arg;
	DB *db = st->db[r->t];
	DBT d;
	DBC *cur;
	memset(&d, 0, sizeof(d));
	d.flags = DB_DBT_PARTIAL | DB_DBT_MALLOC; /* only the position */
	int ret = db->cursor(db, txn, &cur, DB_READ_COMMITTED);
	if (ret == 0) {
		ret = cur->get(cur, &r->k, &d, DB_SET);
		if (ret == 0)
			ret = cur->count(cur, &r->n, 0);
		cur->close(cur);
	}
	free(d.data);
	return ret;
}

int store_index_count(struct store *st, enum store_kind kind,
		      enum store_index index, const char *key, uint64_t *out,
		      struct xb_error *err)
{
	*out = 0;
	enum table_id t = store_index_table(kind, index);
	if (t == T_COUNT || store_tables[t].primary == t)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	struct dup_count r = { t, { 0 }, 0 };
	store_dbt_in(&r.k, key, strlen(key));
	int ret = store_read_run(st, NULL, dup_count_fn, &r);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, err, ret, _("Counting"));
	*out = r.n;
	return XB_OK;
}

/* A case's history as read, oldest first. */
struct history {
	struct store_audit **e;
	size_t n, cap;
};

static void history_free(struct history *h)
{
	for (size_t i = 0; i < h->n; i++)
		store_audit_free(&h->e[i]);
	free(h->e);
	memset(h, 0, sizeof(*h));
}

struct history_read {
	struct history *h;
	const char *id;
	struct xb_error *err;
	int ret; /* why it stopped */
};

/* Keeps audit entry d in the history when it is about id or what is
 * under it (any entry of the case when id is a case number). */
static int history_add(const DBT *d, void *arg)
{
	struct history_read *r = arg;
	struct history *h = r->h;
	struct store_audit *a;
	if (store_audit_decode(d->data, d->size, &a, r->err) != XB_OK)
		return (r->ret = EINVAL);
	/* A visit's id narrows the case's history to that visit. */
	size_t idlen = strlen(r->id);
	if (strchr(r->id, '/') != NULL &&
	    (a->record_id == NULL || strncmp(a->record_id, r->id, idlen) != 0 ||
	     (a->record_id[idlen] != '\0' && a->record_id[idlen] != '/'))) {
		store_audit_free(&a);
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		void *p = realloc(h->e, cap * sizeof(*h->e));
		if (p == NULL) {
			store_audit_free(&a);
			return (r->ret = ENOMEM);
		}
		h->e = p;
		h->cap = cap;
	}
	h->e[h->n++] = a;
	return 0;
}

/* Reads the entries of the case (narrowed to id and what is under it
 * when id is not a case number) into h, in the read transaction rt. */
static int history_read(struct store *st, DB_TXN *rt, const char *id,
			struct history *h, struct xb_error *err)
{
	const char *slash = strchr(id, '/');
	size_t caselen = slash ? (size_t)(slash - id) : strlen(id);
	DBC *cur;
	int ret = st->db[T_AUDIT_CASE]->cursor(st->db[T_AUDIT_CASE], rt, &cur,
					       DB_READ_COMMITTED);
	if (ret != 0)
		return ret;
	DBT k, seqs, d;
	memset(&k, 0, sizeof(k));
	memset(&seqs, 0, sizeof(seqs));
	memset(&d, 0, sizeof(d));
	k.flags = seqs.flags = d.flags = DB_DBT_REALLOC;
	if ((k.data = malloc(caselen ? caselen : 1)) == NULL) {
		cur->close(cur);
		return ENOMEM;
	}
	memcpy(k.data, id, caselen);
	k.size = (u_int32_t)caselen;
	struct history_read r = { h, id, err, 0 };
	/* A case's index entries sort oldest first. */
	for (u_int32_t flag = DB_SET; ret == 0 && r.ret == 0 &&
	     (ret = cur->get(cur, &k, &seqs, flag)) == 0; flag = DB_NEXT_DUP)
		ret = store_audit_listed(st, rt, &seqs, &d, history_add, &r);
	cur->close(cur);
	free(k.data);
	free(seqs.data);
	free(d.data);
	if (ret == DB_SECONDARY_BAD) {
		xb_fail(err, XB_EFAIL, _("The history of %s is damaged."), id);
		return EINVAL; /* err says why */
	}
	if (r.ret != 0)
		return r.ret;
	return ret == DB_NOTFOUND ? 0 : ret;
}


/* Whether entry i is the first of its record in h. */
static int history_first_of(const struct history *h, size_t i)
{
	const char *id = h->e[i]->record_id;
	for (size_t j = 0; j < i && id != NULL; j++)
		if (h->e[j]->record_id != NULL && strcmp(h->e[j]->record_id, id) == 0)
			return 0;
	return id != NULL;
}

/* The entry that made a record here (its "create", or the "import" of a
 * record new to this ledger) holds no values: the first version is the
 * current one with every later change of it undone, newest first. Gives
 * the entry the fields of that version as its changes. DB_LOCK_DEADLOCK
 * when the record changed since its entries were read: read again. */
static int history_first_version(struct store *st, DB_TXN *rt,
				 struct history *h, size_t at,
				 struct xb_error *err)
{
	struct store_audit *c = h->e[at];
	enum table_id t = store_kind_table(c->kind);
	if (t == T_COUNT || c->record_id == NULL)
		return 0;
	DBT k, d;
	store_dbt_in(&k, c->record_id, strlen(c->record_id));
	memset(&d, 0, sizeof(d));
	d.flags = DB_DBT_MALLOC;
	int ret = st->db[t]->get(st->db[t], rt, &k, &d, 0);
	if (ret != 0)
		return ret == DB_NOTFOUND ? 0 : ret;
	struct store_record *rec;
	int dec = store_record_decode(d.data, d.size, &rec, err);
	free(d.data);
	if (dec != XB_OK)
		return EINVAL;
	uint32_t latest = c->version;
	int later = 0;
	for (size_t i = h->n; i-- > at + 1 && ret == 0;) {
		const struct store_audit *a = h->e[i];
		/* A note (store_audit_note: a setting, a password, a key
		 * binding) is about the record but no version of it. */
		if (a->record_id == NULL || strcmp(a->record_id, c->record_id) != 0 ||
		    a->version == 0)
			continue;
		if (!later++)
			latest = a->version;
		for (size_t j = a->nchanges; j-- > 0 && ret == 0;)
			if (store_record_set(rec, a->changes[j].key, a->changes[j].before))
				ret = ENOMEM;
	}
	if (ret == 0 && rec->version != latest)
		ret = DB_LOCK_DEADLOCK;
	if (ret == 0) {
		free(c->changes); /* holds no change */
		c->changes = NULL;
		if (store_diff(NULL, rec, &c->changes, &c->nchanges))
			ret = ENOMEM;
	}
	store_record_free(&rec);
	return ret;
}

struct history_run {
	struct history *h;
	const char *id;
	struct xb_error *err;
	int raw; /* the first versions left as written: no changes */
};

/* Reads the history of r->id into r->h afresh, the first versions of its
 * records filled in. */
static int history_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct history_run *r = arg;
	struct history *h = r->h;
	history_free(h); /* what a refused run read */
	int ret = history_read(st, txn, r->id, h, r->err);
	for (size_t i = 0; i < h->n && ret == 0 && !r->raw; i++)
		if (h->e[i]->nchanges == 0 && h->e[i]->version != 0 &&
		    history_first_of(h, i))
			ret = history_first_version(st, txn, h, i, r->err);
	return ret;
}

static int history_run(struct store *st, const char *id, int raw,
		       store_audit_fn fn, void *arg, struct xb_error *err)
{
	struct history h = { NULL, 0, 0 };
	struct history_run r = { &h, id, err, raw };
	int ret;
	/* Like an iterator: recover first from a crash elsewhere, else the
	 * cursor only reports that the ledger needs recovery. */
	int healed = store_read_run_healing(st, history_fn, &r, &ret, err);
	if (healed != XB_OK) {
		history_free(&h);
		return healed;
	}
	if (ret == 0)
		for (size_t i = 0; i < h.n && fn(h.e[i], arg) == 0; i++)
			;
	history_free(&h);
	if (ret == EINVAL)
		return XB_EFAIL; /* err says which entry or record is damaged */
	if (ret != 0)
		return store_dberr(st, err, ret, _("Reading the history"));
	return XB_OK;
}

int store_history(struct store *st, const char *id, store_audit_fn fn,
		  void *arg, struct xb_error *err)
{
	return history_run(st, id, 0, fn, arg, err);
}

int store_history_raw(struct store *st, const char *id, store_audit_fn fn,
		      void *arg, struct xb_error *err)
{
	return history_run(st, id, 1, fn, arg, err);
}
