/* clock.h - the time every module agrees on.
 *
 * XIANGBAN_NOW (seconds since the epoch, or YYYY-MM-DD[THH:MM:SS] in local
 * time) pins the clock so tests and demos do not drift. */
#ifndef XB_CLOCK_H
#define XB_CLOCK_H

#include <stdint.h>
#include <stddef.h>

/* Seconds since the epoch, from XIANGBAN_NOW when set. */
int64_t xb_now(void);

/* Today's local date as YYYY-MM-DD into buf (at least 11 bytes). */
void xb_today(char *buf, size_t len);

/* Formats t as local YYYY-MM-DD HH:MM:SS into buf (at least 20 bytes). */
void xb_format_time(int64_t t, char *buf, size_t len);

#endif
