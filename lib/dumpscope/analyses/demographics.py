"""Demographics of the persons in the dump: sex, age, minors, place of birth (from the NIR)."""

from __future__ import annotations

import polars as pl

from dumpscope import frames

#: Width of the age bands of the pyramid, and the open last band.
BAND_WIDTH = 5
LAST_BAND = 90

_CIVILITY_SEX = {"Mme": "F", "M.": "M", "Sœur": "F"}


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "birth_date",
    "civility",
    "last_visit_date",
    "nir",
    "nir_birth_month",
    "nir_birth_place",
    "nir_birth_yy",
    "nir_sex",
    "nir_status",
    "sample_date",
    "sex",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


def _col(view: pl.DataFrame, name: str, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    return pl.col(name) if name in view.columns else pl.lit(None, dtype=dtype).alias(name)


def age_years(birth: pl.Expr, at: pl.Expr) -> pl.Expr:
    """Age in completed years at a date (null when either date is null)."""
    before_birthday = (at.dt.month() < birth.dt.month()) | (
        (at.dt.month() == birth.dt.month()) & (at.dt.day() < birth.dt.day())
    )
    return (at.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32)) - before_birthday.cast(
        pl.Int32
    )


def person_frame(view: pl.DataFrame | pl.LazyFrame, links: pl.DataFrame) -> pl.DataFrame:
    """One row per person with the facts the demographic figures need.

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view. Columns used: ``_source_line``, ``sex``, ``nir_sex``, ``nir_status``,
        ``civility``, ``birth_date``, ``sample_date``, ``last_visit_date``, ``nir_birth_place``,
        ``nir_birth_yy``, ``nir_birth_month``.
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.
    links : pl.DataFrame
        :func:`dumpscope.analyses.persons.link` output (``_source_line``, ``person_id``).

    Returns
    -------
    pl.DataFrame
        ``person_id``, ``nir_sex`` (sex digit of a valid NIR, else of a NIR with a wrong or
        missing key), ``sex`` (``F``/``M``/null: ``nir_sex``, else the most frequent declared
        sex, else the civility), ``birth_date``, ``sample_date`` (of the
        person's first row in file order that has one), ``age`` (completed years at that
        sample date), ``birth_place`` (``nir_birth_place`` of a valid NIR).
    """
    view = _view(view)
    rows = view.select(
        pl.col("_source_line").cast(pl.UInt64),
        _col(view, "sex"),
        _col(view, "nir_sex"),
        _col(view, "nir_status"),
        _col(view, "civility"),
        _col(view, "birth_date", pl.Date),
        _col(view, "sample_date", pl.Date),
        _col(view, "last_visit_date", pl.Date),
        _col(view, "nir_birth_place"),
        _col(view, "nir_birth_yy", pl.Int16),
        _col(view, "nir_birth_month", pl.Int8),
    ).join(links.select("_source_line", "person_id"), on="_source_line", how="left")
    valid = pl.col("nir_status") == "valid"
    decodable = pl.col("nir_status").is_in(["invalid_key", "key_missing"])
    rows = rows.sort("_source_line").with_columns(
        vsex=pl.when(valid).then(pl.col("nir_sex")),
        dsex=pl.when(decodable).then(pl.col("nir_sex")),
        vplace=pl.when(valid).then(pl.col("nir_birth_place")),
        dplace=pl.when(decodable).then(pl.col("nir_birth_place")),
        nyy=pl.when(valid | decodable).then(pl.col("nir_birth_yy")),
        nmm=pl.when(valid | decodable).then(pl.col("nir_birth_month")),
        csex=pl.col("civility").replace_strict(_CIVILITY_SEX, default=None, return_dtype=pl.Utf8),
    )
    facts = {
        "nir_sex": ("vsex", "dsex"),
        "civility_sex": ("csex",),
        "birth_date": ("birth_date",),
        "sample_date": ("sample_date",),
        "last_visit_date": ("last_visit_date",),
        "nyy": ("nyy",),
        "nmm": ("nmm",),
        "birth_place": ("vplace", "dplace"),
    }
    rows = rows.with_columns(_n=pl.len().over("person_id"))
    # persons on a single row (most of them) need no aggregation
    single = rows.filter(pl.col("_n") == 1).select(
        "person_id",
        pl.col("_source_line").alias("_first"),
        *(pl.coalesce(*cols).alias(name) for name, cols in facts.items()),
        (pl.col("sex") == "F").fill_null(False).cast(pl.UInt32).alias("_nf"),
        (pl.col("sex") == "M").fill_null(False).cast(pl.UInt32).alias("_nm"),
    )
    several = (
        rows.filter(pl.col("_n") > 1)
        .group_by("person_id")
        .agg(
            pl.col("_source_line").min().alias("_first"),
            *(
                pl.coalesce(*(pl.col(c).drop_nulls().first() for c in cols)).alias(name)
                for name, cols in facts.items()
            ),
            (pl.col("sex") == "F").sum().cast(pl.UInt32).alias("_nf"),
            (pl.col("sex") == "M").sum().cast(pl.UInt32).alias("_nm"),
        )
        .select(single.columns)
    )
    persons = pl.concat([single, several], how="vertical_relaxed").sort("_first")
    # the declared sex given most often (F on a tie)
    persons = persons.with_columns(
        declared_sex=pl.when((pl.col("_nf") >= pl.col("_nm")) & (pl.col("_nf") > 0))
        .then(pl.lit("F"))
        .when(pl.col("_nm") > 0)
        .then(pl.lit("M"))
    )
    at = pl.coalesce("sample_date", "last_visit_date")
    # birth date from the NIR (year, month; the 1st of the month, July when the month is
    # fictitious) when the birth-date column gives none: 20yy unless after the sample year
    yy = pl.col("nyy").cast(pl.Int32)
    year = pl.when(2000 + yy <= at.dt.year()).then(2000 + yy).otherwise(1900 + yy)
    month = pl.when(pl.col("nmm").is_between(1, 12)).then(pl.col("nmm")).otherwise(7)
    nir_birth = pl.date(year, month.cast(pl.Int32), 1)
    return persons.select(
        "person_id",
        "nir_sex",
        pl.coalesce("nir_sex", "declared_sex", "civility_sex").alias("sex"),
        "birth_date",
        at.alias("sample_date"),
        pl.coalesce(age_years(pl.col("birth_date"), at), age_years(nir_birth, at)).alias("age"),
        pl.when(pl.col("birth_date").is_not_null() & at.is_not_null())
        .then(pl.lit("birth_date"))
        .when(nir_birth.is_not_null() & at.is_not_null())
        .then(pl.lit("nir"))
        .alias("age_basis"),
        "birth_place",
    )


