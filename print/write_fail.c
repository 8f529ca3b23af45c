/* write_fail.c - the sentence for a file of print/ that could not be
 * written, from the errno of the failure: a full disk, a size limit, no
 * permission, a missing folder say so. Slips and rosters share it. */
#include <errno.h>
#include <string.h>

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
