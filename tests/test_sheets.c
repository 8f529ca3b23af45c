/* test_sheets.c - reading and writing spreadsheets (sheets/): the
 * township survey of tests/fixtures/sheets/ as .xlsx, .xls, GBK CSV,
 * UTF-8 CSV with BOM and UTF-16 text, read to the same cells; each bad
 * file's message, in English and Chinese; the writers read back. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sheets/sheets.h"

#define SHEETS FIXTURES "/sheets/"

/* --- a whole sheet, copied ------------------------------------------- */

struct tcell {
	enum sheet_cell_type type;
	char *text;
	double number;
};
struct trow {
	unsigned long number;
	size_t n;
	struct tcell *cells;
};
struct tsheet {
	struct trow *rows;
	size_t n;
	enum sheet_format fmt;
	enum sheet_encoding enc;
	char sep;
	unsigned progress; /* at the end */
};

static void tsheet_free(struct tsheet *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < s->rows[i].n; j++)
			free(s->rows[i].cells[j].text);
		free(s->rows[i].cells);
	}
	free(s->rows);
	memset(s, 0, sizeof(*s));
}

/* Reads every row of path into s: sheet_open's or sheet_next's result. */
static int read_all(const char *path, struct tsheet *s, struct xb_error *err)
{
	memset(s, 0, sizeof(*s));
	struct sheet_reader *r = NULL;
	int ret = sheet_open(path, &r, err);
	if (ret != XB_OK)
		return ret;
	s->fmt = sheet_reader_format(r);
	s->enc = sheet_reader_encoding(r);
	s->sep = sheet_reader_separator(r);
	const struct sheet_row *row;
	unsigned long last = 0;
	while ((ret = sheet_next(r, &row, err)) == 1) {
		assert_true(row->number > last); /* rising row numbers */
		last = row->number;
		s->rows = realloc(s->rows, (s->n + 1) * sizeof(*s->rows));
		assert_non_null(s->rows);
		struct trow *t = &s->rows[s->n++];
		t->number = row->number;
		t->n = row->ncells;
		t->cells = calloc(row->ncells + 1, sizeof(*t->cells));
		for (size_t i = 0; i < row->ncells; i++) {
			assert_non_null(row->cells[i].text);
			t->cells[i].type = row->cells[i].type;
			t->cells[i].text = strdup(row->cells[i].text);
			t->cells[i].number = row->cells[i].number;
		}
	}
	s->progress = sheet_progress(r);
	sheet_close(&r);
	assert_null(r);
	return ret;
}

static const struct trow *row_no(const struct tsheet *s, unsigned long n)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].number == n)
			return &s->rows[i];
	return NULL;
}

/* The cell at row n, column col ("" past the row's end or a missing row). */
static const struct tcell *cell(const struct tsheet *s, unsigned long n,
				size_t col)
{
	static struct tcell empty = { SHEET_EMPTY, "", 0 };
	const struct trow *r = row_no(s, n);
	if (r == NULL || col >= r->n)
		return &empty;
	return &r->cells[col];
}

/* Whether row n is blank (absent, no cells or only empty ones). */
static int blank(const struct tsheet *s, unsigned long n)
{
	const struct trow *r = row_no(s, n);
	for (size_t i = 0; r && i < r->n; i++)
		if (r->cells[i].type != SHEET_EMPTY || r->cells[i].text[0])
			return 0;
	return 1;
}

/* --- the survey, whatever it was saved as ---------------------------- */

/* The cells every variant of the survey has: a title over merged (empty)
 * cells, a blank row, the header on row 3 with a line break in one
 * header, ten children on rows 4 to 13, the total on row 16. workbook:
 * numbers and dates are cells of their own type (in text they are as
 * Excel showed them). */
