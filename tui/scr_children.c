/* scr_children.c - the list of children: a window of the rows on screen
 * paged through an index of the store (never the whole ledger in memory),
 * sorted by case number, name, village or next visit due, filtered, and
 * searched as the clerk types (a QR scanner's typing lands there too). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "private.h"
#include "../common/i18n.h"
#include "../print/print.h"
#include "../sheets/sheets.h"

/* Index entries a fetch reads at most when a filter has no index of its
 * own: beyond that it says so rather than freeze. */
#define SCAN_MAX 4000
/* Villages offered in the filter's pick list at most. */
#define VILLAGES_MAX 500

enum sort_by { SORT_ID, SORT_NAME, SORT_VILLAGE, SORT_DUE, SORT_COUNT };

/* Each order: its index and the child field that names it in the header. */
static const struct {
	enum store_index index;
	const char *field;
} sorts[SORT_COUNT] = {
	{ STORE_BY_ID, FK_case_no },
	{ STORE_BY_NAME_ORDER, FK_name },
	{ STORE_BY_VILLAGE, FK_village },
	{ STORE_BY_DUE, FK_next_visit_due },
};

enum show { SHOW_ACTIVE, SHOW_VILLAGE, SHOW_EXITED, SHOW_FLAG, SHOW_TURN16, SHOW_MEMBER,
	    SHOW_KEY_CASES };

/* A row on screen: the child and its key in the index paged through. */
struct row {
	struct store_record *rec;
	char *ikey;
};

/* Where a scan stopped at SCAN_MAX: the next fetch that way goes on from
 * there (everything between the window's edge and it did not match). */
struct mark {
	char *ikey, *id;
};

struct children {
	enum sort_by sort;
	enum show show;
	unsigned flag;            /* SHOW_FLAG: any of these bits */
	char village[16];         /* SHOW_VILLAGE: the code */
	char village_name[64];
	struct ledger_member member; /* SHOW_MEMBER: whose children */
	/* Another office's children only ("220221100-"), read-only; "" for
	 * the whole ledger. */
	char prefix[16];
	char office_name[128];
	/* A village user of one village: the list pages through that
	 * village's entries, not the whole ledger's. */
	char scope[13];
	struct row *rows;         /* the window, in list order */
	int n, cap, sel;
	int fit;                  /* the page size the window was made for */
	struct mark more_fwd, more_back;
	int count_known;
	uint64_t count;
	/* search as you type */
	int searching;
	struct tui_line line;
	char *query;              /* the text the hits are for */
	struct store_record **hits;
	/* hlimit: how many the search looks for (HITS_ALL: every one); a
	 * page at first, more as the clerk pages past the last; htop: the
	 * first shown. */
	int nhits, hcap, hsel, hlimit, htop;
	char title[256];
};

