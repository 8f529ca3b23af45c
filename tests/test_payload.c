/* test_payload.c - the code of a case slip (XB1:<case>:<version>), the
 * text preview and the files the renderers leave behind. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "../forms/forms.h"
#include "../print/print.h"

#define CASE "220221100-00042-6"

/* A case number of township 220221100 whose check character is X. */
static void case_with_x(char out[18])
{
	char d14[15];
	for (unsigned serial = 1; serial < 100000; serial++) {
		snprintf(d14, sizeof(d14), "220221100%05u", serial);
		if (tu_case_check(d14) == 'X') {
			snprintf(out, 18, "220221100-%05u-X", serial);
			return;
		}
	}
	fail_msg("no serial gives the check character X");
}

static void test_make_parse_round_trip(void **state)
{
	(void)state;
	struct xb_error err;
	char buf[64], cn[18];
	unsigned v = 0;

	assert_int_equal(tu_case_check("22022110000042"), '6');
	assert_int_equal(slip_payload_make(CASE, 1, buf, sizeof(buf), &err),
			 XB_OK);
	assert_string_equal(buf, "XB1:" CASE ":1");
	assert_int_equal(slip_payload_parse(buf, cn, &v, &err), XB_OK);
	assert_string_equal(cn, CASE);
	assert_int_equal(v, 1);

	assert_int_equal(slip_payload_make(CASE, 99999, buf, sizeof(buf), &err),
			 XB_OK);
	assert_string_equal(buf, "XB1:" CASE ":99999");
	assert_int_equal(slip_payload_parse(buf, cn, &v, &err), XB_OK);
	assert_int_equal(v, 99999);
}

static void test_make_refuses(void **state)
{
	(void)state;
	struct xb_error err;
	char buf[64], small[10];

	assert_int_equal(slip_payload_make("220221100-00042-7", 1, buf,
					   sizeof(buf), &err),
			 XB_EINVAL);
	assert_msg_has(err, "mistyped");
	assert_int_equal(slip_payload_make(CASE, 0, buf, sizeof(buf), &err),
			 XB_EINVAL);
	assert_msg_has(err, "1 to 99999");
	assert_int_equal(slip_payload_make(CASE, 100000, buf, sizeof(buf),
					   &err),
			 XB_EINVAL);
	assert_msg_has(err, "1 to 99999");
	assert_int_equal(slip_payload_make(NULL, 1, buf, sizeof(buf), &err),
			 XB_EINVAL);
	assert_int_equal(slip_payload_make(CASE, 1, small, sizeof(small),
					   &err),
			 XB_EINVAL);
}

/* Every refusal, with the text its message must hold; no two messages
 * alike. */
static void test_parse_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *says;
	} bad[] = {
		{ CASE ":1", "does not begin with XB1:" },
		{ "XB2:" CASE ":1", "XB2:" },
		{ "XB1:22022110-00042-6:1", "written as 9 digits" },
		{ "XB1:220221100-00042-7:1", "mistyped" },
		{ "XB1:" CASE ":0", "starts at 1" },
		{ "XB1:" CASE ":v1", "must be a number" },
		{ "XB1:" CASE ":1abc", "unexpected text" },
		{ "XB1:" CASE, "is missing" },
		{ "XB1:" CASE ":100000", "1 to 99999" },
		{ "", "empty" },
	};
	const size_t n = sizeof(bad) / sizeof(bad[0]);
	char msgs[sizeof(bad) / sizeof(bad[0])][512];
	struct xb_error err;
	char cn[18] = "untouched";
	unsigned v = 77;

	for (size_t i = 0; i < n; i++) {
		xb_error_clear(&err);
		if (slip_payload_parse(bad[i].in, cn, &v, &err) != XB_EINVAL)
			fail_msg("\"%s\" was accepted", bad[i].in);
		if (strstr(err.msg, bad[i].says) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"",
				 bad[i].in, err.msg, bad[i].says);
		snprintf(msgs[i], sizeof(msgs[i]), "%s", err.msg);
		for (size_t j = 0; j < i; j++)
			if (strcmp(msgs[i], msgs[j]) == 0)
				fail_msg("\"%s\" and \"%s\" get the same "
					 "message",
					 bad[i].in, bad[j].in);
	}
	/* Nothing is written on failure. */
	assert_string_equal(cn, "untouched");
	assert_int_equal(v, 77);

	/* Another version says which one; NULL is refused. */
	assert_int_equal(slip_payload_parse("XB2:" CASE ":1", cn, &v, &err),
			 XB_EINVAL);
	assert_msg_has(err, "another version");
	assert_int_equal(slip_payload_parse(NULL, cn, &v, &err), XB_EINVAL);
	assert_int_equal(slip_payload_parse("XB:" CASE ":1", cn, &v, &err),
			 XB_EINVAL);
	assert_msg_has(err, "does not begin with XB1:");
	assert_int_equal(slip_payload_parse("XB1:" CASE ":1:2", cn, &v, &err),
			 XB_EINVAL);
	assert_msg_has(err, "unexpected text");
}

