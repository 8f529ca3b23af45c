/* crypt.c - the ledger encrypted at rest: Berkeley DB's AES over every
 * database and log file, with a key derived from the office's passphrase.
 *
 * The key is never stored. Beside the databases, STORE_KDF_FILE holds what
 * derives it: the KDF (scrypt, through libgcrypt), its cost, a random salt,
 * a check value that tells a wrong passphrase before Berkeley DB sees it,
 * and the System V shared-memory key of the environment's regions. Those
 * regions hold the cache of decrypted pages: with encryption they live in
 * shared memory (DB_SYSTEM_MEM), never in the __db.* files, and the last
 * process to close removes them (store_crypt_remove_regions). */
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/safe_file.h"

enum {
	KDF_FORMAT = 1,
	/* scrypt N (r is 8 in libgcrypt): 16 MB of memory, ~50 ms here and
	 * well under a second on the office's old PC, at every open. */
	KDF_COST = 16384,
	KDF_PARALLEL = 1,
	SALT_BYTES = 32,
	/* Derived: the first half keys the databases, the second half's
	 * SHA-256 is the check value in the file. */
	DERIVED_BYTES = 64,
	FILE_MAX = 4096,
};

/* Lowercase hex of n bytes into out (2n+1). */
static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* n bytes from 2n hex digits; -1 when s is not that. */
static int from_hex(const char *s, unsigned char *b, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + (size_t)k];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return -1;
		}
		b[i] = (unsigned char)v;
	}
	return 0;
}

static void gcrypt_init(void)
{
	/* exchange/digest.c does the same; whichever runs first finishes it. */
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		gcry_check_version(NULL);
		gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
}

static void kdf_path(const char *home, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", home, STORE_KDF_FILE);
}

int store_encrypted(const char *home)
{
	char path[4200];
	struct stat sb;
	kdf_path(home, path, sizeof(path));
	return stat(path, &sb) == 0;
}

/* Derives the database key and check value of passphrase p. */
static int derive(const char *p, const unsigned char salt[SALT_BYTES],
		  unsigned long cost, unsigned long parallel,
		  struct store_crypt *c, char check[2 * 32 + 1],
		  struct xb_error *err)
{
	unsigned char out[DERIVED_BYTES], sum[32];
	gcrypt_init();
	gpg_error_t e = gcry_kdf_derive(p, strlen(p), GCRY_KDF_SCRYPT, (int)cost,
					salt, SALT_BYTES, parallel, sizeof(out), out);
	if (e) {
		explicit_bzero(out, sizeof(out));
		return xb_fail(err, XB_EFAIL,
			       _("Could not derive the ledger's key: %s."),
			       gcry_strerror(e));
	}
	to_hex(out, DERIVED_BYTES / 2, c->dbpass);
	gcry_md_hash_buffer(GCRY_MD_SHA256, sum, out + DERIVED_BYTES / 2,
			    DERIVED_BYTES / 2);
	to_hex(sum, sizeof(sum), check);
	explicit_bzero(out, sizeof(out));
	return XB_OK;
}

