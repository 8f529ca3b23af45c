/* private.h - what the files of stats/ share. */
#ifndef XB_STATS_PRIVATE_H
#define XB_STATS_PRIVATE_H

#include "stats.h"

/* A row's figures as a filed table keeps them: "in_ledger=3 visits=2 ...
 * late_days=2,5", every column named (filed.c). *out is malloc'd. */
int stats_figures_format(const struct stats_row *r, const double *late,
			 size_t nlate, char **out);
/* And back: the columns into r->v (a column not named is 0, an unknown
 * name is passed over: a newer program's), the late days into *late
 * (malloc'd, *nlate of them). XB_EINVAL naming what is wrong. */
int stats_figures_parse(const char *text, struct stats_row *r, double **late,
			size_t *nlate, struct xb_error *err);

#endif
