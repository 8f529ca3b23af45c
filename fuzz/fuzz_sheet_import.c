/* fuzz_sheet_import.c - a sheet imported into a real township ledger as
 * `child import --dry-run` does it (sheet_import with dry_run: the header
 * found, columns matched to fields, every row checked against the
 * ledger, then undone, so each input meets the same ledger). The reading
 * of the bytes is fuzz_sheet's; this harness is for the header and row
 * logic, so its seeds are small CSVs.
 *
 * The ledger, made once: township 220221100 with villages 前进村, 红旗村
 * and 太平村 registered and three children imported from a sheet (so a
 * row may be a child already there, the same or changed, or like one).
 * The input goes to one file per process; both live in folders made once
 * and removed at exit.
 *
 * Contracts, beyond crashes, leaks and sanitizer reports: a refusal says
 * why in whole UTF-8; an import that finishes has a header row, a column
 * at least, the unknown headers and every row's reason in whole UTF-8
 * (a reason is never empty, and names a row after the header), as many
 * rejected rows told as counted, and counts every row after the header
 * once (rows a workbook leaves out count as skipped). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "../forms/ledger.h"
#include "../sheets/sheets.h"

#define TOWN "220221100"

static struct store *st;
static char home[64], dir[64], path[96];

/* The children already in the ledger: the survey's first three rows. */
static const char known[] =
	"姓名,性别,身份证号码,出生日期,所在村,父亲现状,母亲现状,监护人姓名,与儿童关系,就学状况,联系电话\n"
	"张浩然,男,220221201205030110,2012/5/3,前进村,外出务工,外出务工,张德福,祖父母,在校,13944210001\n"
	"李欣怡,女,220221201409210228,2014/9/21,前进村,外出务工,在家,王秀兰,母亲,在校,13944210002\n"
	"陈宇轩,男,,2010/11/30,太平村,死亡,外出务工,陈淑珍,祖父母,在校,13944210005\n";

static void remove_tree(const char *d)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_sheet_import: could not remove %s\n", d);
}

static void close_ledger(void)
{
	store_close(&st);
	remove_tree(home);
	remove_tree(dir);
}

/* The input as the file at path; 0, or -1 when it cannot be written. */
static int write_input(const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	const char *p = data;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, p + done, size - done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

/* What a finished import told of its rows. */
struct told {
	const struct sheet_import_summary *sum; /* filled before rows are told */
	unsigned long rejected, skipped;
};

static void row_done(unsigned long number, enum sheet_row_result res,
		     const char *reason, void *arg)
{
	struct told *t = arg;
	if (res != SHEET_ROW_REJECTED && res != SHEET_ROW_SKIPPED)
		FUZZ_BUG("row %lu told with result %d", number, (int)res);
	if (reason == NULL || reason[0] == '\0' || !fuzz_utf8(reason))
		FUZZ_BUG("row %lu told without a whole reason: \"%s\"", number,
			 reason ? reason : "(null)");
	if (number <= t->sum->header_row)
		FUZZ_BUG("row %lu told, the header being row %lu", number,
			 t->sum->header_row);
	if (res == SHEET_ROW_REJECTED)
		t->rejected++;
	else
		t->skipped++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("XIANGBAN_NOW", FUZZ_TODAY "T09:00:00", 1);
	setenv("LANGUAGE", "C", 1);
	snprintf(home, sizeof(home), "/tmp/xbfuzz.XXXXXX");
	snprintf(dir, sizeof(dir), "/tmp/xbfuzz.XXXXXX");
	static const char *const codes[] = { TOWN "001", TOWN "002", TOWN "003" };
	static const char *const names[] = { "前进村", "红旗村", "太平村" };
	struct sheet_import_options opt = { .user = "fuzz", .today = FUZZ_TODAY };
	struct sheet_import_summary sum = { 0 };
	struct xb_error err;
	size_t bad;
	xb_error_clear(&err);
	if (mkdtemp(home) == NULL || mkdtemp(dir) == NULL ||
	    snprintf(path, sizeof(path), "%s/sheet.csv", dir) < 0 ||
	    store_open(home, &st, &err) != XB_OK ||
	    ledger_init(st, TOWN, "城关镇", NULL, "fuzz", NULL, &err) != XB_OK ||
	    ledger_villages_add(st, codes, names, 3, "fuzz", &bad, &err) != XB_OK ||
	    write_input(known, sizeof(known) - 1) != 0 ||
	    sheet_import(st, path, &opt, &sum, &err) != XB_OK || sum.imported != 3) {
		fprintf(stderr, "fuzz_sheet_import: cannot make the ledger: %s "
			"(%lu imported, %lu rejected)\n", err.msg, sum.imported,
			sum.rejected);
		abort();
	}
	sheet_import_summary_free(&sum);
	atexit(close_ledger);
	return 0;
}

/* The number of the sheet's last row, as its reader gives it (0 when it
 * cannot be read to the end: then the import cannot have finished). */
static unsigned long last_row(void)
{
	struct sheet_reader *r;
	struct xb_error err;
	const struct sheet_row *row;
	unsigned long last = 0;
	int got;
	if (sheet_open(path, &r, &err) != XB_OK)
		return 0;
	while ((got = sheet_next(r, &row, &err)) == 1)
		last = row->number;
	sheet_close(&r);
	return got == 0 ? last : 0;
}

/* The counts of an import that finished agree with its sheet. */
static void check_summary(const struct sheet_import_summary *s, const struct told *t)
{
	if (s->header_row == 0 || s->ncolumns == 0)
		FUZZ_BUG("an import without a header (row %lu, %zu columns)",
			 s->header_row, s->ncolumns);
	if (s->unknown_columns != NULL &&
	    (s->unknown_columns[0] == '\0' || !fuzz_utf8(s->unknown_columns)))
		FUZZ_BUG("unknown columns \"%s\"", s->unknown_columns);
	if (t->rejected != s->rejected || t->skipped > s->skipped)
		FUZZ_BUG("%lu rejected and %lu skipped told, %lu and %lu counted",
			 t->rejected, t->skipped, s->rejected, s->skipped);
	if (s->rejects_written)
		FUZZ_BUG("a dry run wrote its rejects");
	unsigned long total = s->imported + s->updated + s->unchanged + s->rejected +
			      s->skipped;
	unsigned long last = last_row();
	/* after the header, or after its second level */
	if (last < s->header_row ||
	    (total != last - s->header_row && total + 1 != last - s->header_row))
		FUZZ_BUG("%lu rows counted after the header on row %lu, the "
			 "last row being %lu", total, s->header_row, last);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifndef FUZZ_DIR
	/* no .xls: FreeXL 1.0.6's own crashes are fuzz_sheet.c's note */
	if (size >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)
		return 0;
#endif
	if (write_input(data, size) != 0)
		return 0;
	struct sheet_import_summary sum;
	struct told t = { &sum, 0, 0 };
	struct sheet_import_options opt = {
		.user = "fuzz", .today = FUZZ_TODAY, .dry_run = 1,
		.row_done = row_done, .arg = &t,
	};
	struct xb_error err;
	xb_error_clear(&err);
	int ret = sheet_import(st, path, &opt, &sum, &err);
	if (getenv("FUZZ_IMPORT_SAY") != NULL)
		fprintf(stderr, "%s\n", ret == XB_OK ? "finished" : err.msg);
	if (ret != XB_OK)
		FUZZ_REFUSAL(ret, err, "sheet_import", 1);
	else
		check_summary(&sum, &t);
	sheet_import_summary_free(&sum);
	return 0;
}
