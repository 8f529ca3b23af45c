/* env.c - the Berkeley DB transactional environment: finding the data
 * directory, opening with recovery, transactions, runs with retry. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"

enum {
	CACHE_BYTES = 4 * 1024 * 1024,
	LOG_BUFFER = 512 * 1024,
	LOG_FILE_BYTES = 2 * 1024 * 1024, /* small files free disk sooner */
	CHECKPOINT_KB = 1024,
	MAX_TRIES = 100,
	/* A lock refused for this long is taken for a dead process's: the
	 * environment is reopened, and recovered if a process did die. */
	LOCK_PATIENCE_MS = 2000,
	/* A write still refused after this long gives up: "busy". */
	WRITE_PATIENCE_MS = 30000,
	KEEPER_TICK_MS = 200,
	/* A process that recovers after a crash first marks the environment
	 * panicked, then waits this long (DB_SET_REG_TIMEOUT, twice) for
	 * the processes still in it to see that and leave. Berkeley DB's
	 * default is no wait: a survivor's commit or checkpoint still under
	 * way then writes to the log or the database files after the
	 * recovery has read them, and a commit reported saved is undone or
	 * a page of the recovered ledger overwritten with an older one. */
	RECOVERY_WAIT_US = 2000000,
	/* The DB_REGISTER file (Berkeley DB's own format): one slot a
	 * process, "%24lu\n", each held by an fcntl lock on its first byte
	 * while that process has the environment open. */
	REGISTRY_SLOT = 25,
};

int store_dberr(struct store *st, struct xb_error *err, int ret,
		const char *what)
{
	if (ret == 0)
		return XB_OK;
	/* Berkeley DB's own message belongs to this failure only: taken
	 * once, so a later, different failure does not repeat it. */
	char detail[sizeof(st->lasterr)];
	snprintf(detail, sizeof(detail), "%s",
		 (st && st->lasterr[0]) ? st->lasterr : db_strerror(ret));
	if (st != NULL)
		st->lasterr[0] = '\0';
	switch (ret) {
	case DB_NOTFOUND:
		return xb_fail(err, XB_ENOTFOUND, _("%s: not found."), what);
	case DB_KEYEXIST:
		return xb_fail(err, XB_EEXIST, _("%s: already exists."), what);
	case DB_LOCK_NOTGRANTED:
		if (st != NULL)
			st->suspect = 1;
		/* fall through */
	case DB_LOCK_DEADLOCK:
		return xb_fail(err, XB_EDEADLOCK,
			       _("%s: busy with another user; try again."), what);
	case DB_RUNRECOVERY:
		if (st != NULL)
			st->panicked = 1;
		return xb_fail(err, XB_EFAIL,
			       _("%s: the ledger needs recovery after a crash; "
				 "close every xiangban window and start again."),
			       what);
	case ENOSPC:
		return xb_fail(err, XB_EFAIL,
			       _("%s: the disk is full; nothing was saved."), what);
	case EACCES:
	case EPERM:
		return xb_fail(err, XB_EFAIL,
			       _("%s: permission denied (%s)."), what, detail);
	case DB_VERSION_MISMATCH:
		return xb_fail(err, XB_EFAIL,
			       _("%s: the ledger was made by another Berkeley DB "
				 "version (%s)."), what, detail);
	default:
		return xb_fail(err, XB_EFAIL, _("%s: %s"), what, detail);
	}
}

/* mkdir -p with mode 0700 for the last component. */
static int make_dirs(const char *path, struct xb_error *err)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return xb_fail(err, XB_EINVAL, _("The data directory path is too long."));
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return xb_fail(err, XB_EFAIL, _("Cannot create %s: %s"),
				       buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return xb_fail(err, XB_EFAIL, _("Cannot create %s: %s"), buf,
			       strerror(errno));
	struct stat sb;
	if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return xb_fail(err, XB_EFAIL, _("%s is not a directory."), buf);
	return XB_OK;
}

