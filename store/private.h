/* private.h - what the files of store/ share and nobody else sees. */
#ifndef XB_STORE_PRIVATE_H
#define XB_STORE_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <sys/types.h>
#include <string.h>
#include <db.h>

#include "store.h"

enum table_id {
	T_META,
	T_OFFICE,
	T_CHILD,
	T_VISIT,
	T_REPORT,
	T_STEP,
	T_USER,
	T_AUDIT,
	T_PEERS,     /* the exchange's books (book.c) */
	T_SENT,
	T_RECEIVED,
	T_CONFLICTS,
	/* secondary indexes */
	T_CHILD_IDNUM,
	T_CHILD_NAME,
	T_CHILD_VILLAGE,
	T_CHILD_STATUS,
	T_CHILD_DUE,
	T_REPORT_STAGE,
	T_AUDIT_CASE,
	T_CHILD_NAME_ORDER,
	T_VILLAGE,
	T_VILLAGE_NAME,
	T_TABLE,
	T_AID,
	T_TALLY, /* the tallies (tally.c) */
	T_REQUEST,
	T_REQUEST_STATUS,
	T_TRANSFER,
	T_COUNT
};

struct table_spec {
	enum table_id id;
	const char *file;
	enum table_id primary; /* == id for a primary table */
	enum store_kind kind;  /* 0 for meta and audit */
	enum store_index index;
	const char *fields[2]; /* record fields that make the index key */
};

extern const struct table_spec store_tables[T_COUNT];

/* A tally (tally.c): how many records of kind hold each combination of
 * the values of fields; cut[i] keeps the first cut[i] bytes of a value
 * (0: all of it; STORE_TALLY_SET: only whether it is set). */
enum { STORE_TALLY_FIELDS_MAX = 7 };
struct tally_spec {
	enum store_kind kind;
	int nfields;
	const char *fields[STORE_TALLY_FIELDS_MAX];
	int cut[STORE_TALLY_FIELDS_MAX];
};
extern const struct tally_spec store_tally_specs[STORE_TALLY_COUNT];

/* Changes to the tallies by a transaction, by tally key (open
 * addressing, cap a power of two), written at commit. */
struct tally_delta {
	unsigned char *key; /* NULL: a free slot */
	size_t len;
	int64_t n;
	int seen; /* for store_tallies_check */
};
struct tally_map {
	struct tally_delta *slots;
	size_t used, cap;
};

/* The keys under which index table t lists rec: its fields, skipped when
 * empty, never the same twice; they point into rec. Returns how many. */
int store_index_keys(enum table_id t, const struct store_record *rec,
		     const char *keys[2]);

/* At-rest encryption of a ledger (crypt.c). */
#define STORE_KDF_FILE "ledger.kdf"
struct store_crypt {
	int on;
	char dbpass[65]; /* the derived key, hex: Berkeley DB's password */
	long shm_key;    /* base key of the regions in shared memory */
};

/* Writes STORE_KDF_FILE for a new encrypted ledger in home (a new salt
 * and shared-memory key) and fills *c; XB_EINVAL for an empty passphrase. */
int store_crypt_create(const char *home, const char *passphrase,
		       struct store_crypt *c, struct xb_error *err);
/* Derives the key of the encrypted ledger in home; XB_EINVAL when the
 * passphrase is NULL or wrong (told apart by the file's check value). */
int store_crypt_load(const char *home, const char *passphrase,
		     struct store_crypt *c, struct xb_error *err);
/* Sets an environment handle (unless NULL) up for c: the password and
 * the regions' shared-memory key; adds DB_SYSTEM_MEM to the open flags
 * *flags. Nothing when c is off. */
void store_crypt_env(const struct store_crypt *c, DB_ENV *env, u_int32_t *flags);
/* Removes the shared-memory regions unless a process still uses them. */
void store_crypt_remove_regions(const char *home, const struct store_crypt *c);

