/* printing.c - what the screens share to print: the folder a printed
 * file goes to (the office's slips_folder, else the USB stick, else the
 * ledger's own slips folder), its name, the offer to send it to the
 * printer once written, and the start screen's menu of lists (p): the
 * overdue visits by village, the reports open, a village's slips. The
 * lists themselves are print/lists.c's, the calls `xiangban print`
 * makes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "private.h"
#include "../common/i18n.h"
#include "../print/print.h"

/* Villages offered in the pick list at most. */
#define PICK_VILLAGES_MAX 500

int tui_print_dir(struct tui *t, char *dir, size_t len, struct xb_error *err)
{
	struct stat sb;
	if (ledger_setting_get(t->st, "slips_folder", dir, len, err) == XB_OK &&
	    dir[0] != '\0' && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return XB_OK;
	xb_error_clear(err);
	if (tui_stick_dir(dir, len))
		return XB_OK;
	snprintf(dir, len, "%s/slips", store_home(t->st));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return xb_fail(err, XB_EFAIL, _("Cannot make %s: %s"), dir, strerror(errno));
	return XB_OK;
}

void tui_print_path(struct tui *t, const char *dir, const char *what, const char *whose,
		    char *buf, size_t len)
{
	char name[256];
	snprintf(name, sizeof(name), "%s",
		 whose ? whose : t->office_name[0] ? t->office_name : t->office);
	/* nothing a file name cannot hold */
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == ':')
			*p = '_';
	size_t dl = strlen(dir);
	snprintf(buf, len, "%s%s%s-%s-%s.pdf", dir, dl && dir[dl - 1] == '/' ? "" : "/", what,
		 name, t->today);
}

void tui_print_offer(struct tui *t, const char *path, const char *done)
{
	char safe[1400], msg[2048];
	struct xb_error err;
	xb_error_clear(&err);
	tui_safe_cut(path, 1000, safe, sizeof(safe));
	if (!print_printer_here()) {
		snprintf(msg, sizeof(msg), _("%s\nThere is no printer here (no lp); the PDF is in:\n%s"),
			 done, safe);
		tui_message(t, 0, _("Wrote %s."), safe);
		tui_ask(t, msg, _("Press Enter."), " ");
		return;
	}
	snprintf(msg, sizeof(msg), _("%s\nThe PDF is in:\n%s\nSend it to the printer?"), done,
		 safe);
	if (tui_ask(t, msg, _("y: yes   n: no"), "yn") != 'y') {
		tui_message(t, 0, _("Wrote %s."), safe);
		return;
	}
	if (slip_send_to_printer(path, &err) == XB_OK)
		tui_message(t, 0, _("Sent %s to the printer."), safe);
	else
		tui_error(t, &err);
}

/* --- the start screen's menu --- */

/* The folder and the file of a list named what (and whose: a village's
 * name, else the office's); 0, or -1 told. */
static int where(struct tui *t, const char *what, const char *whose, char *path, size_t len)
{
	char dir[4096];
	struct xb_error err;
	xb_error_clear(&err);
	if (tui_print_dir(t, dir, sizeof(dir), &err) != XB_OK) {
		tui_error(t, &err);
		return -1;
	}
	tui_print_path(t, dir, what, whose, path, len);
	return 0;
}

/* Shows a failure in a box as well: the whole of a long path. */
static void failed(struct tui *t, const struct xb_error *err)
{
	tui_error(t, err);
	tui_ask(t, err->msg, _("Press Enter."), " ");
}

static void print_overdue(struct tui *t)
{
	char path[4400], done[256];
	struct xb_error err;
	size_t n = 0, pages = 0;
	xb_error_clear(&err);
	if (where(t, _("Overdue visits"), NULL, path, sizeof(path)) != 0)
		return;
	tui_message(t, 0, "%s", _("Writing the list..."));
	tui_redraw(t);
	if (print_overdue_pdf(t->st, t->user, t->today, path, &n, &pages, &err) != XB_OK) {
		failed(t, &err);
		return;
	}
	snprintf(done, sizeof(done),
		 ngettext("Wrote the overdue visits (%zu child, %zu pages).",
			  "Wrote the overdue visits (%zu children, %zu pages).", n),
		 n, pages);
	tui_print_offer(t, path, done);
}

