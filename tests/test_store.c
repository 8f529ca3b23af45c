/* test_store.c - every store operation over a real Berkeley DB environment
 * in a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include "testutil.h"
#include "clockwarp.h"
#include "store/store.h"
#include "store/private.h"

/* How much faster the store's clock runs in the tests that wait for its
 * bounds (clockwarp.h); the write bound is store/env.c's
 * WRITE_PATIENCE_MS. */
#define WARP 10
#define STORE_PATIENCE_MS 30000

static int setup(void **state)
{
	tu_pin_clock("2026-11-29T10:00:00");
	*state = tu_ledger_new(NULL, NULL, NULL);
	return *state != NULL ? 0 : -1;
}

static struct store_record *child(const char *id, const char *name,
				  const char *idnum)
{
	struct store_record *r = store_record_new(STORE_CHILD);
	store_record_set_id(r, id);
	store_record_set(r, "name", name);
	store_record_set(r, "id_number", idnum);
	store_record_set(r, "village_code", "220221100001");
	store_record_set(r, "status", "active");
	return r;
}

static uint64_t count_exact(struct store *st, enum store_index idx,
			    const char *key)
{
	uint64_t n;
	assert_int_equal(store_index_count(st, STORE_CHILD, idx, key, &n, NULL), XB_OK);
	return n;
}

static int count_history(const struct store_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static void test_data_dir_created_private(void **state)
{
	struct tu_ledger *f = *state;
	char sub[4096];
	struct stat sb;
	struct store *st;
	snprintf(sub, sizeof(sub), "%s/a/b/xiangban", f->dir);
	assert_int_equal(store_open(sub, &st, NULL), XB_OK);
	assert_int_equal(stat(sub, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	store_close(&st);
	assert_null(st);
}

/* An encrypted ledger: made only in an empty folder, opened only with its
 * passphrase (a wrong or missing one opens nothing), its records read back,
 * its files verified with the derived key. */
static void test_encrypted(void **state)
{
	struct tu_ledger *f = *state;
	char enc[4096], file[4200];
	struct store *st = NULL;
	struct store_record *r, *got = NULL;
	struct xb_error err;
	struct stat sb;

	/* The fixture's plain ledger is not switched. */
	assert_int_equal(store_create_encrypted(f->dir, "pw", &st, &err), XB_EEXIST);
	assert_null(st);
	snprintf(file, sizeof(file), "%s/%s", f->dir, STORE_KDF_FILE);
	assert_int_not_equal(stat(file, &sb), 0);
	assert_false(store_encrypted(f->dir));

	snprintf(enc, sizeof(enc), "%s/enc", f->dir);
	assert_int_equal(store_create_encrypted(enc, "", &st, &err), XB_EINVAL);
	assert_int_equal(store_create_encrypted(enc, "correct horse", &st, &err), XB_OK);
	assert_true(store_encrypted(enc));
	r = child("220221100-00001-2", "张三丰", "220221201503120018");
	assert_int_equal(store_insert(st, NULL, r, "clerk", &err), XB_OK);
	store_record_free(&r);
	assert_int_equal(store_verify(st, NULL, NULL, &err), XB_OK);
	store_close(&st);

	assert_int_equal(store_open(enc, &st, &err), XB_EINVAL);
	assert_null(st);
	assert_non_null(strstr(err.msg, "passphrase"));
	assert_int_equal(store_open_pass(enc, "wrong horse", &st, &err), XB_EINVAL);
	assert_null(st);
	assert_non_null(strstr(err.msg, "wrong"));
	assert_int_equal(store_create_encrypted(enc, "x", &st, &err), XB_EEXIST);

	assert_int_equal(store_open_pass(enc, "correct horse", &st, &err), XB_OK);
	assert_int_equal(store_get(st, NULL, STORE_CHILD, "220221100-00001-2", &got, &err),
			 XB_OK);
	assert_string_equal(store_record_get(got, "name"), "张三丰");
	store_record_free(&got);
	store_close(&st);
}

static void test_default_home(void **state)
{
	(void)state;
	char buf[256];
	setenv("XIANGBAN_HOME", "/x/home", 1);
	assert_int_equal(store_default_home(buf, sizeof(buf), NULL), XB_OK);
	assert_string_equal(buf, "/x/home");
	unsetenv("XIANGBAN_HOME");
	setenv("XDG_DATA_HOME", "/x/data", 1);
	assert_int_equal(store_default_home(buf, sizeof(buf), NULL), XB_OK);
	assert_string_equal(buf, "/x/data/xiangban");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/x/h", 1);
	assert_int_equal(store_default_home(buf, sizeof(buf), NULL), XB_OK);
	assert_string_equal(buf, "/x/h/.local/share/xiangban");
}

static void test_insert_get_and_metadata(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C1", "张三", "220221201503120018"), *got;
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	assert_int_equal(r->version, 1);
	assert_string_equal(r->changed_by, "clerk");
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &got, NULL), XB_OK);
	assert_string_equal(store_record_get(got, "name"), "张三");
	assert_int_equal(got->version, 1);
	assert_string_equal(got->changed_by, "clerk");
	assert_true(got->changed_at == r->changed_at);
	store_record_free(&got);

	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", &err), XB_EEXIST);
	/* a field without a name would end the record's fields early */
	struct store_record *unnamed = child("220221100-00099-X", "无名", NULL);
	store_record_set(unnamed, "", "x");
	assert_int_equal(store_insert(f->st, NULL, unnamed, "clerk", &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "without a name"));
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "220221100-00099-X", &got,
				   NULL), XB_ENOTFOUND);
	store_record_free(&unnamed);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "nope", &got, &err),
			 XB_ENOTFOUND);
	store_record_free(&r);
}

static void test_optimistic_lock_refuses_stale_edit(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C1", "张三", NULL), *a, *b;
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	/* Two clerks open the same file. */
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &a, NULL), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &b, NULL), XB_OK);
	store_record_set(a, "name", "张三丰");
	assert_int_equal(store_update(f->st, NULL, a, "clerk-a", NULL, NULL), XB_OK);
	assert_int_equal(a->version, 2);
	store_record_set(b, "name", "张叁");
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(store_update(f->st, NULL, b, "clerk-b", NULL, &err), XB_ECONFLICT);
	assert_non_null(strstr(err.msg, "clerk-a"));
	/* The first edit stands; nothing of the second was written. */
	struct store_record *now;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &now, NULL), XB_OK);
	assert_string_equal(store_record_get(now, "name"), "张三丰");
	assert_int_equal(now->version, 2);
	int n = 0;
	assert_int_equal(store_history(f->st, "C1", count_history, &n, NULL), XB_OK);
	assert_int_equal(n, 2);
	/* Saving without a change writes nothing. */
	assert_int_equal(store_update(f->st, NULL, now, "clerk-a", NULL, NULL), XB_OK);
	assert_int_equal(now->version, 2);
	n = 0;
	store_history(f->st, "C1", count_history, &n, NULL);
	assert_int_equal(n, 2);
	store_record_free(&now);
	store_record_free(&a);
	store_record_free(&b);
	store_record_free(&r);
}

