"""Bad input and awkward files: a clear message and exit code, nothing lost.

Each test here reproduces a finding of a review of the command line."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from kehoach.cli.app import main
from kehoach.plan.loader import load_plan, load_text

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
DEMO = ROOT / "examples" / "demo.yaml"


@pytest.fixture
def plan_copy(tmp_path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(PLAN.read_bytes())
    return path


def run(capsys, *args):
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "lỗi nội bộ" not in out.err, out.err
    return code, out.out, out.err


# ---------------------------------------------------------------- kehoach log and the plan file


def test_log_through_a_symlink_writes_the_real_file(tmp_path, capsys):
    real = tmp_path / "real"
    real.mkdir()
    (real / "plan.yaml").write_bytes(PLAN.read_bytes())
    link = tmp_path / "link.yaml"
    link.symlink_to(real / "plan.yaml")
    code, _, _ = run(capsys, "log", "II.5.b", "--joint", "-p", link, "--percent", "10", "-m", "qua liên kết",
                     "--date", "2021-03-01")
    assert code == 0
    assert link.is_symlink()
    assert "qua liên kết" in (real / "plan.yaml").read_text(encoding="utf-8")


def test_log_refuses_a_read_only_file(plan_copy, capsys):
    os.chmod(plan_copy, 0o444)
    before = plan_copy.read_bytes()
    code, _, err = run(capsys, "log", "II.5.b", "--joint", "-p", plan_copy, "--percent", "10", "-m", "x",
                       "--date", "2021-03-01")
    assert code == 1 and "chỉ cho đọc" in err
    assert plan_copy.read_bytes() == before


def test_log_refuses_a_read_only_file_even_for_root(plan_copy, capsys, monkeypatch):
    """os.access says no (a read-only file for a normal user): refused, nothing written."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real_access(p, mode))
    before = plan_copy.read_bytes()
    code, _, err = run(capsys, "log", "II.5.b", "--joint", "-p", plan_copy, "--percent", "10", "-m", "x",
                       "--date", "2021-03-01")
    assert code == 1 and "chỉ cho đọc" in err
    assert plan_copy.read_bytes() == before


def test_log_on_a_parent_task_is_refused_with_its_subtasks(plan_copy, capsys):
    before = plan_copy.read_bytes()
    code, _, err = run(capsys, "log", "IV.4", "-p", plan_copy, "--done", "-m", "x", "--date", "2021-05-05")
    assert code == 1
    assert "có nhiệm vụ con" in err and "IV.4.a" in err
    assert plan_copy.read_bytes() == before


def test_check_warns_about_progress_under_a_parent():
    text = PLAN.read_text(encoding="utf-8").replace(
        "  - id: IV.4\n", "  - id: IV.4\n    progress:\n      - {date: 2021-05-05, percent: 10, note: x}\n", 1)
    loaded = load_text(text, "p.yaml")
    found = [d for d in loaded.diagnostics if d.severity != "info"]  # the plan's notes aside
    assert [d.code for d in found] == ["progress-on-parent"]
    assert found[0].severity == "warning"


def test_log_normalises_the_note_to_nfc(plan_copy, capsys):
    decomposed = "Nguye\u0302\u0303n Va\u0306n"  # typed with combining marks
    code, _, _ = run(capsys, "log", "II.5.b", "--joint", "-p", plan_copy, "--percent", "10", "-m", decomposed,
                     "--date", "2021-03-01")
    assert code == 0
    assert run(capsys, "check", "--strict", plan_copy)[0] == 0
    assert "Nguyễn Văn" in plan_copy.read_text(encoding="utf-8")


def test_log_refuses_a_note_in_a_legacy_encoding(plan_copy, capsys):
    before = plan_copy.read_bytes()
    code, _, err = run(capsys, "log", "II.5.b", "--joint", "-p", plan_copy, "--percent", "10", "-m", "Qu¶ng Ng·i",
                       "--date", "2021-03-01")
    assert code == 1 and "TCVN3" in err and "Unikey" in err
    assert plan_copy.read_bytes() == before


def test_occurrence_on_a_task_that_does_not_recur(plan_copy, capsys):
    code, _, err = run(capsys, "log", "II.6.b", "--joint", "-p", plan_copy, "--percent", "10", "-m", "x",
                       "--date", "2021-07-05", "--occurrence", "2021-Q3")
    assert code == 1 and "bỏ --occurrence" in err


