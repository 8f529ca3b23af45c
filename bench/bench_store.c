/* bench_store.c - the storage benchmark (bench/README.md): how fast a
 * township's ledger loads, and how fast the lookups a clerk makes all day
 * answer, with how much memory.
 *
 * --encrypt (after the count) makes or opens the ledger encrypted at rest.
 *
 *   bench_store --home DIR load N [--seed S]
 *       N synthetic children with 5 visits each (and reports for about one
 *       in twenty), 1,000 children per durable transaction
 *   bench_store --home DIR query Q [--seed S]
 *       Q random lookups of each kind: by case number, by ID number, and
 *       name-prefix searches (first 20), with p50/p99/max latency, then
 *       the peak resident set of the process
 *
 * Output is one "key=value ..." line per figure, for bench/run.sh to put
 * in a table. Progress goes to stderr. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "demo/demo.h"
#include "forms/ledger.h"

#define USER "bench"
#define VISITS 5
#define BATCH 1000
/* --encrypt: the ledger encrypted at rest (synthetic data: the passphrase
 * needs no secrecy here). */
#define BENCH_PASSPHRASE "bench passphrase"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss; /* kilobytes on Linux */
}

static int die(const char *what, const struct xb_error *err)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, err->msg);
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_store --home DIR load N [--seed S] [--encrypt]\n"
			"       bench_store --home DIR query Q [--seed S] [--encrypt]\n");
	exit(2);
}

/* --- load ------------------------------------------------------------------ */

struct progress {
	double start;
	int tty;
};

static int on_progress(size_t done, size_t total, void *arg)
{
	struct progress *p = arg;
	if (done % (BATCH * 10) == 0 || done == total) {
		double t = now_s() - p->start;
		fprintf(stderr, "%sloaded %zu of %zu children (%.0f/s)%s",
			p->tty ? "\r" : "", done, total, t > 0 ? (double)done / t : 0.0,
			p->tty && done < total ? "" : "\n");
	}
	return 0;
}

static int cmd_load(struct store *st, size_t n, uint64_t seed)
{
	struct xb_error err;
	char town[13];
	xb_error_clear(&err);
	int ret = ledger_office(st, town, &err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(&err);
		ret = ledger_init(st, "220221100", "某某镇", NULL, USER, NULL, &err);
	}
	if (ret != XB_OK)
		return die("init", &err);
	uint64_t before = 0, vbefore = 0, rbefore = 0, after = 0, vafter = 0,
		 rafter = 0;
	store_count(st, STORE_CHILD, &before, &err);
	store_count(st, STORE_VISIT, &vbefore, &err);
	store_count(st, STORE_REPORT, &rbefore, &err);

	struct progress p = { now_s(), isatty(2) };
	double t0 = now_s();
	ret = synth_fill(st, n, VISITS, BATCH, seed, USER, on_progress, &p, &err);
	double secs = now_s() - t0;
	if (ret != XB_OK)
		return die("load", &err);
	store_count(st, STORE_CHILD, &after, &err);
	store_count(st, STORE_VISIT, &vafter, &err);
	store_count(st, STORE_REPORT, &rafter, &err);
	uint64_t children = after - before, visits = vafter - vbefore,
		 reports = rafter - rbefore;
	printf("load children=%" PRIu64 " visits=%" PRIu64 " reports=%" PRIu64
	       " seconds=%.2f children_per_s=%.0f visits_per_s=%.0f rss_kb=%ld\n",
	       children, visits, reports, secs, (double)children / secs,
	       (double)visits / secs, peak_rss_kb());
	return 0;
}

/* --- query ----------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform sample of up to cap strings from a stream (reservoir), so
 * picking keys costs memory for the sample only, not for the ledger. */
struct sample {
	char **items;
	size_t n, cap;
	uint64_t seen;
};

static int sample_add(struct sample *s, const char *v)
{
	if (v == NULL || *v == '\0')
		return 0;
	s->seen++;
	size_t slot;
	if (s->n < s->cap)
		slot = s->n++;
	else if ((slot = (size_t)(rnd() % s->seen)) >= s->cap)
		return 0;
	char *copy = strdup(v);
	if (copy == NULL)
		return -1;
	free(s->items[slot]);
	s->items[slot] = copy;
	return 0;
}

static void sample_free(struct sample *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, int64_t *ns, size_t n, uint64_t found)
{
	qsort(ns, n, sizeof(*ns), cmp_i64);
	size_t p99 = n ? (n * 99 + 99) / 100 - 1 : 0;
	printf("query op=%s n=%zu found=%" PRIu64 " p50_us=%.1f p99_us=%.1f "
	       "max_us=%.1f\n",
	       what, n, found, n ? (double)ns[n / 2] / 1000 : 0.0,
	       n ? (double)ns[p99] / 1000 : 0.0, n ? (double)ns[n - 1] / 1000 : 0.0);
}

struct hits {
	size_t n;
};

static int count_hit(const struct store_record *child, void *arg)
{
	(void)child;
	((struct hits *)arg)->n++;
	return 0;
}

