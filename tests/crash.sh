#!/bin/sh
# crash.sh - kill -9 at random instants loses no committed record and
# leaves no partial one.
#
# Round after round, tests/writer adds children one transaction each and
# prints each case number after its commit; it is killed 20-300 ms after it
# starts (while opening and recovering, in the middle of a transaction, or
# in a commit's flush). Every tenth round two writers run at once, one is
# killed, a third one opens the ledger (and so recovers it) while the other
# still runs. Every ten rounds and at the end:
#   - `writer verify` finds every printed (committed) child, whole: required
#     fields, index entries by name, initials and ID number, its "create"
#     history entry; and no child in the ledger without one;
#   - db5.3_verify passes on every database file;
#   - the log files do not pile up.
# CRASH_ROUNDS (default 60) sets the number of rounds.
#
# The writer that survives its peer's death should go on writing.
# Berkeley DB 5.3 wakes no one waiting on what a killed process held. The
# store's transactions never wait for a lock; Berkeley DB's own lock
# requests (opening a table) time out (DB_SET_LOCK_TIMEOUT, expired by the
# keeper's deadlock detector); failchk frees a dead process's locks; a
# dead process still registered makes the store reopen the environment,
# which recovers it (store/env.c). The stall tools/stall-repro.sh caught
# before was that: a table open waiting on the killed writer's lock. A region
# mutex (the log flush, a checkpoint) held by the killed process would
# still stall it: nothing committed is lost and the ledger stays sound
# (checked below). This test counts stalls and warns; CRASH_STRICT=1
# makes a stall a failure.
. "${XB_SRCDIR:-.}/tests/lib.sh"

need_writer
ROUNDS=${CRASH_ROUNDS:-60}
H="$TMP/ledger"
LOG="$TMP/committed" # every case number a writer printed
ERR="$TMP/writer.err"
: >"$LOG"
: >"$ERR"

# Writers still running when the test ends are killed with it ($PIDS).
"$XB" --home "$H" init --office 220221100 --name 某某镇 >"$TMP/out" 2>&1 ||
	die "init: $(cat "$TMP/out")"

# start_writer SEED OUT: a writer adding children, its case numbers
# appended to OUT; its pid in LASTPID.
start_writer() {
	"$XB_WRITER" --home "$H" add 100000 --seed "$1" >>"$2" 2>>"$ERR" &
	LASTPID=$!
	PIDS="$PIDS $LASTPID"
}

# kill_writer PID WHAT: kills the writer; it must still have been running
# (a writer that stopped by itself failed: its message is in $ERR).
kill_writer() {
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	rc=$?
	if [ "$rc" -ne 137 ]; then
		die "$2 stopped by itself (exit $rc) before it was killed: $(tail -3 "$ERR")"
	fi
}

# lines FILE: how many lines FILE has.
lines() {
	wc -l <"$1" | tr -d ' '
}

# check_ledger WHEN: everything committed is there and whole; the files
# pass db5.3_verify. No writer runs now: verify opens the ledger, recovers
# it after the last kill and closes it cleanly.
check_ledger() {
	if ! with_timeout 120 "$XB_WRITER" --home "$H" verify "$LOG" >"$TMP/verify.out" 2>&1; then
		die "$1: $(head -20 "$TMP/verify.out")"
	fi
	db_verify_all "$H" || die "$1: db5.3_verify failed"
	NLOGS=$(count_logs "$H")
	# A few 2 MB files at most are needed since the last checkpoint.
	if [ "$NLOGS" -gt 10 ]; then
		die "$1: $NLOGS log files in the data directory: they pile up"
	fi
}

START=$(date +%s)
DOUBLE=0
STALLED=0
r=1
while [ "$r" -le "$ROUNDS" ]; do
	if [ $((r % 10)) -eq 5 ]; then
		# Two writers at once; one dies. A third process opens the
		# ledger while the other still runs: it must recover the ledger
		# and write, and the survivor must not fail.
		DOUBLE=$((DOUBLE + 1))
		: >"$TMP/a" ; : >"$TMP/b" ; : >"$TMP/c"
		start_writer "$r" "$TMP/a"
		A=$LASTPID
		start_writer $((r + 100000)) "$TMP/b"
		B=$LASTPID
		sleep_ms "$(rand_between 100 250)"
		kill_writer "$A" "writer A (round $r)"
		sleep_ms 200
		nb1=$(lines "$TMP/b")
		start_writer $((r + 200000)) "$TMP/c"
		C=$LASTPID
		# The survivor may wait out the lock timeout (2 s) on the dead
		# writer's locks, then reopens and goes on: give it 5 s.
		waited=0
		while [ "$waited" -lt 150 ] && { [ "$(lines "$TMP/b")" -eq "$nb1" ] ||
			[ "$(lines "$TMP/c")" -eq 0 ]; }; do
			sleep_ms 100
			waited=$((waited + 1))
		done
		nb2=$(lines "$TMP/b")
		nc=$(lines "$TMP/c")
		kill -0 "$C" 2>/dev/null ||
			die "round $r: a writer opening the ledger after a crash failed: $(tail -3 "$ERR")"
		kill_writer "$B" "writer B, the survivor (round $r)"
		kill_writer "$C" "writer C (round $r)"
		[ "$nc" -gt 0 ] || die "round $r: the writer that opened after the crash wrote nothing in 15 s"
		if [ "$nb2" -eq "$nb1" ]; then
			STALLED=$((STALLED + 1))
			msg="round $r: the surviving writer made no progress for 15 s after its peer was killed (stuck on what the killed process held)"
			[ "${CRASH_STRICT:-0}" = 1 ] && die "$msg"
			echo "WARNING: $msg" >&2
		fi
		cat "$TMP/a" "$TMP/b" "$TMP/c" >>"$LOG"
	else
		start_writer "$r" "$LOG"
		sleep_ms "$(rand_between 20 300)"
		kill_writer "$LASTPID" "writer (round $r)"
	fi
	PIDS=""
	if [ $((r % 10)) -eq 0 ]; then
		check_ledger "after round $r"
		echo "round $r: $(cat "$TMP/verify.out"); $NLOGS log files"
	fi
	r=$((r + 1))
done

check_ledger "at the end"
pass
END=$(date +%s)
echo "crash: $ROUNDS rounds ($DOUBLE with two writers) in $((END - START)) s;" \
	"$(cat "$TMP/verify.out");" \
	"db5.3_verify passed on $VERIFIED_FILES files; $NLOGS log files left;" \
	"survivor stalled after its peer's crash in $STALLED of $DOUBLE double rounds"
finish
