#!/bin/sh
# ledger_encrypted.sh - a ledger made with `init --encrypt` keeps no
# child's name, ID number or phone in any file under its data directory:
# databases, indexes, logs, region files (also while a process has it
# open), the key folder. The same work on a ledger without --encrypt finds
# them (so the search works). The full-screen interface asks the
# passphrase at its start, again after a wrong one. Also: a missing or wrong passphrase is
# refused (in Chinese too) and changes nothing; an existing ledger is not
# switched; db5.3_verify passes with the derived key (scrypt recomputed by
# python3, so the KDF is the standard one); a writer killed with -9
# mid-write is recovered and loses nothing it committed.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_writer
need_gpg

E="$TMP/enc" P="$TMP/plain" C="$TMP/county" STICK="$TMP/stick"
PASS="$TMP/pass" BAD="$TMP/bad"
mkdir -p "$STICK"
printf 'tea and 粥 at dawn\n' >"$PASS"
printf 'tea and rice at dawn\n' >"$BAD"
WPID=""
# A writer still running when the test ends is killed with it.
trap 'PIDS="$WPID"; tui_cleanup' EXIT

NAME=张三丰 IDNUM=220221201503120018 PHONE=13912345678
NAME2=李小龙 IDNUM2=220221201207150028 PHONE2=13787654321
# The passphrase for every command on E, as the first line of fd 3.
on() {
	_on=$1
	shift
	if [ "$_on" = "$E" ]; then
		"$XB" --home "$_on" --passphrase-fd 3 "$@" 3<"$PASS"
	else
		"$XB" --home "$_on" "$@"
	fi
}

# needles DIR: the files under DIR holding a name, ID number or phone
# (UTF-8 bytes, binary files too), one "file: needle" a line.
needles() {
	python3 - "$1" "$NAME" "$IDNUM" "$PHONE" "$NAME2" "$IDNUM2" "$PHONE2" <<'EOF'
import os, sys
top, words = sys.argv[1], [w.encode() for w in sys.argv[2:]]
for d, _, files in os.walk(top):
    for f in files:
        p = os.path.join(d, f)
        try:
            data = open(p, 'rb').read()
        except OSError:
            continue
        for w in words:
            if w in data:
                print(p + ": " + w.decode())
EOF
}

# work H: the same clerk's day on ledger H.
work() {
	h=$1
	on "$h" child add name=$NAME id_number=$IDNUM village_code=220221100001 village=前进村 \
		father_status=away mother_status=away guardian_relation=grandparent \
		guardian_name=李桂兰 guardian_phone=$PHONE enrolment=in_school >"$TMP/add" 2>&1 ||
		{ fail "child add on $h: $(cat "$TMP/add")"; return; }
	CASE=$(grep -o '220221100-[0-9]*-[0-9X]' "$TMP/add" | head -1)
	expect_code 0 "second child on $h" on "$h" child add name=$NAME2 id_number=$IDNUM2 \
		village_code=220221100001 village=前进村 father_status=away mother_status=away \
		guardian_relation=grandparent guardian_name=王秀英 guardian_phone=$PHONE2 enrolment=in_school
	expect_code 0 "visit on $h" on "$h" visit add "$CASE" date=2026-11-20 visitor=李主任 kind=home \
		next_due=2027-01-20
	expect_code 0 "report on $h" on "$h" report add "$CASE" category=意外伤害 \
		found_at="2026-11-28 09:00" found_by=王老师 reporter_kind=school description=在校摔伤
	expect_code 0 "search on $h" on "$h" search zsf
	check "search finds the child on $h" has "$TMP/out" "$CASE"
	expect_code 0 "by ID number on $h" on "$h" search $IDNUM
	check "ID search finds the child on $h" has "$TMP/out" "$CASE"
	expect_code 0 "history on $h" on "$h" history "$CASE"
	expect_code 0 "summary on $h" on "$h" summary
	expect_code 0 "check on $h" on "$h" check
	# A bundle to the county, from a key folder inside the data directory.
	expect_code 0 "keys init on $h" on "$h" keys init --no-passphrase
	on "$C" keys export "$TMP/c.asc" >/dev/null 2>&1
	expect_code 0 "bind the county on $h" on "$h" keys import "$TMP/c.asc" --office 220221 \
		--fingerprint "$CFPR"
	mkdir -p "$STICK/$(basename "$h")"
	expect_code 0 "export on $h" on "$h" export --to "$STICK/$(basename "$h")" --all
}

