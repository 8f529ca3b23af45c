#!/bin/sh
# bundles.sh - township and county exchange bundles with real GnuPG homes:
# keys and their binding, a round trip township -> county -> township,
# gpg alone reading what we export, a conflict settled, and every way a
# bundle is refused (each with its own message, writing nothing).
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_gpg

# Offices: township T and its county C, township B of the same county,
# and Z, whose key nobody bound.
T="$TMP/t" C="$TMP/c" B="$TMP/b" Z="$TMP/z"
STICK="$TMP/stick"
mkdir -p "$STICK"
at() { XIANGBAN_NOW=$1; export XIANGBAN_NOW; }
# What an import must not change: the records, the import log, conflicts.
state() { { on "$1" --json child list; on "$1" --json report list; on "$1" --json bundles --received; on "$1" --json conflicts; } 2>&1 | md5sum; }

at 2026-11-01T09:00:00
office "$T" 220221100 城关镇 12
office "$C" 220221 示范县民政局
office "$B" 220221200 河口镇 3
office "$Z" 220221300 外来镇

# Keys: made, exported, the fingerprint shown in groups for the phone.
for h in "$T" "$C" "$B" "$Z"; do
	expect_code 0 "keys init $h" on "$h" keys init --no-passphrase
done
check "fingerprint in groups" grep -Eq '^Fingerprint: ([0-9A-F]{4} ){9}[0-9A-F]{4}$' "$TMP/out"
expect_code 5 "second key refused" on "$T" keys init --no-passphrase
for h in "$T" "$C" "$B" "$Z"; do
	expect_code 0 "keys export $h" on "$h" keys export "$STICK/$(basename "$h").asc"
done
check "public key armoured" has "$STICK/t.asc" "BEGIN PGP PUBLIC KEY BLOCK"
TF=$(fpr "$T") CF=$(fpr "$C") BF=$(fpr "$B") ZF=$(fpr "$Z")

# Binding needs the fingerprint confirmed; a wrong one imports nothing.
expect_code 3 "bind without confirmation" on "$C" keys import "$STICK/t.asc" --office 220221100
check "asks for the fingerprint" has "$TMP/err" "--fingerprint"
expect_code 3 "bind with a wrong fingerprint" on "$C" keys import "$STICK/t.asc" \
	--office 220221100 --fingerprint "$BF"
check "wrong fingerprint said" has "$TMP/err" "differs"
expect_code 0 "C binds T (grouped fpr)" on "$C" keys import "$STICK/t.asc" --office 220221100 \
	--fingerprint "$(echo "$TF" | sed 's/..../& /g')"
expect_code 0 "C binds B" on "$C" keys import "$STICK/b.asc" --office 220221200 --fingerprint "$BF"
for h in "$T" "$B" "$Z"; do
	expect_code 0 "$h binds C" on "$h" keys import "$STICK/c.asc" --office 220221 --fingerprint "$CF"
done
expect_code 0 "peers listed" on "$C" keys peers
check "peer T listed" has "$TMP/out" "220221100"

# --- township -> county ------------------------------------------------
at 2026-11-02T09:00:00
expect_code 0 "T exports" on "$T" --json export --to "$STICK"
T1=$(json_get "$TMP/out" 'd["file"]')
check "file names office, receiver, sequence, date" \
	[ "$(basename "$T1")" = xiangban-220221100-to-220221-000001-20261102.gpg ]
check "all 12 children in the first bundle" [ "$(json_get "$TMP/out" 'd["children"]')" = 12 ]
check "no temporary file left" [ "$(ls -A "$STICK" | grep -c '^\.')" = 0 ]

# gpg alone reads and verifies it, as the county's staff might.
"$GPG" --homedir "$C/gnupg" --batch --status-fd 3 --decrypt "$T1" >"$TMP/plain" 2>/dev/null 3>"$TMP/status"
check "gpg --decrypt succeeds" [ $? -eq 0 ]
check "gpg: good signature by T" grep -q "VALIDSIG $TF" "$TMP/status"
check "plaintext starts with the manifest" \
	[ "$(head -n1 "$TMP/plain" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["format"], d["from"], d["to"], d["sequence"])')" = "xiangban-bundle 220221100 220221 1" ]