static void test_lower_case_x(void **state)
{
	(void)state;
	struct xb_error err;
	char cx[18], lower[18], text[64], buf[64], cn[18];
	unsigned v = 0;

	case_with_x(cx);
	snprintf(lower, sizeof(lower), "%s", cx);
	lower[16] = 'x';
	snprintf(text, sizeof(text), "XB1:%s:3", lower);
	assert_int_equal(slip_payload_parse(text, cn, &v, &err), XB_OK);
	assert_string_equal(cn, cx);
	assert_int_equal(v, 3);

	/* The code made from a lower-case x has the capital. */
	assert_int_equal(slip_payload_make(lower, 2, buf, sizeof(buf), &err),
			 XB_OK);
	snprintf(text, sizeof(text), "XB1:%s:2", cx);
	assert_string_equal(buf, text);
}

static void test_blanks_forgiven(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"  XB1:" CASE ":1",   "XB1:" CASE ":1\n",
		"XB1:" CASE ":1\r\n", " \tXB1:" CASE ":1  \r\n",
		"xb1:" CASE ":1",
	};
	struct xb_error err;
	char cn[18];
	unsigned v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 0;
		if (slip_payload_parse(ok[i], cn, &v, &err) != XB_OK)
			fail_msg("\"%s\" refused: %s", ok[i], err.msg);
		assert_string_equal(cn, CASE);
		assert_int_equal(v, 1);
	}
}

