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
