/* crypt.c - streaming sign+encrypt to another office (and to ourselves),
 * and decrypt+verify with the signature policy of doc/design.md "Keys": signatures
 * present, each with status 0 and not RED, by a key in this home. GnuPG's
 * trust levels are never read: the caller compares sig->fpr with the key
 * it bound to the sending office. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/safe_file.h"

/* The caller's plaintext source, and whether it failed. */
struct src_state {
	keys_read_fn fn;
	void *arg;
	int failed;
	int errnum;
};

static ssize_t src_read(void *handle, void *buf, size_t size)
{
	struct src_state *s = handle;
	ssize_t n;

	errno = 0;
	n = s->fn(s->arg, buf, size);
	if (n < 0 || (size_t)n > size) {
		s->failed = 1;
		s->errnum = n < 0 && errno != 0 ? errno : EIO;
		errno = s->errnum;
		return -1;
	}
	return n;
}

/* The caller's plaintext sink, and whether it failed. */
struct sink_state {
	keys_write_fn fn;
	void *arg;
	int failed;
	int errnum;
	size_t bytes; /* passed on so far */
};

static ssize_t sink_write(void *handle, const void *buf, size_t size)
{
	struct sink_state *s = handle;
	ssize_t n;

	if (s->failed) {
		errno = s->errnum;
		return -1;
	}
	errno = 0;
	n = s->fn(s->arg, buf, size);
	if (n < 0 || (size_t)n > size || (n == 0 && size > 0)) {
		s->failed = 1;
		s->errnum = n < 0 && errno != 0 ? errno : EIO;
		errno = s->errnum;
		return -1;
	}
	s->bytes += (size_t)n;
	return n;
}

/* XB_EINVAL with a sentence when key cannot take part in a message. */
static int check_usable(gpgme_key_t key, int sign, struct xb_error *err)
{
	char groups[KEYS_FPR_GROUPS_LEN];

	keys_fpr_groups(key->subkeys->fpr, groups, sizeof(groups));
	if (key->revoked)
		return xb_fail(err, XB_EINVAL, _("The key %s is revoked."),
			       groups);
	if (key->expired)
		return xb_fail(err, XB_EINVAL, _("The key %s has expired."),
			       groups);
	if (key->disabled || key->invalid)
		return xb_fail(err, XB_EINVAL, _("The key %s is not usable."),
			       groups);
	if (sign ? !key->can_sign : !key->can_encrypt)
		return xb_fail(err, XB_EINVAL,
			       sign ? _("The key %s cannot sign.")
				    : _("The key %s cannot be encrypted to."),
			       groups);
	return XB_OK;
}

/* The disk-full sentence when e is ENOSPC and the like; else keys_gpgme_fail. */
static int write_fail(struct xb_error *err, gpgme_error_t e, const char *what)
{
	int errnum = gpgme_err_code_to_errno(gpgme_err_code(e));
	const char *full = errnum ? xb_disk_full_msg(errnum) : NULL;

	if (full != NULL)
		return xb_fail(err, XB_EFAIL, "%s: %s", what, full);
	return keys_gpgme_fail(err, e, what);
}

/* GPGME moves data through its own loop in pieces of PIPE_BUF (4 KB) by
 * default: a bundle of hundreds of megabytes then costs a round trip per
 * piece. Larger pieces let gpg and this process work side by side. */
static gpgme_error_t set_io_buffers(gpgme_data_t in, gpgme_data_t out)
{
	gpgme_error_t e = gpgme_data_set_flag(in, "io-buffer-size", "262144");
	if (!e)
		e = gpgme_data_set_flag(out, "io-buffer-size", "262144");
	return e;
}

/* Finds our key and the recipient's (norm) and checks both can take part. */
static int sign_encrypt_keys(gpgme_ctx_t ctx, const char *norm,
			     gpgme_key_t *own, gpgme_key_t *to,
			     struct xb_error *err)
{
	int rc = keys_own_key(ctx, own, err);
	if (rc == XB_OK)
		rc = check_usable(*own, 1, err);
	if (rc == XB_OK)
		rc = keys_find(ctx, norm, 0, to, err);
	if (rc == XB_OK)
		rc = check_usable(*to, 0, err);
	if (rc == XB_OK)
		rc = check_usable(*own, 0, err);
	return rc;
}

