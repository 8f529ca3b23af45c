/* record.c - in-memory records: a kind, an id, metadata, key=value fields. */
#include <stdlib.h>
#include <string.h>

#include "private.h"

const char *store_kind_name(enum store_kind kind)
{
	switch (kind) {
	case STORE_OFFICE: return "office";
	case STORE_CHILD: return "child";
	case STORE_VISIT: return "visit";
	case STORE_REPORT: return "report";
	case STORE_STEP: return "step";
	case STORE_USER: return "user";
	case STORE_VILLAGE: return "village";
	case STORE_TABLE: return "table";
	case STORE_AID: return "aid";
	case STORE_REQUEST: return "request";
	case STORE_TRANSFER: return "transfer";
	}
	return "unknown";
}

struct store_record *store_record_new(enum store_kind kind)
{
	struct store_record *rec = calloc(1, sizeof(*rec));
	if (rec != NULL)
		rec->kind = kind;
	return rec;
}

/* A field's strings live in the record's block or, when set later, in
 * one allocation of their own that starts with the key: "key\0value\0".
 * Frees a field's key (and so its value) unless it is in the block. */
static void release(const struct store_record *r, char *s)
{
	if (s == NULL || (r->block != NULL && s >= r->block &&
			  s < r->block + r->block_len))
		return;
	free(s);
}

void store_record_free(struct store_record **rec)
{
	if (rec == NULL || *rec == NULL)
		return;
	struct store_record *r = *rec;
	for (size_t i = 0; i < r->nfields; i++)
		release(r, r->fields[i].key);
	free(r->block);
	free(r->fields);
	free(r->id);
	free(r->origin);
	free(r->changed_by);
	free(r);
	*rec = NULL;
}

/* Replaces *dst with a copy of src (NULL allowed). */
static int set_str(char **dst, const char *src)
{
	char *copy = NULL;
	if (src != NULL && (copy = strdup(src)) == NULL)
		return XB_EFAIL;
	free(*dst);
	*dst = copy;
	return XB_OK;
}

int store_record_set_id(struct store_record *rec, const char *id)
{
	return set_str(&rec->id, id);
}

int store_record_set_origin(struct store_record *rec, const char *origin)
{
	return set_str(&rec->origin, origin);
}

struct store_record *store_record_dup(const struct store_record *rec)
{
	struct store_record *d = store_record_new(rec->kind);
	if (d == NULL)
		return NULL;
	d->version = rec->version;
	d->changed_at = rec->changed_at;
	if (set_str(&d->id, rec->id) || set_str(&d->origin, rec->origin) ||
	    set_str(&d->changed_by, rec->changed_by))
		goto fail;
	/* The source's keys are unique already: copy them in order without
	 * looking each one up (store_record_set would make this quadratic). */
	if (store_record_fill(d, rec->fields, rec->nfields) != XB_OK)
		goto fail;
	return d;
fail:
	store_record_free(&d);
	return NULL;
}

int store_record_fill(struct store_record *rec, const struct store_field *src,
		      size_t n)
{
	if (rec->nfields != 0 || rec->block != NULL)
		return XB_EFAIL;
	if (n == 0)
		return XB_OK;
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += strlen(src[i].key) + strlen(src[i].value) + 2;
	struct store_field *f = realloc(rec->fields, n * sizeof(*f));
	if (f == NULL)
		return XB_EFAIL;
	rec->fields = f;
	rec->cap = n;
	if ((rec->block = malloc(total)) == NULL)
		return XB_EFAIL;
	rec->block_len = total;
	char *p = rec->block;
	for (size_t i = 0; i < n; i++) {
		size_t kn = strlen(src[i].key) + 1, vn = strlen(src[i].value) + 1;
		f[i].key = memcpy(p, src[i].key, kn);
		f[i].value = memcpy(p + kn, src[i].value, vn);
		p += kn + vn;
	}
	rec->nfields = n;
	return XB_OK;
}

/* The index of field key in rec, or rec->nfields when absent. */
static size_t find_field(const struct store_record *rec, const char *key)
{
	/* Validation asks for every field of some 50 by name: comparing the
	 * first byte first skips most strcmp calls. */
	size_t i;
	for (i = 0; i < rec->nfields; i++) {
		const char *k = rec->fields[i].key;
		if (k[0] == key[0] && strcmp(k, key) == 0)
			break;
	}
	return i;
}

const char *store_record_get(const struct store_record *rec, const char *key)
{
	size_t i = find_field(rec, key);
	return i < rec->nfields ? rec->fields[i].value : NULL;
}

int store_record_append(struct store_record *rec, char *key, char *value)
{
	if (rec->nfields == rec->cap) {
		size_t cap = rec->cap ? rec->cap * 2 : 64; /* a child has some 50 fields */
		struct store_field *f = realloc(rec->fields, cap * sizeof(*f));
		if (f == NULL)
			return XB_EFAIL;
		rec->fields = f;
		rec->cap = cap;
	}
	rec->fields[rec->nfields].key = key;
	rec->fields[rec->nfields].value = value;
	rec->nfields++;
	return XB_OK;
}

