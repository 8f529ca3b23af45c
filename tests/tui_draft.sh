#!/bin/sh
# tui_draft.sh - a form cut off is kept: the terminal closed (SIGHUP) while
# a new child's form holds a typed name, the program ends within a second
# and the next start offers the form back as typed; thrown away (n), it is
# not offered again; put off (Esc), it is offered at the next start. A
# file's edit cut off by SIGTERM comes back onto the file as stored, and
# saves. Each user's draft is their own.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 10 >/dev/null || die "demo ledger"
CASE=$("$XB" --home "$H" --json child list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
T_ASK="尚未保存"
# gone_within SECONDS: no xiangban of this ledger runs after SECONDS
gone_within() {
	n=$(( $1 * 20 ))
	while pgrep -f -- "--home $H\$" >/dev/null && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	! pgrep -f -- "--home $H\$" >/dev/null
}

# A new child's name typed, then the terminal closes.
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
keys F3
wait_for "登记儿童" || finish
type_text "王小明"
keys Tab
tm kill-session -t xb
check "the terminal closed: the program ended within a second" gone_within 1

# The next start offers it back; y: the form, as typed.
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "$T_ASK" || finish
wait_wrapped "“登记儿童”（王小明）"
keys y
wait_for "登记儿童" || finish
check "the typed name is back" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '姓名\\* *王小明'"
# Put off again (the program closes with the form open but the name not
# saved), then thrown away.
tm kill-session -t xb
check "closed again: ended" gone_within 1
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "$T_ASK" || finish
keys Escape
wait_for "在册儿童"
keys q
wait_for "EXITED=0"
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "$T_ASK" || finish
keys n
wait_for "在册儿童"
keys q
wait_for "EXITED=0"
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
check "thrown away: not offered again" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '$T_ASK'"
keys q
wait_for "EXITED=0"

# An edit of a file, cut off by SIGTERM while the name is being typed.
tui_start 80 24 C.UTF-8 "$XB" --home "$H"
wait_for "Children in the ledger" || finish
keys /
type_text "$CASE"
keys Enter
wait_for "File of" || finish
keys F4
wait_for "Edit a child's file" || finish
keys C-u
type_text "张新名"
pkill -TERM -f -- "--home $H\$" || fail "no process to signal"
wait_for "EXITED=0"
tui_start 80 24 C.UTF-8 "$XB" --home "$H"
wait_for "not yet saved" || finish
keys y
wait_for "Edit a child's file" || finish
wait_for "张新名"
keys F2
wait_gone "Edit a child's file"
"$XB" --home "$H" --json child show "$CASE" >"$TMP/show.json"
check "the edit, saved after the restart" [ "$(json_get "$TMP/show.json" "d['fields'].get('name', '')")" = "张新名" ]
keys q
wait_for "EXITED=0"

# Another user has no draft of this clerk's: the leader starts clean.
XIANGBAN_USER=leader tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
check "another user: no draft offered" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '$T_ASK'"
keys q
wait_for "EXITED=0"
finish
