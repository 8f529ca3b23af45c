/* handoff.h - batches of work handed from one thread to another: a
 * bounded queue one way, and the used batches back the other way, so the
 * thread that allocated a batch is the one that frees or refills it
 * (glibc's malloc arenas contend when another thread frees).
 *
 * The producer puts batches and closes; the consumer gets them, gives
 * each back when done with it, and may cancel, which makes the
 * producer's next put fail. A batch begins with a struct handoff_link. */
#ifndef XB_HANDOFF_H
#define XB_HANDOFF_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct handoff_link {
	struct handoff_link *next;
};

struct handoff {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct handoff_link *head, *tail; /* waiting for the consumer */
	struct handoff_link *back;        /* given back, for the producer */
	size_t queued, max;
	int closed;
	atomic_int cancelled;
};

/* At most max batches wait. */
void handoff_init(struct handoff *h, size_t max);
/* Frees nothing: the caller takes what is left with handoff_get and
 * handoff_take_back once both threads are done. */
void handoff_destroy(struct handoff *h);

/* Producer: queues b, waiting while max batches wait; 0, or -1 when the
 * consumer cancelled (b is then not queued). */
int handoff_put(struct handoff *h, struct handoff_link *b);
/* Producer: no more batches. */
void handoff_close(struct handoff *h);
/* Producer: the batches given back so far, as a list (NULL if none). */
struct handoff_link *handoff_take_back(struct handoff *h);

/* Consumer: the next batch, waiting for one; NULL once closed and empty. */
struct handoff_link *handoff_get(struct handoff *h);
/* Consumer: the next batch if one waits now, else NULL. */
struct handoff_link *handoff_poll(struct handoff *h);
/* Consumer: done with b. */
void handoff_give_back(struct handoff *h, struct handoff_link *b);
/* Consumer: the producer is to stop. */
void handoff_cancel(struct handoff *h);
/* Whether the consumer cancelled (either side may ask). */
int handoff_cancelled(struct handoff *h);

/* Frees each batch of a list (as handoff_take_back gives) with free_batch. */
void handoff_free_list(struct handoff_link *list, void (*free_batch)(void *));

#endif
