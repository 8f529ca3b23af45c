/* idnum.c - resident ID numbers (GB 11643-1999) and the birth date and
 * sex they hold, the ISO 7064 MOD 11-2 check character they use, and the
 * ledger's case numbers built on it. */
#include <stdio.h>
#include <string.h>

#include "forms.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

/* The number of UTF-8 characters in the n bytes at s (lead bytes). */
static size_t count_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* The ISO 7064 MOD 11-2 check character of n digits; '\0' when one of
 * them is not a digit. The digit at position i (0-based from the left)
 * weighs 2^(n-i) mod 11, so the last one weighs 2. */
char form_mod11_2(const char *digits, size_t n)
{
	unsigned sum = 0, w = 2;
	if (digits == NULL)
		return '\0';
	for (size_t i = n; i-- > 0;) {
		if (digits[i] < '0' || digits[i] > '9')
			return '\0';
		sum = (sum + (unsigned)(digits[i] - '0') * w) % 11;
		w = w * 2 % 11;
	}
	unsigned c = (12 - sum) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

/* 1 when the two digits at p are a province-level code of the PRC
 * (GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82). */
int form_province_code_valid(const char *p)
{
	if (p == NULL || !form_digits(p, 1) || !form_digits(p + 1, 1))
		return 0;
	int c = (p[0] - '0') * 10 + (p[1] - '0');
	return (c >= 11 && c <= 15) || (c >= 21 && c <= 23) ||
	       (c >= 31 && c <= 37) || (c >= 41 && c <= 46) ||
	       (c >= 50 && c <= 54) || (c >= 61 && c <= 65) || c == 71 ||
	       c == 81 || c == 82;
}

/* The birth date of a valid ID number, YYYY-MM-DD ("" if it has none). */
void form_idnum_birth(const char *idnum, char out[11])
{
	out[0] = '\0';
	if (idnum == NULL || strlen(idnum) < 14)
		return;
	for (size_t i = 6; i < 14; i++)
		if (idnum[i] < '0' || idnum[i] > '9')
			return;
	memcpy(out, idnum + 6, 4);
	out[4] = '-';
	memcpy(out + 5, idnum + 10, 2);
	out[7] = '-';
	memcpy(out + 8, idnum + 12, 2);
	out[10] = '\0';
}

/* "M" when the 17th character (the order code's last digit) is odd, "F"
 * when even; NULL for a malformed number. */
const char *form_idnum_sex(const char *idnum)
{
	if (idnum == NULL || strlen(idnum) < 17 || idnum[16] < '0' ||
	    idnum[16] > '9')
		return NULL;
	return (idnum[16] - '0') % 2 ? "M" : "F";
}

/* The form of the len bytes of an ID number at s: 18 characters, 17
 * digits and a digit or X (either case), a province that exists. */
static int idnum_form_check(const char *s, size_t len, struct xb_error *err)
{
	if (len == 0)
		return xb_fail(err, XB_EINVAL, _("The ID number is empty."));
	if (len == 15 && form_digits(s, 15))
		return xb_fail(err, XB_EINVAL,
			       _("This is an old 15-digit ID number; write the "
				 "18-character number of the current ID card or "
				 "household register."));
	size_t nchars = count_chars(s, len);
	if (nchars != 18)
		return xb_fail(err, XB_EINVAL,
			       _("An ID number has 18 characters; this one has "
				 "%zu."),
			       nchars);
	if (len != 18)
		return xb_fail(err, XB_EINVAL,
			       _("An ID number holds only digits, with a digit "
				 "or X at the end."));
	for (size_t i = 0; i < 17; i++)
		if (!form_digits(s + i, 1))
			return xb_fail(err, XB_EINVAL,
				       _("Character %zu of the ID number is not "
					 "a digit: the first 17 must be digits."),
				       i + 1);
	if (s[17] != 'X' && s[17] != 'x' && !form_digits(s + 17, 1))
		return xb_fail(err, XB_EINVAL,
			       _("The last character of the ID number must be a "
				 "digit or X."));
	if (!form_province_code_valid(s))
		return xb_fail(err, XB_EINVAL,
			       _("The ID number's region code %.6s does not "
				 "exist: there is no province %.2s."),
			       s, s);
	return XB_OK;
}

/* The birth date an ID number of the right form holds: in the calendar,
 * from 1900 on, not after today. */
static int idnum_birth_check(const char *s, const char *today,
			     struct xb_error *err)
{
	char birth[11];
	form_idnum_birth(s, birth);
	if (form_parse_date(birth, NULL, NULL, NULL) != 0)
		return xb_fail(err, XB_EINVAL,
			       _("The ID number's birth date %s is not a date in "
				 "the calendar."),
			       birth);
	if (strcmp(birth, "1900-01-01") < 0)
		return xb_fail(err, XB_EINVAL,
			       _("The ID number's birth date %s is before 1900."),
			       birth);
	if (strcmp(birth, today) > 0)
		return xb_fail(err, XB_EINVAL,
			       _("The ID number's birth date %s is after today "
				 "(%s)."),
			       birth, today);
	return XB_OK;
}

/* Checks an 18-character ID number and writes its normal form to out. */
int form_idnum_check(const char *in, const char *today, char out[19],
		     struct xb_error *err)
{
	char now[11];
	const char *s = in ? in : "";
	size_t len;
	int rc;

	out[0] = '\0';
	if (today == NULL || form_parse_date(today, NULL, NULL, NULL) != 0) {
		xb_today(now, sizeof(now));
		today = now;
	}
	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if ((rc = idnum_form_check(s, len, err)) != XB_OK ||
	    (rc = idnum_birth_check(s, today, err)) != XB_OK)
		return rc;
	char last = s[17] == 'x' ? 'X' : s[17];
	char want = form_mod11_2(s, 17);
	if (last != want)
		return xb_fail(err, XB_EINVAL,
			       _("The ID number's check character is wrong: "
				 "expected %c, got %c."),
			       want, last);
	memcpy(out, s, 17);
	out[17] = last;
	out[18] = '\0';
	return XB_OK;
}

/* Makes the case number TTTTTTTTT-SSSSS-C of a township's serial. */
int form_case_number(const char *township, uint64_t serial, char *out,
		     size_t len)
{
	char digits[15];

	if (out == NULL || len < 18)
		return XB_EINVAL;
	out[0] = '\0';
	if (township == NULL || strlen(township) != 9 ||
	    !form_digits(township, 9) || serial < 1 || serial > 99999)
		return XB_EINVAL;
	snprintf(digits, sizeof(digits), "%s%05u", township, (unsigned)serial);
	snprintf(out, len, "%.9s-%.5s-%c", digits, digits + 9,
		 form_mod11_2(digits, 14));
	return XB_OK;
}

/* Checks the form and the check character of a case number (a lower-case
 * x is taken as X). */
int form_case_check(const char *case_no, struct xb_error *err)
{
	const char *s = case_no ? case_no : "";
	char digits[15];

	if (*s == '\0')
		return xb_fail(err, XB_EINVAL, _("The case number is empty."));
	if (strlen(s) != 17 || s[9] != '-' || s[15] != '-' ||
	    !form_digits(s, 9) || !form_digits(s + 10, 5) ||
	    !(form_digits(s + 16, 1) || s[16] == 'X' || s[16] == 'x'))
		return xb_fail(err, XB_EINVAL,
			       _("A case number is written as 9 digits, a dash, "
				 "5 digits, a dash and a check character, e.g. "
				 "220221100-00042-6."));
	if (memcmp(s + 10, "00000", 5) == 0)
		return xb_fail(err, XB_EINVAL,
			       _("A case number's serial starts at 00001, not "
				 "00000."));
	memcpy(digits, s, 9);
	memcpy(digits + 9, s + 10, 5);
	char last = s[16] == 'x' ? 'X' : s[16];
	if (form_mod11_2(digits, 14) != last)
		return xb_fail(err, XB_EINVAL,
			       _("The case number %.17s does not add up: its "
				 "check character does not match, so a "
				 "character is mistyped."),
			       s);
	return XB_OK;
}

/* The serial after a record's letter in its id ("V0001", "R01", "S01"):
 * at least width digits, not all zeros; the length taken, 0 when not. */
static size_t serial_len(const char *s, char letter, size_t width)
{
	if (s[0] != letter)
		return 0;
	size_t n = strspn(s + 1, "0123456789");
	if (n < width || strspn(s + 1, "0") == n)
		return 0;
	return n + 1;
}

/* 17 (the case number's length) when the n bytes of id are a case
 * number, '/', letter and its serial; else 0. */
static size_t under_case(const char *id, size_t n, char letter, size_t width)
{
	return n > 18 && id[17] == '/' && serial_len(id + 18, letter, width) == n - 18 ? 17
										       : 0;
}

/* Whether the field key of rec, when present, names want. */
static int ref_names(const struct store_record *rec, const char *key,
		     const char *want, size_t want_len)
{
	const char *v = store_record_get(rec, key);
	return v == NULL || (strlen(v) == want_len && memcmp(v, want, want_len) == 0);
}

int form_record_place(const struct store_record *rec, char owner[13],
		      char parent[64], struct xb_error *err)
{
	const char *id = rec && rec->id ? rec->id : "";
	size_t n = strlen(id), tail = 0, up = 0;
	owner[0] = parent[0] = '\0';
	switch (rec ? rec->kind : 0) {
	case STORE_OFFICE:
		/* an office is numbered by itself: a county or a township */
		if ((n != 6 && n != 9) || !form_digits(id, n) ||
		    !form_province_code_valid(id))
			break;
		memcpy(owner, id, n + 1);
		return XB_OK;
	case STORE_VILLAGE:
		/* a village of the register: its township's */
		if (n != 12 || !form_digits(id, n) || !form_province_code_valid(id))
			break;
		memcpy(owner, id, 9);
		owner[9] = '\0';
		return XB_OK;
	case STORE_TABLE: {
		/* a period's table: OFFICE/T2026-11, /T2026-Q4 or /T2026 */
		size_t o = strcspn(id, "/");
		const char *p = id + o;
		size_t pl = n > o + 2 ? n - o - 2 : 0;
		if ((o != 6 && o != 9) || !form_digits(id, o) ||
		    !form_province_code_valid(id) || p[0] != '/' || p[1] != 'T' ||
		    !(pl == 4 || pl == 7) || !form_digits(p + 2, 4) ||
		    (pl == 7 && !(p[6] == '-' && ((p[7] == 'Q' && p[8] >= '1' &&
						     p[8] <= '4') ||
						    (form_digits(p + 7, 2) &&
						     strncmp(p + 7, "01", 2) >= 0 &&
						     strncmp(p + 7, "12", 2) <= 0)))))
			break;
		memcpy(owner, id, o);
		owner[o] = '\0';
		return XB_OK;
	}
	case STORE_USER:
		/* users are the office's own and never travel */
		if (rec->origin == NULL || strlen(rec->origin) > 12)
			break;
		strcpy(owner, rec->origin);
		return XB_OK;
	case STORE_CHILD:
		if (n != 17)
			break;
		tail = 17;
		break;
	case STORE_VISIT:
		tail = under_case(id, n, 'V', 4);
		break;
	case STORE_REPORT:
		tail = under_case(id, n, 'R', 2);
		break;
	case STORE_AID:
		tail = under_case(id, n, 'H', 2);
		break;
	case STORE_REQUEST:
		tail = under_case(id, n, 'Q', 2);
		break;
	case STORE_TRANSFER:
		tail = under_case(id, n, 'M', 2);
		break;
	case STORE_STEP:
		if (n > 18 && id[17] == '/' && (up = serial_len(id + 18, 'R', 2)) > 0 &&
		    id[18 + up] == '/' && (tail = serial_len(id + 19 + up, 'S', 2)) > 0 &&
		    19 + up + tail == n)
			tail = 17;
		else
			tail = 0;
		break;
	}
	char case_no[18];
	if (tail == 17) {
		memcpy(case_no, id, 17);
		case_no[17] = '\0';
	}
	if (tail != 17 || form_case_check(case_no, NULL) != XB_OK)
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an id this ledger gives to a record "
				 "of its kind."),
			       id);
	memcpy(owner, id, 9);
	owner[9] = '\0';
	/* The reference fields say the same as the id. */
	if (rec->kind == STORE_STEP) {
		memcpy(parent, id, 18 + up);
		parent[18 + up] = '\0';
		if (!ref_names(rec, FK_report_id, parent, 18 + up))
			return xb_fail(err, XB_EINVAL,
				       _("%s is numbered under report %s but names "
					 "another report."),
				       id, parent);
	} else if (rec->kind == STORE_REQUEST) {
		/* a request is about its child or one of the child's reports */
		const char *target = store_record_get(rec, FK_target);
		memcpy(parent, case_no, 18);
		if (target != NULL && !(strncmp(target, case_no, 17) == 0 &&
					(target[17] == '\0' || target[17] == '/')))
			return xb_fail(err, XB_EINVAL,
				       _("%s is numbered under case %s but is about "
					 "%s."),
				       id, case_no, target);
	} else {
		if (rec->kind != STORE_CHILD)
			memcpy(parent, case_no, 18);
		if (!ref_names(rec, FK_case_no, case_no, 17))
			return xb_fail(err, XB_EINVAL,
				       _("%s is numbered under case %s but names "
					 "another case."),
				       id, case_no);
	}
	return XB_OK;
}
