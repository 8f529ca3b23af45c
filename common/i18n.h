/* i18n.h - gettext macros shared by every module.
 *
 * Modules only translate; the program's main() calls setlocale and
 * bindtextdomain once. */
#ifndef XB_I18N_H
#define XB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