/* Whether two strings of the same length are equal, in constant time. */
static int same_secret(const char *a, const char *b)
{
	size_t n = strlen(a);
	unsigned char d = 0;
	if (n != strlen(b))
		return 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

int store_crypt_create(const char *home, const char *passphrase,
		       struct store_crypt *c, struct xb_error *err)
{
	unsigned char salt[SALT_BYTES];
	char salt_hex[2 * SALT_BYTES + 1], check[2 * 32 + 1];
	char path[4200], text[FILE_MAX];
	uint32_t r;

	memset(c, 0, sizeof(*c));
	if (passphrase == NULL || *passphrase == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("The ledger's passphrase is empty."));
	gcrypt_init();
	gcry_randomize(salt, sizeof(salt), GCRY_STRONG_RANDOM);
	gcry_randomize(&r, sizeof(r), GCRY_STRONG_RANDOM);
	/* Berkeley DB uses the key and the next few numbers, one a region:
	 * a multiple of 64 from 0x10000000 up stays clear of small keys
	 * other programs pick. */
	c->shm_key = 0x10000000L + (long)((r % 0x0FFFFFF0u) & ~63u);
	to_hex(salt, sizeof(salt), salt_hex);
	int ret = derive(passphrase, salt, KDF_COST, KDF_PARALLEL, c, check, err);
	if (ret != XB_OK)
		return ret;
	int n = snprintf(text, sizeof(text),
			 "# xiangban: this ledger is encrypted (Berkeley DB AES).\n"
			 "# Its key is derived from the passphrase and not kept;\n"
			 "# without this file and the passphrase it cannot be read.\n"
			 "format %d\nkdf scrypt\ncost %d\nparallel %d\nsalt %s\n"
			 "check %s\nshm_key %ld\n",
			 KDF_FORMAT, KDF_COST, KDF_PARALLEL, salt_hex, check,
			 c->shm_key);
	kdf_path(home, path, sizeof(path));
	/* Synced, folder and all, before any database is made. */
	ret = xb_file_write_safe(path, text, (size_t)n, 0600, err);
	if (ret != XB_OK) {
		explicit_bzero(c, sizeof(*c));
		return ret;
	}
	c->on = 1;
	return XB_OK;
}

int store_crypt_load(const char *home, const char *passphrase,
		     struct store_crypt *c, struct xb_error *err)
{
	char path[4200], text[FILE_MAX], salt_hex[2 * SALT_BYTES + 2] = "";
	char check[2 * 32 + 2] = "", kdf[16] = "", mine[2 * 32 + 1];
	unsigned long cost = 0, parallel = 0;
	unsigned char salt[SALT_BYTES];
	int format = 0;
	long shm_key = 0;

	memset(c, 0, sizeof(*c));
	kdf_path(home, path, sizeof(path));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (n < 0)
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."), path,
			       strerror(saved));
	text[n] = '\0';
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "format %d", &format) == 1 ||
		    sscanf(line, "kdf %15s", kdf) == 1 ||
		    sscanf(line, "cost %lu", &cost) == 1 ||
		    sscanf(line, "parallel %lu", &parallel) == 1 ||
		    sscanf(line, "salt %65s", salt_hex) == 1 ||
		    sscanf(line, "check %65s", check) == 1 ||
		    sscanf(line, "shm_key %ld", &shm_key) == 1)
			continue;
	}
	if (format != KDF_FORMAT || strcmp(kdf, "scrypt") != 0 || cost < 1024 ||
	    cost > (1UL << 24) || parallel < 1 || parallel > 16 ||
	    from_hex(salt_hex, salt, sizeof(salt)) != 0 || strlen(check) != 64 ||
	    shm_key <= 0)
		return xb_fail(err, XB_EFAIL,
			       _("%s is damaged or of a newer version: the "
				 "encrypted ledger cannot be opened."),
			       path);
	if (passphrase == NULL)
		return xb_fail(err, XB_EINVAL,
			       _("This ledger is encrypted: its passphrase is "
				 "needed to open it."));
	int ret = derive(passphrase, salt, cost, parallel, c, mine, err);
	if (ret != XB_OK)
		return ret;
	if (!same_secret(mine, check)) {
		explicit_bzero(c, sizeof(*c));
		return xb_fail(err, XB_EINVAL,
			       _("The ledger's passphrase is wrong; nothing was "
				 "opened or changed."));
	}
	c->shm_key = shm_key;
	c->on = 1;
	return XB_OK;
}

void store_crypt_env(const struct store_crypt *c, DB_ENV *env, u_int32_t *flags)
{
	if (!c->on)
		return;
	if (env != NULL) {
		env->set_encrypt(env, c->dbpass, DB_ENCRYPT_AES);
		env->set_shm_key(env, c->shm_key);
	}
	*flags |= DB_SYSTEM_MEM;
}

void store_crypt_remove_regions(const char *home, const struct store_crypt *c)
{
	DB_ENV *env;
	if (!c->on || db_env_create(&env, 0) != 0)
		return;
	u_int32_t flags = 0;
	store_crypt_env(c, env, &flags);
	/* Without DB_FORCE this fails (EBUSY) while another process still
	 * has the environment open: then the last one removes them. A
	 * process killed leaves them until the next open, whose recovery
	 * makes them anew. */
	env->remove(env, home, 0);
}
