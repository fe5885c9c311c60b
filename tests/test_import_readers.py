"""The importer's readers (`life/importer/read*.py`): what `read_document` gives for each form a
plan comes in — text, Markdown, Word (numbers typed or Word's own numbering, tables) and PDF —
and what it refuses (a scan, a locked or overlong PDF, a zip that is not a Word file), every
reader in time linear in its input. The sources are written by the tests (tests/importforms.py)."""

from __future__ import annotations

import io
import shutil
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import importforms as forms
from kehoach.base.messages import Msg
from kehoach.life.importer.lines import BLANK, BULLET, CELL, HEADING, ITEM, RULE, TEXT
from kehoach.life.importer.read import NotText, read_document, read_source
from kehoach.life.importer.readpdf import MAX_PAGES, BadPdf, LockedPdf, LongPdf, ScannedPdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args: object) -> tuple[int, str, str]:
    from kehoach.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def words(source, kind=None) -> list[str]:
    return [line.text for line in source.lines if kind is None or line.kind == kind]


# ---------------------------------------------------------------- dispatch


def test_text_is_one_line_per_line(tmp_path):
    source = read_document(write(tmp_path / "plan.txt", "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n1. Một\x1b[0m\n"))
    assert [(x.n, x.kind, x.text) for x in source.lines] == [
        (1, TEXT, "KẾ HOẠCH"), (2, BLANK, ""), (3, TEXT, "I. MỤC ĐÍCH"), (4, TEXT, "1. Một [0m")]
    assert source.unit == "dòng" and source.name == "plan.txt"
    assert read_source(tmp_path / "plan.txt") == source.texts()


def test_the_reader_is_chosen_by_content_not_by_name(tmp_path):
    docx = forms.docx_2021(tmp_path / "plan.docx")
    misnamed = tmp_path / "plan.txt"
    misnamed.write_bytes(docx.read_bytes())
    assert read_document(misnamed).unit == "đoạn"
    assert read_document(misnamed).texts() == read_document(docx).texts()
    pdf = forms.text_pdf(tmp_path / "plan.pdf", ["Ke hoach so 12-KH/BDVTU", "I. Muc dich, yeu cau"])
    named_text = tmp_path / "pdf.txt"
    named_text.write_bytes(pdf.read_bytes())
    assert read_document(named_text).texts() == ["Ke hoach so 12-KH/BDVTU", "I. Muc dich, yeu cau"]


def test_a_zip_that_is_not_a_word_file_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "book.txt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(NotText):
        read_document(path)


# ---------------------------------------------------------------- Markdown


@pytest.fixture(scope="module")
def md_2021(tmp_path_factory):
    return read_document(write(tmp_path_factory.mktemp("md") / "ke-hoach-2021.md", forms.MD_2021))


@pytest.fixture(scope="module")
def md_45(tmp_path_factory):
    return read_document(write(tmp_path_factory.mktemp("md") / "ke-hoach-45.md", forms.MD_45))


def test_markdown_headings_rules_and_numbers(md_2021):
    source = md_2021
    headings = [(x.level, x.text) for x in source.lines if x.kind == HEADING]
    assert headings[:3] == [(1, "KẾ HOẠCH"), (2, "I. Mục đích, yêu cầu"), (2, "II. Nội dung phối hợp")]
    assert (3, "1. Ban Dân vận Tỉnh ủy") in headings and (2, "IV. Tổ chức thực hiện") in headings
    rules = [x for x in source.lines if x.kind == RULE]
    assert [(x.n, x.text) for x in rules] == [(10, ""), (88, "")]  # never words, never a task
    items = [x for x in source.lines if x.kind == ITEM]
    assert [x.marker for x in items] == ["1", "2", "3", "4"] + [str(k) for k in range(1, 10)] + ["1", "2", "3", "4"]
    assert all(x.text.startswith(f"{x.marker}. ") for x in items)
    # the marks are gone, the words stay: bold, italics, the escaped star
    assert "Phối hợp thực hiện công tác dân vận năm 2021" in source.texts()
    line_36 = next(x for x in source.lines if x.n == 36)
    assert line_36.text.startswith("Ban Cán sự đảng UBND tỉnh chỉ đạo UBND tỉnh chỉ đạo")
    assert not any("**" in t or t.startswith("#") for t in source.texts())


def test_markdown_lines_keep_their_numbers(md_2021):
    file_lines = forms.MD_2021.splitlines()
    assert max(x.n for x in md_2021.lines) == len(file_lines) == 113
    for line in md_2021.lines:
        typed = file_lines[line.n - 1]
        if line.kind == BLANK:
            assert not typed.strip()
        elif line.kind in (TEXT, HEADING):
            assert line.text[:30] in typed.replace("**", "").replace("*", ""), line
        elif line.kind in (ITEM, BULLET):
            assert line.text.split(" ", 1)[1][:30] in typed


