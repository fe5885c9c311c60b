"""A body catalogue shared by many plans: `bodies_from: ../bodies/quang-ngai.yaml`.

The catalogue's bodies join the plan's own; every problem (a missing file, a
cycle, a body named twice, a mistake inside the catalogue) is reported at its
line in the file where it occurs; `kehoach check` checks a catalogue file too.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from kehoach.cli.app import main
from kehoach.plan import catalogue as bodycatalogue
from kehoach.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN_2021 = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8")

CATALOGUE = textwrap.dedent("""\
    # Danh mục cơ quan dùng chung
    bodies:
      - {id: bdvtu, name: Ban Dân vận Tỉnh ủy, short: BDVTU, kind: party}
      - {id: so-noi-vu, name: Sở Nội vụ, kind: state}
      - {id: mttq-tinh, name: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, kind: mass}
    """)

PLAN = textwrap.dedent("""\
    plan:
      id: kh-huyen
      title: Kế hoạch của huyện
      issuers: [bdvtu]
      period: {start: 2021-01-01, end: 2021-12-31}
    bodies_from: ../bodies/tinh.yaml
    bodies:
      - {id: ubnd-huyen, name: UBND huyện, kind: state}
    tasks:
      - id: t1
        title: Việc một
        lead: [so-noi-vu]
        support: [ubnd-huyen, mttq-tinh]
        deadline: 2021-06-30
    """)


def pos(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.fixture
def tree(tmp_path):
    """plans/huyen.yaml naming bodies/tinh.yaml."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "bodies").mkdir()

    def make(plan: str = PLAN, catalogue: str = CATALOGUE, **more: str) -> Path:
        (tmp_path / "bodies" / "tinh.yaml").write_text(catalogue, encoding="utf-8")
        for name, text in more.items():
            (tmp_path / "bodies" / f"{name}.yaml").write_text(text, encoding="utf-8")
        path = tmp_path / "plans" / "huyen.yaml"
        path.write_text(plan, encoding="utf-8")
        return path

    bodycatalogue._CACHE.clear()
    return make


def check(capsys, *args: object) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", *map(str, args)])
    return code, capsys.readouterr().out


def test_the_catalogues_bodies_join_the_plans_own(tree):
    loaded = load_plan(tree())
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    assert [b.id for b in loaded.plan.bodies] == ["ubnd-huyen", "bdvtu", "so-noi-vu", "mttq-tinh"]
    assert loaded.catalogues == [str(Path(loaded.path).parent.parent / "bodies" / "tinh.yaml")]


def test_status_and_checklist_name_a_catalogue_body(tree, capsys):
    path = tree()
    capsys.readouterr()
    assert main(["status", "-p", str(path), "--as-of", "2021-05-01", "--body", "so noi vu", "-f", "json"]) == 0
    out = capsys.readouterr().out
    assert '"t1"' in out
    assert main(["checklist", "-p", str(path), "--as-of", "2021-05-01", "-f", "md", "-o", "-"]) == 0
    assert "Sở Nội vụ" in capsys.readouterr().out


def test_a_list_of_catalogues(tree):
    plan = PLAN.replace("bodies_from: ../bodies/tinh.yaml", "bodies_from: [../bodies/tinh.yaml, ../bodies/huyen.yaml]")
    huyen = "bodies:\n  - {id: phong-noi-vu, name: Phòng Nội vụ huyện, kind: state}\n"
    plan = plan.replace("lead: [so-noi-vu]", "lead: [phong-noi-vu]")
    loaded = load_plan(tree(plan, huyen=huyen))
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    assert "phong-noi-vu" in [b.id for b in loaded.plan.bodies]


def test_a_catalogue_can_build_on_another(tree):
    tinh = CATALOGUE.replace("bodies:\n", "bodies_from: vung.yaml\nbodies:\n")
    vung = "bodies:\n  - {id: bdvtw, name: Ban Dân vận Trung ương, kind: party}\n"
    plan = PLAN.replace("support: [ubnd-huyen, mttq-tinh]", "support: [bdvtw]")
    loaded = load_plan(tree(plan, tinh, vung=vung))
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    assert [b.id for b in loaded.plan.bodies][-1] == "bdvtw"


