"""custody.records_section: the same section for an eager and a lazy working copy."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

import dumpscope.pipeline
from dumpscope import custody, frames

RECORD = {
    "lines": {
        "physical": 12,
        "header": 1,
        "loaded_records": 8,
        "loaded_lines": 9,
        "quarantined_lines": 2,
        "reconciled": True,
    },
    "quarantine": {"by_reason": {"blank_line": {"count": 2, "lines": [5, 9]}}},
}


def _copy() -> pl.DataFrame:
    # rows 0/1/7 are equal; row 2 differs from row 3 only by null vs empty string
    return pl.DataFrame(
        {
            "nom": ["DUPONT", "DUPONT", "MARTIN", "MARTIN", "DURAND", "", "", "DUPONT"],
            "tel": ["01", "01", None, "", "02", "", "", "01"],
            "vide": [""] * 8,
            "_source_line": pl.Series([2, 3, 4, 6, 7, 8, 10, 11], dtype=pl.UInt64),
            "_line_count": pl.Series([1, 1, 2, 1, 1, 1, 1, 1], dtype=pl.UInt32),
        }
    )


def _same(a: dict, b: dict) -> None:
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_eager_lazy_and_scanned_copies_give_the_same_section(tmp_path):
    working = _copy()
    path = tmp_path / "working.parquet"
    working.write_parquet(path, row_group_size=3)
    eager = custody.records_section(RECORD, working)
    _same(eager, custody.records_section(RECORD, working.lazy()))
    _same(eager, custody.records_section(RECORD, pl.scan_parquet(path)))
    assert eager["exact_duplicate_rows"] == 3  # two repeats of DUPONT, one more empty row
    assert eager["multiline_records"] == 1
    assert eager["loaded"] == 8
    assert eager["quarantine_by_reason"] == {"blank_line": {"count": 2, "lines": [5, 9]}}


@pytest.mark.parametrize("seed", range(5))
def test_duplicates_equal_rows_minus_distinct_rows(seed):
    rng = np.random.default_rng(seed)
    n = 400
    values = np.array(["a", "b", "", None], dtype=object)
    working = pl.DataFrame(
        {f"c{i}": pl.Series(list(rng.choice(values, size=n)), dtype=pl.Utf8) for i in range(4)}
    ).with_columns(
        _source_line=pl.int_range(2, n + 2, dtype=pl.UInt64),
        _line_count=pl.Series(list(rng.integers(1, 3, size=n)), dtype=pl.UInt32),
    )
    expected = n - working.drop("_source_line", "_line_count").n_unique()
    record = {"lines": {}}
    for frame in (working, working.lazy()):
        section = custody.records_section(record, frame)
        assert section["exact_duplicate_rows"] == expected
        assert section["loaded"] == n  # no loaded_records in the record: counted
        assert section["multiline_records"] == int((working["_line_count"] > 1).sum())


def test_empty_copy_and_copy_without_line_counts():
    empty = _copy().clear()
    for frame in (empty, empty.lazy()):
        section = custody.records_section({"lines": {}}, frame)
        assert section["exact_duplicate_rows"] == 0 and section["loaded"] == 0
    bare = _copy().drop("_line_count")
    _same(custody.records_section(RECORD, bare), custody.records_section(RECORD, bare.lazy()))
    assert custody.records_section(RECORD, bare.lazy())["multiline_records"] == 0


def test_sample_eager_and_lazy(sample_dump, sample_truth, tmp_path):
    ctx = dumpscope.pipeline.open_run(
        {"dump_path": str(sample_dump), "run_dir": str(tmp_path / "run"), "lang": "fr", "k": 10,
         "mapping_path": ""},
        notebook="00-inspect-evidence",
    )  # fmt: skip
    record = ctx.intake().record
    eager = custody.records_section(record, ctx.working())
    _same(eager, custody.records_section(record, ctx.scan_working()))
    assert eager["exact_duplicate_rows"] == sample_truth["records"]["exact_duplicate_rows"]
    assert eager["multiline_records"] == sample_truth["records"]["multiline_records"]


@pytest.mark.parametrize("seed", range(3))
def test_many_clashing_rows_are_compared_column_by_column(monkeypatch, seed):
    """A copy made of repeated copies (every row a suspect) takes the column-by-column path."""
    rng = np.random.default_rng(seed)
    n = 300
    values = np.array(["a", "b", "", None], dtype=object)
    part = pl.DataFrame(
        {f"c{i}": pl.Series(list(rng.choice(values, size=n)), dtype=pl.Utf8) for i in range(3)}
    )
    working = pl.concat([part] * 3).with_columns(_line_count=pl.lit(1, dtype=pl.UInt32))
    expected = working.height - part.n_unique()
    monkeypatch.setattr(frames, "_WHOLE_SUSPECTS", 10)
    for frame in (working, working.lazy()):
        assert custody.records_section({"lines": {}}, frame)["exact_duplicate_rows"] == expected


def test_hash_collisions_are_resolved_by_comparing_values():
    """Every row given the same hash: groups with differences are compared value by value."""
    working = pl.DataFrame(
        {"a": ["x", "x", "y", None, None, ""], "b": ["1", "1", "1", "", "", ""]}
    )
    cols = ["a", "b"]
    same_hash = pl.Series("h", [7] * working.height, dtype=pl.UInt64)
    assert frames._duplicates_by_column(working.lazy(), cols, same_hash) == 2
    pairs = pl.Series("h", [1, 1, 2, 3, 3, 2], dtype=pl.UInt64)  # ("y", "1") and ("", "") collide
    assert frames._duplicates_by_column(working.lazy(), cols, pairs) == 2
