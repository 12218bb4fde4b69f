"""Results-portal credentials: logins, plain-text passwords, their strength and derivation.

Passwords are only counted, never shown, returned or logged. Strength classes (plain words):

- ``very_weak``: on the shipped list of common passwords (``data/common_passwords.txt``,
  compared case-insensitively), or fewer than 6 characters, or derived from the person's own
  data (name, first name, birth date, city, postcode);
- ``weak``: 6 or 7 characters, or a single character class (only digits, only lower-case letters,
  only upper-case letters);
- ``medium``: at least 8 characters and 2 or 3 character classes, or 4 classes under 10
  characters;
- ``strong``: at least 10 characters with at least 3 of the 4 classes (lower case, upper case,
  digits, other characters).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

STRENGTH_CLASSES = ("very_weak", "weak", "medium", "strong")

STRENGTH_DEFINITIONS = {
    "very_weak": "a common password, fewer than 6 characters, or built from the person's "
    "own name, first name, birth date, city or postcode",
    "weak": "6 or 7 characters, or a single kind of character (only digits or only letters "
    "of one case)",
    "medium": "8 characters or more mixing 2 or 3 kinds of characters (or 4 kinds under 10 "
    "characters)",
    "strong": "10 characters or more mixing at least 3 of: lower case, upper case, digits, "
    "other characters",
}

#: Shortest name or city that counts as "derived" when found inside a password.
MIN_PART = 3


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


def classify(view: pl.DataFrame) -> pl.DataFrame:
    """Per-row password facts (never the password itself).

    Parameters
    ----------
    view : pl.DataFrame
        Normalized view. Columns used: ``_source_line``, ``login``, ``password``,
        ``usage_name``, ``birth_name``, ``first_name``, ``birth_date``, ``city``, ``postcode``.

    Returns
    -------
    pl.DataFrame
        ``_source_line``, ``has_login``, ``has_password`` (Boolean), ``strength`` (one of
        :data:`STRENGTH_CLASSES`, null without password), ``derived`` (Boolean: the password
        contains the person's first name, usage or birth name, city, postcode, or birth date
        as ddmmyyyy, ddmmyy, yyyymmdd, ddmm or yyyy), ``derived_name``, ``derived_birth_date``,
        ``derived_place`` (Boolean).
    """
    pw = _col(view, "password").cast(pl.Utf8)
    frame = view.select(
        pl.col("_source_line"),
        has_login=(_col(view, "login").str.strip_chars().str.len_chars() > 0).fill_null(False),
        pw=pl.when(pw.str.len_chars() > 0).then(pw),
        folded=_fold(pw),
        fn=_fold(_col(view, "first_name")),
        ln=_fold(_col(view, "usage_name")),
        bn=_fold(_col(view, "birth_name")),
        city=_fold(_col(view, "city")),
        pc=_fold(_col(view, "postcode")),
        bd=_col(view, "birth_date", pl.Date),
    )
    dates = [pl.col("bd").dt.strftime(fmt) for fmt in ("%d%m%Y", "%d%m%y", "%Y%m%d", "%d%m", "%Y")]
    folded = pl.col("folded")
    frame = frame.with_columns(
        has_password=pl.col("pw").is_not_null(),
        n_chars=pl.col("pw").str.len_chars(),
        n_classes=pl.sum_horizontal(
            pl.col("pw").str.contains(p).fill_null(False).cast(pl.Int8)
            for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")
        ),
        common=pl.col("pw").str.to_lowercase().is_in(sorted(common_passwords())),
        derived_name=pl.any_horizontal(
            _contains_part(folded, pl.col(c)) for c in ("fn", "ln", "bn")
        ),
        derived_birth_date=pl.any_horizontal(
            folded.str.contains(d.fill_null("\x00"), literal=True).fill_null(False) for d in dates
        ),
        derived_place=pl.any_horizontal(
            _contains_part(folded, pl.col("city")),
            (pl.col("pc").str.len_chars() == 5)
            & folded.str.contains(pl.col("pc").fill_null("\x00"), literal=True).fill_null(False),
        ),
    )
    frame = frame.with_columns(
        derived=pl.col("has_password")
        & (pl.col("derived_name") | pl.col("derived_birth_date") | pl.col("derived_place")),
        derived_name=pl.col("has_password") & pl.col("derived_name"),
        derived_birth_date=pl.col("has_password") & pl.col("derived_birth_date"),
        derived_place=pl.col("has_password") & pl.col("derived_place"),
    )
    strength = (
        pl.when(~pl.col("has_password"))
        .then(None)
        .when(pl.col("common") | (pl.col("n_chars") < 6) | pl.col("derived"))
        .then(pl.lit("very_weak"))
        .when((pl.col("n_chars") < 8) | (pl.col("n_classes") <= 1))
        .then(pl.lit("weak"))
        .when((pl.col("n_chars") >= 10) & (pl.col("n_classes") >= 3))
        .then(pl.lit("strong"))
        .otherwise(pl.lit("medium"))
    )
    return frame.select(
        "_source_line",
        "has_login",
        "has_password",
        strength.alias("strength"),
        "derived",
        "derived_name",
        "derived_birth_date",
        "derived_place",
    )


def summarize(view: pl.DataFrame, links: pl.DataFrame) -> dict:
    """Logins and passwords: rows and persons, strength classes, passwords built from own data.

    Parameters
    ----------
    view : pl.DataFrame
        Normalized view; columns as in :func:`classify`.
    links : pl.DataFrame
        :func:`dumpscope.analyses.persons.link` output (``_source_line``, ``person_id``).

    Returns
    -------
    dict
        ``rows_with_login``, ``rows_with_password``, ``rows_with_login_and_password``,
        ``persons_with_login``, ``persons_with_password``, ``persons_with_login_and_password``,
        ``derived_from_personal_data`` (rows), ``derived_persons``, ``derived_by_source``
        ``{name, birth_date, place}`` (rows; a password may count in several),
        ``strength`` ``{very_weak, weak, medium, strong}`` (rows), ``strength_persons`` (same,
        persons, by their weakest password), ``strength_definitions`` (plain words),
        ``distinct_passwords``, ``persons_sharing_a_password`` (persons whose password is also
        the password of another person), ``common_list_size``.
    """
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
            "place": int(facts["derived_place"].sum()),
        },
        "strength": strength_rows,
        "strength_persons": strength_persons,
        "strength_definitions": dict(STRENGTH_DEFINITIONS),
        "distinct_passwords": int(shared.height),
        "persons_sharing_a_password": int(shared.filter(pl.col("n") > 1)["n"].sum()),
        "common_list_size": len(common_passwords()),
    }
