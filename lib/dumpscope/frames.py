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


#: Up to this many rows whose hash clashes are read back whole and compared at once; beyond
#: (a dump made of repeated copies: every row a suspect), one group of columns at a time.
_WHOLE_SUSPECTS = 65_536

#: Columns read per pass when suspects are compared column by column (memory: this many columns).
_COLUMNS_PER_PASS = 8


def exact_duplicate_rows(frame: Frame, columns: list[str] | None = None) -> int:
    """Rows minus distinct rows over ``columns`` (default: every non-technical column), exactly,
    in bounded memory.

    One streaming pass hashes every row (8 bytes a row are kept). When few rows share a hash,
    they are read back whole and compared value by value, so a hash collision cannot create a
    duplicate. When many do (a dump made of repeated copies: every row a suspect), each suspect
    is compared with the first row of its hash group a few columns at a time; a group in which
    every row equals its first row holds one distinct row, and the rows of any other group (a
    real hash collision) are compared whole. Null and empty string are different values.

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
    if not cols:
        return 0
    lazy = as_lazy(frame)
    hashes = collect(lazy.select(pl.struct(cols).hash(seed=0).alias("h")))["h"]
    clash = hashes.is_duplicated()
    suspects = int(clash.sum())
    if suspects == 0:
        return 0
    if suspects <= _WHOLE_SUSPECTS:
        return _duplicates_whole(lazy, cols, clash.arg_true())
    return _duplicates_by_column(lazy, cols, hashes)


def _duplicates_whole(lazy: pl.LazyFrame, cols: list[str], rows: pl.Series) -> int:
    """Rows minus distinct rows among ``rows`` (positions), read back whole and compared."""
    whole = collect(
        lazy.select(cols)
        .with_row_index("_i")
        .filter(pl.col("_i").is_in(rows.cast(pl.UInt32).implode()))
        .drop("_i")
    )
    return whole.height - whole.n_unique()


def _duplicates_by_column(lazy: pl.LazyFrame, cols: list[str], hashes: pl.Series) -> int:
    """Rows minus distinct rows, given each row's hash: the rows of a hash group are compared
    with the group's first row a few columns at a time; groups with a difference (hash
    collisions) are compared whole."""
    clash = hashes.is_duplicated()
    index = clash.arg_true().cast(pl.UInt32)
    groups = pl.DataFrame({"i": index, "h": hashes.gather(index)}).with_columns(
        first=pl.col("i").min().over("h")
    )
    index, first = groups["i"], groups["first"]
    differs = pl.repeat(False, groups.height, eager=True)
    for start in range(0, len(cols), _COLUMNS_PER_PASS):
        batch = collect(lazy.select(cols[start : start + _COLUMNS_PER_PASS]))
        for values in batch.iter_columns():
            differs = differs | values.gather(index).ne_missing(values.gather(first))
        del batch
    groups = groups.with_columns(differs=differs)
    bad = groups.group_by("h").agg(pl.col("differs").any()).filter(pl.col("differs"))["h"]
    good = groups.filter(~pl.col("h").is_in(bad.implode()))
    duplicates = good.height - good["h"].n_unique()
    if bad.len():
        rows = groups.filter(pl.col("h").is_in(bad.implode()))["i"]
        duplicates += _duplicates_whole(lazy, cols, rows)
    return duplicates