/* Sets our key as the signer and makes the data objects in and out. */
static int sign_encrypt_data(gpgme_ctx_t ctx, gpgme_key_t own,
			     struct gpgme_data_cbs *cbs, struct src_state *ss,
			     int out_fd, gpgme_data_t *in, gpgme_data_t *out,
			     struct xb_error *err)
{
	gpgme_error_t e;

	gpgme_signers_clear(ctx);
	e = gpgme_signers_add(ctx, own);
	if (!e)
		e = gpgme_data_new_from_cbs(in, cbs, ss);
	if (!e)
		e = gpgme_data_new_from_fd(out, out_fd);
	if (!e)
		e = set_io_buffers(*in, *out);
	if (e)
		return keys_gpgme_fail(err, e, _("Could not sign and encrypt"));
	return XB_OK;
}

/* Signs and encrypts in to out, to the recipient and to ourselves. */
static int sign_encrypt_run(gpgme_ctx_t ctx, gpgme_key_t own, gpgme_key_t to,
			    gpgme_data_t in, gpgme_data_t out,
			    const struct src_state *ss, struct xb_error *err)
{
	gpgme_key_t rcpt[3] = { NULL, NULL, NULL };
	gpgme_error_t e;

	rcpt[0] = to;
	if (strcmp(to->subkeys->fpr, own->subkeys->fpr) != 0)
		rcpt[1] = own;
	e = gpgme_op_encrypt_sign(ctx, rcpt, GPGME_ENCRYPT_ALWAYS_TRUST, in,
				  out);
	if (ss->failed)
		return xb_fail(err, XB_EFAIL,
			       _("Could not read the data to encrypt: %s."),
			       strerror(ss->errnum));
	if (e)
		return write_fail(err, e, _("Could not sign and encrypt"));
	return XB_OK;
}

/* Checks that GnuPG encrypted to every key and signed with the office's. */
static int sign_encrypt_check(gpgme_ctx_t ctx, struct xb_error *err)
{
	gpgme_encrypt_result_t er = gpgme_op_encrypt_result(ctx);
	gpgme_sign_result_t sr = gpgme_op_sign_result(ctx);

	if (er == NULL || er->invalid_recipients != NULL)
		return xb_fail(err, XB_EFAIL,
			       _("GnuPG refused a key to encrypt to."));
	/* GPGME can succeed without signing (no usable signer). */
	if (sr == NULL || sr->signatures == NULL ||
	    sr->invalid_signers != NULL)
		return xb_fail(err, XB_EFAIL,
			       _("GnuPG did not sign the message with the "
				 "office key."));
	return XB_OK;
}

int keys_sign_encrypt(struct keys *k, const char *to_fpr, keys_read_fn src,
		      void *arg, int out_fd, struct xb_error *err)
{
	struct src_state ss = { src, arg, 0, 0 };
	struct gpgme_data_cbs cbs = { src_read, NULL, NULL, NULL };
	char norm[KEYS_FPR_LEN + 1];
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t own = NULL, to = NULL;
	gpgme_data_t in = NULL, out = NULL;
	int rc;

	if (src == NULL || out_fd < 0)
		return xb_fail(err, XB_EINVAL,
			       _("Nothing to encrypt or nowhere to write it."));
	rc = keys_fpr_norm(to_fpr, norm, err);
	if (rc != XB_OK)
		return rc;
	rc = keys_ctx_new(k, &ctx, err);
	if (rc != XB_OK)
		return rc;
	rc = sign_encrypt_keys(ctx, norm, &own, &to, err);
	if (rc == XB_OK)
		rc = sign_encrypt_data(ctx, own, &cbs, &ss, out_fd, &in, &out,
				       err);
	if (rc == XB_OK)
		rc = sign_encrypt_run(ctx, own, to, in, out, &ss, err);
	if (rc == XB_OK)
		rc = sign_encrypt_check(ctx, err);
	gpgme_data_release(in);
	gpgme_data_release(out);
	gpgme_key_unref(own);
	gpgme_key_unref(to);
	gpgme_release(ctx);
	return rc;
}

