"""Bar charts of the summary report, from findings only; categories below k are not drawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dumpscope.findings import CATEGORIES, category_persons, value
from dumpscope.report import wording
from dumpscope.report.redact import check_k, is_small
from dumpscope.report.summary._html import _data_classes, _keyed, _p, _persons_rows, _t

#: Charts drawn after a section's tables.
SECTION_CHARTS: dict[str, str] = {
    "categories": "categories",
    "health": "health",
    "timeline": "timeline",
    "geography": "geography",
}


def _bars(labels: list[str], counts: list[int], x_title: str) -> Any:
    import altair as alt
    import polars as pl

    frame = pl.DataFrame({"label": labels, "n": counts}, schema={"label": pl.Utf8, "n": pl.Int64})
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=x_title),
            y=alt.Y("label:N", sort="-x", title=None),
        )
        .properties(width=520, height=alt.Step(18))
    )


def chart_data(
    name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10
) -> tuple[list[str], list[int], int]:
    """The bars of chart ``name``: labels, counts (all >= k) and the number left out (< k).

    Charts: ``categories`` (persons per data class), ``health`` (persons per sensitive category),
    ``geography`` (persons per département), ``timeline`` (records per sample year).
    """
    check_k(k)
    pairs: list[tuple[str, Any]] = []
    if name == "categories":
        pairs = [
            (wording.label(n, lang), _persons_rows(e)[0]) for n, e in _data_classes(f).items()
        ]
    elif name == "health":
        cats = value(f, "sensitive.categories")
        if isinstance(cats, Mapping):
            pairs = [
                (wording.label(c, lang), category_persons(cats.get(c)))
                for c in CATEGORIES
                if isinstance(cats.get(c), Mapping)
            ]
    elif name == "geography":
        pairs = [
            (code, _persons_rows(e)[0])
            for code, e in _keyed(value(f, "geography.by_departement")).items()
        ]
    elif name == "timeline":
        pairs = [
            (str(y), _persons_rows(e)[1])
            for y, e in sorted(_keyed(value(f, "dates.per_year")).items())
        ]
    else:
        raise KeyError(f"unknown chart {name!r}")
    kept = [(label, int(n)) for label, n in pairs if isinstance(n, int) and n >= k]
    omitted = sum(1 for _, n in pairs if is_small(n, k))
    return [lbl for lbl, _ in kept], [n for _, n in kept], omitted


def chart(name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> Any | None:
    """The altair bar chart ``name`` (see :func:`chart_data`), or ``None`` when nothing to draw."""
    labels, counts, _ = chart_data(name, f, lang=lang, k=k)
    if not labels:
        return None
    x_title = _t("rows", lang) if name == "timeline" else _t("persons", lang)
    if name == "timeline":
        import altair as alt
        import polars as pl

        frame = pl.DataFrame(
            {"label": labels, "n": counts}, schema={"label": pl.Utf8, "n": pl.Int64}
        )
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(x=alt.X("label:O", title=_t("year", lang)), y=alt.Y("n:Q", title=x_title))
            .properties(width=520, height=240)
        )
    return _bars(labels, counts, x_title)


def chart_note(name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> str:
    """The plain-words explanation under chart ``name`` (+ how many bars were left out)."""
    _, _, omitted = chart_data(name, f, lang=lang, k=k)
    text = wording.chart_explanation(name, lang, k)
    if omitted:
        text += " " + wording.text("charts.omitted", lang, n=omitted)
    return _p(text, "ds-chart-note")
