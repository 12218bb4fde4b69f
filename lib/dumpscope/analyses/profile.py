"""Data-quality profile of the columns, duplicates, and the validator counts for the report.

Nothing here returns a raw personal value: value *shapes* (``99 99 99 99 99``, ``Aa``) replace
values, and examples, when the caller asks for them, are masked by :func:`mask_value`. Counts are
returned as they are; the report's redaction gate suppresses those below k.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl

from dumpscope.frames import column_names, data_columns, exact_duplicate_rows, height
from dumpscope.roles.scan import columns_with_values, exists, filled_values
from dumpscope.roles.validators.blood import GROUPS, parse_abo, parse_rhesus
from dumpscope.roles.validators.civility import CIVILITIES, parse_civility, parse_sex
from dumpscope.roles.validators.dates import validate_date
from dumpscope.roles.validators.email import validate_email
from dumpscope.roles.validators.nir import STATUSES as NIR_STATUSES
from dumpscope.roles.validators.nir import validate_nir
from dumpscope.roles.validators.phone import validate_phone

TECHNICAL = ("_source_line", "_line_count")
TOP_SHAPES = 5
#: Shapes are measured on an evenly spaced sample of at most this many values of a column.
SHAPE_SAMPLE = 20_000
SHAPE_MAX = 30
#: Alert thresholds.
MOSTLY_MISSING = 0.05
MOSTLY_INVALID = 0.5
#: Roles whose values are not personal: examples may show them unmasked.
SAFE_ROLES = frozenset({"civility", "sex", "blood_group", "rhesus", "lab_code", "lab_name"})

PROFILE_SCHEMA = {
    "column": pl.Utf8,
    "original": pl.Utf8,
    "role": pl.Utf8,
    "filled": pl.UInt64,
    "fill_rate": pl.Float64,
    "distinct": pl.UInt64,
    "validity_rate": pl.Float64,
    "shapes": pl.List(pl.Struct({"shape": pl.Utf8, "share": pl.Float64})),
    "alerts": pl.List(pl.Utf8),
}


def shape(expr: pl.Expr) -> pl.Expr:
    """Shape of a value: digits -> ``9``, a run of letters -> ``A`` (upper), ``a`` (lower) or
    ``Aa`` (capitalised); other characters kept; cut at ``SHAPE_MAX`` characters with ``…``.
    """
    s = (
        expr.str.replace_all(r"\d", "9")
        .str.replace_all(r"\p{Lu}\p{Ll}+", "\x01")
        .str.replace_all(r"\p{Lu}+", "\x02")
        .str.replace_all(r"[\p{L}\p{M}]+", "\x03")
        .str.replace_all("\x01", "Aa")
        .str.replace_all("\x02", "A")
        .str.replace_all("\x03", "a")
        .str.replace_all(r"\s+", " ")
    )
    return _cut(s)


def _cut(s: pl.Expr) -> pl.Expr:
    return (
        pl.when(s.str.len_chars() > SHAPE_MAX).then(s.str.slice(0, SHAPE_MAX) + "…").otherwise(s)
    )


def mask_value(role: str, value: str | None) -> str | None:
    """Mask a value for display: keeps the structure and the least identifying part only.

    Examples: NIR ``2 85 ** ** *** *** **`` (sex and birth year), names ``J*** D***``, phones
    ``02 97 ** ** **``, e-mail ``j***@orange.fr``, dates ``**/**/1985``, postcodes ``56***``.
    Codes of :data:`SAFE_ROLES` are returned unchanged.
    """
    if value is None:
        return None
    v = str(value).strip()
    if not v:
        return ""
    if role in SAFE_ROLES:
        return v
    if role == "nir":
        c = v.replace(" ", "").replace(".", "")
        return f"{c[:1]} {c[1:3]} ** ** *** *** **" if len(c) >= 3 else "*" * len(c)
    if role in ("landline", "mobile"):
        digits = "".join(ch for ch in v if ch.isdigit())
        if v.startswith("+33") and len(digits) == 11:
            digits = "0" + digits[2:]
        return f"{digits[:2]} {digits[2:4]} ** ** **" if len(digits) >= 4 else "** ** ** ** **"
    if role == "email":
        local, _, domain = v.partition("@")
        return f"{local[:1]}***@{domain}" if domain else f"{v[:1]}***"
    if role in ("birth_date", "sample_date", "last_visit_date"):
        digits4 = [t for t in v.replace("-", "/").split("/") if len(t) == 4]
        return f"**/**/{digits4[0]}" if digits4 else "**/**/****"
    if role in ("postcode", "doctor_postcode"):
        return v[:2] + "*" * max(len(v) - 2, 0)
    return " ".join(w[:1] + "***" for w in v.split())


def _valid_mask(role: str, values: pl.Series, reference: Any | None) -> pl.Series | None:
    """Per-row validity of a column's non-blank values for its role; None without a validator."""
    if role == "nir":
        return validate_nir(values)["nir_status"] == "valid"
    if role in ("landline", "mobile"):
        return validate_phone(values)["phone_status"] == "valid"
    if role == "email":
        return validate_email(values)["email_status"] == "valid"
    if role in ("birth_date", "sample_date", "last_visit_date"):
        return validate_date(values)["date_status"] == "valid"
    if role in ("postcode", "doctor_postcode"):
        if reference is not None:
            known = reference.postcodes["code_postal"].cast(pl.Utf8).unique()
            return values.str.strip_chars().is_in(known.implode())
        return values.str.strip_chars().str.contains(r"^\d{5}$")
    if role == "blood_group":
        return parse_abo(values)["abo"].is_not_null()
    if role == "rhesus":
        return parse_rhesus(values)["rhesus"].is_not_null()
    if role == "civility":
        return parse_civility(values)["civility"].is_not_null()
    if role == "sex":
        return parse_sex(values)["sex"].is_not_null()
    return None


