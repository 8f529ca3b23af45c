/* keys.c - the office's GnuPG home: opening it, making the office key,
 * finding keys. (keyfile.c exports and imports them.)
 *
 * One function makes a GPGME context (keys_ctx_new) so that every call
 * runs on the office's home with loopback pinentry and our own passphrase
 * prompt; one function sorts GPGME's errors into our codes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"
#include "../common/printable.h"
#include "../common/safe_file.h"

extern char **environ;

/* What the home's gpg-agent.conf must say. The agent's default s2k-count
 * makes every use of a passphrase-protected key cost about a second of
 * hashing; 65536 brings it to ~30 ms (doc/design.md "Keys"). A TTL of 0 keeps no
 * passphrase in the agent, so it is asked at every export and import, as
 * the man page says. keys_open merges these into an existing file. */
static const char *const agent_settings[][2] = {
	{ "allow-loopback-pinentry", NULL },
	{ "s2k-count", "65536" },
	{ "default-cache-ttl", "0" },
	{ "max-cache-ttl", "0" },
};
/* The program binds each office to one fingerprint itself, so GnuPG's web
 * of trust is off, and it never goes to the network for keys. */
static const char gpg_conf[] =
	"# Written by xiangban when it made this folder.\n"
	"trust-model always\n"
	"no-auto-key-retrieve\n"
	"auto-key-locate local\n";

int keys_gpgme_fail(struct xb_error *err, gpgme_error_t e, const char *what)
{
	gpgme_err_code_t c = gpgme_err_code(e);
	const char *full;

	switch (c) {
	case GPG_ERR_CANCELED:
	case GPG_ERR_FULLY_CANCELED:
		return xb_fail(err, XB_EINVAL,
			       _("%s: the passphrase was not given."), what);
	case GPG_ERR_BAD_PASSPHRASE:
		return xb_fail(err, XB_EINVAL,
			       _("%s: the passphrase of the office key is "
				 "wrong."),
			       what);
	case GPG_ERR_NO_PASSPHRASE:
	case GPG_ERR_NO_PIN:
		return xb_fail(err, XB_EINVAL,
			       _("%s: the office key is protected by a "
				 "passphrase and none was given."),
			       what);
	default:
		break;
	}
	if (gpgme_err_code_to_errno(c) != 0 &&
	    (full = xb_disk_full_msg(gpgme_err_code_to_errno(c))) != NULL)
		return xb_fail(err, XB_EFAIL, "%s: %s", what, full);
	return xb_fail(err, XB_EFAIL, _("%s: GnuPG says: %s."), what,
		       gpgme_strerror(e));
}

/* Gives pass to GnuPG on fd. */
static gpgme_error_t give_pass(int fd, const char *pass)
{
	if (gpgme_io_writen(fd, pass, strlen(pass)) != 0 ||
	    gpgme_io_writen(fd, "\n", 1) != 0)
		return gpgme_error_from_syserror();
	return 0;
}

