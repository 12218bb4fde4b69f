"""Runs notebooks/10-profile-columns.ipynb with papermill on the committed sample."""

from __future__ import annotations

import json

import pytest

from dumpscope.paths import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "10-profile-columns.ipynb"


@pytest.mark.notebook
def test_notebook_saves_the_profile_section(sample_dump, sample_truth, tmp_path):
    papermill = pytest.importorskip("papermill")
    run_dir = tmp_path / "run"
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"dump_path": str(sample_dump), "run_dir": str(run_dir), "lang": "en"},
        kernel_name="python3",
        progress_bar=False,
    )
    section = json.loads((run_dir / "work" / "sections" / "profile.json").read_text("utf-8"))
    for key in ("nir", "contact", "postcode", "birth_date", "civility", "blood_groups"):
        assert section[key] == sample_truth[key], key
    text = out.read_text("utf-8")
    assert "dumpscope-table" in text
    # no raw NIR or surname of the dump reaches the notebook's output
    lines = sample_dump.read_bytes().decode("cp1252", errors="replace").split("\r\n")
    header = lines[0].split(";")
    nir_at, name_at = header.index("NUM_SS"), header.index("NOM_USAGE")
    rows = [line.split(";") for line in lines[1:200] if line.count(";") == len(header) - 1]
    nirs = {r[nir_at].replace(" ", "") for r in rows if len(r[nir_at]) >= 13}
    names = {r[name_at].strip() for r in rows if len(r[name_at].strip()) >= 6}
    assert nirs and names
    assert not any(v in text for v in nirs | names)
