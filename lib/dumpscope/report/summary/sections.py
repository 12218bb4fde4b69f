"""The numbered sections of the summary report: sentences (wording) and their tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dumpscope.findings import CATEGORIES, QUALIFIERS, computed, value
from dumpscope.report import locale, wording
from dumpscope.report.redact import check_k, escape, is_small
from dumpscope.report.summary._html import (
    _data_classes,
    _justification,
    _keyed,
    _nc,
    _not_computed,
    _num,
    _p,
    _persons_rows,
    _score,
    _t,
    _ul,
    count_text,
    table,
)

#: Numbered sections of the report, in order, with the findings keys each one reads.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evidence", ("evidence", "records")),
    ("volumes", ("records", "persons")),
    ("categories", ("data_classes", "contact", "credentials")),
    ("health", ("sensitive",)),
    ("vulnerable", ("persons",)),
    ("identifiability", ("nir", "data_classes")),
    ("authenticity", ("authenticity",)),
    ("quality", ("nir", "dates", "contact")),
    ("timeline", ("dates",)),
    ("geography", ("geography",)),
    ("labs", ("labs",)),
    ("severity", ("severity",)),
    ("limitations", ()),
)


def _section_evidence(f: Mapping[str, Any], lang: str, k: int) -> str:
    lab = wording.label
    rows = [
        (wording.text("tables.file", lang), str(value(f, "evidence.name") or _nc(lang))),
        ("SHA-256", str(value(f, "evidence.sha256") or _nc(lang))),
        (lab("bytes", lang), _num(value(f, "evidence.bytes"), lang)),
        (lab("lines_physical", lang), _num(value(f, "evidence.physical_lines"), lang)),
        (lab("records_loaded", lang), _num(value(f, "records.loaded"), lang)),
        (
            lab("lines_quarantined", lang),
            count_text(value(f, "records.quarantined_lines"), lang, k),
        ),
    ]
    out = table([_t("item", lang), _t("value", lang)], rows)
    reasons = value(f, "records.quarantine_by_reason")
    if isinstance(reasons, Mapping) and reasons:
        out += table(
            [_t("reason", lang), _t("lines", lang)],
            [(lab(r, lang), count_text(n, lang, k)) for r, n in sorted(reasons.items())],
            numeric=(1,),
        )
    return out


def _section_volumes(f: Mapping[str, Any], lang: str, k: int) -> str:
    lab = wording.label
    low, high = value(f, "persons.distinct_low"), value(f, "persons.distinct_high")
    rows = [
        (lab("lines_physical", lang), _num(value(f, "evidence.physical_lines"), lang)),
        (lab("records_loaded", lang), count_text(value(f, "records.loaded"), lang, k)),
        (lab("duplicates", lang), count_text(value(f, "records.exact_duplicate_rows"), lang, k)),
        (lab("persons_distinct", lang), count_text(value(f, "persons.distinct"), lang, k)),
        (
            lab("persons_distinct", lang) + " (min – max)",
            f"{count_text(low, lang, k)} – {count_text(high, lang, k)}",
        ),
    ]
    return table([_t("item", lang), _t("value", lang)], rows, numeric=(1,))


def _section_categories(f: Mapping[str, Any], lang: str, k: int) -> str:
    out = ""
    classes = _data_classes(f)
    if classes:
        rows = []
        for name, entry in classes.items():
            persons, nrows = _persons_rows(entry)
            rows.append(
                (
                    wording.label(name, lang),
                    count_text(persons, lang, k),
                    count_text(nrows, lang, k),
                )
            )
        out += table(
            [_t("category", lang), _t("persons", lang), _t("rows", lang)], rows, numeric=(1, 2)
        )
    if computed(f, "contact"):
        heads = [_t("category", lang)] + [
            wording.label(s, lang) for s in ("valid", "invalid", "missing")
        ]
        rows = []
        for kind in ("email", "landline", "mobile"):
            block = value(f, f"contact.{kind}")
            if isinstance(block, Mapping):
                rows.append(
                    [wording.label(kind, lang)]
                    + [count_text(block.get(s), lang, k) for s in ("valid", "invalid", "missing")]
                )
        out += table(heads, rows, numeric=(1, 2, 3))
    if computed(f, "credentials"):
        rows = [
            ("cred_login", value(f, "credentials.rows_with_login")),
            ("cred_password", value(f, "credentials.rows_with_password")),
            ("cred_derived", value(f, "credentials.derived_from_personal_data")),
        ]
        strength = value(f, "credentials.strength")
        if isinstance(strength, Mapping):
            rows += [(f"strength_{name}", n) for name, n in strength.items()]
        out += table(
            [wording.label("credentials", lang), _t("rows", lang)],
            [(wording.label(name, lang), count_text(n, lang, k)) for name, n in rows],
            numeric=(1,),
        )
    return out or _not_computed(f, ("data_classes", "contact", "credentials"), lang)


def _section_health(f: Mapping[str, Any], lang: str, k: int) -> str:
    cats = value(f, "sensitive.categories")
    if not isinstance(cats, Mapping):
        return _not_computed(f, ("sensitive",), lang)
    # category totals (persons with any mention) only when the detector gave them
    totals = any(isinstance(e, Mapping) and e.get("persons") is not None for e in cats.values())
    heads = [_t("category", lang)]
    heads += [_t("persons", lang), _t("rows", lang)] if totals else []
    heads += [wording.label(q, lang) for q in QUALIFIERS]
    rows = []
    for cat in CATEGORIES:
        entry = cats.get(cat) if isinstance(cats.get(cat), Mapping) else {}
        quals = entry.get("qualifiers") or {}
        row = [wording.label(cat, lang)]
        if totals:
            row += [count_text(entry.get(c, 0), lang, k) for c in ("persons", "rows")]
        row += [
            count_text(_persons_rows(quals.get(q))[0] if q in quals else 0, lang, k)
            for q in QUALIFIERS
        ]
        rows.append(row)
    caption = wording.text("labels.health_caption", lang)
    out = table(heads, rows, numeric=range(1, len(heads)), caption=caption)
    meds = value(f, "sensitive.medication_classes")
    if isinstance(meds, Mapping) and meds:
        out += table(
            [wording.label("medication", lang), _t("persons", lang), _t("rows", lang)],
            [
                (
                    wording.label(f"med_{name}", lang),
                    count_text(_persons_rows(e)[0], lang, k),
                    count_text(_persons_rows(e)[1], lang, k),
                )
                for name, e in sorted(meds.items())
            ],
            numeric=(1, 2),
        )
    return out


def _section_vulnerable(f: Mapping[str, Any], lang: str, k: int) -> str:
    values = wording.figures(f, lang, k)
    rows = [
        (wording.label("persons_distinct", lang), values["persons"]),
        (wording.label("minors", lang), values["minors"]),
        (wording.label("pregnancy", lang), values["pregnancy_persons"]),
    ]
    return table([_t("category", lang), _t("persons", lang)], rows, numeric=(1,))


def _section_identifiability(f: Mapping[str, Any], lang: str, k: int) -> str:
    out = ""
    combos = value(f, "data_classes.combinations")
    if isinstance(combos, Mapping) and combos:
        out += table(
            [_t("category", lang), _t("persons", lang)],
            [
                (
                    wording.label(n, lang),
                    count_text(_persons_rows(e)[0] if isinstance(e, Mapping) else e, lang, k),
                )
                for n, e in combos.items()
            ],
            numeric=(1,),
        )
    return out


def _indicator_labels(f: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Indicator code -> label, from the authenticity module's own wording when available."""
    try:
        from dumpscope.analyses.authenticity.wording import LABELS
    except ImportError:
        return {}
    return {code: texts.get(lang, code) for code, texts in LABELS.items()}


