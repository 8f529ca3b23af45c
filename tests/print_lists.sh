#!/bin/sh
# print_lists.sh - `xiangban print overdue|reports|slips`: the lists a
# clerk prints, read back from the PDF: the overdue children under a
# heading per village, the open reports (or only those not reported to
# the police), a village's sheet of slips with a QR code a child; a
# folder that does not exist is told in Chinese and leaves nothing (no
# file, no slip issued); a village user gets their own villages' children
# and reports only, and is refused another village's slips.
. "${XB_SRCDIR:-.}/tests/lib.sh"

ZBARIMG=${ZBARIMG:-zbarimg}
PDFTOPPM=${PDFTOPPM:-pdftoppm}
command -v "$ZBARIMG" >/dev/null 2>&1 || die "zbarimg is not installed (apt-get install zbar-tools)"
command -v "$PDFTOPPM" >/dev/null 2>&1 || die "pdftoppm is not installed (apt-get install poppler-utils)"
PDFTOTEXT=$(dirname "$(command -v "$PDFTOPPM")")/pdftotext
[ -x "$PDFTOTEXT" ] || PDFTOTEXT=$(command -v pdftotext) ||
	die "pdftotext is not installed (apt-get install poppler-utils)"
export LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE=

H="$TMP/ledger"
DAY=2026-11-29
"$XB" --home "$H" demo --children 60 >/dev/null || die "demo ledger"
NEW=$("$XB" --home "$H" --json child list | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["fields"].get("status") == "active"][0])')
"$XB" --home "$H" report add "$NEW" category=意外伤害 found_at="$DAY 08:10" found_by=王老师 \
	reporter_kind=school description=摔伤 >/dev/null 2>&1 || die "report add"
"$XB" --home "$H" --json child list >"$TMP/all.json" || die "child list"
"$XB" --home "$H" --json report list >"$TMP/reports.json" || die "report list"
# The village user of the demo and their village.
CUN=cun
CUNV=$(XIANGBAN_USER=leader "$XB" --home "$H" --json user list |
	python3 -c 'import json,sys; print([u for u in json.load(sys.stdin) if u["name"] == "cun"][0]["villages"])')
[ -n "$CUNV" ] || die "the demo's village user has no village"

python3 - "$TMP" "$DAY" "$CUNV" <<'PY' || die "expected lists"
import json, sys
tmp, day, cunv = sys.argv[1], sys.argv[2], sys.argv[3]
kids = json.load(open(tmp + "/all.json"))
def w(name, ids):
    open(tmp + "/" + name, "w").write("".join(sorted(i + "\n" for i in ids)))
active = [k for k in kids if k["fields"].get("status") != "exited"]
over = [k for k in active if k["fields"].get("next_visit_due", "9999") < day]
w("over.ids", [k["id"] for k in over])
w("cun_over.ids", [k["id"] for k in over if k["fields"].get("village_code") == cunv])
open(tmp + "/over.villages", "w").write("".join(sorted({"%s（%s）\n" % (k["fields"]["village"], k["fields"]["village_code"]) for k in over})))
reps = json.load(open(tmp + "/reports.json"))
opened = [r for r in reps if r["fields"].get("status") == "open"]
w("open.ids", [r["id"] for r in opened])
w("unsent.ids", [r["id"] for r in opened if not r["fields"].get("reported_at")])
cun_kids = {k["id"] for k in kids if k["fields"].get("village_code") == cunv}
w("cun_open.ids", [r["id"] for r in opened if r["fields"]["case_no"] in cun_kids])
w("cun_village.ids", [k["id"] for k in active if k["fields"].get("village_code") == cunv])
other = sorted({k["fields"]["village_code"] for k in active} - {cunv})[0]
open(tmp + "/other", "w").write(other + "\n")
w("other_village.ids", [k["id"] for k in active if k["fields"].get("village_code") == other])
PY
OTHER=$(cat "$TMP/other")

