"""kehoach: plan-as-code for public-sector coordination plans.

The library under the `kehoach` command. A plan is one YAML file. Every command is one call
of `kehoach.api`, importable from here, that returns a `Result` (what the command says, shows
and would write; `.value` the library's own result):

    check(paths) · schema() · status(plan, today) · status_rollup(files, as_of)
    report(plan, today, period=) · report_rollup(files, period=) · checklist(plan, today)
    remind(plan, today) · export(plan, today, fmt) · calendar(plan, today) · log(plan, today, task, entry)
    request(plan, today, period) · collect(plan, today, files) · diff(old, new) · init(plan, today, year)
    import_plan(source)

and the calls beneath them, for a program that wants the pieces (docs/api.md):

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

from kehoach.base.version import __version__

TYPE_CHECKING = False  # typing itself is not imported at run time (a few milliseconds of every command)

_COMMANDS = ("check", "schema", "status", "status_rollup", "report", "report_rollup", "checklist", "remind",
             "export", "calendar", "log", "request", "collect", "diff", "init", "import_plan")
_EXPORTS = {
    **{name: "api" for name in (*_COMMANDS, "Result", "Note", "Documents", "PlanProblems")},
    "load_plan": "plan.loader", "load_text": "plan.loader", "check_files": "plan.loader",
    "LoadedPlan": "plan.loader",
    "CheckResult": "base.diagnostics", "Diagnostic": "base.diagnostics",
    "compute_status": "judge.status", "PlanStatus": "judge.status", "TaskStatus": "judge.status",
    "STATUS_CODES": "judge.status",
    "evaluate": "judge.evaluation", "Evaluation": "judge.evaluation",
    "Span": "base.periods", "report_span": "judge.scope",
    "build_report": "views.reportview", "build_checklist": "views.reportview", "ReportContext": "views.reportview",
    "ChecklistContext": "views.reportview", "context_json": "views.reportview",
    "append_progress": "life.log", "progress_entry": "life.log", "LogResult": "life.log",
    "Plan": "plan.model", "Task": "plan.model", "Progress": "plan.model",
    "KehoachError": "base.errors", "UsageError": "base.errors",
    "compare_versions": "life.diff", "PlanDiff": "life.diff", "make_next_year": "life.nextyear",
    "import_document": "life.importer", "ImportResult": "life.importer",
}

__all__ = [  # every name above, and the two calls below
    "CheckResult", "ChecklistContext", "Diagnostic", "Documents", "Evaluation", "ImportResult", "KehoachError",
    "LoadedPlan", "LogResult", "Note", "Plan", "PlanDiff", "PlanProblems", "PlanStatus", "Progress", "ReportContext",
    "Result", "STATUS_CODES", "Span", "Task", "TaskStatus", "UsageError", "__version__", "append_progress",
    "build_checklist", "build_report", "calendar", "check", "check_files", "checklist", "collect",
    "compare_versions", "compute_status", "context_json", "diff", "evaluate", "export", "import_document",
    "import_plan", "init", "load_plan", "load_text", "log", "make_next_year", "progress_entry", "remind",
    "render_document", "report", "report_rollup", "report_span", "request", "schema", "select", "status",
    "status_rollup",
]


def select(plan: Plan, topic: str | None = None, body: str | None = None) -> Scope:
    """The tasks of one topic and/or one body (`--topic`, `--body`); the whole plan without them.
    A usage error names the plan's topics or bodies when nothing matches."""
    from kehoach.judge.scope import select as _select
    from kehoach.plan.schedule import build_schedule

    return _select(build_schedule(plan), topic, body)


def render_document(kind: str, fmt: str, context: ReportContext | ChecklistContext,
                    templates: str | os.PathLike[str] | None = None) -> bytes:
    """A document (`report` or `checklist`) in one format (`md`, `html`, `docx`, `json`), with the
    built-in templates or those of `templates` (a folder; same file names)."""
    from kehoach.outputs.documents import render_format
    from kehoach.outputs.render import template_dirs

    return render_format(kind, fmt, context, template_dirs(templates))


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kehoach' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"kehoach.{module}"), name)


if TYPE_CHECKING:
    import os
    from typing import Any

    from kehoach.api import (
        Documents,
        Note,
        PlanProblems,
        Result,
        calendar,
        check,
        checklist,
        collect,
        diff,
        export,
        import_plan,
        init,
        log,
        remind,
        report,
        report_rollup,
        request,
        schema,
        status,
        status_rollup,
    )
    from kehoach.base.diagnostics import CheckResult, Diagnostic
    from kehoach.base.errors import KehoachError, UsageError
    from kehoach.base.periods import Span
    from kehoach.judge.evaluation import Evaluation, evaluate
    from kehoach.judge.scope import Scope, report_span
    from kehoach.judge.status import STATUS_CODES, PlanStatus, TaskStatus, compute_status
    from kehoach.life.diff import PlanDiff, compare_versions
    from kehoach.life.importer import ImportResult, import_document
    from kehoach.life.log import LogResult, append_progress, progress_entry
    from kehoach.life.nextyear import make_next_year
    from kehoach.plan.loader import LoadedPlan, check_files, load_plan, load_text
    from kehoach.plan.model import Plan, Progress, Task
    from kehoach.views.reportview import ChecklistContext, ReportContext, build_checklist, build_report, context_json
