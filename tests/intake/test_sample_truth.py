"""Intake of the committed synthetic sample equals the generator's ground truth exactly."""

from __future__ import annotations

import pytest

from dumpscope.intake import REASONS, run_intake


@pytest.fixture(scope="module")
def taken(sample_dump, tmp_path_factory):
    return run_intake(sample_dump, tmp_path_factory.mktemp("sample") / "work")


def test_format_matches_truth(taken, sample_truth):
    fmt, truth = taken.record["format"], sample_truth["file"]
    assert fmt["encoding"] == truth["encoding"]
    assert fmt["delimiter"] == truth["delimiter"]
    assert fmt["quotechar"] == truth["quotechar"]
    assert fmt["line_terminator"] == truth["line_terminator"]
    assert taken.record["lines"]["header"] == truth["header_lines"]
    assert len(taken.record["columns"]) == truth["columns"]
    assert taken.record["evidence"]["bytes"] == truth["bytes"]
    assert taken.record["evidence"]["sha256"] == truth["sha256"]


def test_line_counts_match_truth(taken, sample_truth):
    lines, truth = taken.record["lines"], sample_truth["lines"]
    for key in ("physical", "header", "loaded_records", "loaded_lines", "quarantined_lines"):
        assert lines[key] == truth[key], key
    assert lines["reconciled"]


def test_quarantined_lines_and_reasons_match_truth(taken, sample_truth):
    import polars as pl

    q = pl.read_parquet(taken.quarantine_path)
    for reason in REASONS:
        mine = sorted(q.filter(pl.col("reason") == reason)["line"].to_list())
        assert mine == sorted(sample_truth["malformed"][reason]), reason


def test_records_match_truth(taken, sample_truth):
    import polars as pl

    working = pl.read_parquet(taken.working_path)
    truth = sample_truth["records"]
    assert working.height == truth["loaded"]
    assert int((working["_line_count"] > 1).sum()) == truth["multiline_records"]
    values = working.drop("_source_line", "_line_count")
    assert working.height - values.n_unique() == truth["exact_duplicate_rows"]


def test_source_lines_match_the_generator_labels(taken, sample_dump):
    import polars as pl

    labels = pl.read_csv(
        sample_dump.with_name(sample_dump.name + ".labels.csv"), infer_schema=False
    )
    working = pl.read_parquet(taken.working_path)
    expected = sorted(int(x) for x in labels["source_line"].to_list())
    assert working["_source_line"].to_list() == expected
    assert working["_source_line"].is_sorted()


def test_hostile_values_load_intact(taken, sample_truth):
    import polars as pl

    working = pl.read_parquet(taken.working_path)
    values = working.drop("_line_count")

    def row(line: int) -> list[str]:
        return values.filter(pl.col("_source_line") == line).drop("_source_line").row(0)

    for line in sample_truth["hostile"]["long_field"]:
        assert max(len(v) for v in row(line)) >= 100_000
    for line in sample_truth["hostile"]["html"]:
        assert any("<script>" in v or "<img " in v for v in row(line))
    for line in sample_truth["hostile"]["formula"]:
        assert any(v[:1] in "=+-@" and len(v) > 1 for v in row(line))
