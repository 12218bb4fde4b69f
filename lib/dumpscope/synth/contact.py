"""Contact data: landlines, mobiles and e-mail addresses, valid or invalid by construction.

Valid landlines use the 02 area prefix of the residence département (0297 Morbihan, 0238 Loiret,
...), or the zone digit 01..05 elsewhere; valid mobiles start 06 (third digit never 9 after 063,
never 069x) or 073..079. Invalid numbers have a wrong digit count (9 or 11 digits). Valid e-mails
are ASCII ``local@domain.tld`` with a real provider; invalid ones have no ``@``, two ``@`` or a
space.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

#: 4-digit landline prefixes by département (02 zone of the case); other départements use
#: the zone digit of their region followed by a random second pair.
AREA_PREFIX = {
    "56": ("0297",),
    "45": ("0238",),
    "27": ("0232",),
    "22": ("0296",),
    "35": ("0299", "0223"),
    "41": ("0254",),
    "29": ("0298",),
}
REGION_ZONE = {
    "11": "01",
    "24": "02",
    "28": "02",
    "52": "02",
    "53": "02",
    "27": "03",
    "32": "03",
    "44": "03",
    "84": "04",
    "93": "04",
    "94": "04",
    "75": "05",
    "76": "05",
}
#: Providers for patient e-mails, with weights.
EMAIL_DOMAINS = {
    "orange.fr": 22,
    "wanadoo.fr": 12,
    "gmail.com": 25,
    "free.fr": 8,
    "sfr.fr": 5,
    "laposte.net": 6,
    "hotmail.fr": 10,
    "yahoo.fr": 5,
    "outlook.fr": 3,
    "neuf.fr": 2,
    "bbox.fr": 1,
    "aol.com": 1,
}


def _digits(rng: np.random.Generator, n: int, k: int) -> pl.Series:
    return pl.Series(rng.integers(0, 10**k, n)).cast(pl.String).str.zfill(k)


def _format(rng: np.random.Generator, compact: pl.Series, weights: dict[str, float]) -> pl.Series:
    """Lay out 10-digit national numbers in mixed formats."""
    n = len(compact)
    names = list(weights)
    p = np.asarray([weights[x] for x in names], dtype=np.float64)
    fmt = np.asarray(names)[rng.choice(len(names), n, p=p / p.sum())]
    c = pl.col("c")
    pairs = [c.str.slice(i, 2) for i in range(0, 10, 2)]
    return pl.DataFrame({"c": compact, "f": fmt}).select(
        pl.when(pl.col("f") == "compact")
        .then(c)
        .when(pl.col("f") == "spaces")
        .then(pl.concat_str(pairs, separator=" "))
        .when(pl.col("f") == "dots")
        .then(pl.concat_str(pairs, separator="."))
        .when(pl.col("f") == "dashes")
        .then(pl.concat_str(pairs, separator="-"))
        .when(pl.col("f") == "intl")
        .then(
            pl.concat_str(
                pl.lit("+33 "),
                c.str.slice(1, 1),
                pl.lit(" "),
                pl.concat_str(pairs[1:], separator=" "),
            )
        )
        .when(pl.col("f") == "intl_compact")
        .then(pl.concat_str(pl.lit("+33"), c.str.slice(1, 9)))
        .otherwise(
            pl.concat_str(
                pl.lit("+33 (0)"),
                c.str.slice(1, 1),
                pl.lit(" "),
                pl.concat_str(pairs[1:], separator=" "),
            )
        )
        .alias("c")
    )["c"]


FORMAT_WEIGHTS = {
    "compact": 45,
    "spaces": 30,
    "dots": 10,
    "dashes": 3,
    "intl": 6,
    "intl_compact": 4,
    "intl0": 2,
}


ZONE_CONTINUATIONS = {
    "01": [str(x) for x in range(40, 50)],
    "02": ["31", "33", "35", "37", "40", "41", "43", "47", "48", "51"],
    "03": [str(x) for x in range(80, 90)],
    "04": [str(x) for x in range(70, 80)] + ["90", "91", "92", "93", "94"],
    "05": ["56", "57", "59", "61", "62"],
}


def landlines(rng: np.random.Generator, dep: np.ndarray, reg: np.ndarray) -> pl.Series:
    """Valid 10-digit landline numbers (compact) matching the residence département/region.

    Parameters
    ----------
    dep, reg : arrays of residence département and region codes (str).
    """
    n = len(dep)
    ureg, rinv = np.unique(reg.astype(str), return_inverse=True)
    zone = np.asarray([int(REGION_ZONE.get(r, "02")) for r in ureg], dtype=np.int64)[rinv]
    prefix = np.zeros(n, dtype=np.int64)  # 4-digit prefix as a number (0297 -> 297)
    u = rng.random(n)
    for z, conts in ZONE_CONTINUATIONS.items():
        w = zone == int(z)
        c = np.asarray([int(x) for x in conts], dtype=np.int64)
        prefix[w] = int(z) * 100 + c[(u[w] * len(c)).astype(np.int64)]
    udep, dinv = np.unique(dep.astype(str), return_inverse=True)
    for d, prefs in AREA_PREFIX.items():
        hit = np.flatnonzero(udep == d)
        if len(hit) == 0:
            continue
        w = dinv == hit[0]
        c = np.asarray([int(x) for x in prefs], dtype=np.int64)
        prefix[w] = c[(u[w] * len(c)).astype(np.int64)]
    number = prefix * 10**6 + rng.integers(0, 10**6, n)
    return pl.Series("landline", number).cast(pl.String).str.zfill(10)


def mobiles(rng: np.random.Generator, n: int) -> pl.Series:
    """Valid 10-digit mobile numbers (compact): 06[0-8][0-8]xxxxxx or 07[3-9]xxxxxxx."""
    six = rng.random(n) < 0.8
    a = np.where(six, rng.integers(0, 9, n), rng.integers(3, 10, n))
    b = np.where(six, rng.integers(0, 9, n), rng.integers(0, 10, n))
    number = np.where(six, 6, 7) * 10**8 + a * 10**7 + b * 10**6 + rng.integers(0, 10**6, n)
    return pl.Series("mobile", number).cast(pl.String).str.zfill(10)


def format_phones(rng: np.random.Generator, compact: pl.Series) -> pl.Series:
    """Mixed export layouts of valid numbers: ``0297123456``, ``02 97 12 34 56``, ``+33 2 ...``."""
    return _format(rng, compact, FORMAT_WEIGHTS)


def invalid_phones(rng: np.random.Generator, compact: pl.Series) -> pl.Series:
    """Wrong digit count: one digit dropped (9 digits) or one added (11 digits), still 0-led."""
    n = len(compact)
    drop = rng.random(n) < 0.6
    extra = pl.Series(rng.integers(0, 10, n)).cast(pl.String)
    spaced = rng.random(n) < 0.3
    df = pl.DataFrame({"c": compact, "d": drop, "e": extra, "s": spaced})
    raw = (
        pl.when(pl.col("d")).then(pl.col("c").str.slice(0, 9)).otherwise(pl.col("c") + pl.col("e"))
    )
    pairs = pl.concat_str(
        [
            raw.str.slice(0, 2),
            raw.str.slice(2, 2),
            raw.str.slice(4, 2),
            raw.str.slice(6, 2),
            raw.str.slice(8, 3),
        ],
        separator=" ",
    )
    return df.select(pl.when(pl.col("s")).then(pairs).otherwise(raw).alias("c"))["c"]


def ascii_fold(s: pl.Series) -> pl.Series:
    """Lower-case ASCII form of names for e-mail local parts (letters, digits, hyphens)."""
    uniq = s.unique(maintain_order=True)
    folded = [
        "".join(ch for ch in unicodedata.normalize("NFKD", v) if not unicodedata.combining(ch))
        .lower()
        .replace("œ", "oe")
        .replace("æ", "ae")
        if v is not None
        else None
        for v in uniq.to_list()
    ]
    mapping = dict(zip(uniq.to_list(), folded, strict=True))
    out = s.replace_strict(mapping, return_dtype=pl.String)
    return out.str.replace_all(r"[^a-z0-9-]", "").str.strip_chars("-")


def emails(
    rng: np.random.Generator, first: pl.Series, last: pl.Series, birth_year: np.ndarray
) -> pl.Series:
    """Valid patient e-mails built from the person's name (``marie.martin56@orange.fr`` ...)."""
    n = len(first)
    f = ascii_fold(first)
    l_ = ascii_fold(last)
    names = list(EMAIL_DOMAINS)
    p = np.asarray([EMAIL_DOMAINS[x] for x in names], dtype=np.float64)
    dom = np.asarray(names)[rng.choice(len(names), n, p=p / p.sum())]
    style = rng.integers(0, 6, n)
    yy = pl.Series(birth_year % 100).cast(pl.String).str.zfill(2)
    num = pl.Series(rng.integers(1, 100, n)).cast(pl.String)
    df = pl.DataFrame(
        {
            "f": f,
            "l": l_,
            "d": dom,
            "s": style,
            "yy": yy,
            "num": num,
            "y": pl.Series(birth_year).cast(pl.String),
        }
    )
    F, L = pl.col("f"), pl.col("l")
    local = (
        pl.when(pl.col("s") == 0)
        .then(pl.concat_str(F, pl.lit("."), L))
        .when(pl.col("s") == 1)
        .then(pl.concat_str(F, L))
        .when(pl.col("s") == 2)
        .then(pl.concat_str(F.str.slice(0, 1), L))
        .when(pl.col("s") == 3)
        .then(pl.concat_str(F, pl.lit("."), L, pl.col("yy")))
        .when(pl.col("s") == 4)
        .then(pl.concat_str(L, pl.lit("."), F, pl.col("num")))
        .otherwise(pl.concat_str(F, pl.lit("_"), L, pl.col("y")))
    )
    # guard: local part never empty, never starting/ending with a dot or underscore
    local = (
        pl.when(local.str.contains(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$"))
        .then(local)
        .otherwise(pl.concat_str(pl.lit("patient"), pl.col("num")))
    )
    return df.select(pl.concat_str(local, pl.lit("@"), pl.col("d")).alias("e"))["e"]


def invalid_emails(rng: np.random.Generator, valid: pl.Series) -> pl.Series:
    """Break valid e-mails: drop the ``@``, double it with an extra part, or insert a space."""
    n = len(valid)
    kind = rng.integers(0, 3, n)
    df = pl.DataFrame({"e": valid, "k": kind})
    e = pl.col("e")
    return df.select(
        pl.when(pl.col("k") == 0)
        .then(e.str.replace("@", ".", literal=True))
        .when(pl.col("k") == 1)
        .then(e.str.replace("@", "@mail@", literal=True))
        .otherwise(e.str.replace(".", " ", literal=True))
        .alias("e")
    )["e"]