# ids FILE.pdf: the case or report numbers the PDF's text holds, sorted.
ids() {
	"$PDFTOTEXT" -raw "$1" - 2>/dev/null | grep -oE '[0-9]{9}-[0-9]{5}-[0-9X](/R[0-9]+)?' | sort
}
# qr_ids FILE.pdf: the case numbers of the QR codes on its pages.
qr_ids() {
	rm -rf "$TMP/png"
	mkdir "$TMP/png"
	"$PDFTOPPM" -r 200 -png "$1" "$TMP/png/p" 2>/dev/null
	for f in "$TMP/png"/*.png; do
		"$ZBARIMG" -q --raw "$f" 2>/dev/null
	done | sed 's/^XB1:\(.*\):[0-9]*$/\1/' | sort
}

# The overdue visits, by village.
expect_code 0 "print overdue" "$XB" --home "$H" print overdue --pdf "$TMP/o.pdf"
check "it says how many, in Chinese" has "$TMP/out" "走访逾期名单（$(wc -l <"$TMP/over.ids") 名儿童"
check "mode 0600" [ "$(stat -c %a "$TMP/o.pdf" 2>/dev/null)" = 600 ]
ids "$TMP/o.pdf" >"$TMP/got"
check "every overdue child, and only they" cmp -s "$TMP/got" "$TMP/over.ids"
"$PDFTOTEXT" -raw "$TMP/o.pdf" "$TMP/o.txt" 2>/dev/null
while read -r v; do
	check "a heading for $v" has "$TMP/o.txt" "村(居) $v"
done <"$TMP/over.villages"

# The reports open; those not yet reported to the police.
expect_code 0 "print reports" "$XB" --home "$H" print reports --pdf "$TMP/r.pdf"
ids "$TMP/r.pdf" | grep / >"$TMP/got"
check "every open report" cmp -s "$TMP/got" "$TMP/open.ids"
"$PDFTOTEXT" -raw "$TMP/r.pdf" "$TMP/r.txt" 2>/dev/null
check "the unreported one says 未报告" has "$TMP/r.txt" "未报告"
check "a column for the next deadline" has "$TMP/r.txt" "下一期限"
# Each report's next deadline, as `report show` counts it, on its row.
while read -r id; do
	"$XB" --home "$H" --json report show "$id" >"$TMP/rep.json" || fail "report show $id"
	due=$(json_get "$TMP/rep.json" '{"assessment": "评估", "services": "服务"}.get(d.get("next_stage") or "", "") + ("" if not d.get("next_stage") else (" 剩%d天" % d["days_left"] if d["days_left"] > 0 else " 今天到期" if d["days_left"] == 0 else " 逾期%d天" % -d["days_left"]))')
	if [ -n "$due" ]; then
		check "$id: its deadline ($due) on its row" grep -q "^$id .*$due" "$TMP/r.txt"
	else
		check "$id: nothing due, nothing on its row" sh -c "! grep -E '^$id .*(剩|逾期)[0-9]+天' '$TMP/r.txt'"
	fi
done <"$TMP/open.ids"
expect_code 0 "print reports --unsent" "$XB" --home "$H" print reports --unsent --pdf "$TMP/u.pdf"
ids "$TMP/u.pdf" | grep / >"$TMP/got"
check "only those not reported to the police" cmp -s "$TMP/got" "$TMP/unsent.ids"

# A village's slips: one QR code a child in the ledger there.
expect_code 0 "print slips" "$XB" --home "$H" print slips --village "$CUNV" --pdf "$TMP/s.pdf"
qr_ids "$TMP/s.pdf" >"$TMP/got"
check "a decoded QR code for each child of $CUNV ($(wc -l <"$TMP/got") of $(wc -l <"$TMP/cun_village.ids"))" \
	cmp -s "$TMP/got" "$TMP/cun_village.ids"

# A folder that does not exist: told in Chinese, nothing left, no slip
# issued.
for what in overdue reports; do
	expect_code 1 "$what into a missing folder" "$XB" --home "$H" print "$what" \
		--pdf "$TMP/nowhere/x.pdf"
	check "$what: the folder named, in Chinese" has "$TMP/err" "所在文件夹不存在"
done
VER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fields"].get("slip_version"))' \
	/dev/stdin <<EOF
$("$XB" --home "$H" --json child show "$(head -1 "$TMP/other_village.ids")")
EOF
)
expect_code 1 "slips into a missing folder" "$XB" --home "$H" print slips --village "$OTHER" \
	--pdf "$TMP/nowhere/s.pdf"
check "slips: told in Chinese" has "$TMP/err" "所在文件夹不存在"
check "nothing left" test ! -e "$TMP/nowhere"
VER2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fields"].get("slip_version"))' \
	/dev/stdin <<EOF
$("$XB" --home "$H" --json child show "$(head -1 "$TMP/other_village.ids")")
EOF
)
check "no slip issued ($VER, $VER2)" [ "$VER" = "$VER2" ]

# A village user: their own villages only, and refused another's.
expect_code 0 "a village user prints the overdue" env XIANGBAN_USER=$CUN "$XB" --home "$H" \
	print overdue --pdf "$TMP/co.pdf"
ids "$TMP/co.pdf" >"$TMP/got"
check "only their village's overdue children" cmp -s "$TMP/got" "$TMP/cun_over.ids"
expect_code 0 "a village user prints the reports" env XIANGBAN_USER=$CUN "$XB" --home "$H" \
	print reports --pdf "$TMP/cr.pdf"
ids "$TMP/cr.pdf" | grep / >"$TMP/got"
check "only their children's reports" cmp -s "$TMP/got" "$TMP/cun_open.ids"
expect_code 6 "a village user asks for another village's slips" env XIANGBAN_USER=$CUN "$XB" \
	--home "$H" print slips --village "$OTHER" --pdf "$TMP/cs.pdf"
check "refused naming the village" has "$TMP/err" "$OTHER"
check "refused: no file" test ! -e "$TMP/cs.pdf"

# The command line's mistakes.
expect_code 2 "no --pdf" "$XB" --home "$H" print overdue
expect_code 2 "an unknown list" "$XB" --home "$H" print everything --pdf "$TMP/x.pdf"
expect_code 2 "slips without a village" "$XB" --home "$H" print slips --pdf "$TMP/x.pdf"
expect_code 2 "an unknown stage" "$XB" --home "$H" print reports --stage nowhere --pdf "$TMP/x.pdf"

finish
