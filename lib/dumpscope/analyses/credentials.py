"""Results-portal credentials: logins, plain-text passwords, their strength and derivation.

Passwords are only counted, never shown, returned or logged. Strength classes (plain words),
by length and kinds of characters (lower case, upper case, digits, other):

- ``very_weak``: fewer than 8 characters;
- ``weak``: 8 characters or more, at most 2 kinds of characters;
- ``medium``: 8 characters or more, 3 kinds or more, and not strong;
- ``strong``: 12 characters or more with all 4 kinds.

Two facts are counted beside the classes, because a long password can still be guessed:
``common`` (on the shipped list ``data/common_passwords.txt``, case-insensitive) and ``derived``
(built from the person's own data: contains the first name, the usage or birth name, the birth
date as ddmmyyyy, ddmmyy or yyyymmdd, or the birth year (from the NIR when the birth date is
unusable); or its letters are the beginning of
the first name or surname, e.g. a shortened first name).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

from dumpscope import frames

STRENGTH_CLASSES = ("very_weak", "weak", "medium", "strong")

STRENGTH_DEFINITIONS = {
    "very_weak": "fewer than 8 characters",
    "weak": "8 characters or more, at most 2 kinds of characters (lower case, upper case, "
    "digits, other)",
    "medium": "8 characters or more mixing at least 3 kinds of characters, but not strong",
    "strong": "12 characters or more mixing all 4 kinds: lower case, upper case, digits, other",
    "common": "on the list of common passwords shipped with dumpscope (counted apart)",
    "derived": "built from the person's own first name, surname or birth date (counted apart)",
}

#: Shortest name that counts as "derived" when found inside a password.
MIN_PART = 3
#: Shortest run of letters that counts as "derived" when it begins the first name or surname.
MIN_PREFIX = 4


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "birth_date",
    "birth_name",
    "first_name",
    "login",
    "nir_birth_yy",
    "password",
    "usage_name",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


@cache
def common_passwords() -> frozenset[str]:
    """The shipped common-password list (lower case)."""
    text = resources.files("dumpscope.analyses").joinpath("data/common_passwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def _col(view: pl.DataFrame, name: str, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    return pl.col(name) if name in view.columns else pl.lit(None, dtype=dtype).alias(name)


def _fold(expr: pl.Expr) -> pl.Expr:
    """Lower case, accents and anything but letters and digits removed."""
    return (
        expr.cast(pl.Utf8)
        .str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]", "")
    )


def _contains_part(password: pl.Expr, part: pl.Expr) -> pl.Expr:
    return (
        (part.str.len_chars() >= MIN_PART)
        & password.str.contains(part.fill_null(""), literal=True)
    ).fill_null(False)


def classify(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Per-row password facts (never the password itself).

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view. Columns used: ``_source_line``, ``login``, ``password``,
        ``usage_name``, ``birth_name``, ``first_name``, ``birth_date``, ``nir_birth_yy`` (the
        birth year when the birth date is missing or invalid).
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.

    Returns
    -------
    pl.DataFrame
        ``_source_line``, ``has_login``, ``has_password`` (Boolean), ``strength`` (one of
        :data:`STRENGTH_CLASSES`, null without password), ``common`` (Boolean), ``derived``
        (Boolean), ``derived_name``, ``derived_birth_date`` (Boolean).
    """
    view = _view(view)
    pw = _col(view, "password").cast(pl.Utf8)
    frame = view.select(
        pl.col("_source_line"),
        has_login=(_col(view, "login").str.strip_chars().str.len_chars() > 0).fill_null(False),
        pw=pl.when(pw.str.len_chars() > 0).then(pw),
        folded=_fold(pw),
        fn=_fold(_col(view, "first_name")),
        ln=_fold(_col(view, "usage_name")),
        bn=_fold(_col(view, "birth_name")),
        bd=_col(view, "birth_date", pl.Date),
        nyy=_col(view, "nir_birth_yy", pl.Int16).cast(pl.Int32),
    )
    dates = [pl.col("bd").dt.strftime(fmt) for fmt in ("%d%m%Y", "%d%m%y", "%Y%m%d", "%Y")]
    # no usable birth date: the birth year coded in the NIR, in either century
    no_date = pl.col("bd").is_null()
    dates += [
        pl.when(no_date).then((century + pl.col("nyy")).cast(pl.Utf8)) for century in (1900, 2000)
    ]
    folded = pl.col("folded")
    letters = folded.str.replace_all(r"[^a-z]", "")
    frame = frame.with_columns(
        has_password=pl.col("pw").is_not_null(),
        n_chars=pl.col("pw").str.len_chars(),
        n_classes=pl.sum_horizontal(
            pl.col("pw").str.contains(p).fill_null(False).cast(pl.Int8)
            for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")
        ),
        common=pl.col("pw").str.to_lowercase().is_in(sorted(common_passwords())),
        derived_name=pl.any_horizontal(
            *(_contains_part(folded, pl.col(c)) for c in ("fn", "ln", "bn")),
            *(
                (letters.str.len_chars() >= MIN_PREFIX)
                & pl.col(c).str.starts_with(letters).fill_null(False)
                for c in ("fn", "ln", "bn")
            ),
        ).fill_null(False),
        derived_birth_date=pl.any_horizontal(
            folded.str.contains(d.fill_null("\x00"), literal=True).fill_null(False) for d in dates
        ),
    )
    has = pl.col("has_password")
    frame = frame.with_columns(
        derived=has & (pl.col("derived_name") | pl.col("derived_birth_date")),
        derived_name=has & pl.col("derived_name"),
        derived_birth_date=has & pl.col("derived_birth_date"),
        common=has & pl.col("common"),
    )
    strength = (
        pl.when(~has)
        .then(None)
        .when(pl.col("n_chars") < 8)
        .then(pl.lit("very_weak"))
        .when(pl.col("n_classes") <= 2)
        .then(pl.lit("weak"))
        .when((pl.col("n_chars") >= 12) & (pl.col("n_classes") == 4))
        .then(pl.lit("strong"))
        .otherwise(pl.lit("medium"))
    )
    return frame.select(
        "_source_line",
        "has_login",
        "has_password",
        strength.alias("strength"),
        "common",
        "derived",
        "derived_name",
        "derived_birth_date",
    )


