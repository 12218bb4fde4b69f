"""Authenticity indicators: each compares one property of the dump with what a genuine French
laboratory export shows, and says whether the dump is consistent with it.

Every indicator returns a plain dict::

    {code, value, basis, threshold, status, strength, points_to}

- ``value``: the measured share or statistic (float, rounded to 4 decimals) or None;
- ``basis``: the number of rows (or names) it was measured on;
- ``status``: ``consistent`` / ``inconsistent`` / ``not_assessable`` (basis below ``MIN_BASIS``);
- ``strength``: ``strong`` / ``medium`` / ``weak`` — how much weight the conclusion gives it;
- ``points_to``: what an inconsistency suggests: ``fabrication`` or ``recompilation``.

Every indicator takes its frame eager (``pl.DataFrame``) or lazy (``pl.LazyFrame``) and gives the
same result for both: it runs one lazy query that names only the columns it needs.

The wording that explains each code lives in :mod:`dumpscope.analyses.authenticity.wording`.
"""

from __future__ import annotations

import polars as pl

from dumpscope import frames
from dumpscope.analyses.authenticity.references import (
    FRENCH_MAIL_DOMAINS,
    PHONE_ZONE_BY_DEP,
    PLACEHOLDER_MAIL_DOMAINS,
    fold_name,
    name_ranks,
    public_holidays,
)

#: Below this many observations an indicator says nothing.
MIN_BASIS = 30

#: An eager frame or a lazy one (e.g. ``pl.scan_parquet``); every indicator accepts both and
#: gives the same result, reading only the columns it names.
Frame = pl.DataFrame | pl.LazyFrame


def _indicator(
    code: str,
    value: float | None,
    basis: int,
    *,
    ok: bool | None,
    threshold: str,
    strength: str,
    points_to: str,
) -> dict:
    if value is None or basis < MIN_BASIS or ok is None:
        status = "not_assessable"
    else:
        status = "consistent" if ok else "inconsistent"
    return {
        "code": code,
        "value": None if value is None else round(float(value), 4),
        "basis": int(basis),
        "threshold": threshold,
        "status": status,
        "strength": strength,
        "points_to": points_to,
    }


def _share(frame: Frame, where: pl.Expr | None, condition: pl.Expr) -> tuple[float | None, int]:
    """Mean of ``condition`` over the rows meeting ``where``, and their count (one lazy query:
    only the columns the expressions name are read, no filtered copy of the frame is made)."""
    lazy = frame.lazy() if where is None else frame.lazy().filter(where)
    n, mean = (
        lazy.select(pl.len().alias("n"), condition.cast(pl.Float64).mean().alias("mean"))
        .collect()
        .row(0)
    )
    if n == 0 or mean is None:
        return None, int(n)
    return float(mean), int(n)


def nir_key_validity(view: Frame) -> dict:
    """Share of present NIRs whose key is valid.

    Needs ``nir_status``. A genuine export is high but rarely perfect (typing errors, spreadsheet
    damage); a value of exactly 1.0 on a large file is itself a "too clean" sign (see
    :func:`too_clean`). Inconsistent below 0.80.
    """
    present = pl.col("nir_status").is_not_null() & (pl.col("nir_status") != "missing")
    value, n = _share(view, present, pl.col("nir_status") == "valid")
    return _indicator(
        "nir_key_validity",
        value,
        n,
        ok=None if value is None else value >= 0.80,
        threshold=">= 0.80",
        strength="medium",
        points_to="fabrication",
    )


def nir_sex_agreement(view: Frame) -> dict:
    """Share of rows with a valid NIR and a declared sex where the NIR's sex digit agrees.

    Needs ``nir_status``, ``nir_sex``, ``sex``. Random NIRs with valid keys agree about half the
    time; a genuine file almost always. Inconsistent below 0.90.
    """
    rows = (
        (pl.col("nir_status") == "valid")
        & pl.col("nir_sex").is_not_null()
        & pl.col("sex").is_not_null()
    )
    value, n = _share(view, rows, pl.col("nir_sex") == pl.col("sex"))
    return _indicator(
        "nir_sex_agreement",
        value,
        n,
        ok=None if value is None else value >= 0.90,
        threshold=">= 0.90",
        strength="strong",
        points_to="fabrication",
    )


