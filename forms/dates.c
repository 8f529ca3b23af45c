/* dates.c - calendar dates as the ledger writes them, YYYY-MM-DD: reading
 * them, leap years, and days between two. Validation, the derivations
 * and ID numbers all read dates here. */
#include <limits.h>
#include <string.h>

#include "forms.h"
#include "private.h"

int form_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 when s has the shape NNNN-NN-NN, whether or not the date is real. */
int form_date_shaped(const char *s)
{
	return strlen(s) >= 10 && form_digits(s, 4) && s[4] == '-' &&
	       form_digits(s + 5, 2) && s[7] == '-' && form_digits(s + 8, 2);
}

/* Parses a real calendar date written exactly YYYY-MM-DD: 0 or -1. */
int form_parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	if (s == NULL || strlen(s) != 10 || !form_date_shaped(s))
		return -1;
	/* the digits are checked: no atoi (strtol) for the thousands of
	 * dates a load checks */
#define DIGIT(i) (s[i] - '0')
	int yy = DIGIT(0) * 1000 + DIGIT(1) * 100 + DIGIT(2) * 10 + DIGIT(3);
	int mm = DIGIT(5) * 10 + DIGIT(6), dd = DIGIT(8) * 10 + DIGIT(9);
#undef DIGIT
	if (yy < 1 || mm < 1 || mm > 12 || dd < 1)
		return -1;
	if (dd > mdays[mm - 1] + (mm == 2 && form_leap_year(yy)))
		return -1;
	if (y != NULL)
		*y = yy;
	if (m != NULL)
		*m = mm;
	if (d != NULL)
		*d = dd;
	return 0;
}

long form_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The first 10 bytes of s (the date of a date-time) into out. */
static void date_part(char out[11], const char *s)
{
	size_t n = strnlen(s, 10);
	memcpy(out, s, n);
	out[n] = '\0';
}

long form_days_between(const char *a, const char *b)
{
	char da[11], db[11];
	int y1, m1, d1, y2, m2, d2;
	if (a == NULL || b == NULL)
		return LONG_MIN;
	date_part(da, a);
	date_part(db, b);
	if (form_parse_date(da, &y1, &m1, &d1) || form_parse_date(db, &y2, &m2, &d2))
		return LONG_MIN;
	return form_days_from_civil(y2, m2, d2) - form_days_from_civil(y1, m1, d1);
}
