"""Personal names: trimmed, mojibake repaired with ftfy."""

from __future__ import annotations

import ftfy
import polars as pl

from dumpscope.roles.validators._unique import on_unique


def _repair(frame: pl.DataFrame) -> pl.DataFrame:
    value = pl.col("raw").str.strip_chars().str.replace_all(r"\s+", " ")
    out = frame.with_columns(_v=pl.when(value.str.len_chars() > 0).then(value))
    # Pure ASCII text cannot be UTF-8 mojibake: only non-ASCII values go through ftfy.
    suspects = out.filter(pl.col("_v").str.contains(r"[^\x00-\x7F]"))["_v"].unique().to_list()
    fixed = pl.DataFrame(
        {"_v": suspects, "_fixed": [ftfy.fix_text(s) for s in suspects]},
        schema={"_v": pl.Utf8, "_fixed": pl.Utf8},
    )
    out = out.join(fixed, on="_v", how="left", maintain_order="left").with_columns(
        name=pl.coalesce("_fixed", "_v"),
        name_mojibake=(pl.col("_fixed").is_not_null() & (pl.col("_fixed") != pl.col("_v"))),
    )
    return out.select("raw", "name", "name_mojibake")


def clean_names(values: pl.Series) -> pl.DataFrame:
    """Trim names (inner runs of spaces collapsed) and repair mojibake with ``ftfy.fix_text``.

    Parameters
    ----------
    values
        Raw name strings (Utf8); null or blank = missing.

    Returns
    -------
    pl.DataFrame
        ``name`` (repaired, trimmed; null when blank) and ``name_mojibake`` (Boolean: the value
        needed a repair).
    """
    return on_unique(values, _repair)
