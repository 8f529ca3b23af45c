#!/bin/sh
# roster.sh - the printed roster (花名册) from `child list --pdf`: the
# title, office, filters in words, header labels, a child's name, "第 1
# 页 共 N 页" with N the page count, the header row again on page 2, the
# signature line, one row a child the list holds (with --village,
# --member, --limit), mode 0600, and no file left by a missing folder or
# a full disk.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE=

PDFTOPPM=${PDFTOPPM:-pdftoppm}
[ "$PDFTOPPM" != no ] && command -v "$PDFTOPPM" >/dev/null 2>&1 ||
	die "pdftoppm is not installed (apt-get install poppler-utils)"
POPPLER=$(dirname "$(command -v "$PDFTOPPM")")
PDFTOTEXT=$POPPLER/pdftotext
PDFINFO=$POPPLER/pdfinfo
[ -x "$PDFTOTEXT" ] || PDFTOTEXT=$(command -v pdftotext) ||
	die "pdftotext is not installed (apt-get install poppler-utils)"
[ -x "$PDFINFO" ] || PDFINFO=$(command -v pdfinfo) ||
	die "pdfinfo is not installed (apt-get install poppler-utils)"

# pages PDF: its number of pages.
pages() {
	"$PDFINFO" "$1" | awk '/^Pages:/ { print $2 }'
}
# rows PDF: the case numbers it holds, one a line (a row a child).
rows() {
	"$PDFTOTEXT" -raw "$1" - | grep -oE '[0-9]{9}-[0-9]{5}-[0-9X]'
}

expect_code 0 "demo ledger" x demo
x --json summary >"$TMP/summary.json" || die "summary failed"
OFFICE=$(json_get "$TMP/summary.json" 'd["office"]')
OFFICE_NAME=$(json_get "$TMP/summary.json" 'd["name"]')

# The village with the most children, its name, one child, and a member.
x --json child list >"$TMP/all.json" 2>"$TMP/err" || die "child list: $(cat "$TMP/err")"
VILLAGE=$(json_get "$TMP/all.json" \
	'__import__("collections").Counter(r["fields"]["village_code"] for r in d).most_common(1)[0][0]')
x --json child list --village "$VILLAGE" >"$TMP/village.json" 2>"$TMP/err" ||
	die "child list --village: $(cat "$TMP/err")"
NVILLAGE=$(json_get "$TMP/village.json" 'len(d)')
VNAME=$(json_get "$TMP/village.json" 'd[0]["fields"]["village"]')
CHILD=$(json_get "$TMP/village.json" 'd[-1]["fields"]["name"]')
MEMBER=$(json_get "$TMP/village.json" 'd[0]["fields"]["member_name"]')
NMEMBER=$(json_get "$TMP/all.json" \
	'sum(1 for r in d if r["fields"].get("member_name") == "'"$MEMBER"'")')

# --- one village ---------------------------------------------------------
F="$TMP/village.pdf"
expect_code 0 "child list --village --pdf" x child list --village "$VILLAGE" --pdf "$F"
check "says the path and the count ($(cat "$TMP/out"))" \
	grep -qF "$F：$NVILLAGE 名儿童" "$TMP/out"
check "the roster is written" test -s "$F"
check "mode 0600 ($(stat -c %a "$F"))" [ "$(stat -c %a "$F")" = 600 ]
"$PDFTOTEXT" -raw "$F" "$TMP/village.txt" || fail "pdftotext on the roster"
check "title" has "$TMP/village.txt" "${OFFICE_NAME}农村留守儿童花名册"
check "office name and code" has "$TMP/village.txt" "填报单位：$OFFICE_NAME（$OFFICE）"
check "date made" has "$TMP/village.txt" "制表日期：2026-11-29"
check "the count" has "$TMP/village.txt" "共 $NVILLAGE 人"
check "the filter in words" has "$TMP/village.txt" "村(居): $VNAME ($VILLAGE)"
for label in 序号 档案编号 姓名 性别 出生日期 公民身份号码 包保责任人; do
	check "header label $label" has "$TMP/village.txt" "$label"
done
check "a child's name ($CHILD)" has "$TMP/village.txt" "$CHILD"
N=$(pages "$F")
check "page 1 of $N" has "$TMP/village.txt" "第 1 页 共 $N 页"
check "signature line" has "$TMP/village.txt" "填报人："
check "signature: checked by, seal, date" \
	grep -q '审核人：.*单位（盖章）：.*日期：' "$TMP/village.txt"
rows "$F" | sort >"$TMP/village.rows"
json_get "$TMP/village.json" '"\n".join(sorted(r["id"] for r in d))' >"$TMP/village.ids"
check "one row a child of the village ($(wc -l <"$TMP/village.rows") of $NVILLAGE)" \
	cmp -s "$TMP/village.rows" "$TMP/village.ids"

# --- the whole ledger: many pages, the header on each --------------------
A="$TMP/all.pdf"
expect_code 0 "child list --pdf" x --json child list --pdf "$A"
NALL=$(json_get "$TMP/all.json" 'len(d)')
NA=$(pages "$A")
check "the whole ledger takes pages ($NA)" [ "$NA" -ge 3 ]
check "--json tells the path, children and pages ($(cat "$TMP/out"))" \
	[ "$(json_get "$TMP/out" '"%s %d %d" % (d["path"], d["children"], d["pages"])')" = "$A $NALL $NA" ]
