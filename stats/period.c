/* period.c - the periods a table covers: a month, a quarter, a year or a
 * run of days, with the moments they span in local time. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stats.h"
#include "../common/i18n.h"
#include "../forms/forms.h"

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && form_leap_year(y) ? 29 : d[m - 1];
}

/* The first moment of day y-m-d in local time (the next day's first,
 * minus one, is a day's last). */
static int64_t day_start(int y, int m, int d)
{
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* from..to filled in with the moments they span; dates already real. */
static void span(struct stats_period *p, int fy, int fm, int fd, int ty,
		 int tm, int td)
{
	snprintf(p->from, sizeof(p->from), "%04d-%02d-%02d", fy, fm, fd);
	snprintf(p->to, sizeof(p->to), "%04d-%02d-%02d", ty, tm, td);
	p->start = day_start(fy, fm, fd);
	p->end = day_start(ty, tm, td + 1) - 1; /* mktime carries the day over */
}

static void month(struct stats_period *p, int y, int m)
{
	p->kind = STATS_MONTH;
	snprintf(p->label, sizeof(p->label), "%04d-%02d", y, m);
	span(p, y, m, 1, y, m, days_in_month(y, m));
}

static void quarter(struct stats_period *p, int y, int q)
{
	p->kind = STATS_QUARTER;
	snprintf(p->label, sizeof(p->label), "%04d-Q%d", y, q);
	span(p, y, q * 3 - 2, 1, y, q * 3, days_in_month(y, q * 3));
}

static void year(struct stats_period *p, int y)
{
	p->kind = STATS_YEAR;
	snprintf(p->label, sizeof(p->label), "%04d", y);
	span(p, y, 1, 1, y, 12, 31);
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int stats_period_parse(const char *text, struct stats_period *p,
		       struct xb_error *err)
{
	memset(p, 0, sizeof(*p));
	size_t n = text ? strlen(text) : 0;
	int y = 0;
	if (n >= 4 && all_digits(text, 4)) {
		sscanf(text, "%4d", &y);
		if (y < 1950 || y > 2200)
			y = 0;
	}
	if (y && n == 4) {
		year(p, y);
		return XB_OK;
	}
	if (y && n == 7 && text[4] == '-' && all_digits(text + 5, 2)) {
		int m = (text[5] - '0') * 10 + (text[6] - '0');
		if (m >= 1 && m <= 12) {
			month(p, y, m);
			return XB_OK;
		}
	}
	if (y && n == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q') &&
	    text[6] >= '1' && text[6] <= '4') {
		quarter(p, y, text[6] - '0');
		return XB_OK;
	}
	return xb_fail(err, XB_EINVAL,
		       _("\"%s\" is no period: give a month (2026-11), a "
			 "quarter (2026-Q4) or a year (2026), or --from and "
			 "--to dates."),
		       text ? text : "");
}

int stats_period_days(const char *from, const char *to,
		      struct stats_period *p, struct xb_error *err)
{
	memset(p, 0, sizeof(*p));
	char f[11], t[11];
	int fy, fm, fd, ty, tm, td;
	if (from == NULL || form_date_normalize(from, f) != 0)
		return xb_fail(err, XB_EINVAL, _("\"%s\" is no date (2026-11-03)."),
			       from ? from : "");
	if (to == NULL || form_date_normalize(to, t) != 0)
		return xb_fail(err, XB_EINVAL, _("\"%s\" is no date (2026-11-03)."),
			       to ? to : "");
	if (strcmp(f, t) > 0)
		return xb_fail(err, XB_EINVAL,
			       _("The period ends (%s) before it begins (%s)."), t, f);
	form_parse_date(f, &fy, &fm, &fd);
	form_parse_date(t, &ty, &tm, &td);
	p->kind = STATS_DAYS;
	snprintf(p->label, sizeof(p->label), "%s..%s", f, t);
	span(p, fy, fm, fd, ty, tm, td);
	return XB_OK;
}

void stats_period_this_month(const char *today, struct stats_period *p)
{
	int y, m, d;
	memset(p, 0, sizeof(*p));
	if (form_parse_date(today, &y, &m, &d) != 0)
		y = 1970, m = 1;
	month(p, y, m);
}

void stats_period_last_month(const char *today, struct stats_period *p)
{
	struct stats_period now;
	stats_period_this_month(today, &now);
	stats_period_step(&now, 0, p);
}

void stats_period_step(const struct stats_period *p, int forward,
		       struct stats_period *out)
{
	int y, m, d, ty, tm, td;
	form_parse_date(p->from, &y, &m, &d);
	form_parse_date(p->to, &ty, &tm, &td);
	int dir = forward ? 1 : -1;
	memset(out, 0, sizeof(*out));
	switch (p->kind) {
	case STATS_MONTH:
		m += dir;
		if (m == 0)
			m = 12, y--;
		if (m == 13)
			m = 1, y++;
		month(out, y, m);
		break;
	case STATS_QUARTER: {
		int q = (m + 2) / 3 + dir;
		if (q == 0)
			q = 4, y--;
		if (q == 5)
			q = 1, y++;
		quarter(out, y, q);
		break;
	}
	case STATS_YEAR:
		year(out, y + dir);
		break;
	case STATS_DAYS: {
		long a = form_days_from_civil(y, m, d);
		long len = form_days_from_civil(ty, tm, td) - a + 1;
		/* whole days from the epoch back to a civil date */
		long f = a + dir * len, t = f + len - 1;
		time_t tf = (time_t)f * 86400, tt = (time_t)t * 86400;
		struct tm a_tm, b_tm;
		gmtime_r(&tf, &a_tm);
		gmtime_r(&tt, &b_tm);
		out->kind = STATS_DAYS;
		span(out, a_tm.tm_year + 1900, a_tm.tm_mon + 1, a_tm.tm_mday,
		     b_tm.tm_year + 1900, b_tm.tm_mon + 1, b_tm.tm_mday);
		snprintf(out->label, sizeof(out->label), "%s..%s", out->from, out->to);
		break;
	}
	}
}

void stats_period_title(const struct stats_period *p, char *buf, size_t len)
{
	int y, m, d;
	form_parse_date(p->from, &y, &m, &d);
	switch (p->kind) {
	case STATS_MONTH:
		snprintf(buf, len, _("%d-%02d"), y, m);
		break;
	case STATS_QUARTER:
		snprintf(buf, len, _("%d, quarter %d"), y, (m + 2) / 3);
		break;
	case STATS_YEAR:
		snprintf(buf, len, _("the year %d"), y);
		break;
	case STATS_DAYS:
		snprintf(buf, len, _("%s to %s"), p->from, p->to);
		break;
	}
}

int stats_period_closed(const struct stats_period *p, const char *today)
{
	return today != NULL && strcmp(p->to, today) < 0;
}
