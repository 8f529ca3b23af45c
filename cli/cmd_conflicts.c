/* cmd_conflicts.c - `xiangban conflicts`: the records changed on both
 * sides since the last exchange, field by field, and `conflicts settle`,
 * which keeps one side's version. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../keys/bundle.h"

int cmd_conflicts(struct cli *c, int argc, char **argv)
{
	int ret = cli_store(c);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	if (argc >= 2 && strcmp(argv[1], "settle") == 0) {
		const char *id = NULL, *keep = NULL, *v;
		for (int i = 2; i < argc; i++) {
			if ((v = cli_opt(argc, argv, &i, "--keep")) != NULL)
				keep = v;
			else if (id == NULL)
				id = argv[i];
			else
				keep = NULL, i = argc;
		}
		if (id == NULL || keep == NULL ||
		    (strcmp(keep, "ours") != 0 && strcmp(keep, "theirs") != 0))
			return cli_usage(_("usage: conflicts settle ID --keep ours|theirs"));
		ret = bundle_settle(c->st, id, strcmp(keep, "theirs") == 0, c->user, &c->err);
		if (ret == XB_OK && !c->json)
			printf(_("Settled: %s keeps %s version.\n"), cli_safe(id),
			       strcmp(keep, "theirs") == 0 ? _("the other office's")
							   : _("this office's"));
		return cli_fail(c, ret);
	}
	if (argc != 1)
		return cli_usage(_("usage: conflicts | conflicts settle ID --keep ours|theirs"));
	struct bundle_conflict *cf;
	size_t n;
	ret = bundle_conflicts(c->st, &cf, &n, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct store_record *ours = NULL;
		store_get(c->st, NULL, cf[i].kind, cf[i].id, &ours, NULL);
		struct store_change *ch = NULL;
		size_t nch = 0;
		store_diff(ours, cf[i].theirs, &ch, &nch);
		if (c->json) {
			json_t *j = json_object();
			json_object_set_new(j, "id", json_string(cf[i].id));
			json_object_set_new(j, "kind", json_string(store_kind_name(cf[i].kind)));
			json_object_set_new(j, "from", json_string(cf[i].from));
			json_object_set_new(j, "sequence", json_integer((json_int_t)cf[i].sequence));
			json_object_set_new(j, "ours_version",
					    json_integer(ours ? ours->version : 0));
			json_object_set_new(j, "theirs_version", json_integer(cf[i].theirs_version));
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
			json_array_append_new(arr, j);
		} else {
			printf(_("%s (from office %s, bundle no. %" PRIu64 "): ours v%u, "
				 "theirs v%u\n"),
			       cli_safe(cf[i].id), cli_safe(cf[i].from), cf[i].sequence,
			       ours ? ours->version : 0,
			       cf[i].theirs_version);
			for (size_t f = 0; f < nch; f++) {
				const struct form_field *ff = form_field_find(cf[i].kind, ch[f].key);
				printf(_("    %s: ours \"%s\", theirs \"%s\"\n"),
				       ff ? form_label(ff) : cli_safe(ch[f].key),
				       cli_safe_lines(ch[f].before), cli_safe_lines(ch[f].after));
			}
		}
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
