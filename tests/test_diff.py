"""`kehoach diff OLD NEW`: what an amendment changed, task by task, as a user reads it.

Every version compared is the shipped plan (plans/2021.yaml), or the shipped
plan without its contents II.1-II.8, with a few known lines edited, so each
test names the exact task id and the words an official sees.
The git tests build a small repository in tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kehoach.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
SHIPPED = PLAN.read_text(encoding="utf-8")
# Most tests compare edits of the shipped plan without its contents II.1-II.8 (a third of the file, never
# edited here): each diff loads two plans, and this keeps the file fast. The renames, the amendment, the
# unchanged plan and the git tests use the whole shipped plan.
PLAN_TEXT = SHIPPED[:SHIPPED.index("  - id: II.1\n")] + SHIPPED[SHIPPED.index("  - id: II.9\n"):]
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed: the revision tests run git")


# ---------------------------------------------------------------- helpers


def edit(text: str, *pairs: tuple[str, str]) -> str:
    """`text` with each `old` (found exactly once) replaced by `new`."""
    for old, new in pairs:
        assert text.count(old) == 1, f"expected exactly one {old!r} in the plan"
        text = text.replace(old, new)
    return text


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """A working folder (the current directory), messages in the default language."""
    monkeypatch.delenv("KEHOACH_LANG", raising=False)
    monkeypatch.delenv("KEHOACH_DEBUG", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def diff(here, capsys):
    """`diff(new_text, *options, old=PLAN_TEXT) -> (code, out, err)`: `kehoach diff old.yaml new.yaml`."""

    def _diff(new_text: str, *options: str, old: str | None = None):
        old = PLAN_TEXT if old is None else old
        write(here / "old.yaml", old)
        write(here / "new.yaml", new_text)
        return run(capsys, "diff", "old.yaml", "new.yaml", *options)

    return _diff


def assert_user_error(code: int, err: str) -> None:
    """A message the user can act on: exit 1 or 2, never a traceback or an internal error."""
    assert code in (1, 2), (code, err)
    assert err.startswith("kehoach: "), err
    assert "Traceback" not in err and "lỗi nội bộ" not in err and "internal error" not in err, err


def moved(field: str, old: str, new: str) -> re.Pattern[str]:
    """A deadline line: its field name, the old deadline with its resolved due dates `old`, an arrow, the new
    one with `new` ('thời hạn: <2021-06 as worded> (30/6/2021) → <2021-09 as worded> (30/9/2021)')."""
    return re.compile(rf"{re.escape(field)}: (.+ )?\({re.escape(old)}\) → .+ \({re.escape(new)}\)")


def has_line(lines: list[str], pattern: re.Pattern[str], prefix: str = "    ") -> bool:
    return any(x.startswith(prefix) and pattern.fullmatch(x[len(prefix):]) for x in lines)


# A body changed in lead or support may be named by its id, its short name or its name: `by_id` reads all
# three as the id, so that a test says which body, not how it is spelled.
BODY_NAMES = {
    "bcsd-ubnd": ("Ban Cán sự đảng Ủy ban nhân dân tỉnh", "BCSĐ UBND tỉnh"),
    "so-noi-vu": ("Sở Nội vụ", "SNV"),
    "so-tai-chinh": ("Sở Tài chính", "STC"),
    "mttq-tinh": ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "MTTQVN tỉnh"),
}


def by_id(lines: list[str] | str) -> list[str]:
    """The lines (or the lines of a text) with the bodies above named by their ids."""
    out = []
    for line in lines.splitlines() if isinstance(lines, str) else lines:
        for body, names in BODY_NAMES.items():
            for name in names:
                line = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", body, line)
        out.append(line)
    return out


# Edits of known lines of plans/2021.yaml, named by the task they touch.

# IV.5 (a top-level task, the last one)
IV5_TITLE = "    title: Trao đổi, thống nhất điều chỉnh Kế hoạch khi cần thiết\n"
IV5_LEAD = "      nhất điều chỉnh khi cần thiết.\n    lead: [bdvtu, bcsd-ubnd]\n"
IV5_END = "    objectives: [I.4]\n    deadline: {continuous: true, review: quarter}\n\nreporting:\n"
# IV.3.h (a subtask with lead, support, objectives, a deliverable)
IV3H_BODIES = ("        lead: [bcsd-ubnd]\n        support: [ubnd-tinh, so-noi-vu, so-tai-chinh]\n"
               "        objectives: [I.4]\n")
IV3H_DELIVERABLE = (
    "          - Dự toán kinh phí kế hoạch phối hợp công tác dân vận (Sở Nội vụ lập, Sở Tài chính thẩm định)\n"
)
IV3H_TITLE = "Dự toán, thẩm định, bố trí kinh phí cho công tác dân vận chính quyền"
# IV.4.c (deadline 2021-12)
IV4C_DEADLINE = "        deadline: 2021-12\n"
IV4C_TITLE = "Hội nghị tổng kết năm về thực hiện Kế hoạch phối hợp (tháng 12/2021)"
IV5_TITLE_TEXT = "Trao đổi, thống nhất điều chỉnh Kế hoạch khi cần thiết"

PROGRESS_OLD = """    progress:
      - date: 2021-03-31
        percent: 20
        note: Đã trao đổi quý I
      - date: 2021-06-30
        percent: 50
        note: Đã trao đổi quý II
"""
# the plan with two progress entries on IV.5
PLAN_WITH_PROGRESS = edit(PLAN_TEXT, (IV5_END, IV5_END.replace("\n\nreporting:", "\n" + PROGRESS_OLD + "\nreporting:")))

NEW_TASK = """  - id: IV.6
    title: Sơ kết công tác chuyển đổi số trong dân vận chính quyền
    section: IV
    lead: [so-noi-vu]
    deadline: 2021-06

