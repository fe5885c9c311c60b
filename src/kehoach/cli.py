"""The command line: parses options, calls the library, prints. Nothing else.

Heavy modules (pydantic models, ruamel, jinja2, document writers) are imported
inside the commands that need them. Every error the user can fix is a
`KehoachError`, printed in one place (`main`) in the user's language.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import EXIT_FAIL, EXIT_USAGE, KehoachError, UsageError



def _ctx_lang(ctx) -> str:
    obj = ctx.find_root().obj
    return obj.get("lang", "vi") if isinstance(obj, dict) else "vi"


class _Command(typer.core.TyperCommand):
    """A command whose help page frame speaks the user's language."""

    def get_help(self, ctx) -> str:
        from .clicktext import help_text

        return help_text(super().get_help(ctx), _ctx_lang(ctx))


class _Group(typer.core.TyperGroup):
    def get_help(self, ctx) -> str:
        from .clicktext import help_text

        return help_text(super().get_help(ctx), _ctx_lang(ctx))


app = typer.Typer(
    name="kehoach",
    help="Kế hoạch dưới dạng mã: kiểm tra, theo dõi và báo cáo một kế hoạch lưu trong tệp YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"kehoach {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Phiên bản của kehoach.", callback=_version,
                                          is_eager=True)] = False,
) -> None:
    """Kế hoạch dưới dạng mã: kiểm tra, theo dõi và báo cáo một kế hoạch lưu trong tệp YAML."""

EXIT_OK = 0
_STATE = {"lang": None}  # the language the current command resolved, for `main` to print errors in


PlanOpt = Annotated[
    Optional[Path],
    typer.Option("--plan", "-p", help="Tệp kế hoạch (mặc định: $KEHOACH_PLAN, hoặc kế hoạch trong plans/ có kỳ chứa hôm nay)."),
]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Ngôn ngữ: vi (mặc định) hoặc en; cũng đọc $KEHOACH_LANG.")]
OutputOpt = Annotated[
    Optional[str], typer.Option("-o", "--output", help="Tệp hoặc thư mục ghi ra (- là màn hình).")
]
TemplatesOpt = Annotated[
    Optional[Path], typer.Option("--templates", help="Thư mục mẫu riêng; mẫu cùng tên thay mẫu có sẵn.")
]
FormatsOpt = Annotated[str, typer.Option("--format", "-f", help="md, html, docx; nhiều định dạng: md,html,docx.")]


# ---------------------------------------------------------------- shared steps


def _lang(lang: str | None) -> str:
    from .messages import resolve_lang

    if lang and lang.lower().split("-")[0].split("_")[0] not in ("vi", "en"):
        raise UsageError("usage-lang", {"value": lang})
    _STATE["lang"] = resolve_lang(lang)
    return _STATE["lang"]


def _err(text: str) -> None:
    sys.stderr.write(text.rstrip("\n") + "\n")


def resolve_plan_path(plan: Path | None) -> Path:
    from .discovery import find_plan
    from .loader import today

    found = find_plan(plan, os.environ.get("KEHOACH_PLAN"), Path.cwd(), today())
    if found is None:
        raise UsageError("no-plan", {"looked": str(Path.cwd() / "plans")})
    return found


def load_valid(plan: Path | None, lang: str):
    """Load the plan for a command that needs a valid one; print its problems otherwise."""
    from .diagnostics import format_text
    from .loader import load_plan

    loaded = load_plan(resolve_plan_path(plan), workdays=False)
    if not loaded.ok:
        _err(format_text(loaded.result(), lang, summary=False))
        missing = any(d.code in ("file-not-found", "file-unreadable") for d in loaded.diagnostics)
        raise typer.Exit(EXIT_USAGE if missing else EXIT_FAIL)
    return loaded


def _date_opt(value: str | None, name: str):
    """A YYYY-MM-DD option between 1900 and 2200, or None."""
    import datetime as dt

    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2200:
        raise UsageError("bad-date-option", {"option": name, "value": value})
    return day


def _as_of(plan, day, lang: str) -> None:
    """A note on standard error when the as-of date lies outside the plan period."""
    from .messages import render
    from .vndates import date_param

    info = plan.plan.period
    if not info.start <= day <= info.end:
        _err(render("as-of-outside-plan", "message", {
            "date": date_param(day), "start": date_param(info.start), "end": date_param(info.end)}, lang))


