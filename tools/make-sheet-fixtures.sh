#!/bin/sh
# make-sheet-fixtures.sh - makes tests/fixtures/sheets/ again: the survey
# table a township keeps (survey.gnumeric, written here, then .xlsx and
# .xls by gnumeric's ssconvert; the CSV and text variants as Chinese
# Excel writes them) and the bad files. Run once from the source tree; the
# results are committed (CI has no ssconvert). tests/fixtures/sheets/README
# says what each file is for; tests/test_sheets.c checks their cells.
set -eu
out=tests/fixtures/sheets
mkdir -p "$out"
command -v ssconvert >/dev/null || { echo "needs ssconvert (apt-get install gnumeric)" >&2; exit 1; }

python3 - "$out" <<'EOF'
import datetime, sys, zipfile
from xml.sax.saxutils import escape
out = sys.argv[1]

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def idnum(region, born, seq):
    """An 18-digit ID with its GB 11643 check character."""
    d17 = "%s%s%03d" % (region, born.strftime("%Y%m%d"), seq)
    return d17 + "10X98765432"[sum(int(c) * w for c, w in zip(d17, W)) % 11]

def serial(d):
    return (d - datetime.date(1899, 12, 30)).days

title = "XX镇农村留守儿童摸底排查登记表"
header = ["序号", "姓名", "性别", "身份证号码", "出生日期", "所在村",
          "父亲现状", "母亲现状", "监护人姓名", "与儿童关系", "就学状况",
          "联系\n电话"]
people = [
    ("张浩然", "男", (2012, 5, 3), 11, "前进村", "外出务工", "外出务工", "张德福", "祖父母", "在校", "13944210001"),
    ("李欣怡", "女", (2014, 9, 21), 22, "前进村", "外出务工", "在家", "王秀兰", "母亲", "在校", "13944210002"),
    ("王子涵", "男", (2015, 3, 12), 31, "红旗村", "服刑", "外出务工", "王桂芝", "祖父母", "在校", "13944210003"),
    ("刘雨桐", "女", (2015, 3, 12), 42, "红旗村", "外出务工", "外出务工", "刘长海", "祖父母", "学龄前", "13944210004"),
    ("陈宇轩", "男", (2010, 11, 30), 53, "太平村", "死亡", "外出务工", "陈淑珍", "祖父母", "在校", "13944210005"),
    ("杨梓萱", "女", (2016, 1, 8), 64, "太平村", "外出务工", "外出务工", "赵玉梅", "外祖父母", "学龄前", "13944210006"),
    ("赵俊杰", "男", (2011, 7, 15), 75, "永丰村", "外出务工", "外出务工", "赵国强", "其他亲属", "辍学", "13944210007"),
    ("黄诗雨", "女", (2013, 12, 25), 86, "永丰村", "外出务工", "重病", "黄建军", "其他亲属", "在校", "13944210008"),
    ("周嘉怡", "女", (2017, 4, 1), 97, "前进村", "外出务工", "外出务工", "周福林", "祖父母", "学龄前", "13944210009"),
    ("吴天佑", "男", (2009, 2, 28), 19, "红旗村", "外出务工", "外出务工", "吴翠花", "祖父母", "在校", "13944210010"),
]
NUMBER_ID_ROW = 2   # this child's ID typed into a General cell: a number
TEXT_DATE_ROW = 3   # this child's birth date typed as text "2015.3.12"

rows = []           # (row index, [cells]); a cell: (kind, value)
rows.append((0, [("s", title)]))
rows.append((2, [("s", h) for h in header]))
for i, p in enumerate(people):
    name, sex, born, seq, village, father, mother, guardian, rel, school, phone = p
    b = datetime.date(*born)
    idn = idnum("220221", b, seq)
    cells = [("n", str(i + 1)), ("s", name), ("s", sex)]
    cells.append(("n", idn) if i == NUMBER_ID_ROW else ("s", idn))
    if i == TEXT_DATE_ROW:
        cells.append(("s", "%d.%d.%d" % (b.year, b.month, b.day)))
    else:
        cells.append(("d", str(serial(b))))
    cells += [("s", village), ("s", father), ("s", mother), ("s", guardian),
              ("s", rel), ("s", school), ("s", phone)]
    rows.append((3 + i, cells))
TOTAL_ROW = 3 + len(people) + 2        # two blank rows, then the total
rows.append((TOTAL_ROW, [("s", "合计"), ("s", "%d人" % len(people))]))
ncols = len(header)
last = TOTAL_ROW

