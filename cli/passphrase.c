/* passphrase.c - the secrets the command line needs: the passphrases of
 * the office key and the ledger, and users' passwords. Typed on the
 * terminal without echo, or one line each from the file descriptor of
 * --passphrase-fd (passphrases) or --password-fd (passwords), in the order
 * they are asked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "../common/i18n.h"

int cli_can_ask(void)
{
	return isatty(STDIN_FILENO);
}

/* One line from fd, byte by byte so that the next line stays for the next
 * passphrase. -1 at the end of input or on an error. */
static int read_fd_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	int got = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got = 1;
		if (ch == '\n')
			break;
		if (n + 1 < len)
			buf[n++] = ch;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return got ? 0 : -1;
}

/* Asks on the terminal, without echo. -1 when there is none. */
static int read_tty(const char *prompt, char *buf, size_t len)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (tty == NULL)
		return -1;
	struct termios old, quiet;
	int fd = fileno(tty);
	int have = tcgetattr(fd, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fprintf(tty, "%s", prompt);
	fflush(tty);
	int ok = fgets(buf, (int)len, tty) != NULL;
	if (have)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (!ok) {
		explicit_bzero(buf, len);
		return -1;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* One secret: a line from fd when it is >= 0, else typed on the terminal
 * (twice when again is not NULL). none_fd and none_tty are the messages
 * when neither can be had. */
static int read_secret(struct cli *c, int fd, const char *prompt,
		       const char *again, char *buf, size_t len,
		       const char *none_fd, const char *none_tty)
{
	buf[0] = '\0';
	if (fd >= 0) {
		if (read_fd_line(fd, buf, len) != 0)
			return xb_fail(&c->err, XB_EINVAL, none_fd, fd);
		return XB_OK;
	}
	if (!cli_can_ask() || read_tty(prompt, buf, len) != 0)
		return xb_fail(&c->err, XB_EINVAL, "%s", none_tty);
	if (again != NULL) {
		char second[CLI_PASS_MAX];
		int ok = read_tty(again, second, sizeof(second)) == 0 &&
			 strcmp(buf, second) == 0;
		explicit_bzero(second, sizeof(second));
		if (!ok) {
			explicit_bzero(buf, len);
			return xb_fail(&c->err, XB_EINVAL, "%s",
				       _("The two differ; nothing was done."));
		}
	}
	return XB_OK;
}

int cli_passphrase(struct cli *c, const char *prompt, const char *again,
		   char *buf, size_t len)
{
	return read_secret(c, c->pass_fd, prompt, again, buf, len,
			   _("No passphrase could be read from "
			     "--passphrase-fd %d (one line each)."),
			   _("A passphrase is needed: type it on a "
			     "terminal, or give it with --passphrase-fd N "
			     "(one line read from file descriptor N)."));
}

int cli_password(struct cli *c, const char *prompt, const char *again,
		 char *buf, size_t len)
{
	return read_secret(c, c->password_fd, prompt, again, buf, len,
			   _("No password could be read from --password-fd %d "
			     "(one line each)."),
			   _("A password is needed: type it on a terminal, or "
			     "give it with --password-fd N (one line read from "
			     "file descriptor N)."));
}

int cli_key_passphrase(void *arg, const char *hint, int prev_bad, char *buf,
		       size_t len)
{
	struct cli *c = arg;
	(void)hint;
	/* One command may use the key twice (an export signs, then reads
	 * its bundle back): what was typed serves the command, in this
	 * process only, and is wiped when it ends (cli_passphrase_wipe). */
	if (c->keypass_set && !prev_bad) {
		snprintf(buf, len, "%s", c->keypass);
		return 0;
	}
	if (prev_bad && c->pass_fd >= 0 && c->keypass_set) {
		/* Nothing else to try: the same again, until GnuPG gives up
		 * and says it is wrong. */
		snprintf(buf, len, "%s", c->keypass);
		return 0;
	}
	if (prev_bad && c->pass_fd < 0) {
		FILE *tty = fopen("/dev/tty", "w");
		if (tty != NULL) {
			fprintf(tty, "%s\n", _("Wrong passphrase."));
			fclose(tty);
		}
	}
	struct xb_error keep = c->err;
	if (cli_passphrase(c, _("Passphrase of the office key: "), NULL,
			   c->keypass, sizeof(c->keypass)) != XB_OK) {
		c->keypass_missing = 1;
		c->err = keep;
		return -1;
	}
	c->keypass_set = 1;
	snprintf(buf, len, "%s", c->keypass);
	return 0;
}

void cli_passphrase_wipe(struct cli *c)
{
	explicit_bzero(c->keypass, sizeof(c->keypass));
	c->keypass_set = 0;
}
