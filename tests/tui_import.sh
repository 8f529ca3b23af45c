#!/bin/sh
# tui_import.sh - children from a survey sheet in the full-screen
# interface, in a real terminal (tmux) at 80x24: the start screen and its
# help name the key; the folder typed, the sheet picked, every row checked
# first with nothing written; the check's summary and the rejected row's
# reason; a resize redraws it; y imports the good rows and writes the
# rejected one beside the sheet, the whole path on the screen; Esc goes
# back; a file that is no spreadsheet is told in Chinese and writes
# nothing; the same in English (C.UTF-8). Then w on the list writes an
# .xlsx roster that imports back into the ledger unchanged.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

setup_office() {
	"$XB" --home "$1" init --office 220221100 --name 示范镇 --phone 0432-64201234 \
		>/dev/null 2>&1 &&
	"$XB" --home "$1" village add 220221100001 前进村 >/dev/null 2>&1 &&
	"$XB" --home "$1" village add 220221100002 红旗村 >/dev/null 2>&1
}
count_children() {
	"$XB" --home "$1" --json child list | grep -o '"id":' | wc -l
}
# The screen's rows joined, the column a wrapped line starts at dropped:
# a long path may wrap.
joined_has() { screen | sed 's/^ //' | tr -d '\n' | grep -qF -- "$1"; }
lacks_screen() { ! screen | grep -qF -- "$1"; }

H="$TMP/ledger"
setup_office "$H" || die "office set up"
USB="$TMP/usb"
mkdir "$USB"
# Rows 3-6 good; row 7 (孙悟) has an ID whose check character is wrong.
cat >"$USB/摸底.csv" <<'CSV'
示范镇农村留守儿童摸底排查登记表,,,,,,,
姓名,身份证号码,所在村,父亲现状,母亲现状,与儿童关系,监护人,就学状况
张小花,220221201503120122,前进村,外出务工,外出务工,奶奶,张桂芝,在读
李明,220221201307080215,前进村,外出务工,外出务工,爷爷,李大山,在校
王芳,22022120170101032X,红旗村,外出务工,外出务工,外婆,刘秀英,学龄前
赵强,220221201109200458,红旗村,外出务工,外出务工,奶奶,赵老汉,在校
孙悟,220221201605050541,红旗村,外出务工,外出务工,奶奶,孙奶奶,在校
CSV
# A Word document saved under a spreadsheet's name.
cp "${XB_SRCDIR:-.}/tests/fixtures/sheets/not-workbook.docx" "$USB/说明.xlsx" ||
	die "fixture"
REJECTS="$USB/摸底-未导入.csv"

tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
# The start screen names the key below its figures, its help too.
wait_for "F4 i 导入表格"
keys F1
wait_for "F4 i            导入表格"
keys Escape
wait_for "在册儿童"

# The folder typed, the sheet picked among the spreadsheets there.
keys i
wait_for "表格文件（.xlsx .xls .csv .txt），或存放它的文件夹" || finish
keys C-u
type_text "$USB"
keys Enter
wait_for "哪个表格" || finish
wait_for "说明.xlsx"
keys Home
# 摸底.csv sorts before 说明.xlsx.
keys Enter
wait_for "将导入 4，更新 0，未变 0；不能导入 1" 20 || finish
wait_for "尚未写入任何内容"
wait_for "第 7 行未导入：公民身份号码"
wait_for "校验码不对"
wait_for "y 导入合格的行"
check "the check writes no child" [ "$(count_children "$H")" -eq 0 ]
check "the check writes no rejects" [ ! -e "$REJECTS" ]

# A resize redraws the summary: too small first, then 80x24 again.
resize 60 20
wait_for "终端太小"
resize 80 24
wait_for "将导入 4，更新 0，未变 0；不能导入 1"
wait_for "第 7 行未导入"

