/* test_bundle.c - bundles between a township and its county through the
 * library: real ledgers, real GnuPG homes (short paths under /tmp, their
 * agents stopped at the end). The command-line test (bundles.sh) covers
 * every refusal; this one runs the same code under valgrind and the
 * sanitizers. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "demo/demo.h"
#include "forms/ledger.h"
#include "exchange/exchange.h"

static struct tu_office town, county;
static char *stick;

/* b learns a's key and binds it to a's office. */
static int bind(struct tu_office *a, const char *code, struct tu_office *b)
{
	char path[512];
	struct keys_info got;
	snprintf(path, sizeof(path), "%s/%s.asc", stick, code);
	if (keys_export_public(a->k, a->info.fpr, path, NULL) != XB_OK ||
	    keys_import_file_expect(b->k, path, a->info.fpr, &got, NULL) != XB_OK)
		return -1;
	return keys_peer_bind(b->st, b->k, code, NULL, got.fpr, "clerk", NULL);
}

static int setup_with(const char *pass)
{
	tu_pin_clock("2026-11-02T09:00:00");
	stick = tu_mkdtemp();
	if (stick == NULL ||
	    tu_office_up_pass(&town, "220221100", "城关镇", TU_LEDGER | TU_KEY, pass) ||
	    tu_office_up_pass(&county, "220221", "示范县", TU_LEDGER | TU_KEY, pass) ||
	    synth_fill(town.st, 6, 2, 100, 7, "clerk", NULL, NULL, NULL) != XB_OK ||
	    bind(&town, "220221100", &county) || bind(&county, "220221", &town))
		return -1;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_with(NULL);
}

/* Both offices' keys protected by a passphrase. */
static int setup_protected(void **state)
{
	(void)state;
	return setup_with("correct horse");
}

static int teardown(void **state)
{
	(void)state;
	tu_office_down(&town);
	tu_office_down(&county);
	tu_rmtree(stick);
	free(stick);
	return 0;
}

static uint64_t children_of(struct store *st)
{
	uint64_t n;
	assert_int_equal(store_count(st, STORE_CHILD, &n, NULL), XB_OK);
	return n;
}

static void test_round_trip_and_replay(void **state)
{
	(void)state;
	struct xb_error err;
	struct bundle_export_result ex;
	struct bundle_import_result im;
	assert_int_equal(bundle_export(town.st, town.k, "220221", stick, 0, "clerk", NULL,
				       NULL, &ex, &err), XB_OK);
	assert_int_equal(ex.sequence, 1);
	assert_int_equal(ex.counts.kind[STORE_CHILD], 6);
	assert_int_equal(ex.counts.kind[STORE_VISIT], 12);
	assert_true(access(ex.path, R_OK) == 0);

	assert_int_equal(bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL,
				       &im, &err), XB_OK);
	assert_string_equal(im.from, "220221100");
	assert_int_equal(im.added, ex.counts.total);
	assert_string_equal(im.signer, town.info.fpr);
	assert_int_equal(children_of(county.st), 6);

	/* The same bundle again changes nothing. */
	assert_int_equal(bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL,
				       &im, &err), XB_OK);
	assert_true(im.duplicate);
	assert_int_equal(im.added, 0);

	struct bundle_peer p;
	assert_int_equal(bundle_peer_get(county.st, "220221100", &p, &err), XB_OK);
	assert_int_equal(p.received_seq, 1);
	assert_string_equal(p.fpr, town.info.fpr);

	/* Nothing changed since: the next bundle is empty but numbered. */
	assert_int_equal(bundle_export(town.st, town.k, "220221", stick, 0, "clerk", NULL,
				       NULL, &ex, &err), XB_OK);
	assert_int_equal(ex.sequence, 2);
	assert_int_equal(ex.counts.total, 0);
}

static void test_refused_without_binding(void **state)
{
	(void)state;
	struct xb_error err;
	struct bundle_export_result ex;
	struct bundle_import_result im;
	assert_int_equal(bundle_export(town.st, town.k, "220221", stick, 1, "clerk", NULL,
				       NULL, &ex, &err), XB_OK);
	assert_int_equal(keys_peer_revoke(county.st, "220221100", "staff", &err), XB_OK);
	uint64_t before = children_of(county.st);
	assert_int_equal(bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL,
				       &im, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "revoked"));
	assert_int_equal(children_of(county.st), before);
	/* Exporting to an office nobody bound is refused before any file. */
	assert_int_equal(bundle_export(town.st, town.k, "220222", stick, 1, "clerk", NULL,
				       NULL, &ex, &err), XB_ENOTFOUND);
}

