/* ledger.h - the operations on a ledger that the CLI, the TUI and the
 * bundles call: each validates with the schema, applies the policy's
 * rules and writes in one transaction (record, index entries, audit).
 *
 * `user` is who acts. Records passed in are the caller's; on success they
 * carry their new id, version and metadata. */
#ifndef XB_LEDGER_H
#define XB_LEDGER_H

#include "forms.h"

/* Called with each child a lookup finds; returns 0 to go on. */
typedef int (*ledger_child_fn)(const struct store_record *child, void *arg);

/* The office this ledger belongs to (9-digit township or 6-digit county
 * code) into code[13]; XB_ENOTFOUND before `init`. */
int ledger_office(struct store *st, char code[13], struct xb_error *err);

/* Makes the ledger an office's: its code, name and phone, and its first
 * user, who sets it up, as its leader with password (none when NULL: they
 * cannot sign in until one is set). Running it again with the same code
 * updates name and phone, for a leader. */
int ledger_init(struct store *st, const char *code, const char *name,
		const char *phone, const char *user, const char *password,
		struct xb_error *err);

/* --- users, roles and signing in (users.c) ---
 *
 * Every operation below checks, inside its transaction, that `user` is a
 * user of this ledger, not disabled, whose role holds the permission the
 * operation needs (and, for a village user, that the child lives in one of
 * their villages): else XB_EPERM, the message naming the permission. */
enum ledger_perm {
	LEDGER_READ,     /* see children's files (village users: theirs) */
	LEDGER_VISIT,    /* log home visits */
	LEDGER_REPORT,   /* file a mandatory report */
	LEDGER_CASEWORK, /* register, change, exit children; handle reports;
			    the village register; spreadsheets in */
	LEDGER_EXCHANGE, /* bundles, keys, offices, conflicts */
	LEDGER_APPROVE,  /* decide on requests */
	LEDGER_USERS,    /* manage users */
};
/* The permission in words of the user's language. */
const char *ledger_perm_name(enum ledger_perm perm);

/* Who acts: a user of the ledger as signed in. */
#define LEDGER_WHO_VILLAGES 16
struct ledger_who {
	char name[64];
	char role[16];  /* village, clerk, leader, county, city */
	char office[13];
	unsigned perms; /* 1 << enum ledger_perm */
	int scoped;     /* a village user: sees only their villages' children */
	size_t nvillages;
	char villages[LEDGER_WHO_VILLAGES][13];
};

/* The user name, as the ledger holds it now: XB_EPERM for an unknown or
 * disabled user, or a role this office's ledger has no place for. */
int ledger_who_get(struct store *st, struct store_txn *txn, const char *name,
		   struct ledger_who *who, struct xb_error *err);
/* Whether who holds perm, for a child of village (NULL: no child): XB_OK
 * or XB_EPERM with a message naming what is missing. */
int ledger_may(const struct ledger_who *who, enum ledger_perm perm,
	       const char *village, struct xb_error *err);
/* Whether who may see a child of that village / that child (1 or 0). */
int ledger_who_sees_village(const struct ledger_who *who, const char *village);
int ledger_who_sees(const struct ledger_who *who,
		    const struct store_record *child);
/* ledger_who_get then ledger_may; _child reads the child's village. */
int ledger_access(struct store *st, struct store_txn *txn, const char *user,
		  enum ledger_perm perm, const char *village,
		  struct xb_error *err);
int ledger_access_child(struct store *st, struct store_txn *txn,
			const char *user, enum ledger_perm perm,
			const char *case_no, struct xb_error *err);

/* Signs name in with password: who filled on success; XB_EPERM with the
 * reason (unknown, disabled, wrong password and the tries left, locked
 * and until when, no password yet) else. A wrong password counts towards
 * the lock (store_password_check). On a ledger from before accounts (no
 * user has a password), an existing user's first sign-in sets their
 * password and makes them its leader. */
int ledger_sign_in(struct store *st, const char *name, const char *password,
		   struct ledger_who *who, struct xb_error *err);

/* Users, managed by a leader (LEDGER_USERS). role: village, clerk,
 * leader, county or city (a role must suit the office's level); villages:
 * codes or names of the register, comma-separated, required for village
 * users. add refuses a name already there (XB_EEXIST); edit changes what
 * is not NULL. disable 1 disables (never one's own account), 0 enables.
 * The last leader who can sign in is never disabled or demoted. */
int ledger_user_add(struct store *st, const char *actor, const char *name,
		    const char *role, const char *villages,
		    const char *display_name, const char *password,
		    struct xb_error *err);
int ledger_user_edit(struct store *st, const char *actor, const char *name,
		     const char *role, const char *villages,
		     const char *display_name, struct xb_error *err);
