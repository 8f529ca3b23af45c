#!/bin/sh
# slips.sh - case slips end to end: the PNG and the PDF of a slip scan back
# to XB1:<case>:<version>, the PDF carries the child's name as text, an A4
# sheet holds 8 codes of one village, the text preview, a write onto a full
# disk, `lookup` of good, mistyped, unknown, foreign and replaced codes.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

ZBARIMG=${ZBARIMG:-zbarimg}
PDFTOPPM=${PDFTOPPM:-pdftoppm}
# CI installs them (zbar-tools, poppler-utils): missing is a failure.
[ "$ZBARIMG" != no ] && command -v "$ZBARIMG" >/dev/null 2>&1 ||
	die "zbarimg is not installed (apt-get install zbar-tools)"
[ "$PDFTOPPM" != no ] && command -v "$PDFTOPPM" >/dev/null 2>&1 ||
	die "pdftoppm is not installed (apt-get install poppler-utils)"
PDFTOTEXT=$(dirname "$(command -v "$PDFTOPPM")")/pdftotext
[ -x "$PDFTOTEXT" ] || PDFTOTEXT=$(command -v pdftotext) ||
	die "pdftotext is not installed (apt-get install poppler-utils)"

# decode IMAGE: the codes zbarimg finds, one a line. zbarimg prints dbus
# noise on stderr even when it succeeds: only stdout counts.
decode() {
	"$ZBARIMG" -q --raw "$1" 2>/dev/null
}

# is_payload TEXT: TEXT is XB1:<case number>:<version>.
is_payload() {
	printf '%s\n' "$1" | grep -qxE 'XB1:[0-9]{9}-[0-9]{5}-[0-9X]:[1-9][0-9]{0,4}'
}

# case_no TOWNSHIP SERIAL: a valid case number (ISO 7064 MOD 11-2 over
# the 14 digits, weights 2^(14-i) mod 11, 10 written X).
case_no() {
	python3 -c '
import sys
t, s = sys.argv[1], int(sys.argv[2])
d = t + "%05d" % s
r = sum(int(c) * pow(2, 14 - i, 11) for i, c in enumerate(d)) % 11
c = (12 - r) % 11
print("%s-%05d-%s" % (t, s, "X" if c == 10 else c))' "$1" "$2"
}
check "case_no agrees with the known case" [ "$(case_no 220221100 42)" = 220221100-00042-6 ]

expect_code 0 "demo ledger" x demo --children 40

