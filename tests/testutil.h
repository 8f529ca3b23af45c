/* testutil.h - what the cmocka unit tests share: cmocka's headers in the
 * order it needs, checks on messages, the language and the clock, and
 * throwaway ledgers, GnuPG homes and helper processes. */
#ifndef XB_TESTUTIL_H
#define XB_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/types.h>

#include "keys/keys.h"
#include "utf8.h"

struct form_field;

struct store;

/* --- messages -------------------------------------------------------- */

/* Fails with the message when err's message lacks the text. */
#define assert_msg_has(err, text)                                            \
	do {                                                                 \
		if (strstr((err).msg, (text)) == NULL)                       \
			fail_msg("message \"%s\" lacks \"%s\"", (err).msg,   \
				 (text));                                    \
	} while (0)

/* --- language and clock ---------------------------------------------- */

/* One language whatever the environment says: LANGUAGE, LC_ALL and
 * LC_MESSAGES unset, LANG set to lang (unset when NULL). The library's
 * labels follow these (form_lang_is_zh); gettext stays in the C locale,
 * as no unit test calls setlocale, so messages are English. */
void tu_lang(const char *lang);
/* Pins the clock (XIANGBAN_NOW, common/clock.h) for repeatable tests. */
void tu_pin_clock(const char *when);
/* The day the tests' clock is pinned to, unless a test says otherwise. */
#define TU_TODAY "2026-11-29"
/* A cmocka setup: the clock pinned to TU_TODAY and English (tu_lang). */
int tu_setup_english(void **state);

/* --- reference values -------------------------------------------------- */

/* The case-number check character of 14 digits: weights 2^(14-i) mod 11
 * written out, independent of form_mod11_2. */
char tu_case_check(const char *d14);

/* --- folders and ledgers --------------------------------------------- */

/* Makes a fresh directory under $TMPDIR (or /tmp); returns it malloc'd. */
char *tu_mkdtemp(void);
/* Removes a directory tree, again while files vanish under it (a GnuPG
 * agent being stopped unlinks its sockets). */
void tu_rmtree(const char *path);
/* A ledger in a fresh folder from tu_mkdtemp: *dir (malloc'd) and *st;
 * when code is not NULL, the office's ledger made by "clerk" (name and
 * phone as ledger_init takes them). 0, or -1 saying why on stderr. */
int tu_ledger_open(char **dir, struct store **st, const char *code,
		   const char *name, const char *phone);
/* Closes the store and removes the folder (NULL-safe). */
void tu_ledger_close(char **dir, struct store **st);
/* The same as one fixture: tu_ledger_new's result, or NULL saying why. */
struct tu_ledger {
	char *dir;
	struct store *st;
};
struct tu_ledger *tu_ledger_new(const char *code, const char *name,
				const char *phone);
/* A cmocka teardown: closes and frees the tu_ledger in *state. */
int tu_ledger_teardown(void **state);

/* --- GnuPG ------------------------------------------------------------ */

/* A GnuPG agent's socket must fit KEYS_SOCKET_MAX: homes live in folders
 * "/tmp/gXXXXXX", whatever TMPDIR says, of TU_SHORT bytes. */
#define TU_SHORT 32
/* Makes such a folder into dir. 0 or -1. */
int tu_short_dir(char dir[TU_SHORT]);

/* One office: a short folder, its GnuPG home dir/h and, as asked, its
 * ledger in dir and its key. */
struct tu_office {
	char dir[TU_SHORT];
	char home[TU_SHORT + 8];
	struct store *st;
	struct keys *k;
	struct keys_info info;
};
enum {
	TU_LEDGER = 1, /* the office's ledger in dir (ledger_init) */
	TU_KEY = 2,    /* keys_open on home and keys_create, no passphrase */
};
/* Sets up o (zeroed first) for office code and name; with neither flag
 * only the folder is made (home not yet). 0, or -1 saying why. */
int tu_office_up(struct tu_office *o, const char *code, const char *name,
		 unsigned what);
/* The same, the office key protected by pass (NULL or "": none). */
int tu_office_up_pass(struct tu_office *o, const char *code, const char *name,
		      unsigned what, const char *pass);
/* Closes what o has, stops its home's agent and removes its folder;
 * again is harmless. */
void tu_office_down(struct tu_office *o);
/* Stops the GnuPG agent of home: gpgconf --homedir HOME --kill all. */
void tu_gnupg_stop(const char *home);

/* The entries of folder d but . and .. (a temporary file left behind
 * counts); -1 when d cannot be read. */
int tu_count_files(const char *d);

/* Runs a shell command; its exit status (-1 if it did not run). */
int tu_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- helper processes ------------------------------------------------- */

/* A forked helper that takes something and holds it: it runs take(arg),
 * says on a pipe whether that worked, and waits for tu_child_end. Fork
 * only with no other thread running (close stores first): under
 * valgrind, a child forked from threads never finishes its _exit. */
struct tu_child {
	pid_t pid;
	int to, from; /* pipe ends: commands to it, its answer */
};
/* 0 once the helper's take returned 0; -1 otherwise. */
int tu_child_start(struct tu_child *c, int (*take)(void *arg), void *arg);
/* Ends it and reaps it: kill_it sends SIGKILL (and SIGCONT, if it was
 * stopped); otherwise it is told to _exit at once, closing nothing, so it
 * dies holding what it took. */
void tu_child_end(struct tu_child *c, int kill_it);
/* Whether this test runs under valgrind (which tests that fork skip). */
int tu_under_valgrind(void);

/* Checks that the field f takes `in` and stores `want`. */
void tu_accepts(const struct form_field *f, const char *in, const char *want);
/* Checks that f refuses `in` with a message holding `why`, starting with
 * the field's label and naming the field. */
void tu_refuses(const struct form_field *f, const char *in, const char *why);

#endif
