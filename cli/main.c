/* main.c - the xiangban program: the global options, the table of the
 * commands and the one run. With no command it shows the office's
 * summary, or on a terminal opens the full-screen interface. */
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
	{ .name = "init", .fn = cmd_init,
	  .synopsis = N_("init --office CODE --name NAME [--phone PHONE] [--villages FILE] [--encrypt]: you become its leader") },
	{ .name = "village", .fn = cmd_village,
	  .synopsis = N_("village add CODE NAME | village list") },
	{ .name = "child", .fn = cmd_child,
	  .synopsis = N_("child add|edit|show|list|exit|readmit|transfer|fields ... (exit: --yes without a terminal)") },
	{ .name = "visit", .fn = cmd_visit,
	  .synopsis = N_("visit add CASE field=value ... | visit list CASE | visit fields") },
	{ .name = "visit", .fn = cmd_visit,
	  .synopsis = N_("visit edit ID [--expect-version N] field=value ...: correct a visit") },
	{ .name = "report", .fn = cmd_report,
	  .synopsis = N_("report add|step|show|list|fields ...") },
	{ .name = "report", .fn = cmd_report,
	  .synopsis = N_("report edit REPORT police_station=... receipt_no=... | report step-edit STEP field=value ...") },
	{ .name = "aid", .fn = cmd_aid,
	  .synopsis = N_("aid add CASE field=value ... | aid list CASE [--current] | aid edit ID field=value ... | aid fields") },
	{ .name = "search", .fn = cmd_search,
	  .synopsis = N_("search TEXT") },
	{ .name = "history", .fn = cmd_history,
	  .synopsis = N_("history CASE") },
	{ .name = "summary", .fn = cmd_summary,
	  .synopsis = N_("summary") },
	{ .name = "stats", .fn = cmd_stats,
	  .synopsis = N_("stats [--period P | --from DATE --to DATE] [--by village|member|township|county] [--pdf FILE] [--xlsx FILE]") },
	{ .name = "check", .fn = cmd_check,
	  .synopsis = N_("check") },
	{ .name = "demo", .fn = cmd_demo,
	  .synopsis = N_("demo [--children N] [--seed N]") },
	{ .name = "user", .fn = cmd_user,
	  .synopsis = N_("user add NAME role=village|clerk|leader|county|city [villages=CODE,...] [display_name=NAME]") },
	{ .name = "user", .fn = cmd_user,
	  .synopsis = N_("user list | user edit NAME field=value ... | user disable|enable|passwd NAME") },
	{ .name = "settings", .fn = cmd_settings,
	  .synopsis = N_("settings [KEY VALUE]") },
	{ .name = "approvals", .fn = cmd_approvals,
	  .synopsis = N_("approvals [--all]: requests waiting for a leader's approval") },
	{ .name = "approve", .fn = cmd_approve,
	  .synopsis = N_("approve ID [--comment TEXT]") },
	{ .name = "send-back", .fn = cmd_send_back,
	  .synopsis = N_("send-back ID --comment TEXT") },
	{ .name = "withdraw", .fn = cmd_withdraw,
	  .synopsis = N_("withdraw ID: a request of one's own") },
	{ .name = "slip", .fn = cmd_slip,
	  .synopsis = N_("slip CASE [--pdf FILE | --png FILE | --text] [--reissue] [--print]") },
	{ .name = "slip", .fn = cmd_slip,
	  .synopsis = N_("slip --village CODE --sheet FILE.pdf [--print]") },
	{ .name = "print", .fn = cmd_print,
	  .synopsis = N_("print overdue --pdf FILE [--print]: the children whose visit is overdue, by village") },
	{ .name = "print", .fn = cmd_print,
	  .synopsis = N_("print reports --pdf FILE [--stage STAGE] [--unsent] [--closed] [--print]") },
	{ .name = "print", .fn = cmd_print,
	  .synopsis = N_("print slips --village CODE --pdf FILE [--print]: a village's case slips, eight a sheet") },
	{ .name = "lookup", .fn = cmd_lookup,
	  .synopsis = N_("lookup PAYLOAD") },
	{ .name = "keys", .fn = cmd_keys,
	  .synopsis = N_("keys init [--no-passphrase]|show|export FILE|import FILE --office CODE|replace OFFICE FILE|peers|revoke CODE") },
	{ .name = "export", .fn = cmd_export,
	  .synopsis = N_("export --to DIR [--office CODE] [--all] [--tables]") },
	{ .name = "import", .fn = cmd_import,
	  .synopsis = N_("import FILE [--allow-gap]") },
	{ .name = "offices", .fn = cmd_offices,
	  .synopsis = N_("offices [--due-day N]") },
	{ .name = "bundles", .fn = cmd_bundles,
	  .synopsis = N_("bundles [--received] [OFFICE]") },
	{ .name = "conflicts", .fn = cmd_conflicts,
	  .synopsis = N_("conflicts | conflicts settle ID --keep ours|theirs") },
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: xiangban [--home DIR] [--user NAME] [--password-fd N] "
		       "[--json] [--passphrase-fd N] COMMAND ...\n\n"
		       "The ledger of rural left-behind children.\n\n"
		       "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  xiangban %s\n", _(commands[i].synopsis));
	fprintf(out, _("\nFields are given as field=value (the field's key or "
		       "its label), or as a JSON object on standard input.\n"
		       "Exit status: 0 done, 1 failure, 2 usage, 3 invalid "
		       "input, 4 not found, 5 conflict, 6 not permitted.\n"
		       "See xiangban(1).\n"));
}

