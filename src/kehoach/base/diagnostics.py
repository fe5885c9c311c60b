"""Diagnostics as values, and the reporters that show them.

A `Diagnostic` carries a stable code, a severity, a position and the parameters
of its message; the words (Vietnamese or English) come from `messages.py` only
when a reporter shows it. Checks collect diagnostics; nothing prints them but
the reporters below (text, JSON, GitHub workflow annotations).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kehoach.base.records import field, record
from kehoach.base.text import json_text

# named to a reader by `severity.<name>`; an `info` is a note (a value waiting for confirmation):
# listed, never a failure, not even with --strict
SEVERITIES = ("error", "warning", "info")
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}

# The path to a value in a plan's raw tree: mapping keys and list indexes, e.g. ("tasks", 3, "lead", 0).
# A key is text or a whole number; only a key brought in by a merge (`<<: *base`) is kept as YAML
# read it, so it may also be a float.
DataPath = tuple[str | int | float, ...]


@record
class Diagnostic:
    code: str
    severity: str  # one of SEVERITIES
    line: int = 1
    col: int = 1
    params: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    loc: DataPath = ()  # the path in the plan, e.g. ("tasks", 3, "lead", 0)
    cell: str | None = None  # in a workbook: the sheet and cell ("Phiếu!H7"), shown instead of line:col

    def message(self, lang: str = "vi") -> str:
        from kehoach.base.messages import render

        return render(self.code, "message", self.params, lang)

    def hint(self, lang: str = "vi") -> str | None:
        from kehoach.base.messages import render

        return render(self.code, "hint", self.params, lang) or None

    def where(self) -> str:
        """`FILE:LINE:COL`, `FILE:CELL` in a workbook, or `FILE` for a file refused whole (line 0)."""
        if self.cell is not None:
            return f"{self.file or '<plan>'}:{self.cell}"
        if self.line == 0:
            return self.file or "<plan>"
        return f"{self.file or '<plan>'}:{self.line}:{self.col}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line, self.col, self.code)


def loc_text(loc: DataPath) -> str:
    out = ""
    for seg in loc:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out


UNREADABLE = ("file-not-found", "file-unreadable", "file-too-large")
PER_CODE = 100  # diagnostics of one kind shown per file; the rest are counted (`more-problems`)


def cap(diags: list[Diagnostic], per_code: int = PER_CODE) -> list[Diagnostic]:
    """At most `per_code` diagnostics of each code per file (in the order given), and for each
    code with more, one `more-problems` at the first one left out, saying how many there are.
    A file of 200,000 unknown keys gives a readable answer, at once."""
    counts: dict[tuple[str | None, str], int] = {}
    for d in diags:
        key = (d.file, d.code)
        counts[key] = counts.get(key, 0) + 1
    if all(n <= per_code for n in counts.values()):
        return diags
    kept: list[Diagnostic] = []
    seen: dict[tuple[str | None, str], int] = {}
    more: dict[tuple[str | None, str], Diagnostic] = {}
    for d in diags:
        key = (d.file, d.code)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= per_code:
            kept.append(d)
        elif key not in more:
            more[key] = Diagnostic("more-problems", d.severity, d.line, d.col,
                                   {"n": counts[key] - per_code, "code": d.code}, d.file, d.loc, d.cell)
            kept.append(more[key])
        elif d.severity == "error":  # an error among the ones left out: the count is an error
            more[key].severity = "error"
    return kept


@record
class CheckResult:
    """All diagnostics of one or more files, in source order."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "info"]

    def strict(self) -> CheckResult:
        """Every warning an error; a note stays a note."""
        for d in self.diagnostics:
            if d.severity != "info":
                d.severity = "error"
        return self

    @property
    def unreadable(self) -> bool:
        """A file that could not be read at all (missing, a folder, no permission)."""
        return any(d.code in UNREADABLE for d in self.diagnostics)

    def exit_code(self) -> int:
        """2 when a file could not be read, 1 when there are errors, else 0."""
        return 2 if self.unreadable else 1 if self.errors else 0

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=Diagnostic.sort_key)


# ---------------------------------------------------------------- reporters

def format_text(result: CheckResult, lang: str = "vi", summary: bool = True) -> str:
    """`PATH:LINE:COL: lỗi: message` lines (`error:` in English), each hint indented below,
    then a summary.

    One diagnostic, one line: a newline, ESC or any other control character that plan text
    (or a file name) brings is shown as its escape (`\\n`, `\\x1b`), never acted on."""
    from kehoach.base.messages import render, text
    from kehoach.base.text import visible

    lines = []
    words = {s: text(f"severity.{s}", lang) for s in SEVERITIES}
    for d in result.sorted():
        lines.append(visible(f"{d.where()}: {words[d.severity]}: {d.message(lang)} [{d.code}]", newlines=False))
        hint = d.hint(lang)
        if hint:
            lines.append(f"    {render('hint-prefix', 'message', {}, lang)}{visible(hint, newlines=False)}")
    if not summary:
        return "\n".join(lines) + "\n"
    counts = {"files": len(result.files), "errors": len(result.errors), "warnings": len(result.warnings)}
    notes = len(result.notes)
    # the notes are named only when there are some: the summary of a plan without them stays as it was
    lines.append(render("summary-notes", "message", {**counts, "notes": notes}, lang) if notes
                 else render("summary", "message", counts, lang))
    return "\n".join(lines) + "\n"


def format_json(result: CheckResult, lang: str = "vi") -> str:
    items = [
        {
            "file": d.file,
            "line": d.line,
            "column": d.col,
            "cell": d.cell,
            "severity": d.severity,
            "code": d.code,
            "message": d.message(lang),
            "hint": d.hint(lang),
            "path": loc_text(d.loc) or None,
        }
        for d in result.sorted()
    ]
    doc = {
        "files": result.files,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "notes": len(result.notes),
        "valid": not result.errors,
        "diagnostics": items,
    }
    return json_text(doc)


def _gh_escape(text: str, prop: bool = False) -> str:
    from kehoach.base.text import visible

    text = visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(result: CheckResult, lang: str = "vi") -> str:
    """GitHub workflow commands: `::error file=F,line=L,col=C,title=code::message` (`::notice` for a note)."""
    out = []
    for d in result.sorted():
        msg = d.message(lang)
        hint = d.hint(lang)
        if hint:
            msg += "\n" + hint
        props = f"file={_gh_escape(d.file or '', True)},line={d.line},col={d.col},title={_gh_escape(d.code, True)}"
        out.append(f"::{GITHUB_COMMAND.get(d.severity, d.severity)} {props}::{_gh_escape(msg)}")
    return "\n".join(out) + ("\n" if out else "")


REPORTERS = {"text": format_text, "json": format_json, "github": format_github}
