#!/bin/sh
# summary.sh - how long `xiangban summary` and the start screen take on a
# full township (99,999 children), at full speed and held to a quarter of
# one core (an old PC).
#
#   bench/summary.sh [BUILDDIR]
#
# BENCH_CHILDREN (default 99999) children; BENCH_RUNS (default 5) runs of
# each, the median shown; BENCH_LEDGER=DIR times an existing ledger
# instead of making a demo one (a ledger made before the kept counts has
# them built at its first summary: that run is shown apart). The quarter
# core is a cgroup's CPU quota of 25 ms every 100 ms: cgroup v2
# (cpu.max) or v1 (cpu.cfs_quota_us) under /sys/fs/cgroup when this user
# may make one (root), else `systemd-run --user --scope -p CPUQuota=25%`;
# when neither works those rows say so.
#
# The start screen: the program runs in tmux (80x24, English); the time
# is from just before it starts to the first capture of the pane that
# shows the number of children (polled every few milliseconds).
set -eu

BUILD=${1:-.}
XB=$(cd "$BUILD" && pwd)/xiangban
N=${BENCH_CHILDREN:-99999}
RUNS=${BENCH_RUNS:-5}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/xbsum.XXXXXX")
. "$(dirname "$0")/signed_in.sh"
bench_sign_in "$DIR"
SOCK="xbsum$$"
CG=""
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null || :
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null || :
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
export XIANGBAN_NOW=2026-11-29 LANG=C.UTF-8 LC_ALL=

if [ -n "${BENCH_LEDGER:-}" ]; then
	L=$BENCH_LEDGER
else
	L="$DIR/ledger"
	"$XB" --home "$L" demo --children "$N" >/dev/null
fi

# A cgroup with a quarter of a core, into $CG; RUN_SLOW the prefix that
# runs a command in it.
quarter_setup() {
	if [ -w /sys/fs/cgroup/cgroup.subtree_control ] 2>/dev/null &&
		mkdir "/sys/fs/cgroup/xbsum$$" 2>/dev/null; then
		CG="/sys/fs/cgroup/xbsum$$"
		echo "25000 100000" >"$CG/cpu.max" 2>/dev/null || { rmdir "$CG"; CG=""; }
	elif [ -d /sys/fs/cgroup/cpu ] && mkdir "/sys/fs/cgroup/cpu/xbsum$$" 2>/dev/null; then
		CG="/sys/fs/cgroup/cpu/xbsum$$"
		echo 100000 >"$CG/cpu.cfs_period_us"
		echo 25000 >"$CG/cpu.cfs_quota_us"
	fi
	if [ -n "$CG" ]; then
		RUN_SLOW="sh -c 'echo \$\$ >$CG/cgroup.procs; exec \"\$@\"' slow"
	elif systemd-run --user --scope -q -p CPUQuota=25% true 2>/dev/null; then
		RUN_SLOW="systemd-run --user --scope -q -p CPUQuota=25%"
	else
		RUN_SLOW=""
	fi
}

ms_now() { date +%s%N | cut -c1-13; }

# median: the middle of the numbers on stdin.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# time_summary PREFIX: the milliseconds of RUNS summaries, the median.
time_summary() {
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(ms_now)
		eval "$1 \"\$XB\" --home \"\$L\" summary" >/dev/null
		echo $(($(ms_now) - t0))
		i=$((i + 1))
	done | median
}

# time_screen PREFIX [COMMAND]: the milliseconds from starting the
# program (or COMMAND) in tmux to the pane showing the number of
# children; the median of RUNS.
time_screen() {
	want=$("$XB" --home "$L" --json summary | sed -n 's/.*"children": *\([0-9]*\).*/\1/p')
	cmd=${2:-$XB --home $L}
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		tmux -L "$SOCK" kill-server 2>/dev/null || :
		t0=$(ms_now)
		tmux -L "$SOCK" new-session -d -s s -x 80 -y 24 -e LANG=C.UTF-8 \
			-e XIANGBAN_NOW=2026-11-29 "$1 $cmd; sleep 30"
		while ! tmux -L "$SOCK" capture-pane -p -t s 2>/dev/null | grep -q "$want"; do
			[ $(($(ms_now) - t0)) -gt 20000 ] && { echo "no start screen in 20 s" >&2; exit 1; }
		done
		echo $(($(ms_now) - t0))
		tmux -L "$SOCK" kill-server 2>/dev/null || :
		i=$((i + 1))
	done | median
}

t0=$(ms_now)
"$XB" --home "$L" summary >/dev/null
first=$(($(ms_now) - t0))
quarter_setup
echo "children in the ledger:            $("$XB" --home "$L" --json summary | sed -n 's/.*"children": *\([0-9]*\).*/\1/p')"
echo "first summary (builds old counts): $first ms"
echo "summary, full speed:               $(time_summary "") ms (median of $RUNS)"
if [ -n "$RUN_SLOW" ]; then
	echo "summary, a quarter of a core:      $(time_summary "$RUN_SLOW") ms"
else
	echo "summary, a quarter of a core:      (no cgroup or systemd-run here)"
fi
echo "tmux showing a line (no program):  $(time_screen "" "echo $N") ms (in each row below)"
echo "start screen, full speed:          $(time_screen "") ms"
if [ -n "$RUN_SLOW" ]; then
	echo "start screen, a quarter of a core: $(time_screen "$RUN_SLOW") ms"
fi
