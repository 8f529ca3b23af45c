/* cmd_exchange.c - the office's key, its peers, and the bundles between
 * township and county: `keys`, `export`, `import`, `offices`, `bundles`,
 * `conflicts`. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

/* The office's GnuPG home: <data directory>/gnupg. */
static int open_keys(struct cli *c, struct keys **k)
{
	*k = NULL;
	int ret = cli_store(c);
	if (ret != XB_OK)
		return ret;
	char home[4200];
	if ((ret = keys_home_path(store_home(c->st), home, sizeof(home), &c->err)) != XB_OK)
		return ret;
	return keys_open(home, k, &c->err);
}

/* After a key operation failed for want of a passphrase: says how to
 * give one instead of GnuPG's "not given". */
static int key_pass_result(struct cli *c, int ret)
{
	if (ret != XB_OK && c->keypass_missing)
		return xb_fail(&c->err, XB_EINVAL,
			       _("The office key is protected by a passphrase: "
				 "type it on a terminal, or give it with "
				 "--passphrase-fd N (one line read from file "
				 "descriptor N). Nothing was done."));
	return ret;
}

static void print_fpr(const char *label, const char *fpr)
{
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(fpr, groups, sizeof(groups));
	printf("%s %s\n", label, groups);
}

/* The office key is protected by a passphrase unless the clerk says
 * --no-passphrase: typed twice at the terminal, or one line from
 * --passphrase-fd. --passphrase (the default now) is still taken. */
static int keys_init(struct cli *c, struct keys *k, int argc, char **argv)
{
	int no_pass = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--passphrase") == 0)
			continue;
		else if (strcmp(argv[i], "--no-passphrase") == 0)
			no_pass = 1;
		else
			return cli_usage(_("usage: keys init [--no-passphrase] "
					   "[--passphrase-fd N]"));
	}
	if (!no_pass && c->pass_fd < 0 && !cli_can_ask())
		return cli_usage(_("keys init protects the office key with a "
				   "passphrase: run it on a terminal, give the "
				   "passphrase with --passphrase-fd N, or make the "
				   "key without one with --no-passphrase"));
	char code[13], pass[CLI_PASS_MAX] = "";
	int ret = ledger_office(c->st, code, &c->err);
	if (ret != XB_OK)
		return ret;
	if (!no_pass) {
		ret = cli_passphrase(c, _("Passphrase for the office key: "),
				     _("The same passphrase again: "), pass,
				     sizeof(pass));
		if (ret == XB_OK && pass[0] == '\0')
			ret = xb_fail(&c->err, XB_EINVAL,
				      _("The passphrase is empty; no key was "
					"made. To make the key without one, "
					"give --no-passphrase."));
		if (ret != XB_OK) {
			explicit_bzero(pass, sizeof(pass));
			return ret;
		}
	}
	struct store_record *office = NULL;
	store_get(c->st, NULL, STORE_OFFICE, code, &office, NULL);
	const char *name = office ? store_record_get(office, "name") : NULL;
	struct keys_info info;
	ret = keys_create(k, code, name ? name : code, pass, &info, &c->err);
	explicit_bzero(pass, sizeof(pass));
	store_record_free(&office);
	if (ret == XB_OK && c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "fingerprint", json_string(info.fpr));
		json_object_set_new(j, "uid", json_string(info.uid));
		json_object_set_new(j, "passphrase", json_boolean(!no_pass));
		cli_print_json(j);
	} else if (ret == XB_OK) {
		printf(_("The key of %s is made.\n"), cli_safe(info.uid));
		print_fpr(_("Fingerprint:"), info.fpr);
		if (no_pass)
			printf("%s\n", _("It has no passphrase: anyone who can use "
					 "this computer's account can sign bundles "
					 "as this office."));
	}
	return ret;
}

static int keys_show(struct cli *c, struct keys *k)
{
	struct keys_info info;
	int ret = keys_own(k, &info, &c->err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(&c->err, XB_ENOTFOUND,
			       _("This office has no key yet: run `xiangban keys init`."));
	if (ret != XB_OK)
		return ret;
	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "fingerprint", json_string(info.fpr));
		json_object_set_new(j, "uid", json_string(info.uid));
		cli_print_json(j);
	} else {
		printf("%s\n", cli_safe(info.uid));
		print_fpr(_("Fingerprint:"), info.fpr);
	}
	return XB_OK;
}

