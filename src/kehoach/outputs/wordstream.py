"""A Word document whose body is written into its file piece by piece, as docxtpl would write it.

docxtpl renders a template's body (`word/document.xml`) as one string, copies it through its
regular expressions and parses it into an XML tree, which python-docx then writes out: a report
of 10,000 tasks (a body of 27 MB) took 506 MiB. Here the body is rendered by Jinja in pieces, each
cut after a paragraph's end and put through docxtpl's own steps (the paragraph markers, the
escaped braces, `resolve_listing`), and streamed into the zip between the head and the tail of
python-docx's own writing of the document; headers, footers, properties and footnotes are
docxtpl's, rendered as it renders them.

docxtpl's last step on the body, `fix_tables`, changes a table whose rows have more cells than its
grid has columns, or fewer (a `{%tc` loop, merged cells, a table left without rows), and
`fix_docpr_ids` numbers pictures again; and its parsing mends XML a template left broken. A
template or a result that needs any of these (a table whose rows do not all have as many cells as
its grid, a cell spanning columns, a picture, a body that is not well-formed) is left to docxtpl
whole (`NotStreamed`): the tables and the XML are followed as the pieces pass. tests/test_docx.py holds
the streamed documents equal to docxtpl's (each part byte for byte, the body as canonical XML).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import jinja2


class Bounds(Protocol):
    """What a rendering may take (`outputs.render.Bounds`): room for so many characters, and time."""

    def room(self, size: int) -> None: ...

    def tick(self) -> None: ...

_PIECE = 1 << 16  # characters of rendering gathered before a piece is cut
# what only docxtpl's whole-document steps do right: pictures (their ids are numbered again),
# cells spanning columns, column loops and merged cells (their tables' grids are fixed)
_WHOLE = re.compile(r"docPr|gridSpan|hMerge|vMerge|\{%\s*tc\b|\bcolspan\b|\bcellbg\b|\bhm\b|\bvm\b")
_TABLE_TOKEN = re.compile(r"<w:(tbl|tr|tc|tblGrid|gridCol)(?=[ />])|</w:(tbl|tr|tc)>|<wp:docPr\b|<w:gridSpan\b"
                          r"|<w:(sdt|customXml|smartTag)(?=[ />])")


class NotStreamed(Exception):
    """This template, or what it renders, is for docxtpl's whole-document rendering."""


def render(data: bytes, env: jinja2.Environment, names: dict[str, Any], bounds: Bounds) -> bytes:
    """The .docx of the Word template `data` filled with `names`, as docxtpl's `render` and `save`
    make it (headers, footers, properties and footnotes by docxtpl itself), its body streamed;
    `NotStreamed` when docxtpl must render it whole."""
    import io
    import zipfile

    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(data))
    doc.render_init()
    body = doc.patch_xml(doc.get_xml())
    if _WHOLE.search(body):
        raise NotStreamed
    doc.current_rendering_part = doc.docx._part
    template = env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", body))
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        for key, xml in doc.build_headers_footers_xml(names, uri, env):
            doc.map_headers_footers_xml(key, xml)
    render_properties(doc, names, env)
    doc.render_footnotes(names, env)
    doc.is_rendered = True
    element = doc.docx._element.body
    for child in list(element):  # the body written empty, `<w:body/>`: where the streamed one goes
        element.remove(child)
    saved = io.BytesIO()
    doc.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
                continue
            head, empty, tail = src.read(info).decode("utf-8").partition("<w:body/>")
            if not empty or "<w:body" in tail:
                raise NotStreamed
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            part.compress_type, part.external_attr = info.compress_type, info.external_attr
            with dst.open(part, "w") as fh:
                fh.write(head.encode("utf-8"))
                for piece in _pieces(template, names, bounds, doc):
                    fh.write(piece)
                fh.write(tail.encode("utf-8"))
    return out.getvalue()


PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl's
MAX_PROPERTY = 255  # characters of a document property (title, subject…): python-docx refuses more


def render_properties(doc: Any, names: dict[str, Any], env: jinja2.Environment) -> None:
    """docxtpl's `render_properties`, each property cut to the 255 characters a Word property
    holds: a plan's long title made every Word document fail (the body's title stays whole)."""
    from markupsafe import Markup

    core = doc.docx.core_properties
    for prop in PROPERTIES:  # rendered escaped for XML (autoescape), set as text python-docx escapes
        rendered = Markup(env.from_string(getattr(core, prop)).render(names)).unescape()
        setattr(core, prop, rendered if len(rendered) <= MAX_PROPERTY else rendered[:MAX_PROPERTY - 1] + "…")


