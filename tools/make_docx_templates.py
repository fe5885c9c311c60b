#!/usr/bin/env python
"""Build the Word templates `templates/report.docx`, `templates/checklist.docx`,
`templates/remind.docx` and `templates/rollup.docx`.

The templates are generated with python-docx rather than drawn by hand in Word,
so that the layout is reproducible and can be reviewed as code. They hold
layout only: every word comes from the context that `kehoach.views.reportview`
builds (`build_report`, `build_checklist`), filled in by docxtpl through
`kehoach.outputs.render.render_docx`.

Layout: the official presentation of Party documents (Hướng dẫn 36-HD/VPTW),
see /work/shared/reference/vietnamese-documents.md:

* A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman
  (ASCII, East Asian and complex-script slots), 14 pt body; page numbers at the
  top centre from page 2.
* Header: borderless two-column table. Left: the issuing bodies in capitals,
  14 bold, an asterisk, then the number. Right: "ĐẢNG CỘNG SẢN VIỆT NAM", 15
  bold underlined, then place and date in 14 italic.
* Document type (16 bold), summary (14 bold) and a short "-----", centred.
* Body 14 pt, justified, first line indented 1 cm, 6 pt after, spacing 1.15.
* Signature blocks side by side in a borderless table (one or two signers),
  "Nơi nhận" underneath on the left, recipients in 12 pt.
* Report appendix and the whole checklist on landscape pages; their tables
  repeat the header row on each page and never split a row across pages.

docxtpl tags used: `{%p … %}` (a paragraph holding only the tag is replaced by
the tag), `{%tr … %}` (likewise a table row), plain `{{ … }}` and inline
`{% if %}` inside a run.

The context is made of typed values (dataclasses, `kehoach.views.reportview`), so
`group.items` is the field, not a dict method.

Usage: python tools/make_docx_templates.py [--out DIR]   (default: templates/)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell

ROOT = Path(__file__).resolve().parent.parent
FONT = "Times New Roman"
LANG = "vi-VN"

# A4 and the margins of 36-HD/VPTW
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
PORTRAIT_TEXT_MM = 210 - 30 - 15  # 165
LANDSCAPE_TEXT_MM = 297 - 30 - 15  # 252

# paragraph styles defined below
BODY = "KH Body"  # 14, justified, first line 1 cm, 6 pt after, 1.15
HEAD = "KH Heading"  # body + bold, kept with the next paragraph
CENTER = "KH Center"  # 14, centred, single spacing, no indent
CELL = "KH Table"  # 12, single spacing, for table cells
CELL_HEAD = "KH Table Heading"  # 12 bold centred
RECIP = "KH Recipients"  # 12, left, single spacing
TAG = "KH Tag"  # paragraphs that hold only a {%p %} tag (removed on rendering)


# ---------------------------------------------------------------- specs


@dataclass
class R:
    """A run: text and its character formatting (None = inherit from the style)."""

    text: str
    bold: bool | None = None
    italic: bool | None = None
    underline: bool | None = None
    size: float | None = None


@dataclass
class P:
    """A paragraph: runs (or plain strings), a style and optional direct formatting."""

    runs: list = field(default_factory=list)
    style: str = BODY
    align: WD_ALIGN_PARAGRAPH | None = None
    before: float | None = None
    after: float | None = None
    keep_next: bool = False


def T(tag: str) -> P:
    """A paragraph holding only a docxtpl `{%p … %}` tag."""
    assert tag.startswith("{%p ") and tag.endswith(" %}"), tag
    return P([tag], style=TAG)


def C(*runs, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
      underline: bool | None = None, before: float | None = None, after: float | None = None) -> P:
    """A centred paragraph; formatting given here applies to every run."""
    out = []
    for r in runs:
        r = R(r) if isinstance(r, str) else r
        out.append(R(r.text, bold if r.bold is None else r.bold, italic if r.italic is None else r.italic,
                     underline if r.underline is None else r.underline, size if r.size is None else r.size))
    return P(out, style=CENTER, before=before, after=after)


# ---------------------------------------------------------------- low-level helpers


def _set_fonts(rpr) -> None:
    """Times New Roman in all four font slots; drop theme fonts, which would win."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _set_lang(rpr) -> None:
    lang = _child(rpr, "w:lang", RPR_ORDER)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), "ar-SA")


