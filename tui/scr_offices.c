/* scr_offices.c - the county's view: the offices bound to this one, each
 * with its last bundle received (number, the day the sender made it) and
 * the children of it this ledger holds. Enter opens that office's
 * children through the usual list and file views, read-only. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../exchange/exchange.h"

struct offices {
	struct bundle_peer *p;
	uint64_t *children; /* held of each, by case-number prefix */
	struct bundle_due *due; /* when each one's bundle is due */
	size_t n;
	int cur, first;
	int loaded;
	uint64_t generation; /* of the ledger when last counted */
};

static const struct tui_keyhelp offices_keys[] = {
	{ "Enter", N_("its children (read-only)"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "↑↓ j k", N_("move"), 0 },
	{ "Home End", N_("first or last office"), 0 },
	{ NULL, NULL, 0 },
};

/* Reads the peers and counts their children again, when the ledger
 * changed since. */
static void load(struct tui *t, struct offices *o)
{
	struct xb_error err;
	uint64_t gen = 0;
	xb_error_clear(&err);
	if (store_generation(t->st, &gen, &err) == XB_OK && o->loaded && gen == o->generation)
		return;
	free(o->p);
	free(o->children);
	free(o->due);
	o->due = NULL;
	o->p = NULL;
	o->children = NULL;
	o->n = 0;
	if (bundle_peers(t->st, &o->p, &o->n, &err) != XB_OK) {
		tui_error(t, &err);
		return;
	}
	o->children = calloc(o->n ? o->n : 1, sizeof(*o->children));
	o->due = calloc(o->n ? o->n : 1, sizeof(*o->due));
	if (o->children == NULL || o->due == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		o->n = 0;
		return;
	}
	for (size_t i = 0; i < o->n; i++)
		if (bundle_office_children(t->st, o->p[i].code, &o->children[i], &err) != XB_OK ||
		    bundle_office_due(t->st, &o->p[i], t->today, &o->due[i], &err) != XB_OK) {
			tui_error(t, &err);
			break;
		}
	if (o->cur >= (int)o->n)
		o->cur = o->n ? (int)o->n - 1 : 0;
	o->loaded = 1;
	o->generation = gen;
}

/* "YYYY-MM-DD" of a time, or "-" for none. */
static void date_of(int64_t at, char *buf, size_t len)
{
	char full[32];
	if (at == 0) {
		snprintf(buf, len, "-");
		return;
	}
	xb_format_time(at, full, sizeof(full));
	snprintf(buf, len, "%.10s", full);
}

static void offices_draw(struct tui *t, void *data)
{
	struct offices *o = data;
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD;
	char buf[256], d[16];
	/* Columns: code, name, bundle no., made on, children held. */
	int x[5] = { 1, 14, 38, 52, 66 }, w[5] = { 12, 22, 12, 12, t->cols - 67 };
	int y = 2;
	tui_put(y, 1, t->cols - 2,
		_("The last bundle received from each bound office, and its children "
		  "held here."), tui_attr(t, TUI_DIM));
	y += 2;
	tui_fill(y, 0, t->cols, head);
	tui_put(y, x[0], w[0], _("Office"), head);
	tui_put(y, x[1], w[1], _("Name"), head);
	tui_put_right(y, x[2], w[2] - 2, _("Bundle no."), head);
	tui_put(y, x[3], w[3], _("Made on"), head);
	tui_put_right(y, x[4], w[4], _("Children"), head);
	y++;
	int rows = t->rows - 3 - 3 - y; /* room for the detail lines */
	if (rows < 1)
		rows = 1;
	if (o->n == 0) {
		tui_put(y + 1, 1, t->cols - 2,
			_("No office is bound yet: bind its key on the exchange screen "
			  "(F7 b, then n)."), tui_attr(t, TUI_DIM));
		return;
	}
	if (o->cur < o->first)
		o->first = o->cur;
	if (o->cur >= o->first + rows)
		o->first = o->cur - rows + 1;
	for (int r = 0; r < rows && o->first + r < (int)o->n; r++) {
		int i = o->first + r;
		const struct bundle_peer *p = &o->p[i];
		attr_t a = tui_attr(t, i == o->cur ? TUI_SELECTED
				    : p->revoked ? TUI_DIM : TUI_NORMAL);
		tui_fill(y + r, 0, t->cols, a);
		tui_put(y + r, x[0], w[0], p->code, a);
		if (p->revoked)
			snprintf(buf, sizeof(buf), _("%s (key revoked)"), p->name);
		else
			snprintf(buf, sizeof(buf), "%s", p->name[0] ? p->name : "-");
		tui_put(y + r, x[1], w[1], buf, a);
		if (p->received_seq)
			snprintf(buf, sizeof(buf), "%" PRIu64, p->received_seq);
		else
			snprintf(buf, sizeof(buf), "-");
		tui_put_right(y + r, x[2], w[2] - 2, buf, a);
		date_of(p->received_at, d, sizeof(d));
		if (o->due[i].late) {
			/* the month's bundle has not come by its due day */
			snprintf(buf, sizeof(buf), _("%s late"), d);
			tui_put(y + r, x[3], w[3], buf,
				i == o->cur ? a : tui_attr(t, TUI_WARN));
		} else {
			tui_put(y + r, x[3], w[3], d, a);
		}
		snprintf(buf, sizeof(buf), "%" PRIu64, o->children[i]);
		tui_put_right(y + r, x[4], w[4], buf, a);
	}
	/* The selected office: when its bundle is due, its key and our last
	 * bundle to it. */
	const struct bundle_peer *p = &o->p[o->cur];
	const struct bundle_due *due = &o->due[o->cur];
	if (due->late)
		tui_putf(t->rows - 5, 1, t->cols - 2, tui_attr(t, TUI_WARN),
			 _("Its bundle for %s was due on %s and has not come."), due->period,
			 due->due);
	else if (due->awaited)
		tui_putf(t->rows - 5, 1, t->cols - 2, tui_attr(t, TUI_DIM),
			 _("Its bundle for %s is due on %s."), due->period, due->due);
	else if (due->applies)
		tui_putf(t->rows - 5, 1, t->cols - 2, tui_attr(t, TUI_DIM),
			 _("Its bundle for %s has come."), due->period);
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(p->fpr, groups, sizeof(groups));
	tui_putf(t->rows - 4, 1, t->cols - 2, tui_attr(t, TUI_DIM), _("Fingerprint: %s"),
		 groups);
	date_of(p->sent_at, d, sizeof(d));
	if (p->sent_seq)
		tui_putf(t->rows - 3, 1, t->cols - 2, tui_attr(t, TUI_DIM),
			 _("Last bundle sent to it: no. %" PRIu64 ", made %s"), p->sent_seq, d);
	else
		tui_put(t->rows - 3, 1, t->cols - 2, _("No bundle sent to it yet."),
			tui_attr(t, TUI_DIM));
}

static int offices_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct offices *o = data;
	if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (o->cur > 0)
			o->cur--;
	} else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (o->cur < (int)o->n - 1)
			o->cur++;
	} else if (k->code == KEY_HOME) {
		o->cur = 0;
	} else if (k->code == KEY_END) {
		o->cur = o->n ? (int)o->n - 1 : 0;
	} else if (tui_key_enter(k)) {
		if (o->n > 0)
			tui_children_open_office(t, o->p[o->cur].code, o->p[o->cur].name);
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void offices_resume(struct tui *t, void *data)
{
	load(t, data);
}

static void offices_free(void *data)
{
	struct offices *o = data;
	if (o == NULL)
		return;
	free(o->p);
	free(o->children);
	free(o->due);
	o->due = NULL;
	free(o);
}

static const char *offices_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Offices");
}

static const struct tui_screen_ops offices_ops = {
	.draw = offices_draw,
	.key = offices_key,
	.resume = offices_resume,
	.free = offices_free,
	.keys = offices_keys,
	.title = offices_title,
};

void tui_offices_open(struct tui *t)
{
	if (tui_refuse(t, LEDGER_EXCHANGE, NULL))
		return;
	struct offices *o = calloc(1, sizeof(*o));
	if (o == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	load(t, o);
	tui_push(t, &offices_ops, o);
}