def _codes(values: list[str] | None, name: str) -> list[str]:
    from .statusview import check_statuses

    return check_statuses([c.strip() for v in values or [] for c in v.split(",") if c.strip()], name)


def _choice(value: str, allowed: list[str], name: str) -> str:
    from .messages import did_you_mean
    from .textutil import suggest

    if value not in allowed:
        raise UsageError("bad-choice-option", {"option": name, "value": value, "allowed": ", ".join(allowed),
                                               "suggest": did_you_mean(suggest(value, allowed))})
    return value


def _int_opt(value: str | None, low: int, high: int, name: str) -> int | None:
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


def _text_opt(value: str | None, name: str, required: bool = False) -> str | None:
    """An option's text: blank means absent; control characters are refused."""
    import unicodedata

    if value is None or not value.strip():
        if required:
            raise UsageError("need-note")
        return None
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") and ch not in "\t":
            raise UsageError("control-character", {"option": name, "code": f"{ord(ch):04X}"})
    return value.strip()


def _write(data: bytes | str, output: str | None, reads: str | Path | None = None, lang: str | None = None) -> None:
    """Standard output for None or '-', else the file (written atomically; never the file it was read from)."""
    from .messages import render, resolve_lang
    from .output import refuse_target, write

    target = None if output in (None, "-") else Path(output)
    refuse_target(target, [reads] if reads else [])
    write(data.encode("utf-8") if isinstance(data, str) else data, target)
    if target is not None:
        _err(render("wrote", "message", {"path": str(target)}, lang or _STATE["lang"] or resolve_lang(None)))


# ---------------------------------------------------------------- commands


@app.command(cls=_Command)
def check(
    plans: Annotated[Optional[list[Path]], typer.Argument(help="Các tệp kế hoạch cần kiểm tra.", show_default=False)] = None,
    plan: PlanOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Coi cảnh báo là lỗi.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, hoặc github (chú thích GitHub Actions).")] = "text",
    lang: LangOpt = None,
):
    """Kiểm tra tệp kế hoạch; báo mọi lỗi kèm dòng và cột (exit 0: hợp lệ, 1: có lỗi, 2: sai cách dùng)."""
    from .diagnostics import REPORTERS, CheckResult
    from .loader import load_plan

    lang = _lang(lang)
    fmt = _choice(fmt, list(REPORTERS), "--format")
    paths = list(plans or []) + ([plan] if plan is not None and plans else [])
    paths = paths or [resolve_plan_path(plan)]
    result = CheckResult()
    missing = False
    for path in paths:
        loaded = load_plan(path)
        result.files.append(str(path))
        result.extend(loaded.diagnostics)
        missing |= any(d.code in ("file-not-found", "file-unreadable") for d in loaded.diagnostics)
    if strict:
        result.strict()
    sys.stdout.write(REPORTERS[fmt](result, lang))
    raise typer.Exit(EXIT_USAGE if missing else result.exit_code())


@app.command(cls=_Command)
def schema(
    markdown: Annotated[bool, typer.Option("--markdown", help="In bảng mô tả các trường (docs/plan-format.md).")] = False,
    output: OutputOpt = None,
    lang: LangOpt = None,
):
    """In JSON Schema của định dạng kế hoạch (cho trình soạn thảo và CI)."""
    from .schema import format_reference, json_schema_text

    _lang(lang)
    _write(format_reference() if markdown else json_schema_text(), output)


