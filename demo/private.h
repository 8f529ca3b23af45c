/* private.h - what the files of demo/ share; nothing outside demo/
 * includes it. Functions shared between the files are named synth_* like
 * the public ones (builder_* for the record builder); only demo.h's are
 * for other modules. */
#ifndef XB_DEMO_PRIVATE_H
#define XB_DEMO_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "demo.h"
#include "../forms/forms.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- the generator (splitmix64) -------------------------------------------- */

/* Inline here, not in a file of their own: every record takes dozens of
 * draws, each a few instructions, and a call apiece would cost more than
 * the draw. */

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t next64(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

/* A hash of a string, for what must follow from a record's own fields. */
static inline uint64_t hash_str(uint64_t h, const char *s)
{
	h ^= 0xcbf29ce484222325ULL;
	for (; s != NULL && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return mix64(h);
}

/* --- the generator's state ----------------------------------------------- */

#define SEQ_RING 8192 /* > 16 years of days: the ring never wraps onto
			 itself inside the children's birth range */

struct village {
	char code[13];
	const char *name;
	int groups;
	char member[32];
	char member_phone[12];
};

/* What moves as records are made: saved at the start of a batch and put
 * back when the batch runs again after a lost deadlock, so the rerun
 * makes the same records. */
struct synth_state {
	uint64_t rng;
	/* children already given an ID number per (birth day, sex) */
	uint16_t seq[SEQ_RING][2];
};

struct synth {
	uint64_t seed;
	char township[10];
	char region[7]; /* the ID numbers' region: the county */
	const char *town_name; /* 双河镇 */
	char town_short[32];   /* 双河: for the police station */
	char area_code[5];     /* landline area code of the city */
	int nvillages;
	struct village villages[16];
	int visits_planned; /* how many visits synth_fill gives each child */
	struct synth_state st;
};

/* --- drawing ------------------------------------------------------------- */

static inline uint64_t rnd(struct synth *s)
{
	return next64(&s->st.rng);
}

/* 0 <= n < bound */
static inline unsigned below(struct synth *s, unsigned bound)
{
	return bound ? (unsigned)(rnd(s) % bound) : 0;
}

/* lo <= n <= hi */
static inline int between(struct synth *s, int lo, int hi)
{
	return lo + (int)below(s, (unsigned)(hi - lo + 1));
}

/* 1 with a probability of per_mille / 1000. */
static inline int chance(struct synth *s, unsigned per_mille)
{
	return below(s, 1000) < per_mille;
}

static inline const char *pick(struct synth *s, const char *const *list,
			       size_t n)
{
	return list[below(s, (unsigned)n)];
}

struct weighted {
	const char *s;
	unsigned w;
};

static inline const char *pick_weighted(struct synth *s,
					const struct weighted *list, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += list[i].w;
	unsigned r = below(s, total);
	for (size_t i = 0; i < n; i++) {
		if (r < list[i].w)
			return list[i].s;
		r -= list[i].w;
	}
	return list[n - 1].s;
}

/* A choice code by weights given in the order of the codes. */
static inline const char *pick_code(struct synth *s, const char *const *codes,
				    const unsigned *weights, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += weights[i];
	unsigned r = below(s, total);
	for (size_t i = 0; i < n; i++) {
		if (r < weights[i])
			return codes[i];
		r -= weights[i];
	}
	return codes[n - 1];
}

#define PICK_CODE(s, codes, weights) \
	pick_code(s, codes, weights, COUNT(codes))

/* --- calendar (calendar.c) ----------------------------------------------- */

/* The civil date of a day number (days from 1970-01-01). */
void synth_civil_from_days(long z, int *y, int *m, int *d);
/* The day number of a YYYY-MM-DD date; today's when it is not one. */
long synth_day_of(const char *date);
/* YYYY-MM-DD of a day number. */
void synth_date(long day, char out[11]);
/* YYYY-MM-DD HH:MM of a day number and a minute of the day. */
void synth_datetime(long day, int minute, char out[32]);

/* --- people of the region (people.c) ------------------------------------- */

/* A surname of the region, weighted for the north-east. */
const char *synth_surname(struct synth *s);
/* A surname of the Korean (朝鲜族) families of Jilin. */
const char *synth_korean_surname(struct synth *s);
/* A full name of a man or a woman: the surname and a given name. */
void synth_person_name(struct synth *s, const char *surname, int male,
		       char *out, size_t len);
/* Anyone's name, of any surname: a man with a probability of
 * male_per_mille / 1000. */
void synth_any_name(struct synth *s, unsigned male_per_mille, char *out,
		    size_t len);
void synth_mobile(struct synth *s, char out[12]);
/* A landline in the township's area code. */
void synth_landline(struct synth *s, char out[16]);
/* Another Jilin region (six digits) a parent may be registered in. */
const char *synth_other_region(struct synth *s);
/* An 18-character ID number: region, birth date, order code (its last
 * digit odd for a man), check character. */
void synth_id_number(const char *region, long birth, unsigned order3,
		     char out[19]);
/* The order code of the next child born on `birth` of a sex, unique in
 * this generator; -1 when that day's 500 are used. */
int synth_child_order(struct synth *s, long birth, int male);

/* --- the township (township.c) ------------------------------------------ */

/* One of the groups (村民小组) of a village. */
const char *synth_village_group(struct synth *s, const struct village *v);

/* --- building a record (builder.c) --------------------------------------- */

/* A record's fields gathered on the stack and handed to the record at
 * the end in one block (store_record_fill): a record set field by field
 * cost two allocator calls a field, and synthetic records are made by
 * the hundred thousand. A failure (too many fields or bytes) is kept for
 * the end. */
enum { BUILDER_FIELDS = 96, BUILDER_BYTES = 8192 };

struct builder {
	struct store_record *rec;
	int failed;
	size_t n, used;
	struct store_field field[BUILDER_FIELDS]; /* strings in buf */
	char buf[BUILDER_BYTES];
};

/* A builder for a new record of kind; builder_finish() hands it over. */
void builder_start(struct builder *b, enum store_kind kind);
/* Sets a field; NULL or "" removes it, as store_record_set does. */
void builder_put(struct builder *b, const char *key, const char *value);
void builder_putf(struct builder *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The record, or NULL (freed) when anything failed. */
struct store_record *builder_finish(struct builder *b);

/* --- visits and reports (visit.c, report.c) ------------------------------ */

/* The case number of a saved child (its id before it has one). */
static inline const char *synth_case_of(const struct store_record *child)
{
	const char *c = store_record_get(child, "case_no");
	return c ? c : child->id;
}

/* The fields of a child its visits are made from, looked up once for
 * all of them. */
struct visit_child {
	const char *case_no, *name, *birth_date, *member, *relation, *capacity,
		*enrolment, *contact;
};

void synth_visit_child(const struct store_record *child,
		       struct visit_child *vc);
/* The n-th visit to the child vc was taken from. */
struct store_record *synth_visit_of(struct synth *s,
				    const struct visit_child *vc, int n,
				    const char *today_s);

/* The steps after "reported", in order, up to and including target (an
 * index into form_stage_choices()), into steps[8]; returns how many. */
int synth_next_steps(const struct store_record *report, int target,
		     const char *steps[8]);
/* A step of a report's handling on a day. */
struct store_record *synth_step(struct synth *s,
				const struct store_record *report,
				const char *step, long day, int minute);

#endif