def nir_birth_agreement(view: Frame) -> dict:
    """Share of valid NIRs whose birth year and month agree with the birth date.

    Needs ``nir_status``, ``nir_birth_yy``, ``nir_birth_month`` (null when fictitious),
    ``birth_date``. Inconsistent below 0.90.
    """
    rows = (
        (pl.col("nir_status") == "valid")
        & pl.col("nir_birth_yy").is_not_null()
        & pl.col("nir_birth_month").is_not_null()
        & pl.col("birth_date").is_not_null()
    )
    agree = (pl.col("nir_birth_yy").cast(pl.Int32) == pl.col("birth_date").dt.year() % 100) & (
        pl.col("nir_birth_month").cast(pl.Int32) == pl.col("birth_date").dt.month().cast(pl.Int32)
    )
    value, n = _share(view, rows, agree)
    return _indicator(
        "nir_birth_agreement",
        value,
        n,
        ok=None if value is None else value >= 0.90,
        threshold=">= 0.90",
        strength="strong",
        points_to="fabrication",
    )


def postcode_city_agreement(view: Frame) -> dict:
    """Share of rows with a valid postcode and a city where the city is a commune of that postcode.

    Needs ``postcode_status``, ``city``, ``commune_insee`` (null when the city did not match a
    commune of the postcode). Postcodes drawn at random next to real city names agree rarely.
    Inconsistent below 0.85.
    """
    rows = (
        (pl.col("postcode_status") == "valid")
        & pl.col("city").is_not_null()
        & (pl.col("city").str.strip_chars() != "")
    )
    value, n = _share(view, rows, pl.col("commune_insee").is_not_null())
    return _indicator(
        "postcode_city_agreement",
        value,
        n,
        ok=None if value is None else value >= 0.85,
        threshold=">= 0.85",
        strength="strong",
        points_to="fabrication",
    )


def phone_zone_agreement(view: Frame) -> dict:
    """Share of valid geographic landlines (zones 01–05) whose zone matches the residence.

    Needs ``landline`` (E.164, ``+33…``), ``landline_status``, ``residence_dep``. People keep
    their local number; random numbers land in the right zone one time in five. Inconsistent
    below 0.70.
    """
    zones = pl.DataFrame(
        {
            "residence_dep": list(PHONE_ZONE_BY_DEP),
            "expected_zone": list(PHONE_ZONE_BY_DEP.values()),
        }
    )
    rows = (
        view.lazy()
        .filter(
            (pl.col("landline_status") == "valid")
            & pl.col("landline").str.contains(r"^\+33[1-5]")
            & pl.col("residence_dep").is_not_null()
        )
        .select("landline", "residence_dep")
        .join(zones.lazy(), on="residence_dep", how="inner")
    )
    value, n = _share(
        rows, None, ("0" + pl.col("landline").str.slice(3, 1)) == pl.col("expected_zone")
    )
    return _indicator(
        "phone_zone_agreement",
        value,
        n,
        ok=None if value is None else value >= 0.70,
        threshold=">= 0.70",
        strength="medium",
        points_to="fabrication",
    )


def _rank_correlation(view: Frame, column: str, kind: str) -> tuple[float | None, int]:
    """Spearman correlation between a name's frequency in the dump and its reference rank."""
    counts = (
        view.lazy()
        .select(fold_name(pl.col(column)).alias("name"))
        .filter(pl.col("name").is_not_null() & (pl.col("name").str.len_chars() > 1))
        .group_by("name")
        .len("count")
        .join(name_ranks(kind).lazy(), on="name", how="inner")
        .collect()
    )
    if counts.height < MIN_BASIS:
        return None, counts.height
    rho = counts.select(
        pl.corr(pl.col("count"), pl.col("rank").cast(pl.Float64), method="spearman")
    ).item()
    return (None if rho is None else float(rho)), counts.height


