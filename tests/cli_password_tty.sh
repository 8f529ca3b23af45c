#!/bin/sh
# cli_password_tty.sh - the command line asks for the password on the
# terminal when no --password-fd is given, in a real terminal (tmux), in
# Chinese and in C.UTF-8: the prompt names the user, nothing typed is
# echoed, a wrong password is refused saying how many tries are left and
# does nothing, the right one runs the command.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
XIANGBAN_USER=leader office "$H" 220221100 示范镇
XIANGBAN_USER=leader with_new_password "Tty-Secret-7" "$H" user add wang role=clerk \
	>/dev/null || die "user add wang"

run() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_PROMPT="wang 的密码：" T_WRONG="密码错误（wang）" T_DONE="在册儿童"
	else
		T_PROMPT="Password for wang:" T_WRONG="Wrong password for wang" T_DONE="Children in the ledger"
	fi
	XIANGBAN_USER=wang
	# a wrong password: refused, nothing echoed
	tui_start 80 24 "$lang" "$XB_BIN" --home "$H" summary
	wait_for "$T_PROMPT" || return
	type_text "Wrong-Guess-1"
	keys Enter
	wait_for "$T_WRONG" || return
	wait_for "EXITED=6"
	check "$lang: the wrong password is not echoed" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q Wrong-Guess-1"
	check "$lang: nothing shown after the refusal" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qF '$T_DONE'"
	# the right one: the command runs
	tui_start 80 24 "$lang" "$XB_BIN" --home "$H" summary
	wait_for "$T_PROMPT" || return
	type_text "Tty-Secret-7"
	keys Enter
	wait_for "$T_DONE" || return
	wait_for "EXITED=0"
	check "$lang: the password is not echoed" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q Tty-Secret-7"
}

run zh_CN.UTF-8
run C.UTF-8
finish