gpgme_error_t keys_pass_cb(void *hook, const char *uid_hint,
			   const char *info, int prev_bad, int fd)
{
	struct keys *k = hook;
	char buf[KEYS_PASS_MAX];
	gpgme_error_t rc = 0;

	(void)info;
	/* Held for the action: given again without asking. */
	if (k->kept_set && !prev_bad)
		return give_pass(fd, k->kept);
	/* Only the thread that set the callback asks (it may draw on a
	 * screen): any other has the held passphrase or none, and a wrong
	 * one fails as wrong. */
	if (k->pass_fn == NULL ||
	    !pthread_equal(pthread_self(), k->pass_thread))
		return gpgme_error(k->kept_set ? GPG_ERR_BAD_PASSPHRASE
					       : GPG_ERR_NO_PASSPHRASE);
	memset(buf, 0, sizeof(buf));
	if (k->pass_fn(k->pass_arg, uid_hint, prev_bad ? 1 : 0, buf,
		       sizeof(buf)) != 0) {
		explicit_bzero(buf, sizeof(buf));
		return gpgme_error(GPG_ERR_CANCELED);
	}
	buf[sizeof(buf) - 1] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	rc = give_pass(fd, buf);
	if (k->holding) {
		memcpy(k->kept, buf, sizeof(k->kept));
		k->kept_set = 1;
	}
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

int keys_ctx_new(struct keys *k, gpgme_ctx_t *ctx, struct xb_error *err)
{
	gpgme_error_t e;
	gpgme_ctx_t c = NULL;

	*ctx = NULL;
	e = gpgme_new(&c);
	if (!e)
		e = gpgme_set_protocol(c, GPGME_PROTOCOL_OpenPGP);
	if (!e)
		e = gpgme_ctx_set_engine_info(c, GPGME_PROTOCOL_OpenPGP, NULL,
					      k->home);
	if (!e)
		e = gpgme_set_pinentry_mode(c, GPGME_PINENTRY_MODE_LOOPBACK);
	if (!e)
		e = gpgme_set_keylist_mode(c, GPGME_KEYLIST_MODE_LOCAL |
						      GPGME_KEYLIST_MODE_WITH_SECRET);
	if (e) {
		gpgme_release(c);
		return keys_gpgme_fail(err, e, _("Could not start GnuPG"));
	}
	gpgme_set_passphrase_cb(c, keys_pass_cb, k);
	gpgme_set_armor(c, 0);
	gpgme_set_offline(c, 1);
	*ctx = c;
	return XB_OK;
}

int keys_fpr_norm(const char *in, char out[KEYS_FPR_LEN + 1],
		  struct xb_error *err)
{
	size_t n = 0;

	for (const char *p = in ? in : ""; *p; p++) {
		char c = *p;
		if (c == ' ')
			continue;
		if (c >= 'a' && c <= 'f')
			c = (char)(c - 'a' + 'A');
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) ||
		    n == KEYS_FPR_LEN)
			goto bad;
		out[n++] = c;
	}
	if (n != KEYS_FPR_LEN)
		goto bad;
	out[n] = '\0';
	return XB_OK;
bad:
	out[0] = '\0';
	return xb_fail_field(err, XB_EINVAL, "fpr",
			     _("A key's fingerprint is 40 characters 0-9 and "
			       "A-F (spaces allowed)."));
}

/* Whether key has a primary key or subkey with fingerprint or key ID id. */
static int key_has(gpgme_key_t key, const char *id)
{
	size_t n = strlen(id);

	for (gpgme_subkey_t s = key->subkeys; s; s = s->next) {
		if (s->fpr && strcasecmp(s->fpr, id) == 0)
			return 1;
		if (n == 16 && s->keyid && strcasecmp(s->keyid, id) == 0)
			return 1;
	}
	return 0;
}

int keys_find(gpgme_ctx_t ctx, const char *fpr, int secret_only,
	      gpgme_key_t *key, struct xb_error *err)
{
	gpgme_key_t first = NULL, other = NULL;
	gpgme_error_t e;
	char pattern[2 + KEYS_FPR_LEN + 1];

	*key = NULL;
	snprintf(pattern, sizeof(pattern), "0x%s", fpr);
	e = gpgme_op_keylist_start(ctx, pattern, secret_only);
	if (!e)
		e = gpgme_op_keylist_next(ctx, &first);
	if (!e)
		e = gpgme_op_keylist_next(ctx, &other);
	gpgme_op_keylist_end(ctx);
	if (e && gpgme_err_code(e) != GPG_ERR_EOF) {
		gpgme_key_unref(first);
		gpgme_key_unref(other);
		return keys_gpgme_fail(err, e,
				       _("Could not read the list of keys"));
	}
	if (other != NULL) {
		gpgme_key_unref(first);
		gpgme_key_unref(other);
		return xb_fail(err, XB_EFAIL,
			       _("Several keys in the key folder have the "
				 "fingerprint %s."),
			       fpr);
	}
	if (first == NULL || !key_has(first, fpr)) {
		gpgme_key_unref(first);
		return xb_fail(err, XB_ENOTFOUND,
			       _("There is no key with the fingerprint %s in "
				 "this office's key folder."),
			       fpr);
	}
	*key = first;
	return XB_OK;
}

