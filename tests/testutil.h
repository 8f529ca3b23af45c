/* testutil.h - what the cmocka unit tests share: cmocka's headers in the
 * order it needs, and temporary ledgers. */
#ifndef XB_TESTUTIL_H
#define XB_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Makes a fresh directory under $TMPDIR (or /tmp); returns it malloc'd. */
char *tu_mkdtemp(void);
/* Removes a directory tree. */
void tu_rmtree(const char *path);
/* Pins the clock (XIANGBAN_NOW) and the user for repeatable tests. */
void tu_pin_clock(const char *when);

#endif
