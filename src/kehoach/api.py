"""The declared API: one call per command, each returning what the command shows and writes.

`kehoach status`, `report`, `log` … each parse their options, make one of these calls and report
its result (sqlite-utils' shape): the command line holds no other logic. A program does the same
without the command line. Every call takes typed options (a plan's path, dates, codes already
parsed) and returns a `Result`:

- `notes`: what the command says on standard error before its output (the plan it chose among
  several, an as-of date outside the plan, the template folder it used …), each a message key
  and its parameters, worded when shown;
- `text`: its output (standard output, or the file `output` names), or `documents`: the files it
  would write (each context in each format to its target), rendered and written by the output
  layer (`outputs.documents.write_documents`);
- `after`: what it says once its files are written; `exit_code`;
- `reads`: every file it read, which nothing may be written over.

The library's own results ride along for a program (`Result.value`: a `CheckResult`, a
`PlanStatus`, a `CollectResult` …). Calls that change a user's file (`log`, `collect`,
`check --fix`, `init`, `import`, `request`) do so through the write-back and output layers,
validated first and atomically, and say what they wrote in their notes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import CheckResult
from kehoach.base.errors import EXIT_FAIL, EXIT_PARTIAL, EXIT_USAGE, KehoachError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from kehoach.outputs.terminal import PlainScreen
    from kehoach.plan.loader import LoadedPlan
    from kehoach.plan.model import Plan
    from kehoach.views.context import Context


class _Fields:
    """A record of named fields (what `dataclasses` would make, without importing it: `inspect`
    and the class-building cost a start-up pays): made by keyword or in order, equal field by
    field, shown with its fields."""

    __slots__ = ()

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = type(self).__slots__
        return names

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, k) == getattr(other, k) for k in self._names())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self._names())})"


class Note(_Fields):
    """Something a command says on standard error: a message key and its parameters."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: dict[str, object] | None = None):
        self.key = key
        self.params: dict[str, object] = {} if params is None else params


class Documents(_Fields):
    """The documents a command would write: (file stem, context) of each, in the formats asked,
    where `-o` says (a file, a folder with `folder`, or standard output); `kind` is the templates'
    name (report, checklist, remind, rollup), `labels` whom each file stem is for (a body's name)."""

    __slots__ = ("kind", "contexts", "formats", "output", "plan_path", "templates", "folder", "reads", "labels")

    def __init__(self, kind: str, contexts: Sequence[tuple[str, Context]], formats: str, output: str | None,
                 plan_path: str, templates: Path | None = None, folder: bool = False,
                 reads: Sequence[str | Path] = (), labels: Mapping[str, str] | None = None):
        self.kind, self.contexts, self.formats, self.output = kind, contexts, formats, output
        self.plan_path, self.templates, self.folder, self.reads = plan_path, templates, folder, reads
        self.labels: Mapping[str, str] = {} if labels is None else labels


class Result(_Fields):
    """What a command shows and writes: its `notes`, its `text` (to `output`: None or "-" standard
    output, else a file) or `documents`, what it says `after`, its `exit_code`, the files it
    `reads`, and the library's own result (`value`: CheckResult, PlanStatus, CollectResult …).
    `show`, when set, makes the output when it is shown, instead of `text`: drawn on the
    terminal's console (colours, its width) when `console`, else as text."""

    __slots__ = ("notes", "text", "output", "documents", "after", "exit_code", "reads", "value", "show", "console",
                 "folder")

    def __init__(self, notes: list[Note] | None = None, text: str | bytes | None = None, output: str | None = None,
                 documents: Documents | None = None, after: list[Note] | None = None, exit_code: int = 0,
                 reads: tuple[str, ...] = (), value: Any = None,
                 show: Callable[[Console | PlainScreen | None], str | bytes] | None = None, console: bool = False):
        self.notes: list[Note] = [] if notes is None else notes
        self.text, self.output, self.documents = text, output, documents
        self.after: list[Note] = [] if after is None else after
        self.exit_code, self.reads, self.value, self.show, self.console = exit_code, reads, value, show, console
        self.folder: str | None = None  # the folder `-o` named for `output` to be written in (made if missing)

    def write_into(self, output: str | None, name: str) -> str | None:
        """`output` set from `-o` as given: a file, or a folder (existing, or named with a final "/")
        that gets the file `name`, the folder made when it is written; returns the file."""
        self.output = output
        if output is None or output == "-" or not (output.endswith(("/", os.sep)) or os.path.isdir(output)):
            return output
        self.folder, self.output = output, os.path.join(output, name)
        return self.output


