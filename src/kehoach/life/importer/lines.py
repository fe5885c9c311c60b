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

from dataclasses import dataclass, field

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

    @classmethod
    def from_texts(cls, texts: list[str], name: str = "", unit: str = "dòng") -> Source:
        """A source of plain lines (a text file): line i is number i + 1."""
        return cls([Line(i, t, BLANK if not t.strip() else TEXT) for i, t in enumerate(texts, start=1)],
                   unit=unit, name=name)

    def texts(self) -> list[str]:
        """The lines' words, in order: what the structure step reads."""
        return [line.text for line in self.lines]