def test_missing_catalogue_is_reported_at_the_value_that_names_it(tree, capsys):
    plan = PLAN.replace("../bodies/tinh.yaml", "../bodies/khong-co.yaml")
    path = tree(plan)
    code, out = check(capsys, path)
    assert code == 1
    line, col = pos(plan, "../bodies/khong-co.yaml")
    assert (f"{path}:{line}:{col}: lỗi: không tìm thấy danh mục cơ quan '../bodies/khong-co.yaml'"
            in out)
    # the one mistake: the bodies it would have brought are not each called undefined
    assert out.count("lỗi:") == 1 and "[bodies-from-missing]" in out


def test_a_cycle_is_reported_where_it_closes(tree, capsys):
    tinh = CATALOGUE.replace("bodies:\n", "bodies_from: vung.yaml\nbodies:\n")
    vung = "bodies_from: tinh.yaml\nbodies:\n  - {id: bdvtw, name: Ban Dân vận Trung ương, kind: party}\n"
    path = tree(PLAN, tinh, vung=vung)
    code, out = check(capsys, path)
    assert code == 1
    vung_path = path.parent.parent / "bodies" / "vung.yaml"
    line, col = pos(vung, "tinh.yaml")
    assert f"{vung_path}:{line}:{col}: lỗi: danh mục cơ quan 'tinh.yaml' dẫn vòng trở lại" in out
    assert out.count("[bodies-from-cycle]") == 1


def test_a_plan_body_the_catalogue_has_is_reported_at_the_plan(tree, capsys):
    plan = PLAN.replace("  - {id: ubnd-huyen, name: UBND huyện, kind: state}\n",
                        "  - {id: ubnd-huyen, name: UBND huyện, kind: state}\n"
                        "  - {id: so-noi-vu, name: Sở Nội vụ (trùng), kind: state}\n")
    path = tree(plan)
    code, out = check(capsys, path)
    assert code == 1
    line, col = pos(plan, "so-noi-vu")
    cat_line = pos(CATALOGUE, "so-noi-vu")[0]
    assert f"{path}:{line}:{col}: lỗi: cơ quan 'so-noi-vu' đã có trong danh mục" in out
    assert f"(dòng {cat_line})" in out


def test_mistakes_inside_the_catalogue_are_reported_in_the_catalogue(tree, capsys):
    bad = CATALOGUE.replace("kind: state}", "kind: stat}").replace(
        "  - {id: mttq-tinh", "  - {id: so-noi-vu, name: Trùng mã, kind: state}\n  - {id: mttq-tinh")
    path = tree(PLAN, bad)
    code, out = check(capsys, path)
    assert code == 1
    cat = path.parent.parent / "bodies" / "tinh.yaml"
    line, col = pos(bad, "stat}")
    assert f"{cat}:{line}:{col}: lỗi: 'kind' không nhận giá trị 'stat'; ý bạn là 'state'?" in out
    line, col = pos(bad, "so-noi-vu", 1)
    assert f"{cat}:{line}:{col}: lỗi:" in out and "[duplicate-id]" in out


def test_check_checks_a_catalogue_file_by_itself(tree, capsys):
    path = tree()
    cat = path.parent.parent / "bodies" / "tinh.yaml"
    code, out = check(capsys, cat)
    assert code == 0 and "0 lỗi" in out
    cat.write_text(CATALOGUE.replace("kind: mass}", "kind: mass, parent: khong-co}"), encoding="utf-8")
    bodycatalogue._CACHE.clear()
    code, out = check(capsys, cat)
    assert code == 1 and "chưa khai báo cơ quan 'khong-co'" in out and f"{cat}:" in out


