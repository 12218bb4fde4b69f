"""Wording: fr and en complete and aligned; every template renders from findings."""

from __future__ import annotations

import re
import string

import pytest

from dumpscope import findings
from dumpscope.report import wording


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_fr_and_en_have_the_same_keys():
    fr, en = wording.flat_keys("fr"), wording.flat_keys("en")
    assert set(fr) == set(en)
    for key in fr:
        if isinstance(fr[key], list):
            assert len(fr[key]) == len(en[key]), key
        else:
            assert _placeholders(str(fr[key])) == _placeholders(str(en[key])), key


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_template_renders_with_sample_findings(lang, facts):
    values = wording.figures(facts, lang, 10)
    for key, template in wording.flat_keys(lang).items():
        for item in template if isinstance(template, list) else [template]:
            text = str(item).format_map({**values, "sections": "x", "n": 1})
            assert "{" not in text, key


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_template_renders_when_nothing_was_computed(lang):
    empty = findings.assemble({}, {})
    values = wording.figures(empty, lang, 10)
    nc = wording.template("not_computed", lang)
    assert values["persons"] == nc and values["rows"] == nc and values["se"] == nc
    for sentence in wording.executive_summary(empty, lang, 10):
        assert not re.search(r"\b0\b", sentence)  # never a silent zero
    for name in wording.template("sections", lang):
        wording.section_sentences(name, empty, lang, 10)


def test_executive_summary_fr(facts):
    text = " ".join(wording.executive_summary(facts, "fr", 10))
    assert "491\u202f840 enregistrements" in text
    assert "470\u202f123 personnes distinctes" in text
    assert "de janvier 2015 à octobre 2020" in text
    assert "3 codes de laboratoire" in text  # numbers of labs are not suppressed
    assert "très élevé" in text
    assert "VIH (490 personnes," in text  # affirmed mentions when no category total
    assert "490 avec une infection affirmée" in text


def test_executive_summary_en(facts):
    text = " ".join(wording.executive_summary(facts, "en", 10))
    assert "491,840 readable records" in text
    assert "January 2015 to October 2020" in text
    assert '"very high"' in text


def test_small_counts_read_below_k(facts):
    values = wording.figures(facts, "fr", 10)
    assert values["duplicates"] == "< 10"
    assert values["genetic_persons"] == "< 10"
    assert values["hepatitis_persons"] == "0"  # not detected at all: zero, stated
    assert wording.figures(facts, "fr", 2)["duplicates"] == "3"


def test_labels_translate_codes():
    assert wording.label("hiv", "fr") == "VIH"
    assert wording.label("hiv", "en") == "HIV"
    assert wording.label("unknown_code", "fr") == "unknown_code"


def test_glossary_and_limitations():
    assert len(wording.glossary("fr")) == len(wording.glossary("en")) >= 6
    assert all(term and definition for term, definition in wording.glossary("en"))
    assert wording.limitations("fr") and wording.alternatives("en")
