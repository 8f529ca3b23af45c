/* store.h - the ledger's storage: all that the rest of xiangban sees of
 * Berkeley DB.
 *
 * Files of this module:
 *   record.c  in-memory records (a kind, an id, metadata, key=value fields)
 *   codec.c   the versioned binary encoding of records and audit entries
 *   crypt.c   encryption at rest: the key derived from the passphrase
 *             with libgcrypt (scrypt), the only outside library here
 *             besides Berkeley DB
 *   password.c the users' passwords as salted scrypt hashes, and the
 *             wrong tries that lock an account
 *   errors.c  Berkeley DB's failures in words, who holds the ledger
 *   tables.c  the tables and their secondary indexes
 *   env.c     the transactional environment: open, recover, close; runs
 *             of writes (store_run) and of reads (store_read_run)
 *   write.c   insert and update with optimistic check and audit entry;
 *             counters and settings
 *   book.c    the exchange's books; walks over the audit trail
 *   query.c   point reads, iterators over indexes, history
 *   merge.c   merging a record another office sent
 *   tally.c   the tallies: counts of records by a few fields' values,
 *             kept in the same transactions as the records
 *   verify.c  checking every database file
 *   private.h what these files share and no other module sees
 * Each file uses only those above it, but env.c and write.c use each
 * other: a commit writes what the transaction's writes kept back
 * (counters, audit runs), and a write runs its own transaction.
 *
 * A record is schema-free here: forms/ owns what the fields mean. The store
 * indexes a few fields by their keys (see enum store_index).
 *
 * Ownership: functions named *_new or returning through a `**out` give the
 * caller something to free with the matching *_free; strings returned as
 * `const char *` belong to the record they came from. */
#ifndef XB_STORE_H
#define XB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"

enum store_kind {
	STORE_OFFICE = 1,
	STORE_CHILD = 2,
	STORE_VISIT = 3,
	STORE_REPORT = 4,
	STORE_STEP = 5,
	STORE_USER = 6,
	STORE_VILLAGE = 7, /* the office's register of villages, id the
			      12-digit code; never carried in bundles */
	STORE_TABLE = 8,   /* a period's statistics as an office filed them,
			      id OFFICE/Tperiod (stats/); carried up the
			      chain: township to county to city */
	STORE_REQUEST = 9, /* a request for a leader's approval (审核), id
			      CASE/Qnn (forms/requests.c); carried to the
			      county like visits */
	STORE_TRANSFER = 10, /* a child's file sent to another township of
				the county, id CASE/Mnn (forms/transfer.c):
				township to county, which passes it on to
				the township it names */
	STORE_AID = 11,    /* an entry of assistance a child receives
			      (救助), id CASE/Hnn (forms/aid.c) */
};
#define STORE_KIND_MAX STORE_AID

/* The current record encoding. Every older version stays readable. */
#define STORE_ENCODING_VERSION 3

struct store_field {
	char *key;
	char *value;
};

struct store_record {
	enum store_kind kind;
	char *id;         /* primary key: case number, visit id, ... */
	char *origin;     /* the office that made the record */
	uint32_t version; /* 0 until first saved; +1 on every save */
	int64_t changed_at;
	char *changed_by;
	size_t nfields;
	size_t cap;
	struct store_field *fields; /* in the order they were first set */
	/* Field keys and values decoded or copied at once live here and are
	 * not freed one by one; change them only through store_record_set. */
	char *block;
	size_t block_len;
};

/* Short English name of a kind ("child"), for ids and logs. */
const char *store_kind_name(enum store_kind kind);

/* Records. */
struct store_record *store_record_new(enum store_kind kind);
void store_record_free(struct store_record **rec);
struct store_record *store_record_dup(const struct store_record *rec);
/* Sets a field; NULL or "" removes it. Returns XB_OK or XB_EFAIL (memory). */
int store_record_set(struct store_record *rec, const char *key, const char *value);
/* Gives rec, which has no fields yet, copies of the n fields src
 * (distinct keys, values not empty), their strings in one block: for
 * records made whole or copied, where store_record_set would allocate
 * twice a field. XB_OK, or XB_EFAIL (memory). */
int store_record_fill(struct store_record *rec, const struct store_field *src,
		      size_t n);
