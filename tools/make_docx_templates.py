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
# Party documents follow Hướng dẫn 36-HD/VPTW, State ones Nghị định 30/2020/NĐ-CP Phụ lục I; each rule, its
# source and the test that holds it: docs/document-rules.md (R1–R56).

FONT = "Times New Roman"  # R4: TCVN 6909:2001 fonts; set in the ASCII, East Asian and complex-script slots
LANG = "vi-VN"
BODY_PT = 14  # R26: body 14; also the Party issuers, number, place and date, summary, signatures, "Nơi nhận:"
TYPE_PT = 16  # R21: the document type ("BÁO CÁO") in capitals 15–16 bold
PARTY_PT = 15  # R12: "ĐẢNG CỘNG SẢN VIỆT NAM" in capitals 15 bold
SMALL_PT = 12  # R45: the Nơi nhận items; R24: a Party letter's subject; table cells (R31)
STATE_PT = {"names": 13, "number": 13, "nation": 12, "motto": 13, "items": 11, "type": 14}  # R10, R11, R18, R21, R48

PAGE_MM = {"portrait": (210, 297), "landscape": (297, 210)}  # R1: A4
MARGIN_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # R3
HEADER_FOOTER_MM = 10  # R49: the page number, top centre from page 2, 10 mm from the edge
TEXT_MM = {o: w - MARGIN_MM["left"] - MARGIN_MM["right"] for o, (w, _) in PAGE_MM.items()}  # 165, 252

TITLE_BEFORE_PT = {"portrait": 18, "landscape": 14}  # space above the document type (less on a landscape page)
# R6: the header grid, issuers | title, the width of the text. A State header gives the Quốc hiệu more room.
HEADER_MM = {form: {o: [left, TEXT_MM[o] - left] for o, left in (("portrait", portrait), ("landscape", 100))}
             for form, portrait in (("party", 80), ("state", 70))}
# R13, R11, R10: solid rules drawn as the bottom border of an empty paragraph, centred: as long as the Party
# title (72.9 mm at 15 pt bold) or the Tiêu ngữ (56.1 mm at 13 pt bold); under a State issuer, about a third
# of its line.
RULE_MM = {"title": 73, "motto": 56, "issuer": 22, "summary": 55}  # R23: State, a third of the line under the summary
RULE_PT = 3  # the rule paragraph's own height: the rule sits this far below the line above it (clear of the dots of Ộ, Ệ)
# R40–R42: the signature row, inside the margins. Joint: the ban cán sự đảng's block left, wide enough for
# "T/M BAN CÁN SỰ ĐẢNG UBND TỈNH" (85.6 mm at 14 pt bold), the host's right. One signer: Nơi nhận left (R44).
SIGNATURE_MM = {"joint": {"portrait": [89, 76], "landscape": [126, 126]},
                "single": {"portrait": [76, 89], "landscape": [126, 126]}}

# Borderless tables place blocks (header, signatures); bordered ones hold data, 0.5 pt black lines (R31).
GRID_BORDER = 'w:val="nil"'
TABLE_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'  # sz in eighths of a point
RULE_BORDER = 'w:val="single" w:sz="6" w:space="0" w:color="000000"'
GRID_CELL_MARGIN_MM = {"top": 0, "left": 0.5, "bottom": 0, "right": 0.5}
TABLE_CELL_MARGIN_MM = {"top": 0.4, "left": 1.2, "bottom": 0.4, "right": 1.2}
TABLE_CELL_VALIGN = WD_CELL_VERTICAL_ALIGNMENT.TOP  # every cell, the header row's too