void tui_print_reports(struct tui *t, const struct ledger_reports_filter *f)
{
	char path[4400], done[256];
	struct xb_error err;
	size_t n = 0, pages = 0;
	xb_error_clear(&err);
	if (where(t, _("Reports"), NULL, path, sizeof(path)) != 0)
		return;
	tui_message(t, 0, "%s", _("Writing the list..."));
	tui_redraw(t);
	if (print_reports_pdf(t->st, t->user, t->today, f, path, &n, &pages, &err) != XB_OK) {
		failed(t, &err);
		return;
	}
	snprintf(done, sizeof(done),
		 ngettext("Wrote the reports (%zu report, %zu pages).",
			  "Wrote the reports (%zu reports, %zu pages).", n),
		 n, pages);
	tui_print_offer(t, path, done);
}

/* The villages of the register the user sees, as the pick list shows
 * them: "name (code)". */
struct pick_villages {
	char *items[PICK_VILLAGES_MAX], *codes[PICK_VILLAGES_MAX],
		*names[PICK_VILLAGES_MAX];
	int n;
	const struct ledger_who *who;
};

static int village_one(const char *code, const char *name, void *arg)
{
	struct pick_villages *v = arg;
	char item[256];
	if (!ledger_who_sees_village(v->who, code))
		return 0;
	if (v->n >= PICK_VILLAGES_MAX)
		return 1;
	snprintf(item, sizeof(item), "%s (%s)", name, code);
	v->items[v->n] = strdup(item);
	v->codes[v->n] = strdup(code);
	v->names[v->n] = strdup(name);
	v->n++;
	if (v->items[v->n - 1] == NULL || v->codes[v->n - 1] == NULL ||
	    v->names[v->n - 1] == NULL)
		return 1;
	return 0;
}

static void print_slips(struct tui *t)
{
	struct pick_villages v;
	struct xb_error err;
	xb_error_clear(&err);
	memset(&v, 0, sizeof(v));
	v.who = &t->who;
	if (ledger_village_list(t->st, village_one, &v, &err) != XB_OK) {
		tui_error(t, &err);
	} else if (v.n == 0) {
		tui_message(t, 1, "%s",
			    _("The village register is empty: add the office's villages first "
			      "(F9 v)."));
	} else {
		int i = tui_pick(t, _("The slips of which village?"), (const char *const *)v.items,
				 v.n, 0);
		char path[4400], done[512];
		size_t n = 0;
		if (i >= 0 && v.items[i] != NULL && v.codes[i] != NULL && v.names[i] != NULL &&
		    where(t, _("Slips"), v.names[i], path, sizeof(path)) == 0) {
			tui_message(t, 0, "%s", _("Writing the slips..."));
			tui_redraw(t);
			if (print_village_slips(t->st, t->user, v.codes[i], t->today, path, &n, NULL,
						&err) != XB_OK) {
				failed(t, &err);
			} else {
				snprintf(done, sizeof(done),
					 ngettext("Wrote a sheet of %zu slip for village %s.",
						  "Wrote sheets of %zu slips for village %s.", n),
					 n, v.names[i]);
				tui_print_offer(t, path, done);
			}
		}
	}
	for (int i = 0; i < v.n; i++) {
		free(v.items[i]);
		free(v.codes[i]);
		free(v.names[i]);
	}
}

void tui_print_menu(struct tui *t)
{
	const char *items[] = {
		_("Overdue visits, by village"),
		_("Reports open"),
		_("Case slips of a village"),
	};
	tui_who_refresh(t);
	switch (tui_pick(t, _("Print"), items, 3, 0)) {
	case 0:
		print_overdue(t);
		break;
	case 1: {
		const struct ledger_reports_filter f = { NULL, 0, 0 };
		tui_print_reports(t, &f);
		break;
	}
	case 2:
		print_slips(t);
		break;
	default:
		break;
	}
}
