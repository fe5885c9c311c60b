"""The command line: parses options, calls the library once, prints. Nothing else.

Heavy modules (pydantic models, ruamel, jinja2, document writers) are imported
inside the commands that need them. Every error the user can fix is a
`KehoachError`, printed in one place (`main`) in the user's language; the
language is read from the command line (`--lang`, else $KEHOACH_LANG) before
the options are parsed, so that click's own messages and `--help` speak it too.
Help texts are catalogue keys (`@opt.plan` → `help.opt.plan`), worded when a
help page is shown.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from kehoach.base.errors import EXIT_FAIL, EXIT_PARTIAL, EXIT_USAGE, KehoachError, UsageError

if TYPE_CHECKING:
    import datetime as dt

    from kehoach.plan.model import Plan
    from kehoach.views.context import Context

EXIT_OK = 0


# A click context is typed `Any`: which click typer hands over depends on its version (recent ones
# carry their own copy, `typer._click`, whose classes are not public).
def _ctx_lang(ctx: Any) -> str:
    obj = ctx.find_root().obj
    return str(obj.get("lang", "vi")) if isinstance(obj, dict) else "vi"


def _worded(cmd: typer.core.TyperCommand | typer.core.TyperGroup, lang: str) -> None:
    """Replace the help keys of a command (and of the commands of a group) by their words."""
    from kehoach.base.messages import text

    def word(value: str | None) -> str | None:
        return text("help." + value[1:], lang) if isinstance(value, str) and value.startswith("@") else value

    cmd.help = word(cmd.help)
    for param in cmd.params:
        if hasattr(param, "help"):
            param.help = word(param.help)
    for sub in getattr(cmd, "commands", {}).values():
        sub.help = word(sub.help)
        sub.short_help = word(sub.short_help)


class _Command(typer.core.TyperCommand):
    """A command whose help page speaks the user's language."""

    def get_help(self, ctx: Any) -> str:
        from kehoach.cli.clicktext import help_text

        _worded(self, _ctx_lang(ctx))
        return help_text(super().get_help(ctx), _ctx_lang(ctx))


class _Group(typer.core.TyperGroup):
    def get_help(self, ctx: Any) -> str:
        from kehoach.cli.clicktext import help_text

        _worded(self, _ctx_lang(ctx))
        return help_text(super().get_help(ctx), _ctx_lang(ctx))


app = typer.Typer(
    name="kehoach",
    help="@cmd.kehoach",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def today() -> dt.date:
    """The clock is read here, at the edge, and passed in: never inside the library."""
    import datetime as dt

    return dt.date.today()


def _version(value: bool) -> None:
    if value:
        from kehoach import __version__

        sys.stdout.write(f"kehoach {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="@opt.version", callback=_version, is_eager=True)] = False,
) -> None:
    pass


def _output_name(value: str | None) -> str | None:
    """`-o /dev/stdout` is `-o -`: standard output, never a file put in its place."""
    from kehoach.outputs.targets import STDOUT_NAMES

    return "-" if value in STDOUT_NAMES else value


PlanOpt = Annotated[Path | None, typer.Option("--plan", "-p", help="@opt.plan")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="@opt.lang")]
OutputOpt = Annotated[str | None, typer.Option("-o", "--output", help="@opt.output", callback=_output_name)]
TemplatesOpt = Annotated[Path | None, typer.Option("--templates", help="@opt.templates")]
FormatsOpt = Annotated[str, typer.Option("--format", "-f", help="@opt.formats")]
BodyOpt = Annotated[str | None, typer.Option("--body", help="@opt.body")]
DraftOpt = Annotated[bool, typer.Option("--draft", help="@opt.draft")]


# ---------------------------------------------------------------- options and printing


def _lang(lang: str | None) -> str:
    """The language of `--lang` (checked), else $KEHOACH_LANG, else Vietnamese."""
    from kehoach.base.messages import is_lang, resolve_lang

    if lang and not is_lang(lang):
        raise UsageError("usage-lang", {"value": lang})
    return resolve_lang(lang)