class PlanProblems(KehoachError):
    """A plan that cannot serve the command: its problems, shown as `kehoach check` shows them
    (`result`), and, when the plan is valid but a draft, why it is refused (`code`)."""

    def __init__(self, result: CheckResult, code: str = "", params: dict[str, object] | None = None,
                 exit_code: int | None = None):
        super().__init__(code, params, exit_code=exit_code)
        self.result = result


# ---------------------------------------------------------------- which plan, loaded


class Loaded(_Fields):
    """A plan file that loaded without errors, and the files it reads: the body `catalogues` (never
    an output either); `source` as the loader read it (its text, its diagnostics)."""

    __slots__ = ("path", "plan", "catalogues", "source")

    def __init__(self, path: str, plan: Plan, catalogues: tuple[str, ...] = (), source: LoadedPlan | None = None):
        self.path, self.plan, self.catalogues, self.source = path, plan, catalogues, source

    @property
    def reads(self) -> tuple[str, ...]:
        return (self.path, *self.catalogues)


def choose_plan(plan: Path | None, today: dt.date, notes: list[Note]) -> Path:
    """The plan a command reads: `plan`, else KEHOACH_PLAN, else the one of ./plans that covers
    `today`; when it chose one among several, a note says which."""
    from kehoach.base.settings import current
    from kehoach.plan.discovery import choose_plan as choose

    found, among = choose(plan, current().plan, Path.cwd(), today)
    if found is None:
        raise UsageError("no-plan", {"looked": str(Path.cwd() / "plans")})
    if among:
        notes.append(Note("plan-chosen", {"path": str(found), "n": len(among),
                                          "others": ", ".join(p.name for p in among if p != found)}))
    return found


def load(plan: Path | None, today: dt.date, notes: list[Note], document: bool = False, draft: bool = False,
         as_of: dt.date | None = None, revision: bool = True, plain: bool = False, source: bool = False,
         given: bool = False) -> Loaded:
    """The plan, valid, or `PlanProblems`. A `document` to send is not made from a plan with blanks
    left to fill (`to-fill`: a draft from `init` or `import`) unless asked for as a `draft`. A
    note when `as_of` lies outside the plan period (`given`: the user chose it, so the note does
    not tell them to choose one; a document made in the days after the plan, as reports are, has
    none). With `revision`, `--plan REV:PATH` reads the
    plan as it was in a git revision (as `kehoach diff` reads it): a signed report made again
    from the plan of its day. With `plain`, a plan the cache kept is its plain objects
    (`plan.plain.load_plan`: read back without pydantic or the YAML parser), for a command that
    only judges and shows it. The loader's reading (its text: 14 MB on a 10,000-task plan) is
    kept as the `source` only when asked for."""
    loaded: Any
    spec = str(plan) if plan is not None else ""
    if revision and spec and not Path(spec).exists() and ":" in spec and len(spec) > 2 and spec[1] != ":":
        from kehoach.life.diff import read_version
        from kehoach.plan.loader import load_text

        text, name = read_version(spec)
        here = spec.partition(":")[2]
        loaded = load_text(text, name, workdays=False, base=here if Path(here).parent.is_dir() else None)
        notes.append(Note("plan-revision", {"name": name}))
    elif plain:
        from kehoach.plan.plain import load_plan as load_plain

        loaded = load_plain(choose_plan(plan, today, notes), workdays=False)
    else:
        from kehoach.plan.loader import load_plan

        loaded = load_plan(choose_plan(plan, today, notes), workdays=False)
    if loaded.catalogue:
        raise UsageError("catalogue-not-plan", {"path": loaded.path})
    if not loaded.ok:
        result = loaded.result()
        raise PlanProblems(result, exit_code=EXIT_USAGE if result.unreadable else EXIT_FAIL)
    blanks = [d for d in loaded.diagnostics if d.code == "to-fill"]
    if document and blanks and not draft:
        raise PlanProblems(CheckResult(blanks, [loaded.path]), "plan-has-blanks",
                           {"path": loaded.path, "n": len(blanks)}, exit_code=EXIT_USAGE)
    assert loaded.plan is not None  # `ok`: the plan is valid
    if document and not draft:  # the document shows them: checked before it is signed
        notes += uncertain_notes(loaded.plan)
    if as_of is not None:
        notes.extend(as_of_notes(loaded.plan, as_of, given=given, document=document))
    return Loaded(loaded.path, loaded.plan, tuple(loaded.catalogues), loaded if source and not plain else None)


