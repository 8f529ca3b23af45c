#!/bin/sh
# approvals.sh - a leader's approval (审核) on the command line: a clerk's
# exit waits as a request until the leader approves it (then the child has
# left, the history saying who asked and who decided, when and why) or
# sends it back (nothing changes); a second request for the same thing, a
# village user's exit and a clerk's approval are refused; the office may
# make the assessment step wait too; the checks before an exit (turned 16,
# a date in the future or before the registration); --yes without a
# terminal, y or n at one; and the requests go to the county in a bundle
# that gpg alone reads.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_gpg

H="$TMP/t" C="$TMP/c" KEYS="$TMP/keys"
mkdir -p "$KEYS"
at() { XIANGBAN_NOW=$1; export XIANGBAN_NOW; }
# as USER ARGS...: the program on the township's ledger, signed in as USER.
as() {
	_as=$1
	shift
	XIANGBAN_USER=$_as "$XB" --home "$H" "$@"
}
# field CASE KEY: a child's field as stored.
field() {
	as leader --json child show "$1" >"$TMP/show.json" 2>/dev/null
	json_get "$TMP/show.json" "d['fields'].get('$2', '')"
}
waiting() { # the number of requests waiting
	as leader --json approvals >"$TMP/wait.json" || return
	json_get "$TMP/wait.json" 'len(d)'
}

# The township's leader sets the ledger up and adds a clerk and a village
# member; three children are registered on 1 November.
at 2026-11-01T09:00:00
XIANGBAN_USER=leader office "$H" 220221100 示范镇
XIANGBAN_USER=leader with_new_password demo "$H" user add clerk role=clerk \
	display_name=李干事 >/dev/null || die "user add clerk"
as leader village add 220221100201 前进村 >/dev/null || die "village add"
XIANGBAN_USER=leader with_new_password demo "$H" user add cun role=village \
	villages=220221100201 >/dev/null || die "user add cun"
KID="village_code=220221100201 village=前进村 father_status=away mother_status=away guardian_relation=grandparent guardian_name=李桂兰 enrolment=in_school"
add() { # add NAME BIRTH: prints the case number
	# shellcheck disable=SC2086 # KID is a list of fields
	as leader --json child add name="$1" birth_date="$2" sex=M $KID >"$TMP/add.json" ||
		die "child add $1: $(cat "$TMP/add.json")"
	json_get "$TMP/add.json" 'd["id"]'
}
A=$(add 张三 2015-03-12)
B=$(add 王五 2010-11-05) # 16 on 2026-11-05
D=$(add 赵六 2014-06-01)
check "registered: the day is kept" [ "$(field "$A" registered)" = 2026-11-01 ]

# --- a clerk asks, the leader approves -------------------------------------
at 2026-11-29T10:00:00
expect_code 0 "clerk's exit: exit 0" as clerk child exit "$A" exit_reason=父母返乡 \
	exit_date=2026-11-28 --yes
check "clerk's exit: waits for a leader" has "$TMP/out" "Request $A/Q01 waits for a leader's approval"
check "clerk's exit: the child has not left" [ "$(field "$A" status)" = active ]
check "one request waits" [ "$(waiting)" = 1 ]
expect_code 5 "the same again: refused" as clerk child exit "$A" exit_reason=other --yes
check "the same again: names the first" has "$TMP/err" "$A/Q01"
expect_code 5 "the leader's own exit while it waits: refused" as leader child exit "$A" \
	exit_reason=parents_returned --yes
check "the leader is told to decide it" has "$TMP/err" "approve it or send it back"
expect_code 6 "a village user may not ask an exit" as cun child exit "$A" \
	exit_reason=parents_returned --yes
check "village user: the permission named" has "$TMP/err" "permission"
expect_code 6 "a clerk may not approve" as clerk approve "$A/Q01"
check "clerk: the permission named" has "$TMP/err" "approve requests"
check "still waiting" [ "$(waiting)" = 1 ]
expect_code 0 "approvals listed" as leader approvals
check "the list names the child" has "$TMP/out" "张三"
check "the list says what is asked" has "$TMP/out" "leave the ledger: parents returned, on 2026-11-28"

at 2026-11-29T11:15:00
expect_code 0 "leader approves" as leader approve "$A/Q01" --comment 父母已返乡
check "approve: said" has "$TMP/out" "approved"
check "approved: the child has left" [ "$(field "$A" status)" = exited ]
check "approved: the reason asked" [ "$(field "$A" exit_reason)" = parents_returned ]
check "approved: the date asked" [ "$(field "$A" exit_date)" = 2026-11-28 ]
check "nothing waits any more" [ "$(waiting)" = 0 ]
expect_code 3 "approved twice: refused" as leader approve "$A/Q01"
check "approved twice: says so" has "$TMP/err" "approved already"

