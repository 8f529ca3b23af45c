#!/bin/sh
# recovery_race.sh - saves that a writer reported survive recoveries run
# by other processes while it writes.
#
# A writer adds children without pause, printing each case number after
# its commit. Round after round, a process opens the ledger and is killed
# with it open; the next process to open the ledger finds the dead one and
# recovers the ledger while the writer is saving. Berkeley DB marks the
# environment for the survivors and, by default, starts recovering at
# once: a commit the writer was making at that instant could reach the
# log after the recovery had read it, and be lost though it was reported
# saved (its case number then came out twice). The store waits for the
# survivors (DB_SET_REG_TIMEOUT) and checks any commit that a recovery
# overtook (store/env.c). The writer must go on saving after each
# recovery; at the end every printed child must be there, once, and
# db5.3_verify must pass.
# RACE_ROUNDS (default 10) sets the number of recoveries; each waits 4 s
# for the writer to leave the old environment.
. "${XB_SRCDIR:-.}/tests/lib.sh"

need_writer
ROUNDS=${RACE_ROUNDS:-10}
H="$TMP/ledger"
LOG="$TMP/committed"
ERR="$TMP/writer.err"
: >"$LOG"
: >"$ERR"

WRITER=""
HOLDER=""
# Both are killed if the test ends while they run.
trap 'PIDS="$WRITER $HOLDER"; cleanup' EXIT

lines() {
	wc -l <"$1" | tr -d ' '
}

# wait_for CONDITION-COMMAND...: up to 15 s for it to hold.
wait_for() {
	n=0
	while ! "$@"; do
		n=$((n + 1))
		[ "$n" -lt 150 ] || return 1
		sleep_ms 100
	done
}

grew_past() {
	[ "$(lines "$LOG")" -gt "$1" ]
}

"$XB" --home "$H" init --office 220221100 --name 某某镇 >"$TMP/out" 2>&1 ||
	die "init: $(cat "$TMP/out")"

"$XB_WRITER" --home "$H" add 1000000 --seed 7 >>"$LOG" 2>>"$ERR" &
WRITER=$!
wait_for grew_past 0 || die "the writer saved nothing: $(tail -3 "$ERR")"

START=$(date +%s)
r=1
while [ "$r" -le "$ROUNDS" ]; do
	"$XB_WRITER" --home "$H" hold 600 >"$TMP/hold.out" 2>>"$ERR" &
	HOLDER=$!
	wait_for has "$TMP/hold.out" open ||
		die "round $r: a process could not open the ledger: $(tail -3 "$ERR")"
	kill -9 "$HOLDER"
	wait "$HOLDER" 2>/dev/null
	HOLDER=""
	before=$(lines "$LOG")
	# This one finds the dead process and recovers the ledger.
	with_timeout 60 "$XB_WRITER" --home "$H" hold 0 >/dev/null 2>>"$ERR" ||
		die "round $r: opening the ledger after a crash failed: $(tail -3 "$ERR")"
	kill -0 "$WRITER" 2>/dev/null ||
		die "round $r: the writer stopped: $(tail -3 "$ERR")"
	# The writer reopens and goes on; the next recovery meets it saving.
	wait_for grew_past "$before" ||
		die "round $r: the writer saved nothing after the recovery: $(tail -3 "$ERR")"
	r=$((r + 1))
done
kill -9 "$WRITER"
wait "$WRITER" 2>/dev/null
WRITER=""

if with_timeout 120 "$XB_WRITER" --home "$H" verify "$LOG" >"$TMP/verify.out" 2>&1; then
	pass
else
	fail "after $ROUNDS recoveries: $(head -20 "$TMP/verify.out")"
fi
db_verify_all "$H" || fail "db5.3_verify failed after the recoveries"
END=$(date +%s)
echo "recovery_race: $ROUNDS recoveries while saving in $((END - START)) s;" \
	"$(cat "$TMP/verify.out")"
finish
