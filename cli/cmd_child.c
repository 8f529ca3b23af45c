/* cmd_child.c - `xiangban child add|edit|show|list|exit|fields`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../exchange/exchange.h"
#include "../sheets/sheets.h"
#include "../common/i18n.h"
#include "../print/print.h"

/* Tells the clerk what the policy says about a child just saved. */
static void print_warnings(struct cli *c, const struct store_record *child)
{
	unsigned fl = form_child_flags(child, c->today);
	if (fl & FORM_FLAG_OVER_AGE)
		fprintf(stderr, _("warning: %s is 16 or older and is not a "
				  "left-behind child under the policy.\n"),
			child->id);
	if (fl & FORM_FLAG_NOT_LEFT_BEHIND)
		fprintf(stderr, _("warning: %s: the parents' situation does not "
				  "make a left-behind child (both away, or one "
				  "away and the other without capacity).\n"),
			child->id);
	if (fl & FORM_FLAG_UNSUPERVISED)
		fprintf(stderr, _("warning: %s has no guardian: a child under 16 "
				  "must not live without one; arrange a "
				  "guardian.\n"),
			child->id);
	if (fl & FORM_FLAG_TURNS16_SOON)
		fprintf(stderr, _("note: %s turns 16 within 30 days.\n"), child->id);
}

/* Tells the clerk of one child already in the ledger whom the child just
 * registered may be. */
static int warn_similar(const struct store_record *other, void *arg)
{
	const struct store_record *child = arg;
	const char *village = store_record_get(other, FK_village);
	fprintf(stderr, _("warning: %s has no ID number and may be the same "
			  "child as case %s (%s, %s); if so, keep one file "
			  "and remove the other.\n"),
		child->id, other->id, cli_safe(store_record_get(other, FK_name)),
		cli_safe(village ? village : "-"));
	return 0;
}

/* The children already in the ledger whom a child saved without an ID
 * number may be (a warning: the child is saved all the same). */
static void print_similar(struct cli *c, const struct store_record *child)
{
	struct xb_error err = { 0 };
	if (store_record_get(child, FK_id_number) != NULL)
		return;
	if (ledger_child_similar(c->st, NULL, child, warn_similar, (void *)child,
				 &err) != XB_OK)
		fprintf(stderr, _("warning: could not look for the same child "
				  "in the ledger: %s\n"),
			err.msg);
}

/* --expect-version N: a version from 1 into the long at expect; once a
 * value is refused, -1 stays. */
static int take_version(void *expect, const char *value)
{
	long *v = expect, n;
	if (*v < 0)
		return 0;
	if (cli_number(value, &n) != 0 || n == 0 || n > (long)UINT32_MAX)
		*v = -1;
	else
		*v = n;
	return 0;
}

/* Reads the line of child edit or child exit: the case and the fields as
 * words, at least min_words, and --expect-version N anywhere among them
 * (0 when absent). The number of words, or -1 (told with usage). */
static int edit_line(int argc, char **argv, int min_words, const char *usage,
		     long *expect, int *yes)
{
	/* --yes: child exit only */
	struct cli_option options[] = {
		{ "expect-version", required_argument, .take = take_version, .arg = expect },
		{ "yes", no_argument, .flag = yes },
		{ 0 },
	};
	if (yes == NULL)
		memset(&options[1], 0, sizeof(options[1]));
	const struct cli_syntax syntax = { options, usage, min_words, -1, CLI_DASH_WORDS };
	*expect = 0;
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords >= 0 && *expect < 0) {
		cli_usage("%s", usage);
		return -1;
	}
	return nwords;
}

