"""Build the Word templates templates/{report,checklist,remind,rollup}.docx with python-docx.

They hold layout only: every word comes from the context `kehoach.views.reportview` builds, filled in
by docxtpl in Jinja's sandbox (`kehoach.outputs.render.render_docx`). This file reads top to bottom:
LAYOUT (every style decision, with its rule), the parts a description is made of, each document as a
list in reading order, then the python-docx code that writes such a list (no layout decision there).
How to change a document: docs/templates.md. docxtpl tags used: `{%p … %}` and `{%tr … %}` (a paragraph
or a table row holding only the tag is replaced by it), `{{ … }}` and inline `{% if %}` inside a run.
The context is typed values (dataclasses), so `group.items` is the field, not a dict method.

Usage: python tools/make_docx_templates.py [--out DIR]   (default: templates/)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from collections import namedtuple
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parent.parent

# ================================================================ LAYOUT
# The presentation of Party documents, Hướng dẫn 36-HD/VPTW; rules and their sources:
# /work/shared/reference/vietnamese-documents.md, section 1a (1b: Nghị định 30/2020, State documents).

FONT = "Times New Roman"  # 36-HD: TCVN 6909:2001 fonts; set in the ASCII, East Asian and complex-script slots
LANG = "vi-VN"
BODY_PT = 14  # 36-HD: body 14–15; also issuers, number, place and date, summary, signatures, "Nơi nhận:"
TYPE_PT = 16  # 36-HD: the document type ("BÁO CÁO") in capitals 15–16 bold
PARTY_PT = 15  # 36-HD item 1.1: "ĐẢNG CỘNG SẢN VIỆT NAM" in capitals 15 bold
SMALL_PT = 12  # 36-HD: the Nơi nhận items 12, a công văn's subject 12; table cells

PAGE_MM = {"portrait": (210, 297), "landscape": (297, 210)}  # A4
MARGIN_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # 36-HD: top/bottom 20, left 30, right 15 mm
HEADER_FOOTER_MM = 10  # the page number, top centre from page 2 (NĐ 30 Phụ lục I), 10 mm from the edge
TEXT_MM = {o: w - MARGIN_MM["left"] - MARGIN_MM["right"] for o, (w, _) in PAGE_MM.items()}  # 165, 252

TITLE_BEFORE_PT = {"portrait": 18, "landscape": 14}  # space above the document type (less on a landscape page)
# The header: issuers, "*" and number | the Party title, place and date (36-HD: issuers top left).
HEADER_MM = {o: [left, TEXT_MM[o] - left] for o, left in (("portrait", 80), ("landscape", 100))}
# Two signature blocks side by side, reaching 8 mm into the left margin (and 3 into the right) so that an
# authority line such as "T/M BAN CÁN SỰ ĐẢNG UBND TỈNH" (86 mm at 14 pt bold) fits on one line.
SIGNATURE_MM = {o: [(text + 11) / 2] * 2 for o, text in TEXT_MM.items()}
SIGNATURE_INDENT_MM = -8

# Borderless tables place blocks (header, signatures); bordered ones hold data, 0.5 pt black lines.
GRID_BORDER = 'w:val="nil"'
TABLE_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'  # sz in eighths of a point
GRID_CELL_MARGIN_MM = {"top": 0, "left": 0.5, "bottom": 0, "right": 0.5}
TABLE_CELL_MARGIN_MM = {"top": 0.4, "left": 1.2, "bottom": 0.4, "right": 1.2}
TABLE_CELL_VALIGN = WD_CELL_VERTICAL_ALIGNMENT.TOP  # every cell, the header row's too

# Paragraph styles: name -> (based on, font, paragraph format), in python-docx's attribute names.
BODY, HEAD, CENTER, CELL = "KH Body", "KH Heading", "KH Center", "KH Table"
CELL_HEAD, RECIP, TAG = "KH Table Heading", "KH Recipients", "KH Tag"
CENTRED, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
STYLES = {
    # 36-HD body 14, justified, first line 1 cm, 6 pt after, 1.15 (NĐ 30: indent 1–1.27 cm, ≥ 6 pt, 1 to 1.5)
    BODY: ("Normal", {}, {"alignment": WD_ALIGN_PARAGRAPH.JUSTIFY, "first_line_indent": Cm(1), "space_after": Pt(6),
                          "line_spacing_rule": WD_LINE_SPACING.MULTIPLE, "line_spacing": 1.15}),
    HEAD: (BODY, {"bold": True}, {"keep_with_next": True}),  # "I. KẾT QUẢ …", kept with what follows
    CENTER: ("Normal", {}, {"alignment": CENTRED}),  # header, title, signatures: single spacing, no indent
    CELL: ("Normal", {"size": Pt(SMALL_PT)}, {"space_before": Pt(1), "space_after": Pt(1)}),
    CELL_HEAD: (CELL, {"bold": True}, {"alignment": CENTRED}),
    RECIP: ("Normal", {"size": Pt(SMALL_PT)}, {"alignment": LEFT}),  # the Nơi nhận items
    TAG: ("Normal", {}, {}),  # a paragraph holding only a {%p %} tag (removed on rendering)
}

# ================================================================ the parts of a description

# A paragraph: its text (or a list of runs and strings), style and direct formatting (points).
P = namedtuple("P", "runs style align before after keep_next", defaults=(BODY, None, None, None, False))
# A run: text and character formatting; None keeps the style's.
R = namedtuple("R", "text bold italic underline size", defaults=(None,) * 4)
# A bordered table: a header row repeated on each page, then a row per item of `loop` (docxtpl
# `{%tr for %}`); rows never split. Each column: (width mm, header, cell text or runs[, alignment]).
Table = namedtuple("Table", "loop columns")
# A borderless one-row table placing blocks side by side: each cell's paragraphs, widths by orientation.
Grid = namedtuple("Grid", "cells widths indent_mm", defaults=(0,))
# The page setup. A document's first sets its first section (numbered from page 2); a later one starts
# a section on a new page, numbered from its first page.
Page = namedtuple("Page", "orientation")


def C(text: str, before: float | None = None, after: float | None = None, **run) -> P:
    """A centred line; `run`: bold, italic, underline, size."""
    return P([R(text, **run)], CENTER, None, before, after)


def each(loop: str, *body) -> list:
    return [P([f"{{%p for {loop} %}}"], TAG), *body, P(["{%p endfor %}"], TAG)]


def when(condition: str, *body, otherwise=()) -> list:
    orelse = [P(["{%p else %}"], TAG), otherwise] if otherwise else []
    return [P([f"{{%p if {condition} %}}"], TAG), *body, *orelse, P(["{%p endif %}"], TAG)]


# ================================================================ the documents


# the header: issuers, "*" and number (a letter: its subject under the number) | Party title, place and date
ISSUERS = [each("line in doc.issuers", C("{{ line }}", bold=True)), C("*"), C("{{ doc.number }}")]
PARTY = [C("{{ doc.party }}", size=PARTY_PT, bold=True, underline=True),
         C("{{ doc.place_date }}", before=8, italic=True)]
HEADER = Grid([ISSUERS, PARTY], HEADER_MM)
LETTER_HEADER = Grid([[ISSUERS, C("{{ doc.summary }}", size=SMALL_PT, italic=False)], PARTY], HEADER_MM)


def first_page(orientation: str, *title: P) -> list:
    """The page, the header, the document type ("BÁO CÁO"), the lines under it and a rule."""
    doc_type = C("{{ doc.type }}", before=TITLE_BEFORE_PT[orientation], size=TYPE_PT, bold=True)
    return [Page(orientation), HEADER, doc_type, *title, C("-----", after=6)]


def signer(expr: str) -> list[P]:
    """Authority, title, room to sign, name. A cell keeps its paragraphs (a cell without one is
    invalid), so which signer a cell shows is chosen inside the runs."""
    return [C(f"{{{{ {expr.format('authority')} }}}}", bold=True), C(f"{{{{ {expr.format('title')} }}}}", bold=True),
            C(""), C(""), C(""), C(""), C(f"{{{{ {expr.format('name')} }}}}", bold=True)]


# The end of every document: signers[0] left, signers[-1] right (a single signer goes right), then
# Nơi nhận below on the left.
SIGN_OFF = [
    P([], CENTER, keep_next=True),  # keeps the table apart from a table above
    Grid([signer('signers[0].{} if signers|length > 1 else ""'), signer('signers[-1].{} if signers else ""')],
         SIGNATURE_MM, SIGNATURE_INDENT_MM),
    P([R("{{ w.recipients }}", underline=True, size=BODY_PT)], RECIP, before=12, keep_next=True),
    each("r in recipients", P(["{{ r.text }}"], RECIP)),
]


def blocks(expr: str) -> list:
    """The evaluation's headed lists ("Hoàn thành đúng hạn 3 nhiệm vụ:", then a line each)."""
    return each(f"block in {expr}", P("{{ block.heading }}", keep_next=True),
                each("e in block.lines", P("- {{ e.text }}")))