/* A changed_by that would act on a terminal (written past the command
 * line's check, as an old or hostile ledger may hold it) is refused at
 * the county, and the message does not carry it raw. */
static void test_changed_by_refused(void **state)
{
	(void)state;
	struct xb_error err;
	struct bundle_export_result ex;
	struct bundle_import_result im;
	struct store_iter *it;
	struct store_record *rec;
	assert_int_equal(store_iter_open(town.st, STORE_CHILD, STORE_BY_ID, STORE_ALL, NULL,
					 &it, &err), XB_OK);
	assert_int_equal(store_iter_next(it, &rec, NULL, &err), 1);
	store_iter_close(&it);
	assert_int_equal(store_record_set(rec, FK_notes, "changed"), XB_OK);
	assert_int_equal(store_update(town.st, NULL, rec, "x\x1b]0;pwned\x07\x1b[2J", "update",
				      &err), XB_OK);
	store_record_free(&rec);
	assert_int_equal(bundle_export(town.st, town.k, "220221", stick, 1, "clerk", NULL,
				       NULL, &ex, &err), XB_OK);
	uint64_t before = children_of(county.st);
	assert_int_equal(bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL,
				       &im, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "U+001B"));
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(children_of(county.st), before);
}

/* A passphrase prompt as the interface has one: it may draw on the
 * screen, so it must only ever run on the thread that set it. */
struct prompt {
	pthread_t main;
	const char *give;
	int calls, elsewhere;
};

static int prompt_fn(void *arg, const char *hint, int prev_bad, char *buf, size_t len)
{
	struct prompt *p = arg;
	(void)hint;
	(void)prev_bad;
	p->calls++;
	if (!pthread_equal(pthread_self(), p->main))
		p->elsewhere++;
	snprintf(buf, len, "%s", p->give);
	return 0;
}

/* An export and an import with protected keys ask once each, on the
 * calling thread (before the import's reader thread starts, which gets
 * the passphrase held for the action), and forget it when they end. */
static void test_passphrase_on_main_thread(void **state)
{
	(void)state;
	struct xb_error err;
	struct bundle_export_result ex;
	struct bundle_import_result im;
	struct prompt tp = { pthread_self(), "correct horse", 0, 0 };
	struct prompt cp = { pthread_self(), "wrong horse", 0, 0 };
	keys_set_passphrase_fn(town.k, prompt_fn, &tp);
	keys_set_passphrase_fn(county.k, prompt_fn, &cp);
	if (bundle_export(town.st, town.k, "220221", stick, 1, "clerk", NULL, NULL, &ex,
			  &err) != XB_OK)
		fail_msg("export: %s", err.msg);
	assert_int_equal(tp.calls, 1); /* signing and reading back */
	assert_int_equal(tp.elsewhere, 0);

	/* A wrong one: refused as wrong, asked on this thread only. */
	assert_int_equal(bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL,
				       &im, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "passphrase of the office key is wrong"));
	assert_true(cp.calls >= 1);
	assert_int_equal(cp.elsewhere, 0);
	assert_int_equal(children_of(county.st), 0);

	cp.give = "correct horse";
	cp.calls = 0;
	if (bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL, &im,
			  &err) != XB_OK)
		fail_msg("import: %s", err.msg);
	assert_int_equal(cp.calls, 1); /* both passes */
	assert_int_equal(cp.elsewhere, 0);
	assert_int_equal(children_of(county.st), 6);

	/* Nothing was kept past the import. */
	keys_set_passphrase_fn(county.k, NULL, NULL);
	assert_int_equal(bundle_import(county.st, county.k, ex.path, 0, "staff", NULL, NULL,
				       &im, &err), XB_EINVAL);
	assert_non_null(strstr(err.msg, "protected by a passphrase and none was given"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_and_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_without_binding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_by_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passphrase_on_main_thread,
						setup_protected, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
