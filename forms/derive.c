/* derive.c - what follows from a child's fields: birth date and sex
 * filled from the ID number, age, the left-behind type of the policy, and
 * the flags the ledger shows. */
#include <stdio.h>
#include <string.h>

#include "forms.h"
#include "../common/clock.h"

/* The value of key in rec, or "" when absent. */
static const char *get(const struct store_record *rec, const char *key)
{
	const char *v = store_record_get(rec, key);
	return v ? v : "";
}

/* The day of year y on which someone born on m-d has a birthday: a
 * 29 February birthday falls on 1 March in other years. */
static void birthday_in(int y, int *m, int *d)
{
	if (*m == 2 && *d == 29 && !form_leap_year(y)) {
		*m = 3;
		*d = 1;
	}
}

/* Full years from birth to today; -1 for a bad date or a birth after
 * today. */
int form_age(const char *birth, const char *today)
{
	int by, bm, bd, ty, tm, td;
	if (form_parse_date(birth, &by, &bm, &bd) != 0 ||
	    form_parse_date(today, &ty, &tm, &td) != 0 ||
	    strcmp(birth, today) > 0)
		return -1;
	int age = ty - by;
	birthday_in(ty, &bm, &bd);
	if (tm < bm || (tm == bm && td < bd))
		age--;
	return age;
}

/* The policy's test (吉市政办发〔2017〕1号 一): both parents away, or one
 * away and the other without capacity to act as guardian. */
const char *form_left_behind_type(const struct store_record *child)
{
	return form_left_behind_of(get(child, FK_father_status),
				   get(child, FK_mother_status),
				   get(child, FK_father_capable),
				   get(child, FK_mother_capable));
}

const char *form_left_behind_of(const char *fs, const char *ms, const char *fc,
				const char *mc)
{
	fs = fs ? fs : "";
	ms = ms ? ms : "";
	int father_away = strcmp(fs, "away") == 0;
	int mother_away = strcmp(ms, "away") == 0;

	if (father_away && mother_away)
		return "both_away";
	if (father_away || mother_away) {
		const char *os = father_away ? ms : fs;
		const char *oc = father_away ? mc : fc;
		oc = oc ? oc : "";
		/* A parent who is dead or missing cannot act as guardian,
		 * whatever the capacity field says: the child is as alone as
		 * with a parent at home who has no capacity. */
		if (strcmp(oc, "none") == 0 || strcmp(os, "deceased") == 0 ||
		    strcmp(os, "missing") == 0)
			return "one_away_other_incapable";
	}
	return "not_left_behind";
}

/* The flags of a child on a given day. */
unsigned form_child_flags(const struct store_record *child, const char *today)
{
	unsigned flags = 0;
	int ty, tm, td, by, bm, bd;

	if (child == NULL)
		return 0;
	int exited = strcmp(get(child, FK_status), "exited") == 0;
	if (strcmp(get(child, FK_guardian_relation), "none") == 0)
		flags |= FORM_FLAG_UNSUPERVISED;

	const char *birth = get(child, FK_birth_date);
	int age = form_age(birth, today);
	if (age >= 16)
		flags |= FORM_FLAG_OVER_AGE;
	if (age >= 0 && age < 16 && !exited &&
	    form_parse_date(birth, &by, &bm, &bd) == 0 &&
	    form_parse_date(today, &ty, &tm, &td) == 0) {
		birthday_in(by + 16, &bm, &bd);
		long days = form_days_from_civil(by + 16, bm, bd) -
			    form_days_from_civil(ty, tm, td);
		if (days >= 1 && days <= 30)
			flags |= FORM_FLAG_TURNS16_SOON;
	}

	if (strcmp(form_left_behind_type(child), "not_left_behind") == 0)
		flags |= FORM_FLAG_NOT_LEFT_BEHIND;
	if (strcmp(get(child, FK_no_hukou), "yes") == 0)
		flags |= FORM_FLAG_NO_HUKOU;
	const char *en = get(child, FK_enrolment);
	if (strcmp(en, "dropped_out") == 0 || strcmp(en, "never_enrolled") == 0)
		flags |= FORM_FLAG_OUT_OF_SCHOOL;
	const char *due = get(child, FK_next_visit_due);
	if (!exited && form_parse_date(due, NULL, NULL, NULL) == 0 &&
	    today != NULL && strcmp(due, today) < 0)
		flags |= FORM_FLAG_VISIT_OVERDUE;
	/* a child transferred in from a village this township does not
	 * have, until the clerk gives one */
	if (!exited && *get(child, FK_previous_case) != '\0' &&
	    *get(child, FK_village_code) == '\0')
		flags |= FORM_FLAG_NO_VILLAGE;
	return flags;
}

