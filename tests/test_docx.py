"""The Word templates (templates/report.docx, templates/checklist.docx), rendered
through kehoach.outputs.render.render_docx and read back with python-docx.

The templates are built by tools/make_docx_templates.py; one test checks that
the committed files are what the script builds. No LibreOffice needed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
pytest.importorskip("docxtpl")

from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

from kehoach.judge.scope import report_span  # noqa: E402
from kehoach.outputs.render import render_docx, template_dirs  # noqa: E402
from kehoach.plan.loader import load_plan, load_text  # noqa: E402
from kehoach.views.reportview import build_checklist, build_report, context_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
PLAN_2021 = ROOT / "plans" / "2021.yaml"
FONT = "Times New Roman"
PAYLOAD = "<script>alert(1)</script> {{ x }}"


# ---------------------------------------------------------------- helpers


def _plan(path: Path):
    loaded = load_plan(path)
    assert loaded.plan is not None, loaded.diagnostics
    return loaded.plan


def _report_ctx(plan, period: str = "Q2", **kw) -> dict:
    return build_report(plan, report_span(plan, period, None, None), **kw)


def _render(name: str, ctx: dict):
    data = render_docx(name, ctx, template_dirs())
    return docx.Document(io.BytesIO(data)), data


def _paragraph_texts(element) -> list[str]:
    """The text of every paragraph under `element`, tables included, in order."""
    out = []
    for p in element.iter(qn("w:p")):
        out.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return out


def _body_text(document) -> str:
    return "\n".join(_paragraph_texts(document.element.body))


def _all_xml_text(data: bytes) -> str:
    """Text of every w:t in the main document, headers and footers."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                from lxml import etree

                root = etree.fromstring(z.read(name))
                parts += _paragraph_texts(root)
    return "\n".join(parts)


def _walk(tasks):
    for t in tasks:
        yield t
        yield from _walk(t.subtasks)


def _approx(length, mm: float) -> bool:
    return abs(length - Mm(mm)) <= Mm(0.5)


def _is_header_row(row) -> bool:
    trPr = row._tr.trPr
    return trPr is not None and trPr.find(qn("w:tblHeader")) is not None


def _cant_split(row) -> bool:
    trPr = row._tr.trPr
    return trPr is not None and trPr.find(qn("w:cantSplit")) is not None


def _cells(row) -> list[str]:
    return ["\n".join(p.text for p in c.paragraphs) for c in row.cells]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo():
    return _plan(DEMO)


@pytest.fixture(scope="module")
def plan2021():
    return _plan(PLAN_2021)


def _view(ctx) -> dict:
    """The typed context as the plain values the assertions read (with its words)."""
    return {**context_json(ctx), "w": ctx.w}


@pytest.fixture(scope="module")
def demo_report(demo):
    ctx = _report_ctx(demo)
    document, data = _render("report.docx", ctx)
    return _view(ctx), document, data


@pytest.fixture(scope="module")
def report_2021(plan2021):
    ctx = _report_ctx(plan2021)
    document, data = _render("report.docx", ctx)
    return _view(ctx), document, data


@pytest.fixture(scope="module", params=[None, "so noi vu"], ids=["all-bodies", "so-noi-vu"])
def demo_checklist(request, demo):
    ctx = build_checklist(demo, dt.date(2021, 7, 1), body=request.param)
    document, data = _render("checklist.docx", ctx)
    return _view(ctx), document, data


@pytest.fixture(params=["demo", "2021"])
def any_report(request, demo_report, report_2021, demo, plan2021):
    ctx, document, data = demo_report if request.param == "demo" else report_2021
    return (demo if request.param == "demo" else plan2021), ctx, document, data


# ---------------------------------------------------------------- the templates themselves


