"""French reference geodata committed in ``data/reference/`` (built by tools/build_reference.py).

Every code (INSEE commune, département, region, postal code) is read as a string: ``2A004``
and leading zeros (``01400``) must survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from dumpscope.paths import REFERENCE_DIR

if TYPE_CHECKING:  # geopandas is imported lazily: most callers only need the tables
    import geopandas as gpd

#: The 6 départements of the reference case (prescriber postcodes, case-facts §1.5): Morbihan,
#: Loiret, Eure, Côtes-d'Armor, Ille-et-Vilaine, Loir-et-Cher.
NORTH_WEST_DEPARTEMENTS = ("22", "27", "35", "41", "45", "56")
#: Bretagne, Normandie, Pays de la Loire, Centre-Val de Loire.
NORTH_WEST_REGIONS = ("24", "28", "52", "53")

COMMUNES_SCHEMA = {
    "code_insee": pl.Utf8,
    "nom": pl.Utf8,
    "dep": pl.Utf8,
    "reg": pl.Utf8,
    "zone": pl.Utf8,
    "population": pl.Int64,
    "codes_postaux": pl.Utf8,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "mairie_lat": pl.Float64,
    "mairie_lon": pl.Float64,
    "surface_km2": pl.Float64,
}
POSTCODES_SCHEMA = {
    "code_postal": pl.Utf8,
    "dep": pl.Utf8,
    "n_communes": pl.Int64,
    "codes_insee": pl.Utf8,
    "lat": pl.Float64,
    "lon": pl.Float64,
}
PAIRS_SCHEMA = {"code_postal": pl.Utf8, "code_insee": pl.Utf8}
DEPARTEMENTS_SCHEMA = {
    "code": pl.Utf8,
    "nom": pl.Utf8,
    "region": pl.Utf8,
    "region_nom": pl.Utf8,
    "population": pl.Int64,
    "lon": pl.Float64,
    "lat": pl.Float64,
}


def _read(path: Path, schema: dict) -> pl.DataFrame:
    # an explicit full schema: a code column can never be inferred as an integer
    return pl.read_csv(path, schema=schema, encoding="utf8")


@dataclass(frozen=True)
class Reference:
    """The reference tables (polars) and, on demand, the polygons (GeoDataFrames).

    Attributes
    ----------
    communes
        One row per current commune (COG 2026): ``code_insee, nom, dep, reg, zone, population,
        codes_postaux ('|'-joined), lat, lon, mairie_lat, mairie_lon, surface_km2``.
    postcodes
        One row per postal code: ``code_postal, dep ('|'-joined when it spans two), n_communes,
        codes_insee ('|'-joined), lat, lon`` (population-weighted point), plus ``reg`` (the
        region of the first département).
    commune_postcodes
        One row per (postal code, commune) pair: ``code_postal, code_insee, nom, dep, reg``.
    departements
        ``code, nom, region, region_nom, population, lon, lat`` (centroid).
    regions
        ``code, nom, population``.
    directory
        Folder the files were read from.
    """

    communes: pl.DataFrame
    postcodes: pl.DataFrame
    commune_postcodes: pl.DataFrame
    departements: pl.DataFrame
    regions: pl.DataFrame
    directory: Path = field(default=REFERENCE_DIR)

    def departements_geo(self) -> gpd.GeoDataFrame:
        """Département polygons: ``code, nom, region, region_nom, geometry`` (EPSG:4326).

        Exterior rings are clockwise (what Vega-Lite / d3-geo expects); 101 features.
        """
        return _read_geo(self.directory / "departements.geojson")

    def regions_geo(self) -> gpd.GeoDataFrame:
        """Region polygons: ``code, nom, geometry`` (EPSG:4326, clockwise rings, 18 features)."""
        return _read_geo(self.directory / "regions.geojson")

    def departements_naturalearth_geo(self) -> gpd.GeoDataFrame:
        """Natural Earth fallback département polygons (public domain), if built."""
        return _read_geo(self.directory / "departements_naturalearth.geojson")


def _read_geo(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd

    gdf = gpd.read_file(path)
    # GeoJSON properties are read back as strings here; keep the codes as text
    for col in ("code", "region"):
        if col in gdf.columns:
            gdf[col] = gdf[col].astype(str)
    return gdf


def load_reference(directory: Path | str | None = None) -> Reference:
    """Load the committed reference tables.

    Parameters
    ----------
    directory
        Folder holding ``communes.csv``, ``codes_postaux.csv``, ``communes_codes_postaux.csv``,
        ``departements.csv`` and the GeoJSON files; default ``data/reference/``.

    Returns
    -------
    Reference
        ``.communes``, ``.postcodes``, ``.commune_postcodes``, ``.departements``, ``.regions``
        (polars) and ``.departements_geo()`` / ``.regions_geo()`` (GeoDataFrames).
    """
    folder = Path(directory) if directory is not None else REFERENCE_DIR
    communes = _read(folder / "communes.csv", COMMUNES_SCHEMA)
    departements = _read(folder / "departements.csv", DEPARTEMENTS_SCHEMA)
    dep_region = departements.select(pl.col("code").alias("dep0"), pl.col("region").alias("reg"))
    postcodes = (
        _read(folder / "codes_postaux.csv", POSTCODES_SCHEMA)
        .with_columns(pl.col("dep").str.split("|").list.first().alias("dep0"))
        .join(dep_region, on="dep0", how="left", maintain_order="left")
        .drop("dep0")
    )
    pairs = _read(folder / "communes_codes_postaux.csv", PAIRS_SCHEMA).join(
        communes.select("code_insee", "nom", "dep", "reg"),
        on="code_insee",
        how="left",
        maintain_order="left",
    )
    regions = (
        departements.group_by("region", "region_nom")
        .agg(pl.col("population").sum())
        .rename({"region": "code", "region_nom": "nom"})
        .sort("code")
    )
    return Reference(
        communes=communes,
        postcodes=postcodes,
        commune_postcodes=pairs,
        departements=departements,
        regions=regions,
        directory=folder,
    )
