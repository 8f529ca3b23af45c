/* book.c - the exchange's bookkeeping (peers, bundles sent and received,
 * conflicts to settle): small tables of text keyed by text, in the same
 * transactions as the records; and walks over the audit trail by number,
 * which tell what changed since a bundle was made. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

static enum table_id book_table(enum store_book book)
{
	switch (book) {
	case STORE_BOOK_PEERS: return T_PEERS;
	case STORE_BOOK_SENT: return T_SENT;
	case STORE_BOOK_RECEIVED: return T_RECEIVED;
	case STORE_BOOK_CONFLICTS: return T_CONFLICTS;
	}
	return T_COUNT;
}

static char *dbt_string(const DBT *d)
{
	char *s = malloc(d->size + 1);
	if (s != NULL) {
		memcpy(s, d->data, d->size);
		s[d->size] = '\0';
	}
	return s;
}

void store_pairs_free(struct store_pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

/* The cursor walks of this file. A walk over a table without the caller's
 * transaction runs in read transactions that never wait: refused, it
 * waits a little and resumes after the last key it passed. */
struct walk {
	struct store *st;
	enum table_id t;
	DB_TXN *txn;          /* the caller's, or NULL */
	const void *from;     /* first key (DB_SET_RANGE), or NULL for all */
	size_t fromlen;
	const void *prefix;   /* stop once keys leave it; NULL: no stop */
	size_t prefixlen;
	int exact;            /* keys equal to the prefix only */
	int backward;         /* the last entry with the prefix only */
	/* Called with each entry: 0 goes on, 1 stops, -1 failed (and
	 * filled its error). */
	int (*fn)(const DBT *k, const DBT *d, void *arg);
	void *arg;
	int stop;             /* what fn returned last */
	size_t seen;          /* entries given to fn */
	/* The data are keys of the primary table t indexes, not kept in
	 * t itself: fn is given the primary's record. */
	int resolve;
};

static int has_prefix(const struct walk *w, const DBT *k)
{
	if (w->prefix == NULL)
		return 1;
	if (w->exact ? k->size != w->prefixlen : k->size < w->prefixlen)
		return 0;
	return !memcmp(k->data, w->prefix, w->prefixlen);
}

int store_audit_listed(struct store *st, DB_TXN *txn, const DBT *entry, DBT *d,
		       int (*fn)(const DBT *d, void *arg), void *arg)
{
	if (entry->size != 8 && entry->size != 16)
		return DB_SECONDARY_BAD;
	const unsigned char *seqs = entry->data;
	uint64_t first = store_seq_of(seqs);
	uint64_t last = entry->size == 16 ? store_seq_of(seqs + 8) : first;
	DB *db = st->db[T_AUDIT];
	for (uint64_t seq = first; seq <= last;) {
		unsigned char key[8];
		DBT k;
		store_seq_key(seq, key);
		store_dbt_in(&k, key, sizeof(key));
		int ret = db->get(db, txn, &k, d, 0);
		if (ret != 0) /* indexed, so there: else the index is damaged */
			return ret == DB_NOTFOUND ? DB_SECONDARY_BAD : ret;
		/* an entry alone, or a run of them (codec.c) */
		uint64_t n;
		size_t off;
		int run = store_audit_run_entries(d->data, d->size, &n, &off);
		if (run < 0 || (run && n > last - seq + 1))
			return DB_SECONDARY_BAD;
		if (!run) {
			if (fn(d, arg) != 0)
				return 0;
			seq++;
			continue;
		}
		for (uint64_t i = 0; i < n; i++, seq++) {
			DBT e;
			const void *p;
			size_t len;
			if (store_audit_run_next(d->data, d->size, &off, &p, &len) != 0)
				return DB_SECONDARY_BAD;
			store_dbt_in(&e, p, len);
			if (fn(&e, arg) != 0)
				return 0;
		}
	}
	return 0;
}

struct walk_entry {
	struct walk *w;
	const DBT *k;
};

static int walk_give(const DBT *d, void *arg)
{
	struct walk_entry *e = arg;
	e->w->stop = e->w->fn(e->k, d, e->w->arg);
	return e->w->stop;
}

