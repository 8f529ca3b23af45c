#!/bin/sh
# tui_readmit.sh - a child who left the ledger comes back, in the
# full-screen interface in a real terminal (tmux), in Chinese and in
# C.UTF-8: the file of a child who left shows the re-admit key in its
# footer where one in the ledger shows leave; the key asks why (the
# prompt survives a resize), then asks to confirm, naming the child; yes
# puts the child back, the footer turns back to leave, and the ledger
# holds the reason.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

run() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_START="在册儿童" T_READMIT="恢复在册" T_LEAVE="退出台账"
		T_WHY="为什么恢复在册" T_BACK="已恢复在册" T_FILE="的档案"
		T_ACTIVE="在册"
	else
		T_START="Children in the ledger" T_READMIT="re-admit" T_LEAVE="leave ledger"
		T_WHY="Why does the child come back" T_BACK="is back in the ledger"
		T_FILE="File of" T_ACTIVE="in the ledger"
	fi
	H="$TMP/ledger-$lang"
	"$XB" --home "$H" demo --children 5 >/dev/null || { fail "demo ledger"; return; }
	"$XB" --home "$H" --json child list >"$TMP/kids.json" || { fail "child list"; return; }
	CASE=$(json_get "$TMP/kids.json" 'd[0]["id"]')
	NAME=$(json_get "$TMP/kids.json" 'd[0]["fields"]["name"]')
	# a leader's exit is done at once (a clerk's would wait for approval)
	expect_code 0 "$lang: the child leaves" env XIANGBAN_USER=leader "$XB" --home "$H" \
		child exit "$CASE" exit_reason=parents_returned --yes

	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_START" || return
	keys /
	type_text "$CASE"
	keys Enter
	wait_for "$T_FILE" || return
	# The footer of a file that left: re-admit, not leave.
	wait_for "F7 u $T_READMIT"
	check "$lang: no leave key on a file that left" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qF 'F7 x'"
	keys u
	wait_for "$T_WHY" || return
	# The prompt keeps its place through a resize.
	resize 100 30
	wait_for "$T_WHY"
	resize 80 24
	wait_for "$T_WHY"
	type_text "父母再次外出务工"
	keys Enter
	# The confirmation names the child.
	wait_for "$NAME ($CASE)" || return
	keys y
	wait_for "$T_BACK" || return
	wait_for "F7 x $T_LEAVE"
	check "$lang: the re-admit key gone from the footer" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qF 'F7 u'"
	check "$lang: the header says in the ledger" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | sed -n 2p | grep -qF '$T_ACTIVE'"
	"$XB" --home "$H" --json child show "$CASE" >"$TMP/back.json" 2>"$TMP/err" ||
		fail "$lang: child show"
	check "$lang: back in the ledger with the reason" [ "$(json_get "$TMP/back.json" 'd["fields"]["status"]+"|"+d["fields"]["readmit_reason"]')" = "active|父母再次外出务工" ]
	check "$lang: the exit fields cleared" [ "$(json_get "$TMP/back.json" '"exit_reason" in d["fields"]')" = False ]
	# Pressed again on a file in the ledger, the key says why not.
	keys u
	wait_for "$CASE"
	tm kill-session -t xb 2>/dev/null
}

run zh_CN.UTF-8
run C.UTF-8
finish
