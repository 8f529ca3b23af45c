# tui_lib.sh - driving the full-screen interface in a real terminal
# (tmux) as a clerk would: type, wait for the screen to show something,
# read it. Sourced after lib.sh.

command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed (apt-get install tmux)"; exit 1; }

TMUX_SOCK="xbtest$$"
tm() { tmux -L "$TMUX_SOCK" "$@"; }
# A program a test leaves running (a failed wait, an early finish) is
# ended with the test, so nothing outlives it.
tui_cleanup() {
	_st=$?
	english_on_zh || _st=1
	tm kill-server 2>/dev/null
	pkill -9 -f -- "--home $TMP/" 2>/dev/null
	cleanup
	exit $_st
}

# Every screen a wait saw in a Chinese session is kept; when the test
# ends, a run of three or more English words on any of them (an
# untranslated message, a label built from English pieces) fails it.
ZH_SCREENS="$TMP/zh-screens"
keep_zh() {
	eval "_lang=\${TUI_LANG_$TUI_SESSION:-}"
	case $_lang in
	zh*) screen >>"$ZH_SCREENS" 2>/dev/null ;;
	esac
}
english_on_zh() {
	[ -s "$ZH_SCREENS" ] || return 0
	python3 - "$ZH_SCREENS" <<'EOF'
import re, sys
seen = set()
bad = []
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    # a command to type (`xiangban village add`) is not prose
    prose = re.sub(r"`[^`]*`?", " ", line)
    for m in re.finditer(r"[A-Za-z][a-z']+(?:[ ,:]+[a-z][a-z']*){2,}", prose):
        if m.group(0) not in seen:
            seen.add(m.group(0))
            bad.append((m.group(0), line.rstrip()))
for words, line in bad:
    print("FAIL: English on a Chinese screen: '%s' in: %s" % (words, line))
sys.exit(1 if bad else 0)
EOF
}
trap tui_cleanup EXIT
# A session of its own keeps the tmux server up while the tests replace
# theirs: killing the last session ends the server, and a new-session
# right after can reach it as it exits ("server exited unexpectedly").
tm new-session -d -s keep "sleep 3600"

# The terminal the helpers below drive; a test runs a second program
# beside the first by setting TUI_SESSION to another name.
TUI_SESSION=xb

# tui_start W H LANG ARGS...: the program in a W x H terminal.
tui_start() {
	w=$1
	h=$2
	lang=$3
	shift 3
	eval "TUI_LANG_$TUI_SESSION=\$lang"
	tm kill-session -t "$TUI_SESSION" 2>/dev/null
	tm new-session -d -s "$TUI_SESSION" -x "$w" -y "$h" \
		-e "LANG=$lang" -e LC_ALL= -e LANGUAGE= \
		-e "XIANGBAN_NOW=$XIANGBAN_NOW" -e "XIANGBAN_USER=$XIANGBAN_USER" \
		-e "XIANGBAN_LOCALEDIR=${XIANGBAN_LOCALEDIR:-}" \
		"$* ; echo EXITED=\$? ; sleep 30"
}

screen() { tm capture-pane -t "$TUI_SESSION" -p; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows (no sleeps
# guessed at); fails the check and prints the screen when it does not.
wait_for() {
	n=$(( ${2:-5} * 20 ))
	while [ $n -gt 0 ]; do
		if screen | grep -qF -- "$1"; then
			pass
			keep_zh
			return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	fail "screen never showed '$1'; it shows:"
	screen >&2
	return 1
}

# wait_wrapped TEXT [SECONDS]: as wait_for, for a message the screen may
# have wrapped (on two status rows, or in a box): line ends, spaces and a
# box's sides are ignored, on the screen and in TEXT.
wait_wrapped() {
	want=$(printf '%s' "$1" | sed 's/ //g')
	n=$(( ${2:-5} * 20 ))
	while [ $n -gt 0 ]; do
		if screen | sed 's/│//g; s/ //g' | tr -d '\n' | grep -qF -- "$want"; then
			pass
			keep_zh
			return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	fail "screen never showed '$1' (wrapped or not); it shows:"
	screen >&2
	return 1
}

# wait_gone TEXT: polls until TEXT is no longer on the screen.
wait_gone() {
	n=$(( ${2:-5} * 20 ))
	while [ $n -gt 0 ]; do
		if ! screen | grep -qF -- "$1"; then
			pass
			return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	fail "'$1' stayed on the screen:"
	screen >&2
	return 1
}

keys() { tm send-keys -t "$TUI_SESSION" "$@"; }
# type_text TEXT: literal text, Chinese included, as an input method sends.
type_text() { tm send-keys -t "$TUI_SESSION" -l "$1"; }
# resize W H: the terminal resized; returns when the program has drawn
# at the new width (its title row ends at column W-1 with the date), so
# that no check reads a frame of the old size that tmux reflowed. Below
# 80x24 the program says the terminal is too small instead.
resize() {
	tm resize-window -t "$TUI_SESSION" -x "$1" -y "$2"
	[ "$1" -ge 80 ] && [ "$2" -ge 24 ] || return 0
	n=100
	while [ $n -gt 0 ] && [ "$(screen | head -n 1 | wc -L)" -ne $(($1 - 1)) ]; do
		sleep 0.05
		n=$((n - 1))
	done
}