def test_an_undefined_body_suggests_one_of_the_catalogue(tree, capsys):
    plan = PLAN.replace("lead: [so-noi-vu]", "lead: [so-noi-v]")
    code, out = check(capsys, tree(plan))
    assert code == 1 and "ý bạn là 'so-noi-vu'?" in out


def test_a_catalogue_is_not_a_plan(tree, capsys):
    cat = tree().parent.parent / "bodies" / "tinh.yaml"
    capsys.readouterr()
    code = main(["status", "-p", str(cat)])
    err = capsys.readouterr().err
    assert code == 2 and "là danh mục cơ quan, không phải kế hoạch" in err


def test_a_catalogue_is_read_once_for_many_plans(tree, monkeypatch):
    path = tree()
    reads = []
    real = bodycatalogue._read_uncached
    monkeypatch.setattr(bodycatalogue, "_read_uncached", lambda p: reads.append(p) or real(p))
    for i in range(5):
        copy = path.with_name(f"huyen-{i}.yaml")
        copy.write_text(PLAN, encoding="utf-8")
        assert load_plan(copy).ok
    assert len(reads) == 1


def test_a_changed_catalogue_is_read_again(tree):
    path = tree()
    assert load_plan(path).ok
    cat = path.parent.parent / "bodies" / "tinh.yaml"
    cat.write_text(CATALOGUE.replace("  - {id: so-noi-vu, name: Sở Nội vụ, kind: state}\n", ""), encoding="utf-8")
    loaded = load_plan(path)
    assert not loaded.ok
    assert any(d.code == "undefined-id" and d.params["id"] == "so-noi-vu" for d in loaded.diagnostics)


def test_log_writes_into_a_plan_with_a_catalogue(tree, capsys):
    path = tree()
    capsys.readouterr()
    code = main(["log", "t1", "-p", str(path), "--percent", "50", "--note", "Đã họp với Sở Nội vụ",
                 "--date", "2021-04-02"])
    assert code == 0, capsys.readouterr().err
    assert "Đã họp với Sở Nội vụ" in path.read_text(encoding="utf-8")


def test_next_year_in_another_folder_still_finds_the_catalogue(tree, tmp_path):
    from kehoach.life.nextyear import make_next_year

    path = tree(PLAN.replace("../bodies/tinh.yaml", "../bodies/tinh.yaml"))
    target = tmp_path / "nam-sau" / "sau" / "huyen-2022.yaml"
    target.parent.mkdir(parents=True)
    make_next_year(path, 2022, target)
    assert "bodies_from: ../../bodies/tinh.yaml" in target.read_text(encoding="utf-8")
    loaded = load_plan(target)
    assert loaded.plan is not None and loaded.plan.plan.period.start == dt.date(2022, 1, 1)
    assert not [d for d in loaded.diagnostics if d.severity == "error"]


def test_import_matches_against_a_catalogue_file(tree, tmp_path, capsys):
    cat = tree().parent.parent / "bodies" / "tinh.yaml"
    source = tmp_path / "kh.txt"
    source.write_text(textwrap.dedent("""\
        BAN DÂN VẬN TỈNH ỦY
        Số 3-KH/BDVTU
        Quảng Ngãi, ngày 10 tháng 3 năm 2022
        KẾ HOẠCH
        Phối hợp năm 2022
        I. MỤC ĐÍCH, YÊU CẦU
        1. Nâng cao chất lượng.
        II. NỘI DUNG
        1. Sở Nội vụ chủ trì, phối hợp với Ủy ban MTTQ Việt Nam tỉnh rà soát, hoàn thành trong tháng 6/2022.
        """), encoding="utf-8")
    capsys.readouterr()
    code = main(["import", str(source), "-o", str(tmp_path / "kh.yaml"), "--bodies", str(cat)])
    assert code == 0, capsys.readouterr().err
    draft = (tmp_path / "kh.yaml").read_text(encoding="utf-8")
    assert "lead: [so-noi-vu]" in draft and "support: [mttq-tinh]" in draft


