/* validate.c - checking and normalising one value by its field type, and
 * whole records with the rules across their fields. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forms.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../common/printable.h"

/* Why a text was refused. */
enum text_fault {
	TEXT_OK,
	TEXT_BAD_UTF8, /* not UTF-8: stray, overlong, surrogate, truncated */
	TEXT_CONTROL,  /* a control character */
	TEXT_NEWLINE,  /* a line break in a one-line field */
	TEXT_BIDI,     /* a bidi override or mark: reorders what is shown */
	TEXT_INVISIBLE, /* a zero-width character: shows nothing */
};

/* Walks s as UTF-8: counts code points into *nchars and returns the first
 * fault, with the offending code point in *bad for TEXT_CONTROL, TEXT_BIDI
 * and TEXT_INVISIBLE (the classes of common/printable.h, so what input
 * takes, output shows as it is). */
static enum text_fault text_scan(const char *s, int multiline, size_t *nchars,
				 unsigned *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	enum text_fault fault = TEXT_OK;

	while (*p != '\0') {
		unsigned c = *p, cp;
		int len;
		if (c < 0x80) {
			cp = c;
			len = 1;
		} else if (c >= 0xC2 && c <= 0xDF) {
			cp = c & 0x1F;
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			cp = c & 0x0F;
			len = 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			cp = c & 0x07;
			len = 4;
		} else {
			/* a continuation byte, C0/C1 (always overlong) or
			 * F5-FF (beyond U+10FFFF) */
			fault = TEXT_BAD_UTF8;
			break;
		}
		int i;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				break; /* also stops at the NUL: truncated */
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if (i < len || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF)) {
			fault = TEXT_BAD_UTF8;
			break;
		}
		if (cp == '\n' && !multiline) {
			fault = TEXT_NEWLINE;
			break;
		}
		if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t'))) ||
		    cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			fault = TEXT_CONTROL;
			if (bad != NULL)
				*bad = cp;
			break;
		}
		if (cp >= 0xAD) {
			enum xb_char_class k = xb_char_class(cp);
			if (k != XB_CH_OK) {
				fault = k == XB_CH_BIDI ? TEXT_BIDI
				      : k == XB_CH_INVISIBLE ? TEXT_INVISIBLE
				      : TEXT_CONTROL;
				if (bad != NULL)
					*bad = cp;
				break;
			}
		}
		n++;
		p += len;
	}
	if (nchars != NULL)
		*nchars = n;
	return fault;
}

/* Checks that s is clean UTF-8 text and counts its characters. */
int form_check_text(const char *s, int multiline, size_t *nchars)
{
	if (s == NULL)
		s = "";
	return text_scan(s, multiline, nchars, NULL) == TEXT_OK ? XB_OK
								 : XB_EINVAL;
}

/* Turns a typed phone number into "NNNNNNNNNNN" (mobile) or "AAAA-LLLLLLLL"
 * (landline); -1 when it is neither. */
static int phone_normalise(const char *s, char *out, size_t len)
{
	char dig[24];
	size_t nd = 0, first_group = 0;
	int paren = 0;
	const char *p = s;

	if (*p == '(') {
		paren = 1;
		p++;
	}
	while (*p >= '0' && *p <= '9') {
		if (nd >= 20)
			return -1;
		dig[nd++] = *p++;
	}
	if (nd == 0)
		return -1;
	if (paren) {
		if (*p != ')')
			return -1;
		p++;
		first_group = nd;
	} else if (*p == ' ' || *p == '-') {
		first_group = nd;
	}
	while (*p != '\0') {
		if (*p == ' ' || *p == '-') {
			while (*p == ' ' || *p == '-')
				p++;
			if (!(*p >= '0' && *p <= '9'))
				return -1;
		} else if (*p >= '0' && *p <= '9') {
			if (nd >= 20)
				return -1;
			dig[nd++] = *p++;
		} else {
			return -1;
		}
	}
	dig[nd] = '\0';

	if (!paren && nd == 11 && dig[0] == '1' && dig[1] >= '3' &&
	    dig[1] <= '9') {
		snprintf(out, len, "%s", dig);
		return 0;
	}
	if (dig[0] != '0' || nd < 3)
		return -1;
	/* Area codes: 010 and 020-029 have three digits, the others
	 * (03xx-09xx) four; none starts 00 or 01 but 010. */
	size_t alen;
	if (dig[1] == '1' && dig[2] == '0')
		alen = 3;
	else if (dig[1] == '2')
		alen = 3;
	else if (dig[1] >= '3' && dig[1] <= '9')
		alen = 4;
	else
		return -1;
	if (first_group != 0 && first_group != alen)
		return -1;
	size_t local = nd - (nd < alen ? nd : alen);
	if (local < 7 || local > 8 || dig[alen] == '0' || dig[alen] == '1')
		return -1;
	snprintf(out, len, "%.*s-%s", (int)alen, dig, dig + alen);
	return 0;
}

