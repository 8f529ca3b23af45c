#!/bin/sh
# stats_chain.sh - the statistics up the chain with real GnuPG homes: two
# townships file their tables with their bundles to the county, a third
# sends nothing and is late; the county's per-township lines equal each
# township's own table, and its bundle to the city carries tables and no
# personal data; the city's lines per county and per township equal them,
# and at every level the total is the sum of the rows.
. "${XB_SRCDIR:-.}/tests/lib.sh"
export LANG=C.UTF-8 LC_ALL= LANGUAGE= TZ=Asia/Shanghai

need_gpg

T1="$TMP/t1" T2="$TMP/t2" T3="$TMP/t3" C="$TMP/c" Y="$TMP/y"
STICK="$TMP/stick" KEYS="$TMP/keys"
mkdir -p "$STICK" "$KEYS"
at() { XIANGBAN_NOW=$1; export XIANGBAN_NOW; }

at 2026-10-05T09:00:00
office "$T1" 220221100 城关镇 8
office "$T2" 220221200 河口镇 5
office "$T3" 220221300 山前镇
office "$C" 220221 示范县民政局
expect_code 0 "a city's ledger" on "$Y" init --office 2202 --name 吉林市民政局
expect_code 0 "the city's figures before anything came" on "$Y" --json stats --period 2026-09
check "the city holds nothing yet" [ "$(json_get "$TMP/out" 'd["total"]["in_ledger"]')" = 0 ]
keys_both "$T1" 220221100 "$C" 220221 "$KEYS"
office_key "$T2" "$KEYS"
office_key "$T3" "$KEYS"
bind_key "$C" "$T2" 220221200 "$KEYS"
bind_key "$T2" "$C" 220221 "$KEYS"
bind_key "$C" "$T3" 220221300 "$KEYS"
office_key "$Y" "$KEYS"
bind_key "$C" "$Y" 2202 "$KEYS"
bind_key "$Y" "$C" 220221 "$KEYS"

# November: a child registered in one township, one leaves in the other
at 2026-11-10T09:00:00
expect_code 0 "T1 registers a child" on "$T1" child add name=周小雨 sex=F \
	birth_date=2016-04-04 village_code=220221100201 village=西岭村 father_status=away \
	mother_status=away guardian_relation=grandparent guardian_name=周奶奶 \
	enrolment=in_school
LEAVER=$(on "$T2" --json child list | python3 -c 'import json,sys; print([c["id"] for c in json.load(sys.stdin) if c["fields"].get("status") == "active"][0])')
expect_code 0 "T2: a child leaves" on "$T2" child exit "$LEAVER" exit_reason=parents_returned \
	exit_date=2026-11-10 --yes

# December: T1 and T2 send their bundles; T3 sends none
at 2026-12-03T09:00:00
for t in "$T1" "$T2"; do
	expect_code 0 "$t exports" on "$t" --json export --to "$STICK"
	f=$(json_get "$TMP/out" 'd["file"]')
	check "$t: tables in its bundle" [ "$(json_get "$TMP/out" 'd["counts"]["table"]')" -ge 2 ]
	expect_code 0 "the county imports $t's bundle" on "$C" import "$f"
done

at 2026-12-07T09:00:00
# each township's own table of November and of October
for t in 1 2; do
	eval h=\$T$t
	on "$h" --json stats --period 2026-11 >"$TMP/t$t-nov.json" || fail "T$t stats"
	on "$h" --json stats --period 2026-10 >"$TMP/t$t-oct.json" || fail "T$t stats October"
done
check "T1 registered one in November" [ "$(json_get "$TMP/t1-nov.json" 'd["total"]["registered"]')" = 1 ]
check "T2 lost one in November" [ "$(json_get "$TMP/t2-nov.json" 'd["total"]["exited_parents_returned"]')" = 1 ]

# same ROWS-FILE KEY TOWNSHIP-FILE: the row of KEY equals that township's total
same_row() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
own = json.load(open(sys.argv[3]))["total"]
key = sys.argv[2]
row = [r for r in rows["rows"] if r.get("township", r.get("county")) == key]
if len(row) != 1:
    sys.exit("no row for %s" % key)
