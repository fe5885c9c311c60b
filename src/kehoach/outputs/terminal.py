"""`kehoach status` as the user reads it: the terminal table (rich), its plain and Markdown twins,
and the JSON; one plan or a roll-up of several.

Colour follows the terminal: none when piped, none with NO_COLOR, and the
table fits 80 columns with the status column kept whole.
"""

from __future__ import annotations

import errno
import sys
from typing import TYPE_CHECKING, TextIO

from kehoach.base.messages import text
from kehoach.outputs.render import md_escape
from kehoach.views.statusview import Group, Row, body_completion, group_rows, headline

if TYPE_CHECKING:
    from rich.console import Console

    from kehoach.judge.rollup import RollupStatus
    from kehoach.judge.scope import Scope
    from kehoach.judge.status import PlanStatus

STYLE = {
    "done_on_time": "green", "done_late": "yellow", "overdue": "bold red", "due_soon": "magenta",
    "in_progress": "cyan", "not_started": "dim", "ongoing": "blue", "ongoing_stale": "red",
    "not_triggered": "dim", "suspended": "dim",
}
COLUMNS = ("id", "task", "lead", "deadline", "status", "percent", "updated")  # status-table.<column>


def column_heads(lang: str) -> list[str]:
    """The column headings of the status table."""
    return [text(f"status-table.{c}", lang) for c in COLUMNS]


class PlainScreen:
    """Standard output that is no terminal, `width` columns wide as rich counts them: the status
    table is written there as plain text laid out as rich lays it out (`plain_table`), without
    importing rich. `strict`: a table rich alone can lay out raises `NeedsRich` instead of being
    drawn by rich (the door's fast path then hands the command line to the full one)."""

    __slots__ = ("strict", "width")

    def __init__(self, width: int, strict: bool = False):
        self.width, self.strict = width, strict


class NeedsRich(Exception):
    """A table the plain writer cannot be sure to lay out as rich does."""


def plain_screen() -> PlainScreen | None:
    """Standard output as rich would see it, when rich would write plain text there: no terminal,
    no colours forced (FORCE_COLOR, TTY_COMPATIBLE), UTF-8, its width (a terminal on standard
    input or error, else 80; $COLUMNS first); None when rich must draw."""
    import os

    env = os.environ
    if not _plain_anywhere():
        return None
    try:
        if sys.stdout.isatty() or _codec(getattr(sys.stdout, "encoding", None) or "utf-8") != "utf-8":
            return None
    except (AttributeError, ValueError, LookupError):
        return None
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():  # rich's own test: then its width, even 0
        if not columns.isascii():
            return None
        width = int(columns)
    else:
        width = 0
        for fd in (0, 1, 2):
            try:
                width = os.get_terminal_size(fd)[0]
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = width or 80
    return PlainScreen(width) if 20 <= width <= 1000 else None


def _plain_anywhere() -> bool:
    """Whether rich, writing to a file or a pipe, writes plain text there: not when told that
    any output is a terminal (FORCE_COLOR, TTY_COMPATIBLE) or on Windows."""
    import os

    return sys.platform != "win32" and not any(k in os.environ for k in ("FORCE_COLOR", "TTY_COMPATIBLE",
                                                                         "JUPYTER_COLUMNS"))


def _codec(name: str) -> str:
    import codecs

    return codecs.lookup(name).name


def screen(strict: bool = False) -> Console | PlainScreen:
    """Where the status table goes on standard output: plain text when no terminal is there
    (`plain_screen`), else a rich console (colours, the terminal's width)."""
    plain = plain_screen()
    if plain is not None:
        plain.strict = strict
        return plain
    if strict:
        raise NeedsRich
    return make_console()


def make_console(file: TextIO | None = None, width: int | None = None, plain: bool = False) -> Console:
    """A console for the status view; `plain` (a file) never writes escape codes."""
    from rich.console import Console

    from kehoach.base.settings import current

    no_color = plain or not current().color
    console = Console(
        file=file, width=width, color_system=None if no_color else "auto", no_color=no_color,
        highlight=False, emoji=False, soft_wrap=False, markup=False,
    )
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # rich would exit(1) itself
    return console


def _broken_pipe() -> None:
    """A closed pipe goes up to the command line, which ends quietly with exit 2 (kehoach.cli.app)."""
    raise BrokenPipeError(errno.EPIPE, "broken pipe")


