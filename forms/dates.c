/* dates.c - calendar dates as the ledger writes them, YYYY-MM-DD: reading
 * them, leap years, days between two, and the other ways offices write a
 * date (2015/3/12, 2015年3月12日, 20150312) brought to it. Validation, the derivations
 * and ID numbers all read dates here. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

int form_date_add(const char *date, long days, char out[11])
{
	int y, m, d;
	char day[11];
	if (date == NULL)
		return -1;
	snprintf(day, sizeof(day), "%.10s", date);
	if (form_parse_date(day, &y, &m, &d) != 0)
		return -1;
	/* civil_from_days (H. Hinnant), the inverse of the above */
	long z = form_days_from_civil(y, m, d) + days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long dd = doy - (153 * mp + 2) / 5 + 1;
	long mm = mp < 10 ? mp + 3 : mp - 9;
	long yy = yoe + era * 400 + (mm <= 2);
	if (yy < 1 || yy > 9999)
		return -1;
	char buf[48];
	snprintf(buf, sizeof(buf), "%04ld-%02ld-%02ld", yy, mm, dd);
	memcpy(out, buf, 11);
	return 0;
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

/* Reads up to max digits at *p into *v; the count read. */
static int read_num(const char **p, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* Skips one separator the date may use: "-", "/", ".", or the given
 * Chinese word (年, 月), with spaces around it. 1 when one was there. */
static int skip_sep(const char **p, const char *word)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '/' || *s == '.')
		s++;
	else if (word != NULL && strncmp(s, word, strlen(word)) == 0)
		s += strlen(word);
	else
		return 0;
	while (*s == ' ')
		s++;
	*p = s;
	return 1;
}

/* The year, month and day of a date written as offices write it: 1 when
 * it reads as one (real or not), 0 when it does not. s is folded and
 * trimmed. */
static int date_numbers(const char *s, int *y, int *m, int *d)
{
	const char *p = s;
	size_t n = strlen(s);
	if (n == 8 && form_digits(s, 8)) {
		read_num(&p, 4, y);
		read_num(&p, 2, m);
		read_num(&p, 2, d);
		return 1;
	}
	int chinese = strstr(s, "年") != NULL;
	if (read_num(&p, 4, y) != 4 || !skip_sep(&p, "年") ||
	    read_num(&p, 2, m) == 0 || !skip_sep(&p, "月") ||
	    read_num(&p, 2, d) == 0)
		return 0;
	while (*p == ' ')
		p++;
	if (chinese && (strcmp(p, "日") == 0 || strcmp(p, "号") == 0))
		p += 3;
	return *p == '\0';
}

int form_date_read(const char *in, char out[11])
{
	int y, m, d;
	if (in == NULL)
		return -1;
	char *f = form_fold_width(in);
	if (f == NULL)
		return -1;
	char *s = f;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	int shaped = date_numbers(s, &y, &m, &d);
	free(f);
	if (!shaped || m > 99 || d > 99)
		return -1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return form_parse_date(out, NULL, NULL, NULL) == 0 ? 0 : 1;
}

int form_date_normalize(const char *in, char out[11])
{
	char buf[11];
	if (form_date_read(in, buf) != 0)
		return -1;
	memcpy(out, buf, 11);
	return 0;
}
