/* export.c - a bundle made for one office, in four steps: the plan (what
 * to send), the write (the records as lines, made in a thread of their own
 * and signed and encrypted by GPGME into a temporary file, then put in
 * place), the check (the file read back and decrypted), and the log (the
 * sequence advanced). Any failure takes the file away again. The thread
 * pays on two cores (bench/README.md: 2.0 s instead of 2.2 s) and costs
 * nothing on one; it never touches the keys, whose passphrase is asked
 * (keys_unlock) on the calling thread before it starts. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gcrypt.h>
#include <jansson.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/handoff.h"
#include "../common/i18n.h"
#include "../common/safe_file.h"
#include "../forms/forms.h"
#include "../stats/stats.h"
#include "../forms/ledger.h"

/* The ids of one kind that go into a bundle. */
struct idlist {
	char **ids;
	size_t n, cap;
};

/* One export: its plan (export_plan), then the lines made from it. */
struct export_state {
	struct store *st;
	char self[13];
	const char *to;
	const char *user;
	struct idlist lists[BUNDLE_NKINDS];
	int all;                 /* the whole ledger: read in one pass */
	struct store_iter *iter; /* over kind iter_kind */
	size_t iter_kind;
	/* the lines, made in a thread of their own (make_lines) */
	char *line; /* kept from line to line, grown as needed */
	size_t len, cap;
	size_t kind, next;
	int manifest_sent;
	json_t *manifest;
	gcry_md_hd_t md; /* of the plaintext */
	atomic_uint_fast64_t done;
	int failed; /* by the thread, before it closes the queue */
	struct xb_error err;
	struct handoff q; /* of struct chunk */
	pthread_t maker;
	/* GPGME's side, in the calling thread */
	struct chunk *cur;
	int read_failed; /* GPGME was told the lines failed (x->err says why) */
	uint64_t told, total;
	bundle_progress_fn progress;
	void *parg;
	/* the rest of the plan */
	int asked_all;                  /* --all: the log says so */
	int tables_only;                /* statistics tables alone */
	char to_fpr[KEYS_FPR_LEN + 1];  /* the receiver's bound key */
	char own_fpr[KEYS_FPR_LEN + 1]; /* ours, which must sign what is read back */
	uint64_t mark;                  /* the store's generation before the records were read */
	int64_t now;
	char digest[65]; /* of the plaintext, once written */
};

/* Lines go to GPGME in chunks: a few of them wait, so that making the
 * next lines (store reads, jansson) goes on beside GPGME and gpg. */
enum { CHUNK_BYTES = 64 << 10, CHUNKS_WAITING = 8 };
struct chunk {
	struct handoff_link link; /* first */
	size_t len, pos;
	char data[CHUNK_BYTES];
};

