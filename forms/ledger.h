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
/* Sets name's phone ("" or NULL: none), for a leader: printed on a case
 * slip for the children name is the responsible member of, when their
 * files give no member's phone. */
int ledger_user_phone(struct store *st, const char *actor, const char *name,
		      const char *phone, struct xb_error *err);
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
 * moved_with_family, other) on date (NULL: today). version 0 skips the
 * check. Refused: "turned16" for a child not yet 16 on that date, a
 * date in the future, before the child was born or before it was
 * registered here (its field registered; for a file from before that
 * field, the day of its first audit entry; unknown: not checked).
 * A leader's approval is needed (see "requests" below): request
 * (LEDGER_REQUEST_MAX bytes, may be NULL) gets the id of the request a
 * clerk's exit made instead, "" when the child left. */
int ledger_child_exit(struct store *st, const char *case_no,
		      const char *reason, const char *date, uint32_t version,
		      const char *user, char *request, struct xb_error *err);
/* Whether ledger_child_exit would do or ask that exit, writing nothing:
 * XB_OK, or the refusal it would meet. name (64 bytes, may be NULL) gets
 * the child's name, for a confirmation. */
int ledger_child_exit_check(struct store *st, const char *case_no,
			    const char *reason, const char *date,
			    const char *user, char name[64],
			    struct xb_error *err);

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
			  char *request, struct xb_error *err);
/* Every check ledger_child_transfer makes, nothing written: before the
 * clerk is asked to confirm; name (64 bytes) gets the child's name. */
int ledger_child_transfer_check(struct store *st, const struct ledger_transfer *t,
				const char *user, char name[64], struct xb_error *err);

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
 * number, the new one when added. note (may be NULL) gets what the
 * clerk should settle about a row that came in ("" when nothing): a
 * responsible member who is no user, kept as written. */
#define LEDGER_CASE_MAX 32
int ledger_child_import(struct store *st, struct store_txn *txn,
			const struct store_record *rec, const char *user,
			enum ledger_import_result *res, char *case_no,
			struct xb_error *note, struct xb_error *err);

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
 * report's stage; "closed" closes it; "reported" fills reported_at.
 * Closing, and assessment and services when the office's setting
 * approval_steps names them, need a leader's approval: request (as for
 * ledger_child_exit) gets the id of the request a clerk's step made
 * instead, "" when the step was added. */
int ledger_report_step(struct store *st, struct store_txn *txn,
		       struct store_record *step, const char *user,
		       char *request, struct xb_error *err);
/* Whether ledger_report_step would add or ask that step (step is not
 * changed), writing nothing: XB_OK or the refusal it would meet. */
int ledger_report_step_check(struct store *st, const struct store_record *step,
			     const char *user, struct xb_error *err);

/* --- the township's deadlines after the police (deadlines.c) ---
 *
 * Once the police have notified the township (step township_notified),
 * the township assesses the case (assessment) and then arranges services
 * or assistance (services): 二(二)4 of the plan says "in time" and names
 * no days, so the office sets them (settings assessment_due_days, 7 days
 * from the notification, and services_due_days, 15 days from the
 * assessment). The first step of a kind counts; a step taken stops its
 * clock whatever came before it; a guardianship intervention is not the
 * services. The police report's own deadline (the day found) is not one
 * of these: the timeline shows it. */

struct ledger_due {
	char stage[24]; /* "assessment", "services"; "" when nothing is due */
	char since[11]; /* the day the time runs from (YYYY-MM-DD) */
	char due[11];   /* the last day it is in time (YYYY-MM-DD) */
	long days_left; /* from today to due: 0 on the day, < 0 days late */
};
/* The next deadline of report (with its steps, n of them, in any order)
 * on today (YYYY-MM-DD), the assessment due assess_days after the
 * notification and the services services_days after the assessment:
 * into *due, stage "" for none (a closed report, one not yet notified,
 * one whose services are done). */