static int keys_export(struct cli *c, struct keys *k, const char *path)
{
	struct keys_info info;
	int ret = keys_own(k, &info, &c->err);
	if (ret == XB_ENOTFOUND)
		return xb_fail(&c->err, XB_ENOTFOUND,
			       _("This office has no key yet: run `xiangban keys init`."));
	if (ret == XB_OK)
		ret = keys_export_public(k, info.fpr, path, &c->err);
	if (ret == XB_OK && !c->json) {
		printf(_("The public key of %s is in %s.\n"), cli_safe(info.uid), cli_safe(path));
		print_fpr(_("Read this fingerprint to the other office by phone:"),
			  info.fpr);
	}
	return ret;
}

/* Fingerprints equal, whatever the spacing and case. */
static int same_fpr(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		char x = *a >= 'a' && *a <= 'f' ? (char)(*a - 32) : *a;
		char y = *b >= 'a' && *b <= 'f' ? (char)(*b - 32) : *b;
		if (x != y)
			return 0;
		a++;
		b++;
	}
}

/* Imports a peer's key and binds it to its office (replace: in place of
 * the key bound now), once the clerk has confirmed the fingerprint read
 * out by the other office. What the key says of itself (its user ID) is
 * shown made safe and first; what the program computed (the fingerprints)
 * and the question come last, so no text of the key's can pose as them. */
static int bind_key(struct cli *c, struct keys *k, int argc, char **argv, int replace)
{
	const char *path = NULL, *office = NULL, *name = NULL, *confirm = NULL, *v;
	int bad = 0;
	for (int i = 2; i < argc && !bad; i++) {
		if (!replace && (v = cli_opt(argc, argv, &i, "--office")) != NULL)
			office = v;
		else if ((v = cli_opt(argc, argv, &i, "--name")) != NULL)
			name = v;
		else if ((v = cli_opt(argc, argv, &i, "--fingerprint")) != NULL)
			confirm = v;
		else if (replace && office == NULL && argv[i][0] != '-')
			office = argv[i];
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			bad = 1;
	}
	if (bad || path == NULL || office == NULL)
		return cli_usage("%s", replace ? _("usage: keys replace OFFICE FILE [--name NAME] "
						   "[--fingerprint FPR]")
					       : _("usage: keys import FILE --office CODE [--name NAME] "
						   "[--fingerprint FPR]"));
	struct keys_info info;
	struct keys_bind_plan plan;
	int ret = keys_peek_file(k, path, &info, &c->err);
	if (ret != XB_OK)
		return ret;
	if (!c->json) {
		/* The file's name and the user ID are the sender's words: cut
		 * short, so that no row of theirs, wrapped by the terminal,
		 * can hold a whole line of ours. */
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		printf(_("Key in %s: %s\n"), cli_safe_cut(base, 32), cli_safe_cut(info.uid, 48));
	}
	ret = keys_bind_check(c->st, k, office, &info, replace, &plan, &c->err);
	if (ret != XB_OK)
		return ret;
	if (!c->json && plan.old_fpr[0] && !plan.same)
		print_fpr(plan.old_revoked ? _("Revoked key of the office:")
					   : _("Key of the office until now:"),
			  plan.old_fpr);
	if (!c->json)
		print_fpr(_("Fingerprint:"), info.fpr);
	if (confirm != NULL) {
		if (!same_fpr(confirm, info.fpr))
			return xb_fail(&c->err, XB_EINVAL,
				       _("The fingerprint you were given differs "
					 "from the key's: this is not office %s's "
					 "key. Nothing was imported."),
				       office);
	} else if (isatty(STDIN_FILENO)) {
		if (replace)
			printf(_("Does it match, group by group, the fingerprint office %s "
				 "read to you by phone, and is its old key to be replaced by "
				 "it? [y/N] "),
			       office);
		else
			printf(_("Does it match, group by group, the fingerprint office %s "
				 "read to you by phone? [y/N] "),
			       office);
		fflush(stdout);
		char line[16];
		if (fgets(line, sizeof(line), stdin) == NULL ||
		    (line[0] != 'y' && line[0] != 'Y'))
			return xb_fail(&c->err, XB_EINVAL,
				       _("Not confirmed; nothing was imported."));
	} else {
		return xb_fail(&c->err, XB_EINVAL,
			       _("Confirm the fingerprint: give --fingerprint with "
				 "the one office %s read to you."),
			       office);
	}
	ret = keys_import_file_expect(k, path, info.fpr, &info, &c->err);
	if (ret == XB_OK)
		ret = (replace ? keys_peer_replace : keys_peer_bind)(
			c->st, k, office, name, info.fpr, c->user, &c->err);
	if (ret == XB_OK && !c->json && replace) {
		char old[KEYS_FPR_GROUPS_LEN], now[KEYS_FPR_GROUPS_LEN];
		keys_fpr_groups(plan.old_fpr, old, sizeof(old));
		keys_fpr_groups(info.fpr, now, sizeof(now));
		printf(_("The key of office %s is replaced: %s by %s. Its bundles "
			 "are now checked against the new key.\n"),
		       office, old, now);
	} else if (ret == XB_OK && !c->json) {
		printf(_("Office %s is bound to this key; its bundles can be "
			 "imported and bundles can be sent to it.\n"),
		       office);
	}
	if (ret == XB_OK && c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "office", json_string(office));
		json_object_set_new(j, "fingerprint", json_string(info.fpr));
		json_object_set_new(j, "old_fingerprint",
				    plan.old_fpr[0] && !plan.same ? json_string(plan.old_fpr)
								  : json_null());
		json_object_set_new(j, "uid", json_string(info.uid));
		cli_print_json(j);
	}
	return ret;
}

