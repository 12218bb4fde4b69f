"""Derived copies of a dump, for testing and benchmarking ``dumpscope compare``."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def derive_copy(
    working: pl.DataFrame,
    columns: list[dict],
    other: pl.DataFrame,
    path: Path | str,
    *,
    removed: int,
    added: int,
    altered: int,
    altered_column: str = "tel_portable",
    key_column: str = "num_dossier",
    quote_empty: bool = False,
) -> dict:
    """Write a modified copy of a dump: B = A's loaded rows minus ``removed`` rows, with
    ``altered`` rows changed in ``altered_column``, plus ``added`` rows taken from ``other``.

    Parameters
    ----------
    working
        A's working copy (docs/contracts.md §4): the columns named in ``columns``.
    columns
        A's intake column list ``[{name, original}]``: B is written with A's original headers.
    other
        Another working copy with the same columns, source of the added rows; their
        ``key_column`` gets an ``X`` prefix so that an added row never shares A's file numbers.
    path
        Where B is written (UTF-8, ``;``, CRLF).
    removed, added, altered
        How many rows of each kind; removed and altered rows are spread evenly over A.
    quote_empty
        Write empty fields as ``""`` (as some database exports do) instead of nothing.

    Returns
    -------
    dict
        ``{removed, added, altered, unchanged}``: what a correct comparison must report.
    """
    n = working.height
    if removed + altered >= n or added > other.height:
        raise ValueError("more rows to remove, alter or add than the dumps hold")
    step = max(n // (removed + altered + 1), 1)
    drop = list(range(0, removed * step, step))[:removed]
    change = sorted(set(range(step // 2, n, step)) - set(drop))[:altered]
    a = working.with_row_index("_i")
    b = a.filter(~pl.col("_i").is_in(drop)).with_columns(
        pl.when(pl.col("_i").is_in(change))
        .then(pl.format("ALTERED-{}", pl.col("_i")))
        .otherwise(pl.col(altered_column))
        .alias(altered_column)
    )
    extra = other.head(added).with_columns(("X" + pl.col(key_column)).alias(key_column))
    names = {c["name"]: c["original"] for c in columns}
    out = pl.concat([b.select(list(names)), extra.select(list(names))]).select(
        [pl.col(k).alias(v) for k, v in names.items()]
    )
    if not quote_empty:
        # written like the original export: an empty field is nothing between two delimiters
        out = out.with_columns(pl.all().replace("", None))
    out.write_csv(path, separator=";", line_terminator="\r\n")
    return {
        "removed": len(drop),
        "added": added,
        "altered": len(change),
        "unchanged": n - len(drop) - len(change),
    }
