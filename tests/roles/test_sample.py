"""On the committed synthetic sample: every role right, every validator count equal to the truth."""

from __future__ import annotations

import polars as pl
import pytest

from dumpscope.analyses.profile import profile_columns, summarize
from dumpscope.roles import detect_roles, normalize
from dumpscope.roles.normalize import VIEW_SCHEMA

#: Roles of the generator's patient columns (docs/contracts.md §1); every other column is other.
EXPECTED = {
    "NUM_DOSSIER": "dossier", "CODE_LABO": "lab_code", "NOM_LABO": "lab_name",
    "CIVILITE": "civility", "NOM_USAGE": "usage_name", "NOM_NAISSANCE": "birth_name",
    "PRENOM": "first_name", "SEXE": "sex", "DATE_NAISSANCE": "birth_date", "NUM_SS": "nir",
    "ADRESSE1": "address", "ADRESSE2": "address", "CODE_POSTAL": "postcode", "VILLE": "city",
    "PAYS": "other", "TEL_DOMICILE": "landline", "TEL_PORTABLE": "mobile",
    "TEL_TRAVAIL": "landline", "EMAIL": "email", "GROUPE_SANGUIN": "blood_group",
    "RHESUS": "rhesus", "MEDECIN_TRAITANT": "doctor_name",
    "CP_MEDECIN_TRAITANT": "doctor_postcode", "MEDECIN_PRESCRIPTEUR": "doctor_name",
    "CP_PRESCRIPTEUR": "doctor_postcode", "EMAIL_MEDECIN": "other", "MUTUELLE": "mutuelle",
    "NUM_ADHERENT": "other", "PRELEVEUR": "other", "DATE_PRELEVEMENT": "sample_date",
    "DATE_DERNIERE_VISITE": "last_visit_date", "LISTE_EXAMENS": "exam_list",
    "COMMENTAIRE_1": "comment", "COMMENTAIRE_2": "comment", "LOGIN_WEB": "login",
    "MDP_WEB": "password",
}  # fmt: skip

TRUTH_KEYS = ("nir", "contact", "postcode", "birth_date", "sex", "civility", "blood_groups",
              "mojibake")  # fmt: skip


@pytest.fixture(scope="module")
def sample_run(sample_dump, tmp_path_factory):
    from dumpscope.intake import run_intake
    from dumpscope.reference import load_reference

    result = run_intake(sample_dump, tmp_path_factory.mktemp("work"))
    working = pl.read_parquet(result.working_path)
    reference = load_reference()
    roles = detect_roles(working, result.record["columns"], reference=reference)
    view = normalize(working, roles, reference)
    return working, roles, view, reference


def test_every_role(sample_run):
    _, roles, _, _ = sample_run
    got = dict(zip(roles["original"], roles["role"], strict=True))
    wrong = {
        h: (r, EXPECTED.get(h, "other")) for h, r in got.items() if r != EXPECTED.get(h, "other")
    }
    assert wrong == {}
    assert set(EXPECTED) <= set(got)


def test_every_role_without_reference(sample_run):
    working, roles, _, _ = sample_run
    columns = [
        {"index": i, "original": o, "name": c}
        for i, (c, o) in enumerate(roles.select("column", "original").iter_rows())
    ]
    again = detect_roles(working, columns)
    assert again["role"].to_list() == roles["role"].to_list()


@pytest.mark.parametrize("key", TRUTH_KEYS)
def test_counts_equal_truth(sample_run, sample_truth, key):
    working, roles, view, reference = sample_run
    section = summarize(working, roles, view, reference=reference)
    assert section[key] == sample_truth[key]


def test_records_and_sample_dates(sample_run, sample_truth):
    working, roles, view, reference = sample_run
    section = summarize(working, roles, view, reference=reference)
    assert section["exact_duplicate_rows"] == sample_truth["records"]["exact_duplicate_rows"]
    assert section["records"]["rows"] == sample_truth["records"]["loaded"]
    assert section["sample_dates"] == sample_truth["sample_dates"]


def test_view_shape(sample_run, sample_truth):
    working, _, view, _ = sample_run
    assert view.schema == pl.Schema(VIEW_SCHEMA)
    assert view.height == working.height == sample_truth["records"]["loaded"]
    assert view["_source_line"].to_list() == working["_source_line"].to_list()


def test_profile_has_no_alert_on_personal_columns(sample_run):
    working, roles, view, reference = sample_run
    prof = profile_columns(working, roles, view, reference=reference)
    personal = prof.filter(pl.col("role").is_in(["nir", "postcode", "birth_date", "email"]))
    assert personal["validity_rate"].min() > 0.9
    assert not personal["alerts"].list.contains("mostly_invalid").any()
    empty = prof.filter(pl.col("alerts").list.contains("empty"))
    assert (empty["role"] == "other").all()
