"""Hand-made sections shaped like the notebooks' output, with small counts and hostile strings.

Shapes follow the analyses' ``summarize``/``assess`` docstrings (custody, profile, persons,
demographics, data_classes, credentials, severity, sensitive.detect, geography, timeline,
authenticity); ``labs`` is a guess (its notebook was not there when this was written).
"""

from __future__ import annotations

import copy

HOSTILE = "<script>document.title='PWNED'</script><img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x","y")'

_SECTIONS = {
    "evidence": {
        "name": "dump.csv",
        "bytes": 123456789,
        "sha256": "a" * 64,
        "sha1": "b" * 40,
        "md5": "c" * 32,
        "encoding": "cp1252",
        "delimiter": ";",
        "columns": 152,
        "physical_lines": 491900,
        "verified": True,
        "path": "/tmp/volatile/dump.csv",
    },
    "records": {
        "physical_lines": 491900,
        "header_lines": 1,
        "loaded": 491840,
        "loaded_lines": 491850,
        "quarantined_lines": 49,
        "reconciled": True,
        "multiline_records": 12,
        "exact_duplicate_rows": 3,
        "quarantine_by_reason": {
            "extra_fields": {"count": 40, "lines": [3, 9]},
            "nul_byte": {"count": 9, "lines": [5]},
        },
        "timing": {"seconds": 12.3},
    },
    "profile": {
        "nir": {
            "valid": 480000,
            "invalid_key": 7000,
            "key_missing": 2000,
            "malformed": 838,
            "missing": 2002,
        },
        "contact": {
            "email": {"valid": 55000, "invalid": 738, "missing": 436102},
            "landline": {"valid": 270000, "invalid": 569, "missing": 221271},
            "mobile": {"valid": 159000, "invalid": 591, "missing": 332249},
        },
        "records": {"rows": 491840, "exact_duplicate_rows": 3},
        "examples": {"nom_usage": ["MUST-NOT-APPEAR"]},
    },
    "persons": {
        "distinct": 470123,
        "distinct_low": 465000,
        "distinct_high": 480000,
        "rows": 491840,
        "method": "nir+name+birth_date",
        "persons_per_lab": {"L56-03": 95000},
    },
    "demographics": {
        "persons": {"distinct": 470123, "female": 260000, "male": 205000, "minors": 13900},
    },
    "data_classes": {
        "data_classes": [
            {"name": "identity", "rows": 491000, "persons": 470000},
            {"name": "nir", "rows": 489838, "persons": 469000},
            {"name": "health", "rows": 125000, "persons": 120000},
            {"name": "credentials", "rows": 14997, "persons": 14990},
            {"name": "blood_group", "rows": 7, "persons": 7},
        ],
        "combinations": {
            "identity_nir": 468000,
            "identity_health": 119000,
            "identity_credentials": 14990,
        },
    },
    "credentials": {
        "rows_with_login": 15001,
        "rows_with_password": 14997,
        "derived_from_personal_data": 3100,
        "strength": {"very_weak": 5000, "weak": 6000, "medium": 3000, "strong": 997},
    },
    "severity": {
        "dpc": 4,
        "ei": 1.0,
        "cb": 1.0,
        "cb_components": {
            "confidentiality": 0.5,
            "integrity": 0.0,
            "availability": 0.0,
            "malicious": 0.5,
        },
        "se": 5.0,
        "level": "very_high",
        "justifications": {
            "dpc": ["health data", "NIR present"],
            "ei": "name + NIR",
            "cb": {"confidentiality": "unknown recipients", "malicious": "offered for sale"},
        },
    },
    "sensitive": {
        "sensitive": {
            "hiv": {
                "positive": {"rows": 500, "persons": 490},
                "negated": {"rows": 300, "persons": 290},
                "requested": {"rows": 25, "persons": 25},
                "family": {"rows": 5, "persons": 4},
            },
            "cancer": {"positive": {"rows": 3100, "persons": 3000}},
            "genetic": {"positive": {"rows": 3, "persons": 3}},
            "pregnancy": {"positive": {"rows": 4400, "persons": 4321}},
            "medication": {"positive": {"rows": 9500, "persons": 9000}},
        },
        "medication_classes": {
            "antiretroviral": {"rows": 100, "persons": 98},
            "insulin": {"rows": 2, "persons": 2},
        },
        "any_health": {"rows": 15500, "persons": 15000},
        "examples": ["MUST-NOT-APPEAR"],
    },
    "geography": {
        "basis": "residence postcode",
        "departements": {
            "56": {"persons": 170000, "rows": 177000},
            "45": {"persons": 100000, "rows": 108000},
            "2A": {"persons": 4, "rows": 4},
        },
        "regions": {"53": {"persons": 250000, "rows": 260000}},
        "unlocated_rows": 2000,
    },
    "labs": {
        "count": 3,
        "by_code": {
            "L56-03": {
                "rows": 100000,
                "persons": 95000,
                "first_sample": "2015-01-02",
                "last_sample": "2020-10-30",
                "names": ["Labo Vannes", HOSTILE],
                "dep": "56",
            },
            "L45-01": {
                "rows": 90000,
                "persons": 88000,
                "first_sample": "2015-03-01",
                "last_sample": "2020-09-30",
                "names": [FORMULA],
                "dep": "45",
            },
            "L27-09": {
                "rows": 5,
                "persons": 5,
                "first_sample": "2019-01-01",
                "last_sample": "2019-02-01",
                "names": ["Labo Évreux"],
                "dep": "27",
            },
        },
    },
    "timeline": {
        "sample_min": "2015-01-02",
        "sample_max": "2020-10-30",
        "valid": 491523,
        "invalid": 17,
        "missing": 300,
        "per_year": {"2015": 50000, "2019": 441515, "2020": 8},
        "per_month": {"2015-01": 4000},
        "generated_at": "2026-11-28T21:00:00Z",
    },
    "authenticity": {
        "indicators": [
            {
                "code": "nir_key_validity",
                "value": 0.976,
                "basis": 489838,
                "threshold": ">= 0.9",
                "status": "consistent",
                "strength": "strong",
                "points_to": "fabrication",
            },
            {
                "code": "sample_days",
                "value": 0.01,
                "basis": 3,
                "threshold": "<= 0.05",
                "status": "not_assessable",
                "strength": "weak",
                "points_to": "fabrication",
            },
        ],
        "conclusion": {"verdict": "consistent_with_genuine", "confidence": "high"},
        "label": HOSTILE,
    },
}


def sample_sections() -> dict:
    """A fresh deep copy of the sample sections."""
    return copy.deepcopy(_SECTIONS)