def _template_shape(path: Path) -> dict[str, list]:
    """What a Word template says, independent of how python-docx serialises it: per XML part,
    the text of every run (the docxtpl tags included) in document order, and the page setup,
    table grids, styles and fonts as (element, attributes) pairs."""
    from lxml import etree

    shape: dict[str, list] = {}
    with zipfile.ZipFile(path) as z:
        for part in sorted(z.namelist()):
            if not part.startswith("word/") or not part.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(part))
            texts = [t.text or "" for t in root.iter(qn("w:t"))]
            layout = [(etree.QName(el).localname, sorted((etree.QName(k).localname, v) for k, v in el.attrib.items()))
                      for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname in
                      ("pgSz", "pgMar", "gridCol", "tblW", "tcW", "sz", "rFonts", "b", "i", "u", "jc", "ind",
                       "spacing", "style", "tblHeader", "cantSplit")]
            shape[part] = [texts, layout]
    return shape


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_templates_are_what_the_script_builds(tmp_path, monkeypatch):
    """templates/*.docx are generated: edit tools/make_docx_templates.py and rerun it. The
    comparison reads what the templates say (text, tags, layout), not their bytes, so that
    a python-docx upgrade that serialises the same document differently does not matter."""
    spec = importlib.util.spec_from_file_location("make_docx_templates", ROOT / "tools" / "make_docx_templates.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    for name in ("report.docx", "checklist.docx", "remind.docx", "rollup.docx", "diff.docx"):
        fresh, kept = _template_shape(tmp_path / name), _template_shape(ROOT / "templates" / name)
        assert sorted(fresh) == sorted(kept), name
        for part in fresh:
            assert fresh[part] == kept[part], f"templates/{name} is stale ({part}): run tools/make_docx_templates.py"


# ---------------------------------------------------------------- report: page and styles


def test_report_page_is_a4_with_party_margins(demo_report):
    _, document, _ = demo_report
    first = document.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert _approx(first.page_width, 210) and _approx(first.page_height, 297)
    assert _approx(first.top_margin, 20) and _approx(first.bottom_margin, 20)
    assert _approx(first.left_margin, 30) and _approx(first.right_margin, 15)


def test_report_appendix_is_a_landscape_a4_section(demo_report):
    _, document, _ = demo_report
    assert len(document.sections) == 2
    last = document.sections[-1]
    assert last.orientation == WD_ORIENT.LANDSCAPE
    assert _approx(last.page_width, 297) and _approx(last.page_height, 210)
    assert _approx(last.left_margin, 30) and _approx(last.right_margin, 15)


def test_page_number_from_page_two(demo_report):
    _, document, _ = demo_report
    first = document.sections[0]
    assert first.different_first_page_header_footer
    instr = "".join(t.text or "" for t in first.header._element.iter(qn("w:instrText")))
    assert "PAGE" in instr
    assert not list(first.first_page_header._element.iter(qn("w:instrText")))
    # the landscape appendix is numbered on its own, from 1 (NĐ 30 III.1.đ): not the report's pages 6, 7 …
    appendix = document.sections[-1]
    assert not appendix.header.is_linked_to_previous
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_times_new_roman_in_normal_style(demo_report):
    _, document, _ = demo_report
    normal = document.styles["Normal"]
    assert normal.font.name == FONT
    assert normal.font.size == docx.shared.Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attr)) == FONT, attr
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        assert fonts.get(qn(attr)) is None, attr


def test_body_text_is_justified_14pt_with_first_line_indent(demo_report):
    _, document, _ = demo_report
    body = document.styles["KH Body"]
    fmt = body.paragraph_format
    assert fmt.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent - docx.shared.Cm(1)) <= Mm(0.2)
    assert fmt.space_after == docx.shared.Pt(6)
    opening = [p for p in document.paragraphs if p.text.startswith("Thực hiện Kế hoạch")]
    assert opening and opening[0].style.name == "KH Body"


# ---------------------------------------------------------------- report: content


def test_demo_report_header(demo_report):
    ctx, document, _ = demo_report
    header = document.tables[0]
    left, right = _cells(header.rows[0])
    assert "BAN DÂN VẬN TỈNH ỦY -" in left
    assert "BAN CÁN SỰ ĐẢNG UBND TỈNH" in left
    assert "*" in left.split("\n")
    assert "-BC/BDVTU-BCSĐUBND" in left
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in right
    assert "Minh Hòa, ngày 30 tháng 6 năm 2021" in right
    assert right.index("ĐẢNG CỘNG SẢN VIỆT NAM") < right.index("Minh Hòa")


