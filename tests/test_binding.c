/* test_binding.c - binding another office's key to its code (issue 11):
 * keys_bind_check and keys_peer_bind / _replace / _revoke with a real
 * ledger and real keys, some made by gpg itself with user IDs that hold
 * CR, LF and escapes (gpg keeps every byte). A ledger runs a keeper
 * thread and GPGME forks gpg: like test_bundle, this one is checked for
 * leaks by LeakSanitizer, not valgrind (tools/check-all.sh). Every home's
 * agent is stopped at the end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "../forms/ledger.h"
#include "../keys/keys.h"

/* A county ledger whose key folder learns other offices' keys. */
static struct tu_office county;
static char bwork[TU_SHORT]; /* key files and the homes that made them */

/* Makes a key with user ID uid (any bytes: gpg takes CR, LF and ESC) in
 * a throwaway home with gpg itself, exports it to bwork/<file> and fills
 * *info from peeking at that file. */
static void gpg_key(const char *uid, const char *file, struct keys_info *info)
{
	char home[64], path[64];
	const char *gpg = getenv("GPG") && *getenv("GPG") ? getenv("GPG") : "gpg";
	snprintf(home, sizeof(home), "%s/%.8s.h", bwork, file);
	assert_int_equal(mkdir(home, 0700), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 1);
		dup2(devnull, 2);
		/* Without the charset, gpg reads the argument in the locale's
		 * (ASCII under LANG=C) and stores UTF-8 encoded twice. */
		execlp(gpg, gpg, "--homedir", home, "--display-charset", "utf-8", "--batch",
		       "--pinentry-mode", "loopback",
		       "--passphrase", "", "--quick-gen-key", uid, "future-default", "default",
		       "never", (char *)NULL);
		_exit(127);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	snprintf(path, sizeof(path), "%s/%s", bwork, file);
	assert_int_equal(tu_run("'%s' --homedir '%s' --armor --export >'%s' 2>/dev/null", gpg,
				home, path),
			 0);
	tu_gnupg_stop(home);
	struct xb_error err;
	assert_int_equal(keys_peek_file(county.k, path, info, &err), XB_OK);
}

/* Checks, imports and binds (or replaces) like the CLI does. */
static int bind_file(const char *file, const char *code, int replace,
		     struct keys_bind_plan *plan, struct xb_error *err)
{
	char path[64];
	struct keys_info info, got;
	snprintf(path, sizeof(path), "%s/%s", bwork, file);
	int ret = keys_peek_file(county.k, path, &info, err);
	if (ret == XB_OK)
		ret = keys_bind_check(county.st, county.k, code, &info, replace, plan, err);
	if (ret == XB_OK)
		ret = keys_import_file_expect(county.k, path, info.fpr, &got, err);
	if (ret == XB_OK)
		ret = (replace ? keys_peer_replace : keys_peer_bind)(
			county.st, county.k, code, NULL, got.fpr, "王科长", err);
	return ret;
}

static int bind_setup(void **state)
{
	(void)state;
	tu_pin_clock("2026-12-01T10:00:00");
	if (tu_short_dir(bwork) != 0 ||
	    tu_office_up(&county, "220221", "示范县民政局", TU_LEDGER | TU_KEY) != 0)
		return -1;
	return 0;
}

static int bind_teardown(void **state)
{
	(void)state;
	tu_office_down(&county);
	tu_rmtree(bwork);
	return 0;
}

/* No byte of a terminal escape, line break or bidi override in s. */
static void assert_shows_safe(const char *s)
{
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\r'));
	assert_null(strchr(s, '\n'));
	assert_null(strstr(s, "\xE2\x80\xAE"));
}

