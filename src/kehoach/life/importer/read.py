"""Reading a source document (`kehoach import`): its lines, whatever the form it came in.

`read_document` decides by the file's content, not only its name: a zip holding `word/` is a Word
file (`readdocx`), `%PDF-` a PDF (`readpdf`), anything else a text: Markdown when its name ends in
.md or .markdown (`readmd`), plain or OCR text otherwise. Each gives one `lines.Source`.

Each reader is bounded and safe against a hostile file: a regular file of a bounded size only
(`base.files.read_file`), a Word file refused before parsing when it would unpack to too much, a
PDF of too many pages or with a password refused, a binary file refused, control and format
characters blanked. A refusal is a `NotText` whose `detail` names the catalogue's words for why.
"""

from __future__ import annotations

from pathlib import Path

from kehoach.life.importer.lines import NotText, Source, printable

__all__ = ["NotText", "read_document", "read_source", "printable"]


MARKDOWN_SUFFIXES = (".md", ".markdown")


def read_document(path: str | Path) -> Source:
    """The lines of a text, Markdown, Word (.docx) or PDF file, as one `Source`."""
    from kehoach.base.files import read_file

    path = Path(path)
    raw = read_file(path)  # a regular file of a bounded size only (kehoach.base.files)
    suffix = path.suffix.lower()
    if raw.startswith(OLE):  # .doc, .xls, or an Office file with a password (the same container)
        raise NotText(str(path), detail="import.old-office")
    if raw.startswith(b"PK\x03\x04") or suffix == ".docx":
        from kehoach.life.importer.readdocx import read_docx

        source = read_docx(raw, path)
    elif raw.startswith(b"%PDF-") or suffix == ".pdf":
        from kehoach.life.importer.readpdf import read_pdf

        source = read_pdf(raw, path)
    else:
        text = _decoded(raw, path)
        if suffix in MARKDOWN_SUFFIXES:
            from kehoach.life.importer.readmd import read_markdown

            source = read_markdown(text, path.name)
        else:
            source = Source.from_texts([printable(line) for line in text.splitlines()], name=path.name)
    return source


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of old Office files


def read_source(path: str | Path) -> list[str]:
    """The lines of a text, Markdown, Word or PDF file, as a plan's paragraphs (the words of
    `read_document`'s lines, in order)."""
    return read_document(path).texts()


def _decoded(raw: bytes, path: Path) -> str:
    """A text file's characters: UTF-8, or UTF-16 with its mark; a binary file or another
    encoding refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16 with its mark
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw[:4096]:
        raise NotText(str(path))
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 50):  # mostly not UTF-8: binary, or an old code page
        raise NotText(str(path))
    return text


_printable = printable  # the name the importer used before the readers were split