# Paragraph styles: name -> (based on, font, paragraph format, outline level), in python-docx's names.
BODY, HEAD, CENTER, CELL = "KH Body", "KH Heading", "KH Center", "KH Table"
HEAD1, HEAD2, HEAD3 = "KH Heading 1", "KH Heading 2", "KH Heading 3"
CELL_HEAD, RECIP, TAG, RULE = "KH Table Heading", "KH Recipients", "KH Tag", "KH Rule"
CENTRED, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
STYLES = {
    # R26: body 14, justified, first line 1 cm, 6 pt after, 1.15
    BODY: ("Normal", {}, {"alignment": WD_ALIGN_PARAGRAPH.JUSTIFY, "first_line_indent": Cm(1), "space_after": Pt(6),
                          "line_spacing_rule": WD_LINE_SPACING.MULTIPLE, "line_spacing": 1.15}, None),
    HEAD: (BODY, {"bold": True}, {"keep_with_next": True}, None),  # R28: a heading is kept with what follows
    HEAD1: (HEAD, {}, {}, 0),  # R27 "I. KẾT QUẢ …"; the outline levels make Word's navigation pane
    HEAD2: (HEAD, {}, {}, 1),  # "1. …"
    HEAD3: (HEAD, {}, {}, 2),  # "a) …"
    CENTER: ("Normal", {}, {"alignment": CENTRED}, None),  # header, title, signatures: single spacing, no indent
    RULE: ("Normal", {"size": Pt(RULE_PT)}, {"alignment": CENTRED}, None),
    CELL: ("Normal", {"size": Pt(SMALL_PT)}, {"space_before": Pt(1), "space_after": Pt(1)}, None),
    CELL_HEAD: (CELL, {"bold": True}, {"alignment": CENTRED}, None),
    RECIP: ("Normal", {"size": Pt(SMALL_PT)}, {"alignment": LEFT}, None),  # R45; kept together: R47
    TAG: ("Normal", {}, {}, None),  # a paragraph holding only a {%p %} tag (removed on rendering)
}
# The Word file's properties, from the document (docxtpl renders them like the text); the subject: TEMPLATES.
PROPERTIES = {"title": "{{ [doc.type, doc.summary]|select|join(' ')|safe }}",
              "author": "{{ doc.issuer_names|join(', ')|safe }}", "comments": "", "keywords": "",
              "last_modified_by": "", "language": LANG}

# ================================================================ the parts of a description

# A paragraph: its text (or a list of runs and strings), style and direct formatting (points).
P = namedtuple("P", "runs style align before after keep_next", defaults=(BODY, None, None, None, False))
# A run: text and character formatting; None keeps the style's.
R = namedtuple("R", "text bold italic underline size", defaults=(None,) * 4)
# A bordered table: a header row repeated on each page, then a row per item of `loop` (docxtpl
# `{%tr for %}`); rows never split. Each column: (width mm, header, cell text or runs[, alignment]).
Table = namedtuple("Table", "loop columns")
# A borderless one-row table placing blocks side by side: each cell's paragraphs, widths by orientation.
Grid = namedtuple("Grid", "cells widths")
# A solid rule `mm` long, centred in the cell it stands in (the bottom border of an empty paragraph).
Rule = namedtuple("Rule", "mm")
# The page setup. A document's first sets its first section (numbered from page 2); a later one starts
# a section on a new page, numbered on its own from 1 (an appendix, R53).
Page = namedtuple("Page", "orientation")


def C(text: str, before: float | None = None, after: float | None = None, keep: bool = False, **run) -> P:
    """A centred line; `run`: bold, italic, underline, size."""
    return P([R(text, **run)], CENTER, None, before, after, keep)


def each(loop: str, *body) -> list:
    return [P([f"{{%p for {loop} %}}"], TAG), *body, P(["{%p endfor %}"], TAG)]


def when(condition: str, *body, otherwise=()) -> list:
    orelse = [P(["{%p else %}"], TAG), otherwise] if otherwise else []
    return [P([f"{{%p if {condition} %}}"], TAG), *body, *orelse, P(["{%p endif %}"], TAG)]


def party(text: str, **run) -> R:
    """A run printed in Party documents only (a run's formatting cannot depend on the document)."""
    return R(f"{{% if doc.form != 'state' %}}{text}{{% endif %}}", **run)


def state(text: str, **run) -> R:
    return R(f"{{% if doc.form == 'state' %}}{text}{{% endif %}}", **run)


# ================================================================ the documents


