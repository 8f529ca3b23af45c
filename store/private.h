/* private.h - what the files of store/ share and nobody else sees. */
#ifndef XB_STORE_PRIVATE_H
#define XB_STORE_PRIVATE_H

#include <signal.h>
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
	/* secondary indexes */
	T_CHILD_IDNUM,
	T_CHILD_NAME,
	T_CHILD_VILLAGE,
	T_CHILD_STATUS,
	T_CHILD_DUE,
	T_REPORT_STAGE,
	T_AUDIT_CASE,
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

struct store {
	char *home;
	DB_ENV *env;
	DB *db[T_COUNT];
	volatile sig_atomic_t panicked; /* set by the event callback */
	unsigned commits;
	char lasterr[256]; /* Berkeley DB's own last message */
};

struct store_txn {
	struct store *st;
	DB_TXN *txn;
};

/* Sorts a Berkeley DB return code into ours and fills err. */
int store_dberr(struct store *st, struct xb_error *err, int ret,
		const char *what);

/* Opens and closes the table handles of an open environment. */
int store_tables_open(struct store *st, struct xb_error *err);
void store_tables_close(struct store *st);

/* Table of a record kind. */
enum table_id store_kind_table(enum store_kind kind);
/* Secondary index table for (kind, index), or T_COUNT if none. */
enum table_id store_index_table(enum store_kind kind, enum store_index index);

/* Reopens the environment after another process crashed in it. */
int store_reopen(struct store *st, struct xb_error *err);
/* Called after every commit: checkpoints now and then. */
void store_after_commit(struct store *st);

/* Finds a field in an encoded record without decoding it all. Returns 1
 * and points *val into buf when found, 0 when absent, -1 when malformed. */
int store_codec_find(const void *buf, size_t len, const char *key,
		     const char **val, size_t *vlen);
/* Points *id at the record id inside an encoded audit entry. */
int store_codec_audit_id(const void *buf, size_t len, const char **id,
			 size_t *idlen);

#endif
