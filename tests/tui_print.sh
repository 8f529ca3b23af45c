#!/bin/sh
# tui_print.sh - p prints, in Chinese at 80x24. On the start screen it
# offers the lists to print: the overdue visits by village (every
# overdue child the clerk may see, under a heading per village), the
# reports open (an unreported one says 未报告), a village's slips picked
# from the register (one QR code a child in the ledger there, each
# decoded); on the reports list, the reports shown; on the list of
# children, the roster shown. Each PDF lands in the office's slips
# folder and is offered to the printer (a stand-in for lp that keeps
# what it gets); with no lp, the box says where the PDF is. Approvals
# moved from p to h there.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

ZBARIMG=${ZBARIMG:-zbarimg}
PDFTOPPM=${PDFTOPPM:-pdftoppm}
command -v "$ZBARIMG" >/dev/null 2>&1 || die "zbarimg is not installed (apt-get install zbar-tools)"
command -v "$PDFTOPPM" >/dev/null 2>&1 || die "pdftoppm is not installed (apt-get install poppler-utils)"
PDFTOTEXT=$(dirname "$(command -v "$PDFTOPPM")")/pdftotext
[ -x "$PDFTOTEXT" ] || PDFTOTEXT=$(command -v pdftotext) ||
	die "pdftotext is not installed (apt-get install poppler-utils)"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 60 >/dev/null || die "demo ledger"
OFFICE=$("$XB" --home "$H" --json summary | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')
DAY=2026-11-29
# A report found today, not yet reported to the police.
NEW=$("$XB" --home "$H" --json child list | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["fields"].get("status") == "active"][0])')
"$XB" --home "$H" report add "$NEW" category=意外伤害 found_at="$DAY 08:10" found_by=王老师 \
	reporter_kind=school description=摔伤 >/dev/null 2>&1 || die "report add"
"$XB" --home "$H" --json child list >"$TMP/all.json" || die "child list"
"$XB" --home "$H" --json report list >"$TMP/reports.json" || die "report list"

# What each list must hold, from the records themselves.
python3 - "$TMP" "$DAY" <<'PY' || die "expected lists"
import json, sys
tmp, day = sys.argv[1], sys.argv[2]
kids = json.load(open(tmp + "/all.json"))
over = [k for k in kids if k["fields"].get("status") != "exited"
        and k["fields"].get("next_visit_due", "9999") < day]
open(tmp + "/over.ids", "w").write("".join(sorted(k["id"] + "\n" for k in over)))
villages = sorted({(k["fields"].get("village", ""), k["fields"].get("village_code", "")) for k in over})
open(tmp + "/over.villages", "w").write("".join("%s（%s）\n" % v for v in villages))
reps = [r for r in json.load(open(tmp + "/reports.json")) if r["fields"].get("status") == "open"]
open(tmp + "/open.ids", "w").write("".join(sorted(r["id"] + "\n" for r in reps)))
active = [k for k in kids if k["fields"].get("status") != "exited"]
open(tmp + "/active.ids", "w").write("".join(sorted(k["id"] + "\n" for k in active)))
PY
[ -s "$TMP/over.ids" ] || die "the demo has no overdue child"

# The office's folder for printed files, and a printer that keeps what
# it is sent.
OUT="$TMP/打印"
mkdir "$OUT" "$TMP/bin"
XIANGBAN_USER=leader "$XB" --home "$H" settings slips_folder "$OUT" >/dev/null ||
	die "settings slips_folder"
printf '#!/bin/sh\ncp "$2" "%s/printed.pdf"\n' "$TMP" >"$TMP/bin/lp"
chmod +x "$TMP/bin/lp"

# ids FILE.pdf: the case or report numbers the PDF's text holds, sorted.
ids() {
	"$PDFTOTEXT" -raw "$1" - 2>/dev/null | grep -oE '[0-9]{9}-[0-9]{5}-[0-9X](/R[0-9]+)?' | sort
}

tui_start 80 24 zh_CN.UTF-8 env "PATH=$TMP/bin:$PATH" "$XB" --home "$H"
wait_for "在册儿童" || finish
wait_for "p 打印"

# The overdue visits, by village; sent to the printer.
keys p
wait_for "走访逾期名单（按村）" || finish
wait_for "处理中的报告"
wait_for "某村(居)的联系卡"
keys Enter
wait_wrapped "送往打印机吗" 20 || finish
F="$OUT/走访逾期名单-$OFFICE-$DAY.pdf"
wait_wrapped "$F"
check "the overdue list is in the slips folder" test -s "$F"
check "mode 0600" [ "$(stat -c %a "$F" 2>/dev/null)" = 600 ]
ids "$F" >"$TMP/got.ids"
check "every overdue child, and only they ($(wc -l <"$TMP/got.ids") of $(wc -l <"$TMP/over.ids"))" \
	cmp -s "$TMP/got.ids" "$TMP/over.ids"
"$PDFTOTEXT" -raw "$F" "$TMP/over.txt" 2>/dev/null
while read -r v; do
	check "a heading for $v" has "$TMP/over.txt" "村(居) $v"