row = dict(row[0])
for k in ("township", "county", "name", "source"):
    row.pop(k, None)
if row != own:
    sys.exit("%s: %s != %s" % (key, row, own))
EOF
}
rows_add_up() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for k, v in d["total"].items():
    if k == "reported_late_median_days":
        continue
    s = sum(r[k] for r in d["rows"])
    if s != v:
        sys.exit("%s: rows %d, total %d" % (k, s, v))
EOF
}

expect_code 0 "county: November by township" on "$C" --json stats --period 2026-11 --by township
cp "$TMP/out" "$TMP/c-nov.json"
check "county: T1's line is T1's table" same_row "$TMP/c-nov.json" 220221100 "$TMP/t1-nov.json"
check "county: T2's line is T2's table" same_row "$TMP/c-nov.json" 220221200 "$TMP/t2-nov.json"
check "county: lines from the tables sent" [ "$(json_get "$TMP/c-nov.json" '",".join(r["source"] for r in d["rows"])')" = "table,table" ]
check "county: township names" [ "$(json_get "$TMP/c-nov.json" '",".join(r["name"] for r in d["rows"])')" = "城关镇,河口镇" ]
check "county: total is the sum of the lines" rows_add_up "$TMP/c-nov.json"
expect_code 0 "county: October by township" on "$C" --json stats --period 2026-10 --by township
check "county: T1's October" same_row "$TMP/out" 220221100 "$TMP/t1-oct.json"
expect_code 3 "county: by village refused" on "$C" stats --by village

# The county's offices: children in the ledger only, who is late
expect_code 0 "county: offices" on "$C" --json offices
cp "$TMP/out" "$TMP/offices.json"
T2_IN=$(on "$T2" --json summary | python3 -c 'import json,sys; print(json.load(sys.stdin)["children"])')
check "offices: T2's children in the ledger" [ "$(json_get "$TMP/offices.json" '[o["children"] for o in d if o["office"]=="220221200"][0]')" = "$T2_IN" ]
check "offices: T3 is late for November" [ "$(json_get "$TMP/offices.json" '[str(o["late"])+o["due"]+o["due_period"] for o in d if o["office"]=="220221300"][0]')" = "True2026-12-052026-11" ]
check "offices: T1 is not awaited" [ "$(json_get "$TMP/offices.json" '[o["awaited"] for o in d if o["office"]=="220221100"][0]')" = False ]
check "offices: the city is not a township" [ "$(json_get "$TMP/offices.json" '[("late" in o) for o in d if o["office"]=="2202"][0]')" = False ]
expect_code 0 "offices as text" on "$C" offices
check "offices text: T3 late" has "$TMP/out" "LATE: the bundle for 2026-11 was due on 2026-12-05"
expect_code 0 "county sets the due day" on "$C" --json offices --due-day 10
check "due day moved: T3 not yet late" [ "$(json_get "$TMP/out" '[str(o["late"])+o["due"] for o in d if o["office"]=="220221300"][0]')" = "False2026-12-10" ]
expect_code 3 "due day 31 refused" on "$C" offices --due-day 31

# The county to the city: tables only
expect_code 0 "county exports to the city" on "$C" --json export --to "$STICK" --office 2202
CB=$(json_get "$TMP/out" 'd["file"]')
check "city bundle: no child" [ "$(json_get "$TMP/out" 'd["counts"]["child"]+d["counts"]["visit"]+d["counts"]["report"]+d["counts"]["office"]')" = 0 ]
check "city bundle: tables" [ "$(json_get "$TMP/out" 'd["counts"]["table"]')" -ge 4 ]
"$GPG" --homedir "$C/gnupg" --batch -q --decrypt -o "$TMP/city.plain" "$CB" 2>/dev/null ||
	fail "gpg reads the city bundle"
