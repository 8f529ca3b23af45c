/* test_codec.c - the record encoding: round trips, the version-1 fixtures
 * that every later release must still read, and damaged input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "store/store.h"
#include "store/private.h"

static unsigned char *read_fixture(const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *buf = malloc(4096);
	*len = fread(buf, 1, 4096, f);
	fclose(f);
	return buf;
}

static struct store_record *sample(void)
{
	struct store_record *r = store_record_new(STORE_VISIT);
	store_record_set_id(r, "220221100-00001-2/V0001");
	store_record_set_origin(r, "220221100");
	r->version = 9;
	r->changed_at = -5; /* before 1970 must survive too */
	r->changed_by = strdup("李主任");
	store_record_set(r, "date", "2026-11-20");
	store_record_set(r, "problems", "家中无人\n邻居照看");
	store_record_set(r, "empty_later", "x");
	return r;
}

/* r encoded and decoded again; *len is the encoded size. */
static struct store_record *round_trip(const struct store_record *r, size_t *len)
{
	unsigned char *buf;
	struct store_record *back = NULL;
	assert_int_equal(store_record_encode(r, &buf, len), XB_OK);
	assert_int_equal(store_record_decode(buf, *len, &back, NULL), XB_OK);
	free(buf);
	return back;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct store_record *r = sample();
	size_t len;
	struct store_record *back = round_trip(r, &len);
	assert_int_equal(back->kind, STORE_VISIT);
	assert_string_equal(back->id, r->id);
	assert_string_equal(back->origin, "220221100");
	assert_string_equal(back->changed_by, "李主任");
	assert_int_equal(back->version, 9);
	assert_true(back->changed_at == -5);
	assert_int_equal(back->nfields, 3);
	assert_string_equal(store_record_get(back, "problems"), "家中无人\n邻居照看");
	store_record_free(&back);
	store_record_free(&r);
}

/* A record given its fields at once keeps them in one block: it reads,
 * changes and encodes like any other. */
static void test_filled_record(void **state)
{
	(void)state;
	const struct store_field fields[] = { { "date", "2026-11-20" },
					      { "visitor", "郭晓梅" },
					      { "problems", "家中无人" } };
	struct store_record *r = store_record_new(STORE_VISIT);
	assert_int_equal(store_record_fill(r, fields, 3), XB_OK);
	assert_int_equal(store_record_fill(r, fields, 3), XB_EFAIL); /* not empty */
	assert_string_equal(store_record_get(r, "visitor"), "郭晓梅");
	assert_int_equal(store_record_set(r, "visitor", "王芳"), XB_OK);
	assert_int_equal(store_record_set(r, "date", NULL), XB_OK);
	assert_int_equal(store_record_set(r, "next_due", "2026-12-20"), XB_OK);
	store_record_set_id(r, "C/V0001");
	size_t len;
	struct store_record *back = round_trip(r, &len);
	assert_int_equal(back->nfields, 3);
	assert_string_equal(store_record_get(back, "visitor"), "王芳");
	assert_null(store_record_get(back, "date"));
	assert_string_equal(store_record_get(back, "problems"), "家中无人");
	assert_string_equal(store_record_get(back, "next_due"), "2026-12-20");
	store_record_free(&back);
	store_record_free(&r);
}

/* A record bigger than the encoder's first buffer (notes of many pages)
 * is encoded whole all the same. */
static void test_large_record_round_trip(void **state)
{
	(void)state;
	struct store_record *r = sample();
	char *notes = malloc(20001);
	for (int i = 0; i < 20000; i++)
		notes[i] = (char)('a' + i % 26);
	notes[20000] = '\0';
	assert_int_equal(store_record_set(r, "notes", notes), XB_OK);
	size_t len;
	struct store_record *back = round_trip(r, &len);
	assert_true(len > 20000);
	assert_string_equal(store_record_get(back, "notes"), notes);
	assert_string_equal(store_record_get(back, "date"), "2026-11-20");
	assert_string_equal(back->changed_by, "李主任");
	free(notes);
	store_record_free(&back);
	store_record_free(&r);
}

/* A decoded record keeps its field strings in one block: changing,
 * removing and adding fields afterwards, and copying the record, must
 * neither lose a value nor free a string of the block (ASan, valgrind). */