check "one line a record" [ "$(($(wc -l <"$TMP/plain") - 1))" = "$(head -n1 "$TMP/plain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')" ]
gpg_read() { "$GPG" --homedir "$1/gnupg" --batch -q --decrypt -o "$3" "$2" 2>/dev/null; }
check "T can read its own bundle" gpg_read "$T" "$T1" /dev/null
# A record's fields come in the schema's order.
on "$T" --json child fields >"$TMP/fields.json"
check "fields in the order of the schema" python3 - "$TMP/plain" "$TMP/fields.json" <<'EOF'
import json, sys
order = [f["key"] for f in json.load(open(sys.argv[2]))]
child = next(json.loads(l) for l in open(sys.argv[1], encoding="utf-8")
             if json.loads(l).get("kind") == "child")
keys = [k for k in child["fields"] if k in order]  # hidden ones are not listed
sys.exit(0 if len(keys) > 10 and keys == [k for k in order if k in keys] else 1)
EOF

expect_code 0 "C imports T's bundle" on "$C" import "$T1"
check "import counts" has "$TMP/out" "new "
expect_code 0 "C lists T's children" on "$C" --json child list
check "12 children at the county" [ "$(json_get "$TMP/out" 'len(d)')" = 12 ]
CASE=$(json_get "$TMP/out" 'd[0]["id"]')
expect_code 0 "offices" on "$C" offices
check "offices: last bundle no. 1" has "$TMP/out" "no. 1, made 2026-11-02"
check "offices: children held" has "$TMP/out" "children held: 12"
expect_code 0 "import log" on "$C" bundles --received
check "import log names T and no. 1" has "$TMP/out" "from 220221100  no. 1"

# A replay changes nothing and says so.
S=$(state "$C")
expect_code 0 "replay" on "$C" import "$T1"
check "replay said" has "$TMP/out" "imported before"
check "replay wrote nothing" [ "$(state "$C")" = "$S" ]

# --- the refusals: each its own message, nothing written ---------------
S=$(state "$C")
refused() { # NAME FILE TEXT [OPTIONS]
	n=$1 f=$2 t=$3
	shift 3
	expect_code 3 "$n refused" on "$C" import "$f" "$@"
	check "$n: message" has "$TMP/err" "$t"
	check "$n: nothing written" [ "$(state "$C")" = "$S" ]
}
# Plaintext of T's bundle 1, changed by python, signed by $2's key and
# encrypted to C with gpg alone.
forge() { # OUT SIGNER-HOME SIGNER-FPR PYTHON-EXPR-ON-LINES
	python3 - "$TMP/plain" "$TMP/forged" "$4" <<'EOF'
import json, os, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
# As if it followed bundle 1, unless the change says otherwise.
lines[0]["previous_sha256"] = os.environ["PREV"]
exec(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for l in lines:
        f.write(json.dumps(l, ensure_ascii=False) + "\n")
EOF
	"$GPG" --homedir "$2/gnupg" --batch --yes -q --trust-model always -u "$3" -r "$CF" \
		--sign --encrypt -o "$1" "$TMP/forged" 2>/dev/null
}
PREV=$(sha256sum "$T1" | cut -d' ' -f1)
export PREV

cp "$T1" "$TMP/flipped.gpg"
size=$(stat -c %s "$T1")
# Every bit of the middle byte inverted: writing a fixed value would leave
# the file as it was when that byte already held it (1 run in 256).
byte=$(od -An -tu1 -j $((size / 2)) -N1 "$T1" | tr -d ' ')
printf "\\$(printf '%03o' $((255 - byte)))" |
	dd of="$TMP/flipped.gpg" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cmp -s "$T1" "$TMP/flipped.gpg" && die "the flipped copy is the same as the bundle"
refused "flipped byte" "$TMP/flipped.gpg" "damaged"
head -c $((size - 200)) "$T1" >"$TMP/truncated.gpg"
refused "truncated" "$TMP/truncated.gpg" "damaged"
# Cut anywhere, from the first packet's header to the last byte: damaged,
# never "not for this office" nor "of another kind".
for cut in 1 3 20 50 100 400 $((size / 2)) $((size - 100)) $((size - 20)) $((size - 1)); do
	head -c "$cut" "$T1" >"$TMP/cut.gpg"
	expect_code 3 "cut at $cut refused" on "$C" import "$TMP/cut.gpg"
	check "cut at $cut: damaged or incomplete" has "$TMP/err" "damaged or incomplete"
done
forge "$TMP/unknown.gpg" "$Z" "$ZF" 'lines[0]["sequence"] = 2'
refused "unknown signer" "$TMP/unknown.gpg" "unknown key"
forge "$TMP/b-as-t.gpg" "$B" "$BF" 'lines[0]["sequence"] = 2'
refused "B claiming to be T" "$TMP/b-as-t.gpg" "signed by another key"
forge "$TMP/other.gpg" "$T" "$TF" 'lines[0]["to"] = "220222"; lines[0]["sequence"] = 2'
refused "addressed elsewhere" "$TMP/other.gpg" "addressed to office 220222"
forge "$TMP/newer.gpg" "$T" "$TF" 'lines[0]["schema_version"] = 99; lines[0]["sequence"] = 2'
refused "newer schema" "$TMP/newer.gpg" "newer xiangban"
forge "$TMP/badline.gpg" "$T" "$TF" 'lines[0]["sequence"] = 2; [l for l in lines if l.get("kind") == "child"][2]["fields"]["id_number"] = "220221201012150019"'
# Manifest, office, then children: the third child is line 5.
refused "bad record" "$TMP/badline.gpg" "Line 5 of the bundle: ID number"
forge "$TMP/short.gpg" "$T" "$TF" 'lines[0]["sequence"] = 2; del lines[-1]'
refused "fewer records than the manifest" "$TMP/short.gpg" "incomplete"
forge "$TMP/huge.gpg" "$T" "$TF" 'lines[0]["sequence"] = 2; lines[3]["fields"]["notes"] = "x" * 5000000'
refused "a line longer than any record" "$TMP/huge.gpg" "longer than any record"
forge "$TMP/gap.gpg" "$T" "$TF" 'lines[0]["sequence"] = 3'
refused "gap" "$TMP/gap.gpg" "Bundles 2 to 2 from office 220221100 have not been imported"
"$GPG" --homedir "$T/gnupg" --batch --yes -q -r "$CF" --encrypt -o "$TMP/unsigned.gpg" "$TMP/plain"
refused "unsigned" "$TMP/unsigned.gpg" "unsigned"
B1=$(on "$B" --json export --to "$STICK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])')
mv "$B1" "$TMP/to-county.gpg"
expect_code 3 "not for us refused" on "$T" import "$TMP/to-county.gpg"
check "not for us: message" has "$TMP/err" "not encrypted to this office"
# A revoked binding trusts nothing more.
expect_code 0 "revoke B" on "$C" keys revoke 220221200
expect_code 3 "revoked office refused" on "$C" import "$TMP/to-county.gpg"
check "revoked: message" has "$TMP/err" "revoked"

# --- a full stick: no file, the sequence stays --------------------------
at 2026-11-03T09:00:00
on "$T" child exit "$CASE" exit_reason=parents_returned exit_date=2026-11-03 --yes >/dev/null ||
	fail "exit a child at T"
mkdir "$TMP/full"
(ulimit -f 2; on "$T" export --to "$TMP/full" --all) >"$TMP/out" 2>"$TMP/err"
check "full disk: failure" [ $? -eq 1 ]
check "full disk: message" has "$TMP/err" "is full"
check "full disk: no file left" [ -z "$(ls -A "$TMP/full")" ]
expect_code 0 "peers after the full disk" on "$T" --json keys peers
check "full disk: sequence unchanged" [ "$(json_get "$TMP/out" 'd[0]["sent_sequence"]')" = 1 ]
expect_code 3 "export to a missing folder" on "$T" export --to "$TMP/nowhere"

# --- changes only; a gap imported when asked; a late bundle ------------
expect_code 0 "T exports its change" on "$T" --json export --to "$STICK"
check "second bundle: only the changed child" [ "$(json_get "$TMP/out" 'd["children"]')" = 1 ]
check "second bundle is no. 2" [ "$(json_get "$TMP/out" 'd["sequence"]')" = 2 ]
T2=$(json_get "$TMP/out" 'd["file"]')
CASE2=$(on "$T" --json child list | python3 -c 'import json,sys; print(json.load(sys.stdin)[1]["id"])')
on "$T" child edit "$CASE2" school=河口中心小学 >/dev/null || fail "edit at T"
expect_code 0 "T exports no. 3" on "$T" --json export --to "$STICK"
T3=$(json_get "$TMP/out" 'd["file"]')
expect_code 3 "no. 3 before no. 2 refused" on "$C" import "$T3"
check "gap: message" has "$TMP/err" "Bundles 2 to 2 from office 220221100 have not been imported"
expect_code 0 "a gap is imported when asked" on "$C" import "$T3" --allow-gap
check "gap shown" has "$TMP/out" "1 bundle(s) before it"
expect_code 0 "C imports no. 2 late" on "$C" import "$T2"
check "late bundle imported" has "$TMP/out" "updated 1"
on "$C" --json child show "$CASE" >"$TMP/show.json"
check "county sees the exit" [ "$(json_get "$TMP/show.json" 'd["fields"]["status"]')" = exited ]
on "$C" --json child show "$CASE2" >"$TMP/show.json"
check "county sees the new school" [ "$(json_get "$TMP/show.json" 'd["fields"]["school"]')" = 河口中心小学 ]
expect_code 0 "late bundle: no. 2 now a replay" on "$C" import "$T2"
check "late bundle replay said" has "$TMP/out" "imported before"

# Both sides add a step to the same open report: a conflict, kept. A
# county changes no township's record now (C's own leader is refused);
# one from before accounts may have: tests/writer makes that change.
at 2026-11-04T09:00:00
on "$T" report add "$CASE2" category=家庭暴力 found_at="2026-11-04 08:10" found_by=王老师 \
	reporter_kind=school description=手臂有淤青 >/dev/null 2>&1 || fail "report at T"
R=$(on "$T" --json report list | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["fields"].get("status") == "open"][0])')
expect_code 0 "T sends the report" on "$T" --json export --to "$STICK"
expect_code 0 "C imports the report" on "$C" import "$(json_get "$TMP/out" 'd["file"]')"
at 2026-11-05T09:00:00
expect_code 6 "C's leader adds no step to T's report" on "$C" report step "$R" \
	step=township_notified date="2026-11-05 09:00" by=县民政局
check "refused: T's record" has "$TMP/err" "belongs to office 220221100"
expect_code 0 "C as before accounts adds a step" "$XB_WRITER" --home "$C" oldstep "$R" \
	township_notified "2026-11-05T09:00" 县民政局
expect_code 0 "T adds a step" on "$T" report step "$R" step=reported date="2026-11-05 10:00" by=王老师
at 2026-11-06T09:00:00
expect_code 0 "C sends to T" on "$C" --json export --to "$STICK" --office 220221100
C1=$(json_get "$TMP/out" 'd["file"]')
check "county's bundle holds no other township's records" \
	gpg_read "$T" "$C1" "$TMP/cplain"
check "nothing of township B" [ "$(grep -c 220221200 "$TMP/cplain")" = 0 ]
expect_code 0 "T imports the county's bundle" on "$T" import "$C1"
check "conflict counted" has "$TMP/out" "conflicts 2"
expect_code 0 "conflicts listed" on "$T" --json conflicts
check "the report is in conflict" [ "$(json_get "$TMP/out" '[c["id"] for c in d if c["kind"] == "report"][0]')" = "$R" ]
check "both stages shown" [ "$(json_get "$TMP/out" '[c for c in d if c["kind"] == "report"][0]["fields"]["stage"]["theirs"]')" = township_notified ]
on "$T" --json report show "$R" >"$TMP/ours.json"
check "ours kept meanwhile" [ "$(json_get "$TMP/ours.json" 'd["fields"]["stage"]')" = reported ]
for id in $(json_get "$TMP/out" '" ".join(c["id"] for c in d)'); do
	expect_code 0 "settle $id" on "$T" conflicts settle "$id" --keep theirs
done
expect_code 0 "no conflicts left" on "$T" conflicts
check "none left" has "$TMP/out" "No conflicts"
on "$T" --json report show "$R" >"$TMP/ours.json"
check "theirs taken" [ "$(json_get "$TMP/ours.json" 'd["fields"]["stage"]')" = township_notified ]
expect_code 0 "history names the settling" on "$T" history "$R"
check "history: settled" has "$TMP/out" "conflict settled"

# The settled version goes back and wins there.
at 2026-11-07T09:00:00
expect_code 0 "T sends the settled report" on "$T" --json export --to "$STICK"
expect_code 0 "C takes it" on "$C" import "$(json_get "$TMP/out" 'd["file"]')"
check "settled version replaces the county's" has "$TMP/out" "conflicts 0"

# --- an import killed at any moment leaves nothing half done -------------
K="$TMP/k"
office "$K" 220221400 新安镇 3000
office_key "$K" "$STICK"
bind_key "$K" "$C" 220221 "$STICK"
bind_key "$C" "$K" 220221400 "$STICK"
# A temporary file an export killed long ago left on the stick.
touch -d '1 hour ago' "$STICK/.xiangban-export-old123"
K1=$(on "$K" --json export --to "$STICK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])')
check "a stale temporary file is taken away" [ ! -e "$STICK/.xiangban-export-old123" ]
k_children() {
	on "$C" --json child list | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["id"].startswith("220221400-")))'
}
for round in 1 2 3 4 5 6; do
	"$XB" --home "$C" import "$K1" >/dev/null 2>&1 &
	pid=$!
	sleep_ms "$(rand_between 60 550)"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(k_children)
	check "killed import $round: all or nothing ($n)" [ "$n" = 0 -o "$n" = 3000 ]
	db_verify_all "$C" || fail "db_verify after killed import $round"
	[ "$n" = 3000 ] && break
done
expect_code 0 "import after the kills" on "$C" import "$K1"
check "every child of K, once" [ "$(k_children)" = 3000 ]

# --- an import meeting a record the county is saving ------------------
# The bundle's last line has no newline (gpg alone made the file). The
# import waits for the save and lands whole: it must see the county's
# edit to keep both, so a conflict listed proves it waited.
at 2026-11-08T09:00:00
CASE3=$(on "$T" --json child list | python3 -c 'import json,sys; print(json.load(sys.stdin)[2]["id"])')
on "$T" child edit "$CASE3" school=城关第二小学 >/dev/null || fail "edit at T"
expect_code 0 "T exports the edit" on "$T" --json export --to "$STICK"
TL=$(json_get "$TMP/out" 'd["file"]')
gpg_read "$T" "$TL" "$TMP/last.txt" || fail "T reads its last bundle"
printf '%s' "$(cat "$TMP/last.txt")" >"$TMP/last-nonl.txt"
check "the copy ends without a newline" [ "$(tail -c1 "$TMP/last-nonl.txt" | od -An -c | tr -d ' ')" = "}" ]
"$GPG" --homedir "$T/gnupg" --batch --yes -q --trust-model always -u "$TF" -r "$CF" \
	--sign --encrypt -o "$TMP/last-nonl.gpg" "$TMP/last-nonl.txt" 2>/dev/null ||
	fail "gpg signs the copy"
lock_child "$C" "$CASE3" 1
check "the county holds $CASE3 locked" has "$TMP/lock.out" locked
expect_code 0 "import while the county saves the child" on "$C" import "$TMP/last-nonl.gpg"
wait "$LOCKER" || fail "the locking writer failed: $(cat "$TMP/lock.err")"
check "imported after the save: both edits kept" has "$TMP/out" "conflicts 1"
on "$C" --json conflicts >"$TMP/conflicts.json"
check "the conflict is on $CASE3" has "$TMP/conflicts.json" "$CASE3"
# T's own file holds the same records under the same number, but is
# another file: a bundle number is taken once.
expect_code 3 "another file under a number taken" on "$C" import "$TL"
check "another file under a number taken: forgery said" has "$TMP/err" "is not that bundle"

on "$T" check >/dev/null 2>&1 || fail "ledger T checks out"
on "$C" check >/dev/null 2>&1 || fail "ledger C checks out"
db_verify_all "$T" && db_verify_all "$C"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