def test_header_runs_are_formatted(demo_report):
    _, document, _ = demo_report
    left, right = document.tables[0].rows[0].cells
    issuer = left.paragraphs[0].runs[0]
    assert issuer.text == "BAN DÂN VẬN TỈNH ỦY -" and issuer.bold
    party = right.paragraphs[0].runs[0]
    assert party.bold and not party.underline and party.font.size == docx.shared.Pt(15)
    # the rule under the title is a border of its own, clear of the dots under Ộ and Ệ (36-HD II.1.1)
    rule = right.paragraphs[1]
    assert rule.text == "" and rule._p.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    assert right.paragraphs[2].runs[0].italic


def test_report_title_and_texts(any_report):
    plan, ctx, document, data = any_report
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert ctx["doc"]["summary"] in [p.replace("\u00a0", " ") for p in paragraphs]
    # the title keeps its last two words together: "ngày 14/01/2021" never stands alone on a line
    title = next(p for p in paragraphs if p.replace("\u00a0", " ") == ctx["doc"]["summary"])
    assert title.split(" ")[-1].count("\u00a0") == 1, title
    assert ctx["doc"]["opening"] in paragraphs
    left, right = _cells(document.tables[0].rows[0])
    for line in ctx["doc"]["issuers"]:
        assert line in left.split("\n")
    assert ctx["doc"]["place_date"] in right
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in right
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "IV. KIẾN NGHỊ, ĐỀ XUẤT"):
        assert heading in paragraphs
    assert any(p.startswith("III. PHƯƠNG HƯỚNG, NHIỆM VỤ") for p in paragraphs)
    assert f'{ctx["evaluation"]["summary"]} {ctx["evaluation"]["completion"]}' in paragraphs


def test_every_top_level_task_with_results_is_reported(any_report):
    """I holds results: each top-level task with something reported or done in the period has its
    heading and its lines; the appendix table (another test) holds every task."""
    plan, ctx, document, _ = any_report
    paragraphs = [p.text for p in document.paragraphs]  # body paragraphs, not the appendix table
    for group in ctx["results"]:  # numbered by the report (I, 1, a), the plan's codes in brackets
        assert f"{group['number']}. {group['heading']}" in paragraphs
    for item in (i for g in ctx["results"] for i in g["items"]):
        assert f"{item['stt']}) {item['title']} (mục {item['id']} Kế hoạch)" in paragraphs, item["id"]
        for line in item["lines"]:
            assert f"- {line['text']}" in paragraphs
    if not ctx["results"]:
        assert "Trong kỳ chưa có báo cáo kết quả." in paragraphs


def test_entries_and_evidence_in_report(demo_report):
    ctx, document, _ = demo_report
    paragraphs = [p.text for p in document.paragraphs]
    items = [i for g in ctx["results"] for i in g["items"]]
    assert any(i["lines"] for i in items)
    for item in items:
        for e in item["lines"]:  # each result with the body that reported it, and its evidence
            line = f"- {e['date']} — {e['body']}: {e['note']}" + (f" (minh chứng: {e['evidence']})"
                                                                  if e["evidence"] else "")
            assert e["body"] and line in paragraphs
    for p in ctx["proposals"]:
        assert f"- {p['task_id']}: {p['text']}" in paragraphs


def test_appendix_table_one_row_per_task(any_report):
    plan, ctx, document, _ = any_report
    appendix = document.tables[-1]
    tasks = list(_walk(plan.tasks))
    assert len(appendix.rows) == len(tasks) + 1
    head = _cells(appendix.rows[0])
    assert head == ["STT", "Mã", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng",
                    "Tiến độ (%)", "Cập nhật"]
    assert _is_header_row(appendix.rows[0])
    assert all(_cant_split(r) for r in appendix.rows)
    assert not any(_is_header_row(r) for r in appendix.rows[1:])
    assert [_cells(r)[1] for r in appendix.rows[1:]] == [t.id for t in tasks]
    assert [_cells(r)[0] for r in appendix.rows[1:]] == [str(i) for i in range(1, len(tasks) + 1)]
    # the appendix sits in the landscape section: "Phụ lục", its title, the report it goes with
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("Phụ lục")
    assert paragraphs[start + 1] == "BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ"
    assert paragraphs[start + 2].startswith("(Kèm theo Báo cáo số ") and "-BC/BDVTU-BCSĐUBND ngày 30/6/2021" in (
        paragraphs[start + 2].replace("\u00a0", " "))


