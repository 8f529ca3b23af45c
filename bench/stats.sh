#!/bin/sh
# stats.sh - how fast the period statistics and the start screen's figures
# come on a large township: a demo ledger of N children made on 1 October,
# every child's file then changed on 15 November by a spreadsheet import
# (so November's table must read every case's history: the worst case),
# timed on 7 December for a past month (by total, village and member), the
# month before, the current month, a quarter and a year, and `summary`.
# Each at full speed and, where the machine allows (cgroup v1 or v2 cpu
# controller, as root), held to a quarter of one core as on an old PC.
#
#   bench/stats.sh [BUILDDIR]     BENCH_CHILDREN (default 99999);
#                                 BENCH_LEDGER=DIR reuses a ledger made
#                                 by an earlier run (kept when set)
set -eu

BUILD=${1:-.}
XB="$BUILD/xiangban"
N=${BENCH_CHILDREN:-99999}
[ -x "$XB" ] || { echo "stats.sh: $XB is not built" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "stats.sh: needs GNU time (package time)" >&2; exit 1; }
export XIANGBAN_USER=bench LANG=C.UTF-8 LANGUAGE= TZ=Asia/Shanghai

TMPD=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/xbstats.XXXXXX")
. "$(dirname "$0")/signed_in.sh"
bench_sign_in "$TMPD"
QUOTA=""
cleanup() {
	rm -rf "$TMPD"
	[ -n "$QUOTA" ] && rmdir "$QUOTA" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

H=${BENCH_LEDGER:-$TMPD/ledger}
if [ ! -f "$H/children.db" ]; then
	echo "making a ledger of $N children (1 October) ..."
	XIANGBAN_NOW=2026-10-01T09:00:00 "$XB" --home "$H" demo --children "$N" >/dev/null
	XIANGBAN_NOW=2026-10-01T10:00:00 "$XB" --home "$H" child list --csv "$TMPD/roster.csv" >/dev/null
	# every child's grade changed, as a new survey would
	sed '2,$s/年级,/年级(新),/' "$TMPD/roster.csv" >"$TMPD/survey.csv"
	echo "re-importing the survey on 15 November ..."
	XIANGBAN_NOW=2026-11-15T09:00:00 "$XB" --home "$H" child import "$TMPD/survey.csv" \
		>/dev/null 2>&1 || true
fi

# A quarter of one core, where a cgroup can be made.
if [ -d /sys/fs/cgroup/cpu ] && mkdir -p /sys/fs/cgroup/cpu/xbstats.$$ 2>/dev/null; then
	QUOTA=/sys/fs/cgroup/cpu/xbstats.$$
	echo 100000 >"$QUOTA/cpu.cfs_period_us" && echo 25000 >"$QUOTA/cpu.cfs_quota_us" || QUOTA=""
elif [ -f /sys/fs/cgroup/cgroup.controllers ] && mkdir -p /sys/fs/cgroup/xbstats.$$ 2>/dev/null; then
	QUOTA=/sys/fs/cgroup/xbstats.$$
	echo "25000 100000" >"$QUOTA/cpu.max" || QUOTA=""
fi

# run LABEL ARGS...: wall time and peak memory, at full speed and (when a
# cgroup could be made) at a quarter of a core.
run() {
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$TMPD/t" env XIANGBAN_NOW=2026-12-07T09:00:00 \
		"$XB" --home "$H" "$@" >/dev/null
	full=$(cat "$TMPD/t")
	quarter="-"
	if [ -n "$QUOTA" ]; then
		/usr/bin/time -f "%e" -o "$TMPD/q" sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' \
			sh "$QUOTA" env XIANGBAN_NOW=2026-12-07T09:00:00 "$XB" --home "$H" "$@" >/dev/null
		quarter="$(cat "$TMPD/q") s"
	fi
	printf '%-34s %7s s %7s KB   quarter core: %s\n' "$label" "${full% *}" "${full#* }" "$quarter"
}

echo "children: $N"
run "stats 2026-11 (all histories)" --json stats --period 2026-11
run "stats 2026-11 --by village" --json stats --period 2026-11 --by village
run "stats 2026-11 --by member" --json stats --period 2026-11 --by member
run "stats 2026-10" --json stats --period 2026-10
run "stats (this month, to date)" --json stats
run "stats 2026-Q4" --json stats --period 2026-Q4
run "stats 2026" --json stats --period 2026
run "summary" --json summary
