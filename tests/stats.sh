#!/bin/sh
# stats.sh - the period statistics of a ledger built through the command
# line with the clock pinned, day by day, over five months: every column of
# each month, the quarter and the year checked against numbers counted by
# hand below; rows adding up to the total; November's table the same when
# printed on 30 November and months later; a child who left and came back
# in one month counted among those who left and those re-admitted.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
export LANG=C.UTF-8 LC_ALL= LANGUAGE= TZ=Asia/Shanghai
# on DAY TIME CMD...: runs the program as on that day
at() {
	XIANGBAN_NOW="$1T$2" "$XB" --home "$H" "$@" 2>/dev/null
}
day() {
	d=$1
	shift
	XIANGBAN_NOW="${d}T10:00:00" "$XB" --home "$H" "$@" >"$TMP/out" 2>"$TMP/err" ||
		fail "on $d: $*: $(cat "$TMP/err")"
}
case_of() { sed -n 's/.*\(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out" | head -n1; }

day 2026-09-01 init --office 220221100 --name 示范镇 --phone 0432-64201234
# The responsible members are users of the ledger (clerks, of no village).
for m in 李主任 王委员; do
	XIANGBAN_NOW=2026-09-01T10:00:00 with_new_password pw "$H" user add "$m" role=clerk \
		>/dev/null 2>"$TMP/err" || fail "user $m: $(cat "$TMP/err")"
done
# September
# A: a boy of 14, both parents away, with his grandmother, 低保, village 001
# (the old one-choice summary: with no dated entries of assistance, the
# tables count a child by it, under its programme)
day 2026-09-05 child add name=李明 sex=M birth_date=2012-03-01 \
	village_code=220221100001 village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李奶奶 enrolment=in_school \
	assistance=dibao member_name=李主任
A=$(case_of)
# B: a girl of 6, father away, mother at home but incapable, no guardian,
# dropped out, village 002
day 2026-09-10 child add name=王芳 sex=F birth_date=2020-05-06 \
	village_code=220221100002 village=红旗村 father_status=away mother_status=home \
	mother_capable=none guardian_relation=none enrolment=dropped_out member_name=王委员
B=$(case_of)
day 2026-09-20 visit add "$A" date=2026-09-20 visitor=李主任 kind=home next_due=2026-10-15
day 2026-09-25 report add "$B" category=domestic_violence found_at="2026-09-25 08:00" \
	found_by=王老师 reporter_kind=school description=手臂有淤青
day 2026-09-27 report step "$B/R01" step=reported date="2026-09-27 09:00" by=王老师
# October
# C: a boy of 4 without household registration, village 001
day 2026-10-03 child add name=李小宝 sex=M birth_date=2022-01-10 no_hukou=yes \
	village_code=220221100001 village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李奶奶 enrolment=preschool \
	member_name=李主任
C=$(case_of)
day 2026-10-08 visit add "$B" date=2026-10-08 visitor=王委员 kind=home next_due=2026-11-08
day 2026-10-12 visit add "$A" date=2026-10-12 visitor=李主任 kind=phone next_due=2026-11-10
day 2026-10-20 report step "$B/R01" step=closed date=2026-10-20 by=示范镇 --yes
day 2026-10-28 report add "$C" category=missing found_at="2026-10-28 10:00" \
	found_by=李奶奶 reporter_kind=family description=走失
day 2026-10-28 report step "$C/R01" step=reported date="2026-10-28 11:00" by=示范镇
# November: a visit of 30 October logged on 2 November counts in November
day 2026-11-02 visit add "$C" date=2026-10-30 visitor=李主任 kind=home next_due=2026-12-30
day 2026-11-05 child exit "$B" exit_reason=parents_returned exit_date=2026-11-05 --yes
day 2026-11-15 child edit "$A" guardian_relation=none guardian_name=
day 2026-11-20 visit add "$A" date=2026-11-20 visitor=李主任 kind=home next_due=2026-12-20

# November's table as printed on its last evening
XIANGBAN_NOW=2026-11-30T23:00:00 "$XB" --home "$H" --json stats --period 2026-11 \
	>"$TMP/nov-then.json" 2>"$TMP/err" || fail "November on 30 November: $(cat "$TMP/err")"
XIANGBAN_NOW=2026-11-30T23:00:00 "$XB" --home "$H" --json stats --period 2026-11 \
	--by village >"$TMP/nov-then-v.json" 2>"$TMP/err" || fail "November by village"

# December: A's exit on 2 December says 28 November; a visit of 29
# November logged on 4 December; D registered
day 2026-12-02 child exit "$A" exit_reason=moved_with_family exit_date=2026-11-28 --yes
day 2026-12-03 child edit "$C" assistance=temporary
day 2026-12-04 visit add "$C" date=2026-11-29 visitor=李主任 kind=home next_due=2027-01-29
day 2026-12-05 child add name=赵丽 sex=F birth_date=2015-07-07 \
	village_code=220221100002 village=红旗村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=赵爷爷 enrolment=in_school \
	member_name=王委员
D=$(case_of)
# January: B comes back; D leaves and comes back within the month
day 2027-01-10 child readmit "$B" reason=父母再次外出务工
day 2027-01-15 child exit "$D" exit_reason=other exit_date=2027-01-15 --yes
day 2027-01-25 child readmit "$D" reason=随祖父母返回

# stats_of PERIOD [BY]: the table as printed in March, into $TMP/s.json
stats_of() {
	if [ -n "${2:-}" ]; then
		XIANGBAN_NOW=2027-03-01T09:00:00 "$XB" --home "$H" --json stats --period "$1" \
			--by "$2" >"$TMP/s.json" 2>"$TMP/err"
	else
		XIANGBAN_NOW=2027-03-01T09:00:00 "$XB" --home "$H" --json stats --period "$1" \
			>"$TMP/s.json" 2>"$TMP/err"
	fi || fail "stats $*: $(cat "$TMP/err")"
}
# expect WHAT KEY=N ...: each column of the total as counted by hand; the
# columns not named are 0 (the median: null)
expect() {
	what=$1
	shift
	python3 - "$TMP/s.json" "$what" "$@" <<'EOF' || fail "$what"
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(a.split("=") for a in sys.argv[3:])
bad = []
for k, v in d["total"].items():
    w = want.pop(k, None)
    if k == "reported_late_median_days":
        ok = (v is None) if w is None else (v == float(w))
    else:
        ok = v == int(w or 0)
    if not ok:
        bad.append("%s: %s, counted by hand %s" % (k, v, w or 0))
if want:
    bad.append("no such columns: %s" % ", ".join(want))
if bad:
    print(sys.argv[2] + ": " + "; ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
}

stats_of 2026-09
expect "September" in_ledger=2 both_away=1 one_away=1 male=1 female=1 age_12_15=1 \
	age_6_11=1 unsupervised=1 out_of_school=1 assisted=1 aid_dibao=1 registered=2 visits=1 \
	children_visited=1 never_visited=1 reports=1 reports_domestic_violence=1 \
	reported_late=1 reported_late_median_days=2 reports_open=1
check "September: period named" [ "$(json_get "$TMP/s.json" 'd["period"]+" "+d["from"]+" "+d["to"]')" = "2026-09 2026-09-01 2026-09-30" ]
check "September: office named" [ "$(json_get "$TMP/s.json" 'd["office"]["code"]+d["office"]["name"]')" = "220221100示范镇" ]

stats_of 2026-10
expect "October" in_ledger=3 both_away=2 one_away=1 male=2 female=1 age_0_5=1 age_6_11=1 \
	age_12_15=1 unsupervised=1 out_of_school=1 no_hukou=1 assisted=1 aid_dibao=1 registered=1 \
	visits=2 children_visited=2 never_visited=1 reports=1 reports_missing=1 \
	reported_same_day=1 reports_closed=1 reports_open=1

stats_of 2026-11
cp "$TMP/s.json" "$TMP/nov-now.json"
expect "November" in_ledger=2 both_away=2 male=2 age_0_5=1 age_12_15=1 unsupervised=1 \
	no_hukou=1 assisted=1 aid_dibao=1 exited=1 exited_parents_returned=1 visits=2 \
	children_visited=2 reports_open=1
check "November printed in March equals November printed on the 30th" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(not (a["total"] == b["total"] and a["asof"] == b["asof"] == "2026-11-30"))
' "$TMP/nov-then.json" "$TMP/nov-now.json"
stats_of 2026-11 village
check "November by village, then and now" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(a["rows"] != b["rows"] or a["total"] != b["total"])
' "$TMP/nov-then-v.json" "$TMP/s.json"

stats_of 2026-12
expect "December" in_ledger=2 both_away=2 male=1 female=1 age_0_5=1 age_6_11=1 \
	no_hukou=1 assisted=1 aid_temporary=1 registered=1 exited=1 exited_moved=1 visits=1 \
	children_visited=1 never_visited=1 reports_open=1

stats_of 2026-Q4
expect "the fourth quarter" in_ledger=2 both_away=2 male=1 female=1 age_0_5=1 \
	age_6_11=1 no_hukou=1 assisted=1 aid_temporary=1 registered=2 exited=2 exited_parents_returned=1 \
	exited_moved=1 visits=5 children_visited=3 never_visited=1 reports=1 \
	reports_missing=1 reported_same_day=1 reports_closed=1 reports_open=1

stats_of 2026
expect "the year" in_ledger=2 both_away=2 male=1 female=1 age_0_5=1 age_6_11=1 \
	no_hukou=1 assisted=1 aid_temporary=1 registered=4 exited=2 exited_parents_returned=1 \
	exited_moved=1 visits=6 children_visited=3 never_visited=1 reports=2 \
	reports_domestic_violence=1 reports_missing=1 reported_same_day=1 \
	reported_late=1 reported_late_median_days=2 reports_closed=1 reports_open=1

stats_of 2027-01
expect "January: B back, D out and back" in_ledger=3 both_away=2 one_away=1 male=1 \
	female=2 age_0_5=1 age_6_11=2 unsupervised=1 out_of_school=1 no_hukou=1 assisted=1 \
	aid_temporary=1 exited=1 exited_other=1 readmitted=2 overdue=2 never_visited=1 reports_open=1
stats_of 2027-01 village
check "January by village: re-admitted in 红旗村 (B, D)" [ "$(json_get "$TMP/s.json" '[r["readmitted"] for r in d["rows"]]')" = "[0, 2]" ]
# 16-24 January: D out on the 15th is no change of these days; back on the 25th neither
XIANGBAN_NOW=2027-03-01T09:00:00 "$XB" --home "$H" --json stats --from 2027-01-16 \
	--to 2027-01-24 >"$TMP/s.json" 2>"$TMP/err" || fail "16-24 January: $(cat "$TMP/err")"
check "16-24 January: nobody left or came back" [ "$(json_get "$TMP/s.json" 'd["total"]["exited"]+d["total"]["readmitted"]')" = 0 ]
check "16-24 January: D out of the ledger" [ "$(json_get "$TMP/s.json" 'd["total"]["in_ledger"]')" = 2 ]

# Any run of days: 1-10 October holds B's visit only
XIANGBAN_NOW=2027-03-01T09:00:00 "$XB" --home "$H" --json stats --from 2026-10-01 \
	--to 2026.10.10 >"$TMP/s.json" 2>"$TMP/err" || fail "from/to: $(cat "$TMP/err")"
expect "1-10 October" in_ledger=3 both_away=2 one_away=1 male=2 female=1 age_0_5=1 \
	age_6_11=1 age_12_15=1 unsupervised=1 out_of_school=1 no_hukou=1 assisted=1 aid_dibao=1 \
	registered=1 visits=1 children_visited=1 never_visited=1 reports_open=1
check "from/to: the days named" [ "$(json_get "$TMP/s.json" 'd["from"]+" "+d["to"]')" = "2026-10-01 2026-10-10" ]

# Rows: one per village, one per responsible member, adding up to the total
rows_add_up() {
	python3 - "$TMP/s.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["total"]
for k, v in t.items():
    if k == "reported_late_median_days":
        continue
    if sum(r[k] for r in d["rows"]) != v:
        sys.exit("%s: rows add up to %d, the total is %d" % (k, sum(r[k] for r in d["rows"]), v))
EOF
}
stats_of 2026-10 village
check "October by village: two villages" [ "$(json_get "$TMP/s.json" '",".join(r["village"]+":"+r["name"]+":"+str(r["in_ledger"]) for r in d["rows"])')" = "220221100001:前进村:2,220221100002:红旗村:1" ]
check "October by village: rows add up" rows_add_up
check "October by village: B's report closed in 红旗村" [ "$(json_get "$TMP/s.json" '[r["reports_closed"] for r in d["rows"]]')" = "[0, 1]" ]
stats_of 2026 member
check "2026 by member" [ "$(json_get "$TMP/s.json" '",".join(r["member"]+":"+str(r["registered"])+":"+str(r["visits"]) for r in d["rows"])')" = "李主任:2:5,王委员:2:1" ]
check "2026 by member: rows add up" rows_add_up
check "2026 by member: the median per row" [ "$(json_get "$TMP/s.json" '[r["reported_late_median_days"] for r in d["rows"]]')" = "[None, 2.0]" ]

# The text table, in Chinese
XIANGBAN_NOW=2027-03-01T09:00:00 LANGUAGE=zh_CN LANG=zh_CN.UTF-8 "$XB" --home "$H" stats \
	--period 2026-10 --by village >"$TMP/out" 2>"$TMP/err"
check "text: Chinese title" has "$TMP/out" "2026年10月"
check "text: the villages across" has "$TMP/out" "前进村"
check "text: a column's label" has "$TMP/out" "在册儿童"
check "text: the total" has "$TMP/out" "合计"
check "text: no English label" sh -c "! grep -qE 'Children in the ledger|Visits made|Total' '$TMP/out'"

# The table to file: a PDF and an .xlsx holding what --json says
XIANGBAN_NOW=2027-03-01T09:00:00 LANGUAGE=zh_CN LANG=zh_CN.UTF-8 "$XB" --home "$H" --json stats \
	--period 2026-10 --by village --pdf "$TMP/oct.pdf" --xlsx "$TMP/oct.xlsx" >"$TMP/s.json" \
	2>"$TMP/err" || fail "stats to PDF and .xlsx: $(cat "$TMP/err")"
pdftotext -layout "$TMP/oct.pdf" "$TMP/oct.txt" 2>/dev/null || fail "pdftotext reads the table"
check "PDF: the office" has "$TMP/oct.txt" "示范镇"
check "PDF: the period" has "$TMP/oct.txt" "2026年10月"
check "PDF: the villages" has "$TMP/oct.txt" "前进村"
check "PDF: the total row" has "$TMP/oct.txt" "合计"
check "PDF: a line for the seal" has "$TMP/oct.txt" "盖章"
check "PDF: the total in the ledger (3) on the total line" python3 - "$TMP/oct.txt" <<'EOF'
import sys
# the first table's total line: 合计 then in_ledger, both_away, one_away ...
for line in open(sys.argv[1]):
    if line.strip().startswith("合计"):
        sys.exit(line.split()[1:4] != ["3", "2", "1"])
sys.exit(1)
EOF
check ".xlsx: the same numbers as --json" /usr/bin/python3 - "$TMP/oct.xlsx" "$TMP/s.json" <<'EOF'
import json, sys
import openpyxl
d = json.load(open(sys.argv[2]))
ws = openpyxl.load_workbook(sys.argv[1]).active
cells = [[c.value for c in row] for row in ws.iter_rows()]
text = " ".join(str(v) for r in cells for v in r if v is not None)
if "示范镇" not in text:
    sys.exit("no office")
total = [r for r in cells if r and r[0] == "合计"]
want = [d["total"][k] for k in ("in_ledger", "both_away", "one_away")]
if not total or [v for v in total[0][1:4]] != want:
    sys.exit("total row %s, json %s" % (total[:1], want))
for name, row in (("前进村", d["rows"][0]), ("红旗村", d["rows"][1])):
    r = [x for x in cells if x and x[0] and str(x[0]).startswith(name)]
    if not r or r[0][1] != row["in_ledger"]:
        sys.exit("%s: %s" % (name, r[:1]))
EOF
expect_code 1 "PDF into a missing folder" "$XB" --home "$H" stats --period 2026-10 \
	--pdf "$TMP/no/such/dir/t.pdf"
check "PDF into a missing folder: the path named" has "$TMP/err" "$TMP/no/such/dir/t.pdf"

# Refusals, in the user's language
export LANGUAGE=zh_CN LANG=zh_CN.UTF-8
expect_code 3 "a month that is none" "$XB" --home "$H" stats --period 2026-13
check "a month that is none: said" has "$TMP/err" "2026-13"
check "a month that is none: in Chinese" has "$TMP/err" "季度"
expect_code 3 "ends before it begins" "$XB" --home "$H" stats --from 2026-10-10 --to 2026-10-01
expect_code 3 "--by township at a township" "$XB" --home "$H" stats --by township
check "--by township: says why" has "$TMP/err" "县"
expect_code 2 "--period with --from" "$XB" --home "$H" stats --period 2026-10 --from 2026-10-01 --to 2026-10-02
expect_code 3 "--by nonsense" "$XB" --home "$H" stats --by cadre

finish
