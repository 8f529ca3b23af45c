/* codec.c - the binary encoding of records and audit entries.
 *
 * Version 1, all integers big-endian, strings as u32 length + bytes:
 *   record: "XB" u8 encoding(1) u8 kind u32 version i64 changed_at
 *           str id, str origin, str changed_by, u32 n, n x (str key, str value)
 *   audit:  "XA" u8 encoding(1) u8 kind u64 seq i64 at u32 version
 *           str record_id, str user, str action, u32 n,
 *           n x (u8 present-bits, str key, str before, str after)
 * Version 2: lengths and counts as varints (LEB128, one
 * byte below 128), and a record's metadata, which every save changes, at
 * its end. Berkeley DB logs only the bytes between the common prefix and
 * suffix of a replaced record: with the version first, that was the
 * whole record, on every update.
 *   record: "XB" u8 encoding(2) u8 kind str id, var n, n x (str key,
 *           str value), str origin, str changed_by, u32 version,
 *           i64 changed_at
 *   audit:  "XA" u8 encoding(2) u8 kind u64 seq i64 at u32 version
 *           str record_id, str user, str action, var n,
 *           n x (u8 present-bits, str key, [str before], [str after]),
 *           before and after there only when present
 * Version 3, the one written: as 2, but a record's fields end with an
 * empty key instead of starting with their count. A visit adds the
 * child's last-visit fields; with the count in front, the bytes logged
 * for that update ran from the count to the end, the whole record.
 *   record: "XB" u8 encoding(3) u8 kind str id, n x (str key, str value),
 *           var 0, str origin, str changed_by, u32 version, i64 changed_at
 *   audit:  as in version 2
 *   run:    "XR" u8 encoding(3) var n, n x (var len, audit entry): the
 *           entries with consecutive numbers of one case that one
 *           transaction wrote, as one record of audit.db keyed by the
 *           first's number (a single entry stands alone, as before)
 * Each later encoding bumps the version byte and keeps the readers of the
 * earlier ones; tests/fixtures holds records written by versions 1 and 2. */
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

/* Encoding writes into a buffer on the stack, then copies what it wrote
 * into one of the right size; a value too big for it is measured first
 * (p NULL) and written again. */
struct wbuf {
	unsigned char *p; /* NULL while measuring */
	size_t len, cap;
	int overflow;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
	if (w->p != NULL && n > 0) {
		if (w->cap - w->len < n) {
			w->overflow = 1;
			return;
		}
		memcpy(w->p + w->len, src, n);
	}
	w->len += n;
}

static void put_u(struct wbuf *w, uint64_t v, int bytes)
{
	unsigned char b[8];
	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	put(w, b, (size_t)bytes);
}

static void put_var(struct wbuf *w, uint64_t v)
{
	unsigned char b[10];
	int n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		b[n] |= v ? 0x80 : 0;
		n++;
	} while (v);
	put(w, b, (size_t)n);
}

static void put_str(struct wbuf *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_var(w, n);
	put(w, s, n);
}

static void record_body(struct wbuf *w, const void *arg)
{
	const struct store_record *rec = arg;
	put(w, "XB", 2);
	put_u(w, STORE_ENCODING_VERSION, 1);
	put_u(w, (uint64_t)rec->kind, 1);
	put_str(w, rec->id);
	for (size_t i = 0; i < rec->nfields; i++) {
		put_str(w, rec->fields[i].key);
		put_str(w, rec->fields[i].value);
	}
	put_var(w, 0);
	put_str(w, rec->origin);
	put_str(w, rec->changed_by);
	put_u(w, rec->version, 4);
	put_u(w, (uint64_t)rec->changed_at, 8);
}

static void audit_body(struct wbuf *w, const void *arg)
{
	const struct store_audit *a = arg;
	put(w, "XA", 2);
	put_u(w, STORE_ENCODING_VERSION, 1);
	put_u(w, (uint64_t)a->kind, 1);
	put_u(w, a->seq, 8);
	put_u(w, (uint64_t)a->at, 8);
	put_u(w, a->version, 4);
	put_str(w, a->record_id);
	put_str(w, a->user);
	put_str(w, a->action);
	put_var(w, a->nchanges);
	for (size_t i = 0; i < a->nchanges; i++) {
		const struct store_change *c = &a->changes[i];
		put_u(w, (c->before ? 1u : 0u) | (c->after ? 2u : 0u), 1);
		put_str(w, c->key);
		if (c->before)
			put_str(w, c->before);
		if (c->after)
			put_str(w, c->after);
	}
}