@app.command(cls=_Command)
def status(
    plan: PlanOpt = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Tính đến ngày (YYYY-MM-DD); mặc định hôm nay.")] = None,
    soon: Annotated[str, typer.Option("--soon", help="Số ngày báo trước 'sắp đến hạn' (0–365).")] = "14",
    by: Annotated[Optional[str], typer.Option("--by", help="Nhóm theo: body, objective, status.")] = None,
    body: Annotated[Optional[str], typer.Option("--body", help="Chỉ nhiệm vụ của cơ quan này (gõ không dấu cũng được).")] = None,
    status_: Annotated[Optional[list[str]], typer.Option("--status", help="Chỉ các tình trạng này (mã, phân cách bằng dấu phẩy).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, markdown.")] = "table",
    fail_on: Annotated[Optional[list[str]], typer.Option("--fail-on", help="Thoát với mã 1 nếu có nhiệm vụ ở tình trạng này (vd. overdue).")] = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
):
    """Tình hình thực hiện: mỗi nhiệm vụ ở đâu vào một ngày."""
    import json

    from . import statusview as sv
    from .loader import today
    from .scope import select
    from .status import compute_status

    lang = _lang(lang)
    fmt = _choice(fmt, ["table", "json", "markdown"], "--format")
    soon_days = _int_opt(soon, 0, 365, "--soon")
    if by is not None and by not in ("body", "objective", "status"):
        raise UsageError("bad-by-option", {"value": by})
    day = _date_opt(as_of, "--as-of") or today()
    statuses = _codes(status_, "--status")
    fail_codes = _codes(fail_on, "--fail-on")
    loaded = load_valid(plan, lang)
    _as_of(loaded.plan, day, lang)
    ps = compute_status(loaded.plan, day, soon_days)
    scope = select(ps.schedule, None, body)
    rows = sv.filter_rows(sv.make_rows(ps, lang), scope, statuses)
    groups = sv.group_rows(ps, rows, by, lang) if by else None
    if fmt == "json":
        doc = sv.to_json(ps, rows, lang, str(loaded.path), scope, groups)
        _write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", output, loaded.path)
    elif fmt == "markdown":
        from .termview import render_markdown

        _write(render_markdown(ps, groups or [sv.Group("", "", rows)], lang, scope), output, loaded.path)
    else:
        from .termview import make_console, render_table

        if output in (None, "-"):
            render_table(make_console(), ps, groups or [sv.Group("", "", rows)], lang, scope=scope)
        else:
            import io

            buffer = io.StringIO()
            render_table(make_console(buffer, width=120, plain=True), ps, groups or [sv.Group("", "", rows)], lang,
                         scope=scope)
            _write(buffer.getvalue(), output, loaded.path)
    if fail_codes and any(r.status in fail_codes for r in rows):
        raise typer.Exit(EXIT_FAIL)


def _write_documents(kind: str, contexts: list[tuple[str, object]], formats: str, output: str | None,
                     loaded, templates: Path | None, lang: str, folder: bool = False) -> None:
    """Render each (stem, context) in each format and write it; a progress bar on a terminal."""
    from . import output as out
    from .messages import render
    from .render import template_dirs

    fmts = out.parse_formats(formats, kind)
    dirs = template_dirs(loaded.path, templates)
    jobs = []
    for stem, ctx in contexts:
        # several documents go into a folder: -o names it (default: here)
        where = out.targets(output, fmts, stem) if not folder else out.targets_in(output or ".", fmts, stem)
        jobs += [(fmt, ctx, target) for fmt, target in where.items()]
    for _fmt, _ctx, target in jobs:
        out.refuse_target(target, [loaded.path])
    with out.progress(len(jobs), kind) as bar:
        task = bar.add_task(kind, total=len(jobs))
        for fmt, ctx, target in jobs:
            out.write(out.render(kind, fmt, ctx, dirs), target)
            bar.advance(task)
            if target is not None:
                _err(render("wrote", "message", {"path": str(target)}, lang))


def _stem(plan, *parts: str) -> str:
    """A file name that carries the plan id, so two plans' documents never share one."""
    return "-".join([plan.plan.id, *[p for p in parts if p]])


