#!/bin/sh
# tui_stats.sh - the statistics screen (统计报表) in a real terminal
# (tmux) at 80x24, in Chinese and in English, over a small ledger built
# day by day through the command line with the clock pinned: F5 t from
# the start screen opens on the last closed month; its figures are those
# of `xiangban --json stats` for that period; [ and ] step to the month
# before and back; q, y and m switch to the quarter, the year and back to
# the month; b shows the villages across with the total; a period typed
# wrong is refused in Chinese and the table stays; w writes the table as
# a PDF and an .xlsx to a folder typed, p prints it; a resize and a
# terminal too small redraw without leftovers.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

export TZ=Asia/Shanghai
H="$TMP/ledger"
# day DAY CMD...: runs the program as on that day.
day() {
	d=$1
	shift
	XIANGBAN_NOW="${d}T10:00:00" "$XB" --home "$H" "$@" >"$TMP/out" 2>"$TMP/err" ||
		die "on $d: $*: $(cat "$TMP/err")"
}
case_of() { sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out" | head -n1; }

day 2026-09-01 init --office 220221100 --name 示范镇
# The responsible members are users of the ledger (clerks, of no village).
for m in 李主任 王委员; do
	XIANGBAN_NOW=2026-09-01T10:00:00 with_new_password pw "$H" user add "$m" role=clerk \
		>/dev/null 2>"$TMP/err" || die "user $m: $(cat "$TMP/err")"
done
day 2026-09-05 child add name=李明 sex=M birth_date=2012-03-01 \
	village_code=220221100001 village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李奶奶 enrolment=in_school \
	assistance=dibao member_name=李主任
A=$(case_of)
day 2026-09-10 child add name=王芳 sex=F birth_date=2020-05-06 \
	village_code=220221100002 village=红旗村 father_status=away mother_status=home \
	mother_capable=none guardian_relation=none enrolment=dropped_out member_name=王委员
B=$(case_of)
day 2026-10-03 child add name=李小宝 sex=M birth_date=2022-01-10 no_hukou=yes \
	village_code=220221100001 village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李奶奶 enrolment=preschool \
	member_name=李主任
C=$(case_of)
day 2026-10-12 visit add "$A" date=2026-10-12 visitor=李主任 kind=phone next_due=2026-11-10
day 2026-10-28 report add "$C" category=missing found_at="2026-10-28 10:00" \
	found_by=李奶奶 reporter_kind=family description=走失
day 2026-11-02 visit add "$C" date=2026-10-30 visitor=李主任 kind=home next_due=2026-12-30
day 2026-11-05 child exit "$B" exit_reason=parents_returned exit_date=2026-11-05 --yes
day 2026-11-20 visit add "$A" date=2026-11-20 visitor=李主任 kind=home next_due=2026-12-20
day 2026-11-25 child add name=赵丽 sex=F birth_date=2015-07-07 \
	village_code=220221100002 village=红旗村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=赵爷爷 enrolment=in_school \
	member_name=王委员

# The screen is opened on 3 December: last month is November.
XIANGBAN_NOW=2026-12-03T09:00:00
export XIANGBAN_NOW
"$XB" --home "$H" --json stats --period 2026-11 >"$TMP/nov.json" || die "stats November"
"$XB" --home "$H" --json stats --period 2026-10 >"$TMP/oct.json" || die "stats October"
"$XB" --home "$H" --json stats --period 2026-11 --by village >"$TMP/nov-v.json" ||
	die "stats November by village"

# marks TOP BOTTOM: polls until the scroll marks in the first column of
# the table's first and last rows (4 and 22) are TOP and BOTTOM ("^",
# "v" or " ").
marks() {
	n=100
	while [ $n -gt 0 ]; do
		got=$(screen | awk 'NR == 4 || NR == 22 { printf "%s", substr($0 " ", 1, 1) }')
		if [ "$got" = "$1$2" ]; then
			pass
			return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	fail "the scroll marks are '$got', not '$1$2':"
	screen >&2
}
# capture_all FILE: the table's rows, from its top (FILE.1), a page down
# (FILE.2) and its end (FILE.3).
capture_all() {
	keys Home
	marks " " v
	screen >"$1.1"
	keys PageDown
	marks "^" v
	screen >"$1.2"
	keys End
	marks "^" " "
	screen >"$1.3"
	keys Home
	marks " " v
}
# settled FILE: the screen once two captures a tenth of a second apart
# agree (a redraw is over), into FILE.
settled() {
	screen >"$1.a"
	n=50
	while [ $n -gt 0 ]; do
		sleep 0.1
		screen >"$1"
		cmp -s "$1" "$1.a" && return 0
		mv "$1" "$1.a"
		n=$((n - 1))
	done
}
# title_width: the display columns of the screen's first line.
title_width() {
	screen | head -n1 | python3 -c '
import sys, unicodedata
s = sys.stdin.read().rstrip()
print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s))'
}
# wait_width N: polls until the title reaches column N (the program has
# redrawn at the new size).
wait_width() {
	n=100
	while [ $n -gt 0 ] && [ "$(title_width)" -ne "$1" ]; do
		sleep 0.05
		n=$((n - 1))
	done
	check "the title ends at column $1 (it is $(title_width))" [ "$(title_width)" -eq "$1" ]
}
# same_as_json WHAT CAPTURE JSON [ROW]: every figure shown, line by line
# in the order of the columns, equals the JSON's (the total's, the last
# figure on each line; with ROW, the N-th figure, row N's).
same_as_json() {
	python3 - "$2" "$3" "$1" "${4:-}" <<'EOF' || fail "$1: figures differ from xiangban --json stats"
import json, re, sys
cap, js, what, row = sys.argv[1:5]
def body(n):
    # the table's rows: screen rows 4 to 22, the scroll marks taken off
    lines = open("%s.%d" % (cap, n), encoding="utf-8").read().split("\n")[3:22]
    return [re.sub(r"^[\^v] ", "  ", l.rstrip()) for l in lines]
top, page, end = body(1), body(2), body(3)
def join(a, b):
    # b goes on from a, over the lines they share (a page down keeps
    # one; the end, more)
    for k in range(min(len(a), len(b)), 0, -1):
        if a[-k:] == b[:k]:
            return a + b[k:]
    return a + b
lines = join(join(top, page), end)
figs = []
for l in lines:
    m = re.match(r"^\s+(\S.*?)\s{2,}((?:-|\d+(?:\.\d)?)(?:\s+(?:-|\d+(?:\.\d)?))*)$", l)
    if m:
        figs.append((m.group(1), m.group(2).split()))
d = json.load(open(js))
keys = list(d["total"].keys())
if len(figs) != len(keys):
    print("%s: %d lines of figures shown, %d columns in the JSON" % (what, len(figs), len(keys)),
          file=sys.stderr)
    sys.exit(1)
bad = []
for (label, nums), key in zip(figs, keys):
    want = d["rows"][int(row)][key] if row else d["total"][key]
    want = "-" if want is None else ("%.1f" % want if isinstance(want, float) else str(want))
    got = nums[int(row)] if row else nums[-1]
    if got != want:
        bad.append("%s (%s): shown %s, stats says %s" % (label, key, got, want))
if bad:
    print(what + ": " + "; ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
}

# A stand-in for CUPS' lp (run as lp -- FILE): keeps what it is given.
mkdir "$TMP/bin"
printf '#!/bin/sh\ncp "$2" "%s/printed.pdf"\n' "$TMP" >"$TMP/bin/lp"
chmod +x "$TMP/bin/lp"
PDFTOPPM=${PDFTOPPM:-pdftoppm}
PDFTOTEXT=$(dirname "$(command -v "$PDFTOPPM" || echo /usr/bin/pdftoppm)")/pdftotext
[ -x "$PDFTOTEXT" ] || PDFTOTEXT=$(command -v pdftotext) ||
	die "pdftotext is not installed (apt-get install poppler-utils)"

tui_start 80 24 zh_CN.UTF-8 env "PATH=$TMP/bin:$PATH" "$XB" --home "$H"
wait_for "在册儿童" || finish
# The start screen shows the key among its others, and so does its help.
wait_for "F5 t 统计报表"
keys F1
wait_for "F5 t"
keys Escape
wait_for "今日数据"

# t opens the statistics on November, the month an office files in
# December.
keys t
wait_for "统计报表 2026年11月" || finish
wait_for "2026-11-01至2026-11-30"
wait_for "数据截至 2026-11-30"
wait_for "仅合计"
capture_all "$TMP/nov.screen"
same_as_json "November's total" "$TMP/nov.screen" "$TMP/nov.json"

# The month before, and back.
keys '['
wait_for "统计报表 2026年10月" || finish
capture_all "$TMP/oct.screen"
same_as_json "October's total" "$TMP/oct.screen" "$TMP/oct.json"
keys ']'
wait_for "统计报表 2026年11月"
capture_all "$TMP/nov2.screen"
same_as_json "November's total again" "$TMP/nov2.screen" "$TMP/nov.json"

# The quarter and the year holding it, then back to November (q is the
# quarter here, not back).
keys q
wait_for "统计报表 2026年第4季度"
wait_for "2026-10-01至2026-12-31"
keys y
wait_for "统计报表 2026年度"
keys m
wait_for "统计报表 2026年11月"

# By village: the villages across, the total last, each village's
# figures its row's.
keys b
wait_for "按村(居)" || finish
wait_for "前进村"
wait_for "红旗村"
wait_for "合计"
check "the villages, then the total, across" sh -c \
	"tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qE '^ 按村\(居\) +前进村 +红旗村 +合计'"
capture_all "$TMP/v.screen"
same_as_json "November by village: the total" "$TMP/v.screen" "$TMP/nov-v.json"
same_as_json "November by village: the first village" "$TMP/v.screen" "$TMP/nov-v.json" 0
same_as_json "November by village: the second village" "$TMP/v.screen" "$TMP/nov-v.json" 1

# w writes the table shown (November by village) as a PDF and as an
# .xlsx into a folder typed; the name offered is 统计表-<office>-<period>;
# the box after says the whole path.
OUT="$TMP/stick"
mkdir "$OUT"
keys w
wait_for "统计表写成" || finish
keys Enter
wait_for "统计表-示范镇-2026-11.pdf"
keys C-u
type_text "$OUT"
keys Enter
wait_for "$OUT/统计表-示范镇-2026-11.pdf" 20
keys Enter
check "the PDF is there" test -s "$OUT/统计表-示范镇-2026-11.pdf"
"$PDFTOTEXT" "$OUT/统计表-示范镇-2026-11.pdf" "$TMP/t.txt" 2>/dev/null
check "the PDF names the office" has "$TMP/t.txt" "示范镇"
check "the PDF names the villages" has "$TMP/t.txt" "前进村"
keys w
wait_for "统计表写成"
keys Down Enter
wait_for "统计表-示范镇-2026-11.xlsx"
keys C-u
type_text "$OUT"
keys Enter
wait_for "$OUT/统计表-示范镇-2026-11.xlsx" 20
keys Enter
check "the .xlsx is there" test -s "$OUT/统计表-示范镇-2026-11.xlsx"
check "the .xlsx is a workbook" sh -c "unzip -l '$OUT/统计表-示范镇-2026-11.xlsx' | grep -q xl/workbook.xml"
# A folder that does not exist: told in Chinese, nothing written.
keys w
wait_for "统计表写成"
keys Enter
wait_for "统计表-示范镇-2026-11.pdf"
keys C-u
type_text "$TMP/nowhere/t.pdf"
keys Enter
wait_for "$TMP/nowhere" 20
check "the refusal is in Chinese" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '[无不]'"
keys Enter
check "nothing written there" test ! -e "$TMP/nowhere"

# p prints it: the PDF goes to lp (a stand-in here that keeps it).
keys p
wait_for "已发送到打印机" 20
check "lp got the table" test -s "$TMP/printed.pdf"
"$PDFTOTEXT" "$TMP/printed.pdf" "$TMP/p.txt" 2>/dev/null
check "the printed table names the office" has "$TMP/p.txt" "示范镇"

# A period typed wrong: refused in Chinese, the table stays November's.
keys e
wait_for "统计哪个期间"
keys C-u
type_text "2026-13"
keys Enter
wait_for "“2026-13”不是统计期间"
keys Enter
wait_gone "统计哪个期间"
wait_for "统计报表 2026年11月"
wait_for "前进村"
# Two dates typed: a run of days.
keys e C-u
type_text "2026-11-03 2026-12-01"
keys Enter
wait_for "统计报表 2026-11-03至2026-12-01"
# t: this month.
keys t
wait_for "统计报表 2026年12月"
keys '['
wait_for "统计报表 2026年11月"

# A resize redraws it all, with nothing left over: the screen equals a
# full repaint's (Ctrl-L) after a larger size and after coming back.
resize 110 30
wait_width 109
settled "$TMP/big1"
keys C-l
settled "$TMP/big2"
check "110x30: the redraw equals a full repaint" cmp -s "$TMP/big1" "$TMP/big2"
resize 80 24
wait_width 79
settled "$TMP/small1"
keys C-l
settled "$TMP/small2"
check "80x24 again: the redraw equals a full repaint" cmp -s "$TMP/small1" "$TMP/small2"
capture_all "$TMP/v2.screen"
same_as_json "after the resize" "$TMP/v2.screen" "$TMP/nov-v.json"
# Too small, then back.
resize 60 20
wait_for "终端太小"
resize 80 24
wait_for "统计报表 2026年11月"
wait_for "前进村"

# Esc goes back to the start screen; q quits there.
keys Escape
wait_for "今日数据"
keys q
wait_for "EXITED=0"

# English in C.UTF-8.
tui_start 80 24 C.UTF-8 "$XB" --home "$H"
wait_for "Children in the ledger" || finish
keys F5
wait_for "Statistics 2026-11" || finish
wait_for "In the ledger at the period's end"
wait_for "Total only"
keys b
wait_for "By village"
wait_for "Total"
keys F1
wait_for "Keys of this screen"
wait_for "month, quarter, year"
wait_for "back (q is this screen's own key)"
keys Escape
wait_for "Statistics 2026-11"
keys Escape q
wait_for "EXITED=0"

finish