def _column_profile(
    name: str,
    original: str,
    role: str,
    values: pl.Series,
    rows: int,
    reference: Any | None,
    examples: bool,
    view_valid: int | None = None,
) -> dict[str, Any]:
    v = values.cast(pl.Utf8)
    v = v.filter(v.str.len_bytes() > 0)  # cheap first cut: most columns are empty strings
    present = v.filter(v.str.strip_chars().str.len_bytes() > 0)
    filled = present.len()
    distinct = present.n_unique() if filled else 0
    validity = None
    if filled and view_valid is not None:
        validity = view_valid / filled
    elif filled:
        mask = _valid_mask(role, present, reference)
        if mask is not None:
            validity = float(mask.fill_null(False).mean())
    shapes: list[dict[str, Any]] = []
    if filled:
        sample = present
        if filled > SHAPE_SAMPLE:
            sample = present.gather_every(filled // SHAPE_SAMPLE).head(SHAPE_SAMPLE)
        # only the first characters matter (the shape is cut at SHAPE_MAX)
        top = (
            sample.to_frame("v")
            .select(shape(pl.col("v").str.slice(0, 3 * SHAPE_MAX)).alias("shape"))
            .group_by("shape")
            .agg(pl.len().alias("n"))
            .sort(["n", "shape"], descending=[True, False])
            .head(TOP_SHAPES)
            .select("shape", (pl.col("n") / sample.len()).round(4).alias("share"))
        )
        shapes = top.to_dicts()
    alerts = []
    if filled == 0:
        alerts.append("empty")
    else:
        if distinct == 1 and filled > 1:
            alerts.append("constant")
        if rows and filled / rows < MOSTLY_MISSING:
            alerts.append("mostly_missing")
        if validity is not None and validity < MOSTLY_INVALID:
            alerts.append("mostly_invalid")
    out = {
        "column": name,
        "original": original,
        "role": role,
        "filled": filled,
        "fill_rate": filled / rows if rows else 0.0,
        "distinct": distinct,
        "validity_rate": validity,
        "shapes": shapes,
        "alerts": alerts,
    }
    if examples:
        sample = present.unique(maintain_order=True).head(3).to_list()
        out["examples"] = [mask_value(role, x) for x in sample]
    return out


#: Roles whose validity the normalized view already holds (expression of valid rows).
_VIEW_VALID = {
    "nir": pl.col("nir_status") == "valid",
    "landline": pl.col("landline_status") == "valid",
    "mobile": pl.col("mobile_status") == "valid",
    "email": pl.col("email_status") == "valid",
    "birth_date": pl.col("birth_date_status") == "valid",
    "sample_date": pl.col("sample_date_status") == "valid",
    "last_visit_date": pl.col("last_visit_date").is_not_null(),
    "civility": pl.col("civility").is_not_null(),
    "sex": pl.col("sex").is_not_null(),
}


def _view_valid_counts(roles: pl.DataFrame, view: pl.DataFrame | None) -> dict[str, int]:
    """Valid-row counts taken from the view, for roles held by exactly one column (where the
    view's value is that column's value); other columns are validated on their own."""
    if view is None:
        return {}
    single = (
        roles.group_by("role").agg(pl.col("column").first(), pl.len()).filter(pl.col("len") == 1)
    )
    wanted = {c: r for r, c in single.select("role", "column").iter_rows() if r in _VIEW_VALID}
    if not wanted:
        return {}
    row = view.select([_VIEW_VALID[r].sum().alias(c) for c, r in wanted.items()]).row(
        0, named=True
    )
    return {c: int(v) for c, v in row.items()}


def profile_columns(
    working: pl.DataFrame | pl.LazyFrame,
    roles: pl.DataFrame,
    view: pl.DataFrame | None = None,
    *,
    reference: Any | None = None,
    examples: bool = False,
) -> pl.DataFrame:
    """Profile every source column.

    Parameters
    ----------
    working
        The working copy (Utf8 columns), eager or lazy (identical results). A lazy copy is
        never held whole: the columns holding nothing but empty strings are found without
        reading them (:func:`dumpscope.roles.scan.columns_with_values`), then each other
        column's non-empty values are read on their own.
    roles
        The role table (``column``, ``original``, ``role``).
    view
        The normalized view: validity of roles held by a single column is read from its status
        columns instead of validating the column again (None: validate every column).
    reference
        Optional reference object: postcodes are then checked for existence, not just shape.
    examples
        Add an ``examples`` column with up to 3 masked distinct values (:func:`mask_value`).

    Returns
    -------
    pl.DataFrame
        One row per column, file order: ``column``, ``original``, ``role``, ``filled``,
        ``fill_rate``, ``distinct``, ``validity_rate`` (share of filled values valid for the role,
        null for roles without a validator), ``shapes`` (top value shapes with their share of
        the filled values, measured on an evenly spaced sample of ``SHAPE_SAMPLE`` values),
        ``alerts`` (``empty``, ``constant``, ``mostly_missing``, ``mostly_invalid``), and
        ``examples`` (masked) when asked.
    """
    rows = height(working)
    view_valid = _view_valid_counts(roles, view)
    # the columns that hold nothing but empty strings (most of an LIS export) are not read
    filled = columns_with_values(working)
    present = set(column_names(working))
    jobs = [
        (name, str(original), role)
        for name, original, role in roles.select("column", "original", "role").iter_rows()
        if name in present
    ]

    def run(job: tuple[str, str, str]) -> dict[str, Any]:
        name, original, role = job
        if filled.get(name, True):
            values = filled_values(working, name)  # one column at a time, empty strings left out
        else:
            values = pl.Series(name, [], dtype=pl.Utf8)
        return _column_profile(
            name, original, role, values, rows, reference, examples, view_valid.get(name)
        )

    # columns are independent; polars releases the GIL, so threads use every core
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        records = list(pool.map(run, jobs))
    schema = dict(PROFILE_SCHEMA)
    if examples:
        schema["examples"] = pl.List(pl.Utf8)
    return pl.DataFrame(records, schema=schema)


def _duplicate_rows(data: pl.DataFrame | pl.LazyFrame) -> int:
    """Rows minus distinct rows over the data columns, exactly: columns that are empty (or null)
    everywhere are left out (they cannot tell rows apart), then
    :func:`dumpscope.frames.exact_duplicate_rows` hashes the rows and compares the rows sharing
    a hash."""
    rows = height(data)
    cols = data_columns(data)
    if rows == 0:
        return 0
    if not cols:
        return rows - 1
    filled = columns_with_values(data)
    kept = [
        c
        for c in cols
        if filled[c]
        or (exists(data, c, pl.col(c).is_null()) and exists(data, c, pl.col(c).is_not_null()))
    ]
    if not kept:
        return rows - 1
    return exact_duplicate_rows(data, kept)


def duplicates(
    working: pl.DataFrame | pl.LazyFrame,
    view: pl.DataFrame | None = None,
    *,
    exact_duplicate_rows: int | None = None,
) -> dict[str, Any]:
    """Duplicate rows.

    Parameters
    ----------
    working
        The working copy, eager or lazy (identical results; a lazy copy is read in streaming
        passes, never held whole); ``_source_line`` and ``_line_count`` are ignored.
    view
        Optional normalized view, for duplicates by key (needs ``nir``, ``nir_status``,
        ``usage_name``, ``first_name``, ``birth_date``).
    exact_duplicate_rows
        The count of exact duplicate rows when it is already known for this working copy (e.g.
        ``RunContext.exact_duplicate_rows()``, shared with the ``records`` section); computed
        when None.

    Returns
    -------
    dict
        ``exact_duplicate_rows`` (rows minus distinct rows), and with a view ``by_nir`` and
        ``by_name_birth_date``: ``{groups, rows, extra_rows}`` for keys shared by several rows
        (valid NIRs only; names folded to upper case).
    """
    out: dict[str, Any] = {
        "rows": height(working),
        "exact_duplicate_rows": (
            _duplicate_rows(working) if exact_duplicate_rows is None else int(exact_duplicate_rows)
        ),
    }
    if view is not None:
        keyed = {
            "by_nir": view.select(pl.col("nir").filter(pl.col("nir_status") == "valid")),
            "by_name_birth_date": view.select(
                pl.col("usage_name").str.to_uppercase(),
                pl.col("first_name").str.to_uppercase(),
                "birth_date",
            ).drop_nulls(),
        }
        for key, frame in keyed.items():
            out[key] = _shared_keys(frame)
    return out


def _shared_keys(keys: pl.DataFrame) -> dict[str, int]:
    """``{groups, rows, extra_rows}`` for the keys (rows of ``keys``) held by several rows.

    Exact and small in memory: each key is hashed (8 bytes a row) and only the rows whose hash
    occurs more than once (every shared key's rows, plus rare collisions) are grouped by value.
    """
    if keys.height == 0:
        return {"groups": 0, "rows": 0, "extra_rows": 0}
    hashes = keys.select(pl.struct(keys.columns).hash(seed=0)).to_series()
    suspects = keys.filter(hashes.is_duplicated())
    shared = suspects.group_by(suspects.columns).len().filter(pl.col("len") > 1)
    rows_shared = int(shared["len"].sum() or 0)
    return {
        "groups": shared.height,
        "rows": rows_shared,
        "extra_rows": rows_shared - shared.height,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _counts(series: pl.Series, keys: tuple[str, ...], missing: str = "missing") -> dict[str, int]:
    vc = dict(series.fill_null(missing).value_counts().iter_rows())
    out = {k: int(vc.pop(k, 0)) for k in keys}
    out[missing] = int(vc.pop(missing, 0))
    other = sum(vc.values())
    if other:
        out["other"] = int(other)
    return out


def summarize(
    working: pl.DataFrame | pl.LazyFrame,
    roles: pl.DataFrame,
    view: pl.DataFrame,
    *,
    profile: pl.DataFrame | None = None,
    reference: Any | None = None,
    exact_duplicate_rows: int | None = None,
) -> dict[str, Any]:
    """The ``profile`` section: validator counts (keys of the ground truth), columns, duplicates.

    Parameters
    ----------
    working, roles, view
        Working copy (eager or lazy, identical results), role table, normalized view (needs the status columns of contracts §5,
        ``civility``, ``sex``, ``nir_sex``, ``blood_group``, ``name_mojibake``).
    profile
        The result of :func:`profile_columns` (computed when not given).
    reference
        Optional reference object, passed to :func:`profile_columns`.
    exact_duplicate_rows
        Passed to :func:`duplicates` (computed when None).

    Returns
    -------
    dict
        JSON-serializable: ``nir {valid, invalid_key, key_missing, malformed, missing}``,
        ``contact {email|landline|mobile: {valid, invalid, missing}}``, ``postcode``,
        ``birth_date``, ``sample_date`` (``{valid, invalid, missing}``), ``sex {declared_F,
        declared_M, declared_missing, inconsistent_with_nir}``, ``civility {Mme, M., Enfant,
        Bébé, Sœur, missing}``, ``blood_groups {A+, ..., missing}``, ``mojibake {rows}``,
        ``records {rows, exact_duplicate_rows}`` (and ``exact_duplicate_rows`` at the top for the
        findings builder), ``sample_dates {min, max, invalid, missing}``, ``duplicates``,
        ``roles`` (role table rows: column, original, role, confidence, evidence, forced),
        ``columns`` (how many), ``column_profile`` (profile rows) and ``alerts``
        (``{alert: [columns]}``). No raw value.
    """
    if profile is None:
        profile = profile_columns(working, roles, view, reference=reference)
    status3 = ("valid", "invalid")
    dup = duplicates(working, view, exact_duplicate_rows=exact_duplicate_rows)
    sex = view.select(
        declared_F=(pl.col("sex") == "F").sum(),
        declared_M=(pl.col("sex") == "M").sum(),
        declared_missing=pl.col("sex").is_null().sum(),
        inconsistent_with_nir=(
            pl.col("sex").is_not_null()
            & pl.col("nir_sex").is_not_null()
            & (pl.col("sex") != pl.col("nir_sex"))
        ).sum(),
    ).row(0, named=True)
    alerts: dict[str, list[str]] = {}
    for column, col_alerts in profile.select("column", "alerts").iter_rows():
        for a in col_alerts:
            alerts.setdefault(a, []).append(column)
    return {
        "nir": _counts(view["nir_status"], NIR_STATUSES[:-1]),
        "contact": {
            k: _counts(view[f"{k}_status"], status3) for k in ("email", "landline", "mobile")
        },
        "postcode": _counts(view["postcode_status"], status3),
        "birth_date": _counts(view["birth_date_status"], status3),
        "sample_date": _counts(view["sample_date_status"], status3),
        "sex": {k: int(v) for k, v in sex.items()},
        "civility": _counts(view["civility"], CIVILITIES),
        "blood_groups": _counts(view["blood_group"], GROUPS),
        "mojibake": {"rows": int(view["name_mojibake"].sum())},
        "records": {
            "rows": dup["rows"],
            "exact_duplicate_rows": dup["exact_duplicate_rows"],
        },
        "exact_duplicate_rows": dup["exact_duplicate_rows"],
        "sample_dates": {
            "min": _iso(view["sample_date"].min()),
            "max": _iso(view["sample_date"].max()),
            "invalid": int((view["sample_date_status"] == "invalid").sum()),
            "missing": int((view["sample_date_status"] == "missing").sum()),
        },
        "duplicates": dup,
        "roles": roles.select(
            "column", "original", "role", "confidence", "evidence", "forced"
        ).to_dicts(),
        "columns": roles.height,
        "column_profile": profile.to_dicts(),
        "alerts": alerts,
    }


# ---------------------------------------------------------------------------- display frames


def roles_table(roles: pl.DataFrame) -> pl.DataFrame:
    """Role table for display: ``column`` (original header), ``role``, ``confidence``,
    ``forced``, ``evidence`` (words only, no value), personal roles first."""
    return roles.select(
        pl.col("original").alias("column"),
        "role",
        pl.col("confidence").round(2),
        "forced",
        "evidence",
    ).sort(pl.col("role") == "other", maintain_order=True)


def _shape_text(shape: str, share: float) -> str:
    return f"{shape} ({share:.0%})" if share >= 0.01 else f"{shape} ({share:.1%})"


def profile_table(profile: pl.DataFrame, k: int = 10) -> pl.DataFrame:
    """Profile for display, columns with values only (personal roles first): fill rate,
    distinct, validity (percent), top shapes with their share of the filled values (shapes of
    fewer than about ``k`` rows left out), alerts. ``distinct`` is a count (the caller's table
    suppresses it below ``k``)."""
    shapes = pl.struct("shapes", "filled").map_elements(
        lambda r: "  ·  ".join(
            _shape_text(x["shape"], x["share"])
            for x in r["shapes"]
            if x["share"] * r["filled"] >= k
        ),
        return_dtype=pl.Utf8,
    )
    shown = profile.filter(pl.col("filled") > 0).sort(
        pl.col("role") == "other", maintain_order=True
    )
    return shown.select(
        pl.col("original").alias("column"),
        "role",
        (pl.col("fill_rate") * 100).round(1).alias("filled %"),
        pl.col("distinct").cast(pl.Int64),
        (pl.col("validity_rate") * 100).round(1).alias("valid %"),
        shapes.alias("shapes"),
        pl.col("alerts").list.join(", ").alias("alerts"),
    )


def alerts_table(profile: pl.DataFrame) -> pl.DataFrame:
    """One row per alert kind: ``alert``, ``columns`` (how many), ``examples`` (first headers)."""
    exploded = profile.select("original", "alerts").explode("alerts").drop_nulls("alerts")
    return (
        exploded.group_by("alerts", maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("columns"),
            pl.col("original").head(8).str.join(", ").alias("examples"),
        )
        .rename({"alerts": "alert"})
    )


def counts_table(section: dict[str, Any]) -> pl.DataFrame:
    """Validator counts of :func:`summarize` as rows ``field, status, rows`` (rows: a count)."""
    rows = []
    for field in (
        "nir",
        "postcode",
        "birth_date",
        "sample_date",
        "civility",
        "blood_groups",
        "sex",
        "mojibake",
    ):
        for status, n in section.get(field, {}).items():
            rows.append((field, status, int(n)))
    for kind, counts in section.get("contact", {}).items():
        for status, n in counts.items():
            rows.append((kind, status, int(n)))
    return pl.DataFrame(
        rows, schema={"field": pl.Utf8, "status": pl.Utf8, "rows": pl.Int64}, orient="row"
    )


_SENTENCE = {
    "fr": (
        "Sur {columns} colonnes, {personal} portent une donnée personnelle reconnue ; "
        "{empty} sont vides. NIR : {nir_valid} valides, {nir_invalid} avec une clé fausse, "
        "{nir_missing_key} sans clé, {nir_malformed} mal formés."
    ),
    "en": (
        "Of {columns} columns, {personal} hold a recognised personal field; {empty} are empty. "
        "NIR: {nir_valid} valid, {nir_invalid} with a wrong key, {nir_missing_key} without key, "
        "{nir_malformed} malformed."
    ),
}


def profile_sentence(section: dict[str, Any], lang: str = "fr", k: int = 10) -> str:
    """One plain-text sentence summarizing the section (counts below ``k`` read ``< k``)."""
    from dumpscope.report.redact import suppress

    def fmt(n: int) -> str:
        shown = suppress(n, k)
        return (
            f"{shown:,}".replace(",", "\u202f" if lang == "fr" else ",")
            if isinstance(shown, int)
            else str(shown)
        )

    roles = section.get("roles", [])
    nir = section.get("nir", {})
    return _SENTENCE["fr" if lang == "fr" else "en"].format(
        columns=len(roles),
        personal=sum(1 for r in roles if r["role"] != "other"),
        empty=len(section.get("alerts", {}).get("empty", [])),
        nir_valid=fmt(nir.get("valid", 0)),
        nir_invalid=fmt(nir.get("invalid_key", 0)),
        nir_missing_key=fmt(nir.get("key_missing", 0)),
        nir_malformed=fmt(nir.get("malformed", 0)),
    )
