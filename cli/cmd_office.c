/* cmd_office.c - the office and the ledger as a whole: `init`, `user`,
 * `demo`, `check` and `summary`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../demo/demo.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *office = NULL, *name = NULL, *phone = NULL, *villages = NULL;
	int encrypt = 0;
	const struct cli_option options[] = {
		{ "office", required_argument, .value = &office, .required = 1 },
		{ "name", required_argument, .value = &name, .required = 1 },
		{ "phone", required_argument, .value = &phone },
		{ "villages", required_argument, .value = &villages },
		{ "encrypt", no_argument, .flag = &encrypt },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: init --office CODE --name NAME [--phone PHONE] "
		  "[--villages FILE] [--encrypt]"),
		0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	/* A malformed file of villages is told before anything is made. */
	if (villages && office && strlen(office) == 6)
		return cli_fail(c, xb_fail(&c->err, XB_EINVAL, "%s",
					   _("A county keeps no villages; each township "
					     "keeps its own.")));
	struct cli_villages vs = { 0 };
	int code = villages ? cli_villages_read(c, villages, &vs) : XB_EXIT_OK;
	if (code != XB_EXIT_OK)
		return code;
	/* A new ledger's first user sets a password here; on one set up
	 * already, init changes the office, signed in as its leader. */
	c->no_sign_in = 1;
	int ret = encrypt ? cli_store_create_encrypted(c) : cli_store(c);
	char have[13], prompt[200], pass[CLI_PASS_MAX] = "";
	int fresh = 0;
	if (ret == XB_OK) {
		ret = ledger_office(c->st, have, &c->err);
		fresh = ret == XB_ENOTFOUND;
		if (fresh)
			xb_error_clear(&c->err);
		ret = fresh ? XB_OK : ret == XB_OK ? cli_sign_in(c) : ret;
	}
	if (ret == XB_OK && fresh) {
		snprintf(prompt, sizeof(prompt),
			 _("Password for %s, the ledger's first user and leader: "),
			 cli_safe(c->user));
		ret = cli_password(c, prompt, _("The same password again: "), pass,
				   sizeof(pass));
		if (ret == XB_OK && pass[0] == '\0')
			ret = xb_fail(&c->err, XB_EINVAL, "%s",
				      _("The password is empty; the ledger was not "
					"set up."));
	}
	if (ret == XB_OK)
		ret = ledger_init(c->st, office, name, phone, c->user,
				  fresh ? pass : NULL, &c->err);
	explicit_bzero(pass, sizeof(pass));
	if (ret == XB_OK && villages)
		ret = cli_villages_add(c, villages, &vs);
	if (ret == XB_OK && !c->json)
		printf(_("The ledger in %s belongs to %s (%s).\n"), c->home, name, office);
	if (ret == XB_OK && !c->json && villages)
		printf(_("Its village register holds the %zu villages of %s.\n"), vs.n,
		       cli_safe(villages));
	cli_villages_free(&vs);
	if (ret == XB_OK && !c->json && encrypt)
		printf("%s\n", _("It is encrypted: its passphrase is asked whenever it is "
				 "opened. Without the passphrase nobody, you included, "
				 "can read it: keep it safe."));
	return cli_fail(c, ret);
}

/* user add|edit: the fields of a user from field=value words. */
static int user_fields(struct cli *c, int argc, char **argv,
		       struct store_record **u)
{
	*u = store_record_new(STORE_USER);
	if (*u == NULL)
		return xb_fail(&c->err, XB_EFAIL, _("Out of memory."));
	return cli_read_fields(c, *u, argc, argv);
}

/* A new password for name, typed twice or read from --password-fd. */
static int new_password(struct cli *c, const char *name, char *pass, size_t len)
{
	char prompt[200];
	snprintf(prompt, sizeof(prompt), _("New password for %s: "), cli_safe(name));
	int ret = cli_password(c, prompt, _("The same password again: "), pass, len);
	if (ret == XB_OK && pass[0] == '\0')
		ret = xb_fail(&c->err, XB_EINVAL, "%s", _("The password is empty."));
	return ret;
}

