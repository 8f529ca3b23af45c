#!/bin/sh
# deadlines.sh - the township's deadlines of a report on the command
# line (二(二)4: once the police notify it, the township assesses the
# case, then arranges services or assistance): `report show` says under
# the timeline what is due next, by when and how many days are left or
# late, in English and in Chinese, and --json carries next_stage, due and
# days_left; nothing before the notification, after the services or once
# closed; the days are the office's settings (7 and 15), which a leader
# changes and a clerk may not.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { on "$H" "$@"; }
lacks() { ! has "$@"; }
as() {
	_who=$1
	shift
	XIANGBAN_USER=$_who on "$H" "$@"
}
# show [NOW]: report show of $R (on day NOW), English into $TMP/en,
# Chinese into $TMP/zh, JSON into $TMP/j.json.
show() {
	now=${1:-$XIANGBAN_NOW}
	XIANGBAN_NOW=$now x report show "$R" >"$TMP/en" 2>&1 || fail "report show $R"
	XIANGBAN_NOW=$now LANGUAGE=zh_CN LANG=zh_CN.UTF-8 x report show "$R" >"$TMP/zh" 2>&1 ||
		fail "report show $R in Chinese"
	XIANGBAN_NOW=$now x --json report show "$R" >"$TMP/j.json" 2>&1 ||
		fail "report show --json $R"
}
# due KEY: next_stage, due or days_left from the JSON.
due() { json_get "$TMP/j.json" "d['$1']"; }

x init --office 220221100 --name 示范镇 >/dev/null || die "init"
x village add 220221100201 前进村 >/dev/null || die "village"
with_new_password demo "$H" user add ganshi role=clerk display_name=赵干事 >/dev/null ||
	die "user ganshi"
x child add name=张小花 birth_date=2015-03-12 sex=F father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=张桂芝 enrolment=in_school \
	village_code=220221100201 >"$TMP/out" || die "child"
A=$(sed -n 's/.*case number \([0-9X-]*\)\..*/\1/p' "$TMP/out")
x report add "$A" category=家庭暴力 found_at="2026-11-20 08:30" found_by=王老师 \
	reporter_kind=school description=身上有伤 reported_at="2026-11-20 09:00" >/dev/null ||
	die "report"
R=$A/R01

# --- the days, the office's ------------------------------------------------
expect_code 0 "settings list" x settings
check "assessment days listed, 7" grep -q "assessment_due_days *7 " "$TMP/out"
check "services days listed, 15" grep -q "services_due_days *15 " "$TMP/out"

# --- not yet notified: nothing beyond the police ----------------------------
expect_code 0 "police response" x report step "$R" step=police_response \
	date="2026-11-20 10:00" by=派出所
show
check "not notified: no deadline" lacks "$TMP/en" "due by"
check "not notified: none in Chinese" lacks "$TMP/zh" "前完成"
check "not notified: next_stage null" [ "$(due next_stage)" = None ]
check "not notified: days_left null" [ "$(due days_left)" = None ]

# --- notified: the assessment within 7 days ---------------------------------
expect_code 0 "township notified" x report step "$R" step=township_notified \
	date="2026-11-26 15:00" by=派出所
show
check "days left" has "$TMP/en" "Assessment: due by 2026-12-03 (4 days left)"
check "days left in Chinese" has "$TMP/zh" "调查评估：应于 2026-12-03 前完成（还剩 4 天）"
check "next_stage" [ "$(due next_stage)" = assessment ]
check "due" [ "$(due due)" = 2026-12-03 ]
check "days_left" [ "$(due days_left)" = 4 ]
show 2026-12-05T09:00:00
check "late" has "$TMP/en" "Assessment: 2 days late (due by 2026-12-03)"
check "late in Chinese" has "$TMP/zh" "调查评估：已逾期 2 天（应于 2026-12-03 前完成）"
check "days_left negative" [ "$(due days_left)" = -2 ]

