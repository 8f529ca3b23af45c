/* cmd_bundle.c - the bundles between township and county: `xiangban
 * export` writes one, `xiangban import` reads one in, `xiangban bundles`
 * is the log of those sent and received. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

static void progress(void *arg, uint64_t done, uint64_t total)
{
	const char *what = arg;
	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r%s %" PRIu64 " / %" PRIu64, what, done, total);
	if (done == total)
		fputc('\n', stderr);
}

static void print_counts(const struct bundle_counts *bc)
{
	static const enum store_kind kinds[] = { STORE_OFFICE, STORE_CHILD, STORE_VISIT,
						 STORE_REPORT, STORE_STEP, STORE_TABLE, STORE_AID,
						 STORE_REQUEST, STORE_TRANSFER };
	static const char *const labels[] = { N_("offices"), N_("children"), N_("visits"),
					      N_("reports"), N_("report steps"),
					      N_("statistics tables"),
					      N_("assistance entries"),
					      N_("approval requests"), N_("transfers") };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		printf("  %-12s %" PRIu64 "\n", _(labels[i]), bc->kind[kinds[i]]);
}

/* A township sends to its county unless told otherwise; a county names
 * the township. */
static int receiver(struct cli *c, const char *office, char out[13])
{
	char self[13];
	int ret = ledger_office(c->st, self, &c->err);
	if (ret != XB_OK)
		return ret;
	if (office != NULL) {
		snprintf(out, 13, "%s", office);
		return XB_OK;
	}
	if (strlen(self) == 9) {
		snprintf(out, 13, "%.6s", self);
		return XB_OK;
	}
	return xb_fail(&c->err, XB_EINVAL,
		       _("Name the township to send to: --office CODE."));
}

/* Tells what export wrote, as text or JSON. */
static void print_export(struct cli *c, const struct bundle_export_result *res,
			 const char *to)
{
	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "file", json_string(res->path));
		json_object_set_new(j, "to", json_string(to));
		json_object_set_new(j, "sequence", json_integer((json_int_t)res->sequence));
		json_object_set_new(j, "records", json_integer((json_int_t)res->counts.total));
		json_object_set_new(j, "children",
				    json_integer((json_int_t)res->counts.kind[STORE_CHILD]));
		json_t *counts = json_object();
		for (int k = 1; k <= STORE_KIND_MAX; k++)
			if (k != STORE_USER && k != STORE_VILLAGE &&
			    strcmp(store_kind_name((enum store_kind)k), "unknown") != 0)
				json_object_set_new(counts, store_kind_name((enum store_kind)k),
						    json_integer((json_int_t)res->counts.kind[k]));
		json_object_set_new(j, "counts", counts);
		json_object_set_new(j, "bytes", json_integer((json_int_t)res->bytes));
		json_object_set_new(j, "sha256", json_string(res->sha256));
		cli_print_json(j);
		return;
	}
	printf(_("Bundle no. %" PRIu64 " to office %s written and checked: %s\n"),
	       res->sequence, cli_safe(to), cli_safe(res->path));
	print_counts(&res->counts);
	printf("%s\n", _("You may now remove the stick."));
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *dir = NULL, *office = NULL;
	int all = 0, tables = 0;
	const struct cli_option options[] = {
		{ "to", required_argument, .value = &dir, .required = 1 },
		{ "office", required_argument, .value = &office },
		{ "all", no_argument, .flag = &all },
		{ "tables", no_argument, .flag = &tables },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: export --to DIR [--office CODE] [--all] [--tables]"), 0, 0,
		0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	struct keys *k = NULL;
	char to[13];
	int ret = cli_keys_open(c, &k);
	if (ret == XB_OK)
		ret = receiver(c, office, to);
	struct bundle_export_result res;
	if (ret == XB_OK) {
		ret = bundle_export(c->st, k, to, dir,
				    (all ? BUNDLE_ALL : 0) | (tables ? BUNDLE_TABLES_ONLY : 0),
				    c->user, progress,
				    (void *)_("writing records"), &res, &c->err);
		ret = cli_key_pass_result(c, ret);
	}
	keys_close(&k);
	if (ret == XB_OK)
		print_export(c, &res, to);
	return cli_fail(c, ret);
}

