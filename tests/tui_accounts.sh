#!/bin/sh
# tui_accounts.sh - accounts in the full-screen interface, in a real
# terminal (tmux), the program itself ($XB_BIN, no --password-fd) where
# the sign-in is tested: the sign-in screen (the name offered, a wrong
# password and the tries left, the lock after five, a disabled and an
# unknown user refused, Esc quits, a resize while typing), a ledger with
# no passwords yet whose first sign-in sets one and makes its user the
# leader; a leader's users screen (a village user added, refusals,
# settings); that village user sees only their village's children, and a
# slip, a search or a key of what is not theirs is refused; a clerk is
# refused the users screen.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"
need_writer

H="$TMP/ledger"
"$XB" --home "$H" demo >/dev/null || die "demo"
"$XB" --home "$H" --json village list >"$TMP/villages.json" || die "village list"
"$XB" --home "$H" --json child list >"$TMP/children.json" || die "child list"
V1=$(json_get "$TMP/villages.json" 'd[0]["code"]')
V2=$(json_get "$TMP/villages.json" 'd[1]["code"]')
V2NAME=$(json_get "$TMP/villages.json" 'd[1]["name"]')
# The children of the second village, active; one child of the first
# village and one of the second, each with its ID number.
IN_V2=$(json_get "$TMP/children.json" \
	"len([c for c in d if c['fields']['village_code'] == '$V2' and c['fields']['status'] == 'active'])")
OTHER=$(json_get "$TMP/children.json" "[c['id'] for c in d if c['fields']['village_code'] == '$V1'][0]")
OTHER_ID=$(json_get "$TMP/children.json" \
	"[c['fields']['id_number'] for c in d if c['fields']['village_code'] == '$V1' and 'id_number' in c['fields']][0]")
OWN=$(json_get "$TMP/children.json" "[c['id'] for c in d if c['fields']['village_code'] == '$V2'][0]")
OWN_ID=$(json_get "$TMP/children.json" \
	"[c['fields']['id_number'] for c in d if c['fields']['village_code'] == '$V2' and 'id_number' in c['fields']][0]")
check "the second village has children" [ "$IN_V2" -gt 0 ]

# --- signing in, in Chinese at 80x24 -----------------------------------------
tui_start 80 24 zh_CN.UTF-8 "$XB_BIN" --home "$H"
wait_for "相伴：农村留守儿童关爱保护台账" || finish
# The name is offered (XIANGBAN_USER), the cursor in the password.
wait_for "用户名  clerk"
check "no figures before signing in" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '在册儿童'"
type_text "wrong"
wait_for "密码    *****"
keys Enter
wait_for "密码错误（clerk）；再错 4 次"
check "the password field is emptied" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '密码  *│'"
# Typed, then the window resized: what was typed stays.
type_text "de"
resize 100 30
wait_for "密码    **"
resize 80 24
type_text "mo"
keys Enter
wait_for "已以 clerk（乡镇经办人员）身份登录。"
wait_for "在册儿童"
check "the clerk sees every child" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep '^    在册儿童' | grep -q ' 300\$'"
# A clerk has no users screen: the key says why.
keys u
wait_wrapped "不能进行此操作：需要“管理用户”的权限。"
keys q
wait_for "EXITED=0"

# --- five wrong passwords lock the account; disabled, unknown, Esc ------------
XIANGBAN_USER=leader with_new_password secret "$H" user add lockme role=clerk >/dev/null ||
	die "user add lockme"
XIANGBAN_USER=leader with_new_password secret "$H" user add gone role=clerk >/dev/null ||
	die "user add gone"
XIANGBAN_USER=leader "$XB" --home "$H" user disable gone >/dev/null || die "user disable"
tui_start 80 24 C.UTF-8 "$XB_BIN" --home "$H" --user lockme
wait_for "User name  lockme" || finish
for left in 4 3 2; do
	type_text "bad$left"
	keys Enter
	wait_wrapped "Wrong password for lockme; $left more wrong tries lock the account for 15 minutes."
done
type_text "bad1"
keys Enter
wait_wrapped "Wrong password for lockme; 1 more wrong try locks the account for 15 minutes."
type_text "bad0"
keys Enter
wait_wrapped "The account lockme is locked after 5 wrong passwords; try again after 2026-11-29 09:45:00."
# The right one does not open it now, here or on the command line.
type_text "secret"
keys Enter
wait_wrapped "The account lockme is locked after 5 wrong passwords"
check "still on the sign-in screen" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q 'Children in the ledger'"
expect_code 6 "the command line refuses the locked account too" \
	sh -c "echo secret | '$XB_BIN' --password-fd 0 --home '$H' --user lockme summary"
