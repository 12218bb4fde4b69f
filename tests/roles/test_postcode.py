"""Postcodes against the reference (tiny stub with the reference's columns)."""

from __future__ import annotations

import polars as pl

from dumpscope.roles.validators.postcode import fold_place, validate_postcode

from .reference_stub import make_reference


def test_postcode_status_and_commune():
    pcs = ["56000", "56000", "27300", "27300", "35000", "99999", "", None, "48250", "20000",
           " 56610 ", "56100"]  # fmt: skip
    cities = ["VANNES", "Vanes", "BERNAY", "MENNEVAL", "RENNES CEDEX 9", "X", "", None, None,
              "AJACCIO", "Arradon", "St Malo"]  # fmt: skip
    out = validate_postcode(pl.Series(pcs), pl.Series(cities), make_reference())
    assert (
        out["postcode_status"].to_list()
        == ["valid"] * 5 + ["invalid", "missing", "missing"] + ["valid"] * 4
    )
    assert out["commune_insee"].to_list() == [
        "56260", "56260", "27056", "27372", "35238", None, None, None, "07136", "2A004",
        "56007", None,
    ]  # fmt: skip
    # Laveyrune: postcode of Lozère (48), commune in Ardèche (07): the commune wins.
    assert out["residence_dep"][8] == "07"
    assert out["residence_region"][8] == "84"
    # a valid postcode whose city does not match still gives the département
    assert out["residence_dep"][11] == "56"
    assert out["postcode"][10] == "56610"


def test_fold_place():
    out = (
        pl.Series(["St-Malo", "Sainte Anne d'Auray", "ÉVREUX CEDEX", "  le   Mans "])
        .to_frame("v")
        .select(fold_place(pl.col("v")))["v"]
    )
    assert out.to_list() == ["SAINT MALO", "SAINTE ANNE D AURAY", "EVREUX", "LE MANS"]
