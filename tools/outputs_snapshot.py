"""Everything a user sees from the shipped plans, written to one folder to compare two versions.

    python tools/outputs_snapshot.py OUT      # then: diff -r OUT-before OUT-after

Each command of the README runs on copies of `plans/2021.yaml` and `examples/demo.yaml` at fixed
dates; its exit code, screen output and files are kept. Word and Excel files are kept as the text
of their parts (their zip dates and the workbook's save time left out), so the comparison reads
what a user reads. Used before and after a restructuring that must change nothing a user sees.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO, PLAN = ROOT / "examples" / "demo.yaml", ROOT / "plans" / "2021.yaml"
SOURCE = ROOT / "tests" / "data" / "source-2021-ocr.txt"

RUNS: list[tuple[str, list[str]]] = [
    ("check-2021", ["check", "2021.yaml"]),
    ("check-demo-json", ["check", "demo.yaml", "--format", "json"]),
    ("check-broken", ["check", "broken.yaml"]),
    ("check-broken-en-github", ["check", "broken.yaml", "--lang", "en", "--format", "github"]),
    ("schema", ["schema"]),
    ("schema-md-en", ["schema", "--markdown", "--lang", "en"]),
    ("status-2021", ["status", "-p", "2021.yaml", "--as-of", "2021-07-01"]),
    ("status-2021-json", ["status", "-p", "2021.yaml", "--as-of", "2021-07-01", "-f", "json"]),
    ("status-demo-body", ["status", "-p", "demo.yaml", "--as-of", "2021-10-05", "--by", "body"]),
    ("status-demo-md-en", ["status", "-p", "demo.yaml", "--as-of", "2021-10-05", "-f", "markdown", "--lang", "en"]),
    ("status-rollup", ["status", "2021.yaml", "demo.yaml", "--as-of", "2021-10-05"]),
    ("report-demo-q2", ["report", "-p", "demo.yaml", "--period", "Q2", "--format", "md,html,docx", "-o", "out/"]),
    ("report-demo-y-en", ["report", "-p", "demo.yaml", "--period", "Y", "--format", "md,json", "--lang", "en",
                          "-o", "out-en/"]),
    ("report-2021-q3", ["report", "-p", "2021.yaml", "--period", "Q3", "--format", "md", "-o", "q3.md"]),
    ("report-rollup", ["report", "2021.yaml", "demo.yaml", "--period", "H1", "--format", "md", "-o", "ru.md"]),
    ("checklist-body", ["checklist", "-p", "demo.yaml", "--body", "so noi vu", "--format", "md,docx", "-o", "cl/"]),
    ("checklist-per-body", ["checklist", "-p", "demo.yaml", "--per-body", "--format", "md", "-o", "clb/"]),
    ("calendar", ["calendar", "-p", "demo.yaml", "-o", "plan.ics"]),
    ("export-csv", ["export", "-p", "demo.yaml", "--as-of", "2021-10-05", "-o", "theo-doi.csv"]),
    ("export-xlsx", ["export", "-p", "demo.yaml", "--as-of", "2021-10-05", "-o", "theo-doi.xlsx"]),
    ("remind", ["remind", "-p", "demo.yaml", "--as-of", "2021-10-05", "-o", "don-doc/"]),
    ("request", ["request", "-p", "demo.yaml", "--period", "Q3", "--as-of", "2021-09-20", "-o", "phieu/"]),
    ("log", ["log", "II.2.a", "-p", "log.yaml", "--body", "bdvtu", "--date", "2021-12-20", "--note", "Thêm 2 mô hình"]),
    ("log-refused", ["log", "II.2.a", "-p", "log.yaml", "--percent", "150"]),
    ("diff", ["diff", "demo.yaml", "log.yaml", "-f", "markdown"]),
    ("init", ["init", "--year", "2022", "-p", "demo.yaml", "-o", "2022.yaml"]),
    ("import", ["import", "source.txt", "-o", "nhap.yaml"]),
    ("usage-error", ["report", "-p", "demo.yaml", "--period", "Q5"]),
]

BROKEN = """plan:
  id: x
  title: "Kế hoạch"
  period: {start: 2021-13-01, end: 2021-12-31}
tasks:
  - id: A
    title: Việc
    lead: [khong-co]
    deadline: "ngày 31/02/2021"
"""


def _zip_text(path: Path) -> str:
    """The parts of a Word or Excel file as text, without the save time and zip dates."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name == "docProps/core.xml":
                continue
            data = z.read(name)
            try:
                out.append(f"== {name}\n{data.decode('utf-8')}")
            except UnicodeDecodeError:
                out.append(f"== {name} ({len(data)} bytes)")
    return "\n".join(out)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, src in (("demo.yaml", DEMO), ("2021.yaml", PLAN), ("log.yaml", DEMO), ("source.txt", SOURCE)):
            shutil.copy(src, work / name)
        (work / "broken.yaml").write_text(BROKEN, encoding="utf-8")
        key = work / ".kehoach-key"
        key.write_text("00" * 32 + "\n", encoding="ascii")
        for name, args in RUNS:
            proc = subprocess.run([sys.executable, "-m", "kehoach", *args], cwd=work, capture_output=True,
                                  text=True, env={"PATH": "/usr/bin:/bin", "HOME": tmp, "NO_COLOR": "1",
                                                  "COLUMNS": "160", "KEHOACH_NO_CACHE": "1"})
            text = proc.stdout + "\n--- stderr\n" + proc.stderr
            (out / f"{name}.txt").write_text(f"exit {proc.returncode}\n{text.replace(tmp, '<tmp>')}", encoding="utf-8")
        for path in sorted(work.rglob("*")):
            if not path.is_file() or path.name.startswith(".") or path.name in ("source.txt", "broken.yaml"):
                continue
            rel = path.relative_to(work).as_posix().replace("/", "__")
            if path.suffix in (".docx", ".xlsx"):
                (out / f"file-{rel}.txt").write_text(_zip_text(path), encoding="utf-8")
            else:
                (out / f"file-{rel}").write_bytes(path.read_bytes().replace(tmp.encode(), b"<tmp>"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