static const struct tui_keyhelp children_keys[] = {
	{ "Enter", N_("open"), 1 },
	{ "/", N_("search"), 1 },
	{ "o", N_("sort"), 1 },
	{ "f", N_("filter"), 1 },
	{ "F3 a", N_("register"), 1 },
	{ "w", N_("write the list"), 1 },
	{ "p", N_("print"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "0-9", N_("search by case or ID number (a scanner types here)"), 0 },
	{ "↑↓ j k", N_("move"), 0 },
	{ "PgDn PgUp Space b", N_("a screenful down or up"), 0 },
	{ "Home End g G", N_("first or last child"), 0 },
	{ NULL, NULL, 0 },
};

/* --- rows and marks --- */

/* Frees a row's record and key. */
static void row_free(struct row *r)
{
	store_record_free(&r->rec);
	free(r->ikey);
	r->ikey = NULL;
}

/* Forgets where a scan stopped. */
static void mark_clear(struct mark *m)
{
	free(m->ikey);
	free(m->id);
	m->ikey = m->id = NULL;
}

/* Remembers where a scan stopped (forgets it when memory ran out). */
static void mark_set(struct mark *m, const char *ikey, const char *id)
{
	mark_clear(m);
	m->ikey = strdup(ikey);
	m->id = strdup(id);
	if (m->ikey == NULL || m->id == NULL)
		mark_clear(m);
}

/* Moves mark src into dst. */
static void mark_take(struct mark *dst, struct mark *src)
{
	mark_clear(dst);
	*dst = *src;
	src->ikey = src->id = NULL;
}

/* Empties the window and its scan marks. */
static void window_clear(struct children *c)
{
	for (int i = 0; i < c->n; i++)
		row_free(&c->rows[i]);
	c->n = 0;
	c->sel = 0;
	mark_clear(&c->more_fwd);
	mark_clear(&c->more_back);
}

/* Room for n rows in the window; 0 when memory ran out. */
static int window_reserve(struct children *c, int n)
{
	if (n <= c->cap)
		return 1;
	struct row *p = realloc(c->rows, (size_t)n * sizeof(*p));
	if (p == NULL)
		return 0;
	c->rows = p;
	c->cap = n;
	return 1;
}

/* Rows of children the screen shows: between the column header and the
 * line about the selected child. */
static int page_rows(const struct tui *t)
{
	int n = t->rows - 8;
	return n < 1 ? 1 : n;
}

/* --- which index, which rows --- */

/* The index the list pages through and, when the list is one key of it,
 * that key in *fixed (the entries of one key are in case-number order). */
static enum store_index source(const struct children *c, const char **fixed)
{
	*fixed = NULL;
	if (c->show == SHOW_VILLAGE && (c->sort == SORT_ID || c->sort == SORT_VILLAGE)) {
		*fixed = c->village;
		return STORE_BY_VILLAGE;
	}
	if (c->scope[0] && (c->sort == SORT_ID || c->sort == SORT_VILLAGE)) {
		*fixed = c->scope;
		return STORE_BY_VILLAGE;
	}
	if (c->sort == SORT_ID) {
		*fixed = c->show == SHOW_EXITED ? "exited" : "active";
		return STORE_BY_STATUS;
	}
	return sorts[c->sort].index;
}

/* The key of rec in index ix, or NULL when rec is not in it. */
static const char *index_key(const struct store_record *rec, enum store_index ix)
{
	switch (ix) {
	case STORE_BY_NAME_ORDER: return store_record_get(rec, FK_name_sort);
	case STORE_BY_VILLAGE: return store_record_get(rec, FK_village_code);
	case STORE_BY_STATUS: return store_record_get(rec, FK_status);
	case STORE_BY_DUE: return store_record_get(rec, FK_next_visit_due);
	default: return rec->id;
	}
}

/* The label of a child field in the user's language. */
static const char *child_label(const char *key)
{
	const struct form_field *f = form_field_find(STORE_CHILD, key);
	return f ? form_label(f) : key;
}

/* Whether the child has left the ledger. */
static int is_exited(const struct store_record *rec)
{
	const char *s = store_record_get(rec, FK_status);
	return s != NULL && strcmp(s, "exited") == 0;
}

/* Whether a child belongs in the list whatever the order. */
static int shown(const struct children *c, const struct tui *t,
		 const struct store_record *rec)
{
	const char *v;
	if (c->prefix[0] && strncmp(rec->id, c->prefix, strlen(c->prefix)) != 0)
		return 0;
	/* A village user: their villages' children only. */
	if (!tui_sees(t, rec))
		return 0;
	switch (c->show) {
	case SHOW_ACTIVE:
		return !is_exited(rec);
	case SHOW_VILLAGE:
		v = store_record_get(rec, FK_village_code);
		return v != NULL && strcmp(v, c->village) == 0;
	case SHOW_EXITED:
		return is_exited(rec);
	case SHOW_FLAG:
		return !is_exited(rec) && (form_child_flags(rec, t->today) & c->flag) != 0;
	case SHOW_TURN16:
		return !is_exited(rec) && form_turns16_in_month(store_record_get(rec, FK_birth_date), t->today);
	case SHOW_MEMBER:
		return !is_exited(rec) && ledger_member_matches(&c->member, rec);
	case SHOW_KEY_CASES:
		v = store_record_get(rec, FK_key_case);
		return !is_exited(rec) && v != NULL && strcmp(v, "yes") == 0;
	}
	return 0;
}

/* 1 when the entry (ikey, rec) is a row of the list, 0 when it is not, -1
 * when the list's one key has been passed (nothing further matches). */
static int keep(const struct children *c, const struct tui *t, const char *fixed,
		const char *ikey, const struct store_record *rec)
{
	if (fixed != NULL && strcmp(ikey, fixed) != 0)
		return -1;
	return shown(c, t, rec);
}


/* Reads up to want rows after (ikey, id), or before it when backward,
 * nearest first, into out; ikey NULL starts at the list's first (or last)
 * row. Returns the number read (0 on an error, shown). When the scan
 * stops at SCAN_MAX, *stop is where. */
static int fetch(struct tui *t, struct children *c, const char *ikey, const char *id,
		 int backward, int want, struct row *out, struct mark *stop)
{
	const char *fixed;
	enum store_index ix = source(c, &fixed);
	struct xb_error err;
	struct store_iter *it = NULL;
	struct store_record *r;
	const char *k;
	int got = 0, scanned = 0, ret;

	/* The entries of one key are in case-number order: one office's
	 * children lie together, from its prefix on. */
	char hi[24];
	size_t plen = strlen(c->prefix);
	snprintf(hi, sizeof(hi), "%s\xff", c->prefix);
	xb_error_clear(&err);
	mark_clear(stop);
	if (!(t->who.perms & (1u << LEDGER_READ)))
		return 0; /* disabled meanwhile: nothing to show */
	if (ikey == NULL && fixed != NULL) {
		ikey = fixed;
		id = backward ? (plen ? hi : "\xff") : c->prefix;
	}
	ret = store_iter_seek(t->st, STORE_CHILD, ix, ikey, id, backward, &it, &err);
	while (ret == XB_OK && got < want) {
		ret = store_iter_next(it, &r, &k, &err);
		if (ret <= 0)
			break;
		ret = XB_OK;
		int m = keep(c, t, fixed, k, r);
		if (m >= 0 && plen && fixed != NULL) {
			int cmp = strncmp(r->id, c->prefix, plen);
			if ((!backward && cmp > 0) || (backward && cmp < 0))
				m = -1; /* past the office's children */
		}
		if (m < 0) {
			store_record_free(&r);
			break;
		}
		if (m > 0) {
			out[got].rec = r;
			out[got].ikey = strdup(k);
			if (out[got].ikey == NULL) {
				store_record_free(&out[got].rec);
				break;
			}
			got++;
			continue;
		}
		if (++scanned >= SCAN_MAX) {
			mark_set(stop, k, r->id);
			store_record_free(&r);
			break;
		}
		store_record_free(&r);
	}
	store_iter_close(&it);
	if (ret < 0)
		tui_error(t, &err);
	return got;
}

/* Adds k rows (nearest first) after the window's end, or before its start
 * when backward, dropping as many at the other end as keep it within
 * max. Returns the rows dropped. */
static int extend(struct children *c, struct row *add, int k, int backward, int max)
{
	int drop = c->n + k - max;
	if (drop < 0)
		drop = 0;
	if (drop > c->n)
		drop = c->n;
	if (!backward) {
		for (int i = 0; i < drop; i++)
			row_free(&c->rows[i]);
		memmove(c->rows, c->rows + drop, (size_t)(c->n - drop) * sizeof(*c->rows));
		c->n -= drop;
		for (int i = 0; i < k && c->n < max; i++)
			c->rows[c->n++] = add[i];
		if (drop > 0)
			mark_clear(&c->more_back);
	} else {
		for (int i = c->n - drop; i < c->n; i++)
			row_free(&c->rows[i]);
		c->n -= drop;
		int put = k < max ? k : max;
		memmove(c->rows + put, c->rows, (size_t)c->n * sizeof(*c->rows));
		for (int i = 0; i < put; i++)
			c->rows[put - 1 - i] = add[i];
		c->n += put;
		if (drop > 0)
			mark_clear(&c->more_fwd);
	}
	return drop;
}

/* Fetches up to want rows beyond the window's end (or start) and adds
 * them; returns how many came. Says when the list ends or a scan
 * stopped. */
static int grow(struct tui *t, struct children *c, int want, int backward, int max,
		int say)
{
	struct mark *more = backward ? &c->more_back : &c->more_fwd;
	struct mark stop = { NULL, NULL };
	const char *ikey = NULL, *id = NULL;
	if (more->id != NULL) {
		ikey = more->ikey;
		id = more->id;
	} else if (c->n > 0) {
		const struct row *edge = &c->rows[backward ? 0 : c->n - 1];
		ikey = edge->ikey;
		id = edge->rec->id;
	} else if (backward) {
		return 0; /* an empty window grows forward only */
	}
	if (!window_reserve(c, max) || want <= 0)
		return 0;
	struct row *add = calloc((size_t)want, sizeof(*add));
	if (add == NULL)
		return 0;
	int k = fetch(t, c, ikey, id, backward, want, add, &stop);
	int limited = stop.id != NULL;
	mark_take(more, &stop);
	extend(c, add, k, backward, max);
	free(add);
	if (say && limited && k < want)
		tui_message(t, 0, _("No more within the next %d records; press %s again "
				    "to look further."), SCAN_MAX, backward ? "↑" : "↓");
	else if (say && k == 0)
		tui_message(t, 0, "%s", backward ? _("This is the start of the list.")
						 : _("This is the end of the list."));
	return k;
}

/* Makes the window the list's first page (or its last). */
static void window_home(struct tui *t, struct children *c, int end)
{
	int max = page_rows(t);
	window_clear(c);
	c->fit = max;
	if (!window_reserve(c, max))
		return;
	if (!end) {
		grow(t, c, max, 0, max, 0);
		c->sel = 0;
		return;
	}
	struct mark stop = { NULL, NULL };
	struct row *add = calloc((size_t)max, sizeof(*add));
	if (add == NULL)
		return;
	int k = fetch(t, c, NULL, NULL, 1, max, add, &stop);
	mark_take(&c->more_back, &stop);
	extend(c, add, k, 1, max);
	free(add);
	c->sel = c->n > 0 ? c->n - 1 : 0;
}

/* Rebuilds the window around the entry (ikey, id): up to `above` rows
 * before it, then self (the child itself, taken; may be NULL when it left
 * the list), then the rows after. The selection lands on self, or on the
 * row that took its place. */
static void window_around(struct tui *t, struct children *c, const char *ikey,
			  const char *id, struct store_record *self, int above)
{
	int max = page_rows(t);
	char *k0 = strdup(ikey), *id0 = strdup(id);
	window_clear(c);
	c->fit = max;
	if (k0 == NULL || id0 == NULL || !window_reserve(c, max)) {
		free(k0);
		free(id0);
		store_record_free(&self);
		return;
	}
	if (above > max - 1)
		above = max - 1;
	if (above < 0)
		above = 0;
	struct mark stop = { NULL, NULL };
	struct row *add = calloc((size_t)max, sizeof(*add));
	int k = 0;
	if (add != NULL && above > 0) {
		k = fetch(t, c, k0, id0, 1, above, add, &stop);
		mark_take(&c->more_back, &stop);
		extend(c, add, k, 1, max);
	}
	if (self != NULL) {
		c->rows[c->n].rec = self;
		c->rows[c->n].ikey = strdup(k0);
		if (c->rows[c->n].ikey == NULL)
			store_record_free(&c->rows[c->n].rec);
		else
			c->n++;
	}
	c->sel = c->n > k ? k : (c->n > 0 ? c->n - 1 : 0);
	if (add != NULL && c->n < max) {
		int f = fetch(t, c, k0, id0, 0, max - c->n, add, &stop);
		mark_take(&c->more_fwd, &stop);
		extend(c, add, f, 0, max);
		if (self == NULL && f > 0)
			c->sel = k;
	}
	/* Near the list's end: fill the page from above. */
	if (add != NULL && c->n < max && c->n > 0 && k == above && c->more_back.id == NULL) {
		int before = c->n;
		grow(t, c, max - c->n, 1, max, 0);
		c->sel += c->n - before;
	}
	if (c->sel >= c->n)
		c->sel = c->n > 0 ? c->n - 1 : 0;
	free(add);
	free(k0);
	free(id0);
}

/* Rebuilds the window keeping the selected child where it is when it is
 * still in the list (it may have changed, left, or the order changed). */
static void window_reload(struct tui *t, struct children *c)
{
	if (c->n == 0) {
		window_home(t, c, 0);
		return;
	}
	const char *fixed;
	enum store_index ix = source(c, &fixed);
	struct row *cur = &c->rows[c->sel];
	char *old_key = strdup(cur->ikey), *id = strdup(cur->rec->id);
	int above = c->sel;
	struct store_record *now = NULL;
	struct xb_error err;
	xb_error_clear(&err);
	if (old_key == NULL || id == NULL) {
		free(old_key);
		free(id);
		return;
	}
	if (store_get(t->st, NULL, STORE_CHILD, id, &now, &err) == XB_OK) {
		const char *k = index_key(now, ix);
		if (k != NULL && keep(c, t, fixed, k, now) > 0) {
			char *key = strdup(k);
			if (key != NULL) {
				window_around(t, c, key, id, now, above);
				free(key);
				free(old_key);
				free(id);
				return;
			}
		}
		store_record_free(&now);
	}
	/* Gone from the list, or moved within it: show its old place. When
	 * the order changed, the old key means nothing here: start over. */
	if (index_key(cur->rec, ix) != NULL && strcmp(index_key(cur->rec, ix), old_key) == 0)
		window_around(t, c, old_key, id, NULL, above);
	else
		window_home(t, c, 0);
	free(old_key);
	free(id);
}

/* Fits the window to the page size after a resize: trims it around the
 * selection or fills it from the store. */
static void window_fit(struct tui *t, struct children *c)
{
	int max = page_rows(t);
	if (c->fit == max)
		return;
	c->fit = max;
	if (c->n > max) {
		int top = c->sel - (max - 1);
		if (top < 0)
			top = 0;
		for (int i = 0; i < top; i++)
			row_free(&c->rows[i]);
		memmove(c->rows, c->rows + top, (size_t)(c->n - top) * sizeof(*c->rows));
		c->n -= top;
		c->sel -= top;
		if (top > 0)
			mark_clear(&c->more_back);
		if (c->n > max) {
			for (int i = max; i < c->n; i++)
				row_free(&c->rows[i]);
			c->n = max;
			mark_clear(&c->more_fwd);
		}
		return;
	}
	if (c->n == 0)
		return;
	grow(t, c, max - c->n, 0, max, 0);
	if (c->n < max) {
		int before = c->n;
		grow(t, c, max - c->n, 1, max, 0);
		c->sel += c->n - before;
	}
}

/* --- counts and the title --- */

/* The labels of the flags in mask, joined, into buf. */
static const char *flag_mask_label(unsigned mask, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int b = 0; b < FORM_FLAG_COUNT; b++) {
		if (!(mask & (1u << b)))
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? " / " : "",
			 form_flag_label(1u << b));
	}
	return buf;
}

