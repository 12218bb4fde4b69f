"""Role detection on export layouts that differ from the generator's, and the mapping file."""

from __future__ import annotations

import polars as pl
import pytest

from dumpscope.errors import ParameterError
from dumpscope.roles import ROLES, detect_roles, load_mapping
from dumpscope.roles.detect import SCHEMA
from dumpscope.roles.headers import fold_header, header_evidence

from .layouts import abbreviated_layout, anonymous_layout, english_layout
from .reference_stub import make_reference

LAYOUTS = [english_layout, abbreviated_layout, anonymous_layout]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_layout_roles(layout):
    frame, columns, expected = layout()
    roles = detect_roles(frame, columns, reference=make_reference())
    assert roles.schema == pl.Schema(SCHEMA)
    assert roles["column"].to_list() == [c["name"] for c in columns]
    wrong = [
        (o, r, e)
        for o, r, e in zip(roles["original"], roles["role"], expected, strict=True)
        if r != e
    ]
    assert wrong == []
    assert roles["role"].is_in(list(ROLES)).all()
    assert not roles["forced"].any()
    assert roles["confidence"].is_between(0, 1).all()


def test_content_decides_without_headers_or_reference():
    frame, columns, expected = anonymous_layout()
    roles = detect_roles(frame, columns)  # no reference: city names are not recognised
    got = dict(zip(roles["original"], roles["role"], strict=True))
    for original, role in zip([c["original"] for c in columns], expected, strict=True):
        if role != "city":
            assert got[original] == role, original
    assert "header not recognised" in roles["evidence"][0]


def test_evidence_never_contains_values():
    frame, columns, _ = english_layout()
    roles = detect_roles(frame, columns, reference=make_reference())
    values = set()
    for c in columns:
        values |= set(frame[c["name"]].drop_nulls().to_list())
    for text in roles["evidence"]:
        assert not any(v and len(v) > 3 and v in text for v in values)


def test_content_overrides_a_misleading_header():
    frame, columns, _ = english_layout()
    # the e-mail column is mislabelled "SSN2"
    columns = [dict(c, original="SSN2") if c["original"] == "Email" else c for c in columns]
    roles = detect_roles(frame, columns)
    assert roles.filter(pl.col("original") == "SSN2")["role"][0] == "email"


def test_mapping_forces_roles_by_header_or_name():
    frame, columns, _ = english_layout()
    roles = detect_roles(frame, columns, {"Zip": "doctor_postcode", "c13": "other"})
    forced = roles.filter(pl.col("forced"))
    assert dict(zip(forced["original"], forced["role"], strict=True)) == {
        "Zip": "doctor_postcode",
        "Notes": "other",
    }
    assert forced["confidence"].to_list() == [1.0, 1.0]


def test_mapping_errors(tmp_path):
    frame, columns, _ = english_layout(20)
    with pytest.raises(ParameterError, match="unknown role 'postcod'.*did you mean 'postcode'"):
        detect_roles(frame, columns, {"Zip": "postcod"})
    with pytest.raises(ParameterError, match="'Zipp', not in the dump.*'Zip'"):
        detect_roles(frame, columns, {"Zipp": "postcode"})
    good = tmp_path / "m.yaml"
    good.write_text("Zip: postcode\nNOM PRENOM: usage_name\n", "utf-8")
    assert load_mapping(good) == {"Zip": "postcode", "NOM PRENOM": "usage_name"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("Zip: [postcode\n", "utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_mapping(bad)
    (tmp_path / "list.yaml").write_text("- Zip\n", "utf-8")
    with pytest.raises(ParameterError, match="YAML mapping"):
        load_mapping(tmp_path / "list.yaml")
    with pytest.raises(ParameterError, match="unknown role"):
        (tmp_path / "r.yaml").write_text("Zip: zipcode\n", "utf-8")
        load_mapping(tmp_path / "r.yaml")
    with pytest.raises(ParameterError, match="not found"):
        load_mapping(tmp_path / "missing.yaml")
    assert load_mapping(_empty(tmp_path)) == {}


def _empty(tmp_path):
    p = tmp_path / "empty.yaml"
    p.write_text("", "utf-8")
    return p


def test_empty_frame_and_empty_columns():
    frame = pl.DataFrame({"a": pl.Series([], dtype=pl.Utf8), "b": pl.Series([], dtype=pl.Utf8)})
    columns = [{"index": 0, "original": "NUM_SS", "name": "a"},
               {"index": 1, "original": "ZZ_TECH_01", "name": "b"}]  # fmt: skip
    roles = detect_roles(frame, columns)
    assert roles["role"].to_list() == ["nir", "other"]
    assert "column is empty" in roles["evidence"][0]


@pytest.mark.parametrize(
    ("header", "role"),
    [("NUM_SS", "nir"), ("N° Sécurité Sociale", "nir"), ("DATE_NAISS", "birth_date"),
     ("Date de naissance", "birth_date"), ("CP", "postcode"), ("Code Postal", "postcode"),
     ("GRP_SANG", "blood_group"), ("TEL_PORT", "mobile"), ("Tél. domicile", "landline"),
     ("NOM_NAISSANCE", "birth_name"), ("Nom de jeune fille", "birth_name"),
     ("CP_MEDECIN_TRAITANT", "doctor_postcode"), ("EMAIL_MEDECIN", "other"),
     ("MDP_WEB", "password"), ("Mot de passe", "password"), ("LOGIN_WEB", "login"),
     ("Prénom", "first_name"), ("LastName", "usage_name"), ("DOB", "birth_date"),
     ("Civilité", "civility"), ("Rhésus", "rhesus"), ("NOM PRENOM", "usage_name"),
     ("DATE_DERNIERE_VISITE", "last_visit_date"), ("DATE_PRELEVEMENT", "sample_date"),
     ("PRELEVEUR", "other"), ("PAYS", "other"), ("NUM_ADHERENT", "other")],
)  # fmt: skip
def test_header_variants(header, role):
    found = header_evidence(header)
    assert max(found, key=lambda r: found[r][0]) == role, (fold_header(header), found)


def test_typed_columns_are_read_as_text():
    frame = pl.DataFrame({"a": [75001, 56000, 35000] * 10, "b": ["x"] * 30})
    columns = [{"index": 0, "original": "CP", "name": "a"},
               {"index": 1, "original": "B", "name": "b"}]  # fmt: skip
    roles = detect_roles(frame, columns)
    assert roles["role"].to_list() == ["postcode", "other"]
    assert "column is empty" not in roles["evidence"][0]


def test_bare_generic_headers_leave_it_to_content():
    frame, columns, _ = anonymous_layout(100)
    renamed = {"C3": "DATE", "C7": "CODE", "C1": "NUM"}
    columns = [dict(c, original=renamed.get(c["original"], c["original"])) for c in columns]
    roles = detect_roles(frame, columns)
    got = dict(zip(roles["original"], roles["role"], strict=True))
    assert (got["DATE"], got["CODE"], got["NUM"]) == ("birth_date", "postcode", "nir")
    assert header_evidence("DATE_MODIF") == {"other": (0.8, "a technical field")}
    assert header_evidence("FLAG") == {"other": (0.8, "a technical field")}
