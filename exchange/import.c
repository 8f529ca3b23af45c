/* import.c - a bundle taken in: a first pass over the whole file, on the
 * calling thread, checks its signature, manifest and order before
 * anything reaches the store (and asks the key's passphrase, if it has
 * one, which keys/ then holds for the import); a second pass, in one
 * transaction, checks and merges its records as the reader (reader.c)
 * parses them in a thread of its own. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gcrypt.h>
#include <jansson.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"

/* Sequences are counted from 1; the logs key them with ten digits. */
#define BUNDLE_SEQ_MAX 999999999

struct import_state {
	struct store *st;
	struct store_txn *txn;
	const char *self;
	const char *user;
	const char *sha256; /* of the file */
	int allow_gap;
	char today[11];
	uint64_t lineno;
	/* from the manifest */
	int have_manifest;
	char from[13];
	uint64_t seq, expect;
	int64_t created_at;
	uint64_t declared[STORE_KIND_MAX + 1], declared_total;
	/* the sender's travelling settings (ledger_settings_sent), "" for
	 * one its manifest did not carry (a bundle of an older xiangban) */
	char settings[LEDGER_SETTINGS_SENT_MAX][16];
	struct store_merge_marks marks;
	struct keys_peer peer;
	struct bundle_import_result *res;
	bundle_progress_fn progress;
	void *parg;
	char last_parent[64]; /* the last record found to sit under */
	/* the first problem; the rest of the plaintext is then read, not
	 * used, so that a damaged file is told as damaged */
	int problem;
	int duplicate;
	struct xb_error err;
};

/* What the manifest says of itself, and who it comes from: no record is
 * looked at before the sender is known to be bound. */
static int manifest_check(struct import_state *s, json_t *m)
{
	struct xb_error *err = &s->err;
	const char *format = bundle_json_str(m, "format"), *from = bundle_json_str(m, "from"), *to = bundle_json_str(m, "to");
	if (!json_is_object(m) || format == NULL || strcmp(format, BUNDLE_FORMAT) != 0)
		return xb_fail(err, XB_EINVAL, _("This is not a xiangban bundle."));
	int64_t fv = bundle_json_int(m, "format_version"), sv = bundle_json_int(m, "schema_version");
	if (fv < 1 || fv > BUNDLE_FORMAT_VERSION || sv < 1 || sv > FORM_SCHEMA_VERSION)
		return xb_fail(err, XB_EINVAL,
			       _("This bundle was made by a newer xiangban (bundle "
				 "format %" PRId64 ", schema %" PRId64 "; this "
				 "one reads up to %d and %d). Update xiangban, "
				 "then import it again."),
			       fv, sv, BUNDLE_FORMAT_VERSION, FORM_SCHEMA_VERSION);
	if (from == NULL || to == NULL || !keys_office_code_valid(from))
		return xb_fail(err, XB_EINVAL, _("The bundle's manifest is damaged."));
	if (strcmp(to, s->self) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("This bundle is addressed to office %s, not to "
				 "this office (%s)."),
			       to, s->self);
	snprintf(s->from, sizeof(s->from), "%s", from);
	snprintf(s->res->from, sizeof(s->res->from), "%s", from);
	int ret = bundle_bound_peer(s->st, from, &s->peer, err);
	if (ret != XB_OK)
		return ret;
	json_t *seq = json_object_get(m, "sequence");
	if (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    json_integer_value(seq) > BUNDLE_SEQ_MAX)
		return xb_fail(err, XB_EINVAL,
			       _("The bundle's manifest is damaged: its sequence "
				 "number is not a whole number from 1 to %d."),
			       BUNDLE_SEQ_MAX);
	s->seq = (uint64_t)json_integer_value(seq);
	s->res->sequence = s->seq;
	s->created_at = bundle_json_int(m, "created_at");
	json_t *counts = json_object_get(m, "counts");
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		int64_t c = bundle_json_int(counts, store_kind_name(bundle_kinds[i]));
		s->declared[bundle_kinds[i]] = c > 0 ? (uint64_t)c : 0;
	}
	int64_t total = bundle_json_int(m, "records");
	s->declared_total = total > 0 ? (uint64_t)total : 0;
	/* Checked when noted (settings_note); a key of a newer xiangban is
	 * passed over. */
	json_t *settings = json_object_get(m, "settings");
	for (size_t i = 0; ledger_settings_sent[i] != NULL; i++) {
		const char *v = bundle_json_str(settings, ledger_settings_sent[i]);
		snprintf(s->settings[i], sizeof(s->settings[i]), "%s", v ? v : "");
	}
	return XB_OK;
}

