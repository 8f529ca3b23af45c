/* handoff.c - batches of work handed from one thread to another. */
#include "handoff.h"

void handoff_init(struct handoff *h, size_t max)
{
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cond, NULL);
	h->head = h->tail = h->back = NULL;
	h->queued = 0;
	h->max = max > 0 ? max : 1;
	h->closed = 0;
	atomic_init(&h->cancelled, 0);
}

void handoff_destroy(struct handoff *h)
{
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cond);
}

int handoff_put(struct handoff *h, struct handoff_link *b)
{
	pthread_mutex_lock(&h->mu);
	while (h->queued >= h->max && !atomic_load(&h->cancelled))
		pthread_cond_wait(&h->cond, &h->mu);
	if (atomic_load(&h->cancelled)) {
		pthread_mutex_unlock(&h->mu);
		return -1;
	}
	b->next = NULL;
	if (h->tail)
		h->tail->next = b;
	else
		h->head = b;
	h->tail = b;
	h->queued++;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

void handoff_close(struct handoff *h)
{
	pthread_mutex_lock(&h->mu);
	h->closed = 1;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->mu);
}

struct handoff_link *handoff_take_back(struct handoff *h)
{
	pthread_mutex_lock(&h->mu);
	struct handoff_link *b = h->back;
	h->back = NULL;
	pthread_mutex_unlock(&h->mu);
	return b;
}

/* The first waiting batch, taken off the queue; NULL if none. Under mu. */
static struct handoff_link *take_first(struct handoff *h)
{
	struct handoff_link *b = h->head;
	if (b != NULL) {
		h->head = b->next;
		if (h->head == NULL)
			h->tail = NULL;
		b->next = NULL;
		h->queued--;
		pthread_cond_broadcast(&h->cond);
	}
	return b;
}

struct handoff_link *handoff_get(struct handoff *h)
{
	pthread_mutex_lock(&h->mu);
	while (h->head == NULL && !h->closed)
		pthread_cond_wait(&h->cond, &h->mu);
	struct handoff_link *b = take_first(h);
	pthread_mutex_unlock(&h->mu);
	return b;
}

struct handoff_link *handoff_poll(struct handoff *h)
{
	pthread_mutex_lock(&h->mu);
	struct handoff_link *b = take_first(h);
	pthread_mutex_unlock(&h->mu);
	return b;
}

void handoff_give_back(struct handoff *h, struct handoff_link *b)
{
	pthread_mutex_lock(&h->mu);
	b->next = h->back;
	h->back = b;
	pthread_mutex_unlock(&h->mu);
}

void handoff_cancel(struct handoff *h)
{
	pthread_mutex_lock(&h->mu);
	atomic_store(&h->cancelled, 1);
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->mu);
}

int handoff_cancelled(struct handoff *h)
{
	return atomic_load(&h->cancelled);
}

void handoff_free_list(struct handoff_link *list, void (*free_batch)(void *))
{
	while (list != NULL) {
		struct handoff_link *next = list->next;
		free_batch(list);
		list = next;
	}
}
