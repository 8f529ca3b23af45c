/* confirm.c - the question a person at the terminal answers before what
 * the same hand cannot take back (a child leaving the ledger, a report
 * closed); scripts answer it with --yes. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/i18n.h"

/* The answer typed on the terminal, y or n (anything else: n). */
static int ask_tty(const char *question)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (tty == NULL)
		return 0;
	char line[64];
	/* TRANSLATORS: the answers a y/N question takes; keep y and N. */
	fprintf(tty, "%s %s ", question, _("[y/N]"));
	fflush(tty);
	int ok = fgets(line, sizeof(line), tty) != NULL;
	fclose(tty);
	/* y, yes, or 是 (the Chinese yes) */
	return ok && (line[0] == 'y' || line[0] == 'Y' || strncmp(line, "是", 3) == 0);
}

int cli_confirm(struct cli *c, int yes, const char *question)
{
	(void)c;
	if (yes)
		return XB_EXIT_OK;
	if (!cli_can_ask()) {
		fprintf(stderr, "xiangban: %s\n", cli_safe(question));
		fprintf(stderr, _("xiangban: nobody is at a terminal to confirm it: add "
				  "--yes to do it all the same.\n"));
		return XB_EXIT_USAGE;
	}
	if (ask_tty(cli_safe(question)))
		return XB_EXIT_OK;
	fprintf(stderr, _("Nothing was done.\n"));
	return XB_EXIT_FAIL;
}
