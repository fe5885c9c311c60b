"""Returned forms that are damaged or made by hand to hurt: `collect` never raises on one.

Each shape is a real form (made by `kehoach request`, filled as a body would) with one part
changed as a hostile sender, a broken disk or a careless script would change it. Every one is
refused at its file (exit 2, `form-damaged`, or the code that says why), never a traceback; with
`--partial` the other forms are recorded. Two `collect` of one form at once record it once; a
batch of forms does not keep every workbook it read in memory; rows past the documented limit
are refused, not ignored; a hidden sheet's period is the plan's; text that becomes a formula once
stripped is refused; openpyxl's warnings never reach the terminal raw.
"""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kehoach.life import forms
from kehoach.life.forms.keys import form_key, sign
from kehoach.plan.loader import load_plan
from test_forms import col, demo_q3_text, fill, office, rewrite, row_of, sheet  # noqa: F401 - fixtures

FORM_SHEET = "xl/worksheets/sheet2.xml"  # the guide is sheet1, the hidden sheet sheet3
META_SHEET = "xl/worksheets/sheet3.xml"
AS_OF = ("--as-of", "2021-09-25")


@pytest.fixture
def filled(office):  # noqa: F811 - the fixture
    """The plan, the filled form of Thanh tra tỉnh (II.4.b at 80 %), and another filled form."""
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-09-10"}})
    fill(made["so-tnmt"], {"II.4.b": {"date": "2021-09-12", "result": "Đo đạc lại 4 thửa đất"}})
    return plan, made["thanh-tra-tinh"], made["so-tnmt"]


def percent_cell(form: Path) -> str:
    _, ws = sheet(form)
    return ws.cell(row=row_of(ws, "II.4.b"), column=col("percent")).coordinate


def in_cell(ref: str, cell_xml: bytes):
    """A change of the form sheet: the cell `ref` written as `cell_xml` (its whole <c> element)."""
    def change(data: bytes) -> bytes:
        new, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(/>|>.*?</c>)', cell_xml, data, count=1)
        assert n == 1
        return new
    return change