def test_problem_table_or_no_problem_line(any_report):
    """The unfinished work is a table (STT, Mã, …, %, its last note); with nothing
    unfinished, late or unreported the report says so in one line instead."""
    _, ctx, document, _ = any_report
    unfinished = ctx["evaluation"]["unfinished"]
    paragraphs = [p.text for p in document.paragraphs]
    tables = [t for t in document.tables if _cells(t.rows[0])[:2] == ["STT", "Mã"]]
    if unfinished:
        assert len(tables) == 2  # unfinished work, then the appendix
        table = tables[0]
        assert _cells(table.rows[0]) == ["STT", "Mã", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "%",
                                         "Kết quả, lý do"]
        assert len(table.rows) == len(unfinished) + 1
        assert _is_header_row(table.rows[0]) and all(_cant_split(r) for r in table.rows)
        assert [_cells(r)[0] for r in table.rows[1:]] == [str(i) for i in range(1, len(unfinished) + 1)]
        assert [_cells(r)[1] for r in table.rows[1:]] == [u["id"] for u in unfinished]
    else:
        assert len(tables) == 1
    assert (ctx["w"]["no_problems"] in paragraphs) == ctx["evaluation"]["clear"]


def test_signers_and_recipients(any_report):
    _, ctx, document, _ = any_report
    signature = next(t for t in document.tables if any(s["name"] in c for s in ctx["signers"]
                                                        for c in _cells(t.rows[0])))
    left, right = _cells(signature.rows[0])
    first, last = ctx["signers"][0], ctx["signers"][-1]
    assert first["name"] in left and first["title"] in left and first["authority"] in left
    assert last["name"] in right and last["title"] in right
    assert _cant_split(signature.rows[0])
    # Nơi nhận under the left signer, in the row that never breaks (in a paragraph after the row,
    # a page break could leave it alone on the next page, as the year's report showed)
    below = left.split("\n")
    assert "Nơi nhận:" in below and below.index(first["name"]) < below.index("Nơi nhận:")
    assert below[-1] == ctx["recipients"][-1]["text"]
    assert "Nơi nhận:" not in [p.text for p in document.paragraphs]


def test_single_signer_goes_right(demo):
    ctx = _report_ctx(demo)
    ctx.signers = ctx.signers[:1]
    document, _ = _render("report.docx", ctx)
    signature = next(t for t in document.tables if any(ctx.signers[0].name in c for c in _cells(t.rows[0])))
    left, right = _cells(signature.rows[0])
    # Nơi nhận at the left, level with the signature (NĐ 30 ô 9b), so that a short letter keeps to one page
    assert left.split("\n")[0] == "Nơi nhận:" and left.split("\n")[-1] == ctx.recipients[-1].text
    assert ctx.signers[0].name in right
    assert "Nơi nhận:" not in [p.text for p in document.paragraphs]


def test_no_template_tags_left(any_report, demo_checklist):
    for data in (any_report[3], demo_checklist[2]):
        text = _all_xml_text(data)
        for tag in ("{%", "%}", "{{", "}}", "{#"):
            assert tag not in text


def test_report_in_english_renders(demo):
    ctx = _report_ctx(demo, lang="en")
    document, data = _render("report.docx", ctx)
    paragraphs = [p.text for p in document.paragraphs]
    assert "REPORT" in paragraphs and "Appendix" in paragraphs
    assert "{{" not in _all_xml_text(data)