def keep_last(condition: str, text: str) -> list:
    """The last paragraph before the signatures is kept on their page."""
    return when(condition, P(text, keep_next=True), otherwise=P(text))


REPORT = [
    first_page("portrait", C("{{ doc.summary|keep_tail }}", bold=True)),
    when("doc.kind", C("{{ doc.kind }}", italic=True)),
    P("{{ doc.opening }}"),
    # I. results, one group per plan section, one item per top-level task
    P("{{ sections.results }}. {{ w.results }}", HEAD),
    each("group in results", P("{{ group.number }}. {{ group.title }}", HEAD),
         each("item in group.items", P([R("{{ item.id }}. {{ item.title }}", bold=True)], keep_next=True),
              each("e in item.lines", P("- {{ e.text }}")), each("c in item.completions", P("- {{ c }}")))),
    when("not results", P([R("{{ w.no_entries }}", italic=True)])),
    # II. assessment
    P("{{ sections.evaluation }}. {{ w.evaluation }}", HEAD),
    P("{{ evaluation.summary }} {{ evaluation.completion }}"),
    P("1. {{ w.strengths }}", HEAD),
    blocks("evaluation.strengths"),
    when("not evaluation.strengths", P("{{ w.no_strengths }}")),
    P("2. {{ w.limits }}", HEAD),
    when("evaluation.unfinished", P("{{ evaluation.unfinished_heading }}", keep_next=True), Table(
        "row in evaluation.unfinished",
        [(12, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED), (16, "{{ w.col_id }}", "{{ row.id }}"),
         (40, "{{ w.col_task }}", "{{ row.title }}"), (22, "{{ w.col_lead }}", "{{ row.lead }}"),
         (23, "{{ w.col_deadline }}", "{{ row.deadline }}"), (11, "%", "{{ row.percent_text }}", CENTRED),
         (41, "{{ w.col_last }}", "{{ row.last_note }}")])),
    blocks("evaluation.limits"),
    when("evaluation.clear", P("{{ w.no_problems }}")),
    when("evaluation.difficulties", P("{{ w.difficulties }}", keep_next=True)),
    each("e in evaluation.difficulties", P("- {{ e.task_id }}: {{ e.text }}")),
    blocks("evaluation.others"),
    # III. next period
    P("{{ sections.next }}. {{ w.next }} {{ next.label|upper }}", HEAD, before=6),
    when("next.carried", P("{{ w.carried }}", keep_next=True)),
    each("i in next.carried", P("- {{ i.what }}{% if i.lead %} ({{ i.lead }}){% endif %}: {{ i.note }}.")),
    when("next.items", P("{{ next.heading }}", keep_next=True)),
    each("i in next.items", P("- {{ i.date }}: {{ i.what }}{% if i.lead %} ({{ i.lead }}){% endif %}")),
    when("next.later", P("{{ next.later }}")),
    when("next.continuing", P("{{ next.continuing }}")),
    when("not next.carried and not next.items and not next.continuing and not next.later", P("{{ w.no_next }}")),
    # IV. proposals
    P("{{ sections.proposals }}. {{ w.proposals }}", HEAD),
    each("p in proposals", keep_last("loop.last and not resolved", "- {{ p.task_id }}: {{ p.text }}")),
    when("resolved", P("{{ w.resolved }}", keep_next=True)),
    each("p in resolved", keep_last("loop.last", "- {{ p.task_id }}: {{ p.text }}")),
    when("not proposals and not resolved", P("{{ w.no_proposals }}", keep_next=True)),
    SIGN_OFF,
    # appendix: landscape, tracking table of every task and subtask
    Page("landscape"),
    C("{{ w.appendix }}", bold=True),
    C("{{ w.appendix_title }}", after=6, bold=True),
    Table("row in appendix",
          [(14, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED), (18, "{{ w.col_id }}", "{{ row.id }}"),
           (80, "{{ w.col_task }}", "{{ row.title }}"), (38, "{{ w.col_lead }}", "{{ row.lead }}"),
           (32, "{{ w.col_deadline }}", "{{ row.deadline }}"), (32, "{{ w.col_status }}", "{{ row.status }}"),
           (17, "{{ w.col_percent }}", "{{ row.percent_text }}", CENTRED),
           (21, "{{ w.col_updated }}", "{{ row.updated }}", CENTRED)]),
    P([], CELL),  # a document must not end with a table
]