/* The range of a whole-number field: the schema's, else any int. */
static void int_range(const struct form_field *f, long long *lo,
		      long long *hi)
{
	if (f->max > f->min) {
		*lo = f->min;
		*hi = f->max;
	} else {
		*lo = INT_MIN;
		*hi = INT_MAX;
	}
}

/* Writes the labels of f's choices, " / " between them, into buf. */
static void choice_list(const struct form_field *f, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct form_choice *c = f->choices; c && c->code; c++) {
		int w = snprintf(buf + used, len - used, "%s%s",
				 used ? " / " : "", form_choice_label(f, c->code));
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* Checks a date or the date part of a date and time: from 1900 on, not
 * after today unless the field allows the future. */
static int check_date_range(const struct form_field *f, const char *date,
			    const char *today, struct xb_error *err)
{
	if (strcmp(date, "1900-01-01") < 0)
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: %s is before 1900."), form_label(f),
				     date);
	if (!(f->flags & FORM_FUTURE) && strcmp(date, today) > 0)
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: %s is after today (%s)."),
				     form_label(f), date, today);
	return XB_OK;
}

/* Checks text against the field's length in characters. */
static int check_text_value(const struct form_field *f, const char *v,
			    int multiline, struct xb_error *err)
{
	size_t n = 0;
	unsigned bad = 0;
	switch (text_scan(v, multiline, &n, &bad)) {
	case TEXT_OK:
		break;
	case TEXT_BAD_UTF8:
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the text is not valid UTF-8 (a "
				       "broken or foreign-encoded character)."),
				     form_label(f));
	case TEXT_NEWLINE:
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: write it on one line."),
				     form_label(f));
	case TEXT_CONTROL:
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the text holds a control character "
				       "(U+%04X)."),
				     form_label(f), bad);
	case TEXT_BIDI:
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the text holds a character that "
				       "reverses the writing direction (U+%04X); "
				       "type it again without it."),
				     form_label(f), bad);
	case TEXT_INVISIBLE:
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the text holds an invisible "
				       "character (U+%04X); type it again "
				       "without it."),
				     form_label(f), bad);
	}
	if (f->maxlen > 0 && n > f->maxlen)
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: at most %u characters; this has "
				       "%zu."),
				     form_label(f), f->maxlen, n);
	return XB_OK;
}

/* snprintf(buf, len, "%s", s) without the formatting machinery: it runs
 * for every value of every record checked. */
static void copy_str(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* One value being checked by its field's type: v is trimmed and not
 * empty. A checker writes the normal form into out, or sets as_is when v
 * is kept as it is (text: no copy to make). */
struct value_check {
	const struct form_field *f;
	const char *v;
	const char *today;
	char *out;
	size_t outlen;
	int as_is;
	struct xb_error *err;
};

static int check_text(struct value_check *c)
{
	c->as_is = 1;
	return check_text_value(c->f, c->v, 0, c->err);
}

static int check_note(struct value_check *c)
{
	c->as_is = 1;
	return check_text_value(c->f, c->v, 1, c->err);
}

/* A date written as offices write it (2015/3/12, 2015年3月12日 ...), in
 * the calendar and in range: stored YYYY-MM-DD. */
static int check_date_part(const struct form_field *f, const char *v,
			   const char *today, int with_time, char date[11],
			   struct xb_error *err)
{
	switch (form_date_read(v, date)) {
	case 0:
		return check_date_range(f, date, today, err);
	case 1:
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: %s is not a date in the calendar."),
				     form_label(f), v);
	default:
		if (with_time)
			return xb_fail_field(err, XB_EINVAL, f->key,
					     _("%s: write YYYY-MM-DD or "
					       "YYYY-MM-DD HH:MM, e.g. "
					       "2026-03-08 14:30."),
					     form_label(f));
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: write the date as YYYY-MM-DD, e.g. "
				       "2015-03-08."),
				     form_label(f));
	}
}

static int check_date(struct value_check *c)
{
	char date[11];
	int rc = check_date_part(c->f, c->v, c->today, 0, date, c->err);
	if (rc == XB_OK)
		copy_str(c->out, c->outlen, date);
	return rc;
}

/* Where the time of a date and time starts: the hour's one or two digits
 * before the last ":" (a second ":SS" may follow), after a space, a T or
 * the date's last character; NULL when v has no time. */
static const char *time_start(const char *v)
{
	const char *colon = strchr(v, ':');
	if (colon == NULL)
		return NULL;
	const char *t = colon;
	while (t > v && t[-1] >= '0' && t[-1] <= '9' && colon - t < 2)
		t--;
	return t;
}