def uncertain_notes(plan: Plan) -> list[Note]:
    """A note when a document prints values the plan marks uncertain (`plan.uncertain`: the number
    and date an OCR read, which name signs for which body): to be checked before it is signed."""
    unsure = plan.plan.uncertain
    if not unsure:
        return []
    return [Note("document-uncertain", {"fields": ", ".join(
        key if key in ("signers", "recipients") else f"plan.{key}" for key in unsure)})]


def as_of_notes(plan: Plan, day: dt.date, key: str = "as-of-outside-plan", given: bool = False,
                document: bool = False) -> list[Note]:
    """A note when the as-of date lies outside the plan period; `given`: the user chose the date
    (`--as-of`), so the note does not tell them to choose one, and a `document` dated in the days
    after the plan that its last reports may take (`periods.LATE_REPORT_DAYS`) has none."""
    from kehoach.base.periods import LATE_REPORT_DAYS
    from kehoach.base.vndates import date_param

    info = plan.plan.period
    if info.start <= day <= info.end:
        return []
    if given and document and info.end < day <= info.end + dt.timedelta(days=LATE_REPORT_DAYS):
        return []
    if given and key == "as-of-outside-plan":
        key = "as-of-given-outside-plan"
    params: dict[str, object] = {"date": date_param(day), "start": date_param(info.start),
                                 "end": date_param(info.end)}
    if key != "as-of-outside-plan":
        params["id"] = plan.plan.id
    return [Note(key, params)]


def rollup_files(paths: Sequence[Path] | None, plan: Path | None) -> list[Path] | None:
    """The plan files of a roll-up (several files, or a folder), or None for one plan."""
    given = list(paths or [])
    if not given or (len(given) == 1 and not given[0].is_dir() and plan is None):
        return None
    from kehoach.judge.rollup import find_plans

    if plan is not None:
        given.insert(0, plan)
    return find_plans(given)


def _templates_notes(templates: Path | None, plan_path: str) -> list[Note]:
    """Which template folder a document command uses, and a folder beside the plan it does not."""
    from kehoach.outputs.render import template_dirs, unused_templates, user_templates

    notes = []
    chosen = user_templates(templates)
    if chosen is not None:
        template_dirs(chosen)  # a folder that is not there is an error before anything is said
        notes.append(Note("templates-used", {"path": str(chosen)}))
    beside = unused_templates(plan_path, templates)
    if beside is not None:
        notes.append(Note("templates-beside-unused", {"path": str(beside)}))
    return notes


def _documents(result: Result, kind: str, contexts: Sequence[tuple[str, Context]], formats: str,
               output: str | None, loaded: Loaded, templates: Path | None, folder: bool = False,
               reads: Sequence[str | Path] = ()) -> Result:
    result.notes += _templates_notes(templates, loaded.path)
    result.documents = Documents(kind, contexts, formats, output, loaded.path, templates, folder,
                                 [*loaded.catalogues, *reads])
    return result


# ---------------------------------------------------------------- the commands