# --- a leader changes the days; a clerk may not -----------------------------
expect_code 6 "a clerk may not change them" as ganshi settings assessment_due_days 3
check "says whose it is" has "$TMP/err" "manage users"
expect_code 3 "a number of days" x settings assessment_due_days 0
check "says what it takes" has "$TMP/err" "from 1 to 366"
expect_code 0 "a leader gives 10 days" x settings assessment_due_days 10
show
check "10 days now" has "$TMP/en" "Assessment: due by 2026-12-06 (7 days left)"
check "days_left follows" [ "$(due days_left)" = 7 ]
expect_code 0 "a leader gives 20 days to services" x settings services_due_days 20

# --- assessed: the services ---------------------------------------------------
expect_code 0 "assessment" x report step "$R" step=assessment date="2026-11-28 10:00" by=民政办
show
check "services due" has "$TMP/en" "Services or assistance: due by 2026-12-18 (19 days left)"
check "services due in Chinese" has "$TMP/zh" "关爱服务/救助：应于 2026-12-18 前完成（还剩 19 天）"
check "next_stage services" [ "$(due next_stage)" = services ]
expect_code 0 "services" x report step "$R" step=services date="2026-11-29 09:00" by=民政办
show
check "services done: nothing due" lacks "$TMP/en" "due by"
check "services done: null" [ "$(due next_stage)" = None ]

# --- closed: nothing due -----------------------------------------------------
x report add "$A" category=无人监护 found_at="2026-11-10 08:30" found_by=王老师 \
	reporter_kind=school description=无人照看 reported_at="2026-11-10 09:00" >/dev/null ||
	die "report 2"
R=$A/R02
x report step "$R" step=township_notified date="2026-11-11 09:00" by=派出所 >/dev/null ||
	die "notified 2"
show
check "late a long time" has "$TMP/en" "Assessment: 8 days late (due by 2026-11-21)"
expect_code 0 "closed" x report step "$R" step=closed date="2026-11-29 09:00" by=民政办 --yes
show
check "closed: nothing due" lacks "$TMP/en" "due by"
check "closed: null" [ "$(due due)" = None ]

# --- the county reckons a township's reports by the township's days ---------
# The township gives 10 days to assess (above), the county keeps 7: the
# bundle carries the township's, and the county shows the same deadline.
need_gpg
C="$TMP/county" STICK="$TMP/stick"
mkdir -p "$STICK"
office "$C" 220221 示范县民政局
keys_both "$H" 220221100 "$C" 220221 "$STICK"
x report add "$A" category=无人监护 found_at="2026-11-25 08:30" found_by=王老师 \
	reporter_kind=school description=无人照看 reported_at="2026-11-25 09:00" >/dev/null ||
	die "report 3"
R=$A/R03
x report step "$R" step=township_notified date="2026-11-26 15:00" by=派出所 >/dev/null ||
	die "notified 3"
show
check "the township: 10 days" has "$TMP/en" "Assessment: due by 2026-12-06 (7 days left)"
expect_code 0 "the township exports" x --json export --to "$STICK"
BUNDLE=$(json_get "$TMP/out" 'd["file"]')
check "the manifest carries the township's days" sh -c \
	"$GPG --homedir '$H/gnupg' --batch --decrypt '$BUNDLE' 2>/dev/null | head -1 | grep -q '\"assessment_due_days\": *\"10\"'"
expect_code 0 "the county imports" on "$C" import "$BUNDLE"
expect_code 0 "the county keeps its own 7 days" on "$C" settings
check "county's setting unchanged" grep -q "assessment_due_days *7 " "$TMP/out"
expect_code 0 "the county shows the report" on "$C" --json report show "$R"
check "the county: the township's deadline" [ "$(json_get "$TMP/out" 'd["due"]')" = 2026-12-06 ]
check "the county: the same days left" [ "$(json_get "$TMP/out" 'd["days_left"]')" = 7 ]
expect_code 0 "the county's words" on "$C" report show "$R"
check "the county says it as the township does" has "$TMP/out" \
	"Assessment: due by 2026-12-06 (7 days left)"

finish