struct audit_seen {
	int n;
	char action[3][16];
	char user[3][16];
	size_t nchanges[3];
	char before[3][64], after[3][64];
};

static int collect(const struct store_audit *a, void *arg)
{
	struct audit_seen *s = arg;
	if (s->n < 3) {
		snprintf(s->action[s->n], 16, "%s", a->action);
		snprintf(s->user[s->n], 16, "%s", a->user);
		s->nchanges[s->n] = a->nchanges;
		for (size_t i = 0; i < a->nchanges; i++)
			if (strcmp(a->changes[i].key, "name") == 0) {
				snprintf(s->before[s->n], 64, "%s",
					 a->changes[i].before ? a->changes[i].before : "(none)");
				snprintf(s->after[s->n], 64, "%s",
					 a->changes[i].after ? a->changes[i].after : "(none)");
			}
	}
	s->n++;
	return 0;
}

static void test_audit_entries_field_level(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C1", "张三", NULL);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_set(r, "name", "张三丰");
	assert_int_equal(store_update(f->st, NULL, r, "chief", "update", NULL), XB_OK);
	/* A visit under the case shows in the case's history. */
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set_id(v, "C1/V0001");
	store_record_set(v, "date", "2026-11-20");
	assert_int_equal(store_insert(f->st, NULL, v, "member", NULL), XB_OK);

	struct audit_seen s;
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_history(f->st, "C1", collect, &s, NULL), XB_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.action[0], "create");
	assert_string_equal(s.user[0], "clerk");
	assert_int_equal(s.nchanges[0], 3); /* every field of the new record */
	assert_string_equal(s.before[0], "(none)");
	assert_string_equal(s.action[1], "update");
	assert_string_equal(s.user[1], "chief");
	assert_int_equal(s.nchanges[1], 1);
	assert_string_equal(s.before[1], "张三");
	assert_string_equal(s.after[1], "张三丰");
	assert_string_equal(s.user[2], "member");
	/* The visit's own history holds only the visit. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_history(f->st, "C1/V0001", collect, &s, NULL), XB_OK);
	assert_int_equal(s.n, 1);
	store_record_free(&v);
	store_record_free(&r);
}

/* The "create" entry as history gives it: the first version's fields. */
struct first_version {
	int creates;
	char fields[256];
};

static int first_version(const struct store_audit *a, void *arg)
{
	struct first_version *fv = arg;
	if (strcmp(a->action, "create") != 0 || strcmp(a->record_id, "C2") != 0)
		return 0;
	fv->creates++;
	for (size_t i = 0; i < a->nchanges; i++) {
		size_t n = strlen(fv->fields);
		assert_null(a->changes[i].before);
		snprintf(fv->fields + n, sizeof(fv->fields) - n, "%s=%s;",
			 a->changes[i].key, a->changes[i].after);
	}
	return 0;
}

static int stored_create_changes(const struct store_audit *a, void *arg)
{
	if (strcmp(a->action, "create") == 0 && strcmp(a->record_id, "C2") == 0)
		*(size_t *)arg = a->nchanges;
	return 0;
}

/* A new record's entry keeps no values (they would double what every
 * new record writes); its history still shows the first version, found
 * by undoing the later changes: a field emptied since, one added, one
 * changed twice. */
static void test_history_shows_first_version(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C2", "甲", NULL);
	store_record_set(r, "notes", "x");
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_set(r, "name", "乙");
	store_record_set(r, "notes", NULL);
	store_record_set(r, "phone", "13912345678");
	assert_int_equal(store_update(f->st, NULL, r, "clerk", "update", NULL), XB_OK);
	store_record_set(r, "name", "丙");
	store_record_set(r, "village_code", "220221100002");
	assert_int_equal(store_update(f->st, NULL, r, "clerk", "update", NULL), XB_OK);

	size_t stored = 99;
	assert_int_equal(store_audit_since(f->st, 0, stored_create_changes, &stored,
					   NULL), XB_OK);
	assert_int_equal(stored, 0);
	struct first_version fv;
	memset(&fv, 0, sizeof(fv));
	assert_int_equal(store_history(f->st, "C2", first_version, &fv, NULL), XB_OK);
	assert_int_equal(fv.creates, 1);
	assert_string_equal(fv.fields, "name=甲;village_code=220221100001;"
				       "status=active;notes=x;");
	store_record_free(&r);
}

static int collect_ids(const struct store_audit *a, void *arg)
{
	char *out = arg;
	snprintf(out + strlen(out), 256 - strlen(out), "%s:%s ", a->action,
		 a->record_id);
	return 0;
}

static struct store_record *visit(const char *id, const char *date)
{
	struct store_record *v = store_record_new(STORE_VISIT);
	store_record_set_id(v, id);
	store_record_set(v, "date", date);
	return v;
}

/* Entries of one case written one after another in a transaction share
 * one entry of the index by case; another case's entry between them
 * starts a new one. The history reads every entry back in order, a
 * visit's only its own, and the transaction sees its own entries. */