def check(paths: Sequence[Path], strict: bool = False, fix: bool = False, fmt: str = "text",
          lang: str = "vi") -> Result:
    """`kehoach check`: every problem of each plan (or body catalogue) file; with `fix`, first bring
    a plan written before entries named their body up to date (`by:` names → `body:` ids)."""
    from kehoach.life.migrate import fix_bodies
    from kehoach.plan.loader import check_files

    result = Result()
    for path in paths if fix else ():
        done = fix_bodies(path)
        result.notes.append(Note("fix-done", {"path": str(path), "n": len(done.fixed), "unsure": len(done.unsure)}))
        result.notes += [Note("fix-line", {"path": str(path), "line": f.line, "id": f.task, "by": f.by,
                                           "body": f.body}) for f in done.fixed]
        result.notes += [Note(f"fix-unsure.{u.reason}", {"path": str(path), "line": u.line, "id": u.task,
                                                          "by": u.by, "body": u.body}) for u in done.unsure]
        result.notes += [Note("fix-standing", {"body": body, "lead": lead, "n": n})
                         for (lead, body), n in sorted(done.for_lead.items(), key=lambda item: -item[1])]
    from kehoach.base.diagnostics import REPORTERS

    checked = check_files(paths, strict)
    result.text, result.value, result.exit_code = REPORTERS[fmt](checked, lang), checked, checked.exit_code()
    return result


def schema(markdown: bool = False, catalogue: bool = False, output: str | None = None, lang: str = "vi") -> Result:
    """`kehoach schema`: the JSON Schema of the plan format (or of a body catalogue), or the field
    reference in Markdown."""
    from kehoach.plan.schema import format_reference, json_schema_text

    return Result(text=format_reference(lang) if markdown else json_schema_text(catalogue, lang), output=output)


def status(plan: Path | None, today: dt.date, as_of: dt.date | None = None, soon_days: int = 14,
           body: str | None = None, statuses: Sequence[str] = (), by: str | None = None, fmt: str = "table",
           fail_on: Sequence[str] = (), output: str | None = None, lang: str = "vi") -> Result:
    """`kehoach status` of one plan: where every task stands on a date, as a table, JSON or
    Markdown; exit 1 when a task is in a `fail_on` status."""
    from kehoach.judge.scope import select
    from kehoach.judge.status import compute_status
    from kehoach.outputs.terminal import plan_status_text
    from kehoach.views.statusview import status_rows

    result = Result(output=output)
    day = as_of or today
    loaded = load(plan, today, result.notes, as_of=day, plain=True, given=as_of is not None)
    from kehoach.base.text import stem

    result.write_into(output, stem(loaded.plan.plan.id, "tinh-hinh", day.isoformat())
                      + {"json": ".json", "markdown": ".md"}.get(fmt, ".txt"))
    ps = compute_status(loaded.plan, day, soon_days)
    scope = select(ps.schedule, None, body)
    rows = status_rows(ps, lang, scope, list(statuses))

    def show(console: Console | PlainScreen | None) -> str | bytes:
        return plan_status_text(ps, rows, fmt, lang, scope, by, str(loaded.path), console)

    result.show, result.console, result.reads, result.value = show, fmt == "table", loaded.reads, ps
    result.exit_code = EXIT_FAIL if fail_on and any(r.status in fail_on for r in rows) else 0
    return result


def status_rollup(files: Sequence[Path], as_of: dt.date, soon_days: int = 14, body: str | None = None,
                  fmt: str = "table", output: str | None = None, lang: str = "vi") -> Result:
    """`kehoach status` over several plans (files, or a folder): by plan and by body."""
    from kehoach.base.text import stem
    from kehoach.judge.rollup import load_plans, rollup_status
    from kehoach.outputs.terminal import rollup_status_text

    plans = load_plans(list(files))
    result = Result()
    result.write_into(output, stem(plans[0].plan.plan.id, "tong-hop-tinh-hinh", as_of.isoformat())
                      + {"json": ".json", "markdown": ".md"}.get(fmt, ".txt"))
    for item in plans:
        result.notes += as_of_notes(item.plan, as_of, "rollup-as-of-outside")
    found = rollup_status(plans, as_of, soon_days, body)

    def show(console: Console | PlainScreen | None) -> str:
        return rollup_status_text(found, fmt, lang, console)

    result.show, result.console = show, fmt == "table"
    result.reads = (*(str(f) for f in files), *(c for p in plans for c in p.catalogues))
    result.value = found
    return result


