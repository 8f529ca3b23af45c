/* scr_history.c - being written this session; replaced whole by its screen. */
#include "private.h"

void tui_history_open(struct tui *t, const char *id)
{
	(void)id;
	tui_message(t, 1, "%s", "not built yet");
}