"""


def with_new_task(text: str) -> str:
    return edit(text, ("\nreporting:\n", "\n" + NEW_TASK + "reporting:\n"))


def without_iv5(text: str) -> str:
    start = text.index("  # Đoạn cuối mục IV không đánh số")
    end = text.index("\nreporting:\n")
    return text[:start] + text[end + 1:]


def deadline_plan(value: str, base: str = PLAN_TEXT) -> str:
    return edit(base, (IV4C_DEADLINE, f"        deadline: {value}\n"))


# ---------------------------------------------------------------- tasks added, removed, renamed


def test_task_added_is_listed_by_id_with_its_title(diff):
    code, out, err = diff(with_new_task(PLAN_TEXT))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "So sánh kế hoạch: old.yaml → new.yaml"
    assert lines[1] == "+ IV.6  thêm nhiệm vụ: Sơ kết công tác chuyển đổi số trong dân vận chính quyền"
    assert lines[2].startswith("Tổng cộng: thêm 1, bỏ 0, đổi mã 0, sửa 0 nhiệm vụ;")
    assert len(lines) == 3  # nothing else reported


def test_task_removed_is_listed_by_id_with_its_title(diff):
    code, out, _ = diff(without_iv5(PLAN_TEXT))
    assert code == 0
    assert f"- IV.5  bỏ nhiệm vụ: {IV5_TITLE_TEXT}" in out.splitlines()
    assert "Tổng cộng: thêm 0, bỏ 1, đổi mã 0, sửa 0 nhiệm vụ;" in out


def test_task_whose_id_changed_but_not_its_content_is_renamed(diff):
    code, out, _ = diff(edit(SHIPPED, ("      - id: IV.3.h\n", "      - id: IV.3.i\n")), old=SHIPPED)
    assert code == 0
    lines = out.splitlines()
    assert f"~ IV.3.i  đổi mã IV.3.h thành IV.3.i, nội dung giữ nguyên: {IV3H_TITLE}" in lines
    assert "thêm nhiệm vụ" not in out and "bỏ nhiệm vụ" not in out  # not one removed + one added
    assert "Tổng cộng: thêm 0, bỏ 0, đổi mã 1, sửa 0 nhiệm vụ;" in out


def test_renamed_parent_renames_its_subtasks_too(diff):
    new = edit(SHIPPED, ("  - id: II.9\n", "  - id: II.10\n"), ("      - id: II.9.a\n", "      - id: II.10.a\n"),
               ("      - id: II.9.b\n", "      - id: II.10.b\n"))
    code, out, _ = diff(new, old=SHIPPED)
    assert code == 0
    lines = out.splitlines()
    assert [x.split("  ")[0] for x in lines[1:4]] == ["~ II.10", "~ II.10.a", "~ II.10.b"]
    assert lines[1].startswith("~ II.10  đổi mã II.9 thành II.10, nội dung giữ nguyên: Sơ kết 5 năm")
    assert lines[2] == ("~ II.10.a  đổi mã II.9.a thành II.10.a, nội dung giữ nguyên: "
                        "Sơ kết 5 năm thực hiện Chỉ thị số 16/CT-TTg")
    assert "Tổng cộng: thêm 0, bỏ 0, đổi mã 3, sửa 0 nhiệm vụ;" in out


def test_new_id_and_new_content_is_a_removal_and_an_addition_not_a_rename(diff):
    new = edit(PLAN_TEXT, ("      - id: IV.3.h\n", "      - id: IV.3.i\n"),
               (f"        title: {IV3H_TITLE}\n", "        title: Bố trí kinh phí năm 2021\n"))
    code, out, _ = diff(new)
    assert code == 0
    lines = out.splitlines()
    assert "+ IV.3.i  thêm nhiệm vụ: Bố trí kinh phí năm 2021" in lines
    assert f"- IV.3.h  bỏ nhiệm vụ: {IV3H_TITLE}" in lines
    assert "đổi mã IV.3.h" not in out


# ---------------------------------------------------------------- fields of a task


def test_title_changed(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV5_TITLE, "    title: Trao đổi, thống nhất sửa đổi Kế hoạch\n")))
    assert code == 0
    lines = out.splitlines()
    i = lines.index("~ IV.5  Trao đổi, thống nhất sửa đổi Kế hoạch")
    assert lines[i + 1] == f"    tên: {IV5_TITLE_TEXT} → Trao đổi, thống nhất sửa đổi Kế hoạch"
    assert "Tổng cộng: thêm 0, bỏ 0, đổi mã 0, sửa 1 nhiệm vụ;" in out


def test_description_changed(diff):
    new = edit(PLAN_TEXT, ("      nhất điều chỉnh khi cần thiết.\n", "      nhất điều chỉnh kịp thời.\n"))
    code, out, _ = diff(new)
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"~ IV.5  {IV5_TITLE_TEXT}")
    assert lines[i + 1] == "    nội dung: …nhất điều chỉnh [khi cần thiết. → kịp thời.]"
    assert "sửa 1 nhiệm vụ" in out


def test_description_with_one_word_changed_shows_it_in_its_words(diff):
    """A one-word change in a long text is shown with the words around it, not as a rewrite."""
    new = edit(PLAN_TEXT, ("      nhất điều chỉnh khi cần thiết.\n", "      nhất điều chỉnh khi thật cần thiết.\n"))
    code, out, _ = diff(new)
    assert code == 0 and "    nội dung: …điều chỉnh khi [thêm: thật] cần thiết." in out.splitlines()
    code, out, _ = diff(new, "--lang", "en")
    assert "[added: thật]" in out


def test_description_rewritten_or_changed_in_many_places(diff):
    """More than half the words changed: "viết lại"; more than three changes: three shown, the rest counted."""
    from kehoach.life.diff import changed_words

    assert changed_words("một hai ba bốn", "năm sáu bảy bốn", "vi") is None
    many = changed_words(" ".join(f"w{i}" for i in range(40)),
                         " ".join(f"W{i}" if i % 8 == 0 else f"w{i}" for i in range(40)), "vi")
    assert many is not None and many.count("[") == 3 and many.endswith("(và 2 chỗ khác)")
    assert many.startswith("[w0 → W0] w1 w2 w3…; …w5 w6 w7 [w8 → W8] w9 w10 w11…")
    long_old = " ".join(f"w{i}" for i in range(600))
    assert changed_words(long_old, long_old.replace("w300", "x300"), "vi") is None  # 600 × 600 words: not compared
    short_old = " ".join(f"w{i}" for i in range(400))
    assert changed_words(short_old, short_old.replace("w200 ", "x200 "), "vi") == (
        "…w197 w198 w199 [w200 → x200] w201 w202 w203…")
    new = edit(PLAN_TEXT, ("      Trong quá trình thực hiện, nếu có vấn đề chưa phù hợp hoặc cần sửa đổi, bổ\n"
                           "      sung, Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh cùng trao đổi để thống\n"
                           "      nhất điều chỉnh khi cần thiết.\n", "      Hai Ban rà soát Kế hoạch mỗi quý.\n"))
    code, out, _ = diff(new)
    assert "    nội dung: viết lại" in out.splitlines()


def test_body_removed_from_lead(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV5_LEAD, IV5_LEAD.replace("[bdvtu, bcsd-ubnd]", "[bdvtu]"))))
    assert code == 0
    lines = by_id(out)
    i = lines.index(f"~ IV.5  {IV5_TITLE_TEXT}")
    assert lines[i + 1] == "    chủ trì: bỏ bcsd-ubnd"


def test_body_added_to_lead(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV3H_BODIES, IV3H_BODIES.replace("[bcsd-ubnd]", "[bcsd-ubnd, so-noi-vu]"))))
    assert code == 0
    lines = by_id(out)
    i = lines.index(f"~ IV.3.h  {IV3H_TITLE}")
    assert lines[i + 1] == "    chủ trì: thêm so-noi-vu"


def test_bodies_added_to_and_removed_from_support(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV3H_BODIES, IV3H_BODIES.replace(
        "[ubnd-tinh, so-noi-vu, so-tai-chinh]", "[ubnd-tinh, so-noi-vu, mttq-tinh]"))))
    assert code == 0
    lines = by_id(out)
    i = lines.index(f"~ IV.3.h  {IV3H_TITLE}")
    assert lines[i + 1] == "    phối hợp: thêm mttq-tinh; bỏ so-tai-chinh"


def test_lead_reordered_is_worded(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV5_LEAD, IV5_LEAD.replace("[bdvtu, bcsd-ubnd]", "[bcsd-ubnd, bdvtu]"))))
    assert code == 0
    line = next(x for x in by_id(out) if x.strip().startswith("chủ trì:"))
    assert line.strip() != "chủ trì:"
    assert "bcsd-ubnd" in line


def test_deadline_moved_shows_the_resolved_dates(diff):
    code, out, _ = diff(deadline_plan("2021-09"), old=deadline_plan("2021-06"))
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"~ IV.4.c  {IV4C_TITLE}")
    assert moved("thời hạn", "30/6/2021", "30/9/2021").fullmatch(lines[i + 1][4:]), lines[i + 1]


def test_deadline_moved_to_a_day_and_from_the_shipped_month(diff):
    code, out, _ = diff(deadline_plan("2021-12-15"))
    assert code == 0
    # the new deadline is a day: its resolved date may be the wording itself ('ngày 15/12/2021')
    assert has_line(out.splitlines(), re.compile(r"thời hạn: .*\(31/12/2021\) → .*\b15/12/2021\)?")), out


def test_recurring_deadline_lists_every_due_date(diff):
    new = edit(PLAN_TEXT, ("        deadline: {every: half}\n      - id: IV.4.b\n",
                           "        deadline: {every: quarter}\n      - id: IV.4.b\n"))
    code, out, _ = diff(new)
    assert code == 0
    lines = out.splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith("~ IV.4.a  "))
    assert moved("thời hạn", "30/6/2021, 31/12/2021",
                 "31/3/2021, 30/6/2021, 30/9/2021, 31/12/2021").fullmatch(lines[i + 1][4:]), lines[i + 1]


def test_deadline_added_to_a_task_that_had_none(diff):
    new = edit(PLAN_TEXT, ("    section: III.1\n    lead: [bdvtu]\n", "    section: III.1\n    lead: [bdvtu]\n"
                                                                     "    deadline: 2021-06\n"))
    code, out, _ = diff(new)
    assert code == 0
    assert has_line(out.splitlines(), re.compile(r"thời hạn: — → .+ \(30/6/2021\)")), out


def test_same_deadline_text_with_other_due_dates_is_a_moved_deadline(diff):
    """The reporting convention nd09 moves every recurring due date to the 14th: each task says so."""
    code, out, _ = diff(edit(PLAN_TEXT, ("  convention: calendar\n", "  convention: nd09\n")))
    assert code == 0
    lines = out.splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith("~ IV.2.c  "))
    assert moved("thời hạn", "31/12/2021", "14/12/2021").fullmatch(lines[i + 1][4:]), lines[i + 1]
    regime = next(x for x in lines if x.startswith("~ chế độ báo cáo"))
    assert "calendar → nd09" in regime


def test_suspended_task(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV5_END, IV5_END.replace("\n\nreporting:", "\n    suspended: true\n\n"
                                                                                    "reporting:"))))
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"~ IV.5  {IV5_TITLE_TEXT}")
    assert lines[i + 1].startswith("    tạm dừng: ")


def test_subtask_moved_to_another_parent(diff):
    start = PLAN_TEXT.index("      - id: IV.4.c\n")
    end = PLAN_TEXT.index("\n  # Đoạn cuối mục IV")
    block = PLAN_TEXT[start:end]
    new = PLAN_TEXT[:start] + PLAN_TEXT[end:]  # out of IV.4 …
    new = edit(new, ("\n  - id: IV.4\n", "\n" + block + "\n  - id: IV.4\n"))  # … into IV.3, after IV.3.h
    code, out, _ = diff(new)
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"~ IV.4.c  {IV4C_TITLE}")
    assert lines[i + 1] == "    nhiệm vụ cha: IV.4 → IV.3"
    assert "thêm nhiệm vụ" not in out and "bỏ nhiệm vụ" not in out


@pytest.mark.parametrize(("pairs", "task", "line"), [
    pytest.param([(IV3H_BODIES, IV3H_BODIES.replace("objectives: [I.4]", "objectives: [I.3, I.4]"))],
                 "IV.3.h", "mục tiêu: thêm I.3", id="objectives"),
    pytest.param([("    references: [ct-16, ctr-26]\n", "    references: [ct-16]\n")],
                 "II.9", "văn bản liên quan: bỏ 26-CTr/BDVTU-BCSĐUBND", id="references"),  # by number
    pytest.param([(IV3H_BODIES, IV3H_BODIES + "        references: [qd-436]\n")],
                 "IV.3.h", "văn bản liên quan: thêm 436/QĐ-UBND", id="references-added"),
    pytest.param([("    topics: [dan-van]\n    subtasks:\n      - id: II.9.a",
                   "    topics: [dan-van, dan-chu-co-so]\n    subtasks:\n      - id: II.9.a")],
                 "II.9", "chuyên đề: thêm Việc thực hiện quy chế dân chủ ở cơ sở", id="topics"),  # by name
    pytest.param([(IV3H_DELIVERABLE, "          - Dự toán kinh phí năm 2021\n")],
                 "IV.3.h", "sản phẩm: thêm Dự toán kinh phí năm 2021; bỏ Dự toán kinh phí kế hoạch phối hợp "
                           "công tác dân vận (Sở Nội vụ lập, Sở Tài chính thẩm định)", id="deliverables"),
    pytest.param([("    title: Trao đổi, thống nhất điều chỉnh Kế hoạch khi cần thiết\n    section: IV\n",
                   "    title: Trao đổi, thống nhất điều chỉnh Kế hoạch khi cần thiết\n    section: II\n")],
                 "IV.5", "mục: IV → II", id="section"),
])
def test_task_field_changed(diff, pairs, task, line):
    code, out, _ = diff(edit(PLAN_TEXT, *pairs))
    assert code == 0
    lines = out.splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith(f"~ {task}  "))
    assert lines[i + 1] == f"    {line}"
    assert "sửa 1 nhiệm vụ" in out


def test_unchanged_plan_says_so(diff):
    code, out, _ = diff(SHIPPED, old=SHIPPED)
    assert code == 0
    assert out == "So sánh kế hoạch: old.yaml → new.yaml\nKhông có thay đổi.\n"


# ---------------------------------------------------------------- progress


def progress_plan(entries: str) -> str:
    return edit(PLAN_WITH_PROGRESS, (PROGRESS_OLD, entries))


def test_progress_entry_added(diff):
    new = progress_plan(PROGRESS_OLD + "      - date: 2021-09-30\n        percent: 80\n"
                                       "        note: Đã trao đổi quý III\n")
    code, out, _ = diff(new, old=PLAN_WITH_PROGRESS)
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"~ IV.5  {IV5_TITLE_TEXT}")
    assert lines[i + 1] == "    tiến độ: thêm 1 mục (30/9/2021 80%: Đã trao đổi quý III)"
    assert "thêm 1 mục tiến độ; sửa 0, xóa 0 mục tiến độ" in out
    assert "Cảnh báo" not in out and "TIẾN ĐỘ BỊ" not in out


def test_a_body_s_result_without_a_percent_is_listed_with_its_body(diff):
    new = progress_plan(PROGRESS_OLD + "      - date: 2021-09-30\n        body: bdvtu\n"
                                       "        note: Đã trao đổi quý III\n")
    code, out, err = diff(new, old=PLAN_WITH_PROGRESS)
    assert code == 0, err
    assert "    tiến độ: thêm 1 mục (30/9/2021 (Ban Dân vận Tỉnh ủy): Đã trao đổi quý III)" in out.splitlines()


def test_progress_written_by_kehoach_log_is_only_added(here, capsys):
    old = write(here / "old.yaml", PLAN_TEXT)
    new = write(here / "new.yaml", PLAN_TEXT)
    assert run(capsys, "log", "IV.5", "--joint", "-p", new, "--percent", "40", "--date", "2021-05-10",
               "--note", "Đã thống nhất điều chỉnh mục II.6")[0] == 0
    code, out, _ = run(capsys, "diff", old.name, new.name)
    assert code == 0
    assert "    tiến độ: thêm 1 mục (10/5/2021 40%: Đã thống nhất điều chỉnh mục II.6)" in out.splitlines()
    assert "Cảnh báo" not in out


def test_progress_entry_changed_is_loud(diff):
    new = progress_plan(PROGRESS_OLD.replace("percent: 20", "percent: 40"))
    code, out, _ = diff(new, old=PLAN_WITH_PROGRESS)
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"! IV.5  {IV5_TITLE_TEXT}")  # '!' not '~'
    assert lines[i + 1] == ("    TIẾN ĐỘ BỊ SỬA: 1 mục (31/3/2021 20%: Đã trao đổi quý I → "
                            "31/3/2021 40%: Đã trao đổi quý I)")
    assert "sửa 1, xóa 0 mục tiến độ" in out
    assert lines[-1] == "Cảnh báo: nhật ký tiến độ chỉ được thêm; có mục đã bị sửa hoặc xóa, cần xem lại."


def test_progress_entry_removed_is_loud(diff):
    new = progress_plan(PROGRESS_OLD.replace("      - date: 2021-03-31\n        percent: 20\n"
                                             "        note: Đã trao đổi quý I\n", ""))
    code, out, _ = diff(new, old=PLAN_WITH_PROGRESS)
    assert code == 0
    lines = out.splitlines()
    i = lines.index(f"! IV.5  {IV5_TITLE_TEXT}")
    assert lines[i + 1] == "    TIẾN ĐỘ BỊ XÓA: 1 mục (31/3/2021 20%: Đã trao đổi quý I)"
    assert "sửa 0, xóa 1 mục tiến độ" in out
    assert lines[-1].startswith("Cảnh báo: nhật ký tiến độ chỉ được thêm")


def test_progress_rewrite_in_english(diff):
    new = progress_plan(PROGRESS_OLD.replace("percent: 20", "percent: 40"))
    code, out, _ = diff(new, "--lang", "en", old=PLAN_WITH_PROGRESS)
    assert code == 0
    assert out.splitlines()[0] == "Plan compared: old.yaml → new.yaml"
    line = next(x for x in out.splitlines() if x.startswith("    PROGRESS CHANGED: 1 "))
    assert "(2021-03-31 20%: Đã trao đổi quý I → 2021-03-31 40%: Đã trao đổi quý I)" in line
    assert out.splitlines()[-1] == ("Warning: the progress log is only ever appended to; entries were changed "
                                    "or removed, review them.")


# ---------------------------------------------------------------- changes outside tasks


NEW_BODY = "  - id: so-tu-phap\n    name: Sở Tư pháp\n    short: STP\n    kind: state\n    parent: ubnd-tinh\n"
BODY_ANCHOR = "  # ---- Mặt trận, đoàn thể\n"
PLAN_WITH_NEW_BODY = edit(PLAN_TEXT, (BODY_ANCHOR, NEW_BODY + BODY_ANCHOR))
HEADER_TITLE = "  title: Phối hợp thực hiện công tác dân vận năm 2021\n"
SIGNER = "    name: Võ Thanh An\n"
REFERENCE_DATE = "    number: 4054-QĐ/TU\n    date: null\n"
MEETING_WHEN = "    when: 2021-H1\n"

# (old, new, how the line starts, words it holds (a tuple: one of them), words it must not hold)
OUTSIDE = [
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, (HEADER_TITLE, HEADER_TITLE.replace("2021\n", "2021 (sửa đổi)\n"))),
                 "~ thông tin kế hoạch dv-2021",
                 ["Phối hợp thực hiện công tác dân vận năm 2021 → Phối hợp thực hiện công tác dân vận năm 2021 "
                  "(sửa đổi)"], [": title:"], id="plan-header"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("    title: Tổ chức thực hiện\n",
                                             "    title: Tổ chức thực hiện Kế hoạch\n")),
                 "~ mục IV", ["Tổ chức thực hiện → Tổ chức thực hiện Kế hoạch"], [": title:"], id="section"),
    pytest.param(PLAN_TEXT, PLAN_WITH_NEW_BODY, "~ thêm cơ quan Sở Tư pháp", [], [], id="body-added"),  # by name
    pytest.param(PLAN_WITH_NEW_BODY, PLAN_TEXT, "~ bỏ cơ quan Sở Tư pháp", [], [], id="body-removed"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("    name: Sở Tài chính\n", "    name: Sở Tài chính tỉnh Quảng Ngãi\n")),
                 "~ cơ quan Sở Tài chính tỉnh Quảng Ngãi:", ["Sở Tài chính → Sở Tài chính tỉnh Quảng Ngãi"],
                 [": name:"],
                 id="body-changed"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, (REFERENCE_DATE, REFERENCE_DATE.replace("null", "2019-05-20"))),
                 "~ văn bản 4054-QĐ/TU", [("— → 2019-05-20", "— → 20/5/2019")], [": date:"], id="reference"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("      trách nhiệm được phân công của từng chủ thể phối hợp;",
                                             "      trách nhiệm được giao của từng chủ thể phối hợp;")),
                 "~ mục tiêu I.4", ["trách nhiệm được [phân công → giao] của từng chủ"], [": text:"],
                 id="objective"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, (MEETING_WHEN, "    when: 2021-07\n")),
                 "~ Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp 6 tháng đầu năm 2021:",  # by its name
                 ["6 tháng đầu năm 2021 → tháng 7/2021"], [": when:", "hn-6-thang", "hội nghị Hội nghị"],
                 id="meeting"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("      name: Công tác tôn giáo\n",
                                             "      name: Công tác tôn giáo, tín ngưỡng\n")),
                 "~ chuyên đề Công tác tôn giáo, tín ngưỡng", ["Công tác tôn giáo → Công tác tôn giáo, tín ngưỡng"],
                 [": name:", "ton-giao"],
                 id="topic"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("      name: Báo cáo quý\n", "      name: Báo cáo định kỳ quý\n")),
                 "~ chế độ báo cáo", ["Báo cáo định kỳ quý"], [], id="reporting"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("\nrecipients:\n", "\nholidays:\n  - date: 2021-09-03\n"
                                                                "    name: Nghỉ lễ Quốc khánh\n\nrecipients:\n")),
                 "~ ngày nghỉ, ngày làm bù", ["03/9/2021", "Nghỉ lễ Quốc khánh"], ["holidays"], id="holidays"),
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, ("  - Văn phòng Tỉnh ủy\n", "  - Văn phòng Tỉnh ủy Quảng Ngãi\n")),
                 "~ nơi nhận", ["Văn phòng Tỉnh ủy Quảng Ngãi"],
                 ["recipients", "Ban Dân vận Trung ương"], id="recipients"),  # only the recipient that changed
    pytest.param(PLAN_TEXT, edit(PLAN_TEXT, (SIGNER, "    name: Đinh Thị Hồng Minh\n")),
                 "~ người ký", ["Võ Thanh An", "Đinh Thị Hồng Minh"], ["signers", "Võ Phiên"], id="signers"),
]


@pytest.mark.parametrize(("old", "new", "start", "words", "not_words"), OUTSIDE)
def test_change_outside_tasks(diff, old, new, start, words, not_words):
    code, out, _ = diff(new, old=old)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3, out  # heading, the one change, the summary: no task is reported
    assert lines[1].startswith(start), lines[1]
    for w in words:
        assert any(x in lines[1] for x in ((w,) if isinstance(w, str) else w)), (w, lines[1])
    for w in not_words:  # no English key in the Vietnamese line, nothing that did not change
        assert w not in lines[1]
    assert lines[2].endswith("sửa 0 nhiệm vụ; thêm 0 mục tiến độ; sửa 0, xóa 0 mục tiến độ; 1 thay đổi khác.")


def test_change_outside_tasks_in_english(diff):
    new = edit(PLAN_TEXT, (MEETING_WHEN, "    when: 2021-07\n"), (SIGNER, "    name: Đinh Thị Hồng Minh\n"))
    code, out, _ = diff(new, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert "July 2021" in next(x for x in lines if x.startswith("~ meeting Hội nghị đánh giá"))
    signers = next(x for x in lines if x.startswith("~ signers"))
    assert "Đinh Thị Hồng Minh" in signers
    assert lines[-1].endswith("2 other changes.")


def test_reporting_cadence_change_is_worded_in_vietnamese(diff):
    code, out, _ = diff(edit(PLAN_TEXT, ("      name: Báo cáo quý\n", "      name: Báo cáo định kỳ quý\n")))
    assert code == 0
    line = out.splitlines()[1]
    assert line.startswith("~ chế độ báo cáo")
    assert "reporting" not in line and "days_after" not in line
    assert "Báo cáo chuyên đề" not in line  # a cadence that did not change


def test_suspended_task_is_worded_in_vietnamese(diff):
    code, out, _ = diff(edit(PLAN_TEXT, (IV5_END, IV5_END.replace("\n\nreporting:", "\n    suspended: true\n\n"
                                                                                    "reporting:"))))
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("tạm dừng:"))
    assert "False" not in line and "True" not in line


def test_description_added_is_not_called_rewritten(diff):
    code, out, _ = diff(edit(PLAN_TEXT, ("    section: III.1\n    lead: [bdvtu]\n",
                                         "    section: III.1\n    description: Ban Dân vận Tỉnh ủy chủ trì.\n"
                                         "    lead: [bdvtu]\n")))
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("nội dung:"))
    assert "viết lại" not in line


def test_carried_over_change_is_a_difference(diff):
    new = edit(PLAN_TEXT, (IV5_END, IV5_END.replace(
        "\n\nreporting:", "\n    carried_over: {plan: dv-2020, deadline: '2020-12', percent: 60}\n\nreporting:")))
    code, out, _ = diff(new, "--exit-code")
    assert code == 1
    lines = out.splitlines()
    i = lines.index(f"~ IV.5  {IV5_TITLE_TEXT}")
    assert "dv-2020" in lines[i + 1]


# ---------------------------------------------------------------- Markdown, English, JSON


def amendment(drop_iv5: bool = False) -> tuple[str, str]:
    """(old, new): a rename, a support body dropped, a deadline moved, a task added, a signer changed
    (and IV.5 removed)."""
    old = deadline_plan("2021-06", SHIPPED)
    new = deadline_plan("2021-09", SHIPPED)
    new = edit(without_iv5(new) if drop_iv5 else new,
               ("      - id: II.9.b\n", "      - id: II.9.c\n"),
               (IV3H_BODIES, IV3H_BODIES.replace(", so-tai-chinh]", "]")),
               ("    name: Võ Thanh An\n", "    name: Đinh Thị Hồng Minh\n"))
    return old, with_new_task(new)


def test_markdown_is_the_vietnamese_amendment_appendix(diff):
    old, new = amendment()
    code, out, _ = diff(new, "-f", "markdown", old=old)
    assert code == 0
    lines = by_id(out)
    # an appendix of the amended plan (NĐ 30 III.1): cited by its number and date, not by the files compared
    assert out.splitlines()[:8] == [
        "## Phụ lục",
        "",
        "**NỘI DUNG SỬA ĐỔI, BỔ SUNG**",
        "",
        "*(Kèm theo Kế hoạch số 49-KH/BDVTU-BCSĐUBND ngày 14/01/2021 của Ban Dân vận Tỉnh ủy và Ban Cán sự đảng "
        "Ủy ban nhân dân tỉnh)*",
        "",
        "| STT | Mã | Loại | Nội dung sửa đổi, bổ sung |",
        "|---:|---|---|---|",
    ]
    assert "old.yaml" not in out and "so-tai-chinh" not in out  # bodies by name
    lines = lines[2:]
    assert lines[6] == ("| 1 | II.9.c | Đổi mã | đổi mã II.9.b thành II.9.c, nội dung giữ nguyên: Tổng kết "
                        "Chương trình phối hợp số 26-CTr/BDVTU-BCSĐUBND giai đoạn 2017 - 2021 |")
    assert lines[7] == "| 2 | IV.3.h | Sửa đổi | phối hợp: bỏ so-tai-chinh |"
    assert lines[9] == "| 4 | IV.6 | Bổ sung | thêm nhiệm vụ: Sơ kết công tác chuyển đổi số trong dân vận chính quyền |"
    row = re.fullmatch(r"\| 3 \| IV\.4\.c \| Sửa đổi \| (.*) \|", lines[8])
    assert row and moved("thời hạn", "30/6/2021", "30/9/2021").fullmatch(row[1]), lines[8]
    assert lines[10].startswith("| 5 | ") and "| Sửa đổi | người ký" in lines[10]
    assert "Đinh Thị Hồng Minh" in lines[10]
    assert lines[11:] == ["", "Tổng cộng: thêm 1, bỏ 0, đổi mã 1, sửa 2 nhiệm vụ; 1 thay đổi khác."]


def test_word_appendix_is_the_same_appendix_written_to_a_named_file(diff, here):
    """`-f docx`: the appendix as a Word file, beside the others a standing unit files with the
    amendment: its name from the plan's id unless `-o` names one; never over a plan compared."""
    from docx import Document

    old, new = amendment()
    code, out, err = diff(new, "-f", "docx", old=old)
    assert code == 0 and out == ""
    made = here / "dv-2021-phu-luc-sua-doi.docx"
    assert made.is_file() and str(made.name) in err
    words = "\n".join(p.text for p in Document(str(made)).paragraphs)
    cells = "\n".join(c.text for t in Document(str(made)).tables for row in t.rows for c in row.cells)
    assert "Phụ lục" in words and "NỘI DUNG SỬA ĐỔI, BỔ SUNG" in words
    assert "Kèm theo Kế hoạch số 49-KH/BDVTU-BCSĐUBND ngày 14/01/2021" in words
    assert "IV.6" in cells and "Sơ kết công tác chuyển đổi số trong dân vận chính quyền" in cells
    assert "so-tai-chinh" not in cells and "Sở Tài chính" in cells  # bodies by name
    code, _, err = diff(new, "-f", "docx", "-o", "old.yaml", old=old)
    assert code == 2 and "old.yaml" in err
    assert (here / "old.yaml").read_text(encoding="utf-8") == old