office "$C" 220221 示范县民政局
on "$C" keys init --no-passphrase >/dev/null || die "key county"
CFPR=$(fpr "$C")

# --- the encrypted ledger --------------------------------------------------
expect_code 0 "init --encrypt" on "$E" init --office 220221100 --name 城关镇 --encrypt
check "ledger.kdf is there, 0600" test "$(stat -c %a "$E/ledger.kdf")" = 600
work "$E"
# The child in the bundle, read back by the county: it was really there.
on "$E" keys export "$TMP/t.asc" >/dev/null 2>&1
TFPR=$(fpr "$E")
"$XB" --home "$C" keys import "$TMP/t.asc" --office 220221100 --fingerprint "$TFPR" >/dev/null 2>&1 ||
	fail "county binds the township"
expect_code 0 "county imports the bundle" "$XB" --home "$C" import "$(ls "$STICK"/enc/*.gpg)"
expect_code 0 "county lists the child" "$XB" --home "$C" search $IDNUM
check "the county has the child" has "$TMP/out" "$NAME"

needles "$E" >"$TMP/found.enc"
check "encrypted: no name, ID number or phone in any file ($(head -3 "$TMP/found.enc" | tr '\n' ' '))" \
	test ! -s "$TMP/found.enc"
check "encrypted: grep -ra finds nothing either" \
	sh -c "! grep -raF -e '$NAME' -e '$IDNUM' -e '$PHONE' '$E' >/dev/null"
check "encrypted: logs are there and were searched" test "$(count_logs "$E")" -ge 1

# While a process has the ledger open, the region files hold no record.
"$XB_WRITER" --home "$E" --passphrase-fd 3 hold 20 3<"$PASS" >"$TMP/hold" 2>&1 &
WPID=$!
n=0
while ! has "$TMP/hold" open && [ "$n" -lt 100 ]; do sleep_ms 50; n=$((n + 1)); done
expect_code 0 "read while another process has it open" on "$E" search zsf
check "...and finds the child" has "$TMP/out" "$NAME"
needles "$E" >"$TMP/found.open"
check "encrypted, open: no record in any file, regions included ($(head -3 "$TMP/found.open" | tr '\n' ' '))" \
	test ! -s "$TMP/found.open"
check "encrypted, open: __db.001 is only a reference to shared memory" \
	test "$(stat -c %s "$E/__db.001")" -lt 4096
SHMKEY=$(awk '/^shm_key/ {printf "0x%08x", $2}' "$E/ledger.kdf")
if command -v ipcs >/dev/null 2>&1; then
	check "encrypted, open: the regions are in shared memory" sh -c "ipcs -m | grep -q '$SHMKEY'"
fi
kill "$WPID" 2>/dev/null
wait "$WPID" 2>/dev/null
WPID=""
expect_code 0 "open and close once more" on "$E" summary
if command -v ipcs >/dev/null 2>&1; then
	check "encrypted, closed: the last process removed the segments" \
		sh -c "! ipcs -m | grep -q '$SHMKEY'"
fi

# --- the same without --encrypt: the search works ---------------------------
expect_code 0 "init plain" on "$P" init --office 220221100 --name 城关镇
work "$P"
needles "$P" >"$TMP/found.plain"
check "plain: the name is found" grep -q ": $NAME\$" "$TMP/found.plain"
check "plain: the ID number is found" grep -q ": $IDNUM\$" "$TMP/found.plain"
check "plain: the phone is found" grep -q ": $PHONE\$" "$TMP/found.plain"
check "plain: found in a log file" grep -q "/log\.[0-9]*: $NAME\$" "$TMP/found.plain"

# --- passphrases -------------------------------------------------------------
snapshot() { (cd "$E" && find . -type f ! -name '__db.*' -exec md5sum {} + | sort); }
snapshot >"$TMP/before"
expect_code 3 "no passphrase" "$XB" --home "$E" summary
check "no passphrase: says how to give it" has "$TMP/err" "--passphrase-fd"
expect_code 3 "wrong passphrase" "$XB" --home "$E" --passphrase-fd 3 summary 3<"$BAD"
check "wrong passphrase: said so" has "$TMP/err" "passphrase is wrong"
expect_code 3 "wrong passphrase, in Chinese" env LANG=zh_CN.UTF-8 LANGUAGE= \
	"$XB" --home "$E" --passphrase-fd 3 child add name=某某 3<"$BAD"
