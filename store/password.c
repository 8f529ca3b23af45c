/* password.c - the users' passwords: a salted scrypt hash of each (through
 * libgcrypt, as crypt.c), and the wrong tries that lock an account.
 *
 * They live in meta.db under "cred:NAME" and "tries:NAME": never in a
 * record, so never in the audit trail, a bundle or a spreadsheet. The
 * password itself is never written anywhere. */
#include <gcrypt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

enum {
	/* scrypt N (r is 8 in libgcrypt): 16 MB and ~50 ms here, well under
	 * a second on an old PC, at each sign-in. */
	PW_COST = 16384,
	PW_PARALLEL = 1,
	PW_SALT = 16,
	PW_HASH = 32,
	KEY_MAX = 200,
};

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static void gcrypt_ready(void)
{
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		gcry_check_version(NULL);
		gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
}

static int hash_of(const char *password, const char *salt_hex,
		   unsigned long cost, unsigned long parallel,
		   char out[2 * PW_HASH + 1], struct xb_error *err)
{
	unsigned char key[PW_HASH];
	gcrypt_ready();
	gpg_error_t e = gcry_kdf_derive(password, strlen(password),
					GCRY_KDF_SCRYPT, (int)cost, salt_hex,
					strlen(salt_hex), parallel, sizeof(key),
					key);
	if (e) {
		explicit_bzero(key, sizeof(key));
		return xb_fail(err, XB_EFAIL, _("Could not hash the password: %s."),
			       gcry_strerror(e));
	}
	hex(key, sizeof(key), out);
	explicit_bzero(key, sizeof(key));
	return XB_OK;
}

static void key_of(char *buf, const char *what, const char *user)
{
	snprintf(buf, KEY_MAX, "%s:%s", what, user);
}

int store_password_set(struct store *st, struct store_txn *txn,
		       const char *user, const char *password,
		       struct xb_error *err)
{
	unsigned char salt[PW_SALT];
	char salt_hex[2 * PW_SALT + 1], hash[2 * PW_HASH + 1], key[KEY_MAX];
	char text[40 + sizeof(salt_hex) + sizeof(hash)];
	if (password == NULL || *password == '\0')
		return xb_fail(err, XB_EINVAL, _("The password is empty."));
	gcrypt_ready();
	gcry_randomize(salt, sizeof(salt), GCRY_STRONG_RANDOM);
	hex(salt, sizeof(salt), salt_hex);
	int ret = hash_of(password, salt_hex, PW_COST, PW_PARALLEL, hash, err);
	if (ret)
		return ret;
	snprintf(text, sizeof(text), "scrypt:%d:%d:%s:%s", PW_COST, PW_PARALLEL,
		 salt_hex, hash);
	key_of(key, "cred", user);
	ret = store_meta_set(st, txn, key, text, err);
	key_of(key, "tries", user);
	if (ret == XB_OK)
		ret = store_meta_set(st, txn, key, "0 0", err);
	if (ret == XB_OK)
		ret = store_meta_set(st, txn, "accounts", "1", err);
	return ret;
}

int store_password_any(struct store *st, int *any, struct xb_error *err)
{
	char *v = NULL;
	int ret = store_meta_get(st, NULL, "accounts", &v, err);
	*any = ret == XB_OK && v != NULL;
	free(v);
	return ret;
}

int store_password_held(struct store *st, struct store_txn *txn,
			const char *user, int *held, struct xb_error *err)
{
	char key[KEY_MAX], *v = NULL;
	key_of(key, "cred", user);
	int ret = store_meta_get(st, txn, key, &v, err);
	*held = ret == XB_OK && v != NULL;
	free(v);
	return ret;
}

/* "count until" of the wrong tries in a row, 0 0 when none. */
static int tries_get(struct store *st, struct store_txn *txn, const char *user,
		     unsigned *count, int64_t *until, struct xb_error *err)
{
	char key[KEY_MAX], *v = NULL;
	key_of(key, "tries", user);
	*count = 0;
	*until = 0;
	int ret = store_meta_get(st, txn, key, &v, err);
	if (ret == XB_OK && v != NULL &&
	    sscanf(v, "%u %" SCNd64, count, until) != 2) {
		*count = 0;
		*until = 0;
	}
	free(v);
	return ret;
}

