"""`kehoach import SOURCE -o PLAN.yaml`: a draft plan from a plan kept as plain
text, Markdown or Word (.docx).

The OCR text of the signed 2021 plan (tests/data/source-2021-ocr.txt, a
byte-for-byte copy of the source plans/2021.yaml was encoded from: no
diacritics, letters and digits garbled) must give a draft that loads, with the
4 objectives, the 9 coordination contents as tasks II.1 … II.9 and every
document number of the text as a reference. A .docx holding the same lines
gives the same draft. A small clean plan written here WITH diacritics pins the
exact values read: number, date, place, objectives, deadlines, lead and
support, references, recipients and signers.

The draft is never silently wrong: every guessed value carries a
`# kiểm tra:` comment, and each line that could not be placed stays as a
comment with its line number.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kehoach.cli.app import main
from kehoach.plan.loader import load_plan, load_text

ROOT = Path(__file__).resolve().parent.parent
OCR = Path(__file__).parent / "data" / "source-2021-ocr.txt"
PLAN_2021 = ROOT / "plans" / "2021.yaml"
CHECK = "# kiểm tra:"

# Every document number of the OCR source (read by hand, lines 13 … 282), as plans/2021.yaml
# spells it. "4.P KH/BDVTU-BCSBUBND" (line 8) is the plan's own number, not a reference.
OCR_NUMBERS = {
    "26-CTr/BDVTU-BCSĐUBND", "25-KL/TU", "120-KL/TW", "114-KL/TW", "16/CT-TTg", "436/QĐ-UBND",
    "737/QĐ-UBND", "644/QĐ-UBND", "416/QĐ-TTg", "37-CT/TW", "217-QĐ/TW", "218-QĐ/TW", "4054-QĐ/TU",
}
# the numbers the source gives without a date ("theo Quyết định số 217-QĐ/TW", …)
UNDATED = {"217-QĐ/TW", "218-QĐ/TW", "4054-QĐ/TU"}
# the OCR debris lines (signature stamp, stray marks) that belong nowhere in a plan
OCR_DEBRIS = {125, 186, 258, 302, 304, 306, 307, 309, 311, 313, 315}

# A small clean plan with diacritics; body names as the shipped plan's catalogue spells them.
CLEAN = """\
BAN DÂN VẬN TỈNH ỦY
Số 12-KH/BDVTU
ĐẢNG CỘNG SẢN VIỆT NAM
Quảng Ngãi, ngày 15 tháng 3 năm 2022

KẾ HOẠCH
Tuyên truyền Quy chế dân chủ ở cơ sở năm 2022

Thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về xây dựng và thực hiện Quy chế dân chủ ở cơ sở, \
Ban Dân vận Tỉnh ủy xây dựng Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân về Quy chế dân chủ ở cơ sở.
2. Việc tuyên truyền bảo đảm thiết thực, hiệu quả, đúng tiến độ.

II. NỘI DUNG
1. Tổ chức hội nghị quán triệt Kết luận số 120-KL/TW, hoàn thành trong tháng 6/2022.
2. Sở Nội vụ chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh hướng dẫn thực hiện \
Quyết định số 436/QĐ-UBND ngày 11/6/2019 của UBND tỉnh; thực hiện thường xuyên.
3. Tổng hợp tình hình và báo cáo hằng quý về Ban Dân vận Tỉnh ủy.

III. TỔ CHỨC THỰC HIỆN
1. Phòng Dân vận Chính quyền và Đoàn thể:
a) Theo dõi, đôn đốc thực hiện Kế hoạch này;
b) Định kỳ 6 tháng báo cáo kết quả.
2. Sở Nội vụ phối hợp với Sở Tài chính bố trí kinh phí, hoàn thành trong tháng 4/2022.

T/M BAN DÂN VẬN TỈNH ỦY
TRƯỞNG BAN
Võ Thanh An

Nơi nhận:
- Ban Thường vụ Tỉnh ủy,
- Sở Nội vụ,
- Lưu VT.
"""

# The same plan as Markdown: headings, bold and italics (the line numbers are the same).
CLEAN_MD = (CLEAN.replace("BAN DÂN VẬN TỈNH ỦY\nSố", "**BAN DÂN VẬN TỈNH ỦY**\nSố")
            .replace("Quảng Ngãi, ngày 15 tháng 3 năm 2022", "*Quảng Ngãi, ngày 15 tháng 3 năm 2022*")
            .replace("KẾ HOẠCH\n", "# KẾ HOẠCH\n")
            .replace("I. MỤC ĐÍCH", "## I. MỤC ĐÍCH").replace("II. NỘI DUNG", "## II. NỘI DUNG")
            .replace("III. TỔ CHỨC", "## III. TỔ CHỨC").replace("Nơi nhận:", "**Nơi nhận:**"))

# A body catalogue of other bodies, for --bodies (a plan file holds it).
OTHER_BODIES = """\
plan:
  id: danh-muc
  title: Danh mục cơ quan thử
  issuers: [bdv]
  period: {start: 2022-01-01, end: 2022-12-31}
bodies:
  - {id: bdv, name: Ban Dân vận Tỉnh ủy, kind: party}
  - {id: sgd, name: Sở Giáo dục và Đào tạo, short: SGDĐT, kind: state}
  - {id: mttq, name: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, kind: mass}
tasks:
  - {id: t, title: Việc, lead: [bdv], deadline: 2022-06}
"""


# ---------------------------------------------------------------- helpers


def run(capsys, *args):
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_quiet(*args):
    """`main(args)` outside a test's capsys (for the module-scoped drafts)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def read_yaml(text: str):
    return YAML(typ="safe", pure=True).load(text)


class Draft:
    def __init__(self, path: Path, message: str):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.data = read_yaml(self.text)
        self.message = message

    def task(self, ident: str) -> dict:
        return all_tasks(self.data)[ident]

    def ref(self, number: str) -> dict:
        return next(r for r in self.data["references"] if r["number"] == number)


def all_tasks(data) -> dict[str, dict]:
    out: dict[str, dict] = {}

    def walk(tasks):
        for t in tasks or []:
            out[t["id"]] = t
            walk(t.get("subtasks"))

    walk(data.get("tasks"))
    return out


def import_to(tmp_path, source: Path, *extra, name: str = "draft.yaml"):
    target = tmp_path / name
    code, out, err = run_quiet("import", source, "-o", target, "--lang", "vi", *extra)
    assert code == 0, err
    return Draft(target, err)


def comment_before(text: str, pattern: str) -> str | None:
    """The comment line right above the first line matching `pattern` (None if no comment)."""
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if re.search(pattern, line))
    above = lines[i - 1].strip() if i else ""
    return above if above.startswith("#") else None


def task_block(text: str, ident: str) -> str:
    """The YAML lines of one task (without its subtasks' own blocks past the next `- id:`)."""
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {re.escape(ident)}", line))
    end = next((k for k in range(start + 1, len(lines)) if re.match(r"\s*- id: ", lines[k])
                or re.match(r"^\S", lines[k])), len(lines))
    return "\n".join(lines[start:end])


# the guessed values: (top-level block, indent) -> keys that need a `# kiểm tra:` comment right above
GUESSED = {
    ("plan", 2): {"id", "number", "title", "issued", "issuers", "implements"},
    ("plan", 4): {"start"},
    ("references", 4): {"number"},
    ("tasks", 4): {"title", "lead", "support", "deadline"},
    ("tasks", 8): {"title", "lead", "support", "deadline"},
}


def uncommented(text: str) -> list[tuple[int, str]]:
    """Guessed values of a draft with no `# kiểm tra:` comment right above them (`place` is left
    to its own test)."""
    lines = text.splitlines()
    missing: list[tuple[int, str]] = []
    block = None
    for i, line in enumerate(lines):
        top = re.match(r"^([a-z_]+):", line)
        if top:
            block = top.group(1)
            if block == "recipients" and not lines[i - 1].startswith(CHECK):
                missing.append((i + 1, line))
            continue
        if block == "signers" and re.match(r"^\s*- body:", line):
            if not lines[i + 1].strip().startswith(CHECK):
                missing.append((i + 1, line))
            continue
        m = re.match(r"^( *)(?:- )?([a-z_]+):", line)
        if not m:
            continue
        keys = GUESSED.get((block, len(m.group(1))), set())
        if m.group(2) in keys and not lines[i - 1].strip().startswith(CHECK):
            missing.append((i + 1, line.strip()))
    return missing


def without_header(text: str) -> str:
    """The draft without its first comment block (the lines naming the source file)."""
    lines = text.splitlines()
    k = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    return "\n".join(lines[k:])


def placed_total(message: str) -> tuple[int, int]:
    m = re.search(r"xếp được (\d+)/(\d+) dòng", message)
    assert m, message
    return int(m.group(1)), int(m.group(2))


def unplaced(text: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"(?m)^# (\d+): (.*)$", text)}


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "lỗi nội bộ" not in err.lower() and "internal" not in err.lower(), err


def write_docx(path: Path, lines: list[str]) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def ocr(tmp_path_factory) -> Draft:
    return import_to(tmp_path_factory.mktemp("ocr"), OCR)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Draft:
    folder = tmp_path_factory.mktemp("clean")
    source = folder / "ke-hoach-12.txt"
    source.write_text(CLEAN, encoding="utf-8")
    return import_to(folder, source)


@pytest.fixture(scope="module")
def shipped():
    loaded = load_plan(PLAN_2021, workdays=False)
    assert loaded.plan is not None
    return loaded.plan


# ---------------------------------------------------------------- the OCR source


def test_fixture_is_the_ocr_source_the_plan_was_encoded_from():
    # a byte-for-byte copy of the shared OCR source (sha256 taken when it was copied)
    data = OCR.read_bytes()
    assert hashlib.sha256(data).hexdigest() == "1a7325686827bfbf8df2b5f8e805e8e1480921cbc53028b94ea6dc81cc2f07da"
    assert data.startswith(b"\nBAN DAN VAN TINH UY - \nBAN CAN SITdANG UBND TINH")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_ocr_draft_loads_without_errors_and_check_passes(ocr, capsys):
    loaded = load_text(ocr.text, "draft.yaml")
    assert loaded.plan is not None
    assert [d for d in loaded.diagnostics if d.severity == "error"] == []
    code, _, err = run(capsys, "check", ocr.path, "--lang", "vi")
    assert code == 0, err


def test_ocr_objectives_are_the_four_of_muc_dich_yeu_cau(ocr):
    objectives = ocr.data["objectives"]
    assert [o["id"] for o in objectives] == ["I.1", "I.2", "I.3", "I.4"]
    assert objectives[0]["text"].startswith("Tang cudng cong tac lanh dao, chi dao va trien khai thuc hien thang lai")
    assert "Ket luan so 25-KL/TU ngay 27/11/2020" in objectives[0]["text"]
    assert objectives[1]["text"].startswith("Kip thoi theo d5i") and objectives[1]["text"].endswith("2021 - 2026.")
    assert objectives[2]["text"].startswith("Tiep tuc nang cao chat lugng cong tac dan van chinh quyen")
    assert objectives[3]["text"].startswith("Qua trinh thuc hien Ke hoach phoi hgp")
    assert objectives[3]["text"].endswith("thiet thuc va hieu qua.")
    assert [s["id"] for s in ocr.data["sections"]] == ["I", "II", "III", "IV"]