static void test_decoded_record_edits(void **state)
{
	(void)state;
	struct store_record *r = sample();
	size_t len;
	struct store_record *back = round_trip(r, &len);
	assert_int_equal(store_record_set(back, "date", "2026-11-21"), XB_OK);
	assert_int_equal(store_record_set(back, "empty_later", NULL), XB_OK);
	assert_int_equal(store_record_set(back, "next_due", "2026-12-21"), XB_OK);
	struct store_record *copy = store_record_dup(back);
	assert_non_null(copy);
	store_record_free(&back);
	assert_int_equal(copy->nfields, 3);
	assert_string_equal(store_record_get(copy, "date"), "2026-11-21");
	assert_null(store_record_get(copy, "empty_later"));
	assert_string_equal(store_record_get(copy, "problems"), "家中无人\n邻居照看");
	assert_string_equal(store_record_get(copy, "next_due"), "2026-12-21");
	assert_int_equal(store_record_set(copy, "problems", "已安排亲属照看"), XB_OK);
	assert_string_equal(store_record_get(copy, "problems"), "已安排亲属照看");
	store_record_free(&copy);
	store_record_free(&r);
}

/* The current encoding: lengths of 128 bytes and more take two varint
 * bytes; the index callbacks find fields in it; an audit entry's absent
 * before and after stay absent. */
static void test_current_encoding(void **state)
{
	(void)state;
	struct store_record *r = sample(), *back = NULL;
	char longv[300];
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	store_record_set(r, "notes", longv);
	unsigned char *buf;
	size_t len;
	assert_int_equal(store_record_encode(r, &buf, &len), XB_OK);
	assert_int_equal(buf[2], STORE_ENCODING_VERSION);
	assert_int_equal(store_record_decode(buf, len, &back, NULL), XB_OK);
	assert_string_equal(store_record_get(back, "notes"), longv);
	assert_int_equal(back->version, 9);
	assert_true(back->changed_at == -5);
	assert_string_equal(back->changed_by, "李主任");
	const char *v;
	size_t vl;
	assert_int_equal(store_codec_find(buf, len, "notes", &v, &vl), 1);
	assert_int_equal(vl, strlen(longv));
	assert_int_equal(store_codec_find(buf, len, "date", &v, &vl), 1);
	assert_memory_equal(v, "2026-11-20", vl);
	assert_int_equal(store_codec_find(buf, len, "school", &v, &vl), 0);
	assert_int_equal(store_codec_origin(buf, len, &v, &vl), 1);
	assert_int_equal(vl, strlen(r->origin));
	assert_memory_equal(v, r->origin, vl);
	for (size_t cut = 0; cut < len; cut++) {
		struct store_record *t = NULL;
		assert_int_not_equal(store_record_decode(buf, cut, &t, NULL), XB_OK);
	}
	free(buf);

	struct store_change ch[2] = { { "date", NULL, "2026-11-20" },
				      { "notes", longv, NULL } };
	struct store_audit a = { 11, STORE_VISIT, r->id, "clerk1", 42, "update",
				 10, 2, ch };
	struct store_audit *ab = NULL;
	assert_int_equal(store_audit_encode(&a, &buf, &len), XB_OK);
	assert_int_equal(store_audit_decode(buf, len, &ab, NULL), XB_OK);
	assert_int_equal(ab->seq, 11);
	assert_int_equal(ab->nchanges, 2);
	assert_null(ab->changes[0].before);
	assert_string_equal(ab->changes[0].after, "2026-11-20");
	assert_string_equal(ab->changes[1].before, longv);
	assert_null(ab->changes[1].after);
	assert_string_equal(ab->record_id, r->id);
	store_audit_free(&ab);
	free(buf);
	store_record_free(&back);
	store_record_free(&r);
}

/* Records written by earlier encodings stay readable: these bytes were
 * written by the releases that used them and must never change meaning.
 * Each fixture holds the same child (and audit entry). */
