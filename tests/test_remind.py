"""`kehoach remind`: a reminder letter (công văn đôn đốc) to each lead body with work
overdue, due soon, or continuous work unreported in an ended review period."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kehoach.letters import build_reminders, reminder_rows
from kehoach.loader import load_plan, load_text
from plans_for_tests import demo_until

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"



@pytest.fixture(scope="module")
def demo_june():
    """The demo plan with what had been logged by the end of May: in early July, II.1.b and
    II.4.b are overdue, II.5.a due soon, II.3 (continuous) unreported for Q2."""
    loaded = load_text(demo_until("2021-05-31"), "demo-june.yaml")
    assert loaded.ok
    return loaded.plan


def test_one_letter_per_lead_body_with_something_to_chase(tmp_path, kehoach):
    code, _, err = kehoach("remind", "-p", DEMO, "--as-of", "2021-07-01", "-o", tmp_path, "-f", "md,html,docx")
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    # on 1/7/2021 only the Ban Cán sự đảng UBND tỉnh has work overdue (II.4.b) or due soon (II.5.a);
    # the Ban Dân vận has none: no letter for it
    assert names == [f"dv-demo-2021-don-doc-2021-07-01-bcsd-ubnd.{ext}" for ext in ("docx", "html", "md")]
    md = (tmp_path / names[2]).read_text(encoding="utf-8")
    assert "Kính gửi: <strong>Ban Cán sự đảng Ủy ban nhân dân tỉnh Minh Hòa</strong>" in md
    assert "| 1 | II.4.b |" in md and "Quá hạn 1 ngày (hạn 30/6/2021)" in md
    assert "| 2 | II.5.a |" in md and "Đến hạn ngày 09/7/2021" in md
    assert "trước ngày 08 tháng 7 năm 2021" in md  # five working days after the letter
    assert "V/v đôn đốc thực hiện Kế hoạch số 12-KH/BDVTU-BCSĐUBND" in md


def test_a_body_never_writes_to_itself(demo_june):
    """The letter to one issuer of a joint plan comes from the other, signed by it alone, and
    the answer goes to it."""
    letters = dict(build_reminders(demo_june, dt.date(2021, 7, 2)))
    assert sorted(ctx.body for ctx in letters.values()) == ["bcsd-ubnd", "bdvtu"]
    to_bcsd = next(c for c in letters.values() if c.body == "bcsd-ubnd")
    assert to_bcsd.doc.issuers == ["BAN DÂN VẬN TỈNH ỦY MINH HÒA"]
    assert [s["title"] for s in to_bcsd.signers] == ["TRƯỞNG BAN"]
    assert to_bcsd.doc.number.endswith("-CV/BDVTU")
    assert "về Ban Dân vận Tỉnh ủy Minh Hòa trước" in to_bcsd.closing


def test_the_rows_say_what_is_late_due_or_unreported(demo_june):
    rows = reminder_rows(demo_june, dt.date(2021, 7, 2))
    by_id = {r.id: r for r in rows["bcsd-ubnd"]}
    assert by_id["II.4.b"].status_code == "overdue" and by_id["II.4.b"].status == "Quá hạn 2 ngày (hạn 30/6/2021)"
    assert by_id["II.5.a"].status_code == "due_soon"
    assert by_id["II.3"].status_code == "ongoing_stale" and by_id["II.3"].status == "Chưa báo cáo tháng 6/2021"  # reviewed monthly
    assert by_id["II.3"].last.startswith("28/4/2021: Khảo sát sự hài lòng")  # its last report
    # every row is a leaf task the body leads, numbered in plan order
    assert [r.stt for r in rows["bcsd-ubnd"]] == [str(i) for i in range(1, len(rows["bcsd-ubnd"]) + 1)]
    plan_order = [t.id for t, _ in demo_june.iter_tasks()]
    assert [r.id for r in rows["bcsd-ubnd"]] == sorted((r.id for r in rows["bcsd-ubnd"]), key=plan_order.index)


def test_no_letter_when_nothing_is_due(tmp_path, kehoach):
    code, _, err = kehoach("remind", "-p", DEMO, "--as-of", "2021-10-15", "-o", tmp_path)
    assert code == 0 and "Không có cơ quan nào cần đôn đốc" in err
    assert list(tmp_path.iterdir()) == []


def test_one_body(tmp_path, kehoach, demo_june):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_until("2021-05-31"), encoding="utf-8")
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "--body", "bdvtu", "-o",
                       tmp_path / "out", "-f", "md", "--reply-by", "2021-07-15", "--number", "31")
    assert code == 0, err
    (letter,) = (tmp_path / "out").iterdir()
    text = letter.read_text(encoding="utf-8")
    assert "Số 31-CV/BCSĐUBND" in text and "trước ngày 15 tháng 7 năm 2021" in text


def test_english(tmp_path, kehoach):
    code, _, _ = kehoach("remind", "-p", DEMO, "--as-of", "2021-07-01", "-o", tmp_path, "-f", "md",
                     "--lang", "en")
    assert code == 0
    text = next(tmp_path.iterdir()).read_text(encoding="utf-8")
    assert "To: <strong>" in text and "Overdue by 1 day(s)" in text and "Kính gửi" not in text


def test_the_word_letter_opens_in_libreoffice(tmp_path, kehoach):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
    code, _, err = kehoach("remind", "-p", DEMO, "--as-of", "2021-07-01", "-o", tmp_path, "-f", "docx")
    assert code == 0, err
    (docx,) = tmp_path.glob("*.docx")
    proc = subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(docx)], capture_output=True, text=True, timeout=240)
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), proc.stdout + proc.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Kính gửi" in text and "II.4.b" in text


def test_load_plan_still_valid_after_remind(tmp_path, kehoach):
    """remind reads the plan, never writes it."""
    plan = tmp_path / "demo.yaml"
    plan.write_bytes(DEMO.read_bytes())
    kehoach("remind", "-p", plan, "--as-of", "2021-07-01", "-o", tmp_path / "out")
    assert plan.read_bytes() == DEMO.read_bytes() and load_plan(plan).ok


def test_no_letter_chases_what_its_senders_lead_too(demo_june):
    """A duty both issuers lead (IV.1.a) is theirs together: neither reminds the other of it."""
    rows = reminder_rows(demo_june, dt.date(2021, 7, 2))
    joint = {t.id for t, _ in demo_june.iter_tasks() if {"bdvtu", "bcsd-ubnd"} <= set(t.lead)}
    assert joint and not joint & {r.id for letter in rows.values() for r in letter}


def test_one_number_for_one_letter_and_no_answer_before_the_letter(demo_june, kehoach, tmp_path):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_until("2021-05-31"), encoding="utf-8")
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "--number", "31", "-o", tmp_path / "a")
    assert code == 2 and "--body" in err
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "--reply-by", "2021-06-01",
                           "-o", tmp_path / "b")
    assert code == 2 and "sớm hơn ngày gửi công văn" in err
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "-o", "-")
    assert code == 2 and "thư mục" in err
