"""A tiny stand-in for ``dumpscope.reference.load_reference()`` (same columns)."""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl

COMMUNES = [
    # code_insee, nom, dep, reg, codes_postaux
    ("56260", "Vannes", "56", "53", "56000"),
    ("56121", "Lorient", "56", "53", "56100"),
    ("56107", "Larmor-Plage", "56", "53", "56260"),
    ("56007", "Arradon", "56", "53", "56610"),
    ("56206", "Saint-Avé", "56", "53", "56890"),
    ("35238", "Rennes", "35", "53", "35000|35200|35700"),
    ("35288", "Saint-Malo", "35", "53", "35400"),
    ("45234", "Orléans", "45", "24", "45000|45100"),
    ("27229", "Évreux", "27", "28", "27000"),
    ("27056", "Bernay", "27", "28", "27300"),
    ("27372", "Menneval", "27", "28", "27300"),
    ("22278", "Saint-Brieuc", "22", "53", "22000"),
    ("41018", "Blois", "41", "24", "41000"),
    ("2A004", "Ajaccio", "2A", "94", "20000|20090"),
    ("07136", "Laveyrune", "07", "84", "48250"),
]


def make_reference() -> SimpleNamespace:
    """Reference frames with the columns of data/reference."""
    communes = pl.DataFrame(
        COMMUNES, schema=["code_insee", "nom", "dep", "reg", "codes_postaux"], orient="row"
    )
    pairs = communes.select(
        pl.col("codes_postaux").str.split("|").alias("code_postal"), "code_insee", "dep"
    ).explode("code_postal")
    postcodes = pairs.group_by("code_postal", maintain_order=True).agg(
        pl.col("dep").unique(maintain_order=True).str.join("|").alias("dep"),
        pl.len().cast(pl.Int64).alias("n_communes"),
        pl.col("code_insee").str.join("|").alias("codes_insee"),
    )
    return SimpleNamespace(
        communes=communes,
        postcodes=postcodes,
        commune_postcodes=pairs.select("code_postal", "code_insee").sort("code_postal"),
    )