def report(plan: Path | None, today: dt.date, period: str | None = None, start: dt.date | None = None,
           end: dt.date | None = None, topic: str | None = None, body: str | None = None,
           as_of: dt.date | None = None, number: str | None = None, formats: str = "md",
           output: str | None = None, templates: Path | None = None, draft: bool = False,
           lang: str = "vi") -> Result:
    """`kehoach report`: the periodic (or thematic, `topic`) report of one plan."""
    from kehoach.base.text import stem
    from kehoach.judge.scope import report_span
    from kehoach.views.reportview import build_report

    result = Result()
    loaded = load(plan, today, result.notes, document=True, draft=draft)
    span = report_span(loaded.plan, period, start, end, (as_of or today) if topic else None)
    if as_of is not None:
        result.notes += as_of_notes(loaded.plan, as_of, given=True, document=True)
    elif not topic:  # reports on the period mailed after it: said, with the date that counts them
        from kehoach.base.vndates import date_param
        from kehoach.judge.evaluation import late_reports

        count, last = late_reports(loaded.plan, span, today)
        if count:
            result.notes.append(Note("report-late-reports", {"n": count, "end": date_param(span.end),
                                                             "last": date_param(last), "iso": last.isoformat()}))
    ctx = build_report(loaded.plan, span, as_of, lang, topic, number, body=body)
    name = stem(loaded.plan.plan.id, "bao-cao", span.code, ctx.topic.id if ctx.topic else "",
                "-".join(ctx.body_ids))
    result.value = ctx
    return _documents(result, "report", [(name, ctx)], formats, output, loaded, templates)


def report_rollup(files: Sequence[Path], period: str | None = None, start: dt.date | None = None,
                  end: dt.date | None = None, as_of: dt.date | None = None, number: str | None = None,
                  formats: str = "md", output: str | None = None, templates: Path | None = None,
                  lang: str = "vi") -> Result:
    """`kehoach report` over several plans: a table per plan and the bodies' work across them."""
    from kehoach.base.text import stem
    from kehoach.judge.rollup import load_plans, rollup_period
    from kehoach.views.rollupview import build_rollup_report

    plans = load_plans(list(files))
    periods = rollup_period(plans, period, start, end, as_of)
    ctx = build_rollup_report(periods, lang, number)
    name = stem(plans[0].plan.plan.id, "tong-hop", periods[0].span.code)
    result = Result(value=ctx, notes=uncertain_notes(plans[0].plan))  # its letterhead and signers are the first plan's
    return _documents(result, "rollup", [(name, ctx)], formats, output, Loaded(plans[0].path, plans[0].plan),
                      templates, reads=[*files, *(Path(c) for p in plans for c in p.catalogues)])


def checklist(plan: Path | None, today: dt.date, as_of: dt.date | None = None, body: str | None = None,
              per_body: bool = False, formats: str = "md", output: str | None = None,
              templates: Path | None = None, draft: bool = False, lang: str = "vi") -> Result:
    """`kehoach checklist`: the assignment table for all bodies, one (`body`) or each (`per_body`)."""
    from kehoach.base.vndates import date_param
    from kehoach.views.reportview import checklists

    if per_body and body:
        raise UsageError("per-body-and-body")
    if per_body and output == "-":
        raise UsageError("per-body-folder")
    result = Result()
    loaded = load(plan, today, result.notes, document=True, draft=draft, as_of=as_of, given=True)
    day = as_of or today
    end = loaded.plan.plan.period.end
    closed = as_of is None and today > end  # an appendix of a plan whose year is over stands at its end,
    if closed:  # that day over
        day = end
        result.notes.append(Note("as-of-plan-end", {"date": date_param(end)}))
    contexts = checklists(loaded.plan, day, lang, body, per_body, closed=closed)
    result.value = contexts
    _documents(result, "checklist", contexts, formats, output, loaded, templates, folder=per_body)
    if per_body and result.documents is not None:  # the clerk mailing them reads bodies, not ids
        result.documents.labels = {name: ctx.body for name, ctx in contexts}
    return result


