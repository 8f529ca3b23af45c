#!/bin/sh
# casework.sh - 包保责任制 and 重点对象 on the command line: a child's
# responsible member must be a user of the ledger (a village member only
# for their villages' children), `child list --member` finds a member's
# children by user name or full name, a village user lists only their
# villages' children; a visit logged without its next contact date gets
# the office's interval (30 days for a child without supervision, 90
# else, as a leader sets them and a clerk may not); a child registered
# and never visited falls overdue at registration + interval, and an old
# ledger gets its dates with `check --fix-due`; a key case needs its
# reason, is set by a clerk and not a village user, and lists and
# statistics count key cases alone; a sheet's unknown member keeps its
# row; the slip takes the member's phone from their user record.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { on "$H" "$@"; }
lacks() { ! has "$@"; }
# as USER ARGS...: the program signed in as USER (password demo).
as() {
	_who=$1
	shift
	XIANGBAN_USER=$_who on "$H" "$@"
}
# field CASE KEY: a field of the child's file.
field() {
	x --json child show "$1" >"$TMP/show.json" || return 1
	json_get "$TMP/show.json" "d['fields'].get('$2', '')"
}

x init --office 220221100 --name 示范镇 >/dev/null || die "init"
x village add 220221100201 前进村 >/dev/null || die "village 201"
x village add 220221100202 红旗村 >/dev/null || die "village 202"
# clerk (who set the ledger up) is its leader; ganshi a clerk, wangxy and
# lihong village members, each of one village; all sign in with "demo".
with_new_password demo "$H" user add ganshi role=clerk display_name=赵干事 >/dev/null ||
	die "user ganshi"
with_new_password demo "$H" user add wangxy role=village villages=220221100201 \
	display_name=王秀英 phone=13944210001 >/dev/null || die "user wangxy"
with_new_password demo "$H" user add lihong role=village villages=220221100202 \
	display_name=李红 >/dev/null || die "user lihong"
# another 王秀英, a clerk: that full name names no one alone
with_new_password demo "$H" user add wangxy2 role=clerk display_name=王秀英 >/dev/null ||
	die "user wangxy2"

CHILD="name=张小花 birth_date=2015-03-12 sex=F father_status=away mother_status=away
guardian_relation=grandparent guardian_name=张桂芝 enrolment=in_school"
# shellcheck disable=SC2086 # the fields are words
add() { x child add $CHILD "$@"; }
case_of() { sed -n 's/.*case number \([0-9X-]*\)\..*/\1/p' "$TMP/out"; }

# --- the member must be a user -------------------------------------------
expect_code 3 "a member who is no user" add village_code=220221100201 member_name=李主任
check "refused: says who is not a user" has "$TMP/err" "李主任 is not a user of this ledger"
check "refused: says how to add one" has "$TMP/err" "xiangban user add NAME role=village"
expect_code 3 "a village member of another village" add village_code=220221100202 \
	member_name=wangxy
check "refused: names the member's village" has "$TMP/err" "village member of 220221100201 only"
expect_code 3 "a full name two users have" add village_code=220221100201 member_name=王秀英
check "refused: two users of that name" has "$TMP/err" "Several users are called 王秀英"
expect_code 0 "a member by user name" add village_code=220221100201 member_name=wangxy
A=$(case_of)
expect_code 0 "a member by full name" add village_code=220221100202 member_name=李红 \
	guardian_relation=none guardian_name=
B=$(case_of)
expect_code 0 "a clerk as member" add village_code=220221100202 member_name=ganshi
C=$(case_of)
check "three children registered" [ -n "$A" ] && [ -n "$B" ] && [ -n "$C" ]
expect_code 3 "edit to a member who is no user" x child edit "$A" member_name=某人
expect_code 0 "an edit of another field keeps the member" x child edit "$A" grade=三年级