/* Global options that answer at once: before the command only. */
static int show_help(void *arg, const char *value)
{
	(void)arg;
	(void)value;
	usage(stdout);
	exit(XB_EXIT_OK);
}

static int show_version(void *arg, const char *value)
{
	(void)arg;
	(void)value;
	printf("xiangban %s\n", PACKAGE_VERSION);
	exit(XB_EXIT_OK);
}

/* --passphrase-fd N and --password-fd N: an open file descriptor. */
static int take_fd(const char *option, const char *v, int *fd)
{
	long n;
	if (cli_number(v, &n) != 0 || n > 1024 || fcntl((int)n, F_GETFD) < 0) {
		cli_usage(_("%s needs the number of an open file descriptor, "
			    "not %s"),
			  option, v);
		return -1;
	}
	*fd = (int)n;
	return 0;
}

static int take_pass_fd(void *arg, const char *v)
{
	return take_fd("--passphrase-fd", v, &((struct cli *)arg)->pass_fd);
}

static int take_password_fd(void *arg, const char *v)
{
	return take_fd("--password-fd", v, &((struct cli *)arg)->password_fd);
}

/* No subcommand on a terminal: the full-screen interface. */
static int cmd_tui(struct cli *c)
{
	/* The screen asks who signs in itself, unless --password-fd gives
	 * the password (scripts, tests): then the command line signs in. */
	int ask = c->password_fd < 0;
	c->no_sign_in = ask;
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
		ret = tui_run(c->st, c->user, ask, &c->err);
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

/* Runs the command argv[0], the global options after it taken out. */
static int run_command(struct cli *c, int argc, char **argv,
		       const struct cli_syntax *global)
{
	const struct command *cmd = NULL;
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(argv[0], commands[k].name) == 0)
			cmd = &commands[k];
	if (cmd == NULL)
		return cli_usage(_("unknown command %s"), argv[0]);
	int nwords = cli_parse(argc, argv, global);
	if (nwords < 0 || cli_user_refused(c))
		return XB_EXIT_USAGE;
	return cmd->fn(c, 1 + nwords, argv);
}

int main(int argc, char **argv)
{
	struct cli c;
	cli_begin(&c);
	setup_locale();
	/* A file size limit makes writes fail with EFBIG, told as a full
	 * disk, instead of killing the process mid-bundle. */
	signal(SIGXFSZ, SIG_IGN);

	/* The global options stand before the command; all but the first
	 * two may stand anywhere after it as well, whatever the command. */
	const struct cli_option global[] = {
		{ "help", no_argument, .take = show_help, .letter = 'h' },
		{ "version", no_argument, .take = show_version },
		{ "json", no_argument, .flag = &c.json },
		{ "home", required_argument, .value = &c.home },
		{ "user", required_argument, .value = &c.user },
		{ "passphrase-fd", required_argument, .take = take_pass_fd, .arg = &c },
		{ "password-fd", required_argument, .take = take_password_fd, .arg = &c },
		{ 0 },
	};
	const struct cli_syntax before = { global, NULL, 0, -1, CLI_STOP_AT_WORD };
	const struct cli_syntax after = { global + 2, NULL, 0, -1, CLI_DASH_WORDS };
	int nwords = cli_parse(argc, argv, &before);
	if (nwords < 0 || cli_user_refused(&c))
		return XB_EXIT_USAGE;

	int code;
	if (nwords == 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		code = cmd_tui(&c);
	} else if (nwords == 0) {
		char *args[] = { "summary", NULL };
		code = cmd_summary(&c, 1, args);
	} else {
		code = run_command(&c, nwords, argv + 1, &after);
	}
	cli_end(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("xiangban: stdout");
		return XB_EXIT_FAIL;
	}
	return code;
}