static void date_of(int64_t t, char *buf, size_t len)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		xb_format_time(t, buf, len);
}

static const char *const event_actions[][2] = {
	{ "bind", N_("bound") },
	{ "replace", N_("replaced") },
	{ "revoke", N_("revoked") },
};

static const char *event_label(const char *action)
{
	for (size_t i = 0; i < sizeof(event_actions) / sizeof(event_actions[0]); i++)
		if (strcmp(action, event_actions[i][0]) == 0)
			return _(event_actions[i][1]);
	return cli_safe(action);
}

/* Who bound, replaced or revoked an office's key, when: as lines under
 * the peer, or as a JSON array. */
static int peer_history(struct cli *c, const char *code, json_t *into)
{
	struct keys_peer_event *ev;
	size_t n;
	int ret = keys_peer_history(c->st, code, &ev, &n, &c->err);
	if (ret != XB_OK)
		return ret;
	json_t *arr = into ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		char when[32], groups[KEYS_FPR_GROUPS_LEN], old[KEYS_FPR_GROUPS_LEN];
		date_of(ev[i].at, when, sizeof(when));
		keys_fpr_groups(ev[i].fpr, groups, sizeof(groups));
		keys_fpr_groups(ev[i].old_fpr, old, sizeof(old));
		if (arr) {
			json_array_append_new(
				arr, json_pack("{s:s,s:s,s:s*,s:s,s:s}", "action", ev[i].action,
					       "fingerprint", ev[i].fpr, "old_fingerprint",
					       ev[i].old_fpr[0] ? ev[i].old_fpr : NULL, "by",
					       ev[i].by, "at", when));
		} else if (ev[i].old_fpr[0]) {
			printf(_("    %s  %s by %s: %s, in place of %s\n"), when,
			       event_label(ev[i].action), cli_safe(ev[i].by), groups, old);
		} else {
			printf(_("    %s  %s by %s: %s\n"), when, event_label(ev[i].action),
			       cli_safe(ev[i].by), groups);
		}
	}
	free(ev);
	if (arr)
		json_object_set_new(into, "history", arr);
	return XB_OK;
}

static json_t *peer_json(const struct bundle_peer *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "office", json_string(p->code));
	json_object_set_new(j, "name", json_string(p->name));
	json_object_set_new(j, "fingerprint", json_string(p->fpr));
	json_object_set_new(j, "status", json_string(p->revoked ? "revoked" : "bound"));
	json_object_set_new(j, "sent_sequence", json_integer((json_int_t)p->sent_seq));
	json_object_set_new(j, "sent_at", json_integer(p->sent_at));
	json_object_set_new(j, "received_sequence", json_integer((json_int_t)p->received_seq));
	json_object_set_new(j, "received_at", json_integer(p->received_at));
	return j;
}

/* The peers, with their last bundles and, at the county, how many of
 * each township's children it holds. */
