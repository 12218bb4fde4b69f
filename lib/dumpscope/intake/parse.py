"""Line-accurate parsing: every physical line is loaded or quarantined (contracts §4).

Rules as implemented (where §4 leaves room, the choice is stated):

- ``nul_byte``: the line holds a NUL byte. ``undecodable``: its bytes do not decode strictly
  with the chosen encoding. ``blank_line``: nothing but spaces, tabs, CR, VT, FF before the
  terminator. Tested in that order, before any quoting or counting.
- A quote is special only when it opens a field (first character of the field); elsewhere it is
  an ordinary character. Inside a quoted field a doubled quote stands for one quote. After the
  closing quote comes the delimiter or the end of the record; anything else (``"ab"c``) makes
  the line ``unbalanced_quote``.
- A quote still open at the end of line ``i`` continues on the next lines while the record spans
  at most 50 physical lines (``i`` .. ``i+49``) and no continuation line holds a NUL byte or
  undecodable bytes; the record is kept only if it then ends with exactly the header's field
  count. Otherwise line ``i`` alone is ``unbalanced_quote`` and parsing restarts at ``i+1``.
  Line breaks inside a quoted field are kept as they are in the file (CRLF or LF).
- A complete single-line record with the wrong field count is ``extra_fields`` or
  ``missing_fields``.
- Values are exactly as decoded: no trimming, empty stays empty (never null); a bare CR inside
  a line is content.

Design (measured on the 491,840-row dump): one vectorized pass classifies every physical line
(NUL byte, undecodable, blank, quote present, delimiter count outside quotes, whether all quotes
open and close fields on the line) on a zero-copy polars view of the UTF-8 text. Lines without
a quote, or whose quotes all open and close fields on the line, are complete records whose field
count is known; all other lines start a record that :func:`dumpscope.intake.tokenize.tokenize`
follows across lines (:func:`plan_lines`). The loaded records are then read in file order,
:data:`BATCH_ROWS` records per ``polars.read_csv`` call (:func:`read_batches`): single-line
records as their own bytes, tokenized records re-serialized fully quoted and compared with the
tokenizer's fields after reading. Reading in batches keeps only one batch of parsed values in
memory (a whole 152-column frame of 491,840 rows took ~2 GB).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa

from dumpscope.errors import IntakeError, IntegrityError
from dumpscope.intake.lines import content_ends, find_byte
from dumpscope.intake.tokenize import MAX_RECORD_LINES, OK, quoted_pattern, tokenize, tokenize_fast

#: Quarantine reasons, in the order they are tested (contracts §4).
REASONS: tuple[str, ...] = (
    "nul_byte",
    "undecodable",
    "blank_line",
    "unbalanced_quote",
    "extra_fields",
    "missing_fields",
)
_NUL, _UNDEC, _BLANK, _UNBAL, _EXTRA, _MISSING = range(1, 7)

#: Most records read and written at a time (one Parquet row group each).
BATCH_ROWS = 65_536


@dataclass
class Parsed:
    """Outcome of parsing.

    Attributes
    ----------
    header
        Header field texts (or ``column_1``.. when there is no header).
    header_lines
        Physical lines before the first record (preamble + header).
    frame
        ``c0..c{n-1}`` (Utf8) + ``_source_line`` (UInt64) + ``_line_count`` (UInt32), file order.
    q_lines
        0-based indices of quarantined lines (sorted).
    q_reasons
        Reason code (1..6, index into :data:`REASONS` + 1) per quarantined line.
    multiline_records
        Records spanning more than one physical line.
    """

    header: list[str]
    header_lines: int
    frame: pl.DataFrame
    q_lines: np.ndarray
    q_reasons: np.ndarray
    multiline_records: int


@dataclass
class Plan:
    """Where every loaded record is, before any is read (what :func:`plan_lines` found).

    Attributes
    ----------
    header, header_lines, q_lines, q_reasons, multiline_records
        As in :class:`Parsed`.
    ncols
        Fields per record (the header's).
    first
        int64, 0-based first physical line of every loaded record, in file order.
    count
        int64, physical lines of every loaded record (same order).
    is_slow
        bool per loaded record: tokenized in Python (its fields are in ``slow``).
    slow
        ``(first line, line count, fields)`` of the Python-tokenized records, in file order.
    """

    header: list[str]
    header_lines: int
    ncols: int
    first: np.ndarray
    count: np.ndarray
    is_slow: np.ndarray
    slow: list[tuple[int, int, list[str]]]
    q_lines: np.ndarray
    q_reasons: np.ndarray
    multiline_records: int

    @property
    def loaded_records(self) -> int:
        """Records that load."""
        return len(self.first)

    @property
    def loaded_lines(self) -> int:
        """Physical lines of the records that load."""
        return int(self.count.sum())


def _rx(char: str) -> str:
    """A character as a regex escape valid for the Rust regex engine."""
    return f"\\x{{{ord(char):X}}}"


def simple_line_pattern(delimiter: str, quote: str) -> str:
    """Regex of a whole line whose quoted fields all open and close on it, at field bounds."""
    d, q = _rx(delimiter), _rx(quote)
    field = f"(?:{q}(?:[^{q}]|{q}{q})*{q}|[^{d}{q}\\n]*)"
    return f"^{field}(?:{d}{field})*\\r?\\n?$"


def _lines_with(text: bytes, ends: np.ndarray, byte: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of a byte value and the index of the physical line holding each."""
    pos = find_byte(text, byte)
    return pos, np.searchsorted(ends, pos, side="right")


def line_flags(
    text: bytes, starts: np.ndarray, ends: np.ndarray, delimiter: str, quote: str
) -> pl.DataFrame:
    """Per-line facts, from sparse byte scans (numpy) and polars string kernels.

    Parameters
    ----------
    text
        UTF-8 bytes; ``starts``/``ends`` its physical line bounds.
    delimiter, quote
        Field delimiter and quote character (``""`` = none).

    Returns
    -------
    polars.DataFrame
        One row per physical line: ``nul`` (bool), ``quote`` (bool), ``bare_cr`` (bool: a CR
        not followed by LF), ``blank`` (bool: only spaces, tabs, CR, VT, FF), ``bom`` (bool,
        starts with U+FEFF), ``delims`` (UInt32, delimiters outside quoted fields when
        ``simple``), ``simple`` (bool: every quote opens and closes a field on this line).
    """
    n = len(starts)
    arr = np.frombuffer(text, dtype=np.uint8)
    nul = np.zeros(n, dtype=bool)
    nul[_lines_with(text, ends, 0)[1]] = True
    cr_pos, cr_line = _lines_with(text, ends, 13)
    after = np.minimum(cr_pos + 1, max(len(arr) - 1, 0))
    bare = (cr_pos + 1 >= len(arr)) | (arr[after] != 10) if len(cr_pos) else cr_pos.astype(bool)
    bare_cr = np.zeros(n, dtype=bool)
    bare_cr[cr_line[bare]] = True
    cends = content_ends(text, starts, ends)
    blank = cends == starts
    first = arr[np.minimum(starts, max(len(arr) - 1, 0))] if n else np.zeros(0, np.uint8)
    maybe = np.flatnonzero(~blank & np.isin(first, (9, 11, 12, 13, 32)))
    for i in maybe.tolist():
        if not text[int(starts[i]) : int(cends[i])].strip(b" \t\r\x0b\x0c"):
            blank[i] = True
    bom = np.zeros(n, dtype=bool)
    long_enough = np.flatnonzero(ends - starts >= 3)
    if len(long_enough):
        s0 = starts[long_enough]
        bom[long_enough] = (arr[s0] == 0xEF) & (arr[s0 + 1] == 0xBB) & (arr[s0 + 2] == 0xBF)

    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[:n] = starts
    offsets[n] = ends[-1] if n else 0
    lines = pl.from_arrow(
        pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text))
    ).alias("line")
    col = pl.col("line")
    # Which lines hold a quote: one vectorized string scan (a position array of every quote
    # byte would hold tens of millions of entries in an export that quotes every field).
    if quote:
        has_quote = lines.str.contains(quote, literal=True).fill_null(False).to_numpy().copy()
    else:
        has_quote = np.zeros(n, dtype=bool)
    delims = lines.to_frame().select(d=col.str.count_matches(delimiter, literal=True))["d"]
    delims = delims.to_numpy().copy()
    simple = np.ones(n, dtype=bool)
    rows = np.flatnonzero(has_quote)
    if len(rows):
        # Quote-aware checks only on the lines that hold a quote.
        q = _rx(quote)
        quoted = f"{q}(?:[^{q}]|{q}{q})*{q}"
        sub = (
            lines.gather(pl.Series(rows, dtype=pl.UInt64))
            .to_frame()
            .select(
                delims=col.str.replace_all(quoted, "").str.count_matches(delimiter, literal=True),
                simple=col.str.contains(simple_line_pattern(delimiter, quote)),
            )
        )
        delims[rows] = sub["delims"].to_numpy()
        simple[rows] = sub["simple"].to_numpy()
    return pl.DataFrame(
        {
            "nul": nul,
            "quote": has_quote,
            "bare_cr": bare_cr,
            "blank": blank,
            "bom": bom,
            "delims": pl.Series(delims, dtype=pl.UInt32),
            "simple": simple,
        }
    )


