/* private.h - what the files of print/ share; nothing outside print/
 * includes it. */
#ifndef XB_PRINT_PRIVATE_H
#define XB_PRINT_PRIVATE_H

#include "../common/status.h"

/* Modules of blank margin a scanner needs around the code. */
#define SLIP_QR_QUIET 4

/* A QR code as a square of modules, without its quiet zone. */
struct slip_qr {
	int width;           /* modules a side */
	unsigned char *dark; /* width * width bytes, row by row: 1 = dark */
};

/* Encodes a payload (QR alphanumeric characters only) at error correction
 * level M in the smallest version that holds it. XB_EINVAL when a
 * character is outside the alphanumeric set or the text is too long for a
 * QR code; XB_EFAIL when memory runs out. */
int slip_qr_make(const char *payload, struct slip_qr *qr, struct xb_error *err);
void slip_qr_free(struct slip_qr *qr);

/* Fills err with why path could not be written, for errno e (0: an
 * unknown cause); returns XB_EFAIL. */
int slip_write_fail(struct xb_error *err, int e, const char *path);

#endif
