"""E-mail addresses: syntax only, with email-validator (``check_deliverability=False``, no network).

Distinct values with a plain ASCII dot-atom local part are split at the ``@``; their distinct
domains go through ``email_validator.validate_email`` once each (``x@<domain>``) and the local
part is checked with the RFC 5322 dot-atom expression email-validator applies. Every other
distinct value goes through ``email_validator.validate_email`` whole.
"""

from __future__ import annotations

import email_validator
import polars as pl

from dumpscope.roles.validators._unique import on_unique

STATUSES = ("valid", "invalid", "missing")

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_SIMPLE = rf"^{_ATEXT}+(?:\.{_ATEXT}+)*@[A-Za-z0-9.-]+$"


def _library(value: str) -> tuple[str | None, str | None]:
    """(normalized address, domain) or (None, None) when email-validator rejects it."""
    try:
        result = email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None, None
    return result.normalized, result.domain


def _lookup(values: list[str], name: str) -> pl.DataFrame:
    checked = [_library(v) for v in values]
    return pl.DataFrame(
        {name: values, "_norm": [c[0] for c in checked], "_dom": [c[1] for c in checked]},
        schema={name: pl.Utf8, "_norm": pl.Utf8, "_dom": pl.Utf8},
    )


def _classify(frame: pl.DataFrame) -> pl.DataFrame:
    value = pl.col("raw").str.strip_chars()
    out = frame.with_columns(_v=pl.when(value.str.len_chars() > 0).then(value))
    simple = (
        pl.col("_v").str.contains(_SIMPLE)
        & (pl.col("_v").str.len_bytes() <= 254)
        & (pl.col("_v").str.split("@").list.first().str.len_bytes() <= 64)
    )
    out = out.with_columns(
        _simple=simple.fill_null(False), _domain_raw=pl.col("_v").str.split("@").list.last()
    )
    domains = out.filter("_simple")["_domain_raw"].unique().to_list()
    checked_domains = _lookup(["x@" + d for d in domains], "_probe").with_columns(
        _domain_raw=pl.col("_probe").str.slice(2)
    )
    out = out.join(
        checked_domains.select("_domain_raw", pl.col("_dom").alias("_sdom")),
        on="_domain_raw",
        how="left",
        maintain_order="left",
    ).with_columns(
        _snorm=pl.when(pl.col("_simple") & pl.col("_sdom").is_not_null()).then(
            pl.col("_v").str.split("@").list.first() + pl.lit("@") + pl.col("_sdom")
        )
    )
    rest = out.filter(~pl.col("_simple") & pl.col("_v").is_not_null())["_v"].unique().to_list()
    full = _lookup(rest, "_v")
    out = out.join(full, on="_v", how="left", maintain_order="left").with_columns(
        email=pl.coalesce("_snorm", "_norm"),
        email_domain=pl.coalesce(pl.when(pl.col("_simple")).then(pl.col("_sdom")), "_dom"),
    )
    out = out.with_columns(
        email_status=pl.when(pl.col("_v").is_null())
        .then(pl.lit("missing"))
        .when(pl.col("email").is_not_null())
        .then(pl.lit("valid"))
        .otherwise(pl.lit("invalid")),
        email_domain=pl.when(pl.col("email").is_not_null()).then(pl.col("email_domain")),
    )
    return out.select("raw", "email", "email_status", "email_domain")


def validate_email(values: pl.Series) -> pl.DataFrame:
    """Validate e-mail addresses (syntax only; no DNS).

    Parameters
    ----------
    values
        Raw e-mail strings (Utf8), one per row; null or blank = missing.

    Returns
    -------
    pl.DataFrame
        One row per input value: ``email`` (email-validator's normalized form: domain lower-cased,
        null when invalid), ``email_status`` (``valid`` / ``invalid`` / ``missing``),
        ``email_domain`` (normalized domain of valid addresses).
    """
    return on_unique(values, _classify)
