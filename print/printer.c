/* printer.c - sends a file to the printer with CUPS' lp, run without a
 * shell: argv {"lp", "--", path}, so no file name is ever interpreted. lp's
 * standard output (its "request id is ...") goes to /dev/null, so that it
 * cannot mix into the program's own output (JSON included); its standard
 * error is read through a pipe and its first line is the message when lp
 * fails. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "print.h"
#include "../common/i18n.h"

extern char **environ;

/* 1 when an executable lp is in one of PATH's folders. */
static int lp_in_path(void)
{
	const char *path = getenv("PATH");
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	const char *p = path;
	for (;;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char full[PATH_MAX];
		/* An empty entry means the current folder. */
		int w = n == 0 ? snprintf(full, sizeof(full), "./lp")
			       : snprintf(full, sizeof(full), "%.*s/lp",
					  (int)n, p);
		if (w > 0 && (size_t)w < sizeof(full) &&
		    access(full, X_OK) == 0)
			return 1;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

/* Starts lp on path with its standard error on a pipe whose end is *rfd. */
static int spawn_lp(const char *path, pid_t *pid, int *rfd,
		    struct xb_error *err)
{
	int pfd[2];
	posix_spawn_file_actions_t fa;
	int rc;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return xb_fail(err, XB_EFAIL,
			       _("The printer command could not be started: "
				 "%s."),
			       strerror(errno));
	if (posix_spawn_file_actions_init(&fa) != 0) {
		close(pfd[0]);
		close(pfd[1]);
		return xb_fail(err, XB_EFAIL,
			       _("Out of memory while starting the printer "
				 "command."));
	}
	/* dup2 clears close-on-exec on the new descriptor. */
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	char *const argv[] = { (char *)"lp", (char *)"--", (char *)path, NULL };
	rc = posix_spawnp(pid, "lp", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		if (rc == ENOENT)
			return xb_fail(err, XB_ENOTFOUND,
				       _("There is no printer command (lp) on "
					 "this computer: install CUPS "
					 "(apt-get install cups-client) to "
					 "print."));
		return xb_fail(err, XB_EFAIL,
			       _("The printer command could not be started: "
				 "%s."),
			       strerror(rc));
	}
	*rfd = pfd[0];
	return XB_OK;
}

/* Reads all lp says (so it never blocks on a full pipe), keeping the start. */
static void read_complaints(int fd, char *msg, size_t size)
{
	size_t used = 0;
	for (;;) {
		char chunk[512];
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		size_t take = (size_t)r;
		if (take > size - 1 - used)
			take = size - 1 - used;
		memcpy(msg + used, chunk, take);
		used += take;
	}
	close(fd);
	msg[used] = '\0';
}

/* Waits for lp to end, leaving its wait status in *status. */
static int wait_lp(pid_t pid, int *status, struct xb_error *err)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return xb_fail(err, XB_EFAIL,
				       _("The printer command could not be "
					 "followed: %s."),
				       strerror(errno));
	}
	return XB_OK;
}

/* Turns a failed lp's status and first line of msg into the error. */
static int lp_failure(int status, char *msg, struct xb_error *err)
{
	/* lp's first non-empty line, without control characters. */
	char *line = msg;
	while (*line == '\n' || *line == '\r' || *line == ' ')
		line++;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	if (WIFSIGNALED(status))
		return xb_fail(err, XB_EFAIL,
			       _("The printer command (lp) was killed by signal "
				 "%d. %s"),
			       WTERMSIG(status), line);
	if (*line == '\0')
		return xb_fail(err, XB_EFAIL,
			       _("The printer command (lp) failed with status "
				 "%d and said nothing."),
			       WEXITSTATUS(status));
	return xb_fail(err, XB_EFAIL, _("Printing failed: %s"), line);
}

int print_printer_here(void)
{
	return lp_in_path();
}

int slip_send_to_printer(const char *path, struct xb_error *err)
{
	pid_t pid;
	int rfd = -1, status = 0, rc;
	char msg[512];

	if (path == NULL || *path == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No file was given to print."));
	if (!lp_in_path())
		return xb_fail(err, XB_ENOTFOUND,
			       _("There is no printer command (lp) on this "
				 "computer: install CUPS (apt-get install "
				 "cups-client) to print."));
	rc = spawn_lp(path, &pid, &rfd, err);
	if (rc != XB_OK)
		return rc;
	read_complaints(rfd, msg, sizeof(msg));
	rc = wait_lp(pid, &status, err);
	if (rc != XB_OK)
		return rc;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return XB_OK;
	return lp_failure(status, msg, err);
}
