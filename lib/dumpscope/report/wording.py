"""Every sentence of the report, in French (default) or English, filled from findings.

The texts live in ``texts/fr.yaml`` and ``texts/en.yaml`` (same keys). Templates are filled with
:meth:`str.format_map`; the values come from :func:`figures`, which formats numbers, percentages
and dates with babel (:mod:`dumpscope.report.locale`) after the redaction gate
(:func:`dumpscope.report.redact.suppress`): a count below ``k`` reads ``< k``, a figure that was not
computed reads "non calculé" / "not computed" — never zero.

The functions return plain text (not HTML): callers escape it (:mod:`dumpscope.report.summary`
does).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from dumpscope.findings import CATEGORIES, SECTIONS, category_persons, computed, value
from dumpscope.report import locale
from dumpscope.report.redact import check_k, is_small, suppress

LANGS: tuple[str, ...] = ("fr", "en")

#: Executive-summary sentences, in order, with the findings keys each one needs.
SUMMARY_SENTENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("file", ("evidence", "records")),
    ("persons", ("persons",)),
    ("period", ("dates",)),
    ("labs", ("labs", "geography")),
    ("categories", ("nir", "contact", "credentials")),
    ("health", ("sensitive",)),
    ("authenticity", ("authenticity",)),
    ("severity", ("severity",)),
    ("limits", ()),
)

_DELIMITERS = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}


@lru_cache(maxsize=4)
def _load(lang: str) -> dict[str, Any]:
    locale.babel_locale(lang)  # raises ParameterError on an unknown language
    source = resources.files("dumpscope.report").joinpath("texts", f"{lang}.yaml")
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def texts(lang: str = "fr") -> dict[str, Any]:
    """All texts of one language (a fresh copy of the parsed YAML)."""
    return copy.deepcopy(_load(lang))


def flat_keys(lang: str = "fr") -> dict[str, Any]:
    """The texts flattened to ``{"sections.volumes.intro": template, ...}`` (lists kept whole)."""
    out: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, Mapping):
            for key, item in node.items():
                walk(item, f"{prefix}.{key}" if prefix else str(key))
        else:
            out[prefix] = node

    walk(_load(lang), "")
    return out


def template(key: str, lang: str = "fr") -> Any:
    """The raw template at dotted ``key`` (KeyError if absent)."""
    node: Any = _load(lang)
    for part in key.split("."):
        node = node[part]
    return node


def text(key: str, lang: str = "fr", /, **values: Any) -> str:
    """The sentence at dotted ``key``, filled with ``values`` (KeyError on a missing value)."""
    return str(template(key, lang)).format_map(values)


def label(name: Any, lang: str = "fr") -> str:
    """The display label of a code (category, qualifier, level, reason...); unknown -> the code."""
    labels = _load(lang)["labels"]
    return str(labels.get(str(name), name))


def _count(f: Mapping[str, Any], dotted: str, lang: str, k: int) -> str:
    raw = value(f, dotted)
    if raw is None or isinstance(raw, Mapping):
        return _load(lang)["not_computed"]
    return locale.number(suppress(raw, k), lang)


def _size(nbytes: Any, lang: str) -> str:
    if not isinstance(nbytes, int):
        return _load(lang)["not_computed"]
    unit = "Mo" if lang == "fr" else "MB"
    if nbytes < 1_000_000:
        return f"{locale.number(nbytes, lang)} {label('bytes', lang)}"
    return f"{locale.number(nbytes / 1_000_000, lang, digits=1)} {unit}"


def _top_departements(f: Mapping[str, Any], lang: str, k: int, n: int = 3) -> str:
    deps = value(f, "geography.by_departement")
    if not isinstance(deps, Mapping) or not deps:
        return _load(lang)["not_computed"]
    ranked = sorted(
        (
            (entry.get("persons") or 0, code)
            for code, entry in deps.items()
            if isinstance(entry, Mapping) and not is_small(entry.get("persons"), k)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    codes = [code for _, code in ranked[:n]]
    return ", ".join(codes) if codes else _load(lang)["none"]


def _sum(*items: Any) -> int | None:
    numbers = [i for i in items if isinstance(i, int) and not isinstance(i, bool)]
    return sum(numbers) if numbers else None


def figures(f: Mapping[str, Any], lang: str = "fr", k: int = 10) -> dict[str, str]:
    """Every value a template may use, formatted for ``lang`` and suppressed below ``k``.

    Reads findings keys ``evidence, records, persons, nir, dates, labs, geography, sensitive,
    contact, credentials, severity, authenticity, demographics`` (any may be not computed).

    Returns
    -------
    dict[str, str]
        ``rows, quarantined, duplicates, physical, size, encoding, delimiter, persons,
        persons_low, persons_high, female, male, minors, period_start, period_end, labs_count,
        top_departements, nir_*, nir_valid_share, emails_valid, phones_valid, passwords,
        sensitive_persons, <category>_persons, <category>_positive (persons with an affirmed mention), verdict, se, level, dpc, ei, cb, reconciled,
        dates_invalid, dates_missing, unlocated, k, k_minus_one``.
    """
    check_k(k)
    nc = _load(lang)["not_computed"]
    out: dict[str, str] = {"k": str(k), "k_minus_one": str(k - 1)}
    for key, dotted in {
        "rows": "records.loaded",
        "quarantined": "records.quarantined_lines",
        "duplicates": "records.exact_duplicate_rows",
        "physical": "evidence.physical_lines",
        "persons": "persons.distinct",
        "persons_low": "persons.distinct_low",
        "persons_high": "persons.distinct_high",
        "female": "persons.female",
        "male": "persons.male",
        "minors": "persons.minors",
        "nir_valid": "nir.valid",
        "nir_invalid_key": "nir.invalid_key",
        "nir_key_missing": "nir.key_missing",
        "nir_malformed": "nir.malformed",
        "nir_missing": "nir.missing",
        "emails_valid": "contact.email.valid",
        "passwords": "credentials.rows_with_password",
        "sensitive_persons": "sensitive.persons_any",
        "dates_invalid": "dates.invalid",
        "dates_missing": "dates.missing",
        "unlocated": "geography.unlocated_rows",
    }.items():
        out[key] = _count(f, dotted, lang, k)
    # numbers of laboratories are not counts of persons: never suppressed
    out["labs_count"] = _count(f, "labs.count", lang, 1)
    cats = value(f, "sensitive.categories")
    for cat in CATEGORIES:
        persons = category_persons(cats.get(cat)) if isinstance(cats, Mapping) else None
        if persons is None and isinstance(cats, Mapping):
            persons = 0 if cat not in cats else None  # category absent: nothing detected
        out[f"{cat}_persons"] = (
            nc if persons is None else locale.number(suppress(persons, k), lang)
        )
        entry = cats.get(cat) if isinstance(cats, Mapping) else None
        positive = (entry or {}).get("qualifiers", {}).get("positive") if entry else None
        affirmed = positive.get("persons") if isinstance(positive, Mapping) else None
        if affirmed is None and isinstance(cats, Mapping) and persons == 0:
            affirmed = 0
        out[f"{cat}_positive"] = (
            nc if affirmed is None else locale.number(suppress(affirmed, k), lang)
        )
    if out["pregnancy_persons"] == nc and value(f, "demographics.pregnant_persons") is not None:
        out["pregnancy_persons"] = _count(f, "demographics.pregnant_persons", lang, k)
    phones = _sum(value(f, "contact.landline.valid"), value(f, "contact.mobile.valid"))
    out["phones_valid"] = nc if phones is None else locale.number(suppress(phones, k), lang)
    out["size"] = _size(value(f, "evidence.bytes"), lang)
    out["encoding"] = str(value(f, "evidence.encoding") or nc)
    delimiter = value(f, "evidence.delimiter")
    out["delimiter"] = label(_DELIMITERS.get(delimiter, delimiter), lang) if delimiter else nc
    out["period_start"] = locale.month(value(f, "dates.sample_min"), lang)
    out["period_end"] = locale.month(value(f, "dates.sample_max"), lang)
    if value(f, "dates.sample_min") is None:
        out["period_start"] = out["period_end"] = nc
    out["top_departements"] = _top_departements(f, lang, k)
    valid, rows = value(f, "nir.valid"), value(f, "records.loaded")
    out["nir_valid_share"] = locale.share(valid, rows, lang) if isinstance(valid, int) else nc
    verdict = value(f, "authenticity.conclusion.verdict") or value(f, "authenticity.verdict")
    out["verdict"] = label(verdict, lang) if isinstance(verdict, str) else nc
    confidence = value(f, "authenticity.conclusion.confidence")
    out["confidence"] = label(f"confidence_{confidence}", lang) if confidence else nc
    se, level = value(f, "severity.se"), value(f, "severity.level")
    out["se"] = locale.number(se, lang, digits=2) if isinstance(se, int | float) else nc
    out["level"] = label(level, lang) if level else nc
    for key in ("dpc", "ei"):
        raw = value(f, f"severity.{key}")
        out[key] = locale.number(raw, lang, digits=2) if isinstance(raw, int | float) else nc
    cb = value(f, "severity.cb")
    cb_total = _sum_float(cb.values()) if isinstance(cb, Mapping) else cb
    out["cb"] = (
        locale.number(cb_total, lang, digits=2) if isinstance(cb_total, int | float) else nc
    )
    reconciled = value(f, "records.reconciled")
    out["reconciled"] = (
        nc if reconciled is None else _load(lang)["answer_yes" if reconciled else "answer_no"]
    )
    return out


def _sum_float(items: Any) -> float | None:
    numbers = [i for i in items if isinstance(i, int | float) and not isinstance(i, bool)]
    return float(sum(numbers)) if numbers else None


def not_computed_note(f: Mapping[str, Any], keys: tuple[str, ...], lang: str = "fr") -> str:
    """The sentence stating which steps produced nothing for findings ``keys``."""
    missing = sorted(
        {
            SECTIONS.get(s, s)
            for key in keys
            if not computed(f, key)
            for s in (value(f, f"{key}.missing_sections") or [key])
        }
    )
    return text("labels.not_computed_note", lang, sections=", ".join(missing))


def executive_summary(f: Mapping[str, Any], lang: str = "fr", k: int = 10) -> list[str]:
    """The executive summary: one plain-words sentence per line of :data:`SUMMARY_SENTENCES`.

    A sentence whose findings keys were not computed is replaced by the "not computed" note.
    """
    values = figures(f, lang, k)
    out: list[str] = []
    for name, needs in SUMMARY_SENTENCES:
        if all(computed(f, key) for key in needs):
            out.append(text(f"summary.{name}", lang, **values))
        else:
            out.append(not_computed_note(f, needs, lang))
    return out


def section_title(name: str, lang: str = "fr") -> str:
    """The title of report section ``name`` (``sections.<name>.title``)."""
    return text(f"sections.{name}.title", lang)


def section_sentences(name: str, f: Mapping[str, Any], lang: str = "fr", k: int = 10) -> list[str]:
    """The intro and filled sentences of report section ``name``, in order."""
    values = figures(f, lang, k)
    block = _load(lang)["sections"][name]
    return [str(tpl).format_map(values) for key, tpl in block.items() if key != "title"]


def chart_explanation(name: str, lang: str = "fr", k: int = 10) -> str:
    """The plain-words explanation printed under chart ``name``."""
    return text(f"charts.{name}", lang, k=k)


def limitations(lang: str = "fr") -> list[str]:
    """The limitations of the analysis (NIST SP 800-86: what could not be determined)."""
    return list(_load(lang)["limitations"])


def alternatives(lang: str = "fr") -> list[str]:
    """Alternative explanations of the findings (NIST SP 800-86)."""
    return list(_load(lang)["alternatives"])


def glossary(lang: str = "fr") -> list[tuple[str, str]]:
    """The glossary as ``(term, definition)`` pairs, in file order."""
    return [(item["term"], item["definition"]) for item in _load(lang)["glossary"].values()]
