/* test_handoff.c - batches handed between two real threads: in order and
 * each once, never more waiting than allowed, given back to the thread
 * that made them, and a producer stuck on a full queue set free by a
 * cancel. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "testutil.h"
#include "../common/handoff.h"

struct item {
	struct handoff_link link; /* first */
	int n;
};

struct producer {
	struct handoff *q;
	int count;       /* items to put */
	int put;         /* how many were queued */
	int refused;     /* a put failed (cancelled) */
	int reused;      /* items taken back and put again */
	int max_waiting; /* the most ever queued, seen after each put */
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct handoff_link *spare = NULL;
	for (int i = 0; i < p->count; i++) {
		if (spare == NULL)
			spare = handoff_take_back(p->q);
		struct item *it;
		if (spare != NULL) {
			it = (struct item *)spare;
			spare = spare->next;
			p->reused++;
		} else {
			it = malloc(sizeof(*it));
			if (it == NULL)
				break;
		}
		it->n = i;
		if (handoff_put(p->q, &it->link) < 0) {
			free(it);
			p->refused = 1;
			break;
		}
		p->put++;
		pthread_mutex_lock(&p->q->mu);
		if ((int)p->q->queued > p->max_waiting)
			p->max_waiting = (int)p->q->queued;
		pthread_mutex_unlock(&p->q->mu);
	}
	handoff_free_list(spare, free);
	handoff_close(p->q);
	return NULL;
}

/* How many batches wait in q. */
static size_t waiting(struct handoff *q)
{
	pthread_mutex_lock(&q->mu);
	size_t n = q->queued;
	pthread_mutex_unlock(&q->mu);
	return n;
}

/* Waits up to two seconds for n batches to wait in q. */
static void wait_for(struct handoff *q, size_t n)
{
	for (int i = 0; i < 400 && waiting(q) != n; i++)
		sleep_ms(5);
}

/* q with room for max, and a thread putting count items into it. */
static void start(struct handoff *q, size_t max, struct producer *p, int count,
		  pthread_t *t)
{
	handoff_init(q, max);
	*p = (struct producer){ q, count, 0, 0, 0, 0 };
	assert_int_equal(pthread_create(t, NULL, produce, p), 0);
}

/* 10,000 items through a queue of 3: all arrive, in order, each once; the
 * producer refills the items given back rather than allocating anew. */
static void test_in_order_bounded_given_back(void **state)
{
	(void)state;
	struct handoff q;
	struct producer p;
	pthread_t t;
	start(&q, 3, &p, 10000, &t);
	int want = 0;
	struct handoff_link *l;
	while ((l = handoff_get(&q)) != NULL) {
		assert_int_equal(((struct item *)l)->n, want);
		want++;
		if (want == 5000)
			wait_for(&q, 3); /* the producer fills the queue meanwhile */
		handoff_give_back(&q, l);
	}
	pthread_join(t, NULL);
	assert_int_equal(want, 10000);
	assert_int_equal(p.put, 10000);
	assert_false(p.refused);
	assert_true(p.max_waiting <= 3);
	assert_int_equal(p.max_waiting, 3); /* it did fill up */
	assert_true(p.reused > 9000);
	assert_null(handoff_get(&q)); /* closed and empty stays so */
	handoff_free_list(handoff_take_back(&q), free);
	handoff_destroy(&q);
}

/* A producer waiting on a full queue returns from its put when the
 * consumer cancels, and puts nothing more. */
static void test_cancel_frees_a_blocked_producer(void **state)
{
	(void)state;
	struct handoff q;
	struct producer p;
	pthread_t t;
	start(&q, 2, &p, 100, &t);
	wait_for(&q, 2);
	assert_int_equal(waiting(&q), 2);
	sleep_ms(20); /* the third put is waiting now */
	assert_false(handoff_cancelled(&q));
	handoff_cancel(&q);
	assert_true(handoff_cancelled(&q));
	pthread_join(t, NULL);
	assert_true(p.refused);
	assert_int_equal(p.put, 2);
	/* what was queued before the cancel is still there to be freed */
	struct handoff_link *l;
	int left = 0;
	while ((l = handoff_get(&q)) != NULL) {
		left++;
		free(l);
	}
	assert_int_equal(left, 2);
	handoff_destroy(&q);
}

/* poll never waits: NULL on an empty open queue, the batch when one is
 * there; get on a closed, empty queue returns NULL at once. */
static void test_poll_and_close(void **state)
{
	(void)state;
	struct handoff q;
	handoff_init(&q, 4);
	assert_null(handoff_poll(&q));
	struct item a = { { NULL }, 7 };
	assert_int_equal(handoff_put(&q, &a.link), 0);
	struct handoff_link *l = handoff_poll(&q);
	assert_ptr_equal(l, &a.link);
	assert_null(handoff_poll(&q));
	handoff_give_back(&q, l);
	assert_ptr_equal(handoff_take_back(&q), &a.link);
	assert_null(handoff_take_back(&q));
	handoff_close(&q);
	assert_null(handoff_get(&q));
	handoff_destroy(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_bounded_given_back),
		cmocka_unit_test(test_cancel_frees_a_blocked_producer),
		cmocka_unit_test(test_poll_and_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
