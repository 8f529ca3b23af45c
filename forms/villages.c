/* villages.c - the office's register of villages (村(居)名录): adding,
 * listing and finding them, and what a child's village must be once the
 * register holds any. A township has some sixty villages at most; the
 * store keeps them by code and by name (store/tables.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "private.h"
#include "../common/clock.h"
#include "../common/i18n.h"

/* The meta key set once the register has a village: before that, a
 * child's village is taken as typed (ledgers made before the register). */
#define REGISTER_IN_USE "villages"

/* The endings a village's name is written with or without, longest
 * first so 村委会 is not read as 村. */
static const char *const suffixes[] = {
	"村民委员会", "居民委员会", "村委会", "居委会", "社区", "村",
};
#define NSUFFIXES (sizeof(suffixes) / sizeof(suffixes[0]))

/* Copies in to out[len] with full-width ASCII forms made plain and every
 * space (plain, ideographic, no-break, tab) left out. -1 when it does not
 * fit. */
static int fold(const char *in, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0;
	while (*p) {
		unsigned cp = 0;
		size_t n = 1;
		if (p[0] >= 0xe0 && p[0] < 0xf0 && p[1] && p[2]) {
			cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
			n = 3;
		} else if (p[0] >= 0xc0 && p[0] < 0xe0 && p[1]) {
			cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
			n = 2;
		}
		if (*p == ' ' || *p == '\t' || (n == 3 && cp == 0x3000) ||
		    (n == 2 && cp == 0xa0)) {
			p += n;
			continue;
		}
		if (n == 3 && cp >= 0xff01 && cp <= 0xff5e) {
			if (o + 1 >= len)
				return -1;
			out[o++] = (char)(cp - 0xfee0);
			p += n;
			continue;
		}
		/* anything else is copied byte by byte as it is */
		for (size_t i = 0; i < n; i++) {
			if (o + 1 >= len || p[i] == '\0')
				return -1;
			out[o++] = (char)p[i];
		}
		p += n;
	}
	out[o] = '\0';
	return 0;
}

/* The length of name without one of the endings, when something is left
 * before it; else its whole length. */
static size_t base_len(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < NSUFFIXES; i++) {
		size_t s = strlen(suffixes[i]);
		if (n > s && strcmp(name + n - s, suffixes[i]) == 0)
			return n - s;
	}
	return n;
}

/* Whether two folded names name the same village: equal, or equal but
 * for the endings. */
static int same_name(const char *a, const char *b)
{
	size_t la = base_len(a), lb = base_len(b);
	return strcmp(a, b) == 0 || (la == lb && memcmp(a, b, la) == 0);
}

/* The register's village whose name is a folded name with or without an
 * ending (the name as written first): its code malloc'd into *code, or
 * XB_ENOTFOUND (err untouched). */
