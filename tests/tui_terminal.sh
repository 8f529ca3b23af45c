#!/bin/sh
# tui_terminal.sh - the full-screen interface in a real terminal: the
# start screen's figures in Chinese and English, help, a terminal too
# small that recovers, resizing, mono terminals (vt100: UTF-8 boxes, F5 as
# xterm sends it), a locale that is not UTF-8 refused, quitting cleanly.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 40 >/dev/null || { fail "demo ledger"; finish; }
CHILDREN=$("$XB" --home "$H" --json summary | python3 -c 'import json,sys; print(json.load(sys.stdin)["children"])')

# Chinese, 80x24: the office and its figures.
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "永吉县示范镇"
wait_for "在册儿童"
check "children counted" sh -c "tmux -L $TMUX_SOCK capture-pane -t xb -p | grep '在册儿童' | grep -q ' $CHILDREN\$'"
wait_for "2026-11-29"
wait_for "F1"

# Help names the keys of this screen.
keys F1
wait_for "本屏按键"
keys Escape
wait_for "在册儿童"

# Too small, then enlarged: the message, then the screen back.
resize 60 20
wait_for "终端太小"
keys j
wait_for "终端太小"
resize 80 24
wait_for "在册儿童"
resize 100 30
wait_for "在册儿童"
resize 80 24

# q quits and the program ends with status 0.
keys q
wait_for "EXITED=0"

# English in C.UTF-8.
tui_start 80 24 C.UTF-8 "$XB" --home "$H"
wait_for "Children in the ledger"
wait_for "Visits overdue"
keys '?'
wait_for "Keys of this screen"
keys Escape q
wait_for "EXITED=0"

# A mono terminal (no colours) works the same.
tm kill-session -t xb 2>/dev/null
tm new-session -d -s xb -x 80 -y 24 -e LANG=zh_CN.UTF-8 -e TERM=vt100 \
	-e "XIANGBAN_NOW=$XIANGBAN_NOW" -e "XIANGBAN_LOCALEDIR=${XIANGBAN_LOCALEDIR:-}" \
	"$XB --home $H; echo EXITED=\$?; sleep 30"
wait_for "在册儿童"
# Its description of line drawing is not used: boxes are drawn with UTF-8
# characters, never as "lqqqk".
keys Enter
wait_for "档案编号"
keys f
wait_for "┌"
check "vt100: no box drawn as lqqqk" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qE 'lqqq|qqqk|mqqq'"
keys Escape
wait_gone "┌"
# F5 on a child's file, sent as xterm sends it, logs a visit (vt100's
# description has no F5: it typed "15~" into the search).
keys Enter
wait_for "的档案"
keys F5
wait_for "登记走访"
check "vt100: F5 typed nothing" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qF '15~'"
# The visitor is the child's responsible member, not the login name.
MEMBER=$("$XB" --home "$H" --json child show 220221100-00001-2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["fields"]["member_name"])')
wait_for "走访人* $MEMBER"
keys Escape
wait_for "的档案"
# A help line wider than the screen takes two lines: the report's nine
# categories are all shown, the first and the last.
keys F6
wait_for "9 其他"
wait_for "1 意外伤害"
keys Escape
wait_for "的档案"
keys Escape Escape
wait_for "已记录走访"
keys F10
wait_for "EXITED=0"

# A locale that is not UTF-8 (LANG=C, POSIX): refused, saying what to set,
# before anything is drawn garbled.
for lang in C POSIX; do
	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_wrapped "needs a UTF-8 locale, and \"$lang\" is not one: start it with LANG=zh_CN.UTF-8"
	wait_for "EXITED=3"
done

# The Linux console and xterm: their own terminal descriptions. Letters do
# what the F-keys do, for terminals whose F-keys get lost on the way.
for term in linux xterm; do
	tm kill-session -t xb 2>/dev/null
	tm new-session -d -s xb -x 80 -y 24 -e LANG=zh_CN.UTF-8 -e "TERM=$term" \
		-e "XIANGBAN_NOW=$XIANGBAN_NOW" -e "XIANGBAN_LOCALEDIR=${XIANGBAN_LOCALEDIR:-}" \
		"$XB --home $H; echo EXITED=\$?; sleep 30"
	wait_for "在册儿童"
	keys '?'
	wait_for "本屏按键"
	keys Escape j Enter
	# The unsupervised children's list, with its header row.
	wait_for "档案编号"
	keys Escape
	wait_gone "档案编号"
	keys q
	wait_for "EXITED=0"
done

# Killed from outside (SIGTERM): the terminal is given back, status 0.
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童"
pkill -TERM -f -- "--home $H\$" || fail "no process to signal"
wait_for "EXITED=0"
"$XB" --home "$H" check >/dev/null || fail "ledger check after SIGTERM"

finish
