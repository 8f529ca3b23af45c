#!/bin/sh
# corrections.sh - a visit, a report's step and a report's police fields
# corrected through the command line: the history keeps the old value,
# the new one and who corrected it ("更正" in Chinese); the child's last
# visit and next visit due follow a corrected latest visit; a correction
# from a stale version is refused (exit 5) and changes nothing; a village
# user corrects a visit they logged, not another's (exit 6); a step is
# never corrected into "closed"; only the police station, the receipt
# number and the description of a filed report change.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

H="$TMP/t"
as() { # USER EXPECTED-CODE NAME ARGS...
	u=$1 code=$2 name=$3
	shift 3
	XIANGBAN_USER=$u expect_code "$code" "$name" on "$H" "$@"
}
office "$H" 220221100 示范镇
on "$H" village add 220221100001 前进村 >/dev/null || die "village"
with_new_password demo "$H" user add clerk2 role=clerk >/dev/null 2>&1 || die "clerk2"
with_new_password demo "$H" user add cun role=village villages=220221100001 >/dev/null 2>&1 ||
	die "cun"
with_new_password demo "$H" user add cun2 role=village villages=220221100001 >/dev/null 2>&1 ||
	die "cun2"
as clerk 0 "child" child add name=李明 sex=M birth_date=2012-03-01 \
	village_code=220221100001 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李奶奶 enrolment=in_school
A=$(sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out" | head -n1)

# A village user logs a visit; the clerk logs an earlier one.
as cun 0 "cun logs a visit" visit add "$A" date=2026-11-20 visitor=村主任 kind=home \
	next_due=2026-12-20
as clerk 0 "clerk logs a visit" visit add "$A" date=2026-11-10 visitor=李主任 kind=phone
V1="$A/V0001" V2="$A/V0002"
as clerk 0 "child show" child show "$A"
check "last visit from the latest" grep -q "Last visit  *2026-11-20" "$TMP/out"

# The village user corrects their own visit, not the clerk's.
as cun 0 "cun corrects their visit" visit edit "$V1" visitor=王村主任 problems=房屋漏雨
check "saved, a new version" has "$TMP/out" "Saved $V1 (version 2)"
as cun 6 "cun corrects the clerk's visit" visit edit "$V2" visitor=某某
check "refused: whose visit it is" has "$TMP/err" "saved by clerk"
as cun2 6 "another village user corrects cun's visit" visit edit "$V1" visitor=某某
on "$H" --json history "$V2" >"$TMP/h.json"
check "the refused one changed nothing" [ "$(wc -l <"$TMP/h.json")" = 1 ]

# A clerk corrects the date and the next contact: the child follows.
as clerk2 0 "clerk2 corrects the date" visit edit "$V1" date=2026-11-21 next_due=2027-01-05
as clerk 0 "child show" child show "$A"
check "last visit follows the correction" grep -q "Last visit  *2026-11-21" "$TMP/out"
check "next visit due follows" grep -q "Next visit due  *2027-01-05" "$TMP/out"
as clerk 0 "history" history "$V1"
check "history: corrected by clerk2" grep -q "clerk2  corrected $V1 (version 3)" "$TMP/out"
check "history: the old date and the new" grep -q "Date: 2026-11-20 -> 2026-11-21" "$TMP/out"
check "history: cun's correction too" grep -q "cun  corrected $V1 (version 2)" "$TMP/out"
check "history: visitor before and after" grep -q "Visitor: 村主任 -> 王村主任" "$TMP/out"
XIANGBAN_NOW=$XIANGBAN_NOW LANGUAGE=zh_CN LANG=zh_CN.UTF-8 "$XB" --home "$H" history "$A" >"$TMP/out" 2>&1
check "history in Chinese: 更正" grep -q "clerk2  更正 $V1" "$TMP/out"
check "history in Chinese: the child's last visit followed" grep -q "最近走访: 2026-11-20 -> 2026-11-21" "$TMP/out"

# An earlier visit corrected: the child keeps the latest's dates.
as clerk 0 "the earlier visit corrected" visit edit "$V2" date=2026-11-11
as clerk 0 "child show" child show "$A"
check "last visit stays" grep -q "Last visit  *2026-11-21" "$TMP/out"

# Stale: the version read before the correction is refused, nothing moves.
as clerk 5 "stale version refused" visit edit "$V1" --expect-version 2 date=2026-11-22
check "stale: says who changed it" has "$TMP/err" "was changed by clerk2"
as clerk 0 "visit list" --json visit list "$A"
check "stale: the date unchanged" [ "$(json_get "$TMP/out" '[v["fields"]["date"] for v in d]')" = "['2026-11-21', '2026-11-11']" ]
as clerk 3 "next contact before the visit" visit edit "$V1" next_due=2026-11-01

# A report: a step corrected, police station and receipt number later.
as clerk 0 "report" report add "$A" category=意外伤害 found_at="2026-11-28 09:00" \
	found_by=王老师 reporter_kind=school description=在校摔伤
R="$A/R01"
as clerk 0 "step" report step "$R" step=police_response date="2026-11-28 10:00" by=派出所
as clerk 0 "step corrected" report step-edit "$R/S01" date="2026-11-28 10:20" by=口前派出所
as clerk 0 "history of the step" history "$R/S01"
check "step: the old time and the new" grep -q "Date: 2026-11-28 10:00 -> 2026-11-28 10:20" "$TMP/out"
check "step: corrected by clerk" grep -q "clerk  corrected $R/S01" "$TMP/out"
as clerk 3 "a step corrected into closed" report step-edit "$R/S01" step=closed
check "closed: says why" has "$TMP/err" "closed by a step of its own"
as cun 6 "a village user corrects a step" report step-edit "$R/S01" by=某某
as clerk 0 "the step was the report to the police" report step-edit "$R/S01" step=reported
as clerk 0 "report show" report show "$R"
check "reported at follows the step" grep -q "Reported to police at  *2026-11-28 10:20" "$TMP/out"

as clerk 0 "police station and receipt added" report edit "$R" police_station=口前派出所 \
	receipt_no=JJ2026112801
as clerk 0 "report show" report show "$R"
check "police station shown" grep -q "Police station  *口前派出所" "$TMP/out"
check "receipt number shown" grep -q "Receipt number  *JJ2026112801" "$TMP/out"
as clerk 0 "receipt number corrected" report edit "$R" receipt_no=JJ2026112802
as clerk 0 "history of the report" history "$R"
check "receipt: before and after" grep -q "Receipt number: JJ2026112801 -> JJ2026112802" "$TMP/out"
as clerk 3 "the category does not change" report edit "$R" category=missing
check "category: says what may change" has "$TMP/err" "the police station, the receipt number"
as clerk 5 "stale report edit" report edit "$R" --expect-version 1 receipt_no=X

finish