def test_markdown_removed_task_and_rewritten_progress_kinds(diff):
    old = PLAN_WITH_PROGRESS
    new = edit(without_iv5(PLAN_WITH_PROGRESS), ("    references: [ct-16, ctr-26]\n", "    references: [ct-16]\n"))
    code, out, _ = diff(new, "-f", "markdown", old=old)
    assert code == 0
    assert "| 1 | II.9 | Sửa đổi | văn bản liên quan: bỏ 26-CTr/BDVTU-BCSĐUBND |" in out.splitlines()
    row = next(x for x in out.splitlines() if x.startswith("| 2 | IV.5 | Bãi bỏ |"))
    # the work reported on the task taken out is said to be no longer followed
    assert row.startswith(f"| 2 | IV.5 | Bãi bỏ | bỏ nhiệm vụ: {IV5_TITLE_TEXT}<br>tiến độ đã báo cáo (")
    assert row.endswith(") không còn được theo dõi |")
    # progress is not an amendment of the plan the bodies signed: not a row of the appendix, and a
    # rewritten entry is said loudly under it (the text and JSON forms list it)
    new = progress_plan(PROGRESS_OLD.replace("percent: 20", "percent: 40"))
    code, out, _ = diff(new, "-f", "markdown", old=PLAN_WITH_PROGRESS)
    assert "| 1 |" not in out and "IV.5" not in out
    assert out.splitlines()[-3:] == [
        "Không có nội dung sửa đổi, bổ sung kế hoạch. Tiến độ thực hiện đã ghi "
        "(1 mục) không phải nội dung sửa đổi, không ghi trong phụ lục này.", "",
        "**Cảnh báo: nhật ký tiến độ chỉ được thêm; có mục đã bị sửa hoặc xóa, cần xem lại.**"]