# A disabled user: its message, the cursor back in the name.
keys BTab C-u
type_text "gone"
keys Tab
type_text "secret"
keys Enter
wait_wrapped "The account gone is disabled: it can do nothing until a leader enables it again."
# An unknown user.
keys C-u
type_text "nobody"
keys Tab
type_text "x"
keys Enter
wait_wrapped "nobody is not a user of this ledger"
# Esc leaves at once, cleanly.
keys Escape
wait_for "EXITED=0"

# --- a ledger with no passwords yet: the first sets one and leads ------------
H2="$TMP/old"
XIANGBAN_USER=writer "$XB_WRITER" --home "$H2" init --office 220221100 --name 旧账镇 >/dev/null ||
	die "writer init"
"$XB_WRITER" --home "$H2" put user old1 220221100 name=old1 role=township >/dev/null ||
	die "an old account"
tui_start 80 24 zh_CN.UTF-8 "$XB_BIN" --home "$H2" --user old1
wait_for "本台账还没有设置任何密码" || finish
wait_for "再输一次"
type_text "pw1"
keys Tab
type_text "pw2"
keys Enter
wait_for "两次输入的密码不一致"
type_text "pw1"
keys Tab
type_text "pw1"
keys Enter
wait_wrapped "old1 现在是本台账的分管领导：在首页按 u 添加其他用户。"
keys u
wait_for "用户（2）"
check "old1 is shown as the leader" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qE '^ old1 +分管领导'"
keys Escape q
wait_for "EXITED=0"
check "old1 signs in with it on the command line" \
	sh -c "echo pw1 | '$XB_BIN' --password-fd 0 --home '$H2' --user old1 --json user list | grep -q '\"role\": \"leader\"'"

