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

CB_WORDING_FR: dict[str, dict[Any, str]] = {
    "confidentiality": {
        "none": "aucun indice de traitement au-delà des destinataires prévus",
        "known_recipients": "données divulguées à un nombre connu de destinataires",
        "unknown_recipients": "données divulguées à un nombre inconnu de destinataires",
    },
    "integrity": {
        "none": "aucun indice d'altération ou d'usage frauduleux des données",
        "recoverable": "données peut-être altérées ou détournées, mais récupérables",
        "not_recoverable": "données peut-être altérées ou détournées, non récupérables",
    },
    "availability": {
        "none": "données toujours disponibles pour le responsable du traitement",
        "temporary": "données temporairement indisponibles",
        "full": "données totalement indisponibles",
    },
    "malicious": {
        False: "aucun indice d'intention de nuire",
        True: "acte intentionnel : données extraites puis publiées ou mises en vente",
    },
}

#: Plain-words justifications (placeholders filled from the figures; shares, never counts).
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "dpc_health": "Base 4 (sensitive data): health data of a medical laboratory — blood "
        "groups, lists of tests and free-text comments ({how}).",
        "how_detector": "found by the health-term detector",
        "how_comments": "comment columns",
        "dpc_credentials": "Base 3: credentials or insurance data, but no health data found.",
        "dpc_simple": "Base 1 (simple data): identity and contact data only.",
        "dpc_minors_max": "Vulnerable persons: minors at the sample date are present; this "
        "raises the score (already at the maximum of 4).",
        "dpc_minors": "Vulnerable persons: minors at the sample date are present; this raises "
        "the score by 1.",
        "dpc_invalid": "Most NIRs are invalid (inaccurate data): lowered by 1.",
        "dpc_public": "The data was already publicly available: lowered by 1.",
        "ei_1": "Maximum (1): {nir} of the persons are named together with their NIR; names, "
        "birth dates ({dob}) and addresses ({address}) identify them directly, with no special "
        "research.",
        "ei_075": "Significant (0.75): {named} of the persons are named, with a birth date or a "
        "contact.",
        "ei_05": "Limited (0.5): {named} of the persons are named, little else.",
        "ei_025": "Negligible (0.25): most persons are not named.",
    },
    "fr": {
        "dpc_health": "Base 4 (données sensibles) : données de santé d'un laboratoire "
        "d'analyses — groupes sanguins, listes d'examens et commentaires libres ({how}).",
        "how_detector": "relevés par le détecteur de termes de santé",
        "how_comments": "colonnes de commentaires",
        "dpc_credentials": "Base 3 : identifiants ou données d'assurance, sans donnée de santé.",
        "dpc_simple": "Base 1 (données simples) : identité et coordonnées seulement.",
        "dpc_minors_max": "Personnes vulnérables : des mineurs à la date du prélèvement ; le "
        "score serait relevé (il est déjà au maximum de 4).",
        "dpc_minors": "Personnes vulnérables : des mineurs à la date du prélèvement ; score "
        "relevé de 1.",
        "dpc_invalid": "La plupart des NIR sont invalides (données inexactes) : score abaissé "
        "de 1.",
        "dpc_public": "Les données étaient déjà publiques : score abaissé de 1.",
        "ei_1": "Maximale (1) : {nir} des personnes sont nommées avec leur NIR ; nom, date de "
        "naissance ({dob}) et adresse ({address}) les identifient directement, sans recherche "
        "particulière.",
        "ei_075": "Importante (0,75) : {named} des personnes sont nommées, avec une date de "
        "naissance ou des coordonnées.",
        "ei_05": "Limitée (0,5) : {named} des personnes sont nommées, sans guère plus.",
        "ei_025": "Négligeable (0,25) : la plupart des personnes ne sont pas nommées.",
    },
}


def _render(lang: str, key: str, **values: Any) -> str:
    table = TEXTS[lang]
    filled = {k: table.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    return table[key].format(**filled)


def _pct(value: float, lang: str) -> str:
    text = f"{value:.0%}"
    return text.replace("%", "\u202f%") if lang == "fr" else text


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


def _dpc(
    figures: Mapping[str, Any], circ: Mapping[str, Any]
) -> tuple[int, int, list[tuple[str, dict]]]:
    classes = {c["name"]: c for c in _get(figures, "data_classes", "data_classes") or []}
    art9 = _get(figures, "data_classes", "art9") or []
    basis = _get(figures, "data_classes", "health_basis")
    reasons: list[tuple[str, dict]] = []
    if art9 or "Personal health data" in classes:
        base = 4
        how = "how_detector" if basis == "detector" else "how_comments"
        reasons.append(("dpc_health", {"how": how}))
    elif "Passwords" in classes or "Health insurance information" in classes:
        base = 3
        reasons.append(("dpc_credentials", {}))
    else:
        base = 1
        reasons.append(("dpc_simple", {}))
    score = base
    minors = _get(figures, "demographics", "persons", "minors")
    if isinstance(minors, int) and minors > 0:
        reasons.append(("dpc_minors_max" if score >= 4 else "dpc_minors", {}))
        score += 1
    nir_ids = classes.get("Government issued IDs", {}).get("rows", 0)
    nir_invalid = _get(figures, "nir_invalid_rows")
    if nir_invalid is None:
        nir_invalid = _get(figures, "data_classes", "nir_invalid_rows")
    if isinstance(nir_invalid, int) and nir_ids and nir_invalid > nir_ids / 2:
        score -= 1
        reasons.append(("dpc_invalid", {}))
    if circ["publicly_available_before"]:
        score -= 1
        reasons.append(("dpc_public", {}))
    return base, max(1, min(4, score)), reasons


def _ei(figures: Mapping[str, Any]) -> tuple[float, tuple[str, dict]]:
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
    if with_nir >= 0.5 or (named >= 0.5 and dob >= 0.5 and address >= 0.5):
        return 1.0, ("ei_1", {"nir": with_nir, "dob": dob, "address": address})
    if named >= 0.5 and contact >= 0.5:
        return 0.75, ("ei_075", {"named": named})
    if named >= 0.5:
        return 0.5, ("ei_05", {"named": named})
    return 0.25, ("ei_025", {})


def _words(lang: str, key: str, values: dict) -> str:
    shares = {k: _pct(v, lang) if isinstance(v, float) else v for k, v in values.items()}
    return _render(lang, key, **shares)


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
        ``justifications`` ``{dpc: [..], ei, cb: {component: text}}`` (English) and
        ``justifications_fr`` (French), ``justification`` (one paragraph, English), ``outside_formula`` ``{persons, persons_low, persons_high, rows, minors,
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
    justifications = {}
    for lang, cb_table in (("en", CB_WORDING), ("fr", CB_WORDING_FR)):
        justifications[lang] = {
            "dpc": [_words(lang, key, values) for key, values in dpc_reasons],
            "ei": _words(lang, *ei_reason),
            "cb": {name: cb_table[name][circ[name]] for name in CB_VALUES},
        }
    en = justifications["en"]
    summary = (
        f"SE = DPC {dpc} × EI {ei:g} + CB {cb:g} = {se:g} ({level.replace('_', ' ')}). "
        + " ".join(en["dpc"])
        + f" EI {en['ei']} CB: "
        + "; ".join(f"{k} +{components[k]:g} ({v})" for k, v in en["cb"].items())
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
        "justifications": justifications["en"],
        "justifications_fr": justifications["fr"],
        "justification": summary,
        "outside_formula": outside,
        "method": "ENISA (2013) SE = DPC × EI + CB; bands: low < 2 ≤ medium < 3 ≤ high < 4 ≤ "
        "very high.",
    }
