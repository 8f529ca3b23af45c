#!/bin/sh
# sheet_import.sh - the survey an office keeps in Excel comes in: `child
# import` on CSV sheets as offices save them (a title row, a blank row,
# header variants, dates typed every way, full-width digits, a total row;
# UTF-8 and GBK), what it refuses and why, the rejects file fixed and
# imported again, importing twice, a dry run, a missing column, --map.
. "${XB_SRCDIR:-.}/tests/lib.sh"

export LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE=
H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }

setup_office() {
	"$XB" --home "$1" init --office 220221100 --name 示范镇 --phone 0432-64201234 \
		>/dev/null 2>&1 &&
	"$XB" --home "$1" village add 220221100001 前进村 >/dev/null 2>&1 &&
	"$XB" --home "$1" village add 220221100002 红旗村 >/dev/null 2>&1
}
not_utf8() { ! iconv -f UTF-8 -t UTF-8 "$1" -o /dev/null 2>/dev/null; }
lacks() { ! grep -qF -- "$2" "$1"; }
count_children() {
	"$XB" --home "$1" --json child list | grep -o '"id":' | wc -l
}
setup_office "$H" || fail "office set up"

# The survey as a township keeps it. Rows (sheet row numbers):
#  4 张小花  good; birth 2015.3.12, 奶奶, 外出打工, 在读
#  5 李明    good; ID typed with spaces, birth 2013/7/8, village 前进 (no 村)
#  6 王芳    good; ID in full-width digits, birth 2017年1月1日, 外婆
#  7 赵强    good; no ID number, birth 20110920
#  8 钱多    ID mangled by Excel (2.20221E+17)
#  9 孙悟    ID with a wrong check character
# 10 张小花二 the same ID as row 4
# 11 赵强    no ID, same name and birth date as row 7
# 12 周周    与儿童关系 网友: no such choice
# 13 blank; 14 the total row
SHEET="$TMP/survey.csv"
cat >"$SHEET" <<'CSV'
示范镇农村留守儿童摸底排查登记表,,,,,,,,,,,,
,,,,,,,,,,,,
序号,儿童姓名,性别,出生日期,身份证号码,所在村,父亲现状,母亲现状,与儿童关系,监护人,就学状况,包保人,户口所在地
1,张小花,女,2015.3.12,220221201503120122,前进村,外出打工,外出务工,奶奶,张桂芝,在读,王主任,本村
2,李明,男,2013/7/8,2202 2120 1307 0802 15,前进, 外出务工 ,外出务工,爷爷,李大山,在校,王主任,本村
3,王芳,女,2017年1月1日,２２０２２１２０１７０１０１０３２Ｘ,红旗村,外出务工,外出务工,外婆,刘秀英,学龄前,陈委员,外地
4,赵强,男,20110920,,红旗村,外出务工,外出务工,祖父母/外祖父母,赵老汉,在校,陈委员,本村
5,钱多,男,2012-01-01,2.20221E+17,红旗村,外出务工,外出务工,奶奶,钱奶奶,在校,陈委员,本村
6,孙悟,女,2016-05-05,220221201605050541,红旗村,外出务工,外出务工,奶奶,孙奶奶,在校,陈委员,本村
7,张小花二,女,2015-03-12,220221201503120122,前进村,外出务工,外出务工,奶奶,张桂芝,在校,王主任,本村
8,赵强,男,2011-09-20,,红旗村,外出务工,外出务工,奶奶,赵奶奶,在校,陈委员,本村
9,周周,男,2014-02-14,220221201402140677,红旗村,外出务工,外出务工,网友,周邻,在校,陈委员,本村
,,,,,,,,,,,,
合计,9人,,,,,,,,,,,
CSV

# A dry run tells all and writes nothing.
expect_code 3 "dry run exit (rows rejected)" x child import "$SHEET" --dry-run
check "dry run: summary" has "$TMP/out" "导入 4，更新 0，未变 0，未导入 5，跳过 2"
check "dry run: said so" has "$TMP/out" "试运行"
check "dry run: nothing written" [ "$(count_children "$H")" -eq 0 ]

