/* cmd_report.c - `xiangban report add|step|show|list|edit|step-edit|fields`:
 * mandatory reports, the timeline of their handling and the township's
 * next deadline in it, and corrections. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

/* Before a step is added: checked, and a closing confirmed (--yes, or
 * y at the terminal). XB_EXIT_OK to go on, else the exit status (told). */
static int step_confirmed(struct cli *c, const struct store_record *s, int yes)
{
	int ret = ledger_report_step_check(c->st, s, c->user, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	const struct form_field *f = form_field_find(STORE_STEP, FK_step);
	const char *step = store_record_get(s, FK_step);
	const char *code = step ? form_choice_code(f, step) : NULL;
	if (code == NULL || strcmp(code, "closed") != 0)
		return XB_EXIT_OK;
	const char *rid = store_record_get(s, FK_report_id);
	char case_no[LEDGER_CASE_MAX], q[512];
	struct store_record *child = NULL;
	snprintf(case_no, sizeof(case_no), "%.*s", (int)strcspn(rid, "/"), rid);
	ret = ledger_child_read(c->st, c->user, case_no, &child, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	snprintf(q, sizeof(q), _("Close %s's report %s?"),
		 store_record_get(child, FK_name), rid);
	store_record_free(&child);
	return cli_confirm(c, yes, q);
}

/* Adds a report (under a case) or a step (under a report). */
static int add_under(struct cli *c, int argc, char **argv,
		     enum store_kind kind, const char *parent_key)
{
	int yes = 0;
	if (kind == STORE_STEP) {
		const struct cli_option options[] = {
			{ "yes", no_argument, .flag = &yes },
			{ 0 },
		};
		const struct cli_syntax syntax = {
			options, _("usage: report step REPORT field=value ... [--yes]"),
			1, -1, CLI_DASH_WORDS,
		};
		int nwords = cli_parse(argc, argv, &syntax);
		if (nwords < 0)
			return XB_EXIT_USAGE;
		argc = nwords + 1;
	}
	struct store_record *r = store_record_new(kind);
	if (r == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	char request[LEDGER_REQUEST_MAX] = "";
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = cli_read_fields(c, r, argc - 2, argv + 2);
	if (ret == XB_OK)
		ret = store_record_set(r, parent_key, argv[1]);
	if (ret == XB_OK && kind == STORE_STEP) {
		int status = step_confirmed(c, r, yes);
		if (status != XB_EXIT_OK) {
			store_record_free(&r);
			return status;
		}
	}
	if (ret == XB_OK)
		ret = kind == STORE_REPORT
			      ? ledger_report_add(c->st, NULL, r, c->user, &c->err)
			      : ledger_report_step(c->st, NULL, r, c->user, request, &c->err);
	if (ret == XB_OK && cli_print_waiting(c, request)) {
		store_record_free(&r);
		return XB_EXIT_OK;
	}
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, r);
		else if (kind == STORE_REPORT)
			printf(_("Report %s filed.\n"), r->id);
		else
			printf(_("Step %s added.\n"), r->id);
		const char *reported = store_record_get(r, FK_reported_at);
		if (kind == STORE_REPORT && reported == NULL)
			fprintf(stderr, _("note: report %s has not been reported to "
					  "the police yet; that is due at once.\n"),
				r->id);
	}
	store_record_free(&r);
	return cli_fail(c, ret);
}

/* The report and the head of its timeline: found, and reported to the
 * police (when, and how late), or not yet. */
static void print_report_head(struct cli *c, const struct store_record *r)
{
	const char *found = store_record_get(r, FK_found_at);
	const char *reported = store_record_get(r, FK_reported_at);
	cli_print_record(c, r);
	printf("\n[%s]\n", _("Timeline"));
	printf("  %-16s  %s\n", cli_safe(found), _("found"));
	if (reported == NULL) {
		printf("  %-16s  %s\n", "-", _("NOT YET REPORTED TO POLICE (due at once)"));
		return;
	}
	long d = form_days_between(found, reported);
	printf("  %-16s  %s", cli_safe(reported), _("reported to police"));
	if (d > 0)
		printf(_("  (%ld days after it was found: due the "
			 "same day)"), d);
	putchar('\n');
}

/* A step of the timeline with the days since the one before (prev, the
 * date of that one, becomes this one's). The step "reported" is shown in
 * the head already. */
static void print_step(const struct store_record *s, char prev[32])
{
	if (strcmp(store_record_get(s, FK_step), "reported") == 0)
		return;
	const struct form_field *f = form_field_find(STORE_STEP, FK_step);
	const char *date = store_record_get(s, FK_date);
	long d = form_days_between(prev, date);
	printf("  %-16s  %s  %s", cli_safe(date),
	       cli_safe(form_choice_label(f, store_record_get(s, FK_step))),
	       cli_safe(store_record_get(s, FK_by)));
	if (d >= 0)
		printf(_("  (+%ld days)"), d);
	putchar('\n');
	if (store_record_get(s, FK_note))
		printf("  %16s    %s\n", "", cli_safe_lines(store_record_get(s, FK_note)));
	snprintf(prev, 32, "%s", date);
}

static int report_show(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(_("usage: report show REPORT"));
	struct store_record *r = NULL;
	int ret = cli_get_typed(c, STORE_REPORT, argv[1], &r);
	if (ret)
		return cli_fail(c, ret);
	char prefix[96];
	snprintf(prefix, sizeof(prefix), "%s/", r->id);
	struct store_iter *it;
	ret = store_iter_open(c->st, STORE_STEP, STORE_BY_ID, STORE_PREFIX, prefix,
			      &it, &c->err);
	if (ret) {
		store_record_free(&r);
		return cli_fail(c, ret);
	}
	json_t *j = c->json ? cli_record_json(r, c->today) : NULL;
	json_t *steps = c->json ? json_array() : NULL;
	const char *reported = store_record_get(r, FK_reported_at);
	if (!c->json)
		print_report_head(c, r);
	struct store_record *s;
	char prev[32];
	snprintf(prev, sizeof(prev), "%s", reported ? reported : store_record_get(r, FK_found_at));
	while ((ret = store_iter_next(it, &s, NULL, &c->err)) == 1) {
		if (steps)
			json_array_append_new(steps, cli_record_json(s, c->today));
		else
			print_step(s, prev);
		store_record_free(&s);
	}
	store_iter_close(&it);
	/* What the township owes next, by when: days left or late. */
	struct ledger_due due;
	if (ret >= 0)
		ret = ledger_report_due(c->st, r, c->today, &due, &c->err);
	store_record_free(&r);
	if (ret == XB_OK && !c->json && due.stage[0] != '\0') {
		char line[256];
		ledger_due_text(&due, line, sizeof(line));
		printf("\n  %s\n", cli_safe(line));
	}
	if (j && ret == XB_OK) {
		int any = due.stage[0] != '\0';
		json_object_set_new(j, "steps", steps);
		json_object_set_new(j, "next_stage", any ? json_string(due.stage) : json_null());
		json_object_set_new(j, "due", any ? json_string(due.due) : json_null());
		json_object_set_new(j, "days_left",
				    any ? json_integer((json_int_t)due.days_left) : json_null());
		cli_print_json(j);
	} else if (j) {
		json_decref(steps);
		json_decref(j);
	}
	return cli_fail(c, ret < 0 ? ret : XB_OK);
}

struct report_filter {
	int open_only;
	const char *case_no;
};

static int keep_report(const struct store_record *r, void *arg)
{
	struct report_filter *f = arg;
	const char *status = store_record_get(r, FK_status);
	const char *case_no = store_record_get(r, FK_case_no);
	if (f->open_only && status != NULL && strcmp(status, "closed") == 0)
		return 0;
	/* Listing by stage, a case narrows it. */
	if (f->case_no != NULL && (case_no == NULL || strcmp(case_no, f->case_no) != 0))
		return 0;
	return 1;
}

static int report_list(struct cli *c, int argc, char **argv)
{
	struct report_filter filt = { 0, NULL };
	const char *stage = NULL;
	const struct cli_option options[] = {
		{ "open", no_argument, .flag = &filt.open_only },
		{ "stage", required_argument, .value = &stage },
		{ "case", required_argument, .value = &filt.case_no },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: report list [--open] [--stage STAGE] [--case CASE]"), 0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	char prefix[96];
	struct store_iter *it;
	int ret = cli_store(c);
	if (ret == XB_OK && stage != NULL) {
		const char *code = form_choice_code(form_field_find(STORE_REPORT, FK_stage),
						    stage);
		if (code == NULL)
			return cli_usage(_("unknown stage %s"), stage);
		ret = store_iter_open(c->st, STORE_REPORT, STORE_BY_STAGE, STORE_EXACT,
				      code, &it, &c->err);
	} else if (ret == XB_OK && filt.case_no != NULL) {
		snprintf(prefix, sizeof(prefix), "%s/", filt.case_no);
		ret = store_iter_open(c->st, STORE_REPORT, STORE_BY_ID, STORE_PREFIX,
				      prefix, &it, &c->err);
	} else if (ret == XB_OK) {
		ret = store_iter_open(c->st, STORE_REPORT, STORE_BY_ID, STORE_ALL, NULL,
				      &it, &c->err);
	}
	if (ret)
		return cli_fail(c, ret);
	int code = cli_list_iter(c, it, 0, keep_report, &filt);
	store_iter_close(&it);
	return code;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: report add|step|show|list|edit|step-edit|fields ..."));
	const char *sub = argv[1];
	if (strcmp(sub, "add") == 0 || strcmp(sub, "step") == 0) {
		if (argc < 3)
			return cli_usage(strcmp(sub, "add") == 0
						 ? _("usage: report add CASE field=value ...")
						 : _("usage: report step REPORT field=value ... [--yes]"));
		return strcmp(sub, "add") == 0
			       ? add_under(c, argc - 1, argv + 1, STORE_REPORT, FK_case_no)
			       : add_under(c, argc - 1, argv + 1, STORE_STEP, FK_report_id);
	}
	if (strcmp(sub, "show") == 0)
		return report_show(c, argc - 1, argv + 1);
	if (strcmp(sub, "edit") == 0)
		return cli_edit_record(c, STORE_REPORT, argc - 1, argv + 1,
				       _("usage: report edit REPORT [--expect-version N] "
					 "police_station=... receipt_no=..."),
				       ledger_report_edit);
	if (strcmp(sub, "step-edit") == 0 || strcmp(sub, "edit-step") == 0)
		return cli_edit_record(c, STORE_STEP, argc - 1, argv + 1,
				       _("usage: report step-edit STEP [--expect-version N] "
					 "field=value ..."),
				       ledger_step_correct);
	if (strcmp(sub, "list") == 0)
		return report_list(c, argc - 1, argv + 1);
	if (strcmp(sub, "fields") == 0) {
		cli_print_fields(c, STORE_REPORT);
		cli_print_fields(c, STORE_STEP);
		return XB_EXIT_OK;
	}
	return cli_usage(_("unknown report command %s"), sub);
}
