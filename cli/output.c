/* output.c - records as aligned text in the user's language, or as JSON
 * for scripts. Both walk the schema in forms/. Every value from outside
 * the program is shown through cli_safe (safe_text.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/clock.h"
#include "../common/i18n.h"

static const char *const flag_codes[FORM_FLAG_COUNT] = {
	"unsupervised", "turns16_soon", "over_age", "not_left_behind",
	"no_hukou", "out_of_school", "visit_overdue", "no_village",
};

void cli_format_date(int64_t t, char *buf, size_t len)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		xb_format_time(t, buf, len);
}

json_t *cli_record_json(const struct store_record *rec, const char *today)
{
	char when[32];
	json_t *fields = json_object();
	size_t n;
	const struct form_field *f = form_fields(rec->kind, &n);
	/* Schema order first, then anything the schema does not know. */
	for (size_t i = 0; i < n; i++) {
		const char *v = store_record_get(rec, f[i].key);
		if (v != NULL)
			json_object_set_new(fields, f[i].key, json_string(v));
	}
	for (size_t i = 0; i < rec->nfields; i++)
		if (json_object_get(fields, rec->fields[i].key) == NULL)
			json_object_set_new(fields, rec->fields[i].key,
					    json_string(rec->fields[i].value));
	xb_format_time(rec->changed_at, when, sizeof(when));
	json_t *j = json_pack("{s:s, s:s, s:I, s:s?, s:s?, s:s, s:o}",
			      "kind", store_kind_name(rec->kind),
			      "id", rec->id ? rec->id : "",
			      "version", (json_int_t)rec->version,
			      "origin", rec->origin,
			      "changed_by", rec->changed_by,
			      "changed_at", when,
			      "fields", fields);
	if (j != NULL && rec->kind == STORE_CHILD) {
		unsigned fl = form_child_flags(rec, today);
		json_t *flags = json_array();
		for (int b = 0; b < FORM_FLAG_COUNT; b++)
			if (fl & (1u << b))
				json_array_append_new(flags, json_string(flag_codes[b]));
		json_object_set_new(j, "age",
				    json_integer(form_age(store_record_get(rec, FK_birth_date),
							  today)));
		json_object_set_new(j, "flags", flags);
	}
	if (j != NULL && rec->kind == STORE_AID)
		json_object_set_new(j, "current", json_boolean(ledger_aid_current(rec, today)));
	return j;
}

void cli_print_json(json_t *j)
{
	if (j == NULL)
		return;
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(j);
}

void cli_print_record(struct cli *c, const struct store_record *rec)
{
	if (c->json) {
		cli_print_json(cli_record_json(rec, c->today));
		return;
	}
	size_t n, ns;
	const struct form_field *f = form_fields(rec->kind, &n);
	const struct form_section *sec = form_sections(rec->kind, &ns);
	int width = 0;
	for (size_t i = 0; i < n; i++) {
		int w = cli_text_width(form_label(&f[i]));
		if (w > width && store_record_get(rec, f[i].key))
			width = w;
	}
	char when[32];
	xb_format_time(rec->changed_at, when, sizeof(when));
	printf(_("%s (version %u, changed by %s at %s)\n"), cli_safe(rec->id),
	       (unsigned)rec->version, rec->changed_by ? cli_safe(rec->changed_by) : "?",
	       when);
	for (size_t s = 0; s < ns; s++) {
		int header = 0;
		for (size_t i = 0; i < n; i++) {
			const char *v = store_record_get(rec, f[i].key);
			if (v == NULL || strcmp(f[i].section, sec[s].code) != 0 ||
			    (f[i].flags & FORM_HIDDEN))
				continue;
			if (!header) {
				printf("\n[%s]\n", form_section_label(&sec[s]));
				header = 1;
			}
			fputs("  ", stdout);
			cli_print_padded(form_label(&f[i]), width);
			printf("  %s\n", f[i].type == FORM_NOTE
						 ? cli_safe_lines(form_value_text(&f[i], v))
						 : cli_safe(form_value_text(&f[i], v)));
		}
		if (rec->kind == STORE_CHILD && strcmp(sec[s].code, "basic") == 0) {
			char words[512];
			int age = form_age(store_record_get(rec, FK_birth_date), c->today);
			fputs("  ", stdout);
			cli_print_padded(_("Age"), width);
			printf("  %d\n", age);
			form_flag_words(form_child_flags(rec, c->today), words, sizeof(words));
			if (words[0]) {
				fputs("  ", stdout);
				cli_print_padded(_("Flags"), width);
				printf("  %s\n", words);
			}
		}
	}
}

/* What an entry of assistance is today: it goes on, it ended, or it is
 * yet to begin. */
static const char *aid_state(const struct store_record *rec, const char *today)
{
	const char *from = store_record_get(rec, FK_start_date);
	if (ledger_aid_current(rec, today))
		return _("current");
	return from != NULL && strncmp(from, today, 10) > 0 ? _("not begun") : _("ended");
}

/* Prints one value of rec as a column of a list line. */
static void column(const struct store_record *rec, const char *key, int width)
{
	const struct form_field *f = form_field_find(rec->kind, key);
	const char *v = store_record_get(rec, key);
	cli_print_padded(v && f ? form_value_text(f, v) : "-", width);
	putchar(' ');
}

