"""The layout rules of docs/document-rules.md (R1–R54), one test per rule, measured on the Word
files kehoach writes and, where layout matters, on the PDF LibreOffice makes of them.

Documents (built once for the module, from both shipped plans):

- R   the Q2 report (`report --period Q2`), portrait with a landscape appendix;
- C   the checklist (`checklist --as-of 2021-07-01`), an appendix of the plan (issue 18, item 3);
- L1  a reminder letter of one issuer (`remind --as-of 2021-10-05`): the letter to one co-issuer
      comes from the other;
- L2  the joint reminder of both issuers to their standing units (the internal list);
- U   the roll-up of both plans (`report plans/2021.yaml examples/demo.yaml`);
- D   the diff appendix (`diff OLD NEW -f markdown`; `diff` writes no Word file);
- S   a State document: the report and a letter of a copy of demo.yaml whose only issuer is
      the State body `ubnd-tinh` (rules R10, R11, R18, R25, R43, R48).

The rules are tested as docs/document-rules.md states them, whatever the output does today.
PDF checks are marked slow and share one LibreOffice conversion; they skip when LibreOffice
or poppler is missing (.ci/run installs both).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from docx.enum.section import WD_ORIENT, WD_SECTION  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Mm, Pt  # noqa: E402
from docx.table import Table  # noqa: E402
from docx.text.paragraph import Paragraph  # noqa: E402

import docrules as dr  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLANS = {"demo": ROOT / "examples" / "demo.yaml", "2021": ROOT / "plans" / "2021.yaml"}
AS_OF = "2021-10-05"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER

# ---------------------------------------------------------------- the documents

# id: (kind, plan key, how to find the file in the build folder)
DOCS: dict[str, tuple[str, str, str]] = {
    "R-demo": ("R", "demo", "report-demo.docx"),
    "R-2021": ("R", "2021", "report-2021.docx"),
    "C-demo": ("C", "demo", "checklist-demo.docx"),
    "C-2021": ("C", "2021", "checklist-2021.docx"),
    # the letter to the Ban Dân vận comes from the ban cán sự đảng alone, and the other way round
    "L1-demo-from-bcsd": ("L1", "demo", "remind-demo/*-don-doc-*-bdvtu.docx"),
    "L1-2021-from-bcsd": ("L1", "2021", "remind-2021/*-don-doc-*-bdvtu.docx"),
    "L1-2021-from-bdvtu": ("L1", "2021", "remind-2021/*-don-doc-*-bcsd-ubnd.docx"),
    "L2-demo": ("L2", "demo", "remind-demo/*-nhac-viec-noi-bo-*.docx"),
    "L2-2021": ("L2", "2021", "remind-2021/*-nhac-viec-noi-bo-*.docx"),
    "U": ("U", "2021", "rollup.docx"),
    "S-R": ("SR", "state", "report-state.docx"),
    "S-L": ("SL", "state", "remind-state/*-don-doc-*-bdvtu.docx"),
}
NUMBERED_5 = {"R5-demo": "report5-demo.docx", "R5-2021": "report5-2021.docx", "L5-demo": "remind5-demo/*.docx"}


def ids(*kinds: str) -> list[str]:
    return [d for d, (k, _, _) in DOCS.items() if k in kinds]


WORD = list(DOCS)
PARTY = ids("R", "L1", "L2", "U")  # Party documents with a header and signatures
STATE = ids("SR", "SL")
HEADED = PARTY + STATE
JOINT = ids("R", "L2", "U")
LETTERS = ids("L1", "L2")
SINGLE = ids("L1")
REPORTS = ids("R", "U")


def _state_plan(text: str) -> str:
    """demo.yaml as a plan of the State body ubnd-tinh alone, signed by its chairman."""
    text = text.replace("  issuers: [bdvtu, bcsd-ubnd]\n", "  issuers: [ubnd-tinh]\n")
    text = re.sub(r"(?m)^  header: \[.*\]\n", "", text)
    text = text.replace("number: 12-KH/BDVTU-BCSĐUBND", "number: 12/KH-UBND")
    start = text.index("\nsigners:\n")
    end = re.search(r"\n(?=\S)", text[start + 10:])
    rest = text[start + 10 + end.start():] if end else "\n"
    return (text[:start] + "\nsigners:\n  - body: ubnd-tinh\n    authority: TM. ỦY BAN NHÂN DÂN\n"
            "    title: CHỦ TỊCH\n    name: Nguyễn Văn Bình\n" + rest.lstrip("\n"))


def _diff_new(text: str) -> str:
    """The plan with its first dated deadline moved: a diff with something in it."""
    m = re.search(r"(?m)^(\s+deadline: )(\d{4})-(\d{2})(-\d{2})?$", text)
    assert m, "no dated deadline to move"
    month = int(m.group(3))
    moved = f"{m.group(1)}{m.group(2)}-{month - 1 if month > 1 else 2:02d}{'-15' if m.group(4) else ''}"
    return text[:m.start()] + moved + text[m.end():]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every document, written once by the command line in-process."""
    from kehoach.base import settings
    from kehoach.cli.app import main

    out = tmp_path_factory.mktemp("docrules")
    state = out / "state.yaml"
    state.write_text(_state_plan(PLANS["demo"].read_text(encoding="utf-8")), encoding="utf-8")
    plans = {**PLANS, "state": state}
    runs = []
    for key in ("demo", "2021", "state"):
        runs.append(["report", "-p", plans[key], "--period", "Q2", "-f", "docx", "-o", out / f"report-{key}.docx"])
        runs.append(["remind", "-p", plans[key], "--as-of", AS_OF, "-f", "docx", "-o", out / f"remind-{key}"])
    for key in ("demo", "2021"):
        runs.append(["checklist", "-p", plans[key], "--as-of", "2021-07-01", "-f", "docx",
                     "-o", out / f"checklist-{key}.docx"])
        runs.append(["report", "-p", plans[key], "--period", "Q2", "--number", "5", "-f", "docx",
                     "-o", out / f"report5-{key}.docx"])
        new = out / f"new-{key}.yaml"
        new.write_text(_diff_new(plans[key].read_text(encoding="utf-8")), encoding="utf-8")
        runs.append(["diff", plans[key], new, "-f", "markdown", "-o", out / f"diff-{key}.md"])
    runs.append(["remind", "-p", PLANS["demo"], "--as-of", "2021-07-01", "--body", "Thanh tra", "--number", "5",
                 "-f", "docx", "-o", out / "remind5-demo"])
    runs.append(["report", PLANS["2021"], PLANS["demo"], "--period", "Q2", "-f", "docx", "-o", out / "rollup.docx"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KEHOACH_NO_CACHE", "1")
        mp.delenv("KEHOACH_LANG", raising=False)
        mp.setattr(settings, "_current",
                   settings.Settings(pure_parser=os.environ.get("KEHOACH_YAML_PARSER") == "pure"))
        for args in runs:
            code = main([str(a) for a in args])
            assert code == 0, f"kehoach {' '.join(map(str, args))} exited with {code}"
    return out


def _find(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"expected one file {pattern} in {folder}, found {[p.name for p in found]}"
    return found[0]


def path_of(built: Path, doc_id: str) -> Path:
    pattern = DOCS[doc_id][2] if doc_id in DOCS else NUMBERED_5[doc_id]
    return _find(built, pattern)


@functools.cache
def _open(path: Path):
    return docx.Document(str(path))


def open_doc(built: Path, doc_id: str):
    return _open(path_of(built, doc_id))


@functools.cache
def plan_of(key: str, built: Path | None = None):
    from kehoach.plan.loader import load_plan

    path = PLANS.get(key) or (built / "state.yaml")
    loaded = load_plan(path)
    assert loaded.plan is not None, loaded.diagnostics
    return loaded.plan


def plan_for(built: Path, doc_id: str):
    key = DOCS[doc_id][1]
    return plan_of(key, built if key == "state" else None)


def body_name(plan, body_id: str) -> str:
    return next(b for b in plan.bodies if b.id == body_id).name


def sender_of(doc_id: str, plan) -> str:
    """The issuer a single-issuer letter comes from: the co-issuer it is not addressed to."""
    if doc_id.startswith("S-"):
        return plan.plan.issuers[0]
    return "bcsd-ubnd" if doc_id.endswith("from-bcsd") else "bdvtu"


# ---------------------------------------------------------------- reading helpers


def head_cells(doc):
    head = dr.header_table(doc)
    assert head is not None, "the document does not open with a header grid"
    cells = head.rows[0].cells
    assert len(cells) == 2, f"the header grid has {len(cells)} columns, not 2"
    return cells


def lines(cell) -> list:
    """The printing paragraphs of a cell."""
    return dr.nonblank(cell.paragraphs)


def number_paragraph(doc):
    p = next((p for p in lines(head_cells(doc)[0]) if p.text.startswith("Số")), None)
    assert p is not None, "no 'Số …' line in the left column of the header"
    return p


def after_head(doc) -> list:
    """The printing paragraphs after the header grid, up to the first table."""
    out = []
    for item in dr.body_items(doc)[1:]:
        if isinstance(item, Table):
            break
        if not dr.blank(item):
            out.append(item)
    return out


class _Signed:
    """A signature block: its cell's paragraphs up to a Nơi nhận below it in the same cell (two
    signers: Nơi nhận under the left one, in the row that keeps them on one page)."""

    def __init__(self, cell):
        self._tc = cell._tc
        ps = list(cell.paragraphs)
        cut = next((i for i, p in enumerate(ps) if p.text.startswith("Nơi nhận")), len(ps))
        self.paragraphs = ps[:cut]


def sign_blocks(doc) -> list:
    """The signature blocks of the signature row, left to right (a Nơi nhận cell is not one)."""
    sign = dr.sign_table(doc)
    assert sign is not None, "no signature row (a borderless table after the header)"
    cells = []
    for c in sign.rows[0].cells:
        if any(c._tc is x._tc for x in cells):
            continue
        cells.append(c)
    return [_Signed(c) for c in cells if lines(c) and not lines(c)[0].text.startswith("Nơi nhận")]


def recipients_block(doc) -> list:
    """The Nơi nhận label and its items: in a cell of the signature row (its own, or under the
    left signer), or after the row."""
    sign = dr.sign_table(doc)
    assert sign is not None, "no signature row"
    for c in sign.rows[0].cells:
        ps = lines(c)
        at = next((i for i, p in enumerate(ps) if p.text.startswith("Nơi nhận")), None)
        if at is not None:
            return ps[at:]
    items = dr.body_items(doc)
    at = next(i for i, x in enumerate(items) if isinstance(x, Table) and x._tbl is sign._tbl)
    out = []
    for x in items[at + 1:]:
        if isinstance(x, Table):
            break
        if dr.blank(x):
            if out:
                break
            continue
        if not out and not x.text.startswith("Nơi nhận"):
            break
        out.append(x)
    assert out, "no 'Nơi nhận:' in the signature row nor right after it"
    return out


def sections_with_blocks(doc):
    """[(section, [Paragraph | Table …])] in order."""
    out, blocks = [], []
    sections = iter(doc.sections)
    for item in dr.body_items(doc):
        blocks.append(item)
        if isinstance(item, Paragraph) and item._p.pPr is not None and item._p.pPr.find(qn("w:sectPr")) is not None:
            out.append((next(sections), blocks))
            blocks = []
    out.append((next(sections), blocks))
    return out


def data_tables(doc) -> list:
    return [t for t in doc.tables if not dr.borderless(t)]


def body_paragraphs(doc) -> list:
    """Top-level paragraphs outside tables."""
    return [x for x in dr.body_items(doc) if isinstance(x, Paragraph)]


def prose(doc) -> str:
    """The text a reader reads as the letter's own words: every paragraph outside the data tables."""
    texts = [p.text for p in body_paragraphs(doc)]
    head = dr.header_table(doc)
    if head is not None:
        texts += [p.text for c in head.rows[0].cells for p in c.paragraphs]
    return "\n".join(texts)


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")}


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def sizes(p) -> set:
    return dr.p_eff(p, "size")


def appendix_blocks(doc, kind: str) -> list:
    """The printing paragraphs that open the appendix: the last section of a report, the whole
    checklist."""
    blocks = sections_with_blocks(doc)[-1][1] if kind == "R" else dr.body_items(doc)
    out = []
    for b in blocks:
        if isinstance(b, Table):
            break
        if not dr.blank(b):
            out.append(b)
    return out


def md_lines(md: str) -> list[str]:
    """The non-empty lines of a Markdown file, without # * _ markup."""
    return [re.sub(r"^#+\s*|[*_]", "", line).strip() for line in md.splitlines() if line.strip()]


# ================================================================ A. Page and font


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("doc_id", WORD)
def test_r1_a4_and_text_pages_portrait(built, doc_id):
    doc = open_doc(built, doc_id)
    for s in doc.sections:
        dims = sorted([s.page_width, s.page_height])
        assert abs(dims[0] - Mm(210)) <= Mm(0.5) and abs(dims[1] - Mm(297)) <= Mm(0.5), "not A4"
    if DOCS[doc_id][0] not in ("C", "U"):
        assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT, "a text document starts on a landscape page"


@pytest.mark.parametrize("doc_id", ids("R", "C", "U", "SR"))
def test_r2_landscape_only_for_wide_tables(built, doc_id):
    doc = open_doc(built, doc_id)
    whole_table = DOCS[doc_id][0] in ("C", "U")
    for i, (s, blocks) in enumerate(sections_with_blocks(doc)):
        if s.orientation != WD_ORIENT.LANDSCAPE or whole_table:
            continue
        widest = max((sum(dr.grid_mm(t)) for t in blocks if isinstance(t, Table)), default=0)
        assert widest > 165.5, f"section {i} is landscape without a table wider than the portrait line"
        assert i == 0 or s.start_type == WD_SECTION.NEW_PAGE, f"landscape section {i} does not start a page"


@pytest.mark.parametrize("doc_id", WORD)
def test_r3_margins(built, doc_id):
    for i, s in enumerate(open_doc(built, doc_id).sections):
        got = [round(x / Mm(1), 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
        assert all(abs(g - w) <= 0.2 for g, w in zip(got, (20, 20, 30, 15), strict=True)), \
            f"section {i} margins top/bottom/left/right {got} mm, not 20/20/30/15"


# characters Times New Roman has: Latin with the Vietnamese letters, combining marks, general
# punctuation, the đồng sign, arrows and the WGL4 geometric shapes (■ □ ● ○ …); anything else
# (☐ ☑ ✓) is drawn from another font
_TNR = re.compile(r"[\u0000-\u024F\u0300-\u036F\u1E00-\u1EFF\u2000-\u206F\u20AB\u2190-\u2195\u2116"
                  r"\u25A0\u25A1\u25AA-\u25AC\u25B2\u25BA\u25BC\u25C4\u25CA\u25CB\u25CF\u25D8\u25D9\u25E6]")


@pytest.mark.parametrize("doc_id", WORD)
def test_r4_one_font_black(built, doc_id):
    path = path_of(built, doc_id)
    doc = open_doc(built, doc_id)
    dd = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert dd is not None, "docDefaults name no font"
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert dd.get(qn(f"w:{slot}")) == FONT, f"docDefaults {slot} font is {dd.get(qn(f'w:{slot}'))}"
    bad_fonts, bad_colours, bad_chars = set(), set(), set()
    parts = xml_parts(path)
    # what prints: the body, headers, footers, and the styles (and lists) the text uses
    printed = {n: x for n, x in parts.items() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)}
    used = set(re.findall(r'<w:[pr]Style w:val="([^"]*)"', "".join(printed.values()))) | {"Normal"}
    chain = set()
    for sid in used:
        st = next((x for x in doc.styles if x.style_id == sid), None)
        while st is not None and st.style_id not in chain:
            chain.add(st.style_id)
            printed[f"style {st.style_id}"] = st.element.xml
            st = st.base_style
    if "<w:numPr>" in printed.get("word/document.xml", "") and "word/numbering.xml" in parts:
        printed["word/numbering.xml"] = parts["word/numbering.xml"]
    for name, xml in printed.items():
        for m in re.finditer(r"<w:rFonts ([^>]*)/?>", xml):
            for slot, font in re.findall(r'w:(ascii|hAnsi|cs|eastAsia)="([^"]*)"', m.group(1)):
                if font != FONT:
                    bad_fonts.add(f"{name} {slot}={font}")
        bad_colours |= {c for c in re.findall(r'<w:color w:val="([^"]*)"', xml) if c.lower() not in ("auto", "000000")}
        for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml):
            bad_chars |= {c for c in t if not _TNR.match(c)}
    assert not bad_fonts, f"fonts other than {FONT}: {sorted(bad_fonts)[:5]}"
    assert not bad_colours, f"coloured text: {bad_colours}"
    assert not bad_chars, f"characters {FONT} does not have (another font prints them): {sorted(bad_chars)}"


def test_r5_nfc(built):
    checked = 0
    for doc_id in [*WORD, *NUMBERED_5]:
        for name, xml in xml_parts(path_of(built, doc_id)).items():
            assert unicodedata.normalize("NFC", xml) == xml, f"{doc_id} {name} is not NFC"
            checked += 1
    for md in built.glob("diff-*.md"):
        text = md.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, f"{md.name} is not NFC"
    assert checked


# ================================================================ B. Header block


@pytest.mark.parametrize("doc_id", HEADED)
def test_r6_header_grid(built, doc_id):
    doc = open_doc(built, doc_id)
    head = dr.header_table(doc)
    assert head is not None, "no header grid"
    assert dr.borderless(head), "the header grid has borders"
    grid = dr.grid_mm(head)
    assert len(grid) == 2, f"{len(grid)} columns"
    assert abs(sum(grid) - dr.text_width_mm(doc.sections[0])) <= 0.5, \
        f"header {sum(grid):.1f} mm wide on a {dr.text_width_mm(doc.sections[0]):.1f} mm line"
    off = [p.text for c in head_cells(doc) for p in lines(c) if dr.alignment(p) != CENTER]
    assert not off, f"not centred: {off}"


def _superior_then_body(doc, plan, body_id):
    cell = lines(head_cells(doc)[0])
    body = next(b for b in plan.bodies if b.id == body_id)
    superior = body_name(plan, body.parent).upper()
    assert len(cell) >= 3, [p.text for p in cell]
    assert cell[0].text == superior, f"first line {cell[0].text!r}, not the superior body {superior!r}"
    assert dr.p_eff(cell[0], "bold") == {False}, "the superior body's line is bold"
    assert sizes(cell[0]) == {14.0}
    assert is_upper(cell[1].text) and superior not in cell[1].text, \
        f"second line {cell[1].text!r} is not the issuing body alone in capitals"
    assert dr.p_eff(cell[1], "bold") == {True} and sizes(cell[1]) == {14.0}, "issuing body not bold 14"
    assert cell[2].text == "*"
    return cell


@pytest.mark.parametrize("doc_id", ["L1-2021-from-bdvtu"])
def test_r7_advisory_body_under_its_committee(built, doc_id):
    cell = _superior_then_body(open_doc(built, doc_id), plan_for(built, doc_id), "bdvtu")
    assert cell[1].text == "BAN DÂN VẬN"


@pytest.mark.parametrize("doc_id", ["L1-demo-from-bcsd", "L1-2021-from-bcsd"])
def test_r8_ban_can_su_dang_under_its_committee(built, doc_id):
    cell = _superior_then_body(open_doc(built, doc_id), plan_for(built, doc_id), "bcsd-ubnd")
    assert cell[1].text.startswith("BAN CÁN SỰ ĐẢNG")


@pytest.mark.parametrize("doc_id", JOINT)
def test_r9_joint_header(built, doc_id):
    plan = plan_for(built, doc_id)
    cell = lines(head_cells(open_doc(built, doc_id))[0])
    header = list(plan.plan.header)
    assert [p.text for p in cell[:len(header)]] == header
    assert header[0].endswith(" -")
    for p in cell[:len(header)]:
        assert dr.p_eff(p, "bold") == {True} and sizes(p) == {14.0}, f"{p.text!r} is not bold 14"
    assert cell[len(header)].text == "*"


def _rule_under(paragraphs, i):
    """The bottom border under paragraph i: on it, or on an empty paragraph right after it, or a
    top border on the next one. Returns the paragraph holding it, or None."""
    p = paragraphs[i]
    if dr.para_border(p, "bottom") is not None:
        return p
    if i + 1 < len(paragraphs):
        nxt = paragraphs[i + 1]
        if dr.blank(nxt) and dr.para_border(nxt, "bottom") is not None:
            return nxt
        if dr.para_border(nxt, "top") is not None:
            return nxt
    return None


def _rule_length_mm(head, col, holder):
    left, right = dr.indents_mm(holder)
    return dr.grid_mm(head)[col] - dr.cell_margins_mm(head) / 2 * 2 - left - right


@pytest.mark.parametrize("doc_id", STATE)
def test_r10_state_issuer(built, doc_id):
    doc = open_doc(built, doc_id)
    head = dr.header_table(doc)
    ps = list(head_cells(doc)[0].paragraphs)
    texts = [p.text for p in ps]
    assert "*" not in texts, "a State document has no '*'"
    num = next(i for i, t in enumerate(texts) if t.startswith("Số"))
    names = [i for i in range(num) if not dr.blank(ps[i])]
    assert names, "no issuing body"
    issuer = names[-1]
    assert is_upper(ps[issuer].text) and dr.p_eff(ps[issuer], "bold") == {True}
    assert sizes(ps[issuer]) <= {12.0, 13.0}, f"issuing body at {sizes(ps[issuer])} pt"
    for i in names[:-1]:
        assert dr.p_eff(ps[i], "bold") == {False} and sizes(ps[i]) <= {12.0, 13.0}, "superior body not upright 12–13"
    holder = _rule_under(ps, issuer)
    assert holder is not None, "no rule under the issuing body"
    left, right = dr.indents_mm(holder)
    assert abs(left - right) <= 0.5, "the rule is not centred"
    assert _rule_length_mm(head, 0, holder) <= dr.grid_mm(head)[0] / 2 + 0.5, "the rule is longer than half the line"


@pytest.mark.parametrize("doc_id", STATE)
def test_r11_state_quoc_hieu(built, doc_id):
    doc = open_doc(built, doc_id)
    ps = list(head_cells(doc)[1].paragraphs)
    printed = [i for i, p in enumerate(ps) if not dr.blank(p)]
    qh, tn = ps[printed[0]], ps[printed[1]]
    assert qh.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert dr.p_eff(qh, "bold") == {True} and sizes(qh) <= {12.0, 13.0}
    assert tn.text == "Độc lập - Tự do - Hạnh phúc"
    assert dr.p_eff(tn, "bold") == {True} and sizes(tn) <= {13.0, 14.0}
    assert _rule_under(ps, printed[1]) is not None, "no rule under the Tiêu ngữ"


@pytest.mark.parametrize("doc_id", PARTY)
def test_r12_party_title(built, doc_id):
    doc = open_doc(built, doc_id)
    title = lines(head_cells(doc)[1])[0]
    assert title.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert sizes(title) == {15.0} and dr.p_eff(title, "bold") == {True} and dr.p_eff(title, "italic") == {False}
    everything = [p.text for c in head_cells(doc) for p in c.paragraphs] + [p.text for p in doc.paragraphs]
    assert not [t for t in everything if "CỘNG HÒA XÃ HỘI" in t], "a Party document carries the Quốc hiệu"


TITLE_MM = 73.0  # "ĐẢNG CỘNG SẢN VIỆT NAM" at 15 pt bold in Times New Roman (206 pt)


@pytest.mark.parametrize("doc_id", PARTY)
def test_r13_rule_under_the_party_title(built, doc_id):
    doc = open_doc(built, doc_id)
    head = dr.header_table(doc)
    ps = list(head_cells(doc)[1].paragraphs)
    i = next(i for i, p in enumerate(ps) if p.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert dr.p_eff(ps[i], "underline") == {False}, "the title is underlined as text (the line runs into Ộ, Ệ)"
    holder = _rule_under(ps, i)
    assert holder is not None, "no rule under the title"
    length = _rule_length_mm(head, 1, holder)
    assert abs(length - TITLE_MM) <= 3, f"the rule is {length:.1f} mm long, the title about {TITLE_MM} mm"


@pytest.mark.parametrize("doc_id", PARTY)
def test_r14_star_under_the_issuer(built, doc_id):
    cell = lines(head_cells(open_doc(built, doc_id))[0])
    stars = [p for p in cell if p.text == "*"]
    assert len(stars) == 1, "no '*' under the issuing body"
    star = stars[0]
    assert dr.p_eff(star, "bold") == {False} and sizes(star) == {14.0}
    at = cell.index(star)
    assert at >= 1 and cell[at + 1].text.startswith("Số"), "'*' is not between the name and the number"


# ================================================================ C. Number and symbol

_PARTY_NUMBER = re.compile(r"^Số( \d{2,}|\u00a0+)-[A-Za-zĐđ]+/[A-ZĐ-]+$")


@pytest.mark.parametrize("doc_id", PARTY)
def test_r15_party_number(built, doc_id):
    p = number_paragraph(open_doc(built, doc_id))
    assert _PARTY_NUMBER.match(p.text), f"{p.text!r}"
    assert sizes(p) == {14.0} and dr.p_eff(p, "bold") == {False} and dr.p_eff(p, "italic") == {False}


@pytest.mark.parametrize("doc_id", list(NUMBERED_5))
def test_r16_numbers_padded(built, doc_id):
    p = number_paragraph(_open(path_of(built, doc_id)))
    assert re.match(r"^Số:? 05[-/]", p.text), f"--number 5 prints {p.text!r}"


@pytest.mark.parametrize("doc_id", [*PARTY, *ids("C")])
def test_r17_type_code(built, doc_id):
    kind = DOCS[doc_id][0]
    doc = open_doc(built, doc_id)
    plan = plan_for(built, doc_id)
    codes = plan.plan.number.split("/", 1)[1].split("-")
    if kind == "C":
        texts = [p.text for p in doc.paragraphs]
        assert not [t for t in texts if re.match(r"^Số\b", t)], "the checklist has a number of its own"
        assert [t for t in texts if t.startswith(f"(Kèm theo Kế hoạch số {plan.plan.number}")], \
            "the checklist does not say which plan it goes with"
        return
    text = number_paragraph(doc).text
    want_type = "BC" if kind in ("R", "U") else "CV"
    assert f"-{want_type}/" in text, f"{text!r}: type code is not {want_type}"
    if kind == "L1":
        own = codes[plan.plan.issuers.index(sender_of(doc_id, plan))]
        assert text.endswith(f"/{own}"), f"{text!r}: a letter of one issuer uses that issuer's code {own}"
    else:
        assert text.endswith("/" + "-".join(codes)), f"{text!r}: the joint code, host first"


@pytest.mark.parametrize("doc_id", STATE)
def test_r18_state_number(built, doc_id):
    p = number_paragraph(open_doc(built, doc_id))
    # a report: "Số: 15/BC-UBND"; a công văn has no type code: "Số: 15/UBND-VP" (NĐ 30 II.3.c)
    code = r"[A-ZĐ]+-[A-ZĐ-]+" if doc_id == "S-R" else r"[A-ZĐ]+(-[A-ZĐ]+)*"
    rx = rf"^Số:( \d{{2,}}| ?\u00a0+)/{code}$"
    assert re.match(rx, p.text), f"{p.text!r}"
    assert sizes(p) == {13.0}


# ================================================================ D. Place and date

_DATE_LINE = re.compile(r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$")


@pytest.mark.parametrize("doc_id", HEADED)
def test_r19_place_and_date(built, doc_id):
    doc = open_doc(built, doc_id)
    found = [p for p in lines(head_cells(doc)[1]) if ", ngày " in p.text]
    assert len(found) == 1, "no place and date line in the right column"
    p = found[0]
    assert _DATE_LINE.match(p.text), f"{p.text!r}"
    assert dr.p_eff(p, "italic") == {True}
    assert sizes(p) <= ({13.0, 14.0} if doc_id in STATE else {14.0}), f"at {sizes(p)} pt"


_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _bad_dates(text: str) -> list[str]:
    return [m.group(0) for m in _DATE.finditer(text)
            if len(m.group(1)) < 2 or (int(m.group(2)) <= 2 and len(m.group(2)) < 2)]


@pytest.mark.parametrize("doc_id", [*WORD, "D-demo", "D-2021"])
def test_r20_dates_in_running_text(built, doc_id):
    if doc_id.startswith("D-"):
        text = (built / f"diff-{doc_id[2:]}.md").read_text(encoding="utf-8")
    else:
        body = open_doc(built, doc_id).element.body
        text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    assert not _bad_dates(text), f"dates not padded: {_bad_dates(text)[:5]}"


# ================================================================ E. Type and summary


@pytest.mark.parametrize("doc_id", ids("R", "U", "SR"))
def test_r21_type_name(built, doc_id):
    p = after_head(open_doc(built, doc_id))[0]
    assert is_upper(p.text) and dr.p_eff(p, "bold") == {True} and dr.alignment(p) == CENTER, f"{p.text!r}"
    want = {13.0, 14.0} if doc_id in STATE else {15.0, 16.0}
    assert sizes(p) <= want, f"type name at {sizes(p)} pt"


@pytest.mark.parametrize("doc_id", ids("R", "U", "SR"))
def test_r22_summary(built, doc_id):
    p = after_head(open_doc(built, doc_id))[1]
    assert dr.p_eff(p, "bold") == {True} and dr.alignment(p) == CENTER
    assert sizes(p) <= ({13.0, 14.0} if doc_id in STATE else {14.0, 15.0}), f"summary at {sizes(p)} pt"
    assert p.text[:1].islower(), f"the summary starts with a capital: {p.text[:40]!r}"


@pytest.mark.parametrize("doc_id", ids("R", "U", "SR"))
def test_r23_mark_under_the_summary(built, doc_id):
    doc = open_doc(built, doc_id)
    items = [x for x in dr.body_items(doc)[1:] if isinstance(x, Paragraph)]
    summary = items.index(next(p for p in items if p.text == after_head(doc)[1].text))
    if doc_id in STATE:
        assert _rule_under(items, summary) is not None, "no solid rule under the summary"
        assert "-----" not in [p.text for p in items[summary + 1:summary + 3]]
    else:
        nxt = items[summary + 1]
        assert nxt.text == "-----" and dr.alignment(nxt) == CENTER, f"{nxt.text!r} under the summary"


@pytest.mark.parametrize("doc_id", LETTERS)
def test_r24_party_letter_summary(built, doc_id):
    doc = open_doc(built, doc_id)
    after = dr.nonblank(head_cells(doc)[0].paragraphs)
    num = next(i for i, p in enumerate(after) if p.text.startswith("Số"))
    assert num + 1 < len(after), "no summary under the number"
    p = after[num + 1]
    assert not p.text.startswith("V/v"), f"{p.text[:30]!r}"
    assert dr.p_eff(p, "italic") == {True} and sizes(p) == {12.0}, "summary not 12 italic"
    assert not [x for x in after_head(doc) if is_upper(x.text) and len(x.text) > 3 and not x.text.startswith("Kính")], \
        "a Party letter has no type name"


@pytest.mark.parametrize("doc_id", ids("SL"))
def test_r25_state_letter_summary(built, doc_id):
    doc = open_doc(built, doc_id)
    after = dr.nonblank(head_cells(doc)[0].paragraphs)
    num = next(i for i, p in enumerate(after) if p.text.startswith("Số"))
    p = after[num + 1]
    assert p.text.startswith("V/v "), f"{p.text[:30]!r}"
    assert dr.p_eff(p, "italic") == {False} and sizes(p) <= {12.0, 13.0}
    assert (dr.pf(p, "space_before") or 0) >= Pt(6), "not 6 pt below the number"


# ================================================================ F. Body


@pytest.mark.parametrize("doc_id", [*HEADED, *ids("C")])
def test_r26_body_text(built, doc_id):
    body = [p for p in body_paragraphs(open_doc(built, doc_id)) if p.style.name == "KH Body" and not dr.blank(p)]
    if DOCS[doc_id][0] != "C":
        assert body, "no body paragraph"
    for p in body:
        where = f"{p.text[:40]!r}"
        assert sizes(p) == {14.0}, f"{where} at {sizes(p)} pt"
        assert dr.p_eff(p, "italic") == {False}, f"{where} is italic"
        assert dr.alignment(p) == WD_ALIGN_PARAGRAPH.JUSTIFY, f"{where} not justified"
        indent = dr.pf(p, "first_line_indent") or 0
        assert min(abs(indent - Cm(1)), abs(indent - Cm(1.27))) <= Mm(0.2), f"{where} first line indent"
        assert (dr.pf(p, "space_before") or 0) + (dr.pf(p, "space_after") or 0) >= Pt(6), f"{where} spacing"
        spacing = dr.pf(p, "line_spacing")
        if isinstance(spacing, float):
            assert 1.0 <= spacing <= 1.5, f"{where} line spacing {spacing}"


_LEVELS = [re.compile(r"^([IVX]+)\. "), re.compile(r"^(\d+)\. "), re.compile(r"^([a-zđ])\) ")]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@pytest.mark.parametrize("doc_id", [*ids("R", "U", "C", "SR")])
def test_r27_heading_numbers_in_order(built, doc_id):
    doc = open_doc(built, doc_id)
    heads = [p for p in body_paragraphs(doc) if "Heading" in p.style.name and not dr.blank(p)]
    assert heads, "no headings"
    in_order = DOCS[doc_id][0] != "C"  # the checklist groups by the plan's own sections
    level, counters = -1, [0, 0, 0]
    for p in heads:
        t = p.text
        assert not re.match(r"^[IVX]+\.\d", t), f"a plan code used as a heading number: {t[:40]!r}"
        lv = next((i for i, rx in enumerate(_LEVELS) if rx.match(t)), None)
        assert lv is not None, f"heading without a number I. / 1. / a): {t[:40]!r}"
        assert lv <= level + 1, f"{t[:40]!r} skips a level"
        assert dr.p_eff(p, "bold") == {True} or lv == 2, f"{t[:40]!r} is not bold"
        if lv == 0 and DOCS[doc_id][0] in ("R", "U", "SR"):
            assert is_upper(t), f"a report's top heading in capitals: {t[:40]!r}"
        if in_order:
            counters[lv] += 1
            counters[lv + 1:] = [0] * (2 - lv)
            m = _LEVELS[lv].match(t)
            if lv == 0:
                assert m.group(1) == _ROMAN[counters[0] - 1], f"{t[:40]!r} out of order"
            elif lv == 1:
                assert int(m.group(1)) == counters[1], f"{t[:40]!r} out of order"
            else:
                assert m.group(1) == "abcdđeghiklmnopqrstuvxy"[counters[2] - 1], f"{t[:40]!r} out of order"
        level = lv


@pytest.mark.parametrize("doc_id", ids("R", "U", "C", "SR"))
def test_r28_headings_kept_with_next(built, doc_id):
    heads = [p for p in body_paragraphs(open_doc(built, doc_id)) if "Heading" in p.style.name and not dr.blank(p)]
    loose = [p.text[:40] for p in heads if not dr.pf(p, "keep_with_next")]
    assert not loose, f"headings that may end a page: {loose}"


@pytest.mark.parametrize("doc_id", WORD)
def test_r29_widow_control(built, doc_id):
    doc = open_doc(built, doc_id)
    assert doc.styles["Normal"].paragraph_format.widow_control is True
    off = [s.name for s in doc.styles if getattr(s, "paragraph_format", None) is not None
           and s.paragraph_format.widow_control is False]
    assert not off, f"styles that turn widow control off: {off}"
    assert not [p for p in doc.paragraphs if p.paragraph_format.widow_control is False]


@pytest.mark.parametrize("doc_id", WORD)
def test_r30_tables_within_the_text_width(built, doc_id):
    doc = open_doc(built, doc_id)
    for s, blocks in sections_with_blocks(doc):
        width = dr.text_width_mm(s)
        for t in [b for b in blocks if isinstance(b, Table)]:
            assert sum(dr.grid_mm(t)) <= width + 0.5, \
                f"a table {sum(dr.grid_mm(t)):.1f} mm wide on a {width:.0f} mm line"
            tw = t._tbl.tblPr.find(qn("w:tblW"))
            if tw is not None and tw.get(qn("w:type")) == "dxa":
                assert int(tw.get(qn("w:w"))) / 1440 * 25.4 <= width + 0.5, "table width beyond the margins"


@pytest.mark.parametrize("doc_id", WORD)
def test_r31_data_tables(built, doc_id):
    doc = open_doc(built, doc_id)
    tables = data_tables(doc)
    if DOCS[doc_id][0] in ("R", "C", "U", "L1", "L2"):
        assert tables, "no data table"
    for t in tables:
        rows = t.rows
        assert rows[0]._tr.trPr is not None and rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, \
            "the header row does not repeat"
        assert all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows), \
            "rows may split across pages"
        for c in rows[0].cells:
            for p in dr.nonblank(c.paragraphs):
                assert dr.p_eff(p, "bold") == {True} and dr.alignment(p) == CENTER, f"header cell {p.text!r}"
        cell_sizes = {s for r in rows for c in r.cells for p in c.paragraphs for s in sizes(p)}
        assert cell_sizes <= {12.0}, f"table text at {cell_sizes} pt"
        borders = t._tbl.tblPr.find(qn("w:tblBorders"))
        for b in borders:
            assert b.get(qn("w:val")) == "single" and b.get(qn("w:sz")) == "4", f"border {b.tag} {dict(b.attrib)}"
            assert (b.get(qn("w:color")) or "auto").lower() in ("auto", "000000")


def _kinh_gui(doc):
    ps = after_head(doc)
    i = next((i for i, p in enumerate(ps) if p.text.startswith("Kính gửi")), None)
    assert i is not None, "no 'Kính gửi:'"
    return ps, i


@pytest.mark.parametrize("doc_id", LETTERS)
def test_r32_kinh_gui(built, doc_id):
    doc = open_doc(built, doc_id)
    ps, i = _kinh_gui(doc)
    first = ps[i]
    assert first.text.startswith("Kính gửi:") and dr.alignment(first) == CENTER
    label = [r for r in dr.text_runs(first) if "Kính gửi" in r.text]
    assert all(dr.eff(r, "italic") and dr.eff(r, "size") == 14 for r in label), "'Kính gửi' is not 14 italic"
    rest = first.text[len("Kính gửi:"):].strip()
    names = [r for r in dr.text_runs(first) if "Kính gửi" not in r.text]
    items = []
    if not rest:
        items = [p for p in ps[i + 1:] if p.text.startswith("- ")]
        items = items[:next((k for k, p in enumerate(ps[i + 1:]) if not p.text.startswith("- ")), len(items))]
        names += [r for p in items for r in dr.text_runs(p)]
        assert len(items) >= 2, "'Kính gửi:' alone with one recipient below: put it on the same line"
        assert all(p.text.endswith(";") for p in items[:-1]) and items[-1].text.endswith("."), \
            f"recipients: {[p.text for p in items]}"
        assert all(dr.alignment(p) == CENTER for p in items)
    assert not [r.text for r in names if dr.eff(r, "bold")], "the recipient is bold"
    assert all(dr.eff(r, "size") == 14 for r in names)
    if DOCS[doc_id][0] == "L2":
        # the joint reminder goes to the standing units of both issuers: several recipients
        plan = plan_for(built, doc_id)
        units = [u for us in plan.reporting.standing.values() for u in us]
        assert len(items) == len(units), f"{len(units)} recipients on {max(len(items), 1)} line(s): {first.text!r}"


@pytest.mark.parametrize("doc_id", ids("L1"))
def test_r33_equals_write_as_equals(built, doc_id):
    text = prose(open_doc(built, doc_id)).lower()
    said = [w for w in ("đôn đốc", "khẩn trương", "báo cáo kết quả về") if w in text]
    assert not said, f"a co-issuer writes to the other as to a subordinate: {said}"


@pytest.mark.parametrize("doc_id", ids("L2"))
def test_r34_to_staff_units(built, doc_id):
    text = prose(open_doc(built, doc_id))
    assert re.search(r"Đề nghị .*tham mưu lãnh đạo.*báo cáo kết quả.*trước ngày", text, re.S), \
        "the letter does not ask the units to advise their leaders and report by a date"


# ================================================================ G. Signatures


def _signer_of_block(plan, block):
    name = lines(block)[-1].text
    found = [s for s in plan.signers if s.name == name]
    assert found, f"block signed {name!r}, who is not among the plan's signers"
    return found[0]


@pytest.mark.parametrize("doc_id", HEADED)
def test_r35_signature_block(built, doc_id):
    doc = open_doc(built, doc_id)
    size = {13.0, 14.0} if doc_id in STATE else {14.0}
    for block in sign_blocks(doc):
        ps = list(block.paragraphs)
        printed = [i for i, p in enumerate(ps) if not dr.blank(p)]
        first, last = ps[printed[0]], ps[printed[-1]]
        assert is_upper(first.text) and dr.p_eff(first, "bold") == {True} and sizes(first) <= size, f"{first.text!r}"
        gap = printed[-1] - printed[-2] - 1
        assert gap >= 4, f"{gap} blank lines for the signature and seal"
        assert dr.p_eff(last, "bold") == {True} and sizes(last) <= size and not is_upper(last.text), f"{last.text!r}"
        assert all(dr.alignment(ps[i]) == CENTER for i in printed)
    items = dr.body_items(doc)
    sign = dr.sign_table(doc)
    at = next(i for i, x in enumerate(items) if isinstance(x, Table) and x._tbl is sign._tbl)
    before = items[:at]
    last_text = max(i for i, x in enumerate(before) if isinstance(x, Paragraph) and not dr.blank(x)) \
        if any(isinstance(x, Paragraph) and not dr.blank(x) for x in before) else None
    assert last_text is not None
    loose = [x.text[:30] for x in before[last_text:] if isinstance(x, Paragraph) and not dr.pf(x, "keep_with_next")]
    assert not loose, f"the last paragraph may leave the signature's page: {loose}"


@pytest.mark.parametrize("doc_id", PARTY)
def test_r36_position_line_not_bold(built, doc_id):
    """Per the secondary summary of 36-HD Phụ lục 3 (unconfirmed, see the rules' R36)."""
    checked = 0
    for block in sign_blocks(open_doc(built, doc_id)):
        ps = lines(block)
        if ps[0].text.startswith(("T/M ", "K/T ")):
            assert dr.p_eff(ps[1], "bold") == {False}, f"{ps[1].text!r} is bold"
            checked += 1
    if DOCS[doc_id][0] in ("R", "L2", "U"):
        assert checked, "no T/M or K/T block in a joint document"


_COLLECTIVE = ("Ban Cán sự đảng", "Đảng đoàn", "Ban Thường vụ", "Tỉnh ủy", "Huyện ủy", "Đảng ủy")


@pytest.mark.parametrize("doc_id", PARTY)
def test_r37_collectives_sign_t_m(built, doc_id):
    plan = plan_for(built, doc_id)
    for block in sign_blocks(open_doc(built, doc_id)):
        first = lines(block)[0].text
        assert not re.match(r"^(TM|KT|TL)\.", first), f"{first!r}: Party documents use T/M, K/T, T/L"
        signer = _signer_of_block(plan, block)
        if body_name(plan, signer.body).startswith(_COLLECTIVE):
            assert first.startswith("T/M "), f"a collective signs T/M: {first!r}"


@pytest.mark.parametrize("doc_id", ["L1-2021-from-bdvtu"])
def test_r38_head_of_advisory_body_signs_with_position(built, doc_id):
    plan = plan_for(built, doc_id)
    (block,) = sign_blocks(open_doc(built, doc_id))
    signer = _signer_of_block(plan, block)
    texts = [p.text for p in lines(block)[:-1]]
    if signer.title.startswith("PHÓ "):
        assert texts == ["K/T " + signer.title[4:], signer.title], texts
    else:
        assert texts == [signer.title], f"{texts}: the head signs {signer.title!r} alone"


@pytest.mark.parametrize("doc_id", JOINT)
def test_r39_joint_blocks_name_their_bodies(built, doc_id):
    plan = plan_for(built, doc_id)
    got = sorted(tuple(p.text for p in lines(b)) for b in sign_blocks(open_doc(built, doc_id)))
    want = sorted((s.authority, s.title, s.name) for s in plan.signers)
    assert got == want


@pytest.mark.parametrize("doc_id", JOINT)
def test_r40_joint_blocks_side_by_side_host_right(built, doc_id):
    plan = plan_for(built, doc_id)
    blocks = sign_blocks(open_doc(built, doc_id))
    assert len(blocks) == 2, f"{len(blocks)} signature blocks in the row"
    host = next(s for s in plan.signers if s.body == plan.plan.issuers[0])
    assert lines(blocks[1])[0].text == host.authority, "the host's block is not on the right"


@pytest.mark.parametrize("doc_id", [*SINGLE, *ids("SL")])
def test_r41_single_signer_on_the_right(built, doc_id):
    sign = dr.sign_table(open_doc(built, doc_id))
    cells = sign.rows[0].cells
    assert len(cells) == 2, f"{len(cells)} cells in the signature row"
    assert lines(cells[1]) and len(sign_blocks(open_doc(built, doc_id))) == 1
    assert sign_blocks(open_doc(built, doc_id))[0]._tc is cells[1]._tc, "the signature is not in the right half"


@pytest.mark.parametrize("doc_id", HEADED)
def test_r42_signature_row_inside_the_text(built, doc_id):
    doc = open_doc(built, doc_id)
    sign = dr.sign_table(doc)
    ind = sign._tbl.tblPr.find(qn("w:tblInd"))
    assert ind is None or int(ind.get(qn("w:w"))) >= 0, "the signature row starts in the left margin"
    width = dr.text_width_mm(dr.section_of(doc, sign._tbl))
    assert sum(dr.grid_mm(sign)) <= width + 0.5, f"signature row {sum(dr.grid_mm(sign)):.1f} mm on {width:.0f} mm"


@pytest.mark.parametrize("doc_id", STATE)
def test_r43_state_signature(built, doc_id):
    for block in sign_blocks(open_doc(built, doc_id)):
        ps = lines(block)
        assert not re.match(r"^(T/M|K/T|T/L)\b", ps[0].text), f"{ps[0].text!r}: State documents write TM., KT., TL."
        assert dr.p_eff(ps[1], "bold") == {True} and sizes(ps[1]) <= {13.0, 14.0}, f"{ps[1].text!r}"


# ================================================================ H. Nơi nhận


@pytest.mark.parametrize("doc_id", [*HEADED])
def test_r44_noi_nhan_at_the_left(built, doc_id):
    doc = open_doc(built, doc_id)
    sign = dr.sign_table(doc)
    if doc_id in JOINT:
        # under the left signer, in the signature row (one row: never a page between them)
        left = lines(sign.rows[0].cells[0])
        nxt = next((p for p in left if p.text.startswith("Nơi nhận")), None)
        assert nxt is not None and left[0] is not nxt, "Nơi nhận is not under the left signer"
        assert dr.alignment(nxt) in (None, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY)
    else:
        left = lines(sign.rows[0].cells[0])
        assert left and left[0].text.startswith("Nơi nhận:"), "Nơi nhận is not in the left half of the signature row"


@pytest.mark.parametrize("doc_id", PARTY)
def test_r45_party_noi_nhan_style(built, doc_id):
    label, *items = recipients_block(open_doc(built, doc_id))
    runs = dr.text_runs(label)
    assert label.text.startswith("Nơi nhận:")
    assert all(dr.eff(r, "underline") for r in runs if "Nơi" in r.text), "label not underlined"
    assert {dr.eff(r, "size") for r in runs} == {14.0}, "label not 14"
    assert not [r.text for r in runs if dr.eff(r, "bold") or dr.eff(r, "italic")], "label bold or italic"
    assert items
    item_sizes = {s for p in items for s in sizes(p)}
    assert item_sizes == {12.0}, f"items at {item_sizes} pt"
    assert not [p.text for p in items if dr.p_eff(p, "bold") | dr.p_eff(p, "italic") != {False}], "items not upright"


@pytest.mark.parametrize("doc_id", PARTY)
def test_r46_party_noi_nhan_items(built, doc_id):
    _, *items = recipients_block(open_doc(built, doc_id))
    texts = [p.text for p in items]
    assert texts, "no recipients"
    assert all(re.match(r"^- .+,$", t) for t in texts[:-1]), f"items not ending with ',': {texts[:-1]}"
    assert re.match(r"^- Lưu [^:].*\.$", texts[-1]), f"last item {texts[-1]!r}"
    if DOCS[doc_id][0] in ("L1", "L2"):
        assert texts[0] == "- Như trên,", f"a letter's list starts {texts[0]!r}"


@pytest.mark.parametrize("doc_id", HEADED)
def test_r47_noi_nhan_kept_together(built, doc_id):
    label, *items = recipients_block(open_doc(built, doc_id))
    loose = [p.text for p in [label, *items[:-1]] if not dr.pf(p, "keep_with_next")]
    in_row = any(label._p is p._p for c in dr.sign_table(open_doc(built, doc_id)).rows[0].cells for p in c.paragraphs)
    if not in_row:
        assert not loose, f"lines of Nơi nhận that may be split from the rest: {loose}"
    else:
        row = dr.sign_table(open_doc(built, doc_id)).rows[0]
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None, \
            "the signature row with Nơi nhận may split across pages"


@pytest.mark.parametrize("doc_id", STATE)
def test_r48_state_noi_nhan(built, doc_id):
    label, *items = recipients_block(open_doc(built, doc_id))
    runs = dr.text_runs(label)
    assert all(dr.eff(r, "bold") and dr.eff(r, "italic") and dr.eff(r, "size") == 12 for r in runs), \
        "label not 12 bold italic"
    assert {s for p in items for s in sizes(p)} == {11.0}
    assert re.match(r"^- Lưu: VT", items[-1].text), f"{items[-1].text!r}"


# ================================================================ I. Page numbers and appendices


def _has_page_field(part) -> bool:
    xml = part._element.xml
    return bool(re.search(r"<w:instrText[^>]*>\s*PAGE\b|w:instr=\"\s*PAGE\b", xml))


@pytest.mark.parametrize("doc_id", [*HEADED, *ids("C")])
def test_r49_page_numbers(built, doc_id):
    s = open_doc(built, doc_id).sections[0]
    assert s.different_first_page_header_footer, "page 1 is numbered"
    assert not _has_page_field(s.first_page_header) and not "".join(p.text for p in s.first_page_header.paragraphs)
    assert _has_page_field(s.header), "no PAGE field in the header"
    nums = [p for p in s.header.paragraphs if "PAGE" in p._p.xml]
    assert all(dr.alignment(p) == CENTER for p in nums), "page number not centred"
    got = {dr.eff(r, "size") for p in nums for r in p.runs}
    assert got <= {14.0} and got, f"page number at {got} pt"
    assert abs(s.header_distance - Mm(10)) <= Mm(0.2), f"page number {s.header_distance / Mm(1):.1f} mm from the top"


@pytest.mark.parametrize("doc_id", ids("R", "SR"))
def test_r50_body_refers_to_its_appendix(built, doc_id):
    doc = open_doc(built, doc_id)
    sign = dr.sign_table(doc)
    items = dr.body_items(doc)
    at = next(i for i, x in enumerate(items) if isinstance(x, Table) and x._tbl is sign._tbl)
    assert [x for x in items[:at] if isinstance(x, Paragraph) and "Phụ lục" in x.text], "the appendix is not cited"


@pytest.mark.parametrize("doc_id", [*ids("R", "C", "SR"), "D-demo", "D-2021"])
def test_r51_appendix_heading(built, doc_id):
    if doc_id.startswith("D-"):
        ls = md_lines((built / f"diff-{doc_id[2:]}.md").read_text(encoding="utf-8"))
        assert re.match(r"^Phụ lục( [IVX]+)?$", ls[0]), f"{ls[0]!r}"
        assert is_upper(ls[1]), f"appendix title {ls[1]!r} not in capitals"
        return
    ps = appendix_blocks(open_doc(built, doc_id), DOCS[doc_id][0][-1])
    assert re.match(r"^Phụ lục( [IVX]+)?$", ps[0].text), f"{ps[0].text!r}"
    assert dr.p_eff(ps[0], "bold") == {True} and sizes(ps[0]) == {14.0} and dr.alignment(ps[0]) == CENTER
    assert is_upper(ps[1].text) and dr.p_eff(ps[1], "bold") == {True}, f"appendix title {ps[1].text!r}"
    assert sizes(ps[1]) <= {13.0, 14.0} and dr.alignment(ps[1]) == CENTER


@pytest.mark.parametrize("doc_id", [*ids("R", "C", "SR"), "D-demo", "D-2021"])
def test_r52_kem_theo(built, doc_id):
    if doc_id.startswith("D-"):
        key = doc_id[2:]
        md = (built / f"diff-{key}.md").read_text(encoding="utf-8")
        raw = [line for line in md.splitlines() if line.strip()]
        assert ".yaml" not in md and "→" not in raw[2], "the appendix cites files, not documents"
        number = plan_of(key).plan.number
        assert re.match(rf"^[*_]\(Kèm theo Kế hoạch số {re.escape(number)} ngày \d\d/\d{{1,2}}/\d{{4}}", raw[2]), \
            f"{raw[2]!r}"
        return
    doc = open_doc(built, doc_id)
    plan = plan_for(built, doc_id)
    ps = appendix_blocks(doc, DOCS[doc_id][0][-1])
    p = ps[2]
    assert p.text.startswith("(Kèm theo ") and dr.p_eff(p, "italic") == {True} and dr.alignment(p) == CENTER, \
        f"{p.text[:50]!r}"
    assert sizes(p) <= {13.0, 14.0}
    if DOCS[doc_id][0] == "C":
        issued = plan.plan.issued
        assert p.text.startswith(f"(Kèm theo Kế hoạch số {plan.plan.number} ngày {issued:%d/}"), p.text
    else:
        number = number_paragraph(doc).text.removeprefix("Số").lstrip(": ")
        assert p.text.startswith(f"(Kèm theo Báo cáo số {number} ngày "), p.text


@pytest.mark.parametrize("doc_id", ids("R", "SR"))
def test_r53_appendix_numbered_on_its_own(built, doc_id):
    s = open_doc(built, doc_id).sections[-1]
    assert len(open_doc(built, doc_id).sections) > 1, "the appendix has no section of its own"
    assert not s.header.is_linked_to_previous, "the appendix's header continues the report's"
    pg = s._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1", "the appendix's pages are not numbered from 1"


@pytest.mark.parametrize("doc_id", ids("R", "SR"))
def test_r54_landscape_appendix(built, doc_id):
    s, blocks = sections_with_blocks(open_doc(built, doc_id))[-1]
    assert s.orientation == WD_ORIENT.LANDSCAPE and s.start_type == WD_SECTION.NEW_PAGE
    widths = [sum(dr.grid_mm(t)) for t in blocks if isinstance(t, Table)]
    assert widths and max(widths) > 165.5, "the appendix table is not wider than a portrait line"


# ================================================================ the PDF (slow)

needs_pdf = pytest.mark.slow

PDF_DOCS = [*WORD]


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    if dr.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    if not (shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils (pdftotext, pdffonts, pdftoppm) is not installed: .ci/run installs it")
    out = tmp_path_factory.mktemp("pdf")
    files = [path_of(built, d) for d in PDF_DOCS]
    staged = []
    for d, f in zip(PDF_DOCS, files, strict=True):
        target = out / f"{d}.docx"
        shutil.copyfile(f, target)
        staged.append(target)
    dr.convert_to_pdf(staged, out, tmp_path_factory.mktemp("lo-profile"))
    return {d: out / f"{d}.pdf" for d in PDF_DOCS}


@functools.cache
def _pages(pdf: Path):
    return dr.pdf_pages(pdf)


MARGIN = 30 * dr.PT_PER_MM, 15 * dr.PT_PER_MM, 20 * dr.PT_PER_MM  # left, right, top/bottom
TOL = 0.5
DESCENT = 3.0  # a word box holds the font's whole descent, below the line the text area ends on


@needs_pdf
@pytest.mark.parametrize("doc_id", PDF_DOCS)
def test_r4_pdf_fonts(pdfs, doc_id):
    fonts = dr.pdf_fonts(pdfs[doc_id])
    other = [f for f in fonts if not re.search(r"Times|LiberationSerif", f)]
    assert not other, f"fonts other than Times New Roman in the PDF: {other}"


@needs_pdf
@pytest.mark.parametrize("doc_id", PDF_DOCS)
def test_r30_pdf_nothing_in_the_margins(pdfs, doc_id):
    out = []
    for page in _pages(pdfs[doc_id]):
        left, right = MARGIN[0], page.width - MARGIN[1]
        out += [f"p{page.number} {w.text!r} x {w.x0:.1f}–{w.x1:.1f} y {w.y1:.1f}" for w in page.words
                if w.x0 < left - TOL or w.x1 > right + TOL or w.y1 > page.height - MARGIN[2] + DESCENT]
    assert not out, f"text in the margins: {out[:6]}"


@needs_pdf
@pytest.mark.parametrize("doc_id", HEADED)
def test_r42_pdf_signature_inside_the_text(built, pdfs, doc_id):
    doc = open_doc(built, doc_id)
    words = {w for b in sign_blocks(doc) for p in lines(b) for w in p.text.split()}
    out = []
    for page in _pages(pdfs[doc_id]):
        left, right = MARGIN[0], page.width - MARGIN[1]
        out += [f"p{page.number} {w.text!r} {w.x0:.1f}–{w.x1:.1f}" for w in page.words
                if w.text in words and (w.x0 < left - TOL or w.x1 > right + TOL)]
    assert not out, f"signature text in the margins: {out}"


def _find_line(page, text: str):
    """The words of the first line of `page` that starts with `text`'s words."""
    want = text.split()
    for line in page.lines():
        got = [w.text for w in line]
        for k in range(len(got) - len(want) + 1):
            if got[k:k + len(want)] == want:
                return line[k:k + len(want)]
    return None


def _page_of(pages, text: str):
    for page in pages:
        found = _find_line(page, text)
        if found:
            return page, found
    return None, None


@needs_pdf
@pytest.mark.parametrize("doc_id", PARTY)
def test_r13_pdf_rule_apart_from_the_title(pdfs, doc_id, tmp_path):
    pdf = pdfs[doc_id]
    page = _pages(pdf)[0]
    title = _find_line(page, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title, "no title on page 1"
    dpi = 300
    width, height, px = dr.page_gray(pdf, 1, dpi, tmp_path)
    scale = dpi / 72
    x0, x1 = title[0].x0, title[-1].x1
    c0, c1 = int((x0 - 15) * scale), int((x1 + 15) * scale)
    r_top, r_end = int(title[0].y0 * scale), int((title[0].y1 + 14) * scale)

    def dark_run(row):
        best = run = 0
        for c in range(c0, c1):
            run = run + 1 if px[row * width + c] < 128 else 0
            best = max(best, run)
        return best

    rows = [(r, dark_run(r)) for r in range(r_top, min(r_end, height))]
    long = [r for r, n in rows if n / scale >= 0.8 * (x1 - x0)]
    assert long, "no rule under the title"
    rule_top = long[0]
    rule_len = max(n for r, n in rows if r in long) / scale
    assert abs(rule_len - (x1 - x0)) <= 3 * dr.PT_PER_MM, \
        f"rule {rule_len:.0f} pt long under a title {x1 - x0:.0f} pt long"
    # between the glyphs (with the dots under Ộ, Ệ) and the rule, a row with no ink at all
    text_rows = [r for r, n in rows if r < rule_top and n > 0]
    blank_rows = [r for r in range(text_rows[-1] + 1, rule_top)] if text_rows else [0]
    assert text_rows and blank_rows, "the rule touches the title's letters"


@needs_pdf
@pytest.mark.parametrize("doc_id", ids("R", "U", "C", "SR"))
def test_r28_pdf_no_heading_ends_a_page(built, pdfs, doc_id):
    heads = [p.text for p in body_paragraphs(open_doc(built, doc_id)) if "Heading" in p.style.name and p.text.strip()]
    pages = _pages(pdfs[doc_id])
    bad = []
    for page in pages[:-1]:
        body = [ln for ln in page.lines() if ln[0].y0 > MARGIN[2]]
        if not body:
            continue
        last = " ".join(w.text for w in body[-1])
        if any(last in h for h in heads):
            bad.append(f"p{page.number}: {last!r}")
    assert not bad, f"pages ending with a heading: {bad}"


def _top_number(page) -> str | None:
    top = [w.text for w in page.words if w.y1 < MARGIN[2]]
    return " ".join(top) or None


@needs_pdf
@pytest.mark.parametrize("doc_id", [*HEADED, *ids("C")])
def test_r49_pdf_page_numbers(pdfs, doc_id):
    pages = _pages(pdfs[doc_id])
    assert _top_number(pages[0]) is None, f"page 1 shows {_top_number(pages[0])!r}"
    if len(pages) > 1:
        assert _top_number(pages[1]) == "2", f"page 2 shows {_top_number(pages[1])!r}"


@needs_pdf
@pytest.mark.parametrize("doc_id", ids("R", "SR"))
def test_r53_pdf_appendix_pages_from_1(built, pdfs, doc_id):
    pages = _pages(pdfs[doc_id])
    first = next((p for p in pages if p.width > p.height), None)
    assert first is not None, "no landscape appendix page"
    assert _top_number(first) in (None, "1"), f"the appendix's first page shows {_top_number(first)!r}"
    if first.number < len(pages):
        assert _top_number(pages[first.number]) == "2", f"its second page shows {_top_number(pages[first.number])!r}"


@needs_pdf
@pytest.mark.parametrize("doc_id", [*SINGLE, *ids("SL")])
def test_r44_pdf_noi_nhan_level_with_the_signature(built, pdfs, doc_id):
    doc = open_doc(built, doc_id)
    pages = _pages(pdfs[doc_id])
    authority = lines(sign_blocks(doc)[0])[0].text
    page, label = _page_of(pages, "Nơi nhận:")
    assert label, "no 'Nơi nhận:' in the PDF"
    sig = _find_line(page, authority)
    assert sig, "Nơi nhận and the signature are on different pages"
    assert abs(label[0].y1 - sig[0].y1) <= 3, f"Nơi nhận at y {label[0].y1:.0f}, signature at {sig[0].y1:.0f}"
    assert label[0].x0 <= MARGIN[0] + 3, "Nơi nhận is not at the left margin"
    rows = max((len(t.rows) for t in data_tables(doc)), default=0)
    if rows <= 3:  # a short letter (at most two items) fits on one page
        assert len(pages) == 1, f"a letter of {rows - 1} item(s) runs to {len(pages)} pages"


@needs_pdf
@pytest.mark.parametrize("doc_id", HEADED)
def test_r47_pdf_noi_nhan_on_the_signature_page(built, pdfs, doc_id):
    doc = open_doc(built, doc_id)
    pages = _pages(pdfs[doc_id])
    label_page, _ = _page_of(pages, "Nơi nhận:")
    last_item = recipients_block(doc)[-1].text
    last_page, _ = _page_of(pages, " ".join(last_item.split()[:4]))
    name_page, _ = _page_of(pages, lines(sign_blocks(doc)[0])[-1].text)
    assert label_page and last_page and name_page, "Nơi nhận or the signer's name not found in the PDF"
    assert label_page.number == last_page.number == name_page.number, \
        f"Nơi nhận p{label_page.number}, its last item p{last_page.number}, signer p{name_page.number}"