def test_ocr_nine_coordination_contents_are_tasks_II_1_to_II_9(ocr):
    top = [t["id"] for t in ocr.data["tasks"]]
    assert [t for t in top if t.startswith("II.")] == [f"II.{n}" for n in range(1, 10)]
    # responsibilities (III) and arrangements (IV) follow as tasks too
    # the closing paragraph after IV.4 is a task of its own, IV.5, as plans/2021.yaml encodes it (issue 19)
    assert top == [f"II.{n}" for n in range(1, 10)] + ["III.1", "III.2", "IV.1", "IV.2", "IV.3", "IV.4", "IV.5"]
    starts = {
        "II.1": "Tiep tuc quan triet, trien khai thuc hien Ket luan so 120-KL/TW",
        "II.2": "Triln khai t6 chiic thuc hien co hieu qua chu de cong tac dan van nam 2021",
        "II.3": "Phdi hop trong viec theo doi, don doc, chi dao",
        "II.4": "Phdi hap trong viec theo ddi, nam chac tinh hinh",
        "II.5": "Bdi mdi va nang cao hidu qua edng tac cai each hanh chinh",
        "II.6": "Ddy manh viec t6 chuc tridn khai thuc hien",
        "II.7": "To chuc thuc hien tot co che giam sat, phan bien xa hoi",
        "II.8": "Tang cudng cong tac dao tao, tap huan",
        "II.9": "Phoi hop trong viec to chuc so ket 5 nam thuc hien Chi thi so 16/CT-TTg",
    }
    for ident, words in starts.items():
        assert ocr.task(ident)["description"].startswith(words), ident
    # the wrapped "16/CT-" + "TTg" is joined without a space
    assert "Chi thi so 16/CT-TTg ngay 16/5/2016" in ocr.task("II.1")["description"]
    # the unnumbered paragraphs of II.6 are its subtasks
    assert [s["id"] for s in ocr.task("II.6")["subtasks"]] == ["II.6.a", "II.6.b", "II.6.c"]
    assert ocr.task("II.6.c")["description"].startswith("Xay dung D6 an nang cao chat lugng")
    # the "-" bullets of III.1 are its subtasks
    assert [s["id"] for s in ocr.task("III.1")["subtasks"]] == ["III.1.a", "III.1.b", "III.1.c"]


def test_ocr_every_document_number_is_a_reference_with_its_date(ocr, shipped):
    refs = ocr.data["references"]
    numbers = [r["number"] for r in refs]
    assert len(numbers) == len(set(numbers)), "a document named twice must be one reference"
    assert set(numbers) == OCR_NUMBERS
    assert set(numbers) == {r.number for r in shipped.references}
    by_number = {r.number: r for r in shipped.references}
    for r in refs:
        if r["number"] in UNDATED:
            assert r["date"] is None, r
        else:
            assert r["date"] == by_number[r["number"]].date, r
        assert r["kind"] == by_number[r["number"]].kind, r
    # the plan's own number is not a reference; the first number of the preamble is what it implements
    assert not any("KH/" in n for n in numbers)
    ctr = ocr.ref("26-CTr/BDVTU-BCSĐUBND")
    assert ocr.data["plan"]["implements"] == [ctr["id"]] == ["ctr-26"]


def test_ocr_reference_ids_are_unique_and_tasks_point_at_them(ocr):
    ids = [r["id"] for r in ocr.data["references"]]
    assert len(ids) == len(set(ids))
    assert ocr.task("II.1")["references"] == [ocr.ref(n)["id"] for n in ("120-KL/TW", "114-KL/TW", "16/CT-TTg")]
    assert ocr.task("II.7")["references"] == [ocr.ref(n)["id"] for n in ("217-QĐ/TW", "218-QĐ/TW", "4054-QĐ/TU")]
    assert {ocr.ref(n)["id"] for n in ("436/QĐ-UBND", "737/QĐ-UBND", "644/QĐ-UBND", "416/QĐ-TTg", "37-CT/TW")} \
        <= set(ocr.task("II.6")["references"])


def test_ocr_task_links_a_document_spelt_another_way(ocr):
    assert "ctr-26" in ocr.task("II.9").get("references", [])
    assert "qd-436" in ocr.task("IV.3.e").get("references", [])


def test_ocr_header_number_date_issuers_and_period(ocr):
    plan = ocr.data["plan"]
    # "S6 4.P KH/BDVTU-BCSBUBND": a 4 and an unreadable character: not silently "4" (issue 19): the
    # unread digit written "…", the doubt in `uncertain`, the symbol's OCR "B" for "Đ" fixed, the line cited
    assert plan["number"] == "4…-KH/BDVTU-BCSĐUBND"
    assert f'{CHECK} đọc từ dòng 8: "S6 4.P KH/BDVTU-BCSBUBND"' in ocr.text
    assert comment_before(ocr.text, r"^  number:").startswith(f"{CHECK} số văn bản có ký tự không đọc được")
    assert plan["draft"] is True and "4.P" in plan["uncertain"]["number"]
    # "ngay±4_thdngOdfiam 2021" cannot be read for sure: left empty, with the line it came from
    assert plan["issued"] is None
    issued_note = comment_before(ocr.text, r"^  issued:")
    assert issued_note.startswith(f"{CHECK} ngày ban hành, từ dòng 7:") and "ngay±4_thdngOdfiam 2021" in issued_note
    assert plan["place"] == "Quảng Ngãi"
    assert plan["issuers"] == ["bdvtu", "bcsd-ubnd"]
    assert plan["title"] == "Phoi hop thuc hien cong tac dan van nam 2021"
    assert str(plan["period"]["start"]) == "2021-01-01" and str(plan["period"]["end"]) == "2021-12-31"


def test_ocr_deadlines_written_in_the_text(ocr):
    # "hang quy, 6 thang, mot nam va chuyen de": every cadence a subtask, as plans/2021.yaml (issue 19)
    assert [t["deadline"] for t in ocr.task("IV.2")["subtasks"]] == [
        {"every": "quarter"}, {"every": "half"}, {"every": "year"}, {"after": "Chuyen de"}]
    assert 'kỳ hạn đọc từ "hang quy"' in ocr.text
    assert ocr.task("IV.4.a")["deadline"] == {"every": "half"}  # "Bjnh ky 6 thang"
    assert '"Bjnh ky 6 thang"' in task_block(ocr.text, "IV.4.a")
    assert ocr.task("II.4")["deadline"] == {"continuous": True, "review": "quarter"}  # "Thudng xuydn"
    assert 'thời hạn đọc từ "Thudng xuydn"' in task_block(ocr.text, "II.4")
    assert ocr.task("IV.3.b")["deadline"] == {"after": "Ban Thuong vu Tinh uy phe duyet"}
    # a task whose text gives no deadline says so
    assert ocr.task("II.1")["deadline"] == {"continuous": True, "review": "quarter"}
    assert "văn bản không ghi thời hạn" in task_block(ocr.text, "II.1")


def test_ocr_bodies_are_matched_without_diacritics_or_case(ocr):
    assert ocr.task("III.1")["lead"] == ["bdvtu"]  # "Ban Dan van Tinh uy"
    assert ocr.task("III.2")["lead"] == ["bcsd-ubnd"]  # "Ban Can su’ dang UBND tinh"
    assert ocr.task("III.1.c")["support"] == ["ubnd-tinh"]  # "phoi hop vdi Uy ban nhan dan tinh"
    assert ocr.task("III.2.c")["support"] == ["bdvtu"]  # "phoi hop voi Ban Dan van Tinh uy"
    # "chỉ đạo Ủy ban nhân dân tỉnh phối hợp với …": the body directed works on it too (issue 19)
    assert ocr.task("IV.3")["lead"] == ["bcsd-ubnd"] and ocr.task("IV.3")["support"] == ["ubnd-tinh", "bdvtu"]
    assert "chủ trì: cơ quan đứng đầu câu (bcsd-ubnd)" in task_block(ocr.text, "IV.3")
    # no body named: the issuers lead, and the comment says so
    assert ocr.task("II.2")["lead"] == ["bdvtu", "bcsd-ubnd"]
    assert "chủ trì đoán là các cơ quan ban hành" in task_block(ocr.text, "II.2")
    # the bodies are declared with the catalogue's names (diacritics restored)
    bodies = {b["id"]: b for b in ocr.data["bodies"]}
    assert bodies["bcsd-ubnd"]["name"] == "Ban Cán sự đảng Ủy ban nhân dân tỉnh"
    assert bodies["bdvtu"]["name"] == "Ban Dân vận Tỉnh ủy"
    used = {b for t in all_tasks(ocr.data).values() for b in t.get("lead", []) + t.get("support", [])}
    assert used | set(ocr.data["plan"]["issuers"]) <= set(bodies)


def test_ocr_signers_match_the_catalogue_signers(ocr, shipped):
    got = [(s["body"], s.get("authority"), s["title"], s["name"]) for s in ocr.data["signers"]]
    assert got == [(s.body, s.authority, s.title, s.name) for s in shipped.signers]
    block = ocr.text[ocr.text.index("\nsigners:"):]
    # OCR gives no columns: the pairing is the catalogue's, and the comment says so (issue 19)
    assert block.count(f"{CHECK} người ký đọc từ khối chữ ký (dòng 299) không tách được cột") == 2


def test_ocr_signers_without_catalogue_signers_are_paired_by_order(tmp_path):
    # the shipped plan without its signers: the names "V6 Thanh An", "Vo Phien" go to the bodies in order
    text = PLAN_2021.read_text(encoding="utf-8")
    catalogue = tmp_path / "no-signers.yaml"
    catalogue.write_text(text[:text.index("\nsigners:")] + "\n", encoding="utf-8")
    # the OCR's header, objectives and end, the content between blanked (the line numbers stay): fast
    lines = OCR.read_text(encoding="utf-8").split("\n")
    source = tmp_path / "kh-04-2021-ocr-end.txt"
    source.write_text("\n".join("" if 50 <= n <= 298 else x for n, x in enumerate(lines, 1)), encoding="utf-8")
    draft = import_to(tmp_path, source, "--bodies", catalogue)
    got = [(s["body"], s["title"], s["name"]) for s in draft.data["signers"]]
    # one title ("TRU'ONG BAN") for two bodies cannot be placed: blanks
    assert got == [("bcsd-ubnd", "…", "V6 Thanh An"), ("bdvtu", "…", "Vo Phien")]
    block = draft.text[draft.text.index("\nsigners:"):]
    assert block.count(f"{CHECK} người ký đọc từ khối chữ ký (dòng 299), ghép với cơ quan theo thứ tự") == 2


def test_ocr_recipients(ocr):
    recipients = ocr.data["recipients"]
    assert len(recipients) == 17
    assert recipients[:3] == [{"name": "BCSD Chinh phu", "purpose": "bao cao"},
                              {"name": "Ban Dan van Trung irang", "purpose": "bao cao"}, "Ban Thuong vu Tinh uy"]
    assert "Van phong Tinh uy" in recipients  # "-Van phong Tinh uy," without a space
    assert "Phong Noi vu (To chuc - Noi vu) cac huyen, thi thanh pho" in recipients  # wrapped line joined
    assert recipients[-1] == "Luu VPTU, VPBCSD UBND tinh"
    assert comment_before(ocr.text, r"^recipients:") == f"{CHECK} nơi nhận, từ dòng 320"