def _section_authenticity(f: Mapping[str, Any], lang: str, k: int) -> str:
    if not computed(f, "authenticity"):
        return _not_computed(f, ("authenticity",), lang)
    indicators = value(f, "authenticity.indicators")
    if not isinstance(indicators, list) or not indicators:
        return ""
    labels = _indicator_labels(f, lang)
    rows = []
    for ind in indicators:
        if not isinstance(ind, Mapping):
            continue
        raw = ind.get("value")
        code = str(ind.get("code", ""))
        rows.append(
            (
                labels.get(code, code),
                _num(raw, lang, digits=4) if raw is not None else "—",
                count_text(ind.get("basis"), lang, k),
                wording.label(str(ind.get("status", "")), lang),
            )
        )
    heads = [_t("check", lang), _t("value", lang), _t("rows", lang), _t("status", lang)]
    return table(heads, rows, numeric=(1, 2))


def _section_quality(f: Mapping[str, Any], lang: str, k: int) -> str:
    if not computed(f, "nir"):
        return _not_computed(f, ("nir",), lang)
    statuses = ("valid", "invalid_key", "key_missing", "malformed", "missing")
    return table(
        ["NIR", _t("rows", lang)],
        [
            (wording.label(f"nir_{s}", lang), count_text(value(f, f"nir.{s}"), lang, k))
            for s in statuses
        ],
        numeric=(1,),
    )