static void test_history_of_runs(void **state)
{
	struct tu_ledger *f = *state;
	uint64_t mark;
	assert_int_equal(store_generation(f->st, &mark, NULL), XB_OK);
	struct store_txn *txn;
	assert_int_equal(store_txn_begin(f->st, &txn, NULL), XB_OK);
	struct store_record *c3 = child("C3", "赵一", NULL), *c4 = child("C4", "赵二", NULL);
	struct store_record *v1 = visit("C3/V0001", "2026-11-01");
	struct store_record *v2 = visit("C3/V0002", "2026-11-02");
	assert_int_equal(store_insert(f->st, txn, c3, "clerk", NULL), XB_OK);
	assert_int_equal(store_insert(f->st, txn, v1, "clerk", NULL), XB_OK);
	assert_int_equal(store_insert(f->st, txn, v2, "clerk", NULL), XB_OK);
	assert_int_equal(store_insert(f->st, txn, c4, "clerk", NULL), XB_OK);
	store_record_set(c3, "status", "exited");
	assert_int_equal(store_update(f->st, txn, c3, "clerk", "exit", NULL), XB_OK);
	int changed = 0;
	assert_int_equal(store_changed_since(f->st, txn, "C3/V0002", mark, NULL,
					     &changed, NULL), XB_OK);
	assert_true(changed);
	store_record_set(v2, "date", "2026-11-03");
	assert_int_equal(store_update(f->st, txn, v2, "clerk", "update", NULL), XB_OK);
	assert_int_equal(store_txn_commit(&txn, NULL), XB_OK);

	char seen[256] = "";
	assert_int_equal(store_history(f->st, "C3", collect_ids, seen, NULL), XB_OK);
	assert_string_equal(seen, "create:C3 create:C3/V0001 create:C3/V0002 "
				  "exit:C3 update:C3/V0002 ");
	seen[0] = '\0';
	assert_int_equal(store_history(f->st, "C3/V0002", collect_ids, seen, NULL),
			 XB_OK);
	assert_string_equal(seen, "create:C3/V0002 update:C3/V0002 ");
	seen[0] = '\0';
	assert_int_equal(store_history(f->st, "C4", collect_ids, seen, NULL), XB_OK);
	assert_string_equal(seen, "create:C4 ");
	changed = 0;
	assert_int_equal(store_changed_since(f->st, NULL, "C3/V0001", mark, "create",
					     &changed, NULL), XB_OK);
	assert_false(changed);
	assert_int_equal(store_changed_since(f->st, NULL, "C3", mark, "create",
					     &changed, NULL), XB_OK);
	assert_true(changed);
	store_record_free(&c3);
	store_record_free(&c4);
	store_record_free(&v1);
	store_record_free(&v2);
}

struct since_count {
	uint64_t n, first, last;
};

static int count_since(const struct store_audit *a, void *arg)
{
	struct since_count *c = arg;
	if (c->n++ == 0)
		c->first = a->seq;
	c->last = a->seq;
	return 0;
}

/* The records of table t. */
static size_t table_records(struct store *st, enum table_id t)
{
	DBC *c;
	DBT k, d;
	size_t n = 0;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	k.flags = d.flags = DB_DBT_REALLOC;
	assert_int_equal(st->db[t]->cursor(st->db[t], NULL, &c, 0), 0);
	while (c->get(c, &k, &d, DB_NEXT) == 0)
		n++;
	c->close(c);
	free(k.data);
	free(d.data);
	return n;
}

/* A child with 150 visits in one transaction: the entries of one case
 * go to audit.db as records of up to STORE_RUN_MAX entries each. The
 * history reads them all in order, and a walk from any number on starts
 * inside a record as well as at its edges. */
static void test_history_long_run(void **state)
{
	struct tu_ledger *f = *state;
	uint64_t mark;
	assert_int_equal(store_generation(f->st, &mark, NULL), XB_OK);
	size_t before = table_records(f->st, T_AUDIT);
	struct store_txn *txn;
	assert_int_equal(store_txn_begin(f->st, &txn, NULL), XB_OK);
	struct store_record *c = child("L1", "钱一", NULL);
	assert_int_equal(store_insert(f->st, txn, c, "clerk", NULL), XB_OK);
	for (int i = 1; i <= 150; i++) {
		char id[32];
		snprintf(id, sizeof(id), "L1/V%04d", i);
		struct store_record *v = visit(id, "2026-11-01");
		assert_int_equal(store_insert(f->st, txn, v, "member", NULL), XB_OK);
		store_record_free(&v);
	}
	assert_int_equal(store_txn_commit(&txn, NULL), XB_OK);
	/* 151 entries in records of 64, 64 and 23 */
	assert_int_equal(table_records(f->st, T_AUDIT) - before, 3);

	struct since_count h = { 0, 0, 0 };
	assert_int_equal(store_history(f->st, "L1", count_since, &h, NULL), XB_OK);
	assert_int_equal(h.n, 151);
	assert_int_equal(h.first, mark + 1);
	assert_int_equal(h.last, mark + 151);
	char seen[256] = "";
	assert_int_equal(store_history(f->st, "L1/V0100", collect_ids, seen, NULL), XB_OK);
	assert_string_equal(seen, "create:L1/V0100 ");
	static const uint64_t from[] = { 0, 1, 62, 63, 64, 65, 100, 127, 128, 150, 151 };
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		struct since_count sc = { 0, 0, 0 };
		assert_int_equal(store_audit_since(f->st, mark + from[i], count_since,
						   &sc, NULL), XB_OK);
		assert_int_equal(sc.n, 151 - from[i]);
		if (sc.n > 0) {
			assert_int_equal(sc.first, mark + from[i] + 1);
			assert_int_equal(sc.last, mark + 151);
		}
	}
	int changed = 0;
	assert_int_equal(store_changed_since(f->st, NULL, "L1/V0149", mark + 140, NULL,
					     &changed, NULL), XB_OK);
	assert_true(changed);
	assert_int_equal(store_changed_since(f->st, NULL, "L1/V0149", mark + 150, NULL,
					     &changed, NULL), XB_OK);
	assert_false(changed);
	store_record_free(&c);
}

/* Ledgers written before the runs were stored together hold one record
 * of audit.db an entry, which the index by case lists as a range: they
 * read as before. */
static void test_history_of_entries_one_by_one(void **state)
{
	struct tu_ledger *f = *state;
	struct store_txn *txn;
	assert_int_equal(store_txn_begin(f->st, &txn, NULL), XB_OK);
	uint64_t first = 0, seq = 0;
	static const char *const ids[] = { "OLD1", "OLD1/V0001", "OLD1/V0002" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_counter_next(f->st, txn, "audit", &seq, NULL), XB_OK);
		if (i == 0)
			first = seq;
		struct store_audit a = { seq, i ? STORE_VISIT : STORE_CHILD,
					 (char *)ids[i], "clerk", 1795000000 + i,
					 "create", 1, 0, NULL };
		unsigned char *buf, key[8];
		size_t len;
		assert_int_equal(store_audit_encode(&a, &buf, &len), XB_OK);
		store_seq_key(seq, key);
		DBT k, d;
		store_dbt_in(&k, key, sizeof(key));
		store_dbt_in(&d, buf, len);
		assert_int_equal(f->st->db[T_AUDIT]->put(f->st->db[T_AUDIT], txn->txn,
							 &k, &d, 0), 0);
		free(buf);
	}
	unsigned char range[16];
	store_seq_key(first, range);
	store_seq_key(seq, range + 8);
	DBT k, d;
	store_dbt_in(&k, "OLD1", 4);
	store_dbt_in(&d, range, sizeof(range));
	assert_int_equal(f->st->db[T_AUDIT_CASE]->put(f->st->db[T_AUDIT_CASE], txn->txn,
						      &k, &d, 0), 0);
	assert_int_equal(store_txn_commit(&txn, NULL), XB_OK);

	char seen[256] = "";
	assert_int_equal(store_history(f->st, "OLD1", collect_ids, seen, NULL), XB_OK);
	assert_string_equal(seen, "create:OLD1 create:OLD1/V0001 create:OLD1/V0002 ");
	struct since_count sc = { 0, 0, 0 };
	assert_int_equal(store_audit_since(f->st, first, count_since, &sc, NULL), XB_OK);
	assert_int_equal(sc.n, 2);
	assert_int_equal(sc.first, first + 1);
}

