"""kehoach: plan-as-code for public-sector coordination plans.

The library under the `kehoach` command. A plan is one YAML file; these are
the calls a program needs (a portal, a notebook, a script that rolls up the
districts' plans), each documented where it is defined and in docs/api.md:

    load_plan(path) -> LoadedPlan            read and check one plan (`.plan`, `.diagnostics`, `.ok`)
    check_files(paths, strict) -> CheckResult  every problem of several files, as `kehoach check`
    compute_status(plan, as_of) -> PlanStatus  where every task stands on a date
    select(plan, topic=, body=) -> Scope       one topic's or one body's tasks
    report_span(plan, period) -> Span          a report's window ("Q2", "2021-H1", or dates)
    evaluate(plan, span, as_of) -> Evaluation  the judgement of a period (done, late, unfinished …)
    build_report(plan, span, …) -> ReportContext       a report, worded
    build_checklist(plan, as_of, …) -> ChecklistContext  the assignment table, worded
    render_document(kind, fmt, context) -> bytes         md, html, docx or json
    append_progress(path, task_id, entry) -> LogResult   record progress, touching nothing else
    progress_entry(day=, note=, percent=, …) -> dict     an entry as `kehoach log` builds it
    compare_versions(old, new) -> PlanDiff       two versions (files or git revisions) compared by task id
    make_next_year(source, year, output)         next year's plan, unfinished work carried over
    import_document(source, output) -> ImportResult   a draft plan from a .docx, Markdown or text file

Names are imported on first use, so `import kehoach` costs nothing the
command line does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kehoach.base.version import __version__

_EXPORTS = {
    "load_plan": "plan.loader", "load_text": "plan.loader", "check_files": "plan.loader", "LoadedPlan": "plan.loader",
    "CheckResult": "base.diagnostics", "Diagnostic": "base.diagnostics",
    "compute_status": "judge.status", "PlanStatus": "judge.status", "TaskStatus": "judge.status", "STATUS_CODES": "judge.status",
    "evaluate": "judge.evaluation", "Evaluation": "judge.evaluation",
    "Span": "base.periods",
    "build_report": "views.reportview", "build_checklist": "views.reportview", "ReportContext": "views.reportview",
    "ChecklistContext": "views.reportview", "context_json": "views.reportview",
    "append_progress": "life.log", "progress_entry": "life.log", "LogResult": "life.log",
    "Plan": "plan.model", "Task": "plan.model", "Progress": "plan.model",
    "KehoachError": "base.errors", "UsageError": "base.errors",
    "compare_versions": "life.diff", "PlanDiff": "life.diff", "make_next_year": "life.nextyear",
    "import_document": "life.importer", "ImportResult": "life.importer",
}

__all__ = [
    "STATUS_CODES", "CheckResult", "ChecklistContext", "Diagnostic", "Evaluation", "ImportResult", "KehoachError",
    "LoadedPlan", "LogResult", "Plan", "PlanDiff", "PlanStatus", "Progress", "ReportContext", "Span", "Task",
    "TaskStatus", "UsageError", "__version__", "append_progress", "build_checklist", "build_report", "check_files",
    "compare_versions", "compute_status", "context_json", "evaluate", "import_document", "load_plan", "load_text",
    "make_next_year", "progress_entry", "render_document", "report_span", "select",
]


def select(plan: Plan, topic: str | None = None, body: str | None = None) -> Scope:
    """The tasks of one topic and/or one body (`--topic`, `--body`); the whole plan without them.
    A usage error names the plan's topics or bodies when nothing matches."""
    from kehoach.judge.scope import select as _select
    from kehoach.plan.schedule import build_schedule

    return _select(build_schedule(plan), topic, body)


def report_span(plan: Plan, period: str | None = None, start: dt.date | None = None,
                end: dt.date | None = None, until: dt.date | None = None) -> Span:
    """A report's window: a period (`Q2`, `H1`, `9M`, `Y`, `M05`, `2021-Q2`) or two dates; with
    neither, `until` gives the plan period up to that date (a thematic report)."""
    from kehoach.judge.scope import report_span

    return report_span(plan, period, start, end, until)


def render_document(kind: str, fmt: str, context: ReportContext | ChecklistContext,
                    templates: str | os.PathLike[str] | None = None) -> bytes:
    """A document (`report` or `checklist`) in one format (`md`, `html`, `docx`, `json`), with the
    built-in templates or those of `templates` (a folder; same file names)."""
    from kehoach.outputs.render import template_dirs
    from kehoach.outputs.targets import render

    return render(kind, fmt, context, template_dirs(templates))


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kehoach' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


if TYPE_CHECKING:
    import datetime as dt
    import os

    from kehoach.base.diagnostics import CheckResult, Diagnostic
    from kehoach.base.errors import KehoachError, UsageError
    from kehoach.base.periods import Span
    from kehoach.judge.evaluation import Evaluation, evaluate
    from kehoach.judge.scope import Scope
    from kehoach.judge.status import STATUS_CODES, PlanStatus, TaskStatus, compute_status
    from kehoach.life.diff import PlanDiff, compare_versions
    from kehoach.life.importer import ImportResult, import_document
    from kehoach.life.log import LogResult, append_progress, progress_entry
    from kehoach.life.nextyear import make_next_year
    from kehoach.plan.loader import LoadedPlan, check_files, load_plan, load_text
    from kehoach.plan.model import Plan, Progress, Task
    from kehoach.views.reportview import ChecklistContext, ReportContext, build_checklist, build_report, context_json