def bar(percent: int, width: int = 20) -> str:
    full = round(width * percent / 100)
    return "█" * full + "░" * (width - full)


def _date(row: Row, lang: str = "vi") -> str:
    from kehoach.base.vndates import short_date

    return short_date(row.last_date, lang) if row.last_date else ""


def _pct(row: Row) -> str:
    """A row's percent as shown ("40%"); nothing for continuous work, which has none."""
    return "" if row.percent is None else f"{row.percent}%"


def render_table(console: Console, ps: PlanStatus, groups: list[Group], lang: str = "vi", bodies: bool = True,
                 scope: Scope | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    from kehoach.base.text import visible
    from kehoach.outputs.render import one_line

    def v(value: str) -> str:  # plan text is shown, never acted on: no markup, no escapes, one line
        return one_line(visible(value))

    title, *rest = headline(ps, lang, scope)
    console.print(Text(v(title), style="bold"))
    for line in rest:
        console.print(Text(v(line)))
    if not any(g.rows for g in groups):
        console.print()
        console.print(text("status-table.none", lang))
        return
    compact = console.width < 110
    h = column_heads(lang)
    for group in groups:
        table = Table(
            title=Text(v(group.title), style="bold") if group.title else None, title_justify="left",
            expand=True, pad_edge=False, box=None, header_style="bold",
        )
        table.add_column(h[0], no_wrap=True)
        table.add_column(h[1], ratio=3, overflow="fold")
        if not compact:
            table.add_column(h[2], ratio=1, overflow="fold")
            table.add_column(h[3], ratio=1, overflow="fold")
        table.add_column(h[4], no_wrap=True)
        if not compact:
            table.add_column(h[5], justify="right", no_wrap=True)
            table.add_column(h[6], no_wrap=True)
        for r in group.rows:
            ident = Text("  " * r.depth + v(r.id))
            label = Text(r.status_label, style=STYLE[r.status])
            if compact:
                task = Text(v(r.title))
                detail = " · ".join(v(x) for x in (r.lead_text, r.deadline) if x)
                if detail:
                    task.append("\n" + detail, style="dim")
                if r.leads_text:
                    task.append("\n" + v(r.leads_text), style="dim")
                label.append("\n" + " · ".join(x for x in (_pct(r), _date(r, lang)) if x), style="")
                table.add_row(ident, task, label)
            else:
                named = Text(v(r.title))
                if r.leads_text:
                    named.append("\n" + v(r.leads_text), style="dim")
                table.add_row(ident, named, Text(v(r.lead_text)), Text(v(r.deadline)), label,
                              _pct(r).rstrip("%"), _date(r, lang))
        console.print()
        console.print(table)
    if bodies:
        console.print()
        console.print(Text(text("doc.by_body", lang), style="bold"))
        groups = body_completion(ps, lang, scope)
        name_width = max(10, min(40, console.width - 30))
        for g in groups:
            title = v(g.title)
            name = title if len(title) <= name_width else title[: name_width - 1] + "…"
            console.print(Text(f"{name:<{name_width}} {bar(g.percent, 15)} {g.percent:>3}%"))


# ---------------------------------------------------------------- the table as rich writes it to no terminal

_ONE_CELL: frozenset[str] = frozenset()
_WORD = None


def _one_cell(text: str) -> bool:
    """Whether every character of `text` is one cell wide for rich and for the plain writer
    alike (Latin with Vietnamese letters, dashes, quotes, the bar's blocks): the plain writer
    lays out nothing else."""
    global _ONE_CELL
    if not _ONE_CELL:
        _ONE_CELL = frozenset(chr(c) for a, b in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482),
                                                  (0x1E00, 0x1EFF), (0x2010, 0x2027), (0x2500, 0x25FC))
                              for c in range(a, b + 1))
    return _ONE_CELL.issuperset(text.replace("\n", ""))


def _divide(text: str, width: int) -> list[int]:
    """Where rich breaks a line of `text` to fit `width` cells (rich._wrap.divide_line, folding
    a word longer than a line)."""
    import re

    if len(text) <= width:  # every word fits where it stands
        return []
    global _WORD
    if _WORD is None:
        _WORD = re.compile(r"\s*\S+\s*")
    breaks: list[int] = []
    offset = 0
    match = _WORD.match(text, 0)
    while match is not None:
        start, end = match.span()
        word = match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i:i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
        match = _WORD.match(text, end)
    return breaks


