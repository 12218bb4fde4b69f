"""Tests of dumpscope.analyses.data_classes."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from dumpscope.analyses import data_classes


def _view():
    d = dt.date(1970, 5, 4)
    return pl.DataFrame(
        {
            "_source_line": [2, 3, 4, 5],
            "usage_name": ["DUPONT", "DUPONT", "MARTIN", None],
            "first_name": ["Jean", "Jean", "Anne", "Paul"],
            "birth_date": [d, d, None, d],
            "birth_date_status": ["valid", "valid", "invalid", "valid"],
            "sex": ["M", "M", None, None],
            "civility": [None, None, "Mme", None],
            "address": ["1 rue X", "", None, None],
            "nir": ["x", "x", None, "y"],
            "nir_status": ["valid", "valid", "missing", "invalid_key"],
            "email": [None, None, "a@b.fr", None],
            "email_status": ["missing", "missing", "invalid", "missing"],
            "password": [None, "azerty", None, "z"],
            "login": [None, "jd", None, None],
            "blood_group": ["A+", None, "O-", None],
            "comment": [None, "VIH +", "RAS", None],
            "mutuelle": [None, None, None, "MGEN"],
        },
        schema_overrides={"_source_line": pl.UInt64},
    )


def _links():
    return pl.DataFrame(
        {"_source_line": [2, 3, 4, 5], "person_id": ["p2", "p2", "p4", "p5"]},
        schema_overrides={"_source_line": pl.UInt64},
    )


def _by_name(section):
    return {c["name"]: c for c in section["data_classes"]}


def test_classes_rows_and_persons_without_detector():
    section = data_classes.summarize(_view(), _links())
    json.dumps(section)
    classes = _by_name(section)
    assert classes["Names"]["persons"] == 3
    assert classes["Dates of birth"] == {**classes["Dates of birth"], "rows": 4, "persons": 3}
    assert classes["Physical addresses"]["rows"] == 1
    assert classes["Email addresses"]["persons"] == 1
    assert classes["Government issued IDs"]["rows"] == 3
    assert classes["Government issued IDs"]["persons"] == 2
    assert classes["Passwords"]["persons"] == 2
    assert classes["Health insurance information"]["persons"] == 1
    assert "Phone numbers" not in classes  # absent columns are not listed
    assert section["health_basis"] == "comment_presence"
    assert section["combinations"]["identity_nir"] == 1
    assert section["combinations"]["identity_health"] == 2  # comments present for p2, p4
    assert section["combinations"]["identity_credentials"] == 1
    assert section["blood_groups"]["A+"] == 1
    assert section["blood_groups"]["O-"] == 1
    assert section["blood_groups"]["missing"] == 2
    assert section["blood_group_persons"] == 2
    assert section["art9"] == ["data concerning health"]
    assert section["nir_present"] is True


def test_detector_rows_refine_health():
    sensitive = pl.DataFrame(
        {"_source_line": [3, 4], "any_health": [True, False], "genetic": [False, False]}
    )
    section = data_classes.summarize(_view(), _links(), sensitive)
    assert section["health_basis"] == "detector"
    assert section["combinations"]["identity_health"] == 1
    assert section["combinations"]["identity_nir_health"] == 1
    assert "genetic data" not in section["art9"]
    # blood group alone still makes health data for p4
    assert _by_name(section)["Personal health data"]["persons"] == 2


def test_detector_qualifier_column_for_genetic():
    sensitive = pl.DataFrame(
        {"_source_line": [3, 4], "any_health": [True, True], "genetic": ["family", None]}
    )
    section = data_classes.summarize(_view(), _links(), sensitive)
    assert section["art9"] == ["data concerning health", "genetic data"]
    sensitive = sensitive.with_columns(genetic=pl.Series(["negated", None]))
    assert "genetic data" not in data_classes.summarize(_view(), _links(), sensitive)["art9"]
