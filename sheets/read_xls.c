/* read_xls.c - .xls (Excel 97-2003) through FreeXL, in a child process.
 *
 * FreeXL 1.0.6 (Debian 12's, and no newer one there) reads the whole
 * workbook in freexl_open, and on a damaged file it can free a bad
 * pointer or over-read the stack through iconv (fuzz/upstream/ once held
 * two such files): a crash that would take the whole program, and the
 * clerk's import, with it. So sheet_xls_open forks; the child opens the
 * workbook, selects the first worksheet and streams its rows through a
 * pipe; the parent reads one row at a time. A child killed by a signal,
 * exiting non-zero, or a stream cut short or garbled, is a damaged file:
 * a message, never a crash, never a half-read sheet passed off as whole.
 *
 * The stream, in the host's byte order (both ends are this program):
 *   'D' u32 rows, u16 cols       the sheet opened (first record)
 *   'E' u8 why                   a refusal (first or in place of a row)
 *   'R' u32 number, u32 ncells   a row (number 1-based), then per cell:
 *       u32 col, u8 type, f64 number, u32 len, len bytes of text
 *   'Z'                          the end, after the last row
 *
 * The child runs in a copy of a process that may have threads (the
 * store's stall guard) and a Berkeley DB environment open. It calls
 * nothing but FreeXL, the cell helpers of cells.c, write(), signal() and
 * _exit(): no stdio, no exit() (atexit handlers, buffered output, the
 * ledger's environment would be touched from a copy). FreeXL itself uses
 * malloc and iconv, which are not async-signal-safe: acceptable in
 * practice with glibc, whose fork resets malloc's locks in the child,
 * and whose iconv the other threads here never use. */
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/i18n.h"
#include "private.h"

/* Why the child refused the workbook (the 'E' record). */
enum xls_refusal {
	XLS_NOMEM = 1,
	XLS_NOT_WORKBOOK,
	XLS_NO_SHEET,
	XLS_DAMAGED,
	XLS_PASSWORD,
};

/* The longest cell text the parent takes: Excel's 32767 characters, at
 * most 3 bytes each in UTF-8 (FreeXL's text), with room to spare. */
#define XLS_MAX_TEXT (1UL << 20)

/* The parent's reader. */
struct xls {
	char *path;
	pid_t pid;        /* the child, 0 once reaped */
	int fd;           /* the pipe's reading end, -1 once closed */
	unsigned long rows, got; /* rows of the sheet, rows received */
	unsigned long last; /* the last row's number */
	unsigned short cols;
	unsigned char buf[65536];
	size_t pos, len;
	char *text;       /* one cell's text */
	size_t text_cap;
};

/* --- the child ----------------------------------------------------------- */

/* What the child has yet to write. */
struct obuf {
	int fd;
	unsigned char *p;
	size_t len, cap;
	int failed; /* out of memory */
};