def test_plan_text_is_shown_literally():
    text = DEMO.read_text(encoding="utf-8")
    note = "Khảo sát sự hài lòng của 1.200 người dân tại bộ phận một cửa cấp huyện,"
    start = text.index(note)
    line_start = text.rindex("note:", 0, start)
    end = text.index("\n", text.index("91,5%.", start))
    text = text[:line_start] + 'note: "<script>alert(1)</script> {{ x }}"' + text[end:]
    loaded = load_text(text, "demo-injected.yaml")
    assert loaded.plan is not None, loaded.diagnostics
    ctx = _report_ctx(loaded.plan)
    document, data = _render("report.docx", ctx)
    paragraphs = [p.text for p in document.paragraphs]
    assert any(PAYLOAD in p for p in paragraphs)
    assert "- 28/4/2021 — Sở Nội vụ: " + PAYLOAD in paragraphs
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }}" in xml


# ---------------------------------------------------------------- checklist


def test_checklist_layout(demo_checklist):
    ctx, document, _ = demo_checklist
    assert len(document.sections) == 1
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert _approx(section.page_width, 297) and _approx(section.page_height, 210)
    assert _approx(section.top_margin, 20) and _approx(section.left_margin, 30)
    assert document.styles["Normal"].font.name == FONT


def test_checklist_texts(demo_checklist):
    """The assignment table is an appendix of the plan (NĐ 30 III.1): "Phụ lục", its title, the plan it
    goes with by number and date; no letterhead, number ("-KH"), signature or Nơi nhận of its own."""
    ctx, document, data = demo_checklist
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == ["Phụ lục", "BẢNG PHÂN CÔNG NHIỆM VỤ",
                              "(Kèm theo Kế hoạch số 12-KH/BDVTU-BCSĐUBND ngày 15/01/2021 của Ban Dân vận Tỉnh ủy "
                              "Minh Hòa và Ban Cán sự đảng Ủy ban nhân dân tỉnh Minh Hòa)"]
    for key in ("subtitle", "as_of"):
        assert ctx["doc"][key] in paragraphs
    if ctx["body"]:
        assert "Cơ quan: Sở Nội vụ" in paragraphs
    text = _all_xml_text(data)
    assert "-KH/BDVTU-BCSĐUBND" not in text.replace("Kế hoạch số 12-KH/BDVTU-BCSĐUBND", "")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and "Nơi nhận:" not in text
    assert not any(s.name in text for s in _plan(DEMO).signers)


def test_checklist_one_table_per_group(demo_checklist):
    ctx, document, _ = demo_checklist
    paragraphs = [p.text for p in document.paragraphs]
    tables = [t for t in document.tables if _cells(t.rows[0])[0] == "STT"]
    assert ctx["groups"] and len(tables) == len(ctx["groups"])
    for group, table in zip(ctx["groups"], tables, strict=True):
        assert f"{group['number']}. {group['title']}" in paragraphs
        head = _cells(table.rows[0])
        assert head[:7] == ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
                            "Sản phẩm", "Tình trạng"]
        assert _is_header_row(table.rows[0]) and all(_cant_split(r) for r in table.rows)
        assert len(table.rows) == len(group["rows"]) + 1
        for row, cells in zip(group["rows"], (_cells(r) for r in table.rows[1:]), strict=True):
            assert cells[0] == row["stt"]
            assert cells[1] == f"{row['id']}. {row['title']}"
            assert cells[2] == row["lead"]
            assert cells[6] == f"{row['box']} {row['status']}"
            assert row["box"] == ("■" if row["done"] else "□")  # boxes Times New Roman has
    assert sum(len(t.rows) - 1 for t in tables) == ctx["count"]


def test_checklist_for_one_body_is_shorter(demo):
    everyone = build_checklist(demo, dt.date(2021, 7, 1))
    one = build_checklist(demo, dt.date(2021, 7, 1), body="so noi vu")
    assert 0 < one.count < everyone.count


