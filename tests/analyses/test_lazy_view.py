"""Every view-based analysis gives the same result for an eager and a lazy normalized view."""

from __future__ import annotations

import polars as pl
import pytest
from geo_factory import make_view as make_geo_view
from test_persons_factory import full_view, make_view

from dumpscope.analyses import (
    credentials,
    data_classes,
    demographics,
    geography,
    labs,
    persons,
    sensitive,
    timeline,
)
from dumpscope.reference import load_reference


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    """A full-schema factory view, also written to Parquet (what a pipeline would scan)."""
    view = full_view(make_view(n_persons=800, seed=5)[0])
    path = tmp_path_factory.mktemp("lazy") / "view.parquet"
    view.write_parquet(path)
    return view, path


@pytest.fixture(scope="module")
def geo(tmp_path_factory):
    view, links, _ = make_geo_view(n_persons=600, seed=9)
    path = tmp_path_factory.mktemp("lazy_geo") / "view.parquet"
    view.write_parquet(path)
    return view, links, path


def _same(a, b):
    if isinstance(a, pl.DataFrame):
        assert a.equals(b)
    else:
        assert a == b


def test_person_analyses_eager_and_lazy(people):
    view, path = people
    links = persons.link(view)
    assert links.equals(persons.link(pl.scan_parquet(path)))
    assert links.equals(persons.link(view.lazy()))
    detections = sensitive.detect(view)
    _same(detections, sensitive.detect(pl.scan_parquet(path)))
    calls = [
        lambda v: persons.summarize(v, links),
        lambda v: demographics.summarize(v, links),
        lambda v: demographics.person_frame(v, links),
        lambda v: credentials.summarize(v, links),
        lambda v: credentials.classify(v),
        lambda v: data_classes.summarize(v, links, detections),
        lambda v: data_classes.summarize(v, links),
    ]
    for call in calls:
        _same(call(view), call(pl.scan_parquet(path)))
    # a lazy view that is not a bare scan (filtered, renamed back) works too
    lazy = view.lazy().filter(pl.col("_source_line") > 0)
    _same(persons.summarize(view, links), persons.summarize(lazy, links))


def test_geo_analyses_eager_and_lazy(geo):
    view, links, path = geo
    ref = load_reference()
    calls = [
        lambda v: geography.summarize(v, links, ref, 10),
        lambda v: geography.commune_frame(v, links, ref, 10),
        lambda v: geography.located(v, links, ref),
        lambda v: labs.summarize(v, links, ref, 10),
        lambda v: timeline.summarize(v, 10),
        lambda v: timeline.lab_month_frame(v),
        lambda v: timeline.dated(v),
    ]
    for call in calls:
        _same(call(view), call(pl.scan_parquet(path)))
