/* keys.h - the office's OpenPGP key and the keys of other offices, through
 * GPGME in a private GnuPG home (<datadir>/gnupg). This header is all that
 * the rest of the program sees of GnuPG: only keys/ includes <gpgme.h>.
 *
 *   keys.c     opening the home, GPGME contexts and errors, making and
 *              finding keys
 *   keyfile.c  public-key files: exporting ours, peeking at and importing
 *              another office's
 *   crypt.c    streaming sign+encrypt and decrypt+verify
 *   peers.c    offices bound to their keys: bind, replace, revoke, their
 *              history, the rules of binding (the store's peers book)
 *   private.h  what keys.c, keyfile.c and crypt.c share
 *
 * Like every library module it never prints and never exits: functions
 * return XB_OK or a negative XB_E* and fill the caller's struct xb_error.
 * GPGME runs gpg as a child process; it ignores SIGPIPE on its first use
 * when the program left it at its default. Nothing here consults GnuPG's
 * trust model: the program binds each office to one fingerprint itself. */
#ifndef XB_KEYS_H
#define XB_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/status.h"

#define KEYS_FPR_LEN 40 /* hex fingerprint of a v4 key */
#define KEYS_FPR_GROUPS_LEN 50 /* "ABCD EF01 ... " 10 groups: 49 chars + NUL */

/* Longest socket path (home + "/S.gpg-agent.browser") keys_open accepts: a
 * Unix socket's sun_path holds 107 bytes, less a margin. */
#define KEYS_SOCKET_MAX 100

/* keys_create writes the user ID "<office name> (xiangban <office code>)";
 * this is the tag before the code. */
#define KEYS_UID_TAG "(xiangban "

struct keys; /* one office's private GnuPG home */
struct store; /* the ledger, whose peers book holds the bindings */

/* The GnuPG home of the ledger in the data directory datadir,
 * "<datadir>/gnupg", into buf. XB_EINVAL, with keys_open's message, when
 * it does not fit size or is too long for the agent's sockets
 * (KEYS_SOCKET_MAX). */
int keys_home_path(const char *datadir, char *buf, size_t size,
		   struct xb_error *err);

/* Opens (creating mode 0700, one level only) the GnuPG home `home`.
 * Makes its gpg-agent.conf hold loopback pinentry, a cheap s2k count and
 * no passphrase cache (default-cache-ttl and max-cache-ttl 0: a protected
 * key's passphrase is asked at every use), merged into a file already
 * there, whose other lines are kept; when that changed the file, a running
 * agent is reloaded. Writes gpg.conf when absent. XB_EINVAL when
 * the home's absolute path is so long that the agent's sockets would not
 * fit (the message says to choose a shorter data directory). *out is
 * allocated here and freed by keys_close. */
int keys_open(const char *home, struct keys **out, struct xb_error *err);

/* Frees k (NULL-safe) and sets *k to NULL. The agent keeps running: stop
 * it with keys_stop_agent when the home is to be removed. */
void keys_close(struct keys **k);

/* The home's path as given to keys_open; owned by k. */
const char *keys_home(const struct keys *k);

/* Stops the gpg-agent (and dirmngr) of the home `home` through gpgconf.
 * XB_EFAIL when gpgconf could not be run or failed. */
int keys_stop_agent(const char *home, struct xb_error *err);

/* Passphrase prompt of the program's own (loopback pinentry). fn fills
 * buf (NUL-terminated, at most len bytes) and returns 0, or nonzero to
 * cancel. prev_bad is 1 when the last one was wrong. uid_hint may be NULL.
 * Without a callback, keys without a passphrase work and a key with one
 * fails with a message saying so. buf is wiped after use. fn is called
 * only on the thread that set it (it may draw on a screen): a key used on
 * another thread gets the passphrase held (keys_hold_passphrase) or none,
 * and then fails with the message of a missing or wrong passphrase. */
typedef int (*keys_passphrase_fn)(void *arg, const char *uid_hint,
				  int prev_bad, char *buf, size_t len);
void keys_set_passphrase_fn(struct keys *k, keys_passphrase_fn fn, void *arg);

/* One action (an export, an import) asks for the passphrase once, on the
 * thread that set the callback, before it starts a thread that uses the
 * key: after keys_hold_passphrase, the passphrase fn gives is kept in k
 * and given to every later use of the key, on any thread, without
 * calling fn again (unless GnuPG says it is wrong, on fn's thread).
 * keys_forget_passphrase wipes it when the action ends (keys_close too).
 * Not to be called while another thread uses k. */
