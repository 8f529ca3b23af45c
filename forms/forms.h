/* forms.h - the schema of every record, its validation, the rules of the
 * policy, and the ledger operations built on them.
 *
 * Files of this module, each using only those above it:
 *   schema.c    the one table of fields (child, visit, report, step,
 *               office, user, village, table, request) with labels,
 *               types, choices, rules
 *   field_keys.c, field_keys.h  each field's key as a name the compiler
 *               checks (FK_name), for code outside schema.c
 *   pinyin.c    pinyin initials of Chinese names, for search
 *   words.c     words offices write: spreadsheet headers and choice
 *               words beside the schema's, full-width forms folded;
 *               form_choice_code
 *   dates.c     calendar dates (YYYY-MM-DD): reading, days between,
 *               the other ways offices write a date
 *   idnum.c     GB 11643-1999 ID numbers and the birth date and sex they
 *               hold, ISO 7064 MOD 11-2, case numbers
 *   derive.c    what follows from the fields: birth date and sex from the
 *               ID number, age, left-behind type, flags
 *   validate.c  checking and normalising values and whole records
 *   villages.c  the office's village register (ledger_village_* of
 *               ledger.h) and a child's village checked against it
 *   office.c    the office a ledger belongs to, read in a transaction
 *   ledger.c, ledger.h  the operations the CLI and TUI call (their own
 *               header): add and edit a child,
 *               visits, reports and their steps, exit, re-admission,
 *               search
 *   aid.c       a child's assistance as dated entries (ledger_aid_*)
 *   correct.c   corrections of a visit, a report's step, a report's
 *               police fields after filing (ledger_*_correct)
 *   requests.c  what waits for a leader's approval (审核): exits,
 *               closings and chosen steps asked as requests, approved
 *               or sent back; the checks before an exit
 *   users.c     users, roles, signing in, the permission check
 *   reading.c   reading as the user may
 *   settings.c  the office's settings
 *   deadlines.c what the township owes a report after the police notify
 *               it (assessment, services), by when, in words
 *   members.c   responsible members and the visit rules
 *   transfer.c  a child's file transferred to another township and
 *               taken in there (ledger.h)
 *   private.h   what these files share and no other module sees
 *
 * No list of fields is written anywhere else: screens, CSV, bundles and the
 * audit walk form_fields(). */
#ifndef XB_FORMS_H
#define XB_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"
#include "../store/store.h"
#include "field_keys.h"

/* The version of the field table: a bundle made with a newer one is
 * refused (fields this version does not know). Raise it when a field is
 * added, removed or changes meaning. */
#define FORM_SCHEMA_VERSION 3 /* 2: the statistics tables (kind "table");
				 3: entries of assistance (kind "aid"),
				 requests (kind "request"), transfers
				 (kind "transfer"), a child's registered
				 date, re-admission and transfer fields,
				 key cases, a user's phone */

enum form_type {
	FORM_TEXT,     /* one line */
	FORM_NOTE,     /* longer free text, still no control characters
			  but newline and tab */
	FORM_DATE,     /* YYYY-MM-DD */
	FORM_DATETIME, /* YYYY-MM-DD or YYYY-MM-DD HH:MM */
	FORM_IDNUM,    /* 18-character resident ID number */
	FORM_PHONE,    /* mobile or landline with area code */
	FORM_CHOICE,   /* one of choices[].code */
	FORM_INT,      /* whole number within min..max */
	FORM_BOOL,     /* "yes" / "no" */
	FORM_DIVISION, /* 12-digit statistical division code (village) */
	FORM_REF,      /* id of another record (case number, report id) */
};

enum form_flag {
	FORM_REQUIRED = 1u << 0,
	FORM_DERIVED = 1u << 1,  /* computed; typing it is checked against
				    the derivation */
	FORM_SYSTEM = 1u << 2,   /* set by the program only (case number,
				    stage); never typed */
	FORM_FUTURE = 1u << 3,   /* a date that may lie in the future */
	FORM_HIDDEN = 1u << 4,   /* kept for search, not shown */
};

struct form_choice {
	const char *code; /* stored value, ASCII */
	const char *zh;
	const char *en;
};

struct form_section {
	const char *code;
	const char *zh;
	const char *en;
};

struct form_field {
	enum store_kind kind;
	const char *key;
	const char *zh;
	const char *en;
	const char *section; /* form_section code */
	enum form_type type;
	unsigned flags;
	const struct form_choice *choices; /* ends with a NULL code */
	unsigned maxlen;                   /* characters, for text */
	int min, max;                      /* for FORM_INT */
	const char *help_zh;               /* the rule, for help lines */
	const char *help_en;
};

/* The fields of a kind, in display order; a kind has at most
 * FORM_KIND_FIELDS_MAX. */