static void check_child_fixture(const char *name)
{
	size_t len;
	unsigned char *buf = read_fixture(name, &len);
	struct store_record *r = NULL;
	assert_int_equal(store_record_decode(buf, len, &r, NULL), XB_OK);
	assert_int_equal(r->kind, STORE_CHILD);
	assert_string_equal(r->id, "220221100-00042-0");
	assert_string_equal(r->origin, "220221100");
	assert_string_equal(r->changed_by, "clerk1");
	assert_int_equal(r->version, 3);
	assert_true(r->changed_at == 1795000000);
	assert_string_equal(store_record_get(r, "name"), "王小明");
	assert_string_equal(store_record_get(r, "id_number"), "11010519491231002X");
	assert_string_equal(store_record_get(r, "village"), "前进村");
	assert_string_equal(store_record_get(r, "notes"), "line one\nline two");
	/* Found without decoding, as the index callbacks do. */
	const char *v;
	size_t vl;
	assert_int_equal(store_codec_find(buf, len, "village", &v, &vl), 1);
	assert_int_equal(vl, strlen("前进村"));
	assert_memory_equal(v, "前进村", vl);
	assert_int_equal(store_codec_find(buf, len, "school", &v, &vl), 0);
	assert_int_equal(store_codec_origin(buf, len, &v, &vl), 1);
	assert_int_equal(vl, strlen(r->origin));
	assert_memory_equal(v, r->origin, vl);
	store_record_free(&r);
	free(buf);
}

static void check_audit_fixture(const char *name)
{
	size_t len;
	unsigned char *buf = read_fixture(name, &len);
	struct store_audit *a = NULL;
	assert_int_equal(store_audit_decode(buf, len, &a, NULL), XB_OK);
	assert_int_equal(a->seq, 7);
	assert_string_equal(a->record_id, "220221100-00042-0");
	assert_string_equal(a->user, "clerk1");
	assert_string_equal(a->action, "update");
	assert_int_equal(a->version, 3);
	assert_int_equal(a->nchanges, 2);
	assert_string_equal(a->changes[0].key, "name");
	assert_string_equal(a->changes[0].before, "王明");
	assert_string_equal(a->changes[0].after, "王小明");
	assert_null(a->changes[1].before); /* absent, not empty */
	assert_string_equal(a->changes[1].after, "new");
	store_audit_free(&a);
	free(buf);
}

static void test_reads_version1_record(void **state)
{
	(void)state;
	check_child_fixture("child_v1.bin");
	check_audit_fixture("audit_v1.bin");
}

static void test_reads_version2_record(void **state)
{
	(void)state;
	check_child_fixture("child_v2.bin");
	check_audit_fixture("audit_v2.bin");
}

/* A field added to a record (a child's first visit adds its last-visit
 * fields) changes only the encoded bytes after the fields it had:
 * Berkeley DB logs the bytes between the common prefix and suffix of a
 * replaced record, and with the field count in front that was all. */
static void test_added_field_keeps_prefix(void **state)
{
	(void)state;
	struct store_record *r = sample();
	unsigned char *before, *after;
	size_t blen, alen;
	assert_int_equal(store_record_encode(r, &before, &blen), XB_OK);
	assert_int_equal(store_record_set(r, "next_due", "2026-12-20"), XB_OK);
	r->version++;
	assert_int_equal(store_record_encode(r, &after, &alen), XB_OK);
	size_t same = 0;
	while (same < blen && same < alen && before[same] == after[same])
		same++;
	/* all but the end marker and the metadata (origin, changed_by,
	 * version, changed_at) */
	size_t meta = 1 + 1 + strlen(r->origin) + 1 + strlen(r->changed_by) + 4 + 8;
	assert_true(same >= blen - meta);
	free(before);
	free(after);
	store_record_free(&r);
}

/* A run of audit entries (one record of audit.db) gives back each entry
 * whole; a cut run gives an error, never bytes past its end. */
