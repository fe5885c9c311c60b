"""Render the demo plan's Q2 report as HTML and photograph it for the README.

    python tools/readme_screenshot.py          # writes docs/report-demo-q2.png

Needs headless Chromium (Debian: apt-get install chromium). Run it again when the
report's layout changes, and look at the picture before committing it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "report-demo-q2.png"


def main() -> int:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        print("Chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "kehoach", "report", "-p", str(ROOT / "examples" / "demo.yaml"),
             "--period", "Q2", "--format", "html", "-o", str(html)],
            check=True,
        )
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={Path(tmp) / 'profile'}", "--hide-scrollbars", "--window-size=1000,1500",
             f"--screenshot={OUT}", html.as_uri()],
            check=True, capture_output=True,
        )
    print(f"→ {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
