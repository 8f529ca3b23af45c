#!/bin/sh
# tui_deadlines.sh - the township's deadlines of a report in the
# full-screen interface, in a real terminal (tmux) at 80x24, in Chinese
# and in C.UTF-8: the reports list shows per open report what is due next
# with the days left or late in a cell of words (评估 剩3天, 服务 逾期2天),
# none for a report not yet notified; a report's screen says it whole
# under the timeline (调查评估：应于 … 前完成（还剩 3 天）, or 已逾期).
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
x() { on "$H" "$@"; }
x init --office 220221100 --name 示范镇 >/dev/null || die "init"
x village add 220221100201 前进村 >/dev/null || die "village"
x child add name=张小花 birth_date=2015-03-12 sex=F father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=张桂芝 enrolment=in_school \
	village_code=220221100201 >"$TMP/out" || die "child"
A=$(sed -n 's/.*case number \([0-9X-]*\)\..*/\1/p' "$TMP/out")
# report FOUND: a report found and told to the police that day.
report() {
	x report add "$A" category=家庭暴力 found_at="$1 08:30" found_by=王老师 \
		reporter_kind=school description=身上有伤 reported_at="$1 09:00" >/dev/null ||
		die "report $1"
}
step() { x report step "$1" step="$2" date="$3 10:00" by=示范镇 >/dev/null || die "step $2 $1"; }
# Today is 2026-11-29. R01: assessed on the 12th, the services were due
# on the 27th (15 days): 2 days late. R02: the township notified on the
# 25th, the assessment due on 2 December (7 days): 3 days left. R03: only
# reported to the police: nothing due beyond that.
report 2026-11-10
step "$A/R01" township_notified 2026-11-11
step "$A/R01" assessment 2026-11-12
report 2026-11-24
step "$A/R02" township_notified 2026-11-25
report 2026-11-27

# row ID: the line of the screen showing ID.
row() { screen | grep -F -- "$1"; }

day() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_START="处理中的报告"
		T_LATE_CELL="服务 逾期2天" T_LEFT_CELL="评估 剩3天" T_HEAD="下一期限"
		T_LATE="关爱服务/救助：已逾期 2 天（应于 2026-11-27 前完成）"
		T_LEFT="调查评估：应于 2026-12-02 前完成（还剩 3 天）"
	else
		T_START="Reports open"
		T_LATE_CELL="serv. 2 d late" T_LEFT_CELL="assess. 3 d left" T_HEAD="Next due"
		T_LATE="Services or assistance: 2 days late (due by 2026-11-27)"
		T_LEFT="Assessment: due by 2026-12-02 (3 days left)"
	fi
	XIANGBAN_USER=clerk tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_START" || return
	keys r
	wait_for "$A/R03" || return
	wait_for "$T_HEAD"
	screen >"$TMP/list-$lang.txt"
	row "$A/R01" >"$TMP/r1"
	row "$A/R02" >"$TMP/r2"
	row "$A/R03" >"$TMP/r3"
	check "$lang: late services in the list ($(cat "$TMP/r1"))" has "$TMP/r1" "$T_LATE_CELL"
	check "$lang: assessment days left in the list ($(cat "$TMP/r2"))" has "$TMP/r2" "$T_LEFT_CELL"
	check "$lang: nothing due of a report not notified" \
		sh -c "! grep -qE '$T_LATE_CELL|$T_LEFT_CELL' '$TMP/r3'"
	# oldest first: R01, R02, R03
	keys Enter
	wait_for "$T_LATE" || return
	keys Escape
	wait_for "$A/R03" || return
	keys Down Enter
	wait_for "$T_LEFT" || return
	keys Escape
	wait_for "$A/R03" || return
	keys Escape
	wait_for "$T_START"
	keys F10
	tm kill-session -t xb 2>/dev/null
}

day zh_CN.UTF-8
day C.UTF-8
finish
