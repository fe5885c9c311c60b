"""What every command shows, in one place for the full command line (`cli/app.py`) and the door's
fast path (`cli/fast.py`): the options checked in the user's words, the notes said on standard
error, the output written (standard output or a file, through the one output guard), the error
shown with its hint and diagnostics, and the exit code. Neither typer, click nor rich is
imported here, so that the fast path answers with exactly the words of the full one."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from kehoach.base.errors import EXIT_USAGE, KehoachError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from kehoach import api
    from kehoach.base.settings import Settings

EXIT_OK = 0


def today() -> dt.date:
    """The clock is read here, at the edge, and passed in: never inside the library."""
    import datetime as dt

    return dt.date.today()


def settings_of(args: list[str]) -> tuple[Settings, list[str]]:
    """The settings of this run (the environment, read once, here) and the command line without
    `--no-cache` (any command: read every plan afresh, kehoach.plan.cache)."""
    from kehoach.base.settings import Settings

    settings = Settings.from_env(os.environ)
    if "--no-cache" in args:
        settings = settings.without_cache()
        args = [a for a in args if a != "--no-cache"]
    return settings, args


def quiet_warnings() -> None:
    """A library's warning may quote the file read: shown escaped (base.text.show_warning)."""
    import warnings

    from kehoach.base.text import show_warning

    warnings.showwarning = show_warning


# ---------------------------------------------------------------- options


def choose_lang(lang: str | None) -> str:
    """The language of `--lang` (checked), else $KEHOACH_LANG, else Vietnamese."""
    from kehoach.base.messages import is_lang, resolve_lang

    if lang and not is_lang(lang):
        raise UsageError("usage-lang", {"value": lang})
    return resolve_lang(lang)


def argv_lang(argv: list[str]) -> str:
    """The language asked for on the command line (or by KEHOACH_LANG), before the options are
    parsed, so that click's own messages and the help speak it; a wrong --lang is reported in the
    default language."""
    from kehoach.base.messages import is_lang, resolve_lang
    from kehoach.cli.helppages import lang_option

    value = lang_option(argv)
    return resolve_lang(value) if value is not None and is_lang(value) else resolve_lang(None)


def output_name(value: str | None) -> str | None:
    """`-o /dev/stdout` is `-o -`: standard output, never a file put in its place."""
    from kehoach.outputs.documents import STDOUT_NAMES

    return "-" if value in STDOUT_NAMES else value


def date_option(value: str | None, name: str) -> dt.date | None:
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


def codes(values: list[str] | None, name: str) -> list[str]:
    """Status codes given once each or comma-separated (`--status overdue,due_soon`), checked."""
    from kehoach.views.statusview import check_statuses

    return check_statuses([c.strip() for v in values or [] for c in v.split(",") if c.strip()], name)


# one format, two names: `report` and `checklist` say md, `status` and `diff` markdown; either is understood
SAME_FORMAT = {"md": "markdown", "markdown": "md"}


def choice(value: str, allowed: Sequence[str], name: str) -> str:
    """`value` if it is one of `allowed` (or another name of one), else a usage error naming the
    nearest."""
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest

    if value not in allowed and SAME_FORMAT.get(value) in allowed:
        return SAME_FORMAT[value]
    if value not in allowed:
        raise UsageError("bad-choice-option", {"option": name, "value": value, "allowed": ", ".join(allowed),
                                               "suggest": did_you_mean(suggest(value, list(allowed)))})
    return value


def int_option(value: str | None, low: int, high: int, name: str) -> int | None:
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


# ---------------------------------------------------------------- what a command shows


def err(line: str) -> None:
    """A line (or lines) for the user on standard error; control characters that plan text
    brings are shown as escapes (text.visible), never sent to the terminal."""
    from kehoach.base.text import visible

    sys.stderr.write(visible(line.rstrip("\n")) + "\n")


def say(key: str, lang: str, **params: object) -> None:
    from kehoach.base.messages import text

    err(text(key, lang, **params))


