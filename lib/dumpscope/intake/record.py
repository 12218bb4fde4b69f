"""The intake record: reading it back, re-verifying the evidence, and tables for the notebook.

Nothing here returns raw dump content: the tables hold hashes, format facts, counts and line
numbers only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from dumpscope.errors import IntakeError, IntegrityError
from dumpscope.intake.atomic import RECORD, WORKING
from dumpscope.intake.hashing import ALGORITHMS, hash_file
from dumpscope.intake.parse import REASONS

#: How many line numbers per reason ``intake.json`` keeps.
RECORD_LINES = 50


def utc_now() -> str:
    """Current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read_record(work_dir: Path) -> dict:
    """Load ``intake.json`` from a work folder.

    Parameters
    ----------
    work_dir
        The folder given to :func:`dumpscope.intake.run_intake`.

    Returns
    -------
    dict
        The intake record (keys of contracts §4).

    Raises
    ------
    IntakeError
        No completed intake in that folder.
    """
    path = Path(work_dir) / RECORD
    if not path.is_file():
        raise IntakeError(f"No completed intake in {work_dir} (intake.json missing).")
    return json.loads(path.read_text("utf-8"))


def read_working(work_dir: Path) -> pl.DataFrame:
    """Load the working copy.

    Parameters
    ----------
    work_dir
        The folder given to :func:`dumpscope.intake.run_intake`.

    Returns
    -------
    polars.DataFrame
        One Utf8 column per source column (normalized names), ``_source_line`` (UInt64),
        ``_line_count`` (UInt32), in file order.

    Raises
    ------
    IntakeError
        No completed intake in that folder.
    """
    work_dir = Path(work_dir)
    read_record(work_dir)
    return pl.read_parquet(work_dir / WORKING)


def verify_evidence(record: dict, *, strict: bool = False) -> dict:
    """Re-hash the evidence file and compare with the hashes taken at intake.

    Parameters
    ----------
    record
        The intake record (uses ``evidence.path``, ``bytes``, ``sha256``, ``sha1``, ``md5``).
    strict
        Raise :class:`IntegrityError` on a mismatch instead of reporting it.

    Returns
    -------
    dict
        ``{path, checked_utc, intake: {bytes, sha256, sha1, md5}, now: {bytes, sha256, sha1, md5}
        or None, match: bool, error: str | None}``.
    """
    ev = record["evidence"]
    intake = {"bytes": ev["bytes"], **{a: ev[a] for a in ALGORITHMS}}
    now: dict | None
    error = None
    try:
        now = hash_file(Path(ev["path"]))
    except OSError as exc:
        now, error = None, f"evidence cannot be re-read: {exc.strerror or exc}"
    match = now is not None and all(now[k] == intake[k] for k in intake)
    if now is not None and not match:
        error = "the evidence changed since intake (hash or size differs)"
    result = {
        "path": ev["path"],
        "checked_utc": utc_now(),
        "intake": intake,
        "now": now,
        "match": match,
        "error": error,
    }
    if strict and not match:
        raise IntegrityError(f"Evidence verification failed for {ev['path']}: {error}.")
    return result


def quarantine_summary(record: dict, max_lines: int = 10) -> pl.DataFrame:
    """Quarantined lines by reason, without any raw content.

    Parameters
    ----------
    record
        The intake record (uses ``quarantine.by_reason``).
    max_lines
        How many first line numbers to list per reason.

    Returns
    -------
    polars.DataFrame
        ``reason`` (Utf8, every reason in test order), ``count`` (UInt64), ``first_lines`` (Utf8:
        comma-separated line numbers, ``…`` appended when there are more).
    """
    by_reason = record.get("quarantine", {}).get("by_reason", {})
    rows = []
    for reason in REASONS:
        entry = by_reason.get(reason, {"count": 0, "lines": []})
        shown = entry["lines"][:max_lines]
        text = ", ".join(str(x) for x in shown)
        if entry["count"] > len(shown):
            text += " …"
        rows.append((reason, entry["count"], text))
    return pl.DataFrame(
        rows,
        schema={"reason": pl.String, "count": pl.UInt64, "first_lines": pl.String},
        orient="row",
    )


