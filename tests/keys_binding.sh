#!/bin/sh
# keys_binding.sh - binding another office's key (issue 11, section 2):
# a user ID with CR/LF and escapes cannot pose as the fingerprint or the
# question; a key naming another office, bound to another office, or
# revoked is refused; a bound office's key changes only by `keys replace`,
# which shows both fingerprints and is kept in the office's history; the
# demo office, whose name has brackets, makes its key.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_gpg

C="$TMP/c" T="$TMP/t" G="$TMP/g"
STICK="$TMP/stick"
mkdir -p "$STICK" "$G"
ESC=$(printf '\033')
CR=$(printf '\r')
# no_byte FILE BYTE: FILE holds no such byte.
no_byte() { ! grep -q "$2" "$1"; }
# key_by_gpg NAME UID: gpg_key in the throwaway home $G/NAME, exported to
# $STICK/NAME.asc; prints its fingerprint.
key_by_gpg() { gpg_key "$G/$1" "$2" "$STICK/$1.asc"; }

# on_tty ANSWER CMD...: runs CMD on a terminal (a pty), types ANSWER and
# Enter when it asks, and writes all it showed to $TMP/tty.
on_tty() {
	answer=$1
	shift
	python3 - "$answer" "$@" >"$TMP/tty" <<'EOF'
import os, pty, sys, time
answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = b""
sent = False
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not sent and b"phone? [y/N]" in out:
        os.write(fd, answer.encode() + b"\n")
        sent = True
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
EOF
}

# --- the demo office makes its key -------------------------------------------
expect_code 0 "demo ledger" on "$T" demo --children 2
expect_code 0 "keys init on the demo ledger (brackets in its name)" on "$T" keys init --no-passphrase
check "its user ID keeps the brackets" has "$TMP/out" "永吉县示范镇(演示) (xiangban 220221100)"
on "$T" keys export "$STICK/t.asc" >/dev/null || die "export T"
TF=$(fpr "$T")

office "$C" 220221 示范县民政局
on "$C" keys init --no-passphrase >/dev/null || die "keys C"

# --- a user ID that spoofs the fingerprint and the question ------------------
# It names office 220221100 only, so the check goes on to the question.
EF=$(key_by_gpg evil "$(printf '城关镇 (xiangban 220221100)\r\nFingerprint: 0000 1111 2222 3333 4444 5555 6666 7777 8888 9999\r\nDoes it match? [y/N] \033[30;40m\033]0;title\007')") ||
	die "gpg key evil"
expect_code 3 "spoofing key, no confirmation" on "$C" keys import "$STICK/evil.asc" --office 220221100
check "no ESC from the user ID" no_byte "$TMP/out" "$ESC"
check "no CR from the user ID" no_byte "$TMP/out" "$CR"
check "the user ID stays on the key's line" [ "$(grep -c '' "$TMP/out")" = 2 ]
# cut short: no part of it wrapped by the terminal can hold a whole line
check "a long user ID is cut with …" sh -c "head -n1 '$TMP/out' | grep -q '…\$'"
uidpart=$(head -n1 "$TMP/out" | sed 's/^Key in [^:]*: //')
check "the user ID shown takes at most 48 columns" [ "$(printf '%s' "$uidpart" |
	python3 -c 'import sys,unicodedata; s=sys.stdin.read(); print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s))')" -le 48 ]
check "the only Fingerprint line is the real one" \
	[ "$(grep '^Fingerprint:' "$TMP/out")" = "Fingerprint: $(grouped "$EF")" ]

# On a terminal: the question comes last, just after the real fingerprint.
on_tty n "$XB" --home "$C" keys import "$STICK/evil.asc" --office 220221100
check "tty: no ESC from the user ID" no_byte "$TMP/tty" "$ESC"
tr -d '\r' <"$TMP/tty" | grep -v '^$' >"$TMP/tty.lines"
check "tty: nothing bound after no" has "$TMP/tty.lines" "Not confirmed"
grep -n . "$TMP/tty.lines" >"$TMP/tty.num"
q=$(grep -n 'read to you by phone? \[y/N\]' "$TMP/tty.lines" | cut -d: -f1)
f=$(grep -n '^Fingerprint: ' "$TMP/tty.lines" | tail -n1 | cut -d: -f1)
check "tty: the question starts its own line" [ -n "$q" ]
check "tty: the real fingerprint is the line before the question" [ "$f" = $((q - 1)) ]
check "tty: and it is the key's" \
	[ "$(sed -n "${f}p" "$TMP/tty.lines")" = "Fingerprint: $(grouped "$EF")" ]
check "tty: one line asks" [ "$(grep -c '^Does it match' "$TMP/tty.lines")" = 1 ]

# --- a key naming another office ---------------------------------------------
expect_code 3 "key naming 220221100 bound as 220221200" on "$C" keys import "$STICK/t.asc" \
	--office 220221200 --fingerprint "$TF"
