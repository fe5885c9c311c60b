"""Rendering a view model through a template: Markdown, HTML and Word.

Templates are looked up by name in order: `--templates DIR`, a `templates/`
folder beside the plan, then the built-in templates shipped with kehoach. A
template that names a missing value fails with the template's file and line
(StrictUndefined). Plan text is escaped for the output format: HTML by
autoescape, Markdown by a finalize step, Word by docxtpl's XML escaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import KehoachError

if TYPE_CHECKING:
    import os

    import jinja2

    from .documents import Context


class RenderError(KehoachError):
    """A template could not be found or rendered; the message names file and line."""


def builtin_dir() -> Path:
    """The templates shipped in the wheel, or the repository's templates/ in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_templates"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "templates"


def template_dirs(plan_path: str | os.PathLike[str] | None = None,
                  user_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    dirs: list[Path] = []
    if user_dir:
        user = Path(user_dir)
        if not user.is_dir():
            raise RenderError("templates-missing", {"path": str(user)}, exit_code=2)
        dirs.append(user)
    if plan_path:
        beside = Path(plan_path).resolve().parent / "templates"
        if beside.is_dir():
            dirs.append(beside)
    dirs.append(builtin_dir())
    return dirs


def find_template(name: str, dirs: list[Path]) -> Path:
    for d in dirs:
        if (d / name).is_file():
            return d / name
    raise _not_found(name, dirs)


def _not_found(name: str, dirs: list[Path]) -> RenderError:
    return RenderError("template-not-found", {"name": name, "dirs": ", ".join(str(d) for d in dirs)})


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(value: object) -> str:
    """Plan text as literal Markdown: CommonMark punctuation escaped, one line."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return str(value)
    if not isinstance(value, str):
        return str(value)
    text = re.sub(r"\s*\n\s*", " ", value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", "&amp;", text)  # only where it would read as an entity


class MdSafe(str):
    """Markdown that a template builds itself and must not be escaped again."""


def keep_tail(value: object, words: int = 2) -> str:
    """Join the last `words` words with no-break spaces, so that a title never ends
    with one short word alone on its line ("… quý II năm\u00a02021")."""
    text = "" if value is None else str(value)
    parts = text.rsplit(" ", words - 1) if words > 1 else [text]
    return "\u00a0".join(parts)


FILTERS = {"keep_tail": keep_tail}


def _env(dirs: list[Path], fmt: str) -> jinja2.Environment:
    import jinja2

    loader = jinja2.FileSystemLoader([str(d) for d in dirs])

    def environment(autoescape: bool, finalize: Callable[..., Any] | None = None) -> jinja2.Environment:
        """An environment with the options every text format shares."""
        return jinja2.Environment(
            autoescape=autoescape,
            finalize=finalize,
            loader=loader,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    if fmt == "html":
        env = environment(autoescape=True)
        env.filters.update(FILTERS)
        return env
    if fmt == "md":
        env = environment(autoescape=False, finalize=md_escape)
        env.filters["raw"] = MdSafe
        env.filters.update(FILTERS)
        return env
    return environment(autoescape=False)


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
    except Exception as exc:  # anything else a user's template can do (a division by zero, a bad filter)
        where = _template_location(exc) or name
        raise RenderError("template-failed", {"where": where, "detail": f"{type(exc).__name__}: {exc}"}) from None


def render_docx(name: str, context: Context | Mapping[str, Any], dirs: list[Path]) -> bytes:
    """Fill a Word template (docxtpl Jinja tags) and return the .docx bytes."""
    import io

    import jinja2
    from docxtpl import DocxTemplate

    path = find_template(name, dirs)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    try:
        doc = DocxTemplate(str(path))
        doc.render(_top(context), jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError("template-syntax", {"where": str(path), "detail": exc.message}) from None
    except jinja2.UndefinedError as exc:
        raise RenderError("template-undefined", {"where": str(path), "detail": exc.message}) from None
    except Exception as exc:  # not a Word file, a damaged one, or a failing tag
        raise RenderError("template-failed", {"where": str(path), "detail": f"{type(exc).__name__}: {exc}"}) from None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

