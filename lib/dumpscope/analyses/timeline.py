"""When the samples were taken: monthly activity, the dump's time span and its extraction date.

Method (plain words, also returned in the section):

1. Only parsed sample dates (``sample_date_status == "valid"``) are dated; invalid and missing
   ones are counted.
2. Dates before ``window_start`` (2015-01-01 in the reference case: the labs' common software
   period) are out of range.
3. The **activity period** is the longest run of months with samples, allowing gaps of at most
   ``max_gap_months`` empty months; months with fewer samples than ``min_share`` of the median
   month do not extend it. Isolated dates after that run (typos such as 2030) are "after the
   estimated extraction" and out of range.
4. The **estimated extraction date** is not earlier than the last sample date of the activity
   period, nor than the latest "last visit" date when that one falls within ``LAST_VISIT_DAYS``
   after it (a later one is taken as a typing error); when most labs were still sampling in the
   last weeks, the export was taken shortly after (a full export, not an archive of closed labs).
5. A birth date after the sample date is impossible and counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from dumpscope import frames

WINDOW_START = dt.date(2015, 1, 1)
MAX_GAP_MONTHS = 3
MIN_SHARE = 0.05
#: A lab whose last sample is within this many days of the dump's last one is "still active".
ACTIVE_DAYS = 31
#: A "last visit" date at most this many days after the last sample also bounds the extraction.
LAST_VISIT_DAYS = 92


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "birth_date",
    "lab_code",
    "last_visit_date",
    "sample_date",
    "sample_date_status",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


def _col(view: pl.DataFrame, name: str, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    return pl.col(name) if name in view.columns else pl.lit(None, dtype=dtype).alias(name)


def _status(view: pl.DataFrame) -> pl.Expr:
    if "sample_date_status" in view.columns:
        return pl.col("sample_date_status")
    return (
        pl.when(_col(view, "sample_date", pl.Date).is_null())
        .then(pl.lit("missing"))
        .otherwise(pl.lit("valid"))
    )


def dated(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """``_source_line, lab_code, sample_date, status, birth_date, month (YYYY-MM)`` of every row.

    Uses ``sample_date, sample_date_status, lab_code, birth_date`` of the view (absent -> null).
    """
    view = _view(view)
    return (
        view.select(
            pl.col("_source_line"),
            _col(view, "lab_code"),
            _col(view, "sample_date", pl.Date).alias("sample_date"),
            _status(view).alias("status"),
            _col(view, "birth_date", pl.Date).alias("birth_date"),
        )
        .with_columns(
            pl.when(pl.col("status") == "valid")
            .then(pl.col("sample_date"))
            .otherwise(None)
            .alias("sample_date")
        )
        .with_columns(pl.col("sample_date").dt.strftime("%Y-%m").alias("month"))
    )


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def activity_window(
    frame: pl.DataFrame,
    *,
    window_start: dt.date = WINDOW_START,
    max_gap_months: int = MAX_GAP_MONTHS,
    min_share: float = MIN_SHARE,
) -> tuple[dt.date | None, dt.date | None]:
    """First and last sample date of the activity period (see the module docstring).

    Parameters
    ----------
    frame
        From :func:`dated` (``sample_date, month``).

    Returns
    -------
    (first, last)
        Dates, or ``(None, None)`` when no date is in range.
    """
    inside = frame.filter(pl.col("sample_date") >= window_start)
    if inside.height == 0:
        return None, None
    months = inside.group_by("month").agg(pl.len().alias("n")).sort("month")
    median = float(months["n"].median())
    active = months.filter(pl.col("n") >= max(1.0, min_share * median))
    idx = [_month_index(m) for m in active["month"]]
    counts = active["n"].to_list()
    runs: list[tuple[int, int, int]] = []  # (first index, last index, rows)
    for i, n in zip(idx, counts, strict=True):
        if runs and i - runs[-1][1] <= max_gap_months + 1:
            runs[-1] = (runs[-1][0], i, runs[-1][2] + n)
        else:
            runs.append((i, i, n))
    first, last, _ = max(runs, key=lambda r: (r[2], -r[0]))
    lo, hi = _month_text(first), _month_text(last)
    window = inside.filter((pl.col("month") >= lo) & (pl.col("month") <= hi))
    return window["sample_date"].min(), window["sample_date"].max()


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    return [_month_text(i) for i in range(_month_index(first), _month_index(last) + 1)]


def summarize(
    view: pl.DataFrame | pl.LazyFrame,
    k: int = 10,
    *,
    window_start: dt.date = WINDOW_START,
    max_gap_months: int = MAX_GAP_MONTHS,
) -> dict:
    """Timeline of the samples.

    Parameters
    ----------
    view
        Normalized view; uses ``_source_line, sample_date, sample_date_status, lab_code,
        birth_date`` (and ``last_visit_date`` if present).
    k
        Small-count threshold, recorded (counts are exact; the report gate suppresses).
    window_start
        Dates before it are out of range (2015-01-01: the labs' common software period).
    max_gap_months
        Empty months tolerated inside the activity period.

    Returns
    -------
    dict
        ``sample_min, sample_max`` (activity period, ISO dates), ``raw_min, raw_max`` (all
        parsed dates), ``valid, invalid, missing`` (rows), ``out_of_range {before_start,
        after_extraction, birth_after_sample, total}``, ``estimated_extraction`` (ISO date: not
        earlier than), ``labs_active_at_end {count, of}``, ``reasoning`` (plain words),
        ``per_month {YYYY-MM: rows}``, ``per_year {YYYY: rows}``, ``gaps {overall: [months],
        by_lab: {code: [months]}}``, ``last_visit_max``, ``method``, ``k``.
    """
    view = _view(view)
    frame = dated(view)
    status = dict.fromkeys(("valid", "invalid", "missing"), 0)
    for s, n in frame.group_by("status").agg(pl.len()).iter_rows():
        status[s if s in status else ("missing" if s is None else "invalid")] += int(n)
    first, last = activity_window(frame, window_start=window_start, max_gap_months=max_gap_months)
    parsed = frame.filter(pl.col("sample_date").is_not_null())
    before = parsed.filter(pl.col("sample_date") < window_start).height
    after = parsed.filter(pl.col("sample_date") > last).height if last else 0
    birth_after = parsed.filter(
        pl.col("birth_date").is_not_null() & (pl.col("birth_date") > pl.col("sample_date"))
    ).height
    in_range = (
        parsed.filter(pl.col("sample_date").is_between(first, last)) if first else parsed.clear()
    )
    per_month = in_range.group_by("month").agg(pl.len().alias("n")).sort("month")
    per_year = (
        in_range.group_by(pl.col("sample_date").dt.year().cast(pl.Utf8).alias("year"))
        .agg(pl.len().alias("n"))
        .sort("year")
    )
    labs = (
        in_range.filter(pl.col("lab_code").is_not_null())
        .group_by("lab_code")
        .agg(
            pl.col("sample_date").min().alias("first"),
            pl.col("sample_date").max().alias("last"),
            pl.col("month").unique().alias("months"),
        )
        .sort("lab_code")
    )
    gaps_by_lab: dict[str, list[str]] = {}
    for row in labs.iter_rows(named=True):
        seen = set(row["months"])
        window = months_between(row["first"].strftime("%Y-%m"), row["last"].strftime("%Y-%m"))
        missing_months = [m for m in window if m not in seen]
        if missing_months:
            gaps_by_lab[row["lab_code"]] = missing_months
    overall_gaps = (
        [
            m
            for m in months_between(first.strftime("%Y-%m"), last.strftime("%Y-%m"))
            if m not in set(per_month["month"])
        ]
        if first
        else []
    )
    active_at_end = (
        labs.filter(pl.col("last") >= last - dt.timedelta(days=ACTIVE_DAYS)).height if last else 0
    )
    last_visit = (
        view["last_visit_date"].drop_nulls().max() if "last_visit_date" in view.columns else None
    )
    extraction = last
    if last is not None and last_visit is not None and last < last_visit:
        if (last_visit - last).days <= LAST_VISIT_DAYS:
            extraction = last_visit
    reasoning = _reasoning(first, last, active_at_end, labs.height, after, last_visit)
    return {
        "method": __doc__.split("Method (plain words, also returned in the section):")[1].strip(),
        "k": k,
        "window_start": window_start.isoformat(),
        "sample_min": first.isoformat() if first else None,
        "sample_max": last.isoformat() if last else None,
        "raw_min": parsed["sample_date"].min().isoformat() if parsed.height else None,
        "raw_max": parsed["sample_date"].max().isoformat() if parsed.height else None,
        "valid": status["valid"],
        "invalid": status["invalid"],
        "missing": status["missing"],
        "out_of_range": {
            "before_start": before,
            "after_extraction": after,
            "birth_after_sample": birth_after,
            "total": before + after + birth_after,
        },
        "estimated_extraction": extraction.isoformat() if extraction else None,
        "labs_active_at_end": {"count": active_at_end, "of": labs.height},
        "reasoning": reasoning,
        "per_month": {m: int(n) for m, n in per_month.iter_rows()},
        "per_year": {y: int(n) for y, n in per_year.iter_rows()},
        "gaps": {"overall": overall_gaps, "by_lab": gaps_by_lab},
        "last_visit_max": last_visit.isoformat() if last_visit else None,
    }


def _reasoning(
    first: dt.date | None,
    last: dt.date | None,
    active: int,
    n_labs: int,
    after: int,
    last_visit: dt.date | None,
) -> str:
    if last is None:
        return "No usable sample date: the extraction date cannot be estimated from the samples."
    parts = [
        f"The samples run from {first.isoformat()} to {last.isoformat()}; the file cannot have "
        f"been extracted before {last.isoformat()}."
    ]
    if n_labs:
        if active * 2 >= n_labs:
            parts.append(
                f"{active} of {n_labs} labs were still taking samples in the last "
                f"{ACTIVE_DAYS} days before that date, so activity stops abruptly for most labs "
                f"at once: the export was most likely taken shortly after {last.isoformat()} "
                f"(days or a few weeks), not long after the labs closed."
            )
        else:
            parts.append(
                f"Only {active} of {n_labs} labs were still taking samples in the last "
                f"{ACTIVE_DAYS} days: activity winds down lab by lab, so the export may have been "
                f"taken some time after {last.isoformat()}."
            )
    if after:
        parts.append(
            f"{after} row(s) carry a later sample date, isolated from the activity period: "
            f"treated as typing errors, not as evidence of a later extraction."
        )
    if last_visit is not None and last_visit > last:
        if (last_visit - last).days <= LAST_VISIT_DAYS:
            parts.append(
                f"The latest 'last visit' date is {last_visit.isoformat()}, after the last "
                f"sample: the file cannot have been extracted before {last_visit.isoformat()}."
            )
        else:
            parts.append(
                f"The latest 'last visit' date, {last_visit.isoformat()}, lies more than "
                f"{LAST_VISIT_DAYS} days after the last sample: treated as a typing error."
            )
    return " ".join(parts)


def lab_month_frame(
    view: pl.DataFrame | pl.LazyFrame, *, window_start: dt.date = WINDOW_START
) -> pl.DataFrame:
    """Rows per lab and month inside the activity period (for the heatmap).

    Returns
    -------
    pl.DataFrame
        ``lab_code, month (YYYY-MM), count`` (exact; :func:`dumpscope.report.maps.month_heatmap`
        shows counts below k as ``< k``).
    """
    view = _view(view)
    frame = dated(view)
    first, last = activity_window(frame, window_start=window_start)
    if first is None:
        return pl.DataFrame(schema={"lab_code": pl.Utf8, "month": pl.Utf8, "count": pl.Int64})
    return (
        frame.filter(
            pl.col("sample_date").is_between(first, last) & pl.col("lab_code").is_not_null()
        )
        .group_by("lab_code", "month")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .sort("lab_code", "month")
    )


def month_frame(section: dict[str, Any]) -> pl.DataFrame:
    """``month, count`` from a timeline section's ``per_month`` (every month of the period)."""
    months = section.get("per_month") or {}
    if not months:
        return pl.DataFrame(schema={"month": pl.Utf8, "count": pl.Int64})
    span = months_between(min(months), max(months))
    return pl.DataFrame(
        {"month": span, "count": [int(months.get(m, 0)) for m in span]},
        schema={"month": pl.Utf8, "count": pl.Int64},
    )


def sentences(section: dict, lang: str = "fr", k: int = 10) -> list[str]:
    """Plain-language sentences about a timeline section (counts below ``k`` as ``< k``)."""
    from dumpscope.report import locale
    from dumpscope.report.redact import suppress

    def n(value: int | None) -> str:
        return locale.number(suppress(value, k), lang)

    first, last = section["sample_min"], section["sample_max"]
    extraction = section.get("estimated_extraction") or last
    active = section["labs_active_at_end"]
    oor = section["out_of_range"]
    if last is None:
        return [
            "Aucune date de prélèvement exploitable." if lang == "fr" else "No usable sample date."
        ]
    d = lambda value: locale.date(value, lang)  # noqa: E731
    if lang == "fr":
        out = [
            f"Les prélèvements datés vont du {d(first)} au {d(last)} "
            f"({n(section['valid'])} dates valides, {n(section['invalid'])} invalides, "
            f"{n(section['missing'])} manquantes).",
            f"Le fichier n'a pas pu être extrait avant le {d(extraction)}"
            + (
                " (date de « dernière visite » la plus récente, postérieure au dernier "
                "prélèvement). "
                if extraction != last
                else ". "
            )
            + (
                f"{active['count']} laboratoires sur {active['of']} prélevaient encore dans les "
                f"{ACTIVE_DAYS} derniers jours : l'activité s'arrête d'un coup pour la plupart, "
                f"l'extraction a donc très probablement eu lieu peu après le {d(extraction)}."
                if active["count"] * 2 >= active["of"]
                else f"Seuls {active['count']} laboratoires sur {active['of']} prélevaient encore "
                f"dans les {ACTIVE_DAYS} derniers jours : l'extraction peut être plus tardive."
            ),
            f"Dates hors période : {n(oor['before_start'])} avant le "
            f"{d(section['window_start'])}, {n(oor['after_extraction'])} après la fin de "
            f"l'activité (erreurs de saisie probables), {n(oor['birth_after_sample'])} "
            f"prélèvements antérieurs à la date de naissance.",
        ]
    else:
        out = [
            f"Dated samples run from {d(first)} to {d(last)} ({n(section['valid'])} valid dates, "
            f"{n(section['invalid'])} invalid, {n(section['missing'])} missing).",
            section["reasoning"],
            f"Out-of-range dates: {n(oor['before_start'])} before {d(section['window_start'])}, "
            f"{n(oor['after_extraction'])} after the end of activity (probable typing errors), "
            f"{n(oor['birth_after_sample'])} samples before the birth date.",
        ]
    return out