/* Writes all of p (EINTR retried); -1 when the parent is gone. */
static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void put(struct obuf *o, const void *p, size_t n)
{
	if (o->failed)
		return;
	if (o->cap - o->len < n) {
		size_t cap = o->cap ? o->cap : 65536;
		while (cap - o->len < n)
			cap *= 2;
		unsigned char *q = realloc(o->p, cap);
		if (q == NULL) {
			o->failed = 1;
			return;
		}
		o->p = q;
		o->cap = cap;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void put_u8(struct obuf *o, unsigned v)
{
	unsigned char c = (unsigned char)v;
	put(o, &c, 1);
}

static void put_u32(struct obuf *o, uint32_t v)
{
	put(o, &v, sizeof(v));
}

/* Writes what is buffered; -1 when the parent is gone. */
static int flush(struct obuf *o)
{
	if (write_all(o->fd, o->p, o->len) != 0)
		return -1;
	o->len = 0;
	return 0;
}

/* One cell of FreeXL's as the readers give it: 1 with its type, number
 * and text (in buf or FreeXL's), 0 when it is empty. */
static int cell_of(const FreeXL_CellValue *v, char buf[32],
		   enum sheet_cell_type *type, double *number,
		   const char **text)
{
	*text = NULL;
	*type = SHEET_TEXT;
	*number = 0;
	switch (v->type) {
	case FREEXL_CELL_INT:
		*number = v->value.int_value;
		*type = SHEET_NUMBER;
		break;
	case FREEXL_CELL_DOUBLE:
		*number = v->value.double_value;
		*type = SHEET_NUMBER;
		break;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_TIME:
		*text = v->value.text_value;
		break;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
		/* no snprintf in the child: the first 10 bytes by hand */
		memset(buf, 0, 32);
		if (v->value.text_value != NULL)
			strncpy(buf, v->value.text_value, 10);
		*number = sheet_date_serial(buf);
		*text = buf;
		*type = *number > 0 ? SHEET_DATE : SHEET_TEXT;
		break;
	default:
		return 0;
	}
	if (*type == SHEET_NUMBER) {
		sheet_general_text(*number, buf);
		*text = buf;
	}
	return *text != NULL && (*text)[0] != '\0';
}

/* FreeXL's refusal to open as one of ours. */
static enum xls_refusal refusal_of(int rc)
{
	switch (rc) {
	case FREEXL_INSUFFICIENT_MEMORY:
		return XLS_NOMEM;
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return XLS_NOT_WORKBOOK;
	case FREEXL_BIFF_ILLEGAL_SHEET_INDEX:
		return XLS_NO_SHEET;
	default:
		return XLS_DAMAGED;
	}
}

/* The rows of path's first worksheet (or a refusal) into o; -1 when the
 * parent is gone. */
static int child_stream(const char *path, struct obuf *o)
{
	const void *h = NULL;
	unsigned int rows = 0, info = 0;
	unsigned short cols = 0;
	int rc = freexl_open(path, &h);
	if (rc == FREEXL_OK &&
	    freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_OBFUSCATED) {
		freexl_close(h);
		put_u8(o, 'E');
		put_u8(o, XLS_PASSWORD);
		return flush(o);
	}
	if (rc == FREEXL_OK)
		rc = freexl_select_active_worksheet(h, 0);
	if (rc == FREEXL_OK)
		rc = freexl_worksheet_dimensions(h, &rows, &cols);
	if (rc != FREEXL_OK) {
		if (h != NULL)
			freexl_close(h);
		put_u8(o, 'E');
		put_u8(o, refusal_of(rc));
		return flush(o);
	}
	uint16_t c16 = cols;
	put_u8(o, 'D');
	put_u32(o, rows);
	put(o, &c16, sizeof(c16));
	int ret = 0;
	for (unsigned int r = 0; r < rows && ret == 0; r++) {
		/* the row's header, its cell count filled in at the end */
		put_u8(o, 'R');
		put_u32(o, r + 1U);
		size_t count_at = o->len;
		uint32_t n = 0;
		put_u32(o, 0);
		for (unsigned short c = 0; c < cols && c < SHEET_MAX_COLS; c++) {
			FreeXL_CellValue v;
			char buf[32];
			enum sheet_cell_type type;
			double number;
			const char *text;
			if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK) {
				o->len = count_at - 5; /* the row is dropped */
				put_u8(o, 'E');
				put_u8(o, XLS_DAMAGED);
				ret = 1;
				break;
			}
			if (!cell_of(&v, buf, &type, &number, &text))
				continue;
			size_t len = strlen(text);
			if (len > XLS_MAX_TEXT)
				len = XLS_MAX_TEXT; /* never so in BIFF8 */
			put_u32(o, c);
			put_u8(o, (unsigned)type);
			put(o, &number, sizeof(number));
			put_u32(o, (uint32_t)len);
			put(o, text, len);
			n++;
		}
		if (ret == 0 && !o->failed)
			memcpy(o->p + count_at, &n, sizeof(n));
		if (o->failed)
			break;
		if (o->len >= 65536 && flush(o) != 0)
			ret = -1;
	}
	freexl_close(h);
	if (ret < 0)
		return -1;
	if (o->failed) {
		/* what is buffered is cut off: a refusal of its own */
		free(o->p);
		o->p = NULL;
		o->len = o->cap = 0;
		o->failed = 0;
		unsigned char e[2] = { 'E', XLS_NOMEM };
		return write_all(o->fd, e, sizeof(e));
	}
	if (ret == 0)
		put_u8(o, 'Z');
	if (o->failed) {
		unsigned char e[2] = { 'E', XLS_NOMEM };
		return flush(o) == 0 ? write_all(o->fd, e, sizeof(e)) : -1;
	}
	return flush(o);
}

/* The child's whole life, with the parent's x (its copy, freed here: a
 * leak checker that follows the fork, valgrind's, counts the child's
 * heap at _exit too): never returns. */
static void child_main(struct xls *x, int fd)
{
	char *path = x->path;
	free(x);
	/* A parent's handlers must not run in the copy (a test harness's
	 * SIGSEGV handler would longjmp back into the parent's code): every
	 * signal as the system has it, none blocked. A write to a parent
	 * that closed early fails with EPIPE and ends the child; an
	 * interrupt is the parent's to act on (it kills the child). */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	struct obuf o = { fd, NULL, 0, 0, 0 };
	int ret = child_stream(path, &o);
	free(o.p);
	free(path);
	_exit(ret == 0 ? 0 : 1);
}

/* --- the parent ---------------------------------------------------------- */

static int damaged(const char *path, struct xb_error *err)
{
	return xb_fail(err, XB_EINVAL,
		       _("%s is damaged or incomplete (a copy broken off?): "
			 "open it in Excel or WPS, save it again and try "
			 "again."), path);
}

/* Words for the child's refusal of path. */
static int refused(const char *path, unsigned why, struct xb_error *err)
{
	switch (why) {
	case XLS_NOMEM:
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	case XLS_NOT_WORKBOOK:
		return xb_fail(err, XB_EINVAL,
			       _("%s is not an Excel workbook (an old Word "
				 "document?): save the table as .xlsx or .csv "
				 "and try again."), path);
	case XLS_NO_SHEET:
		return xb_fail(err, XB_EINVAL, _("%s has no worksheet."), path);
	case XLS_PASSWORD:
		return xb_fail(err, XB_EINVAL,
			       _("%s is protected by a password: open it in "
				 "Excel or WPS, remove the password (or save "
				 "a copy as .xlsx) and try again."), path);
	default:
		return damaged(path, err);
	}
}

/* Reaps the child; its wait status, or -1 when it cannot be known (it
 * was reaped already, or SIGCHLD is ignored). */
static int reap(struct xls *x)
{
	if (x->pid <= 0)
		return -1;
	int status;
	pid_t r;
	while ((r = waitpid(x->pid, &status, 0)) < 0 && errno == EINTR)
		;
	x->pid = 0;
	return r < 0 ? -1 : status;
}

static void close_pipe(struct xls *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

static void xls_close(void *impl)
{
	struct xls *x = impl;
	if (x == NULL)
		return;
	close_pipe(x);
	/* A child still writing would block, or still reading the workbook
	 * would go on: it is killed. Not reaped yet, so its pid is still
	 * ours (a zombie keeps it). */
	if (x->pid > 0) {
		kill(x->pid, SIGKILL);
		reap(x);
	}
	free(x->text);
	free(x->path);
	free(x);
}

/* n bytes of the stream into p: 0, -1 at its end (or cut short), -2 on
 * a read error (errno). */
static int get(struct xls *x, void *p, size_t n)
{
	unsigned char *d = p;
	while (n > 0) {
		if (x->pos == x->len) {
			ssize_t r = read(x->fd, x->buf, sizeof(x->buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return -2;
			if (r == 0)
				return -1;
			x->pos = 0;
			x->len = (size_t)r;
		}
		size_t k = x->len - x->pos < n ? x->len - x->pos : n;
		memcpy(d, x->buf + x->pos, k);
		x->pos += k;
		d += k;
		n -= k;
	}
	return 0;
}

/* The end of the stream, or a stream that cannot be read on: the child
 * reaped, and XB_OK only when the stream was whole (clean: the end record
 * came and nothing after it) and the child exited 0. */
static int finish(struct xls *x, int clean, struct xb_error *err)
{
	close_pipe(x);
	int status = reap(x);
	if (clean && (status == -1 ||
		      (WIFEXITED(status) && WEXITSTATUS(status) == 0)))
		return XB_OK;
	return damaged(x->path, err);
}

/* A failed get as the message it calls for. */
static int get_failed(struct xls *x, int g, struct xb_error *err)
{
	if (g == -2) {
		int e = errno;
		finish(x, 0, err);
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."),
			       x->path, strerror(e));
	}
	return finish(x, 0, err);
}

int sheet_xls_open(const char *path, void **impl, struct xb_error *err)
{
	*impl = NULL;
	struct xls *x = calloc(1, sizeof(*x));
	if (x == NULL || (x->path = strdup(path)) == NULL) {
		free(x);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	x->fd = -1;
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		int e = errno;
		xls_close(x);
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."), path,
			       strerror(e));
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		child_main(x, p[1]);
	}
	close(p[1]);
	x->fd = p[0];
	if (pid < 0) {
		int e = errno;
		xls_close(x);
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."), path,
			       strerror(e));
	}
	x->pid = pid;
	/* The first record: the sheet's size, or why it is refused. Comes
	 * once FreeXL has read the workbook. */
	unsigned char tag;
	int g = get(x, &tag, 1);
	int ret;
	if (g == 0 && tag == 'D') {
		uint32_t rows;
		uint16_t cols;
		if ((g = get(x, &rows, sizeof(rows))) == 0 &&
		    (g = get(x, &cols, sizeof(cols))) == 0 &&
		    rows <= SHEET_MAX_ROWS) {
			x->rows = rows;
			x->cols = cols;
			*impl = x;
			return XB_OK;
		}
		ret = g ? get_failed(x, g, err) : finish(x, 0, err);
	} else if (g == 0 && tag == 'E') {
		unsigned char why;
		if ((g = get(x, &why, 1)) != 0) {
			ret = get_failed(x, g, err);
		} else {
			/* a refusal counts only from a child that ends well */
			unsigned char more;
			if (get(x, &more, 1) == -1 && finish(x, 1, err) == XB_OK)
				ret = refused(path, why, err);
			else
				ret = finish(x, 0, err);
		}
	} else {
		ret = g ? get_failed(x, g, err) : finish(x, 0, err);
	}
	xls_close(x);
	return ret;
}

/* A cell's text of len bytes from the stream into x->text. */
static int get_text(struct xls *x, size_t len)
{
	if (len > x->text_cap) {
		char *t = realloc(x->text, len);
		if (t == NULL)
			return -3;
		x->text = t;
		x->text_cap = len;
	}
	return get(x, x->text, len);
}

static int xls_next(void *impl, struct sheet_rowbuf *b, struct xb_error *err)
{
	struct xls *x = impl;
	if (x->fd < 0)
		return 0; /* reached the end before */
	unsigned char tag;
	int g = get(x, &tag, 1);
	if (g != 0)
		return get_failed(x, g, err);
	if (tag == 'Z') {
		unsigned char more;
		g = get(x, &more, 1);
		if (g == -1 && x->got == x->rows && finish(x, 1, err) == XB_OK)
			return 0;
		return g == -2 ? get_failed(x, g, err) : finish(x, 0, err);
	}
	if (tag == 'E') {
		unsigned char why;
		if ((g = get(x, &why, 1)) != 0)
			return get_failed(x, g, err);
		unsigned char more;
		if (get(x, &more, 1) == -1 && finish(x, 1, err) == XB_OK)
			return refused(x->path, why, err);
		return finish(x, 0, err);
	}
	uint32_t number, ncells;
	if (tag != 'R')
		return finish(x, 0, err);
	if ((g = get(x, &number, sizeof(number))) != 0 ||
	    (g = get(x, &ncells, sizeof(ncells))) != 0)
		return get_failed(x, g, err);
	if (number <= x->last || number > x->rows || ncells > x->cols ||
	    ncells > SHEET_MAX_COLS)
		return finish(x, 0, err);
	sheet_rowbuf_reset(b, number);
	long prev = -1;
	for (uint32_t i = 0; i < ncells; i++) {
		uint32_t col, len;
		unsigned char type;
		double num;
		if ((g = get(x, &col, sizeof(col))) != 0 ||
		    (g = get(x, &type, 1)) != 0 ||
		    (g = get(x, &num, sizeof(num))) != 0 ||
		    (g = get(x, &len, sizeof(len))) != 0)
			return get_failed(x, g, err);
		if ((long)col <= prev || col >= x->cols || len == 0 ||
		    len > XLS_MAX_TEXT ||
		    (type != SHEET_TEXT && type != SHEET_NUMBER &&
		     type != SHEET_DATE))
			return finish(x, 0, err);
		prev = col;
		g = get_text(x, len);
		if (g == -3) {
			finish(x, 0, err);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
		if (g != 0)
			return get_failed(x, g, err);
		if (memchr(x->text, '\0', len) != NULL)
			return finish(x, 0, err);
		if (sheet_rowbuf_add(b, col, (enum sheet_cell_type)type,
				     x->text, len, num) != 0) {
			finish(x, 0, err);
			return xb_fail(err, XB_EFAIL, _("Out of memory."));
		}
	}
	x->last = number;
	x->got++;
	return 1;
}

static unsigned xls_progress(const void *impl)
{
	const struct xls *x = impl;
	return x->rows ? (unsigned)((unsigned long long)x->got * 1000 / x->rows) :
		1000;
}

const struct sheet_backend sheet_xls_backend = {
	xls_next, xls_progress, xls_close,
};
