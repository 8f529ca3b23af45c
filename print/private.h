/* private.h - what the files of print/ share; nothing outside print/
 * includes it. */
#ifndef XB_PRINT_PRIVATE_H
#define XB_PRINT_PRIVATE_H

#include <cairo.h>

#include "../common/safe_file.h"

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

/* A file print/ writes (a slip, a roster): a temporary file beside path,
 * mode 0600 whatever the umask (it names children), cairo's stream into
 * it, then renamed into place or removed (write_fail.c). */
struct print_out {
	struct xb_temp_file f;
	int write_errno; /* the first error of write(), for the message */
	const char *path;
};
/* Opens the temporary file; the failure told by slip_write_fail. */
int print_out_open(struct print_out *o, const char *path, struct xb_error *err);
/* cairo's write function; closure is the struct print_out. */
cairo_status_t print_out_write(void *closure, const unsigned char *data,
			       unsigned int len);
/* Into place; a failure to sync the folder after the rename keeps the
 * helper's message. */
int print_out_commit(struct print_out *o, struct xb_error *err);
void print_out_abort(struct print_out *o);

#endif
