/* env.c - the Berkeley DB transactional environment: finding the data
 * directory, opening with recovery, transactions, runs with retry. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "private.h"
#include "../common/i18n.h"

enum {
	CACHE_BYTES = 4 * 1024 * 1024,
	LOG_BUFFER = 512 * 1024,
	LOG_FILE_BYTES = 2 * 1024 * 1024, /* small files free disk sooner */
	/* A checkpoint writes every changed page to the tables and flushes
	 * each file: twenty-odd flushes. It runs once this much log has been
	 * written since the last; a commit costs one log flush, and recovery
	 * replays at most this much log. Not by time: a clerk's command once
	 * an hour would then pay for one each time. */
	CHECKPOINT_KB = 1024,
	/* A lock refused for this long: if a process died registered in the
	 * environment, it is reopened, which recovers it. */
	LOCK_PATIENCE_MS = 2000,
	KEEPER_TICK_MS = 200,
	/* A lock request that may block (opening a table, Berkeley DB's own
	 * transactions) gives up after this long (DB_SET_LOCK_TIMEOUT); the
	 * keeper's deadlock detector runs every tick and expires it, since
	 * Berkeley DB checks timeouts only when the detector runs. */
	LOCK_TIMEOUT_US = 1000000,
	/* A transaction older than this waits for no lock (DB_SET_TXN_TIMEOUT). */
	TXN_TIMEOUT_US = 30000000,
	/* Berkeley DB's table of threads in the environment, for failchk
	 * (DB_ENV->set_thread_count): all processes' threads together. */
	THREAD_SLOTS = 1000,
	/* failchk runs at most this often while a wait of ours runs long. */
	FAILCHK_MS = 1000,
	/* No entry into Berkeley DB for this long while a thread sleeps on a
	 * region mutex: stalled for good (guard_main). Short enough that the
	 * program tells the user within the store's 30 s. */
	STALL_MS = 20000,
	GUARD_TICK_MS = 500,
	/* A process that recovers after a crash first marks the environment
	 * panicked, then waits this long (DB_SET_REG_TIMEOUT, twice) for
	 * the processes still in it to see that and leave. Berkeley DB's
	 * default is no wait: a survivor's commit or checkpoint still under
	 * way then writes to the log or the database files after the
	 * recovery has read them, and a commit reported saved is undone or
	 * a page of the recovered ledger overwritten with an older one. */
	RECOVERY_WAIT_US = 2000000,
};

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

/* Berkeley DB's informational messages (failchk says what it freed) go
 * nowhere: the library prints nothing. */
static void on_message(const DB_ENV *env, const char *msg)
{
	(void)env;
	(void)msg;
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
	struct registry_scan r;
	store_registry_scan(home, &r);
	return r.alive > 0;
}

/* Threads of this process that entered Berkeley DB, for is_alive: a
 * thread that ended without closing what it had open is dead to
 * failchk, though its process lives. Berkeley DB knows a thread by what
 * thread_id gives it: not pthread_self(), which a new thread takes again
 * as soon as an old one ends, but a number of its own, never given
 * twice. The live threads' numbers are kept here, each put on a thread's
 * first call (Berkeley DB calls thread_id on every entry) and taken off
 * by a thread-specific destructor when the thread ends. */
enum { LIVE_THREADS = 1024 };
static uintptr_t live[LIVE_THREADS]; /* 0: a free slot */
static pid_t live_ktid[LIVE_THREADS]; /* the kernel's id of each, for guard */
static int live_full; /* a thread went unnoted: an unknown number lives */
static uintptr_t thread_serial;
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t live_key;
static pthread_once_t live_once = PTHREAD_ONCE_INIT;
static int live_key_ok;

static void thread_ended(void *id)
{
	pthread_mutex_lock(&live_mu);
	for (int i = 0; i < LIVE_THREADS; i++)
		if (live[i] == (uintptr_t)id)
			live[i] = 0;
	pthread_mutex_unlock(&live_mu);
}

static void live_init(void)
{
	live_key_ok = pthread_key_create(&live_key, thread_ended) == 0;
}

/* The calling thread's number, given and noted on its first call; 0 when
 * a thread-specific key cannot be had. */