def header(subject: bool = False) -> list:
    """The header grid (R6–R25): a Party document's issuers (the superior upright, the issuer bold), "*" and
    number | the Party title over its rule, place and date; a State document's issuers over a short rule
    and number | Quốc hiệu, Tiêu ngữ over its rule, place and date. A letter's subject goes under the
    number: Party 12 italic (R24), State "V/v …" 12 upright (R25)."""
    names = {form: [each("line in doc.superior", C("{{ line }}", size=size)),
                    each("line in doc.issuers", C("{{ line }}", size=size, bold=True))]
             for form, size in (("party", BODY_PT), ("state", STATE_PT["names"]))}
    party_left = [names["party"], C("*"), C("{{ doc.number }}"),
                  *([C("{{ doc.summary }}", size=SMALL_PT, italic=True)] if subject else [])]
    state_left = [names["state"], Rule(RULE_MM["issuer"]), C("{{ doc.number }}", before=6, size=STATE_PT["number"]),
                  *([C("{{ doc.summary }}", before=6, size=SMALL_PT)] if subject else [])]
    party_right = [C("{{ doc.party }}", size=PARTY_PT, bold=True), Rule(RULE_MM["title"]),
                   C("{{ doc.place_date }}", before=8, italic=True)]
    state_right = [C("{{ doc.party }}", size=STATE_PT["nation"], bold=True),
                   C("{{ doc.motto }}", size=STATE_PT["motto"], bold=True), Rule(RULE_MM["motto"]),
                   C("{{ doc.place_date }}", before=8, italic=True)]
    return when("doc.form == 'state'", Grid([state_left, state_right], HEADER_MM["state"]),
                otherwise=Grid([party_left, party_right], HEADER_MM["party"]))


def first_page(orientation: str, *title: P) -> list:
    """The page, the header, the document type ("BÁO CÁO": Party 16, State 14), the lines under it, then
    "-----" (Party) or a short solid rule (State) (R21–R23)."""
    doc_type = {form: C("{{ doc.type }}", before=TITLE_BEFORE_PT[orientation], size=size, bold=True)
                for form, size in (("party", TYPE_PT), ("state", STATE_PT["type"]))}
    return [Page(orientation), header(),
            when("doc.form == 'state'", doc_type["state"], otherwise=doc_type["party"]), *title,
            when("doc.form == 'state'", Rule(RULE_MM["summary"]), otherwise=C("-----", after=6))]


def appendix_title(title: str) -> list:
    """An appendix's head (R51, R52): "Phụ lục" 14 bold, its title in capitals bold, "(Kèm theo …)" italic."""
    return [C("{{ w.appendix }}", bold=True), C(title, bold=True), C("{{ doc.attached }}", after=6, italic=True)]


def signer(expr: str) -> list[P]:
    """The authority line in bold (R35), the position under it upright in a Party document (R36: "PHÓ BÍ
    THƯ" under "T/M …"), bold in a State one (R43); the head of a body signing alone has the position
    alone, in bold, as the authority line (R38). Room to sign, the name (R35); all kept with what follows."""
    authority, title = f"{{{{ {expr}.authority }}}}", f"{{{{ {expr}.title }}}}"
    return [when(f"{expr}.authority", C(authority, keep=True, bold=True),
                 P([party(title), state(title, bold=True)], CENTER, keep_next=True),
                 otherwise=C(title, keep=True, bold=True)),
            *[C("", keep=True)] * 4, C(f"{{{{ {expr}.name }}}}", keep=True, bold=True)]


def recipients(before: float) -> list:
    """Nơi nhận (R45–R48): Party "Nơi nhận:" 14 underlined, items 12; State bold italic 12, items 11. The
    label and every item but the last are kept with the next line, so the list never leaves its last
    line ("- Lưu …") alone on a page (R47)."""
    item = [party("{{ r.text }}"), state("{{ r.text }}", size=STATE_PT["items"])]
    return [P([party("{{ w.recipients }}", underline=True, size=BODY_PT),
               state("{{ w.recipients }}", bold=True, italic=True)], RECIP, before=before, keep_next=True),
            each("r in recipients", when("loop.last", P(item, RECIP), otherwise=P(item, RECIP, keep_next=True)))]


