"""Eager and lazy working copies give identical roles, views, profiles and sections; a lazy copy
is read column by column (issue 10)."""

from __future__ import annotations

import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dumpscope.analyses import profile
from dumpscope.roles import detect_roles, normalize
from dumpscope.roles.scan import columns_with_values, exists, filled_values

from .layouts import abbreviated_layout, english_layout
from .reference_stub import make_reference


def _scan(frame: pl.DataFrame, tmp_path, name: str = "w", row_group_size: int = 7):
    """The frame written to Parquet in small row groups, scanned lazily."""
    path = tmp_path / f"{name}.parquet"
    frame.write_parquet(path, row_group_size=row_group_size, statistics=True)
    return pl.scan_parquet(path)


@pytest.fixture(scope="module")
def sample_copies(sample_dump, tmp_path_factory):
    from dumpscope.intake import run_intake
    from dumpscope.reference import load_reference

    work = tmp_path_factory.mktemp("work")
    result = run_intake(sample_dump, work)
    eager = pl.read_parquet(result.working_path)
    # many row groups, so that skipping groups by their statistics is exercised
    grouped = work / "grouped.parquet"
    eager.write_parquet(grouped, row_group_size=1000)
    return eager, pl.scan_parquet(grouped), result.record["columns"], load_reference()


def test_sample_eager_and_lazy_identical(sample_copies):
    eager, lazy, columns, reference = sample_copies
    roles = detect_roles(eager, columns, reference=reference)
    assert_frame_equal(detect_roles(lazy, columns, reference=reference), roles)
    view = normalize(eager, roles, reference)
    assert_frame_equal(normalize(lazy, roles, reference), view)
    prof = profile.profile_columns(eager, roles, view, reference=reference, examples=True)
    lazy_prof = profile.profile_columns(lazy, roles, view, reference=reference, examples=True)
    assert_frame_equal(lazy_prof, prof)
    section = profile.summarize(eager, roles, view, profile=prof)
    assert profile.summarize(lazy, roles, view, profile=lazy_prof) == section
    assert section["records"]["rows"] == eager.height
    assert profile.duplicates(lazy, view) == profile.duplicates(eager, view)


def test_sample_forced_mapping_eager_and_lazy_identical(sample_copies):
    eager, lazy, columns, reference = sample_copies
    mapping = {"NUM_SS": "nir", "PAYS": "city"}
    roles = detect_roles(eager, columns, mapping, reference=reference)
    assert_frame_equal(detect_roles(lazy, columns, mapping, reference=reference), roles)
    assert roles.filter(pl.col("forced"))["role"].to_list() == ["nir", "city"]


@pytest.mark.parametrize("layout", [english_layout, abbreviated_layout])
def test_layouts_eager_and_lazy_identical(layout, tmp_path):
    frame, columns, _ = layout(150)
    frame = frame.with_columns(_source_line=pl.int_range(2, pl.len() + 2, dtype=pl.UInt64))
    lazy = _scan(frame, tmp_path)
    ref = make_reference()
    roles = detect_roles(frame, columns, reference=ref)
    assert_frame_equal(detect_roles(lazy, columns, reference=ref), roles)
    view = normalize(frame, roles, ref)
    assert_frame_equal(normalize(lazy, roles, ref), view)
    assert_frame_equal(
        profile.profile_columns(lazy, roles, None, reference=ref),
        profile.profile_columns(frame, roles, None, reference=ref),
    )
    assert profile.summarize(lazy, roles, view) == profile.summarize(frame, roles, view)


def test_normalize_reads_only_columns_with_a_role(tmp_path):
    frame, columns, _ = english_layout(60)
    frame = frame.with_columns(zz_tech_01=pl.lit(""), zz_tech_02=pl.lit("OK"))
    columns = [
        *columns,
        {"index": len(columns), "original": "ZZ_TECH_01", "name": "zz_tech_01"},
        {"index": len(columns) + 1, "original": "ZZ_TECH_02", "name": "zz_tech_02"},
    ]
    ref = make_reference()
    roles = detect_roles(frame, columns, reference=ref)
    others = roles.filter(pl.col("role") == "other")["column"].to_list()
    assert {"zz_tech_01", "zz_tech_02"} <= set(others)

    def boom(_: pl.Series) -> pl.Series:
        raise AssertionError("a column without a role was read")

    lazy = _scan(frame, tmp_path).with_columns(
        [pl.col(c).map_batches(boom, return_dtype=pl.Utf8) for c in others]
    )
    with pytest.raises((AssertionError, pl.exceptions.PolarsError)):
        lazy.select("zz_tech_02").collect()  # reading one would fail
    assert_frame_equal(normalize(lazy, roles, ref), normalize(frame, roles, ref))