# --- the workbook, in Gnumeric's XML -----------------------------------
def style(r0, c0, r1, c1, fmt="General", bold=0, size=11, wrap=0):
    return ('<gnm:StyleRegion startCol="%d" startRow="%d" endCol="%d" endRow="%d">'
            '<gnm:Style HAlign="GNM_HALIGN_GENERAL" VAlign="GNM_VALIGN_BOTTOM" WrapText="%d" '
            'ShrinkToFit="0" Rotation="0" Shade="0" Indent="0" Locked="1" Hidden="0" '
            'Fore="0:0:0" Back="FFFF:FFFF:FFFF" PatternColor="0:0:0" Format="%s">'
            '<gnm:Font Unit="%d" Bold="%d" Italic="0" Underline="0" StrikeThrough="0" '
            'Script="0">宋体</gnm:Font></gnm:Style></gnm:StyleRegion>\n'
            % (c0, r0, c1, r1, wrap, escape(fmt, {'"': "&quot;"}), size, bold))
styles = [style(0, 0, 0, 255, bold=1, size=16),
          style(1, 0, 1, 255),
          style(2, 0, 2, 255, bold=1, wrap=1),
          style(3, 0, 65535, 3),
          style(3, 4, 65535, 4, fmt="yyyy/m/d"),
          style(3, 5, 65535, 255)]
cells = []
for r, cs in rows:
    for c, (kind, v) in enumerate(cs):
        if kind == "s":
            cells.append('<gnm:Cell Row="%d" Col="%d" ValueType="60">%s</gnm:Cell>'
                         % (r, c, escape(v)))
        elif kind == "d":
            cells.append('<gnm:Cell Row="%d" Col="%d" ValueType="40" ValueFormat="yyyy/m/d">%s</gnm:Cell>'
                         % (r, c, v))
        else:
            cells.append('<gnm:Cell Row="%d" Col="%d" ValueType="40">%s</gnm:Cell>'
                         % (r, c, v))
colw = [40, 60, 35, 140, 75, 60, 60, 60, 60, 60, 60, 85]
cols = "".join('<gnm:ColInfo No="%d" Unit="%d"/>' % (i, w) for i, w in enumerate(colw))
gnumeric = """<?xml version="1.0" encoding="UTF-8"?>
<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">
<gnm:SheetNameIndex><gnm:SheetName gnm:Cols="256" gnm:Rows="65536">摸底排查</gnm:SheetName></gnm:SheetNameIndex>
<gnm:Sheets>
<gnm:Sheet>
<gnm:Name>摸底排查</gnm:Name>
<gnm:MaxCol>%d</gnm:MaxCol>
<gnm:MaxRow>%d</gnm:MaxRow>
<gnm:Styles>
%s</gnm:Styles>
<gnm:Cols DefaultSizePts="60">%s</gnm:Cols>
<gnm:Rows DefaultSizePts="13.5"><gnm:RowInfo No="0" Unit="30"/><gnm:RowInfo No="2" Unit="30"/></gnm:Rows>
<gnm:MergedRegions><gnm:Merge>A1:%s1</gnm:Merge></gnm:MergedRegions>
<gnm:Cells>
%s
</gnm:Cells>
</gnm:Sheet>
</gnm:Sheets>
</gnm:Workbook>
""" % (ncols - 1, last, "".join(styles), cols, chr(ord("A") + ncols - 1), "\n".join(cells))
open(out + "/survey.gnumeric", "w", encoding="utf-8").write(gnumeric)

# --- the same table as Chinese Excel saves it as text ----------------------
def shown(kind, v):
    """The cell as Excel shows it, which is what its CSV holds."""
    if kind == "d":
        d = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(v))
        return "%d/%d/%d" % (d.year, d.month, d.day)
    if kind == "n" and len(v) > 11:
        return "%.5E" % float(v)   # 2.20221E+17: the 18 digits are lost
    return v

def table():
    by = dict(rows)
    for r in range(last + 1):
        cs = by.get(r, [])
        yield [shown(k, v) for k, v in cs] + [""] * (ncols - len(cs))

