"""Valid plans of any size, for the benchmarks and the roll-up tests.

    python benchmarks/generate.py plan --tasks 10000 -o big.yaml
    python benchmarks/generate.py folder --plans 200 --tasks 100 -o plans/

A plan is shaped like a provincial coordination plan: sections, objectives,
references, parent tasks with subtasks, realistic Vietnamese titles and notes,
every deadline form (a date, a month, a quarter, a half, nine months, a year, a
range, continuous work in words and as a mapping, recurring duties with and
without their periods and days after, events with and without their date),
meetings, and several progress entries per task (in order, percents never
falling; a recurring duty's by occurrence). The bodies come from a shared body
catalogue (`bodies_from`) when a folder is made, or are written in the plan.
Everything is drawn from a seeded generator: the same arguments give the same
bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2021
DISTRICTS = ["Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Nghĩa Hành", "Mộ Đức", "Đức Phổ", "Ba Tơ", "Minh Long",
             "Sơn Hà", "Sơn Tây", "Trà Bồng", "Lý Sơn", "thành phố Quảng Ngãi"]
DEPARTMENTS = [("so-noi-vu", "Sở Nội vụ", "SNV"), ("so-tai-chinh", "Sở Tài chính", "STC"),
               ("so-tnmt", "Sở Tài nguyên và Môi trường", "Sở TN&MT"), ("so-tu-phap", "Sở Tư pháp", "STP"),
               ("so-gddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"), ("so-yte", "Sở Y tế", "SYT"),
               ("thanh-tra-tinh", "Thanh tra tỉnh", "TTr tỉnh"), ("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội",
                                                                 "Sở LĐ-TB&XH")]
VERBS = ["Tổ chức", "Triển khai", "Hướng dẫn", "Kiểm tra, giám sát", "Sơ kết", "Tổng kết", "Tuyên truyền",
         "Rà soát", "Xây dựng", "Đôn đốc thực hiện"]
SUBJECTS = ["Quy chế dân chủ ở cơ sở", "mô hình \"Dân vận khéo\"", "công tác tiếp công dân",
            "giải quyết khiếu nại, tố cáo", "cải cách hành chính", "công tác dân vận chính quyền",
            "đối thoại trực tiếp với Nhân dân", "giải phóng mặt bằng các dự án trọng điểm",
            "Kết luận số 120-KL/TW của Bộ Chính trị", "Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ"]
NOTES = ["Đã ban hành kế hoạch triển khai đến các cơ quan, đơn vị", "Đã tổ chức hội nghị quán triệt cho {n} cán bộ",
         "Hoàn thành khảo sát tại {n} xã, phường", "Đang tổng hợp ý kiến góp ý của các sở, ngành",
         "Đã kiểm tra {n} đơn vị; kiến nghị khắc phục các tồn tại", "Công nhận {n} mô hình tiêu biểu",
         "Giải quyết dứt điểm {n} vụ việc tồn đọng", "Tiếp {n} lượt công dân; đối thoại trực tiếp 2 cuộc"]
DIFFICULTIES = ["Kinh phí bố trí chưa kịp thời", "Một số địa phương báo cáo chậm",
                "Hồ sơ đất đai qua nhiều thời kỳ, khó xác minh"]
PROPOSALS = ["Đề nghị UBND tỉnh bổ sung kinh phí", "Đề nghị các sở, ngành phối hợp chặt chẽ hơn"]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def catalogue_text() -> str:
    """A body catalogue: the province's party and state bodies, departments, districts and groups."""
    lines = ["# Danh mục cơ quan dùng chung (tạo bởi benchmarks/generate.py)", "bodies:",
             "  - {id: bdvtu, name: Ban Dân vận Tỉnh ủy, short: BDVTU, kind: party}",
             "  - {id: bcsd-ubnd, name: Ban Cán sự đảng UBND tỉnh, short: BCSĐ UBND tỉnh, kind: party}",
             "  - {id: ubnd-tinh, name: Ủy ban nhân dân tỉnh, short: UBND tỉnh, kind: state}",
             "  - {id: mttq-tinh, name: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, short: UBMTTQVN tỉnh, kind: mass}"]
    for ident, name, short in DEPARTMENTS:
        lines.append(f"  - {{id: {ident}, name: {_q(name)}, short: {_q(short)}, kind: state, parent: ubnd-tinh}}")
    for i, name in enumerate(DISTRICTS):
        lines.append(f"  - {{id: ubnd-h{i:02d}, name: {_q('UBND ' + name)}, kind: state}}")
    members = ", ".join(d[0] for d in DEPARTMENTS)
    lines.append(f"  - {{id: cac-so-nganh, name: {_q('Các sở, ban, ngành tỉnh')}, kind: group, members: [{members}]}}")
    districts = ", ".join(f"ubnd-h{i:02d}" for i in range(len(DISTRICTS)))
    lines.append(f"  - {{id: cac-huyen, name: {_q('UBND các huyện, thị xã, thành phố')}, kind: group, "
                 f"members: [{districts}]}}")
    return "\n".join(lines) + "\n"