/* Reads HH:MM or H:MM, with :SS after it dropped, into hm[6]; -1 when it
 * is no time of day. */
static int read_time(const char *t, char hm[6])
{
	size_t h = strspn(t, "0123456789");
	if (h < 1 || h > 2 || t[h] != ':' || !form_digits(t + h + 1, 2))
		return -1;
	const char *rest = t + h + 3;
	if (*rest == ':' && form_digits(rest + 1, 2) && rest[3] == '\0' &&
	    atoi(rest + 1) <= 59)
		rest += 3;
	if (*rest != '\0')
		return -1;
	int hh = atoi(t), mm = atoi(t + h + 1);
	if (hh > 23 || mm > 59)
		return -1;
	hm[0] = (char)('0' + hh / 10);
	hm[1] = (char)('0' + hh % 10);
	hm[2] = ':';
	hm[3] = (char)('0' + mm / 10);
	hm[4] = (char)('0' + mm % 10);
	hm[5] = '\0';
	return 0;
}

/* A date and, after a space or a T, a time HH:MM; stored with a space. */
static int check_datetime(struct value_check *c)
{
	const struct form_field *f = c->f;
	const char *v = c->v;
	char date[11], hm[6], part[64];
	const char *t = time_start(v);
	size_t n = t ? (size_t)(t - v) : strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == 'T'))
		n--;
	if (n == 0 || n >= sizeof(part) || (t != NULL && read_time(t, hm) != 0)) {
		if (t != NULL && n > 0 && n < sizeof(part) &&
		    strspn(t, "0123456789:") == strlen(t))
			return xb_fail_field(c->err, XB_EINVAL, f->key,
					     _("%s: %s is not a time of day "
					       "(00:00 to 23:59)."),
					     form_label(f), t);
		return xb_fail_field(c->err, XB_EINVAL, f->key,
				     _("%s: write YYYY-MM-DD or "
				       "YYYY-MM-DD HH:MM, e.g. "
				       "2026-03-08 14:30."),
				     form_label(f));
	}
	memcpy(part, v, n);
	part[n] = '\0';
	int rc = check_date_part(f, part, c->today, 1, date, c->err);
	if (rc != XB_OK)
		return rc;
	if (t != NULL)
		snprintf(c->out, c->outlen, "%s %s", date, hm);
	else
		copy_str(c->out, c->outlen, date);
	return XB_OK;
}

static int check_idnum(struct value_check *c)
{
	struct xb_error inner;
	char id[19];
	if (form_idnum_check(c->v, c->today, id, &inner) != XB_OK)
		return xb_fail_field(c->err, XB_EINVAL, c->f->key, _("%s: %s"),
				     form_label(c->f), inner.msg);
	copy_str(c->out, c->outlen, id);
	return XB_OK;
}

static int check_phone(struct value_check *c)
{
	if (phone_normalise(c->v, c->out, c->outlen) != 0)
		return xb_fail_field(c->err, XB_EINVAL, c->f->key,
				     _("%s: write a mobile number (11 "
				       "digits, e.g. 13812345678) or a "
				       "landline with its area code "
				       "(e.g. 0432-62345678)."),
				     form_label(c->f));
	return XB_OK;
}

/* A code, a label in either language, or a code in other case. */
static int check_choice(struct value_check *c)
{
	const struct form_field *f = c->f;
	const char *code = form_choice_code(f, c->v);
	for (const struct form_choice *ch = f->choices;
	     code == NULL && ch && ch->code; ch++)
		if (strcasecmp(ch->code, c->v) == 0)
			code = ch->code;
	if (code == NULL) {
		char list[400];
		choice_list(f, list, sizeof(list));
		return xb_fail_field(c->err, XB_EINVAL, f->key,
				     _("%s: choose one of %s."),
				     form_label(f), list);
	}
	copy_str(c->out, c->outlen, code);
	return XB_OK;
}

/* A whole number, signed, within the field's range; stored without a
 * plus sign or leading zeros. */
static int check_int(struct value_check *c)
{
	long long lo, hi, acc = 0;
	const char *p = c->v;
	int neg = 0;
	int_range(c->f, &lo, &hi);
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	int ok = *p != '\0';
	for (; ok && *p; p++) {
		if (*p < '0' || *p > '9' || acc > 100000000000LL)
			ok = 0;
		else
			acc = acc * 10 + (*p - '0');
	}
	if (neg)
		acc = -acc;
	if (!ok || acc < lo || acc > hi)
		return xb_fail_field(c->err, XB_EINVAL, c->f->key,
				     _("%s: write a whole number from "
				       "%lld to %lld."),
				     form_label(c->f), lo, hi);
	snprintf(c->out, c->outlen, "%lld", acc);
	return XB_OK;
}

