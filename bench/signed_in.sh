# signed_in.sh - sourced by the benchmarks once XB names the program and
# they have a scratch folder: `bench_sign_in DIR` makes XB a wrapper in
# DIR that signs every command in as $XIANGBAN_USER (default clerk) with
# $BENCH_PASSWORD (default demo, the demo ledger's) on fd 9. A ledger a
# benchmark sets up with init gets that password for its first user.
bench_sign_in() {
	XIANGBAN_USER=${XIANGBAN_USER:-clerk}
	BENCH_PASSWORD=${BENCH_PASSWORD:-demo}
	BENCH_XB_BIN=$XB
	export XIANGBAN_USER BENCH_PASSWORD BENCH_XB_BIN
	cat >"$1/xb" <<'WRAP'
#!/bin/sh
exec "$BENCH_XB_BIN" --password-fd 9 "$@" 9<<PW
$BENCH_PASSWORD
PW
WRAP
	chmod +x "$1/xb"
	XB="$1/xb"
}