/* The field's value, or NULL when absent. */
const char *store_record_get(const struct store_record *rec, const char *key);
int store_record_set_id(struct store_record *rec, const char *id);
int store_record_set_origin(struct store_record *rec, const char *origin);

/* One field's change in an audit entry; before/after NULL when absent. */
struct store_change {
	char *key;
	char *before;
	char *after;
};

struct store_audit {
	uint64_t seq;
	enum store_kind kind;
	char *record_id;
	char *user;
	int64_t at;
	char *action; /* "create", "update", "exit", "import", ... */
	uint32_t version; /* the record's version after the change */
	size_t nchanges;
	struct store_change *changes;
};

void store_audit_free(struct store_audit **a);
/* Field-level differences from old (NULL: nothing before) to new. */
int store_diff(const struct store_record *old, const struct store_record *new_,
	       struct store_change **changes, size_t *n);
void store_changes_free(struct store_change *changes, size_t n);

/* Encoding. encode allocates *buf (free with free()). decode reads every
 * version up to STORE_ENCODING_VERSION and refuses others with a message. */
int store_record_encode(const struct store_record *rec, unsigned char **buf,
			size_t *len);
int store_record_decode(const void *buf, size_t len, struct store_record **out,
			struct xb_error *err);
int store_audit_encode(const struct store_audit *a, unsigned char **buf,
		       size_t *len);
int store_audit_decode(const void *buf, size_t len, struct store_audit **out,
		       struct xb_error *err);

/* The environment. */
struct store;
struct store_txn;

/* The data directory: $XIANGBAN_HOME, else $XDG_DATA_HOME/xiangban, else
 * ~/.local/share/xiangban. */
int store_default_home(char *buf, size_t len, struct xb_error *err);

/* Opens (creating, mode 0700) the environment in home and runs recovery
 * when a process died in it. store_open_pass gives the passphrase of an
 * encrypted ledger (ignored for one that is not): XB_EINVAL, with nothing
 * opened or changed, when it is needed and NULL, or wrong. */
int store_open(const char *home, struct store **out, struct xb_error *err);
int store_open_pass(const char *home, const char *passphrase,
		    struct store **out, struct xb_error *err);
/* Whether the ledger in home is encrypted at rest (crypt.c): every
 * database and log file under Berkeley DB's AES, with a key derived from
 * the passphrase; the regions, which hold decrypted pages, in shared
 * memory instead of the __db.* files. */
int store_encrypted(const char *home);
/* Starts an encrypted ledger in home: XB_EEXIST when home holds a ledger
 * already (one is never switched), XB_EINVAL for an empty passphrase. */
int store_create_encrypted(const char *home, const char *passphrase,
			   struct store **out, struct xb_error *err);
void store_close(struct store **st);

/* Called, from another thread, when this process is stuck for good inside
 * Berkeley DB: a thread has slept on one of its mutexes for 20 s, held by
 * a process that died there (nothing in Berkeley DB 5.3 frees that) or
 * one that does not let go. msg says so and what to do. The process
 * cannot go on: fn ends it or starts it again (the next process to open
 * the ledger recovers it). If fn returns, the guard asks again 20 s
 * later. */
typedef void (*store_stall_fn)(const char *msg, void *arg);
void store_on_stall(struct store *st, store_stall_fn fn, void *arg);
/* The same for every store of the process that has no fn of its own,
 * from the moment it starts opening until it has closed: a stall while
 * the tables open or at the last checkpoint is told too. */
void store_on_stall_default(store_stall_fn fn, void *arg);
const char *store_home(const struct store *st);

/* Explicit transactions for batches. Inside one, a write may return
 * XB_EDEADLOCK: abort and run the batch again. */
int store_txn_begin(struct store *st, struct store_txn **out,
		    struct xb_error *err);
int store_txn_commit(struct store_txn **txn, struct xb_error *err);
void store_txn_abort(struct store_txn **txn);

/* Runs fn inside one transaction and commits it, running it again after a
 * deadlock (with back-off) or after recovery from another process's
 * crash. fn returns XB_OK to commit, anything else to abort. */
typedef int (*store_txn_fn)(struct store *st, struct store_txn *txn, void *arg,
			    struct xb_error *err);