static int check_bool(struct value_check *c)
{
	static const char *const yes[] = { "yes", "true", "1", "是" };
	static const char *const no[] = { "no", "false", "0", "否" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(c->v, yes[i]) == 0) {
			copy_str(c->out, c->outlen, "yes");
			return XB_OK;
		}
		if (strcasecmp(c->v, no[i]) == 0) {
			copy_str(c->out, c->outlen, "no");
			return XB_OK;
		}
	}
	return xb_fail_field(c->err, XB_EINVAL, c->f->key,
			     _("%s: answer yes or no."), form_label(c->f));
}

static int check_division(struct value_check *c)
{
	const struct form_field *f = c->f;
	const char *v = c->v;
	if (strlen(v) != 12 || !form_digits(v, 12))
		return xb_fail_field(c->err, XB_EINVAL, f->key,
				     _("%s: write the 12-digit division "
				       "code, e.g. 220221100201."),
				     form_label(f));
	if (!form_province_code_valid(v))
		return xb_fail_field(c->err, XB_EINVAL, f->key,
				     _("%s: %s does not exist: there is "
				       "no province %.2s."),
				     form_label(f), v, v);
	copy_str(c->out, c->outlen, v);
	return XB_OK;
}

/* A case number is checked as one (its check character upper-case);
 * other references are one line of text. */
static int check_ref(struct value_check *c)
{
	struct xb_error inner;
	if (strcmp(c->f->key, FK_case_no) != 0 &&
	    strcmp(c->f->key, FK_previous_case) != 0)
		return check_text(c);
	if (form_case_check(c->v, &inner) != XB_OK)
		return xb_fail_field(c->err, XB_EINVAL, c->f->key,
				     _("%s: %s"), form_label(c->f),
				     inner.msg);
	copy_str(c->out, c->outlen, c->v);
	if (c->out[16] == 'x')
		c->out[16] = 'X';
	return XB_OK;
}

/* The checker of each field type: a new type is a new row. */
static int (*const type_checks[])(struct value_check *c) = {
	[FORM_TEXT] = check_text,
	[FORM_NOTE] = check_note,
	[FORM_DATE] = check_date,
	[FORM_DATETIME] = check_datetime,
	[FORM_IDNUM] = check_idnum,
	[FORM_PHONE] = check_phone,
	[FORM_CHOICE] = check_choice,
	[FORM_INT] = check_int,
	[FORM_BOOL] = check_bool,
	[FORM_DIVISION] = check_division,
	[FORM_REF] = check_ref,
};

/* Checks and normalises v (already trimmed, not empty) by the field's
 * type into buf, or sets *copy to use v as it is. */
static int check_typed(const struct form_field *f, const char *v,
		       const char *today, char *buf, size_t len, int *copy,
		       struct xb_error *err)
{
	struct value_check c = { f, v, today, buf, len, 0, err };
	size_t t = (size_t)f->type;
	*copy = 0;
	if (t >= sizeof(type_checks) / sizeof(type_checks[0]) ||
	    type_checks[t] == NULL)
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: this kind of field cannot be "
				       "checked."),
				     form_label(f));
	int rc = type_checks[t](&c);
	*copy = c.as_is;
	return rc;
}

/* Whether spaces inside a value of type t are only a way of grouping
 * its digits ("2202 2119 ..."), dropped before it is read. */
static int spaces_group_digits(enum form_type t)
{
	return t == FORM_IDNUM || t == FORM_PHONE || t == FORM_DIVISION ||
	       t == FORM_INT;
}

/* The value as it is read: full-width forms folded (not in free text,
 * where they are the writing's own punctuation) and, where spaces only
 * group digits, spaces dropped. *copy is a malloc'd copy when that
 * changed anything, else NULL and value is read as it is. */
