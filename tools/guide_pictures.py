"""The pictures of docs/huong-dan.md and the README, rendered from the shipped demo plan.

    python tools/guide_pictures.py            # writes docs/huong-dan/*.png, docs/report-demo-q2.png
                                              # and docs/huong-dan/pictures.json

Each picture is the first page of a document kehoach makes from `examples/demo.yaml` at fixed
dates (Word and Excel through LibreOffice and pdftoppm, the HTML report through headless
Chromium). `pictures.json` keeps, for each picture, a fingerprint of the document it shows;
tests/test_guide.py makes the documents again and fails when one no longer matches: the picture
is older than the output it shows, run this script again and look at the pictures before
committing them. A return form shows its second page (the form, after the guide).
Needs LibreOffice, poppler-utils and Chromium (Debian: apt-get install libreoffice-writer-nogui
libreoffice-calc-nogui poppler-utils chromium).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FOLDER = DOCS / "huong-dan"
MANIFEST = FOLDER / "pictures.json"

# picture → (the command that makes its document, run beside a copy of the demo plan; the document)
PICTURES: dict[str, tuple[list[str], str]] = {
    "huong-dan/bao-cao.png": (
        ["report", "-p", "demo.yaml", "--period", "Q2", "--format", "docx", "-o", "bao-cao.docx"], "bao-cao.docx"),
    "huong-dan/cong-van-don-doc.png": (
        ["remind", "-p", "demo.yaml", "--as-of", "2021-07-06", "--body", "thanh-tra-tinh", "--format", "docx",
         "-o", "don-doc/"], "don-doc/*.docx"),
    "huong-dan/bang-phan-cong.png": (
        ["checklist", "-p", "demo.yaml", "--body", "so-noi-vu", "--as-of", "2021-07-01", "--format", "docx",
         "-o", "bang-phan-cong.docx"], "bang-phan-cong.docx"),
    "huong-dan/phieu.png": (
        ["request", "-p", "demo.yaml", "--period", "Q3", "--as-of", "2021-09-20", "--body", "so-noi-vu",
         "-o", "phieu/"], "phieu/*.xlsx"),
    "report-demo-q2.png": (
        ["report", "-p", "demo.yaml", "--period", "Q2", "--format", "html", "-o", "bao-cao.html"], "bao-cao.html"),
}
KEY = "00" * 32 + "\n"  # the forms' signing key of the pictures: a fixed one, so that the form is the same


def make_documents(folder: Path) -> dict[str, Path]:
    """Each picture's document, made in `folder` from a copy of the demo plan."""
    shutil.copy(ROOT / "examples" / "demo.yaml", folder / "demo.yaml")
    (folder / ".kehoach-key").write_text(KEY, encoding="ascii")
    out = {}
    for name, (args, made) in PICTURES.items():
        subprocess.run([sys.executable, "-m", "kehoach", *args], cwd=folder, check=True, capture_output=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(folder), "KEHOACH_NO_CACHE": "1"})
        found = sorted(folder.glob(made))
        if not found:
            raise SystemExit(f"{name}: `kehoach {' '.join(args)}` made no {made}")
        out[name] = found[0]
    return out


def fingerprint(path: Path) -> str:
    """What a reader sees of a document: its parts (a Word or Excel file's, without the time it
    was saved), or its bytes."""
    digest = hashlib.sha256()
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            for member in sorted(z.namelist()):
                if member != "docProps/core.xml":
                    digest.update(member.encode() + b"\0" + z.read(member))
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _first_page(document: Path, picture: Path, tmp: Path) -> None:
    if document.suffix == ".html":
        exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if exe is None:
            raise SystemExit("Chromium not found (apt-get install chromium)")
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp / 'profile'}", "--hide-scrollbars", "--window-size=1000,1500",
             f"--screenshot={picture}", document.as_uri()],
            check=True, capture_output=True)
        return
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or shutil.which("pdftoppm") is None:
        raise SystemExit("LibreOffice or pdftoppm not found (apt-get install libreoffice-writer-nogui "
                         "libreoffice-calc-nogui poppler-utils)")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(document)], check=True, capture_output=True, timeout=240)
    pdf = tmp / f"{document.stem}.pdf"
    page = "2" if document.suffix == ".xlsx" else "1"  # a form's first page is its guide: show the form
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", page, "-l", page, "-singlefile", str(pdf),
                    str(picture.with_suffix(""))], check=True)


def main() -> int:
    FOLDER.mkdir(exist_ok=True)
    manifest = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, document in make_documents(work).items():
            picture = DOCS / name
            _first_page(document, picture, work)
            manifest[name] = {"command": "kehoach " + " ".join(PICTURES[name][0]),
                              "fingerprint": fingerprint(document)}
            print(f"→ {picture.relative_to(ROOT)}", file=sys.stderr)
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
