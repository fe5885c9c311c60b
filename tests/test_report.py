"""`kehoach report` and `kehoach checklist`: the documents the bodies send."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.base.errors import UsageError
from kehoach.cli.app import main
from kehoach.judge.scope import report_span
from kehoach.outputs.render import RenderError, render_text, template_dirs
from kehoach.plan.loader import load_plan, load_text
from kehoach.views.reportview import build_checklist, build_report

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
PLAN = ROOT / "plans" / "2021.yaml"
KEXE = Path(sys.executable).parent / "kehoach"


def report_text(path: Path, fmt: str, period: str = "Q2", **kw) -> str:
    plan = load_plan(path).plan
    ctx = build_report(plan, report_span(plan, period, None, None), **kw)
    return render_text(f"report.{fmt}.j2", ctx, template_dirs(), fmt)


# ---------------------------------------------------------------- golden Markdown


@pytest.mark.parametrize("path, name", [(DEMO, "report-demo-2021-Q2.md"), (PLAN, "report-2021-Q2.md")])
def test_markdown_report_golden(path, name, golden):
    golden(name, report_text(path, "md"))


def test_markdown_checklist_golden(golden):
    plan = load_plan(DEMO).plan
    ctx = build_checklist(plan, dt.date(2021, 7, 1))
    golden("checklist-demo-2021-07-01.md", render_text("checklist.md.j2", ctx, template_dirs(), "md"))


# ---------------------------------------------------------------- content


def test_a_meeting_named_for_its_own_occasion_is_not_given_its_period_again():
    """The year-end conference is "Hội nghị … cuối năm 2021", not "… cuối năm 2021 — 6 tháng
    cuối năm 2021"; a title without its period still gets it ("Báo cáo … — quý II năm 2021")."""
    text = report_text(PLAN, "md", "Y")
    assert "Kế hoạch phối hợp cuối năm 2021" in text
    assert "cuối năm 2021 — 6 tháng cuối năm 2021" not in text
    assert " — quý II năm 2021" in text


def test_a_report_never_lists_itself_as_unfinished_nor_carries_itself_forward():
    """The Q2 report is the plan's quarterly report of Q2 (its cadence's task IV.2.a): made on 30/6,
    it is not "đến hạn nhưng chưa thực hiện" nor carried into Q3, and its appendix says the row is
    this report. The year's report is the year's (IV.2.c) and, as offices merge them, Q4's; the
    6-month report is H1's and Q2's. Earlier reports still missing are still listed."""
    def unfinished(text: str) -> str:
        return text.split("### 2. Hạn chế", 1)[1].split("## IV.", 1)[0]

    q2 = report_text(PLAN, "md", "Q2")
    assert "IV.2.a | Thông tin, báo cáo hai chiều hằng quý — quý I năm 2021" in unfinished(q2)
    assert "quý II năm 2021" not in unfinished(q2).replace("6 tháng đầu năm 2021", "")
    assert "IV.2.b | Thông tin, báo cáo hai chiều 6 tháng — 6 tháng đầu năm 2021" in unfinished(q2)
    h1 = report_text(PLAN, "md", "H1")
    assert "hằng quý — quý II năm" not in unfinished(h1) and "IV.2.b" not in unfinished(h1)
    assert "| IV.2.b | Thông tin, báo cáo hai chiều 6 tháng | BDVTU, BCSĐ UBND tỉnh | 6 tháng đầu năm 2021 | " \
           "Thực hiện bằng báo cáo này |  |" in h1
    # IV.1.b, the standing units drafting the 6 months' and the year's reports (`drafting:` of those
    # cadences): the report made is their work, not listed as theirs undone
    def limits(text: str) -> str:
        return text.split("### 2. Hạn chế", 1)[1].split("## III.", 1)[0]

    assert "IV.1.b" not in limits(h1) and "Thực hiện bằng báo cáo này" in h1.split("| IV.1.b |")[1].split("\n")[0]
    year = report_text(PLAN, "md", "Y")
    assert "phối hợp — 6 tháng cuối năm 2021" not in limits(year)  # H2's drafting is the year's report's
    assert "phối hợp — 6 tháng đầu năm 2021" in limits(year)  # H1's, never recorded, is not
    assert "IV.1.b" in limits(report_text(PLAN, "md", "Q3"))  # the 6 months' drafting, missed, still is
    assert "quý IV năm 2021" not in unfinished(year) and "hai chiều một năm" not in unfinished(year)
    assert "hằng quý — quý III năm 2021" in unfinished(year)
    assert "Made by this report" in report_text(PLAN, "md", "Y", lang="en")


