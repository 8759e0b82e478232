"""Build the Allure report of the last run, with Allure's own command-line tool.

    ./dev python tools/build_report.py                # reports/html/index.html (a folder to serve)
    ./dev python tools/build_report.py --single-file  # reports/report.html (one file to attach to an email)

The tool is the npm package `allure` (Allure 3), installed from package.json/package-lock.json
into node_modules/ on first use; it works offline. Allure's "awesome" report embeds a Google
Analytics tag that no option turns off; a report for stakeholders must not phone home, so the
tag is removed from the generated HTML and the build fails if any external script remains.
History: each build appends to reports/history/history.jsonl, which gives the report its trends;
keep that file between CI runs.

The single-file report is meant to be emailed, so it stays small: it keeps the evidence (HTTP
exchanges, emails, rows) of every scenario that did not pass, and only the steps of those that
passed (their evidence is in the folder report); and its script is embedded as text rather than
base64. A full run's single file: see README, "Reports".
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "reports" / "allure-results"
ALLURE = ROOT / "node_modules" / ".bin" / "allure"
_ANALYTICS = [
    re.compile(r'<script[^>]*src="https://www\.googletagmanager\.com/[^"]*"[^>]*>\s*</script>', re.I),
    re.compile(r"<script>\s*window\.dataLayer\s*=.*?</script>", re.I | re.S),
]
_EXTERNAL_SCRIPT = re.compile(r'<script[^>]*\bsrc="(https?:)?//', re.I)
_BASE64_SCRIPT = re.compile(r'<script(\s+)src="data:text/javascript;base64,([A-Za-z0-9+/=]+)"></script>')
KEPT_EVIDENCE = {"failed", "broken", "unknown"}  # results whose attachments the single file keeps


def ensure_allure(marker: Path = ALLURE) -> None:
    """Install package.json's report tools (Allure, Cucumber's HTML formatter) unless `marker` is there."""
    if marker.exists():
        return
    if not shutil.which("npm"):
        sys.exit("build_report: npm is needed to install the report tools (Node.js 20+)")
    print("build_report: installing the report tools from package-lock.json (once)...", file=sys.stderr)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)


def strip_analytics(html_file: Path) -> None:
    html = html_file.read_text(encoding="utf-8")
    for pattern in _ANALYTICS:
        html = pattern.sub("", html)
    if "googletagmanager" in html or "gtag(" in html or _EXTERNAL_SCRIPT.search(html):
        sys.exit(f"build_report: {html_file} still loads a script from another site; refusing to publish it")
    html_file.write_text(html, encoding="utf-8")


def slim_results(source: Path, target: Path) -> None:
    """A copy of the results in which passed and skipped scenarios carry no attachments."""
    import json

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    dropped: set[str] = set()

    def strip(node: dict) -> None:
        dropped.update(a["source"] for a in node.get("attachments", []))
        node["attachments"] = []
        for step in node.get("steps", []):
            strip(step)

    for path in source.glob("*-result.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        if result.get("status") not in KEPT_EVIDENCE:
            strip(result)
        (target / path.name).write_text(json.dumps(result), encoding="utf-8")
    for path in source.iterdir():
        if path.is_file() and not path.name.endswith("-result.json") and path.name not in dropped:
            shutil.copy2(path, target / path.name)


def inline_scripts(html_file: Path) -> None:
    """Allure embeds its script as base64 (a third larger than the script); embed it as text."""
    import base64

    def as_text(match: re.Match) -> str:
        code = base64.b64decode(match.group(2)).decode("utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    html = html_file.read_text(encoding="utf-8")
    html_file.write_text(_BASE64_SCRIPT.sub(as_text, html), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--single-file", action="store_true", help="one self-contained HTML file")
    args = parser.parse_args()
    if not any(RESULTS.glob("*-result.json")):
        sys.exit(f"build_report: no results in {RESULTS.relative_to(ROOT)}: run `./dev behave features/` first")
    ensure_allure()
    (ROOT / "reports" / "history").mkdir(parents=True, exist_ok=True)
    if args.single_file:
        scratch = ROOT / "reports" / "html-single"
        slim = ROOT / "reports" / "allure-results-single"
        slim_results(RESULTS, slim)
        command = [str(ALLURE), "generate", str(slim), "--config", str(ROOT / "tools" / "allurerc.single-file.mjs")]
    else:
        scratch = ROOT / "reports" / "html"
        command = [str(ALLURE), "generate", str(RESULTS), "--config", str(ROOT / "allurerc.mjs")]
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run(command, cwd=ROOT, check=True)
    for page in scratch.rglob("*.html"):
        strip_analytics(page)
    if args.single_file:
        target = ROOT / "reports" / "report.html"
        inline_scripts(scratch / "index.html")
        shutil.move(str(scratch / "index.html"), target)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(slim, ignore_errors=True)
        print(f"report: {target.stat().st_size / 1e6:.1f} MB")
    else:
        target = scratch / "index.html"
    print(f"report: {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
