/* office_key.c - the office's key as a command uses it: opened in the
 * ledger's own GnuPG home, asking for its passphrase as the command line
 * does, and a failure for want of that passphrase told as such. */
#include <stdio.h>

#include "cli.h"
#include "../common/i18n.h"
#include "../keys/keys.h"

/* The office's key, in the ledger's GnuPG home (keys_home_path). The key asks for its
 * passphrase with cli_key_passphrase. */
int cli_keys_open(struct cli *c, struct keys **k)
{
	*k = NULL;
	int ret = cli_store(c);
	if (ret != XB_OK)
		return ret;
	char home[4200];
	ret = keys_home_path(store_home(c->st), home, sizeof(home), &c->err);
	if (ret == XB_OK)
		ret = keys_open(home, k, &c->err);
	if (ret == XB_OK)
		keys_set_passphrase_fn(*k, cli_key_passphrase, c);
	return ret;
}

int cli_key_pass_result(struct cli *c, int ret)
{
	if (ret != XB_OK && c->keypass_missing)
		return xb_fail(&c->err, XB_EINVAL,
			       _("The office key is protected by a passphrase: "
				 "type it on a terminal, or give it with "
				 "--passphrase-fd N (one line read from file "
				 "descriptor N). Nothing was done."));
	return ret;
}
