/* write.c - inserting and updating records, each with its audit entry, and
 * the counters and settings kept in meta.db. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

enum write_mode { W_INSERT, W_UPDATE, W_AS_IS };

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
	return store_raw_string(data, len, out, err);
}

int store_meta_put(struct store *st, DB_TXN *txn, const char *key,
		   const char *value, struct xb_error *err)
{
	DBT k, d;
	store_dbt_in(&k, key, strlen(key));
	store_dbt_in(&d, value, strlen(value));
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
	return store_meta_put(st, txn->txn, m->key, m->value, err);
}

int store_meta_set(struct store *st, struct store_txn *txn, const char *key,
		   const char *value, struct xb_error *err)
{
	struct meta_arg m = { key, value };
	if (txn == NULL)
		return store_run(st, meta_set_fn, &m, err);
	return store_meta_put(st, txn->txn, key, value, err);
}

static size_t key_hash(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* The slot of key among t's counters: its own, or the free one to take. */
static struct txn_counter *counter_slot(struct store_txn *t, const char *key)
{
	size_t i = key_hash(key) & (t->cap - 1);
	while (t->counters[i].key != NULL && strcmp(t->counters[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->counters[i];
}

/* Makes room for one more counter, keeping the table at most half full. */
static int counters_grow(struct store_txn *t)
{
	if (2 * (t->ncounters + 1) <= t->cap)
		return XB_OK;
	struct store_txn bigger = { .cap = t->cap ? 2 * t->cap : 64 };
	bigger.counters = calloc(bigger.cap, sizeof(*bigger.counters));
	if (bigger.counters == NULL)
		return XB_EFAIL;
	for (size_t i = 0; i < t->cap; i++)
		if (t->counters[i].key != NULL)
			*counter_slot(&bigger, t->counters[i].key) = t->counters[i];
	free(t->counters);
	t->counters = bigger.counters;
	t->cap = bigger.cap;
	return XB_OK;
}

/* head then tail into key (size len); 0 when they do not fit. Every
 * record written looks a counter up by such a key: no snprintf. */
static int prefixed(char *key, size_t len, const char *head, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	if (h + t >= len)
		return 0;
	memcpy(key, head, h);
	memcpy(key + h, tail, t + 1);
	return 1;
}

/* The counter key of t, or NULL when t has not used it yet. */
static struct txn_counter *counter_cached(struct store_txn *t, const char *key)
{
	if (t->cap == 0)
		return NULL;
	struct txn_counter *c = counter_slot(t, key);
	return c->key != NULL ? c : NULL;
}

/* Keeps counter key of t at value from now on. */
static int counter_keep(struct store_txn *t, const char *key, uint64_t value,
			int derived, struct xb_error *err)
{
	char *copy = strdup(key);
	if (copy == NULL || counters_grow(t) != XB_OK) {
		free(copy);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	*counter_slot(t, key) = (struct txn_counter){ copy, value, derived };
	t->ncounters++;
	return XB_OK;
}

/* The next value of counter `name`. Its first use in t reads it from
 * meta.db with a write lock; later ones count in memory; commit writes
 * it (store_counters_flush). Every record written bumps one or two, so
 * this saves a read and a write of meta.db for each. */
static int counter_next(struct store *st, struct store_txn *t, const char *name,
			uint64_t *out, struct xb_error *err)
{
	char key[256];
	void *data;
	size_t len;
	uint64_t v = 0;
	if (!prefixed(key, sizeof(key), "counter:", name))
		return xb_fail(err, XB_EINVAL, _("Cannot number a record under %s."),
			       name);
	struct txn_counter *c = counter_cached(t, key);
	if (c != NULL) {
		*out = ++c->value;
		return XB_OK;
	}
	int ret = store_raw_get(st, t->txn, T_META, key, &data, &len);
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
	*out = v + 1;
	return counter_keep(t, key, v + 1, 0, err);
}

/* The serial in key when it is prefix followed by 1 to 19 digits. */
static int serial_of(const DBT *key, const char *prefix, size_t plen,
		     uint64_t *serial)
{
	const char *k = key->data;
	if (key->size <= plen || key->size - plen > 19 || memcmp(k, prefix, plen) != 0)
		return 0;
	uint64_t v = 0;
	for (size_t i = plen; i < key->size; i++) {
		if (k[i] < '0' || k[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(k[i] - '0');
	}
	*serial = v;
	return 1;
}

/* The largest serial among the keys prefix + digits of table tb, 0 when
 * there is none, the keys read with write locks. Ids of width digits
 * sort by number, so when the last one before prefix + 0xff has width
 * digits, and they are not all nines, it is the largest of them and the
 * next number is free. Otherwise ids of other widths (longer ones sort
 * among the shorter: "R100" before "R99") may hold larger numbers, and
 * every key under prefix is read. */
static int last_serial(struct store *st, DB_TXN *txn, enum table_id tb,
		       const char *prefix, int width, uint64_t *out)
{
	size_t plen = strlen(prefix);
	DBC *c;
	DBT k, d;
	memset(&d, 0, sizeof(d));
	d.flags = DB_DBT_USERMEM | DB_DBT_PARTIAL; /* the keys only */
	memset(&k, 0, sizeof(k));
	k.flags = DB_DBT_REALLOC;
	if ((k.data = malloc(plen + 1)) == NULL)
		return ENOMEM;
	memcpy(k.data, prefix, plen);
	((unsigned char *)k.data)[plen] = 0xff;
	k.size = (u_int32_t)plen + 1;
	*out = 0;
	int ret = st->db[tb]->cursor(st->db[tb], txn, &c, 0);
	if (ret != 0) {
		free(k.data);
		return ret;
	}
	ret = c->get(c, &k, &d, DB_SET_RANGE | DB_RMW);
	if (ret == 0 || ret == DB_NOTFOUND)
		ret = c->get(c, &k, &d, (ret == 0 ? DB_PREV : DB_LAST) | DB_RMW);
	/* back over ids under prefix that are not prefix + digits */
	while (ret == 0 && k.size >= plen && memcmp(k.data, prefix, plen) == 0 &&
	       !serial_of(&k, prefix, plen, out))
		ret = c->get(c, &k, &d, DB_PREV | DB_RMW);
	uint64_t nines = 0;
	for (int i = 0; i < width && i < 19; i++)
		nines = nines * 10 + 9;
	if (ret == 0 && k.size >= plen && memcmp(k.data, prefix, plen) == 0 &&
	    (k.size - plen != (size_t)width || *out == nines)) {
		/* other widths may hold more: read every key under prefix */
		memcpy(k.data, prefix, plen);
		k.size = (u_int32_t)plen;
		for (ret = c->get(c, &k, &d, DB_SET_RANGE | DB_RMW); ret == 0;
		     ret = c->get(c, &k, &d, DB_NEXT | DB_RMW)) {
			uint64_t v;
			if (k.size < plen || memcmp(k.data, prefix, plen) != 0)
				break;
			if (serial_of(&k, prefix, plen, &v) && v > *out)
				*out = v;
		}
	}
	c->close(c);
	free(k.data);
	return ret == DB_NOTFOUND ? 0 : ret;
}

int store_serial_under(struct store *st, struct store_txn *txn,
		       enum store_kind kind, const char *prefix, int width,
		       uint64_t *out, struct xb_error *err)
{
	char key[256];
	enum table_id tb = store_kind_table(kind);
	/* "under:" keeps these apart from the stored counters of t */
	if (txn == NULL || tb == T_COUNT || !prefixed(key, sizeof(key), "under:", prefix))
		return xb_fail(err, XB_EINVAL, _("Cannot number a record under %s."),
				prefix);
	struct txn_counter *c = counter_cached(txn, key);
	if (c != NULL) {
		*out = ++c->value;
		return XB_OK;
	}
	uint64_t last;
	int ret = last_serial(st, txn->txn, tb, prefix, width, &last);
	if (ret != 0)
		return store_dberr(st, err, ret, _("Numbering"));
	*out = last + 1;
	return counter_keep(txn, key, last + 1, 1, err);
}

int store_counters_flush(struct store_txn *t, struct xb_error *err)
{
	for (size_t i = 0; i < t->cap; i++) {
		const struct txn_counter *c = &t->counters[i];
		char val[32];
		if (c->key == NULL || c->derived)
			continue;
		snprintf(val, sizeof(val), "%" PRIu64, c->value);
		int ret = store_meta_put(t->st, t->txn, c->key, val, err);
		if (ret != XB_OK)
			return ret;
	}
	return XB_OK;
}

void store_counters_free(struct store_txn *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->counters[i].key);
	free(t->counters);
	t->counters = NULL;
	t->ncounters = t->cap = 0;
}

struct counter_arg {
	const char *name;
	uint64_t *out;
};

static int counter_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	struct counter_arg *c = arg;
	return counter_next(st, txn, c->name, c->out, err);
}

int store_counter_next(struct store *st, struct store_txn *txn,
		       const char *name, uint64_t *out, struct xb_error *err)
{
	struct counter_arg c = { name, out };
	if (txn == NULL)
		return store_run(st, counter_fn, &c, err);
	return counter_next(st, txn, name, out, err);
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

/* Notes entry seq of case case_no (len bytes) for the index by case:
 * it extends the transaction's last run when it follows it. */
static int run_add(struct store_txn *t, const char *case_no, size_t len,
		   uint64_t seq, int *continued, struct xb_error *err)
{
	struct audit_run *last = t->nruns ? &t->runs[t->nruns - 1] : NULL;
	*continued = 0;
	if (last != NULL && last->last + 1 == seq &&
	    strncmp(last->case_no, case_no, len) == 0 && last->case_no[len] == '\0') {
		last->last = seq;
		*continued = 1;
		return XB_OK;
	}
	if (t->nruns == t->runcap) {
		size_t cap = t->runcap ? 2 * t->runcap : 16;
		struct audit_run *p = realloc(t->runs, cap * sizeof(*p));
		if (p == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		t->runs = p;
		t->runcap = cap;
	}
	char *copy = strndup(case_no, len);
	if (copy == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	t->runs[t->nruns++] = (struct audit_run){ copy, seq, seq };
	return XB_OK;
}

/* Puts the pending entries of t into audit.db: a lone one as it is,
 * more as one run record keyed by the first's number. */
static int pending_put(struct store_txn *t)
{
	if (t->pending_n == 0)
		return 0;
	unsigned char key[8], head[STORE_RUN_HEADER_MAX];
	unsigned char *data = t->pending + STORE_RUN_HEADER_MAX;
	size_t len = t->pending_len - STORE_RUN_HEADER_MAX;
	if (t->pending_n == 1) {
		/* skip the entry's own length */
		const void *e;
		size_t off = 0;
		if (store_audit_run_next(data, len, &off, &e, &len) != 0)
			return EINVAL;
		data = (unsigned char *)e;
	} else {
		size_t h = store_audit_run_header(head, t->pending_n);
		data -= h;
		memcpy(data, head, h);
		len += h;
	}
	store_seq_key(t->pending_first, key);
	DBT k, d;
	store_dbt_in(&k, key, sizeof(key));
	store_dbt_in(&d, data, len);
	t->pending_n = 0;
	t->pending_len = STORE_RUN_HEADER_MAX;
	return t->st->db[T_AUDIT]->put(t->st->db[T_AUDIT], t->txn, &k, &d,
				       DB_NOOVERWRITE);
}

int store_audit_runs_write(struct store_txn *t, struct xb_error *err)
{
	struct store *st = t->st;
	int ret = pending_put(t);
	for (size_t i = 0; i < t->nruns && ret == 0; i++) {
		const struct audit_run *r = &t->runs[i];
		unsigned char seqs[16];
		DBT k, d;
		store_seq_key(r->first, seqs);
		store_seq_key(r->last, seqs + 8);
		store_dbt_in(&k, r->case_no, strlen(r->case_no));
		store_dbt_in(&d, seqs, r->last > r->first ? 16 : 8);
		ret = st->db[T_AUDIT_CASE]->put(st->db[T_AUDIT_CASE], t->txn, &k, &d, 0);
	}
	store_audit_runs_free(t);
	return ret ? store_dberr(st, err, ret, _("Saving the history")) : XB_OK;
}

void store_audit_runs_free(struct store_txn *t)
{
	for (size_t i = 0; i < t->nruns; i++)
		free(t->runs[i].case_no);
	free(t->runs);
	t->runs = NULL;
	t->nruns = t->runcap = 0;
	free(t->pending);
	t->pending = NULL;
	t->pending_len = t->pending_cap = 0;
	t->pending_n = 0;
}

/* Writes the audit entry of one change to a record (the changes made by
 * store_diff_borrow), made by `user` at `at`: for an import, who imported
 * and when, not the record's author. */
static int write_audit(struct store *st, struct store_txn *txn,
		       const struct store_record *rec, const char *user,
		       int64_t at, const char *action,
		       struct store_change *changes, size_t nchanges,
		       struct xb_error *err)
{
	struct store_audit a = { 0 };
	unsigned char *buf = NULL;
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
	a.changes = changes;
	a.nchanges = nchanges;
	if (store_audit_encode(&a, &buf, &len))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	/* The index by case number: the record id up to its first '/', so
	 * a child's history holds its visits and reports. */
	const char *slash = strchr(rec->id, '/');
	int continued;
	ret = run_add(txn, rec->id, slash ? (size_t)(slash - rec->id) : strlen(rec->id),
		      a.seq, &continued, err);
	/* The entry joins the pending ones when it continues their run:
	 * adding a child with its visits puts one record, not one an entry. */
	if (ret == XB_OK && (!continued || txn->pending_n == STORE_RUN_MAX) &&
	    (ret = pending_put(txn)) != 0)
		ret = store_dberr(st, err, ret, _("Saving the history"));
	if (ret == XB_OK) {
		if (txn->pending_n == 0) {
			txn->pending_first = a.seq;
			txn->pending_len = STORE_RUN_HEADER_MAX;
		}
		if (store_audit_run_add(&txn->pending, &txn->pending_len,
					&txn->pending_cap, buf, len) != XB_OK)
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			txn->pending_n++;
	}
	free(buf);
	return ret;
}

/* Human name of a record for messages: "child 220221100-00042-7". */
static const char *what_of(const struct store_record *rec, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", store_kind_name(rec->kind),
		 rec->id ? rec->id : "?");
	return buf;
}

/* The metadata a write gave the record, for the caller's copy. */
struct written {
	int saved; /* 0: nothing changed, nothing written */
	uint32_t version;
	int64_t changed_at;
	char *origin; /* the stored record's (malloc'd) when the caller's had none */
};

/* Reads the stored record rec->id of table t, if any, into *old. */
static int read_old(struct store *st, DB_TXN *txn, enum table_id t,
		    const struct store_record *rec, struct store_record **old,
		    struct xb_error *err)
{
	void *data = NULL;
	size_t len = 0;
	char what[128];
	*old = NULL;
	int ret = store_raw_get(st, txn, t, rec->id, &data, &len);
	if (ret == DB_NOTFOUND)
		return XB_OK;
	if (ret != 0)
		return store_dberr(st, err, ret, what_of(rec, what, sizeof(what)));
	ret = store_record_decode(data, len, old, err);
	free(data);
	return ret;
}

static int has_key(const char *const *keys, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

/* Takes (key, id) out of index table i. */
static int index_del(struct store *st, DB_TXN *txn, enum table_id i,
		     const char *key, DBT *id)
{
	DBC *cur;
	DBT k, d;
	size_t klen = strlen(key);
	/* Berkeley DB writes the pair it finds back into the DBTs: copies
	 * of the same size take it (DB_THREAD wants user memory). */
	char *buf = malloc(klen + id->size + 1);
	if (buf == NULL)
		return ENOMEM;
	memcpy(buf, key, klen);
	memcpy(buf + klen, id->data, id->size);
	store_dbt_in(&k, buf, klen);
	store_dbt_in(&d, buf + klen, id->size);
	k.flags = d.flags = DB_DBT_USERMEM;
	k.ulen = k.size;
	d.ulen = d.size;
	int ret = st->db[i]->cursor(st->db[i], txn, &cur, 0);
	if (ret == 0) {
		ret = cur->get(cur, &k, &d, DB_GET_BOTH | DB_RMW);
		if (ret == 0)
			ret = cur->del(cur, 0);
		cur->close(cur);
	}
	free(buf);
	return ret == DB_NOTFOUND ? 0 : ret;
}

/* Keeps the indexes of table t in step with record nw, written over old
 * (NULL when new): the entries of keys nw no longer has go, those of
 * keys it gained come; the others stay untouched. */
static int index_write(struct store *st, DB_TXN *txn, enum table_id t,
		       const struct store_record *old,
		       const struct store_record *nw)
{
	DBT id;
	store_dbt_in(&id, nw->id, strlen(nw->id));
	for (int i = 0; i < T_COUNT; i++) {
		if (store_tables[i].primary != t || i == (int)t)
			continue;
		const char *was[2], *now[2];
		int nwas = old ? store_index_keys(i, old, was) : 0;
		int nnow = store_index_keys(i, nw, now);
		for (int j = 0; j < nwas; j++) {
			int ret = has_key(now, nnow, was[j]) ? 0
				  : index_del(st, txn, i, was[j], &id);
			if (ret != 0)
				return ret;
		}
		for (int j = 0; j < nnow; j++) {
			if (has_key(was, nwas, now[j]))
				continue;
			DBT k;
			store_dbt_in(&k, now[j], strlen(now[j]));
			int ret = st->db[i]->put(st->db[i], txn, &k, &id, 0);
			if (ret != 0 && ret != DB_KEYEXIST)
				return ret;
		}
	}
	return 0;
}

/* Refuses a record that cannot be saved: of no table, without an id, or
 * with a field without a name (the encoding ends a record's fields with
 * an empty key). */
static int check_savable(const struct store_record *rec, enum table_id t,
			 struct xb_error *err)
{
	if (t == T_COUNT || rec->id == NULL || *rec->id == '\0')
		return xb_fail(err, XB_EINVAL, _("A record without an id cannot be saved."));
	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->fields[i].key[0] == '\0')
			return xb_fail(err, XB_EINVAL,
				       _("%s has a field without a name; it cannot be saved."),
				       rec->id);
	return XB_OK;
}

/* The stored record that rec replaces, into *old (NULL when none). An
 * insert reads nothing: its put refuses a key already there, before it
 * touches an index. An update must find it, at the version rec was read
 * at. */
static int read_replaced(struct store *st, struct store_txn *txn,
			 enum table_id t, const struct store_record *rec,
			 enum write_mode mode, struct store_record **old,
			 struct xb_error *err)
{
	int ret;
	*old = NULL;
	if (mode == W_INSERT)
		return XB_OK;
	if ((ret = read_old(st, txn->txn, t, rec, old, err)))
		return ret;
	if (mode == W_UPDATE && *old == NULL)
		return xb_fail(err, XB_ENOTFOUND, _("%s does not exist."), rec->id);
	if (mode == W_UPDATE && (*old)->version != rec->version) {
		char when[32];
		xb_format_time((*old)->changed_at, when, sizeof(when));
		xb_fail(err, XB_ECONFLICT,
			_("%s was changed by %s at %s after you opened it; "
			  "nothing was saved. Reload it and make your change "
			  "again."),
			rec->id, (*old)->changed_by ? (*old)->changed_by : "?", when);
		store_record_free(old);
		return XB_ECONFLICT;
	}
	return XB_OK;
}

/* Gives nw the metadata of this save: the next version, now, user; and
 * the stored origin when nw has none (taken from old, and handed to the
 * caller's copy through out). */
static void stamp_saved(struct store_record *nw, struct store_record *old,
			const char *user, enum write_mode mode,
			struct written *out)
{
	nw->version = mode == W_INSERT ? 1 : old->version + 1;
	nw->changed_at = xb_now();
	nw->changed_by = (char *)(user ? user : "");
	if (nw->origin == NULL && old != NULL && old->origin != NULL) {
		nw->origin = out->origin = old->origin;
		old->origin = NULL;
	}
}

/* Puts nw into table t and its indexes, over old (NULL when new); an
 * insert refuses an id already there. */
static int put_record(struct store *st, DB_TXN *txn, enum table_id t,
		      const struct store_record *old,
		      const struct store_record *nw, enum write_mode mode,
		      struct xb_error *err)
{
	char what[128];
	unsigned char *buf;
	size_t len;
	if (store_record_encode(nw, &buf, &len))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	DBT k, d;
	store_dbt_in(&k, nw->id, strlen(nw->id));
	store_dbt_in(&d, buf, len);
	int ret = st->db[t]->put(st->db[t], txn, &k, &d,
				 mode == W_INSERT ? DB_NOOVERWRITE : 0);
	free(buf);
	if (ret == 0)
		ret = index_write(st, txn, t, old, nw);
	if (ret == DB_KEYEXIST)
		return xb_fail(err, XB_EEXIST, _("%s already exists."), nw->id);
	return store_dberr(st, err, ret, what_of(nw, what, sizeof(what)));
}

/* The one write path. `rec` is the caller's record, written as it is
 * but for the new metadata, which goes back through `out`. */
static int write_record(struct store *st, struct store_txn *txn,
			const struct store_record *rec, const char *user,
			const char *action, enum write_mode mode,
			struct written *out, struct xb_error *err)
{
	enum table_id t = store_kind_table(rec->kind);
	memset(out, 0, sizeof(*out));
	int ret = check_savable(rec, t, err);
	if (ret != XB_OK)
		return ret;
	struct store_record *old;
	if ((ret = read_replaced(st, txn, t, rec, mode, &old, err)))
		return ret;

	/* The entry of a record new here (created, or imported) holds no
	 * values: they are the record's, and store_history finds them again
	 * by undoing the later changes. The entry would otherwise double
	 * what each new record writes to the log and the disk. */
	struct store_change *changes = NULL;
	size_t nchanges = 0;
	if (old != NULL && store_diff_borrow(old, rec, &changes, &nchanges)) {
		store_record_free(&old);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	if (mode == W_UPDATE && nchanges == 0)
		goto out; /* nothing changed: nothing to write */

	/* What is written: the caller's fields (borrowed, not copied) with
	 * the new metadata. */
	struct store_record nw = *rec;
	if (mode != W_AS_IS)
		stamp_saved(&nw, old, user, mode, out);
	ret = put_record(st, txn->txn, t, old, &nw, mode, err);
	/* the tallies move with every record written, here and only here */
	if (ret == XB_OK)
		ret = store_tally_change(txn, old, &nw, err);
	if (ret == XB_OK && mode == W_AS_IS)
		ret = write_audit(st, txn, &nw, user, xb_now(), action, changes,
				  nchanges, err);
	else if (ret == XB_OK)
		ret = write_audit(st, txn, &nw, nw.changed_by, nw.changed_at, action,
				  changes, nchanges, err);
	if (ret == XB_OK) {
		out->saved = 1;
		out->version = nw.version;
		out->changed_at = nw.changed_at;
	}
out:
	free(changes);
	store_record_free(&old);
	if (ret != XB_OK || !out->saved) {
		free(out->origin);
		out->origin = NULL;
	}
	return ret;
}

struct write_arg {
	const struct store_record *rec;
	const char *user, *action;
	enum write_mode mode;
	struct written out;
};

static int write_fn(struct store *st, struct store_txn *txn, void *arg,
		    struct xb_error *err)
{
	struct write_arg *w = arg;
	free(w->out.origin); /* from a run that did not commit */
	return write_record(st, txn, w->rec, w->user, w->action, w->mode,
			    &w->out, err);
}

/* Runs one write in the caller's transaction or in one of its own, then
 * gives the caller's record its new metadata. */
static int do_write(struct store *st, struct store_txn *txn,
		    struct store_record *rec, const char *user,
		    const char *action, enum write_mode mode,
		    struct xb_error *err)
{
	struct write_arg w = { rec, user, action, mode, { 0 } };
	char *by = strdup(user ? user : "");
	if (by == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret = txn ? write_fn(st, txn, &w, err) : store_run(st, write_fn, &w, err);
	if (ret == XB_OK && w.out.saved && mode != W_AS_IS) {
		rec->version = w.out.version;
		rec->changed_at = w.out.changed_at;
		free(rec->changed_by);
		rec->changed_by = by;
		by = NULL;
		if (rec->origin == NULL) {
			rec->origin = w.out.origin;
			w.out.origin = NULL;
		}
	}
	free(w.out.origin);
	free(by);
	return ret;
}

int store_insert(struct store *st, struct store_txn *txn,
		 struct store_record *rec, const char *user,
		 struct xb_error *err)
{
	return do_write(st, txn, rec, user, "create", W_INSERT, err);
}

int store_insert_as(struct store *st, struct store_txn *txn,
		    struct store_record *rec, const char *user,
		    const char *action, struct xb_error *err)
{
	return do_write(st, txn, rec, user, action ? action : "create",
			W_INSERT, err);
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

int store_audit_note(struct store *st, struct store_txn *txn,
		     enum store_kind kind, const char *id, const char *user,
		     const char *action, struct store_change *changes,
		     size_t nchanges, struct xb_error *err)
{
	struct store_record rec = { 0 };
	rec.kind = kind;
	rec.id = (char *)id;
	return write_audit(st, txn, &rec, user, xb_now(), action, changes, nchanges, err);
}
