/* safe_file.c - a file written whole or not at all (safe_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "safe_file.h"

const char *xb_disk_full_msg(int errnum)
{
	if (errnum == ENOSPC || errnum == EDQUOT || errnum == EFBIG)
		return _("The disk is full: free some space (or use another "
			 "disk) and try again.");
	return NULL;
}

/* Keeps e as the cause and says it, naming the file to replace. */
static int write_fail(struct xb_temp_file *f, int e, struct xb_error *err)
{
	f->errnum = e;
	if (xb_disk_full_msg(e))
		return xb_fail(err, XB_EFAIL, _("Could not write %s: %s"), f->path,
			       xb_disk_full_msg(e));
	return xb_fail(err, XB_EFAIL, _("Could not write %s: %s."), f->path,
		       strerror(e));
}

/* The folder of path, malloc'd: "." when it names none. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return strdup(".");
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	char *dir = malloc(n + 1);
	if (dir != NULL) {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	return dir;
}

/* The template of the temporary file, malloc'd. */
static char *temp_template(const char *path, const char *tmp_prefix)
{
	char *t = NULL;
	if (tmp_prefix == NULL) {
		if (asprintf(&t, "%s.XXXXXX", path) < 0)
			t = NULL;
		return t;
	}
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) + 1 : 0; /* with its '/' */
	if (asprintf(&t, "%.*s%sXXXXXX", dir_len, path, tmp_prefix) < 0)
		t = NULL;
	return t;
}

int xb_file_open_temp(struct xb_temp_file *f, const char *path,
		      const char *tmp_prefix, mode_t mode, struct xb_error *err)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->path = strdup(path);
	f->tmp = f->path ? temp_template(path, tmp_prefix) : NULL;
	if (f->tmp == NULL) {
		xb_file_abort(f);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	int e = errno;
	if (f->fd < 0) {
		free(f->tmp);
		f->tmp = NULL; /* nothing was made */
	} else if (mode != 0600 && fchmod(f->fd, mode) != 0) {
		/* mkostemp made it 0600; another mode is set only when asked
		 * for, as a FAT stick may refuse it */
		e = errno;
	} else {
		return XB_OK;
	}
	int ret = write_fail(f, e, err);
	xb_file_abort(f);
	return ret;
}

/* The rename lasts only once the folder is on disk. */
static int sync_folder(struct xb_temp_file *f, struct xb_error *err)
{
	char *dir = folder_of(f->path);
	if (dir == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	int ret = XB_OK;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) != 0 && errno != EINVAL) {
			f->errnum = errno;
			ret = xb_fail(err, XB_EFAIL, _("Could not save %s to disk: %s."),
				      f->path, strerror(errno));
		}
		close(dfd);
	}
	free(dir);
	return ret;
}

int xb_file_commit(struct xb_temp_file *f, struct xb_error *err)
{
	int ret = XB_OK;
	if (fsync(f->fd) != 0) {
		ret = write_fail(f, errno, err);
	} else {
		int fd = f->fd;
		f->fd = -1;
		if (close(fd) != 0 || rename(f->tmp, f->path) != 0) {
			ret = write_fail(f, errno, err);
		} else {
			f->renamed = 1;
			free(f->tmp);
			f->tmp = NULL;
			ret = sync_folder(f, err);
		}
	}
	xb_file_abort(f);
	return ret;
}

void xb_file_abort(struct xb_temp_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp != NULL)
		unlink(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	free(f->path);
	f->path = NULL;
}

int xb_file_write_safe(const char *path, const void *buf, size_t len,
		       mode_t mode, struct xb_error *err)
{
	struct xb_temp_file f;
	int ret = xb_file_open_temp(&f, path, NULL, mode, err);
	if (ret != XB_OK)
		return ret;
	for (size_t done = 0; done < len;) {
		ssize_t w = write(f.fd, (const char *)buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			ret = write_fail(&f, errno, err);
			xb_file_abort(&f);
			return ret;
		}
		done += (size_t)w;
	}
	return xb_file_commit(&f, err);
}
