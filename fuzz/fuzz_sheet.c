/* fuzz_sheet.c - a spreadsheet as a clerk hands it to `child import`: the
 * input written to a file (sheet_open takes a path and tells the format
 * from the bytes: a zip is .xlsx, an OLE file .xls, anything else text),
 * opened, every row read with sheet_next, closed.
 *
 * The file is one per process, in a folder made once by
 * LLVMFuzzerInitialize and removed at exit, rewritten for each input.
 *
 * An input that starts with "xlsx-parts\n" is the XML of a workbook
 * instead, its parts separated by lines "@@": the sheet, then (each
 * optional) the shared strings, the styles, the workbook and its
 * relationships; the harness zips them (stored, so the CRCs are right)
 * into an .xlsx. A byte changed inside a zip's member only ever meets
 * libzip's CRC check: this way the fuzzer reaches read_xlsx.c's XML.
 *
 * Contracts, beyond crashes, leaks and sanitizer reports: a refusal (of
 * the file or of a row) says why in whole UTF-8; every cell's text is
 * whole UTF-8, never NULL, "" when the cell is empty, YYYY-MM-DD when it
 * is a date; row numbers only grow; a row has at most Excel's 16384
 * columns; what the reader says of the file agrees with its format (a
 * workbook has no separator); after the end or an error there are no
 * more rows. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "fuzz.h"
#include "../sheets/private.h"
#include "../sheets/sheets.h"

static char dir[64], path[96];

/* Whether .xls inputs are skipped: by the fuzzer unless FUZZ_SHEET_XLS
 * is set, never by the replay (FUZZ_DIR), which reads the committed ones.
 * FreeXL 1.0.6 (Debian 12's), which reads an .xls whole in freexl_open,
 * over-reads and frees a bad pointer on damaged BIFF records within a
 * minute of fuzzing (fuzz/README.md): its bugs, not sheets/', which
 * would fail every CI run and hide ours. */
static int skip_xls;

static void remove_file(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("LANGUAGE", "C", 1);
	snprintf(dir, sizeof(dir), "/tmp/xbfuzz.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_sheet: mkdtemp");
		abort();
	}
	snprintf(path, sizeof(path), "%s/sheet", dir);
	atexit(remove_file);
#ifndef FUZZ_DIR
	skip_xls = getenv("FUZZ_SHEET_XLS") == NULL;
#endif
	return 0;
}

/* The input as the file at path; 0, or -1 when it cannot be written. */
static int write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

/* The parts of an "xlsx-parts" input, in the order they come; the last
 * two have defaults (the workbook's first sheet is sheet1.xml). */
static const char parts_magic[] = "xlsx-parts\n", parts_sep[] = "\n@@\n";
static const struct {
	const char *name, *fallback;
} parts[] = {
	{ "xl/worksheets/sheet1.xml", NULL },
	{ "xl/sharedStrings.xml", NULL },
	{ "xl/styles.xml", NULL },
	{ "xl/workbook.xml",
	  "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	  "<sheets><sheet name=\"1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>" },
	{ "xl/_rels/workbook.xml.rels",
	  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	  "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>" },
};

/* An "xlsx-parts" input zipped at path; 0, or -1 when it cannot be. */
static int write_parts(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + sizeof(parts_magic) - 1;
	const char *end = (const char *)data + size;
	int zerr;
	unlink(path);
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (z == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *text = parts[i].fallback;
		size_t len = text ? strlen(text) : 0;
		if (p != NULL) {
			const char *sep = memmem(p, (size_t)(end - p), parts_sep,
						 sizeof(parts_sep) - 1);
			text = p;
			len = sep ? (size_t)(sep - p) : (size_t)(end - p);
			p = sep ? sep + sizeof(parts_sep) - 1 : NULL;
		}
		if (text == NULL)
			continue;
		zip_source_t *src = zip_source_buffer(z, text, len, 0);
		zip_int64_t at = src ? zip_file_add(z, parts[i].name, src, 0) : -1;
		if (at < 0) {
			zip_source_free(src);
			zip_discard(z);
			return -1;
		}
		zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE, 0);
	}
	return zip_close(z) == 0 ? 0 : (zip_discard(z), -1);
}

