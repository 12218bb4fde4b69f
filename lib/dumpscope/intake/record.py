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


#: Labels of the tables when no language is asked for (the codes used by scripts and tests).
_PLAIN = {
    "file": "file",
    "bytes": "bytes",
    "sha256": "sha256",
    "sha1": "sha1",
    "md5": "md5",
    "modified": "modified (UTC)",
    "container": "container",
    "member": "member",
    "member_parsed": "member (parsed)",
    "bytes_unit": "bytes",
    "started": "intake started (UTC)",
    "tool": "intake tool",
    "verified": "re-verified (UTC)",
    "unchanged": "hashes unchanged",
    "changed": "NO",
    "encoding": "encoding",
    "delimiter": "delimiter",
    "quotechar": "quotechar",
    "header_row": "header_row",
    "line_terminator": "line_terminator",
    "no_value": "(none)",
    "physical": "physical lines",
    "header": "header lines",
    "loaded_lines": "lines of loaded records",
    "loaded_records": "loaded records",
    "quarantined": "quarantined lines",
    "difference": "difference",
}


class _Words:
    """Labels of the intake tables: plain codes (``lang=None``) or the report's language."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang
        if lang is None:
            self.items, self.columns = _PLAIN, {}
        else:
            from dumpscope.report import wording

            self.items = wording.template("intake.items", lang)
            self.columns = wording.template("intake.columns", lang)

    def __call__(self, key: str) -> str:
        return str(self.items[key])

    def yes_no(self, value: bool) -> str:
        if self.lang is None:
            return "yes" if value else "no"
        from dumpscope.report import wording

        return wording.template("answer_yes" if value else "answer_no", self.lang)

    def number(self, value: int) -> str:
        if self.lang is None:
            return str(value)
        from dumpscope.report import locale

        return locale.number(value, self.lang)

    def reason(self, code: str) -> str:
        if self.lang is None:
            return code
        from dumpscope.report import wording

        return wording.label(code, self.lang)

    def frame(self, rows: list, schema: dict) -> pl.DataFrame:
        out = pl.DataFrame(rows, schema=schema, orient="row")
        return out.rename({c: self.columns[c] for c in out.columns if c in self.columns})


def quarantine_summary(record: dict, max_lines: int = 10, lang: str | None = None) -> pl.DataFrame:
    """Quarantined lines by reason, without any raw content.

    Parameters
    ----------
    record
        The intake record (uses ``quarantine.by_reason``).
    max_lines
        How many first line numbers to list per reason.
    lang
        ``None``: reason codes and the column names below; ``fr`` / ``en``: reasons and column
        names in that language (for reports).

    Returns
    -------
    polars.DataFrame
        ``reason`` (Utf8, every reason in test order), ``count`` (UInt64), ``first_lines`` (Utf8:
        comma-separated line numbers, ``…`` appended when there are more).
    """
    words = _Words(lang)
    by_reason = record.get("quarantine", {}).get("by_reason", {})
    rows = []
    for reason in REASONS:
        entry = by_reason.get(reason, {"count": 0, "lines": []})
        shown = entry["lines"][:max_lines]
        text = ", ".join(str(x) for x in shown)
        if entry["count"] > len(shown):
            text += " …"
        rows.append((words.reason(reason), entry["count"], text))
    return words.frame(rows, {"reason": pl.String, "count": pl.UInt64, "first_lines": pl.String})


def custody_table(
    record: dict, verification: dict | None = None, lang: str | None = None
) -> pl.DataFrame:
    """Chain-of-custody facts as ``item`` / ``value`` rows (file name, size, hashes, container).

    Parameters
    ----------
    record
        The intake record (uses ``evidence`` and ``custody``).
    verification
        Optional result of :func:`verify_evidence` to append.
    lang
        ``None``: plain English item codes; ``fr`` / ``en``: items and column names in that
        language (for reports).

    Returns
    -------
    polars.DataFrame
        ``item`` (Utf8), ``value`` (Utf8).
    """
    w = _Words(lang)
    ev = record["evidence"]
    rows = [
        (w("file"), ev["name"]),
        (w("bytes"), w.number(ev["bytes"])),
        (w("sha256"), ev["sha256"]),
        (w("sha1"), ev["sha1"]),
        (w("md5"), ev["md5"]),
        (w("modified"), ev.get("mtime_utc", "")),
        (w("container"), w("no_value") if ev["container"] == "none" else ev["container"]),
    ]
    for m in ev.get("members", []):
        rows.append(
            (
                w("member_parsed" if m.get("selected") else "member"),
                f"{m['name']} — {w.number(m['bytes'])} {w('bytes_unit')} — "
                f"{w('sha256')} {m['sha256']}",
            )
        )
    custody = record.get("custody", {})
    if custody:
        rows.append((w("started"), custody.get("started_utc", "")))
        rows.append((w("tool"), custody.get("tool", "")))
    if verification is not None:
        rows.append((w("verified"), verification["checked_utc"]))
        rows.append(
            (
                w("unchanged"),
                w.yes_no(True)
                if verification["match"]
                else f"{w('changed')} — {verification['error']}",
            )
        )
    return w.frame(rows, {"item": pl.String, "value": pl.String})


def _show(value, w: _Words) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if value == "":
            return w("no_value")
        return {"\r\n": "CRLF", "\n": "LF", "\t": "TAB"}.get(value, value)
    return str(value)


def format_table(record: dict, lang: str | None = None) -> pl.DataFrame:
    """Detected format, one row per property, with confidence and whether it was forced.

    Parameters
    ----------
    record
        The intake record (uses ``format``).
    lang
        ``None``: property codes; ``fr`` / ``en``: properties and column names in that
        language (for reports).

    Returns
    -------
    polars.DataFrame
        ``property`` (Utf8), ``value`` (Utf8; CRLF/LF/TAB spelled out), ``confidence`` (Float64,
        null when forced), ``forced`` (Boolean; with a language, Utf8 yes / no).
    """
    w = _Words(lang)
    fmt = record["format"]
    forced = set(fmt.get("forced", []))
    props = [
        ("encoding", "encoding_confidence"),
        ("delimiter", "delimiter_confidence"),
        ("quotechar", "quotechar_confidence"),
        ("header_row", "header_row_confidence"),
        ("line_terminator", "line_terminator_confidence"),
    ]
    if lang is None:
        rows = [(p, _show(fmt.get(p), w), fmt.get(c), p in forced) for p, c in props]
        flag = pl.Boolean
    else:
        rows = [(w(p), _show(fmt.get(p), w), fmt.get(c), w.yes_no(p in forced)) for p, c in props]
        flag = pl.String
    return w.frame(
        rows,
        {"property": pl.String, "value": pl.String, "confidence": pl.Float64, "forced": flag},
    )


def lines_table(record: dict, lang: str | None = None) -> pl.DataFrame:
    """Line reconciliation: header + loaded + quarantined = physical.

    Parameters
    ----------
    record
        The intake record (uses ``lines``).
    lang
        ``None``: plain English items; ``fr`` / ``en``: items and column names in that language
        (for reports).

    Returns
    -------
    polars.DataFrame
        ``item`` (Utf8), ``lines`` (UInt64): physical, header, loaded (in ``loaded_records``
        records), quarantined, and ``difference`` (0 when reconciled).
    """
    w = _Words(lang)
    ln = record["lines"]
    diff = ln["physical"] - ln["header"] - ln["loaded_lines"] - ln["quarantined_lines"]
    rows = [
        (w("physical"), ln["physical"]),
        (w("header"), ln["header"]),
        (w("loaded_lines"), ln["loaded_lines"]),
        (w("loaded_records"), ln["loaded_records"]),
        (w("quarantined"), ln["quarantined_lines"]),
        (w("difference"), abs(diff)),
    ]
    return w.frame(rows, {"item": pl.String, "lines": pl.UInt64})
