/* cmd_stats.c - `stats`: the period statistics an office files, as text,
 * JSON, a PDF to file or an .xlsx for Excel. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"
#include "../print/print.h"
#include "../sheets/sheets.h"
#include "../stats/stats.h"

static json_t *row_json(const struct stats_table *t, const struct stats_row *r,
			int total)
{
	json_t *o = json_object();
	if (!total && t->by != STATS_BY_NONE) {
		json_object_set_new(o, stats_by_key(t->by), json_string(r->key));
		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "source", json_string(r->source == STATS_FROM_TABLE ?
								     "table" :
								     "records"));
	}
	for (int c = 0; c < STATS_NCOLS; c++)
		json_object_set_new(o, stats_column((enum stats_col)c)->key,
				    json_integer((json_int_t)r->v[c]));
	json_object_set_new(o, STATS_MEDIAN_KEY,
			    r->late_median_days < 0 ? json_null() :
						      json_real(r->late_median_days));
	return o;
}

static json_t *table_json(const struct stats_table *t)
{
	char title[64];
	stats_period_title(&t->period, title, sizeof(title));
	json_t *rows = json_array();
	for (size_t i = 0; i < t->nrows; i++)
		json_array_append_new(rows, row_json(t, &t->rows[i], 0));
	const char *by = stats_by_key(t->by);
	return json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s,s:s?,s:b,s:o,s:o}",
			 "period", t->period.label, "title", title, "from",
			 t->period.from, "to", t->period.to, "office", "code",
			 t->office, "name", t->office_name, "made", t->made, "asof",
			 t->asof, "by", by, "key_cases", t->key_cases, "rows", rows,
			 "total", row_json(t, &t->total, 1));
}

/* One cell of the text table: a count, or the median with one decimal. */
static void print_cell(const struct stats_row *r, int c, int width)
{
	if (c < STATS_NCOLS)
		printf(" %*llu", width, (unsigned long long)r->v[c]);
	else if (r->late_median_days < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*.1f", width, r->late_median_days);
}

/* The table turned on its side, as the paper forms are: a line a column,
 * the rows across (as many as fit in 80 columns at a time), the total
 * last. */
static void print_table(const struct stats_table *t)
{
	char title[64];
	stats_period_title(&t->period, title, sizeof(title));
	printf("%s (%s)  %s  %s %s  %s %s\n", cli_safe(t->office_name), t->office,
	       title, _("figures as of"), t->asof, _("made"), t->made);
	if (stats_scope_label(t) != NULL)
		printf("%s\n", _(stats_scope_label(t)));
	enum { CELL = 9 };
	/* the labels' column as wide as the widest label, within reason */
	int label = 24;
	for (int c = 0; c <= STATS_NCOLS; c++) {
		const char *l = c < STATS_NCOLS ? _(stats_column((enum stats_col)c)->label) :
						   _(stats_median_label());
		if (cli_text_width(l) + 2 > label)
			label = cli_text_width(l) + 2;
	}
	if (label > 46)
		label = 46;
	size_t ncols = t->nrows + 1, per = (size_t)(80 - label) / (CELL + 1);
	for (size_t first = 0; first < ncols; first += per) {
		size_t last = first + per < ncols ? first + per : ncols;
		printf("\n%*s", label, "");
		for (size_t i = first; i < last; i++) {
			const char *name = i < t->nrows ? t->rows[i].name : _("Total");
			if (name[0] == '\0')
				name = i < t->nrows && t->rows[i].key[0] ? t->rows[i].key :
									   _("(none)");
			fputs(" ", stdout);
			int w = cli_text_width(cli_safe(name));
			if (w < CELL)
				printf("%*s", CELL - w, "");
			cli_print_padded(name, w < CELL ? w : CELL);
		}
		fputs("\n", stdout);
		for (int g = 0; g < STATS_NGROUPS; g++) {
			enum stats_col from, to;
			stats_group_columns((enum stats_group)g, &from, &to);
			printf("%s\n", _(stats_group_label((enum stats_group)g)));
			for (int c = from; c <= (int)to + (g == STATS_G_REPORTS); c++) {
				const char *name = c < STATS_NCOLS ?
					_(stats_column((enum stats_col)c)->label) :
					_(stats_median_label());
				fputs("  ", stdout);
				cli_print_padded(name, label - 2);
				for (size_t i = first; i < last; i++)
					print_cell(i < t->nrows ? &t->rows[i] : &t->total, c,
						   CELL);
				fputs("\n", stdout);
			}
		}
	}
}

/* The office above this one, which its bundles go to: a township's
 * county; a county's city, when it has bound one. "" when none. */
static void office_above(struct cli *c, const char *self, char up[13])
{
	up[0] = '\0';
	if (strlen(self) == 9) {
		snprintf(up, 13, "%.6s", self);
		return;
	}
	struct bundle_peer p;
	char city[5];
	snprintf(city, sizeof(city), "%.4s", self);
	struct xb_error ignored = { 0 };
	if (strlen(self) == 6 && bundle_peer_get(c->st, city, &p, &ignored) == XB_OK)
		snprintf(up, 13, "%s", city);
}

/* What changed since the last bundle up the chain, into the JSON object
 * or as a line of text. */
static int since_last_bundle(struct cli *c, const char *self, json_t *j)
{
	char up[13];
	office_above(c, self, up);
	if (up[0] == '\0')
		return XB_OK;
	struct bundle_counts bc;
	int ret = bundle_pending(c->st, up, &bc, &c->err);
	if (ret != XB_OK)
		return ret;
	if (j != NULL) {
		json_object_set_new(j, "since_last_bundle",
				    json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "to", up, "children",
					      (json_int_t)bc.kind[STORE_CHILD], "visits",
					      (json_int_t)bc.kind[STORE_VISIT], "reports",
					      (json_int_t)bc.kind[STORE_REPORT], "tables",
					      (json_int_t)bc.kind[STORE_TABLE], "records",
					      (json_int_t)bc.total));
		return XB_OK;
	}
	printf(_("\nChanged since the last bundle to %s: %" PRIu64 " children, %" PRIu64
		 " visits, %" PRIu64 " reports (%" PRIu64 " records in all).\n"),
	       up, bc.kind[STORE_CHILD], bc.kind[STORE_VISIT], bc.kind[STORE_REPORT],
	       bc.total);
	return XB_OK;
}