def body_ids() -> list[str]:
    return (["bdvtu", "bcsd-ubnd", "ubnd-tinh", "mttq-tinh"] + [d[0] for d in DEPARTMENTS]
            + [f"ubnd-h{i:02d}" for i in range(len(DISTRICTS))] + ["cac-so-nganh", "cac-huyen"])


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


HOLIDAYS = {(1, 1), (4, 21), (4, 30), (5, 1), (5, 3), (9, 2), (9, 3)}


def _working_day(rng: random.Random, month: int) -> dt.date:
    """A working day of the month (no weekend, no public holiday, not in the Tết break)."""
    while True:
        day = dt.date(YEAR, month, rng.randrange(1, 29))
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS and not (month == 2 and 9 <= day.day <= 17):
            return day


def _deadline(rng: random.Random, k: int) -> tuple[str, dt.date | None, str]:
    """(the deadline as YAML, its due date or None, its kind): every form in turn, each due on a
    working day when it names one."""
    month = rng.randrange(1, 13)
    trigger = _working_day(rng, rng.randrange(3, 9))
    due = trigger + dt.timedelta(days=14)
    while due.weekday() >= 5 or (due.month, due.day) in HOLIDAYS:
        trigger, due = trigger + dt.timedelta(days=1), due + dt.timedelta(days=1)
    forms = [
        (_working_day(rng, month).isoformat(), "date"),
        (f"{YEAR}-{month:02d}", "month"),
        (f"'{YEAR}-Q{rng.randrange(1, 5)}'", "quarter"),
        (f"{YEAR}-H{rng.randrange(1, 3)}", "half"),
        (f"{YEAR}-9M", "nine"),
        (f"'{YEAR}'", "year"),
        (f"{YEAR}-03..{YEAR}-0{rng.randrange(4, 10)}", "range"),
        ("thường xuyên", "continuous"),
        ("{continuous: true, review: quarter}", "continuous"),
        ("{every: quarter}", "recurring"),
        ("{every: half, periods: [H1]}", "recurring"),
        ("{every: month}", "recurring"),
        ("{every: half, periods: [H1], days_after: 15}", "recurring"),
        ("{after: Ban Thường vụ Tỉnh ủy phê duyệt, within_days: 10}", "triggered"),
        (f"{{after: UBND tỉnh ban hành quy chế, within_days: 14, triggered_on: {trigger.isoformat()}}}", "triggered"),
    ]
    text, kind = forms[k % len(forms)]
    return text, None, kind


def _occurrences(deadline: str) -> list[str]:
    if "quarter" in deadline:
        return [f"{YEAR}-Q{q}" for q in range(1, 5)]
    if "half" in deadline:
        return [f"{YEAR}-H1"]
    return [f"{YEAR}-M{m:02d}" for m in range(1, 13)]



