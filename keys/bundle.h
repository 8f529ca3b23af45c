/* bundle.h - the bundles offices carry to each other on a USB stick, and
 * the peers they trust.
 *
 * A bundle is one OpenPGP message, signed by the sending office's key and
 * encrypted to the receiver's and the sender's own, so `gpg --decrypt`
 * reads it without xiangban. Inside, UTF-8 JSON Lines: a manifest, then
 * one line a record, its fields in the order of the schema in forms/.
 *
 * Only a key bound to an office code (after the clerk confirmed its
 * fingerprint, read out by phone) is trusted; the GPG web of trust is not
 * used. The bindings and the logs of what was sent and received live in
 * the store's books. */
#ifndef XB_BUNDLE_H
#define XB_BUNDLE_H

#include <stdint.h>

#include "../common/status.h"
#include "../store/store.h"
#include "keys.h"

#define BUNDLE_FORMAT "xiangban-bundle"
#define BUNDLE_FORMAT_VERSION 1

/* Told now and then how far a long export or import has come. */
typedef void (*bundle_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* --- peers --- */

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

/* 1 when code is an office code a peer can have: 6 digits (a county) or
 * 9 (a township). */
int bundle_office_code_valid(const char *code);

/* What binding a key to an office would do (bundle_bind_check). */
struct bundle_bind_plan {
	char code[13];
	char fpr[KEYS_FPR_LEN + 1];     /* the key to bind */
	char old_fpr[KEYS_FPR_LEN + 1]; /* bound to code now, "" when none */
	int old_revoked;                /* that binding was revoked */
	int same;                       /* code is bound to this key already */
};

/* The rules of binding, checked before a key is imported or a question
 * asked, and again inside the transaction that binds. key is what
 * keys_peek_file or keys_lookup told. Refused (XB_EINVAL) when code is not
 * a 6- or 9-digit office code or is our own, the key is ours, revoked,
 * expired or cannot sign and encrypt, its user ID names another office
 * code (bundle_uid_other_office), it was ever revoked in this ledger (for
 * any office), or it is or was another office's key. Without replace,
 * XB_EEXIST when code is bound to another key that was not revoked; with
 * replace, XB_ENOTFOUND when code is bound to nothing and XB_EEXIST when
 * it is bound to this key already. Fills *plan (old and new
 * fingerprints) on XB_OK. Messages quote the user ID only made safe to
 * show (common/printable.h). */
int bundle_bind_check(struct store *st, struct keys *k, const char *code,
		      const struct keys_info *key, int replace,
		      struct bundle_bind_plan *plan, struct xb_error *err);

/* 1 when the user ID uid names an office code other than code: a run of
 * 6 or 9 digits (ASCII or full-width), or a code after KEYS_UID_TAG, that
 * differs; the first such code goes into other (made safe to show, cut
 * at len). 0 when it names none or only code. */
int bundle_uid_other_office(const char *uid, const char *code, char *other,
			    size_t len);

/* Binds office code to the key fpr, which must be in the office's key
 * ring (keys_import_file) and not our own, under bundle_bind_check's
 * rules without replace: an office bound to another key is never
 * rebound silently. name NULL or "": the user ID's name. The peer's
 * history records who bound which key when. */
int bundle_peer_bind(struct store *st, struct keys *k, const char *code,
		     const char *name, const char *fpr, const char *user,
		     struct xb_error *err);
/* The explicit replacement of office code's key by fpr (the rules with
 * replace): the history records who replaced which fingerprint by which,
 * when; the old key can then not be bound to another office. */
int bundle_peer_replace(struct store *st, struct keys *k, const char *code,
			const char *name, const char *fpr, const char *user,
			struct xb_error *err);
/* The office's key is no longer trusted: nothing more is imported from it
 * or exported to it until it is bound again, and that key can never be
 * bound again, to any office. */
int bundle_peer_revoke(struct store *st, const char *code, const char *user,
		       struct xb_error *err);

/* One change of an office's binding, oldest first. */
struct bundle_peer_event {
	char action[12];                /* "bind", "replace", "revoke" */
	char fpr[KEYS_FPR_LEN + 1];     /* the key bound, or revoked */
	char old_fpr[KEYS_FPR_LEN + 1]; /* replace: the key before */
	char by[64];                    /* who, as stored: outside text */
	int64_t at;
};
/* The history of office code's binding; *out malloc'd (free()). */
int bundle_peer_history(struct store *st, const char *code,
			struct bundle_peer_event **out, size_t *n,
			struct xb_error *err);
/* Every peer, by code, with its last bundles. *out is malloc'd. */
int bundle_peers(struct store *st, struct bundle_peer **out, size_t *n,
		 struct xb_error *err);
int bundle_peer_get(struct store *st, const char *code, struct bundle_peer *out,
		    struct xb_error *err);
/* The children of office code (a township) this ledger holds. */
int bundle_office_children(struct store *st, const char *code, uint64_t *out,
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
 * them when `all`) into a new bundle file in dir, reads it back and
 * verifies it; only then is the sequence advanced and the bundle logged.
 * On any failure (a full disk, a pulled stick) no file is left and the
 * sequence stays. */
int bundle_export(struct store *st, struct keys *k, const char *to,
		  const char *dir, int all, const char *user,
		  bundle_progress_fn progress, void *parg,
		  struct bundle_export_result *res, struct xb_error *err);

/* --- import --- */

struct bundle_import_result {
	char from[13];
	uint64_t sequence;
	int duplicate;     /* imported before: nothing changed */
	uint64_t missing;  /* bundles skipped over with allow_gap */
	struct bundle_counts counts;
	uint64_t added, replaced, same, older, conflicts;
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

/* The log of bundles: sent (to an office) or received (from one), newest
 * last. Each entry is the JSON object the log holds. */
int bundle_log(struct store *st, int received, const char *office,
	       struct store_pair **out, size_t *n, struct xb_error *err);

#endif