def remind(plan: Path | None, today: dt.date, as_of: dt.date | None = None, body: str | None = None,
           soon_days: int = 14, reply_by: dt.date | None = None, number: str | None = None,
           formats: str = "md,html,docx", output: str | None = None, templates: Path | None = None,
           draft: bool = False, lang: str = "vi") -> Result:
    """`kehoach remind`: a reminder letter to each body with work to chase, the internal list of
    what the issuers owe themselves, and where every item went."""
    from kehoach.base.vndates import date_param
    from kehoach.views.letters import build_reminders

    if output == "-":
        raise UsageError("remind-folder")
    day = as_of or today
    result = Result()
    loaded = load(plan, today, result.notes, document=True, draft=draft, as_of=day, given=as_of is not None)
    letters, routes = build_reminders(loaded.plan, day, soon_days, lang, body, reply_by, number)
    result.value = routes
    if not letters:
        result.notes.append(Note("remind-none", {"date": date_param(day)}))
        return result
    result.after.append(Note("remind-routes", {"n": len(routes)}))
    result.after += [Note("remind-route-internal" if r.internal else "remind-route", {
        "id": r.task_id, "occurrence": f" ({r.occurrence})" if r.occurrence else "", "status": r.status,
        "owing": r.owing, "to": r.to, "file": r.stem}) for r in routes]
    return _documents(result, "remind", letters, formats, output, loaded, templates, folder=True)


def export(plan: Path | None, today: dt.date, fmt: str, as_of: dt.date | None = None, body: str | None = None,
           statuses: Sequence[str] = (), output: str | None = None, lang: str = "vi") -> Result:
    """`kehoach export`: the task-tracking table as CSV, Excel or JSON."""
    from kehoach.judge.scope import select
    from kehoach.judge.status import compute_status
    from kehoach.outputs.export import export as export_table

    if fmt == "xlsx" and output in (None, "-"):
        raise UsageError("export-xlsx-file")
    day = as_of or today
    result = Result(output=output)
    loaded = load(plan, today, result.notes, as_of=day, given=as_of is not None)
    from kehoach.base.text import stem

    result.write_into(output, stem(loaded.plan.plan.id, "theo-doi", day.isoformat()) + "." + fmt)
    ps = compute_status(loaded.plan, day)
    result.text = export_table(ps, fmt, lang, str(loaded.path), select(ps.schedule, None, body), list(statuses))
    result.reads, result.value = loaded.reads, ps
    return result


def calendar(plan: Path | None, today: dt.date, body: str | None = None, output: str | None = None,
             lang: str = "vi", now: dt.datetime | None = None, alarm: dt.timedelta | None = None) -> Result:
    """`kehoach calendar`: every deadline, recurring report, conference, review period and forms'
    return day as calendar events. `now` stamps them (default: `today` at 00:00 UTC); the
    calendar written before at `output` keeps the versions (SEQUENCE) of the events unchanged
    since (a note when it cannot serve); `alarm`: a reminder that long before each event."""
    from kehoach.base.text import stem
    from kehoach.outputs.calendar import build_calendar, previous_calendar

    result = Result(output=output)
    loaded = load(plan, today, result.notes)
    output = result.write_into(output, stem(loaded.plan.plan.id, "lich") + ".ics")
    previous, problem = previous_calendar(output, loaded.plan, loaded.reads)
    if problem is not None:
        result.notes.append(Note(*problem))
    stamp = now or dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    result.text = build_calendar(loaded.plan, lang, body, now=stamp, previous=previous, alarm=alarm)
    result.reads = loaded.reads
    return result


