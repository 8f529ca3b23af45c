/* tables.c - the ledger's tables (one file each) and their secondary
 * indexes, kept by Berkeley DB in the same transaction as the record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

enum { RECORD_PAGE_SIZE = 16 * 1024 };

const struct table_spec store_tables[T_COUNT] = {
	{ T_META, "meta.db", T_META, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_OFFICE, "offices.db", T_OFFICE, STORE_OFFICE, STORE_BY_ID, { NULL, NULL } },
	{ T_CHILD, "children.db", T_CHILD, STORE_CHILD, STORE_BY_ID, { NULL, NULL } },
	{ T_VISIT, "visits.db", T_VISIT, STORE_VISIT, STORE_BY_ID, { NULL, NULL } },
	{ T_REPORT, "reports.db", T_REPORT, STORE_REPORT, STORE_BY_ID, { NULL, NULL } },
	{ T_STEP, "steps.db", T_STEP, STORE_STEP, STORE_BY_ID, { NULL, NULL } },
	{ T_USER, "users.db", T_USER, STORE_USER, STORE_BY_ID, { NULL, NULL } },
	{ T_AUDIT, "audit.db", T_AUDIT, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_PEERS, "peers.db", T_PEERS, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_SENT, "bundles_sent.db", T_SENT, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_RECEIVED, "bundles_received.db", T_RECEIVED, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_CONFLICTS, "conflicts.db", T_CONFLICTS, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_CHILD_IDNUM, "children_by_idnum.db", T_CHILD, STORE_CHILD,
	  STORE_BY_IDNUM, { "id_number", NULL } },
	{ T_CHILD_NAME, "children_by_name.db", T_CHILD, STORE_CHILD,
	  STORE_BY_NAME, { "name", "name_py" } },
	{ T_CHILD_VILLAGE, "children_by_village.db", T_CHILD, STORE_CHILD,
	  STORE_BY_VILLAGE, { "village_code", NULL } },
	{ T_CHILD_STATUS, "children_by_status.db", T_CHILD, STORE_CHILD,
	  STORE_BY_STATUS, { "status", NULL } },
	{ T_CHILD_DUE, "children_by_due.db", T_CHILD, STORE_CHILD, STORE_BY_DUE,
	  { "next_visit_due", NULL } },
	{ T_REPORT_STAGE, "reports_by_stage.db", T_REPORT, STORE_REPORT,
	  STORE_BY_STAGE, { "stage", NULL } },
	{ T_AUDIT_CASE, "audit_by_case.db", T_AUDIT, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_CHILD_NAME_ORDER, "children_by_name_order.db", T_CHILD, STORE_CHILD,
	  STORE_BY_NAME_ORDER, { "name_sort", NULL } },
	/* last, so the files before it keep their place in every loop */
	{ T_VILLAGE, "villages.db", T_VILLAGE, STORE_VILLAGE, STORE_BY_ID, { NULL, NULL } },
	{ T_VILLAGE_NAME, "villages_by_name.db", T_VILLAGE, STORE_VILLAGE,
	  STORE_BY_NAME, { "name", NULL } },
	{ T_TABLE, "tables.db", T_TABLE, STORE_TABLE, STORE_BY_ID, { NULL, NULL } },
	{ T_AID, "aid.db", T_AID, STORE_AID, STORE_BY_ID, { NULL, NULL } },
	{ T_TALLY, "tallies.db", T_TALLY, 0, STORE_BY_ID, { NULL, NULL } },
	{ T_REQUEST, "requests.db", T_REQUEST, STORE_REQUEST, STORE_BY_ID, { NULL, NULL } },
	{ T_REQUEST_STATUS, "requests_by_status.db", T_REQUEST, STORE_REQUEST,
	  STORE_BY_STATUS, { "status", NULL } },
	{ T_TRANSFER, "transfers.db", T_TRANSFER, STORE_TRANSFER, STORE_BY_ID,
	  { NULL, NULL } },
};

/* The tallies, declared like the indexes: the store counts records by
 * these fields' values and knows nothing of what they mean (forms/
 * composes its figures from them). A birth date is tallied by its month
 * (its first 7 bytes, "2010-05") beside the parents, a report's
 * reported_at by whether it is set: anything finer would make a key for
 * nearly every record. CHILD_BIRTH holds whole birth dates, but is read
 * one month at a time (its first field). */