static int find_by_name(struct store *st, struct store_txn *txn,
			const char *name, char **code, struct xb_error *err)
{
	char key[256];
	size_t b = base_len(name);
	int ret = store_find(st, txn, STORE_VILLAGE, STORE_BY_NAME, name, code, err);
	for (size_t i = 0; i <= NSUFFIXES && ret == XB_ENOTFOUND; i++) {
		const char *end = i < NSUFFIXES ? suffixes[i] : "";
		if (b + strlen(end) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%.*s%s", (int)b, name, end);
		if (strcmp(key, name) != 0)
			ret = store_find(st, txn, STORE_VILLAGE, STORE_BY_NAME, key, code,
					 err);
	}
	return ret;
}

/* The office under txn: a township's 9-digit code into town[13]. */
static int township(struct store *st, struct store_txn *txn, char town[13],
		    struct xb_error *err)
{
	int ret = form_office_in(st, txn, town, err);
	if (ret)
		return ret;
	if (strlen(town) != 9)
		return xb_fail(err, XB_EINVAL,
			       _("This is the county's ledger (%s): a county keeps "
				 "no villages; each township keeps its own."),
			       town);
	return XB_OK;
}

/* A code as typed, folded, is a village code under town: its checks in
 * the order a clerk reads them. */
static int check_code(const char *code, const char *town, const char *field,
		      struct xb_error *err)
{
	if (strlen(code) != 12 || !form_digits(code, 12))
		return xb_fail_field(err, XB_EINVAL, field,
				     _("A village code is 12 digits (the statistical "
				       "division code), not \"%s\"."),
				     code);
	if (strncmp(code, town, 9) != 0 || strcmp(code + 9, "000") == 0)
		return xb_fail_field(err, XB_EINVAL, field,
				     _("Village code %s does not lie under this "
				       "township (%s): its first 9 digits must be "
				       "the township's, the last 3 not 000."),
				     code, town);
	return XB_OK;
}

struct add_arg {
	const char *code, *name, *user;
};

/* Refuses a name another village of the register has, with or without
 * an ending. */
static int name_free(struct store *st, struct store_txn *txn,
		     const char *code, const char *name, struct xb_error *err)
{
	char *other = NULL;
	int ret = find_by_name(st, txn, name, &other, err);
	if (ret == XB_ENOTFOUND)
		return XB_OK;
	if (ret == XB_OK && strcmp(other, code) != 0)
		ret = xb_fail_field(err, XB_EEXIST, FK_name,
				    _("Village %s already has the name %s (or one "
				      "that differs only in 村/社区/居委会); give "
				      "this village another."),
				    other, name);
	free(other);
	return ret;
}

static int add_fn(struct store *st, struct store_txn *txn, void *arg,
		  struct xb_error *err)
{
	struct add_arg *a = arg;
	char town[13], today[11];
	struct store_record *v = NULL;
	int ret = township(st, txn, town, err);
	if (ret == XB_OK)
		ret = ledger_access(st, txn, a->user, LEDGER_CASEWORK, NULL, err);
	if (ret || (ret = check_code(a->code, town, FK_code, err)) ||
	    (ret = name_free(st, txn, a->code, a->name, err)))
		return ret;
	ret = store_get(st, txn, STORE_VILLAGE, a->code, &v, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		v = store_record_new(STORE_VILLAGE);
		if (v == NULL || store_record_set_id(v, a->code) ||
		    store_record_set_origin(v, town))
			ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
		else
			ret = XB_OK;
	}
	if (ret == XB_OK && (store_record_set(v, FK_code, a->code) ||
			     store_record_set(v, FK_name, a->name)))
		ret = xb_fail(err, XB_EFAIL, _("Out of memory."));
	xb_today(today, sizeof(today));
	if (ret == XB_OK && (ret = form_check_record(v, today, err)) == XB_OK)
		ret = v->version ? store_update(st, txn, v, a->user, "update", err)
				 : store_insert(st, txn, v, a->user, err);
	if (ret == XB_OK)
		ret = store_meta_set(st, txn, REGISTER_IN_USE, "1", err);
	store_record_free(&v);
	return ret;
}

/* A village as typed, folded into c[64] and n[256], refused when either
 * is empty or not text. */
static int fold_village(const char *code, const char *name, char c[64],
			char n[256], struct xb_error *err)
{
	if (fold(code, c, 64) != 0 || *c == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_code,
				     _("A village code is 12 digits (the statistical "
				       "division code), not \"%s\"."),
				     code ? code : "");
	if (fold(name, n, 256) != 0 || *n == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_name,
				     _("The village needs a name."));
	if (form_check_text(n, 0, NULL) != 0)
		return xb_fail_field(err, XB_EINVAL, FK_name,
				     _("The village's name holds characters that "
				       "are not text."));
	return XB_OK;
}

int ledger_village_add(struct store *st, const char *code, const char *name,
		       const char *user, struct xb_error *err)
{
	char c[64], n[256];
	int ret = fold_village(code, name, c, n, err);
	if (ret)
		return ret;
	struct add_arg a = { c, n, user };
	return store_run(st, add_fn, &a, err);
}

struct many_arg {
	const char *const *codes, *const *names;
	size_t n;
	const char *user;
	size_t bad;
};

static int many_fn(struct store *st, struct store_txn *txn, void *arg,
		   struct xb_error *err)
{
	struct many_arg *m = arg;
	for (m->bad = 0; m->bad < m->n; m->bad++) {
		char c[64], n[256];
		int ret = fold_village(m->codes[m->bad], m->names[m->bad], c, n, err);
		struct add_arg a = { c, n, m->user };
		if (ret || (ret = add_fn(st, txn, &a, err)))
			return ret;
	}
	return XB_OK;
}

int ledger_villages_add(struct store *st, const char *const *codes,
			const char *const *names, size_t n, const char *user,
			size_t *bad, struct xb_error *err)
{
	struct many_arg m = { codes, names, n, user, 0 };
	int ret = n ? store_run(st, many_fn, &m, err) : XB_OK;
	if (bad != NULL)
		*bad = m.bad;
	return ret;
}

int ledger_village_list(struct store *st, ledger_village_fn fn, void *arg,
			struct xb_error *err)
{
	struct store_iter *it;
	struct store_record *r;
	int ret = store_iter_open(st, STORE_VILLAGE, STORE_BY_ID, STORE_ALL, NULL, &it,
				  err);
	if (ret)
		return ret;
	while ((ret = store_iter_next(it, &r, NULL, err)) == 1) {
		const char *name = store_record_get(r, FK_name);
		int stop = fn(r->id, name ? name : "", arg);
		store_record_free(&r);
		if (stop) {
			ret = 0;
			break;
		}
	}
	store_iter_close(&it);
	return ret < 0 ? ret : XB_OK;
}

/* The register's village of code into code_out and name_out. */
static int fill_from(struct store *st, struct store_txn *txn, const char *id,
		     char code[13], char name[64], struct xb_error *err)
{
	struct store_record *v = NULL;
	int ret = store_get(st, txn, STORE_VILLAGE, id, &v, err);
	if (ret == XB_OK) {
		const char *n = store_record_get(v, FK_name);
		snprintf(code, 13, "%s", v->id);
		snprintf(name, 64, "%s", n ? n : "");
	}
	store_record_free(&v);
	return ret;
}

static int not_registered(const char *text, struct xb_error *err)
{
	return xb_fail_field(err, XB_ENOTFOUND, FK_village,
			     _("The village register has no village %s; add it "
			       "first with `xiangban village add CODE NAME` (or on "
			       "the villages screen)."),
			     text);
}

int ledger_village_find(struct store *st, struct store_txn *txn,
			const char *text, char code[13], char name[64],
			struct xb_error *err)
{
	char t[256];
	code[0] = name[0] = '\0';
	if (fold(text, t, sizeof(t)) != 0 || *t == '\0')
		return xb_fail_field(err, XB_EINVAL, FK_village,
				     _("Write the village's name or its 12-digit "
				       "code."));
	if (form_digits(t, strlen(t))) {
		if (strlen(t) != 12)
			return xb_fail_field(err, XB_EINVAL, FK_village_code,
					     _("A village code is 12 digits (the "
					       "statistical division code), not "
					       "\"%s\"."),
					     t);
		int ret = fill_from(st, txn, t, code, name, err);
		if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			return not_registered(t, err);
		}
		return ret;
	}
	char *id = NULL;
	int ret = find_by_name(st, txn, t, &id, err);
	if (ret == XB_ENOTFOUND)
		return not_registered(t, err);
	if (ret == XB_OK)
		ret = fill_from(st, txn, id, code, name, err);
	free(id);
	return ret;
}

