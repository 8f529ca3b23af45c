/* builder.c - a synthetic record's fields gathered in one block and
 * handed to the record at the end (private.h says why). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

static char *keep(struct builder *b, const char *s)
{
	size_t n = strlen(s) + 1;
	if (BUILDER_BYTES - b->used < n) {
		b->failed = 1;
		return NULL;
	}
	char *p = memcpy(b->buf + b->used, s, n);
	b->used += n;
	return p;
}

void builder_put(struct builder *b, const char *key, const char *value)
{
	size_t i = 0;
	while (i < b->n && (b->field[i].key[0] != key[0] || strcmp(b->field[i].key, key) != 0))
		i++;
	if (value == NULL || *value == '\0') {
		if (i < b->n) {
			b->n--;
			memmove(&b->field[i], &b->field[i + 1], (b->n - i) * sizeof(b->field[0]));
		}
		return;
	}
	char *v = keep(b, value);
	if (v == NULL)
		return;
	if (i < b->n) {
		b->field[i].value = v;
		return;
	}
	char *k = keep(b, key);
	if (k == NULL || b->n == BUILDER_FIELDS) {
		b->failed = 1;
		return;
	}
	b->field[b->n++] = (struct store_field){ k, v };
}

void builder_start(struct builder *b, enum store_kind kind)
{
	b->rec = store_record_new(kind);
	b->failed = b->rec == NULL;
	b->n = b->used = 0;
}

void builder_putf(struct builder *b, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	builder_put(b, key, buf);
}

struct store_record *builder_finish(struct builder *b)
{
	if (!b->failed &&
	    store_record_fill(b->rec, b->field, b->n) != XB_OK)
		b->failed = 1;
	if (b->failed)
		store_record_free(&b->rec);
	return b->rec;
}
