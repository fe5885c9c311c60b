"""`kehoach status` as the user reads it: the terminal table (rich), its plain and Markdown twins,
and the JSON; one plan or a roll-up of several.

Colour follows the terminal: none when piped, none with NO_COLOR, and the
table fits 80 columns with the status column kept whole.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING, TextIO

from kehoach.base.messages import text
from kehoach.outputs.render import md_escape
from kehoach.views.rollupview import BODY_COLUMNS, PLAN_COLUMNS, rollup_headline, status_json, status_rows
from kehoach.views.statusview import Group, Row, body_completion, group_rows, headline, to_json

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
                     console: Console | None = None) -> str:
    """`kehoach status` in a format, of the rows shown (`views.statusview.status_rows`): `table`,
    `json` or `markdown`.

    A `table` is drawn on `console` (a rich console: colours on a terminal) when one is
    given, and the text is then empty; without one it is plain text, 120 columns wide."""
    groups = group_rows(ps, rows, by, lang) if by else None
    if fmt == "json":
        from kehoach.base.text import json_text

        return json_text(to_json(ps, rows, lang, path, scope, groups))
    shown = groups or [Group("", "", rows)]
    if fmt == "markdown":
        return render_markdown(ps, shown, lang, scope)
    if console is not None:
        render_table(console, ps, shown, lang, scope=scope)
        return ""
    import io

    buffer = io.StringIO()
    render_table(make_console(buffer, width=120, plain=True), ps, shown, lang, scope=scope)
    return buffer.getvalue()


# ---------------------------------------------------------------- several plans


def rollup_markdown(r: RollupStatus, lang: str) -> str:
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


def rollup_status_text(r: RollupStatus, fmt: str, lang: str, console: Console | None = None) -> str:
    """The roll-up in a format (`table` drawn on `console` when given, then the text is empty)."""
    if fmt == "json":
        from kehoach.base.text import json_text

        return json_text(status_json(r))
    if fmt == "markdown":
        return rollup_markdown(r, lang)
    if console is not None:
        rollup_table(console, r, lang)
        return ""
    import io

    buffer = io.StringIO()
    rollup_table(make_console(buffer, width=120, plain=True), r, lang)
    return buffer.getvalue()
