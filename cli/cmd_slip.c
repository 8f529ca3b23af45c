/* cmd_slip.c - `xiangban slip` (a child's case slip, or a village's sheet
 * of them) and `xiangban lookup` (what a scanned slip says). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../print/print.h"

/* The office record of this ledger (NULL when it has none). */
static struct store_record *office_record(struct cli *c)
{
	char code[13];
	struct store_record *o = NULL;
	struct xb_error e;
	if (ledger_office(c->st, code, &e) == XB_OK)
		store_get(c->st, NULL, STORE_OFFICE, code, &o, &e);
	return o;
}

/* A village's children, a sheet of eight slips a page (print/lists.c,
 * as `print slips` and the start screen make it). */
static int village_sheet(struct cli *c, const char *village, const char *path,
			 int print)
{
	size_t n = 0;
	char code[13];
	int ret = print_village_slips(c->st, c->user, village, c->today, path, &n, code,
				      &c->err);
	if (ret == XB_OK) {
		printf(ngettext("Wrote a sheet of %zu slip for village %s to %s.\n",
				"Wrote sheets of %zu slips for village %s to %s.\n", n),
		       n, code, path);
		if (print)
			ret = cli_print_or_tell(c, path);
	}
	return ret;
}

/* What slip was asked for. */
struct slip_request {
	const char *case_arg;        /* the child's case, or NULL */
	const char *pdf, *png;       /* where the child's slip goes */
	const char *village, *sheet; /* a village's sheet, and its file */
	int text, reissue, print;
};

/* Reads slip's command line: 0, or -1 when it is wrong (told). */
static int slip_line(struct slip_request *r, int argc, char **argv)
{
	const struct cli_option options[] = {
		{ "pdf", required_argument, .value = &r->pdf },
		{ "png", required_argument, .value = &r->png },
		{ "village", required_argument, .value = &r->village },
		{ "sheet", required_argument, .value = &r->sheet },
		{ "text", no_argument, .flag = &r->text },
		{ "reissue", no_argument, .flag = &r->reissue },
		{ "print", no_argument, .flag = &r->print },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: slip CASE [--pdf FILE | --png FILE | --text] [--reissue] [--print] | "
		  "slip --village CODE --sheet FILE.pdf [--print]"),
		0, 1, 0,
	};
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords < 0)
		return -1;
	r->case_arg = nwords ? argv[1] : NULL;
	return 0;
}

/* Writes slip s where r says: as text on standard output, a PNG, or a
 * PDF; with no file named, CASE-slip.pdf here, sent to the printer. */
static int write_slip(struct cli *c, const struct slip_request *r,
		      const struct slip_data *s, const char *case_no, unsigned version)
{
	int ret;
	if (r->text) {
		char *out = NULL;
		ret = slip_text(s, &out, &c->err);
		if (ret == XB_OK)
			fputs(out, stdout);
		free(out);
		return ret;
	}
	if (r->png != NULL) {
		ret = slip_png(s, r->png, &c->err);
		if (ret == XB_OK)
			printf(_("Wrote slip version %u of %s to %s.\n"), version, case_no, r->png);
		return ret;
	}
	char deflt[64];
	const char *pdf = r->pdf;
	int print = r->print;
	if (pdf == NULL) {
		snprintf(deflt, sizeof(deflt), "%s-slip.pdf", case_no);
		pdf = deflt;
		print = 1;
	}
	ret = slip_pdf(s, 1, 0, pdf, &c->err);
	if (ret == XB_OK)
		printf(_("Wrote slip version %u of %s to %s.\n"), version, case_no, pdf);
	if (ret == XB_OK && print)
		ret = cli_print_or_tell(c, pdf);
	return ret;
}

/* A child's slip: issued (a new version with --reissue), then written. */
static int child_slip(struct cli *c, const struct slip_request *r)
{
	char case_no[32];
	snprintf(case_no, sizeof(case_no), "%s", r->case_arg);
	int ret = cli_case_arg(c, case_no);
	if (ret != XB_OK)
		return ret;
	struct store_record *child = NULL, *office = NULL;
	unsigned version = 0;
	ret = ledger_child_read(c->st, c->user, case_no, &child, &c->err);
	if (ret == XB_OK)
		ret = ledger_slip_issue(c->st, case_no, r->reissue, c->user, &version, &c->err);
	if (ret == XB_OK)
		ret = ledger_member_phone_fill(c->st, child, &c->err);
	if (ret == XB_OK) {
		struct slip_data s;
		office = office_record(c);
		slip_data_fill(office, child, version, c->today, &s);
		ret = write_slip(c, r, &s, case_no, version);
	}
	store_record_free(&child);
	store_record_free(&office);
	return ret;
}

int cmd_slip(struct cli *c, int argc, char **argv)
{
	struct slip_request r = { 0 };
	if (slip_line(&r, argc, argv) != 0)
		return XB_EXIT_USAGE;
	int ret = cli_store(c);
	if (ret)
		return cli_fail(c, ret);
	if (r.village != NULL || r.sheet != NULL) {
		if (r.village == NULL || r.sheet == NULL || r.case_arg != NULL)
			return cli_usage(_("usage: slip --village CODE --sheet FILE.pdf [--print]"));
		return cli_fail(c, village_sheet(c, r.village, r.sheet, r.print));
	}
	if (r.case_arg == NULL || (r.pdf != NULL) + (r.png != NULL) + r.text > 1)
		return cli_usage(_("usage: slip CASE [--pdf FILE | --png FILE | --text] "
				   "[--reissue] [--print]"));
	return cli_fail(c, child_slip(c, &r));
}

int cmd_lookup(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(_("usage: lookup PAYLOAD"));
	char case_no[18], office[13];
	unsigned version;
	int ret = slip_payload_parse(argv[1], case_no, &version, &c->err);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_office(c->st, office, &c->err);
	/* A case number carries its township; the county is its first six
	 * digits. */
	if (ret == XB_OK && strncmp(case_no, office, 6) != 0)
		ret = xb_fail(&c->err, XB_EINVAL,
			      _("Slip %s belongs to another county (%.6s); this ledger is "
				"county %.6s's."),
			      case_no, case_no, office);
	struct store_record *child = NULL;
	if (ret == XB_OK)
		ret = ledger_child_read(c->st, c->user, case_no, &child, &c->err);
	if (ret == XB_ENOTFOUND)
		xb_fail(&c->err, XB_ENOTFOUND, _("No child with case number %s is in this ledger."),
			case_no);
	if (ret == XB_OK) {
		unsigned now;
		enum ledger_slip_state state = ledger_slip_state(child, version, &now);
		if (state == LEDGER_SLIP_REPLACED)
			fprintf(stderr, _("note: this slip (version %u) was replaced by version %u; "
					  "collect it from the family.\n"),
				version, now);
		else if (state == LEDGER_SLIP_NEVER && now > 0)
			fprintf(stderr, _("note: no slip version %u of %s was printed here (the "
					  "latest is version %u); ask where this slip came from.\n"),
				version, case_no, now);
		else if (state == LEDGER_SLIP_NEVER)
			fprintf(stderr, _("note: no slip of %s has been printed here; ask where "
					  "this slip (version %u) came from.\n"),
				case_no, version);
		cli_print_record(c, child);
	}
	store_record_free(&child);
	return cli_fail(c, ret);
}
