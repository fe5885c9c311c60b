"""Templates bounded (issue 20, item 4): a time limit and an output-size limit on rendering
(KEHOACH_TEMPLATE_SECONDS, KEHOACH_TEMPLATE_BYTES), links out of the template folder refused,
Word templates screened like any zip.

Before: two nested `range(100000)` loops or `10**(10**8)` in a user's template ran until killed;
output grew until memory ran out; a template (or an include) linked to any readable file copied
it into a report. Each case now: exit 2, a message naming the template and the limit, nothing
written, well within the safety net of the subprocess cases.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(DEMO.read_bytes())
    return path


@pytest.fixture
def limits(monkeypatch):
    """Small limits for the run: 1.5 s and 2 MB."""
    monkeypatch.setenv("KEHOACH_TEMPLATE_SECONDS", "1.5")
    monkeypatch.setenv("KEHOACH_TEMPLATE_BYTES", str(2 * 1024 * 1024))


def _report(kehoach, plan: Path, folder: Path, fmt: str = "md") -> tuple[int, str, float, Path]:
    out = plan.parent / f"out.{fmt}"
    start = time.monotonic()
    code, _, err = kehoach("report", "-p", plan, "--period", "Q2", "-f", fmt, "--templates", folder, "-o", out)
    return code, err, time.monotonic() - start, out


def _template(tmp_path: Path, body: str, name: str = "report.md.j2") -> Path:
    folder = tmp_path / "mau"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return folder


SLOW = {
    "nested-ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested-loops-one-range": "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
    "macro-twice-recursive": ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
                              "{{ f(60) }}"),
}

LARGE = {
    "huge-power": "{{ 10**(10**8) }}",
    "huge-product": "{{ 7**50000 * 7**50000 }}",
    "string-repeated": "{{ 'x' * 10**10 }}",
    "list-repeated": "{{ ([1] * 10**10)|length }}",
    "output-grows": "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
    "macro-output-grows": ("{% macro m() %}{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxx"
                           "{% endfor %}{% endfor %}{% endmacro %}{{ m() }}"),
    "set-block-grows": ("{% set b %}{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxx{% endfor %}"
                        "{% endfor %}{% endset %}{{ b|length }}"),
    "string-doubled": ("{% set ns = namespace(s='x') %}{% for i in range(45) %}{% set ns.s = ns.s ~ ns.s %}"
                       "{% endfor %}{{ ns.s|length }}"),
    "string-method": "{{ 'x'.ljust(10**10) }}",
    "string-replace": "{% set s = 'x' * 100000 %}{{ s.replace('x', s)|length }}",
    "filter-width": "{{ 'x'|center(10**10) }}",
    "format-width": "{{ '%999999999d' % 1 }}",
    "format-filter": "{{ '%0999999999d'|format(1) }}",
    "batch": "{{ [1]|batch(10**9, 0)|list|length }}",
    # a list of many references to one text joined: 6 GB made in one step (exit 0) before `join` was measured
    "list-joined": "{% set s = 'x' * 1000000 %}{% set t = [s] * 1000 %}{{ t|join|length }}",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SLOW))
def test_a_template_that_runs_too_long_is_stopped(name, plan, tmp_path, kehoach, limits):
    code, err, took, out = _report(kehoach, plan, _template(tmp_path, SLOW[name]))
    assert code == 2, err
    assert "1.5 giây" in err and "report.md.j2" in err and "KEHOACH_TEMPLATE_SECONDS" in err, err
    assert took < 10, took
    assert not out.exists()


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("name", list(LARGE))
def test_a_template_that_makes_too_much_is_stopped(name, plan, tmp_path, kehoach, limits):
    code, err, took, out = _report(kehoach, plan, _template(tmp_path, LARGE[name]))
    assert code == 2, err
    assert "Traceback" not in err and "lỗi nội bộ" not in err
    assert ("2097152 byte" in err and "KEHOACH_TEMPLATE_BYTES" in err) or "1.5 giây" in err, err
    assert took < 10, took
    assert not out.exists()


def test_the_limits_are_said_in_english_too(plan, tmp_path, kehoach, limits):
    code, _, err = kehoach("report", "-p", plan, "--period", "Q2", "--templates",
                           _template(tmp_path, LARGE["huge-power"]), "-o", tmp_path / "x.md", "--lang", "en")
    assert code == 2
    assert "made more than 2097152 bytes" in err and "KEHOACH_TEMPLATE_BYTES" in err


def test_the_builtin_templates_render_within_the_default_limits(plan, kehoach):
    for fmt in ("md", "html", "docx"):
        code, _, err = kehoach("report", "-p", plan, "--period", "Q2", "-f", fmt, "-o", plan.parent / f"r.{fmt}")
        assert code == 0, err


@pytest.mark.slow
def test_many_quick_renders_with_a_short_limit_leave_nothing_behind(plan, tmp_path, kehoach, monkeypatch):
    """The watchdog never raises into the thread once its rendering is over."""
    monkeypatch.setenv("KEHOACH_TEMPLATE_SECONDS", "0.3")
    folder = _template(tmp_path, "BÁO CÁO {{ 1 + 1 }}\n")
    for _ in range(20):
        code, err, _, out = _report(kehoach, plan, folder)
        assert code == 0, err
        assert out.read_text(encoding="utf-8") == "BÁO CÁO 2\n"
    time.sleep(0.8)  # a late exception would surface in this thread here, or in the next test
    sum(range(100000))


def test_the_settings_read_the_limits():
    from kehoach.base.settings import DEFAULT_TEMPLATE_BYTES, DEFAULT_TEMPLATE_SECONDS, Settings

    assert Settings.from_env({}).template_seconds == DEFAULT_TEMPLATE_SECONDS == 60
    assert Settings.from_env({}).template_bytes == DEFAULT_TEMPLATE_BYTES
    got = Settings.from_env({"KEHOACH_TEMPLATE_SECONDS": "2.5", "KEHOACH_TEMPLATE_BYTES": "1000"})
    assert (got.template_seconds, got.template_bytes) == (2.5, 1000)
    for bad in ("", "0", "-1", "nan", "inf", "abc", "1e999"):
        got = Settings.from_env({"KEHOACH_TEMPLATE_SECONDS": bad, "KEHOACH_TEMPLATE_BYTES": bad})
        assert (got.template_seconds, got.template_bytes) == (DEFAULT_TEMPLATE_SECONDS, DEFAULT_TEMPLATE_BYTES), bad


def test_the_limits_are_documented():
    words = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    assert "KEHOACH_TEMPLATE_SECONDS" in words and "KEHOACH_TEMPLATE_BYTES" in words
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert "KEHOACH_TEMPLATE_SECONDS" in security and "test_templates_bounded.py" in security


# ---------------------------------------------------------------- links out of the template folder


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("MẬT-KHẨU-BÍ-MẬT\n", encoding="utf-8")
    return path


def test_a_template_linked_out_of_its_folder_is_refused(plan, tmp_path, secret, kehoach):
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "report.md.j2").symlink_to(secret)
    code, err, _, out = _report(kehoach, plan, folder)
    assert code == 2, err
    assert "MẬT-KHẨU" not in err and not out.exists()
    assert "report.md.j2" in err and "secret.txt" in err


def test_an_include_linked_out_of_the_folder_is_refused(plan, tmp_path, secret, kehoach):
    folder = _template(tmp_path, "{% include 'phan.j2' %}\n")
    (folder / "phan.j2").symlink_to(secret)
    code, err, _, out = _report(kehoach, plan, folder)
    assert code == 2, err
    assert "MẬT-KHẨU" not in err and not out.exists()


def test_a_word_template_linked_out_of_its_folder_is_refused(plan, tmp_path, kehoach):
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "report.docx").symlink_to(ROOT / "templates" / "report.docx")
    code, err, _, out = _report(kehoach, plan, folder, "docx")
    assert code == 2, err
    assert not out.exists()


def test_a_link_inside_the_folder_is_fine(plan, tmp_path, kehoach):
    folder = _template(tmp_path, "BÁO CÁO RIÊNG\n", "that.j2")
    (folder / "report.md.j2").symlink_to("that.j2")
    code, err, _, out = _report(kehoach, plan, folder)
    assert code == 0, err
    assert out.read_text(encoding="utf-8") == "BÁO CÁO RIÊNG\n"


# ---------------------------------------------------------------- Word templates


def _docx_with(paragraph: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(paragraph)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_a_word_template_that_runs_too_long_is_stopped(plan, tmp_path, kehoach, limits):
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "report.docx").write_bytes(_docx_with(SLOW["nested-ranges"]))
    code, err, took, out = _report(kehoach, plan, folder, "docx")
    assert code == 2, err
    assert "1.5 giây" in err and took < 10
    assert not out.exists()


def test_a_word_template_that_makes_too_much_is_stopped(plan, tmp_path, kehoach, limits):
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "report.docx").write_bytes(_docx_with(LARGE["output-grows"]))
    code, err, took, out = _report(kehoach, plan, folder, "docx")
    assert code == 2, err
    assert "2097152 byte" in err and took < 10
    assert not out.exists()


def test_a_zip_bomb_as_word_template_is_refused_before_it_is_opened(plan, tmp_path, kehoach, limits):
    folder = tmp_path / "mau"
    folder.mkdir()
    real = _docx_with("{{ plan.title }}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/media/padding.bin", b"\0" * (50 * 1024 * 1024))  # 50 MB in about 50 KB
    (folder / "report.docx").write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 1024 * 1024
    code, err, _, out = _report(kehoach, plan, folder, "docx")
    assert code == 2, err
    assert "zip" in err and "report.docx" in err
    assert not out.exists()
