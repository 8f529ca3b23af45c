/* stats.h - the period statistics an office files (定期报告, 按时报送): the
 * table of a month, a quarter, a year or any run of days, one row per
 * village, responsible member, township or county, and their total.
 *
 *   period.c  periods: "2026-11", "2026-Q4", "2026", or two dates; their
 *             first and last day and the moments they span
 *   columns.c the columns: key (as in --json), label, group
 *   compute.c the table counted from the records and their history
 *
 * Figures are as of the period's end: each record is taken as the ledger
 * held it at the end of the period's last day (later changes undone from
 * the audit trail), so a table printed later equals the one printed on
 * the day. A child receives assistance at the period's end when an entry
 * of it (kind aid) has begun by then and not ended; a child with no
 * entries at all is counted by the one choice files held before entries
 * (assistance), as the ledger held it then. An event (a visit, a report, a registration, an exit) counts
 * in the period that holds the later of its own date and the day it was
 * recorded: a visit made on 29 November and logged on 3 December counts
 * in December, never in no period at all, and never changes November's
 * table once the month is over. A child who left and came back in one
 * period counts once among those who left and once among those
 * re-admitted.
 *
 * Above forms/ and store/; print/, sheets/ and exchange/ render and carry
 * the tables. Like every library module it never prints and never exits. */
#ifndef XB_STATS_H
#define XB_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"
#include "../store/store.h"

/* --- periods (period.c) --- */

enum stats_period_kind {
	STATS_MONTH,   /* "2026-11" */
	STATS_QUARTER, /* "2026-Q4" */
	STATS_YEAR,    /* "2026" */
	STATS_DAYS,    /* --from/--to: "2026-11-03..2026-12-01" */
};

struct stats_period {
	enum stats_period_kind kind;
	char label[24];  /* as typed back: "2026-11", "2026-Q4", "2026",
			    "2026-11-03..2026-12-01" */
	char from[11];   /* first day, YYYY-MM-DD */
	char to[11];     /* last day */
	int64_t start;   /* the first moment of from, local time */
	int64_t end;     /* the last moment of to (the next day's first - 1) */
};

/* Reads "2026-11", "2026-Q4" (q1-q4 too) or "2026". XB_EINVAL with a
 * message saying the forms accepted. */
int stats_period_parse(const char *text, struct stats_period *p,
		       struct xb_error *err);
/* A run of days from..to (any date form forms/ accepts), from <= to. */
int stats_period_days(const char *from, const char *to,
		      struct stats_period *p, struct xb_error *err);
/* The month before today's (what an office files at the start of a
 * month), and the month holding today. */
void stats_period_last_month(const char *today, struct stats_period *p);
void stats_period_this_month(const char *today, struct stats_period *p);
/* The period of the same kind just before / after p (days: the same
 * number of days). */
void stats_period_step(const struct stats_period *p, int forward,
		       struct stats_period *out);
/* The period's name in the user's language: "2026年11月",
 * "2026年第四季度", "2026年度", "2026-11-03至2026-12-01". */
void stats_period_title(const struct stats_period *p, char *buf, size_t len);
/* Whether the period has ended before today. */
int stats_period_closed(const struct stats_period *p, const char *today);

/* --- columns (columns.c) --- */

enum stats_col {
	/* the children in the ledger at the period's end */
	STATS_IN_LEDGER,
	STATS_BOTH_AWAY,
	STATS_ONE_AWAY,
	STATS_NOT_LEFT_BEHIND,
	STATS_MALE,
	STATS_FEMALE,
	STATS_AGE_0_5,
	STATS_AGE_6_11,
	STATS_AGE_12_15,
	STATS_AGE_16_OVER,
	STATS_UNSUPERVISED,
	STATS_OUT_OF_SCHOOL,
	STATS_NO_HUKOU,
	STATS_ASSISTED,
	/* of them, by programme (in the order of aid_programme_choices in
	 * forms/schema.c): in the ledger's group, beside the assisted, so a
	 * township's month still prints on one page */
	STATS_AID_DIBAO,
	STATS_AID_TEKUN,
	STATS_AID_TEMPORARY,
	STATS_AID_ORPHAN,
	STATS_AID_DISABILITY,
	STATS_AID_OTHER,
	STATS_KEY_CASES,
	/* comings and goings during the period */
	STATS_REGISTERED,
	STATS_EXITED,
	STATS_EXITED_TURNED16,
	STATS_EXITED_PARENTS_RETURNED,
	STATS_EXITED_MOVED,
	STATS_EXITED_OTHER,
	STATS_READMITTED, /* back in the ledger (恢复在册) */
	/* visits */
	STATS_VISITS,
	STATS_CHILDREN_VISITED,
	STATS_OVERDUE,
	STATS_NEVER_VISITED,
	/* mandatory reports */
	STATS_REPORTS,
	STATS_REPORTS_ACCIDENTAL_INJURY,
	STATS_REPORTS_UNLAWFUL_HARM,
	STATS_REPORTS_DOMESTIC_VIOLENCE,
	STATS_REPORTS_MISSING,
	STATS_REPORTS_PARENTS_UNREACHABLE,
	STATS_REPORTS_UNSUPERVISED,
	STATS_REPORTS_OUT_OF_SCHOOL,
	STATS_REPORTS_ABUSE_ABANDONMENT,
	STATS_REPORTS_OTHER,
	STATS_REPORTED_SAME_DAY,
	STATS_REPORTED_LATE,
	STATS_UNREPORTED,
	STATS_REPORTS_CLOSED,
	STATS_REPORTS_OPEN,
	STATS_NCOLS
};

/* The groups the columns fall in, in order (a table too wide for one
 * page is printed a group or more at a time). */
