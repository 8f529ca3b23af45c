/* testutil.c - temporary directories and a pinned clock for unit tests. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/xbtest.XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(path) == NULL)
		return NULL;
	return strdup(path);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void tu_rmtree(const char *path)
{
	if (path != NULL)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void tu_pin_clock(const char *when)
{
	setenv("XIANGBAN_NOW", when, 1);
}
