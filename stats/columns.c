/* columns.c - the columns of a statistics table: the key each has in
 * --json, its label and the group it is printed in. */
#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "../common/i18n.h"
#include "../common/printable.h"

#define COL(c, g, key, label, brief) [c] = { c, g, key, label, brief }

static const struct stats_column columns[STATS_NCOLS] = {
	COL(STATS_IN_LEDGER, STATS_G_LEDGER, "in_ledger",
	    N_("Children in the ledger"), N_("In ledger")),
	COL(STATS_BOTH_AWAY, STATS_G_LEDGER, "both_away",
	    N_("Both parents away"), N_("Both away")),
	COL(STATS_ONE_AWAY, STATS_G_LEDGER, "one_away",
	    N_("One away, the other incapable"), N_("One away")),
	COL(STATS_NOT_LEFT_BEHIND, STATS_G_LEDGER, "not_left_behind",
	    N_("No longer left behind"), N_("Not left behind")),
	COL(STATS_MALE, STATS_G_LEDGER, "male", N_("Boys"), N_("Boys")),
	COL(STATS_FEMALE, STATS_G_LEDGER, "female", N_("Girls"), N_("Girls")),
	COL(STATS_AGE_0_5, STATS_G_LEDGER, "age_0_5", N_("Aged 0-5"), N_("0-5")),
	COL(STATS_AGE_6_11, STATS_G_LEDGER, "age_6_11", N_("Aged 6-11"), N_("6-11")),
	COL(STATS_AGE_12_15, STATS_G_LEDGER, "age_12_15", N_("Aged 12-15"),
	    N_("12-15")),
	COL(STATS_AGE_16_OVER, STATS_G_LEDGER, "age_16_over",
	    N_("Aged 16 or over"), N_("16+")),
	COL(STATS_UNSUPERVISED, STATS_G_LEDGER, "unsupervised",
	    N_("Without supervision"), N_("Unsupervised")),
	COL(STATS_OUT_OF_SCHOOL, STATS_G_LEDGER, "out_of_school",
	    N_("Out of school"), N_("Out of school")),
	COL(STATS_NO_HUKOU, STATS_G_LEDGER, "no_hukou",
	    N_("Without household registration"), N_("No hukou")),
	COL(STATS_ASSISTED, STATS_G_LEDGER, "assisted",
	    N_("Receiving assistance"), N_("Assisted")),
	COL(STATS_KEY_CASES, STATS_G_LEDGER, "key_cases",
	    N_("Key cases (checked by cadres)"), N_("Key cases")),

	COL(STATS_AID_DIBAO, STATS_G_LEDGER, "aid_dibao",
	    N_("Assistance: minimum living allowance"), N_("Dibao")),
	COL(STATS_AID_TEKUN, STATS_G_LEDGER, "aid_tekun",
	    N_("Assistance: extreme-poverty support"), N_("Tekun")),
	COL(STATS_AID_TEMPORARY, STATS_G_LEDGER, "aid_temporary",
	    N_("Assistance: temporary"), N_("Temporary")),
	COL(STATS_AID_ORPHAN, STATS_G_LEDGER, "aid_orphan",
	    N_("Assistance: orphan allowance"), N_("Orphan")),
	COL(STATS_AID_DISABILITY, STATS_G_LEDGER, "aid_disability",
	    N_("Assistance: disability"), N_("Disability")),
	COL(STATS_AID_OTHER, STATS_G_LEDGER, "aid_other",
	    N_("Assistance: other"), N_("Other aid")),

	COL(STATS_REGISTERED, STATS_G_CHANGES, "registered",
	    N_("Registered in the period"), N_("Registered")),
	COL(STATS_EXITED, STATS_G_CHANGES, "exited",
	    N_("Left the ledger in the period"), N_("Left")),
	COL(STATS_EXITED_TURNED16, STATS_G_CHANGES, "exited_turned16",
	    N_("Left: turned 16"), N_("Turned 16")),
	COL(STATS_EXITED_PARENTS_RETURNED, STATS_G_CHANGES,
	    "exited_parents_returned", N_("Left: parents returned"),
	    N_("Parents back")),
	COL(STATS_EXITED_MOVED, STATS_G_CHANGES, "exited_moved",
	    N_("Left: moved with the family"), N_("Moved")),
	COL(STATS_EXITED_OTHER, STATS_G_CHANGES, "exited_other",
	    N_("Left: other reasons"), N_("Other")),
	COL(STATS_READMITTED, STATS_G_CHANGES, "readmitted",
	    N_("Re-admitted in the period"), N_("Re-admitted")),

	COL(STATS_VISITS, STATS_G_VISITS, "visits", N_("Visits made"),
	    N_("Visits")),
	COL(STATS_CHILDREN_VISITED, STATS_G_VISITS, "children_visited",
	    N_("Children visited"), N_("Visited")),
	COL(STATS_OVERDUE, STATS_G_VISITS, "overdue",
	    N_("Visit overdue at the period's end"), N_("Overdue")),
	COL(STATS_NEVER_VISITED, STATS_G_VISITS, "never_visited",
	    N_("Never visited"), N_("Never visited")),

	COL(STATS_REPORTS, STATS_G_REPORTS, "reports",
	    N_("Mandatory reports opened"), N_("Reports")),
	COL(STATS_REPORTS_ACCIDENTAL_INJURY, STATS_G_REPORTS,
	    "reports_accidental_injury", N_("Reports: accidental injury"),
	    N_("Injury")),
	COL(STATS_REPORTS_UNLAWFUL_HARM, STATS_G_REPORTS, "reports_unlawful_harm",
	    N_("Reports: unlawful harm"), N_("Harm")),
	COL(STATS_REPORTS_DOMESTIC_VIOLENCE, STATS_G_REPORTS,
	    "reports_domestic_violence", N_("Reports: domestic violence"),
	    N_("Violence")),
	COL(STATS_REPORTS_MISSING, STATS_G_REPORTS, "reports_missing",
	    N_("Reports: missing"), N_("Missing")),
	COL(STATS_REPORTS_PARENTS_UNREACHABLE, STATS_G_REPORTS,
	    "reports_parents_unreachable", N_("Reports: parents unreachable"),
	    N_("Unreachable")),
	COL(STATS_REPORTS_UNSUPERVISED, STATS_G_REPORTS, "reports_unsupervised",
	    N_("Reports: unsupervised"), N_("Unsupervised")),
	COL(STATS_REPORTS_OUT_OF_SCHOOL, STATS_G_REPORTS, "reports_out_of_school",
	    N_("Reports: out of school"), N_("Out of school")),
	COL(STATS_REPORTS_ABUSE_ABANDONMENT, STATS_G_REPORTS,
	    "reports_abuse_abandonment", N_("Reports: abuse or abandonment"),
	    N_("Abuse")),
	COL(STATS_REPORTS_OTHER, STATS_G_REPORTS, "reports_other",
	    N_("Reports: other"), N_("Other")),
	COL(STATS_REPORTED_SAME_DAY, STATS_G_REPORTS, "reported_same_day",
	    N_("Reported to the police the day found"), N_("Same day")),
	COL(STATS_REPORTED_LATE, STATS_G_REPORTS, "reported_late",
	    N_("Reported to the police late"), N_("Late")),
	COL(STATS_UNREPORTED, STATS_G_REPORTS, "unreported",
	    N_("Not reported to the police at the period's end"),
	    N_("Unreported")),
	COL(STATS_REPORTS_CLOSED, STATS_G_REPORTS, "reports_closed",
	    N_("Reports closed in the period"), N_("Closed")),
	COL(STATS_REPORTS_OPEN, STATS_G_REPORTS, "reports_open",
	    N_("Reports still open at the period's end"), N_("Open")),
};