int store_default_home(char *buf, size_t len, struct xb_error *err)
{
	const char *v = getenv("XIANGBAN_HOME");
	int n;
	if (v != NULL && *v)
		n = snprintf(buf, len, "%s", v);
	else if ((v = getenv("XDG_DATA_HOME")) != NULL && *v)
		n = snprintf(buf, len, "%s/xiangban", v);
	else {
		const char *home = getenv("HOME");
		if (home == NULL || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (home == NULL)
			return xb_fail(err, XB_EFAIL,
				       _("Cannot find the home directory; set "
					 "XIANGBAN_HOME."));
		n = snprintf(buf, len, "%s/.local/share/xiangban", home);
	}
	if (n < 0 || (size_t)n >= len)
		return xb_fail(err, XB_EINVAL, _("The data directory path is too long."));
	return XB_OK;
}

static void on_error(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)pfx;
	struct store *st = env->app_private;
	if (st != NULL)
		snprintf(st->lasterr, sizeof(st->lasterr), "%s", msg);
}

static void on_event(DB_ENV *env, u_int32_t event, void *info)
{
	(void)info;
	struct store *st = env->app_private;
	if (st != NULL && (event == DB_EVENT_PANIC || event == DB_EVENT_REG_PANIC))
		st->panicked = 1;
}

/* Whether a process other than this one has the environment open now.
 * Only such a survivor of a crash is worth waiting for before recovery:
 * after a lone process's crash the next one recovers at once. */
static int others_registered(const char *home)
{
	char path[4096], slot[REGISTRY_SLOT];
	int alive = 0;
	if (snprintf(path, sizeof(path), "%s/__db.register", home) >= (int)sizeof(path))
		return 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	for (off_t pos = 0; !alive; pos += REGISTRY_SLOT) {
		ssize_t n = pread(fd, slot, sizeof(slot), pos);
		if (n <= 0)
			break;
		if (slot[0] == 'X') /* an empty slot */
			continue;
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_start = pos, .l_len = 1 };
		alive = fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
	}
	close(fd);
	return alive;
}

/* Creates and opens the DB_ENV handle, running recovery when needed. */
static int env_open(struct store *st, struct xb_error *err)
{
	DB_ENV *env;
	int ret = db_env_create(&env, 0);
	if (ret != 0)
		return store_dberr(st, err, ret, _("Opening the ledger"));
	env->app_private = st;
	env->set_errcall(env, on_error);
	env->set_event_notify(env, on_event);
	env->set_cachesize(env, 0, CACHE_BYTES, 1);
	env->set_lg_bsize(env, LOG_BUFFER);
	env->set_lg_max(env, LOG_FILE_BYTES);
	env->set_lk_detect(env, DB_LOCK_DEFAULT);
	/* Batches of 1,000 children touch many pages; the defaults run out. */
	env->set_lk_max_locks(env, 100000);
	env->set_lk_max_objects(env, 100000);
	env->set_lk_max_lockers(env, 2000);
	env->set_tx_max(env, 200);
	env->set_timeout(env, others_registered(st->home) ? RECOVERY_WAIT_US : 0,
			 DB_SET_REG_TIMEOUT);
	env->log_set_config(env, DB_LOG_AUTO_REMOVE, 1);
	u_int32_t flags = DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
			  DB_INIT_MPOOL | DB_THREAD | DB_REGISTER | DB_RECOVER;
	store_crypt_env(&st->crypt, env, &flags);
	ret = env->open(env, st->home, flags, 0600);
	if (ret != 0) {
		store_dberr(st, err, ret, _("Opening the ledger"));
		env->close(env, 0);
		return XB_EFAIL;
	}
	st->env = env;
	st->panicked = 0;
	st->lasterr[0] = '\0';
	return XB_OK;
}

