#!/bin/sh
# concurrent.sh - several processes write one ledger at once: no update is
# lost, nobody is left hanging on a deadlock, the files stay sound.
#
# Two `writer bump` processes each add 1 to the number in one child's
# notes, CONC_BUMPS times (default 2000), one transaction each (read under
# the transaction, update, commit; deadlocks retried), while a third
# process registers 200 children. All three must finish within the
# timeout with status 0, the notes must then hold exactly 2 x CONC_BUMPS,
# the 200 children must be there and whole, and db5.3_verify must pass.
. "${XB_SRCDIR:-.}/tests/lib.sh"

need_writer
N=${CONC_BUMPS:-2000}
ADDS=200
H="$TMP/ledger"

"$XB" --home "$H" init --office 220221100 --name 某某镇 >"$TMP/out" 2>&1 ||
	die "init: $(cat "$TMP/out")"
CASE=$("$XB_WRITER" --home "$H" add 1 --seed 7 2>"$TMP/err") ||
	die "adding the child: $(cat "$TMP/err")"
[ -n "$CASE" ] || die "the writer printed no case number"

START=$(date +%s)
with_timeout 120 "$XB_WRITER" --home "$H" bump "$CASE" "$N" >"$TMP/b1" 2>"$TMP/e1" &
P1=$!
with_timeout 120 "$XB_WRITER" --home "$H" bump "$CASE" "$N" >"$TMP/b2" 2>"$TMP/e2" &
P2=$!
with_timeout 120 "$XB_WRITER" --home "$H" add $ADDS --seed 8 >"$TMP/added" 2>"$TMP/e3" &
P3=$!
PIDS="$P1 $P2 $P3"

# status PID NAME ERRFILE: the process ended well, or the test fails.
status() {
	wait "$1"
	rc=$?
	case $rc in
	0) pass ;;
	124) fail "$2 still ran after 120 s: a deadlock left hanging?" ;;
	*) fail "$2 failed (exit $rc): $(cat "$3")" ;;
	esac
}
status "$P1" "bump 1" "$TMP/e1"
status "$P2" "bump 2" "$TMP/e2"
status "$P3" "add $ADDS" "$TMP/e3"
PIDS=""
END=$(date +%s)
[ "$FAILED" -eq 0 ] || finish

# No lost update: each committed bump counted once.
WANT=$((2 * N))
GOT=$("$XB_WRITER" --home "$H" get "$CASE" notes 2>"$TMP/err") ||
	die "reading the child: $(cat "$TMP/err")"
check "notes hold $WANT after two x $N bumps (got $GOT)" [ "$GOT" = "$WANT" ]
B1=$(cat "$TMP/b1")
B2=$(cat "$TMP/b2")
last_wrote_want() { [ "$B1" = "$WANT" ] || [ "$B2" = "$WANT" ]; }
check "the last bump wrote $WANT (they wrote $B1 and $B2)" last_wrote_want

# The program sees the same.
if command -v python3 >/dev/null 2>&1; then
	"$XB" --home "$H" --json child show "$CASE" >"$TMP/show.json" 2>"$TMP/err" ||
		fail "child show: $(cat "$TMP/err")"
	check "xiangban child show agrees" \
		[ "$(json_get "$TMP/show.json" 'd["fields"]["notes"]')" = "$WANT" ]
fi

# The children added meanwhile are all there and whole.
check "$ADDS children added" [ "$(wc -l <"$TMP/added" | tr -d ' ')" -eq $ADDS ]
echo "$CASE" >>"$TMP/added"
if with_timeout 120 "$XB_WRITER" --home "$H" verify "$TMP/added" >"$TMP/verify.out" 2>&1; then
	pass
else
	fail "verify: $(head -20 "$TMP/verify.out")"
fi
db_verify_all "$H" && pass

# A list through an index meets, part way, a record another process is
# saving: it waits for it and lists it, rather than passing over it or
# giving up. The last child listed is on a later page than the first.
"$XB" --home "$H" child list --status active >"$TMP/list.out" 2>"$TMP/err" ||
	die "child list --status active: $(cat "$TMP/err")"
ACTIVE=$(grep -c '^220221100-' "$TMP/list.out")
LOCKED=$(grep -o '^220221100-[0-9]*-[0-9X]' "$TMP/list.out" | tail -1)
lock_child "$H" "$LOCKED" 1
check "the record is held locked" has "$TMP/lock.out" locked
if "$XB" --home "$H" child list --status active >"$TMP/list.out" 2>"$TMP/err"; then
	GOTN=$(grep -c '^220221100-' "$TMP/list.out")
	check "the list by status holds all $ACTIVE active children (got $GOTN)" \
		[ "$GOTN" -eq "$ACTIVE" ]
	check "the list holds the child being saved" grep -q "^$LOCKED" "$TMP/list.out"
else
	fail "child list --status active while $LOCKED was being saved: $(cat "$TMP/err")"
fi
wait "$LOCKER" || fail "the locking writer failed: $(cat "$TMP/lock.err")"

echo "concurrent: 2 x $N bumps and $ADDS adds at once in $((END - START)) s;" \
	"notes = $GOT (want $WANT); $(cat "$TMP/verify.out");" \
	"db5.3_verify passed on ${VERIFIED_FILES:-0} files"
finish
