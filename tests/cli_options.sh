#!/bin/sh
# cli_options.sh - how the command line reads its options, word for word:
# unknown options and missing values with their messages and exit status
# 2, options after the positional arguments, `--` and `-` as plain words,
# no abbreviated option names, negative numbers and field=value arguments
# never taken for options, global options anywhere after the command.
. "${XB_SRCDIR:-.}/tests/lib.sh"

H="$TMP/ledger"
x() { "$XB" --home "$H" "$@"; }
export LANG=C.UTF-8 LC_ALL= LANGUAGE=

x init --office 220221100 --name 示范镇 >/dev/null || { fail init; finish; }
x child add name=张三 id_number=220221201503120018 village_code=220221100001 \
	village=前进村 father_status=away mother_status=away \
	guardian_relation=grandparent guardian_name=李桂兰 enrolment=in_school \
	>"$TMP/out" 2>/dev/null || fail "child add"
CASE=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")
# A second child, without a guardian.
x child add name=李四 id_number=220221201001010011 village_code=220221100001 \
	village=前进村 father_status=away mother_status=away guardian_relation=none \
	enrolment=in_school >"$TMP/out" 2>/dev/null || fail "child add 2"
CASE2=$(sed -n 's/.*case number \(220221100-[0-9]*-[0-9X]\).*/\1/p' "$TMP/out")

# says CODE NAME TEXT CMD...: CMD exits with CODE and prints TEXT (to
# standard error, or with an exit status 0 or 4 to standard output).
says() {
	code=$1
	name=$2
	text=$3
	shift 3
	expect_code "$code" "$name" "$@"
	if has "$TMP/err" "$text" || has "$TMP/out" "$text"; then
		pass
	else
		fail "$name: lacks '$text': $(cat "$TMP/out" "$TMP/err")"
	fi
}
not_has() { ! has "$@"; }
HELP='Run `xiangban --help` for the commands.'

# --- global options ----------------------------------------------------------
says 2 "unknown global option" "xiangban: unknown option --bogus" "$XB" --bogus summary
check "unknown global option: the hint" has "$TMP/err" "$HELP"
says 2 "global option without its value" "unknown option --home" "$XB" --home
says 2 "abbreviated global option" "unknown option --jso" x --jso summary
says 2 "a flag given a value" "unknown option --json=1" x --json=1 summary
says 2 "one-letter cluster" "unknown option -hx" "$XB" -hx
says 2 "-- before the command" "unknown option --" x -- summary
says 2 "- before the command" "unknown option -" x - summary
says 0 "-h" "Usage: xiangban" "$XB" -h
says 0 "--help before a bad option" "Usage: xiangban" "$XB" --help --bogus
says 2 "a bad option before --help" "unknown option --bogus" "$XB" --bogus --help
says 2 "--passphrase-fd not a number" "--passphrase-fd needs the number of an open file descriptor, not x" \
	"$XB" --passphrase-fd x --help
says 2 "--passphrase-fd negative" "not -1" "$XB" --passphrase-fd -1 summary
says 2 "unknown command" "xiangban: unknown command frob" x frob
says 2 "empty user" "the user name is empty" x --user= summary
# After the command they may stand anywhere, in either form.
expect_code 0 "global options after the command" "$XB" summary --json --home "$H"
check "global options after the command: JSON" [ "$(json_get "$TMP/out" 'd["office"]')" = 220221100 ]
expect_code 0 "--home=DIR after the command" "$XB" child list --home="$H" --json
says 2 "--user= after the command" "the user name is empty" x summary --user=
says 2 "--passphrase-fd after the command" "not x" x summary --passphrase-fd x
# A global option without its value there is left to the command.
says 2 "--home at the end" "xiangban: usage: summary" "$XB" summary --home
says 2 "--help after the command" "unknown child command --help" x child --help

# --- options of a command ----------------------------------------------------
says 2 "unknown option" "xiangban: usage: export --to DIR [--office CODE] [--all]" \
	x export --to "$TMP" --bogus
check "unknown option: the hint" has "$TMP/err" "$HELP"
says 2 "missing value" "usage: export --to DIR [--office CODE] [--all]" x export --to
says 2 "required option absent" "usage: init --office CODE --name NAME [--phone PHONE] [--villages FILE] [--encrypt]" \
	x init --office 220221100
