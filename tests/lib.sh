# lib.sh - what the shell tests share. Sourced by tests/*.sh, which run
# from the build directory with XB (the program), XB_WRITER, XB_SRCDIR and
# DB_VERIFY in the environment (see AM_TESTS_ENVIRONMENT in Makefile.am).

set -u
: "${XB:?XB must name the xiangban program}"
PASSED=0
FAILED=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/xbsh.XXXXXX")
# Processes a test started that must not outlive it: add their pids.
PIDS=""

# stop_agents: stops the GnuPG agent of every home under $TMP (a folder
# with a keyring, a key folder or an agent's configuration), the offices'
# and any a test made with gpg itself.
stop_agents() {
	find "$TMP" \( -name pubring.kbx -o -name private-keys-v1.d -o -name trustdb.gpg \
		-o -name gpg-agent.conf \) 2>/dev/null | sed 's|/[^/]*$||' | sort -u |
		while read -r home; do
			gpgconf --homedir "$home" --kill all 2>/dev/null
		done
}

# cleanup: what the test leaves ends with it: the processes in $PIDS
# (SIGCONT first, for a stopped one; then SIGKILL), GnuPG agents, $TMP.
cleanup() {
	for p in ${PIDS:-}; do
		kill -CONT "$p" 2>/dev/null
		kill -9 "$p" 2>/dev/null
	done
	stop_agents
	rm -rf "$TMP"
}
trap cleanup EXIT

# The clock and the user are pinned so dates and history do not drift.
XIANGBAN_NOW=${XIANGBAN_NOW:-2026-11-29T09:30:00}
XIANGBAN_USER=${XIANGBAN_USER:-clerk}
export XIANGBAN_NOW XIANGBAN_USER

# Every command signs in. $XB runs the program with $XB_PASSWORD on
# --password-fd 9: the password `init` gives the ledger's first user and
# each command after signs in with (the demo's users have "demo").
# XB_BIN is the program itself, for tests of signing in.
XB_BIN=$XB
XB_PASSWORD=${XB_PASSWORD:-demo}
export XB_BIN XB_PASSWORD
XB=$TMP/xb
cat >"$XB" <<'WRAP'
#!/bin/sh
exec "$XB_BIN" --password-fd 9 "$@" 9<<PW
$XB_PASSWORD
PW
WRAP
chmod +x "$XB"

fail() {
	echo "FAIL: $*" >&2
	FAILED=$((FAILED + 1))
}

pass() {
	PASSED=$((PASSED + 1))
}

# check NAME CONDITION-COMMAND...: counts a pass or a failure.
check() {
	name=$1
	shift
	if "$@"; then pass; else fail "$name"; fi
}

# expect_code CODE NAME CMD...: runs CMD (stdout to $TMP/out, stderr to
# $TMP/err) and checks its exit status.
expect_code() {
	want=$1
	name=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass
	else
		fail "$name: exit $got, wanted $want; stderr: $(cat "$TMP/err")"
	fi
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1"
}

# lock_child HOME CASE SECONDS: tests/writer holds the child's record
# locked for SECONDS, in the background ($LOCKER is its pid; it writes
# $TMP/lock.out and $TMP/lock.err). Returns once it says "locked", or
# after 5 s without.
lock_child() {
	"$XB_WRITER" --home "$1" lock "$2" "$3" >"$TMP/lock.out" 2>"$TMP/lock.err" &
	LOCKER=$!
	n=0
	while ! has "$TMP/lock.out" locked && [ "$n" -lt 100 ]; do
		sleep_ms 50
		n=$((n + 1))
	done
}

