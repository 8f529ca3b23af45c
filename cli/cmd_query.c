/* cmd_query.c - `xiangban search TEXT` and `xiangban history CASE`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/clock.h"
#include "../common/i18n.h"

struct found {
	struct cli *c;
	json_t *arr;
	size_t n;
};

static int print_found(const struct store_record *child, void *arg)
{
	struct found *f = arg;
	f->n++;
	if (f->arr)
		json_array_append_new(f->arr, cli_record_json(child, f->c->today));
	else
		cli_print_line(f->c, child);
	return 0;
}

int cmd_search(struct cli *c, int argc, char **argv)
{
	long limit = 20;
	const struct cli_option options[] = {
		{ "limit", required_argument, .take = cli_take_limit, .arg = &limit },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options, _("usage: search TEXT [--limit N]"), 1, 1, CLI_DASH_WORDS,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	const char *text = argv[1];
	struct found f = { c, c->json ? json_array() : NULL, 0 };
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_search_as(c->st, c->user, text, (size_t)limit, print_found,
				       &f, &c->err);
	if (ret != XB_OK) {
		json_decref(f.arr);
		return cli_fail(c, ret);
	}
	if (f.arr)
		cli_print_json(f.arr);
	else if (f.n == 0)
		printf(_("No child matches \"%s\".\n"), text);
	return f.n ? XB_EXIT_OK : XB_EXIT_NOTFOUND;
}

/* The label of a field of the kind the entry is about. */
static const char *change_label(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	return f ? form_label(f) : key;
}

static const char *change_value(enum store_kind kind, const char *key,
				const char *v)
{
	if (v == NULL)
		return _("(empty)");
	return form_value_text(form_field_find(kind, key), v);
}

static int print_entry(const struct store_audit *a, void *arg)
{
	/* A damaged entry may lack these; show it rather than fall over. */
	const char *action = a->action ? a->action : "?";
	const char *record = a->record_id ? a->record_id : "?";
	struct cli *c = arg;
	char when[32];
	xb_format_time(a->at, when, sizeof(when));
	if (c->json) {
		json_t *changes = json_array();
		for (size_t i = 0; i < a->nchanges; i++)
			json_array_append_new(
				changes, json_pack("{s:s,s:s?,s:s?}", "field", a->changes[i].key,
						   "before", a->changes[i].before, "after",
						   a->changes[i].after));
		json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "seq",
				      (json_int_t)a->seq, "record", record, "kind",
				      store_kind_name(a->kind), "action", action,
				      "user", a->user ? a->user : "", "at", when,
				      "version", (json_int_t)a->version, "changes", changes);
		char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
		json_decref(j);
		return 0;
	}
	if (a->version == 0) /* a note about the record, no version of it */
		printf("%s  %s  %s %s\n", when, a->user ? cli_safe(a->user) : "?",
		       cli_safe(form_action_label(action)), cli_safe(record));
	else
		printf(_("%s  %s  %s %s (version %u)\n"), when,
		       a->user ? cli_safe(a->user) : "?",
		       cli_safe(form_action_label(action)), cli_safe(record),
		       (unsigned)a->version);
	for (size_t i = 0; i < a->nchanges; i++) {
		const struct store_change *ch = &a->changes[i];
		const struct form_field *f = form_field_find(a->kind, ch->key);
		if (f != NULL && (f->flags & FORM_HIDDEN))
			continue;
		/* a record's first version (created, or added from a
		 * sheet) has values and nothing before them */
		if (strcmp(action, "create") == 0 ||
		    (a->version == 1 && ch->before == NULL))
			printf("    %s: %s\n", cli_safe(change_label(a->kind, ch->key)),
			       cli_safe_lines(change_value(a->kind, ch->key, ch->after)));
		else
			printf("    %s: %s -> %s\n", cli_safe(change_label(a->kind, ch->key)),
			       cli_safe_lines(change_value(a->kind, ch->key, ch->before)),
			       cli_safe_lines(change_value(a->kind, ch->key, ch->after)));
	}
	return 0;
}

int cmd_history(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(_("usage: history CASE|OFFICE"));
	struct store_record *rec = NULL;
	/* An office's code (6 or 9 digits): its record and its key bindings. */
	size_t n = strlen(argv[1]);
	int office = (n == 6 || n == 9) && strspn(argv[1], "0123456789") == n;
	/* A village of the register: its 12-digit code. */
	int village = n == 12 && strspn(argv[1], "0123456789") == n;
	int ret = office || village ? XB_OK : cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK && village)
		ret = store_get(c->st, NULL, STORE_VILLAGE, argv[1], &rec, &c->err);
	/* Name what does not exist rather than print an empty history. */
	if (ret == XB_OK && !office && !village) {
		const char *slash = strchr(argv[1], '/');
		enum store_kind kind = !slash ? STORE_CHILD
				       : strchr(slash + 1, '/') ? STORE_STEP
				       : slash[1] == 'V' ? STORE_VISIT
				       : slash[1] == 'H' ? STORE_AID
				       : slash[1] == 'Q' ? STORE_REQUEST
				       : slash[1] == 'M' ? STORE_TRANSFER : STORE_REPORT;
		ret = ledger_record_read(c->st, c->user, kind, argv[1], &rec, &c->err);
	}
	store_record_free(&rec);
	if (ret == XB_OK)
		ret = store_history(c->st, argv[1], print_entry, c, &c->err);
	return cli_fail(c, ret);
}
