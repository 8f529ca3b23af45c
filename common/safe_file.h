/* safe_file.h - a file written whole or not at all: a temporary file in
 * the same folder, written, fsync'd, renamed over the file, and the
 * folder fsync'd so that the rename lasts a power cut. Until the rename
 * the old file (if any) is untouched; on a failure before it the
 * temporary file is removed.
 *
 * Either the whole buffer at once (xb_file_write_safe), or a stream: open
 * the temporary file, write to its fd, then commit or abort. A caller
 * with messages of its own words them from errnum. */
#ifndef XB_SAFE_FILE_H
#define XB_SAFE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "status.h"

struct xb_temp_file {
	int fd;      /* the temporary file, open to read and write; -1 when closed */
	int errnum;  /* errno of the last failure, 0 for none or out of memory */
	int renamed; /* the new file is in place (also when syncing its folder failed) */
	char *path;  /* the file to replace */
	char *tmp;   /* the temporary file; NULL once renamed or removed */
};

/* Makes the temporary file of path with mode (exactly: the umask does not
 * apply): "<path>.XXXXXX", or with tmp_prefix "<folder of path>/
 * <tmp_prefix>XXXXXX" (a name a caller can find and clear after a crash).
 * Messages name path; a full disk (ENOSPC, EDQUOT, EFBIG) says so. */
int xb_file_open_temp(struct xb_temp_file *f, const char *path,
		      const char *tmp_prefix, mode_t mode, struct xb_error *err);

/* fsync, close, rename over path, fsync of the folder. Whatever it
 * returns, f is closed and freed; before the rename a failure removes the
 * temporary file. A folder that cannot be opened or cannot be synced
 * (EINVAL) is passed over; an I/O error syncing it is reported, with
 * f->renamed 1: the new file is there but may not last a power cut. */
int xb_file_commit(struct xb_temp_file *f, struct xb_error *err);

/* Closes and removes the temporary file and frees f; nothing after
 * commit (or a second abort). */
void xb_file_abort(struct xb_temp_file *f);

/* len bytes of buf into path with mode, through the three above. On
 * failure the file is as it was and errno is the cause (0: out of
 * memory). */
int xb_file_write_safe(const char *path, const void *buf, size_t len,
		       mode_t mode, struct xb_error *err);

/* The sentence for a full disk, for errno ENOSPC, EDQUOT and EFBIG (a file
 * larger than the session may write); NULL for other values. */
const char *xb_disk_full_msg(int errnum);

#endif
