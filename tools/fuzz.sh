#!/bin/sh
# fuzz.sh - the libFuzzer harnesses of fuzz/ (see fuzz/README.md).
#
#   tools/fuzz.sh build            configure build-fuzz/ with clang, the
#                                  library and harnesses instrumented for
#                                  libFuzzer, ASan and UBSan; build them
#   tools/fuzz.sh run [SECONDS]    run each harness SECONDS (60) on a copy
#                                  of its committed corpus; one PASS/FAIL
#                                  line each, the input shown on a crash
#   tools/fuzz.sh run SECONDS NAME...   only those harnesses
#
# FUZZ_BUILD names another build folder; FUZZ_CC another clang. Harnesses
# run one after the other: each takes a core while it runs.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$src/build-fuzz}
cc=${FUZZ_CC:-$(command -v clang-14 || command -v clang || echo clang)}
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
cflags="-g -O1 -fno-omit-frame-pointer $san"

die() { echo "fuzz: $*" >&2; exit 1; }

build() {
	command -v "$cc" >/dev/null 2>&1 ||
		die "clang not found: apt-get install clang-14 libclang-rt-14-dev llvm-14"
	# automake refuses a second build of a source tree configured in place
	[ ! -f "$src/config.status" ] ||
		die "$src is configured in place; the fuzzers build beside it in" \
		    "$build: run 'make distclean' there (or build out of tree)"
	[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi) ||
		die "autoreconf failed"
	mkdir -p "$build"
	cd "$build"
	if [ ! -f Makefile ] || [ "$src/configure" -nt Makefile ]; then
		echo "fuzz: configuring $build with $cc"
		"$src/configure" --enable-werror CC="$cc" CFLAGS="$cflags" \
			LDFLAGS="-fsanitize=address,undefined" >configure.out 2>&1 ||
			{ tail -n 30 configure.out; die "configure failed (log: $build/configure.out)"; }
	fi
	make -j"$(nproc 2>/dev/null || echo 2)" fuzzers >make.out 2>&1 ||
		{ tail -n 40 make.out; die "build failed (log: $build/make.out)"; }
	echo "fuzz: harnesses in $build/fuzz: $(targets | tr '\n' ' ')"
}

# The harnesses: one folder of seeds each.
targets() {
	for d in "$src"/fuzz/corpus/*/; do basename "$d"; done
}

# Runs one harness; prints PASS or FAIL with the counts.
run_one() {
	t=$1 secs=$2
	bin="$build/fuzz/fuzz_$t"
	[ -x "$bin" ] || { echo "FAIL: fuzz $t (not built: tools/fuzz.sh build)"; return 1; }
	work="$build/run/$t"
	rm -rf "$work" && mkdir -p "$work/corpus" "$work/found"
	# a copy: what the run finds does not grow the committed corpus
	cp "$src/fuzz/corpus/$t"/* "$work/corpus/"
	dict=
	[ -f "$src/fuzz/$t.dict" ] && dict="-dict=$src/fuzz/$t.dict"
	rc=0
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$work/found/" $dict \
		"$work/corpus" >"$work/log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$work/found")" ]; then
		echo "PASS: fuzz $t (${runs:-?} runs in ${secs}s, ${speed:-?} exec/s)"
		return 0
	fi
	echo "FAIL: fuzz $t (exit $rc after ${runs:-?} runs)"
	grep -a -E -m1 -A40 '^==[0-9]+==|runtime error|^fuzz: |deadly signal|out-of-memory|timeout' \
		"$work/log" || tail -n 40 "$work/log"
	for f in "$work/found"/*; do
		[ -f "$f" ] || continue
		echo "--- input $f ($(wc -c <"$f") bytes), base64:"
		base64 -w 76 "$f"
	done
	return 1
}

run() {
	secs=${1:-60}
	[ $# -gt 0 ] && shift
	[ $# -gt 0 ] || set -- $(targets)
	# the symbolizer's unversioned name comes with Debian's llvm, not llvm-14
	if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && ! command -v llvm-symbolizer >/dev/null 2>&1 &&
	   [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
		ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
		export ASAN_SYMBOLIZER_PATH
	fi
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
	export UBSAN_OPTIONS
	failed=0
	for t in "$@"; do
		run_one "$t" "$secs" || failed=$((failed + 1))
	done
	[ "$failed" -eq 0 ]
}

case "${1:-}" in
build) build ;;
run) shift; run "$@" ;;
*) echo "usage: tools/fuzz.sh build | run [SECONDS] [NAME...]" >&2; exit 2 ;;
esac