struct store {
	char *home;
	struct store_crypt crypt; /* wiped at close */
	DB_ENV *env;
	DB *db[T_COUNT];
	volatile sig_atomic_t panicked; /* set by the event callback */
	/* A lock wait timed out: perhaps a process died holding the lock.
	 * The next run or iterator reopens the environment, which recovers
	 * it if so (DB_REGISTER). */
	volatile sig_atomic_t suspect;
	/* Cursors and transactions open: a reopen replaces every handle, so
	 * it waits until none is. */
	int in_use;
	unsigned commits;
	/* The ledger was recovered (or found in use) in this boot of the
	 * machine (env.c, recover_after_boot): closing may leave the pages
	 * it changed in the regions, for the log to replay after a power
	 * cut. Not known: every close writes the tables out. */
	int boot_known;
	/* This process wrote its commit witness (env.c) since it opened. */
	int witnessed;
	/* The last commit's outcome is unknown: it must not be run again. */
	int commit_unknown;
	/* The keeper thread: expires timed-out lock waits (the deadlock
	 * detector), runs failchk while a wait runs long, checkpoints. */
	pthread_t keeper;
	int keeper_running;
	atomic_int keeper_stop; /* set by the main thread */
	atomic_int guard_stop;  /* likewise, once the environment is closed */
	atomic_int keeper_checkpoints; /* the tables are open */
	atomic_int keeper_ktid;        /* the keeper's kernel thread id */
	/* The guard thread: tells the program when this process is stuck
	 * for good on what a dead process held (env.c, guard_main). It
	 * sleeps on guard_cv, which keeper_end signals. */
	pthread_t guard;
	int guard_running;
	pthread_mutex_t guard_mu;
	pthread_cond_t guard_cv;
	/* The keeper sleeps its tick on keeper_cv, which keeper_end
	 * signals: closing the ledger does not wait out a tick. */
	pthread_mutex_t keeper_mu;
	pthread_cond_t keeper_cv;
	_Atomic(store_stall_fn) on_stall;
	void *stall_arg;
	/* Entries into Berkeley DB by threads other than the keeper. */
	atomic_ulong entries;
	/* When (monotonic ms) a wait of this process last ran long. */
	atomic_llong wait_mark;
	long long failchk_at; /* the keeper's (and open's) last failchk */
	long long scan_at;    /* the last look at the registry while waiting */
	/* A wait for a lock ran out the store's bound: the next message
	 * about a refused lock names who holds the ledger. */
	int gave_up;
	/* A reopen gives up at this time (monotonic ms; 0: its own bound). */
	long long deadline;
	char lasterr[256]; /* Berkeley DB's own last message */
};

/* A counter bumped in a transaction (write.c). */
struct txn_counter {
	char *key; /* NULL: a free slot */
	uint64_t value;
	int derived; /* found from a table's keys (store_serial_under): not stored */
};

/* Audit entries of one case with consecutive numbers, written in one
 * transaction: the index by case lists them as one entry. */
struct audit_run {
	char *case_no;
	uint64_t first, last;
};

struct store_txn {
	struct store *st;
	DB_TXN *txn;
	/* The index by case of the entries this transaction wrote, put at
	 * the commit (store_audit_runs_write): adding a child with its
	 * visits makes one index entry, not one an entry. */
	struct audit_run *runs;
	size_t nruns, runcap;
	/* The entries of the last run not put into audit.db yet: they go as
	 * one record when the run ends or fills, or the transaction commits
	 * or reads the trail (store_audit_runs_write). STORE_RUN_HEADER_MAX
	 * bytes stay free before the body for the header. */
	unsigned char *pending;
	size_t pending_len, pending_cap;
	uint64_t pending_first, pending_n;
	/* The counters this transaction bumps, by key (open addressing,
	 * cap a power of two): each is read, and so locked for writing, the
	 * first time, counted here, and written once, at commit. */
	struct txn_counter *counters;
	size_t ncounters, cap;
	/* The tallies' changes, written at commit (store_tallies_flush). */
	struct tally_map tallies;
};

/* Puts the audit runs of t into the index by case and forgets them; the
 * commit does it, and a read of the index inside t first. */
int store_audit_runs_write(struct store_txn *t, struct xb_error *err);
void store_audit_runs_free(struct store_txn *t);

/* Reads into d each audit entry that an entry of the index by case
 * lists and calls fn with it, until fn returns non-zero. Returns the
 * Berkeley DB code; DB_SECONDARY_BAD when the index is damaged. */