def _err(line: str) -> None:
    """A line (or lines) for the user on standard error; control characters that plan text
    brings are shown as escapes (textutil.visible), never sent to the terminal."""
    from kehoach.base.text import visible

    sys.stderr.write(visible(line.rstrip("\n")) + "\n")


def _say(key: str, lang: str, **params: object) -> None:
    from kehoach.base.messages import text

    _err(text(key, lang, **params))


def _plan_path(plan: Path | None, lang: str | None = None) -> Path:
    """The plan a command reads; when it chose one among several in ./plans, it says which."""
    from kehoach.base.settings import current
    from kehoach.plan.discovery import choose_plan

    found, among = choose_plan(plan, current().plan, Path.cwd(), today())
    if found is None:
        raise UsageError("no-plan", {"looked": str(Path.cwd() / "plans")})
    if among:
        from kehoach.base.messages import resolve_lang

        _say("plan-chosen", lang or resolve_lang(None), path=str(found), n=len(among),
             others=", ".join(p.name for p in among if p != found))
    return found


class _Loaded(NamedTuple):
    """A plan file that loaded without errors."""

    path: str
    plan: Plan
    catalogues: tuple[str, ...] = ()  # the body catalogues it reads: never an output either

    @property
    def reads(self) -> tuple[str, ...]:
        return (self.path, *self.catalogues)


def _load(plan: Path | None, lang: str, document: bool = False, draft: bool = False) -> _Loaded:
    """The plan, valid; its problems printed (exit 1, or 2 when it cannot be read) otherwise.
    A `document` to send is not made from a plan with blanks left to fill (`to-fill`: a draft
    from `init` or `import`) unless asked for as a `draft`."""
    from kehoach.base.diagnostics import format_text
    from kehoach.plan.loader import load_plan

    loaded = load_plan(_plan_path(plan, lang), workdays=False)
    if loaded.catalogue:
        raise UsageError("catalogue-not-plan", {"path": loaded.path})
    if not loaded.ok:
        result = loaded.result()
        _err(format_text(result, lang, summary=False))
        raise typer.Exit(EXIT_USAGE if result.unreadable else EXIT_FAIL)
    blanks = [d for d in loaded.diagnostics if d.code == "to-fill"]
    if document and blanks and not draft:
        from kehoach.base.diagnostics import CheckResult

        _err(format_text(CheckResult(blanks, [loaded.path]), lang, summary=False))
        raise UsageError("plan-has-blanks", {"path": loaded.path, "n": len(blanks)})
    assert loaded.plan is not None  # `ok`: the plan is valid
    return _Loaded(loaded.path, loaded.plan, tuple(loaded.catalogues))