def test_ocr_placed_lines_are_counted_and_the_rest_kept_with_line_numbers(ocr):
    source = OCR.read_text(encoding="utf-8").splitlines()
    placed, total = placed_total(ocr.message)
    # lines with no letter or digit are layout, not counted (issue 19)
    assert total == sum(1 for line in source if any(ch.isalnum() for ch in line))
    left = unplaced(ocr.text)
    # debris inside the body is kept as a comment at its place, in the task it falls in (issue 19)
    in_place = {n for n in OCR_DEBRIS if re.search(rf"^    # {n}: ", ocr.text, re.M)}
    assert in_place == {125, 186, 258}
    assert set(left) == OCR_DEBRIS - in_place
    for number, text in left.items():
        assert text == source[number - 1].strip(), number
    # placed: only the lines that became values; debris kept as comments is not placed
    assert placed == total - sum(1 for n in [*left, *in_place] if any(ch.isalnum() for ch in source[n - 1]))
    assert f"{len(left)} dòng chưa xếp được" in ocr.message
    assert "4 mục tiêu" in ocr.message and "13 văn bản" in ocr.message


def test_every_guessed_value_carries_a_check_comment(ocr, clean):
    assert uncommented(ocr.text) == []
    assert uncommented(clean.text) == []
    for draft in (ocr, clean):
        tasks = all_tasks(draft.data)
        assert draft.text.count(f"{CHECK} tên rút gọn") == len(tasks)
        assert draft.text.count("    deadline:") == draft.text.count("thời hạn đọc từ") \
            + draft.text.count("văn bản không ghi thời hạn") + draft.text.count("kỳ hạn đọc từ")


def test_place_carries_a_check_comment(ocr):
    note = comment_before(ocr.text, r"^  place:")
    assert note is not None and note.startswith(CHECK)


@pytest.mark.slow  # about a second
def test_docx_of_the_same_lines_gives_the_same_draft(ocr, tmp_path):
    lines = OCR.read_text(encoding="utf-8").splitlines()
    source = write_docx(tmp_path / "kh-04-2021-ocr.docx", lines)
    draft = import_to(tmp_path, source)
    assert draft.text != ocr.text  # the header names the source file
    assert "kh-04-2021-ocr.docx" in draft.text.split("\n\n", 1)[0]
    assert without_header(draft.text) == without_header(ocr.text)
    assert placed_total(draft.message) == placed_total(ocr.message)


# ---------------------------------------------------------------- a clean plan with diacritics


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_a_plan_typed_with_decomposed_accents_gives_the_same_draft(clean, tmp_path, suffix):
    """Unikey's "Unicode tổ hợp" writes each accent apart (NFD): the draft is the one of the same
    words composed (its number, issuer and tasks were lost, and every line warned not-nfc)."""
    import unicodedata

    lines = unicodedata.normalize("NFD", CLEAN).splitlines()
    assert lines != CLEAN.splitlines()
    if suffix == ".docx":
        source = write_docx(tmp_path / "ke-hoach-12.docx", lines)
        expected = import_to(tmp_path, write_docx(tmp_path / "nfc.docx", CLEAN.splitlines()), name="nfc.yaml")
    else:
        source = tmp_path / "ke-hoach-12.txt"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        expected = clean
    draft = import_to(tmp_path, source)
    assert without_header(draft.text) == without_header(expected.text)
    assert unicodedata.is_normalized("NFC", draft.text)


