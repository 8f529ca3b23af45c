/* fuzz_import.c - a bundle's plaintext imported into a real county ledger
 * (bundle_import_plain as a dry run: every check and merge of the import,
 * then undone, so each input meets the same ledger). Signatures are not
 * fuzzed here: GnuPG checks them before any of this runs.
 *
 * The ledger, made once: county 220221, trusting townships 220221100 and
 * 220221101, holding 220221100's first bundle (children, visits, reports,
 * steps) made by synth. Inputs are taken with --allow-gap, so a sequence
 * from 3 up only needs a well-formed previous_sha256.
 *
 * Contracts, beyond crashes and sanitizer reports: a refusal says why in
 * whole UTF-8; an import that would land holds only records the sender
 * owns (form_record_place on every line names the sender, or, from the
 * county, the receiving township), each under its own origin, and counts
 * as many records as it has lines after the manifest. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz.h"
#include "../common/clock.h"
#include "../demo/demo.h"
#include "../forms/forms.h"
#include "../forms/ledger.h"
#include "../exchange/private.h"

#define COUNTY "220221"
#define TOWN "220221100"

static struct store *county;
static char home[64], town_home[64];

static void remove_tree(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_import: could not remove %s\n", dir);
}

static void close_ledger(void)
{
	store_close(&county);
	remove_tree(home);
}

static int bind_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	(void)arg;
	const char *entry = "{\"name\":\"fuzz\",\"fpr\":"
			    "\"00112233445566778899AABBCCDDEEFF00112233\",\"status\":\"bound\"}";
	int ret = store_book_put(st, txn, STORE_BOOK_PEERS, TOWN, entry, err);
	return ret ? ret : store_book_put(st, txn, STORE_BOOK_PEERS, "220221101", entry, err);
}

/* The township's whole ledger as bundle 1 to the county, into fd. */
static int first_bundle(struct store *town, int fd)
{
	static const enum store_kind kinds[] = { STORE_OFFICE, STORE_CHILD, STORE_VISIT,
						 STORE_REPORT, STORE_STEP };
	json_t *lines = json_array(), *counts = json_object();
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct store_iter *it;
		struct store_record *r;
		json_int_t n = 0;
		if (store_iter_open(town, kinds[k], STORE_BY_ID, STORE_ALL, NULL, &it, NULL))
			return -1;
		while (store_iter_next(it, &r, NULL, NULL) == 1) {
			json_array_append_new(lines, bundle_record_json(r));
			store_record_free(&r);
			n++;
		}
		store_iter_close(&it);
		json_object_set_new(counts, store_kind_name(kinds[k]), json_integer(n));
	}
	json_t *m = json_pack("{s:s,s:i,s:i,s:s,s:s,s:i,s:s,s:o,s:I}", "format", BUNDLE_FORMAT,
			      "format_version", BUNDLE_FORMAT_VERSION, "schema_version",
			      FORM_SCHEMA_VERSION, "from", TOWN, "to", COUNTY, "sequence", 1,
			      "previous_sha256", "", "counts", counts, "records",
			      (json_int_t)json_array_size(lines));
	int ret = json_dumpfd(m, fd, JSON_COMPACT) || write(fd, "\n", 1) != 1;
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
		ret |= json_dumpfd(l, fd, JSON_COMPACT) || write(fd, "\n", 1) != 1;
	json_decref(m);
	json_decref(lines);
	return ret ? -1 : 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("XIANGBAN_NOW", FUZZ_TODAY "T09:00:00", 1);
	setenv("LANGUAGE", "C", 1);
	snprintf(home, sizeof(home), "/tmp/xbfuzz.XXXXXX");
	snprintf(town_home, sizeof(town_home), "/tmp/xbfuzz.XXXXXX");
	struct xb_error err;
	struct store *town = NULL;
	struct bundle_import_result res;
	int fd = memfd_create("bundle", 0);
	if (mkdtemp(home) == NULL || mkdtemp(town_home) == NULL || fd < 0 ||
	    store_open(home, &county, &err) != XB_OK ||
	    ledger_init(county, COUNTY, "示范县", NULL, "fuzz", NULL, &err) != XB_OK ||
	    store_run(county, bind_fn, NULL, &err) != XB_OK ||
	    store_open(town_home, &town, &err) != XB_OK ||
	    ledger_init(town, TOWN, "城关镇", NULL, "fuzz", NULL, &err) != XB_OK ||
	    synth_fill(town, 40, 2, 100, 7, "fuzz", NULL, NULL, &err) != XB_OK ||
	    first_bundle(town, fd) != 0 ||
	    bundle_import_plain(county, fd, 0, 0, "fuzz", &res, &err) != XB_OK) {
		fprintf(stderr, "fuzz_import: cannot make the ledger: %s\n", err.msg);
		abort();
	}
	close(fd);
	store_close(&town);
	remove_tree(town_home);
	atexit(close_ledger);
	return 0;
}

/* Every line after the manifest of an import that would land: a record
 * the sender may carry, under its own origin. */
static void check_landed(const char *text, size_t len, const struct bundle_import_result *res)
{
	const char *p = text, *end = text + len;
	uint64_t records = 0;
	char from[13] = "";
	for (int first = 1; p < end; first = 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *j = json_loadb(p, n, JSON_REJECT_DUPLICATES, NULL);
		p += n + (nl != NULL);
		if (j == NULL)
			FUZZ_BUG("a line that is not JSON landed");
		if (first) {
			snprintf(from, sizeof(from), "%s", bundle_json_str(j, "from"));
			json_decref(j);
			continue;
		}
		struct store_record *rec = NULL;
		struct xb_error err;
		char owner[13], parent[64];
		if (bundle_record_from_json(j, &rec, &err) != XB_OK ||
		    form_record_place(rec, owner, parent, &err) != XB_OK)
			FUZZ_BUG("a record that is not one landed: %s", err.msg);
		if (strcmp(rec->origin, owner) != 0 || !bundle_may_carry(from, COUNTY, owner, rec->kind))
			FUZZ_BUG("%s of office %s (origin %s) landed from office %s", rec->id,
				 owner, rec->origin, from);
		store_record_free(&rec);
		json_decref(j);
		records++;
	}
	if (records != res->counts.total)
		FUZZ_BUG("%llu records landed, the import counted %llu",
			 (unsigned long long)records, (unsigned long long)res->counts.total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("bundle", 0);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	struct bundle_import_result res;
	struct xb_error err;
	xb_error_clear(&err);
	int ret = bundle_import_plain(county, fd, 1, 1, "fuzz", &res, &err);
	close(fd);
	/* what each seed does, for whoever keeps the corpus */
	if (getenv("FUZZ_IMPORT_SAY") != NULL)
		fprintf(stderr, "%s\n", ret == XB_OK ? (res.duplicate ? "replay" : "would land")
						     : err.msg);
	if (ret != XB_OK)
		FUZZ_REFUSAL(ret, err, "bundle_import_plain", 1);
	else if (!res.duplicate)
		check_landed((const char *)data, size, &res);
	return 0;
}
