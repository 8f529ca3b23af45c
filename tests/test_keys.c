/* test_keys.c - the office keys with real GnuPG: three offices A, B and C
 * in throwaway homes under /tmp (short paths: the agent's socket must fit),
 * key exchange, streamed sign+encrypt and decrypt+verify, damaged and
 * foreign messages, a passphrase-protected key, and the checks on paths
 * and key files. Every home's agent is stopped with gpgconf at the end. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "../keys/keys.h"

#define PLAIN_LEN (300 * 1024 + 17)

enum { A, B, C, NOFF };
static struct tu_office off[NOFF]; /* folders, homes and keys, no ledger */
static const char *const codes[NOFF] = { "220221100", "220221101",
					 "220221102" };
static const char *const names[NOFF] = { "城关镇", "西河乡", "东岭镇" };
static char work[TU_SHORT]; /* key files and messages */

static int group_setup(void **state)
{
	struct xb_error err;
	(void)state;
	tu_lang(NULL);
	if (tu_short_dir(work) != 0)
		return -1;
	for (int i = 0; i < NOFF; i++) {
		if (tu_office_up(&off[i], codes[i], names[i], TU_KEY) != 0)
			return -1;
		char path[64];
		snprintf(path, sizeof(path), "%s/%c.asc", work, 'a' + i);
		if (keys_export_public(off[i].k, off[i].info.fpr, path, &err) !=
		    XB_OK) {
			fprintf(stderr, "setup: %s\n", err.msg);
			return -1;
		}
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NOFF; i++)
		tu_office_down(&off[i]);
	/* The long-path test's home lives in work. */
	char longest[128];
	snprintf(longest, sizeof(longest), "%s/", work);
	while ((int)strlen(longest) <
	       KEYS_SOCKET_MAX - (int)strlen("/S.gpg-agent.browser"))
		strcat(longest, "e");
	tu_gnupg_stop(longest);
	tu_rmtree(work);
	return 0;
}

/* Imports office `from`'s exported key into office `into`. */
static void import_into(int into, int from)
{
	struct xb_error err;
	struct keys_info ki;
	char path[64];
	snprintf(path, sizeof(path), "%s/%c.asc", work, 'a' + from);
	if (keys_import_file(off[into].k, path, &ki, &err) != XB_OK)
		fail_msg("import: %s", err.msg);
	assert_string_equal(ki.fpr, off[from].info.fpr);
}

