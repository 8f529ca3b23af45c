#!/bin/sh
# transfer.sh - a child's file goes with the family from township 100 to
# township 200 of county 220221, through the county, with real GnuPG
# homes: the old township keeps a closed file saying where the child went,
# the new one a new case referring to the old number with the child's
# data; bundles replayed land nothing twice, the county's bundles out of
# order are refused as a gap and then, in order, apply the transfer once;
# gpg alone reads the transfer in each bundle that carries it; and the
# child's way back (200 -> 100) brings the old file back to life.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE= TZ=Asia/Shanghai

need_gpg

T1="$TMP/t1" T2="$TMP/t2" C="$TMP/c"
STICK="$TMP/stick" KEYS="$TMP/keys"
mkdir -p "$STICK" "$KEYS"
at() { XIANGBAN_NOW=$1; export XIANGBAN_NOW; }
# file_of OUT: the bundle file an export's --json output names
file_of() { json_get "$1" 'd["file"]'; }
# carries FILE: the plaintext of bundle FILE, as gpg alone reads it with
# the county's key, holds a transfer line (the county reads every bundle
# it makes or takes)
plain() { "$GPG" --homedir "$C/gnupg" --batch -q --decrypt -o - "$1" 2>/dev/null; }
transfers_in() {
	plain "$1" | python3 -c '
import json, sys
n = 0
for line in sys.stdin:
    d = json.loads(line)
    if d.get("kind") == "transfer":
        f = json.loads(d["fields"]["file"])
        assert f["child"]["fields"]["name"] == "陈小东", f["child"]
        n += 1
print(n)'
}
# kids HOME: the children of the ledger in HOME with a previous case
kids_from() { on "$1" --json child list | python3 -c '
import json, sys
print(len([c for c in json.load(sys.stdin) if c["fields"].get("previous_case")]))'; }
nkids() { on "$1" --json child list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

at 2026-11-01T09:00:00
office "$T1" 220221100 城关镇 3
office "$T2" 220221200 河口镇 2
office "$C" 220221 示范县民政局
keys_both "$T1" 220221100 "$C" 220221 "$KEYS"
office_key "$T2" "$KEYS"
bind_key "$C" "$T2" 220221200 "$KEYS"
bind_key "$T2" "$C" 220221 "$KEYS"
V1=$(on "$T1" --json village list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["code"])')
V2=$(on "$T2" --json village list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["code"])')

# A child with an ID number, a visit, a report and a step in township 100
expect_code 0 "T1 registers the child" on "$T1" --json child add name=陈小东 \
	id_number=220221201503120018 village_code="$V1" father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=陈奶奶 enrolment=in_school
OLD=$(json_get "$TMP/out" 'd["id"]')
expect_code 0 "T1 logs a visit" on "$T1" visit add "$OLD" date=2026-11-01 visitor=李主任 \
	kind=home next_due=2026-12-01 problems=作业没人辅导
expect_code 0 "T1 files a report" on "$T1" report add "$OLD" category=accidental_injury \
	found_at="2026-11-01 08:00" found_by=王老师 reporter_kind=school description=摔伤
expect_code 0 "T1 adds a step" on "$T1" report step "$OLD/R01" step=reported \
	date="2026-11-01 09:00" by=王老师

# First bundles both ways, before any transfer
at 2026-11-05T09:00:00
expect_code 0 "T1 -> C no. 1" on "$T1" --json export --to "$STICK"
expect_code 0 "C takes T1's no. 1" on "$C" import "$(file_of "$TMP/out")"
expect_code 0 "C -> T2 no. 1" on "$C" --json export --to "$STICK" --office 220221200
expect_code 0 "T2 takes C's no. 1" on "$T2" import "$(file_of "$TMP/out")"

# What a transfer refuses
at 2026-11-10T09:00:00
expect_code 2 "transfer without --to" on "$T1" child transfer "$OLD"
expect_code 3 "transfer to this township" on "$T1" child transfer "$OLD" --to 220221100
check "own township: said" has "$TMP/err" "is this township"
expect_code 3 "transfer to another county" on "$T1" child transfer "$OLD" --to 220222100
check "unknown township: said" has "$TMP/err" "not a township of this county"
expect_code 3 "transfer to the county itself" on "$T1" child transfer "$OLD" --to 220221000
expect_code 6 "a village user may not transfer" env XIANGBAN_USER=cun "$XB" --home "$T1" \
	child transfer "$OLD" --to 220221200
expect_code 4 "transfer of no such case" on "$T1" child transfer 220221100-00099-5 --to 220221200

expect_code 2 "a transfer is confirmed (--yes without a terminal)" on "$T1" child transfer \
	"$OLD" --to 220221200
check "confirm: the child named" has "$TMP/err" "Transfer 陈小东 ($OLD) to township 220221200?"

# A clerk's transfer closes the file here, so it waits for a leader: the
# file stays open and nothing is sent until the leader approves it.
expect_code 0 "a clerk at T1" with_new_password wangpw "$T1" user add wang role=clerk
expect_code 0 "the clerk asks to transfer the child" env XB_PASSWORD=wangpw XIANGBAN_USER=wang \
	"$XB" --home "$T1" --json child transfer "$OLD" --to 220221200 --name 河口镇 \
	reason=随父母迁居 --yes
ASK=$(json_get "$TMP/out" 'd["request"]')
check "asked: request CASE/Q01" [ "$ASK" = "$OLD/Q01" ]
expect_code 0 "T1 reads the file" on "$T1" --json child show "$OLD"
check "asked: the child is still in the ledger" [ "$(json_get "$TMP/out" 'd["fields"]["status"]')" = active ]
expect_code 0 "the leader sees it waiting" on "$T1" approvals
check "approvals: the transfer, where to and why" has "$TMP/out" "transfer to township 220221200 河口镇, on 2026-11-10: 随父母迁居"
expect_code 5 "an exit while the transfer waits" on "$T1" child exit "$OLD" exit_reason=other --yes
check "exit: the waiting transfer named" has "$TMP/err" "$ASK"

# Approved: one transaction closes the file and writes the transfer
expect_code 0 "the leader approves the transfer" on "$T1" approve "$ASK"
MOVE="$OLD/M01"
expect_code 0 "T1 lists the transfer" on "$T1" --json child show "$OLD"
check "transfer id CASE/M01" [ "$(json_get "$TMP/out" 'd["transfers"][0]["id"]')" = "$MOVE" ]
expect_code 0 "the history" on "$T1" history "$OLD"
check "history: asked by wang" grep -q "wang" "$TMP/out"
expect_code 0 "T1 shows the closed file" on "$T1" child show "$OLD"
check "T1: where the child went" has "$TMP/out" "Transferred to 河口镇 (220221200) on 2026-11-10"
check "T1: the reason moved with the family" has "$TMP/out" "moved with the family"
check "T1: the transfer listed" has "$TMP/out" "$MOVE"
expect_code 0 "T1 lists the child as transferred" on "$T1" child list
check "T1: list says transferred" has "$TMP/out" "[transferred to 220221200]"
LANGUAGE=zh_CN LANG=zh_CN.UTF-8 on "$T1" child show "$OLD" >"$TMP/out" 2>&1
check "T1: 已转移至 in Chinese" has "$TMP/out" "已转移至 河口镇 (220221200)"
expect_code 3 "a child who left is not transferred again" on "$T1" child transfer "$OLD" --to 220221200
check "already left: said" has "$TMP/err" "already left"
expect_code 3 "a transferred child is not re-admitted here" on "$T1" child readmit "$OLD" reason=回来了
check "readmit refused: names the township" has "$TMP/err" "220221200"
expect_code 5 "the ID number cannot be registered again" on "$T1" child add name=陈小东 \
	id_number=220221201503120018 village_code="$V1" father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=陈奶奶 enrolment=in_school
check "re-registration names the case" has "$TMP/err" "$OLD"
expect_code 0 "T1: check clean" on "$T1" check
expect_code 0 "T1: November counts the move" on "$T1" --json stats --period 2026-11
check "T1: exited_moved 1" [ "$(json_get "$TMP/out" 'd["total"]["exited_moved"]')" = 1 ]

# township -> county: the transfer rides the next bundle
expect_code 0 "T1 -> C no. 2" on "$T1" --json export --to "$STICK"
T1B2=$(file_of "$TMP/out")
check "T1's no. 2 counts one transfer" [ "$(json_get "$TMP/out" 'd["counts"]["transfer"]')" = 1 ]
check "gpg reads the transfer in T1's no. 2" [ "$(transfers_in "$T1B2")" = 1 ]
expect_code 0 "C takes T1's no. 2" on "$C" import "$T1B2"
expect_code 0 "C takes T1's no. 2 again: a duplicate" on "$C" import "$T1B2"
check "C: replay said" has "$TMP/out" "imported before"
expect_code 0 "C shows the closed file" on "$C" child show "$OLD"
check "C: names the township by its office record or the transfer" has "$TMP/out" "Transferred to"
expect_code 0 "C: check clean" on "$C" check

# county -> townships: the transfer goes to 200 only
expect_code 0 "C -> T1 no. 1" on "$C" --json export --to "$STICK" --office 220221100
check "C's bundle to 100 carries no transfer" [ "$(json_get "$TMP/out" 'd["counts"]["transfer"]')" = 0 ]
expect_code 0 "T1 takes C's no. 1" on "$T1" import "$(file_of "$TMP/out")"
expect_code 0 "C -> T2 no. 2" on "$C" --json export --to "$STICK" --office 220221200
C2=$(file_of "$TMP/out")
check "C's no. 2 to 200 counts one transfer" [ "$(json_get "$TMP/out" 'd["counts"]["transfer"]')" = 1 ]
check "gpg reads the transfer in C's no. 2" [ "$(transfers_in "$C2")" = 1 ]
expect_code 0 "C -> T2 no. 3" on "$C" --json export --to "$STICK" --office 220221200
C3=$(file_of "$TMP/out")

# out of order: no. 3 before no. 2 is a gap, and lands nothing
before=$(nkids "$T2")
on "$T2" --json stats --period 2026-11 >"$TMP/t2-before.json" || fail "T2 stats"
registered=$(json_get "$TMP/t2-before.json" 'd["total"]["registered"]')
expect_code 3 "T2 refuses no. 3 before no. 2" on "$T2" import "$C3"
check "gap said" has "$TMP/err" "have not been imported"
check "gap: no child made" [ "$(nkids "$T2")" = "$before" ]
expect_code 0 "T2 takes no. 2" on "$T2" --json import "$C2"
check "T2: one child transferred in" [ "$(json_get "$TMP/out" 'd["transfers_in"]')" = 1 ]
expect_code 0 "T2 takes no. 3" on "$T2" import "$C3"
expect_code 0 "T2 takes no. 2 again: a duplicate" on "$T2" import "$C2"
check "T2: one new case" [ "$(nkids "$T2")" = $((before + 1)) ]
check "T2: one case from a transfer" [ "$(kids_from "$T2")" = 1 ]

# the new case: its own number, the old one remembered, the child's data
NEW=$(on "$T2" --json child list | python3 -c '
import json, sys
print([c["id"] for c in json.load(sys.stdin) if c["fields"].get("previous_case")][0])')
check "T2: numbered in 200" [ "${NEW%%-*}" = 220221200 ]
expect_code 0 "T2 shows the new case" on "$T2" --json child show "$NEW"
check "T2: previous case, name, ID, guardian" [ "$(json_get "$TMP/out" '"|".join(d["fields"][k] for k in ("previous_case","name","id_number","guardian_name","status"))')" = "$OLD|陈小东|220221201503120018|陈奶奶|active" ]
check "T2: no village yet" [ "$(json_get "$TMP/out" '"village_code" in d["fields"]')" = False ]
check "T2: flagged as needing a village" [ "$(json_get "$TMP/out" '"no_village" in d["flags"]')" = True ]
check "T2: the visit before the transfer readable" [ "$(json_get "$TMP/out" 'd["transferred_from"]["visits"][0]["fields"]["problems"]')" = 作业没人辅导 ]
check "T2: the report and its step readable" [ "$(json_get "$TMP/out" 'str(len(d["transferred_from"]["reports"]))+str(len(d["transferred_from"]["steps"]))')" = 11 ]
check "T2: no visit copied as its own" [ "$(json_get "$TMP/out" 'len(d["visits"])')" = 0 ]
expect_code 0 "T2 shows the new case as text" on "$T2" child show "$NEW"
check "T2: text names the case before" has "$TMP/out" "case $OLD of township 220221100"
check "T2: text lists the visit before" has "$TMP/out" "$OLD/V0001"
expect_code 0 "T2 lists those needing a village" on "$T2" child list --flag no_village
check "T2: the child needs a village" has "$TMP/out" "$NEW"
check "T2: list says so" has "$TMP/out" "needs a village"
expect_code 0 "T2: history says transferred in" on "$T2" history "$NEW"
check "T2: history action" has "$TMP/out" "transferred in"
expect_code 0 "T2: check clean" on "$T2" check
expect_code 0 "T2: November counts the arrival" on "$T2" --json stats --period 2026-11
check "T2: one more registered" [ "$(json_get "$TMP/out" 'd["total"]["registered"]')" = $((registered + 1)) ]
expect_code 0 "T2 gives the village" on "$T2" child edit "$NEW" village_code="$V2"
expect_code 0 "T2 lists those needing a village again" on "$T2" --json child list --flag no_village
check "T2: none needs a village now" [ "$(json_get "$TMP/out" 'len(d)')" = 0 ]

# the whole ledger again (--all) carries the transfer again: no duplicate
expect_code 0 "C -> T2 no. 4, everything" on "$C" --json export --to "$STICK" --office 220221200 --all
C4=$(file_of "$TMP/out")
check "gpg reads the transfer in C's no. 4" [ "$(transfers_in "$C4")" = 1 ]
expect_code 0 "T2 takes no. 4" on "$T2" --json import "$C4"
check "T2: no. 4 applies no transfer" [ "$(json_get "$TMP/out" 'd["transfers_in"]')" = 0 ]
check "T2: still one case from a transfer" [ "$(kids_from "$T2")" = 1 ]

# 200 -> county: the new case; the county holds both files
expect_code 0 "T2 -> C no. 1" on "$T2" --json export --to "$STICK"
expect_code 0 "C takes T2's no. 1" on "$C" import "$(file_of "$TMP/out")"
expect_code 0 "C shows the new case" on "$C" --json child show "$NEW"
check "C: the new case refers to the old" [ "$(json_get "$TMP/out" 'd["fields"]["previous_case"]')" = "$OLD" ]
expect_code 0 "C: check clean" on "$C" check

# The way back: 200 transfers the child to 100, whose old file comes back
at 2026-11-20T09:00:00
expect_code 0 "T2 transfers the child back to 100" on "$T2" child transfer "$NEW" --to 220221100 --yes
expect_code 0 "T2 -> C no. 2" on "$T2" --json export --to "$STICK"
T2B2=$(file_of "$TMP/out")
check "gpg reads the transfer in T2's no. 2" [ "$(transfers_in "$T2B2")" = 1 ]
expect_code 0 "C takes T2's no. 2" on "$C" import "$T2B2"
expect_code 0 "C -> T1 no. 2" on "$C" --json export --to "$STICK" --office 220221100
C1B2=$(file_of "$TMP/out")
check "gpg reads the transfer back" [ "$(transfers_in "$C1B2")" = 1 ]
expect_code 0 "C -> T1 no. 3" on "$C" --json export --to "$STICK" --office 220221100
C1B3=$(file_of "$TMP/out")
n1=$(nkids "$T1")
# no. 3 first, over the gap on purpose: it carries no transfer
expect_code 0 "T1 takes no. 3 with --allow-gap" on "$T1" --json import "$C1B3" --allow-gap
check "T1: no. 3 skipped one and applied no transfer" [ "$(json_get "$TMP/out" '(d["missing_before"], d["transfers_in"])')" = "(1, 0)" ]
expect_code 0 "T1 takes the skipped no. 2" on "$T1" --json import "$C1B2"
check "T1: the transfer taken in" [ "$(json_get "$TMP/out" 'd["transfers_in"]')" = 1 ]
check "T1: no new case: the old file is back" [ "$(nkids "$T1")" = "$n1" ]
expect_code 0 "T1 shows the old file" on "$T1" --json child show "$OLD"
check "T1: back in the ledger, from the 200 case" [ "$(json_get "$TMP/out" '"|".join((d["fields"]["status"], d["fields"]["previous_case"], str("transferred_to" in d["fields"]), d["fields"]["village_code"]))')" = "active|$NEW|False|$V1" ]
expect_code 0 "T1 takes it again: a duplicate" on "$T1" import "$C1B2"
expect_code 0 "T1: check clean" on "$T1" check
expect_code 0 "T2: check clean after" on "$T2" check

# every ledger's files sound
for h in "$T1" "$T2" "$C"; do
	check "db_verify $h" db_verify_all "$h"
done

finish
