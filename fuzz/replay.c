/* replay.c - a harness without libFuzzer: runs LLVMFuzzerTestOneInput
 * once on each file named, or on each file of each folder named. With no
 * argument it replays the committed corpus and regressions of its target,
 * the program's name after "replay_" (FUZZ_DIR/corpus/TARGET,
 * FUZZ_DIR/regressions/TARGET): so `make check`, valgrind and the
 * sanitizer build run it. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Runs the harness on one file; -1 when it cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t len = 0, cap = 4096;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf != NULL && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *more = realloc(buf, cap *= 2);
			if (more == NULL)
				free(buf);
			buf = more;
		}
	}
	int bad = buf == NULL || ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or the files of a folder in name order; the count replayed in
 * *count; -1 on a file that cannot be read. missing_ok: a folder that is
 * not there counts none. */
static int replay_path(const char *path, int missing_ok, size_t *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (missing_ok && errno == ENOENT)
			return 0;
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, NULL);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char **files = malloc(sizeof(*files) * (size_t)(n + 1));
	size_t nf = 0;
	int ret = files ? 0 : -1;
	for (int i = 0; i < n; i++) {
		char full[4096];
		if (ret == 0 && names[i]->d_name[0] != '.') {
			snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name);
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
			    (files[nf] = strdup(full)) != NULL)
				nf++;
		}
		free(names[i]);
	}
	free(names);
	if (files != NULL)
		qsort(files, nf, sizeof(*files), by_name);
	for (size_t i = 0; i < nf; i++) {
		if (ret == 0) {
			(*count)++;
			ret = replay_file(files[i]);
		}
		free(files[i]);
	}
	free(files);
	return ret;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int ret = 0;
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc && ret == 0; i++)
			ret = replay_path(argv[i], 0, &count);
	} else {
		const char *base = strrchr(argv[0], '/');
		base = base ? base + 1 : argv[0];
		if (strncmp(base, "replay_", 7) == 0)
			base += 7;
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/corpus/%s", FUZZ_DIR, base);
		ret = replay_path(dir, 0, &count);
		snprintf(dir, sizeof(dir), "%s/regressions/%s", FUZZ_DIR, base);
		if (ret == 0)
			ret = replay_path(dir, 1, &count);
	}
	printf("replayed %zu input%s\n", count, count == 1 ? "" : "s");
	return ret == 0 ? 0 : 1;
}
