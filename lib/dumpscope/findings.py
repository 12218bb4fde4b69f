"""The findings object: every figure of the report, gathered from the notebooks' sections.

The notebooks save *sections* (``ctx.save_section(name, dict)``, contracts §9); the summary
notebook calls :func:`assemble` to map them onto the stable keys of ``findings.json`` (issue 8) and
:func:`dumps` to serialize them. The mapping section → findings keys lives in one place,
:data:`SOURCES`: each findings field lists the ``(section, dotted.path)`` places it may be read
from, first found wins.

Determinism
-----------
``findings.json`` holds **no volatile field**: no run id, no timestamp, no path, no timing. Two
runs on the same dump with the same parameters give byte-identical files. Run ids, times, the
analyst and the case reference belong to the run's ``manifest.json`` and to the report's cover;
:func:`assemble` keeps from ``meta`` only the keys of :data:`META_KEYS` (figure-affecting
parameters) and drops everything else. Keys named in :data:`VOLATILE_KEYS` are removed from
sections copied verbatim, and keys in :data:`DENIED_KEYS` (example values) too.

Missing sections
----------------
A findings key whose sections are all missing is ``{"status": "not_computed",
"missing_sections": [...]}`` — never a silent zero. A key whose section is there but lacks some
fields is ``"status": "partial"`` with ``"missing_fields"`` listed and those fields ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import dumpscope
from dumpscope.analyses.sensitive.lexicon import CATEGORIES  # contracts §6, one source

SCHEMA_VERSION = "1"

#: Sections written by the notebooks (contracts §9): name -> notebook.
SECTIONS: dict[str, str] = {
    "evidence": "00-inspect-evidence",
    "records": "00-inspect-evidence",
    "profile": "10-profile-columns",
    "persons": "20-count-persons",
    "demographics": "20-count-persons",
    "data_classes": "20-count-persons",
    "credentials": "20-count-persons",
    "severity": "20-count-persons",
    "sensitive": "21-detect-sensitive",
    "geography": "30-map-geography",
    "labs": "31-trace-labs-timeline",
    "timeline": "31-trace-labs-timeline",
    "authenticity": "40-assess-authenticity",
}

#: Qualifiers in report order (the detector's list is in precedence order).
QUALIFIERS: tuple[str, ...] = ("positive", "negated", "requested", "family")

#: ENISA severity bands (SE lower bound, level), highest first.
ENISA_BANDS: tuple[tuple[float, str], ...] = (
    (4.0, "very_high"),
    (3.0, "high"),
    (2.0, "medium"),
    (-math.inf, "low"),
)

#: Keys of ``meta`` that may enter findings.json (they change the figures or how they read).
META_KEYS: tuple[str, ...] = ("k", "redaction_level", "mapping_sha256", "parameters_sha256")
#: Keys dropped anywhere in sections copied verbatim (they differ between identical runs).
VOLATILE_KEYS: frozenset[str] = frozenset(
    {
        "timing",
        "timings",
        "elapsed",
        "elapsed_s",
        "seconds",
        "duration_s",
        "run_id",
        "generated_at",
        "created_at",
        "started_at",
        "finished_at",
        "timestamp",
        "path",
        "run_dir",
        "work_dir",
        "working_path",
        "quarantine_path",
        "hostname",
        "memory",
        "peak_rss",
    }
)
#: Keys dropped anywhere in sections: example values have no place in findings.
DENIED_KEYS: frozenset[str] = frozenset(
    {"examples", "example", "samples", "sample_values", "top_values", "raw", "values_sample"}
)

Path_ = tuple[str, str]


def _counts_by_reason(value: Any) -> Any:
    """``{reason: {count, lines}}`` -> ``{reason: count}`` (line numbers stay in intake.json)."""
    if not isinstance(value, Mapping):
        return value
    return {
        reason: (item.get("count") if isinstance(item, Mapping) else item)
        for reason, item in value.items()
    }


def _count_of(value: Any) -> Any:
    """A number of items: ``len`` of a list/mapping, or the value itself when it is a number."""
    if isinstance(value, Mapping | list):
        return len(value)
    return value


def _triplet(prefixes: tuple[Path_, ...], names: tuple[str, ...]) -> dict[str, tuple[Path_, ...]]:
    return {
        name: tuple((section, f"{path}.{name}" if path else name) for section, path in prefixes)
        for name in names
    }


_STATUS = ("valid", "invalid", "missing")
_CONTACT_PREFIXES = ("data_classes", "profile", "persons", "authenticity")


def _contact(kind: str) -> tuple[Path_, ...]:
    out: list[Path_] = []
    for section in _CONTACT_PREFIXES:
        out += [(section, f"contact.{kind}"), (section, kind)]
    return tuple(out)


#: findings key -> field -> candidate (section, dotted path); first present wins.
SOURCES: dict[str, dict[str, tuple[Path_, ...]]] = {
    "evidence": {
        "name": (("evidence", "name"), ("evidence", "evidence.name")),
        "sha256": (("evidence", "sha256"), ("evidence", "evidence.sha256")),
        "sha1": (("evidence", "sha1"), ("evidence", "evidence.sha1")),
        "md5": (("evidence", "md5"), ("evidence", "evidence.md5")),
        "bytes": (("evidence", "bytes"), ("evidence", "evidence.bytes")),
        "encoding": (("evidence", "encoding"), ("evidence", "format.encoding")),
        "delimiter": (("evidence", "delimiter"), ("evidence", "format.delimiter")),
        "columns": (("evidence", "columns"), ("profile", "columns"), ("evidence", "n_columns")),
        "physical_lines": (
            ("evidence", "physical_lines"),
            ("evidence", "lines.physical"),
            ("records", "physical_lines"),
            ("records", "lines.physical"),
        ),
        "verified": (("evidence", "verified"), ("evidence", "hash_verified")),
    },
    "records": {
        "loaded": (
            ("records", "loaded"),
            ("records", "loaded_records"),
            ("records", "lines.loaded_records"),
            ("evidence", "lines.loaded_records"),
        ),
        "quarantined_lines": (
            ("records", "quarantined_lines"),
            ("records", "lines.quarantined_lines"),
            ("evidence", "lines.quarantined_lines"),
        ),
        "exact_duplicate_rows": (
            ("records", "exact_duplicate_rows"),
            ("profile", "exact_duplicate_rows"),
            ("persons", "exact_duplicate_rows"),
        ),
        "multiline_records": (("records", "multiline_records"),),
        "reconciled": (
            ("records", "reconciled"),
            ("records", "lines.reconciled"),
            ("evidence", "lines.reconciled"),
        ),
        "quarantine_by_reason": (
            ("records", "quarantine_by_reason"),
            ("records", "quarantine.by_reason"),
            ("evidence", "quarantine.by_reason"),
        ),
    },
    "persons": {
        **_triplet(
            (("persons", ""), ("demographics", "persons"), ("demographics", "")),
            ("distinct", "distinct_low", "distinct_high", "female", "male", "minors"),
        ),
        "method": (("persons", "method"),),
    },
    "nir": _triplet(
        (("persons", "nir"), ("profile", "nir"), ("data_classes", "nir"), ("authenticity", "nir")),
        ("valid", "invalid_key", "key_missing", "malformed", "missing"),
    ),
    "dates": {
        "sample_min": (
            ("timeline", "sample_min"),
            ("timeline", "sample_dates.min"),
            ("labs", "sample_dates.min"),
            ("profile", "sample_dates.min"),
        ),
        "sample_max": (
            ("timeline", "sample_max"),
            ("timeline", "sample_dates.max"),
            ("labs", "sample_dates.max"),
            ("profile", "sample_dates.max"),
        ),
        "invalid": (
            ("timeline", "invalid"),
            ("timeline", "sample_dates.invalid"),
            ("profile", "sample_dates.invalid"),
        ),
        "missing": (
            ("timeline", "missing"),
            ("timeline", "sample_dates.missing"),
            ("profile", "sample_dates.missing"),
        ),
        "per_year": (
            ("timeline", "per_year"),
            ("timeline", "years"),
            ("timeline", "by_year"),
        ),
        "out_of_range": (("timeline", "out_of_range"),),
        "estimated_extraction": (("timeline", "estimated_extraction"),),
        "extraction_reasoning": (("timeline", "reasoning"),),
    },
    "labs": {
        "count": (("labs", "count"), ("labs", "labs"), ("labs", "by_code")),
        "by_code": (("labs", "by_code"), ("labs", "labs"), ("labs", "per_lab")),
    },
    "geography": {
        "basis": (("geography", "basis"),),
        "by_departement": (
            ("geography", "by_departement"),
            ("geography", "departements"),
        ),
        "by_region": (("geography", "by_region"), ("geography", "regions")),
        "unlocated_rows": (("geography", "unlocated_rows"), ("geography", "unknown_rows")),
    },
    "sensitive": {
        "categories": (
            ("sensitive", "categories"),
            ("sensitive", "by_category"),
            ("sensitive", "sensitive"),
        ),
        "medication_classes": (("sensitive", "medication_classes"),),
        "persons_any": (
            ("sensitive", "persons_any"),
            ("sensitive", "any_health.persons"),
            ("sensitive", "any.persons"),
        ),
        "rows_any": (
            ("sensitive", "rows_any"),
            ("sensitive", "any_health.rows"),
            ("sensitive", "any.rows"),
        ),
        "detector": (("sensitive", "detector"), ("sensitive", "evaluation")),
    },
    "contact": {
        "email": _contact("email"),
        "landline": _contact("landline"),
        "mobile": _contact("mobile"),
    },
    "credentials": {
        name: (("credentials", name), ("data_classes", f"credentials.{name}"))
        for name in (
            "rows_with_login",
            "rows_with_password",
            "derived_from_personal_data",
            "strength",
        )
    },
    "severity": {
        **{name: (("severity", name),) for name in ("dpc", "ei", "se", "level", "individuals")},
        "cb": (("severity", "cb_components"), ("severity", "cb")),
        "justification": (("severity", "justifications"), ("severity", "justification")),
        "justification_fr": (("severity", "justifications_fr"),),
        "outside_formula": (("severity", "outside_formula"),),
    },
}

_QUALITY_FIELDS = (
    "nir",
    "birth_date",
    "postcode",
    "sample_date",
    "contact",
    "sex",
    "civility",
    "mojibake",
    "alerts",
    "duplicates",
)
SOURCES["quality"] = {name: (("quality", name), ("profile", name)) for name in _QUALITY_FIELDS}

#: Fields beyond issue 8's list: their absence does not make a key "partial".
OPTIONAL_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("evidence", "name"),
        ("evidence", "sha1"),
        ("evidence", "md5"),
        ("evidence", "columns"),
        ("evidence", "verified"),
        ("records", "multiline_records"),
        ("severity", "justification_fr"),
        ("records", "reconciled"),
        ("records", "quarantine_by_reason"),
        ("persons", "method"),
        ("dates", "missing"),
        ("dates", "per_year"),
        ("dates", "out_of_range"),
        ("dates", "estimated_extraction"),
        ("dates", "extraction_reasoning"),
        ("geography", "basis"),
        ("geography", "by_region"),
        ("geography", "unlocated_rows"),
        ("sensitive", "medication_classes"),
        ("sensitive", "persons_any"),
        ("sensitive", "rows_any"),
        ("sensitive", "detector"),
        ("credentials", "derived_from_personal_data"),
        ("credentials", "strength"),
        ("severity", "individuals"),
        ("severity", "justification"),
        ("severity", "outside_formula"),
        *(("quality", name) for name in _QUALITY_FIELDS),
    }
)

#: Per-field transforms applied after lookup.
TRANSFORMS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("records", "quarantine_by_reason"): _counts_by_reason,
    ("labs", "count"): _count_of,
}

#: findings key <- sections copied verbatim (volatile and example keys removed).
PASSTHROUGH: dict[str, tuple[Path_, ...]] = {
    "profile": (("profile", ""),),
    "authenticity": (("authenticity", ""),),
    "data_classes": (("data_classes", ""),),
    "demographics": (("demographics", ""),),
    "timeline": (("timeline", ""),),
}

_MISSING = object()


def lookup(sections: Mapping[str, Any], section: str, path: str) -> Any:
    """The value at ``section`` / dotted ``path`` in ``sections``, or a private MISSING marker."""
    node: Any = sections.get(section, _MISSING)
    if node is _MISSING or node is None:
        return _MISSING
    for part in [p for p in path.split(".") if p]:
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def stable(value: Any) -> Any:
    """A JSON-ready, deterministic copy: sorted-key dicts, floats rounded to 6 decimals.

    NaN and infinities become ``None``; ``-0.0`` becomes ``0.0``; tuples/sets become lists (sets
    sorted); dates become ISO strings; volatile and example keys are dropped.
    """
    if isinstance(value, Mapping):
        return {
            str(key): stable(item)
            for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))
            if str(key) not in VOLATILE_KEYS and str(key) not in DENIED_KEYS
        }
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        rounded = round(value, 6)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(stable(v) for v in value)
    if isinstance(value, list | tuple):
        return [stable(v) for v in value]
    if hasattr(value, "item"):  # numpy / polars scalars
        return stable(value.item())
    return str(value)


def _normalize_sensitive(categories: Any) -> Any:
    """Accept ``{cat: {persons, rows, qualifiers: {q: {rows, persons}}}}`` or the truth-like
    ``{cat: {q: {rows, persons}}}`` and return the former (category totals ``None`` if unknown)."""
    if not isinstance(categories, Mapping):
        return categories
    out: dict[str, Any] = {}
    for cat, entry in categories.items():
        if not isinstance(entry, Mapping):
            out[cat] = entry
            continue
        qualifiers = entry.get("qualifiers")
        if qualifiers is None:
            qualifiers = {q: entry[q] for q in QUALIFIERS if q in entry}
        out[cat] = {
            "persons": entry.get("persons"),
            "rows": entry.get("rows"),
            "qualifiers": {q: qualifiers.get(q) for q in QUALIFIERS if q in qualifiers},
        }
    return out


def category_persons(entry: Any) -> Any:
    """Persons of one sensitive category: its total when the detector gave one, else the persons
    with an affirmed (``positive``) mention; ``None`` when neither is known."""
    if not isinstance(entry, Mapping):
        return None
    if entry.get("persons") is not None:
        return entry["persons"]
    positive = (entry.get("qualifiers") or {}).get("positive")
    return positive.get("persons") if isinstance(positive, Mapping) else None


def enisa_level(se: float | None) -> str | None:
    """The ENISA band for a severity score: ``low`` < 2 <= ``medium`` < 3 <= ``high`` < 4 <=
    ``very_high``; ``None`` for ``None``."""
    if se is None:
        return None
    return next(level for bound, level in ENISA_BANDS if se >= bound)


def _complete_severity(block: dict[str, Any]) -> dict[str, Any]:
    """Fill ``se`` (DPC × EI + ΣCB) and ``level`` when the inputs are there and they are not."""
    dpc, ei, cb = block.get("dpc"), block.get("ei"), block.get("cb")
    if block.get("se") is None and isinstance(dpc, int | float) and isinstance(ei, int | float):
        cb_sum = sum(v for v in cb.values() if isinstance(v, int | float)) if cb else 0
        block["se"] = dpc * ei + (cb_sum if isinstance(cb, Mapping) else (cb or 0))
    if block.get("level") is None and isinstance(block.get("se"), int | float):
        block["level"] = enisa_level(block["se"])
    return block


def _build_key(key: str, sections: Mapping[str, Any]) -> dict[str, Any]:
    fields = SOURCES[key]
    wanted = {section for cands in fields.values() for section, _ in cands}
    if not any(s in sections and sections[s] is not None for s in wanted):
        primary = sorted({cands[0][0] for cands in fields.values()})
        return {"status": "not_computed", "missing_sections": primary}
    block: dict[str, Any] = {}
    missing: list[str] = []
    used: set[str] = set()
    for name, candidates in fields.items():
        value = _MISSING
        for section, path in candidates:
            value = lookup(sections, section, path)
            if value is not _MISSING:
                used.add(section)
                break
        if value is _MISSING:
            if (key, name) not in OPTIONAL_FIELDS:
                missing.append(name)
            block[name] = None
            continue
        transform = TRANSFORMS.get((key, name))
        block[name] = transform(value) if transform else value
    if key == "sensitive":
        block["categories"] = _normalize_sensitive(block["categories"])
    if key == "severity":
        block = _complete_severity(block)
        missing = [m for m in missing if block.get(m) is None]
    block["status"] = "partial" if missing else "computed"
    block["sources"] = sorted(used)
    if missing:
        block["missing_fields"] = sorted(missing)
    return block


def _passthrough(key: str, sections: Mapping[str, Any]) -> dict[str, Any]:
    for section, path in PASSTHROUGH[key]:
        value = lookup(sections, section, path)
        if isinstance(value, Mapping):
            return {**value, "status": "computed", "sources": [section]}
    return {
        "status": "not_computed",
        "missing_sections": sorted({s for s, _ in PASSTHROUGH[key]}),
    }


def assemble(sections: dict[str, dict], meta: dict) -> dict:
    """Gather the notebooks' sections into the findings object.

    Parameters
    ----------
    sections
        ``{section name: section dict}`` as saved by ``ctx.save_section`` (see :data:`SECTIONS`).
        Missing sections are allowed; the keys they feed are marked ``not_computed``.
    meta
        Run metadata. Only :data:`META_KEYS` are kept (e.g. ``k``, ``redaction_level``); run ids,
        times, paths and people go to ``manifest.json`` and the report cover instead.

    Returns
    -------
    dict
        Stable keys: ``meta, evidence, records, persons, nir, dates, labs, geography, sensitive,
        contact, credentials, severity, profile, authenticity, quality, data_classes,
        demographics, timeline``. Each holds ``status`` (``computed`` / ``partial`` /
        ``not_computed``). Deterministic: same inputs, same :func:`dumps` bytes.
    """
    clean = {name: stable(body) for name, body in sections.items() if body is not None}
    findings: dict[str, Any] = {key: _build_key(key, clean) for key in SOURCES}
    for key in PASSTHROUGH:
        findings[key] = _passthrough(key, clean)
    findings["meta"] = {
        "schema_version": SCHEMA_VERSION,
        "dumpscope_version": dumpscope.__version__,
        **{key: meta[key] for key in META_KEYS if key in meta},
        "sections_present": sorted(n for n in clean if n in SECTIONS),
        "sections_missing": sorted(n for n in SECTIONS if n not in clean),
        "sections_unknown": sorted(n for n in clean if n not in SECTIONS),
    }
    return stable(findings)


def dumps(f: dict) -> str:
    """Serialize findings deterministically: sorted keys, 2-space indent, UTF-8, final newline."""
    return (
        json.dumps(stable(f), sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    )


def write(f: dict, path: str | Path) -> Path:
    """Write :func:`dumps` of ``f`` to ``path`` atomically (temporary file, then rename)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(f))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def loads(text: str) -> dict:
    """Parse a findings.json text (and validate it: :class:`ValueError` listing the problems)."""
    f = json.loads(text)
    problems = validate(f)
    if problems:
        raise ValueError("findings.json does not match the schema: " + "; ".join(problems))
    return f


