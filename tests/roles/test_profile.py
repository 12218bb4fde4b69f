"""Column profile, duplicates, masking and the summarized section."""

from __future__ import annotations

import json

import polars as pl

from dumpscope.analyses.profile import duplicates, mask_value, profile_columns, shape, summarize
from dumpscope.roles import detect_roles, normalize

from .layouts import english_layout
from .reference_stub import make_reference


def _run(n=120):
    frame, columns, _ = english_layout(n)
    ref = make_reference()
    roles = detect_roles(frame, columns, reference=ref)
    return frame, roles, normalize(frame, roles, ref), ref


def test_shapes():
    out = (
        pl.Series(["MARTIN", "Dupont", "Jean-Pierre", "02 97 12 34 56", "a.b9@x.fr", "x" * 40])
        .to_frame("v")
        .select(shape(pl.col("v")))["v"]
    )
    assert out.to_list() == ["A", "Aa", "Aa-Aa", "99 99 99 99 99", "a.a9@a.a", "a"]


def test_mask_value():
    assert mask_value("nir", "2 85 05 56 148 023 38") == "2 85 ** ** *** *** **"
    assert mask_value("usage_name", "Jean DUPONT") == "J*** D***"
    assert mask_value("mobile", "+33 6 12 34 56 78") == "06 12 ** ** **"
    assert mask_value("email", "jean.dupont@orange.fr") == "j***@orange.fr"
    assert mask_value("birth_date", "12/03/1985") == "**/**/1985"
    assert mask_value("postcode", "56000") == "56***"
    assert mask_value("blood_group", "A+") == "A+"
    assert mask_value("password", "secret") == "s***"


def test_profile_columns():
    frame, roles, view, ref = _run()
    frame = frame.with_columns(
        c2=pl.lit("X"), c6=pl.when(pl.int_range(pl.len()) < 2).then(pl.col("c6")).otherwise(None)
    )
    prof = profile_columns(frame, roles, view, reference=ref, examples=True)
    assert prof.height == roles.height
    row = {r["original"]: r for r in prof.to_dicts()}
    assert row["SSN"]["validity_rate"] == 1.0 and row["SSN"]["fill_rate"] == 1.0
    assert row["Notes"]["validity_rate"] is None
    assert row["FirstName"]["alerts"] == ["constant"]
    assert row["FirstName"]["distinct"] == 1
    assert "mostly_missing" in row["Street"]["alerts"]
    assert row["Phone1"]["shapes"] == [{"shape": "99 99 99 99 99", "share": 1.0}]
    assert all(e.endswith("** ** **") for e in row["Phone1"]["examples"])
    # no raw personal value in shapes or examples
    text = json.dumps(prof.select("shapes", "examples").to_dicts(), ensure_ascii=False)
    for col in ("c1", "c5", "c9", "c11"):
        for value in frame[col].drop_nulls().unique().to_list():
            assert value not in text


def test_profile_mostly_invalid_and_empty():
    frame = pl.DataFrame({"a": ["x", "y", "z", "0297112233"], "b": [""] * 4})
    roles = pl.DataFrame(
        {"column": ["a", "b"], "original": ["TEL", "NUM_SS"], "role": ["landline", "nir"]}
    )
    prof = profile_columns(frame, roles).to_dicts()
    assert prof[0]["alerts"] == ["mostly_invalid"] and prof[0]["validity_rate"] == 0.25
    assert prof[1]["alerts"] == ["empty"] and prof[1]["shapes"] == []
    assert prof[0]["shapes"] == [
        {"shape": "a", "share": 0.75},
        {"shape": "9999999999", "share": 0.25},
    ]


def test_duplicates():
    frame, roles, view, _ = _run(30)
    doubled = pl.concat([frame, frame.head(3)]).with_columns(
        _source_line=pl.int_range(pl.len(), dtype=pl.UInt64)
    )
    ref = make_reference()
    dview = normalize(doubled, roles, ref)
    out = duplicates(doubled, dview)
    assert out["exact_duplicate_rows"] == 3
    assert out["by_nir"] == {"groups": 3, "rows": 6, "extra_rows": 3}
    assert out["by_name_birth_date"]["extra_rows"] >= 3