def log(plan: Path | None, today: dt.date, task: str, entry: dict[str, Any]) -> Result:
    """`kehoach log`: one progress entry recorded in the plan (`entry` as `progress_entry` makes
    it), every other byte untouched; or a KehoachError saying why not."""
    from kehoach.life.log import append_progress

    result = Result()
    path = choose_plan(plan, today, result.notes)
    if entry["date"] > today:  # progress is what was done: as `collect` refuses a form's row dated ahead
        from kehoach.base.vndates import date_param

        raise UsageError("log-future-date", {"date": date_param(entry["date"]), "today": date_param(today)})
    done = append_progress(path, task, entry)
    written = done.entry
    what = done.task_id + "".join(f" ({v})" for v in (written.get("body"), written.get("occurrence")) if v)
    if written.get("percent") is not None:
        what += f": {written['percent']}%"
    result.after.append(Note("logged", {"what": what, "where": f"{path}:{done.inserted_at}"}))
    result.value = done
    return result


def request(plan: Path | None, today: dt.date, period: str, as_of: dt.date | None = None, body: str | None = None,
            output: str | None = None, due: dt.date | None = None, force: bool = False, draft: bool = False,
            lang: str = "vi", contact: str | None = None, letter: str | None = None) -> Result:
    """`kehoach request`: a signed Excel return form for each body with work in the period;
    `contact` (the person to ask) and `letter` (the cover letter's number) printed on each."""
    from kehoach.life.forms import key_path, make_requests
    from kehoach.life.forms.keys import add_to_ledger, key_unignored

    day = as_of or today
    result = Result()
    loaded = load(plan, today, result.notes, document=True, draft=draft, as_of=day, revision=False, source=True,
                  given=as_of is not None)
    key = key_path(loaded.path)
    had_key = key.exists()
    made = make_requests(loaded.path, period, day, output or ".", due, body, force, lang, loaded.source, contact,
                         letter)
    from kehoach.base.files import plan_lock

    with plan_lock(Path(loaded.path)):  # the list is read, added to and written whole: one at a time
        noted = add_to_ledger(loaded.path, [{"plan": loaded.plan.plan.id, "body": form.body_id,
                                             "period": form.span.code, "requested": today.isoformat(),
                                             "file": path.name} for form, path in made])
    if made and not noted:
        from kehoach.life.forms.keys import ledger_path

        result.after.append(Note("request-ledger-unwritten", {"path": str(ledger_path(loaded.path))}))
    if not had_key:
        result.after.append(Note("form-key-made", {"path": str(key)}))
    if key_unignored(key):
        result.after.append(Note("form-key-not-ignored", {"path": str(key), "name": key.name}))
    result.after.append(Note("request-made", {"n": len(made), "folder": str(Path(output or "."))}))
    result.after += [Note("request-form", {"body": form.body_name, "rows": len(form.rows), "path": str(path)})
                     for form, path in made]
    result.after += [Note("request-shared-form", {"body": form.body_name}) for form, _ in made if form.shared]
    result.value = made
    return result


FORM_SUFFIXES = (".xlsx", ".ods")


def form_files(given: Sequence[Path]) -> list[str | os.PathLike[str]]:
    """The forms to collect: each file given, and the workbooks of each folder given (the mail's
    folder: .xlsx and .ods, in name order; not a program's lock or temporary file)."""
    out: list[str | os.PathLike[str]] = []
    for path in given:
        if not path.is_dir():
            out.append(path)
            continue
        inside = sorted(p for p in path.iterdir() if p.suffix.lower() in FORM_SUFFIXES and p.is_file()
                        and not p.name.startswith(("~$", ".~lock", ".")))
        if not inside:
            raise UsageError("collect-empty-folder", {"path": str(path)})
        out += inside
    return out


def collect(plan: Path | None, today: dt.date, files: Sequence[Path], as_of: dt.date | None = None,
            partial: bool = False, dry_run: bool = False, allow_unsigned: bool = False, fmt: str = "text",
            lang: str = "vi") -> Result:
    """`kehoach collect`: the filled return forms recorded as progress; exit 1 when rows were
    refused and nothing written, 4 when written with refusals."""
    from kehoach.base.text import json_text
    from kehoach.life.forms import collect as collect_forms
    from kehoach.life.forms import collect_json, format_collect

    result = Result()
    path = choose_plan(plan, today, result.notes)
    found = collect_forms(path, form_files(files), as_of or today, partial, dry_run, allow_unsigned)
    result.text = json_text(collect_json(found, lang)) if fmt == "json" else format_collect(found, lang)
    result.value = found
    if found.refused:
        result.exit_code = EXIT_PARTIAL if found.written else EXIT_FAIL
    return result