# schema order of the children of w:tblPr and w:rPr (Word rejects misordered XML)
TBLPR_ORDER = ["w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
               "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
               "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"]
RPR_ORDER = ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
             "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
             "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
             "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
             "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"]
TCPR_ORDER = ["w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
              "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"]


def _child(parent, tag: str, order: list[str] | None = None):
    """The child `tag` of `parent`, created if missing, in its schema position."""
    el = parent.find(qn(tag))
    if el is not None:
        return el
    el = OxmlElement(tag)
    if order and tag in order:
        later = {qn(t) for t in order[order.index(tag) + 1:]}
        for sibling in parent:
            if sibling.tag in later:
                sibling.addprevious(el)
                return el
    parent.append(el)
    return el


def write_paragraph(paragraph, spec: P) -> None:
    paragraph.style = spec.style
    if spec.align is not None:
        paragraph.alignment = spec.align
    fmt = paragraph.paragraph_format
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.keep_next:
        fmt.keep_with_next = True
    for r in spec.runs:
        r = R(r) if isinstance(r, str) else r
        run = paragraph.add_run(r.text)
        if r.bold is not None:
            run.bold = r.bold
        if r.italic is not None:
            run.italic = r.italic
        if r.underline is not None:
            run.underline = r.underline
        if r.size is not None:
            run.font.size = Pt(r.size)
    # keep the spaces of the template text ("Số        -BC/…", " — ")
    for t in paragraph._p.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")


def add(container, *specs: P) -> None:
    """Append paragraphs to the document body or a table cell."""
    for spec in specs:
        write_paragraph(container.add_paragraph(), spec)


def fill_cell(cell: _Cell, *specs: P) -> None:
    """Write paragraphs into a fresh cell, reusing the empty paragraph it starts with."""
    write_paragraph(cell.paragraphs[0], specs[0])
    for spec in specs[1:]:
        write_paragraph(cell.add_paragraph(), spec)


def _table_width(table, widths_mm: list[float], indent_mm: float = 0) -> None:
    tbl = table._tbl
    tblPr = tbl.tblPr
    table.autofit = False
    layout = _child(tblPr, "w:tblLayout", TBLPR_ORDER)
    layout.set(qn("w:type"), "fixed")
    width = _child(tblPr, "w:tblW", TBLPR_ORDER)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
    if indent_mm:
        ind = _child(tblPr, "w:tblInd", TBLPR_ORDER)
        ind.set(qn("w:type"), "dxa")
        ind.set(qn("w:w"), str(round(indent_mm / 25.4 * 1440)))
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(round(w / 25.4 * 1440)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def _borders(table, kind: str) -> None:
    """kind: 'none' (layout tables) or 'single' (data tables, 0.5 pt)."""
    tblPr = table._tbl.tblPr
    old = tblPr.find(qn("w:tblBorders"))
    if old is not None:
        tblPr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if kind == "none":
            el.set(qn("w:val"), "nil")
        else:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblPr.insert_element_before(borders, *TBLPR_ORDER[TBLPR_ORDER.index("w:tblBorders") + 1:])


def _cell_margins(table, left_mm: float, right_mm: float, top_mm: float = 0, bottom_mm: float = 0) -> None:
    tblPr = table._tbl.tblPr
    mar = _child(tblPr, "w:tblCellMar", TBLPR_ORDER)
    for edge, mm in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)):
        el = _child(mar, f"w:{edge}")
        el.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        el.set(qn("w:type"), "dxa")


def _row_flags(row, header: bool = False) -> None:
    """cantSplit on every row; tblHeader (repeat on each page) on header rows."""
    trPr = row._tr.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is None:
        trPr.insert(0, OxmlElement("w:cantSplit"))
    if header and trPr.find(qn("w:tblHeader")) is None:
        trPr.append(OxmlElement("w:tblHeader"))