# The end of every document (R35–R48): two signers side by side, Nơi nhận below at the left; one signer on
# the right, Nơi nhận level with it on the left. Nơi nhận is in the signatures' table (under the left
# signer), one row that never breaks: a page break between them left it alone on the next page.
SIGN_OFF = [
    P([], CENTER, keep_next=True),  # keeps the table apart from a table above
    when("signers|length > 1", Grid([signer("signers[0]") + recipients(before=12), signer("signers[-1]")],
                                     SIGNATURE_MM["joint"]),
         otherwise=when("signers", Grid([recipients(before=0), signer("signers[0]")], SIGNATURE_MM["single"]),
                        otherwise=recipients(before=12))),
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
    # I. results, one group per plan section, one item per top-level task (R27: I → 1 → 1.1, codes in brackets)
    P("{{ sections.results }}. {{ w.results }}", HEAD1),
    each("group in results", P("{{ group.number }}. {{ group.heading }}", HEAD2),
         each("item in group.items", P("{{ item.stt }}) {{ item.heading }}", HEAD3),
              each("e in item.lines", P("- {{ e.text }}")), each("c in item.completions", P("- {{ c }}")))),
    when("not results", P("{{ w.no_entries }}")),  # R26: body text upright
    # II. assessment
    P("{{ sections.evaluation }}. {{ w.evaluation }}", HEAD1),
    P("{{ evaluation.summary }} {{ evaluation.completion }}"),
    P("{{ w.see_appendix }}"),  # R50
    P("1. {{ w.strengths }}", HEAD2),
    blocks("evaluation.strengths"),
    when("not evaluation.strengths", P("{{ w.no_strengths }}")),
    P("2. {{ w.limits }}", HEAD2),
    when("evaluation.unfinished", P("{{ evaluation.unfinished_heading }}", keep_next=True), Table(
        "row in evaluation.unfinished",
        [(11, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED), (16, "{{ w.col_id }}", "{{ row.id }}"),
         (37, "{{ w.col_task }}", "{{ row.title }}"), (28, "{{ w.col_lead }}", "{{ row.lead }}"),
         (22, "{{ w.col_deadline }}", "{{ row.deadline }}"), (13, "%", "{{ row.percent_shown }}", CENTRED),
         (38, "{{ w.col_last }}", "{{ row.result }}")])),
    blocks("evaluation.limits"),
    when("evaluation.clear", P("{{ w.no_problems }}")),
    when("evaluation.difficulties", P("{{ w.difficulties }}", keep_next=True)),
    each("e in evaluation.difficulties", P("- {{ e.task_id }}: {{ e.text }}")),
    blocks("evaluation.others"),
    # III. next period
    P("{{ sections.next }}. {{ w.next }} {{ next.label|upper }}", HEAD1, before=6),
    when("next.carried", P("{{ w.carried }}", keep_next=True)),
    each("i in next.carried", P("- {{ i.what }}{% if i.lead %} ({{ i.lead }}){% endif %}: {{ i.note }}.")),
    when("next.items", P("{{ next.heading }}", keep_next=True)),
    each("i in next.items", P("- {{ i.date }}: {{ i.what }}{% if i.lead %} ({{ i.lead }}){% endif %}"
                              "{% if i.note %}: {{ i.note }}{% endif %}")),
    when("next.later", P("{{ next.later }}")),
    when("next.continuing", P("{{ next.continuing }}")),
    when("not next.carried and not next.items and not next.continuing and not next.later", P("{{ w.no_next }}")),
    # IV. proposals
    P("{{ sections.proposals }}. {{ w.proposals }}", HEAD1),
    each("p in proposals", keep_last("loop.last and not resolved", "- {{ p.task_id }}: {{ p.text }}")),
    when("resolved", P("{{ w.resolved }}", keep_next=True)),
    each("p in resolved", keep_last("loop.last", "- {{ p.task_id }}: {{ p.text }}")),
    when("not proposals and not resolved", P("{{ w.no_proposals }}", keep_next=True)),
    SIGN_OFF,
    # the appendix (R51–R54): landscape, numbered on its own, the tracking table of every task and subtask
    Page("landscape"),
    appendix_title("{{ w.appendix_title }}"),
    Table("row in appendix",
          [(14, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED), (18, "{{ w.col_id }}", "{{ row.id }}"),
           (76, "{{ w.col_task }}", "{{ row.title }}"), (38, "{{ w.col_lead }}", "{{ row.lead }}"),
           (32, "{{ w.col_deadline }}", "{{ row.deadline }}"), (32, "{{ w.col_status }}", "{{ row.status_text }}"),
           (17, "{{ w.col_percent }}", "{{ row.percent_shown }}", CENTRED),
           # "11/12/2021" on one line (at 21 mm it broke "11/12/202" / "1")
           (25, "{{ w.col_updated }}", "{{ row.updated }}", CENTRED)]),
    P([], CELL),  # a document must not end with a table
]