static void check_survey(const struct tsheet *s, int workbook)
{
	assert_string_equal(cell(s, 1, 0)->text, "XX镇农村留守儿童摸底排查登记表");
	assert_int_equal(cell(s, 1, 0)->type, SHEET_TEXT);
	for (size_t c = 1; c < 12; c++)
		assert_int_equal(cell(s, 1, c)->type, SHEET_EMPTY);
	assert_true(blank(s, 2));
	assert_string_equal(cell(s, 3, 0)->text, "序号");
	assert_string_equal(cell(s, 3, 3)->text, "身份证号码");
	assert_string_equal(cell(s, 3, 5)->text, "所在村");
	assert_string_equal(cell(s, 3, 6)->text, "父亲现状");
	assert_string_equal(cell(s, 3, 9)->text, "与儿童关系");
	assert_string_equal(cell(s, 3, 10)->text, "就学状况");
	assert_string_equal(cell(s, 3, 11)->text, "联系\n电话");
	/* the first child */
	assert_string_equal(cell(s, 4, 1)->text, "张浩然");
	assert_string_equal(cell(s, 4, 3)->text, "220221201205030110");
	assert_int_equal(cell(s, 4, 3)->type, SHEET_TEXT);
	assert_string_equal(cell(s, 4, 11)->text, "13944210001");
	assert_int_equal(cell(s, 4, 11)->type, SHEET_TEXT);
	/* the ID typed into a General cell, mangled as Excel shows it */
	assert_string_equal(cell(s, 6, 3)->text, "2.20221E+17");
	/* the date typed as text */
	assert_string_equal(cell(s, 7, 4)->text, "2015.3.12");
	assert_int_equal(cell(s, 7, 4)->type, SHEET_TEXT);
	assert_string_equal(cell(s, 13, 1)->text, "吴天佑");
	assert_true(blank(s, 14));
	assert_true(blank(s, 15));
	assert_string_equal(cell(s, 16, 0)->text, "合计");
	assert_string_equal(cell(s, 16, 1)->text, "10人");
	assert_null(row_no(s, 17));
	if (workbook) {
		assert_int_equal(cell(s, 4, 0)->type, SHEET_NUMBER);
		assert_string_equal(cell(s, 4, 0)->text, "1");
		assert_true(cell(s, 4, 0)->number == 1);
		assert_int_equal(cell(s, 4, 4)->type, SHEET_DATE);
		assert_string_equal(cell(s, 4, 4)->text, "2012-05-03");
		assert_true(cell(s, 4, 4)->number == 41032);
		assert_int_equal(cell(s, 5, 4)->type, SHEET_DATE);
		assert_string_equal(cell(s, 5, 4)->text, "2014-09-21");
		assert_int_equal(cell(s, 13, 4)->type, SHEET_DATE);
		assert_string_equal(cell(s, 13, 4)->text, "2009-02-28");
		assert_int_equal(cell(s, 6, 3)->type, SHEET_NUMBER);
		assert_true(cell(s, 6, 3)->number > 2.2022e17 &&
			    cell(s, 6, 3)->number < 2.2023e17);
		assert_int_equal(s->sep, 0);
		assert_int_equal(s->enc, SHEET_UTF8);
	} else {
		assert_int_equal(cell(s, 4, 0)->type, SHEET_TEXT);
		assert_string_equal(cell(s, 4, 4)->text, "2012/5/3");
		assert_int_equal(cell(s, 6, 3)->type, SHEET_TEXT);
		assert_int_equal(s->fmt, SHEET_CSV);
		/* a CSV's rows are its records: every one there */
		assert_int_equal(s->n, 16);
		assert_int_equal(row_no(s, 2)->n, 0);
	}
	assert_int_equal(s->progress, 1000);
}

static void read_survey(const char *name, struct tsheet *s)
{
	struct xb_error err = { 0 };
	int ret = read_all(name, s, &err);
	if (ret != 0)
		fail_msg("%s: %d %s", name, ret, err.msg);
}

static void test_csv_gbk(void **state)
{
	(void)state;
	struct tsheet s;
	read_survey(SHEETS "survey-gbk.csv", &s);
	assert_int_equal(s.enc, SHEET_GBK);
	assert_int_equal(s.sep, ',');
	check_survey(&s, 0);
	tsheet_free(&s);
}