def test_markdown_nested_bullets_have_their_depth(md_2021):
    bullets = [x for x in md_2021.lines if x.kind == BULLET]
    assert all(x.text.startswith("- ") and x.marker == "-" for x in bullets)
    deep = [x.n for x in bullets if x.level == 1]
    assert deep == [74, 76, 78, 80, 82]  # IV.3's indented bullets
    assert len(bullets) == 6 + 5 + 17


def test_markdown_header_and_signature_tables_read_column_by_column(md_2021, md_45):
    head, signs = md_2021.tables
    assert head.layout and signs.layout and not head.roles
    first = [x.text for x in md_2021.lines[:5]]
    assert first == ["BAN DÂN VẬN TỈNH ỦY - BAN CÁN SỰ ĐẢNG UBND TỈNH", "*", "Số 49-KH/BDVTU-BCSĐUBND",
                     "ĐẢNG CỘNG SẢN VIỆT NAM", "Quảng Ngãi, ngày 14 tháng 01 năm 2021"]
    assert all(x.kind == CELL and x.table == 0 for x in md_2021.lines[:5])
    sign = [x.text for x in md_2021.lines if x.table == 1]
    assert sign == ["T/M BAN CÁN SỰ ĐẢNG UBND TỈNH", "PHÓ BÍ THƯ", "Võ Phiên", "BAN DÂN VẬN TỈNH ỦY", "TRƯỞNG BAN",
                    "Võ Thanh An"]
    # <br> in a cell: lines of their own, with the row's number; stacked issuer lines stay together
    assert [(x.n, x.text) for x in md_45.lines[:6]] == [
        (1, "ỦY BAN NHÂN DÂN"), (1, "TỈNH KON TUM"), (3, "Số: 45/KH-UBND"),
        (1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (1, "Độc lập - Tự do - Hạnh phúc"),
        (3, "Kon Tum, ngày 10 tháng 3 năm 2023")]
    recipients = [x.text for x in md_45.lines if x.table == 1]
    assert recipients[0] == "Nơi nhận:" and recipients[6] == "- Lưu: VT, NC."
    assert recipients[7:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Hòa"]


def test_markdown_assignment_table(md_45):
    table = md_45.tables[2]
    assert table.roles == {0: "stt", 1: "content", 2: "lead", 3: "support", 4: "deadline"}
    assert table.assignment and table.header_rows == 1 and not table.layout
    assert len(table.rows) == 15  # header, 3 groups, 11 rows
    assert [c[0].text if c else "" for c in table.rows[1]] == ["I", "Tuyên truyền, phổ biến Luật", "", "", ""]
    row = table.rows[2]
    assert [c[0].text for c in row] == ["1", "Biên soạn tài liệu giới thiệu Luật Thực hiện dân chủ ở cơ sở",
                                        "Sở Tư pháp", "Sở Nội vụ", "Quý II/2023"]
    assert {x.n for c in row for x in c} == {70} and [x.col for c in row for x in c] == [0, 1, 2, 3, 4]
    deadlines = [r[4][0].text for r in table.rows[1:] if r[4]]
    assert deadlines[-1] == "Hằng quý, 6 tháng, năm" and len(deadlines) == 11


@pytest.mark.parametrize("header, roles", [
    ("| TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn | Sản phẩm | Ghi chú |",
     {0: "stt", 1: "content", 2: "lead", 3: "support", 4: "deadline", 5: "product", 6: "note"}),
    ("| STT | NOI DUNG | THOI GIAN THUC HIEN |", {0: "stt", 1: "content", 2: "deadline"}),
    ("| Cột một | Cột hai | Cột ba |", {}),
])
def test_markdown_column_roles_from_header_words(tmp_path, header, roles):
    width = header.count("|") - 1
    text = f"{header}\n|{'---|' * width}\n|{' x |' * width}\n"
    table = read_document(write(tmp_path / "t.md", text)).tables[0]
    assert table.roles == roles
    assert not table.layout


def test_markdown_small_forms(tmp_path):
    text = ("Tiêu đề\n=======\n\n3) Ba\n4) Bốn\n\n* sao\n+ cộng\n\n*\n\nChữ `mã` và [liên kết](http://x) và "
            "![hình](a.png)\n\n```\nkhối mã\n```\n")
    source = read_document(write(tmp_path / "s.md", text))
    got = [(x.n, x.kind, x.text) for x in source.lines if x.kind != BLANK]
    assert got == [(1, HEADING, "Tiêu đề"), (4, ITEM, "3) Ba"), (5, ITEM, "4) Bốn"), (7, BULLET, "- sao"),
                   (8, BULLET, "- cộng"), (10, BULLET, "*"), (12, TEXT, "Chữ mã và liên kết và hình"),
                   (15, TEXT, "khối mã")]


def test_markdown_paragraph_lines_stay_lines(tmp_path):
    text = "1. Phòng Dân vận Chính quyền và Đoàn thể:\na) Theo dõi;\nb) Định kỳ báo cáo.\n"
    source = read_document(write(tmp_path / "p.md", text))
    assert [(x.n, x.text) for x in source.lines] == [
        (1, "1. Phòng Dân vận Chính quyền và Đoàn thể:"), (2, "a) Theo dõi;"), (3, "b) Định kỳ báo cáo.")]


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "| " + " | ".join(f"c{k}" for k in range(10_000)) + " |\n|" + "---|" * 10_000 + "\n|" + " x |" * 10_000 + "\n",
    "| a | b |\n|---|---|\n" + "| x |\n" * 20_000,
    "*a " * 30_000 + "\n",
    "[" * 30_000 + "\n",
    "- " * 5_000 + "x\n",
    "> " * 5_000 + "x\n",
    "| " * 30_000 + "\n",
], ids=["10000-columns", "20000-short-rows", "stars", "brackets", "nested-bullets", "nested-quotes", "pipes"])
def test_markdown_hostile_shapes_stay_fast(tmp_path, text):
    path = write(tmp_path / "h.md", text)
    start = time.perf_counter()
    source = read_document(path)
    assert time.perf_counter() - start < 5
    assert source.lines


