/* lists.c - the lists a clerk prints, from the start screen, the lists'
 * screens and `xiangban print`: the children whose visit is overdue,
 * village by village; the reports being handled; a village's sheet of
 * case slips. Each reads the ledger through the operations that check who
 * asks (forms/ledger.h: a village user sees their villages only) and
 * writes one file whole or not at all: the lists through table.c, the
 * slips through slip_pdf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "private.h"
#include "../common/i18n.h"
#include "../forms/ledger.h"

/* The office's name and code (the code alone when it has no name). */
static void office_words(struct store *st, char code[13], char *name, size_t len)
{
	struct store_record *o = NULL;
	struct xb_error ignored;
	code[0] = '\0';
	if (ledger_office(st, code, &ignored) == XB_OK)
		store_get(st, NULL, STORE_OFFICE, code, &o, &ignored);
	const char *n = o ? store_record_get(o, FK_name) : NULL;
	snprintf(name, len, "%s", n ? n : code);
	store_record_free(&o);
}

/* The label of a field in the user's language. */
static const char *label_of(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	return f ? form_label(f) : key;
}

/* A choice's label, or "" for none. */
static const char *choice_of(enum store_kind kind, const char *key,
			     const struct store_record *rec)
{
	const char *v = store_record_get(rec, key);
	const struct form_field *f = form_field_find(kind, key);
	return v == NULL ? "" : f ? form_choice_label(f, v) : v;
}

/* The line under the title: the office, the day, how many. */
static void office_line(struct store *st, const char *today, const char *count,
			char *buf, size_t len)
{
	char code[13], name[256], office[512], made[64];
	office_words(st, code, name, sizeof(name));
	snprintf(office, sizeof(office), _("Office: %s (%s)"), name, code);
	snprintf(made, sizeof(made), _("Made on: %s"), today);
	snprintf(buf, len, "%s    %s    %s", office, made, count);
}

/* --- the overdue visits, by village --- */

/* The heading of a village's section: its name and code, how many. */
static void village_heading(const struct store_record *child, size_t n, char *buf,
			    size_t len)
{
	const char *name = store_record_get(child, FK_village);
	const char *code = store_record_get(child, FK_village_code);
	if (code == NULL || *code == '\0')
		snprintf(buf, len, ngettext("No village given: %zu child",
					    "No village given: %zu children", n),
			 n);
	else
		snprintf(buf, len, ngettext("%s %s (%s): %zu child", "%s %s (%s): %zu children", n),
			 label_of(STORE_CHILD, FK_village), name ? name : "", code, n);
}

/* Whether two children live in the same village (by code). */
static int same_village(const struct store_record *a, const struct store_record *b)
{
	const char *x = store_record_get(a, FK_village_code);
	const char *y = store_record_get(b, FK_village_code);
	return strcmp(x ? x : "", y ? y : "") == 0;
}

