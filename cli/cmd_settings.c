/* cmd_settings.c - `settings`: what the office has decided for itself,
 * listed, and set by its leader. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

int cmd_settings(struct cli *c, int argc, char **argv)
{
	const struct cli_syntax syntax = {
		NULL, _("usage: settings [KEY VALUE]"), 0, 2, CLI_DASH_WORDS,
	};
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	if (nwords == 1)
		return cli_usage("%s", _("usage: settings [KEY VALUE]"));
	int ret = cli_store(c);
	if (ret == XB_OK && nwords == 2) {
		ret = ledger_setting_set(c->st, c->user, argv[1], argv[2], &c->err);
		if (ret == XB_OK && !c->json)
			printf(_("%s is now %s.\n"), cli_safe(argv[1]), cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	if (ret == XB_OK)
		ret = ledger_may(&c->who, LEDGER_READ, NULL, &c->err);
	if (ret)
		return cli_fail(c, ret);
	size_t n;
	const struct ledger_setting *s = ledger_settings(&n);
	json_t *all = json_object();
	for (size_t i = 0; i < n && ret == XB_OK; i++) {
		char v[256];
		ret = ledger_setting_get(c->st, s[i].key, v, sizeof(v), &c->err);
		if (ret != XB_OK)
			break;
		if (c->json) {
			json_object_set_new(all, s[i].key, json_string(v));
		} else {
			cli_print_padded(s[i].key, 26);
			cli_print_padded(v, 8);
			printf(" %s\n", _(s[i].label));
		}
	}
	if (ret == XB_OK && c->json)
		cli_print_json(all);
	else
		json_decref(all);
	return cli_fail(c, ret);
}
