"""Build Cucumber's standalone HTML report from the last serial run's Cucumber Messages.

    ./dev python tools/build_cucumber_report.py   # reports/cucumber/report.html

A second view of the run for people who know Cucumber's reports; the Allure report
(tools/build_report.py) stays the main one. The messages are written by every serial run
(support/evidence/cucumber_messages.py, to reports/cucumber/messages.ndjson); the HTML comes from
the npm package `@cucumber/html-formatter`, pinned in package.json/package-lock.json and installed
into node_modules/ on first use (works offline). The page loads nothing from another site.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from build_report import _EXTERNAL_SCRIPT, ensure_allure  # noqa: E402  (the same npm install)

MESSAGES = ROOT / "reports" / "cucumber" / "messages.ndjson"
REPORT = ROOT / "reports" / "cucumber" / "report.html"
FORMATTER = ROOT / "node_modules" / "@cucumber" / "html-formatter"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tools/build_cucumber_report.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    if not MESSAGES.exists() or not MESSAGES.stat().st_size:
        sys.exit(f"build_cucumber_report: no {MESSAGES.relative_to(ROOT)}: run `./dev behave features/` first")
    ensure_allure(FORMATTER)
    subprocess.run(["node", str(ROOT / "tools" / "cucumber-html.mjs"), str(MESSAGES), str(REPORT)], cwd=ROOT, check=True)
    if _EXTERNAL_SCRIPT.search(REPORT.read_text(encoding="utf-8")):
        sys.exit(f"build_cucumber_report: {REPORT.relative_to(ROOT)} loads a script from another site; refusing it")
    print(f"report: {REPORT.relative_to(ROOT)} ({REPORT.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
