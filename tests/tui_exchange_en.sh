#!/bin/sh
# tui_exchange_en.sh - tui_exchange.sh in C.UTF-8: the same screens and
# steps with the English labels, which must fit 80x24 as well.
UI_LANG=C.UTF-8
. "${XB_SRCDIR:-.}/tests/tui_exchange.sh"