says 2 "abbreviated option" "usage: export --to DIR" x export --to "$TMP" --al
says 2 "a flag given a value" "usage: import FILE [--allow-gap]" x import --allow-gap=1 f
says 2 "-- is no end of options" "usage: child list [--village CODE]" x child list --
says 2 "- is no file" "usage: import FILE [--allow-gap]" x import -
says 2 "a second word" "usage: import FILE [--allow-gap]" x import f g
says 2 "a word where none is taken" "usage: report list [--open]" x report list extra
says 2 "unknown keys init option" "usage: keys init [--no-passphrase] [--passphrase-fd N]" \
	x keys init --bogus
says 2 "keys replace takes no --office" "usage: keys replace OFFICE FILE" \
	x keys replace 220221 f --office 220221
says 2 "keys import without --office" "usage: keys import FILE --office CODE" x keys import f
# An option after a positional argument, and --name=VALUE.
says 4 "option after the file" "Cannot open" x import "$TMP/none.gpg" --allow-gap
says 4 "options as --name=VALUE" "Could not open" \
	x keys import "$TMP/none.asc" --office=220221 --name=县 --fingerprint=AB
says 4 "option after the text" "No child matches \"zz\"" x search zz --limit 1
says 0 "options before the case" "$CASE" x slip --text "$CASE"
says 0 "repeated option: any of them" "$CASE2" x child list --flag over_age --flag unsupervised
check "repeated option: not the others" not_has "$TMP/out" "$CASE "
says 0 "repeated option: the last value" "$CASE" x child list --village 220221100999 --village 220221100001
says 2 "repeated option, one bad" "unknown flag bogus" x child list --flag over_age --flag bogus
says 2 "a bad value before an unknown option" "--limit takes a whole number (0 for all)" \
	x child list --limit x --bogus
says 2 "an unknown option before a bad value" "usage: child list" x child list --bogus --limit x
says 2 "the last value kept" "usage: slip --village CODE --sheet FILE.pdf [--print]" \
	x slip --village 1 --village 2
says 2 "conflicts settle: --keep without value" "usage: conflicts settle ID --keep ours|theirs" \
	x conflicts settle X --keep
says 4 "conflicts settle: --keep before the id" "no conflict to settle on X" \
	x conflicts settle --keep=ours X

# Negative numbers are values, or words, never options.
says 2 "negative --limit" "--limit takes a whole number (0 for all)" x child list --limit -1
says 2 "negative --children" "--children must be between 1 and 1000000" x demo --children -5
says 2 "negative --seed" "--seed takes a whole number" x demo --seed -1
says 2 "negative --expect-version" "usage: child edit CASE [--expect-version N]" \
	x child edit "$CASE" --expect-version -1 name=x
says 4 "a negative number searched" "No child matches \"-5\"" x search -5

# Where the words are text, a case or fields, a word with a dash is one
# of them; a known option is still an option, anywhere.
says 4 "search for a dash word" "No child matches \"--bogus\"" x search --bogus
says 4 "search for --" "No child matches \"--\"" x search --
says 4 "--limit without value is the text" "No child matches \"--limit\"" x search --limit
says 2 "a dash word as a second text" "usage: search TEXT [--limit N]" x search zz --limit
says 3 "a dash word as the case" "case number" x child show --x
says 3 "a dash word as a field" "There is no field \"-name\"" x child add -name=x
says 3 "--expect-version without value" "\"--expect-version\" is not field=value." \
	x child edit "$CASE" --expect-version
says 3 "-- among the fields" "\"--\" is not field=value." x child edit "$CASE" -- name=x
says 5 "--expect-version before the case" "after you opened it" \
	x child edit --expect-version 9 "$CASE" name=张叁
V=$(x --json child show "$CASE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
says 0 "--expect-version after the fields" "(version $((V + 1)))" \
	x child edit "$CASE" name=张叁 --expect-version="$V"
says 3 "fields as JSON from -" "not valid" x child add -
says 3 "a field value with a dash" "Guardian's phone" x child edit "$CASE" guardian_phone=-1

db_verify_all "$H" && pass
finish