void cli_print_line(struct cli *c, const struct store_record *rec)
{
	char words[512];
	cli_print_padded(rec->id, rec->kind == STORE_CHILD ? 18 : 24);
	putchar(' ');
	switch (rec->kind) {
	case STORE_CHILD:
		column(rec, FK_name, 10);
		column(rec, FK_sex, 6);
		printf("%3d ", form_age(store_record_get(rec, FK_birth_date), c->today));
		column(rec, FK_village, 12);
		column(rec, FK_last_visit, 10);
		form_flag_words(form_child_flags(rec, c->today), words, sizeof(words));
		if (store_record_get(rec, FK_transferred_to) != NULL)
			printf(_("[transferred to %s] "),
			       store_record_get(rec, FK_transferred_to));
		else if (strcmp(store_record_get(rec, FK_status) ? store_record_get(rec, FK_status)
								 : "",
				"exited") == 0)
			printf("[%s] ", form_choice_label(form_field_find(STORE_CHILD, FK_status),
							  "exited"));
		fputs(words, stdout);
		break;
	case STORE_VISIT:
		column(rec, FK_date, 10);
		column(rec, FK_kind, 10);
		column(rec, FK_visitor, 10);
		column(rec, FK_next_due, 10);
		break;
	case STORE_REPORT:
		column(rec, FK_category, 14);
		column(rec, FK_found_at, 16);
		column(rec, FK_stage, 14);
		column(rec, FK_status, 8);
		break;
	case STORE_TRANSFER:
		column(rec, FK_date, 10);
		column(rec, FK_to, 10);
		column(rec, FK_to_name, 12);
		column(rec, FK_reason, 0);
		break;
	case STORE_STEP:
		column(rec, FK_date, 16);
		column(rec, FK_step, 14);
		column(rec, FK_by, 12);
		column(rec, FK_note, 0);
		break;
	case STORE_AID:
		column(rec, FK_programme, 16);
		column(rec, FK_start_date, 10);
		column(rec, FK_end_date, 10);
		if (store_record_get(rec, FK_amount)) {
			printf(_("%s yuan "), cli_safe(store_record_get(rec, FK_amount)));
			column(rec, FK_per, 6);
		}
		printf("[%s] ", aid_state(rec, c->today));
		column(rec, FK_granted_by, 0);
		break;
	default:
		for (size_t i = 0; i < rec->nfields; i++)
			printf("%s=%s ", cli_safe(rec->fields[i].key),
			       cli_safe(rec->fields[i].value));
	}
	putchar('\n');
}

int cli_list_iter(struct cli *c, struct store_iter *it, size_t limit,
		  int (*keep)(const struct store_record *, void *), void *arg)
{
	json_t *arr = c->json ? json_array() : NULL;
	struct store_record *r;
	size_t count = 0;
	int ret;
	while ((limit == 0 || count < limit) &&
	       (ret = store_iter_next(it, &r, NULL, &c->err)) == 1) {
		if (cli_sees(c, r) && (keep == NULL || keep(r, arg))) {
			count++;
			if (arr)
				json_array_append_new(arr, cli_record_json(r, c->today));
			else
				cli_print_line(c, r);
		}
		store_record_free(&r);
	}
	if (limit != 0 && count >= limit)
		ret = 0;
	if (ret < 0) {
		json_decref(arr);
		return cli_fail(c, ret);
	}
	if (arr)
		cli_print_json(arr);
	return XB_EXIT_OK;
}

void cli_print_fields(struct cli *c, enum store_kind kind)
{
	size_t n;
	const struct form_field *f = form_fields(kind, &n);
	json_t *arr = c->json ? json_array() : NULL;
	static const char *const types[] = {
		N_("text"), N_("note"), N_("date"), N_("date and time"),
		N_("ID number"), N_("phone"), N_("choice"), N_("integer"),
		N_("yes/no"), N_("division code"), N_("reference"),
	};
	for (size_t i = 0; i < n; i++) {
		if (f[i].flags & FORM_HIDDEN)
			continue;
		if (arr != NULL) {
			json_t *choices = json_array();
			for (const struct form_choice *ch = f[i].choices; ch && ch->code; ch++)
				json_array_append_new(choices,
						      json_pack("{s:s,s:s,s:s}", "code", ch->code,
								"zh", ch->zh, "en", ch->en));
			json_array_append_new(
				arr, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:o}", "key", f[i].key,
					       "zh", f[i].zh, "en", f[i].en, "type",
					       types[f[i].type], "required",
					       (f[i].flags & FORM_REQUIRED) != 0, "system",
					       (f[i].flags & FORM_SYSTEM) != 0, "choices",
					       choices));
			continue;
		}
		cli_print_padded(f[i].key, 22);
		cli_print_padded(form_label(&f[i]), 20);
		printf(" %s%s%s", _(types[f[i].type]),
		       (f[i].flags & FORM_REQUIRED) ? _(", required") : "",
		       (f[i].flags & FORM_SYSTEM) ? _(", set by the program") : "");
		if (f[i].choices != NULL) {
			fputs(":", stdout);
			for (const struct form_choice *ch = f[i].choices; ch->code; ch++)
				printf(" %s(%s)", ch->code, form_choice_label(&f[i], ch->code));
		}
		if (form_help(&f[i]) != NULL)
			printf(" - %s", form_help(&f[i]));
		putchar('\n');
	}
	if (arr != NULL)
		cli_print_json(arr);
}