void form_report_due(const struct store_record *report,
		     struct store_record *const *steps, size_t n,
		     long assess_days, long services_days, const char *today,
		     struct ledger_due *due);
/* The same for a report as stored: its steps and the office's settings
 * read from st. The caller has read the report (the permission to see
 * it is the caller's read). */
int ledger_report_due(struct store *st, const struct store_record *report,
		      const char *today, struct ledger_due *due,
		      struct xb_error *err);
/* The deadline in words of the user's language, one line into buf:
 * "Assessment: due by 2026-12-14 (3 days left)", "... 2 days late (due
 * by ...)"; "" for none. _short: a list's cell, "assess. 3 d left". */
void ledger_due_text(const struct ledger_due *due, char *buf, size_t len);
void ledger_due_short(const struct ledger_due *due, char *buf, size_t len);

/* --- requests: what waits for a leader's approval (requests.c) ---
 *
 * A child leaving the ledger, a report's closing and, when the office's
 * setting approval_steps says so, a report's assessment and services
 * steps are for a leader to approve (审核). Done by a user without
 * LEDGER_APPROVE (a clerk), such an operation changes nothing else but
 * writes a request (id CASE/Qnn, kind STORE_REQUEST: the action, its
 * target and the action's fields as given; status waiting; audited
 * "ask") and gives its id. Done by a leader, it takes effect at once and
 * its request is written as approved by them (audited "approve"). While
 * a request waits, the same thing asked again, by anyone, is refused
 * (XB_EEXIST) with a message naming it. Requests travel to the county in
 * bundles, like visits. */
#define LEDGER_REQUEST_MAX 32

/* A leader (LEDGER_APPROVE) approves request id, waiting, of this
 * office: what it asks is done as asked, meeting every check it would
 * meet done directly, in the same transaction as the decision (status
 * approved, decided_by and decided_at, comment when not NULL; audited
 * "approve"). When it no longer applies (the child has left, the report
 * is closed), nothing is written: the refusal says why, and the request
 * stays waiting until a leader sends it back or its asker withdraws it. */
int ledger_request_approve(struct store *st, const char *user, const char *id,
			   const char *comment, struct xb_error *err);
/* The same, for a request that may be a transfer, whose file `file`
 * makes as it stands when approved (exchange/'s bundle_request_approve
 * gives it; without it a transfer is refused). */
int ledger_request_approve_file(struct store *st, const char *user,
				const char *id, const char *comment,
				ledger_file_fn file, struct xb_error *err);
/* A leader sends request id back, saying why in comment (required):
 * status sent_back, nothing else changes; audited "send_back". */
int ledger_request_send_back(struct store *st, const char *user, const char *id,
			     const char *comment, struct xb_error *err);
/* The user who asked withdraws their waiting request: status withdrawn;
 * audited "withdraw". */
int ledger_request_withdraw(struct store *st, const char *user, const char *id,
			    struct xb_error *err);
/* The waiting requests (all: every request, decided ones too), oldest
 * first, for a leader (LEDGER_APPROVE); a county's hold its townships'.
 * fn returns 0 to go on. */
typedef int (*ledger_request_fn)(const struct store_record *req, void *arg);
int ledger_requests_list(struct store *st, const char *user, int all,
			 ledger_request_fn fn, void *arg, struct xb_error *err);
/* How many of this township's requests wait, for a user who decides
 * them (0 for anyone else, and at a county). */
int ledger_requests_waiting(struct store *st, const char *user, uint64_t *n,
			    struct xb_error *err);
/* What request q asks, in words of the user's language, into buf. */
void ledger_request_what(const struct store_record *q, char *buf, size_t len);

/* --- corrections (correct.c) ---
 *
 * A visit, a step or a report saved with a mistake is corrected in place:
 * rec is the stored record as read (its id and version) with the changes
 * made; refused with XB_ECONFLICT when it changed since rec->version was
 * read. Audited with the action "correct", so the history keeps the
 * values before and who corrected them. The record stays under its child
 * or report, and stays this office's (a township's records at the county
 * are corrected at the township). */