# y imports the good rows; the rejected one goes beside the sheet.
keys y
wait_for "导入 4，更新 0，未变 0，未导入 1，跳过 0" 20 || finish
wait_for "已导入 4，更新 0，未导入 1"
wait_for "未导入的行已写入"
check "the whole rejects path on the screen" joined_has "$REJECTS，原因在最后一列"
check "y is gone from the keys once imported" lacks_screen "y 导入合格的行"
check "four children in the ledger" [ "$(count_children "$H")" -eq 4 ]
check "the rejects file is there" test -s "$REJECTS"
check "with the reason column" has "$REJECTS" "未导入原因"
check "and the rejected child, why" has "$REJECTS" "孙悟,220221201605050541"
check "only the rejected child" [ "$(grep -c 220221 "$REJECTS")" -eq 1 ]
check "the rest in the ledger" sh -c "'$XB' --home '$H' child list | grep -q 张小花"

# A second y imports nothing again.
keys y
wait_for "这个表格已经导入"
check "still four" [ "$(count_children "$H")" -eq 4 ]

# Esc: the start screen, counted again.
keys Escape
wait_for "在册儿童                                         4" || finish

# A Word document named .xlsx: told in Chinese, nothing written.
keys F4
wait_for "表格文件（.xlsx .xls .csv .txt）" || finish
keys C-u
type_text "$USB/说明.xlsx"
keys Enter
wait_for "不是 Excel 工作簿" 20
wait_for "这个表格不能导入，原因见上方"
check "no rejects for it" [ ! -e "$USB/说明-未导入.xlsx" ]
check "no child added" [ "$(count_children "$H")" -eq 4 ]
check "no y for it" lacks_screen "y 导入合格的行"
keys Escape
wait_for "在册儿童"

# Text with no header: told so, without the command line's --map.
printf '会议记录\n今天开会\n' >"$USB/记录.txt"
keys i
wait_for "表格文件（.xlsx .xls .csv .txt）" || finish
keys C-u
type_text "$USB/记录.txt"
keys Enter
wait_for "找不到表头" 20
check "no --map on the screen" lacks_screen "--map"
check "nothing written for it" [ ! -e "$USB/记录-未导入.txt" ]
keys Escape
wait_for "在册儿童"

# w on the list: the .xlsx roster, offered under 花名册-<office>-<date>.
OUT="$TMP/out"
mkdir "$OUT"
XLSX="$OUT/花名册-示范镇-2026-11-29.xlsx"
keys Home Enter
wait_for "w 写出名单" || finish
keys w
wait_for "电子表格花名册（.xlsx" || finish
keys Down Enter
wait_for "写到哪个文件" || finish
wait_for "花名册-示范镇-2026-11-29.xlsx"
keys C-u
type_text "$OUT"
keys Enter
wait_for "名单已写出（4 名儿童）" 20 || finish
wait_for "$XLSX"
check "the .xlsx is there" test -s "$XLSX"
check "a zip (an .xlsx) starts PK" [ "$(head -c 2 "$XLSX")" = PK ]
check "mode 0600" [ "$(stat -c %a "$XLSX" 2>/dev/null)" = 600 ]
keys Enter
wait_gone "名单已写出"
LANG=zh_CN.UTF-8 "$XB" --home "$H" child import "$XLSX" >"$TMP/back" 2>&1
check "the roster imports back, every child unchanged" has "$TMP/back" "未变 4"
check "four children still" [ "$(count_children "$H")" -eq 4 ]

# The same import in English, in a ledger of its own.
H2="$TMP/ledger2"
setup_office "$H2" || die "office set up"
USB2="$TMP/usb2"
mkdir "$USB2"
cp "$USB/摸底.csv" "$USB2/survey.csv"
tui_start 80 24 C.UTF-8 "$XB" --home "$H2"
wait_for "Children in the ledger" || finish
wait_for "F4 i import a spreadsheet"
keys F1
wait_for "import a spreadsheet"
keys Escape
keys F4
wait_for "The sheet (.xlsx .xls .csv .txt), or the folder that holds it" || finish
keys C-u
type_text "$USB2"
keys Enter
wait_for "Which sheet?" || finish
keys Enter
wait_for "Would import 4, update 0, leave 0 unchanged; 1 rejected" 20 || finish
wait_for "Row 7 not imported"
# The reason wraps between words, not inside one.
check "an English word is not cut at the wrap" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '^ expected 0, got 1\.\$'"
check "no Chinese key words on the English screen" lacks_screen "导入合格"
check "the check writes no child (en)" [ "$(count_children "$H2")" -eq 0 ]
keys y
wait_for "Imported 4, updated 0, unchanged 0, rejected 1" 20 || finish
check "the whole rejects path on the screen (en)" \
	joined_has "$USB2/survey-not-imported.csv,"