int keys_info_fill(gpgme_key_t key, struct keys_info *out,
		   struct xb_error *err)
{
	struct keys_info tmp;
	const char *fpr = key->subkeys ? key->subkeys->fpr : NULL;
	const char *uid = key->uids && key->uids->uid ? key->uids->uid : "";
	size_t n;

	memset(&tmp, 0, sizeof(tmp));
	if (fpr == NULL || keys_fpr_norm(fpr, tmp.fpr, NULL) != XB_OK)
		return xb_fail(err, XB_EINVAL,
			       _("This key is of a kind xiangban does not "
				 "use (its fingerprint is not 40 hex "
				 "digits)."));
	n = strlen(uid);
	if (n >= sizeof(tmp.uid)) {
		/* Cut on a character boundary of the UTF-8. */
		n = sizeof(tmp.uid) - 1;
		while (n > 0 && ((unsigned char)uid[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(tmp.uid, uid, n);
	tmp.uid[n] = '\0';
	tmp.has_secret = key->secret ? 1 : 0;
	tmp.revoked = key->revoked ? 1 : 0;
	tmp.expired = key->expired ? 1 : 0;
	tmp.can_sign = key->can_sign ? 1 : 0;
	tmp.can_encrypt = key->can_encrypt ? 1 : 0;
	if (out != NULL)
		*out = tmp;
	return XB_OK;
}

/* The absolute form of path, as gpg will see it (no symlinks resolved). */
static int abs_path(const char *path, char *buf, size_t len)
{
	size_t n;

	if (path[0] == '/') {
		n = (size_t)snprintf(buf, len, "%s", path);
	} else {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return -1;
		n = (size_t)snprintf(buf, len, "%s/%s", cwd, path);
	}
	if (n >= len)
		return -1;
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return 0;
}

/* Whether the agent's sockets would fit under path (and under its real
 * path, in case gpg resolves a symlink). */
static int socket_fits(const char *path)
{
	char buf[PATH_MAX + 64];
	char *real;
	size_t sock = strlen("/S.gpg-agent.browser"); /* the longest name */
	int ok;

	if (abs_path(path, buf, sizeof(buf)) != 0)
		return 0;
	ok = strlen(buf) + sock <= KEYS_SOCKET_MAX;
	real = realpath(path, NULL);
	if (real != NULL) {
		ok = ok && strlen(real) + sock <= KEYS_SOCKET_MAX;
		free(real);
	}
	return ok;
}

static int home_too_long(const char *home, struct xb_error *err)
{
	return xb_fail(err, XB_EINVAL,
		       _("The data directory's path is too long for "
			 "GnuPG (its key folder %s must be at most %d "
			 "characters): use a shorter --home."),
		       home, KEYS_SOCKET_MAX - (int)strlen("/S.gpg-agent.browser"));
}

int keys_home_path(const char *datadir, char *buf, size_t size,
		   struct xb_error *err)
{
	if ((size_t)snprintf(buf, size, "%s/gnupg", datadir) >= size ||
	    !socket_fits(buf))
		return home_too_long(buf, err);
	return XB_OK;
}

/* Writes name into dir with text unless a file of that name is there. */
static int write_once(const char *dir, const char *name, const char *text,
		      struct xb_error *err)
{
	char path[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return xb_fail(err, XB_EINVAL,
			       _("The key folder's path is too long."));
	if (lstat(path, &st) == 0)
		return XB_OK;
	return xb_file_write_safe(path, text, strlen(text), 0600, err);
}

/* Whether line (up to its end) sets the agent option name; *val gets its
 * value (empty when none) and *vlen its length. */
static int conf_line_is(const char *line, size_t len, const char *name,
			const char **val, size_t *vlen)
{
	size_t n = strlen(name), i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < n || strncmp(line + i, name, n) != 0)
		return 0;
	i += n;
	if (i < len && line[i] != ' ' && line[i] != '\t')
		return 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*val = line + i;
	*vlen = len - i;
	while (*vlen > 0 && (line[i + *vlen - 1] == ' ' ||
			     line[i + *vlen - 1] == '\t' ||
			     line[i + *vlen - 1] == '\r'))
		(*vlen)--;
	return 1;
}

/* Appends n bytes to the growing buffer *buf. */
static int grow_add(char **buf, size_t *len, size_t *cap, const char *s,
		    size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = (*len + n + 1) * 2;
		char *b = realloc(*buf, c);
		if (b == NULL)
			return -1;
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

/* The new text of gpg-agent.conf from the old (NULL: none): every line
 * kept but those setting one of agent_settings to another value (or a
 * second time); the settings missing appended. *out is malloc'd. */
static int agent_conf_merge(const char *old, char **out)
{
	enum { NSET = sizeof(agent_settings) / sizeof(agent_settings[0]) };
	int seen[NSET] = { 0 };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *p = old;

	*out = NULL;
	if (old == NULL &&
	    grow_add(&buf, &len, &cap, "# Written by xiangban.\n", 23) != 0)
		return -1;
	while (p != NULL && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		int keep = 1;
		for (int i = 0; i < NSET; i++) {
			const char *v;
			size_t vl;
			const char *want = agent_settings[i][1];
			if (!conf_line_is(p, n, agent_settings[i][0], &v, &vl))
				continue;
			keep = !seen[i] && (want == NULL ? vl == 0
					    : vl == strlen(want) &&
					      strncmp(v, want, vl) == 0);
			seen[i] = seen[i] || keep;
			break;
		}
		if (keep && (grow_add(&buf, &len, &cap, p, n) != 0 ||
			     grow_add(&buf, &len, &cap, "\n", 1) != 0))
			goto oom;
		p = nl ? nl + 1 : NULL;
	}
	for (int i = 0; i < NSET; i++) {
		if (seen[i])
			continue;
		const char *v = agent_settings[i][1];
		if (grow_add(&buf, &len, &cap, agent_settings[i][0],
			     strlen(agent_settings[i][0])) != 0 ||
		    (v != NULL && (grow_add(&buf, &len, &cap, " ", 1) != 0 ||
				   grow_add(&buf, &len, &cap, v, strlen(v)) != 0)) ||
		    grow_add(&buf, &len, &cap, "\n", 1) != 0)
			goto oom;
	}
	*out = buf;
	return 0;
oom:
	free(buf);
	return -1;
}

/* Reads a small text file whole; NULL with errno set (ENOENT: none). */
static char *read_small(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	char chunk[4096];

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || len > 1024 * 1024 ||
		    (r > 0 && grow_add(&buf, &len, &cap, chunk, (size_t)r) != 0)) {
			int saved = r < 0 ? errno : EFBIG;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break;
	}
	close(fd);
	if (buf == NULL)
		buf = calloc(1, 1);
	return buf;
}

/* Runs gpgconf --homedir home ARGS..., quiet; 0 when it exited 0. */
static int run_gpgconf(const char *home, const char *action,
		       const char *what, int *spawn_err)
{
	char *argv[] = { "gpgconf", "--homedir", (char *)home, (char *)action,
			 (char *)what, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc, status;

	*spawn_err = 0;
	/* gpgconf must not write on the clerk's screen. */
	if (posix_spawn_file_actions_init(&fa) != 0) {
		*spawn_err = ENOMEM;
		return -1;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "gpgconf", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		*spawn_err = rc;
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			*spawn_err = errno;
			return -1;
		}
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Makes the home's gpg-agent.conf hold agent_settings, keeping the rest
 * of an existing file; when it changed, an agent already running is told
 * to read it again (no passphrase it cached survives that). */
static int agent_conf_ensure(const char *home, struct xb_error *err)
{
	char path[PATH_MAX], *old, *text;
	int rc, existed, e;

	if ((size_t)snprintf(path, sizeof(path), "%s/gpg-agent.conf", home) >=
	    sizeof(path))
		return xb_fail(err, XB_EINVAL,
			       _("The key folder's path is too long."));
	old = read_small(path);
	if (old == NULL && errno != ENOENT)
		return xb_fail(err, XB_EFAIL, _("Could not read %s: %s."), path,
			       strerror(errno));
	existed = old != NULL;
	if (agent_conf_merge(old, &text) != 0) {
		free(old);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	if (old != NULL && strcmp(old, text) == 0) {
		free(old);
		free(text);
		return XB_OK;
	}
	free(old);
	rc = xb_file_write_safe(path, text, strlen(text), 0600, err);
	free(text);
	/* Reloading starts no agent that is not running; a failure to
	 * reach one (none running) is no error. */
	if (rc == XB_OK && existed)
		run_gpgconf(home, "--reload", "gpg-agent", &e);
	return rc;
}

int keys_open(const char *home, struct keys **out, struct xb_error *err)
{
	struct keys *k;
	struct stat st;
	gpgme_error_t e;
	int rc;

	*out = NULL;
	if (home == NULL || *home == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No folder was given for the keys."));
	if (!socket_fits(home))
		return home_too_long(home, err);
	if (mkdir(home, 0700) != 0 && errno != EEXIST)
		return xb_fail(err, XB_EFAIL,
			       _("Could not make the key folder %s: %s."), home,
			       strerror(errno));
	if (stat(home, &st) != 0 || !S_ISDIR(st.st_mode))
		return xb_fail(err, XB_EINVAL,
			       _("%s is not a folder: it cannot hold the "
				 "keys."),
			       home);
	/* GnuPG warns about a home others can read. */
	if ((st.st_mode & 077) != 0 && chmod(home, 0700) != 0)
		return xb_fail(err, XB_EFAIL,
			       _("Could not make the key folder %s private: "
				 "%s."),
			       home, strerror(errno));
	rc = agent_conf_ensure(home, err);
	if (rc == XB_OK)
		rc = write_once(home, "gpg.conf", gpg_conf, err);
	if (rc != XB_OK)
		return rc;

	if (gpgme_check_version("1.13.0") == NULL)
		return xb_fail(err, XB_EFAIL,
			       _("The GPGME library is older than 1.13: "
				 "install libgpgme11 from Debian 12."));
	e = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
	if (e)
		return xb_fail(err, XB_EFAIL,
			       _("GnuPG was not found or is too old: apt-get "
				 "install gnupg (%s)."),
			       gpgme_strerror(e));

	k = calloc(1, sizeof(*k));
	if (k == NULL || (k->home = strdup(home)) == NULL) {
		free(k);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	/* Each call makes its own context; one made here shows early that
	 * the engine accepts this home. */
	gpgme_ctx_t ctx;
	rc = keys_ctx_new(k, &ctx, err);
	if (rc != XB_OK) {
		keys_close(&k);
		return rc;
	}
	gpgme_release(ctx);
	*out = k;
	return XB_OK;
}

void keys_close(struct keys **k)
{
	if (k == NULL || *k == NULL)
		return;
	keys_forget_passphrase(*k);
	free((*k)->home);
	free(*k);
	*k = NULL;
}

const char *keys_home(const struct keys *k)
{
	return k ? k->home : NULL;
}

int keys_stop_agent(const char *home, struct xb_error *err)
{
	int e;

	if (home == NULL || *home == '\0')
		return xb_fail(err, XB_EINVAL,
			       _("No folder was given for the keys."));
	if (run_gpgconf(home, "--kill", "all", &e) != 0) {
		if (e != 0)
			return xb_fail(err, XB_EFAIL,
				       _("Could not run gpgconf: %s."),
				       strerror(e));
		return xb_fail(err, XB_EFAIL,
			       _("gpgconf could not stop the GnuPG agent of "
				 "%s."),
			       home);
	}
	return XB_OK;
}

void keys_set_passphrase_fn(struct keys *k, keys_passphrase_fn fn, void *arg)
{
	k->pass_fn = fn;
	k->pass_arg = arg;
	k->pass_thread = pthread_self();
}

void keys_hold_passphrase(struct keys *k)
{
	if (k != NULL)
		k->holding = 1;
}

void keys_forget_passphrase(struct keys *k)
{
	if (k == NULL)
		return;
	explicit_bzero(k->kept, sizeof(k->kept));
	k->kept_set = 0;
	k->holding = 0;
}

int keys_own_key(gpgme_ctx_t ctx, gpgme_key_t *out, struct xb_error *err)
{
	gpgme_key_t key = NULL, best = NULL;
	gpgme_error_t e;

	*out = NULL;
	e = gpgme_op_keylist_start(ctx, NULL, 1);
	while (!e && !(e = gpgme_op_keylist_next(ctx, &key))) {
		int usable = !key->revoked && !key->expired;
		if (best == NULL ||
		    (usable && (best->revoked || best->expired))) {
			gpgme_key_unref(best);
			best = key;
		} else {
			gpgme_key_unref(key);
		}
	}
	gpgme_op_keylist_end(ctx);
	if (e && gpgme_err_code(e) != GPG_ERR_EOF) {
		gpgme_key_unref(best);
		return keys_gpgme_fail(err, e,
				       _("Could not read the list of keys"));
	}
	if (best == NULL)
		return xb_fail(err, XB_ENOTFOUND,
			       _("This office has no key yet."));
	*out = best;
	return XB_OK;
}

int keys_own(struct keys *k, struct keys_info *out, struct xb_error *err)
{
	gpgme_ctx_t ctx;
	gpgme_key_t key;
	int rc = keys_ctx_new(k, &ctx, err);

	if (rc != XB_OK)
		return rc;
	rc = keys_own_key(ctx, &key, err);
	if (rc == XB_OK) {
		rc = keys_info_fill(key, out, err);
		gpgme_key_unref(key);
	}
	gpgme_release(ctx);
	return rc;
}

int keys_lookup(struct keys *k, const char *fpr, struct keys_info *out,
		struct xb_error *err)
{
	char norm[KEYS_FPR_LEN + 1];
	gpgme_ctx_t ctx;
	gpgme_key_t key;
	int rc = keys_fpr_norm(fpr, norm, err);

	if (rc != XB_OK)
		return rc;
	rc = keys_ctx_new(k, &ctx, err);
	if (rc != XB_OK)
		return rc;
	rc = keys_find(ctx, norm, 0, &key, err);
	if (rc == XB_OK) {
		rc = keys_info_fill(key, out, err);
		gpgme_key_unref(key);
	}
	gpgme_release(ctx);
	return rc;
}

/* The fixed passphrase of a key being made. */
struct new_pass {
	const char *pass;
	int asked;
};

static gpgme_error_t new_pass_cb(void *hook, const char *uid_hint,
				 const char *info, int prev_bad, int fd)
{
	struct new_pass *np = hook;

	(void)uid_hint;
	(void)info;
	if (prev_bad || np->asked++ > 4)
		return gpgme_error(GPG_ERR_CANCELED);
	if (gpgme_io_writen(fd, np->pass, strlen(np->pass)) != 0 ||
	    gpgme_io_writen(fd, "\n", 1) != 0)
		return gpgme_error_from_syserror();
	return 0;
}

/* Office codes are digits (letters and '-' allowed for tests and
 * special offices). Names are what a clerk typed for the office, brackets
 * ASCII or full-width included ("永吉县示范镇(演示)"); they must not hold
 * what a terminal would act on or hide (common/printable.h), an e-mail's
 * < >, or a tag of ours that would name a second office in the user ID. */
static int check_office(const char *code, const char *name,
			struct xb_error *err)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n > 32)
		return xb_fail_field(err, XB_EINVAL, "office_code",
				     _("The office code must have 1 to 32 "
				       "characters."));
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || c == '-'))
			return xb_fail_field(err, XB_EINVAL, "office_code",
					     _("The office code may hold only "
					       "digits, letters and '-'."));
	}
	n = name ? strlen(name) : 0;
	if (n == 0 || n > 120)
		return xb_fail_field(err, XB_EINVAL, "office_name",
				     _("The office name is empty or too "
				       "long (at most 40 Chinese "
				       "characters)."));
	unsigned bad = 0;
	if (xb_text_check(name, 0, &bad) != XB_CH_OK)
		return xb_fail_field(err, XB_EINVAL, "office_name",
				     _("The office name holds a control, "
				       "invisible or direction-changing "
				       "character (U+%04X): correct the office's "
				       "name first."),
				     bad);
	if (strchr(name, '<') != NULL || strchr(name, '>') != NULL ||
	    strstr(name, KEYS_UID_TAG) != NULL)
		return xb_fail_field(err, XB_EINVAL, "office_name",
				     _("The office name may not hold < > or "
				       "\"(xiangban\"."));
	return XB_OK;
}

int keys_create(struct keys *k, const char *office_code,
		const char *office_name, const char *passphrase,
		struct keys_info *out, struct xb_error *err)
{
	struct new_pass np = { passphrase, 0 };
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	gpgme_genkey_result_t res;
	gpgme_error_t e;
	char *uid = NULL;
	char fpr[KEYS_FPR_LEN + 1];
	unsigned flags = GPGME_CREATE_NOEXPIRE | GPGME_CREATE_FORCE;
	int rc = check_office(office_code, office_name, err);

	if (rc != XB_OK)
		return rc;
	rc = keys_ctx_new(k, &ctx, err);
	if (rc != XB_OK)
		return rc;
	rc = keys_own_key(ctx, &key, err);
	if (rc == XB_OK) {
		char groups[KEYS_FPR_GROUPS_LEN];
		keys_fpr_groups(key->subkeys->fpr, groups, sizeof(groups));
		rc = xb_fail(err, XB_EEXIST,
			     _("This office already has a key (%s)."), groups);
		goto out;
	}
	if (rc != XB_ENOTFOUND)
		goto out;

	if (passphrase == NULL || *passphrase == '\0')
		flags |= GPGME_CREATE_NOPASSWD;
	else if (strchr(passphrase, '\n') != NULL) {
		rc = xb_fail_field(err, XB_EINVAL, "passphrase",
				   _("A passphrase cannot hold a line break."));
		goto out;
	} else
		gpgme_set_passphrase_cb(ctx, new_pass_cb, &np);

	if (asprintf(&uid, "%s " KEYS_UID_TAG "%s)", office_name, office_code) < 0) {
		uid = NULL;
		rc = xb_fail(err, XB_EFAIL, _("Out of memory."));
		goto out;
	}
	e = gpgme_op_createkey(ctx, uid, "future-default", 0, 0, NULL, flags);
	if (e) {
		rc = keys_gpgme_fail(err, e, _("Could not make the office key"));
		goto out;
	}
	res = gpgme_op_genkey_result(ctx);
	if (res == NULL || res->fpr == NULL ||
	    keys_fpr_norm(res->fpr, fpr, NULL) != XB_OK) {
		rc = xb_fail(err, XB_EFAIL,
			     _("GnuPG made the key but did not say its "
			       "fingerprint."));
		goto out;
	}
	rc = keys_find(ctx, fpr, 1, &key, err);
	if (rc == XB_OK)
		rc = keys_info_fill(key, out, err);
out:
	gpgme_key_unref(key);
	gpgme_release(ctx);
	free(uid);
	return rc;
}


void keys_fpr_groups(const char *fpr, char *buf, size_t len)
{
	size_t o = 0;

	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (fpr == NULL || strlen(fpr) != KEYS_FPR_LEN)
		return;
	for (size_t i = 0; i < KEYS_FPR_LEN && o + 1 < len; i++) {
		if (i > 0 && i % 4 == 0) {
			buf[o++] = ' ';
			if (o + 1 >= len)
				break;
		}
		char c = fpr[i];
		buf[o++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	buf[o] = '\0';
}
