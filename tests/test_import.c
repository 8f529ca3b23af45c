/* test_import.c - the import's checks on a real store, from plaintext
 * (bundle_import_plain: no GnuPG, so valgrind and the sanitizers see all
 * of it): a township's own records come in; another office's, a forged
 * origin or a made-up id refuse the whole bundle, naming the line, and
 * write nothing. The signature side is in test_bundle and bundles.sh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"
#include "demo/demo.h"
#include "forms/ledger.h"
#include "exchange/private.h"

#define COUNTY "220221"
#define TOWN "220221100"
#define OTHER "220221101"

struct fixture {
	char *dir[3];
	struct store *county, *town, *other;
	char *plain; /* the bundle's plaintext file */
	int dry_run;
};

/* The county trusts both townships: their bindings as keys/peers.c keeps
 * them (the key itself is not needed without GnuPG). */
static int bind_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	(void)arg;
	const char *entry = "{\"name\":\"示范\",\"fpr\":\"" /* 40 hex digits */
			    "00112233445566778899AABBCCDDEEFF00112233\",\"status\":\"bound\"}";
	int ret = store_book_put(st, txn, STORE_BOOK_PEERS, TOWN, entry, err);
	return ret ? ret : store_book_put(st, txn, STORE_BOOK_PEERS, OTHER, entry, err);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	tu_pin_clock("2026-11-02T09:00:00");
	tu_lang("C.UTF-8");
	if (f == NULL || tu_ledger_open(&f->dir[0], &f->county, COUNTY, "示范", NULL) ||
	    tu_ledger_open(&f->dir[1], &f->town, TOWN, "示范", NULL) ||
	    tu_ledger_open(&f->dir[2], &f->other, OTHER, "示范", NULL) ||
	    synth_fill(f->town, 3, 1, 100, 7, "clerk", NULL, NULL, NULL) != XB_OK ||
	    synth_fill(f->other, 2, 1, 100, 8, "clerk", NULL, NULL, NULL) != XB_OK ||
	    store_run(f->county, bind_fn, NULL, NULL) != XB_OK)
		return -1;
	if (asprintf(&f->plain, "%s/plain.jsonl", f->dir[0]) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tu_ledger_close(&f->dir[0], &f->county);
	tu_ledger_close(&f->dir[1], &f->town);
	tu_ledger_close(&f->dir[2], &f->other);
	free(f->plain);
	free(f);
	return 0;
}

/* The records of a kind in st as bundle lines, appended to lines. */
static void lines_of(struct store *st, enum store_kind kind, json_t *lines)
{
	struct store_iter *it;
	struct store_record *r;
	assert_int_equal(store_iter_open(st, kind, STORE_BY_ID, STORE_ALL, NULL, &it, NULL),
			 XB_OK);
	while (store_iter_next(it, &r, NULL, NULL) == 1) {
		json_array_append_new(lines, bundle_record_json(r));
		store_record_free(&r);
	}
	store_iter_close(&it);
}

/* Writes a bundle from `from` to the county, sequence seq, of lines. */
static void write_plain(struct fixture *f, const char *from, int seq, json_t *lines)
{
	json_t *m = json_pack("{s:s,s:i,s:i,s:s,s:s,s:i,s:s,s:I}", "format", BUNDLE_FORMAT,
			      "format_version", BUNDLE_FORMAT_VERSION, "schema_version", 1,
			      "from", from, "to", COUNTY, "sequence", seq, "previous_sha256", "",
			      "records", (json_int_t)json_array_size(lines));
	json_t *counts = json_object();
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l) {
		const char *k = json_string_value(json_object_get(l, "kind"));
		json_t *c = json_object_get(counts, k);
		json_object_set_new(counts, k, json_integer(c ? json_integer_value(c) + 1 : 1));
	}
	json_object_set_new(m, "counts", counts);
	FILE *fp = fopen(f->plain, "w");
	assert_non_null(fp);
	json_dumpf(m, fp, JSON_COMPACT);
	fputc('\n', fp);
	json_array_foreach(lines, i, l) {
		json_dumpf(l, fp, JSON_COMPACT);
		fputc('\n', fp);
	}
	fclose(fp);
	json_decref(m);
}

static int import_plain(struct fixture *f, struct bundle_import_result *res,
			struct xb_error *err)
{
	int fd = open(f->plain, O_RDONLY);
	assert_true(fd >= 0);
	xb_error_clear(err);
	int ret = bundle_import_plain(f->county, fd, 0, f->dry_run, "staff", res, err);
	close(fd);
	return ret;
}

static uint64_t generation(struct store *st)
{
	uint64_t g;
	assert_int_equal(store_generation(st, &g, NULL), XB_OK);
	return g;
}

