"""The normalized view: exact columns and types, row order, multi-column roles."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dumpscope.roles import detect_roles, normalize
from dumpscope.roles.normalize import VIEW_SCHEMA

from .layouts import abbreviated_layout, english_layout, make_people
from .reference_stub import make_reference


def _columns(headers):
    return [{"index": i, "original": h, "name": f"c{i}"} for i, h in enumerate(headers)]


def test_view_schema_and_order():
    frame, columns, _ = english_layout(50)
    ref = make_reference()
    view = normalize(frame, detect_roles(frame, columns, reference=ref), ref)
    assert view.schema == pl.Schema(VIEW_SCHEMA)
    assert view.height == 50
    assert view["_source_line"].to_list() == frame["_source_line"].to_list()
    people = make_people(50)
    assert view["nir"].to_list() == [p["nir13"] + p["key"] for p in people]
    assert view["birth_date"][0] == dt.date.fromisoformat(people[0]["birth_iso"])
    assert view["usage_name"].to_list() == [p["last"] for p in people]


def test_split_key_and_merged_layout():
    frame, columns, _ = abbreviated_layout(80)
    ref = make_reference()
    roles = detect_roles(frame, columns, reference=ref)
    view = normalize(frame, roles, ref)
    assert view["nir_status"].unique().to_list() == ["valid"]
    assert view["blood_group"].null_count() == 0
    assert view["mobile_status"].unique().to_list() == ["valid"]
    assert view["residence_dep"].null_count() == 0


def test_multi_column_rules():
    headers = ["ADRESSE1", "ADRESSE2", "COMMENTAIRE_1", "COMMENTAIRE_2", "MEDECIN_TRAITANT",
               "CP_MEDECIN_TRAITANT", "MEDECIN_PRESCRIPTEUR", "CP_PRESCRIPTEUR", "TEL_DOMICILE",
               "TEL_TRAVAIL", "MDP_WEB", "GROUPE_SANGUIN", "RHESUS"]  # fmt: skip
    rows = [
        ["12 RUE DE LA PAIX", "BAT B", "suivi HTA", "", "Dr A", "56000", "Dr B", "35000",
         "", "02 97 11 22 33", " pass word ", "0", "POS"],
        ["", "  ", "", "", "Dr A", "56000", "", "", "0297112233", "0238112233", "", "AB", ""],
    ]  # fmt: skip
    frame = pl.DataFrame(
        {f"c{i}": [r[i] for r in rows] for i in range(len(headers))}
    ).with_columns(_source_line=pl.Series([2, 3], dtype=pl.UInt64))
    ref = make_reference()
    view = normalize(frame, detect_roles(frame, _columns(headers)), ref)
    assert view["address"].to_list() == ["12 RUE DE LA PAIX | BAT B", None]
    assert view["comment"].to_list() == ["suivi HTA", None]
    assert view["doctor_name"].to_list() == ["Dr B", "Dr A"]  # prescriber first
    assert view["doctor_postcode"].to_list() == ["35000", "56000"]
    assert view["doctor_dep"].to_list() == ["35", "56"]
    assert view["landline"].to_list() == ["+33297112233", "+33297112233"]
    assert view["password"].to_list() == [" pass word ", None]  # kept as written
    assert view["blood_group"].to_list() == ["O+", None]  # no rhesus: not a full group


def test_merged_name_column_is_split():
    frame, columns, _ = abbreviated_layout(60)
    ref = make_reference()
    view = normalize(frame, detect_roles(frame, columns, reference=ref), ref)
    people = make_people(60)
    assert view["usage_name"].to_list() == [p["last"] for p in people]
    assert view["first_name"].to_list() == [p["first"] for p in people]


def test_split_full_names_rules():
    from dumpscope.roles.content import first_names
    from dumpscope.roles.validators.names import split_full_names

    out = split_full_names(
        pl.Series(["MARTIN Jean", "Marie LE GALL", "DUPONT", None, "LE BRIS Anne-Marie"]),
        first_names(),
    )
    assert out["surname"].to_list() == ["MARTIN", "LE GALL", "DUPONT", None, "LE BRIS"]
    assert out["first_name"].to_list() == ["Jean", "Marie", None, None, "Anne-Marie"]
    # a column of plain surnames is not a merged column
    assert split_full_names(pl.Series(["ZORG QUUX", "BLIP ZAP"]), first_names()) is None
