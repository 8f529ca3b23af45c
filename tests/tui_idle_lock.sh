#!/bin/sh
# tui_idle_lock.sh - the screen locks after the office's idle minutes, in
# a real terminal (tmux). The setting is 1 here, the least it takes, and
# idleness is real time on the monotonic clock (a pinned XIANGBAN_NOW
# does not move it, nor does any test switch), so this test waits a real
# minute; its own file, so that `make -j check` runs it beside the rest.
# Two programs lock side by side in that minute: in Chinese, a
# half-filled registration form (a field half typed) is covered, comes
# back whole after a wrong and then the right password, typing goes on
# where it stopped and the child is saved; in English, a resize while
# locked keeps the lock, and Esc leaves the program.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 20 >/dev/null || die "demo"
XIANGBAN_USER=leader "$XB" --home "$H" settings idle_minutes 1 >/dev/null || die "settings"

# The English one first: it locks first.
TUI_SESSION=en
tui_start 80 24 C.UTF-8 "$XB" --home "$H"
wait_for "Children in the ledger" || finish

TUI_SESSION=xb
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
keys a
wait_for "登记儿童" || finish
type_text "张小明"
keys Tab
type_text "220221201503120018"
keys Tab
wait_for "2015-03-12"
# no_hukou, sex, birth date, ethnicity, then half the village code.
keys Tab Tab Tab Tab
type_text "2202211002"
wait_for "2202211002"

# A minute later the English one is locked; a resize keeps it so.
TUI_SESSION=en
wait_for "Locked" 90 || finish
wait_wrapped "The screen was locked after 1 minute without a key. Type the password of clerk"
check "the figures are covered" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t en -p | grep -q 'Children in the ledger'"
resize 100 30
wait_for "User name  clerk"
resize 80 24
wait_for "Locked"
# Esc leaves the program (another user starts it again).
keys Escape
wait_for "EXITED=0"

# The Chinese one: the form is covered, not gone.
TUI_SESSION=xb
wait_for "已锁屏" 30 || finish
check "the form is covered" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '张小明'"
type_text "wrong"
keys Enter
wait_wrapped "密码错误（clerk）；再错 4 次"
check "still locked" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '张小明'"
type_text "demo"
keys Enter
wait_for "张小明"
wait_for "220221201503120018"
wait_for "2202211002"
# Typing goes on in the field it stopped in: the village code ends, and
# leaving it fills the village's name.
type_text "01"
keys Tab
wait_for "220221100201"
# group, address, father's name, ID, phone, then his situation: away.
keys Tab Tab Tab Tab Tab Tab 1
# work place, since, contact, capacity, mother's name, ID, phone, then
# her situation: away.
keys Tab Tab Tab Tab Tab Tab Tab 1
# work place, since, contact, capacity, then the guardian: grandparent.
keys Tab Tab Tab Tab 1
type_text "李桂兰"
# age, phone, capacity, school, grade, boarding, then schooling: in school.
keys Tab Tab Tab Tab Tab Tab Tab 1
keys F2
wait_for "已登记" || finish
wait_for "张小明的档案"
check "the child is saved whole" sh -c "'$XB' --home '$H' --json child list | python3 -c '
import json, sys
c = [x for x in json.load(sys.stdin) if x[\"fields\"][\"name\"] == \"张小明\"]
f = c[0][\"fields\"] if c else {}
sys.exit(not (f.get(\"id_number\") == \"220221201503120018\" and f.get(\"village_code\") == \"220221100201\" and f.get(\"guardian_name\") == \"李桂兰\"))'"
keys Escape q
wait_for "EXITED=0"
finish