/* Refused whole, naming the line and why, nothing written. */
static void refused(struct fixture *f, const char *line, const char *why)
{
	struct bundle_import_result res;
	struct xb_error err;
	uint64_t before = generation(f->county);
	assert_int_equal(import_plain(f, &res, &err), XB_EINVAL);
	if (strstr(err.msg, line) == NULL || strstr(err.msg, why) == NULL)
		fail_msg("\"%s\" lacks \"%s\" or \"%s\"", err.msg, line, why);
	assert_int_equal(generation(f->county), before);
}

static void test_own_records_come_in(void **state)
{
	struct fixture *f = *state;
	json_t *lines = json_array();
	lines_of(f->town, STORE_OFFICE, lines);
	lines_of(f->town, STORE_CHILD, lines);
	lines_of(f->town, STORE_VISIT, lines);
	write_plain(f, TOWN, 1, lines);
	struct bundle_import_result res;
	struct xb_error err;
	if (import_plain(f, &res, &err) != XB_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(res.added, json_array_size(lines));
	assert_int_equal(res.counts.kind[STORE_CHILD], 3);
	uint64_t n;
	assert_int_equal(store_count(f->county, STORE_CHILD, &n, NULL), XB_OK);
	assert_int_equal(n, 3);
	json_decref(lines);
}

/* A dry run checks and merges everything, says what would land, and
 * leaves the ledger as it was. */
static void test_dry_run_lands_nothing(void **state)
{
	struct fixture *f = *state;
	json_t *lines = json_array();
	lines_of(f->town, STORE_CHILD, lines);
	write_plain(f, TOWN, 1, lines);
	struct bundle_import_result res;
	struct xb_error err;
	uint64_t before = generation(f->county), n;
	f->dry_run = 1;
	if (import_plain(f, &res, &err) != XB_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(res.added, 3);
	assert_int_equal(generation(f->county), before);
	assert_int_equal(store_count(f->county, STORE_CHILD, &n, NULL), XB_OK);
	assert_int_equal(n, 0);
	json_decref(lines);
}

static void test_another_office_records_refused(void **state)
{
	struct fixture *f = *state;
	json_t *lines = json_array();
	lines_of(f->town, STORE_CHILD, lines);
	lines_of(f->other, STORE_CHILD, lines);
	/* The township's three children, then the other's first: line 5. */
	write_plain(f, TOWN, 1, lines);
	refused(f, "Line 5 of the bundle", "belongs to office " OTHER ", which may not send it");

	/* The same child claimed by the sender as its own. */
	json_t *c = json_array_get(lines, 3);
	json_object_set_new(c, "origin", json_string(TOWN));
	write_plain(f, TOWN, 1, lines);
	refused(f, "Line 5 of the bundle", "numbered by office " OTHER);

	/* The county's own office record, renamed by a township. */
	json_decref(lines);
	lines = json_array();
	lines_of(f->county, STORE_OFFICE, lines);
	write_plain(f, TOWN, 1, lines);
	refused(f, "Line 2 of the bundle", "belongs to office " COUNTY ",");
	json_decref(lines);
}

static void test_made_up_ids_refused(void **state)
{
	struct fixture *f = *state;
	json_t *lines = json_array();
	lines_of(f->town, STORE_CHILD, lines);
	lines_of(f->town, STORE_VISIT, lines);
	json_t *v = json_array_get(lines, 3);
	json_object_set_new(v, "id", json_string("totally-bogus-id"));
	write_plain(f, TOWN, 1, lines);
	refused(f, "Line 5 of the bundle", "totally-bogus-id is not an id");
	json_decref(lines);

	/* A visit whose child the bundle does not bring and the county lacks. */
	lines = json_array();
	lines_of(f->town, STORE_VISIT, lines);
	write_plain(f, TOWN, 1, lines);
	refused(f, "Line 2 of the bundle", "which is not in the ledger");
	json_decref(lines);
}

static void test_sequence_in_range(void **state)
{
	struct fixture *f = *state;
	json_t *lines = json_array();
	lines_of(f->town, STORE_CHILD, lines);
	write_plain(f, TOWN, 0, lines);
	struct bundle_import_result res;
	struct xb_error err;
	uint64_t before = generation(f->county);
	assert_int_equal(import_plain(f, &res, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "sequence number"));
	/* bundle 2 must name bundle 1 */
	write_plain(f, TOWN, 1, lines);
	assert_int_equal(import_plain(f, &res, &err), XB_OK);
	before = generation(f->county);
	write_plain(f, TOWN, 2, lines);
	assert_int_equal(import_plain(f, &res, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "does not name the bundle before it"));
	assert_int_equal(generation(f->county), before);
	json_decref(lines);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_own_records_come_in),
		T(test_dry_run_lands_nothing),
		T(test_another_office_records_refused),
		T(test_made_up_ids_refused),
		T(test_sequence_in_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