# --- a member's children ---------------------------------------------------
expect_code 0 "list --member by user name" x child list --member wangxy
check "wangxy's child listed" has "$TMP/out" "$A"
check "no other child listed" [ "$(wc -l <"$TMP/out")" -eq 1 ]
expect_code 0 "list --member by full name" x child list --member 李红
check "李红's child listed by full name" has "$TMP/out" "$B"
check "李红 has one child" [ "$(wc -l <"$TMP/out")" -eq 1 ]
expect_code 0 "list --member lihong" x child list --member lihong
check "the same by user name" has "$TMP/out" "$B"
expect_code 0 "a village user lists" as wangxy child list
check "a village user sees their village's child" has "$TMP/out" "$A"
check "and no other village's" [ "$(wc -l <"$TMP/out")" -eq 1 ]

# --- the visit rules -------------------------------------------------------
# Registered on 2026-11-29 without a next visit due: 90 days on, or 30
# for B, whom no one supervises.
check "registration + 90 days" [ "$(field "$A" next_visit_due)" = 2027-02-27 ]
check "registration + 30 days without supervision" [ "$(field "$B" next_visit_due)" = 2026-12-29 ]
expect_code 0 "a visit without a next date" x visit add "$A" date=2026-11-20 visitor=王秀英 kind=home
check "the visit's next date: + 90" [ "$(field "$A" next_visit_due)" = 2027-02-18 ]
check "kept on the visit" [ "$(json_get "$TMP/show.json" 'd["visits"][0]["fields"]["next_due"]')" = 2027-02-18 ]
expect_code 0 "a visit to an unsupervised child" x visit add "$B" date=2026-11-20 visitor=李红 kind=home
check "the visit's next date: + 30" [ "$(field "$B" next_visit_due)" = 2026-12-20 ]
expect_code 0 "a visit with its own next date" x visit add "$C" date=2026-11-21 visitor=赵干事 \
	kind=phone next_due=2026-12-01
check "its own date kept" [ "$(field "$C" next_visit_due)" = 2026-12-01 ]
# An open report shortens it too.
expect_code 0 "a report on C" x report add "$C" category=意外伤害 found_at="2026-11-28 09:00" \
	found_by=王老师 reporter_kind=school description=在校摔伤
expect_code 0 "a visit while the report is open" x visit add "$C" date=2026-11-28 visitor=赵干事 kind=home
check "+ 30 with a report open" [ "$(field "$C" next_visit_due)" = 2026-12-28 ]

# The office's own intervals: a leader sets them, a clerk may not.
expect_code 0 "settings list" x settings
check "the interval listed" grep -q "visit_interval_days *90" "$TMP/out"
check "the close interval listed" grep -q "visit_interval_close_days *30" "$TMP/out"
expect_code 6 "a clerk may not change it" as ganshi settings visit_interval_days 60
expect_code 3 "a number of days" x settings visit_interval_days 0
expect_code 0 "a leader sets 60" x settings visit_interval_days 60
expect_code 0 "and 14" x settings visit_interval_close_days 14
expect_code 0 "a visit after the change" x visit add "$A" date=2026-11-25 visitor=王秀英 kind=home
check "+ 60 now" [ "$(field "$A" next_visit_due)" = 2027-01-24 ]
expect_code 0 "an unsupervised child after the change" x visit add "$B" date=2026-11-25 \
	visitor=李红 kind=home
check "+ 14 now" [ "$(field "$B" next_visit_due)" = 2026-12-09 ]
x settings visit_interval_days 90 >/dev/null
x settings visit_interval_close_days 30 >/dev/null

# A child never visited falls overdue at registration + interval.
expect_code 0 "a new child" add village_code=220221100201 member_name=wangxy
D=$(case_of)
check "due in 90 days" [ "$(field "$D" next_visit_due)" = 2027-02-27 ]
overdue() { XIANGBAN_NOW="$1T09:00:00" x child list --flag visit_overdue; }
overdue 2027-02-27 >"$TMP/o1"
overdue 2027-02-28 >"$TMP/o2"
check "not overdue the day it falls due" lacks "$TMP/o1" "$D"
check "overdue the day after" has "$TMP/o2" "$D"
XIANGBAN_NOW=2027-02-28T09:00:00 x --json summary >"$TMP/sum.json"
check "the summary counts it overdue" [ "$(json_get "$TMP/sum.json" 'd["visits_overdue"]')" -ge 1 ]
expect_code 0 "the counts agree" x check

