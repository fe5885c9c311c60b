"""The Word documents whose body is streamed into the file (outputs/wordstream.py) are docxtpl's
own: every part byte for byte, the body as canonical XML, for every built-in Word template
(report, checklist, reminder letters, roll-up, the list of amendments) over the shipped, demo and
generated plans; a template that needs docxtpl's whole-document steps is rendered by docxtpl."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("docxtpl")
etree = pytest.importorskip("lxml.etree")

from kehoach.cli.app import main  # noqa: E402
from kehoach.judge.scope import report_span  # noqa: E402
from kehoach.outputs import wordstream  # noqa: E402
from kehoach.outputs.render import render_docx, template_dirs  # noqa: E402
from kehoach.plan.loader import load_plan, load_text  # noqa: E402
from kehoach.views.reportview import build_checklist, build_report  # noqa: E402
from plans_for_tests import generator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
PLAN_2021 = ROOT / "plans" / "2021.yaml"


def _canonical(xml: bytes) -> bytes:
    """The XML as exclusive C14N writes it: the same for the same elements, attributes and text,
    however quotes, character references and namespace declarations were written."""
    return etree.tostring(etree.fromstring(xml), method="c14n", exclusive=True)


def assert_same_document(streamed: bytes, whole: bytes) -> None:
    a, b = zipfile.ZipFile(io.BytesIO(streamed)), zipfile.ZipFile(io.BytesIO(whole))
    assert a.namelist() == b.namelist()
    for name in a.namelist():
        if name == "word/document.xml":
            assert _canonical(a.read(name)) == _canonical(b.read(name))
        else:
            assert a.read(name) == b.read(name), name


@pytest.fixture
def counted(monkeypatch):
    """How many documents were streamed, and how many went to docxtpl whole."""
    seen = {"streamed": 0, "whole": 0}
    real = wordstream.render

    def render(*args, **kwargs):
        try:
            out = real(*args, **kwargs)
        except wordstream.NotStreamed:
            seen["whole"] += 1
            raise
        seen["streamed"] += 1
        return out

    monkeypatch.setattr(wordstream, "render", render)
    return seen


@pytest.mark.parametrize("path", [DEMO, PLAN_2021], ids=["demo", "2021"])
@pytest.mark.parametrize("period", ["Q1", "Q2", "Y"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_streamed_report_is_docxtpls_report(path, period, lang, counted):
    plan = load_plan(path).plan
    ctx = build_report(plan, report_span(plan, period, None, None), lang=lang)
    assert_same_document(render_docx("report.docx", ctx, template_dirs()),
                         render_docx("report.docx", ctx, template_dirs(), stream=False))
    assert counted == {"streamed": 1, "whole": 0}


@pytest.mark.parametrize("path", [DEMO, PLAN_2021], ids=["demo", "2021"])
def test_a_streamed_checklist_is_docxtpls_checklist(path, counted):
    ctx = build_checklist(load_plan(path).plan, dt.date(2021, 7, 1))
    assert_same_document(render_docx("checklist.docx", ctx, template_dirs()),
                         render_docx("checklist.docx", ctx, template_dirs(), stream=False))
    assert counted == {"streamed": 1, "whole": 0}


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("tasks, seed", [(40, 1), (400, 2)])
def test_generated_plans_with_descriptions_are_streamed_alike(tasks, seed, counted):
    """Many pieces: a body of several hundred kilobytes is cut after many paragraphs."""
    plan = load_text(generator().plan_text(tasks, seed=seed, descriptions=True), "gen.yaml").plan
    for kind, ctx in (("report.docx", build_report(plan, report_span(plan, "Q2", None, None))),
                      ("checklist.docx", build_checklist(plan, dt.date(2021, 7, 1)))):
        assert_same_document(render_docx(kind, ctx, template_dirs()),
                             render_docx(kind, ctx, template_dirs(), stream=False))
    assert counted == {"streamed": 2, "whole": 0}


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_letters_roll_ups_and_amendments_are_streamed_alike(tmp_path, monkeypatch, counted):
    """Every other Word document the commands write (reminder letters, a roll-up of plans, the
    list of amendments), each compared with docxtpl's rendering of the same template and names."""
    compared: list[str] = []
    real = wordstream.render

    def both(data, env, names, bounds):
        from docxtpl import DocxTemplate

        out = real(data, env, names, bounds)
        doc = DocxTemplate(io.BytesIO(data))
        doc.render(names, jinja_env=env, autoescape=True)
        whole = io.BytesIO()
        doc.save(whole)
        assert_same_document(out, whole.getvalue())
        compared.append(zipfile.ZipFile(io.BytesIO(out)).read("docProps/core.xml").decode("utf-8"))
        return out

    monkeypatch.setattr(wordstream, "render", both)
    changed = tmp_path / "changed.yaml"
    changed.write_text(PLAN_2021.read_text(encoding="utf-8").replace("chậm nhất", "không muộn hơn", 1),
                       encoding="utf-8")
    for args in (["remind", "-p", str(DEMO), "--as-of", "2021-07-01", "-f", "docx", "-o", str(tmp_path / "r")],
                 ["report", str(DEMO), str(PLAN_2021), "--period", "Q2", "-f", "docx",
                  "-o", str(tmp_path / "u.docx")],
                 ["diff", str(PLAN_2021), str(changed), "-f", "docx", "-o", str(tmp_path / "d.docx")]):
        assert main(args) in (0, 1), args
    assert len(compared) >= 3 and counted["whole"] == 0


