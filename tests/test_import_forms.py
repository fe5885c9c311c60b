"""`kehoach import` of the forms plans are written in (issue 19): plain and OCR text, Markdown,
Word with typed numbers, with Word's automatic numbering, with the assignment table, and PDF;
each a plan written by the test (`tests/importforms.py`). For each: the counts of objectives,
tasks, references, bodies and deadlines, the issuers and the number, and every source line's
words found in the draft (nothing silently lost)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from ruamel.yaml import YAML

import importforms as forms
from kehoach.life.importer import import_lines, load_catalogue
from kehoach.life.importer.document import read_any
from kehoach.life.importer.lines import Source

OCR = Path(__file__).parent / "data" / "source-2021-ocr.txt"
REFS_2021 = {"26-CTr/BDVTU-BCSĐUBND", "25-KL/TU", "120-KL/TW", "114-KL/TW", "16/CT-TTg", "436/QĐ-UBND",
             "737/QĐ-UBND", "644/QĐ-UBND", "416/QĐ-TTg", "37-CT/TW", "217-QĐ/TW", "218-QĐ/TW", "4054-QĐ/TU"}


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).casefold()) if len(w) >= 2]


def words_missing(src: Source, draft: str) -> list[tuple[int, str]]:
    """(line, word) of each word of the source not found in the draft (values and comments alike)."""
    have = set(_words(draft.replace('\\"', '"')))
    return [(line.n, w) for line in src.lines for w in _words(line.text) if w not in have]


def all_tasks(tasks: list[dict]) -> list[dict]:
    return [x for t in tasks for x in [t, *all_tasks(t.get("subtasks", []))]]


class Made:
    def __init__(self, path: Path):
        self.src = read_any(path)
        self.result = import_lines(self.src, load_catalogue(), "vi", path.name)
        self.data = YAML(typ="safe").load(self.result.yaml)
        self.tasks = all_tasks(self.data["tasks"])

    def task(self, ident: str) -> dict:
        return next(t for t in self.tasks if t["id"] == ident)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("forms")
    cache: dict[str, Made] = {}

    def make(form: str) -> Made:
        if form in cache:
            return cache[form]
        if form == "ocr":
            path = OCR
        elif form == "md-2021":
            path = folder / "ke-hoach-2021.md"
            path.write_text(forms.MD_2021, encoding="utf-8")
        elif form == "md-45":
            path = folder / "ke-hoach-45.md"
            path.write_text(forms.MD_45, encoding="utf-8")
        elif form == "text":
            typed = read_any(forms.docx_2021(folder / "typed-for-text.docx"))
            path = folder / "ke-hoach-2021.txt"
            path.write_text("\n".join(typed.texts()) + "\n", encoding="utf-8")
        elif form == "docx-typed":
            path = forms.docx_2021(folder / "typed.docx")
        elif form == "docx-auto":
            path = forms.docx_2021(folder / "auto.docx", auto=True)
        elif form == "docx-table-body":
            path = forms.docx_45(folder / "table-body.docx", table_body=True)
        elif form == "docx-appendix":
            path = forms.docx_45(folder / "appendix.docx")
        elif form in ("pdf-2021", "pdf-45"):
            if not shutil.which("soffice"):
                pytest.skip("the PDF forms are printed by LibreOffice (soffice), not installed here")
            docx = forms.docx_2021(folder / "p2021.docx") if form == "pdf-2021" else forms.docx_45(folder / "p45.docx")
            path = forms.to_pdf(docx, folder)
        else:
            raise AssertionError(form)
        cache[form] = Made(path)
        return cache[form]

    return make


FORMS_2021 = ["text", "md-2021", "docx-typed", "docx-auto",
              pytest.param("pdf-2021", marks=pytest.mark.slow)]
FORMS_45 = ["md-45", "docx-appendix", "docx-table-body", pytest.param("pdf-45", marks=pytest.mark.slow)]


@pytest.mark.slow
@pytest.mark.parametrize("form", ["ocr", *FORMS_2021, *FORMS_45])
def test_every_source_line_is_in_the_draft(made, form):
    m = made(form)
    assert words_missing(m.src, m.result.yaml) == []
    # the placed figure counts values only, never more than the lines that count
    assert 0 < m.result.placed <= m.result.total


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes
@pytest.mark.parametrize("form", ["ocr", *FORMS_2021])
def test_the_2021_plan_in_each_form(made, form):
    m = made(form)
    plan = m.data["plan"]
    assert plan["issuers"] == ["bdvtu", "bcsd-ubnd"]
    assert plan["draft"] is True
    assert [o["id"] for o in m.data["objectives"]] == ["I.1", "I.2", "I.3", "I.4"]
    top = [t["id"] for t in m.data["tasks"]]
    assert [t for t in top if t.startswith("II.")] == [f"II.{n}" for n in range(1, 10)]
    assert {r["number"] for r in m.data["references"]} == REFS_2021
    # every cadence of IV.2; IV.4's sentences, "tháng 12/2021" kept; the closing paragraph IV.5
    assert [t["deadline"] for t in m.task("IV.2")["subtasks"]][:3] == [
        {"every": "quarter"}, {"every": "half"}, {"every": "year"}]
    assert "2021-12" in [str(t.get("deadline")) for t in m.task("IV.4")["subtasks"]]
    assert "IV.5" in top
    # the bodies named after "chỉ đạo" and "gửi" in IV.3's last bullet
    last = m.task("IV.3")["subtasks"][-1]
    if form != "ocr":  # the OCR reads "Sa Noi vu", "Sa Tai chinh": too far for a short name
        assert {"so-noi-vu", "so-tai-chinh"} <= set(last.get("support", []))
    assert {b["id"] for b in m.data["bodies"]} >= {"bdvtu", "bcsd-ubnd", "so-noi-vu", "so-tai-chinh"}
    if form != "ocr":
        assert plan["number"] == "49-KH/BDVTU-BCSĐUBND"
        assert str(plan["issued"]) == "2021-01-14"
        assert m.result.counts["objectives"] == 4 and m.result.counts["references"] == 13


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("form", ["md-2021", "docx-typed"])
def test_signature_columns_of_the_document(made, form):
    m = made(form)
    assert [(s["body"], s["name"]) for s in m.data["signers"]] == [("bcsd-ubnd", "Võ Phiên"), ("bdvtu", "Võ Thanh An")]
    assert "cột chữ ký của văn bản" in m.result.yaml


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_auto_numbered_word_gives_the_typed_draft(made):
    typed, auto = made("docx-typed"), made("docx-auto")
    assert [t["id"] for t in auto.tasks] == [t["id"] for t in typed.tasks]
    assert auto.data["objectives"] == typed.data["objectives"]


@pytest.mark.parametrize("form", FORMS_45)
def test_a_state_plan_with_labelled_lines_and_an_assignment_table(made, form):
    m = made(form)
    plan = m.data["plan"]
    assert plan["number"] == "45/KH-UBND" and str(plan["issued"]) == "2023-03-10" and plan["place"] == "Kon Tum"
    issuer = next(b for b in m.data["bodies"] if b["id"] == plan["issuers"][0])
    assert issuer["name"] == "Ủy ban nhân dân tỉnh Kon Tum"  # never Quảng Ngãi's ubnd-tinh
    assert "ubnd-tinh" not in {b["id"] for b in m.data["bodies"]}
    assert "ubnd-tinh" not in m.result.yaml
    assert [o["id"] for o in m.data["objectives"]] == ["I.1.a", "I.1.b", "I.1.c", "I.2.a", "I.2.b"]
    numbers = {r["number"] for r in m.data["references"]}
    assert {"30/QĐ-TTg", "12-KH/TU", "30-CT/TW", "4325/BTP-PBGDPL"} <= numbers
    assert len(m.data["references"]) == 6  # and two laws by name and date
    # the assignment table: 3 groups, 11 rows, lead/support/deadline from their columns
    prefix = "II" if form == "docx-table-body" else "PL"
    groups = [t for t in m.data["tasks"] if re.fullmatch(rf"{prefix}\.(I|II|III)", t["id"])]
    assert len(groups) == 3 and sum(len(g["subtasks"]) for g in groups) == 11
    rows = {t["id"].rsplit(".", 1)[1]: t for g in groups for t in g["subtasks"]}
    assert rows["1"]["deadline"] == "2023-Q2" and rows["2"]["deadline"] == {"continuous": True, "review": "quarter"}
    assert str(rows["4"]["deadline"]) == "2023-07-31" and rows["6"]["deadline"] == "2023-H2"
    assert rows["3"]["support"] == ["tinh-doan", "hoi-lien-hiep-phu-nu-tinh"]
    if form != "docx-table-body":  # labelled lines under II.1, II.2
        assert m.task("II.1")["lead"] == ["so-tu-phap"] and m.task("II.1")["support"] == ["so-noi-vu", "mttq-tinh"]
        assert m.task("II.1")["deadline"] == "2023-Q2" and str(m.task("II.2")["deadline"]) == "2023-06-30"
    assert [t["deadline"] for t in m.task("III.1")["subtasks"]][:3] == [
        {"every": "quarter"}, {"every": "half"}, {"every": "year"}]
    assert m.data["signers"][0]["name"] == "Nguyễn Văn Hòa"
    assert len(m.data["recipients"]) == 6


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_markdown_2021_by_the_command(tmp_path, capsys):
    from kehoach.cli.app import main

    source = tmp_path / "ke-hoach-2021.md"
    source.write_text(forms.MD_2021, encoding="utf-8")
    code = main(["import", str(source), "-o", str(tmp_path / "d.yaml"), "--lang", "vi"])
    err = capsys.readouterr().err
    assert code in (0, None), err
    data = YAML(typ="safe").load((tmp_path / "d.yaml").read_text(encoding="utf-8"))
    assert len(data["objectives"]) == 4 and len(data["references"]) == 13
    assert [t["id"] for t in data["tasks"] if t["id"].startswith("II.")] == [f"II.{n}" for n in range(1, 10)]
    assert data["plan"]["issuers"] == ["bdvtu", "bcsd-ubnd"]


BINH_DINH = """\
| ỦY BAN NHÂN DÂN<br>**TỈNH BÌNH ĐỊNH** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |
|---|---|
| Số: 112/KH-UBND | *Bình Định, ngày 05 tháng 7 năm 2024* |

