/* bundle.c - export and import of bundles. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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

#include "bundle_private.h"
#include "../common/clock.h"
#include "../common/handoff.h"
#include "../common/i18n.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"

enum { PROGRESS_EVERY = 5000 };

/* --- SHA-256 through libgcrypt --- */

static void crypto_init(void)
{
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		gcry_check_version(NULL);
		gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
}

static void hex_digest(gcry_md_hd_t md, char out[65])
{
	const unsigned char *d = gcry_md_read(md, GCRY_MD_SHA256);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* SHA-256 of a whole file, and its size. */
static int file_digest(int fd, char out[65], uint64_t *size,
		       struct xb_error *err)
{
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0) != 0)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	char buf[65536];
	ssize_t n;
	*size = 0;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		gcry_md_close(md);
		return xb_fail(err, XB_EFAIL, _("Cannot read the bundle: %s."),
			       strerror(errno));
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		gcry_md_write(md, buf, (size_t)n);
		*size += (uint64_t)n;
	}
	int e = errno;
	if (n == 0)
		hex_digest(md, out);
	gcry_md_close(md);
	if (n < 0)
		return xb_fail(err, XB_EFAIL, _("Cannot read the bundle: %s."),
			       strerror(e));
	return XB_OK;
}
/* --- export --- */

/* The ids of one kind that go into a bundle. */
struct idlist {
	char **ids;
	size_t n, cap;
};

struct export_state {
	struct store *st;
	const char *self, *to;
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
static int goes_to(const struct export_state *x, const char *origin)
{
	return bundle_may_carry(x->self, x->to, origin && *origin ? origin : x->self);
}

struct all_arg {
	struct export_state *x;
	struct idlist *list;
};

static int collect_id(const char *id, const char *origin, void *arg)
{
	struct all_arg *a = arg;
	return goes_to(a->x, origin) ? idlist_add(a->list, id) : 0;
}

/* Every record the receiver may see, by id and origin only: the records
 * themselves are read once, when written. */
static int collect_all(struct export_state *x, struct xb_error *err)
{
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		struct all_arg a = { x, &x->lists[i] };
		int ret = store_ids(x->st, bundle_kinds[i], collect_id, &a, err);
		if (ret != XB_OK)
			return ret;
	}
	return XB_OK;
}

struct changed_arg {
	struct export_state *x;
	int failed;
};

