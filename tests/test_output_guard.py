"""One output guard for every command that writes (issue 20, item 3).

Every command that writes a file asks `outputs.documents.refuse_target` for every target before
the first byte is written, and again at the moment of writing: never onto a file the command
reads (the plan, a catalogue, the forms' key, the source, the template just read), also
through a link; never inside `.git`; never through a symbolic link; never onto a device or a
FIFO. Each case: exit 2, a message naming the path, nothing written, the plan byte-identical.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
SOURCE = """KẾ HOẠCH
Thực hiện Chương trình số 18 năm 2022

I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm thực hiện nghiêm túc.

II. NỘI DUNG
1. Sở Nội vụ chủ trì xây dựng kế hoạch, hoàn thành trong tháng 3/2022.
"""


@pytest.fixture
def place(tmp_path) -> Path:
    """tmp_path with the demo plan (plan.yaml), a plan source (nguon.txt) and a file the
    commands do not read (other.txt)."""
    (tmp_path / "plan.yaml").write_bytes(DEMO.read_bytes())
    (tmp_path / "nguon.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "other.txt").write_text("không được ghi đè\n", encoding="utf-8")
    return tmp_path


# Each command that writes one file, with its options; `-o TARGET` is added. PLAN is the plan.
ONE_FILE = {
    "report": ["report", "-p", "PLAN", "--period", "Q2", "-f", "md"],
    "report-docx": ["report", "-p", "PLAN", "--period", "Q2", "-f", "docx"],
    "checklist": ["checklist", "-p", "PLAN", "--as-of", "2021-07-01"],
    "status": ["status", "-p", "PLAN", "--format", "markdown", "--as-of", "2021-07-01"],
    "export": ["export", "-p", "PLAN", "-f", "csv", "--as-of", "2021-07-01"],
    "export-xlsx": ["export", "-p", "PLAN", "-f", "xlsx", "--as-of", "2021-07-01"],
    "calendar": ["calendar", "-p", "PLAN"],
    "diff-docx": ["diff", "PLAN", "PLAN", "-f", "docx"],
    "schema": ["schema"],
    "init": ["init", "-p", "PLAN", "--year", "2022", "--force"],
    "import": ["import", "SOURCE", "--force"],
}


def _args(name: str, place: Path, target: str | Path) -> list[str]:
    swap = {"PLAN": str(place / "plan.yaml"), "SOURCE": str(place / "nguon.txt")}
    return [swap.get(a, a) for a in ONE_FILE[name]] + ["-o", str(target)]


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`: a file's bytes, a link's target, a folder's mark."""
    seen: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            seen[key] = "-> " + os.readlink(path)
        elif path.is_dir():
            seen[key] = "/"
        elif stat.S_ISREG(path.lstat().st_mode):
            seen[key] = path.read_bytes()
        else:
            seen[key] = "special"
    return seen


def _refused(kehoach, args: list[str], place: Path, *words: str) -> str:
    before = _snapshot(place)
    code, _, err = kehoach(*args)
    assert code == 2, (code, err)
    assert "Traceback" not in err and "lỗi nội bộ" not in err
    assert _snapshot(place) == before, "something was written"
    for word in words:
        assert word in err, err
    return err


@pytest.mark.parametrize("name", list(ONE_FILE))
def test_a_link_to_the_plan_as_output_is_refused(name, place, kehoach):
    link = place / ("out.yaml" if name in ("init", "import") else "out.bin")
    link.symlink_to(place / "plan.yaml")
    _refused(kehoach, _args(name, place, link), place, str(link))


@pytest.mark.parametrize("name", list(ONE_FILE))
def test_a_link_to_any_file_as_output_is_refused(name, place, kehoach):
    """A symbolic link is never written through, wherever it points (`-o out` → ~/.bashrc)."""
    link = place / ("out.yaml" if name in ("init", "import") else "out.bin")
    link.symlink_to(place / "other.txt")
    err = _refused(kehoach, _args(name, place, link), place, str(link))
    assert "liên kết" in err