/* The first one or two characters of a name (UTF-8). */
static void name_prefix(const char *name, int chars, char *out, size_t len)
{
	size_t i = 0;
	const unsigned char *p = (const unsigned char *)name;
	while (p[i] != '\0' && chars > 0) {
		i++;
		while ((p[i] & 0xC0) == 0x80)
			i++;
		chars--;
	}
	if (i >= len)
		i = len - 1;
	memcpy(out, name, i);
	out[i] = '\0';
}

static int cmd_query(struct store *st, size_t q, uint64_t seed)
{
	struct xb_error err;
	xb_error_clear(&err);
	rng_state = seed;

	/* the keys: one pass over the children, not timed */
	struct sample cases = { calloc(q, sizeof(char *)), 0, q, 0 };
	struct sample ids = { calloc(q, sizeof(char *)), 0, q, 0 };
	struct sample names = { calloc(q, sizeof(char *)), 0, q, 0 };
	if (!cases.items || !ids.items || !names.items) {
		fprintf(stderr, "bench_store: out of memory\n");
		return 1;
	}
	struct store_iter *it;
	struct store_record *c;
	int ret;
	uint64_t total = 0;
	double t0 = now_s();
	if (store_iter_open(st, STORE_CHILD, STORE_BY_ID, STORE_ALL, NULL, &it,
			    &err))
		return die("listing the children", &err);
	while ((ret = store_iter_next(it, &c, NULL, &err)) == 1) {
		total++;
		if (sample_add(&cases, c->id) || sample_add(&ids, store_record_get(c, FK_id_number)) ||
		    sample_add(&names, store_record_get(c, FK_name))) {
			fprintf(stderr, "bench_store: out of memory\n");
			return 1;
		}
		store_record_free(&c);
	}
	store_iter_close(&it);
	if (ret < 0)
		return die("listing the children", &err);
	if (total == 0) {
		fprintf(stderr, "bench_store: the ledger is empty; load it first\n");
		return 1;
	}
	double scan = now_s() - t0;
	printf("scan children=%" PRIu64 " seconds=%.2f\n", total, scan);

	int64_t *ns = malloc(q * sizeof(*ns));
	if (ns == NULL) {
		fprintf(stderr, "bench_store: out of memory\n");
		return 1;
	}

	/* open a file by its case number */
	uint64_t found = 0;
	for (size_t i = 0; i < q; i++) {
		const char *key = cases.items[rnd() % cases.n];
		int64_t a = now_ns();
		ret = store_get(st, NULL, STORE_CHILD, key, &c, &err);
		ns[i] = now_ns() - a;
		if (ret != XB_OK)
			return die("reading a child", &err);
		found++;
		store_record_free(&c);
	}
	report("case_number", ns, q, found);

	/* look up an ID number */
	found = 0;
	for (size_t i = 0; i < q && ids.n > 0; i++) {
		const char *key = ids.items[rnd() % ids.n];
		int64_t a = now_ns();
		ret = store_iter_open(st, STORE_CHILD, STORE_BY_IDNUM, STORE_EXACT, key,
				      &it, &err);
		if (ret == XB_OK) {
			ret = store_iter_next(it, &c, NULL, &err);
			store_iter_close(&it);
		}
		ns[i] = now_ns() - a;
		if (ret < 0)
			return die("looking up an ID number", &err);
		found += ret == 1;
		store_record_free(&c);
	}
	report("id_number", ns, ids.n > 0 ? q : 0, found);

	/* type the first one or two characters of a name: the first 20 */
	found = 0;
	for (size_t i = 0; i < q; i++) {
		char prefix[16];
		name_prefix(names.items[rnd() % names.n], 1 + (int)(rnd() % 2), prefix,
			    sizeof(prefix));
		struct hits h = { 0 };
		int64_t a = now_ns();
		ret = ledger_search(st, prefix, 20, count_hit, &h, &err);
		ns[i] = now_ns() - a;
		if (ret != XB_OK)
			return die("searching by name", &err);
		found += h.n;
	}
	report("name_prefix_20", ns, q, found);

	printf("memory peak_rss_kb=%ld\n", peak_rss_kb());
	free(ns);
	sample_free(&cases);
	sample_free(&ids);
	sample_free(&names);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[1], "--home") != 0)
		usage();
	const char *home = argv[2], *cmd = argv[3];
	char *end;
	unsigned long long n = strtoull(argv[4], &end, 10);
	if (*end != '\0' || n == 0)
		usage();
	uint64_t seed = 1;
	int encrypt = 0;
	for (int i = 5; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--encrypt") == 0)
			encrypt = 1;
		else
			usage();
	}
	int load = strcmp(cmd, "load") == 0;
	if (!load && strcmp(cmd, "query") != 0)
		usage();
	struct store *st;
	struct xb_error err;
	xb_error_clear(&err);
	double t0 = now_s();
	int ret;
	if (encrypt && load && !store_encrypted(home))
		ret = store_create_encrypted(home, BENCH_PASSPHRASE, &st, &err);
	else
		ret = store_open_pass(home, encrypt ? BENCH_PASSPHRASE : NULL, &st, &err);
	if (ret != XB_OK)
		return die("opening the ledger", &err);
	printf("open encrypted=%d seconds=%.3f\n", encrypt, now_s() - t0);
	int rc = load ? cmd_load(st, (size_t)n, seed) : cmd_query(st, (size_t)n, seed);
	store_close(&st);
	return rc;
}