check "rows: $NALL" [ "$(rows "$A" | sort -u | wc -l)" -eq "$NALL" ]
"$PDFTOTEXT" -raw -f 2 -l 2 "$A" "$TMP/p2.txt"
check "page 2 repeats the header row" grep -q '公民身份号码' "$TMP/p2.txt"
check "page 2 says so" has "$TMP/p2.txt" "第 2 页 共 $NA 页"
"$PDFTOTEXT" -raw -f "$NA" -l "$NA" "$A" "$TMP/last.txt"
check "the signature is on the last page" has "$TMP/last.txt" "填报人："
"$PDFTOTEXT" -raw -f 1 -l 1 "$A" "$TMP/p1.txt"
check "not on the first" sh -c '! grep -q "填报人：" "$1"' sh "$TMP/p1.txt"
check "no filter: says none" has "$TMP/p1.txt" "筛选条件：无"

# --- --member, --limit, nothing ------------------------------------------
expect_code 0 "child list --member" x child list --member "$MEMBER"
check "--member lists the member's children ($(wc -l <"$TMP/out") of $NMEMBER)" \
	[ "$(grep -cE '^[0-9]{9}-' "$TMP/out")" -eq "$NMEMBER" ]
M="$TMP/member.pdf"
expect_code 0 "child list --member --pdf" x child list --member "$MEMBER" --pdf "$M"
check "--member roster: $NMEMBER rows" [ "$(rows "$M" | wc -l)" -eq "$NMEMBER" ]
"$PDFTOTEXT" -raw "$M" "$TMP/member.txt"
check "--member named among the filters" has "$TMP/member.txt" "包保责任人: $MEMBER"
expect_code 0 "--member --flag --status together" \
	x child list --member "$MEMBER" --flag visit_overdue --status active --pdf "$M"
"$PDFTOTEXT" -raw "$M" "$TMP/member2.txt"
check "every filter in words" grep -q "标记: 走访逾期; 在册状态: 在册; 包保责任人: $MEMBER" "$TMP/member2.txt"
expect_code 0 "--limit 5 --pdf" x child list --limit 5 --pdf "$TMP/five.pdf"
check "--limit 5: five rows" [ "$(rows "$TMP/five.pdf" | wc -l)" -eq 5 ]
expect_code 0 "no child matches" x child list --member "无此人" --pdf "$TMP/none.pdf"
check "no child: 0 said" grep -qF "：0 名儿童" "$TMP/out"
"$PDFTOTEXT" -raw "$TMP/none.pdf" "$TMP/none.txt"
check "no child: said on the page" has "$TMP/none.txt" "没有符合条件的儿童"
check "no child: still signed" has "$TMP/none.txt" "填报人："

# --- what goes wrong -----------------------------------------------------
expect_code 2 "--pdf without a file" x child list --pdf
expect_code 1 "a folder that does not exist" x child list --pdf "$TMP/nowhere/r.pdf"
check "says the folder does not exist, in Chinese ($(cat "$TMP/err"))" \
	grep -qF "无法写入 $TMP/nowhere/r.pdf：所在文件夹不存在" "$TMP/err"
check "and leaves nothing" [ ! -e "$TMP/nowhere" ]
mkdir "$TMP/ro" && touch "$TMP/ro/file"
expect_code 1 "a file where the folder should be" x child list --pdf "$TMP/ro/file/r.pdf"
check "leaves nothing beside it ($(ls -A "$TMP/ro" | tr '\n' ' '))" [ "$(ls -A "$TMP/ro")" = file ]
if [ "$(id -u)" -ne 0 ]; then
	chmod 0500 "$TMP/ro"
	expect_code 1 "a folder without write permission" x child list --pdf "$TMP/ro/r.pdf"
	check "says no permission ($(cat "$TMP/err"))" grep -qF "没有在该文件夹中写入的权限" "$TMP/err"
	chmod 0700 "$TMP/ro"
fi

# A full disk: a 64 KiB tmpfs filled up, in a mount namespace of its own;
# without mount rights, a file size limit (SIGXFSZ ignored: EFBIG).
mkdir "$TMP/full"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
if command -v unshare >/dev/null 2>&1 &&
	$ns sh -c 'mount -t tmpfs -o size=64k tmpfs "$1"' sh "$TMP/full" 2>/dev/null; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	$ns sh -c '
		mount -t tmpfs -o size=64k tmpfs "$1" || exit 97
		dd if=/dev/zero of="$1/fill" bs=1024 >/dev/null 2>&1
		"$5" --home "$2" child list --pdf "$1/roster.pdf"
		rc=$?
		ls -A "$1" >"$4"
		exit $rc' sh "$TMP/full" "$H" "" "$TMP/full.ls" "$XB" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "full disk: fails (exit $rc)" [ "$rc" -eq 1 ]
	check "full disk: the tmpfs was mounted" [ "$rc" -ne 97 ]
	check "full disk: says the disk is full ($(cat "$TMP/err"))" grep -qF "磁盘已满" "$TMP/err"
	check "full disk: leaves no file ($(tr '\n' ' ' <"$TMP/full.ls"))" \
		[ "$(cat "$TMP/full.ls")" = fill ]
else
	(
		trap '' XFSZ
		ulimit -f 8
		exec "$XB" --home "$H" child list --pdf "$TMP/full/roster.pdf"
	) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "size limit: fails (exit $rc)" [ "$rc" -eq 1 ]
	check "size limit: says why ($(cat "$TMP/err"))" grep -qF "ulimit -f" "$TMP/err"
	check "size limit: leaves no file ($(ls -A "$TMP/full" | tr '\n' ' '))" \
		[ -z "$(ls -A "$TMP/full")" ]
fi

finish