static void test_indexes_follow_changes(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C1", "张三", "220221201503120018");
	store_record_set(r, "name_py", "zs");
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	assert_int_equal(count_exact(f->st, STORE_BY_IDNUM, "220221201503120018"), 1);
	assert_int_equal(count_exact(f->st, STORE_BY_NAME, "张三"), 1);
	assert_int_equal(count_exact(f->st, STORE_BY_NAME, "zs"), 1);
	assert_int_equal(count_exact(f->st, STORE_BY_STATUS, "active"), 1);

	store_record_set(r, "name", "李四");
	store_record_set(r, "name_py", "ls");
	store_record_set(r, "id_number", NULL);
	store_record_set(r, "status", "exited");
	store_record_set(r, "next_visit_due", "2026-12-01");
	assert_int_equal(store_update(f->st, NULL, r, "clerk", NULL, NULL), XB_OK);
	assert_int_equal(count_exact(f->st, STORE_BY_NAME, "张三"), 0);
	assert_int_equal(count_exact(f->st, STORE_BY_NAME, "zs"), 0);
	assert_int_equal(count_exact(f->st, STORE_BY_NAME, "李四"), 1);
	assert_int_equal(count_exact(f->st, STORE_BY_IDNUM, "220221201503120018"), 0);
	assert_int_equal(count_exact(f->st, STORE_BY_STATUS, "active"), 0);
	assert_int_equal(count_exact(f->st, STORE_BY_STATUS, "exited"), 1);
	assert_int_equal(count_exact(f->st, STORE_BY_DUE, "2026-12-01"), 1);
	char *id = NULL;
	assert_int_equal(store_find(f->st, NULL, STORE_CHILD, STORE_BY_NAME, "ls", &id,
				    NULL), XB_OK);
	assert_string_equal(id, "C1");
	free(id);
	assert_int_equal(store_find(f->st, NULL, STORE_CHILD, STORE_BY_NAME, "zs", &id,
				    NULL), XB_ENOTFOUND);
	store_record_free(&r);
}

static void test_iterators(void **state)
{
	struct tu_ledger *f = *state;
	const char *names[] = { "张三", "张三丰", "张伟", "王五", "张三" };
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof(id), "C%d", i);
		struct store_record *r = child(id, names[i], NULL);
		assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
		store_record_free(&r);
	}
	struct store_iter *it;
	struct store_record *r;
	const char *key;
	int n = 0;
	assert_int_equal(store_iter_open(f->st, STORE_CHILD, STORE_BY_NAME, STORE_PREFIX,
					 "张三", &it, NULL), XB_OK);
	while (store_iter_next(it, &r, &key, NULL) == 1) {
		assert_memory_equal(key, "张三", strlen("张三"));
		n++;
		store_record_free(&r);
	}
	store_iter_close(&it);
	assert_int_equal(n, 3);

	n = 0;
	assert_int_equal(store_iter_open(f->st, STORE_CHILD, STORE_BY_NAME, STORE_EXACT,
					 "张三", &it, NULL), XB_OK);
	while (store_iter_next(it, &r, NULL, NULL) == 1) {
		assert_string_equal(store_record_get(r, "name"), "张三");
		n++;
		store_record_free(&r);
	}
	store_iter_close(&it);
	assert_int_equal(n, 2);

	/* Primary order, all. */
	n = 0;
	assert_int_equal(store_iter_open(f->st, STORE_CHILD, STORE_BY_ID, STORE_ALL,
					 NULL, &it, NULL), XB_OK);
	while (store_iter_next(it, &r, &key, NULL) == 1) {
		char want[16];
		snprintf(want, sizeof(want), "C%d", n++);
		assert_string_equal(key, want);
		store_record_free(&r);
	}
	store_iter_close(&it);
	assert_int_equal(n, 5);

	uint64_t count;
	assert_int_equal(store_count(f->st, STORE_CHILD, &count, NULL), XB_OK);
	assert_int_equal(count, 5);
	assert_int_equal(store_iter_open(f->st, STORE_VISIT, STORE_BY_NAME, STORE_ALL,
					 NULL, &it, NULL), XB_EINVAL);
}

struct batch_arg {
	int fail_after;
};

static int batch_fn(struct store *st, struct store_txn *txn, void *arg,
		    struct xb_error *err)
{
	struct batch_arg *b = arg;
	uint64_t serial;
	int ret = store_counter_next(st, txn, "case:x", &serial, err);
	for (int i = 0; ret == XB_OK && i < 3; i++) {
		char id[16];
		snprintf(id, sizeof(id), "B%d", i);
		struct store_record *r = child(id, "赵六", NULL);
		ret = store_insert(st, txn, r, "clerk", err);
		store_record_free(&r);
		if (i == b->fail_after)
			return xb_fail(err, XB_EINVAL, "stop");
	}
	return ret;
}

/* A transaction lands whole or not at all: records, counters, indexes,
 * audit entries. */
static void test_transaction_all_or_nothing(void **state)
{
	struct tu_ledger *f = *state;
	struct batch_arg b = { 1 };
	assert_int_equal(store_run(f->st, batch_fn, &b, NULL), XB_EINVAL);
	uint64_t n;
	store_count(f->st, STORE_CHILD, &n, NULL);
	assert_int_equal(n, 0);
	assert_int_equal(count_exact(f->st, STORE_BY_NAME, "赵六"), 0);
	int h = 0;
	store_history(f->st, "B0", count_history, &h, NULL);
	assert_int_equal(h, 0);
	b.fail_after = 99;
	assert_int_equal(store_run(f->st, batch_fn, &b, NULL), XB_OK);
	store_count(f->st, STORE_CHILD, &n, NULL);
	assert_int_equal(n, 3);
	/* The counter of the aborted run was rolled back too. */
	uint64_t serial;
	assert_int_equal(store_counter_next(f->st, NULL, "case:x", &serial, NULL), XB_OK);
	assert_int_equal(serial, 2);
}

struct serial_arg {
	const char *prefix;
	int width;
	uint64_t got[2];
};