check "said: names another office" has "$TMP/err" "220221100"
FW=$(key_by_gpg fw "某镇（２２０２２１３００）") || die "gpg key fw"
expect_code 3 "full-width code names another office" on "$C" keys import "$STICK/fw.asc" \
	--office 220221100 --fingerprint "$FW"

# --- bound once; another key only by replace ---------------------------------
expect_code 0 "C binds T" on "$C" keys import "$STICK/t.asc" --office 220221100 --fingerprint "$TF"
expect_code 5 "another key for 220221100 refused" on "$C" keys import "$STICK/evil.asc" \
	--office 220221100 --fingerprint "$EF"
check "said: use keys replace" has "$TMP/err" "keys replace 220221100"
on "$C" --json keys peers >"$TMP/peers.json"
check "still T's key" [ "$(json_get "$TMP/peers.json" 'd[0]["fingerprint"]')" = "$TF" ]

# one key, one office
PF=$(key_by_gpg plain "Plain Office <plain@example.org>") || die "gpg key plain"
expect_code 0 "plain key bound to 220221300" on "$C" keys import "$STICK/plain.asc" \
	--office 220221300 --fingerprint "$PF"
expect_code 3 "the same key for 220221400 refused" on "$C" keys import "$STICK/plain.asc" \
	--office 220221400 --fingerprint "$PF"
check "said: it is 220221300's key" has "$TMP/err" "220221300"

# --- keys replace ------------------------------------------------------------
expect_code 2 "replace usage" on "$C" keys replace 220221100
expect_code 3 "replace needs the fingerprint confirmed" on "$C" keys replace 220221100 \
	"$STICK/evil.asc"
expect_code 3 "replace with a wrong fingerprint" on "$C" keys replace 220221100 \
	"$STICK/evil.asc" --fingerprint "$TF"
expect_code 5 "replace by the same key" on "$C" keys replace 220221100 "$STICK/t.asc" \
	--fingerprint "$TF"
OF=$(key_by_gpg other "Other Office <other@example.org>") || die "gpg key other"
expect_code 4 "replace where nothing is bound" on "$C" keys replace 220221500 \
	"$STICK/other.asc" --fingerprint "$OF"
expect_code 0 "a second county user" with_new_password demo "$C" user add 王科长 \
	role=county
XIANGBAN_USER=王科长
expect_code 0 "replace T's key" on "$C" keys replace 220221100 "$STICK/evil.asc" \
	--fingerprint "$EF"
XIANGBAN_USER=clerk
check "replace: old fingerprint shown" has "$TMP/out" "$(grouped "$TF")"
check "replace: new fingerprint shown" has "$TMP/out" "$(grouped "$EF")"
check "replace: no ESC" no_byte "$TMP/out" "$ESC"
expect_code 0 "peers after replace" on "$C" keys peers
check "peers: no ESC" no_byte "$TMP/out" "$ESC"
check "peers: who replaced which key by which" \
	grep -q "王科长: $(grouped "$EF"), .*$(grouped "$TF")" "$TMP/out"
on "$C" --json keys peers >"$TMP/peers.json"
check "json history: replace by 王科长" [ "$(json_get "$TMP/peers.json" \
	'[e for e in d[0]["history"] if e["action"] == "replace"][0]["by"]')" = 王科长 ]
check "json history: old fingerprint" [ "$(json_get "$TMP/peers.json" \
	'[e for e in d[0]["history"] if e["action"] == "replace"][0]["old_fingerprint"]')" = "$TF" ]
# and in the audit trail: history of the office names who, which, by which
expect_code 0 "history of the office" on "$C" history 220221100
check "history: key replaced" has "$TMP/out" "key replaced"
check "history: by 王科长" has "$TMP/out" "王科长"
check "history: the old and the new fingerprint" \
	grep -q "$TF.*$EF" "$TMP/out"
check "history: no ESC" no_byte "$TMP/out" "$ESC"
# the replaced key stays its office's: not another's
expect_code 3 "replaced key for another office" on "$C" keys import "$STICK/plain.asc" \
	--office 220221100 --fingerprint "$PF"

# --- a revoked key is never bound again --------------------------------------
expect_code 0 "revoke 220221300" on "$C" keys revoke 220221300
expect_code 3 "revoked key, same office" on "$C" keys import "$STICK/plain.asc" \
	--office 220221300 --fingerprint "$PF"
check "said: revoked" has "$TMP/err" "revoked"
expect_code 3 "revoked key, another office" on "$C" keys import "$STICK/plain.asc" \
	--office 220221400 --fingerprint "$PF"
check "said: revoked (another office)" has "$TMP/err" "revoked"

# --- in Chinese too -----------------------------------------------------------
on_zh() { h=$1; shift; LANG=zh_CN.UTF-8 "$XB" --home "$h" "$@"; }
expect_code 5 "zh: refused" on_zh "$C" keys import "$STICK/t.asc" \
	--office 220221100 --fingerprint "$TF"
check "zh: the refusal is in Chinese" has "$TMP/err" "keys replace 220221100"
check "zh: the refusal is translated" grep -q '已' "$TMP/err"

finish
