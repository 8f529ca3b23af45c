#!/bin/sh
# tui_approvals.sh - approvals (审核) in the full-screen interface, in a
# real terminal (tmux), in Chinese and in C.UTF-8: a clerk takes a child off
# the ledger (a confirmation naming the child and the reason, then "sent for
# approval" with the request's id) and closes a report (confirmed, sent
# for approval); the leader signs in, sees the two requests counted on the
# start screen, opens the approvals, looks at one (the child, what
# approving does), approves it (confirmed) and the child has left, then
# approves the closing from the list; another request is sent back with a
# comment typed in Chinese and nothing changes; a clerk's transfer is
# approved and the child's file goes. A resize on the list keeps it whole.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

# count LABEL: the number at the end of the start screen's LABEL line.
count() {
	screen | grep -F -- "$1" | head -n 1 | awk '{ print $NF }'
}

run() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_START="在册儿童" T_FILE="张三的档案" T_EXIT="退出台账"
		T_CONFIRM="确认将 张三（$A）以“父母返乡”退出台账？"
		T_ASKED="已提交审核：审核申请 $A/Q01" T_WAITING="待审核申请"
		T_LIST="审核：2 项待审核" T_WHAT="退出台账：父母返乡，2026-11-29"
		T_NAMED="张三（$A）" T_CLOSE="确认将赵六的报告 $D/R01 结案？"
		T_TRANSFER="转移到乡镇(街道) 220221200 河口镇" T_APPROVE3="同意赵六的申请 $D/Q03"
		T_REPORTED="报告公安机关" T_FOUND="发现"
		T_ASKED2="已提交审核：审核申请 $D/Q01" T_APPROVE2="同意赵六的申请 $D/Q01"
		T_APPROVE="同意张三的申请 $A/Q01" T_APPROVED="已同意" T_NONE="没有待审核的申请"
		T_BACK="退回申请" T_SENT="已退回" T_CHILD="同意后" COMMENT="情况不实，请再核实"
	else
		T_START="Children in the ledger" T_FILE="File of 张三" T_EXIT="Leave the ledger"
		T_CONFIRM="Take 张三 ($A) off the ledger for \"parents returned\"?"
		T_ASKED="Sent for approval: request $A/Q01" T_WAITING="Requests waiting for approval"
		T_LIST="Approvals: 2 waiting" T_WHAT="leave the ledger: parents returned, on 2026-11-29"
		T_NAMED="张三 ($A)" T_CLOSE="Close 赵六's report $D/R01?"
		T_TRANSFER="transfer to township 220221200 河口镇" T_APPROVE3="Approve 赵六's request $D/Q03"
		T_REPORTED="reported to police" T_FOUND="found"
		T_ASKED2="Sent for approval: request $D/Q01" T_APPROVE2="Approve 赵六's request $D/Q01"
		T_APPROVE="Approve 张三's request $A/Q01" T_APPROVED="approved" T_NONE="No request waits"
		T_BACK="Send the request back" T_SENT="sent back" T_CHILD="When approved"
		COMMENT="情况不实，请再核实"
	fi

	# The clerk: the child's file, x, the reason, F2, confirmed.
	XIANGBAN_USER=clerk
	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_START" || return
	check "a clerk sees no approvals line" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qF '$T_WAITING'"
	keys /
	type_text "$A"
	keys Enter
	wait_for "$T_FILE" || return
	keys x
	wait_for "$T_EXIT" || return
	# the reason: parents returned (the second choice); the date: today
	keys 2
	keys F2
	wait_for "$T_CONFIRM" || return
	keys y
	wait_for "$T_ASKED" || return
	check "asked: the child has not left" [ "$(field "$A" status)" = active ]
	keys Escape Escape
	wait_for "$T_START" || return
	# The clerk closes 赵六's report: step 8 (closed), by whom, F2, y.
	keys r
	wait_for "$D/R01" || return
	keys Enter
	keys a
	# The steps offered begin with the report to the police: the finding
	# is the report itself, never a step.
	# (a number and its choice are joined by a no-break space)
	wait_for "1 $T_REPORTED" || return
	check "$lang: finding not offered as a step" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qE '[0-9]( | )($T_FOUND)( |\$)'"
	keys 7 Tab
	type_text "示范镇"
	keys F2
	wait_for "$T_CLOSE" || return
	keys y
	wait_for "$T_ASKED2" || return
	check "asked: the report stays open" [ "$(report_status)" = open ]
	keys Escape Escape
	wait_for "$T_START"
	keys q
	wait_for "EXITED=0"

	# The leader: the count on the start screen, the list, one request.
	XIANGBAN_USER=leader
	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_WAITING" || return
	check "the start screen counts two waiting" [ "$(count "$T_WAITING")" = 2 ]
	keys h
	wait_for "$T_LIST" || return
	wait_for "张三"
	wait_for "$T_WHAT"
	resize 100 30
	wait_for "$T_WHAT"
	resize 80 24
	wait_for "$T_LIST"
	keys Enter
	wait_for "$T_CHILD" || return
	wait_for "$T_NAMED"
	wait_for "$T_WHAT"
	keys a
	wait_for "$T_APPROVE" || return
	keys y
	wait_for "$T_APPROVED" || return
	check "approved: the child has left" [ "$(field "$A" status)" = exited ]
	check "approved: the reason asked" [ "$(field "$A" exit_reason)" = parents_returned ]
	# The closing, approved from the list.
	wait_for "$D/Q01" || return
	keys a
	wait_for "$T_APPROVE2" || return
	keys y
	wait_for "$T_NONE" || return
	check "approved: the report is closed" [ "$(report_status)" = closed ]
	keys Escape
	wait_for "$T_WAITING"
	check "the start screen counts none" [ "$(count "$T_WAITING")" = 0 ]

	# Another request, sent back with a comment typed in Chinese.
	XIANGBAN_USER=clerk "$XB" --home "$H" child exit "$D" exit_reason=other --yes \
		>/dev/null 2>&1 || fail "clerk asks D's exit"
	keys h
	wait_for "赵六" || return
	keys b
	wait_for "$T_BACK" || return
	type_text "$COMMENT"
	keys Enter
	wait_for "$T_SENT" || return
	wait_for "$T_NONE"
	check "sent back: the child stays" [ "$(field "$D" status)" = active ]
	XIANGBAN_USER=leader "$XB" --home "$H" --json approvals --all >"$TMP/all.json"
	check "sent back: the comment as typed" [ "$(json_get "$TMP/all.json" "[q['fields'].get('comment') for q in d if q['id'].startswith('$D/')][-1]")" = "$COMMENT" ]

	# A clerk's transfer waits too; approved here, the file goes then.
	XIANGBAN_USER=clerk "$XB" --home "$H" child transfer "$D" --to 220221200 --name 河口镇 \
		reason=随父母迁居 --yes >/dev/null 2>&1 || fail "clerk asks D's transfer"
	check "asked: D stays until approved" [ "$(field "$D" status)" = active ]
	keys Escape
	wait_for "$T_WAITING"
	keys h
	wait_for "$T_TRANSFER" || return
	keys a
	wait_for "$T_APPROVE3" || return
	keys y
	wait_for "$T_NONE" || return
	check "approved: D has left" [ "$(field "$D" status)" = exited ]
	check "approved: D went to 220221200" [ "$(field "$D" transferred_to)" = 220221200 ]
	keys Escape q
	wait_for "EXITED=0"
}

