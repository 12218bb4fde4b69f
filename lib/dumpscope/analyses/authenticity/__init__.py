"""Authenticity assessment: does the dump look genuine, fabricated, or compiled from older leaks?

Adapted from the Have I Been Pwned verification checklist ("is the structure consistent with a
breach?"): the questions a notebook can answer from the data alone. Provenance questions (public
acknowledgement, the seller's record, the attack vector) belong to the investigation.
"""

from __future__ import annotations

import polars as pl

from dumpscope.analyses.authenticity import indicators as ind
from dumpscope.analyses.authenticity.conclude import conclude
from dumpscope.analyses.authenticity.wording import explain

__all__ = ["assess", "conclude", "explain", "indicator_table"]

DATE_ROLES = ("birth_date", "sample_date", "last_visit_date")


def assess(
    view: pl.DataFrame | pl.LazyFrame,
    *,
    working: pl.DataFrame | pl.LazyFrame | None = None,
    columns: list[dict] | None = None,
    roles: pl.DataFrame | None = None,
    quarantined_lines: int | None = None,
) -> dict:
    """Measure every authenticity indicator and state the conclusion.

    Parameters
    ----------
    view
        The normalized view (docs/contracts.md §5), eager or lazy (same result; each indicator
        reads only its columns, and no filtered copy of the view is made). Columns used: ``nir_status``, ``nir``,
        ``nir_sex``, ``nir_birth_yy``, ``nir_birth_month``, ``sex``, ``birth_date``,
        ``birth_date_status``, ``sample_date``, ``postcode_status``, ``city``, ``commune_insee``,
        ``residence_dep``, ``landline``, ``landline_status``, ``mobile_status``, ``email_domain``,
        ``email_status``, ``first_name``, ``usage_name``, ``name_mojibake``, ``lab_code``.
    working
        The working copy (raw text), for the repeated-header and date-layout indicators; when
        None those two are not assessed. Eager (``pl.DataFrame``) or lazy (``pl.LazyFrame``,
        e.g. ``RunContext.scan_working()``), same result: with a lazy copy only the columns each
        indicator needs are read, on the streaming engine, and the copy is never held whole.
    columns
        The intake record's column list ``[{index, original, name}]``.
    roles
        The role table ``[column, role, ...]``, to find the date columns of the working copy.
    quarantined_lines
        Quarantined line count from intake (an input of the "too clean" indicator).

    Returns
    -------
    dict
        ``indicators`` (list of indicator dicts, fixed order), ``conclusion`` (see
        :func:`conclude`).
    """
    results = [
        ind.nir_key_validity(view),
        ind.nir_sex_agreement(view),
        ind.nir_birth_agreement(view),
        ind.postcode_city_agreement(view),
        ind.phone_zone_agreement(view),
        ind.first_name_frequencies(view),
        ind.surname_frequencies(view),
        ind.birth_date_plausibility(view),
        ind.birth_date_heaping(view),
        ind.sample_days(view),
        ind.email_domains(view),
        ind.too_clean(view, quarantined_lines),
        ind.duplicate_identities(view),
    ]
    if working is not None and columns is not None:
        results.append(ind.repeated_headers(working, columns))
    if working is not None and roles is not None:
        date_columns = roles.filter(pl.col("role").is_in(DATE_ROLES))["column"].to_list()
        results.append(ind.format_mixture(working, date_columns))
    return {"indicators": results, "conclusion": conclude(results)}


def indicator_table(section: dict, lang: str = "fr") -> pl.DataFrame:
    """The indicators as a table for the report.

    Returns
    -------
    pl.DataFrame
        ``indicator`` (label in ``lang``), ``value`` (Float64), ``basis`` (Int64: observations),
        ``threshold`` (what a genuine export meets), ``result`` (consistent / inconsistent / not
        assessable, in ``lang``).
    """
    rows = explain(section, lang)["rows"]
    return pl.DataFrame(
        {
            "indicator": [r["label"] for r in rows],
            "value": [r["value"] for r in rows],
            "basis": [r["basis"] for r in rows],
            "threshold": [r["threshold"] for r in rows],
            "result": [r["status"] for r in rows],
        },
        schema={
            "indicator": pl.Utf8,
            "value": pl.Float64,
            "basis": pl.Int64,
            "threshold": pl.Utf8,
            "result": pl.Utf8,
        },
    )