/* What the list shows, in words. */
static const char *show_label(const struct children *c, char *buf, size_t len)
{
	switch (c->show) {
	case SHOW_ACTIVE:
		snprintf(buf, len, "%s", _("Children in the ledger"));
		break;
	case SHOW_VILLAGE:
		snprintf(buf, len, _("%s (%s)"), c->village_name, c->village);
		break;
	case SHOW_EXITED:
		snprintf(buf, len, "%s", _("Left the ledger"));
		break;
	case SHOW_FLAG:
		flag_mask_label(c->flag, buf, len);
		break;
	case SHOW_TURN16:
		snprintf(buf, len, "%s", _("Turning 16 this month"));
		break;
	case SHOW_MEMBER:
		snprintf(buf, len, "%s: %s", child_label(FK_member_name),
			 c->member.display[0] ? c->member.display : c->member.name);
		break;
	case SHOW_KEY_CASES:
		snprintf(buf, len, "%s", child_label(FK_key_case));
		break;
	}
	return buf;
}

/* A village user's children of status (active, exited): their
 * villages' entries counted (a village holds some tens). */
static int scoped_count(struct tui *t, const char *status, uint64_t *n,
			struct xb_error *err)
{
	int ret = XB_OK;
	*n = 0;
	for (size_t v = 0; v < t->who.nvillages && ret == XB_OK; v++) {
		struct store_iter *it;
		struct store_record *r;
		ret = store_iter_open(t->st, STORE_CHILD, STORE_BY_VILLAGE, STORE_EXACT,
				      t->who.villages[v], &it, err);
		while (ret == XB_OK && (ret = store_iter_next(it, &r, NULL, err)) == 1) {
			const char *s = store_record_get(r, FK_status);
			ret = XB_OK;
			*n += s != NULL && strcmp(s, status) == 0;
			store_record_free(&r);
		}
		store_iter_close(&it);
		ret = ret < 0 ? ret : XB_OK;
	}
	return ret;
}

/* Counts the list where an index gives it at once. */
static void count_list(struct tui *t, struct children *c)
{
	struct xb_error err;
	xb_error_clear(&err);
	c->count_known = 0;
	int ret = XB_EINVAL;
	if (c->prefix[0])
		return; /* the indexes count the whole ledger */
	if (t->who.scoped) {
		if (!(t->who.perms & (1u << LEDGER_READ)))
			ret = XB_EINVAL;
		else if (c->show == SHOW_ACTIVE || c->show == SHOW_EXITED)
			ret = scoped_count(t, c->show == SHOW_ACTIVE ? "active" : "exited",
					   &c->count, &err);
		else if (c->show == SHOW_VILLAGE && ledger_who_sees_village(&t->who, c->village))
			ret = store_index_count(t->st, STORE_CHILD, STORE_BY_VILLAGE,
						c->village, &c->count, &err);
		c->count_known = ret == XB_OK;
		return;
	}
	if (c->show == SHOW_ACTIVE)
		ret = store_index_count(t->st, STORE_CHILD, STORE_BY_STATUS, "active",
					&c->count, &err);
	else if (c->show == SHOW_EXITED)
		ret = store_index_count(t->st, STORE_CHILD, STORE_BY_STATUS, "exited",
					&c->count, &err);
	else if (c->show == SHOW_VILLAGE)
		ret = store_index_count(t->st, STORE_CHILD, STORE_BY_VILLAGE, c->village,
					&c->count, &err);
	c->count_known = ret == XB_OK;
}

/* The title: what list this is and, where an index counts it, how many. */
static const char *children_title(struct tui *t, void *data)
{
	struct children *c = data;
	char what[160];
	(void)t;
	show_label(c, what, sizeof(what));
	if (c->prefix[0])
		snprintf(c->title, sizeof(c->title), _("%s (%.*s), read-only: %s"),
			 c->office_name, (int)strlen(c->prefix) - 1, c->prefix, what);
	else if (c->count_known && c->show == SHOW_ACTIVE)
		snprintf(c->title, sizeof(c->title), _("Children in the ledger (%llu)"),
			 (unsigned long long)c->count);
	else if (c->count_known)
		snprintf(c->title, sizeof(c->title), _("Children: %s (%llu)"), what,
			 (unsigned long long)c->count);
	else
		snprintf(c->title, sizeof(c->title), _("Children: %s"), what);
	return c->title;
}

/* --- search --- */

/* Forgets the search results. */
static void hits_clear(struct children *c)
{
	for (int i = 0; i < c->nhits; i++)
		store_record_free(&c->hits[i]);
	c->nhits = 0;
	c->hsel = 0;
	free(c->query);
	c->query = NULL;
}

/* Keeps a copy of one search result (ledger_search's callback). */
static int hit_add(const struct store_record *rec, void *arg)
{
	struct children *c = arg;
	if (c->prefix[0] && strncmp(rec->id, c->prefix, strlen(c->prefix)) != 0)
		return 0;
	if (c->prefix[0] && c->nhits >= c->hlimit)
		return 1;
	if (c->nhits == c->hcap) {
		int cap = c->hcap ? c->hcap * 2 : 32;
		struct store_record **p = realloc(c->hits, (size_t)cap * sizeof(*p));
		if (p == NULL)
			return 1;
		c->hits = p;
		c->hcap = cap;
	}
	c->hits[c->nhits] = store_record_dup(rec);
	if (c->hits[c->nhits] != NULL)
		c->nhits++;
	return 0;
}

/* The length of the prefix a scanner types before the case number
 * ("XB1:", any case; doc/design.md "Identifiers") when s begins with it, else 0. */
static size_t slip_prefix_len(const char *s)
{
	static const char prefix[] = SLIP_PREFIX ":";
	return strncasecmp(s, prefix, sizeof(prefix) - 1) == 0 ? sizeof(prefix) - 1 : 0;
}

/* The search text as typed, trimmed, without a scanner's prefix
 * (malloc'd; NULL when out of memory). */
