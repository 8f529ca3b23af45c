/* keyfile.c - public-key files passed between offices: export ours to a
 * file (written whole or not at all), peek at another office's key file
 * so the clerk can check its fingerprint by phone, then import it. A file
 * holding a secret key is refused before GnuPG sees it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/safe_file.h"

/* The longest file of a key we read (a key with many signatures is a few
 * tens of KB). */
#define KEYS_FILE_MAX (1024 * 1024)

int keys_export_public(struct keys *k, const char *fpr, const char *path,
		       struct xb_error *err)
{
	char norm[KEYS_FPR_LEN + 1];
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	gpgme_key_t keys[2] = { NULL, NULL };
	gpgme_data_t data = NULL;
	gpgme_error_t e;
	char *buf = NULL;
	size_t len = 0;
	int rc = keys_fpr_norm(fpr, norm, err);

	if (rc != XB_OK)
		return rc;
	if (path == NULL || *path == '\0')
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("No file was given for the key."));
	rc = keys_ctx_new(k, &ctx, err);
	if (rc != XB_OK)
		return rc;
	rc = keys_find(ctx, norm, 0, &key, err);
	if (rc != XB_OK)
		goto out;
	keys[0] = key;
	gpgme_set_armor(ctx, 1);
	e = gpgme_data_new(&data);
	if (!e)
		e = gpgme_op_export_keys(ctx, keys, 0, data);
	if (e) {
		rc = keys_gpgme_fail(err, e, _("Could not export the key"));
		goto out;
	}
	buf = gpgme_data_release_and_get_mem(data, &len);
	data = NULL;
	if (buf == NULL || len == 0) {
		rc = xb_fail(err, XB_ENOTFOUND,
			     _("GnuPG exported nothing for the key %s."), norm);
		goto out;
	}
	rc = xb_file_write_safe(path, buf, len, 0644, err);
out:
	gpgme_free(buf);
	gpgme_data_release(data);
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc;
}

/* Reads a whole key file (at most KEYS_FILE_MAX bytes). */
static int read_file(const char *path, char **buf, size_t *len,
		     struct xb_error *err)
{
	struct stat st;
	size_t done = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	if (path == NULL || *path == '\0')
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("No file was given for the key."));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail_field(err, errno == ENOENT ? XB_ENOTFOUND
							  : XB_EFAIL,
				     "path", _("Could not open %s: %s."), path,
				     strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s is not a file."), path);
	}
	if (st.st_size == 0 || st.st_size > KEYS_FILE_MAX) {
		close(fd);
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s is not a key: it is empty or too "
				       "large."),
				     path);
	}
	*buf = malloc((size_t)st.st_size);
	if (*buf == NULL) {
		close(fd);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	while (done < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + done, (size_t)st.st_size - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int saved = r < 0 ? errno : EIO;
			close(fd);
			free(*buf);
			*buf = NULL;
			return xb_fail_field(err, XB_EFAIL, "path",
					     _("Could not read %s: %s."), path,
					     strerror(saved));
		}
		done += (size_t)r;
	}
	close(fd);
	*len = done;
	return XB_OK;
}

/* Whether buf starts like a secret key: an armoured private key block, or
 * a first packet of tag 5 (secret key). */
static int looks_secret(const char *buf, size_t len)
{
	unsigned char c = (unsigned char)buf[0];
	const char armour[] = "-----BEGIN PGP PRIVATE KEY BLOCK-----";

	if (len >= sizeof(armour) - 1 &&
	    memmem(buf, len, armour, sizeof(armour) - 1) != NULL)
		return 1;
	if ((c & 0x80) == 0)
		return 0;
	if (c & 0x40)
		return (c & 0x3f) == 5;
	return ((c >> 2) & 0x0f) == 5;
}