def with_shared_strings(src: Path, dst: Path, ref: str, index: int) -> None:
    """A form whose cell `ref` points at shared string `index` of a table holding one."""
    staged = dst.with_suffix(".1.xlsx")
    rewrite(src, staged, FORM_SHEET, in_cell(ref, f'<c r="{ref}" t="s"><v>{index}</v></c>'.encode()),
            {"xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                                     b' count="1" uniqueCount="1"><si><t>a</t></si></sst>'})
    rewrite(staged, dst, "[Content_Types].xml", lambda b: b.replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')))
    staged.unlink()
    staged = dst.with_suffix(".2.xlsx")
    rewrite(dst, staged, "xl/_rels/workbook.xml.rels", lambda b: b.replace(b"</Relationships>", (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')))
    staged.replace(dst)


def damaged(src: Path, dst: Path, shape: str) -> None:
    """`src` with one part changed as `shape` says."""
    pct = percent_cell(src)
    row = int(re.sub(r"\D", "", pct))
    shapes = {
        "truncated sheet": (FORM_SHEET, lambda b: b[: b.find(f'<row r="{row}"'.encode()) + 60]),
        "truncated hidden sheet": (META_SHEET, lambda b: b[: len(b) * 2 // 3]),
        "1e999 in a percent": (FORM_SHEET, in_cell(pct, f'<c r="{pct}" t="n"><v>1e999</v></c>'.encode())),
        "-1e999 in a percent": (FORM_SHEET, in_cell(pct, f'<c r="{pct}" t="n"><v>-1e999</v></c>'.encode())),
        "nan in a percent": (FORM_SHEET, in_cell(pct, f'<c r="{pct}" t="n"><v>nan</v></c>'.encode())),
        "a 400-digit percent": (FORM_SHEET, in_cell(pct, f'<c r="{pct}" t="n"><v>1{"0" * 400}</v></c>'.encode())),
        "a bad boolean": (FORM_SHEET, in_cell(pct, f'<c r="{pct}" t="b"><v>yes</v></c>'.encode())),
        "a bad date": (FORM_SHEET, in_cell(pct, f'<c r="{pct}" t="d"><v>2021-99-99</v></c>'.encode())),
        "a bad coordinate": (FORM_SHEET, in_cell(pct, b'<c r="H0x" t="n"><v>80</v></c>')),
        "a coordinate past the last column": (FORM_SHEET, in_cell(pct, f'<c r="ZZZZZ{row}"><v>1</v></c>'.encode())),
        "a hidden sheet without its sheet row": (META_SHEET, lambda b: b.replace(b"<t>sheet</t>", b"<t>sheex</t>", 1)),
        "a hidden sheet nested 200,000 deep": (META_SHEET, lambda b: re.sub(
            rb'(<c r="H\d+" t="inlineStr"><is><t>)\[[^<]*', rb"\g<1>" + b"[" * 200_000, b, count=1)),
        "a hidden sheet of 10,000 columns": (META_SHEET, lambda b: b.replace(
            b"<t>stt,id,", b"<t>" + b"".join(b"c%d," % i for i in range(10_000)) + b"stt,id,", 1)),
    }
    if shape == "a shared string out of range":
        with_shared_strings(src, dst, pct, 99)
        return
    member, change = shapes[shape]
    rewrite(src, dst, member, change)


SHAPES = ["truncated sheet", "truncated hidden sheet", "1e999 in a percent", "-1e999 in a percent",
          "nan in a percent", "a 400-digit percent", "a bad boolean", "a bad date", "a bad coordinate",
          "a coordinate past the last column", "a shared string out of range",
          "a hidden sheet without its sheet row", "a hidden sheet nested 200,000 deep",
          "a hidden sheet of 10,000 columns"]


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("shape", SHAPES)
def test_a_damaged_form_is_refused_at_its_file_and_partial_records_the_others(filled, kehoach, tmp_path, shape):
    """Before: exit 3 ('internal error') for a 400-digit percent (OverflowError in the percent
    reader), a hidden sheet without its `sheet` row (KeyError) or nested deep (RecursionError);
    the others as `form-unreadable`. After: `form-damaged`, exit 2, the file named."""
    plan, form, other = filled
    broken = tmp_path / "hong.xlsx"
    damaged(form, broken, shape)
    text = plan.read_text(encoding="utf-8")
    code, out, err = kehoach("collect", broken, other, "-p", plan, *AS_OF)
    assert code == 2 and str(broken) in err and "Traceback" not in err + out and "lỗi nội bộ" not in err, err
    assert plan.read_text(encoding="utf-8") == text
    code, out, err = kehoach("collect", broken, other, "-p", plan, "--partial", *AS_OF)
    assert code == 4 and f"{broken}:" in out and "[form-damaged]" in out, out + err
    assert "Đã ghi 1 mục tiến độ" in out
    notes = [e.note for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress]
    assert "Đo đạc lại 4 thửa đất" in notes and "Đạt" not in notes


def test_a_damaged_value_is_said_at_its_cell(filled, kehoach, tmp_path):
    plan, form, _ = filled
    broken = tmp_path / "vo-cuc.xlsx"
    damaged(form, broken, "1e999 in a percent")
    code, _, err = kehoach("collect", broken, "-p", plan, "--lang", "en", *AS_OF)
    assert code == 2 and f"'Phiếu báo cáo'!{percent_cell(form)} holds inf" in err
    assert "neither Excel nor LibreOffice writes" in err


# ---------------------------------------------------------------- OpenDocument


def to_ods(xlsx: Path, ods: Path, change=None) -> None:
    """The form as LibreOffice's own format would hold it: each sheet's cells (text as text,
    numbers as floats), so that its hidden sheet keeps its signature; `change(content)` edits
    content.xml (bytes) before it is written."""
    from xml.sax.saxutils import escape, quoteattr

    wb = openpyxl.load_workbook(xlsx)
    tables = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                v = c.value
                if v is None:
                    cells.append("<table:table-cell/>")
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    cells.append(f'<table:table-cell office:value-type="float" office:value="{v}"/>')
                else:
                    cells.append(f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}'
                                 "</text:p></table:table-cell>")
            rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(f"<table:table table:name={quoteattr(ws.title)}>" + "".join(rows) + "</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               + "".join(tables) + "</office:spreadsheet></office:body></office:document-content>").encode()
    if change is not None:
        content = change(content)
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_an_ods_form_is_read_and_its_damaged_shapes_refused(filled, kehoach, tmp_path):
    plan, form, _ = filled
    good = tmp_path / "tot.ods"
    to_ods(form, good)
    assert kehoach("collect", good, "-p", plan, "--dry-run", *AS_OF)[0] == 0
    shapes = {
        "inf": lambda b: b.replace(b'office:value="80"', b'office:value="1e999"', 1),
        "nan": lambda b: b.replace(b'office:value="80"', b'office:value="nan"', 1),
        "repeat": lambda b: b.replace(b"<table:table-row>", b'<table:table-row table:number-rows-repeated="x">', 1),
        "truncated": lambda b: b[: len(b) // 2],
    }
    for shape, change in shapes.items():
        broken = tmp_path / f"{shape}.ods"
        to_ods(form, broken, change)
        code, out, err = kehoach("collect", broken, "-p", plan, "--partial", *AS_OF)
        assert code == 1 and "[form-damaged]" in out and "Traceback" not in err, (shape, out, err)


def in_table(extra: str, number: int = 2):
    """A change of content.xml: `extra` rows at the end of table `number` (the form's is the second)."""
    def change(data: bytes) -> bytes:
        parts = data.split(b"</table:table>")
        parts[number - 1] += extra.encode()
        return b"</table:table>".join(parts)
    return change


def test_an_ods_form_with_a_value_past_the_last_row_is_refused(filled, kehoach, tmp_path):
    plan, form, _ = filled
    far = tmp_path / "xa.ods"
    to_ods(form, far, in_table('<table:table-row table:number-rows-repeated="6000"><table:table-cell/>'
                               '</table:table-row><table:table-row><table:table-cell office:value-type="string">'
                               "<text:p>x</text:p></table:table-cell></table:table-row>"))
    code, _, err = kehoach("collect", far, "-p", plan, *AS_OF)
    assert code == 2 and "quá 5000 dòng" in err
    many = tmp_path / "nhieu.ods"  # one row with a value, repeated past the limit
    to_ods(form, many, in_table('<table:table-row table:number-rows-repeated="6000"><table:table-cell '
                                'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'))
    code, _, err = kehoach("collect", many, "-p", plan, *AS_OF)
    assert code == 2 and "quá 5000 dòng" in err
    empty = tmp_path / "rong.ods"  # LibreOffice's own empty rows to the sheet's end: nothing refused
    to_ods(form, empty, in_table('<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
                                 "</table:table-row>"))
    assert kehoach("collect", empty, "-p", plan, "--dry-run", *AS_OF)[0] == 0


# ---------------------------------------------------------------- rows past the limit


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_value_past_the_last_row_read_refuses_the_form(filled, kehoach, tmp_path):
    """Before: rows past 5,000 were ignored silently (docs/security.md says refused). After:
    `form-too-many-rows`, exit 2; a row numbered a billion is refused at once (openpyxl's own
    reader would fill every row before it); a styled empty row below is no value."""
    plan, form, _ = filled
    limit = forms.HEADER_ROW + forms.workbook.MAX_ROWS
    for number in (limit + 1, 10**9):
        far = tmp_path / f"xa-{number}.xlsx"
        rewrite(form, far, FORM_SHEET, lambda b, n=number: b.replace(b"</sheetData>", (
            f'<row r="{n}"><c r="J{n}" t="inlineStr"><is><t>Đạt</t></is></c></row></sheetData>').encode()))
        code, _, err = kehoach("collect", far, "-p", plan, *AS_OF)
        assert code == 2 and "quá 5000 dòng" in err and str(far) in err, err
    styled = tmp_path / "kieu.xlsx"
    rewrite(form, styled, FORM_SHEET, lambda b: b.replace(b"</sheetData>", (
        f'<row r="{limit + 1}"><c r="J{limit + 1}" s="1"/></row><row r="1048576"><c r="A1048576" s="1"/></row>'
        "</sheetData>").encode()))
    assert kehoach("collect", styled, "-p", plan, "--dry-run", *AS_OF)[0] == 0
    last = tmp_path / "cuoi.xlsx"  # the last row read is read
    rewrite(form, last, FORM_SHEET, lambda b: b.replace(b"</sheetData>", (
        f'<row r="{limit}"><c r="B{limit}" t="inlineStr"><is><t>II.4.b</t></is></c>'
        f'<c r="J{limit}" t="inlineStr"><is><t>Thêm</t></is></c></row></sheetData>').encode()))
    code, out, _ = kehoach("collect", last, "-p", plan, "--dry-run", *AS_OF)
    assert f"J{limit}" in out or f"B{limit}" in out


# ---------------------------------------------------------------- the hidden sheet's period


def edit_meta(src: Path, dst: Path, changes: dict[str, str], key: bytes | None) -> None:
    """`src` with hidden-sheet values changed, signed again with `key` (the office's own, as a
    stolen key or a bug would), or left unsigned as a version-1 form (`--allow-unsigned`)."""
    wb = openpyxl.load_workbook(src)
    meta = wb[forms.META]
    pairs, rows, blank = [], [], False
    for row in meta.iter_rows():
        if row[0].value is None:
            blank = True
            continue
        if not blank:
            if row[0].value in changes:
                row[1].value = changes[row[0].value]
            pairs.append((str(row[0].value), "" if row[1].value is None else str(row[1].value)))
        else:
            values = ["" if c.value is None else str(c.value) for c in row]
            while values and not values[-1]:
                values.pop()
            rows.append(values)
    for row in meta.iter_rows():
        if row[0].value == "signature":
            row[1].value = sign(key, pairs, rows) if key is not None else "0"
    wb.save(dst)


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_hidden_sheet_whose_period_is_not_the_plans_is_refused(filled, kehoach, tmp_path):
    """Before: a form whose hidden sheet moves the start of its period back (2021-Q3 from
    01/01/2021) recorded results dated in January without a word. After: `form-period-mismatch`."""
    plan, form, _ = filled
    key = form_key(plan)
    fill(form, {"II.4.b": {"date": "2021-02-01"}})
    backdated = tmp_path / "lui.xlsx"
    edit_meta(form, backdated, {"start": "2021-01-01"}, key)
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", backdated, "-p", plan, *AS_OF)
    assert code == 1 and "[form-period-mismatch]" in out and "01/7/2021" in out, out
    assert plan.read_text(encoding="utf-8") == text
    elsewhere = tmp_path / "ngoai.xlsx"
    edit_meta(form, elsewhere, {"period": "2019-Q3", "start": "2019-07-01", "end": "2019-09-30",
                                "due": "2019-09-24"}, key)
    code, out, _ = kehoach("collect", elsewhere, "-p", plan, *AS_OF)
    assert code == 1 and "[form-period-mismatch]" in out
    first = tmp_path / "dau.xlsx"  # a first day before the plan's: never earlier than the plan's own
    edit_meta(form, first, {"first_day": "2020-01-01"}, key)
    fill(first, {"II.4.b": {"date": "2020-06-01"}})
    code, out, _ = kehoach("collect", first, "-p", plan, *AS_OF)
    assert code == 1 and "[form-date-before-plan]" in out


# ---------------------------------------------------------------- formulas


@pytest.mark.parametrize("words", [" =1+1", "\t=HYPERLINK(\"http://x\")", "\n=1+1", "\ufeff=1+1",
                                   "- =1+1\nthêm", "\u00a0=1+1"])
def test_text_that_is_a_formula_once_stripped_is_refused(filled, kehoach, words):
    """Before: the check ran before the text was stripped and its lines joined: '- =1+1' then
    'thêm' was stored as '=1+1; thêm'. After: checked on the text as it would be stored."""
    plan, form, _ = filled
    fill(form, {"II.4.b": {"result": words}})
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", form, "-p", plan, *AS_OF)
    assert code == 1 and "[form-formula]" in out and plan.read_text(encoding="utf-8") == text


# ---------------------------------------------------------------- warnings


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_openpyxls_warnings_never_reach_the_terminal_raw(filled, tmp_path):
    """openpyxl warns with the workbook's own text (a custom property's name): before, a reversing
    mark and a C1 control sequence reached stderr raw."""
    plan, form, _ = filled
    hostile = tmp_path / "canh-bao.xlsx"
    name = "x\u202egnp.exe\u009b31m"
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}">'
              "<vt:blob>AA==</vt:blob></property></Properties>").encode()
    staged = tmp_path / "staged.xlsx"
    rewrite(form, staged, "[Content_Types].xml", lambda b: b.replace(b"</Types>", (
        b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.custom-properties+xml"/></Types>')), {"docProps/custom.xml": custom})
    rewrite(staged, hostile, "_rels/.rels", lambda b: b.replace(b"</Relationships>", (
        b'<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'custom-properties" Target="docProps/custom.xml"/></Relationships>')))
    proc = subprocess.run([sys.executable, "-W", "always", "-m", "kehoach", "collect", str(hostile), "-p", str(plan),
                           "--dry-run", *AS_OF], capture_output=True, timeout=120)
    both = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1, 2) and b"Traceback" not in both
    assert "\u202e".encode() not in both and "\u009b".encode() not in both


# ---------------------------------------------------------------- a batch's memory


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_batch_does_not_keep_every_workbook_it_read(filled, tmp_path):
    """`kehoach` runs with the cycle collector off; openpyxl leaves each workbook it read in
    reference cycles. Before: every workbook of a batch stayed in memory (about 0.5 MB a form:
    2,000 forms, 1.4 GB). After: the collector is on while forms are read, and off again after."""
    from openpyxl.workbook.workbook import Workbook

    plan, form, _ = filled
    copies = []
    for i in range(30):
        copies.append(tmp_path / f"ban-{i}.xlsx")
        shutil.copy(form, copies[-1])
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        import datetime as dt

        forms.collect(plan, copies, dt.date(2021, 9, 25), dry_run=True)
        assert not gc.isenabled()  # as it was
        alive = sum(isinstance(o, Workbook) for o in gc.get_objects())
    finally:
        if was:
            gc.enable()
    assert alive < 5, alive


# ---------------------------------------------------------------- two at once


@pytest.mark.slow
def test_two_collects_of_one_form_at_once_record_it_once(filled, tmp_path):
    """Before: both read the plan before the lock and both wrote (10 of 10 runs). After: the
    check is asked again under the plan's lock, of the plan as it is then: 20 of 20 once."""
    _, form, _ = filled
    plan0 = next(p for p in filled[0].parent.iterdir() if p.suffix == ".yaml")
    for run in range(20):
        folder = tmp_path / f"run-{run}"
        folder.mkdir()
        plan = folder / plan0.name
        shutil.copy(plan0, plan)
        shutil.copy(plan0.parent / forms.KEY_FILE, folder / forms.KEY_FILE)
        cmd = [sys.executable, "-m", "kehoach", "collect", str(form), "-p", str(plan), *AS_OF]
        both = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        codes = [p.wait(timeout=120) for p in both]
        for p in both:
            p.stdout.close()
            p.stderr.close()
        assert codes == [0, 0], codes
        entries = [e for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress
                   if e.note == "Đạt"]
        assert len(entries) == 1, f"run {run}: recorded {len(entries)} times"


def test_a_cell_longer_than_excel_holds_is_refused_and_the_plan_stays_readable(filled, kehoach):
    """A returned form carried 4 MB of text in one cell (Excel holds 32,767 characters in a cell):
    collect wrote it, the plan grew past the size every command reads, and every later command
    refused the plan. Now the row is refused at its cell and nothing is written."""
    plan, form, _ = filled
    fill(form, {"II.4.b": {"result": "LONG-TEXT-HERE"}})  # openpyxl cuts a text at 32,767: the sender's zip
    with zipfile.ZipFile(form) as z:
        member = next(n for n in z.namelist() if b"LONG-TEXT-HERE" in z.read(n))
    long = form.with_name("long.xlsx")
    rewrite(form, long, member, lambda data: data.replace(b"LONG-TEXT-HERE", ("Đã tổ chức hội nghị " * 2000).encode()))
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", long, "-p", plan, *AS_OF)
    assert code == 1 and "[form-text-too-long]" in out, out[:300]
    assert "40000" not in out and len(out) < 2000  # said in a line, not repeated whole
    assert plan.read_text(encoding="utf-8") == text


def test_excels_character_codes_are_read_as_excel_reads_them(filled, kehoach):
    """Excel reads `_x001B_` in a cell as the character ESC: typed into a returned form it passed
    every control-character check as plain text, and became ESC in the plan's exports. Now a
    form's cell is read as Excel reads it (refused: a hidden character), and `_x005F_` (Excel's
    own escape of "_") reads back as the text typed."""
    plan, form, _ = filled
    fill(form, {"II.4.b": {"result": "PLACE-HOLDER"}})
    hostile = form.with_name("hostile.xlsx")
    with zipfile.ZipFile(form) as z:
        member = next(n for n in z.namelist() if b"PLACE-HOLDER" in z.read(n))
    rewrite(form, hostile, member, lambda data: data.replace(b"PLACE-HOLDER", b"Xong _x001B_[31m"))
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", hostile, "-p", plan, *AS_OF)
    assert code == 1 and "[form-control-character]" in out and "U+001B" in out, out[:400]
    assert plan.read_text(encoding="utf-8") == text
    literal = form.with_name("literal.xlsx")
    rewrite(form, literal, member, lambda data: data.replace(b"PLACE-HOLDER", b"Ma _x005F_x0041_ giu nguyen"))
    code, out, err = kehoach("collect", literal, "-p", plan, *AS_OF)
    assert code == 0, out + err
    assert "Ma _x0041_ giu nguyen" in plan.read_text(encoding="utf-8")


def test_plan_text_that_looks_like_an_excel_character_code_is_stored_as_text(tmp_path, kehoach):
    """A note holding `_x0007_` exported to Excel: stored as `_x005F_x0007_`, which Excel shows as
    typed (it became a BEL character in LibreOffice and any character in Excel)."""
    from plans_for_tests import plan_yaml

    plan = tmp_path / "p.yaml"
    plan.write_text(plan_yaml("""- id: t
  title: Việc có mã _x0007_ trong tên
  lead: [a]
  deadline: 2021-09-30
  progress:
    - {date: 2021-05-10, percent: 30, note: "ok _x202E_evil_x202C_"}
"""), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    code, _, err = kehoach("export", "-p", plan, "--as-of", "2021-07-01", "-o", out)
    assert code == 0, err
    with zipfile.ZipFile(out) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/"))
    assert b"_x005F_x0007_" in xml and b"ok _x005F_x202E_evil_x005F_x202C_" in xml
    assert b"n\xc3\xa3 _x0007_" not in xml and b" _x0007_" not in xml


def test_a_form_that_does_not_say_when_it_was_saved_is_dated_by_its_file(filled, kehoach, tmp_path):
    """Two versions of one body's form whose workbooks record no saved time: openpyxl gives such
    a workbook the time it is read, so the version named last on the command line won and was
    called "the later one". Now the file's own time tells them apart."""
    import os
    import re as re_

    plan, form, _ = filled

    def unstamped(result: str, name: str, when: float) -> Path:
        fill(form, {"II.4.b": {"result": result}})
        out = tmp_path / name
        rewrite(form, out, "docProps/core.xml",
                lambda d: re_.sub(rb"<dcterms:(modified|created)[^>]*>[^<]*</dcterms:\1>", b"", d))
        os.utime(out, (when, when))
        return out

    first = unstamped("Bản đầu", "v1.xlsx", 1_700_000_000)
    later = unstamped("Bản sửa sau", "v2.xlsx", 1_700_000_600)
    code, out, err = kehoach("collect", later, first, "-p", plan, *AS_OF)
    assert code == 0, out + err
    text = plan.read_text(encoding="utf-8")
    assert "Bản sửa sau" in text and "Bản đầu" not in text


def test_a_refused_value_is_quoted_whole_or_cut_with_an_ellipsis(filled, kehoach):
    """"ngày 15 tháng 11 năm 2021" typed as a date was quoted 'ngày 15 tháng 11 năm': a value the
    cell does not hold. It is quoted whole when short, else cut at a word with "…"."""
    plan, form, _ = filled
    fill(form, {"II.4.b": {"date": "ngày 15 tháng 11 năm 2021", "percent": "khoảng bảy mươi phần trăm"}})
    code, out, _ = kehoach("collect", form, "-p", plan, *AS_OF)
    assert code == 1
    assert "'ngày 15 tháng 11 năm 2021'" in out and "'khoảng bảy mươi phần trăm'" in out, out[:600]


def test_a_file_refused_with_partial_is_named_once(filled, kehoach, tmp_path):
    """`collect --partial` on a file that is no workbook: "j.xlsx: lỗi: j.xlsx không phải tệp Excel"."""
    plan, form, _ = filled
    junk = tmp_path / "j.xlsx"
    junk.write_text("junk", encoding="utf-8")
    code, out, err = kehoach("collect", junk, form, "-p", plan, "--partial", *AS_OF)
    line = next(x for x in (out + err).splitlines() if "[form-not-xlsx]" in x)
    assert line.count("j.xlsx") == 1, line


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("shape", ["fifo", "dangling-link", "huge"])
def test_a_form_key_that_is_no_key_file_is_refused_not_waited_on(office, kehoach, shape):  # noqa: F811
    """A plan folder from outside may bring its `.kehoach-key`: a FIFO hung `request` and
    `collect`, a link to nothing ended in "internal error" (AssertionError), /dev/zero in a
    MemoryError."""
    import os

    plan, made = office
    key = plan.parent / ".kehoach-key"
    key.unlink()
    if shape == "fifo":
        os.mkfifo(key)
    elif shape == "dangling-link":
        key.symlink_to(plan.parent / "nowhere" / "key")
    else:
        key.write_bytes(b"0" * 5_000_000)
    code, _, err = kehoach("request", "--plan", plan, "--period", "Q3", "-o", plan.parent / "again", *AS_OF)
    assert code == 2 and "khóa ký phiếu" in err and "internal" not in err
    code, _, err = kehoach("collect", *made.values(), "--plan", plan, "--dry-run", *AS_OF)
    assert code == 2 and "khóa ký phiếu" in err


@pytest.mark.parametrize("ledger", ["[" * 200_000 + "]" * 200_000,
                                    '[{"plan": "dv-demo-2021", "body": [1], "period": "2021-Q3", "content": "y"},'
                                    ' {"plan": "dv-demo-2021", "body": "so-tnmt", "saved": 5, "collected": 7}]'])
@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_list_of_forms_collected_that_is_not_one_is_read_as_none(filled, kehoach, ledger):
    """`.kehoach-forms.json` nested 200,000 deep, or with records of the wrong types, ended
    `collect` and `request` in "internal error" (RecursionError, TypeError)."""
    plan, form, _ = filled
    (plan.parent / ".kehoach-forms.json").write_text(ledger, encoding="utf-8")
    code, _, err = kehoach("collect", form, "--plan", plan, "--dry-run", *AS_OF)
    assert code == 0, err
    code, _, err = kehoach("request", "--plan", plan, "--period", "Q3", "-o", plan.parent / "again", *AS_OF)
    assert code == 0, err


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_body_whose_form_is_refused_is_still_waited_for(filled, kehoach):
    """A form refused for a formula wrote nothing, yet its body left the run's "not yet received"
    list (text and JSON): the clerk would read that the body had sent its form (the end-to-end check)."""
    import json

    plan, form, _ = filled
    assert kehoach("request", "--plan", plan, "--period", "Q3", "-o", plan.parent / "sent", *AS_OF)[0] == 0
    fill(form, {"II.4.b": {"result": "=1+1"}})
    code, out, _ = kehoach("collect", form, "-p", plan, *AS_OF, "-f", "json")
    assert code == 1
    missing = json.loads(out)["missing"]
    assert any("thanh-tra-tinh" in bodies for bodies in missing.values()), missing