/* Imports are not changes of ours: they go back only when changed here. */
static int collect_change(const struct store_audit *a, void *arg)
{
	struct changed_arg *c = arg;
	size_t slot = kind_slot(a->kind);
	if (slot == BUNDLE_NKINDS || a->record_id == NULL ||
	    (a->action && (strcmp(a->action, "import") == 0 ||
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
					keep = goes_to(x, rec->origin);
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
	if (x->progress && done / PROGRESS_EVERY > x->told / PROGRESS_EVERY) {
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
	handoff_init(&x->q, CHUNKS_WAITING);
	int e = pthread_create(&x->maker, NULL, make_lines, x);
	if (e != 0) {
		handoff_destroy(&x->q);
		return xb_fail(err, XB_EFAIL, _("Cannot start writing the bundle: %s."),
			       strerror(e));
	}
	int ret = keys_sign_encrypt(k, to_fpr, export_read, x, fd, err);
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

static int verify_written(struct keys *k, const char *path, const char *own_fpr,
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
	hex_digest(r.md, got);
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
	char *text = bj_dump(s->entry);
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
	const char *name = office ? store_record_get(office, "name") : NULL;
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
	store_record_free(&office);
	return m;
}

int bundle_export(struct store *st, struct keys *k, const char *to,
		  const char *dir, int all, const char *user,
		  bundle_progress_fn progress, void *parg,
		  struct bundle_export_result *res, struct xb_error *err)
{
	memset(res, 0, sizeof(*res));
	crypto_init();
	char self[13];
	struct bundle_peer peer;
	struct keys_info own;
	int ret;
	if ((ret = ledger_office(st, self, err)) != XB_OK ||
	    (ret = bundle_bound_peer(st, to, &peer, err)) != XB_OK ||
	    (ret = keys_own(k, &own, err)) != XB_OK)
		return ret;

	/* The last bundle to this office: its number, hash and mark. */
	json_t *last = NULL;
	uint64_t last_seq;
	int64_t last_at;
	if ((ret = bundle_peer_last(st, NULL, STORE_BOOK_SENT, to, &last_seq, &last_at,
			     &last, err)) != XB_OK)
		return ret;
	uint64_t since = last ? (uint64_t)bj_int(last, "mark") : 0;
	char prev[65] = "";
	const char *last_sha = last ? bj_str(last, "sha256") : NULL;
	if (last_sha != NULL)
		snprintf(prev, sizeof(prev), "%s", last_sha);
	json_decref(last);

	uint64_t mark;
	if ((ret = store_generation(st, &mark, err)) != XB_OK)
		return ret;
	struct export_state x;
	memset(&x, 0, sizeof(x));
	atomic_init(&x.done, 0);
	x.st = st;
	x.self = self;
	x.to = to;
	x.progress = progress;
	x.parg = parg;
	x.all = all || since == 0;
	ret = x.all ? collect_all(&x, err) : collect_changed(&x, since, err);
	if (ret != XB_OK) {
		idlists_free(x.lists);
		return ret;
	}
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		res->counts.kind[bundle_kinds[i]] = x.lists[i].n;
		res->counts.total += x.lists[i].n;
	}
	x.total = res->counts.total;
	res->sequence = last_seq + 1;
	int64_t now = xb_now();
	x.manifest = make_manifest(st, self, to, res->sequence, prev, now, &res->counts);

	/* The file: office, receiver, sequence and date in its name. */
	char day[11], tmp[4096];
	xb_today(day, sizeof(day));
	day[4] = day[5];
	day[5] = day[6];
	day[6] = day[8];
	day[7] = day[9];
	day[8] = '\0';
	snprintf(res->path, sizeof(res->path), "%s/xiangban-%s-to-%s-%06" PRIu64 "-%s.gpg",
		 dir, self, to, res->sequence, day);
	remove_stale_temps(dir);
	snprintf(tmp, sizeof(tmp), "%s/" TEMP_PREFIX "XXXXXX", dir);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = errno == ENOENT || errno == ENOTDIR
			      ? xb_fail(err, XB_EINVAL, _("There is no folder %s."), dir)
			      : write_failed(dir, errno, err);
		goto out;
	}
	if (gcry_md_open(&x.md, GCRY_MD_SHA256, 0) != 0) {
		close(fd);
		unlink(tmp);
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		goto out;
	}
	ret = write_lines(k, peer.fpr, &x, fd, err);
	if (ret != XB_OK && x.read_failed) {
		*err = x.err;
		ret = x.err.code ? x.err.code : XB_EFAIL;
	}
	if (ret == XB_OK && fsync(fd) != 0)
		ret = write_failed(dir, errno, err);
	if (ret == XB_OK)
		ret = file_digest(fd, res->sha256, &res->bytes, err);
	if (close(fd) != 0 && ret == XB_OK)
		ret = write_failed(dir, errno, err);
	if (ret == XB_OK && rename(tmp, res->path) != 0)
		ret = write_failed(dir, errno, err);
	if (ret != XB_OK) {
		unlink(tmp);
		goto out;
	}
	fsync_dir(dir);
	char digest[65];
	hex_digest(x.md, digest);
	if (progress)
		progress(parg, x.total, x.total);
	ret = verify_written(k, res->path, own.fpr, digest, err);
	if (ret == XB_OK) {
		json_t *e = json_object();
		const char *base = strrchr(res->path, '/');
		json_object_set_new(e, "sequence", json_integer((json_int_t)res->sequence));
		json_object_set_new(e, "file", json_string(base ? base + 1 : res->path));
		json_object_set_new(e, "sha256", json_string(res->sha256));
		json_object_set_new(e, "created_at", json_integer(now));
		json_object_set_new(e, "mark", json_integer((json_int_t)mark));
		json_object_set_new(e, "all", json_boolean(all));
		json_object_set_new(e, "by", json_string(user ? user : ""));
		json_object_set_new(e, "bytes", json_integer((json_int_t)res->bytes));
		json_object_set_new(e, "counts", bundle_counts_json(&res->counts));
		struct sent_arg s = { to, res->sequence, e };
		ret = store_run(st, log_sent_fn, &s, err);
		json_decref(e);
	}
	if (ret != XB_OK) {
		unlink(res->path);
		fsync_dir(dir);
	}
out:
	store_iter_close(&x.iter);
	if (x.md)
		gcry_md_close(x.md);
	json_decref(x.manifest);
	free(x.line);
	idlists_free(x.lists);
	return ret;
}

/* --- import --- */

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
	struct store_merge_marks marks;
	struct bundle_peer peer;
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

int bundle_may_carry(const char *from, const char *to, const char *owner)
{
	if (strcmp(owner, from) == 0)
		return 1;
	/* a county gives a township of its own its records back */
	return strlen(from) == 6 && strlen(to) == 9 && strncmp(to, from, 6) == 0 &&
	       strcmp(owner, to) == 0;
}

/* What the manifest says of itself, and who it comes from: no record is
 * looked at before the sender is known to be bound. */
static int manifest_check(struct import_state *s, json_t *m)
{
	struct xb_error *err = &s->err;
	const char *format = bj_str(m, "format"), *from = bj_str(m, "from"), *to = bj_str(m, "to");
	if (!json_is_object(m) || format == NULL || strcmp(format, BUNDLE_FORMAT) != 0)
		return xb_fail(err, XB_EINVAL, _("This is not a xiangban bundle."));
	int64_t fv = bj_int(m, "format_version"), sv = bj_int(m, "schema_version");
	if (fv < 1 || fv > BUNDLE_FORMAT_VERSION || sv < 1 || sv > FORM_SCHEMA_VERSION)
		return xb_fail(err, XB_EINVAL,
			       _("This bundle was made by a newer xiangban (bundle "
				 "format %" PRId64 ", schema %" PRId64 "; this "
				 "one reads up to %d and %d). Update xiangban, "
				 "then import it again."),
			       fv, sv, BUNDLE_FORMAT_VERSION, FORM_SCHEMA_VERSION);
	if (from == NULL || to == NULL || !bundle_office_code_valid(from))
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
	s->created_at = bj_int(m, "created_at");
	json_t *counts = json_object_get(m, "counts");
	for (size_t i = 0; i < BUNDLE_NKINDS; i++) {
		int64_t c = bj_int(counts, store_kind_name(bundle_kinds[i]));
		s->declared[bundle_kinds[i]] = c > 0 ? (uint64_t)c : 0;
	}
	int64_t total = bj_int(m, "records");
	s->declared_total = total > 0 ? (uint64_t)total : 0;
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
		json_t *e = bj_parse(p[i].value);
		int64_t seq = bj_int(e, "sequence"), missing = bj_int(e, "missing_before");
		if ((uint64_t)seq > s->seq && missing > 0 && (uint64_t)(seq - missing) <= s->seq)
			*skipped = 1;
		json_decref(e);
	}
	store_pairs_free(p, n);
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
	const char *prev = bj_str(m, "previous_sha256");
	char last_sha[65] = "";
	if (last && is_sha256(bj_str(last, "sha256")))
		snprintf(last_sha, sizeof(last_sha), "%s", bj_str(last, "sha256"));
	s->marks.received_since = last_at;
	json_decref(last);
	s->expect = last_seq + 1;
	if (s->seq > 1 && !is_sha256(prev))
		return xb_fail(err, XB_EINVAL,
			       _("The bundle's manifest is damaged: it does not "
				 "name the bundle before it."));
	if (s->seq <= last_seq) {
		char key[40], *was = NULL;
		snprintf(key, sizeof(key), "%s/%010" PRIu64, s->from, s->seq);
		ret = store_book_get(s->st, s->txn, STORE_BOOK_RECEIVED, key, &was, err);
		if (ret == XB_OK) {
			json_t *e = bj_parse(was);
			const char *sha = bj_str(e, "sha256");
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
	s->marks.sent_mark = sent ? (uint64_t)bj_int(sent, "mark") : 0;
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
	char *text = bj_dump(e), key[96];
	json_decref(e);
	if (text == NULL)
		return xb_fail(&s->err, XB_EFAIL, _("Out of memory."));
	snprintf(key, sizeof(key), "%s", in->id);
	ret = store_book_put(s->st, s->txn, STORE_BOOK_CONFLICTS, key, text, &s->err);
	free(text);
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
		   !bundle_may_carry(s->from, s->self, owner)) {
		/* A township sends its own records; a county sends its own
		 * and those of the township it writes to. */
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
			case STORE_MERGE_NEW: s->res->added++; break;
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
		if (s->progress && s->lineno % PROGRESS_EVERY == 0)
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
		hex_digest(f->md, r->plain_sha256);
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
	json_object_set_new(e, "missing_before", json_integer((json_int_t)s->res->missing));
	char *text = bj_dump(e), key[40];
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
	crypto_init();
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
	ret = file_digest(fd, r.sha256, &size, err);
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
	if (k == NULL)
		return xb_fail(err, XB_EINVAL, _("This office has no key yet."));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ENOTFOUND : XB_EFAIL,
			       _("Cannot open %s: %s."), path, strerror(errno));
	int ret = import_fd(st, k, fd, path, allow_gap, 0, user, progress, parg, res, err);
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