int print_overdue_pdf(struct store *st, const char *user, const char *today,
		      const char *path, size_t *n, size_t *pages, struct xb_error *err)
{
	struct store_record **kids = NULL;
	size_t nk = 0;
	if (n)
		*n = 0;
	if (pages)
		*pages = 0;
	int ret = ledger_overdue_read(st, user, today, &kids, &nk, err);
	if (ret != XB_OK)
		return ret;
	char code[13], name[256], title[512], count[64], line[1024], heading[512];
	office_words(st, code, name, sizeof(name));
	snprintf(title, sizeof(title), _("%s: children whose home visit is overdue, by village"),
		 name);
	snprintf(count, sizeof(count), _("Children: %zu"), nk);
	office_line(st, today, count, line, sizeof(line));
	const char *info[] = { line };
	const struct print_table_col cols[] = {
		{ label_of(STORE_CHILD, FK_case_no), 1, 0 },
		{ label_of(STORE_CHILD, FK_name), 0, 0 },
		{ label_of(STORE_CHILD, FK_last_visit), 1, 0 },
		{ label_of(STORE_CHILD, FK_next_visit_due), 1, 0 },
		{ _("Days overdue"), 1, 1 },
		{ label_of(STORE_CHILD, FK_member_name), 0, 0 },
	};
	struct print_table *t = NULL;
	ret = print_table_open(path, title, info, 1, cols, sizeof(cols) / sizeof(cols[0]), &t,
			       err);
	for (size_t i = 0; ret == XB_OK && i < nk; i++) {
		const struct store_record *c = kids[i];
		if (i == 0 || !same_village(kids[i - 1], c)) {
			size_t in = 1;
			while (i + in < nk && same_village(kids[i + in], c))
				in++;
			village_heading(c, in, heading, sizeof(heading));
			ret = print_table_section(t, heading, err);
			if (ret != XB_OK)
				break;
		}
		const char *due = store_record_get(c, FK_next_visit_due);
		const char *last = store_record_get(c, FK_last_visit);
		char days[32] = "";
		long d = due ? form_days_between(due, today) : -1;
		if (d >= 0)
			snprintf(days, sizeof(days), "%ld", d);
		const char *cells[] = {
			c->id, store_record_get(c, FK_name), last ? last : _("never visited"), due,
			days, store_record_get(c, FK_member_name),
		};
		ret = print_table_row(t, cells, err);
	}
	if (ret == XB_OK)
		ret = print_table_close(&t, pages, err);
	else
		print_table_abort(&t);
	if (ret == XB_OK && n)
		*n = nk;
	store_records_free(kids, nk);
	return ret;
}

/* --- the reports --- */

/* Which reports, in words: as the list of reports says it. */
static void reports_words(const struct ledger_reports_filter *f, char *buf, size_t len)
{
	const char *base = f->unsent ? _("Not yet reported to police")
			   : f->closed ? _("All reports") : _("Reports open");
	if (f->stage != NULL) {
		const struct form_field *sf = form_field_find(STORE_REPORT, FK_stage);
		snprintf(buf, len, "%s: %s", base, sf ? form_choice_label(sf, f->stage) : f->stage);
	} else {
		snprintf(buf, len, "%s", base);
	}
}

int print_reports_pdf(struct store *st, const char *user, const char *today,
		      const struct ledger_reports_filter *f, const char *path,
		      size_t *n, size_t *pages, struct xb_error *err)
{
	struct store_record **reps = NULL;
	size_t nr = 0;
	if (n)
		*n = 0;
	if (pages)
		*pages = 0;
	int ret = ledger_reports_read(st, user, f, &reps, &nr, err);
	if (ret != XB_OK)
		return ret;
	char code[13], name[256], title[512], count[64], line[1024], what[256], shown[300];
	office_words(st, code, name, sizeof(name));
	reports_words(f, what, sizeof(what));
	snprintf(title, sizeof(title), _("%s: mandatory reports (%s)"), name, what);
	snprintf(count, sizeof(count), _("Reports: %zu"), nr);
	office_line(st, today, count, line, sizeof(line));
	snprintf(shown, sizeof(shown), _("Showing: %s"), what);
	const char *info[] = { line, shown };
	const struct print_table_col cols[] = {
		{ label_of(STORE_STEP, FK_report_id), 1, 0 },
		{ label_of(STORE_CHILD, FK_name), 0, 0 },
		{ label_of(STORE_REPORT, FK_category), 0, 0 },
		{ label_of(STORE_REPORT, FK_found_at), 1, 0 },
		{ label_of(STORE_REPORT, FK_reported_at), 1, 0 },
		{ label_of(STORE_REPORT, FK_stage), 0, 0 },
		{ _("Next due"), 1, 0 },
		{ _("Days since found"), 1, 1 },
	};
	struct print_table *t = NULL;
	ret = print_table_open(path, title, info, 2, cols, sizeof(cols) / sizeof(cols[0]), &t,
			       err);
	for (size_t i = 0; ret == XB_OK && i < nr; i++) {
		const struct store_record *r = reps[i];
		const char *case_no = store_record_get(r, FK_case_no);
		struct store_record *child = NULL;
		struct xb_error ignored;
		if (case_no != NULL)
			store_get(st, NULL, STORE_CHILD, case_no, &child, &ignored);
		const char *found = store_record_get(r, FK_found_at);
		const char *reported = store_record_get(r, FK_reported_at);
		char days[32] = "";
		long d = found ? form_days_between(found, today) : -1;
		if (d >= 0)
			snprintf(days, sizeof(days), "%ld", d);
		/* As the reports list shows it: "?" when it cannot be read. */
		struct ledger_due due;
		char due_cell[64] = "?";
		if (ledger_report_due(st, r, today, &due, &ignored) == XB_OK)
			ledger_due_short(&due, due_cell, sizeof(due_cell));
		const char *cells[] = {
			r->id, child ? store_record_get(child, FK_name) : "?",
			choice_of(STORE_REPORT, FK_category, r), found,
			reported ? reported : _("Not reported"),
			choice_of(STORE_REPORT, FK_stage, r), due_cell, days,
		};
		ret = print_table_row(t, cells, err);
		store_record_free(&child);
	}
	if (ret == XB_OK)
		ret = print_table_close(&t, pages, err);
	else
		print_table_abort(&t);
	if (ret == XB_OK && n)
		*n = nr;
	store_records_free(reps, nr);
	return ret;
}

