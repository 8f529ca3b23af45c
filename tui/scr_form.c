/* scr_form.c - being written this session; replaced whole by its screen. */
#include "private.h"

void tui_form_open(struct tui *t, enum store_kind kind, const char *parent,
		   struct store_record *rec)
{
	(void)kind;
	(void)parent;
	store_record_free(&rec);
	tui_message(t, 1, "%s", "not built yet");
}

void tui_exit_open(struct tui *t, const char *case_no, uint32_t version)
{
	(void)case_no;
	(void)version;
	tui_message(t, 1, "%s", "not built yet");
}
