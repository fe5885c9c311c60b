"""A PDF as lines (`kehoach import plan.pdf`): its text layer, read by pypdf.

Each page's text (`extract_text`) gives lines; a line's number counts lines through the whole
document ("dòng"), its `page` says on which page it stands. A PDF without a text layer (a scan:
fewer than `MIN_LETTERS` letters a page on average) is refused: its words are pictures, to be
recognised (OCR) first. Refused too: a PDF with a password (an empty password is tried), more
than `MAX_PAGES` pages, or one pypdf cannot read.

pypdf is imported here only, when a PDF is read: `kehoach status` and `check` never load it.
"""

from __future__ import annotations

import io
from pathlib import Path

from kehoach.life.importer.lines import BLANK, TEXT, Line, NotText, Source, printable

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
    """The lines of a PDF's text layer, page by page."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

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
        pages = [reader.pages[i].extract_text() or "" for i in range(count)]
    except NotText:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, ZeroDivisionError, AssertionError) as exc:
        raise BadPdf(str(path), {"detail": type(exc).__name__}) from None
    letters = sum(1 for text in pages for ch in text if ch.isalpha())
    if not count or letters < MIN_LETTERS * count:
        raise ScannedPdf(str(path))
    lines: list[Line] = []
    n = 0
    for number, text in enumerate(pages, start=1):
        for row in text.splitlines():
            n += 1
            words = printable(row).strip()
            lines.append(Line(n, words, TEXT if words else BLANK, page=number))
    return Source(lines, [], "dòng", path.name)