/* Deterministic bytes of plaintext, all 256 values. */
static unsigned char plain_byte(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

/* A source of PLAIN_LEN bytes in uneven chunks; fails at fail_at if set. */
struct src {
	size_t pos, len, fail_at;
};

static ssize_t src_fn(void *arg, void *buf, size_t len)
{
	struct src *s = arg;
	size_t n = len < 7001 ? len : 7001;
	if (s->fail_at && s->pos >= s->fail_at) {
		errno = EIO;
		return -1;
	}
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	for (size_t i = 0; i < n; i++)
		((unsigned char *)buf)[i] = plain_byte(s->pos + i);
	s->pos += n;
	return (ssize_t)n;
}

/* A sink that keeps everything; fails with fail_errno once fed if set. */
struct sink {
	unsigned char *buf;
	size_t len, cap;
	int fail_errno;
};

static ssize_t sink_fn(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;
	if (s->fail_errno) {
		errno = s->fail_errno;
		return -1;
	}
	if (s->len + len > s->cap) {
		size_t cap = (s->len + len) * 2;
		unsigned char *p = realloc(s->buf, cap);
		if (p == NULL) {
			errno = ENOMEM;
			return -1;
		}
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	return (ssize_t)len;
}

/* Whether the sink holds exactly the source's plaintext. */
static int sink_is_plain(const struct sink *s)
{
	if (s->len != PLAIN_LEN)
		return 0;
	for (size_t i = 0; i < s->len; i++)
		if (s->buf[i] != plain_byte(i))
			return 0;
	return 1;
}

/* Office `from` signs and encrypts PLAIN_LEN bytes to `to` into path. */
static void make_msg(int from, int to, const char *path)
{
	struct xb_error err;
	struct src s = { 0, PLAIN_LEN, 0 };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	if (keys_sign_encrypt(off[from].k, off[to].info.fpr, src_fn, &s, fd,
			      &err) != XB_OK)
		fail_msg("sign_encrypt: %s", err.msg);
	assert_int_equal(close(fd), 0);
	assert_int_equal(s.pos, PLAIN_LEN);
}

/* Office `who` decrypts path; returns the result code. */
static int open_msg(int who, const char *path, struct sink *out,
		    struct keys_sig *sig, struct xb_error *err)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	int rc = keys_decrypt_verify(off[who].k, fd, sink_fn, out, sig, err);
	close(fd);
	return rc;
}

static void test_create_own(void **state)
{
	struct xb_error err;
	struct keys_info own, again;
	struct stat st;
	(void)state;

	assert_int_equal(stat(off[A].home, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(strlen(off[A].info.fpr), KEYS_FPR_LEN);
	assert_string_equal(off[A].info.uid, "城关镇 (xiangban 220221100)");
	assert_true(off[A].info.has_secret);
	assert_true(off[A].info.can_sign);
	assert_true(off[A].info.can_encrypt);
	assert_false(off[A].info.revoked);
	assert_false(off[A].info.expired);

	assert_int_equal(keys_own(off[A].k, &own, &err), XB_OK);
	assert_string_equal(own.fpr, off[A].info.fpr);
	assert_string_equal(own.uid, off[A].info.uid);
	assert_true(own.has_secret);
	assert_string_not_equal(off[A].info.fpr, off[B].info.fpr);

	assert_int_equal(keys_create(off[A].k, codes[A], names[A], NULL,
				     &again, &err),
			 XB_EEXIST);
	assert_msg_has(err, "already has a key");
	assert_int_equal(keys_own(off[A].k, &own, &err), XB_OK);
	assert_string_equal(own.fpr, off[A].info.fpr);

	/* keys_open again leaves the home as it is. */
	struct keys *k2 = NULL;
	assert_int_equal(keys_open(off[A].home, &k2, &err), XB_OK);
	assert_string_equal(keys_home(k2), off[A].home);
	assert_int_equal(keys_own(k2, &own, &err), XB_OK);
	assert_string_equal(own.fpr, off[A].info.fpr);
	keys_close(&k2);
	assert_null(k2);
	keys_close(&k2);

	assert_int_equal(keys_create(off[A].k, "", names[A], NULL, NULL, &err),
			 XB_EINVAL);
	assert_string_equal(err.field, "office_code");
	assert_int_equal(keys_create(off[A].k, codes[A], "x<y>", NULL, NULL,
				     &err),
			 XB_EINVAL);
	assert_string_equal(err.field, "office_name");
	/* What a terminal would act on or hide, and a second tag of ours,
	 * are refused before anything is made. */
	static const char *const bad[] = {
		"口前镇\x1b[2J", "口前镇\r\nFingerprint: 0000", "口前镇\xE2\x80\xAE",
		"口前镇\xE2\x80\x8B", "口前镇\xC2\x9B", "口前镇 (xiangban 220221)",
		"口前镇\xFF",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(keys_create(off[A].k, codes[A], bad[i], NULL, NULL, &err),
				 XB_EINVAL);
		assert_string_equal(err.field, "office_name");
	}
}

/* The demo office's name, with ASCII brackets, makes a key (issue 11):
 * brackets of either width are part of real office names. */
static void test_create_bracketed_name(void **state)
{
	struct tu_office o;
	struct xb_error err;
	struct keys_info info;
	(void)state;
	assert_int_equal(tu_office_up(&o, NULL, NULL, 0), 0);
	assert_int_equal(keys_open(o.home, &o.k, &err), XB_OK);
	assert_int_equal(keys_create(o.k, "220221100", "永吉县示范镇(演示)", NULL, &info,
				     &err),
			 XB_OK);
	assert_string_equal(info.uid, "永吉县示范镇(演示) (xiangban 220221100)");
	tu_office_down(&o);
}

static void test_peek_import(void **state)
{
	struct xb_error err;
	struct keys_info peek, got;
	char path[64];
	(void)state;

	/* C has never seen A's key. */
	snprintf(path, sizeof(path), "%s/a.asc", work);
	assert_int_equal(keys_lookup(off[C].k, off[A].info.fpr, &got, &err),
			 XB_ENOTFOUND);
	assert_int_equal(keys_peek_file(off[C].k, path, &peek, &err), XB_OK);
	assert_string_equal(peek.fpr, off[A].info.fpr);
	assert_string_equal(peek.uid, off[A].info.uid);
	assert_false(peek.has_secret);
	assert_true(peek.can_encrypt);
	/* Peeking imported nothing. */
	assert_int_equal(keys_lookup(off[C].k, off[A].info.fpr, &got, &err),
			 XB_ENOTFOUND);

	/* A file that does not hold the key that was checked. */
	assert_int_equal(keys_import_file_expect(off[C].k, path,
						 off[B].info.fpr, &got, &err),
			 XB_EINVAL);
	assert_msg_has(err, "fingerprint changed");
	assert_int_equal(keys_lookup(off[C].k, off[A].info.fpr, &got, &err),
			 XB_ENOTFOUND);

	char lower[KEYS_FPR_LEN + 1];
	for (int i = 0; i <= KEYS_FPR_LEN; i++)
		lower[i] = (char)tolower((unsigned char)peek.fpr[i]);
	assert_int_equal(keys_import_file_expect(off[C].k, path, lower, &got,
						 &err),
			 XB_OK);
	assert_string_equal(got.fpr, off[A].info.fpr);
	assert_false(got.has_secret);
	assert_int_equal(keys_lookup(off[C].k, off[A].info.fpr, &got, &err),
			 XB_OK);
	assert_string_equal(got.fpr, off[A].info.fpr);
	assert_string_equal(got.uid, "城关镇 (xiangban 220221100)");
	assert_false(got.has_secret);

	/* The grouped form and lower case find it too. */
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(off[A].info.fpr, groups, sizeof(groups));
	assert_int_equal(keys_lookup(off[C].k, groups, &got, &err), XB_OK);
	assert_int_equal(keys_lookup(off[C].k, lower, &got, &err), XB_OK);
	assert_int_equal(keys_lookup(off[C].k, "ABCD", &got, &err), XB_EINVAL);

	/* Importing again is harmless. */
	assert_int_equal(keys_import_file(off[C].k, path, &got, &err), XB_OK);
	assert_string_equal(got.fpr, off[A].info.fpr);

	/* A's own key seen from A: has_secret says it is ours. */
	assert_int_equal(keys_peek_file(off[A].k, path, &peek, &err), XB_OK);
	assert_true(peek.has_secret);
}

static void test_lookup_subkey(void **state)
{
	struct xb_error err;
	struct keys_info got;
	char cmd[256], line[512], sub[KEYS_FPR_LEN + 1] = "";
	(void)state;

	/* The encryption subkey's fingerprint, from gpg's colon listing. */
	snprintf(cmd, sizeof(cmd),
		 "gpg --homedir '%s' --batch --with-colons "
		 "--with-subkey-fingerprint --list-keys %s 2>/dev/null",
		 off[A].home, off[A].info.fpr);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	int after_sub = 0;
	while (fgets(line, sizeof(line), p)) {
		if (strncmp(line, "sub:", 4) == 0)
			after_sub = 1;
		else if (after_sub && strncmp(line, "fpr:", 4) == 0 &&
			 sub[0] == '\0')
			sscanf(line, "fpr:::::::::%40[0-9A-F]", sub);
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(strlen(sub), KEYS_FPR_LEN);
	assert_string_not_equal(sub, off[A].info.fpr);
	assert_int_equal(keys_lookup(off[A].k, sub, &got, &err), XB_OK);
	assert_string_equal(got.fpr, off[A].info.fpr);
	assert_true(got.has_secret);
	assert_int_equal(keys_lookup(off[A].k, off[B].info.fpr, &got, &err) ==
				 XB_OK ||
			 err.code == XB_ENOTFOUND,
			 1);
}

static void test_fpr_groups(void **state)
{
	char buf[KEYS_FPR_GROUPS_LEN], small[12];
	(void)state;

	keys_fpr_groups("0123456789abcdef0123456789ABCDEF01234567", buf,
			sizeof(buf));
	assert_string_equal(buf, "0123 4567 89AB CDEF 0123 4567 89AB CDEF "
				 "0123 4567");
	assert_int_equal(strlen(buf), 49);
	keys_fpr_groups(off[A].info.fpr, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 49);
	for (int g = 0; g < 10; g++) {
		assert_memory_equal(buf + g * 5, off[A].info.fpr + g * 4, 4);
		if (g < 9)
			assert_int_equal(buf[g * 5 + 4], ' ');
	}
	keys_fpr_groups("0123456789ABCDEF0123456789ABCDEF01234567", small,
			sizeof(small));
	assert_string_equal(small, "0123 4567 8");
	keys_fpr_groups("0123", buf, sizeof(buf));
	assert_string_equal(buf, "");
	keys_fpr_groups(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_round_trip(void **state)
{
	struct xb_error err;
	struct keys_sig sig;
	struct sink out = { 0 };
	char path[64];
	(void)state;

	import_into(A, B);
	import_into(B, A);
	snprintf(path, sizeof(path), "%s/ab.gpg", work);
	make_msg(A, B, path);

	/* Binary OpenPGP, not armour; smaller than the plaintext (it is
	 * compressible) or not, but not empty. */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 100);
	int fd = open(path, O_RDONLY);
	unsigned char first;
	assert_int_equal(read(fd, &first, 1), 1);
	close(fd);
	assert_true(first & 0x80);

	if (open_msg(B, path, &out, &sig, &err) != XB_OK)
		fail_msg("decrypt in B: %s", err.msg);
	assert_true(sink_is_plain(&out));
	assert_int_equal(sig.good, 1);
	assert_int_equal(sig.nsigs, 1);
	assert_string_equal(sig.fpr, off[A].info.fpr);
	assert_string_equal(sig.reason, "");

	/* Encrypted to the sender too. */
	out.len = 0;
	if (open_msg(A, path, &out, &sig, &err) != XB_OK)
		fail_msg("decrypt in A: %s", err.msg);
	assert_true(sink_is_plain(&out));
	assert_int_equal(sig.good, 1);
	assert_string_equal(sig.fpr, off[A].info.fpr);

	/* Plain gpg reads it. */
	assert_int_equal(tu_run("gpg --homedir '%s' --batch --quiet --yes "
			     "--output '%s/ab.out' --decrypt '%s' "
			     ">/dev/null 2>&1",
			     off[B].home, work, path),
			 0);
	char outp[64];
	snprintf(outp, sizeof(outp), "%s/ab.out", work);
	assert_int_equal(stat(outp, &st), 0);
	assert_int_equal(st.st_size, PLAIN_LEN);
	free(out.buf);
}

static void test_foreign_damaged(void **state)
{
	struct xb_error err;
	struct keys_sig sig;
	struct sink out = { 0 };
	char path[64], bad[64];
	struct stat st;
	(void)state;

	import_into(A, B);
	import_into(B, A);
	snprintf(path, sizeof(path), "%s/ab2.gpg", work);
	make_msg(A, B, path);

	/* C is neither recipient. */
	assert_int_equal(open_msg(C, path, &out, &sig, &err), XB_EINVAL);
	assert_msg_has(err, "not encrypted to this office's key");
	assert_false(sig.good);

	/* A flipped byte in the middle. */
	assert_int_equal(stat(path, &st), 0);
	snprintf(bad, sizeof(bad), "%s/flip.gpg", work);
	assert_int_equal(tu_run("cp '%s' '%s'", path, bad), 0);
	int fd = open(bad, O_RDWR);
	unsigned char b;
	assert_int_equal(pread(fd, &b, 1, st.st_size / 2), 1);
	b ^= 0x20;
	assert_int_equal(pwrite(fd, &b, 1, st.st_size / 2), 1);
	close(fd);
	out.len = 0;
	assert_int_equal(open_msg(B, bad, &out, &sig, &err), XB_EINVAL);
	assert_msg_has(err, "damaged or incomplete");
	assert_false(sig.good);
	assert_string_not_equal(sig.reason, "");

	/* Flips all over the body: damaged data can look like any packet
	 * (even one asking for a password), and the session key differs in
	 * every message. */
	for (int i = 1; i < 16; i++) {
		off_t at = st.st_size * i / 16;
		assert_int_equal(tu_run("cp '%s' '%s'", path, bad), 0);
		fd = open(bad, O_RDWR);
		assert_int_equal(pread(fd, &b, 1, at), 1);
		b ^= (unsigned char)(1u << (i % 8));
		assert_int_equal(pwrite(fd, &b, 1, at), 1);
		close(fd);
		out.len = 0;
		int rc = open_msg(B, bad, &out, &sig, &err);
		if (rc != XB_EINVAL || !strstr(err.msg, "damaged or incomplete"))
			fail_msg("flip at %lld: %d %s", (long long)at, rc,
				 err.msg);
		assert_false(sig.good);
	}

	/* Cut in half. */
	assert_int_equal(truncate(bad, 0), 0);
	assert_int_equal(tu_run("head -c %lld '%s' > '%s'",
			     (long long)st.st_size / 2, path, bad),
			 0);
	out.len = 0;
	assert_int_equal(open_msg(B, bad, &out, &sig, &err), XB_EINVAL);
	assert_msg_has(err, "damaged or incomplete");
	assert_false(sig.good);

	/* Cut just before the end (the signature is at the end). */
	assert_int_equal(tu_run("head -c %lld '%s' > '%s'",
			     (long long)st.st_size - 3, path, bad),
			 0);
	out.len = 0;
	assert_int_equal(open_msg(B, bad, &out, &sig, &err), XB_EINVAL);
	assert_msg_has(err, "damaged or incomplete");
	assert_false(sig.good);

	/* Not OpenPGP at all. */
	assert_int_equal(tu_run("echo 'hello, not a message' > '%s'", bad), 0);
	out.len = 0;
	assert_int_equal(open_msg(B, bad, &out, &sig, &err), XB_EINVAL);
	assert_msg_has(err, "not an OpenPGP message");
	assert_false(sig.good);
	free(out.buf);
}

static void test_other_signer(void **state)
{
	struct xb_error err;
	struct keys_sig sig;
	struct sink out = { 0 };
	char path[64];
	(void)state;

	import_into(C, B);
	snprintf(path, sizeof(path), "%s/cb.gpg", work);
	make_msg(C, B, path);

	/* B does not have C's key yet: readable, but not a good signature. */
	struct keys_info ki;
	if (keys_lookup(off[B].k, off[C].info.fpr, &ki, &err) ==
	    XB_ENOTFOUND) {
		assert_int_equal(open_msg(B, path, &out, &sig, &err), XB_OK);
		assert_true(sink_is_plain(&out));
		assert_false(sig.good);
		assert_int_equal(sig.nsigs, 1);
		assert_string_equal(sig.reason, "signed by an unknown key");
		assert_string_equal(sig.fpr, "");
	}

	import_into(B, C);
	out.len = 0;
	assert_int_equal(open_msg(B, path, &out, &sig, &err), XB_OK);
	assert_true(sink_is_plain(&out));
	assert_true(sig.good);
	assert_string_equal(sig.fpr, off[C].info.fpr);
	assert_string_not_equal(sig.fpr, off[A].info.fpr);
	free(out.buf);
}

static void test_unsigned(void **state)
{
	struct xb_error err;
	struct keys_sig sig;
	struct sink out = { 0 };
	char path[64];
	(void)state;

	/* Plain gpg in A, encrypting to B without signing. */
	import_into(A, B);
	snprintf(path, sizeof(path), "%s/uns.gpg", work);
	assert_int_equal(tu_run("printf 'no signature here' | gpg --homedir '%s' "
			     "--batch --yes --trust-model always --recipient "
			     "%s --output '%s' --encrypt >/dev/null 2>&1",
			     off[A].home, off[B].info.fpr, path),
			 0);
	assert_int_equal(open_msg(B, path, &out, &sig, &err), XB_OK);
	assert_int_equal(out.len, strlen("no signature here"));
	assert_false(sig.good);
	assert_int_equal(sig.nsigs, 0);
	assert_string_equal(sig.reason, "unsigned");
	free(out.buf);
}

static void test_stream_failures(void **state)
{
	struct xb_error err;
	struct keys_sig sig;
	struct sink out = { 0 };
	struct src s = { 0, PLAIN_LEN, 100000 };
	char path[64];
	(void)state;

	import_into(A, B);
	import_into(B, A);
	snprintf(path, sizeof(path), "%s/fail.gpg", work);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(keys_sign_encrypt(off[A].k, off[B].info.fpr, src_fn,
					   &s, fd, &err),
			 XB_EFAIL);
	assert_msg_has(err, "Could not read the data to encrypt");
	close(fd);

	/* A full disk under the output. */
	fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		struct src s2 = { 0, PLAIN_LEN, 0 };
		assert_int_equal(keys_sign_encrypt(off[A].k, off[B].info.fpr,
						   src_fn, &s2, fd, &err),
				 XB_EFAIL);
		assert_msg_has(err, "disk is full");
		close(fd);
	}

	/* Unknown recipient. */
	fd = open(path, O_WRONLY | O_TRUNC);
	struct src s3 = { 0, PLAIN_LEN, 0 };
	assert_int_equal(keys_sign_encrypt(off[A].k,
					   "0123456789ABCDEF0123456789ABCDEF01234567",
					   src_fn, &s3, fd, &err),
			 XB_ENOTFOUND);
	close(fd);

	/* A sink on a full disk. */
	make_msg(A, B, path);
	out.fail_errno = ENOSPC;
	assert_int_equal(open_msg(B, path, &out, &sig, &err), XB_EFAIL);
	assert_msg_has(err, "disk is full");
	out.fail_errno = EIO;
	assert_int_equal(open_msg(B, path, &out, &sig, &err), XB_EFAIL);
	assert_msg_has(err, "Could not keep the decrypted data");
	free(out.buf);
}

static void test_key_files(void **state)
{
	struct xb_error err;
	struct keys_info ki;
	char path[64], two[64], a[64], b[64];
	(void)state;

	snprintf(path, sizeof(path), "%s/junk.asc", work);
	assert_int_equal(tu_run("echo 'this is not a key' > '%s'", path), 0);
	assert_int_equal(keys_peek_file(off[B].k, path, &ki, &err), XB_EINVAL);
	assert_msg_has(err, "not an OpenPGP key");
	assert_int_equal(keys_import_file(off[B].k, path, &ki, &err),
			 XB_EINVAL);

	/* A message is OpenPGP but not a key. */
	snprintf(path, sizeof(path), "%s/msg.gpg", work);
	import_into(A, B);
	make_msg(A, B, path);
	assert_int_equal(keys_peek_file(off[B].k, path, &ki, &err), XB_EINVAL);

	/* Two keys in one file. */
	snprintf(a, sizeof(a), "%s/a.asc", work);
	snprintf(b, sizeof(b), "%s/b.asc", work);
	snprintf(two, sizeof(two), "%s/two.asc", work);
	assert_int_equal(tu_run("cat '%s' '%s' > '%s'", a, b, two), 0);
	assert_int_equal(keys_peek_file(off[C].k, two, &ki, &err), XB_EINVAL);
	assert_msg_has(err, "2 keys");
	assert_int_equal(keys_import_file(off[C].k, two, &ki, &err),
			 XB_EINVAL);

	/* A secret key, armoured and binary. */
	for (int armor = 0; armor < 2; armor++) {
		snprintf(path, sizeof(path), "%s/sec%d", work, armor);
		assert_int_equal(tu_run("gpg --homedir '%s' --batch --yes "
				     "--pinentry-mode loopback --passphrase '' "
				     "%s --output '%s' --export-secret-keys %s "
				     ">/dev/null 2>&1",
				     off[A].home, armor ? "--armor" : "", path,
				     off[A].info.fpr),
			 0);
		assert_int_equal(keys_peek_file(off[C].k, path, &ki, &err),
				 XB_EINVAL);
		assert_msg_has(err, "SECRET");
		assert_int_equal(keys_import_file(off[C].k, path, &ki, &err),
				 XB_EINVAL);
	}
	assert_int_equal(keys_own(off[C].k, &ki, &err), XB_OK);
	assert_string_equal(ki.fpr, off[C].info.fpr);

	/* Missing file, empty file. */
	snprintf(path, sizeof(path), "%s/none.asc", work);
	assert_int_equal(keys_peek_file(off[C].k, path, &ki, &err),
			 XB_ENOTFOUND);
	assert_int_equal(tu_run(": > '%s'", path), 0);
	assert_int_equal(keys_peek_file(off[C].k, path, &ki, &err), XB_EINVAL);

	/* Export of a key the home lacks; export leaves no temp file. */
	snprintf(path, sizeof(path), "%s/x.asc", work);
	assert_int_equal(keys_export_public(off[C].k,
					    "0123456789ABCDEF0123456789ABCDEF01234567",
					    path, &err),
			 XB_ENOTFOUND);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(keys_export_public(off[C].k, off[C].info.fpr,
					    "/nonexistent-dir/x.asc", &err),
			 XB_EFAIL);
	assert_int_equal(keys_export_public(off[C].k, off[C].info.fpr, path,
					    &err),
			 XB_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(tu_run("grep -q 'BEGIN PGP PUBLIC KEY BLOCK' '%s'", path),
			 0);
	assert_int_equal(tu_run("ls '%s' | grep -c 'x.asc.' >/dev/null", work), 1);
}

static void test_long_home(void **state)
{
	struct xb_error err;
	struct keys *k = NULL;
	char path[200];
	(void)state;

	snprintf(path, sizeof(path), "%s/", work);
	while (strlen(path) < 120)
		strcat(path, "d");
	assert_int_equal(keys_open(path, &k, &err), XB_EINVAL);
	assert_null(k);
	assert_msg_has(err, "path is too long");
	assert_msg_has(err, "--home");
	assert_int_equal(access(path, F_OK), -1);

	/* Just within the limit works. */
	int max = KEYS_SOCKET_MAX - (int)strlen("/S.gpg-agent.browser");
	snprintf(path, sizeof(path), "%s/", work);
	while ((int)strlen(path) < max)
		strcat(path, "e");
	assert_int_equal(keys_open(path, &k, &err), XB_OK);
	keys_close(&k);
	strcat(path, "e");
	assert_int_equal(keys_open(path, &k, &err), XB_EINVAL);
	assert_int_equal(keys_open("", &k, &err), XB_EINVAL);
}

/* The home of a ledger's data directory: <datadir>/gnupg, refused with
 * keys_open's message when the agent's sockets would not fit under it,
 * or when it does not fit the caller's buffer. */
static void test_home_path(void **state)
{
	struct xb_error err;
	char data[200], home[200], small[8];
	(void)state;

	assert_int_equal(keys_home_path("/srv/ledger", home, sizeof(home), &err), XB_OK);
	assert_string_equal(home, "/srv/ledger/gnupg");
	int max = KEYS_SOCKET_MAX - (int)strlen("/S.gpg-agent.browser");
	snprintf(data, sizeof(data), "/");
	while ((int)strlen(data) < max - (int)strlen("/gnupg"))
		strcat(data, "d");
	assert_int_equal(keys_home_path(data, home, sizeof(home), &err), XB_OK);
	assert_int_equal((int)strlen(home), max);
	strcat(data, "d");
	assert_int_equal(keys_home_path(data, home, sizeof(home), &err), XB_EINVAL);
	assert_msg_has(err, "path is too long");
	assert_msg_has(err, "--home");
	assert_int_equal(keys_home_path("/srv", small, sizeof(small), &err), XB_EINVAL);
}

static void test_stop_agent(void **state)
{
	struct xb_error err;
	struct keys_info ki;
	(void)state;

	keys_close(NULL);
	assert_int_equal(keys_stop_agent(off[C].home, &err), XB_OK);
	/* GnuPG starts the agent again on demand. */
	assert_int_equal(keys_own(off[C].k, &ki, &err), XB_OK);
	assert_string_equal(ki.fpr, off[C].info.fpr);
	assert_int_equal(keys_stop_agent("", &err), XB_EINVAL);
}

/* --- the passphrase-protected key ------------------------------------- */

struct pass_answer {
	const char *give;
	int calls, bad_seen;
};

static int pass_fn(void *arg, const char *uid_hint, int prev_bad, char *buf,
		   size_t len)
{
	struct pass_answer *a = arg;
	(void)uid_hint;
	a->calls++;
	if (prev_bad) {
		a->bad_seen++;
		if (a->bad_seen > 1)
			return 1; /* give up */
	}
	snprintf(buf, len, "%s", a->give);
	return 0;
}

static int pass_setup(void **state)
{
	static struct tu_office d;
	if (tu_office_up(&d, NULL, NULL, 0) != 0 || mkdir(d.home, 0700) != 0)
		return -1;
	/* No cache: a wrong passphrase right after a right one must fail. */
	char conf[64];
	snprintf(conf, sizeof(conf), "%s/gpg-agent.conf", d.home);
	FILE *f = fopen(conf, "w");
	if (f == NULL)
		return -1;
	fputs("allow-loopback-pinentry\ns2k-count 65536\n"
	      "default-cache-ttl 0\nmax-cache-ttl 0\n",
	      f);
	fclose(f);
	*state = &d;
	return 0;
}

static int pass_teardown(void **state)
{
	tu_office_down(*state);
	return 0;
}

static void test_passphrase(void **state)
{
	struct tu_office *d = *state;
	struct xb_error err;
	struct keys_sig sig;
	struct sink out = { 0 };
	struct pass_answer ans = { "correct horse", 0, 0 };
	char path[64];

	assert_int_equal(keys_open(d->home, &d->k, &err), XB_OK);
	if (keys_create(d->k, "220221199", "南山乡", "correct horse", &d->info,
			&err) != XB_OK)
		fail_msg("create: %s", err.msg);
	assert_true(d->info.has_secret);
	snprintf(path, sizeof(path), "%s/self.gpg", d->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);

	/* No prompt: a clear message. */
	struct src s = { 0, PLAIN_LEN, 0 };
	assert_int_equal(keys_sign_encrypt(d->k, d->info.fpr, src_fn, &s, fd,
					   &err),
			 XB_EINVAL);
	assert_msg_has(err, "protected by a passphrase and none was given");

	/* The right one. */
	keys_set_passphrase_fn(d->k, pass_fn, &ans);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	struct src s2 = { 0, PLAIN_LEN, 0 };
	if (keys_sign_encrypt(d->k, d->info.fpr, src_fn, &s2, fd, &err) !=
	    XB_OK)
		fail_msg("sign with passphrase: %s", err.msg);
	assert_true(ans.calls >= 1);
	assert_int_equal(ans.bad_seen, 0);
	close(fd);
	fd = open(path, O_RDONLY);
	assert_int_equal(keys_decrypt_verify(d->k, fd, sink_fn, &out, &sig,
					     &err),
			 XB_OK);
	close(fd);
	assert_true(sink_is_plain(&out));
	assert_true(sig.good);
	assert_string_equal(sig.fpr, d->info.fpr);

	/* A wrong one right after: the agent must not have kept the right. */
	ans.give = "wrong horse";
	ans.calls = 0;
	fd = open(path, O_WRONLY | O_TRUNC);
	struct src s3 = { 0, PLAIN_LEN, 0 };
	assert_int_equal(keys_sign_encrypt(d->k, d->info.fpr, src_fn, &s3, fd,
					   &err),
			 XB_EINVAL);
	assert_msg_has(err, "passphrase of the office key is wrong");
	assert_true(ans.calls >= 1);
	close(fd);
	free(out.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_own),
		cmocka_unit_test(test_create_bracketed_name),
		cmocka_unit_test(test_peek_import),
		cmocka_unit_test(test_lookup_subkey),
		cmocka_unit_test(test_fpr_groups),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_foreign_damaged),
		cmocka_unit_test(test_other_signer),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_stream_failures),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_long_home),
		cmocka_unit_test(test_home_path),
		cmocka_unit_test(test_stop_agent),
		cmocka_unit_test_setup_teardown(test_passphrase, pass_setup,
						pass_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
