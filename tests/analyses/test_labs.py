"""labs.summarize on a view with known labs, renamings and prescribers."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from geo_factory import GAP_LAB, GAP_MONTH, make_view

from dumpscope.analyses import labs
from dumpscope.reference import load_reference


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def built():
    return make_view()


@pytest.fixture(scope="module")
def section(built, ref):
    view, links, _ = built
    return labs.summarize(view, links, ref, k=10)


def test_per_lab_counts_windows_names_equal_truth(section, built):
    truth = built[2]["labs"]
    assert section["count"] == len(truth)
    for code, t in truth.items():
        got = section["by_code"][code]
        for key in ("rows", "persons", "first_sample", "last_sample", "names", "dep"):
            assert got[key] == t[key], (code, key)
    json.dumps(section)


def test_renamed_lab_has_two_periods(section):
    periods = section["by_code"]["L56-01"]["name_periods"]
    assert [p["name"] for p in periods] == ["LABO DU PORT", "OCEALAB VANNES"]
    assert periods[0]["last_sample"] < "2018-06-01" <= periods[1]["first_sample"]
    assert sum(p["rows"] for p in periods) == section["by_code"]["L56-01"]["rows"]


def test_gap_month_and_catchment(section):
    lab = section["by_code"][GAP_LAB]
    assert f"{GAP_MONTH[0]}-{GAP_MONTH[1]:02d}" in lab["months_without_samples"]
    assert lab["dep_basis"] == "code"
    assert lab["patients_main_dep"] == "45"
    assert sum(v["rows"] for v in lab["catchment"].values()) <= lab["rows"]


def test_prescribers_equal_truth(section, built):
    truth = built[2]["prescriber_departements"]
    assert section["prescribers"]["departements"] == truth


def test_prescribers_from_postcode_when_no_doctor_dep(built, ref):
    view, links, truth = built
    out = labs.summarize(view.drop("doctor_dep"), links, ref, k=10)
    assert out["prescribers"]["departements"] == truth["prescriber_departements"]


def test_without_links_rows_only(built, ref):
    view, _, truth = built
    out = labs.summarize(view, None, ref, k=10)
    assert out["by_code"]["L45-02"]["persons"] is None
    assert out["by_code"]["L45-02"]["rows"] == truth["labs"]["L45-02"]["rows"]


def test_departement_from_code():
    known = {"56", "2A", "974", "45"}
    assert labs.departement_from_code("L56-03", known) == "56"
    assert labs.departement_from_code("L2A-01", known) == "2A"
    assert labs.departement_from_code("L974-1", known) == "974"
    assert labs.departement_from_code("LAB-X", known) is None
    assert labs.departement_from_code("L99-01", known) is None


def test_lab_without_code_departement_uses_patients(ref):
    view = pl.DataFrame(
        {
            "_source_line": pl.Series(range(2, 14), dtype=pl.UInt64),
            "lab_code": ["XYZ"] * 12,
            "lab_name": ["LABO X"] * 12,
            "residence_dep": ["35"] * 8 + ["22"] * 4,
            "sample_date": [dt.date(2019, 1, 1)] * 12,
        }
    )
    out = labs.summarize(view, None, ref, k=10)
    assert out["by_code"]["XYZ"]["dep"] == "35"
    assert out["by_code"]["XYZ"]["dep_basis"] == "patients"


def test_lab_table(section):
    table = labs.lab_table(section)
    assert table.height == section["count"]
    row = table.filter(pl.col("lab_code") == "L56-01").row(0, named=True)
    assert row["names"] == "LABO DU PORT → OCEALAB VANNES"


# ----------------------------------------------------------------- on the committed sample


@pytest.fixture(scope="module")
def sample(sample_dump, tmp_path_factory):
    from geo_factory import sample_pipeline

    return sample_pipeline(sample_dump, tmp_path_factory.mktemp("labs_sample"))


def test_sample_labs_match_truth(sample, sample_truth):
    view, links, reference = sample
    out = labs.summarize(view, links, reference, k=10)
    truth = sample_truth["labs"]
    assert out["count"] == len(truth)
    for code, t in truth.items():
        got = out["by_code"][code]
        for key in ("rows", "first_sample", "last_sample", "names", "dep"):
            assert got[key] == t[key], (code, key)
        assert got["persons"] == pytest.approx(t["persons"], rel=0.05, abs=2), code


def test_sample_prescriber_shares_match_truth(sample, sample_truth):
    # the view's doctor_dep is the prescriber's, else the attending doctor's (contracts §5):
    # a few more rows are placed than the truth's prescriber-only count, shares stay close
    view, links, reference = sample
    out = labs.summarize(view, links, reference, k=10)["prescribers"]["departements"]
    truth = sample_truth["prescriber_departements"]
    total_out, total_truth = sum(out.values()), sum(truth.values())
    for code in ("56", "45", "27", "22", "35", "41"):
        assert out.get(code, 0) / total_out == pytest.approx(
            truth.get(code, 0) / total_truth, abs=0.015
        ), code


def test_catchment_frame(section):
    frame = labs.catchment_frame(section, top=2)
    assert frame.group_by("lab_code").len()["len"].max() <= 2
    first = frame.filter(pl.col("lab_code") == "L45-02").row(0, named=True)
    assert first["dep"] == "45"
    assert 0 < first["share_rows"] <= 1
