#!/bin/sh
# tui_casework.sh - 包保责任制 and 重点对象 in the full-screen interface,
# in a real terminal (tmux): the children list's filter shows one
# responsible member's children (picked from the users) and the key
# cases, each the same children `child list` gives; a village member
# signed in sees on their start screen the children they are responsible
# for, the overdue first, and opens one with Enter; in Chinese and in
# C.UTF-8, at 80x24 and after a resize.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 60 >/dev/null || die "demo ledger"
# cun stands for the first village's member: their children, by name.
"$XB" --home "$H" --json child list --member cun >"$TMP/cun.json" || die "list --member cun"
NCUN=$(json_get "$TMP/cun.json" 'len(d)')
[ "$NCUN" -ge 2 ] || die "cun is responsible for $NCUN children"
MEMBER=$(json_get "$TMP/cun.json" 'd[0]["fields"]["member_name"]')
# One of them overdue: it comes first on cun's start screen.
LATE=$(json_get "$TMP/cun.json" 'd[-1]["id"]')
LATE_NAME=$(json_get "$TMP/cun.json" 'd[-1]["fields"]["name"]')
"$XB" --home "$H" child edit "$LATE" next_visit_due=2026-11-01 >/dev/null || die "make one overdue"
"$XB" --home "$H" --json child list --key-cases >"$TMP/key.json" || die "list --key-cases"
NKEY=$(json_get "$TMP/key.json" 'len(d)')
[ "$NKEY" -ge 1 ] || die "the demo has no key case"
KEY_NAME=$(json_get "$TMP/key.json" 'd[0]["fields"]["name"]')
# A child neither cun's nor a key case, to see it left out.
OTHER=$("$XB" --home "$H" --json child list --status active |
	python3 -c 'import json,sys
for r in json.load(sys.stdin):
    f = r["fields"]
    if f.get("member_name") != sys.argv[1] and f.get("key_case") != "yes":
        print(f["name"]); break' "$MEMBER")

lacks() { ! has "$@"; }
# names_of FILE: the names of the children in a list's JSON, sorted.
names_of() { json_get "$1" '"\n".join(sorted(r["fields"]["name"] for r in d))'; }

day() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_CHILDREN="在册儿童" T_FILTER="显示" T_MEMBER_ITEM="指定包保责任人"
		T_MEMBER="包保责任人" T_KEY="重点对象" T_MINE="我包保的儿童"
		T_OVERDUE="走访逾期" T_FILE="的档案" T_ORDER="排序："
	else
		T_CHILDREN="Children in the ledger" T_FILTER="Show"
		T_MEMBER_ITEM="One responsible member" T_MEMBER="Responsible member"
		T_KEY="Key case" T_MINE="Children I am responsible for"
		T_OVERDUE="visit overdue" T_FILE="File of" T_ORDER="Order:"
	fi

	# --- a clerk: the member filter and the key-case filter ----------
	XIANGBAN_USER=clerk tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_CHILDREN" || return
	keys Enter
	wait_for "$T_ORDER" || return
	keys f
	wait_for "$T_FILTER"
	# the member's line is the one before last, the key cases' the last
	keys End Up
	wait_for "$T_MEMBER_ITEM"
	keys Enter
	# the users who may be members, by full name: clerk, then cun
	wait_for "$MEMBER (cun)" || return
	keys 2
	wait_for "$T_MEMBER: $MEMBER" || return
	screen >"$TMP/member-$lang.txt"
	for name in $(names_of "$TMP/cun.json"); do
		check "$lang: $name, cun's, listed" has "$TMP/member-$lang.txt" "$name"
	done
	check "$lang: $OTHER, not cun's, left out" lacks "$TMP/member-$lang.txt" "$OTHER"
	# a resize keeps the filter
	resize 100 30
	wait_for "$T_MEMBER: $MEMBER"
	resize 80 24
	wait_for "$T_MEMBER: $MEMBER"

	keys f
	wait_for "$T_FILTER"
	keys End Enter
	wait_for "$KEY_NAME" || return
	screen >"$TMP/key-$lang.txt"
	check "$lang: a key case listed" has "$TMP/key-$lang.txt" "$KEY_NAME"
	rows=$(grep -cE '[0-9]{9}-[0-9]{5}-[0-9X]' "$TMP/key-$lang.txt")
	check "$lang: as many rows as key cases ($rows of $NKEY)" [ "$rows" -eq "$NKEY" ]
	check "$lang: $OTHER, no key case, left out" lacks "$TMP/key-$lang.txt" "$OTHER"
	keys q
	keys F10
	tm kill-session -t xb 2>/dev/null

	# --- cun, a village member: their children on the start screen ----
	XIANGBAN_USER=cun tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_MINE" || return
	screen >"$TMP/start-$lang.txt"
	check "$lang: how many" grep -qE -- "$T_MINE +$NCUN\$" "$TMP/start-$lang.txt"
	first=$(grep -A1 -F -- "$T_MINE" "$TMP/start-$lang.txt" | tail -n 1)
	echo "$first" >"$TMP/first"
	check "$lang: the overdue child first ($first)" has "$TMP/first" "$LATE_NAME"
	check "$lang: said to be overdue" has "$TMP/first" "$T_OVERDUE"
	check "$lang: its due date shown" has "$TMP/first" 2026-11-01
	for name in $(names_of "$TMP/cun.json"); do
		check "$lang: $name on the start screen" has "$TMP/start-$lang.txt" "$name"
	done
	# the list survives a resize; Enter on the child opens its file
	resize 90 30
	wait_for "$LATE_NAME"
	resize 80 24
	wait_for "$T_MINE"
	keys Down
	keys Enter
	wait_for "$T_FILE" || return
	wait_for "$LATE"
	keys Escape
	wait_for "$T_MINE"
	# the heading opens the whole list of them
	keys Home Enter
	wait_for "$T_MEMBER: $MEMBER"
	keys F10
	tm kill-session -t xb 2>/dev/null
}

day zh_CN.UTF-8
day C.UTF-8
finish
