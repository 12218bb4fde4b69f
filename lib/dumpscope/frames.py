"""Helpers for functions that take the working copy eager (``pl.DataFrame``) or lazy
(``pl.LazyFrame``, e.g. ``pl.scan_parquet(work/working.parquet)``).

The working copy has one Utf8 column per source column; at the reference size it is 491,787
rows x 152 columns, most of them empty, and polars spends 16 bytes per string cell whatever its
length. Holding it whole costs 1.2 GB per 500k rows, so the stages that read it take a lazy
frame, select only the columns they need and run whole-table passes on the streaming engine
(docs/scaling.md, bench/analysis.md).
"""

from __future__ import annotations

import polars as pl

#: Technical columns of the working copy (contracts §4): not source data.
TECHNICAL: tuple[str, ...] = ("_source_line", "_line_count")

Frame = pl.DataFrame | pl.LazyFrame


def as_lazy(frame: Frame) -> pl.LazyFrame:
    """The frame as a ``LazyFrame`` (a ``LazyFrame`` is returned as it is)."""
    return frame.lazy()


def column_names(frame: Frame) -> list[str]:
    """Column names, without reading any row of a lazy frame."""
    if isinstance(frame, pl.LazyFrame):
        return frame.collect_schema().names()
    return list(frame.columns)


def data_columns(frame: Frame) -> list[str]:
    """Column names minus the technical ``_source_line`` and ``_line_count``."""
    return [c for c in column_names(frame) if c not in TECHNICAL]


def collect(query: pl.LazyFrame) -> pl.DataFrame:
    """Run a query on polars' streaming engine (memory bounded by the batch, not the table)."""
    return query.collect(engine="streaming")


def height(frame: Frame) -> int:
    """Number of rows (a lazy frame is counted by streaming, reading no column)."""
    if isinstance(frame, pl.DataFrame):
        return frame.height
    return int(collect(frame.select(pl.len())).item())


def select(frame: Frame, columns: list[str]) -> pl.DataFrame:
    """Only ``columns``, as an eager frame (a lazy frame reads no other column)."""
    if isinstance(frame, pl.DataFrame):
        return frame.select(columns)
    return collect(frame.select(columns))


def exact_duplicate_rows(frame: Frame, columns: list[str] | None = None) -> int:
    """Rows minus distinct rows over ``columns`` (default: every non-technical column), exactly.

    Each row is hashed in one streaming pass (8 bytes a row are kept); only the rows whose hash
    occurs more than once are then read back and compared value by value, so a hash collision
    cannot create a duplicate. Null and empty string are different values.

    Parameters
    ----------
    frame
        Any frame; ``columns`` must exist in it.
    columns
        Columns that define a duplicate; None = :func:`data_columns`.

    Returns
    -------
    int
        0 for an empty frame or one without columns.
    """
    cols = data_columns(frame) if columns is None else list(columns)
    lazy = as_lazy(frame)
    if not cols:
        return 0
    hashes = collect(lazy.select(pl.struct(cols).hash(seed=0).alias("h")))["h"]
    if hashes.len() == 0:
        return 0
    clash = hashes.is_duplicated()
    if not clash.any():
        return 0
    rows = pl.Series("i", clash.arg_true(), dtype=pl.UInt32)
    suspects = collect(
        lazy.select(cols)
        .with_row_index("_i")
        .filter(pl.col("_i").is_in(rows.implode()))
        .drop("_i")
    )
    return suspects.height - suspects.n_unique()