static char *search_text(const struct children *c)
{
	char *s = tui_line_get(&c->line);
	if (s == NULL)
		return NULL;
	char *p = s;
	while (*p == ' ')
		p++;
	p += slip_prefix_len(p);
	while (*p == ' ')
		p++;
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

enum { HITS_ALL = INT_MAX };

/* Looks up what is typed: hlimit matches, at least a screenful. */
static void run_search(struct tui *t, struct children *c)
{
	int keep_sel = c->hsel;
	char *text = search_text(c);
	hits_clear(c);
	if (c->hlimit < page_rows(t))
		c->hlimit = page_rows(t);
	if (text == NULL || text[0] == '\0') {
		free(text);
		return;
	}
	struct xb_error err;
	xb_error_clear(&err);
	/* One office's children: the matches of others are passed over, so
	 * hit_add counts its own. */
	size_t limit = c->prefix[0] || c->hlimit == HITS_ALL ? 0 : (size_t)c->hlimit;
	if (ledger_search_as(t->st, t->user, text, limit, hit_add, c, &err) != XB_OK)
		tui_error(t, &err);
	c->query = text;
	c->hsel = keep_sel < c->nhits ? keep_sel : 0;
}

/* Whether the list shows search results rather than the pages. */
static int showing_hits(const struct children *c)
{
	return c->searching && c->query != NULL;
}

/* Closes the search line: back to the pages. */
static void search_stop(struct children *c)
{
	c->searching = 0;
	tui_line_set(&c->line, "");
	hits_clear(c);
}

/* --- drawing --- */

enum col { C_CASE, C_NAME, C_SEX, C_AGE, C_VILLAGE, C_TYPE, C_DATE, C_FLAGS, C_COUNT };

struct layout {
	int x[C_COUNT], w[C_COUNT];
};

/* Columns of the widest of a field's label and its choices' labels. */
static int choice_width(const char *key)
{
	const struct form_field *f = form_field_find(STORE_CHILD, key);
	int w = tui_width(child_label(key));
	for (const struct form_choice *ch = f ? f->choices : NULL; ch && ch->code; ch++)
		if (tui_width(form_choice_label(f, ch->code)) > w)
			w = tui_width(form_choice_label(f, ch->code));
	return w;
}

/* The columns for the terminal's width: 80 columns fit all; more widen
 * the type and flags most (names and villages are short). */
static void layout(const struct tui *t, struct layout *l)
{
	int *w = l->w;
	w[C_CASE] = 17;
	w[C_SEX] = choice_width(FK_sex);
	if (w[C_SEX] > 8)
		w[C_SEX] = 8;
	w[C_AGE] = tui_width(_("Age")) > 3 ? tui_width(_("Age")) : 3;
	if (w[C_AGE] > 6)
		w[C_AGE] = 6;
	w[C_DATE] = 10;
	int rest = t->cols - (w[C_CASE] + w[C_SEX] + w[C_AGE] + w[C_DATE]) - (C_COUNT - 1);
	int extra = rest - 38, fifth = extra > 0 ? extra / 5 : 0;
	w[C_NAME] = 8 + (fifth < 2 ? fifth : 2);
	w[C_VILLAGE] = 10 + (fifth < 4 ? fifth : 4);
	w[C_TYPE] = 8 + (2 * fifth < 16 ? 2 * fifth : 16);
	w[C_FLAGS] = rest - w[C_NAME] - w[C_VILLAGE] - w[C_TYPE];
	if (w[C_FLAGS] < 4)
		w[C_FLAGS] = 4;
	int x = 0;
	for (int i = 0; i < C_COUNT; i++) {
		l->x[i] = x;
		x += w[i] + 1;
	}
	if (l->x[C_FLAGS] + w[C_FLAGS] > t->cols)
		w[C_FLAGS] = t->cols - l->x[C_FLAGS];
}

/* The date column: the next visit due when the list is in that order,
 * else the last visit. */
static const char *date_key(const struct children *c)
{
	return c->sort == SORT_DUE ? FK_next_visit_due : FK_last_visit;
}

/* Row 3: the column names, from the schema's labels. */
static void draw_header(struct tui *t, const struct children *c, const struct layout *l,
			int y)
{
	attr_t a = tui_attr(t, TUI_LABEL) | A_BOLD;
	const char *heads[C_COUNT] = {
		child_label(FK_case_no), child_label(FK_name), child_label(FK_sex), _("Age"),
		child_label(FK_village), child_label(FK_left_behind_type),
		child_label(date_key(c)), _("Flags"),
	};
	tui_fill(y, 0, t->cols, a);
	for (int i = 0; i < C_COUNT; i++)
		tui_put(y, l->x[i], l->w[i], heads[i], a);
}

/* The flags of a child in words into buf, those a narrow column must not
 * cut first: the one the list is of (first), then those that want the
 * clerk's eye (unsupervised, visit overdue, over age), then the rest.
 * Returns whether any wants the clerk's eye. */
static int flag_words(const struct tui *t, const struct children *c,
		      const struct store_record *rec, char *buf, size_t len)
{
	const unsigned eye = FORM_FLAG_UNSUPERVISED | FORM_FLAG_VISIT_OVERDUE |
			     FORM_FLAG_OVER_AGE;
	unsigned fl = form_child_flags(rec, t->today);
	unsigned first = c->show == SHOW_FLAG ? (unsigned)c->flag & fl : 0;
	const char *sep = form_lang_is_zh() ? "、" : ", ";
	size_t used = 0;
	buf[0] = '\0';
	for (int pass = 0; pass < 3; pass++)
		for (int b = 0; b < FORM_FLAG_COUNT; b++) {
			unsigned bit = 1u << b;
			int in = pass == 0 ? (first & bit) != 0
				 : pass == 1 ? (fl & bit & eye & ~first) != 0
					     : (fl & bit & ~eye & ~first) != 0;
			if (!in || used + 1 >= len)
				continue;
			int n = snprintf(buf + used, len - used, "%s%s", used ? sep : "",
					 form_flag_label(bit));
			if (n > 0)
				used += (size_t)n < len - used ? (size_t)n : len - used - 1;
		}
	return (fl & eye) != 0;
}

/* "Left the ledger: reason, date" of an exited child into buf. */
static void exit_words(const struct store_record *rec, char *buf, size_t len)
{
	const struct form_field *fs = form_field_find(STORE_CHILD, FK_status);
	const struct form_field *fr = form_field_find(STORE_CHILD, FK_exit_reason);
	const char *reason = store_record_get(rec, FK_exit_reason);
	const char *date = store_record_get(rec, FK_exit_date);
	snprintf(buf, len, "%s%s%s%s%s", form_choice_label(fs, "exited"),
		 reason ? _(": ") : "", reason ? form_choice_label(fr, reason) : "",
		 date ? " " : "", date ? date : "");
}

/* One child on row y; flags that want the clerk's eye in the warning colour.
 * The selection marks the name only: moving it then repaints two short
 * stretches, not two whole rows (a serial line at 9600 baud carries some
 * 1,000 bytes a second; with the case number marked too a move cost a
 * third more). */
static void draw_row(struct tui *t, const struct children *c, const struct layout *l,
		     int y, const struct store_record *rec, int selected)
{
	attr_t sel = tui_attr(t, selected ? TUI_SELECTED : TUI_NORMAL);
	attr_t a = tui_attr(t, TUI_NORMAL);
	int exited = is_exited(rec);
	if (exited) {
		a = tui_attr(t, TUI_DIM);
		if (!selected)
			sel = a;
	}
	const struct form_field *sex = form_field_find(STORE_CHILD, FK_sex);
	const struct form_field *type = form_field_find(STORE_CHILD, FK_left_behind_type);
	const char *v;
	char buf[512];

	tui_fill(y, 0, t->cols, a);
	tui_fill(y, l->x[C_NAME], l->w[C_NAME], sel);
	tui_put(y, l->x[C_CASE], l->w[C_CASE], rec->id, a);
	v = store_record_get(rec, FK_name);
	tui_put(y, l->x[C_NAME], l->w[C_NAME], v ? v : "-", sel);
	v = store_record_get(rec, FK_sex);
	tui_put(y, l->x[C_SEX], l->w[C_SEX], v ? form_choice_label(sex, v) : "-", a);
	int age = form_age(store_record_get(rec, FK_birth_date), t->today);
	if (age >= 0)
		snprintf(buf, sizeof(buf), "%d", age);
	else
		snprintf(buf, sizeof(buf), "-");
	tui_put_right(y, l->x[C_AGE], l->w[C_AGE], buf, a);
	v = store_record_get(rec, FK_village);
	tui_put(y, l->x[C_VILLAGE], l->w[C_VILLAGE], v ? v : "-", a);
	tui_put(y, l->x[C_TYPE], l->w[C_TYPE],
		form_choice_label(type, form_left_behind_type(rec)), a);
	v = store_record_get(rec, date_key(c));
	tui_put(y, l->x[C_DATE], l->w[C_DATE], v ? v : "-", a);
	if (exited) {
		exit_words(rec, buf, sizeof(buf));
		tui_put(y, l->x[C_FLAGS], l->w[C_FLAGS], buf, a);
	} else {
		int warn = flag_words(t, c, rec, buf, sizeof(buf));
		tui_put(y, l->x[C_FLAGS], l->w[C_FLAGS], buf,
			warn ? tui_attr(t, TUI_WARN) : a);
	}
}

/* The two lines under the rows: all that the columns cut short about
 * the selected child, its flags on the second. */
static void draw_detail(struct tui *t, const struct children *c,
			const struct store_record *rec, int y)
{
	char flags[512], line[1024];
	(void)c;
	if (rec == NULL)
		return;
	const struct form_field *type = form_field_find(STORE_CHILD, FK_left_behind_type);
	const char *due = store_record_get(rec, FK_next_visit_due);
	const char *member = store_record_get(rec, FK_member_name);
	int warn = 0;
	if (is_exited(rec))
		exit_words(rec, flags, sizeof(flags));
	else
		warn = flag_words(t, c, rec, flags, sizeof(flags));
	/* Fixed places, the longest texts last: from one child to the next
	 * only the characters that differ are sent. */
	int x = 0;
	attr_t dim = tui_attr(t, TUI_DIM);
	snprintf(line, sizeof(line), "%s %s", child_label(FK_next_visit_due), due ? due : "-");
	x += tui_put(y, x, t->cols - x, line, dim) + 2;
	tui_fill(y, x - 2, 2, dim);
	snprintf(line, sizeof(line), "%s %s", child_label(FK_member_name), member ? member : "-");
	int mw = tui_width(child_label(FK_member_name)) + 1 + 8;
	tui_put(y, x, mw, line, dim);
	x += mw + 2;
	tui_fill(y, x - 2, 2, dim);
	int tw = 26;
	tui_put(y, x, tw, form_choice_label(type, form_left_behind_type(rec)), dim);
	tui_fill(y, x + tw, t->cols > x + tw ? t->cols - x - tw : 0, dim);
	/* The flags have the row below to themselves: a child may have four. */
	tui_put_wrapped(y + 1, 0, t->cols, 1, flags, tui_attr(t, warn ? TUI_WARN : TUI_DIM));
}

/* Row 1: the search line, or how to start one. */
static void draw_search(struct tui *t, struct children *c, int y)
{
	const char *label = _("Search: ");
	int lw = tui_width(label);
	if (!c->searching) {
		tui_put(y, 0, t->cols,
			_("/ or a digit: search by name, pinyin initials (zs), ID number "
			  "or case number"), tui_attr(t, TUI_DIM));
		return;
	}
	tui_put(y, 0, lw, label, tui_attr(t, TUI_LABEL) | A_BOLD);
	int w = t->cols - lw - 1;
	if (w > 40)
		w = 40;
	tui_line_draw(t, &c->line, y, lw, w, tui_attr(t, TUI_INPUT));
	tui_put(y, lw + w + 1, t->cols - lw - w - 1, _("Enter opens, Esc clears"),
		tui_attr(t, TUI_DIM));
}

/* Row 2: the order and the filter, or what the search found. */
static void draw_state(struct tui *t, const struct children *c, int y)
{
	char line[512], what[160];
	if (showing_hits(c)) {
		if (c->nhits >= c->hlimit)
			snprintf(line, sizeof(line),
				 _("The first %d children matching \"%s\"; PgDn or End for "
				   "more, or type more to narrow it."),
				 c->nhits, c->query);
		else
			snprintf(line, sizeof(line), _("%d children match \"%s\"."), c->nhits,
				 c->query);
		tui_put(y, 0, t->cols, line, tui_attr(t, TUI_LABEL));
		return;
	}
	show_label(c, what, sizeof(what));
	snprintf(line, sizeof(line), _("Order: %s%s (o)   Showing: %s (f)"),
		 child_label(sorts[c->sort].field),
		 c->sort == SORT_DUE ? _(" (undated left out)") : "", what);
	tui_put(y, 0, t->cols, line, tui_attr(t, TUI_LABEL));
}

/* Draws the search line, the order and filter, the rows and the detail line. */
static void children_draw(struct tui *t, void *data)
{
	struct children *c = data;
	struct layout l;
	int top = 4, max = page_rows(t);
	const struct store_record *selrec = NULL;

	if (c->searching && c->hlimit < max && c->query != NULL)
		run_search(t, c);
	window_fit(t, c);
	layout(t, &l);
	draw_state(t, c, 2);
	draw_header(t, c, &l, 3);
	if (showing_hits(c)) {
		if (c->hsel < c->htop)
			c->htop = c->hsel;
		if (c->hsel >= c->htop + max)
			c->htop = c->hsel - max + 1;
		for (int i = c->htop; i < c->nhits && i < c->htop + max; i++)
			draw_row(t, c, &l, top + i - c->htop, c->hits[i], i == c->hsel);
		if (c->nhits == 0)
			tui_put(top + 1, 2, t->cols - 4,
				_("No child matches. Try the pinyin initials (zs for 张三), "
				  "part of the ID number or the case number."),
				tui_attr(t, TUI_DIM));
		else
			selrec = c->hits[c->hsel];
	} else {
		for (int i = 0; i < c->n && i < max; i++)
			draw_row(t, c, &l, top + i, c->rows[i].rec, i == c->sel);
		char msg[256];
		if (c->more_fwd.id != NULL || (c->n == 0 && c->more_back.id != NULL))
			snprintf(msg, sizeof(msg),
				 _("Looked through %d records for this filter; press %s "
				   "to look further."), SCAN_MAX,
				 c->more_fwd.id != NULL ? "↓" : "↑");
		else
			snprintf(msg, sizeof(msg), "%s", _("No children in this list."));
		if (c->n > 0)
			selrec = c->rows[c->sel].rec;
		if (c->n < max && (c->n == 0 || c->more_fwd.id != NULL))
			tui_put(top + c->n + (c->n == 0), 2, t->cols - 4, msg,
				tui_attr(t, TUI_DIM));
	}
	draw_detail(t, c, selrec, t->rows - 4);
	/* The search line last: it places the cursor. */
	draw_search(t, c, 1);
}

/* --- keys --- */

/* Opens the selected child, if any. */
static void open_selected(struct tui *t, struct children *c)
{
	const struct store_record *rec = NULL;
	if (showing_hits(c))
		rec = c->nhits > 0 ? c->hits[c->hsel] : NULL;
	else
		rec = c->n > 0 ? c->rows[c->sel].rec : NULL;
	if (rec == NULL)
		return;
	char *id = strdup(rec->id);
	if (id == NULL)
		return;
	tui_child_open(t, id);
	free(id);
}

/* Moves in the pages: Up/Down by a row, PgUp/PgDn by a screenful,
 * Home/End. Returns 0 when the key is not a move. */
static int page_key(struct tui *t, struct children *c, const struct tui_key *k)
{
	int max = page_rows(t);
	if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (c->sel < c->n - 1)
			c->sel++;
		else if (grow(t, c, 1, 0, max, 1) > 0)
			c->sel = c->n - 1;
	} else if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (c->sel > 0)
			c->sel--;
		else if ((c->n > 0 || c->more_back.id != NULL) &&
			 grow(t, c, 1, 1, max, 1) > 0)
			c->sel = 0;
	} else if (k->code == KEY_NPAGE || tui_key_is(k, 0, " ")) {
		/* A screenful on: the rows moved up by those that came; the
		 * selection goes the rest of the way. */
		int was_empty = c->n == 0;
		int got = grow(t, c, max, 0, max, 1);
		c->sel = was_empty ? 0 : c->sel + (max - got);
		if (c->sel >= c->n)
			c->sel = c->n > 0 ? c->n - 1 : 0;
	} else if (k->code == KEY_PPAGE || tui_key_is(k, 0, "b")) {
		int got = c->n > 0 || c->more_back.id != NULL ? grow(t, c, max, 1, max, 1) : 0;
		c->sel -= max - got;
		if (c->sel < 0)
			c->sel = 0;
	} else if (k->code == KEY_HOME || tui_key_is(k, 0, "g")) {
		window_home(t, c, 0);
	} else if (k->code == KEY_END || tui_key_is(k, 0, "G")) {
		window_home(t, c, 1);
	} else {
		return 0;
	}
	return 1;
}

