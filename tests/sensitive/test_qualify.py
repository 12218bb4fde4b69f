"""Unit tests of the qualifier engine on short French lab phrasings."""

from __future__ import annotations

import pytest

from dumpscope.analyses.sensitive.qualify import default_engine, rank, split_sentences


@pytest.fixture(scope="module")
def engine():
    return default_engine()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VIH neg", {"hiv": "negated"}),
        ("Patient VIH+", {"hiv": "positive"}),
        ("sérologie VIH demandée", {"hiv": "requested"}),
        ("? grossesse", {"pregnancy": "requested"}),
        ("grossesse à confirmer", {"pregnancy": "requested"}),
        ("pas de grossesse", {"pregnancy": "negated"}),
        ("grossesse non évolutive", {"pregnancy": "positive"}),
        ("ATCD familial de cancer du sein", {"cancer": "family"}),
        ("pas d'ATCD familial de cancer", {"cancer": "negated"}),
        ("diabète non insulinodépendant", {"diabetes": "positive"}),
        ("non à jeun, diabétique", {"diabetes": "positive"}),
        ("séronégative toxoplasmose", {}),
        ("tumeur bénigne", {}),
        ("vaccin hépatite B", {}),
        ("Béta-HCG : 1250 UI/L", {"pregnancy": "positive"}),
        ("bHCG < 5", {"pregnancy": "negated"}),
        ("enfant trisomique 21", {"genetic": "positive"}),
        ("charge virale VIH indétectable", {"hiv": "positive"}),
        ("Sérologies VIH, VHC demandées", {"hiv": "requested", "hepatitis": "requested"}),
        ("pas de diabète ni HTA", {"diabetes": "negated", "chronic_other": "negated"}),
        (
            "Sérologie VIH demandée car patiente enceinte",
            {"hiv": "requested", "pregnancy": "positive"},
        ),
    ],
)
def test_short_phrasings(engine, text, expected):
    assert engine.qualify_text(text) == expected


def test_antiretroviral_implies_hiv_positive(engine):
    out = engine.qualify_text("sous Biktarvy")
    assert out == {
        "medication": "positive",
        "hiv": "positive",
        "medication_class": "antiretroviral",
    }


def test_prep_does_not_imply_hiv(engine):
    out = engine.qualify_text("Truvada en PrEP")
    assert "hiv" not in out
    assert out["medication_class"] == "antiretroviral"


def test_exam_list_mentions_are_requests(engine):
    assert engine.qualify_text("NFS;SEROLOGIE VIH;HCG", exam=True) == {
        "hiv": "requested",
        "pregnancy": "requested",
    }
    assert engine.qualify_text("Charge virale VIH", exam=True) == {"hiv": "positive"}


def test_row_precedence_positive_over_others(engine):
    out = engine.qualify_text("VIH négatif en 2018. Sérologie VIH demandée. VIH+ confirmé")
    assert out["hiv"] == "positive"
    out = engine.qualify_text("Sérologie VIH demandée | VIH neg")
    assert out["hiv"] == "requested"


def test_medication_class_follows_winning_qualifier(engine):
    out = engine.qualify_text("arrêt du Préviscan | sous Levothyrox")
    assert out["medication"] == "positive"
    assert out["medication_class"] == "thyroid"


def test_rules_without_edsnlp_still_qualify_cued_text():
    from dumpscope.analyses.sensitive.qualify import QualifierEngine

    bare = QualifierEngine(use_edsnlp=False)
    assert bare.qualify_text("VIH neg") == {"hiv": "negated"}


def test_helpers():
    assert split_sentences("a | b; c. d") == ["a ", " b", " c", "d"]
    assert rank("positive") > rank("family") > rank("requested") > rank("negated") > rank(None)


def test_edsnlp_fallback_option_runs_offline():
    """The opt-in edsnlp qualifiers load without any download and decide uncued clauses."""
    from dumpscope.analyses.sensitive.qualify import QualifierEngine

    eds = QualifierEngine(use_edsnlp=True)
    # cue rules still decide first
    assert eds.qualify_text("VIH neg") == {"hiv": "negated"}
    # no cue of ours (a spouse is no blood relative): edsnlp's family pipe decides
    assert eds.qualify_text("épouse diabétique") == {"diabetes": "family"}
    assert QualifierEngine().qualify_text("épouse diabétique") == {"diabetes": "positive"}


def test_k_means_cancer_only_after_a_pathology_examination():
    from dumpscope.analyses.sensitive.qualify import default_engine

    engine = default_engine()
    assert engine.qualify_text("biopsie négative (pas de K)").get("cancer") == "negated"
    assert engine.qualify_text("anapath : K").get("cancer") == "positive"
    assert "cancer" not in engine.qualify_text("pas de K, kaliémie normale")
    assert "cancer" not in engine.qualify_text("hyperkaliémie, pas de K ajouté")


def test_elision_apostrophe_typed_late():
    from dumpscope.analyses.sensitive.qualify import default_engine

    engine = default_engine()
    assert engine.qualify_text("pas dH'TA").get("chronic_other") == "negated"
    assert engine.qualify_text("l'HTA est traitée").get("chronic_other") == "positive"
