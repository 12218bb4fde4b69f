"""Escaped, k-suppressed HTML tables and static SVG charts."""

from __future__ import annotations

import altair as alt
import polars as pl
import pytest

from dumpscope.report.charts import FONT, render_svg, svg_bundle, theme_config
from dumpscope.report.tables import render_table, suppress_count


def test_suppress_count():
    assert suppress_count(3, 10) == "< 10"
    assert suppress_count(10, 10) == "10"
    assert suppress_count(0, 10) == "0"  # zero re-identifies nobody (redaction gate)
    assert suppress_count(None, 10) == ""


def test_render_table_escapes_and_suppresses():
    frame = pl.DataFrame({"lab": ["<img src=x onerror=alert(1)>", "L&B"], "persons": [4, 25]})
    text = render_table(frame, k=5, caption="<b>cap</b>")
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "L&amp;B" in text and "&lt;b&gt;cap&lt;/b&gt;" in text
    assert "&lt; 5" in text and ">25<" in text and ">4<" not in text


def test_integer_columns_are_counts_by_default():
    frame = pl.DataFrame({"year": ["2019"], "rows": [3], "share": [0.5]})
    assert "&lt; 10" in render_table(frame)
    assert ">3<" in render_table(frame, count_columns=[])


def test_unknown_count_column():
    with pytest.raises(KeyError, match="nope"):
        render_table(pl.DataFrame({"a": [1]}), count_columns=["nope"])


def test_long_cells_cut_and_rows_limited():
    frame = pl.DataFrame({"t": ["x" * 500] * 3})
    text = render_table(frame, max_rows=2, max_chars=20)
    assert "x" * 20 not in text and "x" * 19 + "…" in text
    assert "1 more row(s) not shown" in text


def test_svg_rendering_is_deterministic_and_themed():
    frame = pl.DataFrame({"year": ["2019", "2020"], "rows": [120, 80]})
    chart = alt.Chart(frame).mark_bar().encode(x="year:N", y="rows:Q")
    first, second = render_svg(chart), render_svg(chart)
    assert first == second and first.startswith("<svg")
    assert "Liberation Sans" in first or "Arial" in first
    assert svg_bundle(chart) == {"image/svg+xml": first}
    assert theme_config()["config"]["font"] == FONT
