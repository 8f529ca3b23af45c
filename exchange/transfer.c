/* transfer.c - a child's file as it travels with a transfer to another
 * township (forms/transfer.c decides and writes; this file makes and reads
 * the text): one JSON object holding the child, its visits, reports and
 * report steps as bundle lines (records.c), so that the receiving
 * township reads them with the same checks as any bundle, and `gpg
 * --decrypt` shows them inside the transfer's line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "private.h"
#include "../common/i18n.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"

#define FILE_FORMAT "xiangban-file"

/* What a file holds beside the child, each under its key, in order. */
static const struct {
	enum store_kind kind;
	const char *key;
} file_parts[] = {
	{ STORE_VISIT, "visits" },
	{ STORE_REPORT, "reports" },
	{ STORE_STEP, "steps" },
};
#define NPARTS (sizeof(file_parts) / sizeof(file_parts[0]))

/* The records of kind under case (its id then '/') as lines into arr. */
static int lines_under(struct store *st, enum store_kind kind, const char *case_no,
		       json_t *arr, struct xb_error *err)
{
	char prefix[40];
	struct store_iter *it;
	struct store_record *r;
	snprintf(prefix, sizeof(prefix), "%s/", case_no);
	int ret = store_iter_open(st, kind, STORE_BY_ID, STORE_PREFIX, prefix, &it, err);
	if (ret != XB_OK)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		json_t *line = bundle_record_json(r);
		store_record_free(&r);
		if (line == NULL || json_array_append_new(arr, line) != 0) {
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
			break;
		}
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* ledger_file_fn: the child's file as it stands, as text. */
static int file_text(struct store *st, const struct store_record *child,
		     char **text, struct xb_error *err)
{
	*text = NULL;
	json_t *o = json_object();
	int ret = o == NULL ? xb_fail(err, XB_EFAIL, _("Out of memory.")) : XB_OK;
	if (ret == XB_OK) {
		json_object_set_new(o, "format", json_string(FILE_FORMAT));
		json_object_set_new(o, "child", bundle_record_json(child));
	}
	for (size_t i = 0; i < NPARTS && ret == XB_OK; i++) {
		json_t *arr = json_array();
		ret = arr == NULL ? xb_fail(err, XB_EFAIL, _("Out of memory."))
				  : lines_under(st, file_parts[i].kind, child->id, arr, err);
		json_object_set_new(o, file_parts[i].key, arr);
	}
	if (ret == XB_OK && (*text = bundle_json_dump(o)) == NULL)
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	json_decref(o);
	return ret;
}

int bundle_child_transfer(struct store *st, const char *case_no, const char *to,
			  const char *to_name, const char *date,
			  const char *reason, const char *user, char *id,
			  char *request, struct xb_error *err)
{
	struct ledger_transfer t = { case_no, to, to_name, date, reason };
	if (id != NULL)
		id[0] = '\0';
	return ledger_child_transfer(st, &t, file_text, user, id, request, err);
}

int bundle_request_approve(struct store *st, const char *user, const char *id,
			   const char *comment, struct xb_error *err)
{
	return ledger_request_approve_file(st, user, id, comment, file_text, err);
}

/* The file a transfer carries, parsed; NULL (err says why) when it is
 * not one. */
static json_t *file_of(const struct store_record *transfer, struct xb_error *err)
{
	const char *text = store_record_get(transfer, FK_file);
	json_t *o = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
	const char *format = o ? bundle_json_str(o, "format") : NULL;
	if (format == NULL || strcmp(format, FILE_FORMAT) != 0 ||
	    !json_is_object(json_object_get(o, "child"))) {
		json_decref(o);
		xb_fail_field(err, XB_EINVAL, FK_file,
			      _("Transfer %s does not carry a child's file."),
			      transfer->id ? transfer->id : "");
		return NULL;
	}
	return o;
}

/* The record of line, which must be of kind and sit under case_no (the
 * child itself: be it). */
static int file_record(json_t *line, enum store_kind kind, const char *case_no,
		       struct store_record **out, struct xb_error *err)
{
	int ret = bundle_record_from_json(line, out, err);
	if (ret != XB_OK)
		return ret;
	const char *id = (*out)->id;
	size_t n = strlen(case_no);
	if ((*out)->kind != kind || strncmp(id, case_no, n) != 0 ||
	    (kind == STORE_CHILD ? id[n] != '\0' : id[n] != '/')) {
		store_record_free(out);
		return xb_fail_field(err, XB_EINVAL, FK_file,
				     _("The file of case %s holds a record of "
				       "another case."),
				     case_no);
	}
	return XB_OK;
}

int bundle_transfer_arrive(struct store *st, struct store_txn *txn,
			   const struct store_record *transfer, const char *user,
			   char *case_no, struct xb_error *err)
{
	const char *from_case = store_record_get(transfer, FK_case_no);
	json_t *o = file_of(transfer, err);
	if (o == NULL)
		return err->code;
	struct store_record *child = NULL;
	enum ledger_arrival how;
	int ret = file_record(json_object_get(o, "child"), STORE_CHILD,
			      from_case ? from_case : "", &child, err);
	if (ret == XB_OK)
		ret = ledger_transfer_arrive(st, txn, transfer, child, user, case_no, &how,
					     err);
	store_record_free(&child);
	json_decref(o);
	return ret;
}

int bundle_transfer_file(struct store *st, const struct store_record *child,
			 bundle_record_fn fn, void *arg, struct xb_error *err)
{
	const char *prev = store_record_get(child, FK_previous_case);
	char town[10];
	if (prev == NULL || child->id == NULL)
		return XB_ENOTFOUND;
	snprintf(town, sizeof(town), "%.9s", child->id);
	struct store_record *t = NULL;
	int ret = ledger_transfer_last(st, prev, town, &t, err);
	if (ret != XB_OK)
		return ret;
	json_t *o = file_of(t, err);
	if (o == NULL) {
		store_record_free(&t);
		return err->code;
	}
	int stop = fn(t, arg);
	struct store_record *r = NULL;
	if (!stop && (ret = file_record(json_object_get(o, "child"), STORE_CHILD, prev, &r,
					err)) == XB_OK) {
		stop = fn(r, arg);
		store_record_free(&r);
	}
	for (size_t i = 0; i < NPARTS && !stop && ret == XB_OK; i++) {
		json_t *arr = json_object_get(o, file_parts[i].key), *line;
		size_t k;
		json_array_foreach(arr, k, line) {
			if ((ret = file_record(line, file_parts[i].kind, prev, &r, err)) != XB_OK)
				break;
			stop = fn(r, arg);
			store_record_free(&r);
			if (stop)
				break;
		}
	}
	json_decref(o);
	store_record_free(&t);
	return ret;
}