enum { FORM_KIND_FIELDS_MAX = 192 };
const struct form_field *form_fields(enum store_kind kind, size_t *n);
const struct form_field *form_field_find(enum store_kind kind, const char *key);
/* Where each field of rec's kind is in rec: pos[i] is the index + 1 in
 * rec->fields of the i-th field of form_fields(), 0 when absent; pos has
 * n entries, form_fields' n. One lookup a key of rec. Returns the index
 * of the first key the kind lacks, or rec->nfields when there is none. */
size_t form_field_positions(const struct store_record *rec, size_t *pos,
			    size_t n);
/* The value in rec of each field of its kind, in the order of
 * form_fields(): out[i] is the i-th field's value or NULL when absent;
 * out has n entries, form_fields' n. Keys the kind lacks are left out.
 * One lookup a key of rec, where asking rec for each field of the
 * schema would compare every key with every other. */
void form_values_in_order(const struct store_record *rec, const char **out,
			  size_t n);
const struct form_section *form_sections(enum store_kind kind, size_t *n);

/* Labels in the user's language (Chinese under a zh locale). */
int form_lang_is_zh(void);
const char *form_label(const struct form_field *f);
const char *form_section_label(const struct form_section *s);
const char *form_help(const struct form_field *f);
/* The label of a stored choice code, or the code itself if unknown. */
const char *form_choice_label(const struct form_field *f, const char *code);
/* Accepts a code, a Chinese or an English label, or a word offices write
 * for it (forms/words.c: 奶奶 for grandparent, 外出打工 for away, 在读
 * for in_school ...); spaces and full-width forms around it are
 * forgiven. NULL if none matches. */
const char *form_choice_code(const struct form_field *f, const char *input);
/* A stored value as a clerk reads it: a choice by its label, anything
 * else as it is (NULL stays NULL). */
const char *form_value_text(const struct form_field *f, const char *v);
/* The value of field key of rec as a clerk reads it (NULL when absent). */
const char *form_field_text(const struct store_record *rec, const char *key);
/* The action of an audit entry ("create", "update", "exit", "visit",
 * "step", "import", "sheet") in words, in the user's language. */
const char *form_action_label(const char *action);

/* --- words offices write (words.c): the variants of headers and of
 * choice words that spreadsheets carry, kept beside the schema --- */

/* The field of kind that a spreadsheet header names: its key, its Chinese
 * or English label, or a variant offices write (身份证号码, 公民身份号码,
 * 村别, 父亲现状, 监护人关系 ...). Spaces, line breaks, full-width forms,
 * a leading 序号-style number, a trailing "*" or "(必填)" are ignored.
 * NULL when none. */
const struct form_field *form_header_field(enum store_kind kind,
					   const char *header);

/* The columns of a roster of children (花名册), in order: the case number
 * first, then every field a clerk types (system-only and hidden fields
 * left out) and the status. brief: the narrower set that fits a printed
 * A4 landscape page (name, sex, birth date, ID number, village, type,
 * guardian, schooling, member ...). */
const struct form_field *const *form_roster_fields(int brief, size_t *n);

/* --- dates (dates.c) --- */

/* A real calendar date YYYY-MM-DD: 0, or -1 when it is not one. */
int form_parse_date(const char *s, int *y, int *m, int *d);
/* 1 in a leap year of the Gregorian calendar. */
int form_leap_year(int y);
/* A date as offices type and keep it: 2015-3-12, 2015/3/12, 2015.3.12,
 * 2015年3月12日, 20150312, full-width digits too, spaces around, into
 * out[11] as YYYY-MM-DD; -1 when it is no real date. */
int form_date_normalize(const char *in, char out[11]);
/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
long form_days_from_civil(int y, int m, int d);
/* Days from date a to date b (a date-time counts by its date); LONG_MIN
 * when either is unreadable. */
long form_days_between(const char *a, const char *b);
/* The day `days` after date (before it when negative; a date-time counts
 * by its date) into out[11]; -1 when date is unreadable or the day falls
 * outside the years 1-9999. */
int form_date_add(const char *date, long days, char out[11]);

/* --- validation (validate.c) --- */

/* Checks one value and returns its normal form in *out (malloc'd): trimmed,
 * ID number upper-case, choice label turned into its code, phone numbers
 * in one spelling. "" or NULL is allowed here (required-ness is a record
 * rule). On failure err names the field and says why. */
int form_check_value(const struct form_field *f, const char *value,
		     char **out, struct xb_error *err);

/* Folds what a spreadsheet or an input method leaves in a cell: full-
 * width letters, digits and punctuation (ＡＢ１２，) made plain, the
 * ideographic and no-break spaces made plain spaces, spaces around
 * trimmed. Returns a malloc'd string (NULL: out of memory). */
char *form_fold_text(const char *s);

/* Checks a whole record of any kind: every field (unknown keys refused),
 * required fields, rules across fields (ID number against typed birth date
 * and sex, dates not before birth, exit reason with exit date, guardian
 * "none" with no guardian name...). Normalises values in place and fills
 * the derived fields. `today` is YYYY-MM-DD. */
