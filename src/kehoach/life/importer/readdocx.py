"""A Word file (.docx) as lines (`kehoach import plan.docx`).

The body's paragraphs and tables in order; a line's number counts paragraphs ("đoạn"), a table
cell's paragraphs included, so a comment's number can be found by counting. A paragraph's words
come from its runs: `w:t`, a tab a space, a no-break hyphen "-", a line break (`w:br`, `w:cr`)
the start of another line with the same number; deleted text (`w:delText`) and field codes
(`w:instrText`) are not words.

Word's automatic numbering (the "I.", "1.", "a)" Word draws but the text does not hold) is read
from `word/numbering.xml` (`Numbering`): a paragraph's `numPr`, its own or its style's (List
Number, List Bullet…), gives the list and level; counters per list and level, deeper levels
restarting when a shallower one counts on; the rendered number ("II.", "3.", "b)", "-" for a
bullet) is prefixed to the words and kept in `marker`/`level`.

Tables are read cell by cell from `w:tr`/`w:tc` (python-docx's `row.cells` repeats merged cells):
a cell spanning columns (`gridSpan`) is one cell at its first column, a cell continuing a
vertical merge (`vMerge`) holds the value of the cell above. A table whose first row names its
columns is a data table (`Table.roles`); a two-column table naming none lays a header or the
signatures out, read column by column; any other is read row by row.

Bounded: a zip that would unpack to too much, or whose word/ parts hold more than `MAX_XML`
bytes of XML, is refused before parsing; each walk is one pass
(style chains at most 10 deep, cycles cut), nested tables at most 8 deep.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehoach.life.importer.lines import (
    BLANK,
    BULLET,
    CELL,
    HEADING,
    ITEM,
    TEXT,
    Line,
    NotText,
    Source,
    Table,
    column_roles,
    printable,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
STYLE_DEPTH = 10  # a style chain (pStyle → basedOn …) is followed this far, no further
TABLE_DEPTH = 8  # tables inside tables inside … cells: deeper ones are read as their cells' words
LEVELS = 9  # Word's list levels 0–8
SKIP = {f"{W}pPr", f"{W}rPr", f"{W}delText", f"{W}instrText", f"{W}fldData", MC_FALLBACK, f"{W}del",
        f"{W}moveFrom"}


MAX_XML = 16 * 2**20  # bytes of XML in a Word file's word/ parts: a long plan with tables holds a few MB


class LargeDocx(NotText):
    """A Word file whose XML inflates past `MAX_XML` (the 190 MB of XML of a 2 MB file)."""

    detail = "import.docx-too-large"


def read_docx(raw: bytes, path: Path) -> Source:
    """The lines and tables of a Word file's body."""
    import zipfile

    from kehoach.base.files import zip_bomb

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            if zip_bomb(zf, max_unzipped=200 * 1024 * 1024, max_ratio=200, max_members=5000):
                raise NotText(str(path))  # a Word file does not unpack to hundreds of megabytes
            names = zf.namelist()
            word = any(name.startswith("word/") for name in names)
            if not word and "mimetype" in names and _head(zf, "mimetype").startswith(
                    b"application/vnd.oasis.opendocument"):
                raise NotText(str(path), detail="import.opendocument")  # LibreOffice's own format (.odt)
            if not word and any(name.startswith("xl/") for name in names):
                raise NotText(str(path), detail="import.spreadsheet")  # a workbook
            # the XML parsed (python-docx reads the word/ parts): bounded, whatever the zip's ratio
            xml = sum(m.file_size for m in zf.infolist() if m.filename.startswith("word/")
                      and m.filename.endswith((".xml", ".rels")))
            if xml > MAX_XML:
                raise LargeDocx(str(path), {"size": -(-xml // 2**20), "limit": MAX_XML // 2**20})
    except zipfile.BadZipFile:
        if path.suffix.lower() == ".docx":
            raise  # a damaged Word file: the caller says so
        raise NotText(str(path)) from None
    if not word and path.suffix.lower() != ".docx":
        raise NotText(str(path))  # a zip, but not a Word file (a workbook, an archive)
    from docx import Document

    doc = Document(io.BytesIO(raw))
    reader = _Reader(Numbering.of(doc))
    reader.blocks(doc.element.body)
    body = doc.element.body
    revisions = sum(1 for _ in body.iter(f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo"))
    return Source(reader.lines, reader.tables, "đoạn", path.name, revisions)


# ---------------------------------------------------------------- numbering


@dataclass
class Level:
    """One level of a numbering definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 never; None: any shallower


@dataclass
class Numbering:
    """Word's numbering definitions (`word/numbering.xml`) and the paragraph styles that carry one,
    and the counters as the document is read in order."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId → level → Level
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, Level | int]] = field(default_factory=dict)  # numId → level → start or Level
    styles: dict[str, tuple[str | None, int | None, str | None, str]] = field(default_factory=dict)
    # styleId → (numId, ilvl, basedOn, name)
    style_levels: dict[tuple[str, str], int] = field(default_factory=dict)  # (abstractNumId, styleId) → ilvl
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[tuple[str, int]] = field(default_factory=set)  # (numId, ilvl) whose override was applied

    @classmethod
    def of(cls, doc: Any) -> Numbering:
        """The numbering of a python-docx Document (its numbering and styles parts, as parsed)."""
        numbering = cls()
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        if root is not None:
            numbering.read_numbering(root)
        try:
            styles = doc.styles.element
        except (KeyError, NotImplementedError):
            styles = None
        if styles is not None:
            numbering.read_styles(styles)
        return numbering

    def read_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(f"{W}abstractNum"):
            aid = abstract.get(f"{W}abstractNumId") or ""
            levels: dict[int, Level] = {}
            for lvl in abstract.iterchildren(f"{W}lvl"):
                ilvl = _int(lvl.get(f"{W}ilvl"), 0)
                if 0 <= ilvl < LEVELS:
                    levels[ilvl] = _level(lvl)
                    style = _val(lvl.find(f"{W}pStyle"))
                    if style:
                        self.style_levels[(aid, style)] = ilvl
            self.abstract[aid] = levels
        for num in root.iterchildren(f"{W}num"):
            nid = num.get(f"{W}numId") or ""
            self.nums[nid] = _val(num.find(f"{W}abstractNumId")) or ""
            over: dict[int, Level | int] = {}
            for lo in num.iterchildren(f"{W}lvlOverride"):
                ilvl = _int(lo.get(f"{W}ilvl"), 0)
                if not 0 <= ilvl < LEVELS:
                    continue
                lvl = lo.find(f"{W}lvl")
                start = lo.find(f"{W}startOverride")
                if lvl is not None:
                    over[ilvl] = _level(lvl)
                elif start is not None:
                    over[ilvl] = _int(_val(start), 1)
            if over:
                self.overrides[nid] = over

    def read_styles(self, root: Any) -> None:
        for style in root.iterchildren(f"{W}style"):
            sid = style.get(f"{W}styleId") or ""
            nid, ilvl = _num_pr(style.find(f"{W}pPr"))
            name = (_val(style.find(f"{W}name")) or "").lower()
            self.styles[sid] = (nid, ilvl, _val(style.find(f"{W}basedOn")), name)

    def style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        """The numId and level a paragraph style (or the style it is based on…) gives."""
        seen: set[str] = set()
        while style and style not in seen and len(seen) < STYLE_DEPTH:
            seen.add(style)
            nid, ilvl, based, _ = self.styles.get(style, (None, None, None, ""))
            if nid is not None:
                if ilvl is None:
                    ilvl = self.style_levels.get((self.nums.get(nid, ""), style), 0)
                return nid, ilvl
            style = based
        return None, None

    def style_name(self, style: str | None) -> str:
        """The name of a paragraph style, or of the first style it is based on that has one
        among the headings ("heading 2", "title")."""
        seen: set[str] = set()
        while style and style not in seen and len(seen) < STYLE_DEPTH:
            seen.add(style)
            _, _, based, name = self.styles.get(style, (None, None, None, ""))
            if name.startswith("heading") or name == "title":
                return name
            style = based
        return ""

    def level(self, nid: str, ilvl: int) -> Level:
        over = self.overrides.get(nid, {}).get(ilvl)
        if isinstance(over, Level):
            return over
        return self.abstract.get(self.nums.get(nid, ""), {}).get(ilvl, Level())

    def next(self, nid: str, ilvl: int) -> tuple[str, str, bool] | None:
        """Count a paragraph of list `nid` at level `ilvl`: (the rendered number "II." / "b)",
        the level's own number "II" / "b", whether it is a bullet), or None when the list is not
        defined or draws nothing."""
        aid = self.nums.get(nid)
        if aid is None or aid not in self.abstract:
            return None
        ilvl = min(max(ilvl, 0), LEVELS - 1)
        counts = self.counters.setdefault(aid, [None] * LEVELS)
        over = self.overrides.get(nid, {}).get(ilvl)
        lvl = self.level(nid, ilvl)
        if over is not None and (nid, ilvl) not in self.started:
            self.started.add((nid, ilvl))
            counts[ilvl] = over.start if isinstance(over, Level) else over
        else:
            current = counts[ilvl]
            counts[ilvl] = lvl.start if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):  # deeper levels start again after this one
            restart = self.level(nid, deeper).restart
            if restart is None or (restart > 0 and ilvl < restart):
                counts[deeper] = None
        if lvl.fmt == "bullet":
            return "-", "-", True
        if lvl.fmt == "none" or not lvl.text:
            return None
        own = _format(counts[ilvl] or 0, lvl.fmt)

        def number(k: int) -> str:
            count = counts[k]
            return _format(self.level(nid, k).start if count is None else count, self.level(nid, k).fmt)

        rendered = _render(lvl.text, number)
        return rendered.strip(), own, False


def _render(text: str, number: Any) -> str:
    """A level's text ("%1.%2.") with each %k replaced by level k's number, in one pass."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
            out.append(number(int(text[i + 1]) - 1))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _format(n: int, fmt: str) -> str:
    """A count in a numbering format (decimal, Roman, letters); a count out of a format's range
    is written in digits."""
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        out = []
        for value, letters in _ROMAN:
            while n >= value:
                out.append(letters)
                n -= value
        roman = "".join(out)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26 * 8:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: a … z, aa … zz
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero" and 0 <= n < 10:
        return f"0{n}"
    return str(n)


def _level(lvl: Any) -> Level:
    restart = lvl.find(f"{W}lvlRestart")
    return Level(start=_int(_val(lvl.find(f"{W}start")), 1), fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
                 text=_val(lvl.find(f"{W}lvlText")) or "",
                 restart=_int(_val(restart), 0) if restart is not None else None)


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    """The numbering (numId, level) a paragraph's or a style's properties name, each None when
    not said there."""
    num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
    if num_pr is None:
        return None, None
    ilvl_val = _val(num_pr.find(f"{W}ilvl"))
    return _val(num_pr.find(f"{W}numId")), _int(ilvl_val, 0) if ilvl_val is not None else None


def _val(element: Any) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _int(text: str | None, default: int) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if -1 < value < 10**6 else default


# ---------------------------------------------------------------- the body


class _Reader:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.n = 0  # paragraphs counted so far

    def blocks(self, parent: Any, depth: int = 0) -> None:
        """The paragraphs and tables under `parent` (the body, a content control), in order."""
        for block in parent.iterchildren():
            tag = block.tag
            if tag == f"{W}p":
                self.lines.extend(self.paragraph(block))
            elif tag == f"{W}tbl":
                self.table(block, depth)
            elif tag in (f"{W}sdt", f"{W}customXml") and depth < TABLE_DEPTH:
                content = block.find(f"{W}sdtContent") if tag == f"{W}sdt" else block
                if content is not None:
                    self.blocks(content, depth + 1)

    def paragraph(self, p: Any, in_table: bool = False) -> list[Line]:
        """A paragraph's lines (several when it holds line breaks), numbered and marked."""
        self.n += 1
        n = self.n
        pieces, extra = _words(p)
        ppr = p.find(f"{W}pPr")
        style = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        number = self.number(ppr, style)
        heading = self.numbering.style_name(style)
        kind = HEADING if heading or (number is None and not in_table and _bold_line(p, pieces)) else TEXT
        level = None
        if heading.startswith("heading"):
            level = _int(heading[7:].strip(), 1)
        elif heading == "title":
            level = 0
        texts = [printable(t).strip() for t in pieces]
        marker = None
        if number is not None:
            rendered, own, bullet, ilvl = number
            marker = own
            level = ilvl if kind == TEXT else level
            kind = BULLET if bullet and kind == TEXT else ITEM if kind == TEXT else kind
            texts[0] = f"{rendered} {texts[0]}".strip()
        lines = []
        for k, text in enumerate(texts):
            if not text:
                if k == 0 and not in_table and len(texts) == 1:
                    lines.append(Line(n, "", BLANK))
                continue
            if k == 0:
                lines.append(Line(n, text, kind, marker, level))
            else:
                lines.append(Line(n, text, TEXT if kind in (ITEM, BULLET) else kind,
                                  level=level if kind == HEADING else None))
        for inner in extra:  # a text box's paragraphs, after the paragraph that anchors it
            lines.extend(self.paragraph(inner, in_table))
        return lines

    def number(self, ppr: Any, style: str | None) -> tuple[str, str, bool, int] | None:
        nid, ilvl = _num_pr(ppr)
        if nid is None or ilvl is None:
            style_nid, style_ilvl = self.numbering.style_numbering(style)
            nid = nid if nid is not None else style_nid
            ilvl = ilvl if ilvl is not None else style_ilvl
        if nid is None or nid == "0":
            return None
        ilvl = ilvl or 0
        counted = self.numbering.next(nid, ilvl)
        return None if counted is None else (*counted, ilvl)

    def table(self, tbl: Any, depth: int) -> None:
        """A table: its cells' lines into a `Table`, and into the lines in reading order."""
        index = len(self.tables)
        table = Table(first_line=self.n + 1)
        self.tables.append(table)
        above: dict[int, list[Line]] = {}  # grid column → the lines of the last cell there
        own: list[list[list[Line]]] = []  # the lines each cell itself holds (a continuing merge holds none)
        for r, tr in enumerate(_children(tbl, "tr")):
            row: list[list[Line]] = []
            mine: list[list[Line]] = []
            col = 0
            for tc in _children(tr, "tc"):
                tcpr = tc.find(f"{W}tcPr")
                span = _int(_val(tcpr.find(f"{W}gridSpan")) if tcpr is not None else None, 1) or 1
                span = min(span, 64)
                merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                lines = [Line(x.n, x.text, CELL, x.marker, x.level, index, r, col)
                         for x in self.cell(tc, depth) if x.kind != BLANK]
                while len(row) < col:
                    row.append([])
                    mine.append([])
                if merge is not None and _val(merge) in (None, "continue"):
                    inherited = above.get(col, [])
                    row.append(inherited + lines)
                else:
                    row.append(lines)
                    above[col] = lines
                mine.append(lines)
                for _ in range(span - 1):  # the columns a spanning cell covers
                    row.append([])
                    mine.append([])
                col += span
            table.rows.append(row)
            own.append(mine)
        first = [" ".join(x.text for x in cell) for cell in table.rows[0]] if table.rows else []
        table.roles = column_roles(first)
        table.header_rows = 1 if table.roles else 0
        if table.roles and len(table.rows) > 1:
            _second_header(table, first, [" ".join(x.text for x in cell) for cell in table.rows[1]])
        width = max((len(row) for row in table.rows), default=0)
        table.layout = not table.roles and width == 2
        if table.layout:
            self.lines.extend(x for c in range(width) for row in own if c < len(row) for x in row[c])
        else:
            self.lines.extend(x for row in own for cell in row for x in cell)

    def cell(self, tc: Any, depth: int) -> list[Line]:
        """A cell's lines: its paragraphs, and the paragraphs of any table inside it."""
        out: list[Line] = []
        for block in tc.iterchildren():
            if block.tag == f"{W}p":
                out.extend(self.paragraph(block, in_table=True))
            elif block.tag == f"{W}tbl":
                for tr in _children(block, "tr"):
                    for inner in _children(tr, "tc"):
                        if depth + 1 < TABLE_DEPTH:
                            out.extend(self.cell(inner, depth + 1))
            elif block.tag == f"{W}sdt":
                content = block.find(f"{W}sdtContent")
                if content is not None and depth + 1 < TABLE_DEPTH:
                    out.extend(self.cell(content, depth + 1))
        return out


def _children(parent: Any, name: str) -> list[Any]:
    """`parent`'s `w:<name>` children, and those inside content controls or custom XML around them."""
    out = []
    for child in parent.iterchildren():
        if child.tag == f"{W}{name}":
            out.append(child)
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            inner = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if inner is not None:
                out.extend(c for c in inner.iterchildren() if c.tag == f"{W}{name}")
    return out


def _words(p: Any) -> tuple[list[str], list[Any]]:
    """A paragraph's words, one string per line (a `w:br`/`w:cr` starts another), and the
    paragraphs of the text boxes it anchors. One walk over the paragraph's elements."""
    pieces = [""]
    boxes: list[Any] = []
    stack = list(reversed(list(p.iterchildren())))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == f"{W}t":
            pieces[-1] += el.text or ""
        elif tag in (f"{W}tab", f"{W}ptab"):
            pieces[-1] += " "
        elif tag in (f"{W}br", f"{W}cr"):
            pieces.append("")
        elif tag == f"{W}noBreakHyphen":
            pieces[-1] += "-"
        elif tag == f"{W}sym":
            pieces[-1] += _symbol(el.get(f"{W}char"))
        elif tag == f"{W}txbxContent":
            boxes.extend(c for c in el.iterchildren() if c.tag == f"{W}p")
        else:
            stack.extend(reversed(list(el.iterchildren())))
    return pieces, boxes


def _symbol(code: str | None) -> str:
    try:
        return chr(int(code or "", 16))
    except (ValueError, OverflowError):
        return ""


def _bold_line(p: Any, pieces: list[str]) -> bool:
    """A short paragraph all in bold ("3. Cải cách tổ chức bộ máy" typed bold, not in a heading
    style): a heading, a paragraph of its own, never the start of the text below it."""
    if sum(len(t) for t in pieces) > 150 or len(pieces) != 1:
        return False
    runs = [r for r in p.iter(f"{W}r") if any((t.text or "").strip() for t in r.iter(f"{W}t"))]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(f"{W}rPr")
        bold = rpr.find(f"{W}b") if rpr is not None else None
        if bold is None or bold.get(f"{W}val") in ("0", "false", "off"):
            return False
    return True


_START = ("bat dau", "tu ngay", "khoi cong")
_END = ("hoan thanh", "ket thuc", "den ngay", "thoi han", "han hoan thanh")


def _second_header(table: Table, first: list[str], second: list[str]) -> None:
    """A header of two rows ("Thời gian" over "Bắt đầu | Hoàn thành"): the second row is a header
    too, not a task, and the deadline is the column of the end under the heading that spans
    both (it was the start's: the first column of the span)."""
    from kehoach.base.text import fold

    words = [fold(t).strip(" .:*") for t in second]
    if not any(w.startswith(_START + _END) for w in words):
        return
    content = next((c for c, role in table.roles.items() if role == "content"), None)
    if content is not None and content < len(second) and second[content].strip() \
            and second[content].strip() != first[content].strip():
        return  # the second row holds a task of its own
    table.header_rows = 2
    at = next((c for c, role in table.roles.items() if role == "deadline"), None)
    if at is None:
        return
    span = [at] + list(itertools.takewhile(lambda c: c < len(first) and not first[c].strip(),
                                           range(at + 1, len(first))))
    end = next((c for c in span if c < len(words) and words[c].startswith(_END)), span[-1])
    if end != at:
        del table.roles[at]
        table.roles[end] = "deadline"


def _head(zf: Any, name: str) -> bytes:
    """The first bytes of a member (never the whole of it)."""
    with zf.open(name) as fh:
        return bytes(fh.read(64))
