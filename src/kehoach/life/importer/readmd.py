"""A Markdown source as lines (`kehoach import plan.md`), read by markdown-it-py (CommonMark with
tables; raw HTML is not interpreted, so `<br>` stays a literal the reader splits on).

Each line keeps its number in the file (the block tokens' `map`): a heading is a `heading` line
with its level, a `---` rule a `rule` line with no words (never a task), an ordered list's item
an `item` line with the typed number prefixed ("1. "), a bullet a `bullet` line prefixed "- ";
bold, italic, code and link marks are dropped; a paragraph's lines stay separate lines. A table
becomes a `Table` with one `cell` line per cell line (a cell's `<br>` parts are lines with the
same number): a table whose header names its columns (STT | Nội dung | Cơ quan chủ trì …) is a
data table with `roles`; a two-column table naming none is a layout block (issuers | Quốc hiệu,
or the signatures), whose cells are given column by column so stacked lines stay together.

One pass over the tokens and one over the file's lines: linear in the input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kehoach.life.importer.lines import (
    BLANK,
    BULLET,
    CELL,
    HEADING,
    ITEM,
    RULE,
    TEXT,
    Line,
    Source,
    Table,
    column_roles,
    printable,
)

if TYPE_CHECKING:
    from markdown_it.token import Token

# the blocks whose lines the reader gives (a list or a quote only holds blocks): a line no such
# block covers (nested deeper than markdown-it goes) is given as it is typed, never dropped
COVERING = ("paragraph_open", "heading_open", "hr", "fence", "code_block", "table_open", "html_block",
            "list_item_open")
BREAKS = ("<br>", "<br/>", "<br />", "<BR>", "<BR/>", "<BR />")


def read_markdown(text: str, name: str = "") -> Source:
    """The lines and tables of a Markdown text."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
    reader = _Reader()
    reader.walk(tokens)
    covered = bytearray(len(text.splitlines()) + 2)  # source lines a block read (by its token's map)
    for token in tokens:
        if token.type in COVERING and token.map:
            start, end = token.map
            covered[start + 1:end + 1] = b"\1" * (min(end, len(covered) - 1) - start)
    return Source(_with_rest(reader.lines, text.splitlines(), covered), reader.tables, "dòng", name)


def inline_text(token: Token) -> list[str]:
    """An inline token's words, one string per source line (a soft or hard break ends a line),
    emphasis, code and link marks dropped; an image gives its alternative text."""
    out = [""]
    for child in token.children or ():
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            out.append("")
        elif kind in ("text", "code_inline", "text_special", "html_inline"):
            out[-1] += child.content
        elif kind == "image":
            out[-1] += "".join(c.content for c in child.children or ())
    return out


def split_breaks(text: str) -> list[str]:
    """A cell's text cut at its literal `<br>`s (one pass per spelling of the tag)."""
    parts = [text]
    for tag in BREAKS:
        if tag in text:
            parts = [piece for part in parts for piece in part.split(tag)]
    return parts