static int fold_value(const struct form_field *f, const char *value,
		      char **copy, struct xb_error *err)
{
	*copy = NULL;
	if (f->type != FORM_NOTE && form_fold_needed(value) &&
	    (*copy = form_fold_width(value)) == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	const char *s = *copy ? *copy : value;
	if (!spaces_group_digits(f->type) || strchr(s, ' ') == NULL)
		return XB_OK;
	char *t = malloc(strlen(s) + 1), *o = t;
	if (t == NULL) {
		free(*copy);
		*copy = NULL;
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
	free(*copy);
	*copy = t;
	return XB_OK;
}

/* Checks a value and finds its normal form: *changed is NULL when value
 * is in it already, else the normal form (malloc'd; "" when value is
 * blank). Most stored values are normal: they cost no copy. */
static int normalize(const struct form_field *f, const char *value,
		     const char *today, char **changed, struct xb_error *err)
{
	char buf[64];
	int copy = 0, rc;
	char *folded;
	const char *s = value ? value : "";
	size_t n;

	*changed = NULL;
	if ((rc = fold_value(f, s, &folded, err)) != XB_OK)
		return rc;
	const char *whole = folded ? folded : s;
	s = whole;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	char *v = NULL; /* the trimmed value, when folding or trimming
			   changed it */
	if (folded != NULL || s != whole || s[n] != '\0') {
		v = strndup(s, n);
		free(folded);
		if (v == NULL)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	const char *t = v ? v : s;
	if (n > 0) {
		rc = check_typed(f, t, today, buf, sizeof(buf), &copy, err);
		if (rc != XB_OK) {
			free(v);
			return rc;
		}
		if (!copy && strcmp(buf, t) != 0) {
			free(v);
			if ((v = strdup(buf)) == NULL)
				return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
	}
	if (v != NULL && value != NULL && strcmp(v, value) == 0) {
		free(v); /* folding found nothing to change after all */
		v = NULL;
	}
	*changed = v;
	return XB_OK;
}

/* Folds full-width forms and trims spaces, tabs and line breaks. */
char *form_fold_text(const char *s)
{
	char *f = form_fold_width(s ? s : "");
	if (f == NULL)
		return NULL;
	static const char space[] = " \t\r\n";
	size_t lead = strspn(f, space), n = strlen(f);
	while (n > lead && strchr(space, f[n - 1]) != NULL)
		n--;
	memmove(f, f + lead, n - lead);
	f[n - lead] = '\0';
	return f;
}

/* form_check_value with a given today (YYYY-MM-DD). */
static int check_value_at(const struct form_field *f, const char *value,
			  const char *today, char **out, struct xb_error *err)
{
	int rc = normalize(f, value, today, out, err);
	if (rc == XB_OK && *out == NULL &&
	    (*out = strdup(value ? value : "")) == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return rc;
}

/* Checks one value and returns its normal form (malloc'd) in *out. */
int form_check_value(const struct form_field *f, const char *value,
		     char **out, struct xb_error *err)
{
	char today[11];
	if (f == NULL || out == NULL)
		return xb_fail(err, XB_EINVAL, _("There is no such field."));
	xb_today(today, sizeof(today));
	return check_value_at(f, value, today, out, err);
}

/* The value of key in rec, or "" when absent. */
static const char *get(const struct store_record *rec, const char *key)
{
	const char *v = store_record_get(rec, key);
	return v ? v : "";
}

/* Refuses a later value (lkey) earlier than an earlier one (ekey); date
 * and time values are compared by date alone when one has no time. */
static int check_order(const struct store_record *rec, const char *ekey,
		       const char *lkey, struct xb_error *err)
{
	const char *e = get(rec, ekey), *l = get(rec, lkey);
	if (*e == '\0' || *l == '\0')
		return XB_OK;
	int c = (strlen(e) == strlen(l)) ? strcmp(l, e) : strncmp(l, e, 10);
	if (c >= 0)
		return XB_OK;
	const struct form_field *fe = form_field_find(rec->kind, ekey);
	const struct form_field *fl = form_field_find(rec->kind, lkey);
	return xb_fail_field(err, XB_EINVAL, lkey,
			     _("%s (%s) cannot be earlier than %s (%s)."),
			     form_label(fl), l, form_label(fe), e);
}

/* Typed birth date and sex must agree with a (valid, normalised) ID. */
static int check_child_id(const struct store_record *rec,
			  struct xb_error *err)
{
	const char *id = get(rec, FK_id_number);
	if (*id == '\0')
		return XB_OK;
	char birth[11];
	form_idnum_birth(id, birth);
	const char *typed = get(rec, FK_birth_date);
	if (*typed != '\0' && strcmp(typed, birth) != 0) {
		const struct form_field *f =
			form_field_find(STORE_CHILD, FK_birth_date);
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the ID number says %s, not %s."),
				     form_label(f), birth, typed);
	}
	const char *sex = form_idnum_sex(id);
	typed = get(rec, FK_sex);
	if (sex != NULL && *typed != '\0' && strcmp(typed, sex) != 0) {
		const struct form_field *f = form_field_find(STORE_CHILD, FK_sex);
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the ID number says %s, not %s."),
				     form_label(f), form_choice_label(f, sex),
				     form_choice_label(f, typed));
	}
	return XB_OK;
}

/* The rules across a child's fields that need the derived fields. */
static int check_child_rules(const struct store_record *rec,
			     struct xb_error *err)
{
	const struct form_field *f;
	int rc;

	if ((rc = check_order(rec, FK_birth_date, FK_exit_date, err)) != XB_OK ||
	    (rc = check_order(rec, FK_birth_date, FK_readmit_date, err)) != XB_OK ||
	    (rc = check_order(rec, FK_readmit_date, FK_exit_date, err)) != XB_OK)
		return rc;

	if (strcmp(get(rec, FK_status), "exited") == 0) {
		static const char *const need[] = { FK_exit_reason, FK_exit_date };
		for (size_t i = 0; i < 2; i++) {
			if (*get(rec, need[i]) != '\0')
				continue;
			f = form_field_find(STORE_CHILD, need[i]);
			return xb_fail_field(err, XB_EINVAL, f->key,
					     _("%s is required for a child who "
					       "has left the ledger."),
					     form_label(f));
		}
	} else {
		static const char *const only[] = { FK_exit_reason, FK_exit_date,
						    FK_transferred_to };
		for (size_t i = 0; i < 3; i++) {
			if (*get(rec, only[i]) == '\0')
				continue;
			f = form_field_find(STORE_CHILD, only[i]);
			return xb_fail_field(err, XB_EINVAL, f->key,
					     _("%s: only for a child who has "
					       "left the ledger."),
					     form_label(f));
		}
	}

	/* A key case says why it is one; a reason alone makes none. */
	int key = strcmp(get(rec, FK_key_case), "yes") == 0;
	int why = *get(rec, FK_key_case_reason) != '\0';
	if (key != why) {
		f = form_field_find(STORE_CHILD, FK_key_case_reason);
		if (key)
			return xb_fail_field(err, XB_EINVAL, f->key,
					     _("%s is required for a key case."),
					     form_label(f));
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: only for a key case; set %s to yes, or "
				       "clear the reason."),
				     form_label(f),
				     form_label(form_field_find(STORE_CHILD,
								FK_key_case)));
	}

	const char *rel = get(rec, FK_guardian_relation);
	const char *gname = get(rec, FK_guardian_name);
	f = form_field_find(STORE_CHILD, FK_guardian_name);
	if (strcmp(rel, "none") == 0 && *gname != '\0')
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s: the guardian's relation is \"%s\" "
				       "(no one looks after the child), so "
				       "there is no guardian to name."),
				     form_label(f),
				     form_choice_label(form_field_find(
							       STORE_CHILD,
							       FK_guardian_relation),
						       "none"));
	if (*rel != '\0' && strcmp(rel, "none") != 0 && *gname == '\0')
		return xb_fail_field(err, XB_EINVAL, f->key,
				     _("%s is required when the child has a "
				       "guardian."),
				     form_label(f));
	return XB_OK;
}

