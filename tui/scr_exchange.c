/* scr_exchange.c - the exchange screen: the office's key (its fingerprint
 * in groups, to read out by phone), the offices bound to it with their
 * last bundles each way, and the actions: make the key, write our public
 * key to the stick, export a bundle, import one, settle conflicts, see the
 * offices. Everything is a call into keys/ (keys.h, bundle.h); the result
 * of the last action stays on the screen until the next. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"
#include "../common/printable.h"
#include "../exchange/exchange.h"

/* Bundles offered in the pick list of a folder at most. */
/* Peers shown at once; more scroll. */
#define PEER_ROWS 6

struct exchange {
	struct keys *k;          /* NULL when the GnuPG home could not open */
	char keys_error[512];
	int has_key;
	struct keys_info own;
	struct bundle_peer *peers;
	size_t npeers;
	int cur, first;
	size_t nconflicts;
	char result[2048];       /* what the last action did, lines by \n */
	int result_error;
	struct tui *t;
	/* The office key's passphrase typed for the action under way (an
	 * export uses the key twice: to sign, then to read the bundle back);
	 * wiped when the action ends (forget_passphrase). */
	char pass[256];
	int pass_set;
};

/* The status line while a bundle is written or read. */
struct progress {
	struct tui *t;
	const char *what;
	int pct;
};

static const struct tui_keyhelp exchange_keys[] = {
	{ "F5 e", N_("export"), 1 },
	{ "F6 i", N_("import"), 1 },
	{ "F7 c", N_("conflicts"), 1 },
	{ "F8 o", N_("offices"), 1 },
	{ "Esc", N_("back"), 1 },
	{ "m", N_("make key"), TUI_HINT_SHORT },
	{ "w", N_("write key out"), TUI_HINT_SHORT },
	{ "n", N_("bind a key"), TUI_HINT_SHORT },
	{ "m", N_("make the office key"), 0 },
	{ "w", N_("write the office's public key to a folder (the stick)"), 0 },
	{ "n", N_("bind another office's key, after checking its fingerprint by phone"), 0 },
	{ "↑↓ j k", N_("move among the bound offices"), 0 },
	{ NULL, NULL, 0 },
};

/* --- helpers ------------------------------------------------------------ */

static const char *const asc_ext[] = { ".asc", NULL };
static const char *const gpg_ext[] = { ".gpg", NULL };

/* A township's county: the first 6 digits of its 9. */
static int is_township(const struct tui *t)
{
	return strlen(t->office) == 9;
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

/* Shows how far a bundle has come on the status line, a step a percent. */
static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (pct == p->pct)
		return;
	p->pct = pct;
	tui_message(p->t, 0, _("%s: %" PRIu64 " of %" PRIu64 " records"), p->what, done,
		    total);
	if (p->t->too_small)
		return;
	tui_put(p->t->rows - 2, 0, p->t->cols, p->t->msg, tui_attr(p->t, TUI_OK));
	tui_refresh(p->t);
}

/* Says on the status line that work has begun, before it blocks. */
static void busy(struct tui *t, const char *what)
{
	tui_message(t, 0, "%s", what);
	tui_redraw(t);
}

/* The passphrase of the office key, asked in a box (masked), once an
 * action unless the one typed was wrong. */
static int ask_passphrase(void *arg, const char *hint, int prev_bad, char *buf,
			  size_t len)
{
	struct exchange *x = arg;
	(void)hint;
	if (x->pass_set && !prev_bad) {
		snprintf(buf, len, "%s", x->pass);
		return 0;
	}
	char *p = tui_prompt(x->t, prev_bad ? _("Wrong passphrase") : _("Passphrase"),
			     _("Passphrase of the office key:"), NULL, 1);
	if (p == NULL)
		return -1;
	snprintf(x->pass, sizeof(x->pass), "%s", p);
	x->pass_set = 1;
	snprintf(buf, len, "%s", p);
	explicit_bzero(p, strlen(p));
	free(p);
	return 0;
}