void keys_hold_passphrase(struct keys *k);
void keys_forget_passphrase(struct keys *k);
/* The explicit step, for an action whose first use of the key would come
 * after its thread started: holds as keys_hold_passphrase, then, unless a
 * passphrase is held already, asks fn for it now on this thread and
 * checks it by signing a few bytes with the office key. XB_EINVAL with
 * keys_gpgme_fail's message (`what` begins it) when it was not given or
 * is wrong; any other failure is left to the action's own use of the key
 * to tell (XB_OK). A key without passphrase asks nothing. */
int keys_unlock(struct keys *k, const char *what, struct xb_error *err);

struct keys_info {
	char fpr[KEYS_FPR_LEN + 1]; /* primary key fingerprint, upper-case hex */
	char uid[256];              /* first user ID as the key holds it (cut
				       if longer): outside text, never shown
				       raw (common/printable.h) */
	int has_secret;             /* the secret key is in this home */
	int revoked, expired, can_sign, can_encrypt;
};

/* Makes the office key: ed25519 for signing with a cv25519 encryption
 * subkey, no expiry, user ID "<office_name> (xiangban <office_code>)".
 * passphrase NULL or "" means none. XB_EEXIST if this home already has a
 * secret key. Fills *out (may be NULL). */
int keys_create(struct keys *k, const char *office_code,
		const char *office_name, const char *passphrase,
		struct keys_info *out, struct xb_error *err);

/* The secret key of this home (the office's own); XB_ENOTFOUND if none.
 * With several, the first that is neither revoked nor expired. */
int keys_own(struct keys *k, struct keys_info *out, struct xb_error *err);

/* A key in this home by fingerprint: 40 hex digits, of the primary key or
 * of a subkey, in either case, spaces allowed (the grouped form). *out gets
 * the primary key. XB_EINVAL for a malformed fingerprint, XB_ENOTFOUND when
 * absent. */
int keys_lookup(struct keys *k, const char *fpr, struct keys_info *out,
		struct xb_error *err);

/* Writes the public key fpr ASCII-armoured to path, mode 0644, whole or
 * not at all (common/safe_file.h). A full disk gives a message saying so;
 * on any failure no file is left. */
int keys_export_public(struct keys *k, const char *fpr, const char *path,
		       struct xb_error *err);

/* Reads a file holding exactly one OpenPGP public key (armoured or binary)
 * without importing it, and fills *out (has_secret tells whether this home
 * already holds its secret part, which is normally 0). XB_EINVAL for a file
 * that is not a key, holds several keys, or holds a secret key. */
int keys_peek_file(struct keys *k, const char *path, struct keys_info *out,
		   struct xb_error *err);

/* Imports that file's key into the home after the same checks as
 * keys_peek_file, and fills *out from the home. */
int keys_import_file(struct keys *k, const char *path, struct keys_info *out,
		     struct xb_error *err);

/* The same, refusing (XB_EINVAL, nothing imported) unless the file's key
 * has the fingerprint expect_fpr: the one the clerk checked by phone after
 * keys_peek_file, in case the file changed in between. */
int keys_import_file_expect(struct keys *k, const char *path,
			    const char *expect_fpr, struct keys_info *out,
			    struct xb_error *err);

/* "ABCD EF01 2345 ...": 10 groups of 4 separated by single spaces (49 chars
 * + NUL). Writes "" when fpr is not 40 characters; cuts at len. */
void keys_fpr_groups(const char *fpr, char *buf, size_t len);

/* Streaming encryption. src is called from inside GPGME: it writes up to
 * len bytes of plaintext into buf and returns their count, 0 at the end,
 * or -1 with errno set on failure. The message is signed by this home's own
 * secret key and encrypted to to_fpr and to our own key, binary OpenPGP,
 * written to out_fd (which stays open). When src failed: XB_EFAIL with a
 * generic message (a caller with its own error in arg reports that one). A
 * full disk under out_fd gives a message saying so. On failure out_fd may
 * hold part of a message: the caller removes the file. */
typedef ssize_t (*keys_read_fn)(void *arg, void *buf, size_t len);
int keys_sign_encrypt(struct keys *k, const char *to_fpr, keys_read_fn src,
		      void *arg, int out_fd, struct xb_error *err);