check "the rejects file (en)" test -s "$USB2/survey-not-imported.csv"
check "four children (en)" [ "$(count_children "$H2")" -eq 4 ]
keys Escape
wait_for "Children in the ledger                           4"

# A full disk (a 64 KiB tmpfs filled up, in a mount namespace of its own
# that the program runs in): libxlsxwriter prints its errors to stderr,
# which must not reach the screen; the message shown is the Chinese one.
# The sheet is an .xlsx, so its rejects are too: the good rows come in,
# the rejects file cannot be written, and the screen says both.
H3="$TMP/ledger3"
"$XB" --home "$H3" init --office 220221100 --name 示范镇 >/dev/null 2>&1 &&
	"$XB" --home "$H3" village add 220221100001 前进村 >/dev/null 2>&1 ||
	die "office set up"
FULL="$TMP/full"
mkdir "$FULL"
cat >"$TMP/infull.sh" <<'SH'
#!/bin/sh
# infull.sh DIR SHEET PROGRAM ARGS...: SHEET on a full tmpfs at DIR.
d=$1; sheet=$2; shift 2
mount -t tmpfs -o size=64k tmpfs "$d" || exit 97
cp "$sheet" "$d/" || exit 98
dd if=/dev/zero of="$d/fill" bs=1024 >/dev/null 2>&1
exec "$@"
SH
chmod +x "$TMP/infull.sh"
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
if command -v unshare >/dev/null 2>&1 &&
	$ns sh -c 'mount -t tmpfs -o size=64k tmpfs "$1"' sh "$FULL" 2>/dev/null; then
	no_lib_errors() { ! screen | grep -qE '\[ERROR\]|workbook_close|packager'; }
	tui_start 80 24 zh_CN.UTF-8 $ns "$TMP/infull.sh" "$FULL" \
		"${XB_SRCDIR:-.}/tests/fixtures/sheets/survey.xlsx" "$XB" --home "$H3"
	wait_for "在册儿童" || finish
	keys i
	wait_for "表格文件" || finish
	keys C-u
	type_text "$FULL/survey.xlsx"
	keys Enter
	wait_for "将导入 2，更新 0，未变 0；不能导入 8" 20 || finish
	keys y
	wait_for "导入 2，更新 0，未变 0，未导入 8" 20 || finish
	wait_for "已导入 2，更新 0；未导入的行没能写出"
	check "the full disk named on the screen" joined_has "下列未导入的行没能写到表格旁边：无法写入 $FULL/survey-未导入.xlsx：磁盘已满"
	check "the reasons stay on the screen" joined_has "第 6 行未导入：身份证号码被 Excel 存成了数字"
	check "no wrapped line starts with a closing mark" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '^ [。，、；：）]'"
	check "nothing of libxlsxwriter's on the screen (import)" no_lib_errors
	check "the good rows came in" [ "$(count_children "$H3")" -eq 2 ]
	keys Escape
	wait_for "在册儿童                                         2" || finish
	# The .xlsx roster onto the full disk.
	keys Home Enter
	wait_for "w 写出名单" || finish
	keys w
	wait_for "电子表格花名册（.xlsx" || finish
	keys Down Enter
	wait_for "写到哪个文件" || finish
	keys C-u
	type_text "$FULL"
	keys Enter
	wait_for "磁盘已满" 20
	check "nothing of libxlsxwriter's on the screen (roster)" no_lib_errors
	check "no English error on the screen" lacks_screen "Error"
else
	echo "no mount namespace here: the full disk is not tried" >&2
fi

finish