expect_code 3 "import exit (rows rejected)" x child import "$SHEET" --rejects "$TMP/rejects.csv"
check "summary" has "$TMP/out" "导入 4，更新 0，未变 0，未导入 5，跳过 2"
check "header row found under the title" has "$TMP/out" "第 3 行"
check "unknown column listed" has "$TMP/out" "户口所在地"
check "four children in the ledger" [ "$(count_children "$H")" -eq 4 ]
check "mangled ID told as Excel's doing" has "$TMP/out" "第 8 行"
check "mangled ID: how to fix the column" has "$TMP/out" "文本"
check "wrong check character refused" has "$TMP/out" "第 9 行"
check "same ID twice: the first row named" grep -q "第 10 行.*第 4 行" "$TMP/out"
check "possible duplicate without ID" grep -q "第 11 行.*赵强" "$TMP/out"
check "unknown choice refused" has "$TMP/out" "第 12 行"
check "total row skipped" grep -q "第 14 行.*合计" "$TMP/out"

# What came in, normalised: the ID from full-width digits, dates, choices.
x --json search 王芳 >"$TMP/s.json" 2>&1
check "full-width ID made plain" has "$TMP/s.json" "22022120170101032X"
x --json search 李明 >"$TMP/s.json" 2>&1
check "ID typed with spaces taken" has "$TMP/s.json" "220221201307080215"
check "village found by its name without 村" has "$TMP/s.json" "220221100001"
x --json search 张小花 >"$TMP/s.json" 2>&1
check "奶奶 is a grandparent" has "$TMP/s.json" '"guardian_relation": "grandparent"'
check "在读 is in school" has "$TMP/s.json" '"enrolment": "in_school"'
x --json search 赵强 >"$TMP/s.json" 2>&1
check "20110920 is a date" has "$TMP/s.json" "2011-09-20"

# The rejects file: the same header, the reason last, only the bad rows.
check "rejects written" [ -f "$TMP/rejects.csv" ]
check "rejects: header kept" has "$TMP/rejects.csv" "儿童姓名"
check "rejects: reason column" has "$TMP/rejects.csv" "未导入原因"
check "rejects: five rows" [ "$(grep -c '外出务工' "$TMP/rejects.csv")" -eq 5 ]
check "rejects: good rows not in it" lacks "$TMP/rejects.csv" "李明"

# The clerk fixes two rows in the rejects file, deletes the two that were
# mistakes (the second 张小花, the wrong check character) and imports it.
sed -e 's/2\.20221E+17/220221201201010016/' -e 's/,网友,/,奶奶,/' \
    -e '/张小花二/d' -e '/孙悟/d' "$TMP/rejects.csv" >"$TMP/fixed.csv"
expect_code 3 "fixed rejects imported" x child import "$TMP/fixed.csv"
check "fixed rows in, the duplicate still told" has "$TMP/out" "导入 2，更新 0，未变 0，未导入 1"
check "reason column not listed as unknown" lacks "$TMP/out" "未导入原因"

# The same sheet again adds nothing.
expect_code 3 "import again" x child import "$SHEET"
check "again: nothing new" has "$TMP/out" "导入 0，更新 0，未变 4"
check "again: still six children" [ "$(count_children "$H")" -eq 6 ]

# A changed cell updates that child only, and the history says so.
sed 's/张桂芝,在读/张桂芝改,在读/' "$SHEET" >"$TMP/changed.csv"
expect_code 3 "changed sheet" x child import "$TMP/changed.csv"
check "changed: one updated" has "$TMP/out" "导入 0，更新 1，未变 3"
CASE=$(x --json search 张小花 | sed -n 's/.*"id": "\(220221100-[0-9]*-[0-9X]\)".*/\1/p' | head -1)
x history "$CASE" >"$TMP/h.txt" 2>&1
check "history names the sheet import" has "$TMP/h.txt" "表格导入"
check "history shows the new value" has "$TMP/h.txt" "张桂芝改"

# JSON for scripts.
x --json child import "$SHEET" --dry-run >"$TMP/j.json" 2>"$TMP/err"
for k in imported updated unchanged rejected skipped; do
	check "json has $k" has "$TMP/j.json" "\"$k\""
done

# GBK, as Chinese Excel saves a CSV, into a new ledger: the same result.
G="$TMP/gbk"
setup_office "$G" || fail "gbk office"
iconv -f UTF-8 -t GB18030 "$SHEET" >"$TMP/survey-gbk.csv"
expect_code 3 "GBK import" "$XB" --home "$G" child import "$TMP/survey-gbk.csv" \
	--rejects "$TMP/rejects-gbk.csv"