static uintptr_t this_thread(void)
{
	pthread_once(&live_once, live_init);
	if (!live_key_ok)
		return 0;
	uintptr_t id = (uintptr_t)pthread_getspecific(live_key);
	if (id != 0)
		return id;
	pthread_mutex_lock(&live_mu);
	id = ++thread_serial;
	int i = 0;
	while (i < LIVE_THREADS && live[i] != 0)
		i++;
	if (i < LIVE_THREADS) {
		live[i] = id;
		live_ktid[i] = (pid_t)syscall(SYS_gettid);
	} else {
		live_full = 1;
	}
	pthread_mutex_unlock(&live_mu);
	pthread_setspecific(live_key, (void *)id);
	return id;
}

/* This process's id, asked of the kernel once (and again in a child after
 * fork): thread_id runs on every entry into Berkeley DB, and a getpid()
 * system call there took half of a ledger read's time. */
static atomic_int own_pid;

static void forget_pid(void)
{
	atomic_store(&own_pid, 0);
}

static void note_pid_once(void)
{
	pthread_atfork(NULL, NULL, forget_pid);
}

static pid_t self_pid(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pid_t pid = (pid_t)atomic_load_explicit(&own_pid, memory_order_relaxed);
	if (pid != 0)
		return pid;
	pthread_once(&once, note_pid_once);
	pid = getpid();
	atomic_store(&own_pid, (int)pid);
	return pid;
}

/* DB_ENV->set_thread_id: called on every entry into Berkeley DB. It also
 * counts entries, the store's sign of progress (the keeper's own calls
 * are not progress). */
static void thread_id(DB_ENV *env, pid_t *pid, db_threadid_t *tid)
{
	struct store *st = env->app_private;
	uintptr_t id = this_thread();
	/* Either may be NULL: only the other is wanted. */
	if (pid != NULL)
		*pid = self_pid();
	if (tid != NULL)
		*tid = (db_threadid_t)(id != 0 ? id : (uintptr_t)pthread_self());
	if (st != NULL && !(st->keeper_running && pthread_equal(pthread_self(), st->keeper)))
		atomic_fetch_add(&st->entries, 1);
}

/* DB_ENV->set_isalive: another process lives while kill(pid, 0) finds it
 * (a stopped one too, and one whose pid was taken again); a thread of
 * ours while its number is noted live. */
static int is_alive(DB_ENV *env, pid_t pid, db_threadid_t tid, u_int32_t flags)
{
	(void)env;
	if (pid != self_pid())
		return kill(pid, 0) == 0 || errno == EPERM;
	if ((flags & DB_MUTEX_PROCESS_ONLY) || !live_key_ok)
		return 1;
	pthread_mutex_lock(&live_mu);
	int alive = live_full;
	for (int i = 0; i < LIVE_THREADS && !alive; i++)
		alive = live[i] == (uintptr_t)tid;
	pthread_mutex_unlock(&live_mu);
	return alive;
}


/* Monotonic milliseconds. */
static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Creates a DB_ENV handle set up as every process of the ledger uses it. */
static int env_create(struct store *st, DB_ENV **out)
{
	DB_ENV *env;
	int ret = db_env_create(&env, 0);
	if (ret != 0)
		return ret;
	env->app_private = st;
	env->set_errcall(env, on_error);
	env->set_msgcall(env, on_message);
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
	/* Failure checking (DB_ENV->failchk): Berkeley DB keeps a table of
	 * the threads inside it and asks is_alive about them; a dead one's
	 * transaction is aborted and its locks freed. The table is made
	 * with the environment's regions. */
	env->set_thread_count(env, THREAD_SLOTS);
	env->set_thread_id(env, thread_id);
	env->set_isalive(env, is_alive);
	env->set_timeout(env, LOCK_TIMEOUT_US, DB_SET_LOCK_TIMEOUT);
	env->set_timeout(env, TXN_TIMEOUT_US, DB_SET_TXN_TIMEOUT);
	env->log_set_config(env, DB_LOG_AUTO_REMOVE, 1);
	/* An encrypted ledger's key and shared-memory key (crypt.c). */
	u_int32_t unused = 0;
	store_crypt_env(&st->crypt, env, &unused);
	*out = env;
	return 0;
}

enum {
	ENV_FLAGS = DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
		    DB_INIT_MPOOL | DB_THREAD,
};

/* ENV_FLAGS, with DB_SYSTEM_MEM for an encrypted ledger (crypt.c): its
 * regions hold decrypted pages and live in shared memory, not __db.*. */
