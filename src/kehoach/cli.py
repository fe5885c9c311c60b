"""The command line: parses options, calls the library, prints. Nothing else.

Heavy modules (pydantic models, ruamel, jinja2, document writers) are imported
inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="kehoach",
    help="Kế hoạch dưới dạng mã: kiểm tra, theo dõi và báo cáo một kế hoạch lưu trong tệp YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix: shown as one message, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_FAIL):
        super().__init__(message)
        self.code = code


class Fmt(str, Enum):
    text = "text"
    json = "json"
    github = "github"


PlanOpt = Annotated[
    Optional[Path],
    typer.Option("--plan", "-p", help="Tệp kế hoạch (mặc định: $KEHOACH_PLAN, hoặc kế hoạch trong plans/ có kỳ chứa hôm nay)."),
]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Ngôn ngữ: vi (mặc định) hoặc en; cũng đọc $KEHOACH_LANG.")]


def _lang(lang: str | None) -> str:
    from .messages import resolve_lang

    if lang and lang.lower()[:2] not in ("vi", "en"):
        raise UserError(f"--lang: 'vi' hoặc 'en', không phải '{lang}'", EXIT_USAGE)
    return resolve_lang(lang)


def _err(text: str) -> None:
    sys.stderr.write(text.rstrip("\n") + "\n")


def resolve_plan_path(plan: Path | None) -> Path:
    from .discovery import find_plan

    found = find_plan(plan, os.environ.get("KEHOACH_PLAN"), Path.cwd())
    if found is None:
        raise UserError(
            "Không tìm thấy tệp kế hoạch. Dùng --plan PATH, đặt KEHOACH_PLAN, hoặc chạy trong thư mục có plans/*.yaml.",
            EXIT_USAGE,
        )
    return found


def load_valid(plan: Path | None, lang: str):
    """Load the plan for a command that needs a valid one; print its problems otherwise."""
    from .diagnostics import format_text
    from .loader import load_plan

    path = resolve_plan_path(plan)
    loaded = load_plan(path, workdays=False)
    if not loaded.ok:
        _err(format_text(loaded.result(), lang))
        missing = any(d.code in ("file-not-found", "file-unreadable") for d in loaded.diagnostics)
        raise typer.Exit(EXIT_USAGE if missing else EXIT_FAIL)
    return loaded


@app.command()
def check(
    plans: Annotated[Optional[list[Path]], typer.Argument(help="Các tệp kế hoạch cần kiểm tra.", show_default=False)] = None,
    plan: PlanOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Coi cảnh báo là lỗi.")] = False,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="text, json, hoặc github (chú thích GitHub Actions).")] = Fmt.text,
    lang: LangOpt = None,
):
    """Kiểm tra tệp kế hoạch; báo mọi lỗi kèm dòng và cột (exit 0: hợp lệ, 1: có lỗi, 2: sai cách dùng)."""
    from .diagnostics import REPORTERS, CheckResult
    from .loader import load_plan

    lang = _lang(lang)
    paths = list(plans or []) or [resolve_plan_path(plan)]
    result = CheckResult()
    missing = False
    for path in paths:
        loaded = load_plan(path)
        result.files.append(str(path))
        result.extend(loaded.diagnostics)
        missing |= any(d.code in ("file-not-found", "file-unreadable") for d in loaded.diagnostics)
    if strict:
        result.strict()
    sys.stdout.write(REPORTERS[fmt.value](result, lang))
    if missing:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(result.exit_code())


@app.command()
def schema(
    markdown: Annotated[bool, typer.Option("--markdown", help="In bảng mô tả các trường (docs/plan-format.md).")] = False,
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="Ghi ra tệp (- là màn hình).")] = None,
):
    """In JSON Schema của định dạng kế hoạch (cho trình soạn thảo và CI)."""
    from .schema import format_reference, json_schema_text

    text = format_reference() if markdown else json_schema_text()
    _write_output(text, output)


def _write_output(text: str, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    from .writeback import atomic_write_text

    atomic_write_text(Path(output), text)
    _err(f"→ {output}")


class StatusFmt(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _date_opt(value: str | None, name: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{name}: ngày '{value}' không hợp lệ; viết theo dạng YYYY-MM-DD, vd. 2021-07-01", EXIT_USAGE)


def _codes(values: list[str] | None, name: str) -> list[str]:
    from .status import STATUS_CODES

    codes = [c.strip() for v in values or [] for c in v.split(",") if c.strip()]
    bad = [c for c in codes if c not in STATUS_CODES]
    if bad:
        raise UserError(f"{name}: không có tình trạng '{', '.join(bad)}'; chọn trong: {', '.join(STATUS_CODES)}", EXIT_USAGE)
    return codes


@app.command()
def status(
    plan: PlanOpt = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Tính đến ngày (YYYY-MM-DD); mặc định hôm nay.")] = None,
    soon: Annotated[int, typer.Option("--soon", min=0, max=365, help="Số ngày báo trước 'sắp đến hạn'.")] = 14,
    by: Annotated[Optional[str], typer.Option("--by", help="Nhóm theo: body, objective, status.")] = None,
    body: Annotated[Optional[str], typer.Option("--body", help="Chỉ nhiệm vụ của cơ quan này (gõ không dấu cũng được).")] = None,
    status_: Annotated[Optional[list[str]], typer.Option("--status", help="Chỉ các tình trạng này (mã, phân cách bằng dấu phẩy).")] = None,
    fmt: Annotated[StatusFmt, typer.Option("--format", "-f", help="table, json, markdown.")] = StatusFmt.table,
    fail_on: Annotated[Optional[list[str]], typer.Option("--fail-on", help="Thoát với mã 1 nếu có nhiệm vụ ở tình trạng này (vd. overdue).")] = None,
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="Ghi ra tệp (- là màn hình).")] = None,
    lang: LangOpt = None,
):
    """Tình hình thực hiện: mỗi nhiệm vụ ở đâu vào một ngày."""
    import json

    from . import statusview as sv
    from .loader import today
    from .status import compute_status

    lang = _lang(lang)
    day = _date_opt(as_of, "--as-of") or today()
    statuses = _codes(status_, "--status")
    fail_codes = _codes(fail_on, "--fail-on")
    loaded = load_valid(plan, lang)
    ps = compute_status(loaded.plan, day, soon)
    rows = sv.make_rows(ps, lang)
    try:
        rows = sv.filter_rows(ps, rows, body, statuses)
        groups = sv.group_rows(ps, rows, by, lang) if by else [sv.Group("", "", rows)]
    except sv.FilterError as exc:
        raise UserError(str(exc), EXIT_USAGE)
    if fmt == StatusFmt.json:
        _write_output(json.dumps(sv.to_json(ps, rows, lang, str(loaded.path)), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == StatusFmt.markdown:
        from .termview import render_markdown

        _write_output(render_markdown(ps, groups, lang), output)
    else:
        from .termview import make_console, render_table

        render_table(make_console(), ps, groups, lang)
    if fail_codes and any(r.status in fail_codes for r in rows):
        raise typer.Exit(EXIT_FAIL)


TemplatesOpt = Annotated[
    Optional[Path], typer.Option("--templates", help="Thư mục mẫu riêng; mẫu cùng tên thay mẫu có sẵn.")
]
FormatsOpt = Annotated[str, typer.Option("--format", "-f", help="md, html, docx; nhiều định dạng: md,html,docx.")]
OutputOpt = Annotated[
    Optional[str],
    typer.Option("-o", "--output", help="Tệp hoặc thư mục ghi ra (- là màn hình); mặc định: thư mục hiện tại."),
]


def _write_documents(kind: str, contexts: list[tuple[str, dict]], formats: str, output: str | None,
                     loaded, templates: Path | None) -> None:
    """Render each (stem, context) in each format and write it; a progress bar on a terminal."""
    from . import output as out
    from .render import RenderError, template_dirs

    try:
        fmts = out.parse_formats(formats)
        dirs = template_dirs(loaded.path, templates)
        jobs = []
        for stem, ctx in contexts:
            where = out.targets(output if len(contexts) == 1 else (output or "."), fmts, stem)
            jobs += [(fmt, ctx, target) for fmt, target in where.items()]
        written = []
        with out.progress(len(jobs), kind) as bar:
            task = bar.add_task(kind, total=len(jobs))
            for fmt, ctx, target in jobs:
                out.write(out.render(kind, fmt, ctx, dirs), target)
                bar.advance(task)
                if target is not None:
                    written.append(str(target))
    except (out.OutputError, RenderError) as exc:
        raise UserError(str(exc), EXIT_USAGE if isinstance(exc, out.OutputError) else EXIT_FAIL)
    for path in written:
        _err(f"→ {path}")


@app.command()
def report(
    plan: PlanOpt = None,
    period: Annotated[Optional[str], typer.Option("--period", help="Kỳ báo cáo: Q1–Q4, H1, H2, 9M, Y, hoặc 2021-Q2.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Từ ngày (YYYY-MM-DD), thay cho --period.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Đến ngày (YYYY-MM-DD).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="Báo cáo chuyên đề: mã chuyên đề trong reporting.topics.")] = None,
    fmt: FormatsOpt = "md",
    output: OutputOpt = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Tình trạng tính đến ngày; mặc định: ngày cuối kỳ.")] = None,
    number: Annotated[Optional[str], typer.Option("--number", help="Số, ký hiệu báo cáo (mặc định để trống, ghi tay).")] = None,
    templates: TemplatesOpt = None,
    lang: LangOpt = None,
):
    """Báo cáo kết quả thực hiện kế hoạch theo kỳ (quý, 6 tháng, 9 tháng, năm) hoặc theo chuyên đề."""
    from .reportview import ReportError, build_report, resolve_span

    lang = _lang(lang)
    start, end = _date_opt(date_from, "--from"), _date_opt(date_to, "--to")
    loaded = load_valid(plan, lang)
    try:
        span = resolve_span(loaded.plan, period, start, end)
        ctx = build_report(loaded.plan, span, _date_opt(as_of, "--as-of"), lang, topic, number)
    except ReportError as exc:
        raise UserError(str(exc), EXIT_USAGE)
    stem = f"bao-cao-{span.code}" + (f"-{ctx['topic']['id']}" if ctx["topic"] else "")
    _write_documents("report", [(stem, ctx)], fmt, output, loaded, templates)


@app.command()
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
    from .loader import today
    from .reportview import ReportError, build_checklist

    lang = _lang(lang)
    day = _date_opt(as_of, "--as-of") or today()
    loaded = load_valid(plan, lang)
    try:
        if per_body:
            from .statusview import Bodies

            lead_ids = list(dict.fromkeys(Bodies(loaded.plan).expand(
                [i for t, _ in loaded.plan.iter_tasks() for i in t.lead])))
            contexts = [(f"bang-phan-cong-{i}", build_checklist(loaded.plan, day, lang, i)) for i in lead_ids]
        else:
            stem = "bang-phan-cong" + (f"-{body}" if body else "")
            contexts = [(stem.replace(" ", "-"), build_checklist(loaded.plan, day, lang, body))]
    except ReportError as exc:
        raise UserError(str(exc), EXIT_USAGE)
    _write_documents("checklist", contexts, fmt, output, loaded, templates)


class Kind(str, Enum):
    result = "result"
    difficulty = "difficulty"
    proposal = "proposal"


@app.command()
def log(
    task: Annotated[str, typer.Argument(help="Mã nhiệm vụ, vd. II.5.b.")],
    plan: PlanOpt = None,
    percent: Annotated[Optional[int], typer.Option("--percent", min=0, max=100, help="Phần trăm hoàn thành (0–100).")] = None,
    done: Annotated[bool, typer.Option("--done", help="Đã hoàn thành (100%).")] = False,
    note: Annotated[Optional[str], typer.Option("--note", "-m", help="Nội dung đã làm.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Ngày báo cáo (YYYY-MM-DD); mặc định hôm nay.")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="Số văn bản hoặc đường dẫn minh chứng.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Người hoặc đơn vị báo cáo.")] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="result, difficulty, proposal.")] = Kind.result,
    occurrence: Annotated[Optional[str], typer.Option("--occurrence", help="Kỳ của nhiệm vụ định kỳ, vd. 2021-Q2.")] = None,
    lang: LangOpt = None,
):
    """Ghi một mục tiến độ vào tệp kế hoạch; mọi phần khác của tệp giữ nguyên."""
    from .diagnostics import Diagnostic
    from .loader import today
    from .messages import did_you_mean, render
    from .writeback import LogError, append_progress

    lang = _lang(lang)
    if done:
        percent = 100
    if percent is None:
        raise UserError("cần --percent N hoặc --done", EXIT_USAGE)
    if not note or not note.strip():
        raise UserError("cần --note \"nội dung đã làm\"", EXIT_USAGE)
    day = _date_opt(date, "--date") or today()
    path = resolve_plan_path(plan)
    entry = {"date": day, "percent": percent, "note": note.strip(), "by": by,
             "kind": kind.value if kind != Kind.result else None, "evidence": evidence, "occurrence": occurrence}
    try:
        result = append_progress(path, task, entry)
    except LogError as exc:
        params = dict(exc.params)
        params["suggest"] = did_you_mean(params.get("suggestion"))
        _err(f"kehoach log: {Diagnostic(exc.code, 'error', params=params).message(lang)}")
        hint = render(exc.code, "hint", params, lang)
        if hint:
            _err(f"    {hint}")
        for d in exc.diagnostics:
            _err(f"  - {d.message(lang)}" + (f" ({d.hint(lang)})" if d.hint(lang) else ""))
        missing = exc.code in ("file-not-found", "file-unreadable")
        raise typer.Exit(EXIT_USAGE if missing else EXIT_FAIL)
    what = f"{result.task_id}: {percent}%" + (f" ({result.entry['occurrence']})" if result.entry.get("occurrence") else "")
    _err(("Đã ghi " if lang == "vi" else "Logged ") + f"{what} → {path}:{result.inserted_at}")


@app.command()
def calendar(
    plan: PlanOpt = None,
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="Ghi ra tệp .ics (- là màn hình).")] = None,
    body: Annotated[Optional[str], typer.Option("--body", help="Chỉ việc của cơ quan này, chủ trì hoặc phối hợp (gõ không dấu cũng được).")] = None,
    lang: LangOpt = None,
):
    """Xuất lịch iCalendar (.ics): mỗi thời hạn, mỗi kỳ báo cáo, mỗi hội nghị là một sự kiện cả ngày."""
    from .icsout import CalendarError, build_calendar

    lang = _lang(lang)
    loaded = load_valid(plan, lang)
    try:
        data = build_calendar(loaded.plan, lang, body)
    except CalendarError as exc:
        raise UserError(str(exc) + (f"\n    {exc.hint}" if exc.hint else ""), EXIT_USAGE)
    if output in (None, "-"):
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (some test runners)
            sys.stdout.write(data.decode("utf-8"))
        else:
            out.write(data)
            out.flush()
        return
    from .writeback import atomic_write_bytes

    try:
        atomic_write_bytes(Path(output), data)
    except OSError as exc:
        raise UserError(f"-o: không ghi được '{output}': {exc.strerror or exc}", EXIT_USAGE)
    _err(f"→ {output}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes a message and an exit code, never a traceback."""
    try:
        rv = app(args=argv, prog_name="kehoach", standalone_mode=False)
    except UserError as exc:
        _err(f"kehoach: {exc}")
        return exc.code
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # pragma: no cover
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    except KeyboardInterrupt:
        _err("kehoach: đã dừng (Ctrl-C)")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard against a traceback
        # usage errors of the (possibly vendored) click inside typer
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            return exc.exit_code
        if type(exc).__name__ == "Abort":
            return EXIT_FAIL
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        _err(
            f"kehoach: lỗi nội bộ: {type(exc).__name__}: {exc}\n"
            "  Đây là lỗi của chương trình, không phải của tệp kế hoạch. "
            "Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết và báo cho nhóm phát triển."
        )
        return 3
    return rv if isinstance(rv, int) else EXIT_OK


def run() -> None:  # console script
    sys.exit(main())