/* The end of the log now, as (file, offset). */
static void log_end(DB_ENV *env, u_int32_t *file, u_int32_t *offset)
{
	DB_LOG_STAT *ls = NULL;
	*file = *offset = 0;
	if (env->log_stat(env, &ls, 0) == 0 && ls != NULL) {
		*file = ls->st_cur_file;
		*offset = ls->st_cur_offset;
	}
	free(ls);
}

/* The keeper checkpoints off the main thread (a checkpoint mutex left by
 * a process killed mid-checkpoint then stalls the keeper, not the
 * clerk): by log volume while writes go on, and, every two seconds, once
 * more after the writes stop, so the log files a checkpoint frees do not
 * wait for the next megabyte of writes. */
static void *keeper_main(void *arg)
{
	struct store *st = arg;
	struct timespec ts = { 0, KEEPER_TICK_MS * 1000000L };
	unsigned tick = 0;
	u_int32_t done_file = 0, done_offset = 0;
	while (!atomic_load(&st->keeper_stop)) {
		nanosleep(&ts, NULL);
		if (atomic_load(&st->keeper_stop) || st->panicked)
			continue;
		if (++tick % 10 != 0) {
			st->env->txn_checkpoint(st->env, CHECKPOINT_KB, 0, 0);
			continue;
		}
		u_int32_t file, offset;
		log_end(st->env, &file, &offset);
		if (file == done_file && offset == done_offset)
			continue; /* nothing written since our last one */
		if (st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE) == 0)
			log_end(st->env, &done_file, &done_offset);
	}
	return NULL;
}

static void keeper_start(struct store *st)
{
	atomic_store(&st->keeper_stop, 0);
	st->keeper_running = pthread_create(&st->keeper, NULL, keeper_main, st) == 0;
}

static void keeper_end(struct store *st)
{
	if (!st->keeper_running)
		return;
	atomic_store(&st->keeper_stop, 1);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	/* Stuck on a dead process's mutex, the keeper is left behind: the
	 * environment it used is going away with recovery anyway. */
	if (pthread_timedjoin_np(st->keeper, NULL, &until) != 0)
		pthread_detach(st->keeper);
	st->keeper_running = 0;
}

static void env_close(struct store *st)
{
	keeper_end(st);
	store_tables_close(st, st->panicked || st->suspect);
	if (st->env != NULL) {
		if (!st->panicked && !st->suspect)
			st->env->txn_checkpoint(st->env, 0, 0, 0);
		st->env->close(st->env, 0);
		st->env = NULL;
	}
}

/* Even with that wait, a commit may outlast it. So each commit also
 * writes a witness, a value of its own under this process's key in
 * meta.db; a commit that finds the environment panicked right after it
 * returned reopens the ledger (which recovers it) and reads the witness
 * back to learn whether it survived. A commit that finds no panic was
 * flushed before any recovery began, and recovery keeps it. */
static void witness_key(char *buf, size_t len)
{
	snprintf(buf, len, "witness:%ld", (long)getpid());
}

/* Whether another process has marked the environment for recovery:
 * every Berkeley DB call checks that on entry; this one is cheap. */
static int env_panicked(struct store *st)
{
	DB_LOG_STAT *ls = NULL;
	int ret = st->env->log_stat(st->env, &ls, 0);
	free(ls);
	return ret == DB_RUNRECOVERY || st->panicked;
}

/* After a commit overtaken by a recovery: XB_OK if it is in the
 * recovered ledger, XB_EDEADLOCK (run it again) if it is not, XB_EFAIL
 * if that cannot be told now. */