def _progress(rng: random.Random, kind: str, deadline: str, entries: int, pad: str) -> list[str]:
    lines = [f"{pad}progress:"]
    if kind == "recurring":
        for code in _occurrences(deadline)[:entries]:
            day = _occurrence_day(code)
            note = rng.choice(NOTES).format(n=rng.randrange(2, 60))
            lines.append(f"{pad}  - {{date: {day.isoformat()}, percent: 100, note: {_q(note)}, occurrence: {code}}}")
        return lines
    days = sorted(_day(rng, dt.date(YEAR, 1, 10), dt.date(YEAR, 12, 10)) for _ in range(entries))
    if kind == "triggered" and "triggered_on" in deadline:
        days = sorted(_day(rng, dt.date(YEAR, 9, 1), dt.date(YEAR, 12, 10)) for _ in range(entries))
    percent = 0
    for i, day in enumerate(days):
        percent = min(100, percent + rng.randrange(10, 40))
        if kind == "continuous":
            percent = min(percent, 90)
        note = rng.choice(NOTES).format(n=rng.randrange(2, 60))
        extra = ""
        if i == len(days) - 1 and rng.random() < 0.2:
            extra = f", by: {_q('Nguyễn Văn ' + rng.choice(['An', 'Bình', 'Cường', 'Dũng']))}"
        lines.append(f"{pad}  - {{date: {day.isoformat()}, percent: {percent}, note: {_q(note)}{extra}}}")
    if rng.random() < 0.3:
        lines.append(f"{pad}  - {{date: {days[-1].isoformat()}, percent: {percent}, note: "
                     f"{_q(rng.choice(DIFFICULTIES))}, kind: difficulty}}")
    return lines


def _occurrence_day(code: str) -> dt.date:
    """A day inside the occurrence's period, before its end."""
    key = code.split("-")[1]
    if key.startswith("Q"):
        return dt.date(YEAR, 3 * int(key[1]), 10)
    if key.startswith("H"):
        return dt.date(YEAR, 6 * int(key[1]), 10)
    return dt.date(YEAR, int(key[1:]), 10)