CHECKLIST = [
    # a wide table: the whole document is landscape
    first_page("landscape", C("{{ doc.summary }}", bold=True), C("{{ doc.subtitle }}", bold=True),
               C("{{ doc.as_of }}", italic=True)),
    each("g in groups", P("{{ g.number }}. {{ g.title }}", HEAD, before=6), Table(
        "row in g.rows",
        [(14, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED),
         (65, "{{ w.col_task }}", [R("{{ row.id }}.", bold=True), " {{ row.title }}"]),
         (28, "{{ w.col_lead }}", "{{ row.lead }}"), (34, "{{ w.col_support }}", "{{ row.support }}"),
         (26, "{{ w.col_deadline }}", "{{ row.deadline }}"), (34, "{{ w.col_deliverables }}", "{{ row.deliverables }}"),
         (31, "{{ w.col_status }}", "{{ row.box }} {{ row.status }}"), (20, "{{ w.col_note }}", "")])),
    SIGN_OFF,
]

# A reminder letter (công văn): the header with the subject under the number, "Kính gửi", the tasks
# to answer for, the date the answer is expected, signatures and "Nơi nhận".
REMIND = [
    Page("portrait"),
    LETTER_HEADER,
    P([R("{{ w.to }}: ", size=BODY_PT), R("{{ to }}", bold=True)], CENTER, before=18, after=12),
    P("{{ opening }}"),
    Table("row in rows",
          [(11, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED), (15, "{{ w.col_id }}", "{{ row.id }}"),
           (42, "{{ w.col_task }}", "{{ row.title }}"), (22, "{{ w.col_deadline }}", "{{ row.deadline }}"),
           (22, "{{ w.col_status }}", "{{ row.status }}"), (11, "%", "{{ row.percent }}", CENTRED),
           (42, "{{ w.col_last }}", "{{ row.last }}")]),
    P("{{ closing }}", before=6, keep_next=True),
    SIGN_OFF,
]

