#!/bin/sh
# tui_edit_conflict.sh - two hands on one file: while a clerk edits a
# child's file in the full screen, someone else saves the same file (the
# name and the address) from the command line. The clerk's save is told
# the file changed; kept editing, the next save shows both values of the
# field both changed and lets the clerk choose (mine in Chinese, theirs in
# C.UTF-8); the address only the other changed stays theirs; Esc at the
# choice saves nothing yet.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 6 >/dev/null || die "demo ledger"
field() {
	"$XB" --home "$H" --json child show "$1" >"$TMP/show.json" 2>/dev/null
	json_get "$TMP/show.json" "d['fields'].get('$2', '')"
}

run() {
	lang=$1 pick=$2 n=$3
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_START="在册儿童" T_FILE="的档案" T_EDIT="修改儿童档案" T_CHANGED="在您打开后已被 leader 修改"
		T_BOTH="姓名也已被 leader 修改" T_NOT="尚未保存"
	else
		T_START="Children in the ledger" T_FILE="File of" T_EDIT="Edit a child's file"
		T_CHANGED="was changed by leader after you opened it" T_BOTH="Name was changed by leader too"
		T_NOT="Not saved yet"
	fi
	CASE=$("$XB" --home "$H" --json child list | python3 -c "import json,sys; print(json.load(sys.stdin)[$n]['id'])")
	OLD=$(field "$CASE" name)
	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_START" || return
	keys /
	type_text "$CASE"
	keys Enter
	wait_for "$T_FILE" || return
	keys F4
	wait_for "$T_EDIT" || return
	# meanwhile, the leader saves the same file
	XIANGBAN_USER=leader "$XB" --home "$H" child edit "$CASE" name=对方名 address=对方地址 \
		>/dev/null 2>&1 || fail "$lang: the other edit"
	keys C-u
	type_text "我的名"
	keys F2
	wait_wrapped "$T_CHANGED" || return
	keys k
	keys F2
	wait_wrapped "$T_BOTH" || return
	wait_wrapped "我的名"
	wait_wrapped "对方名"
	wait_wrapped "$OLD"
	# Esc: nothing saved yet, the form stays
	keys Escape
	wait_for "$T_NOT" || return
	check "$lang: Esc saved nothing" [ "$(field "$CASE" name)" = 对方名 ]
	keys F2
	wait_wrapped "$T_BOTH" || return
	keys "$pick"
	wait_gone "$T_EDIT" || return
	if [ "$pick" = m ]; then want=我的名; else want=对方名; fi
	check "$lang: the name chosen ($pick) is saved" [ "$(field "$CASE" name)" = "$want" ]
	check "$lang: the address only the other changed stays theirs" \
		[ "$(field "$CASE" address)" = 对方地址 ]
	keys Escape Escape q
	wait_for "EXITED=0"
}

run zh_CN.UTF-8 m 0
run C.UTF-8 t 1
finish