/* Notes the sender's settings its manifest carried, in the import's
 * transaction. */
static int settings_note(struct import_state *s, struct xb_error *err)
{
	for (size_t i = 0; ledger_settings_sent[i] != NULL; i++) {
		if (s->settings[i][0] == '\0')
			continue;
		struct xb_error why;
		int ret = ledger_office_setting_note(s->st, s->txn, s->from,
						     ledger_settings_sent[i], s->settings[i], &why);
		if (ret == XB_EINVAL)
			return xb_fail(err, XB_EINVAL,
				       _("The bundle's manifest is damaged: its "
					 "setting %s is \"%s\" (%s). It was not "
					 "imported."),
				       ledger_settings_sent[i], s->settings[i], why.msg);
		if (ret != XB_OK) {
			*err = why;
			return ret;
		}
	}
	return XB_OK;
}

/* Only a good signature by the key bound to the sending office. */
static int signer_check(struct import_state *s, const struct keys_sig *sig)
{
	if (!sig->good)
		return xb_fail(&s->err, XB_EINVAL,
			       _("The bundle's signature is not good (%s); it was "
				 "not imported."),
			       sig->reason);
	if (strcmp(sig->fpr, s->peer.fpr) != 0)
		return xb_fail(&s->err, XB_EINVAL,
			       _("The bundle says it comes from office %s, but it "
				 "was signed by another key (%s), not the one "
				 "bound to that office. It was not imported."),
			       s->from, sig->fpr);
	return XB_OK;
}

static int is_sha256(const char *h)
{
	return h != NULL && strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64;
}

/* A bundle older than the last one imported: it may only be one that an
 * import with --allow-gap skipped over. */
static int skipped_before(struct import_state *s, int *skipped)
{
	struct store_pair *p;
	size_t n;
	char prefix[20];
	snprintf(prefix, sizeof(prefix), "%s/", s->from);
	*skipped = 0;
	int ret = store_book_list(s->st, s->txn, STORE_BOOK_RECEIVED, prefix, &p, &n,
				  &s->err);
	if (ret != XB_OK)
		return ret;
	for (size_t i = 0; i < n && !*skipped; i++) {
		json_t *e = bundle_json_parse(p[i].value);
		int64_t seq = bundle_json_int(e, "sequence"), missing = bundle_json_int(e, "missing_before");
		if ((uint64_t)seq > s->seq && missing > 0 && (uint64_t)(seq - missing) <= s->seq)
			*skipped = 1;
		json_decref(e);
	}
	store_pairs_free(p, n);
	return XB_OK;
}

/* A bundle numbered at or below the last one imported from its sender:
 * the same file again (s->duplicate: nothing to do), or one an import
 * with --allow-gap skipped over; any other is refused. */
