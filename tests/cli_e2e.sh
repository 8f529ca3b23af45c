#!/bin/sh
# cli_e2e.sh - a clerk's day through the command line over a real ledger:
# set up, register, edit, visit, report and follow, search, history,
# figures, check; in English and in Chinese.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

expect_code 0 "init" x init --office 220221100 --name 示范镇 --phone 0432-64201234
check "data dir is private" [ "$(stat -c %a "$H")" = 700 ]

# Register a child with a Chinese name and an ID number (lower-case x).
expect_code 0 "child add" x child add name=张三丰 id_number=22022120101215001x \
	village_code=220221100001 village=前进村 father_status=away \
	mother_status=away 监护人姓名=李桂兰 guardian_relation=祖父母/外祖父母 \
	enrolment=in_school father_work_place=浙江省杭州市 father_phone=138-0431-1234
check "case number printed" has "$TMP/out" "220221100-00001-"
CASE=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
check "case number parsed" [ -n "$CASE" ]
check "turns 16 soon noted" has "$TMP/err" "turns 16 within 30 days"

# JSON on standard input, as a script would send it.
printf '%s' '{"name":"王小明","id_number":"220221201207040021","village_code":"220221100002","village":"红旗村","father_status":"away","mother_status":"home","mother_capable":"none","guardian_relation":"none","enrolment":"dropped_out"}' \
	| x --json child add >"$TMP/out" 2>"$TMP/err"
check "json add exit 0" [ $? -eq 0 ]
CASE2=$(json_get "$TMP/out" 'd["id"]')
check "json add derived birth date" [ "$(json_get "$TMP/out" 'd["fields"]["birth_date"]')" = 2012-07-04 ]
check "json add left-behind type" [ "$(json_get "$TMP/out" 'd["fields"]["left_behind_type"]')" = one_away_other_incapable ]
check "json add flags" [ "$(json_get "$TMP/out" '",".join(d["flags"])')" = "unsupervised,out_of_school" ]
check "unsupervised warned" has "$TMP/err" "no guardian"

expect_code 0 "child show" x child show "$CASE"
check "show: name" has "$TMP/out" "张三丰"
check "show: ID upper-case" has "$TMP/out" "22022120101215001X"
check "show: birth from ID" has "$TMP/out" "2010-12-15"
check "show: sex from ID" has "$TMP/out" "male"
check "show: phone normalised" has "$TMP/out" "13804311234"
check "show: age" has "$TMP/out" "15"

# Edit; then an edit based on the old version is refused.
expect_code 0 "child edit" x child edit "$CASE" school=口前镇中心小学 grade=三年级
check "edit: version 2" has "$TMP/out" "version 2"
expect_code 5 "stale edit refused" x child edit "$CASE" --expect-version 1 grade=四年级
check "stale edit: says who" has "$TMP/err" "clerk"
x --json child show "$CASE" >"$TMP/show.json"
check "stale edit wrote nothing" [ "$(json_get "$TMP/show.json" 'd["fields"]["grade"]')" = 三年级 ]

# Visits move the child's dates.
expect_code 0 "visit add" x visit add "$CASE" date=2026-11-20 visitor=李主任 kind=home \
	living=good mood=concern next_due=2027-01-20 problems="情绪低落，想念父母"
expect_code 0 "visit list" x visit list "$CASE"
check "visit listed" has "$TMP/out" "$CASE/V0001"
x --json child show "$CASE" >"$TMP/show.json"
check "last visit" [ "$(json_get "$TMP/show.json" 'd["fields"]["last_visit"]')" = 2026-11-20 ]
check "next due" [ "$(json_get "$TMP/show.json" 'd["fields"]["next_visit_due"]')" = 2027-01-20 ]
check "visits under the child" [ "$(json_get "$TMP/show.json" 'len(d["visits"])')" = 1 ]

# A report and its timeline.
expect_code 0 "report add" x report add "$CASE2" category=家庭暴力 \
	found_at="2026-11-28 08:10" found_by=王老师 reporter_kind=school description="手臂有淤青"
