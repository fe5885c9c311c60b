"""A PDF as lines (`kehoach import plan.pdf`): its text layer, read by pypdf.

Each page's text is taken in pypdf's layout mode (`extract_text(extraction_mode="layout")`), which
keeps a line's words where they stand across the page: a line's number counts the page's visual
lines through the whole document ("dòng"), its `page` says on which page it stands. From the
positions the reader puts back what printing took apart (`_Layout`):

- a paragraph wrapped over several lines (across a page break too) is one line again, numbered by
  its first line; a line continues the one before unless a blank gap, a deeper indent, a short
  line before it, or a numbered marker or bullet after a finished sentence says it starts anew;
- a running page number, and a header or footer repeated on the pages, are layout (`BLANK`, their
  words kept), not words of the plan;
- two columns side by side (the header block of issuers and number, the signatures) are one
  layout `Table`, read column by column as the Word and Markdown readers give them;
- an assignment table (a header row naming STT, Nội dung, chủ trì… : `lines.column_roles`) is a
  `Table` with its columns' roles: the header's words give each column's start, a row starts where
  the STT column holds a number or a Roman numeral, its lines join per column, and the table goes
  on over the next page when that page's first lines fit its columns (layout mode scales each
  page its own way: the columns are found again on the page's first full row).

Characters are counted, not measured: how full a line is, and where a column starts, are
approximate (`FULL`, `TOLERANCE`). Every step is one pass over the lines, looking ahead a bounded
number of lines (a table's header, a layout block's window, a page's first rows).

A PDF without a text layer (a scan: fewer than `MIN_LETTERS` letters a page on average) is
refused: its words are pictures, to be recognised (OCR) first. Refused too: a PDF with a password
(an empty password is tried), more than `MAX_PAGES` pages, or one pypdf cannot read.

pypdf is imported here only, when a PDF is read: `kehoach status` and `check` never load it.
"""

from __future__ import annotations

import bisect
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kehoach.life.importer.lines import (
    BLANK,
    CELL,
    TEXT,
    Line,
    NotText,
    Source,
    Table,
    column_numbers,
    column_role,
    column_roles,
    printable,
)

MAX_PAGES = 300  # a plan is a few pages (its appendices a few more); a book is not a plan
MIN_LETTERS = 20  # letters a page on average below which the PDF is a scan


class ScannedPdf(NotText):
    """A PDF of pictures only (a scan): no text layer to read."""

    detail = "import.scanned-pdf"


class LockedPdf(NotText):
    """A PDF that opens only with a password."""

    detail = "import.locked-pdf"


class LongPdf(NotText):
    """A PDF of more pages than a plan has."""

    detail = "import.long-pdf"


class BadPdf(NotText):
    """A file that says it is a PDF but cannot be read as one (damaged, truncated)."""

    detail = "import.not-pdf"