int store_run(struct store *st, store_txn_fn fn, void *arg,
	      struct xb_error *err);

/* Writes. txn may be NULL (one transaction of its own). `user` is who.
 *
 * insert: rec->id must be set and free; sets version 1, changed_at/by
 * (and origin if unset), writes the record, its index entries and an audit
 * entry with the action "create".
 *
 * update: the stored version must equal rec->version (else XB_ECONFLICT and
 * nothing is written); writes the record with version+1 and an audit entry
 * of every changed field under `action`. No change: XB_OK, nothing written.
 *
 * put_as_is: for records from elsewhere (import): version and
 * changed_at/by are kept; audited under `action`. */
int store_insert(struct store *st, struct store_txn *txn,
		 struct store_record *rec, const char *user,
		 struct xb_error *err);
/* store_insert audited under another action than "create" (a child added
 * from a spreadsheet: "sheet"). */
int store_insert_as(struct store *st, struct store_txn *txn,
		    struct store_record *rec, const char *user,
		    const char *action, struct xb_error *err);
int store_update(struct store *st, struct store_txn *txn,
		 struct store_record *rec, const char *user, const char *action,
		 struct xb_error *err);
int store_put_as_is(struct store *st, struct store_txn *txn,
		    const struct store_record *rec, const char *user,
		    const char *action, struct xb_error *err);

/* An audit entry about something that is not a record of the ledger (an
 * office's key binding, kept in the exchange's peers book): kind and id
 * name what it is about (history ID finds it), under txn (required). */
int store_audit_note(struct store *st, struct store_txn *txn,
		     enum store_kind kind, const char *id, const char *user,
		     const char *action, struct store_change *changes,
		     size_t nchanges, struct xb_error *err);

/* Reads one record. With a txn it is locked for update. XB_ENOTFOUND when
 * there is none. */
int store_get(struct store *st, struct store_txn *txn, enum store_kind kind,
	      const char *id, struct store_record **out, struct xb_error *err);
/* store_get that, inside txn, only reads: a shared lock held to the end
 * of txn, so that others reading it (who acts, checked by every write)
 * are not made to wait. */
int store_peek(struct store *st, struct store_txn *txn, enum store_kind kind,
	       const char *id, struct store_record **out, struct xb_error *err);

/* Every record of kind whose id starts with prefix ("CASE/": a child's
 * visits), in id order, into *out (n of them; free them with
 * store_records_free). Under txn (locked for it) when given: what a
 * write in txn needs to read of the records under the one it changes,
 * where an iterator, outside txn, would wait on txn's own locks. */
int store_get_under(struct store *st, struct store_txn *txn,
		    enum store_kind kind, const char *prefix,
		    struct store_record ***out, size_t *n, struct xb_error *err);
void store_records_free(struct store_record **recs, size_t n);

/* Counters and settings, in the same transactions as the records. */
int store_counter_next(struct store *st, struct store_txn *txn,
		       const char *name, uint64_t *out, struct xb_error *err);
/* The next serial of a record numbered under another, as in prefix
 * "220221100-00042-7/V" and ids prefix + width digits: one past the
 * largest such id of kind in the ledger, found from the table's keys
 * (no counter to store). txn is required. */
int store_serial_under(struct store *st, struct store_txn *txn,
		       enum store_kind kind, const char *prefix, int width,
		       uint64_t *out, struct xb_error *err);
/* *out is malloc'd, NULL when unset. */
int store_meta_get(struct store *st, struct store_txn *txn, const char *key,
		   char **out, struct xb_error *err);
int store_meta_set(struct store *st, struct store_txn *txn, const char *key,
		   const char *value, struct xb_error *err);

/* Users' passwords (password.c), kept apart from the records: never
 * audited, never in a bundle; only a salted scrypt hash is written.
 * set: the user's password from now on (their wrong tries forgotten).
 * any: whether any user of the ledger has a password (a ledger from
 * before accounts has none). held: whether user has one. */
int store_password_set(struct store *st, struct store_txn *txn,
		       const char *user, const char *password,
		       struct xb_error *err);
int store_password_any(struct store *st, int *any, struct xb_error *err);
int store_password_held(struct store *st, struct store_txn *txn,
			const char *user, int *held, struct xb_error *err);