static void test_bind_rules(void **state)
{
	struct xb_error err;
	struct keys_bind_plan plan;
	struct keys_info t1, t2, plain, plain2, evil, fw, t1b;
	(void)state;
	gpg_key("城关镇 (xiangban 220221100)", "t1.asc", &t1);
	gpg_key("河口镇 (xiangban 220221200)", "t2.asc", &t2);
	gpg_key("Plain Office <plain@example.org>", "plain.asc", &plain);
	gpg_key("Other Office <other@example.org>", "plain2.asc", &plain2);
	gpg_key("城关镇 (xiangban 220221100)\r\nFingerprint: 0000 1111 2222 3333 4444 "
		"5555 6666 7777 8888 9999 (xiangban 220221300)\x1b[30;40m\xE2\x80\xAE",
		"evil.asc", &evil);
	gpg_key("某镇（２２０２２１３００）", "fw.asc", &fw);
	gpg_key("城关镇新钥 (xiangban 220221100)", "t1b.asc", &t1b);
	/* gpg kept every byte: the user ID is the spoof itself */
	assert_non_null(strchr(evil.uid, '\x1b'));
	assert_non_null(strstr(evil.uid, "\r\n"));

	/* a key whose user ID names another office, in any form */
	assert_int_equal(bind_file("t1.asc", "220221200", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "names office 220221100");
	assert_int_equal(bind_file("evil.asc", "220221100", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "names office 220221300");
	assert_shows_safe(err.msg);
	assert_int_equal(bind_file("fw.asc", "220221100", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "names office 220221300");
	struct keys_info none;
	assert_int_equal(keys_lookup(county.k, evil.fpr, &none, &err), XB_ENOTFOUND);
	/* not an office code, our own code */
	assert_int_equal(bind_file("plain.asc", "22022", 0, &plan, &err), XB_EINVAL);
	assert_int_equal(bind_file("plain.asc", "220221", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "own code");

	/* the first binding; the same again is no change of key */
	assert_int_equal(bind_file("t1.asc", "220221100", 0, &plan, &err), XB_OK);
	assert_string_equal(plan.old_fpr, "");
	assert_int_equal(bind_file("t1.asc", "220221100", 0, &plan, &err), XB_OK);
	assert_true(plan.same);

	/* another key for a bound office needs the explicit replacement */
	assert_int_equal(bind_file("plain.asc", "220221100", 0, &plan, &err), XB_EEXIST);
	assert_msg_has(err, "keys replace 220221100");
	struct keys_peer p;
	assert_int_equal(keys_peer_get(county.st, "220221100", &p, &err), XB_OK);
	assert_string_equal(p.fpr, t1.fpr);

	/* one key speaks for one office */
	assert_int_equal(bind_file("plain.asc", "220221200", 0, &plan, &err), XB_OK);
	assert_int_equal(bind_file("plain.asc", "220221300", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "office 220221200's key");

	/* replacing: nothing bound, the same key, then a real one */
	assert_int_equal(bind_file("plain2.asc", "220221900", 1, &plan, &err), XB_ENOTFOUND);
	assert_int_equal(bind_file("t1.asc", "220221100", 1, &plan, &err), XB_EEXIST);
	assert_int_equal(bind_file("t2.asc", "220221200", 1, &plan, &err), XB_OK);
	assert_string_equal(plan.old_fpr, plain.fpr);
	assert_int_equal(keys_peer_get(county.st, "220221200", &p, &err), XB_OK);
	assert_string_equal(p.fpr, t2.fpr);
	struct keys_peer_event *ev;
	size_t n;
	assert_int_equal(keys_peer_history(county.st, "220221200", &ev, &n, &err), XB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].action, "bind");
	assert_string_equal(ev[0].fpr, plain.fpr);
	assert_string_equal(ev[1].action, "replace");
	assert_string_equal(ev[1].fpr, t2.fpr);
	assert_string_equal(ev[1].old_fpr, plain.fpr);
	assert_string_equal(ev[1].by, "王科长");
	assert_true(ev[1].at > 0);
	free(ev);
	/* the key replaced stays that office's: not another's */
	assert_int_equal(bind_file("plain.asc", "220221300", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "office 220221200's key");

	/* a revoked key is never bound again, to any office */
	assert_int_equal(bind_file("plain2.asc", "220221300", 0, &plan, &err), XB_OK);
	assert_int_equal(keys_peer_revoke(county.st, "220221300", "王科长", &err), XB_OK);
	assert_int_equal(bind_file("plain2.asc", "220221300", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "revoked");
	assert_int_equal(bind_file("plain2.asc", "220221400", 0, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "revoked");
	/* its office takes a new key without replace (the old one is revoked),
	 * and the revoked key stays refused after that */
	assert_int_equal(keys_peer_revoke(county.st, "220221100", "王科长", &err), XB_OK);
	assert_int_equal(bind_file("t1b.asc", "220221100", 0, &plan, &err), XB_OK);
	assert_string_equal(plan.old_fpr, t1.fpr);
	assert_true(plan.old_revoked);
	assert_int_equal(bind_file("t1.asc", "220221100", 1, &plan, &err), XB_EINVAL);
	assert_msg_has(err, "revoked");
	assert_int_equal(keys_peer_history(county.st, "220221100", &ev, &n, &err), XB_OK);
	assert_int_equal(n, 4); /* bind, bind again, revoke, the new key */
	assert_string_equal(ev[2].action, "revoke");
	assert_string_equal(ev[2].fpr, t1.fpr);
	assert_string_equal(ev[3].action, "replace");
	assert_string_equal(ev[3].old_fpr, t1.fpr);
	free(ev);
}

/* A key's name, as the peers list shows it, comes from the user ID made
 * safe. */
static void test_bind_name_from_uid(void **state)
{
	struct xb_error err;
	struct keys_bind_plan plan;
	struct keys_info k;
	(void)state;
	gpg_key("新\x1b]0;pwned\x07镇(试点) (xiangban 220221500)", "named.asc", &k);
	assert_int_equal(bind_file("named.asc", "220221500", 0, &plan, &err), XB_OK);
	struct keys_peer p;
	assert_int_equal(keys_peer_get(county.st, "220221500", &p, &err), XB_OK);
	assert_string_equal(p.name, "新\xEF\xBF\xBD]0;pwned\xEF\xBF\xBD镇(试点)");
	char other[32];
	assert_int_equal(keys_uid_other_office("A (xiangban 220221500)", "220221500",
					       other, sizeof(other)),
			 0);
	assert_int_equal(keys_uid_other_office("A 2202215001", "220221500", other,
					       sizeof(other)),
			 0); /* ten digits: not an office code */
	assert_int_equal(keys_uid_other_office("A (xiangban x\x1b[2J)", "220221500", other,
					       sizeof(other)),
			 1);
	assert_null(strchr(other, '\x1b'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_rules, bind_setup, bind_teardown),
		cmocka_unit_test_setup_teardown(test_bind_name_from_uid, bind_setup,
						bind_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
