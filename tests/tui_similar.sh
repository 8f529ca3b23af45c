#!/bin/sh
# tui_similar.sh - registering in the full-screen interface a child
# without an ID number who may already be in the ledger (the same name
# and birth date): the form says so before saving and the clerk goes
# back or registers all the same; in Chinese, with a birth date typed as
# offices write it (2015年3月12日).
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
export LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE=
"$XB" --home "$H" init --office 220221100 --name 示范镇 >/dev/null || die "init"
"$XB" --home "$H" child add name=张三 sex=女 birth_date=2015-03-12 \
	village_code=220221100201 village=前进村 father_status=away \
	mother_status=away guardian_relation=grandparent guardian_name=李桂兰 \
	enrolment=in_school >"$TMP/out" 2>"$TMP/err" || die "child add: $(cat "$TMP/err")"
first=$(grep -o '220221100-[0-9]\{5\}-[0-9X]' "$TMP/out" | head -n 1)

tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
keys a
wait_for "登记儿童" || finish
type_text "张三"
# ID number left empty, no_hukou, then sex: female (moves on).
keys Tab Tab Tab 2
type_text "2015年3月12日"
# ethnicity, then the village code and the village.
keys Tab Tab
type_text "220221100201"
keys Tab
type_text "前进村"
# father away, mother away, grandparent (as tests/tui_clerk.sh).
keys Tab Tab Tab Tab Tab Tab 1
keys Tab Tab Tab Tab Tab Tab Tab 1
keys Tab Tab Tab Tab 1
type_text "王秀英"
keys Tab Tab Tab Tab Tab Tab Tab 1
keys F2
wait_for "可能与档案 $first (张三, 前进村)" || finish
wait_for "b 返回修改"
# Back: nothing saved, the form still open with what was typed.
keys b
wait_for "王秀英"
wait_gone "b 返回修改"
check "nothing saved on going back" sh -c "'$XB' --home '$H' child list | grep -c 张三 | grep -qx 1"
# Again, and register all the same.
keys F2
wait_for "可能与档案 $first" || finish
keys r
wait_for "已登记" || finish
check "registered all the same" sh -c "'$XB' --home '$H' child list | grep -c 张三 | grep -qx 2"
keys Escape Escape
wait_for "在册儿童"
keys q
wait_for "EXITED=0"
finish
