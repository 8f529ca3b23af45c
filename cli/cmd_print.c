/* cmd_print.c - `xiangban print overdue|reports|slips`: the lists a clerk
 * prints (print/lists.c), the same calls as `p` on the start screen and
 * on the lists' screens; and the sending of a written file to the
 * printer, which `slip` shares. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../print/print.h"

int cli_print_or_tell(struct cli *c, const char *path)
{
	struct xb_error e;
	xb_error_clear(&e);
	int ret = slip_send_to_printer(path, &e);
	if (ret == XB_OK) {
		printf(_("Sent %s to the printer.\n"), cli_safe(path));
		return XB_OK;
	}
	if (ret == XB_ENOTFOUND) {
		printf(_("There is no printer here (no lp); the PDF is in %s.\n"), cli_safe(path));
		return XB_OK;
	}
	c->err = e;
	return ret;
}

#define PRINT_USAGE                                                                \
	N_("usage: print overdue --pdf FILE [--print] | "                          \
	   "print reports --pdf FILE [--stage STAGE] [--unsent] [--closed] [--print] | " \
	   "print slips --village CODE --pdf FILE [--print]")

int cmd_print(struct cli *c, int argc, char **argv)
{
	const char *pdf = NULL, *village = NULL, *stage = NULL;
	int print = 0, unsent = 0, closed = 0;
	const struct cli_option options[] = {
		{ "pdf", required_argument, .value = &pdf, .required = 1 },
		{ "village", required_argument, .value = &village },
		{ "stage", required_argument, .value = &stage },
		{ "unsent", no_argument, .flag = &unsent },
		{ "closed", no_argument, .flag = &closed },
		{ "print", no_argument, .flag = &print },
		{ 0 },
	};
	const struct cli_syntax syntax = { options, _(PRINT_USAGE), 1, 1, 0 };
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	const char *what = argv[1];
	int overdue = strcmp(what, "overdue") == 0, reports = strcmp(what, "reports") == 0,
	    slips = strcmp(what, "slips") == 0;
	if (!overdue && !reports && !slips)
		return cli_usage("%s", _(PRINT_USAGE));
	if ((village != NULL) != slips || (!reports && (stage || unsent || closed)))
		return cli_usage("%s", _(PRINT_USAGE));
	if (stage != NULL) {
		const struct form_field *f = form_field_find(STORE_REPORT, FK_stage);
		if (f == NULL || form_choice_label(f, stage) == NULL ||
		    strcmp(form_choice_label(f, stage), stage) == 0)
			return cli_usage(_("Unknown stage %s; see `report fields`."), stage);
	}
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	size_t n = 0, pages = 0;
	if (overdue) {
		ret = print_overdue_pdf(c->st, c->user, c->today, pdf, &n, &pages, &c->err);
		if (ret == XB_OK)
			printf(ngettext("Wrote the overdue visits (%zu child, %zu pages) to %s.\n",
					"Wrote the overdue visits (%zu children, %zu pages) to %s.\n",
					n),
			       n, pages, cli_safe(pdf));
	} else if (reports) {
		const struct ledger_reports_filter f = { stage, unsent, closed };
		ret = print_reports_pdf(c->st, c->user, c->today, &f, pdf, &n, &pages, &c->err);
		if (ret == XB_OK)
			printf(ngettext("Wrote the reports (%zu report, %zu pages) to %s.\n",
					"Wrote the reports (%zu reports, %zu pages) to %s.\n", n),
			       n, pages, cli_safe(pdf));
	} else {
		char code[13];
		ret = print_village_slips(c->st, c->user, village, c->today, pdf, &n, code,
					  &c->err);
		if (ret == XB_OK)
			printf(ngettext("Wrote a sheet of %zu slip for village %s to %s.\n",
					"Wrote sheets of %zu slips for village %s to %s.\n", n),
			       n, code, cli_safe(pdf));
	}
	if (ret == XB_OK && print)
		ret = cli_print_or_tell(c, pdf);
	return cli_fail(c, ret);
}