def quote(v, sep):
    if any(ch in v for ch in (sep, '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v

csv = "".join(",".join(quote(v, ",") for v in r) + "\r\n" for r in table())
txt = "".join("\t".join(quote(v, "\t") for v in r) + "\r\n" for r in table())
open(out + "/survey-gbk.csv", "wb").write(csv.encode("gb18030"))
open(out + "/survey-utf8bom.csv", "wb").write(b"\xef\xbb\xbf" + csv.encode("utf-8"))
open(out + "/survey-utf16.txt", "wb").write(b"\xff\xfe" + txt.encode("utf-16-le"))

# --- bad files ---------------------------------------------------------------
open(out + "/broken-quote.csv", "wb").write(
    "姓名,身份证号码,所在村\r\n张浩然,220221201205030117,前进村\r\n"
    "\"李欣怡\"x,220221201409210229,前进村\r\n".encode("utf-8"))
open(out + "/unclosed-quote.csv", "wb").write(
    "姓名,身份证号码\n张浩然,220221201205030117\n\"李欣怡,2202212014\n".encode("utf-8"))
open(out + "/invalid-text.csv", "wb").write(
    b"name,village\r\nok,ok\r\n\x80\xff\x80,\xff\xfe\xfd\r\n")
open(out + "/binary.dat", "wb").write(bytes(range(256)) * 4)
open(out + "/empty.csv", "wb").write(b"")
z = zipfile.ZipFile(out + "/not-workbook.docx", "w", zipfile.ZIP_DEFLATED)
for name, body in (
        ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>留守儿童</w:t></w:r></w:p></w:body></w:document>')):
    info = zipfile.ZipInfo(name, (2026, 12, 1, 0, 0, 0))
    z.writestr(info, body)
z.close()

# --- what Excel itself writes, by hand: shared strings with rich text and
# phonetic runs, escapes, booleans, formulas, errors, custom and built-in
# date formats, the 1904 date system, cells without references, the first
# sheet in a part of its own name --------------------------------------------
def part(z, name, body):
    z.writestr(zipfile.ZipInfo(name, (2026, 12, 1, 0, 0, 0)), body)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
def excel(name, date1904):
    z = zipfile.ZipFile(out + "/" + name, "w", zipfile.ZIP_DEFLATED)
    part(z, "[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    part(z, "_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    part(z, "xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook %s><workbookPr%s/><sheets><sheet name="登记表" sheetId="3" r:id="rId7"/><sheet name="说明" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, ' date1904="1"' if date1904 else ''))
    part(z, "xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
    part(z, "xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst %s count="4" uniqueCount="4"><si><t>身份证号码</t></si><si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">浩然 </t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si><si><t>联系_x000D_\n电话</t></si><si><t/></si></sst>' % NS)
    part(z, "xl/styles.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet %s><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/><numFmt numFmtId="177" formatCode="[h]:mm:ss"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177" applyNumberFormat="1"/><xf numFmtId="49" applyNumberFormat="1"/></cellXfs></styleSheet>' % NS)
    part(z, "xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>the wrong sheet</t></is></c></row></sheetData></worksheet>' % NS)
    part(z, "xl/worksheets/sheet2.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet %s><dimension ref="A1:F9"/><sheetData>'
         '<row r="2" spans="1:6"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c></row>'
         '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>41032</v></c><c r="C3" s="2"><v>42075</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="str"><f>A3&amp;"!"</f><v>张浩然 !</v></c><c r="F3" t="e"><v>#N/A</v></c></row>'
         '<row r="5"><c t="inlineStr"><is><r><t>内</t></r><r><t>联</t></r></is></c><c s="1"><v>60</v></c><c s="3"><v>1.5</v></c><c><v>0.1</v></c><c><v>-3.25</v></c><c><v>12345678901</v></c><c><v>123456789012</v></c><c><v>1E+21</v></c><c s="4"><v>7</v></c></row>'
         '<row r="6"><c r="AB6"><v>2.2022120150312E+17</v></c></row>'
         '</sheetData><mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells></worksheet>' % NS)
    z.close()
excel("excel.xlsx", 0)
excel("excel-1904.xlsx", 1)
EOF

ssconvert -T Gnumeric_Excel:xlsx2 "$out/survey.gnumeric" "$out/survey.xlsx"
ssconvert -T Gnumeric_Excel:excel_biff8 "$out/survey.gnumeric" "$out/survey.xls"
# the township's villages as the statistics bureau's list comes in Excel:
# a title, a header, the codes as numbers (ssconvert makes them so)
printf '%s\n' '示范镇村(居)名录,' '统计用区划代码,名称' '220221100201,前进村' \
	'220221100202,红旗村' '220221100203,太平村' >"$out/villages.csv"
ssconvert -T Gnumeric_Excel:xlsx2 "$out/villages.csv" "$out/villages.xlsx"
rm -f "$out/villages.csv"
# rows far longer than a pipe holds (120 rows of eight 2000-character
# cells, one shared string): the .xls reader's child is still writing
# when a test closes the reader after the first row
python3 -c 's = "留守儿童" * 500
for i in range(1, 121): print(",".join([str(i)] + [s] * 8))' >"$out/long-rows.csv"
ssconvert -T Gnumeric_Excel:excel_biff8 "$out/long-rows.csv" "$out/long-rows.xls"
rm -f "$out/long-rows.csv"
# a workbook cut short, as a copy broken off half-way
size=$(wc -c <"$out/survey.xlsx")
head -c $((size / 2)) "$out/survey.xlsx" >"$out/truncated.xlsx"
size=$(wc -c <"$out/survey.xls")
head -c $((size / 2)) "$out/survey.xls" >"$out/truncated.xls"
