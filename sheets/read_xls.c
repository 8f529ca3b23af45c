/* read_xls.c - stub */
#include "../common/i18n.h"
#include "private.h"
int sheet_xls_open(const char *path, void **impl, struct xb_error *err)
{
	*impl = NULL;
	return xb_fail(err, XB_EINVAL, _("%s: .xls not read yet."), path);
}
static int xnext(void *impl, struct sheet_rowbuf *b, struct xb_error *err)
{ (void)impl; (void)b; (void)err; return 0; }
static unsigned xprog(const void *impl) { (void)impl; return 0; }
static void xclose(void *impl) { (void)impl; }
const struct sheet_backend sheet_xls_backend = { xnext, xprog, xclose };