def read_pdf(raw: bytes, path: Path) -> Source:
    """The lines of a PDF's text layer: paragraphs, layout blocks and tables put back together."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    errors = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
              RecursionError, ZeroDivisionError, AssertionError)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not the user's
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # PasswordType.NOT_DECRYPTED is 0
            except (PyPdfError, NotImplementedError, ValueError):
                opened = False
            if not opened:
                raise LockedPdf(str(path))
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise LongPdf(str(path), {"pages": count, "limit": MAX_PAGES})
        pages = []
        for i in range(count):
            page = reader.pages[i]
            try:  # columns kept where they stand; rotated words (a stamp) kept too
                text = page.extract_text(extraction_mode="layout", layout_mode_strip_rotated=False)
            except errors:  # a page layout mode cannot place: its words as pypdf reads them
                text = page.extract_text()
            pages.append(text or "")
    except NotText:
        raise
    except errors as exc:
        raise BadPdf(str(path), {"detail": type(exc).__name__}) from None
    letters = sum(1 for text in pages for ch in text if ch.isalpha())
    if not count or letters < MIN_LETTERS * count:
        raise ScannedPdf(str(path))
    layout = _Layout(pages)
    return Source(layout.lines, layout.tables, "dòng", path.name)


# ---------------------------------------------------------------- a page's visual lines

TABLE_GAP = 2  # spaces between two cells of a table's line at least
COLUMN_GAP = 4  # spaces between two columns of a layout block (issuers | country; signatures) at least
TOLERANCE = 2  # characters a cell's start may stand off its column's start
HEADER_LINES = 4  # lines a table's header may wrap over
MAX_COLUMNS = 12  # columns of an assignment table at most
BLOCK_WINDOW = 6  # lines of one column between two lines of both columns in one layout block
# a line that, with the next line's first word, is this share of the page's width long was wrapped
# (characters are counted, not measured: a wrapped line of narrow letters is longer than one of
# wide ones, so the share is loose; looser still when blank gaps part the paragraphs)
FULL = 0.8
FULL_SPACED = 0.6
_ROMAN = frozenset("IVXLC")
_BARE_MARKER = re.compile(r"(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,3}){0,3}|[a-zđ])[.)]")  # a list's number alone
_BULLETS = ("-", "+", "•", "–", "*")


@dataclass
class _Vis:
    """A visual line of a page: its number in the document, its page, its words' segments
    `(start, text)` (split at runs of `TABLE_GAP` spaces), and whether a blank gap stood above."""

    n: int
    page: int
    raw: str
    gap: bool
    first: bool  # the page's first line
    segs: list[tuple[int, str]] = field(default_factory=list)

    @property
    def indent(self) -> int:
        return self.segs[0][0] if self.segs else 0

    @property
    def text(self) -> str:
        return self.raw.strip()

    def columns(self, gap: int) -> list[tuple[int, str]]:
        """The line's segments split at runs of `gap` spaces or more."""
        out: list[tuple[int, str]] = []
        for start, text in self.segs:
            if out and start - (out[-1][0] + len(out[-1][1])) < gap:
                prev = out[-1]
                out[-1] = (prev[0], prev[1] + " " * (start - prev[0] - len(prev[1])) + text)
            else:
                out.append((start, text))
        return [(s, " ".join(t.split())) for s, t in out]


def _segments(line: str) -> list[tuple[int, str]]:
    """`line`'s runs of words split at `TABLE_GAP` spaces or more, each with its start: one pass."""
    segs: list[tuple[int, str]] = []
    start = -1
    spaces = 0
    for i, ch in enumerate(line):
        if ch == " ":
            spaces += 1
            continue
        if start >= 0 and spaces >= TABLE_GAP:
            segs.append((start, line[start:i - spaces]))
            start = -1
        if start < 0:
            start = i
        spaces = 0
    if start >= 0:
        segs.append((start, line[start:len(line) - spaces]))
    return segs


def _marker(text: str) -> bool:
    """Whether `text` starts with a numbered marker ("II.", "1.", "a)", "1.2.") or a bullet."""
    head, _, rest = text.partition(" ")
    if not rest and not head:
        return False
    if head in _BULLETS:
        return True
    if len(head) < 2 or head[-1] not in ".)":
        return False
    core = head[:-1]
    if core.isdigit() and len(core) <= 3:
        return True
    if all(ch in _ROMAN for ch in core) and len(core) <= 6:
        return True
    if len(core) == 1 and core.isalpha() and core.islower():
        return True
    parts = core.split(".")
    return len(parts) <= 4 and all(p.isdigit() and len(p) <= 3 for p in parts)


def _row_mark(text: str) -> bool:
    """Whether an STT cell holds a row's number: "1", "12.", "1.2", or a Roman numeral "II"."""
    core = text.strip().rstrip(".")
    if not core or len(core) > 8:
        return False
    if all(ch in _ROMAN for ch in core):
        return True
    parts = core.split(".")
    return all(p.isdigit() and len(p) <= 3 for p in parts)


