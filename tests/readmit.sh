#!/bin/sh
# readmit.sh - a child who left the ledger comes back into the same file
# on the command line: the exit and the re-admission both in the history,
# with who did each; what re-admission refuses; registering the ID number
# of a child who left names that file and says to re-admit it; the month's
# statistics count one exit and one re-admission; the summary's counts
# follow and `check` stays clean.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE= TZ=Asia/Shanghai

H="$TMP/ledger"
at() { XIANGBAN_NOW=$1; export XIANGBAN_NOW; }
summary_of() { on "$H" --json summary | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["children"], d["exited"])'; }

at 2026-11-01T09:00:00
office "$H" 220221100 城关镇
expect_code 0 "the register holds the village" on "$H" village add 220221100201 前进村
expect_code 0 "a second clerk" with_new_password lihua "$H" user add lihua role=clerk
expect_code 0 "a village member" with_new_password cunpw "$H" user add cun role=village \
	villages=220221100201
expect_code 0 "the child registered" on "$H" --json child add name=王小红 \
	id_number=220221201503120018 village_code=220221100201 father_status=away \
	mother_status=away guardian_relation=grandparent guardian_name=王奶奶 enrolment=in_school
CASE=$(json_get "$TMP/out" 'd["id"]')
expect_code 3 "a child in the ledger is not re-admitted" on "$H" child readmit "$CASE" reason=回来
check "in the ledger: said" has "$TMP/err" "only a child who left it can be re-admitted"
expect_code 4 "re-admit a case that is none" on "$H" child readmit 220221100-00099-5 reason=回来
expect_code 2 "re-admit without a case" on "$H" child readmit

at 2026-11-05T10:00:00
expect_code 0 "the child leaves" on "$H" child exit "$CASE" exit_reason=parents_returned \
	exit_date=2026-11-05 --yes
check "summary: none in the ledger, one left" [ "$(summary_of)" = "0 1" ]

at 2026-11-12T10:00:00
# Registered again by the ID number: refused, the file named
expect_code 5 "the ID number registered again" on "$H" child add name=王小红 \
	id_number=220221201503120018 village_code=220221100201 father_status=away \
	mother_status=away guardian_relation=grandparent guardian_name=王奶奶 enrolment=in_school
check "re-registration names the case" has "$TMP/err" "$CASE"
check "re-registration says to re-admit" has "$TMP/err" "xiangban child readmit $CASE"
LANGUAGE=zh_CN LANG=zh_CN.UTF-8 on "$H" child add name=王小红 id_number=220221201503120018 \
	village_code=220221100201 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=王奶奶 enrolment=in_school >/dev/null 2>"$TMP/err"
check "re-registration, in Chinese" has "$TMP/err" "请恢复该档案"
check "nothing registered" [ "$(on "$H" --json child list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ]

# What re-admission refuses
expect_code 3 "no reason" on "$H" child readmit "$CASE"
check "no reason: said" has "$TMP/err" "Say why the child comes back"
expect_code 3 "back before it left" on "$H" child readmit "$CASE" reason=回来 date=2026-11-04
check "before it left: said" has "$TMP/err" "2026-11-05"
expect_code 3 "back in the future" on "$H" child readmit "$CASE" reason=回来 date=2026-11-13
expect_code 3 "a word that is no field" on "$H" child readmit "$CASE" reason=回来 because
check "a word that is no field: named" has "$TMP/err" "because"
expect_code 3 "a field it does not take" on "$H" child readmit "$CASE" reason=回来 name=x
expect_code 6 "a village member may not re-admit" env XB_PASSWORD=cunpw XIANGBAN_USER=cun \
	"$XB" --home "$H" child readmit "$CASE" reason=回来
check "still out after the refusals" [ "$(summary_of)" = "0 1" ]

# Back, by the second clerk
expect_code 0 "lihua re-admits the child" env XB_PASSWORD=lihua XIANGBAN_USER=lihua \
	"$XB" --home "$H" child readmit "$CASE" reason=父母再次外出务工 date=2026-11-12
check "said back" has "$TMP/out" "is back in the ledger"
expect_code 0 "the file" on "$H" --json child show "$CASE"
check "active, with the reason and the day" [ "$(json_get "$TMP/out" '"|".join(d["fields"].get(k, "-") for k in ("status", "readmit_reason", "readmit_date", "exit_reason", "exit_date"))')" = "active|父母再次外出务工|2026-11-12|-|-" ]
check "summary: one in the ledger, none left" [ "$(summary_of)" = "1 0" ]
expect_code 3 "re-admitted twice" on "$H" child readmit "$CASE" reason=回来
expect_code 0 "a visit to the child back in the ledger" on "$H" visit add "$CASE" \
	date=2026-11-12 visitor=李主任 kind=home

# The history keeps both periods and who did what
expect_code 0 "history" on "$H" history "$CASE"
cp "$TMP/out" "$TMP/history"
check "history: the exit by clerk" grep -q "^2026-11-05 10:00:00  clerk  left the ledger $CASE" "$TMP/history"
check "history: the re-admission by lihua" grep -q "^2026-11-12 10:00:00  lihua  re-admitted $CASE" "$TMP/history"
check "history: the reason it left, kept" grep -q "Reason for leaving: parents returned -> (empty)" "$TMP/history"
check "history: the day it left, kept" grep -q "Date left: 2026-11-05 -> (empty)" "$TMP/history"
check "history: why it came back" grep -q "Reason for re-admission: (empty) -> 父母再次外出务工" "$TMP/history"
check "history: registered, left, back, in order" python3 - "$TMP/history" "$CASE" <<'EOF'
import sys
lines = [l for l in open(sys.argv[1]) if l[:4] == "2026" and " %s (" % sys.argv[2] in l]
acts = [a for l in lines for a in ("created", "left the ledger", "re-admitted") if "  " + a + " " in l]
sys.exit(acts != ["created", "left the ledger", "re-admitted"])
EOF
expect_code 0 "history as JSON" on "$H" --json history "$CASE"
check "history JSON: action readmit by lihua" grep -q '"action": *"readmit".*"user": *"lihua"\|"user": *"lihua".*"action": *"readmit"' "$TMP/out"

# Leaving again is dated no earlier than the way back
expect_code 3 "a second exit before the re-admission" on "$H" child exit "$CASE" \
	exit_reason=other exit_date=2026-11-10 --yes

# The month counts one exit and one re-admission; the counts hold
expect_code 0 "November's statistics" on "$H" --json stats --period 2026-11
check "November: one left, one back, one in the ledger" [ "$(json_get "$TMP/out" '" ".join(str(d["total"][k]) for k in ("registered", "exited", "exited_parents_returned", "readmitted", "in_ledger"))')" = "1 1 1 1 1" ]
expect_code 0 "November by village" on "$H" --json stats --period 2026-11 --by village
check "November by village: the row of 前进村" [ "$(json_get "$TMP/out" '[(r["village"], r["exited"], r["readmitted"]) for r in d["rows"]]')" = "[('220221100201', 1, 1)]" ]
expect_code 0 "check clean after the re-admission" on "$H" check
check "check: passed" has "$TMP/out" "Check passed"
check "check: the counts agree" has "$TMP/out" "agree with the records"

finish
