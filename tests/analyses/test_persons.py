"""Tests of dumpscope.analyses.persons (linkage and person count)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from test_persons_factory import make_view

from dumpscope.analyses import persons


def _row(line, last, first, birth, nir=None, status="missing", **extra):
    base = {
        "_source_line": line,
        "usage_name": last,
        "birth_name": None,
        "first_name": first,
        "birth_date": birth,
        "postcode": "56000",
        "nir": nir,
        "nir_status": status,
        "sex": None,
        "nir_sex": None,
        "lab_code": "L56-01",
    }
    base.update(extra)
    return base


def _frame(rows):
    return pl.DataFrame(rows).with_columns(pl.col("_source_line").cast(pl.UInt64))


D = dt.date(1970, 5, 4)


def test_link_shape_and_order():
    view = _frame([_row(2, "DUPONT", "Jean", D), _row(3, "MARTIN", "Anne", D)])
    links = persons.link(view)
    assert links.columns == ["_source_line", "person_id", "link_method"]
    assert links.schema["person_id"] == pl.Utf8
    assert links.schema["_source_line"] == pl.UInt64
    assert links["_source_line"].to_list() == [2, 3]
    assert links["person_id"].n_unique() == 2
    assert set(links["link_method"]) == {"single"}


def test_same_valid_nir_is_one_person_and_different_nirs_never_merge():
    view = _frame(
        [
            _row(2, "DUPONT", "Jean", D, "170055600100104", "valid"),
            _row(3, "DUPONT", "Jean", D, "170055600100104", "valid"),
            # same names and birth date but another valid NIR: another person
            _row(4, "DUPONT", "Jean", D, "170055600100203", "valid"),
            # no NIR: attached to one of them, never merging the two
            _row(5, "DUPONT", "Jean", D),
        ]
    )
    links = persons.link(view)
    ids = links["person_id"].to_list()
    assert ids[0] == ids[1] == "p2"
    assert ids[2] != ids[0]
    assert ids[3] in (ids[0], ids[2])
    assert links["link_method"].to_list() == ["nir", "nir", "nir", "nir+names"]


def test_typo_mojibake_and_usage_name_are_linked():
    view = _frame(
        [
            _row(2, "LE GOFF", "Hélène", D, "270055600100151", "valid", sex="F"),
            _row(3, "LE GOFF", "HÃ©lÃ¨ne", D),  # mojibake left over
            _row(4, "LE GFOF", "Helene", D),  # typo, no accent
            _row(5, "KERGUEN", "Hélène", D, birth_name="LE GOFF"),  # married name
            _row(6, "LE GOFF", "Hélène", None),  # birth date missing, same postcode
        ]
    )
    links = persons.link(view)
    assert links["person_id"].n_unique() == 1
    assert links["link_method"].to_list()[1:] == ["nir+names"] * 4


def test_different_people_are_not_merged():
    view = _frame(
        [
            _row(2, "MARTIN", "Marie", D, sex="F"),
            _row(3, "MARTIN", "Pierre", D),  # twin, other first name
            _row(4, "MARTIN", "Marie", dt.date(1981, 2, 3)),  # namesake, other birth date
            _row(5, "MARTIN", "Marie", D, sex="F"),
            _row(6, "MARTIN", "Marie", D, sex="M"),  # sex contradicts
        ]
    )
    links = persons.link(view)
    ids = links["person_id"].to_list()
    assert len({ids[0], ids[1], ids[2]}) == 3
    assert ids[3] == ids[0]
    assert ids[4] != ids[3]


def test_empty_view():
    view = _frame([_row(2, "A", "B", D)]).head(0)
    links = persons.link(view)
    assert links.height == 0
    section = persons.summarize(view, links)
    assert section["distinct"] == 0


@pytest.mark.parametrize("rows_per_person", [1.0, 1.6])
def test_accuracy_on_synthetic_view(rows_per_person):
    view, truth = make_view(6000, rows_per_person=rows_per_person, seed=11)
    links = persons.link(view)
    section = persons.summarize(view, links)
    n_true = truth["true_person"].n_unique()
    assert section["distinct_low"] <= n_true <= section["distinct_high"]
    assert abs(section["distinct"] - n_true) / n_true <= 0.005
    joined = links.join(truth, on="_source_line")
    impure = joined.group_by("person_id").agg(pl.col("true_person").n_unique())
    assert (impure["true_person"] > 1).sum() <= 0.002 * n_true
    assert sum(section["rows_per_person"].values()) == section["distinct"]


def test_summarize_labs_and_histogram():
    view = _frame(
        [
            _row(2, "DUPONT", "Jean", D, "170055600100104", "valid", lab_code="L1"),
            _row(3, "DUPONT", "Jean", D, "170055600100104", "valid", lab_code="L2"),
            _row(4, "MARTIN", "Anne", D, lab_code="L1"),
        ]
    )
    section = persons.summarize(view, persons.link(view))
    assert section["distinct"] == 2
    assert section["distinct_high"] == 2
    assert section["persons_per_lab"] == {"L1": 2, "L2": 1}
    assert section["persons_in_several_labs"] == 1
    assert section["rows_per_person"] == {"1": 1, "2": 1}
    assert isinstance(section["method"], str) and "NIR" in section["method"]


def test_report_sentences_suppress_small_counts():
    from dumpscope.analyses import persons_report

    section = {
        "rows": 1200,
        "distinct": 1000,
        "distinct_low": 990,
        "distinct_high": 1010,
        "persons_in_several_labs": 3,
        "rows_per_person": {"1": 997, "2": 3},
    }
    text = " ".join(persons_report.say_figures("persons", section, "en", 10))
    assert "< 10 persons appear in several" in text
    assert "1,000" in text or "1000" in text
    frame = persons_report.chart_frame("rows_per_person", section)
    assert frame["persons"].to_list() == [997, 3]
    pyramid = persons_report.chart_frame(
        "age_pyramid",
        {
            "age_pyramid": [
                {"band": "0-4", "band_start": 0, "sex": "F", "persons": 4},
                {"band": "0-4", "band_start": 0, "sex": "M", "persons": 12},
            ]
        },
        k=10,
    )
    assert pyramid["signed"].to_list() == [0, 12]  # small cell not drawn


def test_nir_without_valid_key_links_and_nir_birth_year_separates():
    nir = "270055600100151"
    view = _frame(
        [
            _row(2, "LE GOFF", "Hélène", D, nir, "valid"),
            # wrong key, married name, birth date missing: same NIR body
            _row(3, "KERGUEN", "Helene", None, nir[:13] + "99", "invalid_key"),
            # namesake without a birth date whose NIR says born in 1985: another person
            _row(4, "MARTIN", "Anne", None, "285015600100128", "valid"),
            _row(5, "MARTIN", "Anne", D),
        ]
    )
    ids = persons.link(view)["person_id"].to_list()
    assert ids[1] == ids[0]
    assert ids[3] != ids[2]


def test_missing_name_and_malformed_nir_prefix():
    nir = "270055600100151"
    view = _frame(
        [
            _row(2, "LE GOFF", "Hélène", D, nir, "valid", sex="F"),
            # surname missing: same birth date, postcode and first name
            _row(3, None, "HELENE", D, sex="F"),
            # spreadsheet-mangled NIR keeping 11 leading digits, first name only
            _row(4, None, "Hélène", D, "27005560010E+14", "malformed", postcode="35000"),
            # same birth date and département digits but another person
            _row(5, "MARTIN", "Anne", D, "2700556", "malformed"),
        ]
    )
    ids = persons.link(view)["person_id"].to_list()
    assert ids[1] == ids[0]
    assert ids[2] == ids[0]
    assert ids[3] != ids[0]