static void test_csv_utf8_bom(void **state)
{
	(void)state;
	struct tsheet s;
	read_survey(SHEETS "survey-utf8bom.csv", &s);
	assert_int_equal(s.enc, SHEET_UTF8_BOM);
	assert_int_equal(s.sep, ',');
	check_survey(&s, 0);
	tsheet_free(&s);
}

static void test_txt_utf16(void **state)
{
	(void)state;
	struct tsheet s;
	read_survey(SHEETS "survey-utf16.txt", &s);
	assert_int_equal(s.enc, SHEET_UTF16);
	assert_int_equal(s.sep, '\t');
	check_survey(&s, 0);
	tsheet_free(&s);
}

static void test_xlsx(void **state)
{
	(void)state;
	struct tsheet s;
	read_survey(SHEETS "survey.xlsx", &s);
	assert_int_equal(s.fmt, SHEET_XLSX);
	check_survey(&s, 1);
	tsheet_free(&s);
}

static void test_xls(void **state)
{
	(void)state;
	struct tsheet s;
	read_survey(SHEETS "survey.xls", &s);
	assert_int_equal(s.fmt, SHEET_XLS);
	check_survey(&s, 1);
	tsheet_free(&s);
}

/* Cells as Excel itself writes them (excel.xlsx, made by hand in
 * tools/make-sheet-fixtures.sh): the first sheet in workbook order though
 * its part is sheet2.xml, rich text, phonetic runs left out, escapes,
 * booleans, cached formula results, errors, date formats built in and
 * custom, a time format that is no date, cells without references, a
 * column far to the right; excel-1904.xlsx the same in the 1904 system. */
static void test_xlsx_excel(void **state)
{
	(void)state;
	for (int d1904 = 0; d1904 < 2; d1904++) {
		struct tsheet s;
		read_survey(d1904 ? SHEETS "excel-1904.xlsx" :
			    SHEETS "excel.xlsx", &s);
		assert_int_equal(s.n, 4);
		assert_null(row_no(&s, 1));
		assert_string_equal(cell(&s, 2, 0)->text, "身份证号码");
		assert_int_equal(cell(&s, 2, 1)->type, SHEET_EMPTY);
		assert_string_equal(cell(&s, 2, 1)->text, "");
		assert_string_equal(cell(&s, 2, 2)->text, "联系\n电话");
		assert_int_equal(row_no(&s, 2)->n, 3);
		assert_string_equal(cell(&s, 3, 0)->text, "张浩然 ");
		assert_int_equal(cell(&s, 3, 1)->type, SHEET_DATE);
		assert_string_equal(cell(&s, 3, 1)->text,
				    d1904 ? "2016-05-04" : "2012-05-03");
		assert_true(cell(&s, 3, 1)->number == 41032);
		assert_int_equal(cell(&s, 3, 2)->type, SHEET_DATE);
		assert_string_equal(cell(&s, 3, 2)->text,
				    d1904 ? "2019-03-13" : "2015-03-12");
		assert_string_equal(cell(&s, 3, 3)->text, "TRUE");
		assert_string_equal(cell(&s, 3, 4)->text, "张浩然 !");
		assert_string_equal(cell(&s, 3, 5)->text, "#N/A");
		assert_null(row_no(&s, 4));
		assert_string_equal(cell(&s, 5, 0)->text, "内联");
		assert_string_equal(cell(&s, 5, 1)->text,
				    d1904 ? "1904-03-01" : "1900-02-29");
		assert_int_equal(cell(&s, 5, 2)->type, SHEET_NUMBER);
		assert_string_equal(cell(&s, 5, 2)->text, "1.5");
		assert_string_equal(cell(&s, 5, 3)->text, "0.1");
		assert_string_equal(cell(&s, 5, 4)->text, "-3.25");
		assert_string_equal(cell(&s, 5, 5)->text, "12345678901");
		assert_string_equal(cell(&s, 5, 6)->text, "1.23457E+11");
		assert_string_equal(cell(&s, 5, 7)->text, "1E+21");
		assert_int_equal(cell(&s, 5, 8)->type, SHEET_NUMBER);
		assert_string_equal(cell(&s, 5, 8)->text, "7");
		assert_int_equal(row_no(&s, 6)->n, 28);
		assert_string_equal(cell(&s, 6, 27)->text, "2.20221E+17");
		tsheet_free(&s);
	}
}

