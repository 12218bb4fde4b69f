"""Persons, demographics, credentials and blood groups against the generator's truth (sample)."""

from __future__ import annotations

import pytest

from dumpscope.analyses import credentials, data_classes, demographics, persons


def _view_of(dump, work):
    import polars as pl

    from dumpscope.intake import run_intake
    from dumpscope.reference import load_reference
    from dumpscope.roles import detect_roles, normalize

    result = run_intake(dump, work)
    working = pl.read_parquet(result.working_path)
    roles = detect_roles(working, result.record["columns"], None)
    return normalize(working, roles, load_reference())


@pytest.fixture(scope="module")
def sample_view(sample_dump, tmp_path_factory):
    return _view_of(sample_dump, tmp_path_factory.mktemp("persons_truth"))


@pytest.fixture(scope="module")
def sample_links(sample_view):
    return persons.link(sample_view)


def _close(measured, expected, rel):
    return abs(measured - expected) <= max(2, rel * expected)


def test_distinct_persons_within_half_percent_and_bounds(sample_view, sample_links, sample_truth):
    section = persons.summarize(sample_view, sample_links)
    truth = sample_truth["persons"]["distinct"]
    assert section["distinct_low"] <= truth <= section["distinct_high"]
    assert abs(section["distinct"] - truth) <= 0.005 * truth
    assert section["rows"] == sample_truth["records"]["loaded"]


def test_demographics_match_truth(sample_view, sample_links, sample_truth):
    section = demographics.summarize(sample_view, sample_links)
    truth, got = sample_truth["persons"], section["persons"]
    assert _close(got["female"], truth["female"], 0.005)
    assert _close(got["male"], truth["male"], 0.005)
    assert _close(got["minors"], truth["minors"], 0.01)
    assert got["female"] == truth["female"] and got["male"] == truth["male"]
    # the place of birth comes from the NIR: exactly the persons whose NIR digits can be read
    observable = sample_truth["persons_observable"]
    for key in ("born_abroad", "born_overseas", "born_corsica"):
        assert got[key] == observable[key], key
        assert got[key] <= truth[key]
    assert got["distinct"] - got["birth_place_unknown"] == observable["with_readable_nir"]
    # minors whose age the file states (birth date + a date of visit): exact; the others are
    # aged from the NIR's birth year and month, or not at all
    assert got["minors_by_basis"]["birth_date"] == observable["minors_with_birth_date"]
    assert got["minors"] == sum(got["minors_by_basis"].values())
    assert {k: section["sex"][k] for k in sample_truth["sex"]} == sample_truth["sex"]


def test_credentials_match_truth(sample_view, sample_links, sample_truth):
    section = credentials.summarize(sample_view, sample_links)
    truth = sample_truth["credentials"]
    assert section["rows_with_login"] == truth["rows_with_login"]
    assert section["rows_with_password"] == truth["rows_with_password"]
    assert section["strength"] == truth["strength"]
    # the generator also derives passwords from birth surnames absent from the file
    assert section["derived_from_personal_data"] <= truth["derived_from_personal_data"]
    assert _close(section["derived_from_personal_data"], truth["derived_from_personal_data"], 0.05)


def test_blood_groups_match_truth(sample_view, sample_links, sample_truth):
    section = data_classes.summarize(sample_view, sample_links)
    assert section["blood_groups"] == sample_truth["blood_groups"]


def test_one_row_per_visit_dump(tmp_path):
    """A generated dump with about 3 rows per person: count within 0.5 % and inside bounds."""
    import json

    from dumpscope.synth.generator import generate

    dump = tmp_path / "visits.csv"
    generate(dump, rows=3000, seed=5, rows_per_person=3, labels=False)
    truth = json.loads((tmp_path / "visits.csv.truth.json").read_text("utf-8"))
    view = _view_of(dump, tmp_path / "work")
    section = persons.summarize(view, persons.link(view))
    n_true = truth["persons"]["distinct"]
    assert n_true < 0.5 * section["rows"]  # really several rows per person
    assert section["distinct_low"] <= n_true <= section["distinct_high"]
    assert abs(section["distinct"] - n_true) <= max(1, 0.005 * n_true)
    demo = demographics.summarize(view, persons.link(view))
    assert _close(demo["persons"]["female"], truth["persons"]["female"], 0.005)
    assert {k: demo["sex"][k] for k in truth["sex"]} == truth["sex"]
