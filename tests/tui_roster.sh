#!/bin/sh
# tui_roster.sh - w on the list of children writes the list as shown as a
# PDF roster, in Chinese at 80x24: the format is picked, the file name
# offered is 花名册-<office>-<date>.pdf, a folder typed gets that name,
# the box after writing shows the whole path, the file holds the children
# of the filter shown (one flag) and says so; a folder that does not exist
# is told in Chinese and leaves nothing.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

PDFTOPPM=${PDFTOPPM:-pdftoppm}
PDFTOTEXT=$(dirname "$(command -v "$PDFTOPPM" || echo /usr/bin/pdftoppm)")/pdftotext
[ -x "$PDFTOTEXT" ] || PDFTOTEXT=$(command -v pdftotext) ||
	die "pdftotext is not installed (apt-get install poppler-utils)"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 60 >/dev/null || die "demo ledger"
OFFICE_NAME=$("$XB" --home "$H" --json summary | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')
"$XB" --home "$H" --json child list --flag unsupervised --status active >"$TMP/flag.json" ||
	die "child list --flag"
json_get "$TMP/flag.json" '"\n".join(sorted(r["id"] for r in d))' >"$TMP/flag.ids"
NFLAG=$(wc -l <"$TMP/flag.ids")
[ "$NFLAG" -ge 1 ] || die "the demo has no unsupervised child"

OUT="$TMP/out"
mkdir "$OUT"
NAME="花名册-$OFFICE_NAME-2026-11-29.pdf"

tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || { finish; }
keys Enter
wait_for "w 写出名单" || { finish; }

# Show one flag: the pick list's fourth item after the ledger, one
# village and those who left.
keys f
wait_for "无人监护"
keys Down Down Down Enter
wait_for "显示：无人监护"

# w: the format, then the file offered; a folder typed gets that name.
keys w
wait_for "打印用花名册（PDF）"
keys Enter
wait_for "写到哪个文件"
wait_for "$NAME"
keys C-u
type_text "$OUT"
keys Enter
wait_for "名单已写出（$NFLAG 名儿童" 20
wait_for "$OUT/$NAME"
F="$OUT/$NAME"
check "the roster is there" test -s "$F"
check "mode 0600" [ "$(stat -c %a "$F" 2>/dev/null)" = 600 ]
"$PDFTOTEXT" -raw "$F" "$TMP/r.txt" 2>/dev/null
grep -oE '[0-9]{9}-[0-9]{5}-[0-9X]' "$TMP/r.txt" | sort >"$TMP/r.ids"
check "the children shown, and only they ($(wc -l <"$TMP/r.ids") of $NFLAG)" \
	cmp -s "$TMP/r.ids" "$TMP/flag.ids"
check "the filter in words" has "$TMP/r.txt" "标记: 无人监护; 在册状态: 在册"
keys Enter
wait_gone "名单已写出"
wait_for "已写出 $OUT/"

# A folder that does not exist: told in Chinese, nothing written.
keys w
wait_for "打印用花名册（PDF）"
keys Enter
wait_for "写到哪个文件"
keys C-u
type_text "$TMP/nowhere/r.pdf"
keys Enter
wait_for "所在文件夹不存在" 20
check "nothing written" [ ! -e "$TMP/nowhere" ]
keys Enter
wait_gone "按回车键继续"

# Esc at the format or the file name writes nothing.
keys w
wait_for "打印用花名册（PDF）"
keys Escape
wait_gone "打印用花名册（PDF）"
check "Esc writes nothing" [ "$(ls -A "$OUT" | wc -l)" -eq 1 ]

# The help screen lists the key.
keys F1
wait_for "写出名单"

finish
