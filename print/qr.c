/* qr.c - the module matrix of a slip's QR code, from libqrencode.
 *
 * The payload is appended to a QRinput explicitly in alphanumeric mode:
 * QRcode_encodeString() only takes QR_MODE_8 or QR_MODE_KANJI as its hint
 * and returns NULL with EINVAL for QR_MODE_AN (libqrencode 4.1.1). In
 * alphanumeric mode "XB1:220221100-00042-6:1" (23 characters) fits version
 * 2 at level M (up to 38), 25 x 25 modules. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "private.h"
#include "../common/i18n.h"

int slip_qr_make(const char *payload, struct slip_qr *qr, struct xb_error *err)
{
	size_t len = payload ? strlen(payload) : 0;
	QRinput *in;
	QRcode *code;

	qr->width = 0;
	qr->dark = NULL;
	if (len == 0 || len > 4296)
		return xb_fail(err, XB_EINVAL,
			       _("The text for a QR code is empty or too "
				 "long."));
	in = QRinput_new2(0, QR_ECLEVEL_M);
	if (in == NULL)
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while making a QR code."));
	if (QRinput_append(in, QR_MODE_AN, (int)len,
			   (const unsigned char *)payload) != 0) {
		int e = errno;
		QRinput_free(in);
		if (e == ENOMEM)
			return xb_fail(err, XB_EFAIL,
				       _("Out of memory while making a QR "
					 "code."));
		return xb_fail(err, XB_EINVAL,
			       _("A slip's code may hold only digits, capital "
				 "letters, space and $ %% * + - . / :."));
	}
	errno = 0;
	code = QRcode_encodeInput(in);
	int e = errno;
	QRinput_free(in);
	if (code == NULL) {
		if (e == ERANGE)
			return xb_fail(err, XB_EINVAL,
				       _("The text is too long for a QR "
					 "code."));
		return xb_fail(err, XB_EFAIL,
			       _("The QR code could not be made (%s)."),
			       strerror(e ? e : ENOMEM));
	}
	size_t w = (size_t)code->width;
	qr->dark = malloc(w * w);
	if (qr->dark == NULL) {
		QRcode_free(code);
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while making a QR code."));
	}
	for (size_t i = 0; i < w * w; i++)
		qr->dark[i] = code->data[i] & 1;
	qr->width = code->width;
	QRcode_free(code);
	return XB_OK;
}

void slip_qr_free(struct slip_qr *qr)
{
	if (qr == NULL)
		return;
	free(qr->dark);
	qr->dark = NULL;
	qr->width = 0;
}