# The village with the most children (at least 8, for a full sheet).
x --json child list >"$TMP/all.json" 2>"$TMP/err" || die "child list: $(cat "$TMP/err")"
VILLAGE=$(python3 -c '
import json, sys, collections
d = json.load(open(sys.argv[1]))
c = collections.Counter(r["fields"]["village_code"] for r in d)
print(c.most_common(1)[0][0])' "$TMP/all.json")
x --json child list --village "$VILLAGE" >"$TMP/village.json" 2>"$TMP/err" ||
	die "child list --village: $(cat "$TMP/err")"
NVILLAGE=$(json_get "$TMP/village.json" 'len(d)')
[ "$NVILLAGE" -ge 8 ] || die "no village of the demo has 8 children (most: $NVILLAGE)"
json_get "$TMP/village.json" '"\n".join(r["id"] for r in d)' >"$TMP/village.ids"

CASE=$(head -n 1 "$TMP/village.ids")
x --json child show "$CASE" >"$TMP/show.json" 2>"$TMP/err" || die "child show: $(cat "$TMP/err")"
NAME=$(json_get "$TMP/show.json" 'd["fields"]["name"]')
[ -n "$NAME" ] || die "no name in child show"

# --- PNG -----------------------------------------------------------------
expect_code 0 "slip --png" x slip "$CASE" --png "$TMP/slip.png"
check "png written" test -s "$TMP/slip.png"
got=$(decode "$TMP/slip.png")
check "png decodes to XB1:$CASE:1 (got '$got')" [ "$got" = "XB1:$CASE:1" ]

# --- PDF -----------------------------------------------------------------
expect_code 0 "slip --pdf" x slip "$CASE" --pdf "$TMP/slip.pdf"
check "pdf written" test -s "$TMP/slip.pdf"
size=$(wc -c <"$TMP/slip.pdf")
check "one slip's pdf is small (compact font subset): $size bytes" [ "$size" -lt 102400 ]
"$PDFTOPPM" -r 200 -png -f 1 -l 1 -singlefile "$TMP/slip.pdf" "$TMP/slip-pdf" ||
	fail "pdftoppm failed on the slip"
got=$(decode "$TMP/slip-pdf.png")
check "pdf decodes to XB1:$CASE:1 (got '$got')" [ "$got" = "XB1:$CASE:1" ]
"$PDFTOTEXT" "$TMP/slip.pdf" "$TMP/slip.txt" || fail "pdftotext failed"
check "pdf has the name $NAME as text" has "$TMP/slip.txt" "$NAME"
check "pdf has the case number as text" has "$TMP/slip.txt" "$CASE"
check "pdf has the emergency number" has "$TMP/slip.txt" "110"
check "no temporary file left" [ "$(find "$TMP" -maxdepth 1 -name 'slip.*.*' | wc -l)" -eq 0 ]

# --- A4 sheet of a village -------------------------------------------------
expect_code 0 "slip --village --sheet" x slip --village "$VILLAGE" --sheet "$TMP/sheet.pdf"

# --- slips name a child: 0600 even under a permissive umask -----------------
(umask 022 && x slip "$CASE" --png "$TMP/mode.png" && x slip "$CASE" --pdf "$TMP/mode.pdf" &&
	x slip --village "$VILLAGE" --sheet "$TMP/mode-sheet.pdf") >/dev/null 2>&1 ||
	fail "slips under umask 022"
for f in mode.png mode.pdf mode-sheet.pdf; do
	m=$(stat -c %a "$TMP/$f" 2>/dev/null)
	check "$f is mode 600 under umask 022 (got $m)" [ "$m" = 600 ]
done
"$PDFTOPPM" -r 200 -png -f 1 -l 1 -singlefile "$TMP/sheet.pdf" "$TMP/sheet1" ||
	fail "pdftoppm failed on the sheet"
decode "$TMP/sheet1.png" | sort -u >"$TMP/sheet.codes"
n=$(wc -l <"$TMP/sheet.codes")
check "8 distinct codes on the sheet's first page (got $n)" [ "$n" -eq 8 ]
while read -r code; do
	c=${code#XB1:}
	c=${c%:*}
	check "sheet code $code is XB1:<case>:<version>" is_payload "$code"
	check "sheet code $code belongs to village $VILLAGE" grep -qxF "$c" "$TMP/village.ids"
done <"$TMP/sheet.codes"
if [ "$NVILLAGE" -gt 8 ]; then
	pages=$("$PDFTOTEXT" "$TMP/sheet.pdf" - | grep -c "$(printf '\f')")
	check "a second page for children 9.. ($pages form feeds)" [ "$pages" -ge 2 ]
fi

# --- text preview --------------------------------------------------------
expect_code 0 "slip --text" x slip "$CASE" --text
check "text has the case number" has "$TMP/out" "$CASE"
blocks=$(grep -cF -e '▀' -e '▄' -e '█' "$TMP/out")
check "text has the code in half blocks ($blocks lines)" [ "$blocks" -ge 10 ]

# --- a full disk ---------------------------------------------------------
# A 64 KiB tmpfs filled up, in a mount namespace of its own (so nothing
# stays mounted if the test dies); without mount rights, a file size
# limit instead (SIGXFSZ ignored, so write() fails with EFBIG).
mkdir "$TMP/full"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
if command -v unshare >/dev/null 2>&1 &&
	$ns sh -c 'mount -t tmpfs -o size=64k tmpfs "$1"' sh "$TMP/full" 2>/dev/null; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	$ns sh -c '
		mount -t tmpfs -o size=64k tmpfs "$1" || exit 97
		dd if=/dev/zero of="$1/fill" bs=1024 >/dev/null 2>&1
		"$5" --home "$2" slip "$3" --pdf "$1/slip.pdf"
		rc=$?
		ls -A "$1" >"$4"
		exit $rc' sh "$TMP/full" "$H" "$CASE" "$TMP/full.ls" "$XB" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "full disk: fails (exit $rc)" [ "$rc" -ne 0 ]
	check "full disk: the tmpfs was mounted" [ "$rc" -ne 97 ]
	check "full disk: says the disk is full ($(cat "$TMP/err"))" grep -qiE 'full|满' "$TMP/err"
	check "full disk: leaves no file ($(tr '\n' ' ' <"$TMP/full.ls"))" \
		[ "$(cat "$TMP/full.ls")" = fill ]
else
	(
		trap '' XFSZ
		ulimit -f 4
		exec "$XB" --home "$H" slip "$CASE" --pdf "$TMP/full/slip.pdf"
	) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "size limit: fails (exit $rc)" [ "$rc" -ne 0 ]
	check "size limit: says why" test -s "$TMP/err"
	check "size limit: leaves no file ($(ls -A "$TMP/full" | tr '\n' ' '))" \
		[ -z "$(ls -A "$TMP/full")" ]
fi

# --- lookup --------------------------------------------------------------
expect_code 0 "lookup" x lookup "XB1:$CASE:1"
check "lookup shows the name" has "$TMP/out" "$NAME"
expect_code 0 "lookup forgives blanks and a lower-case prefix" x lookup "  xb1:$CASE:1 "

last=$(printf '%s' "$CASE" | cut -c17)
if [ "$last" = 0 ]; then other=1; else other=0; fi
expect_code 3 "lookup: wrong check character" x lookup "XB1:${CASE%?}$other:1"
check "wrong check character: says mistyped" has "$TMP/err" "mistyped"
expect_code 3 "lookup: no prefix" x lookup "$CASE:1"
expect_code 3 "lookup: another version" x lookup "XB2:$CASE:1"

expect_code 4 "lookup: unknown case" x lookup "XB1:$(case_no 220221100 99998):1"
FOREIGN=$(case_no 110105100 1)
expect_code 3 "lookup: another county's case ($FOREIGN)" x lookup "XB1:$FOREIGN:1"

# --- reissue -------------------------------------------------------------
expect_code 0 "slip --reissue" x slip "$CASE" --reissue --png "$TMP/slip2.png"
got=$(decode "$TMP/slip2.png")
check "reissued slip decodes to version 2 (got '$got')" [ "$got" = "XB1:$CASE:2" ]
expect_code 0 "lookup of the replaced slip" x lookup "XB1:$CASE:1"
check "lookup of version 1 says the slip was replaced" \
	grep -qi replaced "$TMP/out" "$TMP/err"
check "lookup of version 1 still shows the child" has "$TMP/out" "$NAME"
expect_code 0 "lookup of the new slip" x lookup "XB1:$CASE:2"
check "the new slip is not called replaced" sh -c '! grep -qi replaced "$1" "$2"' sh "$TMP/out" "$TMP/err"
check "the new slip is not called unknown" sh -c '! grep -qi "printed here" "$1"' sh "$TMP/err"
# A version never printed (a copy made up, or a slip of a ledger restored
# from an older backup): said, the file still shown.
expect_code 0 "lookup of a version never printed" x lookup "XB1:$CASE:9"
check "never printed: said" has "$TMP/err" "no slip version 9 of $CASE was printed here (the latest is version 2)"
check "never printed: the child shown" has "$TMP/out" "$NAME"
OTHER_CASE=$(x --json child list | python3 -c '
import json, sys
print([c["id"] for c in json.load(sys.stdin) if "slip_version" not in c["fields"]][0])')
expect_code 0 "lookup of a slip of a file that has none" x lookup "XB1:$OTHER_CASE:1"
check "no slip printed for that file: said" has "$TMP/err" "no slip of $OTHER_CASE has been printed here"

finish