done <"$TMP/over.villages"
check "its columns in Chinese" has "$TMP/over.txt" "逾期天数"
keys y
wait_for "已将" 20
check "lp got the overdue list" cmp -s "$TMP/printed.pdf" "$F"
rm -f "$TMP/printed.pdf"

# The reports open; not sent this time.
keys p
wait_for "处理中的报告" || finish
keys Down Enter
wait_wrapped "送往打印机吗" 20 || finish
R="$OUT/强制报告-$OFFICE-$DAY.pdf"
ids "$R" | grep / >"$TMP/got.reports"
check "every open report ($(wc -l <"$TMP/got.reports") of $(wc -l <"$TMP/open.ids"))" \
	cmp -s "$TMP/got.reports" "$TMP/open.ids"
"$PDFTOTEXT" -raw "$R" "$TMP/r.txt" 2>/dev/null
check "the unreported one says so" has "$TMP/r.txt" "未报告"
check "what the list shows" has "$TMP/r.txt" "显示：处理中的报告"
keys n
wait_gone "送往打印机吗"
check "n sends nothing" test ! -e "$TMP/printed.pdf"

# A village's slips: the village picked from the register.
VCODE=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted(k["fields"]["village_code"] for k in d if k["fields"].get("status") != "exited")[0])' "$TMP/all.json")
VNAME=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([k["fields"]["village"] for k in d if k["fields"].get("village_code") == sys.argv[2]][0])' "$TMP/all.json" "$VCODE")
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("".join(sorted(k["id"] + "\n" for k in d if k["fields"].get("status") != "exited" and k["fields"].get("village_code") == sys.argv[2])), end="")' "$TMP/all.json" "$VCODE" >"$TMP/village.ids"
keys p
wait_for "某村(居)的联系卡" || finish
keys Down Down Enter
wait_for "打印哪个村(居)的联系卡" || finish
wait_for "$VNAME ($VCODE)"
# the register is in code order: the first is the lowest code
keys Enter
wait_wrapped "送往打印机吗" 20 || finish
S="$OUT/联系卡-$VNAME-$DAY.pdf"
check "the village's sheet is in the slips folder" test -s "$S"
keys y
wait_for "已将" 20
check "lp got the sheet" cmp -s "$TMP/printed.pdf" "$S"
mkdir "$TMP/png"
"$PDFTOPPM" -r 200 -png "$S" "$TMP/png/s" 2>/dev/null
for f in "$TMP/png"/*.png; do
	"$ZBARIMG" -q --raw "$f" 2>/dev/null
done | sed 's/^XB1:\(.*\):[0-9]*$/\1/' | sort >"$TMP/qr.ids"
check "a QR code for each child of $VNAME in the ledger ($(wc -l <"$TMP/qr.ids") of $(wc -l <"$TMP/village.ids")), each decoded" \
	cmp -s "$TMP/qr.ids" "$TMP/village.ids"
rm -f "$TMP/printed.pdf"

# p on the list of reports: the reports shown, closed ones too once c
# shows them.
keys r
wait_for "p 打印" || finish
keys c
wait_for "不显示已结案"
rm -f "$R"
keys p
wait_wrapped "送往打印机吗" 20 || finish
python3 -c 'import json,sys; print("".join(sorted(r["id"] + "\n" for r in json.load(open(sys.argv[1])))), end="")' \
	"$TMP/reports.json" >"$TMP/all.reports"
ids "$R" | grep / >"$TMP/got.reports"
check "the reports shown, closed ones too ($(wc -l <"$TMP/got.reports") of $(wc -l <"$TMP/all.reports"))" \
	cmp -s "$TMP/got.reports" "$TMP/all.reports"
keys n
wait_gone "送往打印机吗"
keys Escape
wait_for "在册儿童"

# p on the list of children: the roster of the list shown.
keys Enter
wait_for "p 打印" || finish
keys p
wait_wrapped "送往打印机吗" 20 || finish
L="$OUT/花名册-$OFFICE-$DAY.pdf"
ids "$L" >"$TMP/got.roster"
check "the roster of the children shown" cmp -s "$TMP/got.roster" "$TMP/active.ids"
keys n
wait_gone "送往打印机吗"
keys F1
wait_for "打印"
keys Escape
keys Escape
wait_for "在册儿童"

# Help on the start screen: print, and approvals on h.
keys F1
wait_for "审核（领导）"
wait_for "F12 h"
keys Escape
wait_for "在册儿童"
keys q
wait_for "EXITED=0"

# No printer here: the box says where the PDF is.
mkdir "$TMP/nolp"
tui_start 80 24 zh_CN.UTF-8 env "PATH=$TMP/nolp" "$XB" --home "$H"
wait_for "在册儿童" || finish
rm -f "$F"
keys p
wait_for "走访逾期名单（按村）" || finish
keys Enter
wait_wrapped "本机没有打印机" 20
wait_wrapped "$F"
check "written all the same" test -s "$F"
keys Enter
wait_gone "本机没有打印机"

finish