static int witness_confirm(struct store *st, const char *key,
			   const char *nonce, struct xb_error *err)
{
	char *found = NULL;
	st->panicked = 1;
	/* A reopen waits until this process has no cursor open. */
	int ret = st->in_use > 0 ? XB_EFAIL : store_meta_get(st, NULL, key, &found, err);
	if (ret != XB_OK) {
		free(found);
		st->commit_unknown = 1;
		return xb_fail(err, XB_EFAIL,
			       _("Saving: another xiangban window crashed at "
				 "the same moment and the ledger was recovered; "
				 "look whether this change is there before you "
				 "enter it again."));
	}
	int kept = found != NULL && strcmp(found, nonce) == 0;
	free(found);
	if (!kept)
		return xb_fail(err, XB_EDEADLOCK,
			       _("Saving: another xiangban window crashed at "
				 "the same moment; nothing was saved. Try "
				 "again."));
	store_after_commit(st);
	return XB_OK;
}

/* Removes this process's witness on a clean close, so witnesses do not
 * pile up under the process numbers of years of use. Durability is not
 * needed: a witness left behind only takes a few bytes. */
static void witness_drop(struct store *st)
{
	DB_TXN *txn;
	char key[32];
	DBT k;
	if (!st->witnessed || st->env == NULL || st->panicked || st->suspect)
		return;
	if (st->env->txn_begin(st->env, NULL, &txn,
			       DB_TXN_NOWAIT | DB_TXN_NOSYNC) != 0)
		return;
	witness_key(key, sizeof(key));
	store_dbt_in(&k, key, strlen(key));
	int ret = st->db[T_META]->del(st->db[T_META], txn, &k, 0);
	if (ret == 0 || ret == DB_NOTFOUND)
		txn->commit(txn, 0);
	else
		txn->abort(txn);
}

int store_open(const char *home, struct store **out, struct xb_error *err)
{
	return store_open_pass(home, NULL, out, err);
}

/* Frees a store that is closed or never opened. */
static void store_free(struct store *st)
{
	explicit_bzero(&st->crypt, sizeof(st->crypt));
	free(st->home);
	free(st);
}