static u_int32_t env_flags(const struct store *st)
{
	u_int32_t flags = ENV_FLAGS;
	store_crypt_env(&st->crypt, NULL, &flags);
	return flags;
}

/* Regions made by a xiangban without failure checking have no thread
 * table, and Berkeley DB refuses to add one to them (BDB1505). With no
 * other process in the environment, recovery alone (without DB_REGISTER,
 * which runs it only after a crash) makes them anew, with the table. */
static int env_renew(struct store *st)
{
	DB_ENV *env;
	if (others_registered(st->home))
		return EBUSY;
	int ret = env_create(st, &env);
	if (ret != 0)
		return ret;
	ret = env->open(env, st->home, env_flags(st) | DB_RECOVER, 0600);
	env->close(env, 0);
	return ret;
}

/* The number of this boot of the machine (Linux's boot_id) into buf;
 * "" when it cannot be had. XIANGBAN_BOOT_ID stands in for it, for the
 * tests of a power cut. */
static void boot_id(char *buf, size_t len)
{
	const char *v = getenv("XIANGBAN_BOOT_ID");
	buf[0] = '\0';
	if (v != NULL && *v) {
		snprintf(buf, len, "%s", v);
		return;
	}
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f == NULL)
		return;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* After a power cut the regions (__db.*) may have lost pages that the
 * tables never got, and Berkeley DB's registry shows no process died
 * when none was inside: DB_REGISTER would run no recovery. So the first
 * open in each boot of the machine recovers the ledger, replaying the
 * log since the last checkpoint. The file "boot" names the boot the
 * ledger was last recovered in; a lock on it holds the other processes
 * back meanwhile. 1 when this boot is known to have recovered it (or to
 * have it in use), 0 when that cannot be told. */