def test_unfinished_table_keeps_the_percent_a_number_and_each_leads_part_in_the_result_column(tmp_path):
    """A shared duty done by one lead only: the narrow '%' column holds '50%' (never the lead names,
    which LibreOffice broke letter by letter), the lead column keeps 'Phòng DVCQ&ĐT', and each
    lead's own percent reads in 'Kết quả, lý do'; the appendix shows it after the status."""
    loaded = load_text("""\
plan:
  id: t
  title: Kế hoạch thử
  issuers: [a]
  period: {start: 2021-01-01, end: 2021-12-31}
bodies:
  - {id: a, name: Phòng Dân vận Chính quyền và Đoàn thể, short: Phòng DVCQ&ĐT, kind: party}
  - {id: b, name: Sở Nội vụ, short: SNV, kind: state}
tasks:
  - id: IV.1.b
    title: Tham mưu báo cáo đánh giá kết quả thực hiện Kế hoạch phối hợp
    lead: [a, b]
    deadline: {every: half}
    progress:
      - {date: 2021-06-20, body: b, percent: 100, occurrence: 2021-H1, note: SNV đã tham mưu}
""", "t.yaml")
    assert loaded.ok
    document, _ = _render("report.docx", _report_ctx(loaded.plan))
    table = next(t for t in document.tables if "Kết quả, lý do" in _cells(t.rows[0]))
    heads = _cells(table.rows[0])
    row = dict(zip(heads, _cells(table.rows[1]), strict=True))
    assert row["%"] == "50%"
    assert row["Kết quả, lý do"] == "Phòng DVCQ&ĐT 0%, SNV 100%"
    assert row["Cơ quan chủ trì"] == "Phòng DVCQ&ĐT"
    widths = dict(zip(heads, (c.width for c in table.rows[1].cells), strict=True))
    assert widths["%"] >= Mm(12) and widths["Cơ quan chủ trì"] >= Mm(26)
    appendix = next(t for t in document.tables if "Tình trạng" in _cells(t.rows[0]))
    cells = dict(zip(_cells(appendix.rows[0]), _cells(appendix.rows[1]), strict=True))
    assert cells["Tiến độ (%)"] == "50%"
    assert cells["Tình trạng"] == "Chưa hoàn thành, quá hạn (Phòng DVCQ&ĐT 0%, SNV 100%)"


def test_a_plan_title_longer_than_a_word_property_still_makes_every_word_document(tmp_path, kehoach):
    """A plan title of some 300 characters (check accepts it): python-docx refuses a document
    property over 255 characters, so report, checklist and remind failed ("không dùng được mẫu",
    blaming the built-in template). The property is cut; the document's own title stays whole."""
    long = "Phối hợp thực hiện công tác dân vận" + " trong các cơ quan nhà nước, chính quyền các cấp" * 6
    text = (ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(re.sub(r"(?m)^  title: .*$", "  title: " + long, text, count=1), encoding="utf-8")
    for args in (("report", "--period", "Q2"), ("checklist", "--as-of", "2021-07-01"),
                 ("remind", "--as-of", "2021-07-01")):
        out = tmp_path / args[0]
        code, _, err = kehoach(*args, "-p", plan, "-f", "docx", "-o", f"{out}/")
        assert code == 0, err
        for made in out.glob("*.docx"):
            title = docx.Document(str(made)).core_properties.title
            assert 0 < len(title) <= 255


def test_a_word_template_that_fails_leaves_no_other_format_written(tmp_path, kehoach):
    """`-f md,html,docx` with a Word template that cannot be used: exit 1 and nothing written
    (the Markdown and HTML were written before the Word template failed)."""
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"not a Word file")
    out = tmp_path / "out"
    code, _, err = kehoach("report", "-p", ROOT / "examples" / "demo.yaml", "--period", "Q2",
                           "-f", "md,html,docx", "-o", f"{out}/", "--templates", folder)
    assert code == 1, err
    assert not out.exists() or list(out.iterdir()) == []


def test_a_word_documents_properties_read_as_the_plan_writes_them(tmp_path, kehoach):
    """A title holding "&": the document's Subject read "&amp;" (escaped twice)."""
    text = (ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(re.sub(r"(?m)^  title: .*$", "  title: Phối hợp Sở A & Sở B", text, count=1), encoding="utf-8")
    out = tmp_path / "r.docx"
    code, _, err = kehoach("checklist", "-p", plan, "--as-of", "2021-07-01", "-f", "docx", "-o", out)
    assert code == 0, err
    props = docx.Document(str(out)).core_properties
    assert "&amp;" not in (props.title or "") + (props.subject or "")
