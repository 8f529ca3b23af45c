/* demo.h - realistic synthetic ledgers for the demo, the tests and the
 * benchmark: Chinese names, villages under the township, parents working
 * in named cities, visits, and reports at every stage of handling. Every
 * record it makes passes form_check_record. Same seed, same ledger.
 *
 * Everything comes from one deterministic generator (splitmix64) seeded by
 * the caller. What belongs to the township itself (its villages, their
 * codes and responsible members) comes from the township code alone, so
 * generators with different seeds agree on it.
 *
 * Files of this module:
 *   private.h   what the files share: the generator's state, its random
 *               draws (inline) and what each file offers the others
 *   calendar.c  day numbers, dates and date-times of records
 *   people.c    the region's people: surnames and given names, mobile
 *               and landline numbers, ID numbers unique in a generator
 *   township.c  the township: its name, area code, villages and their
 *               groups and members (synth_new, synth_free)
 *   builder.c   a record's fields gathered in one block, then handed over
 *   child.c     the synthetic child: identity, address, parents,
 *               guardian, school, health, assistance, risk, care
 *   visit.c     visits to a child: their days and what was found
 *   report.c    reports by category, who found them, the police, and the
 *               steps of their handling
 *   fill.c      filling a ledger in batches through the ledger operations
 *
 * It sits above forms/ (whose ledger operations write what it makes) and
 * below cli/ and bench/. Like every library module it never prints and
 * never exits. */
#ifndef XB_DEMO_H
#define XB_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"
#include "../store/store.h"

struct synth;

/* township: the 9-digit code the villages lie under. */
struct synth *synth_new(uint64_t seed, const char *township);
void synth_free(struct synth **s);

/* A new child record (no case number yet) valid on `today`. */
struct store_record *synth_child(struct synth *s, const char *today);
/* The n-th visit (0-based, oldest first) to a saved child. */
struct store_record *synth_visit(struct synth *s,
				 const struct store_record *child, int n,
				 const char *today);
/* A report about a saved child. */
struct store_record *synth_report(struct synth *s,
				  const struct store_record *child,
				  const char *today);

/* Puts the township's villages (their codes and names, as the children
 * synth_fill makes live in them) into the ledger's village register, in
 * one transaction. The ledger must be a township's. */
int synth_register_villages(struct store *st, const char *user,
			    struct xb_error *err);

/* Makes the township's responsible members users of the ledger: each
 * village's member who is no user yet (by user name or full name) a
 * village member bound to it, named and with the phone the children's
 * files give (no password: they sign in once a leader gives one). The
 * villages go into the register first when it is empty. user adds them:
 * a leader (LEDGER_USERS), when any is missing. synth_fill does this
 * first. */
int synth_register_members(struct store *st, const char *user,
			   struct xb_error *err);
/* The responsible member of the township's i-th village (0-based, in
 * code order) and their mobile, as the children's files give them; -1
 * when there is no such village. */
int synth_member(const char *township, int i, char name[32], char phone[12]);

/* Progress callback: done of total; returns 0 to go on. */
typedef int (*synth_progress_fn)(size_t done, size_t total, void *arg);

/* Fills an initialised ledger with nchildren children, each with
 * `visits` visits, and a report for about one child in twenty, the reports
 * spread over the stages of handling. Children are written in batches of
 * `batch` per transaction (durable commit per batch), after
 * synth_register_members. */
int synth_fill(struct store *st, size_t nchildren, int visits, size_t batch,
	       uint64_t seed, const char *user, synth_progress_fn progress,
	       void *arg, struct xb_error *err);

#endif
