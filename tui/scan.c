/* scan.c - what a USB scanner types from a case slip (XB1:CASE:VERSION
 * and Enter) opens the child's file, from any screen but a form's text
 * field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"
#include "../print/print.h"

int tui_scan_open(struct tui *t, const char *text)
{
	char case_no[18];
	unsigned version;
	struct xb_error err;
	xb_error_clear(&err);
	if (slip_payload_parse(text, case_no, &version, &err) != XB_OK) {
		tui_error(t, &err);
		return 0;
	}
	/* The county is the case number's first six digits. */
	if (strncmp(case_no, t->office, 6) != 0) {
		tui_message(t, 1, _("Slip %s belongs to another county (%.6s)."), case_no,
			    case_no);
		return 0;
	}
	struct store_record *c = NULL;
	/* A village user's slip of another village's child opens nothing:
	 * the ledger says whose it is not. */
	if (ledger_child_read(t->st, t->user, case_no, &c, &err) != XB_OK) {
		if (err.code == XB_ENOTFOUND)
			tui_message(t, 1, _("No child with case number %s is in this ledger."),
				    case_no);
		else
			tui_error(t, &err);
		return 0;
	}
	unsigned now;
	enum ledger_slip_state state = ledger_slip_state(c, version, &now);
	store_record_free(&c);
	tui_child_open(t, case_no);
	if (state == LEDGER_SLIP_REPLACED)
		tui_message(t, 1, _("This slip (version %u) was replaced by version %u: "
				    "collect it from the family."),
			    version, now);
	else if (state == LEDGER_SLIP_NEVER && now > 0)
		tui_message(t, 1, _("No slip version %u of %s was printed here (the latest is "
				    "version %u): ask where this slip came from."),
			    version, case_no, now);
	else if (state == LEDGER_SLIP_NEVER)
		tui_message(t, 1, _("No slip of %s has been printed here: ask where this slip "
				    "(version %u) came from."),
			    case_no, version);
	return 1;
}

/* Draws what the scanner has typed so far in a small box. */
static void draw_scan(struct tui *t, const struct tui_line *l)
{
	int y0, x0;
	char *s = tui_line_get(l);
	tui_box(t, 3, 50, _("Scanning a case slip"), &y0, &x0);
	tui_put(y0, x0, 46, s ? s : "", tui_attr(t, TUI_INPUT));
	free(s);
}

void tui_scan_capture(struct tui *t, wchar_t first)
{
	struct tui_line line;
	tui_line_set(&line, "");
	struct tui_key k = { 0, first };
	tui_line_key(&line, &k);
	for (;;) {
		tui_draw(t);
		if (!t->too_small) {
			draw_scan(t, &line);
			t->cur_y = -1;
		}
		tui_refresh(t);
		tui_getkey(t, &k);
		if (t->quit || tui_key_esc(&k))
			return;
		if (tui_key_enter(&k))
			break;
		tui_line_key(&line, &k);
	}
	char *text = tui_line_get(&line);
	if (text != NULL)
		tui_scan_open(t, text);
	free(text);
}
