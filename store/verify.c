/* verify.c - checking the structure of every database file. */
#include <stdio.h>
#include <string.h>

#include "private.h"
#include "../common/i18n.h"

int store_verify(struct store *st, store_verify_fn fn, void *arg,
		 struct xb_error *err)
{
	int bad = 0;
	/* Flush what this process wrote so the files on disk are whole
	 * (no environment after a failed reopen: nothing to flush). */
	if (st->env != NULL)
		st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE);
	for (int i = 0; i < T_COUNT; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", st->home, store_tables[i].file);
		DB *db;
		int ret = db_create(&db, NULL, 0);
		if (ret == 0 && st->crypt.on &&
		    (ret = db->set_encrypt(db, st->crypt.dbpass, DB_ENCRYPT_AES)) != 0)
			db->close(db, 0);
		else if (ret == 0) /* verify destroys the handle, whatever it says */
			ret = db->verify(db, path, NULL, NULL, 0);
		if (fn != NULL)
			fn(store_tables[i].file, ret == 0,
			   ret == 0 ? "" : db_strerror(ret), arg);
		if (ret != 0)
			bad++;
	}
	if (bad)
		return xb_fail(err, XB_EFAIL,
			       ngettext("%d database file failed verification.",
					"%d database files failed verification.",
					bad),
			       bad);
	return XB_OK;
}
