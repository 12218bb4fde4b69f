"""Normalized column names."""

from __future__ import annotations

from dumpscope.intake.names import normalize_name, normalize_names


def test_ascii_snake_case():
    assert normalize_name("Prénom", 0) == "prenom"
    assert normalize_name("N° Sécu (NIR)", 0) == "n_secu_nir"
    assert normalize_name("Sœur", 0) == "soeur"
    assert normalize_name("  ", 4) == "column_5"
    assert normalize_name("1er contact", 0) == "c_1er_contact"


def test_duplicates_get_suffixes_without_collisions():
    assert normalize_names(["Nom", "NOM", "nom", "Nom 2"]) == ["nom", "nom_2", "nom_3", "nom_2_2"]
    assert normalize_names(["a", "a_2", "A"]) == ["a", "a_2", "a_3"]
    assert normalize_names(["_source_line"]) == ["source_line"]
