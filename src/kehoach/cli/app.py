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
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehoach import api
from kehoach.base.errors import EXIT_FAIL, EXIT_USAGE, KehoachError, UsageError
from kehoach.cli.fast import check_call, log_call, status_call
from kehoach.cli.report import (
    EXIT_OK,
    argv_lang,
    failed,
    os_error,
    output_name,
    quiet_warnings,
    settings_of,
    today,
)
from kehoach.cli.report import choice as _choice
from kehoach.cli.report import choose_lang as _lang
from kehoach.cli.report import codes as _codes
from kehoach.cli.report import date_option as _date
from kehoach.cli.report import err as _err
from kehoach.cli.report import int_option as _int
from kehoach.cli.report import report as _shown

if TYPE_CHECKING:
    pass



# A click context is typed `Any`: which click typer hands over depends on its version (recent ones
# carry their own copy, `typer._click`, whose classes are not public).
def _ctx_lang(ctx: Any) -> str:
    obj = ctx.find_root().obj
    return str(obj.get("lang", "vi")) if isinstance(obj, dict) else "vi"


def _worded(cmd: typer.core.TyperCommand | typer.core.TyperGroup, lang: str) -> None:
    """Replace the help keys of a command (and of the commands of a group) by their words, and
    name each value an option takes in words (`--as-of NGÀY`), never a Python type."""
    from kehoach.base.messages import text
    from kehoach.cli.clicktext import metavar_word

    def word(value: str | None) -> str | None:
        return text("help." + value[1:], lang) if isinstance(value, str) and value.startswith("@") else value

    cmd.help = word(cmd.help)
    for param in cmd.params:
        if hasattr(param, "help"):
            param.help = word(param.help)
        named = None if getattr(param, "is_flag", False) else metavar_word(cmd.name or "", param.name or "", lang)
        if named is not None:
            param.metavar = named
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


PlanOpt = Annotated[Path | None, typer.Option("--plan", "-p", help="@opt.plan")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="@opt.lang")]
OutputOpt = Annotated[str | None, typer.Option("-o", "--output", help="@opt.output", callback=output_name)]
TemplatesOpt = Annotated[Path | None, typer.Option("--templates", help="@opt.templates")]
FormatsOpt = Annotated[str, typer.Option("--format", "-f", help="@opt.formats")]
BodyOpt = Annotated[str | None, typer.Option("--body", help="@opt.body")]
DraftOpt = Annotated[bool, typer.Option("--draft", help="@opt.draft")]


# ---------------------------------------------------------------- options and reporting


def _report(result: api.Result, lang: str) -> None:
    """Show what a command did (`cli.report.report`); then its exit code."""
    code = _shown(result, lang)
    if code:
        raise typer.Exit(code)


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
    _report(*check_call(plans, plan, strict, fix, fmt, lang))


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
    _report(*status_call(paths, plan, as_of, soon, by, body, status_, fmt, fail_on, output, lang))


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
                                               callback=output_name)] = None,
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
    _report(*log_call(task, plan, percent, done, note, date, evidence, body, joint, by, kind, occurrence, lang))


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


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes a message and an exit code, never a traceback."""
    from kehoach.base.settings import using

    settings, args = settings_of(list(sys.argv[1:] if argv is None else argv))
    quiet_warnings()
    with using(settings):
        return _run(args)


def _run(args: list[str]) -> int:
    lang = argv_lang(args)
    streams = sys.stdout, sys.stderr
    try:
        rv = app(args=args, prog_name="kehoach", standalone_mode=False, obj={"lang": lang})
        sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
    except (OSError, KehoachError) as exc:  # the standard output, a file, or an error the user can fix
        return failed(exc, lang)
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # typer met a closed pipe (EPIPE)
            sys.stdout, sys.stderr = streams
            return os_error(BrokenPipeError(errno.EPIPE, "broken pipe"), lang)
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    except KeyboardInterrupt as exc:
        return failed(exc, lang)
    except Exception as exc:  # the last guard against a traceback
        if type(exc).__name__ == "NoArgsIsHelpError":  # `kehoach` alone: the help page
            _err(exc.ctx.get_help())  # type: ignore[attr-defined]
            return EXIT_USAGE
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            from kehoach.cli.clicktext import usage_error

            return failed(usage_error(exc, lang), lang)  # click's parsing errors, in the user's language
        if type(exc).__name__ == "Abort":
            return EXIT_FAIL
        return failed(exc, lang)
    return rv if isinstance(rv, int) else EXIT_OK


def run() -> None:  # console script
    # One command per process: the cycle collector only costs time here (a third of `check` on a
    # large plan, rescanning the parser's nodes), and the process's memory is returned at its end.
    import gc

    gc.disable()
    sys.exit(main())
