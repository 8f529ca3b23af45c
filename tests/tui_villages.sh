#!/bin/sh
# tui_villages.sh - the village register in the full-screen interface, in
# Chinese at 80x24 in a real terminal (tmux): the villages screen from
# the start screen, a village added (a code outside the township refused
# beside its field first), then the child form picking the village by its
# name, and a code outside the township or not in the register refused
# as the clerk leaves the field, not at the save.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" init --office 220221100 --name 示范镇 >/dev/null || die "init"
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
# The help of the start screen names the villages' key.
keys F1
wait_for "F9 v"
keys Escape
wait_for "在册儿童"

# The villages screen, empty at first.
keys v
wait_for "村(居)名录还是空的" || finish

# Add one: a code of another township is refused beside the field.
keys a
type_text "220221101201"
keys Tab
type_text "红旗村"
keys Enter
wait_for "不在本乡镇"
check "nothing added" sh -c "'$XB' --home '$H' --json village list | grep -q '^\[\]'"
# The cursor is back in the code: put it right; Enter on the code goes
# to the name, Enter there saves.
keys C-u
type_text "220221100201"
keys Enter Enter
wait_for "已在名录中"
wait_for "220221100201   红旗村"
check "in the register" sh -c "'$XB' --home '$H' village list | grep -q '220221100201 *红旗村'"

# The child form: the village typed by its name (without 村) fills both.
keys Escape
wait_for "在册儿童"
keys a
wait_for "登记儿童" || finish
type_text "张小红"
# ID number, no hukou, sex, birth date, ethnicity, then the village code.
keys Tab Tab Tab Tab Tab Tab
type_text "红旗"
keys Tab
wait_for "村(居)代码* 220221100201"
wait_for "村(居)* 红旗村"

# A code of another township is refused as the field is left.
keys BTab C-u
type_text "220221101299"
keys Tab
wait_for "不属于本乡镇"
# A code of this township not in the register: refused, saying how to add it.
keys BTab C-u
type_text "220221100299"
keys Tab
wait_for "名录中没有 220221100299"
# The save waits for it: nothing registered.
keys F2
wait_for "登记儿童"
check "no child saved" sh -c "'$XB' --home '$H' --json summary | grep -q '\"children\": 0'"
finish
