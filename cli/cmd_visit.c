/* cmd_visit.c - `xiangban visit add|list|edit|fields`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

static int visit_add(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: visit add CASE field=value ..."));
	struct store_record *v = store_record_new(STORE_VISIT);
	if (v == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = cli_read_fields(c, v, argc - 2, argv + 2);
	if (ret == XB_OK)
		ret = store_record_set(v, FK_case_no, argv[1]);
	if (ret == XB_OK)
		ret = ledger_visit_add(c->st, NULL, v, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, v);
		else
			printf(_("Visit %s saved.\n"), v->id);
	}
	store_record_free(&v);
	return cli_fail(c, ret);
}

static int visit_list(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(_("usage: visit list CASE"));
	char prefix[96];
	struct store_iter *it;
	int ret = cli_case_arg(c, argv[1]);
	snprintf(prefix, sizeof(prefix), "%s/", argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	/* The child named, as the user may see it: not found, or not theirs,
	 * is told rather than listed as no visits. */
	struct store_record *child = NULL;
	if (ret == XB_OK)
		ret = ledger_child_read(c->st, c->user, argv[1], &child, &c->err);
	store_record_free(&child);
	if (ret == XB_OK)
		ret = store_iter_open(c->st, STORE_VISIT, STORE_BY_ID, STORE_PREFIX,
				      prefix, &it, &c->err);
	if (ret)
		return cli_fail(c, ret);
	int code = cli_list_iter(c, it, 0, NULL, NULL);
	store_iter_close(&it);
	return code;
}

int cmd_visit(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: visit add|list|edit|fields ..."));
	if (strcmp(argv[1], "add") == 0)
		return visit_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return visit_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "edit") == 0)
		return cli_edit_record(c, STORE_VISIT, argc - 1, argv + 1,
				       _("usage: visit edit ID [--expect-version N] "
					 "field=value ..."),
				       ledger_visit_correct);
	if (strcmp(argv[1], "fields") == 0) {
		cli_print_fields(c, STORE_VISIT);
		return XB_EXIT_OK;
	}
	return cli_usage(_("unknown visit command %s"), argv[1]);
}
