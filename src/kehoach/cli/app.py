"""The command line: each command parses its options, makes one call of the declared API
(`kehoach.api`) and reports the result it returns (`_report`). Nothing else.

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
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehoach import api
from kehoach.base.errors import EXIT_FAIL, EXIT_USAGE, KehoachError, UsageError

if TYPE_CHECKING:
    import datetime as dt

EXIT_OK = 0


# A click context is typed `Any`: which click typer hands over depends on its version (recent ones
# carry their own copy, `typer._click`, whose classes are not public).
def _ctx_lang(ctx: Any) -> str:
    obj = ctx.find_root().obj
    return str(obj.get("lang", "vi")) if isinstance(obj, dict) else "vi"


def _worded(cmd: typer.core.TyperCommand | typer.core.TyperGroup, lang: str) -> None:
    """Replace the help keys of a command (and of the commands of a group) by their words, and
    name each value an option takes in words (`--as-of NGÀY`), never a Python type."""
    from kehoach.base.messages import has, text

    def word(value: str | None) -> str | None:
        return text("help." + value[1:], lang) if isinstance(value, str) and value.startswith("@") else value

    cmd.help = word(cmd.help)
    for param in cmd.params:
        if hasattr(param, "help"):
            param.help = word(param.help)
        for key in (f"metavar.{cmd.name}.{param.name}", f"metavar.{param.name}"):
            if not getattr(param, "is_flag", False) and has(key, lang):
                param.metavar = text(key, lang)
                break
        if param.param_type_name == "argument":  # typer adds the Python type (`<list[Path]>`) and braces
            _plain_argument(param)
    for sub in getattr(cmd, "commands", {}).values():
        sub.help = word(sub.help)
        sub.short_help = word(sub.short_help)


def _plain_argument(param: Any) -> None:
    """An argument shown as its name alone (`NHIỆM-VỤ`, `[KẾ-HOẠCH]...`), as click shows it."""
    name = param.metavar or param.name.upper()
    usage = name if param.required else f"[{name}]"
    usage += "..." if param.nargs != 1 else ""
    param.display_type_rich = lambda ctx: ""
    param._usage_display_name = lambda: usage
    param._rich_display_name = lambda: name + ("..." if param.nargs != 1 else "")


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
        from kehoach.base.version import version_line

        sys.stdout.write(version_line())
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="@opt.version", callback=_version, is_eager=True)] = False,
) -> None:
    pass


def _output_name(value: str | None) -> str | None:
    """`-o /dev/stdout` is `-o -`: standard output, never a file put in its place."""
    from kehoach.outputs.documents import STDOUT_NAMES

    return "-" if value in STDOUT_NAMES else value


PlanOpt = Annotated[Path | None, typer.Option("--plan", "-p", help="@opt.plan")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="@opt.lang")]
OutputOpt = Annotated[str | None, typer.Option("-o", "--output", help="@opt.output", callback=_output_name)]
TemplatesOpt = Annotated[Path | None, typer.Option("--templates", help="@opt.templates")]
FormatsOpt = Annotated[str, typer.Option("--format", "-f", help="@opt.formats")]
BodyOpt = Annotated[str | None, typer.Option("--body", help="@opt.body")]
DraftOpt = Annotated[bool, typer.Option("--draft", help="@opt.draft")]


# ---------------------------------------------------------------- options and reporting


def _lang(lang: str | None) -> str:
    """The language of `--lang` (checked), else $KEHOACH_LANG, else Vietnamese."""
    from kehoach.base.messages import is_lang, resolve_lang

    if lang and not is_lang(lang):
        raise UsageError("usage-lang", {"value": lang})
    return resolve_lang(lang)


def _err(line: str) -> None:
    """A line (or lines) for the user on standard error; control characters that plan text
    brings are shown as escapes (text.visible), never sent to the terminal."""
    from kehoach.base.text import visible

    sys.stderr.write(visible(line.rstrip("\n")) + "\n")


def _say(key: str, lang: str, **params: object) -> None:
    from kehoach.base.messages import text

    _err(text(key, lang, **params))


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


def _codes(values: list[str] | None, name: str) -> list[str]:
    from kehoach.views.statusview import check_statuses

    return check_statuses([c.strip() for v in values or [] for c in v.split(",") if c.strip()], name)


def _choice(value: str, allowed: Sequence[str], name: str) -> str:
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest

    if value not in allowed:
        raise UsageError("bad-choice-option", {"option": name, "value": value, "allowed": ", ".join(allowed),
                                               "suggest": did_you_mean(suggest(value, list(allowed)))})
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


def _write(data: bytes | str, output: str | None, lang: str, reads: Sequence[str | Path]) -> None:
    """Standard output for None or '-', else the file (atomically; never a file read)."""
    from kehoach.outputs.documents import STDOUT_NAMES, refuse_target, write

    target = None if output is None or output in STDOUT_NAMES else Path(output)
    refuse_target(target, list(reads))
    write(data.encode("utf-8") if isinstance(data, str) else data, target)
    if target is not None:
        _say("wrote", lang, path=str(target))


def _write_documents(docs: api.Documents, lang: str) -> None:
    """Write the documents; a progress bar on a terminal, and each file named as it is written."""
    from kehoach.outputs.documents import plan_jobs, progress, write_documents

    total = len(plan_jobs(docs.kind, docs.contexts, docs.formats, docs.output, docs.folder))
    with progress(total, docs.kind) as bar:
        task = bar.add_task(docs.kind, total=total)
        for target in write_documents(docs.kind, docs.contexts, docs.formats, docs.output, plan_path=docs.plan_path,
                                      templates=docs.templates, folder=docs.folder, reads=docs.reads):
            bar.advance(task)
            if target is not None and target.stem in docs.labels:
                _say("wrote-for", lang, body=docs.labels[target.stem], path=str(target))
            elif target is not None:
                _say("wrote", lang, path=str(target))


def _report(result: api.Result, lang: str) -> None:
    """Show what a command did: its notes, its output (standard output, a file, or the documents
    it writes), what it says after; then its exit code."""
    for note in result.notes:
        _say(note.key, lang, **note.params)
    if result.documents is not None:
        _write_documents(result.documents, lang)
    text = result.text
    if result.show is not None:
        on_screen = result.console and result.output in (None, "-")
        if on_screen:
            from kehoach.outputs.terminal import make_console

        text = result.show(make_console() if on_screen else None) or None
    if text is not None:
        _write(text, result.output, lang, result.reads)
    for note in result.after:
        _say(note.key, lang, **note.params)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


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

    lang = _lang(lang)
    fmt = _choice(fmt, list(REPORTERS), "--format")
    paths = list(plans or []) + ([plan] if plan is not None and plans else [])
    notes: list[api.Note] = []
    result = api.check(paths or [api.choose_plan(plan, today(), notes)], strict, fix, fmt, lang)
    result.notes[:0] = notes
    _report(result, lang)


@app.command(cls=_Command, help="@cmd.schema")
def schema(
    markdown: Annotated[bool, typer.Option("--markdown", help="@opt.markdown")] = False,
    catalogue: Annotated[bool, typer.Option("--catalogue", help="@opt.catalogue")] = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    lang = _lang(lang)
    _report(api.schema(markdown, catalogue, output, lang), lang)


PathsArg = Annotated[list[Path] | None, typer.Argument(help="@opt.rollup.paths", show_default=False)]


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
    lang = _lang(lang)
    fmt = _choice(fmt, ["table", "json", "markdown"], "--format")
    soon_days = _int(soon, 0, 365, "--soon") or 0
    if by is not None and by not in ("body", "objective", "status"):
        raise UsageError("bad-by-option", {"value": by})
    day = _date(as_of, "--as-of")
    statuses, fail_codes = _codes(status_, "--status"), _codes(fail_on, "--fail-on")
    many = api.rollup_files(paths, plan)
    if many is not None:
        if statuses or by or fail_codes:
            raise UsageError("rollup-options")
        _report(api.status_rollup(many, day or today(), soon_days, body, fmt, output, lang), lang)
        return
    _report(api.status(paths[0] if paths else plan, today(), day, soon_days, body, statuses, by, fmt, fail_codes,
                       output, lang), lang)


@app.command(cls=_Command, help="@cmd.report")
def report(
    paths: PathsArg = None,
    plan: PlanOpt = None,
    period: Annotated[str | None, typer.Option("--period", help="@opt.period")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="@opt.date-from")] = None,
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
    lang = _lang(lang)
    start, end, day = _date(date_from, "--from"), _date(date_to, "--to"), _date(as_of, "--as-of")
    many = api.rollup_files(paths, plan)
    if many is not None:
        if topic or body:
            raise UsageError("rollup-options")
        _report(api.report_rollup(many, period, start, end, day, number, fmt, output, templates, lang), lang)
        return
    _report(api.report(paths[0] if paths else plan, today(), period, start, end, topic, body, day, number, fmt,
                       output, templates, draft, lang), lang)


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
    lang = _lang(lang)
    _report(api.checklist(plan, today(), _date(as_of, "--as-of"), body, per_body, fmt, output, templates, draft,
                          lang), lang)


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
    lang = _lang(lang)
    day, soon_days = _date(as_of, "--as-of"), _int(soon, 0, 365, "--soon") or 0
    _report(api.remind(plan, today(), day, body, soon_days, _date(reply_by, "--reply-by"), number, fmt, output,
                       templates, draft, lang), lang)


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
    from kehoach.outputs.export import FORMATS

    lang = _lang(lang)
    suffix = Path(output).suffix.lstrip(".").lower() if output not in (None, "-") else ""
    fmt = _choice(fmt or (suffix if suffix in FORMATS else "csv"), FORMATS, "--format")
    _report(api.export(plan, today(), fmt, _date(as_of, "--as-of"), body, _codes(status_, "--status"), output, lang),
            lang)


@app.command(cls=_Command, help="@cmd.calendar")
def calendar(
    plan: PlanOpt = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help="@opt.calendar.output",
                                               callback=_output_name)] = None,
    body: Annotated[str | None, typer.Option("--body", help="@opt.calendar.body")] = None,
    alarm: Annotated[str | None, typer.Option("--alarm", help="@opt.calendar.alarm")] = None,
    lang: LangOpt = None,
) -> None:
    import datetime as dt

    from kehoach.base import settings
    from kehoach.outputs.calendar import parse_alarm

    lang = _lang(lang)
    before = parse_alarm(alarm, "--alarm") if alarm is not None else None
    # the time of writing (DTSTAMP), read here at the edge; SOURCE_DATE_EPOCH fixes it
    now = settings.current().stamp or dt.datetime.now(dt.UTC)
    _report(api.calendar(plan, today(), body, output, lang, now, before), lang)


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
    from kehoach.life.log import progress_entry

    lang = _lang(lang)
    kind = _choice(kind, ["result", "difficulty", "proposal"], "--kind")
    entry = progress_entry(day=_date(date, "--date") or today(), note=note, percent=_int(percent, 0, 100, "--percent"),
                           done=done, kind=kind, body=body, by=by, evidence=evidence, occurrence=occurrence,
                           joint=joint)
    _report(api.log(plan, today(), task, entry), lang)


@app.command("request", cls=_Command, help="@cmd.request")
def request(
    period: Annotated[str, typer.Option("--period", help="@opt.period")],
    plan: PlanOpt = None,
    body: BodyOpt = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help="@opt.request-output")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="@opt.as-of-today")] = None,
    due: Annotated[str | None, typer.Option("--due", help="@opt.due")] = None,
    force: Annotated[bool, typer.Option("--force", help="@opt.force")] = False,
    contact: Annotated[str | None, typer.Option("--contact", help="@opt.request.contact")] = None,
    letter: Annotated[str | None, typer.Option("--letter", help="@opt.request.letter")] = None,
    draft: DraftOpt = False,
    lang: LangOpt = None,
) -> None:
    lang = _lang(lang)
    _report(api.request(plan, today(), period, _date(as_of, "--as-of"), body, output, _date(due, "--due"), force,
                        draft, lang, contact, letter), lang)


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
    lang = _lang(lang)
    fmt = _choice(fmt, ["text", "json"], "--format")
    _report(api.collect(plan, today(), files, _date(as_of, "--as-of"), partial, dry_run, allow_unsigned, fmt, lang),
            lang)


@app.command("diff", cls=_Command, help="@cmd.diff")
def diff(
    old: Annotated[str, typer.Argument(help="@opt.diff.old", metavar="OLD")],
    new: Annotated[str, typer.Argument(help="@opt.diff.new", metavar="NEW")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="@opt.diff.format")] = "text",
    exit_code: Annotated[bool, typer.Option("--exit-code", help="@opt.exit-code")] = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    lang = _lang(lang)
    fmt = _choice(fmt, ["text", "markdown", "json", "docx"], "--format")
    _report(api.diff(old, new, fmt, exit_code, output, lang), lang)


@app.command("init", cls=_Command, help="@cmd.init")
def init(
    year: Annotated[str, typer.Option("--year", help="@opt.year")],
    source: Annotated[Path | None, typer.Option("--from", help="@opt.from")] = None,
    plan: PlanOpt = None,
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="@opt.force")] = False,
    lang: LangOpt = None,
) -> None:
    lang = _lang(lang)
    new_year = _int(year, 1900, 2200, "--year")
    assert new_year is not None
    _report(api.init(plan, today(), new_year, source, output, force, lang), lang)


@app.command("import", cls=_Command, help="@cmd.import")
def import_(
    source: Annotated[Path, typer.Argument(help="@opt.import.source", metavar="SOURCE")],
    output: OutputOpt = None,
    bodies: Annotated[Path | None, typer.Option("--bodies", help="@opt.bodies")] = None,
    force: Annotated[bool, typer.Option("--force", help="@opt.force")] = False,
    lang: LangOpt = None,
) -> None:
    lang = _lang(lang)
    _report(api.import_plan(source, output, bodies, force, lang), lang)


# ---------------------------------------------------------------- entry point


def _show(exc: KehoachError, lang: str) -> None:
    """One error: its message, its hint, and the diagnostics behind it (with `log`'s own hints);
    a plan's problems as `kehoach check` shows them."""
    from kehoach.base.messages import has, render
    from kehoach.base.text import visible

    if isinstance(exc, api.PlanProblems):
        from kehoach.base.diagnostics import format_text

        _err(format_text(exc.result, lang, summary=False))
        if not exc.code:
            return
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
    import warnings

    from kehoach.base.text import show_warning

    warnings.showwarning = show_warning  # a library's warning may quote the file read: shown escaped
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
    except Exception as exc:  # the last guard against a traceback
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