def _pieces(template: jinja2.Template, names: dict[str, Any], bounds: Bounds, doc: Any) -> Iterator[bytes]:
    """The rendered body in pieces (UTF-8), each ending after a paragraph (or the body's end), each
    put through docxtpl's steps on a rendered part; the tables followed and the XML read as they
    pass: docxtpl parses the body leniently (`recover`), mending what a template left broken, so a
    body that is not well-formed XML is docxtpl's to write (`NotStreamed`)."""
    from xml.parsers import expat

    xml = expat.ParserCreate(namespace_separator=" ")  # an unbound prefix is an error too
    tables = _Tables()

    def finished(text: str) -> bytes:
        """docxtpl's steps after rendering a part (`render_xml_part`), on a piece of it."""
        text = re.sub(r"\n<w:p([ >])", r"<w:p\1", text)
        text = text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        text = doc.resolve_listing(text)
        tables.follow(text)
        data = text.encode("utf-8")
        try:
            xml.Parse(data, False)
        except expat.ExpatError:
            raise NotStreamed from None
        return data

    gathered: list[str] = []
    size = total = 0
    searched = 0  # the chunks gathered that hold no paragraph's end: not searched again
    enough = _PIECE  # the size at which the gathered chunks are looked at again
    for chunk in template.generate(**names):
        total += len(chunk)
        bounds.room(total)
        gathered.append(chunk)
        size += len(chunk)
        if size < enough:
            continue
        bounds.tick()
        enough = size + _PIECE
        for i in range(len(gathered) - 1, searched - 1, -1):  # the last paragraph's end, in the new chunks
            at = gathered[i].rfind("</w:p>")
            if at >= 0:
                at += len("</w:p>")
                yield finished("".join(gathered[:i]) + gathered[i][:at])
                gathered = [gathered[i][at:], *gathered[i + 1:]]
                size = sum(len(g) for g in gathered)
                enough = size + _PIECE
                break
        searched = len(gathered)
    yield finished("".join(gathered))
    try:
        xml.Parse(b"", True)
    except expat.ExpatError:
        raise NotStreamed from None
    tables.close()


class _Tables:
    """Each table's grid and rows, followed through the rendered body: `NotStreamed` where
    docxtpl's `fix_tables` would change a table (every row, a nested table's rows too, must have
    as many cells as the grid has columns) or where it would number pictures again."""

    def __init__(self) -> None:
        self.open: list[list[int]] = []  # each open table: [its grid's columns, the most cells in a row, rows]
        self.rows: list[int] = []  # each open row: its cells so far
        self.grid = False  # within a table's grid

    def follow(self, text: str) -> None:
        for m in _TABLE_TOKEN.finditer(text):
            opened, closed, wrapper = m.group(1), m.group(2), m.group(3)
            if wrapper:  # a content control (or custom XML) may wrap a row's cells, which docxtpl does not count
                if self.rows:
                    raise NotStreamed
                continue
            if opened in ("tbl", "tr", "tc") and text.startswith("/", m.end()):
                raise NotStreamed  # a table, row or cell written empty (<w:tc/>)
            if opened == "tbl":
                self.open.append([0, 0, 0])
            elif opened == "tblGrid":
                self.grid = bool(self.open)
            elif opened == "gridCol":
                if not (self.open and self.grid):
                    raise NotStreamed
                self.open[-1][0] += 1
            elif opened == "tr":
                self.grid = False
                self.rows.append(0)
            elif opened == "tc":
                if not self.rows:
                    raise NotStreamed
                self.rows[-1] += 1
            elif closed == "tr":
                if not self.rows or not self.open:
                    raise NotStreamed
                cells = self.rows.pop()
                for table in self.open:  # docxtpl counts the rows of every table within a table too
                    table[1] = max(table[1], cells)
                    table[2] += 1
            elif closed == "tbl":
                if not self.open:
                    raise NotStreamed
                columns, most, rows = self.open.pop()
                if not columns or not rows or most != columns:
                    raise NotStreamed
            elif closed is None:  # a picture or a cell spanning columns
                raise NotStreamed

    def close(self) -> None:
        if self.open or self.rows:
            raise NotStreamed