int keys_unlock(struct keys *k, const char *what, struct xb_error *err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t own = NULL;
	gpgme_data_t in = NULL, out = NULL;
	gpgme_error_t e;
	int rc = XB_OK;

	keys_hold_passphrase(k);
	if (k->kept_set)
		return XB_OK;
	if (keys_ctx_new(k, &ctx, NULL) != XB_OK)
		return XB_OK;
	if (keys_own_key(ctx, &own, NULL) == XB_OK &&
	    !gpgme_signers_add(ctx, own) &&
	    !gpgme_data_new_from_mem(&in, "xiangban", 8, 0) &&
	    !gpgme_data_new(&out)) {
		e = gpgme_op_sign(ctx, in, out, GPGME_SIG_MODE_DETACH);
		switch (gpgme_err_code(e)) {
		case GPG_ERR_CANCELED:
		case GPG_ERR_FULLY_CANCELED:
		case GPG_ERR_BAD_PASSPHRASE:
		case GPG_ERR_NO_PASSPHRASE:
		case GPG_ERR_NO_PIN:
			rc = keys_gpgme_fail(err, e, what);
			keys_forget_passphrase(k);
			keys_hold_passphrase(k);
			break;
		default:
			break;
		}
	}
	gpgme_data_release(in);
	gpgme_data_release(out);
	gpgme_key_unref(own);
	gpgme_release(ctx);
	return rc;
}

/* The primary fingerprint of the key in the home holding id (a
 * fingerprint or a long key ID of a primary key or subkey); 0 if found. */
static int signer_primary(struct keys *k, const char *id,
			  char out[KEYS_FPR_LEN + 1])
{
	gpgme_ctx_t ctx;
	gpgme_key_t key = NULL;
	size_t n = id ? strlen(id) : 0;
	int rc;

	out[0] = '\0';
	if (n != 16 && n != KEYS_FPR_LEN)
		return -1;
	if (strspn(id, "0123456789abcdefABCDEF") != n)
		return -1;
	if (keys_ctx_new(k, &ctx, NULL) != XB_OK)
		return -1;
	rc = keys_find(ctx, id, 0, &key, NULL);
	if (rc == XB_OK)
		rc = keys_info_fill(key, NULL, NULL) == XB_OK ? XB_OK : -1;
	if (rc == XB_OK)
		keys_fpr_norm(key->subkeys->fpr, out, NULL);
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc == XB_OK && out[0] != '\0' ? 0 : -1;
}

/* Applies the signature policy to vr (may be NULL). */
static void judge(struct keys *k, gpgme_verify_result_t vr,
		  struct keys_sig *sig)
{
	const char *reason = NULL;
	char fpr[KEYS_FPR_LEN + 1];

	for (gpgme_signature_t s = vr ? vr->signatures : NULL; s;
	     s = s->next) {
		sig->nsigs++;
		int missing = gpgme_err_code(s->status) == GPG_ERR_NO_PUBKEY ||
			      (s->summary & GPGME_SIGSUM_KEY_MISSING);
		int known = signer_primary(k, s->fpr, fpr) == 0;

		if (missing || !known) {
			if (reason == NULL)
				reason = _("signed by an unknown key");
			continue;
		}
		if (sig->fpr[0] == '\0') {
			memcpy(sig->fpr, fpr, sizeof(sig->fpr));
		} else if (strcmp(sig->fpr, fpr) != 0 && reason == NULL) {
			reason = _("signed by several keys");
		}
		if (s->status != 0 || (s->summary & GPGME_SIGSUM_RED)) {
			if (s->summary & GPGME_SIGSUM_KEY_REVOKED)
				reason = _("signed by a revoked key");
			else if (s->summary & GPGME_SIGSUM_KEY_EXPIRED)
				reason = _("signed by an expired key");
			else
				reason = _("bad signature");
		}
	}
	if (sig->nsigs == 0)
		reason = _("unsigned");
	sig->good = reason == NULL;
	snprintf(sig->reason, sizeof(sig->reason), "%s", reason ? reason : "");
}