check "GBK: same summary" has "$TMP/out" "导入 4，更新 0，未变 0，未导入 5，跳过 2"
check "GBK: names right" [ "$("$XB" --home "$G" --json search 王芳 | grep -c 王芳)" -ge 1 ]
check "GBK rejects stay GBK" iconv -f GB18030 -t UTF-8 "$TMP/rejects-gbk.csv" -o /dev/null
check "GBK rejects are not UTF-8" not_utf8 "$TMP/rejects-gbk.csv"

# A column every child needs is missing: refused whole, named, nothing in.
M="$TMP/missing"
setup_office "$M" || fail "missing office"
cut -d, -f1-8,10- "$SHEET" >"$TMP/nocol.csv"
expect_code 3 "missing column refused" "$XB" --home "$M" child import "$TMP/nocol.csv"
check "missing column named" has "$TMP/err" "实际监护人关系"
check "missing column: --map suggested" has "$TMP/err" "--map"
check "missing column: nothing in" [ "$(count_children "$M")" -eq 0 ]

# --map names a header the tables do not know.
sed 's/与儿童关系/看护人身份/' "$SHEET" >"$TMP/odd.csv"
expect_code 3 "--map" "$XB" --home "$M" child import "$TMP/odd.csv" \
	--map '看护人身份=guardian_relation'
check "--map: rows in" has "$TMP/out" "导入 4，"

# A two-level header whose last parent is merged over the last columns
# (监护人 over 姓名 | 与儿童关系 | 电话): the header row ends at 监护人, its
# merged cells being trailing empty ones; the columns under it count.
printf '%s\n' '姓名,性别,身份证号码,所在村,就学状况,父亲现状,母亲现状,监护人,,' \
	',,,,,,,姓名,与儿童关系,电话' \
	'张浩然,男,220221201205030110,前进村,在校,外出务工,外出务工,张德福,祖父母,13944210001' \
	>"$TMP/merged-last.csv"
expect_code 0 "a parent merged over the last columns" "$XB" --home "$M" child import \
	"$TMP/merged-last.csv" --dry-run
check "merged last parent: its columns taken" has "$TMP/out" "取用 10 列"
check "merged last parent: the row goes in" has "$TMP/out" "导入 1，"

# The survey as Excel, WPS and LibreOffice save it (tests/fixtures/sheets:
# a merged title, a blank row, date cells, a date typed 2015.3.12, an ID
# Excel made a number, blank rows and a total row): every format gives
# the same children.
FX="${XB_SRCDIR:-..}/tests/fixtures/sheets"
for f in survey.xlsx survey.xls survey-gbk.csv survey-utf8bom.csv survey-utf16.txt; do
	F="$TMP/fx-$f"
	setup_office "$F" || fail "$f office"
	"$XB" --home "$F" village add 220221100003 太平村 >/dev/null 2>&1
	"$XB" --home "$F" village add 220221100004 永丰村 >/dev/null 2>&1
	expect_code 3 "$f imported" "$XB" --home "$F" child import "$FX/$f" \
		--rejects "$TMP/rej-$f"
	check "$f: summary" has "$TMP/out" "导入 7，更新 0，未变 0，未导入 3，跳过 3"
	check "$f: header under the merged title" has "$TMP/out" "表头在第 3 行"
	check "$f: the number Excel made of an ID" grep -q "第 6 行.*文本" "$TMP/out"
	check "$f: a header with a line break named whole" has "$TMP/out" "联系电话"
	"$XB" --home "$F" --json child list >"$TMP/list.json" 2>&1
	check "$f: date cell read" has "$TMP/list.json" "2012-05-03"
	check "$f: date typed 2015.3.12" has "$TMP/list.json" "2015-03-12"
done
check "xlsx rejects are an .xlsx" [ "$(head -c 2 "$TMP/rej-survey.xlsx")" = PK ]
check "xls rejects are an .xlsx too" [ "$(head -c 2 "$TMP/rej-survey.xls")" = PK ]
expect_code 3 "xlsx rejects read back" "$XB" --home "$TMP/fx-survey.xlsx" child import \
	"$TMP/rej-survey.xlsx"
check "xlsx rejects: the same three refused" has "$TMP/out" "导入 0，更新 0，未变 0，未导入 3"

