#!/bin/sh
# import.sh - how fast a survey sheet comes in, and with how much memory:
# writes a CSV of N synthetic children as an office's survey looks (title
# row, Chinese headers, choice words), imports it into a fresh ledger,
# imports it again (every row unchanged), checks it with --dry-run, then
# writes the roster out as .xlsx and imports that into another ledger.
# Prints wall time and peak memory (GNU time) of each step.
#
#   bench/import.sh [BUILDDIR]          BENCH_ROWS (default 2000 and 99999)
#
# Peak memory should stay flat as the sheet grows: rows are streamed;
# what grows is the set of ID numbers seen (one sheet, one child a number)
# and, for .xlsx, the workbook's shared-string table.
set -eu

BUILD=${1:-.}
XB="$BUILD/xiangban"
ROWS=${BENCH_ROWS:-"2000 99999"}
[ -x "$XB" ] || { echo "import.sh: $XB is not built" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "import.sh: needs GNU time (package time)" >&2; exit 1; }

DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/xbimport.XXXXXX")
. "$(dirname "$0")/signed_in.sh"
bench_sign_in "$DIR"
trap 'rm -rf "$DIR"' EXIT INT TERM
export XIANGBAN_USER=bench LANG=C.UTF-8

office() {
	"$XB" --home "$1" init --office 220221100 --name 示范镇 --phone 0432-64201234 >/dev/null
	for v in 1 2 3 4 5 6 7 8 9 10; do
		"$XB" --home "$1" village add "$(printf '220221100%03d' "$v")" "第${v}村" >/dev/null
	done
}

# N rows with valid ID numbers (GB 11643 check character), one child each.
sheet() {
	awk -v n="$1" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		split("1 0 X 9 8 7 6 5 4 3 2", c, " ")
		split("张 王 李 赵 刘 陈 杨 黄 周 吴", fam, " ")
		split("小 明 华 丽 强 芳 军 静 伟 娜 磊 洋 勇 艳 杰", giv, " ")
		split("奶奶 爷爷 外婆 外公", rel, " ")
		print "某镇农村留守儿童摸底排查登记表,,,,,,,,,,"
		print "序号,姓名,身份证号码,所在村,父亲现状,母亲现状,与儿童关系,监护人,就学状况,包保人,备注"
		for (i = 1; i <= n; i++) {
			y = 2011 + i % 14; m = 1 + i % 12; d = 1 + i % 27
			seq = sprintf("%03d", int(i / 756) % 1000)
			base = sprintf("220221%04d%02d%02d%s", y, m, d, seq)
			s = 0
			for (k = 1; k <= 17; k++) s += substr(base, k, 1) * w[k]
			id = base c[s % 11 + 1]
			name = fam[1 + i % 10] giv[1 + int(i / 10) % 15] giv[1 + int(i / 150) % 15]
			printf "%d,%s,%s,第%d村,外出打工,外出务工,%s,某某,在读,委员%d,\n", \
				i, name, id, 1 + i % 10, rel[1 + i % 4], 1 + i % 10
		}
	}'
}

run() {
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >"$DIR/out" 2>"$DIR/err" || true
	# GNU time puts "Command exited with non-zero status N" first:
	# import exits 3 when rows were rejected.
	read -r secs kb <<EOF
$(tail -n 1 "$DIR/time")
EOF
	summary=$(grep -E '^(Imported|Wrote)' "$DIR/out" | head -1)
	printf '%-34s %8.2f s %8d KB  %s\n' "$label" "$secs" "$kb" "$summary"
}

for n in $ROWS; do
	echo "== $n rows"
	sheet "$n" >"$DIR/s$n.csv"
	H="$DIR/h$n"
	office "$H"
	run "import CSV (new ledger)" "$XB" --home "$H" child import "$DIR/s$n.csv"
	run "import CSV again (unchanged)" "$XB" --home "$H" child import "$DIR/s$n.csv"
	run "dry run" "$XB" --home "$H" child import "$DIR/s$n.csv" --dry-run
	run "roster out as .xlsx" "$XB" --home "$H" child list --xlsx "$DIR/r$n.xlsx"
	H2="$DIR/x$n"
	office "$H2"
	run "import .xlsx (new ledger)" "$XB" --home "$H2" child import "$DIR/r$n.xlsx"
	ls -l "$DIR/s$n.csv" "$DIR/r$n.xlsx" | awk '{ printf "  %s: %d KB\n", $NF, $5 / 1024 }'
	rm -rf "$H" "$H2"
done
