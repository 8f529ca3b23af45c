/* cmd_child.c - `xiangban child add|edit|show|list|exit|fields`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

/* Tells the clerk what the policy says about a child just saved. */
static void print_warnings(struct cli *c, const struct store_record *child)
{
	unsigned fl = form_child_flags(child, c->today);
	if (fl & FORM_FLAG_OVER_AGE)
		fprintf(stderr, _("warning: %s is 16 or older and is not a "
				  "left-behind child under the policy.\n"),
			child->id);
	if (fl & FORM_FLAG_NOT_LEFT_BEHIND)
		fprintf(stderr, _("warning: %s: the parents' situation does not "
				  "make a left-behind child (both away, or one "
				  "away and the other without capacity).\n"),
			child->id);
	if (fl & FORM_FLAG_UNSUPERVISED)
		fprintf(stderr, _("warning: %s has no guardian: a child under 16 "
				  "must not live without one; arrange a "
				  "guardian.\n"),
			child->id);
	if (fl & FORM_FLAG_TURNS16_SOON)
		fprintf(stderr, _("note: %s turns 16 within 30 days.\n"), child->id);
}

/* Tells the clerk of one child already in the ledger whom the child just
 * registered may be. */
static int warn_similar(const struct store_record *other, void *arg)
{
	const struct store_record *child = arg;
	const char *village = store_record_get(other, FK_village);
	fprintf(stderr, _("warning: %s has no ID number and may be the same "
			  "child as case %s (%s, %s); if so, keep one file "
			  "and remove the other.\n"),
		child->id, other->id, cli_safe(store_record_get(other, FK_name)),
		cli_safe(village ? village : "-"));
	return 0;
}

/* The children already in the ledger whom a child saved without an ID
 * number may be (a warning: the child is saved all the same). */
static void print_similar(struct cli *c, const struct store_record *child)
{
	struct xb_error err = { 0 };
	if (store_record_get(child, FK_id_number) != NULL)
		return;
	if (ledger_child_similar(c->st, NULL, child, warn_similar, (void *)child,
				 &err) != XB_OK)
		fprintf(stderr, _("warning: could not look for the same child "
				  "in the ledger: %s\n"),
			err.msg);
}

/* --expect-version N: a version from 1 into the long at expect; once a
 * value is refused, -1 stays. */
static int take_version(void *expect, const char *value)
{
	long *v = expect, n;
	if (*v < 0)
		return 0;
	if (cli_number(value, &n) != 0 || n == 0 || n > (long)UINT32_MAX)
		*v = -1;
	else
		*v = n;
	return 0;
}

/* Reads the line of child edit or child exit: the case and the fields as
 * words, at least min_words, and --expect-version N anywhere among them
 * (0 when absent). The number of words, or -1 (told with usage). */
static int edit_line(int argc, char **argv, int min_words, const char *usage,
		     long *expect)
{
	const struct cli_option options[] = {
		{ "expect-version", required_argument, .take = take_version, .arg = expect },
		{ 0 },
	};
	const struct cli_syntax syntax = { options, usage, min_words, -1, CLI_DASH_WORDS };
	*expect = 0;
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords >= 0 && *expect < 0) {
		cli_usage("%s", usage);
		return -1;
	}
	return nwords;
}