@pytest.mark.parametrize("name", list(ONE_FILE))
def test_output_inside_git_is_refused(name, place, kehoach):
    (place / "repo" / ".git").mkdir(parents=True)
    _refused(kehoach, _args(name, place, place / "repo" / ".git" / "x" / "out.bin"), place, ".git")
    assert not (place / "repo" / ".git" / "x").exists()


@pytest.mark.parametrize("name", list(ONE_FILE))
def test_output_onto_a_device_or_a_fifo_is_refused(name, place, kehoach):
    fifo = place / "out.fifo"
    os.mkfifo(fifo)
    _refused(kehoach, _args(name, place, fifo), place)  # at once: never opened, so never waits
    code, _, err = kehoach(*_args(name, place, "/dev/null"))
    assert code == 2, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("name", ["init", "import"])
def test_a_plan_writer_refuses_the_plan_by_another_name(name, place, kehoach):
    """A hard link to the plan (or the source) is the file read."""
    read = place / ("plan.yaml" if name == "init" else "nguon.txt")
    os.link(read, place / "same.yaml")
    _refused(kehoach, _args(name, place, place / "same.yaml"), place, "same.yaml")


# ---------------------------------------------------------------- commands that write a folder of files

FOLDER = {
    "request": ["request", "-p", "PLAN", "--period", "Q2", "--as-of", "2021-07-01", "--force"],
    "remind": ["remind", "-p", "PLAN", "--as-of", "2021-07-01", "-f", "md"],
    "checklist": ["checklist", "-p", "PLAN", "--as-of", "2021-07-01", "--per-body", "-f", "md"],
}


def _folder_args(name: str, place: Path, folder: Path) -> list[str]:
    return [str(place / "plan.yaml") if a == "PLAN" else a for a in FOLDER[name]] + ["-o", f"{folder}/"]


@pytest.mark.parametrize("name", list(FOLDER))
def test_a_file_of_the_folder_linked_to_the_plan_is_refused(name, place, kehoach):
    """`request --force` with a form name in the output folder that is a symlink to the plan
    overwrote the plan with a workbook: refused, every form before the first is written."""
    out = place / "out"
    code, _, err = kehoach(*_folder_args(name, place, out))
    assert code == 0, err
    made = sorted(p for p in out.iterdir() if p.is_file())
    assert len(made) >= 2
    last = made[-1]
    last.unlink()
    last.symlink_to(place / "plan.yaml")
    before = made[0].read_bytes()
    os.utime(made[0], (0, 0))
    _refused(kehoach, _folder_args(name, place, out), place, last.name)
    assert made[0].read_bytes() == before and made[0].stat().st_mtime == 0, "a form was written before the refusal"


@pytest.mark.parametrize("name", list(FOLDER))
def test_a_folder_inside_git_is_refused(name, place, kehoach):
    """`request -o .git/forms/` wrote inside `.git`; now nothing is made there, not even the folder."""
    (place / ".git").mkdir()
    _refused(kehoach, _folder_args(name, place, place / ".git" / "forms"), place, ".git")
    assert not (place / ".git" / "forms").exists()


def test_request_refuses_a_form_linked_to_the_signing_key(place, kehoach):
    out = place / "out"
    assert kehoach(*_folder_args("request", place, out))[0] == 0
    first = sorted(out.iterdir())[0]
    first.unlink()
    first.symlink_to(place / ".kehoach-key")
    _refused(kehoach, _folder_args("request", place, out), place, first.name)


# ---------------------------------------------------------------- files read besides the plan