def _section_timeline(f: Mapping[str, Any], lang: str, k: int) -> str:
    per_year = _keyed(value(f, "dates.per_year"))
    if not per_year:
        return "" if computed(f, "dates") else _not_computed(f, ("dates",), lang)
    with_persons = any(_persons_rows(e)[0] is not None for e in per_year.values())
    rows = []
    for year in sorted(per_year):
        persons, nrows = _persons_rows(per_year[year])
        row = [str(year), count_text(nrows, lang, k)]
        rows.append(row + [count_text(persons, lang, k)] if with_persons else row)
    heads = [_t("year", lang), _t("rows", lang)] + ([_t("persons", lang)] if with_persons else [])
    return table(heads, rows, numeric=range(1, len(heads)))


def _section_geography(f: Mapping[str, Any], lang: str, k: int) -> str:
    deps = _keyed(value(f, "geography.by_departement"))
    if not deps:
        return _not_computed(f, ("geography",), lang)
    ordered = sorted(deps.items(), key=lambda kv: (-(_persons_rows(kv[1])[0] or 0), kv[0]))
    rows, small, small_persons, small_rows = [], 0, 0, 0
    for code, entry in ordered:
        persons, nrows = _persons_rows(entry)
        if is_small(persons, k):  # grouped: a list of tiny départements says little and risks much
            small += 1
            small_persons += persons or 0
            small_rows += nrows or 0
            continue
        rows.append((code, count_text(persons, lang, k), count_text(nrows, lang, k)))
    if small:
        label = wording.text("labels.other_departements", lang, n=small, k=k)
        rows.append((label, count_text(small_persons, lang, k), count_text(small_rows, lang, k)))
    heads = [_t("departement", lang), _t("persons", lang), _t("rows", lang)]
    return table(heads, rows, numeric=(1, 2))


def _section_labs(f: Mapping[str, Any], lang: str, k: int) -> str:
    labs = _keyed(value(f, "labs.by_code"))
    if not labs:
        return _not_computed(f, ("labs",), lang)
    rows = []
    for code in sorted(labs):
        entry = labs[code] if isinstance(labs[code], Mapping) else {}
        names = entry.get("names") or []
        if isinstance(names, str):
            names = [names]
        rows.append(
            (
                code,
                " / ".join(str(n) for n in names),
                count_text(entry.get("persons"), lang, k),
                count_text(entry.get("rows"), lang, k),
                locale.date(entry.get("first_sample"), lang, fmt="short")
                if entry.get("first_sample")
                else "—",
                locale.date(entry.get("last_sample"), lang, fmt="short")
                if entry.get("last_sample")
                else "—",
            )
        )
    heads = [
        _t(h, lang)
        for h in ("lab_code", "lab_names", "persons", "rows", "first_sample", "last_sample")
    ]
    return table(heads, rows, numeric=(2, 3))


