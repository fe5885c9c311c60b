"""Reading a source document (`kehoach import`): its lines, as a plan's paragraphs.

A text file (UTF-8, or UTF-16 with its mark), a Markdown file (its marks taken off) or a Word
file (.docx: each paragraph a line, table cells row by row). Each reader is bounded and safe
against a hostile file: a regular file of a bounded size only, a Word file refused before
parsing when it would unpack to too much, a binary file refused, control and format characters
blanked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


class NotText(ValueError):
    """The source is not a text the importer can read (binary, or an unknown encoding)."""


def read_source(path: str | Path) -> list[str]:
    """The lines of a text, Markdown or Word (.docx) file, as a plan's paragraphs: in a Word
    file each paragraph is a line, and so is each paragraph of each table cell (the header and
    the signatures are usually two-column tables), row by row, cell by cell."""
    import io

    from kehoach.base.files import read_file

    path = Path(path)
    raw = read_file(path)  # a regular file of a bounded size only (kehoach.base.files)
    if path.suffix.lower() == ".docx":
        import zipfile

        from docx import Document

        from kehoach.base.files import zip_bomb

        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            if zip_bomb(zf, max_unzipped=200 * 1024 * 1024, max_ratio=200, max_members=5000):
                raise NotText(str(path))  # a Word file does not unpack to hundreds of megabytes
        doc = Document(io.BytesIO(raw))

        def para(p: Any) -> str:
            return "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))

        lines: list[str] = []
        for block in doc.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(para(block))
            elif tag == "tbl":
                for row in (r for r in block.iter() if r.tag.endswith("}tr")):
                    for cell in (c for c in row.iterchildren() if c.tag.endswith("}tc")):
                        lines.extend(x for x in (para(p) for p in cell.iter() if p.tag.endswith("}p")) if x.strip())
        return [_printable(line) for line in lines]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16 with its mark
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:4096]:
        raise NotText(str(path))
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 50):  # mostly not UTF-8: binary, or an old code page
        raise NotText(str(path))
    lines = [_printable(line) for line in text.splitlines()]
    if path.suffix.lower() in (".md", ".markdown"):
        lines = [_plain_markdown(line) for line in lines]
    return lines


def _printable(line: str) -> str:
    """A line without control, format (bidirectional overrides) or private characters: they carry
    no meaning in a plan, and could act on a terminal or break the draft's YAML."""
    import unicodedata

    return "".join(" " if ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs") else ch
                   for ch in line)


def _plain_markdown(line: str) -> str:
    """A Markdown line as plain text: headings' #, emphasis and code marks go; a `*` or `+`
    bullet is a `-` bullet."""
    line = re.sub(r"^(\s*)[*+]\s+", r"\1- ", line)
    line = re.sub(r"^#{1,6}\s+", "", line)
    return re.sub(r"(\*\*|__|\*|`)", "", line)
