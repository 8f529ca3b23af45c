#!/bin/sh
# run.sh - takes the benchmark figures (bench/README.md): loads a synthetic
# ledger into a fresh data directory, then times lookups in a separate
# process (so its memory is the searching process's own), prints a table
# and removes the directory.
#
#   bench/run.sh [BUILDDIR]       (make run-bench passes the build dir)
#
# BENCH_CHILDREN (default 99999: a township's case numbers have five
# digits, so one ledger holds at most 99,999 children) and BENCH_QUERIES
# (default 10000) change the sizes; BENCH_TMPDIR where the ledger goes (default $TMPDIR or /tmp).
# BENCH_ENCRYPT=1 makes the ledger encrypted at rest (init --encrypt).
set -eu

BUILD=${1:-.}
BENCH="$BUILD/bench/bench_store"
CHILDREN=${BENCH_CHILDREN:-99999}
QUERIES=${BENCH_QUERIES:-10000}

if [ ! -x "$BENCH" ]; then
	echo "run.sh: $BENCH is not built (make bench/bench_store)" >&2
	exit 1
fi

DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/xbbench.XXXXXX")
trap 'rm -rf "$DIR"' EXIT INT TERM
HOME_DIR="$DIR/ledger"

echo "xiangban benchmark: $CHILDREN children x 5 visits, $QUERIES lookups of each kind"
echo "data directory: $HOME_DIR"
echo

ENC=""
[ "${BENCH_ENCRYPT:-0}" = 1 ] && ENC=--encrypt
echo "encrypted at rest: ${BENCH_ENCRYPT:-0}"
"$BENCH" --home "$HOME_DIR" load "$CHILDREN" $ENC >"$DIR/load.out"
"$BENCH" --home "$HOME_DIR" query "$QUERIES" $ENC >"$DIR/query.out"
DISK=$(du -sk "$HOME_DIR" | cut -f1)

# key=value lines into a table
awk -v disk="$DISK" '
function val(line, key,    n, i, kv) {
	n = split(line, kv, " ")
	for (i = 1; i <= n; i++)
		if (index(kv[i], key "=") == 1)
			return substr(kv[i], length(key) + 2)
	return ""
}
/^load / {
	print "load"
	printf "  %-38s %12s\n", "children", val($0, "children")
	printf "  %-38s %12s\n", "visits", val($0, "visits")
	printf "  %-38s %12s\n", "reports", val($0, "reports")
	printf "  %-38s %12s\n", "seconds", val($0, "seconds")
	printf "  %-38s %12s   (target >= 5000)\n", "children/s", val($0, "children_per_s")
	printf "  %-38s %12s\n", "visits/s", val($0, "visits_per_s")
	printf "  %-38s %12s\n", "data directory (MB)", sprintf("%.0f", disk / 1024)
	print ""
}
/^scan / {
	printf "%-40s %12s\n", "one pass over the children (s)", val($0, "seconds")
	print ""
	printf "%-20s %8s %10s %10s %10s   %s\n", "lookup", "n", "p50 us", "p99 us", "max us", "target p99"
}
/^query / {
	op = val($0, "op")
	target = op == "name_prefix_20" ? "< 5000 us" : "< 1000 us"
	printf "%-20s %8s %10s %10s %10s   %s\n", op, val($0, "n"),
		val($0, "p50_us"), val($0, "p99_us"), val($0, "max_us"), target
}
/^open / && FILENAME ~ /query/ {
	printf "%-40s %12s\n", "opening the ledger (s)", val($0, "seconds")
}
/^memory / {
	print ""
	printf "%-40s %12s   (target < 16384)\n", "peak RSS, querying process (KB)", val($0, "peak_rss_kb")
}
' "$DIR/load.out" "$DIR/query.out"
