#!/bin/sh
# tui_footer_keys.sh - the keys a clerk needs are on the hint lines of
# their screen at 80x24 (issue 16): on the child's file p prints the slip
# beside the F-keys, on the visits tab every F-key the file takes says
# what it does there, on the exchange screen m, w and n are shown; keys
# that do not fit on one line take a second, and the status line and the
# body move up rather than hide them. Binding a key never offers this
# office's own key file: with only it in the folder, the clerk is told.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

need_gpg

T="$TMP/t" C="$TMP/c" STICK="$TMP/stick"
mkdir -p "$STICK"
office "$T" 220221100 城关镇 5
office "$C" 220221 示范县民政局
office_key "$T" "$TMP"
office_key "$C" "$TMP"
CASE=$(on "$T" --json child list | python3 -c 'import json,sys; print(sorted(r["id"] for r in json.load(sys.stdin))[0])')

# Rows of the screen (1-based) that hold TEXT.
rows_of() { screen | grep -nF -- "$1" | cut -d: -f1 | tr '\n' ' '; }

tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$T"
wait_for "在册儿童" || finish
keys Enter
wait_for "$CASE" || finish
keys Enter
wait_for "的档案" || finish
wait_for "p 打印联系卡"
screen >"$TMP/file.txt"
check "F4-F8 and p on the file's hint lines" \
	sh -c "tail -n 2 '$TMP/file.txt' | tr -d '\n' | grep -q 'F4 e 修改.*F5 v 走访.*F6 r 报告.*F7 x 退出台账.*F8 h 历史记录.*p 打印联系卡'"
check "the hints take the last two rows" [ "$(rows_of 'p 打印联系卡')" = "24 " ]
check "F1 stays on the first hint row" [ "$(rows_of 'F1 帮助')" = "23 " ]

# The visits tab: its own keys first, then every other F-key of the file.
keys 7
wait_for "c 更正走访" || finish
screen >"$TMP/visits.txt"
for k in "F5 v 走访" "F4 e 修改" "F6 r 报告" "F7 x 退出台账" "F8 h 历史记录" "p 打印联系卡"; do
	check "visits tab shows '$k'" grep -qF "$k" "$TMP/visits.txt"
done

# p there prints: the message with the slip's path shows above the hints.
keys p
wait_for "联系卡" || finish
wait_wrapped "$T/slips/"
check "the message is above the two hint rows" \
	sh -c "screen_rows=\$(tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -n 'slips/' | cut -d: -f1 | tail -n1); [ \"\$screen_rows\" -le 22 ]"

# F1: the short words of the hint line are not in the help twice.
keys F1
wait_for "本屏按键" || finish
screen >"$TMP/help.txt"
check "the help says p in full" grep -qF "打印联系卡" "$TMP/help.txt"
check "the help lists p once" [ "$(grep -c '^ *p  ' "$TMP/help.txt")" = 1 ]
keys Escape Escape Escape

# The exchange screen: m, w and n on the hint lines.
keys b
wait_for "F5 e 导出" || finish
for k in "m 生成密钥" "w 写出公钥" "n 绑定密钥"; do
	wait_for "$k"
done

# w writes our key to the stick; n there finds only that: told.
keys w
wait_for "U盘" || finish
keys C-u
type_text "$STICK"
keys Enter
wait_for "公钥已写入" || finish
[ -f "$STICK/xiangban-220221100.asc" ] || fail "our key is not on the stick"
keys n
wait_for "对方的公钥文件" || finish
keys C-u
type_text "$STICK"
keys Enter
wait_wrapped "只有本单位自己的密钥（xiangban-220221100.asc）"

# With the county's key beside it, only the county's is offered.
on "$C" keys export "$STICK/xiangban-220221.asc" >/dev/null || die "export C"
keys n
wait_for "对方的公钥文件" || finish
keys C-u
type_text "$STICK"
keys Enter
wait_for "xiangban-220221.asc" || finish
screen >"$TMP/pick.txt"
check "our own key is not in the pick list" \
	sh -c "! grep '│' '$TMP/pick.txt' | grep -qF 'xiangban-220221100.asc'"
keys Enter
wait_for "220221" || finish
keys Escape Escape Escape
finish