/* --- text files written here ----------------------------------------- */

static char *dir;

static int setup_dir(void **state)
{
	(void)state;
	tu_lang("C.UTF-8");
	dir = tu_mkdtemp();
	return dir ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
	return 0;
}

/* dir/name with len bytes of body; the path, malloc'd. */
static char *put(const char *name, const char *body, size_t len)
{
	char *path;
	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_csv_plain(void **state)
{
	(void)state;
	/* UTF-8 without BOM, LF ends, spaces kept, quoted separators and
	 * quotes, a cell with CRLF inside, no line end at the end */
	const char body[] = "姓名, 村 ,备注\n"
			    "张三,\"前进村,三组\",\"说\"\"好\"\"\"\n"
			    "\n"
			    "李四,,\"两\r\n行\"\n"
			    "王五,x,y";
	char *path = put("plain.csv", body, sizeof(body) - 1);
	struct tsheet s;
	read_survey(path, &s);
	assert_int_equal(s.enc, SHEET_UTF8);
	assert_int_equal(s.sep, ',');
	assert_int_equal(s.n, 5);
	assert_string_equal(cell(&s, 1, 1)->text, " 村 ");
	assert_string_equal(cell(&s, 2, 1)->text, "前进村,三组");
	assert_string_equal(cell(&s, 2, 2)->text, "说\"好\"");
	assert_int_equal(row_no(&s, 3)->n, 0);
	assert_int_equal(cell(&s, 4, 1)->type, SHEET_EMPTY);
	assert_string_equal(cell(&s, 4, 2)->text, "两\n行");
	assert_string_equal(cell(&s, 5, 2)->text, "y");
	tsheet_free(&s);
	free(path);
}

static void test_csv_separators(void **state)
{
	(void)state;
	const char semi[] = "\r\n  \r\n姓名;所在村;备注,逗号\r\n张三;前进村;a,b\r\n";
	char *path = put("semi.csv", semi, sizeof(semi) - 1);
	struct tsheet s;
	read_survey(path, &s);
	assert_int_equal(s.sep, ';');
	assert_int_equal(s.n, 4);
	assert_string_equal(cell(&s, 2, 0)->text, "  ");
	assert_string_equal(cell(&s, 3, 2)->text, "备注,逗号");
	assert_string_equal(cell(&s, 4, 2)->text, "a,b");
	tsheet_free(&s);
	free(path);
	const char tab[] = "姓名\t所在村\t备注,a\n张三\t前进村\tx, y\n";
	path = put("tab.txt", tab, sizeof(tab) - 1);
	read_survey(path, &s);
	assert_int_equal(s.sep, '\t');
	assert_string_equal(cell(&s, 2, 2)->text, "x, y");
	tsheet_free(&s);
	free(path);
}

/* A GBK file whose only non-ASCII bytes are far into it (past a chunk)
 * is found to be GBK all the same: the whole file is scanned. */
static void test_csv_gbk_late(void **state)
{
	(void)state;
	size_t n = 200000;
	char *body = malloc(n + 64);
	assert_non_null(body);
	size_t len = 0;
	while (len < n)
		len += (size_t)sprintf(body + len, "a,b,%zu\r\n", len);
	memcpy(body + len, "\xd5\xc5\xc8\xfd,x\r\n", 8); /* 张三 in GBK */
	len += 8;
	char *path = put("late.csv", body, len);
	struct tsheet s;
	read_survey(path, &s);
	assert_int_equal(s.enc, SHEET_GBK);
	assert_string_equal(cell(&s, s.rows[s.n - 1].number, 0)->text, "张三");
	tsheet_free(&s);
	free(body);
	free(path);
}

/* --- bad files ------------------------------------------------------- */

/* sheet_open or sheet_next fails on path with a message holding text. */
static void expect_bad(const char *path, const char *text)
{
	struct tsheet s;
	struct xb_error err = { 0 };
	int ret = read_all(path, &s, &err);
	assert_true(ret < 0);
	assert_msg_has(err, text);
	tsheet_free(&s);
}

/* The same, in Chinese. */
static void expect_bad_zh(const char *path, const char *text)
{
	assert_non_null(setlocale(LC_ALL, "zh_CN.UTF-8"));
	bindtextdomain(PACKAGE, BUILD_LOCALEDIR);
	textdomain(PACKAGE);
	expect_bad(path, text);
	setlocale(LC_ALL, "C");
}

static void test_bad_files(void **state)
{
	(void)state;
	expect_bad(SHEETS "empty.csv", "is empty");
	expect_bad_zh(SHEETS "empty.csv", "空");
	expect_bad(SHEETS "binary.dat", "not a spreadsheet");
	expect_bad_zh(SHEETS "binary.dat", "不是表格");
	expect_bad(SHEETS "broken-quote.csv", "Row 3 of");
	expect_bad(SHEETS "broken-quote.csv", "broken quote");
	expect_bad_zh(SHEETS "broken-quote.csv", "第 3 行");
	expect_bad(SHEETS "unclosed-quote.csv", "Row 3 of");
	expect_bad(SHEETS "unclosed-quote.csv", "never closed");
	expect_bad(SHEETS "invalid-text.csv", "line 3");
	expect_bad(SHEETS "invalid-text.csv", "neither UTF-8 nor GBK");
	expect_bad_zh(SHEETS "invalid-text.csv", "第 3 行");
	expect_bad(SHEETS "no-such-file.csv", "Could not open");
	char *pdf = put("scan.pdf", "%PDF-1.4\n", 9);
	expect_bad(pdf, "a PDF document");
	free(pdf);
	expect_bad(SHEETS "truncated.xlsx", "damaged or incomplete");
	expect_bad_zh(SHEETS "truncated.xlsx", "损坏");
	expect_bad(SHEETS "not-workbook.docx", "a Word document");
	expect_bad_zh(SHEETS "not-workbook.docx", "Word 文档");
	expect_bad(SHEETS "truncated.xls", "damaged or incomplete");
	/* a UTF-16 file cut inside a character */
	char *u16 = put("cut.txt", "\xff\xfe" "a\0\t\0b\0\n\0c", 11);
	expect_bad(u16, "Row 2 of");
	free(u16);
	/* a UTF-8 byte order mark, then bytes that are not UTF-8 (they once
	 * reached the cells: fuzz/regressions/sheet/) */
	char *bom = put("bom.csv", "\xef\xbb\xbf" "a,b\nc,d\n\xff\xfe,e\n", 16);
	expect_bad(bom, "line 3");
	expect_bad(bom, "neither UTF-8 nor GBK");
	expect_bad_zh(bom, "第 3 行");
	free(bom);
	/* a byte order mark alone is an empty file */
	char *bare = put("bare.csv", "\xef\xbb\xbf", 3);
	expect_bad(bare, "is empty");
	free(bare);
}

/* --- .xls in a child process ------------------------------------------ */

#define FUZZ_REGRESSIONS FIXTURES "/../../fuzz/regressions/sheet/"

/* No child of this process is left, running or a zombie. */
static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* Damaged .xls files that crash FreeXL 1.0.6 inside freexl_open (a free
 * of a bad pointer, an over-read through iconv) are read in a child: the
 * crash is the child's, the message the usual one, naming the file. */
static void test_xls_crash_in_child(void **state)
{
	(void)state;
	static const char *const files[] = {
		FUZZ_REGRESSIONS "xls_freexl_bad_free_in_open",
		FUZZ_REGRESSIONS "xls_freexl_iconv_overread_in_open",
		SHEETS "truncated.xls",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		expect_bad(files[i], "damaged or incomplete");
		expect_bad(files[i], files[i]);
		expect_bad_zh(files[i], "损坏");
		assert_no_children();
	}
}

/* A sheet longer than a pipe holds: read whole, every row; closed after
 * one row while the child is still writing, with no hang and no zombie. */
static void test_xls_child_lifetime(void **state)
{
	(void)state;
	struct tsheet s;
	read_survey(SHEETS "long-rows.xls", &s);
	assert_int_equal(s.n, 120);
	assert_int_equal(s.progress, 1000);
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.rows[i].number, i + 1);
		assert_int_equal(s.rows[i].n, 9);
		assert_int_equal(s.rows[i].cells[0].type, SHEET_NUMBER);
		assert_true(s.rows[i].cells[0].number == (double)(i + 1));
		assert_int_equal(strlen(s.rows[i].cells[8].text), 6000);
	}
	tsheet_free(&s);
	assert_no_children();

	/* a hang fails the test instead of stalling it */
	alarm(60);
	struct sheet_reader *r = NULL;
	struct xb_error err = { 0 };
	assert_int_equal(sheet_open(SHEETS "long-rows.xls", &r, &err), XB_OK);
	const struct sheet_row *row;
	assert_int_equal(sheet_next(r, &row, &err), 1);
	assert_int_equal(row->number, 1);
	assert_string_equal(row->cells[0].text, "1");
	assert_true(sheet_progress(r) < 1000);
	sheet_close(&r);
	assert_null(r);
	assert_no_children();
	/* closed before any row */
	assert_int_equal(sheet_open(SHEETS "long-rows.xls", &r, &err), XB_OK);
	sheet_close(&r);
	assert_no_children();
	/* a reader that met the end, closed */
	assert_int_equal(sheet_open(SHEETS "survey.xls", &r, &err), XB_OK);
	while (sheet_next(r, &row, &err) == 1)
		;
	assert_no_children();
	sheet_close(&r);
	assert_no_children();
	alarm(0);
}

