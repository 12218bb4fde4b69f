"""French phone numbers: validity, type and E.164 form, with phonenumbers (region FR).

Most values are ordinary French numbers (``02 97 12 34 56``, ``+33 6 12 34 56 78``,
``0033...``). Those are reduced to their 9-digit national significant number with polars and
checked against the number-type patterns of phonenumbers' own FR metadata (the same regular
expressions ``phonenumbers.is_valid_number`` uses), vectorized. Every other distinct value
(foreign or overseas country codes, letters, odd lengths) goes through ``phonenumbers.parse``.
"""

from __future__ import annotations

import phonenumbers
import polars as pl
from phonenumbers import PhoneMetadata, PhoneNumberType

from dumpscope.roles.validators._unique import on_unique

STATUSES = ("valid", "invalid", "missing")

#: Département served by some 4-digit 02 prefixes of the leak's area (phonenumbers' geocoder,
#: case-facts §3). Since 2023 01-05 numbers are no longer tied to an area; in 2015-2020, 02
#: numbers still were.
AREA_DEPARTEMENTS = {
    "0297": "56",
    "0299": "35",
    "0223": "35",
    "0296": "22",
    "0238": "45",
    "0254": "41",
    "0232": "27",
    "0298": "29",
}

_TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed",
}


def _fr_patterns() -> list[tuple[str, str, tuple[int, ...]]]:
    meta = PhoneMetadata.metadata_for_region("FR")
    out = []
    for attr, kind in (
        ("fixed_line", "fixed"),
        ("mobile", "mobile"),
        ("toll_free", "other"),
        ("premium_rate", "other"),
        ("shared_cost", "other"),
        ("personal_number", "other"),
        ("voip", "other"),
        ("pager", "other"),
        ("uan", "other"),
        ("voicemail", "other"),
    ):
        desc = getattr(meta, attr)
        if desc is not None and desc.national_number_pattern:
            lengths = tuple(desc.possible_length or meta.general_desc.possible_length)
            out.append((desc.national_number_pattern, kind, lengths))
    return out


def _match(nsn: pl.Expr, patterns: list[tuple[str, str, tuple[int, ...]]]) -> pl.Expr:
    """Type name of the first metadata pattern the national number matches (else null)."""
    kind = pl.lit(None, dtype=pl.Utf8)
    for pattern, name, lengths in reversed(patterns):
        ok = nsn.str.contains(f"^(?:{pattern})$") & nsn.str.len_chars().is_in(list(lengths))
        kind = pl.when(ok).then(pl.lit(name)).otherwise(kind)
    return kind


def _library(raw: str | None) -> tuple[str | None, str | None]:
    """E.164 and type of one value through phonenumbers.parse; (None, None) when invalid."""
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None, None
    if not phonenumbers.is_valid_number(number):
        return None, None
    kind = _TYPE_NAMES.get(phonenumbers.number_type(number), "other")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), kind


def _classify(frame: pl.DataFrame) -> pl.DataFrame:
    raw = pl.col("raw").str.strip_chars()
    out = frame.with_columns(
        _blank=raw.is_null() | (raw.str.len_chars() == 0),
        _sq=raw.str.replace_all(r"\(0\)", "").str.replace_all(r"[\s.\-/()]", ""),
    )
    sq = pl.col("_sq")
    out = out.with_columns(
        _nsn=pl.when(sq.str.contains(r"^(?:\+|00)33[1-9][0-9]{8}$"))
        .then(sq.str.slice(-9))
        .when(sq.str.contains(r"^0[1-9][0-9]{8}$"))
        .then(sq.str.slice(1))
        .when(sq.str.contains(r"^[1-9][0-9]{8}$"))
        .then(sq)
    )
    nsn = pl.col("_nsn")
    patterns = _fr_patterns()
    # fixed and mobile first (nearly every value); the other types only for what is left
    out = out.with_columns(phone_type=_match(nsn, patterns[:2]))
    left = pl.col("phone_type").is_null() & nsn.is_not_null()
    if out.select(left.any()).item():
        out = out.with_columns(
            phone_type=pl.when(left).then(_match(nsn, patterns[2:])).otherwise("phone_type")
        )
    out = out.with_columns(
        phone=pl.when(pl.col("phone_type").is_not_null()).then(pl.lit("+33") + nsn)
    )
    # Plain digit strings other than 9 digits or 0 + 9 digits, not an international prefix (00)
    # and not led by the country code (33...) are never valid French numbers: no library call.
    hopeless = (
        sq.str.contains(r"^\d+$")
        & ~sq.str.starts_with("00")
        & ~sq.str.starts_with("33")
        & (sq.str.len_chars() != 9)
        & ~((sq.str.len_chars() == 10) & sq.str.starts_with("0"))
    )
    rest = out.filter(pl.col("_nsn").is_null() & ~pl.col("_blank") & ~hopeless)
    if rest.height:
        rest = rest.unique("raw", maintain_order=True)
        checked = [_library(v) for v in rest["raw"].to_list()]
        fixes = pl.DataFrame(
            {
                "raw": rest["raw"],
                "_e164": [c[0] for c in checked],
                "_kind": [c[1] for c in checked],
            },
            schema={"raw": pl.Utf8, "_e164": pl.Utf8, "_kind": pl.Utf8},
        )
        out = (
            out.join(fixes, on="raw", how="left", nulls_equal=True, maintain_order="left")
            .with_columns(
                phone=pl.coalesce("phone", "_e164"), phone_type=pl.coalesce("phone_type", "_kind")
            )
            .drop("_e164", "_kind")
        )
    national = pl.lit("0") + pl.col("phone").str.slice(3)
    return out.with_columns(
        phone_status=pl.when(pl.col("_blank"))
        .then(pl.lit("missing"))
        .when(pl.col("phone").is_not_null())
        .then(pl.lit("valid"))
        .otherwise(pl.lit("invalid")),
        phone_area_dep=pl.when(pl.col("phone").str.starts_with("+33")).then(
            national.str.slice(0, 4).replace_strict(AREA_DEPARTEMENTS, default=None)
        ),
    ).drop("_blank", "_nsn", "_sq")


def validate_phone(values: pl.Series) -> pl.DataFrame:
    """Validate French phone numbers.

    Parameters
    ----------
    values
        Raw phone strings (Utf8), one per row; null or blank = missing.

    Returns
    -------
    pl.DataFrame
        One row per input value: ``phone`` (E.164 when valid, else null), ``phone_type``
        (``fixed``, ``mobile``, ``other`` (VoIP, toll-free, premium...) or null when invalid),
        ``phone_status`` (``valid`` / ``invalid`` / ``missing``), ``phone_area_dep``
        (département of a few 02 area prefixes of the leak's area, else null).
    """
    return on_unique(values, _classify)
