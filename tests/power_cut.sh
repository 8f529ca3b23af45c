#!/bin/sh
# power_cut.sh - a change saved and the program closed, then the power
# cut: nothing saved is lost. Closing no longer writes the tables out
# (one log flush per change): the pages a change wrote wait in the
# regions (__db.*) for the next checkpoint, and the log holds them. A
# power cut may leave the regions stale or lost; the first open after the
# machine starts again must replay the log. Simulated here by a copy of
# the ledger without its regions, opened under another boot number
# (XIANGBAN_BOOT_ID stands in for Linux's boot_id).
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=C.UTF-8 LC_ALL= LANGUAGE=
export XIANGBAN_BOOT_ID=boot-one

expect_code 0 "init" x init --office 220221100 --name 示范镇 --phone 0432-64201234
check "the boot the ledger was recovered in is noted" [ "$(cat "$H/boot")" = boot-one ]
expect_code 0 "register one" x child add name=张三丰 village_code=220221100001 \
	village=前进村 father_status=away mother_status=away guardian_relation=grandparent \
	guardian_name=李桂兰 enrolment=in_school sex=M birth_date=2015-01-01
A=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
expect_code 0 "register another" x child add name=王小明 village_code=220221100001 \
	village=前进村 father_status=away mother_status=away guardian_relation=grandparent \
	guardian_name=王奶奶 enrolment=in_school sex=M birth_date=2014-05-06
B=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
expect_code 0 "edit the first" x child edit "$A" school=前进小学

# cut COPY: the ledger as a power cut may leave it: the tables and the
# log as on disk, the regions gone, the registry of processes kept.
cut() {
	rm -rf "$1"
	cp -a "$H" "$1"
	rm -f "$1"/__db.0*
}

# The same boot: the regions are the machine's memory of the pages not
# yet written. Without them (as after a power cut nobody noticed) the
# tables lag the log: that is what the check of the boot is for.
cut "$TMP/same"
"$XB" --home "$TMP/same" child list >"$TMP/same.out" 2>&1
check "the tables alone lag the log (closing did not write them out)" \
	sh -c "! grep -q '$B' '$TMP/same.out'"

# After the power cut the machine starts again: a new boot.
cut "$TMP/cut"
export XIANGBAN_BOOT_ID=boot-two
expect_code 0 "open after the power cut" "$XB" --home "$TMP/cut" child list
check "the first child is there" has "$TMP/out" "$A"
check "the second child is there" has "$TMP/out" "$B"
expect_code 0 "show the edited child" "$XB" --home "$TMP/cut" child show "$A"
check "the edit is there" has "$TMP/out" "前进小学"
check "the new boot is noted" [ "$(cat "$TMP/cut/boot")" = boot-two ]
db_verify_all "$TMP/cut" && pass
expect_code 0 "check after the power cut" "$XB" --home "$TMP/cut" check
check "check passed" has "$TMP/out" "Check passed"

# A change made after that recovery, in the same boot, is kept by the
# regions and the log like any other.
expect_code 0 "register after" "$XB" --home "$TMP/cut" child add name=赵小红 \
	village_code=220221100001 village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=赵奶奶 enrolment=in_school sex=F \
	birth_date=2016-02-03
expect_code 0 "list again" "$XB" --home "$TMP/cut" child list
check "three children" [ "$(grep -c '220221100-' "$TMP/out")" -eq 3 ]

finish
