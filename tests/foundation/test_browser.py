"""Headless Chromium on the fake run: charts render, nothing leaves the machine."""

from __future__ import annotations

import pytest
from browser import load_page, require_chromium, screenshot

pytestmark = pytest.mark.browser


def test_fake_report_renders_offline(fake_run, tmp_path):
    require_chromium()
    result, _ = fake_run
    page = load_page(result.out_dir / "01-fake-report.html")
    assert page.requests == [] and page.errors == []
    svgs = [i for i in page.data_images if i.kind == "svg+xml"]
    assert len(svgs) == 1 and svgs[0].size > 1000 and b"<svg" in svgs[0].payload[:400]
    assert "&lt; 5" in page.dom
    png = screenshot(result.out_dir / "01-fake-report.html", tmp_path / "report.png")
    assert png.stat().st_size > 10_000


def test_index_opens_offline(fake_run):
    require_chromium()
    result, _ = fake_run
    page = load_page(result.out_dir / "index.html")
    assert page.requests == [] and page.errors == []
    assert "01-fake-report.html" in page.dom


def test_detector_catches_a_remote_fetch(tmp_path):
    require_chromium()
    page_path = tmp_path / "leaky.html"
    page_path.write_text(
        '<html><body><img src="https://example.org/x.png"></body></html>', "utf-8"
    )
    page = load_page(page_path)
    assert page.requests == ["https://example.org/x.png"]
