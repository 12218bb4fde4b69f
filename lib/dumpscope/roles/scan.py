"""Reading a working copy that may be eager (``pl.DataFrame``) or lazy (``pl.LazyFrame``).

The role detector, the normalizer and the column profile take either. A lazy copy (a
``pl.scan_parquet`` of ``working.parquet``) is never read whole: each query selects the few
columns it needs and runs on polars' streaming engine (:mod:`dumpscope.frames`), so memory is
bounded by a column, not by the 150 columns of an LIS export. An eager frame is queried in
memory with the same expressions, so both give identical results.
"""

from __future__ import annotations

import polars as pl

from dumpscope.frames import Frame, collect, data_columns

#: Rows read at once, all columns, before asking each column for its first non-empty value.
HEAD_ROWS = 1000


def pick(frame: Frame, exprs: list[pl.Expr] | pl.Expr) -> pl.DataFrame:
    """Evaluate ``exprs`` in a ``select`` on ``frame``, as an eager frame.

    Parameters
    ----------
    frame
        Eager or lazy frame holding the columns the expressions name (a lazy frame reads only
        those columns, on the streaming engine).
    exprs
        One expression or a list (as in ``DataFrame.select``).

    Returns
    -------
    pl.DataFrame
        The selected columns.
    """
    if isinstance(frame, pl.LazyFrame):
        return collect(frame.select(exprs))
    return frame.select(exprs)


def exists(frame: Frame, name: str, predicate: pl.Expr) -> bool:
    """Whether any row of column ``name`` satisfies ``predicate`` (an expression on that column).

    Reads that column alone and stops at the first match; on a Parquet scan, row groups whose
    statistics exclude a match are skipped without being decoded.
    """
    query = frame.select(name).filter(predicate).head(1)
    if isinstance(query, pl.LazyFrame):
        query = collect(query)
    return query.height > 0


def columns_with_values(frame: Frame) -> dict[str, bool]:
    """Whether each data column holds at least one non-empty value.

    A column without one holds nothing but empty strings (most of an LIS export) or nulls, or
    the frame has no row. The first ``HEAD_ROWS`` rows answer for most filled columns; each
    other column is asked for its first value ``> ""`` (the non-empty strings): on a Parquet
    scan the row groups whose statistics say "only empty strings" are not even decoded, so
    this costs next to nothing however long the file. Non-text columns are read as text.

    Parameters
    ----------
    frame
        Working copy, eager or lazy; ``_source_line`` and ``_line_count`` are left out.

    Returns
    -------
    dict
        ``{column: bool}``, every data column.
    """
    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    names = data_columns(frame)
    if not names:
        return {}

    def non_empty(name: str) -> pl.Expr:
        value = pl.col(name) if schema[name] == pl.String else pl.col(name).cast(pl.Utf8)
        return value > ""

    # the first rows answer for most filled columns at once (a query per column costs a page)
    head = pick(frame.head(HEAD_ROWS), [non_empty(c).any().alias(c) for c in names])
    seen = head.row(0, named=True)
    return {c: bool(seen[c]) or exists(frame, c, non_empty(c)) for c in names}


def filled_values(frame: Frame, name: str) -> pl.Series:
    """The values of one column that are not empty strings (nulls dropped), in row order, as
    Utf8 (non-text columns are read as text).

    Parameters
    ----------
    frame
        Eager or lazy frame (a lazy frame reads that column alone).
    name
        Column name.

    Returns
    -------
    pl.Series
        Utf8 series named ``name``; blanks made of spaces are kept.
    """
    query = frame.select(pl.col(name).cast(pl.Utf8)).filter(pl.col(name).str.len_bytes() > 0)
    if isinstance(query, pl.LazyFrame):
        query = collect(query)
    return query.to_series()