/* UTF-8 characters in a line. */
static size_t u8_len(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

static void test_text_preview(void **state)
{
	(void)state;
	struct slip_data d = {
		.office_name = "岔路河镇人民政府",
		.office_phone = "0432-64201234",
		.case_no = CASE,
		.name = "王小明",
		.village = "岔路河村",
		.member_name = NULL,
		.member_phone = "",
		.next_visit_due = "2026-12-15",
		.printed_on = "2026-11-29",
		.version = 1,
	};
	struct xb_error err;
	char *out = NULL;

	assert_int_equal(slip_text(&d, &out, &err), XB_OK);
	assert_non_null(out);
	assert_non_null(strstr(out, CASE));
	assert_non_null(strstr(out, "王小明"));
	assert_non_null(strstr(out, "紧急求助"));
	assert_non_null(strstr(out, "110"));

	/* "XB1:220221100-00042-6:1" is version 2 at level M: 25 modules,
	 * 33 with the quiet zone, two rows a line: 17 lines of 33 columns,
	 * then an empty line. */
	size_t qr_lines = 0, blocks = 0;
	const char *p = out;
	for (;;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		size_t n = (size_t)(nl - p);
		if (n == 0)
			break;
		for (size_t i = 0; i < n;) {
			if (p[i] == ' ') {
				i++;
			} else if (n - i >= 3 &&
				   (memcmp(p + i, "▀", 3) == 0 ||
				    memcmp(p + i, "▄", 3) == 0 ||
				    memcmp(p + i, "█", 3) == 0)) {
				blocks++;
				i += 3;
			} else {
				fail_msg("line %zu of the code has other "
					 "characters",
					 qr_lines + 1);
			}
		}
		assert_int_equal(u8_len(p, n), 33);
		qr_lines++;
		p = nl + 1;
	}
	assert_int_equal(qr_lines, 17);
	assert_true(blocks > 100);
	/* The quiet zone: the first two lines are blank. */
	assert_true(strspn(out, " ") == 33 && out[33] == '\n');
	/* Blank fields are lines to fill by hand. */
	assert_non_null(strstr(out, "包保责任人：____"));
	free(out);

	/* A slip with a bad case number is refused. */
	d.case_no = "220221100-00042-7";
	assert_int_equal(slip_text(&d, &out, &err), XB_EINVAL);
	assert_null(out);
	assert_msg_has(err, "mistyped");
}

/* Files in dir (the temporary files included). */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_files(void **state)
{
	(void)state;
	struct slip_data d[9];
	char cases[9][20], path[4096];
	struct xb_error err;
	struct stat st;
	char *dir = tu_mkdtemp();
	assert_non_null(dir);

	for (int i = 0; i < 9; i++) {
		assert_int_equal(form_case_number("220221100", 42 + (unsigned)i,
						  cases[i], sizeof(cases[i])),
				 0);
		d[i] = (struct slip_data){ .case_no = cases[i],
					   .name = "王小明",
					   .version = 1 };
	}
	snprintf(path, sizeof(path), "%s/one.pdf", dir);
	assert_int_equal(slip_pdf(d, 1, 0, path, &err), XB_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
	snprintf(path, sizeof(path), "%s/sheet.pdf", dir);
	assert_int_equal(slip_pdf(d, 9, 1, path, &err), XB_OK);
	snprintf(path, sizeof(path), "%s/one.png", dir);
	assert_int_equal(slip_png(d, path, &err), XB_OK);
	assert_int_equal(count_files(dir), 3);

	/* A folder that is not there: a message, and nothing left. */
	snprintf(path, sizeof(path), "%s/nowhere/one.pdf", dir);
	assert_int_equal(slip_pdf(d, 1, 0, path, &err), XB_EFAIL);
	assert_msg_has(err, "does not exist");
	/* A bad case number among many: nothing written. */
	d[4].case_no = "220221100-00042-7";
	snprintf(path, sizeof(path), "%s/bad.pdf", dir);
	assert_int_equal(slip_pdf(d, 9, 1, path, &err), XB_EINVAL);
	assert_int_equal(count_files(dir), 3);

	tu_rmtree(dir);
	free(dir);
}

static void test_printer_missing(void **state)
{
	(void)state;
	struct xb_error err;
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char *dir = tu_mkdtemp();
	assert_non_null(dir);

	/* No lp in PATH. */
	setenv("PATH", dir, 1);
	assert_int_equal(slip_send_to_printer("/nonexistent.pdf", &err),
			 XB_ENOTFOUND);
	assert_msg_has(err, "lp");

	/* An lp that fails: its first line of complaint is the message. */
	char lp[4096];
	snprintf(lp, sizeof(lp), "%s/lp", dir);
	FILE *f = fopen(lp, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n[ \"$1\" = -- ] || exit 9\n"
	      "echo \"lp: The printer or class does not exist.\" >&2\n"
	      "echo second line >&2\nexit 1\n",
	      f);
	fclose(f);
	chmod(lp, 0755);
	assert_int_equal(slip_send_to_printer("/tmp/a b.pdf", &err), XB_EFAIL);
	assert_msg_has(err, "The printer or class does not exist.");
	assert_null(strstr(err.msg, "second line"));

	/* An lp that succeeds. */
	f = fopen(lp, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n[ \"$1\" = -- ] && [ \"$2\" = '-x y.pdf' ] || exit 9\n"
	      "echo request id is office-1 \nexit 0\n",
	      f);
	fclose(f);
	assert_int_equal(slip_send_to_printer("-x y.pdf", &err), XB_OK);

	if (old) {
		setenv("PATH", old, 1);
		free(old);
	}
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_make_parse_round_trip, tu_setup_english),
		cmocka_unit_test_setup(test_make_refuses, tu_setup_english),
		cmocka_unit_test_setup(test_parse_refusals, tu_setup_english),
		cmocka_unit_test_setup(test_lower_case_x, tu_setup_english),
		cmocka_unit_test_setup(test_blanks_forgiven, tu_setup_english),
		cmocka_unit_test_setup(test_text_preview, tu_setup_english),
		cmocka_unit_test_setup(test_files, tu_setup_english),
		cmocka_unit_test_setup(test_printer_missing, tu_setup_english),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