/* Looks for more matches (up to limit) when the search stopped at its
 * limit: paging past the last one found reaches the rest. */
static void hits_grow(struct tui *t, struct children *c, int limit)
{
	if (c->nhits < c->hlimit || c->hlimit == HITS_ALL)
		return;
	c->hlimit = limit;
	run_search(t, c);
}

/* Moves in the search results. Returns 0 when the key is not a move. */
static int hits_key(struct tui *t, struct children *c, const struct tui_key *k)
{
	int page = page_rows(t);
	if (k->code == KEY_DOWN) {
		if (c->hsel >= c->nhits - 1)
			hits_grow(t, c, c->hlimit + page);
		if (c->hsel < c->nhits - 1)
			c->hsel++;
	} else if (k->code == KEY_UP) {
		if (c->hsel > 0)
			c->hsel--;
	} else if (k->code == KEY_NPAGE) {
		if (c->hsel + page > c->nhits - 1)
			hits_grow(t, c, c->hsel + 2 * page);
		c->hsel = c->hsel + page < c->nhits ? c->hsel + page
						     : (c->nhits > 0 ? c->nhits - 1 : 0);
	} else if (k->code == KEY_END) {
		hits_grow(t, c, HITS_ALL);
		c->hsel = c->nhits > 0 ? c->nhits - 1 : 0;
	} else if (k->code == KEY_PPAGE) {
		c->hsel = c->hsel > page ? c->hsel - page : 0;
	} else if (k->code == KEY_HOME) {
		c->hsel = 0;
	} else {
		return 0;
	}
	return 1;
}

/* Enter on the search line: a complete case number (as a scanner types
 * it) opens that child at once; else the selected match. */
static void search_enter(struct tui *t, struct children *c)
{
	char *raw = tui_line_get(&c->line);
	if (raw != NULL && slip_prefix_len(raw + strspn(raw, " ")) > 0) {
		/* A scanned slip: its own checks and messages. */
		search_stop(c);
		tui_scan_open(t, raw);
		free(raw);
		return;
	}
	free(raw);
	char *text = search_text(c);
	if (text != NULL && form_case_check(text, NULL) == XB_OK) {
		if (text[16] == 'x')
			text[16] = 'X';
		search_stop(c);
		tui_child_open(t, text);
	} else if (showing_hits(c)) {
		open_selected(t, c);
	} else if (c->n > 0) {
		open_selected(t, c);
	}
	free(text);
}

/* Another office's list takes no new child; says so. 1 when refused. */
static int refuse_register(struct tui *t, const struct children *c)
{
	if (!c->prefix[0])
		return 0;
	tui_message(t, 1, _("Records of another office (%s) are read-only here."),
		    c->office_name);
	return 1;
}