static void test_audit_run(void **state)
{
	(void)state;
	unsigned char *body = NULL, head[STORE_RUN_HEADER_MAX];
	size_t len = 0, cap = 0;
	for (uint64_t seq = 5; seq < 8; seq++) {
		struct store_audit a = { seq, STORE_VISIT, "C/V0001", "clerk", 42,
					 "create", 1, 0, NULL };
		unsigned char *e;
		size_t elen;
		assert_int_equal(store_audit_encode(&a, &e, &elen), XB_OK);
		assert_int_equal(store_audit_run_add(&body, &len, &cap, e, elen), XB_OK);
		free(e);
	}
	size_t h = store_audit_run_header(head, 3);
	unsigned char *run = malloc(h + len);
	memcpy(run, head, h);
	memcpy(run + h, body, len);
	uint64_t n;
	size_t off;
	assert_int_equal(store_audit_run_entries(run, h + len, &n, &off), 1);
	assert_int_equal(n, 3);
	for (uint64_t i = 0; i < n; i++) {
		const void *e;
		size_t elen;
		struct store_audit *a = NULL;
		assert_int_equal(store_audit_run_next(run, h + len, &off, &e, &elen), 0);
		assert_int_equal(store_audit_decode(e, elen, &a, NULL), XB_OK);
		assert_int_equal(a->seq, 5 + i);
		store_audit_free(&a);
	}
	assert_int_equal(off, h + len);
	for (size_t cut = 0; cut < h + len; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, run, cut);
		int r = store_audit_run_entries(copy, cut, &n, &off);
		int whole = r == 1;
		for (uint64_t i = 0; whole && i < n; i++) {
			const void *e;
			size_t elen;
			if (store_audit_run_next(copy, cut, &off, &e, &elen) != 0)
				whole = 0;
			else
				assert_true((const unsigned char *)e + elen <= copy + cut);
		}
		assert_false(whole); /* no cut holds all three */
		free(copy);
	}
	free(run);
	free(body);
}

/* Every truncation and a flipped length are refused, never read past. */
static void test_damaged_input_refused(void **state)
{
	(void)state;
	size_t len;
	unsigned char *buf = read_fixture("child_v1.bin", &len);
	for (size_t cut = 0; cut < len; cut++) {
		struct store_record *r = NULL;
		struct xb_error err;
		xb_error_clear(&err);
		assert_int_not_equal(store_record_decode(buf, cut, &r, &err), XB_OK);
		assert_null(r);
		assert_true(err.msg[0] != '\0');
		/* The index callback reads the same bytes without decoding:
		 * never past the end (valgrind and ASan watch this). */
		const char *v;
		size_t vl;
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		if (store_codec_find(copy, cut, "village", &v, &vl) == 1)
			assert_true(v >= (const char *)copy && v + vl <= (const char *)copy + cut);
		free(copy);
	}
	unsigned char *bad = malloc(len);
	memcpy(bad, buf, len);
	bad[0x13] = 0xff; /* the id's length */
	struct store_record *r = NULL;
	assert_int_not_equal(store_record_decode(bad, len, &r, NULL), XB_OK);
	const char *v;
	size_t vl;
	assert_int_equal(store_codec_find(bad, len, "name", &v, &vl), -1);
	free(bad);
	free(buf);
}

static void test_newer_encoding_refused(void **state)
{
	(void)state;
	size_t len;
	unsigned char *buf = read_fixture("child_v1.bin", &len);
	buf[2] = STORE_ENCODING_VERSION + 1;
	struct store_record *r = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	assert_int_equal(store_record_decode(buf, len, &r, &err), XB_EFAIL);
	assert_non_null(strstr(err.msg, "newer"));
	free(buf);
}

static void test_diff_is_field_level(void **state)
{
	(void)state;
	struct store_record *a = sample(), *b = sample();
	store_record_set(b, "date", "2026-11-21");
	store_record_set(b, "empty_later", NULL);
	store_record_set(b, "visitor", "王");
	struct store_change *ch;
	size_t n;
	assert_int_equal(store_diff(a, b, &ch, &n), XB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ch[0].key, "date");
	assert_string_equal(ch[0].before, "2026-11-20");
	assert_string_equal(ch[0].after, "2026-11-21");
	assert_string_equal(ch[1].key, "visitor");
	assert_null(ch[1].before);
	assert_string_equal(ch[2].key, "empty_later");
	assert_null(ch[2].after);
	store_changes_free(ch, n);
	assert_int_equal(store_diff(a, a, &ch, &n), XB_OK);
	assert_int_equal(n, 0);
	store_changes_free(ch, n);
	store_record_free(&a);
	store_record_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_decoded_record_edits),
		cmocka_unit_test(test_large_record_round_trip),
		cmocka_unit_test(test_filled_record),
		cmocka_unit_test(test_current_encoding),
		cmocka_unit_test(test_reads_version1_record),
		cmocka_unit_test(test_reads_version2_record),
		cmocka_unit_test(test_added_field_keeps_prefix),
		cmocka_unit_test(test_audit_run),
		cmocka_unit_test(test_damaged_input_refused),
		cmocka_unit_test(test_newer_encoding_refused),
		cmocka_unit_test(test_diff_is_field_level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
