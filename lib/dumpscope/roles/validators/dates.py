"""Dates in the usual export formats, parsed with polars; impossible dates flagged ``invalid``.

Accepted (optionally followed by a time ``hh:mm[:ss]`` after a space or ``T``): ``dd/mm/yyyy``,
``dd-mm-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd`` (any of ``/-.``), ``dd/mm/yy`` (two-digit years
above ``pivot`` are 19yy), ``ddmmyyyy`` and ``yyyymmdd``. Day and month may have one digit.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dumpscope.roles.validators._unique import on_unique

STATUSES = ("valid", "invalid", "missing")


def _classify(
    frame: pl.DataFrame, pivot: int, min_date: dt.date | None, max_date: dt.date | None
) -> pl.DataFrame:
    value = pl.col("raw").str.strip_chars()
    day = value.str.replace(
        r"^(\S+?)(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", "$1"
    ).str.replace_all(r"[-.]", "/")
    dmy = r"^\d{1,2}/\d{1,2}/\d{4}$"
    ymd = r"^\d{4}/\d{1,2}/\d{1,2}$"
    dmy2 = r"^\d{1,2}/\d{1,2}/\d{2}$"
    yy = day.str.slice(-2).str.to_integer(strict=False)
    century = pl.when(yy > pivot).then(pl.lit("19")).otherwise(pl.lit("20"))
    parsed = pl.coalesce(
        pl.when(day.str.contains(dmy)).then(day.str.to_date("%d/%m/%Y", strict=False)),
        pl.when(day.str.contains(ymd)).then(day.str.to_date("%Y/%m/%d", strict=False)),
        pl.when(day.str.contains(dmy2)).then(
            (day.str.slice(0, day.str.len_chars() - 2) + century + day.str.slice(-2)).str.to_date(
                "%d/%m/%Y", strict=False
            )
        ),
        pl.when(day.str.contains(r"^\d{8}$")).then(
            pl.coalesce(
                day.str.to_date("%d%m%Y", strict=False), day.str.to_date("%Y%m%d", strict=False)
            )
        ),
    )
    in_range = pl.lit(True)
    if min_date is not None:
        in_range = in_range & (parsed >= min_date)
    if max_date is not None:
        in_range = in_range & (parsed <= max_date)
    date = pl.when(in_range).then(parsed)
    return frame.with_columns(
        date=date,
        date_status=pl.when(value.is_null() | (value.str.len_chars() == 0))
        .then(pl.lit("missing"))
        .when(date.is_not_null())
        .then(pl.lit("valid"))
        .otherwise(pl.lit("invalid")),
    )


def validate_date(
    values: pl.Series,
    *,
    pivot: int = 21,
    min_date: dt.date | None = dt.date(1880, 1, 1),
    max_date: dt.date | None = None,
) -> pl.DataFrame:
    """Parse dates written in the common French/ISO formats.

    Parameters
    ----------
    values
        Raw date strings (Utf8), one per row; null or blank = missing.
    pivot
        Two-digit years above ``pivot`` are read as 19yy, others as 20yy.
    min_date, max_date
        Dates outside this range are impossible for the column and flagged ``invalid``.

    Returns
    -------
    pl.DataFrame
        One row per input value: ``date`` (Date, null when missing or invalid) and
        ``date_status`` (``valid`` / ``invalid`` / ``missing``).
    """
    return on_unique(values, lambda f: _classify(f, pivot, min_date, max_date))