/* Streaming decryption. Reads the message from in_fd; plaintext goes to
 * sink, which returns len on success or -1 with errno set to stop (then
 * XB_EFAIL with a generic message; a caller with its own error in arg
 * reports that one). Plaintext reaches sink BEFORE the message is known to
 * be whole and well signed: the caller keeps it aside and uses it only when
 * this returns XB_OK and sig->good is 1 and sig->fpr is the bound key.
 *
 * XB_OK only when decryption succeeded and sink never failed. XB_EINVAL for
 * a message not encrypted to this office's key, a damaged or incomplete
 * one, or one that is not OpenPGP (the messages tell these apart).
 *
 * *sig (filled on every return): good = 1 only if there is at least one
 * signature, every one has status 0 and no RED summary, all are by the same
 * key and that key is in this home; fpr = that key's PRIMARY fingerprint
 * (also when the signature names a subkey), "" when the signer is unknown;
 * nsigs = number of signatures; reason = a short translated sentence when
 * not good, "" when good. GnuPG's trust levels are not consulted. */
typedef ssize_t (*keys_write_fn)(void *arg, const void *buf, size_t len);
struct keys_sig {
	int good;
	int nsigs;
	char fpr[KEYS_FPR_LEN + 1];
	char reason[200];
};
int keys_decrypt_verify(struct keys *k, int in_fd, keys_write_fn sink,
			void *arg, struct keys_sig *sig, struct xb_error *err);

/* --- peers: offices bound to their keys (peers.c) --- */

/* An office bound to a key, as the store's peers book keeps it. */
struct keys_peer {
	char code[13];
	char name[128]; /* made safe to show when it came from a user ID */
	char fpr[KEYS_FPR_LEN + 1];
	int revoked;
	int64_t bound_at;
	char bound_by[64];
};

/* 1 when code is an office code a peer can have: 4 digits (a city), 6 (a
 * county) or 9 (a township). */
int keys_office_code_valid(const char *code);

/* What binding a key to an office would do (keys_bind_check). */
struct keys_bind_plan {
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
 * code (keys_uid_other_office), it was ever revoked in this ledger (for
 * any office), or it is or was another office's key. Without replace,
 * XB_EEXIST when code is bound to another key that was not revoked; with
 * replace, XB_ENOTFOUND when code is bound to nothing and XB_EEXIST when
 * it is bound to this key already. Fills *plan (old and new
 * fingerprints) on XB_OK. Messages quote the user ID only made safe to
 * show (common/printable.h). */
int keys_bind_check(struct store *st, struct keys *k, const char *code,
		    const struct keys_info *key, int replace,
		    struct keys_bind_plan *plan, struct xb_error *err);

/* 1 when the user ID uid names an office code other than code: a run of
 * 6 or 9 digits (ASCII or full-width), or a code after KEYS_UID_TAG, that
 * differs; the first such code goes into other (made safe to show, cut
 * at len). 0 when it names none or only code. */
int keys_uid_other_office(const char *uid, const char *code, char *other,
			  size_t len);

/* Binds office code to the key fpr, which must be in the office's key
 * ring (keys_import_file) and not our own, under keys_bind_check's
 * rules without replace: an office bound to another key is never
 * rebound silently. name NULL or "": the user ID's name. The peer's
 * history records who bound which key when. */
int keys_peer_bind(struct store *st, struct keys *k, const char *code,
		   const char *name, const char *fpr, const char *user,
		   struct xb_error *err);
/* The explicit replacement of office code's key by fpr (the rules with
 * replace): the history records who replaced which fingerprint by which,
 * when; the old key can then not be bound to another office. */
int keys_peer_replace(struct store *st, struct keys *k, const char *code,
		      const char *name, const char *fpr, const char *user,
		      struct xb_error *err);
/* The office's key is no longer trusted: nothing more is imported from it
 * or exported to it until it is bound again, and that key can never be
 * bound again, to any office. */
int keys_peer_revoke(struct store *st, const char *code, const char *user,
		     struct xb_error *err);

/* One change of an office's binding, oldest first. */
struct keys_peer_event {
	char action[12];                /* "bind", "replace", "revoke" */
	char fpr[KEYS_FPR_LEN + 1];     /* the key bound, or revoked */
	char old_fpr[KEYS_FPR_LEN + 1]; /* replace: the key before */
	char by[64];                    /* who, as stored: outside text */
	int64_t at;
};
/* The history of office code's binding; *out malloc'd (free()). */
int keys_peer_history(struct store *st, const char *code,
		      struct keys_peer_event **out, size_t *n,
		      struct xb_error *err);
/* Every bound office, by code (revoked ones too). *out is malloc'd. */
int keys_peers(struct store *st, struct keys_peer **out, size_t *n,
	       struct xb_error *err);
/* Office code's binding; XB_ENOTFOUND, said, when no key was ever bound
 * to it. */
int keys_peer_get(struct store *st, const char *code, struct keys_peer *out,
		  struct xb_error *err);

#endif
