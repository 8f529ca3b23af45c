/* cmd_aid.c - `xiangban aid add|list|edit|fields`: the assistance a child
 * receives (救助), one dated entry a programme. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

static int aid_add(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: aid add CASE field=value ..."));
	struct store_record *a = store_record_new(STORE_AID);
	if (a == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = cli_read_fields(c, a, argc - 2, argv + 2);
	if (ret == XB_OK)
		ret = store_record_set(a, FK_case_no, argv[1]);
	if (ret == XB_OK)
		ret = ledger_aid_add(c->st, NULL, a, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, a);
		else
			printf(_("Assistance %s saved.\n"), a->id);
	}
	store_record_free(&a);
	return cli_fail(c, ret);
}

static int aid_list(struct cli *c, int argc, char **argv)
{
	int only_current = 0;
	const struct cli_option options[] = {
		{ "current", no_argument, .flag = &only_current },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: aid list CASE [--current]"), 1, 1, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	struct store_record **recs = NULL;
	size_t n = 0;
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_aid_list(c->st, c->user, argv[1], &recs, &n, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		if (only_current && !ledger_aid_current(recs[i], c->today))
			continue;
		if (arr)
			json_array_append_new(arr, cli_record_json(recs[i], c->today));
		else
			cli_print_line(c, recs[i]);
	}
	store_records_free(recs, n);
	if (arr)
		cli_print_json(arr);
	return XB_EXIT_OK;
}

int cmd_aid(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: aid add|list|edit|fields ..."));
	if (strcmp(argv[1], "add") == 0)
		return aid_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return aid_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "edit") == 0)
		return cli_edit_record(c, STORE_AID, argc - 1, argv + 1,
				       _("usage: aid edit ID [--expect-version N] "
					 "field=value ..."),
				       ledger_aid_edit);
	if (strcmp(argv[1], "fields") == 0) {
		cli_print_fields(c, STORE_AID);
		return XB_EXIT_OK;
	}
	return cli_usage(_("unknown aid command %s"), argv[1]);
}