def _runs(idx: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive runs ``[first, last]`` of sorted indices."""
    if len(idx) == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) != 1)
    firsts = np.concatenate([[idx[0]], idx[breaks + 1]])
    lasts = np.concatenate([idx[breaks], [idx[-1]]])
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


def _csv(buf: bytes, ncols: int, delimiter: str, quote: str | None) -> pl.DataFrame:
    names = [f"c{k}" for k in range(ncols)]
    if not buf:
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    if not buf.endswith(b"\n"):
        buf += b"\n"
    return pl.read_csv(
        io.BytesIO(buf),
        has_header=False,
        separator=delimiter,
        quote_char=quote,
        schema=dict.fromkeys(names, pl.String),
        empty_string_is_null=False,
        comment_prefix=None,
        raise_if_empty=False,
        truncate_ragged_lines=False,
    )


def _serialize(records: list[list[str]], delimiter: str, quote: str) -> list[bytes]:
    """Records as fully quoted CSV lines (``\\n``-terminated) that polars reads back exactly."""
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        quotechar=quote,
        doublequote=True,
        quoting=csv.QUOTE_ALL,
        lineterminator="\n",
    )
    marks = [0]
    for fields in records:
        writer.writerow(fields)
        marks.append(out.tell())
    text = out.getvalue()
    return [text[a:b].encode("utf-8") for a, b in zip(marks[:-1], marks[1:], strict=True)]


def empty_frame(ncols: int) -> pl.DataFrame:
    """A working-copy frame with no row: ``c0..c{ncols-1}`` (Utf8) + the two line columns."""
    return pl.DataFrame(
        schema={
            **{f"c{k}": pl.String for k in range(ncols)},
            "_source_line": pl.UInt64,
            "_line_count": pl.UInt32,
        }
    )


def _read_records(
    text: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    idx: np.ndarray,
    slow: list[tuple[int, int, list[str]]],
    ncols: int,
    delimiter: str,
    quote: str,
) -> pl.DataFrame:
    """Read some loaded records in file order with a single ``polars.read_csv`` call.

    Runs of single-line records are passed as their own bytes (they hold no quote, or only
    quotes that open and close fields on the line, where polars' quoting is exact); records
    tokenized in Python (multi-line, stray quotes, bare CR) are re-serialized fully quoted. The
    rows read back for those records are compared with the tokenizer's fields.

    Parameters
    ----------
    idx
        Sorted 0-based indices of the single-line records to read.
    slow
        ``(first line, line count, fields)`` of tokenized records, in file order.

    Returns
    -------
    polars.DataFrame
        ``c0..c{ncols-1}``, ``_source_line`` (UInt64), ``_line_count`` (UInt32).
    """
    view = memoryview(text)
    pieces: list[tuple[int, bytes | memoryview]] = [
        (a, view[int(starts[a]) : int(ends[b])]) for a, b in _runs(idx)
    ]
    # a run's last line may be the file's unterminated last line
    pieces = [(a, p if bytes(p[-1:]) == b"\n" else bytes(p) + b"\n") for a, p in pieces]
    if slow:
        if not quote:
            raise IntegrityError("internal: quoted re-serialization without a quote character")
        lines = _serialize([fields for _, _, fields in slow], delimiter, quote)
        pieces += [(r[0], b) for r, b in zip(slow, lines, strict=True)]
        pieces.sort(key=lambda x: x[0])
    try:
        frame = _csv(b"".join(p for _, p in pieces), ncols, delimiter, quote or None)
    except pl.exceptions.PolarsError as exc:
        raise IntegrityError(
            f"The CSV reader rejected lines the line check accepted: {exc}"
        ) from exc
    total = len(idx) + len(slow)
    if frame.height != total:
        raise IntegrityError(f"Read {frame.height} rows for {total} records: refusing to go on.")
    if frame.width and frame.null_count().sum_horizontal().item():
        # a null can only come from a padded short row: the line check and the reader disagree
        raise IntegrityError("The CSV reader padded a record the line check found complete.")
    first = np.concatenate([idx, np.asarray([r[0] for r in slow], dtype=np.int64)])
    count = np.concatenate(
        [np.ones(len(idx), dtype=np.int64), np.asarray([r[1] for r in slow], dtype=np.int64)]
    )
    order = np.argsort(first, kind="stable")
    first, count = first[order], count[order]
    if slow:
        pos = np.searchsorted(first, [r[0] for r in slow])
        back = frame.gather(pl.Series(pos, dtype=pl.UInt64)).rows()
        for (line, _, fields), got in zip(slow, back, strict=True):
            if list(got) != fields:
                raise IntegrityError(f"Record at line {line + 1} did not read back exactly.")
    return frame.with_columns(
        _source_line=pl.Series(first + 1, dtype=pl.UInt64),
        _line_count=pl.Series(count, dtype=pl.UInt32),
    )


def _merge_unquoted(
    plain: pl.DataFrame, slow: list[tuple[int, int, list[str]]], ncols: int
) -> pl.DataFrame:
    """No quoting: Python-tokenized records (bare CR) cannot be re-serialized; merge them."""
    if not slow:
        return plain
    names = [f"c{k}" for k in range(ncols)]
    columns = list(zip(*(fields for _, _, fields in slow), strict=True))
    extra = pl.DataFrame(
        {name: pl.Series(name, columns[k], dtype=pl.String) for k, name in enumerate(names)}
    ).with_columns(
        _source_line=pl.Series([r[0] + 1 for r in slow], dtype=pl.UInt64),
        _line_count=pl.Series([r[1] for r in slow], dtype=pl.UInt32),
    )
    return pl.concat([plain, extra]).sort("_source_line")


def read_batches(
    text: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    plan: Plan,
    delimiter: str,
    quote: str,
    batch_rows: int = BATCH_ROWS,
) -> Iterator[pl.DataFrame]:
    """Read the loaded records of a plan, ``batch_rows`` records at a time, in file order.

    Parameters
    ----------
    text
        UTF-8 bytes of the dump; ``starts``/``ends`` its physical line bounds.
    plan
        From :func:`plan_lines` on the same text.
    delimiter, quote
        As given to :func:`plan_lines`.
    batch_rows
        Most records per batch (>= 1).

    Yields
    ------
    polars.DataFrame
        ``c0..c{n-1}`` (Utf8) + ``_source_line`` (UInt64) + ``_line_count`` (UInt32); the
        batches together hold every loaded record once, in file order. Nothing is yielded when
        no record loads.

    Raises
    ------
    IntegrityError
        The CSV reader and the line check disagree on a record.
    """
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    slow_first = np.asarray([r[0] for r in plan.slow], dtype=np.int64)
    total = len(plan.first)
    for k0 in range(0, total, batch_rows):
        k1 = min(k0 + batch_rows, total)
        lo, hi = int(plan.first[k0]), int(plan.first[k1 - 1])
        s0, s1 = np.searchsorted(slow_first, [lo, hi + 1]).tolist()
        slow = plan.slow[s0:s1]
        rows = plan.first[k0:k1]
        idx = rows[~plan.is_slow[k0:k1]]
        if quote:
            yield _read_records(text, starts, ends, idx, slow, plan.ncols, delimiter, quote)
        else:
            plain = _read_records(text, starts, ends, idx, [], plan.ncols, delimiter, "")
            yield _merge_unquoted(plain, slow, plan.ncols)


def plan_lines(
    text: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    undecodable: np.ndarray,
    delimiter: str,
    quote: str,
    header_row: int,
    modal_fields: int,
    max_record_lines: int = MAX_RECORD_LINES,
) -> Plan:
    """Classify every physical line: header, first line of a loaded record, or quarantined.

    Single-line records are only located (read later by :func:`read_batches`); records that
    need the Python tokenizer are tokenized here, in file order.

    Parameters
    ----------
    text
        UTF-8 bytes of the dump; ``starts``/``ends`` its physical line bounds.
    undecodable
        bool per line: bytes that did not decode with the chosen encoding.
    delimiter, quote
        One character each (``quote`` may be ``""``).
    header_row
        1-based header line (lines before it are preamble), 0 for no header.
    modal_fields
        Field count to expect when there is no header.
    max_record_lines
        Most physical lines a quoted record may span.

    Returns
    -------
    Plan

    Raises
    ------
    IntakeError
        Header line missing, undecodable, with a NUL byte or an unclosed quote.
    IntegrityError
        A line accounted for twice or not at all.
    """
    n = len(starts)
    cends = content_ends(text, starts, ends)
    flags = line_flags(text, starts, ends, delimiter, quote)
    nul = flags["nul"].to_numpy()
    has_quote = flags["quote"].to_numpy()
    bare_cr = flags["bare_cr"].to_numpy()
    blank = flags["blank"].to_numpy()
    bom = flags["bom"].to_numpy()
    delims = flags["delims"].to_numpy().astype(np.int64)
    simple = flags["simple"].to_numpy()
    del flags

    def line_text(i: int) -> tuple[str, str]:
        s, c, e = int(starts[i]), int(cends[i]), int(ends[i])
        return text[s:c].decode("utf-8"), text[c:e].decode("utf-8")

    def can_continue(i: int) -> bool:
        return not (nul[i] or undecodable[i])

    pattern = quoted_pattern(quote) if quote else None

    # Header
    if header_row > n:
        raise IntakeError(f"The header row {header_row} is past the end of the file ({n} lines).")
    if header_row >= 1:
        h = header_row - 1
        if nul[h] or undecodable[h]:
            what = "a NUL byte" if nul[h] else "bytes that do not decode with the chosen encoding"
            raise IntakeError(
                f"The header (line {header_row}) holds {what}: check the encoding "
                "or force the header row."
            )
        tok = tokenize(h, line_text, can_continue, n, delimiter, quote, pattern, max_record_lines)
        if tok.status != OK:
            raise IntakeError(f"The header (line {header_row}) has an unclosed or stray quote.")
        header = tok.fields
        header_lines = tok.last + 1
    else:
        header = [f"column_{k + 1}" for k in range(modal_fields)]
        header_lines = 0
    ncols = len(header)

    reason = np.zeros(n, dtype=np.int8)
    data = np.zeros(n, dtype=bool)
    data[header_lines:] = True
    reason[data & nul] = _NUL
    reason[data & (reason == 0) & undecodable] = _UNDEC
    reason[data & (reason == 0) & blank] = _BLANK
    open_ = data & (reason == 0)
    slow = open_ & (bare_cr | bom | ~simple)
    single = open_ & ~slow  # complete on their own line: field count = delimiters + 1
    reason[single & (delims > ncols - 1)] = _EXTRA
    reason[single & (delims < ncols - 1)] = _MISSING
    fits = single & (delims == ncols - 1)
    fast = fits & ~has_quote
    fast_quoted = fits & has_quote

    # Slow path, in file order: quoted records may swallow the following lines.
    consumed = np.zeros(n, dtype=bool)
    slow_records: list[tuple[int, int, list[str]]] = []
    for i in np.flatnonzero(slow).tolist():
        if consumed[i]:
            continue
        tok = tokenize_fast(
            i, line_text, can_continue, n, delimiter, quote, pattern, max_record_lines
        )
        if tok.status == OK and len(tok.fields) == ncols:
            slow_records.append((i, tok.last - i + 1, tok.fields))
            consumed[i : tok.last + 1] = True
        elif tok.status == OK and tok.last == i:
            reason[i] = _EXTRA if len(tok.fields) > ncols else _MISSING
        else:  # quote never closed, text after a closing quote, or a failed multi-line join
            reason[i] = _UNBAL
    fast &= ~consumed
    fast_quoted &= ~consumed
    reason[consumed] = 0
    single_ok = fast | fast_quoted

    q_lines = np.flatnonzero(reason > 0)
    q_reasons = reason[q_lines]

    # Every physical line exactly once.
    cover = np.zeros(n, dtype=np.int64)
    cover[:header_lines] += 1
    cover[single_ok] += 1
    cover[consumed] += 1
    cover[q_lines] += 1
    if n and (cover.min() != 1 or cover.max() != 1):
        bad = np.flatnonzero(cover != 1)[:10] + 1
        raise IntegrityError(f"Lines not accounted for exactly once: {bad.tolist()}")

    idx = np.flatnonzero(single_ok)
    slow_first = np.asarray([r[0] for r in slow_records], dtype=np.int64)
    first = np.concatenate([idx, slow_first])
    count = np.concatenate(
        [np.ones(len(idx), dtype=np.int64), np.asarray([r[1] for r in slow_records], np.int64)]
    )
    is_slow = np.concatenate([np.zeros(len(idx), bool), np.ones(len(slow_first), bool)])
    order = np.argsort(first, kind="stable")
    return Plan(
        header=header,
        header_lines=header_lines,
        ncols=ncols,
        first=first[order],
        count=count[order],
        is_slow=is_slow[order],
        slow=slow_records,
        q_lines=q_lines,
        q_reasons=q_reasons,
        multiline_records=int(sum(1 for r in slow_records if r[1] > 1)),
    )


def parse_lines(
    text: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    undecodable: np.ndarray,
    delimiter: str,
    quote: str,
    header_row: int,
    modal_fields: int,
    max_record_lines: int = MAX_RECORD_LINES,
) -> Parsed:
    """Classify every physical line and read every record into one frame (small inputs).

    :func:`plan_lines` then :func:`read_batches`, concatenated; ``run_intake`` streams the
    batches to Parquet instead. Parameters, returns and errors as :func:`plan_lines`.
    """
    plan = plan_lines(
        text,
        starts,
        ends,
        undecodable,
        delimiter,
        quote,
        header_row,
        modal_fields,
        max_record_lines,
    )
    batches = list(read_batches(text, starts, ends, plan, delimiter, quote))
    frame = pl.concat(batches) if batches else empty_frame(plan.ncols)
    return Parsed(
        header=plan.header,
        header_lines=plan.header_lines,
        frame=frame,
        q_lines=plan.q_lines,
        q_reasons=plan.q_reasons,
        multiline_records=plan.multiline_records,
    )