static int list_peers(struct cli *c, int with_counts)
{
	struct bundle_peer *p;
	size_t n;
	int ret = bundle_peers(c->st, &p, &n, &c->err);
	if (ret != XB_OK)
		return ret;
	json_t *arr = c->json ? json_array() : NULL;
	if (!c->json && n == 0)
		printf("%s\n", _("No office is bound yet: `xiangban keys import`."));
	for (size_t i = 0; i < n && ret == XB_OK; i++) {
		uint64_t children = 0;
		if (with_counts)
			ret = bundle_office_children(c->st, p[i].code, &children, &c->err);
		if (c->json) {
			json_t *j = peer_json(&p[i]);
			if (with_counts)
				json_object_set_new(j, "children", json_integer((json_int_t)children));
			else if (ret == XB_OK)
				ret = peer_history(c, p[i].code, j);
			json_array_append_new(arr, j);
			continue;
		}
		char sent[32], recv[32], groups[KEYS_FPR_GROUPS_LEN];
		date_of(p[i].sent_at, sent, sizeof(sent));
		date_of(p[i].received_at, recv, sizeof(recv));
		keys_fpr_groups(p[i].fpr, groups, sizeof(groups));
		printf("%s  %s%s\n", cli_safe(p[i].code), cli_safe(p[i].name),
		       p[i].revoked ? _(" (key revoked)") : "");
		printf("    %s %s\n", _("Fingerprint:"), groups);
		printf(_("    last bundle received: no. %" PRIu64 ", made %s\n"),
		       p[i].received_seq, recv);
		printf(_("    last bundle sent: no. %" PRIu64 ", made %s\n"),
		       p[i].sent_seq, sent);
		if (with_counts)
			printf(_("    children held: %" PRIu64 "\n"), children);
		else if (ret == XB_OK)
			ret = peer_history(c, p[i].code, NULL);
	}
	free(p);
	if (arr)
		cli_print_json(arr);
	return ret;
}

int cmd_keys(struct cli *c, int argc, char **argv)
{
	const char *usage = _("usage: keys init [--no-passphrase] | keys show | "
			      "keys export FILE | keys import FILE --office CODE "
			      "[--name NAME] [--fingerprint FPR] | keys replace OFFICE "
			      "FILE [--name NAME] [--fingerprint FPR] | keys peers | "
			      "keys revoke CODE");
	if (argc < 2)
		return cli_usage("%s", usage);
	const char *sub = argv[1];
	struct keys *k = NULL;
	int ret;
	if (strcmp(sub, "peers") == 0 && argc == 2) {
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = list_peers(c, 0);
		return cli_fail(c, ret);
	}
	if (strcmp(sub, "revoke") == 0 && argc == 3) {
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = keys_peer_revoke(c->st, argv[2], c->user, &c->err);
		if (ret == XB_OK && !c->json)
			printf(_("The key of office %s is no longer trusted.\n"),
			       cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	if (!(strcmp(sub, "init") == 0 || (strcmp(sub, "show") == 0 && argc == 2) ||
	      (strcmp(sub, "export") == 0 && argc == 3) || strcmp(sub, "import") == 0 ||
	      strcmp(sub, "replace") == 0))
		return cli_usage("%s", usage);
	ret = open_keys(c, &k);
	if (ret == XB_OK) {
		keys_set_passphrase_fn(k, cli_key_passphrase, c);
		if (strcmp(sub, "init") == 0)
			ret = keys_init(c, k, argc, argv);
		else if (strcmp(sub, "show") == 0)
			ret = keys_show(c, k);
		else if (strcmp(sub, "export") == 0)
			ret = keys_export(c, k, argv[2]);
		else
			ret = bind_key(c, k, argc, argv, strcmp(sub, "replace") == 0);
	}
	keys_close(&k);
	if (ret == XB_EXIT_USAGE) /* told by cli_usage already */
		return ret;
	return cli_fail(c, ret);
}

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
						 STORE_REPORT, STORE_STEP };
	static const char *const labels[] = { N_("offices"), N_("children"), N_("visits"),
					      N_("reports"), N_("report steps") };
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

int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *dir = NULL, *office = NULL, *v;
	int all = 0;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--to")) != NULL)
			dir = v;
		else if ((v = cli_opt(argc, argv, &i, "--office")) != NULL)
			office = v;
		else if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else
			return cli_usage(_("usage: export --to DIR [--office CODE] [--all]"));
	}
	if (dir == NULL)
		return cli_usage(_("usage: export --to DIR [--office CODE] [--all]"));
	struct keys *k = NULL;
	char to[13];
	int ret = open_keys(c, &k);
	if (ret == XB_OK)
		ret = receiver(c, office, to);
	struct bundle_export_result res;
	if (ret == XB_OK) {
		keys_set_passphrase_fn(k, cli_key_passphrase, c);
		ret = bundle_export(c->st, k, to, dir, all, c->user, progress,
				    (void *)_("writing records"), &res, &c->err);
		ret = key_pass_result(c, ret);
	}
	keys_close(&k);
	if (ret == XB_OK && c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "file", json_string(res.path));
		json_object_set_new(j, "to", json_string(to));
		json_object_set_new(j, "sequence", json_integer((json_int_t)res.sequence));
		json_object_set_new(j, "records", json_integer((json_int_t)res.counts.total));
		json_object_set_new(j, "children",
				    json_integer((json_int_t)res.counts.kind[STORE_CHILD]));
		json_object_set_new(j, "bytes", json_integer((json_int_t)res.bytes));
		json_object_set_new(j, "sha256", json_string(res.sha256));
		cli_print_json(j);
	} else if (ret == XB_OK) {
		printf(_("Bundle no. %" PRIu64 " to office %s written and checked: %s\n"),
		       res.sequence, cli_safe(to), cli_safe(res.path));
		print_counts(&res.counts);
		printf("%s\n", _("You may now remove the stick."));
	}
	return cli_fail(c, ret);
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	const char *path = NULL;
	int allow_gap = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--allow-gap") == 0)
			allow_gap = 1;
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			return cli_usage(_("usage: import FILE [--allow-gap]"));
	}
	if (path == NULL)
		return cli_usage(_("usage: import FILE [--allow-gap]"));
	struct keys *k = NULL;
	struct bundle_import_result res;
	int ret = open_keys(c, &k);
	if (ret == XB_OK) {
		keys_set_passphrase_fn(k, cli_key_passphrase, c);
		ret = bundle_import(c->st, k, path, allow_gap, c->user, progress,
				    (void *)_("reading records"), &res, &c->err);
		ret = key_pass_result(c, ret);
	}
	keys_close(&k);
	if (ret == XB_OK && c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "from", json_string(res.from));
		json_object_set_new(j, "sequence", json_integer((json_int_t)res.sequence));
		json_object_set_new(j, "duplicate", json_boolean(res.duplicate));
		json_object_set_new(j, "missing_before", json_integer((json_int_t)res.missing));
		json_object_set_new(j, "records", json_integer((json_int_t)res.counts.total));
		json_object_set_new(j, "added", json_integer((json_int_t)res.added));
		json_object_set_new(j, "replaced", json_integer((json_int_t)res.replaced));
		json_object_set_new(j, "same", json_integer((json_int_t)res.same));
		json_object_set_new(j, "older", json_integer((json_int_t)res.older));
		json_object_set_new(j, "conflicts", json_integer((json_int_t)res.conflicts));
		json_object_set_new(j, "signer", json_string(res.signer));
		cli_print_json(j);
	} else if (ret == XB_OK && res.duplicate) {
		printf(_("Bundle no. %" PRIu64 " from office %s was imported before; "
			 "nothing changed.\n"),
		       res.sequence, cli_safe(res.from));
	} else if (ret == XB_OK) {
		printf(_("Bundle no. %" PRIu64 " from office %s imported.\n"),
		       res.sequence, cli_safe(res.from));
		if (res.missing)
			printf(_("Warning: %" PRIu64 " bundle(s) before it were never "
				 "imported.\n"),
			       res.missing);
		print_counts(&res.counts);
		printf(_("  new %" PRIu64 ", updated %" PRIu64 ", unchanged %" PRIu64
			 ", older than ours %" PRIu64 ", conflicts %" PRIu64 "\n"),
		       res.added, res.replaced, res.same, res.older, res.conflicts);
		if (res.conflicts)
			printf("%s\n", _("Records changed on both sides were kept "
					 "apart: see `xiangban conflicts`."));
	}
	return cli_fail(c, ret);
}