/* Gives fn the records an index entry d lists: its data is the key of
 * one, or (the audit trail's index by case) of a run of entries. */
static int resolve_each(struct walk *w, DB *prim, DB_TXN *txn, const DBT *k,
			const DBT *d, DBT *pd)
{
	if (w->t == T_AUDIT_CASE) {
		struct walk_entry e = { w, k };
		return store_audit_listed(w->st, txn, d, pd, walk_give, &e);
	}
	int ret = prim->get(prim, txn, (DBT *)d, pd, 0);
	if (ret == 0)
		w->stop = w->fn(k, pd, w->arg);
	/* An index entry without its record: the index is damaged. */
	return ret == DB_NOTFOUND ? DB_SECONDARY_BAD : ret;
}

/* Puts the cursor of a pass on its first entry (into k and d) and tells
 * in *step how to go on: from the start or, resumed, from at, past the
 * entry there; backward, from the last key with the prefix. Returns the
 * Berkeley DB code. */
static int walk_start(const struct walk *w, DBC *cur, DBT *k, DBT *d,
		      const DBT *at, int resumed, u_int32_t *step)
{
	int ret = 0;
	u_int32_t flag = DB_FIRST;
	if (at->size > 0) {
		k->data = malloc(at->size);
		if (k->data == NULL)
			return ENOMEM;
		memcpy(k->data, at->data, at->size);
		k->size = at->size;
		flag = DB_SET_RANGE;
	}
	if (!w->backward) {
		*step = DB_NEXT;
		ret = cur->get(cur, k, d, flag);
		/* Resuming: the entry at `at` was handled already. */
		if (ret == 0 && resumed && k->size == at->size &&
		    !memcmp(k->data, at->data, at->size))
			ret = cur->get(cur, k, d, DB_NEXT);
		return ret;
	}
	*step = DB_PREV;
	/* The last key with the prefix: the one before the first key past
	 * it ("prefix" followed by 0xff bytes). */
	if (!resumed && w->prefixlen == 0) {
		ret = cur->get(cur, k, d, DB_LAST);
	} else if (!resumed) {
		free(k->data);
		k->size = (u_int32_t)w->prefixlen + 8;
		k->data = malloc(k->size);
		if (k->data == NULL)
			return ENOMEM;
		memcpy(k->data, w->prefix, w->prefixlen);
		memset((char *)k->data + w->prefixlen, 0xff, 8);
	}
	if (resumed || w->prefixlen > 0) {
		ret = cur->get(cur, k, d, DB_SET_RANGE);
		ret = cur->get(cur, k, d, ret == DB_NOTFOUND ? DB_LAST : DB_PREV);
	}
	return ret;
}

/* Keeps the key k in at: where a resumed pass goes on. */
static int walk_mark(DBT *at, const DBT *k)
{
	void *p = realloc(at->data, k->size ? k->size : 1);
	if (p == NULL)
		return ENOMEM;
	memcpy(p, k->data, k->size);
	at->data = p;
	at->size = k->size;
	return 0;
}

/* One pass from key `at` (size 0: the start). Returns 0 at the end or when
 * fn stopped, else the Berkeley DB error. *at follows the last key seen. */
static int walk_pass(struct walk *w, DB_TXN *txn, DBT *at, int resumed)
{
	DBC *cur;
	DB *db = w->st->db[w->t];
	int ret = db->cursor(db, txn, &cur, w->txn ? 0 : DB_READ_COMMITTED);
	if (ret != 0)
		return ret;
	DBT k, d, pd;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	memset(&pd, 0, sizeof(pd));
	k.flags = d.flags = pd.flags = DB_DBT_REALLOC;
	DB *prim = w->st->db[store_tables[w->t].primary];
	u_int32_t step;
	for (ret = walk_start(w, cur, &k, &d, at, resumed, &step); ret == 0;
	     ret = cur->get(cur, &k, &d, step)) {
		if (!has_prefix(w, &k)) {
			ret = DB_NOTFOUND;
			break;
		}
		/* An entry whose record read is refused is not marked
		 * handled: the resumed pass starts at it. */
		if (w->resolve ? (ret = resolve_each(w, prim, txn, &k, &d, &pd)) != 0
			       : (w->stop = w->fn(&k, &d, w->arg)) < 0)
			break;
		if ((ret = walk_mark(at, &k)) != 0)
			break;
		w->seen++;
		if (w->stop)
			break;
		if (w->backward)
			break; /* only the last one is ever wanted */
	}
	free(k.data);
	free(d.data);
	free(pd.data);
	cur->close(cur);
	return ret == DB_NOTFOUND ? 0 : ret;
}

