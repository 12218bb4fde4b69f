"""Aggregated frames of the summary report for CSV export (suppressed by report.export)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dumpscope.findings import CATEGORIES, value
from dumpscope.report.summary._html import _data_classes, _keyed, _persons_rows


def tables(f: Mapping[str, Any]) -> dict[str, Any]:
    """Aggregated frames for CSV export (counts raw here; :mod:`~dumpscope.report.export`
    suppresses them and neutralizes formulas).

    Returns
    -------
    dict[str, pl.DataFrame]
        ``categories`` [category, persons, rows], ``health`` [category, qualifier, persons,
        rows], ``departements`` [departement, persons, rows], ``labs`` [lab_code, names, persons,
        rows, first_sample, last_sample], ``years`` [year, rows, persons]; only those computed.
        Count columns are ``persons`` and ``rows``.
    """
    import polars as pl

    def frame(rows: list[tuple], schema: dict[str, Any]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=schema, orient="row")

    def n(x: Any) -> int | None:
        return x if isinstance(x, int) and not isinstance(x, bool) else None

    out: dict[str, pl.DataFrame] = {}
    counts = {"persons": pl.Int64, "rows": pl.Int64}
    classes = _data_classes(f)
    if classes:
        rows = [(name, *map(n, _persons_rows(e))) for name, e in classes.items()]
        out["categories"] = frame(rows, {"category": pl.Utf8, **counts})
    cats = value(f, "sensitive.categories")
    if isinstance(cats, Mapping):
        rows = []
        for cat in CATEGORIES:
            entry = cats.get(cat)
            if not isinstance(entry, Mapping):
                continue
            rows.append((cat, "any", n(entry.get("persons")), n(entry.get("rows"))))
            for q, e in (entry.get("qualifiers") or {}).items():
                rows.append((cat, q, *map(n, _persons_rows(e))))
        out["health"] = frame(rows, {"category": pl.Utf8, "qualifier": pl.Utf8, **counts})
    deps = _keyed(value(f, "geography.by_departement"))
    if deps:
        rows = [(code, *map(n, _persons_rows(e))) for code, e in sorted(deps.items())]
        out["departements"] = frame(rows, {"departement": pl.Utf8, **counts})
    labs = _keyed(value(f, "labs.by_code"))
    if labs:
        rows = []
        for code, e in sorted(labs.items()):
            e = e if isinstance(e, Mapping) else {}
            names = e.get("names") or []
            names = [names] if isinstance(names, str) else names
            rows.append(
                (
                    code,
                    " / ".join(str(x) for x in names),
                    n(e.get("persons")),
                    n(e.get("rows")),
                    e.get("first_sample"),
                    e.get("last_sample"),
                )
            )
        out["labs"] = frame(
            rows,
            {
                "lab_code": pl.Utf8,
                "names": pl.Utf8,
                **counts,
                "first_sample": pl.Utf8,
                "last_sample": pl.Utf8,
            },
        )
    years = _keyed(value(f, "dates.per_year"))
    if years:
        rows = [
            (str(y), *reversed([n(x) for x in _persons_rows(e)])) for y, e in sorted(years.items())
        ]
        out["years"] = frame(rows, {"year": pl.Utf8, "rows": pl.Int64, "persons": pl.Int64})
    return out