check "not yet reported noted" has "$TMP/err" "not been reported to the police"
R="$CASE2/R01"
expect_code 0 "step reported" x report step "$R" step=reported date="2026-11-28 09:00" by=王老师
expect_code 0 "step police" x report step "$R" step=police_response date="2026-11-28 11:30" by=口前派出所 note=已出警
expect_code 0 "report show" x report show "$R"
check "timeline: police response" has "$TMP/out" "police response"
check "timeline: stage" has "$TMP/out" "口前派出所"
expect_code 0 "report list open" x report list --open
check "open report listed" has "$TMP/out" "$R"
expect_code 0 "report list by stage" x report list --stage police_response
check "listed by stage" has "$TMP/out" "$R"
expect_code 0 "step closed" x report step "$R" step=closed date=2026-11-29 by=示范镇 --yes
expect_code 3 "step after closed" x report step "$R" step=services date=2026-11-29 by=示范镇
expect_code 0 "report list open (none)" x report list --open
check "closed report not open" sh -c "! grep -qF '$R' '$TMP/out'"

# Search by case number, ID number, name, pinyin initials.
expect_code 0 "search case" x search "$CASE"
check "search case finds" has "$TMP/out" "张三丰"
expect_code 0 "search ID" x search 220221201207040021
check "search ID finds" has "$TMP/out" "王小明"
expect_code 0 "search name" x search 张
check "search name finds" has "$TMP/out" "张三丰"
expect_code 0 "search initials" x search ZSF
check "search initials finds" has "$TMP/out" "$CASE"
expect_code 4 "search none" x search 赵

# History: who changed what, field by field.
expect_code 0 "history" x history "$CASE"
check "history: create" has "$TMP/out" "created $CASE"
check "history: edit before/after" has "$TMP/out" "Grade: (empty) -> 三年级"
check "history: visit" has "$TMP/out" "$CASE/V0001"
check "history: user" has "$TMP/out" "clerk"

# Leaving the ledger.
expect_code 0 "child exit" x child exit "$CASE2" exit_reason=父母返乡 exit_date=2026-11-29 --yes
expect_code 3 "exit twice" x child exit "$CASE2" exit_reason=other --yes
expect_code 0 "list exited" x child list --status exited
check "exited listed" has "$TMP/out" "$CASE2"
expect_code 0 "list flag" x child list --flag turns16_soon
check "flag list" has "$TMP/out" "$CASE"

# Figures and the check.
expect_code 0 "summary" x --json summary
check "summary children" [ "$(json_get "$TMP/out" 'd["children"]')" = 1 ]
check "summary exited" [ "$(json_get "$TMP/out" 'd["exited"]')" = 1 ]
check "summary visits" [ "$(json_get "$TMP/out" 'd["visits"]')" = 1 ]
expect_code 0 "check" x check
check "check passed" has "$TMP/out" "Check passed"
db_verify_all "$H" && pass

# Users and roles.
expect_code 0 "user add" with_new_password wangpw "$H" user add wang role=clerk \
	display_name=王主任
expect_code 3 "user bad role" with_new_password lipw "$H" user add li role=mayor
expect_code 0 "user list" x user list
check "user listed" has "$TMP/out" "wang"

# In Chinese.
export LANG=zh_CN.UTF-8
expect_code 0 "show in Chinese" x child show "$CASE"
check "zh: section" has "$TMP/out" "[基本信息]"
check "zh: label" has "$TMP/out" "公民身份号码"
check "zh: choice" has "$TMP/out" "父母双方外出务工"
expect_code 3 "zh: bad ID message" x child add name=李四 id_number=220221201001010010 \
	village_code=220221100001 village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李奶奶 enrolment=in_school
check "zh: message translated" has "$TMP/err" "校验码"
export LANG=C.UTF-8

# A demo ledger of its own.
D="$TMP/demo"
expect_code 0 "demo" "$XB" --home "$D" demo --children 60
"$XB" --home "$D" --json summary >"$TMP/sum.json"
check "demo children" [ "$(json_get "$TMP/sum.json" 'd["children"]')" -ge 55 ]
check "demo visits" [ "$(json_get "$TMP/sum.json" 'd["visits"]')" -ge 60 ]
"$XB" --home "$D" --json report list >"$TMP/reports.json"
check "demo reports" [ "$(json_get "$TMP/reports.json" 'len(d)')" -ge 1 ]
expect_code 0 "demo check" "$XB" --home "$D" check

# Usage and lookups that find nothing.
expect_code 2 "unknown command" x frobnicate
expect_code 2 "unknown option" x --frob summary
expect_code 4 "unknown case" x child show 220221100-00099-5
expect_code 0 "help" x --help
check "help lists child" has "$TMP/out" "child add"

finish