def value(f: Mapping[str, Any], dotted: str) -> Any:
    """The figure at ``dotted`` (e.g. ``"persons.distinct"``), or ``None`` if not computed."""
    node: Any = f
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def computed(f: Mapping[str, Any], key: str) -> bool:
    """True when findings ``key`` was computed (fully or partly)."""
    block = f.get(key)
    return isinstance(block, Mapping) and block.get("status") in {"computed", "partial"}


# --------------------------------------------------------------------------------------- schema
_COUNT = {"type": ["integer", "null"], "minimum": 0}
_STATUS_PROP = {"enum": ["computed", "partial", "not_computed"]}
_TRIPLE = {
    "type": ["object", "null"],
    "properties": dict.fromkeys(_STATUS, _COUNT),
}


def _block(properties: dict[str, Any]) -> dict[str, Any]:
    """A findings key: either not computed, or an object with the given field types."""
    return {
        "type": "object",
        "required": ["status"],
        "properties": {"status": _STATUS_PROP},
        "if": {"properties": {"status": {"const": "not_computed"}}},
        "then": {"required": ["missing_sections"]},
        "else": {"required": sorted(properties), "properties": properties},
    }


_PERSONS_ROWS = {
    "type": ["object", "null"],
    "additionalProperties": {
        "type": ["object", "integer", "null"],
        "properties": {"persons": _COUNT, "rows": _COUNT},
    },
}

