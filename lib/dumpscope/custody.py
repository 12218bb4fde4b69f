"""The ``evidence`` and ``records`` sections of a run (used by ``00-inspect-evidence``).

Built from the intake record (``intake.json``, contracts §4), intake's re-verification and the
working copy. The display tables come from :mod:`dumpscope.intake` (``custody_table``,
``format_table``, ``lines_table``, ``quarantine_summary``). Nothing here holds raw content:
quarantined lines are described by reason, count and line number only.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from dumpscope import frames


def reconciliation_sentence(section: dict[str, Any], lang: str = "fr") -> str:
    """One markdown sentence stating whether the lines reconcile.

    Parameters
    ----------
    section : dict
        From :func:`records_section` (``physical_lines, header_lines, loaded_lines,
        quarantined_lines, reconciled``).
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    str
        E.g. ``"**Reconciled**: 1 (header) + 480 (records) + 20 (set aside) = 501 physical lines."``
    """
    parts = [section.get(k) for k in ("header_lines", "loaded_lines", "quarantined_lines")]
    total = section.get("physical_lines")
    ok = bool(section.get("reconciled"))
    if lang == "fr":
        head = "**Rapprochement exact**" if ok else "**Rapprochement en échec**"
        names = ("en-tête", "enregistrements chargés", "mises à l'écart")
        tail = "lignes physiques"
    else:
        head = "**Reconciled**" if ok else "**Reconciliation FAILED**"
        names = ("header", "loaded records", "set aside")
        tail = "physical lines"
    terms = " + ".join(f"{v} ({n})" for v, n in zip(parts, names, strict=True))
    sign = "=" if ok else "≠"
    return (
        f"{head} : {terms} {sign} {total} {tail}."
        if lang == "fr"
        else (f"{head}: {terms} {sign} {total} {tail}.")
    )


def evidence_section(record: dict[str, Any], verification: dict | None = None) -> dict[str, Any]:
    """The ``evidence`` section: custody hashes and detected format.

    Parameters
    ----------
    record : dict
        The intake record (``intake.json``): ``evidence``, ``format``, ``columns``, ``lines``.
    verification : dict, optional
        Result of ``dumpscope.intake.verify_evidence(record)`` (uses ``match``).

    Returns
    -------
    dict
        ``name, bytes, sha256, sha1, md5, container, members, encoding, encoding_confidence,
        delimiter, delimiter_confidence, quotechar, header_row, line_terminator, forced, columns,
        physical_lines, verified`` (``None`` when not re-verified).
    """
    ev = record.get("evidence", {})
    fmt = record.get("format", {})
    lines = record.get("lines", {})
    return {
        "name": ev.get("name"),
        "bytes": ev.get("bytes"),
        "sha256": ev.get("sha256"),
        "sha1": ev.get("sha1"),
        "md5": ev.get("md5"),
        "container": ev.get("container"),
        "members": ev.get("members") or [],
        "encoding": fmt.get("encoding"),
        "encoding_confidence": fmt.get("encoding_confidence"),
        "delimiter": fmt.get("delimiter"),
        "delimiter_confidence": fmt.get("delimiter_confidence"),
        "quotechar": fmt.get("quotechar"),
        "header_row": fmt.get("header_row"),
        "line_terminator": fmt.get("line_terminator"),
        "forced": list(fmt.get("forced") or []),
        "columns": len(record.get("columns", [])),
        "physical_lines": lines.get("physical"),
        "verified": None if verification is None else bool(verification.get("match")),
    }


def records_section(
    record: dict[str, Any],
    working: pl.DataFrame | pl.LazyFrame,
    *,
    exact_duplicate_rows: int | None = None,
) -> dict[str, Any]:
    """The ``records`` section: line reconciliation, multi-line records, duplicates, quarantine.

    Parameters
    ----------
    record : dict
        The intake record (``lines``, ``quarantine.by_reason``).
    working : pl.DataFrame or pl.LazyFrame
        The working copy: source columns (Utf8) + ``_source_line``, ``_line_count``. Eager or lazy
        (e.g. ``RunContext.scan_working()``), same result; a lazy copy is never held whole: the
        duplicate count is one streaming hash pass over the source columns plus a value-by-value
        comparison of the rows whose hashes clash (:func:`dumpscope.frames.exact_duplicate_rows`),
        and the multi-line count reads ``_line_count`` only.
    exact_duplicate_rows : int, optional
        The count when it is already known for this copy (``RunContext.exact_duplicate_rows()``,
        shared with the ``profile`` section); computed when None.

    Returns
    -------
    dict
        ``physical_lines, header_lines, loaded, loaded_lines, quarantined_lines, reconciled,
        multiline_records, exact_duplicate_rows, quarantine_by_reason`` (reason ->
        ``{count, lines}``: line numbers only, first 50).
    """
    lines = record.get("lines", {})
    names = frames.column_names(working)
    lazy = working.lazy()
    multiline = (
        int(frames.collect(lazy.select((pl.col("_line_count") > 1).sum())).item())
        if "_line_count" in names
        else 0
    )
    loaded = lines["loaded_records"] if "loaded_records" in lines else frames.height(working)
    by_reason = record.get("quarantine", {}).get("by_reason", {})
    return {
        "physical_lines": lines.get("physical"),
        "header_lines": lines.get("header"),
        "loaded": loaded,
        "loaded_lines": lines.get("loaded_lines"),
        "quarantined_lines": lines.get("quarantined_lines"),
        "reconciled": lines.get("reconciled"),
        "multiline_records": multiline,
        "exact_duplicate_rows": (
            frames.exact_duplicate_rows(working)
            if exact_duplicate_rows is None
            else int(exact_duplicate_rows)
        ),
        "quarantine_by_reason": {
            reason: {
                "count": int(info.get("count", 0)),
                "lines": [int(n) for n in info.get("lines", [])][:50],
            }
            for reason, info in sorted(by_reason.items())
        },
    }