/* A walk in passes: a pass refused a lock is resumed after the last key
 * it passed. */
struct walk_run {
	struct walk *w;
	DBT *at;
	int resumed;
};

static int walk_run_fn(struct store *st, DB_TXN *txn, void *arg)
{
	(void)st;
	struct walk_run *r = arg;
	int ret = walk_pass(r->w, txn, r->at, r->resumed);
	r->resumed = r->w->seen > 0;
	return ret;
}

static int walk_run(struct walk *w, struct xb_error *err, const char *what)
{
	DBT at;
	memset(&at, 0, sizeof(at));
	if (w->from != NULL) {
		at.data = malloc(w->fromlen ? w->fromlen : 1);
		if (at.data == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		memcpy(at.data, w->from, w->fromlen);
		at.size = (u_int32_t)w->fromlen;
	}
	int ret;
	if (w->txn == NULL && (ret = store_heal(w->st, err)) != XB_OK) {
		free(at.data);
		return ret;
	}
	struct walk_run wr = { w, &at, 0 };
	ret = store_read_run(w->st, w->txn, walk_run_fn, &wr);
	free(at.data);
	if (w->stop < 0)
		return XB_EFAIL; /* fn failed and said why */
	return store_dberr(w->st, err, ret, what);
}

struct pairs {
	struct store_pair *p;
	size_t n, cap;
	struct xb_error *err;
};

static int collect_pair(const DBT *k, const DBT *d, void *arg)
{
	struct pairs *ps = arg;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct store_pair *np = realloc(ps->p, cap * sizeof(*np));
		if (np == NULL)
			return xb_fail(ps->err, XB_EFAIL, _("Out of memory.")), -1;
		ps->p = np;
		ps->cap = cap;
	}
	struct store_pair *e = &ps->p[ps->n];
	e->key = dbt_string(k);
	e->value = dbt_string(d);
	if (e->key == NULL || e->value == NULL) {
		free(e->key);
		free(e->value);
		return xb_fail(ps->err, XB_EFAIL, _("Out of memory.")), -1;
	}
	ps->n++;
	return 0;
}

static int book_walk(struct store *st, struct store_txn *txn,
		     enum store_book book, const char *prefix, int backward,
		     struct store_pair **out, size_t *n, struct xb_error *err)
{
	*out = NULL;
	*n = 0;
	enum table_id t = book_table(book);
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	struct pairs ps = { NULL, 0, 0, err };
	size_t plen = prefix ? strlen(prefix) : 0;
	struct walk w = { st, t, txn ? txn->txn : NULL, plen ? prefix : NULL, plen,
			  plen ? prefix : NULL, plen, 0, backward, collect_pair,
			  &ps, 0, 0, 0 };
	int ret = walk_run(&w, err, _("Reading the exchange records"));
	if (ret != XB_OK) {
		store_pairs_free(ps.p, ps.n);
		return ret;
	}
	*out = ps.p;
	*n = ps.n;
	return XB_OK;
}

int store_book_list(struct store *st, struct store_txn *txn,
		    enum store_book book, const char *prefix,
		    struct store_pair **out, size_t *n, struct xb_error *err)
{
	return book_walk(st, txn, book, prefix, 0, out, n, err);
}

int store_book_last(struct store *st, struct store_txn *txn,
		    enum store_book book, const char *prefix, char **key,
		    char **value, struct xb_error *err)
{
	struct store_pair *p;
	size_t n;
	*key = NULL;
	if (value)
		*value = NULL;
	int ret = book_walk(st, txn, book, prefix ? prefix : "", 1, &p, &n, err);
	if (ret != XB_OK)
		return ret;
	if (n == 0)
		return XB_ENOTFOUND; /* no message: "none yet" is no failure */
	*key = p[0].key;
	p[0].key = NULL;
	if (value) {
		*value = p[0].value;
		p[0].value = NULL;
	}
	store_pairs_free(p, n);
	return XB_OK;
}

