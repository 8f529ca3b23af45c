/* clock.c - wall clock with a test override. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"

/* Parses a pinned time (seconds, or YYYY-MM-DD[THH:MM:SS] local);
 * mktime reads the time zone, so the answer for the last text is kept
 * (a thread's own: an import checks records in a thread of its own).
 * Returns -1 when pin is unreadable. */
static int64_t parse_pin(const char *pin)
{
	static _Thread_local char last[64];
	static _Thread_local int64_t last_value = -1;
	if (last[0] != '\0' && strcmp(pin, last) == 0)
		return last_value;
	int64_t v = -1;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int y, mo, d, h = 12, mi = 0, s = 0;
	if (sscanf(pin, "%d-%d-%d%*[T ]%d:%d:%d", &y, &mo, &d, &h, &mi, &s) >= 3) {
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = s;
		tm.tm_isdst = -1;
		v = (int64_t)mktime(&tm);
	} else {
		char *end;
		long long n = strtoll(pin, &end, 10);
		if (*end == '\0')
			v = n;
	}
	snprintf(last, sizeof(last), "%s", pin);
	last_value = v;
	return v;
}

int64_t xb_now(void)
{
	const char *pin = getenv("XIANGBAN_NOW");
	if (pin != NULL && *pin != '\0') {
		int64_t v = parse_pin(pin);
		if (v != -1)
			return v;
	}
	return (int64_t)time(NULL);
}

void xb_format_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

void xb_today(char *buf, size_t len)
{
	time_t tt = (time_t)xb_now();
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}