static int child_add(struct cli *c, int argc, char **argv)
{
	struct store_record *rec = store_record_new(STORE_CHILD);
	if (rec == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	int ret = cli_store(c);
	if (ret == XB_OK)
		ret = cli_read_fields(c, rec, argc, argv);
	if (ret == XB_OK)
		ret = ledger_child_add(c->st, NULL, rec, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, rec);
		else
			printf(_("Registered %s, case number %s.\n"),
			       store_record_get(rec, FK_name), rec->id);
		print_warnings(c, rec);
		print_similar(c, rec);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}

static int child_edit(struct cli *c, int argc, char **argv)
{
	long expect;
	int nwords = edit_line(argc, argv, 1,
			       _("usage: child edit CASE [--expect-version N] field=value ..."),
			       &expect, NULL);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	struct store_record *rec = NULL;
	int ret = cli_get_typed(c, STORE_CHILD, argv[1], &rec);
	if (ret == XB_OK && expect > 0)
		rec->version = (uint32_t)expect;
	if (ret == XB_OK)
		ret = cli_read_fields(c, rec, nwords - 1, argv + 2);
	if (ret == XB_OK)
		ret = ledger_child_edit(c->st, rec, c->user, &c->err);
	if (ret == XB_OK) {
		if (c->json)
			cli_print_record(c, rec);
		else
			printf(_("Saved %s (version %u).\n"), rec->id,
			       (unsigned)rec->version);
		print_warnings(c, rec);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}

/* Collects the records under a case (visits or reports) into JSON or
 * prints them as lines under a heading. */
static int list_under(struct cli *c, enum store_kind kind, const char *id,
		      const char *heading, json_t *into, const char *jkey)
{
	char prefix[96];
	struct store_iter *it;
	struct store_record *r;
	snprintf(prefix, sizeof(prefix), "%s/", id);
	int ret = store_iter_open(c->st, kind, STORE_BY_ID, STORE_PREFIX, prefix,
				  &it, &c->err);
	if (ret)
		return ret;
	json_t *arr = into ? json_array() : NULL;
	int first = 1;
	while ((ret = store_iter_next(it, &r, NULL, &c->err)) == 1) {
		if (arr) {
			json_array_append_new(arr, cli_record_json(r, c->today));
		} else {
			if (first)
				printf("\n[%s]\n", heading);
			first = 0;
			fputs("  ", stdout);
			cli_print_line(c, r);
		}
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (arr)
		json_object_set_new(into, jkey, arr);
	return ret < 0 ? ret : XB_OK;
}

/* The child's assistance: the entries current today as lines under a
 * heading, or every entry into JSON (each saying whether it is
 * current). */
static int show_aid(struct cli *c, const struct store_record *child, json_t *into)
{
	struct store_record **recs;
	size_t n;
	int ret = ledger_aid_list(c->st, c->user, child->id, &recs, &n, &c->err);
	if (ret != XB_OK)
		return ret;
	json_t *arr = into ? json_array() : NULL;
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (arr) {
			json_array_append_new(arr, cli_record_json(recs[i], c->today));
			continue;
		}
		if (!ledger_aid_current(recs[i], c->today))
			continue;
		if (first)
			printf("\n[%s]\n", _("Assistance received now"));
		first = 0;
		fputs("  ", stdout);
		cli_print_line(c, recs[i]);
	}
	if (arr)
		json_object_set_new(into, "aid", arr);
	store_records_free(recs, n);
	return XB_OK;
}

/* Where a transferred child went, in words: the township's name when this
 * ledger knows it, and its code. */
static void print_transferred(struct cli *c, const struct store_record *rec)
{
	const char *to = store_record_get(rec, FK_transferred_to);
	struct store_record *t = NULL;
	char name[128];
	if (to == NULL)
		return;
	ledger_transfer_last(c->st, rec->id, to, &t, &c->err);
	xb_error_clear(&c->err);
	ledger_township_name(c->st, to, t, name, sizeof(name));
	if (name[0])
		printf(_("\nTransferred to %s (%s) on %s: the file is closed here.\n"),
		       cli_safe(name), to, cli_safe(store_record_get(rec, FK_exit_date)));
	else
		printf(_("\nTransferred to township %s on %s: the file is closed "
			 "here.\n"),
		       to, cli_safe(store_record_get(rec, FK_exit_date)));
	store_record_free(&t);
}

/* The file a child transferred in came with, as lines or into JSON. */
struct earlier {
	struct cli *c;
	json_t *j; /* an object of arrays, or NULL for lines */
};

static int earlier_record(const struct store_record *r, void *arg)
{
	struct earlier *e = arg;
	static const struct {
		enum store_kind kind;
		const char *key;
	} parts[] = { { STORE_VISIT, "visits" }, { STORE_REPORT, "reports" },
		      { STORE_STEP, "steps" } };
	if (e->j != NULL) {
		if (r->kind == STORE_TRANSFER) {
			json_object_set_new(e->j, "transfer", json_string(r->id));
			json_object_set_new(e->j, "date",
					    json_string(store_record_get(r, FK_date)));
		}
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (parts[i].kind == r->kind) {
				json_t *arr = json_object_get(e->j, parts[i].key);
				if (arr == NULL)
					json_object_set_new(e->j, parts[i].key,
							    arr = json_array());
				json_array_append_new(arr, cli_record_json(r, e->c->today));
			}
		return 0;
	}
	if (r->kind == STORE_TRANSFER) {
		printf(_("\n[The file before the transfer: case %s of township %s, "
			 "transferred on %s (kept as sent, not counted here)]\n"),
		       cli_safe(store_record_get(r, FK_case_no)),
		       cli_safe(store_record_get(r, FK_from)),
		       cli_safe(store_record_get(r, FK_date)));
	} else if (r->kind != STORE_CHILD) {
		fputs("  ", stdout);
		cli_print_line(e->c, r);
	}
	return 0;
}

static int child_show(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(_("usage: child show CASE"));
	struct store_record *rec = NULL;
	/* read as the user may: a village user, their villages' children */
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_child_read(c->st, c->user, argv[1], &rec, &c->err);
	if (ret == XB_OK) {
		json_t *j = c->json ? cli_record_json(rec, c->today) : NULL;
		if (!c->json) {
			cli_print_record(c, rec);
			print_transferred(c, rec);
		}
		ret = show_aid(c, rec, j);
		if (ret == XB_OK)
			ret = list_under(c, STORE_VISIT, rec->id, _("Visits"), j, "visits");
		if (ret == XB_OK)
			ret = list_under(c, STORE_REPORT, rec->id, _("Reports"), j,
					 "reports");
		if (ret == XB_OK)
			ret = list_under(c, STORE_TRANSFER, rec->id, _("Transfers"), j,
					 "transfers");
		struct earlier e = { c, j ? json_object() : NULL };
		if (ret == XB_OK) {
			ret = bundle_transfer_file(c->st, rec, earlier_record, &e, &c->err);
			if (ret == XB_ENOTFOUND)
				ret = XB_OK;
		}
		if (j && json_object_size(e.j) > 0)
			json_object_set(j, "transferred_from", e.j);
		json_decref(e.j);
		if (j)
			cli_print_json(j);
	}
	store_record_free(&rec);
	return cli_fail(c, ret);
}

struct list_filter {
	unsigned flag;
	const char *due_before;
	const char *status;
	const char *member;
	struct ledger_member m; /* who member names, read once */
	int key_cases;          /* --key-cases: 重点对象 only */
	const struct ledger_who *who; /* a village user sees their villages' */
	const char *today;
};

static int keep_child(const struct store_record *r, void *arg)
{
	struct list_filter *f = arg;
	if (f->flag && !(form_child_flags(r, f->today) & f->flag))
		return 0;
	if (f->status != NULL) {
		const char *st = store_record_get(r, FK_status);
		if (st == NULL || strcmp(st, f->status) != 0)
			return 0;
	}
	if (f->due_before != NULL) {
		const char *due = store_record_get(r, FK_next_visit_due);
		if (due == NULL || strcmp(due, f->due_before) >= 0)
			return 0;
	}
	if (f->member != NULL && !ledger_member_matches(&f->m, r))
		return 0;
	if (f->key_cases) {
		const char *k = store_record_get(r, FK_key_case);
		if (k == NULL || strcmp(k, "yes") != 0)
			return 0;
	}
	return f->who == NULL || ledger_who_sees(f->who, r);
}

static const struct {
	const char *name;
	unsigned bit;
} flag_names[] = {
	{ "unsupervised", FORM_FLAG_UNSUPERVISED },
	{ "turns16_soon", FORM_FLAG_TURNS16_SOON },
	{ "over_age", FORM_FLAG_OVER_AGE },
	{ "not_left_behind", FORM_FLAG_NOT_LEFT_BEHIND },
	{ "no_hukou", FORM_FLAG_NO_HUKOU },
	{ "out_of_school", FORM_FLAG_OUT_OF_SCHOOL },
	{ "visit_overdue", FORM_FLAG_VISIT_OVERDUE },
	{ "no_village", FORM_FLAG_NO_VILLAGE },
};

/* --flag FLAG, given again for any of several. */
static int take_flag(void *flags, const char *name)
{
	for (size_t k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
		if (strcmp(flag_names[k].name, name) == 0) {
			*(unsigned *)flags |= flag_names[k].bit;
			return 0;
		}
	cli_usage(_("unknown flag %s"), name);
	return -1;
}

/* What child list was asked, the filters and where the list goes. */
struct list_opts {
	const char *village, *status;
	struct list_filter filt;
	long limit;
	const char *pdf;  /* --pdf FILE: a printed roster */
	const char *xlsx; /* --xlsx FILE: the roster for Excel */
	const char *csv;  /* --csv FILE */
	const char *encoding; /* of the CSV: utf8 (with BOM) or gbk */
};

/* --- where the list goes: a sink ------------------------------------------
 * Lines or JSON on stdout, or a roster file. list_sink_open chooses one
 * from the options; another kind of roster file is one more case there
 * and its three callbacks. */
struct list_sink {
	/* Takes one child kept by the filters: XB_OK or a status (c->err). */
	int (*add)(struct list_sink *s, const struct store_record *child);
	/* After the last child: writes or prints what is left and says what
	 * was done; returns the exit status. */
	int (*finish)(struct list_sink *s);
	/* After a failure: leaves nothing behind. */
	void (*abort)(struct list_sink *s);
	struct cli *c;
	size_t count;
	json_t *arr;             /* --json lines */
	struct roster_pdf *pdf;  /* --pdf */
	struct sheet_roster *sheet; /* --xlsx, --csv */
	const char *path;
};

static int lines_add(struct list_sink *s, const struct store_record *child)
{
	if (s->arr)
		json_array_append_new(s->arr, cli_record_json(child, s->c->today));
	else
		cli_print_line(s->c, child);
	return XB_OK;
}

static int lines_finish(struct list_sink *s)
{
	if (s->arr)
		cli_print_json(s->arr);
	s->arr = NULL;
	return XB_EXIT_OK;
}

static void lines_abort(struct list_sink *s)
{
	json_decref(s->arr);
	s->arr = NULL;
}

/* The file written, and how many children it holds. */
static void tell_written(struct cli *c, const char *path, size_t children,
			 size_t pages)
{
	if (c->json) {
		cli_print_json(json_pack("{s:s,s:I,s:I}", "path", path, "children",
					 (json_int_t)children, "pages", (json_int_t)pages));
		return;
	}
	printf(ngettext("Wrote %s: %zu child.\n", "Wrote %s: %zu children.\n",
			children),
	       cli_safe(path), children);
}

static int pdf_add(struct list_sink *s, const struct store_record *child)
{
	return roster_pdf_add(s->pdf, child, &s->c->err);
}

static int pdf_finish(struct list_sink *s)
{
	size_t pages = 0, n = roster_pdf_count(s->pdf);
	int ret = roster_pdf_close(&s->pdf, &pages, &s->c->err);
	if (ret != XB_OK)
		return cli_fail(s->c, ret);
	tell_written(s->c, s->path, n, pages);
	return XB_EXIT_OK;
}

static void pdf_abort(struct list_sink *s)
{
	roster_pdf_abort(&s->pdf);
}

static int roster_sheet_add(struct list_sink *s, const struct store_record *child)
{
	return sheet_roster_add(s->sheet, child, &s->c->err);
}

static int roster_sheet_finish(struct list_sink *s)
{
	size_t n = sheet_roster_count(s->sheet);
	int ret = sheet_roster_close(&s->sheet, &s->c->err);
	if (ret != XB_OK)
		return cli_fail(s->c, ret);
	tell_written(s->c, s->path, n, 0);
	return XB_EXIT_OK;
}

static void roster_sheet_abort(struct list_sink *s)
{
	sheet_roster_abort(&s->sheet);
}

/* The village's name as children's files give it ("" when none has one). */
static void village_name(struct cli *c, const char *code, char *buf, size_t len)
{
	struct store_iter *it;
	struct store_record *r;
	struct xb_error e;
	buf[0] = '\0';
	if (store_iter_open(c->st, STORE_CHILD, STORE_BY_VILLAGE, STORE_EXACT, code,
			    &it, &e) != XB_OK)
		return;
	if (store_iter_next(it, &r, NULL, &e) == 1) {
		const char *v = store_record_get(r, FK_village);
		snprintf(buf, len, "%s", v ? v : "");
		store_record_free(&r);
	}
	store_iter_close(&it);
}

/* The filters in words for a roster's head: at most one a option. */
struct filter_words {
	struct roster_filter f[6];
	size_t n;
	char village[160], flags[256];
};

static void filters_in_words(struct cli *c, const struct list_opts *o,
			     struct filter_words *w)
{
	w->n = 0;
	if (o->village != NULL) {
		char name[128];
		village_name(c, o->village, name, sizeof(name));
		if (name[0])
			snprintf(w->village, sizeof(w->village), "%s (%s)", name, o->village);
		else
			snprintf(w->village, sizeof(w->village), "%s", o->village);
		w->f[w->n++] = (struct roster_filter){
			form_label(form_field_find(STORE_CHILD, FK_village)), w->village };
	}
	if (o->filt.flag) {
		w->flags[0] = '\0';
		for (int b = 0; b < FORM_FLAG_COUNT; b++) {
			if (!(o->filt.flag & (1u << b)))
				continue;
			size_t used = strlen(w->flags);
			snprintf(w->flags + used, sizeof(w->flags) - used, "%s%s",
				 used ? _(" or ") : "", form_flag_label(1u << b));
		}
		w->f[w->n++] = (struct roster_filter){ _("Flag"), w->flags };
	}
	if (o->status != NULL) {
		const struct form_field *f = form_field_find(STORE_CHILD, FK_status);
		w->f[w->n++] = (struct roster_filter){ form_label(f),
						       form_choice_label(f, o->status) };
	}
	if (o->filt.due_before != NULL)
		w->f[w->n++] = (struct roster_filter){ _("Next visit due before"),
						       o->filt.due_before };
	if (o->filt.member != NULL)
		w->f[w->n++] = (struct roster_filter){
			form_label(form_field_find(STORE_CHILD, FK_member_name)),
			o->filt.member };
	if (o->filt.key_cases && w->n < sizeof(w->f) / sizeof(w->f[0]))
		w->f[w->n++] = (struct roster_filter){
			form_label(form_field_find(STORE_CHILD, FK_key_case)),
			form_choice_label(form_field_find(STORE_CHILD, FK_key_case), "yes") };
}

/* Opens the roster PDF sink: the office and the filters in its head. */
static int pdf_open(struct cli *c, const struct list_opts *o, struct list_sink *s)
{
	char code[13] = "";
	struct store_record *office = NULL;
	struct xb_error e;
	struct filter_words w;
	if (ledger_office(c->st, code, &e) == XB_OK)
		store_get(c->st, NULL, STORE_OFFICE, code, &office, &e);
	filters_in_words(c, o, &w);
	const char *name = office ? store_record_get(office, FK_name) : NULL;
	struct roster_head head = { name, code, c->today, w.f, w.n };
	int ret = roster_pdf_open(o->pdf, &head, &s->pdf, &c->err);
	store_record_free(&office);
	s->add = pdf_add;
	s->finish = pdf_finish;
	s->abort = pdf_abort;
	s->path = o->pdf;
	return ret;
}

/* Opens the spreadsheet roster sink: .xlsx with the office's title, or
 * CSV in the encoding asked. */
static int roster_sheet_open(struct cli *c, const struct list_opts *o,
			     struct list_sink *s)
{
	char code[13] = "", title[256] = "";
	struct store_record *office = NULL;
	struct xb_error e;
	if (ledger_office(c->st, code, &e) == XB_OK &&
	    store_get(c->st, NULL, STORE_OFFICE, code, &office, &e) == XB_OK)
		snprintf(title, sizeof(title), "%s农村留守儿童花名册（%s）",
			 store_record_get(office, FK_name) ? store_record_get(office, FK_name)
							   : code,
			 c->today);
	store_record_free(&office);
	enum sheet_encoding enc = SHEET_UTF8_BOM;
	if (o->encoding != NULL && strcmp(o->encoding, "gbk") == 0)
		enc = SHEET_GBK;
	s->path = o->xlsx ? o->xlsx : o->csv;
	s->add = roster_sheet_add;
	s->finish = roster_sheet_finish;
	s->abort = roster_sheet_abort;
	return sheet_roster_open(s->path, o->xlsx ? SHEET_XLSX : SHEET_CSV, enc,
				 title[0] ? title : NULL, &s->sheet, &c->err);
}

/* The one place the list's output is chosen. */
static int list_sink_open(struct cli *c, const struct list_opts *o,
			  struct list_sink *s)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	if (o->pdf != NULL)
		return pdf_open(c, o, s);
	if (o->xlsx != NULL || o->csv != NULL)
		return roster_sheet_open(c, o, s);
	s->add = lines_add;
	s->finish = lines_finish;
	s->abort = lines_abort;
	s->arr = c->json ? json_array() : NULL;
	return XB_OK;
}

/* Every child the index gives that the filters keep, up to the limit,
 * into the sink. */
static int list_run(struct cli *c, struct store_iter *it, const struct list_opts *o,
		    struct list_sink *s)
{
	struct store_record *r;
	int ret = XB_OK;
	while ((o->limit == 0 || s->count < (size_t)o->limit) &&
	       (ret = store_iter_next(it, &r, NULL, &c->err)) == 1) {
		if (cli_sees(c, r) && keep_child(r, (void *)&o->filt)) {
			s->count++;
			ret = s->add(s, r);
		}
		store_record_free(&r);
		if (ret != 1 && ret != XB_OK)
			return ret;
	}
	if (o->limit != 0 && s->count >= (size_t)o->limit)
		ret = XB_OK;
	return ret < 0 ? ret : XB_OK;
}

static int child_list(struct cli *c, int argc, char **argv)
{
	struct list_opts o = { .filt = { .today = c->today } };
	const struct cli_option options[] = {
		{ "village", required_argument, .value = &o.village },
		{ "status", required_argument, .value = &o.status },
		{ "due-before", required_argument, .value = &o.filt.due_before },
		{ "limit", required_argument, .take = cli_take_limit, .arg = &o.limit },
		{ "flag", required_argument, .take = take_flag, .arg = &o.filt.flag },
		{ "member", required_argument, .value = &o.filt.member },
		{ "key-cases", no_argument, .flag = &o.filt.key_cases },
		{ "pdf", required_argument, .value = &o.pdf },
		{ "xlsx", required_argument, .value = &o.xlsx },
		{ "csv", required_argument, .value = &o.csv },
		{ "encoding", required_argument, .value = &o.encoding },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: child list [--village CODE] [--status active|exited] [--flag FLAG] "
		  "[--due-before DATE] [--member NAME] [--key-cases] [--limit N] "
		  "[--pdf FILE | --xlsx FILE | --csv FILE [--encoding utf8|gbk]]"),
		0, 0, 0,
	};
	if (cli_parse(argc, argv, &syntax) < 0)
		return XB_EXIT_USAGE;
	if ((o.pdf != NULL) + (o.xlsx != NULL) + (o.csv != NULL) > 1)
		return cli_usage(_("One file at a time: --pdf, --xlsx or --csv."));
	if (o.encoding != NULL &&
	    (o.csv == NULL || (strcmp(o.encoding, "utf8") != 0 && strcmp(o.encoding, "gbk") != 0)))
		return cli_usage(_("--encoding is utf8 or gbk, for --csv."));
	int ret = cli_store(c);
	/* A member by user name or full name: either finds their children. */
	if (ret == XB_OK && o.filt.member != NULL)
		ret = ledger_member_names(c->st, o.filt.member, &o.filt.m, &c->err);
	if (ret)
		return cli_fail(c, ret);
	o.filt.who = c->who.scoped ? &c->who : NULL;
	enum store_index index = STORE_BY_ID;
	const char *key = NULL;
	if (o.village != NULL) {
		/* A village list may narrow by status too. */
		index = STORE_BY_VILLAGE;
		key = o.village;
		o.filt.status = o.status; /* narrowed while listing */
	} else if (o.status != NULL) {
		index = STORE_BY_STATUS;
		key = o.status;
	} else if (o.filt.due_before != NULL) {
		index = STORE_BY_DUE;
	}
	struct list_sink sink;
	ret = list_sink_open(c, &o, &sink);
	if (ret)
		return cli_fail(c, ret);
	struct store_iter *it;
	ret = store_iter_open(c->st, STORE_CHILD, index,
			      key ? STORE_EXACT : STORE_ALL, key, &it, &c->err);
	if (ret == XB_OK) {
		ret = list_run(c, it, &o, &sink);
		store_iter_close(&it);
	}
	if (ret != XB_OK) {
		sink.abort(&sink);
		return cli_fail(c, ret);
	}
	return sink.finish(&sink);
}

static int child_exit(struct cli *c, int argc, char **argv)
{
	long expect;
	int yes = 0;
	int nwords = edit_line(argc, argv, 2,
			       _("usage: child exit CASE exit_reason=REASON [exit_date=DATE] "
				 "[--expect-version N] [--yes]"),
			       &expect, &yes);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	struct store_record *fields = store_record_new(STORE_CHILD);
	if (fields == NULL)
		return cli_fail(c, xb_fail(&c->err, XB_EFAIL, _("Out of memory.")));
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = cli_read_fields(c, fields, nwords - 1, argv + 2);
	for (size_t k = 0; ret == XB_OK && k < fields->nfields; k++)
		if (strcmp(fields->fields[k].key, FK_exit_reason) != 0 &&
		    strcmp(fields->fields[k].key, FK_exit_date) != 0)
			ret = xb_fail(&c->err, XB_EINVAL,
				      _("Only the reason and the date of leaving "
					"are given here."));
	if (ret == XB_OK)
		ret = cli_store(c);
	const struct form_field *f = form_field_find(STORE_CHILD, FK_exit_reason);
	const char *reason = store_record_get(fields, FK_exit_reason);
	const char *code = reason ? form_choice_code(f, reason) : NULL;
	const char *date = store_record_get(fields, FK_exit_date);
	char name[64], request[LEDGER_REQUEST_MAX] = "";
	/* Checked, then confirmed, then done or asked of a leader. */
	if (ret == XB_OK)
		ret = ledger_child_exit_check(c->st, argv[1], code ? code : reason, date,
					      c->user, name, &c->err);
	if (ret == XB_OK) {
		char q[512];
		snprintf(q, sizeof(q), _("Take %s (%s) off the ledger for \"%s\"?"), name,
			 argv[1], form_choice_label(f, code ? code : reason));
		int status = cli_confirm(c, yes, q);
		if (status != XB_EXIT_OK) {
			store_record_free(&fields);
			return status;
		}
		ret = ledger_child_exit(c->st, argv[1], code ? code : reason, date,
					(uint32_t)expect, c->user, request, &c->err);
	}
	if (ret == XB_OK && !cli_print_waiting(c, request) && !c->json)
		printf(_("%s has left the ledger.\n"), argv[1]);
	store_record_free(&fields);
	return cli_fail(c, ret);
}

/* Reads the words after the case as key=value, each key one of names
 * (the first is the key's name in messages), into values. */
static int take_words(struct cli *c, int nwords, char **words,
		      const char *const names[][3], const char **values, size_t n)
{
	for (int w = 0; w < nwords; w++) {
		const char *eq = strchr(words[w], '=');
		size_t i = n;
		for (size_t k = 0; eq && k < n && i == n; k++)
			for (size_t m = 0; m < 3 && names[k][m]; m++)
				if (strlen(names[k][m]) == (size_t)(eq - words[w]) &&
				    strncmp(words[w], names[k][m], (size_t)(eq - words[w])) == 0)
					i = k;
		if (i == n)
			return xb_fail(&c->err, XB_EINVAL, _("Unknown field %s."),
				       cli_safe(words[w]));
		values[i] = eq + 1;
	}
	return XB_OK;
}

static int child_readmit(struct cli *c, int argc, char **argv)
{
	const struct cli_syntax syntax = {
		NULL, _("usage: child readmit CASE reason=TEXT [date=DATE]"), 1, 3,
		CLI_DASH_WORDS,
	};
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	static const char *const names[][3] = {
		{ "reason", FK_readmit_reason, "原因" },
		{ "date", FK_readmit_date, "日期" },
	};
	const char *v[2] = { NULL, NULL };
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = take_words(c, nwords - 1, argv + 2, names, v, 2);
	if (ret == XB_OK)
		ret = cli_store(c);
	if (ret == XB_OK)
		ret = ledger_child_readmit(c->st, argv[1], v[0], v[1], c->user, &c->err);
	if (ret == XB_OK && c->json)
		cli_print_json(json_pack("{s:s,s:s}", "case", argv[1], "status", "active"));
	else if (ret == XB_OK)
		printf(_("%s is back in the ledger.\n"), argv[1]);
	return cli_fail(c, ret);
}

static int child_transfer(struct cli *c, int argc, char **argv)
{
	const char *to = NULL, *name = NULL;
	int yes = 0;
	const struct cli_option options[] = {
		{ "to", required_argument, .value = &to, .required = 1 },
		{ "name", required_argument, .value = &name },
		{ "yes", no_argument, .flag = &yes },
		{ 0 },
	};
	const struct cli_syntax syntax = {
		options,
		_("usage: child transfer CASE --to TOWNSHIP [--name NAME] [date=DATE] "
		  "[reason=TEXT] [--yes]"),
		1, 3, CLI_DASH_WORDS,
	};
	int nwords = cli_parse(argc, argv, &syntax);
	if (nwords < 0)
		return XB_EXIT_USAGE;
	static const char *const names[][3] = {
		{ "date", "日期", NULL },
		{ "reason", "原因", NULL },
	};
	const char *v[2] = { NULL, NULL };
	char id[LEDGER_CASE_MAX] = "", request[LEDGER_REQUEST_MAX] = "", cn[64];
	int ret = cli_case_arg(c, argv[1]);
	if (ret == XB_OK)
		ret = take_words(c, nwords - 1, argv + 2, names, v, 2);
	if (ret == XB_OK)
		ret = cli_store(c);
	/* Checked, then confirmed, then done or asked of a leader. */
	struct ledger_transfer t = { argv[1], to, name, v[0], v[1] };
	if (ret == XB_OK)
		ret = ledger_child_transfer_check(c->st, &t, c->user, cn, &c->err);
	if (ret == XB_OK) {
		char q[512];
		snprintf(q, sizeof(q), _("Transfer %s (%s) to township %s%s%s? The file "
					 "is closed here."),
			 cn, argv[1], to, name ? " " : "", name ? name : "");
		int status = cli_confirm(c, yes, q);
		if (status != XB_EXIT_OK)
			return status;
		ret = bundle_child_transfer(c->st, argv[1], to, name, v[0], v[1], c->user,
					    id, request, &c->err);
	}
	if (ret == XB_OK && cli_print_waiting(c, request))
		;
	else if (ret == XB_OK && c->json)
		cli_print_json(json_pack("{s:s,s:s,s:s}", "case", argv[1], "transfer", id,
					 "to", to));
	else if (ret == XB_OK)
		printf(_("%s is transferred to township %s (transfer %s): it goes "
			 "with the next bundle to the county, which passes it on. "
			 "The file is closed here.\n"),
		       argv[1], to, id);
	return cli_fail(c, ret);
}

int cmd_child(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(_("usage: child "
				   "add|edit|show|list|exit|readmit|transfer|import|fields ..."));
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "add") == 0)
		return child_add(c, argc - 1, argv + 1);
	if (strcmp(sub, "edit") == 0)
		return child_edit(c, argc, argv);
	if (strcmp(sub, "show") == 0)
		return child_show(c, argc, argv);
	if (strcmp(sub, "list") == 0)
		return child_list(c, argc, argv);
	if (strcmp(sub, "exit") == 0)
		return child_exit(c, argc, argv);
	if (strcmp(sub, "readmit") == 0)
		return child_readmit(c, argc, argv);
	if (strcmp(sub, "transfer") == 0)
		return child_transfer(c, argc, argv);
	if (strcmp(sub, "import") == 0)
		return cli_child_import(c, argc, argv);
	if (strcmp(sub, "fields") == 0) {
		cli_print_fields(c, STORE_CHILD);
		return XB_EXIT_OK;
	}
	return cli_usage(_("unknown child command %s"), sub);
}
