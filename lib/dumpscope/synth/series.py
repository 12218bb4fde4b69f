"""Small vectorized helpers shared by the generator modules (polars Series and numpy masks)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl


def pick(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    """``n`` keys of ``probs`` drawn with those probabilities (object array)."""
    keys = list(probs)
    p = np.asarray([probs[k] for k in keys], dtype=np.float64)
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def when(mask: np.ndarray, a: pl.Series, b: pl.Series | None = None) -> pl.Series:
    """Element-wise ``mask ? a : b`` (``b`` null when None)."""
    df = pl.DataFrame({"a": a, "k": mask}, schema_overrides={"a": a.dtype})
    if b is None:
        return df.select(pl.when("k").then("a").otherwise(None).alias("a"))["a"]
    df = df.with_columns(b.alias("b"))
    return df.select(pl.when("k").then("a").otherwise("b").alias("a"))["a"]


def const(value: str | None, n: int) -> pl.Series:
    """A length-``n`` String Series holding ``value`` (or nulls)."""
    return pl.select(pl.repeat(value, n, dtype=pl.String).alias("c"))["c"]


def strings(values: np.ndarray) -> pl.Series:
    """String Series from an object array of str/None."""
    return pl.Series(values.tolist(), dtype=pl.String)


def fill_where(
    n: int,
    mask: np.ndarray,
    fn: Callable[[np.ndarray], pl.Series],
    base: pl.Series | None = None,
) -> pl.Series:
    """``base`` (or nulls) with ``fn(idx)`` written at the positions ``idx`` where ``mask``.

    ``fn`` is only evaluated on the selected positions (cheap for sparse columns).
    """
    idx = np.flatnonzero(mask)
    out = const(None, n) if base is None else base
    if len(idx) == 0:
        return out
    return out.scatter(idx, fn(idx).cast(pl.String))


def scatter(s: pl.Series, idx: np.ndarray, values: pl.Series) -> pl.Series:
    """A copy of ``s`` with ``values`` at ``idx``."""
    if len(idx) == 0:
        return s
    return s.clone().scatter(idx, values)


def statuses(rng: np.random.Generator, n: int, rates: dict[str, float]) -> np.ndarray:
    """Per-row status: each key of ``rates`` with its probability, else ``"valid"``."""
    u = rng.random(n)
    out = np.full(n, "valid", dtype=object)
    edge = 0.0
    for key, rate in rates.items():
        out[(u >= edge) & (u < edge + rate)] = key
        edge += rate
    return out