const struct tally_spec store_tally_specs[STORE_TALLY_COUNT] = {
	[STORE_TALLY_CHILD_GUARDIAN] = { STORE_CHILD, 2,
		{ "status", "guardian_relation" }, { 0, 0 } },
	[STORE_TALLY_CHILD_PARENTS] = { STORE_CHILD, 6,
		{ "status", "father_status", "mother_status", "father_capable",
		  "mother_capable", "birth_date" },
		{ 0, 0, 0, 0, 0, 7 } },
	[STORE_TALLY_CHILD_BIRTH] = { STORE_CHILD, 7,
		{ "birth_date", "status", "father_status", "mother_status",
		  "father_capable", "mother_capable", "birth_date" },
		{ 7, 0, 0, 0, 0, 0, 0 } },
	[STORE_TALLY_CHILD_DUE] = { STORE_CHILD, 2,
		{ "status", "next_visit_due" }, { 0, 0 } },
	[STORE_TALLY_REPORT] = { STORE_REPORT, 3,
		{ "status", "stage", "reported_at" }, { 0, 0, STORE_TALLY_SET } },
	[STORE_TALLY_VISIT] = { STORE_VISIT, 0, { NULL }, { 0 } },
};

const char *store_tally_field(enum store_tally tally, int i,
			      enum store_kind *kind, int *cut)
{
	if ((int)tally < 0 || tally >= STORE_TALLY_COUNT)
		return NULL;
	const struct tally_spec *s = &store_tally_specs[tally];
	if (kind != NULL)
		*kind = s->kind;
	if (i < 0 || i >= s->nfields)
		return NULL;
	if (cut != NULL)
		*cut = s->cut[i];
	return s->fields[i];
}

const char *store_index_field(enum store_kind kind, enum store_index index, int i)
{
	if (i < 0 || i > 1)
		return NULL;
	for (int t = 0; t < T_COUNT; t++)
		if (store_tables[t].kind == kind && store_tables[t].index == index &&
		    store_tables[t].primary != (enum table_id)t)
			return store_tables[t].fields[i];
	return NULL;
}

enum table_id store_kind_table(enum store_kind kind)
{
	switch (kind) {
	case STORE_OFFICE: return T_OFFICE;
	case STORE_CHILD: return T_CHILD;
	case STORE_VISIT: return T_VISIT;
	case STORE_REPORT: return T_REPORT;
	case STORE_STEP: return T_STEP;
	case STORE_USER: return T_USER;
	case STORE_VILLAGE: return T_VILLAGE;
	case STORE_TABLE: return T_TABLE;
	case STORE_AID: return T_AID;
	case STORE_REQUEST: return T_REQUEST;
	case STORE_TRANSFER: return T_TRANSFER;
	}
	return T_COUNT;
}

enum table_id store_index_table(enum store_kind kind, enum store_index index)
{
	if (index == STORE_BY_ID)
		return store_kind_table(kind);
	for (int i = 0; i < T_COUNT; i++)
		if (store_tables[i].primary != (enum table_id)i &&
		    store_tables[i].kind == kind && store_tables[i].index == index)
			return (enum table_id)i;
	return T_COUNT;
}

int store_index_keys(enum table_id t, const struct store_record *rec,
		     const char *keys[2])
{
	const struct table_spec *spec = &store_tables[t];
	int n = 0;
	for (int i = 0; i < 2 && spec->fields[i] != NULL; i++) {
		const char *v = store_record_get(rec, spec->fields[i]);
		if (v == NULL || *v == '\0' || (n == 1 && strcmp(keys[0], v) == 0))
			continue;
		keys[n++] = v;
	}
	return n;
}

int store_tables_open(struct store *st, struct xb_error *err)
{
	for (int i = 0; i < T_COUNT; i++) {
		const struct table_spec *spec = &store_tables[i];
		DB *db;
		int ret = db_create(&db, st->env, 0);
		if (ret != 0)
			return store_dberr(st, err, ret, spec->file);
		st->db[i] = db;
		db->app_private = (void *)spec;
		/* An encrypted ledger: every table (the environment's
		 * password, set by env.c). */
		if (st->crypt.on)
			db->set_flags(db, DB_ENCRYPT);
		/* An index holds (key, record id) pairs, written by write.c
		 * next to the record. Berkeley DB's associate() would keep
		 * them itself, but at a price: on every write it reads the
		 * record's old version and rewrites every key of every
		 * index, changed or not. The files are the same either way. */
		if (spec->primary != spec->id)
			db->set_flags(db, DB_DUPSORT);
		else
			/* A record (a child's is 1-2 KB, more with notes) and
			 * its "create" audit entry must fit on a page: with
			 * 4 KB pages anything over ~1 KB goes to overflow
			 * pages, a whole page each, rewritten on every update.
			 * Only new files take it; old ones keep their size. */
			db->set_pagesize(db, RECORD_PAGE_SIZE);
		ret = db->open(db, NULL, spec->file, NULL, DB_BTREE,
			       DB_CREATE | DB_AUTO_COMMIT | DB_THREAD, 0600);
		if (ret != 0)
			return store_dberr(st, err, ret, spec->file);
	}
	return XB_OK;
}

void store_tables_close(struct store *st, int nosync)
{
	for (int i = T_COUNT - 1; i >= 0; i--) {
		if (st->db[i] != NULL) {
			st->db[i]->close(st->db[i], nosync ? DB_NOSYNC : 0);
			st->db[i] = NULL;
		}
	}
}