# KẾ HOẠCH
## Triển khai thực hiện Đề án chuyển đổi số năm 2024

## I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích
   + Nâng cao nhận thức về chuyển đổi số trong cơ quan nhà nước.
2. Yêu cầu
   + Bám sát chỉ đạo của Trung ương.

## II. NHIỆM VỤ VÀ GIẢI PHÁP

| TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian |
|---|---|---|---|---|
| 1 | Xây dựng kho dữ liệu dùng chung của tỉnh | Sở Thông tin và Truyền thông | Sở Nội vụ | Quý III/2024 |

## III. TỔ CHỨC THỰC HIỆN

Giao Sở Thông tin và Truyền thông chủ trì theo dõi, đôn đốc; định kỳ 6 tháng báo cáo UBND tỉnh.
"""


def test_a_section_written_as_plain_paragraphs_is_tasks_and_its_heading_stays_a_title(tmp_path):
    """Another office's habit: "## III. TỔ CHỨC THỰC HIỆN" then a plain paragraph. The heading
    is the section's whole title, the paragraph a task (its code the draft's, said so), "Giao Sở …
    chủ trì" led by that Sở (not a body named "Giao Sở …"), and no word lost."""
    source = tmp_path / "binh-dinh.md"
    source.write_text(BINH_DINH, encoding="utf-8")
    got = Made(source)
    assert next(s for s in got.data["sections"] if s["id"] == "III")["title"] == "TỔ CHỨC THỰC HIỆN"
    task = got.task("III.1")
    assert task["lead"] == ["so-thong-tin-va-truyen-thong"] and "support" not in task
    assert task["deadline"] == {"every": "half"}
    assert "mã III.1 do bản nháp đặt" in got.result.yaml
    assert words_missing(got.src, got.result.yaml) == []
    assert got.result.placed == got.result.total