static int idlist_add(struct idlist *l, const char *id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **p = realloc(l->ids, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		l->ids = p;
		l->cap = cap;
	}
	if ((l->ids[l->n] = strdup(id)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, each id once. */
static void idlist_unique(struct idlist *l)
{
	if (l->n == 0)
		return;
	qsort(l->ids, l->n, sizeof(*l->ids), cmp_str);
	size_t w = 1;
	for (size_t i = 1; i < l->n; i++) {
		if (strcmp(l->ids[i], l->ids[w - 1]) == 0)
			free(l->ids[i]);
		else
			l->ids[w++] = l->ids[i];
	}
	l->n = w;
}

static void idlists_free(struct idlist *lists)
{
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		for (size_t j = 0; j < lists[i].n; j++)
			free(lists[i].ids[j]);
		free(lists[i].ids);
		lists[i].ids = NULL;
		lists[i].n = lists[i].cap = 0;
	}
}

static size_t kind_slot(enum store_kind k)
{
	for (size_t i = 0; i < BUNDLE_NKINDS; i++)
		if (bundle_kinds[i] == k)
			return i;
	return BUNDLE_NKINDS;
}

/* What the receiver takes (bundle_may_carry): our own records, and from
 * a county, the receiving township's; never another township's. */
static int goes_to(const struct export_state *x, const char *origin,
		   enum store_kind kind)
{
	return bundle_may_carry(x->self, x->to, origin && *origin ? origin : x->self,
				kind);
}

/* The same, told by the record itself (a transfer goes where it names). */
static int record_goes_to(const struct export_state *x, const struct store_record *rec)
{
	const char *origin = rec->origin && *rec->origin ? rec->origin : x->self;
	return bundle_may_carry_record(x->self, x->to, origin, rec);
}

/* Every transfer the receiver may see: few, read whole for where they
 * go. */
static int collect_transfers(struct export_state *x, struct idlist *list,
			     struct xb_error *err)
{
	struct store_iter *it;
	struct store_record *r;
	int ret = store_iter_open(x->st, STORE_TRANSFER, STORE_BY_ID, STORE_ALL, NULL,
				  &it, err);
	if (ret != XB_OK)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		int fail = record_goes_to(x, r) && idlist_add(list, r->id);
		store_record_free(&r);
		if (fail) {
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			break;
		}
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

struct all_arg {
	struct export_state *x;
	struct idlist *list;
	enum store_kind kind;
};

static int collect_id(const char *id, const char *origin, void *arg)
{
	struct all_arg *a = arg;
	return goes_to(a->x, origin, a->kind) ? idlist_add(a->list, id) : 0;
}

/* Every record the receiver may see, by id and origin only: the records
 * themselves are read once, when written. */
static int collect_all(struct export_state *x, struct xb_error *err)
{
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		struct all_arg a = { x, &x->lists[i], bundle_kinds[i] };
		int ret = bundle_kinds[i] == STORE_TRANSFER
				  ? collect_transfers(x, &x->lists[i], err)
				  : store_ids(x->st, bundle_kinds[i], collect_id, &a, err);
		if (ret != XB_OK)
			return ret;
	}
	return XB_OK;
}

struct changed_arg {
	struct export_state *x;
	int failed;
};

/* Imports are not changes of ours: they go back only when changed here;
 * but a county passes the tables its townships filed on to its city, and
 * the transfers between them on to the townships they name. */
static int collect_change(const struct store_audit *a, void *arg)
{
	struct changed_arg *c = arg;
	size_t slot = kind_slot(a->kind);
	int passed_on = (a->kind == STORE_TABLE && strlen(c->x->to) == 4) ||
			(a->kind == STORE_TRANSFER && strlen(c->x->to) == 9);
	if (slot == BUNDLE_NKINDS || a->record_id == NULL ||
	    (a->action && ((strcmp(a->action, "import") == 0 && !passed_on) ||
			   strncmp(a->action, "key_", 4) == 0)))
		return 0; /* key bindings are this office's, not records */
	if (idlist_add(&c->x->lists[slot], a->record_id)) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

static int collect_changed(struct export_state *x, uint64_t since,
			   struct xb_error *err)
{
	struct changed_arg c = { x, 0 };
	int ret = store_audit_since(x->st, since, collect_change, &c, err);
	if (ret == XB_OK && c.failed)
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t i = 0; i < BUNDLE_NKINDS && ret == XB_OK; i++) {
		struct idlist *l = &x->lists[i];
		idlist_unique(l);
		/* Keep those whose office the receiver may see. */
		size_t w = 0;
		for (size_t j = 0; j < l->n; j++) {
			struct store_record *rec;
			int keep = 0;
			if (ret == XB_OK) {
				ret = store_get(x->st, NULL, bundle_kinds[i], l->ids[j],
						&rec, err);
				if (ret == XB_OK) {
					keep = record_goes_to(x, rec);
					store_record_free(&rec);
				}
			}
			if (keep)
				l->ids[w++] = l->ids[j];
			else
				free(l->ids[j]);
		}
		l->n = w;
	}
	return ret;
}

/* The record id of the current kind. A whole ledger is read in key order
 * alongside the sorted ids (one pass, not a lookup each); the ids are
 * what the manifest counted, so records added since are passed over. */
static int next_record(struct export_state *x, const char *id,
		       struct store_record **rec)
{
	if (!x->all)
		return store_get(x->st, NULL, bundle_kinds[x->kind], id, rec, &x->err);
	int ret;
	if (x->iter == NULL || x->iter_kind != x->kind) {
		store_iter_close(&x->iter);
		x->iter_kind = x->kind;
		ret = store_iter_open(x->st, bundle_kinds[x->kind], STORE_BY_ID, STORE_ALL,
				      NULL, &x->iter, &x->err);
		if (ret != XB_OK)
			return ret;
	}
	for (;;) {
		ret = store_iter_next(x->iter, rec, NULL, &x->err);
		if (ret != 1)
			return ret < 0 ? ret
				       : xb_fail(&x->err, XB_EFAIL,
						 _("%s vanished while the bundle was "
						   "written; make it again."),
						 id);
		int c = strcmp((*rec)->id, id);
		if (c == 0)
			return XB_OK;
		store_record_free(rec);
		if (c > 0)
			return xb_fail(&x->err, XB_EFAIL,
				       _("%s vanished while the bundle was written; "
					 "make it again."),
				       id);
	}
}

/* The next line of plaintext into x->line; 0 when there is none. */
static int next_line(struct export_state *x)
{
	x->len = 0;
	json_t *o = NULL;
	if (!x->manifest_sent) {
		x->manifest_sent = 1;
		o = json_incref(x->manifest);
	} else {
		while (x->kind < BUNDLE_NKINDS && x->next >= x->lists[x->kind].n) {
			x->kind++;
			x->next = 0;
		}
		if (x->kind == BUNDLE_NKINDS)
			return 0;
		struct store_record *rec;
		const char *id = x->lists[x->kind].ids[x->next++];
		if (next_record(x, id, &rec) != XB_OK)
			return -1;
		o = bundle_record_json(rec);
		store_record_free(&rec);
		atomic_fetch_add(&x->done, 1);
	}
	/* into the line kept from the last one: no allocation a line */
	size_t n = json_dumpb(o, x->line, x->cap, JSON_COMPACT);
	if (n + 1 > x->cap && n > 0) {
		size_t cap = 2 * (n + 1);
		char *p = realloc(x->line, cap);
		if (p != NULL) {
			x->line = p;
			x->cap = cap;
			n = json_dumpb(o, x->line, x->cap, JSON_COMPACT);
		}
	}
	json_decref(o);
	if (n == 0 || n + 1 > x->cap) {
		bundle_oom(&x->err);
		return -1;
	}
	x->len = n;
	x->line[x->len++] = '\n';
	gcry_md_write(x->md, x->line, x->len);
	return 1;
}

/* An empty chunk: one GPGME has finished with, else a new one. */
static struct chunk *chunk_empty(struct export_state *x)
{
	struct handoff_link *back = handoff_take_back(&x->q);
	struct chunk *c = (struct chunk *)back;
	if (c != NULL)
		handoff_free_list(back->next, free);
	else
		c = malloc(sizeof(*c));
	if (c != NULL)
		c->len = c->pos = 0;
	return c;
}

/* The thread making the plaintext: lines into chunks, until the last
 * line, a failure (x->failed, x->err) or GPGME's side cancelling. */
static void *make_lines(void *arg)
{
	struct export_state *x = arg;
	struct chunk *c = NULL;
	int r;
	while ((r = next_line(x)) > 0) {
		for (size_t pos = 0; pos < x->len;) {
			if (c == NULL && (c = chunk_empty(x)) == NULL) {
				bundle_oom(&x->err);
				x->failed = 1;
				goto out;
			}
			size_t n = x->len - pos < CHUNK_BYTES - c->len ? x->len - pos
									: CHUNK_BYTES - c->len;
			memcpy(c->data + c->len, x->line + pos, n);
			c->len += n;
			pos += n;
			if (c->len == CHUNK_BYTES) {
				if (handoff_put(&x->q, &c->link) < 0)
					goto out;
				c = NULL;
			}
		}
	}
	if (r < 0)
		x->failed = 1;
	else if (c != NULL && c->len > 0 && handoff_put(&x->q, &c->link) == 0)
		c = NULL;
out:
	free(c);
	store_iter_close(&x->iter); /* a cursor is closed where it was used */
	handoff_close(&x->q);
	return NULL;
}

/* GPGME asks for plaintext: what the chunks made so far hold, waiting
 * only when there is nothing yet. A call a line cost a write, a poll and
 * a wake-up of gpg for every record. */
static ssize_t export_read(void *arg, void *buf, size_t len)
{
	struct export_state *x = arg;
	size_t filled = 0;
	while (filled < len) {
		struct chunk *c = x->cur;
		if (c == NULL || c->pos == c->len) {
			if (c != NULL)
				handoff_give_back(&x->q, &c->link);
			c = x->cur = (struct chunk *)(filled == 0 ? handoff_get(&x->q)
								  : handoff_poll(&x->q));
			if (c == NULL)
				break;
		}
		size_t n = c->len - c->pos < len - filled ? c->len - c->pos : len - filled;
		memcpy((char *)buf + filled, c->data + c->pos, n);
		c->pos += n;
		filled += n;
	}
	if (filled == 0 && x->cur == NULL && x->failed) {
		/* the queue closed: the thread has set failed before */
		x->read_failed = 1;
		errno = EIO;
		return -1;
	}
	uint64_t done = atomic_load(&x->done);
	if (x->progress && done / BUNDLE_PROGRESS_EVERY > x->told / BUNDLE_PROGRESS_EVERY) {
		x->told = done;
		x->progress(x->parg, done, x->total);
	}
	return (ssize_t)filled;
}

/* Signs and encrypts the lines into fd, made in a thread beside GPGME;
 * x->read_failed then tells whether GPGME stopped for want of lines. */
static int write_lines(struct keys *k, const char *to_fpr, struct export_state *x,
		       int fd, struct xb_error *err)
{
	/* The passphrase is asked here, before the thread starts. */
	int ret = keys_unlock(k, _("Could not sign and encrypt"), err);
	if (ret != XB_OK)
		return ret;
	handoff_init(&x->q, CHUNKS_WAITING);
	int e = pthread_create(&x->maker, NULL, make_lines, x);
	if (e != 0) {
		handoff_destroy(&x->q);
		return xb_fail(err, XB_EFAIL, _("Cannot start writing the bundle: %s."),
			       strerror(e));
	}
	ret = keys_sign_encrypt(k, to_fpr, export_read, x, fd, err);
	/* GPGME may stop early (a full disk): the thread is then told to.
	 * Its chunks still queued are freed here, once, at the end. */
	handoff_cancel(&x->q);
	struct handoff_link *c;
	while ((c = handoff_get(&x->q)) != NULL)
		free(c);
	pthread_join(x->maker, NULL);
	free(x->cur);
	x->cur = NULL;
	handoff_free_list(handoff_take_back(&x->q), free);
	handoff_destroy(&x->q);
	return ret;
}

/* Reading a bundle we wrote back: its plaintext must be what we made. */
struct readback {
	gcry_md_hd_t md;
};

static ssize_t readback_write(void *arg, const void *buf, size_t len)
{
	struct readback *r = arg;
	gcry_md_write(r->md, buf, len);
	return (ssize_t)len;
}

static int export_verify(struct keys *k, const char *path, const char *own_fpr,
			 const char *digest, struct xb_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, XB_EFAIL,
			       _("The bundle cannot be read back from %s: %s."),
			       path, strerror(errno));
	struct readback r;
	if (gcry_md_open(&r.md, GCRY_MD_SHA256, 0) != 0) {
		close(fd);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	struct keys_sig sig;
	int ret = keys_decrypt_verify(k, fd, readback_write, &r, &sig, err);
	close(fd);
	char got[65];
	bundle_hex_digest(gcry_md_read(r.md, GCRY_MD_SHA256), got);
	gcry_md_close(r.md);
	if (ret == XB_OK &&
	    (!sig.good || strcmp(sig.fpr, own_fpr) != 0 || strcmp(got, digest) != 0))
		ret = xb_fail(err, XB_EFAIL,
			      _("The bundle read back from %s differs from what "
				"was written; the stick may be failing. Nothing "
				"was sent."),
			      path);
	return ret;
}

#define TEMP_PREFIX ".xiangban-export-"

/* A process killed while writing a bundle (power cut, stick pulled) leaves
 * its temporary file; the next export to the folder takes it away. One
 * touched in the last minutes may be another export's, still running. */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat sb;
		if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0 ||
		    fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode) || now - sb.st_mtime < 600)
			continue;
		unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