# The report of several plans: results by plan, by lead body, and each plan's unfinished work (wide tables).
ROLLUP = [
    first_page("landscape", C("{{ doc.summary|keep_tail }}", bold=True)),
    P("{{ opening }}"),
    P("I. {{ w.rollup_plans }}", HEAD),
    Table("p in plans",
          [(14, "{{ w.col_stt }}", "{{ p.stt }}", CENTRED), (82, "{{ w.rollup_plan }}", "{{ p.name }}"),
           (22, "{{ w.rollup_judged }}", "{{ p.judged }}", CENTRED), (22, "{{ w.rollup_on_time }}", "{{ p.done_on_time }}", CENTRED),
           (22, "{{ w.rollup_late }}", "{{ p.done_late }}", CENTRED), (22, "{{ w.rollup_unfinished }}", "{{ p.unfinished }}", CENTRED),
           (22, "{{ w.rollup_continuing }}", "{{ p.continuing }}", CENTRED), (22, "{{ w.rollup_unreported }}", "{{ p.unreported }}", CENTRED),
           (18, "{{ w.col_percent }}", "{{ p.completion }}", CENTRED)]),
    P([R("{{ total.name }}: {{ total.judged }} — {{ w.rollup_on_time }} {{ total.done_on_time }}, "
         "{{ w.rollup_late }} {{ total.done_late }}, {{ w.rollup_unfinished }} {{ total.unfinished }}, "
         "{{ w.rollup_continuing }} {{ total.continuing }}, {{ w.rollup_unreported }} "
         "{{ total.unreported }}; {{ w.col_percent }} {{ total.completion }}.", bold=True)], before=3),
    P("II. {{ w.rollup_bodies }}", HEAD, before=6),
    Table("b in bodies",
          [(14, "{{ w.col_stt }}", "{{ b.stt }}", CENTRED), (110, "{{ w.col_lead }}", "{{ b.name }}"),
           (30, "{{ w.rollup_judged }}", "{{ b.judged }}", CENTRED), (26, "{{ w.rollup_done }}", "{{ b.done }}", CENTRED),
           (26, "{{ w.rollup_unfinished }}", "{{ b.unfinished }}", CENTRED), (26, "{{ w.rollup_continuing }}", "{{ b.continuing }}", CENTRED),
           (24, "{{ w.rollup_unreported }}", "{{ b.unreported }}", CENTRED)]),
    P("III. {{ w.rollup_unfinished_by_plan }}", HEAD, before=6),
    each("s in sections", P("{{ s.number }}. {{ s.name }}", HEAD, before=6), when("s.rows", Table(
        "r in s.rows",
        [(14, "{{ w.col_stt }}", "{{ r.stt }}", CENTRED), (18, "{{ w.col_id }}", "{{ r.id }}"),
         (80, "{{ w.col_task }}", "{{ r.title }}"), (34, "{{ w.col_lead }}", "{{ r.lead }}"),
         (26, "{{ w.col_deadline }}", "{{ r.deadline }}"), (16, "%", "{{ r.percent }}", CENTRED),
         (64, "{{ w.col_last }}", "{{ r.last_note }}")]), otherwise=P("{{ w.rollup_none_unfinished }}"))),
    SIGN_OFF,
]

