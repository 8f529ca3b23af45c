/* main.c - the xiangban program: global options, locale, and the
 * subcommands. With no subcommand it shows the office's summary. */
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../tui/tui.h"
#include "../common/i18n.h"

struct command {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{ "init", cmd_init, N_("init --office CODE --name NAME [--phone PHONE] [--encrypt]") },
	{ "child", cmd_child, N_("child add|edit|show|list|exit|fields ...") },
	{ "visit", cmd_visit, N_("visit add CASE field=value ... | visit list CASE | visit fields") },
	{ "report", cmd_report, N_("report add|step|show|list|fields ...") },
	{ "search", cmd_search, N_("search TEXT") },
	{ "history", cmd_history, N_("history CASE") },
	{ "summary", cmd_summary, N_("summary") },
	{ "check", cmd_check, N_("check") },
	{ "demo", cmd_demo, N_("demo [--children N] [--seed N]") },
	{ "user", cmd_user, N_("user add NAME role=ROLE | user list") },
	{ "slip", cmd_slip, N_("slip CASE [--pdf FILE | --png FILE | --text] [--reissue] [--print]") },
	{ "slip", cmd_slip, N_("slip --village CODE --sheet FILE.pdf [--print]") },
	{ "lookup", cmd_lookup, N_("lookup PAYLOAD") },
	{ "keys", cmd_keys, N_("keys init [--no-passphrase]|show|export FILE|import FILE --office CODE|replace OFFICE FILE|peers|revoke CODE") },
	{ "export", cmd_export, N_("export --to DIR [--office CODE] [--all]") },
	{ "import", cmd_import, N_("import FILE [--allow-gap]") },
	{ "offices", cmd_offices, N_("offices") },
	{ "bundles", cmd_bundles, N_("bundles [--received] [OFFICE]") },
	{ "conflicts", cmd_conflicts, N_("conflicts | conflicts settle ID --keep ours|theirs") },
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: xiangban [--home DIR] [--user NAME] [--json] "
		       "[--passphrase-fd N] COMMAND ...\n\n"
		       "The ledger of rural left-behind children.\n\n"
		       "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  xiangban %s\n", _(commands[i].synopsis));
	fprintf(out, _("\nFields are given as field=value (the field's key or "
		       "its label), or as a JSON object on standard input.\n"
		       "Exit status: 0 done, 1 failure, 2 usage, 3 invalid "
		       "input, 4 not found, 5 conflict.\n"
		       "See xiangban(1).\n"));
}

/* --passphrase-fd N: an open file descriptor. */
static int pass_fd_arg(struct cli *c, const char *v)
{
	long n;
	if (cli_number(v, &n) != 0 || n > 1024 || fcntl((int)n, F_GETFD) < 0) {
		cli_usage(_("--passphrase-fd needs the number of an open file "
			    "descriptor, not %s"),
			  v);
		return -1;
	}
	c->pass_fd = (int)n;
	return 0;
}

/* No subcommand on a terminal: the full-screen interface. */
static int cmd_tui(struct cli *c)
{
	int ret = cli_store(c);
	/* An encrypted ledger's passphrase is asked on the terminal before
	 * the screen starts; a mistyped one may be typed again. */
	for (int tries = 1; ret == XB_EINVAL && tries < 3 && c->pass_fd < 0 &&
			    c->home != NULL && store_encrypted(c->home);
	     tries++) {
		fprintf(stderr, "%s\n", c->err.msg);
		xb_error_clear(&c->err);
		ret = cli_store(c);
	}
	if (ret == XB_OK)
		ret = tui_run(c->st, c->user, &c->err);
	return cli_fail(c, ret);
}

/* The catalogue: $XIANGBAN_LOCALEDIR, the installed one, else the build
 * tree's, so the program speaks Chinese before `make install` too. */
static void setup_locale(void)
{
	setlocale(LC_ALL, "");
	const char *dir = getenv("XIANGBAN_LOCALEDIR");
	if (dir == NULL || *dir == '\0') {
		struct stat sb;
		dir = LOCALEDIR;
		if (stat(LOCALEDIR "/zh_CN/LC_MESSAGES/" PACKAGE ".mo", &sb) != 0 &&
		    stat(BUILD_LOCALEDIR "/zh_CN/LC_MESSAGES/" PACKAGE ".mo", &sb) == 0)
			dir = BUILD_LOCALEDIR;
	}
	bindtextdomain(PACKAGE, dir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

int main(int argc, char **argv)
{
	struct cli c;
	cli_begin(&c);
	setup_locale();
	/* A file size limit makes writes fail with EFBIG, told as a full
	 * disk, instead of killing the process mid-bundle. */
	signal(SIGXFSZ, SIG_IGN);

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *v;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return XB_EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("xiangban %s\n", PACKAGE_VERSION);
			return XB_EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			c.json = 1;
		} else if ((v = cli_opt(argc, argv, &i, "--home")) != NULL) {
			c.home = v;
		} else if ((v = cli_opt(argc, argv, &i, "--user")) != NULL) {
			c.user = v;
		} else if ((v = cli_opt(argc, argv, &i, "--passphrase-fd")) != NULL) {
			if (pass_fd_arg(&c, v) != 0)
				return XB_EXIT_USAGE;
		} else {
			return cli_usage(_("unknown option %s"), argv[i]);
		}
	}
	if (cli_user_refused(&c))
		return XB_EXIT_USAGE;

	int code;
	if (i == argc && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		code = cmd_tui(&c);
	} else if (i == argc) {
		char *args[] = { "summary", NULL };
		code = cmd_summary(&c, 1, args);
	} else {
		const struct command *cmd = NULL;
		for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
			if (strcmp(argv[i], commands[k].name) == 0)
				cmd = &commands[k];
		if (cmd == NULL)
			return cli_usage(_("unknown command %s"), argv[i]);
		/* Global options may also follow the command. */
		int n = 0;
		char **rest = calloc((size_t)(argc - i + 1), sizeof(char *));
		if (rest == NULL)
			return XB_EXIT_FAIL;
		for (int k = i; k < argc; k++) {
			const char *v;
			if (strcmp(argv[k], "--json") == 0)
				c.json = 1;
			else if ((v = cli_opt(argc, argv, &k, "--home")) != NULL)
				c.home = v;
			else if ((v = cli_opt(argc, argv, &k, "--user")) != NULL)
				c.user = v;
			else if ((v = cli_opt(argc, argv, &k, "--passphrase-fd")) != NULL) {
				if (pass_fd_arg(&c, v) != 0) {
					free(rest);
					return XB_EXIT_USAGE;
				}
			} else
				rest[n++] = argv[k];
		}
		code = cli_user_refused(&c) ? XB_EXIT_USAGE : cmd->fn(&c, n, rest);
		free(rest);
	}
	cli_end(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("xiangban: stdout");
		return XB_EXIT_FAIL;
	}
	return code;
}
