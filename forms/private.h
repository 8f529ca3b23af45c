/* private.h - what the files of forms/ share and nobody else sees. */
#ifndef XB_FORMS_PRIVATE_H
#define XB_FORMS_PRIVATE_H

#include <stddef.h>
#include "ledger.h"

/* 1 when the n bytes at s are all ASCII digits (a NUL stops them). */
static inline int form_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 1 when s starts with the shape NNNN-NN-NN, whether or not the date is
 * real (dates.c): tells a mistyped date from one not in the calendar. */
int form_date_shaped(const char *s);

/* Full-width ASCII forms (U+FF01..U+FF5E) made plain, the ideographic
 * and no-break spaces made spaces (words.c): a malloc'd copy of s, NULL
 * when out of memory. form_fold_needed says whether s has any. */
char *form_fold_width(const char *s);
int form_fold_needed(const char *s);

/* Reads a date as offices write it (dates.c; form_date_normalize): 0 and
 * out YYYY-MM-DD when it is a real date, 1 when it is written as a date
 * that the calendar lacks (2015年2月30日), -1 when it is no date. */
int form_date_read(const char *in, char out[11]);

/* Once the office's village register holds a village (villages.c), a
 * child's village must be one of it: a code alone gets its name, a name
 * alone (with or without 村/社区/居委会) its code, both must agree; a
 * code outside town or not in the register is refused. Before that the
 * child is left as typed. Inside txn. */
struct store;
struct store_txn;
struct store_record;
struct xb_error;
int form_village_fill(struct store *st, struct store_txn *txn,
		      struct store_record *child, const char *town,
		      struct xb_error *err);

/* The office this ledger belongs to, under txn (may be NULL), into
 * code[13] (office.c); XB_ENOTFOUND, saying to run init, before `init`. */
int form_office_in(struct store *st, struct store_txn *txn, char code[13],
		   struct xb_error *err);

/* The ledger's first user, a leader, in txn (users.c); password may be
 * NULL. Kept as it is when name is a user already but for the password. */
int ledger_first_user(struct store *st, struct store_txn *txn,
		      const char *name, const char *office,
		      const char *password, struct xb_error *err);

/* From ledger.c, for aid.c and correct.c. active_child: the active
 * child rec's case_no names, read under txn (XB_ENOTFOUND, or XB_EINVAL
 * for one who left the ledger, naming the field). number_under: gives rec
 * the id PARENT/<letter><serial>, one past the largest there.
 * not_before: refuses field key of rec when it is before limit_key of
 * limit. stage_rank: a report stage's place in the order of handling, -1
 * when unknown. */
int ledger_active_child(struct store *st, struct store_txn *txn,
			const struct store_record *rec,
			struct store_record **child, struct xb_error *err);
int ledger_number_under(struct store *st, struct store_txn *txn,
			struct store_record *rec, const char *parent,
			char letter, int width, struct xb_error *err);
int ledger_not_before(const struct store_record *rec, const char *key,
		      const struct store_record *limit, const char *limit_key,
		      struct xb_error *err);
int ledger_stage_rank(const char *code);
/* ledger_setting_get inside txn (settings.c). */
int ledger_setting_in(struct store *st, struct store_txn *txn, const char *key,
		      char *out, size_t len, struct xb_error *err);


/* --- requests.c: what waits for a leader's approval --- */

/* How an exit or a step goes through the gate: approving, the id of the
 * request a leader approves now (the action is done, nothing asked);
 * asked, where the id of a request made instead of the action goes
 * (LEDGER_REQUEST_MAX bytes; NULL: a user who would have to ask is
 * refused instead); dry: only checked, nothing written or done. */
struct request_gate {
	const char *approving;
	char *asked;
	int dry;
};

/* Whether a step of that kind (a form_stage_choices code) waits for a
 * leader: closing always, assessment and services as the office's
 * setting approval_steps says. Inside txn. */
int request_step_gated(struct store *st, struct store_txn *txn,
		       const char *step, int *gated, struct xb_error *err);

/* The gate, in txn, for the action that ask (a request record with its
 * action, target and the action's fields, not yet numbered) describes,
 * by user, who may do the action itself (checked before):
 *   approving: *act 1, nothing written;
 *   a waiting request for the same thing: refused, naming it;
 *   a user holding LEDGER_APPROVE: ask written as approved by them (its
 *     id in ask), *act 1;
 *   anyone else: ask written as waiting, its id in g->asked, *act 0.
 * Audited as "ask" (and "approve" for a leader's own). */
int request_gate(struct store *st, struct store_txn *txn, const char *user,
		 struct store_record *ask, const struct request_gate *g,
		 int *act, struct xb_error *err);

