#!/usr/bin/env bash
# check-all.sh - every test of xiangban, as CI runs them: a -Werror build
# from scratch with `make check` (unit, command-line, crash and concurrency
# tests), the unit tests under valgrind, the unit tests in an ASan+UBSan
# build, each libFuzzer harness for a minute on its corpus, and `make
# distcheck`. Ends with "N passed, N failed".
#
# Run from the source tree after tools/setup.sh. Builds in build-*/ folders
# so the source tree stays clean. SKIP_DISTCHECK=1 skips the last step,
# SKIP_FUZZ=1 the fuzzing; FUZZ_SECONDS (60) is each harness's time.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0

# Adds the counts of an automake test-suite.log to the tally.
tally() {
	local log=$1 p f e
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -n1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${e:-0}))
}

step() { printf '\n=== %s ===\n' "$*"; }

# Shows the logs of failed tests so CI output says why.
show_failures() {
	local dir=$1
	for l in "$dir"/tests/*.log; do
		[ -f "$l" ] || continue
		case "$l" in *test-suite.log) continue ;; esac
		if grep -qE ':test-result: (FAIL|ERROR)' "${l%.log}.trs" 2>/dev/null; then
			echo "--- $l"
			tail -n 40 "$l"
		fi
	done
}

step "autoreconf"
autoreconf -fi >/dev/null || { echo "autoreconf failed"; echo "0 passed, 1 failed"; exit 1; }

step "build with -Werror"
rm -rf build-check && mkdir build-check && cd build-check || exit 1
if ! ../configure --enable-werror >configure.out 2>&1; then
	cat configure.out
	echo "0 passed, 1 failed"
	exit 1
fi
if ! make -j"$jobs" >make.out 2>&1; then
	cat make.out
	echo "0 passed, 1 failed"
	exit 1
fi

step "make check"
make -j"$jobs" check >check.out 2>&1
check_rc=$?
grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' check.out
[ -f test-suite.log ] && tally test-suite.log
show_failures .
if [ "$check_rc" -ne 0 ] && ! grep -qE '^(FAIL|ERROR):' check.out; then
	echo "FAIL: make check (a test did not build)"
	tail -n 40 check.out
	failed=$((failed + 1))
fi

step "unit tests under valgrind"
unit=$(make -s print-unit-tests)
# GPGME forks gpg from a process whose store runs a keeper thread;
# valgrind's child then never finishes its _exit (it waits for the
# thread, which the child does not have). Not counted either way:
# LeakSanitizer checks these tests' leaks in the ASan build below.
not_under_valgrind() { [ "$1" = tests/test_bundle ] || [ "$1" = tests/test_binding ]; }
# Each test runs alone under valgrind, $jobs at a time (one valgrind uses
# one core); the verdicts are read in order once all have ended.
for t in $unit; do
	not_under_valgrind "$t" && continue
	rm -f "$t.valgrind.rc"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	(
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 --suppressions="$src/tests/valgrind.supp" \
			"./$t" >"$t.valgrind.out" 2>&1
		echo $? >"$t.valgrind.rc"
	) &
done
wait
for t in $unit; do
	if not_under_valgrind "$t"; then
		echo "NOT RUN: valgrind $t (leaks checked by LeakSanitizer instead)"
		continue
	fi
	if [ "$(cat "$t.valgrind.rc" 2>/dev/null)" = 0 ]; then
		echo "PASS: valgrind $t"
		passed=$((passed + 1))
	else
		echo "FAIL: valgrind $t"
		tail -n 40 "$t.valgrind.out"
		failed=$((failed + 1))
	fi
done
cd "$src" || exit 1

step "unit tests with AddressSanitizer and UndefinedBehaviorSanitizer"
rm -rf build-asan && mkdir build-asan && cd build-asan || exit 1
san="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
if ../configure --enable-werror CFLAGS="$san" LDFLAGS="-fsanitize=address,undefined" \
	>configure.out 2>&1 && make -j"$jobs" >make.out 2>&1; then
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		make -j"$jobs" check-unit >check.out 2>&1
	unit_rc=$?
	grep -E '^(PASS|FAIL|ERROR):' check.out
	if [ -f test-suite.log ]; then
		tally test-suite.log
		show_failures .
	fi
	# a test that does not even build counts: nothing else would say so
	if [ "$unit_rc" -ne 0 ] && ! grep -qE '^(FAIL|ERROR):' check.out; then
		echo "FAIL: the sanitizer build of the unit tests"
		tail -n 40 check.out
		failed=$((failed + 1))
	fi
else
	tail -n 40 make.out configure.out
	failed=$((failed + 1))
fi
cd "$src" || exit 1

if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	step "fuzzing: each harness ${FUZZ_SECONDS:-60} s on its corpus, $jobs at a time"
	rm -rf build-fuzz
	if FUZZ_BUILD="$src/build-fuzz" tools/fuzz.sh build; then
		# Each harness has its own corpus copy and a core of its own for
		# its time: $jobs of them run at once.
		for d in fuzz/corpus/*/; do
			h=$(basename "$d")
			while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
				wait -n
			done
			FUZZ_BUILD="$src/build-fuzz" tools/fuzz.sh run "${FUZZ_SECONDS:-60}" "$h" \
				>"build-fuzz/run.$h.out" 2>&1 &
		done
		wait
		for d in fuzz/corpus/*/; do
			h=$(basename "$d")
			grep -qE '^(PASS|FAIL):' "build-fuzz/run.$h.out" ||
				echo "FAIL: fuzz $h (no verdict)" >>"build-fuzz/run.$h.out"
		done
		cat build-fuzz/run.*.out >build-fuzz/run.out
		cat build-fuzz/run.out
		p=$(grep -c '^PASS:' build-fuzz/run.out)
		f=$(grep -c '^FAIL:' build-fuzz/run.out)
		passed=$((passed + p))
		failed=$((failed + f))
	else
		echo "FAIL: fuzz build"
		failed=$((failed + 1))
	fi
fi

if [ "${SKIP_DISTCHECK:-0}" != 1 ]; then
	step "make distcheck"
	cd build-check || exit 1
	# The crash test is long and already ran above.
	if make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror \
		TESTS='$(UNIT_TESTS) tests/cli_e2e.sh tests/cli_bad_input.sh' \
		>distcheck.out 2>&1; then
		echo "PASS: make distcheck"
		passed=$((passed + 1))
	else
		echo "FAIL: make distcheck"
		tail -n 60 distcheck.out
		failed=$((failed + 1))
	fi
	cd "$src" || exit 1
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