static int write_failed(const char *dir, int e, struct xb_error *err)
{
	if (e == ENOSPC || e == EDQUOT || e == EFBIG)
		return xb_fail(err, XB_EFAIL,
			       _("%s is full; no bundle was written and nothing "
				 "was marked as sent. Free some space or use "
				 "another stick."),
			       dir);
	return xb_fail(err, XB_EFAIL,
		       _("The bundle could not be written to %s (%s); nothing "
			 "was marked as sent. Is the stick still in?"),
		       dir, strerror(e));
}

struct sent_arg {
	const char *to;
	uint64_t seq;
	json_t *entry;
};

static int log_sent_fn(struct store *st, struct store_txn *txn, void *arg,
		       struct xb_error *err)
{
	struct sent_arg *s = arg;
	char key[40];
	snprintf(key, sizeof(key), "%s/%010" PRIu64, s->to, s->seq);
	/* Another export to the same office got there first. */
	char *old;
	int ret = store_book_get(st, txn, STORE_BOOK_SENT, key, &old, err);
	if (ret == XB_OK) {
		free(old);
		return xb_fail(err, XB_ECONFLICT,
			       _("Another bundle to office %s was made at the "
				 "same time; make this one again."),
			       s->to);
	}
	if (ret != XB_ENOTFOUND)
		return ret;
	char *text = bundle_json_dump(s->entry);
	if (text == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	ret = store_book_put(st, txn, STORE_BOOK_SENT, key, text, err);
	free(text);
	return ret;
}

static json_t *make_manifest(struct store *st, const char *self, const char *to,
			     uint64_t seq, const char *prev, int64_t now,
			     const struct bundle_counts *c)
{
	char when[32];
	xb_format_time(now, when, sizeof(when));
	struct store_record *office = NULL;
	store_get(st, NULL, STORE_OFFICE, self, &office, NULL);
	const char *name = office ? store_record_get(office, FK_name) : NULL;
	json_t *m = json_object();
	json_object_set_new(m, "format", json_string(BUNDLE_FORMAT));
	json_object_set_new(m, "format_version", json_integer(BUNDLE_FORMAT_VERSION));
	json_object_set_new(m, "schema_version", json_integer(FORM_SCHEMA_VERSION));
	json_object_set_new(m, "from", json_string(self));
	json_object_set_new(m, "from_name", json_string(name ? name : ""));
	json_object_set_new(m, "to", json_string(to));
	json_object_set_new(m, "sequence", json_integer((json_int_t)seq));
	json_object_set_new(m, "previous_sha256", json_string(prev));
	json_object_set_new(m, "created", json_string(when));
	json_object_set_new(m, "created_at", json_integer(now));
	json_object_set_new(m, "counts", bundle_counts_json(c));
	json_object_set_new(m, "records", json_integer((json_int_t)c->total));
	/* The rules the receiver reckons our records by (deadlines). */
	json_t *settings = json_object();
	for (size_t i = 0; ledger_settings_sent[i] != NULL; i++) {
		char v[64];
		if (ledger_setting_get(st, ledger_settings_sent[i], v, sizeof(v), NULL) == XB_OK)
			json_object_set_new(settings, ledger_settings_sent[i], json_string(v));
	}
	json_object_set_new(m, "settings", settings);
	store_record_free(&office);
	return m;
}

/* What to send: the receiver's bound key and our own, the number after
 * the last bundle to it, the records changed since that one (every record
 * with all, or when there was none), and the manifest that counts them. */
static int export_plan(struct export_state *x, struct keys *k,
		       struct bundle_export_result *res, struct xb_error *err)
{
	struct keys_peer peer;
	struct keys_info own;
	int ret;
	if ((ret = ledger_office(x->st, x->self, err)) != XB_OK ||
	    (ret = bundle_bound_peer(x->st, x->to, &peer, err)) != XB_OK ||
	    (ret = keys_own(k, &own, err)) != XB_OK)
		return ret;
	snprintf(x->to_fpr, sizeof(x->to_fpr), "%s", peer.fpr);
	snprintf(x->own_fpr, sizeof(x->own_fpr), "%s", own.fpr);

