#!/bin/bash
# stall-repro.sh [ROUNDS] [BUILDDIR] - two writers on one ledger, one
# killed with SIGKILL, a third opening after: reports each round whether
# the survivor went on, and when not, where it is blocked (gdb). Run it
# with the CPU loaded (e.g. two `yes >/dev/null`) to see the region-mutex
# stall that tests/crash.sh warns about.
set -u
ROUNDS=${1:-20}
B=${2:-.}
export XIANGBAN_NOW=2026-11-29
BASE=$(mktemp -d "${TMPDIR:-/tmp}/xbstall.XXXXXX")
trap 'rm -rf "$BASE"' EXIT
for r in $(seq 1 "$ROUNDS"); do
	H="$BASE/$r"
	"$B/xiangban" --home "$H" init --office 220221100 --name x >/dev/null
	"$B/tests/writer" --home "$H" add 100000 --seed "$r" >"$H/a.out" 2>&1 &
	A=$!
	"$B/tests/writer" --home "$H" add 100000 --seed $((r + 1000)) >"$H/b.out" 2>"$H/b.err" &
	W=$!
	sleep 0.$((RANDOM % 3 + 1))
	kill -9 "$A"
	wait "$A" 2>/dev/null
	sleep 0.2
	"$B/tests/writer" --home "$H" add 100000 --seed $((r + 2000)) >"$H/c.out" 2>"$H/c.err" &
	C=$!
	nb=$(wc -l <"$H/b.out")
	for _ in $(seq 1 60); do
		sleep 0.1
		[ "$(wc -l <"$H/b.out")" -gt "$nb" ] && break
	done
	if [ "$(wc -l <"$H/b.out")" -eq "$nb" ]; then
		echo "round $r: survivor STUCK"
		gdb -p "$W" -batch -ex "thread apply all bt" 2>/dev/null | grep -E '^#' | head -20
	else
		echo "round $r: ok"
	fi
	kill -9 "$W" "$C" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$H"
done
