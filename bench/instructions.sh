#!/bin/sh
# instructions.sh - the CPU work of a load, counted rather than timed.
#
#   bench/instructions.sh [BUILDDIR]     (make run-bench-instructions)
#
# This machine's speed moves by a fifth from one run to the next (it is a
# virtual machine on a shared host), so timed figures of two builds compare
# only over many runs. valgrind's callgrind counts the instructions a load
# of BENCH_CHILDREN (default 3,000) children with 5 visits each executes,
# into a fresh ledger: the same count every run, for comparing changes.
set -eu

BUILD=${1:-.}
BENCH="$BUILD/bench/bench_store"
CHILDREN=${BENCH_CHILDREN:-3000}
[ -x "$BENCH" ] || { echo "instructions.sh: $BENCH is not built" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }

DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/xbinstr.XXXXXX")
trap 'rm -rf "$DIR"' EXIT INT TERM
valgrind --tool=callgrind --callgrind-out-file="$DIR/out" \
	"$BENCH" --home "$DIR/ledger" load "$CHILDREN" >/dev/null 2>"$DIR/err"
IR=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$DIR/err")
[ -n "$IR" ] || IR=$(sed -n 's/^events: *Ir *//p;s/^summary: *//p' "$DIR/out" | tail -1)
echo "load of $CHILDREN children x 5 visits: $IR instructions," \
	"$((IR / CHILDREN)) a child"
