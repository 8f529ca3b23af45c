/* office.c - the office a ledger belongs to, as the ledger operations and
 * the village register read it inside their transactions. */
#include <stdio.h>
#include <stdlib.h>

#include "../common/i18n.h"
#include "../store/store.h"
#include "private.h"

int form_office_in(struct store *st, struct store_txn *txn, char code[13],
		   struct xb_error *err)
{
	char *v = NULL;
	int ret = store_meta_get(st, txn, "office", &v, err);
	if (ret)
		return ret;
	if (v == NULL)
		return xb_fail(err, XB_ENOTFOUND,
			       _("This ledger has no office yet; run "
				 "`xiangban init --office CODE --name NAME` first."));
	snprintf(code, 13, "%s", v);
	free(v);
	return XB_OK;
}