int ledger_user_disable(struct store *st, const char *actor, const char *name,
			int disable, struct xb_error *err);
/* Sets name's password: one's own, or anyone's for a leader. Audited as
 * "password" with no values. */
int ledger_user_passwd(struct store *st, const char *actor, const char *name,
		       const char *password, struct xb_error *err);

/* Registers a child: allocates the case number (in the same transaction),
 * sets status active, checks that the ID number is not already in the
 * ledger and that the village lies in this township. */
int ledger_child_add(struct store *st, struct store_txn *txn,
		     struct store_record *child, const char *user,
		     struct xb_error *err);

/* Saves an edited child; refused with XB_ECONFLICT if it changed since
 * child->version was read. */
int ledger_child_edit(struct store *st, struct store_record *child,
		      const char *user, struct xb_error *err);

/* The child leaves the ledger (reason: turned16, parents_returned,
 * moved_with_family, other) on date. version 0 skips the check. */
int ledger_child_exit(struct store *st, const char *case_no,
		      const char *reason, const char *date, uint32_t version,
		      const char *user, struct xb_error *err);

/* A child who left the ledger comes back into the same file
 * (LEDGER_CASEWORK): status active, the exit reason and date cleared
 * (the audit entry, action "readmit", keeps them), readmit_reason and
 * readmit_date (today when NULL or "") set. Refused: a child in the
 * ledger, one transferred to another township (that township transfers
 * the file back), no reason, a date in the future or before the exit. */
int ledger_child_readmit(struct store *st, const char *case_no,
			 const char *reason, const char *date, const char *user,
			 struct xb_error *err);

/* --- transfers to another township of the county (transfer.c) --- */

/* A transfer asked for: the child, the township it goes to (9 digits,
 * this county, not this township) and its name as the clerk knows it
 * (may be NULL), the day (NULL: today) and why (may be NULL). */
struct ledger_transfer {
	const char *case_no, *to, *to_name, *date, *reason;
};
/* Makes the text of child's file as it stands (the child, its visits,
 * reports and steps) into *text (malloc'd): exchange/ writes it. */
typedef int (*ledger_file_fn)(struct store *st, const struct store_record *child,
			      char **text, struct xb_error *err);
/* In one transaction (LEDGER_CASEWORK): the transfer record CASE/Mnn
 * (case_no, from, to, to_name, date, reason, and file made by `file`),
 * audited "transfer", and the child leaves the ledger (moved_with_family
 * on that day, transferred_to the township), audited "transfer". Refused
 * for a child who already left, to an unknown township or this one. id
 * (LEDGER_CASE_MAX bytes, may be NULL) gets the transfer's id. No
 * leader's approval is asked. */
int ledger_child_transfer(struct store *st, const struct ledger_transfer *t,
			  ledger_file_fn file, const char *user, char *id,
			  struct xb_error *err);

/* What a transfer taken in did here. */
enum ledger_arrival {
	LEDGER_ARRIVED_NEW,    /* a new case of this township */
	LEDGER_ARRIVED_BACK,   /* a file of this township's with the child's
				  ID number, which had left: back in the
				  ledger with the fields as sent */
	LEDGER_ARRIVED_LINKED, /* a child in the ledger already holds the ID
				  number: only its previous_case is set */
};
/* Takes in, inside the import's txn, a transfer addressed to this
 * township: child is the file's child as the sending township held it.
 * The child gets previous_case (the sending case), the
 * sent fields but the status, exit and slip, and its village only when
 * the register has it (else none: the child is flagged as needing one).
 * Audited "transfer_in". case_no (LEDGER_CASE_MAX bytes) gets the case
 * here. Applying the same transfer once only is the caller's (import
 * applies a transfer when it first lands). */
int ledger_transfer_arrive(struct store *st, struct store_txn *txn,
			   const struct store_record *transfer,
			   struct store_record *child, const char *user,
			   char *case_no, enum ledger_arrival *how,
			   struct xb_error *err);

/* The last transfer of case_no (to township `to`, any when NULL) into
 * *out: XB_ENOTFOUND (err untouched) when there is none. */
int ledger_transfer_last(struct store *st, const char *case_no, const char *to,
			 struct store_record **out, struct xb_error *err);
/* The name of township code as this ledger knows it: an office record
 * (a county holds its townships'), else the name a transfer there gave
 * (transfer may be NULL); "" when none. */
void ledger_township_name(struct store *st, const char *code,
			  const struct store_record *transfer, char *buf,
			  size_t len);

/* --- the office's villages (村(居)): its register --- */

/* Adds a village (12-digit division code under this township, name) to
 * the register, or renames it when its code is there. Refused: a code
 * outside the township, a name another code has. Audited. */
