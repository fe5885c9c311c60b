"""Roll-ups across plans: `kehoach status` and `kehoach report` over several plan files or a
folder. Twenty generated plans sharing one body catalogue: the totals are the sums of the plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kehoach.judge.status import compute_status
from kehoach.plan.loader import load_plan
from plans_for_tests import generator

ROOT = Path(__file__).resolve().parent.parent

AS_OF = "2021-07-01"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans")
    generator().make_folder(path, 20, 40, seed=7)
    return path


def test_the_generated_plans_are_valid(folder, kehoach):
    code, out, _ = kehoach("check", *sorted(folder.glob("*.yaml")), folder / "bodies" / "tinh.yaml")
    assert code == 0 and "21 tệp: 0 lỗi, 0 cảnh báo" in out


def test_status_of_a_folder_adds_up_the_plans(folder, kehoach):
    code, out, err = kehoach("status", folder, "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["rollup"] is True and data["summary"]["plans"] == 20
    plans = sorted(folder.glob("*.yaml"))
    assert [p["file"] for p in data["plans"]] == [str(p) for p in plans]  # the catalogue is not a plan
    sums: dict[str, int] = {}
    tops: list[float] = []
    import datetime as dt

    for path, line in zip(plans, data["plans"], strict=True):
        ps = compute_status(load_plan(path).plan, dt.date.fromisoformat(AS_OF))
        assert line["counts"] == ps.counts() and line["completion"] == ps.completion()
        for k, v in ps.counts().items():
            sums[k] = sums.get(k, 0) + v
        tops += ps.top_percents()
    assert data["summary"]["counts"] == sums
    assert data["summary"]["rollup"]["total"] == sum(sums.values())
    assert data["summary"]["completion"] == round(sum(tops) / len(tops))
    # by body: every leaf task counted once for each body it is led by (groups: their members)
    bdvtu = next(b for b in data["bodies"] if b["id"] == "bdvtu")
    led = sum(1 for path in plans for ts in compute_status(load_plan(path).plan, dt.date.fromisoformat(AS_OF)).leaves()
              if "bdvtu" in ts.node.lead)
    in_plans = sum(1 for path in plans
                   if any("bdvtu" in ts.node.lead for ts in compute_status(load_plan(path).plan,
                                                                           dt.date.fromisoformat(AS_OF)).leaves()))
    assert bdvtu["rollup"]["total"] == led and bdvtu["plans"] == in_plans


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_status_table_and_markdown(folder, kehoach):
    code, out, _ = kehoach("status", folder, "--as-of", AS_OF, "-o", "-")
    assert code == 0
    assert out.startswith("Tổng hợp 20 kế hoạch\nTình hình đến ngày 01 tháng 7 năm 2021")
    assert "kh-020" in out and "Theo cơ quan chủ trì" in out
    code, out, _ = kehoach("status", folder, "--as-of", AS_OF, "-f", "markdown")
    assert "# Tổng hợp 20 kế hoạch" in out and "## Theo kế hoạch" in out
    assert out.count("| kh-0") == 20


def test_several_files_and_a_body(folder, kehoach):
    files = sorted(folder.glob("*.yaml"))[:3]
    code, out, _ = kehoach("status", *files, "--as-of", AS_OF, "-f", "json", "--body", "so noi vu")
    data = json.loads(out)
    assert code == 0 and data["summary"]["plans"] == 3
    assert [b["id"] for b in data["bodies"] if b["rollup"]["total"]]  # its tasks only


def test_report_of_a_folder(folder, kehoach, tmp_path):
    code, _, err = kehoach("report", folder, "--period", "Q2", "-f", "md,json", "-o", tmp_path)
    assert code == 0, err
    md = (tmp_path / "kh-001-tong-hop-2021-Q2.md").read_text(encoding="utf-8")
    assert "Báo cáo tổng hợp kết quả thực hiện 20 kế hoạch trong quý II năm 2021" in md
    data = json.loads((tmp_path / "kh-001-tong-hop-2021-Q2.json").read_text(encoding="utf-8"))
    assert data["document"] == "rollup" and len(data["plans"]) == 20 and len(data["sections"]) == 20
    # each plan's table is its own unfinished work
    from kehoach.judge.evaluation import evaluate
    from kehoach.judge.scope import report_span

    first = load_plan(sorted(folder.glob("*.yaml"))[0]).plan
    ev = evaluate(first, report_span(first, "Q2", None, None))
    assert [r["id"] for r in data["sections"][0]["rows"]] == [j.node.id for j in ev.unfinished]
    assert data["plans"][0]["unfinished"] == str(len(ev.unfinished))


def test_a_broken_plan_stops_the_rollup_with_its_problems(folder, kehoach, tmp_path):
    broken = tmp_path / "hong.yaml"
    broken.write_text((folder / "ke-hoach-001.yaml").read_text(encoding="utf-8").replace(
        "bodies_from: bodies/tinh.yaml", "bodies_from: ../khong-co/tinh.yaml"), encoding="utf-8")
    code, _, err = kehoach("status", folder / "ke-hoach-002.yaml", broken, "--as-of", AS_OF)
    assert code == 1 and "không tổng hợp được: 1 tệp có lỗi" in err and "hong.yaml" in err


def test_two_copies_of_one_plan_are_refused(folder, kehoach, tmp_path):
    copy = tmp_path / "ban-sao.yaml"
    copy.write_text((folder / "ke-hoach-001.yaml").read_text(encoding="utf-8").replace(
        "bodies/tinh.yaml", str(folder / "bodies" / "tinh.yaml")), encoding="utf-8")
    code, _, err = kehoach("status", folder / "ke-hoach-001.yaml", copy, "--as-of", AS_OF)
    assert code == 2 and "cùng mã kế hoạch kh-001" in err


def test_a_report_never_overwrites_a_plan_of_the_rollup(folder, kehoach):
    target = folder / "ke-hoach-003.yaml"
    before = target.read_bytes()
    code, _, err = kehoach("report", folder, "--period", "Q2", "-f", "md", "-o", target)
    assert code == 2 and target.read_bytes() == before


def test_a_plan_of_another_year_is_not_reported_as_this_years(folder, kehoach, tmp_path):
    other = tmp_path / "nam-sau.yaml"
    assert kehoach("init", "--year", "2022", "--from", folder / "ke-hoach-001.yaml", "-o", other)[0] == 0
    code, _, err = kehoach("report", folder / "ke-hoach-002.yaml", other, "--period", "Q2", "-f", "md",
                           "-o", tmp_path / "r")
    assert code == 2 and "không có phần nào trong quý II năm 2021" in err
    code, _, err = kehoach("status", folder / "ke-hoach-002.yaml", other, "--as-of", AS_OF, "-f", "json")
    assert code == 0 and "nằm ngoài kỳ của kế hoạch kh-001-2022" in err


def test_the_report_tables_add_up(folder, kehoach, tmp_path):
    code, _, _ = kehoach("report", folder, "--period", "Q2", "-f", "json", "-o", tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    parts = ("done_on_time", "done_late", "unfinished", "continuing", "unreported")
    for row in data["plans"] + [data["total"]]:
        assert int(row["judged"]) == sum(int(row[k]) for k in parts)
    for k in ("judged",) + parts:
        assert int(data["total"][k]) == sum(int(row[k]) for row in data["plans"])
    for row in data["bodies"]:
        assert int(row["judged"]) == sum(int(row[k]) for k in ("done", "unfinished", "continuing", "unreported"))


def test_the_roll_up_counts_continuous_work_as_each_plans_evaluation_does(kehoach, tmp_path):
    """The roll-up of the shipped plan and the demo for Q2 said "Thường xuyên có báo cáo 0 /
    chưa báo cáo 0" for both, while the shipped plan's own Q2 report lists 36 continuous tasks not
    reported for every period (the verdicts had been renamed under it). Each column now counts what
    the plan's own evaluation says, and a lead that did report is not counted as one that did not."""
    from kehoach.base.periods import Span, report_period
    from kehoach.judge.evaluation import evaluate

    shipped, demo = ROOT / "plans" / "2021.yaml", ROOT / "examples" / "demo.yaml"
    code, _, err = kehoach("report", shipped, demo, "--period", "Q2", "-f", "json", "-o", tmp_path / "r.json")
    assert code == 0, err
    # its letterhead and signers are the shipped plan's, which it marks uncertain: said, as for its own report
    assert "chưa chắc chắn (plan.number, plan.issued, signers)" in err
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for row, path in zip(data["plans"], (shipped, demo), strict=True):
        plan = load_plan(path).plan
        ev = evaluate(plan, Span.of(report_period("Q2", 2021, plan.convention)))
        assert (int(row["continuing"]), int(row["unreported"])) == (len(ev.maintained), len(ev.gaps)), row
    assert data["plans"][0]["unreported"] == "36" and int(data["plans"][1]["continuing"]) > 0
    # by lead body: II.1.a, led by both, BDVTU reported on Q2 and BCSĐ did not
    one = tmp_path / "2021.yaml"
    one.write_bytes(shipped.read_bytes())
    assert kehoach("log", "II.1.a", "-p", one, "--body", "bdvtu", "--occurrence", "2021-Q2", "--date", "2021-06-20",
                   "--note", "Đã quán triệt")[0] == 0
    code, _, err = kehoach("report", one, demo, "--period", "Q2", "-f", "json", "-o", tmp_path / "r2.json")
    rows = {r["name"]: r for r in json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))["bodies"]}
    before = {r["name"]: r for r in data["bodies"]}
    bdvtu, bcsd = "Ban Dân vận Tỉnh ủy", "Ban Cán sự đảng Ủy ban nhân dân tỉnh"
    assert int(rows[bdvtu]["continuing"]) == int(before[bdvtu]["continuing"]) + 1
    assert int(rows[bdvtu]["unreported"]) == int(before[bdvtu]["unreported"]) - 1
    assert rows[bcsd]["unreported"] == before[bcsd]["unreported"]
