#!/bin/sh
# tui_redraw.sh - after a key that changes part of the screen (a move in
# the children list, a page, a child's file and back, a search, a pick
# list over a form and a question) the terminal shows what a full repaint
# of the same screen shows, character for character with what shows of
# colours and attributes: the interface sends only what changed (issue
# 16: a hidden cursor left where it is, blanks' attributes evened out),
# and the terminal must never be left out of step with what the program
# drew. In colour (tmux) and mono (vt100).
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

H="$TMP/ledger"
"$XB" --home "$H" demo --children 60 >/dev/null || die "demo ledger"

# shot: the screen, one line per row, each character with what shows of
# its attributes (tmux's capture with -e says them relative to the cell
# before, and spells the same cells differently after different writes).
# A blank shows its background, reverse, underline and blink only, with
# its colour and weight when one of those draws it.
shot() {
	tm capture-pane -e -N -p -t "$TUI_SESSION" | python3 -c '
import re, sys
st = {}
for line in sys.stdin.read().split("\n"):
    row = []
    i = 0
    while i < len(line):
        m = re.match(r"\x1b\[([0-9;:]*)m", line[i:])
        if m:
            ps = [int(p or 0) for p in m.group(1).replace(":", ";").split(";")]
            j = 0
            while j < len(ps):
                p = ps[j]
                if p == 0: st = {}
                elif p in (1, 2, 4, 5, 7): st[p] = 1
                elif p == 22: st.pop(1, None); st.pop(2, None)
                elif p in (24, 25, 27): st.pop(p - 20, None)
                elif 30 <= p <= 37 or 90 <= p <= 97: st["fg"] = p
                elif p == 39: st.pop("fg", None)
                elif 40 <= p <= 47 or 100 <= p <= 107: st["bg"] = p
                elif p == 49: st.pop("bg", None)
                elif p in (38, 48):
                    st["fg" if p == 38 else "bg"] = tuple(ps[j:j + 3])
                    j += 2
                j += 1
            i += m.end()
            continue
        m = re.match(r"\x1b[^a-zA-Z]*[a-zA-Z]", line[i:])
        if m:
            i += m.end()
            continue
        ch = line[i]
        i += 1
        if ch == " ":
            lines = tuple(k for k in (4, 5, 7) if k in st)
            row.append((ch, st.get("bg"), lines,
                        (st.get("fg"), 1 in st, 2 in st) if lines else None))
        else:
            row.append((ch, st.get("bg"), tuple(sorted(k for k in st if isinstance(k, int))),
                        st.get("fg")))
    while row and row[-1] == (" ", None, (), None):
        row.pop()
    print(repr(row))
'
}

# settle: returns once the screen stays the same for 0.2 s.
settle() {
	_prev=""
	_n=50
	while [ $_n -gt 0 ]; do
		_cur=$(shot)
		[ "$_cur" = "$_prev" ] && return 0
		_prev=$_cur
		sleep 0.1
		_n=$((_n - 1))
	done
}

# same_as_repaint NAME: the screen as the changes left it against a full
# repaint: the terminal is made a column wider and back, and after a
# resize the program paints every cell (clearok), in a dialog too.
same_as_repaint() {
	settle
	shot >"$TMP/changes"
	resize 81 24
	resize 80 24
	settle
	shot >"$TMP/repaint"
	if cmp -s "$TMP/changes" "$TMP/repaint"; then
		pass
		return 0
	fi
	fail "$1: the screen differs from a full repaint"
	diff "$TMP/changes" "$TMP/repaint" >&2
	return 1
}

# session TERM: the keys, checked after each.
session() {
	tui_start 80 24 zh_CN.UTF-8 env TERM="$1" "$XB" --home "$H"
	wait_for "在册儿童" || finish
	keys Enter
	wait_for "档案编号" || finish
	same_as_repaint "$1: the list"
	keys Down Down Down
	same_as_repaint "$1: three rows down"
	keys NPage
	same_as_repaint "$1: the next page"
	keys Up
	same_as_repaint "$1: a row up"
	keys Enter
	wait_for "的档案" || finish
	same_as_repaint "$1: a child's file"
	keys 2
	same_as_repaint "$1: its second tab"
	keys Escape
	wait_for "档案编号" || finish
	same_as_repaint "$1: back to the list"
	keys /
	type_text "张"
	wait_for "相符的儿童" || finish
	same_as_repaint "$1: a search"
	keys Escape
	wait_gone "查找：" || finish
	keys F3
	wait_for "带 * 的项必须填写" || finish
	type_text "张三"
	keys Tab Enter Enter
	wait_for "── 无户籍 ──" || finish
	same_as_repaint "$1: a pick list over the form"
	keys Escape
	wait_gone "── 无户籍 ──" || finish
	same_as_repaint "$1: the pick list closed"
	keys Escape
	wait_for "离开前保存修改吗" || finish
	same_as_repaint "$1: the question over the form"
	keys d
	wait_for "档案编号" || finish
	same_as_repaint "$1: back to the list from the form"
	keys C-c
	wait_for "EXITED=" || finish
}

session tmux-256color
session vt100
finish