int ledger_village_add(struct store *st, const char *code, const char *name,
		       const char *user, struct xb_error *err);
/* Several villages at once (a township's list at `init`, the demo), in
 * one transaction: all are added, or, when one is refused, none, and
 * *bad (when not NULL) is the index of the one refused. */
int ledger_villages_add(struct store *st, const char *const *codes,
			const char *const *names, size_t n, const char *user,
			size_t *bad, struct xb_error *err);
/* Each village of the register, by code. fn returns 0 to go on. */
typedef int (*ledger_village_fn)(const char *code, const char *name,
				 void *arg);
int ledger_village_list(struct store *st, ledger_village_fn fn, void *arg,
			struct xb_error *err);
/* The village that text names, by its code or its name (spaces and full-
 * width forms forgiven; a name with or without 村/社区/居委会 at its end):
 * code[13] and name[64] filled. XB_ENOTFOUND, with a message naming the
 * text and saying to add it with `village add`, when the register has no
 * such village; inside txn when given. */
int ledger_village_find(struct store *st, struct store_txn *txn,
			const char *text, char code[13], char name[64],
			struct xb_error *err);

/* --- children who may be the same --- */

/* Children in the ledger (under txn when given) whom rec may be when it
 * has no ID number: the same name and birth date, or the same pinyin
 * initials, birth date and village code. A child with the same case
 * number as rec is not counted, nor one whose ID number is another than
 * rec's. fn is called with each (0 goes on). */
int ledger_child_similar(struct store *st, struct store_txn *txn,
			 const struct store_record *rec, ledger_child_fn fn,
			 void *arg, struct xb_error *err);

/* A child from a spreadsheet, inside the caller's txn: matched by ID
 * number (or by case number when rec has one and no ID number, or when
 * its ID number is in no file and the child of that case number has
 * none yet: the sheet fills it in). Found:
 * the fields rec holds replace the ledger's where they differ, checked as
 * an edit; audited with the action "sheet". Not found: added as
 * ledger_child_add would (audited "sheet"). Fields only the program sets
 * in rec are ignored but case_no (matching). rec is not changed. */
enum ledger_import_result {
	LEDGER_IMPORT_ADDED,
	LEDGER_IMPORT_UPDATED,
	LEDGER_IMPORT_UNCHANGED,
};
/* case_no (LEDGER_CASE_MAX bytes, may be NULL) gets the child's case
 * number, the new one when added. */
#define LEDGER_CASE_MAX 32
int ledger_child_import(struct store *st, struct store_txn *txn,
			const struct store_record *rec, const char *user,
			enum ledger_import_result *res, char *case_no,
			struct xb_error *err);

/* Whether a sheet's row rec, put on the child case_no as
 * ledger_child_import would, changes nothing (*same 1): a row without an
 * ID number that ledger_child_similar matched is that child when it is
 * equal to it. Writes nothing. */
int ledger_child_same_as(struct store *st, struct store_txn *txn,
			 const struct store_record *rec, const char *case_no,
			 int *same, struct xb_error *err);

/* Logs a visit (id CASE/Vnnnn) and carries its date and next contact into
 * the child's last visit and next visit due. */
int ledger_visit_add(struct store *st, struct store_txn *txn,
		     struct store_record *visit, const char *user,
		     struct xb_error *err);

/* Logs several visits to one child at once (a member's notebook caught
 * up, an import): each as ledger_visit_add, but the child's last visit
 * and next visit due move once, to those of the latest. All visits must
 * be about the same child. */
int ledger_visits_add(struct store *st, struct store_txn *txn,
		      struct store_record *const *visits, size_t n,
		      const char *user, struct xb_error *err);

/* Files a report (id CASE/Rnn): stage "found", or "reported" when the
 * police were already told; status open. */
int ledger_report_add(struct store *st, struct store_txn *txn,
		      struct store_record *report, const char *user,
		      struct xb_error *err);

/* Adds a step (id REPORT/Snn) to an open report's timeline and moves the
 * report's stage; "closed" closes it; "reported" fills reported_at. */
int ledger_report_step(struct store *st, struct store_txn *txn,
		       struct store_record *step, const char *user,
		       struct xb_error *err);

/* The version of a child's case slip for printing: the current one (1 on
 * the first print), or a new one when reissue (the old slip then reads
 * as replaced). Written, with its audit entry, only when it changes. */
int ledger_slip_issue(struct store *st, const char *case_no, int reissue,
		      const char *user, unsigned *version, struct xb_error *err);

/* Looks up what a clerk typed: a case number, an ID number, a name or the
 * pinyin initials of one (prefix). fn is called with each child (up to
 * limit; 0 = no limit) and returns 0 to go on. */
int ledger_search(struct store *st, const char *text, size_t limit,
		  ledger_child_fn fn, void *arg, struct xb_error *err);