/* Checks every value of rec and puts its normal form in its place; a
 * blank value is removed. A key the kind lacks is refused. */
static int normalize_fields(struct store_record *rec,
			    const struct form_field *fields, size_t n,
			    const char *today, struct xb_error *err)
{
	/* where each of the schema's fields is in rec (index + 1, 0 when
	 * absent): one lookup a key, and a key the kind lacks is refused */
	size_t in[FORM_KIND_FIELDS_MAX]; /* n is at most that (schema.c) */
	size_t unknown = form_field_positions(rec, in, n);
	if (unknown < rec->nfields)
		return xb_fail_field(err, XB_EINVAL, rec->fields[unknown].key,
				     _("Unknown field %s."), rec->fields[unknown].key);

	/* every value, in schema order */
	for (size_t i = 0; i < n; i++) {
		char *norm;
		int rc;
		if (in[i] == 0)
			continue;
		if ((rc = normalize(&fields[i], rec->fields[in[i] - 1].value, today,
				    &norm, err)) != XB_OK)
			return rc;
		if (norm == NULL)
			continue;
		/* the field's strings may share one block with the others:
		 * only store_record_set replaces them */
		int removed = *norm == '\0';
		rc = store_record_set(rec, fields[i].key, norm);
		free(norm);
		if (rc != XB_OK)
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		for (size_t j = 0; removed && j < n; j++)
			if (in[j] > in[i])
				in[j]--; /* the fields after it moved up */
	}
	return XB_OK;
}

/* Whether field key of rec may stay blank though required: the village
 * of a child transferred in from a village this township does not have
 * (both its code and name blank), until the clerk gives one. */
static int may_wait(const struct store_record *rec, const char *key)
{
	return rec->kind == STORE_CHILD && *get(rec, FK_previous_case) != '\0' &&
	       (strcmp(key, FK_village_code) == 0 || strcmp(key, FK_village) == 0) &&
	       *get(rec, FK_village_code) == '\0' && *get(rec, FK_village) == '\0';
}