/* request_gate for the exit of child c (its exit fields set and checked
 * by the schema), after request_exit_checks. */
int request_exit_gate(struct store *st, struct store_txn *txn, const char *user,
		      const struct store_record *c, const char *registered,
		      const struct request_gate *g, int *act,
		      struct xb_error *err);
/* request_gate for step s (checked) of report r when the step is gated
 * (request_step_gated); else *act 1 (0 when dry). */
/* request_gate for the transfer t of child c (its exit fields set and
 * checked): asked as "transfer" with to, to_name, reason and the date as
 * exit_date. */
int request_transfer_gate(struct store *st, struct store_txn *txn,
			  const char *user, const struct store_record *c,
			  const struct ledger_transfer *t,
			  const struct request_gate *g, int *act,
			  struct xb_error *err);
/* The transfer (transfer.c) in the caller's txn through gate g, as a
 * leader approving a request does it. */
int ledger_transfer_in(struct store *st, struct store_txn *txn,
		       const struct ledger_transfer *t, ledger_file_fn file,
		       const char *user, const struct request_gate *g,
		       struct xb_error *err);
int request_step_gate(struct store *st, struct store_txn *txn, const char *user,
		      const struct store_record *s, const struct store_record *r,
		      const struct request_gate *g, int *act,
		      struct xb_error *err);

/* The exit and the step (ledger.c) in the caller's txn through gate g,
 * as a leader approving a request does them; registered as
 * request_registered gives it. */
int ledger_exit_in(struct store *st, struct store_txn *txn, const char *case_no,
		   const char *reason, const char *date, const char *registered,
		   const char *user, const struct request_gate *g,
		   struct xb_error *err);
int ledger_step_in(struct store *st, struct store_txn *txn,
		   struct store_record *step, const char *user,
		   const struct request_gate *g, struct xb_error *err);

/* The checks of an exit beyond the schema's, on the child c with its
 * exit fields set and checked: "turned16" only for a child 16 or older on
 * the exit date; the exit not before registered (YYYY-MM-DD, "" when
 * unknown: not checked). */
int request_exit_checks(const struct store_record *c, const char *registered,
			struct xb_error *err);

/* The day the child case_no was registered here into day[11]: its field
 * registered, else the day of its first audit entry that registered it
 * ("create" or "sheet"), else "" (unknown). Read outside any
 * transaction, before one starts. */
int request_registered(struct store *st, const char *case_no, char day[11],
		       struct xb_error *err);
/* A setting's value as a whole number (settings.c), under txn (may be
 * NULL): what ledger_setting_number reads, inside a transaction that may
 * have written meta.db itself. */
int form_setting_number_in(struct store *st, struct store_txn *txn,
			   const char *key, long *out, struct xb_error *err);

/* --- responsible members and the visit rules (members.c) --- */

/* Checks the responsible member of child c about to be saved (old: the
 * child as stored, NULL for a new one): a user of the ledger, by user
 * name or full name, a member's role, enabled, and, for a village member,
 * bound to the child's village. A member and a village both unchanged
 * from old are not checked again. note NULL: refused with XB_EINVAL on
 * member_name; else (a spreadsheet's old data) kept as written and note
 * says why. In txn. */
int form_member_check(struct store *st, struct store_txn *txn,
		      const struct store_record *c, const struct store_record *old,
		      struct xb_error *note, struct xb_error *err);
/* The days from a visit to the next for child c as it stands (under
 * txn): the office's visit_interval_close_days for a child without
 * supervision or with a report open, else visit_interval_days. */
int form_visit_interval(struct store *st, struct store_txn *txn,
			const struct store_record *c, long *days,
			struct xb_error *err);
/* The day that interval after from (YYYY-MM-DD) into due[11]. */
int form_due_after(struct store *st, struct store_txn *txn,
		   const struct store_record *c, const char *from, char due[11],
		   struct xb_error *err);
/* What ledger.c lends transfer.c, under txn: the township this ledger is
 * (a county's refused), a child checked as every add and edit is, a new
 * child registered (ledger_child_add's work, audited under action);
 * ledger_number_under above numbers a record. */
int ledger_township_in(struct store *st, struct store_txn *txn, char code[13],
		       struct xb_error *err);
int ledger_child_checked(struct store *st, struct store_txn *txn,
			 struct store_record *c, const char *town,
			 struct xb_error *err);
int ledger_child_register(struct store *st, struct store_txn *txn,
			  struct store_record *c, const char *user,
			  const char *action, struct xb_error *err);

#endif