# The assignment table: an appendix of the plan (R17, R52), landscape, with no header, number or signature
# of its own.
CHECKLIST = [
    Page("landscape"),
    appendix_title("{{ doc.type }}"),
    C("{{ doc.subtitle }}", bold=True), C("{{ doc.as_of }}", after=6, italic=True),
    each("g in groups", P("{{ g.number }}. {{ g.title }}", HEAD1, before=6), Table(
        "row in g.rows",
        [(14, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED),
         (65, "{{ w.col_task }}", [R("{{ row.id }}.", bold=True), " {{ row.title }}"]),
         (28, "{{ w.col_lead }}", "{{ row.lead }}"), (34, "{{ w.col_support }}", "{{ row.support }}"),
         (26, "{{ w.col_deadline }}", "{{ row.deadline }}"), (34, "{{ w.col_deliverables }}", "{{ row.deliverables }}"),
         (31, "{{ w.col_status }}", "{{ row.box }} {{ row.status }}"), (20, "{{ w.col_note }}", "")])),
    P([], CELL),
]

# A reminder letter (công văn): the header with the subject under the number, "Kính gửi" (R32), the tasks
# to answer for, the date the answer is expected, signatures and "Nơi nhận".
REMIND = [
    Page("portrait"),
    header(subject=True),
    when("addressees|length > 1",
         P([party("{{ w.to }}:", italic=True), state("{{ w.to }}:")], CENTER, before=18),
         each("a in addressees", P(["{{ a }}"], CENTER)),
         otherwise=P([party("{{ w.to }}: ", italic=True), state("{{ w.to }}: "), "{{ addressees[0] }}"], CENTER,
                     before=18)),
    P("{{ opening }}", before=12),
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
    P("I. {{ w.rollup_plans|upper }}", HEAD1),
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
    P("II. {{ w.rollup_bodies|upper }}", HEAD1, before=6),
    Table("b in bodies",
          [(14, "{{ w.col_stt }}", "{{ b.stt }}", CENTRED), (106, "{{ w.col_lead }}", "{{ b.name }}"),
           (30, "{{ w.rollup_judged }}", "{{ b.judged }}", CENTRED), (26, "{{ w.rollup_done }}", "{{ b.done }}", CENTRED),
           (26, "{{ w.rollup_unfinished }}", "{{ b.unfinished }}", CENTRED), (26, "{{ w.rollup_continuing }}", "{{ b.continuing }}", CENTRED),
           (24, "{{ w.rollup_unreported }}", "{{ b.unreported }}", CENTRED)]),
    P("III. {{ w.rollup_unfinished_by_plan|upper }}", HEAD1, before=6),
    each("s in sections", P("{{ s.number }}. {{ s.name }}", HEAD2, before=6), when("s.rows", Table(
        "r in s.rows",
        [(14, "{{ w.col_stt }}", "{{ r.stt }}", CENTRED), (18, "{{ w.col_id }}", "{{ r.id }}"),
         (80, "{{ w.col_task }}", "{{ r.title }}"), (34, "{{ w.col_lead }}", "{{ r.lead }}"),
         (26, "{{ w.col_deadline }}", "{{ r.deadline }}"), (16, "%", "{{ r.percent }}", CENTRED),
         (64, "{{ w.col_last }}", "{{ r.last_note }}")]), otherwise=P("{{ w.rollup_none_unfinished }}"))),
    SIGN_OFF,
]

# The appendix of an amendment (`kehoach diff`): what changed, task by task, attached to the plan.
DIFF = [
    Page("portrait"),
    appendix_title("{{ doc.type }}"),
    when("rows", Table("row in rows",
                       [(12, "{{ w.col_stt }}", "{{ row.stt }}", CENTRED), (20, "{{ w.col_id }}", "{{ row.id }}"),
                        (28, "{{ w.col_kind }}", "{{ row.kind }}"), (105, "{{ w.col_change }}", "{{ row.text }}")])),
    P("{{ summary }}", before=6),
    when("warning", P([R("{{ warning }}", bold=True)])),
]