def age_pyramid(people: pl.DataFrame) -> pl.DataFrame:
    """Persons per 5-year age band and sex (aggregated, for a chart).

    Parameters
    ----------
    people : pl.DataFrame
        :func:`person_frame` output (``age``, ``sex``).

    Returns
    -------
    pl.DataFrame
        ``band`` (``"0-4"`` … ``"90+"``), ``band_start`` (Int32), ``sex`` (``F``/``M``),
        ``persons`` (UInt32); persons with unknown age or sex are left out. Every band × sex
        cell is present (zeros included), so small cells can be suppressed downstream.
    """
    starts = list(range(0, LAST_BAND + 1, BAND_WIDTH))
    grid = pl.DataFrame({"band_start": starts}, schema={"band_start": pl.Int32}).join(
        pl.DataFrame({"sex": ["F", "M"]}), how="cross"
    )
    counted = (
        people.filter(
            pl.col("age").is_not_null() & (pl.col("age") >= 0) & pl.col("sex").is_in(["F", "M"])
        )
        .with_columns(
            band_start=(pl.col("age").clip(upper_bound=LAST_BAND) // BAND_WIDTH * BAND_WIDTH).cast(
                pl.Int32
            )
        )
        .group_by("band_start", "sex")
        .len("persons")
    )
    out = grid.join(counted, on=["band_start", "sex"], how="left").with_columns(
        pl.col("persons").fill_null(0).cast(pl.UInt32),
        band=pl.when(pl.col("band_start") >= LAST_BAND)
        .then(pl.lit(f"{LAST_BAND}+"))
        .otherwise(
            pl.col("band_start").cast(pl.Utf8)
            + "-"
            + (pl.col("band_start") + BAND_WIDTH - 1).cast(pl.Utf8)
        ),
    )
    return out.select("band", "band_start", "sex", "persons").sort("band_start", "sex")


