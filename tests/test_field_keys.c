/* test_field_keys.c - forms/field_keys.h and the schema hold the same keys,
 * so FK_ names cannot drift from the fields they name, and every field the
 * store indexes is a field of the schema. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "../forms/forms.h"

/* Whether key is a field of any kind of record. */
static int in_schema(const char *key)
{
	for (int k = 1; k <= STORE_KIND_MAX; k++)
		if (form_field_find((enum store_kind)k, key) != NULL)
			return 1;
	return 0;
}

static void test_every_constant_is_a_field(void **state)
{
	(void)state;
	assert_true(form_field_keys_n > 50);
	for (size_t i = 0; i < form_field_keys_n; i++)
		if (!in_schema(form_field_keys[i]))
			fail_msg("FK_%s names no field of the schema", form_field_keys[i]);
}

static void test_every_field_has_a_constant(void **state)
{
	(void)state;
	for (int k = 1; k <= STORE_KIND_MAX; k++) {
		size_t n;
		const struct form_field *f = form_fields((enum store_kind)k, &n);
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < form_field_keys_n && strcmp(form_field_keys[j], f[i].key) != 0)
				j++;
			if (j == form_field_keys_n)
				fail_msg("field %s of %s has no FK_ name in forms/field_keys.h",
					 f[i].key, store_kind_name((enum store_kind)k));
		}
	}
}

/* The list is in order, without repeats: a key added twice or out of
 * place is caught here rather than by a reader. */
static void test_list_sorted(void **state)
{
	(void)state;
	for (size_t i = 1; i < form_field_keys_n; i++)
		if (strcmp(form_field_keys[i - 1], form_field_keys[i]) >= 0)
			fail_msg("%s comes before %s in forms/field_keys.h",
				 form_field_keys[i - 1], form_field_keys[i]);
	assert_string_equal(FK_reported_at, "reported_at");
	assert_string_equal(FK_next_visit_due, "next_visit_due");
}

static void test_indexed_fields_in_schema(void **state)
{
	(void)state;
	static const enum store_index indexes[] = {
		STORE_BY_IDNUM, STORE_BY_NAME, STORE_BY_VILLAGE, STORE_BY_STATUS,
		STORE_BY_DUE, STORE_BY_STAGE, STORE_BY_NAME_ORDER,
	};
	int seen = 0;
	for (int k = 1; k <= STORE_KIND_MAX; k++)
		for (size_t x = 0; x < sizeof(indexes) / sizeof(indexes[0]); x++)
			for (int i = 0; i < 2; i++) {
				const char *key = store_index_field((enum store_kind)k, indexes[x], i);
				if (key == NULL)
					continue;
				seen++;
				if (form_field_find((enum store_kind)k, key) == NULL)
					fail_msg("the store indexes %s of %s, which the schema "
						 "does not have", key,
						 store_kind_name((enum store_kind)k));
			}
	assert_true(seen >= 7);
	assert_string_equal(store_index_field(STORE_CHILD, STORE_BY_DUE, 0), FK_next_visit_due);
	assert_null(store_index_field(STORE_CHILD, STORE_BY_ID, 0));
}

/* The fields the store tallies are the schema's, in the order
 * forms/ledger.c reads their values (ledger_summarize). */
static void test_tallied_fields_in_schema(void **state)
{
	(void)state;
	static const struct {
		enum store_tally t;
		enum store_kind kind;
		const char *keys[8];
	} want[] = {
		{ STORE_TALLY_CHILD_GUARDIAN, STORE_CHILD,
		  { FK_status, FK_guardian_relation } },
		{ STORE_TALLY_CHILD_PARENTS, STORE_CHILD,
		  { FK_status, FK_father_status, FK_mother_status, FK_father_capable,
		    FK_mother_capable, FK_birth_date } },
		{ STORE_TALLY_CHILD_BIRTH, STORE_CHILD,
		  { FK_birth_date, FK_status, FK_father_status, FK_mother_status,
		    FK_father_capable, FK_mother_capable, FK_birth_date } },
		{ STORE_TALLY_CHILD_DUE, STORE_CHILD, { FK_status, FK_next_visit_due } },
		{ STORE_TALLY_REPORT, STORE_REPORT, { FK_status, FK_stage, FK_reported_at } },
		{ STORE_TALLY_VISIT, STORE_VISIT, { NULL } },
	};
	assert_int_equal(sizeof(want) / sizeof(want[0]), STORE_TALLY_COUNT);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		enum store_kind kind = 0;
		int i = 0, cut;
		const char *key;
		for (; (key = store_tally_field(want[w].t, i, &kind, &cut)) != NULL; i++) {
			assert_non_null(want[w].keys[i]);
			assert_string_equal(key, want[w].keys[i]);
			if (form_field_find(kind, key) == NULL)
				fail_msg("the store tallies %s of %s, which the schema "
					 "does not have", key, store_kind_name(kind));
		}
		assert_null(want[w].keys[i]);
		assert_int_equal(kind, want[w].kind);
	}
	int cut = 0;
	store_tally_field(STORE_TALLY_CHILD_PARENTS, 5, NULL, &cut);
	assert_int_equal(cut, 7); /* the month of a birth date */
	store_tally_field(STORE_TALLY_REPORT, 2, NULL, &cut);
	assert_int_equal(cut, STORE_TALLY_SET);
}

/* A roster names every field a clerk types, once, with the case number
 * first and the status last; the printed one only fields of children. */
static void test_roster_columns(void **state)
{
	(void)state;
	size_t n, nall;
	const struct form_field *const *cols = form_roster_fields(0, &n);
	const struct form_field *all = form_fields(STORE_CHILD, &nall);
	assert_string_equal(cols[0]->key, FK_case_no);
	assert_string_equal(cols[n - 1]->key, FK_status);
	size_t typed = 0;
	for (size_t i = 0; i < nall; i++)
		if (!(all[i].flags & (FORM_SYSTEM | FORM_HIDDEN))) {
			typed++;
			size_t seen = 0;
			for (size_t j = 0; j < n; j++)
				seen += cols[j] == &all[i];
			if (seen != 1)
				fail_msg("%s is %zu times in the roster", all[i].key, seen);
		}
	assert_int_equal(n, typed + 2);
	const struct form_field *const *brief = form_roster_fields(1, &n);
	assert_true(n >= 8 && n <= 16);
	for (size_t j = 0; j < n; j++) {
		assert_non_null(brief[j]);
		assert_int_equal(brief[j]->kind, STORE_CHILD);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_constant_is_a_field),
		cmocka_unit_test(test_every_field_has_a_constant),
		cmocka_unit_test(test_list_sorted),
		cmocka_unit_test(test_indexed_fields_in_schema),
		cmocka_unit_test(test_tallied_fields_in_schema),
		cmocka_unit_test(test_roster_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
