"""Postcodes checked against the reference tables, and the commune matched with the city name.

A postcode is ``valid`` when it exists in ``reference.postcodes`` (La Poste codes of
``data/reference``). The commune is the one among the postcode's communes
(``reference.commune_postcodes``) whose name matches the city once both are folded (accents,
case, ``ST``/``STE`` -> ``SAINT``/``SAINTE``, hyphens and apostrophes -> spaces, ``CEDEX``
dropped); failing an exact match, the best rapidfuzz ratio >= 85; failing a city, the only commune
of a single-commune postcode. The département is the matched commune's, else the postcode's first
département; the region is the commune's, else the usual region of that département.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from rapidfuzz import fuzz, process

STATUSES = ("valid", "invalid", "missing")
FUZZY_MIN = 85


def fold_place(expr: pl.Expr) -> pl.Expr:
    """Fold a place name for matching: upper case ASCII, ST -> SAINT, separators -> one space."""
    return (
        expr.str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_uppercase()
        .str.replace_all("Œ", "OE")
        .str.replace_all(r"[^A-Z0-9]+", " ")
        .str.replace_all(r"\bCEDEX\b.*$", "")
        .str.replace_all(r"\bSTE\b", "SAINTE")
        .str.replace_all(r"\bST\b", "SAINT")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def _fuzzy(pairs: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """Best fuzzy commune for each unmatched (postcode, folded city) pair."""
    rows = []
    if pairs.height == 0:
        return pl.DataFrame(schema={"_pc": pl.Utf8, "_city": pl.Utf8, "_fz": pl.Utf8})
    grouped = {
        pc: (names, codes)
        for pc, names, codes in candidates.filter(
            pl.col("code_postal").is_in(pairs["_pc"].implode())
        )
        .group_by("code_postal")
        .agg("_name", "code_insee")
        .iter_rows()
    }
    for pc, city in pairs.select("_pc", "_city").iter_rows():
        names, codes = grouped.get(pc, ([], []))
        if not names or not city:
            continue
        best = process.extractOne(city, names, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
        if best is not None:
            rows.append((pc, city, codes[best[2]]))
    return pl.DataFrame(
        rows, schema={"_pc": pl.Utf8, "_city": pl.Utf8, "_fz": pl.Utf8}, orient="row"
    )


def validate_postcode(
    postcodes: pl.Series, cities: pl.Series | None, reference: Any
) -> pl.DataFrame:
    """Check postcodes and locate the commune.

    Parameters
    ----------
    postcodes
        Raw postcode strings (Utf8), one per row.
    cities
        Raw city names of the same rows, or None.
    reference
        Object with polars frames ``postcodes`` (``code_postal, dep, n_communes, codes_insee``),
        ``communes`` (``code_insee, nom, dep, reg, codes_postaux``) and ``commune_postcodes``
        (``code_postal, code_insee``), as given by ``dumpscope.reference.load_reference()``.

    Returns
    -------
    pl.DataFrame
        One row per input row: ``postcode`` (trimmed raw, null when blank), ``postcode_status``
        (``valid`` / ``invalid`` / ``missing``), ``residence_dep``, ``residence_region``,
        ``commune_insee`` (null when no commune could be matched).
    """
    n = postcodes.len()
    city = cities if cities is not None else pl.Series([None] * n, dtype=pl.Utf8)
    frame = pl.DataFrame({"_raw_pc": postcodes.cast(pl.Utf8), "_raw_city": city.cast(pl.Utf8)})
    # everything below works on the distinct (postcode, city) pairs, joined back at the end
    raw_pairs = (
        frame.unique()
        .with_columns(
            _pc=pl.col("_raw_pc").str.strip_chars(), _city=fold_place(pl.col("_raw_city"))
        )
        .with_columns(_pc=pl.when(pl.col("_pc").str.len_chars() > 0).then(pl.col("_pc")))
    )

    pcs = reference.postcodes.select(
        pl.col("code_postal").cast(pl.Utf8).alias("_pc"),
        pl.col("dep").cast(pl.Utf8).str.split("|").list.first().alias("_pc_dep"),
        pl.col("n_communes").cast(pl.Int64).alias("_n"),
        pl.col("codes_insee").cast(pl.Utf8).alias("_codes"),
    )
    communes = reference.communes.select(
        pl.col("code_insee").cast(pl.Utf8),
        pl.col("nom").cast(pl.Utf8),
        pl.col("dep").cast(pl.Utf8).alias("_c_dep"),
        pl.col("reg").cast(pl.Utf8).alias("_c_reg"),
    )
    dep_region = (
        communes.group_by("_c_dep")
        .agg(pl.col("_c_reg").mode().sort().first().alias("_d_reg"))
        .rename({"_c_dep": "_pc_dep"})
    )
    candidates = reference.commune_postcodes.select(
        pl.col("code_postal").cast(pl.Utf8), pl.col("code_insee").cast(pl.Utf8)
    ).join(communes.select("code_insee", "nom"), on="code_insee", how="inner")
    # only the communes of the postcodes present, and only when there are cities to match
    present = raw_pairs.filter(pl.col("_city").is_not_null())["_pc"].drop_nulls().unique()
    candidates = candidates.filter(pl.col("code_postal").is_in(present.implode())).with_columns(
        _name=fold_place(pl.col("nom"))
    )

    pairs = raw_pairs.select("_pc", "_city").unique().filter(pl.col("_pc").is_not_null())
    pairs = pairs.join(pcs, on="_pc", how="left")
    exact = (
        candidates.select(
            pl.col("code_postal").alias("_pc"), pl.col("_name").alias("_city"), "code_insee"
        )
        .group_by("_pc", "_city")
        .agg(pl.col("code_insee").sort().first().alias("_ex"))
    )
    pairs = pairs.join(exact, on=["_pc", "_city"], how="left")
    unmatched = pairs.filter(
        pl.col("_ex").is_null() & pl.col("_n").is_not_null() & pl.col("_city").is_not_null()
    )
    fz = _fuzzy(unmatched, candidates)
    pairs = pairs.join(fz, on=["_pc", "_city"], how="left", nulls_equal=True).with_columns(
        commune_insee=pl.coalesce(
            "_ex",
            "_fz",
            pl.when(
                (pl.col("_n") == 1) & (pl.col("_city").is_null() | (pl.col("_city") == ""))
            ).then(pl.col("_codes").str.split("|").list.first()),
        )
    )
    pairs = (
        pairs.join(
            communes.select("code_insee", "_c_dep", "_c_reg"),
            left_on="commune_insee",
            right_on="code_insee",
            how="left",
        )
        .join(dep_region, on="_pc_dep", how="left")
        .select(
            "_pc",
            "_city",
            "commune_insee",
            pl.when(pl.col("_n").is_not_null())
            .then(pl.coalesce("_c_dep", "_pc_dep"))
            .alias("residence_dep"),
            pl.when(pl.col("_n").is_not_null())
            .then(pl.coalesce("_c_reg", "_d_reg"))
            .alias("residence_region"),
            pl.col("_n").is_not_null().alias("_exists"),
        )
    )
    located = raw_pairs.join(pairs, on=["_pc", "_city"], how="left", nulls_equal=True)
    out = frame.join(
        located, on=["_raw_pc", "_raw_city"], how="left", nulls_equal=True, maintain_order="left"
    )
    return out.select(
        pl.col("_pc").alias("postcode"),
        pl.when(pl.col("_pc").is_null())
        .then(pl.lit("missing"))
        .when(pl.col("_exists"))
        .then(pl.lit("valid"))
        .otherwise(pl.lit("invalid"))
        .alias("postcode_status"),
        "residence_dep",
        "residence_region",
        "commune_insee",
    )