def test_markdown_keeps_the_table_whole_when_a_title_holds_markdown(diff):
    new = edit(PLAN_TEXT, (IV5_TITLE, "    title: 'Trao đổi | thống nhất *điều chỉnh* Kế hoạch'\n"))
    code, out, _ = diff(new, "-f", "markdown")
    assert code == 0
    row = next(x for x in out.splitlines() if x.startswith("| 1 |"))
    assert row == (f"| 1 | IV.5 | Sửa đổi | tên: {IV5_TITLE_TEXT} → Trao đổi \\| thống nhất \\*điều chỉnh\\* "
                   "Kế hoạch |")


def test_markdown_in_english(diff):
    old, new = amendment()
    code, out, _ = diff(new, "-f", "markdown", "--lang", "en", old=old)
    assert code == 0
    lines = by_id(out)
    assert lines[:3] == ["## Appendix", "", "**AMENDMENTS**"]
    assert out.splitlines()[4].startswith("*(Attached to Plan No. 49-KH/BDVTU-BCSĐUBND of 14 January 2021 of ")
    assert lines[6] == "| No. | Id | Kind | What changed |"
    assert "| 1 | II.9.c | Renumbered | II.9.b renumbered as II.9.c, content unchanged: Tổng kết Chương trình " \
           "phối hợp số 26-CTr/BDVTU-BCSĐUBND giai đoạn 2017 - 2021 |" in lines
    assert "| 2 | IV.3.h | Changed | support: drops so-tai-chinh |" in lines
    row = next(re.fullmatch(r"\| 3 \| IV\.4\.c \| Changed \| (.*) \|", x) for x in lines if x.startswith("| 3 |"))
    assert row and moved("deadline", "2021-06-30", "2021-09-30").fullmatch(row[1]), row
    assert "| 4 | IV.6 | Added | task added: Sơ kết công tác chuyển đổi số trong dân vận chính quyền |" in lines
    assert lines[-1] == "In all: 1 task added, 0 removed, 1 renumbered, 2 changed; 1 other change."


