"""Presentation helpers of notebook ``20-count-persons``: small frames and redacted sentences.

Everything here takes the saved sections (dicts of counts) and returns aggregated frames or
plain sentences whose counts went through the redaction gate (``< k`` below the threshold).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from dumpscope.report.locale import number
from dumpscope.report.redact import suppress

_LEVELS = {
    "fr": {"low": "faible", "medium": "moyen", "high": "élevé", "very_high": "très élevé"},
    "en": {"low": "low", "medium": "medium", "high": "high", "very_high": "very high"},
}


def _n(value: Any, lang: str, k: int) -> str:
    """A count for a sentence: ``< k`` when small, ``n/a`` when not measured."""
    out = suppress(value, k)
    if out is None:
        return "n/d" if lang == "fr" else "n/a"
    return out if isinstance(out, str) else number(out, lang)


def chart_frame(name: str, section: Mapping[str, Any], *, k: int = 10) -> pl.DataFrame:
    """An aggregated frame for a table or chart of the persons notebook.

    Parameters
    ----------
    name : str
        ``rows_per_person`` (persons section), ``age_pyramid`` (demographics), ``data_classes``,
        ``combinations``, ``blood_groups`` (data_classes), ``strength`` (credentials),
        ``outside_formula`` (severity).
    section : dict
        The matching section.
    k : int
        Suppression threshold; used by ``age_pyramid`` only, whose cells below ``k`` are set to
        0 (not drawn) since a chart cannot print ``< k`` (tables suppress at display).

    Returns
    -------
    pl.DataFrame
        Counts only, never a value from the dump.
    """
    if name == "rows_per_person":
        hist = section["rows_per_person"]
        return pl.DataFrame(
            {"rows_per_person": list(hist), "persons": [int(v) for v in hist.values()]}
        )
    if name == "age_pyramid":
        frame = pl.DataFrame(section["age_pyramid"])
        if frame.is_empty():
            return pl.DataFrame(
                schema={
                    "band": pl.Utf8,
                    "band_start": pl.Int32,
                    "sex": pl.Utf8,
                    "signed": pl.Int64,
                }
            )
        frame = frame.with_columns(
            persons=pl.when(pl.col("persons") < k).then(0).otherwise(pl.col("persons"))
        )
        return frame.with_columns(
            signed=pl.when(pl.col("sex") == "F")
            .then(-pl.col("persons").cast(pl.Int64))
            .otherwise(pl.col("persons").cast(pl.Int64))
        ).select("band", "band_start", "sex", "signed")
    if name == "data_classes":
        rows = section["data_classes"]
        return pl.DataFrame(
            {
                "category": [c["name"] for c in rows],
                "persons": [int(c["persons"]) for c in rows],
                "rows": [int(c["rows"]) for c in rows],
            },
            schema={"category": pl.Utf8, "persons": pl.Int64, "rows": pl.Int64},
        )
    if name == "combinations":
        combos = section["combinations"]
        return pl.DataFrame(
            {"combination": list(combos), "persons": [int(v) for v in combos.values()]},
            schema={"combination": pl.Utf8, "persons": pl.Int64},
        )
    if name == "blood_groups":
        groups = section["blood_groups"]
        return pl.DataFrame(
            {"blood_group": list(groups), "rows": [int(v) for v in groups.values()]},
            schema={"blood_group": pl.Utf8, "rows": pl.Int64},
        )
    if name == "strength":
        rows, persons = section["strength"], section["strength_persons"]
        return pl.DataFrame(
            {
                "strength": list(rows),
                "rows": [int(v) for v in rows.values()],
                "persons": [int(persons.get(c, 0)) for c in rows],
            },
            schema={"strength": pl.Utf8, "rows": pl.Int64, "persons": pl.Int64},
        )
    if name == "outside_formula":
        items = [
            (key, v) for key, v in section["outside_formula"].items() if not isinstance(v, bool)
        ]
        return pl.DataFrame(
            {"figure": [key for key, _ in items], "value": [v for _, v in items]},
            schema={"figure": pl.Utf8, "value": pl.Int64},
        )
    raise ValueError(f"unknown frame {name!r}")


def say_figures(name: str, section: Mapping[str, Any], lang: str = "fr", k: int = 10) -> list[str]:
    """Plain sentences (fr or en) for a section of the persons notebook, counts redacted.

    Parameters
    ----------
    name : str
        ``persons``, ``demographics``, ``credentials`` or ``severity``.
    section : dict
        The section.
    lang : str
        ``fr`` or ``en``.
    k : int
        Suppression threshold.

    Returns
    -------
    list[str]
        Markdown sentences without any value from the dump.
    """
    fr = lang == "fr"

    def n(value: Any) -> str:
        return _n(value, lang, k)

    if name == "persons":
        s = section
        if fr:
            return [
                f"{n(s['rows'])} lignes concernent environ **{n(s['distinct'])} personnes "
                f"distinctes** (entre {n(s['distinct_low'])} et {n(s['distinct_high'])}).",
                f"{n(s['persons_in_several_labs'])} personnes apparaissent dans plusieurs "
                "laboratoires.",
            ]
        return [
            f"{n(s['rows'])} rows concern about **{n(s['distinct'])} distinct persons** "
            f"(between {n(s['distinct_low'])} and {n(s['distinct_high'])}).",
            f"{n(s['persons_in_several_labs'])} persons appear in several laboratories.",
        ]
    if name == "demographics":
        p, sx = section["persons"], section["sex"]
        if fr:
            return [
                f"{n(p['female'])} femmes, {n(p['male'])} hommes, {n(p['sex_unknown'])} de sexe "
                f"inconnu ; **{n(p['minors'])} mineurs** à la date du prélèvement.",
                f"Nés à l'étranger : {n(p['born_abroad'])} ; en outre-mer : "
                f"{n(p['born_overseas'])} ; en Corse : {n(p['born_corsica'])} (d'après le NIR).",
                f"Sexe déclaré contraire au NIR : {n(sx['inconsistent_with_nir'])} lignes.",
            ]
        return [
            f"{n(p['female'])} women, {n(p['male'])} men, {n(p['sex_unknown'])} of unknown sex; "
            f"**{n(p['minors'])} minors** at the sample date.",
            f"Born abroad: {n(p['born_abroad'])}; overseas: {n(p['born_overseas'])}; in "
            f"Corsica: {n(p['born_corsica'])} (from the NIR).",
            f"Declared sex contradicting the NIR: {n(sx['inconsistent_with_nir'])} rows.",
        ]
    if name == "credentials":
        c = section
        if fr:
            return [
                f"{n(c['rows_with_password'])} mots de passe en clair "
                f"({n(c['persons_with_password'])} personnes) ; "
                f"{n(c['derived_from_personal_data'])} sont construits à partir des nom, "
                f"prénom ou date de naissance de la personne ; {n(c['common'])} figurent dans "
                "la liste des mots de passe courants.",
            ]
        return [
            f"{n(c['rows_with_password'])} plain-text passwords "
            f"({n(c['persons_with_password'])} persons); {n(c['derived_from_personal_data'])} "
            "are built from the person's own name, first name or birth date; "
            f"{n(c['common'])} are on the list of common passwords.",
        ]
    if name == "severity":
        s = section
        level = _LEVELS["fr" if fr else "en"][s["level"]]
        formula = (
            f"SE = {number(s['dpc'], lang)} × {number(s['ei'], lang, digits=2)} + "
            f"{number(s['cb'], lang, digits=2)} = **{number(s['se'], lang, digits=2)}**"
        )
        if fr:
            out = [f"{formula} : niveau **{level}**."]
        else:
            out = [f"{formula}: level **{level}**."]
        words = s.get("justifications_fr", s["justifications"]) if fr else s["justifications"]
        out += [f"- DPC : {t}" if fr else f"- DPC: {t}" for t in words["dpc"]]
        out.append(("- EI : " if fr else "- EI: ") + words["ei"])
        for comp, text in words["cb"].items():
            score = number(s["cb_components"][comp], lang, digits=2)
            out.append(
                f"- CB {comp} (+{score}) : {text}" if fr else f"- CB {comp} (+{score}): {text}"
            )
        return out
    raise ValueError(f"unknown section {name!r}")


def age_pyramid_chart(section: Mapping[str, Any], lang: str = "fr", k: int = 10):
    """The age pyramid (persons per 5-year band, women left, men right) as an altair chart.

    Parameters
    ----------
    section : dict
        The demographics section (``age_pyramid``).
    lang : str
        ``fr`` or ``en`` (axis and legend labels).
    k : int
        Cells below ``k`` persons are not drawn.

    Returns
    -------
    altair.Chart
        Built from the aggregated, suppressed frame only.
    """
    import altair as alt

    fr = lang == "fr"
    labels = {"F": "Femmes", "M": "Hommes"} if fr else {"F": "Women", "M": "Men"}
    frame = chart_frame("age_pyramid", section, k=k).with_columns(
        pl.col("sex").replace_strict(labels, default=None).alias("sex")
    )
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "band:O",
                sort=alt.SortField("band_start", order="descending"),
                title="Âge au prélèvement" if fr else "Age at sampling",
            ),
            x=alt.X(
                "signed:Q",
                title="Personnes" if fr else "Persons",
                axis=alt.Axis(labelExpr="abs(datum.value)"),
            ),
            color=alt.Color("sex:N", title=None, sort=[labels["F"], labels["M"]]),
        )
        .properties(width=420, height=320)
    )