def test_one_line_progress_is_refused_not_rewritten(tmp_path, capsys):
    text = PLAN.read_text(encoding="utf-8").replace(
        "  - id: IV.5\n", "  - id: IV.5\n    progress: [{date: 2021-02-01, percent: 5, note: một}]\n", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "log", "IV.5", "--joint", "-p", path, "--percent", "10", "-m", "hai",
                       "--date", "2021-03-01")
    assert code == 1 and "một dòng" in err
    assert path.read_text(encoding="utf-8") == text


def test_log_refusal_hints_speak_of_options(plan_copy, capsys):
    run(capsys, "log", "II.6.b", "--joint", "-p", plan_copy, "--percent", "50", "-m", "a", "--date", "2021-05-10")
    code, _, err = run(capsys, "log", "II.6.b", "--joint", "-p", plan_copy, "--percent", "30", "-m", "b",
                       "--date", "2021-05-11")
    assert code == 1 and "ngày 10/5/2021 ghi 50%, báo cáo ngày 11/5/2021 ghi 30%" in err and "--kind difficulty" in err
    code, _, err = run(capsys, "log", "II.6.b", "--joint", "-p", plan_copy, "--percent", "60", "-m", "c",
                       "--date", "2021-05-09")
    assert code == 1 and "ngày 09/5/2021 ghi 60%, báo cáo ngày 10/5/2021 ghi 50%" in err and "--date" in err


def test_percent_and_done_together(plan_copy, capsys):
    assert run(capsys, "log", "II.6.b", "--joint", "-p", plan_copy, "--percent", "90", "--done", "-m", "x")[0] == 2
    assert run(capsys, "log", "II.6.b", "--joint", "-p", plan_copy, "--percent", "100", "--done", "-m", "x",
               "--date", "2021-03-01")[0] == 0


# ---------------------------------------------------------------- outputs


def test_per_body_output_without_slash_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "pb"
    code, _, _ = run(capsys, "checklist", "-p", DEMO, "--per-body", "-o", folder, "--as-of", "2021-07-01")
    assert code == 0 and folder.is_dir()
    # every body with work, lead or support: the districts ("ubnd-huyen", a group, by its members) and the
    # Front (support only) have their own table as much as the lead bodies
    assert sorted(p.name for p in folder.iterdir()) == [f"dv-demo-2021-bang-phan-cong-{b}.md" for b in (
        "bcsd-ubnd", "bdvtu", "mttq-tinh", "so-noi-vu", "so-tai-chinh", "so-tnmt", "thanh-tra-tinh", "ubnd-an-lac",
        "ubnd-tinh", "ubnd-tp-minh-hoa", "ubnd-van-son")]
    front = (folder / "dv-demo-2021-bang-phan-cong-mttq-tinh.md").read_text(encoding="utf-8")
    assert "Cơ quan: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Minh Hòa" in front and "II.4.a." in front


def test_per_body_tables_are_listed_by_the_body_s_name(tmp_path, capsys):
    """The clerk mailing 22 tables reads whose each is: every one named by its body's name."""
    folder = tmp_path / "pb"
    code, _, err = run(capsys, "checklist", "-p", PLAN, "--per-body", "-o", folder, "--as-of", "2021-07-01")
    lines = [line for line in err.splitlines() if not line.startswith("lưu ý:")]  # the plan's uncertain values
    assert code == 0 and len(lines) == len(list(folder.iterdir())) == 22
    assert f"Ủy ban nhân dân huyện Lý Sơn: đã ghi {folder / 'dv-2021-bang-phan-cong-ubnd-ly-son.md'}" in lines
    assert f"Sở Nội vụ: đã ghi {folder / 'dv-2021-bang-phan-cong-so-noi-vu.md'}" in lines


def test_checklist_file_is_named_after_the_matched_body(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "checklist", "-p", DEMO, "--body", "Sở Nội vụ", "--as-of", "2021-07-01")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["dv-demo-2021-bang-phan-cong-so-noi-vu.md"]


@pytest.mark.parametrize("command", [
    ["status", "-p", str(DEMO), "-f", "json"],
    ["report", "-p", str(DEMO), "--period", "Q1"],
    ["checklist", "-p", str(DEMO)],
    ["calendar", "-p", str(DEMO)],
    ["schema"],
])
def test_unwritable_output_is_a_clear_error(command, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, *command, "-o", blocker / "x.out")
    assert code == 2 and "không ghi được" in err


def test_status_table_to_a_file_has_no_escape_codes(tmp_path, capsys):
    out = tmp_path / "bang.txt"
    assert run(capsys, "status", "-p", DEMO, "--as-of", "2021-07-01", "-o", out)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "Sắp đến hạn" in text and "\x1b" not in text


# ---------------------------------------------------------------- periods and dates