TEMPLATES = {"report.docx": REPORT, "checklist.docx": CHECKLIST, "remind.docx": REMIND, "rollup.docx": ROLLUP}

# ================================================================ writing a description with python-docx


def _flat(items) -> list:
    return [x for item in items for x in (_flat(item) if isinstance(item, list) else [item])]


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _paragraph(paragraph, spec: P) -> None:
    paragraph.style = spec.style
    for value, attr in ((spec.align, "alignment"), (spec.before, "space_before"), (spec.after, "space_after"),
                        (spec.keep_next or None, "keep_with_next")):
        if value is not None:
            setattr(paragraph.paragraph_format, attr, Pt(value) if attr.startswith("space") else value)
    for r in [spec.runs] if isinstance(spec.runs, str) else spec.runs:
        r = R(r) if isinstance(r, str) else r
        run = paragraph.add_run(r.text)
        for attr in ("bold", "italic", "underline", "size"):
            if getattr(r, attr) is not None:
                setattr(run.font, attr, Pt(r.size) if attr == "size" else getattr(r, attr))
    for t in paragraph._p.iter(qn("w:t")):  # keep the spaces of the template text ("Số        -BC/…", " — ")
        t.set(qn("xml:space"), "preserve")


def _table(doc, widths: list[float], rows: list[list], border: str, margin_mm: dict, indent_mm: float = 0):
    """A fixed-width table whose rows never split; `rows`: each cell's paragraphs, row by row."""
    table = doc.add_table(rows=len(rows), cols=len(widths))
    place = f'<w:tblInd w:type="dxa" w:w="{_twips(indent_mm)}"/>' if indent_mm else '<w:jc w:val="center"/>'
    edges = "".join(f"<w:{edge} {border}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{edge} w:w="{_twips(mm)}" w:type="dxa"/>' for edge, mm in margin_mm.items())
    old = table._tbl.tblPr
    new = parse_xml(f'<w:tblPr {nsdecls("w")}><w:tblW w:type="dxa" w:w="{_twips(sum(widths))}"/>{place}'
                    f'<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>'
                    f'<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>')
    new.append(old.find(qn("w:tblLook")))
    table._tbl.replace(old, new)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), _twips(w))
    for row, cells in zip(table.rows, rows, strict=True):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, w, paragraphs in zip(row.cells, widths, cells, strict=True):
            cell.width = Mm(w)
            for i, spec in enumerate(_flat([paragraphs])):  # the first goes in the empty paragraph a cell has
                _paragraph(cell.paragraphs[0] if i == 0 else cell.add_paragraph(), spec)
    return table


