"""The door's fast path: the common command lines of `kehoach status`, `check` and `log`, parsed by
hand, so that a status piped to another program answers without importing typer, click or rich.

The commands' bodies (`status_call`, `check_call`, `log_call`: the options checked, the one API
call) are the full command line's own (`cli/app.py` calls them too), and what they show goes
through the same `cli.report`. Whatever this parser does not know for sure goes to the full
command line, which then says exactly what it always says: an option it does not list (`--help`,
`--fix`, a short option joined to its value), an option given twice, a value that looks like an
option, `--`, an argument that is no UTF-8, an option's value refused, a terminal on standard
output (rich draws there), a table the plain writer cannot lay out as rich does, or any error but
the library's own before anything is written. `KEHOACH_FULL_CLI=1` sends every command line to the full one."""

from __future__ import annotations

import sys
from pathlib import Path

from kehoach.base.errors import KehoachError, UsageError
from kehoach.cli.report import (
    argv_lang,
    choice,
    choose_lang,
    codes,
    date_option,
    failed,
    int_option,
    on_screen,
    output_name,
    quiet_warnings,
    report,
    settings_of,
    today,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kehoach import api

# each command: its options taking a value (name → key; `*` a key given many times), its flags
VALUES: dict[str, dict[str, str]] = {
    "status": {"-p": "plan", "--plan": "plan", "--as-of": "as_of", "--soon": "soon", "--by": "by",
               "--body": "body", "--status": "*status", "-f": "fmt", "--format": "fmt", "--fail-on": "*fail_on",
               "-o": "output", "--output": "output", "--lang": "lang"},
    "check": {"-p": "plan", "--plan": "plan", "-f": "fmt", "--format": "fmt", "--lang": "lang"},
    "log": {"-p": "plan", "--plan": "plan", "--percent": "percent", "--note": "note", "-m": "note",
            "--date": "date", "--evidence": "evidence", "--body": "body", "--by": "by", "--kind": "kind",
            "--occurrence": "occurrence", "--lang": "lang"},
}
FLAGS: dict[str, dict[str, str]] = {
    "status": {},
    "check": {"--strict": "strict"},
    "log": {"--done": "done", "--joint": "joint"},
}


class Unsure(Exception):
    """A command line the fast path leaves to the full one."""


def parse(command: str, args: list[str]) -> tuple[dict[str, object], list[str]]:
    """The options (key → value, a list for a repeated one, True for a flag) and the arguments
    of a command line, as click reads the ones it is sure of; `Unsure` for anything else."""
    values, flags = VALUES[command], FLAGS[command]
    options: dict[str, object] = {}
    positional: list[str] = []
    i = 0
    for arg in args:
        if not arg.isascii():
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:  # bytes that are no UTF-8 (a file name): click's to read
                raise Unsure(arg) from None
    while i < len(args):
        arg = args[i]
        i += 1
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
            if name not in values:
                raise Unsure(arg)
        if name in values:
            if value is None:
                if i == len(args):
                    raise Unsure(arg)
                value, i = args[i], i + 1
            if not value or (value.startswith("-") and value != "-"):
                raise Unsure(value)
            key = values[name]
            if key.startswith("*"):
                many = options.setdefault(key[1:], [])
                assert isinstance(many, list)
                many.append(value)
            elif key in options:
                raise Unsure(arg)
            else:
                options[key] = value
        elif arg in flags:
            options[flags[arg]] = True
        elif arg.startswith("-") or not arg:
            raise Unsure(arg)
        else:
            positional.append(arg)
    return options, positional


# ---------------------------------------------------------------- the commands' bodies


def status_call(paths: list[Path] | None, plan: Path | None, as_of: str | None, soon: str, by: str | None,
                body: str | None, status_: list[str] | None, fmt: str, fail_on: list[str] | None,
                output: str | None, lang: str | None) -> tuple[api.Result, str]:
    """`kehoach status`: the options checked, the one API call, and the language to say it in."""
    from kehoach import api

    lang = choose_lang(lang)
    fmt = choice(fmt, ["table", "json", "markdown"], "--format")
    soon_days = int_option(soon, 0, 365, "--soon") or 0
    if by is not None and by not in ("body", "objective", "status"):
        raise UsageError("bad-by-option", {"value": by})
    day = date_option(as_of, "--as-of")
    statuses, fail_codes = codes(status_, "--status"), codes(fail_on, "--fail-on")
    many = api.rollup_files(paths, plan)
    if many is not None:
        if statuses or by or fail_codes:
            raise UsageError("rollup-options")
        return api.status_rollup(many, day or today(), soon_days, body, fmt, output, lang), lang
    return api.status(paths[0] if paths else plan, today(), day, soon_days, body, statuses, by, fmt, fail_codes,
                      output, lang), lang


def check_call(plans: list[Path] | None, plan: Path | None, strict: bool, fix: bool, fmt: str,
               lang: str | None) -> tuple[api.Result, str]:
    """`kehoach check`: the options checked, the one API call, and the language to say it in."""
    from kehoach import api
    from kehoach.base.diagnostics import REPORTERS

    lang = choose_lang(lang)
    fmt = choice(fmt, list(REPORTERS), "--format")
    paths = list(plans or []) + ([plan] if plan is not None and plans else [])
    notes: list[api.Note] = []
    result = api.check(paths or [api.choose_plan(plan, today(), notes)], strict, fix, fmt, lang)
    result.notes[:0] = notes
    return result, lang


def log_call(task: str, plan: Path | None, percent: str | None, done: bool, note: str | None, date: str | None,
             evidence: str | None, body: str | None, joint: bool, by: str | None, kind: str,
             occurrence: str | None, lang: str | None) -> tuple[api.Result, str]:
    """`kehoach log`: the options checked, the one API call, and the language to say it in."""
    from kehoach import api
    from kehoach.life.log import progress_entry

    lang = choose_lang(lang)
    kind = choice(kind, ["result", "difficulty", "proposal"], "--kind")
    entry = progress_entry(day=date_option(date, "--date") or today(), note=note,
                           percent=int_option(percent, 0, 100, "--percent"), done=done, kind=kind, body=body, by=by,
                           evidence=evidence, occurrence=occurrence, joint=joint)
    return api.log(plan, today(), task, entry), lang


def _call(command: str, options: dict[str, object], positional: list[str]) -> tuple[api.Result, str]:
    def one(key: str, default: str | None = None) -> str | None:
        value = options.get(key, default)
        return value if isinstance(value, str) else default

    def many(key: str) -> list[str] | None:
        value = options.get(key)
        return [str(v) for v in value] if isinstance(value, list) else None

    plan = Path(str(options["plan"])) if isinstance(options.get("plan"), str) else None
    if command == "status":
        if "output" in options:
            options["output"] = output_name(one("output"))
        return status_call([Path(p) for p in positional] or None, plan, one("as_of"), one("soon", "14") or "14",
                           one("by"), one("body"), many("status"), one("fmt", "table") or "table",
                           many("fail_on"), one("output"), one("lang"))
    if command == "check":
        return check_call([Path(p) for p in positional] or None, plan, bool(options.get("strict")), False,
                          one("fmt", "text") or "text", one("lang"))
    if len(positional) != 1:
        raise Unsure("log takes one task")
    return log_call(positional[0], plan, one("percent"), bool(options.get("done")), one("note"), one("date"),
                    one("evidence"), one("body"), bool(options.get("joint")), one("by"),
                    one("kind", "result") or "result", one("occurrence"), one("lang"))


# ---------------------------------------------------------------- the door's call


def run(argv: list[str]) -> int | None:
    """The exit code of the command line `argv` (`status …`, `check …`, `log …`) once answered,
    or None when it is the full command line's to answer (nothing has been said or written)."""
    from kehoach.base.settings import using

    settings, args = settings_of(argv)
    if not args or args[0] not in VALUES:
        return None
    with using(settings):
        try:
            options, positional = parse(args[0], args[1:])
        except Unsure:
            return None
        quiet_warnings()
        return _answer(args, options, positional)


def _for_rich(command: str, options: dict[str, object], positional: list[str]) -> bool:
    """Whether rich will have to draw this command's output on standard output (the status table
    on a terminal, or a roll-up's table): then the full command line answers it, before any plan
    is read twice."""
    import os

    if command != "status" or options.get("fmt", "table") != "table" or output_name(
            str(options["output"]) if "output" in options else None) not in (None, "-"):
        return False
    if len(positional) > 1 or (positional and ("plan" in options or os.path.isdir(positional[0]))):
        return True
    from kehoach.outputs.terminal import plain_screen

    return plain_screen() is None


def _answer(args: list[str], options: dict[str, object], positional: list[str]) -> int | None:
    if _for_rich(args[0], options, positional):
        return None
    lang = argv_lang(args)
    try:
        result, lang_shown = _call(args[0], options, positional)
        if result.show is not None:
            screen = None
            if on_screen(result):
                from kehoach.outputs.terminal import screen as make_screen

                screen = make_screen(strict=True)
            result.text, result.show = result.show(screen) or None, None
    except UsageError:
        return None
    except (KehoachError, KeyboardInterrupt) as exc:  # the library's own refusal, as the full one shows it
        return failed(exc, lang)
    except Exception:
        return None
    try:
        code = report(result, lang_shown)
        sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
    except (Exception, KeyboardInterrupt) as exc:
        return failed(exc, lang)
    return code

