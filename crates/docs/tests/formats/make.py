"""Writes the format fixtures of tests/formats.rs (run once; the files are committed).

list.xls / list.ods: the same small task list (a banner, a header, two tasks);
far.xls / far.ods: a cell near A1 and one far away (the readers refuse before laying out);
repeat.ods: one valued cell repeated over 16,384 columns and 1,000,000 rows;
wps.et: a compound file with a Workbook stream and WPS's ETExtData stream;
list.csv: the list as CSV text.
Needs xlwt (pip install xlwt)."""
import xlwt, zipfile

ROWS = [["2026年重点工作任务清单"], ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "建成产业园", "市经信局", "2026-12-31"],
        ["2", "完成老旧小区改造", "市住建局", "2026-10-31"]]

def xls(name, rows, far=None):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("任务清单")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    if far:
        ws.write(far[0], far[1], "x")
    wb.save(name)

xls("list.xls", ROWS)
# xlwt caps rows at 65,536 and columns at 256: the far cell is the last one it allows.
xls("far.xls", ROWS, far=(65535, 255))

MIME = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>""" % MIME
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="任务清单">"""
TAIL = """</table:table></office:spreadsheet></office:body></office:document-content>"""

def cell(v):
    return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % v

def ods(name, body):
    with zipfile.ZipFile(name, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIME, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", HEAD + body + TAIL, compress_type=zipfile.ZIP_DEFLATED)

rows = "".join("<table:table-row>%s</table:table-row>" % "".join(cell(v) for v in row) for row in ROWS)
# LibreOffice's own tail: empty cells to the last column, empty rows to the last row.
tail = ('<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
ods("list.ods", rows + tail)
ods("far.ods", rows + '<table:table-row table:number-rows-repeated="60000"><table:table-cell/></table:table-row><table:table-row>%s</table:table-row>' % cell("x"))
ods("repeat.ods", '<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>')

with open("list.csv", "w", encoding="utf-8") as f:
    for row in ROWS:
        f.write(",".join(row) + "\n")