def diff(old: str, new: str, fmt: str = "text", exit_code: bool = False, output: str | None = None,
         lang: str = "vi") -> Result:
    """`kehoach diff`: what an amendment changed, by task id; exit 1 with `exit_code` when anything did.
    `docx`: the amendment's appendix as a Word file, written to `output` or, without it, to
    `<plan>-phu-luc-sua-doi.docx` in the current folder (as `report` names its files)."""
    from kehoach.base.text import json_text, stem
    from kehoach.life.diff import compare_versions, diff_docx, diff_json, diff_markdown, diff_text

    found = compare_versions(old, new)
    name = stem(found.new.plan.id if found.new is not None else "kehoach", "phu-luc-sua-doi")
    result = Result(value=found, reads=tuple(p for p in (old, new) if Path(p).is_file()),
                    exit_code=EXIT_FAIL if exit_code and not found.empty else 0)
    result.write_into(output, name + {"docx": ".docx", "json": ".json", "markdown": ".md"}.get(fmt, ".txt"))
    if fmt == "docx":
        result.text = diff_docx(found, lang)
        if result.output is None:
            result.output = name + ".docx"
    else:
        result.text = json_text(diff_json(found)) if fmt == "json" else (
            diff_markdown if fmt == "markdown" else diff_text)(found, lang)
    return result


def init(plan: Path | None, today: dt.date, year: int, source: Path | None = None, output: str | None = None,
         force: bool = False, lang: str = "vi") -> Result:
    """`kehoach init`: next year's plan, unfinished work carried over, written beside this one."""
    from kehoach.life.nextyear import make_next_year

    result = Result()
    origin = source or choose_plan(plan, today, result.notes)
    target = None if output == "-" else Path(output) if output is not None else origin.with_name(f"{year}.yaml")
    kept: list[str] = []
    path, carried, fill, made = make_next_year(origin, year, target, force, lang, kept)
    if path is None:
        result.text = made
    result.after.append(Note("init-made", {"year": year, "path": str(path or "-"), "carried": carried, "fill": fill}))
    if kept:  # one-off work done last year, left in the plan with a note: to keep (done again) or delete
        result.after.append(Note("init-done-kept", {"n": len(kept), "ids": ", ".join(kept), "year": year}))
    result.value = path
    return result


def import_plan(source: Path, output: str | None = None, bodies: Path | None = None, force: bool = False,
                lang: str = "vi") -> Result:
    """`kehoach import`: a draft plan from a Word, Markdown, PDF or text file, each guess commented;
    a draft that does not validate is written all the same, its problems listed, exit 4."""
    from kehoach.life.importer import import_document
    from kehoach.outputs.documents import refuse_target

    target = None if output == "-" else Path(output) if output is not None else source.with_suffix(".yaml")
    refuse_target(target, [source, bodies], writes_yaml=True)  # the one output guard: the catalogue read too
    found = import_document(source, target, bodies, lang, force)
    result = Result(value=found)
    if target is None:
        result.text = found.yaml
    result.after.append(Note("import-made", {
        "path": str(target or "-"), "placed": found.placed, "total": found.total,
        "percent": round(100 * found.placed / found.total) if found.total else 0,
        "unplaced": len(found.unplaced), **found.counts}))
    if found.revisions:  # Word's tracked changes: the draft follows the text as if they were accepted
        result.after.append(Note("import-revisions", {"n": found.revisions, "path": str(source)}))
    if found.problems:  # written as a draft all the same: its problems listed, exit 4 says so
        if not found.counts.get("tasks"):  # an empty file, a letter: said in words, not as the draft's keys
            result.after.append(Note("import-no-tasks", {"path": str(source)}))
        for d in found.problems[:20] if found.counts.get("tasks") else []:
            result.after.append(Note("import-problem", {"where": d.where(), "message": d.message(lang)}))
        result.after.append(Note("import-written-invalid", {"path": str(target or "-"), "n": len(found.problems)}))
        result.exit_code = EXIT_PARTIAL
    return result

