"""Authenticity indicators tell genuine-looking, fabricated and re-compiled views apart.

The views here are built directly in the normalized-view shape (docs/contracts.md §5), so that each
indicator's logic is tested on its own; tests/analyses/test_authenticity_dumps.py runs whole dumps
through intake and normalization.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from dumpscope.analyses.authenticity import assess, explain
from dumpscope.analyses.authenticity import indicators as ind
from dumpscope.analyses.authenticity.references import name_ranks, public_holidays

N = 3000


def _zipf_pick(rng, names: list[str], n: int) -> list[str]:
    weights = 1.0 / np.arange(1, len(names) + 1)
    return list(rng.choice(names, size=n, p=weights / weights.sum()))


def _weekday_dates(rng, n: int) -> list[dt.date]:
    start = dt.date(2015, 1, 5)
    days = rng.integers(0, 2100, size=n * 2)
    holidays = set(public_holidays(2015, 2021).to_list())
    out = []
    for d in days:
        day = start + dt.timedelta(days=int(d))
        if day.weekday() < 6 and day not in holidays:
            out.append(day)
        if len(out) == n:
            break
    return out


def genuine_view(seed: int = 1, n: int = N) -> pl.DataFrame:
    """A view with the internal consistency of a real export (and its small imperfections)."""
    rng = np.random.default_rng(seed)
    first = name_ranks("first")["name"].head(400).to_list()
    last = name_ranks("last")["name"].head(2000).to_list()
    sex = rng.choice(["F", "M"], size=n, p=[0.58, 0.42])
    birth = [
        dt.date(1930, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 32000, size=n)
    ]
    samples = _weekday_dates(rng, n)
    nir_status = rng.choice(["valid", "invalid_key", "missing"], size=n, p=[0.97, 0.02, 0.01])
    deps = rng.choice(["56", "45", "27", "22", "35", "41"], size=n)
    zone_digit = "2"
    domains = rng.choice(
        ["orange.fr", "gmail.com", "wanadoo.fr", "free.fr", "monmail.bzh"], size=n
    )
    email_status = rng.choice(["valid", "invalid", "missing"], size=n, p=[0.1, 0.01, 0.89])
    postcode_status = rng.choice(["valid", "invalid"], size=n, p=[0.99, 0.01])
    return pl.DataFrame(
        {
            "_source_line": np.arange(2, n + 2, dtype=np.uint64),
            "first_name": _zipf_pick(rng, first, n),
            "usage_name": _zipf_pick(rng, last, n),
            "name_mojibake": rng.random(n) < 0.003,
            "sex": sex,
            "birth_date": birth,
            "birth_date_status": ["valid"] * n,
            "nir": [f"{i:015d}" for i in range(n)],
            "nir_status": nir_status,
            "nir_sex": sex,
            "nir_birth_yy": [b.year % 100 for b in birth],
            "nir_birth_month": [b.month for b in birth],
            "postcode_status": postcode_status,
            "city": ["VILLE"] * n,
            "commune_insee": [
                None if s != "valid" or rng.random() < 0.03 else "56260" for s in postcode_status
            ],
            "residence_dep": deps,
            "landline": [f"+33{zone_digit}97{i % 1000000:06d}" for i in range(n)],
            "landline_status": rng.choice(["valid", "invalid"], size=n, p=[0.98, 0.02]),
            "mobile_status": ["missing"] * n,
            "email_domain": domains,
            "email_status": email_status,
            "sample_date": samples,
            "lab_code": rng.choice([f"L56-{i:02d}" for i in range(1, 8)], size=n),
        },
        schema_overrides={"nir_birth_yy": pl.Int16, "nir_birth_month": pl.Int8},
    )


def fabricated_view(seed: int = 2, n: int = N) -> pl.DataFrame:
    """What a forger produces: random valid-key NIRs, uniform short name lists, uniform postcodes
    and dates, placeholder e-mail domains, no imperfections."""
    rng = np.random.default_rng(seed)
    faker_first = name_ranks("first")["name"].sample(200, seed=seed).to_list()
    faker_last = name_ranks("last")["name"].sample(400, seed=seed).to_list()
    birth = [
        dt.date(1900, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 43000, size=n)
    ]
    samples = [
        dt.date(2015, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 2100, size=n)
    ]
    return genuine_view(seed, n).with_columns(
        first_name=pl.Series(list(rng.choice(faker_first, size=n))),
        usage_name=pl.Series(list(rng.choice(faker_last, size=n))),
        name_mojibake=pl.lit(False),
        nir_status=pl.lit("valid"),
        nir_sex=pl.Series(list(rng.choice(["F", "M"], size=n))),
        nir_birth_yy=pl.Series(rng.integers(0, 100, size=n), dtype=pl.Int16),
        nir_birth_month=pl.Series(rng.integers(1, 13, size=n), dtype=pl.Int8),
        birth_date=pl.Series(birth),
        sample_date=pl.Series(samples),
        commune_insee=pl.Series([None if rng.random() < 0.95 else "56260" for _ in range(n)]),
        postcode_status=pl.lit("valid"),
        landline=pl.Series([f"+33{rng.integers(1, 6)}{i:08d}" for i in range(n)]),
        landline_status=pl.lit("valid"),
        email_domain=pl.Series(
            list(rng.choice(["example.org", "example.com", "dupont.fr"], size=n))
        ),
        email_status=pl.Series(list(rng.choice(["valid", "missing"], size=n, p=[0.3, 0.7]))),
    )


def recompiled_view() -> pl.DataFrame:
    """Two genuine-looking extracts stitched together, overlapping on 30 % of the persons, the
    second one written by another system (other lab codes, other sample dates)."""
    a = genuine_view(3)
    overlap = a.sample(fraction=0.3, seed=4).with_columns(
        lab_code=pl.lit("OLD-01"),
        sample_date=pl.col("sample_date") - pl.duration(days=400),
    )
    b = genuine_view(5).with_columns(nir=pl.col("nir") + "B")
    return pl.concat([a, b, overlap])


def _status(section: dict, code: str) -> str:
    return next(i["status"] for i in section["indicators"] if i["code"] == code)


def test_genuine_view_is_consistent():
    section = assess(genuine_view(), quarantined_lines=12)
    assert section["conclusion"]["verdict"] == "consistent_with_genuine", section
    assert section["conclusion"]["against"] == []


def test_fabricated_view_is_called_fabricated():
    section = assess(fabricated_view(), quarantined_lines=0)
    conclusion = section["conclusion"]
    assert conclusion["verdict"] == "likely_fabricated", conclusion
    for code in (
        "nir_sex_agreement",
        "nir_birth_agreement",
        "postcode_city_agreement",
        "first_name_frequencies",
        "surname_frequencies",
        "sample_days",
        "email_domains",
        "too_clean",
    ):
        assert _status(section, code) == "inconsistent", code


def test_recompiled_view_is_called_recompiled():
    section = assess(recompiled_view(), quarantined_lines=12)
    assert section["conclusion"]["verdict"] == "likely_recompiled", section["conclusion"]
    assert _status(section, "duplicate_identities") == "inconsistent"


def test_repeated_header_and_date_layouts_point_to_recompilation():
    columns = [
        {"index": 0, "original": "NOM", "name": "nom"},
        {"index": 1, "original": "DATE_PRELEVEMENT", "name": "date_prelevement"},
    ]
    working = pl.DataFrame(
        {
            "nom": ["DUPONT"] * 60 + ["NOM"] + ["MARTIN"] * 60,
            "date_prelevement": ["03/02/2018"] * 60 + ["DATE_PRELEVEMENT"] + ["2018-02-03"] * 60,
        }
    )
    roles = pl.DataFrame(
        {"column": ["nom", "date_prelevement"], "role": ["usage_name", "sample_date"]}
    )
    header = ind.repeated_headers(working, columns)
    assert header["status"] == "inconsistent" and header["value"] == 1
    layouts = ind.format_mixture(working, ["date_prelevement"])
    assert layouts["status"] == "inconsistent"
    clean = working.filter(pl.col("nom") == "DUPONT")
    assert ind.repeated_headers(clean, columns)["status"] == "consistent"
    assert ind.format_mixture(clean, ["date_prelevement"])["status"] == "consistent"
    section = assess(
        genuine_view(), working=working, columns=columns, roles=roles, quarantined_lines=3
    )
    assert section["conclusion"]["verdict"] == "likely_recompiled"


def test_small_basis_is_not_assessable():
    small = genuine_view(n=10)
    section = assess(small, quarantined_lines=1)
    assert all(i["status"] == "not_assessable" for i in section["indicators"] if i["basis"] < 30)
    assert section["conclusion"]["verdict"] == "inconclusive"


def test_sample_days_counts_sundays_and_holidays():
    view = pl.DataFrame(
        {
            "sample_date": [dt.date(2019, 7, 14), dt.date(2019, 7, 21)] * 20  # holiday, Sunday
            + [dt.date(2019, 7, 16)] * 60
        }
    )
    result = ind.sample_days(view)
    assert result["value"] == pytest.approx(0.4)
    assert result["status"] == "inconsistent"


def test_phone_zone_uses_residence_departement():
    view = pl.DataFrame(
        {
            "landline": ["+33297000000"] * 40 + ["+33145000000"] * 10,
            "landline_status": ["valid"] * 50,
            "residence_dep": ["56"] * 50,
        }
    )
    assert ind.phone_zone_agreement(view)["value"] == pytest.approx(0.8)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_explain_gives_sentences_in_both_languages(lang):
    section = assess(fabricated_view(), quarantined_lines=0)
    text = explain(section, lang)
    assert text["verdict"] and text["limits"]
    assert len(text["rows"]) == len(section["indicators"])
    assert len(text["against"]) == len(section["conclusion"]["against"])


def test_section_is_deterministic_and_json_ready():
    import json

    a = json.dumps(assess(genuine_view()), sort_keys=True)
    b = json.dumps(assess(genuine_view()), sort_keys=True)
    assert a == b