def _ends(text: str) -> bool:
    """Whether a line ends a sentence or an item (".", ";", ":", "!", "?", a quote or bracket after them)."""
    tail = text.rstrip("\"'”»)]")
    return bool(tail) and tail[-1] in ".;:!?"


def _page_number(text: str) -> int | None:
    """The number a line that is only a page number shows ("3", "- 3 -", "Trang 3", "3/9"), or None."""
    core = text.strip(" -–—()[]").lower()
    for word in ("trang ", "page "):
        if core.startswith(word):
            core = core[len(word):].strip()
    first = core.split("/")[0].strip()
    if len(core) > 12 or not first.isdigit() or len(first) > 3:
        return None
    return int(first)


def _wrapped(prev: str, text: str) -> bool:
    """Whether `text`, the line under `prev` in a column of a layout block, is the rest of it: it
    starts in lower case or with a digit ("năm" / "2021"), is one word left over ("T/M BAN CÁN SỰ
    ĐẢNG UBND" / "TỈNH"), `prev` ends on a joining mark (",", "-", "&"), or the two make the
    country's name. Stacked lines of their own ("ỦY BAN NHÂN DÂN" / "TỈNH KON TUM") stay apart."""
    from kehoach.base.text import fold

    first = text[:1]
    if first.islower() or first.isdigit() or " " not in text.strip() or prev.rstrip()[-1:] in (",", "-", "&"):
        return True
    # the country's name heading a state's document, wrapped in a narrow column
    # ("CỘNG HÒA XÃ HỘI CHỦ" / "NGHĨA VIỆT NAM")
    return len(prev) + len(text) < 80 and fold(f"{prev} {text}").strip() in _ONE_LINE


_ONE_LINE = frozenset({"cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam"})


def _key(text: str) -> str:
    """A header's or footer's words with its numbers taken out: the same on every page."""
    return " ".join("".join("#" if ch.isdigit() else ch for ch in text.casefold()).split())


def _join(prev: str, text: str) -> str:
    """Two lines of one paragraph or cell as one: a number broken after its hyphen ("26-" + "CTr/…")
    joins without a space."""
    if not prev:
        return text
    if prev.endswith("-") and len(prev) > 1 and prev[-2] != " ":
        return prev + text
    return prev + " " + text


