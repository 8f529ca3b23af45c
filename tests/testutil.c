/* testutil.c - what the unit tests share (testutil.h). */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include <dirent.h>
#include "store/store.h"
#include "forms/ledger.h"

void tu_lang(const char *lang)
{
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	if (lang != NULL)
		setenv("LANG", lang, 1);
	else
		unsetenv("LANG");
}

void tu_pin_clock(const char *when)
{
	setenv("XIANGBAN_NOW", when, 1);
}

int tu_setup_english(void **state)
{
	(void)state;
	tu_pin_clock(TU_TODAY);
	tu_lang(NULL);
	return 0;
}

char tu_case_check(const char *d14)
{
	static const int w[14] = { 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 14; i++)
		sum += (d14[i] - '0') * w[i];
	int c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/xbtest.XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(path) == NULL)
		return NULL;
	return strdup(path);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void tu_rmtree(const char *path)
{
	if (path == NULL)
		return;
	/* nftw stops at the first file that vanished under it: go again. */
	for (int i = 0; i < 50 && access(path, F_OK) == 0; i++) {
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		struct timespec ts = { 0, 20000000L };
		if (access(path, F_OK) == 0)
			nanosleep(&ts, NULL);
	}
}

/* The users the unit tests act as, beside "clerk" (the ledger's leader,
 * made by init): at a township, clerks; at a county, its staff. */
static int tu_users(struct store *st, const char *code, struct xb_error *err)
{
	static const char *const clerks[] = { "clerk2", "member", "u", "zs" };
	if (strlen(code) == 6)
		return ledger_user_add(st, "clerk", "staff", "county", NULL, NULL,
				       NULL, err);
	for (size_t i = 0; strlen(code) == 9 && i < 4; i++) {
		int ret = ledger_user_add(st, "clerk", clerks[i], "clerk", NULL, NULL,
					  NULL, err);
		if (ret)
			return ret;
	}
	return XB_OK;
}

int tu_ledger_open(char **dir, struct store **st, const char *code,
		   const char *name, const char *phone)
{
	struct xb_error err;
	xb_error_clear(&err);
	*st = NULL;
	*dir = tu_mkdtemp();
	if (*dir == NULL) {
		perror("tu_ledger_open: mkdtemp");
		return -1;
	}
	if (store_open(*dir, st, &err) != XB_OK ||
	    (code != NULL && (ledger_init(*st, code, name, phone, "clerk", NULL, &err) != XB_OK ||
			      tu_users(*st, code, &err) != XB_OK))) {
		fprintf(stderr, "tu_ledger_open %s: %s\n", *dir, err.msg);
		return -1;
	}
	return 0;
}

void tu_ledger_close(char **dir, struct store **st)
{
	store_close(st);
	if (*dir != NULL) {
		tu_rmtree(*dir);
		free(*dir);
		*dir = NULL;
	}
}

struct tu_ledger *tu_ledger_new(const char *code, const char *name,
				const char *phone)
{
	struct tu_ledger *l = calloc(1, sizeof(*l));
	if (l != NULL && tu_ledger_open(&l->dir, &l->st, code, name, phone) != 0) {
		tu_ledger_close(&l->dir, &l->st);
		free(l);
		l = NULL;
	}
	return l;
}

int tu_ledger_teardown(void **state)
{
	struct tu_ledger *l = *state;
	if (l != NULL) {
		tu_ledger_close(&l->dir, &l->st);
		free(l);
	}
	*state = NULL;
	return 0;
}

