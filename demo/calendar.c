/* calendar.c - day numbers (days from 1970-01-01) and the dates and
 * date-times of records made from them. */
#include <stdio.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/digits.h"

void synth_civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

long synth_day_of(const char *date)
{
	int y, m, d;
	char now[11];
	if (date == NULL || form_parse_date(date, &y, &m, &d) != 0) {
		xb_today(now, sizeof(now));
		form_parse_date(now, &y, &m, &d);
	}
	return form_days_from_civil(y, m, d);
}

void synth_date(long day, char out[11])
{
	int y, m, d;
	synth_civil_from_days(day, &y, &m, &d);
	char *p = xb_digits(out, (unsigned)y, 4);
	*p++ = '-';
	p = xb_digits(p, (unsigned)m, 2);
	*p++ = '-';
	*xb_digits(p, (unsigned)d, 2) = '\0';
}

void synth_datetime(long day, int minute, char out[32])
{
	int y, m, d;
	synth_civil_from_days(day, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", y, m, d,
		 (minute / 60) % 24, minute % 60);
}