static const char *const group_labels[STATS_NGROUPS] = {
	[STATS_G_LEDGER] = N_("In the ledger at the period's end"),
	[STATS_G_CHANGES] = N_("Comings and goings"),
	[STATS_G_VISITS] = N_("Home visits"),
	[STATS_G_REPORTS] = N_("Mandatory reports"),
};

const struct stats_column *stats_column(enum stats_col col)
{
	return col < STATS_NCOLS ? &columns[col] : NULL;
}

const char *stats_group_label(enum stats_group g)
{
	return g < STATS_NGROUPS ? group_labels[g] : "";
}

void stats_group_columns(enum stats_group g, enum stats_col *first,
			 enum stats_col *last)
{
	*first = STATS_NCOLS;
	*last = 0;
	for (int c = 0; c < STATS_NCOLS; c++)
		if (columns[c].group == g) {
			if ((enum stats_col)c < *first)
				*first = (enum stats_col)c;
			*last = (enum stats_col)c;
		}
}

const char *stats_scope_label(const struct stats_table *t)
{
	return t != NULL && t->key_cases ? N_("Key cases only") : NULL;
}

const char *stats_median_label(void)
{
	return N_("Median days late");
}

static const char *const by_keys[] = {
	[STATS_BY_NONE] = NULL,
	[STATS_BY_VILLAGE] = "village",
	[STATS_BY_MEMBER] = "member",
	[STATS_BY_TOWNSHIP] = "township",
	[STATS_BY_COUNTY] = "county",
};

const char *stats_by_key(enum stats_by by)
{
	return by <= STATS_BY_COUNTY ? by_keys[by] : NULL;
}

int stats_by_parse(const char *text, enum stats_by *by, struct xb_error *err)
{
	for (int b = STATS_BY_VILLAGE; b <= STATS_BY_COUNTY; b++)
		if (text != NULL && strcmp(text, by_keys[b]) == 0) {
			*by = (enum stats_by)b;
			return XB_OK;
		}
	return xb_fail(err, XB_EINVAL,
		       _("--by takes village, member, township or county, not "
			 "\"%s\"."),
		       text ? text : "");
}

static const char *const by_labels[] = {
	[STATS_BY_NONE] = N_("Office"),
	[STATS_BY_VILLAGE] = N_("Village"),
	[STATS_BY_MEMBER] = N_("Responsible member"),
	[STATS_BY_TOWNSHIP] = N_("Township"),
	[STATS_BY_COUNTY] = N_("County"),
};

const char *stats_by_label(enum stats_by by)
{
	return by <= STATS_BY_COUNTY ? by_labels[by] : by_labels[STATS_BY_NONE];
}

void stats_row_title(const struct stats_table *t, size_t i, char *buf,
		     size_t len)
{
	if (i >= t->nrows || t->by == STATS_BY_NONE) {
		snprintf(buf, len, "%s", _("Total"));
		return;
	}
	const struct stats_row *r = &t->rows[i];
	char name[sizeof(r->name) * 3], key[sizeof(r->key) * 3];
	xb_printable(r->name, 0, name, sizeof(name));
	xb_printable(r->key, 0, key, sizeof(key));
	if (key[0] == '\0' && name[0] == '\0')
		snprintf(buf, len, "%s", _("(not given)"));
	else if (name[0] == '\0' || strcmp(name, key) == 0)
		snprintf(buf, len, "%s", key);
	else if (key[0] == '\0' || t->by == STATS_BY_MEMBER)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s %s", name, key);
}
