/* payload.c - the text in a slip's QR code: "XB1:<case number>:<version>".
 *
 * It holds no name and no ID number: a lost slip leaks nothing. Every
 * character is in the QR alphanumeric set (0-9 A-Z space $ % * + - . / :),
 * which keeps the code small (version 2, 25 x 25 modules) and easy to scan
 * off a worn card. A scanner types it followed by Enter, so the parser
 * forgives surrounding blanks, a trailing CR/LF and a lower-case x. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "print.h"
#include "../common/i18n.h"
#include "../forms/forms.h"

#define SLIP_VERSION_MAX 99999u

int slip_payload_make(const char *case_no, unsigned version, char *buf,
		      size_t len, struct xb_error *err)
{
	char cn[18];
	int rc = form_case_check(case_no, err);

	if (rc != XB_OK)
		return rc;
	if (version < 1 || version > SLIP_VERSION_MAX)
		return xb_fail(err, XB_EINVAL,
			       _("A slip version runs from 1 to 99999."));
	memcpy(cn, case_no, 17);
	cn[17] = '\0';
	if (cn[16] == 'x')
		cn[16] = 'X';
	int n = snprintf(buf, len, SLIP_PREFIX ":%s:%u", cn, version);
	if (n < 0 || (size_t)n >= len)
		return xb_fail(err, XB_EINVAL,
			       _("The buffer for a slip's code is too small."));
	return XB_OK;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims the blanks around text: the start in *start, the length returned. */
static size_t trim_blanks(const char *text, const char **start)
{
	const char *s = text ? text : "";
	const char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	*start = s;
	return (size_t)(end - s);
}

/* Checks the prefix: XB1: (a scanner with Caps Lock on types xb1:). */
static int parse_prefix(const char *s, size_t n, struct xb_error *err)
{
	if (n < 2 || toupper((unsigned char)s[0]) != 'X' ||
	    toupper((unsigned char)s[1]) != 'B') {
		return xb_fail(err, XB_EINVAL,
			       _("This is not the code of a xiangban slip: it "
				 "does not begin with XB1:."));
	}
	size_t i = 2;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i == 2 || i >= n || s[i] != ':')
		return xb_fail(err, XB_EINVAL,
			       _("This is not the code of a xiangban slip: it "
				 "does not begin with XB1:."));
	if (i != 3 || s[2] != '1')
		return xb_fail(err, XB_EINVAL,
			       _("This slip's code is of another version "
				 "(%.*s:); this program reads only XB1: codes. "
				 "A newer xiangban may read it."),
			       (int)(i > 8 ? 8 : i), s);
	return XB_OK;
}

/* Reads the case number, up to the next colon (*colon, or NULL), into cn. */
static int parse_case_number(const char *s, size_t n, char cn[32],
			     const char **colon, struct xb_error *err)
{
	*colon = memchr(s, ':', n);
	size_t cn_len = *colon ? (size_t)(*colon - s) : n;
	if (cn_len > 31)
		cn_len = 31;
	memcpy(cn, s, cn_len);
	cn[cn_len] = '\0';
	int rc = form_case_check(cn, err);
	if (rc != XB_OK)
		return rc;
	if (cn[16] == 'x')
		cn[16] = 'X';
	return XB_OK;
}

/* Reads and checks the slip version, the text from v to vend. */
static int parse_version(const char *v, const char *vend, unsigned *version,
			 struct xb_error *err)
{
	if (v == vend)
		return xb_fail(err, XB_EINVAL,
			       _("The slip's code ends after the case number: "
				 "its version (\":1\", \":2\"...) is "
				 "missing."));
	if (!isdigit((unsigned char)*v))
		return xb_fail(err, XB_EINVAL,
			       _("The slip version after the case number must "
				 "be a number, e.g. 1."));
	unsigned long ver = 0;
	while (v < vend && isdigit((unsigned char)*v)) {
		if (ver <= SLIP_VERSION_MAX)
			ver = ver * 10 + (unsigned long)(*v - '0');
		v++;
	}
	if (v != vend)
		return xb_fail(err, XB_EINVAL,
			       _("The slip's code has unexpected text after its "
				 "version: scan the QR code again."));
	if (ver == 0)
		return xb_fail(err, XB_EINVAL,
			       _("A slip version starts at 1, not 0."));
	if (ver > SLIP_VERSION_MAX)
		return xb_fail(err, XB_EINVAL,
			       _("A slip version runs from 1 to 99999."));
	*version = (unsigned)ver;
	return XB_OK;
}

int slip_payload_parse(const char *text, char case_no[18], unsigned *version,
		       struct xb_error *err)
{
	const char *s;
	size_t n = trim_blanks(text, &s);
	const char *colon;
	char cn[32];
	unsigned ver = 0;
	int rc;

	if (n == 0)
		return xb_fail(err, XB_EINVAL,
			       _("The slip's code is empty: scan the QR code "
				 "again."));
	rc = parse_prefix(s, n, err);
	if (rc != XB_OK)
		return rc;
	s += 4;
	n -= 4;
	rc = parse_case_number(s, n, cn, &colon, err);
	if (rc != XB_OK)
		return rc;
	if (colon == NULL)
		return xb_fail(err, XB_EINVAL,
			       _("The slip's code ends after the case number: "
				 "its version (\":1\", \":2\"...) is "
				 "missing."));
	rc = parse_version(colon + 1, s + n, &ver, err);
	if (rc != XB_OK)
		return rc;
	memcpy(case_no, cn, 18);
	*version = ver;
	return XB_OK;
}

void slip_data_fill(const struct store_record *office,
		    const struct store_record *child, unsigned version,
		    const char *today, struct slip_data *s)
{
	memset(s, 0, sizeof(*s));
	s->office_name = office ? store_record_get(office, FK_name) : NULL;
	s->office_phone = office ? store_record_get(office, FK_phone) : NULL;
	s->case_no = child->id;
	s->name = store_record_get(child, FK_name);
	s->village = store_record_get(child, FK_village);
	s->member_name = store_record_get(child, FK_member_name);
	s->member_phone = store_record_get(child, FK_member_phone);
	s->next_visit_due = store_record_get(child, FK_next_visit_due);
	s->printed_on = today;
	s->version = version;
}