static int serial_fn(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	struct serial_arg *a = arg;
	int ret = store_serial_under(st, txn, STORE_VISIT, a->prefix, a->width,
				     &a->got[0], err);
	if (ret == XB_OK)
		ret = store_serial_under(st, txn, STORE_VISIT, a->prefix, a->width,
					 &a->got[1], err);
	return ret;
}

/* Records numbered under another (a child's visits) take one past the
 * largest number there, whatever else the table holds; a number wider
 * than its digits (past all nines) still counts. */
static void test_serial_under(void **state)
{
	struct tu_ledger *f = *state;
	static const char *const ids[] = { "P1/V01", "P1/V07", "P1/V07x", "P1/W50",
					   "P10/V30", "P2/V99", "P2/V100", "P2/V05",
					   "P4/V05", "P4/V999", "P4/V1000",
					   "P5/V9", "P5/V0012" };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct store_record *v = visit(ids[i], "2026-11-20");
		assert_int_equal(store_insert(f->st, NULL, v, "member", NULL), XB_OK);
		store_record_free(&v);
	}
	/* P1: a suffix and another letter are not numbers under P1/V;
	 * P4: "V999" sorts after "V1000"; P5: "V9" after "V0012" */
	static const struct {
		const char *prefix;
		int width;
		uint64_t next;
	} cases[] = { { "P1/V", 2, 8 },	  { "P2/V", 2, 101 },  { "P3/V", 2, 1 },
		      { "P10/V", 2, 31 }, { "P4/V", 2, 1001 }, { "P5/V", 4, 13 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct serial_arg a = { cases[i].prefix, cases[i].width, { 0, 0 } };
		assert_int_equal(store_run(f->st, serial_fn, &a, NULL), XB_OK);
		assert_int_equal(a.got[0], cases[i].next);
		assert_int_equal(a.got[1], cases[i].next + 1); /* counted on in the transaction */
	}
}

static void test_meta_and_reopen(void **state)
{
	struct tu_ledger *f = *state;
	char *v = NULL;
	assert_int_equal(store_meta_get(f->st, NULL, "office", &v, NULL), XB_OK);
	assert_null(v);
	assert_int_equal(store_meta_set(f->st, NULL, "office", "220221100", NULL), XB_OK);
	struct store_record *r = child("C1", "张三", NULL);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_free(&r);
	store_close(&f->st);
	assert_int_equal(store_open(f->dir, &f->st, NULL), XB_OK);
	assert_int_equal(store_meta_get(f->st, NULL, "office", &v, NULL), XB_OK);
	assert_string_equal(v, "220221100");
	free(v);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &r, NULL), XB_OK);
	assert_string_equal(store_record_get(r, "name"), "张三");
	store_record_free(&r);
}

/* Locks child C1 for update in a transaction of its own and leaves it. */
static struct store_txn *lock_c1(struct store *st)
{
	struct store_txn *t = NULL;
	struct store_record *r = NULL;
	if (store_txn_begin(st, &t, NULL) != XB_OK)
		return NULL;
	if (store_get(st, t, STORE_CHILD, "C1", &r, NULL) != XB_OK) {
		store_txn_abort(&t);
		return NULL;
	}
	store_record_free(&r);
	return t;
}

/* Saves C1 again: the write that waits for whoever holds it. */
static int edit_c1(struct store *st, const char *notes)
{
	struct store_record *r = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	int ret = store_get(st, NULL, STORE_CHILD, "C1", &r, &err);
	if (ret == XB_OK) {
		store_record_set(r, "notes", notes);
		ret = store_update(st, NULL, r, "clerk", "update", &err);
	}
	if (ret != XB_OK)
		print_message("edit: %s\n", err.msg);
	store_record_free(&r);
	return ret;
}

/* A helper process for the tests below (tu_child): it opens its own
 * environment and takes something in it. The parent closes its store
 * before fork (a process with threads must not fork: valgrind's child
 * then never ends) and opens it again while the helper holds what it
 * took. Under valgrind even so a forked child never finishes its _exit:
 * the tests that fork run natively and under ASan, and are skipped there. */
struct helper_take {
	const char *dir;
	int (*take)(struct store *, void *);
	void *arg;
};

static int helper_take(void *arg)
{
	struct helper_take *t = arg;
	struct store *st;
	return store_open(t->dir, &st, NULL) == XB_OK && t->take(st, t->arg) == 0 ? 0 : -1;
}

static int helper_start(struct tu_ledger *f, int (*take)(struct store *, void *),
			void *arg, struct tu_child *h)
{
	struct helper_take t = { f->dir, take, arg };
	store_close(&f->st);
	if (tu_child_start(h, helper_take, &t) != 0)
		return -1;
	return store_open(f->dir, &f->st, NULL) == XB_OK ? 0 : -1;
}

static int take_c1(struct store *st, void *arg)
{
	(void)arg;
	return lock_c1(st) != NULL ? 0 : -1;
}

/* A process that dies holding a record's lock in an open transaction
 * (killed between two calls into Berkeley DB) does not hold up a process
 * that had the ledger open all along: failchk aborts the dead one's
 * transaction, or the reopen recovers the ledger. */
static void test_dead_process_lock_freed(void **state)
{
	struct tu_ledger *f = *state;
	if (tu_under_valgrind())
		skip();
	struct store_record *r = child("C1", "张三", NULL);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_free(&r);
	struct tu_child h;
	assert_int_equal(helper_start(f, take_c1, NULL, &h), 0);
	tu_child_end(&h, 0);
	assert_int_equal(edit_c1(f->st, "after the crash"), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &r, NULL), XB_OK);
	assert_string_equal(store_record_get(r, "notes"), "after the crash");
	store_record_free(&r);
	/* The next process to open the ledger recovers it and sees the same. */
	store_close(&f->st);
	assert_int_equal(store_open(f->dir, &f->st, NULL), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &r, NULL), XB_OK);
	assert_string_equal(store_record_get(r, "notes"), "after the crash");
	store_record_free(&r);
}

static void *lock_and_end(void *arg)
{
	return lock_c1(arg);
}

/* A thread of this process that ended leaving a transaction open is dead
 * to failchk (is_alive knows the threads that entered Berkeley DB and
 * which of them ended), though its process lives: its transaction is
 * aborted and the write it held up goes through. */
