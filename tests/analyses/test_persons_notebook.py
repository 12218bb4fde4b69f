"""Runs notebooks/20-count-persons.ipynb with papermill on a prepared run folder.

The run folder is primed with a cached intake record and normalized view (the factory's), so
the notebook's own code is exercised without depending on the intake and role stages.
"""

from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest
from test_persons_factory import full_view, make_view

from dumpscope import pipeline
from dumpscope.paths import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "20-count-persons.ipynb"


def _prime(tmp_path):
    dump = tmp_path / "dump.csv"
    dump.write_bytes(b"NOM;PRENOM\r\nX;Y\r\n")
    sha = hashlib.sha256(dump.read_bytes()).hexdigest()
    run_dir = tmp_path / "run"
    work = run_dir / "work"
    work.mkdir(parents=True)
    (work / "intake.json").write_text(json.dumps({"evidence": {"sha256": sha}, "columns": []}))
    pl.DataFrame({"_source_line": [2]}).write_parquet(work / "working.parquet")
    view, _ = make_view(800, rows_per_person=1.3, seed=4)
    full_view(view).write_parquet(work / "view.parquet")
    ctx = pipeline.RunContext(
        notebook="20-count-persons", params={}, dump_path=dump, run_dir=run_dir, work_dir=work
    )
    pipeline.write_json_atomic(work / "view.key.json", ctx._cache_key("view"))
    return dump, run_dir


@pytest.mark.notebook
def test_notebook_runs_and_saves_sections(tmp_path):
    papermill = pytest.importorskip("papermill")
    dump, run_dir = _prime(tmp_path)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"dump_path": str(dump), "run_dir": str(run_dir), "lang": "en", "k": 5},
        kernel_name="python3",
        progress_bar=False,
    )
    sections = run_dir / "work" / "sections"
    names = {p.stem for p in sections.glob("*.json")}
    assert {"persons", "demographics", "data_classes", "credentials", "severity"} <= names
    persons = json.loads((sections / "persons.json").read_text("utf-8"))
    assert persons["distinct_low"] <= persons["distinct"] <= persons["distinct_high"]
    severity = json.loads((sections / "severity.json").read_text("utf-8"))
    assert severity["level"] == "very_high"
    text = out.read_text("utf-8")
    assert "<svg" in text  # the age pyramid, as a static SVG
    assert "Traceback" not in text
    # no password, name or NIR from the view in the executed notebook
    view = pl.read_parquet(run_dir / "work" / "view.parquet")
    for column in ("password", "usage_name", "nir"):
        for value in view[column].drop_nulls().unique().head(50):
            assert value not in text, column
