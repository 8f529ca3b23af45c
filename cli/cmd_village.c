/* cmd_village.c - the office's village register: `village add CODE NAME`,
 * `village list`, and the file of villages `init --villages FILE` reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../sheets/sheets.h"

static int village_add(struct cli *c, char **argv)
{
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_village_add(c->st, argv[2], argv[3], c->user, &c->err);
	if (ret == XB_OK) {
		char code[13], name[64];
		/* the village as the register holds it (folded) */
		ret = ledger_village_find(c->st, NULL, argv[2], code, name, &c->err);
		if (ret == XB_OK && c->json)
			cli_print_json(json_pack("{s:s,s:s}", "code", code, "name", name));
		else if (ret == XB_OK)
			printf(_("Village %s %s is in the register.\n"), code,
			       cli_safe(name));
	}
	return cli_fail(c, ret);
}

struct list_arg {
	struct cli *c;
	json_t *out;
	size_t n;
	int failed;
};

static int list_one(const char *code, const char *name, void *arg)
{
	struct list_arg *l = arg;
	uint64_t children = 0;
	if (store_index_count(l->c->st, STORE_CHILD, STORE_BY_VILLAGE, code, &children,
			      &l->c->err) != XB_OK) {
		l->failed = 1;
		return 1;
	}
	l->n++;
	if (l->out != NULL) {
		json_array_append_new(l->out, json_pack("{s:s,s:s,s:I}", "code", code,
							"name", name, "children",
							(json_int_t)children));
		return 0;
	}
	printf("%-13s ", code);
	cli_print_padded(name, 24);
	printf(" %6llu\n", (unsigned long long)children);
	return 0;
}

static int village_list(struct cli *c)
{
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	struct list_arg l = { c, c->json ? json_array() : NULL, 0, 0 };
	if (!c->json) {
		printf("%-13s ", _("Code"));
		cli_print_padded(_("Village"), 24);
		printf(" %6s\n", _("Children"));
	}
	ret = ledger_village_list(c->st, list_one, &l, &c->err);
	if (ret == XB_OK && l.failed)
		ret = XB_EFAIL;
	if (ret == XB_OK && c->json)
		cli_print_json(l.out);
	else
		json_decref(l.out);
	if (ret == XB_OK && !c->json && l.n == 0)
		printf("%s\n", _("The register has no village yet: add one with "
				 "`xiangban village add CODE NAME`."));
	return cli_fail(c, ret);
}

int cmd_village(struct cli *c, int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "add") == 0)
		return village_add(c, argv);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return village_list(c);
	return cli_usage(_("usage: village add CODE NAME | village list"));
}

/* --- the file of villages --- */

void cli_villages_free(struct cli_villages *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->codes[i]);
		free(v->names[i]);
	}
	free(v->codes);
	free(v->names);
	free(v->lines);
	memset(v, 0, sizeof(*v));
}

/* Splits a line (no line end) into code and name: the code ends at the
 * first comma (plain or full-width), tab or space. 0, or -1 when there
 * is no name after it. */
static int split_line(char *s, char **code, char **name)
{
	size_t n = strcspn(s, ",\t ");
	char *fw = strstr(s, "，");
	char *end = s + n;
	size_t skip = 1;
	if (fw != NULL && fw < end) {
		end = fw;
		skip = strlen("，");
	}
	if (*end == '\0')
		return -1;
	*end = '\0';
	*code = s;
	*name = end + skip;
	while (**name == ' ' || **name == '\t' || **name == ',')
		(*name)++;
	size_t len = strlen(*name);
	while (len > 0 && ((*name)[len - 1] == ' ' || (*name)[len - 1] == '\t'))
		(*name)[--len] = '\0';
	return **name == '\0' ? -1 : 0;
}

static int villages_add_line(struct cli_villages *v, const char *code,
			     const char *name, size_t line)
{
	char **cs = realloc(v->codes, (v->n + 1) * sizeof(*cs));
	if (cs != NULL)
		v->codes = cs;
	char **ns = realloc(v->names, (v->n + 1) * sizeof(*ns));
	if (ns != NULL)
		v->names = ns;
	size_t *ls = realloc(v->lines, (v->n + 1) * sizeof(*ls));
	if (ls != NULL)
		v->lines = ls;
	if (cs == NULL || ns == NULL || ls == NULL)
		return -1;
	v->codes[v->n] = strdup(code);
	v->names[v->n] = strdup(name);
	v->lines[v->n] = line;
	v->n++;
	return v->codes[v->n - 1] && v->names[v->n - 1] ? 0 : -1;
}

/* A cell's 12-digit division code (a numeric cell too: Excel shows 12
 * digits as 2.20221E+11), into code[13]; 0 when it holds none. */
