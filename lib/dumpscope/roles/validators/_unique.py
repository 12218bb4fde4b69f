"""Run a validator on the distinct values of a column, then join the result back to every row."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl


def on_unique(values: pl.Series, classify: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
    """Apply ``classify`` to the distinct values of ``values`` and return one row per input row.

    Parameters
    ----------
    values
        Utf8 series (nulls allowed), one value per row.
    classify
        Function taking a frame with one Utf8 column ``raw`` (distinct values, nulls included
        once) and returning a frame with the column ``raw`` plus result columns, row for row
        (it is also given all the rows, in order, when most values are distinct).

    Returns
    -------
    pl.DataFrame
        The result columns of ``classify`` (without ``raw``), in the order of ``values``.
    """
    raw = values.cast(pl.Utf8).rename("raw")
    distinct = raw.unique().to_frame()
    if distinct.height * 2 > raw.len():
        # mostly distinct (identifiers): classifying the rows costs the same and saves the join
        return classify(raw.to_frame()).drop("raw")
    result = classify(distinct)
    out = raw.to_frame().join(
        result, on="raw", how="left", nulls_equal=True, maintain_order="left"
    )
    return out.drop("raw")


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Strip whitespace; empty strings become null."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_chars() > 0).then(stripped).otherwise(None)
