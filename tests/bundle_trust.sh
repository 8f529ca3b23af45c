#!/bin/sh
# bundle_trust.sh - a bundle carries only records its signer owns, in the
# order its numbers say, and nothing of it reaches the store before its
# signature is verified. Forged bundles are signed with a real office key
# by gpg alone, as an office that turned on its neighbours would; each is
# refused whole, naming the line, and writes nothing. `check` finds forged
# records already in a ledger.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_gpg
need_writer

# Townships T and U of county C.
T="$TMP/t" U="$TMP/u" C="$TMP/c"
STICK="$TMP/stick"
mkdir -p "$STICK"
XIANGBAN_NOW=2026-11-01T09:00:00
export XIANGBAN_NOW
# What a refused import must not change.
state() { { on "$1" --json child list; on "$1" --json bundles --received; on "$1" --json offices; on "$1" --json conflicts; } 2>&1 | md5sum; }

office "$T" 220221100 城关镇 4
office "$U" 220221101 河口镇 4
office "$C" 220221 示范县民政局
for h in "$T" "$U" "$C"; do
	office_key "$h" "$STICK"
done
TF=$(fpr "$T") UF=$(fpr "$U") CF=$(fpr "$C")
bind_key "$C" "$T" 220221100 "$STICK"
bind_key "$C" "$U" 220221101 "$STICK"
for h in "$T" "$U"; do
	bind_key "$h" "$C" 220221 "$STICK"
done