def _section_severity(f: Mapping[str, Any], lang: str, k: int) -> str:
    out = ""
    if computed(f, "severity"):
        lab = wording.label
        just = (value(f, "severity.justification_fr") if lang == "fr" else None) or value(
            f, "severity.justification"
        )
        rows = [
            (
                lab("dpc", lang),
                _score(value(f, "severity.dpc"), lang),
                _justification(just, "dpc"),
            ),
            (lab("ei", lang), _score(value(f, "severity.ei"), lang), _justification(just, "ei")),
        ]
        cb = value(f, "severity.cb")
        if isinstance(cb, Mapping):
            rows += [
                (
                    f"{lab('cb', lang)} — {lab(name, lang)}",
                    _score(v, lang),
                    _justification(just, "cb", name) or _justification(just, name),
                )
                for name, v in cb.items()
            ]
        else:
            rows.append((lab("cb", lang), _score(cb, lang), _justification(just, "cb")))
        rows.append((lab("se", lang), _score(value(f, "severity.se"), lang), ""))
        level = value(f, "severity.level")
        rows.append((lab("level", lang), lab(level, lang) if level else _nc(lang), ""))
        heads = [_t("input", lang), _t("value", lang), _t("justification", lang)]
        out += table(heads, rows, numeric=(1,))
    else:
        out += _not_computed(f, ("severity",), lang)
    values = wording.figures(f, lang, k)
    lab = wording.label
    categories = [lab(c, lang) for c in ("identity", "nir", "contact", "health", "credentials")]
    art33 = [
        (lab("art33_categories", lang), lab("art33_persons_value", lang)),
        (lab("art33_persons", lang), values["persons"]),
        (lab("art33_data", lang), ", ".join(categories)),
        (lab("art33_records", lang), values["rows"]),
    ]
    out += table([_t("item", lang), _t("value", lang)], art33)
    return out


def _section_limitations(f: Mapping[str, Any], lang: str, k: int) -> str:
    return _ul(wording.limitations(lang)) + _ul(wording.alternatives(lang))


_BUILDERS = {
    "evidence": _section_evidence,
    "volumes": _section_volumes,
    "categories": _section_categories,
    "health": _section_health,
    "vulnerable": _section_vulnerable,
    "identifiability": _section_identifiability,
    "authenticity": _section_authenticity,
    "quality": _section_quality,
    "timeline": _section_timeline,
    "geography": _section_geography,
    "labs": _section_labs,
    "severity": _section_severity,
    "limitations": _section_limitations,
}


def section(name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> str:
    """One numbered section (number = position in :data:`SECTIONS`): title, intro and sentences
    (wording), then its tables; "not computed" note when none of its findings keys is there."""
    check_k(k)
    needs = dict(SECTIONS)[name]
    missing = [key for key in needs if not computed(f, key)]
    sentences = wording.section_sentences(name, f, lang, k)
    intro, rest = sentences[:1], sentences[1:]
    if needs and len(missing) == len(needs):
        note = _p(wording.not_computed_note(f, tuple(missing), lang), "dumpscope-note")
        body = "".join(_p(s) for s in intro) + note
    else:
        body = "".join(_p(s) for s in intro + rest) + _BUILDERS[name](f, lang, k)
    number = [n for n, _ in SECTIONS].index(name) + 1
    title = f"{number}. {wording.section_title(name, lang)}"
    return f'<section id="sec-{name}" class="ds-section"><h2>{escape(title)}</h2>{body}</section>'
