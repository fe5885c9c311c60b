"""Small plans written as YAML text, for the status and CLI tests.

`task_yaml(...)` writes one task, `plan_yaml(...)` wraps tasks into a whole
plan (period 2021-01-01..2021-12-31 unless told), `load(...)` validates it and
fails the test if the plan has an error.
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap

from kehoach.judge.status import compute_status
from kehoach.plan.loader import load_text


@functools.cache
def generator():
    """benchmarks/generate.py as a module: plans of any size (`plan_text`, `make_folder`)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("kehoach_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _indent(text: str, spaces: int) -> str:
    return textwrap.indent(text, " " * spaces)


def task_yaml(
    id: str = "t",
    deadline: str | None = None,
    progress: list[tuple] = (),
    suspended: bool = False,
    lead: str = "a",
    support: str | None = None,
    subtasks: list[str] = (),
    title: str | None = None,
) -> str:
    """One task as YAML (a list item at column 0).

    `deadline` is written as is (`2021-06-30`, `"'2021'"`, `{every: quarter}`);
    each progress entry is `(date, percent)` or `(date, percent, occurrence)`.
    """
    lines = [f"- id: {id}", f"  title: {title or 'Task ' + id}", f"  lead: [{lead}]"]
    if support:
        lines.append(f"  support: [{support}]")
    if deadline is not None:
        lines.append(f"  deadline: {deadline}")
    if suspended:
        lines.append("  suspended: true")
    if progress:
        lines.append("  progress:")
        for entry in progress:
            day, pct, *rest = entry
            occ = f", occurrence: {rest[0]}" if rest else ""
            lines.append(f"    - {{date: {day}, percent: {pct}, note: report {day}{occ}}}")
    if subtasks:
        lines.append("  subtasks:")
        for sub in subtasks:
            lines.append(_indent(sub.rstrip("\n"), 4))
    return "\n".join(lines) + "\n"


DEFAULT_BODIES = "  - {id: a, name: Ban A, kind: party}\n"


def plan_yaml(
    *tasks: str,
    convention: str = "calendar",
    start: str = "2021-01-01",
    end: str = "2021-12-31",
    bodies: str = DEFAULT_BODIES,
) -> str:
    head = textwrap.dedent(
        f"""\
        plan:
          id: test-plan
          title: Kế hoạch thử
          issuers: [a]
          period: {{start: {start}, end: {end}}}
        reporting: {{convention: {convention}}}
        """
    )
    body = "bodies:\n" + bodies
    body += "tasks:\n" + "".join(_indent(t, 2) for t in tasks) if tasks else "tasks: []\n"
    return head + body


def load(*tasks: str, allow: tuple[str, ...] = (), **kw):
    """The validated plan model; the test fails if the plan has an error
    (other than the diagnostic codes in `allow`)."""
    loaded = load_text(plan_yaml(*tasks, **kw), "test.yaml")
    errors = [d.message("en") for d in loaded.diagnostics if d.severity == "error" and d.code not in allow]
    assert loaded.plan is not None and not errors, errors
    return loaded.plan


def status_of(plan, as_of: str, task_id: str = "t", soon_days: int = 14):
    """The TaskStatus of one task at `as_of`."""
    return compute_status(plan, D(as_of), soon_days).by_id()[task_id]


def code_at(plan, as_of: str, task_id: str = "t", soon_days: int = 14) -> str:
    return status_of(plan, as_of, task_id, soon_days).status


# ---------------------------------------------------------------- the 2021 plan with progress


def with_entries(text: str, entries: list[tuple[str, dict]]) -> str:
    """The plan text with each (task id, entry) appended to that task's progress, as
    `kehoach log` writes it (the same splice). A task's first entry goes through
    `insert_entry`; its later ones follow it, indented alike (the same lines `log` adds)."""
    from kehoach.plan.checks import iter_raw_tasks
    from kehoach.plan.source import read_yaml
    from kehoach.plan.yamledit import entry_lines, insert_entry

    by_task: dict[str, list[dict]] = {}
    for task_id, entry in entries:
        by_task.setdefault(task_id, []).append({k: v for k, v in entry.items() if v is not None})
    for task_id, todo in by_task.items():
        doc, _ = read_yaml(text)
        path = next(p for p, t in iter_raw_tasks(doc.data) if t.get("id") == task_id)
        text, at, new = insert_entry(text, path, todo[0])
        first = next(x for x in new if x.lstrip().startswith("- "))
        dash = len(first) - len(first.lstrip())
        lines = text.splitlines(keepends=True)
        end = at - 1 + len(new)  # the index just after the lines added
        more = [x + "\n" for e in todo[1:] for x in entry_lines(e, dash)]
        text = "".join(lines[:end] + more + lines[end:])
    return text


@functools.cache
def plan_2021_progress(until: str = "2021-06-30") -> str:
    """plans/2021.yaml with realistic progress up to `until`: every continuous task
    reports each quarter (the two Bans' joint report, no percent), each quarterly/6-month/annual report and
    conference is
    closed a few days before its due date, and each "năm 2021" deliverable moves
    30 % per quarter (reaching 100 % only in Q4)."""
    from pathlib import Path

    from kehoach.base.deadlines import Continuous, Dated, Recurring

    root = Path(__file__).resolve().parent.parent
    text = (root / "plans" / "2021.yaml").read_text(encoding="utf-8")
    plan = load_text(text, "2021.yaml").plan
    stop = D(until)
    quarter_ends = [D("2021-03-20"), D("2021-06-20"), D("2021-09-20"), D("2021-12-10")]
    entries: list[tuple[str, dict]] = []
    for task, _ in plan.iter_tasks():
        if task.subtasks:
            continue
        deadline = task.deadline
        if isinstance(deadline, Continuous):
            for q, day in enumerate(quarter_ends, start=1):
                if day <= stop:
                    entries.append((task.id, {"date": day, "note": f"Kết quả quý {q} của nhiệm vụ {task.id}."}))
        elif isinstance(deadline, Recurring):
            info = plan.plan.period
            for period, due in deadline.occurrences(info.start, info.end, plan.convention):
                day = due - dt.timedelta(days=5)
                if day <= stop:
                    entries.append((task.id, {"date": day, "percent": 100, "occurrence": period.code,
                                              "note": f"Hoàn thành kỳ {period.code}."}))
        elif isinstance(deadline, Dated) and deadline.kind == "year":
            for q, day in enumerate(quarter_ends, start=1):
                if day <= stop:
                    entries.append((task.id, {"date": day, "percent": min(30 * q, 100),
                                              "note": f"Đạt {min(30 * q, 100)}% sản phẩm {task.id}."}))
    entries.sort(key=lambda e: e[1]["date"])
    return with_entries(text, entries)


def demo_until(day: str) -> str:
    """The demo plan with only the progress logged by `day` (as if it were then)."""
    import io
    from pathlib import Path

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load((Path(__file__).resolve().parent.parent / "examples" / "demo.yaml").read_text(encoding="utf-8"))
    stop = dt.date.fromisoformat(day)

    def walk(tasks):
        for t in tasks or []:
            if "progress" in t:
                kept = [e for e in t["progress"] if e["date"] <= stop]
                if kept:
                    t["progress"][:] = kept
                else:
                    del t["progress"]
            walk(t.get("subtasks"))

    walk(data["tasks"])
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def form_rows(ws) -> list[tuple[int, str, str]]:
    """(row, task, period code) of each row a return form asked, from its hidden sheet (the visible
    "Kỳ" column shows the period in words)."""
    from kehoach.life import forms

    meta = ws.parent[forms.META]
    out, blank = [], False
    for values in meta.iter_rows(values_only=True):
        if values[0] is None:
            blank = True
        elif blank:
            out.append((int(values[0]), values[1], values[2] or ""))
    return out