/* Who may: LEDGER_CASEWORK, or a user who may log visits in the child's
 * village and who saved this visit last (changed_by). The child's last
 * visit and next visit due follow when the visit is, or was, the latest. */
int ledger_visit_correct(struct store *st, struct store_record *visit,
			 const char *user, struct xb_error *err);
/* LEDGER_CASEWORK. The step's kind does not become "found" or "closed",
 * nor does a "closed" step become another (a report is closed by a step
 * of its own); the report's stage and reported_at follow its steps. */
int ledger_step_correct(struct store *st, struct store_record *step,
			const char *user, struct xb_error *err);
/* A report's police station, receipt number and description, added or
 * corrected after filing, open or closed (LEDGER_CASEWORK); a change to
 * any other field is refused, naming it. */
int ledger_report_edit(struct store *st, struct store_record *report,
		       const char *user, struct xb_error *err);

/* --- a child's assistance as dated entries (aid.c) --- */

/* Adds an entry (id CASE/Hnn) to an active child's file
 * (LEDGER_CASEWORK). */
int ledger_aid_add(struct store *st, struct store_txn *txn,
		   struct store_record *aid, const char *user,
		   struct xb_error *err);
/* Saves an edited entry, as read at aid->version (XB_ECONFLICT when it
 * changed since), of a child in the ledger or who left it: an entry is
 * ended by giving its end date (LEDGER_CASEWORK). Audited "update". */
int ledger_aid_edit(struct store *st, struct store_record *aid,
		    const char *user, struct xb_error *err);
/* The entries of the child case_no, oldest number first, for user as
 * ledger_child_read allows (a village user: their villages' children).
 * *out holds n records (free with store_records_free). */
int ledger_aid_list(struct store *st, const char *user, const char *case_no,
		    struct store_record ***out, size_t *n, struct xb_error *err);
/* Whether the entry is current on day (YYYY-MM-DD): begun (start_date
 * <= day) and not ended (no end_date, or end_date >= day). */
int ledger_aid_current(const struct store_record *aid, const char *day);

/* --- drafts.c: a form cut off, kept for its user --- */

enum { LEDGER_DRAFT_PARENT_MAX = 96 };
/* Keeps for user what they had typed into a form the program could not
 * finish (the terminal closed): changes, a record of the form's kind with
 * the id it edits (none for a new one), the version it was read at and
 * the fields the clerk set; cleared, the keys they emptied ("k1,k2", or
 * ""); parent, what a new one sits under (a case number, a report id).
 * The user's earlier draft is replaced. */
int ledger_draft_keep(struct store *st, const char *user,
		      const struct store_record *changes, const char *cleared,
		      const char *parent, struct xb_error *err);
/* The user's draft, taken out (offered once): *changes and *cleared
 * (malloc'd) and parent; XB_ENOTFOUND when there is none. */
int ledger_draft_take(struct store *st, const char *user,
		      struct store_record **changes, char **cleared,
		      char parent[LEDGER_DRAFT_PARENT_MAX], struct xb_error *err);

/* How a scanned slip of version stands against the child's file: the
 * current one, replaced by a later one, or one never printed here (a
 * version past the file's, or any slip of a file that has none); *now
 * gets the file's version (0: none printed). */
enum ledger_slip_state {
	LEDGER_SLIP_CURRENT,
	LEDGER_SLIP_REPLACED,
	LEDGER_SLIP_NEVER,
};
enum ledger_slip_state ledger_slip_state(const struct store_record *child,
					 unsigned version, unsigned *now);

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
/* Settings that travel in an office's bundles, so the receiver reckons
 * the sender's records by the sender's rules (the days a report's
 * deadlines run, deadlines.c); NULL-terminated. */
#define LEDGER_SETTINGS_SENT_MAX 8
extern const char *const ledger_settings_sent[LEDGER_SETTINGS_SENT_MAX + 1];
/* Notes, in txn, the value office gave a travelling setting in its
 * bundle: XB_EINVAL for a key that does not travel or a value its check
 * refuses. */