@app.command(cls=_Command)
def report(
    plan: PlanOpt = None,
    period: Annotated[Optional[str], typer.Option("--period", help="Kỳ báo cáo: Q1–Q4, H1, H2, 9M, Y, hoặc 2021-Q2.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Từ ngày (YYYY-MM-DD), thay cho --period.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Đến ngày (YYYY-MM-DD).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="Báo cáo chuyên đề: mã chuyên đề trong reporting.topics; không có --period là từ đầu kỳ kế hoạch đến ngày --as-of.")] = None,
    body: Annotated[Optional[str], typer.Option("--body", help="Chỉ nhiệm vụ của cơ quan này (gõ không dấu cũng được).")] = None,
    fmt: FormatsOpt = "md",
    output: OutputOpt = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Tình trạng tính đến ngày; mặc định: ngày cuối kỳ.")] = None,
    number: Annotated[Optional[str], typer.Option("--number", help="Số báo cáo (vd. 15 → Số 15-BC/…); mặc định để trống, ghi tay.")] = None,
    templates: TemplatesOpt = None,
    lang: LangOpt = None,
):
    """Báo cáo kết quả thực hiện kế hoạch theo kỳ (quý, 6 tháng, 9 tháng, năm) hoặc theo chuyên đề."""
    from .loader import today
    from .reportview import build_report, resolve_span

    lang = _lang(lang)
    start, end = _date_opt(date_from, "--from"), _date_opt(date_to, "--to")
    day = _date_opt(as_of, "--as-of")
    loaded = load_valid(plan, lang)
    whole_until = (day or today()) if topic else None
    span = resolve_span(loaded.plan, period, start, end, whole_until)
    if day is not None:
        _as_of(loaded.plan, day, lang)
    ctx = build_report(loaded.plan, span, day, lang, topic, number, body=body)
    stem = _stem(loaded.plan, "bao-cao", span.code.replace("..", "-"), ctx.topic["id"] if ctx.topic else "",
                 "-".join(ctx.body and _body_ids(loaded.plan, body) or []))
    _write_documents("report", [(stem, ctx)], fmt, output, loaded, templates, lang)


def _body_ids(plan, body: str | None) -> list[str]:
    from .bodies import Bodies

    return Bodies(plan).require(body) if body else []


@app.command(cls=_Command)
def checklist(
    plan: PlanOpt = None,
    body: Annotated[Optional[str], typer.Option("--body", help="Chỉ nhiệm vụ của cơ quan này (gõ không dấu cũng được).")] = None,
    per_body: Annotated[bool, typer.Option("--per-body", help="Một bảng cho mỗi cơ quan chủ trì, ghi vào thư mục -o.")] = False,
    fmt: FormatsOpt = "md",
    output: OutputOpt = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Tình trạng tính đến ngày; mặc định hôm nay.")] = None,
    templates: TemplatesOpt = None,
    lang: LangOpt = None,
):
    """Bảng phân công nhiệm vụ: nội dung, chủ trì, phối hợp, thời hạn, sản phẩm, tình trạng (ô đánh dấu)."""
    from .bodies import Bodies
    from .loader import today
    from .reportview import build_checklist

    lang = _lang(lang)
    day = _date_opt(as_of, "--as-of") or today()
    loaded = load_valid(plan, lang)
    _as_of(loaded.plan, day, lang)
    bodies = Bodies(loaded.plan)
    if per_body and body:
        raise UsageError("per-body-and-body")
    if per_body and output == "-":
        raise UsageError("per-body-folder")
    if per_body:
        lead_ids = list(dict.fromkeys(bodies.expand([i for t, _ in loaded.plan.iter_tasks() for i in t.lead])))
        contexts = [(_stem(loaded.plan, "bang-phan-cong", i), build_checklist(loaded.plan, day, lang, i))
                    for i in lead_ids]
    else:
        stem = _stem(loaded.plan, "bang-phan-cong", "-".join(bodies.require(body)) if body else "")
        contexts = [(stem, build_checklist(loaded.plan, day, lang, body))]
    _write_documents("checklist", contexts, fmt, output, loaded, templates, lang, folder=per_body)


@app.command(cls=_Command)
def calendar(
    plan: PlanOpt = None,
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="Ghi ra tệp .ics (- là màn hình).")] = None,
    body: Annotated[Optional[str], typer.Option("--body", help="Chỉ việc của cơ quan này, chủ trì hoặc phối hợp (gõ không dấu cũng được).")] = None,
    lang: LangOpt = None,
):
    """Xuất lịch iCalendar (.ics): mỗi thời hạn, mỗi kỳ báo cáo, mỗi hội nghị là một sự kiện cả ngày."""
    from .icsout import build_calendar

    lang = _lang(lang)
    loaded = load_valid(plan, lang)
    _write(build_calendar(loaded.plan, lang, body), output, loaded.path)


