/* fuzz_fields.c - the fields a clerk or a script types: `xiangban child
 * add name=张三 ...` (field=value arguments) or a JSON object on stdin,
 * read by cli_read_fields (cli/input.c) and checked by form_check_record,
 * as the add commands do before they write.
 *
 * Input: a first line whose first character is the kind of record (c
 * child, v visit, r report, s step, u user, a aid) and whose second is j
 * when the rest is the JSON on stdin, else the rest is one argument a
 * line. For a visit, report, step or aid entry the first line of the
 * rest is the case or report the command is given (argv[1]), checked by
 * cli_case_arg.
 *
 * A record that passes must pass again unchanged: editing a stored
 * record checks it once more (ledger_child_edit). */
#include <string.h>

#include "fuzz.h"
#include "../cli/cli.h"
#include "../forms/forms.h"

static const struct {
	char letter;
	enum store_kind kind;
	const char *parent_key; /* set from argv[1], NULL: none */
} kinds[] = {
	{ 'c', STORE_CHILD, NULL },
	{ 'v', STORE_VISIT, FK_case_no },
	{ 'r', STORE_REPORT, FK_case_no },
	{ 's', STORE_STEP, FK_report_id },
	{ 'u', STORE_USER, NULL },
	{ 'a', STORE_AID, FK_case_no },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The harness itself ran out of memory: not the code's refusal. */
enum { NO_MEMORY = 1 };

/* The fields of a record as text, in their order; NULL when memory ran
 * out. */
static char *fields_text(const struct store_record *rec)
{
	size_t len = 1;
	for (size_t i = 0; i < rec->nfields; i++)
		len += strlen(rec->fields[i].key) + strlen(rec->fields[i].value) + 2;
	char *s = malloc(len), *p = s;
	for (size_t i = 0; s != NULL && i < rec->nfields; i++)
		p += sprintf(p, "%s=%s\n", rec->fields[i].key, rec->fields[i].value);
	if (s != NULL)
		*p = '\0';
	return s;
}

/* Checks a record that passed once more. */
static void check_again(struct store_record *rec)
{
	struct xb_error err;
	char *before = fields_text(rec), *after = NULL;
	if (before == NULL)
		return;
	if (form_check_record(rec, FUZZ_TODAY, &err) != XB_OK)
		FUZZ_BUG("a record that passed fails when checked again (%s):\n%s",
			 err.msg, before);
	after = fields_text(rec);
	if (after != NULL && strcmp(before, after) != 0)
		FUZZ_BUG("a record changes when checked again:\n%s--\n%s", before,
			 after);
	free(before);
	free(after);
}

/* Reads fields as the program would from text: argument lines, or the
 * text as standard input. */
static int read_fields(struct cli *c, struct store_record *rec, char *text,
		       int json)
{
	if (json) {
		/* glibc's stdin is a variable (its manual says so): the
		 * JSON is read from memory where the program reads fd 0. */
		FILE *in = fmemopen(text, strlen(text), "r"), *was = stdin;
		if (in == NULL)
			return NO_MEMORY;
		char dash[] = "-", *argv[] = { dash, NULL };
		stdin = in;
		int ret = cli_read_fields(c, rec, 1, argv);
		stdin = was;
		fclose(in);
		return ret;
	}
	int argc = 0, cap = 8;
	char **argv = malloc((size_t)cap * sizeof(*argv));
	for (char *p = text; argv != NULL && *p != '\0';) {
		char *nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (argc + 1 == cap) {
			char **more = realloc(argv, (size_t)(cap *= 2) * sizeof(*argv));
			if (more == NULL) {
				free(argv);
				return NO_MEMORY;
			}
			argv = more;
		}
		argv[argc++] = p;
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (argv == NULL)
		return NO_MEMORY;
	argv[argc] = NULL;
	/* With no argument at all the program would read stdin. */
	int ret = argc == 0 ? XB_OK : cli_read_fields(c, rec, argc, argv);
	free(argv);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	if (text == NULL)
		return 0;
	int text_in = fuzz_utf8(text);
	char *body = strchr(text, '\n');
	body = body ? body + 1 : text + strlen(text);
	size_t k = 0;
	while (k < NKINDS && kinds[k].letter != text[0])
		k++;
	if (k == NKINDS)
		k = (unsigned char)text[0] % NKINDS;
	int json = text[0] != '\0' && text[1] == 'j';

	struct cli c;
	memset(&c, 0, sizeof(c));
	struct store_record *rec = store_record_new(kinds[k].kind);
	int ret = rec ? XB_OK : NO_MEMORY;
	const char *parent = NULL;
	if (ret == XB_OK && kinds[k].parent_key != NULL) {
		/* argv[1] of `visit add CASE ...`, checked as the command does */
		char *nl = strchr(body, '\n');
		if (nl != NULL)
			*nl = '\0';
		char *arg = body;
		body = nl ? nl + 1 : body + strlen(body);
		ret = cli_case_arg(&c, arg);
		if (ret != XB_OK && ret != NO_MEMORY)
			FUZZ_REFUSAL(ret, c.err, "cli_case_arg", text_in);
		parent = arg;
	}
	if (ret == XB_OK) {
		ret = read_fields(&c, rec, body, json);
		if (ret != XB_OK && ret != NO_MEMORY)
			FUZZ_REFUSAL(ret, c.err, "cli_read_fields", text_in);
	}
	if (ret == XB_OK && parent != NULL &&
	    store_record_set(rec, kinds[k].parent_key, parent))
		ret = NO_MEMORY;
	if (ret == XB_OK && kinds[k].kind == STORE_REPORT) {
		/* what ledger_report_add sets before it checks */
		store_record_set(rec, FK_stage,
				 store_record_get(rec, FK_reported_at) ? "reported" : "found");
		store_record_set(rec, FK_status, "open");
	}
	if (ret == XB_OK) {
		struct xb_error err;
		xb_error_clear(&err);
		ret = form_check_record(rec, FUZZ_TODAY, &err);
		if (ret != XB_OK)
			FUZZ_REFUSAL(ret, err, "form_check_record", text_in);
		else
			check_again(rec);
	}
	store_record_free(&rec);
	free(text);
	return 0;
}
