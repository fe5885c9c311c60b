"""`kehoach import` end to end: a source file to a draft plan file.

The source is read (`read`), drafted against the catalogue (`match`, `draft`), and the draft
loaded back: a source that cannot be read is refused with a message, never a traceback; a draft
that does not validate is still written (a draft, its problems listed, exit 4), never refused whole.
"""

from __future__ import annotations

from pathlib import Path

from kehoach.life.importer import read
from kehoach.life.importer.draft import ImportResult, import_lines
from kehoach.life.importer.lines import Source
from kehoach.life.importer.match import Catalogue, KnownBody, load_catalogue
from kehoach.life.importer.read import NotText, read_source


def read_any(path: str | Path) -> Source:
    """The source as its reader gives it (`read.read_document` for text, Markdown, Word and PDF),
    or, where that reader is not there, the plain lines of `read_source`."""
    reader = getattr(read, "read_document", None)
    if reader is not None:
        got = reader(path)
        if isinstance(got, Source):
            return got
    return Source.from_texts(read_source(path), name=Path(path).name)


def import_plan(path: str | Path, catalogue: Catalogue | list[KnownBody], lang: str = "vi") -> ImportResult:
    """A draft plan from a text, Markdown, Word or PDF file."""
    return import_lines(read_any(path), catalogue, lang, Path(path).name)


def import_document(source: str | Path, output: str | Path | None, bodies: str | Path | None = None,
                    lang: str = "vi", force: bool = False) -> ImportResult:
    """Write the draft plan made from `source` to `output` (None: write nothing, the caller shows
    `result.yaml`), and say how much was placed. Refused when the source cannot be read, or the
    output exists (unless `force`) or is the source; a draft with errors is written, its errors in
    `result.problems`."""
    from kehoach.base.errors import NotRegularFile, UsageError
    from kehoach.base.files import FileTooLarge
    from kehoach.base.messages import Msg
    from kehoach.outputs.documents import refuse_target, write
    from kehoach.plan.loader import load_text

    target = Path(output) if output is not None else None
    if target is not None:
        refuse_target(target, [Path(source)], writes_yaml=True)
        if target.exists() and not force:
            raise UsageError("init-exists", {"path": str(target)})
    try:
        src = read_any(source)
    except UsageError:
        raise
    except FileNotFoundError:
        raise UsageError("import-not-found", {"path": str(source)}) from None
    except IsADirectoryError:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("os.EISDIR")}) from None
    except NotRegularFile:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("detail.not-regular")}) from None
    except FileTooLarge as exc:
        raise UsageError("file-too-large", {"size": exc.size, "limit": exc.limit}) from None
    except NotText as exc:  # each reader's refusal says why (exc.detail: a catalogue key)
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg(exc.detail, exc.params)}) from None
    except Exception as exc:  # a damaged or foreign file: say so, never a traceback
        detail: object = (Msg("import.not-docx") if Path(source).suffix.lower() == ".docx"
                          else f"{type(exc).__name__}: {exc}")
        raise UsageError("import-unreadable", {"path": str(source), "detail": detail}) from None
    result = import_lines(src, load_catalogue(bodies), lang, Path(source).name)
    check = load_text(result.yaml, str(target or source), workdays=False)
    result.problems = [d for d in check.diagnostics if d.severity == "error"]
    if check.plan is None and not result.problems:
        result.problems = list(check.diagnostics)
    if target is not None:
        write(result.yaml.encode("utf-8"), target)
    return result
