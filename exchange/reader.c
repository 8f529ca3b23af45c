/* reader.c - a bundle's plaintext decrypted, cut into lines and
 * parsed in a thread of its own, while the importing thread writes the
 * lines before. jansson's parsing and the schema's checks took two thirds
 * of an import's instructions, the store's writes the rest: on a PC of two
 * cores the two run side by side (bench/README.md: import took 3.3 s
 * instead of 4.5 s on two cores, the same within noise on one). The store
 * is only ever touched by the importing thread, and the passphrase is
 * never asked here: the first pass (import.c) asked it on the calling
 * thread, and keys/ gives this thread the one it holds for the import. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gcrypt.h>

#include "private.h"
#include "../common/handoff.h"
#include "../common/i18n.h"
#include "../forms/forms.h"

/* Lines go over in batches (common/handoff.h), one lock a batch. A batch
 * is small enough to be still in the cache when the importer reads it
 * (with 256 lines, an import on one core took a third longer than without
 * the thread), and ends at BATCH_BYTES of text too: at most QUEUE_BATCHES
 * wait, so the memory an import takes does not grow with the bundle's
 * size, nor with its lines' length. A record is a few kilobytes; a line
 * without end is not one, and must not take all the memory of an old PC. */
enum {
	BATCH_LINES = 32,
	BATCH_BYTES = 256 << 10,
	QUEUE_BATCHES = 4,
	MAX_LINE = 4 << 20,
};

struct batch {
	struct handoff_link link; /* first */
	size_t n, pos;
	size_t bytes; /* of the lines' text */
	struct bundle_line lines[BATCH_LINES];
};

struct bundle_reader {
	struct keys *k;
	int fd;
	char today[11];
	pthread_t thread;
	struct handoff q;
	atomic_int skip; /* read on for the signature, parse no more */
	gcry_md_hd_t md; /* of every byte of plaintext */

	/* the reading thread's own */
	struct batch *filling;
	char *buf;
	size_t len, cap;
	uint64_t lineno;
	int stopped; /* after a line that ends the import */
	int oom;

	/* the importer's own */
	struct batch *reading;

	/* what decryption said, valid once the thread has ended */
	int rc;
	struct keys_sig sig;
	struct xb_error err;
};

static void line_clear(struct bundle_line *l)
{
	json_decref(l->json);
	store_record_free(&l->rec);
	free(l->problem);
	free(l->invalid);
	memset(l, 0, sizeof(*l));
}

static void batch_free(void *p)
{
	struct batch *b = p;
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++)
		line_clear(&b->lines[i]);
	free(b);
}

/* Memory ran out: the line is dropped and reading stops; the import is
 * then refused with "Out of memory." */
static void out_of_memory(struct bundle_reader *r, struct bundle_line *l)
{
	if (l != NULL) {
		line_clear(l);
		r->filling->n--;
	}
	r->oom = 1;
	r->stopped = 1;
}

/* Hands the filled batch to the importer (and frees those it gave back);
 * -1 when it cancelled. */
static int push(struct bundle_reader *r)
{
	struct batch *b = r->filling;
	r->filling = NULL;
	handoff_free_list(handoff_take_back(&r->q), batch_free);
	if (b == NULL || b->n == 0) {
		free(b);
		return 0;
	}
	if (handoff_put(&r->q, &b->link) < 0) {
		batch_free(b);
		return -1;
	}
	return 0;
}

/* The next free line of the batch being filled, numbered; NULL when
 * memory ran out. */
static struct bundle_line *next_slot(struct bundle_reader *r)
{
	if (r->filling == NULL) {
		r->filling = calloc(1, sizeof(*r->filling));
		if (r->filling == NULL) {
			out_of_memory(r, NULL);
			return NULL;
		}
	}
	struct bundle_line *l = &r->filling->lines[r->filling->n++];
	l->lineno = ++r->lineno;
	return l;
}

/* Keeps why on l; 0, or -1 when memory ran out. */
static int keep_err(struct bundle_reader *r, struct bundle_line *l,
		    struct xb_error **slot, const struct xb_error *why)
{
	*slot = malloc(sizeof(**slot));
	if (*slot == NULL) {
		out_of_memory(r, l);
		return -1;
	}
	**slot = *why;
	return 0;
}

/* A line that ends the import whatever the lines before said: nothing
 * after it is parsed. */
static int add_final(struct bundle_reader *r, struct bundle_line *l,
		     int whole, const struct xb_error *why)
{
	if (keep_err(r, l, &l->problem, why) < 0)
		return 0;
	l->whole = whole;
	r->stopped = 1;
	return push(r);
}

/* Parses one whole line (the manifest first, then records) into the
 * batch; -1 when the importer cancelled. */
static int add_line(struct bundle_reader *r, const char *text, size_t len)
{
	struct bundle_line *l = next_slot(r);
	if (l == NULL)
		return 0;
	struct xb_error err;
	json_error_t jerr;
	xb_error_clear(&err);
	l->json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (l->json == NULL) {
		xb_fail(&err, XB_EINVAL, "%s", _("not JSON"));
		return add_final(r, l, 0, &err);
	}
	if (l->lineno > 1) {
		struct xb_error **slot = NULL;
		if (bundle_record_from_json(l->json, &l->rec, &err) != XB_OK)
			slot = &l->problem;
		else if (form_check_record(l->rec, r->today, &err) != XB_OK)
			slot = &l->invalid;
		if (slot != NULL) {
			/* the importer stops at this line: parse no further */
			if (keep_err(r, l, slot, &err) < 0)
				return 0;
			r->stopped = 1;
			return push(r);
		}
	}
	r->filling->bytes += len;
	if (r->filling->n == BATCH_LINES || r->filling->bytes >= BATCH_BYTES)
		return push(r);
	return 0;
}

