"""Split one record into fields, following a quote across physical lines (contracts §4).

Only lines that hold the quote character (or a bare CR) come here; plain lines take the
vectorized path in :mod:`dumpscope.intake.parse`. Quoting rules: a quote is special only when it
opens a field; inside a quoted field a doubled quote stands for one quote; the closing quote must
be followed by the delimiter or the end of the record.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass

#: A record whose opening quote does not close within this many physical lines is not a record.
MAX_RECORD_LINES = 50

OK = "ok"
OPEN = "open"
BAD_QUOTE = "bad_quote"


@dataclass(frozen=True)
class Tokens:
    """Result of tokenizing a record that starts on one line.

    Attributes
    ----------
    status
        ``ok`` (fields parsed), ``open`` (the quote never closed within the allowed lines) or
        ``bad_quote`` (text after a closing quote).
    fields
        Field values (empty unless ``ok``).
    last
        Index of the last physical line used.
    """

    status: str
    fields: list[str]
    last: int


def quoted_pattern(quote: str) -> re.Pattern[str]:
    """Regex of one quoted field (possessive: a doubled quote never ends the field)."""
    q = re.escape(quote)
    return re.compile(f"{q}([^{q}]*+(?:{q}{q}[^{q}]*+)*+){q}")


def tokenize(
    first: int,
    line_text: Callable[[int], tuple[str, str]],
    can_continue: Callable[[int], bool],
    n_lines: int,
    delimiter: str,
    quote: str,
    pattern: re.Pattern[str],
    max_lines: int = MAX_RECORD_LINES,
) -> Tokens:
    """Tokenize the record that starts on physical line index ``first``.

    Parameters
    ----------
    first
        0-based index of the first physical line.
    line_text
        ``i -> (content, terminator)`` decoded text of line ``i``.
    can_continue
        ``i -> bool``: may line ``i`` be the continuation of a quoted field (not a line with a NUL
        byte or undecodable bytes)?
    n_lines
        Number of physical lines.
    delimiter, quote
        Single characters; ``quote`` may be ``""`` (no quoting).
    pattern
        :func:`quoted_pattern` of ``quote``.
    max_lines
        Most physical lines one record may span.

    Returns
    -------
    Tokens
    """
    s, _ = line_text(first)
    last = first
    fields: list[str] = []
    pos = 0
    doubled = quote * 2
    while True:
        if quote and pos < len(s) and s[pos] == quote:
            m = pattern.match(s, pos)
            while m is None:
                nxt = last + 1
                if nxt >= n_lines or nxt - first + 1 > max_lines or not can_continue(nxt):
                    return Tokens(OPEN, [], last)
                content, _ = line_text(nxt)
                s = s + line_text(last)[1] + content
                last = nxt
                m = pattern.match(s, pos)
            value = m.group(1)
            fields.append(value.replace(doubled, quote) if doubled in value else value)
            pos = m.end()
            if pos == len(s):
                return Tokens(OK, fields, last)
            if s[pos] != delimiter:
                return Tokens(BAD_QUOTE, [], last)
            pos += 1
            if pos == len(s):
                fields.append("")
                return Tokens(OK, fields, last)
        else:
            j = s.find(delimiter, pos)
            if j < 0:
                fields.append(s[pos:])
                return Tokens(OK, fields, last)
            fields.append(s[pos:j])
            pos = j + 1
            if pos == len(s):
                fields.append("")
                return Tokens(OK, fields, last)


def tokenize_fast(
    first: int,
    line_text: Callable[[int], tuple[str, str]],
    can_continue: Callable[[int], bool],
    n_lines: int,
    delimiter: str,
    quote: str,
    pattern: re.Pattern[str],
    max_lines: int = MAX_RECORD_LINES,
) -> Tokens:
    """:func:`tokenize` with the C ``csv`` module doing the splitting in the common cases.

    ``csv.reader(strict=True)`` follows the same quoting rules (a quote is special only at a field
    start, doubled quotes, delimiter or end after a closing quote). Its "unexpected end of data"
    means an open quote: the next line is joined, as :func:`tokenize` does. Any other complaint
    (text after a closing quote, a huge field), and any record with a CR inside a line's content
    (csv would take it for a line end), is handed to :func:`tokenize`, which decides by the rules.
    Same parameters and result as :func:`tokenize`.
    """
    if not quote:
        return tokenize(
            first, line_text, can_continue, n_lines, delimiter, quote, pattern, max_lines
        )
    s, _ = line_text(first)
    last = first
    # csv reads a CR as a line end; a CR inside a line's content is data here: exact path.
    carriage = "\r" in s
    while not carriage:
        try:
            rows = list(
                csv.reader(
                    [s], delimiter=delimiter, quotechar=quote, doublequote=True, strict=True
                )
            )
        except csv.Error as exc:
            if str(exc) != "unexpected end of data":
                break
            nxt = last + 1
            if nxt >= n_lines or nxt - first + 1 > max_lines or not can_continue(nxt):
                return Tokens(OPEN, [], last)
            content = line_text(nxt)[0]
            carriage = "\r" in content
            s = s + line_text(last)[1] + content
            last = nxt
            continue
        if len(rows) == 1:
            return Tokens(OK, rows[0], last)
        break
    return tokenize(first, line_text, can_continue, n_lines, delimiter, quote, pattern, max_lines)
