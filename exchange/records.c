/* records.c - records as the JSON lines of a bundle, walking the schema
 * in forms/, what a bundle may carry, and the JSON helpers the files of
 * exchange/ share. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"
#include "../forms/forms.h"

const enum store_kind bundle_kinds[BUNDLE_NKINDS] = {
	STORE_OFFICE, STORE_CHILD, STORE_VISIT, STORE_REPORT, STORE_STEP,
	STORE_TABLE, STORE_AID, STORE_REQUEST, /* a record after the one it sits under */
	STORE_TRANSFER, /* after the child it closes */
};

const char *bundle_oom(struct xb_error *err)
{
	xb_fail(err, XB_EFAIL, _("Out of memory."));
	return NULL;
}

int bundle_may_carry(const char *from, const char *to, const char *owner,
		     enum store_kind kind)
{
	size_t nf = strlen(from), nt = strlen(to);
	if (nt == 4)
		return kind == STORE_TABLE && nf == 6 && strncmp(from, to, 4) == 0 &&
		       (strcmp(owner, from) == 0 ||
			(strlen(owner) == 9 && strncmp(owner, from, 6) == 0));
	if (strcmp(owner, from) == 0)
		return 1;
	/* a county gives a township of its own its records back (not the
	 * tables the township filed: they are the township's to send) */
	return nf == 6 && nt == 9 && strncmp(to, from, 6) == 0 &&
	       strcmp(owner, to) == 0 && kind != STORE_TABLE &&
	       kind != STORE_TRANSFER;
}

int bundle_may_carry_record(const char *from, const char *to, const char *owner,
			    const struct store_record *rec)
{
	if (rec->kind != STORE_TRANSFER)
		return bundle_may_carry(from, to, owner, rec->kind);
	size_t nf = strlen(from), nt = strlen(to);
	const char *dest = store_record_get(rec, FK_to);
	/* a township sends its county the transfers it made ... */
	if (nf == 9 && nt == 6)
		return strcmp(owner, from) == 0 && strncmp(from, to, 6) == 0;
	/* ... which passes each on to the township it names, and there only */
	return nf == 6 && nt == 9 && strncmp(to, from, 6) == 0 &&
	       strlen(owner) == 9 && strncmp(owner, from, 6) == 0 &&
	       strcmp(owner, to) != 0 && dest != NULL && strcmp(dest, to) == 0;
}

enum store_kind bundle_kind_of(const char *name)
{
	for (size_t i = 0; i < BUNDLE_NKINDS; i++)
		if (strcmp(store_kind_name(bundle_kinds[i]), name) == 0)
			return bundle_kinds[i];
	return 0;
}

/* --- JSON helpers --- */

const char *bundle_json_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t bundle_json_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* Parses a book entry; NULL when it is not JSON (never written so). */
json_t *bundle_json_parse(const char *text)
{
	return text ? json_loads(text, 0, NULL) : NULL;
}

char *bundle_json_dump(json_t *o)
{
	/* jansson 2.14 keeps keys in the order they were set (the schema's);
	 * JSON_PRESERVE_ORDER would sort them again, which took half the
	 * time of a large export. */
	return json_dumps(o, JSON_COMPACT);
}

json_t *bundle_counts_json(const struct bundle_counts *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < BUNDLE_NKINDS; i++)
		json_object_set_new(o, store_kind_name(bundle_kinds[i]),
				    json_integer((json_int_t)c->kind[bundle_kinds[i]]));
	return o;
}

/* A record as one line: its place and metadata, then its fields in the
 * order of the schema. */
json_t *bundle_record_json(const struct store_record *rec)
{
	json_t *o = json_object(), *fields = json_object();
	json_object_set_new(o, "kind", json_string(store_kind_name(rec->kind)));
	json_object_set_new(o, "id", json_string(rec->id));
	json_object_set_new(o, "origin", json_string(rec->origin ? rec->origin : ""));
	json_object_set_new(o, "version", json_integer(rec->version));
	json_object_set_new(o, "changed_at", json_integer(rec->changed_at));
	json_object_set_new(o, "changed_by",
			    json_string(rec->changed_by ? rec->changed_by : ""));
	size_t n;
	const struct form_field *f = form_fields(rec->kind, &n);
	const char *v[FORM_KIND_FIELDS_MAX];
	if (n > FORM_KIND_FIELDS_MAX)
		n = FORM_KIND_FIELDS_MAX;
	form_values_in_order(rec, v, n);
	for (size_t i = 0; i < n; i++)
		if (v[i] != NULL) /* the schema's keys are ASCII: no check */
			json_object_set_new_nocheck(fields, f[i].key, json_string(v[i]));
	json_object_set_new(o, "fields", fields);
	return o;
}

/* The record a line describes, before validation. */
int bundle_record_from_json(json_t *o, struct store_record **out,
			    struct xb_error *err)
{
	*out = NULL;
	const char *kind = bundle_json_str(o, "kind"), *id = bundle_json_str(o, "id");
	const char *origin = bundle_json_str(o, "origin");
	json_t *ver = json_object_get(o, "version"), *at = json_object_get(o, "changed_at");
	json_t *fields = json_object_get(o, "fields");
	enum store_kind k = kind ? bundle_kind_of(kind) : 0;
	if (!json_is_object(o) || k == 0 || id == NULL || *id == '\0' ||
	    origin == NULL || !json_is_integer(ver) ||
	    json_integer_value(ver) < 1 || json_integer_value(ver) > UINT32_MAX ||
	    !json_is_integer(at) || !json_is_object(fields))
		return xb_fail(err, XB_EINVAL,
			       _("not a record of a kind this version knows"));
	struct store_record *rec = store_record_new(k);
	if (rec == NULL || store_record_set_id(rec, id) ||
	    store_record_set_origin(rec, origin)) {
		store_record_free(&rec);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	rec->version = (uint32_t)json_integer_value(ver);
	rec->changed_at = (int64_t)json_integer_value(at);
	const char *by = bundle_json_str(o, "changed_by");
	unsigned bad = 0;
	/* Who changed it is shown in lists and histories: nothing there may
	 * act on a terminal or hide (common/printable.h). */
	if (by != NULL && xb_text_check(by, 0, &bad) != XB_CH_OK) {
		store_record_free(&rec);
		return xb_fail_field(err, XB_EINVAL, "changed_by",
				     _("who changed it holds a control, invisible or "
				       "direction-changing character (U+%04X)"),
				     bad);
	}
	rec->changed_by = strdup(by ? by : "");
	const char *key;
	json_t *v;
	json_object_foreach(fields, key, v) {
		if (!json_is_string(v)) {
			store_record_free(&rec);
			return xb_fail_field(err, XB_EINVAL, "", _("%s is not text."), key);
		}
		if (store_record_set(rec, key, json_string_value(v))) {
			store_record_free(&rec);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
	}
	*out = rec;
	return XB_OK;
}
