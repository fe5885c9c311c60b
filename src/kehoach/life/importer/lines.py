"""What a reader gives the importer: the lines of a source document, whatever its form.

Every reader (plain or OCR text, Markdown, Word, PDF) turns its input into one `Source`: its
lines in reading order, each with the number a person finds it by (a text's line, a Word
paragraph, a PDF page's line), what kind of line it is, and the numbering a reader found
outside the words (Word's automatic numbering, a Markdown list's number), prefixed to the text
so the structure step reads "II. Nội dung phối hợp" whichever form the plan came in. Tables
keep their rows and cells, and what each column holds when its header says so (the assignment
table: STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành).

`Source.texts()` is the plain list of lines the structure step reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

# kinds of line
TEXT, HEADING, ITEM, BULLET, RULE, CELL, BLANK = "text", "heading", "item", "bullet", "rule", "cell", "blank"
LAYOUT_KINDS = (RULE, BLANK)  # lines that carry no words of the plan (a `---` rule, a blank line)
# what a column of a table holds, named by its header's words
ROLES = ("stt", "content", "lead", "support", "deadline", "product", "note")


@dataclass(frozen=True)
class Line:
    """One line of the source. `n` is its number in the source's own unit (`Source.unit`): a
    text's line, a Word paragraph (table cells' paragraphs counted too), a PDF page's line.
    `text` holds the words (marks taken off; a numbering found outside the words prefixed:
    "II. ", "1. ", "a) ", "- "). Several lines may share one `n` (a cell's `<br>` lines)."""

    n: int
    text: str
    kind: str = TEXT
    marker: str | None = None  # "II", "1", "a", "-": Word's numbering or a Markdown list's
    level: int | None = None  # a heading's level, a list's depth
    table: int | None = None  # index in `Source.tables` when kind == CELL
    row: int | None = None
    col: int | None = None
    page: int | None = None  # a PDF's page


@dataclass
class Table:
    """A table of the source: rows of cells, each cell its lines. `roles` names what a column
    holds (`ROLES`) when the header row says so; `header_rows` rows are its header; `layout`:
    a table that only lays text out (the header block of issuers and title, the signatures),
    not data."""

    first_line: int
    rows: list[list[list[Line]]] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)
    header_rows: int = 0
    layout: bool = False

    @property
    def assignment(self) -> bool:
        """An assignment table: a column of contents and one of lead bodies or of deadlines."""
        held = set(self.roles.values())
        return "content" in held and bool(held & {"lead", "deadline"})


@dataclass
class Source:
    """A source document as its reader gives it: `unit` names what `Line.n` counts ("dòng" a
    line, "đoạn" a paragraph, "trang" a PDF page's line), `name` the file's name."""

    lines: list[Line]
    tables: list[Table] = field(default_factory=list)
    unit: str = "dòng"
    name: str = ""
    revisions: int = 0  # tracked changes not yet accepted or rejected (a Word file): read as if accepted

    @classmethod
    def from_texts(cls, texts: list[str], name: str = "", unit: str = "dòng") -> Source:
        """A source of plain lines (a text file): line i is number i + 1."""
        return cls([Line(i, t, BLANK if not t.strip() else TEXT) for i, t in enumerate(texts, start=1)],
                   unit=unit, name=name)

    def texts(self) -> list[str]:
        """The lines' words, in order: what the structure step reads."""
        return [line.text for line in self.lines]

    def squeezed(self) -> Source:
        """The same source, each run of more than `SPACES` spaces, tabs or no-break spaces in a
        line's words made `SPACES` spaces (`squeeze`): done once, before any pattern reads the
        words, so that no pattern meets a long run (issue 20); and its words composed (NFC): a
        document typed with decomposed accents (Unikey's "Unicode tổ hợp") reads as any other. The
        tables hold the new lines."""
        import unicodedata

        new: dict[int, Line] = {}
        lines = []
        for line in self.lines:
            text = line.text
            if not text.isascii() and not unicodedata.is_normalized("NFC", text):
                text = unicodedata.normalize("NFC", text)
            text = squeeze(text)
            got = line if text is line.text else replace(line, text=text)
            new[id(line)] = got
            lines.append(got)
        if all(a is b for a, b in zip(lines, self.lines, strict=True)):
            return self
        tables = [replace(t, rows=[[[new.get(id(x), x) for x in cell] for cell in row] for row in t.rows])
                  for t in self.tables]
        return Source(lines, tables, self.unit, self.name, self.revisions)


