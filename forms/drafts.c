/* drafts.c - what a clerk had typed into a form when the program was cut
 * off (the terminal closed, a signal), kept for them until the next start
 * offers it back. One per user, in meta.db beside the settings: never a
 * record, so never audited, counted or sent in a bundle. The value is
 * "<parent>\t<cleared keys, comma-separated>\t<the changes as the store
 * encodes a record, in hex>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "../common/i18n.h"

static void draft_key(char *buf, size_t len, const char *user)
{
	snprintf(buf, len, "draft:%s", user);
}

int ledger_draft_keep(struct store *st, const char *user,
		      const struct store_record *changes, const char *cleared,
		      const char *parent, struct xb_error *err)
{
	if (user == NULL || *user == '\0' || changes == NULL)
		return xb_fail(err, XB_EINVAL, _("A draft needs the user and the form."));
	if (strchr(parent ? parent : "", '\t') || strchr(cleared ? cleared : "", '\t'))
		return xb_fail(err, XB_EINVAL, _("A draft needs the user and the form."));
	unsigned char *buf = NULL;
	size_t n = 0;
	if (store_record_encode(changes, &buf, &n) != XB_OK)
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	size_t head = strlen(parent ? parent : "") + strlen(cleared ? cleared : "") + 2;
	char *text = malloc(head + 2 * n + 1);
	if (text == NULL) {
		free(buf);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	int at = snprintf(text, head + 1, "%s\t%s\t", parent ? parent : "",
			  cleared ? cleared : "");
	for (size_t i = 0; i < n; i++)
		snprintf(text + at + 2 * i, 3, "%02x", buf[i]);
	free(buf);
	char key[160];
	draft_key(key, sizeof(key), user);
	int ret = store_meta_set(st, NULL, key, text, err);
	free(text);
	return ret;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int ledger_draft_take(struct store *st, const char *user,
		      struct store_record **changes, char **cleared,
		      char parent[LEDGER_DRAFT_PARENT_MAX], struct xb_error *err)
{
	char key[160], *text = NULL;
	*changes = NULL;
	*cleared = NULL;
	parent[0] = '\0';
	if (user == NULL || *user == '\0')
		return XB_ENOTFOUND;
	draft_key(key, sizeof(key), user);
	int ret = store_meta_get(st, NULL, key, &text, err);
	if (ret != XB_OK)
		return ret;
	if (text == NULL || *text == '\0') {
		free(text);
		return XB_ENOTFOUND;
	}
	/* Taken: whatever it holds, it is not offered twice. */
	ret = store_meta_set(st, NULL, key, "", err);
	char *tab1 = strchr(text, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	size_t hex = tab2 ? strlen(tab2 + 1) : 0;
	unsigned char *buf = hex % 2 == 0 && hex > 0 ? malloc(hex / 2) : NULL;
	int bad = ret != XB_OK || buf == NULL;
	for (size_t i = 0; !bad && i < hex / 2; i++) {
		int hi = hex_digit(tab2[1 + 2 * i]), lo = hex_digit(tab2[2 + 2 * i]);
		bad = hi < 0 || lo < 0;
		buf[i] = (unsigned char)(hi * 16 + lo);
	}
	if (!bad && (size_t)(tab1 - text) < LEDGER_DRAFT_PARENT_MAX) {
		memcpy(parent, text, (size_t)(tab1 - text));
		parent[tab1 - text] = '\0';
		*tab2 = '\0';
		*cleared = strdup(tab1 + 1);
		struct xb_error ignored;
		bad = *cleared == NULL ||
		      store_record_decode(buf, hex / 2, changes, &ignored) != XB_OK;
	} else {
		bad = 1;
	}
	free(buf);
	free(text);
	if (bad) {
		free(*cleared);
		*cleared = NULL;
		store_record_free(changes);
		parent[0] = '\0';
		/* A draft that cannot be read is gone; the refusal says so
		 * only when the store failed. */
		return ret != XB_OK ? ret : XB_ENOTFOUND;
	}
	return XB_OK;
}