def _checklist_with(source, tmp_path):
    """`source` (a python-docx document) saved as a user's checklist template, and the demo's
    checklist rendered with it: the template folder, the names and the document."""
    folder = tmp_path / "t"
    folder.mkdir()
    source.save(str(folder / "checklist.docx"))
    ctx = build_checklist(load_plan(DEMO).plan, dt.date(2021, 7, 1))
    return folder, ctx, render_docx("checklist.docx", ctx, template_dirs(folder))


def test_a_template_that_needs_docxtpl_whole_is_rendered_by_docxtpl(tmp_path, counted):
    """A cell spanning two columns (docxtpl fixes its table's grid): not streamed, and the
    document is docxtpl's."""
    import docx

    from kehoach.outputs.render import find_template

    source = docx.Document(str(find_template("checklist.docx", template_dirs())))
    table = source.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1))
    folder, ctx, out = _checklist_with(source, tmp_path)
    assert counted == {"streamed": 0, "whole": 1}
    body = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode("utf-8")
    assert "gridSpan" in body and "{{" not in body and "{%" not in body


def test_a_template_whose_body_renders_broken_goes_to_docxtpl(tmp_path, counted):
    """A tag opened within a link and closed in the next paragraph drops the link's end but not
    its start: the rendered body is not well-formed, docxtpl's lenient parsing mends it, and so the
    document is docxtpl's (a streamed one would not open in Word)."""
    import docx
    from docx.oxml import OxmlElement

    source = docx.Document()
    linked = source.add_paragraph("a {% if false %}")
    link = OxmlElement("w:hyperlink")
    link.append(linked.runs[0]._r)
    linked._p.append(link)
    source.add_paragraph("{% endif %} b")
    source.add_paragraph("c")
    folder, ctx, out = _checklist_with(source, tmp_path)
    assert counted == {"streamed": 0, "whole": 1}
    assert_same_document(out, render_docx("checklist.docx", ctx, template_dirs(folder), stream=False))
    etree.fromstring(zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml"))  # well-formed


def test_a_cell_in_a_content_control_goes_to_docxtpl(tmp_path, counted):
    """docxtpl counts a row's own cells only; one wrapped in a content control is not counted and
    docxtpl narrows the table's grid: such a table is docxtpl's to write."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    source = docx.Document()
    source.add_paragraph("{{ body }}")
    row = source.add_table(rows=1, cols=2).rows[0]._tr
    cell = row.findall(qn("w:tc"))[1]
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    control.append(content)
    row.remove(cell)
    content.append(cell)
    row.append(control)
    folder, ctx, out = _checklist_with(source, tmp_path)
    assert counted == {"streamed": 0, "whole": 1}
    assert_same_document(out, render_docx("checklist.docx", ctx, template_dirs(folder), stream=False))


def test_a_word_template_cannot_change_the_values_it_is_given(tmp_path, counted):
    """The body of a Word document is rendered before or after its headers depending on the way
    it is written: a template that changed its values (a list's append) could print one thing in
    the body and another in the header. Templates are data: changing a value is refused."""
    import docx

    from kehoach.outputs.render import RenderError

    source = docx.Document()
    source.add_paragraph("{{ groups.append(1) or '' }}{{ body }}")
    with pytest.raises(RenderError) as refused:
        _checklist_with(source, tmp_path)
    assert refused.value.code == "template-unsafe"


def test_a_table_left_without_rows_goes_to_docxtpl():
    """docxtpl drops the grid of a table whose rows all went (`fix_tables`): the table follower
    sees it and the document is docxtpl's."""
    tables = wordstream._Tables()
    tables.follow('<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="1"/><w:gridCol w:w="2"/></w:tblGrid>'
                  "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>")
    with pytest.raises(wordstream.NotStreamed):
        tables.follow('<w:tbl><w:tblGrid><w:gridCol w:w="1"/></w:tblGrid></w:tbl>')
    with pytest.raises(wordstream.NotStreamed):
        wordstream._Tables().follow('<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc/><w:tc/></w:tr></w:tbl>')


@pytest.mark.slow  # a body of 22 MB, rendered twice: seconds
def test_a_text_over_ten_megabytes_is_written_whole_by_docxtpl_too(tmp_path):
    """docxtpl reads the body it rendered back leniently, and libxml2 cut a text over 10 MB there
    without a word: a long note would have lost its end in a template docxtpl renders whole (a
    merged cell), and only there."""
    import docx

    source = docx.Document()
    source.add_paragraph("{{ note }}")
    table = source.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1))
    folder = tmp_path / "t"
    folder.mkdir()
    source.save(str(folder / "note.docx"))
    note = "Đã hoàn thành " * 800_000  # 11.2 million characters, 14.4 MB in UTF-8
    for stream in (True, False):
        out = render_docx("note.docx", {"note": note}, template_dirs(folder), stream=stream)
        body = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode("utf-8")
        assert body.count("Đã hoàn thành") == 800_000, stream