int ledger_office_setting_note(struct store *st, struct store_txn *txn,
			       const char *office, const char *key,
			       const char *value, struct xb_error *err);
/* A setting as office keeps it: the value its last bundle carried, else
 * (this office's own records, or none came) this office's own. */
int ledger_office_setting_number(struct store *st, const char *office,
				 const char *key, long *out,
				 struct xb_error *err);

/* --- responsible members (包保责任人) and the visit rules (members.c) ---
 *
 * A child's member_name names a user of the ledger (village, clerk or
 * leader) by user name or full name (display_name): checked whenever it
 * is typed or changed (ledger_child_add, _edit; a sheet's row keeps one
 * that is no user as written and says so: old data is never lost), and a
 * village member only for the children of their villages. A visit logged
 * without its next contact date gets the visit's date plus the office's
 * interval (settings visit_interval_days, 90, and for a child without
 * supervision or with a report open visit_interval_close_days, 30); a
 * child registered without a next visit due gets the registration day
 * plus it: never visited, it is overdue from then on. */

/* The user name names, by user name or else by the full name one user
 * alone has, into *user (the caller frees it); under txn when given.
 * XB_ENOTFOUND saying how a leader adds them, or XB_EINVAL when several
 * users have that full name. */
int ledger_member_find(struct store *st, struct store_txn *txn, const char *name,
		       struct store_record **user, struct xb_error *err);
/* Who a member filter names: the user's name and full name, or (user 0)
 * the text as written when no user has it. */
struct ledger_member {
	char name[64];
	char display[64];
	int user;
};
int ledger_member_names(struct store *st, const char *text,
			struct ledger_member *m, struct xb_error *err);
/* Whether child's member_name is m's name or full name. */
int ledger_member_matches(const struct ledger_member *m,
			  const struct store_record *child);
/* The children in the ledger whose responsible member is member (as
 * ledger_member_names reads it), as user may see them (LEDGER_READ; a
 * village user's villages only), in case-number order (a village
 * member's, village by village). fn returns 0 to go on. */
int ledger_member_children(struct store *st, const char *user, const char *member,
			   ledger_child_fn fn, void *arg, struct xb_error *err);
/* The member's phone from their user record on child (a copy to print
 * or show, never saved) when the file has none of its own. */
int ledger_member_phone_fill(struct store *st, struct store_record *child,
			     struct xb_error *err);
/* A ledger from before the visit rules: every child in the ledger
 * without a next visit due gets one, its last visit (else the day it was
 * registered: its `registered` field, else its history's first entry)
 * plus the interval, audited as "due" (LEDGER_CASEWORK). count_only:
 * only counts them (LEDGER_READ). *n: how many. */
int ledger_due_fill(struct store *st, const char *user, int count_only,
		    uint64_t *n, struct xb_error *err);

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

/* The lists a clerk prints (print/lists.c), as user may see them
 * (LEDGER_READ; a village user only their villages' children and their
 * reports). Each fills *out with n records (free with
 * store_records_free); nothing on failure. */
/* The children in the ledger whose next visit was due before today, by
 * village code, then case number. */
int ledger_overdue_read(struct store *st, const char *user, const char *today,
			struct store_record ***out, size_t *n, struct xb_error *err);
/* Which reports: of one stage (NULL: any), only those not yet reported to
 * the police, closed ones too. */
struct ledger_reports_filter {
	const char *stage;
	int unsent;
	int closed;
};
/* The reports f names, the oldest found first. */
int ledger_reports_read(struct store *st, const char *user,
			const struct ledger_reports_filter *f,
			struct store_record ***out, size_t *n, struct xb_error *err);
/* The children of village (a 12-digit code) still in the ledger, in
 * case-number order; a village user asking for another village: XB_EPERM
 * naming it. */
int ledger_village_children(struct store *st, const char *user, const char *village,
			    struct store_record ***out, size_t *n, struct xb_error *err);

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