on "$T1" --json child list >"$TMP/people.json"
on "$T2" --json child list >>"$TMP/people.json"
python3 - "$TMP/people.json" >"$TMP/personal" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
dec = json.JSONDecoder()
i = 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    arr, i = dec.raw_decode(text, i)
    for c in arr:
        f = c["fields"]
        for k in ("name", "id_number", "address", "guardian_name", "guardian_phone",
                  "father_name", "father_phone", "mother_name", "mother_phone",
                  "father_id_number", "mother_id_number", "member_phone"):
            v = f.get(k)
            if v and len(v) >= 2:
                print(v)
EOF
check "people listed to look for" [ "$(wc -l <"$TMP/personal")" -gt 20 ]
check "city bundle plaintext: no name, ID number, phone or address" \
	sh -c "! grep -qFf '$TMP/personal' '$TMP/city.plain'"
check "city bundle plaintext: only tables" python3 -c '
import json, sys
kinds = {json.loads(l).get("kind") for l in open(sys.argv[1]).read().splitlines()[1:]}
sys.exit(kinds != {"table"})
' "$TMP/city.plain"

expect_code 0 "the city imports" on "$Y" import "$CB"
expect_code 0 "the same bundle again: nothing new" on "$Y" --json import "$CB"
check "again: a duplicate" has "$TMP/out" "duplicate"
expect_code 0 "city: November by county" on "$Y" --json stats --period 2026-11 --by county
cp "$TMP/out" "$TMP/y-county.json"
python3 - "$TMP/c-nov.json" >"$TMP/c-total.json" <<'EOF'
import json, sys
print(json.dumps({"total": json.load(open(sys.argv[1]))["total"]}))
EOF
check "city: the county's line is the county's total" same_row "$TMP/y-county.json" 220221 "$TMP/c-total.json"
check "city: county total is the sum" rows_add_up "$TMP/y-county.json"
expect_code 0 "city: November by township" on "$Y" --json stats --period 2026-11 --by township
cp "$TMP/out" "$TMP/y-town.json"
check "city: T1's line" same_row "$TMP/y-town.json" 220221100 "$TMP/t1-nov.json"
check "city: T2's line" same_row "$TMP/y-town.json" 220221200 "$TMP/t2-nov.json"
check "city: township total is the sum" rows_add_up "$TMP/y-town.json"
check "city: the same total both ways" python3 -c '
import json, sys
a, b = (json.load(open(f))["total"] for f in sys.argv[1:3])
sys.exit(a != b)
' "$TMP/y-county.json" "$TMP/y-town.json"
expect_code 3 "city: by village refused" on "$Y" stats --period 2026-11 --by village
expect_code 3 "a township's bundle is not for the city" on "$Y" import "$(ls "$STICK"/xiangban-220221100-* | head -n1)"

# What changed since the last bundle, and a bundle of tables alone
at 2026-12-20T09:00:00
CASE1=$(on "$T1" --json child list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_code 0 "T1 logs a visit" on "$T1" visit add "$CASE1" date=2026-12-20 visitor=李主任 kind=home
expect_code 0 "T1: what changed since its bundle" on "$T1" --json stats
check "since the last bundle: one visit, one child" [ "$(json_get "$TMP/out" 'd["since_last_bundle"]["to"]+":"+str(d["since_last_bundle"]["visits"])+":"+str(d["since_last_bundle"]["children"])')" = "220221:1:1" ]
at 2027-01-03T09:00:00
expect_code 0 "T1 sends its tables alone" on "$T1" --json export --to "$STICK" --tables
TB=$(json_get "$TMP/out" 'd["file"]')
check "tables alone: December's table, no visit" [ "$(json_get "$TMP/out" 'str(d["counts"]["table"])+":"+str(d["counts"]["visit"]+d["counts"]["child"])')" = "3:0" ]
expect_code 0 "the county takes the tables" on "$C" import "$TB"
expect_code 0 "county: December by township" on "$C" --json stats --period 2026-12 --by township
check "county: T1's December from its table" [ "$(json_get "$TMP/out" '[r["source"] for r in d["rows"] if r["township"]=="220221100"][0]')" = table ]
expect_code 0 "T1's next full bundle" on "$T1" --json export --to "$STICK"
check "the full bundle still carries the visit" [ "$(json_get "$TMP/out" 'd["counts"]["visit"]')" = 1 ]

finish
