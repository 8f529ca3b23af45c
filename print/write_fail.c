/* write_fail.c - the files print/ writes, slips and rosters alike: the
 * temporary file cairo's stream goes into, renamed into place or removed,
 * and the sentence for one that could not be written, from the errno of
 * the failure (a full disk, a size limit, no permission, a missing
 * folder say so). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"

int slip_write_fail(struct xb_error *err, int e, const char *path)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return xb_fail(err, XB_EFAIL,
			       _("The disk is full: %s could not be written. "
				 "Free some space and try again."),
			       path);
	case EFBIG:
		return xb_fail(err, XB_EFAIL,
			       _("%s could not be written: it would be larger "
				 "than the file size this session may write "
				 "(see ulimit -f)."),
			       path);
	case EACCES:
	case EPERM:
	case EROFS:
		return xb_fail(err, XB_EFAIL,
			       _("%s could not be written: no permission to "
				 "write in its folder."),
			       path);
	case ENOENT:
	case ENOTDIR:
		return xb_fail(err, XB_EFAIL,
			       _("%s could not be written: its folder does not "
				 "exist."),
			       path);
	default:
		return xb_fail(err, XB_EFAIL, _("%s could not be written: %s."),
			       path, strerror(e ? e : EIO));
	}
}

int print_out_open(struct print_out *o, const char *path, struct xb_error *err)
{
	if (strlen(path) + strlen(".XXXXXX") >= PATH_MAX)
		return xb_fail(err, XB_EINVAL, _("The file name is too long: %s."),
			       path);
	o->write_errno = 0;
	o->path = path;
	o->f.fd = -1;
	int rc = xb_file_open_temp(&o->f, path, NULL, 0600, err);
	if (rc != XB_OK && o->f.errnum != 0)
		return slip_write_fail(err, o->f.errnum, path);
	return rc;
}

cairo_status_t print_out_write(void *closure, const unsigned char *data,
			       unsigned int len)
{
	struct print_out *o = closure;
	while (len > 0) {
		ssize_t w = write(o->f.fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (o->write_errno == 0)
				o->write_errno = errno;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += w;
		len -= (unsigned int)w;
	}
	return CAIRO_STATUS_SUCCESS;
}

int print_out_commit(struct print_out *o, struct xb_error *err)
{
	int rc = xb_file_commit(&o->f, err);
	if (rc != XB_OK && o->f.errnum != 0 && !o->f.renamed)
		return slip_write_fail(err, o->f.errnum, o->path);
	return rc;
}

void print_out_abort(struct print_out *o)
{
	xb_file_abort(&o->f);
}
