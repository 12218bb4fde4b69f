"""timeline.summarize: span, extraction estimate, out-of-range dates, gaps."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from geo_factory import END, GAP_LAB, GAP_MONTH, START, make_view

from dumpscope.analyses import timeline
from dumpscope.report import maps
from dumpscope.report.charts import render_svg


@pytest.fixture(scope="module")
def built():
    return make_view()


@pytest.fixture(scope="module")
def section(built):
    return timeline.summarize(built[0], k=10)


def test_span_and_statuses_equal_truth(section, built):
    truth = built[2]["sample_dates"]
    assert section["sample_min"] == truth["min"] == START.isoformat()
    assert section["sample_max"] == truth["max"] == END.isoformat()
    assert section["invalid"] == truth["invalid"]
    assert section["missing"] == truth["missing"]
    assert section["valid"] + section["invalid"] + section["missing"] == built[0].height
    json.dumps(section)


def test_out_of_range(section, built):
    truth = built[2]
    assert section["out_of_range"]["before_start"] == truth["before_2015"]
    assert section["out_of_range"]["birth_after_sample"] == truth["birth_after_sample"]
    assert section["raw_min"] == "2009-05-17"


def test_extraction_estimate_and_reasoning(section):
    assert section["estimated_extraction"] == END.isoformat()
    assert section["labs_active_at_end"]["of"] == 4
    assert section["labs_active_at_end"]["count"] >= 2
    assert END.isoformat() in section["reasoning"]
    assert "shortly after" in section["reasoning"]


def test_isolated_future_date_is_after_extraction(built):
    view = built[0]
    extra = view.head(1).with_columns(
        pl.lit(dt.date(2030, 2, 3)).alias("sample_date"),
        pl.lit("valid").alias("sample_date_status"),
        pl.lit(999999, dtype=pl.UInt64).alias("_source_line"),
    )
    out = timeline.summarize(pl.concat([view, extra]), k=10)
    assert out["sample_max"] == END.isoformat()
    assert out["raw_max"] == "2030-02-03"
    assert out["out_of_range"]["after_extraction"] == 1
    assert "2030" not in "".join(out["per_month"])
    assert "typing errors" in out["reasoning"]


def test_gaps(section):
    gap = f"{GAP_MONTH[0]}-{GAP_MONTH[1]:02d}"
    assert gap in section["gaps"]["by_lab"][GAP_LAB]
    assert gap not in section["gaps"]["overall"]
    assert sum(section["per_month"].values()) == sum(section["per_year"].values())


def test_heatmap_and_bars_hide_small_counts(built, section):
    frame = timeline.lab_month_frame(built[0])
    assert set(frame.columns) == {"lab_code", "month", "count"}
    assert frame["count"].sum() == sum(section["per_month"].values())
    chart = maps.month_heatmap(frame, 10)
    spec = chart.to_dict()
    records = [r for d in spec["datasets"].values() for r in d]
    assert records and all(set(r) == {"lab_code", "month", "classe"} for r in records)
    small = {(r["lab_code"], r["month"]) for r in frame.filter(pl.col("count") < 10).to_dicts()}
    assert small  # the sample has small cells
    by_cell = {(r["lab_code"], r["month"]): r["classe"] for r in records}
    assert all(by_cell[c] == "< 10" for c in small)
    svg = render_svg(chart)
    assert "&lt; 10" in svg
    bars = maps.monthly_bars(
        pl.DataFrame({"month": ["2019-01", "2019-02", "2019-03"], "count": [3, 0, 40]}), 10
    )
    data = [r for d in bars.to_dict()["datasets"].values() for r in d]
    assert {r["month"]: r["height"] for r in data} == {"2019-01": 10, "2019-02": 0, "2019-03": 40}
    assert all(r["height"] == 0 or r["height"] >= 10 for r in data)
    render_svg(bars)


def test_month_frame_fills_empty_months():
    frame = timeline.month_frame({"per_month": {"2019-11": 4, "2020-02": 7}})
    assert frame["month"].to_list() == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert frame["count"].to_list() == [4, 0, 0, 7]


def test_no_dates():
    view = pl.DataFrame(
        {"_source_line": pl.Series([2, 3], dtype=pl.UInt64), "sample_date": [None, None]},
        schema_overrides={"sample_date": pl.Date},
    )
    out = timeline.summarize(view, k=10)
    assert out["sample_min"] is None and out["estimated_extraction"] is None
    assert out["missing"] == 2


# ----------------------------------------------------------------- on the committed sample


@pytest.fixture(scope="module")
def sample(sample_dump, tmp_path_factory):
    from geo_factory import sample_pipeline

    return sample_pipeline(sample_dump, tmp_path_factory.mktemp("timeline_sample"))


def test_sample_dates_match_truth(sample, sample_truth):
    view, _, _ = sample
    out = timeline.summarize(view, k=10)
    truth = sample_truth["sample_dates"]
    assert out["sample_min"] == truth["min"]
    assert out["sample_max"] == truth["max"]
    assert out["invalid"] == truth["invalid"]
    assert out["missing"] == truth["missing"]
    assert out["estimated_extraction"] >= truth["max"]
    if out["last_visit_max"] and out["last_visit_max"] > truth["max"]:
        assert out["estimated_extraction"] == out["last_visit_max"]


def test_last_visit_bounds_extraction(built):
    view = built[0].with_columns(pl.lit(None, dtype=pl.Date).alias("last_visit_date"))
    close = view.with_columns(
        pl.when(pl.col("_source_line") == 2)
        .then(pl.lit(END + dt.timedelta(days=20)))
        .otherwise(pl.col("last_visit_date"))
        .alias("last_visit_date")
    )
    out = timeline.summarize(close, k=10)
    assert out["estimated_extraction"] == (END + dt.timedelta(days=20)).isoformat()
    far = close.with_columns(
        pl.when(pl.col("_source_line") == 2)
        .then(pl.lit(dt.date(2031, 1, 1)))
        .otherwise(pl.col("last_visit_date"))
        .alias("last_visit_date")
    )
    out = timeline.summarize(far, k=10)
    assert out["estimated_extraction"] == END.isoformat()
    assert "typing error" in out["reasoning"]
