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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_gbk),
		cmocka_unit_test(test_csv_utf8_bom),
		cmocka_unit_test(test_txt_utf16),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xls),
		cmocka_unit_test(test_csv_plain),
		cmocka_unit_test(test_csv_separators),
		cmocka_unit_test(test_csv_gbk_late),
		cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