	/* The last bundle to this office: its number, hash and mark. */
	json_t *last = NULL;
	uint64_t last_seq;
	int64_t last_at;
	if ((ret = bundle_peer_last(x->st, NULL, STORE_BOOK_SENT, x->to, &last_seq, &last_at,
				    &last, err)) != XB_OK)
		return ret;
	uint64_t since = last ? (uint64_t)bundle_json_int(last, "mark") : 0;
	/* Up the chain go the tables of the periods that ended since the
	 * last bundle (a township's never change once their period is
	 * over); a county files again the last twelve months', which its
	 * townships' late bundles may have changed. */
	size_t ns = strlen(x->self), nt = strlen(x->to);
	if ((ns == 9 && nt == 6) || (ns == 6 && nt == 4)) {
		char after[24] = "";
		if (last != NULL && ns == 9)
			xb_format_time(last_at, after, sizeof(after));
		after[10] = '\0';
		ret = stats_file_closed(x->st, after, x->user, NULL, err);
		if (ret != XB_OK) {
			json_decref(last);
			return ret;
		}
	}
	char prev[65] = "";
	const char *last_sha = last ? bundle_json_str(last, "sha256") : NULL;
	if (last_sha != NULL)
		snprintf(prev, sizeof(prev), "%s", last_sha);
	json_decref(last);

