#!/bin/sh
# cli_words.sh - child add over a real ledger with what offices write in
# their surveys (奶奶, 外出打工, 2015年3月12日, an ID number with spaces,
# full-width digits), and its warning of a child who may already be in
# the ledger when one comes without an ID number; in Chinese and English.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE=

expect_code 0 "init" x init --office 220221100 --name 示范镇

# Words, dates and spaces as a survey has them are taken and stored in
# their normal form.
expect_code 0 "child add in survey words" x child add 姓名=张三 \
	"身份证号=2202 2120 1503 1200 18" village_code=２２０２２１１００００１ \
	village=前进村 father_status=外出打工 mother_status=外出 \
	guardian_relation=奶奶 guardian_name=李桂兰 enrolment=在读
CASE1=$(sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
check "case number printed" [ -n "$CASE1" ]
x --json child show "$CASE1" >"$TMP/show.json"
check "ID without spaces" [ "$(json_get "$TMP/show.json" 'd["fields"]["id_number"]')" = 220221201503120018 ]
check "village code folded" [ "$(json_get "$TMP/show.json" 'd["fields"]["village_code"]')" = 220221100001 ]
check "relation as its code" [ "$(json_get "$TMP/show.json" 'd["fields"]["guardian_relation"]')" = grandparent ]
check "status as its code" [ "$(json_get "$TMP/show.json" 'd["fields"]["father_status"]')" = away ]
check "schooling as its code" [ "$(json_get "$TMP/show.json" 'd["fields"]["enrolment"]')" = in_school ]
check "no similar warning with an ID" sh -c "! grep -qF '同一儿童' '$TMP/err'"

# Without an ID number: registered, and told of each child it may be.
expect_code 0 "child add without ID" x child add name=张三 sex=女 \
	birth_date=2015年3月12日 village_code=220221100001 village=前进村 \
	father_status=外出打工 mother_status=外出 guardian_relation=外婆 \
	guardian_name=王秀英 enrolment=在读
CASE2=$(sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
check "still registered" [ -n "$CASE2" ] && [ "$CASE2" != "$CASE1" ]
check "warned in Chinese" has "$TMP/err" "警告：$CASE2 没有身份证号，可能与档案 $CASE1（张三，前进村）是同一儿童"
x --json child show "$CASE2" >"$TMP/show.json"
check "date stored YYYY-MM-DD" [ "$(json_get "$TMP/show.json" 'd["fields"]["birth_date"]')" = 2015-03-12 ]

# Same initials, birth date and village: both earlier children named.
expect_code 0 "child add, same initials" env LANG=C.UTF-8 "$XB" --home "$H" \
	child add name=张山 sex=F birth_date=2015/3/12 village_code=220221100001 \
	village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=王秀英 enrolment=in_school
CASE3=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
check "registered" [ -n "$CASE3" ]
check "warned of the first" has "$TMP/err" "may be the same child as case $CASE1 (张三, 前进村)"
check "warned of the second" has "$TMP/err" "may be the same child as case $CASE2 (张三, 前进村)"

# Another birth date: no warning.
expect_code 0 "child add, other birth" x child add name=张三 sex=女 \
	birth_date=20140101 village_code=220221100001 village=前进村 \
	father_status=外出打工 mother_status=外出 guardian_relation=外婆 \
	guardian_name=王秀英 enrolment=在读
check "no warning" sh -c "! grep -qF '同一儿童' '$TMP/err'"

# A date the calendar lacks is refused, naming the field.
expect_code 3 "no such date" x child add name=李四 sex=男 \
	birth_date=2015年2月30日 village_code=220221100001 village=前进村 \
	father_status=外出 mother_status=外出 guardian_relation=奶奶 \
	guardian_name=王秀英 enrolment=在读
check "says the date is not in the calendar" has "$TMP/err" "2015年2月30日"

finish