/* Writes what body puts into a new buffer. */
static int encode(void (*body)(struct wbuf *, const void *), const void *arg,
		  unsigned char **buf, size_t *len)
{
	unsigned char stack[4096];
	struct wbuf w = { stack, 0, sizeof(stack), 0 };
	body(&w, arg);
	if (w.overflow) {
		w = (struct wbuf){ NULL, 0, 0, 0 };
		body(&w, arg);
		if ((w.p = malloc(w.len ? w.len : 1)) == NULL)
			return XB_EFAIL;
		w.cap = w.len;
		w.len = 0;
		body(&w, arg);
		*buf = w.p;
	} else {
		if ((*buf = malloc(w.len ? w.len : 1)) == NULL)
			return XB_EFAIL;
		memcpy(*buf, stack, w.len);
	}
	*len = w.len;
	return XB_OK;
}

int store_record_encode(const struct store_record *rec, unsigned char **buf,
			size_t *len)
{
	return encode(record_body, rec, buf, len);
}

int store_audit_encode(const struct store_audit *a, unsigned char **buf,
		       size_t *len)
{
	return encode(audit_body, a, buf, len);
}

/* A varint into out (at least 10 bytes): its length. */
static size_t var_into(unsigned char *out, uint64_t v)
{
	struct wbuf w = { out, 0, 10, 0 };
	put_var(&w, v);
	return w.len;
}

int store_audit_run_add(unsigned char **body, size_t *len, size_t *cap,
			const unsigned char *entry, size_t elen)
{
	unsigned char head[10];
	size_t hlen = var_into(head, elen);
	if (*len + hlen + elen > *cap) {
		size_t c = *cap ? *cap : 1024;
		while (*len + hlen + elen > c)
			c *= 2;
		unsigned char *p = realloc(*body, c);
		if (p == NULL)
			return XB_EFAIL;
		*body = p;
		*cap = c;
	}
	memcpy(*body + *len, head, hlen);
	memcpy(*body + *len + hlen, entry, elen);
	*len += hlen + elen;
	return XB_OK;
}

size_t store_audit_run_header(unsigned char out[STORE_RUN_HEADER_MAX], uint64_t n)
{
	out[0] = 'X';
	out[1] = 'R';
	out[2] = STORE_ENCODING_VERSION;
	return 3 + var_into(out + 3, n);
}


struct rbuf {
	const unsigned char *p;
	size_t len, off;
	int bad;
	unsigned version; /* the encoding, from the header */
};

