/* writer.c - a driver for the crash and concurrency tests (tests/crash.sh,
 * tests/concurrent.sh): it writes to a ledger the way the program does and
 * says on stdout exactly what it committed, so a test can kill it at any
 * instant and then check that every committed record is there, whole.
 *
 * An encrypted ledger's passphrase: `writer --home DIR --passphrase-fd N
 * CMD ...` reads it as one line from fd N.
 *
 *   writer --home DIR init [--office CODE] [--name NAME]
 *   writer --home DIR add N [--seed S] [--pause MS]
 *       N synthetic children, one transaction each; the case number of
 *       each printed (and flushed) after its commit, MS milliseconds
 *       apart
 *   writer --home DIR bump CASE N
 *       N transactions, each reading the child under the transaction and
 *       adding 1 to the number kept in its notes; prints the last value
 *   writer --home DIR get CASE FIELD
 *       prints a field of a child
 *   writer --home DIR taint CASE USER TEXT
 *       writes, past every check of forms/, as USER (changed_by and the
 *       history's user) the child's notes and a visit CASE/V90 whose
 *       visitor is TEXT: what an old or hostile ledger may hold, for the
 *       output tests (tests/output_sanitise.sh)
 *   writer --home DIR hold SECONDS
 *       keeps the ledger open, "open" printed once it is
 *   writer --home DIR lock CASE SECONDS
 *       changes the child's notes in a transaction kept open SECONDS
 *       ("locked" printed), then commits
 *   writer --home DIR put KIND ID ORIGIN [KEY=VALUE ...]
 *       stores a record of kind (office, child, visit, report, step) as
 *       an import would, with no check: a forged record for `check` to
 *       find
 *   writer --home DIR oldstep REPORT STEP DATE BY
 *       adds a step to a report and moves its stage past every check of
 *       forms/, as xiangban before accounts let a county do to a
 *       township's report: a change on the other side, for conflicts
 *   writer --home DIR verify FILE
 *       checks the children whose case numbers FILE lists, and every
 *       child of the ledger, for completeness, and the summary's kept
 *       counts against a recount; "verified N" or what is wrong (exit 1)
 *
 * Exit status: 0 done, 1 failed (message on stderr), 2 usage. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo/demo.h"
#include "forms/ledger.h"
#include "common/clock.h"

/* Who writes: the tests' user ($XIANGBAN_USER, a user of the ledgers
 * they make), else "writer" (who becomes the leader of a ledger the
 * writer sets up itself). */
static const char *writer_user(void)
{
	const char *u = getenv("XIANGBAN_USER");
	return u && *u ? u : "writer";
}
#define USER writer_user()

static void usage(void)
{
	fprintf(stderr,
		"usage: writer --home DIR init [--office CODE] [--name NAME]\n"
		"       writer --home DIR add N [--seed S] [--pause MS]\n"
		"       writer --home DIR bump CASE N\n"
		"       writer --home DIR get CASE FIELD\n"
		"       writer --home DIR taint CASE USER TEXT\n"
		"       writer --home DIR verify FILE\n"
		"       writer --home DIR hold SECONDS\n"
		"       writer --home DIR lock CASE SECONDS\n"
		"       writer --home DIR put KIND ID ORIGIN [KEY=VALUE ...]\n");
	exit(2);
}

static int fail(const char *what, const struct xb_error *err)
{
	fprintf(stderr, "writer: %s: %s\n", what, err->msg);
	return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end != '\0' || *s == '-')
		return -1;
	*out = v;
	return 0;
}

/* --- init ------------------------------------------------------------------ */

static int cmd_init(struct store *st, int argc, char **argv)
{
	const char *office = "220221100", *name = "某某镇";
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--office") == 0 && i + 1 < argc)
			office = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else
			usage();
	}
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_init(st, office, name, NULL, USER, NULL, &err) != XB_OK)
		return fail("init", &err);
	return 0;
}

/* --- add ------------------------------------------------------------------- */

