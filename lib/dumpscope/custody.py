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


#: Up to this many rows whose hash clashes are read back whole and compared at once
#: (:func:`dumpscope.frames.exact_duplicate_rows`); beyond, one column at a time.
_WHOLE_SUSPECTS = 65_536

#: Columns read per pass when suspects are compared column by column (memory: this many columns).
_COLUMNS_PER_PASS = 8


def _exact_duplicate_rows(working: pl.DataFrame | pl.LazyFrame) -> int:
    """Rows minus distinct rows over the source columns, exactly, in bounded memory.

    One streaming pass hashes every row (8 bytes a row kept). When few rows share a hash, they
    are read back whole and compared (as :func:`dumpscope.frames.exact_duplicate_rows` does). When many do (a dump
    made of repeated copies: every row a suspect), each suspect is compared with the first row
    of its hash group one column at a time (memory: one column); a group in which every row equals
    its first row holds one distinct row; the rows of any other group (a real hash collision)
    are compared whole. Null and empty string are different values.
    """
    cols = frames.data_columns(working)
    if not cols:
        return 0
    lazy = working.lazy()
    hashes = frames.collect(lazy.select(pl.struct(cols).hash(seed=0).alias("h")))["h"]
    clash = hashes.is_duplicated()
    suspects = int(clash.sum())
    if suspects == 0:
        return 0
    if suspects <= _WHOLE_SUSPECTS:
        return _duplicates_whole(lazy, cols, clash.arg_true())
    return _duplicates_by_column(lazy, cols, hashes)


def _duplicates_whole(lazy: pl.LazyFrame, cols: list[str], rows: pl.Series) -> int:
    """Rows minus distinct rows among ``rows`` (positions), read back whole and compared."""
    whole = frames.collect(
        lazy.select(cols)
        .with_row_index("_i")
        .filter(pl.col("_i").is_in(rows.cast(pl.UInt32).implode()))
        .drop("_i")
    )
    return whole.height - whole.n_unique()


def _duplicates_by_column(lazy: pl.LazyFrame, cols: list[str], hashes: pl.Series) -> int:
    """Rows minus distinct rows, given each row's hash: the rows of a hash group are compared
    with the group's first row a few columns at a time; groups with a difference (hash
    collisions) are compared whole."""
    clash = hashes.is_duplicated()
    index = clash.arg_true().cast(pl.UInt32)
    groups = pl.DataFrame({"i": index, "h": hashes.gather(index)}).with_columns(
        first=pl.col("i").min().over("h")
    )
    index, first = groups["i"], groups["first"]
    differs = pl.repeat(False, groups.height, eager=True)
    for start in range(0, len(cols), _COLUMNS_PER_PASS):
        batch = frames.collect(lazy.select(cols[start : start + _COLUMNS_PER_PASS]))
        for values in batch.iter_columns():
            differs = differs | values.gather(index).ne_missing(values.gather(first))
        del batch
    groups = groups.with_columns(differs=differs)
    bad = groups.group_by("h").agg(pl.col("differs").any()).filter(pl.col("differs"))["h"]
    good = groups.filter(~pl.col("h").is_in(bad.implode()))
    duplicates = good.height - good["h"].n_unique()
    if bad.len():
        rows = groups.filter(pl.col("h").is_in(bad.implode()))["i"]
        duplicates += _duplicates_whole(lazy, cols, rows)
    return duplicates


def records_section(
    record: dict[str, Any], working: pl.DataFrame | pl.LazyFrame
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
        "exact_duplicate_rows": _exact_duplicate_rows(working),
        "quarantine_by_reason": {
            reason: {
                "count": int(info.get("count", 0)),
                "lines": [int(n) for n in info.get("lines", [])][:50],
            }
            for reason, info in sorted(by_reason.items())
        },
    }
