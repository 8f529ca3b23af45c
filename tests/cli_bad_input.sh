#!/bin/sh
# cli_bad_input.sh - every kind of bad input gets its own clear message and
# exit status 3 (or 4 for what does not exist), and leaves the ledger
# exactly as it was.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

x init --office 220221100 --name 示范镇 >/dev/null || { fail init; finish; }
GOOD="village_code=220221100001 village=前进村 father_status=away mother_status=away guardian_relation=grandparent guardian_name=李桂兰 enrolment=in_school"
# shellcheck disable=SC2086
x child add name=张三 id_number=220221201503120018 $GOOD >"$TMP/out" || fail "first child"
CASE=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
x report add "$CASE" category=other found_at=2026-11-28 found_by=王 reporter_kind=village description=x >/dev/null
x report step "$CASE/R01" step=closed date=2026-11-29 by=王 --yes >/dev/null

# What a clerk could see of the ledger: every record and every history line.
state() {
	{
		x --json child list
		x --json report list
		x --json visit list "$CASE"
		x history "$CASE"
	} | md5sum
}
BEFORE=$(state)

# refused CODE "what" "message part" xiangban-args...
refused() {
	code=$1
	what=$2
	msg=$3
	shift 3
	expect_code "$code" "$what" x "$@"
	if ! grep -qF -- "$msg" "$TMP/err"; then
		fail "$what: message lacks '$msg': $(cat "$TMP/err")"
	else
		pass
	fi
	if [ "$(state)" != "$BEFORE" ]; then
		fail "$what: the ledger changed"
	else
		pass
	fi
}

# shellcheck disable=SC2086
{
refused 3 "wrong ID check character" "check character" child add name=李四 id_number=220221201001010010 $GOOD
refused 3 "old 15-digit ID" "15-digit" child add name=李四 id_number=220221100101001 $GOOD
refused 3 "ID with a letter" "ID number" child add name=李四 id_number=22022120100A010011 $GOOD
refused 3 "ID with an impossible date" "ID number" child add name=李四 id_number=220221201002300011 $GOOD
refused 5 "ID already registered" "already registered" child add name=李四 id_number=220221201503120018 $GOOD
refused 3 "birth date not the ID's" "ID number" child add name=李四 id_number=220221201001010011 birth_date=2010-01-02 $GOOD
refused 3 "invalid UTF-8 name" "Name" child add "name=$(printf '\345\274')" id_number=220221201001010011 $GOOD
refused 3 "control character" "Name" child add "name=$(printf '\001x')" id_number=220221201001010011 $GOOD
refused 3 "name too long" "Name" child add name=一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一 id_number=220221201001010011 $GOOD
refused 3 "no such date" "Date of birth" child add name=李四 sex=M birth_date=2015-02-29 $GOOD
refused 3 "birth in the future" "Date of birth" child add name=李四 sex=M birth_date=2027-01-01 $GOOD
refused 3 "bad phone" "phone" child add name=李四 id_number=220221201001010011 guardian_phone=12345 $GOOD
refused 3 "landline without area code" "phone" child add name=李四 id_number=220221201001010011 guardian_phone=62345678 $GOOD
refused 3 "unknown choice" "Schooling" child add name=李四 id_number=220221201001010011 village_code=220221100001 village=前进村 father_status=away mother_status=away guardian_relation=grandparent guardian_name=x enrolment=working
refused 3 "unknown field" "no field" child add name=李四 id_number=220221201001010011 shoe_size=30 $GOOD
refused 3 "program's field typed" "set by the program" child add name=李四 id_number=220221201001010011 status=exited $GOOD
refused 3 "village of another township" "does not lie under" child add name=李四 id_number=220221201001010011 village_code=220221200001 village=x father_status=away mother_status=away guardian_relation=grandparent guardian_name=x enrolment=in_school
refused 3 "required field missing" "required" child add name=李四 id_number=220221201001010011 village_code=220221100001 father_status=away mother_status=away guardian_relation=grandparent guardian_name=x enrolment=in_school
refused 3 "no guardian yet a name" "guardian" child add name=李四 id_number=220221201001010011 village_code=220221100001 village=x father_status=away mother_status=away guardian_relation=none guardian_name=x enrolment=in_school
refused 3 "not field=value" "field=value" child add name李四
refused 3 "case number typo" "case number" child show 220221100-00001-3
refused 4 "unknown case" "220221100-00099-5" visit add 220221100-00099-5 date=2026-11-20 visitor=x kind=home
refused 3 "visit in the future" "Date" visit add "$CASE" date=2026-12-20 visitor=x kind=home
refused 3 "visit before birth" "before" visit add "$CASE" date=2014-12-20 visitor=x kind=home
refused 3 "next contact before visit" "Next contact due" visit add "$CASE" date=2026-11-20 next_due=2026-11-01 visitor=x kind=home
refused 3 "step on a closed report" "closed" report step "$CASE/R01" step=services date=2026-11-29 by=x
refused 3 "reported before found" "earlier" report add "$CASE" category=other found_at="2026-11-28 10:00" reported_at="2026-11-28 09:00" found_by=x reporter_kind=school description=x
}
# An edit refused by the optimistic check: status 5 and nothing written.
refused 5 "stale edit" "after you opened it" child edit "$CASE" --expect-version 99 name=张叁

# Broken JSON on standard input.
for bad in '{"name": "李四",' '["name"]' '{"name": 5.5}' '{"name":"a","name":"b"}'; do
	printf '%s' "$bad" | x child add >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 3 ]; then fail "json '$bad': exit $rc"; else pass; fi
	check "json '$bad' message" [ -s "$TMP/err" ]
	check "json '$bad' left ledger" [ "$(state)" = "$BEFORE" ]
done

# jansson quotes the bytes near a fault, which can stop inside a character
# (here the first of 下): the message must still be whole UTF-8, or a
# terminal shows a broken character. Found by fuzz/fuzz_fields.
printf '%s' '{"repo\u下次":"学校"}' | x child add >"$TMP/out" 2>"$TMP/err"
rc=$?
check "json fault inside a character: exit 3" [ $rc -eq 3 ]
check "json fault inside a character: message is whole UTF-8" \
	iconv -f UTF-8 -t UTF-8 "$TMP/err" -o /dev/null
check "json fault inside a character: says where" has "$TMP/err" 'near'

# The messages are in Chinese for a Chinese clerk.
LANG=zh_CN.UTF-8 x child add name=李四 id_number=220221100101001 $GOOD >/dev/null 2>"$TMP/err"
check "zh: 15-digit message" grep -q "15位" "$TMP/err"

# A ledger that is not there yet is named, not crashed into.
expect_code 4 "summary before init" "$XB" --home "$TMP/empty" summary
check "says to init" has "$TMP/err" "init"

db_verify_all "$H" && pass
finish
