#!/bin/sh
# keys_passphrase.sh - the office key's passphrase: `keys init` asks for
# one unless told --no-passphrase, and without a terminal or
# --passphrase-fd it stops with exit 2 naming both; the key folder's agent
# keeps no passphrase (gpg-agent.conf, merged into an older file and the
# agent reloaded), so an export after a good one, with no passphrase to
# be had, fails instead of using a cached one; a wrong passphrase fails
# with a clear message and leaves no bundle.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

need_gpg
command -v setsid >/dev/null 2>&1 || die "setsid is not installed (util-linux)"

T="$TMP/t" C="$TMP/c" STICK="$TMP/stick"
mkdir -p "$STICK"
# setsid: no controlling terminal, so nothing can be typed.
XB_PREFIX="setsid -w"
bundles() { find "$STICK" -type f | wc -l; }

office "$T" 220221100 城关镇 3
office "$C" 220221 示范县民政局

# --- keys init -----------------------------------------------------------
expect_code 2 "keys init with no terminal and no option" on "$T" keys init
check "the message names --passphrase-fd" has "$TMP/err" "--passphrase-fd"
check "the message names --no-passphrase" has "$TMP/err" "--no-passphrase"
check "no key was made" test ! -e "$T/gnupg/pubring.kbx"
printf '\n' >"$TMP/empty"
expect_code 3 "an empty passphrase is refused" on "$T" keys init --passphrase-fd 3 3<"$TMP/empty"
check "empty: says how to opt out" has "$TMP/err" "--no-passphrase"
printf 'correct horse\n' >"$TMP/good"
printf 'wrong horse\n' >"$TMP/bad"
expect_code 0 "keys init --passphrase-fd" on "$T" --json keys init --passphrase-fd 3 3<"$TMP/good"
check "json says it has a passphrase" has "$TMP/out" '"passphrase": true'
expect_code 0 "keys init --no-passphrase" on "$C" keys init --no-passphrase
check "no passphrase is said" has "$TMP/out" "no passphrase"

# The agent keeps nothing and hashes cheaply.
for l in "default-cache-ttl 0" "max-cache-ttl 0" "s2k-count 65536" "allow-loopback-pinentry"; do
	check "gpg-agent.conf: $l" grep -qx "$l" "$T/gnupg/gpg-agent.conf"
done
# The key really is protected: gpg alone cannot sign without it.
check "gpg cannot use the key without the passphrase" \
	sh -c "! echo x | '$GPG' --homedir '$T/gnupg' --batch --pinentry-mode loopback --passphrase '' -s >/dev/null 2>&1"

on "$C" keys export "$TMP/c.asc" >/dev/null || die "export key C"
on "$T" keys import "$TMP/c.asc" --office 220221 --fingerprint "$(fpr "$C")" >/dev/null || die "bind C"

# --- asked every time ------------------------------------------------------
expect_code 0 "export with the passphrase" on "$T" export --to "$STICK" --passphrase-fd 3 3<"$TMP/good"
check "one bundle" test "$(bundles)" -eq 1
expect_code 3 "export right after, no passphrase to be had" on "$T" export --to "$STICK" --all
check "missing: says how to give it" has "$TMP/err" "--passphrase-fd"
check "missing: no bundle left" test "$(bundles)" -eq 1
expect_code 3 "export with a wrong passphrase" on "$T" export --to "$STICK" --all --passphrase-fd 3 3<"$TMP/bad"
check "wrong: said so" has "$TMP/err" "passphrase of the office key is wrong"
check "wrong: no bundle left" test "$(bundles)" -eq 1
check "wrong: no temporary file left" test -z "$(find "$STICK" -name '*.tmp*')"
expect_code 0 "export --all with the passphrase again" on "$T" export --to "$STICK" --all --passphrase-fd 3 3<"$TMP/good"
check "two bundles" test "$(bundles)" -eq 2

# Import at a passphrase-protected office asks too: C sends T a bundle.
on "$T" keys export "$TMP/t.asc" >/dev/null || die "export key T"
on "$C" keys import "$TMP/t.asc" --office 220221100 --fingerprint "$(fpr "$T")" >/dev/null || die "bind T"
mkdir -p "$TMP/back"
on "$C" export --to "$TMP/back" --office 220221100 --all >/dev/null || die "export C"
B=$(ls "$TMP/back"/*.gpg)
expect_code 3 "import with no passphrase" on "$T" import "$B"
check "import: says how to give it" has "$TMP/err" "--passphrase-fd"
expect_code 3 "import with a wrong passphrase" on "$T" import "$B" --passphrase-fd 3 3<"$TMP/bad"
check "import wrong: said so" has "$TMP/err" "passphrase of the office key is wrong"
expect_code 0 "import with the passphrase" on "$T" import "$B" --passphrase-fd 3 3<"$TMP/good"

# --- an older key folder --------------------------------------------------
# Its gpg-agent.conf as earlier versions wrote it, and an agent that
# cached the passphrase under it (gpg itself, default TTL 600 s).
printf '# Written by xiangban when it made this folder.\nallow-loopback-pinentry\ns2k-count 65536\nmax-cache-ttl 9999\nenable-ssh-support\n' \
	>"$T/gnupg/gpg-agent.conf"
gpgconf --homedir "$T/gnupg" --kill gpg-agent
echo x | "$GPG" --homedir "$T/gnupg" --batch --pinentry-mode loopback --passphrase 'correct horse' -s >/dev/null 2>&1 ||
	fail "gpg signs with the passphrase"
check "under the old file the agent kept it" \
	sh -c "echo x | '$GPG' --homedir '$T/gnupg' --batch --pinentry-mode loopback --passphrase '' -s >/dev/null 2>&1"
expect_code 3 "export after the old agent cached it: asked again" on "$T" export --to "$STICK" --all
check "old folder: no bundle" test "$(bundles)" -eq 2
for l in "default-cache-ttl 0" "max-cache-ttl 0" "s2k-count 65536" "enable-ssh-support"; do
	check "merged gpg-agent.conf: $l" grep -qx "$l" "$T/gnupg/gpg-agent.conf"
done
check "merged gpg-agent.conf: the old TTL gone" sh -c "! grep -q 9999 '$T/gnupg/gpg-agent.conf'"

finish
