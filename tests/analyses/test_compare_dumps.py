"""`dumpscope compare` on two files: a copy of the sample with 1 % of its rows removed, 1 % added
and 0.5 % altered reports exactly those numbers, in findings.json and an offline HTML report."""

from __future__ import annotations

import json

import polars as pl
import pytest

import dumpscope.pipeline
from dumpscope.compare_run import run_compare
from dumpscope.manifest import verify
from dumpscope.synth import generate
from dumpscope.synth.derive import derive_copy


def _working(dump, run_dir) -> tuple[pl.DataFrame, dict]:
    ctx = dumpscope.pipeline.open_run(
        {"dump_path": str(dump), "other_path": str(dump), "run_dir": str(run_dir),
         "lang": "fr", "k": 10, "mapping_path": ""},
        notebook="50-compare-dumps",
    )  # fmt: skip
    return ctx.working(), ctx.intake().record


@pytest.fixture(scope="module")
def pair(sample_dump, tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    a_working, record = _working(sample_dump, folder / "a")
    other = folder / "other.csv"
    generate(other, rows=400, seed=99, labels=False)
    other_working, _ = _working(other, folder / "o")
    n = a_working.height
    copy = folder / "copy.csv"
    counts = derive_copy(
        a_working, record["columns"], other_working, copy,
        removed=n // 100, added=n // 100, altered=n // 200,
    )  # fmt: skip
    return sample_dump, copy, counts, n


def test_compare_reports_exact_numbers(pair, tmp_path):
    a, b, counts, n = pair
    index = run_compare(a, b, tmp_path / "cmp", lang="en")
    out = tmp_path / "cmp"
    assert index.is_file()
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    rows = findings["compare"]["rows"]
    assert rows["removed"] == counts["removed"]
    assert rows["added"] == counts["added"]
    assert rows["altered"] == counts["altered"]
    assert rows["unchanged"] == counts["unchanged"] == n - counts["removed"] - counts["altered"]
    assert counts["removed"] == n // 100 and counts["altered"] == n // 200
    assert findings["compare"]["changed_fields"] == {"tel_portable": counts["altered"]}
    assert findings["compare"]["relationship"] == "modified_copy"
    assert findings["evidence"]["a"]["sha256"] != findings["evidence"]["b"]["sha256"]
    assert verify(out).ok
    html = (out / "50-compare-dumps.html").read_text("utf-8")
    assert "modified" in html.lower() or "copy of A" in html
    assert "ALTERED-" not in html  # no record-level values in the report


def test_compare_a_file_with_itself_is_identical(sample_dump, tmp_path):
    run_compare(sample_dump, sample_dump, tmp_path / "same")
    findings = json.loads((tmp_path / "same" / "findings.json").read_text("utf-8"))
    assert findings["compare"]["relationship"] == "identical"
