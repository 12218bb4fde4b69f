"""Tests of dumpscope.analyses.credentials (counts only, passwords never returned)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from dumpscope.analyses import credentials

PASSWORDS = [
    "azerty",  # < 8 -> very_weak, common
    "k9#",  # < 8 -> very_weak
    "Helene1975",  # first name (accent folded) -> derived; 3 kinds -> medium
    "04051970",  # birth date ddmmyyyy -> derived; digits only -> weak
    "helen",  # shortened first name -> derived; very_weak
    "zqxwvbnm",  # one kind, 8 chars -> weak
    "azerty123",  # 2 kinds -> weak, common
    "Zqxw7bnm",  # 3 kinds -> medium
    "Zq7#xwvbnmkp",  # 12 chars, 4 kinds -> strong
    None,
]


def _view():
    n = len(PASSWORDS)
    return pl.DataFrame(
        {
            "_source_line": list(range(2, 2 + n)),
            "login": ["u"] * (n - 2) + [None, "u"],
            "password": PASSWORDS,
            "usage_name": ["LE GOFF"] * n,
            "birth_name": [None] * n,
            "first_name": ["Hélène"] * n,
            "birth_date": [dt.date(1970, 5, 4)] * n,
            "city": ["Vannes"] * n,
            "postcode": ["56000"] * n,
        },
        schema_overrides={"_source_line": pl.UInt64},
    )


def _links(view, ids=None):
    ids = ids or [f"p{i}" for i in view["_source_line"]]
    return pl.DataFrame({"_source_line": view["_source_line"], "person_id": ids})


def test_classify_strength_and_derivation():
    facts = credentials.classify(_view())
    assert facts["strength"].to_list() == [
        "very_weak",
        "very_weak",
        "medium",
        "weak",
        "very_weak",
        "weak",
        "weak",
        "medium",
        "strong",
        None,
    ]
    assert facts["derived"].to_list() == [False] * 2 + [True] * 3 + [False] * 5
    assert facts["derived_name"].sum() == 2
    assert facts["derived_birth_date"].sum() == 1  # 04051970 (1975 is not her year)
    assert facts["common"].to_list() == [True] + [False] * 5 + [True] + [False] * 3


def test_summarize_counts_and_never_leaks():
    view = _view()
    ids = ["a", "a", "b", "c", "d", "e", "f", "g", "h", "i"]
    section = credentials.summarize(view, _links(view, ids))
    text = json.dumps(section)
    for pw in PASSWORDS:
        if pw:
            assert pw not in text
    assert section["rows_with_password"] == 9
    assert section["rows_with_login"] == 9
    assert section["rows_with_login_and_password"] == 8
    assert section["persons_with_password"] == 8
    assert section["derived_from_personal_data"] == 3
    assert section["strength"] == {"very_weak": 3, "weak": 3, "medium": 2, "strong": 1}
    assert sum(section["strength_persons"].values()) == 8
    assert section["strength_persons"]["very_weak"] == 2  # persons a (2 rows) and d
    assert section["common"] == 2
    assert section["distinct_passwords"] == 9
    assert section["persons_sharing_a_password"] == 0


def test_shared_password_between_persons():
    view = _view().with_columns(password=pl.lit("soleil"))
    section = credentials.summarize(view, _links(view))
    assert section["distinct_passwords"] == 1
    assert section["persons_sharing_a_password"] == 10


def test_common_list_is_shipped():
    common = credentials.common_passwords()
    assert "azerty" in common and "123456" in common
    assert all(p == p.lower() for p in common)
