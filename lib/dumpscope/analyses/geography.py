"""Where the patients live: residence postcode + city -> commune -> département -> region.

The normalized view already places each row (``residence_dep``, ``residence_region``,
``commune_insee``, from the postcode and the city, contracts §5). This module counts rows and
distinct persons per département and region, measures the share in the north-west of France
(the 6 départements and the 4 regions of the reference case), and lists outliers: residences far
from the lab the row belongs to, overseas residences, invalid or missing postcodes.

Section counts are exact (they are compared with the generator's truth); small counts are
suppressed only where figures become text or pictures (``dumpscope.report``), and
:func:`departement_frame` / :func:`commune_frame` already return chart-ready, suppressed frames.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from dumpscope import frames
from dumpscope.reference import NORTH_WEST_DEPARTEMENTS, NORTH_WEST_REGIONS

#: A residence farther than this from its lab's home département is an outlier.
FAR_KM = 150.0
EARTH_RADIUS_KM = 6371.0088
DROM = ("971", "972", "973", "974", "976")


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "commune_insee",
    "lab_code",
    "postcode",
    "postcode_status",
    "residence_dep",
    "residence_region",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


def _col(view: pl.DataFrame, name: str, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    return pl.col(name) if name in view.columns else pl.lit(None, dtype=dtype).alias(name)


def _dep_of_postcode(reference: Any) -> pl.DataFrame:
    """``code_postal -> _pc_dep`` (first département of the code) from the reference."""
    return reference.postcodes.select(
        pl.col("code_postal"), pl.col("dep").str.split("|").list.first().alias("_pc_dep")
    )


def located(
    view: pl.DataFrame | pl.LazyFrame, links: pl.DataFrame | None, reference: Any
) -> pl.DataFrame:
    """One row per view row with its residence place and person.

    Parameters
    ----------
    view
        Normalized view; uses ``_source_line, postcode, postcode_status, residence_dep,
        residence_region, commune_insee, lab_code`` (missing columns are treated as null; when
        ``residence_dep`` is absent it is derived from a valid ``postcode`` via the reference).
    links
        ``[_source_line, person_id]`` from ``dumpscope.analyses.persons.link``, or None.
    reference
        ``dumpscope.reference.Reference`` (``postcodes``, ``communes``, ``departements``).

    Returns
    -------
    pl.DataFrame
        ``_source_line, person_id (null without links), postcode_status, dep, region,
        commune_insee, lab_code, lat, lon`` (residence point: the commune's, else the postcode's).
    """
    view = _view(view)
    frame = view.select(
        pl.col("_source_line"),
        _col(view, "postcode").str.strip_chars().alias("postcode"),
        _col(view, "postcode_status"),
        _col(view, "residence_dep").alias("dep"),
        _col(view, "residence_region").alias("region"),
        _col(view, "commune_insee"),
        _col(view, "lab_code"),
    )
    if "postcode_status" not in view.columns:
        known = reference.postcodes["code_postal"]
        frame = frame.with_columns(
            pl.when(pl.col("postcode").is_null() | (pl.col("postcode") == ""))
            .then(pl.lit("missing"))
            .when(pl.col("postcode").is_in(known.implode()))
            .then(pl.lit("valid"))
            .otherwise(pl.lit("invalid"))
            .alias("postcode_status")
        )
    if "residence_dep" not in view.columns:
        frame = (
            frame.join(
                _dep_of_postcode(reference),
                left_on="postcode",
                right_on="code_postal",
                how="left",
                maintain_order="left",
            )
            .with_columns(pl.col("_pc_dep").alias("dep"))
            .drop("_pc_dep")
        )
    if "residence_region" not in view.columns:
        frame = frame.drop("region").join(
            reference.departements.select(pl.col("code").alias("dep"), pl.col("region")),
            on="dep",
            how="left",
            maintain_order="left",
        )
    points_commune = reference.communes.select(
        "code_insee", pl.col("lat").alias("_clat"), pl.col("lon").alias("_clon")
    )
    points_pc = reference.postcodes.select(
        pl.col("code_postal").alias("postcode"),
        pl.col("lat").alias("_plat"),
        pl.col("lon").alias("_plon"),
    )
    frame = (
        frame.join(
            points_commune,
            left_on="commune_insee",
            right_on="code_insee",
            how="left",
            maintain_order="left",
        )
        .join(points_pc, on="postcode", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("_clat", "_plat").alias("lat"), pl.coalesce("_clon", "_plon").alias("lon")
        )
        .drop("_clat", "_clon", "_plat", "_plon")
    )
    if links is not None:
        frame = frame.join(
            links.select("_source_line", pl.col("person_id").cast(pl.Utf8)),
            on="_source_line",
            how="left",
            maintain_order="left",
        )
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("person_id"))
    return frame


def _counts(frame: pl.DataFrame, key: str, with_persons: bool) -> dict[str, dict[str, int | None]]:
    grouped = (
        frame.filter(pl.col(key).is_not_null())
        .group_by(key)
        .agg(pl.len().alias("rows"), pl.col("person_id").drop_nulls().n_unique().alias("persons"))
        .sort(key)
    )
    return {
        r[key]: {"persons": int(r["persons"]) if with_persons else None, "rows": int(r["rows"])}
        for r in grouped.iter_rows(named=True)
    }


def _plausible_invalid(frame: pl.DataFrame, reference: Any) -> int:
    """Invalid postcodes shaped like a real one: 5 digits starting with a real département code
    (typing errors or retired codes rather than garbage)."""
    deps = reference.departements["code"].str.replace("2A", "20").str.replace("2B", "20")
    prefixes = deps.str.slice(0, 2).unique().implode()
    return frame.filter(
        (pl.col("postcode_status") == "invalid")
        & pl.col("postcode").str.contains(r"^\d{5}$")
        & pl.col("postcode").str.slice(0, 2).is_in(prefixes)
    ).height


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between arrays of points (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def lab_home_departements(frame: pl.DataFrame) -> pl.DataFrame:
    """Home département of each lab code: the one where most of its rows' patients live.

    Returns ``lab_code, home_dep`` (ties broken by the smaller code, so the result is stable).
    """
    return (
        frame.filter(pl.col("lab_code").is_not_null() & pl.col("dep").is_not_null())
        .group_by("lab_code", "dep")
        .agg(pl.len().alias("n"))
        .sort(["lab_code", "n", "dep"], descending=[False, True, False])
        .group_by("lab_code", maintain_order=True)
        .agg(pl.col("dep").first().alias("home_dep"))
    )


def far_residences(frame: pl.DataFrame, reference: Any, far_km: float = FAR_KM) -> pl.DataFrame:
    """Rows whose residence is more than ``far_km`` from their lab's home département centroid.

    Without a lab code, the distance is measured from the dump's main département (the one with
    the most rows). Returns the rows of :func:`located` with ``home_dep`` and ``distance_km``.
    """
    home = lab_home_departements(frame)
    main = frame.filter(pl.col("dep").is_not_null())["dep"].mode().sort()
    main_dep = main[0] if len(main) else None
    cent = reference.departements.select(
        pl.col("code").alias("home_dep"),
        pl.col("lat").alias("_hlat"),
        pl.col("lon").alias("_hlon"),
    )
    out = (
        frame.join(home, on="lab_code", how="left", maintain_order="left")
        .with_columns(pl.col("home_dep").fill_null(pl.lit(main_dep, dtype=pl.Utf8)))
        .join(cent, on="home_dep", how="left", maintain_order="left")
        .filter(pl.col("lat").is_not_null() & pl.col("_hlat").is_not_null())
    )
    dist = haversine_km(
        out["lat"].to_numpy(),
        out["lon"].to_numpy(),
        out["_hlat"].to_numpy(),
        out["_hlon"].to_numpy(),
    )
    return (
        out.with_columns(pl.Series("distance_km", dist))
        .drop("_hlat", "_hlon")
        .filter(pl.col("distance_km") > far_km)
    )


def summarize(
    view: pl.DataFrame | pl.LazyFrame,
    links: pl.DataFrame | None,
    reference: Any,
    k: int = 10,
    *,
    far_km: float = FAR_KM,
) -> dict:
    """Residence geography of the dump.

    Parameters
    ----------
    view
        Normalized view (contracts §5); uses ``_source_line, postcode, postcode_status,
        residence_dep, residence_region, commune_insee, lab_code``.
    links
        ``[_source_line, person_id]`` (``dumpscope.analyses.persons.link``) or None: then
        ``persons`` are null and only rows are counted.
    reference
        ``dumpscope.reference.load_reference()``.
    k
        Small-count threshold, recorded in the section (counts here are exact; the report gate
        suppresses those below ``k``).
    far_km
        Distance from the lab's home département beyond which a residence is an outlier.

    Returns
    -------
    dict
        ``basis`` (plain words), ``k``, ``rows``, ``persons``, ``located_rows``,
        ``unlocated_rows``, ``postcode_status {valid, invalid, missing}``,
        ``commune_matched_rows``, ``departements {code: {persons, rows}}``,
        ``regions {code: {persons, rows}}``, ``north_west_share {departements: {codes, rows,
        persons, share_rows, share_persons}, regions: {...}}``, ``outliers {far: {km, rows,
        persons, departements {code: rows}}, overseas {rows, persons}, invalid_postcode_rows,
        invalid_postcode_plausible_rows (5 digits, real département prefix),
        missing_postcode_rows}``, ``communes {distinct, with_k_or_more}``.
    """
    view = _view(view)
    frame = located(view, links, reference)
    with_persons = links is not None
    rows = frame.height
    located_rows = frame.filter(pl.col("dep").is_not_null()).height
    status = frame["postcode_status"].value_counts()
    by_status = dict.fromkeys(("valid", "invalid", "missing"), 0)
    for s, n in status.iter_rows():
        if s is not None:
            by_status[s] = int(n)
    by_status["missing"] += int(frame["postcode_status"].null_count())

    def share_of(col: str, codes: tuple[str, ...]) -> dict[str, Any]:
        inside = frame.filter(pl.col(col).is_in(list(codes)))
        loc = frame.filter(pl.col(col).is_not_null())
        persons_in = inside["person_id"].drop_nulls().n_unique() if with_persons else None
        persons_all = loc["person_id"].drop_nulls().n_unique() if with_persons else None
        return {
            "codes": list(codes),
            "rows": inside.height,
            "persons": persons_in,
            "share_rows": _share(inside.height, loc.height),
            "share_persons": _share(persons_in, persons_all) if with_persons else None,
        }

    far = far_residences(frame, reference, far_km)
    far_deps = far.group_by("dep").agg(pl.len().alias("rows")).sort("dep")
    overseas = frame.filter(pl.col("dep").is_in(list(DROM)))
    persons_total = frame["person_id"].drop_nulls().n_unique() if with_persons else None
    commune_persons = (
        frame.filter(pl.col("commune_insee").is_not_null())
        .group_by("commune_insee")
        .agg(
            (pl.col("person_id").drop_nulls().n_unique() if with_persons else pl.len()).alias("n")
        )
    )
    return {
        "basis": (
            "residence postcode (and city name for the commune) of each row, matched against the "
            "INSEE/La Poste reference (COG 2026); persons = distinct person ids of the linkage"
            if with_persons
            else "residence postcode (and city name for the commune) of each row, matched against "
            "the INSEE/La Poste reference (COG 2026); rows only (no person linkage given)"
        ),
        "k": k,
        "rows": rows,
        "persons": persons_total,
        "located_rows": located_rows,
        "unlocated_rows": rows - located_rows,
        "postcode_status": by_status,
        "commune_matched_rows": frame.filter(pl.col("commune_insee").is_not_null()).height,
        "departements": _counts(frame, "dep", with_persons),
        "regions": _counts(frame, "region", with_persons),
        "north_west_share": {
            "departements": share_of("dep", NORTH_WEST_DEPARTEMENTS),
            "regions": share_of("region", NORTH_WEST_REGIONS),
        },
        "outliers": {
            "far": {
                "km": far_km,
                "rows": far.height,
                "persons": far["person_id"].drop_nulls().n_unique() if with_persons else None,
                "departements": {r["dep"]: int(r["rows"]) for r in far_deps.iter_rows(named=True)},
            },
            "overseas": {
                "rows": overseas.height,
                "persons": overseas["person_id"].drop_nulls().n_unique() if with_persons else None,
            },
            "invalid_postcode_rows": by_status["invalid"],
            "invalid_postcode_plausible_rows": _plausible_invalid(frame, reference),
            "missing_postcode_rows": by_status["missing"],
        },
        "communes": {
            "distinct": commune_persons.height,
            "with_k_or_more": commune_persons.filter(pl.col("n") >= k).height,
        },
    }


def departement_frame(section: dict, reference: Any, measure: str = "persons") -> pl.DataFrame:
    """Chart/table frame of a geography (or any ``{code: {persons, rows}}``) mapping.

    Parameters
    ----------
    section
        ``{code: {persons, rows}}`` (e.g. ``summarize(...)["departements"]``).
    reference
        For the names (``reference.departements``: ``code, nom, region_nom``).
    measure
        ``"persons"`` or ``"rows"``; falls back to rows when persons are null.

    Returns
    -------
    pl.DataFrame
        ``code, nom, region_nom, count`` (Int64, exact; suppress before display), every
        département of the reference (0 where absent), sorted by code.
    """
    counts = {
        code: (v.get(measure) if v.get(measure) is not None else v.get("rows"))
        for code, v in section.items()
    }
    lookup = pl.DataFrame(
        {"code": list(counts), "count": [int(c or 0) for c in counts.values()]},
        schema={"code": pl.Utf8, "count": pl.Int64},
    )
    return (
        reference.departements.select("code", "nom", "region_nom")
        .join(lookup, on="code", how="left", maintain_order="left")
        .with_columns(pl.col("count").fill_null(0))
        .sort("code")
    )


def commune_frame(
    view: pl.DataFrame | pl.LazyFrame, links: pl.DataFrame | None, reference: Any, k: int
) -> pl.DataFrame:
    """Per-commune counts ready for a point map, with small cells removed.

    Parameters
    ----------
    view, links, reference
        As for :func:`summarize` (uses ``commune_insee``).
    k
        Communes with fewer than ``k`` persons (rows without links) are dropped: a point map
        cannot show ``< k`` without placing it.

    Returns
    -------
    pl.DataFrame
        ``code_insee, nom, dep, lat, lon, count`` (count >= k), sorted by code. The number of
        communes left out is ``communes.distinct - communes.with_k_or_more`` of the section.
    """
    view = _view(view)
    frame = located(view, links, reference).filter(pl.col("commune_insee").is_not_null())
    agg = pl.col("person_id").drop_nulls().n_unique() if links is not None else pl.len()
    counts = frame.group_by("commune_insee").agg(agg.cast(pl.Int64).alias("count"))
    return (
        counts.filter(pl.col("count") >= k)
        .join(
            reference.communes.select(
                pl.col("code_insee").alias("commune_insee"), "nom", "dep", "lat", "lon"
            ),
            on="commune_insee",
            how="inner",
        )
        .rename({"commune_insee": "code_insee"})
        .select("code_insee", "nom", "dep", "lat", "lon", "count")
        .sort("code_insee")
    )


def sentences(section: dict, lang: str = "fr", k: int = 10, reference: Any = None) -> list[str]:
    """Plain-language sentences about a geography section (counts below ``k`` as ``< k``).

    Parameters
    ----------
    section
        Output of :func:`summarize`.
    lang
        ``fr`` or ``en``.
    k
        Suppression threshold.
    reference
        Optional, for département names.

    Returns
    -------
    list[str]
        Markdown sentences (no HTML; département names come from the reference, not the dump).
    """
    from dumpscope.report import locale
    from dumpscope.report.redact import suppress

    def n(value: int | None) -> str:
        return locale.number(suppress(value, k), lang)

    names: dict[str, str] = {}
    if reference is not None:
        names = dict(
            zip(
                reference.departements["code"].to_list(),
                reference.departements["nom"].to_list(),
                strict=True,
            )
        )
    measure = "persons" if section.get("persons") is not None else "rows"
    deps = sorted(section["departements"].items(), key=lambda kv: (-(kv[1][measure] or 0), kv[0]))[
        :3
    ]
    total = sum(v[measure] or 0 for v in section["departements"].values())
    top = ", ".join(
        f"{names.get(code, code)} ({code}) {locale.share(v[measure], total, lang)}"
        for code, v in deps
    )
    nw = section["north_west_share"]
    nw_dep_share = nw["departements"]["share_persons"] or nw["departements"]["share_rows"]
    nw_reg_share = nw["regions"]["share_persons"] or nw["regions"]["share_rows"]
    far = section["outliers"]["far"]
    if lang == "fr":
        unit = "personnes" if measure == "persons" else "lignes"
        out = [
            f"{n(section['located_rows'])} lignes sur {n(section['rows'])} "
            f"({locale.share(section['located_rows'], section['rows'], lang)}) ont un code postal "
            f"de résidence reconnu ; {n(section['postcode_status']['invalid'])} codes postaux "
            f"sont "
            f"invalides et {n(section['postcode_status']['missing'])} manquants.",
            f"Principaux départements de résidence ({unit} localisées) : {top}.",
            f"Les 6 départements de l'affaire (22, 27, 35, 41, 45, 56) regroupent "
            f"{locale.percent(nw_dep_share, lang)} des {unit} localisées ; les 4 régions du "
            f"nord-ouest (Bretagne, Normandie, Pays de la Loire, Centre-Val de Loire) "
            f"{locale.percent(nw_reg_share, lang)}.",
            f"{n(far['rows'])} lignes ont une résidence à plus de {far['km']:.0f} km du "
            f"département de leur laboratoire (dont {n(section['outliers']['overseas']['rows'])} "
            f"outre-mer).",
        ]
    else:
        unit = "persons" if measure == "persons" else "rows"
        out = [
            f"{n(section['located_rows'])} of {n(section['rows'])} rows "
            f"({locale.share(section['located_rows'], section['rows'], lang)}) have a recognised "
            f"residence postcode; {n(section['postcode_status']['invalid'])} postcodes are "
            f"invalid and {n(section['postcode_status']['missing'])} missing.",
            f"Main départements of residence (located {unit}): {top}.",
            f"The 6 départements of the case (22, 27, 35, 41, 45, 56) hold "
            f"{locale.percent(nw_dep_share, lang)} of the located {unit}; the 4 north-western "
            f"regions (Bretagne, Normandie, Pays de la Loire, Centre-Val de Loire) "
            f"{locale.percent(nw_reg_share, lang)}.",
            f"{n(far['rows'])} rows have a residence more than {far['km']:.0f} km from their "
            f"lab's département (of which {n(section['outliers']['overseas']['rows'])} overseas).",
        ]
    return out


def focus_departements(
    section: dict, reference: Any, *, min_share: float = 0.02, margin_deg: float = 0.3
) -> list[str]:
    """Départements to draw on a zoomed map: where the dump's residences concentrate.

    Parameters
    ----------
    section
        Output of :func:`summarize` (uses ``departements``).
    reference
        ``reference.departements`` (``code, lon, lat`` centroids).
    min_share
        A metropolitan département holding at least this share of the located rows is a focus.
    margin_deg
        The zoom also shows every metropolitan département whose centroid lies in the focus
        départements' centroid box widened by this many degrees (context around them).

    Returns
    -------
    list[str]
        Sorted département codes (empty when nothing is located in metropolitan France).
    """
    rows = {c: v["rows"] for c, v in section["departements"].items() if c not in DROM}
    total = sum(rows.values())
    if not total:
        return []
    focus = [c for c, n in rows.items() if n / total >= min_share]
    cent = reference.departements.filter(~pl.col("code").is_in(list(DROM)))
    box = cent.filter(pl.col("code").is_in(focus))
    lon0, lon1 = box["lon"].min() - margin_deg, box["lon"].max() + margin_deg
    lat0, lat1 = box["lat"].min() - margin_deg, box["lat"].max() + margin_deg
    around = cent.filter(
        pl.col("lon").is_between(lon0, lon1) & pl.col("lat").is_between(lat0, lat1)
    )
    return sorted(set(focus) | set(around["code"].to_list()))