static void print_user(struct cli *c, const struct store_record *u, json_t *list)
{
	const char *role = store_record_get(u, FK_role);
	const char *off = store_record_get(u, FK_disabled);
	const char *villages = store_record_get(u, FK_villages);
	const char *display = store_record_get(u, FK_display_name);
	const char *phone = store_record_get(u, FK_phone);
	int disabled = off && strcmp(off, "yes") == 0;
	if (c->json) {
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "name", u->id,
					"display_name", display ? display : "",
					"role", role ? role : "",
					"role_label", form_field_text(u, FK_role),
					"villages", villages ? villages : "",
					"phone", phone ? phone : "",
					"disabled", disabled));
		return;
	}
	cli_print_padded(u->id, 16);
	cli_print_padded(display ? display : "", 12);
	cli_print_padded(form_field_text(u, FK_role), 24);
	printf(" %s%s\n", villages ? cli_safe(villages) : "",
	       disabled ? _(" (disabled)") : "");
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	static const char *usage =
		N_("usage: user add NAME role=village|clerk|leader|county|city "
		   "[villages=CODE,...] [display_name=NAME] [phone=PHONE] | user list | user edit "
		   "NAME field=value ... | user disable|enable|passwd NAME");
	const char *verb = argc >= 2 ? argv[1] : "";
	struct store_record *u = NULL;
	char pass[CLI_PASS_MAX] = "";
	int ret;
	if (strcmp(verb, "list") == 0 && argc == 2) {
		struct store_iter *it;
		json_t *list = json_array();
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = ledger_may(&c->who, LEDGER_USERS, NULL, &c->err);
		if (ret == XB_OK)
			ret = store_iter_open(c->st, STORE_USER, STORE_BY_ID, STORE_ALL,
					      NULL, &it, &c->err);
		if (ret) {
			json_decref(list);
			return cli_fail(c, ret);
		}
		while ((ret = store_iter_next(it, &u, NULL, &c->err)) == 1) {
			print_user(c, u, list);
			store_record_free(&u);
		}
		store_iter_close(&it);
		if (ret == 0 && c->json)
			cli_print_json(list);
		else
			json_decref(list);
		return cli_fail(c, ret < 0 ? ret : XB_OK);
	}
	if (strcmp(verb, "add") == 0 && argc >= 3) {
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = user_fields(c, argc - 3, argv + 3, &u);
		/* Refused before a password is asked for nothing. */
		if (ret == XB_OK)
			ret = ledger_may(&c->who, LEDGER_USERS, NULL, &c->err);
		if (ret == XB_OK)
			ret = new_password(c, argv[2], pass, sizeof(pass));
		if (ret == XB_OK)
			ret = ledger_user_add(c->st, c->user, argv[2],
					      store_record_get(u, FK_role),
					      store_record_get(u, FK_villages),
					      store_record_get(u, FK_display_name), pass,
					      &c->err);
		if (ret == XB_OK && store_record_get(u, FK_phone) != NULL)
			ret = ledger_user_phone(c->st, c->user, argv[2],
						store_record_get(u, FK_phone), &c->err);
		explicit_bzero(pass, sizeof(pass));
		store_record_free(&u);
		if (ret == XB_OK && !c->json)
			printf(_("User %s added.\n"), cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	if (strcmp(verb, "edit") == 0 && argc >= 4) {
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = user_fields(c, argc - 3, argv + 3, &u);
		if (ret == XB_OK)
			ret = ledger_user_edit(c->st, c->user, argv[2],
					       store_record_get(u, FK_role),
					       store_record_get(u, FK_villages),
					       store_record_get(u, FK_display_name),
					       &c->err);
		if (ret == XB_OK && store_record_get(u, FK_phone) != NULL)
			ret = ledger_user_phone(c->st, c->user, argv[2],
						store_record_get(u, FK_phone), &c->err);
		store_record_free(&u);
		if (ret == XB_OK && !c->json)
			printf(_("User %s saved.\n"), cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	if ((strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) &&
	    argc == 3) {
		int off = strcmp(verb, "disable") == 0;
		ret = cli_store(c);
		if (ret == XB_OK)
			ret = ledger_user_disable(c->st, c->user, argv[2], off, &c->err);
		if (ret == XB_OK && !c->json)
			printf(off ? _("User %s is disabled: they can do nothing "
				       "until enabled again.\n")
				   : _("User %s is enabled.\n"),
			       cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	if (strcmp(verb, "passwd") == 0 && argc == 3) {
		ret = cli_store(c);
		if (ret == XB_OK && strcmp(c->user, argv[2]) != 0)
			ret = ledger_may(&c->who, LEDGER_USERS, NULL, &c->err);
		if (ret == XB_OK)
			ret = new_password(c, argv[2], pass, sizeof(pass));
		if (ret == XB_OK)
			ret = ledger_user_passwd(c->st, c->user, argv[2], pass, &c->err);
		explicit_bzero(pass, sizeof(pass));
		if (ret == XB_OK && !c->json)
			printf(_("The password of %s is changed.\n"), cli_safe(argv[2]));
		return cli_fail(c, ret);
	}
	return cli_usage("%s", _(usage));
}

static int demo_progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO)) {
		fputc('\r', stderr);
		fprintf(stderr, _("writing demo children: %zu of %zu"), done, total);
	}
	return 0;
}

/* --children N: a bad number is told as one out of range, after the
 * options are read (a later good one still counts). */
static int take_children(void *n, const char *value)
{
	if (cli_number(value, n) != 0)
		*(long *)n = -1;
	return 0;
}

static int take_seed(void *seed, const char *value)
{
	if (cli_number(value, seed) != 0) {
		cli_usage(_("--seed takes a whole number"));
		return -1;
	}
	return 0;
}

/* The demo ledger's users, and the password of each: a demonstration,
 * never an office's ledger. */
#define DEMO_LEADER "leader"
#define DEMO_CLERK "clerk"
#define DEMO_VILLAGE "cun"
#define DEMO_PASSWORD "demo"

/* The register's first village into the char[13] at arg. */
static int first_village(const char *code, const char *name, void *arg)
{
	(void)name;
	snprintf(arg, 13, "%s", code);
	return 1;
}

static int count_village(const char *code, const char *name, void *n)
{
	(void)code;
	(void)name;
	++*(size_t *)n;
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	long n = 300;
	long seed = 2017;
	const struct cli_option options[] = {
		{ "children", required_argument, .take = take_children, .arg = &n },
		{ "seed", required_argument, .take = take_seed, .arg = &seed },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: demo [--children N] [--seed N]"), 0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	if (n <= 0 || n > 1000000)
		return cli_usage(_("--children must be between 1 and 1000000"));
	char office[13];
	uint64_t have = 0;
	/* A new demo ledger gets its own users; one set up already is
	 * signed in to as usual. */
	c->no_sign_in = 1;
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	const char *user = c->user;
	int fresh = 0;
	ret = ledger_office(c->st, office, &c->err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(&c->err);
		fresh = 1;
		user = DEMO_CLERK;
		/* 永吉县 (220221) of Jilin City, the policy's own city. */
		snprintf(office, sizeof(office), "%s", "220221100");
		ret = ledger_init(c->st, office, "永吉县示范镇(演示)", "0432-64201234",
				  DEMO_LEADER, DEMO_PASSWORD, &c->err);
		if (ret == XB_OK)
			ret = ledger_user_edit(c->st, DEMO_LEADER, DEMO_LEADER, NULL, NULL,
					       "张站长", &c->err);
		if (ret == XB_OK)
			ret = ledger_user_add(c->st, DEMO_LEADER, DEMO_CLERK, "clerk",
					      NULL, "李干事", DEMO_PASSWORD, &c->err);
	} else if (ret == XB_OK) {
		ret = cli_sign_in(c);
	}
	if (ret == XB_OK)
		ret = store_count(c->st, STORE_CHILD, &have, &c->err);
	if (ret == XB_OK && have > 0) {
		if (!c->json)
			printf(_("The ledger already holds %llu children; the demo "
				 "adds none.\n"),
			       (unsigned long long)have);
		return XB_EXIT_OK;
	}
	/* The children live in the demo township's villages: the register
	 * gets them, unless the office keeps its own already. */
	size_t villages = 0;
	if (ret == XB_OK)
		ret = ledger_village_list(c->st, count_village, &villages, &c->err);
	if (ret == XB_OK && villages == 0)
		ret = synth_register_villages(c->st, user, &c->err);
	char first[13] = "", member[32] = "王主任", phone[12] = "";
	if (ret == XB_OK && fresh)
		ret = ledger_village_list(c->st, first_village, first, &c->err);
	/* cun stands for the first village's responsible member: signed in,
	 * they see the children they look after. */
	if (ret == XB_OK && fresh && strncmp(first, office, 9) == 0)
		synth_member(office, 0, member, phone);
	if (ret == XB_OK && fresh)
		ret = ledger_user_add(c->st, DEMO_LEADER, DEMO_VILLAGE, "village",
				      first, member, DEMO_PASSWORD, &c->err);
	if (ret == XB_OK && fresh && phone[0])
		ret = ledger_user_phone(c->st, DEMO_LEADER, DEMO_VILLAGE, phone, &c->err);
	/* The other villages' members are users too, added by the leader. */
	if (ret == XB_OK && fresh)
		ret = synth_register_members(c->st, DEMO_LEADER, &c->err);
	if (ret == XB_OK)
		ret = synth_fill(c->st, (size_t)n, 4, 100, (uint64_t)seed, user,
				 demo_progress, NULL, &c->err);
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	if (ret == XB_OK && !c->json)
		printf(_("The demo ledger in %s now holds %ld children with their "
			 "visits and reports.\n"),
		       c->home, n);
	if (ret == XB_OK && !c->json && fresh)
		printf(_("Sign in as %s (township clerk), %s (leader) or %s (village "
			 "member); the password of each is %s.\n"),
		       DEMO_CLERK, DEMO_LEADER, DEMO_VILLAGE, DEMO_PASSWORD);
	return cli_fail(c, ret);
}

static void verify_line(const char *file, int ok, const char *msg, void *arg)
{
	struct cli *c = arg;
	if (!c->json)
		printf("  %-26s %s%s%s\n", file, ok ? _("ok") : _("DAMAGED"),
		       ok ? "" : ": ", msg);
}

/* What check has found among the records so far. */
struct record_check {
	struct cli *c;
	const char *office; /* this ledger's */
	uint64_t total, bad;
	json_t *problems;   /* [{id, problem}] */
};

/* A record must still pass the schema's checks, and sit where its id
 * says: under its own office, beneath a record of that office (a forged
 * one from a bundle is found here). owner and last_parent carry what
 * ledger_record_placed learnt from the records before it. */
static void check_record(struct record_check *rc, const struct store_record *r,
			 char owner[13], char last_parent[64])
{
	struct cli *c = rc->c;
	struct store_record *copy = store_record_dup(r);
	struct xb_error ve;
	xb_error_clear(&ve);
	if (copy != NULL &&
	    (form_check_record(copy, c->today, &ve) != XB_OK ||
	     ledger_record_placed(c->st, NULL, rc->office, r, owner, last_parent, &ve) !=
		     XB_OK)) {
		rc->bad++;
		json_array_append_new(rc->problems, json_pack("{s:s,s:s}", "id", r->id,
							      "problem", ve.msg));
		if (!c->json)
			printf("  %s: %s\n", cli_safe(r->id), cli_safe(ve.msg));
	}
	store_record_free(&copy);
}

/* Checks every record of a kind, then prints how many there are. A kind
 * that cannot be read to its end counts as one bad record; one that
 * cannot be read at all is the check's failure. */
static int check_kind(struct record_check *rc, enum store_kind kind)
{
	struct cli *c = rc->c;
	struct store_iter *it;
	struct store_record *r;
	uint64_t n = 0;
	struct xb_error e;
	xb_error_clear(&e);
	int ret = store_iter_open(c->st, kind, STORE_BY_ID, STORE_ALL, NULL, &it, &c->err);
	if (ret)
		return ret;
	char owner[13], last_parent[64] = "";
	while ((ret = store_iter_next(it, &r, NULL, &e)) == 1) {
		n++;
		check_record(rc, r, owner, last_parent);
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (ret < 0) {
		rc->bad++;
		if (!c->json)
			printf("  %s: %s\n", store_kind_name(kind), cli_safe(e.msg));
	}
	if (!c->json)
		printf("  %-10s %llu\n", store_kind_name(kind), (unsigned long long)n);
	rc->total += n;
	return XB_OK;
}

/* Whether the counts the ledger keeps for its summary agree with a
 * count of its records; counts that disagree are made again, and the
 * clerk told. Returns 1 when they agreed, 0 when not, <0 on failure. */
static int check_counts(struct cli *c)
{
	int agree = 0;
	if (!c->json)
		printf(_("Counts:\n"));
	int ret = ledger_counts_check(c->st, c->today, &agree, &c->err);
	if (ret == XB_OK && !agree)
		ret = ledger_counts_rebuild(c->st, &c->err);
	if (ret != XB_OK)
		return ret;
	if (!c->json)
		fputs(agree ? _("  the summary's counts agree with the records\n")
			    : _("  the summary's counts disagreed with the records; "
				"they were counted again\n"),
		      stdout);
	return agree;
}

/* The children in the ledger without a next visit due (a ledger from
 * before the visit rules), given one with fix; *n how many. */
static int check_due(struct cli *c, int fix, uint64_t *n)
{
	int ret = ledger_due_fill(c->st, c->user, !fix, n, &c->err);
	if (ret != XB_OK || c->json || *n == 0)
		return ret;
	if (fix)
		printf(ngettext("Next visit due set for %llu child: its last visit, or its "
				"registration, plus the office's interval.\n",
				"Next visit due set for %llu children: each one's last visit, "
				"or registration, plus the office's interval.\n",
				(unsigned long)*n),
		       (unsigned long long)*n);
	else
		printf(ngettext("%llu child in the ledger has no next visit due: `xiangban "
				"check --fix-due` gives it one (never visited, it is then "
				"overdue from its registration plus the interval).\n",
				"%llu children in the ledger have no next visit due: "
				"`xiangban check --fix-due` gives each one (those never "
				"visited are then overdue from their registration plus the "
				"interval).\n",
				(unsigned long)*n),
		       (unsigned long long)*n);
	return XB_OK;
}

/* The verdict, as text or JSON; takes rc->problems. */
static void print_check(struct cli *c, int bad_files, int counts_agree,
			struct record_check *rc, int fixed, uint64_t due)
{
	if (c->json) {
		cli_print_json(json_pack("{s:b,s:I,s:I,s:b,s:o,s:I}", "ok",
					 !bad_files && !rc->bad && counts_agree,
					 "records", (json_int_t)rc->total, "bad_records",
					 (json_int_t)rc->bad, "counts_agree", counts_agree,
					 "problems", rc->problems,
					 fixed ? "due_filled" : "without_due", (json_int_t)due));
		return;
	}
	json_decref(rc->problems);
	if (bad_files || rc->bad)
		printf(_("Check FAILED: %llu bad records.\n"), (unsigned long long)rc->bad);
	else if (!counts_agree)
		printf(_("Check FAILED: the summary's counts were wrong (now "
			 "counted again).\n"));
	else
		printf(_("Check passed: %llu records, every database file "
			 "sound.\n"),
		       (unsigned long long)rc->total);
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	int fix_due = 0;
	const struct cli_option options[] = {
		{ "fix-due", no_argument, .flag = &fix_due },
		{ 0 },
	};
	const struct cli_syntax syntax = { options, _("usage: check [--fix-due]"), 0, 0, 0 };
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	if (!c->json)
		printf(_("Database files:\n"));
	int bad_files = store_verify(c->st, verify_line, c, &c->err) != XB_OK;
	char office[13];
	if ((ret = ledger_office(c->st, office, &c->err)) != XB_OK)
		return cli_fail(c, ret);
	static const enum store_kind kinds[] = { STORE_OFFICE, STORE_USER, STORE_VILLAGE,
						 STORE_CHILD, STORE_VISIT, STORE_REPORT,
						 STORE_STEP, STORE_REQUEST, STORE_TRANSFER };
	struct record_check rc = { c, office, 0, 0, json_array() };
	if (!c->json)
		printf(_("Records:\n"));
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if ((ret = check_kind(&rc, kinds[k])) != XB_OK) {
			json_decref(rc.problems);
			return cli_fail(c, ret);
		}
	}
	uint64_t due = 0;
	if ((ret = check_due(c, fix_due, &due)) != XB_OK) {
		json_decref(rc.problems);
		return cli_fail(c, ret);
	}
	int counts = check_counts(c);
	if (counts < 0) {
		json_decref(rc.problems);
		return cli_fail(c, counts);
	}
	print_check(c, bad_files, counts, &rc, fix_due, due);
	return bad_files || rc.bad || !counts ? XB_EXIT_FAIL : XB_EXIT_OK;
}

static json_t *summary_json(struct cli *c, const char *office, const char *name,
			    const struct ledger_summary *s)
{
	const struct form_choice *stages = form_stage_choices();
	json_t *by = json_object();
	for (int i = 0; stages[i].code; i++)
		json_object_set_new(by, stages[i].code,
				    json_integer((json_int_t)s->reports_by_stage[i]));
	return json_pack("{s:s,s:s?,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}",
			 "office", office, "name", name, "date", c->today, "children",
			 (json_int_t)s->children, "exited", (json_int_t)s->exited,
			 "unsupervised", (json_int_t)s->unsupervised, "visits_overdue",
			 (json_int_t)s->visits_overdue, "turning16_month",
			 (json_int_t)s->turning16_month, "not_eligible",
			 (json_int_t)s->not_eligible, "visits", (json_int_t)s->visits,
			 "reports_open", (json_int_t)s->reports_open, "reports_unsent",
			 (json_int_t)s->reports_unsent, "reports_by_stage", by);
}

/* The figures one a line, then the open reports at each stage that has
 * any: a flat list, kept in one place as it reads on the screen. */
static void print_summary(struct cli *c, const char *office, const char *name,
			  const struct ledger_summary *s)
{
	printf("%s (%s)  %s\n\n", cli_safe(name), cli_safe(office), c->today);
	printf(_("  Children in the ledger        %6llu\n"), (unsigned long long)s->children);
	printf(_("  Unsupervised (no guardian)    %6llu\n"), (unsigned long long)s->unsupervised);
	printf(_("  Visits overdue                %6llu\n"), (unsigned long long)s->visits_overdue);
	printf(_("  Turning 16 this month         %6llu\n"), (unsigned long long)s->turning16_month);
	printf(_("  Not eligible, still listed    %6llu\n"), (unsigned long long)s->not_eligible);
	printf(_("  Left the ledger               %6llu\n"), (unsigned long long)s->exited);
	printf(_("  Visits logged                 %6llu\n"), (unsigned long long)s->visits);
	printf(_("  Reports open                  %6llu\n"), (unsigned long long)s->reports_open);
	printf(_("  Not yet reported to police    %6llu\n"), (unsigned long long)s->reports_unsent);
	const struct form_choice *stages = form_stage_choices();
	const struct form_field *f = form_field_find(STORE_REPORT, FK_stage);
	for (int i = 0; stages[i].code; i++)
		if (s->reports_by_stage[i]) {
			fputs("    ", stdout);
			cli_print_padded(form_choice_label(f, stages[i].code), 26);
			printf(" %6llu\n", (unsigned long long)s->reports_by_stage[i]);
		}
}

int cmd_summary(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(_("usage: summary"));
	char office[13];
	struct ledger_summary s;
	struct store_record *o = NULL;
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_office(c->st, office, &c->err);
	if (ret == XB_OK)
		ret = store_get(c->st, NULL, STORE_OFFICE, office, &o, &c->err);
	if (ret == XB_OK)
		ret = ledger_summarize_as(c->st, c->user, c->today, &s, &c->err);
	if (ret == XB_OK && c->json)
		cli_print_json(summary_json(c, office, store_record_get(o, FK_name), &s));
	else if (ret == XB_OK)
		print_summary(c, office, store_record_get(o, FK_name), &s);
	store_record_free(&o);
	return ret ? cli_fail(c, ret) : XB_EXIT_OK;
}