# each template, with what its Word file's "subject" property says
PLAN_TITLE = "{{ plan.title|safe }}"
TEMPLATES = {"report.docx": (REPORT, PLAN_TITLE), "checklist.docx": (CHECKLIST, PLAN_TITLE),
             "remind.docx": (REMIND, PLAN_TITLE), "rollup.docx": (ROLLUP, "{{ doc.summary|safe }}"),
             "diff.docx": (DIFF, "{{ doc.attached|safe }}")}

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


def _rule(paragraph, spec: Rule, cell_mm: float) -> None:
    """An empty paragraph whose bottom border is the rule, indented to be `spec.mm` long and centred."""
    paragraph.style = RULE
    side = Mm((cell_mm - GRID_CELL_MARGIN_MM["left"] - GRID_CELL_MARGIN_MM["right"] - spec.mm) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom {RULE_BORDER}/></w:pBdr>'),
                              "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")


def _table(doc, widths: list[float], rows: list[list], border: str, margin_mm: dict):
    """A fixed-width table, centred, whose rows never split; `rows`: each cell's paragraphs, row by row."""
    table = doc.add_table(rows=len(rows), cols=len(widths))
    edges = "".join(f"<w:{edge} {border}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{edge} w:w="{_twips(mm)}" w:type="dxa"/>' for edge, mm in margin_mm.items())
    old = table._tbl.tblPr
    new = parse_xml(f'<w:tblPr {nsdecls("w")}><w:tblW w:type="dxa" w:w="{_twips(sum(widths))}"/><w:jc w:val="center"/>'
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
                paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                _rule(paragraph, spec, w) if isinstance(spec, Rule) else _paragraph(paragraph, spec)
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
    for name, (base, font, paragraph, outline) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style, style.quick_style = styles[base], True
        for attr, value in font.items():
            setattr(style.font, attr, value)
        for attr, value in paragraph.items():
            setattr(style.paragraph_format, attr, value)
        if outline is not None:
            style.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'))
    styles["Header"].font.size = Pt(BODY_PT)  # the default template's header style sets tab stops only


def _page(doc, orientation: str, first: bool) -> None:
    """A section: A4 in `orientation`, the margins, and the page number at the top centre from its second
    page (R49); a later section starts on a new page and is numbered on its own from 1 (R53)."""
    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(mm) for mm in PAGE_MM[orientation])
    for edge, mm in MARGIN_MM.items():
        setattr(section, f"{edge}_margin", Mm(mm))
    section.header_distance = section.footer_distance = Mm(HEADER_FOOTER_MM)
    section.gutter = 0
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # a blank header on the first page
    section.header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.style, p.alignment = "Header", CENTRED
    p._p.extend(list(parse_xml(
        f'<w:p {nsdecls("w")}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        ' PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')))
    if not first:
        section._sectPr.insert_element_before(
            parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'), "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
            "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings")


def build(description: list, subject: str):
    doc = Document()
    _styles(doc)
    for i, item in enumerate(_flat(description)):
        if isinstance(item, Page):
            orientation = item.orientation
            _page(doc, orientation, first=i == 0)
        elif isinstance(item, P):
            _paragraph(doc.add_paragraph(), item)
        elif isinstance(item, Rule):  # a rule in the text, centred on the line
            _rule(doc.add_paragraph(), item, TEXT_MM[orientation] + GRID_CELL_MARGIN_MM["left"] + GRID_CELL_MARGIN_MM["right"])
        elif isinstance(item, Grid):
            _table(doc, item.widths[orientation], [item.cells], GRID_BORDER, GRID_CELL_MARGIN_MM)
        else:
            _data_table(doc, item)
    props = {**PROPERTIES, "subject": subject, "revision": 1, "created": dt.datetime(2021, 1, 1),
             "modified": dt.datetime(2021, 1, 1)}
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
    for name, (description, subject) in TEMPLATES.items():
        _save(build(description, subject), args.out / name)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