	if ((ret = store_generation(x->st, &x->mark, err)) != XB_OK)
		return ret;
	x->all = x->asked_all || since == 0;
	ret = x->all ? collect_all(x, err) : collect_changed(x, since, err);
	if (ret != XB_OK)
		return ret;
	if (x->tables_only) {
		/* the rest waits for the next full bundle, which starts from
		 * the same mark */
		for (size_t i = 0; i < BUNDLE_NKINDS; i++)
			if (bundle_kinds[i] != STORE_TABLE) {
				for (size_t j = 0; j < x->lists[i].n; j++)
					free(x->lists[i].ids[j]);
				x->lists[i].n = 0;
			}
		x->mark = since;
	}
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		res->counts.kind[bundle_kinds[i]] = x->lists[i].n;
		res->counts.total += x->lists[i].n;
	}
	x->total = res->counts.total;
	res->sequence = last_seq + 1;
	x->now = xb_now();
	x->manifest = make_manifest(x->st, x->self, x->to, res->sequence, prev, x->now,
				    &res->counts);
	return XB_OK;
}

/* The file's path: office, receiver, sequence and date in its name. */
static void bundle_path(const struct export_state *x, const char *dir,
			struct bundle_export_result *res)
{
	char day[11];
	xb_today(day, sizeof(day));
	day[4] = day[5];
	day[5] = day[6];
	day[6] = day[8];
	day[7] = day[9];
	day[8] = '\0';
	snprintf(res->path, sizeof(res->path), "%s/xiangban-%s-to-%s-%06" PRIu64 "-%s.gpg",
		 dir, x->self, x->to, res->sequence, day);
}

