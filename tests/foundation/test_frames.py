"""dumpscope.frames: lazy and eager working copies give the same answers."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from dumpscope.frames import column_names, data_columns, exact_duplicate_rows, height, select

_cell = st.sampled_from(["", "a", "b", None])


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.lists(st.lists(_cell, min_size=k, max_size=k))))
def test_exact_duplicate_rows_equals_rows_minus_distinct(rows):
    k = len(rows[0]) if rows else 2
    frame = pl.DataFrame(rows, schema={f"c{j}": pl.Utf8 for j in range(k)}, orient="row")
    want = frame.height - frame.n_unique() if frame.height else 0
    assert exact_duplicate_rows(frame) == want
    assert exact_duplicate_rows(frame.lazy()) == want


def test_technical_columns_are_ignored_and_null_differs_from_empty():
    frame = pl.DataFrame(
        {"a": ["x", "x", "", None], "_source_line": [2, 3, 4, 5], "_line_count": [1, 1, 1, 1]}
    )
    assert data_columns(frame.lazy()) == ["a"]
    assert column_names(frame.lazy()) == ["a", "_source_line", "_line_count"]
    assert exact_duplicate_rows(frame.lazy()) == 1
    assert height(frame.lazy()) == 4
    assert select(frame.lazy(), ["a"]).equals(frame.select("a"))


def test_empty_frames():
    assert exact_duplicate_rows(pl.DataFrame({"a": []}, schema={"a": pl.Utf8})) == 0
    assert exact_duplicate_rows(pl.DataFrame({"_source_line": [1]})) == 0
