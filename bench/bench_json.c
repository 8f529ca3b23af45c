/* bench_json.c - what jansson alone costs on a bundle's plaintext, for
 * bench/bundle.sh to print beside gpg: a floor under export and import,
 * which cannot be faster than their JSON (bench/README.md).
 *
 *   bench_json FILE
 *       FILE holds JSON lines (a bundle decrypted by gpg). Times, each over
 *       every line:
 *       parse  json_loadb and json_decref, as an import reads a line
 *       write  a fresh copy of the line's objects (json_deep_copy) dumped
 *              compact into one reused buffer, as an export makes a line
 *
 * Output: one "key=value ..." line per figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct lines {
	char **text;
	size_t *len;
	size_t n, cap, bytes;
};

static int lines_read(FILE *f, struct lines *l)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (l->n == l->cap) {
			size_t c = l->cap ? 2 * l->cap : 4096;
			char **t = realloc(l->text, c * sizeof(*t));
			if (t == NULL)
				return -1;
			l->text = t;
			size_t *len = realloc(l->len, c * sizeof(*len));
			if (len == NULL)
				return -1;
			l->len = len;
			l->cap = c;
		}
		l->text[l->n] = malloc((size_t)n);
		if (l->text[l->n] == NULL)
			return -1;
		memcpy(l->text[l->n], line, (size_t)n);
		l->len[l->n++] = (size_t)n;
		l->bytes += (size_t)n;
	}
	free(line);
	return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_json FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	struct lines l = { 0 };
	if (f == NULL || lines_read(f, &l) != 0) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);

	double t0 = now_s();
	for (size_t i = 0; i < l.n; i++) {
		json_t *o = json_loadb(l.text[i], l.len[i], JSON_REJECT_DUPLICATES, NULL);
		if (o == NULL) {
			fprintf(stderr, "bench_json: line %zu is not JSON\n", i + 1);
			return 1;
		}
		json_decref(o);
	}
	double parse = now_s() - t0;

	/* the objects to write, made outside the timing */
	json_t **obj = malloc(l.n * sizeof(*obj));
	if (obj == NULL)
		return 1;
	for (size_t i = 0; i < l.n; i++)
		obj[i] = json_loadb(l.text[i], l.len[i], 0, NULL);
	size_t cap = 1 << 20, out = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		return 1;
	t0 = now_s();
	for (size_t i = 0; i < l.n; i++) {
		json_t *copy = json_deep_copy(obj[i]);
		out += json_dumpb(copy, buf, cap, JSON_COMPACT) + 1;
		json_decref(copy);
	}
	double write = now_s() - t0;

	printf("lines=%zu bytes=%zu\n", l.n, l.bytes);
	printf("parse seconds=%.3f\n", parse);
	printf("write seconds=%.3f bytes=%zu\n", write, out);
	for (size_t i = 0; i < l.n; i++) {
		json_decref(obj[i]);
		free(l.text[i]);
	}
	free(obj);
	free(buf);
	free(l.text);
	free(l.len);
	return 0;
}