def first_name_frequencies(view: Frame) -> dict:
    """Do common French first names come up more often, as in the population?

    Needs ``first_name``. The statistic is Spearman's correlation between each first name's count
    in the dump and its rank in the INSEE-derived reference (rank 1 = most frequent): genuine
    French data gives a clearly negative value; names drawn uniformly from a short list (as fake
    data generators do) give about zero. ``basis`` = distinct names matched. Inconsistent above
    −0.20.
    """
    rho, n = _rank_correlation(view, "first_name", "first")
    return _indicator(
        "first_name_frequencies",
        rho,
        n,
        ok=None if rho is None else rho <= -0.20,
        threshold="<= -0.20",
        strength="strong",
        points_to="fabrication",
    )


def surname_frequencies(view: Frame) -> dict:
    """As :func:`first_name_frequencies`, for the usage name (``usage_name``)."""
    rho, n = _rank_correlation(view, "usage_name", "last")
    return _indicator(
        "surname_frequencies",
        rho,
        n,
        ok=None if rho is None else rho <= -0.20,
        threshold="<= -0.20",
        strength="strong",
        points_to="fabrication",
    )


def birth_date_plausibility(view: Frame) -> dict:
    """Share of valid birth dates that are plausible for lab patients.

    Needs ``birth_date``, ``sample_date``. Implausible: born after the sample, or aged over 105
    at the sample date. Birth dates drawn uniformly over a century or more produce many.
    Inconsistent below 0.98.
    """
    rows = pl.col("birth_date").is_not_null() & pl.col("sample_date").is_not_null()
    age_days = (pl.col("sample_date") - pl.col("birth_date")).dt.total_days()
    plausible = (age_days >= 0) & (age_days <= 105 * 365.25)
    value, n = _share(view, rows, plausible)
    return _indicator(
        "birth_date_plausibility",
        value,
        n,
        ok=None if value is None else value >= 0.98,
        threshold=">= 0.98",
        strength="medium",
        points_to="fabrication",
    )


def birth_date_heaping(view: Frame) -> dict:
    """Share of valid birth dates on the 1st of January (heaping).

    Needs ``birth_date``. Civil registers put 1 January for unknown days (mostly people born
    abroad); a share far above a few per cent suggests made-up or defaulted dates. Inconsistent
    above 0.05.
    """
    rows = pl.col("birth_date").is_not_null()
    jan1 = (pl.col("birth_date").dt.month() == 1) & (pl.col("birth_date").dt.day() == 1)
    value, n = _share(view, rows, jan1)
    return _indicator(
        "birth_date_heaping",
        value,
        n,
        ok=None if value is None else value <= 0.05,
        threshold="<= 0.05",
        strength="weak",
        points_to="fabrication",
    )


def sample_days(view: Frame) -> dict:
    """Share of sample dates on a Sunday or a French public holiday.

    Needs ``sample_date``. Private labs sample on weekdays and Saturday mornings; dates drawn at
    random fall on a Sunday or a holiday about 17 % of the time. Inconsistent above 0.06.
    """
    rows = view.lazy().select("sample_date").filter(pl.col("sample_date").is_not_null()).collect()
    if rows.height == 0:
        return _indicator(
            "sample_days",
            None,
            0,
            ok=None,
            threshold="<= 0.06",
            strength="strong",
            points_to="fabrication",
        )
    years = rows.select(
        pl.col("sample_date").dt.year().min().alias("lo"),
        pl.col("sample_date").dt.year().max().alias("hi"),
    ).row(0)
    holidays_ = public_holidays(int(years[0]), int(years[1]))
    closed = (pl.col("sample_date").dt.weekday() == 7) | pl.col("sample_date").is_in(
        holidays_.implode()
    )
    value, n = _share(rows, None, closed)
    return _indicator(
        "sample_days",
        value,
        n,
        ok=None if value is None else value <= 0.06,
        threshold="<= 0.06",
        strength="strong",
        points_to="fabrication",
    )