def _data_table(doc, spec: Table) -> None:
    """The header row, then a data row between `{%tr for … %}` and `{%tr endfor %}` rows."""
    blank = [[]] * (len(spec.columns) - 1)
    rows = [[P([R(head, bold=True)], CELL_HEAD) for _, head, *_ in spec.columns],
            [P([f"{{%tr for {spec.loop} %}}"], CELL), *blank],
            [P([cell] if isinstance(cell, str) else cell, CELL, *align) for _, _, cell, *align in spec.columns],
            [P(["{%tr endfor %}"], CELL), *blank]]
    table = _table(doc, [column[0] for column in spec.columns], rows, TABLE_BORDER, TABLE_CELL_MARGIN_MM)
    table.rows[0]._tr.trPr.append(OxmlElement("w:tblHeader"))  # repeated on each page
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = TABLE_CELL_VALIGN


def _styles(doc) -> None:
    styles = doc.styles
    # the document defaults and Normal: FONT in every slot (no theme font: it would win), BODY_PT, LANG
    rpr = (f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
           f'<w:sz w:val="{2 * BODY_PT}"/><w:szCs w:val="{2 * BODY_PT}"/>'
           f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/></w:rPr>')
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    defaults.replace(defaults[0], parse_xml(rpr))
    styles["Normal"].element.append(parse_xml(rpr))
    normal = styles["Normal"].paragraph_format  # no space around paragraphs, single spacing
    normal.space_before, normal.space_after, normal.line_spacing, normal.widow_control = Pt(0), Pt(0), 1.0, True
    for name, (base, font, paragraph) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style, style.quick_style = styles[base], True
        for attr, value in font.items():
            setattr(style.font, attr, value)
        for attr, value in paragraph.items():
            setattr(style.paragraph_format, attr, value)
    styles["Header"].font.size = Pt(BODY_PT)  # the default template's header style sets tab stops only


def _page(doc, orientation: str, first: bool) -> None:
    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(mm) for mm in PAGE_MM[orientation])
    for edge, mm in MARGIN_MM.items():
        setattr(section, f"{edge}_margin", Mm(mm))
    section.header_distance = section.footer_distance = Mm(HEADER_FOOTER_MM)
    section.gutter = 0
    section.different_first_page_header_footer = first
    if first:  # a PAGE field at the top centre; a blank header on page 1
        section.first_page_header.is_linked_to_previous = False
        p = section.header.paragraphs[0]
        p.style, p.alignment = "Header", CENTRED
        p._p.extend(list(parse_xml(
            f'<w:p {nsdecls("w")}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
            ' PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')))


def build(description: list):
    doc = Document()
    _styles(doc)
    for i, item in enumerate(_flat(description)):
        if isinstance(item, Page):
            orientation = item.orientation
            _page(doc, orientation, first=i == 0)
        elif isinstance(item, P):
            _paragraph(doc.add_paragraph(), item)
        elif isinstance(item, Grid):
            _table(doc, item.widths[orientation], [item.cells], GRID_BORDER, GRID_CELL_MARGIN_MM, item.indent_mm)
        else:
            _data_table(doc, item)
    props = {"author": "kehoach", "last_modified_by": "kehoach", "title": "", "revision": 1,
             "comments": "Generated by tools/make_docx_templates.py; docxtpl template",
             "created": dt.datetime(2021, 1, 1), "modified": dt.datetime(2021, 1, 1)}
    for attr, value in props.items():
        setattr(doc.core_properties, attr, value)
    return doc


def _save(doc, path: Path) -> None:
    """Save with fixed zip timestamps, so that rebuilding an unchanged layout gives the same bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename), zipfile.ZIP_DEFLATED)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "templates", help="output folder (default: templates/)")
    args = ap.parse_args(argv)
    for name, description in TEMPLATES.items():
        _save(build(description), args.out / name)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