static ssize_t reader_sink(void *arg, const void *data, size_t len)
{
	struct bundle_reader *r = arg;
	const char *p = data, *end = p + len;
	if (handoff_cancelled(&r->q)) {
		errno = ECANCELED;
		return -1;
	}
	gcry_md_write(r->md, data, len);
	while (p < end && !r->stopped && !atomic_load(&r->skip)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int ret = 0;
		if (r->len + n > MAX_LINE) {
			struct xb_error err;
			struct bundle_line *l = next_slot(r);
			if (l == NULL)
				break;
			xb_fail(&err, XB_EINVAL,
				_("Line %" PRIu64 " of the bundle is longer than any "
				  "record can be. The bundle was not imported."),
				l->lineno);
			ret = add_final(r, l, 1, &err);
		} else if (nl && r->len == 0) {
			ret = add_line(r, p, n); /* parsed where it lies */
		} else {
			/* a line cut between two pieces: gathered first */
			if (r->len + n + 1 > r->cap) {
				size_t cap = (r->len + n + 1) * 2;
				char *b = realloc(r->buf, cap);
				if (b == NULL) {
					out_of_memory(r, NULL);
					break;
				}
				r->buf = b;
				r->cap = cap;
			}
			memcpy(r->buf + r->len, p, n);
			r->len += n;
			if (nl) {
				size_t whole = r->len;
				r->len = 0;
				ret = add_line(r, r->buf, whole);
			}
		}
		if (ret < 0) {
			errno = ECANCELED;
			return -1;
		}
		p += n + (nl != NULL);
	}
	return (ssize_t)len;
}

/* Plaintext read as it is (no keys: bundle_import_plain), unsigned. */
static int read_plain(struct bundle_reader *r)
{
	char buf[65536];
	ssize_t n;
	memset(&r->sig, 0, sizeof(r->sig));
	snprintf(r->sig.reason, sizeof(r->sig.reason), "%s", _("unsigned"));
	while ((n = read(r->fd, buf, sizeof(buf))) > 0)
		if (reader_sink(r, buf, (size_t)n) < 0)
			return XB_OK; /* cancelled: the importer knows why */
	if (n < 0)
		return xb_fail(&r->err, XB_EFAIL, _("Cannot read the bundle: %s."),
			       strerror(errno));
	return XB_OK;
}

static void *reader_main(void *arg)
{
	struct bundle_reader *r = arg;
	r->rc = r->k ? keys_decrypt_verify(r->k, r->fd, reader_sink, r, &r->sig,
					   &r->err)
		     : read_plain(r);
	/* a last line without newline (a cancel there changes nothing: the
	 * push below is then refused too) */
	if (r->rc == XB_OK && r->len > 0 && !r->stopped &&
	    !atomic_load(&r->skip))
		add_line(r, r->buf, r->len);
	push(r);
	form_thread_done();
	handoff_close(&r->q);
	return NULL;
}

int bundle_reader_start(struct keys *k, int fd, const char *today,
			struct bundle_reader **out, struct xb_error *err)
{
	*out = NULL;
	struct bundle_reader *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	r->k = k;
	r->fd = fd;
	snprintf(r->today, sizeof(r->today), "%s", today);
	atomic_init(&r->skip, 0);
	if (gcry_md_open(&r->md, GCRY_MD_SHA256, 0) != 0) {
		free(r);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	handoff_init(&r->q, QUEUE_BATCHES);
	int e = pthread_create(&r->thread, NULL, reader_main, r);
	if (e != 0) {
		handoff_destroy(&r->q);
		gcry_md_close(r->md);
		free(r);
		return xb_fail(err, XB_EFAIL, _("Cannot start reading the bundle: %s."),
			       strerror(e));
	}
	*out = r;
	return XB_OK;
}

int bundle_reader_next(struct bundle_reader *r, struct bundle_line **line)
{
	struct batch *b = r->reading;
	if (b == NULL || b->pos == b->n) {
		if (b != NULL)
			handoff_give_back(&r->q, &b->link);
		b = r->reading = (struct batch *)handoff_get(&r->q);
		if (b == NULL)
			return 0;
	}
	*line = &b->lines[b->pos++];
	return 1;
}

void bundle_reader_skip(struct bundle_reader *r)
{
	atomic_store(&r->skip, 1);
}

int bundle_reader_finish(struct bundle_reader **rp, int cancel, int read_all,
			 struct keys_sig *sig, char digest[65],
			 struct xb_error *err)
{
	struct bundle_reader *r = *rp;
	*rp = NULL;
	digest[0] = '\0';
	if (r == NULL)
		return XB_OK;
	atomic_store(&r->skip, 1);
	if (cancel)
		handoff_cancel(&r->q);
	/* what is still queued is not used: let the thread finish */
	struct bundle_line *l;
	while (bundle_reader_next(r, &l) == 1)
		;
	pthread_join(r->thread, NULL);
	handoff_free_list(handoff_take_back(&r->q), batch_free);
	batch_free(r->filling);
	int rc = r->rc;
	*sig = r->sig;
	if (!cancel)
		bundle_hex_digest(gcry_md_read(r->md, GCRY_MD_SHA256), digest);
	gcry_md_close(r->md);
	if (rc != XB_OK)
		*err = r->err;
	else if (r->oom && read_all) /* else the importer's problem came first */
		rc = xb_fail(err, XB_EFAIL, _("Out of memory."));
	handoff_destroy(&r->q);
	free(r->buf);
	free(r);
	return rc;
}
