/* test_safe_file.c - a file written whole or not at all (common/
 * safe_file.h): it appears whole with its mode, replaces an old one, and a
 * write that fails leaves the old file and no temporary file. The faults
 * are real ones that root meets too: a folder that does not exist, a file
 * larger than the process may write (RLIMIT_FSIZE, the full disk's EFBIG),
 * a rename onto a folder. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "../common/safe_file.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	return dir == NULL;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	return 0;
}

/* dir/name into buf. */
static const char *in_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* The whole of a small file, "" when absent. */
static const char *contents(const char *path)
{
	static char buf[256];
	buf[0] = '\0';
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return buf;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_mode & 07777;
}

/* The names in dir, sorted and joined by spaces. */
static const char *listing(void)
{
	static char buf[1024];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			if (buf[0] != '\0')
				strcat(buf, " ");
			strcat(buf, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return buf;
}

static void test_whole_with_mode(void **state)
{
	(void)state;
	char path[512];
	struct xb_error err;
	mode_t old = umask(077); /* the mode asked for, whatever the umask */
	assert_int_equal(xb_file_write_safe(in_dir(path, sizeof(path), "key.asc"),
					    "hello\n", 6, 0644, &err),
			 XB_OK);
	umask(old);
	assert_string_equal(contents(path), "hello\n");
	assert_int_equal(mode_of(path), 0644);
	assert_int_equal(xb_file_write_safe(in_dir(path, sizeof(path), "slip.pdf"), "x", 1,
					    0600, &err),
			 XB_OK);
	assert_int_equal(mode_of(path), 0600);
	assert_string_equal(listing(), "key.asc slip.pdf");
}

static void test_replaces_old(void **state)
{
	(void)state;
	char path[512];
	struct xb_error err;
	in_dir(path, sizeof(path), "conf");
	assert_int_equal(xb_file_write_safe(path, "old text\n", 9, 0600, &err), XB_OK);
	assert_int_equal(xb_file_write_safe(path, "new\n", 4, 0644, &err), XB_OK);
	assert_string_equal(contents(path), "new\n");
	assert_int_equal(mode_of(path), 0644);
	assert_string_equal(listing(), "conf");
}

static void test_no_folder(void **state)
{
	(void)state;
	char path[512];
	struct xb_error err;
	struct xb_temp_file f;
	in_dir(path, sizeof(path), "none/file");
	assert_int_equal(xb_file_write_safe(path, "x", 1, 0600, &err), XB_EFAIL);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(xb_file_open_temp(&f, path, NULL, 0600, &err), XB_EFAIL);
	assert_int_equal(f.errnum, ENOENT);
	assert_int_equal(f.fd, -1);
	xb_file_abort(&f); /* harmless after a failed open */
	assert_string_equal(listing(), "");
}

/* In a child limited to files of 4 KB: a write past that fails (EFBIG,
 * as on a full disk) and must leave the old file as it was. */
static void test_failed_write_keeps_old(void **state)
{
	(void)state;
	char path[512];
	struct xb_error err;
	in_dir(path, sizeof(path), "ledger.kdf");
	assert_int_equal(xb_file_write_safe(path, "old\n", 4, 0600, &err), XB_OK);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 4096, 4096 };
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(2);
		static char big[65536];
		memset(big, 'x', sizeof(big));
		int rc = xb_file_write_safe(path, big, sizeof(big), 0600, &err);
		if (write(fds[1], err.msg, strlen(err.msg) + 1) < 0)
			_exit(3);
		_exit(rc == XB_EFAIL ? 0 : 1);
	}
	close(fds[1]);
	char msg[600] = "";
	ssize_t n = read(fds[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(msg, path));
	assert_non_null(strstr(msg, "disk is full"));
	assert_string_equal(contents(path), "old\n");
	assert_string_equal(listing(), "ledger.kdf");
}

/* A rename that fails (the path is a folder) removes the temporary file
 * and leaves what was there. */
static void test_failed_rename(void **state)
{
	(void)state;
	char path[512], inner[600];
	struct xb_error err;
	in_dir(path, sizeof(path), "taken");
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(inner, sizeof(inner), "%s/kept", path);
	assert_int_equal(xb_file_write_safe(inner, "kept\n", 5, 0600, &err), XB_OK);
	assert_int_equal(xb_file_write_safe(path, "x", 1, 0600, &err), XB_EFAIL);
	assert_non_null(strstr(err.msg, path));
	assert_string_equal(contents(inner), "kept\n");
	assert_string_equal(listing(), "taken");
}

/* The stream: the temporary file under its prefix beside the target,
 * then commit, or abort leaving the old file. */
static void test_stream(void **state)
{
	(void)state;
	char path[512];
	struct xb_error err;
	struct xb_temp_file f;
	in_dir(path, sizeof(path), "bundle.gpg");
	assert_int_equal(xb_file_write_safe(path, "old\n", 4, 0600, &err), XB_OK);

	assert_int_equal(xb_file_open_temp(&f, path, ".tmp-", 0600, &err), XB_OK);
	assert_int_equal(write(f.fd, "half", 4), 4);
	assert_non_null(strstr(f.tmp, "/.tmp-"));
	assert_int_equal(strncmp(f.tmp, dir, strlen(dir)), 0);
	xb_file_abort(&f);
	assert_null(f.tmp);
	assert_string_equal(contents(path), "old\n");
	assert_string_equal(listing(), "bundle.gpg");

	assert_int_equal(xb_file_open_temp(&f, path, ".tmp-", 0600, &err), XB_OK);
	assert_int_equal(write(f.fd, "whole\n", 6), 6);
	assert_int_equal(xb_file_commit(&f, &err), XB_OK);
	assert_true(f.renamed);
	assert_int_equal(f.fd, -1);
	xb_file_abort(&f); /* nothing after commit */
	assert_string_equal(contents(path), "whole\n");
	assert_int_equal(mode_of(path), 0600);
	assert_string_equal(listing(), "bundle.gpg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_with_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replaces_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