def summarize(view: pl.DataFrame | pl.LazyFrame, links: pl.DataFrame) -> dict:
    """Sex, age, minors and place of birth.

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view. Columns used: ``_source_line``, ``sex``, ``nir_sex``, ``nir_status``,
        ``civility``, ``birth_date``, ``sample_date``, ``last_visit_date``, ``nir_birth_place``,
        ``nir_birth_yy``, ``nir_birth_month``.
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.
    links : pl.DataFrame
        :func:`dumpscope.analyses.persons.link` output.

    Returns
    -------
    dict
        ``persons``: ``{distinct, female, male, sex_unknown, minors, minors_by_basis
        {birth_date, nir}, adults, age_unknown,
        born_abroad, born_former_colony, born_overseas, born_corsica, born_metropole,
        birth_place_unknown}`` (person level; ``born_abroad`` = NIR département 99, births in
        former colonies coded 91–96 are counted apart; place from the NIR, so persons without
        any NIR are ``birth_place_unknown``); ``sex``: ``{declared_F, declared_M,
        declared_missing, nir_F, nir_M, inconsistent_with_nir}`` (rows; inconsistent = declared sex differs
        from the sex digit of the person's NIR, taken from any of the person's rows); ``age``: ``{median, under_1}`` at the sample date (person level,
        only plausible ages 0–120); ``age_pyramid``: list of ``{band, band_start, sex,
        persons}``; ``sex_basis`` (plain words).
    """
    view = _view(view)
    people = person_frame(view, links)
    rows = view.select(
        pl.col("_source_line").cast(pl.UInt64), _col(view, "sex"), _col(view, "nir_sex")
    ).join(links.select("_source_line", "person_id"), on="_source_line", how="left")
    rows = rows.join(
        people.select("person_id", pl.col("nir_sex").alias("person_nir_sex")),
        on="person_id",
        how="left",
    )
    reference = pl.coalesce("person_nir_sex", "nir_sex")
    inconsistent = rows.filter(
        pl.col("sex").is_not_null() & reference.is_not_null() & (pl.col("sex") != reference)
    ).height
    ages = people.filter(pl.col("age").is_between(0, 120))["age"]
    place = people["birth_place"]

    def n_place(*values: str) -> int:
        return int(place.is_in(list(values)).sum())

    pyramid = age_pyramid(people)
    return {
        "persons": {
            "distinct": int(people.height),
            "female": int((people["sex"] == "F").sum()),
            "male": int((people["sex"] == "M").sum()),
            "sex_unknown": int(people["sex"].is_null().sum()),
            "minors": int((people["age"].is_between(0, 17)).sum()),
            # how each minor's age is known: a written birth date, or only the NIR's year and
            # month (approximate near the 18th birthday)
            "minors_by_basis": {
                basis: int(
                    people.filter(
                        (pl.col("age_basis") == basis) & pl.col("age").is_between(0, 17)
                    ).height
                )
                for basis in ("birth_date", "nir")
            },
            "adults": int((people["age"] >= 18).sum()),
            "age_unknown": int(people["age"].is_null().sum()),
            "born_abroad": n_place("abroad"),
            "born_former_colony": n_place("former_colony"),
            "born_overseas": n_place("overseas"),
            "born_corsica": n_place("corsica"),
            "born_metropole": n_place("metropole"),
            "birth_place_unknown": int(place.is_null().sum()),
        },
        "sex": {
            "declared_F": int((rows["sex"] == "F").sum()),
            "declared_M": int((rows["sex"] == "M").sum()),
            "declared_missing": int(rows["sex"].is_null().sum()),
            "nir_F": int((rows["nir_sex"] == "F").sum()),
            "nir_M": int((rows["nir_sex"] == "M").sum()),
            "inconsistent_with_nir": int(inconsistent),
        },
        "age": {
            "median": float(ages.median()) if ages.len() else None,
            "under_1": int((ages == 0).sum()),
        },
        "age_pyramid": pyramid.to_dicts(),
        "sex_basis": (
            "A person's sex is the sex digit of a valid NIR; without one, the sex declared "
            "most often on the person's rows; failing that, the civility (Mme, M., Sœur). "
            "Age is in completed years at the sample date of the person's first row."
        ),
    }