# report_status: the status of 赵六's report.
report_status() {
	XIANGBAN_USER=leader "$XB" --home "$H" --json report show "$D/R01" >"$TMP/r.json" 2>/dev/null
	json_get "$TMP/r.json" "d['fields']['status']"
}

# field CASE KEY: a child's field as stored.
field() {
	XIANGBAN_USER=leader "$XB" --home "$H" --json child show "$1" >"$TMP/show.json" 2>/dev/null
	json_get "$TMP/show.json" "d['fields'].get('$2', '')"
}

# A township, its leader and clerk (password demo), two children
# registered on 1 November: A (张三) and D (赵六).
setup() {
	H="$TMP/ledger-$1"
	XIANGBAN_USER=leader office "$H" 220221100 示范镇
	XIANGBAN_USER=leader with_new_password demo "$H" user add clerk role=clerk \
		>/dev/null || die "user add clerk"
	for name in 张三 赵六; do
		XIANGBAN_NOW=2026-11-01T09:00:00 XIANGBAN_USER=leader "$XB" --home "$H" --json \
			child add name="$name" birth_date=2015-03-12 sex=M village_code=220221100201 \
			village=前进村 father_status=away mother_status=away \
			guardian_relation=grandparent guardian_name=李桂兰 enrolment=in_school \
			>"$TMP/add.json" || die "child add $name"
		[ "$name" = 张三 ] && A=$(json_get "$TMP/add.json" 'd["id"]')
		[ "$name" = 赵六 ] && D=$(json_get "$TMP/add.json" 'd["id"]')
	done
	XIANGBAN_USER=leader "$XB" --home "$H" report add "$D" category=意外伤害 \
		found_at="2026-11-27 09:00" found_by=王老师 reporter_kind=school \
		description=摔伤 reported_at="2026-11-27 10:00" >/dev/null 2>&1 || die "report add"
}

setup zh
run zh_CN.UTF-8
setup c
run C.UTF-8
finish