int cmd_offices(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(_("usage: offices"));
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = list_peers(c, 1);
	return cli_fail(c, ret);
}

int cmd_bundles(struct cli *c, int argc, char **argv)
{
	int received = 0;
	const char *office = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--received") == 0)
			received = 1;
		else if (office == NULL && argv[i][0] != '-')
			office = argv[i];
		else
			return cli_usage(_("usage: bundles [--received] [OFFICE]"));
	}
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
		if (c->json) {
			json_array_append(arr, e);
		} else {
			char when[32];
			date_of(json_integer_value(json_object_get(e, received ? "imported_at"
										 : "created_at")),
				when, sizeof(when));
			printf(received ? _("%s  from %s  no. %" PRIu64 "  %s  by %s\n")
					: _("%s  to %s  no. %" PRIu64 "  %s  by %s\n"),
			       when, cli_safe(p[i].key),
			       (uint64_t)json_integer_value(json_object_get(e, "sequence")),
			       cli_safe(json_string_value(json_object_get(e, "file"))),
			       cli_safe(json_string_value(json_object_get(e, "by"))));
		}
		json_decref(e);
	}
	store_pairs_free(p, n);
	if (c->json)
		cli_print_json(arr);
	else
		json_decref(arr);
	return cli_fail(c, XB_OK);
}

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