def email_domains(view: Frame) -> dict:
    """Share of valid e-mail addresses at large French consumer providers.

    Needs ``email_domain``, ``email_status``. Patients of French labs use orange.fr, gmail.com,
    wanadoo.fr, free.fr…; generated data uses example.org or invented domains. Inconsistent below
    0.50, or when placeholder domains (example.com …) exceed 1 %.
    """
    rows = (pl.col("email_status") == "valid") & pl.col("email_domain").is_not_null()
    domain = pl.col("email_domain").str.to_lowercase()
    value, n = _share(view, rows, domain.is_in(list(FRENCH_MAIL_DOMAINS)))
    placeholder, _ = _share(view, rows, domain.is_in(list(PLACEHOLDER_MAIL_DOMAINS)))
    ok = None if value is None else (value >= 0.50 and (placeholder or 0.0) <= 0.01)
    return _indicator(
        "email_domains",
        value,
        n,
        ok=ok,
        threshold=">= 0.50 and placeholders <= 0.01",
        strength="medium",
        points_to="fabrication",
    )


def too_clean(view: Frame, quarantined_lines: int | None) -> dict:
    """Signs that the data is "too clean" for a real export.

    Needs ``nir_status``, ``postcode_status``, ``landline_status``, ``mobile_status``,
    ``email_status``, ``birth_date_status``, ``name_mojibake``. Counts the kinds of imperfection
    a real LIS export has (invalid NIR keys, invalid postcodes, phones, e-mails or dates, mojibake,
    quarantined lines); the value is the share of those kinds that never occur. Real exports show
    most of them; generated data often none. Inconsistent when more than 5 of the 7 are absent
    (share > 0.7).
    """
    kinds = {
        "nir": (pl.col("nir_status").is_in(["invalid_key", "key_missing", "malformed"])).any(),
        "postcode": (pl.col("postcode_status") == "invalid").any(),
        "phone": (
            (pl.col("landline_status") == "invalid") | (pl.col("mobile_status") == "invalid")
        ).any(),
        "email": (pl.col("email_status") == "invalid").any(),
        "birth_date": (pl.col("birth_date_status") == "invalid").any(),
        "mojibake": pl.col("name_mojibake").fill_null(False).any(),
    }
    present = view.lazy().select(pl.len().alias("_n"), **kinds).collect().row(0, named=True)
    n = present.pop("_n")
    present["quarantine"] = bool(quarantined_lines)
    absent = sum(1 for v in present.values() if not v)
    value = absent / len(present)
    return _indicator(
        "too_clean",
        value,
        n,
        ok=value <= 0.7,
        threshold="<= 0.7 (share of imperfection kinds absent)",
        strength="medium",
        points_to="fabrication",
    )


def duplicate_identities(view: Frame) -> dict:
    """Share of valid NIRs that occur in rows with different content.

    Needs ``nir``, ``nir_status``, ``usage_name``, ``first_name``, ``birth_date``, ``lab_code``,
    ``sample_date``. In a one-row-per-patient export a NIR repeats only through exact duplicate
    rows. The same NIR in several distinct rows (other lab, other dates, other spellings) is what
    stitching older extracts together produces — or a one-row-per-visit export, which the
    ``rows_per_person`` of the persons analysis tells apart. Inconsistent above 0.02.
    """
    content = ["usage_name", "first_name", "birth_date", "lab_code", "sample_date"]
    # Only the six columns are read; each NIR's distinct contents are counted in its group
    # (exact: whole values compared, no hash), without a filtered copy of the view.
    per_nir = (
        view.lazy()
        .filter(pl.col("nir_status") == "valid")
        .select("nir", *content)
        .group_by("nir")
        .agg(pl.struct(content).n_unique().alias("versions"))
        .collect()
    )
    if per_nir.height == 0:
        return _indicator(
            "duplicate_identities",
            None,
            0,
            ok=None,
            threshold="<= 0.02",
            strength="strong",
            points_to="recompilation",
        )
    value = float(per_nir.select((pl.col("versions") > 1).mean()).item())
    return _indicator(
        "duplicate_identities",
        value,
        per_nir.height,
        ok=value <= 0.02,
        threshold="<= 0.02",
        strength="strong",
        points_to="recompilation",
    )


