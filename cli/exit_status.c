/* exit_status.c - how a command ends: the exit status of a status code,
 * with the error's message, and the usage error of a wrong command line. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "../common/i18n.h"

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xiangban: %s\n", cli_safe(msg));
	fprintf(stderr, _("Run `xiangban --help` for the commands.\n"));
	return XB_EXIT_USAGE;
}

int cli_fail(struct cli *c, int status)
{
	/* A call that succeeded may have left a message of a step it
	 * recovered from: only a failure is told. */
	if (status != XB_OK && c->err.msg[0])
		fprintf(stderr, "xiangban: %s\n", cli_safe(c->err.msg));
	switch (status) {
	case XB_OK: return XB_EXIT_OK;
	case XB_EINVAL: return XB_EXIT_INVALID;
	case XB_ENOTFOUND: return XB_EXIT_NOTFOUND;
	case XB_ECONFLICT:
	case XB_EEXIST: return XB_EXIT_CONFLICT;
	case XB_EPERM: return XB_EXIT_DENIED;
	default: return XB_EXIT_FAIL;
	}
}