def test_a_report_written_after_its_period_is_dated_the_day_it_is_written():
    """Written on 10 April (`--as-of`), the first quarter's report speaks of work done since: it is
    dated 10 April (and its appendix attached to the report of that day), its judgement still at
    the quarter's end; by default it is dated the period's last day."""
    text = report_text(PLAN, "md", "Q1", as_of=dt.date(2021, 4, 10))
    assert "*Quảng Ngãi, ngày 10 tháng 4 năm 2021*" in text
    assert "-BC/BDVTU-BCSĐUBND ngày 10/4/2021 của" in text
    assert "tính đến ngày 31 tháng 3 năm 2021" in text
    assert "*Quảng Ngãi, ngày 31 tháng 3 năm 2021*" in report_text(PLAN, "md", "Q1")


def test_report_header_and_sections_in_vietnamese():
    text = report_text(PLAN, "md")
    assert "**ĐẢNG CỘNG SẢN VIỆT NAM**" in text
    assert "*Quảng Ngãi, ngày 30 tháng 6 năm 2021*" in text
    # the title names the plan by its number and date, then the report's period (the plan is for a year)
    assert "kết quả quý II năm 2021 thực hiện Kế hoạch số 49-KH/BDVTU-BCSĐUBND ngày 14/01/2021" in text
    assert "Kế hoạch phối hợp thực hiện công tác dân vận quý II" not in text
    assert "Thực hiện Kế hoạch số 49-KH/BDVTU-BCSĐUBND ngày 14/01/2021" in text
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III NĂM 2021",
                    "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Phụ lục", "BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ",
                    "(Kèm theo Báo cáo số"):
        assert heading in text
    for n in range(1, 10):  # one item per coordination content
        assert f"II.{n} " in text


def test_html_signatures_are_markup_not_text():
    """The signature blocks print as blocks: the position under "T/M …" upright, Nơi nhận below them; never
    their markup shown as text."""
    html = report_text(PLAN, "html")
    assert "&lt;div" not in html and "&lt;p" not in html
    assert '<p>T/M BAN CÁN SỰ ĐẢNG UBND TỈNH</p><p class="position">PHÓ BÍ THƯ</p>' in html
    assert html.index('<p class="signer">Võ Phiên</p>') < html.index('<p class="label">Nơi nhận:</p>')


def test_report_english():
    text = report_text(DEMO, "md", lang="en")
    assert "COMMUNIST PARTY OF VIETNAM" in text and "Minh Hòa, 30 June 2021" in text
    assert "RECOMMENDATIONS" in text and "Done on time" in text


def test_report_counts_only_the_period():
    """Q2 lists entries dated April–June only; the roll-up is as of 30/6."""
    full = report_text(DEMO, "md")
    dates = re.findall(r"^- (\d\d/\d+/2021)", full.split("ĐÁNH GIÁ CHUNG")[0], re.M)
    assert dates and all(4 <= int(d.split("/")[1]) <= 6 for d in dates)
    assert "tính đến ngày 30 tháng 6 năm 2021" in full


def test_proposals_and_difficulties_sorted_into_their_sections():
    text = report_text(DEMO, "md")
    proposals = text.split("KIẾN NGHỊ, ĐỀ XUẤT")[1].split("PHỤ LỤC")[0]
    limits = text.split("Hạn chế, khó khăn")[1].split("PHƯƠNG HƯỚNG")[0]
    assert "Kiến nghị UBND tỉnh giao Sở Tài nguyên và Môi trường" in proposals
    assert "Còn 4 vụ chưa giải quyết xong" in limits
    assert "Còn 4 vụ chưa giải quyết xong" not in proposals


