"""Column roles from header evidence and content evidence, with an optional forced mapping."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl

from dumpscope.frames import height
from dumpscope.roles.content import SAMPLE, content_evidence
from dumpscope.roles.headers import header_evidence
from dumpscope.roles.mapping import check_mapping
from dumpscope.roles.scan import columns_with_values, filled_values, pick

#: Roles whose content test is strong enough to confirm or contradict a header.
STRONG_CONTENT = frozenset(
    {
        "nir",
        "landline",
        "mobile",
        "email",
        "postcode",
        "doctor_postcode",
        "birth_date",
        "sample_date",
        "last_visit_date",
        "blood_group",
        "rhesus",
        "civility",
        "sex",
    }
)
#: Rows looked at for content evidence (evenly spaced); sparse columns are read whole.
ROW_SAMPLE = 20_000
#: Below this score a column is ``other``.
MIN_SCORE = 0.35

SCHEMA = {
    "column": pl.Utf8,
    "original": pl.Utf8,
    "role": pl.Utf8,
    "confidence": pl.Float64,
    "evidence": pl.Utf8,
    "forced": pl.Boolean,
}


def _score(
    role: str, header: float, content: float, has_values: bool, header_other: bool
) -> float:
    if header > 0:
        if not has_values:
            return header
        if role in STRONG_CONTENT:
            return 0.5 * header + 0.5 * content
        return 0.8 * header + 0.2 * content
    # Content alone: damped when the header explicitly names a technical field.
    damp = 0.4 if header_other else 1.0
    return damp * (0.85 * content if role in STRONG_CONTENT else 0.7 * content)


def _decide(original: str, name: str, values: pl.Series, reference: Any) -> tuple[str, float, str]:
    header = header_evidence(original)
    for role, hit in header_evidence(name).items():
        if hit[0] > header.get(role, (0.0, ""))[0]:
            header[role] = hit
    content = content_evidence(values, reference)
    has_values = content["sampled"] > 0
    scores = content["scores"]
    ranked = sorted(
        (
            (
                _score(
                    r,
                    header.get(r, (0.0, ""))[0],
                    scores.get(r, (0.0, ""))[0],
                    has_values,
                    "other" in header,
                ),
                r,
            )
            for r in set(header) | set(scores)
        ),
        key=lambda t: (-t[0], t[1]),
    )
    parts = []
    if header:
        parts.append(
            "header "
            + "; ".join(f"says {words} ({s:.2f})" for s, words in sorted(header.values())[::-1])
        )
    else:
        parts.append("header not recognised")
    if not has_values:
        parts.append("column is empty")
    else:
        top = sorted(scores.items(), key=lambda kv: -kv[1][0])[:2]
        sampled = content["sampled"]
        for _, (share, words) in top:
            parts.append(f"{share:.0%} of {sampled:,} sampled values {words}")
        if not top:
            parts.append(f"no validator recognises the {sampled:,} sampled values")
    if not ranked or ranked[0][0] < MIN_SCORE:
        best = ranked[0][0] if ranked else 0.0
        return "other", round(1.0 - best, 3), "; ".join(parts)
    score, role = ranked[0]
    if not has_values and role != "other":
        parts.append("role from the header alone")
    return role, round(min(score, 1.0), 3), "; ".join(parts)


def detect_roles(
    working: pl.DataFrame | pl.LazyFrame,
    columns: list[dict],
    mapping: dict | None = None,
    *,
    reference: Any | None = None,
) -> pl.DataFrame:
    """Give every source column a role (docs/contracts.md §3).

    Parameters
    ----------
    working
        The working copy, eager or lazy (``pl.scan_parquet`` of ``working.parquet``; identical
        results): one Utf8 column per source column (plus ``_source_line`` and ``_line_count``,
        ignored). A lazy copy is never read whole: the columns holding nothing but empty strings
        are found from their first non-empty value, then an evenly spaced sample of ``ROW_SAMPLE`` rows of the
        other columns is read, and a sparse column's non-empty values alone.
    columns
        The intake record's ``columns``: ``[{index, original, name}]`` in file order.
    mapping
        Optional ``{column name or original header: role}`` forcing roles (from
        :func:`dumpscope.roles.mapping.load_mapping` or the pipeline).
    reference
        Optional reference object (``postcodes``, ``communes``) to recognise postcodes and city
        names by content.

    Returns
    -------
    pl.DataFrame
        One row per column, in file order: ``column`` (working-copy name), ``original`` (header),
        ``role``, ``confidence`` (0..1), ``evidence`` (in words; never a value), ``forced``
        (Boolean: set by the mapping).

    Raises
    ------
    dumpscope.errors.ParameterError
        The mapping names an unknown role or a column not in the dump.
    """
    forced = check_mapping(mapping, columns) if mapping else {}
    # the columns holding nothing but empty strings (most of an LIS export) are not read
    filled = columns_with_values(working)
    with_values = [c["name"] for c in columns if c["name"] not in forced and filled.get(c["name"])]

    # Content is judged on an evenly spaced sample of rows (the whole column when it is sparse).
    step = max(1, height(working) // ROW_SAMPLE)
    sampled = working.select(with_values)
    if step > 1:  # every step-th row (a row-index filter streams; gather_every buffers)
        sampled = sampled.with_row_index("\x00row").filter(pl.col("\x00row") % step == 0)
        sampled = sampled.drop("\x00row")
    rows_sample = pick(sampled, pl.all())

    def run(col: dict) -> tuple:
        name, original = col["name"], str(col["original"])
        if name in forced:
            return (name, original, forced[name], 1.0, "forced by the mapping file", True)
        if not filled.get(name):
            values = pl.Series(name, [], dtype=pl.Utf8)
        else:
            values = rows_sample.get_column(name).cast(pl.Utf8)
            if step > 1 and (values.str.len_bytes() > 0).sum() < SAMPLE:
                values = filled_values(working, name)  # the same non-blank values, in order
        role, confidence, evidence = _decide(original, name, values, reference)
        return (name, original, role, confidence, evidence, False)

    # columns are independent; polars releases the GIL, so threads use every core
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        rows = list(pool.map(run, sorted(columns, key=lambda c: c["index"])))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
