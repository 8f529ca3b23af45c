/* exchange.h - the bundles offices carry to each other on a USB stick:
 * making and taking them, and what they leave behind. The keys they are
 * signed and encrypted with, and the binding of each office to its key,
 * are keys/'s (keys.h).
 *
 *   export.c   a bundle made: plan, the encrypted stream into a temporary
 *              file, read back, logged
 *   import.c   a bundle taken: manifest, signer and order checked first,
 *              then its records checked and merged in one transaction
 *   reader.c   import's reading thread: plaintext cut into lines, parsed
 *   records.c  records as the JSON lines of a bundle, what a bundle may
 *              carry, the JSON helpers
 *   digest.c   SHA-256 of a bundle's file and plaintext (libgcrypt)
 *   offices.c  peers with their last bundles, children per office, the
 *              bundle logs, conflicts and their settling
 *   transfer.c a child's file transferred to another township: the file
 *              as JSON, the transfer made, taken in, and read back
 *   private.h  what those files share
 *
 * A bundle is one OpenPGP message, signed by the sending office's key and
 * encrypted to the receiver's and the sender's own, so `gpg --decrypt`
 * reads it without xiangban. Inside, UTF-8 JSON Lines: a manifest, then
 * one line a record, its fields in the order of the schema in forms/.
 *
 * Only a key bound to an office code (keys_peer_bind, after the clerk
 * confirmed its fingerprint, read out by phone) is trusted; the GPG web of
 * trust is not used. The logs of what was sent and received live in the
 * store's books. Like every library module it never prints and never
 * exits. */
#ifndef XB_EXCHANGE_H
#define XB_EXCHANGE_H

#include <stdint.h>

#include "../common/status.h"
#include "../store/store.h"
#include "../keys/keys.h"

#define BUNDLE_FORMAT "xiangban-bundle"
#define BUNDLE_FORMAT_VERSION 1

