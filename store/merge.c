/* merge.c - taking in a record that another office sent: a newer version
 * replaces an older one, never the reverse, and a record changed on both
 * sides since they last exchanged it is left for the clerk. */
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

int store_merge(struct store *st, struct store_txn *txn,
		const struct store_record *in, const struct store_merge_marks *m,
		const char *user, enum store_merge_result *res,
		struct xb_error *err)
{
	struct store_record *local = NULL;
	int ret = store_get(st, txn, in->kind, in->id, &local, err);
	if (ret == XB_ENOTFOUND) {
		xb_error_clear(err);
		*res = STORE_MERGE_NEW;
		return store_put_as_is(st, txn, in, user, "import", err);
	}
	if (ret != XB_OK)
		return ret;
	/* A record stays under the office that made it. */
	if (strcmp(local->origin ? local->origin : "", in->origin ? in->origin : "") != 0) {
		ret = xb_fail(err, XB_EINVAL,
			      _("%s is office %s's here; a bundle cannot make it "
				"office %s's."),
			      in->id, local->origin ? local->origin : "",
			      in->origin ? in->origin : "");
		store_record_free(&local);
		return ret;
	}

	struct store_change *ch = NULL;
	size_t n = 0;
	if (store_diff(local, in, &ch, &n)) {
		store_record_free(&local);
		return xb_fail(err, XB_EFAIL, _("Out of memory."));
	}
	store_changes_free(ch, n);
	if (n == 0) {
		*res = STORE_MERGE_SAME;
		store_record_free(&local);
		return XB_OK;
	}
	/* Changed here since our last bundle to the sender (imports do not
	 * count: they came from elsewhere), and there since its last bundle
	 * to us (its clock against its clock). */
	int here;
	ret = store_changed_since(st, txn, in->id, m->sent_mark, "import", &here, err);
	if (ret != XB_OK) {
		store_record_free(&local);
		return ret;
	}
	int there = in->changed_at > m->received_since;
	/* Ours changed and theirs is not a stale copy: neither may win
	 * unseen. Equal versions that differ come from two edits. */
	if ((here && (there || in->version > local->version)) ||
	    in->version == local->version)
		*res = STORE_MERGE_CONFLICT;
	else if (in->version > local->version)
		*res = STORE_MERGE_NEWER;
	else
		*res = STORE_MERGE_OLDER;
	store_record_free(&local);
	if (*res == STORE_MERGE_NEWER)
		return store_put_as_is(st, txn, in, user, "import", err);
	return XB_OK;
}