/* Wrong tries in a row that lock an account, and for how long. */
#define STORE_LOCK_TRIES 5
#define STORE_LOCK_SECONDS (15 * 60)
enum store_sign_in_result {
	STORE_SIGN_IN_OK,
	STORE_SIGN_IN_WRONG,
	STORE_SIGN_IN_LOCKED,
	STORE_SIGN_IN_NO_PASSWORD,
};
struct store_sign_in {
	enum store_sign_in_result result;
	unsigned tries_left;  /* WRONG: before the account locks */
	int64_t locked_until; /* LOCKED: Unix time the lock ends */
};
/* Checks user's password at time now (Unix seconds): a wrong one counts a
 * try (the fifth in a row locks the account for STORE_LOCK_SECONDS; a
 * locked account is not even checked), a right one clears the count.
 * The answer is in *res; XB_OK unless the ledger failed. Runs its own
 * transaction. */
int store_password_check(struct store *st, const char *user,
			 const char *password, int64_t now,
			 struct store_sign_in *res, struct xb_error *err);

/* A number that grows with every change to the ledger, by any process:
 * a screen that counted the ledger need not count again while it stays. */
int store_generation(struct store *st, uint64_t *out, struct xb_error *err);

/* Iterating. Each index orders records by the named field(s):
 *   STORE_BY_ID       the primary key (for visits, reports and steps it
 *                     starts with the case number)
 *   STORE_BY_IDNUM    child "id_number"
 *   STORE_BY_NAME     child "name" and "name_py" (pinyin initials);
 *                     village "name"
 *   STORE_BY_VILLAGE  child "village_code"
 *   STORE_BY_STATUS   child "status"; request "status"
 *   STORE_BY_DUE      child "next_visit_due"
 *   STORE_BY_STAGE    report "stage"
 *   STORE_BY_NAME_ORDER child "name_sort" (names in pinyin order)
 */
enum store_index {
	STORE_BY_ID,
	STORE_BY_IDNUM,
	STORE_BY_NAME,
	STORE_BY_VILLAGE,
	STORE_BY_STATUS,
	STORE_BY_DUE,
	STORE_BY_STAGE,
	STORE_BY_NAME_ORDER,
};

/* The key of the i-th field (0 or 1) that index of kind reads, NULL when
 * there is none. The store names these fields itself, being below the
 * schema; tests/test_field_keys.c checks them against it. */
const char *store_index_field(enum store_kind kind, enum store_index index, int i);

enum store_match {
	STORE_ALL,    /* every record, key ignored */
	STORE_EXACT,  /* index key equal to key */
	STORE_PREFIX, /* index key starting with key */
	STORE_FROM,   /* index key >= key, to the end */
};

struct store_iter;
/* XB_EINVAL when the index does not exist for the kind. */
int store_iter_open(struct store *st, enum store_kind kind,
		    enum store_index index, enum store_match match,
		    const char *key, struct store_iter **out,
		    struct xb_error *err);
/* 1 with a record in *rec (the caller frees it), 0 at the end, <0 error.
 * The index key of the record is in *ikey when ikey is not NULL (owned by
 * the iterator, valid until the next call). */
int store_iter_next(struct store_iter *it, struct store_record **rec,
		    const char **ikey, struct xb_error *err);
void store_iter_close(struct store_iter **it);

/* Pages through an index from a record's place in it: the entries after
 * (ikey, id), or before it when backward (nearest first). ikey NULL starts
 * at the first entry (or the last, backward). The record at (ikey, id)
 * itself is not returned. For the primary index ikey is the id. */
int store_iter_seek(struct store *st, enum store_kind kind,
		    enum store_index index, const char *ikey, const char *id,
		    int backward, struct store_iter **out, struct xb_error *err);

/* Number of records of a kind (fast statistics of the btree). */
int store_count(struct store *st, enum store_kind kind, uint64_t *out,
		struct xb_error *err);

/* The id of the first record whose index key equals key, malloc'd into
 * *id; XB_ENOTFOUND when none. Inside txn when given. */
int store_find(struct store *st, struct store_txn *txn, enum store_kind kind,
	       enum store_index index, const char *key, char **id,
	       struct xb_error *err);