# A ledger from before the rules: a child without a next visit due.
expect_code 0 "the due date taken away" x child edit "$D" next_visit_due=
check "no due date now" [ -z "$(field "$D" next_visit_due)" ]
expect_code 0 "check tells it" x check
check "check counts the child without a date" has "$TMP/out" "1 child in the ledger has no next visit due"
expect_code 6 "a village user may not fix dates" as wangxy check --fix-due
expect_code 0 "check --fix-due" x check --fix-due
check "one date set" has "$TMP/out" "Next visit due set for 1 child"
check "registration (its history's first day) + 90" [ "$(field "$D" next_visit_due)" = 2027-02-27 ]
expect_code 0 "nothing left to fix" x --json check
check "none without a date" [ "$(json_get "$TMP/out" 'd["without_due"]')" = 0 ]

# --- key cases -------------------------------------------------------------
expect_code 3 "a key case needs its reason" x child edit "$A" key_case=yes
check "the reason is asked for" has "$TMP/err" "Key case reason is required"
expect_code 3 "a reason alone" x child edit "$A" key_case_reason=独居
expect_code 0 "a key case with its reason" x child edit "$A" key_case=yes key_case_reason=父母失联
expect_code 6 "a village user cannot set a key case" as wangxy child edit "$D" key_case=yes \
	key_case_reason=独居
expect_code 0 "list --key-cases" x child list --key-cases
check "the key case listed" has "$TMP/out" "$A"
check "only it" [ "$(wc -l <"$TMP/out")" -eq 1 ]
expect_code 0 "the file shows it" x child show "$A"
check "key case on the file" grep -q "Key case reason.*父母失联" "$TMP/out"
expect_code 0 "stats --key-cases" x --json stats --key-cases
check "the table says key cases" [ "$(json_get "$TMP/out" 'd["key_cases"]')" = True ]
check "one child counted" [ "$(json_get "$TMP/out" 'd["total"]["in_ledger"]')" = 1 ]
check "its visits counted" [ "$(json_get "$TMP/out" 'd["total"]["visits"]')" = 2 ]
expect_code 0 "stats" x --json stats
check "all children counted" [ "$(json_get "$TMP/out" 'd["total"]["in_ledger"]')" = 4 ]
check "the key-case column" [ "$(json_get "$TMP/out" 'd["total"]["key_cases"]')" = 1 ]
expect_code 0 "stats --key-cases as text" x stats --key-cases
check "the text says key cases only" has "$TMP/out" "Key cases only"
# The period table stands as at its end: last month had none.
expect_code 0 "last month's table" x --json stats --period 2026-10
check "no key case at October's end" [ "$(json_get "$TMP/out" 'd["total"]["key_cases"]')" = 0 ]

# --- the slip ----------------------------------------------------------------
expect_code 0 "the slip" x slip "$A" --text
check "the member's phone from their user record" has "$TMP/out" "13944210001"
check "no key case on a slip" lacks "$TMP/out" "父母失联"

# --- a spreadsheet of old data ---------------------------------------------
cat >"$TMP/old.csv" <<'CSV'
姓名,性别,出生日期,所在村,父亲现状,母亲现状,与儿童关系,监护人,就学状况,包保人
刘一,男,2014-05-06,前进村,外出务工,外出务工,奶奶,刘奶奶,在校,老村长
刘二,女,2016-07-08,前进村,外出务工,外出务工,奶奶,刘奶奶,在校,赵干事
CSV
expect_code 0 "import of old data" x child import "$TMP/old.csv"
check "both rows in" has "$TMP/out" "Imported 2"
check "the unknown member told" grep -q "Row 2 came in; kept as written: 老村长 is not a user" "$TMP/out"
check "the known member not told" lacks "$TMP/out" "Row 3"
expect_code 0 "the unknown member kept" x child list --member 老村长
check "as written" [ "$(wc -l <"$TMP/out")" -eq 1 ]

finish
