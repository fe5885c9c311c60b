"""Writing the documents of a plan: each context in each format, to the right file.

`write_documents` renders every (file stem, context) in every asked format
(`md`, `html`, `docx`, `json`) and writes each where `-o` says (a file, a
folder, or standard output), never onto a file the command reads; it yields
each target as it is written, so that a caller can show progress.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.outputs import targets as out
from kehoach.outputs.render import template_dirs

if TYPE_CHECKING:
    from kehoach.views.context import Context


def plan_jobs(kind: str, contexts: Iterable[tuple[str, Context]], formats: str, output: str | None,
              folder: bool = False) -> list[tuple[str, Context, Path | None]]:
    """(format, context, target) of every document to write; None as target is standard output.

    One document goes where `-o` names (a file, or each format beside it); several (`folder`)
    go into the folder `-o` names (default: here)."""
    fmts = out.parse_formats(formats, kind)
    jobs: list[tuple[str, Context, Path | None]] = []
    for name, ctx in contexts:
        where = out.targets(output, fmts, name) if not folder else out.targets_in(output or ".", fmts, name)
        jobs += [(fmt, ctx, target) for fmt, target in where.items()]
    return jobs


def write_documents(kind: str, contexts: Iterable[tuple[str, Context]], formats: str, output: str | None, *,
                    plan_path: str | Path | None = None, templates: str | Path | None = None,
                    folder: bool = False, reads: Iterable[str | Path] = ()) -> Iterator[Path | None]:
    """Render and write each document; yield each target once written (None: standard output).

    Nothing is written when a target is the plan file itself, or another file read (`reads`:
    the plans of a roll-up) (`output-is-input`, checked for every target first), or a template
    fails to render."""
    jobs = plan_jobs(kind, contexts, formats, output, folder)
    protected = [plan_path, *reads]
    for _fmt, _ctx, target in jobs:
        out.refuse_target(target, protected)
    dirs = template_dirs(templates)
    for fmt, ctx, target in jobs:
        out.write(out.render(kind, fmt, ctx, dirs), target)
        yield target
