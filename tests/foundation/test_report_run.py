"""The real notebooks run by `dumpscope run` on the committed sample (papermill, in-process).

One run (lang en, k 5) is shared by every test of this module; then headless Chromium opens the
index and each report with the network blocked.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from browser import load_page, require_chromium, screenshot

from dumpscope.manifest import verify
from dumpscope.paths import NOTEBOOKS_DIR
from dumpscope.report.html import external_references
from dumpscope.runner import DEFAULT_NOTEBOOKS, run

PRESENT = [n for n in DEFAULT_NOTEBOOKS if (NOTEBOOKS_DIR / f"{n}.ipynb").is_file()]


@pytest.fixture(scope="module")
def sample_run(sample_dump, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-run") / "report"
    lines: list[str] = []
    result = run([sample_dump], out, lang="en", k=5, progress=lines.append)
    return result, lines


def test_every_present_notebook_ran(sample_run):
    result, lines = sample_run
    assert [nb.name for nb in result.runs[0].notebooks] == PRESENT
    for name in PRESENT:
        assert (result.out_dir / f"{name}.html").is_file()
        assert any(line.strip().startswith(f"{name} done in") for line in lines)


def test_no_error_output_and_parameters_applied(sample_run, sample_dump):
    result, _ = sample_run
    for name in PRESENT:
        nb = nbformat.read(result.out_dir / "notebooks" / f"{name}.ipynb", as_version=4)
        params = nb.metadata["papermill"]["parameters"]
        assert params["lang"] == "en" and params["k"] == 5
        assert params["dump_path"] == str(sample_dump.resolve())
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", name
                assert output.get("name") != "stderr" or "Traceback" not in output.get("text", "")


def test_evidence_section_matches_truth(sample_run, sample_truth):
    result, _ = sample_run
    sections = result.out_dir / "work" / "sections"
    evidence = json.loads((sections / "evidence.json").read_text("utf-8"))
    records = json.loads((sections / "records.json").read_text("utf-8"))
    assert evidence["sha256"] == sample_truth["file"]["sha256"]
    assert evidence["bytes"] == sample_truth["file"]["bytes"]
    assert evidence["encoding"] in ("cp1252", "windows-1252")
    assert evidence["delimiter"] == ";"
    assert evidence["columns"] == sample_truth["file"]["columns"]
    assert evidence["verified"] is True
    lines = sample_truth["lines"]
    assert evidence["physical_lines"] == lines["physical"]
    assert records["loaded"] == lines["loaded_records"]
    assert records["quarantined_lines"] == lines["quarantined_lines"]
    assert records["reconciled"] is True
    assert records["multiline_records"] == sample_truth["records"]["multiline_records"]
    assert records["exact_duplicate_rows"] == sample_truth["records"]["exact_duplicate_rows"]
    for reason, expected in sample_truth["malformed"].items():
        got = records["quarantine_by_reason"].get(reason, {"count": 0, "lines": []})
        assert got["count"] == len(expected), reason
        assert got["lines"] == sorted(expected)[:50], reason


def test_manifest_verifies(sample_run, sample_truth):
    result, _ = sample_run
    manifest = json.loads((result.out_dir / "manifest.json").read_text("utf-8"))
    assert manifest["inputs"][0]["sha256"] == sample_truth["file"]["sha256"]
    assert verify(result.out_dir).ok


def test_reports_are_offline_and_codeless(sample_run):
    result, _ = sample_run
    for path in result.out_dir.glob("*.html"):
        text = path.read_text("utf-8")
        assert external_references(text) == [], path.name
        assert "hl-ipython3" not in text and "open_run" not in text, path.name


def test_executed_notebook_outputs_are_offline(sample_run):
    result, _ = sample_run
    for path in (result.out_dir / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                for mime, data in output.get("data", {}).items():
                    if mime in ("text/html", "image/svg+xml", "text/markdown"):
                        text = data if isinstance(data, str) else "".join(data)
                        assert external_references(text) == [], f"{path.name} {mime}"
                assert "application/vnd.vegalite" not in str(output.get("data", {}).keys())


def test_no_raw_quarantined_content_in_reports(sample_run, sample_dump, sample_truth):
    result, _ = sample_run
    raw = sample_dump.read_bytes().split(b"\n")
    bad_lines = sorted(n for lines in sample_truth["malformed"].values() for n in lines)
    snippets = []
    for n in bad_lines[:20]:
        text = raw[n - 1].decode("cp1252", errors="ignore").strip()
        fields = [f.strip('"') for f in re.split(r"[;\t]", text) if len(f.strip('"')) >= 8]
        snippets += fields[:2]
    html = (result.out_dir / "00-inspect-evidence.html").read_text("utf-8")
    leaked = [s for s in snippets if s in html]
    assert leaked == []


@pytest.mark.browser
def test_browser_renders_offline(sample_run, tmp_path):
    require_chromium()
    result, _ = sample_run
    pages = [result.out_dir / "index.html", *sorted(result.out_dir.glob("[0-9]*.html"))]
    charts = 0
    for path in pages:
        page = load_page(path)
        assert page.requests == [], f"{path.name} requested {page.requests}"
        assert page.errors == [], f"{path.name}: {page.errors}"
        for image in page.data_images:
            assert image.size > 500, f"{path.name}: empty chart"
            if image.kind == "svg+xml":
                assert b"<svg" in image.payload[:400]
        charts += len(page.data_images)
        if path.name == "index.html" or path.stem == PRESENT[-1]:  # screenshots are slow
            png = screenshot(path, tmp_path / f"{path.stem}.png")
            assert png.stat().st_size > 10_000, f"{path.name}: blank screenshot?"
    if {"20-count-persons", "90-summarize-report"} & set(PRESENT):
        assert charts > 0, "no chart rendered in any report"