/* Wipes the passphrase of the action that ended. */
static void forget_passphrase(struct exchange *x)
{
	explicit_bzero(x->pass, sizeof(x->pass));
	x->pass_set = 0;
}

/* The result block: what the last action did (error: it was refused). */
static void say(struct exchange *x, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct exchange *x, int error, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line a call: a value's own CR/LF (a key's user ID) must not
	 * start a line that would pose as the program's. */
	xb_printable(line, 0, x->result, sizeof(x->result));
	x->result_error = error;
}

/* Adds a line to the result block. */
static void say_more(struct exchange *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say_more(struct exchange *x, const char *fmt, ...)
{
	size_t used = strlen(x->result);
	if (used + 2 >= sizeof(x->result))
		return;
	if (used > 0)
		x->result[used++] = '\n';
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	xb_printable(line, 0, x->result + used, sizeof(x->result) - used);
}

/* The counts of a bundle by kind, one line. */
static void say_counts(struct exchange *x, const struct bundle_counts *bc)
{
	say_more(x, _("children %" PRIu64 ", visits %" PRIu64 ", reports %" PRIu64
		      ", report steps %" PRIu64 ", offices %" PRIu64 " (%" PRIu64 " records)"),
		 bc->kind[STORE_CHILD], bc->kind[STORE_VISIT], bc->kind[STORE_REPORT],
		 bc->kind[STORE_STEP], bc->kind[STORE_OFFICE], bc->total);
}

/* Refuses an action when the GnuPG home did not open or, with need_key,
 * when the office has no key yet, saying why. 1 when refused. */
static int refuse_action(struct tui *t, const struct exchange *x, int need_key)
{
	if (x->k == NULL)
		tui_message(t, 1, "%s", x->keys_error);
	else if (need_key && !x->has_key)
		tui_message(t, 1, "%s", _("This office has no key yet: press m to make it."));
	else
		return 0;
	return 1;
}

/* --- loading ------------------------------------------------------------ */

/* Reads the key, the peers and the conflicts again. */
static void load(struct tui *t, struct exchange *x)
{
	struct xb_error err;
	xb_error_clear(&err);
	x->has_key = 0;
	if (x->k != NULL) {
		int ret = keys_own(x->k, &x->own, &err);
		if (ret == XB_OK)
			x->has_key = 1;
		else if (ret != XB_ENOTFOUND)
			snprintf(x->keys_error, sizeof(x->keys_error), "%s", err.msg);
	}
	free(x->peers);
	x->peers = NULL;
	x->npeers = 0;
	xb_error_clear(&err);
	if (bundle_peers(t->st, &x->peers, &x->npeers, &err) != XB_OK)
		tui_error(t, &err);
	struct bundle_conflict *c = NULL;
	size_t n = 0;
	xb_error_clear(&err);
	if (bundle_conflicts(t->st, &c, &n, &err) == XB_OK) {
		x->nconflicts = n;
		bundle_conflicts_free(c, n);
	}
	if (x->cur >= (int)x->npeers)
		x->cur = x->npeers > 0 ? (int)x->npeers - 1 : 0;
}

/* --- drawing ------------------------------------------------------------ */

/* The office's key from row y: its fingerprint in groups and user ID,
 * or why there is none. Returns the row after it. */
static int draw_own_key(struct tui *t, const struct exchange *x, int y, int lx, int w)
{
	const char *kl = _("This office's key:");
	int klw = tui_width(kl) + 1;
	tui_put(y, lx, klw, kl, tui_attr(t, TUI_LABEL) | A_BOLD);
	if (x->k == NULL) {
		tui_put(y, lx + klw, w - klw, x->keys_error, tui_attr(t, TUI_ERROR));
	} else if (!x->has_key) {
		tui_put(y, lx + klw, w - klw, _("none yet; press m to make it."),
			tui_attr(t, TUI_WARN));
	} else {
		char groups[KEYS_FPR_GROUPS_LEN];
		keys_fpr_groups(x->own.fpr, groups, sizeof(groups));
		tui_put(y, lx + klw, w - klw, groups, tui_attr(t, TUI_NORMAL) | A_BOLD);
		tui_put(y + 1, lx + klw, w - klw, x->own.uid, tui_attr(t, TUI_DIM));
	}
	return y + 3;
}

/* Columns of the bound offices' table. */
struct peer_cols {
	int x[4], w[4];
};

/* "no. N, YYYY-MM-DD" of the last bundle one way, or "-" for none. */
static void bundle_cell(uint64_t seq, int64_t at, char *buf, size_t len)
{
	char d[16];
	date_of(at, d, sizeof(d));
	if (seq)
		snprintf(buf, len, _("no. %" PRIu64 ", %s"), seq, d);
	else
		snprintf(buf, len, "-");
}

/* One bound office's row: code, name, last bundle sent and received. */
static void draw_peer(struct tui *t, const struct bundle_peer *p, int y,
		      const struct peer_cols *c, attr_t a)
{
	char buf[512];
	tui_fill(y, 0, t->cols, a);
	tui_put(y, c->x[0], c->w[0], p->code, a);
	if (p->revoked)
		snprintf(buf, sizeof(buf), _("%s (key revoked)"), p->name);
	else
		snprintf(buf, sizeof(buf), "%s", p->name[0] ? p->name : "-");
	tui_put(y, c->x[1], c->w[1], buf, a);
	bundle_cell(p->sent_seq, p->sent_at, buf, sizeof(buf));
	tui_put(y, c->x[2], c->w[2], buf, a);
	bundle_cell(p->received_seq, p->received_at, buf, sizeof(buf));
	tui_put(y, c->x[3], c->w[3], buf, a);
}

/* The offices bound from row y, a window of them around the current one.
 * Returns the row after it. */
static int draw_peers(struct tui *t, struct exchange *x, int y, int lx, int w)
{
	attr_t head = tui_attr(t, TUI_LABEL) | A_BOLD;
	struct peer_cols c = { { lx, lx + 11, lx + 34, lx + 55 }, { 10, 22, 20, w - 53 } };
	tui_fill(y, 0, t->cols, head);
	tui_put(y, c.x[0], c.w[0], _("Office"), head);
	tui_put(y, c.x[1], c.w[1], _("Name"), head);
	tui_put(y, c.x[2], c.w[2], _("Last sent"), head);
	tui_put(y, c.x[3], c.w[3], _("Last received"), head);
	y++;
	int rows = t->rows - 14;
	if (rows > PEER_ROWS)
		rows = PEER_ROWS;
	if (rows < 1)
		rows = 1;
	if (x->cur < x->first)
		x->first = x->cur;
	if (x->cur >= x->first + rows)
		x->first = x->cur - rows + 1;
	if (x->npeers == 0)
		tui_put(y, lx, w, _("No office is bound yet: press n to bind its key."),
			tui_attr(t, TUI_DIM));
	for (int r = 0; r < rows && x->first + r < (int)x->npeers; r++) {
		const struct bundle_peer *p = &x->peers[x->first + r];
		int sel = x->first + r == x->cur;
		draw_peer(t, p, y + r, &c,
			  tui_attr(t, sel ? TUI_SELECTED : p->revoked ? TUI_DIM : TUI_NORMAL));
	}
	return y + rows + 1;
}

/* What the last action did from row y, wrapped; a wrapped part is
 * indented, so text of a key's cannot begin a row as if it were a line of
 * ours. */
static void draw_result(struct tui *t, const struct exchange *x, int y, int lx, int w)
{
	const char *p = x->result;
	attr_t ra = tui_attr(t, x->result_error ? TUI_ERROR : TUI_NORMAL);
	while (*p && y < t->rows - 2) {
		char seg[1024];
		int cont = p != x->result && p[-1] != '\n' && w > 4;
		tui_take_line(&p, cont ? w - 2 : w, seg, sizeof(seg));
		if (cont)
			tui_fill(y, lx, 2, ra);
		tui_put(y++, cont ? lx + 2 : lx, cont ? w - 2 : w, seg, ra);
	}
}

/* The key, the offices bound, the conflicts waiting, the last result. */
static void exchange_draw(struct tui *t, void *data)
{
	struct exchange *x = data;
	int lx = 2, w = t->cols - 4;
	int y = draw_own_key(t, x, 2, lx, w);
	y = draw_peers(t, x, y, lx, w);
	if (x->nconflicts > 0)
		tui_putf(y, lx, w, tui_attr(t, TUI_WARN),
			 _("%zu records changed on both sides wait to be settled: press c."),
			 x->nconflicts);
	else
		tui_put(y, lx, w, _("No conflicts to settle."), tui_attr(t, TUI_DIM));
	draw_result(t, x, y + 2, lx, w);
}

/* --- actions ------------------------------------------------------------ */

/* The new key's passphrase, typed twice, into *pass (malloc'd; NULL for
 * none). A passphrase unless the clerk says, knowing what it means, that
 * the key is to have none. Returns 0 when the clerk gave up or the two
 * differ. */
static int ask_new_passphrase(struct tui *t, char **pass)
{
	*pass = tui_prompt(t, _("Make the office key"),
			   _("Passphrase for the office key (empty: none):"), NULL, 1);
	if (*pass == NULL)
		return 0;
	if (**pass == '\0') {
		free(*pass);
		*pass = NULL;
		return tui_ask(t, _("No passphrase: anyone who can use this computer can sign "
				    "bundles as this office. Make the key without one?"),
			       _("n: no, go back   y: yes, without a passphrase"), "ny") == 'y';
	}
	char *again = tui_prompt(t, _("Make the office key"),
				 _("The same passphrase again:"), NULL, 1);
	int same = again != NULL && strcmp(*pass, again) == 0;
	if (again != NULL && !same)
		tui_message(t, 1, "%s", _("The two passphrases differ; no key was made."));
	if (again != NULL)
		explicit_bzero(again, strlen(again));
	free(again);
	if (!same) {
		explicit_bzero(*pass, strlen(*pass));
		free(*pass);
		*pass = NULL;
	}
	return same;
}

/* Makes the office key, with a passphrase typed twice or none. */
static void make_key(struct tui *t, struct exchange *x)
{
	struct xb_error err;
	xb_error_clear(&err);
	if (refuse_action(t, x, 0))
		return;
	if (x->has_key) {
		tui_message(t, 1, "%s", _("This office already has its key."));
		return;
	}
	char *pass;
	if (!ask_new_passphrase(t, &pass))
		return;
	busy(t, _("Making the office key..."));
	struct keys_info info;
	int ret = bundle_key_create(t->st, x->k, t->user, t->office, t->office_name,
				    pass, &info, &err);
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		free(pass);
	}
	clearok(curscr, TRUE);
	if (ret != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return;
	}
	load(t, x);
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(info.fpr, groups, sizeof(groups));
	say(x, 0, _("The key of %s is made."), info.uid);
	say_more(x, _("Fingerprint: %s"), groups);
	say_more(x, "%s", _("Press w to write the public key to the stick for the "
			    "other office, and read this fingerprint to them by phone."));
	tui_message(t, 0, "%s", _("The office key is made."));
}