class NotText(ValueError):
    """The source is not a text the importer can read (binary, an unknown encoding, a scanned or
    locked PDF…): every reader refuses with it. `detail` is the catalogue key saying why (a
    subclass names its own, or it is given), `params` that message's values."""

    detail = "import.not-text"

    def __init__(self, path: str, params: dict[str, object] | None = None, detail: str | None = None):
        super().__init__(path)
        self.params: dict[str, object] = dict(params or {})
        if detail is not None:
            self.detail = detail


SPACES = 8  # a longer run of spaces in a line is this many (columns of OCR text stay apart: 3 or more)
_RUN = re.compile(rf"\s{{{SPACES + 1},}}")


def squeeze(text: str) -> str:
    """`text` with each run of more than `SPACES` whitespace characters (spaces, tabs, no-break
    spaces) made `SPACES` spaces; the same string when it holds none."""
    return _RUN.sub(" " * SPACES, text) if _RUN.search(text) else text


def printable(line: str) -> str:
    """A line without control, format (bidirectional overrides) or private characters: they carry
    no meaning in a plan, and could act on a terminal or break the draft's YAML. A control, a line
    separator or a private character (a symbol font's space in a PDF) parted words: a space; a format
    character sat inside a word (a soft hyphen "chuy\u00adển", a zero-width space) or beside it:
    nothing."""
    import unicodedata

    if line.isascii() and line.isprintable():
        return line
    out = []
    for ch in line:
        kind = unicodedata.category(ch)
        if ch == "\t" or kind not in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs"):
            out.append(ch)
        elif kind in ("Cc", "Zl", "Zp", "Co"):  # a private character: a symbol font's space (U+F020)
            out.append(" ")
    return "".join(out)


# a column's role by its header's words, folded (no diacritics, lower case), tried in this order:
# "Thời gian thực hiện" is a deadline before "thực hiện" could make it a lead
_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stt", ("stt", "tt", "so tt", "so thu tu", "thu tu")),
    ("deadline", ("thoi gian", "thoi han", "tien do", "han hoan thanh")),
    ("support", ("phoi hop",)),
    ("lead", ("chu tri", "co quan thuc hien", "don vi thuc hien", "co quan, don vi thuc hien",
              "co quan/don vi thuc hien", "trach nhiem")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "ten nhiem vu", "ten cong viec", "hoat dong")),
    ("product", ("san pham", "ket qua")),
    ("note", ("ghi chu",)),
)


def column_role(header: str) -> str | None:
    """What a column holds (one of `ROLES`), by its header's words ("Cơ quan chủ trì" → lead), or
    None. The words are folded first, so "Thời hạn hoàn thành" and "THOI HAN" are one."""
    from kehoach.base.text import fold

    words = fold(header[:200]).strip(" .:*")
    if not words:
        return None
    for role, keys in _ROLE_WORDS:
        if role == "stt":
            if words in keys:
                return role
        elif any(words.startswith(k) or f" {k}" in words for k in keys):
            return role
    return None


def column_roles(headers: list[str]) -> dict[int, str]:
    """The roles of a header row's columns (each role given to its first column only). A row
    naming fewer than two roles, or no content column, names none: it is not a header."""
    roles: dict[int, str] = {}
    for col, header in enumerate(headers):
        role = column_role(header)
        if role and role not in roles.values():
            roles[col] = role
    return roles if len(roles) >= 2 and "content" in roles.values() else {}


def column_numbers(texts: list[str]) -> bool:
    """Whether a table row only numbers the columns ("(1)", "(2)" … or "1", "2" …, as official tables
    put under their header): three or more, each the one before it plus one."""
    numbers = [re.fullmatch(r"\(?(\d{1,2})\)?", t.strip()) for t in texts if t.strip()]
    if len(numbers) < 3 or not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers if m]
    return all(b == a + 1 for a, b in zip(values, values[1:], strict=False))
