/* test_stats_out.c - the statistics table as the files an office sends
 * the county (print/stats.c, sheets/stats.c): a table made by hand (two
 * villages with known figures, their total, a median delay of 2.5 and a
 * village without one) written as PDF and .xlsx in Chinese, then read
 * back as a clerk would see them: the PDF's text (pdftotext) and the
 * workbook's cells (python3 with openpyxl, tools/setup.sh). A missing
 * folder and a full disk leave nothing behind and say which file. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "print/print.h"
#include "sheets/sheets.h"
#include "stats/stats.h"

/* openpyxl is Debian's package, for Debian's python3. */
#define PYTHON "/usr/bin/python3"

static char *dir;

/* --- the table --------------------------------------------------------- */

/* Village 红旗村: column c holds c + 1, median 2.5; 东风村: 1000 + c, no
 * median; the total 1001 + 2c, median 2.5. With extra > 0, that many
 * more villages (for a table longer than a page), each 7 a column. */
static struct stats_table *table_new(size_t extra)
{
	struct stats_table *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	struct xb_error err = { 0 };
	assert_int_equal(stats_period_parse("2026-11", &t->period, &err), 0);
	t->by = STATS_BY_VILLAGE;
	strcpy(t->office, "220221100");
	strcpy(t->office_name, "红石镇");
	strcpy(t->made, "2026-12-01");
	strcpy(t->asof, "2026-11-30");
	t->nrows = 2 + extra;
	t->rows = calloc(t->nrows, sizeof(*t->rows));
	assert_non_null(t->rows);
	strcpy(t->rows[0].key, "220221100201");
	strcpy(t->rows[0].name, "红旗村");
	strcpy(t->rows[1].key, "220221100202");
	strcpy(t->rows[1].name, "东风村");
	for (int c = 0; c < STATS_NCOLS; c++) {
		t->rows[0].v[c] = (uint64_t)c + 1;
		t->rows[1].v[c] = 1000 + (uint64_t)c;
	}
	t->rows[0].late_median_days = 2.5;
	t->rows[1].late_median_days = -1;
	for (size_t i = 2; i < t->nrows; i++) {
		snprintf(t->rows[i].key, sizeof(t->rows[i].key), "220221100%03zu",
			 i + 201);
		snprintf(t->rows[i].name, sizeof(t->rows[i].name), "第%zu村", i + 1);
		for (int c = 0; c < STATS_NCOLS; c++)
			t->rows[i].v[c] = 7;
		t->rows[i].late_median_days = -1;
	}
	for (size_t i = 0; i < t->nrows; i++)
		for (int c = 0; c < STATS_NCOLS; c++)
			t->total.v[c] += t->rows[i].v[c];
	t->total.late_median_days = 2.5;
	return t;
}

static void table_free(struct stats_table *t)
{
	free(t->rows);
	free(t);
}

/* --- helpers ------------------------------------------------------------ */

/* What a shell command prints, malloc'd. */
static char *output_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *output_of(const char *fmt, ...)
{
	char *cmd, *buf = NULL;
	size_t len = 0;
	va_list ap;
	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	FILE *mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(mem);
	assert_int_equal(pclose(p), 0);
	free(cmd);
	return buf;
}

/* Fails naming what text lacks. Spaces do not count: pdftotext reads
 * the narrow spaces of "第 1 页 共 2 页" as none. */
static void has(const char *text, const char *what)
{
	char *a = strdup(text), *b = strdup(what);
	assert_non_null(a);
	assert_non_null(b);
	for (char *s = a, *o = a;; s++)
		if (*s != ' ' && (*o++ = *s) == '\0')
			break;
	for (char *s = b, *o = b;; s++)
		if (*s != ' ' && (*o++ = *s) == '\0')
			break;
	if (strstr(a, b) == NULL)
		fail_msg("the PDF's text lacks \"%s\":\n%s", what, text);
	free(a);
	free(b);
}

