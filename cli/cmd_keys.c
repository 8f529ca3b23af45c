/* cmd_keys.c - `xiangban keys`: the office's own key (init, show, export)
 * and the keys of the offices it exchanges bundles with (import, replace,
 * peers, revoke), each bound to its office once its fingerprint is
 * confirmed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

static void print_fpr(const char *label, const char *fpr)
{
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(fpr, groups, sizeof(groups));
	printf("%s %s\n", label, groups);
}

/* The new office key's passphrase, asked twice (or one line from
 * --passphrase-fd); an empty one is refused. buf is wiped on failure. */
static int new_key_passphrase(struct cli *c, char *buf, size_t len)
{
	int ret = cli_passphrase(c, _("Passphrase for the office key: "),
				 _("The same passphrase again: "), buf, len);
	if (ret == XB_OK && buf[0] == '\0')
		ret = xb_fail(&c->err, XB_EINVAL,
			      _("The passphrase is empty; no key was "
				"made. To make the key without one, "
				"give --no-passphrase."));
	if (ret != XB_OK)
		explicit_bzero(buf, len);
	return ret;
}

static void print_new_key(struct cli *c, const struct keys_info *info, int no_pass)
{
	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "fingerprint", json_string(info->fpr));
		json_object_set_new(j, "uid", json_string(info->uid));
		json_object_set_new(j, "passphrase", json_boolean(!no_pass));
		cli_print_json(j);
		return;
	}
	printf(_("The key of %s is made.\n"), cli_safe(info->uid));
	print_fpr(_("Fingerprint:"), info->fpr);
	if (no_pass)
		printf("%s\n", _("It has no passphrase: anyone who can use "
				 "this computer's account can sign bundles "
				 "as this office."));
}

/* The office key is protected by a passphrase unless the clerk says
 * --no-passphrase: typed twice at the terminal, or one line from
 * --passphrase-fd. --passphrase (the default now) is still taken. */
static int keys_init(struct cli *c, struct keys *k, int argc, char **argv)
{
	int no_pass = 0;
	const struct cli_option options[] = {
		{ "passphrase", no_argument, .flag = NULL }, /* taken; changes nothing */
		{ "no-passphrase", no_argument, .flag = &no_pass },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: keys init [--no-passphrase] [--passphrase-fd N]"), 0, 0, 0,
	};
	if (cli_parse(argc - 1, argv + 1, &syntax) < 0)
		return XB_EXIT_USAGE;
	if (!no_pass && c->pass_fd < 0 && !cli_can_ask())
		return cli_usage(_("keys init protects the office key with a "
				   "passphrase: run it on a terminal, give the "
				   "passphrase with --passphrase-fd N, or make the "
				   "key without one with --no-passphrase"));
	char code[13], pass[CLI_PASS_MAX] = "";
	int ret = ledger_office(c->st, code, &c->err);
	if (ret == XB_OK && !no_pass)
		ret = new_key_passphrase(c, pass, sizeof(pass));
	if (ret != XB_OK)
		return ret;
	struct store_record *office = NULL;
	store_get(c->st, NULL, STORE_OFFICE, code, &office, NULL);
	const char *name = office ? store_record_get(office, FK_name) : NULL;
	struct keys_info info;
	ret = bundle_key_create(c->st, k, c->user, code, name ? name : code, pass,
				&info, &c->err);
	explicit_bzero(pass, sizeof(pass));
	store_record_free(&office);
	if (ret == XB_OK)
		print_new_key(c, &info, no_pass);
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

/* What keys import or keys replace was told. */
struct binding {
	int replace;         /* keys replace: in place of the key bound now */
	const char *office;
	const char *path;    /* the key's file */
	const char *name;    /* --name, or NULL */
	const char *confirm; /* --fingerprint, or NULL to ask */
};

/* Reads the line of keys import or keys replace (argv[0] is "keys"):
 * 0, or -1 when it is wrong (told). */
static int binding_line(struct binding *b, int argc, char **argv)
{
	/* keys replace names the office as its first word instead: the
	 * table from its second entry. */
	const struct cli_option options[] = {
		{ "office", required_argument, .value = &b->office, .required = 1 },
		{ "name", required_argument, .value = &b->name },
		{ "fingerprint", required_argument, .value = &b->confirm },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		b->replace ? options + 1 : options,
		b->replace ? _("usage: keys replace OFFICE FILE [--name NAME] [--fingerprint FPR]")
			   : _("usage: keys import FILE --office CODE [--name NAME] "
			       "[--fingerprint FPR]"),
		b->replace ? 2 : 1, b->replace ? 2 : 1, 0,
	};
	char **words = argv + 1; /* after "keys" */
	if (cli_parse(argc - 1, words, &syntax) < 0)
		return -1;
	if (b->replace)
		b->office = words[1];
	b->path = words[b->replace ? 2 : 1];
	return 0;
}

/* Reads the key in the file and checks that it may be bound: shows the
 * key's user ID, made safe, first; then the fingerprints the program
 * computed (the old one too, when it is replaced), so that no text of
 * the key's can pose as them. */
static int show_key(struct cli *c, struct keys *k, const struct binding *b,
		    struct keys_info *info, struct keys_bind_plan *plan)
{
	int ret = keys_peek_file(k, b->path, info, &c->err);
	if (ret != XB_OK)
		return ret;
	if (!c->json) {
		/* The file's name and the user ID are the sender's words: cut
		 * short, so that no row of theirs, wrapped by the terminal,
		 * can hold a whole line of ours. */
		const char *base = strrchr(b->path, '/') ? strrchr(b->path, '/') + 1 : b->path;
		printf(_("Key in %s: %s\n"), cli_safe_cut(base, 32), cli_safe_cut(info->uid, 48));
	}
	ret = keys_bind_check(c->st, k, b->office, info, b->replace, plan, &c->err);
	if (ret != XB_OK)
		return ret;
	if (!c->json && plan->old_fpr[0] && !plan->same)
		print_fpr(plan->old_revoked ? _("Revoked key of the office:")
					    : _("Key of the office until now:"),
			  plan->old_fpr);
	if (!c->json)
		print_fpr(_("Fingerprint:"), info->fpr);
	return XB_OK;
}

/* The clerk confirms that fpr is the one the other office read out by
 * phone: given with --fingerprint, or answered at the terminal. */
static int confirm_key(struct cli *c, const struct binding *b, const char *fpr)
{
	if (b->confirm != NULL) {
		if (!same_fpr(b->confirm, fpr))
			return xb_fail(&c->err, XB_EINVAL,
				       _("The fingerprint you were given differs "
					 "from the key's: this is not office %s's "
					 "key. Nothing was imported."),
				       b->office);
		return XB_OK;
	}
	if (!isatty(STDIN_FILENO))
		return xb_fail(&c->err, XB_EINVAL,
			       _("Confirm the fingerprint: give --fingerprint with "
				 "the one office %s read to you."),
			       b->office);
	if (b->replace)
		printf(_("Does it match, group by group, the fingerprint office %s "
			 "read to you by phone, and is its old key to be replaced by "
			 "it? [y/N] "),
		       b->office);
	else
		printf(_("Does it match, group by group, the fingerprint office %s "
			 "read to you by phone? [y/N] "),
		       b->office);
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof(line), stdin) == NULL || (line[0] != 'y' && line[0] != 'Y'))
		return xb_fail(&c->err, XB_EINVAL, _("Not confirmed; nothing was imported."));
	return XB_OK;
}

