/* errors.c - Berkeley DB's failures told in words a clerk can act on,
 * and who holds the ledger: the processes registered in the environment,
 * which recovery also asks about. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"

/* The DB_REGISTER file (Berkeley DB's own format): one slot a process,
 * "%24lu\n", each held by an fcntl lock on its first byte while that
 * process has the environment open. */
enum { REGISTRY_SLOT = 25 };

int store_dberr(struct store *st, struct xb_error *err, int ret,
		const char *what)
{
	if (ret == 0)
		return XB_OK;
	/* Berkeley DB's own message belongs to this failure only: taken
	 * once, so a later, different failure does not repeat it. */
	char detail[sizeof(st->lasterr)];
	snprintf(detail, sizeof(detail), "%s",
		 (st && st->lasterr[0]) ? st->lasterr : db_strerror(ret));
	if (st != NULL)
		st->lasterr[0] = '\0';
	switch (ret) {
	case DB_NOTFOUND:
		return xb_fail(err, XB_ENOTFOUND, _("%s: not found."), what);
	case DB_KEYEXIST:
		return xb_fail(err, XB_EEXIST, _("%s: already exists."), what);
	case DB_LOCK_NOTGRANTED:
		/* A lock wait ran out (DB_SET_LOCK_TIMEOUT). */
		if (st != NULL) {
			st->suspect = 1;
			st->gave_up = 1;
		}
		/* fall through */
	case DB_LOCK_DEADLOCK:
		/* A refused lock waited out up to the store's bound: tell who
		 * holds the ledger. */
		if (st != NULL && st->gave_up) {
			st->gave_up = 0;
			return store_holders_fail(st, err, XB_EDEADLOCK, what);
		}
		return xb_fail(err, XB_EDEADLOCK,
			       _("%s: busy with another user; try again."), what);
	case DB_RUNRECOVERY:
		if (st != NULL)
			st->panicked = 1;
		return xb_fail(err, XB_EFAIL,
			       _("%s: the ledger needs recovery after a crash; "
				 "close every xiangban window and start again."),
			       what);
	case ENOSPC:
		return xb_fail(err, XB_EFAIL,
			       _("%s: the disk is full; nothing was saved."), what);
	case EACCES:
	case EPERM:
		return xb_fail(err, XB_EFAIL,
			       _("%s: permission denied (%s)."), what, detail);
	case DB_VERSION_MISMATCH:
		return xb_fail(err, XB_EFAIL,
			       _("%s: the ledger was made by another Berkeley DB "
				 "version (%s)."), what, detail);
	default:
		return xb_fail(err, XB_EFAIL, _("%s: %s"), what, detail);
	}
}

/* An fd this process has open on the file sb describes (Berkeley DB's
 * own registry handle), or -1. */
static int fd_open_on(const struct stat *sb)
{
	DIR *d = opendir("/proc/self/fd");
	int found = -1;
	if (d == NULL)
		return -1;
	struct dirent *e;
	while (found < 0 && (e = readdir(d)) != NULL) {
		struct stat fsb;
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end == '\0' && fd != dirfd(d) && fstat((int)fd, &fsb) == 0 &&
		    fsb.st_dev == sb->st_dev && fsb.st_ino == sb->st_ino)
			found = (int)fd;
	}
	closedir(d);
	return found;
}

void store_registry_scan(const char *home, struct registry_scan *r)
{
	char path[4096], slot[REGISTRY_SLOT];
	struct stat sb;
	memset(r, 0, sizeof(*r));
	if (snprintf(path, sizeof(path), "%s/__db.register", home) >= (int)sizeof(path) ||
	    stat(path, &sb) != 0)
		return;
	/* fcntl locks belong to the process, and closing any fd of the file
	 * drops them all: while this process is registered, the registry is
	 * read through Berkeley DB's own fd, never one opened and closed
	 * here (that would make this process look dead to the others). */
	int fd = fd_open_on(&sb), own = fd < 0;
	if (own && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	long self = (long)getpid();
	for (off_t pos = 0;; pos += REGISTRY_SLOT) {
		ssize_t n = pread(fd, slot, sizeof(slot), pos);
		if (n < (ssize_t)sizeof(slot))
			break;
		if (slot[0] == 'X') /* an empty slot */
			continue;
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_start = pos, .l_len = 1 };
		if (fcntl(fd, F_GETLK, &fl) != 0)
			continue;
		long pid = strtol(slot, NULL, 10);
		if (fl.l_type != F_UNLCK) {
			if ((long)fl.l_pid == self)
				continue;
			if (r->alive < (int)(sizeof(r->pids) / sizeof(r->pids[0])))
				r->pids[r->alive] = (long)fl.l_pid;
			r->alive++;
		} else if (pid != self && pid > 0 && kill((pid_t)pid, 0) != 0 &&
			   errno == ESRCH) {
			/* Our own lock does not show to us; a slot being
			 * given up shows free for a moment: only a slot whose
			 * process is gone is a dead one. */
			r->dead++;
		}
	}
	if (own)
		close(fd);
}

/* Tells in err who holds the ledger when a wait ran out. */
int store_holders_fail(struct store *st, struct xb_error *err, int code,
		       const char *what)
{
	struct registry_scan r;
	char pids[128] = "";
	store_registry_scan(st->home, &r);
	int shown = r.alive < 4 ? r.alive : 4;
	for (int i = 0; i < shown; i++) {
		size_t used = strlen(pids);
		snprintf(pids + used, sizeof(pids) - used, "%s%ld", i ? ", " : "",
			 r.pids[i]);
	}
	if (r.alive == 0)
		return xb_fail(err, code,
			       _("%s: the ledger stayed busy for %d seconds; "
				 "try again."), what, WRITE_PATIENCE_MS / 1000);
	return xb_fail(err, code,
		       ngettext("%s: another xiangban process (pid %s) holds "
				"the ledger; try again, or end it.",
				"%s: other xiangban processes (pids %s) hold the "
				"ledger; try again, or end them.", (unsigned long)r.alive),
		       what, pids);
}
