"""NIR (French social-security number) construction and its faults.

Structure ``S YY MM DDCCC OOO KK``: sex (1 man, 2 woman), birth year (2 digits), birth month
(01..12, or a fictitious 20..30 / 50..99), INSEE birth-commune code (5 chars: 2-char département
incl. ``2A``/``2B`` + 3-digit commune, or 3-digit overseas département + 2 digits, or ``99`` +
3-digit country code for births abroad), order number 001..999, key ``97 - (N mod 97)`` where
``N`` is the 13 first characters read as an integer with ``2A`` -> ``19`` and ``2B`` -> ``18``.

This module deliberately shares no code with the validators in ``dumpscope.roles``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

#: Statuses, mirroring the normalized view's ``nir_status``.
NIR_STATUSES = ("valid", "invalid_key", "key_missing", "malformed", "missing")

#: INSEE country codes (99xxx) used for births abroad, with weights.
COUNTRIES = {
    "350": 18,  # Maroc
    "352": 16,  # Algérie
    "351": 8,  # Tunisie
    "139": 10,  # Portugal
    "134": 5,  # Espagne
    "127": 4,  # Italie
    "109": 4,  # Allemagne
    "131": 3,  # Belgique
    "132": 3,  # Royaume-Uni
    "208": 5,  # Turquie
    "341": 4,  # Sénégal
    "243": 3,  # Viet Nam
    "122": 3,  # Pologne
    "114": 4,  # Roumanie
    "401": 1,  # Canada
    "404": 1,  # États-Unis
    "140": 1,  # Suisse
    "324": 3,  # Côte d'Ivoire (approx.)
    "322": 2,  # Cameroun (approx.)
    "123": 2,  # Russie
}


def insee_to_number(code: pl.Series) -> np.ndarray:
    """5-char birth-place codes as integers with 2A -> 19 and 2B -> 18 (int64 array)."""
    fixed = code.str.replace(r"^2A", "19").str.replace(r"^2B", "18")
    return fixed.cast(pl.Int64).to_numpy()


def nir_key(
    sex: np.ndarray, yy: np.ndarray, mm: np.ndarray, place: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """Control key ``97 - (N mod 97)`` from the numeric parts (all int64 arrays)."""
    n = (
        sex.astype(np.int64) * 10**12
        + yy.astype(np.int64) * 10**10
        + mm.astype(np.int64) * 10**8
        + place.astype(np.int64) * 10**3
        + order.astype(np.int64)
    )
    return 97 - (n % 97)


def build_nirs(
    rng: np.random.Generator,
    sex: np.ndarray,
    birth_year: np.ndarray,
    birth_month: np.ndarray,
    place_code: pl.Series,
    *,
    p_fictitious_month: float,
) -> tuple[pl.Series, np.ndarray, np.ndarray]:
    """Correct 15-character NIRs (compact form).

    Parameters
    ----------
    sex : "F"/"M" array; birth_year, birth_month : int arrays; place_code : 5-char String Series
    (INSEE commune code or ``99`` + country).

    Returns
    -------
    (nir String Series, month digits used (int array), key (int array))
    """
    n = len(sex)
    s = np.where(sex == "M", 1, 2)
    yy = birth_year % 100
    mm = birth_month.astype(np.int64).copy()
    fict = rng.random(n) < p_fictitious_month
    fict_values = np.concatenate([np.arange(20, 31), np.arange(50, 100)])
    mm[fict] = fict_values[rng.integers(0, len(fict_values), fict.sum())]
    order = rng.integers(1, 1000, n)
    place = insee_to_number(place_code)
    key = nir_key(s, yy, mm, place, order)
    df = pl.DataFrame({"s": s, "yy": yy, "mm": mm, "p": place_code, "o": order, "k": key})
    nir = df.select(
        pl.concat_str(
            pl.col("s").cast(pl.String),
            pl.col("yy").cast(pl.String).str.zfill(2),
            pl.col("mm").cast(pl.String).str.zfill(2),
            pl.col("p"),
            pl.col("o").cast(pl.String).str.zfill(3),
            pl.col("k").cast(pl.String).str.zfill(2),
        ).alias("nir")
    )["nir"]
    return nir, mm, key


def spaced(nir: pl.Series) -> pl.Series:
    """``2 85 05 75 123 456 78`` layout of compact NIRs (13 or 15 chars)."""
    return nir.str.replace(
        r"^(\d)(\d\d)(\d\d)(\w\w)(\d\d\d)(\d\d\d)(\d\d)?$", "$1 $2 $3 $4 $5 $6 $7"
    ).str.strip_chars(" ")


def apply_nir_faults(
    rng: np.random.Generator,
    nir: pl.Series,
    key: np.ndarray,
    rates: dict[str, float],
    p_spaced: float,
) -> tuple[pl.Series, np.ndarray]:
    """Write NIRs as exported, with faults at the given row rates.

    ``rates`` keys: ``invalid_key``, ``key_missing``, ``malformed``, ``missing``. Faults:
    wrong key (any other 2 digits), 13 characters (key dropped), spreadsheet float
    (``2.85056E+14``) or truncated to 8..12 characters, empty.

    Returns
    -------
    (NUM_SS String Series, status array of ``NIR_STATUSES`` strings)
    """
    n = len(nir)
    u = rng.random(n)
    status = np.full(n, "valid", dtype=object)
    edges = np.cumsum(
        [rates["invalid_key"], rates["key_missing"], rates["malformed"], rates["missing"]]
    )
    status[u < edges[3]] = "missing"
    status[u < edges[2]] = "malformed"
    status[u < edges[1]] = "key_missing"
    status[u < edges[0]] = "invalid_key"
    # wrong key: shift by 1..96 within 1..97 (never equal to the right key), or 00 / 98 / 99
    shift = rng.integers(1, 97, n)
    wrong = ((key - 1 + shift) % 97) + 1
    odd = rng.random(n) < 0.1
    wrong = np.where(odd, np.array([0, 98, 99])[rng.integers(0, 3, n)], wrong)
    trunc_len = rng.integers(8, 13, n)
    excel = rng.random(n) < 0.6
    df = pl.DataFrame(
        {"nir": nir, "st": status.astype(str), "w": wrong, "tl": trunc_len, "x": excel}
    )
    body = pl.col("nir").str.slice(0, 13)
    # Spreadsheet scientific notation of the 15 digits: d.ddddE+14 (rounded mantissa, 6 digits).
    # Corsican NIRs cannot be numbers: they get truncated instead.
    num = pl.col("nir").str.slice(0, 15)
    mant = pl.concat_str(num.str.slice(0, 1), pl.lit("."), num.str.slice(1, 5))
    sci = pl.concat_str(mant, pl.lit("E+14"))
    corsica = pl.col("nir").str.slice(5, 2).is_in(["2A", "2B"])
    out = df.select(
        pl.when(pl.col("st") == "valid")
        .then(pl.col("nir"))
        .when(pl.col("st") == "invalid_key")
        .then(pl.concat_str(body, pl.col("w").cast(pl.String).str.zfill(2)))
        .when(pl.col("st") == "key_missing")
        .then(body)
        .when((pl.col("st") == "malformed") & pl.col("x") & ~corsica)
        .then(sci)
        .when(pl.col("st") == "malformed")
        .then(pl.col("nir").str.slice(0, pl.col("tl")))
        .otherwise(None)
        .alias("nir")
    )["nir"]
    sp = rng.random(n) < p_spaced
    is_plain = np.isin(status, ["valid", "invalid_key", "key_missing"])
    out = pl.DataFrame({"a": out, "b": spaced(out), "k": sp & is_plain}).select(
        pl.when(pl.col("k")).then(pl.col("b")).otherwise(pl.col("a")).alias("a")
    )["a"]
    return out.rename("NUM_SS"), status
