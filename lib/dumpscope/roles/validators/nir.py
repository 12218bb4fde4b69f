"""French social-security number (NIR): status and structural decoding.

The format and key rules are those of python-stdnum's ``stdnum.fr.nir`` (15 characters once
spaces and dots are removed; positions 6-7 digits or ``2A``/``2B``; key = 97 - (N mod 97) with
2A -> 19 and 2B -> 18). They are evaluated here with vectorized polars expressions, because
calling the library once per distinct value costs ~2 s on 491,840 rows; ``tests/roles`` check
that the status agrees with ``stdnum.fr.nir.is_valid`` value for value.

The decoding (sex, birth year and month, birth département or country, place) follows
case-facts §2.1: sex 1/3/7 male, 2/4/8 female; months 01-12, 31-42 (real month = value - 30),
others fictitious (null); département 2A/2B/20 Corsica, 97x/98x overseas (3 digits), 99 abroad,
96 Tunisia and 91-95 with a birth year before 1965 (91-94: 1962) Algeria/Morocco.
"""

from __future__ import annotations

import polars as pl

from dumpscope.roles.validators._unique import on_unique

#: Statuses, in report order.
STATUSES = ("valid", "invalid_key", "key_missing", "malformed", "missing")

_BODY = r"[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{6}"
#: Two-digit years above this pivot are read as 19yy, others as 20yy (data up to 2020).
CENTURY_PIVOT = 21


def compact(expr: pl.Expr) -> pl.Expr:
    """stdnum's ``compact``: remove spaces and dots, upper-case (and strip surrounding whitespace)."""
    return (
        expr.str.strip_chars()
        .str.replace_all(" ", "", literal=True)
        .str.replace_all(".", "", literal=True)
        .str.to_uppercase()
    )


def _classify(frame: pl.DataFrame) -> pl.DataFrame:
    raw = pl.col("raw")
    out = frame.with_columns(_c=compact(raw))
    nir = pl.col("_c")
    out = out.with_columns(
        _is15=nir.str.contains(f"^{_BODY}[0-9]{{2}}$"),
        _is13=nir.str.contains(f"^{_BODY}$"),
    )
    body = nir.str.slice(0, 13)
    number = (
        body.str.slice(0, 5)
        + body.str.slice(5, 2)
        .str.replace("2A", "19", literal=True)
        .str.replace("2B", "18", literal=True)
        + body.str.slice(7, 6)
    ).str.to_integer(strict=False)
    key = nir.str.slice(13, 2).str.to_integer(strict=False)
    status = (
        pl.when(raw.is_null() | (nir.str.len_bytes() == 0))
        .then(pl.lit("missing"))
        .when(pl.col("_is15") & (key == 97 - number % 97))
        .then(pl.lit("valid"))
        .when(pl.col("_is15"))
        .then(pl.lit("invalid_key"))
        .when(pl.col("_is13"))
        .then(pl.lit("key_missing"))
        .otherwise(pl.lit("malformed"))
    )
    out = out.select(
        "raw",
        nir=pl.when(nir.str.len_bytes() > 0).then(nir),
        nir_status=status,
    )
    decodable = pl.col("nir_status").is_in(["valid", "invalid_key", "key_missing"])
    n = pl.col("nir")
    # materialize the parts once (expressions reused below are not recomputed)
    out = out.with_columns(
        _sex=n.str.slice(0, 1),
        _yy=n.str.slice(1, 2).str.to_integer(strict=False).cast(pl.Int16),
        _mm=n.str.slice(3, 2).str.to_integer(strict=False).cast(pl.Int16),
        _d2=n.str.slice(5, 2),
        _d3=n.str.slice(5, 3),
        _ok=decodable,
    )
    yy, mm, dep2 = pl.col("_yy"), pl.col("_mm"), pl.col("_d2")
    year = pl.when(yy > CENTURY_PIVOT).then(yy.cast(pl.Int32) + 1900).otherwise(yy + 2000)
    dep_num = dep2.str.to_integer(strict=False)
    overseas = dep2.is_in(["97", "98"])
    place = (
        pl.when(dep2.is_in(["2A", "2B", "20"]))
        .then(pl.lit("corsica"))
        .when(overseas)
        .then(pl.lit("overseas"))
        .when(dep2 == "99")
        .then(pl.lit("abroad"))
        .when(
            (dep2 == "96")
            | (dep_num.is_between(91, 94) & (year <= 1962))
            | ((dep2 == "95") & (year <= 1964))
        )
        .then(pl.lit("former_colony"))
        .when(dep_num.is_between(1, 95))
        .then(pl.lit("metropole"))
    )
    out = out.with_columns(_place=pl.when(pl.col("_ok")).then(place))
    ok = pl.col("_ok")
    return out.select(
        "raw",
        "nir",
        "nir_status",
        nir_sex=pl.when(ok).then(
            pl.when(pl.col("_sex").is_in(["1", "3", "7"]))
            .then(pl.lit("M"))
            .when(pl.col("_sex").is_in(["2", "4", "8"]))
            .then(pl.lit("F"))
        ),
        nir_birth_yy=pl.when(ok).then(yy),
        nir_birth_month=pl.when(ok)
        .then(pl.when(mm.is_between(1, 12)).then(mm).when(mm.is_between(31, 42)).then(mm - 30))
        .cast(pl.Int8),
        nir_birth_dep=pl.when(pl.col("_place").is_not_null()).then(
            pl.when(overseas).then(pl.col("_d3")).otherwise(dep2)
        ),
        nir_birth_place=pl.col("_place"),
    )


def validate_nir(values: pl.Series) -> pl.DataFrame:
    """Validate and decode NIR values.

    Parameters
    ----------
    values
        Raw NIR strings (Utf8), one per row; null or blank = missing.

    Returns
    -------
    pl.DataFrame
        One row per input value: ``nir`` (compact form: no spaces or dots, upper case; null when
        blank), ``nir_status`` (``valid``, ``invalid_key``, ``key_missing`` (13 characters of
        valid shape), ``malformed``, ``missing``), ``nir_sex`` (``F``/``M``/null), ``nir_birth_yy``
        (Int16), ``nir_birth_month`` (Int8, null when fictitious), ``nir_birth_dep`` (``01``..``95``,
        ``2A``, ``2B``, ``971``.., ``99``), ``nir_birth_place`` (``metropole``, ``corsica``,
        ``overseas``, ``abroad``, ``former_colony`` or null). Decoded fields are null for
        ``malformed`` and ``missing`` values.
    """
    return on_unique(values, _classify)


def join_split_key(number: pl.Expr, key: pl.Expr) -> pl.Expr:
    """Join a 13-character NIR with a separate 2-digit key column (``CLE_NIR`` layouts).

    Returns ``number`` unchanged when the key is blank or the number does not have 13
    characters once compacted.
    """
    k = key.str.strip_chars()
    body = compact(number)
    return (
        pl.when((body.str.len_chars() == 13) & k.str.contains(r"^[0-9]{1,2}$"))
        .then(body + k.str.zfill(2))
        .otherwise(number)
    )
