#!/bin/sh
# accounts.sh - who may use the ledger, and what each role may do, through
# the command line: signing in, wrong passwords and the lock, disabled and
# unknown users, managing users, and every role's yes and no (village users
# held to their villages). No password is ever written to a file, a log or
# a bundle.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

H="$TMP/town"
PW="Zhen-Mima-4719"     # the leader's password: grepped for at the end
VPW="Cun-Mima-8263"     # the village member's
CPW="Ganshi-Mima-5530"  # the clerk's

# as USER PASSWORD ARGS...: the real program, signed in as USER with
# PASSWORD on fd 9.
as() {
	_u=$1
	_p=$2
	shift 2
	"$XB_BIN" --home "$H" --user "$_u" --password-fd 9 "$@" 9<<PW
$_p
PW
}

# as_new USER PASSWORD NEWPASSWORD ARGS...: the same, a new password after.
as_new() {
	_u=$1
	_p=$2
	_n=$3
	shift 3
	"$XB_BIN" --home "$H" --user "$_u" --password-fd 9 "$@" 9<<PW
$_p
$_n
PW
}

# --- setting up: init makes its first user the leader --------------------
expect_code 3 "init without a password from a script" \
	"$XB_BIN" --home "$H" --user 张站长 init --office 220221100 --name 示范镇
check "init says how to give the password" has "$TMP/err" "--password-fd"
expect_code 0 "init with a password" as 张站长 "$PW" init --office 220221100 \
	--name 示范镇
expect_code 0 "villages" as 张站长 "$PW" village add 220221100201 东村
expect_code 0 "villages" as 张站长 "$PW" village add 220221100202 西村
expect_code 0 "list users" as 张站长 "$PW" --json user list
check "the first user is the leader" [ "$(json_get "$TMP/out" 'd[0]["role"]')" = leader ]

# --- signing in ------------------------------------------------------------
expect_code 6 "wrong password" as 张站长 wrong summary
check "wrong password: tries left" has "$TMP/err" "4 more wrong tries"
expect_code 0 "right password clears the count" as 张站长 "$PW" summary
expect_code 6 "unknown user" as 陌生人 "$PW" summary
check "unknown user: named" has "$TMP/err" "陌生人 is not a user of this ledger"
expect_code 6 "unknown user edits nothing" as 陌生人 "$PW" village add 220221100203 南村
expect_code 3 "no password at all (no terminal)" \
	"$XB_BIN" --home "$H" --user 张站长 summary

# --- users, managed by the leader -------------------------------------------
expect_code 0 "add a clerk" as_new 张站长 "$PW" "$CPW" user add 李干事 role=clerk
expect_code 0 "add a village member bound to 东村 by name" \
	as_new 张站长 "$PW" "$VPW" user add 村委李 role=village villages=东村 \
	display_name=李红
expect_code 0 "list" as 张站长 "$PW" --json user list
check "village member bound to 东村's code" \
	[ "$(json_get "$TMP/out" '[u["villages"] for u in d if u["name"]=="村委李"][0]')" = 220221100201 ]
expect_code 3 "a village member needs villages" \
	as_new 张站长 "$PW" x user add 村委王 role=village
expect_code 4 "a village not in the register" \
	as_new 张站长 "$PW" x user add 村委王 role=village villages=北村
expect_code 3 "a county role has no place in a township" \
	as_new 张站长 "$PW" x user add 县里 role=county
expect_code 5 "the same name twice" as_new 张站长 "$PW" x user add 李干事 role=clerk
expect_code 6 "a clerk adds no users" as_new 李干事 "$CPW" x user add 小王 role=clerk
check "the refusal names the permission" has "$TMP/err" "manage users"
expect_code 6 "a clerk lists no users" as 李干事 "$CPW" user list
expect_code 3 "the leader cannot disable themself" as 张站长 "$PW" user disable 张站长
expect_code 3 "the last leader is not demoted" \
	as 张站长 "$PW" user edit 张站长 role=clerk
expect_code 0 "one changes their own password" \
	as_new 李干事 "$CPW" "$CPW-2" user passwd 李干事
expect_code 6 "the old one no longer works" as 李干事 "$CPW" summary
CPW="$CPW-2"
expect_code 6 "a clerk sets no one else's password" \
	as_new 李干事 "$CPW" x user passwd 张站长

# --- what each role may do ---------------------------------------------------
# The clerk registers a child in each village.
expect_code 0 "clerk registers in 东村" as 李干事 "$CPW" --json child add name=王小明 \
	id_number=220221201503120018 village=东村 father_status=away \
	mother_status=away guardian_relation=grandparent guardian_name=王奶奶 enrolment=in_school