/* Whether every recipient of the message is a key we lack. */
static int not_for_us(gpgme_decrypt_result_t dr)
{
	int n = 0;

	if (dr == NULL)
		return 0;
	for (gpgme_recipient_t r = dr->recipients; r; r = r->next) {
		n++;
		if (gpgme_err_code(r->status) != GPG_ERR_NO_SECKEY)
			return 0;
	}
	return n > 0;
}

/* The passphrase prompt while decrypting: ours for our key; a request for
 * a symmetric passphrase (we never encrypt that way) is refused and
 * remembered, since damaged data can parse as a symmetric-key packet. */
struct dec_hook {
	struct keys *k;
	int sym_asked;
};

static gpgme_error_t dec_pass_cb(void *hook, const char *uid_hint,
				 const char *info, int prev_bad, int fd)
{
	struct dec_hook *h = hook;
	/* NEED_PASSPHRASE gives "KEYID MAINKEYID ALGO 0" (16 hex digits
	 * first), NEED_PASSPHRASE_SYM "CIPHER S2K-MODE S2K-HASH". */
	if (info == NULL || strcspn(info, " ") != 16) {
		h->sym_asked = 1;
		return gpgme_error(GPG_ERR_CANCELED);
	}
	return keys_pass_cb(h->k, uid_hint, info, prev_bad, fd);
}

/* Whether the message names a key we hold among its recipients: then it is
 * OpenPGP and meant for us, and a failure means damage. */
static int is_for_us(gpgme_decrypt_result_t dr)
{
	for (gpgme_recipient_t r = dr ? dr->recipients : NULL; r; r = r->next)
		if (r->status == 0)
			return 1;
	return 0;
}

/* Whether the file opens with a public-key encrypted session key packet,
 * as every message encrypted to a key does: cut short, it is damaged, not
 * of another kind. */
static int starts_encrypted(int fd)
{
	unsigned char b;
	if (pread(fd, &b, 1, 0) != 1 || !(b & 0x80))
		return 0;
	/* new format: the tag in the low six bits; old: bits 5-2 */
	return (b & 0x40) ? (b & 0x3f) == 1 : ((b >> 2) & 0x0f) == 1;
}

/* Makes the data objects: in reads in_fd, out writes to the sink ss. */
static int decrypt_data(int in_fd, struct gpgme_data_cbs *cbs,
			struct sink_state *ss, gpgme_data_t *in,
			gpgme_data_t *out, struct xb_error *err)
{
	gpgme_error_t e = gpgme_data_new_from_fd(in, in_fd);
	if (!e)
		e = gpgme_data_new_from_cbs(out, cbs, ss);
	if (!e)
		e = set_io_buffers(*in, *out);
	if (e)
		return keys_gpgme_fail(err, e, _("Could not decrypt"));
	return XB_OK;
}

/* The outcome of the decryption: e and dr mapped to one error or XB_OK. */
static int decrypt_result(gpgme_error_t e, gpgme_decrypt_result_t dr,
			  const struct sink_state *ss,
			  const struct dec_hook *hook, int in_fd,
			  struct xb_error *err)
{
	/* One flat chain, most specific case first: it stays whole because
	 * the order of its tests is the policy. */
	gpgme_err_code_t c = gpgme_err_code(e);
	int rc;