def layout_table(container, widths_mm: list[float], rows: int = 1, indent_mm: float = 0):
    """A borderless table used for placing blocks (header, signatures)."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.style = None
    if not indent_mm:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, "none")
    _cell_margins(table, 0.5, 0.5)
    _table_width(table, widths_mm, indent_mm)
    for row in table.rows:
        _row_flags(row)
    return table


def data_table(container, columns: list[tuple[float, P]], loop: str, cells: list[P]):
    """A bordered table: a header row (repeated on each page), then one data row
    between `{%tr for … %}` and `{%tr endfor %}` rows. Rows never split."""
    widths = [w for w, _ in columns]
    table = container.add_table(rows=4, cols=len(columns))
    table.style = None
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table, "single")
    _cell_margins(table, 1.2, 1.2, 0.4, 0.4)
    _table_width(table, widths)
    head, start, data, end = table.rows
    for cell, (_, spec) in zip(head.cells, columns, strict=False):
        fill_cell(cell, spec)
    fill_cell(start.cells[0], P([loop], style=CELL))
    for cell, spec in zip(data.cells, cells, strict=False):
        fill_cell(cell, spec)
    fill_cell(end.cells[0], P(["{%tr endfor %}"], style=CELL))
    _row_flags(head, header=True)
    for row in (start, data, end):
        _row_flags(row)
    for row in table.rows:
        for cell in row.cells:
            tcPr = cell._tc.get_or_add_tcPr()
            v = _child(tcPr, "w:vAlign", TCPR_ORDER)
            v.set(qn("w:val"), "center" if row is head else "top")
    return table


def H(text: str, size: float | None = None) -> P:
    return P([R(text, bold=True, size=size)], style=CELL_HEAD)


def D(*runs, align=None) -> P:
    return P(list(runs), style=CELL, align=align)


# ---------------------------------------------------------------- the document


def _styles(doc) -> None:
    styles = doc.styles
    # document defaults: Times New Roman, 14 pt, Vietnamese
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    _set_lang(rpr)
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag, RPR_ORDER).set(qn("w:val"), "28")

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    nrpr = normal.element.get_or_add_rPr()
    _set_fonts(nrpr)
    _child(nrpr, "w:szCs", RPR_ORDER).set(qn("w:val"), "28")
    _set_lang(nrpr)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = True

    def pstyle(name: str, base: str = "Normal"):
        s = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = styles[base]
        s.quick_style = True
        return s

    body = pstyle(BODY)
    f = body.paragraph_format
    f.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    f.first_line_indent = Cm(1)
    f.space_after = Pt(6)
    f.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    f.line_spacing = 1.15

    head = pstyle(HEAD, BODY)
    head.font.bold = True
    head.paragraph_format.keep_with_next = True

    center = pstyle(CENTER)
    center.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    cell = pstyle(CELL)
    cell.font.size = Pt(12)
    cell.paragraph_format.space_before = Pt(1)
    cell.paragraph_format.space_after = Pt(1)

    cell_head = pstyle(CELL_HEAD, CELL)
    cell_head.font.bold = True
    cell_head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    recip = pstyle(RECIP)
    recip.font.size = Pt(12)
    recip.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    pstyle(TAG)

    # the header style of the default template sets tab stops only; make its size 14
    styles["Header"].font.size = Pt(14)


def _page(section, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_H, PAGE_W
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.gutter = 0


def _page_number(section) -> None:
    """PAGE field at the top centre; none on the first page (a blank first-page header)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header for page 1
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = "Header"
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run_with(el):
        run = p.add_run()
        run._r.append(el)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    p.add_run("2")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def new_document(landscape: bool = False):
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section, landscape)
    _page_number(section)
    props = doc.core_properties
    props.author = "kehoach"
    props.last_modified_by = "kehoach"
    props.title = ""
    props.comments = "Generated by tools/make_docx_templates.py; docxtpl template"
    props.revision = 1
    props.created = props.modified = dt.datetime(2021, 1, 1)
    return doc


def header_block(doc, text_mm: float, subject: bool = False) -> None:
    """Issuers, '*' and number on the left (and, for a letter, its subject under the number, 12 pt);
    Party title, place and date on the right."""
    left = 80 if text_mm < 200 else 100
    table = layout_table(doc, [left, text_mm - left])
    lcell, rcell = table.rows[0].cells
    fill_cell(
        lcell,
        T("{%p for line in doc.issuers %}"),
        C("{{ line }}", bold=True),
        T("{%p endfor %}"),
        C("*"),
        C("{{ doc.number }}"),
        *([C("{{ doc.summary }}", size=12, italic=False)] if subject else []),
    )
    fill_cell(
        rcell,
        C("{{ doc.party }}", size=15, bold=True, underline=True),
        C("{{ doc.place_date }}", italic=True, before=8),
    )


def title_block(*lines: P) -> list[P]:
    return [*lines, C("-----", after=6)]