E=$(json_get "$TMP/out" 'd["id"]')
expect_code 0 "clerk registers in 西村" as 李干事 "$CPW" --json child add name=赵小红 \
	id_number=22022120160315002X village=西村 father_status=away \
	mother_status=away guardian_relation=grandparent guardian_name=赵爷爷 enrolment=in_school
W=$(json_get "$TMP/out" 'd["id"]')

# The village member: visits and first reports in their village, nothing else.
expect_code 0 "village member visits a 东村 child" as 村委李 "$VPW" visit add "$E" \
	date=2026-11-20 visitor=李红 kind=home
expect_code 6 "village member visits no 西村 child" as 村委李 "$VPW" visit add "$W" \
	date=2026-11-20 visitor=李红 kind=home
check "the refusal names the village" has "$TMP/err" "220221100202"
expect_code 0 "village member files a first report" as 村委李 "$VPW" --json report add \
	"$E" category=unsupervised found_at=2026-11-20T10:00 found_by=村委李 \
	reporter_kind=village description=独自在家
R=$(json_get "$TMP/out" 'd["id"]')
expect_code 6 "village member adds no report step" as 村委李 "$VPW" report step "$R" \
	step=reported date=2026-11-20T11:00 by=村委李
expect_code 6 "village member registers no child" as 村委李 "$VPW" child add name=钱小 \
	village=东村
expect_code 6 "village member edits no file" as 村委李 "$VPW" child edit "$E" notes=x
expect_code 6 "village member takes no child off the ledger" as 村委李 "$VPW" child exit \
	"$E" exit_reason=other
expect_code 6 "village member adds no village" as 村委李 "$VPW" village add 220221100203 南村
expect_code 6 "village member exports nothing" as 村委李 "$VPW" export --to "$TMP"
expect_code 6 "village member changes no setting" as 村委李 "$VPW" settings idle_minutes 5

# ... and sees only their village.
expect_code 0 "village member's list" as 村委李 "$VPW" --json child list
check "one child listed, theirs" [ "$(json_get "$TMP/out" '[c["id"] for c in d]')" = "['$E']" ]
expect_code 4 "village member's search finds no 西村 child" as 村委李 "$VPW" --json \
	search 赵
check "search: an empty list" [ "$(json_get "$TMP/out" 'len(d)')" = 0 ]
expect_code 0 "village member's search finds theirs" as 村委李 "$VPW" --json search 王
check "search: theirs" [ "$(json_get "$TMP/out" '[c["id"] for c in d]')" = "['$E']" ]
expect_code 6 "village member opens no 西村 file" as 村委李 "$VPW" child show "$W"
expect_code 6 "nor its history" as 村委李 "$VPW" history "$W"
expect_code 6 "nor its slip" as 村委李 "$VPW" slip "$W" --text
expect_code 6 "nor scans it" as 村委李 "$VPW" lookup "XB1:$W:1"
expect_code 6 "nor prints 西村's sheet" as 村委李 "$VPW" slip --village 220221100202 \
	--sheet "$TMP/s.pdf"
expect_code 0 "village member's own slip" as 村委李 "$VPW" slip "$E" --text
expect_code 0 "village member's figures" as 村委李 "$VPW" --json summary
check "figures: their child only" [ "$(json_get "$TMP/out" 'd["children"]')" = 1 ]
expect_code 0 "village member's statistics" as 村委李 "$VPW" --json stats --period 2026-11
check "statistics: their child only" \
	[ "$(json_get "$TMP/out" 'd["total"]["in_ledger"]')" = 1 ]
expect_code 0 "the leader's statistics" as 张站长 "$PW" --json stats --period 2026-11
check "statistics: both" [ "$(json_get "$TMP/out" 'd["total"]["in_ledger"]')" = 2 ]

# The clerk does the township's work but approves and manages nothing.
expect_code 0 "clerk adds the step" as 李干事 "$CPW" report step "$R" \
	step=reported date=2026-11-20T11:00 by=李干事
expect_code 0 "clerk sees both" as 李干事 "$CPW" --json child list
check "clerk: two children" [ "$(json_get "$TMP/out" 'len(d)')" = 2 ]
expect_code 6 "clerk changes no setting" as 李干事 "$CPW" settings idle_minutes 5
expect_code 0 "the leader does" as 张站长 "$PW" settings idle_minutes 5
expect_code 3 "a slips folder is a whole path" as 张站长 "$PW" settings slips_folder 联系卡
check "slips folder: says so" has "$TMP/err" "beginning with /"
expect_code 0 "the slips folder set" as 张站长 "$PW" settings slips_folder /srv/联系卡
expect_code 0 "settings listed" as 张站长 "$PW" settings
check "slips folder listed" grep -q '^slips_folder *\/srv\/联系卡' "$TMP/out"