static int earlier_check(struct import_state *s, uint64_t last_seq)
{
	struct xb_error *err = &s->err;
	char key[40], *was = NULL;
	snprintf(key, sizeof(key), "%s/%010" PRIu64, s->from, s->seq);
	int ret = store_book_get(s->st, s->txn, STORE_BOOK_RECEIVED, key, &was, err);
	if (ret == XB_OK) {
		json_t *e = bundle_json_parse(was);
		const char *sha = bundle_json_str(e, "sha256");
		int same = sha != NULL && strcmp(sha, s->sha256) == 0;
		json_decref(e);
		free(was);
		if (same) {
			s->duplicate = 1;
			return XB_OK;
		}
		return xb_fail(err, XB_EINVAL,
			       _("Bundle %" PRIu64 " from office %s was "
				 "imported before, and this file is not that "
				 "bundle: it may be forged. It was not "
				 "imported; ask office %s which bundle they "
				 "sent."),
			       s->seq, s->from, s->from);
	}
	if (ret != XB_ENOTFOUND)
		return ret;
	int skipped;
	if ((ret = skipped_before(s, &skipped)) != XB_OK)
		return ret;
	if (!skipped)
		return xb_fail(err, XB_EINVAL,
			       _("Bundle %" PRIu64 " from office %s is older "
				 "than bundle %" PRIu64 " imported before, "
				 "and it is not one that was skipped. It was "
				 "not imported."),
			       s->seq, s->from, last_seq);
	xb_error_clear(err);
	return XB_OK;
}

/* The order of bundles from the sender: a replay changes nothing, another
 * file under a number already taken is a forgery, a gap needs allow_gap,
 * and each bundle names the one before it. */
static int sequence_check(struct import_state *s, json_t *m)
{
	struct xb_error *err = &s->err;
	json_t *last;
	uint64_t last_seq;
	int64_t last_at;
	int ret = bundle_peer_last(s->st, s->txn, STORE_BOOK_RECEIVED, s->from, &last_seq,
				   &last_at, &last, err);
	if (ret != XB_OK)
		return ret;
	const char *prev = bundle_json_str(m, "previous_sha256");
	char last_sha[65] = "";
	if (last && is_sha256(bundle_json_str(last, "sha256")))
		snprintf(last_sha, sizeof(last_sha), "%s", bundle_json_str(last, "sha256"));
	s->marks.received_since = last_at;
	json_decref(last);
	s->expect = last_seq + 1;
	if (s->seq > 1 && !is_sha256(prev))
		return xb_fail(err, XB_EINVAL,
			       _("The bundle's manifest is damaged: it does not "
				 "name the bundle before it."));
	if (s->seq <= last_seq) {
		if ((ret = earlier_check(s, last_seq)) != XB_OK || s->duplicate)
			return ret;
	} else if (s->seq > s->expect && !s->allow_gap) {
		return xb_fail(err, XB_EINVAL,
			       _("Bundles %" PRIu64 " to %" PRIu64 " from office %s "
				 "have not been imported; this is bundle %" PRIu64 ". "
				 "Import them first, or import this one anyway "
				 "with --allow-gap."),
			       s->expect, s->seq - 1, s->from, s->seq);
	} else if (s->seq == s->expect && last_sha[0] != '\0' &&
		   strcmp(prev, last_sha) != 0) {
		return xb_fail(err, XB_EINVAL,
			       _("Bundle %" PRIu64 " from office %s does not follow "
				 "the bundle %" PRIu64 " imported before: it names "
				 "another bundle before it. It may be forged, or "
				 "their ledger was restored from a backup; it was "
				 "not imported. Ask office %s."),
			       s->seq, s->from, last_seq, s->from);
	}
	if (s->seq > s->expect)
		s->res->missing = s->seq - s->expect;
	/* Marks for merging: our last bundle to them, their last to us. */
	json_t *sent;
	uint64_t sent_seq;
	int64_t sent_at;
	if ((ret = bundle_peer_last(s->st, s->txn, STORE_BOOK_SENT, s->from, &sent_seq, &sent_at,
				    &sent, err)) != XB_OK)
		return ret;
	s->marks.sent_mark = sent ? (uint64_t)bundle_json_int(sent, "mark") : 0;
	json_decref(sent);
	return XB_OK;
}