/* Short label of one flag bit in the user's language; "" if unknown. */
const char *form_flag_label(unsigned flag)
{
	static const struct {
		unsigned bit;
		const char *zh, *en;
	} labels[FORM_FLAG_COUNT] = {
		{ FORM_FLAG_UNSUPERVISED, "无人监护", "unsupervised" },
		{ FORM_FLAG_TURNS16_SOON, "30天内满16周岁",
		  "turns 16 within 30 days" },
		{ FORM_FLAG_OVER_AGE, "已满16周岁", "16 or older" },
		{ FORM_FLAG_NOT_LEFT_BEHIND, "不符合留守条件", "not left behind" },
		{ FORM_FLAG_NO_HUKOU, "无户籍", "no household registration" },
		{ FORM_FLAG_OUT_OF_SCHOOL, "失学辍学", "out of school" },
		{ FORM_FLAG_VISIT_OVERDUE, "走访逾期", "visit overdue" },
		{ FORM_FLAG_NO_VILLAGE, "村(居)待补录", "needs a village" },
	};
	for (size_t i = 0; i < FORM_FLAG_COUNT; i++)
		if (labels[i].bit == flag)
			return form_lang_is_zh() ? labels[i].zh : labels[i].en;
	return "";
}

/* Fills the derived fields of a child; other kinds have none. */
int form_derive(struct store_record *rec)
{
	char today[11], id[19], birth[11], py[128];

	if (rec == NULL)
		return XB_EINVAL;
	if (rec->kind != STORE_CHILD)
		return XB_OK;

	xb_today(today, sizeof(today));
	const char *typed = store_record_get(rec, FK_id_number);
	if (typed != NULL && form_idnum_check(typed, today, id, NULL) == XB_OK) {
		form_idnum_birth(id, birth);
		if (store_record_set(rec, FK_birth_date, birth) != XB_OK ||
		    store_record_set(rec, FK_sex, form_idnum_sex(id)) != XB_OK)
			return XB_EFAIL;
	}
	if (store_record_set(rec, FK_left_behind_type,
			     form_left_behind_type(rec)) != XB_OK)
		return XB_EFAIL;
	/* Initials are a search key: a failing converter (no gconv modules)
	 * still leaves the ASCII and table initials, better than none. */
	form_pinyin_initials(get(rec, FK_name), py, sizeof(py));
	if (store_record_set(rec, FK_name_py, py) != XB_OK)
		return XB_EFAIL;
	char key[256];
	form_name_sort_key(get(rec, FK_name), key, sizeof(key));
	if (store_record_set(rec, FK_name_sort, key) != XB_OK)
		return XB_EFAIL;
	return XB_OK;
}

void form_flag_words(unsigned fl, char *buf, size_t len)
{
	const char *sep = form_lang_is_zh() ? "、" : ", ";
	size_t used = 0;
	if (len == 0)
		return;
	buf[0] = '\0';
	for (int b = 0; b < FORM_FLAG_COUNT; b++) {
		if (!(fl & (1u << b)))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? sep : "",
				 form_flag_label(1u << b));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

int form_turns16_in_month(const char *birth, const char *today)
{
	int by, bm, bd, ty, tm, td;
	if (birth == NULL || today == NULL || form_parse_date(birth, &by, &bm, &bd) ||
	    form_parse_date(today, &ty, &tm, &td))
		return 0;
	return by + 16 == ty && bm == tm;
}