int form_check_record(struct store_record *rec, const char *today,
		      struct xb_error *err);

/* Valid UTF-8 with no control characters (newline and tab allowed when
 * multiline), no bidi overrides or marks and no zero-width characters
 * (common/printable.h); counts characters into *nchars. */
int form_check_text(const char *s, int multiline, size_t *nchars);

/* --- identifiers (idnum.c) --- */

/* The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of n digits. */
char form_mod11_2(const char *digits, size_t n);

/* 1 when the first two characters of p are a province-level code of the
 * PRC (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82), else 0.
 * Used for ID numbers and division codes. */
int form_province_code_valid(const char *p);

/* Checks an 18-character ID number (GB 11643-1999): length, digits,
 * region code form, real birth date not in the future, check character;
 * lower-case x accepted. Writes the normal form (upper-case X) to out[19].
 * A 15-digit old-style number is refused with its own reason. */
int form_idnum_check(const char *in, const char *today, char out[19],
		     struct xb_error *err);

/* Birth date (YYYY-MM-DD, out[11]) and sex ("M"/"F") from a valid ID. */
void form_idnum_birth(const char *idnum, char out[11]);
const char *form_idnum_sex(const char *idnum);

/* Case numbers: TTTTTTTTT-SSSSS-C, township code, serial, check character
 * over the 14 digits. */
int form_case_number(const char *township, uint64_t serial, char *out,
		     size_t len);
int form_case_check(const char *case_no, struct xb_error *err);

/* Where a record sits by its id: the office whose numbering holds it
 * (owner: the case number's township; an office's own code; a user's
 * origin) and the record it sits under (parent: a visit's, report's,
 * aid entry's, request's or transfer's case number, a step's report id;
 * "" for none). Refuses an id not in the form the ledger gives
 * (CASE/V0001, CASE/R01, CASE/R01/S01, CASE/H01, CASE/Q01, a transfer
 * CASE/M01), or whose case_no or report_id field names another parent,
 * or a request whose target is not its case or one of the case's
 * records. */
int form_record_place(const struct store_record *rec, char owner[13],
		      char parent[64], struct xb_error *err);

/* --- derivations (derive.c) --- */

/* Full years from birth (YYYY-MM-DD) to today; -1 if unknown. */
int form_age(const char *birth, const char *today);

/* The left-behind type from the parents' fields:
 * "both_away", "one_away_other_incapable" or "not_left_behind". */
const char *form_left_behind_type(const struct store_record *child);
/* The same from the four fields' values (NULL when not set): father_status,
 * mother_status, father_capable, mother_capable. */
const char *form_left_behind_of(const char *father_status,
				const char *mother_status,
				const char *father_capable,
				const char *mother_capable);

enum form_child_flag {
	FORM_FLAG_UNSUPERVISED = 1u << 0,   /* no guardian */
	FORM_FLAG_TURNS16_SOON = 1u << 1,   /* turns 16 within 30 days */
	FORM_FLAG_OVER_AGE = 1u << 2,       /* 16 or older: not eligible */
	FORM_FLAG_NOT_LEFT_BEHIND = 1u << 3,/* parents' situation does not
					       meet the definition */
	FORM_FLAG_NO_HUKOU = 1u << 4,       /* no household registration */
	FORM_FLAG_OUT_OF_SCHOOL = 1u << 5,  /* dropped out / never enrolled */
	FORM_FLAG_VISIT_OVERDUE = 1u << 6,  /* next visit due before today */
	FORM_FLAG_NO_VILLAGE = 1u << 7,     /* transferred in from a village
					       not of this township: the
					       clerk gives one */
};
#define FORM_FLAG_COUNT 8

unsigned form_child_flags(const struct store_record *child, const char *today);
/* Short label of one flag bit, in the user's language. */
const char *form_flag_label(unsigned flag);
/* The labels of all the flags set in fl, joined, into buf ("" for none). */
void form_flag_words(unsigned fl, char *buf, size_t len);
/* Whether someone born on birth (YYYY-MM-DD) turns 16 in today's month. */
int form_turns16_in_month(const char *birth, const char *today);

/* Lower-case pinyin initials of the Chinese characters of s ("张三" ->
 * "zs"); ASCII letters and digits are kept lower-cased; others skipped. */
int form_pinyin_initials(const char *s, char *out, size_t len);

/* The stages of a report, in handling order. */
const struct form_choice *form_stage_choices(void);

/* A key that sorts names as a clerk expects: the name's GB18030 bytes in
 * hex (GB2312's common characters are in pinyin order). */
int form_name_sort_key(const char *name, char *out, size_t len);

/* Closes the converters that form_pinyin_initials and form_name_sort_key
 * opened in the calling thread (kept, one per thread, between calls); a
 * thread that checked records calls it before it ends. */
void form_thread_done(void);

/* Fills the derived fields of a record (birth date, sex, left-behind type,
 * pinyin initials of the name). Does not validate. */
int form_derive(struct store_record *rec);

#endif