def signature_block(doc, text_mm: float) -> None:
    """Two signature blocks side by side: signers[0] left, signers[-1] right; a single
    signer goes to the right, as Nơi nhận is below on the left. One row that cannot
    split, so a block never breaks across pages. Each cell always keeps its
    paragraphs (a cell left without a paragraph is invalid), so which signer a cell
    shows is chosen inside the runs. The table reaches 8 mm into the left margin so
    that an authority line such as "T/M BAN CÁN SỰ ĐẢNG UBND TỈNH" (86 mm at 14 pt
    bold) fits on one line in each half."""
    add(doc, P([], style=CENTER, keep_next=True))  # keeps the table apart from a table above
    width = text_mm + 11
    table = layout_table(doc, [width / 2, width / 2], indent_mm=-8)
    lcell, rcell = table.rows[0].cells

    def block(expr: str) -> list[P]:
        return [
            C(f"{{{{ {expr.format(k='authority')} }}}}", bold=True),
            C(f"{{{{ {expr.format(k='title')} }}}}", bold=True),
            C(""), C(""), C(""), C(""),
            C(f"{{{{ {expr.format(k='name')} }}}}", bold=True),
        ]

    fill_cell(lcell, *block('signers[0].{k} if signers|length > 1 else ""'))
    fill_cell(rcell, *block('signers[-1].{k} if signers else ""'))


def recipients_block(doc) -> None:
    add(
        doc,
        P([R("{{ w.recipients }}", underline=True, size=14)], style=RECIP, before=12, keep_next=True),
        T("{%p for r in recipients %}"),
        P(["{{ r.text }}"], style=RECIP),
        T("{%p endfor %}"),
    )


def landscape_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False  # numbered from its first page
    return section