int form_village_fill(struct store *st, struct store_txn *txn,
		      struct store_record *child, const char *town,
		      struct xb_error *err)
{
	char *in_use = NULL;
	int ret = store_meta_get(st, txn, REGISTER_IN_USE, &in_use, err);
	if (ret || in_use == NULL)
		return ret; /* no register: the village is taken as typed */
	free(in_use);
	const char *typed_code = store_record_get(child, FK_village_code);
	const char *typed_name = store_record_get(child, FK_village);
	char c[64], n[256], code[13], name[64];
	if (typed_code != NULL) {
		if (fold(typed_code, c, sizeof(c)) != 0)
			c[0] = '\0';
		if ((ret = check_code(c, town, FK_village_code, err)))
			return ret;
		ret = fill_from(st, txn, c, code, name, err);
		if (ret == XB_ENOTFOUND) {
			xb_error_clear(err);
			return xb_fail_field(err, XB_EINVAL, FK_village_code,
					     _("Village code %s is not in the "
					       "village register; add it first "
					       "with `xiangban village add %s "
					       "NAME`."),
					     c, c);
		}
		if (ret)
			return ret;
		if (typed_name != NULL && fold(typed_name, n, sizeof(n)) == 0 &&
		    *n != '\0' && !same_name(n, name))
			return xb_fail_field(err, XB_EINVAL, FK_village,
					     _("Village %s is not the village of "
					       "code %s: the register names it "
					       "%s."),
					     typed_name, code, name);
	} else if (typed_name != NULL) {
		if ((ret = ledger_village_find(st, txn, typed_name, code, name, err)))
			return ret;
	} else {
		return XB_OK; /* the schema says both are required */
	}
	if (store_record_set(child, FK_village_code, code) ||
	    store_record_set(child, FK_village, name))
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	return XB_OK;
}
