#!/bin/sh
# villages.sh - the office's village register from the command line:
# village add and list, init --villages with a good and a bad file, and
# children whose village is picked from the register.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

CHILD="father_status=away mother_status=away guardian_relation=grandparent guardian_name=李桂兰 enrolment=in_school"

# --- init with a file of villages: BOM, comments, blank lines, separators
printf '\357\273\277# 示范镇的村(居)\n\n220221100201,红旗村\n220221100202\t胜利社区\n220221100203   前进村委会  \n220221100204，东风村\n' >"$TMP/villages.txt"
expect_code 0 "init --villages" x init --office 220221100 --name 示范镇 --villages "$TMP/villages.txt"
check "init says how many villages" has "$TMP/out" "4 villages"
expect_code 0 "village list" x village list
check "list: 红旗村" has "$TMP/out" "220221100201  红旗村"
check "list: 胜利社区" has "$TMP/out" "220221100202  胜利社区"
check "list: 前进村委会" has "$TMP/out" "前进村委会"
check "list: full-width comma" has "$TMP/out" "220221100204  东风村"

# --- village add: a new one, a rename, the refusals
expect_code 0 "village add" x village add 220221100205 "　新 民村"
check "add: folded name" has "$TMP/out" "220221100205 新民村"
expect_code 0 "village rename" x village add 220221100205 新民社区
expect_code 3 "code outside township" x village add 220221101201 外村
check "outside: told" has "$TMP/err" "does not lie under this township"
expect_code 3 "code not 12 digits" x village add 22022110020 短村
check "short: told" has "$TMP/err" "12 digits"
expect_code 5 "name taken" x village add 220221100206 红旗
check "taken: names the other" has "$TMP/err" "220221100201"
expect_code 3 "no name" x village add 220221100206 " "
expect_code 0 "village list json" x --json village list
check "json: 5 villages" [ "$(json_get "$TMP/out" 'len(d)')" = 5 ]
check "json: renamed" [ "$(json_get "$TMP/out" '[v["name"] for v in d if v["code"]=="220221100205"][0]')" = 新民社区 ]
check "history of a village" sh -c "'$XB' --home '$H' history 220221100205 2>&1 | grep -q 新民社区"

# --- children: the village picked from the register
expect_code 0 "child by village name" x child add name=张三 sex=M birth_date=2015-03-12 village=红旗 $CHILD
CASE=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
expect_code 0 "child show" x --json child show "$CASE"
check "code filled from name" [ "$(json_get "$TMP/out" 'd["fields"]["village_code"]')" = 220221100201 ]
check "name made the register's" [ "$(json_get "$TMP/out" 'd["fields"]["village"]')" = 红旗村 ]
expect_code 0 "child by code" x --json child add name=李四 sex=F birth_date=2014-05-01 village_code=220221100202 $CHILD
check "name filled from code" [ "$(json_get "$TMP/out" 'd["fields"]["village"]')" = 胜利社区 ]
expect_code 3 "code not in register" x child add name=王五 sex=M birth_date=2014-05-01 village_code=220221100299 $CHILD
check "not in register: told how" has "$TMP/err" "village add 220221100299"
expect_code 3 "code and name disagree" x child add name=王五 sex=M birth_date=2014-05-01 village_code=220221100202 village=红旗村 $CHILD
check "disagree: told" has "$TMP/err" "胜利社区"
expect_code 4 "name not in register" x child add name=王五 sex=M birth_date=2014-05-01 village=无名村 $CHILD
check "unknown name: told" has "$TMP/err" "village add"
expect_code 0 "list counts children" x village list
check "list: one child in 红旗村" grep -q "220221100201 .* 1$" "$TMP/out"
expect_code 0 "check passes" x check
check "check counts villages" grep -q "village *5" "$TMP/out"

# --- a bad file: the line told, nothing added
printf '220221100301,甲村\n220221100302\n' >"$TMP/bad1.txt"
expect_code 3 "file: line without name" x init --office 220221100 --name 示范镇 --villages "$TMP/bad1.txt"
check "bad line numbered" has "$TMP/err" "line 2"
printf '220221100301,甲村\n# comment\n220221109302,乙村\n' >"$TMP/bad2.txt"
expect_code 3 "file: code outside township" x init --office 220221100 --name 示范镇 --villages "$TMP/bad2.txt"
check "outside line numbered" has "$TMP/err" "line 3"
expect_code 0 "list after bad files" x --json village list
check "nothing of a bad file added" [ "$(json_get "$TMP/out" 'len(d)')" = 5 ]
expect_code 3 "file missing" x init --office 220221100 --name 示范镇 --villages "$TMP/none.txt"

# --- a county keeps no villages; a ledger without a register is as before
C="$TMP/county"
expect_code 3 "county init --villages" "$XB" --home "$C" init --office 220221 --name 永吉县 --villages "$TMP/villages.txt"
check "county init --villages: told" has "$TMP/err" "county"
check "county init --villages: nothing made" [ ! -e "$C/meta.db" ]
expect_code 0 "county init" "$XB" --home "$C" init --office 220221 --name 永吉县
expect_code 3 "county village add" "$XB" --home "$C" village add 220221100201 红旗村
check "county: told" has "$TMP/err" "county"
E="$TMP/empty"
expect_code 0 "init without villages" "$XB" --home "$E" init --office 220221100 --name 示范镇
expect_code 0 "child without register" "$XB" --home "$E" child add name=张三 sex=M birth_date=2015-03-12 village_code=220221100999 village=随便村 $CHILD
expect_code 0 "empty list" "$XB" --home "$E" village list
check "empty list says how" has "$TMP/out" "village add"

# --- the villages as a workbook and as Chinese Excel's CSV
W="$TMP/workbook"
expect_code 0 "init --villages an .xlsx" "$XB" --home "$W" init --office 220221100 --name 示范镇 \
	--villages "${XB_SRCDIR:-..}/tests/fixtures/sheets/villages.xlsx"
expect_code 0 "workbook villages listed" "$XB" --home "$W" village list
check "workbook: numeric code read whole" has "$TMP/out" "220221100203"
check "workbook: title and header passed over" [ "$(grep -c '^2202211002' "$TMP/out")" -eq 3 ]
printf '村代码,村名\r\n220221100201,前进村\r\n220221100202,红旗村\r\n' |
	iconv -f UTF-8 -t GB18030 >"$TMP/villages-gbk.csv"
G="$TMP/gbkvillages"
expect_code 0 "init --villages a GBK CSV" "$XB" --home "$G" init --office 220221100 --name 示范镇 \
	--villages "$TMP/villages-gbk.csv"
expect_code 0 "GBK villages listed" "$XB" --home "$G" village list
check "GBK: names read" has "$TMP/out" "红旗村"
printf '村代码,村名\r\n220221100201,前进村\r\n2202211002,红旗村\r\n' |
	iconv -f UTF-8 -t GB18030 >"$TMP/villages-bad.csv"
expect_code 3 "a short code in a sheet refused" "$XB" --home "$TMP/badv" init --office 220221100 \
	--name 示范镇 --villages "$TMP/villages-bad.csv"
check "short code: the row named" has "$TMP/err" "row 3"

# --- in Chinese
export LANG=zh_CN.UTF-8
expect_code 3 "zh: outside township" x village add 220221101201 外村
check "zh: message in Chinese" has "$TMP/err" "不在本乡镇"

finish