@pytest.mark.parametrize("args", [
    ["--period", "2022-Q1"],
    ["--period", "9999-Q4"],
    ["--from", "2023-01-01", "--to", "2023-02-01"],
])
def test_report_period_outside_the_plan(args, capsys):
    code, _, err = run(capsys, "report", "-p", PLAN, *args, "-o", "-")
    assert code == 2 and "ngoài kỳ kế hoạch" in err


@pytest.mark.parametrize("args, words", [
    (["--period", "Q2", "--from", "2021-01-01", "--to", "2021-02-01"], "không dùng cả hai"),
    (["--from", "2021-06-01", "--to", "2021-03-01"], "--to (01/3/2021) không được trước --from (01/6/2021)"),
    (["--from", "0001-01-01", "--to", "2021-03-01"], "--from: ngày '0001-01-01' không hợp lệ"),
])
def test_report_option_mistakes(args, words, capsys):
    code, _, err = run(capsys, "report", "-p", PLAN, *args, "-o", "-")
    assert code == 2 and words in err


def test_as_of_outside_the_plan_is_noted(capsys):
    code, out, err = run(capsys, "status", "-p", PLAN, "--as-of", "2026-11-25", "-f", "json")
    assert code == 0 and "nằm ngoài kỳ kế hoạch" in err and out.startswith("{")
    # the date was chosen with --as-of: the note does not tell the user to choose one with it
    assert "dùng --as-of" not in err


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_document_from_a_plan_with_uncertain_values_says_so_unless_a_draft(capsys, tmp_path):
    """The plan's number, date and signers are OCR readings it marks uncertain: every document that
    prints them (to be signed) says so, once, naming them; a draft does not."""
    for command in (["report", "--period", "Q2"], ["checklist"], ["remind", "--as-of", "2021-10-05"]):
        out = tmp_path / command[0]
        code, _, err = run(capsys, *command, "-p", PLAN, "-o", str(out) + ("/" if command[0] == "remind" else ".md"))
        assert code == 0, err
        assert err.count("chưa chắc chắn (plan.number, plan.issued, signers); đối chiếu bản giấy đã ký") == 1, err
    code, _, err = run(capsys, "report", "--period", "Q2", "-p", PLAN, "--draft", "-o", str(tmp_path / "d.md"))
    assert code == 0 and "chưa chắc chắn" not in err
    code, _, err = run(capsys, "status", "-p", PLAN, "--as-of", "2021-07-01")
    assert code == 0 and "chưa chắc chắn" not in err


def test_a_report_written_in_the_days_after_the_plan_has_no_note_of_its_date(capsys, tmp_path):
    """The year's report is written on 12/01 of the next year, as `report` itself suggests: no
    note that the date lies outside the plan (it said so, and to use --as-of, which was used)."""
    code, _, err = run(capsys, "report", "-p", PLAN, "--period", "Y", "--as-of", "2022-01-12", "-o",
                       str(tmp_path / "y.md"))
    assert code == 0 and "ngoài kỳ kế hoạch" not in err, err
    code, _, err = run(capsys, "report", "-p", PLAN, "--period", "Y", "--as-of", "2022-05-12", "-o",
                       str(tmp_path / "y2.md"))
    assert code == 0 and "12/5/2022 nằm ngoài kỳ kế hoạch" in err and "dùng --as-of" not in err, err


def test_templates_folder_missing_is_a_usage_error(capsys):
    code, _, err = run(capsys, "report", "-p", DEMO, "--period", "Q2", "--templates", "/khong/co", "-o", "-")
    assert code == 2 and "/khong/co" in err


# ---------------------------------------------------------------- language


@pytest.mark.parametrize("args, english", [
    (["log", "II.6.b", "--joint", "-p", str(PLAN), "-m", "x"], "needs --percent N (or --done)"),
    (["report", "-p", str(PLAN), "--from", "2021-06-01", "--to", "2021-03-01"], "must not come before --from"),
    (["report", "-p", str(PLAN), "--period", "Q7"], "--period: cannot read 'Q7'"),
    (["report", "-p", str(PLAN), "--period", "Q2", "-f", "pdf"], "--format: no format 'pdf'"),
    (["status", "-p", str(PLAN), "--body", "khong co"], "--body: no body matches 'khong co'"),
    (["status", "-p", str(PLAN), "--by", "colour"], "--by: use body, objective or status"),
])
def test_command_errors_in_english(args, english, capsys):
    code, _, err = run(capsys, *args, "--lang", "en")
    assert code == 2 and english in err


# ---------------------------------------------------------------- second review