static void test_ended_thread_lock_freed(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C1", "张三", NULL);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_free(&r);
	pthread_t th;
	void *left = NULL;
	assert_int_equal(pthread_create(&th, NULL, lock_and_end, f->st), 0);
	assert_int_equal(pthread_join(th, &left), 0);
	assert_non_null(left);
	assert_int_equal(edit_c1(f->st, "after the thread"), XB_OK);
	/* failchk aborted the transaction; the ended thread's handle and our
	 * wrapper are left (DB_TXN->discard frees a handle, ending nothing). */
	struct store_txn *t = left;
	assert_int_equal(t->txn->discard(t->txn, 0), 0);
	f->st->in_use--;
	store_counters_free(t);
	store_audit_runs_free(t);
	free(t);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C1", &r, NULL), XB_OK);
	assert_string_equal(store_record_get(r, "notes"), "after the thread");
	store_record_free(&r);
}

/* A live holder (another process stopped with SIGSTOP, or one that keeps
 * its transaction open) is waited for up to the store's bound, not
 * forever: the write then fails, naming the process. The store's clock
 * runs ten times as fast meanwhile (clockwarp.h): its 30 s, in 3. */
static void test_live_holder_bounded(void **state)
{
	struct tu_ledger *f = *state;
	if (tu_under_valgrind())
		skip();
	struct store_record *r = child("C1", "张三", NULL);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_free(&r);
	struct tu_child h;
	assert_int_equal(helper_start(f, take_c1, NULL, &h), 0);
	kill(h.pid, SIGSTOP);
	struct xb_error err;
	xb_error_clear(&err);
	r = child("C1", "张三", NULL);
	r->version = 1; /* as read before the helper locked it */
	store_record_set(r, "notes", "held");
	warp_start(WARP);
	long long t0 = warp_now_ms();
	int ret = store_update(f->st, NULL, r, "clerk", "update", &err);
	long long waited = warp_now_ms() - t0;
	warp_stop();
	store_record_free(&r);
	char want[64];
	snprintf(want, sizeof(want), "(pid %ld) holds the ledger", (long)h.pid);
	tu_child_end(&h, 1);
	assert_int_equal(ret, XB_EDEADLOCK);
	assert_non_null(strstr(err.msg, want));
	/* It waited the whole bound, by the store's clock. */
	assert_true(waited >= STORE_PATIENCE_MS);
	/* Once the holder is gone the write goes through. */
	assert_int_equal(edit_c1(f->st, "after"), XB_OK);
}

struct stall_seen {
	struct store *st;
	db_mutex_t m;
	char msg[512];
	int calls;
};

/* The test's stall handler: notes the message, then frees the mutex the
 * main thread waits on, so the test can end (a program would exit). */
static void on_stall_noted(const char *msg, void *arg)
{
	struct stall_seen *s = arg;
	snprintf(s->msg, sizeof(s->msg), "%s", msg);
	s->calls++;
	s->st->env->mutex_unlock(s->st->env, s->m);
}

/* The one wait Berkeley DB 5.3 never ends: a mutex in its region held by
 * a process that died (failchk frees only per-process mutexes). Here a
 * forked process dies holding one; this process then waits on it. The
 * store's guard sees a thread asleep on a region mutex with no progress
 * and tells the program, which would end and restart. */
static int take_mutex(struct store *st, void *arg)
{
	return st->env->mutex_lock(st->env, *(db_mutex_t *)arg) == 0 ? 0 : -1;
}

static void test_dead_mutex_holder_told(void **state)
{
	struct tu_ledger *f = *state;
	if (tu_under_valgrind())
		skip();
	struct stall_seen seen = { NULL, 0, "", 0 };
	assert_int_equal(f->st->env->mutex_alloc(f->st->env, 0, &seen.m), 0);
	struct tu_child h;
	assert_int_equal(helper_start(f, take_mutex, &seen.m, &h), 0);
	tu_child_end(&h, 0);
	seen.st = f->st;
	store_on_stall(f->st, on_stall_noted, &seen);
	/* Sleeps until the guard's handler frees it: the guard's 20 s by its
	 * clock, run ten times as fast. */
	warp_start(WARP);
	assert_int_equal(f->st->env->mutex_lock(f->st->env, seen.m), 0);
	warp_stop();
	store_on_stall(f->st, NULL, NULL);
	assert_int_equal(seen.calls, 1);
	assert_non_null(strstr(seen.msg, "ended while it was writing"));
	f->st->env->mutex_unlock(f->st->env, seen.m);
	f->st->env->mutex_free(f->st->env, seen.m);
}

static void test_verify_and_checkpoint(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C1", "张三", NULL);
	assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
	store_record_free(&r);
	assert_int_equal(store_checkpoint(f->st, NULL), XB_OK);
	assert_int_equal(store_verify(f->st, NULL, NULL, NULL), XB_OK);
}