# json_get FILE EXPR: a value from a JSON file through python3's json.
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# db_verify_all DIR: db5.3_verify passes on every database file. Run it
# only when no process has the ledger open (it takes no locks). A missing
# db5.3_verify is a failure, not a skip: CI installs it.
db_verify_all() {
	if [ -z "${DB_VERIFY:-}" ] || [ "$DB_VERIFY" = no ]; then
		fail "db5.3_verify is not installed (apt-get install db5.3-util)"
		return 1
	fi
	ok=0
	nfiles=0
	for f in "$1"/*.db; do
		if [ ! -f "$f" ]; then
			fail "db_verify: no database files in $1"
			return 1
		fi
		nfiles=$((nfiles + 1))
		if ! with_timeout 120 "$DB_VERIFY" -q -h "$1" "$f" >"$TMP/verify" 2>&1; then
			fail "db_verify $f: $(cat "$TMP/verify")"
			ok=1
		fi
	done
	# shellcheck disable=SC2034 # read by the tests
	VERIFIED_FILES=$nfiles
	return $ok
}

# on HOME ARGS...: the program on the ledger in HOME ($XB_PREFIX, when
# set, runs before it: "setsid -w" for no controlling terminal).
on() {
	_on_home=$1
	shift
	${XB_PREFIX:-} "$XB" --home "$_on_home" "$@"
}

# with_new_password PASSWORD HOME ARGS...: the program on the ledger in
# HOME, given on --password-fd the signed-in user's password and then
# PASSWORD, a new one (user add, user passwd).
with_new_password() {
	_np=$1
	_on_home=$2
	shift 2
	"$XB_BIN" --password-fd 9 --home "$_on_home" "$@" 9<<PW
$XB_PASSWORD
$_np
PW
}

# fpr HOME: the fingerprint of the office key in HOME.
fpr() {
	on "$1" --json keys show | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])'
}

# grouped FPR: "ABCD EF01 ...", as the program shows a fingerprint.
grouped() {
	echo "$1" | sed 's/..../& /g; s/ $//'
}

# need_gpg: gpg ($GPG, default gpg) must be installed; CI installs it.
need_gpg() {
	GPG=${GPG:-gpg}
	command -v "$GPG" >/dev/null 2>&1 || die "gpg is not installed (apt-get install gnupg)"
}

# office HOME CODE NAME [CHILDREN]: a ledger for office CODE in HOME, with
# CHILDREN demo children; the test ends when it cannot be made.
office() {
	on "$1" init --office "$2" --name "$3" >/dev/null || die "init $2 in $1"
	if [ -n "${4:-}" ]; then
		on "$1" demo --children "$4" >/dev/null || die "demo in $1"
	fi
}

# office_key HOME DIR: the office's key, without a passphrase, exported
# to DIR/<last part of HOME>.asc.
office_key() {
	on "$1" keys init --no-passphrase >/dev/null || die "keys init in $1"
	on "$1" keys export "$2/${1##*/}.asc" >/dev/null || die "keys export from $1"
}

# bind_key AT HOME CODE DIR [ARGS...]: the office in AT binds the key of
# office CODE in HOME, exported to DIR, its fingerprint confirmed.
bind_key() {
	_at=$1 _from=$2 _code=$3 _dir=$4
	shift 4
	on "$_at" keys import "$_dir/${_from##*/}.asc" --office "$_code" \
		--fingerprint "$(fpr "$_from")" "$@" >/dev/null || die "$_at binds $_code"
}

# keys_both A CODE-A B CODE-B DIR: offices A and B make their keys,
# export them to DIR and bind each other's.
keys_both() {
	office_key "$1" "$5"
	office_key "$3" "$5"
	bind_key "$1" "$3" "$4" "$5"
	bind_key "$3" "$1" "$2" "$5"
}

# gpg_key HOME UID OUT: a key made by gpg itself (which keeps CR, LF and
# ESC in a user ID) in a new home HOME, exported to OUT; prints its
# fingerprint.
gpg_key() {
	mkdir -p "$1" && chmod 700 "$1" || die "no folder $1"
	"$GPG" --homedir "$1" --display-charset utf-8 --batch --pinentry-mode loopback \
		--passphrase '' --quick-gen-key "$2" future-default default never 2>/dev/null ||
		die "gpg could not make a key in $1"
	"$GPG" --homedir "$1" --armor --export >"$3" 2>/dev/null
	"$GPG" --homedir "$1" --with-colons --list-keys 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }'
}

# die MESSAGE: prints it and ends the test as failed at once.
die() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip MESSAGE: ends the test as skipped (77); only for what truly cannot
# run here, never for a missing tool that CI installs.
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# with_timeout SECONDS CMD...: CMD, killed after SECONDS (status 124) when
# coreutils' timeout is there.
with_timeout() {
	if command -v timeout >/dev/null 2>&1; then
		timeout "$@"
	else
		shift
		"$@"
	fi
}

# rand_between LO HI: a random whole number from LO to HI, from
# /dev/urandom (POSIX sh has no $RANDOM).
rand_between() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -dc 0-9)
	echo $(($1 + ${r:-0} % ($2 - $1 + 1)))
}

# sleep_ms MS: sleeps MS milliseconds (GNU sleep takes fractions).
sleep_ms() {
	sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
}

# count_logs DIR: the number of Berkeley DB log files in DIR.
count_logs() {
	n=0
	for f in "$1"/log.[0-9]*; do
		[ -f "$f" ] && n=$((n + 1))
	done
	echo "$n"
}

# need_writer: the test driver tests/writer must be built.
need_writer() {
	: "${XB_WRITER:?XB_WRITER must name the tests/writer program}"
	[ -x "$XB_WRITER" ] || die "the test driver $XB_WRITER is not built"
}

# finish: prints the tally and exits with the tests' verdict.
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}