def _date(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD option inside the years a plan may name, or None."""
    import datetime as dt

    from kehoach.base.periods import MAX_YEAR, MIN_YEAR

    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UsageError("bad-date-option", {"option": name, "value": value})
    return day


def _as_of_note(plan: Plan, day: dt.date, lang: str) -> None:
    """A note on standard error when the as-of date lies outside the plan period."""
    from kehoach.base.vndates import date_param

    info = plan.plan.period
    if not info.start <= day <= info.end:
        _say("as-of-outside-plan", lang, date=date_param(day), start=date_param(info.start),
             end=date_param(info.end))


def _codes(values: list[str] | None, name: str) -> list[str]:
    from kehoach.views.statusview import check_statuses

    return check_statuses([c.strip() for v in values or [] for c in v.split(",") if c.strip()], name)


def _choice(value: str, allowed: list[str], name: str) -> str:
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest

    if value not in allowed:
        raise UsageError("bad-choice-option", {"option": name, "value": value, "allowed": ", ".join(allowed),
                                               "suggest": did_you_mean(suggest(value, allowed))})
    return value


def _int(value: str | None, low: int, high: int, name: str) -> int | None:
    """A whole number option between `low` and `high`, or None."""
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise UsageError("bad-number-option", {"option": name, "value": value}) from None
    if not low <= number <= high:
        raise UsageError("number-option", {"option": name, "value": number, "low": low, "high": high})
    return number


def _write(data: bytes | str, output: str | None, lang: str, *reads: str | Path | None) -> None:
    """Standard output for None or '-', else the file (atomically; never a file read)."""
    from kehoach.outputs.targets import STDOUT_NAMES, refuse_target, write

    target = None if output is None or output in STDOUT_NAMES else Path(output)
    refuse_target(target, list(reads))
    write(data.encode("utf-8") if isinstance(data, str) else data, target)
    if target is not None:
        _say("wrote", lang, path=str(target))


def _emit(kind: str, contexts: Sequence[tuple[str, Context]], formats: str, output: str | None, loaded: _Loaded,
          templates: Path | None, lang: str, folder: bool = False, reads: Sequence[Path] = ()) -> None:
    """Write the documents; a progress bar on a terminal, and each file named as it is written."""
    from kehoach.outputs.documents import plan_jobs, write_documents
    from kehoach.outputs.render import template_dirs, unused_templates, user_templates
    from kehoach.outputs.targets import progress

    total = len(plan_jobs(kind, contexts, formats, output, folder))
    chosen = user_templates(templates)
    if chosen is not None:
        template_dirs(chosen)  # a folder that is not there is an error before anything is said
        _say("templates-used", lang, path=str(chosen))
    beside = unused_templates(loaded.path, templates)
    if beside is not None:
        _say("templates-beside-unused", lang, path=str(beside))
    with progress(total, kind) as bar:
        task = bar.add_task(kind, total=total)
        for target in write_documents(kind, contexts, formats, output, plan_path=loaded.path, templates=templates,
                                      folder=folder, reads=[*loaded.catalogues, *reads]):
            bar.advance(task)
            if target is not None:
                _say("wrote", lang, path=str(target))


# ---------------------------------------------------------------- commands


@app.command(cls=_Command, help="@cmd.check")
def check(
    plans: Annotated[list[Path] | None, typer.Argument(help="@opt.check.plans", show_default=False)] = None,
    plan: PlanOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="@opt.strict")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="@opt.fix")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="@opt.check.format")] = "text",
    lang: LangOpt = None,
) -> None:
    from kehoach.base.diagnostics import REPORTERS
    from kehoach.plan.loader import check_files

    lang = _lang(lang)
    fmt = _choice(fmt, list(REPORTERS), "--format")
    paths = list(plans or []) + ([plan] if plan is not None and plans else [])
    if fix:
        from kehoach.life.migrate import fix_bodies

        for path in paths or [_plan_path(plan, lang)]:
            done = fix_bodies(path)
            _say("fix-done", lang, path=str(path), n=len(done.fixed), unsure=len(done.unsure))
            for f in done.fixed:
                _say("fix-line", lang, path=str(path), line=f.line, id=f.task, by=f.by, body=f.body)
            for u in done.unsure:
                _say(f"fix-unsure.{u.reason}", lang, path=str(path), line=u.line, id=u.task, by=u.by, body=u.body)
            for (lead, body), n in sorted(done.for_lead.items(), key=lambda item: -item[1]):
                _say("fix-standing", lang, body=body, lead=lead, n=n)
    result = check_files(paths or [_plan_path(plan, lang)], strict)
    _write(REPORTERS[fmt](result, lang), "-", lang)
    raise typer.Exit(result.exit_code())


@app.command(cls=_Command, help="@cmd.schema")
def schema(
    markdown: Annotated[bool, typer.Option("--markdown", help="@opt.markdown")] = False,
    catalogue: Annotated[bool, typer.Option("--catalogue", help="@opt.catalogue")] = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.plan.schema import format_reference, json_schema_text

    lang = _lang(lang)
    _write(format_reference() if markdown else json_schema_text(catalogue), output, lang)


PathsArg = Annotated[list[Path] | None, typer.Argument(help="@opt.rollup.paths", show_default=False)]


def _rollup(paths: list[Path] | None, plan: Path | None) -> list[Path] | None:
    """The plan files of a roll-up (several files, or a folder), or None for one plan."""
    from kehoach.judge.rollup import find_plans

    given = list(paths or [])
    if not given or (len(given) == 1 and not given[0].is_dir() and plan is None):
        return None
    if plan is not None:
        given.insert(0, plan)
    return find_plans(given)


@app.command(cls=_Command, help="@cmd.status")
def status(
    paths: PathsArg = None,
    plan: PlanOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    soon: Annotated[str, typer.Option("--soon", help="@opt.soon")] = "14",
    by: Annotated[str | None, typer.Option("--by", help="@opt.by")] = None,
    body: BodyOpt = None,
    status_: Annotated[list[str] | None, typer.Option("--status", help="@opt.status")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="@opt.status.format")] = "table",
    fail_on: Annotated[list[str] | None, typer.Option("--fail-on", help="@opt.fail-on")] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.judge.scope import select
    from kehoach.judge.status import compute_status
    from kehoach.outputs.terminal import plan_status_text

    lang = _lang(lang)
    fmt = _choice(fmt, ["table", "json", "markdown"], "--format")
    soon_days = _int(soon, 0, 365, "--soon") or 0
    if by is not None and by not in ("body", "objective", "status"):
        raise UsageError("bad-by-option", {"value": by})
    day = _date(as_of, "--as-of") or today()
    statuses, fail_codes = _codes(status_, "--status"), _codes(fail_on, "--fail-on")
    many = _rollup(paths, plan)
    if many is not None:
        _status_rollup(many, day, soon_days, body, fmt, output, lang, bool(statuses or by or fail_codes))
        return
    if paths:
        plan = paths[0]
    loaded = _load(plan, lang)
    _as_of_note(loaded.plan, day, lang)
    ps = compute_status(loaded.plan, day, soon_days)
    console = None
    if fmt == "table" and output in (None, "-"):
        from kehoach.outputs.terminal import make_console

        console = make_console()
    rows, out = plan_status_text(ps, fmt, lang, select(ps.schedule, None, body), statuses, by, str(loaded.path), console)
    if console is None:
        _write(out, output, lang, *loaded.reads)
    if fail_codes and any(r.status in fail_codes for r in rows):
        raise typer.Exit(EXIT_FAIL)


def _status_rollup(files: list[Path], day: dt.date, soon_days: int, body: str | None, fmt: str,
                   output: str | None, lang: str, filtered: bool) -> None:
    from kehoach.judge.rollup import load_plans, rollup_status
    from kehoach.outputs.terminal import rollup_status_text

    if filtered:
        raise UsageError("rollup-options")
    from kehoach.base.vndates import date_param

    plans = load_plans(files)
    for item in plans:
        info = item.plan.plan.period
        if not info.start <= day <= info.end:
            _say("rollup-as-of-outside", lang, date=date_param(day), id=item.plan.plan.id,
                 start=date_param(info.start), end=date_param(info.end))
    result = rollup_status(plans, day, soon_days, body)
    console = None
    if fmt == "table" and output in (None, "-"):
        from kehoach.outputs.terminal import make_console

        console = make_console()
    out = rollup_status_text(result, fmt, lang, console)
    if console is None:
        _write(out, output, lang, *files, *(c for p in plans for c in p.catalogues))


@app.command(cls=_Command, help="@cmd.report")
def report(
    paths: PathsArg = None,
    plan: PlanOpt = None,
    period: Annotated[str | None, typer.Option("--period", help="@opt.period")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="@opt.from")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="@opt.to")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="@opt.topic")] = None,
    body: BodyOpt = None,
    fmt: FormatsOpt = "md",
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-period-end")] = None,
    number: Annotated[str | None, typer.Option("--number", help="@opt.number")] = None,
    templates: TemplatesOpt = None,
    draft: DraftOpt = False,
    lang: LangOpt = None,
) -> None:
    from kehoach.base.text import stem
    from kehoach.judge.scope import report_span
    from kehoach.views.reportview import build_report

    lang = _lang(lang)
    start, end, day = _date(date_from, "--from"), _date(date_to, "--to"), _date(as_of, "--as-of")
    many = _rollup(paths, plan)
    if many is not None:
        if topic or body:
            raise UsageError("rollup-options")
        _report_rollup(many, period, start, end, day, number, fmt, output, templates, lang)
        return
    if paths:
        plan = paths[0]
    loaded = _load(plan, lang, document=True, draft=draft)
    span = report_span(loaded.plan, period, start, end, (day or today()) if topic else None)
    if day is not None:
        _as_of_note(loaded.plan, day, lang)
    ctx = build_report(loaded.plan, span, day, lang, topic, number, body=body)
    name = stem(loaded.plan.plan.id, "bao-cao", span.code, ctx.topic["id"] if ctx.topic else "", "-".join(ctx.body_ids))
    _emit("report", [(name, ctx)], fmt, output, loaded, templates, lang)


def _report_rollup(files: list[Path], period: str | None, start: dt.date | None, end: dt.date | None,
                   day: dt.date | None, number: str | None, fmt: str, output: str | None, templates: Path | None,
                   lang: str) -> None:
    from kehoach.base.text import stem
    from kehoach.judge.rollup import load_plans, rollup_period
    from kehoach.views.rollupview import build_rollup_report

    plans = load_plans(files)
    periods = rollup_period(plans, period, start, end, day)
    ctx = build_rollup_report(periods, lang, number)
    name = stem(plans[0].plan.plan.id, "tong-hop", periods[0].span.code)
    _emit("rollup", [(name, ctx)], fmt, output, _Loaded(plans[0].path, plans[0].plan), templates, lang,
          reads=[*files, *(Path(c) for p in plans for c in p.catalogues)])


@app.command(cls=_Command, help="@cmd.checklist")
def checklist(
    plan: PlanOpt = None,
    body: BodyOpt = None,
    per_body: Annotated[bool, typer.Option("--per-body", help="@opt.per-body")] = False,
    fmt: FormatsOpt = "md",
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    templates: TemplatesOpt = None,
    draft: DraftOpt = False,
    lang: LangOpt = None,
) -> None:
    from kehoach.views.reportview import checklists

    lang = _lang(lang)
    day = _date(as_of, "--as-of") or today()
    if per_body and body:
        raise UsageError("per-body-and-body")
    if per_body and output == "-":
        raise UsageError("per-body-folder")
    loaded = _load(plan, lang, document=True, draft=draft)
    _as_of_note(loaded.plan, day, lang)
    contexts = checklists(loaded.plan, day, lang, body, per_body)
    _emit("checklist", contexts, fmt, output, loaded, templates, lang, folder=per_body)


@app.command(cls=_Command, help="@cmd.remind")
def remind(
    plan: PlanOpt = None,
    body: BodyOpt = None,
    fmt: FormatsOpt = "md,html,docx",
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    soon: Annotated[str, typer.Option("--soon", help="@opt.soon")] = "14",
    reply_by: Annotated[str | None, typer.Option("--reply-by", help="@opt.reply-by")] = None,
    number: Annotated[str | None, typer.Option("--number", help="@opt.number")] = None,
    templates: TemplatesOpt = None,
    draft: DraftOpt = False,
    lang: LangOpt = None,
) -> None:
    from kehoach.views.letters import build_reminders

    lang = _lang(lang)
    day = _date(as_of, "--as-of") or today()
    soon_days = _int(soon, 0, 365, "--soon") or 0
    if output == "-":
        raise UsageError("remind-folder")
    loaded = _load(plan, lang, document=True, draft=draft)
    _as_of_note(loaded.plan, day, lang)
    letters, routes = build_reminders(loaded.plan, day, soon_days, lang, body, _date(reply_by, "--reply-by"),
                                      number)
    if not letters:
        from kehoach.base.vndates import date_param

        _say("remind-none", lang, date=date_param(day))
        return
    _emit("remind", letters, fmt, output, loaded, templates, lang, folder=True)
    _say("remind-routes", lang, n=len(routes))
    for r in routes:
        _say("remind-route-internal" if r.internal else "remind-route", lang, id=r.task_id,
             occurrence=f" ({r.occurrence})" if r.occurrence else "", status=r.status, owing=r.owing, to=r.to,
             file=r.stem)


@app.command(cls=_Command, help="@cmd.export")
def export(
    plan: PlanOpt = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="@opt.export.format")] = None,
    output: OutputOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    body: BodyOpt = None,
    status_: Annotated[list[str] | None, typer.Option("--status", help="@opt.status")] = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.judge.scope import select
    from kehoach.judge.status import compute_status
    from kehoach.outputs.export import FORMATS
    from kehoach.outputs.export import export as export_table

    lang = _lang(lang)
    suffix = Path(output).suffix.lstrip(".").lower() if output not in (None, "-") else ""
    fmt = _choice(fmt or (suffix if suffix in FORMATS else "csv"), list(FORMATS), "--format")
    if fmt == "xlsx" and output in (None, "-"):
        raise UsageError("export-xlsx-file")
    day = _date(as_of, "--as-of") or today()
    loaded = _load(plan, lang)
    _as_of_note(loaded.plan, day, lang)
    ps = compute_status(loaded.plan, day)
    data = export_table(ps, fmt, lang, str(loaded.path), select(ps.schedule, None, body),
                        _codes(status_, "--status"))
    _write(data, output, lang, *loaded.reads)


@app.command(cls=_Command, help="@cmd.calendar")
def calendar(
    plan: PlanOpt = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help="@opt.calendar.output",
                                               callback=_output_name)] = None,
    body: Annotated[str | None, typer.Option("--body", help="@opt.calendar.body")] = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.outputs.calendar import build_calendar

    lang = _lang(lang)
    loaded = _load(plan, lang)
    _write(build_calendar(loaded.plan, lang, body), output, lang, *loaded.reads)


@app.command(cls=_Command, help="@cmd.log")
def log(
    task: Annotated[str, typer.Argument(help="@opt.task", metavar="TASK")],
    plan: PlanOpt = None,
    percent: Annotated[str | None, typer.Option("--percent", help="@opt.percent")] = None,
    done: Annotated[bool, typer.Option("--done", help="@opt.done")] = False,
    note: Annotated[str | None, typer.Option("--note", "-m", help="@opt.note")] = None,
    date: Annotated[str | None, typer.Option("--date", help="@opt.date")] = None,
    evidence: Annotated[str | None, typer.Option("--evidence", help="@opt.evidence")] = None,
    body: Annotated[str | None, typer.Option("--body", help="@opt.log.body")] = None,
    joint: Annotated[bool, typer.Option("--joint", help="@opt.joint")] = False,
    by: Annotated[str | None, typer.Option("--by", help="@opt.reported-by")] = None,
    kind: Annotated[str, typer.Option("--kind", help="@opt.kind")] = "result",
    occurrence: Annotated[str | None, typer.Option("--occurrence", help="@opt.occurrence")] = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.life.log import append_progress, progress_entry

    lang = _lang(lang)
    kind = _choice(kind, ["result", "difficulty", "proposal"], "--kind")
    entry = progress_entry(day=_date(date, "--date") or today(), note=note, percent=_int(percent, 0, 100, "--percent"),
                           done=done, kind=kind, body=body, by=by, evidence=evidence, occurrence=occurrence,
                           joint=joint)
    path = _plan_path(plan, lang)
    result = append_progress(path, task, entry)
    written = result.entry
    what = result.task_id + "".join(f" ({v})" for v in (written.get("body"), written.get("occurrence")) if v)
    if written.get("percent") is not None:
        what += f": {written['percent']}%"
    _say("logged", lang, what=what, where=f"{path}:{result.inserted_at}")


@app.command("request", cls=_Command, help="@cmd.request")
def request(
    period: Annotated[str, typer.Option("--period", help="@opt.period")],
    plan: PlanOpt = None,
    body: BodyOpt = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help="@opt.request-output")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    due: Annotated[str | None, typer.Option("--due", help="@opt.due")] = None,
    force: Annotated[bool, typer.Option("--force", help="@opt.force")] = False,
    draft: DraftOpt = False,
    lang: LangOpt = None,
) -> None:
    from kehoach.life.forms import make_requests

    lang = _lang(lang)
    day = _date(as_of, "--as-of") or today()
    loaded = _load(plan, lang, document=True, draft=draft)
    _as_of_note(loaded.plan, day, lang)
    from kehoach.life.forms import key_path

    had_key = key_path(loaded.path).exists()
    made = make_requests(loaded.path, period, day, output or ".", _date(due, "--due"), body, force, lang)
    if not had_key:
        _say("form-key-made", lang, path=str(key_path(loaded.path)))
    _say("request-made", lang, n=len(made), folder=str(Path(output or ".")))
    for form, path in made:
        _say("request-form", lang, body=form.body_name, rows=len(form.rows), path=str(path))


@app.command("collect", cls=_Command, help="@cmd.collect")
def collect(
    files: Annotated[list[Path], typer.Argument(help="@opt.collect.files", metavar="FILE")],
    plan: PlanOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="@opt.dry-run")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="@opt.partial")] = False,
    allow_unsigned: Annotated[bool, typer.Option("--allow-unsigned", help="@opt.allow-unsigned")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="@opt.collect.format")] = "text",
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.life.forms import collect as collect_forms
    from kehoach.life.forms import collect_json, format_collect

    lang = _lang(lang)
    fmt = _choice(fmt, ["text", "json"], "--format")
    result = collect_forms(_plan_path(plan, lang), list(files), _date(as_of, "--as-of") or today(), partial, dry_run,
                           allow_unsigned)
    if fmt == "json":
        from kehoach.base.text import json_text

        _write(json_text(collect_json(result, lang)), None, lang)
    else:
        _write(format_collect(result, lang), None, lang)
    if result.refused:
        raise typer.Exit(EXIT_PARTIAL if result.written else EXIT_FAIL)


@app.command("diff", cls=_Command, help="@cmd.diff")
def diff(
    old: Annotated[str, typer.Argument(help="@opt.diff.old", metavar="OLD")],
    new: Annotated[str, typer.Argument(help="@opt.diff.new", metavar="NEW")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="@opt.diff.format")] = "text",
    exit_code: Annotated[bool, typer.Option("--exit-code", help="@opt.exit-code")] = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    from kehoach.life.diff import compare_versions, diff_json, format_markdown, format_text

    lang = _lang(lang)
    fmt = _choice(fmt, ["text", "markdown", "json"], "--format")
    result = compare_versions(old, new)
    if fmt == "json":
        from kehoach.base.text import json_text

        out = json_text(diff_json(result))
    else:
        out = (format_markdown if fmt == "markdown" else format_text)(result, lang)
    _write(out, output, lang, *(p for p in (old, new) if Path(p).is_file()))
    if exit_code and not result.empty:
        raise typer.Exit(EXIT_FAIL)


@app.command("init", cls=_Command, help="@cmd.init")
def init(
    year: Annotated[str, typer.Option("--year", help="@opt.year")],
    source: Annotated[Path | None, typer.Option("--from", help="@opt.from")] = None,
    plan: PlanOpt = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="@opt.force")] = False,
    lang: LangOpt = None,
) -> None:
    from kehoach.life.nextyear import make_next_year

    lang = _lang(lang)
    new_year = _int(year, 1900, 2200, "--year")
    assert new_year is not None
    origin = source or _plan_path(plan, lang)
    target = None if output == "-" else Path(output) if output is not None else origin.with_name(f"{new_year}.yaml")
    path, carried, fill, made = make_next_year(origin, new_year, target, force, lang)
    if path is None:
        _write(made, "-", lang)
    _say("init-made", lang, year=new_year, path=str(path or "-"), carried=carried, fill=fill)


@app.command("import", cls=_Command, help="@cmd.import")
def import_(
    source: Annotated[Path, typer.Argument(help="@opt.import.source", metavar="SOURCE")],
    output: OutputOpt = None,
    bodies: Annotated[Path | None, typer.Option("--bodies", help="@opt.bodies")] = None,
    force: Annotated[bool, typer.Option("--force", help="@opt.force")] = False,
    lang: LangOpt = None,
) -> None:
    from kehoach.life.importer import import_document

    lang = _lang(lang)
    target = None if output == "-" else Path(output) if output is not None else source.with_suffix(".yaml")
    result = import_document(source, target, bodies, lang, force)
    if target is None:
        _write(result.yaml, "-", lang)
    _say("import-made", lang, path=str(target or "-"), placed=result.placed, total=result.total,
         percent=round(100 * result.placed / result.total) if result.total else 0,
         unplaced=len(result.unplaced), **result.counts)


# ---------------------------------------------------------------- entry point


def _show(exc: KehoachError, lang: str) -> None:
    """One error: its message, its hint, and the diagnostics behind it (with `log`'s own hints)."""
    from kehoach.base.messages import has, render
    from kehoach.base.text import visible

    _err(f"kehoach: {exc.message(lang)}")
    hint = exc.hint(lang)
    if hint:
        _err("\n".join(f"    {line}" for line in hint.splitlines() if line.strip()))
    for d in exc.diagnostics:
        own = render(f"log-hint-{d.code}", "message", d.params, lang) if (
            exc.code == "log-invalid" and has(f"log-hint-{d.code}", lang)) else ""
        tip = own or d.hint(lang)
        where = f"{d.where()}: " if d.file else ""
        _err(visible(f"  - {where}{d.message(lang)}", newlines=False)
             + (f"\n    {visible(tip, newlines=False)}" if tip else ""))


def _argv_lang(argv: list[str]) -> str:
    """The language asked for on the command line (or by KEHOACH_LANG), before the options are
    parsed, so that click's own messages and the help speak it; a wrong --lang is reported in the
    default language."""
    from kehoach.base.messages import is_lang, resolve_lang

    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return resolve_lang(value) if is_lang(value) else resolve_lang(None)
    return resolve_lang(None)


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes a message and an exit code, never a traceback."""
    from kehoach.base.settings import Settings, using

    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings.from_env(os.environ)  # the environment, read once, here
    if "--no-cache" in args:  # any command: read every plan afresh (kehoach.plan.cache)
        settings = settings.without_cache()
        args = [a for a in args if a != "--no-cache"]
    with using(settings):
        return _run(args)


def _run(args: list[str]) -> int:
    lang = _argv_lang(args)
    streams = sys.stdout, sys.stderr
    try:
        rv = app(args=args, prog_name="kehoach", standalone_mode=False, obj={"lang": lang})
        sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
    except OSError as exc:  # the standard output, or a file the command did not expect to fail
        return _os_error(exc, lang)
    except KehoachError as exc:
        _show(exc, lang)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # typer met a closed pipe (EPIPE)
            sys.stdout, sys.stderr = streams
            return _os_error(BrokenPipeError(errno.EPIPE, "broken pipe"), lang)
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    except KeyboardInterrupt:
        _show(KehoachError("interrupted"), lang)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard against a traceback
        if type(exc).__name__ == "NoArgsIsHelpError":  # `kehoach` alone: the help page
            _err(exc.ctx.get_help())  # type: ignore[attr-defined]
            return EXIT_USAGE
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            from kehoach.cli.clicktext import usage_error

            error = usage_error(exc, lang)  # click's parsing errors, in the user's language
            _show(error, lang)
            return error.exit_code
        if type(exc).__name__ == "Abort":
            return EXIT_FAIL
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        _show(KehoachError("internal-error", {"detail": f"{type(exc).__name__}: {exc}"}), lang)
        return 3
    return rv if isinstance(rv, int) else EXIT_OK


def _os_error(exc: OSError, lang: str) -> int:
    """A failure of the system, said in words (exit 2): the standard output closed early
    (quietly, as `head` expects of a command it cuts short), full, or a file."""
    from kehoach.base.errors import WriteError

    broken = isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE
    stdout_failed = broken or exc.filename is None  # the files kehoach writes fail as WriteError
    if stdout_failed:
        try:  # what is still buffered goes nowhere, so that Python's own flush at exit stays quiet
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass
        if broken:
            return EXIT_USAGE
    from kehoach.base.messages import text

    _show(WriteError(text("stdout-name", lang) if stdout_failed else exc.filename or "?", exc), lang)
    return EXIT_USAGE


def run() -> None:  # console script
    # One command per process: the cycle collector only costs time here (a third of `check` on a
    # large plan, rescanning the parser's nodes), and the process's memory is returned at its end.
    import gc

    gc.disable()
    sys.exit(main())
