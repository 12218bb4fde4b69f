"""findings.assemble / dumps: stable keys, explicit "not computed", determinism, schema."""

from __future__ import annotations

import json

import pytest

from dumpscope import findings

from .sample_sections import HOSTILE

ISSUE_8_KEYS = {
    "evidence": {"sha256", "bytes", "encoding", "delimiter", "physical_lines"},
    "records": {"loaded", "quarantined_lines", "exact_duplicate_rows"},
    "persons": {"distinct", "distinct_low", "distinct_high", "female", "male", "minors"},
    "nir": {"valid", "invalid_key", "key_missing", "malformed", "missing"},
    "dates": {"sample_min", "sample_max", "invalid"},
    "labs": {"count", "by_code"},
    "geography": {"by_departement"},
    "sensitive": {"categories"},
    "contact": {"email", "landline", "mobile"},
    "credentials": {"rows_with_login", "rows_with_password"},
    "severity": {"dpc", "ei", "cb", "se", "level"},
}


def test_stable_keys_are_all_there(facts):
    for key, fields in ISSUE_8_KEYS.items():
        assert facts[key]["status"] == "computed", (key, facts[key])
        assert fields <= set(facts[key]), key
    for key in ("profile", "authenticity", "quality", "meta", "timeline", "demographics"):
        assert key in facts


def test_values_are_read_from_the_sections(facts):
    assert facts["evidence"]["sha256"] == "a" * 64
    assert facts["evidence"]["physical_lines"] == 491900
    assert facts["records"]["loaded"] == 491840
    assert facts["records"]["quarantine_by_reason"] == {"extra_fields": 40, "nul_byte": 9}
    assert facts["persons"]["distinct"] == 470123
    assert facts["persons"]["female"] == 260000  # from demographics.persons
    assert facts["nir"]["invalid_key"] == 7000  # from profile.nir
    assert facts["contact"]["email"] == {"valid": 55000, "invalid": 738, "missing": 436102}
    assert facts["dates"]["sample_max"] == "2020-10-30"
    assert facts["labs"]["count"] == 3
    assert facts["geography"]["by_departement"]["2A"] == {"persons": 4, "rows": 4}
    hiv = facts["sensitive"]["categories"]["hiv"]
    assert hiv["qualifiers"]["family"] == {"persons": 4, "rows": 5}
    assert hiv["persons"] is None  # the detector gives no category total: not invented
    assert facts["severity"]["cb"]["malicious"] == 0.5
    assert facts["severity"]["level"] == "very_high"


def test_missing_sections_are_marked_not_computed_never_zero():
    f = findings.assemble({}, {"k": 10})
    for key in ISSUE_8_KEYS:
        assert f[key]["status"] == "not_computed"
        assert f[key]["missing_sections"]
        assert set(f[key]) == {"status", "missing_sections"}  # no figure at all, not 0
    assert f["meta"]["sections_present"] == []
    assert "persons" in f["meta"]["sections_missing"]
    assert findings.validate(f) == []


def test_partial_section_lists_missing_fields(sections):
    del sections["demographics"]
    f = findings.assemble(sections, {})
    assert f["persons"]["status"] == "partial"
    assert f["persons"]["distinct"] == 470123
    assert f["persons"]["female"] is None
    assert set(f["persons"]["missing_fields"]) == {"female", "male", "minors"}


def test_one_place_maps_sections_to_keys():
    known = set(findings.SECTIONS)
    for fields in findings.SOURCES.values():
        for candidates in fields.values():
            assert candidates, "every field has at least one source"
            assert {section for section, _ in candidates} <= known | {"quality"}
    for key in findings.PASSTHROUGH:
        assert {s for s, _ in findings.PASSTHROUGH[key]} <= known | {"quality"}


def test_assemble_twice_gives_identical_bytes(sections):
    one = findings.dumps(findings.assemble(sections, {"k": 10}))
    # same content, different insertion order and volatile meta: same bytes
    shuffled = {name: sections[name] for name in reversed(list(sections))}
    meta = {"k": 10, "run_id": "20261128-abc", "started_utc": "2026-11-28T21:00:00Z"}
    two = findings.dumps(findings.assemble(shuffled, meta))
    assert one == two
    assert one.endswith("\n")


def test_no_volatile_or_example_field_survives(facts):
    text = findings.dumps(facts)
    for word in ("timing", "generated_at", "run_id", "/tmp/volatile", "MUST-NOT-APPEAR"):
        assert word not in text
    assert set(facts["meta"]) >= {"schema_version", "dumpscope_version", "k"}
    assert "run_id" not in facts["meta"]


def test_stable_float_formatting():
    f = findings.stable({"b": 0.1 + 0.2, "a": float("nan"), "c": -0.0, "d": {"z": 1, "y": (1, 2)}})
    assert f == {"a": None, "b": 0.3, "c": 0.0, "d": {"y": [1, 2], "z": 1}}
    assert list(f) == ["a", "b", "c", "d"]
    assert json.loads(findings.dumps({"x": 1 / 3}))["x"] == 0.333333


def test_schema_accepts_sample_and_rejects_bad(facts):
    assert findings.validate(facts) == []
    bad = json.loads(findings.dumps(facts))
    bad["persons"]["distinct"] = -5
    bad["evidence"]["sha256"] = "not-a-hash"
    del bad["nir"]
    problems = findings.validate(bad)
    assert any("persons/distinct" in p for p in problems)
    assert any("evidence/sha256" in p for p in problems)
    assert any("'nir' is a required property" in p for p in problems)


def test_loads_round_trip_and_validation(facts):
    assert findings.loads(findings.dumps(facts)) == facts
    with pytest.raises(ValueError, match="schema"):
        findings.loads('{"meta": {}}')


def test_write_is_atomic_and_deterministic(tmp_path, facts):
    path = findings.write(facts, tmp_path / "findings.json")
    assert path.read_text("utf-8") == findings.dumps(facts)
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]


def test_severity_completed_from_inputs():
    f = findings.assemble(
        {"severity": {"dpc": 3, "ei": 0.75, "cb_components": {"confidentiality": 0.5}}}, {}
    )
    assert f["severity"]["se"] == pytest.approx(2.75)
    assert f["severity"]["level"] == "medium"
    assert [findings.enisa_level(x) for x in (1.9, 2, 3.5, 4, 5)] == [
        "low",
        "medium",
        "high",
        "very_high",
        "very_high",
    ]


def test_truth_like_and_totalled_sensitive_shapes_agree():
    totalled = {
        "categories": {
            "hiv": {
                "persons": 9,
                "rows": 10,
                "qualifiers": {"positive": {"rows": 10, "persons": 9}},
            }
        }
    }
    truth_like = {"hiv": {"positive": {"rows": 10, "persons": 9}}}
    a = findings.assemble({"sensitive": totalled}, {})["sensitive"]["categories"]["hiv"]
    b = findings.assemble({"sensitive": {"categories": truth_like}}, {})["sensitive"][
        "categories"
    ]["hiv"]
    assert a["qualifiers"] == b["qualifiers"]
    assert findings.category_persons(a) == findings.category_persons(b) == 9


def test_strings_from_the_dump_are_kept_verbatim_in_json(facts):
    # findings.json is data, not HTML: escaping happens at rendering
    assert HOSTILE in facts["labs"]["by_code"]["L56-03"]["names"]