#: JSON Schema (draft 2020-12) of findings.json.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "dumpscope findings.json",
    "type": "object",
    "required": [*SOURCES, *PASSTHROUGH, "meta"],
    "properties": {
        "meta": {
            "type": "object",
            "required": ["schema_version", "dumpscope_version", "sections_present"],
            "properties": {"schema_version": {"const": SCHEMA_VERSION}},
        },
        "evidence": _block(
            {
                "sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
                "bytes": _COUNT,
                "encoding": {"type": ["string", "null"]},
                "delimiter": {"type": ["string", "null"]},
                "physical_lines": _COUNT,
            }
        ),
        "records": _block(
            dict.fromkeys(("loaded", "quarantined_lines", "exact_duplicate_rows"), _COUNT)
        ),
        "persons": _block(
            dict.fromkeys(
                ("distinct", "distinct_low", "distinct_high", "female", "male", "minors"), _COUNT
            )
        ),
        "nir": _block(
            dict.fromkeys(("valid", "invalid_key", "key_missing", "malformed", "missing"), _COUNT)
        ),
        "dates": _block(
            {
                "sample_min": {"type": ["string", "null"]},
                "sample_max": {"type": ["string", "null"]},
                "invalid": _COUNT,
            }
        ),
        "labs": _block({"count": _COUNT, "by_code": _PERSONS_ROWS}),
        "geography": _block({"by_departement": _PERSONS_ROWS}),
        "sensitive": _block(
            {
                "categories": {
                    "type": ["object", "null"],
                    "propertyNames": {"enum": list(CATEGORIES)},
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "persons": _COUNT,
                            "rows": _COUNT,
                            "qualifiers": {
                                "type": "object",
                                "propertyNames": {"enum": list(QUALIFIERS)},
                                "additionalProperties": {
                                    "type": ["object", "null"],
                                    "properties": {"persons": _COUNT, "rows": _COUNT},
                                },
                            },
                        },
                    },
                }
            }
        ),
        "contact": _block(dict.fromkeys(("email", "landline", "mobile"), _TRIPLE)),
        "credentials": _block(
            {"rows_with_login": _COUNT, "rows_with_password": _COUNT, "strength": {}}
        ),
        "severity": _block(
            {
                "dpc": {"type": ["number", "null"]},
                "ei": {"type": ["number", "null"]},
                "cb": {"type": ["object", "number", "null"]},
                "se": {"type": ["number", "null"]},
                "level": {"enum": [None, "low", "medium", "high", "very_high"]},
            }
        ),
        **{
            key: {"type": "object", "required": ["status"], "properties": {"status": _STATUS_PROP}}
            for key in PASSTHROUGH
        },
    },
}


def validate(f: Any) -> list[str]:
    """Check ``f`` against :data:`SCHEMA`; returns the problems (empty list = valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(SCHEMA)
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(f)
    )