class _Layout:
    """The lines and tables of a PDF's pages (layout mode's text), in reading order."""

    def __init__(self, pages: list[str]):
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        vis: list[_Vis] = []
        n = 0
        for number, text in enumerate(pages, start=1):
            gap, first = False, True
            for row in text.splitlines():
                words = printable(row).rstrip()
                if not words.strip():
                    gap = not first
                    continue
                n += 1
                vis.append(_Vis(n, number, words, gap, first, _segments(words)))
                gap, first = False, False
        furniture = self._furniture(vis, len(pages))
        self.body = [v for v in vis if v.n not in furniture]
        self.dropped = {v.n: v for v in vis if v.n in furniture}
        self.width = self._widths(self.body)
        # blank gaps part paragraphs unless every line stands apart (a PDF spaced 1.5 or 2)
        pairs = [b for a, b in zip(self.body, self.body[1:], strict=False) if a.page == b.page]
        self.gaps = bool(pairs) and sum(1 for b in pairs if b.gap) <= 0.75 * len(pairs)
        self.walk()

    # -- page numbers, headers and footers

    @staticmethod
    def _furniture(vis: list[_Vis], pages: int) -> set[int]:
        """The lines that are a running page number, or a header or footer repeated on the pages."""
        ends: dict[int, list[_Vis]] = {}
        for v in vis:
            ends.setdefault(v.page, []).append(v)
        found: set[int] = set()
        numbers: dict[tuple[str, int], list[int]] = {}
        keys: dict[tuple[str, str], list[int]] = {}
        for page, lines in ends.items():
            if len(lines) < 4:  # a page of a few lines has no header, footer or number apart
                continue
            for where, v in (("top", lines[0]), ("bottom", lines[-1])):
                value = _page_number(v.text)
                if value is not None:
                    numbers.setdefault((where, value - page), []).append(v.n)
                elif len(v.text) <= 120:
                    keys.setdefault((where, _key(v.text)), []).append(v.n)
        for (_, offset), ns in numbers.items():
            if offset == 0 or len(ns) >= 2:
                found.update(ns)
        for ns in keys.values():
            if len(ns) >= 2 and 2 * len(ns) >= pages:
                found.update(ns)
        return found

    @staticmethod
    def _widths(body: list[_Vis]) -> dict[int, int]:
        """Each page's width in characters: its longest line, or the pages' median when longer; none
        when no page has five lines of text."""
        longest: dict[int, int] = {}
        count: dict[int, int] = {}
        for v in body:
            if len(v.columns(COLUMN_GAP)) == 1:
                longest[v.page] = max(longest.get(v.page, 0), len(v.raw))
                count[v.page] = count.get(v.page, 0) + 1
        full = sorted(w for p, w in longest.items() if count[p] >= 5)
        if not full:  # too few lines to tell a wrapped line from an ended one: each line its own
            return {}
        median = full[len(full) // 2]
        return {p: max(w, median) for p, w in longest.items()}

    # -- the walk

    def walk(self) -> None:
        body = self.body
        para: list[_Vis] = []
        i = 0
        while i < len(body):
            v = body[i]
            if self._table_at(i, probe=True) is not None:
                self._flush(para)
                para = []
                i = self._table_at(i) or i + 1
                continue
            cols = v.columns(COLUMN_GAP)
            if len(cols) == 2 and _BARE_MARKER.fullmatch(cols[0][1]):
                # Word's automatic numbering printed with a tab: "I.      MỤC ĐÍCH, YÊU CẦU" is one
                # line of the text, not a column of numbers beside a column of words
                v.segs = [(cols[0][0], f"{cols[0][1]} {cols[1][1]}")]
                cols = v.segs
            if len(cols) >= 2:
                self._flush(para)
                para = []
                i = self._block(i)
                continue
            if para and not self._continues(para[-1], v):
                self._flush(para)
                para = []
            para.append(v)
            i += 1
        self._flush(para)
        # the page's furniture kept in its place, as layout (one pass: both lists run in order)
        dropped = sorted(self.dropped.values(), key=lambda v: v.n)
        lines, self.lines = self.lines, []
        k = 0
        for line in lines:
            while k < len(dropped) and dropped[k].n < line.n:
                self.lines.append(Line(dropped[k].n, " ".join(dropped[k].text.split()), BLANK, page=dropped[k].page))
                k += 1
            self.lines.append(line)
        self.lines.extend(Line(v.n, " ".join(v.text.split()), BLANK, page=v.page) for v in dropped[k:])

    def _continues(self, prev: _Vis, v: _Vis) -> bool:
        """Whether line `v` goes on with the paragraph whose last line is `prev`."""
        if v.gap and self.gaps:
            return False
        base = min(prev.indent, v.indent)
        if v.indent > base + TOLERANCE and not v.first:  # an indented first line, a centred title
            return False
        width = self.width.get(prev.page)
        if width is None:
            return False
        word = v.text.split(" ", 1)[0]
        # where a gap parts paragraphs only a clearly short line ends one; a line standing in more
        # than the next (a centred title, an indented first line) is measured as without gaps
        full = FULL_SPACED if self.gaps and prev.indent <= v.indent + TOLERANCE else FULL
        if len(prev.raw) + 1 + len(word) < full * width:  # room left for the next word: the line ended
            return False
        return not (_ends(prev.text) and _marker(v.text))

    def _flush(self, para: list[_Vis]) -> None:
        if not para:
            return
        text = ""
        for v in para:
            text = _join(text, " ".join(v.text.split()))
        self.lines.append(Line(para[0].n, text, TEXT, page=para[0].page))

    # -- two columns side by side: a layout block

    def _block(self, i: int) -> int:
        """The layout block starting at line `i` (two columns or more side by side); the index after it."""
        body = self.body
        last = i
        j = i + 1
        while j < len(body) and j - last <= BLOCK_WINDOW and body[j].page == body[i].page:
            if len(body[j].columns(COLUMN_GAP)) >= 2:
                if self._table_at(j, probe=True):
                    break
                last = j
            j += 1
        rows = body[i:last + 1]
        wide = [r.columns(COLUMN_GAP) for r in rows]
        width = max(len(w) for w in wide)
        if width > 2:  # more than two columns and no header naming them: its words as lines, row by row
            for r, w in zip(rows, wide, strict=True):
                for _, text in w:
                    self.lines.append(Line(r.n, text, TEXT, page=r.page))
            return last + 1
        bound = min(w[1][0] for w in wide if len(w) > 1)
        spans: list[list[int]] = [[bound, 0], [bound, 0]]  # each column's extent
        cols: list[list[tuple[_Vis, str]]] = [[], []]

        def put(r: _Vis, start: int, text: str, col: int) -> None:
            spans[col][0] = min(spans[col][0], start)
            spans[col][1] = max(spans[col][1], start + len(text))
            cols[col].append((r, text))

        for r, w in zip(rows, wide, strict=True):
            if len(w) > 1:
                for k, (start, text) in enumerate(w):
                    put(r, start, text, 0 if k == 0 else 1)
            else:
                start, text = w[0]
                put(r, start, text, 1 if start + len(text) / 2 >= bound else 0)
        k = last + 1
        while k < len(body) and k <= last + 2 and body[k].page == body[i].page:  # lines below, in a column
            w = body[k].columns(COLUMN_GAP)
            start, text = w[0]
            inside = [c for c in (0, 1) if spans[c][0] - TOLERANCE <= start
                      and start + len(text) <= spans[c][1] + TOLERANCE]
            if len(w) > 1 or len(inside) != 1 or self._table_at(k, probe=True):
                break
            above = cols[inside[0]][-1][1][:1] if cols[inside[0]] else ""
            if body[k].gap and not (text[:1] in ("-", "+") and text[:1] == above):  # a column's list goes on
                break
            put(body[k], start, text, inside[0])
            k += 1
        index = len(self.tables)
        table = Table(first_line=rows[0].n, layout=True)
        cells: list[list[Line]] = [[], []]
        for col in (0, 1):
            prev: _Vis | None = None
            for r, text in cols[col]:
                joined = bool(cells[col]) and prev is not None and not r.gap and r.n == prev.n + 1 \
                    and _wrapped(cells[col][-1].text, text)
                if joined:
                    last_line = cells[col][-1]
                    cells[col][-1] = Line(last_line.n, _join(last_line.text, text), CELL, table=index, row=0,
                                          col=col, page=last_line.page)
                else:
                    cells[col].append(Line(r.n, text, CELL, table=index, row=0, col=col, page=r.page))
                prev = r
        table.rows = [cells]
        self.tables.append(table)
        self.lines.extend(cells[0] + cells[1])
        return k

    # -- an assignment table

    def _table_at(self, i: int, probe: bool = False) -> int | None:
        """When line `i` is the header of an assignment table: the table read (unless `probe`) and
        the index after it; else None."""
        body = self.body
        head = body[i].columns(TABLE_GAP)
        if not 3 <= len(head) <= MAX_COLUMNS or column_role(head[0][1]) != "stt":
            return None
        starts = [s for s, _ in head]
        texts = [t for _, t in head]
        j = i + 1
        numbers: _Vis | None = None  # the row numbering the columns under the header ("(1) (2) … (6)")
        while j < len(body) and j <= i + HEADER_LINES and body[j].page == body[i].page:
            if column_numbers([t for _, t in body[j].columns(TABLE_GAP)]):
                numbers, j = body[j], j + 1
                break
            cells = self._slice(body[j], starts)
            if cells[0] is None or cells[0][1]:  # a row starts (or the STT column holds words): the header ended
                break
            for col, words in enumerate(cells[1:], start=1):
                if words:
                    texts[col] = _join(texts[col], words[1])
            j += 1
        roles = column_roles(texts)
        if not roles or not ({"lead", "deadline"} & set(roles.values())):
            return None
        if probe:
            return j
        index = len(self.tables)
        table = Table(first_line=body[i].n, roles=roles, header_rows=1 + (numbers is not None))
        self.tables.append(table)
        table.rows.append([[Line(body[i].n, t, CELL, table=index, row=0, col=c, page=body[i].page)]
                           for c, t in enumerate(texts)])
        if numbers is not None:
            table.rows.append([[Line(numbers.n, t, CELL, table=index, row=1, col=c, page=numbers.page)]
                               for c, (_, t) in enumerate(numbers.columns(TABLE_GAP))])
        row: list[list[tuple[int, int, str]]] = []  # per column: (n, page, words) of each line
        page = body[i].page
        while j < len(body):
            v = body[j]
            if v.page != page:
                moved = self._refit(j, starts)
                if moved is None:
                    break
                starts, page = moved, v.page
            cells = self._slice(v, starts)
            if cells[0] is None:
                break
            if cells[0][1]:  # the STT column: a new row
                if not _row_mark(cells[0][1]):
                    break
                self._row(table, index, row)
                row = [[] for _ in starts]
            elif v.gap or not row:  # words after a gap, no row yet: the table ended
                break
            for col, cell in enumerate(cells):
                if cell is not None and cell[1]:
                    row[col].append((v.n, v.page, cell[1]))
            j += 1
        self._row(table, index, row)
        for r in table.rows:
            self.lines.extend(x for cell in r for x in cell)
        return j

    @staticmethod
    def _slice(v: _Vis, starts: list[int]) -> list[tuple[int, str] | None]:
        """Line `v`'s words per column (each segment to the column it starts in); `[None]` when a
        segment starts before the first column."""
        out: list[tuple[int, str] | None] = [None] * len(starts)
        out[0] = (0, "")
        for start, text in v.columns(TABLE_GAP):
            col = bisect.bisect_right(starts, start + TOLERANCE) - 1
            if col < 0:
                return [None]
            held = out[col]
            out[col] = (start, _join(held[1], text)) if held is not None and held[1] else (start, text)
        return out

    def _refit(self, j: int, starts: list[int]) -> list[int] | None:
        """The columns of a table going on over a new page at line `j` (layout mode scales each page
        its own way): those of the page's first full row, when the lines above it fit them; the old
        ones when the first line fits them; else None (the table ended on the page before)."""
        body = self.body
        k = j
        while k < len(body) and body[k].page == body[j].page and k - j < 40 and (k == j or not body[k].gap):
            segs = body[k].columns(TABLE_GAP)
            if len(segs) == len(starts) and _row_mark(segs[0][1]):
                new = [s for s, _ in segs]
                new[0] = 0
                if all(self._slice(body[m], new)[0] is not None for m in range(j, k)):
                    return new
                break
            k += 1
        first = self._slice(body[j], starts)
        if first[0] is not None and (not first[0][1] or _row_mark(first[0][1])):
            return starts
        return None

    @staticmethod
    def _row(table: Table, index: int, row: list[list[tuple[int, int, str]]]) -> None:
        if not any(row):
            return
        r = len(table.rows)
        cells: list[list[Line]] = []
        for col, parts in enumerate(row):
            if not parts:
                cells.append([])
                continue
            text = ""
            for _, _, words in parts:
                text = _join(text, words)
            cells.append([Line(parts[0][0], text, CELL, table=index, row=r, col=col, page=parts[0][1])])
        table.rows.append(cells)
