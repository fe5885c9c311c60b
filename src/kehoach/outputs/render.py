"""Rendering a view model through a template: Markdown, HTML and Word.

Templates are looked up by name in order: `--templates DIR` (or
KEHOACH_TEMPLATES), then the built-in templates shipped with kehoach. A
`templates/` folder beside the plan is not used unless named so: a plan may
come from elsewhere, and so may the folder beside it. Every template renders
in Jinja's sandbox (no attribute of Python's internals, no call that reaches
the system), is read as data (a regular file of bounded size), and a template
that names a missing value fails with the template's file and line
(StrictUndefined). Plan text is inert in every format: control characters are
taken out, then HTML is escaped by autoescape, Markdown by a finalize step,
Word by docxtpl's XML escaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kehoach.base.errors import KehoachError
from kehoach.base.text import printable

if TYPE_CHECKING:
    import os

    import jinja2

    from kehoach.views.context import Context


class RenderError(KehoachError):
    """A template could not be found or rendered; the message names file and line."""


def builtin_dir() -> Path:
    """The templates shipped in the wheel, or the repository's templates/ in a checkout."""
    from kehoach.base.files import shipped

    return shipped("_templates", "templates")


def user_templates(user_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The template folder the user named: `--templates DIR`, else KEHOACH_TEMPLATES (the
    settings), else None."""
    from kehoach.base.settings import current

    chosen = user_dir or current().templates
    return Path(chosen) if chosen else None


def template_dirs(user_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where templates are looked up: the folder the user named (`user_templates`), then the built-in one."""
    dirs: list[Path] = []
    user = user_templates(user_dir)
    if user is not None:
        if not user.is_dir():
            raise RenderError("templates-missing", {"path": str(user)}, exit_code=2)
        dirs.append(user)
    dirs.append(builtin_dir())
    return dirs


def unused_templates(plan_path: str | os.PathLike[str] | None, user_dir: str | os.PathLike[str] | None) -> Path | None:
    """A `templates/` folder beside the plan that is not used (it was not named): worth a note."""
    if not plan_path:
        return None
    beside = Path(plan_path).resolve().parent / "templates"
    user = user_templates(user_dir)
    if not beside.is_dir() or (user is not None and user.resolve() == beside.resolve()):
        return None
    return beside


def find_template(name: str, dirs: list[Path]) -> Path:
    for d in dirs:
        if (d / name).is_file():
            return d / name
    raise _not_found(name, dirs)


def _not_found(name: str, dirs: list[Path]) -> RenderError:
    return RenderError("template-not-found", {"name": name, "dirs": ", ".join(str(d) for d in dirs)})


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(value: object) -> str:
    """Plan text as literal Markdown: control characters out, CommonMark punctuation escaped,
    one line (a table row stays one row)."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return str(value)
    if not isinstance(value, str):
        return str(value)
    text = one_line(printable(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", "&amp;", text)  # only where it would read as an entity


def one_line(text: str) -> str:
    """The lines of `text` joined by one space, the spaces around each break dropped
    (linear: no pattern that backtracks over a long run of spaces)."""
    if "\n" not in text and "\r" not in text:
        return text
    lines = re.split(r"\r\n|[\r\n]", text)
    return " ".join(line.strip() for line in lines if line.strip())


class MdSafe(str):
    """Markdown that a template builds itself and must not be escaped again."""


def keep_tail(value: object, words: int = 2) -> str:
    """Join the last `words` words with no-break spaces, so that a title never ends
    with one short word alone on its line ("… quý II năm\u00a02021")."""
    text = "" if value is None else str(value)
    parts = text.rsplit(" ", words - 1) if words > 1 else [text]
    return "\u00a0".join(parts)


FILTERS = {"keep_tail": keep_tail}
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024  # a template is layout: a few kilobytes; a Word one, a few hundred


def printed(value: object) -> object:
    """What `{{ value }}` prints in HTML and Word: text without control characters (autoescape follows)."""
    return printable(value) if isinstance(value, str) else "" if value is None else value


MAX_WORD_BREAKS = 50  # line breaks a value may bring into a Word document; past them, spaces


def printed_docx(value: object) -> object:
    """What `{{ value }}` prints in Word: as `printed`, and at most MAX_WORD_BREAKS line breaks
    (docxtpl makes each newline a <w:br/>: a text of 200,000 lines took seconds per thousand)."""
    value = printed(value)
    if isinstance(value, str) and value.count("\n") > MAX_WORD_BREAKS:
        head, *rest = value.split("\n", MAX_WORD_BREAKS)
        value = "\n".join([head, *rest[:-1]]) + "\n" + " ".join(rest[-1].split("\n"))
    return value


def _loader(dirs: list[Path]) -> jinja2.BaseLoader:
    """Templates by name from `dirs`, read as data: regular files of bounded size only
    (a FIFO named report.md.j2 would otherwise hang the command)."""
    import jinja2

    from kehoach.base.files import read_file

    class Loader(jinja2.BaseLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            for piece in template.split("/"):
                if piece in ("", ".", "..") or "\\" in piece:
                    raise jinja2.TemplateNotFound(template)
            for folder in dirs:
                path = folder / template
                if not path.is_file():
                    continue
                try:
                    source = read_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise RenderError("template-failed", {"where": str(path), "detail": str(exc)}) from None
                return source, str(path), lambda: False
            raise jinja2.TemplateNotFound(template)

    return Loader()


def _sandbox(**options: Any) -> jinja2.Environment:
    """Jinja's sandbox: a template cannot reach Python's internals (`__class__`, `__globals__`),
    call what is unsafe, or run code; it gets a view and prints it."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(**options)


def _env(dirs: list[Path], fmt: str) -> jinja2.Environment:
    import jinja2

    loader = _loader(dirs)

    def environment(autoescape: bool, finalize: Callable[..., Any] | None = None) -> jinja2.Environment:
        """An environment with the options every text format shares."""
        return _sandbox(
            autoescape=autoescape,
            finalize=finalize,
            loader=loader,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    if fmt == "html":
        env = environment(autoescape=True, finalize=printed)
        env.filters.update(FILTERS)
        return env
    if fmt == "md":
        env = environment(autoescape=False, finalize=md_escape)
        env.filters["raw"] = MdSafe
        env.filters.update(FILTERS)
        return env
    return environment(autoescape=False, finalize=printed)


def _template_location(exc: BaseException) -> str:
    """file:line of the innermost template frame of a rendering error."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".html", ".md", ".xml")) or "/templates/" in name or "_templates" in name:
            where = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _top(context: Context | Mapping[str, Any]) -> dict[str, Any]:
    """The context's top-level names, for `template.render(**names)` (a typed context or a dict)."""
    import dataclasses

    if dataclasses.is_dataclass(context) and not isinstance(context, type):
        return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return dict(cast("Mapping[str, Any]", context))  # not a typed context: a mapping of names


def render_text(name: str, context: Context | Mapping[str, Any], dirs: list[Path], fmt: str) -> str:
    """Render a text template (`report.md.j2`, `report.html.j2`) with `context`."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = _env(dirs, fmt)
    try:
        template = env.get_template(name)
        return template.render(**_top(context))
    except jinja2.TemplateNotFound:
        raise _not_found(name, dirs) from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise RenderError("template-syntax", {"where": where, "detail": exc.message}) from None
    except jinja2.UndefinedError as exc:
        where = _template_location(exc) or name
        raise RenderError("template-undefined", {"where": where, "detail": exc.message}) from None
    except SecurityError as exc:  # the sandbox refused: a template that reaches for Python's internals
        where = _template_location(exc) or name
        raise RenderError("template-unsafe", {"where": where, "detail": str(exc)}) from None
    except RenderError:
        raise
    except Exception as exc:  # anything else a user's template can do (a division by zero, a bad filter)
        where = _template_location(exc) or name
        raise RenderError("template-failed", {"where": where, "detail": f"{type(exc).__name__}: {exc}"}) from None


def render_docx(name: str, context: Context | Mapping[str, Any], dirs: list[Path]) -> bytes:
    """Fill a Word template (docxtpl Jinja tags) and return the .docx bytes."""
    import io

    import jinja2
    from docxtpl import DocxTemplate
    from jinja2.exceptions import SecurityError

    from kehoach.base.files import read_file

    path = find_template(name, dirs)
    env = _sandbox(undefined=jinja2.StrictUndefined, autoescape=True, finalize=printed_docx)
    env.filters.update(FILTERS)
    try:
        doc = DocxTemplate(io.BytesIO(read_file(path, MAX_TEMPLATE_BYTES)))
        doc.render(_top(context), jinja_env=env, autoescape=True)
    except SecurityError as exc:
        raise RenderError("template-unsafe", {"where": str(path), "detail": str(exc)}) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError("template-syntax", {"where": str(path), "detail": exc.message}) from None
    except jinja2.UndefinedError as exc:
        raise RenderError("template-undefined", {"where": str(path), "detail": exc.message}) from None
    except Exception as exc:  # not a Word file, a damaged one, or a failing tag
        raise RenderError("template-failed", {"where": str(path), "detail": f"{type(exc).__name__}: {exc}"}) from None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