def test_thematic_report_keeps_its_topic():
    """A thematic report lists, counts and carries forward its topic's tasks only: a
    subtask is in the topic when it is tagged, or names no topic and its parent is."""
    plan = load_plan(DEMO).plan
    ctx = build_report(plan, report_span(plan, "H1", None, None), topic="cai-cach-hanh-chinh")

    def effective(task, inherited=()):
        own = tuple(task.topics) or inherited
        if not task.subtasks:
            yield task.id, own
        for sub in task.subtasks:
            yield from effective(sub, own)

    in_topic = {i for t in plan.tasks for i, topics in effective(t) if "cai-cach-hanh-chinh" in topics}
    assert in_topic
    ids = {i.id for g in ctx.results for i in g.items}
    assert all(any(x == i or x.startswith(i + ".") for x in in_topic) for i in ids)
    assert "chuyên đề" in ctx.doc.summary
    named = ({line.task_id for b in ctx.evaluation.strengths + ctx.evaluation.limits + ctx.evaluation.others
              for line in b.lines} | {row.id for row in ctx.evaluation.unfinished})
    assert named and named <= in_topic  # every count and list: the topic's tasks only
    assert {r.id for r in ctx.appendix if not any(o.id.startswith(r.id + ".") for o in ctx.appendix)} <= in_topic
    continuing = ctx.next.continuing
    n = int(re.search(r"\d+", continuing).group()) if continuing else 0
    assert n <= len(in_topic)
    with pytest.raises(UsageError, match="cai-cach-hanh-chinh"):
        build_report(plan, report_span(plan, "H1", None, None), topic="cai-cach-hanh-chin")


def test_custom_range_and_bad_period(capsys):
    """--from/--to names the range once in the opening; a bad period is a usage error."""
    plan = load_plan(DEMO).plan
    span = report_span(plan, None, dt.date(2021, 5, 1), dt.date(2021, 5, 31))
    ctx = build_report(plan, span)
    assert ctx.period.label == "từ ngày 01/5/2021 đến ngày 31/5/2021"
    assert ctx.doc.opening.count("01/5/2021") == 1
    assert main(["report", "-p", str(DEMO), "--period", "Q5", "-o", "-"]) == 2
    assert "Q1–Q4" in capsys.readouterr().err


# ---------------------------------------------------------------- escaping


def _hostile_plan():
    text = DEMO.read_text(encoding="utf-8")
    note = "Tổ chức 3 hội nghị quán triệt"
    assert note in text
    hostile = '<script>alert(1)</script> {{ plan.id }} {% if 1 %}x{% endif %} *đậm* | ô'
    return load_text(text.replace(note, hostile.replace('"', '\\"'), 1), "hostile.yaml"), hostile


def test_plan_text_is_printed_literally_in_every_format(tmp_path):
    loaded, hostile = _hostile_plan()
    assert loaded.ok
    plan = loaded.plan
    ctx = build_report(plan, report_span(plan, "Q1", None, None))
    html = render_text("report.html.j2", ctx, template_dirs(), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ plan.id }} {% if 1 %}x{% endif %}" in html
    md = render_text("report.md.j2", ctx, template_dirs(), "md")
    assert r"\<script\>alert(1)\</script\> {{ plan.id }} {% if 1 %}x{% endif %} \*đậm\* \| ô" in md
    import io

    from docx import Document

    from kehoach.outputs.render import render_docx

    doc = Document(io.BytesIO(render_docx("report.docx", ctx, template_dirs())))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert hostile in text


# ---------------------------------------------------------------- templates