static uint64_t get_u(struct rbuf *r, int bytes)
{
	uint64_t v = 0;
	/* off may stand past len: the finders below skip fixed fields
	 * without reading them. */
	if (r->bad || r->off > r->len || r->len - r->off < (size_t)bytes) {
		r->bad = 1;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v = (v << 8) | r->p[r->off++];
	return v;
}

/* A length or count: u32 in version 1, a varint (at most 32 bits) since. */
static uint64_t get_len(struct rbuf *r)
{
	if (r->version == 1)
		return get_u(r, 4);
	uint64_t v = 0;
	for (int shift = 0; shift < 35; shift += 7) {
		if (r->bad || r->off >= r->len)
			break;
		unsigned char b = r->p[r->off++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

/* Points at the next string without copying. */
static const char *peek_str(struct rbuf *r, size_t *n)
{
	uint64_t len = get_len(r);
	if (r->bad || r->len - r->off < len) {
		r->bad = 1;
		*n = 0;
		return NULL;
	}
	const char *s = (const char *)r->p + r->off;
	r->off += (size_t)len;
	*n = (size_t)len;
	return s;
}

/* Copies the next string; empty strings come back as NULL when
 * empty_is_null, so absent and empty read alike. */
static char *get_str(struct rbuf *r, int empty_is_null)
{
	size_t n;
	const char *s = peek_str(r, &n);
	if (s == NULL || (n == 0 && empty_is_null))
		return NULL;
	char *out = malloc(n + 1);
	if (out == NULL) {
		r->bad = 1;
		return NULL;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* Reads the magic and the encoding version of an encoded value: 0 when
 * it is neither the magic nor an encoding this program reads. */
static unsigned read_header(struct rbuf *r, const char *magic)
{
	if (r->len < 4 || memcmp(r->p, magic, 2) != 0)
		return 0;
	r->off = 2;
	r->version = (unsigned)get_u(r, 1);
	return r->version >= 1 && r->version <= STORE_ENCODING_VERSION;
}

/* read_header with the reason for a refusal in err. */
static int check_header(struct rbuf *r, const char *magic, struct xb_error *err)
{
	if (read_header(r, magic))
		return XB_OK;
	if (r->len < 4 || memcmp(r->p, magic, 2) != 0)
		return xb_fail(err, XB_EFAIL,
			       _("A stored record is damaged (bad header)."));
	return xb_fail(err, XB_EFAIL,
		       _("A stored record was written by a newer "
			 "version of xiangban (encoding %u); update "
			 "the program."),
		       r->version);
}

/* Walks a record's fields: r stands at their count (versions 1 and 2)
 * or at the first key (version 3, where an empty key ends them). */
struct field_walk {
	uint64_t left;
	int until_empty;
};

static void fields_begin(struct rbuf *r, struct field_walk *fw)
{
	fw->until_empty = r->version >= 3;
	fw->left = fw->until_empty ? UINT64_MAX : get_len(r);
}

/* The next field's key and value, pointing into r; 0 after the last one
 * (or on damage: r->bad). */
static int next_field(struct rbuf *r, struct field_walk *fw, const char **k,
		      size_t *kn, const char **v, size_t *vn)
{
	if (fw->left == 0 || r->bad)
		return 0;
	*k = peek_str(r, kn);
	if (r->bad || (fw->until_empty && *kn == 0))
		return 0;
	*v = peek_str(r, vn);
	fw->left--;
	return !r->bad;
}

/* Copies a string into the record's block at *used. */
static char *copy_in(struct store_record *rec, const char *s, size_t n,
		     size_t *used)
{
	char *out = rec->block + *used;
	memcpy(out, s, n);
	out[n] = '\0';
	*used += n + 1;
	return out;
}

/* Reads a record's fields, the strings into one block. Every string has
 * at least one length byte, so the bytes left to read bound what they
 * need with their NULs. */
static void get_fields(struct rbuf *r, struct store_record *rec)
{
	struct field_walk fw;
	fields_begin(r, &fw);
	if (r->bad)
		return;
	size_t room = r->len - r->off; /* 0: next_field finds no field */
	if (room > 0 && (rec->block = malloc(room)) == NULL) {
		r->bad = 1;
		return;
	}
	rec->block_len = room;
	size_t used = 0, kn, vn;
	const char *k, *v;
	while (next_field(r, &fw, &k, &kn, &v, &vn)) {
		/* An empty value is an absent field, as store_record_set has it. */
		if (vn == 0)
			continue;
		char *key = copy_in(rec, k, kn, &used);
		if (store_record_append(rec, key, copy_in(rec, v, vn, &used)) != XB_OK)
			r->bad = 1;
	}
}

int store_record_decode(const void *buf, size_t len, struct store_record **out,
			struct xb_error *err)
{
	struct rbuf r = { buf, len, 0, 0, 0 };
	*out = NULL;
	int ret = check_header(&r, "XB", err);
	if (ret)
		return ret;
	unsigned kind = (unsigned)get_u(&r, 1);
	struct store_record *rec = store_record_new((enum store_kind)kind);
	if (rec == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (r.version == 1) {
		rec->version = (uint32_t)get_u(&r, 4);
		rec->changed_at = (int64_t)get_u(&r, 8);
		rec->id = get_str(&r, 1);
		rec->origin = get_str(&r, 1);
		rec->changed_by = get_str(&r, 1);
		get_fields(&r, rec);
	} else {
		rec->id = get_str(&r, 1);
		get_fields(&r, rec);
		rec->origin = get_str(&r, 1);
		rec->changed_by = get_str(&r, 1);
		rec->version = (uint32_t)get_u(&r, 4);
		rec->changed_at = (int64_t)get_u(&r, 8);
	}
	if (r.bad || r.off != r.len || kind == 0 || kind > STORE_KIND_MAX) {
		store_record_free(&rec);
		return xb_fail(err, XB_EFAIL,
			       _("A stored record is damaged (bad length)."));
	}
	*out = rec;
	return XB_OK;
}

/* The before or after value of a change: version 1 writes both always,
 * later ones only what is present. */
static char *get_change_str(struct rbuf *r, int present)
{
	if (!present && r->version > 1)
		return NULL;
	char *s = get_str(r, 0);
	if (!present) {
		free(s);
		s = NULL;
	}
	return s;
}

int store_audit_decode(const void *buf, size_t len, struct store_audit **out,
		       struct xb_error *err)
{
	struct rbuf r = { buf, len, 0, 0, 0 };
	*out = NULL;
	int ret = check_header(&r, "XA", err);
	if (ret)
		return ret;
	struct store_audit *a = calloc(1, sizeof(*a));
	if (a == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	a->kind = (enum store_kind)get_u(&r, 1);
	a->seq = get_u(&r, 8);
	a->at = (int64_t)get_u(&r, 8);
	a->version = (uint32_t)get_u(&r, 4);
	a->record_id = get_str(&r, 1);
	a->user = get_str(&r, 1);
	a->action = get_str(&r, 1);
	uint64_t n = get_len(&r);
	/* the least a change takes: 13 bytes in version 1, 2 since */
	if (!r.bad && n <= len / (r.version == 1 ? 13 : 2))
		a->changes = calloc(n ? n : 1, sizeof(*a->changes));
	if (a->changes == NULL)
		r.bad = 1;
	for (uint64_t i = 0; i < n && !r.bad; i++) {
		struct store_change *c = &a->changes[i];
		unsigned bits = (unsigned)get_u(&r, 1);
		a->nchanges++;
		c->key = get_str(&r, 0);
		c->before = get_change_str(&r, bits & 1u);
		c->after = get_change_str(&r, bits & 2u);
	}
	if (r.bad || r.off != r.len) {
		store_audit_free(&a);
		return xb_fail(err, XB_EFAIL,
			       _("A stored history entry is damaged."));
	}
	*out = a;
	return XB_OK;
}

/* Moves r from a record's header to its fields: past the metadata
 * (version 1) or the id (later versions). */
static void skip_to_fields(struct rbuf *r)
{
	size_t n;
	if (r->version == 1) {
		r->off += 1 + 4 + 8;
		for (int i = 0; i < 3; i++)
			peek_str(r, &n);
	} else {
		r->off += 1;
		peek_str(r, &n);
	}
}

int store_codec_find(const void *buf, size_t len, const char *key,
		     const char **val, size_t *vlen)
{
	struct rbuf r = { buf, len, 0, 0, 0 };
	if (!read_header(&r, "XB"))
		return -1;
	skip_to_fields(&r);
	struct field_walk fw;
	fields_begin(&r, &fw);
	size_t klen = strlen(key), kn, vn;
	const char *k, *v;
	while (next_field(&r, &fw, &k, &kn, &v, &vn))
		if (kn == klen && memcmp(k, key, klen) == 0) {
			*val = v;
			*vlen = vn;
			return 1;
		}
	return r.bad ? -1 : 0;
}

int store_codec_origin(const void *buf, size_t len, const char **origin,
		       size_t *olen)
{
	struct rbuf r = { buf, len, 0, 0, 0 };
	if (!read_header(&r, "XB"))
		return -1;
	size_t n;
	if (r.version == 1) {
		/* kind, version, changed_at, id, then the origin */
		r.off += 1 + 4 + 8;
		peek_str(&r, &n);
	} else {
		/* the id and the fields come first; the origin follows them */
		skip_to_fields(&r);
		struct field_walk fw;
		fields_begin(&r, &fw);
		const char *k, *v;
		size_t kn, vn;
		while (next_field(&r, &fw, &k, &kn, &v, &vn))
			;
	}
	*origin = peek_str(&r, olen);
	return r.bad ? -1 : 1;
}

int store_audit_run_entries(const void *buf, size_t len, uint64_t *n,
			    size_t *off)
{
	struct rbuf r = { buf, len, 0, 0, 0 };
	if (len < 4 || memcmp(buf, "XR", 2) != 0)
		return 0;
	if (!read_header(&r, "XR") || r.version < 3)
		return -1;
	*n = get_len(&r);
	*off = r.off;
	return r.bad || *n == 0 ? -1 : 1;
}

int store_audit_run_next(const void *buf, size_t len, size_t *off,
			 const void **entry, size_t *elen)
{
	struct rbuf r = { buf, len, *off, 0, 3 };
	size_t n;
	const char *e = peek_str(&r, &n);
	if (e == NULL || n == 0)
		return -1;
	*entry = e;
	*elen = n;
	*off = r.off;
	return 0;
}