enum stats_group {
	STATS_G_LEDGER,   /* 在册情况 */
	STATS_G_CHANGES,  /* 本期变动 */
	STATS_G_VISITS,   /* 走访 */
	STATS_G_REPORTS,  /* 强制报告 */
	STATS_NGROUPS
};

struct stats_column {
	enum stats_col col;
	enum stats_group group;
	const char *key;   /* snake_case, as in --json: "in_ledger" */
	const char *label; /* msgid, English; translate with _() at use */
	const char *brief; /* msgid of a short label for narrow tables */
};
/* The column's description; every enum stats_col has one. */
const struct stats_column *stats_column(enum stats_col col);
/* The group's label (msgid) and its columns' range [*first, *last]. */
const char *stats_group_label(enum stats_group g);
void stats_group_columns(enum stats_group g, enum stats_col *first,
			 enum stats_col *last);
/* The median delay's key and label (a number of days, not a count). */
#define STATS_MEDIAN_KEY "reported_late_median_days"
const char *stats_median_label(void); /* msgid */

/* --- the table (compute.c) --- */

enum stats_by {
	STATS_BY_NONE,     /* the office's total only */
	STATS_BY_VILLAGE,  /* a row per village (村(居)) */
	STATS_BY_MEMBER,   /* a row per responsible member (包保责任人) */
	STATS_BY_TOWNSHIP, /* at a county: a row per township */
	STATS_BY_COUNTY,   /* at a city: a row per county */
};
/* "village", "member", "township", "county" (the JSON key of a row's
 * name), NULL for none; and back (XB_EINVAL naming the choices). */
const char *stats_by_key(enum stats_by by);
int stats_by_parse(const char *text, enum stats_by *by, struct xb_error *err);

/* Where a row's figures come from: counted from the records this ledger
 * holds, or the table the office itself filed and sent (a county's
 * townships, a city's counties). */
enum stats_source { STATS_FROM_RECORDS, STATS_FROM_TABLE };

struct stats_row {
	char key[64];   /* the village's or office's code, the member's name;
			   "" for children without one */
	enum stats_source source;
	char name[96];  /* the village's or office's name, the member's */
	uint64_t v[STATS_NCOLS];
	/* Median days from finding to the police report, over the late
	 * reports among those counted; < 0 when there is none. */
	double late_median_days;
};

struct stats_table {
	struct stats_period period;
	enum stats_by by;
	char office[13];      /* who made it */
	char office_name[96];
	char made[11];        /* the day it was made */
	char asof[11];        /* the day its figures stand at: the period's
				 last, or the day it was made when sooner */
	size_t nrows;
	struct stats_row *rows; /* in key order */
	struct stats_row total; /* the sum of the rows (the median over all) */
	double *late_days;    /* every late report's days, for the median of
				 a table made of tables */
	size_t nlate;
	int key_cases;        /* only the key cases (重点对象) counted */
};

/* Counts the table of period p for the ledger's office, by `by`, into a
 * new *out (free with stats_table_free), as user may see it: a village
 * user's counts only the children of their villages (XB_EPERM for one
 * who may not read the ledger). One pass over the children, their visits
 * and reports; the history is read only for cases changed since the
 * period began. */
int stats_compute(struct store *st, const struct stats_period *p,
		  enum stats_by by, const char *user, struct stats_table **out,
		  struct xb_error *err);
/* The tables of n periods in the same one pass, into out[0..n). */
int stats_compute_many(struct store *st, const struct stats_period *p,
		       size_t n, enum stats_by by, const char *user,
		       struct stats_table **out, struct xb_error *err);
void stats_table_free(struct stats_table **t);
/* stats_compute counting only the key cases (重点对象): the children
 * whose file marked them so at the period's end, with their visits and
 * reports, from the records alone (a filed table holds no such figure;
 * a city's ledger, which holds no children, is refused). */
int stats_compute_key_cases(struct store *st, const struct stats_period *p,
			    enum stats_by by, const char *user,
			    struct stats_table **out, struct xb_error *err);
/* "Key cases only" (msgid) for such a table, NULL for any other: what
 * its titles add. */
const char *stats_scope_label(const struct stats_table *t);

/* At a county, rows of closed months, quarters and years are the tables
 * its townships filed and sent, where one has come (source
 * STATS_FROM_TABLE), else counted from the records it holds; at a city,
 * which holds no children, only the tables its counties sent (a
 * county's, and its townships'). */

/* --- tables filed (filed.c) --- */

/* The id of office's table of period p: "220221100/T2026-11". */
void stats_table_id(const char *office, const struct stats_period *p,
		    char id[40]);
/* Files this office's tables (kind STORE_TABLE, its total only) of every
 * month, quarter and year that has ended and ended after the day `after`
 * (YYYY-MM-DD; "" or NULL: the last twelve months), counted in one pass,
 * so the next bundle up the chain carries them. A table is written only
 * when it is new or differs from the one filed (audited as "stats" by
 * user). *filed gets the number written (may be NULL). */
int stats_file_closed(struct store *st, const char *after, const char *user,
		      size_t *filed, struct xb_error *err);

/* For the renderers (columns.c): what a row is, the header of a table's
 * first column (msgid: "Village" ... "Office" for STATS_BY_NONE); and the
 * name of row i as a table shows it, made printable: "红旗村
 * 220221100201", a member by name alone, "(not given)" for the children
 * without one, "Total" for i == t->nrows (and any i of a table by none),
 * translated. */
const char *stats_by_label(enum stats_by by);
void stats_row_title(const struct stats_table *t, size_t i, char *buf,
		     size_t len);

#endif
