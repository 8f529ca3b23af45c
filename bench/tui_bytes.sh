#!/bin/sh
# tui_bytes.sh - bytes the full-screen interface writes to the terminal
# for a one-row move in the children list and for opening a child's file,
# as a serial line or slow SSH would carry them. Runs the program in tmux
# (80x24, zh_CN.UTF-8) and records its output with pipe-pane.
#
#   bench/tui_bytes.sh [BUILDDIR]    BENCH_CHILDREN (default 2000) children
set -eu

BUILD=${1:-.}
XB="$BUILD/xiangban"
N=${BENCH_CHILDREN:-2000}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/xbbytes.XXXXXX")
. "$(dirname "$0")/signed_in.sh"
bench_sign_in "$DIR"
SOCK="xbbytes$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$DIR"' EXIT INT TERM
export XIANGBAN_NOW=2026-11-29
"$XB" --home "$DIR/ledger" demo --children "$N" >/dev/null

tmux -L "$SOCK" new-session -d -s b -x 80 -y 24 -e LANG=zh_CN.UTF-8 \
	-e XIANGBAN_NOW=2026-11-29 -e "XIANGBAN_LOCALEDIR=$BUILD/locale" \
	"$XB --home $DIR/ledger; sleep 30"
OUT="$DIR/tty"
: >"$OUT"
tmux -L "$SOCK" pipe-pane -t b -o "cat >> $OUT"

size() { wc -c <"$OUT"; }
# settle: waits until nothing more is written for 300 ms.
settle() {
	last=-1
	while :; do
		now=$(size)
		[ "$now" -eq "$last" ] && break
		last=$now
		sleep 0.3
	done
}
# bytes KEYS...: the bytes written in answer to the keys.
bytes() {
	settle
	before=$(size)
	tmux -L "$SOCK" send-keys -t b "$@"
	settle
	echo $(($(size) - before))
}

settle
bytes Enter >/dev/null          # the start screen's first line: the list
bytes Down >/dev/null           # warm up
moves=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	moves="$moves $(bytes Down)"
done
if [ -n "${BENCH_DUMP:-}" ]; then settle; b=$(size); tmux -L "$SOCK" send-keys -t b Down; settle; tail -c +$((b + 1)) "$OUT" | od -c | head -40; fi
open=$(bytes Enter)
back=$(bytes Escape)
page=$(bytes NPage)
median=$(echo $moves | tr ' ' '\n' | sort -n | sed -n 5p)
echo "children in the ledger:   $N"
echo "one-row move (Down):      median $median bytes (10 moves:$moves)"
echo "open a child's file:      $open bytes"
echo "back to the list (Esc):   $back bytes"
echo "next page (PgDn):         $page bytes"