/* Tells what was bound, as text or JSON. */
static void print_binding(struct cli *c, const struct binding *b,
			  const struct keys_info *info,
			  const struct keys_bind_plan *plan)
{
	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "office", json_string(b->office));
		json_object_set_new(j, "fingerprint", json_string(info->fpr));
		json_object_set_new(j, "old_fingerprint",
				    plan->old_fpr[0] && !plan->same ? json_string(plan->old_fpr)
								    : json_null());
		json_object_set_new(j, "uid", json_string(info->uid));
		cli_print_json(j);
	} else if (b->replace) {
		char old[KEYS_FPR_GROUPS_LEN], now[KEYS_FPR_GROUPS_LEN];
		keys_fpr_groups(plan->old_fpr, old, sizeof(old));
		keys_fpr_groups(info->fpr, now, sizeof(now));
		printf(_("The key of office %s is replaced: %s by %s. Its bundles "
			 "are now checked against the new key.\n"),
		       b->office, old, now);
	} else {
		printf(_("Office %s is bound to this key; its bundles can be "
			 "imported and bundles can be sent to it.\n"),
		       b->office);
	}
}

/* Imports a peer's key and binds it to its office (replace: in place of
 * the key bound now), once the clerk has confirmed the fingerprint read
 * out by the other office. */
static int bind_key(struct cli *c, struct keys *k, int argc, char **argv, int replace)
{
	struct binding b = { replace, NULL, NULL, NULL, NULL };
	if (binding_line(&b, argc, argv) != 0)
		return XB_EXIT_USAGE;
	struct keys_info info;
	struct keys_bind_plan plan;
	int ret = show_key(c, k, &b, &info, &plan);
	if (ret == XB_OK)
		ret = confirm_key(c, &b, info.fpr);
	if (ret == XB_OK)
		ret = keys_import_file_expect(k, b.path, info.fpr, &info, &c->err);
	if (ret == XB_OK)
		ret = bundle_peer_bind(c->st, k, b.office, b.name, info.fpr, replace,
				       c->user, &c->err);
	if (ret == XB_OK)
		print_binding(c, &b, &info, &plan);
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
			ret = cli_print_offices(c, 0);
		return cli_fail(c, ret);
	}
	if (strcmp(sub, "revoke") == 0 && argc == 3) {
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = bundle_peer_revoke(c->st, argv[2], c->user, &c->err);
		if (ret == XB_OK && !c->json)
			printf(_("The key of office %s is no longer trusted.\n"),
			       cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	if (!(strcmp(sub, "init") == 0 || (strcmp(sub, "show") == 0 && argc == 2) ||
	      (strcmp(sub, "export") == 0 && argc == 3) || strcmp(sub, "import") == 0 ||
	      strcmp(sub, "replace") == 0))
		return cli_usage("%s", usage);
	ret = cli_keys_open(c, &k);
	if (ret == XB_OK) {
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
