"""Personal names: trimmed, mojibake repaired with ftfy."""

from __future__ import annotations

import ftfy
import polars as pl

from dumpscope.roles.validators._unique import on_unique


def _repair(frame: pl.DataFrame) -> pl.DataFrame:
    value = pl.col("raw").str.strip_chars().str.replace_all(r"\s+", " ")
    out = frame.with_columns(_v=pl.when(value.str.len_chars() > 0).then(value))
    # Pure ASCII text cannot be UTF-8 mojibake: only non-ASCII values go through ftfy.
    suspects = out.filter(pl.col("_v").str.contains(r"[^\x00-\x7F]"))["_v"].unique().to_list()
    fixed = pl.DataFrame(
        {"_v": suspects, "_fixed": [ftfy.fix_text(s) for s in suspects]},
        schema={"_v": pl.Utf8, "_fixed": pl.Utf8},
    )
    out = out.join(fixed, on="_v", how="left", maintain_order="left").with_columns(
        name=pl.coalesce("_fixed", "_v"),
        name_mojibake=(pl.col("_fixed").is_not_null() & (pl.col("_fixed") != pl.col("_v"))),
    )
    return out.select("raw", "name", "name_mojibake")


def clean_names(values: pl.Series) -> pl.DataFrame:
    """Trim names (inner runs of spaces collapsed) and repair mojibake with ``ftfy.fix_text``.

    Parameters
    ----------
    values
        Raw name strings (Utf8); null or blank = missing.

    Returns
    -------
    pl.DataFrame
        ``name`` (repaired, trimmed; null when blank) and ``name_mojibake`` (Boolean: the value
        needed a repair).
    """
    return on_unique(values, _repair)


def _fold(expr: pl.Expr) -> pl.Expr:
    return expr.str.normalize("NFD").str.replace_all(r"\p{Mn}", "").str.to_uppercase()


def split_full_names(values: pl.Series, first_names: pl.Series) -> pl.DataFrame | None:
    """Split a merged "surname first-name" column (``NOM PRENOM`` layouts), when it is one.

    The first name is the last word when it is a known first name, else the first word when it
    is one ("first-name surname" order); the rest is the surname.

    Parameters
    ----------
    values
        Cleaned names (Utf8), one per row.
    first_names
        Known first names, folded to upper-case ASCII (``dumpscope.roles.content.first_names``).

    Returns
    -------
    pl.DataFrame or None
        ``surname`` and ``first_name`` for every row (unsplit values keep the whole value as
        surname), or None when fewer than 60 % of the multi-word values end or start with a known
        first name (the column is then not a merged one).
    """
    frame = values.rename("v").to_frame()
    words = pl.col("v").str.strip_chars().str.split(" ")
    known = first_names.implode()
    frame = frame.with_columns(
        _n=words.list.len(),
        _last_ok=_fold(words.list.last()).is_in(known),
        _first_ok=_fold(words.list.first()).is_in(known),
    )
    multi = frame.filter(pl.col("_n") >= 2)
    if multi.height == 0:
        return None
    share = float((multi["_last_ok"] | multi["_first_ok"]).mean() or 0.0)
    if share < 0.6:
        return None
    last_first = pl.col("_n").ge(2) & pl.col("_last_ok")
    first_first = pl.col("_n").ge(2) & ~pl.col("_last_ok") & pl.col("_first_ok")
    return frame.select(
        surname=pl.when(last_first)
        .then(words.list.slice(0, pl.col("_n") - 1).list.join(" "))
        .when(first_first)
        .then(words.list.slice(1).list.join(" "))
        .otherwise(pl.col("v")),
        first_name=pl.when(last_first)
        .then(words.list.last())
        .when(first_first)
        .then(words.list.first()),
    )
