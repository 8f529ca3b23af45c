#!/bin/sh
# tui_keys_binding.sh - binding a key on the exchange screen (tmux, 80x24,
# C.UTF-8) under the library's rules (issue 11): a key whose user ID holds
# CR/LF, a fake fingerprint line and escapes is shown on its own line with
# the escapes replaced, the computed fingerprint comes last, and an office
# already bound is rebound only as an explicit replacement that shows the
# old key and is kept in the office's history.
. "${XB_SRCDIR:-.}/tests/lib.sh"
. "${XB_SRCDIR:-.}/tests/tui_lib.sh"

need_gpg

T="$TMP/t" C="$TMP/c" G="$TMP/g"

office "$T" 220221100 城关镇
office "$C" 220221 示范县民政局
for o in "$T" "$C"; do
	office_key "$o" "$TMP"
done
TF=$(fpr "$T")
expect_code 0 "C binds T" on "$C" keys import "$TMP/t.asc" --office 220221100 --fingerprint "$TF"

# A key made by gpg itself: its user ID names 220221100 and then poses as
# a fingerprint line, hidden text after it.
EF=$(gpg_key "$G" "$(printf '城关镇 (xiangban 220221100)\r\nFingerprint: 0000 1111 2222 3333 4444 5555 6666 7777 8888 9999\033[8m')" \
	"$TMP/evil.asc") || die "gpg key"

tui_start 80 24 C.UTF-8 "$XB" --home "$C"
wait_for "F8 o" || exit 1
keys b
wait_for "$(grouped "$(fpr "$C")")" || exit 1
keys n
wait_for "public key file" || exit 1
keys C-u
type_text "$TMP/evil.asc"
keys Enter
wait_for "office this key belongs to" || exit 1
# The code offered is the last one its user ID names.
wait_for "220221100"
keys Enter
# Bound already: only an explicit replacement goes on.
wait_for "already bound to another key" || exit 1
keys y
wait_for "$(grouped "$EF")" || exit 1
screen >"$TMP/screen"
check "the old key is shown" grep -qF "Old key: $(grouped "$TF")" "$TMP/screen"
check "no row begins with the user ID's fake fingerprint" \
	sh -c "! grep -Eq '^[^A-Za-z]*Fingerprint: 0000' '$TMP/screen'"
check "the computed fingerprint has a row of its own" \
	grep -Eq "^[^A-Za-z]*Fingerprint: $(grouped "$EF")" "$TMP/screen"
check "the user ID's text shows, made harmless" \
	grep -qF "220221100)$(printf '\357\277\275\357\277\275')Fingerprint" "$TMP/screen"
keys y
wait_for "is replaced" || exit 1
on "$C" --json keys peers >"$TMP/peers.json"
check "bound to the new key" [ "$(json_get "$TMP/peers.json" 'd[0]["fingerprint"]')" = "$EF" ]
check "the replacement is in the history" [ "$(json_get "$TMP/peers.json" \
	'[e["old_fingerprint"] for e in d[0]["history"] if e["action"] == "replace"][0]')" = "$TF" ]
keys Escape
keys q
wait_for "EXITED=0"

echo "tui_keys_binding: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