static int cell_code(const struct sheet_cell *cell, char code[13])
{
	if (cell->type == SHEET_NUMBER && cell->number >= 1e11 && cell->number < 1e12 &&
	    cell->number == (double)(long long)cell->number) {
		snprintf(code, 13, "%lld", (long long)cell->number);
		return 1;
	}
	size_t n = 0;
	for (const char *p = cell->text; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == 12)
			return 0;
		code[n++] = *p;
	}
	code[n] = '\0';
	return n == 12;
}

/* The villages of a workbook (or a GBK or UTF-16 text): in each row the
 * first cell holding a 12-digit code and the next cell with text after
 * it; rows before the first such row (a title, a header) are passed
 * over, blank rows too, and any other row is refused by number. */
static int villages_from_sheet(struct cli *c, struct sheet_reader *r,
			       const char *path, struct cli_villages *v)
{
	const struct sheet_row *row;
	int got, ret = XB_OK;
	while (ret == XB_OK && (got = sheet_next(r, &row, &c->err)) == 1) {
		char code[13];
		const char *name = NULL;
		size_t j = 0, filled = 0;
		for (size_t k = 0; k < row->ncells; k++)
			filled += row->cells[k].text[0] != '\0';
		while (j < row->ncells && !cell_code(&row->cells[j], code))
			j++;
		for (size_t k = j + 1; k < row->ncells && name == NULL; k++)
			if (row->cells[k].text[0] != '\0')
				name = row->cells[k].text;
		if (filled == 0 || (j == row->ncells && v->n == 0))
			continue; /* blank, or a title or header row */
		if (j == row->ncells || name == NULL)
			ret = xb_fail(&c->err, XB_EINVAL,
				      _("%s, row %lu: write the village's 12-digit code, then "
					"its name in the next cell."),
				      path, row->number);
		else if (villages_add_line(v, code, name, row->number) != 0)
			ret = xb_fail(&c->err, XB_EFAIL, _("Out of memory."));
	}
	return ret == XB_OK && got < 0 ? got : ret;
}

int cli_villages_read(struct cli *c, const char *path, struct cli_villages *v)
{
	memset(v, 0, sizeof(*v));
	struct sheet_reader *r = NULL;
	if (sheet_open(path, &r, &c->err) == XB_OK &&
	    (sheet_reader_format(r) != SHEET_CSV ||
	     sheet_reader_encoding(r) == SHEET_GBK || sheet_reader_encoding(r) == SHEET_UTF16)) {
		int ret = villages_from_sheet(c, r, path, v);
		sheet_close(&r);
		if (ret == XB_OK && v->n == 0)
			ret = xb_fail(&c->err, XB_EINVAL, _("%s holds no village."), path);
		if (ret != XB_OK)
			cli_villages_free(v);
		return ret == XB_OK ? XB_EXIT_OK : cli_fail(c, ret);
	}
	sheet_close(&r);
	xb_error_clear(&c->err);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EINVAL,
					   _("Cannot read the file of villages %s: %s."),
					   path, strerror(errno)));
	char *line = NULL;
	size_t cap = 0, no = 0;
	ssize_t len;
	int ret = XB_OK;
	while (ret == XB_OK && (len = getline(&line, &cap, f)) >= 0) {
		char *s = line, *code, *name;
		no++;
		if (no == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3; /* a byte order mark, as Windows' Notepad writes */
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (split_line(s, &code, &name) != 0)
			ret = xb_fail(&c->err, XB_EINVAL,
				      _("%s, line %zu: write the village's 12-digit "
					"code, then its name (separated by a comma, a "
					"tab or spaces)."),
				      path, no);
		else if (villages_add_line(v, code, name, no) != 0)
			ret = xb_fail(&c->err, XB_EFAIL, _("Out of memory."));
	}
	if (ret == XB_OK && ferror(f))
		ret = xb_fail(&c->err, XB_EFAIL, _("Cannot read the file of villages %s: %s."),
			      path, strerror(errno));
	free(line);
	fclose(f);
	if (ret == XB_OK && v->n == 0)
		ret = xb_fail(&c->err, XB_EINVAL, _("%s holds no village."), path);
	if (ret != XB_OK)
		cli_villages_free(v);
	return ret == XB_OK ? XB_EXIT_OK : cli_fail(c, ret);
}

int cli_villages_add(struct cli *c, const char *path, struct cli_villages *v)
{
	size_t bad = 0;
	int ret = ledger_villages_add(c->st, (const char *const *)v->codes,
				      (const char *const *)v->names, v->n, c->user, &bad,
				      &c->err);
	if (ret != XB_OK && bad < v->n) {
		char msg[sizeof(c->err.msg)];
		snprintf(msg, sizeof(msg), "%s", c->err.msg);
		xb_fail(&c->err, ret, _("%s, line %zu: %s No village of the file was "
					"added."),
			path, v->lines[bad], msg);
	}
	return ret;
}
