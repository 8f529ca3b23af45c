/* fuzz_bundle_line.c - the plaintext of a bundle, line by line, as
 * exchange/reader.c takes it after decryption: the first line (the
 * manifest) must be JSON; each line after it is parsed, turned into a
 * record by bundle_record_from_json and checked by form_check_record, and
 * reading stops at the first line that fails. A child's id is checked as
 * a case number, as the importer does.
 *
 * JSON strings are whole UTF-8 (jansson sees to it), so messages must be.
 * A record that passes must pass again once written as the exporter
 * writes it (bundle_record_json) and read back: what one office sends,
 * the other must take. */
#include <string.h>

#include "fuzz.h"
#include "../exchange/private.h"
#include "../forms/forms.h"

/* What a record checked once becomes when exported and imported again. */
static void round_trip(const struct store_record *rec)
{
	struct xb_error err;
	struct store_record *back = NULL;
	json_t *o = bundle_record_json(rec);
	char *line = o ? bundle_json_dump(o) : NULL;
	json_decref(o);
	if (line == NULL)
		return; /* out of memory */
	json_t *again = json_loadb(line, strlen(line), JSON_REJECT_DUPLICATES, NULL);
	if (again == NULL)
		FUZZ_BUG("an exported line is not JSON: %s", line);
	if (bundle_record_from_json(again, &back, &err) != XB_OK)
		FUZZ_BUG("an exported line is not a record (%s): %s", err.msg, line);
	if (form_check_record(back, FUZZ_TODAY, &err) != XB_OK)
		FUZZ_BUG("a record that passed fails once exported (%s): %s",
			 err.msg, line);
	json_t *o2 = bundle_record_json(back);
	char *line2 = o2 ? bundle_json_dump(o2) : NULL;
	json_decref(o2);
	if (line2 != NULL && strcmp(line, line2) != 0)
		FUZZ_BUG("a record changes when checked again:\n%s\n%s", line, line2);
	free(line2);
	json_decref(again);
	store_record_free(&back);
	free(line);
}

/* One line after the manifest; 0 when the reader would stop after it. */
static int record_line(const char *text, size_t len)
{
	struct xb_error err;
	xb_error_clear(&err);
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	if (j == NULL)
		return 0;
	struct store_record *rec = NULL;
	int ret = bundle_record_from_json(j, &rec, &err);
	if (ret != XB_OK) {
		FUZZ_REFUSAL(ret, err, "bundle_record_from_json", 1);
	} else if ((ret = form_check_record(rec, FUZZ_TODAY, &err)) != XB_OK) {
		FUZZ_REFUSAL(ret, err, "form_check_record", 1);
	} else {
		if (rec->kind == STORE_CHILD &&
		    (ret = form_case_check(rec->id, &err)) != XB_OK)
			FUZZ_REFUSAL(ret, err, "form_case_check", 1);
		round_trip(rec);
	}
	store_record_free(&rec);
	json_decref(j);
	return ret == XB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	for (uint64_t lineno = 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (lineno == 1) {
			/* the manifest: the reader only parses it (the
			 * importer's manifest_check asks the ledger: the
			 * importer's harness covers it) */
			json_t *m = json_loadb(p, n, JSON_REJECT_DUPLICATES, NULL);
			if (m == NULL)
				return 0;
			json_decref(m);
		} else if (!record_line(p, n)) {
			return 0;
		}
		p += n + (nl != NULL);
	}
	return 0;
}