# ---------------------------------------------------------------- Word


@pytest.fixture(scope="module")
def word(tmp_path_factory):
    here = tmp_path_factory.mktemp("docx")
    return {name: read_document(build(here / f"{name}.docx")) for name, build in {
        "typed": lambda p: forms.docx_2021(p, auto=False),
        "auto": lambda p: forms.docx_2021(p, auto=True),
        "body": lambda p: forms.docx_45(p, table_body=True),
        "appendix": lambda p: forms.docx_45(p, table_body=False),
    }.items()}


def test_word_numbering_gives_the_typed_numbers(word):
    typed, auto = word["typed"], word["auto"]
    assert auto.texts() == typed.texts()
    assert auto.unit == "đoạn" and len(auto.lines) == 71
    markers = [x.marker for x in auto.lines if x.kind == ITEM]
    assert markers == (["I", "1", "2", "3", "4", "II"] + [str(k) for k in range(1, 10)]
                       + ["III", "1", "2", "IV", "1", "2", "3", "4"])
    assert [x.text for x in auto.lines if x.marker == "II"] == ["II. Nội dung phối hợp"]
    assert {x.level for x in auto.lines if x.kind == ITEM and x.marker in ("I", "II", "III", "IV")} == {0}
    # List Bullet's numbering comes from the style: "-" whatever Word draws
    bullets = [x for x in auto.lines if x.kind == BULLET]
    assert len(bullets) == 6 + 5 + 17 and all(x.text.startswith("- ") for x in bullets)
    assert all(x.marker is None for x in typed.lines)  # typed numbers are words, not markers


def test_word_tables_header_and_signatures_column_by_column(word):
    auto = word["auto"]
    assert [x.text for x in auto.lines[:5]] == ["BAN DÂN VẬN TỈNH ỦY - BAN CÁN SỰ ĐẢNG UBND TỈNH", "*",
                                                "Số 49-KH/BDVTU-BCSĐUBND", "ĐẢNG CỘNG SẢN VIỆT NAM",
                                                "Quảng Ngãi, ngày 14 tháng 01 năm 2021"]
    assert [x.n for x in auto.lines[:5]] == [1, 3, 5, 2, 6]  # paragraphs counted row by row
    assert [x.text for x in auto.lines if x.table == 1][:3] == ["T/M BAN CÁN SỰ ĐẢNG UBND TỈNH", "PHÓ BÍ THƯ",
                                                                  "Võ Phiên"]


def test_word_assignment_table_with_merged_group_rows(word):
    body = word["body"]
    table = next(t for t in body.tables if t.roles)
    assert table.assignment and table.header_rows == 1 and len(table.rows) == 15
    group = table.rows[1]
    assert [[x.text for x in c] for c in group] == [["I"], ["Tuyên truyền, phổ biến Luật"], [], [], []]
    assert [x.col for c in group for x in c] == [0, 1]
    cells = [x for x in body.lines if x.table == body.tables.index(table)]
    assert len(cells) == 5 + 3 * 2 + 11 * 5  # every cell once, row by row
    assert [x.text for x in cells[5:12]] == ["I", "Tuyên truyền, phổ biến Luật", "1",
                                             "Biên soạn tài liệu giới thiệu Luật Thực hiện dân chủ ở cơ sở",
                                             "Sở Tư pháp", "Sở Nội vụ", "Quý II/2023"]


def _doc():
    return forms.new_document()


def _read(doc, tmp_path, name="n.docx"):
    path = tmp_path / name
    doc.save(str(path))
    return read_document(path)


