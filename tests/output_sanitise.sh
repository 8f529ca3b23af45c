#!/bin/sh
# output_sanitise.sh - values from outside never reach the terminal raw
# (issue 11, section 3): a changed_by, a visitor and notes written past
# every check (tests/writer taint, as an old or hostile ledger may hold
# them) and a bundle file name with escapes are shown by `child show`,
# `visit list`, `history`, `bundles --received` and `keys peers` without
# an ESC, CR or bidi override; the command line refuses such a user name,
# and names with bidi or zero-width characters.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_gpg

T="$TMP/t" C="$TMP/c"
STICK="$TMP/stick"
mkdir -p "$STICK"
ESC=$(printf '\033')
CR=$(printf '\r')
RLO=$(printf '\342\200\256')  # U+202E
ZWSP=$(printf '\342\200\213') # U+200B
# clean FILE: no ESC, CR, BEL or U+202E in FILE.
clean() { ! grep -q "$ESC" "$1" && ! grep -q "$CR" "$1" && ! grep -q "$(printf '\007')" "$1" &&
	! grep -q "$RLO" "$1"; }

office "$T" 220221100 城关镇 2
CASE=$(on "$T" --json child list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

# --- input refuses them ------------------------------------------------------
expect_code 2 "--user with an escape" on "$T" --user "$(printf 'x\033]0;t\007')" child list
check "says which character" has "$TMP/err" "U+001B"
XIANGBAN_USER="clerk$RLO"
expect_code 2 "XIANGBAN_USER with a bidi override" on "$T" child list
XIANGBAN_USER=clerk
expect_code 2 "--user after the command too" on "$T" child list --user "a${ZWSP}b"
expect_code 3 "a name with a bidi override" on "$T" child edit "$CASE" "name=张${RLO}三"
check "name refused: says why" has "$TMP/err" "U+202E"
expect_code 3 "a guardian with a zero-width space" on "$T" child edit "$CASE" \
	"guardian_name=李${ZWSP}桂兰"
expect_code 3 "a visitor with a bidi isolate" on "$T" visit add "$CASE" date=2026-11-20 \
	"visitor=李$(printf '\342\201\246')主任" kind=home

# --- a bundle file name with escapes -----------------------------------------
office "$C" 220221 示范县民政局
keys_both "$T" 220221100 "$C" 220221 "$STICK"
on "$T" --json export --to "$STICK" >"$TMP/ex.json" || die "export"
B=$(json_get "$TMP/ex.json" 'd["file"]')
BAD="$STICK/$(printf 'b\033]0;pwned\007\033[2J\r\342\200\256.gpg')"
mv "$B" "$BAD"
expect_code 0 "import the bundle under its odd name" on "$C" import "$BAD"
check "import: clean" clean "$TMP/out"
expect_code 0 "bundles --received" on "$C" bundles --received
check "bundles --received: the file is listed" has "$TMP/out" "pwned"
check "bundles --received: clean" clean "$TMP/out"
expect_code 4 "a key file with escapes in its name" on "$C" keys import \
	"$STICK/$(printf 'k\033[2J.asc')" --office 220221200 --fingerprint 0000
check "error: clean" clean "$TMP/err"
expect_code 0 "keys peers" on "$C" keys peers
check "keys peers: clean" clean "$TMP/out"


# --- output replaces them ----------------------------------------------------
EVIL="$(printf 'evil\r\nFingerprint: 0000\033[2J\033]0;pwned\007\342\200\256')"
"$XB_WRITER" --home "$T" taint "$CASE" "$EVIL" "$EVIL" >/dev/null || die "taint"
expect_code 0 "child show" on "$T" child show "$CASE"
check "child show: the tainted values are there" has "$TMP/out" "pwned"
check "child show: clean" clean "$TMP/out"
check "child show: no line of the value's own" [ "$(grep -c '^Fingerprint' "$TMP/out")" = 0 ]
expect_code 0 "visit list" on "$T" visit list "$CASE"
check "visit list: clean" clean "$TMP/out"
expect_code 0 "history" on "$T" history "$CASE"
check "history: the user is there" has "$TMP/out" "pwned"
check "history: clean" clean "$TMP/out"
check "history: no line of the value's own" [ "$(grep -c '^Fingerprint' "$TMP/out")" = 0 ]
expect_code 0 "search" on "$T" search "$CASE"
check "search: clean" clean "$TMP/out"

finish