/* Whether s is a date as the readers give it: YYYY-MM-DD. */
static int is_ymd(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	return s[10] == '\0';
}

/* One row's contracts. */
static void check_row(const struct sheet_row *row, unsigned long last)
{
	if (row == NULL)
		FUZZ_BUG("sheet_next returned 1 without a row");
	if (row->number <= last)
		FUZZ_BUG("row %lu came after row %lu", row->number, last);
	if (row->ncells > SHEET_MAX_COLS)
		FUZZ_BUG("row %lu has %zu cells", row->number, row->ncells);
	if (row->ncells > 0 && row->cells == NULL)
		FUZZ_BUG("row %lu has %zu cells and no array", row->number,
			 row->ncells);
	for (size_t i = 0; i < row->ncells; i++) {
		const struct sheet_cell *c = &row->cells[i];
		if (c->text == NULL)
			FUZZ_BUG("row %lu cell %zu: text NULL", row->number, i);
		if (!fuzz_utf8(c->text))
			FUZZ_BUG("row %lu cell %zu: text not whole UTF-8: \"%s\"",
				 row->number, i, c->text);
		switch (c->type) {
		case SHEET_EMPTY:
			if (c->text[0] != '\0')
				FUZZ_BUG("row %lu cell %zu: empty with text \"%s\"",
					 row->number, i, c->text);
			break;
		case SHEET_DATE:
			if (!is_ymd(c->text))
				FUZZ_BUG("row %lu cell %zu: date \"%s\"",
					 row->number, i, c->text);
			break;
		case SHEET_TEXT:
		case SHEET_NUMBER:
			break;
		default:
			FUZZ_BUG("row %lu cell %zu: type %d", row->number, i,
				 (int)c->type);
		}
	}
}

/* What the reader says of the file agrees with its format. */
static void check_reader(const struct sheet_reader *r)
{
	enum sheet_format f = sheet_reader_format(r);
	char sep = sheet_reader_separator(r);
	enum sheet_encoding enc = sheet_reader_encoding(r);
	if (f == SHEET_CSV ? sep != ',' && sep != ';' && sep != '\t'
			   : sep != 0 || enc != SHEET_UTF8)
		FUZZ_BUG("format %d with separator %d, encoding %d", (int)f,
			 (int)sep, (int)enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (skip_xls && size >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)
		return 0;
	int xml = size >= sizeof(parts_magic) - 1 &&
		  memcmp(data, parts_magic, sizeof(parts_magic) - 1) == 0;
	if ((xml ? write_parts(data, size) : write_input(data, size)) != 0)
		return 0;
	struct sheet_reader *r = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	int ret = sheet_open(path, &r, &err);
	if (ret != XB_OK) {
		FUZZ_REFUSAL(ret, err, "sheet_open", 1);
		if (r != NULL)
			FUZZ_BUG("sheet_open failed and gave a reader");
		return 0;
	}
	check_reader(r);
	const struct sheet_row *row;
	unsigned long last = 0;
	while ((ret = sheet_next(r, &row, &err)) == 1) {
		check_row(row, last);
		last = row->number;
		if (sheet_progress(r) > 1000)
			FUZZ_BUG("progress past 1000");
		xb_error_clear(&err);
	}
	if (ret < 0)
		FUZZ_REFUSAL(ret, err, "sheet_next", 1);
	if (sheet_next(r, &row, &err) != 0 || row != NULL)
		FUZZ_BUG("a row after the end");
	sheet_close(&r);
	if (r != NULL)
		FUZZ_BUG("sheet_close left the reader");
	return 0;
}
