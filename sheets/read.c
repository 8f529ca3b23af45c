/* read.c - sheet_open: the format told from the file's first bytes, and
 * the rows of whichever backend reads it handed out one at a time. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/i18n.h"
#include "private.h"

struct sheet_reader {
	enum sheet_format format;
	enum sheet_encoding enc;
	char sep;
	const struct sheet_backend *ops;
	void *impl;
	struct sheet_rowbuf row;
	int done; /* the end or an error was reached */
};

/* Reads the first up to n bytes of path into buf: how many, or -1 with
 * the message. */
static ssize_t read_head(const char *path, unsigned char *buf, size_t n,
			 struct xb_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ENOTFOUND : XB_EINVAL,
			       _("Could not open %s: %s."), path, strerror(errno));
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."),
				       path, strerror(e));
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return (ssize_t)got;
}

/* What a file that is no spreadsheet seems to be, from its first bytes;
 * NULL when it may be text. */
static const char *binary_kind(const unsigned char *h, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} kinds[] = {
		{ "%PDF", 4, N_("a PDF document") },
		{ "\x89PNG", 4, N_("an image") },
		{ "\xFF\xD8\xFF", 3, N_("an image") },
		{ "GIF8", 4, N_("an image") },
		{ "Rar!", 4, N_("a RAR archive") },
		{ "7z\xBC\xAF", 4, N_("a 7-Zip archive") },
		{ "\x1F\x8B", 2, N_("a compressed archive") },
		{ "{\\rtf", 5, N_("an RTF document") },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].what && n >= kinds[i].len &&
		    memcmp(h, kinds[i].magic, kinds[i].len) == 0)
			return _(kinds[i].what);
	return NULL;
}

int sheet_open(const char *path, struct sheet_reader **out,
	       struct xb_error *err)
{
	*out = NULL;
	unsigned char head[8];
	ssize_t n = read_head(path, head, sizeof(head), err);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return xb_fail(err, XB_EINVAL,
			       _("%s is empty: it holds no table."), path);
	const char *kind = binary_kind(head, (size_t)n);
	if (kind != NULL)
		return xb_fail(err, XB_EINVAL,
			       _("%s is not a spreadsheet but seems to be %s: "
				 "save the table as .xlsx or .csv and try "
				 "again."), path, kind);
	struct sheet_reader *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret;
	r->enc = SHEET_UTF8;
	if (n >= 4 && memcmp(head, "PK\3\4", 4) == 0) {
		r->format = SHEET_XLSX;
		r->ops = &sheet_xlsx_backend;
		ret = sheet_xlsx_open(path, &r->impl, err);
	} else if (n >= 4 && memcmp(head, "\xD0\xCF\x11\xE0", 4) == 0) {
		r->format = SHEET_XLS;
		r->ops = &sheet_xls_backend;
		ret = sheet_xls_open(path, &r->impl, err);
	} else {
		struct sheet_text_info info = { SHEET_UTF8, ',' };
		r->format = SHEET_CSV;
		r->ops = &sheet_csv_backend;
		ret = sheet_csv_open(path, &r->impl, &info, err);
		r->enc = info.enc;
		r->sep = info.sep;
	}
	if (ret != XB_OK) {
		free(r);
		return ret;
	}
	*out = r;
	return XB_OK;
}

enum sheet_format sheet_reader_format(const struct sheet_reader *r)
{
	return r->format;
}

enum sheet_encoding sheet_reader_encoding(const struct sheet_reader *r)
{
	return r->enc;
}

char sheet_reader_separator(const struct sheet_reader *r)
{
	return r->sep;
}

int sheet_next(struct sheet_reader *r, const struct sheet_row **row,
	       struct xb_error *err)
{
	*row = NULL;
	if (r->done)
		return 0;
	int ret = r->ops->next(r->impl, &r->row, err);
	if (ret <= 0) {
		r->done = 1;
		return ret;
	}
	*row = sheet_rowbuf_finish(&r->row);
	return 1;
}

unsigned sheet_progress(const struct sheet_reader *r)
{
	unsigned p = r->ops->progress(r->impl);
	return p > 1000 ? 1000 : p;
}

void sheet_close(struct sheet_reader **r)
{
	if (*r == NULL)
		return;
	(*r)->ops->close((*r)->impl);
	sheet_rowbuf_free(&(*r)->row);
	free(*r);
	*r = NULL;
}
