/* edit.c - the commands that change a saved record other than a child:
 * `visit edit`, `report edit`, `report step-edit`, `aid edit`. Each reads
 * the record, puts the typed fields on it and hands it to its ledger
 * operation, which refuses the save when someone changed the record
 * since it was read (or since --expect-version N). */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "../common/i18n.h"

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

int cli_edit_record(struct cli *c, enum store_kind kind, int argc, char **argv,
		    const char *usage, cli_edit_fn save)
{
	long expect = 0;
	const struct cli_option options[] = {
		{ "expect-version", required_argument, .take = take_version, .arg = &expect },
		{ 0 },
	};
	const struct cli_syntax syntax = { options, usage, 1, -1, CLI_DASH_WORDS };
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords >= 0 && expect < 0)
		return cli_usage("%s", usage);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	struct store_record *rec = NULL;
	int ret = cli_get_typed(c, kind, argv[1], &rec);
	if (ret == XB_OK && expect > 0)
		rec->version = (uint32_t)expect;
	if (ret == XB_OK)
		ret = cli_read_fields(c, rec, nwords - 1, argv + 2);
	if (ret == XB_OK)
		ret = save(c->st, rec, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, rec);
		else
			printf(_("Saved %s (version %u).\n"), rec->id, (unsigned)rec->version);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}
