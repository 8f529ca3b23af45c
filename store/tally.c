/* tally.c - the tallies: how many records hold each combination of the
 * values of the fields store_tally_specs (tables.c) declares, so that the
 * office's figures need no pass over 100,000 children.
 *
 * tallies.db maps a tally key to a count (8 bytes, big-endian, signed).
 * A key is the tally's number + 1 (one byte), then for each field 0x00
 * when it is not set, else 0x01, its value (cut as declared) and 0x00:
 * values hold no NUL, so a key reads back one way only. The key of one
 * byte 0x00 marks the tallies built, its value their version.
 *
 * Every record written changes them in its own transaction: write.c calls
 * store_tally_change with the record it replaces and the new one, which
 * moves one count in the transaction's map; the commit adds the map to
 * tallies.db (store_tallies_flush), so an import of 99,999 rows writes
 * each combination once. Writes do this whether or not the tallies were
 * ever built: building counts everything again and replaces whatever was
 * there, and the transactions' locks order a build and a write either
 * way, so neither loses the other's count. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* Changes when the declared tallies change: tallies of another version
 * are built again. */
#define TALLY_VERSION "1"

enum { KEY_MAX = 1 + STORE_TALLY_FIELDS_MAX * (STORE_TALLY_VALUE_MAX + 2) };

static const unsigned char built_key[1] = { 0 };

/* The key of tally t for rec into buf (KEY_MAX bytes); its length. */
static size_t tally_key(enum store_tally t, const struct store_record *rec,
			unsigned char *buf)
{
	const struct tally_spec *s = &store_tally_specs[t];
	size_t n = 0;
	buf[n++] = (unsigned char)(t + 1);
	for (int i = 0; i < s->nfields; i++) {
		const char *v = store_record_get(rec, s->fields[i]);
		if (v == NULL || *v == '\0') {
			buf[n++] = 0;
			continue;
		}
		size_t len = s->cut[i] == STORE_TALLY_SET ? 0 : strlen(v);
		if (s->cut[i] > 0 && len > (size_t)s->cut[i])
			len = (size_t)s->cut[i];
		if (len > STORE_TALLY_VALUE_MAX)
			len = STORE_TALLY_VALUE_MAX;
		buf[n++] = 1;
		memcpy(buf + n, v, len);
		n += len;
		buf[n++] = 0;
	}
	return n;
}