# Every entry of the history names who signed in.
expect_code 0 "history" as 张站长 "$PW" --json history "$E"
check "history names the village member's visit" has "$TMP/out" '"user":"村委李"'
check "history names the clerk" has "$TMP/out" '"user":"李干事"'

# --- disabled ------------------------------------------------------------------
expect_code 0 "disable the village member" as 张站长 "$PW" user disable 村委李
expect_code 6 "a disabled user signs in to nothing" as 村委李 "$VPW" child list
check "disabled: said" has "$TMP/err" "disabled"
expect_code 0 "enable again" as 张站长 "$PW" user enable 村委李
expect_code 0 "back" as 村委李 "$VPW" child list

# --- five wrong passwords lock the account -------------------------------------
for i in 1 2 3 4; do
	as 李干事 "wrong$i" summary >/dev/null 2>&1
done
expect_code 6 "the fifth wrong try" as 李干事 wrong5 summary
check "fifth: locked" has "$TMP/err" "locked after 5 wrong passwords"
expect_code 6 "locked: even the right password" as 李干事 "$CPW" summary
check "locked until a time" has "$TMP/err" "try again after 2026-11-29 09:45"
XIANGBAN_NOW=2026-11-29T09:46:00 expect_code 0 "after 15 minutes the right one works" \
	as 李干事 "$CPW" summary
expect_code 0 "other users were never locked" as 村委李 "$VPW" summary

# --- a ledger from before accounts ---------------------------------------------
# Made by the library with no password: its first sign-in sets one and
# makes that user its leader.
O="$TMP/old"
XIANGBAN_USER=老会计 "$XB_WRITER" --home "$O" init --office 220221100 --name 老镇 \
	>/dev/null 2>&1 || fail "an old ledger"
expect_code 0 "first sign-in sets the password" "$XB_BIN" --home "$O" --user 老会计 \
	--password-fd 9 --json user list 9<<PW
Old-Mima-1
Old-Mima-1
PW
check "and makes a leader" [ "$(json_get "$TMP/out" 'd[0]["role"]')" = leader ]
expect_code 6 "then the password holds" "$XB_BIN" --home "$O" --user 老会计 \
	--password-fd 9 summary 9<<PW
wrong
PW

# --- no password in any file, log or bundle --------------------------------------
# A bundle to the county, with its key bound both ways.
need_gpg
C="$TMP/county"
mkdir -p "$TMP/stick"
expect_code 0 "county" on "$C" init --office 220221 --name 示范县民政局
expect_code 0 "county key" on "$C" keys init --no-passphrase
expect_code 0 "township key" as 张站长 "$PW" keys init --no-passphrase
expect_code 0 "township key out" as 张站长 "$PW" keys export "$TMP/stick/t.asc"
expect_code 0 "county key out" on "$C" keys export "$TMP/stick/c.asc"
expect_code 0 "township binds the county" as 张站长 "$PW" keys import "$TMP/stick/c.asc" \
	--office 220221 --fingerprint "$(fpr "$C")"
expect_code 6 "the village member binds no key" as 村委李 "$VPW" keys revoke 220221
expect_code 0 "a bundle" as 张站长 "$PW" export --to "$TMP/stick"
expect_code 0 "township fingerprint" as 张站长 "$PW" --json keys show
TF=$(json_get "$TMP/out" 'd["fingerprint"]')
expect_code 0 "county binds the township" on "$C" keys import "$TMP/stick/t.asc" \
	--office 220221100 --fingerprint "$TF"
expect_code 0 "county imports" on "$C" import "$(ls "$TMP"/stick/*.gpg)"
# The county reads what came; its own leader changes none of it.
expect_code 0 "county reads the child" on "$C" child show "$E"
expect_code 6 "county leader takes no township child off the ledger" \
	on "$C" child exit "$E" exit_reason=other
check "the refusal names the owner" has "$TMP/err" "belongs to office 220221100"
expect_code 6 "nor adds a visit" on "$C" visit add "$E" date=2026-11-25 visitor=x kind=home
expect_code 6 "nor a report step" on "$C" report step "$R" step=police_response \
	date=2026-11-25T10:00 by=x
expect_code 3 "nor edits it" on "$C" child edit "$E" notes=x
expect_code 0 "check" as 张站长 "$PW" check
found=""
for p in "$PW" "$VPW" "$CPW" Old-Mima-1; do
	if grep -rqaF -- "$p" "$H" "$O" "$TMP/stick" 2>/dev/null; then
		found="$found $p"
	fi
done
check "no password in the ledger, its logs or the bundle:$found" [ -z "$found" ]
db_verify_all "$H" && pass

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