def test_markdown_without_changes(diff):
    code, out, _ = diff(PLAN_TEXT, "-f", "markdown")
    assert code == 0
    assert out.startswith("## Phụ lục\n\n**NỘI DUNG SỬA ĐỔI, BỔ SUNG**\n\n*(Kèm theo Kế hoạch số 49-KH/")
    assert out.endswith(")*\n\nKhông có thay đổi.\n") and "|" not in out


def test_text_in_english(diff):
    old, new = amendment(drop_iv5=True)
    code, out, _ = diff(new, "--lang", "en", old=old)
    assert code == 0
    lines = by_id(out)
    assert "+ IV.6  task added: Sơ kết công tác chuyển đổi số trong dân vận chính quyền" in lines
    assert f"- IV.5  task removed: {IV5_TITLE_TEXT}" in lines
    assert has_line(lines, moved("deadline", "2021-06-30", "2021-09-30")), out
    assert "    support: drops so-tai-chinh" in lines
    assert lines[-1].startswith("In all: 1 task added, 1 removed, 1 renumbered, 2 changed;")


def test_lang_from_the_environment(diff, monkeypatch):
    monkeypatch.setenv("KEHOACH_LANG", "en")
    code, out, _ = diff(deadline_plan("2021-09"))
    assert code == 0
    assert has_line(out.splitlines(), moved("deadline", "2021-12-31", "2021-09-30")), out


def test_json_shape(diff):
    old, new = amendment(drop_iv5=True)
    code, out, _ = diff(new, "-f", "json", old=old)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"version", "old", "new", "summary", "tasks", "other"}
    assert data["version"] == 1
    assert (data["old"], data["new"]) == ("old.yaml", "new.yaml")
    assert data["summary"] == {"added": 1, "removed": 1, "renamed": 1, "changed": 2, "progress_added": 0,
                               "progress_changed": 0, "progress_removed": 0, "progress_corrected": 0, "other": 1}
    tasks = {t["id"]: t for t in data["tasks"]}
    assert {i: t["kind"] for i, t in tasks.items()} == {
        "II.9.c": "renamed", "IV.3.h": "changed", "IV.4.c": "changed", "IV.6": "added", "IV.5": "removed"}
    for t in data["tasks"]:
        assert set(t) >= {"id", "kind", "title", "old_id", "fields", "progress_added", "progress_changed",
                          "progress_removed", "rewrites_history"}
        assert t["rewrites_history"] is False
    assert tasks["II.9.c"]["old_id"] == "II.9.b"
    assert tasks["IV.6"]["old_id"] is None
    assert tasks["IV.5"]["title"] == IV5_TITLE_TEXT
    [deadline] = tasks["IV.4.c"]["fields"]
    assert deadline["field"] == "deadline"
    assert (deadline["old"], deadline["new"]) == ("2021-06", "2021-09")
    assert (deadline["old_due"], deadline["new_due"]) == (["2021-06-30"], ["2021-09-30"])
    [support] = tasks["IV.3.h"]["fields"]
    assert support["field"] == "support"
    assert (support["added"], support["removed"]) == ([], ["so-tai-chinh"])
    assert support["new"] == ["ubnd-tinh", "so-noi-vu"]
    [signers] = data["other"]
    assert set(signers) >= {"part", "id", "kind", "fields"}
    assert (signers["part"], signers["kind"]) == ("signers", "changed")
    assert "Đinh Thị Hồng Minh" in json.dumps(signers["fields"], ensure_ascii=False)


def test_json_progress_entries(diff):
    new = progress_plan(PROGRESS_OLD.replace("percent: 20", "percent: 40")
                        + "      - date: 2021-09-30\n        percent: 80\n        note: Đã trao đổi quý III\n")
    code, out, _ = diff(new, "-f", "json", old=PLAN_WITH_PROGRESS)
    assert code == 0
    data = json.loads(out)
    [task] = data["tasks"]
    assert (task["id"], task["kind"], task["rewrites_history"]) == ("IV.5", "changed", True)
    [changed] = task["progress_changed"]  # documented as {"old": entry, "new": entry}
    assert set(changed) == {"old", "new"}
    assert {k: changed["old"][k] for k in ("date", "percent", "note")} == {
        "date": "2021-03-31", "percent": 20, "note": "Đã trao đổi quý I"}
    assert {k: changed["new"][k] for k in ("date", "percent", "note")} == {
        "date": "2021-03-31", "percent": 40, "note": "Đã trao đổi quý I"}
    [added] = task["progress_added"]
    assert {k: added[k] for k in ("date", "percent", "note")} == {
        "date": "2021-09-30", "percent": 80, "note": "Đã trao đổi quý III"}
    assert task["progress_removed"] == []
    assert data["summary"]["progress_changed"] == 1 and data["summary"]["progress_added"] == 1


def test_json_does_not_depend_on_the_language(diff):
    old, new = amendment()
    vi = diff(new, "-f", "json", old=old)[1]
    en = diff(new, "-f", "json", "--lang", "en", old=old)[1]
    assert vi == en


