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
    loaded = load_plan(path)
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


@app.command()
def status(
    plan: PlanOpt = None,
    lang: LangOpt = None,
):
    """Tình hình thực hiện kế hoạch."""
    lang = _lang(lang)
    loaded = load_valid(plan, lang)
    p = loaded.plan
    count = sum(1 for _ in p.iter_tasks())
    start, end = p.plan.period.start, p.plan.period.end
    print(p.plan.title)
    print(f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")
    print(f"{count} nhiệm vụ" if lang == "vi" else f"{count} tasks")


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