/* Keys while the search line has the cursor. */
static int search_key(struct tui *t, struct children *c, const struct tui_key *k)
{
	if (tui_key_esc(k)) {
		search_stop(c);
	} else if (tui_key_enter(k)) {
		search_enter(t, c);
	} else if (showing_hits(c) && hits_key(t, c, k)) {
		;
	} else if (!showing_hits(c) && (k->code == KEY_UP || k->code == KEY_DOWN ||
					k->code == KEY_NPAGE || k->code == KEY_PPAGE)) {
		page_key(t, c, k);
	} else if (tui_key_is(k, KEY_F(3), NULL)) {
		if (!refuse_register(t, c))
			tui_form_open(t, STORE_CHILD, NULL, NULL);
	} else if (tui_line_key(&c->line, k)) {
		if (c->line.changed) {
			c->line.changed = 0;
			c->hsel = c->htop = c->hlimit = 0;
			run_search(t, c);
		}
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

/* Starts the search line, with a first character when one was typed. */
static void search_start(struct tui *t, struct children *c, wchar_t first)
{
	c->searching = 1;
	tui_line_set(&c->line, "");
	hits_clear(c);
	c->hlimit = c->htop = 0;
	if (first) {
		struct tui_key k = { 0, first };
		tui_line_key(&c->line, &k);
		c->line.changed = 0;
		run_search(t, c);
	}
}

/* The villages that have children, for the pick list: each one's code,
 * name and line "name (code): N children". */
struct villages {
	char **items, **codes, **names;
	int n;
	int cur; /* the village the list shows now, or 0 */
};

static void villages_free(struct villages *v)
{
	for (int i = 0; i < v->n; i++) {
		free(v->items[i]);
		free(v->codes[i]);
		free(v->names[i]);
	}
	free(v->items);
	free(v->codes);
	free(v->names);
}

/* Keeps the village of the index key k (a record r of it at hand) with
 * its count of children; 0 when memory ran out. */
static int village_add(struct tui *t, const struct children *c, struct villages *v,
		       const char *k, const struct store_record *r)
{
	uint64_t count = 0;
	struct xb_error cerr;
	const char *name = store_record_get(r, FK_village);
	char item[256];
	store_index_count(t->st, STORE_CHILD, STORE_BY_VILLAGE, k, &count, &cerr);
	snprintf(item, sizeof(item), _("%s (%s): %llu children"), name ? name : "?", k,
		 (unsigned long long)count);
	int n = v->n++;
	v->codes[n] = strdup(k);
	v->names[n] = strdup(name ? name : k);
	v->items[n] = strdup(item);
	if (v->codes[n] == NULL || v->names[n] == NULL || v->items[n] == NULL)
		return 0;
	if (c->show == SHOW_VILLAGE && strcmp(v->codes[n], c->village) == 0)
		v->cur = n;
	return 1;
}

/* Reads the villages present (of the office shown, when one is): one seek
 * per village, past the previous village's entries; at most VILLAGES_MAX.
 * Returns < 0 on a store error (in err). */
static int villages_read(struct tui *t, const struct children *c, struct villages *v,
			 struct xb_error *err)
{
	v->items = calloc(VILLAGES_MAX, sizeof(*v->items));
	v->codes = calloc(VILLAGES_MAX, sizeof(*v->codes));
	v->names = calloc(VILLAGES_MAX, sizeof(*v->names));
	/* One office's villages: their codes start with the township's. */
	char town[16];
	size_t tlen = c->prefix[0] ? strlen(c->prefix) - 1 : 0;
	snprintf(town, sizeof(town), "%.*s", (int)tlen, c->prefix);
	/* The village seen last: the next seek goes past its entries. */
	char last[16] = "";
	int ret = 1;
	while (v->items != NULL && v->codes != NULL && v->names != NULL && v->n < VILLAGES_MAX) {
		struct store_iter *it = NULL;
		struct store_record *r = NULL;
		const char *k;
		ret = store_iter_seek(t->st, STORE_CHILD, STORE_BY_VILLAGE,
				      last[0] ? last : tlen ? town : NULL,
				      last[0] ? "\xff" : tlen ? "" : NULL, 0, &it, err);
		if (ret == XB_OK)
			ret = store_iter_next(it, &r, &k, err);
		if (ret == 1 && tlen && strncmp(k, town, tlen) != 0)
			ret = 0; /* past the township's villages */
		if (ret == 1)
			snprintf(last, sizeof(last), "%s", k);
		/* A village user picks among their own villages only. */
		if (ret == 1 && ledger_who_sees_village(&t->who, k) && !village_add(t, c, v, k, r))
			ret = 0;
		store_record_free(&r);
		store_iter_close(&it);
		if (ret != 1)
			break;
	}
	return ret;
}

/* Picks a village from those present. Returns 0 when none was picked. */
static int pick_village(struct tui *t, struct children *c)
{
	struct villages v = { NULL, NULL, NULL, 0, 0 };
	struct xb_error err;
	xb_error_clear(&err);
	int chosen = -1;
	if (villages_read(t, c, &v, &err) < 0)
		tui_error(t, &err);
	else if (v.n == 0)
		tui_message(t, 0, "%s", _("No children are registered yet."));
	else
		chosen = tui_pick(t, _("Village"), (const char *const *)v.items, v.n, v.cur);
	if (chosen >= 0 && v.codes[chosen] != NULL && v.names[chosen] != NULL) {
		snprintf(c->village, sizeof(c->village), "%s", v.codes[chosen]);
		snprintf(c->village_name, sizeof(c->village_name), "%s", v.names[chosen]);
	} else {
		chosen = -1;
	}
	villages_free(&v);
	return chosen >= 0;
}

/* The users who may be responsible members (village members, clerks,
 * leaders, enabled), as "full name (user name)" for a pick list. */
struct members {
	char **items, **names;
	int n, cap;
};

static void members_free(struct members *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->items[i]);
		free(m->names[i]);
	}
	free(m->items);
	free(m->names);
}

