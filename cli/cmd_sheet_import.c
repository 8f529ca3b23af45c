/* cmd_sheet_import.c - child import FILE: the survey an office keeps in
 * Excel or WPS brought into the ledger (sheets/sheets.h), with a progress
 * line on a terminal, each row that did not go in and why, and the
 * summary in words or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../sheets/sheets.h"

/* --map may be given again and again. */
enum { MAPS_MAX = 64 };

struct import_cli {
	struct cli *c;
	const char *maps[MAPS_MAX];
	size_t nmaps;
	int progress_shown;
	json_t *rows; /* with --json */
};

static int take_map(void *arg, const char *value)
{
	struct import_cli *ic = arg;
	if (strchr(value, '=') == NULL || value[0] == '=') {
		cli_usage(_("--map takes HEADER=FIELD, as --map '户籍地址=address'"));
		return -1;
	}
	if (ic->nmaps == MAPS_MAX) {
		cli_usage(_("At most %d --map options."), MAPS_MAX);
		return -1;
	}
	ic->maps[ic->nmaps++] = value;
	return 0;
}

static int show_progress(unsigned permille, unsigned long rows, void *arg)
{
	struct import_cli *ic = arg;
	if (!isatty(STDERR_FILENO) || ic->c->json)
		return 0;
	fputc('\r', stderr);
	fprintf(stderr, _("Reading: %3u%%, %lu rows"), permille / 10, rows);
	fflush(stderr);
	ic->progress_shown = 1;
	return 0;
}

static const char *result_key(enum sheet_row_result res)
{
	static const char *const keys[] = {
		[SHEET_ROW_IMPORTED] = "imported", [SHEET_ROW_UPDATED] = "updated",
		[SHEET_ROW_UNCHANGED] = "unchanged", [SHEET_ROW_REJECTED] = "rejected",
		[SHEET_ROW_SKIPPED] = "skipped",
	};
	return keys[res];
}

static void row_told(unsigned long number, enum sheet_row_result res,
		     const char *reason, void *arg)
{
	struct import_cli *ic = arg;
	if (ic->rows != NULL) {
		json_array_append_new(ic->rows,
				      json_pack("{s:I, s:s, s:s}", "row",
						(json_int_t)number, "result",
						result_key(res), "reason", reason));
		return;
	}
	if (res == SHEET_ROW_REJECTED)
		printf(_("Row %lu not imported: %s\n"), number, cli_safe(reason));
	else if (res == SHEET_ROW_SKIPPED)
		printf(_("Row %lu skipped: %s\n"), number, cli_safe(reason));
	else
		printf(_("Row %lu came in; %s\n"), number, cli_safe(reason));
}

static const char *format_name(enum sheet_format f, enum sheet_encoding e)
{
	if (f == SHEET_XLSX)
		return "xlsx";
	if (f == SHEET_XLS)
		return "xls";
	switch (e) {
	case SHEET_UTF8_BOM: return "csv-utf8-bom";
	case SHEET_UTF16: return "text-utf16";
	case SHEET_GBK: return "csv-gbk";
	default: return "csv-utf8";
	}
}

static void print_summary(struct import_cli *ic, const struct sheet_import_summary *s,
			  int dry_run, const char *rejects)
{
	if (ic->c->json) {
		json_t *unknown = json_array();
		if (s->unknown_columns != NULL) {
			/* "、"-joined for people; a list for scripts. */
			char *copy = strdup(s->unknown_columns), *save = NULL;
			for (char *t = copy ? strtok_r(copy, "、", &save) : NULL; t;
			     t = strtok_r(NULL, "、", &save))
				json_array_append_new(unknown, json_string(t));
			free(copy);
		}
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:b, s:s, s:o}",
				      "imported", (json_int_t)s->imported,
				      "updated", (json_int_t)s->updated,
				      "unchanged", (json_int_t)s->unchanged,
				      "rejected", (json_int_t)s->rejected,
				      "skipped", (json_int_t)s->skipped,
				      "header_row", (json_int_t)s->header_row,
				      "columns", (json_int_t)s->ncolumns,
				      "unknown_columns", unknown,
				      "rows", ic->rows,
				      "dry_run", dry_run,
				      "format", format_name(s->format, s->encoding),
				      "rejects_file",
				      s->rejects_written ? json_string(rejects) : json_null());
		ic->rows = NULL;
		cli_print_json(j);
		return;
	}
	printf(_("Header on row %lu: %zu columns taken.\n"), s->header_row, s->ncolumns);
	if (s->unknown_columns != NULL)
		printf(_("Columns not known, left out: %s\n"), cli_safe(s->unknown_columns));
	printf(_("Imported %lu, updated %lu, unchanged %lu, rejected %lu, skipped %lu.\n"),
	       s->imported, s->updated, s->unchanged, s->rejected, s->skipped);
	if (s->rejects_written)
		printf(_("The rejected rows are in %s, with the reason in the last column: "
			 "correct them there and import that file.\n"),
		       cli_safe(rejects));
	if (dry_run)
		printf(_("Dry run: nothing was written.\n"));
}

int cli_child_import(struct cli *c, int argc, char **argv)
{
	struct import_cli ic = { .c = c };
	int dry_run = 0;
	const char *rejects = NULL;
	const struct cli_option options[] = {
		{ "dry-run", no_argument, .flag = &dry_run },
		{ "rejects", required_argument, .value = &rejects },
		{ "map", required_argument, .take = take_map, .arg = &ic },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: child import FILE [--dry-run] [--rejects FILE] "
		  "[--map 'HEADER=FIELD']..."),
		1, 1, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	if (c->json && (ic.rows = json_array()) == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	struct sheet_import_options opt = {
		.user = c->user, .today = c->today, .dry_run = dry_run,
		.rejects = rejects, .maps = ic.maps, .nmaps = ic.nmaps,
		.progress = show_progress, .row_done = row_told, .arg = &ic,
	};
	struct sheet_import_summary sum;
	ret = sheet_import(c->st, argv[1], &opt, &sum, &c->err);
	if (ic.progress_shown)
		fputc('\n', stderr);
	/* The good rows are in even when the rejects file could not be
	 * written: say what came in, then why the file is missing. */
	if (ret == XB_OK || sum.rejects_failed)
		print_summary(&ic, &sum, dry_run, rejects);
	json_decref(ic.rows);
	sheet_import_summary_free(&sum);
	if (ret != XB_OK)
		return cli_fail(c, ret);
	/* The good rows are in; a script is told that some were not. */
	return sum.rejected ? XB_EXIT_INVALID : XB_EXIT_OK;
}