/* Tells what import read in, as text or JSON. */
static void print_import(struct cli *c, const struct bundle_import_result *res)
{
	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "from", json_string(res->from));
		json_object_set_new(j, "sequence", json_integer((json_int_t)res->sequence));
		json_object_set_new(j, "duplicate", json_boolean(res->duplicate));
		json_object_set_new(j, "missing_before", json_integer((json_int_t)res->missing));
		json_object_set_new(j, "records", json_integer((json_int_t)res->counts.total));
		json_object_set_new(j, "added", json_integer((json_int_t)res->added));
		json_object_set_new(j, "replaced", json_integer((json_int_t)res->replaced));
		json_object_set_new(j, "same", json_integer((json_int_t)res->same));
		json_object_set_new(j, "older", json_integer((json_int_t)res->older));
		json_object_set_new(j, "conflicts", json_integer((json_int_t)res->conflicts));
		json_object_set_new(j, "transfers_in",
				    json_integer((json_int_t)res->transfers_in));
		json_object_set_new(j, "signer", json_string(res->signer));
		cli_print_json(j);
		return;
	}
	if (res->duplicate) {
		printf(_("Bundle no. %" PRIu64 " from office %s was imported before; "
			 "nothing changed.\n"),
		       res->sequence, cli_safe(res->from));
		return;
	}
	printf(_("Bundle no. %" PRIu64 " from office %s imported.\n"), res->sequence,
	       cli_safe(res->from));
	if (res->missing)
		printf(_("Warning: %" PRIu64 " bundle(s) before it were never "
			 "imported.\n"),
		       res->missing);
	print_counts(&res->counts);
	printf(_("  new %" PRIu64 ", updated %" PRIu64 ", unchanged %" PRIu64
		 ", older than ours %" PRIu64 ", conflicts %" PRIu64 "\n"),
	       res->added, res->replaced, res->same, res->older, res->conflicts);
	if (res->conflicts)
		printf("%s\n", _("Records changed on both sides were kept "
				 "apart: see `xiangban conflicts`."));
	if (res->transfers_in)
		printf(ngettext("%" PRIu64 " child was transferred here from another "
				"township: see `xiangban child list --flag no_village` "
				"for one who needs a village.\n",
				"%" PRIu64 " children were transferred here from another "
				"township: see `xiangban child list --flag no_village` "
				"for those who need a village.\n",
				(unsigned long)res->transfers_in),
		       res->transfers_in);
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	int allow_gap = 0;
	const struct cli_option options[] = {
		{ "allow-gap", no_argument, .flag = &allow_gap },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: import FILE [--allow-gap]"), 1, 1, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	const char *path = argv[1];
	struct keys *k = NULL;
	struct bundle_import_result res;
	int ret = cli_keys_open(c, &k);
	if (ret == XB_OK) {
		ret = bundle_import(c->st, k, path, allow_gap, c->user, progress,
				    (void *)_("reading records"), &res, &c->err);
		ret = cli_key_pass_result(c, ret);
	}
	keys_close(&k);
	if (ret == XB_OK)
		print_import(c, &res);
	return cli_fail(c, ret);
}

/* A line of the bundle log: when, to or from which office, the
 * sequence, the file and who. */
static void print_log_entry(json_t *e, const char *office, int received)
{
	char when[32];
	cli_format_date(json_integer_value(json_object_get(e, received ? "imported_at"
								    : "created_at")),
			when, sizeof(when));
	printf(received ? _("%s  from %s  no. %" PRIu64 "  %s  by %s\n")
			: _("%s  to %s  no. %" PRIu64 "  %s  by %s\n"),
	       when, cli_safe(office),
	       (uint64_t)json_integer_value(json_object_get(e, "sequence")),
	       cli_safe(json_string_value(json_object_get(e, "file"))),
	       cli_safe(json_string_value(json_object_get(e, "by"))));
}

int cmd_bundles(struct cli *c, int argc, char **argv)
{
	int received = 0;
	const struct cli_option options[] = {
		{ "received", no_argument, .flag = &received },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: bundles [--received] [OFFICE]"), 0, 1, 0,
	};
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	const char *office = nwords ? argv[1] : NULL;
	struct store_pair *p;
	size_t n;
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = bundle_log(c->st, received, office, &p, &n, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_loads(p[i].value, 0, NULL);
		if (e == NULL)
			continue;
		char *slash = strchr(p[i].key, '/');
		if (slash)
			*slash = '\0';
		json_object_set_new(e, "office", json_string(p[i].key));
		if (c->json)
			json_array_append(arr, e);
		else
			print_log_entry(e, p[i].key, received);
		json_decref(e);
	}
	store_pairs_free(p, n);
	if (c->json)
		cli_print_json(arr);
	else
		json_decref(arr);
	return cli_fail(c, XB_OK);
}