# The history: who asked and who decided, when and why, in Chinese.
LANG=zh_CN.UTF-8 as leader history "$A" >"$TMP/hist" 2>&1
check "history: asked by the clerk at 10:00" \
	grep -q "^2026-11-29 10:00:00  clerk  提交审核 $A/Q01" "$TMP/hist"
check "history: what was asked" has "$TMP/hist" "审核事项: 退出台账"
check "history: the reason asked" has "$TMP/hist" "退出原因: 父母返乡"
check "history: approved by the leader at 11:15" \
	grep -q "^2026-11-29 11:15:00  leader  审核同意 $A/Q01" "$TMP/hist"
check "history: the decision" has "$TMP/hist" "审核状态: 待审核 -> 已同意"
check "history: who decided" has "$TMP/hist" "审核人: (空) -> leader"
check "history: the comment" has "$TMP/hist" "审核意见: (空) -> 父母已返乡"
check "history: the exit itself, by the leader" \
	grep -q "^2026-11-29 11:15:00  leader  退出台账 $A " "$TMP/hist"
as leader --json history "$A" >"$TMP/hist.json"
check "history JSON: ask, approve, exit in order" [ "$(python3 -c '
import json, sys
acts = [json.loads(l)["action"] for l in open(sys.argv[1])]
print(" ".join(a for a in acts if a in ("ask", "approve", "exit")))' "$TMP/hist.json")" = "ask approve exit" ]

# --- sent back: nothing changes ---------------------------------------------
at 2026-11-29T14:00:00
expect_code 0 "clerk asks D's exit" as clerk child exit "$D" exit_reason=moved_with_family --yes
check "D's request" has "$TMP/out" "$D/Q01"
expect_code 2 "send back without a comment: refused" as leader send-back "$D/Q01"
check "still waiting after the refusal" [ "$(waiting)" = 1 ]
expect_code 0 "leader sends it back" as leader send-back "$D/Q01" --comment "核实后仍在外务工"
check "sent back: the child stays" [ "$(field "$D" status)" = active ]
check "sent back: no exit fields" [ "$(field "$D" exit_reason)" = "" ]
as leader --json approvals --all >"$TMP/all.json"
check "sent back: its status" [ "$(json_get "$TMP/all.json" '[q["fields"]["status"] for q in d if q["id"].endswith("'"$D"'/Q01")][0]')" = sent_back ]
check "sent back: its comment" [ "$(json_get "$TMP/all.json" '[q["fields"]["comment"] for q in d if q["id"].endswith("'"$D"'/Q01")][0]')" = 核实后仍在外务工 ]
LANG=zh_CN.UTF-8 as leader history "$D" >"$TMP/hist" 2>&1
check "history: sent back, in Chinese" grep -q "leader  审核退回 $D/Q01" "$TMP/hist"
check "history: why" has "$TMP/hist" "核实后仍在外务工"
expect_code 3 "a sent-back request is not approved" as leader approve "$D/Q01"

# --- a closing waits; its asker withdraws it --------------------------------
expect_code 0 "a report on D" as clerk report add "$D" category=意外伤害 \
	found_at="2026-11-27 09:00" found_by=王老师 reporter_kind=school description=摔伤 \
	reported_at="2026-11-27 10:00"
expect_code 0 "clerk closes the report: waits" as clerk report step "$D/R01" step=closed \
	date="2026-11-29 14:10" by=示范镇 --yes
check "closing waits" has "$TMP/out" "Request $D/Q02 waits for a leader's approval"
as leader --json report show "$D/R01" >"$TMP/r.json"
check "the report stays open" [ "$(json_get "$TMP/r.json" 'd["fields"]["status"]')" = open ]
expect_code 6 "only the asker withdraws" as leader withdraw "$D/Q02"
expect_code 0 "the clerk withdraws" as clerk withdraw "$D/Q02"
check "withdrawn: nothing waits" [ "$(waiting)" = 0 ]

# --- the office makes the assessment wait too ---------------------------------
expect_code 0 "a step that does not wait is added at once" as clerk report step "$D/R01" \
	step=police_response date="2026-11-29 14:20" by=派出所
expect_code 6 "a clerk may not change the setting" as clerk settings approval_steps assessment
expect_code 3 "a setting value refused" as leader settings approval_steps everything
expect_code 0 "leader: assessment waits" as leader settings approval_steps assessment
expect_code 0 "clerk's assessment" as clerk report step "$D/R01" step=assessment \
	date="2026-11-29 14:30" by=示范镇
check "assessment waits" has "$TMP/out" "Request $D/Q03 waits"
as leader --json report show "$D/R01" >"$TMP/r.json"
check "the stage stays" [ "$(json_get "$TMP/r.json" 'd["fields"]["stage"]')" = police_response ]
expect_code 0 "services do not wait" as clerk report step "$D/R01" step=services \
	date="2026-11-29 14:40" by=示范镇
check "services: added" has "$TMP/out" "Step $D/R01/S"
expect_code 0 "leader approves the assessment" as leader approve "$D/Q03"
as leader --json report show "$D/R01" >"$TMP/r.json"
check "the assessment is on the timeline" [ "$(json_get "$TMP/r.json" '[s["fields"]["step"] for s in d["steps"]].count("assessment")')" = 1 ]

# --- the checks before an exit is asked ---------------------------------------
expect_code 3 "turned 16 before 16: refused" as clerk child exit "$B" exit_reason=turned16 \
	exit_date=2026-11-04 --yes
check "turned 16: says not yet 16" has "$TMP/err" "not yet 16 on 2026-11-04"
expect_code 3 "a date in the future: refused" as clerk child exit "$B" \
	exit_reason=parents_returned exit_date=2026-12-01 --yes
check "future: says after today" has "$TMP/err" "after today"
expect_code 3 "before the registration: refused" as clerk child exit "$B" \
	exit_reason=parents_returned exit_date=2026-10-31 --yes
check "before registration: says when registered" has "$TMP/err" "registered here on 2026-11-01"
check "no request from refused exits" [ "$(waiting)" = 0 ]

# --- confirmation --------------------------------------------------------------
expect_code 2 "no terminal, no --yes: refused" as clerk child exit "$B" exit_reason=turned16 \
	exit_date=2026-11-05
check "says to add --yes" has "$TMP/err" "add --yes"
check "names the child and the reason" has "$TMP/err" "Take 王五 ($B) off the ledger for \"turned 16\"?"
check "nothing asked without --yes" [ "$(waiting)" = 0 ]
expect_code 2 "closing without --yes: refused" as leader report step "$D/R01" step=closed \
	date="2026-11-29 15:00" by=示范镇
# At a terminal (script(1) gives one): n does nothing, y asks.
at_tty() { # at_tty ANSWER ARGS...: the clerk's command at a terminal
	_ans=$1
	shift
	printf '%s\n' "$_ans" | XIANGBAN_USER=clerk script -qec \
		"$XB --home $H $*" /dev/null >"$TMP/tty" 2>&1
}
at_tty n child exit "$B" exit_reason=turned16 exit_date=2026-11-05
check "at a terminal: the question" has "$TMP/tty" "[y/N]"
check "answered n: nothing asked" [ "$(waiting)" = 0 ]
at_tty y child exit "$B" exit_reason=turned16 exit_date=2026-11-05
check "answered y: asked" has "$TMP/tty" "Request $B/Q01 waits"

# --- the requests travel to the county ------------------------------------------
XIANGBAN_USER=leader office "$C" 220221 示范县民政局
export XIANGBAN_USER=leader
keys_both "$H" 220221100 "$C" 220221 "$KEYS"
expect_code 0 "township exports" on "$H" --json export --to "$KEYS"
BUNDLE=$(json_get "$TMP/out" 'd["file"]')
check "the export counts the requests" [ "$(json_get "$TMP/out" 'd["counts"]["request"]')" = 5 ]
"$GPG" --homedir "$C/gnupg" --batch -q --decrypt "$BUNDLE" >"$TMP/plain" 2>/dev/null
check "gpg --decrypt reads the bundle" [ $? -eq 0 ]
check "gpg: the approved request, as asked and decided" python3 - "$TMP/plain" "$A" <<'EOF'
import json, sys
reqs = {r["id"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))
        if r.get("kind") == "request"}
q = reqs[sys.argv[2] + "/Q01"]["fields"]
sys.exit(0 if (q["action"], q["exit_reason"], q["status"], q["asked_by"],
               q["decided_by"], q["comment"]) ==
         ("exit", "parents_returned", "approved", "clerk", "leader", "父母已返乡")
         and len(reqs) == 5 else 1)
EOF
expect_code 0 "the county imports them" on "$C" import "$BUNDLE"
expect_code 0 "the county reads them" on "$C" --json approvals --all
check "the county holds the township's requests" [ "$(json_get "$TMP/out" 'len(d)')" = 5 ]
expect_code 6 "the county does not decide them" on "$C" approve "$B/Q01"
check "the county: says whose it is" has "$TMP/err" "220221100"
expect_code 0 "the county lists the one still waiting" on "$C" --json approvals
check "the county: the waiting one" [ "$(json_get "$TMP/out" '[q["id"] for q in d]')" = "['$B/Q01']" ]
expect_code 0 "the township's check passes, requests and all" on "$H" check
check "check: the requests counted" grep -q "request *5" "$TMP/out"
expect_code 0 "the county's check passes" on "$C" check

finish