/* Lists the key in buf without importing it: exactly one public key. */
static int peek_buf(gpgme_ctx_t ctx, const char *path, const char *buf,
		    size_t len, gpgme_key_t *out, struct xb_error *err)
{
	gpgme_data_t data = NULL;
	gpgme_key_t key = NULL, first = NULL;
	gpgme_error_t e;
	int n = 0, secret = 0;

	*out = NULL;
	if (looks_secret(buf, len))
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s holds a SECRET key: never pass it "
				       "on. Ask the other office for its "
				       "public key."),
				     path);
	e = gpgme_data_new_from_mem(&data, buf, len, 0);
	if (e)
		return keys_gpgme_fail(err, e, _("Could not read the key"));
	e = gpgme_op_keylist_from_data_start(ctx, data, 0);
	while (!e && !(e = gpgme_op_keylist_next(ctx, &key))) {
		n++;
		if (key->secret)
			secret = 1;
		if (first == NULL)
			first = key;
		else
			gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	gpgme_data_release(data);
	if (e && gpgme_err_code(e) != GPG_ERR_EOF && n == 0) {
		gpgme_key_unref(first);
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s is not an OpenPGP key."), path);
	}
	if (e && gpgme_err_code(e) != GPG_ERR_EOF) {
		gpgme_key_unref(first);
		return keys_gpgme_fail(err, e, _("Could not read the key"));
	}
	if (n == 0)
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s is not an OpenPGP key."), path);
	if (secret) {
		gpgme_key_unref(first);
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s holds a SECRET key: never pass it "
				       "on. Ask the other office for its "
				       "public key."),
				     path);
	}
	if (n > 1) {
		gpgme_key_unref(first);
		return xb_fail_field(err, XB_EINVAL, "path",
				     _("%s holds %d keys; a key file of "
				       "another office holds exactly one."),
				     path, n);
	}
	*out = first;
	return XB_OK;
}

/* Fills *out from a key listed from a file, with has_secret from the
 * home. */
static int peek_info(gpgme_ctx_t ctx, gpgme_key_t key, struct keys_info *out,
		     struct xb_error *err)
{
	struct keys_info info;
	gpgme_key_t sec = NULL;
	int rc = keys_info_fill(key, &info, err);

	if (rc != XB_OK)
		return rc;
	info.has_secret = keys_find(ctx, info.fpr, 1, &sec, NULL) == XB_OK;
	gpgme_key_unref(sec);
	if (out != NULL)
		*out = info;
	return XB_OK;
}

int keys_peek_file(struct keys *k, const char *path, struct keys_info *out,
		   struct xb_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len, err);

	if (rc != XB_OK)
		return rc;
	rc = keys_ctx_new(k, &ctx, err);
	if (rc == XB_OK)
		rc = peek_buf(ctx, path, buf, len, &key, err);
	if (rc == XB_OK)
		rc = peek_info(ctx, key, out, err);
	gpgme_key_unref(key);
	gpgme_release(ctx);
	free(buf);
	return rc;
}

int keys_import_file_expect(struct keys *k, const char *path,
			    const char *expect_fpr, struct keys_info *out,
			    struct xb_error *err)
{
	char want[KEYS_FPR_LEN + 1];
	struct keys_info info;
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	gpgme_data_t data = NULL;
	gpgme_import_result_t res;
	gpgme_error_t e;
	char *buf = NULL;
	size_t len;
	int rc = XB_OK;

	if (expect_fpr != NULL)
		rc = keys_fpr_norm(expect_fpr, want, err);
	if (rc == XB_OK)
		rc = read_file(path, &buf, &len, err);
	if (rc != XB_OK)
		return rc;
	rc = keys_ctx_new(k, &ctx, err);
	if (rc == XB_OK)
		rc = peek_buf(ctx, path, buf, len, &key, err);
	if (rc == XB_OK)
		rc = keys_info_fill(key, &info, err);
	if (rc != XB_OK)
		goto out;
	if (expect_fpr != NULL && strcmp(want, info.fpr) != 0) {
		rc = xb_fail_field(err, XB_EINVAL, "path",
				   _("The key in %s is not the one that was "
				     "checked: its fingerprint changed. Check "
				     "the file again."),
				   path);
		goto out;
	}
	e = gpgme_data_new_from_mem(&data, buf, len, 0);
	if (!e)
		e = gpgme_op_import(ctx, data);
	if (e) {
		rc = keys_gpgme_fail(err, e, _("Could not import the key"));
		goto out;
	}
	res = gpgme_op_import_result(ctx);
	if (res == NULL || res->secret_imported > 0 ||
	    res->imported + res->unchanged < 1) {
		rc = xb_fail_field(err, XB_EINVAL, "path",
				   _("GnuPG did not accept the key in %s: it "
				     "may be damaged."),
				   path);
		goto out;
	}
	gpgme_key_unref(key);
	key = NULL;
	rc = keys_find(ctx, info.fpr, 0, &key, err);
	if (rc == XB_OK)
		rc = keys_info_fill(key, out, err);
out:
	gpgme_data_release(data);
	gpgme_key_unref(key);
	gpgme_release(ctx);
	free(buf);
	return rc;
}

int keys_import_file(struct keys *k, const char *path, struct keys_info *out,
		     struct xb_error *err)
{
	return keys_import_file_expect(k, path, NULL, out, err);
}