def test_columns_with_values_across_row_groups(tmp_path):
    n = 50
    late = [""] * (n - 1) + ["x"]  # the only value is in the last row group
    frame = pl.DataFrame(
        {
            "empty": [""] * n,
            "late": late,
            "spaces": [""] * 10 + [" "] + [""] * (n - 11),
            "nulls": pl.Series([None] * n, dtype=pl.Utf8),
            "mixed": [None, ""] * (n // 2),
            "ints": list(range(n)),
            "_source_line": list(range(n)),
        }
    )
    expected = {
        "empty": False, "late": True, "spaces": True, "nulls": False, "mixed": False,
        "ints": True,
    }  # fmt: skip
    assert columns_with_values(frame) == expected
    assert columns_with_values(_scan(frame, tmp_path)) == expected
    assert columns_with_values(frame.head(0)) == dict.fromkeys(expected, False)
    lazy = _scan(frame, tmp_path, "x")
    assert exists(lazy, "mixed", pl.col("mixed").is_null())
    assert not exists(lazy, "empty", pl.col("empty").is_null())
    assert filled_values(lazy, "late").to_list() == ["x"]
    assert filled_values(lazy, "ints").to_list() == [str(i) for i in range(n)]
    assert filled_values(lazy, "spaces").to_list() == [" "]


def _brute_force_duplicates(frame: pl.DataFrame) -> int:
    data = frame.drop([c for c in ("_source_line", "_line_count") if c in frame.columns])
    return data.height - data.n_unique() if data.height else 0


@pytest.mark.parametrize("seed", range(12))
def test_duplicate_rows_exact_eager_and_lazy(seed, tmp_path):
    rng = random.Random(seed)
    n = rng.randint(0, 40)
    values = ["", " ", "a", "b", None]
    cols = {}
    for i in range(rng.randint(1, 5)):
        kind = rng.choice(["random", "empty", "null", "constant", "partial_null"])
        if kind == "random":
            cols[f"c{i}"] = [rng.choice(values[: rng.randint(2, 5)]) for _ in range(n)]
        elif kind == "empty":
            cols[f"c{i}"] = [""] * n
        elif kind == "null":
            cols[f"c{i}"] = [None] * n
        elif kind == "constant":
            cols[f"c{i}"] = ["k"] * n
        else:
            cols[f"c{i}"] = [rng.choice(["", None]) for _ in range(n)]
    frame = pl.DataFrame(cols, schema=dict.fromkeys(cols, pl.Utf8)).with_columns(
        _source_line=pl.int_range(pl.len(), dtype=pl.UInt64)
    )
    expected = _brute_force_duplicates(frame)
    assert profile.duplicates(frame)["exact_duplicate_rows"] == expected
    lazy = _scan(frame, tmp_path, row_group_size=5)
    assert profile.duplicates(lazy) == profile.duplicates(frame)


@pytest.mark.parametrize("seed", range(6))
def test_shared_keys_equal_a_group_by(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 300)
    keys = pl.DataFrame(
        {
            "a": [rng.choice("ABCDEFG") for _ in range(n)],
            "b": [rng.choice("xyz") for _ in range(n)],
            "d": [rng.randint(1, 9) for _ in range(n)],
        },
        schema={"a": pl.Utf8, "b": pl.Utf8, "d": pl.Int64},
    )
    counts = keys.group_by(keys.columns).len().filter(pl.col("len") > 1)
    rows = int(counts["len"].sum() or 0)
    expected = {"groups": counts.height, "rows": rows, "extra_rows": rows - counts.height}
    assert profile._shared_keys(keys) == expected
