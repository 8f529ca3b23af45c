/* cmd_offices.c - the offices bound to this one by their keys, as
 * `xiangban offices` shows them (with the children of each held here) and
 * `xiangban keys peers` (with the history of each binding). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

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
		cli_format_date(ev[i].at, when, sizeof(when));
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

int cli_print_offices(struct cli *c, int with_counts)
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
		struct bundle_due due = { 0 };
		if (with_counts)
			ret = bundle_office_children(c->st, p[i].code, &children, &c->err);
		if (with_counts && ret == XB_OK)
			ret = bundle_office_due(c->st, &p[i], c->today, &due, &c->err);
		if (c->json) {
			json_t *j = peer_json(&p[i]);
			if (with_counts)
				json_object_set_new(j, "children", json_integer((json_int_t)children));
			if (due.applies) {
				json_object_set_new(j, "due_period", json_string(due.period));
				json_object_set_new(j, "due", json_string(due.due));
				json_object_set_new(j, "awaited", json_boolean(due.awaited));
				json_object_set_new(j, "late", json_boolean(due.late));
			}
			else if (ret == XB_OK)
				ret = peer_history(c, p[i].code, j);
			json_array_append_new(arr, j);
			continue;
		}
		char sent[32], recv[32], groups[KEYS_FPR_GROUPS_LEN];
		cli_format_date(p[i].sent_at, sent, sizeof(sent));
		cli_format_date(p[i].received_at, recv, sizeof(recv));
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
		if (due.late)
			printf(_("    LATE: the bundle for %s was due on %s\n"), due.period,
			       due.due);
		else if (due.awaited)
			printf(_("    the bundle for %s is due on %s\n"), due.period, due.due);
		else if (ret == XB_OK)
			ret = peer_history(c, p[i].code, NULL);
	}
	free(p);
	if (arr)
		cli_print_json(arr);
	return ret;
}

int cmd_offices(struct cli *c, int argc, char **argv)
{
	const char *due_day = NULL;
	const struct cli_option options[] = {
		{ "due-day", required_argument, .value = &due_day },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: offices [--due-day N]"), 0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	long day = 0;
	if (due_day != NULL && cli_number(due_day, &day) != 0)
		return cli_usage(_("--due-day takes a day of the month, 1 to 28."));
	int ret = cli_store(c);
	if (ret == XB_OK && due_day != NULL)
		ret = bundle_set_due_day(c->st, (int)day, c->user, &c->err);
	if (ret == XB_OK)
		ret = cli_print_offices(c, 1);
	return cli_fail(c, ret);
}