def test_import_refuses_to_overwrite_the_catalogue_it_reads(place, kehoach):
    """`import --bodies X -o X --force` overwrote the catalogue read."""
    catalogue = place / "co-quan.yaml"
    catalogue.write_text("bodies:\n  - {id: snv, name: Sở Nội vụ, kind: department}\n", encoding="utf-8")
    _refused(kehoach, ["import", place / "nguon.txt", "--bodies", catalogue, "-o", catalogue, "--force"], place,
             "co-quan.yaml")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_output_onto_the_template_just_read_is_refused(fmt, place, kehoach):
    """`-o` could overwrite the template folder's file just read."""
    folder = place / "mau"
    folder.mkdir()
    template = folder / f"report.{fmt}.j2"
    template.write_text("BÁO CÁO {{ 1 + 1 }}\n", encoding="utf-8")
    err = _refused(kehoach, ["report", "-p", place / "plan.yaml", "--period", "Q2", "-f", fmt,
                             "--templates", folder, "-o", template], place, str(template))
    assert "mẫu" in err
    _refused(kehoach, ["report", "-p", place / "plan.yaml", "--period", "Q2", "-f", fmt,
                       "--templates", folder, "-o", folder / "khac.md"], place)  # nor beside it (an include)


def test_the_guard_still_lets_ordinary_writes_through(place, kehoach):
    """Overwriting a document written before, in a folder reached through a link, is fine."""
    (place / "docs").mkdir()
    (place / "via").symlink_to(place / "docs")
    for _ in range(2):
        code, _, err = kehoach("report", "-p", place / "plan.yaml", "--period", "Q2", "-o", place / "via" / "r.md")
        assert code == 0, err
    assert (place / "docs" / "r.md").is_file() and not (place / "docs" / "r.md").is_symlink()


# ---------------------------------------------------------------- export of a plan with a control character


def test_export_xlsx_with_a_control_character_in_the_title(place, kehoach):
    """`export -f xlsx` exited 3 on a control character in the plan title (`check` only warns)."""
    import zipfile

    text = DEMO.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n  title: ")
    assert sep
    _, _, after = rest.partition("\n")
    (place / "plan.yaml").write_text(head + '\n  title: "Kế hoạch\\x01 năm\\x1b[2J 2021"\n' + after, encoding="utf-8")
    code, _, err = kehoach("export", "-p", place / "plan.yaml", "-f", "xlsx", "-o", place / "x.xlsx")
    assert code == 0, err
    with zipfile.ZipFile(place / "x.xlsx") as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert "Kế hoạch năm[2J 2021" in core
    assert "\x01" not in core and "\x1b" not in core


@pytest.mark.parametrize("name", ["report", "checklist", "status", "export", "export-xlsx", "calendar", "diff-docx"])
def test_every_command_writes_into_a_folder_given_as_output(name, place, kehoach):
    """The help says `-o` takes a file or a folder: `status`, `export`, `calendar` and `diff`
    refused a folder ("this is not a regular file"); each writes its own file in it, named after the
    plan, as the documents are."""
    (place / "out").mkdir()
    code, _, err = kehoach(*_args(name, place, place / "out"))
    assert code == 0, err
    [written] = list((place / "out").iterdir())
    assert written.name.startswith("dv-demo-2021-") and f"Đã ghi {written}" in err, err


def test_a_folder_named_with_a_final_slash_is_made_and_a_roll_up_status_written_in_it(place, kehoach):
    """`-o out/` names a folder that is not there yet: made, as the documents' folders are (status,
    export, calendar and diff said "the folder does not exist"); a roll-up status too (it refused
    any folder)."""
    plan = place / "plan.yaml"
    for args in (["status", "-p", plan], ["export", "-f", "csv", "-p", plan], ["calendar", "-p", plan],
                 ["diff", plan, plan], ["status", plan, ROOT / "plans" / "2021.yaml", "--as-of", "2021-07-01"]):
        code, _, err = kehoach(*args, "-o", str(place / "new" / "out") + "/")
        assert code == 0, (args, err)
    names = sorted(p.name for p in (place / "new" / "out").iterdir())
    assert len(names) == 5 and all(n.startswith("dv-demo-2021-") for n in names), names
    assert any("tong-hop-tinh-hinh-2021-07-01" in n for n in names)