/* Whether home holds a ledger already (a database or a log file). */
static int ledger_there(const char *home)
{
	char path[4200];
	struct stat sb;
	snprintf(path, sizeof(path), "%s/%s", home, store_tables[T_META].file);
	if (stat(path, &sb) == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/log.0000000001", home);
	return stat(path, &sb) == 0;
}

int store_create_encrypted(const char *home, const char *passphrase,
			   struct store **out, struct xb_error *err)
{
	*out = NULL;
	int ret = make_dirs(home, err);
	if (ret)
		return ret;
	if (store_encrypted(home))
		return xb_fail(err, XB_EEXIST,
			       _("The ledger in %s is encrypted already."), home);
	if (ledger_there(home))
		return xb_fail(err, XB_EEXIST,
			       _("%s holds a ledger already, not encrypted: an "
				 "existing ledger cannot be switched to "
				 "encryption; an encrypted ledger starts in a "
				 "new, empty folder (--home)."),
			       home);
	struct store_crypt c;
	ret = store_crypt_create(home, passphrase, &c, err);
	if (ret == XB_OK)
		ret = store_open_pass(home, passphrase, out, err);
	explicit_bzero(&c, sizeof(c));
	return ret;
}

int store_open_pass(const char *home, const char *passphrase,
		    struct store **out, struct xb_error *err)
{
	int major, minor;
	*out = NULL;
	db_version(&major, &minor, NULL);
	if (major != DB_VERSION_MAJOR || minor != DB_VERSION_MINOR)
		return xb_fail(err, XB_EFAIL,
			       _("Berkeley DB %d.%d is installed but xiangban "
				 "was built with %d.%d; rebuild it."),
			       major, minor, DB_VERSION_MAJOR, DB_VERSION_MINOR);
	int ret = make_dirs(home, err);
	if (ret)
		return ret;
	struct store *st = calloc(1, sizeof(*st));
	if (st == NULL || (st->home = strdup(home)) == NULL) {
		free(st);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	if (store_encrypted(home) &&
	    (ret = store_crypt_load(home, passphrase, &st->crypt, err)) != XB_OK) {
		store_free(st);
		return ret;
	}
	if ((ret = env_open(st, err)) || (ret = store_tables_open(st, err))) {
		env_close(st);
		store_free(st);
		return ret;
	}
	keeper_start(st);
	*out = st;
	return XB_OK;
}

void store_close(struct store **stp)
{
	if (stp == NULL || *stp == NULL)
		return;
	witness_drop(*stp);
	env_close(*stp);
	store_crypt_remove_regions((*stp)->home, &(*stp)->crypt);
	store_free(*stp);
	*stp = NULL;
}

const char *store_home(const struct store *st)
{
	return st->home;
}

int store_reopen(struct store *st, struct xb_error *err)
{
	st->panicked = 1; /* no checkpoint on a panicked environment */
	env_close(st);
	int ret = env_open(st, err);
	if (ret == XB_OK)
		ret = store_tables_open(st, err);
	if (ret == XB_OK) {
		st->suspect = 0;
		keeper_start(st);
	} else {
		/* Leave nothing half open: st->env NULL says "reopen first"
		 * to every entry point, and the next heal tries again. */
		env_close(st);
		st->panicked = 1;
	}
	return ret;
}

int store_heal(struct store *st, struct xb_error *err)
{
	if ((!st->panicked && !st->suspect) || st->in_use > 0)
		return XB_OK;
	return store_reopen(st, err);
}

void store_after_commit(struct store *st)
{
	/* The keeper thread checkpoints by log volume; counted here for
	 * the statistics only. */
	st->commits++;
}

int store_checkpoint(struct store *st, struct xb_error *err)
{
	if (st->env == NULL) /* a reopen failed */
		return store_dberr(st, err, DB_RUNRECOVERY, _("Checkpoint"));
	int ret = st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE);
	if (ret == 0)
		ret = st->env->log_archive(st->env, NULL, DB_ARCH_REMOVE);
	return store_dberr(st, err, ret, _("Checkpoint"));
}

int store_txn_begin(struct store *st, struct store_txn **out,
		    struct xb_error *err)
{
	*out = NULL;
	st->commit_unknown = 0;
	struct store_txn *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	/* No environment after a failed reopen: the next heal retries it. */
	int ret = st->env == NULL ? DB_RUNRECOVERY
				  : st->env->txn_begin(st->env, NULL, &t->txn,
						       DB_TXN_NOWAIT);
	if (ret != 0) {
		free(t);
		return store_dberr(st, err, ret, _("Starting a transaction"));
	}
	t->st = st;
	st->in_use++;
	*out = t;
	return XB_OK;
}

int store_txn_commit(struct store_txn **tp, struct xb_error *err)
{
	struct store_txn *t = *tp;
	struct store *st = t->st;
	char key[32], nonce[64];
	struct timespec now;
	*tp = NULL;
	witness_key(key, sizeof(key));
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(nonce, sizeof(nonce), "%u.%lld.%09ld", st->commits,
		 (long long)now.tv_sec, now.tv_nsec);
	int ret = store_audit_runs_write(t, err);
	if (ret == XB_OK)
		ret = store_counters_flush(t, err);
	if (ret == XB_OK)
		ret = store_meta_put(st, t->txn, key, nonce, err);
	store_counters_free(t);
	store_audit_runs_free(t);
	if (ret != XB_OK) {
		*tp = t;
		store_txn_abort(tp);
		return ret;
	}
	ret = t->txn->commit(t->txn, 0);
	st->in_use--;
	free(t);
	/* A commit that met the panic may have logged its commit record
	 * before it failed: only the witness tells whether it is kept. */
	if (ret == DB_RUNRECOVERY) {
		st->panicked = 1;
		st->witnessed = 1;
		return witness_confirm(st, key, nonce, err);
	}
	if (ret != 0)
		return store_dberr(st, err, ret, _("Saving"));
	st->witnessed = 1;
	if (env_panicked(st))
		return witness_confirm(st, key, nonce, err);
	store_after_commit(st);
	return XB_OK;
}

void store_txn_abort(struct store_txn **tp)
{
	if (tp == NULL || *tp == NULL)
		return;
	(*tp)->txn->abort((*tp)->txn);
	(*tp)->st->in_use--;
	store_counters_free(*tp);
	store_audit_runs_free(*tp);
	free(*tp);
	*tp = NULL;
}

/* Milliseconds from a to b. */
static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L + (b->tv_nsec - a->tv_nsec) / 1000000L;
}