def summarize(view: pl.DataFrame | pl.LazyFrame, links: pl.DataFrame) -> dict:
    """Logins and passwords: rows and persons, strength classes, passwords built from own data.

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view; columns as in :func:`classify`.
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.
    links : pl.DataFrame
        :func:`dumpscope.analyses.persons.link` output (``_source_line``, ``person_id``).

    Returns
    -------
    dict
        ``rows_with_login``, ``rows_with_password``, ``rows_with_login_and_password``,
        ``persons_with_login``, ``persons_with_password``, ``persons_with_login_and_password``,
        ``derived_from_personal_data`` (rows), ``derived_persons``, ``derived_by_source``
        ``{name, birth_date}`` (rows; a password may count in both), ``common`` (rows whose
        password is on the common list) and ``common_persons``,
        ``strength`` ``{very_weak, weak, medium, strong}`` (rows), ``strength_persons`` (same,
        persons, by their weakest password), ``strength_definitions`` (plain words),
        ``distinct_passwords``, ``persons_sharing_a_password`` (persons whose password is also
        the password of another person), ``common_list_size``.
    """
    view = _view(view)
    facts = classify(view).with_columns(pl.col("_source_line").cast(pl.UInt64))
    facts = facts.join(links.select("_source_line", "person_id"), on="_source_line", how="left")
    with_pw = facts.filter(pl.col("has_password"))

    def persons(mask: pl.Expr) -> int:
        return int(facts.filter(mask)["person_id"].n_unique())

    strength_rows = dict.fromkeys(STRENGTH_CLASSES, 0)
    for value, n in with_pw.group_by("strength").len().iter_rows():
        strength_rows[value] = int(n)
    rank = {name: i for i, name in enumerate(STRENGTH_CLASSES)}
    weakest = (
        with_pw.with_columns(r=pl.col("strength").replace_strict(rank, return_dtype=pl.Int8))
        .group_by("person_id")
        .agg(pl.col("r").min())
    )
    strength_persons = dict.fromkeys(STRENGTH_CLASSES, 0)
    for r, n in weakest.group_by("r").len().iter_rows():
        strength_persons[STRENGTH_CLASSES[r]] = int(n)

    pw = _col(view, "password").cast(pl.Utf8)
    shared = (
        view.select(pl.col("_source_line").cast(pl.UInt64), pw=pw)
        .filter(pl.col("pw").str.len_chars() > 0)
        .join(links.select("_source_line", "person_id"), on="_source_line", how="left")
        .group_by("pw")
        .agg(pl.col("person_id").n_unique().alias("n"))
    )
    both = pl.col("has_login") & pl.col("has_password")
    return {
        "rows_with_login": int(facts["has_login"].sum()),
        "rows_with_password": int(facts["has_password"].sum()),
        "rows_with_login_and_password": int(facts.filter(both).height),
        "persons_with_login": persons(pl.col("has_login")),
        "persons_with_password": persons(pl.col("has_password")),
        "persons_with_login_and_password": persons(both),
        "derived_from_personal_data": int(facts["derived"].sum()),
        "derived_persons": persons(pl.col("derived")),
        "derived_by_source": {
            "name": int(facts["derived_name"].sum()),
            "birth_date": int(facts["derived_birth_date"].sum()),
        },
        "common": int(facts["common"].sum()),
        "common_persons": persons(pl.col("common")),
        "strength": strength_rows,
        "strength_persons": strength_persons,
        "strength_definitions": dict(STRENGTH_DEFINITIONS),
        "distinct_passwords": int(shared.height),
        "persons_sharing_a_password": int(shared.filter(pl.col("n") > 1)["n"].sum()),
        "common_list_size": len(common_passwords()),
    }
