/* clockwarp.c - a faster monotonic clock for the library (clockwarp.h).
 * The warped time is real + offset + (factor - 1) x (real - since): it
 * never goes back, so the store's threads, reading it at any moment, see
 * time only run faster. */
#include <pthread.h>
#include <time.h>

#include "clockwarp.h"

int __real_clock_gettime(clockid_t id, struct timespec *ts);
int __wrap_clock_gettime(clockid_t id, struct timespec *ts);

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int factor = 1;
static long long since_ns, offset_ns;

static long long real_ns(void)
{
	struct timespec ts;
	__real_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The warped time at real time now; the caller holds mu. */
static long long warped_ns(long long now)
{
	return now + offset_ns + (factor - 1) * (now - since_ns);
}

int __wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
	if (id != CLOCK_MONOTONIC)
		return __real_clock_gettime(id, ts);
	pthread_mutex_lock(&mu);
	long long t = warped_ns(real_ns());
	pthread_mutex_unlock(&mu);
	ts->tv_sec = (time_t)(t / 1000000000LL);
	ts->tv_nsec = (long)(t % 1000000000LL);
	return 0;
}

void warp_start(int f)
{
	pthread_mutex_lock(&mu);
	long long now = real_ns();
	offset_ns = warped_ns(now) - now;
	since_ns = now;
	factor = f > 1 ? f : 1;
	pthread_mutex_unlock(&mu);
}

void warp_stop(void)
{
	warp_start(1);
}

long long warp_now_ms(void)
{
	struct timespec ts;
	__wrap_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