def custody_table(record: dict, verification: dict | None = None) -> pl.DataFrame:
    """Chain-of-custody facts as ``item`` / ``value`` rows (file name, size, hashes, container).

    Parameters
    ----------
    record
        The intake record (uses ``evidence`` and ``custody``).
    verification
        Optional result of :func:`verify_evidence` to append.

    Returns
    -------
    polars.DataFrame
        ``item`` (Utf8), ``value`` (Utf8).
    """
    ev = record["evidence"]
    rows = [
        ("file", ev["name"]),
        ("bytes", str(ev["bytes"])),
        ("sha256", ev["sha256"]),
        ("sha1", ev["sha1"]),
        ("md5", ev["md5"]),
        ("modified (UTC)", ev.get("mtime_utc", "")),
        ("container", ev["container"]),
    ]
    for m in ev.get("members", []):
        flag = " (parsed)" if m.get("selected") else ""
        rows.append((f"member{flag}", f"{m['name']} — {m['bytes']} bytes — sha256 {m['sha256']}"))
    custody = record.get("custody", {})
    if custody:
        rows.append(("intake started (UTC)", custody.get("started_utc", "")))
        rows.append(("intake tool", custody.get("tool", "")))
    if verification is not None:
        rows.append(("re-verified (UTC)", verification["checked_utc"]))
        rows.append(
            (
                "hashes unchanged",
                "yes" if verification["match"] else f"NO — {verification['error']}",
            )
        )
    return pl.DataFrame(rows, schema={"item": pl.String, "value": pl.String}, orient="row")


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return {"\r\n": "CRLF", "\n": "LF", "\t": "TAB", "": "(none)"}.get(value, value)
    return str(value)


def format_table(record: dict) -> pl.DataFrame:
    """Detected format, one row per property, with confidence and whether it was forced.

    Parameters
    ----------
    record
        The intake record (uses ``format``).

    Returns
    -------
    polars.DataFrame
        ``property`` (Utf8), ``value`` (Utf8; CRLF/LF/TAB spelled out), ``confidence`` (Float64,
        null when forced), ``forced`` (Boolean).
    """
    fmt = record["format"]
    forced = set(fmt.get("forced", []))
    props = [
        ("encoding", "encoding_confidence"),
        ("delimiter", "delimiter_confidence"),
        ("quotechar", "quotechar_confidence"),
        ("header_row", "header_row_confidence"),
        ("line_terminator", "line_terminator_confidence"),
    ]
    rows = [(p, _show(fmt.get(p)), fmt.get(c), p in forced) for p, c in props]
    return pl.DataFrame(
        rows,
        schema={
            "property": pl.String,
            "value": pl.String,
            "confidence": pl.Float64,
            "forced": pl.Boolean,
        },
        orient="row",
    )


def lines_table(record: dict) -> pl.DataFrame:
    """Line reconciliation: header + loaded + quarantined = physical.

    Parameters
    ----------
    record
        The intake record (uses ``lines``).

    Returns
    -------
    polars.DataFrame
        ``item`` (Utf8), ``lines`` (UInt64): physical, header, loaded (in ``loaded_records``
        records), quarantined, and ``difference`` (0 when reconciled).
    """
    ln = record["lines"]
    diff = ln["physical"] - ln["header"] - ln["loaded_lines"] - ln["quarantined_lines"]
    rows = [
        ("physical lines", ln["physical"]),
        ("header lines", ln["header"]),
        ("lines of loaded records", ln["loaded_lines"]),
        ("loaded records", ln["loaded_records"]),
        ("quarantined lines", ln["quarantined_lines"]),
        ("difference", abs(diff)),
    ]
    return pl.DataFrame(rows, schema={"item": pl.String, "lines": pl.UInt64}, orient="row")