XIANGBAN_NOW=2026-11-02T09:00:00
T1=$(on "$T" --json export --to "$STICK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])')
U1=$(on "$U" --json export --to "$STICK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])')
expect_code 0 "C imports T's first bundle" on "$C" import "$T1"
expect_code 0 "C imports U's first bundle" on "$C" import "$U1"
"$GPG" --homedir "$T/gnupg" --batch -q --decrypt -o "$TMP/t1.txt" "$T1" 2>/dev/null || die "T reads T1"
"$GPG" --homedir "$U/gnupg" --batch -q --decrypt -o "$TMP/u1.txt" "$U1" 2>/dev/null || die "U reads U1"
PREV=$(sha256sum "$T1" | cut -d' ' -f1)
export PREV

# forge OUT SIGNER-HOME SIGNER-FPR RECEIVER-FPR PYTHON: the manifest of T's
# bundle 1 as bundle 2 (or as the python says), then the lines the python
# puts in `lines`; t and u are the records of T's and U's first bundles.
forge() {
	python3 - "$TMP/t1.txt" "$TMP/u1.txt" "$TMP/forged.txt" "$5" <<'EOF'
import copy, json, os, sys
t = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
u = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
manifest = copy.deepcopy(t[0])
manifest["sequence"] = 2
manifest["previous_sha256"] = os.environ["PREV"]
t, u = t[1:], u[1:]
def first(recs, kind):
    return copy.deepcopy(next(r for r in recs if r["kind"] == kind))
lines = []
exec(sys.argv[4])
counts = {}
for r in lines:
    counts[r["kind"]] = counts.get(r["kind"], 0) + 1
manifest.setdefault("counts", {})
for k in ("office", "child", "visit", "report", "step"):
    manifest["counts"][k] = counts.get(k, 0)
manifest["records"] = len(lines)
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for l in [manifest] + lines:
        f.write(json.dumps(l, ensure_ascii=False) + "\n")
EOF
	"$GPG" --homedir "$2/gnupg" --batch --yes -q --trust-model always -u "$3" -r "$4" \
		--sign --encrypt -o "$1" "$TMP/forged.txt" 2>/dev/null || die "gpg signs $1"
}

S=$(state "$C")
# refused NAME FILE TEXT [HOME]: exit 3, TEXT in the message, nothing written.
refused() {
	n=$1 f=$2 t=$3 h=${4:-$C}
	s=$(state "$h")
	expect_code 3 "$n: refused" on "$h" import "$f"
	check "$n: message" has "$TMP/err" "$t"
	check "$n: nothing written" [ "$(state "$h")" = "$s" ]
}

# --- who may send what ---------------------------------------------------
forge "$TMP/a1.gpg" "$T" "$TF" "$CF" '
c = first(u, "child"); c["origin"] = "220221"; c["fields"]["name"] = "伪造"
lines = [c]'
refused "T sends U's child as the county's" "$TMP/a1.gpg" "Line 2 of the bundle:"
check "the message names U's numbering" has "$TMP/err" "numbered by office 220221101"
forge "$TMP/a2.gpg" "$T" "$TF" "$CF" '
c = first(u, "child"); c["fields"]["name"] = "伪造"; c["version"] += 5
lines = [c]'
refused "T sends U's child as U's" "$TMP/a2.gpg" "belongs to office 220221101, which may not send it"
forge "$TMP/a3.gpg" "$T" "$TF" "$CF" '
c = first(u, "child"); c["id"] = c["fields"]["case_no"] = "220221101-00099-7"
lines = [c]'
refused "T injects a child into U's numbering" "$TMP/a3.gpg" "220221101-00099-7 belongs to office 220221101"
forge "$TMP/a4.gpg" "$T" "$TF" "$CF" '
lines = [{"kind": "office", "id": "220221", "origin": "220221", "version": 9,
          "changed_at": 1790000000, "changed_by": "x", "fields": {"name": "伪县"}}]'
refused "T renames the county's office" "$TMP/a4.gpg" "220221 belongs to office 220221,"
forge "$TMP/a5.gpg" "$T" "$TF" "$CF" '
o = first(u, "office"); o["fields"]["name"] = "伪镇"; o["version"] += 1
lines = [o]'
refused "T renames U's office" "$TMP/a5.gpg" "220221101 belongs to office 220221101"
forge "$TMP/a6.gpg" "$T" "$TF" "$CF" '
v = first(u, "visit"); v["fields"]["problems"] = "伪造"; v["version"] += 1
lines = [v]'
refused "T changes a visit of U's child" "$TMP/a6.gpg" "belongs to office 220221101"
forge "$TMP/a7.gpg" "$T" "$TF" "$CF" '
v = first(t, "visit"); v["id"] = "totally-bogus-id"
lines = [v]'
refused "a visit with a made-up id" "$TMP/a7.gpg" "totally-bogus-id is not an id this ledger gives"
forge "$TMP/a8.gpg" "$T" "$TF" "$CF" '
v = first(t, "visit"); v["id"] = v["fields"]["case_no"] + "/V0999"
v["fields"]["case_no"] = first(u, "child")["id"]
lines = [v]'
refused "a visit of T naming U's child" "$TMP/a8.gpg" "names another case"
forge "$TMP/a9.gpg" "$T" "$TF" "$CF" '
v = first(t, "visit"); v["id"] = "220221100-00099-5/V0001"; v["fields"]["case_no"] = "220221100-00099-5"
lines = [v]'
refused "a visit under a child nobody registered" "$TMP/a9.gpg" "which is not in the ledger"
forge "$TMP/a10.gpg" "$T" "$TF" "$CF" '
v = first(u, "visit"); v["id"] = v["fields"]["case_no"] + "/V0999"
lines = [first(t, "child"), v]'
refused "a good line, then a visit added under U's child" "$TMP/a10.gpg" "Line 3 of the bundle:"
forge "$TMP/a11.gpg" "$T" "$TF" "$CF" '
manifest["settings"] = {"assessment_due_days": "0", "services_due_days": "15"}
lines = [first(t, "child")]'
refused "a deadline setting out of range" "$TMP/a11.gpg" "setting assessment_due_days is \"0\""
check "the message says what it takes" has "$TMP/err" "from 1 to 366"
check "the ledger of C still checks out" on "$C" check

# What T owns still comes in: its own child changed, under bundle 2.
forge "$TMP/ok.gpg" "$T" "$TF" "$CF" '
c = first(t, "child"); c["fields"]["notes"] = "转学"; c["version"] += 1
lines = [c, first(t, "visit")]'
expect_code 0 "T's own records come in" on "$C" import "$TMP/ok.gpg"
check "T's own: updated 1" has "$TMP/out" "updated 1"
TOK=$TMP/ok.gpg

# The county sends a township its own records back, never another's.
forge "$TMP/c1.gpg" "$C" "$CF" "$UF" '
manifest["from"] = "220221"; manifest["to"] = "220221101"; manifest["sequence"] = 1
manifest["previous_sha256"] = ""
c = first(t, "child"); c["fields"]["name"] = "伪造"
lines = [c]'
refused "the county sends U a child of T" "$TMP/c1.gpg" "belongs to office 220221100, which may not send it" "$U"
forge "$TMP/c2.gpg" "$C" "$CF" "$UF" '
manifest["from"] = "220221"; manifest["to"] = "220221101"; manifest["sequence"] = 1
manifest["previous_sha256"] = ""
c = first(u, "child"); c["fields"]["notes"] = "县里核实"; c["version"] += 1
lines = [c]'
expect_code 0 "the county sends U its own child back" on "$U" import "$TMP/c2.gpg"
check "U takes its own child back" has "$TMP/out" "updated 1"

# --- the order of bundles --------------------------------------------------
for bad in 0 -1 '"3"' 1e3 10000000000; do
	forge "$TMP/seq.gpg" "$T" "$TF" "$CF" "manifest['sequence'] = $bad
lines = [first(t, 'child')]"
	refused "sequence $bad" "$TMP/seq.gpg" "sequence number is not a whole number"
done
forge "$TMP/again1.gpg" "$T" "$TF" "$CF" '
manifest["sequence"] = 1; manifest["previous_sha256"] = ""
c = first(t, "child"); c["fields"]["name"] = "伪造"; c["version"] += 9
lines = [c]'
refused "another bundle 1" "$TMP/again1.gpg" "Bundle 1 from office 220221100 was imported before, and this file is not that bundle"
expect_code 0 "the real bundle 1 again is a replay" on "$C" import "$T1"
check "replay said" has "$TMP/out" "imported before"
forge "$TMP/noprev.gpg" "$T" "$TF" "$CF" '
manifest["sequence"] = 3; del manifest["previous_sha256"]
lines = [first(t, "child")]'
refused "no previous bundle named" "$TMP/noprev.gpg" "does not name the bundle before it"
forge "$TMP/wrongprev.gpg" "$T" "$TF" "$CF" '
manifest["sequence"] = 3; manifest["previous_sha256"] = "0" * 64
lines = [first(t, "child")]'
refused "another bundle named before" "$TMP/wrongprev.gpg" "does not follow the bundle 2"
s=$(state "$C")
expect_code 3 "another bundle named before, with --allow-gap" on "$C" import "$TMP/wrongprev.gpg" --allow-gap
check "--allow-gap does not pass over a fork" has "$TMP/err" "does not follow"
check "--allow-gap fork: nothing written" [ "$(state "$C")" = "$s" ]
PREV=$(sha256sum "$TOK" | cut -d' ' -f1)
forge "$TMP/gap.gpg" "$T" "$TF" "$CF" '
manifest["sequence"] = 6
lines = [first(t, "child")]'
expect_code 0 "a forward gap with --allow-gap" on "$C" import "$TMP/gap.gpg" --allow-gap
check "the missing bundles are counted" has "$TMP/out" "3 bundle(s) before it"

# --- nothing before the signature ---------------------------------------
# An unsigned bundle of many good visit lines: refused after one pass of
# decryption, without a byte of it in the store's log.
python3 - "$TMP/t1.txt" "$TMP/many.txt" <<'EOF'
import copy, json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
m, visit = lines[0], next(l for l in lines[1:] if l["kind"] == "visit")
m["sequence"] = 7
m["previous_sha256"] = "0" * 64
n = 20000
m["counts"] = {"office": 0, "child": 0, "visit": n, "report": 0, "step": 0}
m["records"] = n
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(json.dumps(m, ensure_ascii=False) + "\n")
    for i in range(n):
        v = copy.deepcopy(visit)
        v["id"] = "%s/V%04d" % (v["fields"]["case_no"], 1000 + i)
        f.write(json.dumps(v, ensure_ascii=False) + "\n")
EOF
"$GPG" --homedir "$T/gnupg" --batch --yes -q -r "$CF" --encrypt -o "$TMP/many.gpg" "$TMP/many.txt" ||
	die "gpg encrypts the unsigned bundle"
logs_size() { cat "$C"/log.* | wc -c; }
before=$(logs_size)
refused "an unsigned bundle of 20,000 visits" "$TMP/many.gpg" "unsigned"
after=$(logs_size)
check "the unsigned bundle wrote nothing to the log ($before -> $after bytes)" \
	[ $((after - before)) -lt 65536 ]

# --- check finds forged records already in a ledger -------------------
expect_code 0 "C checks out before the forgeries" on "$C" check
UCASE=$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][2]["id"])' "$TMP/u1.txt")
"$XB_WRITER" --home "$C" put visit "$UCASE/V0777" 220221100 case_no="$UCASE" date=2026-10-01 \
	visitor=某人 kind=home >/dev/null || die "writer puts a forged visit"
"$XB_WRITER" --home "$C" put visit totally-bogus-id 220221100 case_no="$UCASE" date=2026-10-01 \
	visitor=某人 kind=home >/dev/null || die "writer puts a bogus visit"
"$XB_WRITER" --home "$C" put visit 220221100-00099-5/V0001 220221100 case_no=220221100-00099-5 \
	date=2026-10-01 visitor=某人 kind=home >/dev/null || die "writer puts an orphan visit"
expect_code 1 "check finds the forged records" on "$C" check
check "check: a visit under another office's child" has "$TMP/out" "$UCASE/V0777: $UCASE/V0777 is numbered by office 220221101, but its origin says office 220221100"
check "check: a made-up id" has "$TMP/out" "totally-bogus-id is not an id"
check "check: a visit under no child" has "$TMP/out" "which is not in the ledger"
check "check: 3 bad records" has "$TMP/out" "3 bad records"

db_verify_all "$C" || fail "db_verify of C"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
