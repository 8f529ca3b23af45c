/* field_keys.h - the key of every field of the schema (forms/schema.c)
 * as a name the compiler checks: FK_reported_at is "reported_at". Code
 * outside schema.c names fields by these, so a misspelt key does not
 * compile instead of silently reading nothing. tests/test_field_keys.c
 * checks that this list and the schema hold the same keys: a field added
 * to the schema is added here too (one line, in order).
 *
 * The names keep the key's own spelling after FK_, so a grep for a key
 * finds both. */
#ifndef XB_FIELD_KEYS_H
#define XB_FIELD_KEYS_H

#include <stddef.h>

#define FORM_FIELD_KEYS(X) \
	X(action) \
	X(address) \
	X(amount) \
	X(asked_at) \
	X(asked_by) \
	X(assistance) \
	X(assistance_note) \
	X(birth_date) \
	X(boarding) \
	X(by) \
	X(case_no) \
	X(category) \
	X(code) \
	X(comment) \
	X(date) \
	X(decided_at) \
	X(decided_by) \
	X(description) \
	X(disability) \
	X(disabled) \
	X(display_name) \
	X(end_date) \
	X(enrolment) \
	X(ethnicity) \
	X(exit_date) \
	X(exit_reason) \
	X(father_away_since) \
	X(father_capable) \
	X(father_contact) \
	X(father_id_number) \
	X(father_name) \
	X(father_phone) \
	X(father_status) \
	X(father_work_place) \
	X(figures) \
	X(file) \
	X(found_at) \
	X(found_by) \
	X(from) \
	X(grade) \
	X(granted_by) \
	X(group) \
	X(guardian_age) \
	X(guardian_capacity) \
	X(guardian_name) \
	X(guardian_phone) \
	X(guardian_relation) \
	X(guardianship) \
	X(health) \
	X(help_given) \
	X(id_number) \
	X(key_case) \
	X(key_case_reason) \
	X(kind) \
	X(last_visit) \
	X(left_behind_type) \
	X(level) \
	X(living) \
	X(made) \
	X(member_name) \
	X(member_phone) \
	X(mood) \
	X(mother_away_since) \
	X(mother_capable) \
	X(mother_contact) \
	X(mother_id_number) \
	X(mother_name) \
	X(mother_phone) \
	X(mother_status) \
	X(mother_work_place) \
	X(name) \
	X(name_py) \
	X(name_sort) \
	X(next_due) \
	X(next_visit_due) \
	X(no_hukou) \
	X(note) \
	X(notes) \
	X(parent_contact) \
	X(per) \
	X(period) \
	X(phone) \
	X(police_station) \
	X(previous_case) \
	X(problems) \
	X(programme) \
	X(readmit_date) \
	X(readmit_reason) \
	X(reason) \
	X(receipt_no) \
	X(registered) \
	X(report_id) \
	X(reported_at) \
	X(reporter) \
	X(reporter_kind) \
	X(risk_note) \
	X(role) \
	X(safety) \
	X(school) \
	X(schooling) \
	X(sex) \
	X(slip_version) \
	X(stage) \
	X(start_date) \
	X(status) \
	X(step) \
	X(target) \
	X(to) \
	X(to_name) \
	X(transferred_to) \
	X(village) \
	X(village_code) \
	X(villages) \
	X(visitor) \
	X(volunteer_name) \
	X(volunteer_phone)

#define FORM_FIELD_KEY_DECLARE(k) extern const char FK_##k[];
FORM_FIELD_KEYS(FORM_FIELD_KEY_DECLARE)
#undef FORM_FIELD_KEY_DECLARE

/* Every key above, in that order, and how many. */
extern const char *const form_field_keys[];
extern const size_t form_field_keys_n;

#endif