int cmd_stats(struct cli *c, int argc, char **argv)
{
	const char *period = NULL, *from = NULL, *to = NULL, *by = NULL;
	const char *pdf = NULL, *xlsx = NULL;
	int key_cases = 0;
	const struct cli_option options[] = {
		{ "key-cases", no_argument, .flag = &key_cases },
		{ "period", required_argument, .value = &period },
		{ "from", required_argument, .value = &from },
		{ "to", required_argument, .value = &to },
		{ "by", required_argument, .value = &by },
		{ "pdf", required_argument, .value = &pdf },
		{ "xlsx", required_argument, .value = &xlsx },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: stats [--period 2026-11|2026-Q4|2026 | --from DATE --to "
		  "DATE] [--by village|member|township|county] [--key-cases] "
		  "[--pdf FILE] [--xlsx FILE]"),
		0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	if (period != NULL && (from != NULL || to != NULL))
		return cli_usage(_("Give --period or --from and --to, not both."));
	if ((from == NULL) != (to == NULL))
		return cli_usage(_("--from and --to go together."));

	struct stats_period p;
	enum stats_by b = STATS_BY_NONE;
	int ret = XB_OK;
	if (period != NULL)
		ret = stats_period_parse(period, &p, &c->err);
	else if (from != NULL)
		ret = stats_period_days(from, to, &p, &c->err);
	else
		stats_period_this_month(c->today, &p);
	if (ret == XB_OK && by != NULL)
		ret = stats_by_parse(by, &b, &c->err);
	if (ret != XB_OK)
		return cli_fail(c, ret);

	struct stats_table *t = NULL;
	if ((ret = cli_store(c)) == XB_OK)
		ret = key_cases ? stats_compute_key_cases(c->st, &p, b, c->user, &t, &c->err)
				: stats_compute(c->st, &p, b, c->user, &t, &c->err);
	if (ret == XB_OK && pdf != NULL)
		ret = print_stats_pdf(t, pdf, &c->err);
	if (ret == XB_OK && xlsx != NULL)
		ret = sheet_stats_write(t, xlsx, &c->err);
	if (ret == XB_OK && c->json) {
		json_t *j = table_json(t);
		ret = since_last_bundle(c, t->office, j);
		if (ret == XB_OK)
			cli_print_json(j);
		else
			json_decref(j);
	} else if (ret == XB_OK && pdf == NULL && xlsx == NULL) {
		print_table(t);
		ret = since_last_bundle(c, t->office, NULL);
	}
	if (ret == XB_OK && !c->json) {
		if (pdf != NULL)
			printf(_("Wrote %s.\n"), cli_safe(pdf));
		if (xlsx != NULL)
			printf(_("Wrote %s.\n"), cli_safe(xlsx));
	}
	stats_table_free(&t);
	return ret ? cli_fail(c, ret) : XB_EXIT_OK;
}