def repeated_headers(working: Frame, columns: list[dict]) -> dict:
    """Rows that repeat the header line (a sign that several extracts were concatenated).

    Needs the working copy (``pl.DataFrame`` or ``pl.LazyFrame``, same result) and its column
    list (``[{name, original}]`` from the intake record). A row counts when at least half of its
    non-empty fields equal their column's header. Inconsistent when any such row exists.

    Each column's distinct values are compared with its header first, one column at a time on
    the streaming engine (memory: one column's distinct values); only the columns where one
    matches are compared row by row, and with none no row can be a header.
    """
    present = set(frames.column_names(working))
    names = [c["name"] for c in columns if c["name"] in present]
    if not names:
        return _indicator(
            "repeated_headers",
            None,
            0,
            ok=None,
            threshold="= 0",
            strength="strong",
            points_to="recompilation",
        )
    original = {c["name"]: str(c["original"]).strip().upper() for c in columns}
    lazy = working.lazy()
    matching = [
        n
        for n in names
        if (
            frames.collect(lazy.select(pl.col(n).unique()))[n].str.strip_chars().str.to_uppercase()
            == original[n]
        ).any()
    ]
    hits = 0
    if matching:
        equal = [
            (pl.col(n).str.strip_chars().str.to_uppercase() == original[n])
            .fill_null(False)
            .cast(pl.UInt32)
            for n in matching
        ]
        filled = [
            (pl.col(n).is_not_null() & (pl.col(n).str.strip_chars() != "")).cast(pl.UInt32)
            for n in names
        ]
        # A row that counts has at least one field equal to its header (filled > 0 and
        # 2 * eq >= filled): keep those rows first, so that the filled-field count over every
        # column is computed on them only (the reader decodes the other columns for them only).
        hits = int(
            frames.collect(
                lazy.filter(pl.sum_horizontal(equal) > 0)
                .select(
                    pl.sum_horizontal(equal).alias("eq"), pl.sum_horizontal(filled).alias("filled")
                )
                .filter((pl.col("filled") > 0) & (pl.col("eq") * 2 >= pl.col("filled")))
                .select(pl.len())
            ).item()
        )
    return _indicator(
        "repeated_headers",
        float(hits),
        max(frames.height(working), MIN_BASIS),
        ok=hits == 0,
        threshold="= 0",
        strength="strong",
        points_to="recompilation",
    )


#: A value's "shape": digits → 9, letters → A, other characters kept.
def _shape(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"\d", "9").str.replace_all(r"\p{L}", "A")


def format_mixture(working: Frame, date_columns: list[str]) -> dict:
    """Share of date columns written in more than one date layout.

    Needs the working copy (raw text; ``pl.DataFrame`` or ``pl.LazyFrame``, same result: only the
    date columns are read, one at a time, on the streaming engine) and the names of its date columns (roles ``birth_date``,
    ``sample_date``, ``last_visit_date``). One information system writes every date the same way;
    extracts stitched from several sources mix ``dd/mm/yyyy`` with ``yyyy-mm-dd`` and the like.
    A layout counts when it covers at least 2 % of the column's filled values. Inconsistent when
    any date column mixes layouts.
    """
    present = set(frames.column_names(working))
    cols = [c for c in date_columns if c in present]
    if not cols:
        return _indicator(
            "format_mixture",
            None,
            0,
            ok=None,
            threshold="= 0",
            strength="medium",
            points_to="recompilation",
        )
    mixed = 0
    basis = 0
    for c in cols:
        # A value's shape depends on the value only: count each distinct value on the
        # streaming engine, then shape the distinct values (a few thousand dates), not every row.
        values = frames.collect(working.lazy().group_by(pl.col(c).alias("value")).len("n"))
        shapes = (
            values.select(_shape(pl.col("value").str.strip_chars()).alias("shape"), "n")
            .filter(pl.col("shape").is_not_null() & (pl.col("shape") != ""))
            .group_by("shape")
            .agg(pl.col("n").sum())
        )
        total = int(shapes["n"].sum()) if shapes.height else 0
        basis += total
        if total and shapes.filter(pl.col("n") >= 0.02 * total).height > 1:
            mixed += 1
    value = mixed / len(cols)
    return _indicator(
        "format_mixture",
        value,
        basis,
        ok=mixed == 0,
        threshold="= 0",
        strength="medium",
        points_to="recompilation",
    )