static int members_read(struct tui *t, struct members *m, struct xb_error *err)
{
	struct store_iter *it;
	struct store_record *u;
	int ret = store_iter_open(t->st, STORE_USER, STORE_BY_ID, STORE_ALL, NULL, &it, err);
	if (ret != XB_OK)
		return ret;
	while ((ret = store_iter_next(it, &u, NULL, err)) == 1) {
		const char *role = store_record_get(u, FK_role);
		const char *off = store_record_get(u, FK_disabled);
		const char *d = store_record_get(u, FK_display_name);
		int member = role != NULL && strcmp(role, "county") != 0 &&
			     strcmp(role, "city") != 0 && !(off && strcmp(off, "yes") == 0);
		if (member && m->n == m->cap) {
			int cap = m->cap ? m->cap * 2 : 16;
			char **a = realloc(m->items, (size_t)cap * sizeof(*a));
			char **b = a ? realloc(m->names, (size_t)cap * sizeof(*b)) : NULL;
			if (a != NULL)
				m->items = a;
			if (b != NULL)
				m->names = b;
			member = b != NULL;
			if (b != NULL)
				m->cap = cap;
		}
		if (member) {
			char item[256];
			tui_safe_cut(d && *d ? d : u->id, 30, item, sizeof(item));
			if (d && *d && strcmp(d, u->id) != 0) {
				char id[128];
				tui_safe_cut(u->id, 32, id, sizeof(id));
				snprintf(item + strlen(item), sizeof(item) - strlen(item),
					 " (%s)", id);
			}
			m->items[m->n] = strdup(item);
			m->names[m->n] = strdup(u->id);
			if (m->items[m->n] == NULL || m->names[m->n] == NULL) {
				free(m->items[m->n]);
				free(m->names[m->n]);
			} else {
				m->n++;
			}
		}
		store_record_free(&u);
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* Picks a responsible member. Returns 0 when none was picked. */
static int pick_member(struct tui *t, struct children *c)
{
	struct members m = { NULL, NULL, 0, 0 };
	struct xb_error err;
	xb_error_clear(&err);
	int chosen = -1, cur = 0;
	if (members_read(t, &m, &err) != XB_OK)
		tui_error(t, &err);
	else if (m.n == 0)
		tui_message(t, 0, "%s", _("No user can be a responsible member yet."));
	else {
		for (int i = 0; i < m.n; i++)
			if (strcmp(m.names[i], c->member.name) == 0)
				cur = i;
		chosen = tui_pick(t, child_label(FK_member_name),
				  (const char *const *)m.items, m.n, cur);
	}
	if (chosen >= 0 && ledger_member_names(t->st, m.names[chosen], &c->member, &err) != XB_OK) {
		tui_error(t, &err);
		chosen = -1;
	}
	members_free(&m);
	return chosen >= 0;
}

/* Picks what the list shows: the member's and the key cases' lines
 * after those that were there before them, so the keys that reach the
 * others stay. */
static void pick_filter(struct tui *t, struct children *c)
{
	enum { FIRST_FLAG = 3 };
	const char *items[FIRST_FLAG + FORM_FLAG_COUNT + 3];
	int n = 0, cur = 0;
	items[n++] = _("Children in the ledger");
	items[n++] = _("One village...");
	items[n++] = _("Left the ledger");
	for (int b = 0; b < FORM_FLAG_COUNT; b++) {
		if (c->show == SHOW_FLAG && c->flag == (1u << b))
			cur = n;
		items[n++] = form_flag_label(1u << b);
	}
	const int turn16 = n, member = n + 1, key_cases = n + 2;
	items[n++] = _("Turning 16 this month");
	items[n++] = _("One responsible member...");
	items[n++] = child_label(FK_key_case);
	if (c->show == SHOW_VILLAGE)
		cur = 1;
	else if (c->show == SHOW_EXITED)
		cur = 2;
	else if (c->show == SHOW_TURN16)
		cur = turn16;
	else if (c->show == SHOW_MEMBER)
		cur = member;
	else if (c->show == SHOW_KEY_CASES)
		cur = key_cases;
	int i = tui_pick(t, _("Show"), items, n, cur);
	if (i < 0)
		return;
	if (i == 0) {
		c->show = SHOW_ACTIVE;
	} else if (i == 1) {
		if (!pick_village(t, c))
			return;
		c->show = SHOW_VILLAGE;
	} else if (i == 2) {
		c->show = SHOW_EXITED;
	} else if (i == turn16) {
		c->show = SHOW_TURN16;
	} else if (i == member) {
		if (!pick_member(t, c))
			return;
		c->show = SHOW_MEMBER;
	} else if (i == key_cases) {
		c->show = SHOW_KEY_CASES;
	} else {
		c->show = SHOW_FLAG;
		c->flag = 1u << (i - FIRST_FLAG);
	}
	count_list(t, c);
	window_home(t, c, 0);
}

/* --- writing the list to a file --- */

/* A kind of file the list is written as: a roster writer behind four
 * calls. */
struct list_format {
	const char *label; /* in the pick list */
	const char *ext;   /* the file name's ending */
	int paged;         /* pages are counted (a printed roster) */
	int (*open)(const char *path, const struct roster_head *head, void **w,
		    struct xb_error *err);
	int (*add)(void *w, const struct store_record *child, struct xb_error *err);
	int (*close)(void **w, size_t *pages, struct xb_error *err);
	void (*abort)(void **w);
};

static int pdf_open(const char *path, const struct roster_head *head, void **w,
		    struct xb_error *err)
{
	return roster_pdf_open(path, head, (struct roster_pdf **)w, err);
}

static int pdf_add(void *w, const struct store_record *child, struct xb_error *err)
{
	return roster_pdf_add(w, child, err);
}

static int pdf_close(void **w, size_t *pages, struct xb_error *err)
{
	return roster_pdf_close((struct roster_pdf **)w, pages, err);
}

static void pdf_abort(void **w)
{
	roster_pdf_abort((struct roster_pdf **)w);
}

/* The roster as an .xlsx for Excel and WPS, the one `child list --xlsx`
 * writes: its title is Chinese like its headers whatever the language
 * shown, so the sheet reads back through `child import`. */
static int xlsx_open(const char *path, const struct roster_head *head, void **w,
		     struct xb_error *err)
{
	char title[256];
	snprintf(title, sizeof(title), "%s农村留守儿童花名册（%s）", head->office_name,
		 head->made_on);
	return sheet_roster_open(path, SHEET_XLSX, 0, title, (struct sheet_roster **)w, err);
}

static int xlsx_add(void *w, const struct store_record *child, struct xb_error *err)
{
	return sheet_roster_add(w, child, err);
}

static int xlsx_close(void **w, size_t *pages, struct xb_error *err)
{
	*pages = 0;
	return sheet_roster_close((struct sheet_roster **)w, err);
}

static void xlsx_abort(void **w)
{
	sheet_roster_abort((struct sheet_roster **)w);
}

static const struct list_format list_formats[] = {
	{ N_("Printed roster (PDF)"), "pdf", 1, pdf_open, pdf_add, pdf_close, pdf_abort },
	{ N_("Spreadsheet roster (.xlsx, for Excel and WPS)"), "xlsx", 0, xlsx_open, xlsx_add,
	  xlsx_close, xlsx_abort },
};
#define NFORMATS (sizeof(list_formats) / sizeof(list_formats[0]))

/* What the list shows, as the filters of a roster's head. */
struct list_words {
	struct roster_filter f[4];
	size_t n;
	char village[160], flags[256];
};

static void list_words(struct tui *t, const struct children *c, struct list_words *w)
{
	const struct form_field *status = form_field_find(STORE_CHILD, FK_status);
	w->n = 0;
	switch (c->show) {
	case SHOW_VILLAGE:
		snprintf(w->village, sizeof(w->village), "%s (%s)", c->village_name,
			 c->village);
		w->f[w->n++] = (struct roster_filter){ child_label(FK_village), w->village };
		break;
	case SHOW_EXITED:
		w->f[w->n++] = (struct roster_filter){ form_label(status),
						       form_choice_label(status, "exited") };
		break;
	case SHOW_FLAG:
	case SHOW_TURN16:
		if (c->show == SHOW_FLAG)
			flag_mask_label(c->flag, w->flags, sizeof(w->flags));
		else
			snprintf(w->flags, sizeof(w->flags), "%s", _("Turning 16 this month"));
		w->f[w->n++] = (struct roster_filter){ _("Flag"), w->flags };
		break;
	case SHOW_MEMBER:
		w->f[w->n++] = (struct roster_filter){
			child_label(FK_member_name),
			c->member.display[0] ? c->member.display : c->member.name };
		break;
	case SHOW_KEY_CASES:
		w->f[w->n++] = (struct roster_filter){
			child_label(FK_key_case),
			form_choice_label(form_field_find(STORE_CHILD, FK_key_case), "yes") };
		break;
	case SHOW_ACTIVE:
		break;
	}
	/* These lists hold only the children in the ledger. */
	if (c->show != SHOW_VILLAGE && c->show != SHOW_EXITED)
		w->f[w->n++] = (struct roster_filter){ form_label(status),
						       form_choice_label(status, "active") };
	if (showing_hits(c))
		w->f[w->n++] = (struct roster_filter){ _("Search"), c->query };
	(void)t;
}

/* The file name offered: "<folder>/花名册-<office>-<date>.<ext>", the
 * office's name with nothing a file name cannot hold. */
static void default_path(struct tui *t, const struct children *c,
			 const struct list_format *fmt, const char *dir, char *buf,
			 size_t len)
{
	char office[128];
	snprintf(office, sizeof(office), "%s",
		 c->prefix[0] ? c->office_name : t->office_name[0] ? t->office_name : t->office);
	for (char *p = office; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == ':')
			*p = '_';
	size_t dl = strlen(dir);
	snprintf(buf, len, "%s%s%s-%s-%s.%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
		 _("Roster"), office, t->today, fmt->ext);
}

/* Where to write: the path typed (a folder gets the name offered), or
 * NULL on Esc. malloc'd. */
static char *ask_path(struct tui *t, const struct children *c,
		      const struct list_format *fmt)
{
	char dir[1024], offer[1400];
	tui_default_dir(dir, sizeof(dir));
	default_path(t, c, fmt, dir, offer, sizeof(offer));
	char *typed = tui_prompt(t, _("Write the list"),
				 _("File to write (the USB stick when one is in):"), offer, 0);
	if (typed == NULL || typed[0] == '\0') {
		free(typed);
		return NULL;
	}
	struct stat sb;
	if (stat(typed, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		default_path(t, c, fmt, typed, offer, sizeof(offer));
		free(typed);
		return strdup(offer);
	}
	return typed;
}

/* A roster being written, and the children kept out of another
 * office's. */
struct list_write {
	const struct list_format *fmt;
	void *w;
	const char *prefix;
	size_t n;
	int ret;
	struct xb_error *err;
};

static int write_one(const struct store_record *child, void *arg)
{
	struct list_write *lw = arg;
	if (lw->prefix[0] && strncmp(child->id, lw->prefix, strlen(lw->prefix)) != 0)
		return 0;
	lw->ret = lw->fmt->add(lw->w, child, lw->err);
	if (lw->ret != XB_OK)
		return 1;
	lw->n++;
	return 0;
}

/* Every child of the list as shown, in its order: the search's matches
 * when it shows them, else the list's index through the filter. */
static int write_rows(struct tui *t, struct children *c, struct list_write *lw)
{
	if (showing_hits(c)) {
		int ret = ledger_search_as(t->st, t->user, c->query, 0, write_one, lw,
					   lw->err);
		return lw->ret != XB_OK ? lw->ret : ret;
	}
	const char *fixed;
	enum store_index ix = source(c, &fixed);
	struct store_iter *it;
	struct store_record *r;
	int ret = store_iter_open(t->st, STORE_CHILD, ix, fixed ? STORE_EXACT : STORE_ALL,
				  fixed, &it, lw->err);
	while (ret == XB_OK && (ret = store_iter_next(it, &r, NULL, lw->err)) == 1) {
		ret = XB_OK;
		if (shown(c, t, r) && write_one(r, lw) != 0)
			ret = lw->ret;
		store_record_free(&r);
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* Shows a sentence in a box until a key: the whole of a long path. */
static void tell(struct tui *t, const char *text)
{
	tui_ask(t, text, _("Press Enter."), " ");
}

/* Writes the list as shown to path in format fmt: XB_OK with the
 * children and pages written, else the status, err filled. */
static int write_to(struct tui *t, struct children *c, const struct list_format *fmt,
		    const char *path, size_t *n, size_t *pages, struct xb_error *err)
{
	struct list_words words;
	list_words(t, c, &words);
	char code[16];
	snprintf(code, sizeof(code), "%.*s", c->prefix[0] ? (int)strlen(c->prefix) - 1 : 12,
		 c->prefix[0] ? c->prefix : t->office);
	struct roster_head head = { c->prefix[0] ? c->office_name : t->office_name, code,
				    t->today, words.f, words.n };
	struct list_write lw = { fmt, NULL, c->prefix, 0, XB_OK, err };
	tui_message(t, 0, "%s", _("Writing the list..."));
	tui_redraw(t);
	*pages = 0;
	int quiet = tui_stderr_mute();
	int ret = fmt->open(path, &head, &lw.w, err);
	if (ret == XB_OK) {
		ret = write_rows(t, c, &lw);
		if (ret == XB_OK)
			ret = fmt->close(&lw.w, pages, err);
		else
			fmt->abort(&lw.w);
	}
	tui_stderr_restore(quiet);
	*n = lw.n;
	return ret;
}

/* p: the list as shown as the printed roster, in the folder printed
 * files go to (tui_print_dir), then offered to the printer. */
static void print_list(struct tui *t, struct children *c)
{
	char dir[4096], path[4400], done[256];
	struct xb_error err;
	size_t n = 0, pages = 0;
	xb_error_clear(&err);
	if (tui_print_dir(t, dir, sizeof(dir), &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	tui_print_path(t, dir, _("Roster"), c->prefix[0] ? c->office_name : NULL, path,
		       sizeof(path));
	if (write_to(t, c, &list_formats[0], path, &n, &pages, &err) != XB_OK) {
		tui_error(t, &err);
		tell(t, err.msg);
		return;
	}
	snprintf(done, sizeof(done), _("Wrote the list (%zu children, %zu pages)."), n, pages);
	tui_print_offer(t, path, done);
}

/* Writes the list as shown to a file the clerk names: the format picked
 * (a PDF roster or an .xlsx), the folder the stick's. */
static void write_list(struct tui *t, struct children *c)
{
	const char *labels[NFORMATS];
	for (size_t i = 0; i < NFORMATS; i++)
		labels[i] = _(list_formats[i].label);
	int f = tui_pick(t, _("Write the list as"), labels, (int)NFORMATS, 0);
	if (f < 0)
		return;
	const struct list_format *fmt = &list_formats[f];
	char *path = ask_path(t, c, fmt);
	if (path == NULL)
		return;
	struct xb_error err;
	xb_error_clear(&err);
	size_t n = 0, pages = 0;
	int ret = write_to(t, c, fmt, path, &n, &pages, &err);
	if (ret != XB_OK) {
		tui_error(t, &err);
		tell(t, err.msg);
	} else {
		char safe[1400], msg[1600];
		tui_safe_cut(path, 1000, safe, sizeof(safe));
		if (fmt->paged)
			snprintf(msg, sizeof(msg),
				 _("Wrote the list (%zu children, %zu pages) to:\n%s"), n,
				 pages, safe);
		else
			snprintf(msg, sizeof(msg), _("Wrote the list (%zu children) to:\n%s"),
				 n, safe);
		tui_message(t, 0, _("Wrote %s."), safe);
		tell(t, msg);
	}
	free(path);
}

/* Keys of the list (the search line has its own while open). */
static int children_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct children *c = data;
	if (c->searching)
		return search_key(t, c, k);
	if (page_key(t, c, k)) {
		;
	} else if (tui_key_enter(k)) {
		open_selected(t, c);
	} else if (tui_key_is(k, 0, "/")) {
		search_start(t, c, 0);
	} else if (k->code == 0 && ((k->ch >= '0' && k->ch <= '9') || k->ch == 'X')) {
		/* A case or ID number being typed, or a scanner's XB1:... */
		search_start(t, c, k->ch);
	} else if (tui_key_is(k, 0, "o")) {
		/* A new order starts at its top: the most overdue first. */
		c->sort = (enum sort_by)((c->sort + 1) % SORT_COUNT);
		window_home(t, c, 0);
	} else if (tui_key_is(k, 0, "f")) {
		pick_filter(t, c);
	} else if (tui_key_is(k, 0, "w")) {
		write_list(t, c);
	} else if (tui_key_is(k, 0, "p")) {
		print_list(t, c);
	} else if (tui_key_is(k, KEY_F(3), "a")) {
		if (!refuse_register(t, c))
			tui_form_open(t, STORE_CHILD, NULL, NULL);
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

/* Back from a child or a form: the rows, count and results may have changed. */
static void children_resume(struct tui *t, void *data)
{
	struct children *c = data;
	/* A leader may have changed a village user's villages meanwhile. */
	c->scope[0] = '\0';
	if (!c->prefix[0] && t->who.scoped && t->who.nvillages == 1)
		snprintf(c->scope, sizeof(c->scope), "%s", t->who.villages[0]);
	count_list(t, c);
	window_reload(t, c);
	if (c->query != NULL)
		run_search(t, c);
}

/* Frees the screen's window, results and state. */
static void children_free(void *data)
{
	struct children *c = data;
	if (c == NULL)
		return;
	window_clear(c);
	free(c->rows);
	hits_clear(c);
	free(c->hits);
	free(c);
}

static const struct tui_screen_ops children_ops = {
	.flags = TUI_SCREEN_TAKES_TEXT,
	.draw = children_draw,
	.key = children_key,
	.resume = children_resume,
	.free = children_free,
	.keys = children_keys,
	.title = children_title,
};

/* Another office's children: the same screen, without registering. */
static const struct tui_keyhelp children_ro_keys[] = {
	{ "Enter", N_("open"), 1 },
	{ "/", N_("search"), 1 },
	{ "o", N_("sort"), 1 },
	{ "f", N_("filter"), 1 },
	{ "w", N_("write the list"), 1 },
	{ "p", N_("print"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "0-9", N_("search by case or ID number (a scanner types here)"), 0 },
	{ "↑↓ j k", N_("move"), 0 },
	{ "PgDn PgUp Space b", N_("a screenful down or up"), 0 },
	{ "Home End g G", N_("first or last child"), 0 },
	{ NULL, NULL, 0 },
};

static const struct tui_screen_ops children_ro_ops = {
	.flags = TUI_SCREEN_TAKES_TEXT,
	.draw = children_draw,
	.key = children_key,
	.resume = children_resume,
	.free = children_free,
	.keys = children_ro_keys,
	.title = children_title,
};

/* Opens the list with its first page of the filter given; with office,
 * that office's children only, read-only. */
static void open_list(struct tui *t, enum tui_child_filter filter, unsigned flag,
		      const char *office, const char *office_name)
{
	struct children *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	if (office != NULL) {
		snprintf(c->prefix, sizeof(c->prefix), "%s-", office);
		snprintf(c->office_name, sizeof(c->office_name), "%s",
			 office_name && *office_name ? office_name : office);
	}
	switch (filter) {
	case TUI_CHILDREN_FLAG: c->show = SHOW_FLAG; c->flag = flag; break;
	case TUI_CHILDREN_TURN16_MONTH: c->show = SHOW_TURN16; break;
	case TUI_CHILDREN_EXITED: c->show = SHOW_EXITED; break;
	default: c->show = SHOW_ACTIVE; break;
	}
	if (office == NULL && t->who.scoped && t->who.nvillages == 1)
		snprintf(c->scope, sizeof(c->scope), "%s", t->who.villages[0]);
	tui_line_set(&c->line, "");
	count_list(t, c);
	window_home(t, c, 0);
	tui_push(t, office != NULL ? &children_ro_ops : &children_ops, c);
}

void tui_children_open(struct tui *t, enum tui_child_filter filter, unsigned flag)
{
	open_list(t, filter, flag, NULL, NULL);
}

void tui_children_open_member(struct tui *t, const char *member)
{
	struct tui_screen *before = t->top;
	open_list(t, TUI_CHILDREN_ALL, 0, NULL, NULL);
	if (t->top == before)
		return;
	struct children *c = t->top->data;
	struct xb_error err;
	xb_error_clear(&err);
	if (ledger_member_names(t->st, member, &c->member, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	c->show = SHOW_MEMBER;
	count_list(t, c);
	window_home(t, c, 0);
}

void tui_children_open_office(struct tui *t, const char *office, const char *name)
{
	open_list(t, TUI_CHILDREN_ALL, 0, office, name);
}