/* Sleeps a little longer after each refused lock, with jitter so two
 * processes do not collide again in step. */
static void back_off(int attempt)
{
	long ms = 1 + (long)(rand() % (attempt < 10 ? attempt + 1 : 10));
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
}

int store_read_retry(struct store *st, int ret, struct store_wait *w,
		     int attempt)
{
	if (ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED) {
		if (store_wait_lock(st, &w->since, attempt))
			return 1;
		/* Refused for too long: the holder may be dead. Reopening
		 * recovers the ledger if so; then the read runs again. */
		if (w->heals >= 10 || st->in_use > 0 || store_heal(st, NULL) != XB_OK)
			return 0;
		w->heals++;
		w->since.tv_sec = w->since.tv_nsec = 0;
		return 1;
	}
	/* Another process crashed and a third recovered the ledger: reopen
	 * (no cursor of ours may be open) and read again. */
	if (ret == DB_RUNRECOVERY && w->heals < 10 && st->in_use == 0) {
		w->heals++;
		st->panicked = 1;
		if (store_heal(st, NULL) == XB_OK)
			return 1;
		back_off(attempt);
		return 1; /* the reopen met a recovery in progress: again */
	}
	return 0;
}

int store_wait_lock(struct store *st, struct timespec *since, int attempt)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since->tv_sec == 0 && since->tv_nsec == 0)
		*since = now;
	if (ms_between(since, &now) > LOCK_PATIENCE_MS) {
		st->suspect = 1;
		return 0;
	}
	back_off(attempt);
	return 1;
}

int store_read_begin(struct store *st, DB_TXN **txn)
{
	/* After a failed reopen there is no environment: DB_RUNRECOVERY
	 * makes store_read_retry try the reopen again. */
	if (st->env == NULL) {
		*txn = NULL;
		return DB_RUNRECOVERY;
	}
	return st->env->txn_begin(st->env, NULL, txn,
				  DB_TXN_NOWAIT | DB_READ_COMMITTED);
}

int store_run(struct store *st, store_txn_fn fn, void *arg,
	      struct xb_error *err)
{
	int ret = XB_EFAIL;
	struct timespec first = { 0, 0 }, now;
	for (int attempt = 0;; attempt++) {
		struct store_txn *t;
		if ((ret = store_heal(st, err)) != XB_OK) {
			/* The reopen met another process's recovery
			 * starting: wait a little and reopen again. */
			if (st->panicked && attempt < MAX_TRIES) {
				back_off(attempt);
				continue;
			}
			return ret;
		}
		xb_error_clear(err);
		ret = store_txn_begin(st, &t, err);
		if (ret == XB_OK) {
			ret = fn(st, t, arg, err);
			if (ret == XB_OK)
				ret = store_txn_commit(&t, err);
			else
				store_txn_abort(&t);
		}
		if (ret == XB_EDEADLOCK) {
			/* Refused a lock: another writer, or a dead one whose
			 * locks stay until the environment is recovered (the
			 * patience running out marks it for healing, done at
			 * the top of the loop). */
			store_wait_lock(st, &first, attempt);
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (ms_between(&first, &now) < WRITE_PATIENCE_MS)
				continue;
			return ret;
		}
		if (ret == XB_EFAIL && st->panicked && !st->commit_unknown &&
		    attempt < MAX_TRIES)
			continue; /* another process died: recover and rerun */
		return ret;
	}
}
