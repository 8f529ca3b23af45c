#!/bin/sh
# bundle.sh - times a whole-ledger bundle township -> county beside gpg
# alone on the same plaintext in the same run: export against
# `gpg --sign --encrypt`, import against `gpg --decrypt`.
#
#   bench/bundle.sh [BUILDDIR]     (make run-bench-bundle passes it)
#
# BENCH_CHILDREN (default 99999) children with 5 visits each, loaded by
# bench_store; BENCH_TMPDIR where the ledgers go (default /tmp: GnuPG's
# socket paths must stay short).
set -eu

BUILD=${1:-.}
XB="$BUILD/xiangban"
BENCH="$BUILD/bench/bench_store"
JSON="$BUILD/bench/bench_json"
CHILDREN=${BENCH_CHILDREN:-99999}
for p in "$XB" "$BENCH" "$JSON"; do
	[ -x "$p" ] || { echo "bundle.sh: $p is not built" >&2; exit 1; }
done

DIR=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/xbb.XXXXXX")
. "$(dirname "$0")/signed_in.sh"
bench_sign_in "$DIR"
T="$DIR/t" C="$DIR/c"
cleanup() {
	for h in "$T" "$C"; do
		[ -d "$h/gnupg" ] && gpgconf --homedir "$h/gnupg" --kill all 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
export XIANGBAN_USER=bench

# Seconds of wall time a command takes, to the millisecond (its output
# is dropped).
secs() {
	s=$(date +%s.%N)
	"$@" >/dev/null
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }'
}
fpr() { "$XB" --home "$1" --json keys show | sed -n 's/.*"fingerprint": "\([0-9A-F]*\)".*/\1/p'; }

echo "xiangban bundle benchmark: $CHILDREN children x 5 visits"
"$BENCH" --home "$T" load "$CHILDREN" >/dev/null
"$XB" --home "$C" init --office 220221 --name 县民政局 >/dev/null
for h in "$T" "$C"; do
	"$XB" --home "$h" keys init --no-passphrase >/dev/null
	"$XB" --home "$h" keys export "$DIR/$(basename "$h").asc" >/dev/null
done
"$XB" --home "$T" keys import "$DIR/c.asc" --office 220221 --fingerprint "$(fpr "$C")" >/dev/null
"$XB" --home "$C" keys import "$DIR/t.asc" --office "$("$XB" --home "$T" --json summary | sed -n 's/.*"office": "\([0-9]*\)".*/\1/p')" \
	--fingerprint "$(fpr "$T")" >/dev/null

mkdir "$DIR/stick"
EXPORT=$(secs "$XB" --home "$T" export --to "$DIR/stick" --all)
FILE=$(ls "$DIR/stick"/*.gpg)
BYTES=$(stat -c %s "$FILE")
gpg --homedir "$C/gnupg" --batch -q --decrypt -o "$DIR/plain" "$FILE" 2>/dev/null
PLAIN=$(stat -c %s "$DIR/plain")
RECORDS=$(($(wc -l <"$DIR/plain") - 1))
GPG_ENC=$(secs gpg --homedir "$T/gnupg" --batch -q --trust-model always \
	-r "$(fpr "$C")" -r "$(fpr "$T")" --sign --encrypt -o "$DIR/gpg.gpg" "$DIR/plain")
GPG_DEC=$(secs gpg --homedir "$C/gnupg" --batch -q -o /dev/null --decrypt "$FILE" 2>/dev/null)
IMPORT=$(secs "$XB" --home "$C" import "$FILE")
# jansson alone on the same lines: what no export or import can go under
J=$("$JSON" "$DIR/plain")
J_PARSE=$(echo "$J" | sed -n 's/^parse seconds=\([0-9.]*\).*/\1/p')
J_WRITE=$(echo "$J" | sed -n 's/^write seconds=\([0-9.]*\).*/\1/p')

awk -v recs="$RECORDS" -v plain="$PLAIN" -v bytes="$BYTES" -v ex="$EXPORT" \
	-v ge="$GPG_ENC" -v gd="$GPG_DEC" -v im="$IMPORT" \
	-v jp="$J_PARSE" -v jw="$J_WRITE" 'BEGIN {
	mb = plain / 1048576
	printf "records %d, plaintext %.1f MB, bundle %.1f MB\n\n", recs, mb, bytes / 1048576
	printf "  %-34s %9s %9s %8s\n", "", "seconds", "MB/s", "vs gpg"
	printf "  %-34s %9.2f %9.1f %8s\n", "gpg --sign --encrypt", ge, mb / ge, ""
	printf "  %-34s %9.2f %9.1f %7.2fx\n", "xiangban export --all", ex, mb / ex, ex / ge
	printf "  %-34s %9.2f %9.1f %8s\n", "gpg --decrypt", gd, mb / gd, ""
	printf "  %-34s %9.2f %9.1f %7.2fx\n", "xiangban import", im, mb / im, im / gd
	printf "\nfloors (jansson alone, same lines; gpg from above)\n"
	printf "  %-34s %9.2f %9.1f %7.2fx\n", "jansson: make and write each line", jw, mb / jw, jw / ge
	printf "  %-34s %9.2f %9.1f %7.2fx\n", "gpg encrypt + read-back decrypt", ge + gd, mb / (ge + gd), (ge + gd) / ge
	printf "  %-34s %9.2f %9.1f %7.2fx\n", "jansson: parse each line", jp, mb / jp, jp / gd
}'
