"""Writing rendered documents: which file each format goes to, and the writing.

A document kind (`report`, `checklist`) has one template per format:
`report.md.j2`, `report.html.j2`, `report.docx`. Several formats render from
the same view model.
"""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = ("md", "html", "docx")


class OutputError(ValueError):
    pass


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise OutputError(f"--format: {', '.join(bad) or '(trống)'}; chọn trong: md, html, docx (nhiều định dạng: md,html,docx)")
    return list(dict.fromkeys(formats))


def render(kind: str, fmt: str, context: dict, dirs: list[Path]) -> bytes:
    from .render import render_docx, render_text

    if fmt == "docx":
        return render_docx(f"{kind}.docx", context, dirs)
    return render_text(f"{kind}.{fmt}.j2", context, dirs, fmt).encode("utf-8")


def targets(out: str | None, formats: list[str], stem: str) -> dict[str, Path | None]:
    """Where each format goes; None means standard output."""
    if out == "-":
        if len(formats) > 1:
            raise OutputError("-o -: chỉ ghi ra màn hình được một định dạng")
        return {formats[0]: None}
    if out is None:
        return {f: Path(f"{stem}.{f}") for f in formats}
    path = Path(out)
    if len(formats) == 1 and not (out.endswith(("/", "\\")) or path.is_dir()):
        return {formats[0]: path}
    if path.suffix and not path.is_dir():
        return {f: path.with_suffix(f".{f}") for f in formats}
    return {f: path / f"{stem}.{f}" for f in formats}


def write(data: bytes, target: Path | None) -> None:
    from .writeback import atomic_write_bytes

    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)


def progress(total: int, label: str):
    """A rich progress bar on a terminal (stderr); a silent stand-in when piped or for one item."""
    if total < 2 or not sys.stderr.isatty():
        return _Silent()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=Console(stderr=True), transient=True)


class _Silent:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add_task(self, *args, **kwargs):
        return 0

    def advance(self, *args, **kwargs):
        pass

    def update(self, *args, **kwargs):
        pass