/* Refuses the first required field of the schema that rec leaves blank. */
static int check_required(const struct store_record *rec,
			  const struct form_field *fields, size_t n,
			  struct xb_error *err)
{
	for (size_t i = 0; i < n; i++)
		if ((fields[i].flags & FORM_REQUIRED) &&
		    *get(rec, fields[i].key) == '\0' && !may_wait(rec, fields[i].key))
			return xb_fail_field(err, XB_EINVAL, fields[i].key,
					     _("%s is required."),
					     form_label(&fields[i]));
	return XB_OK;
}

/* The rules across the fields of each kind, on a completed record. */
/* A statistics table's figures as stats/ writes them: `name=N` words
 * (lower-case names, whole numbers of at most 12 digits) and
 * `late_days=N,N,...`; anything else, from a bundle, is refused before it
 * is stored, so no reader meets it later. */
static int check_table_figures(const struct store_record *rec,
			       struct xb_error *err)
{
	const char *s = store_record_get(rec, FK_figures);
	const struct form_field *f = form_field_find(STORE_TABLE, FK_figures);
	while (s != NULL && *s) {
		size_t name = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
		int late = name == 9 && strncmp(s, "late_days", 9) == 0;
		if (name == 0 || s[name] != '=')
			break;
		s += name + 1;
		for (;;) {
			size_t d = strspn(s, "0123456789");
			if ((d == 0 && !(late && *s != ',')) || d > 12)
				goto bad;
			s += d;
			if (!late || *s != ',')
				break;
			s++;
		}
		if (*s == ' ')
			s++;
		else if (*s != '\0')
			break;
	}
	if (s == NULL || *s == '\0')
		return XB_OK;
bad:
	return xb_fail_field(err, XB_EINVAL, FK_figures,
			     _("%s: not the figures of a statistics table."),
			     form_label(f));
}

/* An entry of assistance ends no earlier than it starts, and an amount
 * says whether it is paid every month or once. */
static int check_aid_rules(const struct store_record *rec, struct xb_error *err)
{
	int rc = check_order(rec, FK_start_date, FK_end_date, err);
	if (rc != XB_OK)
		return rc;
	if (*get(rec, FK_amount) != '\0' && *get(rec, FK_per) == '\0') {
		const struct form_field *f = form_field_find(STORE_AID, FK_per);
		return xb_fail_field(err, XB_EINVAL, FK_per,
				     _("%s is required with an amount: every month "
				       "or once."),
				     form_label(f));
	}
	return XB_OK;
}

/* Refuses the first of n keys of rec that is blank (need) or set (!need),
 * saying why. */
static int fields_as(const struct store_record *rec, const char *const *keys,
		     size_t n, int need, struct xb_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if ((*get(rec, keys[i]) != '\0') == need)
			continue;
		const struct form_field *f = form_field_find(rec->kind, keys[i]);
		const char *what = form_choice_label(form_field_find(rec->kind, FK_action),
						     get(rec, FK_action));
		return need ? xb_fail_field(err, XB_EINVAL, keys[i],
					    _("%s is required for a request to %s."),
					    form_label(f), what)
			    : xb_fail_field(err, XB_EINVAL, keys[i],
					    _("%s has no place in a request to %s."),
					    form_label(f), what);
	}
	return XB_OK;
}

/* A request (审核): the fields its action takes and no others, a target
 * of the right kind (a case number for an exit, a report id for a step),
 * and a decision's who and when once it is decided. */