def test_numbering_restart_levels_and_formats(tmp_path):
    doc = _doc()
    nid = forms.add_multilevel(doc, [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%1.%2.%3.")])
    for ilvl, text in [(0, "một"), (1, "a"), (1, "b"), (2, "sâu"), (0, "hai"), (1, "lại a"), (2, "sâu")]:
        forms.numbered(doc.add_paragraph(text), nid, ilvl)
    assert _read(doc, tmp_path).texts() == ["1. một", "a) a", "b) b", "1.b.i. sâu", "2. hai", "a) lại a",
                                            "2.a.i. sâu"]


def test_numbering_level_that_never_restarts(tmp_path):
    doc = _doc()
    nid = forms.add_multilevel(doc, [("upperRoman", "%1."), ("decimal", "%2.")], restarts={1: 0})
    for ilvl in (0, 1, 1, 0, 1):
        forms.numbered(doc.add_paragraph("x"), nid, ilvl)
    assert _read(doc, tmp_path).texts() == ["I. x", "1. x", "2. x", "II. x", "3. x"]


def test_numbering_start_and_start_override(tmp_path):
    doc = _doc()
    nid = forms.add_multilevel(doc, [("upperLetter", "%1.")], starts={0: 3})
    again = forms.restart_list(doc, nid, start=1)
    for num in (nid, nid, again, again, nid):
        forms.numbered(doc.add_paragraph("x"), num, 0)
    # a list restarted by a <w:num> with a startOverride starts again; both share the counter
    assert _read(doc, tmp_path).texts() == ["C. x", "D. x", "A. x", "B. x", "C. x"]


def test_numbering_through_styles_and_num_id_zero(tmp_path):
    doc = _doc()
    doc.add_paragraph("một", style="List Number")
    doc.add_paragraph("hai", style="List Number")
    off = doc.add_paragraph("không số", style="List Number")
    forms.numbered(off, 0, 0)  # numId 0: the style's numbering taken off
    doc.add_paragraph("chấm", style="List Bullet")
    # a style of our own based on List Number: the numbering comes down the chain
    styles = doc.styles.element
    mine = forms.el("w:style", type="paragraph", styleId="KeHoach")
    mine.append(forms.el("w:name", val="Kế hoạch"))
    mine.append(forms.el("w:basedOn", val="ListNumber"))
    styles.append(mine)
    p = doc.add_paragraph("ba")
    p._p.get_or_add_pPr().append(forms.el("w:pStyle", val="KeHoach"))
    source = _read(doc, tmp_path)
    assert source.texts() == ["1. một", "2. hai", "không số", "- chấm", "3. ba"]
    assert [x.kind for x in source.lines] == [ITEM, ITEM, TEXT, BULLET, ITEM]


def test_numbering_style_chain_that_cycles_is_cut(tmp_path):
    doc = _doc()
    styles = doc.styles.element
    for sid, based in (("A", "B"), ("B", "A")):
        style = forms.el("w:style", type="paragraph", styleId=sid)
        style.append(forms.el("w:name", val=f"Kiểu {sid}"))
        style.append(forms.el("w:basedOn", val=based))
        styles.append(style)
    for _ in range(3):
        p = doc.add_paragraph("vòng")
        p._p.get_or_add_pPr().append(forms.el("w:pStyle", val="A"))
    start = time.perf_counter()
    assert _read(doc, tmp_path).texts() == ["vòng"] * 3
    assert time.perf_counter() - start < 2


def test_numbering_out_of_range_counts_are_digits(tmp_path):
    doc = _doc()
    nid = forms.add_multilevel(doc, [("upperRoman", "%1."), ("lowerLetter", "%2)")], starts={0: 5000, 1: 900})
    forms.numbered(doc.add_paragraph("x"), nid, 0)
    forms.numbered(doc.add_paragraph("y"), nid, 1)
    assert _read(doc, tmp_path).texts() == ["5000. x", "900) y"]


def test_word_runs_breaks_tabs_and_hidden_words(tmp_path):
    doc = _doc()
    p = doc.add_paragraph()
    p.add_run("Quảng Ngãi,")
    p.add_run().add_break()
    p.add_run("ngày 14\ttháng 01")
    run = p.add_run()
    run._r.append(forms.el("w:noBreakHyphen"))
    deleted = forms.el("w:delText")
    deleted.text = "XOÁ"
    p.add_run()._r.append(deleted)
    field = forms.el("w:instrText")
    field.text = " PAGE "
    p.add_run()._r.append(field)
    p.add_run("năm 2021")
    doc.add_paragraph("")
    doc.add_paragraph("sau")
    source = _read(doc, tmp_path)
    assert [(x.n, x.kind, x.text) for x in source.lines] == [
        (1, TEXT, "Quảng Ngãi,"), (1, TEXT, "ngày 14 tháng 01-năm 2021"), (2, BLANK, ""), (3, TEXT, "sau")]


def test_word_merged_cells(tmp_path):
    doc = _doc()
    table = doc.add_table(rows=4, cols=4)
    for c, header in enumerate(["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"]):
        table.cell(0, c).text = header
    for r in (1, 2, 3):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text = f"Việc {r}"
    lead = table.cell(1, 2).merge(table.cell(3, 2))  # one lead for three rows (vMerge)
    lead.text = "Sở Tư pháp"
    table.cell(1, 3).text = "Quý II/2023"
    span = table.cell(3, 0).merge(table.cell(3, 1))  # gridSpan over two columns
    span.text = "Gộp"
    source = _read(doc, tmp_path)
    t = source.tables[0]
    assert t.roles == {0: "stt", 1: "content", 2: "lead", 3: "deadline"} and not t.layout
    assert [[x.text for x in c] for c in t.rows[2]] == [["2"], ["Việc 2"], ["Sở Tư pháp"], []]
    assert [[x.text for x in c] for c in t.rows[3]] == [["Gộp"], [], ["Sở Tư pháp"], []]
    inherited = t.rows[3][2][0]
    assert inherited.n == t.rows[1][2][0].n  # the value, and where it is written
    assert source.texts().count("Sở Tư pháp") == 1  # given once in the lines


def test_word_zip_bomb_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024 // 100))
        for k in range(6000):
            zf.writestr(f"word/x{k}.xml", b"")
    with pytest.raises(NotText):
        read_document(path)


# ---------------------------------------------------------------- PDF


def test_scanned_pdf_is_refused(tmp_path):
    path = forms.image_pdf(tmp_path / "scan.pdf", pages=2)
    with pytest.raises(ScannedPdf) as caught:
        read_document(path)
    assert "bản quét" in Msg(caught.value.detail).localize("vi")
    assert "scan" in Msg(caught.value.detail).localize("en")


def test_scanned_pdf_import_is_refused_without_a_draft(tmp_path):
    path = forms.image_pdf(tmp_path / "scan.pdf")
    code, _, err = run("import", path, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 2 and "scan.pdf" in err and "Traceback" not in err
    assert not (tmp_path / "out.yaml").exists()


def test_pdf_of_too_many_pages_is_refused(tmp_path):
    path = forms.text_pdf(tmp_path / "long.pdf", ["Trang"], pages=MAX_PAGES + 1)
    start = time.perf_counter()
    with pytest.raises(LongPdf) as caught:
        read_document(path)
    assert caught.value.params == {"pages": MAX_PAGES + 1, "limit": MAX_PAGES}
    assert time.perf_counter() - start < 5
    assert "301 trang" in Msg(caught.value.detail, caught.value.params).localize("vi")


def test_locked_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = forms.text_pdf(tmp_path / "plain.pdf", ["Ke hoach phoi hop cong tac dan van nam 2021"])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    with pytest.raises(LockedPdf):
        read_document(locked)
    # a PDF locked with an empty password (only its permissions set) opens
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="chu", algorithm="RC4-128")
    opened = tmp_path / "opened.pdf"
    with opened.open("wb") as out:
        writer.write(out)
    assert read_document(opened).texts() == ["Ke hoach phoi hop cong tac dan van nam 2021"]


@pytest.mark.parametrize("content", [b"%PDF-1.4\n" + bytes(range(256)) * 8, b"%PDF-"], ids=["garbage", "cut"])
def test_damaged_pdf_is_refused(tmp_path, content):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises((BadPdf, ScannedPdf)):
        read_document(path)


def test_pdf_lines_keep_their_pages(tmp_path):
    path = forms.text_pdf(tmp_path / "two.pdf", ["Mot dong chu", "Dong thu hai"], pages=2)
    source = read_document(path)
    assert [(x.n, x.page, x.text) for x in source.lines] == [
        (1, 1, "Mot dong chu"), (2, 1, "Dong thu hai"), (3, 2, "Mot dong chu"), (4, 2, "Dong thu hai")]
    assert source.unit == "dòng"


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) prints the Word plans to PDF; not installed")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    here = tmp_path_factory.mktemp("pdf")
    return {"2021": forms.to_pdf(forms.docx_2021(here / "ke-hoach-2021.docx"), here),
            "45": forms.to_pdf(forms.docx_45(here / "ke-hoach-45.docx"), here)}


@pytest.mark.slow
@needs_soffice
def test_pdf_text_layer_keeps_vietnamese(pdfs):
    source = read_document(pdfs["2021"])
    texts = source.texts()
    assert source.unit == "dòng" and {x.page for x in source.lines} >= {1, 2}
    assert "KẾ HOẠCH" in texts and "Phối hợp thực hiện công tác dân vận năm 2021" in texts
    assert any(t.startswith("Số 49-KH/BDVTU-BCSĐUBND") for t in texts)
    assert "II. Nội dung phối hợp" in texts and "Võ Thanh An" in " ".join(texts)
    kon_tum = read_document(pdfs["45"]).texts()
    assert "ỦY BAN NHÂN DÂN" in kon_tum and "TỈNH KON TUM" in kon_tum


@pytest.mark.slow
@needs_soffice
def test_pdf_import_writes_a_draft(pdfs, tmp_path):
    target = tmp_path / "draft.yaml"
    code, _, err = run("import", pdfs["2021"], "-o", target, "--lang", "vi")
    assert code == 0, err
    assert "Phối hợp thực hiện công tác dân vận năm 2021" in target.read_text(encoding="utf-8")


# ---------------------------------------------------------------- PDF: lines put back together


def _wrapped(text: str, width: int = 80) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return out + [line]


_WORDS = ("Tiep tuc quan triet trien khai thuc hien Ket luan so 120-KL/TW ngay 07/01/2016 cua Bo Chinh tri ve xay "
          "dung va thuc hien Quy che dan chu o co so va nang cao hieu qua cong tac dan van cua co quan nha nuoc")


def _page(lines: list[str], top: float = 780, x: float = 60) -> list[tuple[float, float, str]]:
    return [(x, top - 14 * k, text) for k, text in enumerate(lines)]


def test_pdf_wrapped_lines_are_one_paragraph_and_page_furniture_is_layout(tmp_path):
    first = [*_wrapped(f"1. {_WORDS}"), *_wrapped(f"- xa hoi; {_WORDS}.")]  # a wrapped line may start with "- "
    second = _wrapped(f"2. {_WORDS} so 26-") + ["CTr/BDVTU-BCSDUBND ngay 13/02/2017."]  # a number broken at its hyphen
    assert any(line.startswith("- xa hoi") for line in first)
    header = "KE HOACH PHOI HOP NAM 2021"
    page1 = [(60, 810, header), *_page(["II. Noi dung phoi hop", *first, *second]), (290, 40, "1")]
    page2 = [(60, 810, header), *_page([*_wrapped(f"3. {_WORDS}."), "4. Mot dong ngan."]), (290, 40, "2")]
    source = read_document(forms.placed_pdf(tmp_path / "wrapped.pdf", [page1, page2]))
    assert words(source, TEXT) == [
        "II. Noi dung phoi hop", f"1. {_WORDS} - xa hoi; {_WORDS}.",
        f"2. {_WORDS} so 26-CTr/BDVTU-BCSDUBND ngay 13/02/2017.", f"3. {_WORDS}.", "4. Mot dong ngan."]
    # the running header and the page numbers are layout, their words kept in place
    assert [(x.n, x.page, x.text) for x in source.lines if x.kind == BLANK] == [
        (1, 1, header), (2 + 1 + len(first) + len(second), 1, "1"),
        (3 + 1 + len(first) + len(second), 2, header), (source.lines[-1].n, 2, "2")]
    # a paragraph is numbered by its first line
    assert [x.n for x in source.lines if x.kind == TEXT][:3] == [2, 3, 3 + len(first)]


def test_pdf_paragraph_goes_on_over_the_page(tmp_path):
    lines = _wrapped(f"5. {_WORDS} {_WORDS} {_WORDS}.")
    pages = [_page(["II. Noi dung", *lines[:3]]), _page([*lines[3:], "6. Dong sau."])]
    texts = read_document(forms.placed_pdf(tmp_path / "over.pdf", pages)).texts()
    assert texts == ["II. Noi dung", f"5. {_WORDS} {_WORDS} {_WORDS}.", "6. Dong sau."]


def test_pdf_columns_side_by_side_are_read_column_by_column(tmp_path):
    page = [(70, 800, "BAN DAN VAN TINH UY"), (330, 800, "DANG CONG SAN VIET NAM"),
            (80, 786, "So 49-KH/BDVTU"), (320, 786, "Quang Ngai, ngay 14 thang 01 nam"), (400, 772, "2021"),
            (250, 740, "KE HOACH"), *_page(_wrapped(f"Thuc hien {_WORDS}."), top=720)]
    source = read_document(forms.placed_pdf(tmp_path / "head.pdf", [page]))
    assert source.texts()[:6] == ["BAN DAN VAN TINH UY", "So 49-KH/BDVTU", "DANG CONG SAN VIET NAM",
                                  "Quang Ngai, ngay 14 thang 01 nam 2021", "KE HOACH", f"Thuc hien {_WORDS}."]
    table = source.tables[0]
    assert table.layout and not table.roles
    assert [(x.col, x.kind) for x in source.lines[:4]] == [(0, CELL), (0, CELL), (1, CELL), (1, CELL)]


_HEAD = [(60, "STT"), (100, "Noi dung"), (260, "Co quan chu tri"), (380, "Co quan phoi hop"), (500, "Thoi gian")]


def _row(y: float, cells: list[str]) -> list[tuple[float, float, str]]:
    return [(x, y, text) for (x, _), text in zip(_HEAD, cells, strict=True) if text]


def test_pdf_assignment_table_rows_and_columns_over_two_pages(tmp_path):
    page1 = [*_page(["PHU LUC", "PHAN CONG NHIEM VU"]), *_row(730, [h for _, h in _HEAD]),
             (500, 716, "hoan thanh"),
             *_row(702, ["I", "Tuyen truyen, pho bien Luat", "", "", ""]),
             *_row(688, ["1", "Bien soan tai lieu", "So Tu phap", "So Noi vu", "Quy II/2023"]),
             *_row(674, ["", "gioi thieu Luat", "", "", ""]),
             *_row(660, ["2", "Tuyen truyen Luat", "So Thong tin va", "Bao Kon Tum", "Thuong"]),
             *_row(646, ["", "tren Bao Kon Tum", "Truyen thong", "", "xuyen"])]
    # the next page goes on with the row, then the rows that follow; no header again
    page2 = [*_row(800, ["", "va Dai Phat thanh", "", "", ""]),
             *_row(786, ["II", "Ra soat van ban", "", "", ""]),
             *_row(772, ["3", "Ra soat quy che", "So Lao dong", "Lien doan", "Truoc ngay"]),
             *_row(758, ["", "dan chu", "- Thuong binh", "Lao dong tinh", "31/7/2023"]),
             *_row(744, ["", "", "va Xa hoi", "", ""]),
             *_page(["Noi nhan:", "- Nhu tren."], top=700)]
    source = read_document(forms.placed_pdf(tmp_path / "table.pdf", [page1, page2], font="Courier"))
    assert len(source.tables) == 1
    table = source.tables[0]
    assert table.assignment and not table.layout and table.header_rows == 1
    assert table.roles == {0: "stt", 1: "content", 2: "lead", 3: "support", 4: "deadline"}
    rows = [[" ".join(x.text for x in cell) for cell in row] for row in table.rows]
    assert rows == [
        ["STT", "Noi dung", "Co quan chu tri", "Co quan phoi hop", "Thoi gian hoan thanh"],
        ["I", "Tuyen truyen, pho bien Luat", "", "", ""],
        ["1", "Bien soan tai lieu gioi thieu Luat", "So Tu phap", "So Noi vu", "Quy II/2023"],
        ["2", "Tuyen truyen Luat tren Bao Kon Tum va Dai Phat thanh", "So Thong tin va Truyen thong",
         "Bao Kon Tum", "Thuong xuyen"],
        ["II", "Ra soat van ban", "", "", ""],
        ["3", "Ra soat quy che dan chu", "So Lao dong - Thuong binh va Xa hoi", "Lien doan Lao dong tinh",
         "Truoc ngay 31/7/2023"]]
    cells = [x for x in source.lines if x.kind == CELL]
    assert all(x.table == 0 and x.row is not None and x.col is not None for x in cells)
    assert {x.page for x in cells if x.row == 3} == {1}  # a cell is numbered by its first line
    assert source.texts()[:2] == ["PHU LUC", "PHAN CONG NHIEM VU"]
    assert source.texts()[-2:] == ["Noi nhan:", "- Nhu tren."]


def test_pdf_layout_reader_stays_fast_on_hostile_pages(tmp_path):
    stt = [(60 + 12 * k, 800 - 14 * r, "STT" if k == 0 and r == 0 else f"X{r}") for r in range(50) for k in range(40)]
    columns = [(60 + 260 * (k % 2), 800 - 14 * (k // 2), "X" * 20) for k in range(100)]
    start = time.perf_counter()
    for pages in ([stt], [columns] * 3):
        read_document(forms.placed_pdf(tmp_path / "hostile.pdf", pages, size=6))
    assert time.perf_counter() - start < 10


def _draft(path: Path) -> dict:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = True  # a draft may still hold errors: it is read for its counts here
    return yaml.load(path.read_text(encoding="utf-8"))


def _counts(draft: dict) -> dict:
    return {"objectives": [o["id"] for o in draft.get("objectives") or []],
            "tasks": [t["id"] for t in draft.get("tasks") or []],
            "references": sorted(r["number"] for r in draft.get("references") or []),
            "issuers": draft["plan"]["issuers"], "number": draft["plan"]["number"],
            "issued": draft["plan"].get("issued"),
            "subtasks": [[s["id"] for s in t.get("subtasks") or []] for t in draft.get("tasks") or []]}


@pytest.fixture(scope="module")
def words_docx(tmp_path_factory):
    here = tmp_path_factory.mktemp("docx")
    return {"2021": forms.docx_2021(here / "ke-hoach-2021.docx"), "45": forms.docx_45(here / "ke-hoach-45.docx")}


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("form", ["2021", "45"])
def test_pdf_draft_equals_the_word_draft(pdfs, words_docx, form, tmp_path):
    """The plan printed to PDF imports as its Word file does: wrapped lines are paragraphs again,
    the header and signature columns and the appendix table read as the Word tables are."""
    drafts = {}
    for kind, source in (("pdf", pdfs[form]), ("docx", words_docx[form])):
        target = tmp_path / f"{kind}.yaml"
        code, _, err = run("import", source, "-o", target, "--lang", "vi")
        assert code in (0, 4), err
        drafts[kind] = _counts(_draft(target))
    assert drafts["pdf"] == drafts["docx"]
    if form == "2021":
        made = drafts["pdf"]
        assert made["objectives"] == ["I.1", "I.2", "I.3", "I.4"] and len(made["references"]) == 13
        assert {f"II.{k}" for k in range(1, 10)} | {"III.1", "III.2", "IV.1", "IV.2", "IV.3", "IV.4"} \
            <= set(made["tasks"])
        assert made["issuers"] == ["bdvtu", "bcsd-ubnd"] and made["number"] == "49-KH/BDVTU-BCSĐUBND"


@pytest.mark.slow
@needs_soffice
def test_pdf_lines_are_the_word_paragraphs(pdfs, words_docx):
    pdf = [t for t in read_document(pdfs["2021"]).texts() if t]
    docx = [t for t in read_document(words_docx["2021"]).texts() if t]
    # the body, the signatures and the recipients, paragraph for paragraph
    assert pdf[pdf.index("KẾ HOẠCH"):] == docx[docx.index("KẾ HOẠCH"):]
    assert "Quảng Ngãi, ngày 14 tháng 01 năm 2021" in pdf


@pytest.mark.slow
@needs_soffice
def test_pdf_appendix_table_over_pages(pdfs):
    source = read_document(pdfs["45"])
    tables = [t for t in source.tables if t.assignment]
    assert len(tables) == 1 and not tables[0].layout
    table = tables[0]
    assert set(table.roles.values()) == {"stt", "content", "lead", "support", "deadline"}
    rows = {" ".join(x.text for x in row[0]): [" ".join(x.text for x in cell) for cell in row]
            for row in table.rows[1:]}
    assert list(rows) == ["I", "1", "2", "3", "II", "4", "5", "6", "III", "7", "8", "9", "10", "11"]
    assert rows["6"][2] == "Sở Lao động - Thương binh và Xã hội"
    assert rows["11"][4] == "Hằng quý, 6 tháng, năm"
    assert len({x.page for row in table.rows for cell in row for x in cell}) >= 2  # it goes on over pages


def test_pdf_numbers_printed_apart_from_their_words_stay_their_lines(tmp_path):
    """Word prints its automatic numbering with a tab: "I.      MUC DICH, YEU CAU". The PDF's
    numbers were read as a column of their own beside a column of words, and the plan lost its
    sections and tasks (1 task of 8, "89 %" placed)."""
    page = [(60, 780, "KE HOACH"), (60, 760, "Phong chong thien tai nam 2022"),
            (60, 730, "I."), (110, 730, "MUC DICH, YEU CAU"),
            (60, 716, "1."), (110, 716, "Chu dong phong ngua, ung pho kip thoi voi thien tai."),
            (60, 696, "II."), (110, 696, "NHIEM VU CU THE"),
            (60, 682, "1."), (110, 682, "Kien toan Ban Chi huy phong, chong thien tai."),
            (60, 668, "- Co quan chu tri: Phong Noi vu."),
            (60, 654, "2."), (110, 654, "Ra soat phuong an ung pho thien tai, truoc ngay 30/6/2022."),
            (60, 640, "a)"), (110, 640, "Phuong an so tan dan vung ven bien.")]
    source = read_document(forms.placed_pdf(tmp_path / "numbered.pdf", [page]))
    texts = [x.text for x in source.lines if x.kind == TEXT]
    assert "I. MUC DICH, YEU CAU" in texts and "II. NHIEM VU CU THE" in texts
    assert "2. Ra soat phuong an ung pho thien tai, truoc ngay 30/6/2022." in texts
    assert "a) Phuong an so tan dan vung ven bien." in texts
    assert not [x for x in source.lines if x.kind == CELL]


def _tasks_of(path: Path, tmp_path: Path) -> list[str]:
    target = tmp_path / (path.stem + ".yaml")
    code, _, err = run("import", path, "-o", target, "--lang", "vi", "--force")
    assert code == 0, err
    lines = target.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip().startswith("- id:")]


def test_a_row_numbering_the_columns_under_the_header_is_no_task(tmp_path):
    """Official tables number their columns under the header ("(1) | (2) | … | (6)"): the Word
    reader made it a task "II.(1)" (an error in `check`, exit 4)."""
    plain = _tasks_of(forms.docx_45(tmp_path / "a.docx", table_body=True), tmp_path)
    numbered = _tasks_of(forms.docx_45(tmp_path / "b.docx", table_body=True, column_numbers=True), tmp_path)
    assert numbered == plain and not any("(" in t for t in numbered)


@pytest.mark.slow
@needs_soffice
def test_a_row_numbering_the_columns_does_not_end_a_pdf_table(tmp_path):
    """The same in a PDF printed from Word: the table ended at that row, no task was read."""
    plain = _tasks_of(forms.to_pdf(forms.docx_45(tmp_path / "a.docx", table_body=True), tmp_path), tmp_path)
    numbered = _tasks_of(forms.to_pdf(forms.docx_45(tmp_path / "b.docx", table_body=True, column_numbers=True),
                                      tmp_path), tmp_path)
    assert len(plain) > 5 and numbered == plain