static int keep_conflict(struct import_state *s, json_t *line,
			 const struct store_record *in)
{
	struct store_record *ours = NULL;
	int ret = store_get(s->st, s->txn, in->kind, in->id, &ours, &s->err);
	if (ret != XB_OK)
		return ret;
	json_t *e = json_object();
	json_object_set_new(e, "from", json_string(s->from));
	json_object_set_new(e, "sequence", json_integer((json_int_t)s->seq));
	json_object_set_new(e, "at", json_integer(xb_now()));
	json_object_set_new(e, "ours_version", json_integer(ours->version));
	json_object_set_new(e, "record", json_incref(line));
	store_record_free(&ours);
	char *text = bundle_json_dump(e), key[96];
	json_decref(e);
	if (text == NULL)
		return xb_fail(&s->err, XB_EFAIL, _("Out of memory."));
	snprintf(key, sizeof(key), "%s", in->id);
	ret = store_book_put(s->st, s->txn, STORE_BOOK_CONFLICTS, key, text, &s->err);
	free(text);
	return ret;
}

/* A transfer addressed to this township, landed for the first time (the
 * same transfer again merges as the same or an older record): its child
 * becomes a file here, in this transaction. */
static int taken_in(struct import_state *s, const struct store_record *rec)
{
	const char *to = store_record_get(rec, FK_to);
	if (rec->kind != STORE_TRANSFER || to == NULL || strcmp(to, s->self) != 0)
		return XB_OK;
	char case_no[LEDGER_CASE_MAX];
	int ret = bundle_transfer_arrive(s->st, s->txn, rec, s->user, case_no, &s->err);
	if (ret == XB_OK)
		s->res->transfers_in++;
	return ret;
}

static int record_line(struct import_state *s, struct bundle_line *l)
{
	struct xb_error *err = &s->err;
	struct store_record *rec = l->rec;
	int ret = XB_OK;
	char owner[13];
	if (l->problem != NULL) {
		*err = *l->problem;
		ret = err->code;
	} else if ((ret = ledger_record_placed(s->st, s->txn, NULL, rec, owner,
					       s->last_parent, err)) == XB_OK &&
		   !bundle_may_carry_record(s->from, s->self, owner, rec)) {
		/* A township sends its own records; a county sends its own,
		 * those of the township it writes to and the transfers
		 * addressed to it. */
		ret = xb_fail(err, XB_EINVAL,
			      _("%s belongs to office %s, which may not send it "
				"here."),
			      rec->id, owner);
	}
	if (ret == XB_OK && l->invalid != NULL) {
		*err = *l->invalid;
		ret = err->code;
	}
	if (ret == XB_OK) {
		s->res->counts.kind[rec->kind]++;
		s->res->counts.total++;
		enum store_merge_result m;
		ret = store_merge(s->st, s->txn, rec, &s->marks, s->user, &m, err);
		if (ret == XB_OK) {
			switch (m) {
			case STORE_MERGE_NEW:
				s->res->added++;
				ret = taken_in(s, rec);
				break;
			case STORE_MERGE_NEWER: s->res->replaced++; break;
			case STORE_MERGE_SAME: s->res->same++; break;
			case STORE_MERGE_OLDER: s->res->older++; break;
			case STORE_MERGE_CONFLICT:
				s->res->conflicts++;
				ret = keep_conflict(s, l->json, rec);
				break;
			}
		}
	}
	return ret;
}

/* One line of plaintext, parsed. */
static void import_line(struct import_state *s, struct bundle_line *l)
{
	s->lineno = l->lineno;
	int ret;
	if (l->json == NULL) {
		s->err = *l->problem;
		ret = s->err.code;
		if (l->whole) {
			s->problem = ret;
			return;
		}
	} else if (!s->have_manifest) {
		s->have_manifest = 1;
		ret = manifest_check(s, l->json);
		if (ret == XB_OK)
			ret = sequence_check(s, l->json);
	} else if (s->duplicate) {
		ret = XB_OK; /* read for the signature, not used */
	} else {
		ret = record_line(s, l);
		if (s->progress && s->lineno % BUNDLE_PROGRESS_EVERY == 0)
			s->progress(s->parg, s->lineno - 1, s->declared_total);
	}
	if (ret != XB_OK) {
		s->problem = ret;
		/* Say where, unless the whole bundle is at fault. */
		if (s->lineno > 1 && ret == XB_EINVAL) {
			char msg[sizeof(s->err.msg)];
			snprintf(msg, sizeof(msg), "%s", s->err.msg);
			xb_fail(&s->err, XB_EINVAL,
				_("Line %" PRIu64 " of the bundle: %s The bundle was "
				  "not imported."),
				s->lineno, msg);
		}
	}
}