def _wrap(text: str, width: int, justify: str = "default", no_wrap: bool = False,
          ellipsis: bool = False) -> list[str]:
    """The lines of `text` as rich's `Text.wrap` makes them (`justify` default, left or right;
    folded, or with `no_wrap` cut with an ellipsis)."""
    import re

    lines: list[str] = []
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            cuts = [0, *_divide(line, width), len(line)]
            pieces = []
            for a, b in zip(cuts, cuts[1:], strict=False):
                piece = line[a:b]
                if len(piece) > width:  # Text.rstrip_end
                    space = re.search(r"\s+$", piece)
                    if space is not None:
                        piece = piece[:len(piece) - min(len(space.group(0)), len(piece) - width)]
                pieces.append(piece)
        for piece in pieces:
            if justify == "right":
                piece = _fit(piece.rstrip(), width, ellipsis)
                piece = " " * (width - len(piece)) + piece
            elif justify == "left":
                piece = _fit(piece, width, ellipsis)
                piece += " " * (width - len(piece))
            lines.append(_fit(piece, width, ellipsis))
    return lines


def _fit(text: str, width: int, ellipsis: bool) -> str:
    """Text.truncate: cut to `width` cells, with '…' for an ellipsis."""
    if len(text) <= width:
        return text
    return text[:width - 1] + "…" if ellipsis else text[:width]


