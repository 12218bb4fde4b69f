"""Altair map and heatmap builders for the geography, labs and timeline notebooks.

Privacy rules (stack-notes.md §7, geodata.md §7.8):

- Only aggregated frames reach ``alt.Chart``; every column passed ends up in the spec, so the
  builders keep just codes, names, class labels and geometry.
- Counts are shown as **classes** (``< k``, ``k–99``, ``100–999``…); a count below ``k`` is never
  drawn as a number: its cell is grey and labelled ``< k`` (the legend says so). Zero stays ``0``.
- Polygons come from ``data/reference`` with clockwise exterior rings (d3-geo fills the whole
  globe otherwise); :func:`clockwise` re-orients any other GeoDataFrame.

Render to static SVG with :func:`dumpscope.report.charts.render_svg` (or ``ctx.show_chart``).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from dumpscope.report.charts import FONT
from dumpscope.report.redact import check_k, suppressed_label

#: Colours: zero, suppressed, then a sequential ramp (light to dark blue).
ZERO_COLOUR = "#f2f2f2"
SUPPRESSED_COLOUR = "#b3b3b3"
RAMP = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
DROM = ("971", "972", "973", "974", "976")
#: Départements smaller than this (Paris and its inner ring) get no text label on zoom maps.
MIN_LABEL_KM2 = 1000


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _label(count: int, k: int) -> str:
    """A count as text for a map label: exact when 0 or >= k, else ``< k``."""
    return suppressed_label(k) if 0 < count < k else _fmt(count)


def count_classes(
    k: int, max_count: int, steps: tuple[int, ...] = (1,)
) -> list[tuple[int, int | None, str]]:
    """Class edges for counts: ``[(low, high_exclusive_or_None, label), ...]``.

    The first class is ``0``, the second ``< k``; then ``k–99``, ``100–999``… (``steps=(1,)``,
    powers of ten) or ``k–19``, ``20–49``, ``50–99``… (``steps=(1, 2, 5)``) up to the class
    holding ``max_count``; the last class is open-ended (``≥ 10 000``). At most ``len(RAMP)``
    classes above ``< k``.
    """
    check_k(k)
    classes: list[tuple[int, int | None, str]] = [(0, 1, "0"), (1, k, suppressed_label(k))]
    edges = sorted({s * 10**j for j in range(1, 13) for s in steps if s * 10**j > k})
    low = k
    for edge in edges:
        if max_count < edge or len(classes) >= len(RAMP) + 1:
            break
        classes.append((low, edge, f"{_fmt(low)}–{_fmt(edge - 1)}"))
        low = edge
    classes.append((low, None, f"≥ {_fmt(low)}"))
    return classes


def classify(
    frame: pl.DataFrame, count_col: str, k: int, steps: tuple[int, ...] = (1,)
) -> tuple[pl.DataFrame, list[str]]:
    """Replace ``count_col`` by its class label (column ``classe``); returns the ordered labels."""
    max_count = int(frame[count_col].max() or 0) if frame.height else 0
    classes = count_classes(k, max_count, steps)
    expr = pl.lit(None, dtype=pl.Utf8)
    for low, high, label in reversed(classes):
        cond = pl.col(count_col) >= low
        if high is not None:
            cond = cond & (pl.col(count_col) < high)
        expr = pl.when(cond).then(pl.lit(label)).otherwise(expr)
    out = frame.with_columns(expr.alias("classe")).drop(count_col)
    return out, [label for _, _, label in classes]


def ramp(n: int) -> list[str]:
    """``n`` blues spread evenly over :data:`RAMP` (light to dark)."""
    if n <= 0:
        return []
    if n >= len(RAMP):
        return RAMP[:n]
    usable = RAMP[1:]
    if n == 1:
        return [usable[len(usable) // 2]]
    return [usable[round(i * (len(usable) - 1) / (n - 1))] for i in range(n)]


def class_scale(labels: list[str], title: str) -> alt.Color:
    """Ordinal colour scale for class labels: zero light, ``< k`` grey, then the blue ramp."""
    colours = [ZERO_COLOUR, SUPPRESSED_COLOUR] + ramp(len(labels) - 2)
    return alt.Color(
        "classe:N",
        scale=alt.Scale(domain=labels, range=colours),
        sort=labels,
        legend=alt.Legend(title=title, orient="left", labelFont=FONT, titleFont=FONT),
    )


def clockwise(gdf: Any) -> Any:
    """A copy of a GeoDataFrame with clockwise exterior rings (what Vega-Lite / d3-geo expects)."""
    import shapely

    out = gdf.copy()
    out["geometry"] = shapely.orient_polygons(out.geometry.values, exterior_cw=True)
    return out


def _projection(scope: str) -> dict[str, Any]:
    if scope == "france":
        return {"type": "mercator"}
    return {"type": "conicConformal", "parallels": [44, 49], "rotate": [-3, 0, 0]}


def departement_choropleth(
    counts: pl.DataFrame,
    geo: Any,
    k: int,
    *,
    title: str = "",
    legend_title: str = "Personnes",
    scope: str = "metro",
    codes: list[str] | tuple[str, ...] | None = None,
    labels: bool = False,
    width: int = 520,
    height: int = 520,
) -> alt.LayerChart | alt.Chart:
    """Choropleth of counts per département, in classes, counts below ``k`` shown as ``< k``.

    Parameters
    ----------
    counts
        ``code, count`` (exact counts), e.g. from
        :func:`dumpscope.analyses.geography.departement_frame`.
        Missing départements count 0.
    geo
        Département GeoDataFrame (``code, nom, geometry``), e.g. ``reference.departements_geo()``.
    k
        Suppression threshold.
    title, legend_title
        Texts (already in the report language).
    scope
        ``"metro"`` (96 metropolitan départements), ``"france"`` (all 101, Mercator) or
        ``"zoom"`` (only ``codes``).
    codes
        Départements to draw when ``scope="zoom"``.
    labels
        Write each département's code and count at its centroid (zoom maps); counts below ``k``
        are written ``< k``; départements under ``MIN_LABEL_KM2`` (Paris, inner ring) get none.

    Returns
    -------
    altair chart
        Data in the spec: ``code, nom, classe`` and geometry only (plus, with ``labels``, the
        label texts, whose counts are suppressed below ``k``).
    """
    import geopandas as gpd

    check_k(k)
    gdf = geo[["code", "nom", "geometry"]].copy()
    if scope == "metro":
        gdf = gdf[~gdf["code"].isin(DROM)]
    elif scope == "zoom":
        if not codes:
            raise ValueError("scope='zoom' needs codes")
        gdf = gdf[gdf["code"].isin(list(codes))]
    gdf = gdf.sort_values("code").reset_index(drop=True)
    lookup = dict(zip(counts["code"].to_list(), counts["count"].to_list(), strict=True))
    frame = pl.DataFrame(
        {"code": gdf["code"].tolist(), "count": [int(lookup.get(c) or 0) for c in gdf["code"]]},
        schema={"code": pl.Utf8, "count": pl.Int64},
    )
    classified, class_labels = classify(frame, "count", k)
    gdf["classe"] = classified["classe"].to_list()
    gdf = clockwise(gpd.GeoDataFrame(gdf, geometry="geometry", crs=geo.crs))
    shapes = (
        alt.Chart(gdf, title=title or alt.Undefined)
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(color=class_scale(class_labels, legend_title))
        .project(**_projection(scope))
        .properties(width=width, height=height)
    )
    if not labels:
        return shapes
    projected = gdf.to_crs(2154)
    points = projected.representative_point().to_crs(4326)
    big = (projected.area >= MIN_LABEL_KM2 * 1e6).tolist()
    text = pl.DataFrame(
        {
            "lon": [p.x for p in points],
            "lat": [p.y for p in points],
            "text": [f"{c} · {_label(int(lookup.get(c) or 0), k)}" for c in gdf["code"]],
        }
    ).filter(pl.Series(big))
    labels_layer = (
        alt.Chart(text)
        .mark_text(font=FONT, fontSize=10, color="black")
        .encode(longitude="lon:Q", latitude="lat:Q", text="text:N")
        .project(**_projection(scope))
    )
    return alt.layer(shapes, labels_layer).properties(width=width, height=height)


def commune_points(
    communes: pl.DataFrame,
    geo: Any,
    k: int,
    *,
    codes: list[str] | tuple[str, ...] | None = None,
    title: str = "",
    legend_title: str = "Personnes",
    width: int = 520,
    height: int = 480,
    max_points: int = 4500,
) -> alt.LayerChart:
    """Points at commune centroids, sized by class, over département outlines.

    Parameters
    ----------
    communes
        ``lat, lon, count`` (and optionally ``code_insee``; dropped). Rows with ``count < k`` are
        removed here as well (a point cannot show ``< k`` without placing it); say in words how
        many communes were left out.
    geo
        Département GeoDataFrame for the outlines.
    k
        Suppression threshold.
    codes
        Départements to draw (zoom); default all metropolitan ones.
    max_points
        At most this many communes (the largest counts) are drawn, under altair's 5,000-row
        limit for inline data.

    Returns
    -------
    altair chart
        Data in the spec: ``lat, lon, classe`` and the outline geometry (``code``) only.
    """
    import geopandas as gpd

    check_k(k)
    shown = (
        communes.filter(pl.col("count") >= k)
        .sort("count", descending=True)
        .head(max_points)
        .select("lat", "lon", "count")
    )
    classified, class_labels = classify(shown, "count", k)
    shown_labels = class_labels[2:]  # 0 and < k never drawn
    outline = geo[["code", "geometry"]].copy()
    if codes:
        outline = outline[outline["code"].isin(list(codes))]
    else:
        outline = outline[~outline["code"].isin(DROM)]
    outline = clockwise(gpd.GeoDataFrame(outline, geometry="geometry", crs=geo.crs))
    base = (
        alt.Chart(outline)
        .mark_geoshape(fill=ZERO_COLOUR, stroke="#888888", strokeWidth=0.6)
        .project(**_projection("zoom"))
    )
    sizes = [20 + 60 * i for i in range(len(shown_labels))]
    dots = (
        alt.Chart(classified, title=title or alt.Undefined)
        .mark_circle(opacity=0.75, color=RAMP[4])
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size(
                "classe:N",
                scale=alt.Scale(domain=shown_labels, range=sizes),
                sort=shown_labels,
                legend=alt.Legend(title=legend_title, orient="left"),
            ),
        )
        .project(**_projection("zoom"))
    )
    return alt.layer(base, dots).properties(width=width, height=height)


def month_heatmap(
    frame: pl.DataFrame,
    k: int,
    *,
    row: str = "lab_code",
    title: str = "",
    legend_title: str = "Lignes",
    width: int = 620,
) -> alt.Chart:
    """Heatmap of counts per month (x) and ``row`` (y), in classes; cells < k grey ``< k``.

    Parameters
    ----------
    frame
        ``<row>, month (YYYY-MM text), count``; absent cells are drawn empty.
    k
        Suppression threshold.

    Returns
    -------
    altair chart
        Data in the spec: ``<row>, month, classe`` only.
    """
    check_k(k)
    classified, class_labels = classify(frame.select(row, "month", "count"), "count", k, (1, 2, 5))
    n_rows = classified[row].n_unique() if classified.height else 1
    return (
        alt.Chart(classified, title=title or alt.Undefined)
        .mark_rect()
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-90, labelFontSize=8)),
            y=alt.Y(f"{row}:N", title=None, sort="ascending"),
            color=class_scale(class_labels, legend_title),
        )
        .properties(width=width, height=max(14 * n_rows, 60))
    )


def monthly_bars(
    frame: pl.DataFrame, k: int, *, title: str = "", y_title: str = "Lignes", width: int = 620
) -> alt.Chart:
    """Bars of counts per month; months with ``0 < count < k`` are drawn as a grey bar of height
    ``k`` labelled ``< k`` in the legend (no exact small count in the spec).

    Parameters
    ----------
    frame
        ``month (YYYY-MM text), count``.

    Returns
    -------
    altair chart
        Data in the spec: ``month, height, classe`` (``height`` = count, or ``k`` when suppressed).
    """
    check_k(k)
    label = suppressed_label(k)
    data = frame.select(
        pl.col("month"),
        pl.when((pl.col("count") > 0) & (pl.col("count") < k))
        .then(pl.lit(k))
        .otherwise(pl.col("count"))
        .cast(pl.Int64)
        .alias("height"),
        pl.when((pl.col("count") > 0) & (pl.col("count") < k))
        .then(pl.lit(label))
        .otherwise(pl.lit(f"≥ {k}"))
        .alias("classe"),
    )
    return (
        alt.Chart(data, title=title or alt.Undefined)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-90, labelFontSize=8)),
            y=alt.Y("height:Q", title=y_title),
            color=alt.Color(
                "classe:N",
                scale=alt.Scale(domain=[label, f"≥ {k}"], range=[SUPPRESSED_COLOUR, RAMP[3]]),
                legend=alt.Legend(title=None, orient="top"),
            ),
        )
        .properties(width=width, height=220)
    )