struct import_run {
	struct import_state *s;
	struct keys *k;
	int fd;
	const char *path;
	char sha256[65];       /* of the file */
	char plain_sha256[65]; /* of the plaintext, as the first pass read it */
	struct keys_sig sig;
	int plain; /* no keys: the file is the plaintext (bundle_import_plain) */
	int dry_run;   /* everything but the commit */
	int dry_done;  /* ... and it would have committed */
};

static void import_reset(struct import_state *s)
{
	struct bundle_import_result *res = s->res;
	memset(res, 0, sizeof(*res));
	s->lineno = 0;
	s->have_manifest = 0;
	s->problem = 0;
	s->duplicate = 0;
	s->from[0] = '\0';
	s->last_parent[0] = '\0';
	memset(&s->marks, 0, sizeof(s->marks));
	xb_error_clear(&s->err);
}

/* --- the first pass: the signature, before anything reaches the store --- */

/* Enough for any manifest: it counts records, it does not hold them. */
enum { MANIFEST_MAX = 64 << 10 };

struct first_pass {
	gcry_md_hd_t md;
	char manifest[MANIFEST_MAX];
	size_t len;
	int whole;    /* the manifest's line ended */
	int too_long; /* no end within MANIFEST_MAX */
	uint64_t bytes;
};

static ssize_t first_pass_sink(void *arg, const void *data, size_t len)
{
	struct first_pass *f = arg;
	gcry_md_write(f->md, data, len);
	f->bytes += len;
	if (!f->whole && !f->too_long) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - (const char *)data) : len;
		if (f->len + n > sizeof(f->manifest)) {
			f->too_long = 1;
		} else {
			memcpy(f->manifest + f->len, data, n);
			f->len += n;
			f->whole = nl != NULL;
		}
	}
	return (ssize_t)len;
}

/* Decrypts the whole bundle once, keeping only its manifest and a digest
 * of its plaintext, and refuses it unless it is whole, addressed to us,
 * signed by the key bound to the office it names, and next in order (or
 * a replay). Damage is told first, then the manifest, then the signer. */