def shipped_descriptions() -> list[str]:
    """The descriptions of the tasks of plans/2021.yaml, in the plan's order, each on one line."""
    from ruamel.yaml import YAML

    found: list[str] = []

    def walk(tasks: list[dict]) -> None:
        for task in tasks:
            if task.get("description"):
                found.append(" ".join(str(task["description"]).split()))
            walk(task.get("subtasks") or [])

    walk(YAML(typ="safe").load((ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8"))["tasks"])
    return found


def _description(text: str, pad: str) -> list[str]:
    """A folded `description:` of `text`, wrapped at 78 columns, as a person writes one."""
    lines, line = [f"{pad}description: >-"], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > 78:
            lines.append(f"{pad}  {line}")
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [f"{pad}  {line}"]


def plan_text(n_tasks: int, seed: int = 1, plan_id: str = "gen", catalogue: str | None = None,
              descriptions: bool = False) -> str:
    """A valid plan of about `n_tasks` tasks (each parent holds three subtasks). With `descriptions`,
    every task carries a full description of plans/2021.yaml (taken in turn): the same tasks as
    without, about 2.4 times the bytes (the heavier plan of docs/performance.md)."""
    rng = random.Random(seed)
    texts = shipped_descriptions() if descriptions else []
    described = 0

    def describe(pad: str) -> list[str]:
        nonlocal described
        if not texts:
            return []
        described += 1
        return _description(texts[(described - 1) % len(texts)], pad)

    ids = body_ids()
    leads = ["bdvtu", "bcsd-ubnd", "cac-so-nganh", "cac-huyen"] + [d[0] for d in DEPARTMENTS]
    lines = [
        "# yaml-language-server: $schema=../schema/plan.schema.json",
        "plan:",
        f"  id: {plan_id}",
        f"  number: {rng.randrange(1, 99):02d}-KH/BDVTU-BCSĐUBND",
        f"  title: {_q(f'Phối hợp thực hiện công tác dân vận năm {YEAR} ({plan_id})')}",
        f"  issued: {YEAR}-01-{rng.randrange(4, 20):02d}",
        "  place: Quảng Ngãi",
        "  issuers: [bdvtu, bcsd-ubnd]",
        f"  period: {{start: {YEAR}-01-01, end: {YEAR}-12-31}}",
        "sections:",
        "  - {id: II, title: Nội dung phối hợp}",
        "  - {id: IV, title: Tổ chức thực hiện}",
    ]
    if catalogue is not None:
        lines += [f"bodies_from: {catalogue}", "bodies:",
                  f"  - {{id: to-cong-tac-{plan_id}, name: {_q('Tổ công tác ' + plan_id)}, kind: state}}"]
    else:
        lines += catalogue_text().splitlines()[1:]
    lines += ["references:",
              "  - {id: kl-120, number: 120-KL/TW, date: 2016-01-07, issuer: Bộ Chính trị, "
              f"title: {_q('Xây dựng và thực hiện Quy chế dân chủ ở cơ sở')}, kind: Kết luận}}",
              "objectives:",
              f"  - {{id: I.1, text: {_q('Tăng cường công tác lãnh đạo, chỉ đạo thực hiện các mục tiêu năm')}}}",
              f"  - {{id: I.2, text: {_q('Kịp thời nắm chắc tình hình, tâm trạng Nhân dân')}}}",
              "tasks:"]
    parents = max(1, n_tasks // 4)
    k = 0
    for p in range(parents):
        section = "II" if p % 5 else "IV"
        title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} ({p + 1})"
        lines += [f"  - id: T{p + 1}", f"    title: {_q(title)}", *describe("    "), f"    section: {section}",
                  f"    lead: [{rng.choice(leads)}]", f"    objectives: [I.{1 + p % 2}]", "    subtasks:"]
        for s in range(3):
            deadline, _, kind = _deadline(rng, k)
            k += 1
            sub_title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}"
            support = rng.sample([i for i in ids if i not in ("bdvtu", "bcsd-ubnd")], 2)
            lines += [f"      - id: T{p + 1}.{s + 1}", f"        title: {_q(sub_title)}", *describe("        "),
                      f"        lead: [{rng.choice(leads)}]", f"        support: [{', '.join(support)}]",
                      f"        deadline: {deadline}"]
            if rng.random() < 0.3:
                lines.append(f"        deliverables: [{_q('Báo cáo kết quả ' + sub_title[:40])}]")
            entries = rng.randrange(0, 4)
            if entries:
                lines += _progress(rng, kind, deadline, entries, "        ")
    lines += ["meetings:",
              f"  - {{id: hn-6-thang, name: Hội nghị sơ kết 6 tháng, when: {YEAR}-H1}}",
              f"  - {{id: hn-cuoi-nam, name: Hội nghị tổng kết năm, when: {YEAR}-12}}",
              "signers:",
              "  - {body: bcsd-ubnd, authority: T/M BAN CÁN SỰ ĐẢNG UBND TỈNH, title: PHÓ BÍ THƯ, name: Võ Phiên}",
              "  - {body: bdvtu, authority: BAN DÂN VẬN TỈNH ỦY, title: TRƯỞNG BAN, name: Võ Thanh An}"]
    return "\n".join(lines) + "\n"


def make_folder(folder: Path, n_plans: int, n_tasks: int, seed: int = 1) -> list[Path]:
    """`n_plans` plans of about `n_tasks` tasks in `folder`, sharing `folder/bodies/tinh.yaml`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bodies").mkdir(exist_ok=True)
    (folder / "bodies" / "tinh.yaml").write_text(catalogue_text(), encoding="utf-8")
    paths = []
    for i in range(n_plans):
        path = folder / f"ke-hoach-{i + 1:03d}.yaml"
        path.write_text(plan_text(n_tasks, seed + i, f"kh-{i + 1:03d}", "bodies/tinh.yaml"), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    one = sub.add_parser("plan", help="one plan")
    one.add_argument("--tasks", type=int, default=1000)
    one.add_argument("--seed", type=int, default=1)
    one.add_argument("--descriptions", action="store_true",
                     help="every task with a full description of plans/2021.yaml")
    one.add_argument("-o", "--output", type=Path, required=True)
    many = sub.add_parser("folder", help="a folder of plans sharing a body catalogue")
    many.add_argument("--plans", type=int, default=20)
    many.add_argument("--tasks", type=int, default=100)
    many.add_argument("--seed", type=int, default=1)
    many.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.what == "plan":
        args.output.write_text(plan_text(args.tasks, args.seed, descriptions=args.descriptions), encoding="utf-8")
    else:
        make_folder(args.output, args.plans, args.tasks, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