def test_log_on_a_missing_file_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "log", "II.7", "-p", tmp_path / "khong-co.yaml", "--percent", "5", "-m", "x")
    assert code == 2 and err.count("không tìm thấy tệp kế hoạch") == 1


def test_status_on_a_missing_file_prints_no_check_summary(tmp_path, capsys):
    code, _, err = run(capsys, "status", "-p", tmp_path / "khong-co.yaml")
    assert code == 2 and "không tìm thấy tệp kế hoạch" in err and "Đã kiểm tra" not in err


@pytest.mark.parametrize("name, content, fmt", [
    ("report.docx", b"not a word file", "docx"),
    ("report.md.j2", b"{{ 1 / 0 }}\n", "md"),
])
def test_a_broken_user_template_is_the_users_error(name, content, fmt, tmp_path, capsys):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / name).write_bytes(content)
    code, _, err = run(capsys, "report", "-p", DEMO, "--period", "Q1", "--templates", tmp_path / "t", "-f", fmt,
                       "-o", tmp_path / f"r.{fmt}", "--lang", "en")
    assert code == 1 and "the template failed" in err and name in err


def test_per_body_with_one_lead_still_writes_a_folder(tmp_path, capsys):
    import re as _re

    text = _re.sub(r"lead: \[[^\]]*\]", "lead: [bdvtu]", DEMO.read_text(encoding="utf-8"))
    text = _re.sub(r"\n *support: \[[^\]]*\]", "", text)  # and no body in support
    plan = tmp_path / "one.yaml"
    plan.write_text(text, encoding="utf-8")
    code, _, _ = run(capsys, "checklist", "-p", plan, "--per-body", "-o", tmp_path / "pb", "--as-of", "2021-07-01")
    assert code == 0 and [p.name for p in (tmp_path / "pb").iterdir()] == ["dv-demo-2021-bang-phan-cong-bdvtu.md"]
    assert run(capsys, "checklist", "-p", plan, "--per-body", "-o", "-")[0] == 2
    assert run(capsys, "checklist", "-p", plan, "--per-body", "--body", "bdvtu")[0] == 2


def test_log_option_text_is_cleaned_or_refused(plan_copy, capsys):
    code, _, err = run(capsys, "log", "II.5.b", "--joint", "-p", plan_copy, "--percent", "5", "-m", "a\u0007b",
                       "--date", "2021-03-01")
    assert code == 2 and "U+0007" in err
    assert run(capsys, "log", "II.5.b", "--joint", "-p", plan_copy, "--percent", "5", "-m", "x", "--by", " ",
               "--evidence", "", "--date", "2021-03-01")[0] == 0
    task = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "II.5.b")
    assert task.progress[-1].by is None and task.progress[-1].evidence is None


@pytest.mark.parametrize("args, words", [
    (["check", str(PLAN), "--lang", "english"], "--lang: chọn 'vi' hoặc 'en'"),
    (["check", str(PLAN), "--format", "xml"], "--format: không có lựa chọn 'xml'"),
    (["status", "-p", str(PLAN), "--soon", "999"], "--soon: 999 phải từ 0 đến 365"),
    (["log", "II.5.b", "--joint", "-p", str(PLAN), "--percent", "150", "-m", "x"], "--percent: 150 phải từ 0 đến 100"),
    (["log", "II.5.b", "--joint", "-p", str(PLAN), "--percent", "5", "-m", "x", "--kind", "khac"],
     "--kind: không có lựa chọn 'khac'"),
])
def test_option_mistakes_in_vietnamese(args, words, capsys, monkeypatch):
    monkeypatch.delenv("KEHOACH_LANG", raising=False)
    code, _, err = run(capsys, *args)
    assert code == 2 and words in err


def test_a_checklist_of_a_plan_whose_year_is_over_stands_at_the_plan_s_end():
    """Made after the plan's period without --as-of, the appendix stands at the plan's last day,
    not at a date of a later year, and says so; inside the period, today."""
    import datetime as dt

    from kehoach import api

    after = api.checklist(PLAN, dt.date(2026, 12, 5))
    [(_, ctx)] = after.value
    assert [n.key for n in after.notes] == ["document-uncertain", "as-of-plan-end"]
    assert "31 tháng 12 năm 2021" in str(dataclasses.asdict(ctx)) and "2026" not in str(dataclasses.asdict(ctx))
    during = api.checklist(PLAN, dt.date(2021, 7, 1))
    [(_, ctx)] = during.value
    assert [n.key for n in during.notes] == ["document-uncertain"] and "01 tháng 7 năm 2021" in str(
        dataclasses.asdict(ctx))