int store_book_get(struct store *st, struct store_txn *txn,
		   enum store_book book, const char *key, char **value,
		   struct xb_error *err)
{
	*value = NULL;
	enum table_id t = book_table(book);
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	void *data;
	size_t len;
	int ret = store_raw_get(st, txn ? txn->txn : NULL, t, key, &data, &len);
	if (ret == DB_NOTFOUND)
		return XB_ENOTFOUND;
	if (ret != 0)
		return store_dberr(st, err, ret, _("Reading the exchange records"));
	return store_raw_string(data, len, value, err);
}

int store_book_put(struct store *st, struct store_txn *txn,
		   enum store_book book, const char *key, const char *value,
		   struct xb_error *err)
{
	enum table_id t = book_table(book);
	if (t == T_COUNT || txn == NULL)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	DBT k, d;
	store_dbt_in(&k, key, strlen(key));
	store_dbt_in(&d, value, strlen(value));
	int ret = st->db[t]->put(st->db[t], txn->txn, &k, &d, 0);
	return store_dberr(st, err, ret, _("Saving the exchange records"));
}

int store_book_del(struct store *st, struct store_txn *txn,
		   enum store_book book, const char *key, struct xb_error *err)
{
	enum table_id t = book_table(book);
	if (t == T_COUNT || txn == NULL)
		return xb_fail(err, XB_EINVAL, _("There is no such index."));
	DBT k;
	store_dbt_in(&k, key, strlen(key));
	int ret = st->db[t]->del(st->db[t], txn->txn, &k, 0);
	if (ret == DB_NOTFOUND)
		return XB_ENOTFOUND;
	return store_dberr(st, err, ret, _("Saving the exchange records"));
}

/* --- the audit trail by number --- */

struct audit_walk {
	store_audit_fn fn;
	void *arg;
	struct xb_error *err;
	/* store_changed_since */
	const char *id;
	size_t idlen;
	uint64_t after;
	const char *skip;
	int changed;
};

/* Gives the walk's fn one entry of the trail, if numbered after the mark. */
static int audit_give(struct audit_walk *aw, const void *p, size_t len)
{
	struct store_audit *a;
	if (store_audit_decode(p, len, &a, aw->err) != XB_OK)
		return -1;
	int stop = a->seq > aw->after ? aw->fn(a, aw->arg) : 0;
	store_audit_free(&a);
	return stop ? 1 : 0;
}

static int audit_entry(const DBT *k, const DBT *d, void *arg)
{
	(void)k;
	struct audit_walk *aw = arg;
	uint64_t n;
	size_t off;
	int run = store_audit_run_entries(d->data, d->size, &n, &off);
	if (run == 0)
		return audit_give(aw, d->data, d->size);
	int stop = run < 0 ? -1 : 0;
	for (uint64_t i = 0; i < n && stop == 0; i++) {
		const void *p;
		size_t len;
		if (store_audit_run_next(d->data, d->size, &off, &p, &len) != 0)
			stop = -1;
		else
			stop = audit_give(aw, p, len);
	}
	if (stop < 0 && aw->err != NULL && aw->err->msg[0] == '\0')
		xb_fail(aw->err, XB_EFAIL, _("The history is damaged (a run of entries)."));
	return stop;
}

int store_audit_since(struct store *st, uint64_t after, store_audit_fn fn,
		      void *arg, struct xb_error *err)
{
	/* A run record is keyed by its first entry, up to STORE_RUN_MAX - 1
	 * before the first one wanted: start there, and skip what is older. */
	unsigned char from[8];
	store_seq_key(after + 1 > STORE_RUN_MAX ? after + 2 - STORE_RUN_MAX : 0, from);
	struct audit_walk aw = { fn, arg, err, NULL, 0, after, NULL, 0 };
	struct walk w = { st, T_AUDIT, NULL, from, sizeof(from), NULL, 0, 0, 0,
			  audit_entry, &aw, 0, 0, 0 };
	return walk_run(&w, err, _("Reading the history"));
}

/* An entry of the case's history: is it a change to the record, numbered
 * after the mark, by an action other than the one skipped? */