def test_json_without_changes(diff):
    code, out, _ = diff(PLAN_TEXT, "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["tasks"] == [] and data["other"] == []
    assert set(data["summary"].values()) == {0}


def test_json_shape_is_documented():
    """diff_json points to docs/lifecycle.md: the keys a consumer relies on are written there."""
    page = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    assert "kehoach diff" in page and '"version": 1' in page
    for key in ("summary", "tasks", "other", "old_id", "fields", "old_due", "new_due", "progress_added",
                "progress_changed", "progress_removed", "progress_corrected", "progress_withdrawn", "rewrites_history",
                "part"):
        assert f'"{key}"' in page or f"`{key}`" in page, key


def test_unknown_format_is_refused(diff):
    code, out, err = diff(PLAN_TEXT, "-f", "xml")
    assert_user_error(code, err)
    assert code == 2 and out == ""
    assert "--format" in err and "text, markdown, json" in err


# ---------------------------------------------------------------- exit codes and -o


def test_exit_zero_when_it_ran_whatever_it_found(diff):
    assert diff(with_new_task(PLAN_TEXT))[0] == 0
    assert diff(PLAN_TEXT)[0] == 0


def test_exit_code_option_like_git_diff(diff):
    code, out, _ = diff(with_new_task(PLAN_TEXT), "--exit-code")
    assert code == 1
    assert "+ IV.6  thêm nhiệm vụ" in out  # the difference is still printed
    assert diff(PLAN_TEXT, "--exit-code")[0] == 0
    assert diff(with_new_task(PLAN_TEXT), "--exit-code", "-f", "json")[0] == 1


def test_exit_code_ignores_a_change_of_comments_only(diff):
    new = edit(PLAN_TEXT, ("# Kế hoạch phối hợp thực hiện công tác dân vận năm 2021",
                           "# KẾ HOẠCH phối hợp thực hiện công tác dân vận năm 2021 (bản sửa)"))
    code, out, _ = diff(new, "--exit-code")
    assert code == 0
    assert "Không có thay đổi." in out


def test_output_file(diff, here):
    old, new = amendment()
    code, shown, _ = diff(new, "-f", "markdown", old=old)
    code, out, err = diff(new, "-f", "markdown", "-o", "phu-luc.md", old=old)
    assert code == 0
    assert out == ""
    assert err == "Đã ghi phu-luc.md\n"
    assert (here / "phu-luc.md").read_text(encoding="utf-8") == shown


def test_output_file_with_exit_code_and_json(diff, here):
    code, out, _ = diff(with_new_task(PLAN_TEXT), "-f", "json", "-o", "diff.json", "--exit-code")
    assert code == 1 and out == ""
    assert json.loads((here / "diff.json").read_text(encoding="utf-8"))["tasks"][0]["id"] == "IV.6"


def test_output_never_overwrites_a_plan_read(diff, here):
    new = with_new_task(PLAN_TEXT)
    code, _, err = diff(new, "-o", "new.yaml")
    assert (here / "new.yaml").read_text(encoding="utf-8") == new
    assert code == 2 and "không ghi đè" in err


# ---------------------------------------------------------------- files that are missing or not plans


def test_missing_new_file(here, capsys):
    write(here / "old.yaml", PLAN_TEXT)
    code, out, err = run(capsys, "diff", "old.yaml", "khong-co.yaml")
    assert_user_error(code, err)
    assert code == 2 and out == ""
    assert "không tìm thấy 'khong-co.yaml'" in err


def test_missing_file_in_english(here, capsys):
    write(here / "old.yaml", PLAN_TEXT)
    code, _, err = run(capsys, "diff", "old.yaml", "missing.yaml", "--lang", "en")
    assert_user_error(code, err)
    assert "'missing.yaml' not found" in err


def test_missing_old_file(here, capsys):
    write(here / "new.yaml", PLAN_TEXT)
    code, _, err = run(capsys, "diff", "khong-co.yaml", "new.yaml")
    assert_user_error(code, err)
    assert "không tìm thấy 'khong-co.yaml'" in err


def test_missing_old_file_is_a_clean_error(here, capsys, monkeypatch):
    """Whatever it is called, a missing OLD file is an error the user can read, not a traceback."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(here.parent))
    write(here / "new.yaml", PLAN_TEXT)
    code, out, err = run(capsys, "diff", "khong-co.yaml", "new.yaml")
    assert_user_error(code, err)
    assert out == "" and "'khong-co.yaml'" in err


def test_folder_is_not_a_plan(here, capsys):
    write(here / "old.yaml", PLAN_TEXT)
    (here / "plans").mkdir()
    code, _, err = run(capsys, "diff", "old.yaml", "plans")
    assert_user_error(code, err)
    assert "không tìm thấy 'plans'" in err


def test_invalid_plan_names_the_file_and_the_problem(diff):
    new = edit(PLAN_TEXT, (IV5_LEAD, IV5_LEAD.replace("[bdvtu, bcsd-ubnd]", "[bdvtuu, bcsd-ubnd]")))
    code, out, err = diff(new)
    assert_user_error(code, err)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "kehoach: không so sánh được: new.yaml có lỗi"
    line = new[:new.index("bdvtuu")].count("\n") + 1
    # where the mistake is, as kehoach check says it
    assert any(x.startswith(f"  - new.yaml:{line}:")
               and x.endswith(": chưa khai báo cơ quan 'bdvtuu'; ý bạn là 'bdvtu'?") for x in lines), lines


def test_invalid_old_plan_in_english(diff):
    code, _, err = diff(PLAN_TEXT, "--lang", "en", old="plan: [\n")
    assert_user_error(code, err)
    assert err.splitlines()[0] == "kehoach: cannot compare: old.yaml has errors"


def test_empty_file_is_not_a_plan(diff):
    code, _, err = diff("")
    assert_user_error(code, err)
    assert "new.yaml có lỗi" in err


def test_file_not_utf8_is_named(here, capsys):
    write(here / "old.yaml", PLAN_TEXT)
    (here / "new.yaml").write_bytes(PLAN_TEXT.encode("cp1258", errors="replace"))
    code, _, err = run(capsys, "diff", "old.yaml", "new.yaml")
    assert_user_error(code, err)
    assert "UTF-8" in err and "new.yaml" in err


# ---------------------------------------------------------------- git revisions


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Kehoach Test", "-c", "user.email=test@kehoach.invalid",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture
def git_env(tmp_path, monkeypatch):
    """git that reads no user or system configuration and never looks above tmp_path."""
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE",
                "GIT_COMMON_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("KEHOACH_LANG", raising=False)


SUPPORT_DROPPED = edit(SHIPPED, (IV3H_BODIES, IV3H_BODIES.replace(", so-tai-chinh]", "]")))
SUPPORT_LINE = "    phối hợp: bỏ so-tai-chinh"


@pytest.fixture
def repo(tmp_path, monkeypatch, git_env) -> Path:
    """main: the shipped plan (plan.yaml and plans/2021.yaml); HEAD (branch sua-doi): so-tai-chinh dropped
    from the support of IV.3.h. The working directory is the repository."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "plan.yaml", SHIPPED)
    (root / "plans").mkdir()
    write(root / "plans" / "2021.yaml", SHIPPED)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Kế hoạch 2021")
    git(root, "branch", "-M", "main")
    git(root, "checkout", "-q", "-b", "sua-doi")
    write(root / "plan.yaml", SUPPORT_DROPPED)
    write(root / "plans" / "2021.yaml", SUPPORT_DROPPED)
    git(root, "commit", "-q", "-a", "-m", "Bỏ Sở Tài chính khỏi IV.3.h")
    monkeypatch.chdir(root)
    return root


@needs_git
def test_git_revision_of_the_other_file(repo, capsys):
    code, out, err = run(capsys, "diff", "HEAD~1", "plan.yaml")
    assert code == 0, err
    lines = by_id(out)
    assert lines[0] == "So sánh kế hoạch: HEAD~1:plan.yaml → plan.yaml"
    assert lines[1:3] == [f"~ IV.3.h  {IV3H_TITLE}", SUPPORT_LINE]


@needs_git
def test_git_two_revisions_with_paths(repo, capsys):
    code, out, err = run(capsys, "diff", "HEAD~1:plan.yaml", "HEAD:plan.yaml")
    assert code == 0, err
    assert by_id(out)[0] == "So sánh kế hoạch: HEAD~1:plan.yaml → HEAD:plan.yaml"
    assert SUPPORT_LINE in by_id(out)


@needs_git
def test_git_branch_and_path_against_the_working_copy(repo, capsys):
    # the working copy moves a deadline too, not yet committed
    write(repo / "plans" / "2021.yaml", edit(SUPPORT_DROPPED, (IV4C_DEADLINE, "        deadline: 2021-09\n")))
    code, out, err = run(capsys, "diff", "main:plans/2021.yaml", "plans/2021.yaml")
    assert code == 0, err
    lines = by_id(out)
    assert lines[0] == "So sánh kế hoạch: main:plans/2021.yaml → plans/2021.yaml"
    assert SUPPORT_LINE in lines
    assert has_line(lines, moved("thời hạn", "31/12/2021", "30/9/2021")), out
    # the committed revision against the working copy: only the uncommitted change
    code, out, _ = run(capsys, "diff", "HEAD", "plans/2021.yaml")
    assert code == 0
    assert SUPPORT_LINE not in by_id(out)
    assert has_line(out.splitlines(), moved("thời hạn", "31/12/2021", "30/9/2021")), out


@needs_git
def test_git_markdown_and_exit_code(repo, capsys):
    code, out, _ = run(capsys, "diff", "main:plan.yaml", "plan.yaml", "-f", "markdown", "--exit-code")
    assert code == 1
    assert "| 1 | IV.3.h | Sửa đổi | phối hợp: bỏ so-tai-chinh |" in by_id(out)
    code, out, _ = run(capsys, "diff", "HEAD", "plan.yaml", "--exit-code")
    assert code == 0
    assert out.splitlines() == ["So sánh kế hoạch: HEAD:plan.yaml → plan.yaml", "Không có thay đổi."]


@needs_git
def test_git_bare_revision_against_revision_with_path(repo, capsys):
    code, out, err = run(capsys, "diff", "HEAD~1", "HEAD:plan.yaml")
    assert code == 0, err
    assert SUPPORT_LINE in by_id(out)


@needs_git
def test_git_revision_path_from_a_subfolder(repo, capsys, monkeypatch):
    (repo / "ghi-chu").mkdir()
    monkeypatch.chdir(repo / "ghi-chu")
    code, out, err = run(capsys, "diff", "main:plans/2021.yaml", "HEAD:plans/2021.yaml")
    assert code == 0, err
    assert SUPPORT_LINE in by_id(out)


@needs_git
@pytest.mark.parametrize("args", [
    pytest.param(["NOPE", "plan.yaml"], id="unknown-revision"),
    pytest.param(["HEAD~5", "plan.yaml"], id="too-far-back"),
    pytest.param(["main:plans/khong-co.yaml", "plan.yaml"], id="path-not-in-revision"),
])
def test_git_bad_revision(repo, capsys, args):
    code, out, err = run(capsys, "diff", *args)
    assert_user_error(code, err)
    assert code == 2 and out == ""
    assert err.startswith(f"kehoach: git không có '{args[0]}'")
    assert "Xem các phiên bản bằng git log" in err


@needs_git
def test_git_bad_revision_in_english(repo, capsys):
    code, _, err = run(capsys, "diff", "NOPE", "plan.yaml", "--lang", "en")
    assert_user_error(code, err)
    assert err.startswith("kehoach: git has no 'NOPE'")


@needs_git
def test_git_revision_outside_a_repository(here, capsys, git_env):
    write(here / "plan.yaml", PLAN_TEXT)
    code, out, err = run(capsys, "diff", "HEAD~1", "plan.yaml")
    assert_user_error(code, err)
    assert code == 2 and out == ""
    assert "'HEAD~1'" in err


@needs_git
def test_git_revision_that_is_not_a_valid_plan(repo, capsys):
    write(repo / "plan.yaml", edit(SHIPPED, (IV5_LEAD, IV5_LEAD.replace("bdvtu,", "bdvtuu,"))))
    git(repo, "commit", "-q", "-a", "-m", "Sai mã cơ quan")
    write(repo / "plan.yaml", SHIPPED)
    code, out, err = run(capsys, "diff", "HEAD", "plan.yaml")
    assert_user_error(code, err)
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "kehoach: không so sánh được: HEAD:plan.yaml có lỗi"
    assert any(x.startswith("  - HEAD:plan.yaml:") and x.endswith(": chưa khai báo cơ quan 'bdvtuu'; ý bạn là 'bdvtu'?")
               for x in err.splitlines())


@pytest.mark.parametrize("args", [
    pytest.param(["HEAD~1", "plan.yaml"], id="revision"),
    pytest.param(["main:plan.yaml", "plan.yaml"], id="revision-and-path"),
])
def test_git_not_installed(here, capsys, monkeypatch, args):
    write(here / "plan.yaml", PLAN_TEXT)
    empty = here.parent / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, err = run(capsys, "diff", *args)
    assert_user_error(code, err)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"kehoach: cần chương trình git để đọc '{args[0]}', nhưng máy không có git",
        "    Cài git, hoặc lưu phiên bản cũ ra một tệp rồi so sánh hai tệp.",
    ]