/* The bundle in place under its name (res->path), or no file at all:
 * the lines signed and encrypted into a temporary file beside it, which
 * is then committed. res gets the file's size and SHA-256, x->digest the
 * plaintext's. */
static int export_write(struct export_state *x, struct keys *k, const char *dir,
			struct bundle_export_result *res, struct xb_error *err)
{
	bundle_path(x, dir, res);
	remove_stale_temps(dir);
	struct xb_temp_file f;
	int ret = xb_file_open_temp(&f, res->path, TEMP_PREFIX, 0600, err);
	if (ret != XB_OK && (f.errnum == ENOENT || f.errnum == ENOTDIR))
		return xb_fail(err, XB_EINVAL, _("There is no folder %s."), dir);
	if (ret != XB_OK)
		return f.errnum != 0 ? write_failed(dir, f.errnum, err) : ret;
	if (gcry_md_open(&x->md, GCRY_MD_SHA256, 0) != 0)
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (ret == XB_OK)
		ret = write_lines(k, x->to_fpr, x, f.fd, err);
	if (ret != XB_OK && x->read_failed) {
		*err = x->err;
		ret = x->err.code ? x->err.code : XB_EFAIL;
	}
	if (ret == XB_OK)
		ret = bundle_file_digest(f.fd, res->sha256, &res->bytes, err);
	if (ret != XB_OK) {
		xb_file_abort(&f);
		return ret;
	}
	if ((ret = xb_file_commit(&f, err)) != XB_OK) {
		if (f.renamed) /* on a stick whose folder cannot be synced */
			unlink(res->path);
		return f.errnum != 0 ? write_failed(dir, f.errnum, err) : ret;
	}
	bundle_hex_digest(gcry_md_read(x->md, GCRY_MD_SHA256), x->digest);
	if (x->progress)
		x->progress(x->parg, x->total, x->total);
	return XB_OK;
}

