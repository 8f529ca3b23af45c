/* roster.c - the roster of children (花名册) as a spreadsheet: one row a
 * child, every field a clerk types under its Chinese label, choices by
 * their Chinese words, so the county reads it in Excel and the importer
 * takes it back unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/i18n.h"
#include "../forms/forms.h"
#include "sheets.h"

struct sheet_roster {
	struct sheet_writer *w;
	const struct form_field *const *cols;
	size_t ncols;
	size_t count;
};

/* A stored value as the roster shows it: a choice by its Chinese word
 * (whatever the clerk's language: the roster goes to the county). */
static const char *roster_value(const struct form_field *f, const char *v)
{
	if (v == NULL || f->type != FORM_CHOICE || f->choices == NULL)
		return v;
	for (const struct form_choice *c = f->choices; c->code; c++)
		if (strcmp(c->code, v) == 0)
			return c->zh;
	return v;
}

int sheet_roster_open(const char *path, enum sheet_format fmt,
		      enum sheet_encoding enc, const char *title,
		      struct sheet_roster **out, struct xb_error *err)
{
	*out = NULL;
	struct sheet_roster *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	r->cols = form_roster_fields(0, &r->ncols);
	int ret = sheet_writer_open(path, fmt, enc, "花名册", &r->w, err);
	const char **cells = calloc(r->ncols + 1, sizeof(*cells));
	if (ret == XB_OK && cells == NULL)
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	if (ret == XB_OK && title != NULL && fmt == SHEET_XLSX)
		ret = sheet_write_title(r->w, title, r->ncols + 1, err);
	if (ret == XB_OK) {
		cells[0] = "序号";
		for (size_t i = 0; i < r->ncols; i++)
			cells[i + 1] = r->cols[i]->zh;
		ret = sheet_write_row(r->w, cells, r->ncols + 1, 1, err);
	}
	free(cells);
	if (ret != XB_OK) {
		sheet_roster_abort(&r);
		return ret;
	}
	*out = r;
	return XB_OK;
}

int sheet_roster_add(struct sheet_roster *r, const struct store_record *child,
		     struct xb_error *err)
{
	const char **cells = calloc(r->ncols + 1, sizeof(*cells));
	if (cells == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	char number[24];
	snprintf(number, sizeof(number), "%zu", r->count + 1);
	cells[0] = number;
	for (size_t i = 0; i < r->ncols; i++)
		cells[i + 1] = roster_value(r->cols[i], store_record_get(child, r->cols[i]->key));
	int ret = sheet_write_row(r->w, cells, r->ncols + 1, 0, err);
	free(cells);
	if (ret == XB_OK)
		r->count++;
	return ret;
}

size_t sheet_roster_count(const struct sheet_roster *r)
{
	return r->count;
}

int sheet_roster_close(struct sheet_roster **r, struct xb_error *err)
{
	int ret = sheet_writer_close(&(*r)->w, err);
	free(*r);
	*r = NULL;
	return ret;
}

void sheet_roster_abort(struct sheet_roster **r)
{
	if (*r == NULL)
		return;
	sheet_writer_abort(&(*r)->w);
	free(*r);
	*r = NULL;
}