static int first_pass(struct import_run *r, struct xb_error *err)
{
	struct import_state *s = r->s;
	struct first_pass *f = calloc(1, sizeof(*f));
	if (f == NULL || gcry_md_open(&f->md, GCRY_MD_SHA256, 0) != 0) {
		free(f);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	int ret = XB_OK;
	if (lseek(r->fd, 0, SEEK_SET) < 0)
		ret = xb_fail(err, XB_EFAIL, _("Cannot read the bundle: %s."),
			      strerror(errno));
	if (ret == XB_OK)
		ret = keys_decrypt_verify(r->k, r->fd, first_pass_sink, f, &r->sig, err);
	if (ret == XB_OK)
		bundle_hex_digest(gcry_md_read(f->md, GCRY_MD_SHA256), r->plain_sha256);
	json_t *m = NULL;
	if (ret == XB_OK && f->bytes == 0)
		ret = xb_fail(err, XB_EINVAL, _("The bundle is empty."));
	else if (ret == XB_OK && (f->too_long ||
				  (m = json_loadb(f->manifest, f->len,
						  JSON_REJECT_DUPLICATES, NULL)) == NULL))
		ret = xb_fail(err, XB_EINVAL, _("This is not a xiangban bundle."));
	if (ret == XB_OK) {
		import_reset(s);
		s->txn = NULL;
		if ((ret = manifest_check(s, m)) == XB_OK &&
		    (ret = signer_check(s, &r->sig)) == XB_OK)
			ret = sequence_check(s, m);
		if (ret != XB_OK)
			*err = s->err;
	}
	json_decref(m);
	gcry_md_close(f->md);
	free(f);
	return ret;
}

static int log_received(struct import_run *r, struct xb_error *err)
{
	struct import_state *s = r->s;
	json_t *e = json_object();
	const char *base = strrchr(r->path, '/');
	json_object_set_new(e, "sequence", json_integer((json_int_t)s->seq));
	json_object_set_new(e, "file", json_string(base ? base + 1 : r->path));
	json_object_set_new(e, "sha256", json_string(r->sha256));
	json_object_set_new(e, "plain_sha256", json_string(r->plain_sha256));
	json_object_set_new(e, "created_at", json_integer(s->created_at));
	json_object_set_new(e, "imported_at", json_integer(xb_now()));
	json_object_set_new(e, "by", json_string(s->user ? s->user : ""));
	json_object_set_new(e, "signer", json_string(r->sig.fpr));
	json_object_set_new(e, "counts", bundle_counts_json(&s->res->counts));
	json_object_set_new(e, "added", json_integer((json_int_t)s->res->added));
	json_object_set_new(e, "replaced", json_integer((json_int_t)s->res->replaced));
	json_object_set_new(e, "same", json_integer((json_int_t)s->res->same));
	json_object_set_new(e, "older", json_integer((json_int_t)s->res->older));
	json_object_set_new(e, "conflicts", json_integer((json_int_t)s->res->conflicts));
	json_object_set_new(e, "transfers_in", json_integer((json_int_t)s->res->transfers_in));
	json_object_set_new(e, "missing_before", json_integer((json_int_t)s->res->missing));
	char *text = bundle_json_dump(e), key[40];
	json_decref(e);
	if (text == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	snprintf(key, sizeof(key), "%s/%010" PRIu64, s->from, s->seq);
	int ret = store_book_put(s->st, s->txn, STORE_BOOK_RECEIVED, key, text, err);
	free(text);
	return ret;
}

/* The second pass, in one transaction: the lines checked and merged as
 * they are decrypted. The signature was good in the first pass; it is
 * checked again, with the plaintext's digest, so that a file changed in
 * between lands nothing. */
static int import_fn(struct store *st, struct store_txn *txn, void *arg,
		     struct xb_error *err)
{
	(void)st;
	struct import_run *r = arg;
	struct import_state *s = r->s;
	s->txn = txn;
	import_reset(s);
	if (lseek(r->fd, 0, SEEK_SET) < 0)
		return xb_fail(err, XB_EFAIL, _("Cannot read the bundle: %s."),
			       strerror(errno));
	struct bundle_reader *rd;
	int ret = bundle_reader_start(r->k, r->fd, s->today, &rd, err);
	if (ret != XB_OK)
		return ret;
	struct bundle_line *l;
	while (!s->problem && bundle_reader_next(rd, &l) == 1) {
		import_line(s, l);
		if (s->duplicate)
			bundle_reader_skip(rd); /* read the rest, parse none */
	}
	/* Another writer holds a lock: the store will run this again. */
	int retry = s->problem == XB_EDEADLOCK;
	char digest[65];
	struct keys_sig sig;
	ret = bundle_reader_finish(&rd, retry, !s->problem, &sig, digest, err);
	if (retry) {
		*err = s->err;
		return s->problem;
	}
	/* Damage first: a damaged file also yields nonsense lines. */
	if (ret != XB_OK)
		return ret;
	if (!s->have_manifest && !s->problem)
		return xb_fail(err, XB_EINVAL, _("The bundle is empty."));
	if (!s->problem && !r->plain && s->peer.fpr[0] != '\0' &&
	    signer_check(s, &sig) != XB_OK)
		s->problem = s->err.code;
	if (!s->problem && strcmp(digest, r->plain_sha256) != 0)
		s->problem = xb_fail(&s->err, XB_EINVAL,
				     _("The bundle changed while it was imported; "
				       "nothing was imported. Import it again."));
	if (s->problem) {
		*err = s->err;
		return s->problem;
	}
	snprintf(s->res->signer, sizeof(s->res->signer), "%s", sig.fpr);
	if (s->duplicate) {
		s->res->duplicate = 1;
		return XB_EEXIST; /* nothing to write: abort */
	}
	if (s->res->counts.total != s->declared_total)
		return xb_fail(err, XB_EINVAL,
			       _("The bundle is incomplete: its manifest lists "
				 "%" PRIu64 " records, it holds %" PRIu64 ". It was "
				 "not imported."),
			       s->declared_total, s->res->counts.total);
	for (size_t i = 0; i < BUNDLE_NKINDS; i++)
		if (s->res->counts.kind[bundle_kinds[i]] != s->declared[bundle_kinds[i]])
			return xb_fail(err, XB_EINVAL,
				       _("The bundle is incomplete: its manifest "
					 "does not match its records. It was not "
					 "imported."));
	ret = settings_note(s, err);
	if (ret != XB_OK)
		return ret;
	if (r->dry_run) {
		r->dry_done = 1;
		return XB_EEXIST; /* everything checked and merged: abort */
	}
	return log_received(r, err);
}

/* The two passes over the bundle open on fd; path names it in the log. */
static int import_fd(struct store *st, struct keys *k, int fd, const char *path,
		     int allow_gap, int dry_run, const char *user,
		     bundle_progress_fn progress, void *parg,
		     struct bundle_import_result *res, struct xb_error *err)
{
	memset(res, 0, sizeof(*res));
	bundle_crypto_init();
	char self[13];
	int ret = ledger_office(st, self, err);
	if (ret != XB_OK)
		return ret;
	struct import_state s;
	memset(&s, 0, sizeof(s));
	struct import_run r = { &s, k, fd, path, "", "", { 0 }, k == NULL, dry_run, 0 };
	s.st = st;
	s.self = self;
	s.user = user;
	s.sha256 = r.sha256;
	s.allow_gap = allow_gap;
	s.res = res;
	s.progress = progress;
	s.parg = parg;
	xb_today(s.today, sizeof(s.today));
	uint64_t size;
	ret = bundle_file_digest(fd, r.sha256, &size, err);
	if (ret == XB_OK && r.plain)
		memcpy(r.plain_sha256, r.sha256, sizeof(r.sha256));
	else if (ret == XB_OK)
		ret = first_pass(&r, err);
	if (ret == XB_OK && s.duplicate) {
		/* a replay: the first pass said all there is to say */
		res->duplicate = 1;
		snprintf(res->signer, sizeof(res->signer), "%s", r.sig.fpr);
	} else if (ret == XB_OK) {
		ret = store_run(st, import_fn, &r, err);
	}
	if (ret == XB_EEXIST && (res->duplicate || r.dry_done)) {
		xb_error_clear(err);
		ret = XB_OK;
	}
	if (ret == XB_OK && progress && !res->duplicate)
		progress(parg, res->counts.total, res->counts.total);
	return ret;
}

int bundle_import(struct store *st, struct keys *k, const char *path,
		  int allow_gap, const char *user, bundle_progress_fn progress,
		  void *parg, struct bundle_import_result *res,
		  struct xb_error *err)
{
	memset(res, 0, sizeof(*res));
	int ret = ledger_access(st, NULL, user, LEDGER_EXCHANGE, NULL, err);
	if (ret)
		return ret;
	if (k == NULL)
		return xb_fail(err, XB_EINVAL, _("This office has no key yet."));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ENOTFOUND : XB_EFAIL,
			       _("Cannot open %s: %s."), path, strerror(errno));
	/* The passphrase, if the key has one, is asked in the first pass, on
	 * this thread; the second pass's reader thread is given it. */
	keys_hold_passphrase(k);
	ret = import_fd(st, k, fd, path, allow_gap, 0, user, progress, parg, res, err);
	keys_forget_passphrase(k);
	close(fd);
	return ret;
}

int bundle_import_plain(struct store *st, int fd, int allow_gap, int dry_run,
			const char *user, struct bundle_import_result *res,
			struct xb_error *err)
{
	return import_fd(st, NULL, fd, "plaintext", allow_gap, dry_run, user, NULL, NULL,
			 res, err);
}
