/* scr_children.c - being written this session; replaced whole by its screen. */
#include "private.h"

void tui_children_open(struct tui *t, enum tui_child_filter filter, unsigned flag)
{
	(void)filter; (void)flag;
	tui_message(t, 1, "%s", "not built yet");
}
