"""Detect delimiter, quote character, header row and line terminator, each with a confidence.

Every guess can be overridden by the analyst; a forced value is reported with confidence None.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from dumpscope.errors import IntakeError

DELIMITERS: tuple[str, ...] = (";", ",", "\t", "|")
QUOTES: tuple[str, ...] = ('"', "'")
_SAMPLE = 1000
_HEADER_SCAN = 20
_NUMERICISH = re.compile(r"^[\s0-9.,:/+\-]*$")


def sample_text_lines(text: bytes, starts: np.ndarray, cends: np.ndarray) -> list[str]:
    """Up to 2,000 leading plus 2,000 evenly spread lines, decoded, terminators removed.

    Parameters
    ----------
    text
        UTF-8 bytes.
    starts, cends
        Line starts and content ends.

    Returns
    -------
    list[str]
        Sampled non-blank lines, leading ones first.
    """
    n = len(starts)
    head = np.arange(min(n, _SAMPLE))
    spread = np.linspace(0, n - 1, num=min(n, _SAMPLE)).astype(np.int64) if n else head
    idx = np.unique(np.concatenate([head, spread]))
    out = []
    for i in idx:
        line = text[int(starts[i]) : int(cends[i])].decode("utf-8", "replace")
        if line.strip():
            out.append(line)
    return out


def _strip_quoted(line: str, quote: str) -> str:
    if not quote or quote not in line:
        return line
    q = re.escape(quote)
    return re.sub(f"{q}[^{q}]*{q}", "", line)


def _unquoted(lines: list[str]) -> list[str]:
    return [_strip_quoted(line, '"') for line in lines]


def detect_delimiter(lines: list[str], forced: str | None = None) -> tuple[str, float | None, int]:
    """Choose the delimiter whose per-line count is the most consistent.

    Parameters
    ----------
    lines
        Sampled lines.
    forced
        Analyst's delimiter (one character), or None.

    Returns
    -------
    (delimiter, confidence, modal_fields)
        ``confidence`` is the share of sampled lines having the modal number of fields (None if
        forced); ``modal_fields`` that modal number of fields.
    """
    if forced is not None:
        if len(forced) != 1 or forced in "\r\n" or not forced.isascii():
            raise IntakeError(
                f"The delimiter must be one ASCII character (not a line break), got {forced!r}."
            )
        counts = Counter(line.count(forced) for line in _unquoted(lines))
        return forced, None, (counts.most_common(1)[0][0] + 1) if counts else 1
    best = (",", 0.0, 1, -1.0)
    stripped = _unquoted(lines)
    for cand in DELIMITERS:
        counts = Counter(line.count(cand) for line in stripped)
        if not counts:
            continue
        mode, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if mode == 0:
            continue
        share = freq / len(lines)
        score = share + min(mode, 50) / 1000
        if score > best[3]:
            best = (cand, share, mode + 1, score)
    cand, share, fields, score = best
    if score < 0:
        return ",", 0.0, 1
    return cand, round(share, 4), fields


def detect_quote(
    lines: list[str], delimiter: str, forced: str | None = None
) -> tuple[str, float | None]:
    """Choose the quote character from quotes that open and close fields.

    Parameters
    ----------
    lines
        Sampled lines.
    delimiter
        The delimiter.
    forced
        ``'"'``, ``"'"``, ``""`` or ``"none"`` (no quoting), or None.

    Returns
    -------
    (quotechar, confidence)
        ``'"'`` with confidence 0.5 when no quoted field is seen (the common default);
        otherwise the share of that character's occurrences that sit at a field boundary.
    """
    if forced is not None:
        if forced.lower() == "none":  # spelled out, for parameter files where "" means unset
            return "", None
        bad = len(forced) > 1 or forced in ("\r", "\n") or not forced.isascii()
        if bad or (forced and forced == delimiter):
            raise IntakeError(
                f"The quote character must be one ASCII character other than the delimiter, "
                f"got {forced!r}."
            )
        return forced, None
    d = re.escape(delimiter)
    candidates = [c for c in QUOTES if c != delimiter]
    best = (candidates[0], 0.5, 0)
    for cand in candidates:
        q = re.escape(cand)
        total = sum(line.count(cand) for line in lines)
        if not total:
            continue
        opening = re.compile(f"(?:^|{d}){q}")
        closing = re.compile(f"{q}(?:{d}|$)")
        at_bound = sum(len(opening.findall(line)) + len(closing.findall(line)) for line in lines)
        if at_bound > best[2]:
            best = (cand, min(1.0, at_bound / total), at_bound)
    return best[0], round(best[1], 4)


def _fields(line: str, delimiter: str, quote: str) -> list[str]:
    parts = line.split(delimiter)
    if quote:
        parts = [p[1:-1] if len(p) >= 2 and p[0] == quote and p[-1] == quote else p for p in parts]
    return parts


def detect_header(
    lines: list[str], delimiter: str, quote: str, modal_fields: int, forced: int | None = None
) -> tuple[int, float | None]:
    """Find the header row: line 1, unless it is a short banner before the real header.

    Parameters
    ----------
    lines
        The first physical lines' content (not only non-blank ones), in file order.
    delimiter, quote
        Detected or forced.
    modal_fields
        Most common number of fields per line.
    forced
        1-based header line number, 0 for no header, or None.

    Returns
    -------
    (header_row, confidence)
        ``header_row`` is 1-based (0 = no header; lines before it are a preamble).
    """
    if forced is not None:
        if not isinstance(forced, int) or isinstance(forced, bool) or forced < 0:
            raise IntakeError(
                f"header_row must be a line number >= 1, or 0 for no header; got {forced!r}."
            )
        return forced, None

    def count(line: str) -> int:
        return len(_fields(_strip_quoted(line, quote), delimiter, ""))

    # Line 1 is the header unless it is clearly short (a title or export banner): then the first
    # of the next lines that has the modal field count.
    row = next((k + 1 for k, line in enumerate(lines) if line.strip()), 1)
    if count(lines[row - 1]) * 2 <= modal_fields if lines else False:
        for k in range(row, min(len(lines), _HEADER_SCAN)):
            if lines[k].strip() and count(lines[k]) == modal_fields:
                row = k + 1
                break
    fields = [f.strip() for f in _fields(lines[row - 1], delimiter, quote)] if lines else []
    if not fields:
        return 1, 0.0
    namelike = [bool(f) and not _NUMERICISH.match(f) and len(f) <= 64 for f in fields]
    unique = len(set(fields)) / len(fields)
    score = (sum(namelike) / len(fields)) * unique
    if score < 0.3 and row == 1:
        return 0, round(1 - score, 4)
    return row, round(score * (0.8 if row > 1 else 1.0), 4)


def detect_terminator(counts: dict) -> tuple[str, float]:
    """Majority line terminator.

    Parameters
    ----------
    counts
        From :func:`dumpscope.intake.lines.terminator_counts`.

    Returns
    -------
    (terminator, confidence)
        ``"\\r\\n"`` or ``"\\n"``; confidence = its share of terminated lines.

    Raises
    ------
    IntakeError
        A file using only bare CR (classic Mac) terminators.
    """
    crlf, lf = counts["crlf"], counts["lf"]
    if crlf + lf == 0:
        if counts["bare_cr"] > 0:
            raise IntakeError(
                "The evidence uses bare CR line breaks (classic Mac OS): convert "
                "them to LF on a copy and take the copy's hash into the case file."
            )
        return "\n", 1.0
    if crlf >= lf:
        return "\r\n", round(crlf / (crlf + lf), 4)
    return "\n", round(lf / (crlf + lf), 4)
