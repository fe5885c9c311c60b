"""`kehoach check --fix`: a plan written before progress entries named their body brought up
to date, by the smallest edit.

Entries of those plans say who reported in words (`by: Sở Nội vụ`), and an entry without a
body is the leads' joint report. The fix never changes what the plan says: a name becomes a
`body:` id only where the words name exactly one body of the plan (its name, short name or id,
any case, diacritics optional) AND the entry would count for exactly the same leads as before
(the task's one lead, and a body that is that lead or reports for it). A name of a body that
does not lead the task, or of one of several co-leads, would turn the joint report into one
body's (a lead finished would be "not done", continuous work "unreported"): it is listed with
why, and with the `reporting.standing` that would make it count where the body is a lead's
standing unit. Where the words are "person, body" (as forms collected before wrote them),
`body:` is added and `by:` keeps the person. Nothing else in the file changes; the statuses of
the plan at each quarter's end are compared before and after, and the new text must load with
no new problem; it is written as `kehoach log` writes: atomically, under the plan's lock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.base.errors import EXIT_USAGE

if TYPE_CHECKING:
    from kehoach.plan.bodies import Bodies
    from kehoach.plan.model import Plan
    from kehoach.plan.source import YamlNode


@dataclass
class Fixed:
    line: int  # 1-based line of the `by:` entry
    task: str
    by: str  # as it was written
    body: str  # the body id it names
    person: str | None  # the person kept in `by:`, if any


REASONS = ("no-body", "layout", "not-lead", "co-lead")  # why an entry is left (`fix-unsure.<reason>`)


@dataclass
class Unsure:
    line: int
    task: str
    by: str
    reason: str = "no-body"  # no-body (names no one body) | not-lead | co-lead | layout
    body: str = ""  # the body the words name, when they name one


@dataclass
class FixResult:
    path: str
    fixed: list[Fixed] = field(default_factory=list)
    unsure: list[Unsure] = field(default_factory=list)
    written: bool = False
    # entries a body wrote on tasks another body alone leads: (lead, body) → how many (a standing unit?)
    for_lead: dict[tuple[str, str], int] = field(default_factory=dict)


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
    from kehoach.base.errors import LogError
    from kehoach.base.files import decode, plan_lock, read_bytes, replace_unchanged
    from kehoach.plan.bodies import Bodies
    from kehoach.plan.loader import load_text
    from kehoach.plan.reporters import JOINT, Reporters
    from kehoach.plan.schedule import build_schedule
    from kehoach.plan.yamledit import yaml_scalar

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
        reporters = Reporters(before.plan)
        nodes = build_schedule(before.plan).by_id()
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
                result.unsure.append(Unsure(line + 1, task_id, words, "no-body" if found is None else "layout"))
                continue
            body, person = found
            node = nodes.get(task_id)
            leads = reporters.expand(node.lead) if node is not None else []
            owner = reporters.lead_of(body, node.lead) if node is not None else None
            if len(leads) != 1 or owner in (None, JOINT) or reporters.expand([owner]) != leads:
                # the joint report would become one body's, or no lead's: what the plan says would change
                reason = "not-lead" if owner in (None, JOINT) else "co-lead"
                result.unsure.append(Unsure(line + 1, task_id, words, reason, body))
                if reason == "not-lead" and len(leads) == 1 and leads[0]:
                    pair = (leads[0], body)
                    result.for_lead[pair] = result.for_lead.get(pair, 0) + 1
                continue
            old = lines[line]
            ending = old[len(old.rstrip("\r\n")):]
            pad = " " * key.start_mark.column
            lead = old[: key.start_mark.column]  # "- " when `by:` opens the entry
            new = f"{lead}body: {body}{ending}"
            if person:
                new += f"{pad}by: {yaml_scalar(person)}{ending}"
            lines[line] = new
            result.fixed.append(Fixed(line + 1, task_id, words, body, person))
        if not result.fixed or dry_run:
            return result
        new_text = "".join(lines)
        after = load_text(new_text, str(path), workdays=False)
        old_warnings = {(d.code, d.message("en")) for d in before.diagnostics}
        worse = [d for d in after.diagnostics
                 if d.severity == "error" or (d.code, d.message("en")) not in old_warnings]
        if worse or after.plan is None or _judged(before.plan) != _judged(after.plan):
            raise LogError("fix-invalid", {"path": str(path)}, worse)
        replace_unchanged(path, raw, new_text.encode("utf-8"))
        result.written = True
    return result


def _judged(plan: Plan) -> list[tuple[str, str, int | None]]:
    """Every task's status and percent at the end of each quarter of the plan: what must not change."""
    from kehoach.base.periods import periods_between
    from kehoach.judge.status import compute_status

    start, end = plan.plan.period.start, plan.plan.period.end
    days = [p.end for p in periods_between("quarter", start, end, plan.convention) if p.end <= end] + [end]
    out: list[tuple[str, str, int | None]] = []
    for day in days:
        out += [(ts.id, ts.status, ts.percent) for ts in compute_status(plan, min(day, end)).walk()]
    return out


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
