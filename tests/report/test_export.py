"""CSV export: spreadsheet formulas neutralized (OWASP), small counts suppressed, atomic."""

from __future__ import annotations

import csv

import polars as pl

from dumpscope.report import export


def test_neutralize_cell():
    for bad in ("=1+1", "+33612", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert export.neutralize_cell(bad) == "'" + bad
    assert export.neutralize_cell("Labo Vannes") == "Labo Vannes"
    assert export.neutralize_cell(None) is None


def test_write_csv(tmp_path):
    frame = pl.DataFrame(
        {
            "lab": ['=HYPERLINK("http://x","y")', "@cmd", "Labo", "-1+2", "+x"],
            "persons": [100, 3, 0, 10, 9],
        }
    )
    path = export.write_csv(frame, tmp_path / "labs.csv", count_columns=["persons"], k=10)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["lab"][0] for r in rows] == ["'", "'", "L", "'", "'"]
    assert [r["persons"] for r in rows] == ["100", "< 10", "0", "10", "< 10"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labs.csv"]


def test_write_tables(tmp_path):
    frames = {
        "b": pl.DataFrame({"x": ["=a"], "rows": [2]}),
        "a": pl.DataFrame({"persons": [50], "other": [3]}),
    }
    paths = export.write_tables(frames, tmp_path / "tables", k=10)
    assert [p.name for p in paths] == ["a.csv", "b.csv"]
    assert paths[1].read_text("utf-8").splitlines()[1] == "'=a,< 10"
    # only declared count columns are suppressed
    assert paths[0].read_text("utf-8").splitlines()[1] == "50,3"
