"""`kehoach check --fix`: a plan written before progress entries named their body brought up
to date, by the smallest edit.

Entries of those plans say who reported in words (`by: Sở Nội vụ`). Where the words name
exactly one body of the plan (its name, short name or id, any case, diacritics optional), the
`by:` line becomes `body: so-noi-vu`; where they are "person, body" (as forms collected before
wrote them), `body:` is added and `by:` keeps the person. Anything less certain is left as it is
and listed. Nothing else in the file changes; the new text must load with no new problem, and
it is written as `kehoach log` writes: atomically, under the plan's lock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EXIT_USAGE

if TYPE_CHECKING:
    from .bodies import Bodies
    from .source import YamlNode


@dataclass
class Fixed:
    line: int  # 1-based line of the `by:` entry
    task: str
    by: str  # as it was written
    body: str  # the body id it names
    person: str | None  # the person kept in `by:`, if any


@dataclass
class Unsure:
    line: int
    task: str
    by: str


@dataclass
class FixResult:
    path: str
    fixed: list[Fixed] = field(default_factory=list)
    unsure: list[Unsure] = field(default_factory=list)
    written: bool = False


def read_by(words: str, bodies: Bodies) -> tuple[str, str | None] | None:
    """(body id, person) for `by:` words that name a body for certain, else None."""
    exact = bodies.exact(words)
    if exact is not None:
        return exact, None
    if ", " in words:
        person, tail = words.rsplit(", ", 1)
        exact = bodies.exact(tail)
        if exact is not None and person.strip():
            return exact, person.strip()
    return None


def fix_bodies(path: str | os.PathLike[str], dry_run: bool = False) -> FixResult:
    """Rewrite the certain `by:` names of the plan at `path` into body ids; list the others."""
    from .bodies import Bodies
    from .loader import decode, load_text, read_bytes
    from .writeback import LogError, _replace_unchanged, _yaml_scalar, plan_lock

    path = Path(os.path.realpath(path))
    result = FixResult(str(path))
    with plan_lock(path):
        raw, problems = read_bytes(path)
        if raw is None:
            raise LogError(problems[0].code, problems[0].params, exit_code=EXIT_USAGE)
        text, problems = decode(raw, str(path))
        if text is None:
            raise LogError("log-plan-invalid", {"path": str(path)}, problems)
        before = load_text(text, str(path), workdays=False, keep_nodes=True)
        if not before.ok or before.plan is None or before.document is None or before.document.root is None:
            raise LogError("log-plan-invalid", {"path": str(path)},
                           [d for d in before.diagnostics if d.severity == "error"])
        bodies = Bodies(before.plan)
        lines = text.splitlines(keepends=True)
        for task_id, entry in _entries(before.document.root):
            keys = {k.value: (k, v) for k, v in entry.value}
            if "by" not in keys or "body" in keys:
                continue
            key, value = keys["by"]
            words = str(value.value)
            found = read_by(words, bodies)
            line = key.start_mark.line
            if found is None or value.end_mark.line != line or value.id != "scalar":
                result.unsure.append(Unsure(line + 1, task_id, words))
                continue
            body, person = found
            old = lines[line]
            ending = old[len(old.rstrip("\r\n")):]
            pad = " " * key.start_mark.column
            lead = old[: key.start_mark.column]  # "- " when `by:` opens the entry
            new = f"{lead}body: {body}{ending}"
            if person:
                new += f"{pad}by: {_yaml_scalar(person)}{ending}"
            lines[line] = new
            result.fixed.append(Fixed(line + 1, task_id, words, body, person))
        if not result.fixed or dry_run:
            return result
        new_text = "".join(lines)
        after = load_text(new_text, str(path), workdays=False)
        # new warnings are the truth the ids bring (a supporting body's percent, which never counted
        # for its task): `check` shows them next; a new error refuses the change
        worse = [d for d in after.diagnostics if d.severity == "error"]
        if worse or after.plan is None:
            raise LogError("fix-invalid", {"path": str(path)}, worse)
        _replace_unchanged(path, raw, new_text.encode("utf-8"))
        result.written = True
    return result


def _entries(root: YamlNode) -> list[tuple[str, YamlNode]]:
    """(task id, entry mapping node) of every progress entry, in file order."""
    out: list[tuple[str, YamlNode]] = []

    def mapping_get(node: YamlNode, name: str) -> YamlNode | None:
        if node.id != "mapping":
            return None
        return next((v for k, v in node.value if k.value == name), None)

    def walk(tasks: YamlNode | None) -> None:
        if tasks is None or tasks.id != "sequence":
            return
        for task in tasks.value:
            ident = mapping_get(task, "id")
            progress = mapping_get(task, "progress")
            if progress is not None and progress.id == "sequence":
                out.extend((str(ident.value) if ident is not None else "?", e) for e in progress.value
                           if e.id == "mapping" and not e.flow_style)
            walk(mapping_get(task, "subtasks"))

    walk(mapping_get(root, "tasks"))
    return out