int store_audit_listed(struct store *st, DB_TXN *txn, const DBT *entry, DBT *d,
		       int (*fn)(const DBT *d, void *arg), void *arg);

/* An audit entry's key: its number, big-endian, so keys sort by it. An
 * entry of the index by case holds one key, or two (the first and last
 * of a run of consecutive numbers). */
static inline void store_seq_key(uint64_t seq, unsigned char key[8])
{
	for (int i = 0; i < 8; i++)
		key[i] = (unsigned char)(seq >> (56 - 8 * i));
}

static inline uint64_t store_seq_of(const unsigned char *key)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | key[i];
	return v;
}

/* The tallies (tally.c). A record written over old (NULL: new) moves
 * one count from old's combination to its own, in t's map. */
int store_tally_change(struct store_txn *t, const struct store_record *old,
		       const struct store_record *nw, struct xb_error *err);
/* Writes t's tally changes, before it commits; frees them. */
int store_tallies_flush(struct store_txn *t, struct xb_error *err);
void store_tallies_free(struct store_txn *t);

/* Writes the counters a transaction bumped, before it commits. */
int store_counters_flush(struct store_txn *t, struct xb_error *err);
void store_counters_free(struct store_txn *t);

/* No wait of the store lasts longer than this: a write still refused, a
 * read, opening the ledger. Then the caller is told who holds the
 * ledger. */
enum { WRITE_PATIENCE_MS = 30000 };

/* Sorts a Berkeley DB return code into ours and fills err (errors.c). */
int store_dberr(struct store *st, struct xb_error *err, int ret,
		const char *what);
/* Tells in err who holds the ledger when a wait ran out; returns code. */
int store_holders_fail(struct store *st, struct xb_error *err, int code,
		       const char *what);

/* The processes registered in the environment (DB_REGISTER's file), other
 * than this one: how many are alive, up to max of their pids in pids, and
 * whether one died without leaving (its slot is kept but its lock gone:
 * the next process to open the environment recovers it). A registered
 * process holds an fcntl lock on its slot; F_GETLK names the holder. */
struct registry_scan {
	int alive;
	int dead;
	long pids[4];
};
void store_registry_scan(const char *home, struct registry_scan *r);

/* Opens and closes the table handles of an open environment. */
int store_tables_open(struct store *st, struct xb_error *err);
/* nosync: do not flush (a page pinned by a dead process would make the
 * flush wait for good; recovery redoes everything from the log). */
void store_tables_close(struct store *st, int nosync);

/* Table of a record kind. */
enum table_id store_kind_table(enum store_kind kind);
/* Secondary index table for (kind, index), or T_COUNT if none. */
enum table_id store_index_table(enum store_kind kind, enum store_index index);

/* Reopens the environment after another process crashed in it. */
int store_reopen(struct store *st, struct xb_error *err);
/* The store's transactions never block on a lock (a lock left by a
 * process killed mid-write would hold a waiter for good): after a lock
 * was not granted, sleeps a little and returns 1 to try again. Past a
 * second it has the keeper run failchk (which frees a dead process's
 * locks); past LOCK_PATIENCE, a dead process still registered marks the
 * store for healing (reopen, recovery) and it returns 0; and it returns
 * 0 once *since (zero on the first call) is WRITE_PATIENCE ago, the
 * bound of every wait, leaving a message naming who holds the ledger for
 * store_dberr. A live holder, even a stopped one, is waited for. */
int store_wait_lock(struct store *st, struct timespec *since, int attempt);
/* A transaction for reading: read-committed, never waits for a lock. */
int store_read_begin(struct store *st, DB_TXN **txn);

/* A read, in txn: the caller's or a read transaction of store_read_run's.
 * Returns the Berkeley DB code. It may run again in a fresh transaction:
 * it starts from what arg held before the first run, not from what a
 * failed run left (or undoes that first). */