/* --- the office's settings (settings.c) --- */

struct ledger_setting {
	const char *key;      /* "idle_minutes" */
	const char *label;    /* msgid: what it is, for lists */
	const char *fallback; /* its value until a leader sets one */
	/* XB_OK, or XB_EINVAL saying what values it takes */
	int (*check)(const char *value, struct xb_error *err);
};
/* Every setting, in the order lists show them. */
const struct ledger_setting *ledger_settings(size_t *n);
/* A setting's value (its fallback when never set) into out; XB_EINVAL for
 * a key that is none. _number: as a whole number. */
int ledger_setting_get(struct store *st, const char *key, char *out,
		       size_t len, struct xb_error *err);
int ledger_setting_number(struct store *st, const char *key, long *out,
			  struct xb_error *err);
/* Sets it, for a leader (LEDGER_USERS); checked, and audited as a
 * "setting" of the office with the value before and after. */
int ledger_setting_set(struct store *st, const char *user, const char *key,
		       const char *value, struct xb_error *err);

/* --- reading, as the user may (reading.c) --- */

/* The child of case_no, for user (LEDGER_READ; a village user only their
 * villages' children: XB_EPERM naming the village). XB_ENOTFOUND with a
 * message when there is none. */
int ledger_child_read(struct store *st, const char *user, const char *case_no,
		      struct store_record **out, struct xb_error *err);
/* Any record of a child's file (the child, a visit, a report, a step), for
 * user, read through its child as ledger_child_read. */
int ledger_record_read(struct store *st, const char *user,
		       enum store_kind kind, const char *id,
		       struct store_record **out, struct xb_error *err);
/* ledger_search for user: only the children they may see, up to limit of
 * those (0: all). */
int ledger_search_as(struct store *st, const char *user, const char *text,
		     size_t limit, ledger_child_fn fn, void *arg,
		     struct xb_error *err);

/* Whether a ledger of office self may hold a record of office owner: its
 * own, its county's (the county's office record), or, at a county, its
 * townships', or, at a city, its counties' and their townships'. */
int ledger_may_hold(const char *self, const char *owner);

/* Checks that rec sits where its id says (form_record_place): its origin
 * is the office whose numbering holds it, and the record it sits under is
 * in the ledger (under txn when given) with the same origin; a transfer
 * addressed to this township stands without its file (another
 * township's). With self,
 * also that a ledger of that office may hold it. last_parent[64] is the
 * caller's: the parent found last, not looked up again ("" at first).
 * owner[13] gets the owning office. */
int ledger_record_placed(struct store *st, struct store_txn *txn,
			 const char *self, const struct store_record *rec,
			 char owner[13], char last_parent[64],
			 struct xb_error *err);

/* The office's figures for today. */
struct ledger_summary {
	uint64_t children;      /* in the ledger (active) */
	uint64_t exited;
	uint64_t unsupervised;
	uint64_t visits_overdue;
	uint64_t turning16_month; /* turn 16 in the current month */
	uint64_t not_eligible;  /* over age or not left behind, still active */
	uint64_t reports_open;
	uint64_t reports_by_stage[8]; /* open reports, by form_stage_choices() */
	uint64_t reports_unsent; /* open and not yet reported to the police */
	uint64_t visits;
};
/* From the counts the store keeps (store_tallies) and the children born
 * in the month 16 years ago: no pass over the ledger. A ledger made
 * before the counts has them made once, at its first summary. */
int ledger_summarize(struct store *st, const char *today,
		     struct ledger_summary *sum, struct xb_error *err);
/* The figures as user may see them: a village user's over the children
 * of their villages (counted from the records), anyone else's the
 * office's (ledger_summarize). XB_EPERM for who may not read. */
int ledger_summarize_as(struct store *st, const char *user, const char *today,
			struct ledger_summary *sum, struct xb_error *err);
/* One child's part of the figures: itself, its reports and visits. */
int ledger_summary_of_child(struct store *st, const struct store_record *child,
			    const char *today, struct ledger_summary *sum,
			    struct xb_error *err);
void ledger_summary_add(struct ledger_summary *to,
			const struct ledger_summary *from);
/* The same figures from a pass over every child and report: what the
 * kept counts must always agree with. */
int ledger_summary_recount(struct store *st, const char *today,
			   struct ledger_summary *sum, struct xb_error *err);
/* Whether the kept counts agree with a count of the records, into *agree
 * (1 or 0): the store's tallies one by one, and the figures. */
int ledger_counts_check(struct store *st, const char *today, int *agree,
			struct xb_error *err);
/* Counts the records again into the kept counts. */
int ledger_counts_rebuild(struct store *st, struct xb_error *err);

#endif
