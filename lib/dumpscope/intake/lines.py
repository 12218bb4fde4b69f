"""Physical lines: byte offsets of every line of a buffer, found with chunked vectorized scans.

A physical line is the bytes up to and including a LF (CRLF is one terminator); a last
unterminated, non-empty chunk is a line too (docs/contracts.md §4).
"""

from __future__ import annotations

import numpy as np

_CHUNK = 1 << 22


def find_byte(buf: bytes | memoryview, value: int) -> np.ndarray:
    """Positions of every occurrence of one byte value, in increasing order.

    Scans in 4 MiB chunks with a reused mask so that memory stays flat on large files.

    Parameters
    ----------
    buf
        The buffer to scan.
    value
        Byte value (0..255).

    Returns
    -------
    numpy.ndarray
        int64 positions.
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    mask = np.empty(min(_CHUNK, max(len(arr), 1)), dtype=bool)
    found = []
    for start in range(0, len(arr), _CHUNK):
        part = arr[start : start + _CHUNK]
        view = mask[: len(part)]
        np.equal(part, value, out=view)
        hits = np.flatnonzero(view)
        if len(hits):
            found.append(hits + start)
    if not found:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(found).astype(np.int64, copy=False)


def line_bounds(buf: bytes | memoryview) -> tuple[np.ndarray, np.ndarray]:
    """Start and end byte offsets of every physical line.

    Parameters
    ----------
    buf
        The buffer.

    Returns
    -------
    (starts, ends)
        int64 arrays; line ``i`` is ``buf[starts[i]:ends[i]]`` including its terminator.
    """
    ends = find_byte(buf, 10) + 1
    size = len(buf)
    if size and (len(ends) == 0 or ends[-1] < size):
        ends = np.append(ends, size)
    starts = np.zeros(len(ends), dtype=np.int64)
    starts[1:] = ends[:-1]
    return starts, ends.astype(np.int64, copy=False)


def content_ends(buf: bytes | memoryview, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """End offsets of each line's content, without its LF or CRLF terminator.

    Parameters
    ----------
    buf
        The buffer.
    starts, ends
        Line bounds from :func:`line_bounds`.

    Returns
    -------
    numpy.ndarray
        int64 offsets (``starts <= content_end <= ends``).
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    out = ends.copy()
    if len(ends) == 0:
        return out
    has_lf = arr[ends - 1] == 10
    out[has_lf] -= 1
    prev = np.maximum(out - 1, 0)
    has_cr = has_lf & (out > starts) & (arr[prev] == 13)
    out[has_cr] -= 1
    return out


def terminator_counts(buf: bytes | memoryview, starts: np.ndarray, ends: np.ndarray) -> dict:
    """How lines end: CRLF, bare LF, or unterminated (last line only).

    Parameters
    ----------
    buf
        The buffer.
    starts, ends
        Line bounds.

    Returns
    -------
    dict
        ``{"crlf": int, "lf": int, "none": int, "bare_cr": int}`` (``bare_cr`` counts CR bytes
        not followed by LF anywhere in the buffer).
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    if len(ends) == 0:
        return {"crlf": 0, "lf": 0, "none": 0, "bare_cr": 0}
    has_lf = arr[ends - 1] == 10
    before = np.maximum(ends - 2, 0)
    crlf = has_lf & (ends - 2 >= starts) & (arr[before] == 13)
    cr_pos = find_byte(buf, 13)
    nxt = cr_pos + 1
    bare_cr = int(np.count_nonzero((nxt >= len(arr)) | (arr[np.minimum(nxt, len(arr) - 1)] != 10)))
    return {
        "crlf": int(crlf.sum()),
        "lf": int((has_lf & ~crlf).sum()),
        "none": int((~has_lf).sum()),
        "bare_cr": bare_cr,
    }
