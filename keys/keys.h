/* keys.h - the office's OpenPGP key and the keys of other offices, through
 * GPGME in a private GnuPG home (<datadir>/gnupg). This header is all that
 * the rest of the program sees of GnuPG: only keys/ includes <gpgme.h>.
 *
 *   keys.c     opening the home, GPGME contexts and errors, making and
 *              finding keys
 *   keyfile.c  public-key files: exporting ours, peeking at and importing
 *              another office's
 *   crypt.c    streaming sign+encrypt and decrypt+verify
 *   private.h  what those files share
 *
 * Like every library module it never prints and never exits: functions
 * return XB_OK or a negative XB_E* and fill the caller's struct xb_error.
 * GPGME runs gpg as a child process; it ignores SIGPIPE on its first use
 * when the program left it at its default. Nothing here consults GnuPG's
 * trust model: the program binds each office to one fingerprint itself. */
#ifndef XB_KEYS_H
#define XB_KEYS_H

#include <stddef.h>
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
 * fails with a message saying so. buf is wiped after use. fn may be called
 * from a thread of the keys module's own (bundle import decrypts in one)
 * while the thread that set it waits, never at the same time as it. */
typedef int (*keys_passphrase_fn)(void *arg, const char *uid_hint,
				  int prev_bad, char *buf, size_t len);
void keys_set_passphrase_fn(struct keys *k, keys_passphrase_fn fn, void *arg);

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

#endif
