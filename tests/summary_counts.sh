#!/bin/sh
# summary_counts.sh - the counts the ledger keeps for `summary` and the
# start screen (store/tally.c) stay equal to a count of the records
# through what a clerk does on the command line: child add, edit, exit,
# visit, report and its steps, `child import` of a survey sheet, and a
# bundle imported by the county. After each, `xiangban check` counts the
# records again, compares, and says whether they agree; at the end the
# figures are the ones those operations make.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=
need_gpg
XIANGBAN_NOW=2026-11-29T09:00:00
export XIANGBAN_NOW
T="$TMP/t" C="$TMP/c" STICK="$TMP/stick"
mkdir -p "$STICK"
office "$T" 220221100 城关镇
office "$C" 220221 示范县民政局
on "$T" village add 220221100201 前进村 >/dev/null || die "village"

# agree HOME WHEN: check passes and says the counts agree.
agree() {
	on "$1" --json check >"$TMP/check.json" 2>"$TMP/err" ||
		fail "$2: check failed: $(cat "$TMP/check.json" "$TMP/err" | head -c 600)"
	check "$2: the kept counts agree with a recount" \
		test "$(json_get "$TMP/check.json" 'd["counts_agree"]')" = True
}
# figure HOME KEY: one figure of the summary.
figure() {
	on "$1" --json summary >"$TMP/sum.json" || die "summary"
	json_get "$TMP/sum.json" "d[\"$2\"]"
}

KID="sex=M village_code=220221100201 father_status=away mother_status=away guardian_relation=grandparent guardian_name=李桂兰 enrolment=in_school"
add() { # add NAME BIRTH [FIELD=VALUE...]: prints the case number
	_n=$1 _b=$2
	shift 2
	on "$T" --json child add name="$_n" birth_date="$_b" $KID "$@" >"$TMP/add.json" ||
		die "child add $_n: $(cat "$TMP/add.json")"
	json_get "$TMP/add.json" 'd["id"]'
}
A=$(add 张一 2015-03-12)
B=$(add 张二 2010-11-05)  # 16 on 2026-11-05: over age, turns 16 this month
D=$(add 张三 2012-06-01 father_status=home)  # not left behind
E=$(add 张四 2013-01-20)
agree "$T" "after child add"

on "$T" child edit "$A" guardian_relation=none guardian_name= >/dev/null || die "edit"
agree "$T" "after child edit"
on "$T" child exit "$E" exit_reason=moved_with_family --yes >/dev/null || die "exit"
agree "$T" "after child exit"
on "$T" visit add "$A" date=2026-10-01 visitor=李主任 kind=home next_due=2026-11-01 >/dev/null ||
	die "visit"
agree "$T" "after visit add"
on "$T" --json report add "$B" category=unlawful_harm "found_at=2026-11-27 08:30" \
	found_by=王老师 reporter_kind=school description=身上有伤痕 >"$TMP/r.json" ||
	die "report add: $(cat "$TMP/r.json")"
R=$(json_get "$TMP/r.json" 'd["id"]')
agree "$T" "after report add"
on "$T" report step "$R" step=reported "date=2026-11-27 09:00" by=口前派出所 >/dev/null ||
	die "report step"
agree "$T" "after report step"

cat >"$TMP/survey.csv" <<'CSV'
儿童姓名,性别,出生日期,所在村,父亲现状,母亲现状,与儿童关系,监护人,就学状况
李五,男,2014-05-05,前进村,外出务工,外出务工,无人监护,,在校
李六,女,2011-11-20,前进村,外出务工,在家,奶奶,李奶奶,在校
CSV
on "$T" child import "$TMP/survey.csv" >"$TMP/out" 2>&1 || die "child import: $(cat "$TMP/out")"
agree "$T" "after child import"

check "children" test "$(figure "$T" children)" = 5
check "left the ledger" test "$(figure "$T" exited)" = 1
check "unsupervised (an edit and a sheet's row)" test "$(figure "$T" unsupervised)" = 2
check "visits overdue" test "$(figure "$T" visits_overdue)" = 1
check "turning 16 this month" test "$(figure "$T" turning16_month)" = 1
check "not eligible (over age, not left behind twice)" test "$(figure "$T" not_eligible)" = 3
check "reports open" test "$(figure "$T" reports_open)" = 1
check "reports unsent" test "$(figure "$T" reports_unsent)" = 0
check "visits" test "$(figure "$T" visits)" = 1

# The county takes the township's bundle: every record merged in.
keys_both "$T" 220221100 "$C" 220221 "$STICK"
on "$T" --json export --to "$STICK" >"$TMP/out" || die "export"
on "$C" import "$(json_get "$TMP/out" 'd["file"]')" >/dev/null || die "county import"
agree "$C" "the county, after a bundle import"
check "the county counts the township's children" test "$(figure "$C" children)" = 5
# A later bundle with a changed child replaces it there (a merge).
on "$T" child edit "$D" father_status=away >/dev/null || die "edit D"
on "$T" --json export --to "$STICK" >"$TMP/out" || die "export 2"
on "$C" import "$(json_get "$TMP/out" 'd["file"]')" >/dev/null || die "county import 2"
agree "$C" "the county, after a merged newer version"
check "the merge moved not eligible" test "$(figure "$C" not_eligible)" = 2
finish