static int audit_change(const DBT *k, const DBT *d, void *arg)
{
	(void)k;
	struct audit_walk *aw = arg;
	struct store_audit *a;
	if (store_audit_decode(d->data, d->size, &a, aw->err) != XB_OK)
		return -1;
	if (a->seq > aw->after && a->record_id != NULL &&
	    strcmp(a->record_id, aw->id) == 0 &&
	    (aw->skip == NULL || a->action == NULL || strcmp(a->action, aw->skip) != 0))
		aw->changed = 1;
	store_audit_free(&a);
	return aw->changed;
}

int store_changed_since(struct store *st, struct store_txn *txn,
			const char *id, uint64_t after, const char *skip_action,
			int *changed, struct xb_error *err)
{
	*changed = 0;
	/* This transaction's own entries are in the index too. */
	if (txn != NULL) {
		int ret = store_audit_runs_write(txn, err);
		if (ret != XB_OK)
			return ret;
	}
	const char *slash = strchr(id, '/');
	size_t caselen = slash ? (size_t)(slash - id) : strlen(id);
	struct audit_walk aw = { NULL, NULL, err, id, strlen(id), after,
				 skip_action, 0 };
	/* The case's entries, under its number in the index by case. */
	struct walk w = { st, T_AUDIT_CASE, txn ? txn->txn : NULL, id, caselen,
			  id, caselen, 1, 0, audit_change, &aw, 0, 0, 1 };
	int ret = walk_run(&w, err, _("Reading the history"));
	*changed = aw.changed;
	return ret;
}

/* --- the ids of a table --- */

struct ids_walk {
	store_id_fn fn;
	void *arg;
	struct xb_error *err;
	char *id, *origin;
	size_t idcap, origincap;
};

/* Copies len bytes and a NUL into a growing buffer. */
static int hold(char **buf, size_t *cap, const void *data, size_t len)
{
	if (len + 1 > *cap) {
		char *p = realloc(*buf, len + 1);
		if (p == NULL)
			return -1;
		*buf = p;
		*cap = len + 1;
	}
	memcpy(*buf, data, len);
	(*buf)[len] = '\0';
	return 0;
}

static int id_entry(const DBT *k, const DBT *d, void *arg)
{
	struct ids_walk *iw = arg;
	const char *origin;
	size_t olen;
	if (store_codec_origin(d->data, d->size, &origin, &olen) != 1)
		return xb_fail(iw->err, XB_EFAIL, _("A record of the ledger is damaged.")), -1;
	if (hold(&iw->id, &iw->idcap, k->data, k->size) ||
	    hold(&iw->origin, &iw->origincap, origin, olen))
		return xb_fail(iw->err, XB_EFAIL, _("Out of memory.")), -1;
	int r = iw->fn(iw->id, iw->origin, iw->arg);
	return r < 0 ? (xb_fail(iw->err, XB_EFAIL, _("Out of memory.")), -1) : r;
}

int store_ids(struct store *st, enum store_kind kind, store_id_fn fn, void *arg,
	      struct xb_error *err)
{
	enum table_id t = store_kind_table(kind);
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("No such kind of record."));
	struct ids_walk iw = { fn, arg, err, NULL, NULL, 0, 0 };
	struct walk w = { st, t, NULL, NULL, 0, NULL, 0, 0, 0, id_entry, &iw, 0, 0, 0 };
	int ret = walk_run(&w, err, _("Reading the ledger"));
	free(iw.id);
	free(iw.origin);
	return ret;
}

static int count_entry(const DBT *k, const DBT *d, void *arg)
{
	(void)k;
	(void)d;
	(*(uint64_t *)arg)++;
	return 0;
}

int store_count_prefix(struct store *st, enum store_kind kind, const char *prefix,
		       uint64_t *out, struct xb_error *err)
{
	*out = 0;
	enum table_id t = store_kind_table(kind);
	if (t == T_COUNT)
		return xb_fail(err, XB_EINVAL, _("No such kind of record."));
	size_t n = strlen(prefix);
	struct walk w = { st, t, NULL, prefix, n, prefix, n, 0, 0, count_entry, out,
			  0, 0, 0 };
	return walk_run(&w, err, _("Reading the ledger"));
}