static size_t occurrences(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* A fresh, empty folder: dir/sub, malloc'd. */
static char *fresh(const char *sub)
{
	char *d;
	assert_true(asprintf(&d, "%s/%s", dir, sub) > 0);
	assert_int_equal(mkdir(d, 0700), 0);
	return d;
}

/* Chinese, from the build's catalogue, as `xiangban` speaks it. */
static void chinese(void)
{
	setenv("LANGUAGE", "zh_CN", 1);
	assert_non_null(setlocale(LC_ALL, "zh_CN.UTF-8"));
	bindtextdomain(PACKAGE, BUILD_LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

static int setup(void **state)
{
	(void)state;
	tu_lang("zh_CN.UTF-8");
	chinese();
	dir = tu_mkdtemp();
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	/* STATS_OUT_KEEP=1 keeps the files to look at (pdftoppm, Excel) */
	if (getenv("STATS_OUT_KEEP"))
		fprintf(stderr, "kept: %s\n", dir);
	else
		tu_rmtree(dir);
	free(dir);
	dir = NULL;
	setlocale(LC_ALL, "C");
	unsetenv("LANGUAGE");
	return 0;
}

/* --- the PDF ------------------------------------------------------------ */

static void test_pdf(void **state)
{
	(void)state;
	struct stats_table *t = table_new(0);
	char *d = fresh("pdf"), *path;
	assert_true(asprintf(&path, "%s/统计表.pdf", d) > 0);
	struct xb_error err = { 0 };
	assert_int_equal(print_stats_pdf(t, path, &err), 0);
	assert_int_equal(tu_count_files(d), 1); /* no temporary file left */
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600); /* like the roster */

	char *text = output_of("pdftotext -layout '%s' -", path);
	has(text, "红石镇农村留守儿童关爱保护工作统计表");
	has(text, "2026年11月");
	has(text, "220221100");
	has(text, "2026-11-30"); /* as of */
	has(text, "2026-12-01"); /* made */
	/* each group under its caption, rows named with their codes */
	has(text, "期末在册情况");
	has(text, "本期变动");
	has(text, "走访情况");
	has(text, "强制报告");
	has(text, "红旗村 220221100201");
	has(text, "东风村 220221100202");
	has(text, "合计");
	/* totals of several columns: in the ledger, visits, reports still
	 * open */
	has(text, "1001");
	has(text, "1053");
	has(text, "1089");
	/* the median: 红旗村's and the total's; 东风村 has none (blank) */
	assert_int_equal(occurrences(text, "2.5"), 2);
	assert_null(strstr(text, "-1.0"));
	has(text, "第 1 页 共 1 页");
	has(text, "填报人");
	has(text, "审核人");
	has(text, "盖章");
	free(text);
	free(path);
	free(d);
	table_free(t);
}

/* A table longer than a page: its rows go on over pages, each with the
 * group's caption (continued) and header again, each page numbered of
 * the whole; the signature at the end. */
static void test_pdf_pages(void **state)
{
	(void)state;
	struct stats_table *t = table_new(60);
	char *d = fresh("pages"), *path;
	assert_true(asprintf(&path, "%s/long.pdf", d) > 0);
	struct xb_error err = { 0 };
	assert_int_equal(print_stats_pdf(t, path, &err), 0);
	char *info = output_of("pdfinfo '%s' | sed -n 's/^Pages: *//p'", path);
	int pages = atoi(info);
	free(info);
	assert_true(pages >= 3);
	for (int p = 1; p <= pages; p++) {
		char *text = output_of("pdftotext -layout -f %d -l %d '%s' -", p, p,
				       path);
		char foot[64];
		snprintf(foot, sizeof(foot), "第 %d 页 共 %d 页", p, pages);
		has(text, foot);
		if (p == 2) {
			has(text, "（续）");
			has(text, "村(居)");
		}
		if (p == pages)
			has(text, "审核人");
		else
			assert_null(strstr(text, "审核人"));
		free(text);
	}
	free(path);
	free(d);
	table_free(t);
}

/* --- the workbook ------------------------------------------------------ */

/* Reads the workbook back; exits 1 saying what differs. */
static const char check_xlsx[] =
	"import sys, openpyxl\n"
	"wb = openpyxl.load_workbook(sys.argv[1])\n"
	"ws = wb.active\n"
	"def want(ref, v):\n"
	"    if ws[ref].value != v:\n"
	"        sys.exit('%s is %r, not %r' % (ref, ws[ref].value, v))\n"
	"def holds(ref, s):\n"
	"    if s not in str(ws[ref].value):\n"
	"        sys.exit('%s is %r, without %r' % (ref, ws[ref].value, s))\n"
	"holds('A1', '红石镇农村留守儿童关爱保护工作统计表')\n"
	"holds('A1', '统计表（2026年11月）')\n"
	"for s in ('220221100', '2026-11-30', '2026-12-01'):\n"
	"    holds('A2', s)\n"
	"merged = set(str(r) for r in ws.merged_cells.ranges)\n"
	"for r in ('A1:AW1', 'A2:AW2', 'B3:V3', 'W3:AC3', 'AD3:AG3', 'AH3:AW3'):\n"
	"    if r not in merged:\n"
	"        sys.exit('%s is not merged: %s' % (r, sorted(merged)))\n"
	"want('B3', '期末在册情况'); want('AH3', '强制报告')\n"
	"want('A4', '村(居)'); want('B4', '在册儿童')\n"
	"want('A5', '红旗村 220221100201'); want('A6', '东风村 220221100202')\n"
	"want('A7', '合计')\n"
	"want('B5', 1); want('B6', 1000); want('B7', 1001)\n"
	"want('O4', '享受救助'); want('P4', '救助：低保'); want('P5', 15)\n"
	"want('AB7', 1053); want('AC7', 1055); want('AD7', 1057); want('AV7', 1093)\n"
	"want('AC4', '本期恢复在册'); want('AD4', '走访次数')\n"
	"want('AW5', 2.5); want('AW6', None); want('AW7', 2.5)\n"
	"if ws['AW7'].number_format != '0.0':\n"
	"    sys.exit('the median shows as %r' % ws['AW7'].number_format)\n"
	"if not isinstance(ws['B7'].value, int):\n"
	"    sys.exit('B7 is no number')\n"
	"if ws['A8'].value is not None:\n"
	"    sys.exit('a row after the total')\n"
	"if ws.freeze_panes != 'B5':\n"
	"    sys.exit('frozen at %r' % ws.freeze_panes)\n"
	"if not ws.column_dimensions['A'].width or ws.column_dimensions['A'].width < 12:\n"
	"    sys.exit('column A is %r wide' % ws.column_dimensions['A'].width)\n";

static void test_xlsx(void **state)
{
	(void)state;
	if (tu_run(PYTHON " -c 'import openpyxl' 2>/dev/null") != 0)
		fail_msg("python3-openpyxl is missing: run tools/setup.sh");
	struct stats_table *t = table_new(0);
	char *d = fresh("xlsx"), *path, *script;
	assert_true(asprintf(&path, "%s/统计表.xlsx", d) > 0);
	assert_true(asprintf(&script, "%s/check.py", dir) > 0);
	FILE *f = fopen(script, "w");
	assert_non_null(f);
	fputs(check_xlsx, f);
	fclose(f);
	struct xb_error err = { 0 };
	assert_int_equal(sheet_stats_write(t, path, &err), 0);
	assert_int_equal(tu_count_files(d), 1);
	assert_int_equal(tu_run(PYTHON " '%s' '%s'", script, path), 0);
	free(script);
	free(path);
	free(d);
	table_free(t);
}

/* --- failures ------------------------------------------------------------ */

static void test_missing_folder(void **state)
{
	(void)state;
	struct stats_table *t = table_new(0);
	char *path;
	struct xb_error err = { 0 };
	assert_true(asprintf(&path, "%s/no-such-folder/s.pdf", dir) > 0);
	assert_int_equal(print_stats_pdf(t, path, &err), XB_EFAIL);
	assert_msg_has(err, path);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	assert_true(asprintf(&path, "%s/no-such-folder/s.xlsx", dir) > 0);
	assert_int_equal(sheet_stats_write(t, path, &err), XB_EFAIL);
	assert_msg_has(err, path);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	table_free(t);
}

/* A tmpfs of 16 KiB on d, in a mount namespace of this process: 0, or -1
 * where no namespace may be made. */
static int small_disk(const char *d)
{
	if (unshare(CLONE_NEWNS) != 0) {
		uid_t uid = getuid();
		gid_t gid = getgid();
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
			return -1;
		char map[64];
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
		if (tu_run("echo deny > /proc/%d/setgroups && echo '%s' > "
			   "/proc/%d/uid_map", (int)getpid(), map,
			   (int)getpid()) != 0)
			return -1;
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
		if (tu_run("echo '%s' > /proc/%d/gid_map", map, (int)getpid()) != 0)
			return -1;
	}
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
		return -1;
	return mount("tmpfs", d, "tmpfs", 0, "size=16k") == 0 ? 0 : -1;
}

/* In a child: writes both files where the disk fills (a 16 KiB tmpfs, or
 * where no mount namespace is allowed, files of 4 KiB at most). Each
 * must fail, naming its path (a full tmpfs: "磁盘已满"), and leave no
 * file at all. */
static void test_full_disk(void **state)
{
	(void)state;
	char *d = fresh("full");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the child's own copy: under valgrind each process is checked
		 * for leaks at its end */
		char folder[512];
		snprintf(folder, sizeof(folder), "%s", d);
		free(d);
		d = folder;
		int tmpfs = small_disk(d) == 0;
		if (!tmpfs) {
			signal(SIGXFSZ, SIG_IGN);
			struct rlimit rl = { 4096, 4096 };
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(2);
		}
		struct stats_table *t = table_new(40);
		char pdf[600], xlsx[600];
		snprintf(pdf, sizeof(pdf), "%s/s.pdf", d);
		snprintf(xlsx, sizeof(xlsx), "%s/s.xlsx", d);
		struct xb_error err = { 0 };
		if (print_stats_pdf(t, pdf, &err) != XB_EFAIL)
			_exit(3);
		if (strstr(err.msg, pdf) == NULL ||
		    (tmpfs && strstr(err.msg, "磁盘已满") == NULL)) {
			fprintf(stderr, "PDF: %s\n", err.msg);
			_exit(4);
		}
		if (tu_count_files(d) != 0)
			_exit(5);
		/* a sheet too big for a 16 KiB disk */
		if (tmpfs && tu_run("head -c 12000 /dev/zero > '%s/fill'", d) != 0)
			_exit(6);
		if (sheet_stats_write(t, xlsx, &err) != XB_EFAIL)
			_exit(7);
		if (strstr(err.msg, xlsx) == NULL || strstr(err.msg, "磁盘已满") == NULL) {
			fprintf(stderr, "xlsx: %s\n", err.msg);
			_exit(8);
		}
		if (tu_count_files(d) != (tmpfs ? 1 : 0))
			_exit(9);
		table_free(t);
		if (!tmpfs)
			fprintf(stderr, "note: no mount namespace here; a size "
				"limit stood for the full disk\n");
		_exit(0);
	}
	int status;
	pid_t done = waitpid(pid, &status, 0);
	free(d);
	assert_int_equal(done, pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_pdf_pages),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_missing_folder),
		cmocka_unit_test(test_full_disk),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