/* The ids of every record whose index key equals key, in the index's
 * order, into *ids (n of them, malloc'd; free with store_ids_free); none
 * is XB_OK with n 0. For STORE_BY_ID, the ids that start with key ("" for
 * all), the records not read. Inside txn when given. */
int store_find_ids(struct store *st, struct store_txn *txn,
		   enum store_kind kind, enum store_index index,
		   const char *key, char ***ids, size_t *n,
		   struct xb_error *err);
void store_ids_free(char **ids, size_t n);

/* Number of records whose index key equals key (secondary indexes only). */
int store_index_count(struct store *st, enum store_kind kind,
		      enum store_index index, const char *key, uint64_t *out,
		      struct xb_error *err);

/* The audit entries of a record and of every record under it (a child's
 * case number gives the child, its visits, reports and steps), oldest
 * first. fn returns 0 to go on. */
typedef int (*store_audit_fn)(const struct store_audit *a, void *arg);
int store_history(struct store *st, const char *id, store_audit_fn fn,
		  void *arg, struct xb_error *err);
/* The same, faster, for a reader that undoes changes itself: the entry
 * that made a record here is passed as written, without changes (its
 * values are the record's with every later change undone). */
int store_history_raw(struct store *st, const char *id, store_audit_fn fn,
		      void *arg, struct xb_error *err);

/* Verifies the structure of every database file of the environment at
 * home. fn is told each file and its result (0 good). Returns XB_OK when
 * all are good, XB_EFAIL otherwise. */
typedef void (*store_verify_fn)(const char *file, int ok, const char *msg,
				void *arg);
int store_verify(struct store *st, store_verify_fn fn, void *arg,
		 struct xb_error *err);

/* The exchange's books: small tables of text keyed by text, in key
 * order. PEERS: office code -> the bound key. SENT and RECEIVED: the
 * bundle logs, "OFFICE/SEQUENCE" -> what went. CONFLICTS: records changed
 * on both sides, kept for the clerk to settle. Writes need a txn. */
enum store_book {
	STORE_BOOK_PEERS,
	STORE_BOOK_SENT,
	STORE_BOOK_RECEIVED,
	STORE_BOOK_CONFLICTS,
};
struct store_pair {
	char *key;
	char *value;
};
void store_pairs_free(struct store_pair *p, size_t n);
/* XB_ENOTFOUND (err untouched) when there is no such key. */
int store_book_get(struct store *st, struct store_txn *txn,
		   enum store_book book, const char *key, char **value,
		   struct xb_error *err);
int store_book_put(struct store *st, struct store_txn *txn,
		   enum store_book book, const char *key, const char *value,
		   struct xb_error *err);
int store_book_del(struct store *st, struct store_txn *txn,
		   enum store_book book, const char *key, struct xb_error *err);
/* Every entry whose key starts with prefix (NULL: all), in key order. */
int store_book_list(struct store *st, struct store_txn *txn,
		    enum store_book book, const char *prefix,
		    struct store_pair **out, size_t *n, struct xb_error *err);
/* The entry with the greatest key starting with prefix; XB_ENOTFOUND (err
 * untouched) when none. value may be NULL. */
int store_book_last(struct store *st, struct store_txn *txn,
		    enum store_book book, const char *prefix, char **key,
		    char **value, struct xb_error *err);

/* The audit entries numbered after `after`, oldest first; fn returns 0 to
 * go on. Compared with store_generation, they tell what changed since. */
int store_audit_since(struct store *st, uint64_t after, store_audit_fn fn,
		      void *arg, struct xb_error *err);
/* Whether record id has an audit entry numbered after `after` by an
 * action other than skip_action (NULL: any). */
int store_changed_since(struct store *st, struct store_txn *txn,
			const char *id, uint64_t after, const char *skip_action,
			int *changed, struct xb_error *err);

/* The id and origin office of every record of a kind, in id order,
 * without decoding the records. fn returns 0 to go on, 1 to stop, -1 when
 * it ran out of memory. */
typedef int (*store_id_fn)(const char *id, const char *origin, void *arg);
int store_ids(struct store *st, enum store_kind kind, store_id_fn fn, void *arg,
	      struct xb_error *err);

/* Number of records of a kind whose id starts with prefix (a township's
 * children: "220221100-"), counted by key alone. */
