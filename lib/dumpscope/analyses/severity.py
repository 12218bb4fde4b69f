"""ENISA severity of the breach (ENISA 2013 method): SE = DPC × EI + CB.

- **DPC** (data processing context), 1–4: the base score of the most sensitive data category
  found (simple 1, behavioural 2, financial 3, sensitive such as health 4), then documented
  adjustments: +1 when vulnerable persons (minors) are present, −1 when most identifiers are
  invalid (inaccurate data) or when the data was already public; the result is kept in 1–4.
- **EI** (ease of identification): 1 (maximum) when most persons are named together with their
  NIR, or with birth date and address; 0.75 (significant) when named with one of birth date,
  address or a contact; 0.5 (limited) when only named; 0.25 (negligible) otherwise.
- **CB** (circumstances of the breach): the sum of four components given as parameters
  (``confidentiality``, ``integrity``, ``availability``, ``malicious``).
- Level: low < 2 ≤ medium < 3 ≤ high < 4 ≤ very_high.

The plain-words justifications carry no raw counts (only shares), so that small counts cannot
escape the redaction gate through text. Figures outside the formula (number of persons, minors, pregnant persons, persons with an HIV
mention, credentials, encryption) are reported beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dumpscope.errors import ParameterError

#: Allowed values of each CB component and their score (research note §3).
CB_VALUES: dict[str, dict[Any, float]] = {
    "confidentiality": {"none": 0.0, "known_recipients": 0.25, "unknown_recipients": 0.5},
    "integrity": {"none": 0.0, "recoverable": 0.25, "not_recoverable": 0.5},
    "availability": {"none": 0.0, "temporary": 0.25, "full": 0.5},
    "malicious": {False: 0.0, True: 0.5},
}

CB_WORDING: dict[str, dict[Any, str]] = {
    "confidentiality": {
        "none": "no evidence of processing beyond the intended recipients",
        "known_recipients": "data disclosed to a known number of recipients",
        "unknown_recipients": "data disclosed to an unknown number of recipients",
    },
    "integrity": {
        "none": "no evidence that the data was altered or misused",
        "recoverable": "data possibly altered or misused, but recoverable",
        "not_recoverable": "data possibly altered or misused and not recoverable",
    },
    "availability": {
        "none": "data still available to the controller",
        "temporary": "data temporarily unavailable",
        "full": "data fully unavailable",
    },
    "malicious": {
        False: "no evidence of an intent to harm",
        True: "intentional act: the data was extracted and published or offered for sale",
    },
}

#: Circumstances used when a component is not given (the least severe value).
DEFAULT_CIRCUMSTANCES = {
    "confidentiality": "none",
    "integrity": "none",
    "availability": "none",
    "malicious": False,
    "encrypted": False,
    "publicly_available_before": False,
}

BANDS = ((4.0, "very_high"), (3.0, "high"), (2.0, "medium"))


def level_for(se: float) -> str:
    """ENISA band of a severity score."""
    return next((name for bound, name in BANDS if se >= bound), "low")


def _get(mapping: Any, *path: str) -> Any:
    node = mapping
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _sensitive_persons(sensitive: Any, category: str, qualifier: str = "positive") -> int | None:
    """Persons with a category/qualifier in either sensitive-section shape, or None."""
    if not isinstance(sensitive, Mapping):
        return None
    cats = sensitive.get("categories") or sensitive.get("sensitive") or sensitive
    for path in ((category, "qualifiers", qualifier, "persons"), (category, qualifier, "persons")):
        value = _get(cats, *path)
        if isinstance(value, int):
            return value
    return None


def _validate(circumstances: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(circumstances) - set(DEFAULT_CIRCUMSTANCES)
    if unknown:
        raise ParameterError(
            f"Unknown breach circumstance(s): {', '.join(sorted(unknown))}. "
            f"Allowed: {', '.join(DEFAULT_CIRCUMSTANCES)}."
        )
    out = {**DEFAULT_CIRCUMSTANCES, **circumstances}
    for name, allowed in CB_VALUES.items():
        if out[name] not in allowed or isinstance(out[name], bool) != (name == "malicious"):
            raise ParameterError(
                f"Breach circumstance {name!r} = {out[name]!r} is not allowed; "
                f"use one of {', '.join(repr(v) for v in allowed)}."
            )
    for name in ("encrypted", "publicly_available_before"):
        if not isinstance(out[name], bool):
            raise ParameterError(f"Breach circumstance {name!r} must be true or false.")
    return out


def _dpc(figures: Mapping[str, Any], circ: Mapping[str, Any]) -> tuple[int, int, list[str]]:
    classes = {c["name"]: c for c in _get(figures, "data_classes", "data_classes") or []}
    art9 = _get(figures, "data_classes", "art9") or []
    basis = _get(figures, "data_classes", "health_basis")
    reasons = []
    if art9 or "Personal health data" in classes:
        base = 4
        how = "found by the health-term detector" if basis == "detector" else "comment columns"
        reasons.append(
            "Base 4 (sensitive data): health data of a medical laboratory — blood groups, "
            f"lists of tests and free-text comments ({how})."
        )
    elif "Passwords" in classes or "Health insurance information" in classes:
        base = 3
        reasons.append("Base 3: credentials or insurance data, but no health data found.")
    else:
        base = 1
        reasons.append("Base 1 (simple data): identity and contact data only.")
    score = base
    minors = _get(figures, "demographics", "persons", "minors")
    if isinstance(minors, int) and minors > 0:
        reasons.append(
            "Vulnerable persons: minors at the sample date are present; this raises the score"
            + (" (already at the maximum of 4)." if score >= 4 else " by 1.")
        )
        score += 1
    nir_ids = classes.get("Government issued IDs", {}).get("rows", 0)
    nir_invalid = _get(figures, "nir_invalid_rows")
    if nir_invalid is None:
        nir_invalid = _get(figures, "data_classes", "nir_invalid_rows")
    if isinstance(nir_invalid, int) and nir_ids and nir_invalid > nir_ids / 2:
        score -= 1
        reasons.append("Most NIRs are invalid (inaccurate data): lowered by 1.")
    if circ["publicly_available_before"]:
        score -= 1
        reasons.append("The data was already publicly available: lowered by 1.")
    return base, max(1, min(4, score)), reasons


def _ei(figures: Mapping[str, Any]) -> tuple[float, str]:
    distinct = _get(figures, "persons", "distinct") or 0
    combos = _get(figures, "data_classes", "combinations") or {}
    classes = {c["name"]: c for c in _get(figures, "data_classes", "data_classes") or []}

    def share(n: Any) -> float:
        return (n or 0) / distinct if distinct else 0.0

    named = share(classes.get("Names", {}).get("persons"))
    with_nir = share(combos.get("identity_nir"))
    dob = share(classes.get("Dates of birth", {}).get("persons"))
    address = share(classes.get("Physical addresses", {}).get("persons"))
    contact = max(
        share(classes.get(c, {}).get("persons"))
        for c in ("Phone numbers", "Email addresses", "Physical addresses", "Dates of birth")
    )
    pct = f"{with_nir:.0%} of the persons are named together with their NIR"
    if with_nir >= 0.5 or (named >= 0.5 and dob >= 0.5 and address >= 0.5):
        return 1.0, (
            f"Maximum (1): {pct}; names, birth dates ({dob:.0%}) and addresses ({address:.0%}) "
            "identify them directly, with no special research."
        )
    if named >= 0.5 and contact >= 0.5:
        return 0.75, f"Significant (0.75): {named:.0%} named, with a birth date or a contact."
    if named >= 0.5:
        return 0.5, f"Limited (0.5): {named:.0%} of the persons are named, little else."
    return 0.25, "Negligible (0.25): most persons are not named."


def assess(figures: Mapping[str, Any], circumstances: Mapping[str, Any]) -> dict:
    """ENISA severity block, each input justified from the measured figures.

    Parameters
    ----------
    figures : dict
        The saved sections: ``persons`` (:func:`dumpscope.analyses.persons.summarize`),
        ``demographics``, ``data_classes``, optionally ``credentials`` and ``sensitive`` (
        ``{categories: {cat: {qualifiers: {q: {persons}}}}}``, ``{sensitive: {cat: {q:
        {persons}}}}`` or ``{cat: {q: {persons}}}``) and
        ``nir_invalid_rows`` (int, rows whose NIR is present but invalid; else read from
        ``data_classes``).
    circumstances : dict
        Breach circumstances (parameters): ``confidentiality`` (``none`` /
        ``known_recipients`` / ``unknown_recipients``), ``integrity`` (``none`` /
        ``recoverable`` / ``not_recoverable``), ``availability`` (``none`` / ``temporary`` /
        ``full``), ``malicious`` (bool), ``encrypted`` (bool), ``publicly_available_before``
        (bool). Missing keys take the least severe value.

    Returns
    -------
    dict
        ``dpc`` (int), ``dpc_base``, ``ei`` (float), ``cb`` (float, sum), ``cb_components``
        ``{confidentiality, integrity, availability, malicious}``, ``se``, ``level``
        (``low``/``medium``/``high``/``very_high``), ``individuals`` (estimated persons),
        ``justifications`` ``{dpc: [..], ei, cb: {component: text}}``, ``justification`` (one
        paragraph), ``outside_formula`` ``{persons, persons_low, persons_high, rows, minors,
        pregnant_persons, hiv_persons, persons_with_password, encrypted}`` (None = not
        measured), ``method``.

    Raises
    ------
    ParameterError
        An unknown circumstance or a value outside the allowed ones.
    """
    circ = _validate(circumstances)
    dpc_base, dpc, dpc_reasons = _dpc(figures, circ)
    ei, ei_reason = _ei(figures)
    components = {name: CB_VALUES[name][circ[name]] for name in CB_VALUES}
    cb = sum(components.values())
    se = round(dpc * ei + cb, 4)
    level = level_for(se)
    sensitive = figures.get("sensitive")
    persons = figures.get("persons") or {}
    outside = {
        "persons": persons.get("distinct"),
        "persons_low": persons.get("distinct_low"),
        "persons_high": persons.get("distinct_high"),
        "rows": persons.get("rows"),
        "minors": _get(figures, "demographics", "persons", "minors"),
        "pregnant_persons": _sensitive_persons(sensitive, "pregnancy"),
        "hiv_persons": _sensitive_persons(sensitive, "hiv"),
        "persons_with_password": _get(figures, "credentials", "persons_with_password"),
        "encrypted": circ["encrypted"],
    }
    cb_reasons = {name: CB_WORDING[name][circ[name]] for name in CB_VALUES}
    summary = (
        f"SE = DPC {dpc} × EI {ei:g} + CB {cb:g} = {se:g} ({level.replace('_', ' ')}). "
        + " ".join(dpc_reasons)
        + f" EI {ei_reason} CB: "
        + "; ".join(f"{k} +{components[k]:g} ({v})" for k, v in cb_reasons.items())
        + "."
    )
    return {
        "dpc": dpc,
        "dpc_base": dpc_base,
        "ei": ei,
        "cb": cb,
        "cb_components": components,
        "se": se,
        "level": level,
        "individuals": persons.get("distinct"),
        "justifications": {"dpc": dpc_reasons, "ei": ei_reason, "cb": cb_reasons},
        "justification": summary,
        "outside_formula": outside,
        "method": "ENISA (2013) SE = DPC × EI + CB; bands: low < 2 ≤ medium < 3 ≤ high < 4 ≤ "
        "very high.",
    }