/* --- a village's slips --- */

/* Twelve digits: a village's code as typed. */
static int is_code(const char *s)
{
	size_t i = 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i == 12 && s[i] == '\0';
}

int print_village_slips(struct store *st, const char *user, const char *village,
			const char *today, const char *path, size_t *n,
			char code_out[13], struct xb_error *err)
{
	char code[13], vname[64];
	if (n)
		*n = 0;
	if (village == NULL || *village == '\0')
		return xb_fail(err, XB_EINVAL, _("No village was given."));
	int ret = XB_OK;
	if (is_code(village))
		snprintf(code, sizeof(code), "%s", village);
	else
		ret = ledger_village_find(st, NULL, village, code, vname, err);
	if (ret != XB_OK)
		return ret;
	if (code_out)
		snprintf(code_out, 13, "%s", code);
	struct store_record **kids = NULL;
	size_t nk = 0;
	ret = ledger_village_children(st, user, code, &kids, &nk, err);
	if (ret != XB_OK)
		return ret;
	if (nk == 0) {
		store_records_free(kids, nk);
		return xb_fail(err, XB_ENOTFOUND, _("No child in the ledger lives in village %s."),
			       code);
	}
	/* The folder is tried before any slip is issued: a path that cannot
	 * be written issues nothing. */
	struct print_out probe = { .f = { .fd = -1 } };
	ret = print_out_open(&probe, path, err);
	if (ret != XB_OK) {
		store_records_free(kids, nk);
		return ret;
	}
	print_out_abort(&probe);
	struct store_record *office = NULL;
	char ocode[13];
	struct xb_error ignored;
	if (ledger_office(st, ocode, &ignored) == XB_OK)
		store_get(st, NULL, STORE_OFFICE, ocode, &office, &ignored);
	struct slip_data *slips = calloc(nk, sizeof(*slips));
	if (slips == NULL)
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	for (size_t i = 0; ret == XB_OK && i < nk; i++) {
		unsigned version;
		ret = ledger_slip_issue(st, kids[i]->id, 0, user, &version, err);
		/* the member's phone from their user record, when the file has
		 * none: on the copy printed, never saved */
		if (ret == XB_OK)
			ret = ledger_member_phone_fill(st, kids[i], err);
		if (ret == XB_OK)
			slip_data_fill(office, kids[i], version, today, &slips[i]);
	}
	if (ret == XB_OK)
		ret = slip_pdf(slips, nk, 1, path, err);
	if (ret == XB_OK && n)
		*n = nk;
	free(slips);
	store_record_free(&office);
	store_records_free(kids, nk);
	return ret;
}