/* --- writers ------------------------------------------------------------- */

/* The files in dir (none but what a test left). */
/* A fresh, empty folder for one writer test: dir/sub, malloc'd. */
static char *fresh(const char *sub)
{
	char *d;
	assert_true(asprintf(&d, "%s/%s", dir, sub) > 0);
	assert_int_equal(mkdir(d, 0700), 0);
	return d;
}

static const char *const header[] = { "姓名", "身份证号码", "联系\n电话",
				      "备注" };
static const char *const child1[] = { "张浩然", "220221201205030110",
				      "13944210001", "住\"前进村\",三组" };
static const char *const child2[] = { "李欣怡", "22022120140921022X", NULL,
				      "" };
#define TITLE "前进村留守儿童花名册"

/* Writes the roster (title, header, two children) to path. */
static int write_roster(const char *path, enum sheet_format fmt,
			enum sheet_encoding enc, struct xb_error *err)
{
	struct sheet_writer *w = NULL;
	int ret = sheet_writer_open(path, fmt, enc, "花名册[1]", &w, err);
	if (ret != XB_OK)
		return ret;
	if ((ret = sheet_write_title(w, TITLE, 4, err)) != XB_OK ||
	    (ret = sheet_write_row(w, header, 4, 1, err)) != XB_OK ||
	    (ret = sheet_write_row(w, child1, 4, 0, err)) != XB_OK ||
	    (ret = sheet_write_row(w, child2, 4, 0, err)) != XB_OK) {
		sheet_writer_abort(&w);
		assert_null(w);
		return ret;
	}
	ret = sheet_writer_close(&w, err);
	assert_null(w);
	return ret;
}

