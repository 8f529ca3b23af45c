#!/bin/sh
# aid.sh - a child's assistance as dated entries through the command line,
# the clock pinned day by day: entries added, listed, ended (what is
# current and what ended), the child's file showing the current ones, the
# statistics of two months by programme against numbers counted by hand
# (a retroactive end does not change a month already over; a child with
# no entries counts by the old summary field), a village user refused,
# and the entries carried in a bundle to the county (gpg alone reads them;
# a forged entry is refused).
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE= TZ=Asia/Shanghai

need_gpg

H="$TMP/t"
day() {
	d=$1
	shift
	XIANGBAN_NOW="${d}T10:00:00" "$XB" --home "$H" "$@" >"$TMP/out" 2>"$TMP/err" ||
		fail "on $d: $*: $(cat "$TMP/err")"
}
case_of() { sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out" | head -n1; }
child() { # DAY NAME SEX BIRTH VILLAGE [FIELD=VALUE...]
	d=$1 n=$2 s=$3 b=$4 v=$5
	shift 5
	day "$d" child add name="$n" sex="$s" birth_date="$b" village_code="$v" \
		father_status=away mother_status=away guardian_relation=grandparent \
		guardian_name=奶奶 enrolment=in_school "$@"
}

day 2026-09-01 init --office 220221100 --name 示范镇
day 2026-09-01 village add 220221100001 前进村
day 2026-09-01 village add 220221100002 红旗村
XIANGBAN_NOW=2026-09-01T10:00:00 with_new_password demo "$H" user add cun role=village \
	villages=220221100001 >/dev/null 2>&1 || fail "user cun"

child 2026-09-05 李明 M 2012-03-01 220221100001
A=$(case_of)
child 2026-09-05 王芳 F 2016-05-06 220221100001
B=$(case_of)
# C's file holds the old summary only: 特困 (tekun), and no entries
child 2026-09-05 赵强 M 2014-07-07 220221100002 assistance=tekun
C=$(case_of)
child 2026-09-06 孙丽 F 2013-02-02 220221100002
D=$(case_of)

# A: 低保 since January, a temporary grant in September
day 2026-09-05 aid add "$A" programme=dibao start_date=2026-01-01 amount=300 per=month \
	granted_by=县民政局
check "first entry numbered H01" [ "$(case_of)/H01" = "$(sed -n 's/.*\(220221100-[0-9]*-[0-9X]\/H[0-9]*\).*/\1/p' "$TMP/out")" ]
day 2026-09-10 aid add "$A" programme=临时救助 start_date=2026-09-10 end_date=2026-09-30 \
	amount=800 per=一次
# B: the orphans' allowance from October (entered ahead), and a
# disability grant since June, ended on 15 October
day 2026-09-20 aid add "$B" programme=orphan start_date=2026-10-01 amount=600 per=month
day 2026-09-20 aid add "$B" programme=disability start_date=2026-06-01 granted_by=县残联
# D: 低保 from September; D leaves the ledger in October
day 2026-09-06 aid add "$D" programme=dibao start_date=2026-09-01

day 2026-09-30 aid list "$A"
check "list: 低保 current" grep -q "$A/H01 .*minimum living allowance.*\[current\]" "$TMP/out"
check "list: the grant current on its last day" grep -q "$A/H02 .*temporary.*\[current\]" "$TMP/out"
day 2026-10-01 aid list "$A"
check "list: the grant ended the day after" grep -q "$A/H02 .*\[ended\]" "$TMP/out"
check "list: 低保 still current" grep -q "$A/H01 .*\[current\]" "$TMP/out"
day 2026-09-25 aid list "$B"
check "list: the allowance not begun yet" grep -q "$B/H01 .*orphan.*\[not begun\]" "$TMP/out"
day 2026-09-25 --json aid list "$B" --current
check "list --current: the disability grant only" \
	[ "$(json_get "$TMP/out" '",".join(r["fields"]["programme"] for r in d)')" = disability ]

day 2026-10-05 child exit "$D" exit_reason=parents_returned exit_date=2026-10-05 --yes
day 2026-10-16 aid edit "$B/H02" end_date=2026-10-15
# A's 低保 found to have stopped in mid-September: ended after the month
day 2026-10-20 aid edit "$A/H01" end_date=2026-09-15
day 2026-10-20 history "$A"
check "history: the end of an entry, before and after" grep -q "Until: (empty) -> 2026-09-15" "$TMP/out"

# The child's file shows what is current
day 2026-10-20 child show "$B"
check "show: current assistance heading" has "$TMP/out" "[Assistance received now]"
check "show: the orphans' allowance" grep -q "$B/H01 .*orphan allowance.*600" "$TMP/out"
check "show: not the ended grant" sh -c "! grep -q '$B/H02' '$TMP/out'"
XIANGBAN_NOW=2026-10-20T10:00:00 LANGUAGE=zh_CN LANG=zh_CN.UTF-8 "$XB" --home "$H" child show "$B" >"$TMP/out" 2>&1
check "show in Chinese: 孤儿基本生活费 now" grep -q "孤儿基本生活费" "$TMP/out"
day 2026-10-20 --json child show "$A"
check "show --json: every entry, none current" \
	[ "$(json_get "$TMP/out" '[(a["id"][-3:], a["current"]) for a in d["aid"]]')" = "[('H01', False), ('H02', False)]" ]

# Refused: a village user enters or ends nothing; an end before the start
XIANGBAN_USER=cun expect_code 6 "village user adds" on "$H" aid add "$A" programme=dibao \
	start_date=2026-10-01
check "village user: the permission named" grep -qi "casework\|permission" "$TMP/err"
XIANGBAN_USER=cun expect_code 6 "village user ends" on "$H" aid edit "$A/H02" end_date=2026-10-01
expect_code 3 "end before start" on "$H" aid add "$A" programme=dibao start_date=2026-10-01 \
	end_date=2026-09-01
expect_code 3 "amount without how it is paid" on "$H" aid add "$A" programme=dibao \
	start_date=2026-10-01 amount=100
check "amount: says what is missing" has "$TMP/err" "Paid"
expect_code 5 "stale edit" on "$H" aid edit "$A/H01" --expect-version 1 note=x
expect_code 0 "aid fields" on "$H" aid fields
check "fields: the programmes" has "$TMP/out" "orphan"

# Statistics, printed in November, counted by hand:
# September (as held on 30 September): A 低保 + temporary, B disability
# (the allowance not begun), C tekun by the old field, D 低保.
# October: D gone; A nothing (低保 ended 15 September, as found on 20
# October; the grant ended 30 September); B orphan (disability ended 15
# October); C tekun.
stats() { XIANGBAN_NOW=2026-11-02T09:00:00 "$XB" --home "$H" --json stats "$@" >"$TMP/s.json" 2>"$TMP/err" || fail "stats $*: $(cat "$TMP/err")"; }
aidcols() { json_get "$TMP/s.json" '" ".join("%s=%d" % (k, d["total"][k]) for k in ["in_ledger", "assisted", "aid_dibao", "aid_tekun", "aid_temporary", "aid_orphan", "aid_disability", "aid_other"])'; }
stats --period 2026-09
check "September by programme: $(aidcols)" [ "$(aidcols)" = "in_ledger=4 assisted=4 aid_dibao=2 aid_tekun=1 aid_temporary=1 aid_orphan=0 aid_disability=1 aid_other=0" ]
stats --period 2026-10
check "October by programme: $(aidcols)" [ "$(aidcols)" = "in_ledger=3 assisted=2 aid_dibao=0 aid_tekun=1 aid_temporary=0 aid_orphan=1 aid_disability=0 aid_other=0" ]
stats --period 2026-10 --by village
check "October by village" [ "$(json_get "$TMP/s.json" '",".join("%s:%d:%d:%d" % (r["village"], r["assisted"], r["aid_orphan"], r["aid_tekun"]) for r in d["rows"])')" = "220221100001:1:1:0,220221100002:1:0:1" ]
XIANGBAN_NOW=2026-11-02T09:00:00 LANGUAGE=zh_CN LANG=zh_CN.UTF-8 "$XB" --home "$H" stats \
	--period 2026-10 >"$TMP/out" 2>"$TMP/err"
check "text table: the programmes in Chinese" has "$TMP/out" "孤儿"

# --- the entries go to the county in a bundle --------------------------
CO="$TMP/c"
STICK="$TMP/stick"
mkdir -p "$STICK"
XIANGBAN_NOW=2026-11-02T09:00:00
export XIANGBAN_NOW
office "$CO" 220221 示范县民政局
keys_both "$H" 220221100 "$CO" 220221 "$STICK"
expect_code 0 "township exports" on "$H" --json export --to "$STICK"
T1=$(json_get "$TMP/out" 'd["file"]')
check "export counts the entries" [ "$(json_get "$TMP/out" 'd["counts"]["aid"]')" = 5 ]
"$GPG" --homedir "$CO/gnupg" --batch --decrypt "$T1" >"$TMP/plain" 2>/dev/null
check "gpg --decrypt reads the bundle" [ -s "$TMP/plain" ]
check "gpg: the entries are in it" [ "$(grep -c '"kind":"aid"' "$TMP/plain")" = 5 ]
check "gpg: an entry's fields" grep -q "\"id\":\"$B/H01\".*\"programme\":\"orphan\".*\"amount\":\"600\"" "$TMP/plain"
check "manifest counts them" [ "$(head -n1 "$TMP/plain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["aid"])')" = 5 ]
expect_code 0 "county imports" on "$CO" import "$T1"
expect_code 0 "county reads A's entries" on "$CO" --json aid list "$A"
check "county: A's entries as sent" [ "$(json_get "$TMP/out" '[(r["id"][-3:], r["fields"].get("end_date")) for r in d]')" = "[('H01', '2026-09-15'), ('H02', '2026-09-30')]" ]
expect_code 6 "the county enters no township's assistance" on "$CO" aid add "$A" \
	programme=dibao start_date=2026-11-01

# Forged: an entry that ends before it starts, one under a child the
# county does not hold, signed by the township's own key
TF=$(fpr "$H")
CF=$(fpr "$CO")
forge() { # OUT PYTHON
	python3 - "$TMP/plain" "$TMP/forged" "$2" "$(sha256sum "$T1" | cut -d' ' -f1)" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
lines[0]["sequence"] = 2
lines[0]["previous_sha256"] = sys.argv[4]
aid = [l for l in lines if l.get("kind") == "aid"]
exec(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for l in lines:
        f.write(json.dumps(l, ensure_ascii=False) + "\n")
EOF
	"$GPG" --homedir "$H/gnupg" --batch --yes -q --trust-model always -u "$TF" -r "$CF" \
		--sign --encrypt -o "$1" "$TMP/forged" 2>/dev/null
}
forge "$TMP/backwards.gpg" 'aid[0]["fields"]["end_date"] = "2025-01-01"; aid[0]["version"] += 1'
expect_code 3 "an entry ending before it starts refused" on "$CO" import "$TMP/backwards.gpg"
check "refused: says which date" has "$TMP/err" "Until"
forge "$TMP/orphaned.gpg" 'aid[0]["id"] = "220221100-00099-5/H01"; aid[0]["fields"]["case_no"] = "220221100-00099-5"'
expect_code 3 "an entry under no child refused" on "$CO" import "$TMP/orphaned.gpg"
check "refused: not in the ledger" has "$TMP/err" "not in the ledger"
expect_code 0 "county: nothing of them landed" on "$CO" --json aid list "$A"
check "county: A's entries unchanged" [ "$(json_get "$TMP/out" 'd[0]["fields"]["end_date"]')" = 2026-09-15 ]

finish
