"""The terminal view of `kehoach status` (rich), and its Markdown twin.

Colour follows the terminal: none when piped, none with NO_COLOR, and the
table fits 80 columns with the status column kept whole.
"""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING, TextIO

from kehoach.base.messages import text
from kehoach.views.statusview import Group, Row, body_completion, headline

if TYPE_CHECKING:
    from rich.console import Console

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


def make_console(file: TextIO | None = None, width: int | None = None, plain: bool = False) -> Console:
    """A console for the status view; `plain` (a file) never writes escape codes."""
    from rich.console import Console

    no_color = plain or bool(os.environ.get("NO_COLOR"))
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
