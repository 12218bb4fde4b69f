"""Plain-words explanation of the authenticity indicators and conclusion, in French and English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "nir_key_validity": {
        "fr": "Clés des numéros de sécurité sociale (NIR) valides",
        "en": "Social-security numbers (NIR) with a valid key",
    },
    "nir_sex_agreement": {
        "fr": "Accord entre le NIR et le sexe déclaré",
        "en": "NIR agrees with the declared sex",
    },
    "nir_birth_agreement": {
        "fr": "Accord entre le NIR et la date de naissance",
        "en": "NIR agrees with the birth date",
    },
    "postcode_city_agreement": {
        "fr": "Accord entre code postal et commune",
        "en": "Postcode agrees with the city",
    },
    "phone_zone_agreement": {
        "fr": "Indicatif téléphonique cohérent avec le domicile",
        "en": "Telephone zone matches the residence",
    },
    "first_name_frequencies": {
        "fr": "Fréquences des prénoms conformes à la population française",
        "en": "First-name frequencies follow the French population",
    },
    "surname_frequencies": {
        "fr": "Fréquences des noms conformes à la population française",
        "en": "Surname frequencies follow the French population",
    },
    "birth_date_plausibility": {
        "fr": "Dates de naissance plausibles",
        "en": "Plausible birth dates",
    },
    "birth_date_heaping": {
        "fr": "Pas d'excès de naissances au 1er janvier",
        "en": "No excess of 1 January birth dates",
    },
    "sample_days": {
        "fr": "Prélèvements le dimanche ou un jour férié",
        "en": "Samples on a Sunday or a public holiday",
    },
    "email_domains": {
        "fr": "Adresses électroniques chez les grands fournisseurs français",
        "en": "E-mail addresses at major French providers",
    },
    "too_clean": {
        "fr": "Imperfections habituelles d'un export réel absentes",
        "en": "Usual imperfections of a real export missing",
    },
    "duplicate_identities": {
        "fr": "Même NIR dans des lignes au contenu différent",
        "en": "Same NIR in rows with different content",
    },
    "repeated_headers": {
        "fr": "Lignes d'en-tête répétées dans le fichier",
        "en": "Header line repeated inside the file",
    },
    "format_mixture": {
        "fr": "Dates écrites selon plusieurs formats",
        "en": "Dates written in several layouts",
    },
}

STATUS = {
    "consistent": {"fr": "cohérent", "en": "consistent"},
    "inconsistent": {"fr": "incohérent", "en": "inconsistent"},
    "not_assessable": {"fr": "non évaluable", "en": "not assessable"},
}

VERDICTS = {
    "consistent_with_genuine": {
        "fr": "Le fichier est cohérent avec un extrait authentique de système d'information de "
        "laboratoire : aucun indicateur ne désigne une fabrication ni une compilation.",
        "en": "The file is consistent with a genuine extract of a laboratory information system: "
        "no indicator points to fabrication or compilation.",
    },
    "likely_fabricated": {
        "fr": "Plusieurs indicateurs forts désignent des données fabriquées : les identifiants et "
        "les données personnelles ne présentent pas les cohérences internes d'un fichier réel.",
        "en": "Several strong indicators point to fabricated data: identifiers and personal data "
        "lack the internal consistency of a real file.",
    },
    "likely_recompiled": {
        "fr": "Les indicateurs désignent une compilation de plusieurs extraits (fichiers plus "
        "anciens ou de sources différentes assemblés) plutôt qu'un extrait unique.",
        "en": "The indicators point to a compilation of several extracts (older files or "
        "different sources stitched together) rather than a single extract.",
    },
    "inconclusive": {
        "fr": "Trop peu d'indicateurs ont pu être évalués pour conclure.",
        "en": "Too few indicators could be assessed to conclude.",
    },
}

CONFIDENCE = {
    "high": {"fr": "confiance élevée", "en": "high confidence"},
    "medium": {"fr": "confiance moyenne", "en": "medium confidence"},
    "low": {"fr": "confiance faible", "en": "low confidence"},
}

LIMITS = {
    "fr": [
        "Ces indicateurs mesurent la cohérence interne du fichier ; ils ne prouvent pas sa "
        "provenance. Un faussaire soigneux, disposant de données réelles, peut les satisfaire.",
        "Un fichier authentique peut avoir été modifié après l'extraction : seule la comparaison "
        "avec une copie saisie à la source (commande « compare ») l'établit.",
        "La reconnaissance publique de la fuite par le responsable de traitement, la trace de la "
        "mise en vente et le mode opératoire relèvent de l'enquête et non de ce carnet.",
        "Les seuils sont fixés a priori et documentés dans le code ; ils ne sont pas calibrés sur "
        "des fuites réelles.",
    ],
    "en": [
        "These indicators measure the file's internal consistency; they do not prove its origin. "
        "A careful forger with real data can satisfy them.",
        "A genuine file may have been altered after extraction: only a comparison with a copy "
        "seized at the source (the 'compare' command) establishes that.",
        "Public acknowledgement by the controller, traces of the sale and the attack vector belong "
        "to the investigation, not to this notebook.",
        "Thresholds are set a priori and documented in the code; they are not calibrated on real "
        "leaks.",
    ],
}


def explain(section: dict, lang: str = "fr") -> dict:
    """Sentences for the report.

    Parameters
    ----------
    section
        The dict returned by :func:`dumpscope.analyses.authenticity.assess`.
    lang
        ``"fr"`` or ``"en"``.

    Returns
    -------
    dict
        ``verdict`` (sentence), ``confidence`` (words), ``rows`` (list of
        ``{label, value, basis, threshold, status}`` for a table), ``against`` (labels of the
        inconsistent indicators), ``limits`` (list of sentences).
    """
    lang = "en" if lang == "en" else "fr"
    conclusion = section["conclusion"]
    rows = [
        {
            "label": LABELS[i["code"]][lang],
            "value": i["value"],
            "basis": i["basis"],
            "threshold": i["threshold"],
            "status": STATUS[i["status"]][lang],
        }
        for i in section["indicators"]
    ]
    return {
        "verdict": VERDICTS[conclusion["verdict"]][lang],
        "confidence": CONFIDENCE[conclusion["confidence"]][lang],
        "rows": rows,
        "against": [LABELS[c][lang] for c in conclusion["against"]],
        "limits": LIMITS[lang],
    }
