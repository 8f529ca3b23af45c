#!/bin/sh
# tui_corrections.sh - corrections and assistance in the full-screen
# interface, in a real terminal (tmux) at 80x24, in Chinese and in
# C.UTF-8: on a child's visit log the hint line offers c to correct the
# visit; c opens the visit's form filled in, which a resize keeps; the
# corrected date moves the child's last visit and the change log says
# "corrected". On a report, c corrects the police station (after filing)
# and a step, picked from a list. On the assistance tab an entry is
# entered and the header shows it as current.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

run() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_CHILDREN="在册儿童" T_RESULTS="相符" T_FILE="周小红的档案"
		T_HINT="c 更正走访" T_FORM="更正走访记录" T_DONE="已更正"
		T_LOG="变更记录" T_CORRECTED="更正" T_RHINT="F4 c 更正" T_PICK="更正哪一项"
		T_RFORM="更正报告的派出所和回执号" T_SFORM="更正处置环节"
		T_AID="尚未登记救助" T_AFORM="登记救助" T_ASAVED="已保存" T_DIBAO="[低保]"
		T_CURRENT="[享受中]"
	else
		T_CHILDREN="Children in the ledger" T_RESULTS="match" T_FILE="File of 周小红"
		T_HINT="c correct the visit" T_FORM="Correct a visit" T_DONE="Corrected"
		T_LOG="Change log" T_CORRECTED="corrected" T_RHINT="F4 c correct"
		T_PICK="Correct what?" T_RFORM="Correct a report's police station"
		T_SFORM="Correct a step of a report" T_AID="No assistance entered"
		T_AFORM="Enter assistance" T_ASAVED="saved"
		T_DIBAO="[minimum living allowance (dibao)]" T_CURRENT="[current]"
	fi
	H="$TMP/ledger-$lang"
	"$XB" --home "$H" demo --children 5 >/dev/null || { fail "demo ledger"; return; }
	"$XB" --home "$H" child add name=周小红 sex=F birth_date=2014-05-06 \
		village_code=220221100201 father_status=away mother_status=away \
		guardian_relation=grandparent guardian_name=周奶奶 enrolment=in_school \
		>"$TMP/out" 2>"$TMP/err" || { fail "child: $(cat "$TMP/err")"; return; }
	C=$(sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out" | head -n1)
	"$XB" --home "$H" visit add "$C" date=2026-11-20 visitor=周主任 kind=home \
		next_due=2026-12-20 >/dev/null 2>&1 || fail "visit"
	"$XB" --home "$H" report add "$C" category=accidental_injury \
		found_at="2026-11-28 09:00" found_by=王老师 reporter_kind=school \
		description=在校摔伤 reported_at="2026-11-28 09:30" >/dev/null 2>&1 || fail "report"
	"$XB" --home "$H" report step "$C/R01" step=police_response date="2026-11-28 10:00" \
		by=派出所 >/dev/null 2>&1 || fail "step"

	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_CHILDREN" || return
	keys /
	type_text "$C"
	wait_for "$T_RESULTS"
	keys Enter
	wait_for "$T_FILE" || return

	# The visit log: the hint line offers the correction.
	keys 7
	wait_for "2026-11-20" || return
	wait_for "$T_HINT"
	keys c
	wait_for "$T_FORM" || return
	wait_for "周主任"
	# A resize keeps the form and what it holds.
	resize 100 30
	wait_for "周主任"
	resize 80 24
	wait_for "$T_FORM"
	keys C-u
	type_text "2026-11-21"
	keys F2
	wait_for "$T_DONE" || return
	wait_for "2026-11-21"
	check "the child's last visit follows" sh -c \
		"'$XB' --home '$H' child show '$C' | grep -q '2026-11-21'"
	keys F8
	wait_for "$T_CORRECTED"
	keys Escape

	# The report: its police station after filing, then a step.
	wait_for "$T_FILE"
	keys 8 Enter
	wait_for "$C/R01" || return
	wait_for "$T_RHINT"
	keys c
	wait_for "$T_PICK" || return
	keys Enter
	wait_for "$T_RFORM" || return
	type_text "口前派出所"
	keys F2
	wait_for "$T_DONE"
	wait_for "口前派出所"
	keys c
	wait_for "$T_PICK"
	keys Down Enter
	wait_for "$T_SFORM" || return
	# date, then who acted
	keys Tab Tab C-u
	type_text "口前派出所民警"
	keys F2
	wait_for "口前派出所民警"
	check "the step corrected in the ledger" sh -c \
		"'$XB' --home '$H' history '$C/R01/S01' | grep -q '口前派出所民警'"
	keys Escape

	# Assistance: none yet; one entered shows in the header as current.
	wait_for "$T_FILE"
	keys 9
	wait_for "$T_AID" || return
	keys a
	wait_for "$T_AFORM" || return
	keys 1
	keys F2
	wait_for "$T_ASAVED"
	wait_for "$T_DIBAO"
	wait_for "$T_CURRENT"
	keys Escape Escape Escape
	wait_for "$T_CHILDREN"
	keys q
	wait_for "EXITED=0"
}

run zh_CN.UTF-8
run C.UTF-8
finish
