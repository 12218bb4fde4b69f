"""Small aggregated frames of the ``sensitive`` section, for the notebook's chart and tables."""

from __future__ import annotations

import polars as pl

from dumpscope.analyses.sensitive import lexicon as lx


def _label(name: str, lang: str) -> str:
    from dumpscope.report import wording

    return wording.label(name, lang)


def category_frame(section: dict, lang: str = "fr") -> pl.DataFrame:
    """One row per category: label, persons and rows with any mention, persons per qualifier.

    Parameters
    ----------
    section : dict
        Output of :func:`~dumpscope.analyses.sensitive.detect.summarize` (needs ``categories``).
    lang : str
        Label language (``fr`` / ``en``).

    Returns
    -------
    pl.DataFrame
        ``category`` (label), ``persons``, ``rows``, then one persons column per qualifier,
        named by the qualifier's label. Counts are raw: suppress below k when rendering.
    """
    by_person = section.get("person_level", True)
    key = "persons" if by_person else "rows"
    rows = []
    for cat in lx.CATEGORIES:
        entry = section["categories"][cat]
        row = {"category": _label(cat, lang), "persons": entry["persons"], "rows": entry["rows"]}
        for q in lx.QUALIFIERS:
            row[_label(q, lang)] = entry["qualifiers"][q][key]
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)


def medication_frame(section: dict, lang: str = "fr") -> pl.DataFrame:
    """One row per medication class: label, persons, rows (raw counts)."""
    return pl.DataFrame(
        [
            {"class": _label(f"med_{cls}", lang), **section["medication_classes"][cls]}
            for cls in lx.MEDICATION_CLASSES
        ],
        schema={"class": pl.Utf8, "rows": pl.Int64, "persons": pl.Int64},
    ).select("class", "persons", "rows")


def chart_frame(section: dict, k: int, lang: str = "fr") -> pl.DataFrame:
    """Persons per category (any qualifier) for the bar chart; categories below ``k`` dropped.

    Falls back to rows when the section has no person-level counts. Returns ``category``,
    ``count``, ``unit`` (``persons`` or ``rows``).
    """
    unit = "persons" if section.get("person_level", True) else "rows"
    out = pl.DataFrame(
        [
            {
                "category": _label(cat, lang),
                "count": section["categories"][cat][unit],
                "unit": unit,
            }
            for cat in lx.CATEGORIES
        ],
        schema={"category": pl.Utf8, "count": pl.Int64, "unit": pl.Utf8},
    )
    return out.filter(pl.col("count") >= k).sort("count", descending=True)


def evaluation_section(evaluation: pl.DataFrame, labels_name: str) -> dict:
    """The ``detector.evaluation`` block: P/R per category and qualifier (JSON-serializable)."""
    cells = evaluation.filter(
        (pl.col("qualifier") != "*") & (pl.col("category") != "medication_class")
    )
    tp, fp, fn = (int(cells[c].sum()) for c in ("tp", "fp", "fn"))
    return {
        "labels": labels_name,
        "micro": {
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
        },
        "cells": evaluation.to_dicts(),
    }


#: Plain-words description of the detector, stored in the section (``detector.method``).
METHOD = (
    "French lexicon (terms, abbreviations and drug names per category and medication class), "
    "typo repair (one transposition or deletion), vectorized regex prefilter on unique "
    "sentences, then cue rules for negation, request/hypothesis and family history within the "
    "clause; row precedence positive > family > requested > negated; exam lists count as "
    "requested tests."
)
