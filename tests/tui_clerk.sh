#!/bin/sh
# tui_clerk.sh - a clerk's day in the full-screen interface, typed key by
# key in a real terminal (tmux), once in Chinese and once in C.UTF-8:
# register a child with a Chinese name and an ID number (a wrong check
# character is refused beside the field; the right one fills in birth date
# and sex), resize during the form and keep what was typed, save, find the
# child by search and by a scanned case number, log a visit, file a report
# and add two steps, and see the start screen's figures change.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

# count LABEL: the number at the end of the start screen's LABEL line.
count() {
	screen | grep -F -- "$1" | head -n 1 | awk '{ print $NF }'
}

# day LANG: the whole day; the texts to wait for follow the language.
day() {
	lang=$1
	if [ "$lang" = zh_CN.UTF-8 ]; then
		T_CHILDREN="在册儿童" T_REPORTS="处理中的报告" T_FORM="登记儿童"
		T_BADCHECK="校验码不对" T_SAVED="已登记" T_MALE="男"
		T_VISIT="走访记录" T_VSAVED="已保存" T_REPORTED="已登记"
		T_UNSENT="尚未报告公安机关" T_POLICE="出警处置" T_RESULTS="相符"
		T_FILE="张小明的档案" T_MISTYPED="输错" T_NEVER="此处没有印制过 CASE 的第 9 版联系卡（最新为第 1 版）"
	else
		T_CHILDREN="Children in the ledger" T_REPORTS="Reports open"
		T_FORM="Register a child" T_BADCHECK="check character is wrong"
		T_SAVED="Registered" T_MALE="male" T_VISIT="Visit" T_VSAVED="saved"
		T_REPORTED="filed" T_UNSENT="not been reported" T_POLICE="police response"
		T_RESULTS="match" T_FILE="File of 张小明" T_MISTYPED="does not add up"
		T_NEVER="No slip version 9 of CASE was printed here (the latest is version 1)"
	fi
	H="$TMP/ledger-$lang"
	"$XB" --home "$H" demo --children 30 >/dev/null || { fail "demo ledger"; return; }
	tui_start 80 24 "$lang" "$XB" --home "$H"
	wait_for "$T_CHILDREN" || return
	children_before=$(count "$T_CHILDREN")
	reports_before=$(count "$T_REPORTS")

	# Register: a Chinese name, an ID number with a wrong check character,
	# typed in its groups (the spaces are dropped, not counted).
	keys a
	wait_for "$T_FORM" || return
	type_text "张小明"
	keys Tab
	type_text "220221 20150312 001X"
	keys Tab
	wait_for "$T_BADCHECK"
	# Fix it: the birth date and sex fill in from the ID number.
	keys BTab BSpace
	type_text "8"
	keys Tab
	wait_for "2015-03-12"
	wait_for "$T_MALE"
	wait_gone "$T_BADCHECK"
	# no_hukou, sex, birth date, ethnicity, then the village code.
	keys Tab Tab Tab Tab
	# The demo ledger keeps its villages in the register: leaving the
	# code fills the village's name.
	type_text "220221100201"
	keys Tab
	# group, address, father's name, ID, phone, then his situation: away.
	keys Tab Tab Tab Tab Tab Tab 1
	# work place, since, contact, capacity, mother's name, ID, phone,
	# then her situation: away.
	keys Tab Tab Tab Tab Tab Tab Tab 1
	# work place, since, contact, capacity, then the guardian: grandparent.
	keys Tab Tab Tab Tab 1
	type_text "李桂兰"
	# A resize in the middle of the form keeps everything typed.
	resize 100 30
	wait_for "李桂兰"
	resize 80 24
	wait_for "李桂兰"
	# age, phone, capacity, school, grade, boarding, then schooling: in school.
	keys Tab Tab Tab Tab Tab Tab Tab 1
	keys F2
	wait_for "$T_SAVED" || return
	wait_for "$T_FILE"
	case_no=$(screen | grep -o '220221100-[0-9]\{5\}-[0-9X]' | head -n 1)
	check "case number shown" [ -n "$case_no" ]
	check "saved in the ledger" sh -c "'$XB' --home '$H' child show '$case_no' | grep -q 李桂兰"

	# Log a visit (today, this user, a home visit by default).
	keys v
	wait_for "$T_VISIT"
	keys F2
	wait_for "$T_VSAVED"

	# File a report: accidental injury, found by a teacher at school.
	keys r
	keys 1 Tab
	type_text "王老师"
	keys Tab 1 Tab
	type_text "在校摔伤"
	keys F2
	wait_for "$T_REPORTED"
	wait_for "$T_UNSENT"
	# Its timeline; two steps: reported to the police, police response.
	keys 8
	keys Enter
	wait_for "$case_no/R01"
	keys a
	keys 2 Tab
	type_text "王老师"
	keys F2
	keys a
	keys 3 Tab
	type_text "口前派出所"
	keys F2
	wait_for "口前派出所"
	wait_for "$T_POLICE"

	# Back to the start screen: one child and one open report more.
	keys Escape Escape
	wait_for "$T_CHILDREN"
	check "children count +1" [ "$(count "$T_CHILDREN")" -eq $((children_before + 1)) ]
	check "open reports +1" [ "$(count "$T_REPORTS")" -eq $((reports_before + 1)) ]

	# Find the child by search: the start screen's / opens the list.
	keys /
	type_text "张小"
	wait_for "$T_RESULTS"
	wait_for "$case_no"
	keys Enter
	wait_for "$T_FILE"
	keys Escape Escape Escape
	wait_for "$T_CHILDREN"
	# A scanner types the case number and Enter: the file opens.
	keys /
	type_text "$case_no"
	keys Enter
	wait_for "$T_FILE"
	keys Escape Escape Escape
	wait_for "$T_CHILDREN"
	# The same from a printed slip's QR code, on the start screen.
	type_text "XB1:$case_no:1"
	keys Enter
	wait_for "$T_FILE"
	# p prints the slip: with no printer here, a PDF in the data directory.
	keys p
	n=0
	while [ ! -s "$H/slips/$case_no-slip.pdf" ] && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	check "slip printed to a file" [ -s "$H/slips/$case_no-slip.pdf" ]
	wait_wrapped "$H/slips/$case_no-slip.pdf"
	# The office's folder for slips, set by its leader: the next one goes
	# there, and the message gives its whole path.
	mkdir -p "$TMP/联系卡-$lang"
	XIANGBAN_USER=leader "$XB" --home "$H" settings slips_folder "$TMP/联系卡-$lang" \
		>/dev/null || fail "$lang: settings slips_folder"
	keys p
	wait_wrapped "$TMP/联系卡-$lang/$case_no-slip.pdf" || return
	check "slip in the office's folder" [ -s "$TMP/联系卡-$lang/$case_no-slip.pdf" ]
	# A slip version never printed opens the file, saying so.
	keys Escape
	wait_for "$T_CHILDREN"
	type_text "XB1:$case_no:9"
	keys Enter
	wait_for "$T_FILE"
	wait_wrapped "$(echo "$T_NEVER" | sed "s/CASE/$case_no/")"
	# A slip with a mistyped check character is refused, nothing opens.
	keys Escape
	wait_for "$T_CHILDREN"
	bad=$(echo "$case_no" | sed 's/.$/0/')
	[ "$bad" = "$case_no" ] && bad=$(echo "$case_no" | sed 's/.$/1/')
	type_text "XB1:$bad:1"
	keys Enter
	wait_for "$T_MISTYPED"
	wait_for "$T_CHILDREN"
	keys q
	wait_for "EXITED=0"
	"$XB" --home "$H" check >/dev/null || fail "ledger check after the day"
	db_verify_all "$H" && pass
}

day zh_CN.UTF-8
day C.UTF-8
finish