static int cmd_add(struct store *st, int argc, char **argv)
{
	uint64_t n, seed = 1, pause_ms = 0;
	if (argc < 1 || parse_u64(argv[0], &n) != 0)
		usage();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			if (parse_u64(argv[++i], &seed) != 0)
				usage();
		} else if (strcmp(argv[i], "--pause") == 0 && i + 1 < argc) {
			if (parse_u64(argv[++i], &pause_ms) != 0)
				usage();
		} else {
			usage();
		}
	}
	struct xb_error err;
	xb_error_clear(&err);
	char town[13], today[11];
	if (ledger_office(st, town, &err) != XB_OK)
		return fail("add", &err);
	/* the children's responsible members are users of the ledger */
	if (synth_register_members(st, USER, &err) != XB_OK)
		return fail("add", &err);
	struct synth *s = synth_new(seed, town);
	if (s == NULL) {
		fprintf(stderr, "writer: add: %s is not a township code\n", town);
		return 1;
	}
	int rc = 0;
	uint64_t done = 0, dup = 0;
	while (done < n) {
		xb_today(today, sizeof(today));
		struct store_record *c = synth_child(s, today);
		if (c == NULL) {
			fprintf(stderr, "writer: add: out of memory\n");
			rc = 1;
			break;
		}
		int ret = ledger_child_add(st, NULL, c, USER, &err);
		if (ret == XB_EEXIST && strcmp(err.field, "id_number") == 0 &&
		    dup++ < 1000) {
			/* another run's child has this ID number: nothing was
			 * written; make another child */
			store_record_free(&c);
			continue;
		}
		if (ret != XB_OK) {
			store_record_free(&c);
			rc = fail("add", &err);
			break;
		}
		/* committed: only now may the test count it */
		printf("%s\n", c->id);
		fflush(stdout);
		store_record_free(&c);
		done++;
		if (pause_ms > 0) {
			struct timespec ts = { (time_t)(pause_ms / 1000),
					       (long)(pause_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	synth_free(&s);
	return rc;
}

/* --- bump ------------------------------------------------------------------ */

struct bump {
	const char *case_no;
	long long value; /* written by the last committed run */
};

static int bump_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct bump *b = arg;
	struct store_record *c;
	/* under the transaction: read for update, so no one else reads the
	 * old value before we write the new one */
	int ret = store_get(st, txn, STORE_CHILD, b->case_no, &c, err);
	if (ret)
		return ret;
	const char *notes = store_record_get(c, FK_notes);
	long long v = 0;
	if (notes != NULL && *notes != '\0') {
		char *end;
		v = strtoll(notes, &end, 10);
		if (*end != '\0') {
			store_record_free(&c);
			return xb_fail(err, XB_EINVAL,
				       "the notes of %s hold \"%s\", not a number",
				       b->case_no, notes);
		}
	}
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", v + 1);
	ret = store_record_set(c, FK_notes, buf);
	if (ret == XB_OK)
		ret = store_update(st, txn, c, USER, "update", err);
	store_record_free(&c);
	if (ret == XB_OK)
		b->value = v + 1;
	return ret;
}

static int cmd_bump(struct store *st, int argc, char **argv)
{
	uint64_t n;
	if (argc != 2 || parse_u64(argv[1], &n) != 0)
		usage();
	struct bump b = { argv[0], -1 };
	struct xb_error err;
	for (uint64_t i = 0; i < n; i++) {
		xb_error_clear(&err);
		if (store_run(st, bump_fn, &b, &err) != XB_OK)
			return fail("bump", &err);
	}
	printf("%lld\n", b.value);
	return 0;
}

/* --- get ------------------------------------------------------------------- */

static int cmd_get(struct store *st, int argc, char **argv)
{
	if (argc != 2)
		usage();
	struct xb_error err;
	struct store_record *c;
	xb_error_clear(&err);
	if (store_get(st, NULL, STORE_CHILD, argv[0], &c, &err) != XB_OK)
		return fail("get", &err);
	const char *v = store_record_get(c, argv[1]);
	printf("%s\n", v ? v : "");
	store_record_free(&c);
	return 0;
}

/* --- taint ---------------------------------------------------------------- */

static int cmd_taint(struct store *st, int argc, char **argv)
{
	if (argc != 3)
		usage();
	struct xb_error err;
	struct store_record *c, *v = store_record_new(STORE_VISIT);
	char id[96];
	xb_error_clear(&err);
	if (v == NULL || store_get(st, NULL, STORE_CHILD, argv[0], &c, &err) != XB_OK) {
		store_record_free(&v);
		return fail("taint", &err);
	}
	int ret = store_record_set(c, FK_notes, argv[2]);
	if (ret == XB_OK)
		ret = store_update(st, NULL, c, argv[1], "update", &err);
	snprintf(id, sizeof(id), "%s/V90", argv[0]);
	if (ret == XB_OK && (store_record_set_id(v, id) || store_record_set(v, FK_case_no, argv[0]) ||
			     store_record_set(v, FK_date, "2026-11-20") ||
			     store_record_set(v, FK_visitor, argv[2]) ||
			     store_record_set(v, FK_kind, "home")))
		ret = xb_fail(&err, XB_EFAIL, "out of memory");
	if (ret == XB_OK)
		ret = store_insert(st, NULL, v, argv[1], &err);
	store_record_free(&c);
	store_record_free(&v);
	return ret == XB_OK ? 0 : fail("taint", &err);
}

/* --- hold ----------------------------------------------------------------- */

/* Keeps the ledger open (registered, as every process is) for SECONDS, then
 * closes it: killed meanwhile, it is a process that died with the ledger
 * open, and the next one to open it recovers it. "open" on stdout says when
 * the opening, and any recovery it ran, is done. */
static int cmd_hold(struct store *st, int argc, char **argv)
{
	(void)st;
	uint64_t secs;
	if (argc != 1 || parse_u64(argv[0], &secs) != 0)
		usage();
	printf("open\n");
	fflush(stdout);
	struct timespec ts = { (time_t)secs, 0 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 0;
}

/* --- lock ----------------------------------------------------------------- */

/* Holds a child's record locked the way a slow save does: its notes
 * changed (no index key changes) in a transaction left open. */
static int cmd_lock(struct store *st, int argc, char **argv)
{
	uint64_t secs;
	if (argc != 2 || parse_u64(argv[1], &secs) != 0)
		usage();
	struct xb_error err;
	struct store_txn *txn;
	struct store_record *c;
	xb_error_clear(&err);
	if (store_txn_begin(st, &txn, &err) != XB_OK)
		return fail("lock", &err);
	if (store_get(st, txn, STORE_CHILD, argv[0], &c, &err) != XB_OK ||
	    store_record_set(c, FK_notes, "locked") != XB_OK ||
	    store_update(st, txn, c, USER, "update", &err) != XB_OK) {
		store_record_free(&c);
		store_txn_abort(&txn);
		return fail("lock", &err);
	}
	store_record_free(&c);
	printf("locked\n");
	fflush(stdout);
	struct timespec ts = { (time_t)secs, 0 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return store_txn_commit(&txn, &err) == XB_OK ? 0 : fail("lock", &err);
}

/* --- verify ---------------------------------------------------------------- */

struct problems {
	unsigned long n;
};

static void problem(struct problems *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct problems *p, const char *fmt, ...)
{
	va_list ap;
	if (p->n++ < 50) { /* enough to see what went wrong */
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
}

/* Whether an index lists the child under key. */
static int index_has(struct store *st, enum store_index index, const char *key,
		     const char *case_no, struct xb_error *err)
{
	struct store_iter *it;
	struct store_record *r;
	int found = 0, ret;
	if ((ret = store_iter_open(st, STORE_CHILD, index, STORE_EXACT, key, &it,
				   err)) != XB_OK)
		return ret;
	while (!found && (ret = store_iter_next(it, &r, NULL, err)) == 1) {
		found = strcmp(r->id, case_no) == 0;
		store_record_free(&r);
	}
	store_iter_close(&it);
	return ret < 0 ? ret : found;
}

struct created {
	const char *id;
	int found;
};

static int find_create(const struct store_audit *a, void *arg)
{
	struct created *c = arg;
	if (a->kind == STORE_CHILD && a->record_id != NULL &&
	    strcmp(a->record_id, c->id) == 0 && a->action != NULL &&
	    strcmp(a->action, "create") == 0) {
		c->found = 1;
		return 1;
	}
	return 0;
}

/* Checks one child record: it decodes (it did, to get here), holds every
 * required field, its index entries are there and its history begins
 * with its creation. */
static void check_child(struct store *st, const struct store_record *c,
			struct problems *p)
{
	struct xb_error err;
	size_t n;
	const struct form_field *f = form_fields(STORE_CHILD, &n);
	xb_error_clear(&err);
	for (size_t i = 0; i < n; i++) {
		const char *v = store_record_get(c, f[i].key);
		if ((f[i].flags & FORM_REQUIRED) && (v == NULL || *v == '\0'))
			problem(p, "%s: required field %s is missing", c->id, f[i].key);
	}
	const char *cn = store_record_get(c, FK_case_no);
	if (cn == NULL || strcmp(cn, c->id) != 0)
		problem(p, "%s: its case_no field is %s", c->id, cn ? cn : "missing");
	if (store_record_get(c, FK_status) == NULL)
		problem(p, "%s: no status", c->id);
	if (c->version == 0 || c->changed_by == NULL || c->origin == NULL)
		problem(p, "%s: metadata missing (version %u)", c->id, c->version);

	const char *keys[3][2] = {
		{ "name", NULL }, { "name_py", NULL }, { "id_number", NULL },
	};
	keys[0][1] = store_record_get(c, FK_name);
	keys[1][1] = store_record_get(c, FK_name_py);
	keys[2][1] = store_record_get(c, FK_id_number);
	for (int i = 0; i < 3; i++) {
		const char *k = keys[i][1];
		if (k == NULL || *k == '\0')
			continue;
		int r = index_has(st, i == 2 ? STORE_BY_IDNUM : STORE_BY_NAME, k,
				  c->id, &err);
		if (r < 0)
			problem(p, "%s: reading the %s index: %s", c->id, keys[i][0],
				err.msg);
		else if (r == 0)
			problem(p, "%s: not in the index by %s (%s)", c->id,
				keys[i][0], k);
	}
	struct created cr = { c->id, 0 };
	if (store_history(st, c->id, find_create, &cr, &err) != XB_OK)
		problem(p, "%s: reading its history: %s", c->id, err.msg);
	else if (!cr.found)
		problem(p, "%s: no \"create\" entry in its history", c->id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks a whole index: every entry must lead to a child that decodes. */
static uint64_t walk_index(struct store *st, enum store_index index,
			   const char *name, struct problems *p)
{
	struct store_iter *it;
	struct store_record *r;
	struct xb_error err;
	uint64_t n = 0;
	int ret;
	xb_error_clear(&err);
	if (store_iter_open(st, STORE_CHILD, index, STORE_ALL, NULL, &it, &err)) {
		problem(p, "cannot open the %s index: %s", name, err.msg);
		return 0;
	}
	while ((ret = store_iter_next(it, &r, NULL, &err)) == 1) {
		n++;
		store_record_free(&r);
	}
	if (ret < 0)
		problem(p, "the %s index is broken after %" PRIu64 " entries: %s",
			name, n, err.msg);
	store_iter_close(&it);
	return n;
}

static int cmd_verify(struct store *st, int argc, char **argv)
{
	if (argc != 1)
		usage();
	FILE *fp = fopen(argv[0], "r");
	if (fp == NULL) {
		fprintf(stderr, "writer: verify: %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	struct problems p = { 0 };
	struct xb_error err;
	xb_error_clear(&err);

	/* the committed case numbers, each once */
	char **cases = NULL;
	size_t ncases = 0, cap = 0;
	char line[256];
	unsigned long lineno = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		size_t len = strcspn(line, "\r\n");
		int whole = line[len] == '\n';
		line[len] = '\0';
		if (len == 0)
			continue;
		if (form_case_check(line, NULL) != XB_OK) {
			/* a writer killed in the middle of a line has not
			 * finished printing, so it must be the last */
			if (!whole && feof(fp))
				continue;
			problem(&p, "%s:%lu: \"%s\" is not a case number", argv[0],
				lineno, line);
			continue;
		}
		if (ncases == cap) {
			cap = cap ? cap * 2 : 1024;
			char **np = realloc(cases, cap * sizeof(*np));
			if (np == NULL) {
				fprintf(stderr, "writer: verify: out of memory\n");
				return 1;
			}
			cases = np;
		}
		if ((cases[ncases++] = strdup(line)) == NULL) {
			fprintf(stderr, "writer: verify: out of memory\n");
			return 1;
		}
	}
	fclose(fp);
	qsort(cases, ncases, sizeof(*cases), cmp_str);
	size_t distinct = 0;
	for (size_t i = 0; i < ncases; i++) {
		if (i > 0 && strcmp(cases[i], cases[i - 1]) == 0) {
			/* printed twice: two commits got one case number */
			problem(&p, "%s was reported committed twice", cases[i]);
			continue;
		}
		distinct++;
		struct store_record *c;
		int ret = store_get(st, NULL, STORE_CHILD, cases[i], &c, &err);
		if (ret == XB_ENOTFOUND) {
			problem(&p, "%s: committed but not in the ledger", cases[i]);
			continue;
		}
		if (ret != XB_OK) {
			problem(&p, "%s: cannot be read: %s", cases[i], err.msg);
			continue;
		}
		check_child(st, c, &p);
		store_record_free(&c);
	}

	/* every child of the ledger, listed or not: no partial record */
	struct store_iter *it;
	struct store_record *c;
	uint64_t all = 0;
	int ret;
	if (store_iter_open(st, STORE_CHILD, STORE_BY_ID, STORE_ALL, NULL, &it,
			    &err) != XB_OK) {
		problem(&p, "cannot list the children: %s", err.msg);
	} else {
		while ((ret = store_iter_next(it, &c, NULL, &err)) == 1) {
			all++;
			if (!bsearch(&c->id, cases, ncases, sizeof(*cases), cmp_str))
				check_child(st, c, &p);
			store_record_free(&c);
		}
		if (ret < 0)
			problem(&p, "listing the children failed after %" PRIu64
				    ": %s", all, err.msg);
		store_iter_close(&it);
	}
	if (all < distinct)
		problem(&p, "the ledger holds %" PRIu64 " children but %zu were "
			    "committed", all, distinct);
	uint64_t count = 0;
	if (store_count(st, STORE_CHILD, &count, &err) != XB_OK)
		problem(&p, "cannot count the children: %s", err.msg);
	else if (count != all)
		problem(&p, "the children table counts %" PRIu64 " but holds %" PRIu64,
			count, all);
	walk_index(st, STORE_BY_NAME, FK_name, &p);
	walk_index(st, STORE_BY_IDNUM, "ID number", &p);
	walk_index(st, STORE_BY_VILLAGE, FK_village, &p);
	uint64_t by_status = walk_index(st, STORE_BY_STATUS, FK_status, &p);
	if (by_status != all)
		problem(&p, "the status index holds %" PRIu64 " entries for %" PRIu64
			    " children", by_status, all);
	/* The summary's kept counts moved with every commit, and with
	 * nothing a killed transaction did. */
	char today[11];
	int agree = 0;
	xb_today(today, sizeof(today));
	if (ledger_counts_check(st, today, &agree, &err) != XB_OK)
		problem(&p, "cannot check the kept counts: %s", err.msg);
	else if (!agree)
		problem(&p, "the kept counts disagree with a recount of the records");

	for (size_t i = 0; i < ncases; i++)
		free(cases[i]);
	free(cases);
	if (p.n > 0) {
		printf("FAILED: %lu problems (%zu committed, %" PRIu64
		       " in the ledger)\n", p.n, distinct, all);
		return 1;
	}
	printf("verified %zu (%" PRIu64 " children in the ledger)\n", distinct, all);
	return 0;
}

/* --- main ------------------------------------------------------------------ */

struct oldstep_arg {
	char **argv;
};

static int oldstep_fn(struct store *st, struct store_txn *txn, void *arg,
		      struct xb_error *err)
{
	char **argv = ((struct oldstep_arg *)arg)->argv;
	struct store_record *r = NULL, *s = store_record_new(STORE_STEP);
	char prefix[96], id[128];
	uint64_t serial;
	snprintf(prefix, sizeof(prefix), "%s/S", argv[0]);
	int ret = store_get(st, txn, STORE_REPORT, argv[0], &r, err);
	if (ret == XB_OK)
		ret = store_serial_under(st, txn, STORE_STEP, prefix, 2, &serial, err);
	if (ret == XB_OK) {
		snprintf(id, sizeof(id), "%s%02" PRIu64, prefix, serial);
		store_record_set_id(s, id);
		store_record_set_origin(s, r->origin);
		store_record_set(s, FK_report_id, argv[0]);
		store_record_set(s, FK_step, argv[1]);
		store_record_set(s, FK_date, argv[2]);
		store_record_set(s, FK_by, argv[3]);
		ret = store_insert(st, txn, s, USER, err);
	}
	if (ret == XB_OK) {
		store_record_set(r, FK_stage, argv[1]);
		ret = store_update(st, txn, r, USER, "step", err);
	}
	store_record_free(&r);
	store_record_free(&s);
	return ret;
}

static int cmd_oldstep(struct store *st, int argc, char **argv)
{
	if (argc != 4)
		usage();
	struct oldstep_arg a = { argv };
	struct xb_error err;
	xb_error_clear(&err);
	int ret = store_run(st, oldstep_fn, &a, &err);
	return ret == XB_OK ? 0 : fail("oldstep", &err);
}

static int cmd_put(struct store *st, int argc, char **argv)
{
	if (argc < 3)
		usage();
	enum store_kind kind = 0;
	for (int k = STORE_OFFICE; k <= STORE_KIND_MAX; k++)
		if (strcmp(argv[0], store_kind_name(k)) == 0)
			kind = k;
	if (kind == 0)
		usage();
	struct store_record *rec = store_record_new(kind);
	struct xb_error err;
	xb_error_clear(&err);
	store_record_set_id(rec, argv[1]);
	store_record_set_origin(rec, argv[2]);
	rec->version = 1;
	rec->changed_at = xb_now();
	rec->changed_by = strdup(USER);
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL)
			usage();
		*eq = '\0';
		store_record_set(rec, argv[i], eq + 1);
	}
	int ret = store_put_as_is(st, NULL, rec, USER, "import", &err);
	store_record_free(&rec);
	return ret == XB_OK ? 0 : fail("put", &err);
}

/* One line of fd N: an encrypted ledger's passphrase. */
static int read_pass(const char *fdarg, char *buf, size_t len)
{
	int fd = atoi(fdarg);
	size_t n = 0;
	char ch;
	while (n + 1 < len && read(fd, &ch, 1) == 1 && ch != '\n')
		buf[n++] = ch;
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char pass[256] = "";
	int have_pass = 0;
	if (argc >= 6 && strcmp(argv[1], "--home") == 0 &&
	    strcmp(argv[3], "--passphrase-fd") == 0) {
		if (read_pass(argv[4], pass, sizeof(pass)) != 0)
			usage();
		have_pass = 1;
		argv[4] = argv[2];
		argv[3] = argv[1];
		argv += 2;
		argc -= 2;
	}
	if (argc < 4 || strcmp(argv[1], "--home") != 0)
		usage();
	const char *home = argv[2], *cmd = argv[3];
	int (*fn)(struct store *, int, char **) = NULL;
	if (strcmp(cmd, "init") == 0)
		fn = cmd_init;
	else if (strcmp(cmd, "add") == 0)
		fn = cmd_add;
	else if (strcmp(cmd, "bump") == 0)
		fn = cmd_bump;
	else if (strcmp(cmd, "get") == 0)
		fn = cmd_get;
	else if (strcmp(cmd, "taint") == 0)
		fn = cmd_taint;
	else if (strcmp(cmd, "verify") == 0)
		fn = cmd_verify;
	else if (strcmp(cmd, "hold") == 0)
		fn = cmd_hold;
	else if (strcmp(cmd, "lock") == 0)
		fn = cmd_lock;
	else if (strcmp(cmd, "put") == 0)
		fn = cmd_put;
	else if (strcmp(cmd, "oldstep") == 0)
		fn = cmd_oldstep;
	else
		usage();
	struct store *st;
	struct xb_error err;
	xb_error_clear(&err);
	int oret = store_open_pass(home, have_pass ? pass : NULL, &st, &err);
	explicit_bzero(pass, sizeof(pass));
	if (oret != XB_OK)
		return fail("opening the ledger", &err);
	int rc = fn(st, argc - 4, argv + 4);
	store_close(&st);
	return rc;
}
