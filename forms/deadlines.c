/* deadlines.c - what the township owes a report once the police have
 * notified it (二(二)4 of the plan: 调查评估, then 关爱服务 and 救助), by
 * when, and how many days are left or late: from the dates of the steps
 * taken and the office's settings assessment_due_days and
 * services_due_days. The words for it, whole and as a list's cell. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/i18n.h"

/* The earliest date among the steps of kind code, or NULL. */
static const char *first_step(struct store_record *const *steps, size_t n,
			      const char *code)
{
	const char *first = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *kind = store_record_get(steps[i], FK_step);
		const char *date = store_record_get(steps[i], FK_date);
		if (kind == NULL || date == NULL || strcmp(kind, code) != 0)
			continue;
		if (first == NULL || strcmp(date, first) < 0)
			first = date;
	}
	return first;
}

/* Fills due with stage code, due days after since, as seen on today. */
static void set_due(struct ledger_due *due, const char *code, const char *since,
		    long days, const char *today)
{
	char last[11];
	long left;
	if (form_date_add(since, days, last) != 0 ||
	    (left = form_days_between(today, last)) == LONG_MIN)
		return;
	snprintf(due->stage, sizeof(due->stage), "%s", code);
	snprintf(due->since, sizeof(due->since), "%.10s", since);
	snprintf(due->due, sizeof(due->due), "%s", last);
	due->days_left = left;
}

void form_report_due(const struct store_record *report,
		     struct store_record *const *steps, size_t n,
		     long assess_days, long services_days, const char *today,
		     struct ledger_due *due)
{
	memset(due, 0, sizeof(*due));
	const char *status = store_record_get(report, FK_status);
	if (status != NULL && strcmp(status, "closed") == 0)
		return;
	if (first_step(steps, n, "closed") != NULL ||
	    first_step(steps, n, "services") != NULL)
		return;
	const char *assessed = first_step(steps, n, "assessment");
	if (assessed != NULL) {
		set_due(due, "services", assessed, services_days, today);
		return;
	}
	const char *notified = first_step(steps, n, "township_notified");
	if (notified != NULL)
		set_due(due, "assessment", notified, assess_days, today);
}

int ledger_report_due(struct store *st, const struct store_record *report,
		      const char *today, struct ledger_due *due,
		      struct xb_error *err)
{
	long assess_days = 0, services_days = 0;
	struct store_record **steps = NULL;
	size_t n = 0;
	char prefix[112];
	memset(due, 0, sizeof(*due));
	/* A township's report, at the county: the township's days. */
	int ret = ledger_office_setting_number(st, report->origin, "assessment_due_days",
					       &assess_days, err);
	if (ret == XB_OK)
		ret = ledger_office_setting_number(st, report->origin, "services_due_days",
						   &services_days, err);
	snprintf(prefix, sizeof(prefix), "%s/", report->id);
	if (ret == XB_OK)
		ret = store_get_under(st, NULL, STORE_STEP, prefix, &steps, &n, err);
	if (ret == XB_OK)
		form_report_due(report, steps, n, assess_days, services_days, today, due);
	store_records_free(steps, n);
	return ret;
}

void ledger_due_text(const struct ledger_due *due, char *buf, size_t len)
{
	char what[96];
	buf[0] = '\0';
	if (due->stage[0] == '\0')
		return;
	const struct form_field *f = form_field_find(STORE_STEP, FK_step);
	snprintf(what, sizeof(what), "%s", form_choice_label(f, due->stage));
	/* the English label is a choice's, lower case; here it opens a line */
	if (islower((unsigned char)what[0]))
		what[0] = (char)toupper((unsigned char)what[0]);
	long d = due->days_left;
	if (d > 0)
		snprintf(buf, len,
			 ngettext("%s: due by %s (%ld day left)",
				  "%s: due by %s (%ld days left)", (unsigned long)d),
			 what, due->due, d);
	else if (d == 0)
		snprintf(buf, len, _("%s: due by %s (today is the last day)"), what,
			 due->due);
	else
		snprintf(buf, len,
			 ngettext("%s: %ld day late (due by %s)",
				  "%s: %ld days late (due by %s)", (unsigned long)-d),
			 what, -d, due->due);
}

void ledger_due_short(const struct ledger_due *due, char *buf, size_t len)
{
	int services = strcmp(due->stage, "services") == 0;
	long d = due->days_left;
	buf[0] = '\0';
	if (due->stage[0] == '\0')
		return;
	if (d > 0)
		snprintf(buf, len, services ? _("serv. %ld d left") : _("assess. %ld d left"), d);
	else if (d == 0)
		snprintf(buf, len, "%s", services ? _("serv. due today") : _("assess. due today"));
	else
		snprintf(buf, len, services ? _("serv. %ld d late") : _("assess. %ld d late"), -d);
}