static int count_logs(const char *dir)
{
	int n = 0;
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '^log\\.'", dir);
	FILE *p = popen(cmd, "r");
	if (p != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/* Log files that recovery no longer needs are removed, so an old PC's
 * disk does not fill up with them. */
static void test_old_logs_removed(void **state)
{
	struct tu_ledger *f = *state;
	char note[4001];
	memset(note, 'x', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';
	for (int i = 0; i < 1500; i++) {
		char id[16];
		snprintf(id, sizeof(id), "L%05d", i);
		struct store_record *r = child(id, "张三", NULL);
		store_record_set(r, "notes", note);
		assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
		store_record_free(&r);
	}
	/* Some 13 MB of log was written in files of 2 MB; the keeper thread
	 * checkpoints as it goes and the old files go, with no call of ours
	 * (kept, they would be 7). */
	int n = 0;
	for (int wait = 0; wait < 100; wait++) {
		if ((n = count_logs(f->dir)) <= 3)
			break;
		struct timespec ts = { 0, 100000000L };
		nanosleep(&ts, NULL);
	}
	assert_in_range(n, 1, 3);
	assert_int_equal(store_checkpoint(f->st, NULL), XB_OK);
	assert_true(count_logs(f->dir) <= 2);
}

/* Reads up to n ids from a seeking iterator into one string. */
static void seek_ids(struct store *st, enum store_index idx, const char *ikey,
		     const char *id, int backward, int n, char *out)
{
	struct store_iter *it;
	struct store_record *r;
	out[0] = '\0';
	assert_int_equal(store_iter_seek(st, STORE_CHILD, idx, ikey, id, backward, &it,
					 NULL), XB_OK);
	while (n-- > 0 && store_iter_next(it, &r, NULL, NULL) == 1) {
		strcat(out, r->id);
		strcat(out, " ");
		store_record_free(&r);
	}
	store_iter_close(&it);
}

/* Paging a list forward and back from any row, through an index with
 * many children under one key (a village). */
static void test_seek_pages_both_ways(void **state)
{
	struct tu_ledger *f = *state;
	const char *village[] = { "V1", "V2", "V2", "V2", "V3" };
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof(id), "C%d", i);
		struct store_record *r = child(id, "张三", NULL);
		store_record_set(r, "village_code", village[i]);
		assert_int_equal(store_insert(f->st, NULL, r, "clerk", NULL), XB_OK);
		store_record_free(&r);
	}
	char got[128];
	seek_ids(f->st, STORE_BY_ID, NULL, NULL, 0, 9, got);
	assert_string_equal(got, "C0 C1 C2 C3 C4 ");
	seek_ids(f->st, STORE_BY_ID, NULL, NULL, 1, 2, got);
	assert_string_equal(got, "C4 C3 ");
	seek_ids(f->st, STORE_BY_ID, "C1", NULL, 0, 2, got);
	assert_string_equal(got, "C2 C3 ");
	seek_ids(f->st, STORE_BY_ID, "C1", NULL, 1, 9, got);
	assert_string_equal(got, "C0 ");
	seek_ids(f->st, STORE_BY_VILLAGE, "V2", "C2", 0, 9, got);
	assert_string_equal(got, "C3 C4 ");
	seek_ids(f->st, STORE_BY_VILLAGE, "V2", "C2", 1, 9, got);
	assert_string_equal(got, "C1 C0 ");
	seek_ids(f->st, STORE_BY_VILLAGE, "V2", "C3", 0, 9, got);
	assert_string_equal(got, "C4 ");
	seek_ids(f->st, STORE_BY_VILLAGE, "V3", "C4", 0, 9, got);
	assert_string_equal(got, "");
	seek_ids(f->st, STORE_BY_VILLAGE, "V9", "C9", 1, 1, got);
	assert_string_equal(got, "C4 ");
	/* A record gone since the page was drawn: still the right place. */
	seek_ids(f->st, STORE_BY_VILLAGE, "V2", "C25", 0, 9, got);
	assert_string_equal(got, "C3 C4 ");
	seek_ids(f->st, STORE_BY_VILLAGE, "V2", "C25", 1, 9, got);
	assert_string_equal(got, "C2 C1 C0 ");
}

static int last_user(const struct store_audit *a, void *arg)
{
	snprintf(arg, 64, "%s", a->user ? a->user : "");
	return 0;
}

static void test_put_as_is_keeps_metadata(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *r = child("C9", "钱七", NULL), *got;
	store_record_set_origin(r, "220221200");
	r->version = 7;
	r->changed_at = 1700000000;
	r->changed_by = strdup("other-office-clerk");
	assert_int_equal(store_put_as_is(f->st, NULL, r, "importer", "import", NULL), XB_OK);
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "C9", &got, NULL), XB_OK);
	assert_int_equal(got->version, 7);
	assert_string_equal(got->origin, "220221200");
	assert_string_equal(got->changed_by, "other-office-clerk");
	store_record_free(&got);
	store_record_free(&r);
	/* The history names who imported, not the record's author. */
	char who[64] = "";
	assert_int_equal(store_history(f->st, "C9", last_user, who, NULL), XB_OK);
	assert_string_equal(who, "importer");
	/* A later bundle's version over it: the first import still shows
	 * the values it brought, the second only what it changed. */
	r = child("C9", "钱八", NULL);
	store_record_set_origin(r, "220221200");
	r->version = 8;
	assert_int_equal(store_put_as_is(f->st, NULL, r, "importer", "import", NULL), XB_OK);
	struct audit_seen s;
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_history(f->st, "C9", collect, &s, NULL), XB_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.nchanges[0], 3);
	assert_string_equal(s.before[0], "(none)");
	assert_string_equal(s.after[0], "钱七");
	assert_int_equal(s.nchanges[1], 1);
	assert_string_equal(s.before[1], "钱七");
	assert_string_equal(s.after[1], "钱八");
	store_record_free(&r);
}

static int list_id(const char *id, const char *origin, void *arg)
{
	char *out = arg;
	snprintf(out + strlen(out), 128 - strlen(out), "%s@%s ", id, origin);
	return 0;
}

static void test_ids_with_origin(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *a = child("I2", "甲", NULL), *b = child("I1", "乙", NULL);
	store_record_set_origin(a, "220221100");
	store_record_set_origin(b, "220221200");
	assert_int_equal(store_insert(f->st, NULL, a, "u", NULL), XB_OK);
	assert_int_equal(store_insert(f->st, NULL, b, "u", NULL), XB_OK);
	char got[128] = "";
	assert_int_equal(store_ids(f->st, STORE_CHILD, list_id, got, NULL), XB_OK);
	assert_string_equal(got, "I1@220221200 I2@220221100 ");
	uint64_t n;
	assert_int_equal(store_count_prefix(f->st, STORE_CHILD, "I", &n, NULL), XB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_count_prefix(f->st, STORE_CHILD, "I1", &n, NULL), XB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_count_prefix(f->st, STORE_CHILD, "J", &n, NULL), XB_OK);
	assert_int_equal(n, 0);
	store_record_free(&a);
	store_record_free(&b);
}

static int put_books(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	(void)arg;
	const char *keys[] = { "220221100/0000000002", "220221100/0000000001",
			       "220221200/0000000001", "2202211000/x" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (store_book_put(st, txn, STORE_BOOK_SENT, keys[i], keys[i], err))
			return XB_EFAIL;
	return XB_OK;
}

static void test_books(void **state)
{
	struct tu_ledger *f = *state;
	struct store_pair *p;
	size_t n;
	char *k, *v;
	assert_int_equal(store_book_last(f->st, NULL, STORE_BOOK_SENT, "220221100/", &k,
					 &v, NULL), XB_ENOTFOUND);
	assert_int_equal(store_run(f->st, put_books, NULL, NULL), XB_OK);
	assert_int_equal(store_book_list(f->st, NULL, STORE_BOOK_SENT, "220221100/", &p,
					 &n, NULL), XB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].key, "220221100/0000000001");
	assert_string_equal(p[1].value, "220221100/0000000002");
	store_pairs_free(p, n);
	assert_int_equal(store_book_last(f->st, NULL, STORE_BOOK_SENT, "220221100/", &k,
					 &v, NULL), XB_OK);
	assert_string_equal(k, "220221100/0000000002");
	assert_string_equal(v, "220221100/0000000002");
	free(k);
	free(v);
	assert_int_equal(store_book_last(f->st, NULL, STORE_BOOK_SENT, NULL, &k, NULL,
					 NULL), XB_OK);
	assert_string_equal(k, "220221200/0000000001");
	free(k);
	assert_int_equal(store_book_get(f->st, NULL, STORE_BOOK_SENT, "220221200/0000000001",
					&v, NULL), XB_OK);
	free(v);
	assert_int_equal(store_book_get(f->st, NULL, STORE_BOOK_PEERS, "220221200", &v,
					NULL), XB_ENOTFOUND);
}