int tu_short_dir(char dir[TU_SHORT])
{
	snprintf(dir, TU_SHORT, "/tmp/gXXXXXX");
	if (mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

int tu_office_up(struct tu_office *o, const char *code, const char *name,
		 unsigned what)
{
	return tu_office_up_pass(o, code, name, what, NULL);
}

int tu_office_up_pass(struct tu_office *o, const char *code, const char *name,
		      unsigned what, const char *pass)
{
	struct xb_error err;
	memset(o, 0, sizeof(*o));
	xb_error_clear(&err);
	if (tu_short_dir(o->dir) != 0) {
		perror("tu_office_up: mkdtemp");
		return -1;
	}
	snprintf(o->home, sizeof(o->home), "%s/h", o->dir);
	if (((what & TU_LEDGER) &&
	     (store_open(o->dir, &o->st, &err) != XB_OK ||
	      ledger_init(o->st, code, name, NULL, "clerk", NULL, &err) != XB_OK ||
	      tu_users(o->st, code, &err) != XB_OK)) ||
	    ((what & TU_KEY) &&
	     (keys_open(o->home, &o->k, &err) != XB_OK ||
	      keys_create(o->k, code, name, pass, &o->info, &err) != XB_OK))) {
		fprintf(stderr, "tu_office_up %s: %s\n", code ? code : "", err.msg);
		return -1;
	}
	return 0;
}

void tu_office_down(struct tu_office *o)
{
	keys_close(&o->k);
	store_close(&o->st);
	if (o->dir[0] == '\0')
		return;
	tu_gnupg_stop(o->home);
	tu_rmtree(o->dir);
	o->dir[0] = '\0';
}

void tu_gnupg_stop(const char *home)
{
	tu_run("gpgconf --homedir '%s' --kill all >/dev/null 2>&1", home);
}

int tu_count_files(const char *d)
{
	DIR *dh = opendir(d);
	if (dh == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dh);
	return n;
}

int tu_run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

int tu_child_start(struct tu_child *c, int (*take)(void *arg), void *arg)
{
	int down[2], up[2];
	if (pipe(down) != 0 || pipe(up) != 0)
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		char ok, cmd = 0;
		close(down[1]);
		close(up[0]);
		ok = take(arg) == 0 ? 'y' : 'n';
		if (write(up[1], &ok, 1) != 1)
			_exit(2);
		while (read(down[0], &cmd, 1) == 1 && cmd != 'd')
			;
		_exit(0); /* dies holding what it took: nothing closed */
	}
	close(down[0]);
	close(up[1]);
	c->to = down[1];
	c->from = up[0];
	char ok = 0;
	if (read(c->from, &ok, 1) != 1 || ok != 'y')
		return -1;
	return 0;
}

void tu_child_end(struct tu_child *c, int kill_it)
{
	if (kill_it) {
		kill(c->pid, SIGKILL);
		kill(c->pid, SIGCONT);
	} else if (write(c->to, "d", 1) != 1) {
		kill(c->pid, SIGKILL);
	}
	int status;
	waitpid(c->pid, &status, 0);
	close(c->to);
	close(c->from);
}

int tu_under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");
	return p != NULL && strstr(p, "vgpreload") != NULL;
}

void tu_accepts(const struct form_field *f, const char *in, const char *want)
{
	struct xb_error err = { 0 };
	char *out = NULL;
	if (form_check_value(f, in, &out, &err) != XB_OK)
		fail_msg("%s: \"%s\" refused: %s", f->key, in, err.msg);
	if (strcmp(out, want) != 0)
		fail_msg("%s: \"%s\" stored as \"%s\", not \"%s\"", f->key, in,
			 out, want);
	free(out);
}

void tu_refuses(const struct form_field *f, const char *in, const char *why)
{
	struct xb_error err = { 0 };
	char *out = NULL;
	if (form_check_value(f, in, &out, &err) != XB_EINVAL)
		fail_msg("%s: \"%s\" accepted as \"%s\"", f->key, in,
			 out ? out : "(null)");
	assert_null(out);
	assert_string_equal(err.field, f->key);
	if (strncmp(err.msg, form_label(f), strlen(form_label(f))) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg,
			 form_label(f));
	assert_msg_has(err, why);
}

/* fontconfig 2.14.1 leaks a block of its own while parsing its XML
 * configuration (a program that only calls FcInit() shows it); pango
 * reaches it when a slip or a table is drawn. LeakSanitizer reads this
 * hook in the sanitizer build of every unit test; valgrind has the same
 * in tests/valgrind.supp. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

