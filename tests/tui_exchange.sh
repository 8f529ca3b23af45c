#!/bin/sh
# tui_exchange.sh - the exchange screens in a real terminal (tmux) at
# 80x24, in Chinese (UI_LANG, default zh_CN.UTF-8; tui_exchange_en.sh runs
# it in C.UTF-8): a township exports its first bundle to a stick through
# the full-screen interface, its county imports it the same way, sees the
# township on its offices screen with bundle no. 1 and the children it now
# holds, opens one of them and finds the file read-only; a resize on the
# way. The offices and their keys are set up through the command line, as
# bundles.sh does.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

need_gpg

# $TMP is short (/tmp/xbsh.XXXXXX): the agents' sockets fit.
T="$TMP/t" C="$TMP/c" STICK="$TMP/stick"
mkdir -p "$STICK"

UI_LANG=${UI_LANG:-zh_CN.UTF-8}
# wait_either ZH EN: the screen shows the text in the interface's language.
wait_either() {
	case $UI_LANG in
	zh*) wait_for "$1" ;;
	*) wait_for "$2" ;;
	esac
}

# The two offices and their keys; the county binds the township's.
office "$T" 220221100 城关镇 12
office "$C" 220221 示范县民政局
for h in "$T" "$C"; do
	office_key "$h" "$TMP"
done
TF=$(fpr "$T") CF=$(fpr "$C")
bind_key "$C" "$T" 220221100 "$TMP" --name 城关镇

BUNDLE=xiangban-220221100-to-220221-000001-20261129.gpg

# --- the township exports ------------------------------------------------
tui_start 80 24 "$UI_LANG" "$XB" --home "$T"
wait_either "在册儿童" "Children in the ledger" || exit 1
# The start screen's hints offer the exchange.
wait_for "F7 b"
keys b
# The office key in groups of four, to read out by phone; the county bound.
wait_for "$(grouped "$TF")" || exit 1
# The county's key is bound here, after its fingerprint is checked.
keys n
wait_either "公钥文件" "public key file" || exit 1
keys C-u
type_text "$TMP/c.asc"
keys Enter
# The office code comes from the key; the fingerprint is shown to check.
wait_either "所属单位的代码" "office this key belongs to" || exit 1
wait_for "220221"
keys Enter
wait_for "$(grouped "$CF")" || exit 1
keys y
wait_either "单位 220221 已绑定" "Office 220221 is bound" || exit 1
check "the county is bound at the township" sh -c "'$XB' --home '$T' keys peers | grep -q '220221 .*示范县民政局'"
wait_for "示范县民政局"
keys e
wait_either "U盘" "USB stick" || exit 1
keys C-u
type_text "$STICK"
keys Enter
wait_either "全部记录" "all records" || exit 1
keys a
wait_for "$BUNDLE" 20 || exit 1
wait_either "可以拔下U盘" "remove the stick"
check "the bundle is on the stick" [ -f "$STICK/$BUNDLE" ]
# The county's row now shows bundle no. 1 sent.
wait_either "第1号" "no. 1, 2026-11-29"
keys Escape
wait_either "在册儿童" "Children in the ledger"
keys q
wait_for "EXITED=0"

# --- the county imports ---------------------------------------------------
tui_start 80 24 "$UI_LANG" "$XB" --home "$C"
# A county's start screen offers its offices first.
wait_for "F8 o" || exit 1
keys b
wait_for "$(grouped "$CF")" || exit 1
keys i
wait_either "数据包文件" "bundle file" || exit 1
keys C-u
type_text "$STICK"
keys Enter
# The folder's bundles in a pick list.
wait_for "$BUNDLE" || exit 1
keys Enter
wait_either "1 号数据包（来自单位 220221100）已导入" "no. 1 from office 220221100 imported" || exit 1
check "the county holds the township's children" \
	[ "$(on "$C" --json child list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 12 ]
# Importing it again changes nothing, and says so.
keys i
wait_either "数据包文件" "bundle file" || exit 1
keys C-u
type_text "$STICK/$BUNDLE"
keys Enter
wait_either "此前已导入" "was imported before"
keys Escape

# --- the offices screen: bundle no. 1, 12 children --------------------------
wait_for "F8 o" || exit 1
keys o
wait_for "城关镇" || exit 1
row=$(screen | grep -F 220221100 | head -n 1)
check "offices: bundle no. 1 made 2026-11-29, 12 children ($row)" \
	sh -c "echo '$row' | grep -Eq '城关镇 +1 +2026-11-29 +12 *$'"
# A resize keeps the row; back to 80x24 it still fits.
resize 100 30
wait_for "城关镇"
resize 80 24
wait_for "城关镇"
row=$(screen | grep -F 220221100 | head -n 1)
check "offices after a resize ($row)" sh -c "echo '$row' | grep -Eq '城关镇 +1 +2026-11-29 +12 *$'"

# --- the township's children, read-only ------------------------------------
S=$(on "$C" --json child list | md5sum)
keys Enter
wait_either "只读" "read-only" || exit 1
wait_for "220221100-0" || exit 1
# No child can be registered into another office's list.
keys a
wait_either "其他单位" "Records of another office" || exit 1
keys Enter
wait_either "[只读" "[Read-only" || exit 1
# Editing, a visit, leaving the ledger: each refused with the message.
for k in e v x p; do
	keys "$k"
	wait_either "其他单位(220221100)" "Records of another office (220221100) are read-only" || break
	# Any key clears the message; the next refusal must show it anew.
	keys Down
	wait_gone "220221100)" || break
done
check "nothing written at the county" [ "$(on "$C" --json child list | md5sum)" = "$S" ]
keys C-c
wait_for "EXITED=0"

echo "tui_exchange: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