# --- a leader adds a village user on the users screen ------------------------
XIANGBAN_USER=leader
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
keys u
# the demo's users (and those the test added): as many as the CLI lists
NUSERS=$("$XB" --home "$H" --json user list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
wait_for "用户（$NUSERS）" || finish
wait_for "本单位设置（s：修改）"
# The leader cannot disable themselves: the ledger's refusal.
keys Home Down Down Down d
wait_for "停用 leader？"
keys y
wait_for "不能停用自己的账户。"
keys a
wait_for "添加用户"
type_text "cun3"
keys Tab Enter
# The role from its list: the village user first.
wait_for "村级儿童主任/包保人员"
keys Enter
# Their villages, picked from the register: the second.
wait_for "负责村(居)  -"
keys Enter
wait_for "[ ] $V2NAME ($V2)"
keys Down Space
wait_for "[x] $V2NAME ($V2)"
keys Enter
wait_for "负责村(居)  $V2NAME ($V2)"
type_text "赵村长"
keys Tab
type_text "pw3"
keys Tab
type_text "pw3"
keys Enter
wait_for "已添加用户 cun3。"
wait_for "赵村长"
check "cun3 listed with their village" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -qE '^ cun3 +赵村长 +村级儿童主任/包保人员 +$V2NAME\$'"
check "cun3 is a village user of the second village" \
	sh -c "'$XB' --home '$H' --json user list | python3 -c 'import json,sys; u=[x for x in json.load(sys.stdin) if x[\"name\"]==\"cun3\"][0]; sys.exit(not (u[\"role\"]==\"village\" and u[\"villages\"]==\"$V2\"))'"
# A setting: a value the ledger refuses stays in the dialog to mend.
keys s
wait_for "本单位设置"
keys Enter
wait_for "空闲多少分钟后重新要求输入密码"
keys C-u
type_text "999"
keys Enter
wait_wrapped "空闲时间为 1 到 480 之间的分钟数，0 表示从不锁屏。"
wait_for "值  999"
keys BSpace BSpace BSpace
type_text "30"
keys Enter
wait_for "已保存：30。"
check "idle_minutes set" sh -c "'$XB' --home '$H' settings | grep -q '^idle_minutes  *30 '"
keys Escape q
wait_for "EXITED=0"
XIANGBAN_USER=clerk

# --- the village user sees only their village's children ---------------------
tui_start 80 24 zh_CN.UTF-8 "$XB_BIN" --home "$H" --user cun3
wait_for "用户名  cun3" || finish
type_text "pw3"
keys Enter
wait_for "在册儿童" || finish
check "the start screen counts their children" sh -c \
	"tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep '^    在册儿童' | grep -q ' $IN_V2\$'"
# A village user's start screen opens on the children they are responsible
# for (cun3 has none yet); the village's list is the line below.
wait_for "我包保的儿童" || finish
keys Down Enter
wait_for "在册儿童名单（$IN_V2）" || finish
# Every row on the page is of their village.
screen | grep -E '^220221100-[0-9]{5}-' >"$TMP/rows"
rows=$(wc -l <"$TMP/rows")
mine=$(grep -c " $V2NAME " "$TMP/rows")
check "a page of rows" [ "$rows" -gt 5 ]
check "every row is of their village ($mine of $rows)" [ "$mine" -eq "$rows" ]
# Searching: a child of another village is not found, theirs is.
keys /
type_text "$OTHER_ID"
wait_for "没有相符的儿童。"
keys C-u
type_text "$OWN_ID"
wait_for "与“$OWN_ID”相符的儿童 1 名。"
keys Escape Escape
wait_for "首页"
# A slip of another village's child: refused, nothing opens.
type_text "XB1:$OTHER:1"
keys Enter
wait_wrapped "cun3（村级儿童主任/包保人员）只能处理本人负责的村(居)的儿童；该儿童属于村(居) $V1。"
check "no file opened" sh -c "tmux -L '$TMUX_SOCK' capture-pane -t xb -p | head -1 | grep -q '首页'"
# No child registered by them: the refusal names the permission.
keys a
wait_wrapped "cun3（村级儿童主任/包保人员）不能进行此操作：需要“登记和修改儿童档案、办理强制报告”的权限。"
check "no form opened" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '带 \* 的项必须填写'"
# Their own child's slip opens the file; leaving the ledger is refused.
type_text "XB1:$OWN:1"
keys Enter
wait_for "的档案"
keys x
wait_wrapped "需要“登记和修改儿童档案、办理强制报告”的权限。"
# A visit they may log: its form opens.
keys v
wait_for "登记走访"
keys Escape
wait_for "的档案"
keys Escape
# The users key: refused, naming the permission.
keys u
wait_wrapped "不能进行此操作：需要“管理用户”的权限。"
keys q
wait_for "EXITED=0"

# --- the leader gives cun3 a second village, on the users screen -------------
V3=$(json_get "$TMP/villages.json" 'd[2]["code"]')
V3NAME=$(json_get "$TMP/villages.json" 'd[2]["name"]')
IN_V3=$(json_get "$TMP/children.json" \
	"len([c for c in d if c['fields']['village_code'] == '$V3' and c['fields']['status'] == 'active'])")
XIANGBAN_USER=leader
tui_start 80 24 zh_CN.UTF-8 "$XB" --home "$H"
wait_for "在册儿童" || finish
keys u
wait_for "用户（$((NUSERS + 1))）" || finish
# clerk, cun, cun3: the third.
keys Home Down Down Enter
wait_for "用户 cun3"
wait_for "负责村(居)  $V2NAME ($V2)"
keys Tab Enter
wait_for "[x] $V2NAME ($V2)"
keys Down Down Space Enter
wait_for "负责村(居)  $V2NAME ($V2)、$V3NAME ($V3)"
keys F2
wait_for "已保存用户 cun3。"
wait_for "$V2NAME、$V3NAME"
keys Escape q
wait_for "EXITED=0"
XIANGBAN_USER=clerk
check "cun3 has both villages" sh -c "XIANGBAN_USER=leader '$XB' --home '$H' --json user list | grep -q '\"villages\": \"$V2,$V3\"'"

# --- in English: their two villages' children, and nothing else ------------
tui_start 80 24 C.UTF-8 "$XB_BIN" --home "$H" --user cun3
wait_for "User name  cun3" || finish
type_text "pw3"
keys Enter
wait_for "Children in the ledger" || finish
BOTH=$((IN_V2 + IN_V3))
check "the start screen counts their children" sh -c \
	"tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep 'Children in the ledger' | grep -q ' $BOTH\$'"
keys a
wait_wrapped "cun3 (village member) may not do this: it needs the permission to register and change children's files and handle reports."
keys Down Enter
wait_for "Children in the ledger ($BOTH)" || finish
screen | grep -E '^220221100-[0-9]{5}-' >"$TMP/rows"
rows=$(wc -l <"$TMP/rows")
mine=$(grep -cE " ($V2NAME|$V3NAME) " "$TMP/rows")
check "a page of rows" [ "$rows" -gt 5 ]
check "every row is of their villages ($mine of $rows)" [ "$mine" -eq "$rows" ]
# The filter offers their villages only.
keys f
wait_for "One village..."
keys Down Enter
wait_for "$V2NAME ($V2)"
check "no other village offered" sh -c "! tmux -L '$TMUX_SOCK' capture-pane -t xb -p | grep -q '($V1)'"
keys Escape
wait_for "Children in the ledger ($BOTH)"
keys Escape q
wait_for "EXITED=0"
finish