# Round trip: the roster written for Excel comes back unchanged, in the
# same ledger and (as new children) in another office's.
expect_code 0 "roster as .xlsx" x child list --xlsx "$TMP/roster.xlsx"
check "roster .xlsx written" has "$TMP/out" "roster.xlsx"
expect_code 0 "roster .xlsx back: unchanged" x child import "$TMP/roster.xlsx"
check "roster .xlsx: every child unchanged" has "$TMP/out" "导入 0，更新 0，未变 6，未导入 0"
expect_code 0 "roster as GBK CSV" x child list --csv "$TMP/roster.csv" --encoding gbk
check "GBK roster is GBK" not_utf8 "$TMP/roster.csv"
check "GBK roster: Chinese headers" sh -c "iconv -f GBK -t UTF-8 '$TMP/roster.csv' | grep -q 公民身份号码"
expect_code 0 "roster CSV back: unchanged" x child import "$TMP/roster.csv"
check "roster CSV: every child unchanged" has "$TMP/out" "未变 6，未导入 0"
expect_code 0 "roster as UTF-8 CSV" x child list --csv "$TMP/roster8.csv"
check "UTF-8 roster has a BOM" [ "$(head -c 3 "$TMP/roster8.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
R="$TMP/other"
setup_office "$R" || fail "other office"
expect_code 0 "roster into a new ledger" "$XB" --home "$R" child import "$TMP/roster.xlsx"
check "roster: six new children" has "$TMP/out" "导入 6，更新 0，未变 0，未导入 0"
expect_code 0 "and again: unchanged" "$XB" --home "$R" child import "$TMP/roster.xlsx"
check "roster again: unchanged" has "$TMP/out" "导入 0，更新 0，未变 6"
expect_code 0 "filtered roster" x child list --village 220221100002 --csv "$TMP/v2.csv"
check "filtered roster: only that village" [ "$(grep -c 红旗村 "$TMP/v2.csv")" -eq "$(x --json child list --village 220221100002 | grep -c '"id":')" ]
expect_code 2 "--encoding without --csv" x child list --encoding gbk

# A full disk where the rejects go: the good rows are in all the same, the
# command says so, then why the rejects file is missing. A 64 KiB tmpfs
# filled up, in a mount namespace of its own (where one can be made).
mkdir "$TMP/full"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
FD="$TMP/fulldisk"
setup_office "$FD" || fail "full-disk office"
if command -v unshare >/dev/null 2>&1 &&
	$ns sh -c 'mount -t tmpfs -o size=64k tmpfs "$1"' sh "$TMP/full" 2>/dev/null; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	$ns sh -c '
		mount -t tmpfs -o size=64k tmpfs "$1" || exit 97
		dd if=/dev/zero of="$1/fill" bs=1024 >/dev/null 2>&1
		"$4" --home "$2" child import "$3" --rejects "$1/rejects.csv"
		rc=$?
		ls -A "$1" >"$5"
		exit $rc' sh "$TMP/full" "$FD" "$SHEET" "$XB" "$TMP/full.ls" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "full disk: the tmpfs was mounted" [ "$rc" -ne 97 ]
	check "full disk: fails (exit $rc)" [ "$rc" -eq 1 ]
	check "full disk: says the disk is full" has "$TMP/err" "磁盘已满"
	check "full disk: the good rows told" has "$TMP/out" "导入 4，"
	check "full disk: the reasons told" has "$TMP/out" "第 8 行"
	check "full disk: the good rows are in" [ "$(count_children "$FD")" -eq 4 ]
	check "full disk: no partial rejects file" [ "$(cat "$TMP/full.ls")" = fill ]
else
	echo "note: no mount namespace here; the full-disk import is not tried"
fi

# Not a spreadsheet at all.
printf '\000\001\002\003binary' >"$TMP/junk.csv"
expect_code 3 "junk refused" x child import "$TMP/junk.csv"
check "junk: nothing added" [ "$(count_children "$H")" -eq 6 ]

# A damaged .xls that crashes FreeXL 1.0.6 inside freexl_open (a free of
# a bad pointer): read in a child process, so the program lives to say so.
B="$TMP/badxls"
"$XB" --home "$B" init --office 220221100 --name 镇 --phone 0432-64201234 \
	>/dev/null 2>&1 || fail "office for the damaged .xls"
BAD="$XB_SRCDIR/fuzz/regressions/sheet/xls_freexl_bad_free_in_open"
expect_code 3 "damaged .xls: refused, no crash" "$XB" --home "$B" child import "$BAD"
check "damaged .xls: said in Chinese" has "$TMP/err" "损坏"
check "damaged .xls: the file named" has "$TMP/err" "$BAD"
check "damaged .xls: nothing added" [ "$(count_children "$B")" -eq 0 ]

finish
