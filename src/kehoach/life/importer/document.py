"""`kehoach import` end to end: a source file to a checked draft plan file.

The source is read (`read`), drafted against the catalogue (`match`, `draft`), and the draft
loaded back before it is written: a source that cannot be read, holds no plan or gives a draft
that does not load is refused with a message, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from kehoach.life.importer.draft import ImportResult, import_lines
from kehoach.life.importer.match import Catalogue, KnownBody, load_catalogue
from kehoach.life.importer.read import NotText, read_source


def import_plan(path: str | Path, catalogue: Catalogue | list[KnownBody], lang: str = "vi") -> ImportResult:
    """A draft plan from a text, Markdown or Word file."""
    return import_lines(read_source(path), catalogue, lang, Path(path).name)


def import_document(source: str | Path, output: str | Path | None, bodies: str | Path | None = None,
                    lang: str = "vi", force: bool = False) -> ImportResult:
    """Write the draft plan made from `source` to `output` (None: write nothing, the caller shows
    `result.yaml`), and say how much was placed. Refused when the source cannot be read or holds
    no plan, or the output exists (unless `force`) or is the source."""
    from kehoach.base.errors import KehoachError, NotRegularFile, UsageError
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
        lines = read_source(source)
    except FileNotFoundError:
        raise UsageError("import-not-found", {"path": str(source)}) from None
    except IsADirectoryError:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("os.EISDIR")}) from None
    except NotRegularFile:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("detail.not-regular")}) from None
    except FileTooLarge as exc:
        raise UsageError("file-too-large", {"size": exc.size, "limit": exc.limit}) from None
    except NotText:
        raise UsageError("import-unreadable", {"path": str(source), "detail": Msg("import.not-text")}) from None
    except Exception as exc:  # a damaged or foreign file: say so, never a traceback
        detail: object = (Msg("import.not-docx") if Path(source).suffix.lower() == ".docx"
                          else f"{type(exc).__name__}: {exc}")
        raise UsageError("import-unreadable", {"path": str(source), "detail": detail}) from None
    result = import_lines(lines, load_catalogue(bodies), lang, Path(source).name)
    if not result.counts.get("sections"):
        raise KehoachError("import-no-structure", {"path": str(source)})
    check = load_text(result.yaml, str(target or source), workdays=False)
    if check.plan is None or any(d.severity == "error" for d in check.diagnostics):
        raise KehoachError("import-invalid", {"path": str(source)},
                           [d for d in check.diagnostics if d.severity == "error"])
    if target is not None:
        write(result.yaml.encode("utf-8"), target)
    return result
