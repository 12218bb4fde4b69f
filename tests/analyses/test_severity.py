"""Tests of dumpscope.analyses.severity (ENISA SE = DPC × EI + CB)."""

from __future__ import annotations

import json

import pytest

from dumpscope.analyses import severity
from dumpscope.errors import ParameterError


def _figures(*, health=True, minors=3, named=1000, nir=990, dob=1000, address=950):
    classes = [
        {"name": "Names", "persons": named, "rows": named},
        {"name": "Dates of birth", "persons": dob, "rows": dob},
        {"name": "Physical addresses", "persons": address, "rows": address},
        {"name": "Government issued IDs", "persons": nir, "rows": nir},
    ]
    if health:
        classes.append({"name": "Personal health data", "persons": 400, "rows": 400})
    return {
        "persons": {"distinct": 1000, "distinct_low": 990, "distinct_high": 1010, "rows": 1200},
        "demographics": {"persons": {"minors": minors}},
        "data_classes": {
            "data_classes": classes,
            "art9": ["data concerning health"] if health else [],
            "combinations": {"identity_nir": nir},
            "health_basis": "detector",
        },
        "sensitive": {"categories": {"pregnancy": {"qualifiers": {"positive": {"persons": 7}}}}},
        "credentials": {"persons_with_password": 30},
    }


CASE = {
    "confidentiality": "unknown_recipients",
    "integrity": "none",
    "availability": "none",
    "malicious": True,
}


def test_reference_case_is_very_high():
    out = severity.assess(_figures(), CASE)
    json.dumps(out)
    assert (out["dpc"], out["ei"], out["cb"]) == (4, 1.0, 1.0)
    assert out["se"] == 5.0
    assert out["level"] == "very_high"
    assert out["cb_components"] == {
        "confidentiality": 0.5,
        "integrity": 0.0,
        "availability": 0.0,
        "malicious": 0.5,
    }
    assert out["outside_formula"]["pregnant_persons"] == 7
    assert out["outside_formula"]["hiv_persons"] is None
    assert out["outside_formula"]["persons"] == 1000
    assert out["individuals"] == 1000
    assert set(out["justifications"]) == {"dpc", "ei", "cb"}
    # no raw small counts in the wording
    assert " 3 " not in out["justification"] and " 7 " not in out["justification"]


def test_bands_and_lower_inputs():
    assert severity.level_for(1.99) == "low"
    assert severity.level_for(2.0) == "medium"
    assert severity.level_for(3.5) == "high"
    assert severity.level_for(4.0) == "very_high"
    out = severity.assess(_figures(health=False, minors=0, nir=0, dob=100, address=100), {})
    assert out["dpc"] == 1
    assert out["ei"] == 0.5
    assert out["cb"] == 0.0
    assert out["se"] == 0.5
    assert out["level"] == "low"


def test_minors_raise_dpc_below_the_maximum():
    figures = _figures(health=False, minors=5)
    figures["data_classes"]["data_classes"].append({"name": "Passwords", "persons": 5})
    out = severity.assess(figures, {})
    assert out["dpc_base"] == 3
    assert out["dpc"] == 4


def test_public_before_lowers_dpc():
    out = severity.assess(_figures(minors=0), {"publicly_available_before": True})
    assert out["dpc"] == 3


@pytest.mark.parametrize(
    "bad",
    [{"confidentiality": "lots"}, {"malicious": "yes"}, {"colour": "red"}, {"encrypted": 1}],
)
def test_bad_circumstances_raise(bad):
    with pytest.raises(ParameterError):
        severity.assess(_figures(), bad)


def test_truth_like_sensitive_shape():
    figures = _figures()
    figures["sensitive"] = {"hiv": {"positive": {"rows": 4, "persons": 3}}}
    out = severity.assess(figures, CASE)
    assert out["outside_formula"]["hiv_persons"] == 3


def test_sensitive_detector_section_shape():
    figures = _figures()
    figures["sensitive"] = {
        "sensitive": {"pregnancy": {"positive": {"rows": 9, "persons": 8}}},
        "any_health": {"rows": 20, "persons": 15},
    }
    out = severity.assess(figures, CASE)
    assert out["outside_formula"]["pregnant_persons"] == 8


def test_mostly_invalid_nirs_lower_dpc():
    figures = _figures(minors=0)
    figures["data_classes"]["nir_invalid_rows"] = 900  # of 990 NIR rows
    out = severity.assess(figures, CASE)
    assert out["dpc"] == 3
    assert any("invalid" in r for r in out["justifications"]["dpc"])


def test_french_justifications_and_sentences():
    from dumpscope.analyses import persons_report

    out = severity.assess(_figures(), CASE)
    fr = out["justifications_fr"]
    assert fr["dpc"][0].startswith("Base 4 (données sensibles)")
    assert fr["ei"].startswith("Maximale (1)")
    assert "inconnu" in fr["cb"]["confidentiality"]
    text = " ".join(persons_report.say_figures("severity", out, "fr", 10))
    assert "très élevé" in text and "Maximale" in text