static int recover_after_boot(struct store *st, int existed)
{
	char now[64], seen[64] = "", path[4200];
	boot_id(now, sizeof(now));
	if (!now[0])
		return 0;
	snprintf(path, sizeof(path), "%s/boot", st->home);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return 0;
	int locked;
	while ((locked = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
		;
	ssize_t n = pread(fd, seen, sizeof(seen) - 1, 0);
	seen[n > 0 ? n : 0] = '\0';
	int known = strcmp(seen, now) == 0;
	if (!known && locked == 0) {
		/* A new ledger is made whole by its first open; one in use
		 * by another process has been recovered in this boot. */
		int ret = existed ? env_renew(st) : 0;
		known = ret == 0 || ret == EBUSY;
		/* Not flushed: lost in a power cut, it only means one more
		 * recovery. */
		if (known && (ftruncate(fd, 0) != 0 ||
			      pwrite(fd, now, strlen(now), 0) != (ssize_t)strlen(now)))
			known = 0;
	}
	close(fd); /* drops the lock */
	return known;
}

/* Whether a log file of the environment cannot be read: Berkeley DB
 * then only says the ledger needs recovery (the open panics), or names
 * the directory. Fills file with its name and why with the reason.
 * Checks the header of an unencrypted log only (encrypted, the header is
 * laid out otherwise). */
static int log_file_unreadable(const char *home, int encrypted, char *file,
			       size_t flen, char *why, size_t wlen)
{
	DIR *d = opendir(home);
	if (d == NULL)
		return 0;
	int found = 0;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strncmp(n, "log.", 4) != 0 || strlen(n) != 14 ||
		    strspn(n + 4, "0123456789") != 10)
			continue;
		char path[4096];
		unsigned char hdr[16];
		snprintf(path, sizeof(path), "%s/%s", home, n);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		ssize_t got = -1;
		struct stat sb;
		if (fd < 0 || fstat(fd, &sb) != 0) {
			snprintf(why, wlen, "%s", strerror(errno));
			found = 1;
		} else if (!S_ISREG(sb.st_mode)) {
			snprintf(why, wlen, "%s", _("not a regular file"));
			found = 1;
		} else if ((got = pread(fd, hdr, sizeof(hdr), 0)) < 0) {
			snprintf(why, wlen, "%s", strerror(errno));
			found = 1;
		} else if (got == (ssize_t)sizeof(hdr) && !encrypted) {
			/* The first record's header (12 bytes), then the
			 * log's magic number. */
			u_int32_t magic;
			memcpy(&magic, hdr + 12, sizeof(magic));
			if (magic != DB_LOGMAGIC) {
				snprintf(why, wlen, "%s",
					 _("it is damaged: not a Berkeley DB log"));
				found = 1;
			}
		}
		if (found)
			snprintf(file, flen, "%s", n);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return found;
}

/* Creates and opens the DB_ENV handle, running recovery when needed. */
static int env_open(struct store *st, struct xb_error *err)
{
	DB_ENV *env;
	int ret = env_create(st, &env);
	if (ret != 0)
		return store_dberr(st, err, ret, _("Opening the ledger"));
	env->set_timeout(env, others_registered(st->home) ? RECOVERY_WAIT_US : 0,
			 DB_SET_REG_TIMEOUT);
	ret = env->open(env, st->home, env_flags(st) | DB_REGISTER | DB_RECOVER, 0600);
	if (ret == EINVAL && strstr(st->lasterr, "thread table") != NULL) {
		env->close(env, 0);
		st->lasterr[0] = '\0';
		if ((ret = env_renew(st)) == 0 && (ret = env_create(st, &env)) == 0)
			ret = env->open(env, st->home,
					env_flags(st) | DB_REGISTER | DB_RECOVER, 0600);
		else
			env = NULL;
	}
	/* A process that died inside Berkeley DB after DB_REGISTER looked
	 * at the registry: failchk frees what it held, or says the ledger
	 * needs recovery, which the next open runs. */
	if (ret == 0) {
		ret = env->failchk(env, 0);
		st->failchk_at = now_ms();
	}
	if (ret != 0) {
		char file[64], why[256];
		if (env != NULL)
			env->close(env, 0);
		if (log_file_unreadable(st->home, st->crypt.on, file, sizeof(file), why,
					sizeof(why)))
			return xb_fail(err, XB_EFAIL,
				       _("Opening the ledger: the log file %s in %s "
					 "cannot be read (%s). Check the disk and the "
					 "file's permissions; nothing was changed."),
				       file, st->home, why);
		store_dberr(st, err, ret, _("Opening the ledger"));
		/* Another process's recovery under way: try again. A lone
		 * process's failing recovery would fail again. */
		if (ret == EBUSY || (ret == DB_RUNRECOVERY && others_registered(st->home)))
			return XB_EDEADLOCK;
		return XB_EFAIL;
	}
	st->env = env;
	st->panicked = 0;
	st->lasterr[0] = '\0';
	return XB_OK;
}

/* Runs failchk when a wait of this process has run long: a dead
 * process's transaction is aborted and its locks freed, or the ledger is
 * marked for recovery (the next heal reopens it, and DB_REGISTER
 * recovers it). */
static void keeper_failchk(struct store *st)
{
	long long now = now_ms();
	if (now - atomic_load(&st->wait_mark) > 2 * KEEPER_TICK_MS ||
	    now - st->failchk_at < FAILCHK_MS)
		return;
	st->failchk_at = now;
	if (st->env->failchk(st->env, 0) == DB_RUNRECOVERY)
		st->panicked = 1;
}

/* Whether a checkpoint now may free a log file: there is more than one.
 * (The file the last checkpoint's record went to is no guide: recovery
 * starts where that checkpoint began, files earlier under load.) */
static int log_file_freeable(DB_ENV *env)
{
	char **files = NULL;
	if (env->log_archive(env, &files, DB_ARCH_LOG) != 0 || files == NULL)
		return 0;
	int more = files[0] != NULL && files[1] != NULL;
	free(files);
	return more;
}

/* The keeper runs the deadlock detector every tick: Berkeley DB expires
 * a timed-out lock wait (DB_SET_LOCK_TIMEOUT) only when the detector
 * runs, and a lone waiter never runs it again itself. It runs failchk
 * while a wait runs long, and it checkpoints off the main thread (a
 * checkpoint mutex left by a process killed mid-checkpoint then stalls
 * the keeper, not the clerk): by log volume, and, every two
 * seconds, when that frees a log file, so the files a batch of writes
 * filled do not wait for the next megabyte. A save alone does not
 * bring one about: it costs its commit's log flush and no more. */
static void *keeper_main(void *arg)
{
	struct store *st = arg;
	unsigned tick = 0;
	atomic_store(&st->keeper_ktid, (int)syscall(SYS_gettid));
	while (!atomic_load(&st->keeper_stop)) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += KEEPER_TICK_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&st->keeper_mu);
		if (!atomic_load(&st->keeper_stop))
			pthread_cond_timedwait(&st->keeper_cv, &st->keeper_mu, &until);
		pthread_mutex_unlock(&st->keeper_mu);
		if (atomic_load(&st->keeper_stop) || st->panicked)
			continue;
		st->env->lock_detect(st->env, 0, DB_LOCK_DEFAULT, NULL);
		keeper_failchk(st);
		if (!atomic_load(&st->keeper_checkpoints))
			continue; /* the tables are not open yet */
		if (++tick % 10 == 0 && log_file_freeable(st->env))
			st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE);
		else
			st->env->txn_checkpoint(st->env, CHECKPOINT_KB, 0, 0);
	}
	return NULL;
}

