"""Writing the documents of a plan: each context in each format, to the right file.

A document kind (`report`, `checklist`, `remind`, `rollup`) has one template per format:
`report.md.j2`, `report.html.j2`, `report.docx`; several formats render from the same view
model (`render`; JSON is the context itself). `write_documents` renders every (file stem,
context) in every asked format and writes each where `-o` says (a file, a folder, or standard
output), never onto a file the command reads (`refuse_target`); it yields each target as it is
written, so that a caller can show progress.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    # "markdown", as `status` and `diff` name it, is md
    formats = [{"markdown": "md"}.get(f.strip().lower(), f.strip().lower()) for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise OutputError("bad-format", {"value": ", ".join(bad) or text, "allowed": ", ".join(FORMATS)})
    return list(dict.fromkeys(formats))


def render_format(kind: str, fmt: str, context: Context, dirs: list[Path]) -> bytes:
    """One document in one format: JSON is the context itself, the others go through a template."""
    from kehoach.outputs.render import render_bytes, render_docx

    if fmt == "json":
        from kehoach.base.text import json_text
        from kehoach.views.reportview import context_json

        return json_text(context_json(context)).encode("utf-8")
    if fmt == "docx":
        return render_docx(f"{kind}.docx", context, dirs)
    return render_bytes(f"{kind}.{fmt}.j2", context, dirs, fmt)


STDOUT_NAMES = ("-", "/dev/stdout")  # `-o` that means standard output


YAML_SUFFIXES = (".yaml", ".yml")


def refuse_target(target: Path | None, reads: Sequence[str | os.PathLike[str] | None], writes_yaml: bool = False,
                  folders: Sequence[str | Path] = ()) -> None:
    """The one output guard: every command that writes a file asks it first, for every target,
    before anything is written (and `write` asks it again at the moment of writing).

    Refused: a file the command reads (`reads`: the plan, a catalogue, a form key, a source),
    also through a symbolic or hard link (`output-is-input`); anything inside `folders` (the
    template folders in use: the template just read and the files it includes)
    (`output-in-templates`); anything inside a `.git` folder (`output-in-git`); a symbolic link
    as the file's own name, wherever it points: kehoach writes a file, never through a link
    (`output-is-link`); a folder, a device, a FIFO or a socket (`output-not-file`); and, unless
    the command writes a plan (`writes_yaml`), an existing YAML file: another plan or catalogue
    beside the one read, which a report would replace by a slip of the keyboard."""
    if target is None:
        return
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
    for folder in folders:
        inside = Path(os.path.realpath(folder))
        if real == inside or inside in real.parents:
            raise OutputError("output-in-templates", {"path": str(target), "folder": str(folder)})
    refuse_folder(target)
    try:
        own = os.lstat(target)
    except OSError:  # nothing there yet: the write says what goes wrong, if anything
        return
    if stat.S_ISLNK(own.st_mode):
        raise OutputError("output-is-link", {"path": str(target)})
    if not stat.S_ISREG(own.st_mode):
        raise OutputError("output-not-file", {"path": str(target)})
    if not writes_yaml and real.suffix.lower() in YAML_SUFFIXES:
        raise OutputError("output-is-yaml", {"path": str(target)})


def refuse_folder(path: str | Path) -> None:
    """A path inside a `.git` folder (as written, or once its links are resolved) is refused
    before anything is made there: git's own files are not a place for documents."""
    for where in (Path(path), Path(os.path.realpath(path))):
        if any(part.lower() == ".git" for part in where.parts):
            raise OutputError("output-in-git", {"path": str(path)})


def refuse_targets(targets: Iterable[Path | None], reads: Sequence[str | os.PathLike[str] | None],
                   writes_yaml: bool = False, folders: Sequence[str | Path] = ()) -> None:
    """`refuse_target` for each target, all before the first is written (nothing is written
    when one is refused)."""
    for target in targets:
        refuse_target(target, reads, writes_yaml, folders)


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
    refuse_folder(folder)  # before the folder is made
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)  # asked for by name: create it
    except OSError as exc:
        raise WriteError(folder, exc) from None
    return {f: Path(folder) / f"{stem}.{f}" for f in formats}


def write(data: bytes, target: Path | None, reads: Sequence[str | os.PathLike[str] | None] = (),
          folders: Sequence[str | Path] = (), rename: Callable[[str, Path], None] | None = None) -> None:
    """Standard output, or the file written atomically; a failure is reported as `write-failed`.

    The output guard is asked again at the moment of writing (`refuse_target`; whether a YAML
    file may be replaced is the caller's to decide, before), and the file is written without
    following a link at its name: a link put there since is refused, never written through."""
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
    refuse_target(target, reads, writes_yaml=True, folders=folders)
    try:
        atomic_write_bytes(target, data, follow=False, rename=rename)
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
                    folder: bool = False, reads: Iterable[str | Path] = (),
                    rendered: Callable[[], None] | None = None) -> Iterator[Path | None]:
    """Render and write each document; yield each target once written (None: standard output).

    Nothing is written when a target fails the output guard (`refuse_target`: the plan file
    itself, another file read (`reads`: catalogues, the plans of a roll-up), a file of a template
    folder in use, `.git`, a link, a device; checked for every target first), or a template
    fails to render: each document is put in a temporary file beside its target as it is made
    (`rendered()` is called then: one in memory at a time), and they all take their names only
    when every one was made (`-f md,html,docx` left the Markdown and HTML written when the Word
    template failed)."""
    dirs = template_dirs(templates)
    jobs = plan_jobs(kind, contexts, formats, output, folder)
    protected = [plan_path, *reads]
    refuse_targets((target for _fmt, _ctx, target in jobs), protected, folders=dirs)
    pending: list[tuple[str, Path]] = []
    try:
        for fmt, ctx, target in jobs:
            data = render_format(kind, fmt, ctx, dirs)
            if target is None or len(jobs) == 1:  # standard output, or one document: written at once
                write(data, target, protected, dirs)
            else:
                write(data, target, protected, dirs, rename=lambda tmp, path: pending.append((tmp, path)))
            del data
            if rendered is not None:
                rendered()
        for tmp, path in list(pending):
            refuse_target(path, protected, writes_yaml=True, folders=dirs)
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise WriteError(path, exc) from None
            pending.remove((tmp, path))
    finally:
        for tmp, _path in pending:  # a document that failed: none of the others takes its name
            try:
                os.unlink(tmp)
            except OSError:
                pass
    yield from (target for _fmt, _ctx, target in jobs)