static int check_request_rules(const struct store_record *rec,
			       struct xb_error *err)
{
	static const char *const exit_keys[] = { FK_exit_reason, FK_exit_date };
	static const char *const step_keys[] = { FK_step, FK_date, FK_by, FK_note };
	static const char *const decided[] = { FK_decided_by, FK_decided_at };
	static const char *const transfer_keys[] = { FK_to, FK_to_name, FK_reason };
	const char *action = get(rec, FK_action), *target = get(rec, FK_target);
	int transfer = strcmp(action, "transfer") == 0;
	int exit = strcmp(action, "exit") == 0 || transfer;
	const char *report = strchr(target, '/');
	int rc;
	if (exit ? report != NULL : (report == NULL || report[1] != 'R'))
		return xb_fail_field(err, XB_EINVAL, FK_target,
				     exit ? _("A request to leave the ledger is about a "
					      "child: its case number, not %s.")
					  : _("A request about a report step names the "
					      "report, not %s."),
				     target);
	if (transfer)
		rc = fields_as(rec, (const char *const[]){ FK_to, FK_exit_date }, 2, 1, err);
	else if ((rc = fields_as(rec, transfer_keys, 3, 0, err)) != XB_OK)
		;
	else if (exit)
		rc = fields_as(rec, exit_keys, 2, 1, err);
	else if ((rc = fields_as(rec, exit_keys, 2, 0, err)) == XB_OK)
		rc = fields_as(rec, step_keys + 1, 2, 1, err);
	if (rc == XB_OK && transfer)
		rc = fields_as(rec, exit_keys, 1, 0, err);
	if (rc == XB_OK && exit)
		rc = fields_as(rec, step_keys, 4, 0, err);
	if (rc != XB_OK)
		return rc;
	const char *step = get(rec, FK_step);
	int closing = strcmp(action, "close_report") == 0;
	if (!exit && (closing ? strcmp(step, "closed") != 0
			      : *step == '\0' || strcmp(step, "closed") == 0 ||
					strcmp(step, "found") == 0))
		return xb_fail_field(err, XB_EINVAL, FK_step,
				     _("%s: %s does not go with the request's %s."),
				     form_label(form_field_find(STORE_REQUEST, FK_step)),
				     *step ? form_choice_label(form_field_find(STORE_REQUEST, FK_step), step)
					   : _("(empty)"),
				     form_choice_label(form_field_find(STORE_REQUEST, FK_action),
						       action));
	int waiting = strcmp(get(rec, FK_status), "waiting") == 0;
	if ((rc = fields_as(rec, decided, 2, !waiting, err)) != XB_OK)
		return rc;
	if (strcmp(get(rec, FK_status), "sent_back") == 0 &&
	    (rc = fields_as(rec, (const char *const[]){ FK_comment }, 1, 1, err)) != XB_OK)
		return rc;
	return check_order(rec, FK_asked_at, FK_decided_at, err);
}

/* A transfer goes from one township to another of the same county. */
static int check_transfer(const struct store_record *rec, struct xb_error *err)
{
	const char *from = get(rec, FK_from), *to = get(rec, FK_to);
	const char *keys[2] = { FK_from, FK_to }, *codes[2] = { from, to };
	for (size_t i = 0; i < 2; i++)
		if (strlen(codes[i]) != 9 || !form_digits(codes[i], 9) ||
		    !form_province_code_valid(codes[i]) ||
		    strcmp(codes[i] + 6, "000") == 0)
			return xb_fail_field(err, XB_EINVAL, keys[i],
					     _("%s: %s is not a township's 9-digit "
					       "code."),
					     form_label(form_field_find(STORE_TRANSFER,
									keys[i])),
					     codes[i]);
	if (strncmp(from, to, 6) != 0 || strcmp(from, to) == 0)
		return xb_fail_field(err, XB_EINVAL, FK_to,
				     _("A child's file goes to another township "
				       "of the same county: %s cannot take it from "
				       "%s."),
				     to, from);
	if (strncmp(get(rec, FK_case_no), from, 9) != 0)
		return xb_fail_field(err, XB_EINVAL, FK_from,
				     _("Case %s is not township %s's."),
				     get(rec, FK_case_no), from);
	return XB_OK;
}

static int check_kind_rules(const struct store_record *rec,
			    struct xb_error *err)
{
	switch (rec->kind) {
	case STORE_CHILD:
		return check_child_rules(rec, err);
	case STORE_VISIT:
		return check_order(rec, FK_date, FK_next_due, err);
	case STORE_REPORT:
		return check_order(rec, FK_found_at, FK_reported_at, err);
	case STORE_TABLE:
		return check_table_figures(rec, err);
	case STORE_AID:
		return check_aid_rules(rec, err);
	case STORE_REQUEST:
		return check_request_rules(rec, err);
	case STORE_TRANSFER:
		return check_transfer(rec, err);
	default:
		return XB_OK;
	}
}

/* Checks, normalises and completes a whole record. */
int form_check_record(struct store_record *rec, const char *today,
		      struct xb_error *err)
{
	char now[11];
	size_t n;
	int rc;

	if (rec == NULL)
		return xb_fail(err, XB_EINVAL, _("There is no record."));
	if (today == NULL || form_parse_date(today, NULL, NULL, NULL) != 0) {
		xb_today(now, sizeof(now));
		today = now;
	}
	const struct form_field *fields = form_fields(rec->kind, &n);
	if (fields == NULL || n == 0)
		return xb_fail(err, XB_EINVAL, _("Unknown kind of record."));
	if ((rc = normalize_fields(rec, fields, n, today, err)) != XB_OK)
		return rc;
	/* what the ID number says, before the derivation fills it in */
	if (rec->kind == STORE_CHILD && (rc = check_child_id(rec, err)) != XB_OK)
		return rc;
	if (form_derive(rec) != XB_OK)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	if ((rc = check_required(rec, fields, n, err)) != XB_OK)
		return rc;
	return check_kind_rules(rec, err);
}
