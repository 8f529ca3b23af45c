/* input.c - fields from the command line (field=value) or from a JSON
 * object on standard input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"

/* The field a typed key names: its key, its Chinese or English label, or
 * a header offices write for it in their surveys (身份证号, 监护人关系). */
static const struct form_field *field_named(enum store_kind kind,
					    const char *name)
{
	return form_header_field(kind, name);
}

/* Checks that a typed field may be typed and stores it under its key. */
static int put_field(struct cli *c, struct store_record *rec, const char *name,
		     const char *value)
{
	const struct form_field *f = field_named(rec->kind, name);
	/* The command that lists the fields of this kind of record. */
	const char *cmd = rec->kind == STORE_STEP ? "report"
			  : rec->kind == STORE_USER ? NULL
			  : store_kind_name(rec->kind);
	if (f == NULL && cmd != NULL)
		return xb_fail_field(&c->err, XB_EINVAL, name,
				     _("There is no field \"%s\"; `xiangban %s "
				       "fields` lists them."),
				     name, cmd);
	if (f == NULL)
		return xb_fail_field(&c->err, XB_EINVAL, name,
				     _("There is no field \"%s\"."), name);
	if (f->flags & FORM_SYSTEM)
		return xb_fail_field(&c->err, XB_EINVAL, f->key,
				     _("%s is set by the program and cannot be "
				       "typed."),
				     form_label(f));
	if (store_record_set(rec, f->key, value))
		return xb_fail(&c->err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}

/* Whether a field from `--json` output is one the program keeps: such
 * fields are skipped when that output is fed back in. */
static int kept_by_program(enum store_kind kind, const char *key)
{
	const struct form_field *f = form_field_find(kind, key);
	return f != NULL && (f->flags & (FORM_SYSTEM | FORM_HIDDEN));
}

/* jansson quotes the bytes it read up to a fault, which can stop inside
 * a character: those become '?' so the message stays whole UTF-8. */
static void whole_chars(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p != '\0') {
		int more = *p < 0x80 ? 0 : *p < 0xC2 ? -1 : *p < 0xE0 ? 1
			 : *p < 0xF0 ? 2 : *p < 0xF5 ? 3 : -1;
		int ok = more >= 0;
		for (int i = 1; ok && i <= more; i++)
			ok = (p[i] & 0xC0) == 0x80;
		if (!ok)
			*p++ = '?';
		else
			p += more + 1;
	}
}

static int read_json(struct cli *c, struct store_record *rec)
{
	json_error_t jerr;
	json_t *root = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	json_t *obj = root;
	if (root == NULL) {
		whole_chars(jerr.text);
		return xb_fail(&c->err, XB_EINVAL,
			       _("The JSON on standard input is not valid "
				 "(line %d): %s"),
			       jerr.line, jerr.text);
	}
	int ret = XB_OK;
	json_t *fields = NULL;
	if (!json_is_object(obj)) {
		ret = xb_fail(&c->err, XB_EINVAL,
			      _("Standard input must hold one JSON object of "
				"fields."));
		goto out;
	}
	/* Accept the object `--json` output gives: fields inside "fields". */
	fields = json_object_get(obj, "fields");
	int echoed = json_is_object(fields);
	if (echoed)
		obj = fields;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		char num[32];
		const char *s;
		if (json_is_string(val))
			s = json_string_value(val);
		else if (json_is_integer(val)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(val));
			s = num;
		} else if (json_is_null(val))
			s = "";
		else {
			ret = xb_fail_field(&c->err, XB_EINVAL, key,
					    _("Field %s must be text, a whole number or "
					      "null."),
					    key);
			break;
		}
		if (echoed && kept_by_program(rec->kind, key))
			continue;
		if ((ret = put_field(c, rec, key, s)))
			break;
	}
out:
	json_decref(root);
	return ret;
}

int cli_read_fields(struct cli *c, struct store_record *rec, int argc,
		    char **argv)
{
	if ((argc == 1 && strcmp(argv[0], "-") == 0) ||
	    (argc == 0 && !isatty(STDIN_FILENO)))
		return read_json(c, rec);
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i])
			return xb_fail(&c->err, XB_EINVAL,
				       _("\"%s\" is not field=value."), argv[i]);
		*eq = '\0';
		int ret = put_field(c, rec, argv[i], eq + 1);
		*eq = '=';
		if (ret)
			return ret;
	}
	return XB_OK;
}

int cli_case_arg(struct cli *c, char *case_no)
{
	/* Visit, report and step ids start with the case number. */
	char head[32];
	const char *slash = strchr(case_no, '/');
	size_t n = slash ? (size_t)(slash - case_no) : strlen(case_no);
	if (n >= sizeof(head))
		n = sizeof(head) - 1;
	memcpy(head, case_no, n);
	head[n] = '\0';
	int ret = form_case_check(head, &c->err);
	/* Stored case numbers end in a capital X: a typed x must find them. */
	if (ret == XB_OK && case_no[16] == 'x')
		case_no[16] = 'X';
	return ret;
}