/* Whether kernel thread ktid of this process sleeps on a futex inside
 * one of the environment's region files: waiting for a Berkeley DB mutex.
 * (Linux: /proc tells a thread's system call and its first argument, and
 * where each file is mapped.) */
static int in_region_wait(const struct store *st, pid_t ktid)
{
#if defined(__linux__) && defined(SYS_futex)
	char path[64];
	long nr = -1;
	unsigned long addr = 0;
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)ktid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return 0;
	int n = fscanf(f, "%ld %lx", &nr, &addr);
	fclose(f);
	if (n != 2 || nr != SYS_futex || (f = fopen("/proc/self/maps", "re")) == NULL)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	size_t hlen = strlen(st->home);
	int found = 0;
	while (!found && getline(&line, &cap, f) > 0) {
		unsigned long lo, hi;
		const char *file = strchr(line, '/');
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || file == NULL)
			continue;
		found = addr >= lo && addr < hi && strncmp(file, st->home, hlen) == 0 &&
			strncmp(file + hlen, "/__db.", 6) == 0;
	}
	free(line);
	fclose(f);
	return found;
#else
	(void)st;
	(void)ktid;
	return 0;
#endif
}

/* Whether a thread of this process other than the keeper waits for a
 * Berkeley DB mutex. */
static int thread_in_region_wait(const struct store *st)
{
	pid_t ids[LIVE_THREADS];
	int n = 0;
	pthread_mutex_lock(&live_mu);
	for (int i = 0; i < LIVE_THREADS; i++)
		if (live[i] != 0)
			ids[n++] = live_ktid[i];
	pthread_mutex_unlock(&live_mu);
	for (int i = 0; i < n; i++)
		if (ids[i] != atomic_load(&st->keeper_ktid) && in_region_wait(st, ids[i]))
			return 1;
	return 0;
}

/* The guard watches for the one wait nothing in Berkeley DB 5.3 bounds: a
 * region mutex (the log, the buffer pool, a checkpoint) held by a process
 * that died. failchk frees only per-process mutexes; the others stay
 * locked until the environment is recovered, and a thread waiting on one
 * sleeps until its process ends. When no thread of this process has
 * entered Berkeley DB for STALL_MS and one sleeps on a region mutex, the
 * guard tells the program (store_on_stall), which must end or restart
 * the process: the next one to open the ledger recovers it. The guard
 * makes no Berkeley DB call (the keeper may be stuck too). */
/* store_on_stall_default's handler, for stores without their own. */
static _Atomic(store_stall_fn) default_stall;
static void *default_stall_arg;

static void *guard_main(void *arg)
{
	struct store *st = arg;
	unsigned long seen = atomic_load(&st->entries);
	long long since = now_ms();
	while (!atomic_load(&st->guard_stop)) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += GUARD_TICK_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&st->guard_mu);
		if (!atomic_load(&st->guard_stop))
			pthread_cond_timedwait(&st->guard_cv, &st->guard_mu, &until);
		pthread_mutex_unlock(&st->guard_mu);
		unsigned long e = atomic_load(&st->entries);
		long long now = now_ms();
		if (e != seen) {
			seen = e;
			since = now;
			continue;
		}
		void *fn_arg = st->stall_arg;
		store_stall_fn fn = atomic_load(&st->on_stall);
		if (fn == NULL) {
			fn = atomic_load(&default_stall);
			fn_arg = default_stall_arg;
		}
		if (now - since < STALL_MS || fn == NULL ||
		    atomic_load(&st->guard_stop) || !thread_in_region_wait(st))
			continue;
		struct registry_scan r;
		char msg[sizeof(((struct xb_error *)0)->msg)];
		store_registry_scan(st->home, &r);
		if (r.dead > 0 || r.alive == 0)
			snprintf(msg, sizeof(msg), "%s",
				 _("Another xiangban process ended while it was "
				   "writing, and this one cannot go on. Start "
				   "xiangban again: the ledger is recovered then, "
				   "and nothing saved is lost."));
		else
			snprintf(msg, sizeof(msg),
				 _("Another xiangban process (pid %ld) holds the "
				   "ledger and does not let go. End it, then start "
				   "xiangban again."), r.pids[0]);
		fn(msg, fn_arg);
		since = now_ms(); /* the program chose to go on waiting */
	}
	return NULL;
}

