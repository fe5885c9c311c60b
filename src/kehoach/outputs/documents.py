"""Writing the documents of a plan: each context in each format, to the right file.

A document kind (`report`, `checklist`, `remind`, `rollup`) has one template per format:
`report.md.j2`, `report.html.j2`, `report.docx`; several formats render from the same view
model (`render`; JSON is the context itself). `write_documents` renders every (file stem,
context) in every asked format and writes each where `-o` says (a file, a folder, or standard
output), never onto a file the command reads (`refuse_target`); it yields each target as it is
written, so that a caller can show progress.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from kehoach.base.errors import UsageError, WriteError
from kehoach.outputs.render import template_dirs

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from kehoach.views.context import Context

FORMATS = ("md", "html", "docx", "json")


class OutputError(UsageError):
    pass


def parse_formats(text: str, kind: str = "report") -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise OutputError("bad-format", {"value": ", ".join(bad) or text, "allowed": ", ".join(FORMATS)})
    return list(dict.fromkeys(formats))


def render_format(kind: str, fmt: str, context: Context, dirs: list[Path]) -> bytes:
    """One document in one format: JSON is the context itself, the others go through a template."""
    from kehoach.outputs.render import render_docx, render_text

    if fmt == "json":
        from kehoach.base.text import json_text
        from kehoach.views.reportview import context_json

        return json_text(context_json(context)).encode("utf-8")
    if fmt == "docx":
        return render_docx(f"{kind}.docx", context, dirs)
    return render_text(f"{kind}.{fmt}.j2", context, dirs, fmt).encode("utf-8")


STDOUT_NAMES = ("-", "/dev/stdout")  # `-o` that means standard output


YAML_SUFFIXES = (".yaml", ".yml")


def refuse_target(target: Path | None, reads: Sequence[str | Path | None], writes_yaml: bool = False) -> None:
    """Refuse, before anything is written, an output path that writing would destroy or corrupt:
    a file the command reads (the plan, a catalogue), a folder, a device, a FIFO or a socket,
    anything inside a `.git` folder, and, unless the command writes a plan (`writes_yaml`), an
    existing YAML file: another plan or catalogue beside the one read, which a report would
    replace by a slip of the keyboard."""
    if target is None:
        return
    import os
    import stat

    for source in reads:
        if source is None:
            continue
        try:
            if os.path.samefile(target, source):
                raise OutputError("output-is-input", {"path": str(target)})
        except OSError:  # nothing there yet (or unreachable): not the file read
            continue
    real = Path(os.path.realpath(target))
    if ".git" in real.parts:
        raise OutputError("output-in-git", {"path": str(target)})
    try:
        mode = os.stat(real).st_mode
    except OSError:  # nothing there yet: the write says what goes wrong, if anything
        return
    if not stat.S_ISREG(mode):
        raise OutputError("output-not-file", {"path": str(target)})
    if not writes_yaml and real.suffix.lower() in YAML_SUFFIXES:
        raise OutputError("output-is-yaml", {"path": str(target)})


def targets(out: str | None, formats: list[str], stem: str) -> Mapping[str, Path | None]:
    """Where each format of one document goes; None means standard output.

    No -o: STEM.FORMAT here. `-o -`: standard output (one format). `-o DIR/`
    or an existing folder: DIR/STEM.FORMAT. `-o FILE`: that file (one format),
    or FILE with each format's suffix.
    """
    if out in STDOUT_NAMES:
        if len(formats) > 1:
            raise OutputError("stdout-one-format")
        return {formats[0]: None}
    if out is None:
        return {f: Path(f"{stem}.{f}") for f in formats}
    path = Path(out)
    if out.endswith(("/", "\\")) or path.is_dir():
        return targets_in(out, formats, stem)
    if len(formats) == 1:
        return {formats[0]: path}
    return {f: path.with_suffix(f".{f}") for f in formats}


def targets_in(folder: str, formats: list[str], stem: str) -> dict[str, Path]:
    """FOLDER/STEM.FORMAT for each format (several documents at once)."""
    if folder in STDOUT_NAMES:
        raise OutputError("stdout-one-format")
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)  # asked for by name: create it
    except OSError as exc:
        raise WriteError(folder, exc) from None
    return {f: Path(folder) / f"{stem}.{f}" for f in formats}


def write(data: bytes, target: Path | None) -> None:
    """Standard output, or the file written atomically; a failure is reported as `write-failed`."""
    from kehoach.base.files import atomic_write_bytes

    if target is None:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stream (some test runners)
            sys.stdout.write(data.decode("utf-8"))
            return
        view = memoryview(data)
        while view:  # a pipe takes part of a large write; a closed one then raises BrokenPipeError
            written = stream.write(view)
            view = view[len(view) if written is None else written:]
        stream.flush()
        return
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise WriteError(target, exc) from None


def progress(total: int, label: str) -> Progress | _Silent:
    """A rich progress bar on a terminal (stderr); a silent stand-in when piped or for one item."""
    if total < 2 or not sys.stderr.isatty():
        return _Silent()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=Console(stderr=True), transient=True)


class _Silent:
    """Stands in for rich's `Progress`: takes the same calls, shows nothing."""

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: object) -> Literal[False]:
        return False

    def add_task(self, *args: object, **kwargs: object) -> TaskID:
        return cast("TaskID", 0)  # rich's task ids are whole numbers (a NewType of int)

    def advance(self, *args: object, **kwargs: object) -> None:
        pass


def plan_jobs(kind: str, contexts: Iterable[tuple[str, Context]], formats: str, output: str | None,
              folder: bool = False) -> list[tuple[str, Context, Path | None]]:
    """(format, context, target) of every document to write; None as target is standard output.

    One document goes where `-o` names (a file, or each format beside it); several (`folder`)
    go into the folder `-o` names (default: here)."""
    fmts = parse_formats(formats, kind)
    jobs: list[tuple[str, Context, Path | None]] = []
    for name, ctx in contexts:
        where = targets(output, fmts, name) if not folder else targets_in(output or ".", fmts, name)
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
        refuse_target(target, protected)
    dirs = template_dirs(templates)
    for fmt, ctx, target in jobs:
        write(render_format(kind, fmt, ctx, dirs), target)
        yield target