/* The roster read back: the same cells, all text. */
static void check_roster(const char *path, enum sheet_format fmt)
{
	struct tsheet s;
	read_survey(path, &s);
	assert_int_equal(s.fmt, fmt);
	assert_int_equal(s.n, 4);
	assert_string_equal(cell(&s, 1, 0)->text, TITLE);
	assert_int_equal(row_no(&s, 1)->n, 1);
	for (size_t c = 0; c < 4; c++) {
		assert_string_equal(cell(&s, 2, c)->text, header[c]);
		assert_string_equal(cell(&s, 3, c)->text, child1[c]);
		assert_int_equal(cell(&s, 3, c)->type, SHEET_TEXT);
		assert_string_equal(cell(&s, 4, c)->text,
				    child2[c] ? child2[c] : "");
	}
	assert_int_equal(row_no(&s, 4)->n, 2);
	tsheet_free(&s);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_write_xlsx(void **state)
{
	(void)state;
	char *d = fresh("xlsx");
	char *path;
	assert_true(asprintf(&path, "%s/花名册.xlsx", d) > 0);
	struct xb_error err = { 0 };
	assert_int_equal(write_roster(path, SHEET_XLSX, SHEET_UTF8, &err), 0);
	check_roster(path, SHEET_XLSX);
	assert_int_equal(tu_count_files(d), 1); /* no temporary file left */
	/* written again over the old one */
	assert_int_equal(write_roster(path, SHEET_XLSX, SHEET_UTF8, &err), 0);
	check_roster(path, SHEET_XLSX);
	assert_int_equal(tu_count_files(d), 1);
	/* the frozen header, the merged title, the widths and the worksheet
	 * name made fit for Excel are there (unzip: tools/setup.sh) */
	assert_int_equal(tu_run("unzip -p '%s' xl/worksheets/sheet1.xml | "
				"grep -q '<mergeCell ref=\"A1:D1\"/>'", path), 0);
	assert_int_equal(tu_run("unzip -p '%s' xl/worksheets/sheet1.xml | "
				"grep -q 'ySplit=\"2\"'", path), 0);
	assert_int_equal(tu_run("unzip -p '%s' xl/worksheets/sheet1.xml | "
				"grep -q '<col min=\"2\" max=\"2\" width=\"20'",
				path), 0);
	assert_int_equal(tu_run("unzip -p '%s' xl/workbook.xml | "
				"grep -q 'name=\"花名册_1_\"'", path), 0);
	free(path);
	free(d);
}

static void test_write_csv(void **state)
{
	(void)state;
	char *d = fresh("csv");
	char *path;
	struct xb_error err = { 0 };
	static const struct {
		const char *name;
		enum sheet_encoding enc;
	} cases[] = {
		{ "bom.csv", SHEET_UTF8_BOM },
		{ "plain.csv", SHEET_UTF8 },
		{ "gbk.csv", SHEET_GBK },
	};
	for (size_t i = 0; i < 3; i++) {
		assert_true(asprintf(&path, "%s/%s", d, cases[i].name) > 0);
		assert_int_equal(write_roster(path, SHEET_CSV, cases[i].enc, &err),
				 0);
		check_roster(path, SHEET_CSV);
		struct tsheet s;
		read_survey(path, &s);
		assert_int_equal(s.enc, cases[i].enc);
		assert_int_equal(s.sep, ',');
		tsheet_free(&s);
		free(path);
	}
	assert_int_equal(tu_count_files(d), 3);
	/* the bytes as Excel writes them */
	assert_true(asprintf(&path, "%s/bom.csv", d) > 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char buf[512];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	const char want[] = "\xEF\xBB\xBF" TITLE "\r\n"
		"姓名,身份证号码,\"联系\n电话\",备注\r\n"
		"张浩然,220221201205030110,13944210001,\"住\"\"前进村\"\",三组\"\r\n"
		"李欣怡,22022120140921022X,,\r\n";
	assert_string_equal(buf, want);
	free(path);
	free(d);
}

/* A character outside GBK is refused, naming the row and the
 * character, and nothing is left at the path. */
static void test_write_gbk_refused(void **state)
{
	(void)state;
	char *d = fresh("gbk");
	char *path;
	assert_true(asprintf(&path, "%s/out.csv", d) > 0);
	struct xb_error err = { 0 };
	struct sheet_writer *w = NULL;
	assert_int_equal(sheet_writer_open(path, SHEET_CSV, SHEET_GBK, NULL, &w,
					   &err), 0);
	assert_int_equal(sheet_write_row(w, header, 4, 1, &err), 0);
	const char *emoji[] = { "王小明", "😀" };
	assert_int_equal(sheet_write_row(w, emoji, 2, 0, &err), XB_EINVAL);
	assert_msg_has(err, "Row 2");
	assert_msg_has(err, "\"😀\"");
	const char *rare[] = { "𠀀" }; /* in GB18030 but not in GBK */
	assert_int_equal(sheet_write_row(w, rare, 1, 0, &err), XB_EINVAL);
	assert_msg_has(err, "𠀀");
	/* the writer goes on after a refused row */
	assert_int_equal(sheet_write_row(w, child1, 4, 0, &err), 0);
	sheet_writer_abort(&w);
	assert_null(w);
	assert_int_equal(tu_count_files(d), 0);
	free(path);
	free(d);
}

static void test_write_bad(void **state)
{
	(void)state;
	struct xb_error err = { 0 };
	char *path;
	assert_true(asprintf(&path, "%s/no-such-folder/out.xlsx", dir) > 0);
	assert_int_equal(write_roster(path, SHEET_XLSX, SHEET_UTF8, &err),
			 XB_EFAIL);
	assert_msg_has(err, path);
	free(path);
	struct sheet_writer *w = NULL;
	assert_int_equal(sheet_writer_open("x.xls", SHEET_XLS, SHEET_UTF8, NULL,
					   &w, &err), XB_EINVAL);
	assert_null(w);
	/* aborted: nothing at the path, nothing beside it */
	char *d = fresh("abort");
	assert_true(asprintf(&path, "%s/out.xlsx", d) > 0);
	assert_int_equal(sheet_writer_open(path, SHEET_XLSX, SHEET_UTF8, NULL,
					   &w, &err), 0);
	assert_int_equal(sheet_write_row(w, child1, 4, 0, &err), 0);
	assert_int_equal(sheet_write_title(w, "late", 2, &err), XB_EINVAL);
	sheet_writer_abort(&w);
	assert_int_equal(tu_count_files(d), 0);
	free(path);
	free(d);
}

/* In a child allowed files of 4 KiB at most (a full disk, EFBIG): a big
 * roster in fmt fails saying the disk is full, leaving nothing. */
static void full_disk(enum sheet_format fmt, const char *name)
{
	char *d = fresh(name);
	char *path;
	assert_true(asprintf(&path, "%s/out", d) > 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 4096, 4096 };
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(2);
		struct xb_error err = { 0 };
		struct sheet_writer *w = NULL;
		if (sheet_writer_open(path, fmt, SHEET_UTF8_BOM, NULL, &w,
				      &err) != 0)
			_exit(3);
		int ret = 0;
		char id[32];
		for (int i = 0; i < 20000 && ret == 0; i++) {
			snprintf(id, sizeof(id), "2202212015031%05d", i);
			const char *cells[] = { "张浩然", id, "前进村" };
			ret = sheet_write_row(w, cells, 3, 0, &err);
		}
		if (ret == 0)
			ret = sheet_writer_close(&w, &err);
		else
			sheet_writer_abort(&w);
		if (ret != XB_EFAIL)
			_exit(4);
		if (strstr(err.msg, "disk is full") == NULL ||
		    strstr(err.msg, path) == NULL) {
			fprintf(stderr, "message: %s\n", err.msg);
			_exit(5);
		}
		_exit(tu_count_files(d) == 0 ? 0 : 6);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	free(path);
	free(d);
}

static void test_write_full_disk(void **state)
{
	(void)state;
	full_disk(SHEET_CSV, "full-csv");
	full_disk(SHEET_XLSX, "full-xlsx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_gbk),
		cmocka_unit_test(test_csv_utf8_bom),
		cmocka_unit_test(test_txt_utf16),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xls),
		cmocka_unit_test(test_xlsx_excel),
		cmocka_unit_test(test_csv_plain),
		cmocka_unit_test(test_csv_separators),
		cmocka_unit_test(test_csv_gbk_late),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_xls_crash_in_child),
		cmocka_unit_test(test_xls_child_lifetime),
		cmocka_unit_test(test_write_xlsx),
		cmocka_unit_test(test_write_csv),
		cmocka_unit_test(test_write_gbk_refused),
		cmocka_unit_test(test_write_bad),
		cmocka_unit_test(test_write_full_disk),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
