/* context.c - what every command works with (struct cli): who acts, today,
 * and the ledger, opened on first use (with its passphrase when it is
 * encrypted) and closed when the command ends; a record named on the
 * command line, read from it. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../common/printable.h"

/* Who acts: --user, $XIANGBAN_USER, else the login name. */
static const char *default_user(void)
{
	const char *u = getenv("XIANGBAN_USER");
	if (u != NULL && *u)
		return u;
	struct passwd *pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	u = getenv("LOGNAME");
	return u && *u ? u : "unknown";
}

void cli_begin(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->pass_fd = -1;
	c->password_fd = -1;
	c->user = default_user();
	xb_today(c->today, sizeof(c->today));
}

int cli_user_refused(const struct cli *c)
{
	unsigned bad = 0;
	if (c->user == NULL || *c->user == '\0') {
		cli_usage(_("the user name is empty"));
		return 1;
	}
	if (xb_text_check(c->user, 0, &bad) != XB_CH_OK) {
		cli_usage(_("the user name (--user or XIANGBAN_USER) holds a "
			    "control, invisible or direction-changing character "
			    "(U+%04X)"),
			  bad);
		return 1;
	}
	return 0;
}

/* The store is stuck for good on what a dead process held (it says so
 * from its guard thread): tell the user and end, which is all a command
 * can do; the next process to open the ledger recovers it. */
static void cli_stalled(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "xiangban: %s\n", msg);
	_exit(XB_EXIT_FAIL);
}

/* The home as cli_store finds it. */
static int cli_home(struct cli *c)
{
	if (c->home != NULL)
		return XB_OK;
	int ret = store_default_home(c->homebuf, sizeof(c->homebuf), &c->err);
	if (ret == XB_OK)
		c->home = c->homebuf;
	return ret;
}

int cli_store(struct cli *c)
{
	if (c->st != NULL)
		return XB_OK;
	int ret = cli_home(c);
	if (ret != XB_OK)
		return ret;
	/* A stall while the ledger opens, or at its last checkpoint when the
	 * program ends, ends the program with a message too. */
	store_on_stall_default(cli_stalled, NULL);
	if (!store_encrypted(c->home)) {
		ret = store_open(c->home, &c->st, &c->err);
	} else {
		char pass[CLI_PASS_MAX];
		ret = cli_passphrase(c, _("Passphrase of the ledger: "), NULL, pass,
				     sizeof(pass));
		if (ret == XB_OK)
			ret = store_open_pass(c->home, pass, &c->st, &c->err);
		else
			ret = xb_fail(&c->err, XB_EINVAL,
				      _("This ledger is encrypted: type its passphrase on a "
					"terminal, or give it with --passphrase-fd N (one "
					"line read from file descriptor N)."));
		explicit_bzero(pass, sizeof(pass));
	}
	if (ret == XB_OK)
		store_on_stall(c->st, cli_stalled, NULL);
	if (ret == XB_OK && !c->no_sign_in)
		ret = cli_sign_in(c);
	return ret;
}

int cli_sign_in(struct cli *c)
{
	char office[13], prompt[200], pass[CLI_PASS_MAX];
	if (c->signed_in)
		return XB_OK;
	int ret = ledger_office(c->st, office, &c->err);
	if (ret == XB_ENOTFOUND) {
		/* Nothing in it to guard; the command says to run init. */
		xb_error_clear(&c->err);
		return XB_OK;
	}
	int any = 0;
	if (ret == XB_OK)
		ret = store_password_any(c->st, &any, &c->err);
	/* Who is not a user is told so before any password is asked. */
	if (ret == XB_OK)
		ret = ledger_who_get(c->st, NULL, c->user, &c->who, &c->err);
	if (ret)
		return ret;
	if (any) {
		snprintf(prompt, sizeof(prompt), _("Password for %s: "),
			 cli_safe(c->user));
		ret = cli_password(c, prompt, NULL, pass, sizeof(pass));
	} else {
		/* A ledger from before accounts: the first to sign in sets
		 * a password and becomes its leader. */
		if (c->password_fd < 0 && cli_can_ask())
			fprintf(stderr, _("This ledger has no passwords yet. Set "
					  "yours: you become its leader, who "
					  "adds the other users.\n"));
		snprintf(prompt, sizeof(prompt), _("New password for %s: "),
			 cli_safe(c->user));
		ret = cli_password(c, prompt, _("The same password again: "), pass,
				   sizeof(pass));
	}
	if (ret == XB_OK)
		ret = ledger_sign_in(c->st, c->user, pass, &c->who, &c->err);
	explicit_bzero(pass, sizeof(pass));
	c->signed_in = ret == XB_OK;
	return ret;
}

int cli_store_create_encrypted(struct cli *c)
{
	int ret = cli_home(c);
	if (ret != XB_OK)
		return ret;
	if (store_encrypted(c->home))
		return xb_fail(&c->err, XB_EEXIST,
			       _("The ledger in %s is encrypted already."), c->home);
	char pass[CLI_PASS_MAX];
	ret = cli_passphrase(c, _("Passphrase for the ledger: "),
			     _("The same passphrase again: "), pass, sizeof(pass));
	if (ret == XB_OK && pass[0] == '\0')
		ret = xb_fail(&c->err, XB_EINVAL,
			      _("The passphrase is empty; the ledger was not made."));
	if (ret == XB_OK)
		ret = store_create_encrypted(c->home, pass, &c->st, &c->err);
	explicit_bzero(pass, sizeof(pass));
	if (ret == XB_OK)
		store_on_stall(c->st, cli_stalled, NULL);
	return ret;
}

int cli_get_typed(struct cli *c, enum store_kind kind, char *id,
		  struct store_record **rec)
{
	int ret = cli_case_arg(c, id);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_record_read(c->st, c->user, kind, id, rec, &c->err);
	return ret;
}

int cli_sees(struct cli *c, const struct store_record *rec)
{
	if (!c->who.scoped)
		return 1;
	if (rec->kind == STORE_CHILD)
		return ledger_who_sees(&c->who, rec);
	/* A record of a child's file: as its child, the last one looked up
	 * kept (lists come in case order). */
	size_t n = strcspn(rec->id, "/");
	if (n >= sizeof(c->seen_case))
		return 0;
	if (strncmp(c->seen_case, rec->id, n) != 0 || c->seen_case[n] != '\0') {
		struct store_record *child = NULL;
		struct xb_error e;
		memcpy(c->seen_case, rec->id, n);
		c->seen_case[n] = '\0';
		c->seen_ok = store_get(c->st, NULL, STORE_CHILD, c->seen_case, &child,
				       &e) == XB_OK &&
			     ledger_who_sees(&c->who, child);
		store_record_free(&child);
	}
	return c->seen_ok;
}

void cli_end(struct cli *c)
{
	store_close(&c->st);
	cli_passphrase_wipe(c);
	cli_safe_release();
}
