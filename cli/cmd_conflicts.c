/* cmd_conflicts.c - `xiangban conflicts`: the records changed on both
 * sides since the last exchange, field by field, and `conflicts settle`,
 * which keeps one side's version. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

/* `conflicts settle ID --keep ours|theirs`: argv[0] is "settle". */
static int settle(struct cli *c, int argc, char **argv)
{
	const char *keep = NULL;
	const struct cli_option options[] = {
		{ "keep", required_argument, .value = &keep, .required = 1 },
		{ 0 },
	};
	const char *usage = _("usage: conflicts settle ID --keep ours|theirs");
	const struct cli_syntax syntax = { options, usage, 1, 1, CLI_DASH_WORDS };
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	const char *id = argv[1];
	int theirs = strcmp(keep, "theirs") == 0;
	if (!theirs && strcmp(keep, "ours") != 0)
		return cli_usage("%s", usage);
	int ret = bundle_settle(c->st, id, theirs, c->user, &c->err);
	if (ret == XB_OK && !c->json)
		printf(_("Settled: %s keeps %s version.\n"), cli_safe(id),
		       theirs ? _("the other office's") : _("this office's"));
	return cli_fail(c, ret);
}

/* A conflict as JSON: the record, the bundle it came in, both versions
 * and each field that differs, ours and theirs. */
static json_t *conflict_json(const struct bundle_conflict *cf,
			     const struct store_record *ours,
			     const struct store_change *ch, size_t nch)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(cf->id));
	json_object_set_new(j, "kind", json_string(store_kind_name(cf->kind)));
	json_object_set_new(j, "from", json_string(cf->from));
	json_object_set_new(j, "sequence", json_integer((json_int_t)cf->sequence));
	json_object_set_new(j, "ours_version", json_integer(ours ? ours->version : 0));
	json_object_set_new(j, "theirs_version", json_integer(cf->theirs_version));
	json_t *fields = json_object();
	for (size_t f = 0; f < nch; f++) {
		json_t *d = json_object();
		json_object_set_new(d, "ours", ch[f].before ? json_string(ch[f].before)
							    : json_null());
		json_object_set_new(d, "theirs", ch[f].after ? json_string(ch[f].after)
							     : json_null());
		json_object_set_new(fields, ch[f].key, d);
	}
	json_object_set_new(j, "fields", fields);
	return j;
}

/* A conflict as text: a line for the record, one for each field. */
static void print_conflict(const struct bundle_conflict *cf,
			   const struct store_record *ours,
			   const struct store_change *ch, size_t nch)
{
	printf(_("%s (from office %s, bundle no. %" PRIu64 "): ours v%u, "
		 "theirs v%u\n"),
	       cli_safe(cf->id), cli_safe(cf->from), cf->sequence,
	       ours ? ours->version : 0, cf->theirs_version);
	for (size_t f = 0; f < nch; f++) {
		const struct form_field *ff = form_field_find(cf->kind, ch[f].key);
		printf(_("    %s: ours \"%s\", theirs \"%s\"\n"),
		       ff ? form_label(ff) : cli_safe(ch[f].key),
		       cli_safe_lines(ch[f].before), cli_safe_lines(ch[f].after));
	}
}

/* `conflicts`: each record kept apart, ours beside theirs. */
static int list_conflicts(struct cli *c)
{
	struct bundle_conflict *cf;
	size_t n;
	int ret = bundle_conflicts(c->st, &cf, &n, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct store_record *ours = NULL;
		store_get(c->st, NULL, cf[i].kind, cf[i].id, &ours, NULL);
		struct store_change *ch = NULL;
		size_t nch = 0;
		store_diff(ours, cf[i].theirs, &ch, &nch);
		if (c->json)
			json_array_append_new(arr, conflict_json(&cf[i], ours, ch, nch));
		else
			print_conflict(&cf[i], ours, ch, nch);
		store_changes_free(ch, nch);
		store_record_free(&ours);
	}
	if (c->json)
		cli_print_json(arr);
	else {
		if (n == 0)
			printf("%s\n", _("No conflicts to settle."));
		json_decref(arr);
	}
	bundle_conflicts_free(cf, n);
	return cli_fail(c, XB_OK);
}

int cmd_conflicts(struct cli *c, int argc, char **argv)
{
	int ret = cli_store(c);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	if (argc >= 2 && strcmp(argv[1], "settle") == 0)
		return settle(c, argc - 1, argv + 1);
	if (argc != 1)
		return cli_usage(_("usage: conflicts | conflicts settle ID --keep ours|theirs"));
	/* Both sides of any record: for who settles them. */
	ret = ledger_may(&c->who, LEDGER_EXCHANGE, NULL, &c->err);
	return ret ? cli_fail(c, ret) : list_conflicts(c);
}