def test_user_template_overrides_by_name(tmp_path, capsys):
    (tmp_path / "report.md.j2").write_text("Riêng: {{ doc.summary }}\n", encoding="utf-8")
    assert main(["report", "-p", str(DEMO), "--period", "Q2", "--templates", str(tmp_path), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("Riêng: kết quả quý II năm 2021 thực hiện Kế hoạch số 12-KH/")


def test_templates_folder_beside_the_plan_is_used_only_when_named(tmp_path, capsys):
    """A plan may come from elsewhere, and so may the folder beside it: not used unless named."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(DEMO.read_bytes())
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "checklist.md.j2").write_text("{{ count }} nhiệm vụ\n", encoding="utf-8")
    assert main(["checklist", "-p", str(plan), "--as-of", "2021-07-01", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("## Phụ lục\n\n**BẢNG PHÂN CÔNG NHIỆM VỤ**")  # the built-in template
    assert f"{tmp_path / 'templates'}" in err and "--templates" in err  # and a note saying why not
    assert main(["checklist", "-p", str(plan), "--as-of", "2021-07-01", "-o", "-",
                 "--templates", str(tmp_path / "templates")]) == 0
    out, err = capsys.readouterr()
    assert out == "28 nhiệm vụ\n"
    assert str(tmp_path / "templates") in err  # which folder it used


def test_missing_value_names_template_file_and_line(tmp_path, capsys):
    (tmp_path / "report.md.j2").write_text("dòng 1\n{{ doc.summary }}\n{{ doc.khong_co }}\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"report\.md\.j2:3: .*khong_co"):
        plan = load_plan(DEMO).plan
        render_text("report.md.j2", build_report(plan, report_span(plan, "Q2", None, None)),
                    template_dirs(tmp_path), "md")
    assert main(["report", "-p", str(DEMO), "--period", "Q2", "--templates", str(tmp_path), "-o", "-"]) == 1
    err = capsys.readouterr().err
    assert "report.md.j2:3" in err and "Traceback" not in err


def test_template_syntax_error_is_located(tmp_path):
    (tmp_path / "report.md.j2").write_text("a\n{% for x in %}\n", encoding="utf-8")
    plan = load_plan(DEMO).plan
    with pytest.raises(RenderError, match=r"report\.md\.j2:2"):
        render_text("report.md.j2", build_report(plan, report_span(plan, "Q2", None, None)),
                    template_dirs(tmp_path), "md")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_templates_are_in_the_wheel(tmp_path):
    """An installed kehoach works outside the repository: the wheel carries templates/."""
    import zipfile

    pytest.importorskip("hatchling", reason="the build backend comes with pip install '.[test]'")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
           "-w", str(tmp_path), str(ROOT)]
    subprocess.run(pip, check=True, capture_output=True)
    wheel = next(tmp_path.glob("kehoach-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("report.md.j2", "report.html.j2", "report.docx",
                 "checklist.md.j2", "checklist.html.j2", "checklist.docx"):
        assert f"kehoach/_templates/{name}" in names


# ---------------------------------------------------------------- the command


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_three_formats_at_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KEHOACH_LANG"}
    for path in (DEMO, PLAN):
        out = tmp_path / path.stem
        proc = subprocess.run([str(KEXE), "report", "-p", str(path), "--period", "Q2", "--format", "md,html,docx",
                               "-o", str(out) + "/"], capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        stem = f"{load_plan(path).plan.plan.id}-bao-cao-2021-Q2"
        assert sorted(p.name for p in out.iterdir()) == [f"{stem}.docx", f"{stem}.html", f"{stem}.md"]
        assert "\x1b" not in proc.stderr  # piped: no progress bar
        said = proc.stderr.splitlines()
        if path == PLAN:  # its number, date and signers are OCR readings it marks uncertain: said first
            assert said.pop(0).startswith("lưu ý: văn bản có giá trị mà kế hoạch ghi là chưa chắc chắn")
        assert said == [f"Đã ghi {out / stem}.{fmt}" for fmt in ("md", "html", "docx")]


def test_checklist_for_one_body_and_group_members():
    plan = load_plan(PLAN).plan
    everything = build_checklist(plan, dt.date(2021, 7, 1))
    one = build_checklist(plan, dt.date(2021, 7, 1), body="so noi vu")
    assert 0 < one.count < everything.count
    assert one.body == "Sở Nội vụ"
    rows = [r for g in one.groups for r in g.rows]
    assert all(r.box == ("■" if r.done else "□") for r in rows)
    with pytest.raises(UsageError):
        build_checklist(plan, dt.date(2021, 7, 1), body="khong co co quan nay")


# ---------------------------------------------------------------- outside programs


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.slow
def test_html_renders_in_headless_chromium(tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    html = tmp_path / "r.html"
    html.write_text(report_text(DEMO, "html"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([exe, *flags, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120)
    assert "BÁO CÁO" in dom.stdout and "<svg" in dom.stdout
    png = tmp_path / "r.png"
    subprocess.run([exe, *flags, "--window-size=1000,1400", f"--screenshot={png}", html.as_uri()],
                   capture_output=True, timeout=120)
    assert png.exists() and png.stat().st_size > 20_000  # a page with text and charts, not a blank


def test_html_is_self_contained():
    html = report_text(DEMO, "html")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html and "url(" not in html


@pytest.mark.slow
def test_docx_converts_to_pdf_with_libreoffice(tmp_path):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
    assert main(["report", "-p", str(DEMO), "--period", "Q2", "--format", "docx", "-o", str(tmp_path / "r.docx")]) == 0
    proc = subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                          capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "r.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BÁO CÁO" in text


def _docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a Word file, in document order, one per line."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    body = doc.element.body
    lines = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(" / ".join(
                                "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                for p in cell.iter() if p.tag.endswith("}p")).strip(" /"))
                    lines.append(" | ".join(cells))
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


@pytest.mark.parametrize("path, name", [(DEMO, "report-demo-2021-Q2.docx.txt"), (PLAN, "report-2021-Q2.docx.txt")])
def test_word_report_text_golden(path, name, golden):
    from kehoach.outputs.render import render_docx

    plan = load_plan(path).plan
    ctx = build_report(plan, report_span(plan, "Q2", None, None))
    golden(name, _docx_text(render_docx("report.docx", ctx, template_dirs())))


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from kehoach.outputs import documents as output

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert type(output.progress(6, "report")).__name__ == "_Silent"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert type(output.progress(6, "report")).__name__ == "Progress"
    assert type(output.progress(1, "report")).__name__ == "_Silent"


def test_a_template_that_includes_a_missing_one_names_the_missing_one(tmp_path, capsys):
    """`{% include "missing.j2" %}` in a user's report template: the error named report.md.j2,
    which is there; it names missing.j2 and says templates reach no path outside their folders."""
    (tmp_path / "report.md.j2").write_text('{% include "missing.j2" %}', encoding="utf-8")
    assert main(["report", "-p", str(DEMO), "--period", "Q2", "--templates", str(tmp_path), "-o", "-",
                 "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "template 'missing.j2' not found" in err and "report.md.j2' not found" not in err, err


def test_a_duty_of_named_periods_names_them_in_words_and_its_one_period_with_its_year():
    """The checklist gave IV.2.b (the two-way report of the first half, `periods: [H1]`) the
    deadline "6 tháng đầu năm", with no year, and a duty of some quarters "hằng quý (Q1, Q3)",
    the plan's own keys."""
    rows = {r.id: r for g in build_checklist(load_plan(PLAN).plan, dt.date(2021, 3, 1)).groups for r in g.rows}
    assert rows["IV.2.b"].deadline == "6 tháng đầu năm 2021"
    text = PLAN.read_text(encoding="utf-8").replace(
        "deadline: {every: half, periods: [H1]}", "deadline: {every: quarter, periods: [Q1, q3]}")
    plan = load_text(text, "k.yaml").plan
    assert plan is not None
    rows = {r.id: r for g in build_checklist(plan, dt.date(2021, 3, 1)).groups for r in g.rows}
    assert rows["IV.2.b"].deadline == "hằng quý (quý I, quý III) (kỳ quý I/2021)"
    rows = {r.id: r for g in build_checklist(plan, dt.date(2021, 3, 1), lang="en").groups for r in g.rows}
    assert rows["IV.2.b"].deadline.startswith("quarterly (Q1, Q3)")
    from kehoach.base.deadlines import Recurring
    from kehoach.base.vndates import deadline_text

    # one period a year, with no year to name: in English, that it comes each year
    assert deadline_text(Recurring(every="month", periods=["M05"]), "en") == "May, each year"
    assert deadline_text(Recurring(every="half", periods=["H1"]), "vi") == "6 tháng đầu năm"


def test_the_words_of_a_report_agree_in_english_and_read_in_vietnamese():
    """"BDVTU, BCSĐ UBND tỉnh has not reported", "1 … done after their deadline", "In year 2021:",
    a title in lower case and the plan cited "of 2021-01-14" in English; "Trong từ ngày 01/5/2021
    đến ngày 31/8/2021: …" in Vietnamese."""
    plan = load_plan(PLAN).plan
    year = render_text("report.md.j2", build_report(plan, report_span(plan, "Y", None, None), lang="en"),
                       template_dirs(), "md")
    assert "BDVTU, BCSĐ UBND tỉnh have not reported for Q1" in year and "BDVTU, BCSĐ UBND tỉnh has not" not in year
    assert "\nIn 2021: " in year and "year 2021" not in year
    assert "**Results for 2021 under Plan No. 49-KH/BDVTU-BCSĐUBND of 14 January 2021**" in year
    from kehoach.base.messages import text

    assert text("report.block.done_tasks_late", "en", n=1) == "1 task done after its deadline:"
    assert text("report.block.done_tasks_late", "en", n=2) == "2 tasks done after their deadline:"
    window = render_text("report.md.j2", build_report(plan, report_span(plan, None, dt.date(2021, 5, 1),
                                                                        dt.date(2021, 8, 31))), template_dirs(), "md")
    assert "\nTrong thời gian từ ngày 01/5/2021 đến ngày 31/8/2021: " in window and "Trong từ ngày" not in window
    assert "trong từ ngày" not in window and "sau từ ngày" not in window  # the next window too
    english = render_text("report.md.j2", build_report(plan, report_span(plan, None, dt.date(2021, 5, 1),
                                                                         dt.date(2021, 8, 31)), lang="en"),
                          template_dirs(), "md")
    assert "for from" not in english and "in from" not in english and "Results for the period from" in english


def test_work_due_next_names_the_leads_that_still_owe_it_and_how_far_it_has_come():
    """The Q3 report listed II.6.e, due in Q4, under "Các nhiệm vụ đến hạn trong quý IV" with both
    leads, though BDVTU had reported 100 % on 15/9 (its appendix said "BDVTU 100%, BCSĐ UBND tỉnh
    80%")."""
    source = PLAN.read_text(encoding="utf-8")
    at = source.index("        deadline: '2021'\n", source.index("- id: II.6.e"))
    text_ = source[:at] + ("        deadline: '2021'\n        progress:\n"
                           "          - {date: 2021-09-15, body: bdvtu, percent: 100, note: Xong phần Ban Dân vận}\n"
                           "          - {date: 2021-09-20, body: bcsd-ubnd, percent: 80, note: Đang trình}\n"
                           ) + source[at + len("        deadline: '2021'\n"):]
    plan = load_text(text_, "k.yaml").plan
    assert plan is not None
    out = render_text("report.md.j2", build_report(plan, report_span(plan, "Q3", None, None)), template_dirs(), "md")
    line = next(x for x in out.splitlines() if x.startswith("- 31/12/2021: II.6.e. "))
    assert line.endswith("(BCSĐ UBND tỉnh): đã đạt 80%"), line  # its own part, not the mean with BDVTU's 100 %


def test_the_checklist_of_a_plan_whose_year_is_over_judges_its_last_day_closed(tmp_path):
    """Made after the plan's end (standing at 31/12/2021), the checklist called the work due on
    31/12 and not done "Sắp đến hạn", while the year's report of the same date says "Chưa hoàn
    thành, quá hạn"."""
    from kehoach import api

    result = api.checklist(PLAN, today=dt.date(2022, 1, 10), formats="md", output=str(tmp_path / "c.md"))
    rows = [r for g in result.value[0][1].groups for r in g.rows]
    year_end = [r for r in rows if r.id == "II.6.e"]
    assert year_end and year_end[0].status == "Chưa hoàn thành, quá hạn"
    assert not any(r.status == "Sắp đến hạn" for r in rows)
    asked = api.checklist(PLAN, today=dt.date(2022, 1, 10), as_of=dt.date(2021, 12, 31), formats="md",
                          output=str(tmp_path / "d.md"))  # the day itself, asked for: still open
    assert [r.status for g in asked.value[0][1].groups for r in g.rows if r.id == "II.6.e"] == ["Sắp đến hạn"]


def test_work_finished_after_the_period_says_its_percent_was_the_periods():
    """`report --period Q2 --as-of 2021-07-10`: "Ban A 100%, Sở B 0%; đã hoàn thành ngày
    02/7/2021" beside "Tiến độ 50%" read as 0 % and done at once; the completion is said to come
    after the period."""
    from plans_for_tests import load, task_yaml

    bodies = "  - {id: a, name: Ban A, kind: party}\n  - {id: b, name: Sở B, kind: state}\n"
    task = task_yaml("t", "2021-06-30", lead="a, b").replace(
        "  deadline: 2021-06-30\n", "  deadline: 2021-06-30\n  progress:\n"
        "    - {date: 2021-06-20, body: a, percent: 100, note: Xong phần A}\n"
        "    - {date: 2021-07-02, body: b, percent: 100, note: Xong phần B}\n")
    plan = load(task, bodies=bodies)
    ctx = build_report(plan, report_span(plan, "Q2", None, None), as_of=dt.date(2021, 7, 10))
    row = next(r for r in ctx.evaluation.unfinished if r.id == "t")
    assert "sau kỳ báo cáo, đã hoàn thành ngày 02/7/2021" in row.result, row.result


def test_a_report_on_an_earlier_period_sent_in_this_one_is_in_this_periods_report():
    """The February report on continuous work, sent on 5/4 (after the Q1 report was made), was in
    no quarterly report: Q1 had been made without it, and Q2 left it out as Q1's. Q2 now gives
    it, saying which period it is for."""
    from plans_for_tests import load, task_yaml

    task = task_yaml("c", "{continuous: true, review: month}").replace(
        "  deadline: {continuous: true, review: month}\n", "  deadline: {continuous: true, review: month}\n"
        "  progress:\n"
        "    - {date: 2021-03-02, body: a, note: Tháng 01 nắm tình hình, occurrence: 2021-M01}\n"
        "    - {date: 2021-04-05, body: a, note: Tháng 02 không phát sinh vụ việc, occurrence: 2021-M02}\n"
        "    - {date: 2021-04-06, body: a, kind: proposal, note: Đề nghị bổ sung kinh phí, occurrence: 2021-M02}\n")
    plan = load(task)

    def results(period: str) -> list[str]:
        ctx = build_report(plan, report_span(plan, period, None, None))
        return [e.text for g in ctx.results for i in g.items for e in i.lines]

    assert not any("Tháng 02" in x for x in results("Q1"))
    q2 = results("Q2")
    assert any("Tháng 02 không phát sinh vụ việc (báo cáo bổ sung cho tháng 02 năm 2021)" in x for x in q2), q2
    assert not any("Tháng 01" in x for x in q2)  # sent in its own period: Q1's only
    proposals = [e.text for e in build_report(plan, report_span(plan, "Q2", None, None)).proposals]
    assert proposals == [p for p in proposals if "(báo cáo bổ sung cho tháng 02 năm 2021)" in p] and proposals


def test_the_event_awaited_reads_on_inside_its_brackets():
    """"Hội nghị đột xuất … (Khi có những nội dung …)": a capital inside the brackets."""
    plan = load_plan(PLAN).plan
    out = render_text("report.md.j2", build_report(plan, report_span(plan, "Q2", None, None)), template_dirs(), "md")
    assert "(khi có những nội dung quan trọng cần tổ chức hội nghị đột xuất)." in out and "(Khi có" not in out


def test_the_appendix_stands_on_the_day_the_report_is_dated_and_its_headings_agree_with_their_rows(tmp_path):
    """A year's report written on 10/01/2022 said in its body that II.9.a was finished on 05/01/2022
    and that II.1.a was reported on for every quarter (Q4's report came on 05/01), while its appendix
    (as at 31/12) said "Chưa hoàn thành, quá hạn" and "kỳ vừa qua chưa báo cáo": it now stands where
    `status` stands that day. The heading of the reporting duties (IV.2) said "quá hạn" for the
    report being made; it is judged with that report as work in progress."""
    import datetime as dt

    from plans_for_tests import D, with_entries

    text = with_entries(PLAN.read_text(encoding="utf-8"), [
        ("IV.2.a", {"date": D("2021-03-30"), "percent": 100, "occurrence": "2021-Q1", "note": "Báo cáo quý I"}),
        ("II.9.a", {"date": D("2021-12-20"), "percent": 60, "note": "Dự thảo"}),
        ("II.9.a", {"date": D("2022-01-05"), "percent": 100, "note": "Hội nghị sơ kết"}),
        *[("II.1.a", {"date": D(day), "body": body, "occurrence": f"2021-Q{q}", "note": f"Báo cáo quý {q}"})
          for body in ("bdvtu", "bcsd-ubnd") for q, day in ((1, "2021-03-25"), (2, "2021-06-25"), (3, "2021-09-25"),
                                                           (4, "2022-01-05"))],
    ])
    loaded = load_text(text, "2021.yaml")
    assert loaded.plan is not None, loaded.diagnostics
    plan = loaded.plan
    ctx = build_report(plan, report_span(plan, "Y", None, None), as_of=dt.date(2022, 1, 10))
    rows = {r.id: r for r in ctx.appendix}
    assert rows["II.9.a"].status == "Hoàn thành quá hạn" and rows["II.9.a"].percent_shown == "100%"
    assert rows["II.1.a"].status == "Thường xuyên"  # not "kỳ vừa qua chưa báo cáo"
    h1 = build_report(plan, report_span(plan, "H1", None, None))
    heads = {r.id: r for r in h1.appendix}
    assert heads["IV.2.b"].status == "Thực hiện bằng báo cáo này"
    assert heads["IV.2"].status != "Chưa hoàn thành, quá hạn", heads["IV.2"].status


def test_work_carried_forward_by_one_lead_of_two_gives_that_leads_own_percent():
    """II.6.e, done by BDVTU and not begun by BCSĐ UBND tỉnh: the year's report carried it as "(BCSĐ
    UBND tỉnh): … đạt 50%", the two leads' mean beside the one that owes it all."""
    from plans_for_tests import D, with_entries

    text = with_entries(PLAN.read_text(encoding="utf-8"), [
        ("II.6.e", {"date": D("2021-11-25"), "body": "bdvtu", "percent": 100, "note": "Đã xây dựng Đề án"})])
    loaded = load_text(text, "2021.yaml")
    assert loaded.plan is not None, loaded.diagnostics
    year = render_text("report.md.j2", build_report(loaded.plan, report_span(loaded.plan, "Y", None, None)),
                       template_dirs(), "md")
    line = next(x for x in year.splitlines() if x.startswith("- II.6.e.") and "(BCSĐ UBND tỉnh)" in x)
    assert "50%" not in line, line