/* The name our public key is written under: xiangban-CODE.asc. */
static void own_key_file(const struct tui *t, char *buf, size_t len)
{
	snprintf(buf, len, "xiangban-%s.asc", t->office);
}

/* Writes our public key to a folder, to carry to the other office. */
static void write_public_key(struct tui *t, struct exchange *x)
{
	if (refuse_action(t, x, 1))
		return;
	char dir[1024];
	tui_default_dir(dir, sizeof(dir));
	char *to = tui_prompt(t, _("Write the office's public key"),
			      _("Folder to write it to (the USB stick):"), dir, 0);
	if (to == NULL)
		return;
	char name[64], path[4200];
	own_key_file(t, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", to, name);
	free(to);
	struct xb_error err;
	xb_error_clear(&err);
	if (keys_export_public(x->k, x->own.fpr, path, &err) != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return;
	}
	char groups[KEYS_FPR_GROUPS_LEN];
	keys_fpr_groups(x->own.fpr, groups, sizeof(groups));
	say(x, 0, _("The public key of %s is written to:"), x->own.uid);
	say_more(x, "  %s", path);
	say_more(x, "%s", _("Read this fingerprint to the other office by phone:"));
	say_more(x, "  %s", groups);
	tui_message(t, 0, "%s", _("The public key is written."));
}

/* A binding under way: the key file, what the key says of itself, the
 * office it is to be bound to, and the fingerprints in groups. */
struct binding {
	char *path;
	struct keys_info info;
	char name[128];  /* the office's name from the user ID, or "" */
	char code[16];   /* its code from the user ID (a suggestion), or "" */
	char *office;    /* the code the clerk gave */
	int replace;     /* the office's other key is to be replaced */
	struct keys_bind_plan plan;
	char groups[KEYS_FPR_GROUPS_LEN], old[KEYS_FPR_GROUPS_LEN];
};

/* The key file to bind: typed, or picked in the folder typed. 1 when
 * one was given and it holds a key, whose info b->info gets. */
static int read_key_file(struct tui *t, struct exchange *x, struct binding *b)
{
	char dir[1024];
	tui_default_dir(dir, sizeof(dir));
	char *typed = tui_prompt(t, _("Bind another office's key"),
				 _("Its public key file (.asc), or the folder that holds it:"),
				 dir, 0);
	if (typed == NULL)
		return 0;
	char own_file[64];
	own_key_file(t, own_file, sizeof(own_file));
	b->path = tui_choose_file(t, typed, asc_ext, _("Which key?"), NULL, own_file);
	free(typed);
	if (b->path == NULL)
		return 0;
	struct xb_error err;
	xb_error_clear(&err);
	if (keys_peek_file(x->k, b->path, &b->info, &err) != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return 0;
	}
	return 1;
}

/* Our keys name their office: "NAME (xiangban CODE)", the last tag (a
 * name may hold brackets). Fills b->name and b->code from the user ID;
 * only a suggestion: the rules decide. */
static void office_from_uid(struct binding *b)
{
	const char *uid = b->info.uid, *tag = NULL;
	for (const char *p = strstr(uid, " " KEYS_UID_TAG); p; p = strstr(p + 1, " " KEYS_UID_TAG))
		tag = p;
	if (tag == NULL)
		return;
	char raw[sizeof(b->info.uid)];
	snprintf(raw, sizeof(raw), "%.*s", (int)(tag - uid), uid);
	xb_printable(raw, 0, b->name, sizeof(b->name));
	const char *c = tag + 1 + strlen(KEYS_UID_TAG);
	snprintf(b->code, sizeof(b->code), "%.*s", (int)strcspn(c, ")"), c);
	if (!keys_office_code_valid(b->code))
		b->code[0] = '\0';
}

/* The office the key belongs to, as the clerk says (the user ID's code
 * offered). 1 when one was given. */
static int ask_office(struct tui *t, struct binding *b)
{
	office_from_uid(b);
	b->office = tui_prompt(t, _("Bind another office's key"),
			       _("The code of the office this key belongs to:"), b->code, 0);
	return b->office != NULL && *b->office != '\0';
}

/* Says what the key says of itself, made safe, then checks the rules of
 * binding; an office bound to another key is replaced only when the
 * clerk says so. 1 when the binding may go on. */
static int check_binding(struct tui *t, struct exchange *x, struct binding *b)
{
	/* The file's name and the user ID are the sender's words: cut short,
	 * so that no wrapped part of them can hold a whole line of ours. */
	char shown_file[128], shown_uid[256];
	const char *base = strrchr(b->path, '/') ? strrchr(b->path, '/') + 1 : b->path;
	say(x, 0, _("Key in %s: %s"), tui_safe_cut(base, 32, shown_file, sizeof(shown_file)),
	    tui_safe_cut(b->info.uid, 48, shown_uid, sizeof(shown_uid)));
	struct xb_error err;
	xb_error_clear(&err);
	int ret = keys_bind_check(t->st, x->k, b->office, &b->info, 0, &b->plan, &err);
	if (ret == XB_EEXIST) {
		char q[512];
		snprintf(q, sizeof(q), _("Office %s is already bound to another key. Replace "
					 "that key with this one? The replacement is written "
					 "in the office's history."), b->office);
		if (tui_ask(t, q, _("n: no, keep the old key   y: yes, replace it"), "ny") != 'y') {
			say_more(x, "%s", _("Not replaced; nothing was imported."));
			return 0;
		}
		b->replace = 1;
		xb_error_clear(&err);
		ret = keys_bind_check(t->st, x->k, b->office, &b->info, 1, &b->plan, &err);
	}
	if (ret != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return 0;
	}
	return 1;
}

/* Shows the fingerprint the program computed, last, just above the
 * question whether it matches the one read out by phone. 1 when it
 * does. */
static int confirm_fingerprint(struct tui *t, struct exchange *x, struct binding *b)
{
	char q[256];
	keys_fpr_groups(b->info.fpr, b->groups, sizeof(b->groups));
	keys_fpr_groups(b->plan.old_fpr, b->old, sizeof(b->old));
	if (b->replace)
		say_more(x, _("Old key: %s"), b->old);
	say_more(x, _("Fingerprint: %s"), b->groups);
	snprintf(q, sizeof(q), _("Does the fingerprint below match, group by group, the one "
				 "office %s read to you by phone?"), b->office);
	if (tui_ask(t, q, _("n: no, bind nothing   y: yes, it matches"), "ny") != 'y') {
		say(x, 1, "%s", _("Not confirmed; nothing was imported."));
		return 0;
	}
	return 1;
}

/* Imports the key and binds (or rebinds) the office to it; says how it
 * went. */
static void bind_key(struct tui *t, struct exchange *x, struct binding *b)
{
	struct xb_error err;
	xb_error_clear(&err);
	int ret = keys_import_file_expect(x->k, b->path, b->info.fpr, &b->info, &err);
	if (ret == XB_OK)
		ret = bundle_peer_bind(t->st, x->k, b->office,
				       b->name[0] ? b->name : NULL, b->info.fpr,
				       b->replace, t->user, &err);
	clearok(curscr, TRUE);
	load(t, x);
	if (ret != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return;
	}
	if (b->replace) {
		say(x, 0, _("The key of office %s is replaced; its bundles are now checked "
			    "against the new key."), b->office);
		say_more(x, _("Old key: %s"), b->old);
	} else {
		say(x, 0, _("Office %s is bound to this key; its bundles can be imported "
			    "and bundles can be sent to it."), b->office);
	}
	say_more(x, _("Fingerprint: %s"), b->groups);
	tui_message(t, 0, _("Office %s is bound."), b->office);
}

/* Binds another office's key: the file from the stick, the office code,
 * and the clerk's word that the fingerprint matches the one read out by
 * phone. */
static void bind_peer(struct tui *t, struct exchange *x)
{
	if (refuse_action(t, x, 0))
		return;
	struct binding b;
	memset(&b, 0, sizeof(b));
	if (read_key_file(t, x, &b) && ask_office(t, &b) && check_binding(t, x, &b) &&
	    confirm_fingerprint(t, x, &b))
		bind_key(t, x, &b);
	free(b.office);
	free(b.path);
}

/* The office a bundle goes to: a township's county, or the township a
 * county picks. 0 when none was chosen. */
static int pick_receiver(struct tui *t, struct exchange *x, char to[13])
{
	if (is_township(t)) {
		snprintf(to, 13, "%.6s", t->office);
		return 1;
	}
	const char **items = calloc(x->npeers ? x->npeers : 1, sizeof(*items));
	char (*text)[192] = calloc(x->npeers ? x->npeers : 1, sizeof(*text));
	int *which = calloc(x->npeers ? x->npeers : 1, sizeof(*which));
	int n = 0, cur = 0, chosen = -1;
	for (size_t i = 0; items && text && which && i < x->npeers; i++) {
		if (x->peers[i].revoked)
			continue;
		snprintf(text[n], sizeof(text[n]), "%s  %s", x->peers[i].code, x->peers[i].name);
		items[n] = text[n];
		if ((int)i == x->cur)
			cur = n;
		which[n++] = (int)i;
	}
	if (n == 0)
		tui_message(t, 1, "%s", _("No office is bound yet: press n to bind its key."));
	else
		chosen = tui_pick(t, _("Send the bundle to"), items, n, cur);
	if (chosen >= 0)
		snprintf(to, 13, "%s", x->peers[which[chosen]].code);
	free(items);
	free(text);
	free(which);
	return chosen >= 0;
}

/* Exports a bundle: to whom, where, which records; then says what was
 * written and that the stick may come out. */
static void export_bundle(struct tui *t, struct exchange *x)
{
	if (refuse_action(t, x, 1))
		return;
	char to[13];
	if (!pick_receiver(t, x, to))
		return;
	char dir[1024];
	tui_default_dir(dir, sizeof(dir));
	char *where = tui_prompt(t, _("Export a bundle"),
				 _("Folder to write the bundle to (the USB stick):"), dir, 0);
	if (where == NULL)
		return;
	int a = tui_ask(t, _("Which records go into the bundle?"),
			_("c: changed since the last bundle   a: all records"), "ca");
	if (a == 0) {
		free(where);
		return;
	}
	struct progress pg = { t, _("Writing the bundle"), -1 };
	struct bundle_export_result res;
	struct xb_error err;
	xb_error_clear(&err);
	busy(t, _("Writing the bundle..."));
	int ret = bundle_export(t->st, x->k, to, where, a == 'a', t->user, on_progress, &pg,
				&res, &err);
	forget_passphrase(x);
	free(where);
	clearok(curscr, TRUE);
	load(t, x);
	if (ret != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return;
	}
	const char *slash = strrchr(res.path, '/');
	say(x, 0, _("Bundle no. %" PRIu64 " to office %s written and checked:"), res.sequence,
	    to);
	say_more(x, "  %s", slash ? slash + 1 : res.path);
	say_more(x, _("  in %.*s"), slash ? (int)(slash - res.path) : 0, res.path);
	say_counts(x, &res.counts);
	say_more(x, "%s", _("You may now remove the stick."));
	tui_message(t, 0, "%s", _("You may now remove the stick."));
}

/* Imports a bundle and says what it brought, or why it was refused. */
static void import_bundle(struct tui *t, struct exchange *x)
{
	if (refuse_action(t, x, 0))
		return;
	char dir[1024];
	tui_default_dir(dir, sizeof(dir));
	char *typed = tui_prompt(t, _("Import a bundle"),
				 _("The bundle file, or the folder that holds it:"), dir, 0);
	if (typed == NULL)
		return;
	/* The first one addressed to this office comes first. */
	char mark[24];
	snprintf(mark, sizeof(mark), "-to-%s-", t->office);
	char *path = tui_choose_file(t, typed, gpg_ext, _("Which bundle?"), mark, NULL);
	free(typed);
	if (path == NULL)
		return;
	struct progress pg = { t, _("Reading the bundle"), -1 };
	struct bundle_import_result res;
	struct xb_error err;
	int ret, allow_gap = 0;
	for (;;) {
		xb_error_clear(&err);
		busy(t, _("Reading the bundle..."));
		ret = bundle_import(t->st, x->k, path, allow_gap, t->user, on_progress, &pg,
				    &res, &err);
		forget_passphrase(x);
		clearok(curscr, TRUE);
		if (ret == XB_OK || allow_gap || res.missing == 0)
			break;
		/* Bundles before it never came: the clerk may take it anyway. */
		say(x, 1, "%s", err.msg);
		tui_message(t, 1, "%s", err.msg);
		if (tui_ask(t, _("Import it anyway, leaving the gap?"),
			    _("n: no, import the missing ones first   y: yes"), "ny") != 'y')
			break;
		allow_gap = 1;
		pg.pct = -1;
	}
	free(path);
	load(t, x);
	if (ret != XB_OK) {
		tui_error(t, &err);
		say(x, 1, "%s", err.msg);
		return;
	}
	if (res.duplicate) {
		say(x, 0, _("Bundle no. %" PRIu64 " from office %s was imported before; "
			    "nothing changed."), res.sequence, res.from);
		tui_message(t, 0, "%s", _("Nothing changed."));
		return;
	}
	say(x, 0, _("Bundle no. %" PRIu64 " from office %s imported."), res.sequence, res.from);
	if (res.missing)
		say_more(x, _("Warning: %" PRIu64 " bundle(s) before it were never imported."),
			 res.missing);
	say_counts(x, &res.counts);
	say_more(x, _("new %" PRIu64 ", updated %" PRIu64 ", unchanged %" PRIu64
		      ", older than ours %" PRIu64 ", conflicts %" PRIu64),
		 res.added, res.replaced, res.same, res.older, res.conflicts);
	if (res.conflicts)
		say_more(x, "%s", _("Records changed on both sides were kept apart: "
				    "press c to settle them."));
	if (res.transfers_in)
		say_more(x, _("Children transferred here from another township: %" PRIu64
			      " (one who needs a village is flagged on the list)."),
			 res.transfers_in);
	tui_message(t, 0, _("Bundle no. %" PRIu64 " imported."), res.sequence);
}

/* --- the screen --------------------------------------------------------- */

static int exchange_key(struct tui *t, void *data, const struct tui_key *k)
{
	struct exchange *x = data;
	if (k->code == KEY_UP || tui_key_is(k, 0, "k")) {
		if (x->cur > 0)
			x->cur--;
	} else if (k->code == KEY_DOWN || tui_key_is(k, 0, "j")) {
		if (x->cur < (int)x->npeers - 1)
			x->cur++;
	} else if (tui_key_is(k, KEY_F(5), "eE")) {
		export_bundle(t, x);
	} else if (tui_key_is(k, KEY_F(6), "iI")) {
		import_bundle(t, x);
	} else if (tui_key_is(k, KEY_F(7), "cC")) {
		tui_conflicts_open(t);
	} else if (tui_key_is(k, KEY_F(8), "oO")) {
		tui_offices_open(t);
	} else if (tui_key_is(k, 0, "mM")) {
		make_key(t, x);
	} else if (tui_key_is(k, 0, "wW")) {
		write_public_key(t, x);
	} else if (tui_key_is(k, 0, "nN")) {
		bind_peer(t, x);
	} else {
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED;
}

static void exchange_resume(struct tui *t, void *data)
{
	load(t, data);
}

static void exchange_free(void *data)
{
	struct exchange *x = data;
	if (x == NULL)
		return;
	keys_close(&x->k);
	forget_passphrase(x);
	free(x->peers);
	free(x);
}

static const char *exchange_title(struct tui *t, void *data)
{
	(void)t;
	(void)data;
	return _("Exchange with other offices");
}

static const struct tui_screen_ops exchange_ops = {
	.draw = exchange_draw,
	.key = exchange_key,
	.resume = exchange_resume,
	.free = exchange_free,
	.keys = exchange_keys,
	.title = exchange_title,
};

void tui_exchange_open(struct tui *t)
{
	if (tui_refuse(t, LEDGER_EXCHANGE, NULL))
		return;
	struct exchange *x = calloc(1, sizeof(*x));
	if (x == NULL) {
		tui_message(t, 1, "%s", _("Out of memory."));
		return;
	}
	char home[4200];
	struct xb_error err;
	xb_error_clear(&err);
	if (keys_home_path(store_home(t->st), home, sizeof(home), &err) != XB_OK ||
	    keys_open(home, &x->k, &err) != XB_OK) {
		x->k = NULL;
		snprintf(x->keys_error, sizeof(x->keys_error), "%s", err.msg);
	} else {
		x->t = t;
		keys_set_passphrase_fn(x->k, ask_passphrase, x);
	}
	load(t, x);
	tui_push(t, &exchange_ops, x);
}
