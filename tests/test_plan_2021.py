"""The shipped plan says what the source document says.

The source is the OCR text of the signed plan (tests/data/source-2021-ocr.txt,
a copy of shared/source/000_f75f1aa9f547ecd3.txt): no diacritics, some letters
garbled. Comparisons fold both sides to plain ASCII letters and digits.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from kehoach.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
SOURCE = (ROOT / "tests" / "data" / "source-2021-ocr.txt").read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Upper-case ASCII letters and digits only: '436/QĐ-UBND' → '436QDUBND'."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


@pytest.fixture(scope="module")
def plan():
    loaded = load_plan(PLAN)
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    return loaded.plan


def test_plan_checks_clean():
    """No error, no warning; the notes are the values waiting for the signed paper (the number and
    the date as OCR allows, which name signs for which body) and the one decision cited without a
    date."""
    loaded = load_plan(PLAN)
    assert [(d.severity, d.code, d.loc) for d in loaded.diagnostics] == [
        ("info", "uncertain-value", ("plan", "number")),
        ("info", "uncertain-value", ("plan", "issued")),
        ("info", "reference-undated", ("references", 12, "date")),  # qd-4054
        ("info", "uncertain-value", ("signers",)),
    ]
    assert loaded.plan.plan.uncertain.keys() == {"number", "issued", "signers"}


def test_every_reference_number_is_in_the_source(plan):
    # OCR read "Đ" as "B" in places; both readings count.
    source = squash(SOURCE).replace("BCSBUBND", "BCSDUBND").replace("QB", "QD")
    for ref in plan.references:
        assert squash(ref.number) in source, ref.number


def test_every_reference_date_is_next_to_its_number_in_the_source(plan):
    flat = re.sub(r"\s+", " ", SOURCE)
    for ref in plan.references:
        if ref.id in {"qd-217", "qd-218", "qd-4054"}:
            continue  # the source names these without a date (see the YAML comments)
        assert ref.date is not None, ref.number
        d = ref.date
        forms = {f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
                 f"{d.day:02d}/{d.month}/{d.year}", f"{d.day}/{d.month:02d}/{d.year}"}
        digits = re.match(r"\d+", ref.number).group()
        windows = [flat[m.start(): m.start() + 120] for m in re.finditer(rf"\b{digits}\s*[-/]", flat)]
        assert windows, ref.number
        assert any(f in w for w in windows for f in forms), (ref.number, d)


def test_every_document_number_in_the_source_is_a_reference(plan):
    folded = squash(SOURCE)
    cited = set(re.findall(r"S[O6D](\d{2,4})(?:KL|CT|QD|QB|CTR)", folded))  # OCR: "so", "s6", "sd"
    numbers = {re.match(r"\d+", r.number).group() for r in plan.references}
    assert cited, "no document numbers found in the source"
    assert cited <= numbers, sorted(cited - numbers)


def test_undated_references_say_why_in_a_comment():
    text = PLAN.read_text(encoding="utf-8")
    block = text.split("id: qd-4054")[0].rsplit("\n\n", 1)[-1]
    assert "NGUỒN" in block.upper() or "nguồn" in block


def test_objectives_and_coordination_contents(plan):
    assert [o.id for o in plan.objectives] == ["I.1", "I.2", "I.3", "I.4"]
    top = [t.id for t in plan.tasks]
    for n in range(1, 10):
        assert f"II.{n}" in top
    assert "Dân vận khéo" in plan.objectives[2].text
    # section II counts nine contents in the source
    assert len([t for t in plan.tasks if t.section == "II"]) == 9


def test_responsibilities_and_implementation_are_tasks(plan):
    ids = {t.id for t, _ in plan.iter_tasks()}
    assert {"III.1", "III.2", "IV.1", "IV.2", "IV.3", "IV.4"} <= ids
    by_id = {t.id: t for t, _ in plan.iter_tasks()}
    assert all("bdvtu" in s.lead for s in by_id["III.1"].subtasks)
    assert all("bcsd-ubnd" in s.lead for s in by_id["III.2"].subtasks)
    deadlines = [getattr(t.deadline, "text", None) for t, _ in plan.iter_tasks()]
    assert "2021-12" in deadlines  # the year-end summary conference, tháng 12/2021


def test_reporting_regime_has_the_four_cadences(plan):
    kinds = {(c.every.value if c.every else None) for c in plan.reporting.cadences}
    assert kinds == {"quarter", "half", "year", None}
    assert len(plan.reporting.topics) >= 8


def test_header_signers_and_recipients(plan):
    assert plan.plan.issued.year == 2021 and plan.plan.issued.month == 1
    assert plan.plan.issuers[0] == "bdvtu"
    assert {s.name for s in plan.signers} == {"Võ Phiên", "Võ Thanh An"}
    names = [r if isinstance(r, str) else r.name for r in plan.recipients]
    assert names[-1].startswith("Lưu VPTU")
    assert len(names) == 17


def test_no_invented_progress(plan):
    assert all(not t.progress for t, _ in plan.iter_tasks())


def test_text_is_nfc_with_diacritics():
    text = PLAN.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "Quảng Ngãi" in text and "Đẩy mạnh thực hiện Quy chế dân chủ ở cơ sở" in text