def test_the_schema_of_a_catalogue_forbids_unknown_keys():
    from kehoach.plan.schema import json_schema

    schema = json_schema(catalogue=True)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"bodies", "bodies_from"}


def test_the_shipped_plan_split_into_a_catalogue_loads_the_same(tmp_path):
    """plans/2021.yaml with its bodies moved into a catalogue: the same plan."""
    start = PLAN_2021.index("\nbodies:\n") + 1
    end = PLAN_2021.index("\nreferences:\n", start) + 1
    (tmp_path / "bodies.yaml").write_text(PLAN_2021[start:end], encoding="utf-8")
    split = PLAN_2021[:start] + "bodies_from: bodies.yaml\nbodies:\n  - {id: rieng, name: Tổ riêng, kind: state}\n" \
        + PLAN_2021[end:]
    (tmp_path / "2021.yaml").write_text(split, encoding="utf-8")
    bodycatalogue._CACHE.clear()
    whole = load_plan(ROOT / "plans" / "2021.yaml").plan
    loaded = load_plan(tmp_path / "2021.yaml")
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    assert loaded.plan.bodies[1:] == whole.bodies
    assert loaded.plan.tasks == whole.tasks


def test_no_output_ever_replaces_the_catalogue(tree, kehoach):
    path = tree()
    cat = path.parent.parent / "bodies" / "tinh.yaml"
    before = cat.read_bytes()
    for args in (("export", "-p", path, "-f", "csv", "-o", cat),
                 ("status", "-p", path, "--as-of", "2021-05-01", "-f", "json", "-o", cat),
                 ("report", "-p", path, "--period", "Q2", "-f", "md", "-o", cat),
                 ("status", path, path.with_name("copy.yaml"), "-f", "json", "-o", cat)):
        if args[1] == path:  # a roll-up needs a second plan
            path.with_name("copy.yaml").write_text(PLAN.replace("id: kh-huyen", "id: kh-khac"), encoding="utf-8")
        code, _, err = kehoach(*args)
        assert code == 2 and "kế hoạch hoặc danh mục cơ quan" in err, (args, err)
        assert cat.read_bytes() == before


def test_a_plan_file_can_serve_as_the_catalogue(tree, tmp_path):
    path = tree()
    province = tmp_path / "tinh.yaml"
    province.write_text(PLAN_2021, encoding="utf-8")
    path.write_text(PLAN.replace("../bodies/tinh.yaml", str(province)).replace("ubnd-huyen", "ubnd-huyen-x").replace(
        "lead: [so-noi-vu]", "lead: [bdvtu]").replace("support: [ubnd-huyen-x, mttq-tinh]", "support: [ubnd-huyen-x]"),
        encoding="utf-8")
    bodycatalogue._CACHE.clear()
    loaded = load_plan(path)
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    assert "bcsd-ubnd" in [b.id for b in loaded.plan.bodies]


def test_a_catalogue_path_that_is_no_file_and_a_mapping_are_said_in_the_users_words(tmp_path, kehoach):
    """`bodies_from: .` (a folder) or /dev/null was "not found" though it is there; a mapping was
    "'constrained-str' must be text" (pydantic's name of a type, not a key of the plan)."""
    demo = (Path(__file__).resolve().parent.parent / "examples" / "demo.yaml").read_text(encoding="utf-8")
    for value, code, words in ((".", "bodies-from-not-file", "is not a regular file"),
                               ("/dev/null", "bodies-from-not-file", "is not a regular file"),
                               ("{x: 1}", "wrong-type", "'bodies_from' must be text")):
        plan = tmp_path / "p.yaml"
        plan.write_text(demo.replace("\nbodies:\n", f"\nbodies_from: {value}\nbodies:\n", 1), encoding="utf-8")
        code_, out, _ = kehoach("check", plan, "--lang", "en")
        assert code_ == 1 and f"[{code}]" in out and words in out and "constrained" not in out, out