/* Told now and then how far a long export or import has come. */
typedef void (*bundle_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* --- peers and their bundles --- */

/* A bound office (keys_peer) with the last bundle each way. */
struct bundle_peer {
	char code[13];
	char name[128];
	char fpr[KEYS_FPR_LEN + 1];
	int revoked;
	int64_t bound_at;
	char bound_by[64];
	/* the last bundle each way, 0 when none */
	uint64_t sent_seq;
	int64_t sent_at;
	uint64_t received_seq;
	int64_t received_at; /* when the sender made it */
};

/* Every office ever bound (revoked ones too), by code, with its last
 * bundles. *out is malloc'd. */
int bundle_peers(struct store *st, struct bundle_peer **out, size_t *n,
		 struct xb_error *err);
int bundle_peer_get(struct store *st, const char *code, struct bundle_peer *out,
		    struct xb_error *err);
/* The children of office code (a township) this ledger holds that are in
 * the ledger (those who left it not counted). */
int bundle_office_children(struct store *st, const char *code, uint64_t *out,
			   struct xb_error *err);

/* When a bundle from a township (at its county) or a county (at its
 * city) is due: each month's figures by the due day of the next month
 * (the day this office set, else the 5th). */
struct bundle_due {
	int applies;     /* p reports to this office */
	char period[8];  /* the last month that ended: "2026-11" */
	char due[11];    /* its bundle's due day */
	int awaited;     /* no bundle made after that month's end has come */
	int late;        /* awaited, and the due day has passed */
};
int bundle_office_due(struct store *st, const struct bundle_peer *p,
		      const char *today, struct bundle_due *out,
		      struct xb_error *err);
/* The due day of the month (1-28) this office set; 5 when unset. */
int bundle_due_day(struct store *st, int *day, struct xb_error *err);
int bundle_set_due_day(struct store *st, int day, const char *user,
		       struct xb_error *err);

/* --- export --- */

struct bundle_counts {
	uint64_t kind[STORE_KIND_MAX + 1];
	uint64_t total;
};

struct bundle_export_result {
	char path[4096];
	uint64_t sequence;
	struct bundle_counts counts;
	uint64_t bytes;
	char sha256[65];
};

/* Writes the records changed since the last bundle to office `to` (all of
 * them with BUNDLE_ALL) into a new bundle file in dir, reads it back and
 * verifies it; only then is the sequence advanced and the bundle logged.
 * On any failure (a full disk, a pulled stick) no file is left and the
 * sequence stays. With BUNDLE_TABLES_ONLY, a township sends its county
 * only the statistics tables filed since (between full bundles): the
 * next full bundle still carries every other change since the last full
 * one. */
#define BUNDLE_ALL 1u
#define BUNDLE_TABLES_ONLY 2u
int bundle_export(struct store *st, struct keys *k, const char *to,
		  const char *dir, unsigned flags, const char *user,
		  bundle_progress_fn progress, void *parg,
		  struct bundle_export_result *res, struct xb_error *err);

/* What the next bundle to office `to` would carry now: the records
 * changed since the last one (every record when there was none), counted
 * by kind; the tables of periods ended since are filed at the export. */
int bundle_pending(struct store *st, const char *to, struct bundle_counts *out,
		   struct xb_error *err);

/* --- import --- */

struct bundle_import_result {
	char from[13];
	uint64_t sequence;
	int duplicate;     /* imported before: nothing changed */
	uint64_t missing;  /* bundles skipped over with allow_gap */
	struct bundle_counts counts;
	uint64_t added, replaced, same, older, conflicts;
	uint64_t transfers_in; /* children transferred to this township who
				  came with it (transfer.c) */
	char signer[KEYS_FPR_LEN + 1];
};

/* Imports the bundle at path: refused unless the signature is good and
 * made by the key bound to the office the manifest names, the bundle is
 * addressed to this office, its versions are known, it follows the last
 * one from that office (a gap only with allow_gap) and every record
 * passes the schema. Everything lands in one transaction or nothing. */
int bundle_import(struct store *st, struct keys *k, const char *path,
		  int allow_gap, const char *user, bundle_progress_fn progress,
		  void *parg, struct bundle_import_result *res,
		  struct xb_error *err);

/* --- transfers (transfer.c) --- */

/* Transfers child case_no to township `to` of the county (to_name, date
 * and reason may be NULL): ledger_child_transfer with the file made here
 * (the child, its visits, reports and steps as bundle lines, in one JSON
 * object). The transfer rides the next bundle to the county, which
 * passes it on to that township. id (LEDGER_CASE_MAX bytes, may be NULL)
 * gets the transfer's id. A transfer closes the file here, so a clerk's
 * waits for a leader: request (LEDGER_REQUEST_MAX bytes) gets the id of
 * the request made instead, and id stays empty. */
int bundle_child_transfer(struct store *st, const char *case_no, const char *to,
			  const char *to_name, const char *date,
			  const char *reason, const char *user, char *id,
			  char *request, struct xb_error *err);
/* ledger_request_approve for any request, a transfer's too: its file is
 * made here as the child's stands when approved. */
int bundle_request_approve(struct store *st, const char *user, const char *id,
			   const char *comment, struct xb_error *err);

/* The file a child transferred in came with, for the new file to show:
 * fn is called with the transfer (kind transfer), then each record of the
 * file as the sending township held it: the child, its visits, reports
 * and steps (records of the sending township, not of this ledger). The
 * visits and reports are kept there, not copied in as records: they were
 * counted in the sending township's tables and must not count again
 * here. XB_ENOTFOUND (err untouched) when child came by no transfer this
 * ledger holds. fn returns 0 to go on. */
typedef int (*bundle_record_fn)(const struct store_record *rec, void *arg);
int bundle_transfer_file(struct store *st, const struct store_record *child,
			 bundle_record_fn fn, void *arg, struct xb_error *err);

/* --- conflicts --- */

struct bundle_conflict {
	enum store_kind kind;
	char id[64];
	char from[13];
	uint64_t sequence;
	int64_t at;              /* when it was imported */
	uint32_t ours_version, theirs_version;
	struct store_record *theirs; /* as the other office has it */
};

int bundle_conflicts(struct store *st, struct bundle_conflict **out,
		     size_t *n, struct xb_error *err);
void bundle_conflicts_free(struct bundle_conflict *c, size_t n);
/* Settles the conflict on record id: keeps ours or takes theirs as a new
 * version above both, which the next bundle carries to the other side. */
int bundle_settle(struct store *st, const char *id, int take_theirs,
		  const char *user, struct xb_error *err);

/* The office key made (keys_create), an office's key bound or replaced
 * (keys_peer_bind, keys_peer_replace), or revoked (keys_peer_revoke), for
 * a user who may exchange bundles and keys (LEDGER_EXCHANGE). */
int bundle_key_create(struct store *st, struct keys *k, const char *user,
		      const char *code, const char *name, const char *passphrase,
		      struct keys_info *out, struct xb_error *err);
int bundle_peer_bind(struct store *st, struct keys *k, const char *code,
		     const char *name, const char *fpr, int replace,
		     const char *user, struct xb_error *err);
int bundle_peer_revoke(struct store *st, const char *code, const char *user,
		       struct xb_error *err);

/* The log of bundles: sent (to an office) or received (from one), newest
 * last. Each entry is the JSON object the log holds. */
int bundle_log(struct store *st, int received, const char *office,
	       struct store_pair **out, size_t *n, struct xb_error *err);

#endif
