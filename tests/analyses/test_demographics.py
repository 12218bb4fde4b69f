"""Tests of dumpscope.analyses.demographics."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
from test_persons_factory import make_view

from dumpscope.analyses import demographics, persons


def _view(rows):
    return pl.DataFrame(rows).with_columns(pl.col("_source_line").cast(pl.UInt64))


def test_age_years_birthday_edge():
    frame = pl.DataFrame(
        {
            "b": [dt.date(2000, 3, 15), dt.date(2000, 3, 15), dt.date(2000, 2, 29), None],
            "s": [dt.date(2018, 3, 14), dt.date(2018, 3, 15), dt.date(2018, 2, 28), None],
        }
    )
    ages = frame.select(a=demographics.age_years(pl.col("b"), pl.col("s")))["a"].to_list()
    assert ages == [17, 18, 17, None]


def test_summarize_small_view():
    d = dt.date
    view = _view(
        [
            # person p2: two rows, minor (17 at first sample), NIR says F, declared M once
            {
                "_source_line": 2,
                "sex": "F",
                "nir_sex": "F",
                "nir_status": "valid",
                "civility": "Enfant",
                "birth_date": d(2000, 6, 1),
                "sample_date": d(2017, 5, 31),
                "nir_birth_place": "corsica",
            },
            {
                "_source_line": 3,
                "sex": "M",
                "nir_sex": "F",
                "nir_status": "valid",
                "civility": None,
                "birth_date": d(2000, 6, 1),
                "sample_date": d(2019, 1, 1),
                "nir_birth_place": "corsica",
            },
            # person p4: adult male, born abroad, no declared sex
            {
                "_source_line": 4,
                "sex": None,
                "nir_sex": "M",
                "nir_status": "valid",
                "civility": "M.",
                "birth_date": d(1950, 1, 1),
                "sample_date": d(2016, 1, 1),
                "nir_birth_place": "abroad",
            },
            # person p5: no NIR, civility only, no birth date
            {
                "_source_line": 5,
                "sex": None,
                "nir_sex": None,
                "nir_status": "missing",
                "civility": "Mme",
                "birth_date": None,
                "sample_date": d(2016, 1, 1),
                "nir_birth_place": None,
            },
        ]
    )
    links = pl.DataFrame(
        {"_source_line": [2, 3, 4, 5], "person_id": ["p2", "p2", "p4", "p5"]},
        schema={"_source_line": pl.UInt64, "person_id": pl.Utf8},
    )
    section = demographics.summarize(view, links)
    json.dumps(section)
    p = section["persons"]
    assert (p["distinct"], p["female"], p["male"], p["sex_unknown"]) == (3, 2, 1, 0)
    assert (p["minors"], p["adults"], p["age_unknown"]) == (1, 1, 1)
    assert (p["born_corsica"], p["born_abroad"], p["born_overseas"]) == (1, 1, 0)
    assert section["sex"] == {
        "declared_F": 1,
        "declared_M": 1,
        "declared_missing": 2,
        "nir_F": 2,
        "nir_M": 1,
        "inconsistent_with_nir": 1,
    }
    pyramid = pl.DataFrame(section["age_pyramid"])
    assert pyramid.height == 19 * 2
    assert pyramid["persons"].sum() == 2
    cell = pyramid.filter((pl.col("band") == "15-19") & (pl.col("sex") == "F"))
    assert cell["persons"].item() == 1
    assert pyramid.filter(pl.col("band") == "65-69")["persons"].sum() == 1


def test_demographics_match_factory_truth():
    view, truth = make_view(3000, rows_per_person=1.4, seed=5)
    links = persons.link(view)
    section = demographics.summarize(view, links)
    first = truth.sort("_source_line").group_by("true_person", maintain_order=True).first()
    p = section["persons"]
    n = first.height
    # linkage errors may move a handful of persons
    tol = max(3, int(0.005 * n))
    assert abs(p["female"] - (first["true_sex"] == "F").sum()) <= tol
    assert abs(p["male"] - (first["true_sex"] == "M").sum()) <= tol
    assert abs(p["minors"] - (first["true_age"] < 18).sum()) <= tol
    assert abs(p["born_corsica"] - (first["true_place"] == "corsica").sum()) <= tol
    assert abs(p["born_abroad"] - (first["true_place"] == "abroad").sum()) <= tol
    assert abs(p["born_overseas"] - (first["true_place"] == "overseas").sum()) <= tol
