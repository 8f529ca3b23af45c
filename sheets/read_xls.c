/* read_xls.c - .xls (Excel 97-2003) through FreeXL, which reads the
 * whole workbook when it opens it; the first worksheet's rows are then
 * handed out one at a time. */
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/i18n.h"
#include "private.h"

struct xls {
	char *path;
	const void *h;
	unsigned int rows, row; /* rows of the sheet, the next one */
	unsigned short cols;
};

static void xls_close(void *impl)
{
	struct xls *x = impl;
	if (x == NULL)
		return;
	if (x->h)
		freexl_close(x->h);
	free(x->path);
	free(x);
}

static int damaged(const char *path, struct xb_error *err)
{
	return xb_fail(err, XB_EINVAL,
		       _("%s is damaged or incomplete (a copy broken off?): "
			 "open it in Excel or WPS, save it again and try "
			 "again."), path);
}

/* Words for FreeXL's refusal to open path. */
static int open_fail(const char *path, int rc, struct xb_error *err)
{
	switch (rc) {
	case FREEXL_INSUFFICIENT_MEMORY:
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an Excel workbook (an old Word "
				 "document?): save the table as .xlsx or .csv "
				 "and try again."), path);
	case FREEXL_BIFF_ILLEGAL_SHEET_INDEX:
		return xb_fail(err, XB_EINVAL, _("%s has no worksheet."), path);
	default:
		return damaged(path, err);
	}
}

int sheet_xls_open(const char *path, void **impl, struct xb_error *err)
{
	*impl = NULL;
	struct xls *x = calloc(1, sizeof(*x));
	if (x == NULL || (x->path = strdup(path)) == NULL) {
		free(x);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	int rc = freexl_open(path, &x->h);
	unsigned int info = 0;
	if (rc == FREEXL_OK &&
	    freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_OBFUSCATED) {
		xls_close(x);
		return xb_fail(err, XB_EINVAL,
			       _("%s is protected by a password: open it in "
				 "Excel or WPS, remove the password (or save "
				 "a copy as .xlsx) and try again."), path);
	}
	if (rc == FREEXL_OK)
		rc = freexl_select_active_worksheet(x->h, 0);
	if (rc == FREEXL_OK)
		rc = freexl_worksheet_dimensions(x->h, &x->rows, &x->cols);
	if (rc != FREEXL_OK) {
		int ret = open_fail(path, rc, err);
		xls_close(x);
		return ret;
	}
	*impl = x;
	return XB_OK;
}

/* One cell of FreeXL's into the row at column col. 0, or -1 out of memory. */
static int add_cell(struct sheet_rowbuf *b, unsigned short col,
		    const FreeXL_CellValue *v)
{
	char buf[32];
	const char *text = NULL;
	enum sheet_cell_type type = SHEET_TEXT;
	double number = 0;
	switch (v->type) {
	case FREEXL_CELL_INT:
		number = v->value.int_value;
		type = SHEET_NUMBER;
		break;
	case FREEXL_CELL_DOUBLE:
		number = v->value.double_value;
		type = SHEET_NUMBER;
		break;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_TIME:
		text = v->value.text_value;
		break;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
		snprintf(buf, sizeof(buf), "%.10s",
			 v->value.text_value ? v->value.text_value : "");
		number = sheet_date_serial(buf);
		text = buf;
		type = number > 0 ? SHEET_DATE : SHEET_TEXT;
		break;
	default:
		return 0;
	}
	if (type == SHEET_NUMBER) {
		sheet_general_text(number, buf);
		text = buf;
	}
	if (text == NULL || text[0] == '\0')
		return 0;
	return sheet_rowbuf_add(b, col, type, text, strlen(text), number);
}

static int xls_next(void *impl, struct sheet_rowbuf *b, struct xb_error *err)
{
	struct xls *x = impl;
	if (x->row >= x->rows)
		return 0;
	sheet_rowbuf_reset(b, x->row + 1UL);
	for (unsigned short c = 0; c < x->cols && c < SHEET_MAX_COLS; c++) {
		FreeXL_CellValue v;
		if (freexl_get_cell_value(x->h, x->row, c, &v) != FREEXL_OK)
			return damaged(x->path, err);
		if (add_cell(b, c, &v) != 0)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	x->row++;
	return 1;
}

static unsigned xls_progress(const void *impl)
{
	const struct xls *x = impl;
	return x->rows ? (unsigned)((unsigned long long)x->row * 1000 / x->rows) :
		1000;
}

const struct sheet_backend sheet_xls_backend = {
	xls_next, xls_progress, xls_close,
};