@app.command(cls=_Command)
def log(
    task: Annotated[str, typer.Argument(help="Mã nhiệm vụ, vd. II.5.b.")],
    plan: PlanOpt = None,
    percent: Annotated[Optional[str], typer.Option("--percent", help="Phần trăm hoàn thành (0–100).")] = None,
    done: Annotated[bool, typer.Option("--done", help="Đã hoàn thành (100%).")] = False,
    note: Annotated[Optional[str], typer.Option("--note", "-m", help="Nội dung đã làm.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Ngày báo cáo (YYYY-MM-DD); mặc định hôm nay.")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="Số văn bản hoặc đường dẫn minh chứng.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Người hoặc đơn vị báo cáo.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="result, difficulty, proposal.")] = "result",
    occurrence: Annotated[Optional[str], typer.Option("--occurrence", help="Kỳ của nhiệm vụ định kỳ, vd. 2021-Q2.")] = None,
    lang: LangOpt = None,
):
    """Ghi một mục tiến độ vào tệp kế hoạch; mọi phần khác của tệp giữ nguyên."""
    from .loader import today
    from .writeback import append_progress

    from .messages import render

    lang = _lang(lang)
    kind = _choice(kind, ["result", "difficulty", "proposal"], "--kind")
    pct = _int_opt(percent, 0, 100, "--percent")
    if done and pct not in (None, 100):
        raise UsageError("percent-and-done", {"value": pct})
    percent = 100 if done else pct
    if percent is None:
        raise UsageError("need-percent")
    note = _text_opt(note, "--note", required=True)
    day = _date_opt(date, "--date") or today()
    path = resolve_plan_path(plan)
    entry = {"date": day, "percent": percent, "note": note, "by": _text_opt(by, "--by"),
             "kind": kind if kind != "result" else None, "evidence": _text_opt(evidence, "--evidence"),
             "occurrence": _text_opt(occurrence, "--occurrence")}
    result = append_progress(path, task, entry)
    what = f"{result.task_id}: {percent}%" + (f" ({result.entry['occurrence']})" if result.entry.get("occurrence") else "")
    _err(render("logged", "message", {"what": what, "where": f"{path}:{result.inserted_at}"}, lang))


# ---------------------------------------------------------------- entry point


def _show(exc: KehoachError, lang: str) -> None:
    """One error: its message, its hint, and the diagnostics behind it (with `log`'s own hints)."""
    from .messages import CATALOGUE, render

    _err(f"kehoach: {exc.message(lang)}")
    hint = exc.hint(lang)
    if hint:
        _err("\n".join(f"    {line}" for line in hint.splitlines() if line.strip()))
    for d in exc.diagnostics:
        own = render(f"log-hint-{d.code}", "message", d.params, lang) if (
            exc.code == "log-invalid" and f"log-hint-{d.code}" in CATALOGUE) else ""
        tip = own or d.hint(lang)
        _err(f"  - {d.message(lang)}" + (f"\n    {tip}" if tip else ""))


def _argv_lang(argv: list[str]) -> str:
    """The language asked for on the command line (or by KEHOACH_LANG), before the options are parsed,
    so that click's own messages speak it too."""
    from .messages import resolve_lang

    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        if value.lower().split("-")[0].split("_")[0] in ("vi", "en"):
            return resolve_lang(value)
        break  # a wrong --lang is reported in the default language
    return resolve_lang(None)


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes a message and an exit code, never a traceback."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _argv_lang(args)
    _STATE["lang"] = None
    try:
        rv = app(args=args, prog_name="kehoach", standalone_mode=False, obj={"lang": lang})
    except KehoachError as exc:
        _show(exc, _STATE["lang"] or lang)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # pragma: no cover
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    except KeyboardInterrupt:
        _show(KehoachError("interrupted"), _STATE["lang"] or lang)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard against a traceback
        if type(exc).__name__ == "NoArgsIsHelpError":  # `kehoach` alone: the help page
            exc.show()
            return EXIT_USAGE
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            from .clicktext import usage_error

            error = usage_error(exc, lang)  # click's parsing errors, in the user's language
            _show(error, lang)
            return error.exit_code
        if type(exc).__name__ == "Abort":
            return EXIT_FAIL
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        _show(KehoachError("internal-error", {"detail": f"{type(exc).__name__}: {exc}"}), _STATE["lang"] or lang)
        return 3
    return rv if isinstance(rv, int) else EXIT_OK


def run() -> None:  # console script
    sys.exit(main())