check "wrong passphrase: said so in Chinese" has "$TMP/err" "台账口令不对"
snapshot >"$TMP/after"
check "refused opens changed no file" cmp -s "$TMP/before" "$TMP/after"

# --- no switching --------------------------------------------------------------
expect_code 5 "init --encrypt on a plain ledger" on "$P" init --office 220221100 --name 城关镇 \
	--encrypt --passphrase-fd 3 3<"$PASS"
check "plain stays plain" test ! -e "$P/ledger.kdf"
check "the refusal says why" has "$TMP/err" "cannot be switched"
expect_code 5 "init --encrypt on an encrypted ledger" on "$E" init --office 220221100 --name 城关镇 \
	--encrypt

# --- db5.3_verify with the key, derived again by python3 -----------------------
KEY=$(python3 - "$E/ledger.kdf" "$PASS" <<'EOF'
import hashlib, sys
d = dict(l.split(None, 1) for l in open(sys.argv[1]).read().splitlines()
         if l and not l.startswith('#'))
p = open(sys.argv[2], 'rb').read().rstrip(b'\n')
k = hashlib.scrypt(p, salt=bytes.fromhex(d['salt'].strip()), n=int(d['cost']), r=8,
                   p=int(d['parallel']), maxmem=64 * 1024 * 1024, dklen=64)
print(k[:32].hex())
EOF
)
if [ -z "${DB_VERIFY:-}" ] || [ "$DB_VERIFY" = no ]; then
	fail "db5.3_verify is not installed (apt-get install db5.3-util)"
else
	bad=0
	for f in "$E"/*.db; do
		with_timeout 120 "$DB_VERIFY" -q -P "$KEY" -h "$E" "$f" >"$TMP/verify" 2>&1 ||
			{ bad=1; fail "db_verify $f: $(cat "$TMP/verify")"; }
	done
	[ "$bad" -eq 0 ] && pass
	check "db5.3_verify without the key fails" \
		sh -c "! '$DB_VERIFY' -q -h '$E' '$E/children.db' >/dev/null 2>&1"
fi

# --- kill -9 mid-write, then reopen ----------------------------------------------
"$XB_WRITER" --home "$E" --passphrase-fd 3 add 100000 --seed 7 3<"$PASS" >"$TMP/committed" 2>"$TMP/werr" &
WPID=$!
n=0
while [ "$(wc -l <"$TMP/committed")" -lt 20 ] && [ "$n" -lt 200 ]; do sleep_ms 50; n=$((n + 1)); done
sleep_ms "$(rand_between 0 150)"
kill -9 "$WPID"
wait "$WPID" 2>/dev/null
WPID=""
[ -s "$TMP/werr" ] && echo "writer: $(cat "$TMP/werr")" >&2
check "the writer had committed some" test "$(wc -l <"$TMP/committed")" -ge 20
expect_code 0 "reopen after kill -9 (recovery with encryption)" \
	"$XB_WRITER" --home "$E" --passphrase-fd 3 verify "$TMP/committed" 3<"$PASS"
check "every committed child is there" has "$TMP/out" "verified"
expect_code 0 "check after recovery" on "$E" check
needles "$E" >"$TMP/found.crash"
check "after the crash: still nothing in clear" test ! -s "$TMP/found.crash"

# --- the full-screen interface asks at its start ---------------------------------
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$E"
wait_for "台账口令" || fail "the TUI asks the ledger's passphrase"
type_text "tea and rice at dawn"
keys Enter
wait_for "台账口令不对" || fail "the TUI says a wrong passphrase is wrong"
type_text "tea and 粥 at dawn"
keys Enter
wait_for "在册儿童" || fail "the TUI starts with the right passphrase"
check "the TUI does not show the passphrase" sh -c "! screen | grep -q 'tea and'"
keys q
wait_for "EXITED=0" || fail "the TUI ends"

finish
