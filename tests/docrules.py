"""Helpers for tests/test_document_rules.py: reading a Word file the way Word lays it out
(font attributes resolved through the style chain and docDefaults), and reading the PDF
LibreOffice makes of it (word boxes from `pdftotext -bbox`, pixels from `pdftoppm`).

docs/document-rules.md describes the rules these helpers measure."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

PT_PER_MM = 72 / 25.4


# ---------------------------------------------------------------- Word


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _defaults_rpr(part):
    dd = part.styles.element.find(qn("w:docDefaults"))
    if dd is None:
        return None
    return dd.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")


def eff(run, attr: str):
    """The value Word uses for a run's font attribute ("bold", "italic", "underline", "size" in
    points, "name"): the run, its character style, the paragraph style chain, then docDefaults."""
    value = getattr(run.font, attr)
    if value is None:
        styles = []
        if run._r.rPr is not None and run._r.rPr.find(qn("w:rStyle")) is not None:
            styles += list(_style_chain(run.style))
        styles += list(_style_chain(run._parent.style)) if isinstance(run._parent, Paragraph) else []
        for st in styles:
            value = getattr(st.font, attr)
            if value is not None:
                break
    if value is None:
        rpr = _defaults_rpr(run.part)
        if rpr is not None:
            if attr == "size":
                sz = rpr.find(qn("w:sz"))
                value = None if sz is None else Pt(int(sz.get(qn("w:val"))) / 2)
            elif attr == "name":
                fonts = rpr.find(qn("w:rFonts"))
                value = None if fonts is None else fonts.get(qn("w:ascii"))
            elif attr in ("bold", "italic", "underline"):
                tag = {"bold": "w:b", "italic": "w:i", "underline": "w:u"}[attr]
                el = rpr.find(qn(tag))
                value = None if el is None else el.get(qn("w:val"), "true") not in ("0", "false", "none")
    if attr == "size":
        return None if value is None else value.pt
    if attr in ("bold", "italic", "underline"):
        return bool(value)
    return value


def text_runs(p):
    """The runs of a paragraph that print something."""
    return [r for r in p.runs if r.text.strip()]


def p_eff(p, attr: str):
    """The value of `attr` on every printing run of `p`: a set (empty for an empty paragraph)."""
    return {eff(r, attr) for r in text_runs(p)}


def alignment(p):
    """The paragraph's alignment through its style chain (None: left)."""
    if p.alignment is not None:
        return p.alignment
    for st in _style_chain(p.style):
        if st.paragraph_format.alignment is not None:
            return st.paragraph_format.alignment
    return None


def pf(p, attr: str):
    """A paragraph-format attribute through the style chain."""
    value = getattr(p.paragraph_format, attr)
    if value is None:
        for st in _style_chain(p.style):
            value = getattr(st.paragraph_format, attr)
            if value is not None:
                break
    return value


def body_items(doc):
    """The top-level blocks of the body in order: Paragraph or Table objects."""
    out = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(Paragraph(el, doc._body))
        elif el.tag == qn("w:tbl"):
            out.append(Table(el, doc._body))
    return out


def borderless(table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    if borders is None:
        return True
    return all(b.get(qn("w:val")) in ("nil", "none") for b in borders)


def header_table(doc):
    """The header grid: the table the document opens with, or None."""
    items = body_items(doc)
    return items[0] if items and isinstance(items[0], Table) else None


def sign_table(doc):
    """The signature row: the last borderless table of the body, or None."""
    tables = [t for t in body_items(doc) if isinstance(t, Table) and borderless(t)]
    head = header_table(doc)
    tables = [t for t in tables if head is None or t._tbl is not head._tbl]
    return tables[-1] if tables else None


def grid_mm(table) -> list[float]:
    return [int(g.get(qn("w:w"))) / 1440 * 25.4 for g in table._tbl.iter(qn("w:gridCol"))]


def text_width_mm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def section_of(doc, element):
    """The section holding a body element: the first sectPr at or after it."""
    for el in element.itersiblings():
        if el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            sect = el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            return next(s for s in doc.sections if s._sectPr is sect)
    return doc.sections[-1]


def blank(p) -> bool:
    return not p.text.strip()


def cell_paragraphs(cell) -> list:
    return list(cell.paragraphs)


def nonblank(paragraphs) -> list:
    return [p for p in paragraphs if not blank(p)]


def para_border(p, side: str):
    ppr = p._p.pPr
    if ppr is None:
        el = None
    else:
        el = ppr.find(f"{qn('w:pBdr')}/{qn('w:' + side)}")
    if el is None:
        for st in _style_chain(p.style):
            sppr = st.element.pPr
            if sppr is not None and sppr.find(f"{qn('w:pBdr')}/{qn('w:' + side)}") is not None:
                el = sppr.find(f"{qn('w:pBdr')}/{qn('w:' + side)}")
                break
    if el is None or el.get(qn("w:val")) in ("nil", "none"):
        return None
    return el


def indents_mm(p) -> tuple[float, float]:
    left = pf(p, "left_indent") or 0
    right = pf(p, "right_indent") or 0
    return left / Mm(1), right / Mm(1)


def cell_width_mm(table, col: int) -> float:
    return grid_mm(table)[col]


def cell_margins_mm(table) -> float:
    """Left plus right default cell margins of a table, in mm."""
    mar = table._tbl.tblPr.find(qn("w:tblCellMar"))
    total = 0.0
    for side in ("left", "right", "start", "end"):
        el = None if mar is None else mar.find(qn("w:" + side))
        if el is not None:
            total += int(el.get(qn("w:w"))) / 1440 * 25.4
    return total


# ---------------------------------------------------------------- PDF


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    def lines(self, tol: float = 2.0) -> list[list[Word]]:
        """Words grouped into lines by their baseline (y1), top to bottom."""
        out: list[list[Word]] = []
        for w in sorted(self.words, key=lambda w: (w.y1, w.x0)):
            if out and abs(out[-1][0].y1 - w.y1) <= tol:
                out[-1].append(w)
            else:
                out.append([w])
        return [sorted(line, key=lambda w: w.x0) for line in out]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: list[Path], outdir: Path, profile: Path) -> None:
    exe = soffice()
    assert exe is not None
    proc = subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                           "--outdir", str(outdir), *map(str, files)], capture_output=True, text=True, timeout=600)
    missing = [f for f in files if not (outdir / f.with_suffix(".pdf").name).exists()]
    assert not missing, f"LibreOffice made no PDF of {missing}: {proc.stdout}{proc.stderr}"


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pdf_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for n, m in enumerate(_PAGE.finditer(out), start=1):
        words = [Word(n, float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in _WORD.findall(m.group(3))]
        pages.append(Page(n, float(m.group(1)), float(m.group(2)), words))
    return pages


def pdf_fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def page_gray(pdf: Path, page: int, dpi: int, workdir: Path) -> tuple[int, int, bytes]:
    """Page `page` rasterised in grey: (width, height, one byte per pixel, 0 black)."""
    stem = workdir / f"{pdf.stem}-p{page}-{dpi}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True, capture_output=True)
    data = stem.with_suffix(".pgm").read_bytes()
    # P5 <w> <h> <max>\n<pixels>
    fields = []
    i = 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[i + 1:]
