#!/bin/sh
# tui_english_check.sh - the TUI tests' own guard (tui_lib.sh): a test
# whose Chinese session showed a run of English words fails and names
# them; Chinese text, a command in backquotes and an English session
# pass. Each case runs as a test of its own in a child shell.
. "${XB_SRCDIR:-.}/tests/lib.sh"

# case_of LANG TEXT WAIT: a child test shows TEXT in a LANG session and
# waits for WAIT; its output goes to $TMP/out, its status is returned.
case_of() {
	printf '%s\n' "$2" >"$TMP/text"
	cat >"$TMP/child.sh" <<CHILD
. "\${XB_SRCDIR:-.}/tests/lib.sh"
. "\${XB_SRCDIR:-.}/tests/tui_lib.sh"
tui_start 80 24 $1 cat "$TMP/text"
wait_for "$3"
finish
CHILD
	sh "$TMP/child.sh" >"$TMP/out" 2>&1
}

case_of zh_CN.UTF-8 "第 7 行未导入：请先用 \`xiangban village add 代码 名称\` 登记。" "第 7 行"
check "Chinese with a command in backquotes passes" [ $? -eq 0 ]
case_of zh_CN.UTF-8 "档案 This slip was replaced by version 2" "档案"
check "English words on a Chinese screen fail the test" [ $? -ne 0 ]
check "the words are named" grep -qF "English on a Chinese screen: 'This slip was replaced by version'" "$TMP/out"
case_of C.UTF-8 "This slip was replaced by version 2" "This slip"
check "an English session may show English" [ $? -eq 0 ]
finish