def _save(doc, path: Path) -> None:
    """Save with fixed zip timestamps, so that rebuilding an unchanged layout gives
    the same bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------- report.docx


def build_report_template():
    doc = new_document()
    header_block(doc, PORTRAIT_TEXT_MM)
    add(
        doc,
        *title_block(
            C("{{ doc.type }}", size=16, bold=True, before=18),
            C("{{ doc.summary|keep_tail }}", bold=True),
        ),
        T("{%p if doc.kind %}"),
        C("{{ doc.kind }}", italic=True),
        T("{%p endif %}"),
        P(["{{ doc.opening }}"]),
        # I. results, one group per plan section, one item per top-level task
        P(["{{ sections.results }}. {{ w.results }}"], style=HEAD),
        T("{%p for group in results %}"),
        P(["{{ group.number }}. {{ group.title }}"], style=HEAD),
        T("{%p for item in group.items %}"),
        P([R("{{ item.id }}. {{ item.title }}", bold=True)], keep_next=True),
        T("{%p for e in item.lines %}"),
        P(["- {{ e.text }}"]),
        T("{%p endfor %}"),
        T("{%p for c in item.completions %}"),
        P(["- {{ c }}"]),
        T("{%p endfor %}"),
        T("{%p endfor %}"),
        T("{%p endfor %}"),
        T("{%p if not results %}"),
        P([R("{{ w.no_entries }}", italic=True)]),
        T("{%p endif %}"),
        # II. assessment
        P(["{{ sections.evaluation }}. {{ w.evaluation }}"], style=HEAD),
        P(["{{ evaluation.summary }} {{ evaluation.completion }}"]),
        P(["1. {{ w.strengths }}"], style=HEAD),
        T("{%p for block in evaluation.strengths %}"),
        P(["{{ block.heading }}"], keep_next=True),
        T("{%p for e in block.lines %}"),
        P(["- {{ e.text }}"]),
        T("{%p endfor %}"),
        T("{%p endfor %}"),
        T("{%p if not evaluation.strengths %}"),
        P(["{{ w.no_strengths }}"]),
        T("{%p endif %}"),
        P(["2. {{ w.limits }}"], style=HEAD),
        T("{%p if evaluation.unfinished %}"),
        P(["{{ evaluation.unfinished_heading }}"], keep_next=True),
    )
    data_table(
        doc,
        [(12, H("{{ w.col_stt }}")), (16, H("{{ w.col_id }}")), (40, H("{{ w.col_task }}")),
         (22, H("{{ w.col_lead }}")), (23, H("{{ w.col_deadline }}")), (11, H("%")),
         (41, H("{{ w.col_last }}"))],
        "{%tr for row in evaluation.unfinished %}",
        [D("{{ row.stt }}", align=WD_ALIGN_PARAGRAPH.CENTER), D("{{ row.id }}"), D("{{ row.title }}"),
         D("{{ row.lead }}"), D("{{ row.deadline }}"), D("{{ row.percent_text }}", align=WD_ALIGN_PARAGRAPH.CENTER),
         D("{{ row.last_note }}")],
    )
    add(
        doc,
        T("{%p endif %}"),
        T("{%p for block in evaluation.limits %}"),
        P(["{{ block.heading }}"], keep_next=True),
        T("{%p for e in block.lines %}"),
        P(["- {{ e.text }}"]),
        T("{%p endfor %}"),
        T("{%p endfor %}"),
        T("{%p if evaluation.clear %}"),
        P(["{{ w.no_problems }}"]),
        T("{%p endif %}"),
        T("{%p if evaluation.difficulties %}"),
        P(["{{ w.difficulties }}"], keep_next=True),
        T("{%p endif %}"),
        T("{%p for e in evaluation.difficulties %}"),
        P(["- {{ e.task_id }}: {{ e.text }}"]),
        T("{%p endfor %}"),
        T("{%p for block in evaluation.others %}"),
        P(["{{ block.heading }}"], keep_next=True),
        T("{%p for e in block.lines %}"),
        P(["- {{ e.text }}"]),
        T("{%p endfor %}"),
        T("{%p endfor %}"),
        # III. next period
        P(["{{ sections.next }}. {{ w.next }} {{ next.label|upper }}"], style=HEAD, before=6),
        T("{%p if next.carried %}"),
        P(["{{ w.carried }}"], keep_next=True),
        T("{%p endif %}"),
        T("{%p for i in next.carried %}"),
        P(["- {{ i.what }}{% if i.lead %} ({{ i.lead }}){% endif %}: {{ i.note }}."]),
        T("{%p endfor %}"),
        T("{%p if next.items %}"),
        P(["{{ next.heading }}"], keep_next=True),
        T("{%p endif %}"),
        T("{%p for i in next.items %}"),
        P(["- {{ i.date }}: {{ i.what }}{% if i.lead %} ({{ i.lead }}){% endif %}"]),
        T("{%p endfor %}"),
        T("{%p if next.later %}"),
        P(["{{ next.later }}"]),
        T("{%p endif %}"),
        T("{%p if next.continuing %}"),
        P(["{{ next.continuing }}"]),
        T("{%p endif %}"),
        T("{%p if not next.carried and not next.items and not next.continuing and not next.later %}"),
        P(["{{ w.no_next }}"]),
        T("{%p endif %}"),
        # IV. proposals
        P(["{{ sections.proposals }}. {{ w.proposals }}"], style=HEAD),
        # the last paragraph before the signatures is kept on their page
        T("{%p for p in proposals %}"),
        T("{%p if loop.last and not resolved %}"),
        P(["- {{ p.task_id }}: {{ p.text }}"], keep_next=True),
        T("{%p else %}"),
        P(["- {{ p.task_id }}: {{ p.text }}"]),
        T("{%p endif %}"),
        T("{%p endfor %}"),
        T("{%p if resolved %}"),
        P(["{{ w.resolved }}"], keep_next=True),
        T("{%p endif %}"),
        T("{%p for p in resolved %}"),
        T("{%p if loop.last %}"),
        P(["- {{ p.task_id }}: {{ p.text }}"], keep_next=True),
        T("{%p else %}"),
        P(["- {{ p.task_id }}: {{ p.text }}"]),
        T("{%p endif %}"),
        T("{%p endfor %}"),
        T("{%p if not proposals and not resolved %}"),
        P(["{{ w.no_proposals }}"], keep_next=True),
        T("{%p endif %}"),
    )
    signature_block(doc, PORTRAIT_TEXT_MM)
    recipients_block(doc)

    # appendix: landscape, tracking table of every task and subtask
    landscape_section(doc)
    add(
        doc,
        C("{{ w.appendix }}", bold=True),
        C("{{ w.appendix_title }}", bold=True, after=6),
    )
    data_table(
        doc,
        [(14, H("{{ w.col_stt }}")), (18, H("{{ w.col_id }}")), (80, H("{{ w.col_task }}")),
         (38, H("{{ w.col_lead }}")), (32, H("{{ w.col_deadline }}")), (32, H("{{ w.col_status }}")),
         (17, H("{{ w.col_percent }}")), (21, H("{{ w.col_updated }}"))],
        "{%tr for row in appendix %}",
        [D("{{ row.stt }}", align=WD_ALIGN_PARAGRAPH.CENTER), D("{{ row.id }}"), D("{{ row.title }}"),
         D("{{ row.lead }}"), D("{{ row.deadline }}"), D("{{ row.status }}"),
         D("{{ row.percent_text }}", align=WD_ALIGN_PARAGRAPH.CENTER),
         D("{{ row.updated }}", align=WD_ALIGN_PARAGRAPH.CENTER)],
    )
    add(doc, P([], style=CELL))  # a document must not end with a table
    return doc


# ---------------------------------------------------------------- checklist.docx


def build_checklist_template():
    doc = new_document(landscape=True)  # a wide table: the whole document is landscape
    header_block(doc, LANDSCAPE_TEXT_MM)
    add(
        doc,
        *title_block(
            C("{{ doc.type }}", size=16, bold=True, before=14),
            C("{{ doc.summary }}", bold=True),
            C("{{ doc.subtitle }}", bold=True),
            C("{{ doc.as_of }}", italic=True),
        ),
        T("{%p for g in groups %}"),
        P(["{{ g.number }}. {{ g.title }}"], style=HEAD, before=6),
    )
    data_table(
        doc,
        [(14, H("{{ w.col_stt }}")), (65, H("{{ w.col_task }}")), (28, H("{{ w.col_lead }}")),
         (34, H("{{ w.col_support }}")), (26, H("{{ w.col_deadline }}")), (34, H("{{ w.col_deliverables }}")),
         (31, H("{{ w.col_status }}")), (20, H("{{ w.col_note }}"))],
        "{%tr for row in g.rows %}",
        [D("{{ row.stt }}", align=WD_ALIGN_PARAGRAPH.CENTER),
         D(R("{{ row.id }}.", bold=True), " {{ row.title }}"),
         D("{{ row.lead }}"), D("{{ row.support }}"), D("{{ row.deadline }}"),
         D("{{ row.deliverables }}"), D("{{ row.box }} {{ row.status }}"), D("")],
    )
    add(doc, T("{%p endfor %}"))
    signature_block(doc, LANDSCAPE_TEXT_MM)
    recipients_block(doc)
    return doc


# ---------------------------------------------------------------- remind.docx


def build_remind_template():
    """A reminder letter (công văn): the header with the subject under the number, "Kính gửi", the
    tasks to answer for, the date the answer is expected, signatures and "Nơi nhận"."""
    doc = new_document()
    header_block(doc, PORTRAIT_TEXT_MM, subject=True)
    add(
        doc,
        P([R("{{ w.to }}: ", size=14), R("{{ to }}", bold=True)], style=CENTER, before=18, after=12),
        P(["{{ opening }}"]),
    )
    data_table(
        doc,
        [(11, H("{{ w.col_stt }}")), (15, H("{{ w.col_id }}")), (42, H("{{ w.col_task }}")),
         (22, H("{{ w.col_deadline }}")), (22, H("{{ w.col_status }}")), (11, H("%")),
         (42, H("{{ w.col_last }}"))],
        "{%tr for row in rows %}",
        [D("{{ row.stt }}", align=WD_ALIGN_PARAGRAPH.CENTER), D("{{ row.id }}"), D("{{ row.title }}"),
         D("{{ row.deadline }}"), D("{{ row.status }}"), D("{{ row.percent }}", align=WD_ALIGN_PARAGRAPH.CENTER),
         D("{{ row.last }}")],
    )
    add(doc, P(["{{ closing }}"], before=6, keep_next=True))
    signature_block(doc, PORTRAIT_TEXT_MM)
    recipients_block(doc)
    return doc


# ---------------------------------------------------------------- rollup.docx

CENTER_ = WD_ALIGN_PARAGRAPH.CENTER


def build_rollup_template():
    """The report of several plans: results by plan, by lead body, and each plan's unfinished work,
    on landscape pages (wide tables)."""
    doc = new_document(landscape=True)
    header_block(doc, LANDSCAPE_TEXT_MM)
    add(
        doc,
        *title_block(
            C("{{ doc.type }}", size=16, bold=True, before=14),
            C("{{ doc.summary|keep_tail }}", bold=True),
        ),
        P(["{{ opening }}"]),
        P(["I. {{ w.rollup_plans }}"], style=HEAD),
    )
    data_table(
        doc,
        [(14, H("{{ w.col_stt }}")), (82, H("{{ w.rollup_plan }}")), (22, H("{{ w.rollup_judged }}")),
         (22, H("{{ w.rollup_on_time }}")), (22, H("{{ w.rollup_late }}")), (22, H("{{ w.rollup_unfinished }}")),
         (22, H("{{ w.rollup_continuing }}")), (22, H("{{ w.rollup_unreported }}")), (18, H("{{ w.col_percent }}"))],
        "{%tr for p in plans %}",
        [D("{{ p.stt }}", align=CENTER_), D("{{ p.name }}"), D("{{ p.judged }}", align=CENTER_),
         D("{{ p.done_on_time }}", align=CENTER_), D("{{ p.done_late }}", align=CENTER_),
         D("{{ p.unfinished }}", align=CENTER_), D("{{ p.continuing }}", align=CENTER_),
         D("{{ p.unreported }}", align=CENTER_), D("{{ p.completion }}", align=CENTER_)],
    )
    add(doc, P([R("{{ total.name }}: {{ total.judged }} — {{ w.rollup_on_time }} {{ total.done_on_time }}, "
                  "{{ w.rollup_late }} {{ total.done_late }}, {{ w.rollup_unfinished }} {{ total.unfinished }}, "
                  "{{ w.rollup_continuing }} {{ total.continuing }}, {{ w.rollup_unreported }} "
                  "{{ total.unreported }}; {{ w.col_percent }} {{ total.completion }}.", bold=True)], before=3))
    add(doc, P(["II. {{ w.rollup_bodies }}"], style=HEAD, before=6))
    data_table(
        doc,
        [(14, H("{{ w.col_stt }}")), (110, H("{{ w.col_lead }}")), (30, H("{{ w.rollup_judged }}")),
         (26, H("{{ w.rollup_done }}")), (26, H("{{ w.rollup_unfinished }}")), (26, H("{{ w.rollup_continuing }}")),
         (24, H("{{ w.rollup_unreported }}"))],
        "{%tr for b in bodies %}",
        [D("{{ b.stt }}", align=CENTER_), D("{{ b.name }}"), D("{{ b.judged }}", align=CENTER_),
         D("{{ b.done }}", align=CENTER_), D("{{ b.unfinished }}", align=CENTER_),
         D("{{ b.continuing }}", align=CENTER_), D("{{ b.unreported }}", align=CENTER_)],
    )
    add(
        doc,
        P(["III. {{ w.rollup_unfinished_by_plan }}"], style=HEAD, before=6),
        T("{%p for s in sections %}"),
        P(["{{ s.number }}. {{ s.name }}"], style=HEAD, before=6),
        T("{%p if s.rows %}"),
    )
    data_table(
        doc,
        [(14, H("{{ w.col_stt }}")), (18, H("{{ w.col_id }}")), (80, H("{{ w.col_task }}")),
         (34, H("{{ w.col_lead }}")), (26, H("{{ w.col_deadline }}")), (16, H("%")), (64, H("{{ w.col_last }}"))],
        "{%tr for r in s.rows %}",
        [D("{{ r.stt }}", align=WD_ALIGN_PARAGRAPH.CENTER), D("{{ r.id }}"), D("{{ r.title }}"), D("{{ r.lead }}"),
         D("{{ r.deadline }}"), D("{{ r.percent }}", align=WD_ALIGN_PARAGRAPH.CENTER), D("{{ r.last_note }}")],
    )
    add(
        doc,
        T("{%p else %}"),
        P(["{{ w.rollup_none_unfinished }}"]),
        T("{%p endif %}"),
        T("{%p endfor %}"),
    )
    signature_block(doc, LANDSCAPE_TEXT_MM)
    recipients_block(doc)
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "templates", help="output folder (default: templates/)")
    args = ap.parse_args(argv)
    for name, build in (("report.docx", build_report_template), ("checklist.docx", build_checklist_template),
                        ("remind.docx", build_remind_template), ("rollup.docx", build_rollup_template)):
        path = args.out / name
        _save(build(), path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