struct tries_arg {
	const char *user;
	int wrong;
	int64_t now;
	unsigned count;
	int64_t until;
};

/* Counts one try: a wrong one adds to the count, the fifth in a row
 * locks; a right one clears it. */
static int tries_fn(struct store *st, struct store_txn *txn, void *arg,
		    struct xb_error *err)
{
	struct tries_arg *a = arg;
	char key[KEY_MAX], text[64];
	int ret = tries_get(st, txn, a->user, &a->count, &a->until, err);
	if (ret)
		return ret;
	key_of(key, "tries", a->user);
	if (!a->wrong)
		return a->count == 0 ? XB_OK
				     : store_meta_set(st, txn, key, "0 0", err);
	/* A lock that has run out starts the count again. */
	if (a->until != 0 && a->until <= a->now)
		a->count = 0;
	a->count++;
	a->until = a->count >= STORE_LOCK_TRIES
			   ? a->now + STORE_LOCK_SECONDS
			   : 0;
	snprintf(text, sizeof(text), "%u %" PRId64, a->count, a->until);
	return store_meta_set(st, txn, key, text, err);
}

int store_password_check(struct store *st, const char *user,
			 const char *password, int64_t now,
			 struct store_sign_in *res, struct xb_error *err)
{
	char key[KEY_MAX], *v = NULL;
	memset(res, 0, sizeof(*res));
	unsigned count;
	int64_t until;
	int ret = tries_get(st, NULL, user, &count, &until, err);
	if (ret)
		return ret;
	if (until > now) {
		res->result = STORE_SIGN_IN_LOCKED;
		res->locked_until = until;
		return XB_OK;
	}
	key_of(key, "cred", user);
	if ((ret = store_meta_get(st, NULL, key, &v, err)) != XB_OK)
		return ret;
	if (v == NULL) {
		res->result = STORE_SIGN_IN_NO_PASSWORD;
		return XB_OK;
	}
	unsigned long cost, parallel;
	char salt[2 * PW_SALT + 1], want[2 * PW_HASH + 1], got[2 * PW_HASH + 1];
	int n = 0;
	if (sscanf(v, "scrypt:%lu:%lu:%32[0-9a-f]:%64[0-9a-f]%n", &cost,
		   &parallel, salt, want, &n) != 4 ||
	    v[n] != '\0' || strlen(want) != 2 * PW_HASH || cost < 2 ||
	    cost > (1ul << 20) || parallel < 1 || parallel > 16) {
		free(v);
		return xb_fail(err, XB_EFAIL,
			       _("The password of %s is stored in a form this "
				 "version cannot read."),
			       user);
	}
	free(v);
	password = password ? password : "";
	if ((ret = hash_of(password, salt, cost, parallel, got, err)) != XB_OK)
		return ret;
	unsigned char d = 0;
	for (size_t i = 0; i < 2 * PW_HASH; i++)
		d |= (unsigned char)(got[i] ^ want[i]);
	explicit_bzero(got, sizeof(got));
	struct tries_arg a = { user, d != 0, now, 0, 0 };
	/* A right password with no wrong tries before writes nothing: a
	 * command that only reads stays a reader. */
	if ((d != 0 || count != 0) &&
	    (ret = store_run(st, tries_fn, &a, err)) != XB_OK)
		return ret;
	if (d == 0) {
		res->result = STORE_SIGN_IN_OK;
	} else if (a.until > now) {
		res->result = STORE_SIGN_IN_LOCKED;
		res->locked_until = a.until;
	} else {
		res->result = STORE_SIGN_IN_WRONG;
		res->tries_left = STORE_LOCK_TRIES - a.count;
	}
	return XB_OK;
}
