"""Click's own words (usage lines, parsing errors, the frame of `--help`) in the
user's language.

Typer 0.29 carries its own copy of click, whose messages are fixed English
f-strings (no gettext any more). They are therefore translated where they are
shown: `usage_error(exc, lang)` turns a click usage error into kehoach's own
`UsageError` with a catalogue message (from the exception's fields where it has
them, else from its English text, matched against the patterns below), and
`help_text(text, lang)` translates the frame of a help page (headings, the
help option, defaults). A message no pattern knows is shown as click wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kehoach.base.errors import UsageError

# click's English message → (catalogue code, the named groups become its parameters)
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^No such command '(?P<name>.*)'\.(?: Did you mean (?P<near>.+)\?)?$"), "click-no-such-command"),
    (re.compile(r"^Missing command\.$"), "click-missing-command"),
    (re.compile(r"^Missing (?:argument|parameter) '?(?P<name>[^'.]*)'?\.$"), "click-missing-argument"),
    (re.compile(r"^Missing option '?(?P<name>[^'.]*)'?\.$"), "click-missing-option"),
    (re.compile(r"^Option '(?P<name>[^']+)' requires an argument\.$"), "click-needs-value"),
    (re.compile(r"^Option '(?P<name>[^']+)' requires (?P<n>\d+) arguments\.$"), "click-needs-value"),
    (re.compile(r"^Option '(?P<name>[^']+)' does not take a value\.$"), "click-takes-no-value"),
    (re.compile(r"^Got unexpected extra argument(?:\(s\)|s?) \((?P<args>.*)\)$"), "click-extra-arguments"),
]

# the frame of a plain (click) help page: click's English → the catalogue key of its words
_HELP = [
    (re.compile(r"^Usage: ", re.M), "help.usage"),
    (re.compile(r"^Options:$", re.M), "help.options"),
    (re.compile(r"^Commands:$", re.M), "help.commands"),
    (re.compile(r"^Arguments:$", re.M), "help.arguments"),
    (re.compile(r"Show this message and exit\."), "help.help"),
    (re.compile(r"\[default:(?=\s)"), "help.default"),  # the line may wrap after the colon
    (re.compile(r"\[required\]"), "help.required"),
    (re.compile(r"\[OPTIONS\]"), "help.options-placeholder"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "help.command-placeholder"),
]


def _literal(words: str) -> Callable[[re.Match[str]], str]:
    """A replacement for `re.sub` that puts `words` in as they are (no backslash escapes)."""
    return lambda _m: words


def help_text(page: str, lang: str) -> str:
    """A help page (or usage line) of click with its frame in `lang`."""
    from kehoach.base.messages import text

    for rx, key in _HELP:
        page = rx.sub(_literal(text(key, lang)), page)
    return page


def metavar_word(command: str, name: str, lang: str) -> str | None:
    """The word naming a parameter's value in the help pages and usage lines (`metavar.<command>.<name>`,
    else `metavar.<name>`: "PHIẾU", "NHIỆM-VỤ", "NGÀY"), or None."""
    from kehoach.base.messages import has, text

    for key in (f"metavar.{command}.{name}", f"metavar.{name}"):
        if has(key, lang):
            return text(key, lang)
    return None


def _argument_word(ctx: Any, name: str, lang: str) -> str:
    """An argument's name as the help pages word it, else its name in capitals."""
    command = getattr(getattr(ctx, "command", None), "name", "") or ""
    return metavar_word(command, name, lang) or name.upper()


def usage_error(exc: Exception, lang: str) -> UsageError:
    """Kehoach's own usage error for a click usage error, with the usage line and a hint."""
    from kehoach.base.messages import did_you_mean
    from kehoach.base.text import suggest

    ctx = getattr(exc, "ctx", None)
    params: dict[str, Any] = {}
    option = getattr(exc, "option_name", None)
    possibilities = getattr(exc, "possibilities", None)
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    if kind == "NoSuchOption" and option:
        code = "click-no-such-option"
        near = suggest(option, list(possibilities)) if possibilities else None
        params = {"name": option, "suggest": did_you_mean(near)}
    elif kind == "MissingParameter" and param is not None:
        opts = getattr(param, "opts", None) or []
        is_option = bool(opts) and str(opts[0]).startswith("-")
        code = "click-missing-option" if is_option else "click-missing-argument"
        params = {"name": opts[0] if is_option else _argument_word(ctx, str(param.name or ""), lang)}
    else:
        message = str(getattr(exc, "message", "") or exc)
        code, params = "click-other", {"detail": message}
        for rx, name in PATTERNS:
            m = rx.match(message)
            if m:
                code = name
                params = {k: (v or "") for k, v in m.groupdict().items()}
                break
        if code == "click-no-such-command":
            near = params.pop("near", "").split(",")[0].strip().strip("'\"")
            params["suggest"] = did_you_mean(near or None)
    if ctx is not None:
        usage = help_text(ctx.get_usage(), lang)
        for p in getattr(ctx.command, "params", []):
            if getattr(p, "param_type_name", "") == "argument" and p.name:  # worded as the help pages word it
                raw = re.escape(str(p.metavar or p.name.upper()))
                usage = re.sub(rf"\{{?(?<![\w-]){raw}(?![\w-])\}}?", _literal(_argument_word(ctx, p.name, lang)), usage)
        params["usage"] = usage
        params["help"] = f"{ctx.command_path} {ctx.help_option_names[0]}"
    else:
        params["usage"] = ""
        params["help"] = "kehoach --help"
    return UsageError(code, params)