/* The sequence advanced: the bundle is logged as sent. */
static int export_log(const struct export_state *x, const char *user,
		      const struct bundle_export_result *res, struct xb_error *err)
{
	json_t *e = json_object();
	const char *base = strrchr(res->path, '/');
	json_object_set_new(e, "sequence", json_integer((json_int_t)res->sequence));
	json_object_set_new(e, "file", json_string(base ? base + 1 : res->path));
	json_object_set_new(e, "sha256", json_string(res->sha256));
	json_object_set_new(e, "created_at", json_integer(x->now));
	json_object_set_new(e, "mark", json_integer((json_int_t)x->mark));
	json_object_set_new(e, "all", json_boolean(x->asked_all));
	json_object_set_new(e, "tables_only", json_boolean(x->tables_only));
	json_object_set_new(e, "by", json_string(user ? user : ""));
	json_object_set_new(e, "bytes", json_integer((json_int_t)res->bytes));
	json_object_set_new(e, "counts", bundle_counts_json(&res->counts));
	struct sent_arg s = { x->to, res->sequence, e };
	int ret = store_run(x->st, log_sent_fn, &s, err);
	json_decref(e);
	return ret;
}

static void export_state_free(struct export_state *x)
{
	store_iter_close(&x->iter);
	if (x->md)
		gcry_md_close(x->md);
	json_decref(x->manifest);
	free(x->line);
	idlists_free(x->lists);
}

int bundle_pending(struct store *st, const char *to, struct bundle_counts *out,
		   struct xb_error *err)
{
	memset(out, 0, sizeof(*out));
	struct export_state x;
	memset(&x, 0, sizeof(x));
	x.st = st;
	x.to = to;
	json_t *last = NULL;
	uint64_t seq;
	int64_t at;
	int ret = ledger_office(st, x.self, err);
	if (ret == XB_OK)
		ret = bundle_peer_last(st, NULL, STORE_BOOK_SENT, to, &seq, &at, &last, err);
	uint64_t since = last ? (uint64_t)bundle_json_int(last, "mark") : 0;
	json_decref(last);
	if (ret == XB_OK)
		ret = since ? collect_changed(&x, since, err) : collect_all(&x, err);
	for (size_t i = 0; i < BUNDLE_NKINDS && ret == XB_OK; i++) {
		out->kind[bundle_kinds[i]] = x.lists[i].n;
		out->total += x.lists[i].n;
	}
	export_state_free(&x);
	return ret;
}

int bundle_export(struct store *st, struct keys *k, const char *to,
		  const char *dir, unsigned flags, const char *user,
		  bundle_progress_fn progress, void *parg,
		  struct bundle_export_result *res, struct xb_error *err)
{
	memset(res, 0, sizeof(*res));
	int ret = ledger_access(st, NULL, user, LEDGER_EXCHANGE, NULL, err);
	if (ret)
		return ret;
	bundle_crypto_init();
	struct export_state x;
	memset(&x, 0, sizeof(x));
	atomic_init(&x.done, 0);
	x.st = st;
	x.to = to;
	x.user = user;
	x.asked_all = (flags & BUNDLE_ALL) != 0;
	x.tables_only = (flags & BUNDLE_TABLES_ONLY) != 0;
	x.progress = progress;
	x.parg = parg;

	/* The passphrase, if the key has one, is asked once for the export
	 * (write_lines, before its thread starts), then held for signing and
	 * reading back. */
	keys_hold_passphrase(k);
	ret = export_plan(&x, k, res, err);
	if (ret == XB_OK)
		ret = export_write(&x, k, dir, res, err);
	if (ret == XB_OK) {
		ret = export_verify(k, res->path, x.own_fpr, x.digest, err);
		if (ret == XB_OK)
			ret = export_log(&x, user, res, err);
		if (ret != XB_OK) { /* not sent: the file goes */
			unlink(res->path);
			fsync_dir(dir);
		}
	}
	export_state_free(&x);
	keys_forget_passphrase(k);
	return ret;
}