	if (ss->failed) {
		const char *full = xb_disk_full_msg(ss->errnum);
		rc = full ? xb_fail(err, XB_EFAIL, "%s", full)
			  : xb_fail(err, XB_EFAIL,
				    _("Could not keep the decrypted data: "
				      "%s."),
				    strerror(ss->errnum));
	} else if (!e && dr != NULL && dr->unsupported_algorithm != NULL) {
		rc = xb_fail(err, XB_EINVAL,
			     _("This file uses a cipher this program does "
			       "not read (%s)."),
			     dr->unsupported_algorithm);
	} else if (!e && dr != NULL) {
		rc = XB_OK;
	} else if (!e) {
		rc = xb_fail(err, XB_EFAIL,
			     _("GnuPG gave no result for the decryption."));
	} else if (hook->sym_asked && (is_for_us(dr) || ss->bytes > 0)) {
		rc = xb_fail(err, XB_EINVAL,
			     _("This file is damaged or incomplete. Ask the "
			       "sender to send it again."));
	} else if (c == GPG_ERR_CANCELED || c == GPG_ERR_FULLY_CANCELED ||
		   c == GPG_ERR_BAD_PASSPHRASE || c == GPG_ERR_NO_PASSPHRASE ||
		   c == GPG_ERR_NO_PIN) {
		rc = keys_gpgme_fail(err, e, _("Could not decrypt"));
	} else if (is_for_us(dr) || ss->bytes > 0) {
		/* Our key opened it, then it broke off (GPGME then reports the
		 * other recipient's NO_SECKEY as the error). */
		rc = xb_fail(err, XB_EINVAL,
			     _("This file is damaged or incomplete (GnuPG "
			       "says: %s). Ask the sender to send it "
			       "again."),
			     gpgme_strerror(e));
	} else if (c == GPG_ERR_NO_SECKEY || not_for_us(dr) ||
		   hook->sym_asked) {
		rc = xb_fail(err, XB_EINVAL,
			     _("This file is not encrypted to this office's "
			       "key: it was made for another office, or for "
			       "a key this office no longer has."));
	} else if (c == GPG_ERR_NO_DATA && !starts_encrypted(in_fd)) {
		rc = xb_fail(err, XB_EINVAL,
			     _("This file is not an OpenPGP message (it may "
			       "be empty or of another kind)."));
	} else if (gpgme_err_code_to_errno(c) != 0 && c != GPG_ERR_EPIPE &&
		   !is_for_us(dr) && ss->bytes == 0) {
		/* GPGME itself failed to read in_fd or the like (gpg giving
		 * up on damaged data shows as a broken pipe). */
		rc = keys_gpgme_fail(err, e, _("Could not decrypt"));
	} else {
		rc = xb_fail(err, XB_EINVAL,
			     _("This file is damaged or incomplete (GnuPG "
			       "says: %s). Ask the sender to send it "
			       "again."),
			     gpgme_strerror(e));
	}
	return rc;
}

/* A signature over a message we could not read whole proves nothing. */
static void sig_verdict(int rc, struct keys_sig *sig)
{
	if (rc != XB_OK && sig->good) {
		sig->good = 0;
		snprintf(sig->reason, sizeof(sig->reason), "%s",
			 _("the message could not be read to its end"));
	} else if (rc != XB_OK && sig->reason[0] == '\0') {
		snprintf(sig->reason, sizeof(sig->reason), "%s",
			 _("the message could not be read to its end"));
	}
}

int keys_decrypt_verify(struct keys *k, int in_fd, keys_write_fn sink,
			void *arg, struct keys_sig *sig, struct xb_error *err)
{
	struct sink_state ss = { sink, arg, 0, 0, 0 };
	struct dec_hook hook = { k, 0 };
	struct gpgme_data_cbs cbs = { NULL, sink_write, NULL, NULL };
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t in = NULL, out = NULL;
	gpgme_decrypt_result_t dr;
	gpgme_error_t e;
	int rc;

	memset(sig, 0, sizeof(*sig));
	if (sink == NULL || in_fd < 0) {
		rc = xb_fail(err, XB_EINVAL,
			     _("Nothing to decrypt or nowhere to put it."));
		goto verdict;
	}
	rc = keys_ctx_new(k, &ctx, err);
	if (rc != XB_OK)
		goto verdict;
	rc = decrypt_data(in_fd, &cbs, &ss, &in, &out, err);
	if (rc != XB_OK)
		goto verdict;
	gpgme_set_passphrase_cb(ctx, dec_pass_cb, &hook);
	e = gpgme_op_decrypt_verify(ctx, in, out);
	dr = gpgme_op_decrypt_result(ctx);
	judge(k, gpgme_op_verify_result(ctx), sig);
	rc = decrypt_result(e, dr, &ss, &hook, in_fd, err);
verdict:
	sig_verdict(rc, sig);
	gpgme_data_release(in);
	gpgme_data_release(out);
	gpgme_release(ctx);
	return rc;
}