typedef int (*store_read_fn)(struct store *st, DB_TXN *txn, void *arg);
/* Runs fn in the caller's txn, once, when txn is not NULL (a refused lock
 * there is the caller's to handle, as in any write transaction); else in
 * a read transaction of its own, run again in a fresh one after a refused
 * lock (store_wait_lock) or after reopening a ledger another process's
 * crash left for recovery, within the store's bound of every wait.
 * Returns fn's Berkeley DB code, or that of beginning the transaction.
 * The reads of store/ run here; store_run is its counterpart for writes. */
int store_read_run(struct store *st, DB_TXN *txn, store_read_fn fn, void *arg);
/* store_read_run without a caller's transaction, recovering from a crash
 * elsewhere before every try (store_heal), as a cursor over several
 * tables needs: else it only reports that the ledger needs recovery.
 * Returns XB_OK with fn's Berkeley DB code in *dbret, or the failed
 * heal's code (err says why). */
int store_read_run_healing(struct store *st, store_read_fn fn, void *arg,
			   int *dbret, struct xb_error *err);

/* Reopens when a crash elsewhere is known or suspected and no cursor of
 * this process is open; XB_OK when nothing needed doing. */
int store_heal(struct store *st, struct xb_error *err);
/* Called after every commit: checkpoints now and then. */
void store_after_commit(struct store *st);

/* A DBT over bytes the caller keeps (for keys and data going in). */
static inline void store_dbt_in(DBT *d, const void *data, size_t len)
{
	memset(d, 0, sizeof(*d));
	d->data = (void *)data;
	d->size = (u_int32_t)len;
}

/* Reads key from a table: under txn with a write lock, else in a read
 * transaction of its own (store_read_run). *out is malloc'd.
 * Returns the Berkeley DB code. */
int store_raw_get(struct store *st, DB_TXN *txn, enum table_id t,
		  const char *key, void **out, size_t *len);
/* The same with the flags of DB->get given: under txn they are all. */
int store_raw_read(struct store *st, DB_TXN *txn, enum table_id t,
		   const char *key, u_int32_t flags, void **out, size_t *len);
/* The len bytes a raw read gave (data, taken) as a string in *out:
 * XB_OK, or XB_EFAIL (memory; data is freed). */
int store_raw_string(void *data, size_t len, char **out, struct xb_error *err);
/* Writes a setting or counter of meta.db in txn. */
int store_meta_put(struct store *st, DB_TXN *txn, const char *key,
		   const char *value, struct xb_error *err);

/* Runs of audit entries, one record of audit.db each (codec.c): the
 * body is built entry by entry (a length, then the entry's encoding),
 * and the header, at most STORE_RUN_HEADER_MAX bytes, goes before it. */
enum { STORE_RUN_HEADER_MAX = 8, STORE_RUN_MAX = 64 /* entries a record */ };
int store_audit_run_add(unsigned char **body, size_t *len, size_t *cap,
			const unsigned char *entry, size_t elen);
size_t store_audit_run_header(unsigned char out[STORE_RUN_HEADER_MAX], uint64_t n);
/* 1 when buf is a run, with its count in *n and *off where its entries
 * begin; 0 when it is a single entry; -1 when it is a damaged run. */
int store_audit_run_entries(const void *buf, size_t len, uint64_t *n,
			    size_t *off);
/* The entry of the run at *off (moved past it); -1 when damaged. */
int store_audit_run_next(const void *buf, size_t len, size_t *off,
			 const void **entry, size_t *elen);

/* Appends a field without looking for an existing one: for decoding,
 * where keys never repeat. key and value are in rec->block, or key is
 * malloc'd and holds value after its NUL (see record.c). */
int store_record_append(struct store_record *rec, char *key, char *value);

/* store_diff without copying: the changes point into old and new_, and
 * only the array is to be freed (free()). */
int store_diff_borrow(const struct store_record *old,
		      const struct store_record *new_,
		      struct store_change **changes, size_t *n);

/* Finds a field in an encoded record without decoding it all. Returns 1
 * and points *val into buf when found, 0 when absent, -1 when malformed. */
int store_codec_find(const void *buf, size_t len, const char *key,
		     const char **val, size_t *vlen);
/* Points *origin at the origin office inside an encoded record. */
int store_codec_origin(const void *buf, size_t len, const char **origin,
		       size_t *olen);

#endif