def write(data: bytes | str, output: str | None, lang: str, reads: Sequence[str | Path],
          folder: str | None = None) -> None:
    """Standard output for None or '-', else the file (atomically; never a file read); `folder`:
    the folder `-o` named for it, made when missing."""
    from kehoach.outputs.documents import STDOUT_NAMES, refuse_target, targets_in
    from kehoach.outputs.documents import write as write_bytes

    target = None if output is None or output in STDOUT_NAMES else Path(output)
    refuse_target(target, list(reads))
    if folder is not None and target is not None:
        targets_in(folder, [], "")  # the folder asked for by name: refused inside .git, else made
    # a file's name from the command line may hold bytes that are no UTF-8 (surrogates): "?"
    write_bytes(data.encode("utf-8", "replace") if isinstance(data, str) else data, target)
    if target is not None:
        say("wrote", lang, path=str(target))


def write_documents(docs: api.Documents, lang: str) -> None:
    """Write the documents; a progress bar on a terminal, and each file named as it is written."""
    from kehoach.outputs.documents import plan_jobs, progress, write_documents

    total = len(plan_jobs(docs.kind, docs.contexts, docs.formats, docs.output, docs.folder))
    with progress(total, docs.kind) as bar:
        task = bar.add_task(docs.kind, total=total)
        for target in write_documents(docs.kind, docs.contexts, docs.formats, docs.output, plan_path=docs.plan_path,
                                      templates=docs.templates, folder=docs.folder, reads=docs.reads,
                                      rendered=lambda: bar.advance(task)):
            if target is not None and target.stem in docs.labels:
                say("wrote-for", lang, body=docs.labels[target.stem], path=str(target))
            elif target is not None:
                say("wrote", lang, path=str(target))


def on_screen(result: api.Result) -> bool:
    """Whether the result is drawn for the screen (the status table on standard output)."""
    return result.console and result.output in (None, "-")


def report(result: api.Result, lang: str) -> int:
    """Show what a command did: its notes, its output (standard output, a file, or the documents
    it writes), what it says after; and return its exit code."""
    for note in result.notes:
        say(note.key, lang, **note.params)
    if result.documents is not None:
        write_documents(result.documents, lang)
    text = result.text
    if result.show is not None:
        screen = None
        if on_screen(result):
            from kehoach.outputs.terminal import screen as make_screen

            screen = make_screen()
        text = result.show(screen) or None
    if text is not None:
        write(text, result.output, lang, result.reads, result.folder)
    for note in result.after:
        say(note.key, lang, **note.params)
    return result.exit_code


def show_error(exc: KehoachError, lang: str) -> None:
    """One error: its message, its hint, and the diagnostics behind it (with `log`'s own hints);
    a plan's problems as `kehoach check` shows them."""
    from kehoach import api
    from kehoach.base.messages import has, render
    from kehoach.base.text import visible

    if isinstance(exc, api.PlanProblems):
        from kehoach.base.diagnostics import format_text

        err(format_text(exc.result, lang, summary=False))
        if not exc.code:
            return
    err(f"kehoach: {exc.message(lang)}")
    hint = exc.hint(lang)
    if hint:
        err("\n".join(f"    {line}" for line in hint.splitlines() if line.strip()))
    for d in exc.diagnostics:
        own = render(f"log-hint-{d.code}", "message", d.params, lang) if (
            exc.code == "log-invalid" and has(f"log-hint-{d.code}", lang)) else ""
        tip = own or d.hint(lang)
        where = f"{d.where()}: " if d.file else ""
        err(visible(f"  - {where}{d.message(lang)}", newlines=False)
            + (f"\n    {visible(tip, newlines=False)}" if tip else ""))


def failed(exc: BaseException, lang: str) -> int:
    """The exit code of a command that raised `exc`, once said in words: a failure of the system
    (`os_error`), a KehoachError, an interrupt (130), else an internal error (3; raised again
    with KEHOACH_DEBUG), never a traceback."""
    if isinstance(exc, OSError):
        return os_error(exc, lang)
    if isinstance(exc, KehoachError):
        show_error(exc, lang)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        show_error(KehoachError("interrupted"), lang)
        return 130
    if os.environ.get("KEHOACH_DEBUG") or not isinstance(exc, Exception):
        raise exc
    show_error(KehoachError("internal-error", {"detail": f"{type(exc).__name__}: {exc}"}), lang)
    return 3


def os_error(exc: OSError, lang: str) -> int:
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

    show_error(WriteError(text("stdout-name", lang) if stdout_failed else exc.filename or "?", exc), lang)
    return EXIT_USAGE