def test_git_not_installed_in_english(here, capsys, monkeypatch):
    write(here / "plan.yaml", PLAN_TEXT)
    empty = here.parent / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, _, err = run(capsys, "diff", "HEAD~1", "plan.yaml", "--lang", "en")
    assert_user_error(code, err)
    assert err.splitlines()[0] == "kehoach: reading 'HEAD~1' needs git, which is not installed"


def test_two_files_need_no_git(diff, monkeypatch, here):
    empty = here.parent / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, _ = diff(SUPPORT_DROPPED, old=SHIPPED)
    assert code == 0
    assert by_id(out)[1:3] == [f"~ IV.3.h  {IV3H_TITLE}", SUPPORT_LINE]


# ---------------------------------------------------------------- a revision read as a file: bounded, never an option


@needs_git
@pytest.mark.parametrize("args", [
    pytest.param(["HEAD~1", "plan.yaml"], id="bare-revision"),
    pytest.param(["main:plan.yaml", "plan.yaml"], id="revision-and-path"),
])
def test_a_revision_larger_than_the_size_limit_is_refused_as_a_file_is(repo, capsys, monkeypatch, args):
    """A blob over the size limit is refused with the file's own message, its size asked of git first
    (`git cat-file -s`) and not a byte of it read (a 1.2 GB blob was read whole: MemoryError, exit 3)."""
    monkeypatch.setenv("KEHOACH_MAX_BYTES", "20000")  # the shipped plan is about 80 KB
    write(repo / "plan.yaml", "plan: {}\n")  # the working copy is small: only the revision is over the limit
    size = len(SHIPPED.encode("utf-8"))
    read: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def spy_run(argv, *a, **k):
        read.append(list(argv))
        return real_run(argv, *a, **k)

    def spy_popen(argv, *a, **k):
        read.append(list(argv))
        return real_popen(argv, *a, **k)

    monkeypatch.setattr(subprocess, "run", spy_run)
    monkeypatch.setattr(subprocess, "Popen", spy_popen)
    code, out, err = run(capsys, "diff", *args)
    assert_user_error(code, err)
    assert code == 2 and out == ""
    shown = "HEAD~1:plan.yaml" if args[0] == "HEAD~1" else "main:plan.yaml"
    assert err.splitlines()[0] == (f"kehoach: {shown}: tệp quá lớn: {size} byte, vượt giới hạn 20000 byte; "
                                   "kehoach không đọc nó"), err
    git_calls = [_without_settings(argv) for argv in read if argv and argv[0] == "git"]
    assert git_calls and all(argv[1:3] in (["cat-file", "-s"], ["cat-file", "-t"]) for argv in git_calls), git_calls
    # the same content as a file: the same words
    write(repo / "old.yaml", SHIPPED)
    code, _, file_err = run(capsys, "diff", "old.yaml", "plan.yaml")
    assert code in (1, 2) and f"tệp quá lớn: {size} byte, vượt giới hạn 20000 byte" in file_err, file_err


@needs_git
def test_a_plan_read_from_a_revision_with_plan_is_bounded_too(repo, capsys, monkeypatch):
    """`--plan REV:PATH` reads through the same reader: over the limit, the file's message, exit 2."""
    monkeypatch.setenv("KEHOACH_MAX_BYTES", "20000")
    code, out, err = run(capsys, "status", "--plan", "main:plan.yaml", "--as-of", "2021-07-01")
    assert_user_error(code, err)
    assert code == 2 and "vượt giới hạn 20000 byte" in err, err


@needs_git
@pytest.mark.parametrize("args", [
    pytest.param(["--", "--output=out.txt", "plan.yaml"], id="bare-revision"),
    pytest.param(["--", "--output=out.txt:plan.yaml", "plan.yaml"], id="revision-and-path"),
    pytest.param(["--", "plan.yaml", "--output=out.txt"], id="new-side"),
])
def test_a_revision_that_begins_with_a_dash_is_refused_and_git_writes_nothing(repo, capsys, args):
    """`kehoach diff -- '--output=out.txt' plan.yaml` made git write that file: a revision beginning
    with '-' is refused before git runs, and every git call has `--end-of-options` before the revision."""
    before = sorted(p.name for p in repo.iterdir())
    code, out, err = run(capsys, "diff", *args)
    assert_user_error(code, err)
    assert code == 2 and out == ""
    assert err.splitlines()[0] == "kehoach: '--output=out.txt" + (":plan.yaml" if ":" in args[1] else "") + (
        "' bắt đầu bằng '-': git sẽ đọc nó như một tùy chọn, nên kehoach không dùng nó làm phiên bản"), err
    assert sorted(p.name for p in repo.iterdir()) == before, "git wrote a file"


@needs_git
def test_a_plan_option_revision_that_begins_with_a_dash_is_refused(repo, capsys):
    before = sorted(p.name for p in repo.iterdir())
    code, _, err = run(capsys, "status", "--plan", "--output=out.txt:plan.yaml", "--as-of", "2021-07-01")
    assert_user_error(code, err)
    assert sorted(p.name for p in repo.iterdir()) == before, "git wrote a file"