int store_count_prefix(struct store *st, enum store_kind kind, const char *prefix,
		       uint64_t *out, struct xb_error *err);

/* Merging a record another office sent. sent_mark: our generation when
 * we last sent that office a bundle (0: never); received_since: when it
 * made the last bundle we took from it (its clock; 0: none). */
struct store_merge_marks {
	uint64_t sent_mark;
	int64_t received_since;
};
enum store_merge_result {
	STORE_MERGE_NEW,      /* not here before: added */
	STORE_MERGE_NEWER,    /* replaced an older version */
	STORE_MERGE_SAME,     /* nothing differs */
	STORE_MERGE_OLDER,    /* ours is newer: kept ours */
	STORE_MERGE_CONFLICT, /* changed on both sides: nothing written, the
				 caller keeps it for the clerk */
};
int store_merge(struct store *st, struct store_txn *txn,
		const struct store_record *in, const struct store_merge_marks *m,
		const char *user, enum store_merge_result *res,
		struct xb_error *err);

/* Tallies: how many records of a kind hold each combination of the
 * values of a few fields, kept in the ledger and changed in the same
 * transaction as every record written (insert, update, put_as_is, and so
 * merge), so that figures over the whole ledger need no pass over its
 * records. The store names the fields, as it names those it indexes,
 * and knows nothing of what they mean:
 *   STORE_TALLY_CHILD_GUARDIAN  child status, guardian_relation
 *   STORE_TALLY_CHILD_PARENTS   child status, father_status, mother_status,
 *                               father_capable, mother_capable, and the
 *                               month of birth_date (its first 7 bytes)
 *   STORE_TALLY_CHILD_BIRTH     child birth month (the first 7 bytes of
 *                               birth_date), status, the four parents'
 *                               fields above, and the whole birth_date:
 *                               a key for nearly every birth date, read
 *                               one month at a time
 *   STORE_TALLY_CHILD_DUE       child status, next_visit_due
 *   STORE_TALLY_REPORT          report status, stage, and whether
 *                               reported_at is set (its value then "")
 *   STORE_TALLY_VISIT           visits, no field: their number
 * A value longer than STORE_TALLY_VALUE_MAX bytes is counted by its first
 * STORE_TALLY_VALUE_MAX. */
enum store_tally {
	STORE_TALLY_CHILD_GUARDIAN,
	STORE_TALLY_CHILD_PARENTS,
	STORE_TALLY_CHILD_BIRTH,
	STORE_TALLY_CHILD_DUE,
	STORE_TALLY_REPORT,
	STORE_TALLY_VISIT,
	STORE_TALLY_COUNT
};
#define STORE_TALLY_SET (-1)
#define STORE_TALLY_VALUE_MAX 200

/* The key of the i-th field of a tally, NULL past its last; *kind (when
 * not NULL) the kind it counts, *cut how much of the value counts (0:
 * all; n: the first n bytes; STORE_TALLY_SET: whether it is set).
 * tests/test_field_keys.c checks the keys against the schema. */
const char *store_tally_field(enum store_tally tally, int i,
			      enum store_kind *kind, int *cut);

/* Calls fn with every combination of values tally holds and its count
 * (values[i] NULL when the field is not set), in key order; only those
 * whose first field's value is first, when first is not NULL. A ledger
 * whose tallies were never built (made before them) has them built
 * first, in one transaction with a pass over every record. fn returns 0
 * to go on. Read outside any transaction. */
typedef int (*store_tally_fn)(enum store_tally tally,
			      const char *const *values, uint64_t n, void *arg);
int store_tallies(struct store *st, enum store_tally tally, const char *first,
		  store_tally_fn fn, void *arg, struct xb_error *err);
/* Counts every record again into the tallies, inside txn (required),
 * and marks them built. */
int store_tallies_build(struct store *st, struct store_txn *txn,
			struct xb_error *err);
/* Counts every record again and compares with the tallies: *wrong is
 * how many combinations disagree (0: all agree). Tallies never built are
 * built instead (and agree). */
int store_tallies_check(struct store *st, uint64_t *wrong,
			struct xb_error *err);

/* Forces a checkpoint and removes log files no longer needed. */
int store_checkpoint(struct store *st, struct xb_error *err);

#endif
