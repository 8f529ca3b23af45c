/* private.h - what keys.c, keyfile.c and crypt.c share; the rest of the
 * program must not include it (it pulls in <gpgme.h>). */
#ifndef XB_KEYS_PRIVATE_H
#define XB_KEYS_PRIVATE_H

#include <gpgme.h>
#include <pthread.h>

#include "keys.h"

enum { KEYS_PASS_MAX = 512 };

struct keys {
	char *home; /* as given to keys_open */
	keys_passphrase_fn pass_fn;
	void *pass_arg;
	pthread_t pass_thread; /* the one that set pass_fn: the only one it is
				  called on */
	/* keys_hold_passphrase: what the callback gave is kept (written on
	 * pass_thread only, before the action starts a thread of its own)
	 * and given to every use of the key until keys_forget_passphrase */
	int holding;
	int kept_set;
	char kept[KEYS_PASS_MAX];
};

/* A GPGME context on k's home: OpenPGP, loopback pinentry, k's passphrase
 * callback, binary output, listings that tell about secret keys. */
int keys_ctx_new(struct keys *k, gpgme_ctx_t *ctx, struct xb_error *err);

/* Our side of the loopback pinentry (hook: the struct keys): the
 * passphrase held for the action, else the callback of
 * keys_set_passphrase_fn when on the thread that set it; on any other
 * thread, no passphrase. */
gpgme_error_t keys_pass_cb(void *hook, const char *uid_hint,
			   const char *info, int prev_bad, int fd);

/* Sorts a GPGME error into an XB code and a sentence; `what` says what was
 * being done (already translated). */
int keys_gpgme_fail(struct xb_error *err, gpgme_error_t e, const char *what);

/* Upper-case 40-hex form of a fingerprint typed with spaces or in lower
 * case; XB_EINVAL otherwise. */
int keys_fpr_norm(const char *in, char out[KEYS_FPR_LEN + 1],
		  struct xb_error *err);

/* The one key holding the primary or subkey fingerprint fpr (normalised),
 * secret_only as gpgme_op_keylist_start's. *key is the caller's to
 * gpgme_key_unref. XB_ENOTFOUND when there is none. */
int keys_find(gpgme_ctx_t ctx, const char *fpr, int secret_only,
	      gpgme_key_t *key, struct xb_error *err);

/* The office's secret key: the first neither revoked nor expired, else
 * the first. XB_ENOTFOUND when the home has none. */
int keys_own_key(gpgme_ctx_t ctx, gpgme_key_t *out, struct xb_error *err);

/* Fills *out from key (its primary key and first user ID). */
int keys_info_fill(gpgme_key_t key, struct keys_info *out,
		   struct xb_error *err);

#endif