int store_record_set(struct store_record *rec, const char *key, const char *value)
{
	size_t i = find_field(rec, key);
	if (value == NULL || *value == '\0') {
		if (i == rec->nfields)
			return XB_OK;
		release(rec, rec->fields[i].key);
		memmove(&rec->fields[i], &rec->fields[i + 1],
			(rec->nfields - i - 1) * sizeof(rec->fields[0]));
		rec->nfields--;
		return XB_OK;
	}
	if (i < rec->nfields && strcmp(rec->fields[i].value, value) == 0)
		return XB_OK;
	size_t kn = strlen(key) + 1, vn = strlen(value) + 1;
	char *k = malloc(kn + vn);
	if (k == NULL)
		return XB_EFAIL;
	memcpy(k, key, kn);
	char *v = memcpy(k + kn, value, vn);
	if (i < rec->nfields) {
		release(rec, rec->fields[i].key);
		rec->fields[i].key = k;
		rec->fields[i].value = v;
		return XB_OK;
	}
	if (store_record_append(rec, k, v) != XB_OK) {
		free(k);
		return XB_EFAIL;
	}
	return XB_OK;
}

void store_changes_free(struct store_change *changes, size_t n)
{
	if (changes == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(changes[i].key);
		free(changes[i].before);
		free(changes[i].after);
	}
	free(changes);
}

void store_audit_free(struct store_audit **a)
{
	if (a == NULL || *a == NULL)
		return;
	store_changes_free((*a)->changes, (*a)->nchanges);
	free((*a)->record_id);
	free((*a)->user);
	free((*a)->action);
	free(*a);
	*a = NULL;
}

/* Appends one change, its strings pointing into the records. */
static int add_change(struct store_change **arr, size_t *n, size_t *cap,
		      char *key, char *before, char *after)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct store_change *p = realloc(*arr, c * sizeof(*p));
		if (p == NULL)
			return XB_EFAIL;
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = (struct store_change){ key, before, after };
	return XB_OK;
}

/* The value of key in rec, looking first at *pos: two versions of a
 * record keep their fields in much the same order, so walking both in step
 * finds most keys at once instead of searching (a diff of two 50-field
 * records would otherwise cost thousands of comparisons). */
static char *get_from(const struct store_record *rec, const char *key,
		      size_t *pos)
{
	if (*pos < rec->nfields && strcmp(rec->fields[*pos].key, key) == 0)
		return rec->fields[(*pos)++].value;
	for (size_t i = 0; i < rec->nfields; i++) {
		if (strcmp(rec->fields[i].key, key) == 0) {
			*pos = i + 1;
			return rec->fields[i].value;
		}
	}
	return NULL;
}

int store_diff_borrow(const struct store_record *old,
		      const struct store_record *new_,
		      struct store_change **changes, size_t *n)
{
	size_t cap = 0, pos = 0;
	*changes = NULL;
	*n = 0;
	for (size_t i = 0; i < new_->nfields; i++) {
		const struct store_field *f = &new_->fields[i];
		char *before = old ? get_from(old, f->key, &pos) : NULL;
		if (before != NULL && strcmp(before, f->value) == 0)
			continue;
		if (add_change(changes, n, &cap, f->key, before, f->value))
			goto fail;
	}
	pos = 0;
	for (size_t i = 0; old != NULL && i < old->nfields; i++) {
		const struct store_field *f = &old->fields[i];
		if (get_from(new_, f->key, &pos) != NULL)
			continue;
		if (add_change(changes, n, &cap, f->key, f->value, NULL))
			goto fail;
	}
	return XB_OK;
fail:
	free(*changes);
	*changes = NULL;
	*n = 0;
	return XB_EFAIL;
}

/* A copy of s, or NULL for NULL; sets *failed when out of memory. */
static char *dup_or_null(const char *s, int *failed)
{
	char *copy = NULL;
	if (s != NULL && (copy = strdup(s)) == NULL)
		*failed = 1;
	return copy;
}

int store_diff(const struct store_record *old, const struct store_record *new_,
	       struct store_change **changes, size_t *n)
{
	if (store_diff_borrow(old, new_, changes, n))
		return XB_EFAIL;
	int failed = 0;
	for (size_t i = 0; i < *n; i++) {
		struct store_change *c = &(*changes)[i];
		c->key = dup_or_null(c->key, &failed);
		c->before = dup_or_null(c->before, &failed);
		c->after = dup_or_null(c->after, &failed);
	}
	if (failed) {
		store_changes_free(*changes, *n);
		*changes = NULL;
		*n = 0;
		return XB_EFAIL;
	}
	return XB_OK;
}
