"""Rendering a view model through a template: Markdown, HTML and Word.

Templates are looked up by name in order: `--templates DIR` (or
KEHOACH_TEMPLATES), then the built-in templates shipped with kehoach. A
`templates/` folder beside the plan is not used unless named so: a plan may
come from elsewhere, and so may the folder beside it. Every template renders
in Jinja's sandbox (no attribute of Python's internals, no call that reaches
the system), is read as data (a regular file of bounded size), and a template
that names a missing value fails with the template's file and line
(StrictUndefined). A template is bounded (`Bounds`): it renders for at most
KEHOACH_TEMPLATE_SECONDS and writes at most KEHOACH_TEMPLATE_BYTES, its numbers,
repetitions and loops are kept within them, and a template (or a file it includes)
that is a link to a file outside its folder is not read; a Word template is
screened like any zip before it is opened. Plan text is inert in every format: control characters are
taken out, then HTML is escaped by autoescape, Markdown by a finalize step,
Word by docxtpl's XML escaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kehoach.base.errors import KehoachError
from kehoach.base.text import printable

if TYPE_CHECKING:
    import os

    import jinja2
    from jinja2.runtime import Context as JinjaContext

    from kehoach.views.context import Context


_T = TypeVar("_T")


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
            return inside(d / name, d)
    raise _not_found(name, dirs)


def inside(path: Path, folder: Path) -> Path:
    """`path`, when it lies in `folder` once links are resolved; a template that is a link to a file
    elsewhere (`/etc/passwd`, a key) would copy that file into a document: refused."""
    import os

    real, home = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    if home not in real.parents:
        raise RenderError("template-outside", {"where": str(path), "target": str(real)}, exit_code=2)
    return path


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
                inside(path, folder)
                try:
                    source = read_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise RenderError("template-failed", {"where": str(path), "detail": str(exc)}) from None
                return source, str(path), lambda: False
            raise jinja2.TemplateNotFound(template)

    return Loader()


class TemplateStopped(BaseException):
    """Raised into a rendering that ran out of its time or its room (`Bounds`). A BaseException,
    so that no `except Exception` on the way (Jinja's, docxtpl's) swallows it."""

    reason = "template-timeout"


class TemplateTooLarge(TemplateStopped):
    reason = "template-too-large"


MAX_INT_BITS = 100_000  # the largest number a template may compute: about 30,000 digits
MAX_COUNT = 100_000  # the most rows `batch` or `slice` may make (Jinja's own MAX_RANGE for `range`)
_HUGE_FORMAT = re.compile(r"%[-#0 +]*(?:\*|\d{6,})|%[-#0 +]*\d*\.(?:\*|\d{6,})|\{[^{}]*\d{6,}")


class Bounds:
    """What one rendering may take: `seconds` of time and `size` characters of output (the
    settings' KEHOACH_TEMPLATE_SECONDS and KEHOACH_TEMPLATE_BYTES).

    Kept three ways. The environment counts: each buffer a template joins (the document, a
    macro's output, a `{% set %}` block) stops past `size`; a number, a repetition, a
    concatenation, a `%` format or a string method whose result would pass them is refused
    before it is computed (`10**(10**8)`, `'x' * 10**9`, `s.ljust(10**9)`); `range` keeps Jinja's
    limit and `batch`, `slice` theirs. Every call checks the clock. And a watchdog thread stops
    what counting cannot see (two nested loops over a list, a macro that calls itself twice,
    strings grown by `~`): past the deadline, or when the process's memory has grown by more than
    16 times `size`, it raises `TemplateStopped` into the rendering thread (between two Python
    steps), again every half second until the rendering ends."""

    def __init__(self, seconds: float | None = None, size: int | None = None):
        import time

        from kehoach.base.settings import current

        self.seconds = current().template_seconds if seconds is None else seconds
        self.size = current().template_bytes if size is None else size
        self.deadline = time.monotonic() + self.seconds

    def tick(self) -> None:
        import time

        if time.monotonic() > self.deadline:
            raise TemplateStopped()

    def room(self, size: int) -> None:
        if size > self.size:
            raise TemplateTooLarge()

    def __enter__(self) -> Bounds:
        import threading

        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.get_ident()
        self._memory = _memory()
        watch = threading.Thread(target=self._watch, name="kehoach-template-watchdog", daemon=True)
        watch.start()
        self._watcher = watch
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done.set()  # from here on, nothing is raised into this thread
        self._watcher.join()
        _checkpoint()  # one raised just before is raised here, inside the caller's `try`

    def _watch(self) -> None:
        import ctypes
        import time

        step = min(0.05, max(self.seconds / 20, 0.005))
        while not self._done.wait(step):
            over = time.monotonic() > self.deadline
            grown = self._memory is not None and (_memory() or 0) - self._memory > 16 * self.size
            if not over and not grown:
                continue
            with self._lock:
                if self._done.is_set():
                    return
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._thread), ctypes.py_object(TemplateTooLarge if grown else TemplateStopped))
            if self._done.wait(0.5):
                return


def _checkpoint() -> None:
    """A Python call: where an exception raised into this thread from another surfaces at the latest."""


def _memory() -> int | None:
    """The process's resident memory in bytes (Linux), else its peak (elsewhere), else None."""
    import os

    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) * (1 if sys.platform == "darwin" else 1024)
    except (ImportError, OSError, ValueError):
        return None


def _check_binop(operator: str, left: object, right: object, bounds: Bounds) -> None:
    """Refuse, before it is computed, an operation whose result passes the bounds."""
    def whole(x: object) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    sequence = (str, bytes, list, tuple)
    if operator == "**" and whole(left) and whole(right):
        assert isinstance(left, int) and isinstance(right, int)
        if abs(left) > 1 and right > 0 and right * abs(left).bit_length() > MAX_INT_BITS:
            raise TemplateTooLarge()
    elif operator == "*":
        if whole(left) and whole(right):
            assert isinstance(left, int) and isinstance(right, int)
            if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise TemplateTooLarge()
        elif isinstance(left, sequence) and whole(right):
            bounds.room(len(left) * max(int(right), 0))  # type: ignore[call-overload]
        elif whole(left) and isinstance(right, sequence):
            bounds.room(len(right) * max(int(left), 0))  # type: ignore[call-overload]
    elif operator == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        bounds.room(len(left) + len(right))
    elif operator == "%" and isinstance(left, str) and _HUGE_FORMAT.search(left):
        raise TemplateTooLarge()


def _call_size(obj: object, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """How long the result of a string's method may be, from its arguments (0 when not one)."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, (str, bytes)):
        return 0
    values = [*args, *kwargs.values()]
    numbers = [abs(v) for v in values if isinstance(v, int)]
    texts = [len(v) for v in values if isinstance(v, (str, bytes))]
    name = getattr(obj, "__name__", "")
    if name == "replace":
        return len(owner) + (len(owner) + 1) * max(texts, default=0)
    if name == "expandtabs":
        return len(owner) * max(numbers, default=8)
    if name in ("format", "format_map") and _HUGE_FORMAT.search(str(owner)):
        return 1 << 62
    return len(owner) + max(numbers, default=0) + sum(texts)


def _bounded_filter(name: str, func: Callable[..., Any], bounds: Bounds) -> Callable[..., Any]:
    """A built-in filter whose whole-number arguments (a width, a count) are kept within the bounds."""
    import functools

    limit = MAX_COUNT if name in ("batch", "slice") else bounds.size

    @functools.wraps(func)  # keeps Jinja's pass_context / pass_eval_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        bounds.tick()
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limit:
                raise TemplateTooLarge()
        if name == "format" and any(isinstance(a, str) and _HUGE_FORMAT.search(a) for a in args[:3]):
            raise TemplateTooLarge()
        return func(*args, **kwargs)

    return bounded


def _sandbox(bounds: Bounds | None = None, **options: Any) -> jinja2.Environment:
    """Jinja's sandbox, the immutable one: a template cannot reach Python's internals (`__class__`,
    `__globals__`), call what is unsafe, run code, or change the values it is given (a list's
    `append`, a dict's `update`: the parts of a Word document are rendered in an order of their
    own, and each must see the same view); it gets a view and prints it, within `bounds`."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    limits = bounds or Bounds()

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*", "+", "%"})

        def call_binop(self, context: JinjaContext, operator: str, left: Any, right: Any) -> Any:
            limits.tick()
            _check_binop(operator, left, right, limits)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: JinjaContext, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            limits.tick()
            limits.room(_call_size(__obj, args, kwargs))
            return super().call(__context, __obj, *args, **kwargs)

        def concat(self, pieces: Any) -> str:
            """Every buffer a template joins (the document, a macro, a `{% set %}` block), counted."""
            kept, total = [], 0
            for n, piece in enumerate(pieces):
                total += len(piece)
                limits.room(total)
                kept.append(piece)
                if not n % 4096:
                    limits.tick()
            return "".join(kept)

    env = Bounded(**options)
    env.bounds = limits  # type: ignore[attr-defined]
    env.globals.pop("lipsum", None)  # n paragraphs of filler, as many as asked: nothing a document needs
    for name in ("center", "indent", "batch", "slice", "format", "wordwrap", "truncate"):
        if name in env.filters:
            env.filters[name] = _bounded_filter(name, env.filters[name], limits)
    env.filters["join"] = _bounded_join(env.filters["join"], limits)
    return env


def _bounded_join(func: Callable[..., Any], bounds: Bounds) -> Callable[..., Any]:
    """The `join` filter, its result measured before it is made: a list of 100 texts of 60 MB
    joined made a text of 6 GB in one step no clock or counter could stop."""
    import functools

    @functools.wraps(func)  # keeps Jinja's pass_eval_context mark
    def bounded(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        bounds.tick()
        if isinstance(value, (list, tuple)):
            sizes = [len(v) for v in value if isinstance(v, (str, bytes))]
            bounds.room(sum(sizes) + len(d) * max(len(value) - 1, 0))
        return func(eval_ctx, value, d, attribute)

    return bounded


def _env(dirs: list[Path], fmt: str, bounds: Bounds | None = None) -> jinja2.Environment:
    import jinja2

    loader = _loader(dirs)

    def environment(autoescape: bool, finalize: Callable[..., Any] | None = None) -> jinja2.Environment:
        """An environment with the options every text format shares."""
        return _sandbox(
            bounds,
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
    return _render(name, context, dirs, fmt, lambda template, names, bounds: template.render(**names))


def render_bytes(name: str, context: Context | Mapping[str, Any], dirs: list[Path], fmt: str) -> bytes:
    """`render_text(...)` in UTF-8, the same bytes, made piece by piece into one buffer: a large
    document is never held as its whole text and its bytes at once. The pieces are counted
    against the size bound as the environment counts a buffer it joins. A page made with a user's
    template folder is locked as the built-in pages are (`locked_html`)."""
    data = _render(name, context, dirs, fmt, _encoded)
    return locked_html(data) if fmt == "html" and _user_folder(dirs) else data


def _user_folder(dirs: list[Path]) -> bool:
    """Whether a template folder from the user (data from outside, maybe) is in use."""
    return any(d.resolve() != builtin_dir().resolve() for d in dirs)


CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'\">")
_DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<!doctype[^>]*>", re.I | re.S)


def locked_html(data: bytes) -> bytes:
    """A page from a user's template with the built-in pages' policy set before anything of the
    template's: no script runs, nothing is fetched, no form sent, whatever the template wrote
    (a policy first in the page goes into its head and holds for all that follows)."""
    head = _DOCTYPE.match(data)
    at = head.end() if head else 0
    # a policy cannot stop a `<meta http-equiv="refresh">` sending the reader to another site: the
    # template's `http-equiv` attributes lose their meaning (in any case, wherever they are written)
    return data[:at] + CSP.encode() + _HTTP_EQUIV.sub(b"data-refused-http-equiv", data[at:])


_HTTP_EQUIV = re.compile(rb"http-equiv", re.I)


_ENCODE_PIECES = 4096  # pieces of a rendering joined, encoded and added to the buffer at once


def _encoded(template: jinja2.Template, names: dict[str, Any], bounds: Bounds) -> bytes:
    import io

    out = io.BytesIO()
    batch: list[str] = []
    total = 0
    for piece in template.generate(**names):
        total += len(piece)
        bounds.room(total)
        batch.append(piece)
        if len(batch) >= _ENCODE_PIECES:
            bounds.tick()
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    out.write("".join(batch).encode("utf-8"))
    return out.getvalue()


def _render(name: str, context: Context | Mapping[str, Any], dirs: list[Path], fmt: str,
            make: Callable[[jinja2.Template, dict[str, Any], Bounds], _T]) -> _T:
    """A text template rendered by `make(template, names, bounds)` within its bounds; what can go
    wrong, said as a `RenderError`."""
    import jinja2
    from jinja2.exceptions import SecurityError

    bounds = Bounds()
    env = _env(dirs, fmt, bounds)
    try:
        with bounds:
            template = env.get_template(name)
            return make(template, _top(context), bounds)
    except TemplateStopped as exc:
        raise _stopped(exc, name, bounds) from None
    except jinja2.TemplateNotFound as exc:  # the template, or one it includes, imports or extends
        raise _not_found(exc.name if isinstance(exc.name, str) and exc.name else name, dirs) from None
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


def render_docx(name: str, context: Context | Mapping[str, Any], dirs: list[Path], stream: bool = True) -> bytes:
    """Fill a Word template (docxtpl Jinja tags) and return the .docx bytes: its body streamed
    into the file (`outputs.wordstream`), or without `stream` (or where that cannot be done as
    docxtpl does it) rendered by docxtpl whole."""
    import io

    import jinja2
    from docxtpl import DocxTemplate
    from jinja2.exceptions import SecurityError

    from kehoach.base.files import read_file
    from kehoach.outputs import wordstream

    path = find_template(name, dirs)
    bounds = Bounds()
    env = _sandbox(bounds, undefined=jinja2.StrictUndefined, autoescape=True, finalize=printed_docx)
    env.filters.update(FILTERS)
    try:
        data = read_file(path, MAX_TEMPLATE_BYTES)
    except OSError as exc:
        raise RenderError("template-failed", {"where": str(path), "detail": str(exc)}) from None
    screen_docx(path, data, bounds)
    try:
        with bounds:
            made: bytes | None = None
            try:  # the body streamed into the file (outputs/wordstream.py), as docxtpl would write it
                if stream:
                    made = wordstream.render(data, env, _top(context), bounds)
            except wordstream.NotStreamed:
                pass  # a template or a result that docxtpl renders whole
            if made is None:
                doc = _whole_template(DocxTemplate)(io.BytesIO(data))
                doc.render(_top(context), jinja_env=env, autoescape=True)
                out = io.BytesIO()
                doc.save(out)
                made = out.getvalue()
    except TemplateStopped as exc:
        raise _stopped(exc, str(path), bounds) from None
    except SecurityError as exc:
        raise RenderError("template-unsafe", {"where": str(path), "detail": str(exc)}) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError("template-syntax", {"where": str(path), "detail": exc.message}) from None
    except jinja2.UndefinedError as exc:
        raise RenderError("template-undefined", {"where": str(path), "detail": exc.message}) from None
    except Exception as exc:  # not a Word file, a damaged one, or a failing tag
        raise RenderError("template-failed", {"where": str(path), "detail": f"{type(exc).__name__}: {exc}"}) from None
    if _user_folder(dirs):  # a template from outside may hold what acts on Word: the document is refused
        found = active_content(made)
        if found is not None:
            raise RenderError("template-active", {"where": str(path), "what": found})
    return made


def _whole_template(base: type[Any]) -> type[Any]:
    """docxtpl's template, its rendered body read back with lxml's `huge_tree`: docxtpl reads it
    leniently (`recover`), and without `huge_tree` libxml2 cuts a text over 10 MB there without a
    word (a long note in a report would lose its end). The rendered body is bounded by the
    template's output limit (`Bounds`)."""
    import docxtpl.template
    from lxml import etree  # type: ignore[import-untyped]

    class Huge:  # docxtpl's `etree`, its parsers made with huge_tree
        def __getattr__(self, name: str) -> Any:
            return getattr(etree, name)

        @staticmethod
        def XMLParser(**options: Any) -> Any:  # lxml's name
            return etree.XMLParser(huge_tree=True, **options)

    class Whole(base):  # type: ignore[misc]
        def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
            from kehoach.outputs.wordstream import render_properties

            render_properties(self, context, jinja_env)

        def fix_tables(self, xml: str) -> Any:
            module, was = docxtpl.template, docxtpl.template.etree
            module.etree = Huge()
            try:
                return super().fix_tables(xml)
            finally:
                module.etree = was

    return Whole


MAX_DOCX_MEMBERS = 2000  # the parts of a Word file: a few dozen, a few hundred with images


_FIELD_WORDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "MERGEFORMAT", "CHARFORMAT",
                          "ARABIC", "ROMAN", "ALPHABETIC"})  # compared in capitals: Word reads fields so
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ACTIVE_PARTS = ("vbaproject", "activex", "embeddings/", "oleobject", "afchunk", "altchunk", ".bin")
_ACTIVE_TAGS = frozenset({f"{{{_W}}}altChunk", f"{{{_W}}}control", f"{{{_W}}}object", f"{{{_W}}}subDoc",
                          "{urn:schemas-microsoft-com:office:office}OLEObject"})


def active_content(data: bytes) -> str | None:
    """What in a Word file made from a user's template could act on Word, or None: a field other
    than page numbers (DDE, INCLUDEPICTURE, INCLUDETEXT, LINK… run or fetch), a link to an outside
    file other than a web or mail link (an attached template, a picture or a frame loaded from the
    network), macros, embedded objects, ActiveX controls."""
    import io
    import zipfile

    from lxml import etree

    # read as XML, by namespace, never by the bytes: a template may name WordprocessingML by any
    # prefix (`<q:instrText xmlns:q="…/main">`) and put a field's words in CDATA; no entity or
    # network is resolved
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            low = info.filename.lower()
            if any(p in low for p in _ACTIVE_PARTS):
                return info.filename
            if not low.endswith((".xml", ".rels")):
                continue
            try:
                root = etree.fromstring(zf.read(info), parser)
            except etree.XMLSyntaxError:
                return info.filename  # a part Word could read another way than we do
            if low.endswith(".rels"):
                for rel in root.iter(f"{{{_RELS}}}Relationship"):
                    if rel.get("TargetMode", "").lower() != "external":
                        continue
                    url = rel.get("Target", "")
                    link = rel.get("Type", "").endswith("/hyperlink")
                    if not link or not url.strip().lower().startswith(("http://", "https://", "mailto:")):
                        return f"{info.filename}: {url[:80]}"
                continue
            words = []
            for node in root.iter():
                if not isinstance(node.tag, str):
                    continue  # a comment or a processing instruction
                if node.tag in _ACTIVE_TAGS:
                    return f"{info.filename}: {etree.QName(node).localname}"
                if node.tag == f"{{{_W}}}instrText":
                    words.append(node.text or "")
                instr = node.get(f"{{{_W}}}instr")
                if instr is not None:
                    words.append(instr)
            for word in " ".join(words).replace("\\*", " ").split():
                if not word.startswith("\\") and word.upper() not in _FIELD_WORDS:
                    return f"{info.filename}: {word[:40]}"
    return None


def screen_docx(path: Path, data: bytes, bounds: Bounds) -> None:
    """A Word template is a zip, screened as any zip read (`zip_bomb`) before docxtpl opens it:
    at most MAX_DOCX_MEMBERS parts, unpacking to no more than the output limit."""
    import io
    import zipfile

    from kehoach.base.files import zip_bomb

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            bomb = zip_bomb(zf, max_unzipped=bounds.size, max_ratio=200, max_members=MAX_DOCX_MEMBERS)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise RenderError("template-failed", {"where": str(path), "detail": f"{type(exc).__name__}: {exc}"}) from None
    if bomb:
        raise RenderError("template-docx-bomb", {"where": str(path)}, exit_code=2)


def _stopped(exc: TemplateStopped, where: str, bounds: Bounds) -> RenderError:
    """The error of a rendering stopped by its bounds (exit 2: nothing was written)."""
    if isinstance(exc, TemplateTooLarge):
        return RenderError("template-too-large", {"where": where, "limit": bounds.size}, exit_code=2)
    return RenderError("template-timeout", {"where": where, "seconds": f"{bounds.seconds:g}"}, exit_code=2)