void store_on_stall_default(store_stall_fn fn, void *arg)
{
	default_stall_arg = arg;
	atomic_store(&default_stall, fn);
}

void store_on_stall(struct store *st, store_stall_fn fn, void *arg)
{
	st->stall_arg = arg;
	atomic_store(&st->on_stall, fn);
}

static void keeper_start(struct store *st)
{
	atomic_store(&st->keeper_stop, 0);
	atomic_store(&st->guard_stop, 0);
	atomic_store(&st->keeper_checkpoints, 0);
	atomic_store(&st->keeper_ktid, 0);
	st->keeper_running = pthread_create(&st->keeper, NULL, keeper_main, st) == 0;
	st->guard_running = pthread_create(&st->guard, NULL, guard_main, st) == 0;
}

/* Stops the guard; after the environment is closed, so that a close
 * stuck on a dead process's mutex is told too. */
static void guard_end(struct store *st)
{
	pthread_mutex_lock(&st->guard_mu);
	atomic_store(&st->guard_stop, 1);
	pthread_cond_signal(&st->guard_cv);
	pthread_mutex_unlock(&st->guard_mu);
	if (st->guard_running) /* it makes no call that could stick */
		pthread_join(st->guard, NULL);
	st->guard_running = 0;
}

/* Stops the keeper (the deadlock detector and checkpoints). */
static void keeper_end(struct store *st)
{
	pthread_mutex_lock(&st->keeper_mu);
	atomic_store(&st->keeper_stop, 1);
	pthread_cond_signal(&st->keeper_cv);
	pthread_mutex_unlock(&st->keeper_mu);
	if (!st->keeper_running)
		return;
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
	/* The checkpoint writes and syncs what changed; the tables then
	 * close without syncing again, each close a log flush of its own
	 * (ten per command before). */
	if (st->env != NULL && !st->panicked && !st->suspect)
		st->env->txn_checkpoint(st->env, 1024, 5, 0);
	store_tables_close(st, 1);
	if (st->env != NULL) {
		st->env->close(st->env, 0);
		st->env = NULL;
	}
	guard_end(st);
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

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Opens the environment and the tables, again and again until deadline
 * (monotonic ms) while a crash elsewhere or another process's lock is in
 * the way: a lock wait during an open gives up after LOCK_TIMEOUT_US, and
 * each try reopens the environment, which recovers it if a process died
 * in it. The keeper runs from the start, to expire those waits. */
static int open_all(struct store *st, long long deadline, struct xb_error *err)
{
	for (int attempt = 0;; attempt++) {
		int ret = env_open(st, err);
		int again = ret == XB_EDEADLOCK;
		if (ret == XB_OK) {
			keeper_start(st);
			ret = store_tables_open(st, err);
			if (ret == XB_OK) {
				atomic_store(&st->keeper_checkpoints, 1);
				st->suspect = 0;
				return XB_OK;
			}
			/* A lock refused, or a crash elsewhere met: again.
			 * Handles opened in an environment that turned out to
			 * need recovery are closed without flushing. */
			again = ret == XB_EDEADLOCK || st->panicked;
			st->suspect = 1;
			env_close(st);
		}
		if (!again || now_ms() >= deadline)
			return ret;
		nap_ms(50 + 20L * (attempt < 10 ? attempt : 10));
	}
}

/* Frees a store that is closed or never opened; the key is wiped. */
static void store_free(struct store *st)
{
	pthread_cond_destroy(&st->guard_cv);
	pthread_mutex_destroy(&st->guard_mu);
	pthread_cond_destroy(&st->keeper_cv);
	pthread_mutex_destroy(&st->keeper_mu);
	explicit_bzero(&st->crypt, sizeof(st->crypt));
	free(st->home);
	free(st);
}

int store_open(const char *home, struct store **out, struct xb_error *err)
{
	return store_open_pass(home, NULL, out, err);
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
	pthread_mutex_init(&st->guard_mu, NULL);
	pthread_cond_init(&st->guard_cv, NULL);
	pthread_mutex_init(&st->keeper_mu, NULL);
	pthread_cond_init(&st->keeper_cv, NULL);
	if (store_encrypted(home) &&
	    (ret = store_crypt_load(home, passphrase, &st->crypt, err)) != XB_OK) {
		store_free(st);
		return ret;
	}
	st->boot_known = recover_after_boot(st, ledger_there(home));
	if ((ret = open_all(st, now_ms() + WRITE_PATIENCE_MS, err)) != XB_OK) {
		env_close(st);
		store_free(st);
		return ret;
	}
	*out = st;
	return XB_OK;
}

void store_close(struct store **stp)
{
	if (stp == NULL || *stp == NULL)
		return;
	witness_drop(*stp);
	env_close(*stp);
	/* The last process out removes an encrypted ledger's regions. */
	if (!others_registered((*stp)->home))
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
	long long deadline = st->deadline ? st->deadline : now_ms() + WRITE_PATIENCE_MS;
	int ret = open_all(st, deadline, err);
	if (ret != XB_OK) {
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
		ret = store_tallies_flush(t, err);
	if (ret == XB_OK)
		ret = store_meta_put(st, t->txn, key, nonce, err);
	store_counters_free(t);
	store_tallies_free(t);
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
	store_tallies_free(*tp);
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

/* Milliseconds since *since, which is set on the first call. */
static long waited_ms(struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since->tv_sec == 0 && since->tv_nsec == 0)
		*since = now;
	return ms_between(since, &now);
}

/* Heals within what is left of a wait that began at since. */
static int heal_within(struct store *st, struct timespec *since,
		       struct xb_error *err)
{
	long left = WRITE_PATIENCE_MS - waited_ms(since);
	st->deadline = now_ms() + (left > 0 ? left : 0);
	int ret = store_heal(st, err);
	st->deadline = 0;
	return ret;
}

/* Where a read without a caller's transaction stands in its waiting. */
struct store_wait {
	struct timespec since; /* the first refusal; zero before it */
	int heals;             /* reopens during this read */
};

/* Whether a read without a caller's transaction that failed with ret
 * should run again: after waiting for a refused lock (store_wait_lock), or
 * after reopening a ledger another process's crash left for recovery. */
static int read_retry(struct store *st, int ret, struct store_wait *w,
		      int attempt)
{
	if (ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED) {
		if (store_wait_lock(st, &w->since, attempt))
			return 1;
		/* A dead process's lock: reopening recovers the ledger;
		 * then the read runs again. */
		if (!st->suspect || waited_ms(&w->since) >= WRITE_PATIENCE_MS ||
		    st->in_use > 0 || heal_within(st, &w->since, NULL) != XB_OK)
			return 0;
		w->heals++;
		return 1;
	}
	/* Another process crashed and a third recovered the ledger: reopen
	 * (no cursor of ours may be open) and read again. */
	if (ret == DB_RUNRECOVERY && st->in_use == 0 &&
	    waited_ms(&w->since) < WRITE_PATIENCE_MS) {
		w->heals++;
		st->panicked = 1;
		if (heal_within(st, &w->since, NULL) == XB_OK)
			return 1;
		back_off(attempt);
		return 1; /* the reopen met a recovery in progress: again */
	}
	return 0;
}

int store_wait_lock(struct store *st, struct timespec *since, int attempt)
{
	long waited = waited_ms(since);
	long long now = now_ms();
	/* Waiting long: the keeper runs failchk, which frees a dead
	 * process's locks. */
	if (waited >= LOCK_PATIENCE_MS / 2)
		atomic_store(&st->wait_mark, now);
	if (waited >= WRITE_PATIENCE_MS) {
		st->gave_up = 1; /* store_dberr tells who holds the ledger */
		return 0;
	}
	if (waited > LOCK_PATIENCE_MS && now - st->scan_at >= 500) {
		/* A process that died registered: reopening recovers the
		 * ledger. A live holder (even a stopped one) is waited for. */
		struct registry_scan r;
		st->scan_at = now;
		store_registry_scan(st->home, &r);
		if (r.dead > 0 || st->panicked) {
			st->suspect = 1;
			return 0;
		}
	}
	back_off(attempt);
	return 1;
}

int store_read_begin(struct store *st, DB_TXN **txn)
{
	/* After a failed reopen there is no environment: DB_RUNRECOVERY
	 * makes read_retry try the reopen again. */
	if (st->env == NULL) {
		*txn = NULL;
		return DB_RUNRECOVERY;
	}
	return st->env->txn_begin(st->env, NULL, txn,
				  DB_TXN_NOWAIT | DB_READ_COMMITTED);
}

/* The loop of store_read_run and store_read_run_healing: heal_err not
 * NULL heals before every try, and a heal that fails ends it with its
 * code in *healed. */
static int read_loop(struct store *st, DB_TXN *txn, store_read_fn fn,
		     void *arg, struct xb_error *heal_err, int *healed)
{
	/* In a caller's transaction a refused lock is the caller's to
	 * handle: it aborts and runs the whole transaction again. */
	if (txn != NULL)
		return fn(st, txn, arg);
	struct store_wait wait = { { 0, 0 }, 0 };
	int ret;
	for (int tries = 0;; tries++) {
		if (heal_err != NULL && (*healed = store_heal(st, heal_err)) != XB_OK)
			return 0;
		DB_TXN *rt;
		if ((ret = store_read_begin(st, &rt)) == 0) {
			ret = fn(st, rt, arg);
			rt->commit(rt, 0);
		}
		if (!read_retry(st, ret, &wait, tries))
			return ret;
	}
}

int store_read_run(struct store *st, DB_TXN *txn, store_read_fn fn, void *arg)
{
	return read_loop(st, txn, fn, arg, NULL, NULL);
}

int store_read_run_healing(struct store *st, store_read_fn fn, void *arg,
			   int *dbret, struct xb_error *err)
{
	int healed = XB_OK;
	*dbret = read_loop(st, NULL, fn, arg, err, &healed);
	return healed;
}

/* One key's data from one table. */
struct key_read {
	enum table_id t;
	DBT k, d;
	u_int32_t flags;
};

static int key_read_fn(struct store *st, DB_TXN *txn, void *arg)
{
	struct key_read *r = arg;
	DB *db = st->db[r->t]; /* anew: a reopen replaces the handles */
	return db->get(db, txn, &r->k, &r->d, r->flags);
}

int store_raw_read(struct store *st, DB_TXN *txn, enum table_id t,
		   const char *key, u_int32_t flags, void **out, size_t *len)
{
	struct key_read r = { t, { 0 }, { 0 }, flags };
	store_dbt_in(&r.k, key, strlen(key));
	r.d.flags = DB_DBT_MALLOC;
	int ret = store_read_run(st, txn, key_read_fn, &r);
	if (ret == 0) {
		*out = r.d.data;
		*len = r.d.size;
	}
	return ret;
}

int store_raw_get(struct store *st, DB_TXN *txn, enum table_id t,
		  const char *key, void **out, size_t *len)
{
	return store_raw_read(st, txn, t, key, txn ? DB_RMW : 0, out, len);
}

int store_raw_string(void *data, size_t len, char **out, struct xb_error *err)
{
	char *s = realloc(data, len + 1);
	if (s == NULL) {
		free(data);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	s[len] = '\0';
	*out = s;
	return XB_OK;
}

int store_run(struct store *st, store_txn_fn fn, void *arg,
	      struct xb_error *err)
{
	int ret = XB_EFAIL;
	/* Every wait below counts from the first try: nothing runs past
	 * WRITE_PATIENCE_MS in all. */
	struct timespec first = { 0, 0 };
	waited_ms(&first);
	for (int attempt = 0;; attempt++) {
		struct store_txn *t;
		if ((ret = heal_within(st, &first, err)) != XB_OK) {
			/* The reopen met another process's recovery
			 * starting: wait a little and reopen again. */
			if (st->panicked && waited_ms(&first) < WRITE_PATIENCE_MS) {
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
			 * locks failchk frees or recovery does (a dead process
			 * found marks the store for healing, done at the top
			 * of the loop). */
			if (store_wait_lock(st, &first, attempt) ||
			    (st->suspect && waited_ms(&first) < WRITE_PATIENCE_MS))
				continue;
			st->gave_up = 0;
			return store_holders_fail(st, err, XB_EDEADLOCK, _("Saving"));
		}
		if (ret == XB_EFAIL && st->panicked && !st->commit_unknown &&
		    waited_ms(&first) < WRITE_PATIENCE_MS)
			continue; /* another process died: recover and rerun */
		return ret;
	}
}