def test_a_body_named_exactly_is_not_taken_for_a_longer_name_it_resembles(tmp_path):
    """"Ủy ban nhân dân tỉnh Quảng Ngãi" reads 89 % like "Ủy ban nhân dân thành phố Quảng Ngãi":
    the province's committee is named exactly, and it was the city's that led the task."""
    source = tmp_path / "kh.txt"
    source.write_text(CLEAN.replace(
        "2. Sở Nội vụ chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "2. Ủy ban nhân dân tỉnh Quảng Ngãi chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        encoding="utf-8")
    draft = import_to(tmp_path, source)
    task = next(t for t in draft.data["tasks"] if t["id"] == "II.2")
    assert task["lead"] == ["ubnd-tinh"] and "ubnd-tp-quang-ngai" not in draft.text


@pytest.mark.parametrize("opening", ["Giao", "Đề nghị", "Yêu cầu"])
def test_a_task_handed_to_a_body_is_led_by_it(tmp_path, opening):
    """"Giao Sở Nội vụ theo dõi, đôn đốc …" hands the task to Sở Nội vụ: it leads it (it was made
    a supporter, and the issuer the lead)."""
    source = tmp_path / "kh.txt"
    source.write_text(CLEAN.replace(
        "3. Tổng hợp tình hình và báo cáo hằng quý về Ban Dân vận Tỉnh ủy.",
        f"3. {opening} Sở Nội vụ theo dõi, đôn đốc việc thực hiện Kế hoạch, báo cáo hằng quý về Ban Dân vận "
        "Tỉnh ủy."), encoding="utf-8")
    draft = import_to(tmp_path, source)
    task = next(t for t in draft.data["tasks"] if t["id"] == "II.3")
    assert task["lead"] == ["so-noi-vu"] and "so-noi-vu" not in task.get("support", [])


@pytest.mark.parametrize("words, deadline", [
    ("trước ngày 15 tháng 8 năm 2022", "2022-08-15"),  # the day was dropped: 16 days later
    ("Quý 3/2022", "2022-Q3"),
    ("tháng 10-11/2022", "2022-10..2022-11"),
    ("cuối năm 2022", "'2022'"),
    ("Thời gian hoàn thành: 30/9/2022", "2022-09-30"),  # a bare date after the label
])
def test_deadlines_written_as_offices_write_them(tmp_path, words, deadline):
    source = tmp_path / "kh.txt"
    source.write_text(CLEAN.replace("3. Tổng hợp tình hình và báo cáo hằng quý về Ban Dân vận Tỉnh ủy.",
                                    f"3. Sở Nội vụ tổng hợp tình hình về Ban Dân vận Tỉnh ủy. {words}."),
                      encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert re.search(rf"\n    deadline: {re.escape(deadline)}\n", draft.text), draft.text


def test_a_deadline_the_reader_cannot_read_is_said_so_not_called_missing(tmp_path):
    """"Thời gian hoàn thành: Giai đoạn 2021-2025" is a deadline the reader cannot make one of: the
    comment quotes it (it said the text gave no deadline)."""
    source = tmp_path / "kh.txt"
    source.write_text(CLEAN.replace("3. Tổng hợp tình hình và báo cáo hằng quý về Ban Dân vận Tỉnh ủy.",
                                    "3. Sở Nội vụ tổng hợp tình hình. Thời gian hoàn thành: Giai đoạn 2021-2025."),
                      encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert 'văn bản ghi thời hạn "Giai đoạn 2021-2025", chưa đọc được' in draft.text
    assert "không ghi thời hạn" not in comment_before(draft.text, r"^    deadline: \{continuous")


def test_a_bold_heading_over_its_paragraph_names_the_task_its_paragraph_says_who_does_it(tmp_path):
    """"3. Cải cách tổ chức bộ máy" typed bold over "Sở Nội vụ chủ trì, …": one task named by the
    heading and led by Sở Nội vụ (the heading was glued to the paragraph: a made-up body "Cải cách
    tổ chức bộ máy Sở Nội vụ" led it)."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in CLEAN.replace("3. Tổng hợp tình hình và báo cáo hằng quý về Ban Dân vận Tỉnh ủy.",
                              "3. Cải cách tổ chức bộ máy\nSở Nội vụ chủ trì, phối hợp với Sở Tài chính tham mưu "
                              "sắp xếp tổ chức bộ máy, hoàn thành trong tháng 9/2022.").splitlines():
        paragraph = document.add_paragraph()
        paragraph.add_run(line).bold = line == "3. Cải cách tổ chức bộ máy"
    source = tmp_path / "kh.docx"
    document.save(str(source))
    draft = import_to(tmp_path, source)
    task = next(t for t in draft.data["tasks"] if t["id"] == "II.3")
    assert task["title"] == "Cải cách tổ chức bộ máy"
    assert (task["lead"], task["support"], str(task["deadline"])) == (["so-noi-vu"], ["so-tai-chinh"], "2022-09")
    assert "cai-cach" not in draft.text


def test_a_joint_plan_s_type_line_is_its_type_not_a_part_of_its_issuer(tmp_path):
    """"# KẾ HOẠCH LIÊN TỊCH" (a Markdown heading): the type of the document; it was glued to the
    issuer's name (a made-up body "… TỈNH KẾ HOẠCH LIÊN TỊCH") and the title was not read."""
    source = tmp_path / "kh.md"
    source.write_text(CLEAN.replace("KẾ HOẠCH\n", "# KẾ HOẠCH LIÊN TỊCH\n\n## ", 1), encoding="utf-8")
    draft = import_to(tmp_path, source)
    plan = draft.data["plan"]
    assert (plan["type"], plan["issuers"]) == ("Kế hoạch liên tịch", ["bdvtu"])
    assert plan["title"] == "Tuyên truyền Quy chế dân chủ ở cơ sở năm 2022"


def test_tracked_changes_left_in_a_word_file_are_pointed_out(tmp_path, capsys):
    """A Word file with tracked changes nobody accepted: the draft reads it as if they were, and
    says so (it was silent: the draft could follow another author's unaccepted edit)."""
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for line in CLEAN.splitlines():
        paragraph = document.add_paragraph(line)
        if line.startswith("3. Tổng hợp"):
            inserted = OxmlElement("w:ins")
            inserted.set(qn("w:id"), "1")
            inserted.set(qn("w:author"), "Người khác")
            added = OxmlElement("w:r")
            words = OxmlElement("w:t")
            words.text = " Hoàn thành trước ngày 30/9/2022."
            added.append(words)
            inserted.append(added)
            paragraph._p.append(inserted)
    source = tmp_path / "kh.docx"
    document.save(str(source))
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 0 and "1 chỗ sửa đổi được theo dõi" in err, err


def test_a_table_headed_on_two_rows_and_a_row_that_goes_on_merged(tmp_path):
    """"Thời gian" over "Bắt đầu | Hoàn thành": the deadline is the end's (it was the start's, and the
    second header row became a task with made-up bodies); a row with the cells above merged down
    and its text a dash ("- Niêm yết …") goes on the task above (it was a task "3b")."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in CLEAN.split("II. NỘI DUNG")[0].splitlines() + ["II. NỘI DUNG"]:
        document.add_paragraph(line)
    table = document.add_table(rows=5, cols=6)
    for j, v in enumerate(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "", "Sản phẩm"]):
        table.cell(0, j).text = v
    for j in (0, 1, 2, 5):
        table.cell(0, j).merge(table.cell(1, j))
    table.cell(0, 3).merge(table.cell(0, 4))
    table.cell(0, 3).text = "Thời gian"
    table.cell(1, 3).text, table.cell(1, 4).text = "Bắt đầu", "Hoàn thành"
    rows = [("1", "Rà soát thủ tục hành chính;", "Sở Nội vụ", "Tháng 4/2022", "trước ngày 30/6/2022", "Quyết định"),
            ("", "- Niêm yết công khai thủ tục hành chính.", "", "", "", ""),
            ("2", "Tổ chức hội nghị tập huấn", "Sở Tài chính", "Tháng 5/2022", "Quý III/2022", "Hội nghị")]
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values):
            if v:
                table.cell(i, j).text = v
    for j in (0, 2, 3, 4, 5):  # the second row's other cells merged with the first's
        top = table.cell(2, j)
        words = top.text
        merged = top.merge(table.cell(3, j))
        merged.paragraphs[0].text = words
        for extra in merged.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
    for line in CLEAN.split("III. TỔ CHỨC THỰC HIỆN")[1:2]:
        document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
        for x in line.splitlines():
            document.add_paragraph(x)
    source = tmp_path / "kh.docx"
    document.save(str(source))
    draft = import_to(tmp_path, source)
    tasks = {t["id"]: t for t in draft.data["tasks"]}
    found = {i: (t.get("lead"), str(t.get("deadline"))) for i, t in tasks.items() if i.startswith("II.")}
    assert found == {"II.1": (["so-noi-vu"], "2022-06-30"), "II.2": (["so-tai-chinh"], "2022-Q3")}, found
    assert "Niêm yết công khai" in tasks["II.1"]["description"]
    assert "co-quan-chu-tri" not in draft.text


def test_rows_that_only_look_alike_are_tasks_of_their_own(tmp_path):
    """Sub-items typed one to a row with the same lead and deadline typed again ("- Rà soát …",
    "- Niêm yết …"): each its own task (only cells merged down join a row to the one above)."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in CLEAN.split("II. NỘI DUNG")[0].splitlines() + ["II. NỘI DUNG"]:
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=4)
    for j, v in enumerate(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]):
        table.cell(0, j).text = v
    for i, words in enumerate(["- Rà soát thủ tục hành chính", "- Niêm yết công khai thủ tục",
                               "- Số hóa hồ sơ thủ tục"], start=1):
        table.cell(i, 1).text, table.cell(i, 2).text, table.cell(i, 3).text = words, "Sở Nội vụ", "Quý II/2022"
    source = tmp_path / "kh.docx"
    document.save(str(source))
    draft = import_to(tmp_path, source)
    led = [t for t in draft.data["tasks"] if t.get("lead") == ["so-noi-vu"]]
    assert len(led) == 3 and all(str(t["deadline"]) == "2022-Q2" for t in led), draft.text


def test_a_deadline_cell_of_two_dates_is_their_window():
    """"01/7/2022 - 30/9/2022" ends on 30 September (its first date made the task due on 1 July)."""
    from kehoach.base.deadlines import guess_deadlines

    assert guess_deadlines("01/7/2022 - 30/9/2022", alone=True) == [("2022-07-01..2022-09-30",
                                                                      "01/7/2022 - 30/9/2022")]
    assert guess_deadlines("30/9/2022", alone=True) == [("2022-09-30", "30/9/2022")]
    assert guess_deadlines("Quyết định số 12 ngày 01/7/2022", alone=False) == []  # in prose: a document's date


def test_a_day_the_work_is_done_on_is_that_day_not_its_month():
    """"hoàn thành ngày 15 tháng 6 năm 2022" was read as June (due 30 June, two weeks late); work
    "đã hoàn thành" on a day is done, not due then (the deadline is the one after it)."""
    from kehoach.base.deadlines import guess_deadlines

    assert guess_deadlines("Tổ chức hội nghị, hoàn thành ngày 15 tháng 6 năm 2022.") == [
        ("2022-06-15", "hoàn thành ngày 15 tháng 6 năm 2022")]
    assert guess_deadlines("Tổ chức tập huấn, hoàn thành ngày 20/11/2022.") == [
        ("2022-11-20", "hoàn thành ngày 20/11/2022")]
    assert guess_deadlines("Tổng kết Đề án đã hoàn thành ngày 15/6/2021; báo cáo trong tháng 8/2022.") == [
        ("2022-08", "tháng 8/2022")]


def test_a_type_line_that_holds_the_title_gives_both(tmp_path):
    source = tmp_path / "kh.txt"
    source.write_text(CLEAN.replace("KẾ HOẠCH\nTuyên truyền Quy chế dân chủ ở cơ sở năm 2022\n",
                                    "KẾ HOẠCH TUYÊN TRUYỀN QUY CHẾ DÂN CHỦ Ở CƠ SỞ NĂM 2022\n", 1), encoding="utf-8")
    plan = import_to(tmp_path, source).data["plan"]
    assert (plan["type"], plan["title"]) == ("Kế hoạch", "TUYÊN TRUYỀN QUY CHẾ DÂN CHỦ Ở CƠ SỞ NĂM 2022")


def test_clean_plan_header(clean):
    plan = clean.data["plan"]
    assert plan["id"] == "ke-hoach-2022"
    assert plan["number"] == "12-KH/BDVTU"
    assert comment_before(clean.text, r"^  number:") == f'{CHECK} đọc từ dòng 2: "Số 12-KH/BDVTU"'
    assert str(plan["issued"]) == "2022-03-15"
    assert comment_before(clean.text, r"^  issued:").startswith(f"{CHECK} ngày ban hành, từ dòng 4:")
    assert plan["type"] == "Kế hoạch"
    assert plan["title"] == "Tuyên truyền Quy chế dân chủ ở cơ sở năm 2022"
    assert plan["issuers"] == ["bdvtu"]
    assert str(plan["period"]["start"]) == "2022-01-01" and str(plan["period"]["end"]) == "2022-12-31"
    assert plan["implements"] == ["kl-120"]


def test_clean_plan_place(clean):
    assert clean.data["plan"]["place"] == "Quảng Ngãi"


def test_clean_plan_objectives(clean):
    assert clean.data["objectives"] == [
        {"id": "I.1", "text": "Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân về Quy chế dân chủ ở cơ sở."},
        {"id": "I.2", "text": "Việc tuyên truyền bảo đảm thiết thực, hiệu quả, đúng tiến độ."},
    ]


def test_clean_plan_tasks_deadlines_lead_and_support(clean):
    tasks = all_tasks(clean.data)
    assert list(tasks) == ["II.1", "II.2", "II.3", "III.1", "III.1.a", "III.1.b", "III.2"]
    assert tasks["II.1"]["deadline"] == "2022-06"
    assert 'thời hạn đọc từ "tháng 6/2022"' in task_block(clean.text, "II.1")
    assert tasks["II.2"]["deadline"] == {"continuous": True, "review": "quarter"}
    assert 'thời hạn đọc từ "thường xuyên"' in task_block(clean.text, "II.2")
    assert tasks["II.3"]["deadline"] == {"every": "quarter"}
    assert 'thời hạn đọc từ "hằng quý"' in task_block(clean.text, "II.3")
    assert tasks["III.1.b"]["deadline"] == {"every": "half"}
    assert tasks["III.2"]["deadline"] == "2022-04"
    # lead: the body the sentence opens with; support: those after "phối hợp với"
    assert tasks["II.2"]["lead"] == ["so-noi-vu"] and tasks["II.2"]["support"] == ["mttq-tinh"]
    assert "chủ trì: cơ quan đứng đầu câu (so-noi-vu)" in task_block(clean.text, "II.2")
    assert 'phối hợp: các cơ quan sau "phối hợp với"' in task_block(clean.text, "II.2")
    assert tasks["III.2"]["lead"] == ["so-noi-vu"] and tasks["III.2"]["support"] == ["so-tai-chinh"]
    assert tasks["III.1"]["lead"] == ["phong-dvcq-dt"]
    assert "lead" not in tasks["III.1.a"]  # a subtask inherits its parent's lead
    assert tasks["II.1"]["lead"] == ["bdvtu"]  # no body named: the issuers, with a comment
    assert "chủ trì đoán là các cơ quan ban hành" in task_block(clean.text, "II.1")
    assert tasks["II.2"]["references"] == ["qd-436"]
    assert tasks["II.1"]["references"] == ["kl-120"]
    bodies = {b["id"]: b["name"] for b in clean.data["bodies"]}
    assert bodies["so-noi-vu"] == "Sở Nội vụ"
    assert bodies["mttq-tinh"] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"


def test_clean_plan_references(clean):
    refs = {r["number"]: r for r in clean.data["references"]}
    assert set(refs) == {"120-KL/TW", "436/QĐ-UBND"}
    assert str(refs["120-KL/TW"]["date"]) == "2016-01-07" and refs["120-KL/TW"]["kind"] == "Kết luận"
    assert refs["120-KL/TW"]["issuer"] == "Bộ Chính trị"
    assert str(refs["436/QĐ-UBND"]["date"]) == "2019-06-11" and refs["436/QĐ-UBND"]["kind"] == "Quyết định"


def test_clean_plan_recipients_and_signer(clean):
    assert clean.data["recipients"] == ["Ban Thường vụ Tỉnh ủy", "Sở Nội vụ", "Lưu VT"]
    assert comment_before(clean.text, r"^recipients:").startswith(f"{CHECK} nơi nhận, từ dòng")
    [signer] = clean.data["signers"]
    assert (signer["body"], signer["title"], signer["name"]) == ("bdvtu", "TRƯỞNG BAN", "Võ Thanh An")
    assert f"{CHECK} người ký đọc từ khối chữ ký" in clean.text[clean.text.index("\nsigners:"):]
    placed, total = placed_total(clean.message)
    assert (placed, total) == (total, sum(1 for line in CLEAN.splitlines() if line.strip()))
    assert unplaced(clean.text) == {}


def test_clean_plan_loads_and_check_passes(clean, capsys):
    loaded = load_text(clean.text, "ke-hoach-12.yaml")
    assert loaded.plan is not None
    assert [d for d in loaded.diagnostics if d.severity == "error"] == []
    assert run(capsys, "check", clean.path, "--lang", "vi")[0] == 0


def test_markdown_is_read_like_the_text(clean, tmp_path):
    source = tmp_path / "ke-hoach-12.md"
    source.write_text(CLEAN_MD, encoding="utf-8")
    assert "## II. NỘI DUNG" in CLEAN_MD and "**Nơi nhận:**" in CLEAN_MD
    draft = import_to(tmp_path, source)
    assert without_header(draft.text) == without_header(clean.text)


def test_english_comments_mark_the_same_guesses(clean, tmp_path):
    source = tmp_path / "ke-hoach-12.txt"
    source.write_text(CLEAN, encoding="utf-8")
    target = tmp_path / "en.yaml"
    code, _, err = run_quiet("import", source, "-o", target, "--lang", "en")
    assert code == 0, err
    english = target.read_text(encoding="utf-8")
    data = read_yaml(english)
    # the values are the document's words, whatever the language of the comments
    assert [r["issuer"] for r in data["references"]] == ["Bộ Chính trị", "UBND tỉnh"]
    assert data == read_yaml(clean.text)
    assert english.count("# check:") == clean.text.count(CHECK) > 20
    assert "kiểm tra" not in english


def test_markdown_star_bullets_are_subtasks(tmp_path):
    text = CLEAN.replace(
        "2. Sở Nội vụ phối hợp với Sở Tài chính bố trí kinh phí, hoàn thành trong tháng 4/2022.",
        "2. Sở Nội vụ chủ trì các việc sau:\n"
        "* Hướng dẫn các sở, ngành, hoàn thành trong tháng 6/2022;\n"
        "* Tổng hợp, báo cáo kết quả hằng quý.")
    source = tmp_path / "plan.md"
    source.write_text(text, encoding="utf-8")
    tasks = all_tasks(import_to(tmp_path, source).data)
    assert [k for k in tasks if k.startswith("III.2.")] == ["III.2.a", "III.2.b"]
    assert tasks["III.2.a"]["deadline"] == "2022-06"
    assert tasks["III.2.b"]["deadline"] == {"every": "quarter"}


def test_issuer_named_twice_in_one_line_is_listed_once(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("BAN DÂN VẬN TỈNH ỦY\nSố", "BAN DÂN VẬN TỈNH ỦY (BDVTU)\nSố"), encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert draft.data["plan"]["issuers"] == ["bdvtu"]
    assert draft.task("II.1")["lead"] == ["bdvtu"]


@pytest.mark.parametrize("phrase, deadline, words", [
    ("hoàn thành trước ngày 30/6/2022", "2022-06-30", "trước ngày 30/6/2022"),
    ("thực hiện trong quý II/2022", "2022-Q2", "quý II/2022"),
    ("hoàn thành trong năm 2022", "2022", "trong năm 2022"),
])
def test_other_written_deadlines(tmp_path, phrase, deadline, words):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("hoàn thành trong tháng 6/2022", phrase), encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert str(draft.task("II.1")["deadline"]) == deadline
    assert f'thời hạn đọc từ "{words}"' in task_block(draft.text, "II.1")
    loaded = load_text(draft.text, "plan.yaml")
    assert loaded.plan is not None and [d for d in loaded.diagnostics if d.severity == "error"] == []


def test_month_deadline_written_in_words(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("hoàn thành trong tháng 6/2022", "hoàn thành trong tháng 6 năm 2022"),
                      encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert "văn bản không ghi thời hạn" not in task_block(draft.text, "II.1")
    assert str(draft.task("II.1")["deadline"]) == "2022-06"


def test_reference_date_written_in_words(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("ngày 11/6/2019", "ngày 11 tháng 6 năm 2019"), encoding="utf-8")
    assert str(import_to(tmp_path, source).ref("436/QĐ-UBND")["date"]) == "2019-06-11"


def test_decree_number_with_a_year_is_a_reference(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("của UBND tỉnh; thực hiện thường xuyên",
                                    "của UBND tỉnh và Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ; "
                                    "thực hiện thường xuyên"), encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert "04/2015/NĐ-CP" in [r["number"] for r in draft.data["references"]]
    assert str(draft.ref("04/2015/NĐ-CP")["date"]) == "2015-01-09"


# ---------------------------------------------------------------- signers of a clean plan


def test_signer_without_a_name_is_paired_by_order_with_blanks(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("Võ Thanh An\n", ""), encoding="utf-8")
    draft = import_to(tmp_path, source)
    [signer] = draft.data["signers"]
    assert signer == {"body": "bdvtu", "authority": "T/M BAN DÂN VẬN TỈNH ỦY", "title": "TRƯỞNG BAN", "name": "…"}
    line = CLEAN.splitlines().index("T/M BAN DÂN VẬN TỈNH ỦY") + 1
    assert f"{CHECK} người ký đọc từ khối chữ ký (dòng {line}), ghép với cơ quan theo thứ tự" \
        in draft.text[draft.text.index("\nsigners:"):]
    assert load_text(draft.text, "plan.yaml").plan is not None


def test_unknown_signer_with_diacritics_is_read(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("Võ Thanh An", "Nguyễn Văn Bình"), encoding="utf-8")
    draft = import_to(tmp_path, source)
    [signer] = draft.data["signers"]
    assert signer["name"] == "Nguyễn Văn Bình"
    assert unplaced(draft.text) == {}


def test_known_signer_keeps_the_authority_the_document_reads(clean):
    assert clean.data["signers"][0]["authority"] == "T/M BAN DÂN VẬN TỈNH ỦY"


def test_recipients_before_the_signature_block(tmp_path):
    signature = "T/M BAN DÂN VẬN TỈNH ỦY\nTRƯỞNG BAN\nVõ Thanh An\n\n"
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace(signature, "") + signature, encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert draft.data["recipients"] == ["Ban Thường vụ Tỉnh ủy", "Sở Nội vụ", "Lưu VT"]
    assert [s["name"] for s in draft.data.get("signers", [])] == ["Võ Thanh An"]


def test_docx_header_and_end_in_tables(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()

    def two_cells(left: list[str], right: list[str]):
        cells = document.add_table(rows=1, cols=2).rows[0].cells
        for cell, lines in zip(cells, (left, right), strict=True):
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)

    two_cells(["BAN DÂN VẬN TỈNH ỦY", "*", "Số 12-KH/BDVTU"],
              ["ĐẢNG CỘNG SẢN VIỆT NAM", "Quảng Ngãi, ngày 15 tháng 3 năm 2022"])
    body = CLEAN[CLEAN.index("KẾ HOẠCH"):CLEAN.index("T/M BAN")]
    for line in body.splitlines():
        document.add_paragraph(line)
    two_cells(["Nơi nhận:", "- Sở Nội vụ,", "- Lưu VT."], ["T/M BAN DÂN VẬN TỈNH ỦY", "TRƯỞNG BAN", "Võ Thanh An"])
    source = tmp_path / "plan.docx"
    document.save(str(source))
    draft = import_to(tmp_path, source)
    plan = draft.data["plan"]
    assert (plan.get("number"), str(plan.get("issued")), plan["issuers"]) == ("12-KH/BDVTU", "2022-03-15", ["bdvtu"])
    assert draft.data.get("recipients") == ["Sở Nội vụ", "Lưu VT"]
    assert [s["name"] for s in draft.data.get("signers", [])] == ["Võ Thanh An"]


# ---------------------------------------------------------------- --bodies


def test_bodies_option_changes_the_matching(tmp_path):
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(OTHER_BODIES, encoding="utf-8")
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("2. Sở Nội vụ chủ trì", "2. Sở Giáo dục và Đào tạo chủ trì"), encoding="utf-8")
    other = import_to(tmp_path, source, "--bodies", catalogue, name="other.yaml")
    assert other.data["plan"]["issuers"] == ["bdv"]
    assert other.task("II.2")["lead"] == ["sgd"] and other.task("II.2")["support"] == ["mttq"]
    assert other.task("II.1")["lead"] == ["bdv"]
    # "1. Phòng Dân vận Chính quyền và Đoàn thể:" heads its part in "Tổ chức thực hiện": it leads it,
    # a body that catalogue does not know
    assert {b["id"] for b in other.data["bodies"]} == {"bdv", "sgd", "mttq",
                                                       "phong-dan-van-chinh-quyen-va-doan-the"}
    assert other.task("III.1")["lead"] == ["phong-dan-van-chinh-quyen-va-doan-the"]
    # no signers in that catalogue: the signer is paired by order
    assert other.data["signers"][0]["body"] == "bdv" and other.data["signers"][0]["name"] == "Võ Thanh An"
    assert "ghép với cơ quan theo thứ tự" in other.text[other.text.index("\nsigners:"):]
    assert load_text(other.text, "other.yaml").plan is not None
    # the shipped catalogue does not know "Sở Giáo dục và Đào tạo"
    default = import_to(tmp_path, source, name="default.yaml")
    assert default.task("II.2")["lead"] != ["sgd"]
    assert default.task("II.2")["support"] == ["mttq-tinh"]
    assert comment_before(task_block(default.text, "II.2"), r"^\s*lead:").startswith(CHECK)
    assert "sgd" not in {b["id"] for b in default.data["bodies"]}
    assert default.task("III.1")["lead"] == ["phong-dvcq-dt"]  # the shipped catalogue knows it


def test_bodies_option_missing_file(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN, encoding="utf-8")
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--bodies", tmp_path / "nothere.yaml",
                       "--lang", "vi")
    assert code in (1, 2)
    assert "nothere.yaml" in err
    no_traceback(err)
    assert not (tmp_path / "out.yaml").exists()


# ---------------------------------------------------------------- errors


def test_missing_source(tmp_path, capsys):
    code, _, err = run(capsys, "import", tmp_path / "nothere.txt", "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 2
    assert "nothere.txt" in err and "không tìm thấy" in err
    no_traceback(err)
    assert not (tmp_path / "out.yaml").exists()


def test_missing_source_hint_fits_import(tmp_path, capsys):
    _, _, err = run(capsys, "import", tmp_path / "nothere.txt", "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert "--plan" not in err


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a zip at all" + bytes(range(256)), b""],
                         ids=["damaged", "empty"])
def test_damaged_docx_cannot_be_read(tmp_path, capsys, content):
    source = tmp_path / "plan.docx"
    source.write_bytes(content)
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 2
    assert "không đọc được" in err and "plan.docx" in err
    no_traceback(err)
    assert not (tmp_path / "out.yaml").exists()


def test_truncated_docx_cannot_be_read(tmp_path, capsys):
    whole = write_docx(tmp_path / "whole.docx", CLEAN.splitlines())
    source = tmp_path / "cut.docx"
    source.write_bytes(whole.read_bytes()[:600])
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 2 and "không đọc được" in err and "cut.docx" in err
    no_traceback(err)


@pytest.mark.parametrize("name, content", [
    ("garbage.bin", bytes(range(256)) * 4),
    ("zip-named.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)) * 2),
], ids=["binary", "zip-as-txt"])
def test_binary_source_cannot_be_read(tmp_path, capsys, name, content):
    source = tmp_path / name
    source.write_bytes(content)
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code in (1, 2)
    assert "không đọc được" in err and name in err
    assert "YAML" not in err
    no_traceback(err)
    assert not (tmp_path / "out.yaml").exists()


def test_binary_source_is_refused_without_a_draft(tmp_path, capsys):
    # whatever the message, a binary source never leaves a draft behind and never a traceback
    source = tmp_path / "garbage.bin"
    source.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code in (1, 2) and "garbage.bin" in err
    no_traceback(err)
    assert not (tmp_path / "out.yaml").exists()


def _odt(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def _xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Kế hoạch"
    wb.save(path)
    return path


@pytest.mark.parametrize("make, says", [
    (lambda p: (p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), p)[1], "lưu lại dạng .docx"),
    (_odt, "OpenDocument (.odt)"),
    (_xlsx, "bảng tính Excel"),
], ids=["doc-or-password", "odt", "xlsx-renamed"])
def test_a_file_of_another_kind_is_refused_saying_what_to_do(tmp_path, capsys, make, says):
    """A .doc (or a Word file with a password), an .odt, an .xlsx named .docx: each refused with
    what to do with it (all three were 'not a text' or 'not a valid Word file')."""
    source = make(tmp_path / "ke-hoach.docx")
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 2 and says in err, err
    no_traceback(err)
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("content", ["", "Báo cáo tình hình tháng 3.\nMọi việc đều tốt.\n"], ids=["empty", "prose"])
def test_text_without_plan_structure_is_written_as_an_invalid_draft(tmp_path, capsys, content):
    # issue 19: never refused whole: the draft is written, every line kept, its problems listed, exit 4
    source = tmp_path / "note.txt"
    source.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 4
    assert "còn" in err and "lỗi" in err
    no_traceback(err)
    written = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    for line in content.splitlines():
        assert line in written


def test_utf16_text_is_read_or_refused_clearly(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_bytes(CLEAN.encode("utf-16"))
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    no_traceback(err)
    if code == 0:
        assert read_yaml((tmp_path / "out.yaml").read_text(encoding="utf-8"))["plan"]["number"] == "12-KH/BDVTU"
    else:
        assert "không đọc được" in err and "YAML" not in err


def test_control_character_in_an_unplaced_line(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN.replace("II. NỘI DUNG", "\x1b[0m ~~ \x07\nII. NỘI DUNG"), encoding="utf-8")
    code, _, err = run(capsys, "import", source, "-o", tmp_path / "out.yaml", "--lang", "vi")
    assert code == 0, err


def test_existing_output_is_refused_unless_force(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN, encoding="utf-8")
    target = tmp_path / "out.yaml"
    target.write_text("giữ nguyên\n", encoding="utf-8")
    code, _, err = run(capsys, "import", source, "-o", target, "--lang", "vi")
    assert code == 2 and "out.yaml" in err and "--force" in err
    no_traceback(err)
    assert target.read_text(encoding="utf-8") == "giữ nguyên\n"
    code, _, err = run(capsys, "import", source, "-o", target, "--force", "--lang", "vi")
    assert code == 0, err
    assert read_yaml(target.read_text(encoding="utf-8"))["plan"]["number"] == "12-KH/BDVTU"


def test_output_equal_to_the_source_is_refused(tmp_path, capsys, monkeypatch):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    for target in (source, tmp_path / "sub" / ".." / "plan.txt"):
        code, _, err = run(capsys, "import", source, "-o", target, "--force", "--lang", "vi")
        assert code == 2 and "plan.txt" in err, err
        no_traceback(err)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "import", "plan.txt", "-o", "./plan.txt", "--force", "--lang", "vi")
    assert code == 2
    # without -o the draft goes next to the source as .yaml: a source that is a .yaml is refused
    yaml_source = tmp_path / "ke-hoach.yaml"
    yaml_source.write_text(CLEAN, encoding="utf-8")
    code, _, err = run(capsys, "import", yaml_source, "--force", "--lang", "vi")
    assert code == 2 and "ke-hoach.yaml" in err
    assert source.read_text(encoding="utf-8") == CLEAN == yaml_source.read_text(encoding="utf-8")


def test_default_output_is_next_to_the_source(tmp_path, capsys):
    source = tmp_path / "ke-hoach-12.txt"
    source.write_text(CLEAN, encoding="utf-8")
    code, _, err = run(capsys, "import", source, "--lang", "vi")
    assert code == 0, err
    assert "ke-hoach-12.yaml" in err and "xếp được" in err
    assert read_yaml((tmp_path / "ke-hoach-12.yaml").read_text(encoding="utf-8"))["plan"]["number"] == "12-KH/BDVTU"


def test_output_dash_prints_the_draft(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(CLEAN, encoding="utf-8")
    code, out, err = run(capsys, "import", source, "-o", "-", "--lang", "vi")
    assert code == 0, err
    assert not (tmp_path / "plan.yaml").exists()
    assert read_yaml(out)["plan"]["number"] == "12-KH/BDVTU"


def test_a_district_plan_declares_every_body_its_bodies_name(tmp_path):
    """A table of assignments naming "UBND huyện" brings the catalogue's districts (the group's
    members), and each district names its parent, the province's UBND: that parent is declared
    too, so the draft has no undefined body (13 errors before)."""
    source = tmp_path / "kh-huyen.md"
    source.write_text(
        "BAN DÂN VẬN HUYỆN ỦY SƠN TỊNH\n\nSố 12-KH/BDVHU, ngày 15 tháng 01 năm 2022\n\nKẾ HOẠCH\n"
        "Phối hợp thực hiện công tác dân vận năm 2022\n\nI. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Nâng cao hiệu quả công tác dân vận chính quyền.\n\nII. NỘI DUNG PHỐI HỢP\n\n"
        "| TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n|---|---|---|---|---|\n"
        "| 1 | Quán triệt Kết luận 120-KL/TW | Ban Dân vận Huyện ủy | UBND huyện | Quý I/2022 |\n"
        "| 2 | Tổ chức đối thoại với Nhân dân | UBND huyện | Ban Dân vận Huyện ủy, MTTQ huyện "
        "| Trước ngày 30/6/2022 |\n", encoding="utf-8")
    target = tmp_path / "draft.yaml"
    code, _, err = run_quiet("import", source, "-o", target, "--lang", "vi")
    assert code == 0, err
    loaded = load_plan(target)
    assert not [d for d in loaded.diagnostics if d.severity == "error"], loaded.diagnostics
    bodies = load_text(target.read_text(encoding="utf-8"), "d.yaml").document.data["bodies"]
    assert {b["parent"] for b in bodies if b.get("parent")} <= {b["id"] for b in bodies}


def test_a_capitals_heading_does_not_swallow_the_sentence_under_it(tmp_path):
    """"III. TỔ CHỨC THỰC HIỆN" then "Giao Sở Nội vụ theo dõi … trước ngày 15/12/2022.": the
    sentence was read as the heading's wrapped end (the section titled with both, the sentence
    also left unplaced); it is the section's task, its lead and deadline read."""
    source = tmp_path / "kh.md"
    source.write_text("KẾ HOẠCH\n\nTriển khai công tác cải cách hành chính năm 2022\n\nII. NHIỆM VỤ CỤ THỂ\n\n"
                      "1. Rà soát thủ tục hành chính. Giao Sở Nội vụ chủ trì, hoàn thành trong quý II/2022.\n\n"
                      "III. TỔ CHỨC THỰC HIỆN\n\n"
                      "Giao Sở Nội vụ theo dõi, đôn đốc, báo cáo UBND tỉnh trước ngày 15/12/2022.\n\n"
                      "Nơi nhận:\n- UBND tỉnh;\n- Lưu: VT.\n", encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert [s["title"] for s in draft.data["sections"]] == ["NHIỆM VỤ CỤ THỂ", "TỔ CHỨC THỰC HIỆN"]
    task = draft.task("III.1")
    assert task["lead"] == ["so-noi-vu"] and str(task["deadline"]) == "2022-12-15"
    assert placed_total(draft.message)[0] == placed_total(draft.message)[1]


UBND_HUYEN = """ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH

KẾ HOẠCH

Cải cách hành chính giai đoạn 2022 - 2023

II. NHIỆM VỤ TRỌNG TÂM

1. Cải cách thể chế: Rà soát văn bản quy phạm pháp luật do HĐND, UBND huyện ban hành.
- Cơ quan chủ trì: Phòng Tư pháp; cơ quan phối hợp: Văn phòng HĐND và UBND huyện, Phòng Nội vụ; \
thời gian thực hiện: Quý II/2022.
2. Niêm yết công khai thủ tục hành chính.
Chủ trì: Văn phòng HĐND và UBND huyện; phối hợp: Phòng Nội vụ; thời gian hoàn thành: tháng 6/2022.
3. Xây dựng chính quyền số.
- Cơ quan chủ trì: Phòng Văn hóa và Thông tin; thời gian thực hiện: năm 2022.
4. Rà soát vị trí việc làm.
- **Chủ trì:** Phòng Nội vụ; **phối hợp:** Phòng Tư pháp; *thời gian:* năm 2022 - 2023.
"""


def test_a_line_of_several_labels_gives_each_its_place(tmp_path):
    """"- Cơ quan chủ trì: Phòng Tư pháp; cơ quan phối hợp: …; thời gian thực hiện: Quý II/2022."
    (how a district writes each task) gave a lead named "Phòng Tư pháp, cơ quan phối hợp: …", no
    support, and "no deadline written"; "Chủ trì: …" run on in the task's paragraph made the task's
    own title a body, its lead; "năm 2022" under "thời gian" was not read, nor the plan's two
    years in its title."""
    source = tmp_path / "kh.md"
    source.write_text(UBND_HUYEN, encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    first = draft.task("II.1")
    assert [names[b] for b in first["lead"]] == ["Phòng Tư pháp"]
    assert [names[b] for b in first["support"]] == ["Văn phòng HĐND và UBND huyện", "Phòng Nội vụ"]
    assert str(first["deadline"]) == "2022-Q2"
    second = draft.task("II.2")
    assert second["description"] == "Niêm yết công khai thủ tục hành chính."
    assert [names[b] for b in second["lead"]] == ["Văn phòng HĐND và UBND huyện"]
    assert [names[b] for b in second["support"]] == ["Phòng Nội vụ"] and str(second["deadline"]) == "2022-06"
    assert str(draft.task("II.3")["deadline"]) == "2022"
    fourth = draft.task("II.4")
    assert [names[b] for b in fourth["lead"]] == ["Phòng Nội vụ"] and str(fourth["deadline"]) == "2022..2023"
    assert not any("cơ quan phối hợp" in n or "thời gian" in n.lower() for n in names.values())
    assert str(draft.data["plan"]["period"]["end"]) == "2023-12-31"
    # the line quoted whole once; the other labels of the line by their own words
    block = task_block(draft.text, "II.1")
    assert block.count("thời gian thực hiện: Quý II/2022") == 1


def test_a_table_under_a_heading_item_is_that_item_and_cells_of_bodies_split(tmp_path):
    """"4. Bảng phân công" over a table in a section of numbered items: its rows were II.1, II.2 …
    a second time (the draft invalid, exit 4) and "4. Bảng phân công" a task of its own; a cell of
    two bodies on two lines was one body."""
    source = tmp_path / "kh.md"
    source.write_text(
        "KẾ HOẠCH\n\nTháng Thanh niên năm 2022\n\n## II. NỘI DUNG\n\n### 1. Lễ ra quân\n\n"
        "Tổ chức Lễ ra quân cấp tỉnh, trong tháng 3/2022.\n\n### 2. Bảng phân công\n\n"
        "| STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian |\n|---|---|---|---|---|\n"
        "| 1 | Hiến máu tình nguyện | Hội Sinh viên tỉnh | Hội Chữ thập đỏ tỉnh<br>Bệnh viện Đa khoa tỉnh"
        " | 13/3/2022 |\n"
        "| 2 | Tập huấn kỹ năng số | Ban Tuyên giáo Tỉnh đoàn | Sở Thông tin và Truyền thông | Quý I/2022 |\n",
        encoding="utf-8")
    code, _, err = run_quiet("import", source, "-o", tmp_path / "d.yaml", "--lang", "vi")
    assert code == 0, err
    draft = Draft(tmp_path / "d.yaml", err)
    assert set(all_tasks(draft.data)) == {"II.1", "II.2", "II.2.1", "II.2.2"}
    assert draft.task("II.2")["title"] == "Bảng phân công"
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    assert [names[b] for b in draft.task("II.2.1")["support"]] == ["Hội Chữ thập đỏ tỉnh", "Bệnh viện Đa khoa tỉnh"]


@pytest.mark.parametrize("words", ["", "UBND HUYỆN SƠN TỊNH\nSố: 99/UBND-VP\nV/v đôn đốc báo cáo\n\n"
                                        "UBND huyện đề nghị các cơ quan gửi báo cáo trước ngày 20/6/2022./.\n"])
def test_a_file_with_no_task_says_so_in_words(tmp_path, words):
    """An empty file, a letter: the draft is written (issue 19: never refused whole), exit 4, and
    the reason was "'sections' không được để trống", the draft's key; it says no task was found
    and what import reads."""
    source = tmp_path / "cv.txt"
    source.write_text(words, encoding="utf-8")
    code, _, err = run_quiet("import", source, "-o", tmp_path / "d.yaml", "--lang", "vi")
    assert code == 4 and (tmp_path / "d.yaml").exists()
    assert "không tìm thấy nhiệm vụ nào" in err and "sections" not in err
    no_traceback(err)


def test_a_soft_hyphen_in_a_word_leaves_the_word_whole(tmp_path):
    """Word's optional hyphen typed inside a word ("chuy\\u00adển đổi số") became a space: the
    title read "Triển khai chuy ển đổi số"."""
    source = write_docx(tmp_path / "kh.docx", ["KẾ HOẠCH", "Triển khai chuy\u00adển đổi số năm 2022",
                                               "II. NHIỆM VỤ", "1. Số\u00ad hóa hồ sơ, trước ngày 30/6/2022."])
    draft = import_to(tmp_path, source)
    assert "chuyển đổi số" in draft.data["plan"]["title"] and "chuy ển" not in draft.text
    assert draft.task("II.1")["title"].startswith("Số hóa hồ sơ")


JOINT = """BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM TỈNH -
SỞ TƯ PHÁP TỈNH QUẢNG NGÃI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/KHPH-MTTQ-STP
Quảng Ngãi, ngày 25 tháng 4 năm 2022

KẾ HOẠCH PHỐI HỢP
Tuyên truyền, phổ biến pháp luật năm 2022

II. NỘI DUNG PHỐI HỢP
1. Tuyên truyền Luật Thực hiện dân chủ ở cơ sở. Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh chủ trì, phối hợp \\
với Sở Tư pháp tổ chức thực hiện; hoàn thành trước ngày 30/6/2022.
2. Sở Tư pháp chủ trì tổ chức Hội thi "Hòa giải viên giỏi" trong tháng 9/2022.
3. Kiểm tra hoạt động hòa giải ở cơ sở. Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh chủ trì; Sở Tư pháp, \\
UBND các huyện, thị xã, thành phố phối hợp. Thời gian: Quý III năm 2022.
"""


def test_a_joint_plan_names_each_issuer_once_and_reads_who_leads_further_on(tmp_path):
    """A joint plan of the Front's standing committee and a Sở: the header's "SỞ TƯ PHÁP TỈNH
    QUẢNG NGÃI" and the text's "Sở Tư pháp" were two bodies ("Sở tư pháp tỉnh Quảng Ngãi" and
    "Sở Tư pháp"); "… Ban Thường trực … chủ trì, phối hợp với Sở Tư pháp" in a task's second
    sentence gave it both issuers as leads, "văn bản không ghi riêng"; "Sở Tư pháp, UBND các
    huyện … phối hợp" gave no support."""
    source = tmp_path / "kh.txt"
    source.write_text(JOINT.replace("\\\n", ""), encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b for b in draft.data["bodies"]}
    sotp = [i for i, b in names.items() if b["name"].startswith("Sở Tư pháp")]
    assert len(sotp) == 1 and names[sotp[0]]["name"] == "Sở Tư pháp tỉnh Quảng Ngãi"
    assert names[sotp[0]].get("short") == "Sở Tư pháp"
    front = next(i for i, b in names.items() if b["name"] == "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh")
    assert names[front]["kind"] == "mass"
    assert draft.task("II.1")["lead"] == [front] and draft.task("II.1")["support"] == sotp
    assert draft.task("II.2")["lead"] == sotp
    third = draft.task("II.3")
    assert third["lead"] == [front] and sotp[0] in third["support"] and len(third["support"]) == 2


def test_an_issuers_short_name_is_its_own_or_none():
    """"ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT" over a text naming "Ủy ban Mặt trận Tổ quốc" got the
    short name "Ủy ban", and its reports said "Ủy ban chưa báo cáo"; a symbol font's space
    (U+F020) ran words together."""
    from kehoach.life.importer.draft import _spelt_as_written
    from kehoach.life.importer.lines import printable

    assert _spelt_as_written("ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT", "Đề nghị Ủy ban Mặt trận Tổ quốc phối hợp") == \
        ("Ủy ban nhân dân thành phố Đà Lạt", None)
    assert _spelt_as_written("ỦY BAN NHÂN DÂN TỈNH KON TUM", "Ủy ban nhân dân tỉnh giao")[1] is None
    assert _spelt_as_written("SỞ TƯ PHÁP TỈNH QUẢNG NGÃI", "Sở Tư pháp chủ trì") == \
        ("Sở Tư pháp tỉnh Quảng Ngãi", "Sở Tư pháp")
    assert printable("Sở\uf020Nội\uf020vụ") == "Sở Nội vụ"


def test_labels_on_lines_of_one_paragraph_are_each_read(tmp_path):
    """"Chủ trì: Phòng Văn hóa và Thông tin" over "Thời gian: năm 2022", one Markdown paragraph: the
    lead became a body "Phòng Văn hóa và Thông tin Thời gian: năm 2022" (the review of the diff)."""
    source = tmp_path / "kh.md"
    source.write_text("KẾ HOẠCH\n\nThử năm 2022\n\n## II. NHIỆM VỤ\n\n1. Xây dựng chính quyền số.\n\n"
                      "Chủ trì: Phòng Văn hóa và Thông tin\nThời gian: năm 2022\n", encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    task = draft.task("II.1")
    assert [names[b] for b in task["lead"]] == ["Phòng Văn hóa và Thông tin"] and str(task["deadline"]) == "2022"


LETTERED_LABELS = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
Số: 91/KH-UBND
Quảng Ngãi, ngày 18 tháng 02 năm 2022
KẾ HOẠCH
Chuyển đổi số năm 2022
I. MỤC ĐÍCH
1. Nâng cao hiệu quả chỉ đạo, điều hành.
II. NHIỆM VỤ
1. Phát triển chính quyền số
a) Hoàn thiện Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh.
- Cơ quan chủ trì: Sở Nội vụ.
- Cơ quan phối hợp: Sở Tài chính.
- Thời gian hoàn thành: Quý III/2022.
b) Triển khai hệ thống thông tin báo cáo:
+ Rà soát chế độ báo cáo (Sở Nội vụ chủ trì; tháng 6/2022);
+ Tập huấn sử dụng hệ thống (Sở Tài chính chủ trì; Quý II/2022).
"""


def test_labelled_lines_and_parts_under_a_lettered_part_are_its_own(tmp_path):
    """Under "a)", "- Cơ quan chủ trì: Sở Nội vụ.", "- Cơ quan phối hợp: …" and "- Thời gian hoàn
    thành: Quý III/2022." vanished (no lead, no support, a continuous deadline), and so did the
    "+" parts under "b)", while the summary said every line was placed. Now they are a's lead,
    support and deadline, and b's own subtasks, each with its body and date."""
    source = tmp_path / "kh.txt"
    source.write_text(LETTERED_LABELS, encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    a = draft.task("II.1.a")
    assert [names[b] for b in a["lead"]] == ["Sở Nội vụ"] and [names[b] for b in a["support"]] == ["Sở Tài chính"]
    assert str(a["deadline"]) == "2022-Q3"
    first, second = draft.task("II.1.b.1"), draft.task("II.1.b.2")
    assert first["title"] == "Rà soát chế độ báo cáo" and str(first["deadline"]) == "2022-06"
    assert [names[b] for b in first["lead"]] == ["Sở Nội vụ"]
    assert second["title"] == "Tập huấn sử dụng hệ thống" and str(second["deadline"]) == "2022-Q2"
    assert [names[b] for b in second["lead"]] == ["Sở Tài chính"]
    assert "deadline" not in draft.task("II.1.b")  # its parts hold the dates
    assert load_text(draft.text, str(draft.path)).ok


def test_every_body_listed_after_phoi_hop_voi_supports(tmp_path):
    """"… chủ trì, phối hợp với Sở Nội vụ, Sở Tài chính, Ủy ban MTTQ tỉnh tổ chức …" kept Sở Nội vụ
    alone as support; "Sở Nội vụ và Sở Tài chính" too."""
    source = tmp_path / "kh.txt"
    source.write_text(LETTERED_LABELS.split("II. NHIỆM VỤ")[0] + "II. NHIỆM VỤ\n"
                      "1. Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ, Sở Tài chính, Ủy ban Mặt trận Tổ "
                      "quốc Việt Nam tỉnh tổ chức hội nghị; hoàn thành tháng 6/2022.\n"
                      "2. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và Ban Dân vận Tỉnh ủy tổ chức tập huấn; "
                      "hoàn thành tháng 8/2022.\n", encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    first, second = draft.task("II.1"), draft.task("II.2")
    assert [names[b] for b in first["support"]] == ["Sở Nội vụ", "Sở Tài chính",
                                                    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]
    assert [names[b] for b in second["lead"]] == ["Sở Nội vụ"]
    assert [names[b] for b in second["support"]] == ["Sở Tài chính", "Ban Dân vận Tỉnh ủy"]


def test_the_plans_year_is_not_the_date_of_a_document_its_title_cites(tmp_path):
    """"Kế hoạch thực hiện Nghị quyết số 27-NQ/TW, ngày 09/11/2022 …", issued on 10/02/2023: the
    plan was read as 2022's, so its 2023 deadlines became "no deadline" and `status` in 2023 said
    the date was outside the plan. A year the title gives the plan ("năm 2022") still counts."""
    head = ("HUYỆN ỦY TUY PHƯỚC\nSố 45-KH/HU\nTuy Phước, ngày 10 tháng 02 năm 2023\nKẾ HOẠCH\n"
            "thực hiện Nghị quyết số 27-NQ/TW, ngày 09/11/2022 của Ban Chấp hành Trung ương Đảng khóa XIII\n")
    body = ("I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao nhận thức.\nII. NHIỆM VỤ\n"
            "1. Ban Tuyên giáo Huyện ủy chủ trì tổ chức quán triệt Nghị quyết; hoàn thành trong quý I/2023.\n")
    source = tmp_path / "kh.txt"
    source.write_text(head + body, encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert str(draft.data["plan"]["period"]["start"]) == "2023-01-01"
    assert str(draft.task("II.1")["deadline"]) == "2023-Q1"
    source.write_text(head.replace("khóa XIII\n", "khóa XIII năm 2022\n") + body.replace("2023", "2022"),
                      encoding="utf-8")
    assert str(import_to(tmp_path, source, "--force").data["plan"]["period"]["start"]) == "2022-01-01"


@pytest.mark.parametrize("letterhead, name, header", [
    ("UBND TỈNH QUẢNG NGÃI\nSỞ TƯ PHÁP", "Sở Tư pháp", ["UBND TỈNH QUẢNG NGÃI", "SỞ TƯ PHÁP"]),
    ("ĐẢNG BỘ TỈNH BÌNH ĐỊNH\nHUYỆN ỦY TUY PHƯỚC", "Huyện ủy Tuy Phước",
     ["ĐẢNG BỘ TỈNH BÌNH ĐỊNH", "HUYỆN ỦY TUY PHƯỚC"]),
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
     "Sở Lao động - Thương binh và Xã hội", ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]),
    ("TỈNH ỦY QUẢNG NGÃI\nBAN TUYÊN GIÁO", "Ban Tuyên giáo Tỉnh ủy Quảng Ngãi",
     ["TỈNH ỦY QUẢNG NGÃI", "BAN TUYÊN GIÁO"]),
    ("ỦY BAN NHÂN DÂN\nTỈNH KON TUM", "Ủy ban nhân dân tỉnh Kon Tum", None),  # one name on two lines
])
def test_the_issuer_printed_under_its_superior_is_the_issuer(tmp_path, letterhead, name, header):
    """"UBND TỈNH QUẢNG NGÃI" over "SỞ TƯ PHÁP" (NĐ 30's superior over the issuing body) became one
    body "Ubnd tỉnh Quảng Ngãi Sở Tư Pháp", the issuer and lead of every task. Now the body below
    issues it, named as NĐ 30 writes a body's name, and the letterhead is kept as printed."""
    source = tmp_path / "kh.txt"
    source.write_text(letterhead + "\nSố: 12/KH-STP\nQuảng Ngãi, ngày 20 tháng 01 năm 2023\nKẾ HOẠCH\n"
                      "Công tác năm 2023\nI. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm hiệu quả.\nII. NHIỆM VỤ\n"
                      "1. Tổ chức hội nghị triển khai; hoàn thành trong quý I/2023.\n", encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    [issuer] = draft.data["plan"]["issuers"]
    assert names[issuer] == name
    assert draft.data["plan"].get("header") == header
    assert draft.task("II.1")["lead"] == [issuer]
    assert load_text(draft.text, str(draft.path)).ok


ONE_PARAGRAPH_A_LINE = """ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH
Số: 35/KH-UBND
Bình Định, ngày 05 tháng 3 năm 2022
KẾ HOẠCH
Chuyển đổi số tỉnh Bình Định năm 2022
I. MỤC TIÊU
1. Phấn đấu 100% văn bản giữa các cơ quan nhà nước được gửi, nhận dưới dạng điện tử.
2. Phấn đấu 80% hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình.
II. NHIỆM VỤ
{task}
III. KINH PHÍ
Kinh phí thực hiện từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn huy động hợp pháp khác.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
- Là cơ quan thường trực, hướng dẫn, theo dõi, đôn đốc các cơ quan, đơn vị triển khai Kế hoạch.
- Tổng hợp, báo cáo UBND tỉnh kết quả thực hiện định kỳ 6 tháng và năm.
2. Sở Tài chính
Tham mưu UBND tỉnh bố trí kinh phí thực hiện Kế hoạch theo quy định.
3. Các sở, ban, ngành; UBND các huyện, thị xã, thành phố
{everyone}
"""


ONE_PARAGRAPH_A_LINE = ONE_PARAGRAPH_A_LINE.format(
    task="1. Công an tỉnh chủ trì, phối hợp với Sở Thông tin và Truyền thông tổ chức diễn tập ứng cứu sự cố an "
         "toàn thông tin mạng; thời gian: Quý IV/2022.",
    everyone="Căn cứ Kế hoạch này, xây dựng kế hoạch chuyển đổi số năm 2022 của cơ quan, địa phương, gửi Sở Thông "
             "tin và Truyền thông trước ngày 15/4/2022 để tổng hợp.")


def test_a_plan_typed_one_paragraph_a_line_reads_each_bodys_part(tmp_path):
    """A plan saved from Word as text (one paragraph a line, of any width): "2. Sở Tài chính" was
    glued to the line under it (title "Sở Tài chính Tham mưu …", led by the issuer); each body that
    heads its part in "Tổ chức thực hiện" now leads it, the work named from its own words. "I. MỤC
    TIÊU" gives the objectives (it gave a task), and "III. KINH PHÍ" is kept as a note, not a task."""
    source = tmp_path / "kh.txt"
    source.write_text(ONE_PARAGRAPH_A_LINE, encoding="utf-8")
    draft = import_to(tmp_path, source)
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    assert [o["id"] for o in draft.data["objectives"]] == ["I.1", "I.2"]
    assert not any(t.startswith(("I.", "III.")) for t in all_tasks(draft.data))
    assert "# 12: Kinh phí thực hiện từ nguồn ngân sách nhà nước" in draft.text
    finance = draft.task("IV.2")
    assert finance["title"] == "Tham mưu UBND tỉnh bố trí kinh phí thực hiện Kế hoạch theo quy định"
    assert [names[b] for b in finance["lead"]] == ["Sở Tài chính"]
    assert [names[b] for b in draft.task("IV.1")["lead"]] == ["Sở Thông tin và Truyền thông"]
    assert "lead" not in draft.task("IV.1.a")  # its heading's body leads its parts
    everyone = draft.task("IV.3")
    assert everyone["title"].startswith("Căn cứ Kế hoạch này") and str(everyone["deadline"]) == "2022-04-15"
    assert [names[b] for b in everyone["lead"]] == ["Các sở, ban, ngành tỉnh", "UBND các huyện, thị xã, thành phố"]
    assert load_text(draft.text, str(draft.path)).ok


IMPORTS = Path(__file__).resolve().parent / "data" / "import"


def test_a_scan_of_two_line_paragraphs_is_read_as_wrapped_lines(tmp_path):
    """A scan whose paragraphs are two lines varies in width (the second lines are short) but runs
    on: it is no text of one paragraph a line. Each task keeps its whole sentence and its deadline
    (a draft split them at each line's end: title "… theo kế", the rest a paragraph of its own)."""
    draft = import_to(tmp_path, IMPORTS / "two-line-paragraphs.txt")
    assert [t for t in all_tasks(draft.data) if t.startswith("II.")] == [f"II.{n}" for n in range(1, 8)]
    assert draft.task("II.2")["description"].endswith("theo kế hoạch được duyệt, hoàn thành trước 30/9/2022.")
    assert str(draft.task("II.1")["deadline"]) == "2022-Q2" and str(draft.task("II.6")["deadline"]) == "2022-Q3"
    assert draft.task("II.7")["description"].endswith("có sự tham gia của các cơ quan liên quan.")


def test_headings_that_are_work_are_not_taken_for_bodies(tmp_path):
    """"1. Phòng, chống tấn công mạng …", "2. Sở hữu trí tuệ …" over their work: not bodies named
    "Phòng, chống …" leading it (a draft made them so); only in "Tổ chức thực hiện" does a heading
    name a body that leads its part. A section "KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN" holds tasks."""
    draft = import_to(tmp_path, IMPORTS / "kinh-phi-va-to-chuc.txt")
    names = {b["id"]: b["name"] for b in draft.data["bodies"]}
    assert not any(n.startswith(("Phòng, chống", "Sở hữu")) for n in names.values()), names
    issuer = draft.data["plan"]["issuers"]
    assert draft.task("II.1")["lead"] == issuer and draft.task("II.2")["lead"] == issuer
    assert draft.task("II.1")["title"] == "Phòng, chống tấn công mạng vào hệ thống thông tin của tỉnh"
    assert [names[b] for b in draft.task("III.2")["lead"]] == ["Sở Tài chính"]


def test_a_last_task_that_speaks_of_a_process_is_no_closing_paragraph(tmp_path):
    """"Báo cáo kết quả, quá trình triển khai … trước ngày 15/11/2022" under the last body's heading
    is that body's work, due then: not the plan's closing words (a draft made it so)."""
    draft = import_to(tmp_path, IMPORTS / "bao-cao-qua-trinh.txt")
    last = draft.task("IV.3")
    assert last["title"].startswith("Báo cáo kết quả, quá trình triển khai") and str(last["deadline"]) == "2022-11-15"
    assert "IV.4" not in all_tasks(draft.data)


def test_two_issuers_on_two_lines_stay_two(tmp_path):
    """"BAN DÂN VẬN TỈNH ỦY" over "BAN CÁN SỰ ĐẢNG UBND TỈNH" (no " - "): two bodies issuing
    together, not a superior over its body."""
    source = tmp_path / "kh.txt"
    source.write_text("BAN DÂN VẬN TỈNH ỦY\nBAN CÁN SỰ ĐẢNG UBND TỈNH\nSố: 49-KH/BDVTU-BCSĐUBND\n"
                      "Quảng Ngãi, ngày 14 tháng 01 năm 2021\nKẾ HOẠCH\nPhối hợp thực hiện công tác dân vận năm 2021\n"
                      "I. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm hiệu quả.\nII. NỘI DUNG\n"
                      "1. Tổ chức hội nghị triển khai; hoàn thành trong quý I/2021.\n", encoding="utf-8")
    draft = import_to(tmp_path, source)
    assert draft.data["plan"]["issuers"] == ["bdvtu", "bcsd-ubnd"] and "header" not in draft.data["plan"]


def test_a_support_list_ends_with_its_sentence(tmp_path):
    """"… phối hợp với Sở Tài chính. UBND các huyện triển khai …": the districts do their own part,
    they are not listed as supporting the lead."""
    source = tmp_path / "kh.txt"
    source.write_text(LETTERED_LABELS.split("II. NHIỆM VỤ")[0] + "II. NHIỆM VỤ\n1. Sở Nội vụ chủ trì, rà soát "
                      "biên chế, phối hợp với Sở Tài chính. UBND các huyện triển khai tại địa phương; hoàn thành "
                      "tháng 6/2022.\n", encoding="utf-8")
    assert import_to(tmp_path, source).task("II.1")["support"] == ["so-tai-chinh"]


@pytest.mark.parametrize("capitals, name", [
    ("SỞ KH&CN", "Sở KH&CN"), ("HỘI LHPN TỈNH", "Hội LHPN tỉnh"), ("TRƯỜNG THPT SỐ 1", "Trường THPT số 1"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
    ("BAN QUẢN LÝ KKT DUNG QUẤT", "Ban Quản lý KKT Dung Quất"), ("ỦY BAN NHÂN DÂN QUẬN 1", "Ủy ban nhân dân quận 1"),
    ("ĐẢNG ỦY KHỐI CƠ QUAN", "Đảng ủy khối cơ quan"),
])
def test_a_name_in_capitals_keeps_its_abbreviations_and_fields(capitals, name):
    from kehoach.life.importer.draft import _name_case

    assert _name_case(capitals) == name


def test_a_title_of_a_text_opening_with_a_bracket_is_not_empty():
    from kehoach.life.importer.draft import short_title

    assert short_title("(Sở Nội vụ chủ trì; tháng 6/2022) Rà soát chế độ báo cáo") != ""