static int collect_seq(const struct store_audit *a, void *arg)
{
	char *out = arg;
	snprintf(out + strlen(out), 256 - strlen(out), "%s:%s ", a->record_id, a->action);
	return 0;
}

static void test_changes_since_a_mark(void **state)
{
	struct tu_ledger *f = *state;
	struct store_record *a = child("A1", "甲", NULL), *b = child("B1", "乙", NULL);
	assert_int_equal(store_insert(f->st, NULL, a, "u", NULL), XB_OK);
	uint64_t mark;
	assert_int_equal(store_generation(f->st, &mark, NULL), XB_OK);
	assert_int_equal(store_insert(f->st, NULL, b, "u", NULL), XB_OK);
	store_record_set(a, "status", "exited");
	assert_int_equal(store_update(f->st, NULL, a, "u", "exit", NULL), XB_OK);
	char got[256] = "";
	assert_int_equal(store_audit_since(f->st, mark, collect_seq, got, NULL), XB_OK);
	assert_string_equal(got, "B1:create A1:exit ");
	got[0] = '\0';
	assert_int_equal(store_audit_since(f->st, 0, collect_seq, got, NULL), XB_OK);
	assert_string_equal(got, "A1:create B1:create A1:exit ");

	int changed;
	assert_int_equal(store_changed_since(f->st, NULL, "A1", mark, NULL, &changed, NULL),
			 XB_OK);
	assert_true(changed);
	assert_int_equal(store_changed_since(f->st, NULL, "A1", mark, "exit", &changed,
					     NULL), XB_OK);
	assert_false(changed);
	assert_int_equal(store_changed_since(f->st, NULL, "A1", mark + 2, NULL, &changed,
					     NULL), XB_OK);
	assert_false(changed);
	store_record_free(&a);
	store_record_free(&b);
}

static enum store_merge_result merge(struct store *st, struct store_record *in,
				     uint64_t mark, int64_t since)
{
	struct store_merge_marks m = { mark, since };
	enum store_merge_result res;
	struct store_txn *txn;
	assert_int_equal(store_txn_begin(st, &txn, NULL), XB_OK);
	assert_int_equal(store_merge(st, txn, in, &m, "importer", &res, NULL), XB_OK);
	assert_int_equal(store_txn_commit(&txn, NULL), XB_OK);
	return res;
}

static const char *stored_name(struct store *st, const char *id, char *buf)
{
	struct store_record *r;
	assert_int_equal(store_get(st, NULL, STORE_CHILD, id, &r, NULL), XB_OK);
	snprintf(buf, 64, "%s v%u", store_record_get(r, "name"), r->version);
	store_record_free(&r);
	return buf;
}

static void test_merge_newer_older_conflict(void **state)
{
	struct tu_ledger *f = *state;
	char buf[64];
	/* As the other office sent it: version 3, made at its time 1000. */
	struct store_record *in = child("M1", "孙一", NULL);
	in->version = 3;
	in->changed_at = 1000;
	assert_int_equal(merge(f->st, in, 0, 0), STORE_MERGE_NEW);
	assert_int_equal(merge(f->st, in, 0, 0), STORE_MERGE_SAME);
	uint64_t mark;
	assert_int_equal(store_generation(f->st, &mark, NULL), XB_OK);

	/* Only they changed it: the newer version replaces ours. */
	store_record_set(in, "name", "孙二");
	in->version = 4;
	in->changed_at = 2000;
	assert_int_equal(merge(f->st, in, mark, 1500), STORE_MERGE_NEWER);
	assert_string_equal(stored_name(f->st, "M1", buf), "孙二 v4");
	/* An older version never replaces a newer one. */
	struct store_record *old = child("M1", "孙一", NULL);
	old->version = 3;
	old->changed_at = 1000;
	assert_int_equal(merge(f->st, old, mark, 1500), STORE_MERGE_OLDER);
	assert_string_equal(stored_name(f->st, "M1", buf), "孙二 v4");

	/* Changed here (after the mark) and there (after its last bundle):
	 * a conflict, and ours stays until the clerk settles it. */
	struct store_record *ours;
	assert_int_equal(store_get(f->st, NULL, STORE_CHILD, "M1", &ours, NULL), XB_OK);
	store_record_set(ours, "name", "孙三");
	assert_int_equal(store_update(f->st, NULL, ours, "clerk", NULL, NULL), XB_OK);
	store_record_set(in, "name", "孙四");
	in->version = 5;
	in->changed_at = 3000;
	assert_int_equal(merge(f->st, in, mark, 2500), STORE_MERGE_CONFLICT);
	assert_string_equal(stored_name(f->st, "M1", buf), "孙三 v5");
	/* A stale copy of theirs (older, unchanged since their last bundle)
	 * leaves our change alone; a newer one is never taken unseen. */
	in->version = 4;
	assert_int_equal(merge(f->st, in, mark, 3500), STORE_MERGE_OLDER);
	in->version = 6;
	assert_int_equal(merge(f->st, in, mark, 3500), STORE_MERGE_CONFLICT);
	assert_string_equal(stored_name(f->st, "M1", buf), "孙三 v5");
	/* Once we sent ours (a later mark), their next version wins. */
	assert_int_equal(store_generation(f->st, &mark, NULL), XB_OK);
	assert_int_equal(merge(f->st, in, mark, 2500), STORE_MERGE_NEWER);
	assert_string_equal(stored_name(f->st, "M1", buf), "孙四 v6");
	store_record_free(&ours);
	store_record_free(&old);
	store_record_free(&in);
}

/* A test on a fresh store of its own. */
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_ledger_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_data_dir_created_private),
		cmocka_unit_test(test_default_home),
		T(test_insert_get_and_metadata),
		T(test_optimistic_lock_refuses_stale_edit),
		T(test_audit_entries_field_level),
		T(test_history_shows_first_version),
		T(test_history_of_runs),
		T(test_history_long_run),
		T(test_history_of_entries_one_by_one),
		T(test_indexes_follow_changes),
		T(test_iterators),
		T(test_transaction_all_or_nothing),
		T(test_serial_under),
		T(test_meta_and_reopen),
		T(test_dead_process_lock_freed),
		T(test_ended_thread_lock_freed),
		T(test_live_holder_bounded),
		T(test_dead_mutex_holder_told),
		T(test_verify_and_checkpoint),
		T(test_put_as_is_keeps_metadata),
		T(test_old_logs_removed),
		T(test_books),
		T(test_ids_with_origin),
		T(test_merge_newer_older_conflict),
		T(test_changes_since_a_mark),
		T(test_seek_pages_both_ways),
		T(test_encrypted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
