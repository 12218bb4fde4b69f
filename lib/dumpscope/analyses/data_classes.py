"""Data classes exposed (HIBP style), GDPR Art. 9 categories, blood groups, critical combinations.

Named ``data_classes`` (not ``dataclasses``) so as not to shadow the standard library.
"""

from __future__ import annotations

import polars as pl

from dumpscope import frames

#: Blood groups in display order.
BLOOD_GROUPS = ("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "address",
    "birth_date",
    "birth_date_status",
    "birth_name",
    "blood_group",
    "civility",
    "comment",
    "doctor_name",
    "email",
    "email_status",
    "exam_list",
    "first_name",
    "landline",
    "landline_status",
    "login",
    "mobile",
    "mobile_status",
    "mutuelle",
    "nir",
    "nir_status",
    "password",
    "postcode_status",
    "sample_date",
    "sample_date_status",
    "sex",
    "usage_name",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


def _present(view: pl.DataFrame, name: str) -> pl.Expr:
    """True where the column exists and holds a non-empty value (status columns: not missing)."""
    status = f"{name}_status"
    if status in view.columns:
        return (pl.col(status).is_not_null() & (pl.col(status) != "missing")).fill_null(False)
    if name not in view.columns:
        return pl.lit(False)
    col = pl.col(name)
    if view.schema[name] == pl.Utf8:
        return (col.str.strip_chars().str.len_chars() > 0).fill_null(False)
    return col.is_not_null()


def _any(view: pl.DataFrame, *names: str) -> pl.Expr:
    return pl.any_horizontal(_present(view, n) for n in names)


def _classes(view: pl.DataFrame, health: pl.Expr) -> list[tuple[str, bool, pl.Expr, str]]:
    """(name, is an HIBP class, row mask, basis in plain words)."""
    return [
        (
            "Names",
            True,
            _any(view, "usage_name", "birth_name", "first_name"),
            "surname or first name",
        ),
        ("Dates of birth", True, _present(view, "birth_date"), "birth date (even if invalid)"),
        ("Genders", True, _any(view, "sex", "civility"), "declared sex or civility"),
        ("Physical addresses", True, _present(view, "address"), "street address"),
        (
            "Phone numbers",
            True,
            _any(view, "landline", "mobile"),
            "landline or mobile number (even if invalid)",
        ),
        ("Email addresses", True, _present(view, "email"), "e-mail address (even if invalid)"),
        (
            "Government issued IDs",
            True,
            _present(view, "nir"),
            "social-security number (NIR), even with a wrong key",
        ),
        (
            "Personal health data",
            True,
            health,
            "health mention in the comments, blood group or list of tests",
        ),
        (
            "Health insurance information",
            True,
            _present(view, "mutuelle"),
            "complementary health insurer (mutuelle)",
        ),
        ("Usernames", True, _present(view, "login"), "results-portal login"),
        ("Passwords", True, _present(view, "password"), "results-portal password in plain text"),
        ("Blood groups", False, _present(view, "blood_group"), "ABO group and rhesus"),
        ("Physicians", False, _present(view, "doctor_name"), "prescribing or attending physician"),
        ("Medical test dates", False, _present(view, "sample_date"), "sample date"),
    ]


def summarize(
    view: pl.DataFrame | pl.LazyFrame,
    links: pl.DataFrame,
    sensitive_rows: pl.DataFrame | None = None,
) -> dict:
    """Which kinds of personal data the dump exposes, and for how many persons.

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view. Columns used (each optional): ``_source_line``, ``usage_name``,
        ``birth_name``, ``first_name``, ``birth_date``/``birth_date_status``, ``sex``,
        ``civility``, ``address``, ``landline``/``landline_status``, ``mobile``/
        ``mobile_status``, ``email``/``email_status``, ``nir``/``nir_status``, ``mutuelle``,
        ``login``, ``password``, ``blood_group``, ``doctor_name``, ``sample_date``/
        ``sample_date_status``, ``comment``, ``exam_list``.
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.
    links : pl.DataFrame
        :func:`dumpscope.analyses.persons.link` output (``_source_line``, ``person_id``).
    sensitive_rows : pl.DataFrame, optional
        The sensitive-text detector's per-row frame: ``_source_line``, ``any_health`` (Boolean);
        an optional ``genetic`` column (Boolean, or the detector's qualifier: any qualifier but
        ``negated``) marks genetic data. When None, a health
        mention is assumed wherever a comment is present (flagged in ``health_basis``).

    Returns
    -------
    dict
        ``data_classes``: list of ``{name, hibp, rows, persons, basis}``;
        ``blood_groups``: ``{"A+": rows, ..., "missing": rows}`` and ``blood_group_persons``;
        ``art9``: list of the GDPR Art. 9 special categories present (plain words);
        ``nir_present`` (bool, NIR is specially regulated in France);
        ``combinations``: ``{identity_nir, identity_health, identity_credentials,
        identity_nir_health}`` (persons; identity = surname and first name on the row);
        ``health_basis``: ``"detector"`` or ``"comment_presence"``; ``nir_invalid_rows``
        (rows whose NIR is present but invalid: wrong or missing key, malformed).
    """
    view = _view(view)
    # lazy: only the columns the flags read are joined (the view has ~45)
    base = view.lazy().with_columns(pl.col("_source_line").cast(pl.UInt64))
    if sensitive_rows is not None:
        genetic = []
        if "genetic" in sensitive_rows.columns:
            col = pl.col("genetic")
            if sensitive_rows.schema["genetic"] == pl.Boolean:
                genetic = [col.alias("_genetic")]
            else:  # qualifier column: any mention but a negated one
                genetic = [(col.is_not_null() & (col != "negated")).alias("_genetic")]
        sens = sensitive_rows.select(
            pl.col("_source_line").cast(pl.UInt64),
            pl.col("any_health").cast(pl.Boolean).alias("_any_health"),
            *genetic,
        )
        base = base.join(sens.lazy(), on="_source_line", how="left")
        comment_health = pl.col("_any_health").fill_null(False)
        basis = "detector"
    else:
        comment_health = _present(view, "comment")
        basis = "comment_presence"
    health = comment_health | _any(view, "blood_group", "exam_list")
    identity = _present(view, "usage_name") & _present(view, "first_name")
    credentials = _present(view, "password")
    nir = _present(view, "nir")

    classes = _classes(view, health)
    flags = base.select(
        pl.col("_source_line"),
        *(mask.alias(f"c{i}") for i, (_, _, mask, _) in enumerate(classes)),
        (identity & nir).alias("identity_nir"),
        (identity & comment_health).alias("identity_health"),
        (identity & credentials).alias("identity_credentials"),
        (identity & nir & comment_health).alias("identity_nir_health"),
        comment_health.alias("comment_health"),
        *([pl.col("_genetic").fill_null(False)] if "_genetic" in base.collect_schema() else []),
    )
    flags = flags.join(
        links.lazy().select("_source_line", "person_id"), on="_source_line", how="left"
    ).collect()
    flag_cols = [c for c in flags.columns if c not in ("_source_line", "person_id")]
    rows = flags.select(pl.col(flag_cols).sum())
    per_person = (
        flags.group_by("person_id").agg(pl.col(flag_cols).any()).select(pl.col(flag_cols).sum())
    )
    data_classes = [
        {
            "name": name,
            "hibp": hibp,
            "rows": int(rows[f"c{i}"].item()),
            "persons": int(per_person[f"c{i}"].item()),
            "basis": text,
        }
        for i, (name, hibp, _, text) in enumerate(classes)
        if rows[f"c{i}"].item() > 0
    ]
    blood: dict[str, int] = dict.fromkeys(BLOOD_GROUPS, 0)
    if "blood_group" in view.columns:
        counts = view.group_by("blood_group").len()
        for value, n in counts.iter_rows():
            key = "missing" if value is None or value == "" else value
            blood[key] = blood.get(key, 0) + int(n)
        blood_persons = int(
            flags.join(
                view.select(pl.col("_source_line").cast(pl.UInt64), "blood_group"),
                on="_source_line",
            )
            .filter(pl.col("blood_group").is_not_null())["person_id"]
            .n_unique()
        )
    else:
        blood["missing"] = view.height
        blood_persons = 0
    blood.setdefault("missing", 0)

    art9 = []
    if per_person["comment_health"].item() > 0 or any(
        c["name"] in ("Blood groups", "Personal health data") for c in data_classes
    ):
        art9.append("data concerning health")
    if "_genetic" in flags.columns and rows["_genetic"].item() > 0:
        art9.append("genetic data")
    return {
        "data_classes": data_classes,
        "blood_groups": blood,
        "blood_group_persons": blood_persons,
        "art9": art9,
        "nir_present": any(c["name"] == "Government issued IDs" for c in data_classes),
        "combinations": {
            key: int(per_person[key].item())
            for key in (
                "identity_nir",
                "identity_health",
                "identity_credentials",
                "identity_nir_health",
            )
        },
        "health_basis": basis,
        "nir_invalid_rows": int(
            view.filter(
                pl.col("nir_status").is_in(["invalid_key", "key_missing", "malformed"])
            ).height
            if "nir_status" in view.columns
            else 0
        ),
    }