static int child_add(struct cli *c, int argc, char **argv)
{
	struct store_record *rec = store_record_new(STORE_CHILD);
	if (rec == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = cli_read_fields(c, rec, argc, argv);
	if (ret == XB_OK)
		ret = ledger_child_add(c->st, NULL, rec, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, rec);
		else
			printf(_("Registered %s, case number %s.\n"),
			       store_record_get(rec, FK_name), rec->id);
		print_warnings(c, rec);
		print_similar(c, rec);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}

static int child_edit(struct cli *c, int argc, char **argv)
{
	long expect;
	int nwords = edit_line(argc, argv, 1,
			       _("usage: child edit CASE [--expect-version N] field=value ..."),
			       &expect);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	struct store_record *rec = NULL;
	int ret = cli_get_typed(c, STORE_CHILD, argv[1], &rec);
	if (ret == XB_OK && expect > 0)
		rec->version = (uint32_t)expect;
	if (ret == XB_OK)
		ret = cli_read_fields(c, rec, nwords - 1, argv + 2);
	if (ret == XB_OK)
		ret = ledger_child_edit(c->st, rec, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, rec);
		else
			printf(_("Saved %s (version %u).\n"), rec->id,
			       (unsigned)rec->version);
		print_warnings(c, rec);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}

/* Collects the records under a case (visits or reports) into JSON or
 * prints them as lines under a heading. */
static int list_under(struct cli *c, enum store_kind kind, const char *id,
		      const char *heading, json_t *into, const char *jkey)
{
	char prefix[96];
	struct store_iter *it;
	struct store_record *r;
	snprintf(prefix, sizeof(prefix), "%s/", id);
	int ret = store_iter_open(c->st, kind, STORE_BY_ID, STORE_PREFIX, prefix,
				  &it, &c->err);
	if (ret)
		return ret;
	json_t *arr = into ? json_array() : NULL;
	int first = 1;
	while ((ret = store_iter_next(it, &r, NULL, &c->err)) == 1) {
		if (arr) {
			json_array_append_new(arr, cli_record_json(r, c->today));
		} else {
			if (first)
				printf("\n[%s]\n", heading);
			first = 0;
			fputs("  ", stdout);
			cli_print_line(c, r);
		}
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (arr)
		json_object_set_new(into, jkey, arr);
	return ret < 0 ? ret : XB_OK;
}

static int child_show(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(_("usage: child show CASE"));
	struct store_record *rec = NULL;
	int ret = cli_get_typed(c, STORE_CHILD, argv[1], &rec);
	if (ret == XB_OK) {
		json_t *j = c->json ? cli_record_json(rec, c->today) : NULL;
		if (!c->json)
			cli_print_record(c, rec);
		ret = list_under(c, STORE_VISIT, rec->id, _("Visits"), j, "visits");
		if (ret == XB_OK)
			ret = list_under(c, STORE_REPORT, rec->id, _("Reports"), j,
					 "reports");
		if (j)
			cli_print_json(j);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}

struct list_filter {
	unsigned flag;
	const char *due_before;
	const char *status;
	const char *today;
};

static int keep_child(const struct store_record *r, void *arg)
{
	struct list_filter *f = arg;
	if (f->flag && !(form_child_flags(r, f->today) & f->flag))
		return 0;
	if (f->status != NULL) {
		const char *st = store_record_get(r, FK_status);
		if (st == NULL || strcmp(st, f->status) != 0)
			return 0;
	}
	if (f->due_before != NULL) {
		const char *due = store_record_get(r, FK_next_visit_due);
		if (due == NULL || strcmp(due, f->due_before) >= 0)
			return 0;
	}
	return 1;
}

static const struct {
	const char *name;
	unsigned bit;
} flag_names[] = {
	{ "unsupervised", FORM_FLAG_UNSUPERVISED },
	{ "turns16_soon", FORM_FLAG_TURNS16_SOON },
	{ "over_age", FORM_FLAG_OVER_AGE },
	{ "not_left_behind", FORM_FLAG_NOT_LEFT_BEHIND },
	{ "no_hukou", FORM_FLAG_NO_HUKOU },
	{ "out_of_school", FORM_FLAG_OUT_OF_SCHOOL },
	{ "visit_overdue", FORM_FLAG_VISIT_OVERDUE },
};

/* --flag FLAG, given again for any of several. */
static int take_flag(void *flags, const char *name)
{
	for (size_t k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
		if (strcmp(flag_names[k].name, name) == 0) {
			*(unsigned *)flags |= flag_names[k].bit;
			return 0;
		}
	cli_usage(_("unknown flag %s"), name);
	return -1;
}

static int child_list(struct cli *c, int argc, char **argv)
{
	const char *village = NULL, *status = NULL;
	struct list_filter filt = { 0, NULL, NULL, c->today };
	long limit = 0;
	const struct cli_option options[] = {
		{ "village", required_argument, .value = &village },
		{ "status", required_argument, .value = &status },
		{ "due-before", required_argument, .value = &filt.due_before },
		{ "limit", required_argument, .take = cli_take_limit, .arg = &limit },
		{ "flag", required_argument, .take = take_flag, .arg = &filt.flag },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: child list [--village CODE] [--status active|exited] [--flag FLAG] "
		  "[--due-before DATE] [--limit N]"),
		0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	enum store_index index = STORE_BY_ID;
	const char *key = NULL;
	if (village != NULL) {
		index = STORE_BY_VILLAGE;
		key = village;
		filt.status = status; /* narrowed while listing */
	} else if (status != NULL) {
		index = STORE_BY_STATUS;
		key = status;
	} else if (filt.due_before != NULL) {
		index = STORE_BY_DUE;
	}
	/* A village list may narrow by status too. */
	struct store_iter *it;
	ret = store_iter_open(c->st, STORE_CHILD, index,
			      key ? STORE_EXACT : STORE_ALL, key, &it, &c->err);
	if (ret)
		return cli_fail(c, ret);
	int code = cli_list_iter(c, it, (size_t)limit, keep_child, &filt);
	store_iter_close(&it);
	return code;
}

static int child_exit(struct cli *c, int argc, char **argv)
{
	long expect;
	int nwords = edit_line(argc, argv, 2,
			       _("usage: child exit CASE exit_reason=REASON [exit_date=DATE] "
				 "[--expect-version N]"),
			       &expect);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	struct store_record *fields = store_record_new(STORE_CHILD);
	if (fields == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_read_fields(c, fields, nwords - 1, argv + 2);
	for (size_t k = 0; ret == XB_OK && k < fields->nfields; k++)
		if (strcmp(fields->fields[k].key, FK_exit_reason) != 0 &&
		    strcmp(fields->fields[k].key, FK_exit_date) != 0)
			ret = xb_fail(&c->err, XB_EINVAL,
				      _("Only the reason and the date of leaving "
					"are given here."));
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK) {
		const struct form_field *f = form_field_find(STORE_CHILD, FK_exit_reason);
		const char *reason = store_record_get(fields, FK_exit_reason);
		const char *code = reason ? form_choice_code(f, reason) : NULL;
		ret = ledger_child_exit(c->st, argv[1], code ? code : reason,
					store_record_get(fields, FK_exit_date),
					(uint32_t)expect, c->user, &c->err);
	}
	if (ret == XB_OK && !c->json)
		printf(_("%s has left the ledger.\n"), argv[1]);
	store_record_free(&fields);
	return cli_fail(c, ret);
}

int cmd_child(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: child add|edit|show|list|exit|fields ..."));
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "add") == 0)
		return child_add(c, argc - 1, argv + 1);
	if (strcmp(sub, "edit") == 0)
		return child_edit(c, argc, argv);
	if (strcmp(sub, "show") == 0)
		return child_show(c, argc, argv);
	if (strcmp(sub, "list") == 0)
		return child_list(c, argc, argv);
	if (strcmp(sub, "exit") == 0)
		return child_exit(c, argc, argv);
	if (strcmp(sub, "fields") == 0) {
		cli_print_fields(c, STORE_CHILD);
		return XB_EXIT_OK;
	}
	return cli_usage(_("unknown child command %s"), sub);
}
