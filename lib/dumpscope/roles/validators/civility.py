"""Civility (title) and declared sex, normalized."""

from __future__ import annotations

import polars as pl

from dumpscope.roles.validators._unique import on_unique

CIVILITIES = ("Mme", "M.", "Enfant", "Bébé", "Sœur")

_CIVILITY_PATTERNS = (
    (r"^(?:MME|MADAME|MLLE|MADEMOISELLE|MELLE|MRS|MS|MISS)$", "Mme"),
    (r"^(?:M|MR|MONSIEUR|MSIEUR|MISTER)$", "M."),
    (r"^(?:ENFANT|ENF|CHILD)$", "Enfant"),
    (r"^(?:BEBE|BB|BABY|NOURRISSON)$", "Bébé"),
    (r"^(?:SOEUR|SR|SISTER)$", "Sœur"),
)


def _fold(expr: pl.Expr) -> pl.Expr:
    """Upper-case, accents and ligatures folded to ASCII, dots and spaces removed."""
    return (
        expr.str.strip_chars()
        .str.to_uppercase()
        .str.replace_all("[ÉÈÊË]", "E")
        .str.replace_all("Œ", "OE")
        .str.replace_all("Ã©", "E")  # mojibake of é, upper-cased
        .str.replace_all("Ã‰", "E")
        .str.replace_all("Å’", "OE")
        .str.replace_all(r"[.\s]", "")
    )


def _civility(frame: pl.DataFrame) -> pl.DataFrame:
    v = _fold(pl.col("raw"))
    out = pl.lit(None, dtype=pl.Utf8)
    for pattern, name in reversed(_CIVILITY_PATTERNS):
        out = pl.when(v.str.contains(pattern)).then(pl.lit(name)).otherwise(out)
    return frame.with_columns(civility=out)


def _sex(frame: pl.DataFrame) -> pl.DataFrame:
    v = _fold(pl.col("raw"))
    return frame.with_columns(
        sex=pl.when(v.str.contains(r"^(?:F|FEMME|FEMININ|FEMALE|W|2)$"))
        .then(pl.lit("F"))
        .when(v.str.contains(r"^(?:M|H|HOMME|MASCULIN|MALE|1)$"))
        .then(pl.lit("M"))
    )


def parse_civility(values: pl.Series) -> pl.DataFrame:
    """Normalize civilities (Mme, Madame, MLLE -> ``Mme``; M, Mr, Monsieur -> ``M.``; ...).

    Returns
    -------
    pl.DataFrame
        ``civility``: one of ``Mme``, ``M.``, ``Enfant``, ``Bébé``, ``Sœur`` or null.
    """
    return on_unique(values, _civility)


def parse_sex(values: pl.Series) -> pl.DataFrame:
    """Normalize declared sex (``F``, ``M``, ``H``, ``Femme``, ``Masculin``, ``1``/``2``...).

    Returns
    -------
    pl.DataFrame
        ``sex``: ``F``, ``M`` or null.
    """
    return on_unique(values, _sex)
