/* cmd_approvals.c - `xiangban approvals`, `approve ID`, `send-back ID
 * --comment TEXT` and `withdraw ID`: the requests for a leader's
 * approval (审核) that a clerk's exits and closings make
 * (forms/requests.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

int cli_print_waiting(struct cli *c, const char *request)
{
	if (request == NULL || request[0] == '\0')
		return 0;
	if (c->json)
		cli_print_json(json_pack("{s:s,s:s}", "request", request, "status",
					 "waiting"));
	else
		printf(_("Request %s waits for a leader's approval.\n"), cli_safe(request));
	return 1;
}

/* The name of the child a request is about ("?" when unknown), into
 * name[64]. */
static void child_name(struct cli *c, const struct store_record *q, char name[64])
{
	char case_no[LEDGER_CASE_MAX];
	struct store_record *child = NULL;
	struct xb_error err;
	snprintf(case_no, sizeof(case_no), "%.*s", (int)strcspn(q->id, "/"), q->id);
	if (store_get(c->st, NULL, STORE_CHILD, case_no, &child, &err) == XB_OK &&
	    store_record_get(child, FK_name) != NULL)
		snprintf(name, 64, "%s", store_record_get(child, FK_name));
	else
		snprintf(name, 64, "?");
	store_record_free(&child);
}

struct listing {
	struct cli *c;
	json_t *arr;
	int all;
	size_t n;
};

static int print_request(const struct store_record *q, void *arg)
{
	struct listing *l = arg;
	char name[64], what[512];
	child_name(l->c, q, name);
	ledger_request_what(q, what, sizeof(what));
	l->n++;
	if (l->arr != NULL) {
		json_t *j = cli_record_json(q, l->c->today);
		json_object_set_new(j, "child", json_string(name));
		json_object_set_new(j, "what", json_string(what));
		json_array_append_new(l->arr, j);
		return 0;
	}
	const char *by = store_record_get(q, FK_asked_by);
	const char *at = store_record_get(q, FK_asked_at);
	cli_print_padded(q->id, 22);
	putchar(' ');
	cli_print_padded(name, 10);
	putchar(' ');
	cli_print_padded(by ? by : "-", 10);
	putchar(' ');
	cli_print_padded(at ? at : "-", 16);
	putchar(' ');
	if (l->all) {
		cli_print_padded(form_field_text(q, FK_status), 8);
		putchar(' ');
	}
	printf("%s\n", cli_safe(what));
	return 0;
}

int cmd_approvals(struct cli *c, int argc, char **argv)
{
	struct listing l = { c, NULL, 0, 0 };
	const struct cli_option options[] = {
		{ "all", no_argument, .flag = &l.all },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: approvals [--all]"), 0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	int ret = cli_store(c);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	l.arr = c->json ? json_array() : NULL;
	ret = ledger_requests_list(c->st, c->user, l.all, print_request, &l, &c->err);
	if (ret != XB_OK) {
		json_decref(l.arr);
		return cli_fail(c, ret);
	}
	if (l.arr != NULL)
		cli_print_json(l.arr);
	else if (l.n == 0)
		printf("%s\n", l.all ? _("No requests.") : _("No request waits for approval."));
	return XB_EXIT_OK;
}

/* approve, send-back, withdraw: ID and, for the first two, --comment. */
static int decide(struct cli *c, int argc, char **argv, const char *usage,
		  int need_comment, int with_comment)
{
	const char *comment = NULL;
	const struct cli_option options[] = {
		{ "comment", required_argument, .value = &comment,
		  .required = need_comment },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		with_comment ? options : NULL, usage, 1, 1, CLI_DASH_WORDS,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	const char *id = argv[1];
	int ret = cli_store(c);
	if (ret == XB_OK) {
		if (strcmp(argv[0], "approve") == 0)
			ret = bundle_request_approve(c->st, c->user, id, comment, &c->err);
		else if (strcmp(argv[0], "send-back") == 0)
			ret = ledger_request_send_back(c->st, c->user, id, comment, &c->err);
		else
			ret = ledger_request_withdraw(c->st, c->user, id, &c->err);
	}
	if (ret != XB_OK)
		return cli_fail(c, ret);
	struct store_record *q = NULL;
	if (c->json && store_get(c->st, NULL, STORE_REQUEST, id, &q, &c->err) == XB_OK)
		cli_print_record(c, q);
	else if (strcmp(argv[0], "approve") == 0)
		printf(_("Request %s approved: done as asked.\n"), cli_safe(id));
	else if (strcmp(argv[0], "send-back") == 0)
		printf(_("Request %s sent back; nothing was changed.\n"), cli_safe(id));
	else
		printf(_("Request %s withdrawn.\n"), cli_safe(id));
	store_record_free(&q);
	return XB_EXIT_OK;
}

int cmd_approve(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, _("usage: approve ID [--comment TEXT]"), 0, 1);
}

int cmd_send_back(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, _("usage: send-back ID --comment TEXT"), 1, 1);
}

int cmd_withdraw(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, _("usage: withdraw ID"), 0, 0);
}
