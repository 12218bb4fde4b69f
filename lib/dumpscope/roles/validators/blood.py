"""Blood group (ABO) and rhesus, normalized to ``A+``, ``O-``, ... ."""

from __future__ import annotations

import polars as pl

from dumpscope.roles.validators._unique import on_unique

GROUPS = ("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")

_RH_POS = r"^(?:\+|POS|POSITIF|POSITIVE|RH\+|RH\s*POS(?:ITIF)?|RHESUS\s*\+|RH\s*POSITIF|D\+|RH1)$"
_RH_NEG = r"^(?:-|NEG|NEGATIF|NEGATIVE|RH-|RH\s*NEG(?:ATIF)?|RHESUS\s*-|RH\s*NEGATIF|D-|RH-1)$"


def _upper_ascii(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.strip_chars()
        .str.to_uppercase()
        .str.replace_all("[ÉÈÊ]", "E")
        .str.replace_all(r"\s+", " ")
    )


def _abo(frame: pl.DataFrame) -> pl.DataFrame:
    v = _upper_ascii(pl.col("raw")).str.replace(r"^(?:GROUPE|GRP|GR)\s*", "")
    # The group may carry its rhesus: "A+", "AB POS", "O NEG", "0 Rh-"...
    m = v.str.extract_groups(r"^(AB|A|B|O|0)\s*(.*)$")
    group = m.struct.field("1").str.replace("0", "O")
    rest = m.struct.field("2").str.strip_chars()
    rh = (
        pl.when(rest.str.contains(_RH_POS))
        .then(pl.lit("+"))
        .when(rest.str.contains(_RH_NEG))
        .then(pl.lit("-"))
    )
    ok = rest.eq("") | rh.is_not_null()
    return frame.with_columns(abo=pl.when(ok).then(group), abo_rhesus=pl.when(ok).then(rh))


def _rhesus(frame: pl.DataFrame) -> pl.DataFrame:
    v = _upper_ascii(pl.col("raw"))
    return frame.with_columns(
        rhesus=pl.when(v.str.contains(_RH_POS))
        .then(pl.lit("+"))
        .when(v.str.contains(_RH_NEG))
        .then(pl.lit("-"))
    )


def parse_abo(values: pl.Series) -> pl.DataFrame:
    """Normalize an ABO column.

    Parameters
    ----------
    values
        Raw blood-group strings: ``A``, ``B``, ``AB``, ``O`` or ``0``, optionally prefixed by
        ``GROUPE`` and followed by a rhesus (``A+``, ``O NEG``).

    Returns
    -------
    pl.DataFrame
        ``abo`` (``A``/``B``/``AB``/``O`` or null) and ``abo_rhesus`` (``+``/``-``/null, the
        rhesus written in the same cell).
    """
    return on_unique(values, _abo)


def parse_rhesus(values: pl.Series) -> pl.DataFrame:
    """Normalize a rhesus column (``+ - POS NEG RH+ RH- positif négatif``...).

    Returns
    -------
    pl.DataFrame
        ``rhesus`` (``+``/``-`` or null).
    """
    return on_unique(values, _rhesus)


def blood_group(abo: pl.Expr, rhesus: pl.Expr) -> pl.Expr:
    """Combine ABO and rhesus into ``A+``...; null unless both are known."""
    return pl.when(abo.is_not_null() & rhesus.is_not_null()).then(abo + rhesus)
