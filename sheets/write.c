/* write.c - stub */
#include "../common/i18n.h"
#include "private.h"