static size_t bytes_hash(const unsigned char *p, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The slot of key in m: its own, or the free one to take (m->cap > 0). */
static struct tally_delta *map_slot(struct tally_map *m, const unsigned char *key,
				    size_t len)
{
	size_t i = bytes_hash(key, len) & (m->cap - 1);
	while (m->slots[i].key != NULL &&
	       (m->slots[i].len != len || memcmp(m->slots[i].key, key, len) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

/* Keeps m at most half full. */
static int map_grow(struct tally_map *m)
{
	if (2 * (m->used + 1) <= m->cap)
		return 0;
	struct tally_map bigger = { NULL, m->used, m->cap ? 2 * m->cap : 64 };
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			*map_slot(&bigger, m->slots[i].key, m->slots[i].len) = m->slots[i];
	free(m->slots);
	*m = bigger;
	return 0;
}

/* Adds d to key's count in m; -1 when out of memory. */
static int map_add(struct tally_map *m, const unsigned char *key, size_t len,
		   int64_t d)
{
	if (m->cap > 0) {
		struct tally_delta *e = map_slot(m, key, len);
		if (e->key != NULL) {
			e->n += d;
			return 0;
		}
	}
	if (map_grow(m) != 0)
		return -1;
	struct tally_delta *e = map_slot(m, key, len);
	if ((e->key = malloc(len)) == NULL)
		return -1;
	memcpy(e->key, key, len);
	e->len = len;
	e->n = d;
	e->seen = 0;
	m->used++;
	return 0;
}

static void map_free(struct tally_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* Adds d to the count of every tally of rec's kind, in m. */
static int map_record(struct tally_map *m, const struct store_record *rec,
		      int64_t d)
{
	unsigned char key[KEY_MAX];
	for (int t = 0; t < STORE_TALLY_COUNT; t++)
		if (store_tally_specs[t].kind == rec->kind &&
		    map_add(m, key, tally_key((enum store_tally)t, rec, key), d) != 0)
			return -1;
	return 0;
}

int store_tally_change(struct store_txn *t, const struct store_record *old,
		       const struct store_record *nw, struct xb_error *err)
{
	unsigned char was[KEY_MAX], now[KEY_MAX];
	for (int i = 0; i < STORE_TALLY_COUNT; i++) {
		if (store_tally_specs[i].kind != nw->kind)
			continue;
		size_t n = tally_key((enum store_tally)i, nw, now);
		size_t w = old ? tally_key((enum store_tally)i, old, was) : 0;
		if (w == n && memcmp(was, now, n) == 0)
			continue; /* the record stays in its combination */
		if ((w && map_add(&t->tallies, was, w, -1) != 0) ||
		    map_add(&t->tallies, now, n, 1) != 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	return XB_OK;
}

static void count_put(int64_t v, unsigned char out[8])
{
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(u >> (56 - 8 * i));
}

static int64_t count_get(const unsigned char *p, size_t len)
{
	uint64_t u = 0;
	if (len != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
}

/* Reads key's stored count under txn, locked for writing; 0 when none. */
static int stored_count(DB *db, DB_TXN *txn, const unsigned char *key,
			size_t len, int64_t *out)
{
	unsigned char buf[8];
	DBT k, d;
	store_dbt_in(&k, key, len);
	memset(&d, 0, sizeof(d));
	d.data = buf;
	d.ulen = sizeof(buf);
	d.flags = DB_DBT_USERMEM;
	*out = 0;
	int ret = db->get(db, txn, &k, &d, DB_RMW);
	if (ret == DB_NOTFOUND)
		return 0;
	if (ret == 0)
		*out = count_get(buf, d.size);
	return ret;
}

int store_tallies_flush(struct store_txn *t, struct xb_error *err)
{
	DB *db = t->st->db[T_TALLY];
	int ret = 0;
	for (size_t i = 0; i < t->tallies.cap && ret == 0; i++) {
		const struct tally_delta *e = &t->tallies.slots[i];
		int64_t v;
		if (e->key == NULL || e->n == 0)
			continue;
		if ((ret = stored_count(db, t->txn, e->key, e->len, &v)) != 0)
			break;
		DBT k, d;
		unsigned char buf[8];
		store_dbt_in(&k, e->key, e->len);
		count_put(v + e->n, buf);
		store_dbt_in(&d, buf, sizeof(buf));
		/* a combination no record holds any more goes */
		ret = v + e->n == 0 ? db->del(db, t->txn, &k, 0)
				    : db->put(db, t->txn, &k, &d, 0);
		if (ret == DB_NOTFOUND)
			ret = 0;
	}
	map_free(&t->tallies);
	return ret ? store_dberr(t->st, err, ret, _("Saving the counts")) : XB_OK;
}

void store_tallies_free(struct store_txn *t)
{
	map_free(&t->tallies);
}

/* Whether any tally counts records of kind. */
static int kind_tallied(enum store_kind kind, int *needs_fields)
{
	int any = 0;
	*needs_fields = 0;
	for (int t = 0; t < STORE_TALLY_COUNT; t++)
		if (store_tally_specs[t].kind == kind) {
			any = 1;
			*needs_fields |= store_tally_specs[t].nfields > 0;
		}
	return any;
}

/* Counts every record of kind into m under txn (read locks kept to the
 * end, so no write slips between this count and what is done with it).
 * Records are decoded only when a field is wanted. */
static int recount_kind(struct store *st, DB_TXN *txn, enum store_kind kind,
			struct tally_map *m, struct xb_error *err)
{
	int fields;
	enum table_id tb = store_kind_table(kind);
	if (!kind_tallied(kind, &fields))
		return XB_OK;
	DBC *cur;
	DBT k, d;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	k.flags = DB_DBT_REALLOC;
	d.flags = fields ? DB_DBT_REALLOC
			 : DB_DBT_USERMEM | DB_DBT_PARTIAL; /* the keys only */
	struct store_record bare = { .kind = kind };
	int ret = st->db[tb]->cursor(st->db[tb], txn, &cur, 0);
	if (ret != 0)
		return store_dberr(st, err, ret, _("Counting"));
	int mem = 0;
	while (!mem && (ret = cur->get(cur, &k, &d, DB_NEXT)) == 0) {
		if (!fields) {
			mem = map_record(m, &bare, 1);
			continue;
		}
		struct store_record *rec;
		if ((ret = store_record_decode(d.data, d.size, &rec, err)) != XB_OK) {
			cur->close(cur);
			free(k.data);
			free(d.data);
			return ret;
		}
		mem = map_record(m, rec, 1);
		store_record_free(&rec);
	}
	cur->close(cur);
	free(k.data);
	if (fields)
		free(d.data);
	if (mem)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, err, ret, _("Counting"));
	return XB_OK;
}

static int recount(struct store *st, DB_TXN *txn, struct tally_map *m,
		   struct xb_error *err)
{
	for (int kind = 1; kind <= STORE_KIND_MAX; kind++) {
		int ret = recount_kind(st, txn, (enum store_kind)kind, m, err);
		if (ret != XB_OK)
			return ret;
	}
	return XB_OK;
}

int store_tallies_build(struct store *st, struct store_txn *txn,
			struct xb_error *err)
{
	if (txn == NULL)
		return xb_fail(err, XB_EINVAL, _("Counting needs a transaction."));
	DB *db = st->db[T_TALLY];
	DBC *cur;
	DBT k, d;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	k.flags = DB_DBT_REALLOC;
	d.flags = DB_DBT_USERMEM | DB_DBT_PARTIAL;
	/* Whatever was there goes, and what this transaction changed so
	 * far: the count below sees its records too. */
	int ret = db->cursor(db, txn->txn, &cur, 0);
	if (ret != 0)
		return store_dberr(st, err, ret, _("Counting"));
	while ((ret = cur->get(cur, &k, &d, DB_NEXT | DB_RMW)) == 0)
		if ((ret = cur->del(cur, 0)) != 0)
			break;
	cur->close(cur);
	free(k.data);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_dberr(st, err, ret, _("Counting"));
	map_free(&txn->tallies);
	if ((ret = recount(st, txn->txn, &txn->tallies, err)) != XB_OK)
		return ret;
	store_dbt_in(&k, built_key, sizeof(built_key));
	store_dbt_in(&d, TALLY_VERSION, strlen(TALLY_VERSION));
	return store_dberr(st, err, db->put(db, txn->txn, &k, &d, 0),
			   _("Saving the counts"));
}

/* One entry of tallies.db as read. */
struct tally_entry {
	unsigned char *key;
	size_t len;
	int64_t n;
};

struct tally_read {
	/* what to read: keys from lo (lolen bytes) while they start with it;
	 * lolen 0: every key */
	unsigned char lo[KEY_MAX];
	size_t lolen;
	int built;
	struct tally_entry *e;
	size_t n, cap;
};

static void read_clear(struct tally_read *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].key);
	free(r->e);
	r->e = NULL;
	r->n = r->cap = 0;
	r->built = 0;
}

/* Whether the tallies were built, into r->built. */
static int read_built(DB *db, DB_TXN *txn, struct tally_read *r)
{
	char v[16];
	DBT k, d;
	store_dbt_in(&k, built_key, sizeof(built_key));
	memset(&d, 0, sizeof(d));
	d.data = v;
	d.ulen = sizeof(v);
	d.flags = DB_DBT_USERMEM;
	int ret = db->get(db, txn, &k, &d, DB_READ_COMMITTED);
	if (ret == DB_NOTFOUND || ret == DB_BUFFER_SMALL)
		return 0;
	r->built = ret == 0 && d.size == strlen(TALLY_VERSION) &&
		   memcmp(v, TALLY_VERSION, d.size) == 0;
	return ret;
}

/* Keeps one entry read. */
static int read_keep(struct tally_read *r, const DBT *k, const DBT *d)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct tally_entry *p = realloc(r->e, cap * sizeof(*p));
		if (p == NULL)
			return ENOMEM;
		r->e = p;
		r->cap = cap;
	}
	struct tally_entry *e = &r->e[r->n];
	if ((e->key = malloc(k->size)) == NULL)
		return ENOMEM;
	memcpy(e->key, k->data, k->size);
	e->len = k->size;
	e->n = count_get(d->data, d->size);
	r->n++;
	return 0;
}

/* Reads the entries r asks for, from the start each run. */
static int read_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct tally_read *r = arg;
	DB *db = st->db[T_TALLY];
	DBC *cur;
	DBT k, d;
	read_clear(r);
	int ret = read_built(db, txn, r);
	if (ret != 0 || !r->built)
		return ret;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	k.flags = d.flags = DB_DBT_REALLOC;
	if ((ret = db->cursor(db, txn, &cur, DB_READ_COMMITTED)) != 0)
		return ret;
	u_int32_t how = DB_FIRST;
	if (r->lolen > 0) {
		if ((k.data = malloc(r->lolen)) == NULL) {
			cur->close(cur);
			return ENOMEM;
		}
		memcpy(k.data, r->lo, r->lolen);
		k.size = (u_int32_t)r->lolen;
		how = DB_SET_RANGE;
	}
	for (; (ret = cur->get(cur, &k, &d, how)) == 0; how = DB_NEXT) {
		if (r->lolen > 0 && (k.size < r->lolen || memcmp(k.data, r->lo, r->lolen) != 0))
			break;
		if (k.size == 1 && ((unsigned char *)k.data)[0] == 0)
			continue; /* the mark */
		if ((ret = read_keep(r, &k, &d)) != 0)
			break;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	return ret == DB_NOTFOUND ? 0 : ret;
}

/* Splits a tally key into its tally and values (pointing into key, whose
 * 0x00 ends each); 0 when it is not a key of a declared tally. */
static int key_split(unsigned char *key, size_t len, enum store_tally *t,
		     const char *values[STORE_TALLY_FIELDS_MAX])
{
	if (len == 0 || key[0] == 0 || key[0] > STORE_TALLY_COUNT)
		return 0;
	*t = (enum store_tally)(key[0] - 1);
	size_t p = 1;
	for (int i = 0; i < store_tally_specs[*t].nfields; i++) {
		if (p >= len)
			return 0;
		if (key[p++] == 0) {
			values[i] = NULL;
			continue;
		}
		values[i] = (const char *)key + p;
		while (p < len && key[p] != 0)
			p++;
		if (p++ >= len)
			return 0;
	}
	return p == len;
}

static int build_fn(struct store *st, struct store_txn *txn, void *arg,
		    struct xb_error *err)
{
	(void)arg;
	return store_tallies_build(st, txn, err);
}

int store_tallies(struct store *st, enum store_tally tally, const char *first,
		  store_tally_fn fn, void *arg, struct xb_error *err)
{
	struct tally_read *r = calloc(1, sizeof(*r));
	if (r == NULL || (int)tally < 0 || tally >= STORE_TALLY_COUNT) {
		free(r);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	r->lo[r->lolen++] = (unsigned char)(tally + 1);
	if (first != NULL && store_tally_specs[tally].nfields > 0) {
		size_t len = strlen(first);
		int cut = store_tally_specs[tally].cut[0];
		if (cut > 0 && len > (size_t)cut)
			len = (size_t)cut;
		if (len > STORE_TALLY_VALUE_MAX)
			len = STORE_TALLY_VALUE_MAX;
		r->lo[r->lolen++] = len ? 1 : 0;
		memcpy(r->lo + r->lolen, first, len);
		r->lolen += len;
		if (len)
			r->lo[r->lolen++] = 0;
	}
	int ret = store_read_run(st, NULL, read_fn, r);
	if (ret == 0 && !r->built) {
		if ((ret = store_run(st, build_fn, NULL, err)) != XB_OK) {
			read_clear(r);
			free(r);
			return ret;
		}
		ret = store_read_run(st, NULL, read_fn, r);
	}
	if (ret != 0) {
		read_clear(r);
		free(r);
		return store_dberr(st, err, ret, _("Reading the counts"));
	}
	for (size_t i = 0; i < r->n; i++) {
		enum store_tally t;
		const char *values[STORE_TALLY_FIELDS_MAX] = { NULL };
		if (r->e[i].n > 0 && key_split(r->e[i].key, r->e[i].len, &t, values) &&
		    fn(t, values, (uint64_t)r->e[i].n, arg) != 0)
			break;
	}
	read_clear(r);
	free(r);
	return XB_OK;
}

struct check_arg {
	uint64_t *wrong;
};

/* Compares the stored tallies with a count of the records, inside one
 * transaction (so no write falls between the two). */
static int check_fn(struct store *st, struct store_txn *txn, void *arg,
		    struct xb_error *err)
{
	struct check_arg *c = arg;
	struct tally_read r = { .lolen = 0 };
	struct tally_map m = { 0 };
	*c->wrong = 0;
	/* The records first: their read locks keep any write out until the
	 * tallies are read too. */
	int ret = recount(st, txn->txn, &m, err);
	if (ret == XB_OK && (ret = read_fn(st, txn->txn, &r)) != 0)
		ret = store_dberr(st, err, ret, _("Reading the counts"));
	if (ret == XB_OK && !r.built) {
		map_free(&m);
		read_clear(&r);
		return store_tallies_build(st, txn, err);
	}
	if (ret == XB_OK) {
		for (size_t i = 0; i < r.n; i++) {
			struct tally_delta *e = m.cap ? map_slot(&m, r.e[i].key, r.e[i].len)
						      : NULL;
			int64_t want = e && e->key ? e->n : 0;
			if (e && e->key)
				e->seen = 1;
			*c->wrong += want != r.e[i].n;
		}
		for (size_t i = 0; i < m.cap; i++)
			*c->wrong += m.slots[i].key && !m.slots[i].seen && m.slots[i].n != 0;
	}
	map_free(&m);
	read_clear(&r);
	return ret;
}

int store_tallies_check(struct store *st, uint64_t *wrong, struct xb_error *err)
{
	struct check_arg c = { wrong };
	*wrong = 0;
	return store_run(st, check_fn, &c, err);
}
