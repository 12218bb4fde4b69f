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


_FORMATS = (
    # (shape of the date part once separators are "/", how to parse it)
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "dmy"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "ymd"),
    (r"^\d{1,2}/\d{1,2}/\d{2}$", "dmy2"),
    (r"^\d{8}$", "digits8"),
)


def _parse(kind: str, day: pl.Expr, pivot: int) -> pl.Expr:
    if kind == "dmy":
        return day.str.to_date("%d/%m/%Y", strict=False)
    if kind == "ymd":
        return day.str.to_date("%Y/%m/%d", strict=False)
    if kind == "dmy2":
        yy = day.str.slice(-2).str.to_integer(strict=False)
        century = pl.when(yy > pivot).then(pl.lit("19")).otherwise(pl.lit("20"))
        full = day.str.slice(0, day.str.len_chars() - 2) + century + day.str.slice(-2)
        return full.str.to_date("%d/%m/%Y", strict=False)
    return pl.coalesce(
        day.str.to_date("%d%m%Y", strict=False), day.str.to_date("%Y%m%d", strict=False)
    )


def _classify(
    frame: pl.DataFrame, pivot: int, min_date: dt.date | None, max_date: dt.date | None
) -> pl.DataFrame:
    value = pl.col("raw").str.strip_chars()
    day = value.str.replace(
        r"^(\S+?)(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", "$1"
    ).str.replace_all(r"[-.]", "/")
    kind = pl.lit(None, dtype=pl.Utf8)
    for pattern, name in reversed(_FORMATS):
        kind = pl.when(pl.col("_day").str.contains(pattern)).then(pl.lit(name)).otherwise(kind)
    work = frame.with_row_index("_i").with_columns(_v=value, _day=day).with_columns(_kind=kind)
    # each format parses only the values of its shape (to_date on the others is costly)
    parts = [
        work.filter(pl.col("_kind") == name).with_columns(_d=_parse(name, pl.col("_day"), pivot))
        for _, name in _FORMATS
    ]
    parts.append(work.filter(pl.col("_kind").is_null()).with_columns(_d=pl.lit(None, pl.Date)))
    work = pl.concat(parts).sort("_i")
    parsed = pl.col("_d")
    in_range = pl.lit(True)
    if min_date is not None:
        in_range = in_range & (parsed >= min_date)
    if max_date is not None:
        in_range = in_range & (parsed <= max_date)
    date = pl.when(in_range).then(parsed)
    v = pl.col("_v")
    return work.select(
        "raw",
        date=date,
        date_status=pl.when(v.is_null() | (v.str.len_chars() == 0))
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