@needs_git
def test_every_git_call_passes_end_of_options_before_the_revision(repo, capsys, monkeypatch):
    calls: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen
    monkeypatch.setattr(subprocess, "run", lambda argv, *a, **k: calls.append(list(argv)) or real_run(argv, *a, **k))
    monkeypatch.setattr(subprocess, "Popen",
                        lambda argv, *a, **k: calls.append(list(argv)) or real_popen(argv, *a, **k))
    code, out, err = run(capsys, "diff", "HEAD~1", "HEAD:plan.yaml")
    assert code == 0, err
    git_calls = [argv for argv in calls if argv and argv[0] == "git"]
    assert git_calls
    for argv in git_calls:
        assert "--end-of-options" in argv and argv.index("--end-of-options") == len(argv) - 2, argv


def _without_settings(argv: list[str]) -> list[str]:
    """A git command line without its `-c name=value` settings (those that turn the repository's
    command-running settings off)."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] == "-c":
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def test_the_amendment_appendix_never_lists_the_progress_logged(diff):
    """The signed plan against the file in use: 23 rows "Sửa đổi | tiến độ: thêm 7 mục" made the
    appendix the two Bans sign list reports of progress as amendments of their plan. Only what the
    plan says is listed; the progress logged is counted in a sentence under it."""
    old = PLAN_WITH_PROGRESS
    new = edit(progress_plan(PROGRESS_OLD + "      - {date: 2021-06-30, percent: 60, note: Đã trao đổi quý II}\n"),
               ("    references: [ct-16, ctr-26]\n", "    references: [ct-16]\n"))
    code, out, _ = diff(new, "-f", "markdown", old=old)
    assert code == 0
    rows = [x for x in out.splitlines() if x.startswith("| 1 |") or x.startswith("| 2 |")]
    assert rows == ["| 1 | II.9 | Sửa đổi | văn bản liên quan: bỏ 26-CTr/BDVTU-BCSĐUBND |"], rows
    assert "Tiến độ thực hiện đã ghi (1 mục) không phải nội dung sửa đổi" in out
    code, text_out, _ = diff(new, old=old)  # the text form still lists the progress added
    assert "Đã trao đổi quý II" in text_out


def test_a_task_taken_out_and_those_after_it_moved_up_are_renumbered(diff):
    """IV.3.f deleted, IV.3.g and IV.3.h renumbered IV.3.f and IV.3.g, as an office amends a plan:
    the appendix said IV.3.f and IV.3.g were rewritten and IV.3.h — the budget task, still in the
    plan — abolished, and warned of progress nobody had edited."""
    text = PLAN_TEXT
    start, end = text.index("      - id: IV.3.f\n"), text.index("      - id: IV.3.g\n")
    new = text[:start] + text[end:]
    new = new.replace("      - id: IV.3.g\n", "      - id: IV.3.f\n")
    new = new.replace("      - id: IV.3.h\n", "      - id: IV.3.g\n")
    code, out, _ = diff(new, "-f", "markdown")
    assert code == 0
    rows = [x for x in out.splitlines() if x.startswith("| ") and x[2:3].isdigit()]
    assert [x.split(" | ")[1:3] for x in rows] == [["IV.3.f", "Đổi mã"], ["IV.3.f", "Bãi bỏ"], ["IV.3.g", "Đổi mã"]]
    assert "đổi mã IV.3.h thành IV.3.g, nội dung giữ nguyên: Dự toán" in rows[2]
    assert "Cảnh báo" not in out


def test_the_appendix_names_topics_meetings_and_times_in_words(diff):
    """"chuyên đề: bỏ dan-chu-co-so", "hn-tong-ket-nam | … thời gian: 2021-12 → 2021-11", and
    support bodies whose names hold commas listed with commas: codes and raw months in the
    document the two bodies sign."""
    new = edit(PLAN_TEXT, ("    support: [ubnd-tinh, so-noi-vu, so-tai-chinh]\n", "    support: [cac-so-nganh]\n"),
               ("    when: 2021-12\n", "    when: 2021-11\n"))
    code, out, _ = diff(new, "-f", "markdown")
    assert code == 0
    assert "hn-tong-ket-nam" not in out and "2021-12" not in out
    assert "thời gian: tháng 12/2021 → tháng 11/2021" in out
    assert "thêm Các sở, ban, ngành tỉnh; bỏ Ủy ban nhân dân tỉnh Quảng Ngãi; Sở Nội vụ; Sở Tài chính" in out \
        or "thêm Các sở, ban, ngành tỉnh; bỏ Ủy ban nhân dân tỉnh Quảng Ngãi, Sở Nội vụ, Sở Tài chính" in out


# ---------------------------------------------------------------- an event's day; next year's plan

TRIGGER = 'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án"}'


def test_an_events_day_recorded_is_said_with_it_in_every_format(here, capsys):
    """The event IV.3.b waited for happened on 01/9/2021: `diff -f json` stopped with an internal
    error (a date in the JSON), and the words gave the due date without the event's day."""
    old = write(here / "a.yaml", PLAN_TEXT)
    new = write(here / "b.yaml", edit(PLAN_TEXT, (TRIGGER, TRIGGER[:-1] + ", triggered_on: 2021-09-01}")))
    code, out, err = run(capsys, "diff", old, new, "-f", "json")
    assert code == 0 and "Traceback" not in err, err
    change = next(t for t in json.loads(out)["tasks"] if t["id"] == "IV.3.b")
    assert change["fields"][0]["new"]["triggered_on"] == "2021-09-01"
    code, out, _ = run(capsys, "diff", old, new)
    assert "→ 31/12/2021 (sau khi Ban Thường vụ Tỉnh ủy phê duyệt Đề án ngày 01/9/2021)" in out, out


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_next_years_plan_is_compared_not_amended(here, capsys):
    """The 2022 plan made by `init` against 2021's: the appendix said the new plan "sửa đổi, bổ
    sung Kế hoạch số 49…" and warned that progress was deleted (a new plan starts without it), and
    its row of the plan's own fields gave its code, ISO dates and the office's OCR notes."""
    old = write(here / "2021.yaml", SHIPPED)
    log = ("log", "II.9.a", "-p", old, "--body", "bdvtu", "--percent", "100", "--note", "Xong", "--date", "2021-06-01")
    assert run(capsys, *log)[0] == 0
    assert run(capsys, "init", "--year", "2022", "--from", old, "-o", here / "2022.yaml")[0] == 0
    code, out, _ = run(capsys, "diff", old, here / "2022.yaml", "-f", "md")
    assert code == 0, out
    assert "**NHỮNG ĐIỂM KHÁC SO VỚI KẾ HOẠCH SỐ 49-KH/BDVTU-BCSĐUBND NGÀY 14/01/2021**" in out
    assert "sửa đổi, bổ sung" not in out and "Cảnh báo" not in out and "tiến độ" not in out
    assert "| STT | Mã | Loại | Điểm khác |" in out
    row = next(line for line in out.splitlines() if "thông tin kế hoạch: " in line)
    assert "| Khác | thông tin kế hoạch: " in row  # what differs, not "Sửa đổi"; the plan, not its file code
    assert "ngày ban hành: 14/01/2021 → —" in row and "01/01/2021 – 31/12/2021 → 01/01/2022 – 31/12/2022" in row
    assert "dv-2022" not in row and "OCR" not in row and "{" not in row, row
    code, out, _ = run(capsys, "diff", old, here / "2022.yaml")
    # each plan keeps its own progress: none compared, and the totals say so ("xóa 0 mục tiến độ" read
    # as if the year's entries, all cleared, had been kept)
    assert "TIẾN ĐỘ BỊ XÓA" not in out and "mục tiến độ" not in out.splitlines()[-1], out
    assert "tiến độ của mỗi kế hoạch là của riêng nó, không so sánh" in out
    # the values the plan marked uncertain, by their names (a raw mapping of the office's notes was printed)
    assert "giá trị chưa chắc chắn: number, issued, signers → —" in out, out
    # a task of 2021 not in 2022 is "Không còn" in the appendix, not abolished ("Bãi bỏ")
    made = here.joinpath("2022.yaml").read_text(encoding="utf-8")
    gone = edit(made, ("      - id: II.9.a\n", "      - id: II.9.z\n"))
    write(here / "2022b.yaml", gone)
    code, out, _ = run(capsys, "diff", old, here / "2022b.yaml", "-f", "md")
    assert "| II.9.a | Không còn |" in out and "Bãi bỏ" not in out, out


def test_a_phrase_rewritten_around_a_shared_word_is_one_change():
    """The year's theme changed inside a description: it was shown as two fragments cut at the one
    word the two themes share ("dân"), each unreadable; two changes a word or two apart are one."""
    from kehoach.life.diff import changed_words

    old = 'Thực hiện chủ đề năm 2021, trọng tâm là "Đẩy mạnh thực hiện Quy chế dân chủ ở cơ sở". Tiếp tục chú trọng'
    new = 'Thực hiện chủ đề năm 2022, trọng tâm là "Nâng cao hiệu quả công tác dân vận chính quyền". Tiếp tục chú trọng'
    said = changed_words(old, new, "vi")
    assert said is not None
    assert '["Đẩy mạnh thực hiện Quy chế dân chủ ở cơ sở". → "Nâng cao hiệu quả công tác dân vận chính quyền".]' \
        in said, said