def _distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    """rich._ratio.ratio_distribute."""
    import math

    if minimums:
        ratios = [ratio if low else 0 for ratio, low in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    remaining = total
    shares: list[int] = []
    for ratio, low in zip(ratios, minimums or [0] * len(ratios), strict=True):
        share = max(low, math.ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        shares.append(share)
        total_ratio -= ratio
        remaining -= share
    return shares


class _Column:
    __slots__ = ("head", "justify", "no_wrap", "ratio")

    def __init__(self, head: str, ratio: int = 0, no_wrap: bool = False, justify: str = "left"):
        self.head, self.ratio, self.no_wrap, self.justify = head, ratio, no_wrap, justify


def _table(width: int, title: str, columns: list[_Column], rows: list[list[str]]) -> list[str] | None:
    """The lines of a rich `Table(expand=True, pad_edge=False, box=None, title_justify="left")` of
    text cells at `width` columns; None when rich would have to shrink columns past their ratios
    (its collapsing), which the plain writer does not reproduce."""
    last = len(columns) - 1
    pads = [(0 if i == 0 else 1, 0 if i == last else 1) for i in range(len(columns))]
    cells = [[c.head for c in columns], *rows]
    ranges = []
    for i in range(len(columns)):
        extra = sum(pads[i])
        if width - extra < 1:
            return None
        lows, highs = [], []
        for row in cells:
            text = row[i]
            lines, words = text.splitlines(), text.split()
            high = max(len(x) for x in lines) if lines else 0
            low = max(len(x) for x in words) if words else high
            low, high = min(low, high, width), min(high, width)
            if high < 1:
                low = high = 0
            lows.append(min(low + extra, width))
            highs.append(min(high + extra, width))
        ranges.append((min(max(lows), width), min(max(highs), width)))
    widths = [high or 1 for _, high in ranges]
    flexible = [i for i, c in enumerate(columns) if c.ratio]
    fixed = [0 if c.ratio else ranges[i][1] for i, c in enumerate(columns)]
    shares = _distribute(width - sum(fixed), [columns[i].ratio for i in flexible],
                         [1 + sum(pads[i]) for i in flexible])
    for i, share in zip(flexible, shares, strict=True):
        widths[i] = fixed[i] + share
    if sum(widths) > width:
        return None
    if sum(widths) < width:
        widths = [w + pad for w, pad in zip(widths, _distribute(width - sum(widths), widths), strict=True)]
    for i, (left, right) in enumerate(pads):
        if widths[i] - left - right < 1:
            return None
    out = _wrap(title, sum(widths), "left") if title else []
    for n, row in enumerate(cells):
        shown = []
        for i, column in enumerate(columns):
            left, right = pads[i]
            inner = widths[i] - left - right
            lines = _wrap(row[i], inner, column.justify, column.no_wrap, ellipsis=column.no_wrap)
            shown.append([" " * left + line + " " * (inner - len(line)) + " " * right for line in lines])
        height = max(len(x) for x in shown)
        for i, lines in enumerate(shown):
            blank = [" " * widths[i]] * (height - len(lines))
            shown[i] = blank + lines if n == 0 else lines + blank
        out += ["".join(parts) for parts in zip(*shown, strict=True)]
    return out


def plain_table(width: int, ps: PlanStatus, groups: list[Group], lang: str = "vi", bodies: bool = True,
                scope: Scope | None = None) -> str | None:
    """The text `render_table` writes on a rich console `width` columns wide that is no terminal,
    made without rich; None when it cannot be sure to lay it out as rich does (a character rich
    may count as more or less than one cell, a control character, columns rich would collapse)."""
    from kehoach.base.text import visible
    from kehoach.outputs.render import one_line

    def v(value: str) -> str:
        return one_line(visible(value))

    out: list[str] = []
    seen: list[str] = []

    def say(line: str) -> None:  # console.print of a text: wrapped, never padded, cropped
        seen.append(line)
        out.extend(piece[:width] for piece in _wrap(line, width))

    title, *rest = headline(ps, lang, scope)
    say(v(title))
    for line in rest:
        say(v(line))
    if not any(g.rows for g in groups):
        out.append("")
        say(text("status-table.none", lang))
        return _checked(out, seen)
    compact = width < 110
    h = column_heads(lang)
    for group in groups:
        if compact:
            columns = [_Column(h[0], no_wrap=True), _Column(h[1], ratio=3), _Column(h[4], no_wrap=True)]
        else:
            columns = [_Column(h[0], no_wrap=True), _Column(h[1], ratio=3), _Column(h[2], ratio=1),
                       _Column(h[3], ratio=1), _Column(h[4], no_wrap=True),
                       _Column(h[5], no_wrap=True, justify="right"), _Column(h[6], no_wrap=True)]
        rows = []
        for r in group.rows:
            ident = "  " * r.depth + v(r.id)
            if compact:
                task = v(r.title)
                detail = " · ".join(v(x) for x in (r.lead_text, r.deadline) if x)
                if detail:
                    task += "\n" + detail
                if r.leads_text:
                    task += "\n" + v(r.leads_text)
                label = r.status_label + "\n" + " · ".join(x for x in (_pct(r), _date(r, lang)) if x)
                rows.append([ident, task, label])
            else:
                named = v(r.title) + ("\n" + v(r.leads_text) if r.leads_text else "")
                rows.append([ident, named, v(r.lead_text), v(r.deadline), r.status_label, _pct(r).rstrip("%"),
                             _date(r, lang)])
        heading = v(group.title) if group.title else ""
        seen += [heading, *h, *(cell for row in rows for cell in row)]
        lines = _table(width, heading, columns, rows)
        if lines is None:
            return None
        out.append("")
        out += [line[:width] for line in lines]
    if bodies:
        out.append("")
        say(text("doc.by_body", lang))
        name_width = max(10, min(40, width - 30))
        for g in body_completion(ps, lang, scope):
            title = v(g.title)
            name = title if len(title) <= name_width else title[: name_width - 1] + "…"
            say(f"{name:<{name_width}} {bar(g.percent, 15)} {g.percent:>3}%")
    return _checked(out, seen)


def _checked(out: list[str], seen: list[str]) -> str | None:
    """The lines written, or None when a text shown holds a character the plain writer does not
    measure as rich does."""
    if not all(_one_cell(x) for x in seen):
        return None
    return "".join(line + "\n" for line in out)


def render_markdown(ps: PlanStatus, groups: list[Group], lang: str = "vi", scope: Scope | None = None) -> str:
    """The status as Markdown; plan text is escaped, so that it reads as written and never
    as markup (a title holding `|`, `*`, `<script>` or `[link](…)` stays words)."""
    from kehoach.outputs.render import md_escape as cell

    head = headline(ps, lang, scope)
    lines = [f"# {cell(head[0])}", "", *[f"{cell(x)}  " for x in head[1:]], ""]
    h = column_heads(lang)
    for group in groups:
        if group.title:
            lines += [f"## {cell(group.title)}", ""]
        lines += ["| " + " | ".join(h) + " |", "|" + "---|" * len(h)]
        for r in group.rows:
            lines.append(
                "| " + " | ".join(cell(x) for x in (
                    ("\u00a0" * 2 * r.depth) + r.id, r.title, r.lead_text, r.deadline, r.status_label,
                    _pct(r).rstrip("%"), _date(r, lang))) + " |"
            )
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- `kehoach status`, in each format


def plan_status_text(ps: PlanStatus, rows: list[Row], fmt: str = "table", lang: str = "vi",
                     scope: Scope | None = None, by: str | None = None, path: str | None = None,
                     console: Console | PlainScreen | None = None) -> str | bytes:
    """`kehoach status` in a format, of the rows shown (`views.statusview.status_rows`): `table`,
    `json` (UTF-8 bytes, as they are written: a large plan's JSON is never held as text too) or
    `markdown`.

    A `table` is drawn on `console` (a rich console: colours on a terminal) when one is
    given, and the text is then empty; on a `PlainScreen` it is the text rich would write there;
    without either it is plain text, 120 columns wide."""
    groups = group_rows(ps, rows, by, lang) if by else None
    if fmt == "json":
        from kehoach.views.statusview import status_json_bytes

        return status_json_bytes(ps, rows, lang, path, scope, groups)
    shown = groups or [Group("", "", rows)]
    if fmt == "markdown":
        return render_markdown(ps, shown, lang, scope)
    if isinstance(console, PlainScreen):
        drawn = plain_table(console.width, ps, shown, lang, scope=scope)
        if drawn is not None:
            return drawn
        if console.strict:
            raise NeedsRich
        console = make_console()
    if console is not None:
        render_table(console, ps, shown, lang, scope=scope)
        return ""
    drawn = plain_table(120, ps, shown, lang, scope=scope) if _plain_anywhere() else None
    if drawn is not None:
        return drawn
    import io

    buffer = io.StringIO()
    render_table(make_console(buffer, width=120, plain=True), ps, shown, lang, scope=scope)
    return buffer.getvalue()


# ---------------------------------------------------------------- several plans


def rollup_markdown(r: RollupStatus, lang: str) -> str:
    from kehoach.views.rollupview import BODY_COLUMNS, PLAN_COLUMNS, rollup_headline, status_rows

    head = rollup_headline(r, lang)
    lines = [f"# {md_escape(head[0])}", "", *[f"{md_escape(x)}  " for x in head[1:]], ""]
    plans, bodies = status_rows(r)
    for title, columns, rows in ((text("rollup.by-plan", lang), PLAN_COLUMNS, plans),
                                 (text("rollup.by-body", lang), BODY_COLUMNS, bodies)):
        heads = [text(f"rollup.col.{c}", lang) for c in columns]
        lines += [f"## {title}", "", "| " + " | ".join(heads) + " |",
                  "|---|" + "---:|" * (len(heads) - 1)]
        lines += ["| " + " | ".join(md_escape(x) for x in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def rollup_table(console: Console, r: RollupStatus, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from kehoach.views.rollupview import BODY_COLUMNS, PLAN_COLUMNS, rollup_headline, status_rows

    for line in rollup_headline(r, lang):
        console.print(Text(line))
    plans, bodies = status_rows(r, compact=True)
    for title, columns, rows in ((text("rollup.by-plan", lang), PLAN_COLUMNS, plans),
                                 (text("rollup.by-body", lang), BODY_COLUMNS, bodies)):
        table = Table(title=title, title_justify="left", show_lines=False)
        for i, c in enumerate(columns):
            table.add_column(text(f"rollup.col.{c}", lang), justify="left" if i == 0 else "right",
                             overflow="fold")
        for row in rows:
            table.add_row(*(Text(x) for x in row))
        console.print()
        console.print(table)


def rollup_status_text(r: RollupStatus, fmt: str, lang: str, console: Console | PlainScreen | None = None) -> str:
    """The roll-up in a format (`table` drawn on `console` when given, then the text is empty)."""
    if fmt == "json":
        from kehoach.base.text import json_text
        from kehoach.views.rollupview import status_json

        return json_text(status_json(r))
    if fmt == "markdown":
        return rollup_markdown(r, lang)
    if isinstance(console, PlainScreen):
        if console.strict:
            raise NeedsRich
        console = make_console()
    if console is not None:
        rollup_table(console, r, lang)
        return ""
    import io

    buffer = io.StringIO()
    rollup_table(make_console(buffer, width=120, plain=True), r, lang)
    return buffer.getvalue()