def test_summarize_keys_and_json():
    frame, roles, view, ref = _run()
    section = summarize(frame, roles, view, reference=ref)
    json.dumps(section, ensure_ascii=False)
    assert section["nir"] == {
        "valid": 120, "invalid_key": 0, "key_missing": 0, "malformed": 0, "missing": 0,
    }  # fmt: skip
    assert set(section["contact"]) == {"email", "landline", "mobile"}
    assert sum(section["contact"]["mobile"].values()) == 120
    assert section["sex"]["declared_F"] + section["sex"]["declared_M"] == 120
    assert section["sex"]["inconsistent_with_nir"] == 0
    assert set(section["civility"]) == {"Mme", "M.", "Enfant", "Bébé", "Sœur", "missing"}
    assert sum(section["blood_groups"].values()) == 120
    assert section["records"]["exact_duplicate_rows"] == 0
    assert section["mojibake"] == {"rows": 0}
    assert len(section["roles"]) == len(section["column_profile"]) == roles.height
    assert section["columns"] == roles.height
    assert section["sample_dates"]["missing"] == 120


def test_validity_from_view_equals_own_validation():
    frame, roles, view, ref = _run(80)
    frame = frame.with_columns(
        c5=pl.when(pl.int_range(pl.len()) % 7 == 0).then(pl.lit("12345")).otherwise("c5")
    )
    view = normalize(frame, roles, ref)
    with_view = profile_columns(frame, roles, view, reference=ref)["validity_rate"]
    alone = profile_columns(frame, roles, None, reference=ref)["validity_rate"]
    assert with_view.to_list() == alone.to_list()
    assert 0.8 < with_view[5] < 0.9


def test_duplicate_rows_exact_with_empty_columns_and_nulls():
    frame = pl.DataFrame(
        {
            "a": ["x", "x", "y", "x", None],
            "b": ["", "", "", "", ""],
            "c": [None, None, None, "", None],
            "_source_line": [1, 2, 3, 4, 5],
        }
    )
    # rows 1 and 2 are equal; row 4 differs from them by "" vs null in c
    assert duplicates(frame)["exact_duplicate_rows"] == 1
    assert duplicates(frame.head(0))["exact_duplicate_rows"] == 0


def test_display_frames():
    from dumpscope.analyses.profile import (
        alerts_table,
        counts_table,
        profile_sentence,
        profile_table,
        roles_table,
    )

    frame, roles, view, ref = _run(60)
    frame = frame.with_columns(zz=pl.lit(""))
    roles = pl.concat(
        [roles, pl.DataFrame({"column": ["zz"], "original": ["ZZ"], "role": ["other"],
                              "confidence": [1.0], "evidence": ["x"], "forced": [False]})]
    )  # fmt: skip
    prof = profile_columns(frame, roles, view, reference=ref)
    table = profile_table(prof, k=10)
    assert "ZZ" not in table["column"].to_list()  # empty columns are not listed
    assert table.filter(pl.col("column") == "Phone1")["shapes"][0] == "99 99 99 99 99 (100%)"
    assert alerts_table(prof).to_dicts() == [{"alert": "empty", "columns": 1, "examples": "ZZ"}]
    assert roles_table(roles)["column"][-1] == "ZZ"
    section = summarize(frame, roles, view, profile=prof)
    counts = counts_table(section)
    assert (
        counts.filter((pl.col("field") == "nir") & (pl.col("status") == "valid"))["rows"][0] == 60
    )
    assert "NIR : 60 valides" in profile_sentence(section, "fr", 10)
    assert "NIR: 60 valid" in profile_sentence(section, "en", 10)
    assert "< 10" in profile_sentence(section, "en", 100)
