import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("build_report", Path(__file__).resolve().parents[2] / "tools" / "build_report.py")
build_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_report)

PAGE = """<html><head><script>window.allure = {};</script>
<script   src="app-1.js"></script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
<script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){dataLayer.push(arguments);}
    gtag('js', new Date());
</script></head><body></body></html>"""


def test_the_analytics_tag_is_removed_and_local_scripts_stay(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(PAGE)
    build_report.strip_analytics(page)
    html = page.read_text()
    assert "googletagmanager" not in html and "gtag(" not in html
    assert '<script   src="app-1.js"></script>' in html and "window.allure = {};" in html


def test_a_page_loading_any_other_remote_script_is_refused(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<script src="https://cdn.example/x.js"></script>')
    with pytest.raises(SystemExit):
        build_report.strip_analytics(page)


def test_the_single_file_carries_evidence_of_failures_only(tmp_path):
    import json

    source, target = tmp_path / "results", tmp_path / "slim"
    source.mkdir()
    step = {"name": "Then x", "attachments": [{"source": "b-attachment.txt"}], "steps": []}
    (source / "p-result.json").write_text(json.dumps({"status": "passed", "attachments": [{"source": "a-attachment.txt"}], "steps": [step]}))
    (source / "f-result.json").write_text(json.dumps({"status": "failed", "attachments": [{"source": "c-attachment.txt"}], "steps": []}))
    for name in ("a-attachment.txt", "b-attachment.txt", "c-attachment.txt", "environment.properties"):
        (source / name).write_text("x")
    build_report.slim_results(source, target)
    assert sorted(p.name for p in target.iterdir()) == ["c-attachment.txt", "environment.properties", "f-result.json", "p-result.json"]
    passed = json.loads((target / "p-result.json").read_text())
    assert passed["attachments"] == [] and passed["steps"][0]["attachments"] == [] and passed["steps"][0]["name"] == "Then x"


def test_the_script_is_embedded_as_text_not_base64(tmp_path):
    import base64

    page = tmp_path / "index.html"
    code = "var a = '</script>'; window.x = 1;"
    page.write_text(f'<head><script   src="data:text/javascript;base64,{base64.b64encode(code.encode()).decode()}"></script></head>')
    build_report.inline_scripts(page)
    assert page.read_text() == "<head><script>var a = '<\\/script>'; window.x = 1;</script></head>"


def test_the_single_file_embeds_the_previous_run_and_the_history_keeps_growing(tmp_path):
    history, single = tmp_path / "history.jsonl", tmp_path / "single" / "history.jsonl"
    history.write_text("".join(f"run{i}\n" for i in range(25)))
    build_report.previous_runs(history, single, keep=1)
    assert single.read_text() == "run24\n"
    single.write_text(single.read_text() + "run25\n")  # what Allure appends while building
    build_report.fold_back(single, history, limit=20)
    assert history.read_text().splitlines() == [f"run{i}" for i in range(6, 26)]