class _Reader:
    """Walks markdown-it's block tokens once, keeping the list nesting it is in."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.lists: list[tuple[str, str]] = []  # (marker char or "." / ")", kind) per open list
        self.pending: tuple[str, str, str] | None = None  # (prefix, marker, kind) for the item's first line
        self.item_line = 0  # the line an open list item starts on, and its mark ("-", "*", "1.")
        self.item_mark = ""
        self.depth = 0
        self.heading: int | None = None

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "table_open":
                i = self.table(tokens, i)
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append((token.markup, BULLET if kind == "bullet_list_open" else ITEM))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.item_open(token)
            elif kind == "list_item_close" and self.pending is not None:
                self.empty_item(token)
            elif kind == "heading_open":
                self.heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
            elif kind == "heading_close":
                self.heading = None
            elif kind == "hr" and token.map:
                self.pending = None
                self.lines.append(Line(token.map[0] + 1, "", RULE))
            elif kind == "inline" and token.map:
                self.inline(token)
            elif kind in ("fence", "code_block") and token.map:
                first = token.map[0] + (2 if kind == "fence" else 1)
                for k, words in enumerate(token.content.splitlines()):
                    self.lines.append(Line(first + k, printable(words).strip(), TEXT if words.strip() else BLANK))
            i += 1

    def item_open(self, token: Token) -> None:
        markup, kind = self.lists[-1] if self.lists else ("-", BULLET)
        depth = len(self.lists) - 1
        if kind == ITEM:
            number = token.info or "1"
            self.pending = (f"{number}{markup} ", number, kind)
        else:
            self.pending = ("- ", "-", kind)
        self.depth = depth
        self.item_line = token.map[0] + 1 if token.map else 0
        self.item_mark = token.markup

    def empty_item(self, token: Token) -> None:
        """A list item with no words ("*" alone under an issuer's name): its mark is its text."""
        prefix, marker, kind = self.pending or ("", "", TEXT)
        self.pending = None
        if self.item_line:
            text = (self.item_mark or marker) if kind == BULLET else prefix.strip()
            self.lines.append(Line(self.item_line, text, kind, marker, self.depth))

    def inline(self, token: Token) -> None:
        assert token.map is not None
        first = token.map[0] + 1
        for k, words in enumerate(inline_text(token)):
            for piece in split_breaks(words):
                text = printable(piece).strip()
                if self.heading is not None:
                    self.lines.append(Line(first + k, text, HEADING, level=self.heading))
                elif k == 0 and self.pending is not None:
                    prefix, marker, kind = self.pending
                    self.pending = None
                    self.lines.append(Line(first, prefix + text, kind, marker, self.depth))
                else:
                    self.lines.append(Line(first + k, text, TEXT if text else BLANK))

    def table(self, tokens: list[Token], i: int) -> int:
        """Read the table starting at tokens[i]; return the index after its end."""
        index = len(self.tables)
        table = Table(first_line=(tokens[i].map or [0])[0] + 1)
        rows: list[list[list[Line]]] = []
        texts: list[list[str]] = []
        row_n = table.first_line
        i += 1
        while i < len(tokens) and tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "tr_open":
                row_n = token.map[0] + 1 if token.map else row_n
                rows.append([])
                texts.append([])
            elif token.type == "inline" and rows:
                r, c = len(rows) - 1, len(rows[-1])
                words = " ".join(inline_text(token))
                cell = [Line(row_n, text, CELL, table=index, row=r, col=c)
                        for text in (printable(p).strip() for p in split_breaks(words)) if text]
                rows[-1].append(cell)
                texts[-1].append(" ".join(line.text for line in cell))
            i += 1
        table.rows = rows
        table.roles = column_roles(texts[0]) if texts else {}
        table.header_rows = 1 if table.roles else 0
        table.layout = not table.roles and bool(rows) and max(len(r) for r in rows) == 2
        self.tables.append(table)
        self.lines.extend(table_lines(table))
        return i + 1


def table_lines(table: Table) -> list[Line]:
    """A table's cell lines in reading order: row by row, or, for a layout block, column by column
    (the left column top to bottom, then the right) so a block's stacked lines stay together."""
    if table.layout:
        width = max((len(r) for r in table.rows), default=0)
        return [line for col in range(width) for row in table.rows if col < len(row) for line in row[col]]
    return [line for row in table.rows for cell in row for line in cell]


def _with_rest(lines: list[Line], source: list[str], covered: bytearray) -> list[Line]:
    """`lines` with, between them in order, a blank line for each empty line of the source and the
    typed words of each line no block gave (nesting past markdown-it's limit)."""
    out: list[Line] = []
    n = 1  # the next source line that may be missing

    def rest(upto: int) -> None:
        nonlocal n
        while n < upto and n <= len(source):
            typed = source[n - 1]
            if not typed.strip():
                out.append(Line(n, "", BLANK))
            elif not covered[n]:
                out.append(Line(n, printable(typed).strip(), TEXT))
            n += 1
        n = max(n, upto)

    for line in lines:
        rest(line.n)
        n = max(n, line.n + 1)
        out.append(line)
    rest(len(source) + 1)
    return out
