#!/bin/sh
# syncs.sh - what one change costs the disk: the fdatasync and fsync
# calls of registering one child from the command line, on the log and on
# the tables (strace counts them), and the time it takes. On an old PC's
# disk each flush is ~10 ms.
#
#   bench/syncs.sh [BUILDDIR]     BENCH_RUNS (default 5) registrations
set -eu

BUILD=${1:-.}
XB="$BUILD/xiangban"
RUNS=${BENCH_RUNS:-5}
command -v strace >/dev/null 2>&1 || { echo "syncs.sh needs strace (apt-get install strace)" >&2; exit 1; }
DIR=$(mktemp -d "${TMPDIR:-/tmp}/xbsyncs.XXXXXX")
trap 'rm -rf "$DIR"' EXIT INT TERM
. "$(dirname "$0")/signed_in.sh"
bench_sign_in "$DIR"
export XIANGBAN_NOW=2026-11-29
"$XB" --home "$DIR/ledger" demo --children 30 >/dev/null
i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	strace -f -y -e trace=fdatasync,fsync -o "$DIR/trace.$i" "$BENCH_XB_BIN" --password-fd 9 \
		--home "$DIR/ledger" child add name=王小$i village_code=220221100201 \
		father_status=away mother_status=away guardian_relation=grandparent \
		guardian_name=王奶奶 enrolment=in_school sex=F birth_date=2015-03-1$i \
		>/dev/null 9<<PW
$BENCH_PASSWORD
PW
done
per=""
for f in "$DIR"/trace.*; do
	per="$per $(grep -c 'sync(' "$f" || true)"
done
all=$(cat "$DIR"/trace.* | grep -c 'sync(' || true)
log=$(cat "$DIR"/trace.* | grep 'sync(' | grep -c '/log\.' || true)
printf 'registrations:             %s\n' "$RUNS"
printf 'flushes per registration:  %s (%s on the log, %s on the tables)\n' \
	"$((all / RUNS))" "$((log / RUNS))" "$(((all - log) / RUNS))"
printf 'each registration:        %s\n' "$per"
printf 'files flushed, last run:   %s\n' "$(grep -o '<[^>]*>' "$DIR/trace.$RUNS" | sort -u | sed 's|.*/||; s|>||' | tr '\n' ' ')"
